//! The DKIM check (RFC 6376, RFC 8301, RFC 8463): the public keys a domain publishes at the
//! selectors the user or the sender profile names, and at selectors the large providers use.
//!
//! A receiver finds the key at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.2.1), with the
//! selector taken from the message's signature. Without a message, the check knows only the
//! selectors it is told and the commonly used ones of [`COMMON_SELECTORS`]. [`check_dkim`] is a
//! pure function of an [`AnswerCache`] and asks for all of them in one round; CNAMEs (the usual
//! way providers hand out their keys) are followed by the resolver.

pub mod key;
pub mod parse;

pub use key::{KeyFormat, KeyType};
pub use parse::{DkimKeyRecord, DkimTag};

use crate::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType, normalize_name};
use crate::findings::{Code, Finding, Severity};
use crate::spf::macros::is_queryable_name;
use serde::{Deserialize, Serialize};

/// Selectors the large mailbox and mail-service providers sign with, tried when the user names
/// none (or in addition to those named), each with the provider that uses it. Providers whose
/// selectors are random or per customer (Amazon SES, Postmark, HubSpot) cannot be guessed.
pub const COMMON_SELECTORS: &[(&str, &str)] = &[
    // Google Workspace: the selector its admin console proposes.
    ("google", "Google Workspace"),
    // Microsoft 365 / Exchange Online: two CNAMEs to the tenant's keys, rotated in turn.
    ("selector1", "Microsoft 365"),
    ("selector2", "Microsoft 365"),
    // IONOS: CNAMEs to s1/s2.dkim.ionos.com, set up by default on its name servers.
    ("s1-ionos", "IONOS"),
    ("s2-ionos", "IONOS"),
    // Mailchimp: k2 and k3 point to dkim2/dkim3.mcsv.net; k1 is the older Mailchimp one and
    // Mailgun's default.
    ("k1", "Mailchimp, Mailgun"),
    ("k2", "Mailchimp"),
    ("k3", "Mailchimp"),
    // Mailchimp Transactional (Mandrill).
    ("mandrill", "Mandrill"),
    // SendGrid (Twilio): s1/s2 CNAMEs to the account's domainkey host.
    ("s1", "SendGrid"),
    ("s2", "SendGrid"),
    // Mailgun: the selector of many older domains.
    ("smtp", "Mailgun"),
    // Mailjet.
    ("mailjet", "Mailjet"),
    // Zendesk: two CNAMEs to zendesk1/zendesk2._domainkey.zendesk.com.
    ("zendesk1", "Zendesk"),
    ("zendesk2", "Zendesk"),
    // iCloud+ with a custom domain.
    ("sig1", "iCloud"),
    // Fastmail: three CNAMEs to fm1/fm2/fm3.<domain>.dkim.fmhosted.com.
    ("fm1", "Fastmail"),
    ("fm2", "Fastmail"),
    ("fm3", "Fastmail"),
    // Proton Mail: three CNAMEs to the domain's keys at protonmail.ch.
    ("protonmail", "Proton Mail"),
    ("protonmail2", "Proton Mail"),
    ("protonmail3", "Proton Mail"),
    // Hosting panels and servers: cPanel, Plesk, DirectAdmin and rspamd use "default".
    ("default", "cPanel, Plesk, DirectAdmin"),
    // mailcow and many self-hosted setups.
    ("dkim", "mailcow"),
    // Brevo (Sendinblue), Yandex 360 and several German hosters.
    ("mail", "Brevo, Yandex 360"),
];

/// Who named a selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SelectorSource {
    /// The user typed it (`--dkim-selector`).
    User,
    /// The vendor's sender profile signs with it.
    Profile,
    /// One of [`COMMON_SELECTORS`], tried in case.
    Guessed,
}

impl SelectorSource {
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorSource::User => "user",
            SelectorSource::Profile => "profile",
            SelectorSource::Guessed => "guessed",
        }
    }
}

/// A selector the check was told about: a key must be there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NamedSelector {
    pub selector: String,
    pub source: SelectorSource,
}

impl NamedSelector {
    pub fn user(selector: &str) -> Self {
        NamedSelector {
            selector: selector.to_owned(),
            source: SelectorSource::User,
        }
    }

    pub fn profile(selector: &str) -> Self {
        NamedSelector {
            selector: selector.to_owned(),
            source: SelectorSource::Profile,
        }
    }
}

/// What was found at one selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SelectorStatus {
    /// A key record (which may still have problems: see the findings).
    Key,
    /// A key record with an empty `p=`: the key was revoked (RFC 6376 §3.6.1).
    Revoked,
    /// NXDOMAIN, NODATA, or only TXT records that are no DKIM key.
    NoKey,
    /// The lookup failed: could not verify.
    LookupFailed,
    /// The selector as given cannot be part of a DNS name: not looked up.
    InvalidName,
}

/// One selector with what its lookup found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimSelector {
    pub selector: String,
    pub source: SelectorSource,
    /// For a guessed selector, the providers known to use it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub provider: Option<String>,
    /// The name looked up, `<selector>._domainkey.<domain>`.
    pub name: String,
    pub status: SelectorStatus,
    /// The key record as shown (strings joined, RFC 6376 §3.6.2.2).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub record: Option<String>,
    /// The record's TXT character-strings, when there were several.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub strings: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags: Vec<DkimTag>,
    /// The stated key type (`k=`, `rsa` by default).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key_type: Option<KeyType>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key_format: Option<KeyFormat>,
    /// The key's size in bits (the RSA modulus, 256 for Ed25519), when it decoded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub bits: Option<u32>,
    /// `t=y`.
    #[serde(default)]
    pub testing: bool,
    /// This selector's findings; the section's `findings` holds them too.
    pub findings: Vec<Finding>,
}

/// The DKIM part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimSection {
    /// The checked domain.
    pub domain: String,
    /// Every named selector (found or not), then every guessed selector with a key record.
    pub selectors: Vec<DkimSelector>,
    /// The common selectors that were tried (those not named).
    pub guessed_selectors: Vec<String>,
    /// Every finding: those of the selectors, then those about the domain as a whole.
    pub findings: Vec<Finding>,
}

/// A selector as typed, reduced to the label(s) before `._domainkey`: lowercase, without
/// surrounding whitespace or a trailing dot, so that `S1._domainkey.example.com.` is `s1`.
pub fn normalize_selector(selector: &str) -> String {
    let selector = selector.trim().to_ascii_lowercase();
    let selector = selector.strip_suffix('.').unwrap_or(&selector);
    match selector.find("._domainkey") {
        Some(position) => selector[..position].to_owned(),
        None => selector.to_owned(),
    }
}

/// Whether a selector can be looked up: labels of letters, digits, `-` and `_` (RFC 6376
/// §3.1: selectors follow the syntax of sub-domains; `_` occurs in real ones).
fn is_valid_selector(selector: &str) -> bool {
    is_queryable_name(selector, false)
        && selector
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// The name that holds a selector's key (RFC 6376 §3.6.2.1).
pub fn key_name(selector: &str, domain: &str) -> String {
    format!("{selector}._domainkey.{domain}")
}

struct Candidate {
    selector: String,
    source: SelectorSource,
    provider: Option<&'static str>,
    name: String,
    valid: bool,
}

impl Candidate {
    fn is_named(&self) -> bool {
        self.source != SelectorSource::Guessed
    }

    fn query(&self) -> Query {
        Query::new(&self.name, RecordType::Txt)
    }

    fn selector(&self, status: SelectorStatus) -> DkimSelector {
        DkimSelector {
            selector: self.selector.clone(),
            source: self.source,
            provider: self.provider.map(str::to_owned),
            name: self.name.clone(),
            status,
            record: None,
            strings: Vec::new(),
            tags: Vec::new(),
            key_type: None,
            key_format: None,
            bits: None,
            testing: false,
            findings: Vec::new(),
        }
    }

    fn finding(&self, code: Code) -> Finding {
        Finding::new(code)
            .with_domain(&self.name)
            .with("selector", &self.selector)
            .with("name", &self.name)
    }
}

/// The selectors to try: the named ones first, each once, then the common ones not named.
fn candidates(domain: &str, named_selectors: &[NamedSelector]) -> Vec<Candidate> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let named = named_selectors
        .iter()
        .map(|named| (normalize_selector(&named.selector), named.source, None));
    let guessed = COMMON_SELECTORS.iter().map(|(selector, provider)| {
        (
            (*selector).to_owned(),
            SelectorSource::Guessed,
            Some(*provider),
        )
    });
    for (selector, source, provider) in named.chain(guessed) {
        if selector.is_empty() || candidates.iter().any(|c| c.selector == selector) {
            continue;
        }
        let name = key_name(&selector, domain);
        let valid = is_valid_selector(&selector) && is_queryable_name(&name, true);
        candidates.push(Candidate {
            selector,
            source,
            provider,
            name,
            valid,
        });
    }
    candidates
}

/// Checks the DKIM keys of `domain` at the named selectors and the common ones, or names every
/// query still needed (all of them in one round).
pub fn check_dkim(
    domain: &str,
    named_selectors: &[NamedSelector],
    cache: &AnswerCache,
) -> Result<DkimSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let candidates = candidates(&domain, named_selectors);
    let missing: Vec<Query> = candidates
        .iter()
        .filter(|candidate| candidate.valid)
        .map(Candidate::query)
        .filter(|query| cache.get(query).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }

    let mut selectors = Vec::new();
    let mut guessed_tried = Vec::new();
    let mut guessed_missing = Vec::new();
    let mut guessed_failures: Vec<Failure> = Vec::new();
    let mut named_failed = false;
    for candidate in &candidates {
        if !candidate.is_named() {
            guessed_tried.push(candidate.selector.clone());
        }
        if !candidate.valid {
            let mut selector = candidate.selector(SelectorStatus::InvalidName);
            selector.findings.push(
                candidate
                    .finding(Code::DkimSelectorMissing)
                    .with("source", candidate.source.as_str())
                    .with("reason", "invalid"),
            );
            selectors.push(selector);
            continue;
        }
        let query = candidate.query();
        let answer = cache.get(&query).expect("every query is cached");
        match answer {
            Answer::Failed { failure } => {
                if candidate.is_named() {
                    // RFC 6376 §6.1.2: a failed key lookup is a temporary failure, never "no key".
                    named_failed = true;
                    let mut selector = candidate.selector(SelectorStatus::LookupFailed);
                    selector.findings.push(
                        candidate
                            .finding(Code::DkimDnsError)
                            .with("query", &query)
                            .with("failure", failure.as_str()),
                    );
                    selectors.push(selector);
                } else {
                    guessed_failures.push(*failure);
                }
            }
            answer => {
                let selector = key_selector(candidate, answer);
                match selector {
                    Some(selector) => selectors.push(selector),
                    None if candidate.is_named() => {
                        let mut selector = candidate.selector(SelectorStatus::NoKey);
                        let answer_kind = match answer {
                            Answer::Nxdomain => "NXDOMAIN",
                            Answer::Records { .. } => "other-txt",
                            _ => "NODATA",
                        };
                        selector.findings.push(
                            candidate
                                .finding(Code::DkimSelectorMissing)
                                .with("source", candidate.source.as_str())
                                .with("answer", answer_kind),
                        );
                        selectors.push(selector);
                    }
                    None => guessed_missing.push(candidate.selector.clone()),
                }
            }
        }
    }

    let mut findings: Vec<Finding> = selectors
        .iter()
        .flat_map(|selector| selector.findings.iter().cloned())
        .collect();
    if !guessed_missing.is_empty() {
        // One finding for all guessed selectors without a key: they were only a guess.
        findings.push(
            Finding::new(Code::DkimSelectorMissing)
                .with_severity(Severity::Info)
                .with_domain(&domain)
                .with("domain", &domain)
                .with("source", SelectorSource::Guessed.as_str())
                .with("selectors", guessed_missing.join(", "))
                .with("count", guessed_missing.len()),
        );
    }
    let any_key = selectors
        .iter()
        .any(|s| matches!(s.status, SelectorStatus::Key | SelectorStatus::Revoked));
    let all_guessed_failed =
        !guessed_tried.is_empty() && guessed_failures.len() == guessed_tried.len();
    if !any_key && all_guessed_failed {
        findings.push(
            Finding::new(Code::DkimDnsError)
                .with_domain(&domain)
                .with("domain", &domain)
                .with("source", SelectorSource::Guessed.as_str())
                .with("count", guessed_failures.len())
                .with("failure", guessed_failures[0].as_str()),
        );
    } else if !any_key && !named_failed {
        let tried: Vec<&str> = candidates
            .iter()
            .filter(|c| c.valid)
            .map(|c| c.selector.as_str())
            .collect();
        let mut finding = Finding::new(Code::DkimNoneFound)
            .with_domain(&domain)
            .with("domain", &domain)
            .with("count", tried.len())
            .with("selectors", tried.join(", "));
        if !guessed_failures.is_empty() {
            finding = finding.with("failed", guessed_failures.len());
        }
        findings.push(finding);
    }
    Ok(DkimSection {
        domain,
        selectors,
        guessed_selectors: guessed_tried,
        findings,
    })
}

/// The selector's key record, parsed, with its findings; `None` when the answer holds no key
/// record.
fn key_selector(candidate: &Candidate, answer: &Answer) -> Option<DkimSelector> {
    let key_records: Vec<(&Vec<Vec<u8>>, String)> = answer
        .record_data()
        .iter()
        .filter_map(|record| match record {
            RecordData::Txt(strings) => Some((strings, parse::join_strings(strings))),
            _ => None,
        })
        .filter(|(_, text)| parse::is_key_record(text))
        .collect();
    let (strings, text) = key_records.first()?;
    let record = parse::parse(text);
    let status = if record.revoked {
        SelectorStatus::Revoked
    } else {
        SelectorStatus::Key
    };
    let mut selector = candidate.selector(status);
    selector.record = Some(record.text.clone());
    if strings.len() > 1 {
        selector.strings = strings
            .iter()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect();
    }
    let mut findings: Vec<Finding> = record
        .diagnostics
        .iter()
        // A guessed selector's problems weigh as much as a named one's: a key that is published
        // is a key receivers may use. Only "missing" is softened for guesses.
        .map(|diagnostic| {
            diagnostic
                .clone()
                .with_domain(&candidate.name)
                .with("selector", &candidate.selector)
                .with("name", &candidate.name)
        })
        .collect();
    if key_records.len() > 1 {
        // RFC 6376 §3.6.2.2: several key records at one name give undefined results.
        findings.push(
            candidate
                .finding(Code::DkimSyntaxError)
                .with("reason", "multiple")
                .with("count", key_records.len()),
        );
    }
    // RFC 8301 §3.2: the key must decode and be at least 2048 bits (RSA) to be called good.
    let blocking = findings.iter().any(|f| {
        f.severity >= Severity::Error || matches!(f.code, Code::DkimKeyWeak | Code::DkimKeyRevoked)
    });
    if let (Some(key_type), Some(bits), false) = (record.key_type, record.bits, blocking) {
        findings.push(
            candidate
                .finding(Code::DkimOk)
                .with("key_type", key_type.as_str())
                .with("bits", bits),
        );
    }
    selector.tags = record.tags;
    selector.key_type = record.key_type;
    selector.key_format = record.key_format;
    selector.bits = record.bits;
    selector.testing = record.testing;
    selector.findings = findings;
    Some(selector)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_reduced_to_their_labels() {
        for (typed, expect) in [
            ("s1", "s1"),
            (" Selector1 ", "selector1"),
            ("s1._domainkey", "s1"),
            ("S1._domainkey.Example.com.", "s1"),
            ("a.b", "a.b"),
            ("", ""),
        ] {
            assert_eq!(normalize_selector(typed), expect, "{typed:?}");
        }
        assert!(is_valid_selector("s1-ionos"));
        assert!(is_valid_selector("mbo0001"));
        assert!(is_valid_selector("2024._x"));
        assert!(!is_valid_selector("bad selector"));
        assert!(!is_valid_selector("a..b"));
        assert!(!is_valid_selector(&"x".repeat(64)));
    }

    #[test]
    fn common_selectors_are_unique_and_valid() {
        assert!((20..=30).contains(&COMMON_SELECTORS.len()));
        for (index, (selector, provider)) in COMMON_SELECTORS.iter().enumerate() {
            assert!(is_valid_selector(selector), "{selector}");
            assert_eq!(normalize_selector(selector), *selector);
            assert!(!provider.is_empty());
            assert!(
                COMMON_SELECTORS[..index].iter().all(|(s, _)| s != selector),
                "{selector} twice"
            );
        }
    }

    #[test]
    fn named_selectors_come_first_and_once() {
        let named = [
            NamedSelector::user("google"),
            NamedSelector::profile("Google"),
            NamedSelector::profile("vendor1"),
            NamedSelector::user(""),
        ];
        let candidates = candidates("example.com", &named);
        assert_eq!(candidates[0].selector, "google");
        assert_eq!(candidates[0].source, SelectorSource::User);
        assert_eq!(candidates[1].selector, "vendor1");
        assert_eq!(candidates[1].source, SelectorSource::Profile);
        assert_eq!(candidates.len(), COMMON_SELECTORS.len() + 1);
        assert!(candidates[2..].iter().all(|c| !c.is_named()));
        assert_eq!(candidates[1].name, "vendor1._domainkey.example.com");
    }
}
