//! The CLI against real DNS: knotd serving `tests/zones`, dnsdist in front (plain DNS and DoH,
//! fault injection), started by `tests/bed/netns-run.sh` in a private network namespace.

mod batch;
mod bounce;
mod bounce_bulk;
mod cli;
mod fixtures;
mod pipe;
mod profile;
mod publish;
mod recipients;
mod report;
mod reports;
mod smtp;
mod stats;
