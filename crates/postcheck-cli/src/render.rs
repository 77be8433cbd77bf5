//! Human output: the actions first, then each check with its records (carets under each
//! finding's span), the include tree, the results per IP, and every finding, in German or English.

use postcheck_core::findings::{Code, Family, Finding, Severity};
use postcheck_core::messages::{self, Lang, UiText};
use postcheck_core::report::Report;
use postcheck_core::spf::analyze::{NodeStatus, SpfNode};
use std::fmt::Write as _;

/// Renders the whole report as text for a terminal.
pub fn human(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "postcheck — {}: {}  [{}]",
        messages::ui(UiText::DomainLabel, lang),
        report.domain,
        messages::severity_label(report.verdict, lang)
    );
    let _ = writeln!(out, "{}", messages::headline(report, lang));
    if let Some(host) = report.host() {
        let _ = writeln!(
            out,
            "{}: {}",
            messages::ui(UiText::DnsHost, lang),
            host.name
        );
    }
    let _ = writeln!(out);
    actions_section(&mut out, report, lang);
    records_section(&mut out, report, lang);
    tree_section(&mut out, report, lang);
    results_section(&mut out, report, lang);
    findings_section(&mut out, report, lang);
    out
}

fn marker(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "✓",
        Severity::Info => "i",
        Severity::Warning => "!",
        Severity::Error => "✗",
    }
}

/// The summary: what to do, most important first, with the exact record to publish.
fn actions_section(out: &mut String, report: &Report, lang: Lang) {
    if report.actions.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", messages::ui(UiText::WhatToChange, lang));
    for (index, action) in report.actions.iter().enumerate() {
        let localized = postcheck_core::actions::LocalizedAction::new(action, report, lang);
        let _ = writeln!(out, "  {}. {} [{}]", index + 1, localized.text, action.code);
        let _ = writeln!(
            out,
            "       {}: {}",
            messages::ui(UiText::WhoActs, lang),
            localized.who
        );
        if let Some(record) = &action.record {
            let _ = writeln!(
                out,
                "       {} {} {}",
                record.name,
                record.record_type,
                quoted(&record.record_type, &record.value)
            );
        }
        if let Some(publish) = &localized.publish {
            for (step, text) in publish.steps.iter().enumerate() {
                let _ = writeln!(out, "       {}) {text}", step + 1);
            }
            if let Some(help) = publish.help {
                let _ = writeln!(out, "       {}: {help}", messages::ui(UiText::Help, lang));
            }
        }
    }
    let _ = writeln!(out);
}

fn quoted(record_type: &str, value: &str) -> String {
    if record_type == "TXT" {
        format!("\"{value}\"")
    } else {
        value.to_owned()
    }
}

/// Every record the report read, each with a caret line under each finding's span.
fn records_section(out: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(out, "{}", messages::ui(UiText::Records, lang));
    // A name that does not exist has no records to speak of: its one finding says so.
    let exists = !report
        .findings
        .iter()
        .any(|f| f.code == Code::DomainNotFound);
    if report.spf.record.is_none() && exists {
        let label = if report.spf.tree.status == NodeStatus::LookupFailed {
            messages::ui(UiText::CouldNotVerify, lang)
        } else {
            messages::ui(UiText::NoRecord, lang)
        };
        let _ = writeln!(out, "  {} SPF: {label}", report.domain);
    }
    for (owner, family, text) in report.records() {
        let spanned: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| {
                f.domain.as_deref() == Some(owner.as_str())
                    && f.span.is_some()
                    && f.code.family() == family
            })
            .collect();
        let _ = writeln!(out, "  {owner} ({}):", record_kind(family));
        // Multi-line texts (an MTA-STS policy) get their carets under the line the span is on.
        let mut line_start = 0;
        for line in text.split('\n') {
            let line_end = line_start + line.len();
            let shown = line.trim_end_matches('\r');
            let _ = writeln!(out, "    {shown}");
            for finding in &spanned {
                let span = finding.span.expect("filtered");
                if span.start < line_start || span.start > line_end {
                    continue;
                }
                let end = span.end.min(line_start + shown.len()).max(span.start);
                let start = line
                    .get(..span.start - line_start)
                    .map_or(0, |s| s.chars().count());
                let width = text
                    .get(span.start..end)
                    .map_or(end - span.start, |s| s.chars().count())
                    .max(1);
                let _ = writeln!(
                    out,
                    "    {}{} {} {}",
                    " ".repeat(start),
                    "^".repeat(width),
                    marker(finding.severity),
                    finding.code
                );
            }
            line_start = line_end + 1;
        }
    }
    let _ = writeln!(out);
}

/// The include/redirect tree with lookups per node (own / with everything below).
fn tree_section(out: &mut String, report: &Report, lang: Lang) {
    if report.spf.tree.status != NodeStatus::Record {
        return;
    }
    let _ = writeln!(
        out,
        "{} ({}: {}/10, {}: {}/2)",
        messages::ui(UiText::IncludeTree, lang),
        messages::ui(UiText::Lookups, lang),
        report.spf.lookups,
        messages::ui(UiText::VoidLookups, lang),
        report.spf.void_lookups
    );
    tree_node(out, &report.spf.tree, "", true, true, lang);
    let _ = writeln!(out);
}

fn tree_node(out: &mut String, node: &SpfNode, prefix: &str, last: bool, root: bool, lang: Lang) {
    let branch = if root {
        "  "
    } else if last {
        "  └─ "
    } else {
        "  ├─ "
    };
    let label = match &node.via {
        Some(via) => via.clone(),
        None => node.domain.clone(),
    };
    let status = match node.status {
        NodeStatus::Record => format!(
            "{} {}/{}",
            messages::ui(UiText::Lookups, lang),
            node.lookups,
            node.total_lookups
        ),
        NodeStatus::NoRecord => messages::ui(UiText::NoRecord, lang).to_owned(),
        NodeStatus::LookupFailed => messages::ui(UiText::CouldNotVerify, lang).to_owned(),
        NodeStatus::MultipleRecords => "spf-multiple-records".to_owned(),
        NodeStatus::Loop => "spf-include-loop".to_owned(),
        NodeStatus::Dynamic => "macro".to_owned(),
        NodeStatus::NotFollowed => "…".to_owned(),
    };
    let _ = writeln!(out, "{prefix}{branch}{label}  [{status}]");
    let child_prefix = if root {
        prefix.to_owned()
    } else if last {
        format!("{prefix}     ")
    } else {
        format!("{prefix}  │  ")
    };
    for (index, child) in node.children.iter().enumerate() {
        tree_node(
            out,
            child,
            &child_prefix,
            index + 1 == node.children.len(),
            false,
            lang,
        );
    }
}

fn results_section(out: &mut String, report: &Report, lang: Lang) {
    for result in &report.spf.results {
        let _ = write!(
            out,
            "{} {}: {}",
            messages::ui(UiText::ResultFor, lang),
            result.ip,
            messages::result_label(result.result.as_str(), lang)
        );
        if let Some(term) = &result.term {
            let _ = write!(out, " — {} {term}", messages::ui(UiText::DecidedBy, lang));
            if let Some(domain) = &result.domain
                && domain != &report.domain
            {
                let _ = write!(out, " ({domain})");
            }
        }
        let _ = writeln!(out);
    }
    if !report.spf.results.is_empty() {
        let _ = writeln!(out);
    }
}

fn findings_section(out: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(out, "{}", messages::ui(UiText::Findings, lang));
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "  {} {:<8} {}: {}",
            marker(finding.severity),
            messages::severity_label(finding.severity, lang),
            finding.code,
            messages::message(finding, lang)
        );
    }
}

/// What a record is, as the records' list names it.
fn record_kind(family: Family) -> &'static str {
    match family {
        Family::Spf => "SPF",
        Family::Dmarc => "DMARC",
        Family::Dkim => "DKIM",
        Family::MtaSts => "MTA-STS",
        Family::TlsRpt => "TLSRPT",
        Family::Bimi => "BIMI",
        _ => "",
    }
}

/// A list's summary as JSON: each code with its count, in catalog order.
pub fn summary_json(summary: &[(Code, usize)]) -> serde_json::Value {
    summary
        .iter()
        .map(|(code, count)| (code.as_str().to_owned(), serde_json::Value::from(*count)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// A list's summary under the table: a heading with the number of rows, then each code with
/// its count.
pub fn summary_lines(summary: &[(Code, usize)], rows: usize, lang: Lang) -> String {
    let heading = if lang == Lang::De {
        "Zusammenfassung"
    } else {
        "Summary"
    };
    let mut out = format!("\n{heading} ({rows}):\n");
    for (code, count) in summary {
        let _ = writeln!(out, "  {count:>6}  {}", code.as_str());
    }
    out
}
