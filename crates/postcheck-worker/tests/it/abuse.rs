//! Abuse resistance (issue 12, part 9, found by a probe of the worker under `wrangler dev`):
//! the rate limit keys IPv6 clients by their /64 and charges by upstream work, `/api/verify`
//! refuses repeated keys, sender profiles carry only `include:`/`ip4:`/`ip6:`, every answer
//! carries HSTS, and MTA-STS fetches never go to special-use names or local addresses.

use crate::client::{get, get_with, log_lines, post, post_with, worker};

fn failover_worker() -> String {
    crate::client::bed("POSTCHECK_TEST_WORKER_FAILOVER")
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

/// Requests that cost one unit each (a bad query string: no upstream work) from `clients` in
/// turn, until one is refused; returns how many were sent, with the refused one.
fn requests_until_limited(clients: &[&str], most: usize) -> Option<usize> {
    for sent in 1..=most {
        let client = clients[sent % clients.len()];
        let reply = get_with(
            &worker(),
            "/api/dns?type=TXT",
            &[&format!("CF-Connecting-IP: {client}")],
        );
        if reply.status == 429 {
            assert_eq!(reply.header("Retry-After"), Some("60"));
            assert_eq!(reply.json()["error"]["code"], "rate-limited");
            return Some(sent);
        }
        assert_eq!(reply.status, 400, "{client}: {}", reply.text());
    }
    None
}

#[test]
fn ipv6_clients_in_one_64_share_the_rate_limit() {
    if !crate::client::harness_present("ipv6_clients_in_one_64_share_the_rate_limit") {
        return;
    }
    // wrangler dev passes the client's CF-Connecting-IP through (the existing per-address test
    // in endpoints.rs relies on it too). Three addresses of one /64, in turn: were each its own
    // client, 250 requests would stay under the limit of 100 per address.
    let one_64 = [
        "2001:db8:9a:1::1",
        "2001:db8:9a:1::2",
        "2001:db8:9a:1:ffff:ffff:ffff:fffe",
    ];
    // The limiter counts in fixed 60-second windows: should one end during the run, the count
    // starts again, so up to 250 requests are sent (one window always gets past 100).
    let sent = requests_until_limited(&one_64, 250)
        .expect("no 429 after 250 requests from one /64 (wrangler.toml: limit 100 per 60 s)");
    assert!(
        sent > 100,
        "limited after {sent} requests, before the configured 100"
    );
    // Another address of the same /64 is limited at once; another /64 is not.
    let same = get_with(
        &worker(),
        "/api/dns?type=TXT",
        &["CF-Connecting-IP: 2001:db8:9a:1::abcd"],
    );
    assert_eq!(same.status, 429, "{}", same.text());
    let other = get_with(
        &worker(),
        "/api/dns?type=TXT",
        &["CF-Connecting-IP: 2001:db8:9a:2::1"],
    );
    assert_eq!(other.status, 400, "{}", other.text());
}

#[test]
fn requests_are_charged_by_the_upstream_work_they_cause() {
    if !crate::client::harness_present("requests_are_charged_by_the_upstream_work_they_cause") {
        return;
    }
    // Each batch asks 64 names nobody asked before, so each goes upstream (as far as the
    // invocation's subrequest budget lets it). At one unit per request, 40 batches would stay
    // far below the limit of 100; charged by upstream queries they cannot.
    let client = "CF-Connecting-IP: 203.0.113.201";
    let prefix = unique("charged");
    let mut limited_at = None;
    for batch in 1..=40 {
        let queries: Vec<String> = (0..64)
            .map(|i| format!(r#"{{"name":"{prefix}-{batch}-{i}.report.test","type":"TXT"}}"#))
            .collect();
        let body = format!(r#"{{"queries":[{}]}}"#, queries.join(","));
        let reply = post_with(&worker(), "/api/dns", body.as_bytes(), &[client]);
        if reply.status == 429 {
            limited_at = Some(batch);
            break;
        }
        assert_eq!(reply.status, 200, "batch {batch}: {}", reply.text());
        // The charge is spent after the response (waitUntil); give it a moment.
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let batch = limited_at.expect("40 batches of 64 new names never met the rate limit");
    assert!(batch > 5, "limited after only {batch} batches");
}

#[test]
fn verify_refuses_a_snapshot_with_a_repeated_key() {
    if !crate::client::harness_present("verify_refuses_a_snapshot_with_a_repeated_key") {
        return;
    }
    let reply = post(
        &worker(),
        "/api/report",
        br#"{"domain":"clean.report.test"}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    // The answer as it came, extra fields and all (verification ignores them).
    let body = reply.text();
    let intact = post(&worker(), "/api/verify", body.as_bytes());
    assert_eq!(intact.status, 200, "{}", intact.text());
    assert_eq!(intact.json()["valid"], true);
    let real = r#""domain":"clean.report.test""#;
    assert!(body.contains(real), "{body}");
    // The forged value first: a reader keeping the first sees evil.test, one keeping the
    // last sees the signed domain. Refused, never "valid".
    for forged in [
        body.replacen(real, &format!(r#""domain":"evil.test",{real}"#), 1),
        body.replacen(real, &format!(r#"{real},"domain":"evil.test""#), 1),
    ] {
        let reply = post(&worker(), "/api/verify", forged.as_bytes());
        assert_eq!(reply.status, 400, "{}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "bad-json");
    }
}

#[test]
fn a_profile_spf_entry_other_than_include_ip4_ip6_is_refused() {
    if !crate::client::harness_present("a_profile_spf_entry_other_than_include_ip4_ip6_is_refused")
    {
        return;
    }
    for entry in [
        "a:mail.report.test",
        "mx",
        "exists:%{i}.report.test",
        "-all",
    ] {
        let body = format!(
            r#"{{"domain":"clean.report.test","profile":{{"name":"CRM","spf":["ip4:192.0.2.1","{entry}"]}}}}"#
        );
        let reply = post(&worker(), "/api/report", body.as_bytes());
        assert_eq!(reply.status, 400, "{entry}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "bad-json", "{entry}");
    }
    let body = br#"{"domain":"clean.report.test","profile":{"name":"CRM","spf":["include:_spf.report.test","ip4:192.0.2.0/24","ip6:2001:db8::/32"]}}"#;
    let reply = post(&worker(), "/api/report", body);
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn pages_and_api_answers_carry_hsts() {
    if !crate::client::harness_present("pages_and_api_answers_carry_hsts") {
        return;
    }
    let hsts = Some("max-age=31536000; includeSubDomains");
    for path in ["/", "/embed", "/widget.js"] {
        let reply = get(&worker(), path);
        assert_eq!(reply.header("Strict-Transport-Security"), hsts, "{path}");
    }
    let api = get(&worker(), "/api/dns?name=clean.report.test&type=TXT");
    assert_eq!(api.header("Strict-Transport-Security"), hsts);
}

#[test]
fn mta_sts_fetches_never_go_to_special_use_names() {
    if !crate::client::harness_present("mta_sts_fetches_never_go_to_special_use_names") {
        return;
    }
    let before = log_lines("POSTCHECK_TEST_HTTPS_LOG").len();
    for domain in [
        "zzabuse.localhost",
        "zzabuse.local",
        "zzabuse.internal",
        "zzabuse.home.arpa",
        "zzabuse.onion",
        "zzabuse.invalid",
        "zzabuse.lan",
    ] {
        let reply = get(&worker(), &format!("/api/mta-sts?domain={domain}"));
        assert_eq!(reply.status, 422, "{domain}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "invalid-domain", "{domain}");
    }
    let fetched: Vec<String> = log_lines("POSTCHECK_TEST_HTTPS_LOG")
        .into_iter()
        .skip(before)
        .filter(|line| line.contains("zzabuse"))
        .collect();
    assert!(fetched.is_empty(), "{fetched:?}");
    // `.test` is not refused: the bed's policies live there.
    let reply = get(&worker(), "/api/mta-sts?domain=clean.report.test");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["result"]["code"], 200);
}

#[test]
fn mta_sts_fetches_to_loopback_need_the_allow_list() {
    if !crate::client::harness_present("mta_sts_fetches_to_loopback_need_the_allow_list") {
        return;
    }
    // The bed's policy host resolves to 127.0.0.1. The main worker allows it
    // (FETCH_ALLOW_ADDRESSES=127.0.0.1 in tests/worker/with-wrangler.sh); the failover worker
    // does not, so its fetch is refused before it is made.
    let reply = get(&worker(), "/api/mta-sts?domain=clean.report.test");
    assert_eq!(reply.json()["result"]["code"], 200, "{}", reply.text());
    let reply = get(&failover_worker(), "/api/mta-sts?domain=clean.report.test");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result = &reply.json()["result"];
    assert!(result.get("code").is_none(), "fetched: {result}");
    let reason = result["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("127.0.0.1"), "{result}");
}
