//! What the visitor is told about a query: every reading of the language that may surprise
//! ([`Notice`]), what is wrong with a field's value ([`FieldProblem`]), the operators and the
//! fields naming places of the authorities. The index says *what* happened; `web::notices`
//! words it in both languages.

/// Something the visitor should be told about their query or its results: which it is, with
/// its arguments. The index says *what* happened; the web layer words it in the visitor's
/// language from the translation files (`templates/locales`, `web::notices`), so a translator
/// corrects a notice without a Rust toolchain. Serialised (the JSON API) as `{"code": …}` with
/// the arguments beside it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Notice {
    /// Only the first `max` words were searched; the rest was ignored.
    WordsCut {
        /// [`super::MAX_QUERY_WORDS`].
        max: usize,
    },
    /// `name:` looks like a field but names none: its words were searched as typed.
    NotAField {
        /// As typed, without the colon.
        name: String,
    },
    /// `name:` names a field but follows another word and is capitalised, as in a heading: its
    /// words were searched as typed.
    Heading {
        /// As typed, without the colon.
        name: String,
        /// The field it would have been (`village`, `date`, …), for an example.
        field: &'static str,
    },
    /// `name:` names a field, but its value does not read (`why`): the words were searched as
    /// typed.
    FieldNotRead {
        /// As typed, without the colon.
        name: String,
        /// What is wrong with the value.
        why: FieldProblem,
    },
    /// `name:` names a field whose value does not read and holds no word to search
    /// (`stars:..`, `date:{2026 TO 2026}`): it found nothing ([`super::Atom::Nothing`]).
    FieldFindsNothing {
        /// The field (`stars`, `date`, …).
        name: String,
        /// What is wrong with the value.
        why: FieldProblem,
    },
    /// A field's value does not read, and the field was left out.
    FieldLeftOut {
        /// What is wrong with the value.
        why: FieldProblem,
    },
    /// `word` was read as an operator.
    OperatorRead {
        /// As typed (`OR`, `KHÔNG`).
        word: String,
        /// Which.
        operator: Operator,
    },
    /// `word`, an operator word, joins nothing, so it was left out.
    OperatorLeftOut {
        /// As typed.
        word: String,
    },
    /// The query was a record's identifier, pasted with punctuation or as its page's address.
    Identifier {
        /// The identifier searched.
        identifier: String,
    },
    /// Input-method leftovers or misplaced tones were read as Vietnamese: showing results for
    /// `query`.
    ReadAs {
        /// The query searched.
        query: String,
    },
    /// No record is from a village or craft of that name, so the words were searched as typed.
    NoSuchPlace {
        /// Village or craft.
        field: PlaceField,
        /// As typed.
        name: String,
    },
    /// An English function word no record holds (`alone`: holds, but not with the other words)
    /// was left out.
    WordLeftOut {
        /// The word.
        word: String,
        /// Some record holds it, only none with the other words.
        alone: bool,
    },
    /// `stars:` names counts no OCOP rating has (`stars:0`, `stars:6`; ratings have 1 to 5
    /// stars): nothing is found, and nothing else is searched instead (issue 15: the value was
    /// searched as words, and close spellings found unrelated records).
    NoSuchStars {
        /// The value, as typed.
        value: String,
    },
    /// Nothing holds `word`; the results include its close spellings.
    CloseSpellings {
        /// As typed.
        word: String,
    },
    /// Nothing holds `word`; its close spellings were tried too (and find nothing here).
    SpellingsTried {
        /// As typed.
        word: String,
    },
    /// Nothing holds `word`, longer than `max` letters, so its close spellings were not looked
    /// for.
    TooLongForSpellings {
        /// As typed.
        word: String,
        /// The longest word respelled.
        max: usize,
    },
    /// Nothing holds `word`; close spellings are looked for only for the first `max` words found
    /// nowhere.
    SpellingsBudgetSpent {
        /// As typed.
        word: String,
        /// Words respelled at most.
        max: usize,
    },
    /// Why nothing was found: no record holds these words on their own.
    NoneHold {
        /// The words, as typed.
        words: Vec<String>,
    },
    /// Why nothing was found: no record matches a field searched.
    NoFieldMatch,
    /// Why nothing was found: no record holds all the words together.
    NotTogether {
        /// The words, named when there are several.
        words: Vec<String>,
        /// Filters were chosen too.
        filtered: bool,
    },
    /// Why nothing was found: the query and the filters chosen leave nothing.
    NothingWithFilters,
    /// Why nothing was found: the words excluded leave nothing.
    ExcludedLeaveNothing,
    /// Why nothing was found: the index holds no record this audience may see.
    NoRecords,
}

impl Notice {
    /// Whether this notice says which word nothing contains (with or without its close
    /// spellings): a search that found nothing then needs no other reason.
    pub fn says_what_is_missing(&self) -> bool {
        matches!(
            self,
            Notice::CloseSpellings { .. }
                | Notice::SpellingsTried { .. }
                | Notice::TooLongForSpellings { .. }
                | Notice::SpellingsBudgetSpent { .. }
        )
    }
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FieldProblem {
    /// `field:` with nothing after it.
    NoValue {
        /// The field (`village`, `date`, …).
        field: &'static str,
    },
    /// `kind:` names no kind.
    UnknownKind {
        /// As typed.
        value: String,
    },
    /// `status:` names no Decree 52/2018 status.
    UnknownStatus {
        /// As typed.
        value: String,
    },
    /// `date:` does not read as a date or range.
    BadDate {
        /// As typed.
        value: String,
    },
    /// `date:` is a range whose excluded ends leave no day between them (`{2026 TO 2026}`,
    /// `[2026 TO 2026}`): as in Lucene's range syntax, it holds nothing.
    EmptyRange {
        /// As typed.
        value: String,
    },
    /// `stars:` does not read as OCOP stars (1 to 5, `>=3`, `3..5`, `[3 TO *]`).
    BadStars {
        /// As typed.
        value: String,
    },
}

/// An operator of the query language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// `OR`, `HOẶC`.
    Or,
    /// `NOT`, `KHÔNG`.
    Not,
    /// `AND`, `VÀ`.
    And,
}

/// A field naming a place of the authorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceField {
    /// `village:`.
    Village,
    /// `craft:`.
    Craft,
    /// `artisan:`.
    Artisan,
    /// `product:`.
    Product,
    /// `province:`.
    Province,
    /// `commune:`.
    Commune,
}
