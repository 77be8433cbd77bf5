//! Signed snapshots: the gateway vouches that it received these answers at this time.
//!
//! The signature is HMAC-SHA256 (RFC 2104, FIPS 180-4) over
//! `taken_at` (decimal seconds since the epoch) `"\n"` canonical JSON, hex-encoded in lowercase.
//! The JSON is canonicalized first — object keys sorted by their UTF-8 octets, no whitespace,
//! strings as serde_json writes them, integers in digits and every other number as the shortest
//! text of its correctly rounded double (in the spirit of RFC 8785) — so a snapshot
//! re-serialized by the browser still verifies, while any change to a value does not; the
//! canonical form of a canonical form is itself. Verification compares in constant time.

use crate::request::{GatewayError, Limits, json_document};
use hmac::{Hmac, Mac};
use postcheck_core::report::{CheckInput, SignedSnapshot, Snapshot};
use serde_json::{Value, json};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The shortest secret accepted: 32 octets, the output size of SHA-256 (RFC 2104 §3
/// discourages keys shorter than the hash output).
pub const MIN_SECRET_LEN: usize = 32;

/// A JSON document as read for canonicalization: the members of objects in document order
/// (repeats included: [`write_canonical`] keeps the last, as serde_json's `Value` does), and
/// each scalar already in its canonical text.
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Scalar(String),
}

/// serde_json's own nesting limit, which the documents read here have already passed.
const MAX_DEPTH: usize = 128;

/// Reads a document that serde_json has already accepted (so only its shapes occur here, at
/// most serde_json's nesting depth). Numbers are read from their own text, never through a
/// value parsed elsewhere: see [`canonical_number`].
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn skip_whitespace(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
    }

    fn node(&mut self, depth: usize) -> Result<Node, GatewayError> {
        if depth > MAX_DEPTH {
            return Err(bad_json("nested too deeply"));
        }
        self.skip_whitespace();
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut members: Vec<(String, Node)> = Vec::new();
                loop {
                    self.skip_whitespace();
                    match self.bytes.get(self.at) {
                        Some(b'}') => {
                            self.at += 1;
                            break;
                        }
                        Some(b',') => self.at += 1,
                        _ => {
                            let key = self.string()?;
                            self.skip_whitespace();
                            self.at += 1; // the ':' serde_json has checked
                            members.push((key, self.node(depth + 1)?));
                        }
                    }
                }
                Ok(Node::Object(members))
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_whitespace();
                    match self.bytes.get(self.at) {
                        Some(b']') => {
                            self.at += 1;
                            break;
                        }
                        Some(b',') => self.at += 1,
                        _ => items.push(self.node(depth + 1)?),
                    }
                }
                Ok(Node::Array(items))
            }
            Some(b'"') => {
                let text = self.string()?;
                Ok(Node::Scalar(Value::String(text).to_string()))
            }
            Some(_) => {
                let start = self.at;
                while self.bytes.get(self.at).is_some_and(|b| {
                    !matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    self.at += 1;
                }
                let token = std::str::from_utf8(&self.bytes[start..self.at]).map_err(bad_json)?;
                match token {
                    "true" | "false" | "null" => Ok(Node::Scalar(token.to_owned())),
                    number => canonical_number(number).map(Node::Scalar),
                }
            }
            None => Err(bad_json("unexpected end")),
        }
    }

    /// A string token, decoded (escapes and all) by serde_json.
    fn string(&mut self) -> Result<String, GatewayError> {
        let start = self.at;
        self.at += 1;
        while let Some(byte) = self.bytes.get(self.at) {
            self.at += 1;
            match byte {
                b'\\' => self.at += 1,
                b'"' => break,
                _ => {}
            }
        }
        let token = self
            .bytes
            .get(start..self.at)
            .ok_or_else(|| bad_json("cut string"))?;
        serde_json::from_slice(token).map_err(bad_json)
    }
}

fn bad_json(reason: impl ToString) -> GatewayError {
    GatewayError::BadJson {
        reason: reason.to_string(),
    }
}

/// The canonical text of a JSON number. Integers that fit 64 bits are written in digits, as
/// serde_json writes them. Every other number (a fraction, an exponent, an integer beyond 64
/// bits, `-0`) is read with the standard library's correctly rounded parser and written as the
/// shortest text that reads back to the same double (serde_json's writer), so the canonical
/// form of a canonical form is itself: `18446744073709551616` is `1.8446744073709552e+19`,
/// `-0.0` stays `-0.0`. serde_json's own (default, faster) float reader may be off by a unit in
/// the last place, which made the canonical form drift on a second pass (issue 13 part 4). A
/// number beyond the doubles (`1e400`) is refused, as serde_json refuses it.
fn canonical_number(token: &str) -> Result<String, GatewayError> {
    let number: serde_json::Number = serde_json::from_str(token).map_err(bad_json)?;
    if number.is_u64() || number.is_i64() {
        return Ok(number.to_string());
    }
    let value: f64 = token.parse().map_err(bad_json)?;
    serde_json::Number::from_f64(value)
        .map(|number| number.to_string())
        .ok_or_else(|| bad_json("number out of range"))
}

/// Writes `node` canonically: object keys sorted by their UTF-8 octets, the last value of a
/// repeated key, no whitespace.
fn write_canonical(node: &Node, out: &mut String) {
    match node {
        Node::Object(members) => {
            let mut entries: Vec<&(String, Node)> = members.iter().collect();
            // A stable sort keeps repeats in document order: the last of each run wins.
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let mut last_of_each: Vec<&(String, Node)> = Vec::with_capacity(entries.len());
            for entry in entries {
                match last_of_each.last_mut() {
                    Some(last) if last.0 == entry.0 => *last = entry,
                    _ => last_of_each.push(entry),
                }
            }
            let entries = last_of_each;
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Node::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Node::Scalar(text) => out.push_str(text),
    }
}

/// The canonical form of a JSON document (see the module documentation). It is a fixed point:
/// the canonical form of a canonical form is the same text.
///
/// # Errors
///
/// [`GatewayError::BadJson`] when `json` is not JSON, or holds a number beyond the doubles.
pub fn canonical_json(json: &[u8]) -> Result<String, GatewayError> {
    // serde_json checks the whole document (syntax, UTF-8, nesting depth) first.
    let _: serde::de::IgnoredAny = serde_json::from_slice(json).map_err(bad_json)?;
    let mut reader = Reader { bytes: json, at: 0 };
    let node = reader.node(0)?;
    let mut out = String::with_capacity(json.len());
    write_canonical(&node, &mut out);
    Ok(out)
}

fn mac_over(secret: &[u8], canonical: &str, taken_at: u64) -> HmacSha256 {
    // HMAC takes keys of any length (RFC 2104 §2); `new_from_slice` cannot fail for it.
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(taken_at.to_string().as_bytes());
    mac.update(b"\n");
    mac.update(canonical.as_bytes());
    mac
}

/// Signs a snapshot: lowercase hex of HMAC-SHA256(`secret`, `taken_at "\n" canonical JSON`).
///
/// # Errors
///
/// [`GatewayError::Misconfigured`] for a secret shorter than [`MIN_SECRET_LEN`];
/// [`GatewayError::BadJson`] when `snapshot_json` is not JSON.
pub fn sign(secret: &[u8], snapshot_json: &[u8], taken_at: u64) -> Result<String, GatewayError> {
    if secret.len() < MIN_SECRET_LEN {
        return Err(GatewayError::Misconfigured {
            reason: "snapshot signing secret shorter than 32 octets",
        });
    }
    let canonical = canonical_json(snapshot_json)?;
    let tag = mac_over(secret, &canonical, taken_at)
        .finalize()
        .into_bytes();
    Ok(tag.iter().map(|b| format!("{b:02x}")).collect())
}

/// Decodes 64 hex digits (either case) into the 32 octets of a tag.
fn decode_hex_tag(signature: &str) -> Option<[u8; 32]> {
    let digits = signature.as_bytes();
    if digits.len() != 64 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut tag = [0u8; 32];
    for (byte, pair) in tag.iter_mut().zip(digits.as_chunks::<2>().0) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(tag)
}

/// True when `signature` is [`sign`]'s output for these inputs. The tag comparison is
/// constant-time (`hmac`'s `verify_slice`). A short secret, non-JSON or a malformed
/// signature is simply false.
pub fn verify(secret: &[u8], snapshot_json: &[u8], taken_at: u64, signature: &str) -> bool {
    if secret.len() < MIN_SECRET_LEN {
        return false;
    }
    let Some(tag) = decode_hex_tag(signature) else {
        return false;
    };
    let Ok(canonical) = canonical_json(snapshot_json) else {
        return false;
    };
    mac_over(secret, &canonical, taken_at)
        .verify_slice(&tag)
        .is_ok()
}

/// The document a snapshot's signature covers: `{"input":…,"snapshot":…}`, so neither the
/// answers nor what they were taken for can be swapped.
fn signed_document(input: &Value, snapshot: &Value) -> Vec<u8> {
    json!({ "input": input, "snapshot": snapshot })
        .to_string()
        .into_bytes()
}

/// Signs what a report was computed from: [`sign`] over `{"input":…,"snapshot":…}` at
/// `taken_at`. The input's `timestamp` is set to `taken_at`.
///
/// # Errors
///
/// [`GatewayError::Misconfigured`] for a secret shorter than [`MIN_SECRET_LEN`].
pub fn sign_snapshot(
    secret: &[u8],
    mut input: CheckInput,
    snapshot: Snapshot,
    taken_at: u64,
) -> Result<SignedSnapshot, GatewayError> {
    input.timestamp = taken_at;
    let to_value = |value: serde_json::Result<Value>| {
        value.map_err(|_| GatewayError::Misconfigured {
            reason: "snapshot does not serialize",
        })
    };
    let document = signed_document(
        &to_value(serde_json::to_value(&input))?,
        &to_value(serde_json::to_value(&snapshot))?,
    );
    let signature = sign(secret, &document, taken_at)?;
    Ok(SignedSnapshot {
        input,
        snapshot,
        taken_at,
        signature,
    })
}

/// Checks the body of `POST /api/verify`, a [`SignedSnapshot`] as JSON: true when its
/// signature matches its input, answers and time. Fields beyond the four are ignored.
///
/// # Errors
///
/// [`GatewayError::BodyTooLarge`] over [`Limits::max_snapshot_bytes`];
/// [`GatewayError::BadJson`] when the body is not a signed snapshot, or repeats a key in any
/// object.
pub fn verify_snapshot(secret: &[u8], body: &[u8], limits: &Limits) -> Result<bool, GatewayError> {
    // The request reader every endpoint uses: a key repeated anywhere is refused, so the
    // values the signature is checked over are the only values the document has (RFC 8259 §4
    // leaves repeated names to the reader; a forged value before the real one must not verify
    // while another reader shows it).
    let value = json_document(
        body,
        limits.max_snapshot_bytes,
        "expected a signed snapshot {\"input\":…,\"snapshot\":…,\"taken_at\":…,\"signature\":…}",
        |_| true,
    )?;
    // The shape must be a snapshot; the signature is then checked over the values as sent.
    let signed: SignedSnapshot =
        serde_json::from_value(value.clone()).map_err(|err| GatewayError::BadJson {
            reason: err.to_string(),
        })?;
    let document = signed_document(&value["input"], &value["snapshot"]);
    Ok(verify(
        secret,
        &document,
        signed.taken_at,
        &signed.signature,
    ))
}

#[cfg(test)]
mod canonical_tests {
    use super::canonical_json;

    /// The canonical form, checked to be a fixed point.
    fn canonical(json: &str) -> String {
        let once = canonical_json(json.as_bytes()).expect("JSON");
        let twice = canonical_json(once.as_bytes()).expect("canonical JSON is JSON");
        assert_eq!(once, twice, "not stable for {json}");
        once
    }

    /// Issue 13 part 4: numbers beyond 64-bit integers, negative zero and floats that
    /// serde_json's fast reader rounds differently from the shortest text that names them.
    #[test]
    fn large_and_odd_numbers_have_a_stable_canonical_form() {
        assert_eq!(
            canonical("[18446744073709551616]"),
            "[1.8446744073709552e+19]"
        );
        assert_eq!(
            canonical("[18446744073709551615]"),
            "[18446744073709551615]"
        );
        assert_eq!(
            canonical("[-9223372036854775808]"),
            "[-9223372036854775808]"
        );
        assert_eq!(
            canonical("[-9223372036854775809]"),
            "[-9.223372036854776e+18]"
        );
        assert_eq!(
            canonical("[-0.0, -0, 0.0, 0, 1E2, 1.5e-7]"),
            "[-0.0,-0.0,0.0,0,100.0,1.5e-7]"
        );
        assert_eq!(
            canonical("[1e308, 2.2250738585072014e-308, 5e-324]"),
            "[1e+308,2.2250738585072014e-308,5e-324]"
        );
        assert_eq!(canonical("[0.30000000000000004]"), "[0.30000000000000004]");
        // Seventeen significant digits: the fast reader is off by one unit here.
        for text in [
            "9007199254740993.5",
            "1.7976931348623157e308",
            "8.98846567431158e307",
            "2.4703282292062328e-324",
            "0.1000000000000000055511151231257827",
            "123456789012345678901234567890e-20",
        ] {
            canonical(&format!("[{text}]"));
        }
        // Beyond the doubles: refused, the same way every time.
        assert!(canonical_json(b"[1e400]").is_err());
        assert!(canonical_json(b"{\"a\":-1e400}").is_err());
    }

    #[test]
    fn the_last_of_repeated_keys_counts_and_keys_are_sorted_by_octets() {
        assert_eq!(
            canonical(r#"{"b":1,"a":2,"b":3,"\u00e9":4,"z":{"y":[true,null,"x\n"]}}"#),
            r#"{"a":2,"b":3,"z":{"y":[true,null,"x\n"]},"é":4}"#
        );
    }

    #[test]
    fn ten_thousand_keys_and_deep_nesting_are_fine() {
        let keys: Vec<String> = (0..10_000).map(|i| format!("\"k{i}\":{i}")).collect();
        let json = format!("{{{}}}", keys.join(","));
        assert_eq!(canonical(&json).len(), json.len());
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(canonical(&deep), deep);
        assert!(
            canonical_json(format!("{}{}", "[".repeat(200), "]".repeat(200)).as_bytes()).is_err()
        );
    }
}
