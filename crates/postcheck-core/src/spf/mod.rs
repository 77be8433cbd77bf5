//! SPF (RFC 7208): the record parser, `check_host()` evaluation, and the static tree analysis.

pub mod analyze;
pub mod eval;
pub mod macros;
pub mod parse;

pub use analyze::{SpfAnalysis, SpfAnalyzer, SpfNode, analyze};
pub use eval::{SpfEvaluation, SpfInput, SpfOutcome, SpfResult, evaluate};
pub use parse::{SpfRecord, parse as parse_record};
