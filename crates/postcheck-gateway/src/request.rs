//! Request guarding: routes, names, record types, batch bodies and the errors the gateway answers.
//!
//! Everything a client sends is checked here before anything goes upstream. Names must be
//! plain ASCII host names (RFC 1035 §2.3.4 for the lengths, RFC 2181 §11 for what DNS allows,
//! RFC 8552 §2 for the underscore labels of `_dmarc`, `_domainkey`, `_mta-sts` and
//! `_smtp._tls`); internationalized names must arrive as A-labels (RFC 5890 §2.3.2.1).
//! Only the record types the checks need are forwarded.

use postcheck_core::dns::{Query, RecordType};
use serde::Deserialize;
use serde_json::json;
use std::net::{Ipv4Addr, Ipv6Addr};
use thiserror::Error;

/// The longest name in text form, without the trailing dot (RFC 1035 §2.3.4: 255 octets on
/// the wire).
pub const MAX_NAME_LEN: usize = 253;

/// The longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// The record types the gateway forwards: those the checks ask for (NS: the domain's DNS host,
/// for where to publish).
pub const ALLOWED_TYPES: [RecordType; 7] = [
    RecordType::Txt,
    RecordType::A,
    RecordType::Aaaa,
    RecordType::Mx,
    RecordType::Ptr,
    RecordType::Cname,
    RecordType::Ns,
];

/// How much of a client's input is echoed in an error message.
const ECHO_LIMIT: usize = 64;

/// The limits the gateway enforces. [`Limits::default`] gives the production values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body accepted, in octets.
    pub max_body_bytes: usize,
    /// The most queries in one `POST /api/dns` batch.
    pub max_batch: usize,
    /// The shortest time an answer is cached, in seconds.
    pub min_cache_ttl: u32,
    /// The longest time a positive answer is cached, in seconds.
    pub max_positive_ttl: u32,
    /// The longest time a negative answer (NXDOMAIN, NODATA) is cached, in seconds
    /// (RFC 2308 §5 recommends one to three hours at most; we stay well below).
    pub max_negative_ttl: u32,
    /// The largest signed snapshot `POST /api/verify` accepts, in octets.
    pub max_snapshot_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024,
            max_batch: 64,
            min_cache_ttl: 30,
            max_positive_ttl: 3600,
            max_negative_ttl: 300,
            max_snapshot_bytes: 512 * 1024,
        }
    }
}

/// Why the gateway refuses a request. Each variant has a stable kebab-case [`code`]
/// (public API, like finding codes) and an HTTP [`status`].
///
/// [`code`]: GatewayError::code
/// [`status`]: GatewayError::status
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum GatewayError {
    /// A DNS name that may not go upstream.
    #[error("invalid name {name:?}: {reason}")]
    InvalidName {
        /// The name as given (shortened).
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A record type the checks do not need (or that does not exist).
    #[error(
        "record type {record_type:?} is not supported; use one of TXT, A, AAAA, MX, PTR, CNAME"
    )]
    UnsupportedType {
        /// The type as given (shortened).
        record_type: String,
    },
    /// More queries in one batch than [`Limits::max_batch`].
    #[error("batch of {count} queries exceeds the limit of {max}")]
    BatchTooLarge {
        /// How many queries the batch has.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A body larger than [`Limits::max_body_bytes`].
    #[error("request body of {len} octets exceeds the limit of {max}")]
    BodyTooLarge {
        /// The body's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A body that is not JSON, or not JSON of the expected shape.
    #[error("bad JSON body: {reason}")]
    BadJson {
        /// What the parser said.
        reason: String,
    },
    /// A query string without the expected parameters.
    #[error("bad query string: {reason}")]
    BadQuery {
        /// What is wrong with it.
        reason: String,
    },
    /// A mail domain that is not a plain domain name (for `/api/mta-sts`, `/api/report`).
    #[error("invalid domain {domain:?}: {reason}")]
    InvalidDomain {
        /// The domain as given (shortened).
        domain: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No such endpoint.
    #[error("no endpoint at {path:?}")]
    NotFound {
        /// The path as given (shortened).
        path: String,
    },
    /// The endpoint exists, but not for this method.
    #[error("method {method:?} not allowed; allowed: {allowed}")]
    MethodNotAllowed {
        /// The method as given (shortened).
        method: String,
        /// The methods the endpoint takes, for the `Allow` header (RFC 9110 §10.2.1).
        allowed: &'static str,
    },
    /// The request may not be served (an origin CORS does not allow).
    #[error("forbidden: {reason}")]
    Forbidden {
        /// Why.
        reason: &'static str,
    },
    /// The client sent too many requests; it may retry after `retry_after` seconds.
    #[error("too many requests; retry after {retry_after} seconds")]
    RateLimited {
        /// Seconds until the client may retry (the `Retry-After` header, RFC 9110 §10.2.3).
        retry_after: u32,
    },
    /// The gateway's own configuration is unusable (upstream URL, signing secret).
    #[error("gateway misconfigured: {reason}")]
    Misconfigured {
        /// What is wrong.
        reason: &'static str,
    },
    /// The invocation went over a platform limit (see [`crate::limits`]); only reported in
    /// the `ENFORCE_LIMITS` mode the tests run the worker in.
    #[error("platform limit exceeded: {detail}")]
    LimitExceeded {
        /// Which limit, by how much.
        detail: String,
    },
    /// The test address is not set up on this service (no mail domain or KV namespace).
    #[error("the test address is not set up on this service")]
    TestAddressOff,
    /// No such test address, or it expired.
    #[error("unknown or expired test address")]
    TestAddressUnknown,
}

impl GatewayError {
    /// The stable kebab-case code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            GatewayError::InvalidName { .. } => "invalid-name",
            GatewayError::UnsupportedType { .. } => "unsupported-type",
            GatewayError::BatchTooLarge { .. } => "batch-too-large",
            GatewayError::BodyTooLarge { .. } => "body-too-large",
            GatewayError::BadJson { .. } => "bad-json",
            GatewayError::BadQuery { .. } => "bad-query",
            GatewayError::InvalidDomain { .. } => "invalid-domain",
            GatewayError::NotFound { .. } => "not-found",
            GatewayError::MethodNotAllowed { .. } => "method-not-allowed",
            GatewayError::Forbidden { .. } => "forbidden",
            GatewayError::RateLimited { .. } => "rate-limited",
            GatewayError::Misconfigured { .. } => "misconfigured",
            GatewayError::LimitExceeded { .. } => "limit-exceeded",
            GatewayError::TestAddressOff => "test-address-off",
            GatewayError::TestAddressUnknown => "test-address-unknown",
        }
    }

    /// The HTTP status to answer with (RFC 9110 §15.5): 400 for malformed requests, 422 for
    /// well-formed requests with values the gateway will not forward, 413 for oversize, 403
    /// for a refused origin, 404 and 405 for routing, 429 over the rate limit (RFC 6585 §4),
    /// 500 for the gateway's own configuration.
    pub fn status(&self) -> u16 {
        match self {
            GatewayError::BadJson { .. } | GatewayError::BadQuery { .. } => 400,
            GatewayError::Forbidden { .. } => 403,
            GatewayError::NotFound { .. } | GatewayError::TestAddressUnknown => 404,
            GatewayError::MethodNotAllowed { .. } => 405,
            GatewayError::BatchTooLarge { .. } | GatewayError::BodyTooLarge { .. } => 413,
            GatewayError::InvalidName { .. }
            | GatewayError::UnsupportedType { .. }
            | GatewayError::InvalidDomain { .. } => 422,
            GatewayError::RateLimited { .. } => 429,
            GatewayError::Misconfigured { .. } | GatewayError::LimitExceeded { .. } => 500,
            GatewayError::TestAddressOff => 503,
        }
    }

    /// The JSON error body: `{ "error": { "code": …, "message": … } }`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({ "error": { "code": self.code(), "message": self.to_string() } })
    }
}

/// Shortens client input for an error message, so a hostile request is never echoed whole.
pub(crate) fn echo(text: &str) -> String {
    match text.char_indices().nth(ECHO_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn invalid_name(name: &str, reason: &'static str) -> GatewayError {
    GatewayError::InvalidName {
        name: echo(name),
        reason,
    }
}

/// Validates a DNS name before it goes upstream and returns it normalized: lowercase
/// (RFC 4343), one trailing dot removed.
///
/// Accepted: ASCII letters, digits, `-` and `_`; labels of 1 to 63 characters that neither
/// start nor end with `-`; at most 253 characters in all (RFC 1035 §2.3.4). Refused: IP
/// literals (dotted or bracketed, v4 or v6), an all-numeric top label (RFC 3696 §2), the
/// root, anything non-ASCII (IDNs must be A-labels, RFC 5890 §2.3.2.1), and every other
/// character (spaces, `%`, `/`, `:`, `@`, `\`, control characters).
///
/// # Errors
///
/// [`GatewayError::InvalidName`] with the reason.
pub fn validate_name(name: &str) -> Result<String, GatewayError> {
    // Bound the work before looking closer: one trailing dot is the only slack allowed.
    if name.len() > MAX_NAME_LEN + 1 {
        return Err(invalid_name(name, "longer than 253 characters"));
    }
    if name.is_empty() {
        return Err(invalid_name(name, "empty"));
    }
    if !name.is_ascii() {
        return Err(invalid_name(
            name,
            "not ASCII; give internationalized names as A-labels (xn--…)",
        ));
    }
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<Ipv6Addr>().is_ok() || bare.parse::<Ipv4Addr>().is_ok() {
        return Err(invalid_name(name, "an IP literal, not a name"));
    }
    let normalized = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if normalized.is_empty() {
        return Err(invalid_name(name, "the root is not queried"));
    }
    if normalized.len() > MAX_NAME_LEN {
        return Err(invalid_name(name, "longer than 253 characters"));
    }
    for label in normalized.split('.') {
        if label.is_empty() {
            return Err(invalid_name(name, "empty label"));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(invalid_name(name, "label longer than 63 characters"));
        }
        if let Some(bad) = label
            .bytes()
            .find(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        {
            return Err(invalid_name(
                name,
                match bad {
                    b':' | b'[' | b']' => "a port, IPv6 literal or URL, not a name",
                    b'/' | b'?' | b'#' | b'@' => "a URL or address, not a name",
                    b'%' => "percent sign",
                    b' ' | b'\t' => "whitespace",
                    0..=0x1f | 0x7f => "control character",
                    _ => "character other than letters, digits, '-' and '_'",
                },
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid_name(name, "label starts or ends with '-'"));
        }
    }
    // RFC 3696 §2: a top-level domain is never all-numeric, so `1.2.3`, `010.0.0.1` or
    // `4294967295` are addresses in disguise (inet_aton forms), not names.
    let top = normalized.rsplit('.').next().unwrap_or_default();
    if top.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_name(name, "all-numeric top label; an IP literal?"));
    }
    Ok(normalized)
}

/// Parses a record type mnemonic (case-insensitive) and admits only [`ALLOWED_TYPES`].
/// `ANY` (RFC 8482), `AXFR`, `SOA` and `TYPEnnn` forms are refused.
///
/// # Errors
///
/// [`GatewayError::UnsupportedType`].
pub fn allowed_type(text: &str) -> Result<RecordType, GatewayError> {
    match RecordType::parse(text) {
        Some(record_type) if ALLOWED_TYPES.contains(&record_type) => Ok(record_type),
        _ => Err(GatewayError::UnsupportedType {
            record_type: echo(text),
        }),
    }
}

/// One query as a client sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    name: String,
    #[serde(rename = "type")]
    record_type: String,
}

/// The body of `POST /api/dns`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchBody {
    queries: Vec<RawQuery>,
}

/// A JSON value read with every object's keys checked for repeats. RFC 8259 §4 says names
/// SHOULD be unique and leaves the meaning of repeated ones to the implementation: serde_json's
/// `Value` keeps the last, a derived struct refuses a repeated field but a map keeps the last,
/// and another reader may keep the first. A document whose readers can disagree on its values
/// is refused whole, wherever the repeat is.
struct UniqueKeys(serde_json::Value);

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(value.into()))
    }

    fn visit_i64<E>(self, value: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(value.into()))
    }

    fn visit_str<E>(self, value: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(value.into()))
    }

    fn visit_string<E>(self, value: String) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(value.into()))
    }

    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys(serde_json::Value::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(UniqueKeys(serde_json::Value::Array(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "key {:?} repeated in one object",
                    echo(&key)
                )));
            }
            let UniqueKeys(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(UniqueKeys(serde_json::Value::Object(object)))
    }
}

/// Reads a JSON request body: at most `max` octets, JSON with no key repeated in any object
/// ([`UniqueKeys`]), an object at the top that passes `shape`. The one reader of request
/// bodies, so every endpoint refuses the same documents.
///
/// # Errors
///
/// [`GatewayError::BodyTooLarge`]; [`GatewayError::BadJson`] with `expected` for the wrong
/// shape, or the parser's words (also for a repeated key).
pub(crate) fn json_document(
    body: &[u8],
    max: usize,
    expected: &str,
    shape: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value, GatewayError> {
    if body.len() > max {
        return Err(GatewayError::BodyTooLarge {
            len: body.len(),
            max,
        });
    }
    let bad_json = |reason: String| GatewayError::BadJson { reason };
    let UniqueKeys(value) =
        serde_json::from_slice(body).map_err(|err| bad_json(err.to_string()))?;
    if !value.is_object() || !shape(&value) {
        return Err(bad_json(expected.to_owned()));
    }
    Ok(value)
}

/// Reads a JSON request body into `T` through [`json_document`] (size, repeated keys, an
/// object of the expected shape: serde would also take a struct as an array).
///
/// # Errors
///
/// As [`json_document`], and [`GatewayError::BadJson`] when the document is not a `T`.
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    max: usize,
    expected: &str,
    shape: impl Fn(&serde_json::Value) -> bool,
) -> Result<T, GatewayError> {
    let value = json_document(body, max, expected, shape)?;
    serde_json::from_value(value).map_err(|err| GatewayError::BadJson {
        reason: err.to_string(),
    })
}

/// Parses and validates the body of `POST /api/dns`:
/// `{"queries":[{"name":"example.com","type":"TXT"}, …]}`.
///
/// Checks, in order: the body size, the JSON and its shape (no other fields), the batch size
/// (1 to [`Limits::max_batch`]), then each name and type. Duplicates are kept, so the answers
/// can line up with the queries.
///
/// # Errors
///
/// [`GatewayError::BodyTooLarge`], [`GatewayError::BadJson`], [`GatewayError::BatchTooLarge`],
/// or the first query's [`GatewayError::InvalidName`] / [`GatewayError::UnsupportedType`].
pub fn parse_batch(body: &[u8], limits: &Limits) -> Result<Vec<Query>, GatewayError> {
    // serde would also take a query as an array (`["example.com","TXT"]`); only objects are
    // the documented shape.
    let batch: BatchBody = json_body(
        body,
        limits.max_body_bytes,
        "expected {\"queries\":[{\"name\":…,\"type\":…}, …]}",
        |value| {
            value
                .get("queries")
                .and_then(serde_json::Value::as_array)
                .is_none_or(|queries| queries.iter().all(serde_json::Value::is_object))
        },
    )?;
    if batch.queries.is_empty() {
        return Err(GatewayError::BadJson {
            reason: "\"queries\" is empty".to_owned(),
        });
    }
    if batch.queries.len() > limits.max_batch {
        return Err(GatewayError::BatchTooLarge {
            count: batch.queries.len(),
            max: limits.max_batch,
        });
    }
    batch
        .queries
        .iter()
        .map(|raw| {
            let name = validate_name(&raw.name)?;
            let record_type = allowed_type(&raw.record_type)?;
            Ok(Query { name, record_type })
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (as a space, which the name check then refuses), as in
/// `application/x-www-form-urlencoded` (URL Standard §5.1).
fn percent_decode(text: &str) -> Result<String, &'static str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or("incomplete percent escape")?;
                let hex = std::str::from_utf8(hex).map_err(|_| "bad percent escape")?;
                let value = u8::from_str_radix(hex, 16).map_err(|_| "bad percent escape")?;
                out.push(value);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "percent escapes are not UTF-8")
}

/// Parses the query string of `GET /api/dns`: `name=…&type=…` (a leading `?` is allowed).
/// Both parameters are required, once each; other parameters are refused so that equal
/// queries have equal cache keys.
///
/// # Errors
///
/// [`GatewayError::BadQuery`] for missing, repeated, unknown or undecodable parameters (and
/// query strings over [`Limits::max_body_bytes`]), then [`GatewayError::InvalidName`] or
/// [`GatewayError::UnsupportedType`].
pub fn parse_get(query_string: &str) -> Result<Query, GatewayError> {
    let bad = |reason: String| GatewayError::BadQuery { reason };
    if query_string.len() > 1024 {
        return Err(bad("longer than 1024 characters".to_owned()));
    }
    let query_string = query_string.strip_prefix('?').unwrap_or(query_string);
    let mut name = None;
    let mut record_type = None;
    for pair in query_string.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match key {
            "name" => &mut name,
            "type" => &mut record_type,
            other => return Err(bad(format!("unknown parameter {:?}", echo(other)))),
        };
        if slot.is_some() {
            return Err(bad(format!("parameter {key:?} given twice")));
        }
        *slot = Some(percent_decode(value).map_err(|reason| bad(reason.to_owned()))?);
    }
    let name = name.ok_or_else(|| bad("parameter \"name\" missing".to_owned()))?;
    let record_type = record_type.ok_or_else(|| bad("parameter \"type\" missing".to_owned()))?;
    Ok(Query {
        name: validate_name(&name)?,
        record_type: allowed_type(&record_type)?,
    })
}

/// Parses the query string of `GET /api/mta-sts`: exactly one `domain=…` parameter, and
/// returns the one URL to fetch ([`mta_sts_url`]).
///
/// # Errors
///
/// [`GatewayError::BadQuery`] for missing, repeated, unknown or undecodable parameters, then
/// [`GatewayError::InvalidDomain`].
pub fn parse_mta_sts_query(query_string: &str) -> Result<String, GatewayError> {
    let bad = |reason: String| GatewayError::BadQuery { reason };
    if query_string.len() > 1024 {
        return Err(bad("longer than 1024 characters".to_owned()));
    }
    let query_string = query_string.strip_prefix('?').unwrap_or(query_string);
    let mut domain = None;
    for pair in query_string.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "domain" {
            return Err(bad(format!("unknown parameter {:?}", echo(key))));
        }
        if domain.is_some() {
            return Err(bad("parameter \"domain\" given twice".to_owned()));
        }
        domain = Some(percent_decode(value).map_err(|reason| bad(reason.to_owned()))?);
    }
    let domain = domain.ok_or_else(|| bad("parameter \"domain\" missing".to_owned()))?;
    mta_sts_url(&domain)
}

/// Validates a mail domain as given to `/api/mta-sts` or `/api/report`: a plain host name
/// of at least two labels, letters, digits and hyphens only (RFC 1123 §2.1; no underscore,
/// since it becomes a URL host), no scheme, port, path, userinfo or IP literal.
///
/// # Errors
///
/// [`GatewayError::InvalidDomain`].
pub fn validate_domain(domain: &str) -> Result<String, GatewayError> {
    let invalid = |reason| GatewayError::InvalidDomain {
        domain: echo(domain),
        reason,
    };
    if domain.contains("://") {
        return Err(invalid("a URL, not a domain"));
    }
    if domain.contains('@') {
        return Err(invalid("userinfo or an address, not a domain"));
    }
    if domain.contains(['/', '?', '#', '\\']) {
        return Err(invalid("a path, not a domain"));
    }
    if domain.contains(':') && !domain.contains('[') && domain.matches(':').count() == 1 {
        return Err(invalid("a port, not a domain"));
    }
    let name = validate_name(domain).map_err(|err| match err {
        GatewayError::InvalidName { reason, .. } => invalid(reason),
        other => other,
    })?;
    if name.contains('_') {
        return Err(invalid("underscore in a host name"));
    }
    if !name.contains('.') {
        return Err(invalid("a single label, not a registered domain"));
    }
    Ok(name)
}

/// The one URL `/api/mta-sts` fetches for `domain`:
/// `https://mta-sts.<domain>/.well-known/mta-sts.txt` (RFC 8461 §3.3). Nothing of the
/// client's input reaches the URL except a validated domain, and never a special-use name
/// whose host would be local or nowhere ([`crate::fetch_target::special_use_domain`]:
/// `.localhost`, `.local`, `.internal`, `home.arpa`, `.onion`, …; `.test` and `.example` stay
/// allowed).
///
/// # Errors
///
/// [`GatewayError::InvalidDomain`] as for [`validate_domain`], for a special-use name, and
/// when the policy host would exceed 253 characters.
pub fn mta_sts_url(domain: &str) -> Result<String, GatewayError> {
    let domain = validate_domain(domain)?;
    if let Some(reason) = crate::fetch_target::special_use_domain(&domain) {
        return Err(GatewayError::InvalidDomain {
            domain: echo(&domain),
            reason,
        });
    }
    let host = format!("mta-sts.{domain}");
    if host.len() > MAX_NAME_LEN {
        return Err(GatewayError::InvalidDomain {
            domain: echo(&domain),
            reason: "mta-sts.<domain> is longer than 253 characters",
        });
    }
    Ok(format!("https://{host}/.well-known/mta-sts.txt"))
}

/// The ports `/api/smtp` connects to: submission (RFC 6409 §3.1) and submissions (RFC 8314
/// §3.3). Cloudflare's `connect()` cannot reach port 25, and other ports are no part of the
/// settings a mail program uses.
pub const SMTP_PORTS: [u16; 2] = [465, 587];

/// What `GET /api/smtp` is asked to test: a public host name, a port of [`SMTP_PORTS`], and
/// the encryption the program is set to (its port's usual one when not given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpTarget {
    /// The host name, validated like a mail domain (no IP literal, no special-use name).
    pub host: String,
    /// 465 or 587.
    pub port: u16,
    /// The encryption to test with, as the program would use it.
    pub security: postcheck_core::smtp::settings::Security,
}

/// Parses the query string of `GET /api/smtp`: `host=` (required), `port=` (465 or 587,
/// default 587) and `security=` (`tls`, `starttls` or `plain`; default: `tls` on 465,
/// `starttls` on 587). A wrong combination (`tls` on 587) is allowed on purpose: it is what
/// the check explains.
///
/// # Errors
///
/// [`GatewayError::BadQuery`] for missing, repeated, unknown or undecodable parameters, a port
/// other than 465 and 587 or an unknown encryption; [`GatewayError::InvalidDomain`] for a host
/// that is not a public host name (an IP literal, `localhost`, a private-use name).
pub fn parse_smtp_query(query_string: &str) -> Result<SmtpTarget, GatewayError> {
    use postcheck_core::smtp::settings::Security;
    let bad = |reason: String| GatewayError::BadQuery { reason };
    if query_string.len() > 1024 {
        return Err(bad("longer than 1024 characters".to_owned()));
    }
    let query_string = query_string.strip_prefix('?').unwrap_or(query_string);
    let (mut host, mut port, mut security) = (None, None, None);
    for pair in query_string.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match key {
            "host" => &mut host,
            "port" => &mut port,
            "security" => &mut security,
            other => return Err(bad(format!("unknown parameter {:?}", echo(other)))),
        };
        if slot.is_some() {
            return Err(bad(format!("parameter {key:?} given twice")));
        }
        *slot = Some(percent_decode(value).map_err(|reason| bad(reason.to_owned()))?);
    }
    let host = host.ok_or_else(|| bad("parameter \"host\" missing".to_owned()))?;
    let port = match port.as_deref() {
        None => 587,
        Some(text) => match text.parse::<u16>() {
            Ok(port) if SMTP_PORTS.contains(&port) => port,
            _ => {
                return Err(bad(format!(
                    "port {:?}: only 465 and 587 can be tested here (Cloudflare cannot connect \
                     to port 25)",
                    echo(text)
                )));
            }
        },
    };
    let security = match security.as_deref() {
        None if port == 465 => Security::Tls,
        None => Security::StartTls,
        Some("tls") => Security::Tls,
        Some("starttls") => Security::StartTls,
        Some("plain") => Security::Plain,
        Some(other) => {
            return Err(bad(format!(
                "security {:?}: one of tls, starttls, plain",
                echo(other)
            )));
        }
    };
    let host = validate_domain(host.trim_end_matches('.'))?;
    if let Some(reason) = crate::fetch_target::special_use_domain(&host) {
        return Err(GatewayError::InvalidDomain {
            domain: echo(&host),
            reason,
        });
    }
    Ok(SmtpTarget {
        host,
        port,
        security,
    })
}

/// The gateway's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// `GET /api/dns?name=&type=`: one query.
    DnsGet,
    /// `POST /api/dns`: a batch.
    DnsBatch,
    /// `POST /api/report`: a whole report, planned and resolved by the worker.
    Report,
    /// `POST /api/report/continue`: resumes a report from a signed partial snapshot.
    ReportContinue,
    /// `POST /api/verify`: checks a signed snapshot.
    Verify,
    /// `GET /api/mta-sts?domain=`: fetches an MTA-STS policy.
    MtaSts,
    /// `GET /api/smtp?host=&port=&security=`: tests a submission server's connection,
    /// encryption and `AUTH` offer (no password: the web never asks for one).
    Smtp,
    /// `POST /api/test-address`: a new test address to send a mail to.
    TestAddress,
    /// `GET /api/test-address/<token>`: whether its mail came, and the verdict.
    TestResult,
}

/// Maps a method and path (without query string) to an endpoint. `HEAD` is not served.
///
/// # Errors
///
/// [`GatewayError::NotFound`] for unknown paths, [`GatewayError::MethodNotAllowed`] (with
/// the `Allow` value) for known paths with another method.
pub fn route(method: &str, path: &str) -> Result<Endpoint, GatewayError> {
    let not_allowed = |allowed| GatewayError::MethodNotAllowed {
        method: echo(method),
        allowed,
    };
    match (path, method) {
        ("/api/dns", "GET") => Ok(Endpoint::DnsGet),
        ("/api/dns", "POST") => Ok(Endpoint::DnsBatch),
        ("/api/dns", _) => Err(not_allowed("GET, POST")),
        ("/api/report", "POST") => Ok(Endpoint::Report),
        ("/api/report/continue", "POST") => Ok(Endpoint::ReportContinue),
        ("/api/verify", "POST") => Ok(Endpoint::Verify),
        ("/api/report" | "/api/report/continue" | "/api/verify", _) => Err(not_allowed("POST")),
        ("/api/mta-sts", "GET") => Ok(Endpoint::MtaSts),
        ("/api/mta-sts", _) => Err(not_allowed("GET")),
        ("/api/smtp", "GET") => Ok(Endpoint::Smtp),
        ("/api/smtp", _) => Err(not_allowed("GET")),
        ("/api/test-address", "POST") => Ok(Endpoint::TestAddress),
        ("/api/test-address", _) => Err(not_allowed("POST")),
        (p, "GET") if p.starts_with("/api/test-address/") => Ok(Endpoint::TestResult),
        (p, _) if p.starts_with("/api/test-address/") => Err(not_allowed("GET")),
        _ => Err(GatewayError::NotFound { path: echo(path) }),
    }
}
