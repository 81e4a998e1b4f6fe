//! The authorities a description may name (villages, crafts, artisans, products, the accounts
//! database's communities) and how a cell names one: by id or by name, ignoring case and
//! diacritics, with the error that says which row of the batch refused it or that nobody knows it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::text::same_name;
use crate::model::{
    Artisan, ArtisanId, Craft, CraftId, Message, Product, ProductId, Village, VillageId,
};
use crate::msg;

/// The villages, crafts, artisans and products a description may name (the archive's and the
/// batch's), and the communities (the accounts database's groups).
#[derive(Debug, Default)]
pub struct Authorities {
    /// Every known village.
    pub villages: BTreeMap<VillageId, Village>,
    /// Every known craft.
    pub crafts: BTreeMap<CraftId, Craft>,
    /// Every known artisan: the archive's, replaced or joined by the batch's accepted rows.
    pub artisans: BTreeMap<ArtisanId, Artisan>,
    /// Every known product, likewise.
    pub products: BTreeMap<ProductId, Product>,
    /// Villages whose `metadata/villages.csv` row this batch refused and the archive does not
    /// hold, with the row (as the spreadsheet shows it): naming one is an error saying so.
    pub refused_villages: BTreeMap<VillageId, Option<usize>>,
    /// Crafts whose `metadata/crafts.csv` row this batch refused and the archive does not hold,
    /// with the row.
    pub refused_crafts: BTreeMap<CraftId, Option<usize>>,
    /// Artisans whose `metadata/artisans.csv` row this batch refused and the archive does not
    /// hold, with the row (as the spreadsheet shows it): naming one is an error saying so.
    pub refused_artisans: BTreeMap<ArtisanId, Option<usize>>,
    /// Products whose `metadata/products.csv` row this batch refused and the archive does not
    /// hold, with the row.
    pub refused_products: BTreeMap<ProductId, Option<usize>>,
    /// The groups `community:<id>` values may name.
    pub communities: crate::ingest::communities::Communities,
    /// The authorities this batch's files describe.
    pub described: Described,
}

/// The authorities a batch's files describe: the accepted rows of its `crafts.csv`,
/// `villages.csv`, `artisans.csv` and `products.csv`, and the artisans whose honours
/// `honours.csv` sets. The report lists these (added, updated or unchanged); the archive's other
/// authorities were not touched by the batch and are not listed.
#[derive(Debug, Default)]
pub struct Described {
    /// Villages with an accepted row.
    pub villages: BTreeSet<VillageId>,
    /// Crafts with an accepted row.
    pub crafts: BTreeSet<CraftId>,
    /// Artisans with an accepted row, or whose honours the batch sets.
    pub artisans: BTreeSet<ArtisanId>,
    /// Products with an accepted row.
    pub products: BTreeSet<ProductId>,
}

impl Authorities {
    /// Resolves a village by id or by name (ignoring case and diacritics); a village whose row
    /// this batch refused is an error naming that row.
    pub fn village(&self, text: &str) -> Result<VillageId, Message> {
        if let Ok(id) = VillageId::parse(text)
            && let Some(row) = self.refused_villages.get(&id)
        {
            return Err(refused("village", &id, "metadata/villages.csv", *row));
        }
        resolve(
            text,
            "village",
            "metadata/villages.csv",
            self.villages
                .values()
                .map(|v| (&v.id, [Some(&v.name), v.name_en.as_ref()])),
        )
    }

    /// Checks a craft id (as `metadata/villages.csv` names crafts, by id only): known, or an
    /// error saying that its row was refused or that it is unknown.
    pub fn craft_id(&self, id: &CraftId) -> Result<(), Message> {
        if let Some(row) = self.refused_crafts.get(id) {
            Err(refused("craft", id, "metadata/crafts.csv", *row))
        } else if self.crafts.contains_key(id) {
            Ok(())
        } else {
            Err(unknown("craft", id, "metadata/crafts.csv"))
        }
    }

    /// Resolves a craft by id or by name (ignoring case and diacritics); a craft whose row this
    /// batch refused is an error naming that row.
    pub fn craft(&self, text: &str) -> Result<CraftId, Message> {
        if let Ok(id) = CraftId::parse(text)
            && let Some(row) = self.refused_crafts.get(&id)
        {
            return Err(refused("craft", &id, "metadata/crafts.csv", *row));
        }
        resolve(
            text,
            "craft",
            "metadata/crafts.csv",
            self.crafts
                .values()
                .map(|c| (&c.id, [Some(&c.name), c.name_en.as_ref()])),
        )
    }

    /// Resolves an artisan by id or by name (ignoring case and diacritics); an artisan whose row
    /// this batch refused is an error naming that row.
    pub fn artisan(&self, text: &str) -> Result<ArtisanId, Message> {
        if let Ok(id) = ArtisanId::parse(text)
            && let Some(row) = self.refused_artisans.get(&id)
        {
            return Err(refused("artisan", &id, "metadata/artisans.csv", *row));
        }
        resolve(
            text,
            "artisan",
            "metadata/artisans.csv",
            self.artisans
                .values()
                .map(|a| (&a.id, [Some(&a.name), a.name_en.as_ref()])),
        )
    }

    /// Resolves a product by id or by name (ignoring case and diacritics); a product whose row
    /// this batch refused is an error naming that row.
    pub fn product(&self, text: &str) -> Result<ProductId, Message> {
        if let Ok(id) = ProductId::parse(text)
            && let Some(row) = self.refused_products.get(&id)
        {
            return Err(refused("product", &id, "metadata/products.csv", *row));
        }
        resolve(
            text,
            "product",
            "metadata/products.csv",
            self.products
                .values()
                .map(|p| (&p.id, [Some(&p.name), p.name_en.as_ref()])),
        )
    }
}

/// The error for naming an authority whose row this batch refused (and the archive lacks).
fn refused(what: &str, id: &dyn std::fmt::Display, file: &str, row: Option<usize>) -> Message {
    let id = id.to_string();
    match row {
        Some(row) => msg!(
            "ingest-authority-row-refused",
            "{what} '{id}' is not in the archive and its row ({file}, row {row}) was refused: correct that row, then ingest the batch again",
            what = authority_word(what),
            id = id,
            file = file,
            row = row
        ),
        None => msg!(
            "ingest-authority-refused",
            "{what} '{id}' is not in the archive and its row ({file}) was refused: correct that row, then ingest the batch again",
            what = authority_word(what),
            id = id,
            file = file
        ),
    }
}

/// The error for naming an authority neither the archive nor the batch holds.
fn unknown(what: &str, id: &dyn std::fmt::Display, file: &str) -> Message {
    msg!(
        "ingest-authority-unknown",
        "unknown {what} '{id}': it is neither in the archive nor in the batch's {file}",
        what = authority_word(what),
        id = id.to_string(),
        file = file
    )
}

/// The word for an authority (`village`, `craft`, `artisan`, `product`) in either language.
pub fn authority_word(what: &str) -> Message {
    match what {
        "village" => msg!("ingest-word-village", "village"),
        "craft" => msg!("ingest-word-craft", "craft"),
        "artisan" => msg!("ingest-word-artisan", "artisan"),
        "product" => msg!("ingest-word-product", "product"),
        other => Message::english(other),
    }
}

fn resolve<'a, Id: Clone + PartialEq + std::fmt::Display + 'a>(
    text: &str,
    what: &str,
    file: &str,
    entries: impl Iterator<Item = (&'a Id, [Option<&'a String>; 2])> + Clone,
) -> Result<Id, Message> {
    if let Some((id, _)) = entries.clone().find(|(id, _)| id.to_string() == text) {
        return Ok(id.clone());
    }
    let matches: Vec<&Id> = entries
        .filter(|(_, names)| names.iter().flatten().any(|name| same_name(name, text)))
        .map(|(id, _)| id)
        .collect();
    match matches.as_slice() {
        [id] => Ok((*id).clone()),
        [] => Err(unknown(what, &text, file)),
        many => Err(msg!(
            "ingest-authority-ambiguous",
            "'{text}' could be any of the {what}s {ids}; write the id instead",
            text = text,
            what = authority_word(what),
            ids = many
                .iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
