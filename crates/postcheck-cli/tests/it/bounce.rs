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

/// A German notice, read in German: its own words decide, and the next step's placeholder for
/// the sender's domain is German too.
#[test]
fn a_german_notice_is_explained_in_german() {
    let text = bounce_stdin(
        &["--lang", "de"],
        "Ihre Nachricht an max@firma.example konnte nicht zugestellt werden.\n\n\
         Grund: Ihre IP-Adresse 192.0.2.7 steht auf einer Sperrliste.\n"
            .as_bytes(),
    );
    assert!(text.contains("bounce-blocklisted"), "{text}");
    assert!(
        text.contains("Nächster Schritt: postcheck check <ihre-domain> --ip 192.0.2.7"),
        "{text}"
    );
}

#[test]
fn a_bounce_on_standard_input_and_an_unreadable_file() {
    let json = bounce_json(b"421 4.7.0 [TSS04] Messages from 192.0.2.88 temporarily deferred");
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

/// Runs `postcheck bounce ARGS` on `input` given on standard input; its standard output.
fn bounce_stdin(args: &[&str], input: &[u8]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_postcheck"))
        .arg("bounce")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `postcheck bounce --json` on `input` given on standard input.
fn bounce_json(input: &[u8]) -> serde_json::Value {
    serde_json::from_str(&bounce_stdin(&["--json", "--lang", "en"], input)).unwrap()
}

#[test]
fn empty_or_header_only_input_has_nothing_to_explain() {
    for input in [
        &b""[..],
        b"  \n\n",
        b"From: MAILER-DAEMON@mx.example\r\nTo: a@b.example\r\nSubject: Undelivered Mail\r\n",
    ] {
        let json = bounce_json(input);
        assert_eq!(json["code"], "bounce-empty", "{input:?}");
        assert_eq!(json["permanence"], "unknown");
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains("Nothing to explain")
        );
    }
}

#[test]
fn a_latin1_quoted_printable_bounce_with_cr_line_endings_is_decoded() {
    // Old-Mac line endings, a Latin-1 body in quoted-printable, and the returned message's
    // DKIM-Signature, which must not make it an authentication failure.
    let input = b"From: MAILER-DAEMON@mx.example\rTo: shop@vendor.example\r\
Subject: Unzustellbar\rMIME-Version: 1.0\r\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\r\
--b\rContent-Type: text/plain; charset=iso-8859-1\r\
Content-Transfer-Encoding: quoted-printable\r\r\
Die Nachricht an kunde@firma.example konnte nicht zugestellt werden:\r\
Empf=E4nger unbekannt.\r\
--b\rContent-Type: message/delivery-status\r\r\
Reporting-MTA: dns; mx.example\r\r\
Final-Recipient: rfc822; kunde@firma.example\rAction: failed\rStatus: 5.1.1\r\
Diagnostic-Code: smtp; 550 5.1.1 Empf\xe4nger unbekannt\r\
--b\rContent-Type: text/rfc822-headers\r\r\
DKIM-Signature: v=1; d=vendor.example; s=x; b=abc\rFrom: shop@vendor.example\r--b--\r";
    let json = bounce_json(input);
    assert_eq!(json["code"], "bounce-user-unknown");
    assert_eq!(json["permanence"], "hard");
    assert_eq!(json["recipient"], "kunde@firma.example");
    assert_eq!(json["sender_domain"], "vendor.example");
    assert_eq!(json["diagnostic"], "550 5.1.1 Empfänger unbekannt");
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
    if !crate::cli::bed_present("a_whole_messages_dkim_signature_is_verified_with_the_key_from_dns")
    {
        return;
    }
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
