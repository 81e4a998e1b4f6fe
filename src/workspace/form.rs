//! A record as the archivists' edit form holds it, and back.
//!
//! The form's field names are the batch's column names (`dc.title`, `dc.title@en`, `dc.subject`
//! repeated, `dc.date`, `village`, `craft`, `access`, `files_access`, `kind`, `lunar_date`,
//! `artisan`, `product`, `stop`, any other Dublin Core term or column the record has), plus
//! `body` and `body@en` for the Markdown text of text records. A posted form is read as an
//! ingest [`Description`] (file `form`, no row) and checked by the very function ingest uses
//! ([`crate::ingest::metadata::validate`]), so every rule and every message is ingest's; an error
//! names its field, as ingest names its column.
//!
//! Both directions are pure functions, tested without an archive.

use std::collections::BTreeMap;

use crate::ingest::metadata::{self, Authorities, Cell, Column, Description};
use crate::model::text::nfc;
use crate::model::{Access, Lang, LangValue, Message, Record};
use crate::msg;

/// The `file` a posted form is described as in ingest's terms (messages name the field, not it).
pub const FORM_FILE: &str = "form";

/// The field of a text record's Vietnamese body (Markdown).
pub const BODY: &str = "body";

/// The most values one field of the form may hold (a `dc.subject` repeated): 200, more than any
/// record of the sample or the catalogues Disan follows has for a term; a batch's row is bounded
/// by its cells instead (ingest's `CellKind`).
pub const MAX_VALUES: usize = 200;
/// The field of its English body.
pub const BODY_EN: &str = "body@en";

/// The fields the form always shows, in this order, even when the record has no value for
/// them (so an archivist can add one); any other field the record has follows.
pub const STANDARD_FIELDS: &[&str] = &[
    "dc.title",
    "dc.title@en",
    "dc.description",
    "dc.description@en",
    "dc.subject",
    "dc.subject@en",
    "dc.date",
    "kind",
    "village",
    "craft",
    "access",
    "access_need",
    "files_access",
    "files_access_need",
    "lunar_date",
    "artisan",
    "product",
    "stop",
];

/// A record's editable description: field name → values, in order (a repeated column has
/// several). Empty values are never kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(pub BTreeMap<String, Vec<String>>);

impl Fields {
    /// The values of `name` (none when absent).
    pub fn get(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    /// Adds a value to `name`, NFC and trimmed at both ends; an empty value is dropped.
    pub fn push(&mut self, name: &str, value: &str) {
        let value = nfc(value.trim()).into_owned();
        if !value.is_empty() {
            self.0.entry(name.to_string()).or_default().push(value);
        }
    }

    /// Reads the name/value pairs of a posted form (repeated names give several values),
    /// keeping only the description's fields: `base`, `message`, `csrf` and friends are the
    /// caller's. Line breaks are kept (descriptions and bodies hold paragraphs) but written as
    /// `\n`.
    ///
    /// A field the record does not have yet comes as a pair of [`ADD_NAME`] (its column name,
    /// `dc.creator`) and [`ADD_VALUE`] (its value), the n-th name with the n-th value.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Fields {
        let mut fields = Fields::default();
        let (mut added_names, mut added_values) = (Vec::new(), Vec::new());
        for (name, value) in pairs {
            let name = name.trim();
            match name {
                ADD_NAME => added_names.push(value.trim()),
                ADD_VALUE => added_values.push(value),
                _ if NOT_FIELDS.contains(&name) || name.is_empty() => {}
                _ => fields.push(name, &value.replace("\r\n", "\n")),
            }
        }
        for (name, value) in added_names.into_iter().zip(added_values) {
            if !name.is_empty() && !NOT_FIELDS.contains(&name) && name != ADD_NAME {
                fields.push(name, &value.replace("\r\n", "\n"));
            }
        }
        fields
    }

    /// The field names in the order the form shows them: [`STANDARD_FIELDS`], then the others
    /// this description has (Dublin Core terms first, each Vietnamese then English).
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = STANDARD_FIELDS.iter().map(|s| s.to_string()).collect();
        let mut others: Vec<&String> = self
            .0
            .keys()
            .filter(|name| !STANDARD_FIELDS.contains(&name.as_str()))
            .filter(|name| name.as_str() != BODY && name.as_str() != BODY_EN)
            .collect();
        others.sort_by_key(|name| (!name.starts_with("dc."), name.to_string()));
        names.extend(others.into_iter().cloned());
        names
    }
}

/// The form field naming a field to add (its column name).
pub const ADD_NAME: &str = "add.name";
/// The form field holding the value of the field named by [`ADD_NAME`].
pub const ADD_VALUE: &str = "add.value";

/// Form fields that are not part of the description.
const NOT_FIELDS: &[&str] = &["base", "message", "csrf", "reason"];

/// The form of `record`: every value of its description under its column name.
pub fn fields_of(record: &Record) -> Fields {
    let mut fields = Fields::default();
    for (term, values) in &record.dc {
        for value in values {
            fields.push(&dc_field(term, value.lang), &value.value);
        }
    }
    fields.push("kind", record.kind.as_str());
    if let Some(village) = &record.village {
        fields.push("village", village.as_str());
    }
    if let Some(craft) = &record.craft {
        fields.push("craft", craft.as_str());
    }
    for artisan in &record.artisans {
        fields.push("artisan", artisan.as_str());
    }
    for product in &record.products {
        fields.push("product", product.as_str());
    }
    for stop in &record.stops {
        fields.push("stop", &stop.to_string());
    }
    push_rule(&mut fields, "access", "access_need", &record.access);
    if let Some(files) = &record.files_access {
        push_rule(&mut fields, "files_access", "files_access_need", files);
    }
    for (name, values) in &record.extra {
        for value in values {
            fields.push(name, value);
        }
    }
    for (lang, text) in &record.body {
        let name = match lang {
            Lang::Vi => BODY,
            Lang::En => BODY_EN,
        };
        fields.push(name, text);
    }
    fields
}

/// The column name of Dublin Core `term` in `lang` (`dc.title`, `dc.title@en`).
fn dc_field(term: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("dc.{term}"),
        Lang::En => format!("dc.{term}@en"),
    }
}

/// Writes an access rule as the columns hold it: a word, or one `community:<id>` value per
/// community with its need (`any`, `all`) when there are several.
fn push_rule(fields: &mut Fields, values: &str, need: &str, rule: &Access) {
    match rule {
        Access::Community { groups, need: how } => {
            for group in groups {
                fields.push(values, &format!("community:{group}"));
            }
            if groups.len() > 1 {
                fields.push(need, how.as_str());
            }
        }
        plain => fields.push(values, &plain.to_string()),
    }
}

/// What is wrong with a posted form: field name → messages in words (ingest's own, said in
/// either language), and ingest's warnings, which do not stop a save.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// Errors by field; a message about the whole form is under the empty name.
    pub errors: BTreeMap<String, Vec<Message>>,
    /// Warnings by field.
    pub warnings: BTreeMap<String, Vec<Message>>,
}

impl Checked {
    /// A form whose only problem is `message` under `field`.
    pub fn refusing(field: &str, message: impl Into<Message>) -> Self {
        let mut checked = Checked::default();
        checked.error(field, message);
        checked
    }

    fn error(&mut self, field: &str, message: impl Into<Message>) {
        self.errors
            .entry(field.to_string())
            .or_default()
            .push(message.into());
    }
}

/// The record `fields` describe, made from `base` (the version the form was made from): it
/// keeps `base`'s id, schema, files, provenance and withdrawal, and takes every descriptive
/// field from the form, checked by [`metadata::validate`] against `authorities` (the archive's
/// villages, crafts, artisans and products; the accounts database's communities).
///
/// Rules beyond ingest's, because an existing record is being edited: `access` must be given
/// (an emptied access field never silently makes a record public), a title must remain
/// (`dc.title` or `dc.title@en`), and `filename` is not a field (a record's files are not
/// renamed by editing its description). A `files_access` no narrower than `access` is dropped,
/// as ingest does; a date read from the files' EXIF (the record had a date but no `dc.date`)
/// is kept while its files are as visible as the record.
///
/// # Errors
/// [`Checked`] with every problem, each under its field.
pub fn to_record(
    base: &Record,
    fields: &Fields,
    authorities: &Authorities,
) -> Result<(Record, Checked), Checked> {
    let mut checked = Checked::default();
    let mut cells = Vec::new();
    for (name, values) in &fields.0 {
        if name == BODY || name == BODY_EN {
            continue;
        }
        let (column, _) = Column::parse(name);
        if column == Column::Filename {
            checked.error(
                name,
                msg!(
                    "workspace-form-filename",
                    "a record's files are not renamed here; filename is not a field of the form"
                ),
            );
            continue;
        }
        // A column ingest keeps verbatim (with a warning) is kept here only when the record
        // has it already: a field added in the form under any other name would be shown on the
        // public page as written ("withdrawn: true"), with nothing to warn of it.
        let unknown = matches!(column, Column::Invalid(_))
            || matches!(&column, Column::Extra(extra) if !base.extra.contains_key(extra)
                && !crate::ingest::metadata::is_lunar_date(extra));
        if unknown {
            checked.error(
                name,
                msg!(
                    "workspace-form-unknown-field",
                    "'{name}' is not a field of a record: use the fields the form shows (a batch's metadata.csv columns)",
                    name = name
                ),
            );
            continue;
        }
        if values.len() > MAX_VALUES {
            checked.error(
                name,
                msg!(
                    "workspace-form-too-many-values",
                    "{count} values, over the limit of {limit} for one field: keep the ones that describe the record",
                    count = values.len(),
                    limit = MAX_VALUES
                ),
            );
            continue;
        }
        // The bounds of a batch's cells (ingest's `CellKind`): a value over its column's limit
        // is refused here as ingest refuses its row.
        let kind = crate::ingest::cells::CellKind::of_metadata_column(&column);
        for message in values.iter().filter_map(|value| kind.refusal(value.trim())) {
            checked.error(name, message);
        }
        for value in values {
            cells.push(Cell {
                header: name.clone(),
                column: column.clone(),
                value: value.clone(),
            });
        }
    }
    // In the order the form shows them, so messages read in that order too.
    let order = fields.names();
    cells.sort_by_key(|cell| order.iter().position(|name| *name == cell.header));
    let description = Description {
        file: FORM_FILE.to_string(),
        row: None,
        cells,
    };
    if fields.get("access").is_empty() {
        checked.error(
            "access",
            msg!(
                "workspace-form-access-required",
                "say who may see the record: public, researchers, restricted or community:<group-id>"
            ),
        );
    }
    if fields.get("dc.title").is_empty() && fields.get("dc.title@en").is_empty() {
        checked.error(
            "dc.title",
            msg!(
                "workspace-form-title-required",
                "a record needs a title (dc.title, or dc.title@en in English)"
            ),
        );
    }
    let validated = match metadata::validate(&description, authorities) {
        Ok(validated) => validated,
        Err(problems) => {
            for problem in problems {
                checked.error(problem.column.as_deref().unwrap_or(""), problem.said());
            }
            return Err(checked);
        }
    };
    if !checked.errors.is_empty() {
        return Err(checked);
    }
    for warning in &validated.warnings {
        checked
            .warnings
            .entry(warning.column.clone().unwrap_or_default())
            .or_default()
            .push(warning.said());
    }
    let access = validated.access.clone().unwrap_or(Access::Restricted);
    let files_access = validated
        .files_access
        .clone()
        .filter(|files| !files.admits_all_of(&access));
    let exif_date = (!base.dc.contains_key("date") && files_access.is_none())
        .then(|| base.date.clone())
        .flatten();
    let mut body = BTreeMap::new();
    for (name, lang) in [(BODY, Lang::Vi), (BODY_EN, Lang::En)] {
        let text = fields.get(name).join("\n\n");
        if let Err(message) = check_body(&text) {
            checked.error(name, message);
        } else if !text.is_empty() {
            body.insert(lang, text);
        }
    }
    if !checked.errors.is_empty() {
        return Err(checked);
    }
    let mut dc: BTreeMap<String, Vec<LangValue>> = validated.dc.clone();
    dc.retain(|_, values| !values.is_empty());
    let record = Record {
        schema: base.schema,
        id: base.id.clone(),
        kind: validated.kind.unwrap_or(base.kind),
        access,
        files_access,
        village: validated.village.clone(),
        craft: validated.craft.clone(),
        artisans: validated.artisans.clone(),
        products: validated.products.clone(),
        stops: validated.stops.clone(),
        date: validated.date.clone().or(exif_date),
        dc,
        body,
        extra: validated.extra.clone(),
        files: base.files.clone(),
        provenance: base.provenance.clone(),
        withdrawal: base.withdrawal.clone(),
        withheld_versions: base.withheld_versions.clone(),
    };
    Ok((record, checked))
}

/// Refuses a visit whose `record:` stops name a record `exists` does not know (the archive's
/// records), as ingest refuses such a visit (`ingest::stops`; issue 15): each unknown stop is
/// an error under the `stop` field, and the visit is not saved.
///
/// # Errors
/// [`Checked`] with one error per unknown stop.
pub fn check_record_stops(
    record: &Record,
    exists: impl Fn(&crate::model::RecordId) -> bool,
) -> Result<(), Checked> {
    let mut checked = Checked::default();
    for id in record.stops.iter().filter_map(crate::model::Stop::record) {
        if !exists(id) {
            checked.error(
                "stop",
                format!(
                    "unknown record 'record:{id}': it is not in the archive, so the visit is not saved; correct the stop's record id, or ingest that record first"
                ),
            );
        }
    }
    if checked.errors.is_empty() {
        Ok(())
    } else {
        Err(checked)
    }
}

/// Ingest's limits on a Markdown body (its size, how deep it nests quotations and brackets),
/// applied by ingest's own reader: the text is read as a Markdown file with an empty front
/// matter, so nothing in it is taken as front matter.
fn check_body(text: &str) -> Result<(), Message> {
    crate::ingest::frontmatter::split(&format!("---\n---\n{text}")).map(|_| ())
}

/// `record` with the description of `from` (every field [`fields_of`] shows, and the date):
/// what restoring version `from` writes. Files, provenance, withdrawal and withheld versions stay
/// `record`'s (a restore brings back words, never files a later version removed, and never
/// republishes a version withheld since).
pub fn with_description_of(record: &Record, from: &Record) -> Record {
    Record {
        files: record.files.clone(),
        provenance: record.provenance.clone(),
        withdrawal: record.withdrawal.clone(),
        withheld_versions: record.withheld_versions.clone(),
        id: record.id.clone(),
        schema: record.schema,
        ..from.clone()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ingest::communities::Communities;
    use crate::model::{Village, VillageId};

    pub(crate) fn sample() -> Record {
        serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "trong-doi-tam", "kind": "photo", "access": "public",
            "village": "doi-tam",
            "dc": {
                "title": [{"value": "Trống Đọi Tam", "lang": "vi"}],
                "subject": [{"value": "trống", "lang": "vi"}, {"value": "nghề thủ công", "lang": "vi"}],
                "date": [{"value": "2019-05", "lang": "vi"}]
            },
            "date": "2019-05",
            "extra": {"lunar_date": ["1-7"]},
            "files": [],
            "provenance": {"batch": "b", "path": "objects/trong.jpg"}
        }))
        .unwrap()
    }

    fn authorities() -> Authorities {
        let id = VillageId::parse("doi-tam").unwrap();
        Authorities {
            villages: [(id.clone(), Village::new(id, "Đọi Tam"))].into(),
            communities: Communities::known(
                std::path::Path::new("accounts.sqlite"),
                [crate::model::GroupId::parse("phuong-trong").unwrap()].into(),
            ),
            ..Authorities::default()
        }
    }

    #[test]
    fn a_record_goes_to_its_form_and_back_unchanged() {
        let record = sample();
        let fields = fields_of(&record);
        assert_eq!(fields.get("dc.subject"), ["trống", "nghề thủ công"]);
        assert_eq!(fields.get("access"), ["public"]);
        assert_eq!(fields.get("lunar_date"), ["1-7"]);
        let (back, checked) = to_record(&record, &fields, &authorities()).unwrap();
        assert_eq!(back, record);
        assert!(checked.warnings.is_empty());
    }

    #[test]
    fn posted_pairs_become_fields_and_an_english_description_is_added() {
        let record = sample();
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, values) in &fields_of(&record).0 {
            for value in values {
                pairs.push((name.clone(), value.clone()));
            }
        }
        pairs.push(("dc.description@en".into(), "  A drum\r\nof Đọi Tam ".into()));
        pairs.push(("dc.subject".into(), "".into()));
        pairs.push(("message".into(), "added English".into()));
        pairs.push(("csrf".into(), "t".into()));
        let fields = Fields::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        assert!(fields.get("message").is_empty() && fields.get("csrf").is_empty());
        let (back, _) = to_record(&record, &fields, &authorities()).unwrap();
        assert_eq!(
            back.dc_value("description", Lang::En),
            Some("A drum\nof Đọi Tam")
        );
        assert_eq!(back.dc["subject"].len(), 2, "an empty input adds nothing");
        let added = Fields::from_pairs([
            ("add.name", " dc.creator "),
            ("add.value", "Nghệ nhân A (hư cấu)"),
            ("add.name", ""),
            ("add.value", "ignored"),
        ]);
        assert_eq!(added.get("dc.creator"), ["Nghệ nhân A (hư cấu)"]);
        assert_eq!(added.0.len(), 1);
    }

    #[test]
    fn errors_are_ingests_own_under_their_field() {
        let record = sample();
        let mut fields = fields_of(&record);
        fields.0.insert("dc.date".into(), vec!["May 2019".into()]);
        fields
            .0
            .insert("village".into(), vec!["lang-khong-co".into()]);
        fields
            .0
            .insert("access".into(), vec!["community:nobody".into()]);
        let checked = to_record(&record, &fields, &authorities()).unwrap_err();
        assert!(checked.errors["dc.date"][0].english.contains("May 2019"));
        assert!(
            checked.errors["village"][0]
                .english
                .contains("lang-khong-co")
        );
        assert!(checked.errors["access"][0].english.contains("nobody"));
    }

    #[test]
    fn fields_ingest_would_not_know_and_oversized_values_are_refused() {
        let mut record = sample();
        record
            .extra
            .insert("ghi_chu".into(), vec!["giữ nguyên".into()]);
        let mut fields = fields_of(&record);
        // The record's own extra column stays editable; new unknown names are refused.
        fields.0.insert("ghi_chu".into(), vec!["sửa".into()]);
        for name in ["withdrawn", "id", "schema", "<script>"] {
            fields.0.insert(name.into(), vec!["true".into()]);
        }
        fields.0.insert("dc.title@en".into(), vec!["x".repeat(501)]);
        fields.0.insert(
            "dc.subject".into(),
            (0..=MAX_VALUES).map(|n| format!("chủ đề {n}")).collect(),
        );
        let checked = to_record(&record, &fields, &authorities()).unwrap_err();
        let mut refused: Vec<&str> = checked.errors.keys().map(String::as_str).collect();
        refused.sort_unstable();
        assert_eq!(
            refused,
            [
                "<script>",
                "dc.subject",
                "dc.title@en",
                "id",
                "schema",
                "withdrawn"
            ]
        );
        assert!(
            checked.errors["dc.title@en"][0]
                .english
                .contains("over the limit of 500 characters")
        );
        assert!(
            checked.errors["dc.subject"][0]
                .english
                .starts_with("201 values")
        );
        assert!(
            checked.errors["withdrawn"][0]
                .english
                .contains("not a field of a record")
        );
        // At the limits, the same form saves.
        for name in ["withdrawn", "id", "schema", "<script>"] {
            fields.0.remove(name);
        }
        fields.0.insert("dc.title@en".into(), vec!["x".repeat(500)]);
        fields.0.get_mut("dc.subject").unwrap().pop();
        let (back, _) = to_record(&record, &fields, &authorities()).unwrap();
        assert_eq!(back.extra["ghi_chu"], ["sửa"]);
        assert_eq!(back.dc["subject"].len(), MAX_VALUES);
    }

    #[test]
    fn an_emptied_access_or_title_is_refused_never_made_public() {
        let record = sample();
        let mut fields = fields_of(&record);
        fields.0.remove("access");
        fields.0.remove("dc.title");
        let checked = to_record(&record, &fields, &authorities()).unwrap_err();
        assert!(checked.errors.contains_key("access"));
        assert!(checked.errors.contains_key("dc.title"));
    }

    #[test]
    fn bodies_are_held_to_ingests_limits_and_kept_as_written() {
        let record = sample();
        let mut fields = fields_of(&record);
        fields.push(BODY, "Cách **bịt** trống.\n\naccess: public\n---\nhết");
        let (back, _) = to_record(&record, &fields, &authorities()).unwrap();
        assert_eq!(
            back.body[&Lang::Vi],
            "Cách **bịt** trống.\n\naccess: public\n---\nhết"
        );
        assert_eq!(
            fields_of(&back),
            fields,
            "the form of the saved record is the form"
        );
        fields
            .0
            .insert(BODY_EN.into(), vec![">".repeat(40) + " deep"]);
        let checked = to_record(&record, &fields, &authorities()).unwrap_err();
        assert_eq!(checked.errors.keys().collect::<Vec<_>>(), [BODY_EN]);
    }

    #[test]
    fn a_community_rule_round_trips_with_its_need() {
        let mut record = sample();
        record.access = "community:phuong-trong".parse().unwrap();
        let fields = fields_of(&record);
        assert_eq!(fields.get("access"), ["community:phuong-trong"]);
        let (back, _) = to_record(&record, &fields, &authorities()).unwrap();
        assert_eq!(back.access, record.access);
    }

    #[test]
    fn restoring_takes_words_and_keeps_files_and_withdrawal() {
        let old = sample();
        let mut now = sample();
        now.dc.insert(
            "title".into(),
            vec![LangValue {
                value: "Trống mới".into(),
                lang: Lang::Vi,
            }],
        );
        now.provenance.batch = "later".into();
        let restored = with_description_of(&now, &old);
        assert_eq!(restored.title(Lang::Vi), "Trống Đọi Tam");
        assert_eq!(restored.provenance.batch, "later");
    }
}
