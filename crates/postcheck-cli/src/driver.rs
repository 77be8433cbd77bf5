//! Drives the core's report planner: each round's DNS queries and HTTPS fetches go out together.

use crate::net::fetcher::Fetcher;
use crate::net::resolver::Resolver;
use postcheck_core::report::{CheckInput, DomainCheck, Plan, Report};

/// What a check cost on the network: the planner's rounds (each waits for the one before, so
/// rounds × round-trip time bounds the wall time from below) and what went out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trace {
    pub rounds: usize,
    pub queries: usize,
    pub fetches: usize,
}

/// Runs the planner to completion. Every query and fetch the core asks for is answered (a
/// failure is an answer too), so this always ends.
pub async fn run_check(
    resolver: &Resolver,
    fetcher: &Fetcher,
    input: CheckInput,
) -> (Report, Trace) {
    let mut check = DomainCheck::new(input);
    let mut trace = Trace::default();
    loop {
        match check.step() {
            Plan::Done(report) => return (*report, trace),
            Plan::Need(needs) => {
                trace.rounds += 1;
                trace.queries += needs.queries.len();
                trace.fetches += needs.fetches.len();
                let (answers, fetched) = tokio::join!(
                    resolver.resolve_all(&needs.queries),
                    fetcher.fetch_all(&needs.fetches)
                );
                for (query, answer) in answers {
                    check.supply(query, answer);
                }
                for (url, result) in fetched {
                    check.supply_fetch(url, result);
                }
            }
        }
    }
}
