//! The DNS model the engine speaks: queries it asks, answers a driver supplies.
//!
//! The core never touches the network. It names the [`Query`] it needs; whoever drives it
//! (CLI, worker, browser, test) answers with an [`Answer`]. TXT rdata keeps its
//! character-strings apart so that the join of RFC 7208 §3.3 happens knowingly in the SPF code.

pub mod name;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The record types the checks ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordType {
    /// IPv4 address (RFC 1035 §3.4.1).
    A,
    /// IPv6 address (RFC 3596 §2).
    Aaaa,
    /// Mail exchanger (RFC 1035 §3.3.9, RFC 5321 §5.1).
    Mx,
    /// Text strings (RFC 1035 §3.3.14): where SPF, DKIM, DMARC and the other policies live.
    Txt,
    /// Domain name pointer (RFC 1035 §3.3.12), for reverse lookups.
    Ptr,
    /// Alias (RFC 1035 §3.3.1).
    Cname,
    /// Authoritative name server (RFC 1035 §3.3.11).
    Ns,
    /// Start of a zone of authority (RFC 1035 §3.3.13).
    Soa,
    /// Service location (RFC 2782): where mail submission runs (RFC 6186).
    Srv,
}

impl RecordType {
    /// The IANA type code (RFC 1035 §3.2.2, RFC 3596 for AAAA).
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => 1,
            RecordType::Ns => 2,
            RecordType::Cname => 5,
            RecordType::Soa => 6,
            RecordType::Ptr => 12,
            RecordType::Mx => 15,
            RecordType::Txt => 16,
            RecordType::Aaaa => 28,
            RecordType::Srv => 33,
        }
    }

    /// The type for an IANA type code, if the checks know it.
    pub fn from_code(code: u16) -> Option<Self> {
        Some(match code {
            1 => RecordType::A,
            2 => RecordType::Ns,
            5 => RecordType::Cname,
            6 => RecordType::Soa,
            12 => RecordType::Ptr,
            15 => RecordType::Mx,
            16 => RecordType::Txt,
            28 => RecordType::Aaaa,
            33 => RecordType::Srv,
            _ => return None,
        })
    }

    /// The mnemonic, as in zone files.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Mx => "MX",
            RecordType::Txt => "TXT",
            RecordType::Ptr => "PTR",
            RecordType::Cname => "CNAME",
            RecordType::Ns => "NS",
            RecordType::Soa => "SOA",
            RecordType::Srv => "SRV",
        }
    }

    /// Parses a mnemonic, case-insensitively.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_uppercase().as_str() {
            "A" => RecordType::A,
            "AAAA" => RecordType::Aaaa,
            "MX" => RecordType::Mx,
            "TXT" => RecordType::Txt,
            "PTR" => RecordType::Ptr,
            "CNAME" => RecordType::Cname,
            "NS" => RecordType::Ns,
            "SOA" => RecordType::Soa,
            "SRV" => RecordType::Srv,
            _ => return None,
        })
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One question: a name and a type. Names are kept lowercase, without the trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Query {
    /// The name asked about, lowercase, without the trailing dot.
    pub name: String,
    /// The record type asked for.
    #[serde(rename = "type")]
    pub record_type: RecordType,
}

impl Query {
    /// A query for `name` (normalised: lowercase, trailing dot removed).
    pub fn new(name: &str, record_type: RecordType) -> Self {
        Query {
            name: normalize_name(name),
            record_type,
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.record_type)
    }
}

/// Lowercases a name and strips one trailing dot; DNS names compare case-insensitively
/// (RFC 4343).
pub fn normalize_name(name: &str) -> String {
    let name = name.strip_suffix('.').unwrap_or(name);
    name.to_ascii_lowercase()
}

/// The answers a check reads and the queries it found missing: the one "read it, or note that
/// it is needed" of every check. A check reads what the cache holds, names everything else it
/// needs in the same pass (so the driver can send them together), and is run again once they are
/// answered — the sans-IO loop of this crate.
#[derive(Debug)]
pub struct Lookups<'a> {
    cache: &'a AnswerCache,
    missing: Vec<Query>,
}

impl<'a> Lookups<'a> {
    /// Lookups that read `cache` and have noted nothing missing yet.
    pub fn new(cache: &'a AnswerCache) -> Self {
        Lookups {
            cache,
            missing: Vec::new(),
        }
    }

    /// The cached answer to `query`, or `None` after noting it as missing (once).
    pub fn get(&mut self, query: Query) -> Option<&'a Answer> {
        let answer = self.cache.get(&query);
        if answer.is_none() {
            self.note(query);
        }
        answer
    }

    /// [`Lookups::get`] for the TXT records at `name`.
    pub fn txt(&mut self, name: &str) -> Option<&'a Answer> {
        self.get(Query::new(name, RecordType::Txt))
    }

    /// Notes `query` as needed without reading it. A check's missing list is short (its
    /// queries are bounded by the RFCs' limits and the report's caps), so a list is enough.
    pub fn note(&mut self, query: Query) {
        if !self.missing.contains(&query) {
            self.missing.push(query);
        }
    }

    /// The cache, to peek at an answer without asking for it when it is absent.
    pub fn cache(&self) -> &'a AnswerCache {
        self.cache
    }

    /// Whether every query read so far was answered.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// The queries still needed, in the order they were first read.
    pub fn into_missing(self) -> Vec<Query> {
        self.missing
    }
}

/// A TXT record's character-strings joined without separators, the way every record that spans
/// several strings is read: SPF (RFC 7208 §3.3), DKIM (RFC 6376 §3.6.2.2), DMARC (RFC 9989
/// §4.5), and MTA-STS, TLS-RPT and BIMI, which adopt RFC 7208's rule (RFC 8461 §3.1, RFC 8460
/// §3). SPF keeps where each string ended as well (`spf::parse::join_strings`).
pub fn join_txt(strings: &[Vec<u8>]) -> Vec<u8> {
    strings.concat()
}

/// [`join_txt`] as text: bytes that are not UTF-8 become U+FFFD, which the parsers then flag.
pub fn join_txt_lossy(strings: &[Vec<u8>]) -> String {
    String::from_utf8_lossy(&join_txt(strings)).into_owned()
}

/// The data of one resource record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum RecordData {
    /// An IPv4 address.
    A(Ipv4Addr),
    /// An IPv6 address.
    #[serde(rename = "AAAA")]
    Aaaa(Ipv6Addr),
    /// A mail exchanger (RFC 1035 §3.3.9).
    #[serde(rename = "MX")]
    Mx {
        /// Lower is preferred (RFC 5321 §5.1).
        preference: u16,
        /// The mail server's host name.
        exchange: String,
    },
    /// The character-strings of one TXT record, unjoined, as bytes (RFC 1035 §3.3.14).
    #[serde(rename = "TXT", with = "txt_strings")]
    Txt(Vec<Vec<u8>>),
    /// The name an address points to (RFC 1035 §3.3.12).
    #[serde(rename = "PTR")]
    Ptr(String),
    /// The canonical name the owner is an alias of (RFC 1035 §3.3.1).
    #[serde(rename = "CNAME")]
    Cname(String),
    /// A name server of the zone (RFC 1035 §3.3.11).
    #[serde(rename = "NS")]
    Ns(String),
    /// A service location (RFC 2782).
    #[serde(rename = "SRV")]
    Srv {
        /// Lower is tried first.
        priority: u16,
        /// Among records of one priority, the share of the load.
        weight: u16,
        /// The port the service runs on.
        port: u16,
        /// The host name; `.` alone means the service is not offered (RFC 2782).
        target: String,
    },
    /// Any other type, kept as its code so that nothing is silently dropped.
    #[serde(rename = "OTHER")]
    Other {
        /// The IANA type code.
        type_code: u16,
    },
}

impl RecordData {
    /// The type of this record's data, where the model knows it.
    pub fn record_type(&self) -> Option<RecordType> {
        Some(match self {
            RecordData::A(_) => RecordType::A,
            RecordData::Aaaa(_) => RecordType::Aaaa,
            RecordData::Mx { .. } => RecordType::Mx,
            RecordData::Txt(_) => RecordType::Txt,
            RecordData::Ptr(_) => RecordType::Ptr,
            RecordData::Cname(_) => RecordType::Cname,
            RecordData::Ns(_) => RecordType::Ns,
            RecordData::Srv { .. } => RecordType::Srv,
            RecordData::Other { type_code } => return RecordType::from_code(*type_code),
        })
    }
}

/// TXT strings travel as JSON strings when they are UTF-8 and as byte arrays otherwise,
/// so a snapshot stays readable and still loses nothing.
mod txt_strings {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Piece {
        Text(String),
        Bytes(Vec<u8>),
    }

    pub(super) fn serialize<S: Serializer>(
        strings: &[Vec<u8>],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let pieces: Vec<Piece> = strings
            .iter()
            .map(|s| match std::str::from_utf8(s) {
                Ok(text) => Piece::Text(text.to_owned()),
                Err(_) => Piece::Bytes(s.clone()),
            })
            .collect();
        pieces.serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Vec<u8>>, D::Error> {
        let pieces = Vec::<Piece>::deserialize(deserializer)?;
        Ok(pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(text) => text.into_bytes(),
                Piece::Bytes(bytes) => bytes,
            })
            .collect())
    }
}

/// Why a lookup gave no usable answer. None of these means "the record does not exist".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Failure {
    /// RCODE 2 (RFC 1035 §4.1.1).
    Servfail,
    /// RCODE 5.
    Refused,
    /// No answer within the driver's time limit (after its retry).
    Timeout,
    /// Anything else: a malformed response, a transport error, an unexpected RCODE.
    Error,
}

impl Failure {
    /// The word traces show: the RCODE's mnemonic (`SERVFAIL`, `REFUSED`), `timeout` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Failure::Servfail => "SERVFAIL",
            Failure::Refused => "REFUSED",
            Failure::Timeout => "timeout",
            Failure::Error => "error",
        }
    }
}

/// What came back for one [`Query`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Answer {
    /// NOERROR with records of the asked type. CNAMEs followed by the resolver are not
    /// listed, except in front of the addresses of an A or AAAA answer (the alias chain, so an
    /// alias is known without a CNAME query); `authenticated` is the AD bit (RFC 4035 §3.2.3)
    /// of the response.
    Records {
        /// The records, in the order the response listed them.
        records: Vec<RecordData>,
        /// The AD bit: the resolver validated the answer with DNSSEC (RFC 4035 §3.2.3).
        #[serde(default)]
        authenticated: bool,
    },
    /// RCODE 3: the name does not exist.
    Nxdomain,
    /// NOERROR with no records of the asked type.
    Nodata,
    /// The lookup failed: "could not verify", never "missing".
    Failed {
        /// How it failed.
        failure: Failure,
    },
}

impl Answer {
    /// An answer with these records (or NODATA when there are none).
    pub fn records(records: Vec<RecordData>) -> Self {
        if records.is_empty() {
            Answer::Nodata
        } else {
            Answer::Records {
                records,
                authenticated: false,
            }
        }
    }

    /// A failed lookup.
    pub fn failed(failure: Failure) -> Self {
        Answer::Failed { failure }
    }

    /// The records, empty for NXDOMAIN, NODATA and failures.
    pub fn record_data(&self) -> &[RecordData] {
        match self {
            Answer::Records { records, .. } => records,
            _ => &[],
        }
    }

    /// True for NXDOMAIN and for NOERROR without records: a "void lookup" (RFC 7208 §4.6.4).
    pub fn is_void(&self) -> bool {
        match self {
            Answer::Nxdomain | Answer::Nodata => true,
            Answer::Records { records, .. } => records.is_empty(),
            Answer::Failed { .. } => false,
        }
    }

    /// The failure, if the lookup failed.
    pub fn failure(&self) -> Option<Failure> {
        match self {
            Answer::Failed { failure } => Some(*failure),
            _ => None,
        }
    }

    /// A short, language-neutral summary for traces: `NXDOMAIN`, `NODATA`, `SERVFAIL`, or the
    /// records.
    pub fn summary(&self) -> String {
        match self {
            Answer::Nxdomain => "NXDOMAIN".to_owned(),
            Answer::Nodata => "NODATA".to_owned(),
            Answer::Failed { failure } => failure.as_str().to_owned(),
            Answer::Records { records, .. } => {
                let parts: Vec<String> = records.iter().map(summarize_record).collect();
                parts.join(", ")
            }
        }
    }
}

fn summarize_record(record: &RecordData) -> String {
    match record {
        RecordData::A(ip) => ip.to_string(),
        RecordData::Aaaa(ip) => ip.to_string(),
        RecordData::Mx {
            preference,
            exchange,
        } => format!("{preference} {exchange}"),
        RecordData::Txt(strings) => {
            let parts: Vec<String> = strings
                .iter()
                .map(|s| format!("\"{}\"", String::from_utf8_lossy(s)))
                .collect();
            parts.join(" ")
        }
        RecordData::Ptr(name) | RecordData::Cname(name) | RecordData::Ns(name) => name.clone(),
        RecordData::Srv {
            priority,
            weight,
            port,
            target,
        } => format!("{priority} {weight} {port} {target}"),
        RecordData::Other { type_code } => format!("TYPE{type_code}"),
    }
}

/// Answers collected so far, keyed by query. Drivers fill it; state machines read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerCache {
    #[serde(with = "cache_entries")]
    entries: std::collections::BTreeMap<Query, Answer>,
}

/// A snapshot is JSON, whose object keys are strings: the cache travels as a list of
/// `{ "query": …, "answer": … }` entries.
mod cache_entries {
    use super::{Answer, Query};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    #[derive(Serialize, Deserialize)]
    struct Entry<Q, A> {
        query: Q,
        answer: A,
    }

    pub(super) fn serialize<S: Serializer>(
        entries: &BTreeMap<Query, Answer>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            entries
                .iter()
                .map(|(query, answer)| Entry { query, answer }),
        )
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<Query, Answer>, D::Error> {
        let entries = Vec::<Entry<Query, Answer>>::deserialize(deserializer)?;
        Ok(entries
            .into_iter()
            .map(|entry| (entry.query, entry.answer))
            .collect())
    }
}

impl AnswerCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The answer stored for `query`, if any.
    pub fn get(&self, query: &Query) -> Option<&Answer> {
        self.entries.get(query)
    }

    /// Stores an answer; the first answer for a query wins, so replays stay deterministic.
    pub fn insert(&mut self, query: Query, answer: Answer) {
        self.entries.entry(query).or_insert(answer);
    }

    /// The number of queries answered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no query has been answered yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every query with its answer, in query order.
    pub fn iter(&self) -> impl Iterator<Item = (&Query, &Answer)> {
        self.entries.iter()
    }
}
