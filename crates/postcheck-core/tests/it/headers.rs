//! The header sets of tests/headers: each is read by `headers::analyze` and must give what the
//! table in tests/headers/README.md says.

use postcheck_core::headers::{self, Alignment};
use std::path::PathBuf;

fn sets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/headers")
}

fn word(alignment: Alignment) -> &'static str {
    match alignment {
        Alignment::Strict => "strict",
        Alignment::Relaxed => "relaxed",
        Alignment::No => "no",
    }
}

#[test]
fn every_header_set_is_read_as_the_table_says() {
    let table = std::fs::read_to_string(sets().join("README.md")).unwrap();
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let cells = &cells[1..cells.len() - 1];
        let file = cells[0].trim_matches('`');
        let report = headers::analyze(&std::fs::read_to_string(sets().join(file)).unwrap());
        rows += 1;
        let result_of = |method: &str| {
            report
                .authentication_results
                .iter()
                .flat_map(|ar| &ar.results)
                .filter(|r| r.method == method)
                .map(|r| r.result.clone())
                .collect::<Vec<_>>()
                .first()
                .cloned()
                .unwrap_or_default()
        };
        let got = [
            result_of("spf"),
            result_of("dkim"),
            result_of("dmarc"),
            report.from_domain.clone().unwrap_or_default(),
            report.return_path_domain.clone().unwrap_or_default(),
            report
                .spf_alignment
                .map(word)
                .unwrap_or_default()
                .to_owned(),
            report
                .dkim_signatures
                .iter()
                .zip(&report.dkim_alignment)
                .map(|(s, (_, a))| format!("{}/{}:{}", s.domain, s.selector, word(*a)))
                .collect::<Vec<_>>()
                .join(" "),
            report.hops.len().to_string(),
            report
                .hops
                .iter()
                .filter_map(|h| h.delay)
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(","),
            if report.whole_message { "yes" } else { "no" }.to_owned(),
        ];
        let names = [
            "spf",
            "dkim",
            "dmarc",
            "from",
            "return-path",
            "spf alignment",
            "dkim",
            "hops",
            "delays",
            "whole",
        ];
        for ((name, want), got) in names.iter().zip(&cells[1..]).zip(&got) {
            if want != got {
                failures.push(format!("{file}: {name} expected {want:?}, got {got:?}"));
            }
        }
    }
    assert!(rows >= 10, "only {rows} header sets");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
