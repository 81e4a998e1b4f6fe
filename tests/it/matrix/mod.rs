//! The access matrix of issue 13 ("Proving it"): every route × every audience × every access
//! value, for a record's `access` and for its `files_access`, each cell asserting that the
//! audience sees the record (or its files) or gets a 404 byte for byte the one of something
//! that never existed; through the router and over a real socket.
//!
//! The oracle is the rule written again here, as a table ([`AUDIENCES`]: which audience sees
//! which access value), never a call into Disan's `Viewer::may_see`. Records come from
//! `tests/fixtures/batches/matrix/` ([`RECORDS`]): for each access value a photo record (its
//! files follow it), a story and a festival; for each value but `public` a record whose
//! description is public and whose files carry the value (the one for community A holds a film
//! with WebVTT subtitles), a public technique sharing a word with the photo (related records),
//! and one `researchers` record whose files are for community A; a public story embeds every
//! photo and every such record. Every title holds a made-up word no other record has, every
//! file text another one, so a search for it finds that record alone. Test material: images
//! are ImageMagick gradients (`convert -size 24x16 gradient:'#7a3b1e-#e8c07a' -quality 85`,
//! each record its own colours) stamped with exiftool (`-ImageDescription="Generated gradient
//! standing in for a photo" -Artist="Disan test fixture (generated)"`) and given a made-up GPS
//! position (`-GPSLatitude=20.5123 -GPSLatitudeRef=N -GPSLongitude=105.9876
//! -GPSLongitudeRef=E`), so what an anonymous visitor downloads is their public copy; the film
//! is `tests/fixtures/media/testsrc.mp4`.
//!
//! Audiences sign in for real: personal API tokens, and session cookies from `/en/login`
//! (second factor included). The expired sessions use small configured timeouts (idle 60 s,
//! lifetime 120 s) and the accounts database's manual clock.
//!
//! Every cell must pass: the gaps the matrix first found (media, file text, pages and story
//! embeds for signed-in viewers, public copies in the public store, admins reading the view log)
//! are closed.

mod oracle;
mod world;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use disan::web::Site;
use serde_json::Value;

use self::oracle::{
    AUDIENCES, EMBEDDING_STORY, RECORDS, Rec, Row, Rule, anonymous, record, sees, sees_files,
};
use self::world::{Credential, Got, Transport, World, fetch, world};

/// A record id that never existed.
const NEVER: &str = "khong-bao-gio-co";

/// A word no record holds, of the same shape as the fixture's words.
const NEVER_WORD: &str = "dopogihov";

/// What [`Matrix::visible_or_never`] asks.
struct Probe<'a> {
    route: &'a str,
    subject: &'a str,
    uri: &'a str,
    never: &'a str,
    visible: bool,
    word: Option<&'a str>,
}

/// The cells run so far and what they found.
struct Matrix {
    site: Arc<Site>,
    transport: Transport,
    transport_name: &'static str,
    credentials: Vec<Credential>,
    /// Answers already fetched, per audience and URI.
    answers: HashMap<(usize, String), Got>,
    /// The index of each record's photo among its files (`/media/{id}/display/{n}`).
    photo_index: HashMap<&'static str, usize>,
    /// Each record's archived files: path and SHA-256.
    files: HashMap<&'static str, Vec<(String, disan::model::Sha256)>>,
    /// The site's index folder.
    index: std::path::PathBuf,
    /// The 401 answer every refused request must be: one for the JSON API (`/api/…`, with its
    /// error code), one for everything else.
    refused: HashMap<bool, Got>,
    cells: usize,
    failures: Vec<String>,
}

impl Matrix {
    fn new(world: &World, transport: Transport, transport_name: &'static str) -> Self {
        let files: HashMap<&'static str, Vec<(String, disan::model::Sha256)>> = RECORDS
            .iter()
            .map(|r| {
                let archived = crate::support::record(&world.workspace, r.id);
                let files = archived.files.iter().map(|f| (f.path.clone(), f.sha256));
                (r.id, files.collect())
            })
            .collect();
        let photo_index = files
            .iter()
            .filter_map(|(id, files)| {
                let n = files.iter().position(|(path, _)| path == "files/anh.jpg")?;
                Some((*id, n))
            })
            .collect();
        Matrix {
            files,
            index: world.workspace.index(),
            site: world.site.clone(),
            transport,
            transport_name,
            credentials: world.credentials.clone(),
            answers: HashMap::new(),
            photo_index,
            refused: HashMap::new(),
            cells: 0,
            failures: Vec::new(),
        }
    }

    /// Records one cell's outcome.
    fn cell(&mut self, route: &str, who: usize, subject: &str, outcome: Result<(), String>) {
        self.cells += 1;
        let row = &AUDIENCES[who];
        let name = format!(
            "[{}] {route} | {} | {subject}",
            self.transport_name, row.name
        );
        if let Err(why) = outcome {
            self.failures.push(format!("{name}: {why}"));
        }
    }

    /// The answer to `GET uri` for audience `who`, fetched once; `None` for an audience every
    /// request of which is refused (its 401 is a cell of its own). Every answer also makes the
    /// cells every answer has: an audience the site must treat as anonymous gets anonymous's
    /// bytes, and a 200 holds no id, link or word of what its audience may not see.
    async fn get(&mut self, who: usize, uri: &str) -> Option<Got> {
        let key = (who, uri.to_string());
        if let Some(got) = self.answers.get(&key) {
            return (!AUDIENCES[who].refused).then(|| got.clone());
        }
        let got = fetch(&self.site, self.transport, &self.credentials[who], uri).await;
        self.answers.insert(key, got.clone());
        let row = &AUDIENCES[who];
        if row.refused {
            let first = self
                .refused
                .entry(uri.starts_with("/api/"))
                .or_insert_with(|| got.clone())
                .clone();
            let outcome = if got.status != 401 {
                Err(format!("not refused: {}", got.short()))
            } else if got != first {
                Err(format!("another 401: {}", got.short()))
            } else {
                Ok(())
            };
            self.cell("refused with the same 401", who, uri, outcome);
            return None;
        }
        if row.as_anonymous {
            let anonymous = Box::pin(self.get(0, uri)).await.unwrap();
            let outcome = if got == anonymous {
                Ok(())
            } else {
                Err(format!(
                    "differs from anonymous's: {} / {}",
                    got.short(),
                    anonymous.short()
                ))
            };
            self.cell("the same bytes as anonymous", who, uri, outcome);
        }
        if got.status == 200 {
            let outcome = leaks(row, uri, &got);
            self.cell("nothing unseen in the answer", who, uri, outcome);
        }
        Some(got)
    }

    /// A cell for `probe.uri`: 200 when `probe.visible`, else byte for byte the answer to
    /// `probe.never` (the same route for something that never existed), once `probe.word` is
    /// replaced there by [`NEVER_WORD`] when given (a search echoes what was typed). Returns the
    /// answer when it is a 200.
    async fn visible_or_never(&mut self, who: usize, probe: Probe<'_>) -> Option<Got> {
        let Probe {
            route,
            subject,
            uri,
            never,
            visible,
            word,
        } = probe;
        let got = self.get(who, uri).await?;
        let absent = self.get(who, never).await?;
        let outcome = if visible {
            if got.status == 200 {
                Ok(())
            } else {
                Err(format!("{uri} should be visible: {}", got.short()))
            }
        } else {
            let compared = match word {
                Some(word) => got.with(word, NEVER_WORD),
                None => got.clone(),
            };
            // A search for a word no record holds is a 200 with nothing; anything else that
            // never existed is a 404.
            if compared == absent && (word.is_some() || absent.status == 404) {
                Ok(())
            } else {
                Err(format!(
                    "{uri} should answer as {never}: {} / {}",
                    got.short(),
                    absent.short()
                ))
            }
        };
        self.cell(route, who, subject, outcome);
        (got.status == 200).then_some(got)
    }

    /// A cell asserting that the answer to `uri` holds `needle` exactly when `expected`.
    async fn holds(
        &mut self,
        route: &str,
        who: usize,
        subject: &str,
        uri: &str,
        needle: &str,
        expected: bool,
    ) {
        let Some(got) = self.get(who, uri).await else {
            return;
        };
        let outcome = if got.status != 200 {
            Err(format!("{uri}: {}", got.short()))
        } else if got.text().contains(needle) != expected {
            Err(format!(
                "{uri} {} {needle}",
                if expected { "lacks" } else { "holds" }
            ))
        } else {
            Ok(())
        };
        self.cell(route, who, subject, outcome);
    }

    /// Every cell of audience `who` about record `rec`.
    async fn record_cells(&mut self, who: usize, rec: &'static Rec) {
        let row = &AUDIENCES[who];
        let (visible, files) = (sees(row, rec), sees_files(row, rec));
        let id = rec.id;
        for (route, uri, never) in [
            (
                "record page",
                format!("/records/{id}"),
                format!("/records/{NEVER}"),
            ),
            (
                "record page (en)",
                format!("/en/records/{id}"),
                format!("/en/records/{NEVER}"),
            ),
            (
                "record API",
                format!("/api/records/{id}"),
                format!("/api/records/{NEVER}"),
            ),
            // Its OCFL version (issue 16): the page of v1 and the citation files.
            (
                "record page of version v1",
                format!("/records/{id}/v1"),
                format!("/records/{NEVER}/v1"),
            ),
            (
                "record citation (RIS)",
                format!("/records/{id}/cite.ris"),
                format!("/records/{NEVER}/cite.ris"),
            ),
            (
                "record citation of version v1 (CSL-JSON)",
                format!("/en/records/{id}/v1/cite.json"),
                format!("/en/records/{NEVER}/v1/cite.json"),
            ),
        ] {
            let got = self
                .visible_or_never(
                    who,
                    Probe {
                        route,
                        subject: id,
                        uri: &uri,
                        never: &never,
                        visible,
                        word: None,
                    },
                )
                .await;
            // A citation names no file.
            let citation = route.starts_with("record citation");
            if let (Some(got), true) = (got, !rec.media.is_empty() && !citation) {
                // What the record says of its files: listed when the viewer may see them,
                // else said to be reserved.
                let outcome = if route == "record API" {
                    got.json().and_then(|json| {
                        let listed = json["files"].as_array().is_some_and(|f| !f.is_empty());
                        let reserved = json["files_reserved"] == Value::Bool(true);
                        if listed == files && reserved != files {
                            Ok(())
                        } else {
                            Err(format!("files listed {listed}, reserved {reserved}"))
                        }
                    })
                } else {
                    let linked = got
                        .text()
                        .contains(&format!("/media/{id}/files/ghi-chu.txt"));
                    if linked == files {
                        Ok(())
                    } else {
                        Err(format!("links its files: {linked}"))
                    }
                };
                self.cell(&format!("{route}: its files"), who, id, outcome);
            }
        }
        // Media: display image, thumbnail, the photo (its public copy for anonymous visitors:
        // it holds a position), the text file (sent as preserved), the film and its subtitles.
        if let Some(&n) = self.photo_index.get(id) {
            let mut media = vec![
                ("media display", format!("display/{n}")),
                ("media thumbnail", format!("thumb/{n}")),
            ];
            for file in rec.media {
                let route = match *file {
                    "anh.jpg" => "media original (public copy)",
                    "ghi-chu.txt" => "media original",
                    "phim.mp4" => "media film",
                    _ => "media subtitles",
                };
                media.push((route, format!("files/{file}")));
            }
            for (route, path) in media {
                self.visible_or_never(
                    who,
                    Probe {
                        route,
                        subject: id,
                        uri: &format!("/media/{id}/{path}"),
                        never: &format!("/media/{NEVER}/{path}"),
                        visible: files,
                        word: None,
                    },
                )
                .await;
            }
        }
        // Search by the title's word: found alone, counted alone; else the answer for a word no
        // record holds.
        let word = rec.word;
        for (route, uri, never) in [
            (
                "search page",
                format!("/search?q={word}"),
                format!("/search?q={NEVER_WORD}"),
            ),
            (
                "search page (en)",
                format!("/en/search?q={word}"),
                format!("/en/search?q={NEVER_WORD}"),
            ),
            (
                "search API",
                format!("/api/search?q={word}"),
                format!("/api/search?q={NEVER_WORD}"),
            ),
        ] {
            let got = self
                .visible_or_never(
                    who,
                    Probe {
                        route,
                        subject: id,
                        uri: &uri,
                        never: &never,
                        visible,
                        word: Some(word),
                    },
                )
                .await;
            let Some(got) = got.filter(|_| visible) else {
                continue;
            };
            if route != "search API" {
                let outcome = if got.text().contains(&format!("/records/{id}\"")) {
                    Ok(())
                } else {
                    Err("does not list it".to_string())
                };
                self.cell(&format!("{route}: finds it"), who, id, outcome);
                continue;
            }
            let json = got.json();
            let outcome = json.as_ref().map_err(Clone::clone).and_then(|json| {
                let hits: Vec<&str> = json["hits"]
                    .as_array()
                    .map(|hits| hits.iter().filter_map(|h| h["id"].as_str()).collect())
                    .unwrap_or_default();
                if hits == [id] && json["total"] == 1 {
                    Ok(())
                } else {
                    Err(format!("hits {hits:?}, total {}", json["total"]))
                }
            });
            self.cell("search API: finds it alone", who, id, outcome);
            let decade = (rec.year / 10 * 10).to_string();
            let expected = [
                ("kind", rec.kind.to_string()),
                ("village", rec.village.to_string()),
                ("craft", rec.craft.to_string()),
                ("decade", decade),
                ("district", "huyen-thu".to_string()),
                ("status", "developing".to_string()),
            ];
            let outcome = json.as_ref().map_err(Clone::clone).and_then(|json| {
                for (facet, value) in &expected {
                    let counts = counts(&json["facets"][facet]);
                    let wanted = BTreeMap::from([(value.clone(), 1)]);
                    if counts != wanted {
                        return Err(format!("{facet}: {counts:?}, expected {wanted:?}"));
                    }
                }
                Ok(())
            });
            self.cell("search facets", who, id, outcome);
            let with_media = files && !rec.media.is_empty();
            let outcome = json.as_ref().map_err(Clone::clone).and_then(|json| {
                let counts = counts(&json["facets"]["media"]);
                let wanted =
                    BTreeMap::from([((if with_media { "yes" } else { "no" }).to_string(), 1)]);
                if counts == wanted {
                    Ok(())
                } else {
                    Err(format!("media: {counts:?}, expected {wanted:?}"))
                }
            });
            self.cell("search facet media", who, id, outcome);
        }
        // Search by the word of its files' text: only for those who may see the files.
        if let Some(file_word) = rec.file_word {
            let got = self
                .visible_or_never(
                    who,
                    Probe {
                        route: "search by file text: answers",
                        subject: id,
                        uri: &format!("/api/search?q={file_word}"),
                        never: &format!("/api/search?q={NEVER_WORD}"),
                        visible: files,
                        word: Some(file_word),
                    },
                )
                .await;
            if let (Some(got), true) = (got, files) {
                let found = got.json().is_ok_and(|json| json["hits"][0]["id"] == id);
                let outcome = if found { Ok(()) } else { Err(got.short()) };
                self.cell("search by file text", who, id, outcome);
            }
        }
        // Suggestions for the beginning of the title's word.
        let typed = &word[..6];
        let got = self
            .visible_or_never(
                who,
                Probe {
                    route: "suggest",
                    subject: id,
                    uri: &format!("/api/suggest?q={typed}"),
                    never: &format!("/api/suggest?q={}", &NEVER_WORD[..6]),
                    visible,
                    word: Some(typed),
                },
            )
            .await;
        if let (Some(got), true) = (got, visible) {
            let outcome = if got.text().contains(&format!("/records/{id}\"")) {
                Ok(())
            } else {
                Err(got.short())
            };
            self.cell("suggest: suggests it", who, id, outcome);
        }
        let link = format!("/records/{id}\"");
        for (route, uri) in [
            ("village page", format!("/villages/{}", rec.village)),
            ("village page (en)", format!("/en/villages/{}", rec.village)),
            ("craft page", format!("/crafts/{}", rec.craft)),
        ] {
            self.holds(route, who, id, &uri, &link, visible).await;
        }
        match rec.kind {
            "story" => {
                self.holds("stories list", who, id, "/stories", &link, visible)
                    .await
            }
            "festival" => {
                self.holds("festivals", who, id, "/festivals", &link, visible)
                    .await;
            }
            _ => {}
        }
        if !rec.media.is_empty() {
            let story = format!("/records/{EMBEDDING_STORY}");
            self.holds("story embeds", who, id, &story, &link, visible)
                .await;
            let media = format!("/media/{id}/");
            self.holds("story embed media", who, id, &story, &media, files)
                .await;
        }
        if let Some(twin) = rec.twin_of {
            let shown = sees(row, record(twin));
            let link = format!("/records/{twin}\"");
            self.holds(
                "related records",
                who,
                twin,
                &format!("/records/{id}"),
                &link,
                shown,
            )
            .await;
        }
        // Sitemaps are public-only whoever asks.
        let public = rec.access == Rule::Public;
        self.holds(
            "sitemap",
            who,
            id,
            "/sitemaps/records-1.xml",
            &format!("/records/{id}<"),
            public,
        )
        .await;
        // OAI-PMH harvests public records only, whoever asks (issue 16): listed, and readable.
        self.holds(
            "oai list",
            who,
            id,
            "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
            &format!(":{id}</identifier>"),
            public,
        )
        .await;
        self.holds(
            "oai record",
            who,
            id,
            &format!("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:127.0.0.1:{id}"),
            "<oai_dc:dc",
            public,
        )
        .await;
        // The view log: archivists only; to anyone else the site's 404 for an unknown path.
        let uri = format!("/record/{id}/views");
        if let (Some(got), Some(unknown)) = (
            self.get(who, &uri).await,
            self.get(who, "/khong-co-trang-nay").await,
        ) {
            let outcome = match (row.reads_view_log(), got.status) {
                (true, 200) => Ok(()),
                (false, _) if got == unknown => Ok(()),
                _ => Err(format!("{uri}: {}", got.short())),
            };
            self.cell("view log", who, id, outcome);
        }
    }

    /// Cells of audience `who` about the site as a whole.
    async fn site_cells(&mut self, who: usize) {
        let row = &AUDIENCES[who];
        let visible: Vec<&Rec> = RECORDS.iter().filter(|r| sees(row, r)).collect();
        // Counts and facets of everything: the records the viewer may see, and only them.
        if let Some(got) = self.get(who, "/api/search").await {
            let outcome = got.json().and_then(|json| {
                if json["total"] != visible.len() {
                    return Err(format!("total {} of {}", json["total"], visible.len()));
                }
                let mut expected: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
                for rec in &visible {
                    for (facet, value) in [
                        ("kind", rec.kind.to_string()),
                        ("village", rec.village.to_string()),
                        ("craft", rec.craft.to_string()),
                        ("decade", (rec.year / 10 * 10).to_string()),
                        ("district", "huyen-thu".to_string()),
                        ("status", "developing".to_string()),
                    ] {
                        *expected.entry(facet).or_default().entry(value).or_default() += 1;
                    }
                }
                for (facet, wanted) in expected {
                    let counts = counts(&json["facets"][facet]);
                    if counts != wanted {
                        return Err(format!("{facet}: {counts:?}, expected {wanted:?}"));
                    }
                }
                Ok(())
            });
            self.cell("search counts and facets", who, "every record", outcome);
        }
        // The home page's count.
        if let Some(got) = self.get(who, "/").await {
            let text = got.text();
            let count: String = text
                .split("<p class=\"count\">")
                .nth(1)
                .and_then(|rest| rest.split("</p>").next())
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let outcome = if count == visible.len().to_string() {
                Ok(())
            } else {
                Err(format!("counts {count} of {}", visible.len()))
            };
            let subject =
                if visible.len() == RECORDS.iter().filter(|r| r.access == Rule::Public).count() {
                    "public"
                } else {
                    "more than public"
                };
            self.cell("home count", who, subject, outcome);
        }
        // Sitemaps: the anonymous ones, whoever asks.
        for uri in [
            "/sitemap.xml",
            "/sitemaps/records-1.xml",
            "/sitemaps/pages.xml",
        ] {
            if let (Some(got), Some(anonymous)) = (self.get(who, uri).await, self.get(0, uri).await)
            {
                let outcome = if got == anonymous && got.status == 200 {
                    Ok(())
                } else {
                    Err(format!("{} / {}", got.short(), anonymous.short()))
                };
                self.cell("sitemap as anonymous's", who, uri, outcome);
            }
        }
        // Pages that list records for the viewer, each also scanned by `get`.
        for uri in [
            "/en",
            "/stories",
            "/festivals",
            "/villages",
            "/en/villages/xom-thu-hai",
        ] {
            self.get(who, uri).await;
        }
    }

    /// Runs every cell and asserts the outcome.
    async fn run(mut self) {
        for who in 0..AUDIENCES.len() {
            for rec in &RECORDS {
                self.record_cells(who, rec).await;
            }
            self.site_cells(who).await;
        }
        // Whatever was asked, the index keeps no preview and no public copy of files the
        // public may not see (README, "A public description, reserved files").
        let store = disan::index::IndexDir::new(&self.index).derivatives();
        for rec in RECORDS.iter().filter(|r| !sees_files(anonymous(), r)) {
            let kept: Vec<String> = self.files[rec.id]
                .iter()
                .flat_map(|(path, sha)| {
                    use disan::index::derivatives::Rendition;
                    [
                        ("display image", store.path(sha, Rendition::Display)),
                        ("thumbnail", store.path(sha, Rendition::Thumbnail)),
                        ("public copy", store.public_copy_path(sha)),
                    ]
                    .into_iter()
                    .filter(|(_, kept)| kept.exists())
                    .map(move |(what, _)| format!("{what} of {path}"))
                })
                .collect();
            let outcome = if kept.is_empty() {
                Ok(())
            } else {
                Err(format!("index/derivatives/ keeps {kept:?}"))
            };
            self.cell("index keeps nothing of unseen files", 0, rec.id, outcome);
        }
        eprintln!(
            "[{}] access matrix: {} cells, {} failing",
            self.transport_name,
            self.cells,
            self.failures.len(),
        );
        assert!(
            self.failures.is_empty(),
            "{} failing cells:\n{}",
            self.failures.len(),
            self.failures.join("\n"),
        );
    }
}

/// A facet's counts without zeros.
fn counts(facet: &Value) -> BTreeMap<String, u64> {
    facet
        .as_object()
        .map(|values| {
            values
                .iter()
                .filter_map(|(value, count)| Some((value.clone(), count.as_u64()?)))
                .filter(|(_, count)| *count > 0)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a 200 for `row` holds a link to, or a word of, a record it may not see, or a media
/// URL or file word of files it may not see (words typed in `uri` excepted: a search echoes
/// them).
fn leaks(row: &Row, uri: &str, got: &Got) -> Result<(), String> {
    let text = got.text().to_lowercase();
    let mut found = BTreeSet::new();
    for rec in &RECORDS {
        let id = rec.id;
        if !sees(row, rec) {
            for needle in [format!("/records/{id}\""), format!("/records/{id}<")] {
                if text.contains(&needle) {
                    found.insert(needle);
                }
            }
            if !uri.contains(rec.word) && text.contains(rec.word) {
                found.insert(rec.word.to_string());
            }
        }
        if !sees_files(row, rec) {
            if text.contains(&format!("/media/{id}/")) {
                found.insert(format!("/media/{id}/"));
            }
            if let Some(word) = rec
                .file_word
                .filter(|w| !uri.contains(w) && text.contains(w))
            {
                found.insert(word.to_string());
            }
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("holds {found:?}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_audience_and_access_value_through_the_router() {
    let world = world().await;
    Matrix::new(&world, Transport::Router, "router").run().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_audience_and_access_value_over_a_real_socket() {
    let world = world().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(world.site.clone(), listener));
    Matrix::new(&world, Transport::Socket(addr), "socket")
        .run()
        .await;
}
