//! The report planner and the report model: one domain's checks driven to completion in rounds.
//!
//! [`DomainCheck`] runs the SPF tree analysis and one `check_host()` per sending IP on a shared
//! answer cache; each step names every query any of them still needs, so a report costs as many
//! round trips as its longest dependency chain. The [`Report`] is a pure function of the
//! [`CheckInput`] and the answers: the pair (the "snapshot") reproduces it anywhere.

use crate::dkim::{DkimSection, NamedSelector, SelectorSource, check_dkim};
use crate::dmarc::{DmarcSection, check_dmarc};
use crate::dns::{Answer, AnswerCache, Query, normalize_name};
use crate::fetch::{FetchCache, FetchResult, Needs};
use crate::findings::{Code, Finding, Severity, Span};
use crate::mailtransport::{
    BimiSection, DnssecSection, MtaStsSection, TlsRptSection, check_bimi, check_mta_sts,
    check_tlsrpt, dnssec_status,
};
use crate::messages::{self, Lang};
use crate::mx::{MxSection, check_mx};
use crate::profile::{ProfileSection, SenderProfile, check_profile};
use crate::sender::{DnsblConfig, SenderSection, check_sender};
use crate::spf::analyze::{NodeStatus, SpfAnalysis, SpfNode, analyze};
use crate::spf::eval::{SpfInput, SpfResult, TraceEvent, evaluate};
use crate::spf::parse::{self, Mechanism};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::net::IpAddr;

/// The most sending IPs one report checks (the user's and the profile's together). The gateway
/// refuses a request with more; [`CheckInput::sending_ips`] takes no more from a snapshot that
/// did not come through it (a crafted share link).
pub const MAX_IPS: usize = 16;
/// The most DKIM selectors one report asks for by name (the user's and the profile's together),
/// refused and taken as [`MAX_IPS`].
pub const MAX_SELECTORS: usize = 16;

/// What to check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInput {
    /// The domain, already reduced to ASCII (see [`crate::input::parse_domain_input`]).
    pub domain: String,
    /// Sending IPs to evaluate SPF for and to check (PTR, blocklists).
    #[serde(default)]
    pub ips: Vec<IpAddr>,
    /// DKIM selectors the user named.
    #[serde(default)]
    pub dkim_selectors: Vec<String>,
    /// The vendor's sender profile, if the check is made for one.
    #[serde(default)]
    pub profile: Option<SenderProfile>,
    /// Which blocklists to ask.
    #[serde(default)]
    pub dnsbl: DnsblConfig,
    /// Seconds since the epoch, for `%{t}` (the core has no clock).
    #[serde(default)]
    pub timestamp: u64,
}

impl CheckInput {
    /// The sending IPs: the user's and the profile's, each once, at most [`MAX_IPS`].
    pub fn sending_ips(&self) -> Vec<IpAddr> {
        let mut seen = HashSet::new();
        self.ips
            .iter()
            .chain(self.profile.iter().flat_map(|p| p.ips.iter()))
            .filter(|ip| seen.insert(**ip))
            .take(MAX_IPS)
            .copied()
            .collect()
    }

    /// The DKIM selectors to check by name: the user's (as given), then the profile's that the
    /// user did not name, at most [`MAX_SELECTORS`].
    pub fn named_selectors(&self) -> Vec<NamedSelector> {
        let user = self
            .dkim_selectors
            .iter()
            .map(|s| (s, SelectorSource::User));
        let profile = self.profile.iter().flat_map(|profile| {
            profile
                .dkim_selectors
                .iter()
                .chain(profile.dkim_cnames.keys())
                .map(|s| (s, SelectorSource::Profile))
        });
        let mut profile_seen = HashSet::new();
        let user_named: HashSet<String> = self
            .dkim_selectors
            .iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .collect();
        user.chain(profile)
            .map(|(selector, source)| NamedSelector {
                selector: selector.trim().to_ascii_lowercase(),
                source,
            })
            .filter(|n| {
                n.source == SelectorSource::User
                    || (!user_named.contains(&n.selector)
                        && profile_seen.insert(n.selector.clone()))
            })
            .filter(|n| !n.selector.is_empty())
            .take(MAX_SELECTORS)
            .collect()
    }
}

/// The answers a report was computed from: with the input, they reproduce it anywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub answers: AnswerCache,
    pub fetches: FetchCache,
}

/// A snapshot as the gateway hands it out: the input it was taken for, the answers, the time it
/// was taken and the gateway's signature over all three (see `postcheck-gateway`'s `snapshot`
/// module). A page recomputes the report from it with [`build_report`] and no DNS query; the
/// gateway's `/api/verify` says whether it is intact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedSnapshot {
    /// What was checked (its `timestamp` is `taken_at`).
    pub input: CheckInput,
    /// Every answer and fetch the report needs.
    pub snapshot: Snapshot,
    /// When the gateway took it, in seconds since the epoch.
    pub taken_at: u64,
    /// Lowercase hex HMAC-SHA256 over `taken_at` and the canonical JSON of
    /// `{"input":…,"snapshot":…}`.
    pub signature: String,
}

impl SignedSnapshot {
    /// The report this snapshot reproduces.
    ///
    /// # Errors
    ///
    /// The queries still missing when the snapshot is incomplete (edited, or taken for other
    /// input).
    pub fn report(&self) -> Result<Report, Needs> {
        build_report(&self.input, &self.snapshot)
    }
}

/// One step of the planner.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan<T> {
    /// Answer all of these (independent of each other: send them together), then step again.
    Need(Needs),
    Done(T),
}

/// The planner: step it, answer what it asks, until it hands back the report.
#[derive(Debug, Clone)]
pub struct DomainCheck {
    input: CheckInput,
    snapshot: Snapshot,
}

impl DomainCheck {
    pub fn new(input: CheckInput) -> Self {
        DomainCheck {
            input,
            snapshot: Snapshot::default(),
        }
    }

    /// Picks a check up where an earlier driver left it: the answers in `snapshot` are not
    /// asked again. The gateway continues a report this way across invocations.
    pub fn resume(input: CheckInput, snapshot: Snapshot) -> Self {
        DomainCheck { input, snapshot }
    }

    pub fn step(&mut self) -> Plan<Box<Report>> {
        match build_report(&self.input, &self.snapshot) {
            Ok(report) => Plan::Done(Box::new(report)),
            Err(needs) => Plan::Need(needs),
        }
    }

    pub fn supply(&mut self, query: Query, answer: Answer) {
        self.snapshot.answers.insert(query, answer);
    }

    pub fn supply_fetch(&mut self, url: String, result: FetchResult) {
        self.snapshot.fetches.insert(url, result);
    }

    /// The answers received so far: with the input, the snapshot that reproduces the report.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }
}

/// Runs one check and records what it still needs.
fn need<T>(needs: &mut Needs, result: Result<T, Vec<Query>>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(queries) => {
            needs.add_queries(queries);
            None
        }
    }
}

/// The report for `input` on the answers in `snapshot`, or everything still needed. All checks
/// run on every step, so independent queries of all of them go out in the same round.
pub fn build_report(input: &CheckInput, snapshot: &Snapshot) -> Result<Report, Needs> {
    let domain = normalize_name(&input.domain);
    let cache = &snapshot.answers;
    let mut needs = Needs::default();
    let analysis = need(&mut needs, analyze(&domain, cache));
    let mut outcomes = Vec::new();
    for ip in input.sending_ips() {
        let mut spf_input = SpfInput::for_domain(&domain, ip);
        spf_input.timestamp = input.timestamp;
        if let Some(outcome) = need(&mut needs, evaluate(&spf_input, cache)) {
            outcomes.push((ip, outcome));
        }
    }
    let dmarc = need(&mut needs, check_dmarc(&domain, cache));
    let mx = need(&mut needs, check_mx(&domain, cache));
    let mut senders = Vec::new();
    for ip in input.sending_ips() {
        if let Some(section) = need(&mut needs, check_sender(ip, &input.dnsbl, cache)) {
            senders.push(section);
        }
    }
    let tlsrpt = need(&mut needs, check_tlsrpt(&domain, cache));
    let bimi = need(&mut needs, check_bimi(&domain, cache));
    // MTA-STS coverage needs the MX hosts, but the record and the policy do not: ask for them
    // in the same round as the MX, so the MX lookup adds no round trip of its own.
    let mx_hosts = mx.as_ref().map(MxSection::hosts);
    // The DKIM guesses follow the providers the SPF record and the MX hosts name: like MTA-STS,
    // the section counts once the MX hosts are known (the named selectors and the first tier of
    // universal ones go out in the first round all the same; see `dkim::providers`).
    let dkim = match check_dkim(
        &domain,
        &input.named_selectors(),
        mx_hosts.as_deref().unwrap_or_default(),
        cache,
    ) {
        Ok(section) => mx_hosts.is_some().then_some(section),
        Err(queries) => {
            needs.add_queries(queries);
            None
        }
    };
    let mta_sts = match check_mta_sts(
        &domain,
        mx_hosts.as_deref().unwrap_or_default(),
        cache,
        &snapshot.fetches,
    ) {
        Ok(section) => mx_hosts.is_some().then_some(section),
        Err(more) => {
            needs.merge(more);
            None
        }
    };
    let profile = match (&input.profile, &analysis) {
        (Some(profile), Some(analysis)) => {
            need(&mut needs, check_profile(profile, &domain, analysis, cache)).map(Some)
        }
        (Some(_), None) => None,
        (None, _) => Some(None),
    };
    if !needs.is_empty() {
        return Err(needs);
    }
    let sections = Sections {
        analysis: analysis.expect("no query missing"),
        outcomes,
        dmarc: dmarc.expect("no query missing"),
        dkim: dkim.expect("no query missing"),
        mx: mx.expect("no query missing"),
        senders,
        mta_sts: mta_sts.expect("no query missing"),
        tlsrpt: tlsrpt.expect("no query missing"),
        bimi: bimi.expect("no query missing"),
        dnssec: dnssec_status(&domain, cache),
        profile: profile.expect("no query missing"),
    };
    Ok(assemble(domain, input, sections))
}

struct Sections {
    analysis: SpfAnalysis,
    outcomes: Vec<(IpAddr, crate::spf::SpfOutcome)>,
    dmarc: DmarcSection,
    dkim: DkimSection,
    mx: MxSection,
    senders: Vec<SenderSection>,
    mta_sts: MtaStsSection,
    tlsrpt: TlsRptSection,
    bimi: BimiSection,
    dnssec: DnssecSection,
    profile: Option<ProfileSection>,
}

fn assemble(domain: String, input: &CheckInput, sections: Sections) -> Report {
    let Sections {
        analysis,
        outcomes,
        dmarc,
        dkim,
        mut mx,
        senders,
        mta_sts,
        tlsrpt,
        bimi,
        dnssec,
        profile,
    } = sections;
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
                    .with("fix", ip_fix(&analysis.root, ip, input, profile.as_ref())),
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
    // RFC 7505 §4: a domain that receives no mail but publishes an SPF record authorizing senders
    // is contradictory enough to warn about.
    let spf_authorizes = analysis.root.status == NodeStatus::Record
        && analysis.root.total_lookups + count_ip_terms(&analysis.root) > 0;
    for finding in mx.findings.iter_mut() {
        if finding.code == Code::MxNull && spf_authorizes {
            finding.severity = Severity::Warning;
        }
    }
    // A finding's `domain` names the owner of the record its span points into: for DMARC that
    // is `_dmarc.<policy domain>`.
    findings.extend(dmarc.findings.iter().cloned().map(|mut finding| {
        if finding.span.is_some()
            && let Some(owner) = finding.domain.as_mut()
            && !owner.starts_with("_dmarc.")
        {
            *owner = format!("_dmarc.{owner}");
        }
        finding
    }));
    findings.extend(dkim.findings.iter().cloned());
    findings.extend(mx.findings.iter().cloned());
    for sender in &senders {
        findings.extend(sender.findings.iter().cloned());
    }
    // Blocklists left out (Spamhaus through public resolvers): once per report, not per IP.
    if !senders.is_empty() {
        findings.extend(input.dnsbl.skipped_finding());
    }
    findings.extend(mta_sts.findings.iter().cloned());
    findings.extend(tlsrpt.findings.iter().cloned());
    findings.extend(bimi.findings.iter().cloned());
    findings.extend(dnssec.findings.iter().cloned());
    if let Some(profile) = &profile {
        findings.extend(profile.findings.iter().cloned());
    }
    // Most important first; the order among equals is the order found (stable sort).
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let verdict = findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Ok);
    let actions =
        crate::actions::plan_actions(&domain, &findings, &analysis, &dmarc, profile.as_ref());
    Report {
        domain,
        verdict,
        actions,
        findings,
        spf: SpfSection {
            record: analysis.root.record.clone(),
            lookups: analysis.total_lookups,
            void_lookups: analysis.void_lookups,
            tree: analysis.root,
            results,
        },
        dmarc,
        dkim,
        mx,
        senders,
        mta_sts,
        tlsrpt,
        bimi,
        dnssec,
        profile,
    }
}

/// `ip4`/`ip6` terms of a tree: with the lookup count, whether the record authorizes anyone.
fn count_ip_terms(node: &SpfNode) -> u32 {
    let own = node.record.as_ref().map_or(0, |text| {
        parse::parse(text)
            .directives()
            .filter(|(_, d)| matches!(d.mechanism, Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. }))
            .count() as u32
    });
    own + node.children.iter().map(count_ip_terms).sum::<u32>()
}

fn same_finding(a: &Finding, b: &Finding) -> bool {
    a.code == b.code
        && (a.domain == b.domain || b.domain.is_none())
        && (a.span == b.span || b.span.is_none())
}

/// The record that authorizes `ip`: for a vendor's own IP, the profile's corrected record (it
/// adds the vendor's mechanisms, so every vendor IP passes and the next IP change is covered
/// too); otherwise [`fixed_record`]. Empty when none can be built.
fn ip_fix(
    root: &SpfNode,
    ip: IpAddr,
    input: &CheckInput,
    profile: Option<&ProfileSection>,
) -> String {
    let vendor_ip = input.profile.as_ref().is_some_and(|p| p.ips.contains(&ip));
    let corrected = profile.and_then(|p| p.corrected_record.clone());
    match corrected {
        Some(record) if vendor_ip => record,
        _ => fixed_record(root, ip).unwrap_or_default(),
    }
}

/// The root record with `ip4:`/`ip6:` for `ip` inserted before `all` (or before `redirect=`, or
/// at the end): the smallest change that authorizes the address.
pub fn fixed_record(root: &SpfNode, ip: IpAddr) -> Option<String> {
    let text = root.record.as_ref()?;
    if parse::parse(text).has_errors() {
        return None;
    }
    let mechanism = match ip {
        IpAddr::V4(v4) => format!("ip4:{v4}"),
        IpAddr::V6(v6) => format!("ip6:{v6}"),
    };
    Some(crate::profile::insert_before_all(text, &[mechanism]))
}

/// The report model: what the CLI prints, the page renders, and a snapshot reproduces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub domain: String,
    /// The worst severity among the findings.
    pub verdict: Severity,
    /// What to do, most important first, each with the exact record to publish where there is one.
    pub actions: Vec<crate::actions::Action>,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    pub spf: SpfSection,
    pub dmarc: DmarcSection,
    pub dkim: DkimSection,
    pub mx: MxSection,
    /// One per sending IP: PTR, forward-confirmed reverse DNS, blocklists.
    pub senders: Vec<SenderSection>,
    pub mta_sts: MtaStsSection,
    pub tlsrpt: TlsRptSection,
    pub bimi: BimiSection,
    pub dnssec: DnssecSection,
    /// What the vendor's sender profile needs, when the check was made with one.
    pub profile: Option<ProfileSection>,
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

    /// Whether the check could not run at all: the domain's own SPF lookup failed.
    pub fn could_not_run(&self) -> bool {
        self.spf.tree.status == NodeStatus::LookupFailed
    }

    /// The report with every finding's message in `lang`: the public JSON shape.
    pub fn localized(&self, lang: Lang) -> LocalizedReport<'_> {
        LocalizedReport {
            domain: &self.domain,
            verdict: self.verdict,
            lang,
            actions: self
                .actions
                .iter()
                .map(|a| crate::actions::LocalizedAction::new(a, lang))
                .collect(),
            findings: self
                .findings
                .iter()
                .map(|f| LocalizedFinding::new(f, lang))
                .collect(),
            spf: &self.spf,
            dmarc: &self.dmarc,
            dkim: &self.dkim,
            mx: &self.mx,
            senders: &self.senders,
            mta_sts: &self.mta_sts,
            tlsrpt: &self.tlsrpt,
            bimi: &self.bimi,
            dnssec: &self.dnssec,
            profile: self.profile.as_ref(),
        }
    }
}

/// The JSON shape of a report: findings carry their message and hint.
#[derive(Debug, Serialize)]
pub struct LocalizedReport<'a> {
    pub domain: &'a str,
    pub verdict: Severity,
    pub lang: Lang,
    pub actions: Vec<crate::actions::LocalizedAction<'a>>,
    pub findings: Vec<LocalizedFinding<'a>>,
    pub spf: &'a SpfSection,
    pub dmarc: &'a DmarcSection,
    pub dkim: &'a DkimSection,
    pub mx: &'a MxSection,
    pub senders: &'a [SenderSection],
    pub mta_sts: &'a MtaStsSection,
    pub tlsrpt: &'a TlsRptSection,
    pub bimi: &'a BimiSection,
    pub dnssec: &'a DnssecSection,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'a ProfileSection>,
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

/// The records of the report besides SPF and DMARC, as (owner name the findings use, code
/// prefix, record text): what a renderer puts carets under.
pub fn other_records(report: &Report) -> Vec<(String, &'static str, String)> {
    let mut records = Vec::new();
    for selector in &report.dkim.selectors {
        if let Some(text) = &selector.record {
            records.push((selector.name.clone(), "dkim-", text.clone()));
        }
    }
    let domain = &report.domain;
    for (owner, record) in [
        (format!("_mta-sts.{domain}"), &report.mta_sts.record),
        (format!("mta-sts.{domain}"), &report.mta_sts.policy),
    ] {
        if let Some(text) = record {
            records.push((owner, "mta-sts-", text.clone()));
        }
    }
    if let Some(text) = &report.tlsrpt.record {
        records.push((format!("_smtp._tls.{domain}"), "tlsrpt-", text.clone()));
    }
    if let Some(text) = &report.bimi.record {
        records.push((format!("default._bimi.{domain}"), "bimi-", text.clone()));
    }
    records
}
