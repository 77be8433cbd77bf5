//! `postcheck check --stats`: the query count it reports agrees with what the bed's dnsdist
//! received, and the report on standard output is unchanged.

use crate::cli::bed_present;
use crate::cli::{Transport, check_json, postcheck};

/// The lines of the bed's query log that mention `needle`.
fn logged(needle: &str) -> usize {
    let path = std::env::var("POSTCHECK_TEST_QUERY_LOG")
        .expect("POSTCHECK_TEST_QUERY_LOG is not set: run through ./scripts/test");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|line| line.to_ascii_lowercase().contains(needle))
        .count()
}

#[test]
fn stats_count_the_queries_the_server_received() {
    if !bed_present("stats_count_the_queries_the_server_received") {
        return;
    }
    // A domain nobody else asks for (it does not exist: every name under it is NXDOMAIN), so
    // its queries in the shared log are this run's alone.
    let label = format!("stats-probe-{}", std::process::id());
    let domain = format!("{label}.report.test");
    let run = check_json(&domain, Transport::Dns, &["--stats"]);
    let report = run.json();
    assert_eq!(report["domain"], domain.as_str(), "{}", run.stdout);
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("DNS queries"))
        .unwrap_or_else(|| panic!("no statistics line: {}", run.stderr));
    let numbers: Vec<usize> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    let [queries, fetches, rounds] = numbers[..] else {
        panic!("unreadable statistics line: {line}");
    };
    let received = logged(&label);
    // Every query under the probe domain was sent by this run; the report's queries outside it
    // (the DMARC organizational-domain walk, for one) are not in that count.
    assert!(received > 0, "{line}");
    assert!(
        received <= queries,
        "dnsdist received {received} queries for {domain}, the CLI says it sent {queries}"
    );
    assert_eq!(fetches, 0, "no MTA-STS record, no fetch: {line}");
    assert!(
        (1..=queries).contains(&rounds),
        "rounds between 1 and the query count: {line}"
    );
}

#[test]
fn stats_are_for_a_single_check_only() {
    if !bed_present("stats_are_for_a_single_check_only") {
        return;
    }
    let run = postcheck(&[
        "check".into(),
        "--batch".into(),
        "-".into(),
        "--stats".into(),
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--stats"), "{}", run.stderr);
}
