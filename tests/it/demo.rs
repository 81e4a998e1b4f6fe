//! The README's first command: `disan demo` ingests the bundled sample collection and serves it,
//! with OAI-PMH offered at `/oai` (a reserved example address as `adminEmail` unless one is
//! given), so a harvester can be tried on a fresh clone without further settings.

use std::net::SocketAddr;
use std::process::Stdio;

use crate::absolute_links::{listening, text};
use crate::browser::Server;
use crate::support::Workspace;

/// `disan demo` on a fresh workspace with `extra` arguments: the server (stopped when dropped)
/// and its address.
fn demo(workspace: &Workspace, extra: &[&str]) -> (Server, SocketAddr) {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample/ha-nam");
    let mut child = workspace
        .disan()
        .args(["demo", "--batch", sample, "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("DISAN_ADMIN_EMAIL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("disan demo");
    let stdout = child.stdout.take().expect("stdout");
    (Server(child), listening(stdout))
}

#[test]
fn demo_serves_the_sample_and_offers_oai_pmh_at_an_example_address() {
    let workspace = Workspace::new();
    let (_server, addr) = demo(&workspace, &[]);
    let (status, home) = text(addr, "/");
    assert_eq!(status, 200);
    assert!(home.contains("lang=\"vi\""), "{home}");
    let (status, identify) = text(addr, "/oai?verb=Identify");
    assert_eq!(status, 200, "{identify}");
    assert!(
        identify.contains("<adminEmail>demo@example.org</adminEmail>"),
        "{identify}"
    );
    let (status, listing) = text(addr, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc");
    assert_eq!(status, 200);
    assert!(listing.contains("<identifier>oai:127.0.0.1:"), "{listing}");
}

#[test]
fn demo_gives_harvesters_the_address_it_is_given() {
    let workspace = Workspace::new();
    let (_server, addr) = demo(&workspace, &["--admin-email", "kho@so-van-hoa.example"]);
    let (_, identify) = text(addr, "/oai?verb=Identify");
    assert!(
        identify.contains("<adminEmail>kho@so-van-hoa.example</adminEmail>"),
        "{identify}"
    );
}
