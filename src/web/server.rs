//! The accept loop: how many connections the site holds, and how long it waits for a request.
//!
//! `axum::serve` keeps every connection for as long as the client likes: 300 sockets that each
//! send half a request and a header line every few seconds (slowloris) held every descriptor of
//! a server under a 256-descriptor limit, and nobody else got in. This loop serves the same
//! router over hyper's HTTP/1.1 connection builder with:
//!
//! - a **header timeout**: a request's head (request line and headers) must arrive in full
//!   within [`Limits::header_timeout`] of the connection being ready for it, which is also how
//!   long an idle keep-alive connection is kept (hyper starts the same timer while it waits for
//!   the next request); trickling header lines does not extend it;
//! - a **connection limit** below the process's descriptor limit ([`Limits::for_this_process`]):
//!   past it, new connections wait in the kernel's accept queue, costing no descriptor, until a
//!   connection ends; and once half the budget is in use, new connections get the shorter
//!   [`Limits::busy_header_timeout`], so slow clients cannot keep the site full;
//! - a cap on the size of a request's head ([`MAX_HEAD_BYTES`]); the site takes no request
//!   bodies at all (see `refuse_bodies` in the router);
//! - a **write timeout**: a response the client does not read, so that no byte of it can be
//!   sent for [`Limits::write_timeout`], ends its connection. Without it, a client pipelining
//!   hundreds of requests and never reading held its connection forever, and as many such
//!   clients as the connection limit took the site offline (break-site finding 2); once half
//!   the connections are in use, a response that makes no progress for
//!   [`Limits::busy_write_timeout`] ends its connection too, so waves of downloads that are never
//!   read (as many as the limit, renewed every 20 s) stall other visitors for seconds, not for
//!   the whole write timeout (break-11b finding 1). A client that reads, however slowly, makes
//!   progress: Linux wakes a writer only once a third of the send buffer is free, so a client
//!   reading a byte a second counts as stalled;
//! - a cap on the **requests per connection** ([`Limits::requests_per_connection`]): the last
//!   one is answered with `Connection: close`, so no connection lives forever on pipelining.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// The most bytes hyper buffers while reading a request's head (request line and headers);
/// longer heads are refused (431). Browsers send 1–8 KB.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Descriptors kept free for everything else the server opens (index segments, archive files
/// and derivatives being sent, the listener, standard streams): the larger of this and a
/// quarter of the limit.
const RESERVED_DESCRIPTORS: u64 = 64;

/// Connections held at most, whatever the descriptor limit.
const MAX_CONNECTIONS: u64 = 10_000;

/// How the server bounds what clients may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time allowed for a request's head to arrive, and for an idle keep-alive connection to
    /// send its next request.
    pub header_timeout: Duration,
    /// The same for connections accepted while more than half of `max_connections` are open.
    pub busy_header_timeout: Duration,
    /// Connections open at once; more wait in the accept queue.
    pub max_connections: usize,
    /// How long a response may wait for the client to make room for its next bytes (read what
    /// was sent) before the connection is closed.
    pub write_timeout: Duration,
    /// The same for a write that stalls while more than half of `max_connections` are open.
    pub busy_write_timeout: Duration,
    /// Requests served on one connection; the last is answered with `Connection: close`.
    pub requests_per_connection: usize,
}

impl Limits {
    /// 10 s to send a request's head (2 s once half the connections are in use), 20 s for a
    /// client to read any part of a response (2 s once half the connections are in use),
    /// 100 requests a connection, and as many
    /// connections as the descriptor limit (`RLIMIT_NOFILE`, soft) allows after keeping a
    /// quarter of it, and at least 64, for everything else, at two descriptors a connection
    /// (its socket and a file being sent): 96 under a limit of 256, 384 under 1024, at most
    /// 10,000.
    pub fn for_this_process() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            busy_header_timeout: Duration::from_secs(2),
            max_connections: connections_for(descriptor_limit()),
            write_timeout: Duration::from_secs(20),
            busy_write_timeout: Duration::from_secs(2),
            requests_per_connection: 100,
        }
    }
}

/// Descriptors one connection may hold at once: its socket and the file a response streams
/// (a media download). Counting one per connection let 200 slow downloads under a limit of 256
/// exhaust the descriptors: accepts failed and media answered 500 (break-site finding 3).
const DESCRIPTORS_PER_CONNECTION: u64 = 2;

/// Connections to allow under a descriptor limit of `descriptors`: what is left after the
/// reserve, shared at `DESCRIPTORS_PER_CONNECTION` (2) each.
pub fn connections_for(descriptors: u64) -> usize {
    let reserved = RESERVED_DESCRIPTORS.max(descriptors / 4);
    (descriptors.saturating_sub(reserved) / DESCRIPTORS_PER_CONNECTION).clamp(8, MAX_CONNECTIONS)
        as usize
}

/// The soft limit on open descriptors (`RLIMIT_NOFILE`); 1024, the common default, when it
/// cannot be read.
#[allow(unsafe_code)]
fn descriptor_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given, which lives for the call.
    let result = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    if result == 0 { limit.rlim_cur } else { 1024 }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes.
///
/// # Errors
/// Only when the listener's address cannot be read; a failed `accept` (descriptors exhausted
/// by something else) is logged and retried after a pause.
pub async fn serve(
    app: axum::Router,
    listener: TcpListener,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let busy_at = limits.max_connections / 2;
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return Ok(()),
            },
            () = &mut shutdown => return Ok(()),
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    eprintln!("disan serve: cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let open = limits.max_connections - permits.available_permits();
        let header_timeout = if open > busy_at {
            limits.busy_header_timeout
        } else {
            limits.header_timeout
        };
        let _ = stream.set_nodelay(true);
        let served = Arc::new(AtomicUsize::new(0));
        let most = limits.requests_per_connection.max(1);
        // The peer's address, for sign-in throttling and the session list (src/web/auth).
        let app = app
            .clone()
            .layer(axum::Extension(axum::extract::ConnectInfo(peer)))
            .layer(axum::middleware::map_response(
                move |mut response: axum::response::Response| {
                    let served = served.clone();
                    async move {
                        if served.fetch_add(1, Ordering::Relaxed) + 1 >= most {
                            response.headers_mut().insert(
                                axum::http::header::CONNECTION,
                                axum::http::HeaderValue::from_static("close"),
                            );
                        }
                        response
                    }
                },
            ));
        let service = TowerToHyperService::new(app);
        let stream = WriteDeadline::new(stream, limits, permits.clone());
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(MAX_HEAD_BYTES)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// A stream whose writes fail with `TimedOut` once one has made no progress for the write
/// timeout, or for the busy write timeout while more than half the connections are open: the
/// client has stopped reading, and its connection is given up.
struct WriteDeadline<S> {
    inner: S,
    limits: Limits,
    /// The server's connection permits, to tell whether it is busy.
    permits: Arc<Semaphore>,
    /// When a write first waited, and the timer of the next check; disarmed by any progress.
    stalled: Option<(tokio::time::Instant, Pin<Box<tokio::time::Sleep>>)>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, limits: Limits, permits: Arc<Semaphore>) -> Self {
        WriteDeadline {
            inner,
            limits,
            permits,
            stalled: None,
        }
    }

    /// Whether more than half the connections are open.
    fn busy(&self) -> bool {
        let open = self
            .limits
            .max_connections
            .saturating_sub(self.permits.available_permits());
        open > self.limits.max_connections / 2
    }

    /// Maps a pending write to an error once it has waited too long; any result disarms. The
    /// stall is checked every `busy_write_timeout` (at most), so a connection that stalled
    /// while the server was quiet is given up soon after the server becomes busy.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let check = self
            .limits
            .busy_write_timeout
            .min(self.limits.write_timeout);
        loop {
            let (since, timer) = self.stalled.get_or_insert_with(|| {
                let now = tokio::time::Instant::now();
                (now, Box::pin(tokio::time::sleep_until(now + check)))
            });
            let since = *since;
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let waited = since.elapsed();
            if waited >= self.limits.write_timeout
                || (waited >= self.limits.busy_write_timeout && self.busy())
            {
                return Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the client read nothing of the response in time",
                )));
            }
            let next = (since + self.limits.write_timeout).min(tokio::time::Instant::now() + check);
            if let Some((_, timer)) = self.stalled.as_mut() {
                timer.as_mut().reset(next);
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_leave_descriptors_for_the_rest() {
        // Two descriptors a connection (socket and the file sent) within what the reserve
        // leaves: no descriptor is ever missing for a download under the cap.
        assert_eq!(connections_for(256), 96);
        assert_eq!(connections_for(1024), 384);
        assert_eq!(connections_for(100), 18);
        assert_eq!(connections_for(20), 8);
        assert_eq!(connections_for(1 << 20), 10_000);
    }
}
