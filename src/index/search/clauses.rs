//! Turning a parsed query into tantivy queries: the public filter, facets, each atom (words,
//! phrases, fields, dates), close spellings for words found nowhere, and rescoring by words
//! found side by side.

use super::statistics::any_match;
use super::*;

impl SearchIndex {
    /// Matches the records this index's audience may see (public records; on an everyone index
    /// seen by a viewer, the viewer's: see [`SearchIndex::for_viewer`]), leaving out the records
    /// [`SearchIndex::hide`] could not remove.
    pub(super) fn public(&self) -> Box<dyn Query> {
        let public = self.admitted_filter();
        let suppressed = self
            .suppressed
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if suppressed.is_empty() {
            return public;
        }
        let mut clauses = vec![(Occur::Must, public)];
        for id in suppressed.iter() {
            clauses.push((Occur::MustNot, filter(self.fields.id, id)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Why a search found nothing (break-12c finding 4: every search with no results says why):
    /// the words of `clauses` (its text atoms not excluded) that no public record holds on its
    /// own, if any ([`Notice::NoneHold`]: "Nothing contains “tre2”."); otherwise, with several
    /// words or fields, that no record holds them all together ("try fewer words"); otherwise
    /// that the filters chosen (`filtered`) or the words excluded leave nothing.
    pub(super) fn why_nothing(
        &self,
        searcher: &Searcher,
        clauses: &[crate::index::query::Clause],
        filtered: bool,
    ) -> Notice {
        let held = |atom: &Atom| {
            // Alone and without close spellings: does any public record match it?
            self.atom_query(searcher, atom, None, &mut Vec::new(), &mut 0)
                .is_some_and(|query| {
                    any_match(
                        searcher,
                        &BooleanQuery::new(vec![
                            (Occur::Must, self.public()),
                            (Occur::Must, query),
                        ]),
                    )
                })
        };
        let searched: Vec<&crate::index::query::Clause> =
            clauses.iter().filter(|c| !c.negated).collect();
        let mut missing = Vec::new();
        let mut missing_field = false;
        let mut words = Vec::new();
        for atom in searched.iter().flat_map(|c| &c.alternatives) {
            let found = held(atom);
            match atom {
                Atom::Text { text, .. } => {
                    words.push(text.clone());
                    if !found {
                        missing.push(text.clone());
                    }
                }
                _ => missing_field |= !found,
            }
        }
        if !missing.is_empty() {
            return Notice::NoneHold { words: missing };
        }
        if missing_field {
            return Notice::NoFieldMatch;
        }
        if searched.len() > 1 {
            return Notice::NotTogether { words, filtered };
        }
        if filtered {
            return Notice::NothingWithFilters;
        }
        if clauses.iter().any(|c| c.negated) {
            return Notice::ExcludedLeaveNothing;
        }
        Notice::NoRecords
    }

    /// Matches records whose facet `name` has `value`, for this viewer: for a product or stars
    /// facet ([`super::tally::GUARDED_FACETS`]), also the records holding the value guarded by
    /// a product rule the viewer's scope admits, as the facet's count counts them
    /// ([`super::tally`]).
    pub(super) fn facet_query(&self, name: &str, value: &str) -> Box<dyn Query> {
        let term = |facet: &Facet| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_facet(self.fields.facets, facet),
                IndexRecordOption::Basic,
            ))
        };
        let mut either = vec![term(&Facet::from_path([name, value]))];
        if super::tally::GUARDED_FACETS.contains(&name) {
            for rule in self.admitted_product_rules() {
                either.push(term(&super::tally::guarded_facet(rule, name, value)));
            }
        }
        union(either)
    }

    /// The query of one atom; `None` when it holds nothing searchable (punctuation only).
    /// Words to highlight go to `highlight` (none for excluded atoms).
    pub(super) fn atom_query(
        &self,
        searcher: &Searcher,
        atom: &Atom,
        highlight: Option<&mut QueryWords>,
        notices: &mut Vec<Notice>,
        respellings: &mut usize,
    ) -> Option<Box<dyn Query>> {
        let fields = self.fields;
        let folded_words =
            |text: &str| tokens(&mut crate::index::analysis::analyzer(), &fold(text));
        match atom {
            Atom::Text {
                text,
                phrase,
                scope,
                english,
            } => {
                let query = self.text_query(
                    searcher,
                    text,
                    (*phrase, *scope, *english),
                    highlight,
                    notices,
                    respellings,
                )?;
                if *scope != Scope::Title {
                    return Some(query);
                }
                // `title:` finds the records titled so and those naming an artisan who holds
                // that title (`title:"Nghệ nhân Ưu tú"`, issue 14), folded as every field is.
                let honours = sequence(fields.honours, &folded_words(text));
                Some(union(std::iter::once(query).chain(honours).collect()))
            }
            Atom::Artisan(_) | Atom::Product(_) | Atom::Village(_) | Atom::Craft(_) => {
                self.name_query(atom)
            }
            // Places are filters: they add nothing to a score (the facets field keeps no
            // norms to score by), so a place beside words, or a place an address's kind word
            // is optional for (`query::read_place_kinds`), leaves the words' ranking as it was.
            Atom::Province(name) => Some(unscored(self.province_query(name))),
            Atom::Commune(name) => Some(unscored(self.commune_query(name))),
            // Counts no OCOP rating has (`stars:0`): nothing, never words or close spellings.
            Atom::Stars { from: 0, .. } | Atom::Nothing => {
                Some(Box::new(tantivy::query::EmptyQuery))
            }
            Atom::Stars { from, to } => Some(self.stars_query(*from, *to)),
            Atom::District(name) => Some(unscored(self.facet_query("district", &slug(name)))),
            Atom::Status(status) => Some(self.facet_query("status", status.as_str())),
            Atom::Kind(kind) => Some(term_query(fields.kind, kind.as_str())),
            Atom::Date { from, to } => Some(self.date_overlap(*from, *to)),
        }
    }

    /// The records an `artisan:`, `product:`, `village:` or `craft:` atom names (`None` for
    /// other atoms), the one query both the search and its notices use, so a notice never
    /// says no record shows what the search finds:
    ///
    /// - any of them by id ([`slug`] of the value; `product:` through [`Self::product_filter`],
    ///   so a viewer who may see a product narrower than a record finds the record as the
    ///   product filter does);
    /// - `village:`, `craft:` and `product:` by the folded words side by side in a name
    ///   (`product:` also in the guarded names the viewer may see, [`Self::guarded_names`]);
    /// - `artisan:` by a whole name when the value has several words (`artisan:"Nguyễn Văn
    ///   Tam"` is that artisan, not every artisan whose name holds it; break14b F5), by a word
    ///   of a name when it has one (`artisan:Tam`). Folded both: case, diacritics, NFC or NFD
    ///   do not matter.
    pub(super) fn name_query(&self, atom: &Atom) -> Option<Box<dyn Query>> {
        let fields = self.fields;
        let folded_words =
            |text: &str| tokens(&mut crate::index::analysis::analyzer(), &fold(text));
        let (name, id, names_field) = match atom {
            Atom::Artisan(name) => {
                let words = folded_words(name);
                let by_name = if words.len() > 1 {
                    Some(term_query(fields.artisan_fullnames, &words.join(" ")))
                } else {
                    sequence(fields.artisan_names, &words)
                };
                let either = std::iter::once(term_query(fields.artisan, &slug(name)))
                    .chain(by_name)
                    .collect();
                return Some(union(either));
            }
            Atom::Product(name) => (name, self.product_filter(&slug(name)), fields.product_names),
            Atom::Village(name) => (
                name,
                term_query(fields.village, &slug(name)),
                fields.village_names,
            ),
            Atom::Craft(name) => (
                name,
                term_query(fields.craft, &slug(name)),
                fields.craft_names,
            ),
            _ => return None,
        };
        let words = folded_words(name);
        let mut either = vec![id];
        either.extend(sequence(names_field, &words));
        if matches!(atom, Atom::Product(_)) {
            either.extend(self.guarded_names(&words));
        }
        Some(union(either))
    }

    /// Records whose village is in province `name` as documented or after 1 July 2025, by the
    /// [`slug`] of the name; "tỉnh Hà Nam" is read as "Hà Nam".
    pub(super) fn province_query(&self, name: &str) -> Box<dyn Query> {
        let key = slug(name);
        let mut either = vec![self.facet_query("province", &key)];
        if let Some(bare) = key.strip_prefix("tinh-") {
            either.push(self.facet_query("province", bare));
        }
        union(either)
    }

    /// Whether a record this index's audience may see is in one of the places of `clause`, an
    /// address's kind word with its places (`query::is_place_kind`): its alternatives after the
    /// word.
    pub(super) fn names_a_place(
        &self,
        searcher: &Searcher,
        clause: &crate::index::query::Clause,
    ) -> bool {
        let places: Vec<Box<dyn Query>> = clause
            .alternatives
            .iter()
            .skip(1)
            .filter_map(|atom| self.atom_query(searcher, atom, None, &mut Vec::new(), &mut 0))
            .collect();
        !places.is_empty()
            && any_match(
                searcher,
                &BooleanQuery::new(vec![
                    (Occur::Must, self.public()),
                    (Occur::Must, union(places)),
                ]),
            )
    }

    /// Records whose village is in commune (or ward, town) `name` as documented or after 1 July
    /// 2025, by the [`slug`] of the name; "xã Chuyên Ngoại", "phường …" and "thị trấn …" are
    /// read without the word for the kind of commune, as the authorities write the name
    /// (`sample/ha-nam/README.md`, "Địa danh").
    pub(super) fn commune_query(&self, name: &str) -> Box<dyn Query> {
        let key = slug(name);
        let mut either = vec![self.facet_query("commune", &key)];
        for kind in ["xa-", "phuong-", "thi-tran-"] {
            if let Some(bare) = key.strip_prefix(kind) {
                either.push(self.facet_query("commune", bare));
            }
        }
        union(either)
    }

    /// Records showing a product rated `from..=to` OCOP stars (see [`Indexer::put`] for which
    /// products a record shows), and, for a viewer who may see a product narrower than a record
    /// naming it, that record too ([`Self::guarded_stars`]), as the product filter lists it.
    pub(super) fn stars_query(&self, from: u8, to: u8) -> Box<dyn Query> {
        let term = |stars: u8| Term::from_field_i64(self.fields.stars, i64::from(stars));
        let rated: Box<dyn Query> = if from == to {
            Box::new(TermQuery::new(term(from), IndexRecordOption::Basic))
        } else {
            Box::new(RangeQuery::new(
                Bound::Included(term(from)),
                Bound::Included(term(to)),
            ))
        };
        let guarded = self.guarded_stars(from, to);
        if guarded.is_empty() {
            return rated;
        }
        union(std::iter::once(rated).chain(guarded).collect())
    }

    /// Words or a phrase: folded everywhere, exact (when typed with diacritics) ranked higher,
    /// English stems (exact and folded), the record whose id or `dc.identifier` it is (first of
    /// all), records dated in the year a four-digit number names, and close spellings when the
    /// word as typed is found in no public record, is of a plausible length
    /// ([`TYPO_MIN_CHARS`]..=[`TYPO_MAX_CHARS`]) and `respellings` (the query's budget,
    /// [`MAX_RESPELLED_WORDS`]) is not spent.
    ///
    /// In a query typed in English (`english`, see [`Atom::Text`]), Vietnamese words that only
    /// folding makes equal to a word ("mặt" for "mat") still match, weighted [`FOLDED_BELOW`], so
    /// they rank below every record that holds the word itself.
    pub(super) fn text_query(
        &self,
        searcher: &Searcher,
        text: &str,
        (phrase, scope, english_query): (bool, Scope, bool),
        mut highlight: Option<&mut QueryWords>,
        notices: &mut Vec<Notice>,
        respellings: &mut usize,
    ) -> Option<Box<dyn Query>> {
        let fields = self.fields;
        let mut analyzer: TextAnalyzer = crate::index::analysis::analyzer();
        let folded = tokens(&mut analyzer, &fold(text));
        if folded.is_empty() {
            return None;
        }
        let exact = tokens(&mut analyzer, text);
        let mut english = crate::index::analysis::english_analyzer();
        let stemmed = tokens(&mut english, text);
        let stemmed_folded = tokens(&mut english, &fold(text));
        let everywhere = scope == Scope::Everywhere;
        let accented = exact != folded;
        let in_fields = |title_field, text_field, words: &[String], boost: f32| {
            let mut queries = vec![boosted(title_field, words, TITLE_BOOST * boost)];
            if everywhere {
                queries.push(boosted(text_field, words, boost));
            }
            queries.into_iter().flatten().collect::<Vec<_>>()
        };
        let stemmed_queries = in_fields(
            fields.title_en_stemmed,
            fields.text_en_stemmed,
            &stemmed,
            1.0,
        );
        let public_and = |query: Box<dyn Query>| {
            BooleanQuery::new(vec![(Occur::Must, self.public()), (Occur::Must, query)])
        };
        let english_word = english_query && !accented;
        let fold_weight = if english_word { FOLDED_BELOW } else { 1.0 };
        let mut folded_queries = Vec::from_iter(boosted(
            fields.title_folded,
            &folded,
            TITLE_BOOST * fold_weight,
        ));
        if everywhere {
            let text_folded = self.folded_text(&folded);
            folded_queries.push(if english_word {
                Box::new(BoostQuery::new(text_folded, fold_weight))
            } else {
                text_folded
            });
            // The address of the record's village, found but weighed below any title match.
            folded_queries.extend(boosted(
                fields.places_folded,
                &folded,
                PLACE_BOOST * fold_weight,
            ));
            // The names of products narrower than the records naming them, for a viewer who
            // may see them: plain words find a record by its products' names as `product:`
            // does (break14 finding 8); none on the public index.
            folded_queries.extend(self.guarded_names(&folded));
        }
        // English text names Vietnamese places and things with their diacritics ("Hạ Thái"):
        // found without them, but scored next to nothing, below any Vietnamese text about them.
        folded_queries.extend(
            [fields.title_en_folded, fields.text_en_folded]
                .into_iter()
                .filter(|field| everywhere || *field == fields.title_en_folded)
                .filter_map(|field| sequence(field, &stemmed_folded))
                .map(|query| {
                    Box::new(ConstScoreQuery::new(query, ENGLISH_FOLDED_SCORE)) as Box<dyn Query>
                }),
        );
        // An accented phrase ranks exact matches first by rescoring (see `adjacent`): a second
        // phrase scan of the text would cost as much as the search.
        let exact_queries = if accented && !(phrase && exact.len() > 1) {
            let mut queries = in_fields(fields.title, fields.text, &exact, EXACT_BOOST);
            // Artisans' and products' names as written (break14b F6): a word found only there
            // is found with its tones, so it is neither "found nowhere" nor ranked as folded.
            if everywhere {
                queries.extend(boosted(fields.names_exact, &exact, EXACT_BOOST));
                // The village's address as written, as low as folded.
                queries.extend(boosted(fields.places, &exact, PLACE_BOOST));
            }
            queries
        } else if english_word {
            in_fields(fields.title, fields.text, &exact, 1.0)
        } else {
            Vec::new()
        };
        let mut special: Vec<Box<dyn Query>> = Vec::new();
        if everywhere {
            // Researchers quote identifiers: `"hn-1995-012"` finds its record as the bare id
            // does (break-12 finding 1).
            special.push(self.identifier_query(text));
        }
        if everywhere && !phrase {
            if let Some(year) = year_of(&folded) {
                special.push(Box::new(ConstScoreQuery::new(
                    self.date_overlap(Some(year * 10_000 + 101), Some(year * 10_000 + 1231)),
                    YEAR_SCORE,
                )));
            }
        }
        // The word as typed: with the visitor's diacritics when they typed some (a typo may be
        // a wrong tone, "điềm" for "điền"), else folded.
        let (word, typed_query, title_field, text_field) = if accented {
            let typed = union(
                exact_queries
                    .iter()
                    .chain(&special)
                    .map(|q| q.box_clone())
                    .collect(),
            );
            (&exact[0], typed, fields.title, fields.text)
        } else {
            let typed = union(
                folded_queries
                    .iter()
                    .chain(&stemmed_queries)
                    .chain(&special)
                    .map(|q| q.box_clone())
                    .collect(),
            );
            (&folded[0], typed, fields.title_folded, fields.text_folded)
        };
        let as_typed = union(
            folded_queries
                .into_iter()
                .chain(exact_queries)
                .chain(stemmed_queries)
                .chain(special)
                .collect(),
        );
        if let Some(words) = highlight.as_deref_mut() {
            words.add_atom(phrase, &folded, accented.then_some(&exact[..]), &stemmed);
        }
        let length = word.chars().count();
        let respellable = !phrase
            && folded.len() == 1
            && length >= TYPO_MIN_CHARS
            && !word.chars().any(|c| c.is_ascii_digit());
        if !respellable || any_match(searcher, &public_and(typed_query)) {
            return Some(as_typed);
        }
        // Typo automata cost grows with the word's length: a 250-letter "word" cost 25–75 ms
        // of CPU. No word that long is a typo of anything indexed, and a query gets a few.
        if length > TYPO_MAX_CHARS || *respellings == 0 {
            notices.push(if length > TYPO_MAX_CHARS {
                Notice::TooLongForSpellings {
                    word: text.to_string(),
                    max: TYPO_MAX_CHARS,
                }
            } else {
                Notice::SpellingsBudgetSpent {
                    word: text.to_string(),
                    max: MAX_RESPELLED_WORDS,
                }
            });
            return Some(as_typed);
        }
        *respellings -= 1;
        let mut respelled = vec![as_typed];
        for spelling in self.close_spellings(searcher, word, [title_field, text_field]) {
            respelled.extend(in_fields(
                title_field,
                text_field,
                std::slice::from_ref(&spelling),
                TYPO_WEIGHT,
            ));
            if let Some(words) = highlight.as_deref_mut() {
                words.add(&spelling);
            }
        }
        if !accented && let [stem] = stemmed.as_slice() {
            let english = [fields.title_en_stemmed, fields.text_en_stemmed];
            for spelling in self.close_spellings(searcher, stem, english) {
                respelled.extend(in_fields(
                    english[0],
                    english[1],
                    std::slice::from_ref(&spelling),
                    TYPO_WEIGHT,
                ));
                if let Some(words) = highlight.as_deref_mut() {
                    words.add_stem(&spelling);
                }
            }
        }
        let respelled = union(respelled);
        // Close spellings are claimed only when a public record holds one.
        let word = text.to_string();
        notices.push(if any_match(searcher, &public_and(respelled.box_clone())) {
            Notice::CloseSpellings { word }
        } else {
            Notice::SpellingsTried { word }
        });
        Some(respelled)
    }

    /// Records whose id or one of whose `dc.identifier`s is `text` ([`identifier_key`]), scored
    /// [`IDENTIFIER_SCORE`] so they come first.
    pub(super) fn identifier_query(&self, text: &str) -> Box<dyn Query> {
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.identifiers, &identifier_key(text)),
                IndexRecordOption::Basic,
            )),
            IDENTIFIER_SCORE,
        ))
    }

    /// Records whose date range overlaps `from..=to` (days as `yyyymmdd`, inclusive, either
    /// open).
    pub(super) fn date_overlap(&self, from: Option<i64>, to: Option<i64>) -> Box<dyn Query> {
        let fields = self.fields;
        let mut both: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(to) = to {
            both.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(fields.date_from, to)),
                )),
            ));
        }
        // Both open (`date:[* TO *]`): every dated record (an undated one has no day).
        if let Some(from) = from.or(to.is_none().then_some(i64::MIN)) {
            both.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(fields.date_to, from)),
                    Bound::Unbounded,
                )),
            ));
        }
        Box::new(BooleanQuery::new(both))
    }

    /// The public record whose id or `dc.identifier` is exactly `typed` (see
    /// [`identifier_key`]), when there is exactly one: the web layer may go straight to it.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when the index cannot be read.
    pub fn identified(&self, typed: &str) -> Result<Option<String>, SearchError> {
        let key = identifier_key(typed);
        if key.is_empty() {
            return Ok(None);
        }
        let searcher = self.reader.searcher();
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::Must, self.identifier_query(&key)),
        ]);
        let found = searcher.search(&query, &TopDocs::with_limit(2).order_by_score())?;
        let [(_, address)] = found.as_slice() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*address)?;
        Ok(stored_text(&doc, self.fields.id))
    }

    /// The folded text holding `words` (at least one) side by side, in order. Several words are
    /// the phrase of their pairs: common syllables ("làng nghề") are in most records, and testing
    /// each record's positions of both cost more than the rest of the search, where the pair is
    /// one term.
    pub(super) fn folded_text(&self, words: &[String]) -> Box<dyn Query> {
        let fields = self.fields;
        match words {
            [word] => term_query(fields.text_folded, word),
            _ => sequence(fields.text_pairs, &crate::index::analysis::pairs(words))
                .expect("two words make a pair"),
        }
    }

    /// The indexed words of `fields` within one edit of `word` (two from 8 letters), the most
    /// common first, at most [`MAX_RESPELLINGS`].
    pub(super) fn close_spellings(
        &self,
        searcher: &Searcher,
        word: &str,
        fields: [Field; 2],
    ) -> Vec<String> {
        let distance = if word.chars().count() >= 8 { 2 } else { 1 };
        let statistics = self.statistics(searcher);
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for field in fields {
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
            let Ok(automaton) = fuzzy.automaton() else {
                continue;
            };
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut terms) = inverted.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while terms.advance() {
                    let Ok(term) = std::str::from_utf8(terms.key()) else {
                        continue;
                    };
                    // A word only deleted (or, for a viewer, unseen) documents held is no
                    // spelling of anything visible.
                    let count = if statistics.dictionary_exact(segment) {
                        u64::from(terms.value().doc_freq)
                    } else {
                        statistics
                            .postings(ord, segment, &inverted, terms.value())
                            .unwrap_or(0)
                    };
                    if count > 0 {
                        *found.entry(term.to_string()).or_default() += count;
                    }
                }
            }
        }
        let mut spellings: Vec<(String, u64)> = found.into_iter().collect();
        spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        spellings
            .into_iter()
            .map(|(spelling, _)| spelling)
            .filter(|spelling| spelling != word)
            .take(MAX_RESPELLINGS)
            .collect()
    }

    /// The terms of words typed side by side, folded and (when typed with diacritics) exact:
    /// a Vietnamese word is often several syllables ("da trâu", buffalo hide), each a token of
    /// its own, so records holding them side by side rank higher.
    pub(super) fn adjacent(&self, text: &str) -> Option<Adjacent> {
        let mut analyzer = crate::index::analysis::analyzer();
        let folded = tokens(&mut analyzer, &fold(text));
        if folded.len() < 2 {
            return None;
        }
        let exact = tokens(&mut analyzer, text);
        let fields = self.fields;
        let mut sequences = vec![
            (fields.title_folded, folded.clone(), TITLE_BOOST),
            (fields.text_folded, folded.clone(), 1.0),
        ];
        if exact != folded {
            sequences.push((fields.title, exact.clone(), TITLE_BOOST * EXACT_BOOST));
            sequences.push((fields.text, exact.clone(), EXACT_BOOST));
            sequences.push((fields.names_exact, exact, EXACT_BOOST));
        }
        Some(Adjacent { sequences })
    }

    /// `candidates` (best first) with a bonus for each sequence of words they hold side by
    /// side, best first again. Only the candidates' own positions are read (each term's postings
    /// seek to them), so the cost follows the number of candidates, not of matches: testing
    /// every match of two common words for adjacency cost more than the search itself.
    pub(super) fn add_adjacency(
        &self,
        searcher: &Searcher,
        adjacency: &[Adjacent],
        candidates: Vec<(Ranked, DocAddress)>,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let ties: BTreeMap<DocAddress, u64> = candidates
            .iter()
            .map(|((_, tie), address)| (*address, tie.0))
            .collect();
        let candidates: Vec<(f32, DocAddress)> = candidates
            .into_iter()
            .map(|((score, _), address)| (score, address))
            .collect();
        let mut by_segment: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (position, (_, address)) in candidates.iter().enumerate() {
            by_segment
                .entry(address.segment_ord)
                .or_default()
                .push(position);
        }
        // Statistics of the whole index, as tantivy's BM25 takes them: per segment, they would
        // make rankings depend on how documents happened to be split among segments.
        let statistics = self.statistics(searcher);
        let all_docs: u64 = statistics.num_docs();
        let mut sequences = Vec::new();
        for (field, words, weight) in adjacency.iter().flat_map(|a| a.sequences.iter()) {
            // BM25's weight of a phrase: the sum of its words' inverse document frequencies.
            let mut idf = 0.0;
            for word in words {
                let found = statistics.doc_freq(&Term::from_field_text(*field, word))? as f32;
                idf += (1.0 + (all_docs as f32 - found + 0.5) / (found + 0.5)).ln();
            }
            let tokens = statistics.total_num_tokens(*field)?;
            let average_length = (tokens as f32 / all_docs.max(1) as f32).max(1.0);
            sequences.push((*field, words, weight * idf, average_length));
        }
        let mut rescored = candidates;
        let mut positions: Vec<Vec<u32>> = Vec::new();
        for (segment_ord, mut members) in by_segment {
            members.sort_by_key(|member| rescored[*member].1.doc_id);
            let segment = searcher.segment_reader(segment_ord);
            for &(field, words, weight, average_length) in &sequences {
                let inverted = segment.inverted_index(field)?;
                let lengths = segment.get_fieldnorms_reader(field)?;
                let mut postings = Vec::with_capacity(words.len());
                for word in words {
                    let term = Term::from_field_text(field, word);
                    let read = inverted
                        .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
                        .map_err(|e| SearchError::Tantivy(e.into()))?;
                    match read {
                        Some(list) => postings.push(list),
                        None => break,
                    }
                }
                if postings.len() < words.len() {
                    continue;
                }
                positions.resize(words.len(), Vec::new());
                for member in &members {
                    let doc = rescored[*member].1.doc_id;
                    let mut all_there = true;
                    for (list, out) in postings.iter_mut().zip(positions.iter_mut()) {
                        if list.doc() < doc {
                            list.seek(doc);
                        }
                        if list.doc() == doc {
                            out.clear();
                            tantivy::postings::Postings::positions(list, out);
                        } else {
                            all_there = false;
                        }
                    }
                    if !all_there {
                        continue;
                    }
                    let together = side_by_side(&positions);
                    if together > 0 {
                        // BM25, the phrase counted as one term: saturating with its frequency,
                        // damped in long texts.
                        let count = together as f32;
                        let length = lengths.fieldnorm(doc) as f32 / average_length;
                        let frequency = count * 2.2 / (count + 1.2 * (0.25 + 0.75 * length));
                        rescored[*member].0 += ADJACENCY_BOOST * weight * frequency;
                    }
                }
            }
        }
        rescored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| ties.get(&a.1).cmp(&ties.get(&b.1)))
        });
        Ok(rescored)
    }
}

/// The year a query word names: four digits from 1000 to 2999 (a year typed as a word, `1995`,
/// finds the records dated in it as `date:1995` does).
pub(super) fn year_of(words: &[String]) -> Option<i64> {
    let [word] = words else { return None };
    let year: i64 = word.parse().ok()?;
    (word.len() == 4 && (1000..=2999).contains(&year)).then_some(year)
}

/// The notices of a search that found `total` records: with none, no notice claims that the
/// results include close spellings (each says they were tried instead).
pub(super) fn settle_notices(notices: &mut [Notice], total: usize) {
    // (A search finding nothing is also told why: see `SearchIndex::why_nothing`.)
    if total > 0 {
        return;
    }
    for notice in notices {
        if let Notice::CloseSpellings { word } = notice {
            *notice = Notice::SpellingsTried {
                word: std::mem::take(word),
            };
        }
    }
}

/// Sequences of words to reward where they stand side by side: (field, tokens, weight).
pub(super) struct Adjacent {
    pub(super) sequences: Vec<(Field, Vec<String>, f32)>,
}

/// How many times the words stand side by side, in order: positions of the first word whose
/// next positions hold the others.
pub(super) fn side_by_side(positions: &[Vec<u32>]) -> usize {
    let Some((first, rest)) = positions.split_first() else {
        return 0;
    };
    first
        .iter()
        .filter(|start| {
            rest.iter()
                .enumerate()
                .all(|(n, list)| list.binary_search(&(**start + n as u32 + 1)).is_ok())
        })
        .count()
}

/// How results are ranked: by score, and records of equal score by a key fixed by their id, so
/// that the order never depends on the order records happened to be indexed in (which parallel
/// ingests change from run to run).
pub(super) type Ranked = (tantivy::Score, std::cmp::Reverse<u64>);

/// The best `limit` matches after `offset`, ranked (see [`Ranked`]).
pub(super) fn by_score(
    limit: usize,
    offset: usize,
) -> impl tantivy::collector::Collector<Fruit = Vec<(Ranked, DocAddress)>> {
    TopDocs::with_limit(limit)
        .and_offset(offset)
        .tweak_score(|segment: &tantivy::SegmentReader| {
            let ties = segment
                .fast_fields()
                .u64("tie")
                .ok()
                .map(|column| column.first_or_default_col(0));
            move |doc: tantivy::DocId, score: tantivy::Score| -> Ranked {
                let tie = ties.as_ref().map_or(0, |column| column.get_val(doc));
                (score, std::cmp::Reverse(tie))
            }
        })
}

/// The tie-break key of a record: FNV-1a of its id (stable across runs and versions).
pub(super) fn tie_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Runs of two or more plain words typed one after another (not quoted, not excluded, not
/// alternatives), each run joined by spaces.
pub(super) fn adjacent_words(clauses: &[crate::index::query::Clause]) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for clause in clauses {
        match clause.alternatives.as_slice() {
            [
                Atom::Text {
                    text,
                    phrase: false,
                    scope: Scope::Everywhere,
                    ..
                },
            ] if !clause.negated => run.push(text),
            _ => {
                if run.len() >= 2 {
                    runs.push(run.join(" "));
                }
                run.clear();
            }
        }
    }
    if run.len() >= 2 {
        runs.push(run.join(" "));
    }
    runs
}

/// [`sequence`] with a boost.
pub(super) fn boosted(field: Field, words: &[String], boost: f32) -> Option<Box<dyn Query>> {
    sequence(field, words).map(|query| Box::new(BoostQuery::new(query, boost)) as Box<dyn Query>)
}

/// One word as a term, several as a phrase; `None` for no words.
pub(super) fn sequence(field: Field, words: &[String]) -> Option<Box<dyn Query>> {
    match words {
        [] => None,
        [word] => Some(term_query(field, word)),
        _ => Some(Box::new(PhraseQuery::new(
            words
                .iter()
                .map(|word| Term::from_field_text(field, word))
                .collect(),
        ))),
    }
}

/// `query` as a filter: it matches what `query` matches and scores nothing.
fn unscored(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// Matches when any of `queries` does, scoring the sum of those that do.
pub(super) fn union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Whether one of `notices` already says which word nothing contains (close spellings tried or
/// not): a search that found nothing then needs no other reason ([`SearchIndex::why_nothing`]).
pub(super) fn says_what_is_missing(notices: &[Notice]) -> bool {
    notices.iter().any(Notice::says_what_is_missing)
}
