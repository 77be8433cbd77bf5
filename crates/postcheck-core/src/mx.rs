//! The domain's mail servers (MX, RFC 5321 §5.1, RFC 7505): whether replies and bounces can reach
//! it, and whether each MX host is a real, resolvable host name.
//!
//! [`check_mx`] is a pure function of an [`AnswerCache`], like the SPF analysis: the MX query
//! first, then in one round the A and AAAA queries of every host (an alias shows in them as its
//! CNAME records; or, without MX, the domain's own addresses, where mail would go instead). Two
//! rounds at most.

use crate::dns::Lookups;
use crate::dns::name::is_queryable_name;
use crate::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType, normalize_name};
use crate::findings::{Code, Finding};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A bound on the MX hosts that are looked up (three queries each), so a hostile answer cannot
/// make the check unbounded. Hosts beyond it are listed as [`HostStatus::NotChecked`].
pub const HOST_LOOKUP_LIMIT: usize = 16;

/// What the MX lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MxStatus {
    /// One or more MX hosts.
    Hosts,
    /// No MX records (NXDOMAIN or NODATA): mail goes to the domain's address, if any
    /// (RFC 5321 §5.1 "implicit MX").
    None,
    /// A null MX (RFC 7505): the domain accepts no mail.
    Null,
    /// The MX lookup failed: could not verify.
    Failed,
}

/// What was found for one MX host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostStatus {
    /// The host has at least one address.
    Resolved,
    /// The exchange is an IP address, not a host name: not looked up.
    IpLiteral,
    /// Neither A nor AAAA records (NXDOMAIN or NODATA), or not a usable name at all.
    Unresolvable,
    /// The address lookups failed, none gave an address: could not verify.
    Failed,
    /// Beyond [`HOST_LOOKUP_LIMIT`]: not looked up.
    NotChecked,
}

/// One MX host with what its lookups found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxHost {
    /// Lower is preferred: senders try hosts in order of preference (RFC 5321 §5.1).
    pub preference: u16,
    /// The exchange as published, lowercase and without the trailing dot (`""` for the root).
    pub exchange: String,
    /// What the host's address lookups found.
    pub status: HostStatus,
    /// The A and AAAA addresses (of the alias target, when the host is an alias).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<IpAddr>,
    /// Where the host's CNAME points, when the host is an alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_target: Option<String>,
}

/// The MX part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxSection {
    /// The checked domain.
    pub domain: String,
    /// What the MX lookup found.
    pub status: MxStatus,
    /// The MX hosts, by preference (lowest first), then name; each exchange once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<MxHost>,
    /// Without MX: the domain's own addresses, where senders deliver instead (RFC 5321 §5.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub implicit_addresses: Vec<IpAddr>,
    /// Every finding of the MX check, about the hosts and the record set.
    pub findings: Vec<Finding>,
}

impl MxSection {
    /// Whether the domain publishes a null MX (RFC 7505): it receives no mail. The planner
    /// raises `mx-null` to a warning when the domain's SPF record still authorizes senders.
    pub fn is_null_mx(&self) -> bool {
        self.status == MxStatus::Null
    }

    /// The MX host names in preference order, for MTA-STS coverage (RFC 8461 §4.1). The root
    /// of a null MX is not a host; IP literals are included, since no policy can cover them.
    pub fn hosts(&self) -> Vec<String> {
        self.hosts
            .iter()
            .filter(|host| !host.exchange.is_empty())
            .map(|host| host.exchange.clone())
            .collect()
    }
}

/// The address an MX exchange spells, if it is an IP literal rather than a host name:
/// `192.0.2.1`, `192.0.2.1.`, `[192.0.2.1]`, `2001:db8::1`, `[IPv6:2001:db8::1]`.
pub fn ip_literal(exchange: &str) -> Option<IpAddr> {
    let text = exchange.trim();
    let text = text.strip_suffix('.').unwrap_or(text);
    let text = text
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(text);
    let text = match text.get(..5) {
        Some(prefix) if prefix.eq_ignore_ascii_case("ipv6:") => &text[5..],
        _ => text,
    };
    text.parse().ok()
}

fn dns_error(domain: &str, query: &Query, failure: Failure) -> Finding {
    Finding::new(Code::MxDnsError)
        .with_domain(domain)
        .with("domain", domain)
        .with("query", query)
        .with("failure", failure.as_str())
}

fn addresses(answer: &Answer) -> Vec<IpAddr> {
    answer
        .record_data()
        .iter()
        .filter_map(|record| match record {
            RecordData::A(ip) => Some(IpAddr::V4(*ip)),
            RecordData::Aaaa(ip) => Some(IpAddr::V6(*ip)),
            _ => None,
        })
        .collect()
}

/// `NXDOMAIN` when either answer says the name does not exist, `NODATA` otherwise.
fn void_kind(a: &Answer, aaaa: &Answer) -> &'static str {
    if matches!(a, Answer::Nxdomain) || matches!(aaaa, Answer::Nxdomain) {
        "NXDOMAIN"
    } else {
        "NODATA"
    }
}

/// Checks the MX records of `domain` on the answers in `cache`, or names every query still
/// needed.
pub fn check_mx(domain: &str, cache: &AnswerCache) -> Result<MxSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let mut check = Lookups::new(cache);
    let mut section = MxSection {
        domain: domain.clone(),
        status: MxStatus::Hosts,
        hosts: Vec::new(),
        implicit_addresses: Vec::new(),
        findings: Vec::new(),
    };
    let mx_query = Query::new(&domain, RecordType::Mx);
    let Some(answer) = check.get(mx_query.clone()).cloned() else {
        return Err(check.into_missing());
    };
    let mut records: Vec<(u16, String)> = answer
        .record_data()
        .iter()
        .filter_map(|record| match record {
            RecordData::Mx {
                preference,
                exchange,
            } => Some((*preference, normalize_name(exchange))),
            _ => None,
        })
        .collect();
    crate::order::sort_by(&mut records, Ord::cmp);
    // The same exchange twice is one host; its lowest preference counts.
    let mut seen: Vec<String> = Vec::new();
    records.retain(|(_, exchange)| {
        let new = !seen.contains(exchange);
        if new {
            seen.push(exchange.clone());
        }
        new
    });

    if let Answer::Failed { failure } = &answer {
        section.status = MxStatus::Failed;
        section
            .findings
            .push(dns_error(&domain, &mx_query, *failure));
        return Ok(section);
    }

    if records.is_empty() {
        section.status = MxStatus::None;
        no_mx(&mut check, &mut section, &answer);
    } else if records.iter().all(|(_, exchange)| exchange.is_empty()) {
        // RFC 7505 §3: a null MX is a single MX with preference 0 and the root as exchange. One
        // with another preference (or the root twice) leaves senders nowhere to go all the
        // same, so it is read as a null MX too; the record shown tells the difference.
        section.status = MxStatus::Null;
        section.hosts = records
            .iter()
            .map(|(preference, exchange)| MxHost {
                preference: *preference,
                exchange: exchange.clone(),
                status: HostStatus::Unresolvable,
                addresses: Vec::new(),
                alias_target: None,
            })
            .collect();
        section.findings.push(
            Finding::new(Code::MxNull)
                .with_domain(&domain)
                .with("domain", &domain),
        );
    } else {
        for (index, (preference, exchange)) in records.iter().enumerate() {
            let host = check_host(
                &mut check,
                &mut section.findings,
                &domain,
                *preference,
                exchange,
                index < HOST_LOOKUP_LIMIT,
            );
            section.hosts.push(host);
        }
    }
    if !check.is_complete() {
        return Err(check.into_missing());
    }
    Ok(section)
}

/// No MX records: senders fall back to the domain's own addresses (RFC 5321 §5.1).
fn no_mx(check: &mut Lookups<'_>, section: &mut MxSection, mx_answer: &Answer) {
    let domain = section.domain.clone();
    let finding = Finding::new(Code::MxNone)
        .with_domain(&domain)
        .with("domain", &domain);
    if matches!(mx_answer, Answer::Nxdomain) {
        // The name does not exist: it has no address either.
        section.findings.push(
            finding
                .with("answer", "NXDOMAIN")
                .with("fallback", "nowhere"),
        );
        return;
    }
    let a_query = Query::new(&domain, RecordType::A);
    let aaaa_query = Query::new(&domain, RecordType::Aaaa);
    let (Some(a), Some(aaaa)) = (
        check.get(a_query.clone()).cloned(),
        check.get(aaaa_query.clone()).cloned(),
    ) else {
        return;
    };
    let mut failed = false;
    for (query, answer) in [(&a_query, &a), (&aaaa_query, &aaaa)] {
        if let Answer::Failed { failure } = answer {
            failed = true;
            section
                .findings
                .push(dns_error(&domain, query, *failure).with("host", &domain));
        }
    }
    section.implicit_addresses = addresses(&a);
    section.implicit_addresses.extend(addresses(&aaaa));
    let finding = finding.with("answer", "NODATA");
    let finding = if !section.implicit_addresses.is_empty() {
        let list: Vec<String> = section
            .implicit_addresses
            .iter()
            .map(IpAddr::to_string)
            .collect();
        finding
            .with("fallback", "address")
            .with("addresses", list.join(", "))
    } else if failed {
        // Could not tell where mail would go: the dns-error finding says so.
        finding
    } else {
        finding.with("fallback", "nowhere")
    };
    section.findings.push(finding);
}

fn check_host(
    check: &mut Lookups<'_>,
    findings: &mut Vec<Finding>,
    domain: &str,
    preference: u16,
    exchange: &str,
    look_up: bool,
) -> MxHost {
    let mut host = MxHost {
        preference,
        exchange: exchange.to_owned(),
        status: HostStatus::NotChecked,
        addresses: Vec::new(),
        alias_target: None,
    };
    if exchange.is_empty() {
        // RFC 7505 §3: a domain with a null MX must not have other MX records. Senders that
        // see it among others may treat the domain as not accepting mail, or try the root.
        host.status = HostStatus::Unresolvable;
        findings.push(
            Finding::new(Code::MxTargetUnresolvable)
                .with_domain(domain)
                .with("domain", domain)
                .with("host", ".")
                .with("reason", "null-mixed"),
        );
        return host;
    }
    // RFC 5321 §5.1: the MX names a host, looked up by A/AAAA; an address in its place is not
    // a host name and is not used (RFC 7505 §1 describes such records as misconfigurations).
    if let Some(ip) = ip_literal(exchange) {
        host.status = HostStatus::IpLiteral;
        findings.push(
            Finding::new(Code::MxTargetIp)
                .with_domain(domain)
                .with("domain", domain)
                .with("host", exchange)
                .with("ip", ip),
        );
        return host;
    }
    if !is_queryable_name(exchange, false) {
        host.status = HostStatus::Unresolvable;
        findings.push(
            Finding::new(Code::MxTargetUnresolvable)
                .with_domain(domain)
                .with("domain", domain)
                .with("host", exchange)
                .with("answer", "invalid"),
        );
        return host;
    }
    if !look_up {
        return host;
    }
    let a_query = Query::new(exchange, RecordType::A);
    let aaaa_query = Query::new(exchange, RecordType::Aaaa);
    let a = check.get(a_query.clone()).cloned();
    let aaaa = check.get(aaaa_query.clone()).cloned();
    let (Some(a), Some(aaaa)) = (a, aaaa) else {
        return host;
    };

    // RFC 5321 §5.1, RFC 2181 §10.3: the name in an MX record must not be an alias. An address
    // answer reached through an alias starts with its CNAME records (the drivers' decoder keeps
    // them), so no CNAME query of its own is needed; a snapshot taken when the check still asked
    // one is read as it was.
    let cname_query = Query::new(exchange, RecordType::Cname);
    let alias = |answer: &Answer| {
        answer.record_data().iter().find_map(|record| match record {
            RecordData::Cname(target) => Some(normalize_name(target)),
            _ => None,
        })
    };
    match check.cache().get(&cname_query) {
        Some(Answer::Failed { failure }) => {
            findings.push(dns_error(domain, &cname_query, *failure).with("host", exchange))
        }
        Some(answer) => host.alias_target = alias(answer),
        None => host.alias_target = alias(&a).or_else(|| alias(&aaaa)),
    }
    if let Some(target) = &host.alias_target {
        findings.push(
            Finding::new(Code::MxTargetCname)
                .with_domain(domain)
                .with("domain", domain)
                .with("host", exchange)
                .with("target", target),
        );
    }

    // The resolver follows the alias: the A and AAAA answers are the target's.
    host.addresses = addresses(&a);
    host.addresses.extend(addresses(&aaaa));
    let mut failed = false;
    for (query, answer) in [(&a_query, &a), (&aaaa_query, &aaaa)] {
        if let Answer::Failed { failure } = answer {
            failed = true;
            findings.push(dns_error(domain, query, *failure).with("host", exchange));
        }
    }
    host.status = if !host.addresses.is_empty() {
        HostStatus::Resolved
    } else if failed {
        HostStatus::Failed
    } else {
        findings.push(
            Finding::new(Code::MxTargetUnresolvable)
                .with_domain(domain)
                .with("domain", domain)
                .with("host", exchange)
                .with("answer", void_kind(&a, &aaaa)),
        );
        HostStatus::Unresolvable
    };
    host
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_ip_literals() {
        for (exchange, expect) in [
            ("192.0.2.1", Some("192.0.2.1")),
            ("192.0.2.95.", Some("192.0.2.95")),
            ("[192.0.2.1]", Some("192.0.2.1")),
            ("2001:db8::1", Some("2001:db8::1")),
            ("[IPv6:2001:db8::1]", Some("2001:db8::1")),
            ("[ipv6:2001:db8::1]", Some("2001:db8::1")),
            ("mail.example.com", None),
            ("192.0.2.1.example.com", None),
            ("192.0.2", None),
            ("1-2-3-4.example.com", None),
            ("", None),
        ] {
            let expect: Option<IpAddr> = expect.map(|text| text.parse().unwrap());
            assert_eq!(ip_literal(exchange), expect, "{exchange}");
        }
    }

    fn cache(entries: &[(&str, RecordType, Answer)]) -> AnswerCache {
        let mut cache = AnswerCache::new();
        for (name, record_type, answer) in entries {
            cache.insert(Query::new(name, *record_type), answer.clone());
        }
        cache
    }

    fn mx(preference: u16, exchange: &str) -> RecordData {
        RecordData::Mx {
            preference,
            exchange: exchange.to_owned(),
        }
    }

    #[test]
    fn names_every_host_query_in_one_round() {
        let cache = cache(&[(
            "example.com",
            RecordType::Mx,
            Answer::records(vec![mx(20, "b.example.com."), mx(10, "a.example.com.")]),
        )]);
        let missing = check_mx("example.com", &cache).unwrap_err();
        assert_eq!(missing.len(), 4, "{missing:?}");
        for host in ["a.example.com", "b.example.com"] {
            for record_type in [RecordType::A, RecordType::Aaaa] {
                assert!(missing.contains(&Query::new(host, record_type)));
            }
        }
    }

    #[test]
    fn the_wire_form_of_a_null_mx_is_a_null_mx() {
        // The wire decoder writes the root as "", zone files as ".".
        for root in ["", "."] {
            let cache = cache(&[(
                "example.com",
                RecordType::Mx,
                Answer::records(vec![mx(0, root)]),
            )]);
            let section = check_mx("example.com", &cache).unwrap();
            assert!(section.is_null_mx());
            assert!(section.hosts().is_empty());
        }
    }

    #[test]
    fn hosts_beyond_the_limit_are_not_looked_up() {
        let records: Vec<RecordData> = (0..HOST_LOOKUP_LIMIT + 2)
            .map(|i| mx(10, &format!("mx{i:02}.example.com")))
            .collect();
        let cache = cache(&[("example.com", RecordType::Mx, Answer::records(records))]);
        let missing = check_mx("example.com", &cache).unwrap_err();
        assert_eq!(missing.len(), HOST_LOOKUP_LIMIT * 2, "A and AAAA per host");
    }
}
