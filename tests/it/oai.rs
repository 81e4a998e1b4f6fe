//! OAI-PMH 2.0 at `/oai` (issue 16) over a real archive: every verb and every error condition
//! validated with xmllint against the OAI-PMH and oai_dc schemas (`tests/fixtures/oai/`), a
//! full harvest by the Python harvester Sickle through a real socket, and what must never be
//! harvested: records that are restricted, for researchers only, withdrawn, or that name a
//! hidden product, in any list, count or record.
//!
//! The archive holds the `valid` batch, then a copy of `vocabulary` with one more public record
//! naming the restricted product; then `anh-mat-trong` is withdrawn (the workspace's own code)
//! and `hoa-van-luc-giac` restricted by a new ingest: both were public, so both are deleted
//! headers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use disan::model::RecordId;
use disan::web::Site;

use crate::support::{Workspace, copy_dir};
use crate::web::{Answer, get, get_with};

const ORIGIN: &str = "http://127.0.0.1:8080";
const PREFIX: &str = "oai:127.0.0.1:";
const WITHDRAWN: &str = "anh-mat-trong";
const RESTRICTED_LATER: &str = "hoa-van-luc-giac";
const NAMES_HIDDEN_PRODUCT: &str = "oai-san-pham-an";
const HIDDEN_PRODUCT: &str = "san-pham-thu-han-che";
const HIDDEN_PRODUCT_NAME: &str = "Sản phẩm thử hạn chế";
/// Never public: restricted, researchers only, restricted (naming the hidden product).
const NEVER_PUBLIC: [&str; 3] = ["fixture-restricted", "phim", "vocab-san-pham-han-che"];
/// Their titles, which must appear nowhere either.
const NEVER_PUBLIC_TITLES: [&str; 3] = ["Ảnh hạn chế", "Phim thử", "Sản phẩm hạn chế (ảnh thử)"];

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oai/harvest.xsd")
}

/// The archive described in the module's documentation.
fn archive() -> Workspace {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0, "{report}");
    // The vocabulary batch, and a public record naming the restricted product.
    let batch = workspace.dir.path().join("vocabulary-oai");
    copy_dir(&workspace.batch("vocabulary"), &batch);
    std::fs::create_dir_all(batch.join("objects/khac")).unwrap();
    std::fs::write(
        batch.join("objects/khac/oai-san-pham.txt"),
        "Ghi chép thử về một sản phẩm (OAI-PMH).\n",
    )
    .unwrap();
    let sheet = batch.join("metadata/metadata.csv");
    let mut rows = std::fs::read_to_string(&sheet).unwrap();
    rows.push_str(&format!(
        "objects/khac/oai-san-pham.txt,{NAMES_HIDDEN_PRODUCT},Ghi chép sản phẩm (thử),Product note (test),document,lang-thu-1,nghe-thu-1,,,{HIDDEN_PRODUCT},,public\n"
    ));
    std::fs::write(&sheet, rows).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    // Withdrawn by an archivist.
    let archive = disan::archive::Archive::open(&workspace.archive()).unwrap();
    let index = disan::index::IndexDir::new(&workspace.index());
    let id = RecordId::parse(WITHDRAWN).unwrap();
    let head = archive.record_inventory(&id).unwrap().unwrap().head;
    disan::workspace::withdraw(
        &disan::workspace::Writer {
            archive: &archive,
            index: &index,
            wait: std::time::Duration::from_secs(10),
        },
        &id,
        &head,
        &disan::workspace::Author {
            login: "thu".into(),
            message: "consent withdrawn".into(),
        },
    )
    .unwrap();
    // Restricted by a new ingest of the same batch.
    let valid = workspace.dir.path().join("valid-restricted");
    copy_dir(&workspace.batch("valid"), &valid);
    let sheet = valid.join("metadata/metadata.csv");
    let rows: Vec<String> = std::fs::read_to_string(&sheet)
        .unwrap()
        .lines()
        .map(|row| {
            if row.starts_with("objects/hoa-van/luc-giac.png,") {
                row.replace(",public", ",restricted")
            } else {
                row.to_string()
            }
        })
        .collect();
    std::fs::write(&sheet, rows.join("\n") + "\n").unwrap();
    let (code, report) = workspace.ingest(&valid, &[]);
    assert_eq!(code, 0, "{report}");
    workspace
}

fn site_over(workspace: &Workspace, origin: &str, pages: (usize, usize)) -> Arc<Site> {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates))
        .unwrap()
        .with_origin(origin)
        .with_admin_email("archivist@disan.example")
        .unwrap()
        .with_oai_page_sizes(pages.0, pages.1);
    Arc::new(site)
}

/// Validates `body` against the OAI-PMH and oai_dc schemas (when xmllint is present; CI
/// requires it), naming `what` when it fails.
fn assert_valid(body: &str, what: &str) {
    if !crate::tools::xmllint() {
        return;
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), body).unwrap();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{what}: not valid OAI-PMH: {}\n{body}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `GET /oai?query`, checked: 200, `text/xml; charset=utf-8`, valid.
async fn oai(site: &Arc<Site>, query: &str) -> String {
    let answer = get(site, &format!("/oai?{query}")).await;
    checked(answer, query)
}

fn checked(answer: Answer, what: &str) -> String {
    assert_eq!(answer.status, StatusCode::OK, "{what}: {}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        "text/xml; charset=utf-8",
        "{what}"
    );
    let body = answer.text();
    assert_valid(&body, what);
    body
}

/// The `code` of the response's error, if any.
fn error_code(body: &str) -> Option<String> {
    let document = roxmltree::Document::parse(body).unwrap();
    document
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .and_then(|n| n.attribute("code"))
        .map(str::to_string)
}

/// The text of the first element named `name`.
fn first(body: &str, name: &str) -> Option<String> {
    let document = roxmltree::Document::parse(body).unwrap();
    document
        .descendants()
        .find(|n| n.has_tag_name(name))
        .map(|n| n.text().unwrap_or_default().to_string())
}

/// The attributes of the `request` element.
fn request_attributes(body: &str) -> BTreeMap<String, String> {
    let document = roxmltree::Document::parse(body).unwrap();
    let request = document
        .descendants()
        .find(|n| n.has_tag_name("request"))
        .unwrap();
    request
        .attributes()
        .map(|a| (a.name().to_string(), a.value().to_string()))
        .collect()
}

/// One header as listed: identifier, deleted, set specs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Header {
    id: String,
    deleted: bool,
    datestamp: String,
    sets: Vec<String>,
}

fn headers(body: &str) -> Vec<Header> {
    let document = roxmltree::Document::parse(body).unwrap();
    document
        .descendants()
        .filter(|n| n.has_tag_name("header"))
        .map(|header| {
            let texts = |name: &str| -> Vec<String> {
                header
                    .children()
                    .filter(|c| c.has_tag_name(name))
                    .map(|c| c.text().unwrap_or_default().to_string())
                    .collect()
            };
            Header {
                id: texts("identifier")[0]
                    .strip_prefix(PREFIX)
                    .unwrap()
                    .to_string(),
                deleted: header.attribute("status") == Some("deleted"),
                datestamp: texts("datestamp")[0].clone(),
                sets: texts("setSpec"),
            }
        })
        .collect()
}

/// `(completeListSize, cursor, token)` of the response's resumption token.
fn token(body: &str) -> Option<(usize, usize, String)> {
    let document = roxmltree::Document::parse(body).unwrap();
    let token = document
        .descendants()
        .find(|n| n.has_tag_name("resumptionToken"))?;
    Some((
        token
            .attribute("completeListSize")
            .unwrap()
            .parse()
            .unwrap(),
        token.attribute("cursor").unwrap().parse().unwrap(),
        token.text().unwrap_or_default().to_string(),
    ))
}

/// Every page of a list, following tokens: the bodies.
async fn pages(site: &Arc<Site>, first_query: &str) -> Vec<String> {
    let mut bodies = vec![oai(site, first_query).await];
    let verb = first_query.split('&').next().unwrap().to_string();
    while let Some((_, _, token)) = token(bodies.last().unwrap()) {
        if token.is_empty() {
            break;
        }
        assert!(bodies.len() < 100, "a list that does not end");
        bodies.push(oai(site, &format!("{verb}&resumptionToken={token}")).await);
    }
    bodies
}

/// The ids the site itself lists as public (its sitemap's source).
fn public_ids(site: &Arc<Site>) -> BTreeSet<String> {
    site.public_ids().unwrap().iter().cloned().collect()
}

#[tokio::test]
async fn every_verb_and_every_error_is_valid_oai_pmh_and_says_the_right_thing() {
    let workspace = archive();
    let site = site_over(&workspace, ORIGIN, (2, 3));
    let public = public_ids(&site);
    assert!(public.contains(NAMES_HIDDEN_PRODUCT), "{public:?}");

    let identify = oai(&site, "verb=Identify").await;
    assert_eq!(
        first(&identify, "baseURL").unwrap(),
        format!("{ORIGIN}/oai")
    );
    assert_eq!(
        first(&identify, "adminEmail").unwrap(),
        "archivist@disan.example"
    );
    assert_eq!(first(&identify, "deletedRecord").unwrap(), "transient");
    assert_eq!(
        first(&identify, "granularity").unwrap(),
        "YYYY-MM-DDThh:mm:ssZ"
    );
    assert_eq!(first(&identify, "protocolVersion").unwrap(), "2.0");
    let name = first(&identify, "repositoryName").unwrap();
    assert!(name.contains("Di sản") && name.contains(" / "), "{name}");
    let earliest = first(&identify, "earliestDatestamp").unwrap();
    assert_eq!(request_attributes(&identify)["verb"], "Identify");

    let formats = oai(&site, "verb=ListMetadataFormats").await;
    assert_eq!(first(&formats, "metadataPrefix").unwrap(), "oai_dc");
    let formats = oai(
        &site,
        &format!("verb=ListMetadataFormats&identifier={PREFIX}{WITHDRAWN}"),
    )
    .await;
    assert_eq!(error_code(&formats), None, "a deleted item still exists");

    let sets = oai(&site, "verb=ListSets").await;
    for spec in [
        "kind",
        "kind:photo",
        "village",
        "village:doi-tam",
        "craft",
        "craft:det-lua",
    ] {
        assert!(
            sets.contains(&format!("<setSpec>{spec}</setSpec>")),
            "{spec}: {sets}"
        );
    }
    assert!(sets.contains("<setName>Ảnh / Photo</setName>"), "{sets}");

    // GetRecord: every public record with its oai_dc, a deleted one as a bare header.
    for id in &public {
        let record = oai(
            &site,
            &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={PREFIX}{id}"),
        )
        .await;
        assert_eq!(error_code(&record), None, "{id}: {record}");
        assert!(record.contains("<oai_dc:dc"), "{record}");
        assert!(
            record.contains(&format!(
                "<dc:identifier>{ORIGIN}/records/{id}</dc:identifier>"
            )),
            "{record}"
        );
        assert!(record.contains("xml:lang=\"vi\""), "{record}");
    }
    let deleted = oai(
        &site,
        &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={PREFIX}{WITHDRAWN}"),
    )
    .await;
    let listed = headers(&deleted);
    assert_eq!(listed.len(), 1);
    assert!(listed[0].deleted && listed[0].sets.is_empty(), "{deleted}");
    assert!(!deleted.contains("<metadata"), "{deleted}");
    assert!(listed[0].datestamp >= earliest);

    // Lists, paged: the first page has a token with the whole list's size and cursor 0; the
    // last an empty token.
    let records = pages(&site, "verb=ListRecords&metadataPrefix=oai_dc").await;
    assert!(records.len() >= 3, "pages of 2 records: {}", records.len());
    let (size, cursor, _) = token(&records[0]).unwrap();
    assert_eq!((size, cursor), (public.len() + 2, 0));
    let (last_size, last_cursor, last_token) = token(records.last().unwrap()).unwrap();
    assert_eq!(last_token, "");
    assert_eq!(last_size, size);
    assert_eq!(last_cursor, 2 * (records.len() - 1));
    let identifiers = pages(&site, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    assert_eq!(identifiers.len(), size.div_ceil(3));
    // A whole list on one page has no token at all.
    let one = oai(
        &site,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&set=kind:film",
    )
    .await;
    assert_eq!(
        error_code(&one).as_deref(),
        Some("noRecordsMatch"),
        "phim is for researchers"
    );
    let one = oai(
        &site,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&set=kind:pattern",
    )
    .await;
    assert_eq!(token(&one), None, "{one}");
    // Selective harvests by day and by second, the same list.
    let day = &earliest[..10];
    let by_day = oai(
        &site,
        &format!("verb=ListIdentifiers&metadataPrefix=oai_dc&from={day}&until=2999-12-31"),
    )
    .await;
    let by_second = oai(
        &site,
        &format!(
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from={earliest}&until=2999-12-31T23:59:59Z"
        ),
    )
    .await;
    assert_eq!(token(&by_day).unwrap().0, size);
    assert_eq!(token(&by_second).unwrap().0, size);
    assert_eq!(request_attributes(&by_day)["from"], day);

    // Every error condition, each echoing the request as the protocol says.
    let deleted_token = token(&records[0]).unwrap().2;
    let cases: Vec<(String, &str, bool)> =
        vec![
        (String::new(), "badVerb", true),
        ("verb=Foo".into(), "badVerb", true),
        ("verb=Identify&verb=Identify".into(), "badVerb", true),
        ("verb=Identify&set=kind".into(), "badArgument", true),
        ("verb=GetRecord&metadataPrefix=oai_dc".into(), "badArgument", true),
        ("verb=ListRecords".into(), "badArgument", true),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-02&until=2026-01-01".into(),
            "badArgument",
            true,
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-02T00:00:00Z"
                .into(),
            "badArgument",
            true,
        ),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday".into(), "badArgument", true),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=0000-01-01".into(), "badArgument", true),
        ("verb=ListRecords&metadataPrefix=oai%20dc".into(), "badArgument", true),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=l%C3%A0ng".into(), "badArgument", true),
        (
            format!("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken={deleted_token}"),
            "badArgument",
            true,
        ),
        ("verb=ListRecords&resumptionToken=garbage".into(), "badResumptionToken", false),
        (
            format!("verb=ListIdentifiers&resumptionToken={deleted_token}"),
            "badResumptionToken",
            false,
        ),
        ("verb=ListSets&resumptionToken=x".into(), "badResumptionToken", false),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=a%5Bb%5D%25zz".into(),
            "badArgument",
            true,
        ),
        ("verb=ListRecords&metadataPrefix=marc21".into(), "cannotDisseminateFormat", false),
        (
            format!("verb=GetRecord&metadataPrefix=mods&identifier={PREFIX}khac-ghi-chu"),
            "cannotDisseminateFormat",
            false,
        ),
        (
            format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={PREFIX}no-such-record"),
            "idDoesNotExist",
            false,
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.example:khac-ghi-chu"
                .into(),
            "idDoesNotExist",
            false,
        ),
        (
            format!("verb=ListMetadataFormats&identifier={PREFIX}phim"),
            "idDoesNotExist",
            false,
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=village:nowhere".into(),
            "noRecordsMatch",
            false,
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01".into(),
            "noRecordsMatch",
            false,
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&until=1969-12-31".into(),
            "noRecordsMatch",
            false,
        ),
    ];
    for (query, code, bare) in &cases {
        let body = oai(&site, query).await;
        assert_eq!(error_code(&body).as_deref(), Some(*code), "{query}: {body}");
        assert_eq!(
            request_attributes(&body).is_empty(),
            *bare,
            "{query}: the request element: {body}"
        );
        assert_eq!(first(&body, "request").unwrap(), format!("{ORIGIN}/oai"));
    }
    // A record never public answers exactly as one that never existed.
    for id in NEVER_PUBLIC {
        let body = oai(
            &site,
            &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={PREFIX}{id}"),
        )
        .await;
        let unknown = oai(
            &site,
            &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={PREFIX}no-such-{id}"),
        )
        .await;
        let strip = |body: &str| {
            body.split("<request")
                .nth(1)
                .unwrap()
                .split_once("</request>")
                .unwrap()
                .1
                .to_string()
        };
        assert_eq!(strip(&body), strip(&unknown), "{id}");
    }

    // POST with a form: the same answers.
    let post = |body: &'static str| {
        Request::post("/oai")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let posted = checked(
        get_with(&site, post("verb=Identify")).await,
        "POST Identify",
    );
    assert_eq!(first(&posted, "baseURL"), first(&identify, "baseURL"));
    let posted = checked(
        get_with(&site, post("verb=ListIdentifiers&metadataPrefix=oai_dc")).await,
        "POST ListIdentifiers",
    );
    assert_eq!(token(&posted).unwrap().0, size);
    let posted = checked(get_with(&site, post("verb=Nope")).await, "POST badVerb");
    assert_eq!(error_code(&posted).as_deref(), Some("badVerb"));
    // A form past 8 KB, or a body that is not a form, is refused before any answer is made.
    let big = format!("verb=Identify&x={}", "a".repeat(9000));
    let big = Request::post("/oai")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", big.len())
        .body(Body::from(big))
        .unwrap();
    assert_eq!(
        get_with(&site, big).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let json = Request::post("/oai")
        .header("content-type", "application/json")
        .header("content-length", 20)
        .body(Body::from("{\"verb\": \"Identify\"}"))
        .unwrap();
    assert_eq!(
        get_with(&site, json).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

#[tokio::test]
async fn nothing_hidden_is_harvested_and_no_count_includes_it() {
    let workspace = archive();
    let site = site_over(&workspace, ORIGIN, (2, 3));
    let public = public_ids(&site);
    for id in NEVER_PUBLIC.iter().chain(&[WITHDRAWN, RESTRICTED_LATER]) {
        assert!(!public.contains(*id), "{id} is not public");
    }
    let mut all = String::new();
    let mut listed: Vec<Header> = Vec::new();
    for query in [
        "verb=ListRecords&metadataPrefix=oai_dc",
        "verb=ListIdentifiers&metadataPrefix=oai_dc",
    ] {
        let bodies = pages(&site, query).await;
        let mut seen: Vec<Header> = bodies.iter().flat_map(|b| headers(b)).collect();
        all.extend(bodies);
        seen.sort();
        if listed.is_empty() {
            listed = seen;
        } else {
            assert_eq!(
                listed, seen,
                "ListRecords and ListIdentifiers list the same items"
            );
        }
    }
    // Every public record once, the two that left the public as deleted headers without
    // sets, nothing else.
    let live: Vec<&str> = listed
        .iter()
        .filter(|h| !h.deleted)
        .map(|h| h.id.as_str())
        .collect();
    let live_set: BTreeSet<String> = live.iter().map(|id| id.to_string()).collect();
    assert_eq!(live.len(), live_set.len(), "each once: {live:?}");
    assert_eq!(live_set, public);
    let deleted: BTreeSet<&str> = listed
        .iter()
        .filter(|h| h.deleted)
        .map(|h| h.id.as_str())
        .collect();
    assert_eq!(deleted, BTreeSet::from([WITHDRAWN, RESTRICTED_LATER]));
    assert!(
        listed
            .iter()
            .filter(|h| h.deleted)
            .all(|h| h.sets.is_empty())
    );
    for set in [
        "village:doi-tam",
        "village:nha-xa",
        "craft:det-lua",
        "kind:photo",
        "kind:pattern",
        "village",
    ] {
        let bodies = pages(
            &site,
            &format!("verb=ListIdentifiers&metadataPrefix=oai_dc&set={set}"),
        )
        .await;
        all.extend(bodies.iter().cloned());
        let ids: Vec<Header> = bodies.iter().flat_map(|b| headers(b)).collect();
        assert!(
            ids.iter().all(|h| !h.deleted && public.contains(&h.id)),
            "{set}: {ids:?}"
        );
        if let Some((size, _, _)) = bodies.iter().find_map(|b| token(b)) {
            assert_eq!(
                size,
                ids.len(),
                "{set}: completeListSize counts what is listed"
            );
        }
    }
    all.push_str(&oai(&site, "verb=ListSets").await);
    // The record naming the hidden product is listed without it.
    let named = oai(
        &site,
        &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={PREFIX}{NAMES_HIDDEN_PRODUCT}"),
    )
    .await;
    assert!(named.contains("Product note (test)"), "{named}");
    assert!(
        named.contains("xml:lang=\"vi\">Ghi chép sản phẩm (thử)</dc:title>"),
        "{named}"
    );
    all.push_str(&named);
    for secret in NEVER_PUBLIC.iter().chain(&NEVER_PUBLIC_TITLES).chain(&[
        HIDDEN_PRODUCT,
        HIDDEN_PRODUCT_NAME,
        "consent withdrawn",
        "Hexagon pattern",
    ]) {
        assert!(!all.contains(secret), "{secret} was harvested");
    }
}

#[tokio::test]
async fn a_harvest_in_progress_is_not_thrown_off_by_changes_and_tokens_are_checked() {
    let workspace = archive();
    let site = site_over(&workspace, ORIGIN, (2, 2));
    let first_page = oai(&site, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    let (size, _, next) = token(&first_page).unwrap();
    let mut seen: Vec<String> = headers(&first_page).into_iter().map(|h| h.id).collect();
    // An altered token (its set changed) is refused, as is one cut short.
    let text = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &next).unwrap(),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut altered = lines.clone();
    altered[4] = "kind:photo";
    let altered = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        altered.join("\n"),
    );
    // A token forged with a correct check (it is no secret) reaches public records only, and
    // a cursor at the largest number does not overflow.
    let mut forged = lines[..8].to_vec();
    let largest = usize::MAX.to_string();
    forged[7] = &largest;
    let body = forged.join("\n");
    let check = disan::model::Sha256::of(format!("disan oai token\n{body}").as_bytes()).to_hex();
    let forged = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        format!("{body}\n{}", &check[..16]),
    );
    let answer = oai(
        &site,
        &format!("verb=ListIdentifiers&resumptionToken={forged}"),
    )
    .await;
    assert_eq!(error_code(&answer), None, "{answer}");
    assert!(answer.contains("</OAI-PMH>"), "{answer}");
    for bad in [altered.as_str(), &next[..next.len() - 3]] {
        let body = oai(
            &site,
            &format!("verb=ListIdentifiers&resumptionToken={bad}"),
        )
        .await;
        assert_eq!(
            error_code(&body).as_deref(),
            Some("badResumptionToken"),
            "{body}"
        );
    }
    // Records change mid-harvest: a public one is edited (it moves to a new datestamp, after
    // those sent), a restricted one too (it stays out), the one restricted later stays so.
    let batch = workspace.dir.path().join("later");
    copy_dir(&workspace.dir.path().join("valid-restricted"), &batch);
    let sheet = batch.join("metadata/metadata.csv");
    let rows = std::fs::read_to_string(&sheet).unwrap();
    let edited = rows
        .replace(
            "Tín hiệu hình sin do máy tạo",
            "Tín hiệu hình sin do máy tạo (sửa)",
        )
        .replace(
            "Ảnh do máy tạo để kiểm thử quyền truy cập",
            "Ảnh do máy tạo để kiểm thử quyền truy cập (sửa)",
        );
    assert_ne!(edited, rows);
    std::fs::write(&sheet, edited).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    // Every record of the batch gets a new version (its provenance names the new folder).
    let updated: Vec<String> = crate::support::ids(&report, "records", "updated");
    for id in ["am-thanh-tieng-trong", "fixture-restricted"] {
        assert!(updated.contains(&id.to_string()), "{report}");
    }
    let mut token_text = next;
    while !token_text.is_empty() {
        let body = oai(
            &site,
            &format!("verb=ListIdentifiers&resumptionToken={token_text}"),
        )
        .await;
        seen.extend(headers(&body).into_iter().map(|h| h.id));
        token_text = token(&body).map(|t| t.2).unwrap_or_default();
    }
    let distinct: BTreeSet<&String> = seen.iter().collect();
    assert!(distinct.len() >= size, "{seen:?}");
    for id in public_ids(&site) {
        assert!(distinct.contains(&id), "{id} was missed");
    }
    for id in NEVER_PUBLIC {
        assert!(!distinct.contains(&id.to_string()), "{id} was listed");
    }
    // The edited public record is sent at its new datestamp (and before, if page 1 held it).
    assert!(
        seen.iter().any(|id| id == "am-thanh-tieng-trong"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn without_an_administrators_address_there_is_no_oai_pmh() {
    let workspace = Workspace::new();
    let (code, _) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0);
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site =
        Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap());
    assert_eq!(
        get(&site, "/oai?verb=Identify").await.status,
        StatusCode::NOT_FOUND
    );
    let refused = Site::open(&workspace.archive(), &workspace.index(), None)
        .unwrap()
        .with_admin_email("not an address");
    assert!(refused.is_err());
}

/// Sickle's harvest script: every record and every header, deleted ones included, as JSON.
const SICKLE: &str = r#"
import json, sys
from sickle import Sickle
sickle = Sickle(sys.argv[1], max_retries=0)
records = []
for record in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False):
    metadata = getattr(record, "metadata", None) or {}
    records.append({"id": record.header.identifier, "deleted": record.header.deleted,
                    "sets": record.header.setSpecs, "title": metadata.get("title", [])})
headers = [{"id": h.identifier, "deleted": h.deleted}
           for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)]
print(json.dumps({"records": records, "headers": headers}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sickle_harvests_every_public_record_exactly_once_across_tokens() {
    if !crate::tools::sickle() {
        return;
    }
    let workspace = archive();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let site = site_over(&workspace, &format!("http://{addr}"), (2, 3));
    let public = public_ids(&site);
    tokio::spawn(disan::web::serve(site, listener));
    let script = workspace.dir.path().join("harvest.py");
    std::fs::write(&script, SICKLE).unwrap();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(script)
            .arg(format!("http://{addr}/oai"))
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "sickle: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let harvest: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let prefix = "oai:127.0.0.1:";
    for list in ["records", "headers"] {
        let items = harvest[list].as_array().unwrap();
        let live: Vec<&str> = items
            .iter()
            .filter(|item| item["deleted"] == false)
            .map(|item| item["id"].as_str().unwrap().strip_prefix(prefix).unwrap())
            .collect();
        let once: BTreeSet<String> = live.iter().map(|id| id.to_string()).collect();
        assert_eq!(live.len(), once.len(), "{list}: each once: {live:?}");
        assert_eq!(once, public, "{list}");
        let deleted: BTreeSet<&str> = items
            .iter()
            .filter(|item| item["deleted"] == true)
            .map(|item| item["id"].as_str().unwrap().strip_prefix(prefix).unwrap())
            .collect();
        assert_eq!(
            deleted,
            BTreeSet::from([WITHDRAWN, RESTRICTED_LATER]),
            "{list}"
        );
        assert!(items.len() > 3, "{list}: several pages were followed");
    }
    let records = harvest["records"].as_array().unwrap();
    let note = records
        .iter()
        .find(|r| r["id"] == format!("{prefix}{NAMES_HIDDEN_PRODUCT}"))
        .unwrap();
    assert_eq!(
        note["title"],
        serde_json::json!(["Ghi chép sản phẩm (thử)", "Product note (test)"])
    );
    assert_eq!(
        note["sets"],
        serde_json::json!(["kind:document", "village:lang-thu-1", "craft:nghe-thu-1"])
    );
    let text = String::from_utf8_lossy(&output.stdout);
    for secret in NEVER_PUBLIC.iter().chain(&[HIDDEN_PRODUCT]) {
        assert!(!text.contains(secret), "{secret} was harvested");
    }
}

/// Positions written in the sheet (location columns, coordinates in `dcterms.spatial` and
/// `dc.coverage`) are kept in the archive and never reach `oai_dc`, as they never reach the
/// JSON API (the same projection); place names do, as `dc:coverage`. Photos carrying GPS in
/// their EXIF are harvested with nothing of it.
#[tokio::test]
async fn positions_never_reach_oai_dc() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("columns");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    for name in ["a.wav", "b.wav"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/sine.wav"),
            batch.join("objects").join(name),
        )
        .unwrap();
    }
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,kind,access,latitude,longitude,gps,exif.gps,Tọa độ,location,dcterms.spatial,dc.coverage\n\
         objects/a.wav,xcol,Tiếng trống (sample),audio,public,20.5123,105.9876,\"20.5123,105.9876\",20.5 N,\"20,5123; 105,9876\",12 Hang Bac,Nha Xa home,\"20°30'44\"\"N 105°59'15\"\"E\"\n\
         objects/b.wav,ycol,Tiếng chiêng (sample),audio,public,21.1,106.2,,,,,geo:21.1000;106.2000,Đa Sỹ\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let (code, report) = workspace.ingest(&workspace.batch("gps-original"), &[]);
    assert!(code <= 1, "{report}");
    let site = site_over(&workspace, ORIGIN, (200, 500));
    let body = oai(&site, "verb=ListRecords&metadataPrefix=oai_dc").await;
    assert!(
        body.contains("<dc:coverage xml:lang=\"vi\">Nha Xa home</dc:coverage>"),
        "{body}"
    );
    assert!(
        body.contains("<dc:coverage xml:lang=\"vi\">Đa Sỹ</dc:coverage>"),
        "{body}"
    );
    assert!(body.contains("Drum workshop at the artisan"), "{body}");
    for position in [
        "20.5123",
        "105.9876",
        "20,5123",
        "20.5 N",
        "12 Hang Bac",
        "59'15",
        "106.2",
        "geo:",
    ] {
        assert!(
            !body.contains(position),
            "oai_dc publishes {position}: {body}"
        );
    }
}
