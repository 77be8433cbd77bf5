//! The one error type of the wire codec: what was wrong, and where in the packet.

use thiserror::Error;

/// Why a name could not be encoded or a packet could not be decoded.
///
/// Offsets are octet offsets from the start of the DNS message (for TCP, after the two-octet
/// length prefix of RFC 7766 §8).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum WireError {
    /// The packet ended before a field was complete.
    #[error("packet truncated: {what} at offset {offset} needs {needed} octets, packet has {len}")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Where the field starts.
        offset: usize,
        /// How many octets the field needs.
        needed: usize,
        /// The length of the packet.
        len: usize,
    },

    /// A label longer than 63 octets (RFC 1035 §2.3.4).
    #[error("label of {len} octets in {name:?} exceeds the limit of 63 (RFC 1035 §2.3.4)")]
    LabelTooLong {
        /// The name, as given or as decoded so far.
        name: String,
        /// The length of the offending label.
        len: usize,
    },

    /// A name longer than 255 octets on the wire, 253 in text without the trailing dot
    /// (RFC 1035 §2.3.4, §3.1).
    #[error("name {name:?} takes {octets} octets on the wire, more than 255 (RFC 1035 §2.3.4)")]
    NameTooLong {
        /// The name, as given or as decoded so far.
        name: String,
        /// Its wire length (at least).
        octets: usize,
    },

    /// A name with an empty label other than the root, such as `a..b` or `.a`.
    #[error("name {name:?} has an empty label")]
    EmptyLabel {
        /// The name as given.
        name: String,
    },

    /// A backslash escape that is incomplete or out of range (`\256`, a trailing `\`).
    #[error("name {name:?} has an invalid escape")]
    InvalidEscape {
        /// The name as given.
        name: String,
    },

    /// A compression pointer (RFC 1035 §4.1.4) to an offset outside the packet.
    #[error("compression pointer at offset {offset} points to {target}, beyond the packet")]
    PointerOutOfBounds {
        /// Where the pointer is.
        offset: usize,
        /// Where it points.
        target: usize,
    },

    /// Compression pointers that revisit an offset, or too many of them in one name.
    #[error("compression pointer loop at offset {offset} (to {target})")]
    PointerLoop {
        /// Where the pointer is.
        offset: usize,
        /// Where it points.
        target: usize,
    },

    /// A label type other than a plain label (`00`) or a pointer (`11`), RFC 1035 §4.1.4;
    /// the extended label types of RFC 2671 are obsolete (RFC 6891 §5).
    #[error("unsupported label type {octet:#04x} at offset {offset}")]
    UnsupportedLabelType {
        /// Where the length octet is.
        offset: usize,
        /// The length octet.
        octet: u8,
    },

    /// The QR bit is clear: the packet is a query, not a response (RFC 1035 §4.1.1).
    #[error("packet {id:#06x} is not a response (QR bit clear)")]
    NotAResponse {
        /// The message ID.
        id: u16,
    },

    /// The OPCODE is not QUERY (RFC 1035 §4.1.1).
    #[error("response has opcode {opcode}, expected 0 (QUERY)")]
    UnexpectedOpcode {
        /// The opcode.
        opcode: u8,
    },

    /// A response whose question count is not one (zero is accepted for error RCODEs).
    #[error("response has {count} questions, expected 1")]
    QuestionCount {
        /// QDCOUNT.
        count: u16,
    },

    /// The response's question is not the one asked (RFC 5452 §9.1).
    #[error(
        "response is for {found_name:?} type {found_type} class {found_class}, \
         asked {expected_name:?} type {expected_type} class 1"
    )]
    QuestionMismatch {
        /// The name asked.
        expected_name: String,
        /// The type asked.
        expected_type: u16,
        /// The name in the response.
        found_name: String,
        /// The type in the response.
        found_type: u16,
        /// The class in the response.
        found_class: u16,
    },

    /// Record data that does not fit its type or its RDLENGTH.
    #[error("bad rdata for type {type_code} at offset {offset}: {reason}")]
    BadRdata {
        /// The record type.
        type_code: u16,
        /// Where the rdata starts.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

impl WireError {
    /// True when the packet is well-formed so far but answers some other question, or is no
    /// response at all. A UDP client should ignore such a packet and keep waiting
    /// (RFC 5452 §9.1) rather than treat it as the answer.
    #[must_use]
    pub fn is_mismatch(&self) -> bool {
        matches!(
            self,
            WireError::NotAResponse { .. }
                | WireError::UnexpectedOpcode { .. }
                | WireError::QuestionCount { .. }
                | WireError::QuestionMismatch { .. }
        )
    }
}
