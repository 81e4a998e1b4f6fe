//! Compression of what the site generates: pages, the API, sitemaps, CSS and JavaScript, sent
//! with Brotli or gzip to clients that accept them (a record page's HTML goes from about 18 KB to
//! 4 KB, which matters on a phone in a village). Files from the archive and their derivatives are
//! never compressed: they are sent byte for byte as preserved, with Range requests and an ETag of
//! their own bytes, and photos, films and fonts are compressed already.
//!
//! Most responses are compressed as they go out, by [`layer`]. Record pages, which are rendered
//! once and served many times, keep their compressed forms too ([`Encodings`]): compressing on
//! every request would cost six times what serving the kept page does.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version, header};
use axum::response::{IntoResponse, Response};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Below this many bytes compression saves less than it costs.
const SMALLEST: u16 = 1024;
/// Brotli 4 and gzip 4: most of the saving of the slow levels at a fraction of their time
/// (Brotli's own default, 11, takes milliseconds per page).
pub(super) const LEVEL: i32 = 4;

/// Marks a response carrying a file of the archive (an original or a derivative), which is sent
/// as stored.
#[derive(Debug, Clone, Copy)]
pub struct Preserved;

/// The layer compressing generated text responses.
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(LEVEL))
        .compress_when(SizeAbove::new(SMALLEST).and(generated_text))
}

/// A body and its compressed forms, each made when first asked for.
#[derive(Debug)]
pub struct Encodings {
    plain: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

/// A content coding Disan sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Coding {
    Gzip,
    Brotli,
}

impl Encodings {
    /// `plain`, not yet compressed.
    pub fn new(plain: Bytes) -> Self {
        Encodings {
            plain,
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// The bytes before any coding (what a validator of the content is computed from).
    pub fn plain(&self) -> &Bytes {
        &self.plain
    }

    /// A response of `content_type` in the coding the request prefers, saying which.
    pub fn response(&self, request: &HeaderMap, content_type: &'static str) -> Response {
        let coding = (self.plain.len() > usize::from(SMALLEST))
            .then(|| preferred(request))
            .flatten();
        let body = match coding {
            None => self.plain.clone(),
            Some(Coding::Brotli) => self.brotli.get_or_init(|| brotli(&self.plain)).clone(),
            Some(Coding::Gzip) => self.gzip.get_or_init(|| gzip(&self.plain)).clone(),
        };
        let mut response = body.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(
            header::VARY,
            HeaderValue::from_static(header::ACCEPT_ENCODING.as_str()),
        );
        if let Some(coding) = coding {
            let name = match coding {
                Coding::Brotli => "br",
                Coding::Gzip => "gzip",
            };
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        response
    }
}

fn brotli(plain: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(plain.len() / 3);
    {
        // 4 as in `LEVEL`; a 22-bit window, Brotli's default.
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, LEVEL as u32, 22);
        writer.write_all(plain).expect("writing to memory");
    }
    Bytes::from(out)
}

fn gzip(plain: &[u8]) -> Bytes {
    let mut writer = flate2::write::GzEncoder::new(
        Vec::with_capacity(plain.len() / 3),
        flate2::Compression::new(LEVEL as u32),
    );
    writer.write_all(plain).expect("writing to memory");
    Bytes::from(writer.finish().expect("writing to memory"))
}

/// The coding `Accept-Encoding` prefers: the highest q-value, Brotli before gzip at equal ones;
/// `None` for no compression.
fn preferred(request: &HeaderMap) -> Option<Coding> {
    accepted(request)
        .filter(|(weight, _)| *weight > 0)
        .max()
        .map(|(_, coding)| coding)
}

/// Whether `Accept-Encoding` accepts gzip (a q-value above 0), whatever it prefers: pages joined
/// for each signed-in request ([`super::site`]'s `Spliced`) are sent gzipped, since Brotli
/// streams cannot be joined.
pub(super) fn accepts_gzip(request: &HeaderMap) -> bool {
    accepted(request).any(|(weight, coding)| coding == Coding::Gzip && weight > 0)
}

/// The codings of `Accept-Encoding` Disan sends, each with its q-value in thousandths
/// (malformed q-values left out).
fn accepted(request: &HeaderMap) -> impl Iterator<Item = (u16, Coding)> + '_ {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|list| list.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let coding = if name.eq_ignore_ascii_case("br") {
                Coding::Brotli
            } else if name.eq_ignore_ascii_case("gzip") {
                Coding::Gzip
            } else {
                return None;
            };
            let weight = parts
                .filter_map(|p| {
                    let (key, value) = p.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("q").then(|| value.trim())
                })
                .next()
                .map_or(Some(1000), thousandths)?;
            Some((weight, coding))
        })
}

/// A q-value ("0.5", "1", "0.125") in thousandths; `None` when malformed.
fn thousandths(q: &str) -> Option<u16> {
    let (whole, fraction) = q.split_once('.').unwrap_or((q, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fraction: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(fraction),
        "1" if fraction == 0 => Some(1000),
        _ => None,
    }
}

/// Whether a response is text the site made, not a file of the archive.
fn generated_text(
    status: StatusCode,
    _: Version,
    headers: &HeaderMap,
    extensions: &Extensions,
) -> bool {
    if status == StatusCode::PARTIAL_CONTENT || extensions.get::<Preserved>().is_some() {
        return false;
    }
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/html"
            | "text/css"
            | "text/javascript"
            | "text/plain"
            | "text/xml"
            | "application/json"
            | "application/xml"
            | "image/svg+xml"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn typed(content_type: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers
    }

    fn accepting(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_preferred_coding_follows_q_values_then_brotli() {
        assert_eq!(
            preferred(&accepting("gzip, deflate, br")),
            Some(Coding::Brotli)
        );
        assert_eq!(preferred(&accepting("gzip")), Some(Coding::Gzip));
        assert_eq!(preferred(&accepting("br;q=0.5, gzip")), Some(Coding::Gzip));
        assert_eq!(
            preferred(&accepting("br;q=0, gzip;q=0.001")),
            Some(Coding::Gzip)
        );
        assert_eq!(preferred(&accepting("BR ; Q=1.000")), Some(Coding::Brotli));
        assert_eq!(preferred(&accepting("identity, deflate")), None);
        assert_eq!(preferred(&accepting("gzip;q=0")), None);
        assert_eq!(preferred(&accepting("gzip;q=2")), None);
        assert_eq!(preferred(&HeaderMap::new()), None);
        // Whether gzip is acceptable at all, whatever is preferred.
        assert!(accepts_gzip(&accepting("gzip, deflate, br")));
        assert!(accepts_gzip(&accepting("br;q=1, gzip;q=0.1")));
        assert!(!accepts_gzip(&accepting("br")));
        assert!(!accepts_gzip(&accepting("gzip;q=0, br")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn kept_encodings_decompress_to_the_plain_body() {
        let page = Bytes::from("<p>Làng nghề dệt lụa Nha Xá</p>\n".repeat(100));
        let kept = Encodings::new(page.clone());
        let gzipped = kept.response(&accepting("gzip"), "text/html; charset=utf-8");
        assert_eq!(gzipped.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(gzipped.headers()[header::VARY], "accept-encoding");
        let body = kept.gzip.get().unwrap();
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut unzipped)
            .unwrap();
        assert_eq!(unzipped, page);
        let brotli = kept.response(&accepting("br"), "text/html; charset=utf-8");
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        let mut unbrotli = Vec::new();
        std::io::Read::read_to_end(
            &mut ::brotli::Decompressor::new(&kept.brotli.get().unwrap()[..], 4096),
            &mut unbrotli,
        )
        .unwrap();
        assert_eq!(unbrotli, page);
        let plain = kept.response(&HeaderMap::new(), "text/html; charset=utf-8");
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }

    #[test]
    fn generated_text_is_compressed_and_archive_files_never_are() {
        let none = Extensions::new();
        let mut preserved = Extensions::new();
        preserved.insert(Preserved);
        let ok = StatusCode::OK;
        let http = Version::HTTP_11;
        for content_type in [
            "text/html; charset=utf-8",
            "application/json",
            "text/css; charset=utf-8",
            "text/javascript; charset=utf-8",
            "text/xml; charset=utf-8",
            "image/svg+xml",
        ] {
            let headers = typed(content_type);
            assert!(generated_text(ok, http, &headers, &none), "{content_type}");
            // The same type, as an original of the archive (an SVG pattern, a transcript).
            assert!(
                !generated_text(ok, http, &headers, &preserved),
                "{content_type}"
            );
        }
        for content_type in ["image/jpeg", "video/mp4", "font/woff2", "audio/wav"] {
            assert!(!generated_text(ok, http, &typed(content_type), &none));
        }
        let html = typed("text/html");
        assert!(!generated_text(
            StatusCode::PARTIAL_CONTENT,
            http,
            &html,
            &none
        ));
        assert!(!generated_text(ok, http, &HeaderMap::new(), &none));
    }
}
