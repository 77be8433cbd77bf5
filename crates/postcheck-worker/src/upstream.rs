//! The one module that talks to the network: DNS over HTTPS to the upstream resolvers (RFC 8484
//! §4.1 GET, failover in order on error or timeout), the isolate's memory cache and the Cache
//! API in front of them, and the capped MTA-STS policy fetch (RFC 8461 §3.3: no redirects, size
//! and time limits; only to a host whose addresses are all on the public internet).
//!
//! Every invocation keeps an [`Outbound`] account: a subrequest is reserved before each
//! upstream attempt (failover included) and the MTA-STS fetch, jobs run at most
//! [`MAX_CONNECTIONS`] at a time (each job holds one connection at a time), and what the code
//! actually sent and held open is recorded next to the reservations, so a scheduling mistake is
//! a [`postcheck_gateway::limits::Violation`] that the enforcing mode turns into a failed
//! request. Cache API writes wait until the response is out (`waitUntil`).

use futures_util::StreamExt as _;
use futures_util::future::{Either, select};
use futures_util::stream;
use postcheck_core::dns::{Answer, Failure, Query, RecordData, RecordType};
use postcheck_core::fetch::FetchResult;
use postcheck_gateway::doh::{
    DNS_MESSAGE, Resolved, answer_from_response, cache_ttl_for, doh_get_url,
};
use postcheck_gateway::fetch_target::check_fetch_addresses;
use postcheck_gateway::http::Config;
use postcheck_gateway::limits::{MAX_CONNECTIONS, Outbound};
use postcheck_gateway::memcache::MemoryCache;
use postcheck_gateway::request::Limits;
use std::cell::RefCell;
use std::net::IpAddr;
use std::pin::pin;
use std::time::Duration;
use worker::{
    AbortController, Cache, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
    Response,
};

mod smtp;

pub use smtp::SmtpCheck;

thread_local! {
    /// Answers kept for the life of the isolate, in front of the Cache API (which does
    /// nothing on `*.workers.dev`).
    static MEMORY: RefCell<MemoryCache> = RefCell::new(MemoryCache::default());
}

fn now_ms() -> u64 {
    worker::Date::now().as_millis()
}

/// The largest DoH response read (RFC 8484 §6: a DNS message is at most 65535 octets).
const MAX_DNS_MESSAGE: usize = 65_535;

/// The largest MTA-STS policy read, as in the CLI's fetcher (a policy is a few hundred octets).
pub const MAX_POLICY_BYTES: usize = 64 * 1024;

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The isolate's memory or the Cache API.
    Cache,
    /// An upstream resolver.
    Upstream,
}

/// One thing a round needs from the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// A DNS query.
    Query(Query),
    /// An MTA-STS policy URL (already checked by the gateway).
    Fetch(String),
}

/// What became of a [`Job`].
#[derive(Debug)]
pub enum Done {
    /// A DNS answer (a failure included: every upstream was tried).
    Answered(Resolved, Source),
    /// The fetch's result.
    Fetched(FetchResult),
    /// The invocation's subrequests ran out before the job was done; `failure` is what the
    /// upstreams tried so far answered, if any. The job is left for a continuation.
    OutOfBudget { failure: Option<Answer> },
}

/// Why a host's addresses are not known.
enum AddressLookup {
    /// A lookup failed: could not verify.
    Failed(String),
    /// The budget ran out first.
    OutOfBudget(Done),
}

/// A Cache API write, made after the response.
struct PendingWrite {
    key: String,
    body: Vec<u8>,
    ttl: u32,
}

/// Resolves queries through the configured upstreams, with the caches in front, within one
/// invocation's limits.
pub struct Resolver<'a> {
    config: &'a Config,
    limits: Limits,
    /// Where cache writes go, so that the answer does not wait for them.
    ctx: &'a worker::Context,
    outbound: RefCell<Outbound>,
    writes: RefCell<Vec<PendingWrite>>,
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
            outbound: RefCell::new(Outbound::new(config.subrequest_limit)),
            writes: RefCell::new(Vec::new()),
        }
    }

    /// The gateway's configuration.
    pub fn config(&self) -> &Config {
        self.config
    }

    /// An external GET, counted: one subrequest sent, one connection held while it runs.
    /// The caller has reserved the subrequest.
    async fn external_get(&self, url: &str, accept: &str, max: usize) -> Option<Raw> {
        {
            let mut outbound = self.outbound.borrow_mut();
            outbound.sent();
            outbound.open();
        }
        let raw = get(url, accept, self.config.timeout_ms, max).await;
        self.outbound.borrow_mut().close();
        raw
    }

    /// The Cache API's answer for `query`, counted as a connection while it is read.
    async fn cache_api_get(&self, query: &Query) -> Option<Resolved> {
        if !self.config.cache_api {
            return None;
        }
        self.outbound.borrow_mut().open();
        let hit = async {
            let mut hit = Cache::default()
                .get(cache_key(query).as_str(), false)
                .await
                .ok()??;
            let content_type = hit.headers().get("Content-Type").ok().flatten();
            let body = read_capped(&mut hit, MAX_DNS_MESSAGE).await?;
            let answer = answer_from_response(200, content_type.as_deref(), &body, query);
            (!matches!(answer, Answer::Failed { .. })).then(|| {
                let ttl = postcheck_gateway::doh::response_ttl(&body);
                resolved(query, answer, ttl)
            })
        }
        .await;
        self.outbound.borrow_mut().close();
        hit
    }

    /// Resolves one query: from the memory cache, the Cache API, else from the first upstream
    /// that gives a DNS answer (an HTTP error, a malformed message or a timeout moves on to the
    /// next), each attempt within the invocation's budget.
    async fn resolve(&self, query: &Query) -> Done {
        let remembered = MEMORY.with(|memory| memory.borrow_mut().get(query, now_ms()));
        if let Some(body) = remembered {
            let answer = answer_from_response(200, Some(DNS_MESSAGE), &body, query);
            if !matches!(answer, Answer::Failed { .. }) {
                let ttl = postcheck_gateway::doh::response_ttl(&body);
                return Done::Answered(resolved(query, answer, ttl), Source::Cache);
            }
        }
        if let Some(hit) = self.cache_api_get(query).await {
            return Done::Answered(hit, Source::Cache);
        }
        let mut last: Option<Answer> = None;
        for upstream in &self.config.upstreams {
            let Ok(url) = doh_get_url(upstream, query) else {
                last = Some(Answer::failed(Failure::Error));
                continue;
            };
            if !self.outbound.borrow_mut().reserve() {
                return Done::OutOfBudget { failure: last };
            }
            let Some(raw) = self.external_get(&url, DNS_MESSAGE, MAX_DNS_MESSAGE).await else {
                last = Some(Answer::failed(Failure::Timeout));
                continue;
            };
            let Some(body) = raw.body else {
                last = Some(Answer::failed(Failure::Error));
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
                last = Some(answer);
                continue;
            }
            if let Some(ttl) = cache_ttl_for(&answer, &body, &self.limits) {
                MEMORY.with(|memory| {
                    memory
                        .borrow_mut()
                        .put(query.clone(), body.clone(), ttl, now_ms());
                });
                if self.config.cache_api {
                    self.writes.borrow_mut().push(PendingWrite {
                        key: cache_key(query),
                        body: body.clone(),
                        ttl,
                    });
                }
            }
            let ttl = postcheck_gateway::doh::response_ttl(&body);
            return Done::Answered(resolved(query, answer, ttl), Source::Upstream);
        }
        let failure = last.unwrap_or(Answer::failed(Failure::Timeout));
        Done::Answered(resolved(query, failure, None), Source::Upstream)
    }

    /// Fetches an MTA-STS policy URL (already checked by the gateway): no redirects, at most
    /// [`MAX_POLICY_BYTES`], within the configured timeout and the invocation's budget.
    async fn fetch_policy(&self, url: &str) -> Done {
        if let Err(done) = self.check_fetch_target(url).await {
            return done;
        }
        if !self.outbound.borrow_mut().reserve() {
            return Done::OutOfBudget { failure: None };
        }
        let result = match self.external_get(url, "text/plain", MAX_POLICY_BYTES).await {
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
        };
        Done::Fetched(result)
    }

    /// Resolves the URL's host (A and AAAA, one after the other: the job holds one connection
    /// at a time) and refuses the fetch when it has no address or any address is loopback,
    /// private, link-local or otherwise not on the public internet (unless
    /// `FETCH_ALLOW_ADDRESSES` allows it). A failed lookup refuses the fetch too.
    async fn check_fetch_target(&self, url: &str) -> Result<(), Done> {
        let host = url
            .strip_prefix("https://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        let addresses = self
            .host_addresses(host)
            .await
            .map_err(|lookup| match lookup {
                AddressLookup::Failed(reason) => Done::Fetched(FetchResult::Failed { reason }),
                AddressLookup::OutOfBudget(done) => done,
            })?;
        check_fetch_addresses(&addresses, &self.config.fetch_allow_addresses).map_err(|err| {
            Done::Fetched(FetchResult::Failed {
                reason: err.to_string(),
            })
        })
    }

    /// The host's A and AAAA addresses (asked one after the other); empty when it has none.
    async fn host_addresses(&self, host: &str) -> Result<Vec<IpAddr>, AddressLookup> {
        let mut addresses: Vec<IpAddr> = Vec::new();
        for record_type in [RecordType::A, RecordType::Aaaa] {
            let answer = match self.resolve(&Query::new(host, record_type)).await {
                Done::Answered(resolved, _) => resolved.answer,
                out_of_budget => return Err(AddressLookup::OutOfBudget(out_of_budget)),
            };
            if let Some(failure) = answer.failure() {
                return Err(AddressLookup::Failed(format!(
                    "the address of {host} could not be looked up ({})",
                    failure.as_str()
                )));
            }
            addresses.extend(
                answer
                    .record_data()
                    .iter()
                    .filter_map(|record| match record {
                        RecordData::A(ip) => Some(IpAddr::V4(*ip)),
                        RecordData::Aaaa(ip) => Some(IpAddr::V6(*ip)),
                        _ => None,
                    }),
            );
        }
        Ok(addresses)
    }

    async fn run_job(&self, job: Job) -> Done {
        match job {
            Job::Query(query) => self.resolve(&query).await,
            Job::Fetch(url) => self.fetch_policy(&url).await,
        }
    }

    /// Runs `jobs` at most [`MAX_CONNECTIONS`] at a time, started in the given order (put the
    /// critical ones first); results in job order.
    pub async fn run(&self, jobs: Vec<Job>) -> Vec<Done> {
        stream::iter(jobs)
            .map(|job| self.run_job(job))
            .buffered(MAX_CONNECTIONS)
            .collect()
            .await
    }

    /// Resolves all queries, answers in query order; a query the budget could not reach is
    /// answered as a failure ("could not verify": the `/api/dns` endpoints have no
    /// continuation).
    pub async fn resolve_all(&self, queries: &[Query]) -> Vec<(Resolved, Source)> {
        let jobs = queries.iter().cloned().map(Job::Query).collect();
        self.run(jobs)
            .await
            .into_iter()
            .zip(queries)
            .map(|(done, query)| match done {
                Done::Answered(resolved, source) => (resolved, source),
                Done::OutOfBudget { failure } => (
                    resolved(
                        query,
                        failure.unwrap_or(Answer::failed(Failure::Refused)),
                        None,
                    ),
                    Source::Upstream,
                ),
                Done::Fetched(_) => unreachable!("only queries were asked"),
            })
            .collect()
    }

    /// Fetches one MTA-STS policy (`/api/mta-sts`).
    pub async fn fetch_one(&self, url: &str) -> FetchResult {
        match self.fetch_policy(url).await {
            Done::Fetched(result) => result,
            _ => FetchResult::Failed {
                reason: "subrequest budget of this request spent".to_owned(),
            },
        }
    }

    /// Ends the invocation's network use: hands the Cache API writes to `waitUntil` (at most
    /// [`MAX_CONNECTIONS`] at once, after the response) and returns the account.
    pub fn finish(&self) -> Outbound {
        let writes = std::mem::take(&mut *self.writes.borrow_mut());
        if !writes.is_empty() {
            self.ctx.wait_until(
                stream::iter(writes).for_each_concurrent(MAX_CONNECTIONS, |write| {
                    store(write.key, write.body, write.ttl)
                }),
            );
        }
        self.outbound.borrow().clone()
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
