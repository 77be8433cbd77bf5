//! The request's way through the worker: configuration, pages (static assets with security
//! headers) or API (CORS, rate limit, routing, body limits), and errors as JSON.

use crate::handlers::{self, Answered};
use crate::respond;
use crate::upstream::Resolver;
use futures_util::StreamExt as _;
use postcheck_gateway::http::{self, Config, ConfigVars, Cors};
use postcheck_gateway::rate_limit::{SMTP_CHECK_QUERIES, rate_limit_key, rate_limit_units};
use postcheck_gateway::request::{Endpoint, GatewayError, Limits};
use worker::{Env, Method, Request, Response, Result};

/// The seconds a rate-limited client waits: the `period` of `[[ratelimits]]` in wrangler.toml.
const RATE_LIMIT_PERIOD: u32 = 60;

/// How much of a body without a declared length is read past the limit before the 413.
const DRAIN_LIMIT: usize = 1024 * 1024;

pub(crate) fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|value| value.to_string())
}

/// A secret (`wrangler secret put`), or a variable of that name where the tests set one.
pub(crate) fn secret_or_var(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .map(|secret| secret.to_string())
        .ok()
        .or_else(|| var(env, name))
}

pub(crate) fn config(env: &Env) -> std::result::Result<Config, GatewayError> {
    let upstreams = var(env, "DOH_UPSTREAMS");
    let timeout = var(env, "DOH_TIMEOUT_MS");
    let origins = var(env, "ALLOWED_ORIGINS");
    let ancestors = var(env, "WIDGET_FRAME_ANCESTORS");
    let subrequests = var(env, "SUBREQUEST_LIMIT");
    let enforce = var(env, "ENFORCE_LIMITS");
    let cache_api = var(env, "CACHE_API");
    let fetch_allow = var(env, "FETCH_ALLOW_ADDRESSES");
    let dqs_key = secret_or_var(env, "SPAMHAUS_DQS_KEY");
    Config::from_vars(ConfigVars {
        upstreams: upstreams.as_deref(),
        timeout_ms: timeout.as_deref(),
        allowed_origins: origins.as_deref(),
        widget_frame_ancestors: ancestors.as_deref(),
        subrequest_limit: subrequests.as_deref(),
        enforce_limits: enforce.as_deref(),
        cache_api: cache_api.as_deref(),
        fetch_allow_addresses: fetch_allow.as_deref(),
        spamhaus_dqs_key: dqs_key.as_deref(),
    })
}

/// Handles one request.
pub async fn handle(req: Request, env: Env, ctx: &worker::Context) -> Result<Response> {
    let config = match config(&env) {
        Ok(config) => config,
        Err(err) => return respond::error(&err, &[]),
    };
    let url = req.url()?;
    let path = url.path().to_owned();
    if path != "/api" && !path.starts_with("/api/") {
        return serve_page(req, &env, &config, &path).await;
    }
    let own_origin = url.origin().ascii_serialization();
    let origin = req.headers().get("Origin")?;
    let cors = http::cors(origin.as_deref(), &own_origin, &config);
    if cors == Cors::Refused {
        return respond::error(&http::cors_refused(), &[]);
    }
    let cors_headers = http::cors_headers(&cors);
    if req.method() == Method::Options {
        return respond::empty(204, &http::preflight_headers(&cors));
    }
    let client_key = rate_limit_key(
        req.headers()
            .get("CF-Connecting-IP")
            .ok()
            .flatten()
            .as_deref(),
    );
    if let Some(err) = rate_limited(&env, &client_key).await {
        return respond::error(&err, &cors_headers);
    }
    let query_string = url.query().unwrap_or_default().to_owned();
    let limits = Limits::default();
    let resolver = Resolver::new(&config, limits, ctx);
    let answered = api(req, &env, &resolver, limits, &path, &query_string).await;
    let outbound = resolver.finish();
    // The work is done: the client pays for what it sent upstream, after the response.
    let smtp_cost = if path == "/api/smtp" {
        SMTP_CHECK_QUERIES
    } else {
        0
    };
    charge(&env, ctx, &client_key, outbound.sent_count() + smtp_cost);
    let mut cors_headers = cors_headers;
    cors_headers.push(("X-Postcheck-Subrequests", outbound.header_value()));
    // wrangler dev enforces none of the platform's limits; in this mode the worker does.
    let answered = match outbound.violation() {
        Some(violation) if config.enforce_limits => Err(GatewayError::LimitExceeded {
            detail: violation.to_string(),
        }),
        _ => answered,
    };
    match answered {
        Ok((status, body, mut headers)) => {
            headers.extend(cors_headers);
            respond::json(status, &body, &headers)
        }
        Err(err) => respond::error(&err, &cors_headers),
    }
}

/// The per-client rate limit (the `RATE_LIMITER` binding): one unit before the work. The key
/// is [`rate_limit_key`] of the address Cloudflare puts in `CF-Connecting-IP` (an IPv6
/// client's /64); it is neither logged nor stored. Without the binding there is no limit.
async fn rate_limited(env: &Env, client_key: &str) -> Option<GatewayError> {
    let limiter = env.rate_limiter("RATE_LIMITER").ok()?;
    match limiter.limit(client_key.to_owned()).await {
        Ok(outcome) if !outcome.success => Some(GatewayError::RateLimited {
            retry_after: RATE_LIMIT_PERIOD,
        }),
        _ => None,
    }
}

/// Charges the client `client_key` for the upstream work its request caused: the units of
/// [`rate_limit_units`] beyond the one [`rate_limited`] took before the work. The binding
/// counts one unit per call, so this makes one call per unit, in `ctx.wait_until`: the
/// response never waits for it. Without the binding, nothing.
pub fn charge(env: &Env, ctx: &worker::Context, client_key: &str, upstream_queries: usize) {
    let remaining = rate_limit_units(upstream_queries).saturating_sub(1);
    if remaining == 0 {
        return;
    }
    let Ok(limiter) = env.rate_limiter("RATE_LIMITER") else {
        return;
    };
    let client_key = client_key.to_owned();
    ctx.wait_until(async move {
        for _ in 0..remaining {
            // Over the limit or not, every unit is spent: the outcome only matters to the
            // next request's check.
            let _ = limiter.limit(client_key.clone()).await;
        }
    });
}

/// Reads a request body of at most `max` octets (checked before and while reading).
async fn read_body(req: &mut Request, max: usize) -> std::result::Result<Vec<u8>, GatewayError> {
    let too_large = |len| GatewayError::BodyTooLarge { len, max };
    let declared = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|len| len.trim().parse::<usize>().ok());
    if let Some(len) = declared.filter(|len| *len > max) {
        return Err(too_large(len));
    }
    let unreadable = || GatewayError::BadJson {
        reason: "request body could not be read".to_owned(),
    };
    let mut stream = req.stream().map_err(|_| unreadable())?;
    let mut body = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| unreadable())?;
        seen += chunk.len();
        if seen > max {
            // Read (and drop) the rest up to a bound before answering: a body stream left
            // half-read stalls the connection in the local runtime.
            if seen > DRAIN_LIMIT {
                break;
            }
            continue;
        }
        body.extend_from_slice(&chunk);
    }
    if seen > max {
        return Err(too_large(seen));
    }
    Ok(body)
}

async fn api(
    mut req: Request,
    env: &Env,
    resolver: &Resolver<'_>,
    limits: Limits,
    path: &str,
    query_string: &str,
) -> std::result::Result<Answered, GatewayError> {
    let endpoint = postcheck_gateway::request::route(req.method().as_ref(), path)?;
    let secret = env
        .secret("SNAPSHOT_SECRET")
        .map(|s| s.to_string())
        .ok()
        .or_else(|| var(env, "SNAPSHOT_SECRET"));
    let secret = secret.as_deref().map(str::as_bytes);
    let now = worker::Date::now().as_millis() / 1000;
    match endpoint {
        Endpoint::DnsGet => handlers::dns_get(resolver, query_string).await,
        Endpoint::DnsBatch => {
            let body = read_body(&mut req, limits.max_body_bytes).await?;
            handlers::dns_batch(resolver, &body, &limits).await
        }
        Endpoint::Report => {
            let body = read_body(&mut req, limits.max_body_bytes).await?;
            handlers::report(resolver, &body, &limits, secret, now).await
        }
        Endpoint::ReportContinue => {
            let body = read_body(&mut req, limits.max_snapshot_bytes).await?;
            handlers::report_continue(resolver, &body, &limits, secret, now).await
        }
        Endpoint::Verify => {
            let body = read_body(&mut req, limits.max_snapshot_bytes).await?;
            handlers::verify(&body, &limits, secret)
        }
        Endpoint::MtaSts => handlers::mta_sts(resolver, query_string).await,
        Endpoint::Smtp => {
            // The worker's own host name: a fully qualified name for EHLO (RFC 5321 §4.1.1.1).
            let own_host = req
                .url()
                .ok()
                .and_then(|url| url.host_str().map(str::to_owned))
                .filter(|host| host.contains('.') && host.parse::<std::net::IpAddr>().is_err())
                .unwrap_or_else(|| "postcheck.invalid".to_owned());
            handlers::smtp(resolver, query_string, &own_host).await
        }
        Endpoint::TestAddress => {
            let body = read_body(&mut req, limits.max_body_bytes).await?;
            crate::test_mail::create(env, &body, now).await
        }
        Endpoint::TestResult => crate::test_mail::status(env, path).await,
        _ => Err(GatewayError::NotFound {
            path: path.to_owned(),
        }),
    }
}

/// A page or static file from the `ASSETS` binding, with the pages' security headers.
async fn serve_page(req: Request, env: &Env, config: &Config, path: &str) -> Result<Response> {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let err = GatewayError::MethodNotAllowed {
            method: req.method().to_string(),
            allowed: "GET, HEAD",
        };
        return respond::error(&err, &[]);
    }
    let response = env.assets("ASSETS")?.fetch_request(req).await?;
    respond::with_headers(response, &http::page_headers(path, config))
}
