//! The report planner: [`DomainCheck`] steps [`build_report`] until no query is missing, then
//! the sections are assembled into the [`Report`] (findings merged and ordered, verdict,
//! actions).

use super::fix::ip_fix;
use super::{CheckInput, IpResult, Report, Snapshot, SpfSection};
use crate::dkim::{DkimSection, check_dkim};
use crate::dmarc::{DmarcSection, check_dmarc};
use crate::dns::{Answer, Failure, Query, RecordType, normalize_name};
use crate::fetch::{FetchResult, Needs};
use crate::findings::{Code, Family, Finding, Severity};
use crate::mailtransport::{
    BimiSection, DnssecSection, MtaStsSection, TlsRptSection, check_bimi, check_mta_sts,
    check_tlsrpt, dnssec_status,
};
use crate::mx::{MxSection, check_mx};
use crate::profile::{ProfileSection, check_profile};
use crate::sender::{SenderSection, check_sender};
use crate::spf::analyze::{NodeStatus, SpfAnalysis, SpfNode, analyze};
use crate::spf::eval::{SpfInput, SpfResult, evaluate};
use crate::spf::parse::{self, Mechanism};
use std::net::IpAddr;

/// One step of the planner.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan<T> {
    /// Answer all of these (independent of each other: send them together), then step again.
    Need(Needs),
    /// Finished, with the result.
    Done(T),
}

/// The planner: step it, answer what it asks, until it hands back the report.
#[derive(Debug, Clone)]
pub struct DomainCheck {
    input: CheckInput,
    snapshot: Snapshot,
}

impl DomainCheck {
    /// A check of `input`, with no answers yet.
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

    /// Runs as far as the answers go: the report, or everything still needed.
    pub fn step(&mut self) -> Plan<Box<Report>> {
        match build_report(&self.input, &self.snapshot) {
            Ok(report) => Plan::Done(Box::new(report)),
            Err(needs) => Plan::Need(needs),
        }
    }

    /// Supplies the answer to a query asked for by [`DomainCheck::step`]; the first one wins.
    pub fn supply(&mut self, query: Query, answer: Answer) {
        self.snapshot.answers.insert(query, answer);
    }

    /// Supplies the result of a fetch asked for by [`DomainCheck::step`]; the first one wins.
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
    // Where to publish: the DNS host, from the registered domain's NS records (first round).
    let ns_query = crate::publish::ns_query(&domain);
    let name_servers = match cache.get(&ns_query) {
        Some(answer) => crate::publish::name_servers(answer),
        None => {
            needs.add_queries(vec![ns_query]);
            Vec::new()
        }
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
        existence: existence(&domain, cache),
        dns_host: crate::publish::DnsHost::detect(&name_servers),
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
    existence: Existence,
    dns_host: Option<crate::publish::DnsHost>,
}

/// Whether the checked name exists and its name servers answer, from the answers to its own
/// TXT and MX queries (every report asks both in its first round).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existence {
    /// At least one of them answered (records, NODATA), or they disagree: the checks speak.
    Answered,
    /// Both NXDOMAIN: the name does not exist, and nothing exists below it (RFC 8020 §2).
    NotFound,
    /// Both failed: nothing about the domain could be checked.
    Unreachable(Failure),
}

fn existence(domain: &str, cache: &crate::dns::AnswerCache) -> Existence {
    let answer = |record_type| cache.get(&Query::new(domain, record_type));
    match (answer(RecordType::Txt), answer(RecordType::Mx)) {
        (Some(Answer::Nxdomain), Some(Answer::Nxdomain)) => Existence::NotFound,
        (Some(Answer::Failed { failure }), Some(Answer::Failed { .. })) => {
            Existence::Unreachable(*failure)
        }
        _ => Existence::Answered,
    }
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
        existence,
        dns_host,
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
    // A name that does not exist has no records to fix: one finding says so, with the domain
    // it was probably meant to be, and no action publishes anything (RFC 8020 §2). A domain
    // whose name servers fail had nothing checked: one finding says why, once; only the sending
    // IPs' own checks (PTR, blocklists: other zones) still speak.
    match existence {
        Existence::Answered => {}
        Existence::NotFound => {
            findings = vec![
                Finding::new(Code::DomainNotFound)
                    .with("domain", &domain)
                    .with(
                        "suggestion",
                        crate::typo::suggest(&domain).unwrap_or_default(),
                    ),
            ];
        }
        Existence::Unreachable(failure) => {
            findings.retain(|f| f.code.family() == Family::Sender);
            findings.insert(
                0,
                Finding::new(Code::DomainLookupFailed)
                    .with("domain", &domain)
                    .with("failure", failure.as_str()),
            );
        }
    }
    // Most important first; the order among equals is the order found (stable sort).
    crate::order::sort_by_key(&mut findings, |f| std::cmp::Reverse(f.severity));
    let verdict = findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Ok);
    let vendor_ips = input.profile.as_ref().map_or(&[][..], |p| p.ips.as_slice());
    let actions = crate::actions::plan_actions(
        &domain,
        &findings,
        &analysis,
        &dmarc,
        profile.as_ref(),
        vendor_ips,
        dns_host.as_ref(),
    );
    Report {
        domain,
        verdict,
        dns_host: dns_host.map(|host| host.id.to_owned()),
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
