//! `GET /api/smtp` under `wrangler dev` against the bed's SMTP servers (issue 14, item 4):
//! Cloudflare's TCP sockets (`connect()`, `startTls()`) drive the core's dialogue without a
//! password; only ports 465 and 587 and only public hosts (the failover instance refuses the
//! bed's loopback addresses as production does); the connection counts in the invocation's
//! budget, and a check costs ten rate-limit units.

use crate::client::{Reply, get_with, worker};

/// `/api/smtp?…` from a client address of its own, so that the checks of one run do not use
/// up each other's rate limit.
fn smtp_from(base: &str, query: &str, client: &str) -> Reply {
    get_with(
        base,
        &format!("/api/smtp?{query}"),
        &[&format!("CF-Connecting-IP: {client}")],
    )
}

fn codes(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings: {}", reply.text()))
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_web_check_explains_each_server_of_the_bed() {
    if !crate::client::harness_present("the_web_check_explains_each_server_of_the_bed") {
        return;
    }
    let cases: [(&str, &[&str]); 14] = [
        ("host=good.smtp.test", &["smtp-auth-after-tls", "smtp-ok"]),
        ("host=good.smtp.test&port=465", &["smtp-ok"]),
        // The wrong combinations a customer sets.
        (
            "host=good.smtp.test&port=587&security=tls",
            &["smtp-tls-on-starttls-port"],
        ),
        (
            "host=good.smtp.test&port=465&security=starttls",
            &["smtp-plaintext-on-tls-port"],
        ),
        (
            "host=good.smtp.test&security=plain",
            &["smtp-auth-not-offered", "smtp-unencrypted"],
        ),
        // Certificates the runtime refuses, without saying which problem it is.
        ("host=expired.smtp.test", &["smtp-tls-not-accepted"]),
        (
            "host=expired.smtp.test&port=465",
            &["smtp-tls-not-accepted"],
        ),
        ("host=wrong-name.smtp.test", &["smtp-tls-not-accepted"]),
        ("host=selfsigned.smtp.test", &["smtp-tls-not-accepted"]),
        // Nothing listens on gmail's 465; blackhole drops every packet.
        ("host=gmail.smtp.test&port=465", &["smtp-connect-refused"]),
        ("host=blackhole.smtp.test", &["smtp-connect-timeout"]),
        ("host=reject.smtp.test", &["smtp-connection-rejected"]),
        (
            "host=starttls-refused.smtp.test",
            &["smtp-starttls-refused"],
        ),
        ("host=nosuch.smtp.test", &["smtp-host-unknown"]),
    ];
    for (index, (query, expected)) in cases.iter().enumerate() {
        let reply = smtp_from(&worker(), query, &format!("198.51.100.{}", index + 1));
        assert_eq!(codes(&reply), *expected, "{query}: {}", reply.text());
    }
    // The session as the dialogue saw it; no version is claimed that the runtime does not tell.
    let reply = smtp_from(&worker(), "host=good.smtp.test", "198.51.100.100");
    let json = reply.json();
    assert_eq!(json["security"], "starttls");
    assert_eq!(json["port"], 587);
    assert_eq!(json["session"]["tls"]["protocol"], "TLS");
    let ok = &json["findings"][1];
    assert_eq!(ok["params"]["tls"], "TLS", "{json:#}");
    assert!(
        json["session"]["capabilities_with_tls"]["auth_mechanisms"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        json["session"]["auth_attempts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn only_submission_ports_of_public_hosts_and_within_the_budget() {
    if !crate::client::harness_present(
        "only_submission_ports_of_public_hosts_and_within_the_budget",
    ) {
        return;
    }
    let client = "198.51.100.150";
    for (query, status, code) in [
        ("host=good.smtp.test&port=25", 400, "bad-query"),
        ("host=127.0.1.1", 422, "invalid-domain"),
        ("host=smtp.localhost", 422, "invalid-domain"),
        ("host=good.smtp.test&user=x", 400, "bad-query"),
    ] {
        let reply = smtp_from(&worker(), query, client);
        assert_eq!(reply.status, status, "{query}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], code, "{query}");
    }
    // The failover instance allows no loopback address, as on Cloudflare.
    let failover = crate::client::bed("POSTCHECK_TEST_WORKER_FAILOVER");
    let reply = smtp_from(&failover, "host=good.smtp.test", "198.51.100.151");
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "forbidden");

    // One connection and the two address lookups, counted in the invocation's account.
    let reply = smtp_from(&worker(), "host=good.smtp.test&port=465", "198.51.100.152");
    let header = reply.header("X-Postcheck-Subrequests").unwrap().to_owned();
    let sent: usize = header
        .split_whitespace()
        .find_map(|p| p.strip_prefix("sent="))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!((1..=3).contains(&sent), "{header}");
    assert!(header.contains("peak=1"), "{header}");
}

#[test]
fn a_check_costs_ten_units_of_the_rate_limit() {
    if !crate::client::harness_present("a_check_costs_ten_units_of_the_rate_limit") {
        return;
    }
    // 100 units per 60 s and ten per check: the eleventh check of one client is refused (or
    // the twelfth, when the tenth's charge, made after its response, is still under way).
    let client = "198.51.100.200";
    let mut refused_at = None;
    for attempt in 1..=12 {
        let reply = smtp_from(&worker(), "host=nosuch.smtp.test", client);
        if reply.status == 429 {
            refused_at = Some(attempt);
            break;
        }
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    assert!(matches!(refused_at, Some(11 | 12)), "{refused_at:?}");
}
