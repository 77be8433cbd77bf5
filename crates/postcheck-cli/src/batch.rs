//! Bulk mode: many domains with bounded concurrency, one JSON line each, in input order.

use crate::Setup;
use crate::driver::run_check;
use postcheck_core::input::parse_domain_input;
use postcheck_core::messages;
use postcheck_core::report::CheckInput;
use serde_json::json;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Checks every domain of `file` (`-`: standard input). Exit status: 0 when every line was a
/// domain without error findings, 1 when a domain has errors or a line was unusable, 2 when the
/// file cannot be read (the error). A failed write (the reader has gone) ends the batch.
pub async fn run(setup: &Setup, file: &str, concurrency: usize) -> anyhow::Result<ExitCode> {
    let lines = read_lines(file).map_err(|error| anyhow::anyhow!("cannot read {file}: {error}"))?;
    let semaphore = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut jobs = Vec::new();
    for (index, line) in lines.into_iter().enumerate() {
        let text = line.trim().to_owned();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let number = index + 1;
        match parse_domain_input(&text) {
            Err(error) => jobs.push(Job::Unusable {
                number,
                text,
                message: messages::input_error(&error, setup.lang),
            }),
            Ok(domain) => {
                let input = CheckInput {
                    domain,
                    ..setup.template.clone()
                };
                let resolver = setup.resolver.clone();
                let fetcher = setup.fetcher.clone();
                let semaphore = Arc::clone(&semaphore);
                let handle = tokio::spawn(async move {
                    let _permit = semaphore.acquire_owned().await;
                    run_check(&resolver, &fetcher, input).await.0
                });
                jobs.push(Job::Check {
                    number,
                    text,
                    handle,
                });
            }
        }
    }
    let mut all_clean = true;
    let stdout = std::io::stdout();
    for job in jobs {
        let line = match job {
            Job::Unusable {
                number,
                text,
                message,
            } => {
                all_clean = false;
                json!({ "line": number, "input": text, "error": { "code": "input-invalid", "message": message } })
            }
            Job::Check {
                number,
                text,
                handle,
            } => match handle.await {
                Ok(report) => {
                    all_clean &= !report.has_errors();
                    let mut value =
                        serde_json::to_value(report.localized(setup.lang)).unwrap_or_default();
                    if let Some(object) = value.as_object_mut() {
                        object.insert("line".into(), json!(number));
                        object.insert("input".into(), json!(text));
                    }
                    value
                }
                Err(error) => {
                    all_clean = false;
                    json!({ "line": number, "input": text, "error": { "code": "check-failed", "message": error.to_string() } })
                }
            },
        };
        let mut out = stdout.lock();
        writeln!(out, "{line}")?;
        out.flush()?;
    }
    Ok(if all_clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

enum Job {
    Unusable {
        number: usize,
        text: String,
        message: String,
    },
    Check {
        number: usize,
        text: String,
        handle: tokio::task::JoinHandle<postcheck_core::report::Report>,
    },
}

fn read_lines(file: &str) -> std::io::Result<Vec<String>> {
    if file == "-" {
        std::io::stdin().lock().lines().collect()
    } else {
        let text = std::fs::read(file)?;
        Ok(String::from_utf8_lossy(&text)
            .lines()
            .map(str::to_owned)
            .collect())
    }
}
