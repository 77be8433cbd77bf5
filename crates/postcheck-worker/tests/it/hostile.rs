//! The hostile-input suite: every request here must be answered with a 4xx JSON error
//! `{ "error": { "code", "message" } }` and must not cause a single upstream DNS query or
//! HTTPS fetch (proved from dnsdist's query log and the HTTPS server's log).

use crate::client::{Reply, get_with, log_lines, raw, upstream_queries_mentioning, worker};

/// The marker every hostile name carries, so the logs can be searched for it.
const MARKER: &str = "zzhostile";

/// One hostile request: how to send it and the error it must get.
struct Case {
    what: &'static str,
    send: Box<dyn Fn(&str) -> Reply>,
    status: u16,
    code: &'static str,
}

fn get_case(what: &'static str, path: String, status: u16, code: &'static str) -> Case {
    Case {
        what,
        send: Box::new(move |base| get_with(base, &path, &[])),
        status,
        code,
    }
}

fn post_case(
    what: &'static str,
    path: &'static str,
    body: String,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        what,
        send: Box::new(move |base| crate::client::post(base, path, body.as_bytes())),
        status,
        code,
    }
}

fn raw_case(
    what: &'static str,
    head: String,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        what,
        send: Box::new(move |base| raw(base, &head, &body)),
        status,
        code,
    }
}

/// `body` in HTTP/1.1 chunks of 4 KiB (RFC 9112 §7.1).
fn chunked(body: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.as_bytes().chunks(4096) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn batch_of(count: usize) -> String {
    let queries: Vec<String> = (0..count)
        .map(|i| format!(r#"{{"name":"q{i}.{MARKER}.test","type":"A"}}"#))
        .collect();
    format!(r#"{{"queries":[{}]}}"#, queries.join(","))
}

fn cases() -> Vec<Case> {
    let m = MARKER;
    let long_name = format!("{}.{m}.test", vec!["a".repeat(60); 5].join("."));
    let long_label = format!("{}.{m}.test", "b".repeat(64));
    vec![
        // GET /api/dns: names.
        get_case("name over 253 characters", format!("/api/dns?name={long_name}&type=TXT"), 422, "invalid-name"),
        get_case("label over 63 characters", format!("/api/dns?name={long_label}&type=TXT"), 422, "invalid-name"),
        get_case("space in a name", format!("/api/dns?name={m}%20a.test&type=TXT"), 422, "invalid-name"),
        get_case("plus as space", format!("/api/dns?name={m}+a.test&type=TXT"), 422, "invalid-name"),
        get_case("NUL in a name", format!("/api/dns?name={m}%00.test&type=TXT"), 422, "invalid-name"),
        get_case("CRLF header injection in a name", format!("/api/dns?name={m}.test%0d%0aX-Injected:%201&type=TXT"), 422, "invalid-name"),
        get_case("IPv4 literal", "/api/dns?name=127.0.0.1&type=A".to_owned(), 422, "invalid-name"),
        get_case("bracketed IPv6 literal", "/api/dns?name=%5B::1%5D&type=A".to_owned(), 422, "invalid-name"),
        get_case("all-numeric name (inet_aton form)", "/api/dns?name=2130706433&type=A".to_owned(), 422, "invalid-name"),
        get_case("non-ASCII name (not an A-label)", format!("/api/dns?name={m}-%C3%BC.test&type=TXT"), 422, "invalid-name"),
        get_case("empty label", format!("/api/dns?name={m}..test&type=TXT"), 422, "invalid-name"),
        get_case("URL as a name", format!("/api/dns?name=http://{m}.test/&type=TXT"), 422, "invalid-name"),
        get_case("name with a port", format!("/api/dns?name={m}.test:53&type=TXT"), 422, "invalid-name"),
        get_case("label starting with a hyphen", format!("/api/dns?name=-{m}.test&type=TXT"), 422, "invalid-name"),
        get_case("percent escape that is not UTF-8", format!("/api/dns?name={m}%ff.test&type=TXT"), 400, "bad-query"),
        get_case("broken percent escape", format!("/api/dns?name={m}%g1.test&type=TXT"), 400, "bad-query"),
        // GET /api/dns: types and parameters.
        get_case("type ANY", format!("/api/dns?name={m}.test&type=ANY"), 422, "unsupported-type"),
        get_case("type AXFR", format!("/api/dns?name={m}.test&type=AXFR"), 422, "unsupported-type"),
        get_case("type SOA", format!("/api/dns?name={m}.test&type=SOA"), 422, "unsupported-type"),
        get_case("type as a number", format!("/api/dns?name={m}.test&type=TYPE16"), 422, "unsupported-type"),
        get_case("unknown type", format!("/api/dns?name={m}.test&type=BOGUS"), 422, "unsupported-type"),
        get_case("type missing", format!("/api/dns?name={m}.test"), 400, "bad-query"),
        get_case("name missing", "/api/dns?type=TXT".to_owned(), 400, "bad-query"),
        get_case("name given twice", format!("/api/dns?name={m}.test&name=x.test&type=TXT"), 400, "bad-query"),
        get_case("an upstream smuggled in", format!("/api/dns?name={m}.test&type=TXT&upstream=http://evil.test/"), 400, "bad-query"),
        get_case("query string over 1024 characters", format!("/api/dns?name={m}.test&type=TXT&pad={}", "x".repeat(1100)), 400, "bad-query"),
        // POST /api/dns.
        post_case("not JSON", "/api/dns", format!("{{\"queries\":[{{\"name\":\"{m}.test\""), 400, "bad-json"),
        post_case("JSON array", "/api/dns", format!(r#"[{{"name":"{m}.test","type":"A"}}]"#), 400, "bad-json"),
        post_case("empty batch", "/api/dns", r#"{"queries":[]}"#.to_owned(), 400, "bad-json"),
        post_case("query as an array", "/api/dns", format!(r#"{{"queries":[["{m}.test","A"]]}}"#), 400, "bad-json"),
        post_case("unknown field", "/api/dns", format!(r#"{{"queries":[{{"name":"{m}.test","type":"A"}}],"upstream":"http://evil.test/"}}"#), 400, "bad-json"),
        post_case("queries twice", "/api/dns", format!(r#"{{"queries":[{{"name":"{m}.test","type":"A"}}],"queries":[{{"name":"{m}2.test","type":"A"}}]}}"#), 400, "bad-json"),
        post_case("batch over 64 queries", "/api/dns", batch_of(65), 413, "batch-too-large"),
        post_case("body over 16 KiB", "/api/dns", format!(r#"{{"queries":[{{"name":"{m}.test","type":"A"}}],"pad":"{}"}}"#, "x".repeat(17_000)), 413, "body-too-large"),
        post_case("one bad name spoils the batch", "/api/dns", format!(r#"{{"queries":[{{"name":"ok.{m}.test","type":"A"}},{{"name":"{m} bad.test","type":"A"}}]}}"#), 422, "invalid-name"),
        post_case("one bad type spoils the batch", "/api/dns", format!(r#"{{"queries":[{{"name":"ok.{m}.test","type":"A"}},{{"name":"{m}.test","type":"ANY"}}]}}"#), 422, "unsupported-type"),
        raw_case("body of 1 MB", "POST /api/dns HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 1048576".to_owned(), vec![b' '; 1_048_576], 413, "body-too-large"),
        raw_case("chunked body over 16 KiB (no Content-Length)", "POST /api/report HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked".to_owned(), chunked(&format!(r#"{{"domain":"{m}.test","pad":"{}"}}"#, "x".repeat(40_000))), 413, "body-too-large"),
        // Routes and methods.
        get_case("unknown endpoint", format!("/api/{m}"), 404, "not-found"),
        get_case("path traversal", format!("/api/../api/dns/%2e%2e/{m}"), 404, "not-found"),
        raw_case("DELETE on /api/dns", format!("DELETE /api/dns?name={m}.test&type=A HTTP/1.1"), Vec::new(), 405, "method-not-allowed"),
        get_case("GET on /api/report", format!("/api/report?domain={m}.test"), 405, "method-not-allowed"),
        raw_case("PUT on /api/verify", "PUT /api/verify HTTP/1.1\r\nContent-Length: 2".to_owned(), b"{}".to_vec(), 405, "method-not-allowed"),
        // POST /api/report.
        post_case("report for an IP", "/api/report", r#"{"domain":"127.0.0.1"}"#.to_owned(), 422, "invalid-domain"),
        post_case("report for a URL", "/api/report", format!(r#"{{"domain":"https://{m}.test/x"}}"#), 422, "invalid-domain"),
        post_case("report with a port", "/api/report", format!(r#"{{"domain":"{m}.test:8443"}}"#), 422, "invalid-domain"),
        post_case("report for a single label", "/api/report", r#"{"domain":"localhost"}"#.to_owned(), 422, "invalid-domain"),
        post_case("report with a path selector", "/api/report", format!(r#"{{"domain":"{m}.test","dkim_selectors":["../../etc"]}}"#), 422, "invalid-name"),
        post_case("report with 17 IPs", "/api/report", format!(r#"{{"domain":"{m}.test","ips":[{}]}}"#, (1..=17).map(|i| format!("\"192.0.2.{i}\"")).collect::<Vec<_>>().join(",")), 400, "bad-json"),
        post_case("report with the client's own clock", "/api/report", format!(r#"{{"domain":"{m}.test","timestamp":1}}"#), 400, "bad-json"),
        post_case("report with a bad IP", "/api/report", format!(r#"{{"domain":"{m}.test","ips":["999.1.1.1"]}}"#), 400, "bad-json"),
        post_case("report with a hostile blocklist", "/api/report", format!(r#"{{"domain":"{m}.test","dnsbl":{{"lists":["evil list"]}}}}"#), 422, "invalid-name"),
        // POST /api/verify.
        post_case("verify without JSON", "/api/verify", "signature".to_owned(), 400, "bad-json"),
        post_case("verify without a snapshot", "/api/verify", r#"{"signature":"00"}"#.to_owned(), 400, "bad-json"),
        // GET /api/mta-sts: targets that try to reach other hosts.
        get_case("MTA-STS for an IP", "/api/mta-sts?domain=127.0.0.1".to_owned(), 422, "invalid-domain"),
        get_case("MTA-STS for an IPv6 literal", "/api/mta-sts?domain=%5B::1%5D".to_owned(), 422, "invalid-domain"),
        get_case("MTA-STS with a port", format!("/api/mta-sts?domain={m}.test:8443"), 422, "invalid-domain"),
        get_case("MTA-STS with a path", format!("/api/mta-sts?domain={m}.test/evil"), 422, "invalid-domain"),
        get_case("MTA-STS with an encoded path", format!("/api/mta-sts?domain={m}.test%2F..%2Fevil"), 422, "invalid-domain"),
        get_case("MTA-STS with userinfo", format!("/api/mta-sts?domain=user@{m}.test"), 422, "invalid-domain"),
        get_case("MTA-STS with a scheme", format!("/api/mta-sts?domain=http://{m}.test"), 422, "invalid-domain"),
        get_case("MTA-STS for a single label", "/api/mta-sts?domain=localhost".to_owned(), 422, "invalid-domain"),
        get_case("MTA-STS with another URL", format!("/api/mta-sts?domain={m}.test&url=https://evil.test/"), 400, "bad-query"),
        get_case("MTA-STS without a domain", "/api/mta-sts".to_owned(), 400, "bad-query"),
        // Other sites.
        Case {
            what: "request from a site CORS does not allow",
            send: Box::new(|base| get_with(base, &format!("/api/dns?name={MARKER}.test&type=TXT"), &["Origin: https://evil.test"])),
            status: 403,
            code: "forbidden",
        },
        Case {
            what: "preflight from a site CORS does not allow",
            send: Box::new(|base| raw(base, "OPTIONS /api/report HTTP/1.1\r\nOrigin: https://evil.test\r\nAccess-Control-Request-Method: POST", b"")),
            status: 403,
            code: "forbidden",
        },
    ]
}

#[test]
fn hostile_requests_get_json_errors_and_never_reach_upstream() {
    if !crate::client::harness_present("hostile_requests_get_json_errors_and_never_reach_upstream")
    {
        return;
    }
    let base = worker();
    let cases = cases();
    assert!(cases.len() >= 40, "the suite has {} requests", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let reply = (case.send)(&base);
        let body: Option<serde_json::Value> = serde_json::from_slice(&reply.body).ok();
        let code = body
            .as_ref()
            .and_then(|b| b["error"]["code"].as_str())
            .unwrap_or("<no JSON error>");
        let has_message = body.as_ref().is_some_and(|b| {
            b["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        });
        let json_type = reply
            .header("Content-Type")
            .is_some_and(|t| t.starts_with("application/json"));
        if reply.status != case.status || code != case.code || !has_message || !json_type {
            failures.push(format!(
                "{}: expected {} {}, got {} {} ({})",
                case.what,
                case.status,
                case.code,
                reply.status,
                code,
                reply.text().chars().take(200).collect::<String>()
            ));
        }
        assert!(
            reply.header("X-Injected").is_none(),
            "{}: a header was injected",
            case.what
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let leaked = upstream_queries_mentioning(MARKER);
    assert!(
        leaked.is_empty(),
        "hostile names reached the upstream:\n{}",
        leaked.join("\n")
    );
    let fetched: Vec<String> = log_lines("POSTCHECK_TEST_HTTPS_LOG")
        .into_iter()
        .filter(|line| line.contains(MARKER) || line.contains("evil"))
        .collect();
    assert!(
        fetched.is_empty(),
        "hostile fetches went out:\n{}",
        fetched.join("\n")
    );
}
