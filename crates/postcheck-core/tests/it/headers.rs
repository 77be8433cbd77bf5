//! The header sets of tests/headers: each is read by `headers::analyze` and must give what the
//! table in tests/headers/README.md says.

use crate::table::rows;
use postcheck_core::findings::Code;
use postcheck_core::headers::{self, Alignment};

fn word(alignment: Alignment) -> &'static str {
    match alignment {
        Alignment::Strict => "strict",
        Alignment::Relaxed => "relaxed",
        Alignment::No => "no",
    }
}

#[test]
fn every_header_set_is_read_as_the_table_says() {
    let mut count = 0;
    let mut failures = Vec::new();
    for (file, text, cells) in rows("headers") {
        let report = headers::analyze(&text);
        count += 1;
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
        // The sets are headers as servers write them: Exchange's forms are read with an info
        // finding, never a syntax error.
        for ar in &report.authentication_results {
            for finding in &ar.diagnostics {
                if finding.code == Code::AuthresSyntaxError {
                    failures.push(format!("{file}: {finding:?}"));
                }
            }
        }
        for ((name, want), got) in names.iter().zip(&cells).zip(&got) {
            if want != got {
                failures.push(format!("{file}: {name} expected {want:?}, got {got:?}"));
            }
        }
    }
    assert!(count >= 10, "only {count} header sets");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
