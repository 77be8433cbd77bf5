//! `POST /api/report`: the request's checks, the guard on what the core's planner may send
//! upstream, and the budget that bounds one report's cost.
//!
//! The worker runs the core's planner ([`postcheck_core::report::DomainCheck`]) itself and
//! answers every round's queries in parallel, so the page gets the whole snapshot in one round
//! trip. What the planner asks for depends on the DNS it reads (SPF macros, include targets), so
//! each query is checked again before it leaves, and a report has a budget of rounds, queries
//! and fetches: past the budget, queries are answered as failures ("could not verify"), never
//! as missing records.

use crate::request::{
    GatewayError, Limits, allowed_type, echo, json_body, mta_sts_url, validate_domain,
    validate_name,
};
use postcheck_core::dns::{Answer, Failure, Query};
use postcheck_core::fetch::FetchResult;
use postcheck_core::profile::SenderProfile;
use postcheck_core::report::CheckInput;
use postcheck_core::sender::DnsblConfig;
use serde::Deserialize;
use std::net::IpAddr;

/// The most sending IPs one report checks (the user's and the profile's together).
pub const MAX_IPS: usize = 16;
/// The most DKIM selectors one report asks for (the user's and the profile's together).
pub const MAX_SELECTORS: usize = 16;
/// The most SPF entries a sender profile may carry.
pub const MAX_PROFILE_SPF: usize = 32;
/// The most blocklists one report asks.
pub const MAX_DNSBLS: usize = 8;

/// The body of `POST /api/report`: the core's [`CheckInput`] without the timestamp (the
/// gateway sets it to the time the snapshot is taken).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportBody {
    domain: String,
    #[serde(default)]
    ips: Vec<IpAddr>,
    #[serde(default)]
    dkim_selectors: Vec<String>,
    #[serde(default)]
    profile: Option<SenderProfile>,
    #[serde(default)]
    dnsbl: Option<DnsblConfig>,
}

/// Parses and checks the body of `POST /api/report` into the planner's input, with
/// `timestamp` = `now` (seconds since the epoch).
///
/// The domain must pass [`validate_domain`]; selectors must be DNS labels (RFC 6376 §3.1:
/// `selector = sub-domain *( "." sub-domain )`); IPs, selectors, profile entries and
/// blocklists are capped ([`MAX_IPS`], [`MAX_SELECTORS`], [`MAX_PROFILE_SPF`],
/// [`MAX_DNSBLS`]); blocklist zones must be valid names.
///
/// # Errors
///
/// [`GatewayError::BodyTooLarge`], [`GatewayError::BadJson`] (also for a value over a cap),
/// [`GatewayError::InvalidDomain`] or [`GatewayError::InvalidName`].
pub fn parse_report_request(
    body: &[u8],
    limits: &Limits,
    now: u64,
) -> Result<CheckInput, GatewayError> {
    let request: ReportBody = json_body(
        body,
        limits.max_body_bytes,
        "expected {\"domain\":…}",
        |_| true,
    )?;
    let bad_json = |reason: String| GatewayError::BadJson { reason };
    let domain = validate_domain(&request.domain)?;
    let too_many = |what: &str, count: usize, max: usize| {
        bad_json(format!(
            "{count} {what}, at most {max} are checked in one report"
        ))
    };
    let profile_ips = request.profile.as_ref().map_or(0, |p| p.ips.len());
    if request.ips.len() + profile_ips > MAX_IPS {
        return Err(too_many(
            "sending IPs",
            request.ips.len() + profile_ips,
            MAX_IPS,
        ));
    }
    let profile_selectors = request
        .profile
        .as_ref()
        .map_or(0, |p| p.dkim_selectors.len() + p.dkim_cnames.len());
    let selector_count = request.dkim_selectors.len() + profile_selectors;
    if selector_count > MAX_SELECTORS {
        return Err(too_many("DKIM selectors", selector_count, MAX_SELECTORS));
    }
    let profile_selector_names = request.profile.iter().flat_map(|p| {
        p.dkim_selectors
            .iter()
            .chain(p.dkim_cnames.keys())
            .map(String::as_str)
    });
    for selector in request
        .dkim_selectors
        .iter()
        .map(String::as_str)
        .chain(profile_selector_names)
    {
        let selector = selector.trim();
        if selector.is_empty() {
            continue;
        }
        validate_name(selector).map_err(|_| GatewayError::InvalidName {
            name: echo(selector),
            reason: "not a DKIM selector (labels of letters, digits, '-' and '_')",
        })?;
    }
    if let Some(profile) = &request.profile {
        if profile.spf.len() > MAX_PROFILE_SPF {
            return Err(too_many(
                "SPF entries in the profile",
                profile.spf.len(),
                MAX_PROFILE_SPF,
            ));
        }
        if profile.name.len() > 200 {
            return Err(bad_json(
                "profile name longer than 200 characters".to_owned(),
            ));
        }
        for target in profile.dkim_cnames.values() {
            validate_name(target)?;
        }
        if let Some(return_path) = &profile.return_path {
            validate_name(return_path)?;
        }
    }
    let dnsbl = match request.dnsbl {
        None => DnsblConfig::default(),
        Some(config) => {
            if config.lists.len() > MAX_DNSBLS {
                return Err(too_many("blocklists", config.lists.len(), MAX_DNSBLS));
            }
            for zone in &config.lists {
                validate_name(zone)?;
            }
            if let Some(key) = &config.spamhaus_dqs_key {
                validate_name(key).map_err(|_| GatewayError::BadJson {
                    reason: "spamhaus_dqs_key is not a DNS label".to_owned(),
                })?;
            }
            config
        }
    };
    Ok(CheckInput {
        domain,
        ips: request.ips,
        dkim_selectors: request.dkim_selectors,
        profile: request.profile,
        dnsbl,
        timestamp: now,
    })
}

/// What one report may cost the gateway. Past it, the planner still ends: every further
/// query is answered as a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportBudget {
    /// The most planner rounds (each round's queries go out in parallel).
    pub max_rounds: usize,
    /// The most upstream queries in all.
    pub max_queries: usize,
    /// The most HTTPS fetches in all (MTA-STS policies).
    pub max_fetches: usize,
}

impl Default for ReportBudget {
    fn default() -> Self {
        // RFC 7208 §4.6.4 bounds one SPF evaluation to 10 DNS-querying terms, 2 void lookups
        // and 10 names per MX/PTR; a report evaluates SPF once per IP plus DMARC, DKIM, MX,
        // PTR, blocklists and transport records.
        ReportBudget {
            max_rounds: 24,
            max_queries: 400,
            max_fetches: 2,
        }
    }
}

/// Keeps count of what a report has spent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spent {
    /// Rounds so far.
    pub rounds: usize,
    /// Queries sent upstream so far.
    pub queries: usize,
    /// Fetches made so far.
    pub fetches: usize,
}

/// What to do with one query the planner asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryGate {
    /// Send it upstream (the name normalized).
    Send(Query),
    /// Do not send it; supply this answer instead.
    Answer(Answer),
}

/// Decides whether one of the planner's queries may go upstream. A name that the gateway
/// would refuse from a client (an SPF macro can expand to anything, RFC 7208 §7.3), a type it
/// does not forward, or a query past the budget is answered as [`Failure::Refused`] /
/// [`Failure::Error`] — "could not verify", never "missing".
pub fn gate_query(query: &Query, budget: &ReportBudget, spent: &mut Spent) -> QueryGate {
    let Ok(name) = validate_name(&query.name) else {
        return QueryGate::Answer(Answer::failed(Failure::Error));
    };
    if allowed_type(query.record_type.as_str()).is_err() {
        return QueryGate::Answer(Answer::failed(Failure::Refused));
    }
    if spent.rounds > budget.max_rounds || spent.queries >= budget.max_queries {
        return QueryGate::Answer(Answer::failed(Failure::Refused));
    }
    spent.queries += 1;
    QueryGate::Send(Query {
        name,
        record_type: query.record_type,
    })
}

/// Decides whether one of the planner's fetches may go out: only the MTA-STS policy URL of a
/// validated domain ([`mta_sts_url`], RFC 8461 §3.3), within the budget. Anything else gets a
/// failed result with the reason.
pub fn gate_fetch(url: &str, budget: &ReportBudget, spent: &mut Spent) -> Result<(), FetchResult> {
    let refused = |reason: &str| FetchResult::Failed {
        reason: reason.to_owned(),
    };
    let domain = url
        .strip_prefix("https://mta-sts.")
        .and_then(|rest| rest.strip_suffix("/.well-known/mta-sts.txt"))
        .ok_or_else(|| refused("not an MTA-STS policy URL"))?;
    match mta_sts_url(domain) {
        Ok(expected) if expected == url => {}
        _ => return Err(refused("not an MTA-STS policy URL of a valid domain")),
    }
    if spent.fetches >= budget.max_fetches {
        return Err(refused("fetch budget of this report spent"));
    }
    spent.fetches += 1;
    Ok(())
}
