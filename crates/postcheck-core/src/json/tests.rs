//! The codec against serde: the same values both ways, serde's output of every shape read
//! back, and hostile documents refused without a panic.

use super::*;
use crate::dns::{AnswerCache, Failure, RecordData, RecordType};
use crate::fetch::{FetchCache, FetchResult};
use crate::report::{CheckInput, DomainCheck, Plan, ReportRequest, Snapshot};
use crate::sender::DnsblConfig;
use serde_json::Value;
use std::collections::BTreeMap;

fn every_record() -> Vec<RecordData> {
    vec![
        RecordData::A("192.0.2.1".parse().unwrap()),
        RecordData::Aaaa("2001:db8::1".parse().unwrap()),
        RecordData::Aaaa("::ffff:192.0.2.1".parse().unwrap()),
        RecordData::Aaaa("2001:db8:0:1:1:1:1:1".parse().unwrap()),
        RecordData::Mx {
            preference: 65535,
            exchange: "mx.example.com".to_owned(),
        },
        RecordData::Txt(vec![
            b"v=spf1 include:_spf.example.com -all".to_vec(),
            Vec::new(),
            vec![0xff, 0x00, b'a', 0xc3],
            "ünïcödé \"quoted\" \\ \u{1}\u{1f}\u{7f}\u{2028} 😀"
                .as_bytes()
                .to_vec(),
        ]),
        RecordData::Txt(Vec::new()),
        RecordData::Ptr("host.example.net".to_owned()),
        RecordData::Cname("alias.example.org".to_owned()),
        RecordData::Ns("ns1.example.com".to_owned()),
        RecordData::Other { type_code: 0 },
        RecordData::Other { type_code: 257 },
    ]
}

fn profile_with_every_field() -> SenderProfile {
    SenderProfile {
        name: "CRM \"Cloud\"\n GmbH".to_owned(),
        spf: vec![
            "include:_spf.crm.example".to_owned(),
            "ip4:192.0.2.0/24".to_owned(),
        ],
        ips: vec!["192.0.2.7".parse().unwrap(), "2001:db8::7".parse().unwrap()],
        dkim_selectors: vec!["crm1".to_owned(), "crm2".to_owned()],
        dkim_cnames: BTreeMap::from([
            ("crm1".to_owned(), "crm1.dkim.crm.example".to_owned()),
            ("crm2".to_owned(), "crm2.dkim.crm.example".to_owned()),
        ]),
        return_path: Some("bounces.crm.example".to_owned()),
    }
}

/// Signed snapshots covering every variant and every optional field.
fn values() -> Vec<SignedSnapshot> {
    let mut answers = AnswerCache::new();
    answers.insert(
        Query::new("example.com", RecordType::Txt),
        Answer::Records {
            records: every_record(),
            authenticated: true,
        },
    );
    answers.insert(
        Query::new("example.com", RecordType::Mx),
        Answer::records(vec![RecordData::Mx {
            preference: 10,
            exchange: "mx.example.com".to_owned(),
        }]),
    );
    answers.insert(
        Query::new("nx.example.com", RecordType::A),
        Answer::Nxdomain,
    );
    answers.insert(
        Query::new("_dmarc.example.com", RecordType::Txt),
        Answer::Nodata,
    );
    for (index, failure) in [
        Failure::Servfail,
        Failure::Refused,
        Failure::Timeout,
        Failure::Error,
    ]
    .into_iter()
    .enumerate()
    {
        answers.insert(
            Query::new(&format!("f{index}.example.com"), RecordType::Aaaa),
            Answer::failed(failure),
        );
    }
    answers.insert(
        Query::new("empty.example.com", RecordType::Ns),
        Answer::Records {
            records: Vec::new(),
            authenticated: false,
        },
    );
    for record_type in [
        RecordType::A,
        RecordType::Ptr,
        RecordType::Cname,
        RecordType::Soa,
    ] {
        answers.insert(Query::new("types.example.com", record_type), Answer::Nodata);
    }
    let mut fetches = FetchCache::new();
    fetches.insert(
        "https://mta-sts.example.com/.well-known/mta-sts.txt".to_owned(),
        FetchResult::Response {
            code: 200,
            content_type: Some("text/plain".to_owned()),
            body: "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n"
                .to_owned(),
        },
    );
    fetches.insert(
        "https://mta-sts.other.example/.well-known/mta-sts.txt".to_owned(),
        FetchResult::Response {
            code: 301,
            content_type: None,
            body: String::new(),
        },
    );
    fetches.insert(
        "https://mta-sts.down.example/.well-known/mta-sts.txt".to_owned(),
        FetchResult::Failed {
            reason: "TLS handshake failed".to_owned(),
        },
    );
    let full = SignedSnapshot {
        input: CheckInput {
            domain: "example.com".to_owned(),
            ips: vec![
                "192.0.2.1".parse().unwrap(),
                "2001:db8::1".parse().unwrap(),
                "::".parse().unwrap(),
            ],
            dkim_selectors: vec!["s1".to_owned(), "google".to_owned()],
            profile: Some(profile_with_every_field()),
            dnsbl: DnsblConfig {
                lists: vec!["zen.spamhaus.org".to_owned(), "bl.spamcop.net".to_owned()],
                spamhaus_dqs_key: Some("secret-key".to_owned()),
                skipped: vec!["sbl.spamhaus.org".to_owned()],
            },
            timestamp: u64::MAX,
        },
        snapshot: Snapshot { answers, fetches },
        taken_at: 1_763_900_000,
        signature: "ab".repeat(32),
    };
    let minimal = SignedSnapshot {
        input: CheckInput {
            domain: "example.org".to_owned(),
            ..CheckInput::default()
        },
        snapshot: Snapshot::default(),
        taken_at: 0,
        signature: String::new(),
    };
    let mut sparse_profile = full.clone();
    sparse_profile.input.profile = Some(SenderProfile {
        name: "Vendor".to_owned(),
        ..SenderProfile::default()
    });
    sparse_profile.input.dnsbl = DnsblConfig {
        lists: Vec::new(),
        spamhaus_dqs_key: None,
        skipped: Vec::new(),
    };
    let mut key_only = minimal.clone();
    key_only.input.dnsbl.spamhaus_dqs_key = Some("k".to_owned());
    let mut skipped_only = minimal.clone();
    skipped_only.input.dnsbl = DnsblConfig::default().without_spamhaus_for_public_resolvers();
    vec![
        full,
        minimal,
        sparse_profile,
        key_only,
        skipped_only,
        planner_snapshot(),
    ]
}

/// A snapshot as the planner takes it: every query the report asks, answered from a small
/// zone (the rest does not exist), every fetch failed.
fn planner_snapshot() -> SignedSnapshot {
    let input = CheckInput {
        domain: "example.com".to_owned(),
        ips: vec![
            "192.0.2.10".parse().unwrap(),
            "2001:db8::10".parse().unwrap(),
        ],
        dkim_selectors: vec!["s1".to_owned()],
        profile: Some(profile_with_every_field()),
        timestamp: 1_795_424_400,
        ..CheckInput::default()
    };
    let zone = |query: &Query| -> Answer {
        let txt =
            |text: &str| Answer::records(vec![RecordData::Txt(vec![text.as_bytes().to_vec()])]);
        match (query.name.as_str(), query.record_type) {
            ("example.com", RecordType::Txt) => {
                txt("v=spf1 mx include:_spf.crm.example ip4:192.0.2.0/24 -all")
            }
            ("_spf.crm.example", RecordType::Txt) => txt("v=spf1 ip6:2001:db8::/32 ~all"),
            ("_dmarc.example.com", RecordType::Txt) => {
                txt("v=DMARC1; p=quarantine; rua=mailto:d@example.com")
            }
            ("s1._domainkey.example.com", RecordType::Txt) => txt("v=DKIM1; k=rsa; p="),
            ("example.com", RecordType::Mx) => Answer::records(vec![RecordData::Mx {
                preference: 10,
                exchange: "mx.example.com".to_owned(),
            }]),
            ("mx.example.com", RecordType::A) => {
                Answer::records(vec![RecordData::A("192.0.2.25".parse().unwrap())])
            }
            ("mx.example.com", RecordType::Aaaa) => Answer::failed(Failure::Timeout),
            _ => Answer::Nxdomain,
        }
    };
    let mut check = DomainCheck::new(input.clone());
    for _round in 0..20 {
        match check.step() {
            Plan::Done(_) => break,
            Plan::Need(needs) => {
                for query in needs.queries {
                    let answer = zone(&query);
                    check.supply(query, answer);
                }
                for url in needs.fetches {
                    check.supply_fetch(
                        url,
                        FetchResult::Failed {
                            reason: "connection refused".to_owned(),
                        },
                    );
                }
            }
        }
    }
    assert!(check.snapshot().answers.len() > 10);
    SignedSnapshot {
        input,
        snapshot: check.snapshot().clone(),
        taken_at: 1_795_424_400,
        signature: "00".repeat(32),
    }
}

#[test]
fn the_writer_writes_what_serde_writes() {
    for signed in values() {
        let ours = write_signed_snapshot(&signed);
        assert_eq!(ours, serde_json::to_string(&signed).unwrap());
        let back: SignedSnapshot = serde_json::from_str(&ours).unwrap();
        assert_eq!(back, signed);
    }
    let profile = profile_with_every_field();
    assert_eq!(
        write_sender_profile(&profile),
        serde_json::to_string(&profile).unwrap()
    );
    let queries = [
        Query::new("example.com", RecordType::Txt),
        Query::new("s1._domainkey.example.com", RecordType::Cname),
    ];
    assert_eq!(
        write_dns_request(&queries),
        serde_json::to_string(&serde_json::json!({ "queries": queries })).unwrap()
    );
}

#[test]
fn the_report_request_is_what_the_gateway_reads() {
    let profile = profile_with_every_field();
    for profile in [None, Some(profile)] {
        let request = ReportRequest {
            domain: "example.com".to_owned(),
            ips: vec!["192.0.2.1".parse().unwrap(), "2001:db8::1".parse().unwrap()],
            dkim_selectors: vec!["s1".to_owned()],
            profile,
            dnsbl: None,
        };
        let ours = write_report_request(&request);
        // What serde writes, and what the gateway's serde reader makes of ours.
        assert_eq!(
            serde_json::from_str::<Value>(&ours).unwrap(),
            serde_json::from_str::<Value>(&serde_json::to_string(&request).unwrap()).unwrap()
        );
        assert_eq!(
            serde_json::from_str::<ReportRequest>(&ours).unwrap(),
            request
        );
        assert!(ours.starts_with("{\"domain\":\"example.com\",\"ips\":[\"192.0.2.1\""));
    }
}

#[test]
fn the_reader_reads_what_serde_writes() {
    for signed in values() {
        let compact = serde_json::to_string(&signed).unwrap();
        assert_eq!(read_signed_snapshot(compact.as_bytes()), Ok(signed.clone()));
        let pretty = serde_json::to_string_pretty(&signed).unwrap();
        assert_eq!(read_signed_snapshot(pretty.as_bytes()), Ok(signed.clone()));
        // With every object's keys sorted, the tags `status` and `type` come after the fields
        // and `data`.
        let sorted = sorted_json(&serde_json::to_value(&signed).unwrap());
        assert_eq!(read_signed_snapshot(sorted.as_bytes()), Ok(signed));
    }
    let sorted = sorted_json(&serde_json::to_value(&values()[0]).unwrap());
    assert!(sorted.contains("\"authenticated\":true,\"records\""));
    assert!(sorted.contains("{\"data\":\"192.0.2.1\",\"type\":\"A\"}"));
    let profile = profile_with_every_field();
    let json = serde_json::to_string(&profile).unwrap();
    assert_eq!(read_sender_profile(json.as_bytes()), Ok(profile));
}

/// `value` as JSON with the members of every object sorted by key.
fn sorted_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by_key(|(key, _)| *key);
            let members: Vec<String> = members
                .into_iter()
                .map(|(key, item)| format!("{}:{}", Value::from(key.as_str()), sorted_json(item)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(sorted_json).collect();
            format!("[{}]", items.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// Adds an unknown member to every object with fields (not to the maps `fetches` and
/// `dkim_cnames`, nor to a profile, which refuses them).
fn with_unknown_fields(value: &mut Value, key: Option<&str>) {
    match value {
        Value::Object(map) => {
            let is_map_or_profile = matches!(key, Some("fetches" | "dkim_cnames" | "profile"));
            for (name, item) in map.iter_mut() {
                let child_key = if matches!(key, Some("fetches")) {
                    None
                } else {
                    Some(name.as_str())
                };
                with_unknown_fields(item, child_key);
            }
            if !is_map_or_profile {
                map.insert(
                    "x-unknown".to_owned(),
                    serde_json::json!({"a": [1, -2, 2.5e300, null, true, false, "\u{0}"], "b": {}}),
                );
            }
        }
        Value::Array(items) => {
            for item in items {
                with_unknown_fields(item, key);
            }
        }
        _ => {}
    }
}

#[test]
fn unknown_fields_are_skipped_as_serde_skips_them() {
    for signed in values() {
        let mut value = serde_json::to_value(&signed).unwrap();
        with_unknown_fields(&mut value, None);
        let json = serde_json::to_string(&value).unwrap();
        assert!(json.matches("x-unknown").count() >= 5);
        let by_serde: SignedSnapshot = serde_json::from_str(&json).unwrap();
        assert_eq!(by_serde, signed);
        assert_eq!(read_signed_snapshot(json.as_bytes()), Ok(signed));
    }
    // A profile refuses them, as its derive does.
    let mut profile = serde_json::to_value(profile_with_every_field()).unwrap();
    profile["vendor_id"] = Value::from(7);
    let json = profile.to_string();
    assert!(serde_json::from_str::<SenderProfile>(&json).is_err());
    assert!(matches!(
        read_sender_profile(json.as_bytes()),
        Err(Error {
            kind: ErrorKind::UnknownField,
            ..
        })
    ));
}

#[test]
fn defaults_and_nulls_follow_the_derives() {
    let json = br#"{"input":{"domain":"a.example","profile":{"name":"V","return_path":null}},
        "snapshot":{"answers":{"entries":[{"query":{"name":"a.example","type":"TXT"},
        "answer":{"records":[],"status":"records"}}]},
        "fetches":{"u":{"status":"response","code":200,"content_type":null,"body":""}}},
        "taken_at":5,"signature":"s"}"#;
    let by_serde: SignedSnapshot = serde_json::from_slice(json).unwrap();
    assert_eq!(read_signed_snapshot(json), Ok(by_serde.clone()));
    assert_eq!(by_serde.input.dnsbl, DnsblConfig::default());
    // A query listed twice keeps its last answer, as serde's collect into a map does.
    let twice = br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[
        {"query":{"name":"a","type":"A"},"answer":{"status":"nodata"}},
        {"query":{"name":"a","type":"A"},"answer":{"status":"nxdomain"}}]},"fetches":{}},
        "taken_at":1,"signature":""}"#;
    let by_serde: SignedSnapshot = serde_json::from_slice(twice).unwrap();
    assert_eq!(read_signed_snapshot(twice), Ok(by_serde));
    // What serde refuses, the reader refuses.
    for refused in [
        &br#"{"input":{"domain":"a","ips":null},"snapshot":{"answers":{"entries":[]},"fetches":{}},"taken_at":1,"signature":""}"#[..],
        br#"{"input":{"domain":"a","dnsbl":{}},"snapshot":{"answers":{"entries":[]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[]}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[]},"fetches":{}},"taken_at":1.0,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[]},"fetches":{}},"taken_at":-1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[]},"fetches":{}},"taken_at":1e3,"signature":""}"#,
        br#"{"input":{"domain":"a","ips":["192.0.2.300"]},"snapshot":{"answers":{"entries":[]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[{"query":{"name":"a","type":"SPF"},"answer":{"status":"nodata"}}]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[{"query":{"name":"a","type":"A"},"answer":{"status":"gone"}}]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[{"query":{"name":"a","type":"A"},"answer":{"status":"records","records":[{"type":"MX","data":{"preference":65536,"exchange":"m"}}]}}]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[{"query":{"name":"a","type":"A"},"answer":{"status":"records","records":[{"type":"TXT","data":[[256]]}]}}]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[{"query":{"name":"a","type":"A"},"answer":{"status":"records","records":[{"type":"AAAA","data":"192.0.2.1"}]}}]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[{"query":{"name":"a","type":"A"},"answer":{"status":"failed","failure":"SERVFAIL"}}]},"fetches":{}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[]},"fetches":{"u":{"status":"failed"}}},"taken_at":1,"signature":""}"#,
        br#"{"input":{"domain":"a"},"snapshot":{"answers":{"entries":[]},"fetches":{}},"taken_at":1}"#,
        br#"[]"#,
    ] {
        assert!(serde_json::from_slice::<SignedSnapshot>(refused).is_err());
        assert!(
            read_signed_snapshot(refused).is_err(),
            "{}",
            String::from_utf8_lossy(refused)
        );
    }
}

#[test]
fn the_gateways_other_answers_are_read() {
    let signed = values().remove(0);
    let mut body = serde_json::to_value(&signed).unwrap();
    assert_eq!(
        read_report_answer(body.to_string().as_bytes()),
        Ok(ReportAnswer {
            signed: signed.clone(),
            complete: true
        })
    );
    body["complete"] = Value::from(false);
    body["rounds"] = Value::from(3);
    body["queries"] = Value::from(41);
    assert_eq!(
        read_report_answer(body.to_string().as_bytes()),
        Ok(ReportAnswer {
            signed: signed.clone(),
            complete: false
        })
    );
    // A link's snapshot with those fields reads as serde reads it: they are skipped.
    assert_eq!(
        read_signed_snapshot(body.to_string().as_bytes()),
        Ok(signed)
    );
    body["complete"] = Value::Null;
    assert!(read_report_answer(body.to_string().as_bytes()).is_err());

    let error = br#"{"error":{"code":"rate-limited","message":"too many \"checks\"","retry":5}}"#;
    assert_eq!(
        read_gateway_error(error),
        Ok(GatewayError {
            code: "rate-limited".to_owned(),
            message: "too many \"checks\"".to_owned()
        })
    );
    assert!(read_gateway_error(b"{\"error\":\"x\"}").is_err());
    assert!(read_gateway_error(b"Bad Gateway").is_err());
    assert_eq!(read_verified(b" {\"valid\" : true }\n"), Ok(true));
    assert_eq!(read_verified(b"{\"valid\":false}"), Ok(false));
    assert!(read_verified(b"{\"valid\":1}").is_err());
    assert!(read_verified(b"{}").is_err());

    let dns = br#"{"answers":[{"query":{"name":"s1._domainkey.example.com","type":"TXT"},
        "answer":{"status":"records","records":[{"type":"TXT","data":["v=DKIM1; p=AB"]}],"authenticated":false},
        "rcode":0,"ttl":300},{"query":{"name":"x.example","type":"TXT"},"answer":{"status":"failed","failure":"timeout"},"rcode":null}]}"#;
    assert_eq!(
        read_dns_answers(dns),
        Ok(vec![
            (
                Query::new("s1._domainkey.example.com", RecordType::Txt),
                Answer::records(vec![RecordData::Txt(vec![b"v=DKIM1; p=AB".to_vec()])])
            ),
            (
                Query::new("x.example", RecordType::Txt),
                Answer::failed(Failure::Timeout)
            ),
        ])
    );
}

#[test]
fn strings_read_every_escape() {
    let read = |text: &str| -> Result<String, Error> {
        let json = format!(r#"{{"name":{text}}}"#);
        read_sender_profile(json.as_bytes()).map(|profile| profile.name)
    };
    assert_eq!(
        read(r#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00""#),
        Ok("\"\\/\u{8}\u{c}\n\r\tAé€😀".to_owned())
    );
    assert_eq!(read("\"ü\u{7f}\""), Ok("ü\u{7f}".to_owned()));
    for (bad, kind) in [
        (r#""\x""#, ErrorKind::Escape),
        (r#""\u12""#, ErrorKind::Escape),
        (r#""\u12G4""#, ErrorKind::Escape),
        (r#""\ud800""#, ErrorKind::Escape),
        (r#""\ud800x""#, ErrorKind::Escape),
        (r#""\ud800\u0041""#, ErrorKind::Escape),
        (r#""\udc00""#, ErrorKind::Escape),
        (r#""\udfff\ud800""#, ErrorKind::Escape),
        ("\"a\u{1}\"", ErrorKind::String),
        ("\"a\nb\"", ErrorKind::String),
        ("\"abc", ErrorKind::Syntax),
        ("\"abc\\", ErrorKind::Escape),
    ] {
        assert_eq!(read(bad).map_err(|err| err.kind), Err(kind), "{bad}");
        let json = format!(r#"{{"name":{bad}}}"#);
        assert!(
            serde_json::from_str::<SenderProfile>(&json).is_err(),
            "{bad}"
        );
    }
    // Invalid UTF-8 inside a string.
    assert_eq!(
        read_sender_profile(b"{\"name\":\"a\xff\"}").map_err(|err| err.kind),
        Err(ErrorKind::String)
    );
    // A key with escapes is the key it spells.
    assert_eq!(
        read_sender_profile(br#"{"n\u0061me":"V"}"#).map(|profile| profile.name),
        Ok("V".to_owned())
    );
}

#[test]
fn numbers_are_integers_in_range() {
    let taken_at = |number: &str| {
        let json = format!(
            r#"{{"input":{{"domain":"a"}},"snapshot":{{"answers":{{"entries":[]}},"fetches":{{}}}},"taken_at":{number},"signature":""}}"#
        );
        let ours = read_signed_snapshot(json.as_bytes()).map(|signed| signed.taken_at);
        let by_serde = serde_json::from_str::<SignedSnapshot>(&json).map(|signed| signed.taken_at);
        assert_eq!(ours.is_ok(), by_serde.is_ok(), "{number}");
        ours.map_err(|err| err.kind)
    };
    assert_eq!(taken_at("0"), Ok(0));
    assert_eq!(taken_at("-0"), Err(ErrorKind::Number));
    assert_eq!(taken_at("18446744073709551615"), Ok(u64::MAX));
    assert_eq!(taken_at("18446744073709551616"), Err(ErrorKind::Number));
    assert_eq!(
        taken_at("99999999999999999999999999999999999999"),
        Err(ErrorKind::Number)
    );
    assert_eq!(taken_at("1.5"), Err(ErrorKind::Number));
    assert_eq!(taken_at("1E2"), Err(ErrorKind::Number));
    assert_eq!(taken_at("-3"), Err(ErrorKind::Number));
    assert_eq!(taken_at("01"), Err(ErrorKind::Syntax));
    assert_eq!(taken_at("1."), Err(ErrorKind::Syntax));
    assert_eq!(taken_at("-"), Err(ErrorKind::Syntax));
    assert_eq!(taken_at("1e"), Err(ErrorKind::Syntax));
    assert_eq!(taken_at("+1"), Err(ErrorKind::Syntax));
    assert_eq!(taken_at("\"1\""), Err(ErrorKind::Expected("an integer")));
    // Any number is skipped where nothing is read.
    for skipped in ["1e999", "-0.0e-0", "123456789012345678901234567890.5"] {
        let json = format!(r#"{{"valid":true,"x":{skipped}}}"#);
        assert_eq!(read_verified(json.as_bytes()), Ok(true), "{skipped}");
    }
}

#[test]
fn repeated_keys_are_refused() {
    for json in [
        &br#"{"valid":true,"valid":true}"#[..],
        br#"{"valid":true,"x":1,"x":2}"#,
        br#"{"valid":true,"x":{"y":1,"y":1}}"#,
        br#"{"valid":true,"\u0076alid":false}"#,
    ] {
        assert_eq!(
            read_verified(json).map_err(|err| err.kind),
            Err(ErrorKind::RepeatedKey)
        );
    }
    let signed = serde_json::to_string(&values().remove(0)).unwrap();
    let doubled = signed.replacen(
        "\"status\":\"records\"",
        "\"status\":\"records\",\"status\":\"records\"",
        1,
    );
    assert_eq!(
        read_signed_snapshot(doubled.as_bytes()).map_err(|err| err.kind),
        Err(ErrorKind::RepeatedKey)
    );
}

#[test]
fn hostile_documents_are_errors_not_panics() {
    // Deep nesting, in a skipped field and in a read one.
    for depth in [MAX_DEPTH, 100_000] {
        let deep = format!(
            r#"{{"valid":true,"x":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(
            read_verified(deep.as_bytes()).map_err(|err| err.kind),
            Err(ErrorKind::TooDeep)
        );
        let deep = format!(r#"{{"valid":true,"x":{}}}"#, "{\"a\":".repeat(depth));
        assert_eq!(
            read_verified(deep.as_bytes()).map_err(|err| err.kind),
            Err(ErrorKind::TooDeep)
        );
    }
    let shallow = format!(
        r#"{{"valid":true,"x":{}{}}}"#,
        "[".repeat(MAX_DEPTH - 1),
        "]".repeat(MAX_DEPTH - 1)
    );
    assert_eq!(read_verified(shallow.as_bytes()), Ok(true));
    // Too large.
    let mut large = b"{\"valid\":true,\"x\":\"".to_vec();
    large.resize(MAX_DOCUMENT_BYTES, b'a');
    large.extend_from_slice(b"\"}");
    assert_eq!(
        read_verified(&large).map_err(|err| err.kind),
        Err(ErrorKind::TooLarge)
    );
    // Not JSON at all, or JSON with something after it.
    for junk in [
        &b""[..],
        b" ",
        b"{",
        b"}",
        b"{\"valid\":true}}",
        b"{\"valid\":true} x",
        b"{\"valid\":true,}",
        b"{\"valid\" true}",
        b"{valid:true}",
        b"{\"valid\":tru}",
        b"{\"valid\":true,\"x\":[1,]}",
        b"{\"valid\":true,\"x\":[1 2]}",
        b"{\"valid\":true,\"x\":nul}",
        b"\xef\xbb\xbf{\"valid\":true}",
        b"{\"valid\":true}\0",
    ] {
        assert!(
            read_verified(junk).is_err(),
            "{}",
            String::from_utf8_lossy(junk)
        );
    }
    // Every prefix of a real snapshot is an error.
    let json = serde_json::to_string(&values().remove(0)).unwrap();
    for end in 0..json.len() {
        assert!(read_signed_snapshot(&json.as_bytes()[..end]).is_err());
    }
}

/// A small deterministic generator (xorshift), so the mutations are the same on every run.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

#[test]
fn mutated_snapshots_never_panic_and_never_read_what_serde_refuses() {
    let originals: Vec<Vec<u8>> = values()
        .iter()
        .map(|signed| serde_json::to_vec(signed).unwrap())
        .collect();
    let alphabet = b"{}[]\",:\\-0123456789.eEtrufalsn xu\xff\x00";
    let mut random = Xorshift(0x5eed_cafe_f00d_beef);
    let mut both_ok = 0;
    for round in 0..20_000 {
        let mut bytes = originals[round % originals.len()].clone();
        for _ in 0..=random.below(3) {
            let at = random.below(bytes.len());
            match random.below(3) {
                0 => bytes[at] = alphabet[random.below(alphabet.len())],
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, alphabet[random.below(alphabet.len())]),
            }
        }
        let ours = read_signed_snapshot(&bytes);
        let by_serde = serde_json::from_slice::<SignedSnapshot>(&bytes);
        match (ours, by_serde) {
            (Ok(ours), Ok(by_serde)) => {
                assert_eq!(ours, by_serde);
                both_ok += 1;
            }
            (Ok(_), Err(err)) => panic!(
                "read what serde refuses ({err}): {}",
                String::from_utf8_lossy(&bytes)
            ),
            // Stricter than serde: a key repeated in a skipped object, invalid UTF-8 in a
            // skipped string (serde_json does not check what it ignores).
            (Err(err), Ok(_)) => assert!(
                matches!(err.kind, ErrorKind::RepeatedKey | ErrorKind::String),
                "refused what serde reads ({err}): {}",
                String::from_utf8_lossy(&bytes)
            ),
            (Err(_), Err(_)) => {}
        }
    }
    assert!(both_ok > 100, "{both_ok}");
}

/// The fuzzer's snapshot seeds (fuzz/corpus/snapshot_report) as they are, and with their
/// answers in the cache's `{"entries":[…]}` form.
#[test]
fn the_fuzz_corpus_snapshots_read_as_serde_reads_them() {
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/snapshot_report");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    let mut read = 0;
    for entry in entries {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let by_serde = serde_json::from_slice::<SignedSnapshot>(&bytes).ok();
        assert_eq!(read_signed_snapshot(&bytes).ok(), by_serde);
        let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        if let Some(answers) = value.pointer_mut("/snapshot/answers")
            && answers.is_array()
        {
            *answers = serde_json::json!({ "entries": answers.take() });
        }
        let fixed = serde_json::to_vec(&value).unwrap();
        if let Ok(by_serde) = serde_json::from_slice::<SignedSnapshot>(&fixed) {
            assert_eq!(read_signed_snapshot(&fixed), Ok(by_serde.clone()));
            assert_eq!(
                write_signed_snapshot(&by_serde),
                serde_json::to_string(&by_serde).unwrap()
            );
            read += 1;
        }
    }
    assert!(read > 0);
}

#[test]
fn errors_say_what_and_where() {
    let err = read_verified(b"{\"valid\":\"yes\"}").unwrap_err();
    assert_eq!(err.to_string(), "expected a boolean at byte 9");
    let err = read_verified(b"{}").unwrap_err();
    assert_eq!(err.to_string(), "missing field `valid` at byte 2");
}

#[test]
fn an_srv_record_travels_as_its_type_code() {
    // No report asks for SRV; should one reach a snapshot, the page reads it as the model kept
    // SRV before it had SRV data, and refuses nothing.
    let mut signed = values().remove(0);
    signed.snapshot.answers.insert(
        Query::new("_submission._tcp.example.com", RecordType::Txt),
        Answer::records(vec![RecordData::Srv {
            priority: 0,
            weight: 1,
            port: 587,
            target: "smtp.example.com".to_owned(),
        }]),
    );
    let read = read_signed_snapshot(write_signed_snapshot(&signed).as_bytes()).unwrap();
    assert_eq!(
        read.snapshot
            .answers
            .get(&Query::new("_submission._tcp.example.com", RecordType::Txt)),
        Some(&Answer::records(vec![RecordData::Other { type_code: 33 }]))
    );
}
