//! Every SPF code of the catalog (docs/FINDINGS.md) against the fixture zones, through plain DNS and DoH alike.
//!
//! The table is the contract of `tests/zones/README.md`: for each fixture domain, the codes the
//! report must hold, codes it must not hold, the exit status, and SPF results for sending IPs.

use crate::cli::bed_present;
use crate::cli::{
    TRANSPORTS, Transport, check_json, codes, contract_table, postcheck, transport_args,
};
use postcheck_core::findings::{Code, Family};
use serde_json::Value;

/// One row of the contract table in `tests/zones/README.md`.
#[derive(Debug)]
struct Row {
    domain: String,
    record: Option<String>,
    /// (code, exact count if given, required)
    codes: Vec<(String, Option<usize>, bool)>,
    must_not: Vec<String>,
    lookups: Option<u64>,
    /// (ip, result, deciding term, domain holding the term)
    results: Vec<(String, String, Option<String>, Option<String>)>,
}

fn cell(text: &str) -> &str {
    text.trim().trim_matches('`')
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for cells in contract_table("| domain | record |", 6) {
        let codes = cells[2]
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                let required = !c.contains("*(may)*");
                let c = c.replace("*(may)*", "");
                let mut parts = c.split('×');
                let code = parts.next().unwrap().trim().to_owned();
                let count = parts.next().map(|n| n.trim().parse().expect("count"));
                (code, count, required)
            })
            .collect();
        let must_not = cells[3]
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        let results = cells[5]
            .split(';')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| {
                let (ip, rest) = r.split_once(" → ").expect("ip → result");
                let mut words = rest.split_whitespace();
                let result = words.next().expect("result").to_owned();
                let mut term = None;
                let mut domain = None;
                while let Some(word) = words.next() {
                    match word {
                        "by" => term = words.next().map(str::to_owned),
                        "in" => domain = words.next().map(str::to_owned),
                        other => panic!("unexpected {other} in {r}"),
                    }
                }
                (ip.trim().to_owned(), result, term, domain)
            })
            .collect();
        rows.push(Row {
            domain: cell(cells[0]).to_owned(),
            record: Some(cell(cells[1]).to_owned()).filter(|r| r != "…"),
            codes,
            must_not,
            lookups: cell(cells[4]).parse().ok(),
            results,
        });
    }
    assert!(
        rows.len() >= 40,
        "the contract table was read ({} rows)",
        rows.len()
    );
    rows
}

/// The codes of the report's findings, and their severities.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The domain check without a sending IP: codes, record, lookups, spans, exit status.
fn verify_codes(row: &Row, transport: Transport) {
    let run = check_json(&row.domain, transport, &[]);
    let report = run.json();
    let found = findings(&report);
    let context = format!(
        "{} via {transport:?}: {found:?}\nstderr: {}",
        row.domain, run.stderr
    );
    for (code, count, required) in &row.codes {
        let n = found.iter().filter(|(c, _)| c == code).count();
        if *required {
            assert!(n > 0, "{code} missing for {context}");
        }
        if let Some(count) = count {
            assert_eq!(n, *count, "number of {code} for {context}");
        }
    }
    let listed = |code: &str| row.codes.iter().any(|(c, _, _)| c == code);
    for (code, severity) in &found {
        assert!(
            !row.must_not.contains(code),
            "{code} reported where it does not apply: {context}"
        );
        let forbidden = (severity == "error"
            || severity == "warning"
            || code == "spf-ok"
            || code == "spf-unknown-modifier")
            && code.starts_with("spf-")
            && !listed(code);
        assert!(!forbidden, "unexpected {code} ({severity}) for {context}");
    }
    if let Some(record) = &row.record {
        assert_eq!(
            report["spf"]["record"].as_str(),
            Some(record.as_str()),
            "{context}"
        );
    }
    if let Some(lookups) = row.lookups {
        assert_eq!(
            report["spf"]["lookups"].as_u64(),
            Some(lookups),
            "lookups for {context}"
        );
    }
    for finding in report["findings"].as_array().unwrap() {
        assert!(
            finding["message"].as_str().is_some_and(|m| !m.is_empty()),
            "message for {finding}"
        );
        if let Some(span) = finding.get("span") {
            let domain = finding["domain"]
                .as_str()
                .expect("a span names its record's domain");
            let record = record_text(&report["spf"]["tree"], domain)
                .expect("the spanned record is in the tree");
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            assert!(
                start <= end && end <= record.len(),
                "span {start}..{end} inside {record:?}"
            );
        }
    }
    let root_failed = report["spf"]["tree"]["status"] == "lookup-failed";
    let has_error = found.iter().any(|(_, severity)| severity == "error");
    let expected_exit = if root_failed { 2 } else { i32::from(has_error) };
    assert_eq!(run.status, expected_exit, "exit status for {context}");
}

/// The check with every sending IP of the row: result, deciding term and the IP finding.
fn verify_results(row: &Row, transport: Transport) {
    if row.results.is_empty() {
        return;
    }
    let mut extra = Vec::new();
    for (ip, ..) in &row.results {
        extra.push("--ip");
        extra.push(ip.as_str());
    }
    let run = check_json(&row.domain, transport, &extra);
    let report = run.json();
    let context = format!("{} via {transport:?}\nstderr: {}", row.domain, run.stderr);
    let results = report["spf"]["results"].as_array().unwrap();
    assert_eq!(results.len(), row.results.len(), "{context}");
    for (ip, result, term, domain) in &row.results {
        let got = results
            .iter()
            .find(|r| r["ip"] == ip.as_str())
            .unwrap_or_else(|| panic!("no result for {ip}"));
        assert_eq!(got["result"], result.as_str(), "result for {ip}: {context}");
        if let Some(term) = term {
            assert_eq!(
                got["term"],
                term.as_str(),
                "deciding term for {ip}: {context}"
            );
            let holder = domain.as_deref().unwrap_or(&row.domain);
            assert_eq!(
                got["domain"], holder,
                "record holding the term for {ip}: {context}"
            );
        }
        let ip_finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["params"]["ip"] == ip.as_str()
                    && f["code"].as_str().is_some_and(|c| c.starts_with("spf-ip-"))
            })
            .map(|f| f["code"].as_str().unwrap().to_owned());
        let expected = match result.as_str() {
            "pass" => Some("spf-ip-pass"),
            "fail" | "softfail" | "neutral" => Some("spf-ip-not-authorized"),
            _ => None,
        };
        assert_eq!(
            ip_finding.as_deref(),
            expected,
            "IP finding for {ip}: {context}"
        );
    }
}

fn record_text<'a>(node: &'a Value, domain: &str) -> Option<&'a str> {
    if node["domain"] == domain {
        return node["record"].as_str();
    }
    node["children"]
        .as_array()?
        .iter()
        .find_map(|child| record_text(child, domain))
}

#[test]
fn every_fixture_through_plain_dns() {
    if !bed_present("every_fixture_through_plain_dns") {
        return;
    }
    for row in rows() {
        verify_codes(&row, Transport::Dns);
        verify_results(&row, Transport::Dns);
    }
}

#[test]
fn every_fixture_through_doh() {
    if !bed_present("every_fixture_through_doh") {
        return;
    }
    for row in rows() {
        verify_codes(&row, Transport::Doh);
        verify_results(&row, Transport::Doh);
    }
}

#[test]
fn every_spf_code_of_the_catalog_has_a_fixture() {
    if !bed_present("every_spf_code_of_the_catalog_has_a_fixture") {
        return;
    }
    let rows = rows();
    let mut covered: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.codes.iter().map(|(c, _, _)| c.as_str()))
        .collect();
    // The IP findings follow from the results column.
    if rows
        .iter()
        .flat_map(|r| &r.results)
        .any(|(_, result, _, _)| result == "pass")
    {
        covered.push("spf-ip-pass");
    }
    if rows
        .iter()
        .flat_map(|r| &r.results)
        .any(|(_, result, _, _)| result == "fail")
    {
        covered.push("spf-ip-not-authorized");
    }
    for code in Code::ALL.iter().filter(|code| code.family() == Family::Spf) {
        let code = code.as_str();
        assert!(covered.contains(&code), "no fixture produces {code}");
    }
}

#[test]
fn the_domains_own_lookup_failing_is_could_not_verify() {
    if !bed_present("the_domains_own_lookup_failing_is_could_not_verify") {
        return;
    }
    for transport in TRANSPORTS {
        for domain in ["servfail.test", "timeout.test"] {
            let run = check_json(domain, transport, &["--ip", "192.0.2.10"]);
            let report = run.json();
            // Nothing about the domain could be checked: one finding says so (the sending IP's
            // own checks, PTR and blocklists, are other zones').
            let found: Vec<String> = codes(&report)
                .into_iter()
                .filter(|c| !c.starts_with("ptr-") && !c.starts_with("dnsbl-"))
                .collect();
            assert_eq!(
                found,
                ["domain-lookup-failed"],
                "{domain} via {transport:?}"
            );
            assert!(
                !codes(&report)
                    .iter()
                    .any(|c| c == "dmarc-none" || c == "mx-none"),
                "a failure is never 'missing'"
            );
            assert_eq!(report["spf"]["results"][0]["result"], "temperror");
            assert_eq!(run.status, 2, "could not run: {domain} via {transport:?}");
            assert!(!run.stderr.is_empty());
        }
    }
}

#[test]
fn truncated_udp_answers_are_fetched_over_tcp() {
    if !bed_present("truncated_udp_answers_are_fetched_over_tcp") {
        return;
    }
    let run = check_json("truncated.spf.test", Transport::Dns, &[]);
    let report = run.json();
    let record = report["spf"]["record"]
        .as_str()
        .expect("the record arrived whole");
    assert!(
        record.len() > 1232,
        "the fixture must not fit a 1232-byte UDP answer"
    );
    assert!(record.starts_with("v=spf1 ") && record.ends_with("-all"));
}

#[test]
fn human_output_in_german_and_english() {
    if !bed_present("human_output_in_german_and_english") {
        return;
    }
    for (lang, result_line, heading) in [
        ("en", "SPF result for 203.0.113.250: ", "What to change"),
        (
            "de",
            "SPF-Ergebnis für 203.0.113.250: ",
            "Was Sie ändern sollten",
        ),
    ] {
        let mut args: Vec<String> = [
            "check",
            "invalid-cidr.spf.test",
            "--lang",
            lang,
            "--ip",
            "203.0.113.250",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(transport_args(Transport::Dns));
        let run = postcheck(&args);
        assert_eq!(run.status, 1, "{}", run.stderr);
        let text = run.stdout;
        // The record, then a caret line under the bad prefix length.
        let record_line = text
            .lines()
            .find(|l| l.contains("v=spf1"))
            .expect("record shown");
        let caret_line = text
            .lines()
            .find(|l| l.contains("^^^ "))
            .expect("caret line");
        let column = record_line.find("/33").expect("span text in record");
        assert_eq!(
            caret_line.find('^'),
            Some(column),
            "caret under the span:\n{text}"
        );
        assert!(caret_line.contains("spf-invalid-cidr"));
        assert!(text.contains(result_line), "{lang}: {text}");
        assert!(text.contains(heading), "{lang}: {text}");
    }
}

#[test]
fn unusable_input_exits_2_with_a_message() {
    if !bed_present("unusable_input_exits_2_with_a_message") {
        return;
    }
    let long_label = format!("{}.test", "a".repeat(64));
    let long_name = format!("{}test", "abcdefghi.".repeat(26));
    for input in [
        "",
        "   ",
        &long_label,
        &long_name,
        "exa mple.test",
        "user@",
        "bad$name.test",
    ] {
        let mut args = vec!["check".to_owned(), input.to_owned()];
        args.extend(transport_args(Transport::Dns));
        let run = postcheck(&args);
        assert_eq!(run.status, 2, "input {input:?}");
        assert!(run.stdout.is_empty(), "no report for {input:?}");
        assert!(
            run.stderr.starts_with("postcheck: "),
            "{input:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn email_addresses_urls_and_trailing_dots_reach_the_same_domain() {
    if !bed_present("email_addresses_urls_and_trailing_dots_reach_the_same_domain") {
        return;
    }
    for input in [
        "postmaster@ok.spf.test",
        "https://ok.spf.test/impressum",
        // A website's address leads to the mail domain, not to its web server's name.
        "https://www.ok.spf.test/kontakt",
        "OK.SPF.TEST.",
    ] {
        let run = check_json(input, Transport::Doh, &[]);
        assert_eq!(run.json()["domain"], "ok.spf.test", "{input}");
    }
}
