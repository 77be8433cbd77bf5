//! The report planner and the report model: one domain's checks driven to completion in rounds.
//!
//! [`DomainCheck`] runs the SPF tree analysis and one `check_host()` per sending IP on a shared
//! answer cache; each step names every query any of them still needs, so a report costs as many
//! round trips as its longest dependency chain. The [`Report`] is a pure function of the
//! [`CheckInput`] and the answers: the pair (the "snapshot") reproduces it anywhere.

use crate::dns::{Answer, AnswerCache, Query, Step, normalize_name};
use crate::findings::{Code, Finding, Severity, Span};
use crate::messages::{self, Lang};
use crate::spf::analyze::{SpfAnalysis, SpfNode, analyze};
use crate::spf::eval::{SpfInput, SpfResult, TraceEvent, evaluate};
use crate::spf::parse::{self, Mechanism, TermKind};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// What to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInput {
    /// The domain, already reduced to ASCII (see [`crate::input::parse_domain_input`]).
    pub domain: String,
    /// Sending IPs to evaluate SPF for.
    #[serde(default)]
    pub ips: Vec<IpAddr>,
    /// Seconds since the epoch, for `%{t}` (the core has no clock).
    #[serde(default)]
    pub timestamp: u64,
}

/// The planner: step it, answer what it asks, until it hands back the report.
#[derive(Debug, Clone)]
pub struct DomainCheck {
    input: CheckInput,
    cache: AnswerCache,
}

impl DomainCheck {
    pub fn new(input: CheckInput) -> Self {
        DomainCheck {
            input,
            cache: AnswerCache::new(),
        }
    }

    pub fn step(&mut self) -> Step<Report> {
        match build_report(&self.input, &self.cache) {
            Ok(report) => Step::Done(report),
            Err(queries) => Step::NeedAnswers(queries),
        }
    }

    pub fn supply(&mut self, query: Query, answer: Answer) {
        self.cache.insert(query, answer);
    }

    /// The answers received so far: with the input, the snapshot that reproduces the report.
    pub fn answers(&self) -> &AnswerCache {
        &self.cache
    }
}

/// The report for `input` on the answers in `cache`, or every query still needed.
pub fn build_report(input: &CheckInput, cache: &AnswerCache) -> Result<Report, Vec<Query>> {
    let domain = normalize_name(&input.domain);
    let mut missing: Vec<Query> = Vec::new();
    let mut merge = |queries: Vec<Query>| {
        for query in queries {
            if !missing.contains(&query) {
                missing.push(query);
            }
        }
    };
    let analysis = match analyze(&domain, cache) {
        Ok(analysis) => Some(analysis),
        Err(queries) => {
            merge(queries);
            None
        }
    };
    let mut outcomes = Vec::new();
    for ip in &input.ips {
        let mut spf_input = SpfInput::for_domain(&domain, *ip);
        spf_input.timestamp = input.timestamp;
        match evaluate(&spf_input, cache) {
            Ok(outcome) => outcomes.push((*ip, outcome)),
            Err(queries) => merge(queries),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let analysis = analysis.expect("no query missing");
    Ok(assemble(domain, analysis, outcomes))
}

fn assemble(
    domain: String,
    analysis: SpfAnalysis,
    outcomes: Vec<(IpAddr, crate::spf::SpfOutcome)>,
) -> Report {
    let mut findings = analysis.findings.clone();
    let mut results = Vec::new();
    for (ip, outcome) in outcomes {
        let term = outcome.deciding_term.as_ref().map(|t| t.term.clone());
        match outcome.result {
            SpfResult::Pass => findings.push(
                Finding::new(Code::SpfIpPass)
                    .with("ip", ip)
                    .with("term", term.as_deref().unwrap_or_default())
                    .with(
                        "domain",
                        outcome
                            .deciding_term
                            .as_ref()
                            .map_or(domain.as_str(), |t| t.domain.as_str()),
                    ),
            ),
            SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => findings.push(
                Finding::new(Code::SpfIpNotAuthorized)
                    .with("ip", ip)
                    .with("result", outcome.result)
                    .with("term", term.as_deref().unwrap_or_default())
                    .with("fix", fixed_record(&analysis.root, ip).unwrap_or_default()),
            ),
            SpfResult::None => {}
            SpfResult::PermError | SpfResult::TempError => {
                // The cause is usually already a finding of the analysis; add it only if not.
                if let Some(reason) = &outcome.reason
                    && !findings.iter().any(|f| same_finding(f, reason))
                {
                    findings.push(reason.clone());
                }
            }
        }
        results.push(IpResult {
            ip,
            result: outcome.result,
            term,
            domain: outcome.deciding_term.as_ref().map(|t| t.domain.clone()),
            span: outcome.deciding_term.as_ref().map(|t| t.span),
            reason: outcome.reason.as_ref().map(|r| r.code),
            lookups: outcome.lookups,
            void_lookups: outcome.void_lookups,
            trace: outcome.trace,
        });
    }
    // Most important first; the order among equals is the order found (stable sort).
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let verdict = findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Ok);
    Report {
        domain,
        verdict,
        findings,
        spf: SpfSection {
            record: analysis.root.record.clone(),
            lookups: analysis.total_lookups,
            void_lookups: analysis.void_lookups,
            tree: analysis.root,
            results,
        },
    }
}

fn same_finding(a: &Finding, b: &Finding) -> bool {
    a.code == b.code
        && (a.domain == b.domain || b.domain.is_none())
        && (a.span == b.span || b.span.is_none())
}

/// The root record with `ip4:`/`ip6:` for `ip` inserted before `all` (or before `redirect=`, or
/// at the end): the smallest change that authorizes the address.
pub fn fixed_record(root: &SpfNode, ip: IpAddr) -> Option<String> {
    let text = root.record.as_ref()?;
    let record = parse::parse(text);
    if record.has_errors() {
        return None;
    }
    let mechanism = match ip {
        IpAddr::V4(v4) => format!("ip4:{v4}"),
        IpAddr::V6(v6) => format!("ip6:{v6}"),
    };
    let position = record
        .terms
        .iter()
        .find(|term| {
            matches!(&term.kind, TermKind::Directive(d) if d.mechanism == Mechanism::All)
                || matches!(term.kind, TermKind::Redirect(_))
        })
        .map(|term| term.span.start);
    Some(match position {
        Some(start) => format!("{}{} {}", &text[..start], mechanism, &text[start..]),
        None => format!("{} {}", text.trim_end(), mechanism),
    })
}

/// The report model: what the CLI prints, the page renders, and a snapshot reproduces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub domain: String,
    /// The worst severity among the findings.
    pub verdict: Severity,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    pub spf: SpfSection,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfSection {
    /// The domain's own SPF record, strings joined.
    pub record: Option<String>,
    /// DNS-querying terms across the tree (§4.6.4).
    pub lookups: u32,
    pub void_lookups: u32,
    pub tree: SpfNode,
    /// One per sending IP under test.
    pub results: Vec<IpResult>,
}

/// The SPF result for one sending IP, with the term that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpResult {
    pub ip: IpAddr,
    pub result: SpfResult,
    /// The deciding term; none when the default (neutral) or "none" applied.
    pub term: Option<String>,
    /// The domain whose record holds `term`.
    pub domain: Option<String>,
    pub span: Option<Span>,
    /// The code explaining an error result.
    pub reason: Option<Code>,
    pub lookups: u32,
    pub void_lookups: u32,
    pub trace: Vec<TraceEvent>,
}

impl Report {
    /// The exit status the CLI uses: whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The report with every finding's message in `lang`: the public JSON shape.
    pub fn localized(&self, lang: Lang) -> LocalizedReport<'_> {
        LocalizedReport {
            domain: &self.domain,
            verdict: self.verdict,
            lang,
            findings: self
                .findings
                .iter()
                .map(|f| LocalizedFinding::new(f, lang))
                .collect(),
            spf: &self.spf,
        }
    }
}

/// The JSON shape of a report: findings carry their message and hint.
#[derive(Debug, Serialize)]
pub struct LocalizedReport<'a> {
    pub domain: &'a str,
    pub verdict: Severity,
    pub lang: Lang,
    pub findings: Vec<LocalizedFinding<'a>>,
    pub spf: &'a SpfSection,
}

/// A finding as the public API shows it: `code`, `severity`, `message`, and `span` where it is
/// about record text.
#[derive(Debug, Serialize)]
pub struct LocalizedFinding<'a> {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    pub rule: &'static str,
    pub params: &'a std::collections::BTreeMap<String, String>,
}

impl<'a> LocalizedFinding<'a> {
    pub fn new(finding: &'a Finding, lang: Lang) -> Self {
        LocalizedFinding {
            code: finding.code,
            severity: finding.severity,
            message: messages::message(finding, lang),
            hint: messages::hint(finding.code, lang),
            domain: finding.domain.as_deref(),
            span: finding.span,
            rule: finding.code.rule(),
            params: &finding.params,
        }
    }
}
