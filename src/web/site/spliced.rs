//! A page rendered once for an audience and served to each of its viewers with their own header
//! (issue 13, item 7): the kept page has a hole where the signed-in header goes (name, link to
//! the account, sign-out form with the session's anti-forgery token), filled for each request
//! with that request's fragment. What is kept holds nothing of any one person, so it may be
//! shared by every viewer of the audience; the fragment is never kept in a shared page.
//!
//! Compressed answers cost no recompression: the part before the hole is kept as a gzip header
//! and raw DEFLATE ended by a sync flush (so it stops at a byte boundary and the stream goes on),
//! the part after it as raw DEFLATE with the final block, and the fragment goes between them as
//! stored (uncompressed) DEFLATE blocks. RFC 1951 lets blocks of any kind follow one another, and
//! back-references only reach into what was already decoded, so the three make one valid stream;
//! the gzip trailer's CRC-32 and length are those of the whole page. Clients that accept gzip get
//! it (Brotli streams cannot be joined this way); others get the page uncompressed.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::web::compress;

/// A page cut where each viewer's header goes.
#[derive(Debug)]
pub struct Spliced {
    before: Bytes,
    after: Bytes,
    gzip: OnceLock<Gzip>,
}

/// The compressed parts, made when first asked for.
#[derive(Debug)]
struct Gzip {
    /// The gzip header and the part before the hole as raw DEFLATE, sync-flushed.
    before: Vec<u8>,
    /// The part after the hole as raw DEFLATE, with the final block.
    after: Vec<u8>,
}

/// The gzip member header (RFC 1952): magic, DEFLATE, no flags, no time, no extra flags, OS
/// unknown, as flate2 writes it.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

impl Spliced {
    /// `page` cut at the first `marker`; `None` when it holds none.
    pub fn cut(page: &[u8], marker: &str) -> Option<Self> {
        let at = page
            .windows(marker.len())
            .position(|window| window == marker.as_bytes())?;
        Some(Spliced {
            before: Bytes::copy_from_slice(&page[..at]),
            after: Bytes::copy_from_slice(&page[at + marker.len()..]),
            gzip: OnceLock::new(),
        })
    }

    /// The page with `fragment` in its hole, uncompressed.
    pub fn whole(&self, fragment: &str) -> Vec<u8> {
        let mut page = Vec::with_capacity(self.before.len() + fragment.len() + self.after.len());
        page.extend_from_slice(&self.before);
        page.extend_from_slice(fragment.as_bytes());
        page.extend_from_slice(&self.after);
        page
    }

    /// The page with `fragment` in its hole, gzip-compressed (see the module's documentation).
    pub fn gzipped(&self, fragment: &str) -> Vec<u8> {
        let gzip = self.gzip.get_or_init(|| Gzip {
            before: {
                let mut encoder = flate2::write::DeflateEncoder::new(
                    GZIP_HEADER.to_vec(),
                    flate2::Compression::new(compress::LEVEL as u32),
                );
                encoder.write_all(&self.before).expect("writing to memory");
                encoder.flush().expect("writing to memory");
                // Everything up to the sync flush; the final block the encoder would add when
                // dropped is not wanted.
                encoder.get_ref().clone()
            },
            after: {
                let mut encoder = flate2::write::DeflateEncoder::new(
                    Vec::new(),
                    flate2::Compression::new(compress::LEVEL as u32),
                );
                encoder.write_all(&self.after).expect("writing to memory");
                encoder.finish().expect("writing to memory")
            },
        });
        let mut body =
            Vec::with_capacity(gzip.before.len() + fragment.len() + gzip.after.len() + 32);
        body.extend_from_slice(&gzip.before);
        for chunk in fragment.as_bytes().chunks(usize::from(u16::MAX)) {
            // A stored block that is not the last: BFINAL 0, BTYPE 00, padded to the byte
            // boundary the sync flush left, then LEN and its one's complement (little-endian).
            let length = chunk.len() as u16;
            body.push(0);
            body.extend_from_slice(&length.to_le_bytes());
            body.extend_from_slice(&(!length).to_le_bytes());
            body.extend_from_slice(chunk);
        }
        body.extend_from_slice(&gzip.after);
        let mut crc = flate2::Crc::new();
        crc.update(&self.before);
        crc.update(fragment.as_bytes());
        crc.update(&self.after);
        body.extend_from_slice(&crc.sum().to_le_bytes());
        body.extend_from_slice(&crc.amount().to_le_bytes());
        body
    }

    /// The page with `fragment` in its hole as a response of `content_type`: gzip when the
    /// request accepts it, else uncompressed.
    pub fn response(
        &self,
        fragment: &str,
        request: &HeaderMap,
        content_type: &'static str,
    ) -> Response {
        let gzip = compress::accepts_gzip(request);
        let body = if gzip {
            self.gzipped(fragment)
        } else {
            self.whole(fragment)
        };
        let mut response = body.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(
            header::VARY,
            HeaderValue::from_static(header::ACCEPT_ENCODING.as_str()),
        );
        if gzip {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn each_fragment_fills_the_hole_plain_and_gzipped() {
        let marker = "<!--hole-->";
        let page = format!(
            "<header>{marker}</header>{}",
            "<p>Làng nghề dệt lụa Nha Xá</p>\n".repeat(400)
        );
        let spliced = Spliced::cut(page.as_bytes(), marker).unwrap();
        assert!(Spliced::cut(b"no hole", marker).is_none());
        // The empty fragment, a short one, and one longer than a stored block holds.
        let long = "ệ".repeat(40_000);
        for fragment in ["", "<a href=\"/account\">lan</a>", long.as_str()] {
            let expected = page.replacen(marker, fragment, 1);
            assert_eq!(spliced.whole(fragment), expected.as_bytes());
            let gzipped = spliced.gzipped(fragment);
            let mut unzipped = Vec::new();
            flate2::read::GzDecoder::new(&gzipped[..])
                .read_to_end(&mut unzipped)
                .unwrap();
            assert_eq!(unzipped, expected.as_bytes(), "{}", fragment.len());
            // Compressed: far smaller than the page but for the stored fragment.
            assert!(
                gzipped.len() < expected.len() / 4 + fragment.len(),
                "{}",
                gzipped.len()
            );
        }
        let mut accepts = HeaderMap::new();
        accepts.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, br"),
        );
        let response = spliced.response("x", &accepts, "text/html; charset=utf-8");
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let response = spliced.response("x", &HeaderMap::new(), "text/html; charset=utf-8");
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
