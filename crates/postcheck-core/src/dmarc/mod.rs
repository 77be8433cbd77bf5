//! DMARC (RFC 7489, RFC 9989): policy discovery with the DNS tree walk, the record's findings,
//! external report authorization, and the records the action planner proposes.
//!
//! Like the SPF analysis, [`check_dmarc`] is a pure function of an [`AnswerCache`]: it returns
//! the section, or every query it can already name. The record at the domain comes first; the
//! tree walk's names are independent of each other and go out in one round; the report
//! authorization lookups follow once the record that applies is known.
//!
//! Where receivers that follow RFC 7489 and receivers that follow RFC 9989 act differently
//! (`pct`, `t`, a missing `p`, several records), the finding carries `receivers_differ=true`
//! and its message says what each does.

pub mod parse;

pub use parse::{
    DmarcRecord, DmarcTag, Policy, PolicyTag, ReportAuthorization, ReportUri, parse as parse_record,
};

use crate::dns::Lookups;
use crate::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType, normalize_name};
use crate::findings::{Code, Finding, Severity};
use serde::{Deserialize, Serialize};

/// RFC 9989 §4.10 step 4: after the Author Domain, a walk starts at no more than seven labels,
/// so that it never takes more than eight queries.
pub const TREE_WALK_START_LABELS: usize = 7;
/// The walk stops before the bare top-level domain: postcheck does not ask `_dmarc.<tld>`,
/// although RFC 9989 §4.10 would (a public suffix operator's `psd=y` record).
pub const TREE_WALK_MIN_LABELS: usize = 2;

/// What one `_dmarc` lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LookupStatus {
    /// Exactly one record starting with `v=DMARC1`.
    Record,
    /// No such record (NXDOMAIN, NODATA, or only other TXT records).
    NoRecord,
    /// More than one: all are discarded.
    MultipleRecords,
    /// The lookup failed: could not verify.
    Failed,
}

/// One `_dmarc.<name>` lookup of the policy discovery, in the order a receiver makes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DmarcLookup {
    /// The name whose `_dmarc` TXT records were asked for.
    pub domain: String,
    /// What the lookup found.
    pub status: LookupStatus,
}

/// The DMARC part of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DmarcSection {
    /// The checked domain.
    pub domain: String,
    /// Where the record that applies was found: the domain itself or a parent domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_domain: Option<String>,
    /// The record that applies, as shown (TXT strings joined). Spans of findings whose `domain`
    /// is `policy_domain` point into it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The tags of `record`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<DmarcTag>,
    /// The policy receivers apply to mail from the domain that fails DMARC; `None` when no
    /// policy applies (no record, or a record receivers ignore).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// The tag that sets `policy`: `p`, or `sp` for a subdomain of the policy domain; absent
    /// when `policy` is a default (no `p`, or the fallback of a broken record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_tag: Option<String>,
    /// The record's policy for existing subdomains of the policy domain (`sp`, else `p`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdomain_policy: Option<Policy>,
    /// The record's policy for non-existent subdomains (`np`, else `sp`, else `p`; RFC 9989 §4.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonexistent_subdomain_policy: Option<Policy>,
    /// `pct` as published (RFC 7489 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pct: Option<u8>,
    /// `t=y` (RFC 9989 only).
    #[serde(default)]
    pub testing: bool,
    /// The aggregate report URIs (`rua`) of the record that applies, with their authorization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rua: Vec<ReportUri>,
    /// The failure report URIs (`ruf`) of the record that applies, with their authorization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ruf: Vec<ReportUri>,
    /// DMARC records at the domain itself that receivers discard: several records, or records
    /// that hold `v=DMARC1` but not first. Findings about them have `domain` set to the checked
    /// domain; when that is also `policy_domain`, their spans point into these, not `record`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discarded_records: Vec<String>,
    /// Every `_dmarc` lookup of the policy discovery, the domain's own first.
    pub lookups: Vec<DmarcLookup>,
    /// Every finding of the DMARC check, on the record, its report URIs and the lookups.
    pub findings: Vec<Finding>,
}

impl DmarcSection {
    fn empty(domain: &str) -> Self {
        DmarcSection {
            domain: domain.to_owned(),
            policy_domain: None,
            record: None,
            tags: Vec::new(),
            policy: None,
            policy_tag: None,
            subdomain_policy: None,
            nonexistent_subdomain_policy: None,
            pct: None,
            testing: false,
            rua: Vec::new(),
            ruf: Vec::new(),
            discarded_records: Vec::new(),
            lookups: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The domain whose `_dmarc` record to change: the policy domain, or `domain` if none.
    pub fn policy_domain_or<'a>(&'a self, domain: &'a str) -> &'a str {
        self.policy_domain.as_deref().unwrap_or(domain)
    }

    /// Whether the record that applies was found at a parent domain.
    pub fn is_inherited(&self) -> bool {
        self.policy_domain
            .as_deref()
            .is_some_and(|policy_domain| policy_domain != self.domain)
    }
}

/// The owner name of a domain's DMARC record (RFC 7489 §6.1).
pub fn dmarc_name(domain: &str) -> String {
    format!("_dmarc.{domain}")
}

/// The owner name of the record by which `host` agrees to receive reports about
/// `policy_domain` (RFC 7489 §7.1).
pub fn report_authorization_name(policy_domain: &str, host: &str) -> String {
    format!("{policy_domain}._report._dmarc.{host}")
}

/// The names the DNS tree walk asks after the domain itself (RFC 9989 §4.10, §4.10.1): the
/// parent, or the domain cut to seven labels when it is longer, then one label less each time,
/// down to two labels (postcheck stops before the bare TLD).
pub fn tree_walk_targets(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    let count = labels.len();
    let start = count.saturating_sub(1).min(TREE_WALK_START_LABELS);
    (TREE_WALK_MIN_LABELS..=start)
        .rev()
        .map(|keep| labels[count - keep..].join("."))
        .collect()
}

/// A starter record: monitoring only, aggregate reports to `rua` (an address, with or without
/// `mailto:`), or to `dmarc@<domain>`, a mailbox the owner has to create.
pub fn starter_record(domain: &str, rua: Option<&str>) -> String {
    let address = match rua {
        Some(rua) => {
            let rua = rua.trim();
            match rua.get(..7) {
                Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => rua[7..].to_owned(),
                _ => rua.to_owned(),
            }
        }
        None => format!("dmarc@{}", normalize_name(domain)),
    };
    format!("v=DMARC1; p=none; rua=mailto:{address}")
}

/// The record with its policy one step stricter on the path none → quarantine → reject, to be
/// published at the policy domain; `None` at reject, without a usable record, or when the tag
/// that applies is broken (that is another fix). For a subdomain whose record sets `sp`, the
/// step changes `sp`.
pub fn next_policy_step(current: &DmarcSection) -> Option<String> {
    let text = current.record.as_ref()?;
    let record = parse::parse(text);
    if !record.usable {
        return None;
    }
    let tag = if current.is_inherited() && record.sp != PolicyTag::Absent {
        record.sp
    } else {
        record.p
    };
    match tag {
        PolicyTag::Valid { policy, tag } => {
            let next = policy.stricter()?;
            let span = record.tags[tag].value_span;
            let mut stepped = text.clone();
            stepped.replace_range(span.start..span.end, next.as_str());
            Some(stepped)
        }
        PolicyTag::Absent => {
            // RFC 9989 §4.7: without p the policy is none; the next step writes p=quarantine
            // right after the version.
            let end = record.tags.first()?.span.end;
            let mut stepped = text.clone();
            stepped.insert_str(end, "; p=quarantine");
            Some(stepped)
        }
        PolicyTag::Invalid { .. } => None,
    }
}

/// What a `_dmarc` TXT lookup holds for policy discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Failed(Failure),
    /// No record that starts with `v=DMARC1`; `misplaced` holds TXT records with `v=DMARC1` as
    /// a later tag, which receivers discard too.
    Nothing {
        misplaced: Vec<String>,
    },
    One(String),
    Several(Vec<String>),
}

impl Found {
    fn status(&self) -> LookupStatus {
        match self {
            Found::Failed(_) => LookupStatus::Failed,
            Found::Nothing { .. } => LookupStatus::NoRecord,
            Found::One(_) => LookupStatus::Record,
            Found::Several(_) => LookupStatus::MultipleRecords,
        }
    }
}

/// RFC 7489 §6.6.3 steps 1–2, RFC 9989 §4.10 step 2: TXT strings joined, records that do not
/// start with the DMARC version discarded.
fn classify(answer: &Answer) -> Found {
    if let Answer::Failed { failure } = answer {
        return Found::Failed(*failure);
    }
    let texts: Vec<String> = answer
        .record_data()
        .iter()
        .filter_map(|record| match record {
            RecordData::Txt(strings) => Some(crate::dns::join_txt_lossy(strings)),
            _ => None,
        })
        .collect();
    let mut selected: Vec<String> = texts
        .iter()
        .filter(|text| parse::starts_with_version(text))
        .cloned()
        .collect();
    match selected.len() {
        0 => Found::Nothing {
            misplaced: texts
                .into_iter()
                .filter(|text| parse::has_version_later(text))
                .collect(),
        },
        1 => Found::One(selected.remove(0)),
        _ => Found::Several(selected),
    }
}

fn dns_error(name: &str, failure: Failure) -> Finding {
    Finding::new(Code::DmarcDnsError)
        .with("query", Query::new(name, RecordType::Txt))
        .with("failure", failure.as_str())
}

/// Checks the DMARC policy of `domain` on the answers in `cache`, or names every query still
/// needed.
pub fn check_dmarc(domain: &str, cache: &AnswerCache) -> Result<DmarcSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let mut check = Lookups::new(cache);
    let mut section = DmarcSection::empty(&domain);

    // RFC 7489 §6.6.3 step 1, RFC 9989 §4.10.1: the Author Domain first.
    let own_name = dmarc_name(&domain);
    let Some(answer) = check.txt(&own_name) else {
        return Err(check.into_missing());
    };
    let own = classify(answer);
    section.lookups.push(DmarcLookup {
        domain: domain.clone(),
        status: own.status(),
    });
    let mut applied: Option<(String, String)> = None;
    match &own {
        Found::Failed(failure) => {
            // Could not verify: neither "no record" nor a reason to walk up.
            section.findings.push(
                dns_error(&own_name, *failure)
                    .with_domain(&domain)
                    .with("domain", &domain),
            );
        }
        Found::One(text) => applied = Some((domain.clone(), text.clone())),
        Found::Several(texts) => section.discarded_records = texts.clone(),
        Found::Nothing { misplaced } => {
            for text in misplaced {
                let record = parse::parse(text);
                section.findings.extend(
                    record
                        .diagnostics
                        .into_iter()
                        .map(|finding| finding.with_domain(&domain)),
                );
            }
            section.discarded_records = misplaced.clone();
        }
    }

    // RFC 9989 §4.10.1: without a single valid record at the domain, the tree walk. RFC 7489
    // §6.6.3 step 5 stops at several records instead; the walk then only tells what RFC 9989
    // receivers fall back to.
    if matches!(own, Found::Nothing { .. } | Found::Several(_)) {
        let targets = tree_walk_targets(&domain);
        let answers: Vec<Option<&Answer>> = targets
            .iter()
            .map(|target| check.txt(&dmarc_name(target)))
            .collect();
        let Some(answers) = answers.into_iter().collect::<Option<Vec<&Answer>>>() else {
            return Err(check.into_missing());
        };
        let found: Vec<Found> = answers.into_iter().map(classify).collect();
        section.lookups.extend(
            targets
                .iter()
                .zip(&found)
                .map(|(target, found)| DmarcLookup {
                    domain: target.clone(),
                    status: found.status(),
                }),
        );
        let walk = select(&domain, &targets, &found);
        match &own {
            Found::Several(texts) => {
                let mut finding = Finding::new(Code::DmarcMultipleRecords)
                    .with_domain(&domain)
                    .with("domain", &domain)
                    .with("count", texts.len());
                if let Some((fallback, _)) = &walk.applied {
                    finding = finding
                        .with("fallback", fallback)
                        .with("receivers_differ", true);
                }
                section.findings.push(finding);
            }
            _ => {
                for (target, failure) in &walk.failed {
                    section.findings.push(
                        dns_error(&dmarc_name(target), *failure)
                            .with_domain(target)
                            .with("domain", target),
                    );
                }
                for (target, count) in &walk.several {
                    section.findings.push(
                        Finding::new(Code::DmarcMultipleRecords)
                            .with_domain(target)
                            .with("domain", target)
                            .with("count", count),
                    );
                }
                if walk.applied.is_some() {
                    applied = walk.applied;
                } else if walk.failed.is_empty()
                    && walk.several.is_empty()
                    && section.discarded_records.is_empty()
                {
                    // RFC 7489 §6.6.3 step 5, RFC 9989 §4.10.1: no record anywhere, no DMARC.
                    let parents: Vec<&str> = targets.iter().map(String::as_str).collect();
                    section.findings.push(
                        Finding::new(Code::DmarcNone)
                            .with_domain(&domain)
                            .with("domain", &domain)
                            .with("parents", parents.join(", ")),
                    );
                }
            }
        }
    }

    if let Some((policy_domain, text)) = applied {
        apply_record(&mut section, &mut check, &policy_domain, &text);
    }
    if !check.is_complete() {
        return Err(check.into_missing());
    }
    let blocked = section.findings.iter().any(|finding| {
        finding.severity == Severity::Error
            || (finding.code == Code::DmarcDnsError && finding.severity >= Severity::Warning)
    });
    if let Some(policy) = section.policy
        && policy.is_enforcing()
        && !blocked
    {
        let policy_domain = section.policy_domain_or(&domain).to_owned();
        section.findings.push(
            Finding::new(Code::DmarcOk)
                .with_domain(&policy_domain)
                .with("domain", &domain)
                .with("policy_domain", &policy_domain)
                .with("policy", policy.as_str())
                .with("tag", section.policy_tag.as_deref().unwrap_or("p")),
        );
    }
    Ok(section)
}

/// What the tree walk decided.
struct Walk {
    /// The policy domain and its record.
    applied: Option<(String, String)>,
    /// Failed lookups a receiver would have made before it stopped.
    failed: Vec<(String, Failure)>,
    /// Names with several records, which are discarded.
    several: Vec<(String, usize)>,
}

/// RFC 9989 §4.10.1 and §4.10.2: from the longest name to the shortest, a record with `psd=n`
/// makes its domain the Organizational Domain; one with `psd=y` makes the domain one label
/// below it the Organizational Domain; otherwise the record with the fewest labels. The policy
/// is the Organizational Domain's record, else the public suffix domain's.
fn select(domain: &str, targets: &[String], found: &[Found]) -> Walk {
    let mut records: Vec<(usize, &str)> = Vec::new();
    let mut organizational: Option<String> = None;
    let mut stop = found.len();
    for (index, result) in found.iter().enumerate() {
        let Found::One(text) = result else {
            continue;
        };
        records.push((index, text));
        match parse::parse(text).psd {
            Some('n') => {
                organizational = Some(targets[index].clone());
                stop = index + 1;
                break;
            }
            Some('y') => {
                organizational = Some(one_label_below(domain, &targets[index]));
                stop = index + 1;
                break;
            }
            _ => {}
        }
    }
    let organizational =
        organizational.or_else(|| records.last().map(|(index, _)| targets[*index].clone()));
    let applied = organizational.and_then(|organizational| {
        records
            .iter()
            .find(|(index, _)| targets[*index] == organizational)
            .or(records.last())
            .map(|(index, text)| (targets[*index].clone(), (*text).to_owned()))
    });
    let mut failed = Vec::new();
    let mut several = Vec::new();
    for (index, result) in found.iter().enumerate().take(stop) {
        match result {
            Found::Failed(failure) => failed.push((targets[index].clone(), *failure)),
            Found::Several(texts) => several.push((targets[index].clone(), texts.len())),
            _ => {}
        }
    }
    Walk {
        applied,
        failed,
        several,
    }
}

/// The ancestor of `domain` with one label more than `ancestor`.
fn one_label_below(domain: &str, ancestor: &str) -> String {
    let labels: Vec<&str> = domain.split('.').collect();
    let keep = (ancestor.split('.').count() + 1).min(labels.len());
    labels[labels.len() - keep..].join(".")
}

/// Whether `name` is `ancestor` or below it.
fn is_within(name: &str, ancestor: &str) -> bool {
    name == ancestor
        || name
            .strip_suffix(ancestor)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// Fills the section from the record that applies and adds the findings about it.
fn apply_record(
    section: &mut DmarcSection,
    check: &mut Lookups<'_>,
    policy_domain: &str,
    text: &str,
) {
    let domain = section.domain.clone();
    let record = parse::parse(text);
    let inherited = policy_domain != domain;
    section.policy_domain = Some(policy_domain.to_owned());
    section.record = Some(text.to_owned());
    section.tags = record.tags.clone();
    section.pct = record.pct.map(|(pct, _)| pct);
    section.testing = record.testing.is_some();
    section.rua = record.rua.clone().unwrap_or_default();
    section.ruf = record.ruf.clone().unwrap_or_default();

    // RFC 9989 §4.10.1: the Author Domain's own record gives `p`; a parent's gives `sp` if
    // present (for an existing subdomain; postcheck assumes the checked domain exists), else `p`.
    // A broken p, sp or np makes the record p=none with a valid rua, and ignored without one
    // (RFC 7489 §6.6.3 step 6); a missing p alone is p=none (RFC 9989 §4.7).
    let has_valid_rua = record.has_valid_rua();
    let (policy, tag) = if !record.usable {
        (None, None)
    } else if record.has_invalid_policy() {
        (has_valid_rua.then_some(Policy::None), None)
    } else if let (true, PolicyTag::Valid { policy, tag }) = (inherited, record.sp) {
        (Some(policy), Some(tag))
    } else if let PolicyTag::Valid { policy, tag } = record.p {
        (Some(policy), Some(tag))
    } else {
        (Some(Policy::None), None)
    };
    section.policy = policy;
    section.policy_tag = tag.map(|tag| record.tags[tag].name.to_ascii_lowercase());
    if record.usable && !record.has_invalid_policy() {
        let p = record.p.policy().unwrap_or(Policy::None);
        let sp = record.sp.policy().unwrap_or(p);
        section.subdomain_policy = Some(sp);
        section.nonexistent_subdomain_policy = Some(record.np.policy().unwrap_or(sp));
    } else if record.usable && has_valid_rua {
        section.subdomain_policy = Some(Policy::None);
        section.nonexistent_subdomain_policy = Some(Policy::None);
    }

    if inherited {
        let mut finding = Finding::new(Code::DmarcInherited)
            .with_domain(&domain)
            .with("domain", &domain)
            .with("policy_domain", policy_domain);
        if let Some(policy) = policy {
            finding = finding.with("policy", policy.as_str());
        }
        if let Some(tag) = &section.policy_tag {
            finding = finding.with("tag", tag);
        }
        section.findings.push(finding);
    }
    section.findings.extend(
        record
            .diagnostics
            .iter()
            .cloned()
            .map(|finding| finding.with_domain(policy_domain)),
    );
    if !record.usable {
        return;
    }

    let tag_finding = |code: Code, index: usize| {
        Finding::new(code)
            .with_domain(policy_domain)
            .with_span(record.tags[index].span)
            .with("term", record.tag_text(index))
            .with("tag", record.tags[index].name.to_ascii_lowercase())
            .with("domain", &domain)
            .with("policy_domain", policy_domain)
    };
    match (policy, tag) {
        (Some(Policy::None), Some(tag)) => {
            section
                .findings
                .push(tag_finding(Code::DmarcPolicyNone, tag));
        }
        (Some(policy), _) if policy.is_enforcing() => {
            // RFC 7489 §6.6.4: pct selects the share of failing mail the policy applies to; the
            // rest gets the next milder policy. RFC 9989 removed pct (Appendix C).
            if let Some((pct, index)) = record.pct
                && pct < 100
            {
                section.findings.push(
                    tag_finding(Code::DmarcPctPartial, index)
                        .with("pct", pct)
                        .with("policy", policy.as_str())
                        .with("reduced", policy.milder().as_str())
                        .with("receivers_differ", true),
                );
            }
            // RFC 9989 §4.7: t=y asks for the next milder policy; RFC 7489 receivers do not know
            // the tag and ignore it.
            if let Some(index) = record.testing {
                section.findings.push(
                    tag_finding(Code::DmarcPctPartial, index)
                        .with("policy", policy.as_str())
                        .with("reduced", policy.milder().as_str())
                        .with("receivers_differ", true),
                );
            }
        }
        _ => {}
    }
    if record.rua.is_none() {
        section.findings.push(
            Finding::new(Code::DmarcNoReports)
                .with_domain(policy_domain)
                .with("domain", &domain)
                .with("policy_domain", policy_domain),
        );
    }
    authorize_reports(section, check, policy_domain);
}

/// RFC 7489 §7.1: a report address outside the policy domain needs the consent of its domain,
/// a `v=DMARC1` TXT record at `<policy-domain>._report._dmarc.<host>`.
fn authorize_reports(section: &mut DmarcSection, check: &mut Lookups<'_>, policy_domain: &str) {
    let mut findings = Vec::new();
    for uri in section.rua.iter_mut().chain(section.ruf.iter_mut()) {
        let Some(host) = uri.host.clone().filter(|_| uri.valid) else {
            continue;
        };
        if is_within(&host, policy_domain) || is_within(policy_domain, &host) {
            uri.authorization = ReportAuthorization::Internal;
            continue;
        }
        let name = report_authorization_name(policy_domain, &host);
        let Some(answer) = check.txt(&name) else {
            continue;
        };
        uri.authorization = match classify(answer) {
            Found::Failed(failure) => {
                // Could not verify: worth knowing, never a warning.
                findings.push(
                    dns_error(&name, failure)
                        .with_severity(Severity::Info)
                        .with_domain(policy_domain)
                        .with_span(uri.span)
                        .with("domain", policy_domain)
                        .with("uri", &uri.uri)
                        .with("host", &host),
                );
                ReportAuthorization::Unverified
            }
            Found::One(_) | Found::Several(_) => ReportAuthorization::Authorized,
            Found::Nothing { .. } => {
                findings.push(
                    Finding::new(Code::DmarcExternalReportsUnauthorized)
                        .with_domain(policy_domain)
                        .with_span(uri.span)
                        .with("uri", &uri.uri)
                        .with("tag", &uri.tag)
                        .with("host", &host)
                        .with("policy_domain", policy_domain)
                        .with("name", &name)
                        .with("query", Query::new(&name, RecordType::Txt)),
                );
                ReportAuthorization::Unauthorized
            }
        };
    }
    section.findings.extend(findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_walk_targets_follow_rfc_9989() {
        assert!(tree_walk_targets("example.com").is_empty());
        assert!(tree_walk_targets("com").is_empty());
        assert_eq!(tree_walk_targets("mail.example.com"), ["example.com"]);
        assert_eq!(
            tree_walk_targets("a.mail.example.co.uk"),
            ["mail.example.co.uk", "example.co.uk", "co.uk"]
        );
        // RFC 9989 §4.10: a.b.c.d.e.f.g.h.i.j.mail.example.com jumps to seven labels.
        assert_eq!(
            tree_walk_targets("a.b.c.d.e.f.g.h.i.j.mail.example.com"),
            [
                "g.h.i.j.mail.example.com",
                "h.i.j.mail.example.com",
                "i.j.mail.example.com",
                "j.mail.example.com",
                "mail.example.com",
                "example.com",
            ]
        );
        // Eight labels: the parent has seven.
        assert_eq!(tree_walk_targets("a.b.c.d.e.f.example.com").len(), 6);
        assert_eq!(
            tree_walk_targets("a.b.c.d.e.f.example.com")[0],
            "b.c.d.e.f.example.com"
        );
    }

    #[test]
    fn within() {
        assert!(is_within("example.com", "example.com"));
        assert!(is_within("mail.example.com", "example.com"));
        assert!(!is_within("badexample.com", "example.com"));
        assert!(!is_within("example.com", "mail.example.com"));
        assert_eq!(one_label_below("a.b.example.com", "com"), "example.com");
        assert_eq!(one_label_below("example.com", "com"), "example.com");
    }

    #[test]
    fn starter_records() {
        assert_eq!(
            starter_record("Example.TEST.", None),
            "v=DMARC1; p=none; rua=mailto:dmarc@example.test"
        );
        assert_eq!(
            starter_record("example.test", Some("reports@dmarc.example.net")),
            "v=DMARC1; p=none; rua=mailto:reports@dmarc.example.net"
        );
        assert_eq!(
            starter_record("example.test", Some("MAILTO:r@example.test")),
            "v=DMARC1; p=none; rua=mailto:r@example.test"
        );
        let record = parse::parse(&starter_record("example.test", None));
        assert!(record.usable);
        assert!(record.diagnostics.is_empty());
    }

    fn section(domain: &str, policy_domain: &str, record: &str) -> DmarcSection {
        DmarcSection {
            policy_domain: Some(policy_domain.to_owned()),
            record: Some(record.to_owned()),
            ..DmarcSection::empty(domain)
        }
    }

    #[test]
    fn policy_steps_go_none_quarantine_reject() {
        let step = |domain: &str, policy_domain: &str, record: &str| {
            next_policy_step(&section(domain, policy_domain, record))
        };
        let record = "v=DMARC1; p=none; rua=mailto:d@example.test";
        assert_eq!(
            step("example.test", "example.test", record).as_deref(),
            Some("v=DMARC1; p=quarantine; rua=mailto:d@example.test")
        );
        assert_eq!(
            step("example.test", "example.test", "v=DMARC1;p=Quarantine").as_deref(),
            Some("v=DMARC1;p=reject")
        );
        assert_eq!(
            step("example.test", "example.test", "v=DMARC1; p=reject"),
            None
        );
        assert_eq!(
            step(
                "example.test",
                "example.test",
                "v=DMARC1; rua=mailto:d@example.test"
            )
            .as_deref(),
            Some("v=DMARC1; p=quarantine; rua=mailto:d@example.test")
        );
        assert_eq!(
            step("example.test", "example.test", "v=DMARC1").as_deref(),
            Some("v=DMARC1; p=quarantine")
        );
        assert_eq!(
            step("example.test", "example.test", "v=DMARC1; p=nope"),
            None
        );
        assert_eq!(
            step("example.test", "example.test", "p=none; v=DMARC1"),
            None
        );
        // A subdomain under sp=none: the step changes sp, not p.
        assert_eq!(
            step(
                "shop.example.test",
                "example.test",
                "v=DMARC1; p=reject; sp=none"
            )
            .as_deref(),
            Some("v=DMARC1; p=reject; sp=quarantine")
        );
        assert_eq!(
            step("shop.example.test", "example.test", "v=DMARC1; p=none").as_deref(),
            Some("v=DMARC1; p=quarantine")
        );
        assert_eq!(next_policy_step(&DmarcSection::empty("example.test")), None);
    }
}
