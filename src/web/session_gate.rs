//! Sessions only for the requests that can have or start one.
//!
//! The session layer (`tower-sessions` with its cookie jar) costs every request it wraps,
//! though a request without a `Cookie` header has no session to load, and only the sign-in,
//! account and administration routes ever start one (every other page reads the session only
//! to know who is signed in). [`SessionGate`] sends a request through the session layer when it
//! carries a cookie or asks for one of those routes, and straight on otherwise: the viewer layer
//! then finds no session and the visitor is anonymous, as they would be with the layer.

use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::header;
use tower::Service;
use tower::util::Either;

/// Path prefixes (after any `/en`) of the routes that start or use a session without a cookie
/// (the sign-in form, sign-out, the account and administration pages).
const SESSION_ROUTES: &[&str] = &["/login", "/logout", "/account", "/admin"];

/// Whether `request` goes through the session layer (see the module's documentation).
pub fn needs_session(request: &Request) -> bool {
    if request.headers().contains_key(header::COOKIE) {
        return true;
    }
    let (_, path) = super::i18n::split_path(request.uri().path());
    SESSION_ROUTES.iter().any(|prefix| path.starts_with(prefix))
}

/// `with` (the session layer and what it wraps) for requests that need a session, `without`
/// (the same, without the session layer) for the others. Each is kept as a
/// [`tower::util::Either`] so that both give the same future type.
#[derive(Debug, Clone)]
pub struct SessionGate<With, Without> {
    with: Either<With, Without>,
    without: Either<With, Without>,
}

impl<With, Without> SessionGate<With, Without> {
    /// A gate between the two stacks.
    pub fn new(with: With, without: Without) -> Self {
        SessionGate {
            with: Either::Left(with),
            without: Either::Right(without),
        }
    }
}

impl<With, Without> Service<Request> for SessionGate<With, Without>
where
    With: Service<Request>,
    Without: Service<Request, Response = With::Response, Error = With::Error>,
{
    type Response = With::Response;
    type Error = With::Error;
    type Future = <Either<With, Without> as Service<Request>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        match self.with.poll_ready(cx) {
            Poll::Ready(Ok(())) => self.without.poll_ready(cx),
            other => other,
        }
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if needs_session(&request) {
            self.with.call(request)
        } else {
            self.without.call(request)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, cookie: bool) -> Request {
        let mut builder = Request::get(path);
        if cookie {
            builder = builder.header(header::COOKIE, "disan-session=x");
        }
        builder.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn only_cookies_and_the_session_routes_pass_the_session_layer() {
        assert!(needs_session(&request("/records/doi-tam", true)));
        assert!(!needs_session(&request("/records/doi-tam", false)));
        assert!(!needs_session(&request("/api/search?q=trong", false)));
        // Its log page needs an archivist's session, which comes with a cookie.
        assert!(!needs_session(&request("/record/doi-tam/views", false)));
        for path in [
            "/login",
            "/en/login",
            "/logout",
            "/account",
            "/en/account/totp",
            "/admin/users",
        ] {
            assert!(needs_session(&request(path, false)), "{path}");
        }
    }
}
