//! Drives the core's report planner with the resolver: each round's queries go out together.

use crate::resolver::Resolver;
use postcheck_core::dns::Step;
use postcheck_core::report::{CheckInput, DomainCheck, Report};

/// Runs the planner to completion. Every query the core asks is answered (a failed lookup is an
/// answer too), so this always ends.
pub async fn run_check(resolver: &Resolver, input: CheckInput) -> Report {
    let mut check = DomainCheck::new(input);
    loop {
        match check.step() {
            Step::Done(report) => return report,
            Step::NeedAnswers(queries) => {
                for (query, answer) in resolver.resolve_all(&queries).await {
                    check.supply(query, answer);
                }
            }
        }
    }
}
