//! The six verbs (OAI-PMH 2.0 §4): reading a request's arguments, and writing each verb's
//! answer into the response stream ([`Out`]).
//!
//! Arguments are checked in the protocol's order: the verb (missing, repeated or unknown:
//! `badVerb`), then the arguments (repeated, unknown to the verb, missing, malformed, or
//! `resumptionToken` not alone: `badArgument`, with a bare `request` element), then what they
//! name (`cannotDisseminateFormat`, `idDoesNotExist`, `badResumptionToken`,
//! `noRecordsMatch`, with the arguments echoed). An unknown identifier and the identifier of a
//! record never public are answered alike, by the same lookup.

use std::collections::BTreeMap;

use axum::body::Bytes;
use rayon::prelude::*;
use tokio::sync::mpsc::Sender;

use super::dc;
use super::errors::{OaiError, Problem};
use super::listing::{Entry, Listing, Selection, is_set_spec};
use super::tokens::{ListVerb, Token};
use super::xml::{OAI_NS, datestamp, escape, parse_day, parse_seconds};
use crate::model::access::Viewer;
use crate::model::{Kind, Lang};
use crate::web::Site;
use crate::web::error::WebError;
use crate::web::i18n;

/// Bytes gathered before they are sent on.
const CHUNK: usize = 32 * 1024;

/// Items of a list written at once, side by side on every core (reading a record is file I/O
/// and JSON), then sent in their order: memory stays bounded by this many records.
const AT_ONCE: usize = 32;

/// The response being written: text gathered into chunks and sent to the HTTP body as each
/// fills. A client that goes away stops the writing.
pub struct Out {
    sender: Sender<Result<Bytes, std::io::Error>>,
    buffer: String,
    closed: bool,
}

impl Out {
    /// Writes into `sender`.
    pub fn new(sender: Sender<Result<Bytes, std::io::Error>>) -> Self {
        Out {
            sender,
            buffer: String::with_capacity(CHUNK + 4096),
            closed: false,
        }
    }

    fn push(&mut self, text: &str) {
        self.buffer.push_str(text);
        if self.buffer.len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.closed || self.buffer.is_empty() {
            return;
        }
        let chunk = std::mem::replace(&mut self.buffer, String::with_capacity(CHUNK + 4096));
        if self.sender.blocking_send(Ok(Bytes::from(chunk))).is_err() {
            self.closed = true;
        }
    }

    /// Sends what is left.
    pub fn finish(mut self) {
        self.flush();
    }
}

/// A request whose arguments are well-formed.
enum Verb {
    Identify,
    ListMetadataFormats { identifier: Option<String> },
    ListSets { token: Option<String> },
    GetRecord { identifier: String, prefix: String },
    List { verb: ListVerb, start: Start },
}

/// Where a list starts.
enum Start {
    Fresh {
        prefix: String,
        selection: Selection,
    },
    Token(String),
}

/// The arguments each verb takes (beyond `verb`), and which it requires.
fn takes(verb: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    const LIST: &[&str] = &["metadataPrefix", "from", "until", "set", "resumptionToken"];
    Some(match verb {
        "Identify" => (&[], &[]),
        "ListMetadataFormats" => (&["identifier"], &[]),
        "ListSets" => (&["resumptionToken"], &[]),
        "GetRecord" => (
            &["identifier", "metadataPrefix"],
            &["identifier", "metadataPrefix"],
        ),
        "ListIdentifiers" | "ListRecords" => (LIST, &[]),
        _ => return None,
    })
}

/// Whether `prefix` is a metadata prefix in the protocol's syntax (`metadataPrefixType`).
fn is_prefix(prefix: &str) -> bool {
    !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c))
}

/// Whether `identifier` is in the syntax of OAI identifiers (OAI-PMH 2.0 §2.4 asks for a URI;
/// the `oai-identifier` guidelines' characters: ASCII letters and digits,
/// `- _ . ! ~ * ' ( ) ; / ? : @ & = + $ ,`, and `%` followed by two hexadecimal digits), at
/// most 1,024 bytes. Anything else is illegal syntax (`badArgument`), and could not be echoed in
/// the response's `request` element as the schema's `anyURI` it is.
fn is_identifier(identifier: &str) -> bool {
    let bytes = identifier.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 1024
        && bytes.iter().enumerate().all(|(n, byte)| match byte {
            b'%' => {
                bytes.get(n + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(n + 2).is_some_and(u8::is_ascii_hexdigit)
            }
            byte => byte.is_ascii_alphanumeric() || b"-_.!~*'();/?:@&=+$,".contains(byte),
        })
}

/// A `from` or `until` value: seconds since 1970 and whether it was a day (`YYYY-MM-DD`),
/// a day's `until` meaning its last second.
fn date(text: &str, name: &'static str, end: bool) -> Result<(i64, bool), OaiError> {
    if let Some(day) = parse_day(text) {
        return Ok((if end { day + 86_399 } else { day }, true));
    }
    parse_seconds(text)
        .map(|seconds| (seconds, false))
        .ok_or(OaiError::BadArgument(Problem::Malformed(name)))
}

/// Reads the arguments.
fn parse(arguments: &[(String, String)]) -> Result<Verb, OaiError> {
    let mut given: BTreeMap<&str, &str> = BTreeMap::new();
    let mut repeated = None;
    for (name, value) in arguments {
        if given.insert(name, value).is_some() && repeated.is_none() {
            repeated = Some(name.as_str());
        }
    }
    if repeated == Some("verb") {
        return Err(OaiError::BadVerb);
    }
    let verb = given.remove("verb").ok_or(OaiError::BadVerb)?;
    let (allowed, required) = takes(verb).ok_or(OaiError::BadVerb)?;
    if let Some(name) = repeated {
        return Err(OaiError::BadArgument(Problem::Repeated(name.to_string())));
    }
    if let Some(name) = given.keys().find(|name| !allowed.contains(name)) {
        return Err(OaiError::BadArgument(Problem::Unknown(name.to_string())));
    }
    let token = given.get("resumptionToken").map(|t| t.to_string());
    if token.is_some() && given.len() > 1 {
        return Err(OaiError::BadArgument(Problem::TokenNotAlone));
    }
    if let Some(name) = required.iter().find(|name| !given.contains_key(*name)) {
        return Err(OaiError::BadArgument(Problem::Missing(name)));
    }
    let prefix = given.get("metadataPrefix").map(|p| p.to_string());
    if prefix.as_deref().is_some_and(|p| !is_prefix(p)) {
        return Err(OaiError::BadArgument(Problem::Malformed("metadataPrefix")));
    }
    let identifier = given.get("identifier").map(|i| i.to_string());
    if identifier.as_deref().is_some_and(|i| !is_identifier(i)) {
        return Err(OaiError::BadArgument(Problem::Malformed("identifier")));
    }
    Ok(match verb {
        "Identify" => Verb::Identify,
        "ListMetadataFormats" => Verb::ListMetadataFormats { identifier },
        "ListSets" => Verb::ListSets { token },
        "GetRecord" => Verb::GetRecord {
            identifier: identifier.unwrap_or_default(),
            prefix: prefix.unwrap_or_default(),
        },
        _ => {
            let verb = if verb == "ListRecords" {
                ListVerb::Records
            } else {
                ListVerb::Identifiers
            };
            if let Some(token) = token {
                return Ok(Verb::List {
                    verb,
                    start: Start::Token(token),
                });
            }
            let prefix = prefix.ok_or(OaiError::BadArgument(Problem::Missing("metadataPrefix")))?;
            let from = given
                .get("from")
                .map(|t| date(t, "from", false))
                .transpose()?;
            let until = given
                .get("until")
                .map(|t| date(t, "until", true))
                .transpose()?;
            if let (Some((_, from_day)), Some((_, until_day))) = (from, until)
                && from_day != until_day
            {
                return Err(OaiError::BadArgument(Problem::MixedGranularity));
            }
            if let (Some((from, _)), Some((until, _))) = (from, until)
                && from > until
            {
                return Err(OaiError::BadArgument(Problem::FromAfterUntil));
            }
            let set = given.get("set").map(|s| s.to_string());
            if set.as_deref().is_some_and(|s| !is_set_spec(s)) {
                return Err(OaiError::BadArgument(Problem::Malformed("set")));
            }
            Verb::List {
                verb,
                start: Start::Fresh {
                    prefix,
                    selection: Selection {
                        from: from.map(|(seconds, _)| seconds),
                        until: until.map(|(seconds, _)| seconds),
                        set,
                    },
                },
            }
        }
    })
}

/// The host of the public origin (`https://disan.example:8443` → `disan.example`), the
/// repository identifier of `oai:<host>:<id>`.
fn host(origin: &str) -> String {
    let authority = origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    match authority.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or_default()),
        None => authority.split(':').next().unwrap_or_default().to_string(),
    }
    .to_lowercase()
}

/// What every answer needs.
struct Context<'a> {
    site: &'a Site,
    origin: String,
    prefix: String,
}

impl Context<'_> {
    fn identifier(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    /// The record id of an identifier of this repository.
    fn record_id<'i>(&self, identifier: &'i str) -> Option<&'i str> {
        identifier.strip_prefix(&self.prefix)
    }

    fn listing(&self) -> Result<std::sync::Arc<Listing>, WebError> {
        self.site.oai.listing.listing(self.site)
    }
}

/// Writes the whole response to `arguments` (`Err`: they could not be decoded).
pub fn respond(site: &Site, arguments: Result<Vec<(String, String)>, ()>, out: &mut Out) {
    let origin = site.origin();
    let context = Context {
        prefix: format!("oai:{}:", host(&origin)),
        origin,
        site,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    out.push(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"{OAI_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n<responseDate>{}</responseDate>\n",
        datestamp(now)
    ));
    let base = escape(&format!("{}/oai", context.origin)).into_owned();
    let parsed = arguments
        .map_err(|()| OaiError::BadArgument(Problem::Malformed("verb")))
        .and_then(|arguments| parse(&arguments).map(|verb| (verb, arguments)));
    match parsed {
        Err(error) => {
            out.push(&format!("<request>{base}</request>\n"));
            out.push(&error.element());
        }
        Ok((verb, arguments)) => {
            let mut request = String::from("<request");
            for (name, value) in &arguments {
                request.push_str(&format!(" {name}=\"{}\"", escape(value)));
            }
            out.push(&format!("{request}>{base}</request>\n"));
            match answer(&context, verb, out) {
                Ok(()) => {}
                Err(Failure::Oai(error)) => out.push(&error.element()),
                Err(Failure::Internal(error)) => {
                    // The stream has begun: the harvester sees a document cut short, and the
                    // log says why.
                    eprintln!("disan serve: /oai: {error:?}");
                    return;
                }
            }
        }
    }
    out.push("</OAI-PMH>\n");
}

enum Failure {
    Oai(OaiError),
    Internal(WebError),
}

impl From<OaiError> for Failure {
    fn from(error: OaiError) -> Self {
        Failure::Oai(error)
    }
}

impl From<WebError> for Failure {
    fn from(error: WebError) -> Self {
        Failure::Internal(error)
    }
}

fn answer(context: &Context<'_>, verb: Verb, out: &mut Out) -> Result<(), Failure> {
    match verb {
        Verb::Identify => identify(context, out),
        Verb::ListMetadataFormats { identifier } => {
            if let Some(identifier) = identifier {
                let listing = context.listing()?;
                context
                    .record_id(&identifier)
                    .and_then(|id| listing.find(id))
                    .ok_or(OaiError::IdDoesNotExist)?;
            }
            out.push(&format!(
                "<ListMetadataFormats>\n<metadataFormat><metadataPrefix>{}</metadataPrefix><schema>{}</schema><metadataNamespace>{}</metadataNamespace></metadataFormat>\n</ListMetadataFormats>\n",
                dc::PREFIX,
                dc::SCHEMA,
                dc::NAMESPACE
            ));
            Ok(())
        }
        Verb::ListSets { token } => {
            if token.is_some() {
                // No list of sets is ever paged, so no token can continue one.
                return Err(OaiError::BadResumptionToken.into());
            }
            list_sets(context, out);
            Ok(())
        }
        Verb::GetRecord { identifier, prefix } => {
            if prefix != dc::PREFIX {
                return Err(OaiError::CannotDisseminateFormat.into());
            }
            let listing = context.listing()?;
            let entry = context
                .record_id(&identifier)
                .and_then(|id| listing.find(id))
                .ok_or(OaiError::IdDoesNotExist)?;
            let mut text = String::new();
            if !record(context, entry, &mut text)? {
                return Err(OaiError::IdDoesNotExist.into());
            }
            out.push("<GetRecord>\n");
            out.push(&text);
            out.push("</GetRecord>\n");
            Ok(())
        }
        Verb::List { verb, start } => list(context, verb, start, out),
    }
}

fn identify(context: &Context<'_>, out: &mut Out) -> Result<(), Failure> {
    let listing = context.listing()?;
    let name = i18n::both_languages("site_name").replacen(" (", " / ", 1);
    let name = name.strip_suffix(')').unwrap_or(&name);
    out.push(&format!(
        "<Identify>\n<repositoryName>{}</repositoryName>\n<baseURL>{}</baseURL>\n<protocolVersion>2.0</protocolVersion>\n<adminEmail>{}</adminEmail>\n<earliestDatestamp>{}</earliestDatestamp>\n<deletedRecord>transient</deletedRecord>\n<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>\n</Identify>\n",
        escape(name),
        escape(&format!("{}/oai", context.origin)),
        escape(context.site.oai.admin_email.as_deref().unwrap_or_default()),
        datestamp(listing.earliest().unwrap_or(0)),
    ));
    Ok(())
}

/// `Vietnamese / English`, or the Vietnamese alone when there is no English or it is the same.
fn both(vi: &str, en: Option<&str>) -> String {
    match en {
        Some(en) if !en.trim().is_empty() && en != vi => format!("{vi} / {en}"),
        _ => vi.to_string(),
    }
}

fn set(out: &mut String, spec: &str, name: &str) {
    if is_set_spec(spec) {
        out.push_str(&format!(
            "<set><setSpec>{}</setSpec><setName>{}</setName></set>\n",
            escape(spec),
            escape(name)
        ));
    }
}

fn list_sets(context: &Context<'_>, out: &mut Out) {
    let label = |name: &str| both(i18n::text(Lang::Vi, name), Some(i18n::text(Lang::En, name)));
    let mut text = String::from("<ListSets>\n");
    set(&mut text, "kind", &label("oai_set_kinds"));
    for kind in Kind::ALL {
        set(
            &mut text,
            &format!("kind:{kind}"),
            &label(&format!("kind_{}", kind.as_str())),
        );
    }
    let authorities = context.site.authorities();
    set(&mut text, "village", &label("villages"));
    for village in authorities.villages.values() {
        set(
            &mut text,
            &format!("village:{}", village.id),
            &both(&village.name, village.name_en.as_deref()),
        );
    }
    set(&mut text, "craft", &label("crafts"));
    for craft in authorities.crafts.values() {
        set(
            &mut text,
            &format!("craft:{}", craft.id),
            &both(&craft.name, craft.name_en.as_deref()),
        );
    }
    text.push_str("</ListSets>\n");
    out.push(&text);
}

fn header(context: &Context<'_>, entry: &Entry, out: &mut String) {
    let status = if entry.sets.is_none() {
        " status=\"deleted\""
    } else {
        ""
    };
    out.push_str(&format!(
        "<header{status}><identifier>{}</identifier><datestamp>{}</datestamp>",
        escape(&context.identifier(&entry.id)),
        datestamp(entry.stamp)
    ));
    for spec in entry.sets.iter().flat_map(|sets| sets.specs()) {
        out.push_str(&format!("<setSpec>{}</setSpec>", escape(&spec)));
    }
    out.push_str("</header>\n");
}

/// Appends `<record>` of `entry`: its header, and its metadata unless deleted. `false` when the
/// record cannot be seen any more (a change since the listing was made): nothing is appended.
fn record(context: &Context<'_>, entry: &Entry, out: &mut String) -> Result<bool, WebError> {
    if entry.sets.is_none() {
        out.push_str("<record>");
        header(context, entry, out);
        out.push_str("</record>\n");
        return Ok(true);
    }
    let record = match context.site.projected_for(&Viewer::Anonymous, &entry.id) {
        Ok((record, _, _)) => record,
        Err(WebError::NotFound) => return Ok(false),
        Err(error) => return Err(error),
    };
    out.push_str("<record>");
    header(context, entry, out);
    out.push_str("<metadata>\n");
    let url = format!("{}/records/{}", context.origin, entry.id);
    dc::write(out, &record, &url);
    out.push_str("</metadata></record>\n");
    Ok(true)
}

fn list(context: &Context<'_>, verb: ListVerb, start: Start, out: &mut Out) -> Result<(), Failure> {
    let (selection, after, cursor, resumed) = match start {
        Start::Fresh { prefix, selection } => {
            if prefix != dc::PREFIX {
                return Err(OaiError::CannotDisseminateFormat.into());
            }
            (selection, None, 0, false)
        }
        Start::Token(text) => {
            let token = Token::decode(&text, verb).ok_or(OaiError::BadResumptionToken)?;
            (token.selection, Some(token.after), token.cursor, true)
        }
    };
    let listing = context.listing()?;
    let size = match verb {
        ListVerb::Records => context.site.oai.records_per_page,
        ListVerb::Identifiers => context.site.oai.identifiers_per_page,
    }
    .max(1);
    let page = listing.page(
        &selection,
        after.as_ref().map(|(stamp, id)| (*stamp, id.as_str())),
        size,
    );
    if page.items.is_empty() {
        return Err(OaiError::NoRecordsMatch.into());
    }
    // Opened at the first item written: a record that cannot be read any more (hidden since
    // the listing was made) is left out, and a list must hold at least one item.
    let mut opened = false;
    for chunk in page.items.chunks(AT_ONCE) {
        let texts: Vec<Result<String, WebError>> = chunk
            .par_iter()
            .map(|entry| {
                let mut text = String::new();
                match verb {
                    ListVerb::Identifiers => header(context, entry, &mut text),
                    ListVerb::Records => {
                        record(context, entry, &mut text)?;
                    }
                }
                Ok(text)
            })
            .collect();
        for text in texts {
            let text = text?;
            if text.is_empty() {
                continue;
            }
            if !opened {
                out.push(&format!("<{}>\n", verb.name()));
                opened = true;
            }
            out.push(&text);
        }
        if out.closed {
            return Ok(());
        }
    }
    if !opened {
        return Err(OaiError::NoRecordsMatch.into());
    }
    let sent = cursor.saturating_add(page.items.len());
    if page.more {
        let last = page.items.last().map(|e| (e.stamp, e.id.clone()));
        let token = Token {
            verb,
            selection,
            after: last.unwrap_or_default(),
            cursor: sent,
        };
        out.push(&format!(
            "<resumptionToken completeListSize=\"{}\" cursor=\"{cursor}\">{}</resumptionToken>\n",
            page.total,
            token.encode()
        ));
    } else if resumed {
        out.push(&format!(
            "<resumptionToken completeListSize=\"{}\" cursor=\"{cursor}\"/>\n",
            page.total
        ));
    }
    out.push(&format!("</{}>\n", verb.name()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn code(pairs: &[(&str, &str)]) -> &'static str {
        match parse(&args(pairs)) {
            Ok(_) => "ok",
            Err(error) => error.code(),
        }
    }

    #[test]
    fn verbs_and_arguments_are_checked_in_the_protocols_order() {
        assert_eq!(code(&[]), "badVerb");
        assert_eq!(code(&[("verb", "Foo")]), "badVerb");
        assert_eq!(
            code(&[("verb", "Identify"), ("verb", "Identify")]),
            "badVerb"
        );
        assert_eq!(code(&[("verb", "Identify")]), "ok");
        assert_eq!(code(&[("verb", "Identify"), ("set", "x")]), "badArgument");
        assert_eq!(
            code(&[("verb", "GetRecord"), ("identifier", "x")]),
            "badArgument"
        );
        assert_eq!(code(&[("verb", "ListRecords")]), "badArgument");
        let list = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = vec![("verb", "ListRecords"), ("metadataPrefix", "oai_dc")];
            pairs.extend_from_slice(extra);
            code(&pairs)
        };
        assert_eq!(list(&[]), "ok");
        assert_eq!(
            list(&[("from", "2026-01-01"), ("until", "2026-01-01")]),
            "ok"
        );
        assert_eq!(
            list(&[("from", "2026-01-02"), ("until", "2026-01-01")]),
            "badArgument"
        );
        assert_eq!(
            list(&[("from", "2026-01-01"), ("until", "2026-01-01T00:00:00Z")]),
            "badArgument"
        );
        assert_eq!(list(&[("from", "2026-01-01T00:00:00")]), "badArgument");
        assert_eq!(list(&[("set", "village:")]), "badArgument");
        assert_eq!(list(&[("resumptionToken", "x")]), "badArgument");
        assert_eq!(
            list(&[("from", "2026-01-01"), ("from", "2026-01-01")]),
            "badArgument"
        );
        assert_eq!(
            code(&[("verb", "ListRecords"), ("resumptionToken", "x")]),
            "ok"
        );
        let get = |identifier: &'static str| {
            code(&[
                ("verb", "GetRecord"),
                ("metadataPrefix", "oai_dc"),
                ("identifier", identifier),
            ])
        };
        assert_eq!(get("oai:disan.example:hoa-van-luc-giac"), "ok");
        assert_eq!(get("oai:x:a%20b"), "ok");
        for bad in [
            "",
            "a b",
            "a%zz",
            "a%2",
            "a[b]",
            "oai:x:lụa",
            "a<b",
            "a\"b",
            "a\u{0}",
        ] {
            assert_eq!(get(bad), "badArgument", "{bad}");
        }
    }

    #[test]
    fn the_repository_identifier_is_the_public_hosts_name() {
        assert_eq!(host("https://Disan.example:8443/base"), "disan.example");
        assert_eq!(host("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host("http://[::1]:8080"), "[::1]");
    }
}
