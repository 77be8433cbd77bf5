//! The bounce corpus of tests/bounces: every file is read by `bounce::analyze` and must give
//! what the table in tests/bounces/README.md says (empty cell: not asserted; `-`: absent).

use crate::table::{corpus, rows};
use postcheck_core::bounce::{self, Permanence};

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
    let mut count = 0;
    let mut failures = Vec::new();
    for (file, text, cells) in rows("bounces") {
        let bounce = bounce::analyze(&text);
        count += 1;
        let permanence = match bounce.permanence {
            Permanence::Hard => "hard",
            Permanence::Soft => "soft",
            Permanence::Unknown => "unknown",
        };
        let got = [
            ("category", Some(bounce.finding.code.as_str().to_owned())),
            ("permanence", Some(permanence.to_owned())),
            ("reply", bounce.reply_code.map(|c| c.to_string())),
            ("status", bounce.status.map(|s| s.to_string())),
            ("recipient", bounce.recipient.clone()),
            ("remote", bounce.remote_server.clone()),
            ("sender domain", bounce.sender_domain.clone()),
            ("ip", bounce.ip.map(|ip| ip.to_string())),
            ("provider", bounce.provider.map(str::to_owned)),
        ];
        for ((what, got), want) in got.into_iter().zip(&cells) {
            check(&mut failures, &file, what, want, got);
        }
    }
    assert!(count >= 40, "only {count} bounces in the corpus");
    assert!(
        failures.is_empty(),
        "{} of {count} rows wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn an_authentication_bounce_points_to_the_senders_domain_check() {
    let text = std::fs::read_to_string(corpus("bounces").join("gmail-plain-en-auth.txt")).unwrap();
    let bounce = bounce::analyze(&text);
    assert_eq!(
        bounce.next_check,
        bounce::NextCheck::Domain {
            domain: "kita-sonnenschein.example".to_owned()
        }
    );
    let text =
        std::fs::read_to_string(corpus("bounces").join("postfix-plain-spamhaus.txt")).unwrap();
    assert!(matches!(
        bounce::analyze(&text).next_check,
        bounce::NextCheck::Server { ip, .. } if ip.to_string() == "192.0.2.130"
    ));
    // Anything pasted gives a result, never an error.
    for text in ["", "\u{0}\u{1}", "550", "5.7.26", &"x".repeat(100_000)] {
        let _ = bounce::analyze(text);
    }
}
