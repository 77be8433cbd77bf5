//! Human output: the record with carets under each finding, the include tree, the results per
//! IP and what to change, in German or English.

use postcheck_core::findings::{Finding, Severity};
use postcheck_core::messages::{self, Lang, UiText};
use postcheck_core::report::Report;
use postcheck_core::spf::analyze::{NodeStatus, SpfNode};
use std::fmt::Write as _;

/// Renders the whole report as text for a terminal.
pub fn human(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "postcheck — {}: {}",
        messages::ui(UiText::DomainLabel, lang),
        report.domain
    );
    let _ = writeln!(out);
    record_section(&mut out, report, lang);
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

/// Each record of the tree that has findings with spans, with a caret line under each span.
fn record_section(out: &mut String, report: &Report, lang: Lang) {
    let _ = writeln!(out, "{}", messages::ui(UiText::Record, lang));
    match &report.spf.record {
        Some(_) => {}
        None => {
            let label = if report.spf.tree.status == NodeStatus::LookupFailed {
                messages::ui(UiText::CouldNotVerify, lang)
            } else {
                messages::ui(UiText::NoRecord, lang)
            };
            let _ = writeln!(out, "  {label}");
        }
    }
    let mut nodes = Vec::new();
    collect_nodes(&report.spf.tree, &mut nodes);
    for node in nodes {
        let Some(text) = &node.record else { continue };
        let spanned: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.domain.as_deref() == Some(node.domain.as_str()) && f.span.is_some())
            .collect();
        if node.domain != report.domain && spanned.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {}:", node.domain);
        let _ = writeln!(out, "    {text}");
        for finding in spanned {
            let span = finding.span.expect("filtered");
            let start = text
                .get(..span.start)
                .map_or(span.start, |s| s.chars().count());
            let width = text
                .get(span.start..span.end)
                .map_or(span.len(), |s| s.chars().count())
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
    }
    let _ = writeln!(out);
}

fn collect_nodes<'a>(node: &'a SpfNode, out: &mut Vec<&'a SpfNode>) {
    out.push(node);
    for child in &node.children {
        collect_nodes(child, out);
    }
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
    let actions: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning && messages::hint(f.code, lang).is_some())
        .collect();
    if !actions.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", messages::ui(UiText::WhatToChange, lang));
        let mut seen = Vec::new();
        for finding in actions {
            if seen.contains(&finding.code) {
                continue;
            }
            seen.push(finding.code);
            let _ = writeln!(
                out,
                "  → {}",
                messages::hint(finding.code, lang).unwrap_or_default()
            );
            let fix = finding.param("fix");
            if !fix.is_empty() {
                let _ = writeln!(out, "      {fix}");
            }
        }
    }
}
