//! postcheck's sans-IO core: the DNS model, SPF parsing, evaluation and analysis, and findings.
//!
//! Nothing here opens a socket, reads a clock or draws a random number. Every check reads the
//! answers received so far and names the [`dns::Query`]s it still needs (`Err(queries)`, read
//! through [`dns::Lookups`]); the planner gathers them into one [`Plan::Need`]; a driver answers
//! them with [`dns::Answer`]s. Same answers in, same result out, on every platform.
//!
//! # Where to start
//!
//! A whole report for one domain: reduce what the user typed to a domain with
//! [`parse_domain_input`], put it in a [`CheckInput`], and step a [`DomainCheck`]. Each
//! [`Plan::Need`] lists [`Needs`]: DNS queries and HTTPS fetches that are independent of each
//! other, so a driver sends them together and [supplies](DomainCheck::supply) the answers. The
//! [`Plan::Done`] step hands back the [`Report`]: its [`Finding`]s (a stable [`Code`], a
//! [`Severity`], the values the text needs), the actions, and a section per check.
//!
//! ```
//! use postcheck_core::dns::Answer;
//! use postcheck_core::fetch::FetchResult;
//! use postcheck_core::{CheckInput, Code, DomainCheck, Lang, Plan, message};
//!
//! let input = CheckInput {
//!     domain: "example.com".to_owned(),
//!     ..CheckInput::default()
//! };
//! let mut check = DomainCheck::new(input);
//! let report = loop {
//!     match check.step() {
//!         Plan::Done(report) => break report,
//!         Plan::Need(needs) => {
//!             // A real driver sends these over the network, all at once. Here the domain
//!             // exists with no records at all.
//!             for query in needs.queries {
//!                 check.supply(query, Answer::Nodata);
//!             }
//!             for url in needs.fetches {
//!                 let reason = "offline".to_owned();
//!                 check.supply_fetch(url, FetchResult::Failed { reason });
//!             }
//!         }
//!     }
//! };
//! let no_spf = report.findings.iter().find(|f| f.code == Code::SpfNone).unwrap();
//! println!("{}", message(no_spf, Lang::En));
//! ```
//!
//! The answers and fetches a check read make a [`Snapshot`]: with the input, [`build_report`]
//! reproduces the report anywhere, without DNS. The gateway hands snapshots out signed
//! ([`SignedSnapshot`]). A finding's text comes from [`message`] and [`hint`] in a [`Lang`].
//!
//! Pasted mail is read without DNS: [`analyze_bounce`] explains a bounce ([`Bounce`]), and
//! [`analyze_headers`] reads message headers ([`HeaderReport`]). The reports receivers send
//! (DMARC aggregate and failure reports, SMTP TLS reports) are read and merged by [`reports`].
//!
//! The modules hold the rest: each check on its own, with its section of the report and its
//! record parser ([`spf`], [`dmarc`], [`dkim`], [`mx`], [`sender`], [`mailtransport`]), the
//! finding catalog ([`findings`], [`catalog`]), and the small JSON codec the web page uses
//! instead of serde_json ([`json`]).

#![warn(missing_docs)]
#![warn(unreachable_pub)]

pub mod actions;
#[cfg(feature = "bounce")]
pub mod bounce;
pub mod catalog;
mod der;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod fetch;
pub mod findings;
#[cfg(feature = "bounce")]
pub mod headers;
pub mod input;
pub mod json;
pub mod mailtransport;
pub mod messages;
pub mod mx;
pub mod order;
pub mod profile;
pub mod publish;
#[cfg(feature = "bounce")]
pub mod received;
#[cfg(feature = "recipients")]
pub mod recipients;
pub mod report;
#[cfg(feature = "reports")]
pub mod reports;
pub mod sender;
#[cfg(feature = "smtp")]
pub mod smtp;
pub mod spf;
pub mod taglist;
pub mod typo;

#[cfg(feature = "bounce")]
pub use bounce::{Bounce, analyze as analyze_bounce};
pub use fetch::Needs;
pub use findings::{Code, Finding, Severity};
#[cfg(feature = "bounce")]
pub use headers::{HeaderReport, analyze as analyze_headers};
#[cfg(feature = "idna")]
pub use input::parse_domain_input;
pub use input::parse_domain_input_with;
pub use messages::{Lang, hint, message};
pub use report::{CheckInput, DomainCheck, Plan, Report, SignedSnapshot, Snapshot, build_report};
