//! Resumption tokens (OAI-PMH 2.0 §3.5): where the next page of a list begins, and the
//! selection the list was asked with.
//!
//! A token is a keyset position, not an offset: the `(datestamp, identifier)` of the last item
//! sent. The next page is the items after it in that order, as the repository holds them then,
//! so a token stays valid for ever (no `expirationDate`) and a harvest is not thrown off by
//! records added, changed or taken out meanwhile: an item changed during a harvest moves to
//! its new datestamp, later in the order, and is sent again there.
//!
//! The text is small and opaque to harvesters: base64url (no padding) of
//! `oai1\n<verb>\n<from>\n<until>\n<set>\n<datestamp>\n<id>\n<cursor>\n<check>`, where `from`,
//! `until` and `datestamp` are seconds since 1970 (empty when absent) and `check` the first 16
//! hexadecimal digits of the SHA-256 of the rest. The check catches a token cut short or
//! edited by hand; it is no secret and need not be: a token grants nothing (every item it can
//! reach is public), so forging one gains nothing a new request would not.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::listing::Selection;
use crate::model::Sha256;

/// The longest token accepted, in bytes: a real one is under 300.
const MAX_TOKEN: usize = 2048;

/// Which list a token continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListVerb {
    /// `ListIdentifiers`.
    Identifiers,
    /// `ListRecords`.
    Records,
}

impl ListVerb {
    /// The verb's name.
    pub fn name(self) -> &'static str {
        match self {
            ListVerb::Identifiers => "ListIdentifiers",
            ListVerb::Records => "ListRecords",
        }
    }
}

/// A decoded token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The list it continues.
    pub verb: ListVerb,
    /// The selection the list was first asked with.
    pub selection: Selection,
    /// The last item sent: its datestamp (seconds since 1970) and record id.
    pub after: (i64, String),
    /// How many items were sent before the page this token asks for.
    pub cursor: usize,
}

fn check(body: &str) -> String {
    Sha256::of(format!("disan oai token\n{body}").as_bytes()).to_hex()[..16].to_string()
}

fn optional(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl Token {
    /// The token's text.
    pub fn encode(&self) -> String {
        let body = format!(
            "oai1\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.verb.name(),
            optional(self.selection.from),
            optional(self.selection.until),
            self.selection.set.as_deref().unwrap_or_default(),
            self.after.0,
            self.after.1,
            self.cursor
        );
        let text = format!("{body}\n{}", check(&body));
        URL_SAFE_NO_PAD.encode(text.as_bytes())
    }

    /// Reads a token given with `verb`; `None` when it is not one this repository issued for
    /// that verb (garbage, altered, truncated, another verb's).
    pub fn decode(text: &str, verb: ListVerb) -> Option<Token> {
        if text.len() > MAX_TOKEN {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(text.as_bytes()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (body, sum) = text.rsplit_once('\n')?;
        if check(body) != sum {
            return None;
        }
        let parts: Vec<&str> = body.split('\n').collect();
        let [version, name, from, until, set, stamp, id, cursor] = parts.as_slice() else {
            return None;
        };
        let number = |text: &str| -> Option<Option<i64>> {
            if text.is_empty() {
                Some(None)
            } else {
                text.parse().ok().map(Some)
            }
        };
        if *version != "oai1" || *name != verb.name() || id.is_empty() {
            return None;
        }
        let selection = Selection {
            from: number(from)?,
            until: number(until)?,
            set: (!set.is_empty()).then(|| set.to_string()),
        };
        if selection
            .set
            .as_deref()
            .is_some_and(|set| !super::listing::is_set_spec(set))
        {
            return None;
        }
        Some(Token {
            verb,
            selection,
            after: (stamp.parse().ok()?, id.to_string()),
            cursor: cursor.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> Token {
        Token {
            verb: ListVerb::Records,
            selection: Selection {
                from: Some(86_400),
                until: None,
                set: Some("village:nha-xa".to_string()),
            },
            after: (1_700_000_000, "hoa-van-luc-giac".to_string()),
            cursor: 200,
        }
    }

    #[test]
    fn a_token_reads_back_for_its_own_verb_only() {
        let text = token().encode();
        assert_eq!(Token::decode(&text, ListVerb::Records), Some(token()));
        assert_eq!(Token::decode(&text, ListVerb::Identifiers), None);
    }

    #[test]
    fn garbage_and_altered_tokens_are_refused() {
        let text = token().encode();
        let plain = String::from_utf8(URL_SAFE_NO_PAD.decode(&text).unwrap()).unwrap();
        let altered = URL_SAFE_NO_PAD.encode(plain.replace("nha-xa", "doi-tam"));
        for bad in [
            "",
            "garbage",
            &text[..text.len() - 4],
            &altered,
            &format!("{text}A"),
        ] {
            assert_eq!(Token::decode(bad, ListVerb::Records), None, "{bad}");
        }
    }
}
