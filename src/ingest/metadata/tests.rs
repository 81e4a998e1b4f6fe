//! Tests of reading a batch's descriptions: columns, rule columns and values, overlays.

use super::*;
use crate::model::{RiskStatus, Village, VillageId};

fn authorities() -> Authorities {
    let mut authorities = Authorities::default();
    let village = Village {
        status: Some(RiskStatus::Developing),
        ..Village::new(VillageId::parse("ngoc-dong").unwrap(), "Ngọc Động")
    };
    authorities.villages.insert(village.id.clone(), village);
    // The groups the tests' rows name, as `disan group add` would have created them.
    authorities.communities = crate::ingest::communities::Communities::known(
        std::path::Path::new("accounts.sqlite"),
        ["a", "b", "du-an-2025", "phuong-trong"]
            .iter()
            .map(|id| crate::model::GroupId::parse(id).unwrap())
            .collect(),
    );
    authorities
}

#[test]
fn a_community_the_accounts_database_does_not_hold_is_an_error_at_its_cell() {
    let text = "filename,access,access,files_access\n\
        objects/a.mp4,community:a,community:khong-co,\n\
        objects/b.mp4,public,,community:phuong-trong-mua\n\
        objects/c.mp4,community:a,community:b,\n";
    let parsed = parse_csv("metadata/metadata.csv", text);
    let refusals: Vec<Vec<String>> = parsed
        .rows
        .iter()
        .map(|row| match validate(row, &authorities()) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        })
        .collect();
    let refused = |row: usize, column: &str, id: &str| {
        format!(
            "error: metadata/metadata.csv, row {row}, column {column}: community:{id} names the group '{id}', which the accounts database accounts.sqlite does not hold: create the group first with `disan --accounts accounts.sqlite group add {id} --name \"…\"`, then ingest it again"
        )
    };
    assert_eq!(
        refusals,
        [
            vec![refused(2, "access", "khong-co")],
            vec![refused(3, "files_access", "phuong-trong-mua")],
            vec![],
        ]
    );
    // Front matter follows the same rule, at its file and key.
    let (description, _) = from_front_matter(
        "objects/bi-kip.md",
        &[("access".to_string(), vec!["community:khong-co".to_string()])],
        false,
    );
    let problems = validate(&description, &authorities()).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "error: objects/bi-kip.md, column access: community:khong-co names the group 'khong-co', which the accounts database accounts.sqlite does not hold: create the group first with `disan --accounts accounts.sqlite group add khong-co --name \"…\"`, then ingest it again"
    );
}

/// Finding F8 of the issue 13 review: columns and keys naming a protocol or a need by
/// another name are read as the rule column they may mean, never passed over.
#[test]
fn columns_named_like_a_rule_say_which_rule_column_to_use() {
    let meant = |header: &str| meant_column(&Column::parse(header).0);
    for (header, column) in [
        ("protocol", Some("access")),
        ("Cultural Protocol", Some("access")),
        ("protocols", Some("access")),
        ("community", Some("access")),
        ("Communities", Some("access")),
        ("Cộng đồng", Some("access")),
        ("Access Level", Some("access")),
        ("access_levels", Some("access")),
        ("need", Some("access_need")),
        ("NEEDS", Some("access_need")),
        ("access_needs", Some("access_need")),
        ("protocol-need", Some("access_need")),
        ("files_need", Some("files_access_need")),
        ("Files Need", Some("files_access_need")),
        ("files_protocol", Some("files_access")),
        ("files_access_level", Some("files_access")),
        ("dc.protocol", Some("access")),
        // Disan's own and known Dublin Core columns, and columns about something else.
        ("access", None),
        ("files_access_need", None),
        ("dc.rights", None),
        ("notes", None),
        ("community_history", None),
    ] {
        assert_eq!(meant(header), column, "{header}");
    }
}

#[test]
fn a_community_outside_the_rule_columns_is_an_error_at_its_cell() {
    let authorities = Authorities {
        communities: crate::ingest::communities::Communities::known(
            std::path::Path::new("a.sqlite"),
            [crate::model::GroupId::parse("cong-dong-a").unwrap()].into(),
        ),
        ..Authorities::default()
    };
    let errors = |text: &str| -> Vec<String> {
        let parsed = parse_csv("m.csv", text);
        assert!(!parsed.unusable, "{:?}", parsed.problems);
        parsed
            .rows
            .iter()
            .flat_map(|row| validate(row, &authorities).err().unwrap_or_default())
            .map(|problem| problem.to_string())
            .collect()
    };
    let refused = |column: &str, value: &str, what: &str| {
        format!(
            "error: m.csv, row 2, column {column}: '{column}' holds '{value}', {what}, but only the access column says who may see the record (files_access, who may see its files): write community:<group-id> in access (or files_access), and leave it out of '{column}'"
        )
    };
    assert_eq!(
        errors("filename,dc.rights\na.txt,Community : cong-dong-a\n"),
        [refused(
            "dc.rights",
            "Community : cong-dong-a",
            "a community protocol"
        )]
    );
    assert_eq!(
        errors("filename,dc.description\na.txt,community:cong-dong-b\n"),
        [refused(
            "dc.description",
            "community:cong-dong-b",
            "a community protocol"
        )]
    );
    assert_eq!(
        errors("filename,ghi chu\na.txt,cong-dong-a\n"),
        [refused(
            "ghi chu",
            "cong-dong-a",
            "the id of a community group"
        )]
    );
    // Prose, a group the database does not hold in a subject, and the rule columns are fine.
    assert!(
        errors(
            "filename,dc.description,dc.subject,access\na.txt,Community: the weavers,cong-dong-b,community:cong-dong-a\n"
        )
        .is_empty()
    );
}

#[test]
fn header_columns_are_understood() {
    assert_eq!(
        Column::parse("dc.title@en").0,
        Column::Dc {
            term: "title".into(),
            lang: Lang::En
        }
    );
    assert_eq!(
        Column::parse("dcterms.isPartOf").0,
        Column::Dc {
            term: "isPartOf".into(),
            lang: Lang::Vi
        }
    );
    assert_eq!(Column::parse(" Village ").0, Column::Village);
    let (column, warning) = Column::parse("dc.titel");
    assert_eq!(
        column,
        Column::Dc {
            term: "titel".into(),
            lang: Lang::Vi
        }
    );
    assert!(warning.unwrap().english.contains("not a Dublin Core term"));
}

#[test]
fn header_names_are_normalised_before_matching() {
    for header in ["\u{feff}access", " ACCESS ", "ac\u{200b}cess", "Ac cess"] {
        assert_eq!(Column::parse(header).0, Column::Access, "{header:?}");
    }
    assert!(may_mean_access(&Column::parse("Access Level").0));
    assert!(may_mean_access(&Column::parse("quyen_access").0));
    assert!(!may_mean_access(&Column::parse("dcterms.accessRights").0));
    for header in [
        "dc.access",
        "dcterms.Visibility@en",
        "Bảo-Mật",
        "TRUY_CẬP",
        "quyền xem",
    ] {
        assert!(may_mean_access(&Column::parse(header).0), "{header}");
    }
    for header in ["dc.rights", "dc.title", "dc.titel", "notes"] {
        assert!(!may_mean_access(&Column::parse(header).0), "{header}");
    }
    assert_eq!(access_word("Tài liệu nội bộ"), Some("nội bộ"));
    assert_eq!(access_word("Unrestricted use"), None);
    assert_eq!(access_word("CC BY 4.0"), None);
    assert_eq!(access_word("Private"), Some("private"));
    assert_eq!(access_word("Private collection of Mr Tuan"), None);
}

#[test]
fn repeated_columns_give_several_values_and_nfd_becomes_nfc() {
    let text =
        "filename,dc.subject,dc.subject,dc.title@en\nobjects/a.jpg,de\u{0302}\u{0323}t,lụa,Silk\n";
    let ParsedCsv { rows, problems, .. } = parse_csv("metadata/metadata.csv", text);
    assert!(problems.is_empty(), "{problems:?}");
    let validated = validate(&rows[0], &authorities()).unwrap();
    let subjects: Vec<&str> = validated.dc["subject"]
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(subjects, ["dệt", "lụa"]);
    assert_eq!(validated.dc["title"][0].lang, Lang::En);
    assert_eq!(rows[0].row, Some(2));
}

#[test]
fn each_bad_cell_is_reported_with_row_and_column() {
    let text = "filename,access,dc.date,village\nobjects/a.jpg,privat,2020-13-01,Làng Lạ\n";
    let rows = parse_csv("metadata/metadata.csv", text).rows;
    let problems = validate(&rows[0], &authorities()).unwrap_err();
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "error: metadata/metadata.csv, row 2, column access: 'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
            "error: metadata/metadata.csv, row 2, column dc.date: \"2020-13-01\": month 13 does not exist",
            "error: metadata/metadata.csv, row 2, column village: unknown village 'Làng Lạ': it is neither in the archive nor in the batch's metadata/villages.csv",
        ]
    );
}

/// A row's rule, files rule and warnings as text, or its messages.
type Rules = Result<(Option<String>, Option<String>, Vec<String>), Vec<String>>;

/// Validates each data row of `text` (a metadata.csv) and gives its rule and files rule, or
/// its messages.
fn rules(text: &str) -> Vec<Rules> {
    parse_csv("metadata/metadata.csv", text)
        .rows
        .iter()
        .map(|row| {
            let shown = |problems: &[Problem]| problems.iter().map(ToString::to_string).collect();
            validate(row, &authorities())
                .map(|v| {
                    (
                        v.access.map(|a| a.to_string()),
                        v.files_access.map(|a| a.to_string()),
                        shown(&v.warnings),
                    )
                })
                .map_err(|problems| shown(&problems))
        })
        .collect()
}

#[test]
fn communities_repeat_the_access_column_with_their_need() {
    let text = "filename,access,access,access_need,files_access,Files Access Need\n\
        objects/a.mp4,community:phuong-trong,community:du-an-2025,all,,\n\
        objects/b.mp4,public,,,community:phuong-trong,\n\
        objects/c.mp4,community:phuong-trong,,,,\n\
        objects/d.mp4,researchers,,,community:a,any\n";
    let rows = rules(text);
    let ok = |access: &str, files: Option<&str>| {
        Ok((
            Some(access.to_string()),
            files.map(str::to_string),
            Vec::new(),
        ))
    };
    assert_eq!(
        rows,
        [
            ok("community:du-an-2025, community:phuong-trong (all)", None),
            ok("public", Some("community:phuong-trong")),
            ok("community:phuong-trong", None),
            ok("researchers", Some("community:a")),
        ]
    );
}

#[test]
fn mixed_levels_bad_groups_and_bad_needs_are_errors_at_their_cell() {
    let text = "filename,access,access,access_need,files_access,files_access_need\n\
        objects/a.mp4,public,community:phuong-trong,,,\n\
        objects/b.mp4,community:Phuong Trong,,,,\n\
        objects/c.mp4,community:a,community:b,most,,\n\
        objects/d.mp4,restricted,,all,,\n\
        objects/e.mp4,public,,,researchers,all\n\
        objects/f.mp4,public,,,,any\n\
        objects/g.mp4,public,,,bi mat,\n";
    let errors: Vec<Vec<String>> = rules(text)
        .into_iter()
        .map(|row| row.expect_err("each row has an error"))
        .collect();
    assert_eq!(
        errors,
        [
            vec![
                "error: metadata/metadata.csv, row 2, column access: 'public' cannot be given with other access values (public, community:phuong-trong): only community values may be repeated, and a record is either public or for communities"
            ],
            vec![
                "error: metadata/metadata.csv, row 3, column access: 'community:Phuong Trong' names no valid community: 'Phuong Trong' is not a valid group id: use 1 to 100 letters a-z, digits and '-' (no spaces)"
            ],
            vec![
                "error: metadata/metadata.csv, row 4, column access_need: 'most' is not a need; use one of: any, all"
            ],
            vec![
                "error: metadata/metadata.csv, row 5, column access_need: a need ('all') is only for community access values, but the access is restricted"
            ],
            vec![
                "error: metadata/metadata.csv, row 6, column files_access_need: a need ('all') is only for community access values, but the access is researchers"
            ],
            vec![
                "error: metadata/metadata.csv, row 7, column files_access_need: a need is given but no files_access: write the communities in the files_access column"
            ],
            vec![
                "error: metadata/metadata.csv, row 8, column files_access: 'bi mat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
            ],
        ]
    );
}

#[test]
fn a_files_rule_wider_than_the_record_is_warned_about() {
    let text = "filename,access,files_access\nobjects/a.mp4,community:a,public\n";
    assert_eq!(
        rules(text),
        [Ok((
            Some("community:a".to_string()),
            Some("public".to_string()),
            vec!["warning: metadata/metadata.csv, row 2, column files_access: files_access public is wider than access community:a: files are never seen by more people than the record, so they follow access".to_string()],
        ))]
    );
}

#[test]
fn front_matter_takes_a_list_of_communities() {
    let fields = vec![
        (
            "access".to_string(),
            vec!["community:a".to_string(), "community:b".to_string()],
        ),
        ("access_need".to_string(), vec!["all".to_string()]),
        ("files_access".to_string(), vec!["community:a".to_string()]),
    ];
    let (description, warnings) = from_front_matter("objects/bi-kip.md", &fields, false);
    assert!(warnings.is_empty(), "{warnings:?}");
    let validated = validate(&description, &authorities()).unwrap();
    assert_eq!(
        validated.access.unwrap().to_string(),
        "community:a, community:b (all)"
    );
    // Wider than "all of a and b": a warning, and the record keeps only the narrower rule.
    assert_eq!(validated.warnings.len(), 1);
}

#[test]
fn village_names_match_without_diacritics() {
    let authorities = authorities();
    assert_eq!(
        authorities.village("Ngoc Dong").unwrap().as_str(),
        "ngoc-dong"
    );
    assert_eq!(
        authorities.village("ngoc-dong").unwrap().as_str(),
        "ngoc-dong"
    );
}

#[test]
fn a_sheet_without_a_filename_header_is_refused_not_read_as_data() {
    // The first row is data: it must not become the header, nor its cells columns.
    let parsed = parse_csv("m.csv", "objects/a.jpg,A,public\nobjects/b.jpg,B,public\n");
    assert!(parsed.unusable);
    assert!(parsed.rows.is_empty());
    assert_eq!(
        parsed.problems[0].to_string(),
        "error: m.csv, row 1: the first column must be 'filename' (the path of the described file or folder, relative to the batch), but row 1 begins with 'objects/a.jpg'"
    );
    // A bad first data row (CRLF) is row 2, never the header.
    let parsed = parse_csv(
        "m.csv",
        "filename,access\r\nobjects/a.jpg,bi mat\r\nobjects/b.jpg,public\r\n",
    );
    assert!(!parsed.unusable);
    let problems = validate(&parsed.rows[0], &authorities()).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "error: m.csv, row 2, column access: 'bi mat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
    );
}

#[test]
fn language_tags_are_read_as_bcp_47_in_any_case() {
    for header in [
        "dc.title@en",
        "dc.title@EN",
        "dc.title@En",
        "dc.title@en-GB",
        "dc.title@en-gb",
        "dc.title@EN-US",
        "dc.title@en_GB",
        "dc.title@en-Latn-GB",
        "dc.title @ en",
    ] {
        assert_eq!(
            Column::parse(header).0,
            Column::Dc {
                term: "title".into(),
                lang: Lang::En
            },
            "{header}"
        );
    }
    for header in ["dc.title@vi", "dc.title@VI-vn", "dc.title"] {
        assert_eq!(
            Column::parse(header).0,
            Column::Dc {
                term: "title".into(),
                lang: Lang::Vi
            },
            "{header}"
        );
    }
    let (column, _) = Column::parse("dc.title@fr");
    let Column::Invalid(message) = column else {
        panic!("{column:?}");
    };
    assert_eq!(
        message.english,
        "'dc.title@fr' is tagged with the language 'fr', but Disan keeps values in Vietnamese (no tag, or @vi) and English (@en, @en-GB…); tag the column with one of them"
    );
    assert!(matches!(Column::parse("dc.title@").0, Column::Invalid(_)));
    // Text after '@' that is no language tag is part of an extra column's name.
    assert_eq!(
        Column::parse("notes@2024").0,
        Column::Extra("notes@2024".into())
    );
}

#[test]
fn an_unknown_language_tag_is_an_error_naming_row_and_column() {
    let text =
        "filename,dc.title@fr,dc.title@EN-gb\nobjects/a.jpg,Tissage,Weaving\nobjects/b.jpg,,Loom\n";
    let parsed = parse_csv("metadata.csv", text);
    let problems = validate(&parsed.rows[0], &authorities()).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "error: metadata.csv, row 2, column dc.title@fr: 'dc.title@fr' is tagged with the language 'fr', but Disan keeps values in Vietnamese (no tag, or @vi) and English (@en, @en-GB…); tag the column with one of them"
    );
    // An empty cell in that column is no harm.
    let validated = validate(&parsed.rows[1], &authorities()).unwrap();
    assert_eq!(validated.dc["title"][0].lang, Lang::En);
    assert_eq!(validated.dc["title"][0].value, "Loom");
}

/// Each row of the sheet `text` validated: its lunar dates, or its first problem.
fn lunar_dates_of(text: &str) -> Vec<Result<Vec<String>, String>> {
    parse_csv("metadata.csv", text)
        .rows
        .iter()
        .map(|row| {
            validate(row, &authorities())
                .map(|v| v.extra["lunar_date"].clone())
                .map_err(|p| p[0].to_string())
        })
        .collect()
}

#[test]
fn lunar_dates_are_checked_like_dates() {
    let text = "filename,kind,Lunar_Date\nobjects/a.md,festival,1-7\nobjects/b.md,festival,13-1\nobjects/c.md,festival,1-31\nobjects/d.md,festival,1/7\nobjects/e.md,festival,4L-15\n";
    let outcomes = lunar_dates_of(text);
    assert_eq!(
        outcomes,
        [
            Ok(vec!["1-7".to_string()]),
            Err("error: metadata.csv, row 3, column Lunar_Date: '13-1' is not a lunar date: the month must be 1 to 12, like 1-7".to_string()),
            Err("error: metadata.csv, row 4, column Lunar_Date: '1-31' is not a lunar date: the day must be 1 to 30 (a lunar month has 29 or 30 days), like 1-7".to_string()),
            Err("error: metadata.csv, row 5, column Lunar_Date: '1/7' is not a lunar date: write the month first, then '-' and the day, like 7-1 for day 1 of month 7".to_string()),
            Ok(vec!["4L-15".to_string()]),
        ]
    );
    let fields = vec![("lunar_date".to_string(), vec!["0-5".to_string()])];
    let (description, _) = from_front_matter("objects/hoi.md", &fields, false);
    assert_eq!(
        validate(&description, &authorities()).unwrap_err()[0].to_string(),
        "error: objects/hoi.md, column lunar_date: '0-5' is not a lunar date: the month must be 1 to 12, like 1-7"
    );
}

/// Break-11b finding 8: a second lunar date (a repeated column, or `lunar_date@vi` beside
/// `lunar_date`) was stored and never shown.
#[test]
fn a_record_has_one_lunar_date() {
    let text = "filename,kind,lunar_date,lunar_date\nobjects/a.md,festival,1-7,01-07\nobjects/b.md,festival,1-7,4L-15\n";
    let outcomes = lunar_dates_of(text);
    assert_eq!(
        outcomes,
        [
            Ok(vec!["1-7".to_string()]),
            Err("error: metadata.csv, row 3, column lunar_date: a second lunar date '4L-15' after '1-7': the festival calendar shows one date a record; keep one, or describe each festival day as a record of its own".to_string()),
        ]
    );
    let fields = vec![
        ("lunar_date".to_string(), vec!["1-7".to_string()]),
        ("lunar_date@vi".to_string(), vec!["1-8".to_string()]),
    ];
    let (description, _) = from_front_matter("objects/hoi.md", &fields, false);
    assert_eq!(
        validate(&description, &authorities()).unwrap_err()[0].to_string(),
        "error: objects/hoi.md, column lunar_date@vi: a second lunar date '1-8' after '1-7': the festival calendar shows one date a record; keep one, or describe each festival day as a record of its own"
    );
}

#[test]
fn english_front_matter_tags_values_english() {
    let fields = vec![("dc.title".to_string(), vec!["Silk weaving".to_string()])];
    let (description, _) = from_front_matter("objects/a.en.md", &fields, true);
    let validated = validate(&description, &authorities()).unwrap();
    assert_eq!(validated.dc["title"][0].lang, Lang::En);
}

/// Break14 finding 9: a visit with no stop is a warning; one with more than
/// [`crate::model::visit::MAX_STOPS`] is refused at the first stop past the limit, naming it.
#[test]
fn a_visit_needs_a_stop_and_has_at_most_the_limit() {
    let visit = |stops: usize| {
        let mut fields = vec![("kind".to_string(), vec!["visit".to_string()])];
        fields.push((
            "stop".to_string(),
            (0..stops)
                .map(|_| "village:ngoc-dong".to_string())
                .collect(),
        ));
        from_front_matter("objects/tham-quan.md", &fields, false).0
    };
    let none = validate(&visit(0), &authorities()).unwrap();
    assert_eq!(
        none.warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "warning: objects/tham-quan.md: a visit with no stop: its page lists no place to go; add stop: village:<id> or record:<id>, one per stop"
        ]
    );
    let most = validate(&visit(crate::model::visit::MAX_STOPS), &authorities()).unwrap();
    assert!(most.warnings.is_empty(), "{:?}", most.warnings);
    let problems = validate(&visit(2000), &authorities()).unwrap_err();
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "error: objects/tham-quan.md, column stop: a visit has at most 100 stops; this one has 2000: split it into several visits"
        ]
    );
}
