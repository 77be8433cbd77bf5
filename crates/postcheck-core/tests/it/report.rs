//! The report planner end to end on in-memory zones: analysis codes, results per IP, the
//! snapshot property, the number of round trips, and that every message of these reports is
//! filled.

use crate::zone::Zone;
use postcheck_core::fetch::FetchResult;
use postcheck_core::findings::Severity;
use postcheck_core::messages::{self, Lang};
use postcheck_core::report::{CheckInput, DomainCheck, Plan, Report, Snapshot, build_report};
use postcheck_core::spf::SpfResult;

/// Drives the planner on the zone; fetches fail (no HTTPS here). Returns the report, the
/// snapshot and the number of round trips.
pub fn run_input(zone: &Zone, input: CheckInput) -> (Report, Snapshot, usize) {
    let mut check = DomainCheck::new(input);
    let mut rounds = 0;
    loop {
        match check.step() {
            Plan::Done(report) => return (*report, check.snapshot().clone(), rounds),
            Plan::Need(needs) => {
                rounds += 1;
                assert!(rounds < 50, "the planner does not converge");
                assert!(!needs.is_empty());
                for query in needs.queries {
                    let answer = zone.answer(&query);
                    check.supply(query, answer);
                }
                for url in needs.fetches {
                    check.supply_fetch(
                        url,
                        FetchResult::Failed {
                            reason: "no HTTPS in this test".into(),
                        },
                    );
                }
            }
        }
    }
}

fn input(domain: &str, ips: &[&str]) -> CheckInput {
    CheckInput {
        domain: domain.to_owned(),
        ips: ips.iter().map(|ip| ip.parse().unwrap()).collect(),
        ..CheckInput::default()
    }
}

fn run(zone: &Zone, domain: &str, ips: &[&str]) -> (Report, Snapshot, usize) {
    run_input(zone, input(domain, ips))
}

fn spf_codes(report: &Report) -> Vec<&'static str> {
    report
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .filter(|c| c.starts_with("spf-"))
        .collect()
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

fn provider_zone() -> Zone {
    Zone::from_rows(&[
        (
            "example.test",
            "TXT",
            "v=spf1 mx include:_spf.provider.test -all",
        ),
        ("example.test", "MX", "10 mail.example.test"),
        ("mail.example.test", "A", "192.0.2.25"),
        (
            "_spf.provider.test",
            "TXT",
            "v=spf1 ip4:198.51.100.0/24 include:_spf2.provider.test ~all",
        ),
        (
            "_spf2.provider.test",
            "TXT",
            "v=spf1 ip6:2001:db8::/32 ?all",
        ),
    ])
}

#[test]
fn a_clean_domain_is_ok_and_nothing_else() {
    let (report, _, rounds) = run(
        &provider_zone(),
        "example.test",
        &["198.51.100.7", "203.0.113.9"],
    );
    assert_eq!(
        spf_codes(&report),
        ["spf-ip-not-authorized", "spf-ok", "spf-ip-pass"],
        "{:#?}",
        report.findings
    );
    assert_eq!(report.spf.lookups, 3);
    assert_eq!(report.spf.results[0].result, SpfResult::Pass);
    assert_eq!(
        report.spf.results[0].term.as_deref(),
        Some("include:_spf.provider.test")
    );
    assert_eq!(report.spf.results[1].result, SpfResult::Fail);
    assert_eq!(report.spf.results[1].term.as_deref(), Some("-all"));
    let fix = report
        .findings
        .iter()
        .find(|f| f.code.as_str() == "spf-ip-not-authorized")
        .unwrap()
        .param("fix");
    assert_eq!(
        fix,
        "v=spf1 mx include:_spf.provider.test ip4:203.0.113.9 -all"
    );
    // Three levels of SPF records; the other checks run alongside (DMARC: domain, walk,
    // authorization; MX: hosts): the report costs its longest dependency chain.
    assert!(rounds <= 4, "{rounds} rounds");
}

#[test]
fn the_fixed_record_passes_for_the_ip() {
    let (report, _, _) = run(&provider_zone(), "example.test", &["203.0.113.9"]);
    let fix = report
        .findings
        .iter()
        .find(|f| f.code.as_str() == "spf-ip-not-authorized")
        .unwrap()
        .param("fix");
    let (fixed, _, _) = run(&fixed_zone(fix), "example.test", &["203.0.113.9"]);
    assert_eq!(fixed.spf.results[0].result, SpfResult::Pass);
}

/// The provider zone with `fix` as the SPF record of example.test.
fn fixed_zone(fix: &str) -> Zone {
    let mut zone = provider_zone();
    zone.records
        .get_mut("example.test")
        .unwrap()
        .retain(|r| !matches!(r, postcheck_core::dns::RecordData::Txt(_)));
    zone.records
        .get_mut("example.test")
        .unwrap()
        .push(postcheck_core::dns::RecordData::Txt(vec![
            fix.as_bytes().to_vec(),
        ]));
    zone
}

/// A check with every kind of input: IPs of both families, a DKIM selector and a sender profile.
fn full_input() -> CheckInput {
    CheckInput {
        domain: "example.test".into(),
        ips: vec![
            "198.51.100.7".parse().unwrap(),
            "2001:db8::1".parse().unwrap(),
            "192.0.2.1".parse().unwrap(),
        ],
        dkim_selectors: vec!["s1".into()],
        profile: Some(postcheck_core::profile::SenderProfile {
            name: "CRM".into(),
            spf: vec![
                "include:_spf2.provider.test".into(),
                "ip4:203.0.113.0/24".into(),
            ],
            ips: vec!["203.0.113.7".parse().unwrap()],
            ..Default::default()
        }),
        ..CheckInput::default()
    }
}

#[test]
fn snapshot_reproduces_the_report() {
    let input = full_input();
    let (report, snapshot, _) = run_input(&provider_zone(), input.clone());
    let text = serde_json::to_string(&(&input, &snapshot)).unwrap();
    let (input, snapshot): (CheckInput, Snapshot) = serde_json::from_str(&text).unwrap();
    let again = build_report(&input, &snapshot).expect("a snapshot holds every answer");
    assert_eq!(again, report);
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&report).unwrap()
    );
    assert!(report.profile.is_some());
}

/// Eleven lookups across include and redirect.
fn big_zone() -> Zone {
    Zone::from_rows(&[
        (
            "big.test",
            "TXT",
            "v=spf1 a mx include:p1.test include:p2.test redirect=r.test",
        ),
        ("big.test", "A", "192.0.2.1"),
        ("big.test", "MX", "10 big.test"),
        (
            "p1.test",
            "TXT",
            "v=spf1 a:x.p1.test a:y.p1.test exists:z.p1.test -all",
        ),
        ("x.p1.test", "A", "192.0.2.2"),
        ("y.p1.test", "A", "192.0.2.3"),
        ("z.p1.test", "A", "127.0.0.2"),
        ("p2.test", "TXT", "v=spf1 include:p3.test ~all"),
        ("p3.test", "TXT", "v=spf1 ip4:192.0.2.0/24 ~all"),
        ("r.test", "TXT", "v=spf1 a:x.p1.test mx:big.test ~all"),
    ])
}

#[test]
fn lookup_counts_cross_include_and_redirect() {
    let (report, _, _) = run(&big_zone(), "big.test", &[]);
    // big: a mx include include redirect = 5; p1: 3; p2: 1; r: 2 => 11.
    assert_eq!(report.spf.lookups, 11);
    assert!(codes(&report).contains(&"spf-lookup-limit"));
    assert_eq!(report.verdict, Severity::Error);
}

/// a.test includes a name that times out; b.test times out itself.
fn timeout_zone() -> Zone {
    Zone::from_rows(&[
        ("a.test", "TXT", "v=spf1 include:down.test -all"),
        ("down.test", "TIMEOUT", ""),
        ("b.test", "TIMEOUT", ""),
    ])
}

#[test]
fn failures_are_never_missing_records() {
    let zone = timeout_zone();
    let (report, _, _) = run(&zone, "a.test", &["192.0.2.1"]);
    assert_eq!(spf_codes(&report), ["spf-dns-error"]);
    assert_eq!(report.spf.results[0].result, SpfResult::TempError);
    // b.test times out for every type: nothing about it could be checked, which is one
    // finding; the sending IP's own checks (its PTR, in another zone) still speak.
    let (report, _, _) = run(&zone, "b.test", &["192.0.2.1"]);
    let about_the_domain: Vec<&str> = codes(&report)
        .into_iter()
        .filter(|c| !c.starts_with("ptr-") && !c.starts_with("dnsbl-"))
        .collect();
    assert_eq!(about_the_domain, ["domain-lookup-failed"]);
}

#[test]
fn a_domain_whose_lookups_fail_in_part_gets_one_action_for_them() {
    // p.test answers MX but its TXT and DMARC lookups time out: each of those checks could
    // not verify, and the action list says "check again later" once, not once per check.
    let mut zone = Zone::from_rows(&[
        ("p.test", "MX", "10 mail.p.test"),
        ("mail.p.test", "A", "192.0.2.25"),
    ]);
    zone.timeout = vec!["p.test".to_owned(), "_dmarc.p.test".to_owned()];
    let (report, _, _) = run(&zone, "p.test", &["192.0.2.1"]);
    let failures = report
        .findings
        .iter()
        .filter(|f| f.code.is_lookup_failure())
        .count();
    assert!(failures >= 2, "{:?}", codes(&report));
    let actions: Vec<&str> = report.actions.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(
        actions
            .iter()
            .filter(|code| code.ends_with("-dns-error"))
            .count(),
        1,
        "{actions:?}"
    );
    assert!(actions.contains(&"spf-dns-error"), "{actions:?}");
    assert!(!actions.contains(&"mx-dns-error"), "{actions:?}");
}

/// An invalid network size and a "+all" in an included record.
fn included_errors_zone() -> Zone {
    Zone::from_rows(&[
        ("c.test", "TXT", "v=spf1 include:inc.test ?all"),
        ("inc.test", "TXT", "v=spf1 ip4:192.0.2.0/33 +all"),
    ])
}

#[test]
fn analysis_findings_carry_the_record_they_point_into() {
    let (report, _, _) = run(&included_errors_zone(), "c.test", &[]);
    let cidr = report
        .findings
        .iter()
        .find(|f| f.code.as_str() == "spf-invalid-cidr")
        .unwrap();
    assert_eq!(cidr.domain.as_deref(), Some("inc.test"));
    let span = cidr.span.unwrap();
    assert_eq!(&"v=spf1 ip4:192.0.2.0/33 +all"[span.start..span.end], "/33");
    assert!(codes(&report).contains(&"spf-pass-all"));
    assert!(codes(&report).contains(&"spf-neutral-all"));
}

#[test]
fn the_first_round_asks_every_record_that_depends_on_nothing() {
    // MTA-STS coverage needs the MX hosts, but its record does not: it goes out with the MX,
    // the SPF record, DMARC, TLS-RPT and BIMI in the first round.
    let mut check = DomainCheck::new(CheckInput {
        domain: "example.test".to_owned(),
        ..CheckInput::default()
    });
    let Plan::Need(needs) = check.step() else {
        panic!("a report with no answers cannot be done");
    };
    let asked: Vec<String> = needs
        .queries
        .iter()
        .map(|q| format!("{} {}", q.name, q.record_type.as_str()))
        .collect();
    for expected in [
        "example.test TXT",
        "example.test MX",
        "_dmarc.example.test TXT",
        "_mta-sts.example.test TXT",
        "_smtp._tls.example.test TXT",
        "default._bimi.example.test TXT",
    ] {
        assert!(
            asked.iter().any(|a| a == expected),
            "{expected} not in {asked:?}"
        );
    }
}

#[test]
fn round_trips_follow_the_longest_chain_not_the_order_of_evaluation() {
    // Evaluating for the IP walks "office" first (three TXT deep), then "news", whose `mx` needs
    // the MX answer and then the hosts' addresses (§4.6.4). The hosts' addresses must go out as
    // soon as the MX answer is there — with the third office record, not after it — so the report
    // takes as many rounds as its longest chain: example TXT → _spf.office → a.office → c.office.
    let (report, _, rounds) = run(&chain_zone(), "example.test", &["203.0.113.99"]);
    assert_eq!(
        report.spf.results[0].result,
        SpfResult::Fail,
        "an address nobody authorizes"
    );
    // The PTR of the IP and the forward lookup of its name are two rounds as well; nothing
    // needs five.
    assert_eq!(rounds, 4, "{:?}", report.spf);
}

/// Two includes, one three TXT records deep and one whose `mx` needs the MX hosts.
fn chain_zone() -> Zone {
    Zone::from_rows(&[
        (
            "example.test",
            "TXT",
            "v=spf1 include:_spf.office.test include:_spf.news.test -all",
        ),
        ("example.test", "MX", "10 mail.example.test"),
        ("mail.example.test", "A", "192.0.2.25"),
        (
            "_spf.office.test",
            "TXT",
            "v=spf1 include:a.office.test -all",
        ),
        ("a.office.test", "TXT", "v=spf1 include:c.office.test -all"),
        ("c.office.test", "TXT", "v=spf1 ip4:198.51.100.0/24 -all"),
        ("_spf.news.test", "TXT", "v=spf1 mx:news.test -all"),
        ("news.test", "MX", "10 mx1.news.test"),
        ("mx1.news.test", "A", "192.0.2.181"),
    ])
}

/// Every report the tests above build, named: the zone and the input of each.
fn fixtures() -> Vec<(&'static str, Zone, CheckInput)> {
    let fix = "v=spf1 mx include:_spf.provider.test ip4:203.0.113.9 -all";
    vec![
        (
            "provider",
            provider_zone(),
            input("example.test", &["198.51.100.7", "203.0.113.9"]),
        ),
        (
            "fixed",
            fixed_zone(fix),
            input("example.test", &["203.0.113.9"]),
        ),
        ("full input", provider_zone(), full_input()),
        ("eleven lookups", big_zone(), input("big.test", &[])),
        (
            "include times out",
            timeout_zone(),
            input("a.test", &["192.0.2.1"]),
        ),
        (
            "record times out",
            timeout_zone(),
            input("b.test", &["192.0.2.1"]),
        ),
        (
            "included errors",
            included_errors_zone(),
            input("c.test", &[]),
        ),
        (
            "chain",
            chain_zone(),
            input("example.test", &["203.0.113.99"]),
        ),
    ]
}

#[test]
fn no_message_in_a_fixture_report_misses_a_parameter() {
    // A parameter renamed on one side only renders as nothing ("at most  are allowed").
    let mut missing = Vec::new();
    for (name, zone, input) in fixtures() {
        let (report, _, _) = run_input(&zone, input);
        assert!(!report.findings.is_empty(), "{name}");
        for finding in &report.findings {
            for &lang in Lang::ALL {
                for param in messages::missing_params(finding, lang) {
                    missing.push(format!("{name}: {} {lang:?} {{{param}}}", finding.code));
                }
            }
        }
    }
    assert!(missing.is_empty(), "parameters not given: {missing:#?}");
}

#[test]
fn a_domain_that_does_not_exist_is_one_finding_with_a_suggestion_and_nothing_to_publish() {
    // Nothing at all in the zone: every name is NXDOMAIN (RFC 8020 §2).
    let (report, _, _) = run(&Zone::default(), "firma.con", &["192.0.2.7"]);
    assert_eq!(
        codes(&report),
        ["domain-not-found"],
        "{:#?}",
        report.findings
    );
    assert_eq!(report.findings[0].param("suggestion"), "firma.com");
    assert_eq!(report.verdict, Severity::Error);
    assert_eq!(report.actions.len(), 1, "{:#?}", report.actions);
    assert_eq!(report.actions[0].code.as_str(), "domain-not-found");
    assert!(report.actions.iter().all(|a| a.record.is_none()));
    let message = messages::message(&report.findings[0], Lang::En);
    assert!(message.contains("Did you mean firma.com?"), "{message}");
    // No suggestion is made up where none is near.
    let (report, _, _) = run(&Zone::default(), "no-such-company-name.test", &[]);
    assert_eq!(codes(&report), ["domain-not-found"]);
    assert_eq!(report.findings[0].param("suggestion"), "");
}

#[test]
fn a_domain_that_exists_without_mx_or_spf_is_not_called_missing() {
    // The name exists (an address record): NODATA for TXT and MX, so the checks speak.
    let zone = Zone::from_rows(&[("web-only.test", "A", "192.0.2.80")]);
    let (report, _, _) = run(&zone, "web-only.test", &[]);
    assert!(
        !codes(&report).contains(&"domain-not-found"),
        "{:?}",
        codes(&report)
    );
    assert!(codes(&report).contains(&"spf-none"), "{:?}", codes(&report));
}

#[test]
fn a_domain_whose_name_servers_fail_says_so_once_with_one_action() {
    let zone = Zone {
        timeout: vec!["down.test".to_owned(), "_dmarc.down.test".to_owned()],
        ..Zone::default()
    };
    let (report, _, _) = run(&zone, "down.test", &[]);
    assert_eq!(
        codes(&report),
        ["domain-lookup-failed"],
        "{:#?}",
        report.findings
    );
    assert_eq!(report.findings[0].param("failure"), "timeout");
    assert_eq!(report.verdict, Severity::Warning);
    assert_eq!(report.actions.len(), 1, "{:#?}", report.actions);
    assert_eq!(report.actions[0].code.as_str(), "domain-lookup-failed");
    assert!(report.could_not_run());
}

#[test]
fn the_vendors_own_ip_is_the_vendors_to_fix_and_the_headline_says_so() {
    use postcheck_core::actions::Actor;
    use postcheck_core::profile::SenderProfile;
    // 192.0.2.7 has no PTR record in this zone.
    let profile = SenderProfile {
        name: "Example Mailer".to_owned(),
        spf: vec!["include:_spf.provider.test".to_owned()],
        ips: vec!["192.0.2.7".parse().unwrap()],
        dkim_selectors: Vec::new(),
        dkim_cnames: Default::default(),
        return_path: None,
    };
    let with_profile = CheckInput {
        domain: "example.test".to_owned(),
        profile: Some(profile),
        ..CheckInput::default()
    };
    let (report, _, _) = run_input(&provider_zone(), with_profile);
    let ptr = report
        .actions
        .iter()
        .find(|a| a.code.as_str() == "ptr-missing")
        .expect("an action for the missing PTR");
    assert_eq!(ptr.actor, Actor::Vendor);
    let localized = postcheck_core::actions::LocalizedAction::new(ptr, &report, Lang::En);
    assert!(
        localized
            .who
            .starts_with("Example Mailer: this is not yours to fix")
    );
    assert!(localized.text.contains("192.0.2.7"), "{}", localized.text);
    let headline = messages::headline(&report, Lang::En);
    assert!(
        headline.ends_with("1 is for Example Mailer to fix."),
        "{headline}"
    );
    // Publishing records stays the customer's, at their DNS host.
    assert!(
        report
            .actions
            .iter()
            .filter(|a| a.record.is_some())
            .all(|a| a.actor == Actor::DnsHost),
        "{:#?}",
        report.actions
    );
    // The same IP typed by the customer is its operator's.
    let (report, _, _) = run(&provider_zone(), "example.test", &["192.0.2.7"]);
    let ptr = report
        .actions
        .iter()
        .find(|a| a.code.as_str() == "ptr-missing")
        .unwrap();
    assert_eq!(ptr.actor, Actor::IpOperator);
}

#[test]
fn actors_are_named_in_json_as_as_str_says() {
    use postcheck_core::actions::Actor;
    for actor in [
        Actor::DnsHost,
        Actor::Customer,
        Actor::MailProvider,
        Actor::IpOperator,
        Actor::Vendor,
    ] {
        assert_eq!(serde_json::to_value(actor).unwrap(), actor.as_str());
    }
}
