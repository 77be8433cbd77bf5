//! Where to publish: the DNS host of a domain, found from its NS records with the data table
//! `data/dns-hosts.txt`, and each record the way that host's panel wants it typed in (host
//! field relative or full, `@` or nothing for the domain itself, quotes, long TXT values split
//! into strings of at most 255 characters, RFC 1035 §3.3.14).
//!
//! The report asks for the NS records of the domain's registered domain in its first round
//! ([`ns_query`]); [`DnsHost::detect`] names the host, or `None` (then the generic steps apply).
//! The steps themselves are texts: [`crate::messages::publish_steps`].

use crate::actions::RecordToPublish;
use crate::dns::name::organizational_domain_guess;
use crate::dns::{Answer, Query, RecordData, RecordType};
use serde::{Deserialize, Serialize};

/// The table, as the repository keeps it (one host per line; its header says the format).
/// Compiled in with the `texts` feature; without it (the check page) [`install`] hands it over
/// at run time, from the texts file the page loads after its first paint.
#[cfg(feature = "texts")]
pub(crate) const TABLE: &str = include_str!("../data/dns-hosts.txt");

#[cfg(not(feature = "texts"))]
static INSTALLED: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// The table: compiled in, or as installed (empty before: no host is named, the generic steps
/// apply).
fn table() -> &'static str {
    #[cfg(feature = "texts")]
    return TABLE;
    #[cfg(not(feature = "texts"))]
    return INSTALLED.get().copied().unwrap_or_default();
}

/// Installs the table (`data/dns-hosts.txt` as the texts file carries it); the first
/// installation wins. With the `texts` feature the compiled-in table answers.
pub(crate) fn install(table: &'static str) {
    #[cfg(not(feature = "texts"))]
    let _ = INSTALLED.set(table);
    #[cfg(feature = "texts")]
    let _ = table;
}

/// How the host field names the owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostField {
    /// Without the domain: `_dmarc`.
    Relative,
    /// The whole name: `_dmarc.example.com`.
    Full,
}

/// What the host field holds for the domain itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apex {
    /// `@`.
    At,
    /// Nothing: the field stays empty.
    Empty,
    /// The domain's name.
    Full,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsHost {
    /// Stable identifier (`ionos`, `route53`).
    pub id: &'static str,
    /// The name customers know.
    pub name: &'static str,
    /// Name-server suffixes; a label ending in `*` matches labels starting with the rest.
    pub ns: Vec<&'static str>,
    /// How the host field names the owner.
    pub host_field: HostField,
    /// What the host field holds for the domain itself.
    pub apex: Apex,
    /// Whether TXT values are typed in double quotes.
    pub quoted: bool,
    /// Whether TXT values over 255 characters are typed as several quoted strings.
    pub split: bool,
    /// Where the records are in the panel: German, English.
    pub panel: [&'static str; 2],
    /// The host's help page on DNS records.
    pub help: &'static str,
}

/// The host every other case uses: `@` for the domain itself, relative names, values as they
/// are (what most panels accept).
const GENERIC: Form = Form {
    host_field: HostField::Relative,
    apex: Apex::At,
    quoted: false,
    split: false,
};

/// The typing conventions of a panel.
#[derive(Debug, Clone, Copy)]
struct Form {
    host_field: HostField,
    apex: Apex,
    quoted: bool,
    split: bool,
}

impl DnsHost {
    /// Every host of the table, in its order. A malformed line is left out (the table's test
    /// fails on it).
    pub fn all() -> Vec<DnsHost> {
        DnsHost::parse_table(table())
    }

    /// Every host of a table in the format of `data/dns-hosts.txt`.
    pub(crate) fn parse_table(table: &'static str) -> Vec<DnsHost> {
        table.lines().filter_map(DnsHost::parse).collect()
    }

    fn parse(line: &'static str) -> Option<DnsHost> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let fields: Vec<&'static str> = line.split(" | ").map(str::trim).collect();
        let [
            id,
            name,
            ns,
            host_field,
            apex,
            txt,
            long,
            panel_de,
            panel_en,
            help,
        ] = fields.as_slice()
        else {
            return None;
        };
        Some(DnsHost {
            id,
            name,
            ns: ns.split_whitespace().collect(),
            host_field: match *host_field {
                "relative" => HostField::Relative,
                "full" => HostField::Full,
                _ => return None,
            },
            apex: match *apex {
                "@" => Apex::At,
                "empty" => Apex::Empty,
                "full" => Apex::Full,
                _ => return None,
            },
            quoted: match *txt {
                "plain" => false,
                "quoted" => true,
                _ => return None,
            },
            split: match *long {
                "whole" => false,
                "split" => true,
                _ => return None,
            },
            panel: [panel_de, panel_en],
            help: help.starts_with("https://").then_some(*help)?,
        })
    }

    /// The host with this id.
    pub fn by_id(id: &str) -> Option<DnsHost> {
        DnsHost::all().into_iter().find(|host| host.id == id)
    }

    /// The host whose name servers these are: the one most of them belong to, so a domain
    /// moving between hosts (or with a secondary elsewhere) gets the host of the majority, the
    /// earlier in the table on a tie. `None` when none of them is known.
    pub fn detect(name_servers: &[String]) -> Option<DnsHost> {
        let mut best: Option<(usize, DnsHost)> = None;
        for host in DnsHost::all() {
            let count = name_servers
                .iter()
                .filter(|ns| host.ns.iter().any(|pattern| matches(ns, pattern)))
                .count();
            if count > 0 && best.as_ref().is_none_or(|(b, _)| count > *b) {
                best = Some((count, host));
            }
        }
        best.map(|(_, host)| host)
    }

    fn form(&self) -> Form {
        Form {
            host_field: self.host_field,
            apex: self.apex,
            quoted: self.quoted,
            split: self.split,
        }
    }
}

/// Whether the name server `ns` is under `pattern` (see the table's header).
fn matches(ns: &str, pattern: &str) -> bool {
    let ns = ns.trim_end_matches('.').to_ascii_lowercase();
    let ns_labels: Vec<&str> = ns.split('.').collect();
    let pattern_labels: Vec<&str> = pattern.split('.').collect();
    if ns_labels.len() < pattern_labels.len() {
        return false;
    }
    ns_labels[ns_labels.len() - pattern_labels.len()..]
        .iter()
        .zip(&pattern_labels)
        .all(|(label, pattern)| match pattern.strip_suffix('*') {
            Some(prefix) => label.starts_with(prefix),
            None => label == pattern,
        })
}

/// The query that finds a domain's DNS host: the NS records of its registered domain (the
/// zone the records go into).
pub fn ns_query(domain: &str) -> Query {
    Query::new(&organizational_domain_guess(domain), RecordType::Ns)
}

/// The name servers in an NS answer.
pub fn name_servers(answer: &Answer) -> Vec<String> {
    answer
        .record_data()
        .iter()
        .filter_map(|record| match record {
            RecordData::Ns(name) => Some(name.trim_end_matches('.').to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// A record as a panel wants it typed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publish {
    /// What goes into the host (name) field.
    pub host: String,
    /// The record type.
    #[serde(rename = "type")]
    pub record_type: String,
    /// What goes into the value field.
    pub value: String,
    /// Whether a record of this kind exists and is to be changed rather than a second added
    /// (SPF and DMARC allow one record each: RFC 7208 §3.2, RFC 7489 §6.6.3).
    pub replaces: bool,
}

impl Publish {
    /// `record` in the form of `host`'s panel (the generic form without a host), for the
    /// zone `zone` (the registered domain).
    pub fn new(
        record: &RecordToPublish,
        zone: &str,
        host: Option<&DnsHost>,
        replaces: bool,
    ) -> Self {
        let form = host.map_or(GENERIC, DnsHost::form);
        let name = record.name.trim_end_matches('.');
        let host_field = if name == zone {
            match form.apex {
                Apex::At => "@".to_owned(),
                Apex::Empty => String::new(),
                Apex::Full => name.to_owned(),
            }
        } else {
            match (
                form.host_field,
                name.strip_suffix(zone).and_then(|n| n.strip_suffix('.')),
            ) {
                (HostField::Relative, Some(relative)) => relative.to_owned(),
                _ => name.to_owned(),
            }
        };
        let value = if record.record_type == "TXT" {
            txt_value(&record.value, form)
        } else {
            record.value.clone()
        };
        Publish {
            host: host_field,
            record_type: record.record_type.clone(),
            value,
            replaces,
        }
    }
}

/// A TXT value as the panel wants it: as is, in quotes, or in quoted strings of at most 255
/// bytes (RFC 1035 §3.3.14), cut at character boundaries.
fn txt_value(value: &str, form: Form) -> String {
    if !form.quoted {
        return value.to_owned();
    }
    let escaped = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    if !form.split || value.len() <= 255 {
        return format!("\"{}\"", escaped(value));
    }
    let mut strings = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let mut cut = rest.len().min(255);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        strings.push(format!("\"{}\"", escaped(&rest[..cut])));
        rest = &rest[cut..];
    }
    strings.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_table_reads() {
        let lines = TABLE
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .count();
        let hosts = DnsHost::all();
        assert_eq!(
            hosts.len(),
            lines,
            "a line of data/dns-hosts.txt does not read"
        );
        assert!(hosts.len() >= 21);
        let mut ids: Vec<&str> = hosts.iter().map(|h| h.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), hosts.len(), "ids are unique");
        for host in &hosts {
            assert!(
                host.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                host.id
            );
            assert!(!host.ns.is_empty() && !host.panel.iter().any(|p| p.is_empty()));
        }
    }

    #[test]
    fn name_servers_name_their_host() {
        let ns = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let id = |names: &[&str]| DnsHost::detect(&ns(names)).map(|h| h.id);
        assert_eq!(
            id(&["ns1045.ui-dns.de", "ns1110.ui-dns.biz"]),
            Some("ionos")
        );
        assert_eq!(
            id(&["amy.ns.cloudflare.com.", "BOB.NS.CLOUDFLARE.COM"]),
            Some("cloudflare")
        );
        assert_eq!(
            id(&["ns-1536.awsdns-00.co.uk", "ns-0.awsdns-00.com"]),
            Some("route53")
        );
        assert_eq!(
            id(&["docks07.rzone.de", "shades13.rzone.de"]),
            Some("strato")
        );
        assert_eq!(id(&["ns1.example.net"]), None);
        // A name that only ends like a host's is not that host's.
        assert_eq!(id(&["ns.notcloudflare.com"]), None);
        assert_eq!(id(&["ns.awsdns.com"]), None);
        // The majority wins: a secondary elsewhere does not decide.
        assert_eq!(
            id(&[
                "ns1.inwx.de",
                "ns2.inwx.de",
                "ns3.hetzner.com.ns.hetzner.com"
            ]),
            Some("inwx")
        );
    }

    fn record(name: &str, record_type: &str, value: &str) -> RecordToPublish {
        RecordToPublish {
            name: name.into(),
            record_type: record_type.into(),
            value: value.into(),
        }
    }

    #[test]
    fn records_take_the_form_of_the_panel() {
        let spf = record("example.com", "TXT", "v=spf1 mx -all");
        let dmarc = record("_dmarc.example.com", "TXT", "v=DMARC1; p=none");
        let ionos = DnsHost::by_id("ionos");
        let route53 = DnsHost::by_id("route53");
        let strato = DnsHost::by_id("strato");
        let at = Publish::new(&spf, "example.com", ionos.as_ref(), true);
        assert_eq!(
            (at.host.as_str(), at.value.as_str()),
            ("@", "v=spf1 mx -all")
        );
        assert!(at.replaces);
        let empty = Publish::new(&spf, "example.com", strato.as_ref(), false);
        assert_eq!(empty.host, "");
        let quoted = Publish::new(&dmarc, "example.com", route53.as_ref(), false);
        assert_eq!(quoted.host, "_dmarc");
        assert_eq!(quoted.value, "\"v=DMARC1; p=none\"");
        // Without a known host: the generic form.
        let generic = Publish::new(&dmarc, "example.com", None, false);
        assert_eq!(
            (generic.host.as_str(), generic.value.as_str()),
            ("_dmarc", "v=DMARC1; p=none")
        );
        // A name outside the zone stays whole.
        let outside = Publish::new(
            &record("x.other.org", "CNAME", "t.example"),
            "example.com",
            None,
            false,
        );
        assert_eq!(outside.host, "x.other.org");
    }

    #[test]
    fn long_values_are_split_into_strings_of_255_where_the_panel_wants_it() {
        let long = format!("v=spf1 {} -all", "ip4:192.0.2.1 ".repeat(30));
        let route53 = DnsHost::by_id("route53");
        let value = Publish::new(
            &record("example.com", "TXT", &long),
            "example.com",
            route53.as_ref(),
            true,
        )
        .value;
        let strings: Vec<&str> = value.split("\" \"").collect();
        assert_eq!(strings.len(), 2, "{value}");
        assert_eq!(strings[0].trim_start_matches('"').len(), 255);
        assert_eq!(value.replace("\" \"", "").trim_matches('"'), long);
        // Quotes inside are escaped.
        let quoted = txt_value("a\"b", DnsHost::by_id("route53").unwrap().form());
        assert_eq!(quoted, "\"a\\\"b\"");
    }

    #[test]
    fn the_query_asks_the_registered_domain() {
        assert_eq!(ns_query("mail.example.co.uk").name, "example.co.uk");
        assert_eq!(ns_query("example.com").record_type, RecordType::Ns);
    }
}
