//! The RFC 7208 test suite (OpenSPF, release 2014.04), run whole against `check_host()`.
//!
//! Each section's zone data becomes an in-memory zone. As the suite's drivers do, a name's `SPF`
//! entries are served as TXT unless the name lists TXT entries of its own (`TXT: NONE` means
//! "no TXT"); `TIMEOUT` makes every query without records at that name time out.

use crate::zone::Zone;
use postcheck_core::dns::AnswerCache;
use postcheck_core::dns::RecordData;
use postcheck_core::spf::{SpfInput, SpfResult, evaluate};
use serde_yaml::Value;
use std::net::IpAddr;

const SUITE: &str = include_str!("../../../../../shared/testsuites/spf/rfc7208-tests.yml");

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => panic!("unexpected YAML value {other:?}"),
    }
}

/// The suite writes strings as YAML text; bytes above 0x7F are given as `\xNN` escapes that
/// YAML decodes to code points U+0080..U+00FF, so map those back to single bytes.
fn bytes(value: &Value) -> Vec<u8> {
    text(value)
        .chars()
        .flat_map(|c| {
            if (c as u32) < 0x100 {
                vec![c as u32 as u8]
            } else {
                c.to_string().into_bytes()
            }
        })
        .collect()
}

fn txt_strings(value: &Value) -> Vec<Vec<u8>> {
    match value {
        Value::Sequence(items) => items.iter().map(bytes).collect(),
        other => vec![bytes(other)],
    }
}

fn load_zone(data: &Value) -> Zone {
    let mut zone = Zone::default();
    let Value::Mapping(names) = data else {
        return zone;
    };
    for (name, entries) in names {
        let name = text(name).to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name).to_owned();
        let mut spf = Vec::new();
        let mut txt = Vec::new();
        let mut has_txt_entry = false;
        let mut others = Vec::new();
        for entry in entries.as_sequence().expect("entries are a list") {
            if let Value::String(s) = entry {
                assert_eq!(s, "TIMEOUT");
                zone.timeout.push(name.clone());
                continue;
            }
            let (kind, value) = entry
                .as_mapping()
                .and_then(|m| m.iter().next())
                .expect("one key");
            match text(kind).as_str() {
                "SPF" => spf.push(RecordData::Txt(txt_strings(value))),
                "TXT" => {
                    has_txt_entry = true;
                    if text(value) != "NONE" || value.is_sequence() {
                        txt.push(RecordData::Txt(txt_strings(value)));
                    }
                }
                "A" => others.push(RecordData::A(text(value).parse().expect("A"))),
                "AAAA" => others.push(RecordData::Aaaa(text(value).parse().expect("AAAA"))),
                "MX" => {
                    let pair = value.as_sequence().expect("MX pair");
                    others.push(RecordData::Mx {
                        preference: text(&pair[0]).parse().expect("preference"),
                        exchange: text(&pair[1])
                            .to_ascii_lowercase()
                            .trim_end_matches('.')
                            .to_owned(),
                    });
                }
                "PTR" => others.push(RecordData::Ptr(text(value).to_ascii_lowercase())),
                "CNAME" => others.push(RecordData::Cname(text(value).to_ascii_lowercase())),
                other => panic!("unknown record type {other}"),
            }
        }
        let mut records = others;
        if has_txt_entry {
            records.extend(txt);
        } else {
            records.extend(spf);
        }
        if records.is_empty() {
            zone.present.push(name.clone());
        } else {
            zone.records.entry(name).or_default().extend(records);
        }
    }
    zone
}

#[test]
fn rfc7208_suite() {
    let mut passed = 0;
    let mut failures = Vec::new();
    for document in serde_yaml::Deserializer::from_str(SUITE) {
        let section = Value::deserialize(document).expect("YAML");
        let description = text(&section["description"]);
        let zone = load_zone(&section["zonedata"]);
        let Value::Mapping(tests) = &section["tests"] else {
            panic!("tests")
        };
        for (name, test) in tests {
            let name = text(name);
            let ip: IpAddr = text(&test["host"])
                .parse::<std::net::IpAddr>()
                .expect("host IP");
            let input = SpfInput {
                ip,
                sender: text(&test["mailfrom"]),
                helo: text(&test["helo"]),
                domain: None,
                receiver: "unknown".to_owned(),
                timestamp: 0,
            };
            let expected: Vec<SpfResult> = match &test["result"] {
                Value::Sequence(items) => items
                    .iter()
                    .map(|v| SpfResult::parse(&text(v)).unwrap())
                    .collect(),
                other => vec![SpfResult::parse(&text(other)).unwrap()],
            };
            let (outcome, _) = zone.run(&[], 200, AnswerCache::new(), |cache| {
                evaluate(&input, cache)
            });
            let mut ok = expected.contains(&outcome.result);
            if let Some(explanation) = test.get("explanation").map(text) {
                let got = outcome.explanation.clone();
                // "DEFAULT" means the receiver's own text: the domain supplied none.
                let explanation_ok = if explanation == "DEFAULT" {
                    got.is_none()
                } else {
                    got.as_deref()
                        .is_some_and(|g| g.eq_ignore_ascii_case(&explanation))
                };
                ok &= explanation_ok || outcome.result != SpfResult::Fail;
                if !explanation_ok && outcome.result == SpfResult::Fail {
                    failures.push(format!(
                        "{description} / {name}: explanation {got:?}, expected {explanation:?}"
                    ));
                    continue;
                }
            }
            if ok {
                passed += 1;
            } else {
                failures.push(format!(
                    "{description} / {name}: got {} ({:?}), expected {expected:?}",
                    outcome.result,
                    outcome.reason.map(|r| r.code.as_str())
                ));
            }
        }
    }
    let total = passed + failures.len();
    println!("RFC 7208 suite: {passed}/{total} passed");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(total, 203, "the suite has 203 cases");
}

use serde::Deserialize as _;
