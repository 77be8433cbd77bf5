//! What a report is computed from: the [`CheckInput`] (what to check, with the limits on sending
//! IPs and DKIM selectors), the [`Snapshot`] (the answers and fetches) and the gateway's
//! [`SignedSnapshot`]. Not to be confused with [`crate::input`], which reads the user's text.

use super::{Report, build_report};
use crate::dkim::{NamedSelector, SelectorSource};
use crate::dns::AnswerCache;
use crate::fetch::{FetchCache, Needs};
use crate::profile::SenderProfile;
use crate::sender::DnsblConfig;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The most sending IPs one report checks (the user's and the profile's together). The gateway
/// refuses a request with more; [`CheckInput::sending_ips`] takes no more from a snapshot that
/// did not come through it (a crafted share link).
pub const MAX_IPS: usize = 16;
/// The most DKIM selectors one report asks for by name (the user's and the profile's together),
/// refused and taken as [`MAX_IPS`].
pub const MAX_SELECTORS: usize = 16;

/// The body of `POST /api/report`: what to check, as the page writes it
/// (`json::write_report_request`) and the gateway reads it. [`CheckInput`] without the timestamp,
/// which the gateway sets to the time it takes the snapshot; without `dnsbl`, the gateway's
/// default blocklists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The domain as typed: the gateway validates it.
    pub domain: String,
    /// Sending IPs to evaluate SPF for and to check (PTR, blocklists).
    #[serde(default)]
    pub ips: Vec<IpAddr>,
    /// DKIM selectors the user named.
    #[serde(default)]
    pub dkim_selectors: Vec<String>,
    /// The vendor's sender profile, if the check is made for one.
    #[serde(default)]
    pub profile: Option<SenderProfile>,
    /// Which blocklists to ask; the gateway's default when absent (the page never sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dnsbl: Option<DnsblConfig>,
}

/// What to check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInput {
    /// The domain, already reduced to ASCII (see [`crate::input::parse_domain_input`]).
    pub domain: String,
    /// Sending IPs to evaluate SPF for and to check (PTR, blocklists).
    #[serde(default)]
    pub ips: Vec<IpAddr>,
    /// DKIM selectors the user named.
    #[serde(default)]
    pub dkim_selectors: Vec<String>,
    /// The vendor's sender profile, if the check is made for one.
    #[serde(default)]
    pub profile: Option<SenderProfile>,
    /// Which blocklists to ask.
    #[serde(default)]
    pub dnsbl: DnsblConfig,
    /// Seconds since the epoch, for `%{t}` (the core has no clock).
    #[serde(default)]
    pub timestamp: u64,
}

impl CheckInput {
    /// The sending IPs: the user's and the profile's, each once, at most [`MAX_IPS`]. Linear:
    /// each address is compared with the at most [`MAX_IPS`] kept (small lists keep the page's
    /// code small, where a set type would add its own).
    pub fn sending_ips(&self) -> Vec<IpAddr> {
        let mut kept = Vec::new();
        for ip in self
            .ips
            .iter()
            .chain(self.profile.iter().flat_map(|p| p.ips.iter()))
        {
            if kept.len() == MAX_IPS {
                break;
            }
            if !kept.contains(ip) {
                kept.push(*ip);
            }
        }
        kept
    }

    /// The DKIM selectors to check by name: the user's (as given), then the profile's that are
    /// not named yet, at most [`MAX_SELECTORS`], empty ones left out.
    pub fn named_selectors(&self) -> Vec<NamedSelector> {
        let user = self
            .dkim_selectors
            .iter()
            .map(|s| (s, SelectorSource::User));
        let profile = self.profile.iter().flat_map(|profile| {
            profile
                .dkim_selectors
                .iter()
                .chain(profile.dkim_cnames.keys())
                .map(|s| (s, SelectorSource::Profile))
        });
        let mut kept: Vec<NamedSelector> = Vec::new();
        for (selector, source) in user.chain(profile) {
            if kept.len() == MAX_SELECTORS {
                break;
            }
            let selector = selector.trim().to_ascii_lowercase();
            let named = kept.iter().any(|n| n.selector == selector);
            if !selector.is_empty() && (source == SelectorSource::User || !named) {
                kept.push(NamedSelector { selector, source });
            }
        }
        kept
    }
}

/// The answers a report was computed from: with the input, they reproduce it anywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Every DNS answer the report read, keyed by query.
    pub answers: AnswerCache,
    /// Every HTTPS fetch the report read (the MTA-STS policy), keyed by URL.
    pub fetches: FetchCache,
}

/// A snapshot as the gateway hands it out: the input it was taken for, the answers, the time it
/// was taken and the gateway's signature over all three (see `postcheck-gateway`'s `snapshot`
/// module). A page recomputes the report from it with [`build_report`] and no DNS query; the
/// gateway's `/api/verify` says whether it is intact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedSnapshot {
    /// What was checked (its `timestamp` is `taken_at`).
    pub input: CheckInput,
    /// Every answer and fetch the report needs.
    pub snapshot: Snapshot,
    /// When the gateway took it, in seconds since the epoch.
    pub taken_at: u64,
    /// Lowercase hex HMAC-SHA256 over `taken_at` and the canonical JSON of
    /// `{"input":…,"snapshot":…}`.
    pub signature: String,
}

impl SignedSnapshot {
    /// The report this snapshot reproduces.
    ///
    /// # Errors
    ///
    /// The queries still missing when the snapshot is incomplete (edited, or taken for other
    /// input).
    pub fn report(&self) -> Result<Report, Needs> {
        build_report(&self.input, &self.snapshot)
    }
}
