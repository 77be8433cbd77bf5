//! Tests of `snapshot.rs`: the HMAC-SHA256 signature over canonical JSON (a known answer,
//! tampering), and signed report snapshots: every edit breaks them, repeated keys are refused.

use crate::request::Limits;
use crate::snapshot::{canonical_json, sign, sign_snapshot, verify, verify_snapshot};
use crate::tests::outcome;
use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use postcheck_core::report::{CheckInput, SignedSnapshot, Snapshot, build_report};

/// One edit of a signed snapshot.
type Edit = Box<dyn Fn(&mut SignedSnapshot)>;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

/// The key of the known answer: `b"k" * 32`.
const KNOWN_ANSWER_SECRET: &[u8] = b"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";

fn sample_snapshot() -> Vec<u8> {
    let mut answers = AnswerCache::new();
    answers.insert(
        Query::new("example.com", RecordType::Txt),
        Answer::records(vec![RecordData::Txt(vec![b"v=spf1 -all".to_vec()])]),
    );
    answers.insert(
        Query::new("_dmarc.example.com", RecordType::Txt),
        Answer::Nxdomain,
    );
    let snapshot = Snapshot {
        answers,
        ..Snapshot::default()
    };
    serde_json::to_vec(&snapshot).unwrap()
}

#[test]
fn sign_known_answer() {
    // Cross-checked with Python: hmac.new(b"k"*32, b'1700000000\n{"a":[true,null,"x"],"b":1}',
    // hashlib.sha256).hexdigest()
    let signature = sign(
        KNOWN_ANSWER_SECRET,
        br#"{ "b": 1, "a": [true, null, "x"] }"#,
        1_700_000_000,
    )
    .unwrap();
    assert_eq!(
        signature,
        "961c267c0eeb281325a5da1d04fde827adf177f71ee410c304bde139c315850f"
    );
    assert_eq!(
        canonical_json(br#"{"z":{"y":1,"x":[{"b":"\u00e9","a":"\n"}]},"a":-0.5}"#).unwrap(),
        r#"{"a":-0.5,"z":{"x":[{"a":"\n","b":"é"}],"y":1}}"#
    );
}

#[test]
fn sign_verify_round_trip_and_tampering() {
    let json = sample_snapshot();
    let taken_at = 1_763_900_000;
    let signature = sign(KNOWN_ANSWER_SECRET, &json, taken_at).unwrap();
    assert_eq!(signature.len(), 64);
    assert!(verify(KNOWN_ANSWER_SECRET, &json, taken_at, &signature));
    assert!(verify(
        KNOWN_ANSWER_SECRET,
        &json,
        taken_at,
        &signature.to_uppercase()
    ));

    // Re-serialized (pretty, other key order) it still verifies.
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    assert!(verify(KNOWN_ANSWER_SECRET, &pretty, taken_at, &signature));

    // An edited answer, another time, another secret, a mangled signature: all fail.
    let edited = String::from_utf8(json.clone())
        .unwrap()
        .replace("v=spf1 -all", "v=spf1 +all");
    assert_ne!(edited.as_bytes(), &json[..]);
    assert!(!verify(
        KNOWN_ANSWER_SECRET,
        edited.as_bytes(),
        taken_at,
        &signature
    ));
    let dropped = String::from_utf8(json.clone())
        .unwrap()
        .replace("nxdomain", "nodata");
    assert!(!verify(
        KNOWN_ANSWER_SECRET,
        dropped.as_bytes(),
        taken_at,
        &signature
    ));
    assert!(!verify(
        KNOWN_ANSWER_SECRET,
        &json,
        taken_at + 1,
        &signature
    ));
    let other_secret = [b'j'; 32];
    assert!(!verify(&other_secret, &json, taken_at, &signature));
    let mut flipped = signature.clone().into_bytes();
    flipped[63] = if flipped[63] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in [
        "",
        &signature[..62],
        &format!("{signature}00"),
        &flipped,
        &format!("+{}", &signature[1..]),
        &"g".repeat(64),
    ] {
        assert!(
            !verify(KNOWN_ANSWER_SECRET, &json, taken_at, bad),
            "{bad:?}"
        );
    }
    assert!(!verify(
        KNOWN_ANSWER_SECRET,
        b"not json",
        taken_at,
        &signature
    ));

    // Configuration and input errors.
    assert_eq!(
        sign(b"short", &json, taken_at).unwrap_err().code(),
        "misconfigured"
    );
    assert!(!verify(b"", &json, taken_at, &signature));
    assert_eq!(
        sign(KNOWN_ANSWER_SECRET, b"{", taken_at)
            .unwrap_err()
            .code(),
        "bad-json"
    );
}

fn snapshot_of(domain: &str) -> (CheckInput, Snapshot) {
    let mut answers = AnswerCache::new();
    answers.insert(
        Query::new(domain, RecordType::Txt),
        Answer::records(vec![RecordData::Txt(vec![b"v=spf1 -all".to_vec()])]),
    );
    let input = CheckInput {
        domain: domain.to_owned(),
        ..CheckInput::default()
    };
    (
        input,
        Snapshot {
            answers,
            ..Snapshot::default()
        },
    )
}

#[test]
fn signed_snapshots_verify_and_every_edit_breaks_them() {
    let limits = Limits::default();
    let (input, snapshot) = snapshot_of("example.com");
    let signed = sign_snapshot(SECRET, input, snapshot, 1_763_000_000).unwrap();
    assert_eq!(signed.input.timestamp, 1_763_000_000);
    let body = serde_json::to_vec(&signed).unwrap();
    assert_eq!(verify_snapshot(SECRET, &body, &limits), Ok(true));
    // Re-serialized with another key order (as a browser might): still intact.
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    assert_eq!(verify_snapshot(SECRET, &pretty, &limits), Ok(true));
    // Another secret, another time, another answer, another domain: not intact.
    assert_eq!(
        verify_snapshot(b"another secret, 32 octets long!!", &body, &limits),
        Ok(false)
    );
    let edits: [Edit; 5] = [
        Box::new(|s| s.taken_at += 1),
        Box::new(|s| s.input.domain = "example.org".to_owned()),
        Box::new(|s| s.input.ips.push("192.0.2.1".parse().unwrap())),
        Box::new(|s| {
            s.snapshot.answers.insert(
                Query::new("_dmarc.example.com", RecordType::Txt),
                Answer::records(vec![RecordData::Txt(vec![b"v=DMARC1; p=none".to_vec()])]),
            );
        }),
        Box::new(|s| s.signature = s.signature.to_uppercase().replace('A', "B")),
    ];
    for (index, edit) in edits.iter().enumerate() {
        let mut edited = signed.clone();
        edit(&mut edited);
        let body = serde_json::to_vec(&edited).unwrap();
        assert_eq!(
            verify_snapshot(SECRET, &body, &limits),
            Ok(false),
            "edit {index}"
        );
    }
    assert_eq!(
        outcome(verify_snapshot(SECRET, b"{\"input\":1}", &limits)),
        "bad-json"
    );
    assert_eq!(
        outcome(verify_snapshot(SECRET, b"not json", &limits)),
        "bad-json"
    );
    // The snapshot reproduces its report anywhere.
    assert_eq!(
        signed.report(),
        build_report(&signed.input, &signed.snapshot)
    );
}

/// Issue 12, part 9 (abuse probe under `wrangler dev`): `/api/verify` said "valid" for a body
/// whose `input` carried a forged `domain` before the real one, while a reader that keeps the
/// other value shows the forged domain as verified.
#[test]
fn a_snapshot_with_a_repeated_key_is_refused_not_verified() {
    let limits = Limits::default();
    let (input, snapshot) = snapshot_of("real.test");
    let signed = sign_snapshot(SECRET, input, snapshot, 1_763_000_000).unwrap();
    let body = serde_json::to_string(&signed).unwrap();
    assert_eq!(verify_snapshot(SECRET, body.as_bytes(), &limits), Ok(true));
    let forge = |from: &str, to: &str| {
        assert!(body.contains(from), "{from} in {body}");
        body.replacen(from, to, 1)
    };
    for (what, forged) in [
        (
            "a forged domain before the real one",
            forge(
                r#""domain":"real.test""#,
                r#""domain":"evil.test","domain":"real.test""#,
            ),
        ),
        (
            "a forged domain after the real one",
            forge(
                r#""domain":"real.test""#,
                r#""domain":"real.test","domain":"evil.test""#,
            ),
        ),
        (
            "the input twice",
            forge(
                r#""input":{"#,
                r#""input":{"domain":"evil.test"},"input":{"#,
            ),
        ),
        (
            "the time twice",
            forge(r#""taken_at":"#, r#""taken_at":1,"taken_at":"#),
        ),
        (
            "a URL repeated in the fetches map",
            forge(
                r#""fetches":{}"#,
                r#""fetches":{"https://x.test/":{"status":"failed","reason":"a"},"https://x.test/":{"status":"failed","reason":"b"}}"#,
            ),
        ),
    ] {
        assert_eq!(
            outcome(verify_snapshot(SECRET, forged.as_bytes(), &limits)),
            "bad-json",
            "{what}: {forged}"
        );
    }
    // Equal keys in different objects are no repeat.
    let nested = br#"{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}"#;
    assert!(crate::request::json_document(nested, 1024, "", |_| true).is_ok());
}
