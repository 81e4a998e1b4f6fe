//! A batch uploaded as one zip file (issue 15, upload): opened with its limits, a zip bomb and
//! paths leading out refused naming the entry.

use super::*;

/// A zip file of `entries` (`(name, bytes, deflated)`), as any zip tool writes it.
pub(super) fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    use flate2::write::DeflateEncoder;
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, bytes, deflated) in entries {
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        let data = if *deflated {
            let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(bytes).unwrap();
            encoder.finish().unwrap()
        } else {
            bytes.to_vec()
        };
        let method: u16 = if *deflated { 8 } else { 0 };
        let offset = out.len() as u32;
        let common = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: UTF-8 names
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0; 4]); // time, date
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&data);
        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&0x031eu16.to_le_bytes()); // made by: Unix
        common(&mut directory);
        directory.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        directory.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let directory_offset = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&directory_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn a_zipped_batch_is_checked_and_a_zip_bomb_or_a_path_out_of_it_is_refused_naming_it() {
    let served = served();
    // A good zip: the bad-rows batch in its folder, deflated; its dry run lists the bad row.
    let files = fixture_files("bad-rows");
    let names: Vec<String> = files
        .iter()
        .map(|(path, _)| format!("bad-rows/{path}"))
        .collect();
    let entries: Vec<(&str, &[u8], bool)> = names
        .iter()
        .zip(&files)
        .map(|(name, (_, bytes))| (name.as_str(), bytes.as_slice(), true))
        .collect();
    let good = served.upload("bad-rows.zip", &zip(&entries));
    let made = served.post("/en/workspace/batches", &[("upload", good.as_str())]);
    assert_eq!(made.status, 303, "{}", made.text());
    let html = served.get(made.header("location")).text();
    assert!(html.contains("Batch bad-rows"), "{html}");
    assert!(
        html.contains("<code>metadata/metadata.csv</code></td><td>3</td><td><code>access</code>"),
        "{html}"
    );

    // A zip bomb: 64 MiB of zeros in 64 KiB; refused from its directory, nothing inflated.
    let zeros = vec![0u8; 64 << 20];
    let bomb = served.upload(
        "bom.zip",
        &zip(&[
            ("bom/metadata/metadata.csv", b"filename\n".as_slice(), false),
            ("bom/objects/zeros.bin", zeros.as_slice(), true),
        ]),
    );
    let refused = served.post("/en/workspace/batches", &[("upload", bomb.as_str())]);
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains("bom/objects/zeros.bin: inflates") && text.contains("at most 100 times"),
        "{text}"
    );

    // An entry climbing out of the batch, and one with an absolute path.
    let out = served.upload(
        "out.zip",
        &zip(&[
            ("lo/../../evil.txt", b"x".as_slice(), false),
            ("/etc/cron.d/x", b"x".as_slice(), false),
        ]),
    );
    let refused = served.post("/en/workspace/batches", &[("upload", out.as_str())]);
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains("lo/../../evil.txt: not a plain relative path"),
        "{text}"
    );
    assert!(
        text.contains("/etc/cron.d/x: not a plain relative path"),
        "{text}"
    );
    let staged = served
        .fixture
        .workspace
        .archive()
        .join("extensions/disan-uploads/batches");
    let batches = std::fs::read_dir(&staged).unwrap().count();
    assert_eq!(batches, 1, "only the good zip was staged");
}
