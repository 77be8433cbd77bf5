//! DNS over HTTPS towards the upstream resolver (RFC 8484): the GET URL, the response's
//! mapping to an [`Answer`], and how long to cache it.
//!
//! The worker does the fetch; this module builds what it sends and judges what comes back.

use crate::request::{GatewayError, Limits, allowed_type, validate_name};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use postcheck_core::dns::{Answer, Failure, Query};
use postcheck_dns::{EncodeOptions, decode_response};

/// The media type of DNS messages over HTTPS (RFC 8484 §6).
pub const DNS_MESSAGE: &str = "application/dns-message";

/// The largest DNS message (RFC 8484 §6: a DNS message is at most 65535 octets).
const MAX_MESSAGE_LEN: usize = 65_535;

/// The URL of an RFC 8484 §4.1 GET request for `query` at `upstream` (a URI template
/// without variables, such as `https://cloudflare-dns.com/dns-query`).
///
/// The message has ID 0, as §4.1 asks for cache friendliness, RD and AD set and an EDNS0
/// OPT record ([`EncodeOptions::new`]). It travels base64url-encoded without padding
/// (RFC 8484 §6, RFC 4648 §5) in the `dns` parameter, appended with `?` or `&`.
/// The query is checked again ([`validate_name`], [`allowed_type`]) so that nothing
/// unchecked can reach the upstream even if a caller skipped the request checks.
///
/// # Errors
///
/// [`GatewayError::Misconfigured`] for an upstream that is not an `https://` (or, for
/// the test bed, `http://`) URL without fragment, or that already has a `dns` parameter;
/// [`GatewayError::InvalidName`] / [`GatewayError::UnsupportedType`] for the query.
pub fn doh_get_url(upstream: &str, query: &Query) -> Result<String, GatewayError> {
    let misconfigured = |reason| GatewayError::Misconfigured { reason };
    let rest = upstream
        .strip_prefix("https://")
        .or_else(|| upstream.strip_prefix("http://"))
        .ok_or(misconfigured("DoH upstream must be an https:// URL"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(misconfigured("DoH upstream has no host"));
    }
    if upstream.contains('#') || upstream.chars().any(|c| c.is_whitespace()) {
        return Err(misconfigured("DoH upstream has a fragment or whitespace"));
    }
    let existing_query = upstream.split_once('?').map(|(_, q)| q);
    if existing_query.is_some_and(|q| q.split('&').any(|p| p == "dns" || p.starts_with("dns="))) {
        return Err(misconfigured("DoH upstream already has a dns parameter"));
    }
    let checked = Query {
        name: validate_name(&query.name)?,
        record_type: allowed_type(query.record_type.as_str())?,
    };
    let message = postcheck_dns::encode_query(&checked, 0, EncodeOptions::new()).map_err(|_| {
        GatewayError::InvalidName {
            name: checked.name.clone(),
            reason: "cannot be encoded on the wire",
        }
    })?;
    let separator = match existing_query {
        None => "?",
        Some("") => "",
        Some(q) if q.ends_with('&') => "",
        Some(_) => "&",
    };
    Ok(format!(
        "{upstream}{separator}dns={}",
        URL_SAFE_NO_PAD.encode(message)
    ))
}

/// True when `content_type` is `application/dns-message`, ignoring case, surrounding space
/// and parameters (RFC 9110 §8.3.1).
fn is_dns_message(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        let media_type = value.split(';').next().unwrap_or_default().trim();
        media_type.eq_ignore_ascii_case(DNS_MESSAGE)
    })
}

/// Turns the upstream's HTTP response to the DoH request for `query` into an [`Answer`].
///
/// Anything but a 200 with `application/dns-message` (RFC 8484 §4.2.1: a non-2xx status
/// says nothing about the DNS answer), a body over 65535 octets, a message that does not
/// decode or answers another question, or an ID other than 0 (RFC 8484 §4.1) is
/// [`Failure::Error`]: "could not verify", never "no record". SERVFAIL and REFUSED inside a
/// 200 keep their own failure.
pub fn answer_from_response(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    query: &Query,
) -> Answer {
    if status != 200 || !is_dns_message(content_type) || body.len() > MAX_MESSAGE_LEN {
        return Answer::failed(Failure::Error);
    }
    match decode_response(body, query) {
        Ok(response) if response.id == 0 && !response.truncated => response.answer,
        _ => Answer::failed(Failure::Error),
    }
}

/// How long to cache an answer, in seconds.
///
/// `answer_ttl` is the TTL the response carries ([`response_ttl`]); `negative` is true for
/// NXDOMAIN and NODATA. The result lies between [`Limits::min_cache_ttl`] and
/// [`Limits::max_positive_ttl`] or [`Limits::max_negative_ttl`]; without a TTL the
/// minimum is used. Failures are not cached at all: see [`cache_ttl_for`].
pub fn cache_ttl(answer_ttl: Option<u32>, negative: bool, limits: &Limits) -> u32 {
    let max = if negative {
        limits.max_negative_ttl
    } else {
        limits.max_positive_ttl
    };
    let min = limits.min_cache_ttl.min(max);
    answer_ttl.unwrap_or(min).clamp(min, max)
}

/// The cache lifetime for `answer` decoded from `body`, or `None` when it must not be
/// cached (a failed lookup, RFC 2308 §7.1 allows at most five minutes and we keep none).
pub fn cache_ttl_for(answer: &Answer, body: &[u8], limits: &Limits) -> Option<u32> {
    let negative = match answer {
        Answer::Failed { .. } => return None,
        Answer::Nxdomain | Answer::Nodata => true,
        Answer::Records { .. } => false,
    };
    Some(cache_ttl(response_ttl(body), negative, limits))
}

/// The TTL a response carries: the smallest TTL of its answer section (RFC 2181 §5.2: the
/// records of an RRset share one TTL, and a CNAME chain lives as long as its shortest link),
/// or, without answers, the negative TTL of RFC 2308 §5: the smaller of the authority SOA's
/// own TTL and its MINIMUM field. `None` when there is neither or the message is malformed.
///
/// [`postcheck_dns::decode_response`] does not report TTLs, so this is a small reader of
/// its own (RFC 1035 §4.1) that only skips names and never follows compression pointers.
pub fn response_ttl(body: &[u8]) -> Option<u32> {
    let mut reader = TtlReader { body, pos: 0 };
    reader.skip(4)?;
    let qdcount = reader.u16()?;
    let ancount = reader.u16()?;
    let nscount = reader.u16()?;
    reader.skip(2)?;
    for _ in 0..qdcount {
        reader.skip_name()?;
        reader.skip(4)?;
    }
    if ancount > 0 {
        let mut min: Option<u32> = None;
        for _ in 0..ancount {
            let (_, ttl, _) = reader.record()?;
            min = Some(min.map_or(ttl, |m| m.min(ttl)));
        }
        return min;
    }
    for _ in 0..nscount {
        let (type_code, ttl, rdata) = reader.record()?;
        // SOA, RFC 1035 §3.3.13: MINIMUM is the last of five 32-bit fields.
        if type_code == 6 && rdata.len() >= 20 {
            let tail = &rdata[rdata.len() - 4..];
            let minimum = u32::from_be_bytes([tail[0], tail[1], tail[2], tail[3]]);
            return Some(ttl.min(minimum));
        }
    }
    None
}

/// A bounds-checked cursor for [`response_ttl`].
#[derive(Debug)]
struct TtlReader<'a> {
    body: &'a [u8],
    pos: usize,
}

impl<'a> TtlReader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.body.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(bytes)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    fn u16(&mut self) -> Option<u16> {
        let b = self.take(2)?;
        Some(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Skips a name in place: labels up to the root, or up to a pointer (RFC 1035 §4.1.4).
    fn skip_name(&mut self) -> Option<()> {
        loop {
            let len = *self.take(1)?.first()?;
            match len {
                0 => return Some(()),
                1..=63 => self.skip(usize::from(len))?,
                0xc0..=0xff => return self.skip(1),
                _ => return None,
            }
        }
    }

    /// Reads one resource record: its TYPE, TTL and rdata.
    fn record(&mut self) -> Option<(u16, u32, &'a [u8])> {
        self.skip_name()?;
        let type_code = self.u16()?;
        self.skip(2)?;
        // RFC 2181 §8: a TTL with the top bit set is treated as zero.
        let ttl = self.u32()?;
        let ttl = if ttl > i32::MAX as u32 { 0 } else { ttl };
        let rdlength = self.u16()?;
        let rdata = self.take(usize::from(rdlength))?;
        Some((type_code, ttl, rdata))
    }
}

/// The RCODE an answer stands for (RFC 1035 §4.1.1, RFC 6895 §2.3), or `None` when no DNS
/// response came back at all (timeout, transport error).
pub fn rcode(answer: &Answer) -> Option<&'static str> {
    match answer {
        Answer::Records { .. } | Answer::Nodata => Some("NOERROR"),
        Answer::Nxdomain => Some("NXDOMAIN"),
        Answer::Failed { failure } => match failure {
            Failure::Servfail => Some("SERVFAIL"),
            Failure::Refused => Some("REFUSED"),
            Failure::Timeout | Failure::Error => None,
        },
    }
}

/// One answered query as the gateway reports it: the answer and the TTL it came with
/// ([`response_ttl`]; `None` for failures and when the response had none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The query as it went upstream.
    pub query: Query,
    /// What came back.
    pub answer: Answer,
    /// The TTL of the response, in seconds.
    pub ttl: Option<u32>,
}

/// The JSON body of a `POST /api/dns` response: the answers in query order, each entry
/// shaped like an entry of the core's snapshot (`{ "query": …, "answer": … }`, so the
/// client can feed them to its `AnswerCache` as they are) plus `rcode` and `ttl`. TXT
/// records keep their character-strings apart; the AD bit is `answer.authenticated`;
/// failures stay failures (`"status":"failed"`).
pub fn answers_json(results: &[Resolved]) -> serde_json::Value {
    let answers: Vec<serde_json::Value> = results
        .iter()
        .map(|resolved| {
            serde_json::json!({
                "query": resolved.query,
                "answer": resolved.answer,
                "rcode": rcode(&resolved.answer),
                "ttl": resolved.ttl,
            })
        })
        .collect();
    serde_json::json!({ "answers": answers })
}
