//! Query encoding: header, one question, and an EDNS0 OPT record (RFC 1035 §4.1, RFC 6891).

use crate::WireError;
use crate::name::Name;
use postcheck_core::dns::Query;

/// The EDNS0 UDP payload size advertised by default: 1232 octets, the value of DNS Flag Day
/// 2020, which avoids IP fragmentation on practically every path.
pub const DEFAULT_EDNS_UDP_SIZE: u16 = 1232;

/// RFC 6891 §6.2.5: sizes below 512 are treated as 512.
const MIN_EDNS_UDP_SIZE: u16 = 512;

/// Class IN (RFC 1035 §3.2.4).
pub(crate) const CLASS_IN: u16 = 1;
/// The OPT pseudo-RR type (RFC 6891 §6.1.1).
pub(crate) const TYPE_OPT: u16 = 41;

/// Header flag bits (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2).
pub(crate) mod flags {
    pub(crate) const QR: u16 = 0x8000;
    pub(crate) const TC: u16 = 0x0200;
    pub(crate) const RD: u16 = 0x0100;
    pub(crate) const AD: u16 = 0x0020;
    /// The DO bit in the OPT record's TTL field (RFC 3225 §3, RFC 6891 §6.1.4).
    pub(crate) const DO: u32 = 0x0000_8000;
}

/// How to encode a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    /// The UDP payload size to advertise in an OPT record (RFC 6891 §6.2.3), or `None` for
    /// no OPT record at all. Values below 512 are sent as 512 (RFC 6891 §6.2.5).
    pub edns_udp_size: Option<u16>,
    /// Sets the DO bit (RFC 3225), asking for DNSSEC records. Ignored without EDNS, since the
    /// bit lives in the OPT record.
    pub dnssec_ok: bool,
}

impl EncodeOptions {
    /// EDNS0 with a payload size of [`DEFAULT_EDNS_UDP_SIZE`], DO bit clear.
    #[must_use]
    pub const fn new() -> Self {
        EncodeOptions {
            edns_udp_size: Some(DEFAULT_EDNS_UDP_SIZE),
            dnssec_ok: false,
        }
    }

    /// A plain RFC 1035 query without an OPT record.
    #[must_use]
    pub const fn without_edns() -> Self {
        EncodeOptions {
            edns_udp_size: None,
            dnssec_ok: false,
        }
    }
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// Encodes `query` as a DNS message with the given ID: RD and AD set, one question of class IN,
/// and (unless disabled) an EDNS0 OPT record in the additional section.
///
/// The name is taken without a trailing dot (one is tolerated), the empty string or `.`
/// being the root. Fails for empty labels, labels over 63 octets, names over 253 characters
/// (255 wire octets) and malformed `\` escapes.
///
/// # Errors
///
/// [`WireError::EmptyLabel`], [`WireError::LabelTooLong`], [`WireError::NameTooLong`] or
/// [`WireError::InvalidEscape`] when the query's name cannot go on the wire.
pub fn encode_query(query: &Query, id: u16, options: EncodeOptions) -> Result<Vec<u8>, WireError> {
    let name = Name::parse(&query.name)?;
    let mut out = Vec::with_capacity(12 + name.wire_len() + 4 + 11);

    // Header, RFC 1035 §4.1.1: ID, flags, QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 1 with EDNS.
    // RD: a stub asks for recursion. AD: RFC 6840 §5.7 — a validating resolver sets AD in the
    // answer only if the query set AD or DO; AD asks for it without the RRSIG records DO adds.
    let arcount = u16::from(options.edns_udp_size.is_some());
    for field in [id, flags::RD | flags::AD, 1, 0, 0, arcount] {
        out.extend_from_slice(&field.to_be_bytes());
    }

    // Question, RFC 1035 §4.1.2.
    name.write(&mut out);
    out.extend_from_slice(&query.record_type.code().to_be_bytes());
    out.extend_from_slice(&CLASS_IN.to_be_bytes());

    // OPT pseudo-RR, RFC 6891 §6.1.2: root owner, TYPE 41, CLASS = payload size, TTL =
    // extended RCODE 0, VERSION 0, DO bit, Z; no options.
    if let Some(size) = options.edns_udp_size {
        out.push(0);
        out.extend_from_slice(&TYPE_OPT.to_be_bytes());
        out.extend_from_slice(&size.max(MIN_EDNS_UDP_SIZE).to_be_bytes());
        let ttl = if options.dnssec_ok { flags::DO } else { 0 };
        out.extend_from_slice(&ttl.to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
    }
    Ok(out)
}
