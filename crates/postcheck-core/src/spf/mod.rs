//! SPF (RFC 7208): the record parser, `check_host()` evaluation, and the static tree analysis.

pub mod analyze;
pub mod eval;
pub mod macros;
pub mod parse;

pub use analyze::{SpfAnalysis, SpfNode, analyze};
pub use eval::{SpfInput, SpfOutcome, SpfResult, evaluate};
pub use parse::{SpfRecord, parse as parse_record};

// The limits of RFC 7208, here so that the evaluator and the tree analysis both read them from
// their parent and neither imports the other.

/// RFC 7208 §4.6.4: at most 10 terms that query DNS.
pub const LOOKUP_LIMIT: u32 = 10;
/// RFC 7208 §4.6.4: at most 2 void lookups.
pub const VOID_LOOKUP_LIMIT: u32 = 2;
/// RFC 7208 §4.6.4: an `mx` term may yield at most 10 MX names, a `ptr` term uses 10 names.
pub const MX_NAME_LIMIT: usize = 10;
/// RFC 7208 §3.4: keep the TXT answer under 450 octets so it fits a 512-octet UDP reply.
pub const RECORD_SIZE_LIMIT: usize = 450;
/// A bound on the nodes visited (include and redirect targets), so a hostile tree cannot make
/// the analysis or the evaluation unbounded.
pub(crate) const NODE_LIMIT: usize = 64;
