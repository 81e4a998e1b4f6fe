//! The oracle of the access matrix: the rule of issue 13 written again as a table (which
//! audience sees which access value, [`AUDIENCES`]) and the fixture batch `matrix` as a table
//! ([`RECORDS`]). Nothing here calls Disan's own decision (`Viewer::may_see`).

/// Community A (`community:cong-dong-a`).
pub(super) const A: &str = "cong-dong-a";

/// Community B (`community:cong-dong-b`).
pub(super) const B: &str = "cong-dong-b";

/// An access value, as a record's `access` or its `files_access`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Public,
    Researchers,
    Restricted,
    /// `community:cong-dong-a`.
    A,
    /// `community:cong-dong-a` and `community:cong-dong-b`, need `any`.
    AnyAB,
    /// `community:cong-dong-a` and `community:cong-dong-b`, need `all`.
    AllAB,
}

/// One row of the oracle: who it is and which access values it sees.
pub(super) struct Row {
    pub(super) name: &'static str,
    /// What it sees, in the order public, researchers, restricted, A, A|B any, A&B all.
    pub(super) sees: [bool; 6],
    /// Every request is refused with 401 (a bearer token that is revoked or of a disabled
    /// account, as documented), whatever it asks.
    pub(super) refused: bool,
    /// The site must treat it as an anonymous visitor: every answer byte for byte anonymous's.
    pub(super) as_anonymous: bool,
}

const NOBODY: [bool; 6] = [false; 6];

const PUBLIC: [bool; 6] = [true, false, false, false, false, false];

/// The rule, written independently of Disan: which audience sees which access value. Admins do
/// not bypass protocols (an admin outside A does not see A's records); archivists see all.
#[rustfmt::skip]
pub(super) static AUDIENCES: [Row; 13] = [
    //                              public researchers restricted A    A|B any A&B all
    row("anonymous", PUBLIC, false, false),
    row("researcher", [true, true, false, false, false, false], false, false),
    row("member of A", [true, true, false, true, true, false], false, false),
    row("member of B", [true, true, false, false, true, false], false, false),
    row("member of A and B", [true, true, false, true, true, true], false, false),
    row("archivist", [true, true, true, true, true, true], false, false),
    row("admin, member of B", [true, true, false, false, true, false], false, false),
    row("disabled user's session", PUBLIC, false, true),
    row("disabled user's token", NOBODY, true, false),
    row("session expired (idle)", PUBLIC, false, true),
    row("session expired (lifetime)", PUBLIC, false, true),
    row("revoked token", NOBODY, true, false),
    row("session after logout", PUBLIC, false, true),
];

const fn row(name: &'static str, sees: [bool; 6], refused: bool, as_anonymous: bool) -> Row {
    Row {
        name,
        sees,
        refused,
        as_anonymous,
    }
}

impl Row {
    pub(super) fn sees(&self, rule: Rule) -> bool {
        self.sees[rule as usize]
    }

    /// May read the view log pages (archivists only; signed in with a session).
    pub(super) fn reads_view_log(&self) -> bool {
        self.name == "archivist"
    }

    pub(super) fn signed_in(&self) -> bool {
        !self.refused && !self.as_anonymous && self.name != "anonymous"
    }
}

/// One record of the fixture batch.
pub(super) struct Rec {
    pub(super) id: &'static str,
    pub(super) kind: &'static str,
    pub(super) access: Rule,
    /// `files_access`, when it is narrower than `access`.
    pub(super) files: Option<Rule>,
    pub(super) village: &'static str,
    pub(super) craft: &'static str,
    pub(super) year: i32,
    /// The made-up word of its title, in no other record.
    pub(super) word: &'static str,
    /// The made-up word of its file text (`ghi-chu.txt`, and the subtitles), in no other record.
    pub(super) file_word: Option<&'static str>,
    /// Its files under `files/`, for the media routes (Markdown records: none tried).
    pub(super) media: &'static [&'static str],
    /// The photo record a public technique shares a word with (related records).
    pub(super) twin_of: Option<&'static str>,
}

const PHOTO: &[&str] = &["anh.jpg", "ghi-chu.txt"];

const FILM: &[&str] = &["anh.jpg", "ghi-chu.txt", "phim.mp4", "vi.vtt"];

const X: &str = "xom-thu-mot";

const Y: &str = "xom-thu-hai";

const C1: &str = "nghe-thu-mot";

const C2: &str = "nghe-thu-hai";

#[allow(clippy::too_many_arguments)] // one row of the table below
const fn rec(
    id: &'static str,
    kind: &'static str,
    access: Rule,
    files: Option<Rule>,
    place: (&'static str, &'static str),
    year: i32,
    word: &'static str,
    file_word: Option<&'static str>,
    media: &'static [&'static str],
    twin_of: Option<&'static str>,
) -> Rec {
    Rec {
        id,
        kind,
        access,
        files,
        village: place.0,
        craft: place.1,
        year,
        word,
        file_word,
        media,
        twin_of,
    }
}

use Rule::{A as GA, AllAB, AnyAB, Public, Researchers, Restricted};

/// The fixture batch `matrix`, as its `metadata.csv` and front matter say.
#[rustfmt::skip]
pub(super) static RECORDS: [Rec; 30] = [
    rec("anh-pub", "photo", Public, None, (X, C1), 1655, "hiqyveqeq", Some("deqydecug"), PHOTO, None),
    rec("anh-res", "photo", Researchers, None, (X, C1), 1665, "tibodypah", Some("davimylev"), PHOTO, None),
    rec("anh-rst", "photo", Restricted, None, (X, C1), 1675, "qitonutem", Some("qymudigen"), PHOTO, None),
    rec("anh-a", "photo", GA, None, (X, C1), 1685, "ponepegyk", Some("dalyqolat"), PHOTO, None),
    rec("anh-any", "photo", AnyAB, None, (X, C1), 1695, "dylyhigyq", Some("kutydypet"), PHOTO, None),
    rec("anh-all", "photo", AllAB, None, (X, C1), 1705, "qucedalyp", Some("nutamiqan"), PHOTO, None),
    rec("tep-res", "photo", Public, Some(Researchers), (X, C1), 1715, "tamukabik", Some("haluteteh"), PHOTO, None),
    rec("tep-rst", "photo", Public, Some(Restricted), (X, C1), 1725, "lygilugiv", Some("guhogykob"), PHOTO, None),
    rec("tep-a", "film", Public, Some(GA), (X, C1), 1735, "komacapaq", Some("vigomulib"), FILM, None),
    rec("tep-any", "photo", Public, Some(AnyAB), (X, C1), 1745, "gihulibid", Some("nidakenyd"), PHOTO, None),
    rec("tep-all", "photo", Public, Some(AllAB), (X, C1), 1755, "beqecokak", Some("hebygyguv"), PHOTO, None),
    rec("tep-res-a", "photo", Researchers, Some(GA), (X, C1), 1765, "cuduvinoh", Some("qoduqytiv"), PHOTO, None),
    rec("chuyen-pub", "story", Public, None, (Y, C2), 1775, "bacilomoh", None, &[], None),
    rec("chuyen-res", "story", Researchers, None, (Y, C2), 1785, "demibubuh", None, &[], None),
    rec("chuyen-rst", "story", Restricted, None, (Y, C2), 1795, "higekodol", None, &[], None),
    rec("chuyen-a", "story", GA, None, (Y, C2), 1805, "hemunogot", None, &[], None),
    rec("chuyen-any", "story", AnyAB, None, (Y, C2), 1815, "mebuboned", None, &[], None),
    rec("chuyen-all", "story", AllAB, None, (Y, C2), 1825, "capehamun", None, &[], None),
    rec("le-hoi-pub", "festival", Public, None, (Y, C2), 1835, "tagytytob", None, &[], None),
    rec("le-hoi-res", "festival", Researchers, None, (Y, C2), 1845, "bynovigob", None, &[], None),
    rec("le-hoi-rst", "festival", Restricted, None, (Y, C2), 1855, "viqepanyl", None, &[], None),
    rec("le-hoi-a", "festival", GA, None, (Y, C2), 1865, "hydetepab", None, &[], None),
    rec("le-hoi-any", "festival", AnyAB, None, (Y, C2), 1875, "nydutubok", None, &[], None),
    rec("le-hoi-all", "festival", AllAB, None, (Y, C2), 1885, "muhilyceq", None, &[], None),
    rec("ban-res", "technique", Public, None, (X, C1), 1895, "kopavoliv", None, &[], Some("anh-res")),
    rec("ban-rst", "technique", Public, None, (X, C1), 1905, "gonibeqat", None, &[], Some("anh-rst")),
    rec("ban-a", "technique", Public, None, (X, C1), 1915, "cydanoqek", None, &[], Some("anh-a")),
    rec("ban-any", "technique", Public, None, (X, C1), 1925, "dadydabel", None, &[], Some("anh-any")),
    rec("ban-all", "technique", Public, None, (X, C1), 1935, "tygaqadac", None, &[], Some("anh-all")),
    rec("chuyen-nhung", "story", Public, None, (Y, C2), 1945, "mucatunod", None, &[], None),
];

/// The public story that embeds every photo and every record with narrower files.
pub(super) const EMBEDDING_STORY: &str = "chuyen-nhung";

pub(super) fn record(id: &str) -> &'static Rec {
    RECORDS
        .iter()
        .find(|r| r.id == id)
        .expect("a fixture record")
}

/// Whether `who` sees `rec` (its description).
pub(super) fn sees(who: &Row, rec: &Rec) -> bool {
    who.sees(rec.access)
}

/// Whether `who` sees `rec`'s files: the record and its files rule.
pub(super) fn sees_files(who: &Row, rec: &Rec) -> bool {
    sees(who, rec) && rec.files.is_none_or(|files| who.sees(files))
}

pub(super) fn anonymous() -> &'static Row {
    &AUDIENCES[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracle table itself, checked against the rule as the issue words it, so a typo in it
    /// cannot silently weaken every cell.
    #[test]
    fn the_oracle_is_the_rule_of_the_issue() {
        let groups = |name: &str| match name {
            "member of A" => (true, false),
            "member of B" | "admin, member of B" => (false, true),
            "member of A and B" => (true, true),
            _ => (false, false),
        };
        for row in &AUDIENCES {
            let signed = row.signed_in();
            let archivist = row.name == "archivist";
            let (a, b) = groups(row.name);
            let rule = [
                !row.refused,
                signed,
                archivist,
                archivist || signed && a,
                archivist || signed && (a || b),
                archivist || signed && a && b,
            ];
            assert_eq!(row.sees, rule, "{}", row.name);
        }
    }
}
