//! Unit tests of the query parser: clauses, operators, fields in both languages, values, and
//! the notices of every reading.

use super::*;

fn text(text: &str, phrase: bool) -> Atom {
    Atom::Text {
        text: text.into(),
        phrase,
        scope: Scope::Everywhere,
        english: false,
    }
}

fn clause(negated: bool, alternatives: Vec<Atom>) -> Clause {
    Clause {
        negated,
        alternatives,
    }
}

#[test]
fn words_past_the_budget_are_dropped_with_a_notice() {
    let words: Vec<String> = (0..40).map(|n| format!("w{n}")).collect();
    let parsed = parse(&words.join(" "));
    assert_eq!(parsed.clauses.len(), MAX_QUERY_WORDS);
    assert_eq!(
        parsed.clauses.last().unwrap().alternatives,
        [text("w31", false)]
    );
    assert_eq!(parsed.notices, [Notice::WordsCut { max: 32 }]);
    // One token made of many words (a phrase, or words joined by hyphens) is cut too.
    let joined = format!("\"{}\" x-y", words.join("-"));
    let parsed = parse(&joined);
    assert_eq!(parsed.clauses.len(), 1);
    let Atom::Text { text: kept, .. } = &parsed.clauses[0].alternatives[0] else {
        panic!("{parsed:?}")
    };
    assert_eq!(words_in(kept), MAX_QUERY_WORDS);
    assert!(kept.ends_with("w31"), "{kept}");
    assert_eq!(parsed.notices.len(), 1);
    assert!(parse("a b c").notices.is_empty());
}

#[test]
fn words_are_anded_and_phrases_kept_whole() {
    let parsed = parse("trống \"làng nghề\" đồng");
    assert_eq!(
        parsed.clauses,
        [
            clause(false, vec![text("trống", false)]),
            clause(false, vec![text("làng nghề", true)]),
            clause(false, vec![text("đồng", false)]),
        ]
    );
    assert!(parsed.notices.is_empty());
}

#[test]
fn or_joins_and_not_excludes() {
    let parsed = parse("lụa OR gấm -thêu NOT đồng -kind:film");
    assert_eq!(
        parsed.clauses,
        [
            clause(false, vec![text("lụa", false), text("gấm", false)]),
            clause(true, vec![text("thêu", false)]),
            clause(true, vec![text("đồng", false)]),
            clause(true, vec![Atom::Kind(Kind::Film)]),
        ]
    );
    // A leading OR is left out (with a notice); a lone dash is text, not an operator.
    assert_eq!(
        parse("OR lụa -").clauses,
        [
            clause(false, vec![text("lụa", false)]),
            clause(false, vec![text("-", false)])
        ]
    );
}

#[test]
fn fields_in_english_and_vietnamese() {
    let parsed = parse("village:\"Nha Xá\" kind: film làng:doi-tam nghề:det-lua title:trống");
    assert_eq!(
        parsed.clauses,
        [
            clause(false, vec![Atom::Village("Nha Xá".into())]),
            clause(false, vec![Atom::Kind(Kind::Film)]),
            clause(false, vec![Atom::Village("doi-tam".into())]),
            clause(false, vec![Atom::Craft("det-lua".into())]),
            clause(
                false,
                vec![Atom::Text {
                    text: "trống".into(),
                    phrase: true,
                    scope: Scope::Title,
                    english: false,
                }]
            ),
        ]
    );
    // Not a known field: searched as text.
    assert_eq!(
        parse("10:30").clauses,
        [clause(false, vec![text("10:30", false)])]
    );
}

#[test]
fn exclusive_range_ends_and_decades_in_s_are_read() {
    // Regression (break-12 finding 10).
    let range = |q: &str| parse(q).clauses[0].alternatives[0].clone();
    let date = |from, to| Atom::Date { from, to };
    assert_eq!(
        range("date:[1990 TO 2000}"),
        date(Some(19900101), Some(20000100))
    );
    assert_eq!(
        range("date:{1989 TO 1999]"),
        date(Some(19891232), Some(19991231))
    );
    for decade in ["date:1990s", "date:1990's", "năm:1990S"] {
        assert_eq!(
            range(decade),
            date(Some(19900101), Some(19991231)),
            "{decade}"
        );
    }
    assert_eq!(range("date:199X"), range("date:1990s"));
}

#[test]
fn date_ranges() {
    let range = |q: &str| parse(q).clauses.first().map(|c| c.alternatives[0].clone());
    let date = |from, to| Some(Atom::Date { from, to });
    assert_eq!(
        range("date:[1990 TO 1999]"),
        date(Some(19900101), Some(19991231))
    );
    assert_eq!(range("date:199X"), date(Some(19900101), Some(19991231)));
    assert_eq!(range("date:1995-03"), date(Some(19950301), Some(19950331)));
    assert_eq!(range("năm:[1990 TO *]"), date(Some(19900101), None));
    assert_eq!(
        range("date:1990/1999"),
        date(Some(19900101), Some(19991231))
    );
    // Issue 15: a range written high to low is read low to high, each bracket at its end.
    assert_eq!(
        range("date:[1999 TO 1990]"),
        date(Some(19900101), Some(19991231))
    );
    assert_eq!(range("date:1999..1990"), range("date:1990..1999"));
    assert_eq!(range("date:1999/1990"), range("date:1990/1999"));
    assert_eq!(
        range("date:{1999 TO 1990]"),
        date(Some(19901232), Some(19991231))
    );
    // A value that does not parse leaves the words to be searched as typed, and says so.
    let bad = parse("date:[1999 TO soon] kind:flim lụa");
    assert_eq!(
        bad.clauses,
        [
            clause(false, vec![text("date", false)]),
            clause(false, vec![text("[1999", false)]),
            clause(false, vec![text("TO", false)]),
            clause(false, vec![text("soon]", false)]),
            clause(false, vec![text("kind", false)]),
            clause(false, vec![text("flim", false)]),
            clause(false, vec![text("lụa", false)]),
        ]
    );
    assert_eq!(bad.notices.len(), 2);
    assert_eq!(
        bad.notices[1],
        Notice::FieldNotRead {
            name: "kind".into(),
            why: FieldProblem::UnknownKind {
                value: "flim".into()
            }
        }
    );
}

#[test]
fn vocabulary_fields_are_read_in_both_languages() {
    let atoms = |q: &str| -> Vec<Atom> {
        let parsed = parse(q);
        assert!(parsed.notices.is_empty(), "{q}: {:?}", parsed.notices);
        parsed
            .clauses
            .into_iter()
            .flat_map(|c| c.alternatives)
            .collect()
    };
    assert_eq!(
        atoms(r#"artisan:"Nghệ nhân thử 1" nghệ-nhân:nghe-nhan-thu-1"#),
        [
            Atom::Artisan("Nghệ nhân thử 1".into()),
            Atom::Artisan("nghe-nhan-thu-1".into())
        ]
    );
    assert_eq!(
        atoms(r#"product:"trống thử" sản-phẩm:trong-thu tỉnh:"Hà Nam" province:"Ninh Bình""#),
        [
            Atom::Product("trống thử".into()),
            Atom::Product("trong-thu".into()),
            Atom::Province("Hà Nam".into()),
            Atom::Province("Ninh Bình".into())
        ]
    );
    // The commune, by its English or Vietnamese name, with or without diacritics, NFC or NFD.
    assert_eq!(
        atoms("commune:\"Chuyên Ngoại\" xã:chuyen-ngoai xa:\"Xã thử mới\" xa\u{0303}:Mộc"),
        [
            Atom::Commune("Chuyên Ngoại".into()),
            Atom::Commune("chuyen-ngoai".into()),
            Atom::Commune("Xã thử mới".into()),
            Atom::Commune("Mộc".into())
        ]
    );
    let stars = |from, to| Atom::Stars { from, to };
    for (typed, from, to) in [
        ("stars:4", 4, 4),
        ("sao:3", 3, 3),
        ("stars:>=3", 3, 5),
        ("stars:>3", 4, 5),
        ("stars:<=2", 1, 2),
        ("stars:<2", 1, 1),
        ("stars:3-5", 3, 5),
        ("stars:4+", 4, 5),
        ("stars:[3 TO 4]", 3, 4),
        ("stars:5★", 5, 5),
        // Inclusive ranges as for dates (fix14 point 4): open sides, `..`, Lucene's braces.
        ("stars:[3 TO *]", 3, 5),
        ("stars:[* TO 2]", 1, 2),
        ("stars:{3 TO 5]", 4, 5),
        ("stars:[3 TO 5}", 3, 4),
        ("stars:3..5", 3, 5),
        ("stars:3..", 3, 5),
        ("stars:..2", 1, 2),
        ("stars:*..4", 1, 4),
        // Issue 15: a range written high to low is the same range, each bracket at its end.
        ("stars:5..3", 3, 5),
        ("stars:4-2", 2, 4),
        ("stars:[4 TO 2]", 2, 4),
        ("stars:{5 TO 3]", 4, 5),
    ] {
        assert_eq!(atoms(typed), [stars(from, to)], "{typed}");
    }
    // Issue 15: counts no OCOP rating has find nothing, and say so; they are never words.
    for none in [
        "stars:0",
        "stars:6",
        "stars:>5",
        "stars:<1",
        "stars:[3 TO 6]",
        "stars:{5 TO *]",
        "stars:0..3",
        "sao:0",
        // Counts past any integer type never overflow.
        "stars:>2147483647",
        "stars:{99999999999999999999 TO *]",
    ] {
        let parsed = parse(none);
        let value = none.split_once(':').unwrap().1.to_string();
        let found: Vec<Atom> = parsed
            .clauses
            .iter()
            .flat_map(|c| c.alternatives.clone())
            .collect();
        assert_eq!(found, [stars(0, 0)], "{none}");
        assert_eq!(parsed.notices, [Notice::NoSuchStars { value }], "{none}");
    }
    // A value with words is searched as words, saying so; one without (issue 15) finds
    // nothing, saying why.
    let parsed = parse("stars:many");
    assert_eq!(
        parsed.notices,
        [Notice::FieldNotRead {
            name: "stars".into(),
            why: FieldProblem::BadStars {
                value: "many".into()
            }
        }]
    );
    for bad in ["stars:..", "stars:>-1", "stars:3-", "stars:"] {
        let parsed = parse(bad);
        let value = bad.trim_start_matches("stars:").to_string();
        let why = if value.is_empty() {
            FieldProblem::NoValue { field: "stars" }
        } else {
            FieldProblem::BadStars { value }
        };
        assert_eq!(
            parsed.notices,
            [Notice::FieldFindsNothing {
                name: "stars".into(),
                why
            }],
            "{bad}"
        );
        assert_eq!(parsed.clauses.len(), 1, "{bad}");
        assert_eq!(parsed.clauses[0].alternatives, [Atom::Nothing], "{bad}");
    }
    // `-4` is a negative count, not "at most 4"; `*` is any rating.
    assert_eq!(parse("stars:-4").clauses[0].alternatives, [stars(0, 0)]);
    assert_eq!(parse("stars:*").clauses[0].alternatives, [stars(1, 5)]);
    // An NFD value is read as NFC.
    assert_eq!(
        atoms("artisan:\"Nghe\u{0323}\u{0302} nha\u{0302}n\""),
        [Atom::Artisan("Nghệ nhân".into())]
    );
}

#[test]
fn nfd_input_is_read_as_nfc() {
    assert_eq!(
        parse("village:\"Nha Xa\u{0301}\"").clauses,
        [clause(false, vec![Atom::Village("Nha Xá".into())])]
    );
}

/// Case search-colon-field: `Hà Nam: trống` is three words (`năm:` wants a date).
#[test]
fn a_field_name_whose_value_does_not_parse_is_a_word() {
    let parsed = parse("Hà Nam: trống");
    assert_eq!(
        parsed.clauses,
        [
            clause(false, vec![text("Hà", false)]),
            clause(false, vec![text("Nam", false)]),
            clause(false, vec![text("trống", false)]),
        ]
    );
    assert_eq!(
        parsed.notices,
        [Notice::FieldNotRead {
            name: "Nam".into(),
            why: FieldProblem::BadDate {
                value: "trống".into()
            }
        }]
    );
    // Whatever the field and however it is written.
    for (typed, words) in [
        ("Loại: gốm", vec!["Loại", "gốm"]),
        ("kind:pottery bát", vec!["kind", "pottery", "bát"]),
        ("Hà Nam:trống", vec!["Hà", "Nam", "trống"]),
        ("hà nam:trong", vec!["hà", "nam", "trong"]),
        ("Hà Nam: 1995", vec!["Hà", "Nam", "1995"]),
        ("Hà Nam:1995", vec!["Hà", "Nam", "1995"]),
        ("type:document", vec!["type", "document"]),
        ("Status: đẹp", vec!["Status", "đẹp"]),
        ("chương năm: \"một\"", vec!["chương", "năm", "một"]),
        ("làng nghề year:", vec!["làng", "nghề", "year"]),
    ] {
        let parsed = parse(typed);
        let searched: Vec<&str> = parsed
            .clauses
            .iter()
            .map(|c| match &c.alternatives[0] {
                Atom::Text { text, .. } => text.as_str(),
                other => panic!("{typed}: {other:?}"),
            })
            .collect();
        assert_eq!(searched, words, "{typed}");
        assert_eq!(parsed.notices.len(), 1, "{typed}");
    }
    // The notices name the field as typed (web::notices words them).
    assert_eq!(
        parse("Hà Nam: 1995").notices,
        [Notice::Heading {
            name: "Nam".into(),
            field: "date"
        }]
    );
    assert_eq!(
        parse("type:document").notices,
        [Notice::NotAField {
            name: "type".into()
        }]
    );
    assert_eq!(
        field_names(),
        "village, craft, district, kind, date, title, status, artisan, product, stars, province, commune"
    );
    assert!(parse("Hà Nội: 1995").notices.is_empty());
    assert_eq!(
        parse("kind: trống").notices,
        [Notice::FieldNotRead {
            name: "kind".into(),
            why: FieldProblem::UnknownKind {
                value: "trống".into()
            }
        }]
    );
    assert_eq!(
        parse("làng nghề year:").notices,
        [Notice::FieldNotRead {
            name: "year".into(),
            why: FieldProblem::NoValue { field: "date" }
        }]
    );
    // A value that parses is still a field.
    assert_eq!(
        parse("Năm: 1995").clauses,
        [clause(
            false,
            vec![Atom::Date {
                from: Some(19950101),
                to: Some(19951231)
            }]
        )]
    );
}

/// Case search-caps-operators: a title pasted in capitals is text.
#[test]
fn operator_words_in_a_query_in_capitals_are_text() {
    let parsed = parse("KHÔNG GIAN VĂN HOÁ CỒNG CHIÊNG");
    let words = ["KHÔNG", "GIAN", "VĂN", "HOÁ", "CỒNG", "CHIÊNG"];
    let expected: Vec<Clause> = words
        .iter()
        .map(|w| clause(false, vec![text(w, false)]))
        .collect();
    assert_eq!(parsed.clauses, expected);
    assert!(parsed.notices.is_empty());
    for typed in [
        "TRỐNG VÀ CHIÊNG",
        "GỐM HOẶC SỨ",
        "WEAVING AND DYEING",
        "NOT FOR SALE",
        "SILK OR COTTON",
    ] {
        let parsed = parse(typed);
        assert_eq!(parsed.clauses.len(), 3, "{typed}");
        assert!(parsed.clauses.iter().all(|c| !c.negated), "{typed}");
        assert!(parsed.notices.is_empty(), "{typed}");
    }
}

#[test]
fn operator_words_read_as_operators_are_announced_in_both_languages() {
    let parsed = parse("trống KHÔNG đồng");
    assert_eq!(
        parsed.clauses,
        [
            clause(false, vec![text("trống", false)]),
            clause(true, vec![text("đồng", false)]),
        ]
    );
    assert_eq!(
        parsed.notices,
        [Notice::OperatorRead {
            word: "KHÔNG".into(),
            operator: Operator::Not
        }]
    );
    let parsed = parse("gốm HOẶC sứ VÀ men");
    assert_eq!(parsed.clauses.len(), 2);
    assert_eq!(
        parsed.notices,
        [
            Notice::OperatorRead {
                word: "HOẶC".into(),
                operator: Operator::Or
            },
            Notice::OperatorRead {
                word: "VÀ".into(),
                operator: Operator::And
            }
        ]
    );
    // Where an operator joins nothing, each of the six words is left out, and said so.
    for (typed, word) in [
        ("trống KHÔNG", "KHÔNG"),
        ("HOẶC trống", "HOẶC"),
        ("trống OR", "OR"),
        ("AND lụa", "AND"),
        ("chiêng VÀ", "VÀ"),
        ("gian NOT", "NOT"),
        ("gian OR OR chiêng", "OR"),
    ] {
        let parsed = parse(typed);
        assert_eq!(
            parsed.clauses.len(),
            typed.split_whitespace().filter(|w| *w != word).count(),
            "{typed}"
        );
        assert!(parsed.clauses.iter().all(|c| !c.negated), "{typed}");
        assert_eq!(
            parsed.notices,
            [Notice::OperatorLeftOut { word: word.into() }],
            "{typed}"
        );
    }
    // In a run of capitals, it is the word.
    for typed in ["KHÔNG GIAN văn", "văn HOÁ VÀ", "lụa OR GẤM"] {
        let parsed = parse(typed);
        assert_eq!(
            parsed.clauses.len(),
            typed.split_whitespace().count(),
            "{typed}"
        );
        assert!(parsed.notices.is_empty(), "{typed}");
    }
    // Symbols are operators without a notice.
    assert!(parse("lụa | gấm -đồng").notices.is_empty());
}
