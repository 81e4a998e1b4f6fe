//! Text formats known from content: plain text, HTML, XML and SVG.
//!
//! A head that decodes as UTF-8 or BOM-marked UTF-16 without stray control characters is text;
//! its prolog (declaration, comments, doctype) and root element tell markup apart. Kinds of text
//! that content cannot reveal (Markdown, CSV...) are left to the extension, see
//! [`refine_text`](super::refine_text).

use std::borrow::Cow;

use super::{Format, HTML, SVG, TEXT, XML};

/// Plain text, HTML, XML or SVG, when the head decodes as text with no control characters
/// but tab, line breaks and form feed.
pub(super) fn sniff_text(h: &[u8]) -> Option<&'static Format> {
    let text = decode_text(h)?;
    let forbidden = |c: char| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c');
    if text.is_empty() || text.chars().any(forbidden) {
        return None;
    }
    Some(classify_markup(&text).unwrap_or(&TEXT))
}

/// Decodes the head as UTF-8 or BOM-marked UTF-16, tolerating a character cut off by the end
/// of the head.
fn decode_text(h: &[u8]) -> Option<Cow<'_, str>> {
    let utf16 = |bytes: &[u8], decode: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| decode([c[0], c[1]]))
            .collect();
        let mut out = String::with_capacity(units.len());
        for (i, r) in char::decode_utf16(units.iter().copied()).enumerate() {
            match r {
                Ok(c) => out.push(c),
                // A lone high surrogate is fine only as the very last unit of the head.
                Err(e)
                    if i + 1 == units.len()
                        && (0xD800..0xDC00).contains(&e.unpaired_surrogate()) => {}
                Err(_) => return None,
            }
        }
        Some(Cow::Owned(out))
    };
    if let Some(rest) = h.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = h.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    let body = h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h);
    match std::str::from_utf8(body) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(e) if e.error_len().is_none() => Some(Cow::Borrowed(
            std::str::from_utf8(&body[..e.valid_up_to()]).ok()?,
        )),
        Err(_) => None,
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn markup_name(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.')))
        .unwrap_or(s.len());
    &s[..end]
}

/// Recognises XML, HTML and SVG by walking the prolog (declaration, comments, processing
/// instructions, doctype) to the root element.
fn classify_markup(text: &str) -> Option<&'static Format> {
    let mut rest = text.trim_start();
    let mut declared = false;
    let mut doctype = String::new();
    let fallback = |declared: bool, doctype: &str| {
        if doctype.eq_ignore_ascii_case("svg") {
            Some(&SVG)
        } else if doctype.eq_ignore_ascii_case("html") {
            Some(&HTML)
        } else if declared || !doctype.is_empty() {
            Some(&XML)
        } else {
            None
        }
    };
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            declared |= r.starts_with("xml");
            let Some(end) = r.find("?>") else {
                return fallback(declared, &doctype);
            };
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            let Some(end) = r.find("-->") else {
                return fallback(declared, &doctype);
            };
            rest = &r[end + 3..];
        } else if let Some(r) = strip_prefix_ci(rest, "<!doctype") {
            let r = r.trim_start();
            doctype = markup_name(r).to_owned();
            // An internal subset may contain '>' inside its declarations.
            let end = match (r.find('['), r.find('>')) {
                (Some(open), Some(close)) if open < close => r[open..]
                    .find("]")
                    .and_then(|c| r[open + c..].find('>').map(|g| open + c + g)),
                (_, close) => close,
            };
            let Some(end) = end else {
                return fallback(declared, &doctype);
            };
            rest = &r[end + 1..];
        } else {
            break;
        }
        rest = rest.trim_start();
    }
    let Some(after) = rest.strip_prefix('<') else {
        return fallback(declared, &doctype);
    };
    let name = markup_name(after);
    if name.is_empty() || !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        return fallback(declared, &doctype);
    }
    let local = name.rsplit(':').next().unwrap_or(name);
    if local.eq_ignore_ascii_case("svg") {
        return Some(&SVG);
    }
    if ["html", "head", "body"]
        .iter()
        .any(|t| local.eq_ignore_ascii_case(t))
        || doctype.eq_ignore_ascii_case("html")
    {
        return Some(&HTML);
    }
    let tag_end = after.find('>').map_or(after, |i| &after[..i]);
    let looks_xml = declared
        || !doctype.is_empty()
        || tag_end.contains("xmlns")
        || tag_end.ends_with('/')
        || after.contains(&format!("</{name}"));
    looks_xml.then_some(&XML)
}

#[cfg(test)]
mod tests {
    use crate::ingest::format::{HTML, OCTET_STREAM, SVG, TEXT, XML, sniff};

    fn utf16le(s: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        v
    }

    #[test]
    fn text_and_encodings() {
        assert_eq!(sniff(b"# Heading\n\nBody\ttext\r\n\x0c"), &TEXT);
        assert_eq!(sniff("Làng gốm Bát Tràng".as_bytes()), &TEXT);
        assert_eq!(sniff(b"\xEF\xBB\xBFhello"), &TEXT);
        let cut = "gốm".as_bytes();
        assert_eq!(
            sniff(&cut[..cut.len() - 1]),
            &TEXT,
            "cut multi-byte char at the end"
        );
        assert_eq!(
            sniff(b"g\xE1\xBBm"),
            &OCTET_STREAM,
            "broken sequence in the middle"
        );
        assert_eq!(sniff(b"abc\0def"), &OCTET_STREAM);
        assert_eq!(sniff(b"abc\x1b[0m"), &OCTET_STREAM);
        assert_eq!(sniff(&utf16le("Nón lá")), &TEXT);
        let mut be = vec![0xFE, 0xFF];
        be.extend("<svg/>".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(sniff(&be), &SVG);
        let mut cut16 = utf16le("a😀");
        cut16.truncate(cut16.len() - 2);
        assert_eq!(sniff(&cut16), &TEXT, "high surrogate cut at the end");
        assert_eq!(
            sniff(b"\xFF\xFEa\0\0\xDCb\0"),
            &OCTET_STREAM,
            "lone low surrogate"
        );
        assert_eq!(sniff(b""), &OCTET_STREAM);
        assert_eq!(sniff(b"\xFF\xFE"), &OCTET_STREAM);
    }

    #[test]
    fn markup() {
        let svg = "\u{feff}<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC \
                   \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [<!ENTITY a \"<b>\">]>\n<svg xmlns=\"x\">";
        assert_eq!(sniff(svg.as_bytes()), &SVG);
        assert_eq!(
            sniff(b"<svg:svg xmlns:svg='http://www.w3.org/2000/svg'>"),
            &SVG
        );
        assert_eq!(
            sniff(b"<?xml version='1.0'?><ead xmlns='urn:isbn:1-931666-22-9'>"),
            &XML
        );
        assert_eq!(sniff(b"<record><title>x</title></record>"), &XML);
        assert_eq!(sniff(b"<?xml version='1.0'?><!-- never closed"), &XML);
        assert_eq!(sniff(b"<!DOCTYPE html>\n<html lang=vi>"), &HTML);
        assert_eq!(sniff(b"<!doctype HTML><title>x</title>"), &HTML);
        assert_eq!(
            sniff(b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>"),
            &HTML
        );
        assert_eq!(sniff(b"<b>bold</b> claims"), &XML);
        assert_eq!(sniff(b"<3 the pottery"), &TEXT);
    }
}
