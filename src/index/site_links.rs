//! Where a link written in a record's text points on the site: a record, or a product.
//!
//! Archivists link to the site's own pages by hand, relative (`/records/id`) or absolute with the
//! site's own address (`https://disan.example/en/records/id?x#y`, as pasted from a browser's
//! address bar, often percent-encoded). Every form a browser would follow to the same page must be
//! judged alike by [`super::public_text`] and `web::text_names`: a link to a hidden record or
//! product that survived by being written differently would name what "does not exist" for the
//! reader (fix14). This module owns that reading ([`target`]).
//!
//! A destination is read as a browser reads it, then matched against the site's routes:
//! - tabs and line breaks are removed, spaces and control characters around it and `<…>` taken
//!   off; Markdown's backslash escapes and numeric character references (`&#47;`) undone;
//!   percent-encoding decoded once (`%72ecords`, `%2F`), as the server decodes a path; `\` read as
//!   `/` (browsers do so in http(s) URLs); the whole put in NFC (a host written in NFD is the
//!   same host).
//! - An absolute link (`http:` or `https:`, any case, any number of slashes) or a scheme-relative
//!   one (`//host/…`) is the site's own when its host is one of [`OwnSite`]'s (case and a final
//!   dot aside, a Unicode label and its `xn--` Punycode alike; scheme, port and user name are not
//!   considered: deny by default) and its path lies
//!   under the site's path prefix. Any other host's link is its author's and is left alone; so is
//!   a link of another scheme (`mailto:`).
//! - A relative path is the site's; one without a leading `/` (`secret-id`, `../records/id`) is
//!   resolved against the page record texts are shown on (`/records/{id}`).
//! - Dot segments are resolved (`/en/../records/id`), query and fragment dropped, then `/en` and
//!   `/api` taken off: `/records/{id}`, `/media/{id}/…` and `/record/{id}/views` (a staff page)
//!   name a record, `/products/{id}` a product ([`Target`]).

use crate::model::text::nfc;

/// The addresses that are the site's own: an absolute link to one of them is judged as the same
/// link written relative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OwnSite {
    /// The site is served at these addresses (`disan serve --public-url`): hosts lower-cased
    /// without a final dot, each with its path prefix (`""`, or `/disan` for a site served under
    /// a folder). No address at all: only relative links are the site's.
    At(Vec<(String, String)>),
    /// Any host is taken as the site's: for the search index, which `disan ingest` and
    /// `disan reindex` build without knowing the address the site is served at. Deny by default:
    /// another site's `/records/{id}` link to no public record here is then not indexed as a link
    /// (its words stay).
    AnyHost,
}

impl OwnSite {
    /// The site served at `origins` (`https://disan.example`, `http://127.0.0.1:8080`,
    /// `https://example.org/disan`); an origin that is not an http(s) URL is ignored.
    pub fn at(origins: &[&str]) -> OwnSite {
        OwnSite::At(
            origins
                .iter()
                .filter_map(|origin| {
                    let read = read_destination(origin);
                    let lower = read.to_ascii_lowercase();
                    let rest = ["https:", "http:"].iter().find_map(|scheme| {
                        lower.strip_prefix(scheme).map(|_| &read[scheme.len()..])
                    })?;
                    let (host, path) = authority(rest.trim_start_matches('/'));
                    let path = path.split(['?', '#']).next().unwrap_or_default();
                    (!host.is_empty()).then(|| (host, path.trim_end_matches('/').to_string()))
                })
                .collect(),
        )
    }

    /// No address: only relative links are the site's (where the address is not known and
    /// other hosts' links must be left alone, such as a story's own rendering of a text already
    /// made public).
    pub fn relative_only() -> OwnSite {
        OwnSite::At(Vec::new())
    }
}

/// What a link points at on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A record: `/records/{id}`, `/media/{id}/…`, `/iiif/3/{id}/…` (its image services and
    /// manifest), `/api/records/{id}`, `/record/{id}/views` (and `/en/…`).
    Record(String),
    /// A product: `/products/{id}`, `/api/products/{id}` (and `/en/…`).
    Product(String),
}

/// What the link `destination` points at on the site `own` ([`OwnSite`]; the module doc says how
/// it is read): `None` for another host's link, another scheme, a fragment or query of the same
/// page, or a site path that names no record or product.
pub fn target(destination: &str, own: &OwnSite) -> Option<Target> {
    let read = read_destination(destination);
    let path = site_path(&read, own)?;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = remove_dot_segments(path);
    let path = strip_segment(&path, "/en");
    let path = strip_segment(path, "/api");
    // An id ends where a character no id holds begins (`/records/a,` in a sentence names `a`).
    let first = |rest: &str| {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(rest.len());
        Some(&rest[..end])
            .filter(|id| !id.is_empty())
            .map(str::to_string)
    };
    if let Some(rest) = path.strip_prefix("/records/") {
        first(rest).map(Target::Record)
    } else if let Some(rest) = path
        .strip_prefix("/media/")
        .or_else(|| path.strip_prefix("/record/"))
    {
        first(rest).map(Target::Record)
    } else if let Some(rest) = path.strip_prefix("/iiif/3/") {
        // A record's image service or manifest; a village's or craft's collection names none.
        rest.strip_prefix("collection/")
            .is_none()
            .then(|| first(rest).map(Target::Record))
            .flatten()
    } else if let Some(rest) = path.strip_prefix("/products/") {
        first(rest).map(Target::Product)
    } else {
        None
    }
}

/// Every place in `text` where a site path or URL is written bare (not as a Markdown link: a
/// plain-text note, a PDF's text, an HTML attribute), as [`target`] reads it: a word holding an
/// absolute URL is judged as that URL (another host's is left alone) and what comes before it
/// in the word, like any other word, by each `/records/`, `/record/`, `/media/`, `/iiif/3/`
/// and `/products/` it holds, wherever it stands. A
/// final `.` is read as the sentence's (`… /records/id.`), not the id's.
pub fn bare_targets(text: &str, own: &OwnSite) -> Vec<Target> {
    bare_targets_as_written(text, own)
        .into_iter()
        .map(|found| match found {
            Target::Record(id) => Target::Record(id.trim_end_matches('.').to_string()),
            Target::Product(id) => Target::Product(id.trim_end_matches('.').to_string()),
        })
        .collect()
}

/// [`bare_targets`], ids as written.
fn bare_targets_as_written(text: &str, own: &OwnSite) -> Vec<Target> {
    let mut found = Vec::new();
    for word in text.split(|c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`' | '(' | ')' | '[' | ']')
    }) {
        if !word.contains(['/', '\\', '%', '&']) {
            continue;
        }
        let read = read_destination(word);
        // What comes before a URL in the word is judged by its paths (`/records/id//` is no
        // URL); the URL as a whole.
        let before = match absolute_start(&read) {
            Some(start) => {
                found.extend(target(&read[start..], own));
                &read[..start]
            }
            None => &read[..],
        };
        for marker in ["/records/", "/record/", "/media/", "/iiif/3/", "/products/"] {
            for (at, _) in before.match_indices(marker) {
                found.extend(target(&before[at..], own));
            }
        }
    }
    found
}

/// Where an absolute or scheme-relative URL starts in `word` (already read by
/// [`read_destination`]): `http:`/`https:` followed by a slash, or `//`.
pub fn absolute_start(word: &str) -> Option<usize> {
    let lower = word.to_ascii_lowercase();
    let scheme = ["https:/", "http:/"]
        .iter()
        .filter_map(|scheme| lower.find(scheme))
        .min();
    scheme.or_else(|| lower.find("//"))
}

/// `destination` read as a browser reads it (the module doc's first point).
fn read_destination(destination: &str) -> String {
    let kept: String = destination
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let trimmed = kept
        .trim_matches(|c: char| c <= ' ')
        .trim_start_matches('<')
        .trim_end_matches('>');
    let unescaped = unescape_markdown(trimmed);
    let decoded = percent_decode(&unescaped).replace('\\', "/");
    nfc(&decoded).into_owned()
}

/// `text` with Markdown's backslash escapes (`\/`, `\_`) and numeric character references
/// (`&#47;`, `&#x2F;`) undone, and the named references a path may be hidden behind.
fn unescape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\\'
            && let Some(next) = rest[1..].chars().next()
            && next.is_ascii_punctuation()
            && next != '\\'
        {
            out.push(next);
            rest = &rest[1 + next.len_utf8()..];
            continue;
        }
        if c == '&'
            && let Some(end) = rest.find(';').filter(|&end| end <= 12)
            && let Some(decoded) = character_reference(&rest[1..end])
        {
            out.push(decoded);
            rest = &rest[end + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The character of a reference's name (between `&` and `;`): numeric, or one of the named ones
/// a path is written with.
fn character_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "sol" => '/',
        "bsol" => '\\',
        "colon" => ':',
        "period" => '.',
        "lowbar" => '_',
        "hyphen" | "dash" => '-',
        "quest" => '?',
        "num" => '#',
        "percnt" => '%',
        "amp" => '&',
        "commat" => '@',
        _ => return None,
    })
}

/// `text` with every `%` and two hex digits decoded once (as bytes; what is not UTF-8 afterwards
/// is replaced, and then names no valid id).
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The host (lower-cased, without user name, port or final dot) and the rest (path, query,
/// fragment) of `rest`, which starts with a URL's authority.
fn authority(rest: &str) -> (String, &str) {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    (ascii_host(host.trim_end_matches('.')), path)
}

/// `host` as a browser sends it (IDNA's ASCII form, approximately): lower-cased, the ideographic
/// full stops read as dots, and each label holding other than ASCII written `xn--` and its
/// Punycode ([`punycode`]), so `bücher.example` and `xn--bcher-kva.example` are one host.
fn ascii_host(host: &str) -> String {
    let host = host
        .to_lowercase()
        .replace(['\u{3002}', '\u{FF0E}', '\u{FF61}'], ".");
    host.split('.')
        .map(|label| {
            if label.is_ascii() {
                label.to_string()
            } else {
                punycode(label).map_or_else(|| label.to_string(), |code| format!("xn--{code}"))
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The Punycode of `label` (RFC 3492 §6.3, without the `xn--`); `None` for a label longer than
/// a DNS label may be (63), which no browser would send either.
fn punycode(label: &str) -> Option<String> {
    const BASE: u64 = 36;
    const TMIN: u64 = 1;
    const TMAX: u64 = 26;
    const SKEW: u64 = 38;
    const DAMP: u64 = 700;
    let input: Vec<u64> = label.chars().map(|c| u64::from(u32::from(c))).collect();
    if input.len() > 63 {
        return None;
    }
    let adapt = |delta: u64, points: u64, first: bool| {
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + SKEW)
    };
    let digit = |d: u64| {
        char::from(if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        })
    };
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u64;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u64, 0u64, 72u64, basic);
    while (handled as usize) < input.len() {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta += (m - n) * (handled + 1);
        n = m;
        for &c in &input {
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// The path (query and fragment included) on the site that the read destination `read` names,
/// its prefix taken off; `None` when it is not the site's.
fn site_path(read: &str, own: &OwnSite) -> Option<String> {
    let lower = read.to_ascii_lowercase();
    let after_scheme = ["https:", "http:"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme).map(|_| &read[scheme.len()..]));
    let authority_form = match after_scheme {
        Some(rest) => Some(rest.trim_start_matches('/')),
        None => read
            .strip_prefix("//")
            .map(|rest| rest.trim_start_matches('/')),
    };
    if let Some(rest) = authority_form {
        let (host, path) = authority(rest);
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        return match own {
            OwnSite::AnyHost => Some(path),
            OwnSite::At(origins) => origins
                .iter()
                .filter(|(own_host, _)| *own_host == host)
                .find_map(|(_, prefix)| under_prefix(&path, prefix)),
        };
    }
    let has_scheme = read.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    }) && !read.starts_with('/');
    if has_scheme || read.is_empty() || read.starts_with(['?', '#']) {
        return None;
    }
    if !read.starts_with('/') {
        // Relative to the page record texts are shown on, `/records/{id}`.
        return Some(format!("/records/{read}"));
    }
    // A site served under a folder: a relative link may name it (`/disan/records/id`).
    let prefixed = match own {
        OwnSite::At(origins) => origins
            .iter()
            .filter(|(_, prefix)| !prefix.is_empty())
            .find_map(|(_, prefix)| under_prefix(read, prefix)),
        OwnSite::AnyHost => None,
    };
    Some(prefixed.unwrap_or_else(|| read.to_string()))
}

/// `path` without the site's `prefix` (`/disan`), `None` when it lies elsewhere on the host.
fn under_prefix(path: &str, prefix: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some(path.to_string());
    }
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        Some(if rest.starts_with('/') {
            rest.to_string()
        } else {
            format!("/{rest}")
        })
    } else {
        None
    }
}

/// `path` (starting with `/`) with its `.` and `..` segments resolved, as RFC 3986 §5.2.4 does.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (n, segment) in segments.iter().enumerate() {
        let last = n + 1 == segments.len();
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    format!("/{}", out.join("/"))
}

/// `path` without its leading segment `segment` (`/en`), when it has it.
fn strip_segment<'a>(path: &'a str, segment: &str) -> &'a str {
    match path.strip_prefix(segment) {
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own() -> OwnSite {
        OwnSite::at(&["https://Disan.Example/"])
    }

    fn record(id: &str) -> Option<Target> {
        Some(Target::Record(id.to_string()))
    }

    /// fix14: every form of a link to the site's own record page names that record.
    #[test]
    fn absolute_links_at_the_sites_own_host_name_what_relative_ones_name() {
        let forms = [
            "/records/an-bi-mat",
            "https://disan.example/records/an-bi-mat",
            "HTTPS://DISAN.EXAMPLE/records/an-bi-mat",
            "http://disan.example/records/an-bi-mat",
            "https://disan.example./records/an-bi-mat",
            "https://disan.example:443/en/records/an-bi-mat?x=1#y",
            "https://user@disan.example/records/an-bi-mat",
            "//disan.example/records/an-bi-mat",
            "https:///disan.example/records/an-bi-mat",
            "https://disan.example\\records\\an-bi-mat",
            "<https://disan.example/records/an-bi-mat>",
            "https://disan.example/%72ecords/%61n-bi-mat",
            "https://disan.example/records%2Fan-bi-mat",
            "https://disan.example/en/../records/./an-bi-mat",
            "https://disan.example/media/an-bi-mat/files/p.mp4",
            "https://disan.example/iiif/3/an-bi-mat/0/full/max/0/default.jpg",
            "/iiif/3/an-bi-mat/manifest",
            "https://disan.example/api/records/an-bi-mat",
            "https://disan.example/record/an-bi-mat/views",
            "https://disan.example/en/api/records/an-bi-mat",
            "https:&#x2F;&#x2F;disan.example&#47;records&sol;an-bi-mat",
            "https:\\/\\/disan.example\\/records\\/an-bi-mat",
            " https://disan.exa\nmple/records/an-bi-mat ",
            "an-bi-mat",
            "../records/an-bi-mat",
        ];
        for form in forms {
            assert_eq!(target(form, &own()), record("an-bi-mat"), "{form}");
        }
        assert_eq!(
            target("https://disan.example/en/products/sp-mat?x", &own()),
            Some(Target::Product("sp-mat".to_string()))
        );
    }

    #[test]
    fn other_hosts_schemes_and_same_page_links_are_not_the_sites() {
        for other in [
            "https://example.org/records/an-bi-mat",
            "https://disan.example.org/records/an-bi-mat",
            "https://evil.example/?u=https://disan.example/records/an-bi-mat",
            "mailto:an-bi-mat@disan.example",
            "#records",
            "?q=/records/an-bi-mat",
            "",
            "https://disan.example/",
            "https://disan.example/villages/an-bi-mat",
            "https://disan.example/iiif/3/collection/village/an-bi-mat",
        ] {
            assert_eq!(target(other, &own()), None, "{other}");
        }
        assert_eq!(
            target("https://example.org/records/x", &OwnSite::AnyHost),
            record("x")
        );
        assert_eq!(
            target("https://disan.example/records/x", &OwnSite::relative_only()),
            None
        );
    }

    /// A host written in NFD is the host written in NFC; a site under a folder owns only it.
    #[test]
    fn hosts_are_compared_in_nfc_and_prefixes_are_kept() {
        let own = OwnSite::at(&["https://di-s\u{1EA3}n.example/kho"]);
        let nfd = "https://di-sa\u{309}n.example/kho/records/x";
        assert_eq!(target(nfd, &own), record("x"));
        assert_eq!(target("/kho/en/records/x", &own), record("x"));
        assert_eq!(target("https://di-sản.example/records/x", &own), None);
        assert_eq!(target("https://di-sản.example/khoa/records/x", &own), None);
    }

    /// A host written in Unicode and its IDNA ASCII form (`xn--…`, RFC 3492's examples) are one
    /// host, whichever the site's address and the link use.
    #[test]
    fn unicode_hosts_and_their_punycode_are_one_host() {
        assert_eq!(punycode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(punycode("münchen").as_deref(), Some("mnchen-3ya"));
        assert_eq!(
            punycode("tạisaohọkhôngthểchỉnóitiếngviệt").as_deref(),
            Some("tisaohkhngthchnitingvit-kjcr8268qyxafd2f1b9g")
        );
        let unicode = OwnSite::at(&["https://Bücher.example"]);
        let ascii = OwnSite::at(&["https://xn--bcher-kva.example"]);
        for (own, link) in [
            (&unicode, "https://xn--bcher-kva.example/records/x"),
            (&ascii, "https://bücher.example/records/x"),
            (&ascii, "https://BU\u{308}CHER.example/records/x"),
            (&ascii, "https://b%C3%BCcher\u{3002}example/records/x"),
        ] {
            assert_eq!(target(link, own), record("x"), "{link}");
        }
        assert_eq!(target("https://bucher.example/records/x", &ascii), None);
    }

    #[test]
    fn bare_urls_and_paths_are_found_in_plain_text() {
        let text = "Xem https://disan.example/records/a, <a href=\"/en/records/b\">b</a>, \
                    https://example.org/records/c, xem:/media/d/files/e.jpg và /products/f.";
        assert_eq!(
            bare_targets(text, &own()),
            [
                Target::Record("a".into()),
                Target::Record("b".into()),
                Target::Record("d".into()),
                Target::Product("f".into()),
            ]
        );
        // A path before something that looks like a URL is still judged.
        assert_eq!(
            bare_targets(
                "/records/a// và x/record/b/views,https://example.org/records/c",
                &own()
            ),
            [Target::Record("a".into()), Target::Record("b".into())]
        );
    }
}
