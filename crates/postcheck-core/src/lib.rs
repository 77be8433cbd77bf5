//! postcheck's sans-IO core: the DNS model, SPF parsing, evaluation and analysis, and findings.
//!
//! Nothing here opens a socket, reads a clock or draws a random number. State machines say which
//! [`dns::Query`]s they need ([`dns::Step::NeedAnswers`]); a driver answers them with
//! [`dns::Answer`]s. Same answers in, same result out, on every platform.

pub mod actions;
pub mod bounce;
pub mod catalog;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod fetch;
pub mod findings;
pub mod headers;
pub mod input;
pub mod json;
pub mod mailtransport;
pub mod messages;
pub mod mx;
pub mod profile;
pub mod report;
pub mod sender;
pub mod spf;
pub mod taglist;
