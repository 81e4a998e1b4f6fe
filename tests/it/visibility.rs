//! Nothing hidden ever leaks (issue 10), on the index and web side: a record that becomes hidden
//! leaves every public surface before its archive commit, whatever moment an ingest is killed
//! at; `ingest`, `serve` and `verify` bring an index left behind up to date; public text is
//! computed from what the public may see; and what the public sees does not depend on what it
//! cannot see.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::StatusCode;
use disan::archive::Archive;
use disan::index::IndexDir;
use disan::index::sync::{ArchiveState, Cited, IndexState};
use disan::model::Access;
use disan::web::{Site, app};

use crate::support::Workspace;
use crate::web::get;

/// One row of a generated batch: a text file described by one metadata row.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    title: String,
    description: String,
    access: &'static str,
}

impl Row {
    fn new(id: &str, title: &str, description: &str, access: &'static str) -> Self {
        Row {
            id: id.into(),
            title: title.into(),
            description: description.into(),
            access,
        }
    }
}

/// Writes a batch folder of `rows` (and extra raw CSV lines, e.g. malformed ones).
fn write_batch(dir: &Path, rows: &[Row], raw: &[String]) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("objects")).unwrap();
    std::fs::create_dir_all(dir.join("metadata")).unwrap();
    let mut csv = String::from("filename,dc.identifier,dc.title,dc.description,access\n");
    for row in rows {
        std::fs::write(
            dir.join(format!("objects/{}.txt", row.id)),
            format!("{}\n", row.id),
        )
        .unwrap();
        csv.push_str(&format!(
            "objects/{}.txt,{},{},{},{}\n",
            row.id, row.id, row.title, row.description, row.access
        ));
    }
    for line in raw {
        csv.push_str(line);
        csv.push('\n');
    }
    std::fs::write(dir.join("metadata/metadata.csv"), csv).unwrap();
    dir.to_path_buf()
}

/// Runs `disan ingest` with `DISAN_CRASH_AT` set (or not); true when it was aborted.
fn ingest_crashing(workspace: &Workspace, batch: &Path, crash_at: Option<&str>) -> bool {
    let mut command = workspace.disan();
    command.arg("ingest").arg("--json").arg(batch);
    match crash_at {
        Some(point) => command.env("DISAN_CRASH_AT", point),
        None => command.env_remove("DISAN_CRASH_AT"),
    };
    let output = command.output().unwrap();
    let crashed = output.status.code().is_none();
    if crash_at.is_none() || !crashed {
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "ingest failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    crashed
}

fn open_site(workspace: &Workspace) -> Arc<Site> {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap())
}

/// The public records of the archive, as it holds them now.
fn archive_public_ids(workspace: &Workspace) -> BTreeSet<String> {
    let archive = Archive::open(&workspace.archive()).unwrap();
    let catalogue = archive.catalogue().unwrap();
    catalogue
        .records
        .values()
        .map(|inventory| archive.record_from(inventory).unwrap())
        .filter(|record| record.access == Access::Public)
        .map(|record| record.id.to_string())
        .collect()
}

/// Asserts that the index reflects the archive exactly: it says so, and it holds exactly the
/// archive's public records at their head versions.
fn assert_index_reflects_archive(workspace: &Workspace) {
    let archive = Archive::open(&workspace.archive()).unwrap();
    let (state, _) = ArchiveState::read(&archive).unwrap();
    let search = IndexDir::new(&workspace.index()).search().unwrap();
    assert_eq!(
        search.state().unwrap(),
        IndexState::Reflects(state.fingerprint())
    );
    let documents = search.documents().unwrap();
    let indexed: BTreeSet<String> = documents.keys().cloned().collect();
    assert_eq!(indexed, archive_public_ids(workspace));
    for (id, doc) in &documents {
        assert_eq!(
            Some(&doc.stamp),
            state.stamp(id, &Cited::of_document(doc)).as_ref(),
            "{id} is indexed from an old version"
        );
    }
}

/// Every public answer for a visitor probing `words` and `ids`: routes through the router.
async fn public_answers(
    site: &Arc<Site>,
    words: &[String],
    ids: &[String],
) -> Vec<(String, String)> {
    let mut uris: Vec<String> = vec![
        "/".into(),
        "/en".into(),
        "/search".into(),
        "/api/search".into(),
        "/api/search?sort=title".into(),
        "/stories".into(),
        "/festivals".into(),
        "/sitemap.xml".into(),
        "/sitemaps/records-1.xml".into(),
    ];
    for word in words {
        let typo: String = word
            .chars()
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        for q in [
            word.clone(),
            format!("{typo}x"),
            word.chars().take(5).collect(),
        ] {
            uris.push(format!("/api/search?q={q}"));
            uris.push(format!("/search?q={q}"));
            uris.push(format!("/api/suggest?q={q}"));
        }
    }
    for id in ids {
        uris.push(format!("/records/{id}"));
        uris.push(format!("/en/records/{id}"));
        uris.push(format!("/api/records/{id}"));
        uris.push(format!("/media/{id}/files/{id}.txt"));
    }
    let listing = get(site, "/api/search?page=1").await.json();
    for hit in listing["hits"].as_array().unwrap() {
        uris.push(hit["url"].as_str().unwrap().to_string());
        uris.push(format!("/api/records/{}", hit["id"].as_str().unwrap()));
    }
    let mut answers = Vec::new();
    for uri in uris {
        let answer = get(site, &uri).await;
        answers.push((uri, format!("{} {}", answer.status, answer.text())));
    }
    answers
}

/// Asserts no answer holds any of `forbidden` (words, titles, ids of hidden records), except
/// where the visitor typed it (a search page repeats the query).
fn assert_nothing_of(answers: &[(String, String)], forbidden: &BTreeSet<String>, when: &str) {
    for (uri, body) in answers {
        for secret in forbidden
            .iter()
            .filter(|secret| !uri.contains(secret.as_str()))
        {
            assert!(
                !body.contains(secret.as_str()),
                "{when}: {uri} shows '{secret}': {}",
                &body[..body.len().min(600)]
            );
        }
    }
}

/// A plain HTTP/1.1 GET over a real socket; the whole response as text.
fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    String::from_utf8_lossy(&crate::support::raw_get(addr, path, "")).into_owned()
}

/// The first version of the collection: five public records, each with words of its own.
fn first_version() -> Vec<Row> {
    (1..=5)
        .map(|n| {
            Row::new(
                &format!("rec-{n}"),
                &format!("Tieude{n}cu"),
                &format!("motachung congkhai{n}"),
                "public",
            )
        })
        .collect()
}

/// The second: rec-1 and rec-2 restricted and rec-3 for researchers (with new secret words),
/// rec-4 changed, rec-5 unchanged, rec-6 new.
fn second_version() -> Vec<Row> {
    vec![
        Row::new("rec-1", "Tieude1cu", "bimat1word motachung", "restricted"),
        Row::new("rec-2", "Tieude2cu", "bimat2word", "restricted"),
        Row::new("rec-3", "Tieude3cu", "bimat3word", "researchers"),
        Row::new("rec-4", "Tieude4moi", "motachung congkhai4moi", "public"),
        Row::new("rec-5", "Tieude5cu", "motachung congkhai5", "public"),
        Row::new("rec-6", "Tieude6moi", "motachung congkhai6", "public"),
    ]
}

/// Regression (adv-restricted-still-searchable-after-crash): an ingest killed at every point
/// where the index could fall behind. Before any restart, neither a server that was running
/// nor the index shows a record the archive hides; after `verify`, a new `ingest` or a new
/// `serve`, the index reflects the archive exactly.
#[tokio::test(flavor = "multi_thread")]
async fn an_ingest_killed_at_any_point_never_leaves_hidden_records_public() {
    let points = [
        "before-hide-commit",
        "after-hide-commit",
        "after-archive-commit:1",
        "after-archive-commit:3",
        "after-archive-commit:5",
        "before-final-commit",
    ];
    let secrets: BTreeSet<String> = ["bimat1word", "bimat2word", "bimat3word"]
        .map(String::from)
        .into();
    let probe_words: Vec<String> = [
        "bimat1word",
        "bimat2word",
        "bimat3word",
        "congkhai1",
        "congkhai2",
        "congkhai3",
        "Tieude1cu",
        "motachung",
    ]
    .map(String::from)
    .into();
    let probe_ids: Vec<String> = (1..=6).map(|n| format!("rec-{n}")).collect();
    for (n, point) in points.iter().enumerate() {
        let workspace = Workspace::new();
        let v1 = write_batch(&workspace.dir.path().join("v1"), &first_version(), &[]);
        assert!(!ingest_crashing(&workspace, &v1, None));
        assert_index_reflects_archive(&workspace);
        let running = open_site(&workspace);
        let v2 = write_batch(&workspace.dir.path().join("v2"), &second_version(), &[]);
        assert!(
            ingest_crashing(&workspace, &v2, Some(point)),
            "{point}: the ingest was not killed"
        );

        // Before any restart: what the archive hides is nowhere. Once the hide commit is made,
        // the batch's hidden records are gone even where the archive still has them public.
        let hidden_now: BTreeSet<String> = (1..=3)
            .map(|n| format!("rec-{n}"))
            .filter(|id| !archive_public_ids(&workspace).contains(id))
            .collect();
        let mut forbidden = secrets.clone();
        let hide_committed = *point != "before-hide-commit";
        for n in 1..=3 {
            let id = format!("rec-{n}");
            if hide_committed || hidden_now.contains(&id) {
                forbidden.insert(format!("/records/{id}\""));
                forbidden.insert(format!("congkhai{n}<"));
                forbidden.insert(format!("\"rec-{n}\""));
                forbidden.insert(format!("Tieude{n}cu"));
            }
        }
        running.reload_index();
        let answers = public_answers(&running, &probe_words, &probe_ids).await;
        assert_nothing_of(
            &answers,
            &forbidden,
            &format!("killed at {point}, running server"),
        );
        for n in 1..=3 {
            let id = format!("rec-{n}");
            if hide_committed || hidden_now.contains(&id) {
                let page = get(&running, &format!("/records/{id}")).await;
                assert_eq!(page.status, StatusCode::NOT_FOUND, "{point}: {id}");
            }
        }

        // A restart of each kind brings the index up to date.
        match n % 3 {
            0 => {
                let verify = workspace.verify();
                let text = String::from_utf8_lossy(&verify.stdout).into_owned();
                assert_eq!(verify.status.code(), Some(0), "{text}");
                if *point != "before-hide-commit" {
                    assert!(
                        text.contains(
                            "search index: was behind the archive (an ingest was interrupted)"
                        ),
                        "{point}: {text}"
                    );
                }
                let again = workspace.verify();
                assert!(
                    String::from_utf8_lossy(&again.stdout)
                        .contains("search index: up to date with the archive"),
                );
            }
            1 => assert!(!ingest_crashing(&workspace, &v2, None)),
            _ => drop(open_site(&workspace)),
        }
        assert_index_reflects_archive(&workspace);
        let fresh = open_site(&workspace);
        let answers = public_answers(&fresh, &probe_words, &probe_ids).await;
        let mut forbidden = secrets.clone();
        for id in hidden_now_after(&workspace) {
            forbidden.insert(format!("/records/{id}\""));
            forbidden.insert(format!("\"{id}\""));
        }
        assert_nothing_of(&answers, &forbidden, &format!("after restart from {point}"));
    }
}

/// Records of `rec-1..6` the archive hides now.
fn hidden_now_after(workspace: &Workspace) -> Vec<String> {
    let public = archive_public_ids(workspace);
    (1..=6)
        .map(|n| format!("rec-{n}"))
        .filter(|id| !public.contains(id))
        .collect()
}

/// A tiny deterministic generator (xorshift64*), so the property test needs no dependency and
/// every failure names the seed that reproduces it.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A word of letters no other record holds.
    fn word(&mut self, tag: &str) -> String {
        let letters: String = (0..6)
            .map(|_| (b'a' + self.below(26) as u8) as char)
            .collect();
        format!("{tag}{letters}")
    }
}

/// Property: random batches mixing public, researchers and restricted records, malformed rows
/// and kills at random points. After each step, no public route (router and a real socket)
/// returns a byte that belongs only to a hidden record: its id, title or words.
#[tokio::test(flavor = "multi_thread")]
async fn random_batches_and_kills_never_show_a_hidden_byte() {
    let workspace = Workspace::new();
    let mut random = Random(0x5EED_2026_1130_0001);
    let pool: Vec<String> = (0..8).map(|n| format!("prop-{n}")).collect();
    // Words written in a hidden description, ever: none may ever be public.
    let mut hidden_words: BTreeSet<String> = BTreeSet::new();
    let running = {
        let first = write_batch(
            &workspace.dir.path().join("seed"),
            &[Row::new("seed-public", "Khoidau", "hatgiong", "public")],
            &[],
        );
        assert!(!ingest_crashing(&workspace, &first, None));
        open_site(&workspace)
    };
    let runtime_site = running.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(runtime_site)).await });
    let crash_points = [
        "after-hide-commit",
        "after-archive-commit:1",
        "after-archive-commit:2",
        "before-final-commit",
    ];
    for step in 0..24 {
        let mut rows = Vec::new();
        let mut raw = Vec::new();
        let count = 2 + random.below(4) as usize;
        let mut chosen = BTreeSet::new();
        for _ in 0..count {
            let id = pool[random.below(pool.len() as u64) as usize].clone();
            if !chosen.insert(id.clone()) {
                continue;
            }
            let access =
                ["public", "public", "researchers", "restricted"][random.below(4) as usize];
            let word = random.word(if access == "public" { "pub" } else { "kin" });
            let title = random.word("Ten");
            if access != "public" {
                hidden_words.insert(word.clone());
                hidden_words.insert(title.clone());
            }
            rows.push(Row::new(&id, &title, &word, access));
        }
        if random.below(2) == 0 {
            // A malformed row: a bad date and an unknown kind for a file that is not there.
            raw.push(format!(
                "objects/missing-{step}.txt,broken-{step},Broken,{},restricted",
                random.word("kin")
            ));
        }
        let batch = write_batch(
            &workspace.dir.path().join(format!("step-{step}")),
            &rows,
            &raw,
        );
        let crash = (random.below(2) == 0)
            .then(|| crash_points[random.below(crash_points.len() as u64) as usize]);
        ingest_crashing(&workspace, &batch, crash);
        if random.below(3) == 0 {
            // Sometimes a restart (serve catches up), sometimes none.
            drop(open_site(&workspace));
        }
        running.reload_index();

        let public = archive_public_ids(&workspace);
        let mut forbidden = hidden_words.clone();
        for id in &pool {
            if !public.contains(id) {
                forbidden.insert(format!("/records/{id}\""));
                forbidden.insert(format!("\"{id}\""));
            }
        }
        let probe: Vec<String> = hidden_words.iter().take(6).cloned().collect();
        let answers = public_answers(&running, &probe, &pool).await;
        assert_nothing_of(
            &answers,
            &forbidden,
            &format!("step {step} (crash {crash:?})"),
        );
        for id in &pool {
            if !public.contains(id) {
                let answer = http_get(addr, &format!("/records/{id}"));
                assert!(answer.starts_with("HTTP/1.1 404"), "step {step}: {id}");
            }
        }
        for word in &probe {
            let answer = http_get(addr, &format!("/api/search?q={word}"));
            for secret in forbidden.iter().filter(|secret| *secret != word) {
                assert!(
                    !answer.contains(secret.as_str()),
                    "step {step}: socket shows {secret}"
                );
            }
        }
    }
}

/// Regression (adv-story-embed-ids-in-snippet): a public story embedding records for
/// researchers and restricted ones gives away neither their ids nor a caption, in the API body,
/// the indexed text or a snippet; the caption's words find nothing.
#[tokio::test]
async fn story_embeds_of_hidden_records_leave_no_id_and_no_caption() {
    let workspace = Workspace::new();
    let batch = workspace.batch("story-embeds-hidden");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let site = open_site(&workspace);
    let secrets = ["res-zorb", "rst-zorb", "flibbertigibbet", "bí mật"];
    let api = get(&site, "/api/records/cau-chuyen-an").await.json();
    assert_eq!(
        api["body"]["vi"],
        "Mở đầu câu chuyện.\n\n[[pub-zorb]]\n\n\n\n[[gallery: pub-zorb]]\n\nKết thúc."
    );
    for uri in [
        "/api/records/cau-chuyen-an",
        "/records/cau-chuyen-an",
        "/en/records/cau-chuyen-an",
        "/",
        "/stories",
        "/search?q=zorblaxian",
        "/api/search?q=zorblaxian",
        "/api/search?q=chuy%E1%BB%87n",
    ] {
        let text = get(&site, uri).await.text();
        for secret in secrets {
            assert!(!text.contains(secret), "{uri} shows '{secret}'");
        }
    }
    let found = get(&site, "/api/search?q=zorblaxian").await.json();
    assert_eq!(found["total"], 1);
    assert_eq!(found["hits"][0]["snippet"], "Mở đầu câu chuyện. Kết thúc.");
    // No embed's id is text (break-12 finding 8: markup is never searched nor shown); the
    // hidden ones are not either.
    for word in [
        "flibbertigibbet",
        "%22res+zorb%22",
        "%22rst+zorb%22",
        "b%C3%AD+m%E1%BA%ADt",
        "ch%C3%BA+th%C3%ADch",
    ] {
        let found = get(&site, &format!("/api/search?q={word}")).await.json();
        assert_eq!(found["total"], 0, "'{word}' finds {found}");
    }
    // The public photo is restricted later: the story loses its embed at once, without the
    // story being ingested again. (Embed markup is no longer indexed text, break-12 finding 8,
    // so what is checked is the story's record and snippet.)
    let later = workspace.dir.path().join("later");
    std::fs::create_dir_all(later.join("objects")).unwrap();
    std::fs::create_dir_all(later.join("metadata")).unwrap();
    std::fs::copy(batch.join("objects/pub.jpg"), later.join("objects/pub.jpg")).unwrap();
    std::fs::write(
        later.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,access,kind\nobjects/pub.jpg,pub-zorb,Public photo,restricted,photo\n",
    )
    .unwrap();
    assert_eq!(workspace.ingest(&later, &[]).0, 0);
    site.reload_index();
    let found = get(&site, "/api/search?q=zorblaxian").await.json();
    assert_eq!(found["hits"][0]["snippet"], "Mở đầu câu chuyện. Kết thúc.");
    let api = get(&site, "/api/records/cau-chuyen-an").await.text();
    assert!(!api.contains("pub-zorb"), "{api}");
}

/// Regression (adv-idf-ranking-reveals-hidden-words): public answers are byte for byte the same
/// whatever the hidden records hold: order, counts, close spellings, suggestions, related
/// records.
#[tokio::test]
async fn public_answers_do_not_depend_on_what_hidden_records_hold() {
    let mut worlds = Vec::new();
    for hidden in ["alphaword", "betaword", "gammaword alphawore betawodr"] {
        let workspace = Workspace::new();
        let mut rows = vec![
            Row::new("pub-a", "Record A", "alphaword", "public"),
            Row::new("pub-b", "Record B", "betaword mot", "public"),
            Row::new("pub-c", "Record C", "alphaword betaword chung", "public"),
        ];
        for h in ["h1", "h2", "h3"] {
            let access = if h == "h3" {
                "researchers"
            } else {
                "restricted"
            };
            rows.push(Row::new(h, &format!("Record {hidden}"), hidden, access));
        }
        let batch = write_batch(&workspace.dir.path().join("batch"), &rows, &[]);
        assert!(!ingest_crashing(&workspace, &batch, None));
        let site = open_site(&workspace);
        let mut answers = Vec::new();
        for uri in [
            "/api/search?q=alphaword+OR+betaword",
            "/api/search?q=alphaword",
            "/api/search?q=alphawordd",
            "/api/search?q=betawor",
            "/api/search?q=chung",
            "/api/search?q=record",
            "/api/suggest?q=record",
            "/api/suggest?q=rec",
            "/records/pub-a",
            "/records/pub-c",
            "/sitemaps/records-1.xml",
            "/",
        ] {
            let answer = get(&site, uri).await;
            answers.push((uri, answer.status, answer.body));
        }
        let order = get(&site, "/api/search?q=alphaword+OR+betaword")
            .await
            .json();
        let ids: Vec<&str> = order["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["pub-c", "pub-a", "pub-b"], "hidden: {hidden}");
        worlds.push((hidden, answers));
    }
    let (first_hidden, first) = &worlds[0];
    for (hidden, answers) in &worlds[1..] {
        for ((uri, status, body), (_, first_status, first_body)) in answers.iter().zip(first) {
            assert_eq!(status, first_status, "{uri}");
            assert!(
                body == first_body,
                "{uri} differs between hidden '{first_hidden}' and '{hidden}':\n{}\n{}",
                String::from_utf8_lossy(first_body),
                String::from_utf8_lossy(body)
            );
        }
    }
}

/// Visibility is decided before anything of a hidden record is read: a hidden record whose
/// archive copy cannot even be read answers exactly like an unknown id, on every route.
#[tokio::test]
async fn a_hidden_id_is_refused_before_its_record_is_read() {
    let workspace = Workspace::new();
    let rows = [
        Row::new("open-one", "Mo", "congkhai", "public"),
        Row::new("closed-one", "Dong", "kinmat", "restricted"),
    ];
    let batch = write_batch(&workspace.dir.path().join("batch"), &rows, &[]);
    assert!(!ingest_crashing(&workspace, &batch, None));
    let site = open_site(&workspace);
    // Make the hidden record unreadable: reading it would fail (a 500), not answer 404.
    let archive = Archive::open(&workspace.archive()).unwrap();
    let object = archive.record_path(&disan::model::RecordId::parse("closed-one").unwrap());
    std::fs::write(object.join("inventory.json"), "not json").unwrap();
    for route in ["/records/", "/en/records/", "/api/records/", "/media/"] {
        let suffix = if route == "/media/" { "/thumb/0" } else { "" };
        let hidden = get(&site, &format!("{route}closed-one{suffix}")).await;
        let unknown = get(&site, &format!("{route}never-was{suffix}")).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{route}");
        assert_eq!(hidden.body, unknown.body, "{route}");
    }
}

/// Regression (race-after-ingest): a running server answers every request with the index's
/// latest commit. An ingest removes a record from the index moments before its archive commit;
/// tantivy's own reader reload comes about half a second later, so a request arriving in
/// between listed the record although the archive already said "restricted". Here the hiding
/// commit is made by another `SearchIndex` (as by an ingest process) and the very next request,
/// with no reload asked for, must not list the record on any route.
#[tokio::test]
async fn a_request_after_an_index_commit_sees_it_at_once() {
    let workspace = Workspace::new();
    let batch = write_batch(
        &workspace.dir.path().join("first"),
        &[
            Row::new("walrus-one", "Walrusphoto one", "quillwort", "public"),
            Row::new("walrus-two", "Walrusphoto two", "quillwort", "public"),
        ],
        &[],
    );
    assert!(!ingest_crashing(&workspace, &batch, None));
    let site = open_site(&workspace);
    let routes = [
        "/api/search?q=walrusphoto",
        "/api/suggest?q=walrus",
        "/",
        "/search?q=quillwort",
        "/sitemaps/records-1.xml",
        "/records/walrus-two",
    ];
    for uri in routes {
        let text = get(&site, uri).await.text();
        assert!(text.contains("walrus-one"), "{uri} before: {text}");
    }
    // Another process's commit: the writer of a second handle on the same index.
    let other = IndexDir::new(&workspace.index()).search().unwrap();
    let mut indexer = other.indexer().unwrap();
    indexer.delete("walrus-one");
    indexer.commit().unwrap();
    drop(indexer);
    for uri in routes {
        let text = get(&site, uri).await.text();
        assert!(!text.contains("walrus-one"), "{uri} right after: {text}");
    }
    assert_eq!(
        get(&site, "/records/walrus-one").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&site, "/api/search?q=walrusphoto").await.json()["total"],
        1
    );
}

/// Regression (inline-embed): embeds of a restricted record that are not alone on their line
/// (inline, in a list item, a quotation, a code block, wrapped over two lines, beside a public
/// embed), in a technique's body and in a front-matter Dublin Core value leave no id and no
/// caption on any page, in the API, the index or a snippet; public embeds stay.
#[tokio::test]
async fn embeds_anywhere_in_any_text_leave_nothing_of_hidden_records() {
    let workspace = Workspace::new();
    let batch = workspace.batch("inline-embeds-hidden");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let site = open_site(&workspace);
    let story = get(&site, "/api/records/story").await.json();
    assert_eq!(
        story["body"]["vi"],
        "Intro paragraph.\n\n\n\n\nSee  inline in text.\n\n- \n\n> \n\n```\n```\n\n[[gallery: pub]]\n\n[[gallery: pub]]\n\n\n\n\n\n[[pub]]\n\n\nEnd."
    );
    assert_eq!(story["body"]["en"], "English intro.\n\n");
    let technique = get(&site, "/api/records/tech").await.json();
    assert_eq!(technique["body"]["vi"], "Body \n\n");
    assert_eq!(technique["dc"]["description"][0]["value"], "");
    let captions = [
        "capinline",
        "caplist",
        "capquote",
        "capcode",
        "capmultiline",
        "capupper",
        "capnospace",
        "capgallery",
        "capindented",
        "capeol",
        "capenglish",
        "captechnique",
        "captechblock",
        "capfrontmatter",
        "nested",
        "double",
    ];
    for uri in [
        "/api/records/story",
        "/records/story",
        "/en/records/story",
        "/api/records/tech",
        "/records/tech",
        "/en/records/tech",
        "/",
        "/stories",
        "/search?q=story",
        "/api/search?q=technique",
        "/api/search?q=intro",
        // The Markdown originals as written would show them: not sent.
        "/media/story/files/story.md",
        "/media/story/files/story.en.md",
        "/media/tech/files/tech.md",
    ] {
        let text = get(&site, uri).await.text();
        for secret in captions.iter().chain(&["[[hid", "/hid", "qqhiddentitle"]) {
            assert!(!text.contains(secret), "{uri} shows '{secret}'");
        }
    }
    for caption in captions {
        let found = get(&site, &format!("/api/search?q={caption}")).await.json();
        assert_eq!(found["total"], 0, "'{caption}' finds {found}");
    }
    // The public embed beside a hidden one on its line is kept, on the page too.
    let page = get(&site, "/records/story").await.text();
    assert!(
        page.contains("<figure class=\"embed\"><a href=\"/records/pub\">"),
        "{page}"
    );
}

/// Regression (two-index): a server reading one index never lists a record that an ingest
/// through another index over the same archive restricts, from the moment the archive says so,
/// even when that ingest is killed right after its archive commit; a server started later
/// brings its index up to date.
#[tokio::test]
async fn an_ingest_through_another_index_hides_its_records_from_a_running_server() {
    let workspace = Workspace::new();
    let first = write_batch(
        &workspace.dir.path().join("first"),
        &[
            Row::new("otter-one", "Otterphoto one", "sedgeword", "public"),
            Row::new("otter-two", "Otterphoto two", "sedgeword", "public"),
        ],
        &[],
    );
    assert!(!ingest_crashing(&workspace, &first, None));
    let site = open_site(&workspace);
    let routes = [
        "/api/search?q=otterphoto",
        "/api/suggest?q=otter",
        "/",
        "/sitemaps/records-1.xml",
        "/records/otter-two",
    ];
    for uri in routes {
        assert!(get(&site, uri).await.text().contains("otter-one"), "{uri}");
    }
    let second = write_batch(
        &workspace.dir.path().join("second"),
        &[Row::new(
            "otter-one",
            "Otterphoto one",
            "sedgeword",
            "restricted",
        )],
        &[],
    );
    let other_index = workspace.dir.path().join("other-index");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_disan"))
        .arg("--archive")
        .arg(workspace.archive())
        .arg("--index")
        .arg(&other_index)
        .arg("ingest")
        .arg(&second)
        .env_remove("DISAN_ARCHIVE")
        .env_remove("DISAN_INDEX")
        .env("DISAN_CRASH_AT", "after-archive-commit:1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), None, "the ingest was not killed");
    assert!(!archive_public_ids(&workspace).contains("otter-one"));
    for uri in routes {
        let text = get(&site, uri).await.text();
        assert!(!text.contains("otter-one"), "{uri} still lists it: {text}");
    }
    assert_eq!(
        get(&site, "/api/search?q=otterphoto").await.json()["total"],
        1
    );
    drop(site);
    let restarted = open_site(&workspace);
    assert_eq!(
        get(&restarted, "/api/search?q=sedgeword").await.json()["total"],
        1
    );
    assert_index_reflects_archive(&workspace);
}

/// Regression (raw Markdown): a text's original file is sent to visitors as written only when it
/// embeds nothing hidden and states no position; otherwise it answers like an unknown path, while
/// its page shows the text as the visitor may read it.
#[tokio::test]
async fn markdown_originals_are_sent_only_when_nothing_in_them_is_hidden() {
    let workspace = Workspace::new();
    let batch = workspace.batch("inline-embeds-hidden");
    let objects = batch.join("objects");
    let open = "---\nkind: story\ntitle: Open story\n---\nFirst.\n\n[[pub | A public photo]]\n";
    std::fs::write(objects.join("open.md"), open).unwrap();
    std::fs::write(
        objects.join("place.md"),
        "---\nkind: technique\ntitle: Workshop\nvĩ độ: 20.5123\n---\nText.\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let site = open_site(&workspace);
    let sent = get(&site, "/media/open/files/open.md").await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_eq!(sent.text(), open);
    for uri in ["/media/place/files/place.md", "/media/story/files/story.md"] {
        assert_eq!(get(&site, uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let page = get(&site, "/records/place").await.text();
    assert!(page.contains("Text."), "{page}");
    assert!(!page.contains("20.5123"), "{page}");
}
