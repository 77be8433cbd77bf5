//! `postcheck bounce` in bulk over the rjbs corpus (tests/bounces/corpus-rjbs, real bounces
//! of many mail systems): the same bounces as a directory, an mbox and a Maildir give the same
//! rows, one per recipient, as the single analyses of each file; the latest bounce of a
//! recipient decides; CSV and JSON.

use crate::cli::postcheck;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/bounces/corpus-rjbs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "eml" || e == "txt" || e == "msg")
        })
        .collect();
    files.sort();
    files
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("postcheck-bulk-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(args: &[&str]) -> Value {
    let run = postcheck(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.json()
}

fn recipients(report: &Value) -> BTreeSet<String> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["recipient"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_directory_an_mbox_and_a_maildir_give_one_row_per_recipient() {
    let files = corpus_files();
    assert!(files.len() >= 100, "{}", files.len());
    // What each file says on its own.
    let mut expected = BTreeSet::new();
    for file in &files {
        let single = json(&["bounce", file.to_str().unwrap(), "--json"]);
        if let Some(recipient) = single["recipient"].as_str() {
            expected.insert(recipient.trim().to_lowercase());
        }
    }
    assert!(expected.len() > 30, "{}", expected.len());

    let dir = scratch("dir");
    let maildir = scratch("maildir");
    std::fs::create_dir_all(maildir.join("cur")).unwrap();
    std::fs::create_dir_all(maildir.join("new")).unwrap();
    let mut mbox = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let bytes = std::fs::read(file).unwrap();
        std::fs::write(dir.join(file.file_name().unwrap()), &bytes).unwrap();
        let folder = if index % 2 == 0 { "cur" } else { "new" };
        std::fs::write(
            maildir.join(folder).join(format!("{index}.mail:2,S")),
            &bytes,
        )
        .unwrap();
        mbox.extend_from_slice(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n");
        // mboxrd: a line starting with "From " inside a message gets a ">".
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            if line.starts_with(b"From ") || line.starts_with(b">From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line);
        }
        if !mbox.ends_with(b"\n") {
            mbox.push(b'\n');
        }
    }
    let mbox_path = scratch("mbox").join("bounces.mbox");
    std::fs::write(&mbox_path, &mbox).unwrap();

    let from_dir = json(&["bounce", dir.to_str().unwrap(), "--json"]);
    let from_maildir = json(&["bounce", maildir.to_str().unwrap(), "--json"]);
    let from_mbox = json(&["bounce", mbox_path.to_str().unwrap(), "--json"]);
    assert_eq!(recipients(&from_dir), expected);
    assert_eq!(recipients(&from_maildir), expected);
    assert_eq!(recipients(&from_mbox), expected);
    // The summary counts every row once.
    let summed: u64 = from_dir["summary"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(summed as usize, expected.len());
    let read = from_dir["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["bounces"].as_u64().unwrap())
        .sum::<u64>() as usize
        + from_dir["without_recipient"].as_array().unwrap().len();
    assert_eq!(
        read,
        files.len(),
        "every file is a row's bounce or listed without a recipient"
    );
}

#[test]
fn the_latest_bounce_of_a_recipient_decides_and_csv_names_the_fix() {
    let dir = scratch("latest");
    let notice = |date: &str, reply: &str| {
        format!(
            "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\nDate: {date}\nSubject: Undelivered Mail Returned to Sender\n\n<max@gmial.com>: host mx.gmial.com[192.0.2.1] said: {reply}\n"
        )
    };
    std::fs::write(
        dir.join("b-later.eml"),
        notice(
            "Wed, 25 Nov 2026 10:00:00 +0100",
            "550 5.1.1 <max@gmial.com>: Recipient address rejected: User unknown",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("a-earlier.eml"),
        notice(
            "Mon, 23 Nov 2026 10:00:00 +0100",
            "452 4.2.2 <max@gmial.com>: Mailbox full",
        ),
    )
    .unwrap();
    let report = json(&["bounce", dir.to_str().unwrap(), "--json", "--lang", "en"]);
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["code"], "bounce-user-unknown");
    assert_eq!(rows[0]["bounces"], 2);
    assert_eq!(rows[0]["suggestion"], "gmail.com");
    assert!(
        rows[0]["what_to_do"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );

    let run = postcheck(&[
        "bounce".to_owned(),
        dir.to_str().unwrap().to_owned(),
        "--csv".to_owned(),
    ]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "recipient,code,permanence,status,date,remote_server,suggestion,bounces,what_to_do"
    );
    assert!(
        lines[1].starts_with("max@gmial.com,bounce-user-unknown,hard,5.1.1,2026-11-25,"),
        "{}",
        run.stdout
    );
    assert!(lines[1].contains(",gmail.com,2,"), "{}", run.stdout);
}
