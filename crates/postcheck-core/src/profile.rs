//! Sender profiles: what a vendor's customers must authorize, and the SPF record that does it.
//!
//! A vendor describes its mail: SPF mechanisms (`ip4:`, `ip6:`, `include:`), the sending IPs,
//! DKIM selectors (or the CNAME targets a customer publishes) and its return-path domain. The
//! report says whether the customer's domain authorizes the vendor and builds the corrected
//! record: the existing one with the missing mechanisms before `all`, still within the 10
//! lookups of RFC 7208 §4.6.4 — or says that it cannot and what to replace.

use crate::dns::{AnswerCache, Query, RecordData, RecordType};
use crate::findings::{Code, Finding};
use crate::spf::LOOKUP_LIMIT;
use crate::spf::analyze::{NodeStatus, SpfAnalysis, SpfNode, analyze};
use crate::spf::eval::{SpfInput, SpfResult, evaluate};
use crate::spf::parse::{self, Mechanism, TermKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A vendor's sender profile (the README documents its TOML form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenderProfile {
    /// The vendor's name as customers know it.
    pub name: String,
    /// SPF mechanisms the customer's record must contain: `include:…`, `ip4:…`, `ip6:…`.
    #[serde(default)]
    pub spf: Vec<String>,
    /// The vendor's sending IPs: SPF is evaluated for each, and each is checked (PTR, lists).
    #[serde(default)]
    pub ips: Vec<IpAddr>,
    /// DKIM selectors the vendor signs with.
    #[serde(default)]
    pub dkim_selectors: Vec<String>,
    /// Selector → host name the customer must point `<selector>._domainkey.<domain>` to (CNAME).
    #[serde(default)]
    pub dkim_cnames: BTreeMap<String, String>,
    /// The vendor's return-path (envelope sender) domain, when it is not the customer's.
    #[serde(default)]
    pub return_path: Option<String>,
}

/// Why a profile cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ProfileError {
    /// A `spf` entry that is not an `ip4:`, `ip6:` or `include:` mechanism.
    Mechanism {
        /// The entry as written in the profile.
        entry: String,
    },
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProfileError::Mechanism { entry } => {
                write!(
                    f,
                    "profile spf entry {entry:?} is not an ip4:, ip6: or include: mechanism"
                )
            }
        }
    }
}

impl std::error::Error for ProfileError {}

impl SenderProfile {
    /// Checks the profile's own syntax: each SPF entry must be a valid `ip4`/`ip6`/`include`.
    pub fn validate(&self) -> Result<(), ProfileError> {
        for entry in &self.spf {
            mechanism_of(entry).ok_or_else(|| ProfileError::Mechanism {
                entry: entry.clone(),
            })?;
        }
        Ok(())
    }

    /// The profile's `include:` targets (lowercase, no trailing dot).
    pub fn include_targets(&self) -> Vec<String> {
        self.spf
            .iter()
            .filter_map(|entry| match mechanism_of(entry)? {
                Mechanism::Include(spec) => spec.literal().map(|t| crate::dns::normalize_name(&t)),
                _ => None,
            })
            .collect()
    }
}

/// Parses one profile entry as a mechanism, accepting only unqualified `ip4`, `ip6`, `include`.
fn mechanism_of(entry: &str) -> Option<Mechanism> {
    let record = parse::parse(&format!("v=spf1 {}", entry.trim()));
    if record.has_errors() || record.terms.len() != 1 {
        return None;
    }
    match &record.terms[0].kind {
        TermKind::Directive(directive) if !directive.explicit_qualifier => match &directive
            .mechanism
        {
            mechanism @ (Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. }) => Some(mechanism.clone()),
            Mechanism::Include(spec) if spec.literal().is_some() => {
                Some(directive.mechanism.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// What the report says about a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSection {
    /// The profile's vendor name.
    pub name: String,
    /// Profile mechanisms the customer's SPF tree does not authorize yet.
    pub missing: Vec<String>,
    /// The corrected SPF record to publish, when one is needed and possible.
    pub corrected_record: Option<String>,
    /// DNS-querying terms of the corrected record's tree.
    pub corrected_lookups: Option<u32>,
    /// Terms that would have to be replaced to stay within 10 lookups (`a`, `mx`, `ptr`, …),
    /// with what to replace them by, when the plain addition does not fit.
    pub replacements: Vec<Replacement>,
    /// Whether the domain's SPF record authorizes the vendor, and its DKIM CNAMEs point right.
    pub findings: Vec<Finding>,
}

/// One term to replace to save lookups, and its replacement (empty: remove it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    /// The term as written in the record.
    pub term: String,
    /// The `ip4:`/`ip6:` terms of its addresses, which take its place.
    pub with: Vec<String>,
}

/// The queries a profile needs beyond the domain's own SPF tree: the trees of its includes (to
/// know what adding them costs) and, for `a`/`mx` terms, their addresses (to flatten them).
pub fn check_profile(
    profile: &SenderProfile,
    domain: &str,
    spf: &SpfAnalysis,
    cache: &AnswerCache,
) -> Result<ProfileSection, Vec<Query>> {
    let mut missing_queries: Vec<Query> = Vec::new();
    let mut include_costs: BTreeMap<String, u32> = BTreeMap::new();
    for target in profile.include_targets() {
        match analyze(&target, cache) {
            Ok(analysis) => {
                include_costs.insert(target, 1 + analysis.total_lookups);
            }
            Err(queries) => extend_unique(&mut missing_queries, queries),
        }
    }
    // Which profile mechanisms are already authorized?
    let mut missing = Vec::new();
    for entry in &profile.spf {
        let Some(mechanism) = mechanism_of(entry) else {
            continue;
        };
        let authorized = match &mechanism {
            Mechanism::Include(spec) => {
                let target = crate::dns::normalize_name(&spec.literal().unwrap_or_default());
                tree_includes(&spf.root, &target)
            }
            Mechanism::Ip4 { address, .. } => {
                match sample_result(domain, IpAddr::V4(*address), cache) {
                    Ok(result) => result == SpfResult::Pass,
                    Err(queries) => {
                        extend_unique(&mut missing_queries, queries);
                        true
                    }
                }
            }
            Mechanism::Ip6 { address, .. } => {
                match sample_result(domain, IpAddr::V6(*address), cache) {
                    Ok(result) => result == SpfResult::Pass,
                    Err(queries) => {
                        extend_unique(&mut missing_queries, queries);
                        true
                    }
                }
            }
            _ => true,
        };
        if !authorized {
            missing.push(canonical_entry(entry));
        }
    }
    // The sending IPs must pass as well (an include may authorize a range the IP is not in).
    for ip in &profile.ips {
        match sample_result(domain, *ip, cache) {
            Ok(SpfResult::Pass) => {}
            Ok(_) => {
                let entry = match ip {
                    IpAddr::V4(v4) => format!("ip4:{v4}"),
                    IpAddr::V6(v6) => format!("ip6:{v6}"),
                };
                let mut covered_by_missing = missing.iter().any(|m| mechanism_covers(m, *ip));
                // An include the profile adds may authorize the IP already.
                for entry in &missing {
                    if let Some(target) = entry.strip_prefix("include:")
                        && !covered_by_missing
                    {
                        match sample_result(target, *ip, cache) {
                            Ok(result) => covered_by_missing = result == SpfResult::Pass,
                            Err(queries) => extend_unique(&mut missing_queries, queries),
                        }
                    }
                }
                if !covered_by_missing && !missing.contains(&entry) {
                    missing.push(entry);
                }
            }
            Err(queries) => extend_unique(&mut missing_queries, queries),
        }
    }
    // Addresses of the root record's a/mx terms, to offer them flattened.
    let flattenable = flattenable_terms(spf, domain);
    for (_, queries) in &flattenable {
        for query in queries {
            match cache.get(query) {
                None => extend_unique(&mut missing_queries, vec![query.clone()]),
                // An `mx` term flattens into its hosts' addresses: ask for both families.
                Some(answer) => {
                    for record in answer.record_data() {
                        if let RecordData::Mx { exchange, .. } = record
                            && !exchange.is_empty()
                            && exchange != "."
                        {
                            for kind in [RecordType::A, RecordType::Aaaa] {
                                let host_query = Query::new(exchange, kind);
                                if cache.get(&host_query).is_none() {
                                    extend_unique(&mut missing_queries, vec![host_query]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // The DKIM CNAMEs the vendor asks for (RFC 6376 §3.6.2.1: the key is found through them).
    let mut cname_findings = Vec::new();
    for (selector, target) in &profile.dkim_cnames {
        let name = format!("{selector}._domainkey.{domain}");
        let query = Query::new(&name, RecordType::Cname);
        match cache.get(&query) {
            None => extend_unique(&mut missing_queries, vec![query]),
            Some(answer) if answer.failure().is_some() => {}
            Some(answer) => {
                let points_to_target = answer.record_data().iter().any(|r| {
                    matches!(r, RecordData::Cname(found) if crate::dns::normalize_name(found) == crate::dns::normalize_name(target))
                });
                if !points_to_target {
                    let found = answer.record_data().iter().find_map(|r| match r {
                        RecordData::Cname(found) => Some(found.clone()),
                        _ => None,
                    });
                    cname_findings.push(
                        Finding::new(Code::ProfileDkimCnameMissing)
                            .with("vendor", &profile.name)
                            .with("selector", selector)
                            .with("name", &name)
                            .with("target", target)
                            .with("found", found.unwrap_or_default()),
                    );
                }
            }
        }
    }
    if !missing_queries.is_empty() {
        return Err(missing_queries);
    }

    let mut section = ProfileSection {
        name: profile.name.clone(),
        missing: missing.clone(),
        corrected_record: None,
        corrected_lookups: None,
        replacements: Vec::new(),
        findings: cname_findings,
    };
    if spf.root.status == NodeStatus::LookupFailed {
        // Could not verify: say nothing the answers do not support.
        return Ok(section);
    }
    if missing.is_empty() {
        section.findings.push(
            Finding::new(Code::ProfileSpfOk)
                .with("vendor", &profile.name)
                .with("domain", domain),
        );
        return Ok(section);
    }
    let added_cost: u32 = missing
        .iter()
        .map(|entry| match entry.strip_prefix("include:") {
            Some(target) => include_costs
                .get(&crate::dns::normalize_name(target))
                .copied()
                .unwrap_or(1),
            None => 0,
        })
        .sum();
    let base_lookups = if spf.root.status == NodeStatus::Record {
        spf.total_lookups
    } else {
        0
    };
    let mut total = base_lookups + added_cost;
    let mut record = match &spf.root.record {
        Some(text) if spf.root.status == NodeStatus::Record && !parse::parse(text).has_errors() => {
            text.clone()
        }
        _ => starter_record(domain, cache),
    };
    if total > LOOKUP_LIMIT {
        // Flatten a/mx terms of the domain's own record into their addresses, one by one.
        for (term, queries) in &flattenable {
            if total <= LOOKUP_LIMIT {
                break;
            }
            let addresses = addresses_of(queries, cache);
            record = replace_term(&record, term, &addresses);
            section.replacements.push(Replacement {
                term: term.clone(),
                with: addresses,
            });
            total -= 1;
        }
    }
    let corrected = insert_before_all(&record, &missing);
    section.findings.push(
        Finding::new(Code::ProfileSpfMissing)
            .with("vendor", &profile.name)
            .with("domain", domain)
            .with("missing", missing.join(" "))
            .with("fix", &corrected),
    );
    if total > LOOKUP_LIMIT {
        section.findings.push(
            Finding::new(Code::ProfileLookupLimit)
                .with("vendor", &profile.name)
                .with("count", total)
                .with("limit", LOOKUP_LIMIT)
                .with("includes", missing.join(" ")),
        );
    } else {
        section.corrected_lookups = Some(total);
        section.corrected_record = Some(corrected);
    }
    Ok(section)
}

fn extend_unique(into: &mut Vec<Query>, queries: Vec<Query>) {
    for query in queries {
        if !into.contains(&query) {
            into.push(query);
        }
    }
}

/// `check_host()` for a sample address of a profile mechanism.
fn sample_result(domain: &str, ip: IpAddr, cache: &AnswerCache) -> Result<SpfResult, Vec<Query>> {
    evaluate(&SpfInput::for_domain(domain, ip), cache).map(|outcome| outcome.result)
}

/// Whether the tree reaches `target` through include or redirect anywhere.
fn tree_includes(node: &SpfNode, target: &str) -> bool {
    node.children
        .iter()
        .any(|child| child.domain == target || tree_includes(child, target))
}

/// Whether a missing `ip4:`/`ip6:` entry already covers `ip`.
fn mechanism_covers(entry: &str, ip: IpAddr) -> bool {
    match mechanism_of(entry) {
        Some(Mechanism::Ip4 { address, prefix }) => {
            crate::dns::name::ip_in_network(ip, IpAddr::V4(address), prefix)
        }
        Some(Mechanism::Ip6 { address, prefix }) => {
            crate::dns::name::ip_in_network(ip, IpAddr::V6(address), prefix)
        }
        _ => false,
    }
}

/// A profile entry as it goes into a record: lowercase mechanism name, no qualifier.
fn canonical_entry(entry: &str) -> String {
    let entry = entry.trim();
    match entry.split_once(':') {
        Some((name, value)) => format!("{}:{value}", name.to_ascii_lowercase()),
        None => entry.to_ascii_lowercase(),
    }
}

/// A record for a domain without one: its MX hosts (if it receives mail, they usually send
/// too), the vendor's mechanisms, and `~all` so that nothing else the domain uses breaks at once.
fn starter_record(domain: &str, cache: &AnswerCache) -> String {
    let has_mx = cache
        .get(&Query::new(domain, RecordType::Mx))
        .is_some_and(|answer| {
            answer.record_data().iter().any(|r| matches!(r, RecordData::Mx { exchange, .. } if !exchange.is_empty() && exchange != "."))
        });
    if has_mx {
        "v=spf1 mx ~all".to_owned()
    } else {
        "v=spf1 ~all".to_owned()
    }
}

/// Inserts `entries` before the `all` term (or `redirect=`, or at the end).
pub fn insert_before_all(record: &str, entries: &[String]) -> String {
    if entries.is_empty() {
        return record.to_owned();
    }
    let parsed = parse::parse(record);
    let position = parsed
        .terms
        .iter()
        .find(|term| {
            matches!(&term.kind, TermKind::Directive(d) if d.mechanism == Mechanism::All)
                || matches!(term.kind, TermKind::Redirect(_))
        })
        .map(|term| term.span.start);
    let addition = entries.join(" ");
    match position {
        Some(start) => format!("{}{} {}", &record[..start], addition, &record[start..]),
        None => format!("{} {}", record.trim_end(), addition),
    }
}

/// The root record's `a` and `mx` terms without macros or CIDR suffixes, with the address
/// queries that flatten them.
fn flattenable_terms(spf: &SpfAnalysis, domain: &str) -> Vec<(String, Vec<Query>)> {
    let Some(text) = &spf.root.record else {
        return Vec::new();
    };
    let record = parse::parse(text);
    let mut terms = Vec::new();
    for (term, directive) in record.directives() {
        let text = record.term_text(term).to_owned();
        let (target, is_mx) = match &directive.mechanism {
            Mechanism::A { domain: spec, cidr } if cidr.ip4.is_none() && cidr.ip6.is_none() => {
                (spec, false)
            }
            Mechanism::Mx { domain: spec, cidr } if cidr.ip4.is_none() && cidr.ip6.is_none() => {
                (spec, true)
            }
            _ => continue,
        };
        let Some(target) = (match target {
            Some(spec) => spec.literal().map(|t| crate::dns::normalize_name(&t)),
            None => Some(domain.to_owned()),
        }) else {
            continue;
        };
        let mut queries = Vec::new();
        if is_mx {
            queries.push(Query::new(&target, RecordType::Mx));
        } else {
            queries.push(Query::new(&target, RecordType::A));
            queries.push(Query::new(&target, RecordType::Aaaa));
        }
        terms.push((text, queries));
    }
    terms
}

/// The ip4:/ip6: mechanisms equivalent to a flattenable term's answers (MX hosts' addresses
/// must be in the cache; missing ones are skipped).
fn addresses_of(queries: &[Query], cache: &AnswerCache) -> Vec<String> {
    let mut out = Vec::new();
    for query in queries {
        let Some(answer) = cache.get(query) else {
            continue;
        };
        for record in answer.record_data() {
            match record {
                RecordData::A(v4) => out.push(format!("ip4:{v4}")),
                RecordData::Aaaa(v6) => out.push(format!("ip6:{v6}")),
                RecordData::Mx { exchange, .. } => {
                    for kind in [RecordType::A, RecordType::Aaaa] {
                        if let Some(answer) = cache.get(&Query::new(exchange, kind)) {
                            for record in answer.record_data() {
                                match record {
                                    RecordData::A(v4) => out.push(format!("ip4:{v4}")),
                                    RecordData::Aaaa(v6) => out.push(format!("ip6:{v6}")),
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    crate::order::sort_by(&mut out, Ord::cmp);
    out.dedup();
    out
}

/// Replaces one term of a record by `with` (removes it when `with` is empty).
fn replace_term(record: &str, term: &str, with: &[String]) -> String {
    let parts: Vec<String> = record
        .split(' ')
        .flat_map(|part| {
            if part == term {
                with.to_vec()
            } else {
                vec![part.to_owned()]
            }
        })
        .filter(|part| !part.is_empty())
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_validated() {
        let good = SenderProfile {
            name: "CRM".into(),
            spf: vec![
                "include:_spf.crm.example".into(),
                "ip4:192.0.2.0/24".into(),
                "ip6:2001:db8::/32".into(),
            ],
            ..Default::default()
        };
        assert_eq!(good.validate(), Ok(()));
        // README: a profile's `spf` entries are `include:`, `ip4:` or `ip6:` mechanisms; the
        // CLI (`--profile`) and the gateway (`/api/report`) both refuse others through this
        // one check (issue 12 part 9: `/api/report` signed a profile with `a:`).
        for bad in [
            "-all",
            "a",
            "a:mail.crm.example",
            "a:mail.crm.example/24",
            "mx",
            "ptr:crm.example",
            "exists:%{i}.crm.example",
            "include:%{d}.crm.example",
            "include:_spf.crm.example ip4:192.0.2.1",
            "ip4:192.0.2.1 a",
            "~include:_spf.crm.example",
            "-ip4:192.0.2.1",
            "exp=explain.crm.example",
            "",
            "include:",
            "ip4:300.1.1.1",
            "+include:x.example",
            "mx:x.example",
            "redirect=x.example",
        ] {
            let profile = SenderProfile {
                name: "x".into(),
                spf: vec![bad.into()],
                ..Default::default()
            };
            assert_eq!(
                profile.validate(),
                Err(ProfileError::Mechanism {
                    entry: bad.to_owned()
                }),
                "{bad}"
            );
        }
        // One bad entry among good ones is enough; its error names it.
        let mixed = SenderProfile {
            name: "x".into(),
            spf: vec!["ip4:192.0.2.1".into(), "a:mail.crm.example".into()],
            ..Default::default()
        };
        let err = mixed.validate().unwrap_err();
        assert!(err.to_string().contains("\"a:mail.crm.example\""), "{err}");
        // Surrounding spaces and CIDR lengths are fine.
        let spaced = SenderProfile {
            name: "x".into(),
            spf: vec![" ip4:192.0.2.0/24 ".into(), "ip6:2001:db8::1".into()],
            ..Default::default()
        };
        assert_eq!(spaced.validate(), Ok(()));
    }

    #[test]
    fn insertion_goes_before_all() {
        assert_eq!(
            insert_before_all("v=spf1 mx -all", &["include:_spf.crm.example".into()]),
            "v=spf1 mx include:_spf.crm.example -all"
        );
        assert_eq!(
            insert_before_all("v=spf1 mx", &["ip4:192.0.2.1".into()]),
            "v=spf1 mx ip4:192.0.2.1"
        );
        assert_eq!(
            insert_before_all("v=spf1 redirect=_spf.example", &["ip4:192.0.2.1".into()]),
            "v=spf1 ip4:192.0.2.1 redirect=_spf.example"
        );
    }
}
