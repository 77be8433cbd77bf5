//! Building responses: JSON answers and errors with the API's headers, pages with theirs.

use postcheck_gateway::request::GatewayError;
use worker::{Headers, Response, Result};

/// A JSON response with `status` and the given extra headers.
pub fn json(
    status: u16,
    value: &serde_json::Value,
    extra: &[(&'static str, String)],
) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json; charset=utf-8")?;
    headers.set("Cache-Control", "no-store")?;
    for (name, value) in postcheck_gateway::http::api_headers().iter().chain(extra) {
        headers.append(name, value)?;
    }
    Ok(Response::builder()
        .with_status(status)
        .with_headers(headers)
        .fixed(value.to_string().into_bytes()))
}

/// A response without a body (a preflight's 204), with the API's headers.
pub fn empty(status: u16, extra: &[(&'static str, String)]) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in postcheck_gateway::http::api_headers().iter().chain(extra) {
        headers.append(name, value)?;
    }
    Ok(Response::builder()
        .with_status(status)
        .with_headers(headers)
        .empty())
}

/// The JSON error `{ "error": { "code", "message" } }` with its status (and `Allow` or
/// `Retry-After` where the error calls for one).
pub fn error(err: &GatewayError, extra: &[(&'static str, String)]) -> Result<Response> {
    let mut headers: Vec<(&'static str, String)> = extra.to_vec();
    match err {
        GatewayError::MethodNotAllowed { allowed, .. } => {
            headers.push(("Allow", (*allowed).to_owned()));
        }
        GatewayError::RateLimited { retry_after } => {
            headers.push(("Retry-After", retry_after.to_string()));
        }
        _ => {}
    }
    json(err.status(), &err.to_json(), &headers)
}

/// Copies a response (from the assets binding, whose headers are immutable) with these
/// headers added or replaced.
pub fn with_headers(response: Response, add: &[(&'static str, String)]) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        headers.append(&name, &value)?;
    }
    for (name, value) in add {
        headers.set(name, value)?;
    }
    Ok(response.with_headers(headers))
}
