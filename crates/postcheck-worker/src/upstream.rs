//! The one module that talks to the network: DNS over HTTPS to the upstream resolvers (RFC 8484
//! §4.1 GET, failover in order on error or timeout), the Cache API in front of them, and the
//! capped MTA-STS policy fetch (RFC 8461 §3.3: no redirects, size and time limits).

use futures_util::StreamExt as _;
use futures_util::future::{Either, join_all, select};
use postcheck_core::dns::{Answer, Failure, Query};
use postcheck_core::fetch::FetchResult;
use postcheck_gateway::Limits;
use postcheck_gateway::doh::{
    DNS_MESSAGE, Resolved, answer_from_response, cache_ttl_for, doh_get_url,
};
use postcheck_gateway::http::Config;
use std::pin::pin;
use std::time::Duration;
use worker::{
    AbortController, Cache, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
    Response,
};

/// The largest DoH response read (RFC 8484 §6: a DNS message is at most 65535 octets).
const MAX_DNS_MESSAGE: usize = 65_535;

/// The largest MTA-STS policy read, as in the CLI's fetcher (a policy is a few hundred octets).
pub const MAX_POLICY_BYTES: usize = 64 * 1024;

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The Cache API.
    Cache,
    /// An upstream resolver.
    Upstream,
}

/// Resolves queries through the configured upstreams, with the cache in front.
pub struct Resolver<'a> {
    config: &'a Config,
    limits: Limits,
    /// Where cache writes go, so that the answer does not wait for them.
    ctx: &'a worker::Context,
}

/// The cache key of a query: a URL of its own (the Cache API keys on GET URLs).
fn cache_key(query: &Query) -> String {
    format!(
        "https://dns-cache.postcheck.invalid/{}/{}",
        query.record_type.as_str(),
        query.name
    )
}

/// Reads at most `max` octets of a response body; `None` when it is longer.
async fn read_capped(response: &mut Response, max: usize) -> Option<Vec<u8>> {
    let mut stream = response.stream().ok()?;
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        if body.len() + chunk.len() > max {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some(body)
}

/// What one upstream answered: HTTP status, content type and the (capped) body.
struct Raw {
    status: u16,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
}

/// One GET within `timeout_ms`, redirects not followed. `None` on a transport error or timeout.
async fn get(url: &str, accept: &str, timeout_ms: u32, max: usize) -> Option<Raw> {
    let headers = Headers::new();
    headers.set("Accept", accept).ok()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    let request = Request::new_with_init(url, &init).ok()?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = async {
        let mut response = Fetch::Request(request)
            .send_with_signal(&signal)
            .await
            .ok()?;
        let status = response.status_code();
        let content_type = response.headers().get("Content-Type").ok().flatten();
        let body = read_capped(&mut response, max).await;
        Some(Raw {
            status,
            content_type,
            body,
        })
    };
    let timer = Delay::from(Duration::from_millis(u64::from(timeout_ms)));
    match select(pin!(exchange), pin!(timer)).await {
        Either::Left((raw, _)) => raw,
        Either::Right(((), _)) => {
            controller.abort();
            None
        }
    }
}

impl<'a> Resolver<'a> {
    pub fn new(config: &'a Config, limits: Limits, ctx: &'a worker::Context) -> Self {
        Resolver {
            config,
            limits,
            ctx,
        }
    }

    /// Resolves one query: from the cache, else from the first upstream that gives a DNS
    /// answer (an HTTP error, a malformed message or a timeout moves on to the next).
    pub async fn resolve(&self, query: &Query) -> (Resolved, Source) {
        let cache = Cache::default();
        let key = cache_key(query);
        if let Ok(Some(mut hit)) = cache.get(key.as_str(), false).await {
            let content_type = hit.headers().get("Content-Type").ok().flatten();
            if let Some(body) = read_capped(&mut hit, MAX_DNS_MESSAGE).await {
                let answer = answer_from_response(200, content_type.as_deref(), &body, query);
                if !matches!(answer, Answer::Failed { .. }) {
                    let ttl = postcheck_gateway::doh::response_ttl(&body);
                    return (resolved(query, answer, ttl), Source::Cache);
                }
            }
        }
        let mut last = Answer::failed(Failure::Timeout);
        for upstream in &self.config.upstreams {
            let Ok(url) = doh_get_url(upstream, query) else {
                last = Answer::failed(Failure::Error);
                continue;
            };
            let Some(raw) = get(&url, DNS_MESSAGE, self.config.timeout_ms, MAX_DNS_MESSAGE).await
            else {
                last = Answer::failed(Failure::Timeout);
                continue;
            };
            let Some(body) = raw.body else {
                last = Answer::failed(Failure::Error);
                continue;
            };
            let answer =
                answer_from_response(raw.status, raw.content_type.as_deref(), &body, query);
            if matches!(
                answer,
                Answer::Failed {
                    failure: Failure::Error
                }
            ) {
                last = answer;
                continue;
            }
            if let Some(ttl) = cache_ttl_for(&answer, &body, &self.limits) {
                // Written after the response (waitUntil): a report's next round need not wait
                // for the cache (in wrangler dev a write costs ~15 ms; see BENCHMARKS.md).
                self.ctx.wait_until(store(key, body.clone(), ttl));
            }
            let ttl = postcheck_gateway::doh::response_ttl(&body);
            return (resolved(query, answer, ttl), Source::Upstream);
        }
        (resolved(query, last, None), Source::Upstream)
    }

    /// Resolves all queries in parallel, answers in query order.
    pub async fn resolve_all(&self, queries: &[Query]) -> Vec<(Resolved, Source)> {
        join_all(queries.iter().map(|query| self.resolve(query))).await
    }

    /// Fetches an MTA-STS policy URL (already checked by the gateway): no redirects, at most
    /// [`MAX_POLICY_BYTES`], within the configured timeout.
    pub async fn fetch_policy(&self, url: &str) -> FetchResult {
        match get(url, "text/plain", self.config.timeout_ms, MAX_POLICY_BYTES).await {
            None => FetchResult::Failed {
                reason: "no HTTPS answer (connection, TLS or timeout)".to_owned(),
            },
            Some(Raw { body: None, .. }) => FetchResult::Failed {
                reason: format!("policy larger than {MAX_POLICY_BYTES} octets"),
            },
            Some(Raw {
                status,
                content_type,
                body: Some(body),
            }) => FetchResult::Response {
                code: status,
                content_type,
                body: String::from_utf8_lossy(&body).into_owned(),
            },
        }
    }
}

fn resolved(query: &Query, answer: Answer, ttl: Option<u32>) -> Resolved {
    Resolved {
        query: query.clone(),
        answer,
        ttl,
    }
}

/// Stores a DoH response for `ttl` seconds. A failure to store only costs a later miss.
async fn store(key: String, body: Vec<u8>, ttl: u32) {
    let headers = Headers::new();
    let stored = headers.set("Content-Type", DNS_MESSAGE).is_ok()
        && headers
            .set("Cache-Control", &format!("public, max-age={ttl}"))
            .is_ok();
    if stored {
        let response = Response::builder().with_headers(headers).fixed(body);
        let _ = Cache::default().put(key.as_str(), response).await;
    }
}
