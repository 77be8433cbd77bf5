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
//! - [`http`]: configuration, CORS and the security headers of pages and API answers;
//! - [`fetch_target`]: where an MTA-STS policy fetch may go (no special-use names, no private
//!   addresses); [`rate_limit`]: the per-client rate limit's key and cost;
//! - [`test_mail`]: the test address (the mail-tester flow): tokens, addresses, storage keys.
//!
//! The modules are the API: an item is imported from its module
//! (`postcheck_gateway::request::route`, `postcheck_gateway::snapshot::sign_snapshot`), not the root.
//!
//! Nothing here opens a socket, reads a clock or draws a random number; it builds for
//! `wasm32-unknown-unknown`.

#![warn(missing_docs)]
#![warn(unreachable_pub)]

pub mod doh;
pub mod fetch_target;
pub mod http;
pub mod limits;
pub mod memcache;
pub mod rate_limit;
pub mod report;
pub mod request;
pub mod snapshot;
pub mod test_mail;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod http_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod snapshot_tests;
