//! DNS wire format for postcheck's drivers: query encoding and response decoding, no I/O.
//!
//! A driver encodes a [`Query`](postcheck_core::dns::Query) with [`encode_query`], sends the
//! octets however it likes (UDP, TCP with the RFC 7766 length prefix, DoH per RFC 8484), and
//! turns what comes back into an [`Answer`](postcheck_core::dns::Answer) with
//! [`decode_response`]. Nothing here reads a clock, draws a random number or opens a socket:
//! the message ID is the caller's, and so is matching it.
//!
//! What is implemented, and where the rule comes from:
//! - message layout, header flags, questions and resource records: RFC 1035 §4.1;
//! - name compression, with loop protection: RFC 1035 §4.1.4;
//! - name and label limits: RFC 1035 §2.3.4; case-insensitive names: RFC 4343;
//! - EDNS0 OPT record and extended RCODE: RFC 6891 §6; the DO bit: RFC 3225;
//! - AAAA: RFC 3596; reverse names: RFC 1035 §3.5 and RFC 3596 §2.5;
//! - NXDOMAIN and NODATA: RFC 2308 §2; CNAME chains in answers: RFC 1034 §3.6.2.

#![warn(missing_docs)]
#![warn(unreachable_pub)]

mod decode;
mod encode;
mod error;
mod name;

#[cfg(test)]
mod tests;

pub use decode::{Response, decode_response};
pub use encode::{DEFAULT_EDNS_UDP_SIZE, EncodeOptions, encode_query};
pub use error::WireError;
/// The reverse-lookup name of an address: the core's rule (`postcheck_core::dns::name`).
pub use postcheck_core::dns::name::reverse_name;
