//! The full domain report against the fixture zones: the second contract table of
//! `tests/zones/README.md` (DMARC, DKIM, MX, sending server, transport), through plain DNS and
//! DoH alike, and the clean domains without any warning or error.

use crate::cli::bed_present;
use crate::cli::{Transport, check_json, contract_table};
use postcheck_core::findings::{Code, Family};
use serde_json::Value;

/// One entry of a codes cell: `code`, `code ×N` or `code (severity) ×N`.
#[derive(Debug, Clone)]
struct Entry {
    code: String,
    severity: Option<String>,
    count: Option<usize>,
}

impl Entry {
    fn parse(text: &str) -> Entry {
        let text = text.trim().trim_matches('`');
        let (text, count) = match text.split_once('×') {
            Some((rest, n)) => (rest.trim(), Some(n.trim().parse().expect("count"))),
            None => (text, None),
        };
        let (code, severity) = match text.split_once(" (") {
            Some((code, severity)) => (
                code.trim(),
                Some(severity.trim_end_matches(')').trim().to_owned()),
            ),
            None => (text, None),
        };
        Entry {
            code: code.to_owned(),
            severity,
            count,
        }
    }

    fn matches(&self, code: &str, severity: &str) -> bool {
        self.code == code && self.severity.as_deref().is_none_or(|s| s == severity)
    }
}

/// One row: domain, extra arguments, findings that must appear, findings that must not.
#[derive(Debug)]
struct Row {
    domain: String,
    args: Vec<String>,
    codes: Vec<Entry>,
    must_not: Vec<Entry>,
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for cells in contract_table("| domain | args |", 4) {
        let entries = |cell: &str| -> Vec<Entry> {
            cell.split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(Entry::parse)
                .collect()
        };
        rows.push(Row {
            domain: cells[0].trim_matches('`').to_owned(),
            args: cells[1]
                .trim_matches('`')
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            codes: entries(cells[2]),
            must_not: entries(cells[3]),
        });
    }
    assert!(
        rows.len() >= 20,
        "the report contract table was read ({} rows)",
        rows.len()
    );
    rows
}

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

fn verify(row: &Row, transport: Transport) {
    let args: Vec<&str> = row.args.iter().map(String::as_str).collect();
    let run = check_json(&row.domain, transport, &args);
    let report = run.json();
    let found = findings(&report);
    let context = format!(
        "{} {:?} via {transport:?}: {found:?}\nstderr: {}",
        row.domain, row.args, run.stderr
    );
    for entry in &row.codes {
        let n = found.iter().filter(|(c, s)| entry.matches(c, s)).count();
        assert!(n > 0, "{entry:?} missing for {context}");
        if let Some(count) = entry.count {
            assert_eq!(n, count, "number of {entry:?} for {context}");
        }
    }
    for (code, severity) in &found {
        assert!(
            !row.must_not.iter().any(|e| e.matches(code, severity)),
            "{code} ({severity}) reported where it does not apply: {context}"
        );
        // The rule of the table: no warning or error anywhere unless listed.
        if severity == "error" || severity == "warning" {
            assert!(
                row.codes.iter().any(|e| e.matches(code, severity)),
                "unexpected {code} ({severity}) for {context}"
            );
        }
    }
    for action in report["actions"].as_array().expect("actions") {
        assert!(
            action["text"].as_str().is_some_and(|t| !t.is_empty()),
            "action text: {action}"
        );
    }
    let has_error = found.iter().any(|(_, severity)| severity == "error");
    // A domain whose own lookups failed could not be checked: exit status 2 (README).
    let could_not_run = found.iter().any(|(code, _)| code == "domain-lookup-failed");
    assert_eq!(
        run.status,
        if could_not_run {
            2
        } else {
            i32::from(has_error)
        },
        "exit status for {context}"
    );
}

#[test]
fn every_report_fixture_through_plain_dns() {
    if !bed_present("every_report_fixture_through_plain_dns") {
        return;
    }
    for row in rows() {
        verify(&row, Transport::Dns);
    }
}

#[test]
fn every_report_fixture_through_doh() {
    if !bed_present("every_report_fixture_through_doh") {
        return;
    }
    for row in rows() {
        verify(&row, Transport::Doh);
    }
}

#[test]
fn every_catalog_code_outside_spf_has_a_report_fixture() {
    if !bed_present("every_catalog_code_outside_spf_has_a_report_fixture") {
        return;
    }
    let rows = rows();
    let covered: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.codes.iter().map(|e| e.code.as_str()))
        .collect();
    // Codes a `postcheck check` cannot produce against the bed, each with the test that has it.
    let elsewhere = [
        // Only the worker leaves Spamhaus out (public DoH upstreams): gateway's report tests.
        Code::DnsblSkipped,
        // Verifying a pasted message's signatures: postcheck-dkim-verify's tests.
        Code::DkimBodyLengthLimit,
        Code::DkimBodyMissing,
    ];
    for code in Code::ALL {
        // SPF has its own contract table (fixtures.rs); bounces and headers are pasted text
        // (bounce.rs, the core's corpus tests); sender profiles are checked with --profile
        // (profile.rs, and the core's profile tests for the lookup limit and DKIM CNAMEs); SMTP
        // settings come from an SMTP dialogue, not DNS (the core's smtp::explain tests and
        // smtp.rs); recipient lists from `postcheck recipients` (recipients.rs); received reports
        // from `postcheck reports` (reports.rs, and the core's reports tests).
        if matches!(
            code.family(),
            Family::Spf
                | Family::Bounce
                | Family::Headers
                | Family::Profile
                | Family::Smtp
                | Family::Recipient
                | Family::Report
        ) || elsewhere.contains(code)
        {
            continue;
        }
        assert!(
            covered.contains(&code.as_str()),
            "no report fixture produces {}",
            code.as_str()
        );
    }
}
