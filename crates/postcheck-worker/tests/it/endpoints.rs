//! The endpoints against real parts: answers from the bed's DoH server, the Cache API, the
//! rate limiter, upstream failover, signed snapshots and MTA-STS fetches, CORS and headers.

use crate::client::{
    bed, get, get_with, log_lines, post, post_with, raw, upstream_queries_mentioning, worker,
};
use postcheck_core::report::SignedSnapshot;
use serde_json::Value;

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

#[test]
fn one_query_answers_with_strings_apart_rcode_and_ttl() {
    if !crate::client::harness_present("one_query_answers_with_strings_apart_rcode_and_ttl") {
        return;
    }
    let reply = get(
        &worker(),
        "/api/dns?name=s1._domainkey.clean.report.test&type=TXT",
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    let entry = &json["answers"][0];
    assert_eq!(entry["query"]["name"], "s1._domainkey.clean.report.test");
    assert_eq!(entry["rcode"], "NOERROR");
    assert!(entry["ttl"].as_u64().is_some(), "{entry}");
    assert_eq!(entry["answer"]["status"], "records");
    assert_eq!(
        entry["answer"]["authenticated"], false,
        "the fixture zones are unsigned"
    );
    let strings = entry["answer"]["records"][0]["data"]
        .as_array()
        .expect("TXT strings");
    assert!(
        strings.len() > 1,
        "the DKIM key is published as several character-strings, kept apart: {entry}"
    );
    let nx = get(&worker(), "/api/dns?name=nothing-here.report.test&type=A").json();
    assert_eq!(nx["answers"][0]["rcode"], "NXDOMAIN");
    // A SERVFAIL upstream stays a failure with its rcode, never "missing".
    let failed = get(&worker(), "/api/dns?name=x.servfail.test&type=TXT").json();
    assert_eq!(
        failed["answers"][0]["answer"]["status"], "failed",
        "{failed}"
    );
    assert_eq!(failed["answers"][0]["rcode"], "SERVFAIL");
}

#[test]
fn a_batch_is_answered_in_order_in_one_response() {
    if !crate::client::harness_present("a_batch_is_answered_in_order_in_one_response") {
        return;
    }
    let body = br#"{"queries":[
        {"name":"clean.report.test","type":"TXT"},
        {"name":"clean.report.test","type":"MX"},
        {"name":"mail.clean.report.test","type":"A"},
        {"name":"nothing-here.report.test","type":"AAAA"}]}"#;
    let reply = post(&worker(), "/api/dns", body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let answers = reply.json()["answers"].as_array().unwrap().clone();
    assert_eq!(answers.len(), 4);
    assert_eq!(answers[0]["query"]["type"], "TXT");
    assert_eq!(answers[1]["query"]["type"], "MX");
    assert_eq!(answers[2]["answer"]["records"][0]["data"], "192.0.2.80");
    assert_eq!(answers[3]["rcode"], "NXDOMAIN");
}

#[test]
fn a_repeated_query_is_answered_from_the_cache() {
    if !crate::client::harness_present("a_repeated_query_is_answered_from_the_cache") {
        return;
    }
    // A name no other test asks for; NXDOMAIN answers are cached too (RFC 2308 §5).
    let name = format!("{}.report.test", unique("cache-probe"));
    let path = format!("/api/dns?name={name}&type=TXT");
    let first = get(&worker(), &path);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("X-Postcheck-Cache"), Some("hit=0 miss=1"));
    // The cache is written after the response (waitUntil), so a request right behind the first
    // may still miss; within a second the answer must come from the cache.
    let mut misses = 1;
    let second = loop {
        let reply = get(&worker(), &path);
        if reply.header("X-Postcheck-Cache") == Some("hit=1 miss=0") {
            break reply;
        }
        assert_eq!(reply.header("X-Postcheck-Cache"), Some("hit=0 miss=1"));
        misses += 1;
        assert!(misses <= 10, "no cache hit after {misses} requests");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(
        first.json(),
        second.json(),
        "the cached answer is the same answer"
    );
    let upstream = upstream_queries_mentioning(&name);
    assert_eq!(
        upstream.len(),
        misses,
        "one upstream query per miss, none for the hit: {upstream:?}"
    );
}

#[test]
fn failures_are_not_cached() {
    if !crate::client::harness_present("failures_are_not_cached") {
        return;
    }
    let path = "/api/dns?name=again.servfail.test&type=TXT";
    get(&worker(), path);
    let second = get(&worker(), path);
    assert_eq!(second.header("X-Postcheck-Cache"), Some("hit=0 miss=1"));
    assert_eq!(upstream_queries_mentioning("again.servfail.test").len(), 2);
}

#[test]
fn over_the_rate_limit_the_client_gets_429_with_retry_after() {
    if !crate::client::harness_present("over_the_rate_limit_the_client_gets_429_with_retry_after") {
        return;
    }
    let base = worker();
    let client = "CF-Connecting-IP: 203.0.113.77";
    let mut limited = None;
    for sent in 1..=250 {
        let reply = get_with(&base, "/api/dns?type=TXT", &[client]);
        if reply.status == 429 {
            limited = Some((sent, reply));
            break;
        }
        assert_eq!(
            reply.status,
            400,
            "below the limit the request is served: {}",
            reply.text()
        );
    }
    let (sent, reply) =
        limited.expect("no 429 after 250 requests (wrangler.toml: limit 100 per 60 s)");
    assert!(
        sent > 100,
        "limited after {sent} requests, before the configured 100"
    );
    assert_eq!(reply.header("Retry-After"), Some("60"));
    assert_eq!(reply.json()["error"]["code"], "rate-limited");
    // Another client is not affected.
    let other = get_with(
        &base,
        "/api/dns?type=TXT",
        &["CF-Connecting-IP: 203.0.113.78"],
    );
    assert_eq!(other.status, 400);
}

#[test]
fn a_failing_upstream_fails_over_to_the_next() {
    if !crate::client::harness_present("a_failing_upstream_fails_over_to_the_next") {
        return;
    }
    let before = log_lines("POSTCHECK_TEST_HANG_LOG").len();
    let name = format!("{}.report.test", unique("failover-probe"));
    let base = bed("POSTCHECK_TEST_WORKER_FAILOVER");
    // First upstream: nothing listens (connection refused); second: never answers (timeout).
    let reply = get(&base, "/api/dns?name=mail.clean.report.test&type=A");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    assert_eq!(
        json["answers"][0]["answer"]["records"][0]["data"], "192.0.2.80",
        "{json}"
    );
    let reply = get(&base, &format!("/api/dns?name={name}&type=TXT"));
    assert_eq!(reply.json()["answers"][0]["rcode"], "NXDOMAIN");
    assert!(
        log_lines("POSTCHECK_TEST_HANG_LOG").len() >= before + 2,
        "the hanging upstream was tried first"
    );
    assert_eq!(
        upstream_queries_mentioning(&name).len(),
        1,
        "then the bed's server answered"
    );
}

fn report_for(body: &str) -> (Value, SignedSnapshot) {
    let reply = post(&worker(), "/api/report", body.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    let signed: SignedSnapshot = serde_json::from_value(json.clone()).expect("a signed snapshot");
    (json, signed)
}

fn codes(signed: &SignedSnapshot) -> Vec<String> {
    let report = signed
        .report()
        .expect("the snapshot holds every answer the report needs");
    let json = serde_json::to_value(report.localized(postcheck_core::messages::Lang::En)).unwrap();
    let mut codes = Vec::new();
    collect_codes(&json, &mut codes);
    codes
}

fn collect_codes(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(code)) = map.get("code") {
                out.push(code.clone());
            }
            map.values().for_each(|v| collect_codes(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_codes(v, out)),
        _ => {}
    }
}

#[test]
fn a_report_comes_back_whole_in_one_response_and_signed() {
    if !crate::client::harness_present("a_report_comes_back_whole_in_one_response_and_signed") {
        return;
    }
    let (json, signed) = report_for(
        r#"{"domain":"clean.report.test","ips":["192.0.2.80"],"dkim_selectors":["s1"]}"#,
    );
    assert!(json["rounds"].as_u64().unwrap() >= 2, "{}", json["rounds"]);
    assert_eq!(signed.signature.len(), 64);
    assert_eq!(signed.input.timestamp, signed.taken_at);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        signed.taken_at.abs_diff(now) < 600,
        "taken_at is the worker's clock"
    );
    let found = codes(&signed);
    for expected in [
        "spf-ok",
        "spf-ip-pass",
        "dmarc-ok",
        "dkim-ok",
        "ptr-ok",
        "dnsbl-clean",
    ] {
        assert!(
            found.iter().any(|c| c == expected),
            "{expected} missing from {found:?}"
        );
    }
    // The MTA-STS policy was fetched over HTTPS (trusting the bed's CA) inside /api/report.
    let fetches = serde_json::to_value(&signed.snapshot.fetches).unwrap();
    let policy = &fetches["https://mta-sts.clean.report.test/.well-known/mta-sts.txt"];
    assert_eq!(policy["code"], 200, "{fetches}");
    assert!(
        !found.iter().any(|c| c.starts_with("mta-sts-invalid")),
        "{found:?}"
    );
}

#[test]
fn a_report_of_a_broken_domain_shows_its_findings() {
    if !crate::client::harness_present("a_report_of_a_broken_domain_shows_its_findings") {
        return;
    }
    let (_, signed) = report_for(r#"{"domain":"dmarc-dns-error.report.test"}"#);
    let found = codes(&signed);
    assert!(found.iter().any(|c| c == "dmarc-dns-error"), "{found:?}");
    assert!(
        !found.iter().any(|c| c == "dmarc-none"),
        "a failed lookup is not 'missing': {found:?}"
    );
}

#[test]
fn an_edited_snapshot_fails_verification() {
    if !crate::client::harness_present("an_edited_snapshot_fails_verification") {
        return;
    }
    let (json, signed) = report_for(r#"{"domain":"clean.report.test"}"#);
    let verify = |body: &Value| {
        let reply = post(&worker(), "/api/verify", body.to_string().as_bytes());
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["valid"].as_bool().expect("valid is a boolean")
    };
    assert!(verify(&json), "the snapshot as received is intact");
    let reserialized = serde_json::to_value(&signed).unwrap();
    assert!(
        verify(&reserialized),
        "re-serialized by a client, still intact"
    );

    let mut edited = json.clone();
    let entries = edited["snapshot"]["answers"]["entries"]
        .as_array_mut()
        .unwrap();
    let spf = entries
        .iter_mut()
        .find(|e| e["query"]["name"] == "clean.report.test" && e["query"]["type"] == "TXT")
        .expect("the SPF answer");
    spf["answer"] = serde_json::json!({ "status": "nxdomain" });
    assert!(!verify(&edited), "an answer replaced");

    let mut edited = json.clone();
    edited["taken_at"] = serde_json::json!(json["taken_at"].as_u64().unwrap() - 86_400);
    assert!(!verify(&edited), "back-dated");

    let mut edited = json.clone();
    edited["input"]["domain"] = serde_json::json!("customer.report.test");
    assert!(!verify(&edited), "another domain");
}

#[test]
fn mta_sts_policies_are_fetched_without_following_redirects() {
    if !crate::client::harness_present("mta_sts_policies_are_fetched_without_following_redirects") {
        return;
    }
    let reply = get(&worker(), "/api/mta-sts?domain=clean.report.test");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    assert_eq!(
        json["url"],
        "https://mta-sts.clean.report.test/.well-known/mta-sts.txt"
    );
    assert_eq!(json["result"]["code"], 200);
    assert!(
        json["result"]["body"].as_str().unwrap().contains("STSv1"),
        "{json}"
    );

    let host = "mta-sts.mta-sts-invalid-redirect.report.test";
    let reply = get(
        &worker(),
        "/api/mta-sts?domain=mta-sts-invalid-redirect.report.test",
    );
    let json = reply.json();
    let code = json["result"]["code"].as_u64().expect("an HTTP answer");
    assert!(
        (300..400).contains(&code),
        "the redirect itself is the answer: {json}"
    );
    let requests: Vec<String> = log_lines("POSTCHECK_TEST_HTTPS_LOG")
        .into_iter()
        // Requests to other hosts than MTA-STS ones would be the redirect followed; the
        // autoconfig files are the SMTP settings tests' (the bed's HTTPS log is shared).
        .filter(|line| {
            line.contains("invalid-redirect")
                || !(line.contains(" mta-sts.") || line.contains(" autoconfig."))
        })
        .collect();
    assert!(
        requests.iter().all(|line| line.contains(host)),
        "only the policy host was asked, the redirect target never: {requests:?}"
    );
}

#[test]
fn cors_opens_only_for_the_configured_origin() {
    if !crate::client::harness_present("cors_opens_only_for_the_configured_origin") {
        return;
    }
    let allowed = "Origin: http://127.0.0.1:8790";
    let reply = get_with(
        &worker(),
        "/api/dns?name=clean.report.test&type=MX",
        &[allowed],
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("Access-Control-Allow-Origin"),
        Some("http://127.0.0.1:8790")
    );
    let preflight = raw(
        &worker(),
        &format!(
            "OPTIONS /api/report HTTP/1.1\r\n{allowed}\r\nAccess-Control-Request-Method: POST"
        ),
        b"",
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("Access-Control-Allow-Methods"),
        Some("GET, POST")
    );
    let same = get_with(
        &worker(),
        "/api/dns?name=clean.report.test&type=MX",
        &["Origin: http://127.0.0.1:8787"],
    );
    assert_eq!(same.status, 200, "the page's own origin");
    assert_eq!(same.header("Access-Control-Allow-Origin"), None);
    let other = post_with(
        &worker(),
        "/api/report",
        br#"{"domain":"clean.report.test"}"#,
        &["Origin: http://127.0.0.1:8791"],
    );
    assert_eq!(other.status, 403);
}

#[test]
fn pages_carry_the_security_headers() {
    if !crate::client::harness_present("pages_carry_the_security_headers") {
        return;
    }
    for path in ["/", "/index.html", "/widget.js"] {
        let reply = get(&worker(), path);
        let csp = reply
            .header("Content-Security-Policy")
            .unwrap_or_default()
            .to_owned();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            reply.header("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            reply.header("Referrer-Policy"),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(reply.header("X-Frame-Options"), Some("DENY"), "{path}");
    }
    let embed = get(&worker(), "/embed");
    let csp = embed
        .header("Content-Security-Policy")
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.ends_with("frame-ancestors *"),
        "the widget may be framed: {csp}"
    );
    assert_eq!(embed.header("X-Frame-Options"), None);
    let api = get(&worker(), "/api/dns?name=clean.report.test&type=TXT");
    assert_eq!(api.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(api.header("Cache-Control"), Some("no-store"));
}

#[test]
fn the_worker_logs_nothing_of_what_it_is_asked() {
    if !crate::client::harness_present("the_worker_logs_nothing_of_what_it_is_asked") {
        return;
    }
    // No console output at all: no queried domain, no client address can end up in logs.
    // Every source file, those of submodules' folders (src/upstream/) too.
    let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut files = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("upstream/smtp.rs")),
        "{files:?}"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for needle in [
            "console_log!",
            "console_error!",
            "console_warn!",
            "console_debug!",
            "println!",
            "eprintln!",
        ] {
            assert!(!text.contains(needle), "{} uses {needle}", path.display());
        }
    }
}
