//! An in-memory zone that answers the core's queries the way the RFC 7208 suite's drivers do.

use postcheck_core::dns::{
    Answer, AnswerCache, Failure, Query, RecordData, RecordType, normalize_name,
};
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

    /// Runs a check to completion on this zone: the check reads the answers so far and names
    /// what it still needs (`Err(queries)`, the core's vocabulary); each round answers those
    /// from the zone, or from `overrides` where one is given. Asserts that every round asks
    /// something, never asks a query twice, and that the check converges within `max_rounds`.
    /// Returns the result and the queries of each round.
    pub fn run<T>(
        &self,
        overrides: &[(Query, Answer)],
        max_rounds: usize,
        mut cache: AnswerCache,
        mut check: impl FnMut(&AnswerCache) -> Result<T, Vec<Query>>,
    ) -> (T, Vec<Vec<Query>>) {
        let mut rounds = Vec::new();
        loop {
            match check(&cache) {
                Ok(value) => return (value, rounds),
                Err(queries) => {
                    assert!(!queries.is_empty(), "Err with no query");
                    assert!(rounds.len() < max_rounds, "the check does not converge");
                    for query in &queries {
                        assert!(cache.get(query).is_none(), "{query} asked again");
                        let answer = overrides
                            .iter()
                            .find(|(q, _)| q == query)
                            .map(|(_, a)| a.clone())
                            .unwrap_or_else(|| self.answer(query));
                        cache.insert(query.clone(), answer);
                    }
                    rounds.push(queries);
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
