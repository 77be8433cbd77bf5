//! `POST /api/report`: the request's checks, the guard on what the core's planner may send
//! upstream, and the budget that bounds one report's cost.
//!
//! The worker runs the core's planner ([`postcheck_core::report::DomainCheck`]) itself and
//! answers every round's queries in parallel, so the page gets the whole snapshot in one round
//! trip. What the planner asks for depends on the DNS it reads (SPF macros, include targets), so
//! each query is checked again before it leaves, and a report has a budget of rounds, queries
//! and fetches: past the budget, queries are answered as failures ("could not verify"), never
//! as missing records.
//!
//! A report that needs more upstream subrequests than one invocation may make (see
//! [`crate::limits`]) is handed out as a signed *partial* snapshot; the page posts it back to
//! `/api/report/continue`, and [`parse_continuation`] checks it so the worker resumes the
//! planner without asking again what is already answered.

use crate::request::{
    GatewayError, Limits, allowed_type, echo, json_body, mta_sts_url, validate_domain,
    validate_name,
};
use postcheck_core::dns::{Answer, Failure, Query};
use postcheck_core::fetch::FetchResult;
use postcheck_core::report::{CheckInput, ReportRequest, SignedSnapshot, Snapshot};
use postcheck_core::sender::DnsblConfig;

pub use postcheck_core::report::{MAX_IPS, MAX_SELECTORS};
/// The most SPF entries a sender profile may carry.
pub const MAX_PROFILE_SPF: usize = 32;
/// The most blocklists one report asks.
pub const MAX_DNSBLS: usize = 8;

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
    let request: ReportRequest = json_body(
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
        // The one validator of the CLI and the gateway: `include:`, `ip4:`, `ip6:` only.
        profile
            .validate()
            .map_err(|err| bad_json(err.to_string()))?;
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

/// Public DoH resolvers. Spamhaus refuses queries that arrive through them (it answers
/// 127.255.255.254: "query via public/open resolver"), so a report whose queries go out
/// through one does not ask the Spamhaus zones without a Data Query Service key.
const PUBLIC_RESOLVERS: &[&str] = &[
    "cloudflare-dns.com",
    "mozilla.cloudflare-dns.com",
    "one.one.one.one",
    "1.1.1.1",
    "1.0.0.1",
    "dns.google",
    "dns.google.com",
    "8.8.8.8",
    "8.8.4.4",
    "dns.quad9.net",
    "dns9.quad9.net",
    "9.9.9.9",
    "doh.opendns.com",
    "dns.nextdns.io",
    "dns.adguard-dns.com",
    "doh.mullvad.net",
];

/// Whether an upstream DoH URL is a public resolver's (`PUBLIC_RESOLVERS`).
pub fn is_public_resolver(upstream: &str) -> bool {
    let host = upstream
        .split_once("://")
        .map_or(upstream, |(_, rest)| rest)
        .split(['/', '?'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    PUBLIC_RESOLVERS.contains(&host.trim_end_matches('.'))
}

/// The blocklists a report asks, given where its queries go out and whether the worker holds
/// a Spamhaus DQS key (`SPAMHAUS_DQS_KEY`, a secret): through a public resolver and with no key
/// in the request or the worker, the Spamhaus zones are left out and the report says so (the
/// core's `dnsbl-skipped`). With the worker's key the zones stay and [`dqs_query`] sends each
/// of their queries to DQS instead; the key never enters the snapshot.
pub fn blocklist_policy(
    mut input: CheckInput,
    upstreams: &[String],
    worker_key: bool,
) -> CheckInput {
    if !worker_key && upstreams.first().is_some_and(|u| is_public_resolver(u)) {
        input.dnsbl = input.dnsbl.without_spamhaus_for_public_resolvers();
    }
    input
}

/// A query under a Spamhaus zone of `lists`, rewritten to the Data Query Service with the
/// worker's `key` (`<ip>.zen.spamhaus.org` → `<ip>.<key>.zen.dq.spamhaus.net`); any other query
/// as it is. The planner still gets the answer under the name it asked.
pub fn dqs_query(query: &Query, lists: &[String], key: &str) -> Query {
    let config = postcheck_core::sender::DnsblConfig {
        lists: Vec::new(),
        spamhaus_dqs_key: Some(key.to_owned()),
        ..postcheck_core::sender::DnsblConfig::default()
    };
    for list in lists {
        if !postcheck_core::sender::is_spamhaus_zone(list) {
            continue;
        }
        let list = list.trim().to_ascii_lowercase();
        if let Some(ip_key) = query
            .name
            .strip_suffix(list.as_str())
            .and_then(|rest| rest.strip_suffix('.'))
        {
            return Query {
                name: format!("{ip_key}.{}", config.query_zone(&list)),
                record_type: query.record_type,
            };
        }
    }
    query.clone()
}

/// How long a partial snapshot may be continued, in seconds. Its answers were fresh when it was
/// taken; a continuation much later would mix answers of different times into one report.
pub const MAX_CONTINUATION_AGE_SECS: u64 = 600;

/// A report to resume: what the signed partial snapshot carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continuation {
    /// The input the report is for (its `timestamp` is `taken_at`).
    pub input: CheckInput,
    /// The answers received so far.
    pub snapshot: Snapshot,
    /// When the first part was taken; the finished snapshot keeps this time, so it is the
    /// snapshot the report would have had in one go.
    pub taken_at: u64,
}

/// Checks the body of `POST /api/report/continue`: a signed snapshot as `/api/report` returned
/// it (extra fields such as `complete` are ignored), with a valid signature, taken at most
/// [`MAX_CONTINUATION_AGE_SECS`] before `now`.
///
/// # Errors
///
/// [`GatewayError::BodyTooLarge`] or [`GatewayError::BadJson`] for a body that is not a signed
/// snapshot, whose signature does not verify, or that is too old or from the future.
pub fn parse_continuation(
    secret: &[u8],
    body: &[u8],
    limits: &Limits,
    now: u64,
) -> Result<Continuation, GatewayError> {
    let bad_json = |reason: &str| GatewayError::BadJson {
        reason: reason.to_owned(),
    };
    if !crate::snapshot::verify_snapshot(secret, body, limits)? {
        return Err(bad_json("the snapshot's signature does not verify"));
    }
    let signed: SignedSnapshot =
        serde_json::from_slice(body).map_err(|err| GatewayError::BadJson {
            reason: err.to_string(),
        })?;
    if signed.taken_at > now.saturating_add(60) {
        return Err(bad_json("the snapshot was taken in the future"));
    }
    if now.saturating_sub(signed.taken_at) > MAX_CONTINUATION_AGE_SECS {
        return Err(bad_json(
            "the partial report is older than 10 minutes; start the check again",
        ));
    }
    Ok(Continuation {
        input: signed.input,
        snapshot: signed.snapshot,
        taken_at: signed.taken_at,
    })
}

/// What a resumed report has already spent: every answer in the snapshot counts as a query
/// sent and every fetch as a fetch, so the per-report budget holds across continuations.
pub fn spent_so_far(snapshot: &Snapshot) -> Spent {
    Spent {
        rounds: 0,
        queries: snapshot.answers.len(),
        fetches: snapshot.fetches.iter().count(),
    }
}

#[cfg(test)]
mod continuation_tests {
    use super::*;
    use crate::snapshot::sign_snapshot;
    use postcheck_core::dns::{AnswerCache, RecordData, RecordType};

    const SECRET: &[u8] = b"cccccccccccccccccccccccccccccccc";
    const TAKEN: u64 = 1_800_000_000;

    fn partial() -> Vec<u8> {
        let mut answers = AnswerCache::new();
        answers.insert(
            Query::new("example.com", RecordType::Txt),
            Answer::records(vec![RecordData::Txt(vec![
                b"v=spf1 include:_spf.example.net -all".to_vec(),
            ])]),
        );
        answers.insert(
            Query::new("_dmarc.example.com", RecordType::Txt),
            Answer::Nxdomain,
        );
        let input = CheckInput {
            domain: "example.com".to_owned(),
            ..CheckInput::default()
        };
        let snapshot = Snapshot {
            answers,
            ..Snapshot::default()
        };
        let signed = sign_snapshot(SECRET, input, snapshot, TAKEN).unwrap();
        let mut body = serde_json::to_value(&signed).unwrap();
        // As the worker hands it out: extra fields next to the signed ones.
        body["complete"] = serde_json::json!(false);
        body["rounds"] = serde_json::json!(2);
        serde_json::to_vec(&body).unwrap()
    }

    #[test]
    fn a_signed_partial_resumes_with_its_answers_and_time() {
        let resumed = parse_continuation(SECRET, &partial(), &Limits::default(), TAKEN + 5)
            .expect("a fresh partial snapshot resumes");
        assert_eq!(resumed.taken_at, TAKEN);
        assert_eq!(resumed.input.domain, "example.com");
        assert_eq!(
            resumed.input.timestamp, TAKEN,
            "%{{t}} stays the first part's time"
        );
        assert_eq!(resumed.snapshot.answers.len(), 2);
        let spent = spent_so_far(&resumed.snapshot);
        assert_eq!((spent.queries, spent.fetches, spent.rounds), (2, 0, 0));
    }

    #[test]
    fn an_edited_or_foreign_partial_is_refused() {
        let body = String::from_utf8(partial()).unwrap();
        let edited = body.replace("include:_spf.example.net", "include:_spf.evil.test");
        assert_ne!(edited, body);
        let err =
            parse_continuation(SECRET, edited.as_bytes(), &Limits::default(), TAKEN).unwrap_err();
        assert_eq!(err.code(), "bad-json");
        let other_key = b"dddddddddddddddddddddddddddddddd";
        assert!(parse_continuation(other_key, body.as_bytes(), &Limits::default(), TAKEN).is_err());
        assert!(
            parse_continuation(
                SECRET,
                b"{\"domain\":\"example.com\"}",
                &Limits::default(),
                TAKEN
            )
            .is_err()
        );
    }

    #[test]
    fn spamhaus_is_left_out_through_public_resolvers_without_a_key() {
        let input = || CheckInput {
            domain: "example.com".to_owned(),
            ..CheckInput::default()
        };
        let public = vec!["https://cloudflare-dns.com/dns-query".to_owned()];
        let own = vec!["http://127.0.0.1:8053/dns-query".to_owned()];
        let skipped = blocklist_policy(input(), &public, false);
        assert!(
            !skipped
                .dnsbl
                .lists
                .iter()
                .any(|l| l.ends_with("spamhaus.org"))
        );
        assert_eq!(skipped.dnsbl.skipped, ["zen.spamhaus.org"]);
        assert!(skipped.dnsbl.lists.contains(&"bl.spamcop.net".to_owned()));
        assert_eq!(
            blocklist_policy(input(), &own, false),
            input(),
            "own resolver: all lists"
        );
        assert_eq!(
            blocklist_policy(input(), &public, true),
            input(),
            "the worker's key: all lists"
        );
        let mut keyed = input();
        keyed.dnsbl.spamhaus_dqs_key = Some("abc123".to_owned());
        assert_eq!(
            blocklist_policy(keyed.clone(), &public, false),
            keyed,
            "the request's key"
        );
        for host in [
            "https://dns.google/dns-query",
            "https://9.9.9.9:443/dns-query",
            "https://DNS.Quad9.net/dns-query",
        ] {
            assert!(is_public_resolver(host), "{host}");
        }
        for host in [
            "http://127.0.0.1:8053/dns-query",
            "https://doh.example.net/dns-query",
            "https://dns.google.example/dns-query",
        ] {
            assert!(!is_public_resolver(host), "{host}");
        }
    }

    #[test]
    fn the_workers_key_sends_spamhaus_queries_to_dqs() {
        let lists = vec!["zen.spamhaus.org".to_owned(), "bl.spamcop.net".to_owned()];
        let asked = Query::new(
            "2.0.0.127.zen.spamhaus.org",
            postcheck_core::dns::RecordType::A,
        );
        assert_eq!(
            dqs_query(&asked, &lists, "Key123").name,
            "2.0.0.127.key123.zen.dq.spamhaus.net"
        );
        let other = Query::new(
            "2.0.0.127.bl.spamcop.net",
            postcheck_core::dns::RecordType::A,
        );
        assert_eq!(dqs_query(&other, &lists, "key123"), other);
    }

    #[test]
    fn an_old_or_future_partial_is_refused() {
        let limits = Limits::default();
        let body = partial();
        assert!(
            parse_continuation(SECRET, &body, &limits, TAKEN + MAX_CONTINUATION_AGE_SECS).is_ok()
        );
        let old = parse_continuation(
            SECRET,
            &body,
            &limits,
            TAKEN + MAX_CONTINUATION_AGE_SECS + 1,
        )
        .unwrap_err();
        assert!(old.to_string().contains("older than 10 minutes"), "{old}");
        assert!(parse_continuation(SECRET, &body, &limits, TAKEN - 61).is_err());
    }
}
