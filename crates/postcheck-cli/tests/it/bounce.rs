//! `postcheck bounce` and `postcheck headers`: files and standard input, human and JSON, and unreadable input.

use crate::cli::postcheck;
use std::io::Write as _;
use std::process::{Command, Stdio};

fn corpus(file: &str) -> String {
    format!("{}/../../tests/bounces/{file}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_bounce_file_is_explained_with_the_next_check() {
    let run = postcheck(&[
        "bounce".into(),
        corpus("gmail-plain-en-auth.txt"),
        "--json".into(),
        "--lang".into(),
        "en".into(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["code"], "bounce-auth-failed");
    assert_eq!(json["permanence"], "hard");
    assert_eq!(json["next_check"]["check"], "domain");
    assert_eq!(json["next_check"]["domain"], "kita-sonnenschein.example");
    assert!(json["message"].as_str().unwrap().contains("550 5.7.26"));
    let human = postcheck(&[
        "bounce".into(),
        corpus("dsn-tonline-bl.eml"),
        "--lang".into(),
        "de".into(),
    ]);
    assert_eq!(human.status, 0);
    assert!(human.stdout.contains("Sperrliste"), "{}", human.stdout);
    assert!(
        human.stdout.contains("--ip 192.0.2.111"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_bounce_on_standard_input_and_an_unreadable_file() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_postcheck"))
        .args(["bounce", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"421 4.7.0 [TSS04] Messages from 192.0.2.88 temporarily deferred")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["code"], "bounce-rate-limited");
    assert_eq!(json["permanence"], "soft");
    let missing = postcheck(&["bounce".into(), "/nonexistent/bounce.txt".into()]);
    assert_eq!(missing.status, 2);
    assert!(
        missing.stderr.contains("/nonexistent/bounce.txt"),
        "{}",
        missing.stderr
    );
}

fn header_set(file: &str) -> String {
    format!("{}/../../tests/headers/{file}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn headers_show_results_alignment_and_the_route() {
    let run = postcheck(&[
        "headers".into(),
        header_set("misaligned-vendor.txt"),
        "--json".into(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["from_domain"], "kunde.example");
    assert_eq!(json["spf_alignment"], "no");
    assert_eq!(json["dkim_signatures"][0]["selector"], "s2024");
    let human = postcheck(&[
        "headers".into(),
        header_set("whole-message-delayed.eml"),
        "--lang".into(),
        "en".into(),
    ]);
    assert_eq!(human.status, 0);
    assert!(human.stdout.contains("(+7200 s)"), "{}", human.stdout);
    let signed = postcheck(&[
        "headers".into(),
        header_set("pass-aligned.txt"),
        "--lang".into(),
        "en".into(),
    ]);
    assert!(
        signed
            .stdout
            .contains("postcheck check example.com --dkim-selector s1"),
        "{}",
        signed.stdout
    );
}

#[test]
fn a_whole_messages_dkim_signature_is_verified_with_the_key_from_dns() {
    for transport in crate::cli::TRANSPORTS {
        let mut args = vec![
            "headers".into(),
            header_set("dkim-signed.eml"),
            "--json".into(),
        ];
        args.extend(crate::cli::transport_args(transport));
        let run = postcheck(&args);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let json = run.json();
        assert_eq!(
            json["dkim_verification"][0]["result"], "pass",
            "{transport:?}: {json}"
        );
        assert_eq!(json["dkim_verification"][0]["selector"], "dkim2026");
        let mut args = vec![
            "headers".into(),
            header_set("dkim-signed-tampered.eml"),
            "--json".into(),
        ];
        args.extend(crate::cli::transport_args(transport));
        let json = postcheck(&args).json();
        assert_eq!(
            json["dkim_verification"][0]["result"], "fail",
            "{transport:?}: {json}"
        );
    }
}
