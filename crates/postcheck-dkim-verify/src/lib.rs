//! DKIM signature verification (RFC 6376 §6) of a pasted message, by mail-auth, fed with the
//! core's DNS answers instead of its own resolver: [`key_queries`] names the key records a
//! message's signatures need, the driver answers them, [`verify`] checks every signature against
//! those answers. Kept out of the core and the page's main module: it is the heavy part, loaded
//! only when a whole message is pasted.
//!
//! Three rules are postcheck's own, on top of mail-auth's verdict:
//! - an RSA key under 1024 bits fails the signature (RFC 8301 §3.2), measured by the core's key
//!   reader, so that the verdict is the one `postcheck check` gives the key;
//! - a signature with `l=` is verified as RFC 6376 §3.4.5 and §3.7 say: the body hash covers
//!   the first `l` octets of the *canonicalized* body (mail-auth cuts the raw body, and its
//!   strict mode rejects `l=` outright), and what lies beyond `l=` is reported as not signed;
//! - headers without a body cannot be verified (the body hash covers the body, §3.7): each
//!   signature says so instead of failing on an empty body.
//!
//! mail-auth judges signature expiry (`x=`, RFC 6376 §3.5) with its own clock reading. The crate
//! builds natively (the CLI) and for WebAssembly (the `/tools` page's verifier module).

use mail_auth::crypto::HashAlgorithm;
use mail_auth::dkim::{Canonicalization, DkimError, DomainKey, Signature};
use mail_auth::dns::TxtRecordParser;
use mail_auth::{
    AuthenticatedMessage, DkimResult, DnsCache, MessageAuthenticator, Mx, Negative, Parameters,
    RecordSet, ResolverCache, TxtRecord,
};
use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use postcheck_core::findings::{Code, Finding};
use postcheck_core::taglist;
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
    /// Why, when it did not pass; for a pass with `l=`, what the signature leaves unsigned.
    pub reason: Option<String>,
    /// What postcheck adds to the verdict, with codes for the message tables: a key under 1024
    /// bits (`dkim-key-too-short`, the finding `postcheck check` gives the key), a body signed
    /// only in part (`dkim-body-length-limit`), no body to check (`dkim-body-missing`).
    pub findings: Vec<Finding>,
    /// `l=`: how much of the canonicalized body the signature covers.
    pub body_length: Option<BodyLength>,
}

/// A signature's `l=` against the body (RFC 6376 §3.4.5), in octets of the canonicalized body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLength {
    /// The `l=` value: the octets the body hash covers.
    pub signed: u64,
    /// The canonicalized body's length.
    pub body: u64,
}

impl BodyLength {
    /// The octets after `l=`, which the signature does not cover.
    pub fn unsigned(&self) -> u64 {
        self.body.saturating_sub(self.signed)
    }
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
        if postcheck_core::dns::name::is_valid_check_domain(&query.name)
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

/// One header of the message as written: name and value (after the `:`, line ends included).
struct RawHeader<'a> {
    name: &'a [u8],
    value: &'a [u8],
}

/// The message's header fields and where the body starts: after the first empty line
/// (RFC 5322 §2.1); `None` when there is none (headers only).
fn split_message(message: &[u8]) -> (Vec<RawHeader<'_>>, Option<usize>) {
    // (name, value start, value end) as offsets, folded lines joined to their field.
    let mut fields: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut body = None;
    let mut start = 0;
    while start < message.len() {
        let end = message[start..]
            .windows(2)
            .position(|pair| pair == b"\r\n")
            .map_or(message.len(), |at| start + at + 2);
        let line = &message[start..end];
        if line == b"\r\n" {
            body = Some(end);
            break;
        }
        if matches!(line.first(), Some(b' ' | b'\t')) {
            if let Some(last) = fields.last_mut() {
                last.3 = end;
            }
        } else if let Some(colon) = line.iter().position(|&b| b == b':') {
            fields.push((start, start + colon, start + colon + 1, end));
        }
        start = end;
    }
    let headers = fields
        .into_iter()
        .map(|(name_start, name_end, value_start, value_end)| RawHeader {
            name: &message[name_start..name_end],
            value: &message[value_start..value_end],
        })
        .collect();
    (headers, body)
}

/// The body canonicalized (RFC 6376 §3.4.3 simple, §3.4.4 relaxed), from CRLF text.
fn canonical_body(body: &[u8], canonicalization: Canonicalization) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    match canonicalization {
        Canonicalization::Simple => out.extend_from_slice(body),
        Canonicalization::Relaxed => {
            let mut rest = body;
            while !rest.is_empty() {
                let (line, terminated, after) =
                    match rest.windows(2).position(|pair| pair == b"\r\n") {
                        Some(at) => (&rest[..at], true, &rest[at + 2..]),
                        None => (rest, false, &rest[rest.len()..]),
                    };
                let mut space = false;
                for &byte in line {
                    if byte == b' ' || byte == b'\t' {
                        space = true;
                    } else {
                        if space {
                            out.push(b' ');
                            space = false;
                        }
                        out.push(byte);
                    }
                }
                // Whitespace at the end of the line goes (a pending `space` is dropped).
                if terminated {
                    out.extend_from_slice(b"\r\n");
                }
                rest = after;
            }
        }
    }
    // Empty lines at the end go; a body that does not end in CRLF gets one.
    while out.ends_with(b"\r\n\r\n") {
        out.truncate(out.len() - 2);
    }
    match canonicalization {
        Canonicalization::Relaxed if out == b"\r\n" => out.clear(),
        Canonicalization::Relaxed if out.is_empty() => {}
        _ if out.is_empty() => out.extend_from_slice(b"\r\n"),
        _ => {
            if !out.ends_with(b"\r\n") {
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out
}

/// The `l=` tag of a DKIM-Signature value (RFC 6376 §3.5), when it has one with a number;
/// `l=0` counts (no body octet is signed), unlike in mail-auth, which reads it as absent.
fn body_length_tag(value: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(value);
    taglist::split(&text, taglist::fws)
        .into_iter()
        .find_map(|(tag, has_equals)| {
            if !has_equals || tag.name != "l" {
                return None;
            }
            let digits: String = tag.value.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(digits.parse().unwrap_or(u64::MAX))
        })
}

/// One signature's verdict from mail-auth, owned; `signature` is `b=`, to tell the signatures
/// apart (`None`: a header mail-auth could not read).
struct Outcome {
    signature: Option<Vec<u8>>,
    result: &'static str,
    reason: Option<String>,
}

/// mail-auth's verdict in RFC 8601 §2.7.1 terms.
fn judged(result: &DkimResult) -> (&'static str, Option<String>) {
    match result {
        DkimResult::Pass => ("pass", None),
        // RFC 6376 §6.1.3: a body hash that does not verify is a PERMFAIL, which RFC 8601
        // §2.7.1 reports as `fail` (mail-auth calls it neutral).
        DkimResult::Neutral(err @ mail_auth::Error::Dkim(DkimError::BodyHashMismatch)) => {
            ("fail", Some(err.to_string()))
        }
        DkimResult::Neutral(err) => ("neutral", Some(err.to_string())),
        DkimResult::Fail(err) => ("fail", Some(err.to_string())),
        DkimResult::PermError(err) => ("permerror", Some(err.to_string())),
        DkimResult::TempError(err) => ("temperror", Some(err.to_string())),
        DkimResult::None => ("none", None),
    }
}

/// Runs mail-auth over `message`; `strict` leaves signatures with `l=` out (as errors).
fn run(
    authenticator: &MessageAuthenticator,
    message: &[u8],
    strict: bool,
    caches: &Caches,
) -> Vec<Outcome> {
    let Some(parsed) = AuthenticatedMessage::parse_with_opts(message, None, strict) else {
        return Vec::new();
    };
    // Every lookup is answered by the caches, so the verification completes in one poll; no
    // executor is needed (there is none to block on in a browser).
    let mut verification =
        pin!(authenticator.verify_dkim(Parameters::new(&parsed).with_cache(caches)));
    let Poll::Ready(outputs) = verification
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    else {
        return Vec::new();
    };
    outputs
        .iter()
        .map(|output| {
            let (result, reason) = judged(output.result());
            Outcome {
                signature: output.signature().map(|s| s.b.clone()),
                result,
                reason,
            }
        })
        .collect()
}

/// The caches mail-auth asks: the key answers for the message's key queries, nothing else.
fn caches(raw: &[u8], answers: &AnswerCache) -> Caches {
    let mut txt = HashMap::new();
    for query in key_queries(raw) {
        let key: Box<str> = format!("{}.", query.name).into_boxed_str();
        txt.insert(key, key_entry(answers.get(&query)));
    }
    Caches {
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
    }
}

/// A signature's `d=` and `s=` for the report, lowercase; empty when unreadable.
fn names(value: &[u8], parsed: Option<&Signature>) -> (String, String) {
    match parsed {
        Some(signature) => (
            signature.d.to_ascii_lowercase(),
            signature.s.to_ascii_lowercase(),
        ),
        None => postcheck_core::headers::parse_dkim_signature(&String::from_utf8_lossy(value))
            .map(|s| (s.domain, s.selector))
            .unwrap_or_default(),
    }
}

/// The key record's RSA size finding (`dkim-key-too-short`, RFC 8301 §3.2) as the core's key
/// parser gives it for `postcheck check`, when the published key is under 1024 bits.
fn key_too_short(answer: Option<&Answer>, domain: &str, selector: &str) -> Option<Finding> {
    let answer = answer?;
    let text = answer
        .record_data()
        .iter()
        .find_map(|record| match record {
            RecordData::Txt(strings) => {
                let text = postcheck_core::dns::join_txt_lossy(strings);
                postcheck_core::dkim::parse::is_key_record(&text).then_some(text)
            }
            _ => None,
        })?;
    let record = postcheck_core::dkim::parse::parse(&text);
    record
        .diagnostics
        .into_iter()
        .find(|finding| finding.code == Code::DkimKeyTooShort)
        .map(|finding| {
            finding
                .with_domain(&postcheck_core::dkim::key_name(selector, domain))
                .with("selector", selector)
        })
}

/// A signature of headers pasted without their body: not verifiable (RFC 6376 §3.7).
fn without_body(value: &[u8]) -> SignatureCheck {
    let parsed = Signature::parse(value).ok();
    let (domain, selector) = names(value, parsed.as_ref());
    SignatureCheck {
        findings: vec![
            Finding::new(Code::DkimBodyMissing)
                .with("selector", &selector)
                .with("count", 1),
        ],
        domain,
        selector,
        result: "neutral",
        reason: Some(
            "only the headers were pasted: the signature covers the body too (bh=, RFC 6376 \
             §3.7), so it cannot be verified without the body"
                .to_owned(),
        ),
        body_length: None,
    }
}

/// A signature with `l=` (RFC 6376 §3.4.5): the body hash over the first `l` octets of the
/// canonicalized body, then the header signature by mail-auth over the message with exactly
/// that much body. mail-auth cuts the raw body at `l` before canonicalizing; given a body that
/// is already canonical and `l` long, the two agree, so it is handed that body. Only when `l`
/// ends where the canonical form is not final (inside a line) is that impossible.
fn verify_body_length(
    authenticator: &MessageAuthenticator,
    message: &[u8],
    body_offset: usize,
    signature: &Signature,
    length: u64,
    caches: &Caches,
) -> (&'static str, Option<String>, BodyLength) {
    let canonical = canonical_body(&message[body_offset..], signature.cb);
    let body_length = BodyLength {
        signed: length,
        body: canonical.len() as u64,
    };
    let covered = &canonical[..usize::try_from(length)
        .unwrap_or(usize::MAX)
        .min(canonical.len())];
    let hash = HashAlgorithm::from(signature.a).hash(covered);
    if hash.as_ref() != signature.bh.as_slice() {
        let mut reason = format!(
            "the body hash over the first {} octets of the canonicalized body does not match \
             bh= (RFC 6376 §3.7)",
            covered.len()
        );
        if length > body_length.body {
            reason.push_str(&format!(
                "; the body is shorter than l={length}: {} octets",
                body_length.body
            ));
        }
        return ("fail", Some(reason), body_length);
    }
    if canonical_body(covered, signature.cb) != covered {
        return (
            "neutral",
            Some(format!(
                "the body hash over the first {length} octets matches, but l= ends inside a \
                 line of the canonicalized body, where this verifier cannot check the header \
                 signature"
            )),
            body_length,
        );
    }
    let mut rebuilt = message[..body_offset].to_vec();
    rebuilt.extend_from_slice(covered);
    let outcome = run(authenticator, &rebuilt, false, caches)
        .into_iter()
        .find(|outcome| outcome.signature.as_deref() == Some(signature.b.as_slice()));
    match outcome {
        Some(Outcome {
            result: "pass",
            reason: _,
            signature: _,
        }) => {
            let reason = if body_length.unsigned() > 0 {
                format!(
                    "the body is signed only up to l={length} octets; the {} octets after it \
                     are not covered (RFC 6376 §8.2)",
                    body_length.unsigned()
                )
            } else {
                format!(
                    "signed with l={length}: the whole body today, but text appended later \
                     would not be covered (RFC 6376 §8.2)"
                )
            };
            ("pass", Some(reason), body_length)
        }
        Some(outcome) => (outcome.result, outcome.reason, body_length),
        None => ("neutral", None, body_length),
    }
}

/// Checks every DKIM signature of the message against the supplied key answers (those of
/// [`key_queries`]; a query without an answer counts as a failed lookup). Headers without a
/// body give each signature `neutral` with `dkim-body-missing`, without asking for keys.
pub fn verify(raw: &[u8], answers: &AnswerCache) -> Vec<SignatureCheck> {
    let message = crlf(raw);
    let (headers, body_offset) = split_message(&message);
    let values: Vec<&[u8]> = headers
        .iter()
        .filter(|h| h.name.trim_ascii().eq_ignore_ascii_case(b"DKIM-Signature"))
        .map(|h| h.value)
        .collect();
    if values.is_empty() {
        return Vec::new();
    }
    let Some(body_offset) = body_offset else {
        return values.into_iter().map(without_body).collect();
    };
    let caches = caches(raw, answers);
    let Some(authenticator) = authenticator() else {
        return Vec::new();
    };
    let outcomes = run(&authenticator, &message, true, &caches);
    let body_is_empty = message.len() == body_offset;
    values
        .into_iter()
        .map(|value| {
            let parsed = Signature::parse(value);
            let (domain, selector) = names(value, parsed.as_ref().ok());
            let mut check = SignatureCheck {
                domain,
                selector,
                result: "neutral",
                reason: None,
                findings: Vec::new(),
                body_length: None,
            };
            let signature = match parsed {
                Ok(signature) => signature,
                Err(err) => {
                    check.reason = Some(err.to_string());
                    return check;
                }
            };
            if let Some(length) = body_length_tag(value) {
                let (result, reason, body_length) = verify_body_length(
                    &authenticator,
                    &message,
                    body_offset,
                    &signature,
                    length,
                    &caches,
                );
                (check.result, check.reason) = (result, reason);
                check.body_length = Some(body_length);
                if result == "pass" {
                    check.findings.push(
                        Finding::new(Code::DkimBodyLengthLimit)
                            .with_domain(&check.domain)
                            .with("selector", &check.selector)
                            .with("signed", body_length.signed)
                            .with("body", body_length.body)
                            .with("unsigned", body_length.unsigned()),
                    );
                }
            } else if let Some(outcome) = outcomes
                .iter()
                .find(|outcome| outcome.signature.as_deref() == Some(signature.b.as_slice()))
            {
                (check.result, check.reason) = (outcome.result, outcome.reason.clone());
                if body_is_empty
                    && check.result == "fail"
                    && let Some(reason) = check.reason.as_mut()
                {
                    reason
                        .push_str("; the pasted message has an empty body: was all of it pasted?");
                }
            }
            let query = Query::new(
                &postcheck_core::dkim::key_name(&check.selector, &check.domain),
                RecordType::Txt,
            );
            if let Some(finding) =
                key_too_short(answers.get(&query), &check.domain, &check.selector)
            {
                // RFC 8301 §3.2: verifiers MUST NOT consider signatures using RSA keys of less
                // than 1024 bits as valid signatures.
                let bits = finding.param("bits").to_owned();
                let minimum = finding.param("minimum").to_owned();
                let besides = match (check.result, &check.reason) {
                    ("pass", _) => "; the signature itself matches the key".to_owned(),
                    (_, Some(reason)) => format!("; besides: {reason}"),
                    (_, None) => String::new(),
                };
                check.result = "fail";
                check.reason = Some(format!(
                    "RSA key of {bits} bits, under the {minimum} bits a verifier must accept \
                     (RFC 8301 §3.2){besides}"
                ));
                check
                    .findings
                    .retain(|f| f.code != Code::DkimBodyLengthLimit);
                check.findings.push(finding);
            }
            check
        })
        .collect()
}

#[cfg(test)]
mod tests;
