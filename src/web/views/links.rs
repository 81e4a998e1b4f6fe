//! URLs the pages link to: archived files and query-string values, percent-encoded.

/// The URL of the archived file at logical path `path` (`files/…`) of record `id`:
/// `/media/{id}/{path}`, each segment of `path` percent-encoded but for RFC 3986's unreserved
/// characters, so a name holding `?`, `#`, `%` or a space links to itself (the router decodes it).
pub fn media_url(id: &str, path: &str) -> String {
    let mut url = format!("/media/{id}");
    for segment in path.split('/') {
        url.push('/');
        for byte in segment.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    url.push(byte as char)
                }
                _ => url.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    url
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char)
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("dệt lụa&x"), "d%E1%BB%87t+l%E1%BB%A5a%26x");
    }
}
