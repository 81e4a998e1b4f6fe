//! Splitting what a visitor typed into tokens: operators (`OR`, `KHÔNG`, `-`, `|`), words,
//! quoted phrases and `field:value` pairs, deciding where an operator word is an operator and
//! where a field name is only a word (with a [`super::Notice`] each time).

use super::fields::{field_atom, field_named};
use super::{Notice, Operator};

/// A lexical token.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    /// `OR`, `HOẶC` or `|`, as typed.
    Or(String),
    /// `NOT` or `KHÔNG` (as typed), or a leading `-` (empty).
    Not(String),
    /// `AND`, `VÀ` or `&&`, as typed.
    And(String),
    Text {
        text: String,
        phrase: bool,
    },
    Field {
        name: &'static str,
        value: String,
    },
}

impl Token {
    fn is_term(&self) -> bool {
        matches!(self, Token::Text { .. } | Token::Field { .. })
    }

    /// The operator word typed, for an operator read from a word (not `-`, `|`, `&&`).
    fn operator_word(&self) -> Option<&str> {
        match self {
            Token::Or(word) | Token::Not(word) | Token::And(word)
                if word.chars().any(char::is_alphabetic) =>
            {
                Some(word)
            }
            _ => None,
        }
    }
}

/// Splits the input into operators, words, phrases and `field:value` pairs, with a notice for
/// every word read as an operator or a field name read as a word.
pub(super) fn tokens(input: &str) -> (Vec<Token>, Vec<Notice>) {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut notices = Vec::new();
    // A query without a lowercase letter is text pasted in capitals, not operators.
    let in_capitals = !input.chars().any(char::is_lowercase);
    let mut at = 0;
    let read_quoted = |at: &mut usize| -> String {
        // `at` is just after the opening quote; an unclosed quote runs to the end.
        let start = *at;
        while *at < chars.len() && !is_quote(chars[*at]) {
            *at += 1;
        }
        let text: String = chars[start..*at].iter().collect();
        *at += 1;
        text
    };
    while at < chars.len() {
        let c = chars[at];
        if c.is_whitespace() || c == '(' || c == ')' {
            at += 1;
            continue;
        }
        if is_quote(c) {
            at += 1;
            let text = read_quoted(&mut at);
            if !text.trim().is_empty() {
                tokens.push(Token::Text {
                    text: text.trim().to_string(),
                    phrase: true,
                });
            }
            continue;
        }
        let start = at;
        while at < chars.len()
            && !chars[at].is_whitespace()
            && !is_quote(chars[at])
            && chars[at] != '('
            && chars[at] != ')'
        {
            at += 1;
        }
        let mut word: String = chars[start..at].iter().collect();
        if word.len() > 1 && word.starts_with('-') {
            tokens.push(Token::Not(String::new()));
            word.remove(0);
        }
        match word.as_str() {
            "|" => {
                tokens.push(Token::Or(word));
                continue;
            }
            "&&" => {
                tokens.push(Token::And(word));
                continue;
            }
            "OR" | "HOẶC" if !in_capitals => {
                tokens.push(Token::Or(word));
                continue;
            }
            "NOT" | "KHÔNG" if !in_capitals => {
                tokens.push(Token::Not(word));
                continue;
            }
            "AND" | "VÀ" if !in_capitals => {
                tokens.push(Token::And(word));
                continue;
            }
            _ => {}
        }
        let after_word = at;
        let field = word
            .split_once(':')
            .and_then(|(name, rest)| field_named(name).map(|field| (name, field, rest)));
        let Some((typed_name, name, rest)) = field else {
            let text = word.trim_start_matches('+');
            if let Some((name, rest)) = text.split_once(':')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase())
                && !rest.is_empty()
            {
                // `type:document` looks like a field but names none: its words are searched.
                notices.push(Notice::NotAField {
                    name: name.to_string(),
                });
            }
            // A colon joins no words (`Hà Nội: 1995`, `type:document`): each side is a word,
            // named without the colon in notices.
            // A time or ratio (`10:30`) stays one.
            if text.contains(':') && text.chars().any(char::is_alphabetic) {
                for part in text.split(':') {
                    push_words(&mut tokens, part);
                }
            } else {
                push_words(&mut tokens, text);
            }
            continue;
        };
        let typed_name = typed_name.to_string();
        // A capitalised field name after another word is a heading pasted as text (`Hà Nam:
        // 1995`, where `Nam` is the folded `năm:`): its words are searched, and that is said.
        let heading =
            !tokens.is_empty() && typed_name.chars().next().is_some_and(char::is_uppercase);
        let value = if rest.is_empty() {
            // `village: "Nha Xá"` and `kind: film` are forgiven their space.
            while at < chars.len() && chars[at].is_whitespace() {
                at += 1;
            }
            if at < chars.len() && is_quote(chars[at]) {
                at += 1;
                read_quoted(&mut at)
            } else {
                let start = at;
                while at < chars.len() && !chars[at].is_whitespace() && !is_quote(chars[at]) {
                    at += 1;
                }
                chars[start..at].iter().collect()
            }
        } else if (rest.starts_with('[') || rest.starts_with('{'))
            && !rest.contains(']')
            && !rest.contains('}')
        {
            // A range with spaces: read on to its closing bracket.
            let more_start = at;
            while at < chars.len() && chars[at] != ']' && chars[at] != '}' {
                at += 1;
            }
            let more: String = chars[more_start..at.min(chars.len())].iter().collect();
            // The closing bracket as typed: `}` excludes the end.
            let close = if chars.get(at) == Some(&'}') {
                '}'
            } else {
                ']'
            };
            at += 1;
            format!("{rest}{more}{close}")
        } else {
            rest.to_string()
        };
        let value = value.trim().to_string();
        match field_atom(name, &value) {
            Ok(_) if heading => {
                at = after_word;
                notices.push(Notice::Heading {
                    name: typed_name.clone(),
                    field: name,
                });
                push_words(&mut tokens, &typed_name);
                push_words(&mut tokens, rest);
            }
            Ok(_) => tokens.push(Token::Field { name, value }),
            // No word in the value (`stars:..`, `date:{2026 TO 2026}`, or nothing with no
            // word before it: `stars:` alone): a field query that does not read, never words;
            // it finds nothing and says why (issue 15). A name with nothing after it at the end
            // of words (`làng nghề year:`) is text pasted, as before.
            Err(_)
                if !heading && !has_words(&value) && (!value.is_empty() || tokens.is_empty()) =>
            {
                tokens.push(Token::Field { name, value })
            }
            Err(why) => {
                // Not a field after all: the words are searched as typed.
                at = after_word;
                notices.push(Notice::FieldNotRead {
                    name: typed_name.clone(),
                    why,
                });
                // `Nam:trống` is two words, as `Nam: trống` is.
                push_words(&mut tokens, &typed_name);
                push_words(&mut tokens, rest);
            }
        }
    }
    // An operator word beside a word in capitals (part of a title pasted in capitals: `KHÔNG
    // GIAN văn hoá`) is the word itself; one that joins nothing is left out with a notice.
    let in_capitals = |token: &Token| match token {
        Token::Text { text, .. } => {
            text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
        }
        _ => false,
    };
    let mut read = Vec::with_capacity(tokens.len());
    for n in 0..tokens.len() {
        let before = n > 0 && (tokens[n - 1].is_term() || matches!(tokens[n - 1], Token::Not(_)));
        let after = tokens.get(n + 1).is_some_and(|next| {
            next.is_term() || (matches!(next, Token::Not(_)) && !matches!(tokens[n], Token::Not(_)))
        });
        let beside_capitals =
            (n > 0 && in_capitals(&tokens[n - 1])) || tokens.get(n + 1).is_some_and(in_capitals);
        let (before, after) = (before && !beside_capitals, after && !beside_capitals);
        let token = &tokens[n];
        let operates = match token {
            Token::Or(_) | Token::And(_) => before && after,
            Token::Not(_) => after,
            _ => true,
        };
        if operates {
            if let Some(word) = token.operator_word() {
                let notice = operator_notice(token, word);
                if !notices.contains(&notice) {
                    notices.push(notice);
                }
            }
            read.push(token.clone());
        } else if let Some(word) = token.operator_word()
            && beside_capitals
        {
            read.push(Token::Text {
                text: word.to_string(),
                phrase: false,
            });
        } else if let Some(word) = token.operator_word() {
            // All six operator words alike: one that joins nothing is left out, and said so
            // (searched, `OR` would find nothing and zero the query: break-12 finding 4).
            let notice = Notice::OperatorLeftOut {
                word: word.to_string(),
            };
            if !notices.contains(&notice) {
                notices.push(notice);
            }
        } else if let Token::Or(word) | Token::And(word) = token
            && !word.is_empty()
        {
            read.push(Token::Text {
                text: word.clone(),
                phrase: false,
            });
        }
    }
    (read, notices)
}

/// Pushes `text` as a word token, unless it is empty.
fn push_words(tokens: &mut Vec<Token>, text: &str) {
    if !text.is_empty() {
        tokens.push(Token::Text {
            text: text.to_string(),
            phrase: false,
        });
    }
}

/// What the visitor is told when `word` was read as the operator `token`.
fn operator_notice(token: &Token, word: &str) -> Notice {
    let operator = match token {
        Token::Or(_) => Operator::Or,
        Token::Not(_) => Operator::Not,
        _ => Operator::And,
    };
    Notice::OperatorRead {
        word: word.to_string(),
        operator,
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

/// Whether a field's `value` holds a word to search: a letter, other than the `TO` of a
/// bracketed range (`[2026 TO 2026}` holds none; `trống`, `Nam` do).
fn has_words(value: &str) -> bool {
    let bracketed = value.starts_with(['[', '{']) && value.ends_with([']', '}']);
    let value = if bracketed {
        value.to_lowercase().replacen("to", "", 1)
    } else {
        value.to_string()
    };
    value.chars().any(char::is_alphabetic)
}
