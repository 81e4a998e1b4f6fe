//! Checking one description (a `metadata.csv` row, a front matter, the edit form) against the
//! catalogue's rules: each bad cell is one problem naming its row and column, in words either
//! language can say.

use std::collections::BTreeMap;

use super::{
    Authorities, Cell, Column, Description, LUNAR_DATE, access_word, is_lunar_date,
    is_rights_column, may_mean_access, meant_column, rename_hint,
};
use crate::ingest::report::Problem;
use crate::model::lunar::LunarMonthDay;
use crate::model::{
    Access, ArtisanId, CraftId, Edtf, Kind, LangValue, Message, Need, ProductId, RecordId,
    VillageId,
};
use crate::msg;

/// Reads a visit's stop (`village:<id or name>` or `record:<id>`, see [`crate::model::Stop`]):
/// the village must be known (by id or name, as in the `village` column); a record stop is
/// checked as an id here, and as a record of the archive or the batch once the batch is planned
/// (`ingest::stops`: a stop may name a record described further down).
fn stop(value: &str, authorities: &Authorities) -> Result<crate::model::Stop, Message> {
    use crate::model::Stop;
    match value.split_once(':') {
        Some((prefix, village)) if prefix.trim().eq_ignore_ascii_case("village") => {
            authorities.village(village.trim()).map(Stop::Village)
        }
        _ => Stop::parse(value).map_err(|e| e.message()),
    }
}

/// A description checked against the catalogue's rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validated {
    /// `dc.identifier`, when given.
    pub identifier: Option<RecordId>,
    /// `kind`, when given.
    pub kind: Option<Kind>,
    /// `access` (with `access_need`), when given.
    pub access: Option<Access>,
    /// `files_access` (with `files_access_need`), when given: as written, even when it is not
    /// narrower than `access` (the record keeps only a narrower one; see
    /// [`crate::model::Record::files_access`]).
    pub files_access: Option<Access>,
    /// Warnings about the description (a `files_access` wider than `access`).
    pub warnings: Vec<Problem>,
    /// `village`, resolved.
    pub village: Option<VillageId>,
    /// `craft`, resolved.
    pub craft: Option<CraftId>,
    /// Every `artisan`, resolved, in column order, without repeats.
    pub artisans: Vec<ArtisanId>,
    /// Every `product`, resolved, in column order, without repeats.
    pub products: Vec<ProductId>,
    /// The first `dc.date`.
    pub date: Option<Edtf>,
    /// Every Dublin Core value.
    pub dc: BTreeMap<String, Vec<LangValue>>,
    /// Other columns.
    pub extra: BTreeMap<String, Vec<String>>,
    /// A visit's `stop`s, in order, each village resolved to its id.
    pub stops: Vec<crate::model::Stop>,
}

/// Checks every cell of `description`; each bad cell is one problem naming its row and column.
pub fn validate(
    description: &Description,
    authorities: &Authorities,
) -> Result<Validated, Vec<Problem>> {
    let mut validated = Validated::default();
    let mut problems = Vec::new();
    let mut seen_single: Vec<&Column> = Vec::new();
    for cell in &description.cells {
        let single = matches!(
            cell.column,
            Column::Kind
                | Column::Village
                | Column::Craft
                | Column::AccessNeed
                | Column::FilesAccessNeed
        );
        if single {
            if seen_single.contains(&&cell.column) {
                problems.push(description.problem(
                    cell,
                    msg!(
                        "ingest-column-only-once",
                        "this column may appear only once"
                    ),
                ));
                continue;
            }
            seen_single.push(&cell.column);
        }
        let outcome: Result<(), Message> = match &cell.column {
            column if let Some(meant) = meant_column(column) => Err(msg!(
                "ingest-column-may-mean-access",
                "'{header}' is not a column Disan knows, and it may say who may see the record: {hint}",
                header = cell.header,
                hint = rename_hint(meant)
            )),
            Column::Filename => Ok(()),
            Column::Kind => cell
                .value
                .parse()
                .map(|kind| validated.kind = Some(kind))
                .map_err(|e: crate::model::InvalidValue| e.message()),
            // Read together once every cell is seen (several communities, their need).
            Column::Access
            | Column::AccessNeed
            | Column::FilesAccess
            | Column::FilesAccessNeed => Ok(()),
            Column::Village => authorities
                .village(&cell.value)
                .map(|id| validated.village = Some(id)),
            Column::Craft => authorities
                .craft(&cell.value)
                .map(|id| validated.craft = Some(id)),
            Column::Artisan => authorities.artisan(&cell.value).map(|id| {
                if !validated.artisans.contains(&id) {
                    validated.artisans.push(id);
                }
            }),
            Column::Product => authorities.product(&cell.value).map(|id| {
                if !validated.products.contains(&id) {
                    validated.products.push(id);
                }
            }),
            Column::Dc { term, lang } => {
                let checked = match term.as_str() {
                    "date" => Edtf::parse(&cell.value)
                        .map(|date| {
                            validated.date.get_or_insert(date);
                        })
                        .map_err(|e| e.message()),
                    "identifier" if validated.identifier.is_none() => RecordId::parse(&cell.value)
                        .map(|id| validated.identifier = Some(id))
                        .map_err(|e| e.message()),
                    _ => Ok(()),
                };
                if checked.is_ok() {
                    validated
                        .dc
                        .entry(term.clone())
                        .or_default()
                        .push(LangValue {
                            value: cell.value.clone(),
                            lang: *lang,
                        });
                }
                checked
            }
            Column::Invalid(message) => Err(message.clone()),
            Column::Stop => stop(&cell.value, authorities).map(|stop| validated.stops.push(stop)),
            Column::Extra(name) if is_lunar_date(name) => cell
                .value
                .parse::<LunarMonthDay>()
                .map_err(|e| e.message())
                .and_then(|day| {
                    let dates = validated.extra.entry(LUNAR_DATE.to_string()).or_default();
                    match dates.first() {
                        None => {
                            dates.push(cell.value.clone());
                            Ok(())
                        }
                        Some(first) if first.parse::<LunarMonthDay>().ok() == Some(day) => Ok(()),
                        Some(first) => Err(msg!(
                            "ingest-second-lunar-date",
                            "a second lunar date '{value}' after '{first}': the festival calendar shows one date a record; keep one, or describe each festival day as a record of its own",
                            value = cell.value,
                            first = first
                        )),
                    }
                }),
            Column::Extra(name) => {
                validated
                    .extra
                    .entry(name.clone())
                    .or_default()
                    .push(cell.value.clone());
                Ok(())
            }
        };
        if let Err(message) = outcome {
            problems.push(description.problem(cell, message));
        }
    }
    // Stops make a visit; on anything else they would be kept and never shown.
    if validated.kind != Some(Kind::Visit)
        && let Some(cell) = description.first(&Column::Stop)
    {
        problems.push(description.problem(
            cell,
            msg!(
                "ingest-stop-not-visit",
                "stop is for visits: write kind: visit (or take the stops away)"
            ),
        ));
    }
    // A visit goes somewhere: none is a warning, more than the limit an error (break14 F9).
    let stops = description
        .cells
        .iter()
        .filter(|c| c.column == Column::Stop);
    if let Some(cell) = stops.clone().nth(crate::model::visit::MAX_STOPS) {
        let (count, limit) = (stops.count(), crate::model::visit::MAX_STOPS);
        let message = msg!(
            "ingest-too-many-stops",
            "a visit has at most {limit} stops; this one has {count}: split it into several visits",
            limit = limit,
            count = count
        );
        problems.push(description.problem(cell, message));
    } else if validated.kind == Some(Kind::Visit) && validated.stops.is_empty() {
        let message = msg!(
            "ingest-visit-without-stop",
            "a visit with no stop: its page lists no place to go; add stop: village:<id> or record:<id>, one per stop"
        );
        let warning = Problem::warning(description.file.clone(), message);
        validated.warnings.push(warning.at_row(description.row));
    }
    rule_of(
        description,
        Column::Access,
        Column::AccessNeed,
        &mut validated.access,
        &mut problems,
    );
    rule_of(
        description,
        Column::FilesAccess,
        Column::FilesAccessNeed,
        &mut validated.files_access,
        &mut problems,
    );
    // A community protocol written anywhere but in the rule columns (`dc.rights`, a `protocol`
    // column, a description) would be published without it: refused at its cell.
    for cell in &description.cells {
        if let Some(message) = protocol_outside_rules(cell, authorities) {
            problems.push(description.problem(cell, message));
        }
    }
    // Every community named must be a group of the accounts database, each refused at its cell.
    for cell in &description.cells {
        if !matches!(cell.column, Column::Access | Column::FilesAccess) {
            continue;
        }
        let Ok(access) = cell.value.parse::<Access>() else {
            continue;
        };
        for group in access.groups() {
            if let Some(refusal) = authorities.communities.refusal(group) {
                problems.push(description.problem(cell, refusal));
            }
        }
    }
    if let (Some(access), Some(files)) = (&validated.access, &validated.files_access)
        && files.admits_all_of(access)
        && files != access
        && let Some(cell) = description.first(&Column::FilesAccess)
    {
        validated.warnings.push(
            Problem::warning(
                description.file.clone(),
                msg!(
                    "ingest-files-access-wider",
                    "files_access {files} is wider than access {access}: files are never seen by more people than the record, so they follow access",
                    files = files.to_string(),
                    access = access.to_string()
                ),
            )
            .at_row(description.row)
            .in_column(cell.header.clone()),
        );
    }
    if validated
        .access
        .as_ref()
        .is_none_or(|access| *access == Access::Public)
    {
        for cell in &description.cells {
            // An access word in a rights column, or an unknown column holding nothing but one.
            let exact = matches!(cell.column, Column::Extra(_))
                && access_word(&cell.value).is_some_and(|word| {
                    crate::model::text::fold(cell.value.trim()) == crate::model::text::fold(word)
                });
            if let Some(word) =
                access_word(&cell.value).filter(|_| is_rights_column(&cell.column) || exact)
            {
                let access = match &validated.access {
                    Some(access) => msg!(
                        "ingest-access-says",
                        "access says {access}",
                        access = access.to_string()
                    ),
                    None => msg!("ingest-access-not-stated", "access is not stated"),
                };
                problems.push(description.problem(
                    cell,
                    msg!(
                        "ingest-access-word-outside-access",
                        "'{header}' says '{word}', an access level, but {access}: write public, researchers, restricted or community:<group-id> in the access column",
                        header = cell.header,
                        word = word,
                        access = access
                    ),
                ));
            } else if matches!(&cell.column, Column::Dc { term, .. } if term == "accessRights")
                && !cell.value.trim().is_empty()
            {
                // Free text about access ("community only", "chỉ dành cho cộng đồng") that no
                // word list can catch: never silently taken as a restriction (break-13b R7).
                let access = match &validated.access {
                    Some(access) => msg!(
                        "ingest-access-says",
                        "access says {access}",
                        access = access.to_string()
                    ),
                    None => msg!(
                        "ingest-access-not-stated-public",
                        "access is not stated, so it is public"
                    ),
                };
                validated.warnings.push(
                    Problem::warning(
                        description.file.clone(),
                        msg!(
                            "ingest-access-rights-restrict-no-one",
                            "'{header}' is shown as descriptive text and restricts no one ({access}): if it means that only some people may see the record, write public, researchers, restricted or community:<group-id> in the access column",
                            header = cell.header,
                            access = access
                        ),
                    )
                    .at_row(description.row)
                    .in_column(cell.header.clone()),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(validated)
    } else {
        // In the order of the columns, as the archivist reads the row.
        let position = |problem: &Problem| {
            description
                .cells
                .iter()
                .position(|cell| Some(&cell.header) == problem.column.as_ref())
        };
        problems.sort_by_key(position);
        Err(problems)
    }
}

/// Why `cell` may not hold what it holds, when it states a community protocol outside `access`
/// and `files_access`: a value of the form `community:…` (any case, spaces around the colon) in
/// any other column, or the id of one of the accounts database's groups as the whole value of a
/// column Disan does not know or of `dc.rights`/`dc.accessRights`/`dc.audience`. Such a record
/// would otherwise be published to everyone with its protocol written in a column nobody reads
/// as one (Mukurtu writes protocols in a `protocol` field).
fn protocol_outside_rules(cell: &Cell, authorities: &Authorities) -> Option<Message> {
    if matches!(
        cell.column,
        Column::Access | Column::FilesAccess | Column::Invalid(_)
    ) || may_mean_access(&cell.column)
    {
        return None;
    }
    let value = cell.value.trim();
    // `community:<one word>`, as the access column takes it, in any case and spacing; prose that
    // happens to begin with "Community:" goes on with several words.
    let community = value
        .get(.."community".len())
        .is_some_and(|head| head.eq_ignore_ascii_case("community"))
        && value["community".len()..]
            .trim_start()
            .strip_prefix(':')
            .map(str::trim)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
    let group = !community
        && match &cell.column {
            Column::Extra(name) => !is_lunar_date(name),
            Column::Dc { term, .. } => {
                matches!(term.as_str(), "rights" | "accessRights" | "audience")
            }
            _ => false,
        }
        && crate::model::GroupId::parse(cell.value.trim())
            .is_ok_and(|id| authorities.communities.holds(&id));
    (community || group).then(|| {
        let what = if community {
            msg!("ingest-a-community-protocol", "a community protocol")
        } else {
            msg!("ingest-a-community-group-id", "the id of a community group")
        };
        msg!(
            "ingest-protocol-outside-rules",
            "'{header}' holds '{value}', {what}, but only the access column says who may see the record (files_access, who may see its files): write community:<group-id> in access (or files_access), and leave it out of '{header}'",
            header = cell.header,
            value = cell.value,
            what = what
        )
    })
}

/// Reads the rule of the `values` column (`access` or `files_access`, repeated for several
/// communities) with its `need` column into `rule`; a bad value, a mix of a level with other
/// values, or a need without communities is one problem on the first cell concerned.
fn rule_of(
    description: &Description,
    values: Column,
    need: Column,
    rule: &mut Option<Access>,
    problems: &mut Vec<Problem>,
) {
    let cells: Vec<&Cell> = description
        .cells
        .iter()
        .filter(|cell| cell.column == values)
        .collect();
    let need_cell = description.first(&need);
    let parsed_need = match need_cell.map(|cell| cell.value.parse::<Need>()) {
        None => None,
        Some(Ok(need)) => Some(need),
        Some(Err(error)) => {
            if let Some(cell) = need_cell {
                problems.push(description.problem(cell, error.message()));
            }
            return;
        }
    };
    let Some(first) = cells.first() else {
        if let Some(cell) = need_cell {
            let name = if values == Column::Access {
                "access"
            } else {
                "files_access"
            };
            problems.push(description.problem(
                cell,
                msg!(
                    "ingest-need-without-rule",
                    "a need is given but no {name}: write the communities in the {name} column",
                    name = name
                ),
            ));
        }
        return;
    };
    let texts: Vec<&str> = cells.iter().map(|cell| cell.value.as_str()).collect();
    match Access::from_values(&texts, parsed_need) {
        Ok(access) => *rule = Some(access),
        Err(error) => {
            // The cell at fault: the need when it is, else the first value that does not
            // read, else the first one.
            let at = match need_cell {
                Some(cell) if error.0.starts_with("a need") => cell,
                _ => cells
                    .iter()
                    .find(|cell| cell.value.parse::<Access>().is_err())
                    .unwrap_or(first),
            };
            problems.push(description.problem(at, error.message()));
        }
    }
}
