//! `postcheck smtp` against the bed's real SMTP servers (`tests/bed/smtp_server.py`, aiosmtpd;
//! hosts in `tests/zones/smtp.test.zone`, replies in `tests/zones/README.md`, "SMTP servers"):
//! every code of the `smtp-*` family a server can cause, who acts, the exit status, the test
//! mail as the server stored it, the settings `--for` finds, and that the password appears in
//! no output and no log.

use crate::cli::{Run, Transport, bed_present, postcheck, transport_args};
use serde_json::Value;
use std::io::Write as _;
use std::process::{Command, Stdio};

const USER: &str = "vendor@good.smtp.test";
const PASSWORD: &str = "correct horse battery";

/// `postcheck smtp SERVER --json` through the bed's DNS with the bed's CA, a short step time
/// and `extra`; the password, where a test gives one, in `POSTCHECK_TEST_PASSWORD`.
fn smtp(server: &str, extra: &[&str]) -> Run {
    smtp_with_password(server, extra, None)
}

fn smtp_with_password(server: &str, extra: &[&str], password: Option<&str>) -> Run {
    let mut args = vec![
        "smtp".to_owned(),
        server.to_owned(),
        "--json".to_owned(),
        "--ca-file".to_owned(),
        std::env::var("POSTCHECK_TEST_CA").expect("POSTCHECK_TEST_CA"),
        "--step-timeout-ms".to_owned(),
        "1500".to_owned(),
    ];
    args.extend(transport_args(Transport::Dns));
    args.extend(extra.iter().map(|s| s.to_string()));
    match password {
        None => postcheck(&args),
        Some(password) => {
            // The variable is set for the child only.
            let output = Command::new(env!("CARGO_BIN_EXE_postcheck"))
                .args(&args)
                .args(["--user", USER, "--password-env", "POSTCHECK_TEST_PASSWORD"])
                .env("POSTCHECK_TEST_PASSWORD", password)
                .env("LANG", "C")
                .stdin(Stdio::null())
                .output()
                .expect("run postcheck");
            Run {
                status: output.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            }
        }
    }
}

/// The finding codes of a run, in order.
fn codes(run: &Run) -> Vec<String> {
    run.json()["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings: {}\n{}", run.stdout, run.stderr))
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect()
}

fn finding<'a>(json: &'a Value, code: &str) -> &'a Value {
    json["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["code"] == code))
        .unwrap_or_else(|| panic!("no {code} in {json:#}"))
}

/// The password in no output; the server log has `[redacted]` for the AUTH exchange.
fn no_password_in(run: &Run) {
    assert!(!run.stdout.contains(PASSWORD), "password in stdout");
    assert!(!run.stderr.contains(PASSWORD), "password in stderr");
    use base64::Engine as _;
    let plain = base64::engine::general_purpose::STANDARD
        .encode(format!("\0{USER}\0{PASSWORD}").as_bytes());
    assert!(
        !run.stdout.contains(&plain),
        "AUTH PLAIN response in stdout"
    );
}

/// The spooled message whose metadata names `rcpt`, as (metadata, message).
fn spooled(rcpt: &str) -> Option<(Value, String)> {
    let spool = std::env::var("POSTCHECK_TEST_SMTP_SPOOL").expect("POSTCHECK_TEST_SMTP_SPOOL");
    let mut found = None;
    for entry in std::fs::read_dir(spool).expect("spool").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            let meta: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if meta["rcpt_to"]
                .as_array()
                .is_some_and(|r| r.iter().any(|a| a == rcpt))
            {
                let eml = std::fs::read_to_string(path.with_extension("eml")).unwrap();
                found = Some((meta, eml));
            }
        }
    }
    found
}

#[test]
fn a_working_submission_server_takes_the_test_mail() {
    if !bed_present("a_working_submission_server_takes_the_test_mail") {
        return;
    }
    let rcpt = "ok-587@example.net";
    let run = smtp_with_password("good.smtp.test:587", &["--send-test", rcpt], Some(PASSWORD));
    assert_eq!(
        codes(&run),
        ["smtp-auth-after-tls", "smtp-ok"],
        "{}",
        run.stdout
    );
    assert_eq!(run.status, 0);
    no_password_in(&run);
    let json = run.json();
    assert_eq!(finding(&json, "smtp-ok")["params"]["reached"], "mail");
    assert_eq!(json["security"], "starttls");
    assert_eq!(json["session"]["tls"]["certificate_verified"], true);
    assert!(
        json["session"]["tls"]["certificate_expiry"]
            .as_str()
            .is_some_and(|e| e.ends_with(" UTC")),
        "{json:#}"
    );
    let (meta, eml) = spooled(rcpt).expect("the test mail reached the server");
    assert_eq!(meta["user"], USER);
    assert_eq!(meta["mail_from"], USER);
    assert_eq!(meta["tls"], true);
    assert!(eml.contains("Subject: postcheck: test mail"), "{eml}");
    assert!(
        eml.contains(&format!("To: <{rcpt}>")) || eml.contains(&format!("To: {rcpt}")),
        "{eml}"
    );
    assert!(!eml.contains(PASSWORD));
    // The bed's log of the dialogue has the AUTH exchange redacted.
    let log = std::fs::read_to_string(std::env::var("POSTCHECK_TEST_SMTP_LOG").unwrap()).unwrap();
    assert!(!log.contains(PASSWORD));

    // Implicit TLS on 465, the same account.
    let run = smtp_with_password("good.smtp.test:465", &[], Some(PASSWORD));
    assert_eq!(codes(&run), ["smtp-ok"], "{}", run.stdout);
    assert_eq!(
        run.json()["security"],
        "tls",
        "465 means SSL/TLS by default"
    );
}

#[test]
fn the_password_comes_from_standard_input_and_a_wrong_one_is_explained() {
    if !bed_present("the_password_comes_from_standard_input_and_a_wrong_one_is_explained") {
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_postcheck"))
        .args([
            "smtp",
            "good.smtp.test:587",
            "--json",
            "--user",
            USER,
            "--password-stdin",
        ])
        .args(["--ca-file", &std::env::var("POSTCHECK_TEST_CA").unwrap()])
        .args(transport_args(Transport::Dns))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\"smtp-ok\""), "{stdout}");
    assert!(!stdout.contains(PASSWORD));

    let run = smtp_with_password(
        "good.smtp.test:587",
        &["--lang", "de"],
        Some("wrong password"),
    );
    assert_eq!(codes(&run), ["smtp-auth-after-tls", "smtp-auth-failed"]);
    assert_eq!(run.status, 1, "an error finding exits 1");
    let json = run.json();
    let failed = finding(&json, "smtp-auth-failed");
    assert_eq!(failed["who_acts"], "customer");
    assert!(
        failed["params"]["reply"]
            .as_str()
            .unwrap()
            .starts_with("535 5.7.8")
    );
    assert!(!run.stdout.contains("wrong password"));
}

#[test]
fn wrong_port_and_encryption_combinations() {
    if !bed_present("wrong_port_and_encryption_combinations") {
        return;
    }
    // STARTTLS (and no encryption) on 465, where TLS comes first.
    for security in ["starttls", "none"] {
        let run = smtp("good.smtp.test:465", &["--security", security]);
        assert_eq!(
            codes(&run),
            ["smtp-plaintext-on-tls-port"],
            "{security}: {}",
            run.stdout
        );
        assert_eq!(run.status, 1);
    }
    // Implicit TLS on 587, where the server speaks SMTP first.
    let run = smtp("good.smtp.test:587", &["--security", "tls"]);
    assert_eq!(codes(&run), ["smtp-tls-on-starttls-port"]);
    // Nothing listens on 2525.
    let run = smtp("good.smtp.test:2525", &[]);
    assert_eq!(codes(&run), ["smtp-connect-refused"]);
    // Port 25 works here, but it is not for programs.
    let run = smtp("good.smtp.test:25", &[]);
    assert!(
        codes(&run).contains(&"smtp-port25-used".to_owned()),
        "{}",
        run.stdout
    );
    // No such host.
    let run = smtp("nosuch.smtp.test", &[]);
    assert_eq!(codes(&run), ["smtp-host-unknown"]);
    assert_eq!(
        finding(&run.json(), "smtp-host-unknown")["params"]["host"],
        "nosuch.smtp.test"
    );
}

#[test]
fn silence_is_a_blocked_port_or_a_timeout_never_wrong_settings() {
    if !bed_present("silence_is_a_blocked_port_or_a_timeout_never_wrong_settings") {
        return;
    }
    let run = smtp("blackhole.smtp.test:25", &[]);
    assert_eq!(codes(&run), ["smtp-port25-blocked"]);
    let run = smtp("blackhole.smtp.test:587", &[]);
    assert_eq!(codes(&run), ["smtp-connect-timeout"]);
    assert_eq!(run.status, 0, "a timeout is a warning: could not verify");
    let run = smtp("hang.smtp.test:587", &[]);
    assert_eq!(codes(&run), ["smtp-no-greeting"]);
    assert_eq!(
        finding(&run.json(), "smtp-no-greeting")["params"]["reason"],
        "timeout"
    );
}

#[test]
fn certificates_that_programs_refuse() {
    if !bed_present("certificates_that_programs_refuse") {
        return;
    }
    let run = smtp_with_password("expired.smtp.test:587", &[], Some(PASSWORD));
    assert_eq!(
        codes(&run),
        ["smtp-certificate-expired", "smtp-auth-after-tls"],
        "{}",
        run.stdout
    );
    let json = run.json();
    assert_eq!(
        json["session"]["auth_skipped"]["reason"],
        "unverified-certificate"
    );
    assert!(
        json["session"]["auth_attempts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        finding(&json, "smtp-certificate-expired")["who_acts"],
        "mail-provider"
    );
    let run = smtp("expired.smtp.test:465", &[]);
    assert_eq!(codes(&run), ["smtp-certificate-expired"], "{}", run.stdout);

    let run = smtp_with_password("wrong-name.smtp.test:587", &[], Some(PASSWORD));
    let json = run.json();
    assert_eq!(
        codes(&run)[0],
        "smtp-certificate-name-mismatch",
        "{}",
        run.stdout
    );
    let mismatch = finding(&json, "smtp-certificate-name-mismatch");
    assert_eq!(mismatch["params"]["host"], "wrong-name.smtp.test");
    // The names as people write them, not as the TLS library prints its types.
    assert_eq!(mismatch["params"]["names"], "mail.other.test");
    assert!(
        json["session"]["auth_attempts"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let run = smtp("selfsigned.smtp.test:587", &[]);
    assert_eq!(
        codes(&run)[0],
        "smtp-certificate-untrusted",
        "{}",
        run.stdout
    );
    assert_eq!(run.status, 1);
}

#[test]
fn encryption_and_login_the_server_does_not_offer() {
    if !bed_present("encryption_and_login_the_server_does_not_offer") {
        return;
    }
    let run = smtp("plain.smtp.test:587", &[]);
    // AUTH is not judged from the EHLO before TLS: the server may offer it only after.
    assert_eq!(codes(&run), ["smtp-starttls-not-offered"]);
    let run = smtp("plain.smtp.test:587", &["--security", "none"]);
    assert_eq!(codes(&run), ["smtp-auth-not-offered", "smtp-unencrypted"]);
    let run = smtp("starttls-refused.smtp.test:587", &[]);
    assert_eq!(codes(&run), ["smtp-starttls-refused"]);
    assert_eq!(
        finding(&run.json(), "smtp-starttls-refused")["severity"],
        "warning",
        "454 is temporary"
    );
    // Sending without logging in: the submission server wants AUTH.
    let run = smtp(
        "good.smtp.test:587",
        &["--send-test", "x@example.net", "--from", USER],
    );
    assert_eq!(codes(&run), ["smtp-auth-after-tls", "smtp-auth-required"]);
}

#[test]
fn providers_refusals_name_the_provider_setting() {
    if !bed_present("providers_refusals_name_the_provider_setting") {
        return;
    }
    let run = smtp_with_password("m365.smtp.test:587", &[], Some(PASSWORD));
    assert_eq!(
        codes(&run),
        ["smtp-auth-after-tls", "smtp-m365-auth-disabled"]
    );
    assert_eq!(
        finding(&run.json(), "smtp-m365-auth-disabled")["params"]["reason"],
        "disabled"
    );
    // Sending without a login: Microsoft's own 5.7.57.
    let run = smtp(
        "m365.smtp.test:587",
        &["--send-test", "x@example.net", "--from", USER],
    );
    assert_eq!(
        codes(&run),
        ["smtp-auth-after-tls", "smtp-m365-auth-disabled"]
    );
    assert_eq!(
        finding(&run.json(), "smtp-m365-auth-disabled")["params"]["reason"],
        "not-authenticated"
    );
    let run = smtp_with_password("gmail.smtp.test:587", &[], Some(PASSWORD));
    assert_eq!(
        codes(&run),
        ["smtp-auth-after-tls", "smtp-app-password-required"]
    );
    no_password_in(&run);
}

#[test]
fn refusals_of_the_test_mail() {
    if !bed_present("refusals_of_the_test_mail") {
        return;
    }
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--send-test",
                "x@example.net",
                "--from",
                "other@example.org",
            ],
            "smtp-sender-refused",
        ),
        (
            &["--send-test", "unknown@good.smtp.test"],
            "smtp-recipient-refused",
        ),
        (
            &["--send-test", "throttle@good.smtp.test"],
            "smtp-rate-limited",
        ),
        (
            &[
                "--send-test",
                "content@example.net",
                "--subject",
                "REJECT-ME",
            ],
            "smtp-message-refused",
        ),
    ];
    for (extra, code) in cases {
        let run = smtp_with_password("good.smtp.test:587", extra, Some(PASSWORD));
        assert_eq!(
            codes(&run),
            ["smtp-auth-after-tls", code],
            "{extra:?}: {}",
            run.stdout
        );
    }
    // An MX is no relay: port 25 without a login refuses other domains.
    let run = smtp(
        "good.smtp.test:25",
        &[
            "--send-test",
            "x@example.net",
            "--from",
            "someone@example.org",
        ],
    );
    let found = codes(&run);
    assert!(found.contains(&"smtp-relay-denied".to_owned()), "{found:?}");
    assert!(found.contains(&"smtp-port25-used".to_owned()), "{found:?}");
}

#[test]
fn servers_that_refuse_or_drop_the_connection() {
    if !bed_present("servers_that_refuse_or_drop_the_connection") {
        return;
    }
    let run = smtp("reject.smtp.test:587", &[]);
    assert_eq!(codes(&run), ["smtp-connection-rejected"]);
    assert!(
        finding(&run.json(), "smtp-connection-rejected")["params"]["reply"]
            .as_str()
            .unwrap()
            .starts_with("554 5.7.1")
    );
    let run = smtp_with_password(
        "drop.smtp.test:587",
        &["--security", "none", "--allow-plaintext-auth"],
        Some(PASSWORD),
    );
    assert!(
        codes(&run).contains(&"smtp-connection-lost".to_owned()),
        "{}",
        run.stdout
    );
}

#[test]
fn the_settings_a_provider_publishes() {
    if !bed_present("the_settings_a_provider_publishes") {
        return;
    }
    let mut args: Vec<String> = ["smtp", "--for", USER, "--json"].map(String::from).to_vec();
    args.extend(transport_args(Transport::Dns));
    let run = postcheck(&args);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let json = run.json();
    let servers = json["settings"]["servers"].as_array().expect("servers");
    let first = &servers[0];
    assert_eq!(first["host"], "good.smtp.test", "{json:#}");
    let ports: Vec<u64> = servers.iter().filter_map(|s| s["port"].as_u64()).collect();
    assert!(ports.contains(&465) && ports.contains(&587), "{ports:?}");
    let sources = |port: u64| -> Vec<String> {
        servers
            .iter()
            .find(|s| s["port"] == port)
            .map(|s| {
                s["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(
        sources(587).iter().any(|s| s.contains("srv")),
        "{:?}",
        sources(587)
    );
    assert!(
        sources(587).iter().any(|s| s.contains("autoconfig")),
        "{:?}",
        sources(587)
    );
    assert_eq!(json["settings"]["incomplete"], false);
    // The sending service the domain's SPF record includes comes last.
    let last = servers.last().unwrap();
    assert_eq!(last["host"], "in-v3.mailjet.com", "{json:#}");
    assert_eq!(last["sources"][0]["kind"], "sending-service", "{json:#}");

    // In words, next to a test.
    let mut args: Vec<String> = ["smtp", "good.smtp.test:465", "--for", USER, "--lang", "en"]
        .map(String::from)
        .to_vec();
    args.extend([
        "--ca-file".to_owned(),
        std::env::var("POSTCHECK_TEST_CA").unwrap(),
    ]);
    args.extend(transport_args(Transport::Dns));
    let run = postcheck(&args);
    assert!(
        run.stdout
            .contains("Your provider's settings (vendor@good.smtp.test)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("good.smtp.test:587 (STARTTLS)"),
        "{}",
        run.stdout
    );

    // A user name that is an address brings its provider's settings without --for.
    let output = Command::new(env!("CARGO_BIN_EXE_postcheck"))
        .args(["smtp", "good.smtp.test:587", "--lang", "en", "--user", USER])
        .args(["--password-env", "POSTCHECK_TEST_PASSWORD", "--ca-file"])
        .arg(std::env::var("POSTCHECK_TEST_CA").unwrap())
        .args(transport_args(Transport::Dns))
        .env("POSTCHECK_TEST_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Login:"), "{stdout}");
    assert!(
        stdout.contains("Your provider's settings (vendor@good.smtp.test)"),
        "{stdout}"
    );
    assert!(!stdout.contains(PASSWORD));
}
