//! The one module that talks to the network: the gateway's `/api/report` (one round trip per
//! report, or a few when the gateway continues a large one), `/api/verify`, `/api/dns` (the DKIM
//! keys of a message pasted on `/tools`) and `/api/smtp` (the SMTP settings check of `/tools`).
//! Everything else the pages compute themselves. The JSON is read and written by the core's
//! small codec ([`postcheck_core::json`]) rather than serde_json, whose code for these types
//! was a sixth of the check page's wasm.

use postcheck_core::dns::{AnswerCache, Query};
use postcheck_core::json;
use postcheck_core::report::{ReportRequest, SignedSnapshot};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Why the gateway gave no answer: the network, or its JSON error. (Its serde derives serve the
/// `/tools` page's DKIM module, which hands it to the page as JSON; the check page never
/// serializes it.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// The gateway's error code (`invalid-domain`, `rate-limited`, …) or `network`.
    pub code: String,
    pub message: String,
    /// How many seconds to wait before asking again: the answer's `Retry-After` in seconds
    /// (RFC 9110 §10.2.3), which the gateway sends with `rate-limited`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
}

impl ApiError {
    fn network(message: impl Into<String>) -> Self {
        ApiError {
            code: "network".to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }
}

/// An HTTP answer: its status, its text, and its `Retry-After` in seconds.
struct Reply {
    status: u16,
    text: String,
    retry_after: Option<u32>,
}

async fn post(path: &str, body: &str) -> Result<Reply, ApiError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
    let request = Request::new_with_str_and_init(path, &init)
        .map_err(|_| ApiError::network("request not built"))?;
    request
        .headers()
        .set("Content-Type", "application/json")
        .map_err(|_| ApiError::network("header not set"))?;
    send(request).await
}

/// The finding texts the page loads after its first paint (`/texts.txt`), or `None`.
pub async fn texts() -> Option<String> {
    match get("/texts.txt").await {
        Ok(Reply {
            status: 200, text, ..
        }) => Some(text),
        _ => None,
    }
}

/// A GET.
async fn get(path: &str) -> Result<Reply, ApiError> {
    let request =
        Request::new_with_str(path).map_err(|_| ApiError::network("request not built"))?;
    send(request).await
}

/// Sends `request`: the status, the response text and its `Retry-After`.
async fn send(request: Request) -> Result<Reply, ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::network("no window"))?;
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
    // RFC 9110 §10.2.3: delay-seconds (the gateway never sends the HTTP-date form).
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse().ok());
    Ok(Reply {
        status: response.status(),
        text: text.as_string().unwrap_or_default(),
        retry_after,
    })
}

/// The gateway's error body `{ "error": { "code", "message" } }`, or the HTTP status when the
/// body is not one.
fn gateway_error(reply: &Reply) -> ApiError {
    match json::read_gateway_error(reply.text.as_bytes()) {
        Ok(error) => ApiError {
            code: error.code,
            message: error.message,
            retry_after: reply.retry_after,
        },
        Err(_) => ApiError {
            code: "http-error".to_owned(),
            message: format!("HTTP {}", reply.status),
            retry_after: reply.retry_after,
        },
    }
}

/// The most continuations one report may take (the gateway's per-report budget ends a report
/// long before: a part answers at least one query).
const MAX_PARTS: usize = 64;

/// Asks the gateway for everything the report of `request` needs: one request, or — when the
/// gateway's invocation ran out of subrequests first — one more per part, each posting back the
/// signed partial snapshot (`/api/report/continue`). `progress` hears the number of answers
/// received so far after each partial one.
pub async fn report(
    request: &ReportRequest,
    progress: impl Fn(usize),
) -> Result<SignedSnapshot, ApiError> {
    let body = json::write_report_request(request);
    let reply = post("/api/report", &body).await?;
    finish_report(reply.status, reply.text, progress).await
}

/// Completes a report from the gateway's first answer (`status`, `text`: a signed snapshot,
/// whole or partial), continuing it part by part (`/api/report/continue`) as [`report`] does.
/// The test address's result carries such an answer.
pub async fn finish_report(
    mut status: u16,
    mut text: String,
    progress: impl Fn(usize),
) -> Result<SignedSnapshot, ApiError> {
    for _ in 0..MAX_PARTS {
        if status != 200 {
            return Err(gateway_error(&Reply {
                status,
                text,
                retry_after: None,
            }));
        }
        let part = json::read_report_answer(text.as_bytes())
            .map_err(|err| ApiError::network(format!("unreadable answer: {err}")))?;
        if part.complete {
            return Ok(part.signed);
        }
        progress(part.signed.snapshot.answers.len());
        let reply = post("/api/report/continue", &text).await?;
        (status, text) = (reply.status, reply.text);
    }
    Err(ApiError::network("the report did not complete"))
}

/// A new test address (`POST /api/test-address`): its token and the address; with a vendor's
/// sender profile (its JSON), the message is judged for that vendor.
pub async fn test_address(profile: Option<&str>) -> Result<(String, String), ApiError> {
    let reply = post("/api/test-address", profile.unwrap_or_default()).await?;
    if reply.status != 200 {
        return Err(gateway_error(&reply));
    }
    let text = reply.text;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|err| ApiError::network(format!("unreadable answer: {err}")))?;
    match (value["token"].as_str(), value["address"].as_str()) {
        (Some(token), Some(address)) => Ok((token.to_owned(), address.to_owned())),
        _ => Err(ApiError::network("unreadable answer")),
    }
}

/// What became of a test address (`GET /api/test-address/<token>`): `None` while it waits,
/// else the result as JSON.
pub async fn test_result(token: &str) -> Result<Option<serde_json::Value>, ApiError> {
    let reply = get(&format!("/api/test-address/{token}")).await?;
    if reply.status != 200 {
        return Err(gateway_error(&reply));
    }
    let text = reply.text;
    let mut value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|err| ApiError::network(format!("unreadable answer: {err}")))?;
    Ok((value["status"] == "received").then(|| value["result"].take()))
}

/// Whether the gateway confirms the snapshot's signature.
pub async fn verify(signed: &SignedSnapshot) -> Result<bool, ApiError> {
    let body = json::write_signed_snapshot(signed);
    let reply = post("/api/verify", &body).await?;
    if reply.status != 200 {
        return Err(gateway_error(&reply));
    }
    let text = reply.text;
    json::read_verified(text.as_bytes()).map_err(|_| ApiError::network("unreadable answer"))
}

/// Asks the gateway for `queries` (one batch, one request); failed lookups come back as
/// failures, which the caller reports as "could not verify".
pub async fn dns(queries: &[Query]) -> Result<AnswerCache, ApiError> {
    let body = json::write_dns_request(queries);
    let reply = post("/api/dns", &body).await?;
    if reply.status != 200 {
        return Err(gateway_error(&reply));
    }
    let text = reply.text;
    // `/api/dns`'s entries are shaped like the snapshot's (their `rcode` and `ttl` are not
    // needed here).
    let answers = json::read_dns_answers(text.as_bytes())
        .map_err(|err| ApiError::network(format!("unreadable answer: {err}")))?;
    let mut cache = AnswerCache::new();
    for (query, answer) in answers {
        cache.insert(query, answer);
    }
    Ok(cache)
}

/// The gateway's SMTP check of `host`:`port` with `security` (`tls`, `starttls`, `plain`): its
/// answer as JSON text (findings, observations, session), or its error.
pub async fn smtp(host: &str, port: u16, security: &str) -> Result<String, ApiError> {
    let path = format!(
        "/api/smtp?host={}&port={port}&security={security}",
        crate::share::encode_component(host)
    );
    let reply = get(&path).await?;
    if reply.status != 200 {
        return Err(gateway_error(&reply));
    }
    let text = reply.text;
    Ok(text)
}
