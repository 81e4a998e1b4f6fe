//! Words for people that can be said in either language: an English text together with the
//! Fluent id and arguments that say the same in Vietnamese (issue 15).
//!
//! Ingest's problems are printed in English by the command line and its `--json` report, and
//! shown on the archivists' workspace pages in the page's language. A [`Message`] carries both:
//! `english` (what the terminal prints, unchanged) and, when the message has been given one, the
//! id of a message of `templates/locales/{vi,en}/disan.ftl` with its arguments. The web stage
//! formats it (`crate::web::i18n::said`); the stages before it only build it, with [`msg!`],
//! which takes the id, the English format string and the named arguments both use, so the two
//! cannot name different values. A message with no id (text from a library, an old report) is
//! shown in English, marked so.
//!
//! An argument that is itself words (a composite message, "{what} cannot follow …") is an
//! [`Arg::Message`], formatted in the same language first.
//!
//! [`msg!`]: crate::msg

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value, json};

/// Something for people to read, in English, with the Fluent id and arguments that translate
/// it (none for text that has no translation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The English text, exactly as the command line prints it.
    pub english: String,
    /// The Fluent id (`ingest-date-not-edtf`) of the same words in `disan.ftl`.
    pub id: Option<&'static str>,
    /// The arguments the Fluent message takes, by name, in the order written.
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    /// Text shown as given (a value from the sheet, a column name, an id).
    Text(String),
    /// A number (a count, a row, a limit): Fluent chooses plural forms from it.
    Number(i64),
    /// Words of their own, said in the page's language before they are put in.
    Message(Box<Message>),
}

impl Message {
    /// Text with no translation: shown as it is, in English.
    pub fn english(text: impl Into<String>) -> Self {
        Message {
            english: text.into(),
            id: None,
            args: Vec::new(),
        }
    }

    /// `{"english", "id", "args": {name: value}}`, the shape kept with a batch's report and read
    /// by the web stage; a nested message is an object of the same shape.
    pub fn to_json(&self) -> Value {
        let mut args = Map::new();
        for (name, arg) in &self.args {
            let value = match arg {
                Arg::Text(text) => Value::String(text.clone()),
                Arg::Number(number) => json!(number),
                Arg::Message(message) => message.to_json(),
            };
            args.insert((*name).to_string(), value);
        }
        json!({ "english": self.english, "id": self.id, "args": args })
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::english(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::english(text)
    }
}

impl From<&String> for Message {
    fn from(text: &String) -> Self {
        Message::english(text.clone())
    }
}

/// What can be an [`Arg`]: text, whole numbers and messages (and references to them).
pub trait ToArg {
    /// This value as an argument.
    fn to_arg(&self) -> Arg;
}

impl ToArg for str {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.to_string())
    }
}

impl ToArg for String {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.clone())
    }
}

impl ToArg for Message {
    fn to_arg(&self) -> Arg {
        Arg::Message(Box::new(self.clone()))
    }
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg {
        (**self).to_arg()
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {
        $(impl ToArg for $t {
            fn to_arg(&self) -> Arg {
                Arg::Number(i64::from(*self))
            }
        })*
    };
}

number_args!(u8, u16, u32, i8, i16, i32);

impl ToArg for i64 {
    fn to_arg(&self) -> Arg {
        Arg::Number(*self)
    }
}

impl ToArg for u64 {
    fn to_arg(&self) -> Arg {
        Arg::Number(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToArg for usize {
    fn to_arg(&self) -> Arg {
        Arg::Number(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

/// A [`Message`]: `msg!("fluent-id", "English {name}", name = value, …)`.
///
/// The English format string and the Fluent message take the same named arguments; each value
/// is evaluated once, by reference, and must be text, a whole number or a [`Message`] (see
/// [`ToArg`]); anything else is turned into text at the call (`value = access.to_string()`).
/// The English string names only those arguments (a test in `crate::web::i18n` reads every
/// use and checks the id is in both translation files with exactly these arguments).
#[macro_export]
macro_rules! msg {
    ($id:literal, $english:literal $(,)?) => {
        $crate::model::message::Message {
            english: String::from($english),
            id: Some($id),
            args: Vec::new(),
        }
    };
    ($id:literal, $english:literal $(, $name:ident = $value:expr)+ $(,)?) => {{
        // Every value is evaluated before any is bound to its name, so a value may use an outer
        // variable that an argument's name shadows.
        #[allow(unused_parens)]
        let ($($name),*) = ($(&$value),*);
        $crate::model::message::Message {
            english: format!($english $(, $name = $name)*),
            id: Some($id),
            args: vec![$((
                stringify!($name),
                $crate::model::message::ToArg::to_arg($name),
            )),*],
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_its_english_and_its_arguments() {
        let value = "2020-13";
        let part = crate::msg!("ingest-test-part", "a part");
        let message = crate::msg!(
            "ingest-test",
            "'{value}' at row {row}: {part}",
            value = value,
            row = 4_usize,
            part = part
        );
        assert_eq!(message.english, "'2020-13' at row 4: a part");
        assert_eq!(message.to_string(), message.english);
        assert_eq!(
            message.to_json(),
            json!({
                "english": "'2020-13' at row 4: a part",
                "id": "ingest-test",
                "args": {
                    "value": "2020-13",
                    "row": 4,
                    "part": {"english": "a part", "id": "ingest-test-part", "args": {}},
                },
            })
        );
        let plain = Message::from("as written");
        assert_eq!(plain.to_json()["id"], Value::Null);
    }
}
