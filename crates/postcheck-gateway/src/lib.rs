//! The sans-IO logic of postcheck's DNS gateway, the Cloudflare Worker the web app talks to.
//!
//! The worker (`postcheck-worker`, workers-rs) only wires HTTP to these pure functions:
//! - [`request`]: routing, the guards on every request (names, record types, batch and body
//!   size) and the JSON errors `{ "error": { "code", "message" } }`;
//! - [`doh`]: DNS over HTTPS towards the upstream resolver (RFC 8484 §4.1 GET with ID 0),
//!   the mapping of its responses to the core's `Answer`, and cache lifetimes (RFC 2308 §5);
//! - [`report`]: `POST /api/report`'s request checks, and the guard and budget on what the
//!   core's planner may send upstream while the worker runs it;
//! - [`snapshot`]: HMAC-SHA256 signatures over snapshots (RFC 2104);
//! - [`limits`]: the platform's per-invocation limits (subrequests, connections) and the order
//!   queries leave in; [`memcache`]: the isolate's bounded answer cache;
//! - [`http`]: configuration, CORS and the security headers of pages and API answers.
//!
//! Nothing here opens a socket, reads a clock or draws a random number; it builds for
//! `wasm32-unknown-unknown`.

pub mod doh;
pub mod fetch_target;
pub mod http;
pub mod limits;
pub mod memcache;
pub mod rate_limit;
pub mod report;
pub mod request;
pub mod snapshot;

#[cfg(test)]
mod tests;

pub use doh::{
    Resolved, answer_from_response, answers_json, cache_ttl, cache_ttl_for, doh_get_url, rcode,
    response_ttl,
};
pub use request::{
    Endpoint, GatewayError, Limits, allowed_type, mta_sts_url, parse_batch, parse_get,
    parse_mta_sts_query, route, validate_domain, validate_name,
};
pub use snapshot::{canonical_json, sign, sign_snapshot, verify, verify_snapshot};

#[cfg(test)]
mod http_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod snapshot_tests;
