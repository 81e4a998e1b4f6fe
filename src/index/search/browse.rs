//! Browsing beside a search: records related to one record, title suggestions as a visitor
//! types, and the list of every public id.

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
        let common = (self.statistics(&searcher).num_docs() / 4).max(2);
        // (MoreLikeThis counts a deleted document's words until its segment is merged, which
        // `Indexer::finish` does at the end of every run that deletes.)
        let like_this = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(common)
            .with_min_term_frequency(1)
            .with_max_query_terms(30)
            .with_min_word_length(2)
            .with_document_fields(vec![
                (fields.title_folded, vec![OwnedValue::Str(fold(&title))]),
                (fields.text_folded, vec![OwnedValue::Str(fold(&text))]),
            ]);
        let mut similar: Vec<Box<dyn Query>> = vec![Box::new(like_this)];
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
        best(&searcher, &self.statistics(&searcher), &query, limit)?
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
