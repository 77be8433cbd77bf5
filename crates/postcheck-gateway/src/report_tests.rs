//! Tests of `report.rs`: `POST /api/report`'s request checks (before anything goes upstream)
//! and the gate and budget on what the core's planner may send while the worker runs it.

use crate::report::{QueryGate, ReportBudget, Spent, gate_fetch, gate_query, parse_report_request};
use crate::request::Limits;
use crate::tests::outcome;
use postcheck_core::dns::{Answer, Failure, Query, RecordType};
use postcheck_core::fetch::FetchResult;

#[test]
fn report_requests_are_checked_before_anything_goes_upstream() {
    let limits = Limits::default();
    let cases: &[(&str, &str)] = &[
        (r#"{"domain":"example.com"}"#, "ok"),
        (
            r#"{"domain":"Example.COM.","ips":["192.0.2.1","2001:db8::1"]}"#,
            "ok",
        ),
        (
            r#"{"domain":"example.com","dkim_selectors":["s1","sel-2._x"]}"#,
            "ok",
        ),
        (
            r#"{"domain":"example.com","profile":{"name":"CRM","spf":["include:_spf.crm.example"],"ips":["192.0.2.9"]}}"#,
            "ok",
        ),
        (r#"{"domain":"example.com","timestamp":1}"#, "bad-json"),
        (r#"{"domain":"example.com","extra":1}"#, "bad-json"),
        (
            r#"{"domain":"example.com","domain":"evil.com"}"#,
            "bad-json",
        ),
        (r#"{"ips":[]}"#, "bad-json"),
        (r#"["example.com"]"#, "bad-json"),
        (
            r#"{"domain":"example.com","ips":["300.1.1.1"]}"#,
            "bad-json",
        ),
        (
            r#"{"domain":"example.com","ips":["192.0.2.1/24"]}"#,
            "bad-json",
        ),
        (r#"{"domain":"https://example.com/"}"#, "invalid-domain"),
        (r#"{"domain":"example.com:8080"}"#, "invalid-domain"),
        (r#"{"domain":"192.0.2.1"}"#, "invalid-domain"),
        (r#"{"domain":"localhost"}"#, "invalid-domain"),
        (r#"{"domain":"a_b.example.com"}"#, "invalid-domain"),
        (
            r#"{"domain":"example.com","dkim_selectors":["s1 x"]}"#,
            "invalid-name",
        ),
        (
            r#"{"domain":"example.com","dkim_selectors":["../x"]}"#,
            "invalid-name",
        ),
        (
            r#"{"domain":"example.com","dnsbl":{"lists":["zen.spamhaus.org","bad list"]}}"#,
            "invalid-name",
        ),
        (
            r#"{"domain":"example.com","profile":{"name":"X","dkim_cnames":{"s1":"http://x/"}}}"#,
            "invalid-name",
        ),
    ];
    for (body, expected) in cases {
        let got = outcome(parse_report_request(
            body.as_bytes(),
            &limits,
            1_700_000_000,
        ));
        assert!(
            got.starts_with(expected),
            "{body}: expected {expected}, got {got}"
        );
    }
    let too_many_ips = format!(
        r#"{{"domain":"example.com","ips":[{}]}}"#,
        (1..=17)
            .map(|i| format!("\"192.0.2.{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(
        outcome(parse_report_request(too_many_ips.as_bytes(), &limits, 0)),
        "bad-json"
    );
    let huge = format!(r#"{{"domain":"example.com","x":"{}"}}"#, "a".repeat(20_000));
    assert_eq!(
        outcome(parse_report_request(huge.as_bytes(), &limits, 0)),
        "body-too-large"
    );
    let input =
        parse_report_request(br#"{"domain":"Example.COM."}"#, &limits, 1_700_000_000).unwrap();
    assert_eq!(input.domain, "example.com");
    assert_eq!(
        input.timestamp, 1_700_000_000,
        "the gateway's clock, not the client's"
    );
}

#[test]
fn the_gate_refuses_what_a_client_could_not_send_and_keeps_the_budget() {
    let budget = ReportBudget {
        max_rounds: 3,
        max_queries: 2,
        max_fetches: 1,
    };
    let mut spent = Spent::default();
    let ok = Query::new("Example.com.", RecordType::Txt);
    assert_eq!(
        gate_query(&ok, &budget, &mut spent),
        QueryGate::Send(Query::new("example.com", RecordType::Txt))
    );
    // An SPF macro can expand to anything; such a name never leaves.
    let hostile = Query::new("a b.example.com", RecordType::A);
    assert_eq!(
        gate_query(&hostile, &budget, &mut spent),
        QueryGate::Answer(Answer::failed(Failure::Error))
    );
    let soa = Query::new("example.com", RecordType::Soa);
    assert!(matches!(
        gate_query(&soa, &budget, &mut spent),
        QueryGate::Answer(Answer::Failed { .. })
    ));
    assert!(matches!(
        gate_query(
            &Query::new("b.example.com", RecordType::A),
            &budget,
            &mut spent
        ),
        QueryGate::Send(_)
    ));
    assert_eq!(spent.queries, 2);
    assert_eq!(
        gate_query(
            &Query::new("c.example.com", RecordType::A),
            &budget,
            &mut spent
        ),
        QueryGate::Answer(Answer::failed(Failure::Refused)),
        "past the budget: could not verify"
    );
    assert_eq!(spent.queries, 2);

    let mut spent = Spent::default();
    assert!(
        gate_fetch(
            "https://mta-sts.example.com/.well-known/mta-sts.txt",
            &budget,
            &mut spent
        )
        .is_ok()
    );
    for url in [
        "https://mta-sts.example.com/.well-known/mta-sts.txt",
        "https://mta-sts.127.0.0.1/.well-known/mta-sts.txt",
        "https://mta-sts.example.com:8443/.well-known/mta-sts.txt",
        "https://mta-sts.example.com/.well-known/mta-sts.txt?x=1",
        "https://evil.example/.well-known/mta-sts.txt",
        "http://mta-sts.example.com/.well-known/mta-sts.txt",
        "https://mta-sts.user@evil.example/.well-known/mta-sts.txt",
    ] {
        assert!(
            matches!(
                gate_fetch(url, &budget, &mut spent),
                Err(FetchResult::Failed { .. })
            ),
            "{url}"
        );
    }
}

#[test]
fn request_bodies_with_a_repeated_key_anywhere_are_refused() {
    let limits = Limits::default();
    for body in [
        r#"{"domain":"evil.test","domain":"real.test"}"#,
        // A map inside a struct: serde's derived code would keep the last value.
        r#"{"domain":"real.test","profile":{"name":"x","dkim_cnames":{"s1":"evil.test","s1":"ok.test"}}}"#,
        r#"{"domain":"real.test","dnsbl":{"lists":["a.test"],"lists":["b.test"]}}"#,
    ] {
        assert_eq!(
            outcome(parse_report_request(body.as_bytes(), &limits, 0)),
            "bad-json",
            "{body}"
        );
    }
    for body in [
        r#"{"queries":[{"name":"evil.test","name":"real.test","type":"TXT"}]}"#,
        r#"{"queries":[{"name":"real.test","type":"TXT","type":"A"}]}"#,
    ] {
        assert_eq!(
            outcome(crate::request::parse_batch(body.as_bytes(), &limits)),
            "bad-json",
            "{body}"
        );
    }
    // The same documents without the repeat pass.
    assert!(
        parse_report_request(
            br#"{"domain":"real.test","profile":{"name":"x","dkim_cnames":{"s1":"ok.test"}}}"#,
            &limits,
            0
        )
        .is_ok()
    );
}

#[test]
fn mta_sts_fetches_never_go_to_special_use_names() {
    for domain in [
        "x.localhost",
        "x.invalid",
        "printer.local",
        "router.home.arpa",
        "x.onion",
        "x.internal",
        "x.lan",
        "x.alt",
    ] {
        assert_eq!(
            outcome(crate::request::mta_sts_url(domain)),
            "invalid-domain",
            "{domain}"
        );
        assert_eq!(
            outcome(crate::request::parse_mta_sts_query(&format!(
                "domain={domain}"
            ))),
            "invalid-domain",
            "{domain}"
        );
        // Inside a report the planner's fetch of such a name is refused, never sent.
        let url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
        assert!(
            gate_fetch(&url, &ReportBudget::default(), &mut Spent::default()).is_err(),
            "{url}"
        );
    }
    for domain in ["clean.report.test", "x.test", "example.com", "mail.example"] {
        assert_eq!(
            crate::request::mta_sts_url(domain),
            Ok(format!("https://mta-sts.{domain}/.well-known/mta-sts.txt")),
            "{domain}"
        );
    }
}
