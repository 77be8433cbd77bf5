//! Bulk mode: one JSON line per domain in input order; unusable lines are reported and skipped.

use crate::cli::bed_present;
use crate::cli::{Transport, postcheck, transport_args};
use serde_json::Value;

#[test]
fn a_batch_reports_every_line_and_skips_bad_ones() {
    if !bed_present("a_batch_reports_every_line_and_skips_bad_ones") {
        return;
    }
    let directory = std::env::temp_dir().join(format!("postcheck-batch-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("domains.txt");
    let long_label = format!("{}.test", "x".repeat(64));
    let list = format!(
        "# customers\nok.spf.test\n\nnot a domain\ninfo@clean.spf.test\n{long_label}\nservfail.test\nnone.spf.test\n"
    );
    std::fs::write(&path, list).unwrap();
    let mut args: Vec<String> = [
        "check",
        "--batch",
        path.to_str().unwrap(),
        "--concurrency",
        "3",
        "--timeout-ms",
        "400",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(transport_args(Transport::Doh));
    let run = postcheck(&args);
    std::fs::remove_dir_all(&directory).unwrap();
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let summary: Vec<(u64, String)> = lines
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["domain"]
                    .as_str()
                    .map_or_else(|| l["error"]["code"].to_string(), str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (2, "ok.spf.test".to_owned()),
            (4, "\"input-invalid\"".to_owned()),
            (5, "clean.spf.test".to_owned()),
            (6, "\"input-invalid\"".to_owned()),
            (7, "servfail.test".to_owned()),
            (8, "none.spf.test".to_owned()),
        ],
        "{}",
        run.stdout
    );
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    let none = &lines[5];
    assert!(
        none["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "spf-none")
    );
    assert_eq!(
        run.status, 1,
        "bad lines and error findings make the batch exit 1"
    );
}
