//! Signed snapshots: the gateway vouches that it received these answers at this time.
//!
//! The signature is HMAC-SHA256 (RFC 2104, FIPS 180-4) over
//! `taken_at` (decimal seconds since the epoch) `"\n"` canonical JSON, hex-encoded in lowercase.
//! The JSON is canonicalized first — object keys sorted by their UTF-8 octets, no whitespace,
//! strings and numbers as serde_json writes them (in the spirit of RFC 8785, without its
//! number rules) — so a snapshot re-serialized by the browser still verifies, while any change
//! to a value does not. Verification compares in constant time.

use crate::request::{GatewayError, Limits, json_document};
use hmac::{Hmac, Mac};
use postcheck_core::report::{CheckInput, SignedSnapshot, Snapshot};
use serde_json::{Value, json};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The shortest secret accepted: 32 octets, the output size of SHA-256 (RFC 2104 §3
/// discourages keys shorter than the hash output).
pub const MIN_SECRET_LEN: usize = 32;

/// Writes `value` canonically: object keys sorted, no insignificant whitespace.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
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
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The canonical form of a JSON document (see the module documentation).
///
/// # Errors
///
/// [`GatewayError::BadJson`] when `json` is not JSON.
pub fn canonical_json(json: &[u8]) -> Result<String, GatewayError> {
    let value: Value = serde_json::from_slice(json).map_err(|err| GatewayError::BadJson {
        reason: err.to_string(),
    })?;
    let mut out = String::with_capacity(json.len());
    write_canonical(&value, &mut out);
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
