//! Browsing beside a search: records related to one record, title suggestions as a visitor
//! types, the list of every public id, and the headers of every public record (for OAI-PMH).
//!
//! Related records are found as Lucene's MoreLikeThis finds them (the words that best tell the
//! record apart, each weighed by term frequency × idf), but the words are chosen here, from the
//! statistics of what the index's audience may see ([`SearchIndex::statistics`]): tantivy's
//! `MoreLikeThisQuery` reads the whole index's document frequencies, so on the everyone index a
//! word frequent only in records a viewer may not see would change which words are chosen.

use tantivy::tokenizer::TokenStream;

use super::clauses::{by_score, union};
use super::*;

impl SearchIndex {
    /// Records like record `id` (by their words, craft and village), public ones only; none when
    /// `id` itself is not public.
    pub fn related(&self, id: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let fields = self.fields;
        let searcher = self.reader.searcher();
        let this = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::Must, term_query(fields.id, id)),
        ]);
        let Some((_, address)) = searcher
            .search(&this, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = |field| stored_text(&doc, field);
        let title = stored(fields.title).unwrap_or_default();
        let text = stored_texts(&doc, fields.text);
        let statistics = self.statistics(&searcher);
        let like_this = like_this(
            &searcher,
            &statistics,
            &[
                (fields.title_folded, fold(&title)),
                (fields.text_folded, fold(&text)),
            ],
        )?;
        let mut similar: Vec<Box<dyn Query>> = vec![like_this];
        for field in [fields.craft, fields.village] {
            if let Some(value) = stored(field) {
                let boost = if field == fields.craft { 4.0 } else { 2.0 };
                similar.push(Box::new(BoostQuery::new(term_query(field, &value), boost)));
            }
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::MustNot, term_query(fields.id, id)),
            (Occur::Must, union(similar)),
        ]);
        best(&searcher, &statistics, &query, limit)?
            .into_iter()
            .map(|address| self.hit(&searcher, address, None))
            .collect()
    }

    /// Titles of public records that the words typed so far begin, best first, labelled in
    /// Vietnamese; see [`SearchIndex::suggest_in`].
    pub fn suggest(&self, typed: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        self.suggest_in(typed, limit, Lang::Vi)
    }

    /// Titles of public records that the words typed so far begin, best first; the last word may
    /// be unfinished ("det l" suggests "Dệt lụa …", "lacq" "Lacquer trays …"). The words are
    /// matched folded against the Vietnamese title or against the English title (all of them in
    /// the same one); each suggestion is labelled with the title in `lang`, or the other one
    /// when the record has no title in `lang`. One word with a digit or `-` also completes
    /// record ids and `dc.identifier` values; such a suggestion is of kind `identifier` and
    /// labelled "<identifier as written> — <title>" (`HN-1995-012 — Biên bản họp làng`), its
    /// `lang` the title's.
    ///
    /// What finds nothing as typed is read as search reads it (break-12c finding 5): through the
    /// Vietnamese input methods (`ddoi` suggests "Đọi Tam …") and the English lemma and stem
    /// (`drummers` suggests what `drum` does); see `understand::suggestion_readings`.
    pub fn suggest_in(
        &self,
        typed: &str,
        limit: usize,
        lang: Lang,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let typed = crate::model::text::search_form(typed);
        let found = self.suggest_as_typed(&typed, limit, lang)?;
        if !found.is_empty() {
            return Ok(found);
        }
        for reading in super::understand::suggestion_readings(&typed) {
            let found = self.suggest_as_typed(&reading, limit, lang)?;
            if !found.is_empty() {
                return Ok(found);
            }
        }
        Ok(Vec::new())
    }

    /// [`SearchIndex::suggest_in`] for the words exactly as typed.
    fn suggest_as_typed(
        &self,
        typed: &str,
        limit: usize,
        lang: Lang,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let fields = self.fields;
        let typed = crate::model::text::search_form(typed);
        let words = tokens(&mut crate::index::analysis::analyzer(), &fold(&typed));
        let Some((last, complete)) = words.split_last() else {
            return Ok(Vec::new());
        };
        let unfinished = !typed.ends_with(char::is_whitespace);
        let mut titles: Vec<Box<dyn Query>> = Vec::new();
        for field in [fields.title_folded, fields.title_en_words] {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for word in complete {
                clauses.push((Occur::Must, term_query(field, word)));
            }
            if unfinished {
                // Folded tokens are letters and digits only, so the word needs no regex escaping.
                let prefix = RegexQuery::from_pattern(&format!("{last}.*"), field)?;
                clauses.push((Occur::Must, Box::new(prefix)));
                clauses.push((Occur::Should, term_query(field, last)));
            } else {
                clauses.push((Occur::Must, term_query(field, last)));
            }
            titles.push(Box::new(BooleanQuery::new(clauses)));
        }
        // What looks like an identifier (one word with a digit or a '-') also completes ids
        // and `dc.identifier` values (break-12 finding 12: `hn-1995` suggests `hn-1995-012`),
        // read as search reads a pasted one (`hn-1995-012.`, a record address).
        let key = identifier_key(&super::understand::pasted_identifier(&typed));
        let by_identifier = !key.is_empty()
            && !key.contains(' ')
            && key.chars().any(|c| c.is_ascii_digit() || c == '-');
        if by_identifier {
            titles.push(Box::new(RegexQuery::from_pattern(
                &format!("{}.*", regex_literal(&key)),
                fields.identifiers,
            )?));
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::Must, union(titles)),
        ]);
        let searcher = self.reader.searcher();
        best(&searcher, &self.statistics(&searcher), &query, limit)?
            .into_iter()
            .map(|address| {
                let hit = self.hit(&searcher, address, None)?;
                // A record with only an English title has it as both titles (`Record::title`
                // falls back to it), so a title equal to the English one is English.
                let (label, label_lang) = match (lang, hit.title_en) {
                    (Lang::En, Some(english)) => (english, Lang::En),
                    (_, Some(english)) if english == hit.title => (english, Lang::En),
                    _ => (hit.title, Lang::Vi),
                };
                // Suggested for an identifier begun: labelled "<identifier> — <title>", so the
                // visitor sees why (the record's id, or the `dc.identifier` as written).
                let identifier = if by_identifier {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    doc.get_all(fields.identifiers_written)
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .chain(std::iter::once(hit.id.clone()))
                        .find(|identifier| identifier_key(identifier).starts_with(&key))
                } else {
                    None
                };
                let (label, kind) = match identifier {
                    Some(identifier) => (format!("{identifier} — {label}"), "identifier"),
                    None => (label, "record"),
                };
                Ok(Suggestion {
                    label,
                    kind,
                    lang: label_lang.tag(),
                    url: hit.url,
                })
            })
            .collect()
    }

    /// The access rule of record `id` as this index's audience may see it: on a viewer's scope
    /// of the everyone index, the rule it admits the record by (`researchers`, a community
    /// rule), read from the rule tokens' postings (the rule is not stored); `public` on the public
    /// index; `None` when the audience may not see the record (or it does not exist).
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when a segment cannot be read.
    pub fn access_of(&self, id: &str) -> Result<Option<Access>, SearchError> {
        let Some(scope) = self.scope() else {
            return Ok(self.visible(id)?.then_some(Access::Public));
        };
        if !self.visible(id)? {
            return Ok(None);
        }
        let searcher = self.reader.searcher();
        let term = Term::from_field_text(self.fields.id, id);
        for segment in searcher.segment_readers() {
            let Some(mut postings) = segment
                .inverted_index(self.fields.id)?
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    let rules = segment.inverted_index(self.fields.rule)?;
                    for token in scope.admitted() {
                        let rule = Term::from_field_text(self.fields.rule, token);
                        if let Some(mut holding) = rules
                            .read_postings(&rule, IndexRecordOption::Basic)
                            .map_err(tantivy::TantivyError::from)?
                            && holding.doc() <= doc
                            && holding.seek(doc) == doc
                        {
                            return Ok(super::super::audience::parse_rule_token(token));
                        }
                    }
                    return Ok(None);
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// The ids of every public record, sorted.
    pub fn public_ids(&self) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&*self.public(), &tantivy::collector::DocSetCollector)?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = stored_text(&doc, self.fields.id) {
                ids.push(id);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// What an OAI-PMH header of each public record needs, read from the stored fields of the
    /// public documents alone (no record is read from the archive): its id, the head version its
    /// document was made from (the first part of its stamp, `v3`), its kind, village and craft.
    /// Sorted by id, one per record.
    pub fn public_headers(&self) -> Result<Vec<PublicHeader>, SearchError> {
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&*self.public(), &tantivy::collector::DocSetCollector)?;
        let mut headers = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(id) = stored_text(&doc, self.fields.id) else {
                continue;
            };
            let stamp = stored_text(&doc, self.fields.stamp).unwrap_or_default();
            headers.push(PublicHeader {
                id,
                head: stamp.split('|').next().unwrap_or_default().to_string(),
                kind: stored_text(&doc, self.fields.kind).unwrap_or_default(),
                village: stored_text(&doc, self.fields.village).filter(|v| !v.is_empty()),
                craft: stored_text(&doc, self.fields.craft).filter(|c| !c.is_empty()),
            });
        }
        headers.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        headers.dedup_by(|a, b| a.id == b.id);
        Ok(headers)
    }
}

/// One public record as its search document describes it ([`SearchIndex::public_headers`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicHeader {
    /// The record id.
    pub id: String,
    /// The OCFL head version the document was made from (`v3`).
    pub head: String,
    /// Its kind's keyword (`photo`).
    pub kind: String,
    /// Its village's id, when it has one.
    pub village: Option<String>,
    /// Its craft's id, when it has one.
    pub craft: Option<String>,
}

/// Words chosen at most for a "more like this" query. Tantivy's `MoreLikeThis`, asked for 30
/// (`with_max_query_terms(30)`, as this site did), kept 31: the same number is kept so the
/// related records of public pages are unchanged.
const LIKE_THIS_TERMS: usize = 31;

/// Words shorter than this many bytes are not chosen (one letter says nothing of a record).
const LIKE_THIS_MIN_LENGTH: usize = 2;

/// The "more like this" query of a record whose fields hold `values` (field, text): each text
/// analysed as its field is indexed, every word of at least [`LIKE_THIS_MIN_LENGTH`] bytes
/// counted, words held by no counted record or by more than a quarter of them (at least 2)
/// dropped, the rest scored `frequency × idf` with BM25's idf (`ln(1 + (N − n + 0.5) / (n +
/// 0.5))`, N counted records, n those holding the word), the best [`LIKE_THIS_TERMS`] kept (ties
/// by the word's bytes, so the choice does not depend on hashing) and each boosted by its score
/// over the best one. Every count comes from `statistics`: on a viewer's scope, the records the
/// viewer may see, so the choice is that of an index holding them alone.
fn like_this(
    searcher: &Searcher,
    statistics: &super::statistics::LiveStatistics<'_>,
    values: &[(Field, String)],
) -> Result<Box<dyn Query>, SearchError> {
    let mut frequencies: BTreeMap<Term, usize> = BTreeMap::new();
    for (field, text) in values {
        let mut analyzer = searcher.index().tokenizer_for_field(*field)?;
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let word = &stream.token().text;
            if word.len() >= LIKE_THIS_MIN_LENGTH {
                *frequencies
                    .entry(Term::from_field_text(*field, word))
                    .or_insert(0) += 1;
            }
        }
    }
    let counted = statistics.num_docs();
    let common = (counted / 4).max(2);
    let mut scored: Vec<(f32, Term)> = Vec::new();
    for (term, frequency) in frequencies {
        let holding = statistics.doc_freq(&term)?;
        if holding == 0 || holding > common || holding > counted {
            continue;
        }
        let rarity = ((counted - holding) as f32 + 0.5) / (holding as f32 + 0.5);
        scored.push((frequency as f32 * (1.0 + rarity).ln(), term));
    }
    scored.sort_by(|(a, a_term), (b, b_term)| b.total_cmp(a).then_with(|| a_term.cmp(b_term)));
    scored.truncate(LIKE_THIS_TERMS);
    let best = scored.first().map_or(1.0, |(score, _)| *score);
    Ok(Box::new(BooleanQuery::new(
        scored
            .into_iter()
            .map(|(score, term)| {
                let word: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(word, score / best)) as Box<dyn Query>,
                )
            })
            .collect(),
    )))
}

/// `text` as a regular expression matching itself: ASCII punctuation and spaces escaped (the
/// regex syntax allows escaping any ASCII character but letters, digits, `<` and `>`), every
/// other character as it is.
fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if (c.is_ascii_punctuation() && c != '<' && c != '>') || c == ' ' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The addresses of the best `limit` matches of `query`, ranked by score with live statistics
/// (see [`by_score`]).
fn best(
    searcher: &Searcher,
    statistics: &dyn Bm25StatisticsProvider,
    query: &dyn Query,
    limit: usize,
) -> Result<Vec<DocAddress>, SearchError> {
    Ok(searcher
        .search_with_statistics_provider(query, &by_score(limit, 0), statistics)?
        .into_iter()
        .map(|(_, address)| address)
        .collect())
}

/// Tests of related records, and a small index maker other tests of this folder share.
#[cfg(test)]
pub(super) mod tests {
    use super::super::tests::NoNames;
    use super::*;
    use crate::model::Role;
    use crate::model::access::Viewer;

    /// A photo record `id` with `title` only, of `access` (as written in a batch).
    pub(in crate::index::search) fn record(id: &str, title: &str, access: &str) -> Record {
        super::super::tests::record(id, title, access.parse().unwrap())
    }

    /// A public index and its everyone index in a fresh folder, holding `records`.
    pub(in crate::index::search) fn pair(records: &[Record]) -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index =
            SearchIndex::open_pair(&dir.path().join("search"), &dir.path().join("search-all"))
                .unwrap();
        let mut indexer = index.indexer().unwrap();
        for record in records {
            indexer.put(record, "v1|-|-", &NoNames, "").unwrap();
        }
        indexer.commit().unwrap();
        index.reload().unwrap();
        (dir, index)
    }

    fn related(index: &SearchIndex, id: &str) -> Vec<String> {
        index
            .related(id, 6)
            .unwrap()
            .into_iter()
            .map(|hit| hit.id)
            .collect()
    }

    /// Eight records a researcher may see and ten restricted ones that all hold `trống`: among
    /// the visible records `trống` is rare (2 of 8) and ties `trống da` to `trống`, but in the
    /// whole index it is common (12 of 18, past the quarter a chosen word may be held by), so
    /// words chosen from the whole index's statistics would drop it and lose that record.
    #[test]
    fn related_records_choose_their_words_from_what_the_viewer_may_see() {
        let mut visible = vec![
            record("a", "Trống da", "researchers"),
            record("b", "Trống", "public"),
            record("c", "Da", "public"),
        ];
        for (n, word) in ["nón", "mây", "lụa", "gốm", "sơn"].iter().enumerate() {
            visible.push(record(&format!("v{n}"), word, "public"));
        }
        let mut all = visible.clone();
        for n in 0..10 {
            all.push(record(
                &format!("r{n}"),
                &format!("Trống bí mật {n}"),
                "restricted",
            ));
        }
        let researcher = Viewer::Account {
            role: Role::Researcher,
            groups: BTreeSet::new(),
        };
        let (_dir, index) = pair(&all);
        let scoped = index.for_viewer(&researcher).unwrap().unwrap();
        let (_reference_dir, reference) = pair(&visible);
        let reference = reference.for_viewer(&researcher).unwrap().unwrap();
        let expected = related(&reference, "a");
        assert_eq!(
            expected.iter().map(String::as_str).collect::<BTreeSet<_>>(),
            BTreeSet::from(["b", "c"])
        );
        assert_eq!(related(&scoped, "a"), expected);
        // An archivist sees the restricted records: `trống` is common among them, so only `da`
        // ties `a` to another record.
        let archivist = index
            .for_viewer(&Viewer::Account {
                role: Role::Archivist,
                groups: BTreeSet::new(),
            })
            .unwrap()
            .unwrap();
        assert_eq!(related(&archivist, "a"), ["c"]);
    }

    #[test]
    fn the_rule_a_record_is_seen_by_is_read_from_the_viewer_scope() {
        let (_dir, index) = pair(&[
            record("pub", "Lụa", "public"),
            record("res", "Lụa", "researchers"),
            record("com", "Lụa", "community:g"),
            record("sec", "Lụa", "restricted"),
        ]);
        let researcher = index
            .for_viewer(&Viewer::Account {
                role: Role::Researcher,
                groups: BTreeSet::from([crate::model::GroupId::parse("g").unwrap()]),
            })
            .unwrap()
            .unwrap();
        let access = |index: &SearchIndex, id: &str| {
            index
                .access_of(id)
                .unwrap()
                .map(|access| access.to_string())
        };
        assert_eq!(access(&researcher, "pub").as_deref(), Some("public"));
        assert_eq!(access(&researcher, "res").as_deref(), Some("researchers"));
        assert_eq!(access(&researcher, "com").as_deref(), Some("community:g"));
        assert_eq!(access(&researcher, "sec"), None);
        assert_eq!(access(&researcher, "never"), None);
        assert_eq!(access(&index, "pub").as_deref(), Some("public"));
        assert_eq!(access(&index, "res"), None);
    }
}
