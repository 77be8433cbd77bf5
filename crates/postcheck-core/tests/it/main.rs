//! The core's integration tests: public suites and whole-engine properties, one binary.

mod bounce;
mod bounce_corpus;
mod catalog;
mod differential;
mod dkim;
mod dmarc;
mod headers;
mod headers_authres;
mod hostile;
mod mx;
mod report;
mod reports;
mod rfc7208;
mod table;
mod transport;
mod zone;
