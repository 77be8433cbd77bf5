//! The action list: what to do, most important first, each with the exact record to publish
//! and who does it.
//!
//! Actions are derived from findings (one per code that calls for a change); where the report
//! knows the exact DNS record that fixes a finding, the action carries it. Every action names
//! its [`Actor`]: a record is published by the customer at their DNS host, a DKIM key comes
//! from whoever signs the mail, a sending server's PTR record or blocklist entry is its
//! operator's — and the vendor's own when the server is one of its sender profile's.

use crate::dmarc::{DmarcSection, next_policy_step, starter_record};
use crate::findings::{Code, Family, Finding, Severity};
use crate::messages::{self, Lang};
use crate::profile::ProfileSection;
use crate::publish::{DnsHost, Publish};
use crate::report::Report;
use crate::spf::analyze::{NodeStatus, SpfAnalysis};
use crate::spf::parse;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Who has to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    /// The customer, at the provider that manages their domain's DNS records.
    DnsHost,
    /// The customer, in the settings of their program (or their administrator).
    Customer,
    /// The customer's mail provider: the one that runs their mail server or signs their mail.
    MailProvider,
    /// The operator of a sending server's IP address (a hosting or internet provider).
    IpOperator,
    /// The vendor of the program that sends (with a sender profile: that vendor, by name).
    Vendor,
}

impl Actor {
    /// The kebab-case name the JSON uses (`dns-host`, `vendor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::DnsHost => "dns-host",
            Actor::Customer => "customer",
            Actor::MailProvider => "mail-provider",
            Actor::IpOperator => "ip-operator",
            Actor::Vendor => "vendor",
        }
    }

    /// Who acts on a finding of the domain report. `vendor_ips` are the sending IPs of the
    /// vendor's sender profile: their PTR records and blocklist entries are the vendor's to fix,
    /// never the customer's.
    pub fn of_finding(finding: &Finding, vendor_ips: &[IpAddr]) -> Actor {
        use Code::*;
        match finding.code.family() {
            Family::Domain if finding.code == DomainNotFound => Actor::Customer,
            Family::Sender => {
                let ip = finding.param("ip").parse::<IpAddr>().ok();
                if ip.is_some_and(|ip| vendor_ips.contains(&ip)) {
                    Actor::Vendor
                } else {
                    Actor::IpOperator
                }
            }
            // The key pair is made where the mail is signed; the customer publishes only the
            // public half the signer hands out.
            Family::Dkim
                if matches!(
                    finding.code,
                    DkimSelectorMissing
                        | DkimNoneFound
                        | DkimKeyRevoked
                        | DkimKeyInvalid
                        | DkimKeyTooShort
                        | DkimKeyWeak
                        | DkimTesting
                ) =>
            {
                Actor::MailProvider
            }
            #[cfg(feature = "smtp")]
            Family::Smtp => crate::smtp::explain::who_acts(finding.code).unwrap_or(Actor::Customer),
            _ => Actor::DnsHost,
        }
    }
}

/// A DNS record to publish, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordToPublish {
    /// The owner name, fully qualified without trailing dot.
    pub name: String,
    /// The record type as written in zone files (`TXT`, `MX`).
    #[serde(rename = "type")]
    pub record_type: String,
    /// The record's value as it goes into a DNS provider's form (TXT without quotes).
    pub value: String,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// The finding that calls for it.
    pub code: Code,
    /// How much the finding behind it matters; actions are listed by it, most severe first.
    pub severity: Severity,
    /// The exact record that fixes the finding, where the report knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<RecordToPublish>,
    /// The finding's parameters, which the instruction's text fills in.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub params: BTreeMap<String, String>,
    /// Who does it.
    pub actor: Actor,
    /// `record` the way the domain's DNS host wants it typed in (the generic form when the
    /// host is not known).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub publish: Option<Publish>,
}

/// An action as the public JSON shows it: the instruction in the chosen language.
#[derive(Debug, Serialize)]
pub struct LocalizedAction<'a> {
    /// The finding that calls for it.
    pub code: Code,
    /// How much the finding behind it matters.
    pub severity: Severity,
    /// The instruction in the chosen language: the code's hint, else its message. An action
    /// that is the vendor's own says what is wrong instead: the customer has nothing to do.
    pub text: String,
    /// Who does it.
    pub actor: Actor,
    /// Who does it, in words: the DNS host or the vendor by name where the report knows them.
    pub who: String,
    /// The exact record to publish, where the report knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<&'a RecordToPublish>,
    /// The record as the DNS host's panel wants it, with the steps there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish: Option<LocalizedPublish<'a>>,
}

/// A record to type into a DNS host's panel, with the steps in the chosen language.
#[derive(Debug, Serialize)]
pub struct LocalizedPublish<'a> {
    /// The host field, the type and the value, as the panel wants them.
    #[serde(flatten)]
    pub form: &'a Publish,
    /// What to do, step by step.
    pub steps: Vec<String>,
    /// The DNS host's own help page, where it is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'static str>,
}

impl<'a> LocalizedAction<'a> {
    /// `action` of `report` in `lang`.
    pub fn new(action: &'a Action, report: &Report, lang: Lang) -> Self {
        let finding = Finding {
            params: action.params.clone(),
            ..Finding::new(action.code)
        };
        let host = report.host();
        let vendor = report.profile.as_ref().map(|p| p.name.as_str());
        let text = match action.actor {
            Actor::Vendor => messages::message(&finding, lang),
            _ => messages::hint(action.code, lang)
                .map_or_else(|| messages::message(&finding, lang), str::to_owned),
        };
        LocalizedAction {
            code: action.code,
            severity: action.severity,
            text,
            actor: action.actor,
            who: messages::actor_named(
                action.actor,
                action.code,
                host.as_ref().map(|h| h.name),
                vendor,
                lang,
            ),
            record: action.record.as_ref(),
            publish: action.publish.as_ref().map(|form| LocalizedPublish {
                form,
                steps: messages::publish_steps(form, host.as_ref(), lang),
                help: host.as_ref().map(|h| h.help),
            }),
        }
    }
}

/// Where a code's actions stand among actions of equal severity: by its family (data in the
/// code table), the records the customer publishes first; within a family, the order found.
fn family_rank(code: Code) -> u8 {
    match code.family() {
        Family::Domain => 0,
        Family::Profile => 1,
        Family::Spf => 2,
        Family::Dmarc => 3,
        Family::Dkim => 4,
        Family::Sender => 5,
        Family::Mx => 6,
        Family::MtaSts => 7,
        Family::TlsRpt => 8,
        Family::Bimi => 9,
        Family::Dnssec => 10,
        _ => u8::MAX,
    }
}

/// Builds the ordered action list from the report's findings.
pub fn plan_actions(
    domain: &str,
    findings: &[Finding],
    spf: &SpfAnalysis,
    dmarc: &DmarcSection,
    profile: Option<&ProfileSection>,
    vendor_ips: &[IpAddr],
    dns_host: Option<&DnsHost>,
) -> Vec<Action> {
    let zone = crate::dns::name::organizational_domain_guess(domain);
    let mut actions: Vec<Action> = Vec::new();
    let spf_fixed_by_profile = profile.is_some_and(|p| p.corrected_record.is_some());
    // A record split in the wrong place (RFC 7208 §3.3) explains the syntax errors inside the
    // glued term: its fix is the one action, at their severity.
    // Per record owner, the split terms' spans in order: they are terms, so they do not overlap
    // and a binary search finds the one that could hold a finding (linear overall, not one
    // scan of every split per finding).
    let mut split_spans: Vec<(Option<&str>, crate::findings::Span)> = findings
        .iter()
        .filter(|f| f.code == Code::SpfSplitStrings)
        .filter_map(|f| f.span.map(|span| (f.domain.as_deref(), span)))
        .collect();
    crate::order::sort_by_key(&mut split_spans, |a| (a.0, a.1.start, a.1.end));
    let explained_by_split = |finding: &Finding| {
        finding.code != Code::SpfSplitStrings
            && finding.code.family() == Family::Spf
            && finding.span.is_some_and(|span| {
                let domain = finding.domain.as_deref();
                let after = split_spans
                    .partition_point(|(d, split)| (*d, split.start) <= (domain, span.start));
                split_spans[..after]
                    .iter()
                    .rev()
                    .take_while(|(d, _)| *d == domain)
                    .take(2)
                    .any(|(_, split)| split.start <= span.start && span.end <= split.end)
            })
    };
    let split_severity = findings
        .iter()
        .filter(|f| explained_by_split(f))
        .map(|f| f.severity)
        .max();
    for finding in findings {
        if explained_by_split(finding) {
            continue;
        }
        if finding.severity < Severity::Warning || messages::hint(finding.code, Lang::En).is_none()
        {
            continue;
        }
        if actions.iter().any(|a| a.code == finding.code) {
            continue;
        }
        // Failed lookups across the checks (a domain whose name servers fail) are one thing to
        // do, not one per check: check again later.
        if finding.code.is_lookup_failure() && actions.iter().any(|a| a.code.is_lookup_failure()) {
            continue;
        }
        // One SPF record to publish: the profile's correction already contains the other fixes.
        if spf_fixed_by_profile && matches!(finding.code, Code::SpfIpNotAuthorized) {
            continue;
        }
        let record = match finding.code {
            Code::ProfileSpfMissing => profile
                .and_then(|p| p.corrected_record.clone())
                .map(|value| txt(domain, value)),
            Code::SpfIpNotAuthorized => Some(finding.param("fix"))
                .filter(|f| !f.is_empty())
                .map(|f| txt(domain, f.to_owned())),
            Code::SpfPassAll => root_record_without_pass_all(spf).map(|value| txt(domain, value)),
            Code::SpfSplitStrings => split_fixed(spf).map(|value| txt(domain, value)),
            Code::DmarcNone => Some(txt(
                &format!("_dmarc.{domain}"),
                starter_record(domain, None),
            )),
            Code::DmarcPolicyNone => next_policy_step(dmarc)
                .map(|value| txt(&format!("_dmarc.{}", dmarc.policy_domain_or(domain)), value)),
            Code::ProfileDkimCnameMissing => Some(RecordToPublish {
                name: finding.param("name").to_owned(),
                record_type: "CNAME".to_owned(),
                value: finding.param("target").to_owned(),
            }),
            _ => None,
        };
        let severity = match finding.code {
            Code::SpfSplitStrings => {
                split_severity.map_or(finding.severity, |s| s.max(finding.severity))
            }
            _ => finding.severity,
        };
        // SPF and DMARC allow one record each (RFC 7208 §3.2, RFC 7489 §6.6.3): where one is
        // published, the new one replaces it.
        let replaces = match finding.code {
            Code::DmarcNone => false,
            Code::DmarcPolicyNone => true,
            Code::ProfileDkimCnameMissing => !finding.param("found").is_empty(),
            _ => spf.root.status == NodeStatus::Record,
        };
        let publish = record
            .as_ref()
            .map(|record| Publish::new(record, &zone, dns_host, replaces));
        actions.push(Action {
            code: finding.code,
            severity,
            record,
            params: finding.params.clone(),
            actor: Actor::of_finding(finding, vendor_ips),
            publish,
        });
    }
    crate::order::sort_by_key(&mut actions, |a| {
        (std::cmp::Reverse(a.severity), family_rank(a.code))
    });
    actions
}

fn txt(name: &str, value: String) -> RecordToPublish {
    RecordToPublish {
        name: name.to_owned(),
        record_type: "TXT".to_owned(),
        value,
    }
}

/// The root record with `+all`/`all` turned into `~all`.
fn root_record_without_pass_all(spf: &SpfAnalysis) -> Option<String> {
    if spf.root.status != NodeStatus::Record {
        return None;
    }
    let text = spf.root.record.as_ref()?;
    let record = parse::parse(text);
    let (term, _) = record.all()?;
    let mut fixed = text.clone();
    fixed.replace_range(term.span.start..term.span.end, "~all");
    Some(fixed)
}

/// The root record with a space where a TXT string boundary glued two terms together.
fn split_fixed(spf: &SpfAnalysis) -> Option<String> {
    let strings = &spf.root.strings;
    if strings.len() < 2 {
        return None;
    }
    let mut fixed = String::new();
    for (index, piece) in strings.iter().enumerate() {
        if index > 0 && !fixed.ends_with(' ') && !piece.starts_with(' ') {
            fixed.push(' ');
        }
        fixed.push_str(piece);
    }
    let parsed = parse::parse(&fixed);
    (!parsed.has_errors()).then_some(fixed)
}
