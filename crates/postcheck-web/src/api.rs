//! The one module that talks to the network: the gateway's `/api/report` (one round trip per
//! report, or a few when the gateway continues a large one), `/api/verify`, and `/api/dns` (the DKIM keys of a message pasted on `/tools`).
//! Everything else the pages compute themselves.

use crate::share::Inputs;
use postcheck_core::dns::{Answer, AnswerCache, Query};
use postcheck_core::profile::SenderProfile;
use postcheck_core::report::SignedSnapshot;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Why the gateway gave no answer: the network, or its JSON error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// The gateway's error code (`invalid-domain`, `rate-limited`, …) or `network`.
    pub code: String,
    pub message: String,
}

impl ApiError {
    fn network(message: impl Into<String>) -> Self {
        ApiError {
            code: "network".to_owned(),
            message: message.into(),
        }
    }
}

async fn post(path: &str, body: &str) -> Result<(u16, String), ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::network("no window"))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
    let request = Request::new_with_str_and_init(path, &init)
        .map_err(|_| ApiError::network("request not built"))?;
    request
        .headers()
        .set("Content-Type", "application/json")
        .map_err(|_| ApiError::network("header not set"))?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::network("the checking service cannot be reached"))?;
    let response: Response = response
        .dyn_into()
        .map_err(|_| ApiError::network("no response"))?;
    let text = JsFuture::from(
        response
            .text()
            .map_err(|_| ApiError::network("no response body"))?,
    )
    .await
    .map_err(|_| ApiError::network("response body not read"))?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

/// The gateway's error body `{ "error": { "code", "message" } }` (typed, so the page carries
/// no generic JSON value code).
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

fn gateway_error(status: u16, text: &str) -> ApiError {
    match serde_json::from_slice::<ErrorBody>(text.as_bytes()) {
        Ok(body) => ApiError {
            code: body.error.code,
            message: body.error.message,
        },
        Err(_) => ApiError {
            code: "http-error".to_owned(),
            message: format!("HTTP {status}"),
        },
    }
}

/// The body of `POST /api/report`.
#[derive(Serialize)]
struct ReportRequest<'a> {
    domain: &'a str,
    ips: &'a [String],
    dkim_selectors: &'a [String],
    profile: Option<&'a SenderProfile>,
}

/// The answer of `POST /api/verify`.
#[derive(Deserialize)]
struct Verified {
    valid: bool,
}

/// Whether a `/api/report` answer holds the whole report (absent: it does).
#[derive(Deserialize)]
struct Part {
    #[serde(default = "whole")]
    complete: bool,
}

fn whole() -> bool {
    true
}

/// The most continuations one report may take (the gateway's per-report budget ends a report
/// long before: a part answers at least one query).
const MAX_PARTS: usize = 64;

/// Asks the gateway for everything the report of `inputs` needs: one request, or — when the
/// gateway's invocation ran out of subrequests first — one more per part, each posting back the
/// signed partial snapshot (`/api/report/continue`). `progress` hears the number of answers
/// received so far after each partial one.
pub async fn report(inputs: &Inputs, progress: impl Fn(usize)) -> Result<SignedSnapshot, ApiError> {
    let body = ReportRequest {
        domain: &inputs.domain,
        ips: &inputs.ips,
        dkim_selectors: &inputs.selectors,
        profile: inputs.profile.as_ref(),
    };
    let body = serde_json::to_string(&body).unwrap_or_default();
    let (mut status, mut text) = post("/api/report", &body).await?;
    for _ in 0..MAX_PARTS {
        if status != 200 {
            return Err(gateway_error(status, &text));
        }
        let unreadable =
            |err: serde_json::Error| ApiError::network(format!("unreadable answer: {err}"));
        let part: Part = serde_json::from_slice(text.as_bytes()).map_err(unreadable)?;
        let signed: SignedSnapshot = serde_json::from_slice(text.as_bytes()).map_err(unreadable)?;
        if part.complete {
            return Ok(signed);
        }
        progress(signed.snapshot.answers.len());
        (status, text) = post("/api/report/continue", &text).await?;
    }
    Err(ApiError::network("the report did not complete"))
}

/// Whether the gateway confirms the snapshot's signature.
pub async fn verify(signed: &SignedSnapshot) -> Result<bool, ApiError> {
    let body = serde_json::to_string(signed).unwrap_or_default();
    let (status, text) = post("/api/verify", &body).await?;
    if status != 200 {
        return Err(gateway_error(status, &text));
    }
    serde_json::from_slice::<Verified>(text.as_bytes())
        .map(|answer| answer.valid)
        .map_err(|_| ApiError::network("unreadable answer"))
}

/// The body of `POST /api/dns`.
#[derive(Serialize)]
struct DnsRequest<'a> {
    queries: &'a [Query],
}

/// The answer of `POST /api/dns`: entries shaped like the snapshot's (its `rcode` and `ttl`
/// are not needed here).
#[derive(Deserialize)]
struct DnsAnswers {
    answers: Vec<DnsEntry>,
}

#[derive(Deserialize)]
struct DnsEntry {
    query: Query,
    answer: Answer,
}

/// Asks the gateway for `queries` (one batch, one request); failed lookups come back as
/// failures, which the caller reports as "could not verify".
pub async fn dns(queries: &[Query]) -> Result<AnswerCache, ApiError> {
    let body = serde_json::to_string(&DnsRequest { queries }).unwrap_or_default();
    let (status, text) = post("/api/dns", &body).await?;
    if status != 200 {
        return Err(gateway_error(status, &text));
    }
    let answers: DnsAnswers = serde_json::from_slice(text.as_bytes())
        .map_err(|err| ApiError::network(format!("unreadable answer: {err}")))?;
    let mut cache = AnswerCache::new();
    for entry in answers.answers {
        cache.insert(entry.query, entry.answer);
    }
    Ok(cache)
}
