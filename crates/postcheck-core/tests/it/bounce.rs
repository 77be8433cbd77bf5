//! The bounce corpus of tests/bounces: every file is read by `bounce::analyze` and must give
//! what the table in tests/bounces/README.md says (empty cell: not asserted; `-`: absent).

use postcheck_core::bounce::{self, Permanence};
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/bounces")
}

fn check(failures: &mut Vec<String>, file: &str, what: &str, want: &str, got: Option<String>) {
    let ok = match (want, &got) {
        ("", _) => true,
        ("-", None) => true,
        (want, Some(got)) => want == got,
        _ => false,
    };
    if !ok {
        failures.push(format!("{file}: {what} expected {want:?}, got {got:?}"));
    }
}

#[test]
fn every_bounce_of_the_corpus_is_read_as_the_table_says() {
    let table = std::fs::read_to_string(corpus().join("README.md")).unwrap();
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let cells = &cells[1..cells.len() - 1];
        let file = cells[0].trim_matches('`');
        let text = std::fs::read_to_string(corpus().join(file)).unwrap();
        let bounce = bounce::analyze(&text);
        rows += 1;
        check(
            &mut failures,
            file,
            "category",
            cells[1],
            Some(bounce.finding.code.as_str().to_owned()),
        );
        let permanence = match bounce.permanence {
            Permanence::Hard => "hard",
            Permanence::Soft => "soft",
            Permanence::Unknown => "unknown",
        };
        check(
            &mut failures,
            file,
            "permanence",
            cells[2],
            Some(permanence.to_owned()),
        );
        check(
            &mut failures,
            file,
            "reply",
            cells[3],
            bounce.reply_code.map(|c| c.to_string()),
        );
        check(
            &mut failures,
            file,
            "status",
            cells[4],
            bounce.status.map(|s| s.to_string()),
        );
        check(
            &mut failures,
            file,
            "recipient",
            cells[5],
            bounce.recipient.clone(),
        );
        check(
            &mut failures,
            file,
            "remote",
            cells[6],
            bounce.remote_server.clone(),
        );
        check(
            &mut failures,
            file,
            "sender domain",
            cells[7],
            bounce.sender_domain.clone(),
        );
        check(
            &mut failures,
            file,
            "ip",
            cells[8],
            bounce.ip.map(|ip| ip.to_string()),
        );
        check(
            &mut failures,
            file,
            "provider",
            cells[9],
            bounce.provider.map(str::to_owned),
        );
    }
    assert!(rows >= 40, "only {rows} bounces in the corpus");
    assert!(
        failures.is_empty(),
        "{} of {rows} rows wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn an_authentication_bounce_points_to_the_senders_domain_check() {
    let text = std::fs::read_to_string(corpus().join("gmail-plain-en-auth.txt")).unwrap();
    let bounce = bounce::analyze(&text);
    assert_eq!(
        bounce.next_check,
        bounce::NextCheck::Domain {
            domain: "kita-sonnenschein.example".to_owned()
        }
    );
    let text = std::fs::read_to_string(corpus().join("postfix-plain-spamhaus.txt")).unwrap();
    assert!(matches!(
        bounce::analyze(&text).next_check,
        bounce::NextCheck::Server { ip, .. } if ip.to_string() == "192.0.2.130"
    ));
    // Anything pasted gives a result, never an error.
    for text in ["", "\u{0}\u{1}", "550", "5.7.26", &"x".repeat(100_000)] {
        let _ = bounce::analyze(text);
    }
}
