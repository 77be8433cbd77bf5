//! Integration tests of the worker under `wrangler dev`, its upstream the test bed's DoH server
//! (dnsdist): run through `./scripts/test`, which starts both (tests/worker/with-wrangler.sh).

mod abuse;
mod client;
mod endpoints;
mod hostile;
mod limits;
mod smtp;
mod test_mail;
