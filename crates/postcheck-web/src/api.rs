//! The one module that talks to the network: the gateway's `/api/report` (one round trip per
//! report) and `/api/verify`. Everything else the page computes itself.

use crate::share::Inputs;
use postcheck_core::report::SignedSnapshot;
use serde_json::json;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Why the gateway gave no snapshot: the network, or its JSON error.
#[derive(Debug, Clone, PartialEq, Eq)]
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

fn gateway_error(status: u16, text: &str) -> ApiError {
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    ApiError {
        code: value["error"]["code"]
            .as_str()
            .unwrap_or("http-error")
            .to_owned(),
        message: value["error"]["message"]
            .as_str()
            .map_or_else(|| format!("HTTP {status}"), str::to_owned),
    }
}

/// Asks the gateway for everything the report of `inputs` needs: one request.
pub async fn report(inputs: &Inputs) -> Result<SignedSnapshot, ApiError> {
    let body = json!({
        "domain": inputs.domain,
        "ips": inputs.ips,
        "dkim_selectors": inputs.selectors,
        "profile": inputs.profile,
    });
    let (status, text) = post("/api/report", &body.to_string()).await?;
    if status != 200 {
        return Err(gateway_error(status, &text));
    }
    serde_json::from_str(&text).map_err(|err| ApiError::network(format!("unreadable answer: {err}")))
}

/// Whether the gateway confirms the snapshot's signature.
pub async fn verify(signed: &SignedSnapshot) -> Result<bool, ApiError> {
    let body = serde_json::to_string(signed).unwrap_or_default();
    let (status, text) = post("/api/verify", &body).await?;
    if status != 200 {
        return Err(gateway_error(status, &text));
    }
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    value["valid"]
        .as_bool()
        .ok_or_else(|| ApiError::network("unreadable answer"))
}
