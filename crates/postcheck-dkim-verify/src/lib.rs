//! DKIM signature verification (RFC 6376 §6) of a pasted message, by mail-auth, fed with the
//! core's DNS answers instead of its own resolver: [`key_queries`] names the key records a
//! message's signatures need, the driver answers them, [`verify`] checks every signature against
//! those answers. Kept out of the core and the page's main module: it is the heavy part, loaded
//! only when a whole message is pasted.
//!
//! mail-auth judges signature expiry (`x=`, RFC 6376 §3.5) with its own clock reading. The crate
//! builds natively (the CLI) and for WebAssembly (the `/tools` page's verifier module).

use mail_auth::dkim::{DkimError, DomainKey};
use mail_auth::dns::TxtRecordParser;
use mail_auth::{
    AuthenticatedMessage, DkimResult, DnsCache, MessageAuthenticator, Mx, Negative, Parameters,
    RecordSet, ResolverCache, TxtRecord,
};
use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use std::borrow::Borrow;
use std::collections::HashMap;
use std::future::Future as _;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
#[cfg(not(target_arch = "wasm32"))]
use std::time::Instant;
#[cfg(target_arch = "wasm32")]
use web_time::Instant;

/// The result of one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    /// `d=`.
    pub domain: String,
    /// `s=`.
    pub selector: String,
    /// `pass`, `fail`, `neutral`, `temperror`, `permerror` or `none` (RFC 8601 §2.7.1).
    pub result: &'static str,
    /// Why, when it did not pass.
    pub reason: Option<String>,
}

/// Pasted text as a message: line ends made CRLF (RFC 5322 §2.1), as DKIM canonicalizes them.
fn crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 40);
    let mut previous = 0u8;
    for &byte in raw {
        if byte == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(byte);
        previous = byte;
    }
    out
}

/// The most key queries asked for one message: the gateway's batch limit. Signatures beyond
/// it are reported as not verifiable (temperror), never as failed.
pub const MAX_KEY_QUERIES: usize = 64;

/// The key records the message's DKIM signatures need: `<s>._domainkey.<d>` TXT each (read
/// with the core's header parser, RFC 6376 §3.6.2.1). A name that no DNS query can carry
/// (`d=` or `s=` with spaces, say) is left out, so that one broken signature cannot keep the
/// others from being checked; mail-auth then judges that signature on its own.
pub fn key_queries(raw: &[u8]) -> Vec<Query> {
    let text = String::from_utf8_lossy(raw);
    let (headers, _) = postcheck_core::headers::parse_headers(&text);
    let mut queries: Vec<Query> = Vec::new();
    for header in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("DKIM-Signature"))
    {
        let Some(signature) = postcheck_core::headers::parse_dkim_signature(&header.value) else {
            continue;
        };
        let query = Query::new(
            &format!("{}._domainkey.{}", signature.selector, signature.domain),
            RecordType::Txt,
        );
        if postcheck_core::spf::macros::is_valid_check_domain(&query.name)
            && !queries.contains(&query)
            && queries.len() < MAX_KEY_QUERIES
        {
            queries.push(query);
        }
    }
    queries
}

/// One record type's cached answers; names not listed answer `default`.
struct Table<K, V> {
    entries: HashMap<K, V>,
    default: V,
}

impl<K: Hash + Eq, V: Clone> ResolverCache<K, V> for Table<K, V> {
    fn get<Q>(&self, name: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        Some(self.entries.get(name).unwrap_or(&self.default).clone())
    }

    fn remove<Q>(&self, _name: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }

    fn insert(&self, _key: K, _value: V, _valid_until: Instant) {}
}

type Lookup<T> = Result<RecordSet<T>, Negative>;

#[cfg(not(target_arch = "wasm32"))]
const NXDOMAIN: Negative = Negative {
    code: mail_auth::hickory_resolver::proto::op::ResponseCode::NXDomain,
};
/// RCODE 3 (RFC 1035 §4.1.1); the DNS-over-HTTPS back end keeps RCODEs as numbers.
#[cfg(target_arch = "wasm32")]
const NXDOMAIN: Negative = Negative { code: 3 };

/// An authenticator whose resolver is never asked: [`Caches`] answers every lookup.
#[cfg(not(target_arch = "wasm32"))]
fn authenticator() -> Option<MessageAuthenticator> {
    use mail_auth::hickory_resolver::config::{ResolverConfig, ResolverOpts};
    // No name servers at all.
    MessageAuthenticator::new(
        ResolverConfig::from_parts(None, Vec::new(), Vec::new()),
        ResolverOpts::default(),
    )
    .ok()
}

/// An authenticator whose resolver is never asked: [`Caches`] answers every lookup.
#[cfg(target_arch = "wasm32")]
fn authenticator() -> Option<MessageAuthenticator> {
    // A reserved name (RFC 6761 §6.4), in case a lookup ever did slip past the caches.
    Some(MessageAuthenticator::new_doh(
        "https://unused.invalid/dns-query",
    ))
}

/// Every lookup answered from the supplied answers: DKIM keys as TXT, nothing else exists.
struct Caches {
    txt: Table<Box<str>, TxtRecord>,
    mx: Table<Box<str>, Lookup<Mx>>,
    ipv4: Table<Box<str>, Lookup<Ipv4Addr>>,
    ipv6: Table<Box<str>, Lookup<Ipv6Addr>>,
    ptr: Table<IpAddr, Lookup<Box<str>>>,
}

impl DnsCache for Caches {
    type Txt = Table<Box<str>, TxtRecord>;
    type Mx = Table<Box<str>, Lookup<Mx>>;
    type Ipv4 = Table<Box<str>, Lookup<Ipv4Addr>>;
    type Ipv6 = Table<Box<str>, Lookup<Ipv6Addr>>;
    type Ptr = Table<IpAddr, Lookup<Box<str>>>;

    fn txt(&self) -> Option<&Self::Txt> {
        Some(&self.txt)
    }
    fn mx(&self) -> Option<&Self::Mx> {
        Some(&self.mx)
    }
    fn ipv4(&self) -> Option<&Self::Ipv4> {
        Some(&self.ipv4)
    }
    fn ipv6(&self) -> Option<&Self::Ipv6> {
        Some(&self.ipv6)
    }
    fn ptr(&self) -> Option<&Self::Ptr> {
        Some(&self.ptr)
    }
}

/// A key answer as mail-auth caches it: the records' strings joined (RFC 6376 §3.6.2.2), parsed
/// as a DKIM key; a failed lookup is a DNS error (temperror), NXDOMAIN/NODATA an absent key.
fn key_entry(answer: Option<&Answer>) -> TxtRecord {
    let missing = || {
        TxtRecord::Error(mail_auth::Error::Dns(mail_auth::DnsError::Resolver(
            "no answer supplied".to_owned(),
        )))
    };
    let Some(answer) = answer else {
        return missing();
    };
    if answer.failure().is_some() {
        return missing();
    }
    let texts: Vec<Vec<u8>> = answer
        .record_data()
        .iter()
        .filter_map(|r| match r {
            RecordData::Txt(strings) => Some(strings.concat()),
            _ => None,
        })
        .collect();
    if texts.is_empty() {
        return TxtRecord::Error(NXDOMAIN.into());
    }
    TxtRecord::from(DomainKey::parse_records(&texts))
}

/// Checks every DKIM signature of the message against the supplied key answers (those of
/// [`key_queries`]; a query without an answer counts as a failed lookup).
pub fn verify(raw: &[u8], answers: &AnswerCache) -> Vec<SignatureCheck> {
    let message = crlf(raw);
    let Some(parsed) = AuthenticatedMessage::parse(&message) else {
        return Vec::new();
    };
    let mut txt = HashMap::new();
    for query in key_queries(raw) {
        let key: Box<str> = format!("{}.", query.name).into_boxed_str();
        txt.insert(key, key_entry(answers.get(&query)));
    }
    let caches = Caches {
        txt: Table {
            entries: txt,
            default: TxtRecord::Error(NXDOMAIN.into()),
        },
        mx: Table {
            entries: HashMap::new(),
            default: Err(NXDOMAIN),
        },
        ipv4: Table {
            entries: HashMap::new(),
            default: Err(NXDOMAIN),
        },
        ipv6: Table {
            entries: HashMap::new(),
            default: Err(NXDOMAIN),
        },
        ptr: Table {
            entries: HashMap::new(),
            default: Err(NXDOMAIN),
        },
    };
    let Some(authenticator) = authenticator() else {
        return Vec::new();
    };
    // Every lookup is answered by the caches, so the verification completes in one poll; no
    // executor is needed (there is none to block on in a browser).
    let mut verification =
        pin!(authenticator.verify_dkim(Parameters::new(&parsed).with_cache(&caches)));
    let Poll::Ready(outputs) = verification
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    else {
        return Vec::new();
    };
    outputs
        .iter()
        .map(|output| {
            let (result, reason) = match output.result() {
                DkimResult::Pass => ("pass", None),
                // RFC 6376 §6.1.3: a body hash that does not verify is a PERMFAIL, which
                // RFC 8601 §2.7.1 reports as `fail` (mail-auth calls it neutral).
                DkimResult::Neutral(err @ mail_auth::Error::Dkim(DkimError::BodyHashMismatch)) => {
                    ("fail", Some(err.to_string()))
                }
                DkimResult::Neutral(err) => ("neutral", Some(err.to_string())),
                DkimResult::Fail(err) => ("fail", Some(err.to_string())),
                DkimResult::PermError(err) => ("permerror", Some(err.to_string())),
                DkimResult::TempError(err) => ("temperror", Some(err.to_string())),
                DkimResult::None => ("none", None),
            };
            let (domain, selector) = output
                .signature()
                .map(|s| (s.d.to_ascii_lowercase(), s.s.to_ascii_lowercase()))
                .unwrap_or_default();
            SignatureCheck {
                domain,
                selector,
                result,
                reason,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture key as the bed's zone publishes it (tests/zones/report.test.zone).
    fn fixture_key() -> Answer {
        let zone = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/zones/report.test.zone"
        ))
        .unwrap();
        let start = zone
            .find("dkim2026._domainkey.signed")
            .expect("the fixture key");
        let end = start + zone[start..].find(')').unwrap();
        let strings: Vec<Vec<u8>> = zone[start..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|s| s.as_bytes().to_vec())
            .collect();
        Answer::records(vec![RecordData::Txt(strings)])
    }

    fn message(file: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../tests/headers/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn the_fixture_signature_verifies_and_a_changed_body_fails() {
        let raw = message("dkim-signed.eml");
        let queries = key_queries(&raw);
        assert_eq!(
            queries,
            [Query::new(
                "dkim2026._domainkey.signed.report.test",
                RecordType::Txt
            )]
        );
        let mut answers = AnswerCache::new();
        answers.insert(queries[0].clone(), fixture_key());
        let checks = verify(&raw, &answers);
        assert_eq!(checks.len(), 1);
        assert_eq!(
            (checks[0].domain.as_str(), checks[0].result),
            ("signed.report.test", "pass")
        );
        // A second signature whose d= is no DNS name is left out of the key queries.
        let mut doubled =
            b"DKIM-Signature: v=1; a=rsa-sha256; d=bad/name.test; s=s1; h=from; bh=x; b=y\r\n"
                .to_vec();
        doubled.extend_from_slice(&raw);
        assert_eq!(key_queries(&doubled), queries);
        let tampered = verify(&message("dkim-signed-tampered.eml"), &answers);
        assert_eq!(tampered[0].result, "fail", "{tampered:?}");
        // Without the key (a failed lookup): could not verify, never "fail".
        let mut failed = AnswerCache::new();
        failed.insert(
            queries[0].clone(),
            Answer::failed(postcheck_core::dns::Failure::Timeout),
        );
        assert_eq!(verify(&raw, &failed)[0].result, "temperror");
        let mut absent = AnswerCache::new();
        absent.insert(queries[0].clone(), Answer::Nxdomain);
        assert_eq!(verify(&raw, &absent)[0].result, "permerror");
    }
}
