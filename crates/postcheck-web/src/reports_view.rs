//! What the `/tools` page's reports reader module (`postcheck-web-reports`) hands back to the
//! page (`postcheck-web-tools`): the merged reports as the page shows them, the findings as
//! codes and parameters (the page has the texts; the reader module carries none). One
//! definition for both sides of the JSON that crosses between the two wasm modules.

use postcheck_core::findings::Finding;
use serde::{Deserialize, Serialize};

/// One sender of a domain's mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// The provider's name, an organizational domain, or `unidentified`.
    pub name: String,
    /// `aligned`, `legitimate-failing` or `unknown-failing`.
    pub verdict: String,
    /// Messages, and those that passed DMARC.
    pub messages: u64,
    pub dmarc_pass: u64,
    /// Its source IPs.
    pub ips: Vec<String>,
    /// What is wrong and what to do, for a failing sender.
    pub finding: Option<Finding>,
}

/// One source IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub ip: String,
    pub sender: String,
    pub messages: u64,
    pub dmarc_pass: u64,
    pub spf_aligned: u64,
    pub dkim_aligned: u64,
    /// `none=3 reject=1`.
    pub dispositions: String,
}

/// The aggregate reports of one policy domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub domain: String,
    /// The policy in force (`p`).
    pub policy: String,
    pub messages: u64,
    pub dmarc_pass: u64,
    pub reports: usize,
    pub reporters: Vec<String>,
    /// The period, `YYYY-MM-DD – YYYY-MM-DD`, when the reports give it.
    pub period: Option<String>,
    /// Whether the next policy step can be taken, and why not.
    pub readiness: Option<Finding>,
    pub senders: Vec<Sender>,
    /// The first source IPs (most messages first); `sources_total` counts them all.
    pub sources: Vec<Source>,
    pub sources_total: usize,
}

/// The TLS reports of one policy domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tls {
    pub domain: String,
    pub successful: u64,
    pub failed: u64,
    /// Failed sessions per result type and per MX host.
    pub by_result: Vec<(String, u64)>,
    pub by_mx: Vec<(String, u64)>,
}

/// A file, or a part of one, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    pub finding: Finding,
}

/// Everything the page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportsView {
    pub files: usize,
    pub complete_files: usize,
    pub aggregate_reports: usize,
    pub duplicates: usize,
    pub failure_reports: usize,
    pub tls_reports: usize,
    pub domains: Vec<Domain>,
    pub tls: Vec<Tls>,
    /// The other findings (failure reports, TLS failures, files with no report).
    pub other: Vec<Finding>,
    pub problems: Vec<Problem>,
    /// The whole list of source IPs as CSV.
    pub csv: String,
}
