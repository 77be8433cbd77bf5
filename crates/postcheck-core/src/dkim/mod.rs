//! The DKIM check (RFC 6376, RFC 8301, RFC 8463): the public keys a domain publishes at the
//! selectors the user or the sender profile names, and at selectors its providers use.
//!
//! A receiver finds the key at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.2.1), with the
//! selector taken from the message's signature. Without a message, the check knows only the
//! selectors it is told, and guesses: the short [`UNIVERSAL_SELECTORS`] list, and the selectors
//! of the providers its SPF record and MX hosts point to ([`providers`]).
//! [`check_dkim`] is a pure function of an [`AnswerCache`] and the domain's MX hosts: the named
//! and first-tier universal selectors go out in the first round, a recognized provider's
//! selectors in the round after the answer that names the provider, and the second-tier
//! universal selectors only when the first round found no key record ([`Tier::Second`]), in the
//! round after it. CNAMEs (the usual way providers hand out their keys) are followed by the
//! resolver.

pub mod key;
pub mod parse;
pub mod providers;

pub use key::{KeyFormat, KeyType};
pub use parse::{DkimKeyRecord, DkimTag};
pub use providers::{PROVIDERS, Provider, Tier, UNIVERSAL_SELECTORS, UniversalSelector};

use crate::dns::Lookups;
use crate::dns::name::is_queryable_name;
use crate::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType, normalize_name};
use crate::findings::{Code, Finding, Severity};
use serde::{Deserialize, Serialize};

/// Who named a selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SelectorSource {
    /// The user typed it (`--dkim-selector`).
    User,
    /// The vendor's sender profile signs with it.
    Profile,
    /// One of [`UNIVERSAL_SELECTORS`] or of a recognized provider's, tried in case.
    Guessed,
}

impl SelectorSource {
    /// The lowercase name used in JSON (`user`, `profile`, `guessed`).
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
    /// The selector, the label in front of `._domainkey` (RFC 6376 §3.1).
    pub selector: String,
    /// Who named it.
    pub source: SelectorSource,
}

impl NamedSelector {
    /// A selector the user typed.
    pub fn user(selector: &str) -> Self {
        NamedSelector {
            selector: selector.to_owned(),
            source: SelectorSource::User,
        }
    }

    /// A selector the sender profile signs with.
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
    /// The selector, the label in front of `._domainkey` (RFC 6376 §3.1).
    pub selector: String,
    /// Who named it, or that it was guessed.
    pub source: SelectorSource,
    /// For a guessed selector, who is known to use it (the recognized providers that do, else
    /// the users [`UNIVERSAL_SELECTORS`] names).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub provider: Option<String>,
    /// The name looked up, `<selector>._domainkey.<domain>`.
    pub name: String,
    /// What the lookup found.
    pub status: SelectorStatus,
    /// The key record as shown (strings joined, RFC 6376 §3.6.2.2).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub record: Option<String>,
    /// The record's TXT character-strings, when there were several.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub strings: Vec<String>,
    /// The key record's tags in order (RFC 6376 §3.6.1).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags: Vec<DkimTag>,
    /// The stated key type (`k=`, `rsa` by default).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key_type: Option<KeyType>,
    /// How the key's bytes are packaged, when `p=` decoded to a key.
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
    /// The guessed selectors that were tried (those not named): the first-tier universal ones,
    /// the second-tier ones when they were asked ([`Tier::Second`]), then the recognized
    /// providers'.
    pub guessed_selectors: Vec<String>,
    /// The providers the domain's SPF record or MX hosts point to, whose selectors were tried
    /// (also those whose selectors cannot be guessed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<String>,
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
pub(crate) fn is_valid_selector(selector: &str) -> bool {
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
    provider: Option<String>,
    name: String,
    valid: bool,
    /// Named or first-tier universal: asked in the first round, whatever the other answers say.
    first_round: bool,
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
            provider: self.provider.clone(),
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

/// The selectors to try: the named ones first, each once, then the first-tier universal ones,
/// then `second_tier` (the second-tier universal selectors to try), then those of the
/// `recognized` providers, each selector once.
fn candidates(
    domain: &str,
    named_selectors: &[NamedSelector],
    second_tier: &[&str],
    recognized: &[&Provider],
) -> Vec<Candidate> {
    let mut candidates: Vec<Candidate> = Vec::new();
    // Each selector once, found in constant time: a snapshot link can name thousands
    // (a linear scan per selector made this quadratic, issue 13 part 4).
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let named = named_selectors
        .iter()
        .map(|named| (normalize_selector(&named.selector), named.source, true));
    let first_tier = providers::universal_selectors(Tier::First)
        .map(|selector| (selector.to_owned(), SelectorSource::Guessed, true));
    let second_tier = second_tier
        .iter()
        .map(|selector| ((*selector).to_owned(), SelectorSource::Guessed, false));
    let provided = recognized.iter().flat_map(|provider| {
        provider
            .selectors
            .iter()
            .map(|selector| ((*selector).to_owned(), SelectorSource::Guessed, false))
    });
    for (selector, source, first_round) in
        named.chain(first_tier).chain(second_tier).chain(provided)
    {
        if selector.is_empty() || !seen.insert(selector.clone()) {
            continue;
        }
        let name = key_name(&selector, domain);
        let valid = is_valid_selector(&selector) && is_queryable_name(&name, true);
        let provider = match source {
            SelectorSource::Guessed => providers::selector_users(&selector, recognized),
            _ => None,
        };
        candidates.push(Candidate {
            selector,
            source,
            provider,
            name,
            valid,
            first_round,
        });
    }
    candidates
}

/// The second-tier universal selectors to try ([`Tier::Second`]): all of them once the named
/// and first-tier selectors are answered, the domain's TXT too (`spf_answered`), and no
/// selector answered so far holds a key record; else those already asked (their answers are in
/// `cache`: asked while no key was known, before a provider's selector showed one).
///
/// The decision waits for no provider selector that is still out: those go out in the round
/// after the domain's TXT answer, and the second tier goes with them instead of a round later.
fn second_tier(
    domain: &str,
    cache: &AnswerCache,
    spf_answered: bool,
    first_candidates: &[Candidate],
) -> Vec<&'static str> {
    let answer = |candidate: &Candidate| cache.get(&candidate.query());
    let first_round_answered = first_candidates
        .iter()
        .filter(|candidate| candidate.valid && candidate.first_round)
        .all(|candidate| answer(candidate).is_some());
    let key_seen = first_candidates
        .iter()
        .filter(|candidate| candidate.valid)
        .filter_map(answer)
        .any(|answer| !key_records(answer).is_empty());
    let needed = spf_answered && first_round_answered && !key_seen;
    providers::universal_selectors(Tier::Second)
        .filter(|selector| {
            needed
                || cache
                    .get(&Query::new(&key_name(selector, domain), RecordType::Txt))
                    .is_some()
        })
        .collect()
}

/// Checks the DKIM keys of `domain` at the named selectors and the guessed ones, or names every
/// query still needed.
///
/// The guesses follow the providers that the domain's SPF record (its TXT answer, and the
/// include targets' answers already in `cache`) and `mx_hosts` point to. `mx_hosts` are those
/// of [`crate::mx::MxSection::hosts`]; the planner passes none until the MX check is complete
/// and discards the section computed without them, as it does for MTA-STS. The second-tier
/// universal selectors are asked only when the first round shows no key record
/// ([`Tier::Second`]).
pub fn check_dkim(
    domain: &str,
    named_selectors: &[NamedSelector],
    mx_hosts: &[String],
    cache: &AnswerCache,
) -> Result<DkimSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let mut lookups = Lookups::new(cache);
    let spf_targets = match providers::spf_targets(&domain, cache) {
        Ok(targets) => targets,
        Err(query) => {
            lookups.note(query);
            Vec::new()
        }
    };
    let spf_answered = lookups.is_complete();
    let recognized = providers::recognize(&spf_targets, mx_hosts);
    let first_candidates = candidates(&domain, named_selectors, &[], &recognized);
    let second_tier = second_tier(&domain, cache, spf_answered, &first_candidates);
    let candidates = if second_tier.is_empty() {
        first_candidates
    } else {
        candidates(&domain, named_selectors, &second_tier, &recognized)
    };
    for candidate in candidates.iter().filter(|candidate| candidate.valid) {
        lookups.get(candidate.query());
    }
    if !lookups.is_complete() {
        return Err(lookups.into_missing());
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
    let any_key = selectors
        .iter()
        .any(|s| matches!(s.status, SelectorStatus::Key | SelectorStatus::Revoked));
    // A guess without a key is no finding once a key is found: it was only a guess. Without
    // any key, one line says what was tried (both tiers: without a key, the second was asked).
    if !any_key && !guessed_missing.is_empty() {
        findings.push(guesses_without_key(&domain, &guessed_missing, &recognized));
    }
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
        providers: recognized
            .iter()
            .map(|provider| provider.name.to_owned())
            .collect(),
        findings,
    })
}

/// The one finding about the guessed selectors when no key was found anywhere: which were
/// tried, for which recognized providers, and which recognized providers cannot be guessed.
fn guesses_without_key(domain: &str, missing: &[String], recognized: &[&Provider]) -> Finding {
    let names = |guessable: bool| -> Vec<&str> {
        recognized
            .iter()
            .filter(|provider| provider.is_guessable() == guessable)
            .map(|provider| provider.name)
            .collect()
    };
    let mut finding = Finding::new(Code::DkimSelectorMissing)
        .with_severity(Severity::Info)
        .with_domain(domain)
        .with("domain", domain)
        .with("source", SelectorSource::Guessed.as_str())
        .with("selectors", missing.join(", "))
        .with("count", missing.len());
    let guessable = names(true);
    if !guessable.is_empty() {
        finding = finding.with("providers", guessable.join(", "));
    }
    let unguessable = names(false);
    if !unguessable.is_empty() {
        finding = finding.with("unguessable", unguessable.join(", "));
    }
    finding
}

/// The key records of an answer (valid or not: revoked and broken keys too), each as its TXT
/// character-strings and their joined text; none for a failed lookup.
fn key_records(answer: &Answer) -> Vec<(&Vec<Vec<u8>>, String)> {
    answer
        .record_data()
        .iter()
        .filter_map(|record| match record {
            RecordData::Txt(strings) => Some((strings, crate::dns::join_txt_lossy(strings))),
            _ => None,
        })
        .filter(|(_, text)| parse::is_key_record(text))
        .collect()
}

/// The selector's key record, parsed, with its findings; `None` when the answer holds no key
/// record.
fn key_selector(candidate: &Candidate, answer: &Answer) -> Option<DkimSelector> {
    let key_records = key_records(answer);
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
    fn named_selectors_come_first_and_once() {
        let named = [
            NamedSelector::user("google"),
            NamedSelector::profile("Google"),
            NamedSelector::profile("vendor1"),
            NamedSelector::user(""),
        ];
        let candidates = candidates("example.com", &named, &[], &[]);
        assert_eq!(candidates[0].selector, "google");
        assert_eq!(candidates[0].source, SelectorSource::User);
        assert_eq!(candidates[0].provider, None);
        assert_eq!(candidates[1].selector, "vendor1");
        assert_eq!(candidates[1].source, SelectorSource::Profile);
        // The first tier only (google named): the second is asked later, if at all.
        let first_tier = providers::universal_selectors(Tier::First).count();
        assert_eq!(candidates.len(), first_tier + 1);
        assert!(candidates[2..].iter().all(|c| !c.is_named()));
        assert!(candidates.iter().all(|c| c.first_round));
        assert_eq!(candidates[1].name, "vendor1._domainkey.example.com");
    }

    #[test]
    fn a_recognized_providers_selectors_follow_the_universal_ones_once() {
        let recognized = providers::recognize(
            &["spf.protection.outlook.com".to_owned()],
            &["mx00.ionos.de".to_owned()],
        );
        let second: Vec<&str> = providers::universal_selectors(Tier::Second).collect();
        let candidates = candidates("example.com", &[], &second, &recognized);
        let selectors: Vec<&str> = candidates.iter().map(|c| c.selector.as_str()).collect();
        assert_eq!(
            selectors,
            [
                "google",
                "selector1",
                "s1",
                "default",
                "k1",
                "dkim",
                "selector2",
                "s1-ionos",
                "s2-ionos"
            ]
        );
        let first_round: Vec<&str> = candidates
            .iter()
            .filter(|c| c.first_round)
            .map(|c| c.selector.as_str())
            .collect();
        assert_eq!(first_round, ["google", "selector1", "s1"]);
        let provider = |selector: &str| {
            candidates
                .iter()
                .find(|c| c.selector == selector)
                .and_then(|c| c.provider.clone())
        };
        assert_eq!(provider("selector1").as_deref(), Some("Microsoft 365"));
        assert_eq!(provider("s2-ionos").as_deref(), Some("IONOS"));
        assert_eq!(provider("google").as_deref(), Some("Google Workspace"));
    }

    #[test]
    fn a_second_tier_selector_a_provider_uses_is_asked_as_its_selector() {
        // Mailchimp's k1 is a second-tier universal selector: without the second tier it is
        // still asked, as Mailchimp's, in the provider's place.
        let recognized = providers::recognize(&["servers.mcsv.net".to_owned()], &[]);
        let candidates = candidates("example.com", &[], &[], &recognized);
        let selectors: Vec<&str> = candidates.iter().map(|c| c.selector.as_str()).collect();
        assert_eq!(selectors, ["google", "selector1", "s1", "k1", "k2", "k3"]);
        assert_eq!(candidates[3].provider.as_deref(), Some("Mailchimp"));
        assert!(!candidates[3].first_round);
    }
}
