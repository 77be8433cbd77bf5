//! The DMARC check on in-memory zones: policy discovery and the tree walk, DNS failures, the
//! record's findings, and the authorization of external report addresses.

use crate::zone::Zone;
use postcheck_core::dmarc::{
    DmarcSection, LookupStatus, Policy, ReportAuthorization, check_dmarc, next_policy_step,
};
use postcheck_core::dns::{AnswerCache, Query, RecordType};
use postcheck_core::findings::{Code, Finding, Severity};

/// One zone row: name, type, data.
type Row<'a> = (&'a str, &'a str, &'a str);

const CLEAN: &str = "v=DMARC1; p=reject; rua=mailto:dmarc@example.test";

/// Runs the check on `zone` to completion; returns the section and the queries of each round.
fn run_zone(zone: &Zone, domain: &str) -> (DmarcSection, Vec<Vec<Query>>) {
    zone.run(&[], 10, AnswerCache::new(), |cache| {
        check_dmarc(domain, cache)
    })
}

fn run(rows: &[Row], domain: &str) -> (DmarcSection, Vec<Vec<Query>>) {
    run_zone(&Zone::from_rows(rows), domain)
}

fn codes(section: &DmarcSection) -> Vec<&'static str> {
    section.findings.iter().map(|f| f.code.as_str()).collect()
}

fn find(section: &DmarcSection, code: Code) -> &Finding {
    section
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(section)))
}

/// Every code in `present` occurs, none in `absent` does.
fn assert_codes(section: &DmarcSection, present: &[&str], absent: &[&str]) {
    let got = codes(section);
    for code in present {
        assert!(got.contains(code), "{code} missing from {got:?}");
    }
    for code in absent {
        assert!(!got.contains(code), "{code} unexpected in {got:?}");
    }
}

/// No finding of severity warning or error.
fn assert_clean(section: &DmarcSection) {
    let loud: Vec<&Finding> = section
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

/// The text under a finding's span, in the record it points into.
fn spanned<'a>(section: &'a DmarcSection, finding: &Finding) -> &'a str {
    let span = finding.span.expect("span");
    let record = section.record.as_deref().expect("record");
    &record[span.start..span.end]
}

fn txt(name: &str) -> Query {
    Query::new(name, RecordType::Txt)
}

#[test]
fn clean_domain_has_only_dmarc_ok() {
    let (section, rounds) = run(&[("_dmarc.example.test", "TXT", CLEAN)], "example.test");
    assert_eq!(codes(&section), ["dmarc-ok"]);
    assert_clean(&section);
    assert_eq!(rounds, [vec![txt("_dmarc.example.test")]]);
    assert_eq!(section.policy, Some(Policy::Reject));
    assert_eq!(section.policy_tag.as_deref(), Some("p"));
    assert_eq!(section.policy_domain.as_deref(), Some("example.test"));
    assert_eq!(section.record.as_deref(), Some(CLEAN));
    assert_eq!(section.subdomain_policy, Some(Policy::Reject));
    assert_eq!(section.nonexistent_subdomain_policy, Some(Policy::Reject));
    assert_eq!(section.rua.len(), 1);
    assert_eq!(section.rua[0].authorization, ReportAuthorization::Internal);
    assert_eq!(section.tags.len(), 3);
    assert_eq!(section.tags[1].name, "p");
    assert_eq!(section.tags[1].value, "reject");
    assert_eq!(section.lookups.len(), 1);
    assert_eq!(section.lookups[0].status, LookupStatus::Record);
    assert!(!section.is_inherited());
    let ok = find(&section, Code::DmarcOk);
    assert_eq!(ok.param("policy"), "reject");
    assert_eq!(ok.param("domain"), "example.test");
    assert_eq!(next_policy_step(&section), None);
}

#[test]
fn quarantine_is_ok_and_steps_to_reject() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test",
        )],
        "Example.TEST.",
    );
    assert_eq!(codes(&section), ["dmarc-ok"]);
    assert_eq!(
        next_policy_step(&section).as_deref(),
        Some("v=DMARC1; p=reject; rua=mailto:dmarc@example.test")
    );
}

#[test]
fn record_split_into_strings_is_joined() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "\"v=DMARC1; p=rej\" \"ect; rua=mailto:dmarc@example.test\"",
        )],
        "example.test",
    );
    assert_eq!(codes(&section), ["dmarc-ok"]);
    assert_eq!(section.record.as_deref(), Some(CLEAN));
}

#[test]
fn other_txt_records_at_dmarc_are_not_records() {
    let (section, _) = run(
        &[
            ("_dmarc.example.test", "TXT", "v=spf1 -all"),
            ("_dmarc.example.test", "TXT", CLEAN),
        ],
        "example.test",
    );
    assert_eq!(codes(&section), ["dmarc-ok"]);
}

#[test]
fn no_record_is_dmarc_none() {
    let (section, rounds) = run(&[("example.test", "A", "192.0.2.1")], "example.test");
    assert_eq!(codes(&section), ["dmarc-none"]);
    // example.test has two labels: nothing to walk up to (the bare TLD is not asked).
    assert_eq!(rounds.len(), 1);
    let none = find(&section, Code::DmarcNone);
    assert_eq!(none.param("domain"), "example.test");
    assert_eq!(none.param("parents"), "");
    assert_eq!(section.policy, None);
    assert_eq!(section.record, None);
    assert_eq!(section.lookups[0].status, LookupStatus::NoRecord);
}

#[test]
fn no_record_anywhere_after_the_walk() {
    let (section, rounds) = run(&[], "a.shop.example.test");
    assert_eq!(codes(&section), ["dmarc-none"]);
    assert_eq!(rounds.len(), 2);
    assert_eq!(
        find(&section, Code::DmarcNone).param("parents"),
        "shop.example.test, example.test"
    );
}

#[test]
fn subdomain_inherits_with_sp() {
    let (section, rounds) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@example.test",
        )],
        "shop.example.test",
    );
    assert_codes(&section, &["dmarc-inherited", "dmarc-ok"], &["dmarc-none"]);
    assert_clean(&section);
    assert_eq!(
        rounds,
        [
            vec![txt("_dmarc.shop.example.test")],
            vec![txt("_dmarc.example.test")]
        ]
    );
    let inherited = find(&section, Code::DmarcInherited);
    assert_eq!(inherited.param("policy_domain"), "example.test");
    assert_eq!(inherited.param("tag"), "sp");
    assert_eq!(inherited.param("policy"), "quarantine");
    assert_eq!(inherited.severity, Severity::Info);
    assert_eq!(section.policy, Some(Policy::Quarantine));
    assert_eq!(section.policy_tag.as_deref(), Some("sp"));
    assert_eq!(section.policy_domain.as_deref(), Some("example.test"));
    assert!(section.is_inherited());
    assert_eq!(
        section.policy_domain_or("shop.example.test"),
        "example.test"
    );
    // The next step for the subdomain changes sp at the parent.
    assert_eq!(
        next_policy_step(&section).as_deref(),
        Some("v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@example.test")
    );
}

#[test]
fn subdomain_inherits_p_without_sp() {
    let (section, _) = run(
        &[("_dmarc.example.test", "TXT", CLEAN)],
        "shop.example.test",
    );
    assert_codes(
        &section,
        &["dmarc-inherited", "dmarc-ok"],
        &["dmarc-policy-none"],
    );
    assert_eq!(find(&section, Code::DmarcInherited).param("tag"), "p");
    assert_eq!(section.policy, Some(Policy::Reject));
}

#[test]
fn inherited_sp_none_is_policy_none_on_sp() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@example.test",
        )],
        "shop.example.test",
    );
    assert_codes(
        &section,
        &["dmarc-inherited", "dmarc-policy-none"],
        &["dmarc-ok"],
    );
    let none = find(&section, Code::DmarcPolicyNone);
    assert_eq!(none.param("tag"), "sp");
    assert_eq!(none.domain.as_deref(), Some("example.test"));
    assert_eq!(spanned(&section, none), "sp=none");
}

#[test]
fn own_record_ignores_its_sp() {
    // RFC 9989 §4.10.1: the Author Domain's own record gives p; sp is for subdomains.
    let (section, _) = run(
        &[(
            "_dmarc.shop.example.test",
            "TXT",
            "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@example.test",
        )],
        "shop.example.test",
    );
    assert_eq!(codes(&section), ["dmarc-ok"]);
    assert_eq!(section.subdomain_policy, Some(Policy::None));
}

#[test]
fn the_tree_walk_asks_every_parent_in_one_round() {
    let domain = "a.b.c.d.e.f.g.h.i.j.mail.example.test";
    let (section, rounds) = run(&[("_dmarc.example.test", "TXT", CLEAN)], domain);
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0], [txt(&format!("_dmarc.{domain}"))]);
    let walked: Vec<&str> = rounds[1].iter().map(|q| q.name.as_str()).collect();
    // RFC 9989 §4.10: cut to seven labels, then one less each time; no query for the TLD.
    assert_eq!(
        walked,
        [
            "_dmarc.g.h.i.j.mail.example.test",
            "_dmarc.h.i.j.mail.example.test",
            "_dmarc.i.j.mail.example.test",
            "_dmarc.j.mail.example.test",
            "_dmarc.mail.example.test",
            "_dmarc.example.test",
        ]
    );
    assert_eq!(section.lookups.len(), 7);
    assert_eq!(section.policy_domain.as_deref(), Some("example.test"));
    assert_codes(&section, &["dmarc-inherited", "dmarc-ok"], &[]);
}

#[test]
fn the_record_with_fewest_labels_applies() {
    // RFC 9989 §4.10.2: without psd, the Organizational Domain is the shortest name with a record.
    let (section, _) = run(
        &[
            (
                "_dmarc.mail.example.test",
                "TXT",
                "v=DMARC1; p=none; rua=mailto:d@example.test",
            ),
            ("_dmarc.example.test", "TXT", CLEAN),
        ],
        "a.mail.example.test",
    );
    assert_eq!(section.policy_domain.as_deref(), Some("example.test"));
    assert_eq!(section.policy, Some(Policy::Reject));
}

#[test]
fn psd_n_stops_the_walk() {
    let (section, _) = run(
        &[
            (
                "_dmarc.mail.example.test",
                "TXT",
                "v=DMARC1; p=quarantine; psd=n; rua=mailto:d@example.test",
            ),
            ("_dmarc.example.test", "TXT", CLEAN),
        ],
        "a.mail.example.test",
    );
    assert_eq!(section.policy_domain.as_deref(), Some("mail.example.test"));
    assert_eq!(section.policy, Some(Policy::Quarantine));
}

#[test]
fn psd_y_record_applies_when_the_organizational_domain_has_none() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=reject; psd=y; rua=mailto:d@psd.example.test",
        )],
        "a.shop.example.test",
    );
    assert_eq!(section.policy_domain.as_deref(), Some("example.test"));
    assert_codes(&section, &["dmarc-inherited"], &["dmarc-none"]);
}

#[test]
fn timeout_at_the_domain_is_dns_error_not_none() {
    let (section, rounds) = run(&[("_dmarc.example.test", "TIMEOUT", "")], "example.test");
    assert_eq!(codes(&section), ["dmarc-dns-error"]);
    assert_eq!(rounds.len(), 1);
    let error = find(&section, Code::DmarcDnsError);
    assert_eq!(error.severity, Severity::Warning);
    assert_eq!(error.param("failure"), "timeout");
    assert_eq!(error.param("query"), "_dmarc.example.test TXT");
    assert_eq!(section.lookups[0].status, LookupStatus::Failed);

    // At a subdomain too: no walk past a failure, and no dmarc-none.
    let (section, rounds) = run(
        &[
            ("_dmarc.shop.example.test", "TIMEOUT", ""),
            ("_dmarc.example.test", "TXT", CLEAN),
        ],
        "shop.example.test",
    );
    assert_eq!(codes(&section), ["dmarc-dns-error"]);
    assert_eq!(rounds.len(), 1);
}

#[test]
fn timeout_in_the_walk_is_dns_error_not_none() {
    let (section, _) = run(
        &[("_dmarc.example.test", "TIMEOUT", "")],
        "shop.example.test",
    );
    assert_codes(&section, &["dmarc-dns-error"], &["dmarc-none", "dmarc-ok"]);
    assert_eq!(
        find(&section, Code::DmarcDnsError).param("query"),
        "_dmarc.example.test TXT"
    );
}

#[test]
fn timeout_in_the_walk_keeps_a_found_record_but_not_ok() {
    let (section, _) = run(
        &[
            ("_dmarc.shop.example.test", "TIMEOUT", ""),
            ("_dmarc.example.test", "TXT", CLEAN),
        ],
        "a.shop.example.test",
    );
    assert_codes(
        &section,
        &["dmarc-dns-error", "dmarc-inherited"],
        &["dmarc-none", "dmarc-ok"],
    );
    assert_eq!(section.policy_domain.as_deref(), Some("example.test"));
}

#[test]
fn multiple_records_apply_no_policy() {
    let (section, rounds) = run(
        &[
            ("_dmarc.example.test", "TXT", CLEAN),
            ("_dmarc.example.test", "TXT", "v=DMARC1; p=none"),
        ],
        "example.test",
    );
    assert_eq!(codes(&section), ["dmarc-multiple-records"]);
    assert_eq!(rounds.len(), 1);
    let multiple = find(&section, Code::DmarcMultipleRecords);
    assert_eq!(multiple.param("count"), "2");
    assert_eq!(multiple.param("fallback"), "");
    assert_eq!(section.policy, None);
    assert_eq!(section.discarded_records.len(), 2);
    assert_eq!(section.lookups[0].status, LookupStatus::MultipleRecords);
}

#[test]
fn multiple_records_at_a_subdomain_name_the_rfc_9989_fallback() {
    let (section, _) = run(
        &[
            ("_dmarc.shop.example.test", "TXT", "v=DMARC1; p=reject"),
            ("_dmarc.shop.example.test", "TXT", "v=DMARC1; p=none"),
            ("_dmarc.example.test", "TXT", CLEAN),
        ],
        "shop.example.test",
    );
    assert_codes(
        &section,
        &["dmarc-multiple-records"],
        &["dmarc-ok", "dmarc-inherited", "dmarc-none"],
    );
    let multiple = find(&section, Code::DmarcMultipleRecords);
    assert_eq!(multiple.param("fallback"), "example.test");
    assert_eq!(multiple.param("receivers_differ"), "true");
    assert_eq!(section.policy, None);
}

#[test]
fn version_not_first_is_reported_not_silently_ignored() {
    let text = "p=reject; v=DMARC1; rua=mailto:dmarc@example.test";
    let (section, _) = run(&[("_dmarc.example.test", "TXT", text)], "example.test");
    assert_codes(
        &section,
        &["dmarc-version-not-first"],
        &["dmarc-none", "dmarc-ok"],
    );
    assert_eq!(section.discarded_records, [text]);
    assert_eq!(section.policy, None);
    let finding = find(&section, Code::DmarcVersionNotFirst);
    let span = finding.span.expect("span");
    assert_eq!(&text[span.start..span.end], "v=DMARC1");
    assert_eq!(finding.param("first"), "p=reject");
    assert_eq!(finding.domain.as_deref(), Some("example.test"));
}

#[test]
fn version_not_first_at_a_subdomain_falls_back_to_the_parent() {
    let (section, _) = run(
        &[
            ("_dmarc.shop.example.test", "TXT", "p=none; v=DMARC1"),
            ("_dmarc.example.test", "TXT", CLEAN),
        ],
        "shop.example.test",
    );
    assert_codes(
        &section,
        &["dmarc-version-not-first", "dmarc-inherited"],
        &["dmarc-none", "dmarc-ok"],
    );
    assert_eq!(section.policy, Some(Policy::Reject));
}

#[test]
fn p_none_is_a_warning_with_a_next_step() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=none; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_eq!(codes(&section), ["dmarc-policy-none"]);
    let none = find(&section, Code::DmarcPolicyNone);
    assert_eq!(none.severity, Severity::Warning);
    assert_eq!(spanned(&section, none), "p=none");
    assert_eq!(
        next_policy_step(&section).as_deref(),
        Some("v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test")
    );
}

#[test]
fn pct_below_100_is_partial_and_receivers_differ() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=reject; pct=25; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_codes(
        &section,
        &["dmarc-pct-partial", "dmarc-deprecated-tag", "dmarc-ok"],
        &["dmarc-pct-invalid"],
    );
    let partial = find(&section, Code::DmarcPctPartial);
    assert_eq!(partial.param("receivers_differ"), "true");
    assert_eq!(partial.param("pct"), "25");
    assert_eq!(partial.param("reduced"), "quarantine");
    assert_eq!(spanned(&section, partial), "pct=25");
    assert_eq!(section.pct, Some(25));

    // pct=100 is only the deprecated tag; pct under p=none changes nothing.
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_codes(&section, &["dmarc-deprecated-tag"], &["dmarc-pct-partial"]);
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=none; pct=0; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_codes(&section, &["dmarc-policy-none"], &["dmarc-pct-partial"]);
}

#[test]
fn pct_invalid_is_an_error() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=reject; pct=110; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_codes(
        &section,
        &["dmarc-pct-invalid"],
        &["dmarc-pct-partial", "dmarc-ok"],
    );
    assert_eq!(section.pct, None);
}

#[test]
fn testing_flag_is_honoured_by_rfc_9989_receivers() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=quarantine; t=y; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_codes(&section, &["dmarc-pct-partial"], &["dmarc-deprecated-tag"]);
    let partial = find(&section, Code::DmarcPctPartial);
    assert_eq!(partial.param("tag"), "t");
    assert_eq!(partial.param("reduced"), "none");
    assert_eq!(partial.param("receivers_differ"), "true");
    assert_eq!(spanned(&section, partial), "t=y");
    assert!(section.testing);
}

#[test]
fn missing_policy_counts_as_none() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_codes(
        &section,
        &["dmarc-policy-missing"],
        &["dmarc-policy-none", "dmarc-ok", "dmarc-none"],
    );
    assert_eq!(section.policy, Some(Policy::None));
    assert_eq!(
        find(&section, Code::DmarcPolicyMissing).severity,
        Severity::Warning
    );
    assert_eq!(
        next_policy_step(&section).as_deref(),
        Some("v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test")
    );
}

#[test]
fn invalid_policy_falls_back_as_the_rfcs_say() {
    let (section, _) = run(
        &[(
            "_dmarc.example.test",
            "TXT",
            "v=DMARC1; p=reject; sp=strict; rua=mailto:dmarc@example.test",
        )],
        "example.test",
    );
    assert_codes(&section, &["dmarc-policy-invalid"], &["dmarc-ok"]);
    assert_eq!(section.policy, Some(Policy::None));
    assert_eq!(
        find(&section, Code::DmarcPolicyInvalid).param("fallback"),
        "none"
    );

    let (section, _) = run(
        &[("_dmarc.example.test", "TXT", "v=DMARC1; p=rejct")],
        "example.test",
    );
    assert_codes(&section, &["dmarc-policy-invalid"], &["dmarc-ok"]);
    assert_eq!(section.policy, None);
    assert_eq!(
        find(&section, Code::DmarcPolicyInvalid).param("fallback"),
        "ignored"
    );
}

#[test]
fn record_level_findings_carry_spans_and_domain() {
    let text = "v=DMARC1; p=reject; adkim=x; foo=bar; rf=afrf; rua=dmarc@example.test";
    let (section, _) = run(&[("_dmarc.example.test", "TXT", text)], "example.test");
    let got: Vec<(&str, &str)> = section
        .findings
        .iter()
        .filter(|f| f.span.is_some())
        .map(|f| (f.code.as_str(), spanned(&section, f)))
        .collect();
    assert_eq!(
        got,
        [
            ("dmarc-syntax-error", "adkim=x"),
            ("dmarc-unknown-tag", "foo=bar"),
            ("dmarc-deprecated-tag", "rf=afrf"),
            ("dmarc-invalid-uri", "dmarc@example.test"),
        ]
    );
    assert!(
        section
            .findings
            .iter()
            .all(|f| f.domain.as_deref() == Some("example.test"))
    );
    assert_codes(&section, &[], &["dmarc-ok", "dmarc-no-reports"]);
}

#[test]
fn no_rua_is_info_and_keeps_ok() {
    let (section, _) = run(
        &[("_dmarc.example.test", "TXT", "v=DMARC1; p=reject")],
        "example.test",
    );
    assert_codes(&section, &["dmarc-no-reports", "dmarc-ok"], &[]);
    assert_clean(&section);
    assert_eq!(
        find(&section, Code::DmarcNoReports).severity,
        Severity::Info
    );
}

const EXTERNAL: &str = "v=DMARC1; p=reject; rua=mailto:dmarc@example.test,mailto:agg@reports.example.net; ruf=mailto:f@reports.example.net";

#[test]
fn external_reports_authorized() {
    let (section, rounds) = run(
        &[
            ("_dmarc.example.test", "TXT", EXTERNAL),
            (
                "example.test._report._dmarc.reports.example.net",
                "TXT",
                "v=DMARC1",
            ),
        ],
        "example.test",
    );
    assert_eq!(codes(&section), ["dmarc-ok"]);
    // One query for both addresses at reports.example.net, in the second round.
    assert_eq!(
        rounds,
        [
            vec![txt("_dmarc.example.test")],
            vec![txt("example.test._report._dmarc.reports.example.net")]
        ]
    );
    assert_eq!(section.rua[0].authorization, ReportAuthorization::Internal);
    assert_eq!(
        section.rua[1].authorization,
        ReportAuthorization::Authorized
    );
    assert_eq!(
        section.ruf[0].authorization,
        ReportAuthorization::Authorized
    );
}

#[test]
fn external_reports_unauthorized() {
    let (section, _) = run(&[("_dmarc.example.test", "TXT", EXTERNAL)], "example.test");
    assert_codes(
        &section,
        &["dmarc-external-reports-unauthorized", "dmarc-ok"],
        &["dmarc-dns-error"],
    );
    let unauthorized: Vec<&Finding> = section
        .findings
        .iter()
        .filter(|f| f.code == Code::DmarcExternalReportsUnauthorized)
        .collect();
    assert_eq!(unauthorized.len(), 2);
    assert_eq!(
        unauthorized[0].param("uri"),
        "mailto:agg@reports.example.net"
    );
    assert_eq!(unauthorized[0].param("host"), "reports.example.net");
    assert_eq!(unauthorized[0].param("tag"), "rua");
    assert_eq!(
        unauthorized[0].param("name"),
        "example.test._report._dmarc.reports.example.net"
    );
    assert_eq!(unauthorized[0].severity, Severity::Warning);
    assert_eq!(
        spanned(&section, unauthorized[0]),
        "mailto:agg@reports.example.net"
    );
    assert_eq!(unauthorized[1].param("tag"), "ruf");
    assert_eq!(
        section.rua[1].authorization,
        ReportAuthorization::Unauthorized
    );
}

#[test]
fn external_report_lookup_failure_does_not_warn() {
    let (section, _) = run(
        &[
            ("_dmarc.example.test", "TXT", EXTERNAL),
            (
                "example.test._report._dmarc.reports.example.net",
                "TIMEOUT",
                "",
            ),
        ],
        "example.test",
    );
    assert_codes(
        &section,
        &["dmarc-ok"],
        &["dmarc-external-reports-unauthorized"],
    );
    assert_clean(&section);
    let error = find(&section, Code::DmarcDnsError);
    assert_eq!(error.severity, Severity::Info);
    assert_eq!(error.param("host"), "reports.example.net");
    assert_eq!(
        section.rua[1].authorization,
        ReportAuthorization::Unverified
    );
}

#[test]
fn report_addresses_above_or_below_the_policy_domain_need_no_authorization() {
    let (section, rounds) = run(
        &[(
            "_dmarc.shop.example.test",
            "TXT",
            "v=DMARC1; p=reject; rua=mailto:d@example.test,mailto:d@reports.shop.example.test",
        )],
        "shop.example.test",
    );
    assert_eq!(codes(&section), ["dmarc-ok"]);
    assert_eq!(rounds.len(), 1);
}

#[test]
fn inherited_record_authorizes_for_the_policy_domain_in_a_third_round() {
    let (section, rounds) = run(
        &[
            ("_dmarc.example.test", "TXT", EXTERNAL),
            (
                "example.test._report._dmarc.reports.example.net",
                "TXT",
                "v=DMARC1",
            ),
        ],
        "shop.example.test",
    );
    assert_codes(&section, &["dmarc-inherited", "dmarc-ok"], &[]);
    assert_clean(&section);
    assert_eq!(rounds.len(), 3);
    assert_eq!(
        rounds[2],
        [txt("example.test._report._dmarc.reports.example.net")]
    );
}

#[test]
fn every_dmarc_code_is_reached_by_these_zones() {
    // The scenarios above, rerun here to show that each DMARC code has a zone that produces it.
    let scenarios: &[(&[Row], &str)] = &[
        (&[("_dmarc.example.test", "TXT", CLEAN)], "example.test"),
        (&[], "example.test"),
        (
            &[("_dmarc.example.test", "TXT", CLEAN)],
            "shop.example.test",
        ),
        (
            &[
                ("_dmarc.example.test", "TXT", CLEAN),
                ("_dmarc.example.test", "TXT", CLEAN),
            ],
            "example.test",
        ),
        (
            &[(
                "_dmarc.example.test",
                "TXT",
                "v=DMARC1; adkim=x; foo=bar; pct=50x; rua=mailto:x",
            )],
            "example.test",
        ),
        (
            &[("_dmarc.example.test", "TXT", "p=reject; v=DMARC1")],
            "example.test",
        ),
        (
            &[("_dmarc.example.test", "TXT", "v=DMARC1; p=nope")],
            "example.test",
        ),
        (
            &[("_dmarc.example.test", "TXT", "v=DMARC1; p=none")],
            "example.test",
        ),
        (
            &[("_dmarc.example.test", "TXT", "v=DMARC1; p=reject; pct=5")],
            "example.test",
        ),
        (&[("_dmarc.example.test", "TXT", EXTERNAL)], "example.test"),
        (&[("_dmarc.example.test", "TIMEOUT", "")], "example.test"),
    ];
    let mut reached: Vec<&str> = Vec::new();
    for (rows, domain) in scenarios {
        let (section, _) = run(rows, domain);
        reached.extend(codes(&section));
    }
    for code in Code::ALL
        .iter()
        .filter(|c| c.as_str().starts_with("dmarc-"))
    {
        assert!(reached.contains(&code.as_str()), "{code} never reached");
    }
}
