//! Many reports merged into what a domain owner acts on: per policy domain, each source IP's
//! messages and results, the senders they belong to with a verdict each, and whether the
//! domain can take its next DMARC policy step; per TLS policy domain, the failed sessions by
//! result type and MX host.
//!
//! Alignment is judged as DMARC does (RFC 7489 §3.1): a DKIM or SPF pass counts when its
//! domain is the From domain (strict, `adkim=s`/`aspf=s`) or shares its organizational domain
//! (relaxed, the default), with the offline guess of the organizational domain the header
//! check uses ([`crate::headers::alignment`]). Whether a row passed DMARC is the receiver's
//! own verdict (`policy_evaluated`) where the report gives it, else this judgement.
//!
//! A sender is named by the domains its mail carries: the vendor of a sender profile when its
//! IPs or domains are the profile's ([`analyze_for`]), a known provider when a DKIM `d=`, SPF or
//! envelope domain is one of its (the DKIM check's provider table,
//! [`crate::dkim::providers::recognize_sending_domain`]), else the organizational domain of
//! its DKIM or SPF domain, else "unidentified". Its verdict: `aligned` when all of its mail
//! passes DMARC; `legitimate-failing` when some fails but the sender is a known provider or
//! its failing mail passes SPF or DKIM for some domain (it authenticates, just not as the From
//! domain: align it); `unknown-failing` otherwise (likely spoofing, which the policy should
//! stop).
//!
//! The next policy step (none → quarantine → reject) is ready when at most
//! [`READY_FAILING_PERMILLE`] ‰ of the mail from legitimate senders fails DMARC. An enforcing
//! policy applied to only part of the mail (`pct` below 100, RFC 7489 §6.3) takes the whole of
//! it first: its next step is the same policy at `pct=100`.

use super::{Content, FileRead, Origin};
use crate::dkim::providers::{Provider, recognize_sending_domain};
use crate::dns::name::{ip_in_network, organizational_domain_guess, reverse_name};
use crate::dns::{AnswerCache, Query, RecordData, RecordType};
use crate::findings::{Code, Finding, Severity};
use crate::headers::{Alignment, alignment};
use crate::profile::SenderProfile;
use crate::reports::aggregate::{AggregateReport, PolicyPublished, Record};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The share of legitimate mail (in thousandths) that may fail DMARC for the next policy step
/// to be judged ready: 1 %. Forwarded mail breaks SPF and sometimes DKIM, so a small rest
/// always fails; more than this is a sender that is not set up.
pub const READY_FAILING_PERMILLE: u64 = 10;

/// A sender's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// All of its mail passes DMARC.
    Aligned,
    /// A known or authenticating sender whose mail fails DMARC: align it.
    LegitimateFailing,
    /// Neither known nor authenticating, and failing: likely spoofing.
    UnknownFailing,
}

impl Verdict {
    /// The kebab-case name (JSON, CSV).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Aligned => "aligned",
            Verdict::LegitimateFailing => "legitimate-failing",
            Verdict::UnknownFailing => "unknown-failing",
        }
    }
}

/// How a sender was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupKind {
    /// A provider of the table.
    Provider,
    /// The domain's own organizational domain (its servers, or a service signing as it).
    Own,
    /// Another organizational domain.
    Domain,
    /// No DKIM or SPF domain at all.
    Unidentified,
}

/// What aligns a legitimate sender's failing mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Fix {
    /// It signs with DKIM as `domain`: have it sign as the From domain instead.
    Dkim {
        /// The `d=` it signs with now.
        domain: String,
    },
    /// It passes SPF as `domain`: give it a bounce (Return-Path) domain under the From domain.
    Spf {
        /// The envelope domain it uses now.
        domain: String,
    },
    /// Neither passes: set up DKIM (and SPF) for it.
    Setup,
}

impl Fix {
    fn name(&self) -> &'static str {
        match self {
            Fix::Dkim { .. } => "dkim",
            Fix::Spf { .. } => "spf",
            Fix::Setup => "setup",
        }
    }
}

/// One sending organisation of a domain's mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenderGroup {
    /// The provider's name, or an organizational domain, or `unidentified`.
    pub name: String,
    /// How it was named.
    pub kind: GroupKind,
    /// The DKIM and SPF domains seen in its mail.
    pub domains: BTreeSet<String>,
    /// Its source IPs.
    pub ips: BTreeSet<String>,
    /// Its messages.
    pub messages: u64,
    /// Of them, those that passed DMARC.
    pub dmarc_pass: u64,
    /// Of the failing ones, those that passed DKIM for another domain.
    pub failing_dkim_pass: u64,
    /// Of the failing ones, those that passed SPF for another domain.
    pub failing_spf_pass: u64,
    /// The verdict.
    pub verdict: Verdict,
    /// For `legitimate-failing`: what aligns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl SenderGroup {
    /// Messages that failed DMARC.
    pub fn failing(&self) -> u64 {
        self.messages - self.dmarc_pass
    }
}

/// One source IP of a domain's mail, over all reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    /// The IP as reported.
    pub ip: String,
    /// The sender it belongs to (its group's name).
    pub sender: String,
    /// Messages.
    pub messages: u64,
    /// Messages that passed DMARC.
    pub dmarc_pass: u64,
    /// Messages whose SPF passed (any domain).
    pub spf_pass: u64,
    /// Messages whose SPF passed aligned.
    pub spf_aligned: u64,
    /// Messages with a passing DKIM signature (any domain).
    pub dkim_pass: u64,
    /// Messages with a passing aligned DKIM signature.
    pub dkim_aligned: u64,
    /// Messages per disposition (none, quarantine, reject).
    pub dispositions: BTreeMap<String, u64>,
    /// Messages per override reason (forwarded, local_policy, …).
    pub reasons: BTreeMap<String, u64>,
    /// The receivers that reported it.
    pub reporters: BTreeSet<String>,
    /// The From domains of its mail.
    pub header_from: BTreeSet<String>,
    /// The DKIM domains of its mail.
    pub dkim_domains: BTreeSet<String>,
    /// The SPF (envelope) domains of its mail.
    pub spf_domains: BTreeSet<String>,
}

/// Whether the domain can take its next policy step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// The policy in force (`p`), `none` when no report gave one.
    pub policy: String,
    /// The next step (`quarantine`, `reject`, or the policy in force with `; pct=100` when it
    /// applies to part of the mail), `None` at `reject` for all of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Whether at most [`READY_FAILING_PERMILLE`] ‰ of the legitimate mail fails.
    pub ready: bool,
    /// Messages of legitimate senders (aligned and legitimate-failing).
    pub legitimate_messages: u64,
    /// Of them, those that failed DMARC.
    pub legitimate_failing: u64,
    /// The legitimate senders whose mail fails, most failing first.
    pub failing_senders: Vec<String>,
}

/// Everything the aggregate reports say about one policy domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainAnalysis {
    /// The policy domain (`policy_published/domain`).
    pub domain: String,
    /// The policy the latest report saw.
    pub policy: PolicyPublished,
    /// How many reports (after duplicates were left out).
    pub reports: usize,
    /// The receivers that reported.
    pub reporters: BTreeSet<String>,
    /// The earliest begin of the reports' periods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub begin: Option<u64>,
    /// The latest end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
    /// Messages.
    pub messages: u64,
    /// Messages that passed DMARC.
    pub dmarc_pass: u64,
    /// The senders, legitimate-failing first, then unknown-failing, then aligned; by messages.
    pub groups: Vec<SenderGroup>,
    /// The source IPs, most messages first.
    pub sources: Vec<SourceRow>,
    /// The next policy step.
    pub readiness: Readiness,
}

/// The TLS reports about one policy domain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsDomain {
    /// The policy domain.
    pub domain: String,
    /// The policy types seen (`sts`, `tlsa`, `no-policy-found`).
    pub policy_types: BTreeSet<String>,
    /// The reporting organizations.
    pub reporters: BTreeSet<String>,
    /// How many reports.
    pub reports: usize,
    /// Successful sessions.
    pub successful: u64,
    /// Failed sessions.
    pub failed: u64,
    /// Failed sessions per result type (RFC 8460 §4.3).
    pub by_result: BTreeMap<String, u64>,
    /// Failed sessions per receiving MX host.
    pub by_mx: BTreeMap<String, u64>,
}

/// The failure reports of one domain, source and failure kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailureSummary {
    /// `Reported-Domain`.
    pub domain: String,
    /// `Source-IP`.
    pub source_ip: String,
    /// `Auth-Failure`.
    pub auth_failure: String,
    /// Incidents (reports × their `Incidents`).
    pub incidents: u64,
    /// The failed messages' From headers, as seen.
    pub from: BTreeSet<String>,
}

/// How much was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Input files.
    pub files: usize,
    /// Files read completely.
    pub complete_files: usize,
    /// Aggregate reports counted.
    pub aggregate_reports: usize,
    /// Aggregate reports left out as duplicates.
    pub duplicates: usize,
    /// Failure reports.
    pub failure_reports: usize,
    /// TLS reports.
    pub tls_reports: usize,
}

/// The merged view of many files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// How much was read.
    pub counts: Counts,
    /// Per policy domain of the aggregate reports, most messages first.
    pub domains: Vec<DomainAnalysis>,
    /// Per policy domain of the TLS reports.
    pub tls: Vec<TlsDomain>,
    /// The failure reports, grouped.
    pub failures: Vec<FailureSummary>,
    /// The findings: per domain its readiness first, then its senders' verdicts; then the TLS
    /// domains, the failure reports and duplicates.
    pub findings: Vec<Finding>,
    /// What could not be read, file by file.
    pub problems: Vec<Finding>,
}

/// How one record's mail fared.
struct RowEvaluation {
    dmarc_pass: bool,
    /// The domain of a passing DKIM signature that is not aligned.
    dkim_unaligned_pass: Option<String>,
    /// The domain of a passing SPF check that is not aligned.
    spf_unaligned_pass: Option<String>,
    dkim_pass: bool,
    dkim_aligned: bool,
    spf_pass: bool,
    spf_aligned: bool,
}

/// The offline name rules' answers, kept per name: a report repeats a few domains in every row,
/// and the rules split and join labels. The answers are those of
/// [`crate::headers::alignment`], [`organizational_domain_guess`] and
/// [`recognize_sending_domain`]; only the repeated work is saved.
#[derive(Default)]
struct Memo {
    alignment: HashMap<String, HashMap<String, Alignment>>,
    organization: HashMap<String, String>,
    provider: HashMap<String, Option<&'static Provider>>,
    /// The vendor of a sender profile, recognised by name before the provider table.
    vendor: Option<VendorMatch>,
    /// PTR answers for source IPs of mail that carries no domain ([`ptr_queries`]).
    ptr: AnswerCache,
}

/// What names a sender profile's vendor in a report's rows: its sending IPs and networks (the
/// profile's `ips` and `ip4:`/`ip6:` mechanisms), and the organizational domains of its
/// `include:` targets, DKIM CNAME targets and return path.
struct VendorMatch {
    name: String,
    networks: Vec<(std::net::IpAddr, u8)>,
    organizations: BTreeSet<String>,
}

impl VendorMatch {
    fn new(profile: &SenderProfile) -> VendorMatch {
        let mut networks: Vec<(std::net::IpAddr, u8)> = profile
            .ips
            .iter()
            .map(|ip| (*ip, if ip.is_ipv4() { 32 } else { 128 }))
            .collect();
        let mut organizations = BTreeSet::new();
        for mechanism in &profile.spf {
            let mechanism = mechanism.trim();
            if let Some(target) = mechanism.strip_prefix("include:") {
                organizations.insert(organizational_domain_guess(&target.to_ascii_lowercase()));
            } else if let Some(network) = mechanism
                .strip_prefix("ip4:")
                .or_else(|| mechanism.strip_prefix("ip6:"))
            {
                let (address, prefix) = network.split_once('/').unwrap_or((network, ""));
                if let Ok(address) = address.parse::<std::net::IpAddr>() {
                    let full = if address.is_ipv4() { 32 } else { 128 };
                    let prefix = prefix.parse::<u8>().map_or(full, |p| p.min(full));
                    networks.push((address, prefix));
                }
            }
        }
        for target in profile
            .dkim_cnames
            .values()
            .chain(profile.return_path.iter())
        {
            organizations.insert(organizational_domain_guess(&target.to_ascii_lowercase()));
        }
        VendorMatch {
            name: profile.name.clone(),
            networks,
            organizations,
        }
    }

    /// Whether a record's mail is the vendor's: sent from its addresses, or carrying its
    /// domains.
    fn matches(&self, record: &Record, domains: &[&str]) -> bool {
        let from_its_network = record
            .source_ip
            .trim()
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| {
                self.networks
                    .iter()
                    .any(|(network, prefix)| ip_in_network(ip, *network, *prefix))
            });
        from_its_network
            || domains
                .iter()
                .any(|d| self.organizations.contains(&organizational_domain_guess(d)))
    }
}

impl Memo {
    fn alignment(&mut self, from: &str, domain: &str) -> Alignment {
        if let Some(known) = self.alignment.get(from).and_then(|by| by.get(domain)) {
            return *known;
        }
        let answer = alignment(from, domain);
        self.alignment
            .entry(from.to_owned())
            .or_default()
            .insert(domain.to_owned(), answer);
        answer
    }

    fn organization(&mut self, domain: &str) -> String {
        if let Some(known) = self.organization.get(domain) {
            return known.clone();
        }
        let answer = organizational_domain_guess(domain);
        self.organization.insert(domain.to_owned(), answer.clone());
        answer
    }

    fn provider(&mut self, domain: &str) -> Option<&'static Provider> {
        if let Some(known) = self.provider.get(domain) {
            return *known;
        }
        let answer = recognize_sending_domain(domain);
        self.provider.insert(domain.to_owned(), answer);
        answer
    }
}

/// Adds `value` to `set` unless it is there (without copying it then).
fn insert(set: &mut BTreeSet<String>, value: &str) {
    if !set.contains(value) {
        set.insert(value.to_owned());
    }
}

fn aligned(memo: &mut Memo, from: &str, domain: &str, strict: bool) -> bool {
    match memo.alignment(from, domain) {
        Alignment::Strict => true,
        Alignment::Relaxed => !strict,
        Alignment::No => false,
    }
}

/// The SPF results DMARC reads: the MAIL FROM check (RFC 7489 §3.1.2); a report that gives no
/// scope means it.
fn mfrom(record: &Record) -> impl Iterator<Item = &super::SpfResult> {
    record
        .spf
        .iter()
        .filter(|spf| spf.scope.as_deref().is_none_or(|scope| scope == "mfrom"))
}

fn evaluate(
    memo: &mut Memo,
    record: &Record,
    from: &str,
    policy: &PolicyPublished,
) -> RowEvaluation {
    let strict_dkim = policy.adkim.as_deref() == Some("s");
    let strict_spf = policy.aspf.as_deref() == Some("s");
    let dkim_pass = record.dkim.iter().any(|dkim| dkim.result == "pass");
    let dkim_aligned = record
        .dkim
        .iter()
        .any(|dkim| dkim.result == "pass" && aligned(memo, from, &dkim.domain, strict_dkim));
    let spf_pass = mfrom(record).any(|spf| spf.result == "pass");
    let spf_aligned = mfrom(record)
        .any(|spf| spf.result == "pass" && aligned(memo, from, &spf.domain, strict_spf));
    let dmarc_pass = match (&record.dkim_evaluated, &record.spf_evaluated) {
        (None, None) => dkim_aligned || spf_aligned,
        (dkim, spf) => dkim.as_deref() == Some("pass") || spf.as_deref() == Some("pass"),
    };
    let dkim_unaligned_pass = record
        .dkim
        .iter()
        .find(|dkim| dkim.result == "pass" && !aligned(memo, from, &dkim.domain, strict_dkim))
        .map(|dkim| dkim.domain.clone());
    let spf_unaligned_pass = mfrom(record)
        .find(|spf| spf.result == "pass" && !aligned(memo, from, &spf.domain, strict_spf))
        .map(|spf| spf.domain.clone());
    RowEvaluation {
        dmarc_pass,
        dkim_unaligned_pass,
        spf_unaligned_pass,
        dkim_pass,
        dkim_aligned,
        spf_pass,
        spf_aligned,
    }
}

/// The sender a record's mail belongs to.
fn sender_of(memo: &mut Memo, record: &Record, from: &str) -> (String, GroupKind) {
    let dkim_domains = record.dkim.iter().map(|dkim| dkim.domain.as_str());
    let spf_domains = record.spf.iter().map(|spf| spf.domain.as_str());
    let domains: Vec<&str> = dkim_domains
        .chain(spf_domains)
        .chain(record.envelope_from.as_deref())
        .filter(|domain| !domain.is_empty())
        .collect();
    if let Some(vendor) = memo.vendor.as_ref().filter(|v| v.matches(record, &domains)) {
        return (vendor.name.clone(), GroupKind::Provider);
    }
    if let Some(provider) = domains.iter().find_map(|d| memo.provider(d)) {
        return (provider.name.to_owned(), GroupKind::Provider);
    }
    let own = memo.organization(from);
    // Passing signatures first: they say who sent it; a failing one may be forged.
    let passing_dkim = record
        .dkim
        .iter()
        .filter(|dkim| dkim.result == "pass" && !dkim.domain.is_empty())
        .map(|dkim| dkim.domain.as_str());
    let named = passing_dkim.chain(domains.iter().copied()).next();
    // Mail with no domain at all: where online, the name the source IP's PTR record gives.
    let ptr_name = || {
        let ip = record.source_ip.trim().parse::<std::net::IpAddr>().ok()?;
        let answer = memo
            .ptr
            .get(&Query::new(&reverse_name(ip), RecordType::Ptr))?;
        answer.record_data().iter().find_map(|data| match data {
            RecordData::Ptr(name) => Some(name.trim_end_matches('.').to_ascii_lowercase()),
            _ => None,
        })
    };
    let named = match named {
        Some(domain) => domain.to_owned(),
        None => match ptr_name() {
            Some(name) => {
                // A server's name sits below the provider's sending domain.
                let organization = memo.organization(&name);
                if let Some(provider) = memo
                    .provider(&name)
                    .or_else(|| memo.provider(&organization))
                {
                    return (provider.name.to_owned(), GroupKind::Provider);
                }
                name
            }
            None => return ("unidentified".to_owned(), GroupKind::Unidentified),
        },
    };
    let organization = memo.organization(&named);
    if organization == own {
        (organization, GroupKind::Own)
    } else {
        (organization, GroupKind::Domain)
    }
}

/// The most PTR lookups [`ptr_queries`] asks for (the gateway's budget per request).
pub const MAX_PTR_LOOKUPS: usize = 40;

/// The PTR queries that name the senders the reports cannot (where online): the source IPs of
/// mail that carries no DKIM, SPF or envelope domain, most messages first, at most
/// [`MAX_PTR_LOOKUPS`]. Their answers go to [`analyze_for`].
pub fn ptr_queries(files: &[FileRead]) -> Vec<Query> {
    let mut counts: HashMap<std::net::IpAddr, u64> = HashMap::new();
    for file in files {
        for document in &file.documents {
            let Content::Aggregate(report) = &document.content else {
                continue;
            };
            for record in &report.records {
                let has_domain = record.dkim.iter().any(|d| !d.domain.is_empty())
                    || record.spf.iter().any(|s| !s.domain.is_empty())
                    || record
                        .envelope_from
                        .as_deref()
                        .is_some_and(|d| !d.is_empty());
                if let (false, Ok(ip)) = (has_domain, record.source_ip.trim().parse()) {
                    *counts.entry(ip).or_default() += record.count;
                }
            }
        }
    }
    let mut ips: Vec<(std::net::IpAddr, u64)> = counts.into_iter().collect();
    ips.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ips.into_iter()
        .take(MAX_PTR_LOOKUPS)
        .map(|(ip, _)| Query::new(&reverse_name(ip), RecordType::Ptr))
        .collect()
}

/// One domain's merge in progress.
#[derive(Default)]
struct DomainMerge {
    policy: Option<(u64, PolicyPublished)>,
    reports: usize,
    reporters: BTreeSet<String>,
    begin: Option<u64>,
    end: Option<u64>,
    groups: BTreeMap<String, SenderGroup>,
    sources: HashMap<String, SourceRow>,
}

impl DomainMerge {
    fn add(&mut self, report: &AggregateReport, memo: &mut Memo) {
        self.reports += 1;
        if !report.org_name.is_empty() {
            self.reporters.insert(report.org_name.clone());
        }
        self.begin = match (self.begin, report.begin) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.end = self.end.max(report.end);
        // The latest report's policy is the one in force.
        let stamp = report.end.unwrap_or(0);
        if self
            .policy
            .as_ref()
            .is_none_or(|(latest, _)| stamp >= *latest)
        {
            self.policy = Some((stamp, report.policy.clone()));
        }
        for record in &report.records {
            let from = if record.header_from.is_empty() {
                report.policy.domain.as_str()
            } else {
                record.header_from.as_str()
            };
            let evaluation = evaluate(memo, record, from, &report.policy);
            let (name, kind) = sender_of(memo, record, from);
            let count = record.count;
            if !self.groups.contains_key(&name) {
                self.groups.insert(
                    name.clone(),
                    SenderGroup {
                        name: name.clone(),
                        kind,
                        domains: BTreeSet::new(),
                        ips: BTreeSet::new(),
                        messages: 0,
                        dmarc_pass: 0,
                        failing_dkim_pass: 0,
                        failing_spf_pass: 0,
                        verdict: Verdict::Aligned,
                        fix: None,
                    },
                );
            }
            let group = self.groups.get_mut(&name).expect("inserted above");
            group.messages += count;
            insert(&mut group.ips, &record.source_ip);
            for dkim in record.dkim.iter().filter(|dkim| !dkim.domain.is_empty()) {
                insert(&mut group.domains, &dkim.domain);
            }
            for spf in record.spf.iter().filter(|spf| !spf.domain.is_empty()) {
                insert(&mut group.domains, &spf.domain);
            }
            if evaluation.dmarc_pass {
                group.dmarc_pass += count;
            } else {
                // Passes for another domain: the sender authenticates, only not as the From
                // domain. DKIM is the fix to name first: it survives forwarding.
                if let Some(domain) = &evaluation.dkim_unaligned_pass {
                    group.failing_dkim_pass += count;
                    if !matches!(group.fix, Some(Fix::Dkim { .. })) {
                        group.fix = Some(Fix::Dkim {
                            domain: domain.clone(),
                        });
                    }
                }
                if let Some(domain) = &evaluation.spf_unaligned_pass {
                    group.failing_spf_pass += count;
                    group.fix.get_or_insert(Fix::Spf {
                        domain: domain.clone(),
                    });
                }
            }
            if !self.sources.contains_key(&record.source_ip) {
                let row = SourceRow {
                    ip: record.source_ip.clone(),
                    sender: name.clone(),
                    ..SourceRow::default()
                };
                self.sources.insert(record.source_ip.clone(), row);
            }
            let source = self
                .sources
                .get_mut(&record.source_ip)
                .expect("inserted above");
            source.messages += count;
            let add = |flag: bool| if flag { count } else { 0 };
            source.dmarc_pass += add(evaluation.dmarc_pass);
            source.spf_pass += add(evaluation.spf_pass);
            source.spf_aligned += add(evaluation.spf_aligned);
            source.dkim_pass += add(evaluation.dkim_pass);
            source.dkim_aligned += add(evaluation.dkim_aligned);
            if !record.disposition.is_empty() {
                *source
                    .dispositions
                    .entry(record.disposition.clone())
                    .or_default() += count;
            }
            for reason in record.reasons.iter().filter(|r| !r.kind.is_empty()) {
                *source.reasons.entry(reason.kind.clone()).or_default() += count;
            }
            if !report.org_name.is_empty() {
                insert(&mut source.reporters, &report.org_name);
            }
            insert(&mut source.header_from, from);
            for dkim in record.dkim.iter().filter(|dkim| !dkim.domain.is_empty()) {
                insert(&mut source.dkim_domains, &dkim.domain);
            }
            for spf in record.spf.iter().filter(|spf| !spf.domain.is_empty()) {
                insert(&mut source.spf_domains, &spf.domain);
            }
        }
    }

    fn finish(self, domain: String) -> DomainAnalysis {
        let policy = self.policy.map(|(_, policy)| policy).unwrap_or_default();
        let mut groups: Vec<SenderGroup> = self
            .groups
            .into_values()
            .map(|mut group| {
                let authenticates = group.failing_dkim_pass > 0 || group.failing_spf_pass > 0;
                group.verdict = if group.failing() == 0 {
                    group.fix = None;
                    Verdict::Aligned
                } else if group.kind == GroupKind::Provider || authenticates {
                    group.fix.get_or_insert(Fix::Setup);
                    Verdict::LegitimateFailing
                } else {
                    group.fix = None;
                    Verdict::UnknownFailing
                };
                group
            })
            .collect();
        groups.sort_by(|a, b| {
            let rank = |verdict: Verdict| match verdict {
                Verdict::LegitimateFailing => 0,
                Verdict::UnknownFailing => 1,
                Verdict::Aligned => 2,
            };
            (rank(a.verdict), b.failing(), b.messages, &a.name).cmp(&(
                rank(b.verdict),
                a.failing(),
                a.messages,
                &b.name,
            ))
        });
        let mut sources: Vec<SourceRow> = self.sources.into_values().collect();
        sources.sort_by(|a, b| b.messages.cmp(&a.messages).then_with(|| a.ip.cmp(&b.ip)));
        let messages = groups.iter().map(|g| g.messages).sum();
        let dmarc_pass = groups.iter().map(|g| g.dmarc_pass).sum();
        // Legitimate mail: whatever passes, and the failing mail of legitimate senders; the
        // failing mail of unknown senders (spoofing, broken forwarding) is what the policy is for.
        let legitimate_failing = groups
            .iter()
            .filter(|g| g.verdict == Verdict::LegitimateFailing)
            .map(SenderGroup::failing)
            .sum::<u64>();
        let legitimate_messages = dmarc_pass + legitimate_failing;
        let failing_senders = groups
            .iter()
            .filter(|g| g.verdict == Verdict::LegitimateFailing)
            .map(|g| g.name.clone())
            .collect();
        let current = policy.p.clone().unwrap_or_else(|| "none".to_owned());
        // RFC 7489 §6.3: with pct below 100 the policy covers only a sample of the failing mail;
        // covering all of it is the step before the next policy.
        let partial = enforcing(&current) && policy.pct.is_some_and(|pct| pct < 100);
        let next = match current.as_str() {
            policy if partial => Some(format!("{policy}; pct=100")),
            "reject" => None,
            "quarantine" => Some("reject".to_owned()),
            _ => Some("quarantine".to_owned()),
        };
        let ready = legitimate_messages > 0
            && u128::from(legitimate_failing) * 1000
                <= u128::from(legitimate_messages) * u128::from(READY_FAILING_PERMILLE);
        DomainAnalysis {
            domain,
            policy,
            reports: self.reports,
            reporters: self.reporters,
            begin: self.begin,
            end: self.end,
            messages,
            dmarc_pass,
            groups,
            sources,
            readiness: Readiness {
                policy: current,
                next,
                ready,
                legitimate_messages,
                legitimate_failing,
                failing_senders,
            },
        }
    }
}

/// `part` of `whole` in percent, one decimal below 10 ("0.4", "3.2", "45"), "<0.1" for a
/// share that rounds to nothing.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0".to_owned();
    }
    let tenths = (u128::from(part) * 1000 + u128::from(whole) / 2) / u128::from(whole);
    if tenths == 0 && part > 0 {
        "<0.1".to_owned()
    } else if tenths >= 100 || tenths % 10 == 0 {
        ((tenths + 5) / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Whether the policy already keeps failing mail out (quarantine or reject).
fn enforcing(policy: &str) -> bool {
    matches!(policy, "quarantine" | "reject")
}

/// The findings of one domain: its readiness, then its failing senders.
fn domain_findings(domain: &DomainAnalysis, findings: &mut Vec<Finding>) {
    let readiness = &domain.readiness;
    let base = |code: Code| {
        Finding::new(code)
            .with_domain(&domain.domain)
            .with("domain", &domain.domain)
            .with("policy", &readiness.policy)
    };
    let share = percent(readiness.legitimate_failing, readiness.legitimate_messages);
    findings.push(match (&readiness.next, readiness.ready) {
        (None, true) => base(Code::ReportPolicyFinal).with("messages", domain.messages),
        (Some(next), true) => base(Code::ReportReadyForNextStep)
            .with("next", next)
            .with("messages", domain.messages)
            .with("share", &share),
        (next, false) => {
            let finding = base(Code::ReportNotReady)
                .with("next", next.as_deref().unwrap_or(&readiness.policy))
                .with("share", &share)
                .with("senders", readiness.failing_senders.join(", "));
            if domain.messages == 0 || readiness.legitimate_messages == 0 {
                finding.with("reason", "no-legitimate-mail")
            } else if next.is_none() {
                finding
                    .with("reason", "final")
                    .with_severity(Severity::Error)
            } else {
                finding
            }
        }
    });
    for group in &domain.groups {
        let finding = |code: Code| {
            Finding::new(code)
                .with_domain(&domain.domain)
                .with("domain", &domain.domain)
                .with("sender", &group.name)
                .with("failing", group.failing())
                .with("messages", group.messages)
                .with("ips", group.ips.len())
        };
        match group.verdict {
            Verdict::Aligned => {}
            Verdict::LegitimateFailing => {
                let mut legitimate = finding(Code::ReportLegitimateFailing)
                    .with("share", percent(group.failing(), group.messages));
                if let Some(fix) = &group.fix {
                    legitimate = legitimate.with("fix", fix.name());
                    if let Fix::Dkim { domain } | Fix::Spf { domain } = fix {
                        legitimate = legitimate.with("signing_domain", domain);
                    }
                }
                if enforcing(&readiness.policy) {
                    legitimate = legitimate.with_severity(Severity::Error);
                }
                findings.push(legitimate);
            }
            Verdict::UnknownFailing => {
                let mut unknown = finding(Code::ReportUnknownFailing);
                if group.kind == GroupKind::Own {
                    unknown = unknown.with("own", "yes");
                }
                if enforcing(&readiness.policy) {
                    unknown = unknown.with("stopped", "yes").with_severity(Severity::Info);
                }
                findings.push(unknown);
            }
        }
    }
}

/// Merges the files' reports: duplicates (the same receiver's report ID for the same domain
/// twice, as when a report is forwarded again) count once.
pub fn analyze(files: &[FileRead]) -> Analysis {
    analyze_for(files, None, &AnswerCache::new())
}

/// [`analyze`], with the vendor of a sender profile recognised by name: its mail (from its IPs
/// and networks, or carrying its domains) is a known sender of its own, so a vendor's customer
/// sees the vendor's mail as such — aligned, or legitimate and failing, with the fix; and with
/// the answers to [`ptr_queries`] (where online; empty otherwise), mail with no domain is named
/// by its server's PTR name (a known provider, or the name's organizational domain).
pub fn analyze_for(
    files: &[FileRead],
    profile: Option<&SenderProfile>,
    ptr: &AnswerCache,
) -> Analysis {
    let mut analysis = Analysis {
        counts: Counts {
            files: files.len(),
            complete_files: files.iter().filter(|f| f.is_complete()).count(),
            ..Counts::default()
        },
        ..Analysis::default()
    };
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut memo = Memo {
        vendor: profile.map(VendorMatch::new),
        ptr: ptr.clone(),
        ..Memo::default()
    };
    let mut domains: BTreeMap<String, DomainMerge> = BTreeMap::new();
    let mut tls: BTreeMap<String, TlsDomain> = BTreeMap::new();
    let mut failures: BTreeMap<(String, String, String), FailureSummary> = BTreeMap::new();
    let mut later: Vec<Finding> = Vec::new();
    for file in files {
        analysis.problems.extend(file.problems.iter().cloned());
        for document in &file.documents {
            match &document.content {
                Content::Aggregate(report) => {
                    let key = (
                        report.org_name.to_ascii_lowercase(),
                        report.report_id.clone(),
                        report.policy.domain.clone(),
                    );
                    if !report.report_id.is_empty() && !seen.insert(key) {
                        analysis.counts.duplicates += 1;
                        later.push(duplicate(&document.origin, report));
                        continue;
                    }
                    analysis.counts.aggregate_reports += 1;
                    domains
                        .entry(report.policy.domain.clone())
                        .or_default()
                        .add(report, &mut memo);
                }
                Content::Tls(report) => {
                    analysis.counts.tls_reports += 1;
                    for policy in &report.policies {
                        let entry =
                            tls.entry(policy.policy_domain.clone())
                                .or_insert_with(|| TlsDomain {
                                    domain: policy.policy_domain.clone(),
                                    ..TlsDomain::default()
                                });
                        entry.reports += 1;
                        entry.reporters.insert(report.organization_name.clone());
                        entry.policy_types.insert(policy.policy_type.clone());
                        entry.successful += policy.successful;
                        entry.failed += policy.failed;
                        for failure in &policy.failures {
                            let count = failure.failed_session_count;
                            *entry
                                .by_result
                                .entry(failure.result_type.clone())
                                .or_default() += count;
                            if !failure.receiving_mx_hostname.is_empty() {
                                *entry
                                    .by_mx
                                    .entry(failure.receiving_mx_hostname.clone())
                                    .or_default() += count;
                            }
                        }
                    }
                }
                Content::Failure(report) => {
                    analysis.counts.failure_reports += 1;
                    let key = (
                        report.reported_domain.clone().unwrap_or_default(),
                        report.source_ip.clone().unwrap_or_default(),
                        report.auth_failure.clone().unwrap_or_default(),
                    );
                    let entry = failures
                        .entry(key.clone())
                        .or_insert_with(|| FailureSummary {
                            domain: key.0,
                            source_ip: key.1,
                            auth_failure: key.2,
                            incidents: 0,
                            from: BTreeSet::new(),
                        });
                    entry.incidents += report.incidents.max(1);
                    entry.from.extend(report.original_from.clone());
                }
            }
        }
    }
    let mut merged: Vec<DomainAnalysis> = domains
        .into_iter()
        .map(|(domain, merge)| merge.finish(domain))
        .collect();
    merged.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then_with(|| a.domain.cmp(&b.domain))
    });
    for domain in &merged {
        domain_findings(domain, &mut analysis.findings);
    }
    for domain in tls.values() {
        let total = domain.successful + domain.failed;
        if domain.failed > 0 {
            let results = sorted_counts(&domain.by_result);
            let hosts = sorted_counts(&domain.by_mx);
            analysis.findings.push(
                Finding::new(Code::ReportTlsFailures)
                    .with_domain(&domain.domain)
                    .with("domain", &domain.domain)
                    .with("failed", domain.failed)
                    .with("total", total)
                    .with("share", percent(domain.failed, total))
                    .with("results", results)
                    .with("hosts", hosts),
            );
        } else if total > 0 {
            analysis.findings.push(
                Finding::new(Code::ReportTlsOk)
                    .with_domain(&domain.domain)
                    .with("domain", &domain.domain)
                    .with("total", total),
            );
        }
    }
    for failure in failures.values() {
        analysis.findings.push(
            Finding::new(Code::ReportAuthFailure)
                .with_domain(&failure.domain)
                .with("domain", &failure.domain)
                .with("ip", &failure.source_ip)
                .with("failure", &failure.auth_failure)
                .with("incidents", failure.incidents),
        );
    }
    analysis.findings.extend(later);
    analysis.domains = merged;
    analysis.tls = tls.into_values().collect();
    analysis.failures = failures.into_values().collect();
    analysis
}

/// `name count` pairs, most first: "certificate-expired 100, starttls-not-supported 3".
fn sorted_counts(counts: &BTreeMap<String, u64>) -> String {
    let mut pairs: Vec<(&String, &u64)> = counts.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    pairs
        .iter()
        .map(|(name, count)| format!("{name} {count}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn duplicate(origin: &Origin, report: &AggregateReport) -> Finding {
    Finding::new(Code::ReportDuplicate)
        .with("source", origin.label())
        .with("org", &report.org_name)
        .with("report_id", &report.report_id)
}

/// The per-IP table as CSV (RFC 4180, the recipient list's writer): one row per policy domain
/// and source IP.
pub fn to_csv(analysis: &Analysis) -> String {
    let verdicts: BTreeMap<(&str, &str), &SenderGroup> = analysis
        .domains
        .iter()
        .flat_map(|domain| {
            domain
                .groups
                .iter()
                .map(move |group| ((domain.domain.as_str(), group.name.as_str()), group))
        })
        .collect();
    let rows = analysis.domains.iter().flat_map(|domain| {
        let verdicts = &verdicts;
        domain.sources.iter().map(move |source| {
            let verdict = verdicts
                .get(&(domain.domain.as_str(), source.sender.as_str()))
                .map_or("", |group| group.verdict.as_str());
            let join = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(" ");
            let map = |map: &BTreeMap<String, u64>| {
                map.iter()
                    .map(|(name, count)| format!("{name}={count}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            vec![
                domain.domain.clone(),
                source.ip.clone(),
                source.sender.clone(),
                verdict.to_owned(),
                source.messages.to_string(),
                source.dmarc_pass.to_string(),
                source.spf_pass.to_string(),
                source.spf_aligned.to_string(),
                source.dkim_pass.to_string(),
                source.dkim_aligned.to_string(),
                map(&source.dispositions),
                map(&source.reasons),
                join(&source.header_from),
                join(&source.dkim_domains),
                join(&source.spf_domains),
                join(&source.reporters),
            ]
        })
    });
    crate::recipients::write_csv(
        "domain,ip,sender,verdict,messages,dmarc_pass,spf_pass,spf_aligned,dkim_pass,dkim_aligned,dispositions,reasons,header_from,dkim_domains,spf_domains,reporters",
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{DkimResult, SpfResult, read_file};

    fn record(ip: &str, count: u64, dkim: (&str, &str), spf: (&str, &str)) -> Record {
        Record {
            source_ip: ip.to_owned(),
            count,
            disposition: "none".to_owned(),
            header_from: "example.com".to_owned(),
            dkim: vec![DkimResult {
                domain: dkim.0.to_owned(),
                selector: None,
                result: dkim.1.to_owned(),
            }],
            spf: vec![SpfResult {
                domain: spf.0.to_owned(),
                scope: Some("mfrom".to_owned()),
                result: spf.1.to_owned(),
            }],
            ..Record::default()
        }
    }

    #[test]
    fn alignment_follows_adkim_and_aspf() {
        let policy = PolicyPublished {
            domain: "example.com".to_owned(),
            adkim: Some("s".to_owned()),
            ..PolicyPublished::default()
        };
        let row = record(
            "192.0.2.1",
            1,
            ("mail.example.com", "pass"),
            ("example.com", "pass"),
        );
        let strict = evaluate(&mut Memo::default(), &row, "example.com", &policy);
        assert!(strict.dkim_pass && !strict.dkim_aligned);
        assert!(strict.spf_aligned && strict.dmarc_pass);
        let relaxed = evaluate(
            &mut Memo::default(),
            &row,
            "example.com",
            &PolicyPublished::default(),
        );
        assert!(relaxed.dkim_aligned);
    }

    #[test]
    fn senders_are_named_by_provider_own_domain_or_organization() {
        let mailjet = record("192.0.2.2", 1, ("", ""), ("bnc3.mailjet.com", "pass"));
        assert_eq!(
            sender_of(&mut Memo::default(), &mailjet, "example.com"),
            ("Mailjet".to_owned(), GroupKind::Provider)
        );
        let own = record(
            "192.0.2.3",
            1,
            ("example.com", "pass"),
            ("example.com", "pass"),
        );
        assert_eq!(
            sender_of(&mut Memo::default(), &own, "example.com"),
            ("example.com".to_owned(), GroupKind::Own)
        );
        let other = record(
            "192.0.2.4",
            1,
            ("news.example.org", "pass"),
            ("x.example.net", "fail"),
        );
        assert_eq!(
            sender_of(&mut Memo::default(), &other, "example.com"),
            ("example.org".to_owned(), GroupKind::Domain)
        );
        let nothing = Record {
            source_ip: "192.0.2.5".to_owned(),
            ..Record::default()
        };
        assert_eq!(
            sender_of(&mut Memo::default(), &nothing, "example.com"),
            ("unidentified".to_owned(), GroupKind::Unidentified)
        );
    }

    #[test]
    fn percent_has_one_decimal_below_ten() {
        assert_eq!(percent(3, 100), "3");
        assert_eq!(percent(1, 300), "0.3");
        assert_eq!(percent(45, 100), "45");
        assert_eq!(percent(0, 0), "0");
        assert_eq!(percent(1, 1), "100");
        assert_eq!(percent(1, 3000), "<0.1");
    }

    #[test]
    fn duplicates_count_once() {
        let xml = br#"<feedback><report_metadata><org_name>a</org_name><report_id>1</report_id></report_metadata>
            <policy_published><domain>example.com</domain><p>none</p></policy_published>
            <record><row><source_ip>192.0.2.1</source_ip><count>5</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
            <identifiers><header_from>example.com</header_from></identifiers>
            <auth_results><dkim><domain>example.com</domain><result>pass</result></dkim></auth_results></record></feedback>"#;
        let files = [read_file(0, "a.xml", xml), read_file(1, "b.xml", xml)];
        let analysis = analyze(&files);
        assert_eq!(analysis.counts.duplicates, 1);
        assert_eq!(analysis.domains[0].messages, 5);
        assert_eq!(
            analysis.findings.last().map(|f| f.code),
            Some(Code::ReportDuplicate)
        );
    }
}
