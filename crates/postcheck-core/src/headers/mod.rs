//! Pasted message headers (or a whole message): Authentication-Results per method (RFC 8601,
//! read by its grammar in `authres.rs`), each DKIM-Signature's domain and selector (RFC 6376
//! §3.5), the alignment of the From domain with the Return-Path and DKIM domains as DMARC judges
//! it (RFC 7489 §3.1), and the Received chain as hops with their delays (RFC 5321 §4.4). Sans-IO
//! and forgiving: what cannot be read is left out or reported as a finding, never an error.

mod authres;
pub mod date;

pub use authres::parse_auth_results;

use crate::dns::name::organizational_domain_guess;
use crate::findings::{Code, Finding};
use crate::taglist;
use serde::{Deserialize, Serialize};

/// One `Name: value` header, unfolded (RFC 5322 §2.2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The field name as written.
    pub name: String,
    /// The field body, unfolded, leading whitespace removed.
    pub value: String,
}

/// One method's result inside an Authentication-Results header (RFC 8601 §2.2, §2.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodResult {
    /// `spf`, `dkim`, `dmarc`, `arc`, … (lowercase).
    pub method: String,
    /// The method-version (`dkim/1`), when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`, `policy`, …
    /// (lowercase).
    pub result: String,
    /// `reason=` (RFC 8601 §2.2 reasonspec), quotes removed.
    pub reason: Option<String>,
    /// The comment right after the result (`spf=pass (sender IP is 192.0.2.5)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `ptype.property=value` pairs (`header.d=example.com`, `smtp.mailfrom=…`), the key
    /// lowercase, the value as written (quotes removed). Exchange Online's `action=none` has no
    /// ptype: its key is `action`.
    pub properties: Vec<(String, String)>,
}

/// One Authentication-Results header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResults {
    /// The server that evaluated (RFC 8601 §2.5), quotes removed; empty when the header has
    /// none (Exchange Online).
    pub authserv_id: String,
    /// The authres-version after the authserv-id (`example.com 1;`), when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The instance of an ARC-Authentication-Results value (`i=1;`, RFC 8617 §4.1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<u32>,
    /// The method results, in the order written.
    pub results: Vec<MethodResult>,
    /// The value as parsed: the diagnostics' spans point into it.
    #[serde(default)]
    pub text: String,
    /// Every problem found (`authres-syntax-error`) and every tolerated provider form
    /// (`authres-nonstandard`), with a span into `text`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Finding>,
}

/// What a DKIM-Signature names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimSignature {
    /// Signing domain (`d=`).
    pub domain: String,
    /// Selector (`s=`): the key is at `<s>._domainkey.<d>`.
    pub selector: String,
    /// Signing algorithm (`a=`): `rsa-sha256` or `ed25519-sha256` (RFC 6376 §3.5, RFC 8463).
    pub algorithm: Option<String>,
    /// Signed header fields (`h=`).
    pub signed_headers: Vec<String>,
}

/// How two domains align (RFC 7489 §3.1.1, §3.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Alignment {
    /// Identical: aligned in strict and relaxed mode.
    Strict,
    /// Same organizational domain: aligned in relaxed mode only.
    Relaxed,
    /// Not aligned.
    No,
}

/// One Received hop, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The sending host as the `from` clause names it, usually its EHLO name (RFC 5321 §4.4).
    pub from: Option<String>,
    /// The address the receiving server saw the connection come from: the address literal in
    /// the `from` clause's TCP-info (RFC 5321 §4.4, `[192.0.2.1]` or `[IPv6:…]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<std::net::IpAddr>,
    /// The receiving server, as its `by` clause names it.
    pub by: Option<String>,
    /// The protocol, as the `with` clause names it (`ESMTPS`; RFC 3848).
    pub with: Option<String>,
    /// Seconds since the epoch, from the date after the last `;`.
    pub time: Option<i64>,
    /// Seconds since the previous hop, when both have a time.
    pub delay: Option<i64>,
}

/// Everything read from the headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderReport {
    /// Every Authentication-Results header, in the order pasted (newest first).
    pub authentication_results: Vec<AuthResults>,
    /// Every DKIM-Signature header, in the order pasted.
    pub dkim_signatures: Vec<DkimSignature>,
    /// The domain of the From address (RFC 5322 §3.6.2): the one DMARC protects.
    pub from_domain: Option<String>,
    /// The domain of the Return-Path address: the one SPF checks (RFC 7208 §2.4).
    pub return_path_domain: Option<String>,
    /// The Return-Path (SPF) domain against the From domain.
    pub spf_alignment: Option<Alignment>,
    /// Each DKIM domain against the From domain, in signature order.
    pub dkim_alignment: Vec<(String, Alignment)>,
    /// The Received hops, oldest first.
    pub hops: Vec<Hop>,
    /// A body followed the headers: a whole message was pasted.
    pub whole_message: bool,
    /// What the headers as pasted leave open: DKIM signatures without the body to check them
    /// against (`dkim-body-missing`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

/// Splits the header section into unfolded headers; stops at the first empty line.
pub fn parse_headers(text: &str) -> (Vec<Header>, bool) {
    let mut headers: Vec<Header> = Vec::new();
    let mut body = false;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !headers.is_empty() {
                body = true;
                break;
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.value.push(' ');
                last.value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && !name.is_empty()
            && !name.contains(' ')
        {
            headers.push(Header {
                name: name.to_owned(),
                value: value.trim().to_owned(),
            });
        }
    }
    (headers, body)
}

/// Removes RFC 5322 comments `( … )` (nested) outside quoted strings.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The `d=` and `s=` of a DKIM-Signature (tag-list, RFC 6376 §3.2), `None` without both.
pub fn parse_dkim_signature(value: &str) -> Option<DkimSignature> {
    let mut domain = None;
    let mut selector = None;
    let mut algorithm = None;
    let mut signed_headers = Vec::new();
    for (tag, has_equals) in taglist::split(value, taglist::fws) {
        if !has_equals {
            continue;
        }
        // Values may be folded anywhere (RFC 6376 §3.5: `b=`, `h=`): whitespace is no part of them.
        let tag_value: String = tag.value.chars().filter(|c| !c.is_whitespace()).collect();
        match tag.name.as_str() {
            "d" => domain = Some(tag_value.to_ascii_lowercase()),
            "s" => selector = Some(tag_value.to_ascii_lowercase()),
            "a" => algorithm = Some(tag_value),
            "h" => {
                signed_headers = tag_value
                    .split(':')
                    .map(|h| h.to_ascii_lowercase())
                    .filter(|h| !h.is_empty())
                    .collect();
            }
            _ => {}
        }
    }
    Some(DkimSignature {
        domain: domain.filter(|d| !d.is_empty())?,
        selector: selector.filter(|s| !s.is_empty())?,
        algorithm,
        signed_headers,
    })
}

/// The domain of the (last) address in a From or Return-Path value.
pub fn address_domain(value: &str) -> Option<String> {
    let clean = strip_comments(value);
    let address = match (clean.rfind('<'), clean.rfind('>')) {
        (Some(open), Some(close)) if open < close => clean[open + 1..close].to_owned(),
        _ => clean
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_owned(),
    };
    let domain = address.rsplit_once('@')?.1.trim().trim_end_matches('.');
    (!domain.is_empty() && domain.contains('.')).then(|| domain.to_ascii_lowercase())
}

/// How `domain` aligns with the From domain (RFC 7489 §3.1).
pub fn alignment(from: &str, domain: &str) -> Alignment {
    if from.eq_ignore_ascii_case(domain) {
        Alignment::Strict
    } else if organizational_domain_guess(&from.to_ascii_lowercase())
        == organizational_domain_guess(&domain.to_ascii_lowercase())
    {
        Alignment::Relaxed
    } else {
        Alignment::No
    }
}

/// The word after `keyword ` in a Received value (comments removed).
fn received_word(clean: &str, keyword: &str) -> Option<String> {
    let words: Vec<&str> = clean.split_whitespace().collect();
    words
        .iter()
        .position(|w| w.eq_ignore_ascii_case(keyword))
        .and_then(|i| words.get(i + 1))
        .map(|w| w.trim_end_matches(';').to_owned())
}

/// The address literal of a Received header's `from` clause (RFC 5321 §4.4: `From-domain
/// [ TCP-info ]`, the TCP-info holding `[address]`), before its `by` clause.
fn connecting_ip(fields: &str) -> Option<std::net::IpAddr> {
    let lower = fields.to_ascii_lowercase();
    let from = lower.find("from ")?;
    let end = lower[from..]
        .find(" by ")
        .map_or(lower.len(), |at| from + at);
    let clause = &fields[from..end];
    let mut rest = clause;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find(']')?;
        let literal = &after[..close];
        let literal = literal
            .strip_prefix("IPv6:")
            .or_else(|| literal.strip_prefix("ipv6:"))
            .unwrap_or(literal);
        if let Ok(ip) = literal.trim().parse() {
            return Some(ip);
        }
        rest = &after[close + 1..];
    }
    None
}

/// A Received header as a hop (RFC 5321 §4.4: `from … by … with … ; date-time`).
pub fn parse_received(value: &str) -> Hop {
    let (fields, date) = match value.rfind(';') {
        Some(at) => (&value[..at], Some(&value[at + 1..])),
        None => (value, None),
    };
    let clean = strip_comments(fields);
    Hop {
        from: received_word(&clean, "from"),
        ip: connecting_ip(fields),
        by: received_word(&clean, "by"),
        with: received_word(&clean, "with"),
        time: date.and_then(date::parse_date),
        delay: None,
    }
}

/// Reads pasted headers or a whole message.
pub fn analyze(text: &str) -> HeaderReport {
    let (headers, whole_message) = parse_headers(text);
    let named = |name: &'static str| {
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
    };
    let authentication_results = named("Authentication-Results")
        .map(|h| parse_auth_results(&h.value))
        .collect();
    let dkim_signatures: Vec<DkimSignature> = named("DKIM-Signature")
        .filter_map(|h| parse_dkim_signature(&h.value))
        .collect();
    let from_domain = named("From").next().and_then(|h| address_domain(&h.value));
    let return_path_domain = named("Return-Path")
        .next()
        .and_then(|h| address_domain(&h.value));
    let spf_alignment = match (&from_domain, &return_path_domain) {
        (Some(from), Some(rp)) => Some(alignment(from, rp)),
        _ => None,
    };
    let dkim_alignment = from_domain.as_ref().map_or_else(Vec::new, |from| {
        dkim_signatures
            .iter()
            .map(|s| (s.domain.clone(), alignment(from, &s.domain)))
            .collect()
    });
    // Received headers are prepended by each hop: the last one is the oldest.
    let mut hops: Vec<Hop> = named("Received")
        .map(|h| parse_received(&h.value))
        .collect();
    hops.reverse();
    for index in 1..hops.len() {
        if let (Some(before), Some(now)) = (hops[index - 1].time, hops[index].time) {
            // Checked: a delay that does not fit is no delay, never a wrapped one.
            hops[index].delay = now.checked_sub(before);
        }
    }
    // RFC 6376 §3.7: the body hash covers the body, so signatures cannot be verified from the
    // headers alone.
    let findings = if !whole_message && !dkim_signatures.is_empty() {
        vec![Finding::new(Code::DkimBodyMissing).with("count", dkim_signatures.len())]
    } else {
        Vec::new()
    };
    HeaderReport {
        authentication_results,
        dkim_signatures,
        from_domain,
        return_path_domain,
        spf_alignment,
        dkim_alignment,
        hops,
        whole_message,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_results_are_read_per_method() {
        let ar = parse_auth_results(
            "mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=abc; \
             spf=softfail (google.com: domain of transitioning x@example.com does not designate 192.0.2.1 as permitted sender) smtp.mailfrom=x@example.com; \
             dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=example.com",
        );
        assert_eq!(ar.authserv_id, "mx.google.com");
        let methods: Vec<(&str, &str)> = ar
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            [("dkim", "pass"), ("spf", "softfail"), ("dmarc", "fail")]
        );
        assert!(
            ar.results[1]
                .properties
                .contains(&("smtp.mailfrom".into(), "x@example.com".into()))
        );
        assert_eq!(parse_auth_results("mx.example.com; none").results, []);
    }

    #[test]
    fn alignment_as_dmarc_judges_it() {
        assert_eq!(alignment("example.com", "example.com"), Alignment::Strict);
        assert_eq!(
            alignment("example.com", "bounce.example.com"),
            Alignment::Relaxed
        );
        assert_eq!(
            alignment("example.co.uk", "mail.example.co.uk"),
            Alignment::Relaxed
        );
        assert_eq!(alignment("a.co.uk", "b.co.uk"), Alignment::No);
        assert_eq!(alignment("example.com", "sendgrid.net"), Alignment::No);
    }
}
