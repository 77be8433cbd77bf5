//! The report model: [`Report`] with its SPF section and per-IP results, the records it holds,
//! and the localized JSON shape ([`LocalizedReport`], [`LocalizedFinding`]).

use crate::dkim::DkimSection;
use crate::dmarc::DmarcSection;
use crate::findings::{Code, Family, Finding, Severity, Span};
use crate::mailtransport::{BimiSection, DnssecSection, MtaStsSection, TlsRptSection};
use crate::messages::{self, Lang};
use crate::mx::MxSection;
use crate::profile::ProfileSection;
use crate::sender::SenderSection;
use crate::spf::analyze::{NodeStatus, SpfNode};
use crate::spf::eval::{SpfResult, TraceEvent};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The report model: what the CLI prints, the page renders, and a snapshot reproduces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The checked domain, lowercase and without the trailing dot.
    pub domain: String,
    /// The worst severity among the findings.
    pub verdict: Severity,
    /// The id of the DNS host the domain's NS records name ([`crate::publish::DnsHost`]), if
    /// the table knows it.
    pub dns_host: Option<String>,
    /// What to do, most important first, each with the exact record to publish where there is one.
    pub actions: Vec<crate::actions::Action>,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    /// The SPF record tree and the result for each sending IP.
    pub spf: SpfSection,
    /// The DMARC policy that applies to the domain.
    pub dmarc: DmarcSection,
    /// The DKIM key records at the named and guessed selectors.
    pub dkim: DkimSection,
    /// The mail servers: MX hosts and their addresses.
    pub mx: MxSection,
    /// One per sending IP: PTR, forward-confirmed reverse DNS, blocklists.
    pub senders: Vec<SenderSection>,
    /// The MTA-STS record and policy file (RFC 8461).
    pub mta_sts: MtaStsSection,
    /// The TLS-RPT record (RFC 8460).
    pub tlsrpt: TlsRptSection,
    /// The BIMI assertion record, with its logo and certificate URLs.
    pub bimi: BimiSection,
    /// Whether the resolver validated the domain's answers with DNSSEC.
    pub dnssec: DnssecSection,
    /// What the vendor's sender profile needs, when the check was made with one.
    pub profile: Option<ProfileSection>,
}

/// The SPF part of the report: the record tree and each sending IP's result (RFC 7208).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfSection {
    /// The domain's own SPF record, strings joined.
    pub record: Option<String>,
    /// DNS-querying terms across the tree (§4.6.4).
    pub lookups: u32,
    /// Void lookups across the tree (§4.6.4).
    pub void_lookups: u32,
    /// The include/redirect tree, rooted at the domain's own record.
    pub tree: SpfNode,
    /// One per sending IP under test.
    pub results: Vec<IpResult>,
}

/// The SPF result for one sending IP, with the term that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpResult {
    /// The sending IP.
    pub ip: IpAddr,
    /// What `check_host()` returns for it (§2.6).
    pub result: SpfResult,
    /// The deciding term; none when the default (neutral) or "none" applied.
    pub term: Option<String>,
    /// The domain whose record holds `term`.
    pub domain: Option<String>,
    /// Where `term` stands in `domain`'s record.
    pub span: Option<Span>,
    /// The code explaining an error result.
    pub reason: Option<Code>,
    /// DNS-querying terms evaluated for this IP (§4.6.4).
    pub lookups: u32,
    /// Lookups that found nothing, for this IP (§4.6.4).
    pub void_lookups: u32,
    /// Every step of the evaluation, in order.
    pub trace: Vec<TraceEvent>,
}

impl Report {
    /// The exit status the CLI uses: whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The DNS host of [`Report::dns_host`], from the table.
    pub fn host(&self) -> Option<crate::publish::DnsHost> {
        self.dns_host
            .as_deref()
            .and_then(crate::publish::DnsHost::by_id)
    }

    /// The zone records are published in: the registered domain.
    pub fn zone(&self) -> String {
        crate::dns::name::organizational_domain_guess(&self.domain)
    }

    /// Whether the check could not run at all: the domain's own SPF lookup failed.
    pub fn could_not_run(&self) -> bool {
        self.spf.tree.status == NodeStatus::LookupFailed
    }

    /// Every record of the report as (owner name the findings use, the family of the codes about
    /// it, record text):
    /// the SPF records of the include/redirect tree (the domain's own first, then depth first),
    /// the DMARC record at `_dmarc.<policy domain>`, then [`other_records`]. What a renderer puts
    /// carets under: a finding's `domain` and `span` point into the record of that owner.
    pub fn records(&self) -> Vec<(String, Family, String)> {
        fn walk(node: &SpfNode, out: &mut Vec<(String, Family, String)>) {
            if let Some(text) = &node.record {
                out.push((node.domain.clone(), Family::Spf, text.clone()));
            }
            node.children.iter().for_each(|c| walk(c, out));
        }
        let mut list = Vec::new();
        walk(&self.spf.tree, &mut list);
        if let Some(text) = &self.dmarc.record {
            let owner = format!("_dmarc.{}", self.dmarc.policy_domain_or(&self.domain));
            list.push((owner, Family::Dmarc, text.clone()));
        }
        list.extend(other_records(self));
        list
    }

    /// The report with every finding's message in `lang`: the public JSON shape.
    pub fn localized(&self, lang: Lang) -> LocalizedReport<'_> {
        LocalizedReport {
            domain: &self.domain,
            verdict: self.verdict,
            lang,
            headline: messages::headline(self, lang),
            dns_host: self.host().map(|host| LocalizedDnsHost {
                id: host.id,
                name: host.name,
                help: host.help,
            }),
            actions: self
                .actions
                .iter()
                .map(|a| crate::actions::LocalizedAction::new(a, self, lang))
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
    /// The checked domain.
    pub domain: &'a str,
    /// The worst severity among the findings.
    pub verdict: Severity,
    /// The language of the messages, hints and instructions.
    pub lang: Lang,
    /// The first line in the customer's words ([`messages::headline`]).
    pub headline: String,
    /// The DNS host the domain's NS records name, where the table knows it.
    pub dns_host: Option<LocalizedDnsHost>,
    /// What to do, most important first, each instruction in `lang`.
    pub actions: Vec<crate::actions::LocalizedAction<'a>>,
    /// Every finding with its message, most severe first.
    pub findings: Vec<LocalizedFinding<'a>>,
    /// As in [`Report::spf`].
    pub spf: &'a SpfSection,
    /// As in [`Report::dmarc`].
    pub dmarc: &'a DmarcSection,
    /// As in [`Report::dkim`].
    pub dkim: &'a DkimSection,
    /// As in [`Report::mx`].
    pub mx: &'a MxSection,
    /// As in [`Report::senders`].
    pub senders: &'a [SenderSection],
    /// As in [`Report::mta_sts`].
    pub mta_sts: &'a MtaStsSection,
    /// As in [`Report::tlsrpt`].
    pub tlsrpt: &'a TlsRptSection,
    /// As in [`Report::bimi`].
    pub bimi: &'a BimiSection,
    /// As in [`Report::dnssec`].
    pub dnssec: &'a DnssecSection,
    /// As in [`Report::profile`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'a ProfileSection>,
}

/// The DNS host as the public JSON names it.
#[derive(Debug, Serialize)]
pub struct LocalizedDnsHost {
    /// Its stable id in `data/dns-hosts.txt`.
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its help page on DNS records.
    pub help: &'static str,
}

/// A finding as the public API shows it: `code`, `severity`, `message`, and `span` where it is
/// about record text.
#[derive(Debug, Serialize)]
pub struct LocalizedFinding<'a> {
    /// The catalog code.
    pub code: Code,
    /// How much it matters here.
    pub severity: Severity,
    /// The plain-language message, parameters filled in.
    pub message: String,
    /// What to change, where the code calls for a change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<&'static str>,
    /// The domain whose record `span` points into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<&'a str>,
    /// The byte range of the record text the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The RFC section the code enforces.
    pub rule: &'static str,
    /// The named values the message was filled with.
    pub params: &'a std::collections::BTreeMap<String, String>,
}

impl<'a> LocalizedFinding<'a> {
    /// The finding with its message and hint in `lang`.
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
pub fn other_records(report: &Report) -> Vec<(String, Family, String)> {
    let mut records = Vec::new();
    for selector in &report.dkim.selectors {
        if let Some(text) = &selector.record {
            records.push((selector.name.clone(), Family::Dkim, text.clone()));
        }
    }
    let domain = &report.domain;
    for (owner, record) in [
        (format!("_mta-sts.{domain}"), &report.mta_sts.record),
        (format!("mta-sts.{domain}"), &report.mta_sts.policy),
    ] {
        if let Some(text) = record {
            records.push((owner, Family::MtaSts, text.clone()));
        }
    }
    if let Some(text) = &report.tlsrpt.record {
        records.push((format!("_smtp._tls.{domain}"), Family::TlsRpt, text.clone()));
    }
    if let Some(text) = &report.bimi.record {
        records.push((
            format!("default._bimi.{domain}"),
            Family::Bimi,
            text.clone(),
        ));
    }
    records
}
