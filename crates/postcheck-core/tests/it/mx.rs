//! The MX check and the sending-server check (PTR, FCrDNS, generic names, DNS blocklists) on
//! in-memory zones: each code present where it belongs and absent where it does not, IPv4 and
//! IPv6, refusal codes, failed lookups, the Spamhaus DQS query names, and Spamhaus left out for
//! public resolvers.

use crate::zone::Zone;
use postcheck_core::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType};
use postcheck_core::findings::{Code, Finding, Severity};
use postcheck_core::mx::{HostStatus, MxSection, MxStatus, check_mx};
use postcheck_core::report::{CheckInput, DomainCheck, Plan};
use postcheck_core::sender::{
    DnsblConfig, DnsblStatus, ForwardStatus, PtrStatus, SenderSection, check_sender,
};
use std::net::IpAddr;

/// Runs a check to completion on `zone`, answering `overrides` first (for failures other than a
/// timeout); returns the result and the queries of each round.
fn drive<T>(
    zone: &Zone,
    overrides: &[(Query, Answer)],
    check: impl Fn(&AnswerCache) -> Result<T, Vec<Query>>,
) -> (T, Vec<Vec<Query>>) {
    zone.run(overrides, 5, AnswerCache::new(), check)
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

fn find(findings: &[Finding], code: Code) -> &Finding {
    findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(findings)))
}

fn all(findings: &[Finding], code: Code) -> Vec<&Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// Every code in `present` occurs, none in `absent` does.
fn assert_codes(findings: &[Finding], present: &[&str], absent: &[&str]) {
    let got = codes(findings);
    for code in present {
        assert!(got.contains(code), "{code} missing from {got:?}");
    }
    for code in absent {
        assert!(!got.contains(code), "{code} unexpected in {got:?}");
    }
}

/// No finding of severity warning or error.
fn assert_clean(findings: &[Finding]) {
    let loud: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

fn q(name: &str, record_type: RecordType) -> Query {
    Query::new(name, record_type)
}

// === MX ======================================================================================

const MX_CODES: &[&str] = &[
    "mx-none",
    "mx-null",
    "mx-target-cname",
    "mx-target-ip",
    "mx-target-unresolvable",
    "mx-dns-error",
];

fn mx_zone(rows: &[(&str, &str, &str)], overrides: &[(Query, Answer)]) -> (MxSection, usize) {
    let zone = Zone::from_rows(rows);
    let (section, rounds) = drive(&zone, overrides, |cache| check_mx("example.test", cache));
    (section, rounds.len())
}

/// Only `present` of the MX codes occur.
fn assert_only(section: &MxSection, present: &[&str]) {
    let absent: Vec<&str> = MX_CODES
        .iter()
        .copied()
        .filter(|code| !present.contains(code))
        .collect();
    assert_codes(&section.findings, present, &absent);
}

#[test]
fn clean_mx_hosts_give_no_finding() {
    let (section, rounds) = mx_zone(
        &[
            ("example.test", "MX", "20 mx2.example.test."),
            ("example.test", "MX", "10 mx1.example.test."),
            ("mx1.example.test", "A", "192.0.2.1"),
            ("mx2.example.test", "A", "192.0.2.2"),
            ("mx2.example.test", "AAAA", "2001:db8::2"),
        ],
        &[],
    );
    assert_eq!(rounds, 2, "the MX query, then every host query together");
    assert!(section.findings.is_empty(), "{:#?}", section.findings);
    assert_eq!(section.status, MxStatus::Hosts);
    assert!(!section.is_null_mx());
    assert_eq!(section.hosts(), ["mx1.example.test", "mx2.example.test"]);
    assert_eq!(section.hosts[0].preference, 10);
    assert_eq!(section.hosts[1].status, HostStatus::Resolved);
    assert_eq!(
        section.hosts[1].addresses,
        [
            "192.0.2.2".parse::<IpAddr>().unwrap(),
            "2001:db8::2".parse().unwrap()
        ]
    );
}

#[test]
fn mx_none_with_an_address_says_where_mail_goes() {
    let (section, rounds) = mx_zone(
        &[
            ("example.test", "TXT", "v=spf1 -all"),
            ("example.test", "A", "192.0.2.95"),
        ],
        &[],
    );
    assert_eq!(rounds, 2);
    assert_only(&section, &["mx-none"]);
    let finding = find(&section.findings, Code::MxNone);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.param("fallback"), "address");
    assert_eq!(finding.param("addresses"), "192.0.2.95");
    assert_eq!(section.status, MxStatus::None);
    assert!(section.hosts().is_empty());
}

#[test]
fn mx_none_without_an_address_goes_nowhere() {
    let (section, _) = mx_zone(&[("example.test", "TXT", "v=spf1 -all")], &[]);
    assert_only(&section, &["mx-none"]);
    assert_eq!(
        find(&section.findings, Code::MxNone).param("fallback"),
        "nowhere"
    );

    // NXDOMAIN: the name has no address either; nothing more is asked.
    let (section, rounds) = mx_zone(&[], &[]);
    assert_eq!(rounds, 1);
    assert_only(&section, &["mx-none"]);
    let finding = find(&section.findings, Code::MxNone);
    assert_eq!(finding.param("fallback"), "nowhere");
    assert_eq!(finding.param("answer"), "NXDOMAIN");
}

#[test]
fn mx_none_whose_address_lookup_fails_does_not_guess() {
    let (section, _) = mx_zone(
        &[("example.test", "TXT", "v=spf1 -all")],
        &[(
            q("example.test", RecordType::A),
            Answer::failed(Failure::Servfail),
        )],
    );
    assert_only(&section, &["mx-none", "mx-dns-error"]);
    assert_eq!(find(&section.findings, Code::MxNone).param("fallback"), "");
    assert_eq!(
        find(&section.findings, Code::MxDnsError).param("query"),
        "example.test A"
    );
}

#[test]
fn null_mx_is_info_and_not_none() {
    let (section, rounds) = mx_zone(&[("example.test", "MX", "0 .")], &[]);
    assert_eq!(rounds, 1, "the root is never looked up");
    assert_only(&section, &["mx-null"]);
    assert_eq!(
        find(&section.findings, Code::MxNull).severity,
        Severity::Info
    );
    assert!(section.is_null_mx());
    assert_eq!(section.status, MxStatus::Null);
    assert!(section.hosts().is_empty());
    assert_clean(&section.findings);
}

#[test]
fn null_mx_among_other_hosts_is_an_error() {
    let (section, _) = mx_zone(
        &[
            ("example.test", "MX", "0 ."),
            ("example.test", "MX", "10 mail.example.test."),
            ("mail.example.test", "A", "192.0.2.1"),
        ],
        &[],
    );
    assert!(!section.is_null_mx());
    assert_only(&section, &["mx-target-unresolvable"]);
    let finding = find(&section.findings, Code::MxTargetUnresolvable);
    assert_eq!(finding.param("reason"), "null-mixed");
    assert_eq!(section.hosts(), ["mail.example.test"]);
}

#[test]
fn mx_target_ip_is_an_error_and_not_looked_up() {
    let (section, rounds) = mx_zone(
        &[
            ("example.test", "MX", "10 192.0.2.95."),
            ("example.test", "MX", "20 [192.0.2.96]"),
        ],
        &[],
    );
    assert_eq!(rounds, 1);
    assert_only(&section, &["mx-target-ip"]);
    let findings = all(&section.findings, Code::MxTargetIp);
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0].param("host"), "192.0.2.95");
    assert_eq!(findings[0].param("ip"), "192.0.2.95");
    assert_eq!(findings[1].param("host"), "[192.0.2.96]");
    assert_eq!(findings[0].severity, Severity::Error);
    assert!(
        section
            .hosts
            .iter()
            .all(|host| host.status == HostStatus::IpLiteral)
    );
}

#[test]
fn mx_target_cname_is_a_warning_and_resolves_through_the_alias() {
    let (section, _) = mx_zone(
        &[
            ("example.test", "MX", "10 mail.example.test."),
            ("mail.example.test", "CNAME", "host.example.test."),
            ("host.example.test", "A", "192.0.2.95"),
        ],
        &[],
    );
    assert_only(&section, &["mx-target-cname"]);
    let finding = find(&section.findings, Code::MxTargetCname);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.param("host"), "mail.example.test");
    assert_eq!(finding.param("target"), "host.example.test");
    let host = &section.hosts[0];
    assert_eq!(host.status, HostStatus::Resolved);
    assert_eq!(host.alias_target.as_deref(), Some("host.example.test"));
    assert_eq!(host.addresses, ["192.0.2.95".parse::<IpAddr>().unwrap()]);
}

#[test]
fn an_alias_is_known_from_its_address_answer_and_an_old_snapshots_cname_answer_still_counts() {
    // No CNAME query any more: the alias shows as the chain in front of the addresses.
    let rows = [
        ("example.test", "MX", "10 mail.example.test."),
        ("mail.example.test", "CNAME", "host.example.test."),
        ("host.example.test", "AAAA", "2001:db8::95"),
    ];
    let zone = Zone::from_rows(&rows);
    let (section, rounds) = drive(&zone, &[], |cache| check_mx("example.test", cache));
    let asked: Vec<Query> = rounds.concat();
    assert!(
        !asked.iter().any(|q| q.record_type == RecordType::Cname),
        "{asked:?}"
    );
    assert_eq!(
        section.hosts[0].alias_target.as_deref(),
        Some("host.example.test"),
        "found through the AAAA answer"
    );
    // A snapshot from before holds the CNAME query's answer and address answers without the
    // chain: read as it was.
    let mut cache = AnswerCache::new();
    cache.insert(
        Query::new("example.test", RecordType::Mx),
        Answer::records(vec![RecordData::Mx {
            preference: 10,
            exchange: "mail.example.test".to_owned(),
        }]),
    );
    cache.insert(
        Query::new("mail.example.test", RecordType::Cname),
        Answer::records(vec![RecordData::Cname("host.example.test".to_owned())]),
    );
    cache.insert(
        Query::new("mail.example.test", RecordType::A),
        Answer::records(vec![RecordData::A("192.0.2.95".parse().unwrap())]),
    );
    cache.insert(
        Query::new("mail.example.test", RecordType::Aaaa),
        Answer::Nodata,
    );
    let section = check_mx("example.test", &cache).expect("complete");
    assert_only(&section, &["mx-target-cname"]);
}

#[test]
fn mx_target_unresolvable_for_nxdomain_and_nodata() {
    let (section, _) = mx_zone(
        &[
            ("example.test", "MX", "10 mx.example.test."),
            ("example.test", "MX", "20 gone.example.test."),
            ("example.test", "MX", "30 noaddr.example.test."),
            ("mx.example.test", "A", "192.0.2.95"),
            ("noaddr.example.test", "TXT", "no address records"),
        ],
        &[],
    );
    assert_only(&section, &["mx-target-unresolvable"]);
    let findings = all(&section.findings, Code::MxTargetUnresolvable);
    let hosts: Vec<&str> = findings.iter().map(|f| f.param("host")).collect();
    assert_eq!(hosts, ["gone.example.test", "noaddr.example.test"]);
    assert_eq!(findings[0].param("answer"), "NXDOMAIN");
    assert_eq!(findings[1].param("answer"), "NODATA");
    assert_eq!(section.hosts[0].status, HostStatus::Resolved);
}

#[test]
fn failed_mx_lookup_is_a_dns_error_never_none() {
    let (section, rounds) = mx_zone(
        &[("example.test", "A", "192.0.2.1")],
        &[(
            q("example.test", RecordType::Mx),
            Answer::failed(Failure::Servfail),
        )],
    );
    assert_eq!(rounds, 1);
    assert_only(&section, &["mx-dns-error"]);
    let finding = find(&section.findings, Code::MxDnsError);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.param("failure"), "SERVFAIL");
    assert_eq!(finding.param("query"), "example.test MX");
    assert_eq!(section.status, MxStatus::Failed);
}

#[test]
fn failed_host_lookup_is_a_dns_error_never_unresolvable() {
    let (section, _) = mx_zone(
        &[
            ("example.test", "MX", "10 slow.example.test."),
            ("slow.example.test", "TIMEOUT", ""),
        ],
        &[],
    );
    assert_only(&section, &["mx-dns-error"]);
    // The A and AAAA queries both timed out (an alias would show in them: no CNAME query).
    assert_eq!(all(&section.findings, Code::MxDnsError).len(), 2);
    let finding = find(&section.findings, Code::MxDnsError);
    assert_eq!(finding.param("host"), "slow.example.test");
    assert_eq!(finding.param("failure"), "timeout");
    assert_eq!(section.hosts[0].status, HostStatus::Failed);

    // Only AAAA fails: the host still resolves, the failure is still reported.
    let (section, _) = mx_zone(
        &[
            ("example.test", "MX", "10 mail.example.test."),
            ("mail.example.test", "A", "192.0.2.1"),
        ],
        &[(
            q("mail.example.test", RecordType::Aaaa),
            Answer::failed(Failure::Servfail),
        )],
    );
    assert_only(&section, &["mx-dns-error"]);
    assert_eq!(section.hosts[0].status, HostStatus::Resolved);
}

// === The sending server ======================================================================

const SENDER_CODES: &[&str] = &[
    "ptr-missing",
    "ptr-mismatch",
    "ptr-generic",
    "ptr-ok",
    "dnsbl-listed",
    "dnsbl-unavailable",
    "dnsbl-clean",
];

fn sender_with(
    rows: &[(&str, &str, &str)],
    overrides: &[(Query, Answer)],
    ip: &str,
    config: &DnsblConfig,
) -> (SenderSection, Vec<Vec<Query>>) {
    let zone = Zone::from_rows(rows);
    let ip: IpAddr = ip.parse().unwrap();
    drive(&zone, overrides, |cache| check_sender(ip, config, cache))
}

fn sender(rows: &[(&str, &str, &str)], ip: &str) -> (SenderSection, Vec<Vec<Query>>) {
    sender_with(rows, &[], ip, &DnsblConfig::default())
}

fn assert_sender_only(section: &SenderSection, present: &[&str]) {
    let absent: Vec<&str> = SENDER_CODES
        .iter()
        .copied()
        .filter(|code| !present.contains(code))
        .collect();
    assert_codes(&section.findings, present, &absent);
}

const DEFAULT_LISTS: &str =
    "zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org, psbl.surriel.com, bl.mailspike.net";

#[test]
fn clean_sender_in_two_rounds() {
    let (section, rounds) = sender(
        &[
            ("80.2.0.192.in-addr.arpa", "PTR", "mail.clean.report.test."),
            ("mail.clean.report.test", "A", "192.0.2.80"),
        ],
        "192.0.2.80",
    );
    assert_eq!(rounds.len(), 2);
    // Round 1: the PTR and every list together.
    assert_eq!(rounds[0].len(), 6, "{:?}", rounds[0]);
    assert!(rounds[0].contains(&q("80.2.0.192.in-addr.arpa", RecordType::Ptr)));
    assert!(rounds[0].contains(&q("80.2.0.192.zen.spamhaus.org", RecordType::A)));
    assert!(rounds[0].contains(&q("80.2.0.192.bl.mailspike.net", RecordType::A)));
    assert_eq!(rounds[1], [q("mail.clean.report.test", RecordType::A)]);
    assert_sender_only(&section, &["ptr-ok", "dnsbl-clean"]);
    assert_clean(&section.findings);
    let ok = find(&section.findings, Code::PtrOk);
    assert_eq!(ok.param("ip"), "192.0.2.80");
    assert_eq!(ok.param("name"), "mail.clean.report.test");
    let clean = find(&section.findings, Code::DnsblClean);
    assert_eq!(clean.param("lists"), DEFAULT_LISTS);
    assert_eq!(clean.severity, Severity::Ok);
    assert_eq!(section.ptr_status, PtrStatus::Found);
    assert_eq!(
        section.fcrdns_name.as_deref(),
        Some("mail.clean.report.test")
    );
    assert!(!section.generic);
    assert_eq!(section.dnsbl.len(), 5);
    assert!(
        section
            .dnsbl
            .iter()
            .all(|result| result.status == DnsblStatus::NotListed)
    );
}

#[test]
fn ptr_missing_is_an_error() {
    let (section, rounds) = sender(&[], "192.0.2.72");
    assert_eq!(rounds.len(), 1);
    assert_sender_only(&section, &["ptr-missing", "dnsbl-clean"]);
    let finding = find(&section.findings, Code::PtrMissing);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.param("ip"), "192.0.2.72");
    assert_eq!(section.ptr_status, PtrStatus::Missing);
}

#[test]
fn failed_ptr_lookup_is_not_missing() {
    let (section, _) = sender(&[("72.2.0.192.in-addr.arpa", "TIMEOUT", "")], "192.0.2.72");
    assert_sender_only(&section, &["ptr-dns-error", "dnsbl-clean"]);
    assert_eq!(section.ptr_status, PtrStatus::Failed);
}

#[test]
fn ptr_mismatch_when_the_name_points_elsewhere_or_nowhere() {
    let (section, _) = sender(
        &[
            (
                "73.2.0.192.in-addr.arpa",
                "PTR",
                "mail.ptr-mismatch.report.test.",
            ),
            ("mail.ptr-mismatch.report.test", "A", "192.0.2.74"),
        ],
        "192.0.2.73",
    );
    assert_sender_only(&section, &["ptr-mismatch", "dnsbl-clean"]);
    let finding = find(&section.findings, Code::PtrMismatch);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.param("ip"), "192.0.2.73");
    assert_eq!(finding.param("name"), "mail.ptr-mismatch.report.test");
    assert_eq!(finding.param("addresses"), "192.0.2.74");
    assert_eq!(finding.param("record"), "A");
    assert_eq!(section.forward[0].status, ForwardStatus::OtherAddresses);
    assert_eq!(section.fcrdns_name, None);

    let (section, _) = sender(
        &[(
            "75.2.0.192.in-addr.arpa",
            "PTR",
            "gone.ptr-mismatch-nxdomain.report.test.",
        )],
        "192.0.2.75",
    );
    assert_sender_only(&section, &["ptr-mismatch", "dnsbl-clean"]);
    let finding = find(&section.findings, Code::PtrMismatch);
    assert_eq!(finding.param("addresses"), "");
    assert_eq!(section.forward[0].status, ForwardStatus::NoAddress);
}

#[test]
fn failed_forward_lookup_is_not_a_mismatch() {
    let (section, _) = sender(
        &[
            ("73.2.0.192.in-addr.arpa", "PTR", "mail.slow.example."),
            ("mail.slow.example", "TIMEOUT", ""),
        ],
        "192.0.2.73",
    );
    assert_sender_only(&section, &["dnsbl-clean"]);
    assert_eq!(section.forward[0].status, ForwardStatus::Failed);
}

#[test]
fn one_confirmed_name_of_several_is_enough() {
    let (section, rounds) = sender(
        &[
            ("10.2.0.192.in-addr.arpa", "PTR", "old.example.test."),
            ("10.2.0.192.in-addr.arpa", "PTR", "mail.example.test."),
            ("old.example.test", "A", "198.51.100.1"),
            ("mail.example.test", "A", "192.0.2.10"),
        ],
        "192.0.2.10",
    );
    assert_eq!(rounds[1].len(), 2, "both forward lookups in one round");
    assert_sender_only(&section, &["ptr-ok", "dnsbl-clean"]);
    assert_eq!(section.fcrdns_name.as_deref(), Some("mail.example.test"));
}

#[test]
fn generic_pool_name_is_a_warning_even_when_confirmed() {
    let (section, _) = sender(
        &[
            (
                "77.2.0.192.in-addr.arpa",
                "PTR",
                "dyn-192-0-2-77.pool.isp.test.",
            ),
            ("dyn-192-0-2-77.pool.isp.test", "A", "192.0.2.77"),
        ],
        "192.0.2.77",
    );
    assert_sender_only(&section, &["ptr-ok", "ptr-generic", "dnsbl-clean"]);
    let finding = find(&section.findings, Code::PtrGeneric);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(finding.param("name"), "dyn-192-0-2-77.pool.isp.test");
    assert_eq!(finding.param("token"), "192-0-2-77");
    assert!(section.generic);

    // A mail server's own name with the customer word in it is not generic.
    let (section, _) = sender(
        &[
            (
                "91.2.0.192.in-addr.arpa",
                "PTR",
                "mx1.customer.report.test.",
            ),
            ("mx1.customer.report.test", "A", "192.0.2.91"),
        ],
        "192.0.2.91",
    );
    assert_sender_only(&section, &["ptr-ok", "dnsbl-clean"]);
    assert!(!section.generic);
}

/// The lists of the test bed's fixtures: 192.0.2.81 on Spamhaus and SpamCop, 192.0.2.82 refused
/// by Spamhaus, 192.0.2.83 answered outside 127/8 by Barracuda.
const LISTS: &[(&str, &str, &str)] = &[
    (
        "81.2.0.192.in-addr.arpa",
        "PTR",
        "mail.dnsbl-listed.report.test.",
    ),
    ("mail.dnsbl-listed.report.test", "A", "192.0.2.81"),
    ("81.2.0.192.zen.spamhaus.org", "A", "127.0.0.2"),
    ("81.2.0.192.zen.spamhaus.org", "A", "127.0.0.4"),
    (
        "81.2.0.192.zen.spamhaus.org",
        "TXT",
        "https://check.spamhaus.org/fixture/192.0.2.81",
    ),
    ("81.2.0.192.bl.spamcop.net", "A", "127.0.0.2"),
    (
        "82.2.0.192.in-addr.arpa",
        "PTR",
        "mail.dnsbl-unavailable.report.test.",
    ),
    ("mail.dnsbl-unavailable.report.test", "A", "192.0.2.82"),
    ("82.2.0.192.zen.spamhaus.org", "A", "127.255.255.254"),
    (
        "83.2.0.192.in-addr.arpa",
        "PTR",
        "mail.dnsbl-unavailable-outside.report.test.",
    ),
    (
        "mail.dnsbl-unavailable-outside.report.test",
        "A",
        "192.0.2.83",
    ),
    ("83.2.0.192.b.barracudacentral.org", "A", "203.0.113.99"),
];

#[test]
fn dnsbl_listed_names_list_code_and_reason() {
    let (section, rounds) = sender(LISTS, "192.0.2.81");
    assert_eq!(rounds.len(), 2, "the reasons go with the forward lookup");
    assert!(rounds[1].contains(&q("81.2.0.192.zen.spamhaus.org", RecordType::Txt)));
    assert!(rounds[1].contains(&q("81.2.0.192.bl.spamcop.net", RecordType::Txt)));
    assert_sender_only(&section, &["ptr-ok", "dnsbl-listed"]);
    let listed = all(&section.findings, Code::DnsblListed);
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].param("list"), "zen.spamhaus.org");
    assert_eq!(listed[0].param("code"), "127.0.0.2, 127.0.0.4");
    assert_eq!(listed[0].param("ip"), "192.0.2.81");
    assert_eq!(
        listed[0].param("reason"),
        "https://check.spamhaus.org/fixture/192.0.2.81"
    );
    assert_eq!(listed[0].severity, Severity::Error);
    assert_eq!(listed[1].param("list"), "bl.spamcop.net");
    assert_eq!(listed[1].param("reason"), "");
}

#[test]
fn spamhaus_refusal_is_unavailable_never_listed() {
    for refusal in ["127.255.255.252", "127.255.255.254", "127.255.255.255"] {
        let (section, _) = sender(
            &[
                ("82.2.0.192.in-addr.arpa", "PTR", "mail.example.test."),
                ("mail.example.test", "A", "192.0.2.82"),
                ("82.2.0.192.zen.spamhaus.org", "A", refusal),
            ],
            "192.0.2.82",
        );
        assert_sender_only(&section, &["ptr-ok", "dnsbl-unavailable", "dnsbl-clean"]);
        let finding = find(&section.findings, Code::DnsblUnavailable);
        assert_eq!(finding.severity, Severity::Info);
        assert_eq!(finding.param("list"), "zen.spamhaus.org");
        assert_eq!(finding.param("answer"), refusal);
        assert_eq!(finding.param("kind"), "refused");
        // Clean on the lists that answered, which do not include Spamhaus.
        assert_eq!(
            find(&section.findings, Code::DnsblClean).param("lists"),
            "bl.spamcop.net, b.barracudacentral.org, psbl.surriel.com, bl.mailspike.net"
        );
        assert_clean(&section.findings);
    }
}

#[test]
fn answer_outside_loopback_is_unavailable() {
    let (section, _) = sender(LISTS, "192.0.2.83");
    assert_sender_only(&section, &["ptr-ok", "dnsbl-unavailable", "dnsbl-clean"]);
    let finding = find(&section.findings, Code::DnsblUnavailable);
    assert_eq!(finding.param("list"), "b.barracudacentral.org");
    assert_eq!(finding.param("answer"), "203.0.113.99");
    assert_eq!(finding.param("kind"), "unexpected");
}

#[test]
fn failed_list_lookup_is_unavailable() {
    let (section, _) = sender_with(
        &[],
        &[(
            q("9.2.0.192.bl.spamcop.net", RecordType::A),
            Answer::failed(Failure::Servfail),
        )],
        "192.0.2.9",
        &DnsblConfig {
            lists: vec!["bl.spamcop.net".to_owned(), "psbl.surriel.com".to_owned()],
            ..DnsblConfig::default()
        },
    );
    // SpamCop failed, PSBL answered NXDOMAIN.
    let unavailable = all(&section.findings, Code::DnsblUnavailable);
    assert_eq!(unavailable.len(), 1);
    assert_eq!(unavailable[0].param("answer"), "SERVFAIL");
    assert_eq!(unavailable[0].param("kind"), "failed");
    assert_codes(&section.findings, &["dnsbl-clean"], &["dnsbl-listed"]);

    // Every list failed: nothing says "clean".
    let (section, _) = sender_with(
        &[("9.2.0.192.bl.spamcop.net", "TIMEOUT", "")],
        &[],
        "192.0.2.9",
        &DnsblConfig {
            lists: vec!["bl.spamcop.net".to_owned()],
            ..DnsblConfig::default()
        },
    );
    assert_codes(
        &section.findings,
        &["dnsbl-unavailable"],
        &["dnsbl-clean", "dnsbl-listed"],
    );
    assert_eq!(section.dnsbl[0].status, DnsblStatus::Unavailable);
}

#[test]
fn spamhaus_dqs_key_changes_the_query_name_only() {
    let config = DnsblConfig {
        spamhaus_dqs_key: Some("fixturekey123".to_owned()),
        ..DnsblConfig::default()
    };
    let (section, rounds) = sender_with(
        &[
            (
                "81.2.0.192.fixturekey123.zen.dq.spamhaus.net",
                "A",
                "127.0.0.3",
            ),
            ("81.2.0.192.zen.spamhaus.org", "A", "127.255.255.254"),
        ],
        &[],
        "192.0.2.81",
        &config,
    );
    assert!(rounds[0].contains(&q(
        "81.2.0.192.fixturekey123.zen.dq.spamhaus.net",
        RecordType::A
    )));
    assert!(!rounds[0].contains(&q("81.2.0.192.zen.spamhaus.org", RecordType::A)));
    assert!(rounds[0].contains(&q("81.2.0.192.bl.spamcop.net", RecordType::A)));
    assert_sender_only(&section, &["ptr-missing", "dnsbl-listed"]);
    let finding = find(&section.findings, Code::DnsblListed);
    assert_eq!(finding.param("list"), "zen.spamhaus.org");
    assert_eq!(finding.param("code"), "127.0.0.3");
    let json = serde_json::to_string(&section).unwrap();
    assert!(
        !json.contains("fixturekey123"),
        "the key stays out of the report"
    );
}

#[test]
fn spamhaus_is_left_out_for_public_resolvers_without_a_dqs_key() {
    let config = DnsblConfig::default().without_spamhaus_for_public_resolvers();
    assert_eq!(config.skipped, ["zen.spamhaus.org"]);
    assert_eq!(
        config.lists,
        [
            "bl.spamcop.net",
            "b.barracudacentral.org",
            "psbl.surriel.com",
            "bl.mailspike.net"
        ]
    );
    // Every Spamhaus zone, however written; the others stay in their order.
    let config = DnsblConfig {
        lists: vec![
            "SBL.Spamhaus.org.".to_owned(),
            "bl.spamcop.net".to_owned(),
            "xbl.spamhaus.org".to_owned(),
            "pbl.spamhaus.org".to_owned(),
            "spamhaus.org.example.net".to_owned(),
        ],
        ..DnsblConfig::default()
    }
    .without_spamhaus_for_public_resolvers();
    assert_eq!(
        config.skipped,
        ["sbl.spamhaus.org", "xbl.spamhaus.org", "pbl.spamhaus.org"]
    );
    assert_eq!(config.lists, ["bl.spamcop.net", "spamhaus.org.example.net"]);
    // With a key nothing moves: DQS answers through any resolver.
    let keyed = DnsblConfig {
        spamhaus_dqs_key: Some("fixturekey123".to_owned()),
        ..DnsblConfig::default()
    };
    assert_eq!(keyed.clone().without_spamhaus_for_public_resolvers(), keyed);
    // A blank key is no key.
    let blank = DnsblConfig {
        spamhaus_dqs_key: Some(" ".to_owned()),
        ..DnsblConfig::default()
    };
    assert_eq!(
        blank.without_spamhaus_for_public_resolvers().skipped,
        ["zen.spamhaus.org"]
    );
}

#[test]
fn a_skipped_list_is_not_asked_and_not_reported_per_ip() {
    let config = DnsblConfig::default().without_spamhaus_for_public_resolvers();
    let (section, rounds) = sender_with(&[], &[], "192.0.2.72", &config);
    assert!(
        rounds
            .iter()
            .flatten()
            .all(|query| !query.name.contains("spamhaus")),
        "{rounds:?}"
    );
    assert_eq!(rounds[0].len(), 1 + 4);
    assert_eq!(section.dnsbl.len(), 4);
    assert_sender_only(&section, &["ptr-missing", "dnsbl-clean"]);
    assert!(all(&section.findings, Code::DnsblSkipped).is_empty());
    assert_eq!(
        find(&section.findings, Code::DnsblClean).param("lists"),
        "bl.spamcop.net, b.barracudacentral.org, psbl.surriel.com, bl.mailspike.net"
    );
    // The one finding the report adds.
    let finding = config.skipped_finding().expect("a finding");
    assert_eq!(finding.code, Code::DnsblSkipped);
    assert_eq!(finding.severity, Severity::Info);
    assert_eq!(finding.param("lists"), "zen.spamhaus.org");
    assert_eq!(finding.param("reason"), "public-resolver");
    assert_eq!(DnsblConfig::default().skipped_finding(), None);
}

#[test]
fn skipped_entries_from_a_request_are_names_or_nothing() {
    let config = DnsblConfig {
        lists: vec!["bl.spamcop.net".to_owned()],
        skipped: vec![
            "<b>not a name</b>".to_owned(),
            "BL.SpamCop.net".to_owned(),
            "zen.spamhaus.org.".to_owned(),
            "zen.spamhaus.org".to_owned(),
            "bl.example.net".to_owned(),
        ],
        ..DnsblConfig::default()
    };
    // Not a name, asked after all, or twice: left out of the finding.
    assert_eq!(
        config.skipped_lists(),
        ["zen.spamhaus.org", "bl.example.net"]
    );
    let finding = config.skipped_finding().unwrap();
    assert_eq!(finding.param("reason"), "configured");
    let only_names = DnsblConfig {
        skipped: vec!["<b>x</b>".to_owned()],
        ..DnsblConfig::default()
    };
    assert_eq!(only_names.skipped_finding(), None);
}

#[test]
fn the_skipped_field_keeps_old_snapshots_as_they_were() {
    // Snapshots signed before the field existed: their JSON has none, and re-serializing a
    // configuration without skipped lists gives the same JSON (the signature covers it).
    let old = r#"{"lists":["zen.spamhaus.org","bl.spamcop.net"]}"#;
    let config: DnsblConfig = serde_json::from_str(old).unwrap();
    assert!(config.skipped.is_empty());
    assert_eq!(serde_json::to_string(&config).unwrap(), old);
    let skipped = DnsblConfig::default().without_spamhaus_for_public_resolvers();
    let json = serde_json::to_string(&skipped).unwrap();
    assert!(json.contains(r#""skipped":["zen.spamhaus.org"]"#), "{json}");
    assert_eq!(serde_json::from_str::<DnsblConfig>(&json).unwrap(), skipped);
}

#[test]
fn the_report_says_once_that_spamhaus_was_left_out() {
    let zone = Zone::from_rows(&[
        ("example.test", "TXT", "v=spf1 ip4:192.0.2.0/24 -all"),
        ("example.test", "MX", "10 mx.example.test."),
        ("mx.example.test", "A", "192.0.2.95"),
    ]);
    let run = |dnsbl: DnsblConfig, ips: &[&str]| {
        let input = CheckInput {
            domain: "example.test".to_owned(),
            ips: ips.iter().map(|ip| ip.parse().unwrap()).collect(),
            dnsbl,
            ..CheckInput::default()
        };
        let mut check = DomainCheck::new(input);
        loop {
            match check.step() {
                Plan::Done(report) => return report,
                Plan::Need(needs) => {
                    for query in needs.queries {
                        let answer = zone.answer(&query);
                        check.supply(query, answer);
                    }
                }
            }
        }
    };
    let public = DnsblConfig::default().without_spamhaus_for_public_resolvers();
    // Two sending IPs, one finding.
    let report = run(public.clone(), &["192.0.2.72", "192.0.2.73"]);
    let skipped = all(&report.findings, Code::DnsblSkipped);
    assert_eq!(skipped.len(), 1, "{:?}", codes(&report.findings));
    assert_eq!(skipped[0].param("lists"), "zen.spamhaus.org");
    assert_eq!(all(&report.findings, Code::DnsblClean).len(), 2);
    assert!(report.senders.iter().all(|s| s.dnsbl.len() == 4));
    // No sending IP: no list was to be asked, nothing to say.
    let report = run(public, &[]);
    assert!(all(&report.findings, Code::DnsblSkipped).is_empty());
    // Nothing skipped: no finding.
    let report = run(DnsblConfig::default(), &["192.0.2.72"]);
    assert!(all(&report.findings, Code::DnsblSkipped).is_empty());
}

#[test]
fn ipv6_sender_uses_nibbles_and_aaaa() {
    let reverse = "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2";
    let ptr = format!("{reverse}.ip6.arpa");
    let listed = format!("{reverse}.bl.mailspike.net");
    let (section, rounds) = sender(
        &[
            (&ptr, "PTR", "mail6.example.test."),
            ("mail6.example.test", "AAAA", "2001:db8::25"),
            ("mail6.example.test", "A", "192.0.2.25"),
            (&listed, "A", "127.0.0.2"),
        ],
        "2001:db8::25",
    );
    assert!(rounds[0].contains(&q(&ptr, RecordType::Ptr)));
    assert!(rounds[0].contains(&q(&format!("{reverse}.zen.spamhaus.org"), RecordType::A)));
    assert!(rounds[1].contains(&q("mail6.example.test", RecordType::Aaaa)));
    assert!(!rounds[1].contains(&q("mail6.example.test", RecordType::A)));
    assert_sender_only(&section, &["ptr-ok", "dnsbl-listed"]);
    assert_eq!(
        find(&section.findings, Code::DnsblListed).param("list"),
        "bl.mailspike.net"
    );

    // The name has only an IPv4 address: no AAAA leads back.
    let (section, _) = sender(
        &[
            (&ptr, "PTR", "mail6.example.test."),
            ("mail6.example.test", "A", "192.0.2.25"),
        ],
        "2001:db8::25",
    );
    assert_sender_only(&section, &["ptr-mismatch", "dnsbl-clean"]);
    let finding = find(&section.findings, Code::PtrMismatch);
    assert_eq!(finding.param("record"), "AAAA");
    assert_eq!(finding.param("addresses"), "");

    // No PTR for the IPv6 address.
    let (section, _) = sender(&[], "2001:db8::25");
    assert_sender_only(&section, &["ptr-missing", "dnsbl-clean"]);
}

#[test]
fn ipv4_mapped_address_is_checked_as_ipv4() {
    let (section, rounds) = sender(
        &[
            ("80.2.0.192.in-addr.arpa", "PTR", "mail.clean.report.test."),
            ("mail.clean.report.test", "A", "192.0.2.80"),
        ],
        "::ffff:192.0.2.80",
    );
    assert!(rounds[0].contains(&q("80.2.0.192.in-addr.arpa", RecordType::Ptr)));
    assert_sender_only(&section, &["ptr-ok", "dnsbl-clean"]);
    assert_eq!(section.ip, "192.0.2.80".parse::<IpAddr>().unwrap());
}

#[test]
fn no_lists_configured_means_no_list_finding() {
    let (section, rounds) = sender_with(
        &[],
        &[],
        "192.0.2.72",
        &DnsblConfig {
            lists: Vec::new(),
            ..DnsblConfig::default()
        },
    );
    assert_eq!(rounds[0], [q("72.2.0.192.in-addr.arpa", RecordType::Ptr)]);
    assert_sender_only(&section, &["ptr-missing"]);
    assert!(section.dnsbl.is_empty());
}
