//! An in-memory zone that answers the core's queries the way the RFC 7208 suite's drivers do.

use postcheck_core::dns::{Answer, Failure, Query, RecordData, RecordType, Step, normalize_name};
use std::collections::BTreeMap;

/// Records by name; `timeout` names answer every query for which they hold no record with a
/// timeout (the suite's `TIMEOUT` entry).
#[derive(Debug, Default)]
pub struct Zone {
    pub records: BTreeMap<String, Vec<RecordData>>,
    pub timeout: Vec<String>,
    /// Names that exist with no records (a `TXT: NONE` entry, say).
    pub present: Vec<String>,
}

impl Zone {
    pub fn answer(&self, query: &Query) -> Answer {
        self.answer_depth(&query.name, query.record_type, 0)
    }

    fn answer_depth(&self, name: &str, record_type: RecordType, depth: usize) -> Answer {
        let name = normalize_name(name);
        if depth > 8 {
            return Answer::failed(Failure::Servfail);
        }
        let records = self.records.get(&name);
        let matching: Vec<RecordData> = records
            .map(|all| {
                all.iter()
                    .filter(|r| r.record_type() == Some(record_type))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if !matching.is_empty() {
            return Answer::records(matching);
        }
        if record_type != RecordType::Cname
            && let Some(target) = records.and_then(|all| {
                all.iter().find_map(|r| match r {
                    RecordData::Cname(target) => Some(target.clone()),
                    _ => None,
                })
            })
        {
            // As the wire decoder does: an address answer reached through aliases starts with
            // the chain's CNAME records.
            return match self.answer_depth(&target, record_type, depth + 1) {
                Answer::Records {
                    mut records,
                    authenticated,
                } if matches!(record_type, RecordType::A | RecordType::Aaaa) => {
                    records.insert(0, RecordData::Cname(normalize_name(&target)));
                    Answer::Records {
                        records,
                        authenticated,
                    }
                }
                answer => answer,
            };
        }
        if self.timeout.contains(&name) {
            return Answer::failed(Failure::Timeout);
        }
        if records.is_some() || self.present.contains(&name) {
            Answer::Nodata
        } else {
            Answer::Nxdomain
        }
    }

    /// Drives a state machine to completion on this zone, counting round trips.
    pub fn drive<T>(
        &self,
        mut step: impl FnMut() -> Step<T>,
        mut supply: impl FnMut(Query, Answer),
    ) -> (T, usize) {
        let mut rounds = 0;
        loop {
            match step() {
                Step::Done(value) => return (value, rounds),
                Step::NeedAnswers(queries) => {
                    rounds += 1;
                    assert!(rounds < 200, "the state machine does not converge");
                    assert!(!queries.is_empty(), "NeedAnswers with no query");
                    for query in queries {
                        let answer = self.answer(&query);
                        supply(query, answer);
                    }
                }
            }
        }
    }
}

impl Zone {
    /// A zone from `(name, type, data)` rows; TXT data is split into strings on `" "` between
    /// double quotes when it is quoted (`"a" "b"`), MX data is `preference host`.
    pub fn from_rows(rows: &[(&str, &str, &str)]) -> Zone {
        let mut zone = Zone::default();
        for (name, kind, data) in rows {
            let record = match *kind {
                "TXT" => {
                    let strings = if data.starts_with('"') {
                        data.trim_matches('"')
                            .split("\" \"")
                            .map(|s| s.as_bytes().to_vec())
                            .collect()
                    } else {
                        vec![data.as_bytes().to_vec()]
                    };
                    RecordData::Txt(strings)
                }
                "A" => RecordData::A(data.parse().expect("A")),
                "AAAA" => RecordData::Aaaa(data.parse().expect("AAAA")),
                "MX" => {
                    let (preference, exchange) = data.split_once(' ').expect("MX");
                    RecordData::Mx {
                        preference: preference.parse().expect("preference"),
                        exchange: exchange.to_owned(),
                    }
                }
                "PTR" => RecordData::Ptr(data.to_string()),
                "CNAME" => RecordData::Cname(data.to_string()),
                "TIMEOUT" => {
                    zone.timeout.push(name.to_string());
                    continue;
                }
                other => panic!("unknown type {other}"),
            };
            zone.records
                .entry(normalize_name(name))
                .or_default()
                .push(record);
        }
        zone
    }
}
