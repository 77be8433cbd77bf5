//! A small JSON codec (RFC 8259) for exactly the documents the web page exchanges with the
//! gateway: the signed snapshot (`/api/report`'s answer, `/api/verify`'s body, the snapshot
//! link), the report request, a sender profile, the gateway's error body, `/api/verify`'s and
//! `/api/dns`'s answers.
//!
//! The shapes are the ones the serde derives of [`crate::report`], [`crate::dns`],
//! [`crate::fetch`], [`crate::sender`] and [`crate::profile`] define; the native drivers (CLI,
//! worker) keep using serde. The page uses this codec instead so that its wasm carries no
//! generic deserializer: serde_json's code for these types (and the float formatting its error
//! messages kept) was about a sixth of the page's wasm, 36 KB of its brotli size.
//!
//! The reader reads everything serde writes for these types (old snapshot links included) and
//! follows serde's rules for them: unknown fields are skipped (a sender profile refuses them, as
//! its `deny_unknown_fields` does), absent fields with a default take it, `null` is accepted only
//! where an `Option` is. Unlike serde it refuses a key repeated in any object, as the gateway
//! does, and integers only: a number with a fraction or an exponent where an integer is expected
//! is an error. It never panics; its limits are [`MAX_DOCUMENT_BYTES`] and [`MAX_DEPTH`].
//!
//! The writer writes what `serde_json::to_string` writes for the same values, byte for byte, so
//! the gateway's canonical JSON of a re-sent snapshot is the one it signed.

pub(crate) mod lexer;
mod read;
mod write;

#[cfg(test)]
mod tests;

use crate::dns::{Answer, Query};
use crate::profile::SenderProfile;
use crate::report::SignedSnapshot;
use std::fmt;

pub use write::{
    write_dns_request, write_report_request, write_sender_profile, write_signed_snapshot,
};

/// The largest document the reader accepts: a report's answers are tens of kilobytes, a
/// snapshot link inflates to at most 2 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// The deepest nesting of arrays and objects the reader accepts (RFC 8259 §9 lets a parser set
/// one). The snapshot itself nests ten deep.
pub const MAX_DEPTH: usize = 64;

/// Why a document could not be read, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    /// The byte offset in the document where reading stopped.
    pub offset: usize,
    /// What was wrong.
    pub kind: ErrorKind,
}

/// What was wrong with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Longer than [`MAX_DOCUMENT_BYTES`].
    TooLarge,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Not JSON: a stray character, a truncated document, text after the value.
    Syntax,
    /// A string that is not UTF-8 or holds a raw control character (RFC 8259 §7, §8.1).
    String,
    /// A bad escape, or a `\u` escape of a lone surrogate (RFC 8259 §7).
    Escape,
    /// A number that is not an integer in the range the field allows.
    Number,
    /// An object names a key twice (RFC 8259 §4 leaves it to the reader; the gateway refuses).
    RepeatedKey,
    /// JSON, but not the expected value here: the text names what was expected.
    Expected(&'static str),
    /// A required field is absent.
    MissingField(&'static str),
    /// A field a sender profile does not have.
    UnknownField,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::TooLarge => f.write_str("document too large")?,
            ErrorKind::TooDeep => f.write_str("nested too deep")?,
            ErrorKind::Syntax => f.write_str("not JSON")?,
            ErrorKind::String => f.write_str("invalid string")?,
            ErrorKind::Escape => f.write_str("invalid escape")?,
            ErrorKind::Number => f.write_str("number out of range")?,
            ErrorKind::RepeatedKey => f.write_str("repeated key")?,
            ErrorKind::Expected(what) => write!(f, "expected {what}")?,
            ErrorKind::MissingField(field) => write!(f, "missing field `{field}`")?,
            ErrorKind::UnknownField => f.write_str("unknown field")?,
        }
        write!(f, " at byte {}", self.offset)
    }
}

impl std::error::Error for Error {}

/// `/api/report`'s answer: the signed snapshot, and whether it holds the whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportAnswer {
    /// The snapshot with its signature, as the gateway signed it.
    pub signed: SignedSnapshot,
    /// False when the gateway stopped early and the report continues (absent: true).
    pub complete: bool,
}

/// The gateway's error body, `{"error":{"code":…,"message":…}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayError {
    /// `invalid-domain`, `rate-limited`, …
    pub code: String,
    /// The error in English, for people; `code` is what programs match on.
    pub message: String,
}

/// Reads a signed snapshot (`{"input":…,"snapshot":…,"taken_at":…,"signature":…}`).
///
/// # Errors
///
/// When `json` is not JSON, or not a signed snapshot.
pub fn read_signed_snapshot(json: &[u8]) -> Result<SignedSnapshot, Error> {
    read::document(json, |lexer| read::signed_snapshot(lexer, false)).map(|(signed, _)| signed)
}

/// Reads `/api/report`'s (or `/api/report/continue`'s) answer: a signed snapshot with
/// `complete`; its `rounds` and `queries` counts are skipped.
///
/// # Errors
///
/// When `json` is not JSON, or not such an answer.
pub fn read_report_answer(json: &[u8]) -> Result<ReportAnswer, Error> {
    read::document(json, |lexer| read::signed_snapshot(lexer, true)).map(|(signed, complete)| {
        ReportAnswer {
            signed,
            complete: complete.unwrap_or(true),
        }
    })
}

/// Reads the gateway's error body.
///
/// # Errors
///
/// When `json` is not JSON, or not an error body.
pub fn read_gateway_error(json: &[u8]) -> Result<GatewayError, Error> {
    read::document(json, read::gateway_error)
}

/// Reads `/api/verify`'s answer, `{"valid":…}`.
///
/// # Errors
///
/// When `json` is not JSON, or has no boolean `valid`.
pub fn read_verified(json: &[u8]) -> Result<bool, Error> {
    read::document(json, read::verified)
}

/// Reads `/api/dns`'s answer, `{"answers":[{"query":…,"answer":…},…]}` (each entry's other
/// fields, `rcode` and `ttl`, are skipped).
///
/// # Errors
///
/// When `json` is not JSON, or not such an answer.
pub fn read_dns_answers(json: &[u8]) -> Result<Vec<(Query, Answer)>, Error> {
    read::document(json, read::dns_answers)
}

/// Reads a sender profile (the live link's `profile=`).
///
/// # Errors
///
/// When `json` is not JSON, or not a sender profile (unknown fields included).
pub fn read_sender_profile(json: &[u8]) -> Result<SenderProfile, Error> {
    read::document(json, read::sender_profile)
}
