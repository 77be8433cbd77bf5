//! The platform's limits on one worker invocation, kept by the worker and checked in its tests.
//!
//! Cloudflare Workers let one invocation make a bounded number of external subrequests (the
//! Free plan: 50, every `fetch()` counts — failover retries and the MTA-STS fetch included;
//! the Paid plan: 10,000 by default) and hold at most six connections open at once (`fetch()`
//! and the Cache API's `match`/`put` count; further ones wait in a queue). `wrangler dev`
//! enforces neither, so the worker keeps the account itself ([`Outbound`]): it reserves a
//! subrequest before every upstream attempt, runs at most [`MAX_CONNECTIONS`] jobs at once,
//! sends the queries that unblock later rounds first ([`priority`]), and — in the tests'
//! `ENFORCE_LIMITS` mode — fails a request whose invocation went over either limit.
//!
//! When a report needs more subrequests than one invocation has, the worker answers with a
//! signed partial snapshot and the page continues it (see [`crate::report`]).

use postcheck_core::dns::Query;

/// External subrequests one invocation may make on the Workers Free plan.
pub const FREE_PLAN_SUBREQUESTS: usize = 50;

/// The default budget: the Free plan's 50 less a margin of 5 (the platform counts anything
/// the runtime itself might fetch against the same limit).
pub const DEFAULT_SUBREQUEST_LIMIT: usize = 45;

/// The largest configurable budget (the Paid plan's default allowance).
pub const MAX_SUBREQUEST_LIMIT: usize = 10_000;

/// Connections one invocation may hold open at once (fetch and Cache API alike).
pub const MAX_CONNECTIONS: usize = 6;

/// A limit the invocation went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation {
    /// More external subrequests were sent than the budget allows.
    Subrequests {
        /// Subrequests sent when the budget was first exceeded.
        sent: usize,
        /// The invocation's subrequest budget.
        limit: usize,
    },
    /// More connections were open at once than the platform allows.
    Connections {
        /// Connections open when the limit was first exceeded.
        open: usize,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::Subrequests { sent, limit } => {
                write!(f, "{sent} external subrequests sent, the budget is {limit}")
            }
            Violation::Connections { open } => write!(
                f,
                "{open} connections open at once, the platform allows {MAX_CONNECTIONS}"
            ),
        }
    }
}

/// One invocation's account of its outgoing traffic.
///
/// Two ledgers on purpose: [`Outbound::reserve`] is the scheduler's decision to send, and
/// [`Outbound::sent`] / [`Outbound::open`] / [`Outbound::close`] record what the network code
/// actually did. A scheduling mistake then shows up as a [`Violation`] instead of passing
/// unnoticed, which is what the worker's enforcing mode turns into a failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    limit: usize,
    reserved: usize,
    sent: usize,
    open: usize,
    peak: usize,
    violation: Option<Violation>,
}

impl Outbound {
    /// An account with `limit` external subrequests.
    pub fn new(limit: usize) -> Self {
        Outbound {
            limit,
            reserved: 0,
            sent: 0,
            open: 0,
            peak: 0,
            violation: None,
        }
    }

    /// Reserves one external subrequest; false when the budget is spent.
    pub fn reserve(&mut self) -> bool {
        if self.reserved >= self.limit {
            return false;
        }
        self.reserved += 1;
        true
    }

    /// Subrequests still available for reservation.
    pub fn remaining(&self) -> usize {
        self.limit - self.reserved
    }

    /// Records one external subrequest sent (a `fetch()` to the internet).
    pub fn sent(&mut self) {
        self.sent += 1;
        if self.sent > self.limit && self.violation.is_none() {
            self.violation = Some(Violation::Subrequests {
                sent: self.sent,
                limit: self.limit,
            });
        }
    }

    /// Records a connection opened (an upstream fetch, a Cache API call).
    pub fn open(&mut self) {
        self.open += 1;
        self.peak = self.peak.max(self.open);
        if self.open > MAX_CONNECTIONS && self.violation.is_none() {
            self.violation = Some(Violation::Connections { open: self.open });
        }
    }

    /// Records a connection closed.
    pub fn close(&mut self) {
        self.open = self.open.saturating_sub(1);
    }

    /// External subrequests sent so far.
    pub fn sent_count(&self) -> usize {
        self.sent
    }

    /// The most connections that were open at once.
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// The budget.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The first limit the invocation went over, if any.
    pub fn violation(&self) -> Option<Violation> {
        self.violation
    }

    /// The `X-Postcheck-Subrequests` header value: `sent=N peak=K limit=L`.
    pub fn header_value(&self) -> String {
        format!("sent={} peak={} limit={}", self.sent, self.peak, self.limit)
    }
}

/// How urgently a query should leave when connections are scarce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Its answer can make the planner ask more (SPF records and their include/redirect
    /// targets, MX, the DMARC tree walk, PTR and the forward confirmation, `_mta-sts`).
    Critical,
    /// Nothing waits on its answer: DKIM keys, BIMI, TLS-RPT, blocklists.
    Leaf,
}

/// The labels whose queries end a chain: DKIM keys (RFC 6376 §3.6.2.1), BIMI assertions
/// (`<selector>._bimi.<domain>`) and TLS-RPT (RFC 8460 §3: `_smtp._tls.<domain>`).
const LEAF_LABELS: &[&str] = &["_domainkey", "_bimi", "_smtp"];

/// The suffix of Spamhaus Data Query Service names (`<ip>.<key>.zen.dq.spamhaus.net`).
const DQS_SUFFIX: &str = "dq.spamhaus.net";

/// Sorts a query into [`Priority`]. `blocklists` are the report's DNSBL zones: a name under one
/// of them is a blocklist query (RFC 5782 §2.1: the reversed address under the list's zone).
pub fn priority(query: &Query, blocklists: &[String]) -> Priority {
    let name = query.name.as_str();
    let under = |zone: &str| {
        name.len() > zone.len()
            && name.ends_with(zone)
            && name.as_bytes()[name.len() - zone.len() - 1] == b'.'
    };
    let leaf = name.split('.').any(|label| LEAF_LABELS.contains(&label))
        || under(DQS_SUFFIX)
        || blocklists.iter().any(|zone| under(zone));
    if leaf {
        Priority::Leaf
    } else {
        Priority::Critical
    }
}

/// Orders `items` so the critical queries leave first, each group in the planner's order
/// (a stable sort). `query` picks an item's query.
pub fn sort_by_priority<T>(items: &mut [T], query: impl Fn(&T) -> &Query, blocklists: &[String]) {
    items.sort_by_key(|item| priority(query(item), blocklists));
}

/// Reads the `SUBREQUEST_LIMIT` variable: a whole number from 1 to [`MAX_SUBREQUEST_LIMIT`];
/// unset or empty means [`DEFAULT_SUBREQUEST_LIMIT`].
///
/// # Errors
///
/// The reason, for anything else (the worker answers 500 `misconfigured`).
pub fn parse_subrequest_limit(value: Option<&str>) -> Result<usize, &'static str> {
    match value.map(str::trim) {
        None | Some("") => Ok(DEFAULT_SUBREQUEST_LIMIT),
        Some(text) => match text.parse::<usize>() {
            Ok(limit) if (1..=MAX_SUBREQUEST_LIMIT).contains(&limit) => Ok(limit),
            _ => Err("SUBREQUEST_LIMIT must be a whole number from 1 to 10000"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postcheck_core::dns::RecordType;

    fn txt(name: &str) -> Query {
        Query::new(name, RecordType::Txt)
    }

    #[test]
    fn reservations_stop_at_the_budget() {
        let mut outbound = Outbound::new(3);
        assert!(outbound.reserve() && outbound.reserve() && outbound.reserve());
        assert!(!outbound.reserve());
        assert_eq!(outbound.remaining(), 0);
        assert_eq!(outbound.violation(), None);
    }

    #[test]
    fn sending_past_the_budget_is_a_violation() {
        let mut outbound = Outbound::new(2);
        outbound.sent();
        outbound.sent();
        assert_eq!(outbound.violation(), None);
        outbound.sent();
        assert_eq!(
            outbound.violation(),
            Some(Violation::Subrequests { sent: 3, limit: 2 })
        );
        assert_eq!(outbound.sent_count(), 3);
    }

    #[test]
    fn a_seventh_open_connection_is_a_violation() {
        let mut outbound = Outbound::new(45);
        for _ in 0..MAX_CONNECTIONS {
            outbound.open();
        }
        assert_eq!(outbound.violation(), None);
        outbound.close();
        outbound.open();
        assert_eq!(outbound.violation(), None, "six again after one closed");
        outbound.open();
        assert_eq!(
            outbound.violation(),
            Some(Violation::Connections { open: 7 })
        );
        assert_eq!(outbound.peak(), 7);
        assert_eq!(outbound.header_value(), "sent=0 peak=7 limit=45");
    }

    #[test]
    fn leaf_queries_are_keys_bimi_tlsrpt_and_blocklists() {
        let lists = vec!["zen.spamhaus.org".to_owned(), "bl.spamcop.net".to_owned()];
        for leaf in [
            "google._domainkey.example.com",
            "default._bimi.example.com",
            "_smtp._tls.example.com",
            "1.2.0.192.bl.spamcop.net",
            "1.2.0.192.zen.spamhaus.org",
            "1.2.0.192.key123.zen.dq.spamhaus.net",
        ] {
            assert_eq!(priority(&txt(leaf), &lists), Priority::Leaf, "{leaf}");
        }
        for critical in [
            "example.com",
            "_spf.google.com",
            "_dmarc.example.com",
            "_mta-sts.example.com",
            "1.2.0.192.in-addr.arpa",
            // A name that merely ends like a zone, without the dot, is not under it.
            "notbl.spamcop.net.example",
            "xbl.spamcop.net",
        ] {
            assert_eq!(
                priority(&txt(critical), &lists),
                Priority::Critical,
                "{critical}"
            );
        }
    }

    #[test]
    fn critical_queries_leave_first_in_the_planners_order() {
        let mut queries = vec![
            txt("s1._domainkey.example.com"),
            txt("example.com"),
            txt("default._bimi.example.com"),
            Query::new("example.com", RecordType::Mx),
            txt("_dmarc.example.com"),
        ];
        sort_by_priority(&mut queries, |q| q, &[]);
        let names: Vec<String> = queries
            .into_iter()
            .map(|q| format!("{} {}", q.record_type.as_str(), q.name))
            .collect();
        assert_eq!(
            names,
            [
                "TXT example.com",
                "MX example.com",
                "TXT _dmarc.example.com",
                "TXT s1._domainkey.example.com",
                "TXT default._bimi.example.com",
            ]
        );
    }

    #[test]
    fn the_limit_variable() {
        assert_eq!(parse_subrequest_limit(None), Ok(DEFAULT_SUBREQUEST_LIMIT));
        assert_eq!(
            parse_subrequest_limit(Some(" ")),
            Ok(DEFAULT_SUBREQUEST_LIMIT)
        );
        assert_eq!(parse_subrequest_limit(Some("8")), Ok(8));
        assert_eq!(parse_subrequest_limit(Some("1000")), Ok(1000));
        for bad in ["0", "-1", "10001", "many", "4.5"] {
            assert!(parse_subrequest_limit(Some(bad)).is_err(), "{bad}");
        }
        const { assert!(DEFAULT_SUBREQUEST_LIMIT < FREE_PLAN_SUBREQUESTS) };
    }
}
