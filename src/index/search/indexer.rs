//! Writing the search index: one [`Indexer`] per run, many threads putting records through it,
//! one commit (with the payload that says which archive state the index reflects) at the end.

use super::clauses::tie_key;
use super::*;

/// The single writer of the search index.
pub struct Indexer {
    pub(super) writer: IndexWriter,
    pub(super) fields: Fields,
    pub(super) audience: Audience,
    pub(super) index: Index,
    /// The writer of the everyone index kept in step ([`SearchIndex::everyone`]): every put,
    /// delete, clear and commit of this one reaches it first.
    pub(super) companion: Option<Box<Indexer>>,
}

/// What a live document was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedDoc {
    /// The archive versions (see `sync::ArchiveState::stamp`).
    pub stamp: String,
    /// The village it cites.
    pub village: Option<String>,
    /// The craft it cites.
    pub craft: Option<String>,
    /// The artisans it names (issue 14).
    pub artisans: Vec<String>,
    /// Every product it names, shown or not (issue 14; which ones it shows: [`Indexer::put`]).
    pub products: Vec<String>,
}

/// Names of villages and crafts, so their names are searchable in the records that cite them;
/// and (issue 14) the artisans and products records name, their villages' communes and
/// provinces, so `artisan:`, `title:`, `product:`, `stars:`, `commune:` and `province:` find
/// records by them (and free text by the village's address). The issue-14 methods default to
/// knowing nothing, for lists of villages and crafts alone.
pub trait AuthorityNames {
    /// Vietnamese and English names of a village.
    fn village_names(&self, id: &str) -> Vec<String>;
    /// Vietnamese and English names of a craft.
    fn craft_names(&self, id: &str) -> Vec<String>;
    /// The district of a village, as written.
    fn village_district(&self, id: &str) -> Option<String>;
    /// The Decree 52/2018 class of a village.
    fn village_status(&self, id: &str) -> Option<crate::model::RiskStatus>;
    /// The provinces of a village as written: the documented one (`province`, such as "Hà
    /// Nam") and the one after 1 July 2025 (`province_2025`, "Ninh Bình"), each once.
    fn village_provinces(&self, _id: &str) -> Vec<String> {
        Vec::new()
    }
    /// The communes (or wards) of a village as written: the documented one (`commune`, such as
    /// "Chuyên Ngoại") and the one after 1 July 2025 (`commune_2025`), each once.
    fn village_communes(&self, _id: &str) -> Vec<String> {
        Vec::new()
    }
    /// Artisan `id` whole. Its name, village, crafts and honours are public
    /// (`crate::model::artisan`); the indexer reads nothing else of it.
    fn artisan_record(&self, _id: &str) -> Option<&crate::model::Artisan> {
        None
    }
    /// Product `id` whole, whatever its access: the indexer derives a record's product fields
    /// only from products admitting every viewer of the record ([`Indexer::put`]).
    fn product_record(&self, _id: &str) -> Option<&crate::model::Product> {
        None
    }
}

impl Indexer {
    /// Adds or replaces a record's document, or removes it when the index's audience may not
    /// see the record, or it is withdrawn (nothing of it is added).
    ///
    /// Its artisans' ids, names and titles are indexed (public, whoever may see the record);
    /// of its products, only those whose access admits every viewer the record's access admits
    /// ([`Access::admits_all_of`]) give their id, names and stars: a record may name a product
    /// fewer people may see, and no search, facet or count may reveal it to the others. `stamp` names the archive versions it is made
    /// from; `extracted` is text read from its document files. Embeds of other records are
    /// indexed without their ids and captions (see [`Indexer::put_with_embeds`]).
    pub fn put(
        &self,
        record: &Record,
        stamp: &str,
        names: &dyn AuthorityNames,
        extracted: &str,
    ) -> Result<(), SearchError> {
        self.put_with_embeds(record, stamp, names, extracted, &|_| false)
    }

    /// [`Indexer::put`], indexing every text of the record as a visitor reads it
    /// ([`crate::index::public_text::public_record`]): embeds of records `shown` admits (records the
    /// audience may see now) with their ids and captions, nothing of the others.
    pub fn put_with_embeds(
        &self,
        record: &Record,
        stamp: &str,
        names: &dyn AuthorityNames,
        extracted: &str,
        shown: &dyn Fn(&str) -> bool,
    ) -> Result<(), SearchError> {
        if let Some(all) = &self.companion {
            all.put_with_embeds(record, stamp, names, extracted, shown)?;
        }
        let id = record.id.as_str();
        self.delete_here(id);
        if !self.audience.admits_record(record) {
            return Ok(());
        }
        // Files the audience may not see leave nothing: names, sizes, technical metadata, EXIF
        // and the text read from them. In the everyone index, a record whose files are narrower
        // than its description has two documents: its description alone, for the viewers who
        // may see it and not its files, and the whole record, for those who may see both (each
        // viewer's scope admits exactly one: `audience::split_tokens`).
        let without_files = || {
            let mut without = record.clone();
            without.files.clear();
            without
        };
        let files_apart = self.audience == Audience::Everyone
            && !record.files_rule().admits_all_of(&record.access);
        if files_apart {
            let (description, whole) =
                super::super::audience::split_tokens(&record.access, record.files_rule());
            self.add(&without_files(), stamp, names, "", shown, description)?;
            return self.add(record, stamp, names, extracted, shown, whole);
        }
        let rule = super::super::audience::rule_token(&record.access);
        if self.audience.admits_files(record) {
            self.add(record, stamp, names, extracted, shown, rule)
        } else {
            self.add(&without_files(), stamp, names, "", shown, rule)
        }
    }

    /// Adds one document of `record` (its files as given, `extracted` their text) under the
    /// index token `rule` (see [`super::super::audience`]).
    fn add(
        &self,
        record: &Record,
        stamp: &str,
        names: &dyn AuthorityNames,
        extracted: &str,
        shown: &dyn Fn(&str) -> bool,
        rule: String,
    ) -> Result<(), SearchError> {
        let fields = self.fields;
        let id = record.id.as_str();
        // Every text as a visitor may read it (embeds of records not `shown` leave nothing);
        // the ids embedded are remembered so the record is indexed again when one of them is
        // hidden or shown.
        let mut embeds = crate::index::public_text::record_embeds(record);
        // Text read from the record's files is indexed only when all it names is shown: a file
        // naming a hidden record or product does not exist for the audience (`web::text_names`),
        // so none of its words may answer a search or be quoted (fix14). `shown` knows records
        // only: a text naming any product is left out too (deny by default). The records it names
        // are remembered with the embeds, so it is indexed again when one is shown or hidden.
        let file_names = crate::index::public_text::named_keys(extracted);
        let extracted = if file_names.iter().all(|key| shown(key)) {
            extracted
        } else {
            ""
        };
        for key in file_names {
            if !key.starts_with(crate::index::public_text::PRODUCT_KEY) && !embeds.contains(&key) {
                embeds.push(key);
            }
        }
        // The index is built without the site's address: any host's links are judged.
        let record = &crate::index::public_text::public_record(
            record,
            &crate::index::site_links::OwnSite::AnyHost,
            shown,
        );
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, id);
        doc.add_text(fields.identifiers, identifier_key(id));
        for identifier in record.dc.get("identifier").into_iter().flatten() {
            doc.add_text(fields.identifiers_written, identifier.value.trim());
            let key = identifier_key(&identifier.value);
            if !key.is_empty() && key != identifier_key(id) {
                doc.add_text(fields.identifiers, key);
            }
        }
        doc.add_text(fields.stamp, stamp);
        doc.add_u64(fields.tie, tie_key(id));
        doc.add_text(fields.access, record.access.to_string());
        doc.add_text(fields.rule, rule);
        doc.add_text(
            fields.files_rule,
            super::super::audience::rule_token(record.files_rule()),
        );
        doc.add_text(fields.kind, record.kind.as_str());
        doc.add_facet(fields.facets, &format!("/kind/{}", record.kind));
        if let Some(village) = &record.village {
            doc.add_text(fields.village, village.as_str());
            doc.add_facet(fields.facets, &format!("/village/{village}"));
        }
        if let Some(craft) = &record.craft {
            doc.add_text(fields.craft, craft.as_str());
            doc.add_facet(fields.facets, &format!("/craft/{craft}"));
        }
        if let Some(village) = &record.village {
            if let Some(district) = names.village_district(village.as_str()) {
                doc.add_facet(fields.facets, &format!("/district/{}", slug(&district)));
            }
            if let Some(status) = names.village_status(village.as_str()) {
                doc.add_facet(fields.facets, &format!("/status/{status}"));
            }
            let communes = names.village_communes(village.as_str());
            let provinces = names.village_provinces(village.as_str());
            for (facet, written) in [("commune", &communes), ("province", &provinces)] {
                let keys: BTreeSet<String> = written
                    .iter()
                    .map(|name| slug(name))
                    .filter(|key| !key.is_empty())
                    .collect();
                for key in keys {
                    doc.add_facet(fields.facets, Facet::from_path([facet, key.as_str()]));
                }
            }
            // The village's address, each name once, as free text of low weight.
            let district = names.village_district(village.as_str());
            let mut places: Vec<&str> = Vec::new();
            for place in communes.iter().chain(&district).chain(&provinces) {
                let place = place.trim();
                if !place.is_empty() && !places.contains(&place) {
                    places.push(place);
                }
            }
            for place in places {
                doc.add_text(fields.places, place);
                doc.add_text(fields.places_folded, fold(place));
            }
        }
        add_vocabulary(
            &mut doc,
            &fields,
            record,
            names,
            self.audience == Audience::Everyone,
        );
        let has_media = record.files.iter().any(|f| {
            has_derivative(&f.format.mime)
                || f.format.mime.starts_with("video/")
                || f.format.mime.starts_with("audio/")
        });
        let media = if has_media { "yes" } else { "no" };
        doc.add_facet(fields.facets, &format!("/media/{media}"));
        let title = record.title(Lang::Vi);
        doc.add_text(fields.title, title);
        // Records of equal title in the order of their ids, whatever order they were indexed in.
        doc.add_text(fields.title_sort, format!("{}\u{0}{id}", sort_key(title)));
        // Undated records sort last both ways, and no date range contains them; a dated one
        // spans what `date:` finds it by (qualified sides widened, open sides unbounded). The
        // decade facet is counted from these two at query time (see `decades`).
        let (date_from, date_to) = match record.date.as_ref().map(|d| d.search_span()) {
            None => (i64::MAX, i64::MIN),
            Some(span) => (
                span.from.map_or(i64::MIN, day_number),
                span.to.map_or(i64::MAX, day_number),
            ),
        };
        doc.add_i64(fields.date_from, date_from);
        doc.add_i64(fields.date_to, date_to);
        if let Some(english) = record.dc_value("title", Lang::En) {
            doc.add_text(fields.title_en, english);
            doc.add_text(fields.title_en_stemmed, english);
            doc.add_text(fields.title_en_folded, english);
            doc.add_text(fields.title_en_words, fold(english));
        }
        // Folded fields hold everything but English, whose short words ("to", "do", "an")
        // would otherwise answer unaccented Vietnamese ("tơ", "đồ", "ăn"); English is searched
        // stemmed, in its own fields. Each value is added on its own, so no phrase runs from one
        // value into the next.
        for title in record.dc.get("title").into_iter().flatten() {
            if title.lang != Lang::En {
                doc.add_text(fields.title_folded, fold(&title.value));
            }
        }
        let mut add_text = |value: &str, lang: Lang| {
            // Embed markup is no words (break-12 finding 8); captions stay.
            let value = &crate::index::public_text::reading_text(value);
            if value.trim().is_empty() {
                return;
            }
            doc.add_text(fields.text, value);
            if lang == Lang::En {
                doc.add_text(fields.text_en_stemmed, value);
                doc.add_text(fields.text_en_folded, value);
            } else {
                add_folded(&mut doc, &fields, fold(value));
            }
        };
        for (term, values) in &record.dc {
            if term == "title" || term == "date" || term == "identifier" {
                continue;
            }
            // Coordinates written in `spatial`/`coverage` are not searchable nor shown in snippets.
            for value in values
                .iter()
                .filter(|v| crate::index::location::columns::is_public_dc(term, &v.value))
            {
                add_text(&value.value, value.lang);
            }
        }
        for (lang, body) in &record.body {
            add_text(&plain_markdown(body), *lang);
        }
        add_text(extracted, Lang::Vi);
        for embedded in embeds {
            doc.add_text(fields.embeds, embedded);
        }
        let cited = [
            (
                fields.village_names,
                record
                    .village
                    .as_ref()
                    .map(|v| names.village_names(v.as_str())),
            ),
            (
                fields.craft_names,
                record.craft.as_ref().map(|c| names.craft_names(c.as_str())),
            ),
        ];
        for (names_field, cited_names) in cited {
            for name in cited_names.into_iter().flatten() {
                let folded = fold(&name);
                doc.add_text(names_field, &folded);
                add_folded(&mut doc, &fields, folded);
            }
        }
        if let Some(position) = record
            .files
            .iter()
            .position(|f| has_derivative(&f.format.mime))
        {
            doc.add_text(fields.thumbnail, format!("/media/{id}/thumb/{position}"));
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Removes the document of record `id`, if any.
    pub fn delete(&self, id: &str) {
        if let Some(all) = &self.companion {
            all.delete(id);
        }
        self.delete_here(id);
    }

    /// Removes the document of record `id` from this index only.
    fn delete_here(&self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Removes every document (before a full rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        if let Some(all) = &self.companion {
            all.clear()?;
        }
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes everything added so far durable and visible to readers, recording no archive state.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        self.commit_with("")
    }

    /// Commits with a payload saying what the index now reflects (see [`crate::index::sync`]).
    pub fn commit_with(&mut self, payload: &str) -> Result<(), SearchError> {
        if let Some(all) = &mut self.companion {
            all.commit_with(payload)?;
        }
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(payload);
        prepared.commit()?;
        Ok(())
    }

    /// Commits with `payload`, purges deleted documents (merging the segments that hold any),
    /// then lets merges finish: dropping the writer would cancel them, leaving a rebuilt index in
    /// many small segments that every query visits one by one. Deleted documents still count in
    /// a segment's term statistics until it is merged; purged, a record made hidden no longer
    /// weighs in any ranking or close spelling.
    pub fn finish(mut self, payload: &str) -> Result<(), SearchError> {
        if let Some(all) = self.companion.take() {
            all.finish(payload)?;
        }
        self.commit_with(payload)?;
        let with_deletes: Vec<tantivy::index::SegmentId> = self
            .index
            .searchable_segment_metas()?
            .into_iter()
            .filter(|meta| meta.has_deletes())
            .map(|meta| meta.id())
            .collect();
        if !with_deletes.is_empty() {
            // Fails only when a merge the commit started holds one of them; that merge purges
            // them too.
            let _ = self.writer.merge(&with_deletes).wait();
        }
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// Adds what a record's artisans and products give its document (issue 14): ids (filters and
/// facets), names (folded, searched by `artisan:`, `product:` and free text alike), the titles
/// its artisans hold (`title:` and the `title` facet) and its products' OCOP stars (`stars:`
/// and the `stars` facet). Products narrower than the record give nothing but the unsearched
/// `names_product` (see [`Indexer::put`]) and, in the everyone index (`guarded`), the guarded
/// term a viewer who may see the product filters by ([`SearchIndex::product_filter`]); an
/// unknown product gives only `names_product` (deny by default), an unknown artisan its id.
/// In the everyone index such a product's names and stars are guarded the same way
/// (`product_names_guarded`, `stars_guarded`), so `product:` and `stars:` find for a viewer who
/// may see the product what the product filter finds (break14b F4), and so are its product and
/// stars facet values ([`super::tally::guarded_facet`]), so the facets count for that viewer
/// what those filters find.
fn add_vocabulary(
    doc: &mut TantivyDocument,
    fields: &Fields,
    record: &Record,
    names: &dyn AuthorityNames,
    guarded: bool,
) {
    let mut facets: BTreeSet<String> = BTreeSet::new();
    let mut guarded_facets: BTreeSet<Facet> = BTreeSet::new();
    let add_names = |doc: &mut TantivyDocument, field: Field, values: &[&str]| {
        for name in values {
            let folded = fold(name);
            doc.add_text(field, &folded);
            doc.add_text(fields.names_exact, *name);
            add_folded(doc, fields, folded);
        }
    };
    for id in &record.artisans {
        let id = id.as_str();
        doc.add_text(fields.artisan, id);
        facets.insert(format!("/artisan/{id}"));
        let Some(artisan) = names.artisan_record(id) else {
            continue;
        };
        let mut written = vec![artisan.name.as_str()];
        written.extend(artisan.name_en.as_deref());
        add_names(doc, fields.artisan_names, &written);
        for name in &written {
            doc.add_text(fields.artisan_fullnames, whole_name(name));
        }
        for title in artisan.titles() {
            doc.add_text(fields.honours, fold(title));
            let key = slug(title);
            if !key.is_empty() {
                facets.insert(format!("/title/{key}"));
            }
        }
    }
    for id in &record.products {
        let id = id.as_str();
        doc.add_text(fields.names_product, id);
        let Some(product) = names.product_record(id) else {
            continue;
        };
        if !product.access.admits_all_of(&record.access) {
            if guarded {
                let token = crate::index::audience::rule_token(&product.access);
                doc.add_text(fields.product_guarded, format!("{id}\u{1f}{token}"));
                let mut written = vec![product.name.as_str()];
                written.extend(product.name_en.as_deref());
                for name in written {
                    doc.add_pre_tokenized_text(
                        fields.product_names_guarded,
                        guarded_words(&token, name),
                    );
                }
                if let Some(ocop) = &product.ocop {
                    doc.add_text(fields.stars_guarded, format!("{token}\u{1f}{}", ocop.stars));
                }
                // Counted in the product and stars facets by the viewers who may see it.
                guarded_facets.insert(super::tally::guarded_facet(&token, "product", id));
                if let Some(ocop) = &product.ocop {
                    let stars = ocop.stars.to_string();
                    guarded_facets.insert(super::tally::guarded_facet(&token, "stars", &stars));
                }
                doc.add_text(fields.product_rules, token);
            }
            continue;
        }
        doc.add_text(fields.product, id);
        facets.insert(format!("/product/{id}"));
        let mut written = vec![product.name.as_str()];
        written.extend(product.name_en.as_deref());
        add_names(doc, fields.product_names, &written);
        if let Some(ocop) = &product.ocop {
            doc.add_i64(fields.stars, i64::from(ocop.stars));
            facets.insert(format!("/stars/{}", ocop.stars));
        }
    }
    for facet in facets {
        doc.add_facet(fields.facets, &facet);
    }
    for facet in guarded_facets {
        doc.add_facet(fields.facets, facet);
    }
}

/// A name whole, for `artisan_fullnames`: folded (case, diacritics, NFC/NFD alike) and cut into
/// words as every folded field is, the words joined by one space. The query side reads what is
/// typed the same way ([`SearchIndex::name_query`]).
pub(super) fn whole_name(name: &str) -> String {
    tokens(&mut crate::index::analysis::analyzer(), &fold(name)).join(" ")
}

/// The folded words of `name`, each written `<rule>\u{1f}<word>` at its own position: a phrase
/// of such terms matches only within one product's name and only for the viewer whose scope
/// admits `rule` ([`SearchIndex::guarded_names`]).
pub(super) fn guarded_words(rule: &str, name: &str) -> tantivy::tokenizer::PreTokenizedString {
    let words = tokens(&mut crate::index::analysis::analyzer(), &fold(name));
    let tokens = words
        .into_iter()
        .enumerate()
        .map(|(position, word)| tantivy::tokenizer::Token {
            position,
            text: guarded_term(rule, &word),
            ..Default::default()
        })
        .collect();
    tantivy::tokenizer::PreTokenizedString {
        text: String::new(),
        tokens,
    }
}

/// The term of one guarded value: `<rule>\u{1f}<value>`.
pub(super) fn guarded_term(rule: &str, value: &str) -> String {
    format!("{rule}\u{1f}{value}")
}
