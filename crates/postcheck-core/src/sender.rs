//! The sending server, per IP address: reverse DNS (PTR, forward-confirmed), whether its name
//! looks like a dynamic access pool, and the DNS blocklists (RFC 5782) it is on.
//!
//! [`check_sender`] is a pure function of an [`AnswerCache`]: the PTR query and every
//! blocklist query go out together; then, in a second round, the forward lookups of the PTR
//! names and the TXT reason of each list that lists the address.

use crate::dns::Lookups;
use crate::dns::name::is_queryable_name;
use crate::dns::name::{dnsbl_key, registered_label_count, reverse_name};
use crate::dns::{Answer, AnswerCache, Query, RecordData, RecordType, normalize_name};
use crate::findings::{Code, Finding};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The PTR names that are looked up forward, as RFC 7208 §5.5 bounds the `ptr` mechanism.
pub const PTR_NAME_LIMIT: usize = 10;

/// The blocklists checked when the caller names none: widely used by receivers and free for
/// low-volume queries.
pub const DEFAULT_DNSBLS: &[&str] = &[
    "zen.spamhaus.org",
    "bl.spamcop.net",
    "b.barracudacentral.org",
    "psbl.surriel.com",
    "bl.mailspike.net",
];

/// A listing reason (TXT) longer than this is cut, so that a list cannot flood the report.
const REASON_LIMIT: usize = 300;

/// Which blocklists to ask, and how.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsblConfig {
    /// The list zones (`zen.spamhaus.org`, …), asked in this order.
    pub lists: Vec<String>,
    /// A Spamhaus Data Query Service key. With it, the Spamhaus zones (`zen.spamhaus.org`, …)
    /// are asked as `<key>.zen.dq.spamhaus.net`: Spamhaus refuses queries that come through
    /// public resolvers (answer 127.255.255.254), DQS answers them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spamhaus_dqs_key: Option<String>,
    /// Lists left out of `lists` and not asked, each reported once per report
    /// ([`DnsblConfig::skipped_finding`]). So far the one reason is that a list refuses the
    /// resolver the queries would go through: Spamhaus and public resolvers
    /// ([`DnsblConfig::without_spamhaus_for_public_resolvers`]). Never serialized when empty,
    /// so snapshots signed before the field existed keep their canonical JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

impl Default for DnsblConfig {
    fn default() -> Self {
        DnsblConfig {
            lists: DEFAULT_DNSBLS
                .iter()
                .map(|list| (*list).to_owned())
                .collect(),
            spamhaus_dqs_key: None,
            skipped: Vec::new(),
        }
    }
}

/// The key is an account secret: debug output shows only whether there is one.
impl fmt::Debug for DnsblConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DnsblConfig")
            .field("lists", &self.lists)
            .field(
                "spamhaus_dqs_key",
                &self.spamhaus_dqs_key.as_ref().map(|_| "<redacted>"),
            )
            .field("skipped", &self.skipped)
            .finish()
    }
}

impl DnsblConfig {
    /// The lists, normalized (lowercase, no trailing dot), without empty names and repeats.
    pub fn normalized_lists(&self) -> Vec<String> {
        let mut lists: Vec<String> = Vec::new();
        for list in &self.lists {
            let list = normalize_name(list.trim());
            if !list.is_empty() && !lists.contains(&list) {
                lists.push(list);
            }
        }
        lists
    }

    /// The configuration for a driver whose queries reach the lists through a public resolver
    /// (the worker's DoH upstreams): Spamhaus refuses those (it answers 127.255.255.254, which
    /// says nothing about the address), so without a Data Query Service key its zones move from
    /// `lists` to `skipped`. With a key they stay: [`DnsblConfig::query_zone`] asks DQS, which
    /// answers through any resolver.
    pub fn without_spamhaus_for_public_resolvers(mut self) -> Self {
        if self.dqs_key().is_some() {
            return self;
        }
        let (spamhaus, others): (Vec<String>, Vec<String>) = self
            .lists
            .into_iter()
            .partition(|list| is_spamhaus_zone(list));
        self.lists = others;
        for list in spamhaus {
            let list = normalize_name(list.trim());
            if !self.skipped.contains(&list) {
                self.skipped.push(list);
            }
        }
        self
    }

    /// The lists that were left out and not asked after all: `skipped` without the lists that
    /// are asked, each once; only names that can be DNS names (the field comes from the
    /// request, and its entries end up in a finding).
    pub fn skipped_lists(&self) -> Vec<String> {
        let asked = self.normalized_lists();
        let mut skipped: Vec<String> = Vec::new();
        for list in &self.skipped {
            let list = normalize_name(list.trim());
            if is_queryable_name(&list, true) && !asked.contains(&list) && !skipped.contains(&list)
            {
                skipped.push(list);
            }
        }
        skipped
    }

    /// The one finding about the lists left out (`dnsbl-skipped`), or `None` when none was. It
    /// belongs to the report, not to one sending IP: the planner adds it once when it checked
    /// any sending IP.
    pub fn skipped_finding(&self) -> Option<Finding> {
        let skipped = self.skipped_lists();
        if skipped.is_empty() {
            return None;
        }
        let reason = if skipped.iter().all(|list| is_spamhaus_zone(list)) {
            "public-resolver"
        } else {
            "configured"
        };
        Some(
            Finding::new(Code::DnsblSkipped)
                .with("lists", skipped.join(", "))
                .with("count", skipped.len())
                .with("reason", reason),
        )
    }

    /// The Data Query Service key, when one is set.
    fn dqs_key(&self) -> Option<&str> {
        self.spamhaus_dqs_key
            .as_deref()
            .map(str::trim)
            .filter(|key| !key.is_empty())
    }

    /// The zone to query for `list`: the list itself, or its Data Query Service zone when a
    /// Spamhaus key is set (`zen.spamhaus.org` → `<key>.zen.dq.spamhaus.net`).
    pub fn query_zone(&self, list: &str) -> String {
        let list = normalize_name(list);
        match (self.dqs_key(), list.strip_suffix(".spamhaus.org")) {
            (Some(key), Some(zone)) if !zone.is_empty() && !zone.contains('.') => {
                format!("{}.{zone}.dq.spamhaus.net", key.to_ascii_lowercase())
            }
            _ => list,
        }
    }

    /// The name of the A query that asks `list` about `ip` (RFC 5782 §2.1, §2.4).
    pub fn query_name(&self, list: &str, ip: IpAddr) -> String {
        format!("{}.{}", dnsbl_key(ip), self.query_zone(list))
    }
}

/// Whether a list zone is one of Spamhaus's public ones (`zen.spamhaus.org`, `sbl.`, `xbl.`,
/// `pbl.`, `dbl.spamhaus.org`, …): anything at or under `spamhaus.org`.
pub fn is_spamhaus_zone(list: &str) -> bool {
    let list = normalize_name(list.trim());
    list == "spamhaus.org" || list.ends_with(".spamhaus.org")
}

/// What the PTR lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PtrStatus {
    /// One or more PTR names.
    Found,
    /// No PTR record (NXDOMAIN or NODATA).
    Missing,
    /// The lookup failed: could not verify.
    Failed,
}

/// What the forward lookup of one PTR name found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardStatus {
    /// The name has the sending IP among its addresses: forward-confirmed.
    Confirmed,
    /// The name has addresses, but not the sending IP.
    OtherAddresses,
    /// The name has no address of the IP's family (NXDOMAIN or NODATA).
    NoAddress,
    /// The lookup failed: could not verify.
    Failed,
    /// Not a name that can be looked up.
    InvalidName,
}

/// The forward lookup (A for IPv4, AAAA for IPv6) of one PTR name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardLookup {
    /// The PTR name looked up.
    pub name: String,
    /// What the lookup found.
    pub status: ForwardStatus,
    /// The addresses it answered, of the IP's family.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<IpAddr>,
}

/// What one blocklist said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DnsblStatus {
    /// NXDOMAIN (or no A record): not listed.
    NotListed,
    /// An answer in 127.0.0.0/8 that is a listing code.
    Listed,
    /// The list refused the query, answered outside 127.0.0.0/8, or the lookup failed.
    Unavailable,
}

/// One blocklist's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsblResult {
    /// The list as configured (`zen.spamhaus.org`, also when asked through DQS).
    pub list: String,
    /// Whether the list lists the address.
    pub status: DnsblStatus,
    /// The A records it answered (`127.0.0.2`, …), or the failure (`SERVFAIL`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// The list's TXT text for a listing, usually where to ask for removal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The sending-server part of the report, for one IP address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderSection {
    /// The sending server's address.
    pub ip: IpAddr,
    /// The name of the PTR query (`10.2.0.192.in-addr.arpa`).
    pub reverse_name: String,
    /// What the PTR lookup found (RFC 1035 §3.5, RFC 3596 §2.5).
    pub ptr_status: PtrStatus,
    /// The PTR names, as answered (lowercase, no trailing dot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ptr_names: Vec<String>,
    /// The forward lookups of the first [`PTR_NAME_LIMIT`] PTR names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forward: Vec<ForwardLookup>,
    /// The first PTR name that resolves back to the IP (forward-confirmed reverse DNS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fcrdns_name: Option<String>,
    /// Whether the server's name looks like a dynamic or residential address pool.
    pub generic: bool,
    /// What made it look so: the IP written into the name (`192-0-2-10`) or a word (`dyn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generic_token: Option<String>,
    /// One answer per blocklist checked, in the order of the lists.
    pub dnsbl: Vec<DnsblResult>,
    /// Every finding about the server: reverse DNS, its name, the blocklists.
    pub findings: Vec<Finding>,
}

/// Checks the sending server `ip` on the answers in `cache`, or names every query still needed.
pub fn check_sender(
    ip: IpAddr,
    config: &DnsblConfig,
    cache: &AnswerCache,
) -> Result<SenderSection, Vec<Query>> {
    // An IPv4-mapped IPv6 address is the IPv4 sender.
    let ip = ip.to_canonical();
    let mut check = Lookups::new(cache);
    let mut section = SenderSection {
        ip,
        reverse_name: reverse_name(ip),
        ptr_status: PtrStatus::Missing,
        ptr_names: Vec::new(),
        forward: Vec::new(),
        fcrdns_name: None,
        generic: false,
        generic_token: None,
        dnsbl: Vec::new(),
        findings: Vec::new(),
    };

    // Round 1: the PTR query and every list's A query.
    let ptr_answer = check
        .get(Query::new(&section.reverse_name, RecordType::Ptr))
        .cloned();
    let lists = config.normalized_lists();
    let list_answers: Vec<Option<Answer>> = lists
        .iter()
        .map(|list| {
            check
                .get(Query::new(&config.query_name(list, ip), RecordType::A))
                .cloned()
        })
        .collect();
    let Some(ptr_answer) = ptr_answer else {
        return Err(check.into_missing());
    };
    let Some(list_answers) = list_answers.into_iter().collect::<Option<Vec<Answer>>>() else {
        return Err(check.into_missing());
    };

    // Round 2: forward lookups and listing reasons.
    reverse_dns(&mut check, &mut section, &ptr_answer);
    for (list, answer) in lists.iter().zip(&list_answers) {
        let mut result = classify_dnsbl(list, answer);
        if result.status == DnsblStatus::Listed {
            let txt = Query::new(&config.query_name(list, ip), RecordType::Txt);
            if let Some(answer) = check.get(txt) {
                result.reason = listing_reason(answer);
            }
        }
        section.dnsbl.push(result);
    }
    if !check.is_complete() {
        return Err(check.into_missing());
    }
    dnsbl_findings(&mut section);
    Ok(section)
}

/// PTR, FCrDNS and the generic-name heuristic.
fn reverse_dns(check: &mut Lookups<'_>, section: &mut SenderSection, ptr_answer: &Answer) {
    let ip = section.ip;
    match ptr_answer {
        Answer::Failed { failure } => {
            // Could not verify: never "missing".
            section.ptr_status = PtrStatus::Failed;
            section.findings.push(
                Finding::new(Code::PtrDnsError)
                    .with("ip", ip)
                    .with("query", Query::new(&section.reverse_name, RecordType::Ptr))
                    .with("failure", failure.as_str()),
            );
            return;
        }
        answer => {
            section.ptr_names = answer
                .record_data()
                .iter()
                .filter_map(|record| match record {
                    RecordData::Ptr(name) => Some(normalize_name(name)),
                    _ => None,
                })
                .collect();
            let mut seen: Vec<String> = Vec::new();
            section.ptr_names.retain(|name| {
                let new = !seen.contains(name);
                if new {
                    seen.push(name.clone());
                }
                new
            });
        }
    }
    if section.ptr_names.is_empty() {
        // RFC 1912 §2.1: every host that connects should have a PTR; receivers reject or
        // score down mail from addresses without one.
        section.ptr_status = PtrStatus::Missing;
        section
            .findings
            .push(Finding::new(Code::PtrMissing).with("ip", ip));
        return;
    }
    section.ptr_status = PtrStatus::Found;

    let address_type = match ip {
        IpAddr::V4(_) => RecordType::A,
        IpAddr::V6(_) => RecordType::Aaaa,
    };
    let mut complete = true;
    let names: Vec<String> = section
        .ptr_names
        .iter()
        .take(PTR_NAME_LIMIT)
        .cloned()
        .collect();
    for name in names {
        if !is_queryable_name(&name, false) {
            section.forward.push(ForwardLookup {
                name,
                status: ForwardStatus::InvalidName,
                addresses: Vec::new(),
            });
            continue;
        }
        let Some(answer) = check.get(Query::new(&name, address_type)) else {
            complete = false;
            continue;
        };
        let addresses: Vec<IpAddr> = answer
            .record_data()
            .iter()
            .filter_map(|record| match record {
                RecordData::A(v4) => Some(IpAddr::V4(*v4)),
                RecordData::Aaaa(v6) => Some(IpAddr::V6(*v6)),
                _ => None,
            })
            .collect();
        let status = if answer.failure().is_some() {
            ForwardStatus::Failed
        } else if addresses.contains(&ip) {
            ForwardStatus::Confirmed
        } else if addresses.is_empty() {
            ForwardStatus::NoAddress
        } else {
            ForwardStatus::OtherAddresses
        };
        section.forward.push(ForwardLookup {
            name,
            status,
            addresses,
        });
    }
    if !complete {
        return;
    }

    // FCrDNS (RFC 8601 §3, "iprev"): a PTR name whose addresses include the IP.
    section.fcrdns_name = section
        .forward
        .iter()
        .find(|lookup| lookup.status == ForwardStatus::Confirmed)
        .map(|lookup| lookup.name.clone());
    let first = &section.forward[0];
    if let Some(name) = &section.fcrdns_name {
        section
            .findings
            .push(Finding::new(Code::PtrOk).with("ip", ip).with("name", name));
    } else if section
        .forward
        .iter()
        .all(|lookup| lookup.status != ForwardStatus::Failed)
    {
        // Only when every name was looked up: a failed lookup could have confirmed it.
        let addresses: Vec<String> = first.addresses.iter().map(IpAddr::to_string).collect();
        let mut finding = Finding::new(Code::PtrMismatch)
            .with("ip", ip)
            .with("name", &first.name)
            .with("record", address_type);
        if !addresses.is_empty() {
            finding = finding.with("addresses", addresses.join(", "));
        }
        section.findings.push(finding);
    }

    let name = section
        .fcrdns_name
        .clone()
        .unwrap_or_else(|| section.ptr_names[0].clone());
    if let Some(token) = generic_token(&name, ip) {
        section.generic = true;
        section.findings.push(
            Finding::new(Code::PtrGeneric)
                .with("ip", ip)
                .with("name", &name)
                .with("token", &token),
        );
        section.generic_token = Some(token);
    }
}

/// Whether an A answer is a refusal rather than a listing. Spamhaus answers 127.255.255.252
/// (query to a mistyped zone), .254 (query through a public resolver) and .255 (too many
/// queries); no list uses 127.255.255.0/24 for listings. Lists such as URIBL answer 127.0.0.1
/// to refuse, and RFC 5782 §5 keeps 127.0.0.1 for "not listed" tests: it is no listing either.
pub fn is_refusal_code(answer: Ipv4Addr) -> bool {
    let [a, b, c, _] = answer.octets();
    (a, b, c) == (127, 255, 255) || answer == Ipv4Addr::new(127, 0, 0, 1)
}

fn classify_dnsbl(list: &str, answer: &Answer) -> DnsblResult {
    let mut result = DnsblResult {
        list: list.to_owned(),
        status: DnsblStatus::NotListed,
        answers: Vec::new(),
        reason: None,
    };
    if let Some(failure) = answer.failure() {
        result.status = DnsblStatus::Unavailable;
        result.answers.push(failure.as_str().to_owned());
        return result;
    }
    let addresses: Vec<Ipv4Addr> = answer
        .record_data()
        .iter()
        .filter_map(|record| match record {
            RecordData::A(v4) => Some(*v4),
            _ => None,
        })
        .collect();
    if addresses.is_empty() {
        // RFC 5782 §2.1: NXDOMAIN means "not listed"; a name without an A record is not listed
        // either.
        return result;
    }
    // RFC 5782 §2.1: a listing is an A record in 127.0.0.0/8.
    let listings: Vec<Ipv4Addr> = addresses
        .iter()
        .copied()
        .filter(|answer| answer.octets()[0] == 127 && !is_refusal_code(*answer))
        .collect();
    if listings.is_empty() {
        result.status = DnsblStatus::Unavailable;
        result.answers = addresses.iter().map(Ipv4Addr::to_string).collect();
    } else {
        result.status = DnsblStatus::Listed;
        result.answers = listings.iter().map(Ipv4Addr::to_string).collect();
    }
    result
}

/// The TXT text of a listing (RFC 5782 §2.1), strings joined, cut to a sane length.
fn listing_reason(answer: &Answer) -> Option<String> {
    let mut texts: Vec<String> = Vec::new();
    for record in answer.record_data() {
        if let RecordData::Txt(strings) = record {
            let text: String = crate::dns::join_txt_lossy(strings)
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let text = text.trim().to_owned();
            if !text.is_empty() && !texts.contains(&text) {
                texts.push(text);
            }
        }
    }
    let mut reason = texts.join(" | ");
    if reason.chars().count() > REASON_LIMIT {
        reason = reason.chars().take(REASON_LIMIT).collect::<String>() + "…";
    }
    (!reason.is_empty()).then_some(reason)
}

fn dnsbl_findings(section: &mut SenderSection) {
    let ip = section.ip;
    let mut clean: Vec<&str> = Vec::new();
    for result in &section.dnsbl {
        match result.status {
            DnsblStatus::NotListed => clean.push(&result.list),
            DnsblStatus::Listed => {
                let mut finding = Finding::new(Code::DnsblListed)
                    .with("list", &result.list)
                    .with("code", result.answers.join(", "))
                    .with("ip", ip);
                if let Some(reason) = &result.reason {
                    finding = finding.with("reason", reason);
                }
                section.findings.push(finding);
            }
            DnsblStatus::Unavailable => {
                let kind = match result.answers.first().map(|a| a.parse::<Ipv4Addr>()) {
                    Some(Ok(answer)) if answer.octets()[0] == 127 => "refused",
                    Some(Ok(_)) => "unexpected",
                    _ => "failed",
                };
                section.findings.push(
                    Finding::new(Code::DnsblUnavailable)
                        .with("list", &result.list)
                        .with("answer", result.answers.join(", "))
                        .with("ip", ip)
                        .with("kind", kind),
                );
            }
        }
    }
    let listed = section
        .dnsbl
        .iter()
        .any(|result| result.status == DnsblStatus::Listed);
    if !listed && !clean.is_empty() {
        let finding = Finding::new(Code::DnsblClean)
            .with("lists", clean.join(", "))
            .with("count", clean.len())
            .with("ip", ip);
        section.findings.push(finding);
    }
}

// ---------------------------------------------------------------------------------------------
// The generic-name heuristic.
//
// Receivers distrust mail from addresses whose reverse name was made up by an access provider
// for a pool of customer lines (Spamhaus PBL policy, M3AAWG's "Best Practices for Managing SMTP
// Access" and Gmail's sender guidelines ask for a name that is not "generic"). Such names carry
// the address itself or a word for a dynamic line. Mail servers also get numbered names, so:
//
// - The address written into the name makes it generic: three or four octets in order or
//   reversed, separated by `-`, `.` or `_`, zero-padded or not (`192-0-2-10`, `10.2.0.192`,
//   `ip-088-152-023-045`); the twelve-digit zero-padded form (`192000002010`, `010002000192`);
//   the eight hex digits (`c000020a`, Deutsche Telekom's `p5dcb1a2f.dip0…`); the 32-bit number.
//   For IPv6: four or more groups in order, the whole address or the interface identifier.
// - So does a word for a dynamic or residential line anywhere left of the registered domain:
//   `dyn`, `dynamic`, `dhcp`, `pool`, `dsl`, `adsl`, `dialup`, `ppp`, `cable`, `dip`, … (a label
//   is split at `-` and `_`, trailing digits dropped: `dip0` → `dip`).
// - `cust`, `customer`, `client`, `static`, `host`, `ip` are not enough alone: `mx1.customer.
//   example` is a real mail host; with the address in the name, the address already decides.
// - A leftmost label that names a mail role (`mail`, `smtp`, `mx`, `mta`, `out`, `relay`, …)
//   outweighs both, unless that label itself holds a dynamic-line word: `mail-192-0-2-10.
//   provider.example` is a numbered mail server, as mail providers name their outbound farms
//   (`mail-wm1-f54.google.com`), and its operator chose the word. Flagging it would be a false
//   alarm for exactly the senders that did set up their reverse DNS.
// ---------------------------------------------------------------------------------------------

/// Words that mark a dynamic or residential access line.
const DYNAMIC_WORDS: &[&str] = &[
    "dyn",
    "dynamic",
    "dynip",
    "dynamicip",
    "dhcp",
    "pool",
    "pools",
    "dsl",
    "adsl",
    "vdsl",
    "xdsl",
    "sdsl",
    "dslb",
    "dialup",
    "dialin",
    "dial",
    "dip",
    "ppp",
    "pppoe",
    "pppoa",
    "cable",
    "cablemodem",
    "catv",
    "broadband",
    "residential",
];

/// Words that name a mail server's role.
const MAIL_ROLE_WORDS: &[&str] = &[
    "mail",
    "mails",
    "mailer",
    "mailout",
    "mailhost",
    "mailrelay",
    "mailgw",
    "mailgate",
    "email",
    "smtp",
    "smtpout",
    "smtps",
    "mx",
    "mxout",
    "mta",
    "mout",
    "out",
    "outbound",
    "outgoing",
    "relay",
    "post",
    "bounce",
    "bounces",
    "newsletter",
];

/// Whether a PTR name looks like a dynamic or residential pool name for `ip`.
pub fn is_generic_name(name: &str, ip: IpAddr) -> bool {
    generic_token(name, ip).is_some()
}

/// What makes a PTR name look generic for `ip` (the address as written in it, or the word), or
/// `None` when it looks like a mail server's chosen name. The rules and the reasons for them
/// are in the comment above `DYNAMIC_WORDS` in this file.
pub fn generic_token(name: &str, ip: IpAddr) -> Option<String> {
    let name = normalize_name(name);
    let ip = ip.to_canonical();
    let labels: Vec<&str> = name.split('.').filter(|l| !l.is_empty()).collect();
    let first = labels.first()?;
    let first_words = words(first);
    let first_dynamic = first_words
        .iter()
        .find(|word| DYNAMIC_WORDS.contains(&word.as_str()))
        .cloned();
    let mail_role = first_words
        .iter()
        .any(|word| MAIL_ROLE_WORDS.contains(&word.as_str()));
    if mail_role {
        return first_dynamic;
    }
    if let Some(embedded) = embedded_address(&name, ip) {
        return Some(embedded);
    }
    let host_labels = &labels[..labels.len() - registered_label_count(&labels).min(labels.len())];
    host_labels
        .iter()
        .flat_map(|label| words(label))
        .find(|word| DYNAMIC_WORDS.contains(&word.as_str()))
}

/// The words of a label: split at `-` and `_`, trailing digits dropped, empty ones skipped.
fn words(label: &str) -> Vec<String> {
    label
        .split(['-', '_'])
        .map(|part| part.trim_end_matches(|c: char| c.is_ascii_digit()))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The address as written into the name, if it is.
fn embedded_address(name: &str, ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(v4) => embedded_ipv4(name, v4),
        IpAddr::V6(v6) => embedded_ipv6(name, v6),
    }
}

/// One run of pieces: maximal stretches of bytes that satisfy `part`, joined by single separators
/// from `-._` (`:` too when `colon`). Each piece is `(start, end)`, byte offsets into the name:
/// `ec2-54-93-1-2.eu` has the digit run `2`, `54`, `93`, `1`, `2`.
fn runs(name: &str, part: impl Fn(u8) -> bool, colon: bool) -> Vec<Vec<(usize, usize)>> {
    let separator = |b: u8| matches!(b, b'-' | b'.' | b'_') || (colon && b == b':');
    let bytes = name.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !part(bytes[i]) {
            i += 1;
            continue;
        }
        let mut pieces = Vec::new();
        let mut start = i;
        loop {
            while i < bytes.len() && part(bytes[i]) {
                i += 1;
            }
            pieces.push((start, i));
            if i + 1 < bytes.len() && separator(bytes[i]) && part(bytes[i + 1]) {
                i += 1;
                start = i;
            } else {
                break;
            }
        }
        found.push(pieces);
    }
    found
}

/// The text from the first to the last of `pieces`.
fn span_text(name: &str, pieces: &[(usize, usize)]) -> String {
    match (pieces.first(), pieces.last()) {
        (Some(&(start, _)), Some(&(_, end))) => name[start..end].to_owned(),
        _ => String::new(),
    }
}

/// Whether `window` occurs as consecutive items of `sequence`.
fn contains_window<T: PartialEq>(sequence: &[T], window: &[T]) -> bool {
    sequence.windows(window.len()).any(|w| w == window)
}

fn embedded_ipv4(name: &str, ip: Ipv4Addr) -> Option<String> {
    let octets: Vec<u32> = ip.octets().iter().map(|&o| u32::from(o)).collect();
    let reversed: Vec<u32> = octets.iter().rev().copied().collect();
    let padded = |octets: &[u32]| octets.iter().map(|o| format!("{o:03}")).collect::<String>();
    let value = u32::from(ip);
    for pieces in runs(name, |b| b.is_ascii_digit(), false) {
        // Octets as separate numbers: three or four in a row, in order or reversed.
        let numbers: Vec<Option<u32>> = pieces
            .iter()
            .map(|&(start, end)| {
                let piece = &name[start..end];
                (piece.len() <= 3).then(|| piece.parse().ok()).flatten()
            })
            .collect();
        for length in [4, 3] {
            for (offset, window) in numbers.windows(length).enumerate() {
                let Some(window) = window.iter().copied().collect::<Option<Vec<u32>>>() else {
                    continue;
                };
                if contains_window(&octets, &window) || contains_window(&reversed, &window) {
                    return Some(span_text(name, &pieces[offset..offset + length]));
                }
            }
        }
        // One number: the twelve-digit zero-padded form or the 32-bit value.
        for &(start, end) in &pieces {
            let piece = &name[start..end];
            if piece == padded(&octets)
                || piece == padded(&reversed)
                || (value >= 10_000_000 && piece == value.to_string())
            {
                return Some(piece.to_owned());
            }
        }
    }
    // The eight hex digits, inside a label (`p5dcb1a2f`).
    let hex = format!("{value:08x}");
    name.contains(&hex).then_some(hex)
}

fn embedded_ipv6(name: &str, ip: Ipv6Addr) -> Option<String> {
    let groups = ip.segments();
    for pieces in runs(name, |b| b.is_ascii_hexdigit(), true) {
        let numbers: Vec<Option<u16>> = pieces
            .iter()
            .map(|&(start, end)| {
                let piece = &name[start..end];
                (piece.len() <= 4)
                    .then(|| u16::from_str_radix(piece, 16).ok())
                    .flatten()
            })
            .collect();
        for length in (4..=8).rev() {
            for (offset, window) in numbers.windows(length).enumerate() {
                let Some(window) = window.iter().copied().collect::<Option<Vec<u16>>>() else {
                    continue;
                };
                // Groups of zeros say nothing about the address.
                let nonzero = window.iter().filter(|&&group| group != 0).count();
                if nonzero >= 2 && contains_window(&groups, &window) {
                    return Some(span_text(name, &pieces[offset..offset + length]));
                }
            }
        }
    }
    // The whole address or its interface identifier as one hex string, forward or as reversed
    // nibbles (`…f.e.e.b.…`), separators removed.
    let compact: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '.' | '_' | ':'))
        .collect();
    let nibbles = format!("{:032x}", u128::from(ip));
    let interface = &nibbles[16..];
    let mut candidates = vec![nibbles.clone()];
    if interface.chars().filter(|&c| c != '0').count() >= 4 {
        candidates.push(interface.to_owned());
    }
    for candidate in candidates {
        let reversed: String = candidate.chars().rev().collect();
        if compact.contains(&candidate) {
            return Some(candidate);
        }
        if compact.contains(&reversed) {
            return Some(reversed);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// `(name, ip, expected token or None)`: the heuristic, both ways.
    fn check_generic(cases: &[(&str, &str, Option<&str>)]) {
        for (name, address, expect) in cases {
            assert_eq!(
                generic_token(name, ip(address)).as_deref(),
                *expect,
                "{name} for {address}"
            );
        }
    }

    #[test]
    fn generic_names_of_access_pools() {
        check_generic(&[
            (
                "dyn-192-0-2-77.pool.isp.test",
                "192.0.2.77",
                Some("192-0-2-77"),
            ),
            (
                "192-0-2-10.dyn.example.net",
                "192.0.2.10",
                Some("192-0-2-10"),
            ),
            (
                "host-192-0-2-10.example.net",
                "192.0.2.10",
                Some("192-0-2-10"),
            ),
            (
                "10.2.0.192.static.example.net",
                "192.0.2.10",
                Some("10.2.0.192"),
            ),
            (
                "ip-010-002-000-192.example.net",
                "192.0.2.10",
                Some("010-002-000-192"),
            ),
            ("192.0.2.10.example.net", "192.0.2.10", Some("192.0.2.10")),
            (
                "010002000192.example.net",
                "192.0.2.10",
                Some("010002000192"),
            ),
            (
                "host192000002010.example.net",
                "192.0.2.10",
                Some("192000002010"),
            ),
            ("3221225994.example.net", "192.0.2.10", Some("3221225994")),
            ("c000020a.example.net", "192.0.2.10", Some("c000020a")),
            // Deutsche Telekom: hex address, "dip" (dynamic IP).
            (
                "p5dcb1a2f.dip0.t-ipconnect.de",
                "93.203.26.47",
                Some("5dcb1a2f"),
            ),
            ("p5dcb1a2f.dip0.t-ipconnect.de", "93.203.26.48", Some("dip")),
            // Vodafone, Telefonica, Comcast, Verizon, AWS, Hetzner, Google Cloud, OVH.
            (
                "dslb-094-222-012-034.094.222.pools.vodafone-ip.de",
                "94.222.12.34",
                Some("094-222-012-034"),
            ),
            (
                "ip-088-152-023-045.um23.pools.vodafone-ip.de",
                "88.152.23.45",
                Some("088-152-023-045"),
            ),
            (
                "x4db2c3d4.dyn.telefonica.de",
                "77.178.195.212",
                Some("4db2c3d4"),
            ),
            ("x4db2c3d4.dyn.telefonica.de", "77.178.195.213", Some("dyn")),
            (
                "c-73-12-34-56.hsd1.ca.comcast.net",
                "73.12.34.56",
                Some("73-12-34-56"),
            ),
            (
                "pool-71-1-2-3.nycmny.fios.verizon.net",
                "71.1.2.3",
                Some("71-1-2-3"),
            ),
            (
                "ec2-54-93-1-2.eu-central-1.compute.amazonaws.com",
                "54.93.1.2",
                Some("54-93-1-2"),
            ),
            (
                "static.88.99.1.2.clients.your-server.de",
                "88.99.1.2",
                Some("88.99.1.2"),
            ),
            (
                "2.1.99.88.bc.googleusercontent.com",
                "88.99.1.2",
                Some("2.1.99.88"),
            ),
            ("ns3012345.ip-51-75-1.eu", "51.75.1.77", Some("51-75-1")),
            // A neighbour's name in the same pool is still a pool name.
            ("host-192-0-2-99.example.net", "192.0.2.10", Some("192-0-2")),
            // Words alone.
            ("adsl.example.net", "192.0.2.10", Some("adsl")),
            ("pppoe-user.isp.example", "192.0.2.10", Some("pppoe")),
            ("dhcp-12.example.edu", "192.0.2.10", Some("dhcp")),
            ("cable-12-34.isp.example", "192.0.2.10", Some("cable")),
            ("a12.dynamic.isp.co.uk", "192.0.2.10", Some("dynamic")),
            ("user.pool12.example.net", "192.0.2.10", Some("pool")),
            // A mail word does not outweigh a dynamic word in the same label.
            ("mail-dyn-192-0-2-10.isp.example", "192.0.2.10", Some("dyn")),
            // IPv6.
            (
                "2001-db8-1-2-3-4-5-6.dyn.example.net",
                "2001:db8:1:2:3:4:5:6",
                Some("2001-db8-1-2-3-4-5-6"),
            ),
            (
                "host-0250-56ff-fe12-3456.example.net",
                "2001:db8::250:56ff:fe12:3456",
                Some("0250-56ff-fe12-3456"),
            ),
            (
                "025056fffe123456.example.net",
                "2001:db8::250:56ff:fe12:3456",
                Some("025056fffe123456"),
            ),
            ("dynamic-ipv6.isp.example", "2001:db8::25", Some("dynamic")),
            // The mapped form of an IPv4 address is the IPv4 address.
            (
                "192-0-2-10.example.net",
                "::ffff:192.0.2.10",
                Some("192-0-2-10"),
            ),
        ]);
    }

    #[test]
    fn mail_server_names_are_not_generic() {
        check_generic(&[
            ("mail.example.com", "192.0.2.10", None),
            ("smtp1.provider.net", "192.0.2.10", None),
            ("mx-out-01.example.org", "192.0.2.10", None),
            ("mout.kundenserver.de", "212.227.126.130", None),
            ("mail-wm1-f54.google.com", "209.85.128.54", None),
            (
                "mail-db8eur05on2071.outbound.protection.outlook.com",
                "40.107.20.71",
                None,
            ),
            ("a8-30.smtp-out.amazonses.com", "54.240.8.30", None),
            ("mail132-12.atl131.mandrillapp.com", "198.2.132.12", None),
            ("o1.ptr1234.sendgrid.net", "167.89.1.2", None),
            ("mx1.customer.report.test", "192.0.2.91", None),
            ("mail.clean.report.test", "192.0.2.80", None),
            ("out.ok.spf.test", "192.0.2.10", None),
            ("srv01.clients.example.com", "192.0.2.10", None),
            ("cust-portal.example.com", "192.0.2.10", None),
            ("poolside.example.com", "192.0.2.10", None),
            ("dynamo.example.com", "192.0.2.10", None),
            ("relay.dsl-provider.example", "192.0.2.10", None),
            ("mail.example.co.uk", "192.0.2.10", None),
            ("mail6.example.com", "2001:db8::25", None),
            ("web-2001.example.com", "2001:db8::25", None),
            // Decided: a mail role in the leftmost label outweighs the address in the name.
            ("mail-192-0-2-10.example.com", "192.0.2.10", None),
            ("smtp.192-0-2-10.static.example.net", "192.0.2.10", None),
            ("mx.pool.example.com", "192.0.2.10", None),
            // Two octets are a server number, not an address.
            ("mta-2-10.example.net", "192.0.2.10", None),
            ("srv-2-10.example.net", "192.0.2.10", None),
            // Zeros say nothing about an IPv6 address.
            ("host-0-0-0-0.example.net", "2001:db8::1", None),
        ]);
    }

    #[test]
    fn dnsbl_names() {
        let config = DnsblConfig::default();
        assert_eq!(
            config.query_name("zen.spamhaus.org", ip("192.0.2.99")),
            "99.2.0.192.zen.spamhaus.org"
        );
        assert_eq!(
            config.query_name("bl.spamcop.net.", ip("2001:db8::1")),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.spamcop.net"
        );
        let dqs = DnsblConfig {
            spamhaus_dqs_key: Some("AbC123".to_owned()),
            ..DnsblConfig::default()
        };
        assert_eq!(
            dqs.query_name("zen.spamhaus.org", ip("192.0.2.99")),
            "99.2.0.192.abc123.zen.dq.spamhaus.net"
        );
        assert_eq!(
            dqs.query_name("ZEN.Spamhaus.org.", ip("192.0.2.99")),
            "99.2.0.192.abc123.zen.dq.spamhaus.net"
        );
        assert_eq!(
            dqs.query_name("bl.spamcop.net", ip("192.0.2.99")),
            "99.2.0.192.bl.spamcop.net"
        );
        assert!(!format!("{dqs:?}").contains("AbC123"));
        let blank = DnsblConfig {
            spamhaus_dqs_key: Some("  ".to_owned()),
            ..DnsblConfig::default()
        };
        assert_eq!(blank.query_zone("zen.spamhaus.org"), "zen.spamhaus.org");
    }

    #[test]
    fn refusal_codes_are_not_listings() {
        for (answer, refusal) in [
            ("127.255.255.252", true),
            ("127.255.255.254", true),
            ("127.255.255.255", true),
            ("127.0.0.1", true),
            ("127.0.0.2", false),
            ("127.0.0.4", false),
            ("127.0.1.2", false),
        ] {
            assert_eq!(
                is_refusal_code(answer.parse().unwrap()),
                refusal,
                "{answer}"
            );
        }
    }
}
