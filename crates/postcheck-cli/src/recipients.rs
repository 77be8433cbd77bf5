//! `postcheck recipients`: checks a list of recipient addresses (one per line, several per
//! line, or a CSV column) for syntax, whether each domain takes mail, typos and duplicates,
//! and prints a table, CSV or JSON with a summary. Each distinct domain is asked once, at most
//! [`CONCURRENCY`] at a time; no mailbox is ever probed over SMTP.

use crate::net::resolver::Resolver;
use postcheck_core::dns::AnswerCache;
use postcheck_core::findings::Severity;
use postcheck_core::messages::{self, Lang};
use postcheck_core::recipients::{self, Column, ListReport};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

/// DNS queries in flight at once.
const CONCURRENCY: usize = 64;
/// Rounds of lookups: MX, then the address records of domains without MX.
const MAX_ROUNDS: usize = 4;

/// How to print the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// Runs the subcommand: exit status 1 when an address cannot receive mail as written.
pub fn run(
    file: Option<&str>,
    column: Option<&str>,
    format: Format,
    lang: Lang,
    resolver: &Resolver,
) -> anyhow::Result<ExitCode> {
    let text = crate::pasted::read(file)
        .map_err(|error| anyhow::anyhow!("{}: {error}", file.unwrap_or("-")))?;
    let column = match column {
        None => Column::Any,
        Some(text) => match text.trim().parse::<usize>() {
            Ok(0) => anyhow::bail!("--column counts from 1"),
            Ok(number) => Column::Index(number - 1),
            Err(_) => Column::Header(text.to_owned()),
        },
    };
    let (entries, skipped) = recipients::read_list(&text, &column).map_err(|header| {
        anyhow::anyhow!(
            "--column {:?}: the first line has no such column (it has: {})",
            column_name(&column),
            header.join(", ")
        )
    })?;
    let report = check(&entries, skipped, resolver)?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{:#}", json(&report, lang))?,
        Format::Csv => write!(out, "{}", recipients::to_csv(&report, lang))?,
        Format::Table => write!(out, "{}", table(&report, lang))?,
    }
    out.flush()?;
    let errors = report
        .rows
        .iter()
        .any(|row| row.severity() >= Severity::Error);
    Ok(if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn column_name(column: &Column) -> String {
    match column {
        Column::Header(name) => name.clone(),
        Column::Index(index) => (index + 1).to_string(),
        Column::Any => String::new(),
    }
}

fn to_ascii(name: &str) -> Option<String> {
    idna::domain_to_ascii(name).ok()
}

/// Asks what the core needs, round by round, until it can judge the whole list.
fn check(
    entries: &[recipients::Entry],
    skipped: usize,
    resolver: &Resolver,
) -> anyhow::Result<ListReport> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(crate::plain)?;
    let mut cache = AnswerCache::new();
    for _ in 0..MAX_ROUNDS {
        match recipients::check(entries, skipped, &cache, &to_ascii) {
            Ok(report) => return Ok(report),
            Err(queries) => {
                for chunk in queries.chunks(CONCURRENCY) {
                    for (query, answer) in runtime.block_on(resolver.resolve_all(chunk)) {
                        cache.insert(query, answer);
                    }
                }
            }
        }
    }
    anyhow::bail!("the lookups did not converge")
}

fn json(report: &ListReport, lang: Lang) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = report
        .rows
        .iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).unwrap_or_default();
            value["severity"] = row.severity().as_str().into();
            if let Some(findings) = value["findings"].as_array_mut() {
                for (finding, source) in findings.iter_mut().zip(&row.findings) {
                    finding["message"] = messages::message(source, lang).into();
                }
            }
            value
        })
        .collect();
    let summary = crate::render::summary_json(&report.summary);
    serde_json::json!({
        "rows": rows,
        "summary": summary,
        "skipped": report.skipped,
    })
}

fn table(report: &ListReport, lang: Lang) -> String {
    let mut out = String::new();
    for row in &report.rows {
        let shown = row
            .address
            .as_ref()
            .map_or_else(|| row.input.clone(), |a| a.text());
        let _ = writeln!(
            out,
            "{:>5}  [{}] {shown}",
            row.line,
            row.severity().as_str()
        );
        for finding in &row.findings {
            let _ = writeln!(out, "         {}", messages::message(finding, lang));
        }
    }
    out.push_str(&crate::render::summary_lines(
        &report.summary,
        report.rows.len(),
        lang,
    ));
    if report.skipped > 0 {
        let _ = writeln!(
            out,
            "  {:>6}  {}",
            report.skipped,
            if lang == Lang::De {
                "nicht geprüft (zu viele Einträge)"
            } else {
                "not checked (too many entries)"
            }
        );
    }
    out
}
