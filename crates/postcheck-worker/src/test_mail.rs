//! The test address (the mail-tester flow): `POST /api/test-address` hands out an unguessable
//! address at the worker's mail domain (`TEST_MAIL_DOMAIN`, routed to this worker by
//! Cloudflare Email Routing); the email handler judges the first message to it — the check of
//! its From domain with the IP that delivered it (the report planner, as `/api/report`), and
//! every DKIM signature verified with its key — and keeps only that result, never the message,
//! in Workers KV (`TEST_MAIL`) for a day; `GET /api/test-address/<token>` reads it. Mail to an
//! unknown or expired address is refused with an SMTP reply that says so. The rules (tokens,
//! keys, lifetimes) are `postcheck_gateway::test_mail`'s.

use crate::app::{config, secret_or_var, var};
use crate::handlers::{Answered, new_report, signing_secret};
use crate::upstream::Resolver;
use postcheck_core::dns::AnswerCache;
use postcheck_core::received::Received;
use postcheck_core::report::CheckInput;
use postcheck_gateway::request::{GatewayError, Limits};
use postcheck_gateway::test_mail::{
    MAX_MESSAGE_BYTES, PENDING_TTL, RESULT_TTL, address, pending_key, result_key, token, token_of,
    token_of_path,
};
use serde_json::json;
use worker::{Env, ForwardableEmailMessage, kv::KvStore};

/// The KV namespace and the mail domain, when the test address is set up.
fn setup(env: &Env) -> Option<(KvStore, String)> {
    let domain = var(env, "TEST_MAIL_DOMAIN").filter(|d| !d.trim().is_empty())?;
    let store = env.kv("TEST_MAIL").ok()?;
    Some((store, domain.trim().to_ascii_lowercase()))
}

/// 16 octets from the platform's cryptographic random source (`crypto.getRandomValues`).
fn random_octets() -> Option<[u8; 16]> {
    use worker::js_sys::{Function, Reflect, Uint8Array, global};
    let crypto = Reflect::get(&global(), &"crypto".into()).ok()?;
    let get: Function = Reflect::get(&crypto, &"getRandomValues".into())
        .ok()?
        .into();
    let array = Uint8Array::new_with_length(16);
    get.call1(&crypto, &array).ok()?;
    let mut octets = [0u8; 16];
    array.copy_to(&mut octets);
    Some(octets)
}

fn storage_failed() -> GatewayError {
    GatewayError::Misconfigured {
        reason: "the test address store (KV) failed",
    }
}

/// `POST /api/test-address`: a new address, waiting for its message for an hour. The body may
/// hold a vendor's sender profile (the JSON of the live link's `profile=`): the message is
/// then judged for that vendor, as the widget checks a domain.
pub async fn create(env: &Env, body: &[u8], now: u64) -> Result<Answered, GatewayError> {
    let (store, domain) = setup(env).ok_or(GatewayError::TestAddressOff)?;
    let profile = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let profile = postcheck_core::json::read_sender_profile(body).map_err(|err| {
            GatewayError::BadJson {
                reason: format!("not a sender profile: {err}"),
            }
        })?;
        profile.validate().map_err(|err| GatewayError::BadJson {
            reason: format!("not a usable sender profile: {err}"),
        })?;
        Some(postcheck_core::json::write_sender_profile(&profile))
    };
    let token = token(&random_octets().ok_or_else(storage_failed)?);
    let pending = json!({ "created": now, "profile": profile });
    store
        .put(&pending_key(&token), pending.to_string())
        .map_err(|_| storage_failed())?
        .expiration_ttl(PENDING_TTL)
        .execute()
        .await
        .map_err(|_| storage_failed())?;
    Ok((
        200,
        json!({
            "token": token,
            "address": address(&token, &domain),
            "expires": now + PENDING_TTL,
        }),
        Vec::new(),
    ))
}

/// `GET /api/test-address/<token>`: `waiting`, or `received` with the result.
pub async fn status(env: &Env, path: &str) -> Result<Answered, GatewayError> {
    let (store, _) = setup(env).ok_or(GatewayError::TestAddressOff)?;
    let token = token_of_path(path)?;
    let stored = store
        .get(&result_key(token))
        .text()
        .await
        .map_err(|_| storage_failed())?;
    if let Some(text) = stored {
        let result: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| storage_failed())?;
        return Ok((
            200,
            json!({ "status": "received", "result": result }),
            Vec::new(),
        ));
    }
    let pending = store
        .get(&pending_key(token))
        .text()
        .await
        .map_err(|_| storage_failed())?;
    match pending {
        Some(_) => Ok((200, json!({ "status": "waiting" }), Vec::new())),
        None => Err(GatewayError::TestAddressUnknown),
    }
}

/// Refuses the message with `reason` (the receiving server's SMTP reply says it). In
/// production `setReject` returns at once; `wrangler dev` passes the message to the worker over
/// RPC, where the call returns a promise that must settle before the handler ends.
async fn reject(message: &ForwardableEmailMessage, reason: &str) {
    use worker::js_sys::{Array, Function, Promise, Reflect};
    use worker::wasm_bindgen::JsCast;
    let Ok(function) = Reflect::get(message, &"setReject".into()) else {
        return;
    };
    // Reflect.apply, not Function.prototype.call: on an RPC stub `call` is a remote method.
    let arguments = Array::of1(&reason.into());
    let Ok(returned) = Reflect::apply(&function.unchecked_into::<Function>(), message, &arguments)
    else {
        return;
    };
    // `undefined` in production; over RPC a thenable, which `Promise.resolve` follows.
    let _ = worker::wasm_bindgen_futures::JsFuture::from(Promise::resolve(&returned)).await;
}

/// The email handler: judges a message to a pending test address and keeps the result;
/// refuses mail to any other address.
pub async fn receive(
    message: ForwardableEmailMessage,
    env: Env,
    ctx: &worker::Context,
) -> worker::Result<()> {
    let Some((store, domain)) = setup(&env) else {
        reject(&message, "This address does not accept mail.").await;
        return Ok(());
    };
    let Some(token) = token_of(&message.to(), &domain) else {
        reject(&message, "Unknown test address.").await;
        return Ok(());
    };
    // One message per address: once a result is kept, the next one is refused. (No deletion of
    // the pending token: Workers KV's Free plan allows 1,000 writes a day, and a test mail costs
    // two — the token and the result; the token expires by itself.)
    let judged = store.get(&result_key(&token)).text().await.ok().flatten();
    let pending = store.get(&pending_key(&token)).text().await.ok().flatten();
    let Some(pending) = pending.filter(|_| judged.is_none()) else {
        reject(
            &message,
            "Unknown or expired test address: create a new one on the check page.",
        )
        .await;
        return Ok(());
    };
    // The vendor's sender profile the address was made for, if any.
    let profile = serde_json::from_str::<serde_json::Value>(&pending)
        .ok()
        .and_then(|pending| pending["profile"].as_str().map(str::to_owned))
        .and_then(|text| postcheck_core::json::read_sender_profile(text.as_bytes()).ok());
    let mut raw = message.raw_bytes().await?;
    raw.truncate(MAX_MESSAGE_BYTES);
    let now = worker::Date::now().as_millis() / 1000;
    let result = judge(&env, ctx, &raw, &message.from(), profile, now).await;
    let text = serde_json::to_string(&result)?;
    store
        .put(&result_key(&token), text)?
        .expiration_ttl(RESULT_TTL)
        .execute()
        .await?;
    Ok(())
}

/// What the message says about itself, its DKIM signatures verified, and the signed snapshot
/// of its From domain's check with the delivering IP (whole, or partial for the page to
/// continue, as `/api/report` answers).
async fn judge(
    env: &Env,
    ctx: &worker::Context,
    raw: &[u8],
    envelope_from: &str,
    profile: Option<postcheck_core::profile::SenderProfile>,
    now: u64,
) -> serde_json::Value {
    let text = String::from_utf8_lossy(raw);
    let received = Received::read(&text, envelope_from);
    let mut result = json!({
        "received_at": now,
        "message": received,
    });
    let Ok(config) = config(env) else {
        result["error"] = json!("misconfigured");
        return result;
    };
    let resolver = Resolver::new(&config, Limits::default(), ctx);
    // Every signature verified with its key (RFC 6376 §6): the keys first, one round.
    let queries = postcheck_dkim_verify::key_queries(raw);
    let mut keys = AnswerCache::new();
    for (resolved, _) in resolver.resolve_all(&queries).await {
        keys.insert(resolved.query, resolved.answer);
    }
    let checks = postcheck_dkim_verify::verify(raw, &keys);
    let passing: Vec<String> = checks
        .iter()
        .filter(|check| check.result == "pass")
        .map(|check| check.domain.clone())
        .collect();
    result["dkim"] = checks
        .into_iter()
        .map(|check| {
            json!({
                "domain": check.domain,
                "selector": check.selector,
                "result": check.result,
                "reason": check.reason,
                "findings": check.findings,
            })
        })
        .collect();
    let secret = secret_or_var(env, "SNAPSHOT_SECRET");
    let input = received
        .check_input(now)
        .map(|input| CheckInput { profile, ..input });
    let report = match (input, signing_secret(secret.as_deref().map(str::as_bytes))) {
        (Some(input), Ok(secret)) => new_report(&resolver, input, now, secret)
            .await
            .map(|(_, body, _)| body)
            .ok(),
        _ => None,
    };
    // How DMARC judges this message: an aligned signature that verified, or SPF passing for
    // the delivering IP where the envelope domain is the From domain, against its policy.
    if let Some(report) = report.as_ref().and_then(whole_report) {
        let passing: Vec<&str> = passing.iter().map(String::as_str).collect();
        let spf = report.spf.results.first().map(|r| r.result);
        result["dmarc"] = json!(received.dmarc(&passing, spf, &report.dmarc));
    }
    result["report"] = report.unwrap_or(serde_json::Value::Null);
    // The invocation's account, as the fetch handler keeps it: what went upstream, and in the
    // tests' enforcing mode (wrangler dev enforces none of the platform's limits) a breach.
    let outbound = resolver.finish();
    result["subrequests"] = json!(outbound.sent_count());
    if let Some(violation) = outbound.violation().filter(|_| config.enforce_limits) {
        result["error"] = json!(format!("limit-exceeded: {violation}"));
    }
    result
}

/// The report of a `/api/report`-shaped answer, when it holds every answer the report needs.
fn whole_report(answer: &serde_json::Value) -> Option<postcheck_core::report::Report> {
    let mut signed = answer.clone();
    let object = signed.as_object_mut()?;
    for extra in ["complete", "rounds", "queries"] {
        object.remove(extra);
    }
    serde_json::from_value::<postcheck_core::report::SignedSnapshot>(signed)
        .ok()?
        .report()
        .ok()
}
