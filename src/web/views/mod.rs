//! What templates show, in one language: records, results, villages and crafts turned into plain
//! values with their labels, links and language tags.
//!
//! Handlers fetch; this module decides how a thing reads in Vietnamese or in English (with the
//! Vietnamese value shown, and marked, where a record has no English one). Nothing here touches
//! the archive or the index, but for [`visit`], whose page is made of other records read as
//! the viewer may see them.
//!
//! One file per concern: [`labels`] (vocabulary and names), [`results`] (search results and
//! facets), [`links`] (URLs), [`map`] (the village map), [`story`] (Markdown and embeds),
//! [`record`] (a record page), [`festival`] (lunar dates) and [`visit`] (a visit's page).

mod festival;
mod labels;
mod links;
pub mod map;
mod record;
mod results;
mod story;
mod visit;

pub use festival::{date_label, festival_dates, festival_view};
pub use labels::{
    activity_label, craft_name, kind_label, record_title, status_key, status_label, village_name,
    village_view,
};
pub use links::media_url;
pub use map::{MapOutline, village_map};
pub use record::{RecordPage, display_size, subtitle_lang};
pub use results::{hit_view, last_page, results_link, results_view};
pub use story::{Embed, Resolve, embedded_ids};
pub use visit::complete_page;
