//! The verifier's tests: the signed fixture of tests/headers, and messages signed here with
//! keys generated here (mail-auth's signer), for the key size, `l=` and headers-only rules.

use super::*;
use mail_auth::crypto::{RsaKey, Sha256};
use mail_auth::dkim::DkimSigner;
use mail_auth::dkim::generate::DkimKeyPair;
use mail_auth::headers::HeaderWriter as _;
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer};

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
        b"DKIM-Signature: v=1; a=rsa-sha256; d=bad/name.test; s=s1; h=from; bh=x; b=y\r\n".to_vec();
    doubled.extend_from_slice(&raw);
    assert_eq!(key_queries(&doubled), queries);
    let tampered = verify(&message("dkim-signed-tampered.eml"), &answers);
    assert_eq!(tampered[0].result, "fail", "{tampered:?}");
    // Signed with l=, a paragraph appended afterwards: the signature holds, and says so.
    let appended = verify(&message("dkim-signed-length.eml"), &answers);
    assert_eq!(appended[0].result, "pass", "{appended:?}");
    assert_eq!(appended[0].findings[0].code, Code::DkimBodyLengthLimit);
    assert!(
        appended[0].body_length.unwrap().unsigned() > 50,
        "{appended:?}"
    );
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

/// A key pair generated for the test and its record as published at
/// `sel._domainkey.example.test`.
struct TestKey {
    pair: DkimKeyPair,
}

impl TestKey {
    fn rsa(bits: usize) -> TestKey {
        TestKey {
            pair: DkimKeyPair::generate_rsa(bits).expect("key generation"),
        }
    }

    fn record(&self) -> String {
        format!("v=DKIM1; k=rsa; p={}", self.pair.encoded_public_key())
    }

    fn answers(&self) -> AnswerCache {
        let mut answers = AnswerCache::new();
        answers.insert(
            Query::new("sel._domainkey.example.test", RecordType::Txt),
            Answer::records(vec![RecordData::Txt(vec![self.record().into_bytes()])]),
        );
        answers
    }

    /// The message with a DKIM-Signature prepended (relaxed/relaxed; `l=` when asked).
    fn sign(&self, message: &str, body_length: bool) -> String {
        let key = RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(
            self.pair.private_key().to_vec(),
        )))
        .expect("the generated key loads");
        let signature = DkimSigner::from_key(key)
            .domain("example.test")
            .selector("sel")
            .headers(["From", "To", "Subject"])
            .body_length(body_length)
            .sign(message.as_bytes())
            .expect("signed");
        format!("{}{message}", signature.to_header())
    }
}

/// A message whose body is already canonical (relaxed and simple alike): its raw length is its
/// canonical length, so mail-auth's signer writes the `l=` RFC 6376 §3.4.5 means.
const MESSAGE: &str = "From: Kunde <info@example.test>\r\nTo: a@receiver.test\r\nSubject: Rechnung\r\n\r\nGuten Tag,\r\nanbei die Rechnung.\r\n";
const BODY: &str = "Guten Tag,\r\nanbei die Rechnung.\r\n";

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn a_key_under_1024_bits_fails_the_signature_with_the_checks_verdict() {
    let key = TestKey::rsa(512);
    let signed = key.sign(MESSAGE, false);
    let checks = verify(signed.as_bytes(), &key.answers());
    assert_eq!(checks.len(), 1);
    let check = &checks[0];
    assert_eq!(check.result, "fail", "{check:?}");
    let reason = check.reason.as_deref().unwrap();
    assert!(reason.contains("512 bits"), "{reason}");
    assert!(reason.contains("RFC 8301 §3.2"), "{reason}");
    // Only the key size is wrong: the signature itself verifies.
    assert!(
        reason.contains("the signature itself matches the key"),
        "{reason}"
    );
    // The same finding `postcheck check` gives the key record.
    let record = postcheck_core::dkim::parse::parse(&key.record());
    let from_check = record
        .diagnostics
        .iter()
        .find(|f| f.code == Code::DkimKeyTooShort)
        .expect("the check flags the key");
    let finding = &check.findings[0];
    assert_eq!(finding.code, Code::DkimKeyTooShort);
    assert_eq!(finding.param("bits"), from_check.param("bits"));
    assert_eq!(finding.param("bits"), "512");
    assert_eq!(finding.param("minimum"), "1024");
    assert_eq!(finding.param("selector"), "sel");
    // 1024 bits is the minimum a verifier accepts (a weak key, but a valid signature).
    let key = TestKey::rsa(1024);
    let checks = verify(key.sign(MESSAGE, false).as_bytes(), &key.answers());
    assert_eq!(checks[0].result, "pass", "{checks:?}");
    assert_eq!(checks[0].findings, []);
}

#[test]
fn a_signature_with_l_is_verified_over_the_canonicalized_body_and_says_what_is_unsigned() {
    let key = TestKey::rsa(1024);
    let answers = key.answers();
    let signed = key.sign(MESSAGE, true);
    assert!(signed.contains(&format!("l={}", BODY.len())), "{signed}");
    // As signed: the whole body is covered, but l= would let anyone append.
    let checks = verify(signed.as_bytes(), &answers);
    assert_eq!(checks[0].result, "pass", "{checks:?}");
    assert_eq!(
        checks[0].body_length,
        Some(BodyLength {
            signed: BODY.len() as u64,
            body: BODY.len() as u64
        })
    );
    assert_eq!(checks[0].findings[0].code, Code::DkimBodyLengthLimit);
    assert_eq!(checks[0].findings[0].param("unsigned"), "0");
    // Text appended after signing: still a pass, and the unsigned octets are named.
    let appended = format!("{signed}Bitte zahlen Sie an ein anderes Konto.\r\n");
    let checks = verify(appended.as_bytes(), &answers);
    assert_eq!(checks[0].result, "pass", "{checks:?}");
    let unsigned = "Bitte zahlen Sie an ein anderes Konto.\r\n".len() as u64;
    assert_eq!(checks[0].body_length.unwrap().unsigned(), unsigned);
    assert_eq!(
        checks[0].findings[0].param("unsigned"),
        unsigned.to_string()
    );
    let reason = checks[0].reason.as_deref().unwrap();
    assert!(
        reason.contains(&format!("the {unsigned} octets after it")),
        "{reason}"
    );
    // A change inside the signed part fails the body hash.
    let changed = appended.replace("anbei die Rechnung", "anbei die Mahnung");
    let checks = verify(changed.as_bytes(), &answers);
    assert_eq!(checks[0].result, "fail", "{checks:?}");
    assert!(checks[0].reason.as_deref().unwrap().contains("body hash"));
    // Signed again without l= (a forwarder's signature on top): each is judged on its own.
    let twice = key.sign(&signed, false);
    let checks = verify(twice.as_bytes(), &answers);
    let read: Vec<(&str, bool)> = checks
        .iter()
        .map(|c| (c.result, c.body_length.is_some()))
        .collect();
    assert_eq!(read, [("pass", false), ("pass", true)], "{checks:?}");
    // Pasted with LF line ends, as text usually is: the same verdict.
    let unix = appended.replace("\r\n", "\n");
    assert_eq!(verify(unix.as_bytes(), &answers)[0].result, "pass");
}

#[test]
fn l_counts_octets_after_canonicalization() {
    // Relaxed canonicalization drops trailing whitespace, so the canonical body is shorter
    // than the raw one; mail-auth's signer writes the raw length, which reaches past the
    // canonical body: the whole body is covered.
    let key = TestKey::rsa(1024);
    let message = "From: info@example.test\r\nTo: a@receiver.test\r\nSubject: x\r\n\r\nZeile   mit  Leerraum   \r\n\r\n\r\n";
    let signed = key.sign(message, true);
    let checks = verify(signed.as_bytes(), &key.answers());
    assert_eq!(checks[0].result, "pass", "{checks:?}");
    let length = checks[0].body_length.unwrap();
    assert_eq!(length.body, "Zeile mit Leerraum\r\n".len() as u64);
    assert!(length.signed > length.body);
    assert_eq!(length.unsigned(), 0);
}

#[test]
fn an_l_that_ends_inside_a_line_is_not_judged_from_the_body_hash_alone() {
    // bh= over the first 5 canonical octets ("Guten"): the body hash matches, but the header
    // signature cannot be checked over a body cut inside a line.
    let canonical = canonical_body(BODY.as_bytes(), Canonicalization::Relaxed);
    let bh = base64(HashAlgorithm::Sha256.hash(&canonical[..5]).as_ref());
    let header = format!(
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=sel; \
         h=from; l=5; bh={bh}; b=AAAA\r\n"
    );
    let key = TestKey::rsa(1024);
    let checks = verify(format!("{header}{MESSAGE}").as_bytes(), &key.answers());
    assert_eq!(checks[0].result, "neutral", "{checks:?}");
    assert!(
        checks[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("inside a line")
    );
    // With a bh= for another body, the body hash fails first.
    let header = header.replace(&bh, "AAAA");
    let checks = verify(format!("{header}{MESSAGE}").as_bytes(), &key.answers());
    assert_eq!(checks[0].result, "fail", "{checks:?}");
}

#[test]
fn headers_without_the_body_cannot_be_verified_and_say_so() {
    let raw = String::from_utf8(message("dkim-signed.eml")).unwrap();
    let headers_only = raw.split("\n\n").next().unwrap().to_owned();
    assert!(headers_only.contains("DKIM-Signature"));
    // No key is needed to say so.
    let checks = verify(headers_only.as_bytes(), &AnswerCache::new());
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].result, "neutral");
    assert_eq!(checks[0].domain, "signed.report.test");
    assert!(
        checks[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("without the body")
    );
    assert_eq!(checks[0].findings[0].code, Code::DkimBodyMissing);
    // The core's header analysis says the same for the page, which has no verifier for it.
    let report = postcheck_core::headers::analyze(&headers_only);
    assert!(!report.whole_message);
    assert_eq!(report.findings[0].code, Code::DkimBodyMissing);
}

#[test]
fn body_canonicalization_follows_rfc_6376_section_3_4_5() {
    // The example of RFC 6376 §3.4.5 (body part).
    let body = b" C \r\nD \t E\r\n\r\n\r\n";
    assert_eq!(
        canonical_body(body, Canonicalization::Simple),
        b" C \r\nD \t E\r\n"
    );
    assert_eq!(
        canonical_body(body, Canonicalization::Relaxed),
        b" C\r\nD E\r\n"
    );
    // An empty body: CRLF in simple, nothing in relaxed (§3.4.3, §3.4.4).
    assert_eq!(canonical_body(b"", Canonicalization::Simple), b"\r\n");
    assert_eq!(canonical_body(b"", Canonicalization::Relaxed), b"");
    assert_eq!(canonical_body(b" \r\n\r\n", Canonicalization::Relaxed), b"");
    // A last line without CRLF gets one.
    assert_eq!(canonical_body(b"a", Canonicalization::Simple), b"a\r\n");
    assert_eq!(canonical_body(b"a \t", Canonicalization::Relaxed), b"a\r\n");
}

#[test]
fn l_tags_are_read_with_l_0_and_without_whitespace() {
    assert_eq!(body_length_tag(b" v=1; l= 12 ; bh=x"), Some(12));
    assert_eq!(body_length_tag(b"v=1; l=0; bh=x"), Some(0));
    assert_eq!(body_length_tag(b"v=1; bh=x"), None);
    assert_eq!(body_length_tag(b"v=1; l=abc"), None);
}
