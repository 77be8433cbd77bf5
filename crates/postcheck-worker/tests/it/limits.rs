//! Cloudflare's limits, enforced: every worker of the harness runs with `ENFORCE_LIMITS=1`, so a
//! request whose invocation sent more subrequests than its budget or held more than six
//! connections at once fails with 500 `limit-exceeded` (and these tests with it). Against them:
//! every full-report fixture completes at the Free budget; with a budget of 8 a report comes in
//! parts and the finished snapshot is the one made in one go; without the Cache API a repeated
//! report sends nothing upstream.

use crate::client::{bed, post, upstream_queries_mentioning, worker};
use postcheck_core::report::SignedSnapshot;
use serde_json::{Value, json};

/// The instance with 8 subrequests per invocation and no Cache API.
fn tiny() -> String {
    bed("POSTCHECK_TEST_WORKER_TINY")
}

/// `X-Postcheck-Subrequests: sent=N peak=K limit=L` as numbers.
fn subrequests(reply: &crate::client::Reply) -> (usize, usize, usize) {
    let header = reply
        .header("X-Postcheck-Subrequests")
        .unwrap_or_else(|| panic!("no X-Postcheck-Subrequests header: {:?}", reply.headers));
    let field = |name: &str| -> usize {
        header
            .split_whitespace()
            .find_map(|part| part.strip_prefix(name)?.strip_prefix('='))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    (field("sent"), field("peak"), field("limit"))
}

/// A report followed through its parts.
struct Parts {
    /// The finished signed snapshot as JSON.
    last: Value,
    /// Requests it took.
    parts: usize,
    /// Subrequests each part sent.
    sent: Vec<usize>,
    /// Answers from a cache, over all parts.
    hits: usize,
}

fn cache_counts(reply: &crate::client::Reply) -> (usize, usize) {
    let header = reply.header("X-Postcheck-Cache").unwrap_or_default();
    let field = |name: &str| -> usize {
        header
            .split_whitespace()
            .find_map(|part| part.strip_prefix(name)?.strip_prefix('='))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("hit"), field("miss"))
}

/// Posts a report request to `base` and continues it until it is complete; checks every part
/// against the limits.
fn report_in_parts(base: &str, request: &Value) -> Parts {
    let mut reply = post(base, "/api/report", request.to_string().as_bytes());
    let mut parts = Parts {
        last: Value::Null,
        parts: 0,
        sent: Vec::new(),
        hits: 0,
    };
    loop {
        parts.parts += 1;
        assert_eq!(reply.status, 200, "part {}: {}", parts.parts, reply.text());
        let (sent, peak, limit) = subrequests(&reply);
        assert!(sent <= limit, "part {}: {sent} of {limit}", parts.parts);
        assert!(
            peak <= 6,
            "part {}: {peak} connections at once",
            parts.parts
        );
        parts.sent.push(sent);
        parts.hits += cache_counts(&reply).0;
        let json = reply.json();
        if json["complete"] != false {
            assert_eq!(json["complete"], true, "{json}");
            parts.last = json;
            return parts;
        }
        assert!(parts.parts < 80, "no end to the parts for {request}");
        reply = post(base, "/api/report/continue", &reply.body);
    }
}

/// The full-report contract rows the page can ask for: (domain, ips, selectors). Rows with a
/// sender profile file are left out (the page's widget passes profiles; the e2e tests cover it).
fn full_report_rows() -> Vec<(String, Vec<String>, Vec<String>)> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(repo.join("tests/zones/README.md")).unwrap();
    let mut lines = text
        .lines()
        .skip_while(|line| !line.starts_with("| domain | args | codes | must not |"))
        .skip(2);
    let mut rows = Vec::new();
    for line in lines.by_ref() {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line
            .split('|')
            .map(|c| c.trim().trim_matches('`'))
            .collect();
        let (domain, args) = (cells[1], cells[2]);
        let mut words = args.split_whitespace();
        let (mut ips, mut selectors, mut usable) = (Vec::new(), Vec::new(), true);
        while let Some(word) = words.next() {
            match (word, words.next()) {
                ("--ip", Some(ip)) => ips.push(ip.to_owned()),
                ("--dkim-selector", Some(selector)) => selectors.push(selector.to_owned()),
                _ => usable = false,
            }
        }
        if usable {
            rows.push((domain.to_owned(), ips, selectors));
        }
    }
    assert!(rows.len() >= 30, "only {} rows read", rows.len());
    rows
}

fn request(domain: &str, ips: &[String], selectors: &[String]) -> Value {
    json!({ "domain": domain, "ips": ips, "dkim_selectors": selectors })
}

#[test]
fn every_full_report_fixture_completes_within_the_free_budget() {
    if !crate::client::harness_present("every_full_report_fixture_completes_within_the_free_budget")
    {
        return;
    }
    let rows = full_report_rows();
    let mut in_one = 0;
    let mut costs = Vec::new();
    for (domain, ips, selectors) in &rows {
        let parts = report_in_parts(&worker(), &request(domain, ips, selectors));
        let signed: SignedSnapshot = serde_json::from_value(parts.last.clone()).unwrap();
        assert!(
            signed.report().is_ok(),
            "{domain}: the finished snapshot holds the whole report"
        );
        in_one += usize::from(parts.parts == 1);
        costs.push((
            parts.sent.iter().sum::<usize>() + parts.hits,
            domain.clone(),
        ));
    }
    costs.sort();
    eprintln!(
        "full-report fixtures: {in_one} of {} in one request at the Free budget; queries per \
         report (cache hits + subrequests) median {}, max {} ({})",
        rows.len(),
        costs[costs.len() / 2].0,
        costs[costs.len() - 1].0,
        costs[costs.len() - 1].1
    );
    assert!(
        in_one * 10 >= rows.len() * 9,
        "{in_one} of {} reports fit one invocation",
        rows.len()
    );
}

#[test]
fn with_eight_subrequests_a_report_comes_in_parts_and_ends_as_one() {
    if !crate::client::harness_present(
        "with_eight_subrequests_a_report_comes_in_parts_and_ends_as_one",
    ) {
        return;
    }
    for (domain, ips) in [
        ("vendor-customer.test", vec![]),
        ("mta-sts-testing.report.test", vec![]),
        ("clean.report.test", vec!["192.0.2.95".to_owned()]),
    ] {
        let request = request(domain, &ips, &[]);
        let tiny = report_in_parts(&tiny(), &request);
        assert!(tiny.parts > 1, "{domain}: {} part(s)", tiny.parts);
        assert!(tiny.sent.iter().all(|&sent| sent <= 8), "{:?}", tiny.sent);
        let whole = report_in_parts(&worker(), &request);
        assert_eq!(
            tiny.last["snapshot"], whole.last["snapshot"],
            "{domain}: the same answers in parts as in one go"
        );
        let (tiny, whole): (SignedSnapshot, SignedSnapshot) = (
            serde_json::from_value(tiny.last).unwrap(),
            serde_json::from_value(whole.last).unwrap(),
        );
        assert_eq!(
            serde_json::to_value(tiny.report().unwrap()).unwrap(),
            serde_json::to_value(whole.report().unwrap()).unwrap(),
            "{domain}: the same report"
        );
    }
}

#[test]
fn an_edited_partial_snapshot_is_not_continued() {
    if !crate::client::harness_present("an_edited_partial_snapshot_is_not_continued") {
        return;
    }
    let first = post(
        &tiny(),
        "/api/report",
        request("dmarc-none.report.test", &[], &[])
            .to_string()
            .as_bytes(),
    );
    assert_eq!(first.status, 200, "{}", first.text());
    let mut json = first.json();
    assert_eq!(
        json["complete"], false,
        "8 subrequests are not enough: {json}"
    );
    json["input"]["domain"] = json!("evil.report.test");
    let reply = post(&tiny(), "/api/report/continue", json.to_string().as_bytes());
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "bad-json");
}

#[test]
fn without_the_cache_api_a_repeated_report_sends_nothing_upstream() {
    if !crate::client::harness_present(
        "without_the_cache_api_a_repeated_report_sends_nothing_upstream",
    ) {
        return;
    }
    let domain = "bimi-invalid.report.test";
    let request = request(domain, &[], &[]);
    let first = report_in_parts(&tiny(), &request);
    assert!(first.sent.iter().sum::<usize>() > 0);
    let upstream_before = upstream_queries_mentioning(domain).len();
    let again = report_in_parts(&tiny(), &request);
    assert_eq!(again.parts, 1, "every answer from the isolate's memory");
    assert_eq!(again.sent, [0], "no subrequest");
    assert_eq!(
        upstream_queries_mentioning(domain).len(),
        upstream_before,
        "the DoH server saw no query"
    );
    assert_eq!(again.last["snapshot"], first.last["snapshot"]);
}

#[test]
fn a_batch_larger_than_the_budget_answers_the_rest_as_failures() {
    if !crate::client::harness_present(
        "a_batch_larger_than_the_budget_answers_the_rest_as_failures",
    ) {
        return;
    }
    let queries: Vec<Value> = (0..20)
        .map(|n| json!({ "name": format!("budget-{n}-{}.report.test", std::process::id()), "type": "TXT" }))
        .collect();
    let reply = post(
        &tiny(),
        "/api/dns",
        json!({ "queries": queries }).to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let (sent, peak, limit) = subrequests(&reply);
    assert_eq!((sent, limit), (8, 8));
    assert!((2..=6).contains(&peak), "peak {peak}");
    let answers = reply.json()["answers"].as_array().unwrap().clone();
    assert_eq!(answers.len(), 20);
    let failed = answers
        .iter()
        .filter(|a| a["answer"]["status"] == "failed")
        .count();
    assert_eq!(
        failed, 12,
        "past the budget: could not verify, never missing"
    );
}

#[test]
fn under_a_tight_budget_the_critical_queries_leave_first() {
    if !crate::client::harness_present("under_a_tight_budget_the_critical_queries_leave_first") {
        return;
    }
    // The first part of a report with 8 subrequests: the planner's first round asks the domain's
    // TXT, MX, DMARC and MTA-STS records (which unblock later rounds) and leaves (DKIM keys,
    // BIMI, TLS-RPT); the critical ones must be among the 8 that went out.
    let domain = "dmarc-pct-partial.report.test";
    let reply = post(
        &tiny(),
        "/api/report",
        request(domain, &[], &[]).to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    assert_eq!(json["complete"], false, "{json}");
    let asked: Vec<String> = json["snapshot"]["answers"]["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("answers: {}", json["snapshot"]["answers"]))
        .iter()
        .map(|entry| {
            format!(
                "{} {}",
                entry["query"]["type"].as_str().unwrap_or("?"),
                entry["query"]["name"].as_str().unwrap_or("?")
            )
        })
        .collect();
    for critical in [
        format!("TXT {domain}"),
        format!("MX {domain}"),
        format!("TXT _dmarc.{domain}"),
        format!("TXT _mta-sts.{domain}"),
    ] {
        assert!(
            asked.contains(&critical),
            "{critical} not in the first part: {asked:?}"
        );
    }
}
