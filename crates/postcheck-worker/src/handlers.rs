//! The endpoints: each checks its request with `postcheck-gateway`, asks the [`Resolver`] and
//! answers JSON. The report endpoint runs the core's planner to completion within the
//! invocation's subrequests, so the page usually gets every answer its report needs in one
//! response; when the budget runs out first, it gets a signed partial snapshot to continue.

use crate::upstream::{Done, Job, Resolver, SmtpCheck, Source};
use postcheck_core::dns::{Answer, Query};
use postcheck_core::report::{CheckInput, DomainCheck, Plan, Snapshot};
use postcheck_gateway::doh::{Resolved, answers_json};
use postcheck_gateway::limits::sort_by_priority;
use postcheck_gateway::report::{
    QueryGate, ReportBudget, Spent, blocklist_policy, dqs_query, gate_fetch, gate_query,
    parse_continuation, spent_so_far,
};
use postcheck_gateway::request::{GatewayError, Limits};
use serde_json::json;

/// What a handler answers: status, JSON body and extra headers.
pub type Answered = (u16, serde_json::Value, Vec<(&'static str, String)>);

/// The `X-Postcheck-Cache` header: how many answers came from the cache and from upstream.
fn cache_header(results: &[(Resolved, Source)]) -> (&'static str, String) {
    let hits = results.iter().filter(|(_, s)| *s == Source::Cache).count();
    (
        "X-Postcheck-Cache",
        format!("hit={hits} miss={}", results.len() - hits),
    )
}

fn dns_answer(results: Vec<(Resolved, Source)>) -> Answered {
    let header = cache_header(&results);
    let resolved: Vec<Resolved> = results.into_iter().map(|(r, _)| r).collect();
    (200, answers_json(&resolved), vec![header])
}

/// `GET /api/dns?name=&type=`.
pub async fn dns_get(
    resolver: &Resolver<'_>,
    query_string: &str,
) -> Result<Answered, GatewayError> {
    let query = postcheck_gateway::request::parse_get(query_string)?;
    Ok(dns_answer(resolver.resolve_all(&[query]).await))
}

/// `POST /api/dns` with `{"queries":[…]}`: all queries upstream in parallel.
pub async fn dns_batch(
    resolver: &Resolver<'_>,
    body: &[u8],
    limits: &Limits,
) -> Result<Answered, GatewayError> {
    let queries = postcheck_gateway::request::parse_batch(body, limits)?;
    Ok(dns_answer(resolver.resolve_all(&queries).await))
}

/// The snapshot-signing key, or the error every endpoint that signs or verifies answers with.
pub(crate) fn signing_secret(secret: Option<&[u8]>) -> Result<&[u8], GatewayError> {
    secret.ok_or(GatewayError::Misconfigured {
        reason: "SNAPSHOT_SECRET is not set",
    })
}

/// `POST /api/report`: plans and resolves the report, returns the signed snapshot — whole, or
/// partial (`"complete": false`) when the invocation's subrequests ran out first.
pub async fn report(
    resolver: &Resolver<'_>,
    body: &[u8],
    limits: &Limits,
    secret: Option<&[u8]>,
    now: u64,
) -> Result<Answered, GatewayError> {
    let input = postcheck_gateway::report::parse_report_request(body, limits, now)?;
    new_report(resolver, input, now, signing_secret(secret)?).await
}

/// A report from its start: the blocklists the upstreams allow (Spamhaus not through public
/// resolvers without a key), then the planner (`/api/report`, and the test address's message).
pub(crate) async fn new_report(
    resolver: &Resolver<'_>,
    input: CheckInput,
    now: u64,
    secret: &[u8],
) -> Result<Answered, GatewayError> {
    let config = resolver.config();
    let input = blocklist_policy(input, &config.upstreams, config.spamhaus_dqs_key.is_some());
    run_report(
        resolver,
        input,
        Snapshot::default(),
        now,
        Spent::default(),
        secret,
    )
    .await
}

/// `POST /api/report/continue`: resumes a report from the signed partial snapshot an earlier
/// invocation returned; nothing already answered is asked again.
pub async fn report_continue(
    resolver: &Resolver<'_>,
    body: &[u8],
    limits: &Limits,
    secret: Option<&[u8]>,
    now: u64,
) -> Result<Answered, GatewayError> {
    let secret = signing_secret(secret)?;
    let resumed = parse_continuation(secret, body, limits, now)?;
    let spent = spent_so_far(&resumed.snapshot);
    run_report(
        resolver,
        resumed.input,
        resumed.snapshot,
        resumed.taken_at,
        spent,
        secret,
    )
    .await
}

/// Runs the planner from `snapshot` until the report is done or the invocation's subrequests
/// run out, and signs what it has (at `taken_at`, the time the report was started).
async fn run_report(
    resolver: &Resolver<'_>,
    input: CheckInput,
    snapshot: Snapshot,
    taken_at: u64,
    mut spent: Spent,
    secret: &[u8],
) -> Result<Answered, GatewayError> {
    let budget = ReportBudget::default();
    let blocklists = input.dnsbl.lists.clone();
    let mut check = DomainCheck::resume(input.clone(), snapshot);
    let mut hits = 0usize;
    let mut upstream = 0usize;
    let mut rounds = 0usize;
    let complete = loop {
        let needs = match check.step() {
            Plan::Done(_) => break true,
            Plan::Need(needs) => needs,
        };
        rounds += 1;
        spent.rounds = rounds;
        // Each query goes upstream only through the gate; the planner gets its answer under
        // the query it asked (its own spelling of the name).
        let mut outgoing: Vec<(Query, Query)> = Vec::new();
        for query in needs.queries {
            match gate_query(&query, &budget, &mut spent) {
                QueryGate::Send(sent) => {
                    let sent = match &resolver.config().spamhaus_dqs_key {
                        Some(key) => dqs_query(&sent, &blocklists, key),
                        None => sent,
                    };
                    outgoing.push((query, sent));
                }
                QueryGate::Answer(answer) => check.supply(query, answer),
            }
        }
        let mut fetches = Vec::new();
        for url in needs.fetches {
            match gate_fetch(&url, &budget, &mut spent) {
                Ok(()) => fetches.push(url),
                Err(result) => check.supply_fetch(url, result),
            }
        }
        // Under the connection cap, what unblocks the next round leaves first.
        sort_by_priority(&mut outgoing, |(_, sent)| sent, &blocklists);
        let jobs: Vec<Job> = outgoing
            .iter()
            .map(|(_, sent)| Job::Query(sent.clone()))
            .chain(fetches.iter().cloned().map(Job::Fetch))
            .collect();
        let done = resolver.run(jobs).await;
        let mut progress = 0usize;
        let mut left: Vec<(Query, Option<Answer>)> = Vec::new();
        let mut left_fetches = 0usize;
        let asked = outgoing
            .into_iter()
            .map(|(asked, _)| Ok(asked))
            .chain(fetches.into_iter().map(Err));
        for (asked, result) in asked.zip(done) {
            match (asked, result) {
                (Ok(query), Done::Answered(resolved, source)) => {
                    hits += usize::from(source == Source::Cache);
                    upstream += usize::from(source == Source::Upstream);
                    progress += 1;
                    check.supply(query, resolved.answer);
                }
                (Err(url), Done::Fetched(result)) => {
                    progress += 1;
                    check.supply_fetch(url, result);
                }
                (Ok(query), Done::OutOfBudget { failure }) => left.push((query, failure)),
                (Err(_), _) | (Ok(_), Done::Fetched(_)) => left_fetches += 1,
            }
        }
        if left.is_empty() && left_fetches == 0 {
            continue;
        }
        if progress == 0 {
            // Nothing got through in this round: a query an upstream already failed for is
            // answered with that failure ("could not verify"), so every invocation moves the
            // report on; the rest waits for the continuation.
            let mut moved = false;
            for (query, failure) in left {
                if let Some(failure) = failure {
                    upstream += 1;
                    moved = true;
                    check.supply(query, failure);
                }
            }
            if moved {
                continue;
            }
        }
        break false;
    };
    let signed = postcheck_gateway::snapshot::sign_snapshot(
        secret,
        input,
        check.snapshot().clone(),
        taken_at,
    )?;
    let mut body = serde_json::to_value(&signed).map_err(|_| GatewayError::Misconfigured {
        reason: "snapshot does not serialize",
    })?;
    body["complete"] = json!(complete);
    body["rounds"] = json!(rounds);
    body["queries"] = json!(hits + upstream);
    let header = ("X-Postcheck-Cache", format!("hit={hits} miss={upstream}"));
    Ok((200, body, vec![header]))
}

/// `POST /api/verify`: `{"valid": true|false}` for a signed snapshot.
pub fn verify(
    body: &[u8],
    limits: &Limits,
    secret: Option<&[u8]>,
) -> Result<Answered, GatewayError> {
    let secret = signing_secret(secret)?;
    let valid = postcheck_gateway::snapshot::verify_snapshot(secret, body, limits)?;
    Ok((200, json!({ "valid": valid }), Vec::new()))
}

/// `GET /api/mta-sts?domain=`: the policy of a validated domain, fetched without redirects.
pub async fn mta_sts(
    resolver: &Resolver<'_>,
    query_string: &str,
) -> Result<Answered, GatewayError> {
    let url = postcheck_gateway::request::parse_mta_sts_query(query_string)?;
    let result = resolver.fetch_one(&url).await;
    Ok((200, json!({ "url": url, "result": result }), Vec::new()))
}

/// `GET /api/smtp?host=&port=&security=`: tests a submission server as a mail program would
/// connect to it, without a password (the web never asks for one), and answers its `smtp-*`
/// findings (the page renders their texts), the observations and the session.
pub async fn smtp(
    resolver: &Resolver<'_>,
    query_string: &str,
    ehlo_name: &str,
) -> Result<Answered, GatewayError> {
    use postcheck_core::smtp::explain::explain;
    let target = postcheck_gateway::request::parse_smtp_query(query_string)?;
    let mut body = json!({
        "host": target.host,
        "port": target.port,
        "security": target.security.as_str(),
    });
    match resolver.smtp_check(&target, ehlo_name).await? {
        SmtpCheck::CouldNotVerify { reason } => {
            body["could_not_verify"] = reason.into();
        }
        SmtpCheck::Observed {
            observations,
            report,
        } => {
            let findings = explain(&observations, target.port, target.security);
            body["findings"] = serde_json::to_value(&findings).unwrap_or_default();
            body["observations"] = serde_json::to_value(&observations).unwrap_or_default();
            body["session"] = serde_json::to_value(&report).unwrap_or_default();
        }
    }
    Ok((200, body, Vec::new()))
}
