//! The core's integration tests: public suites and whole-engine properties, one binary.

mod dkim;
mod differential;
mod dmarc;
mod mx;
mod report;
mod rfc7208;
mod zone;
