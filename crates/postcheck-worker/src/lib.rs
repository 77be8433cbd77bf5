//! postcheck's DNS gateway as a Cloudflare Worker (workers-rs): the entry point only wires the
//! request to [`app::handle`].
//!
//! The rules live in `postcheck-gateway` (sans-IO, tested natively); this crate holds what
//! needs the Workers runtime: reading the request, the upstream fetches with failover and the
//! Cache API ([`upstream`]), the rate limiter and the static assets ([`app`]), and running
//! the core's report planner with real answers ([`handlers`]).

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod handlers;
#[cfg(target_arch = "wasm32")]
mod respond;
#[cfg(target_arch = "wasm32")]
mod test_mail;
#[cfg(target_arch = "wasm32")]
mod upstream;

/// The fetch handler: everything is in [`app::handle`].
#[cfg(target_arch = "wasm32")]
#[worker::event(fetch)]
async fn fetch(
    req: worker::Request,
    env: worker::Env,
    ctx: worker::Context,
) -> worker::Result<worker::Response> {
    app::handle(req, env, &ctx).await
}

/// The email handler (Cloudflare Email Routing): the test address's messages.
#[cfg(target_arch = "wasm32")]
#[worker::event(email)]
async fn email(
    message: worker::ForwardableEmailMessage,
    env: worker::Env,
    ctx: worker::Context,
) -> worker::Result<()> {
    test_mail::receive(message, env, &ctx).await
}
