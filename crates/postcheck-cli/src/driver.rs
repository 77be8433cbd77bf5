//! Drives the core's report planner: each round's DNS queries and HTTPS fetches go out together.

use crate::fetcher::Fetcher;
use crate::resolver::Resolver;
use postcheck_core::report::{CheckInput, DomainCheck, Plan, Report};

/// Runs the planner to completion. Every query and fetch the core asks for is answered (a
/// failure is an answer too), so this always ends.
pub async fn run_check(resolver: &Resolver, fetcher: &Fetcher, input: CheckInput) -> Report {
    let mut check = DomainCheck::new(input);
    loop {
        match check.step() {
            Plan::Done(report) => return *report,
            Plan::Need(needs) => {
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
