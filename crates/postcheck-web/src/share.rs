//! Shareable report links: the live link (`?d=…&ip=…&sel=…&profile=…`, checks again) and the
//! snapshot link (`#s=…`: input and signed snapshot as JSON, raw-deflated (RFC 1951) and
//! base64url-encoded (RFC 4648 §5) in the URL fragment, which browsers never send to a server —
//! RFC 3986 §3.5). The deflate itself is the browser's (`browser::deflate`, `browser::inflate`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use postcheck_core::json;
use postcheck_core::profile::SenderProfile;
use postcheck_core::report::{ReportRequest, SignedSnapshot};

/// What a check was asked for, as the form and the live link carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    pub domain: String,
    /// What was typed, when it was reduced to `domain` (an address, a web address): the page
    /// says which domain it checked and why. Not part of any link.
    pub typed: String,
    pub ips: Vec<String>,
    pub selectors: Vec<String>,
    pub profile: Option<SenderProfile>,
}

impl Inputs {
    /// The body of `/api/report` for these inputs, or the first sending IP as typed that is no
    /// address (the page says so before asking the gateway).
    pub fn request(&self) -> Result<ReportRequest, String> {
        let ips = self
            .ips
            .iter()
            .map(|ip| ip.trim().parse().map_err(|_| ip.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ReportRequest {
            domain: self.domain.clone(),
            ips,
            dkim_selectors: self.selectors.clone(),
            profile: self.profile.clone(),
            dnsbl: None,
        })
    }
}

/// Splits a list typed by a person: spaces, commas, semicolons and line breaks separate.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([' ', ',', ';', '\n', '\t', '\r'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Percent-encodes a query value (RFC 3986 §2.1: everything but unreserved characters).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The query string of the live link (without `?`).
pub fn live_query(inputs: &Inputs, lang: &str) -> String {
    let mut parts = vec![format!("d={}", encode_component(&inputs.domain))];
    for ip in &inputs.ips {
        parts.push(format!("ip={}", encode_component(ip)));
    }
    for selector in &inputs.selectors {
        parts.push(format!("sel={}", encode_component(selector)));
    }
    if let Some(profile) = &inputs.profile {
        parts.push(format!(
            "profile={}",
            encode_component(&json::write_sender_profile(profile))
        ));
    }
    parts.push(format!("lang={lang}"));
    parts.join("&")
}

/// The fragment of a snapshot link (without `#`) for the deflated snapshot JSON.
pub fn fragment_for(packed: &[u8]) -> String {
    format!("s={}", URL_SAFE_NO_PAD.encode(packed))
}

/// The JSON of a signed snapshot, as the link carries it (before deflate): what serde wrote
/// for the links made before the page had its own codec.
pub fn snapshot_json(signed: &SignedSnapshot) -> Vec<u8> {
    json::write_signed_snapshot(signed).into_bytes()
}

/// Why a snapshot link cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Not base64url.
    Encoding,
    /// Not deflate data (or larger than the limit once inflated).
    Compression,
    /// Not a signed snapshot.
    Json(String),
}

/// The largest snapshot a link may inflate to: a report's answers are tens of kilobytes.
pub const MAX_INFLATED: usize = 2 * 1024 * 1024;

/// The deflated bytes a link's fragment carries (`s=…`, with or without `#`), `None` when the
/// fragment holds no snapshot.
///
/// # Errors
///
/// [`LinkError::Encoding`] for a fragment that is not base64url.
pub fn packed_from_fragment(fragment: &str) -> Result<Option<Vec<u8>>, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(encoded) = fragment.split('&').find_map(|part| part.strip_prefix("s=")) else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map(Some)
        .map_err(|_| LinkError::Encoding)
}

/// The signed snapshot in inflated link JSON.
///
/// # Errors
///
/// [`LinkError::Json`] when it is not a signed snapshot.
pub fn snapshot_from_json(text: &[u8]) -> Result<SignedSnapshot, LinkError> {
    json::read_signed_snapshot(text).map_err(|err| LinkError::Json(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_carries_the_typed_ips_or_names_the_first_that_is_none() {
        let mut inputs = Inputs {
            domain: "example.com".to_owned(),
            ips: vec!["192.0.2.1".to_owned(), "2001:db8::1".to_owned()],
            selectors: vec!["s1".to_owned()],
            profile: None,
            typed: String::new(),
        };
        let request = inputs.request().unwrap();
        assert_eq!(request.ips.len(), 2);
        assert_eq!(request.dkim_selectors, ["s1"]);
        inputs.ips.insert(1, "192.0.2.300".to_owned());
        inputs.ips.push("mail.example.com".to_owned());
        assert_eq!(inputs.request(), Err("192.0.2.300".to_owned()));
    }
    use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
    use postcheck_core::report::{CheckInput, Snapshot};

    fn signed() -> SignedSnapshot {
        let mut answers = AnswerCache::new();
        answers.insert(
            Query::new("example.com", RecordType::Txt),
            Answer::records(vec![RecordData::Txt(vec![b"v=spf1 -all".to_vec()])]),
        );
        SignedSnapshot {
            input: CheckInput {
                domain: "example.com".to_owned(),
                ..CheckInput::default()
            },
            snapshot: Snapshot {
                answers,
                ..Snapshot::default()
            },
            taken_at: 1_763_900_000,
            signature: "ab".repeat(32),
        }
    }

    #[test]
    fn a_snapshot_survives_the_link() {
        // The browser's deflate-raw (CompressionStream) stands in as miniz here; the e2e tests
        // cover the browser's own.
        let original = signed();
        let packed = miniz_oxide::deflate::compress_to_vec(&snapshot_json(&original), 9);
        let fragment = fragment_for(&packed);
        assert!(
            fragment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"=-_s".contains(&b))
        );
        let read = packed_from_fragment(&format!("#{fragment}"))
            .unwrap()
            .unwrap();
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&read, MAX_INFLATED).unwrap();
        assert_eq!(snapshot_from_json(&json), Ok(original));
        assert_eq!(packed_from_fragment("#lang=de"), Ok(None));
        assert_eq!(packed_from_fragment("#s=!!!"), Err(LinkError::Encoding));
        assert!(matches!(snapshot_from_json(b"{}"), Err(LinkError::Json(_))));
    }

    #[test]
    fn links_made_with_serde_still_open() {
        // Snapshot links made before the page had its own JSON codec hold serde's JSON; the
        // codec writes the same bytes.
        let original = signed();
        let by_serde = serde_json::to_vec(&original).unwrap();
        assert_eq!(snapshot_json(&original), by_serde);
        assert_eq!(snapshot_from_json(&by_serde), Ok(original));
    }

    #[test]
    fn live_links_encode_every_input() {
        let inputs = Inputs {
            domain: "example.com".to_owned(),
            ips: vec!["192.0.2.1".to_owned(), "2001:db8::1".to_owned()],
            selectors: vec!["s1".to_owned()],
            profile: None,
            typed: String::new(),
        };
        assert_eq!(
            live_query(&inputs, "de"),
            "d=example.com&ip=192.0.2.1&ip=2001%3Adb8%3A%3A1&sel=s1&lang=de"
        );
        assert_eq!(
            split_list(" 192.0.2.1, 192.0.2.2;\n"),
            ["192.0.2.1", "192.0.2.2"]
        );
    }
}
