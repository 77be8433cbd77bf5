//! The endpoints: each checks its request with `postcheck-gateway`, asks the [`Resolver`] and
//! answers JSON. The report endpoint runs the core's planner to completion, so the page gets
//! every answer its report needs in one response.

use crate::upstream::{Resolver, Source};
use postcheck_core::dns::Query;
use postcheck_core::report::{DomainCheck, Plan};
use postcheck_gateway::doh::{Resolved, answers_json};
use postcheck_gateway::report::{QueryGate, ReportBudget, Spent, gate_fetch, gate_query};
use postcheck_gateway::{GatewayError, Limits};
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
    let query = postcheck_gateway::parse_get(query_string)?;
    Ok(dns_answer(resolver.resolve_all(&[query]).await))
}

/// `POST /api/dns` with `{"queries":[…]}`: all queries upstream in parallel.
pub async fn dns_batch(
    resolver: &Resolver<'_>,
    body: &[u8],
    limits: &Limits,
) -> Result<Answered, GatewayError> {
    let queries = postcheck_gateway::parse_batch(body, limits)?;
    Ok(dns_answer(resolver.resolve_all(&queries).await))
}

/// `POST /api/report`: plans and resolves the whole report, returns the signed snapshot.
pub async fn report(
    resolver: &Resolver<'_>,
    body: &[u8],
    limits: &Limits,
    secret: Option<&[u8]>,
    now: u64,
) -> Result<Answered, GatewayError> {
    let input = postcheck_gateway::report::parse_report_request(body, limits, now)?;
    let secret = secret.ok_or(GatewayError::Misconfigured {
        reason: "SNAPSHOT_SECRET is not set",
    })?;
    let budget = ReportBudget::default();
    let mut spent = Spent::default();
    let mut check = DomainCheck::new(input.clone());
    let mut hits = 0usize;
    loop {
        let needs = match check.step() {
            Plan::Done(_) => break,
            Plan::Need(needs) => needs,
        };
        spent.rounds += 1;
        // Each query goes upstream only through the gate; the planner gets its answer under
        // the query it asked (its own spelling of the name).
        let mut outgoing: Vec<(Query, Query)> = Vec::new();
        for query in needs.queries {
            match gate_query(&query, &budget, &mut spent) {
                QueryGate::Send(sent) => outgoing.push((query, sent)),
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
        let sent: Vec<Query> = outgoing.iter().map(|(_, sent)| sent.clone()).collect();
        let (answers, fetched) = futures_util::future::join(
            resolver.resolve_all(&sent),
            futures_util::future::join_all(fetches.iter().map(|url| resolver.fetch_policy(url))),
        )
        .await;
        for ((asked, _), (resolved, source)) in outgoing.into_iter().zip(answers) {
            hits += usize::from(source == Source::Cache);
            check.supply(asked, resolved.answer);
        }
        for (url, result) in fetches.into_iter().zip(fetched) {
            check.supply_fetch(url, result);
        }
    }
    let signed = postcheck_gateway::sign_snapshot(secret, input, check.snapshot().clone(), now)?;
    let mut body = serde_json::to_value(&signed).map_err(|_| GatewayError::Misconfigured {
        reason: "snapshot does not serialize",
    })?;
    body["rounds"] = json!(spent.rounds);
    body["queries"] = json!(spent.queries);
    let header = (
        "X-Postcheck-Cache",
        format!("hit={hits} miss={}", spent.queries - hits),
    );
    Ok((200, body, vec![header]))
}

/// `POST /api/verify`: `{"valid": true|false}` for a signed snapshot.
pub fn verify(
    body: &[u8],
    limits: &Limits,
    secret: Option<&[u8]>,
) -> Result<Answered, GatewayError> {
    let secret = secret.ok_or(GatewayError::Misconfigured {
        reason: "SNAPSHOT_SECRET is not set",
    })?;
    let valid = postcheck_gateway::verify_snapshot(secret, body, limits)?;
    Ok((200, json!({ "valid": valid }), Vec::new()))
}

/// `GET /api/mta-sts?domain=`: the policy of a validated domain, fetched without redirects.
pub async fn mta_sts(
    resolver: &Resolver<'_>,
    query_string: &str,
) -> Result<Answered, GatewayError> {
    let url = postcheck_gateway::parse_mta_sts_query(query_string)?;
    let result = resolver.fetch_policy(&url).await;
    Ok((200, json!({ "url": url, "result": result }), Vec::new()))
}
