//! The `/tools` page's DKIM verifier (RFC 6376 §6): a wasm module of its own, imported by the
//! page only when the visitor asks to verify a pasted message's signatures, so neither the check
//! page nor `/tools` carries mail-auth and its cryptography until then. The message stays in the
//! browser; only the key queries (`<s>._domainkey.<d>` TXT) go to the gateway's `/api/dns`.

use postcheck_web::dkim_result::{Checked, Verification};
use wasm_bindgen::prelude::wasm_bindgen;

/// Asks the gateway for the keys the message's signatures name, then verifies each signature
/// against them. Returns a JSON [`Verification`] (the page reads it with the same type).
#[wasm_bindgen]
pub async fn verify_message(raw: String) -> String {
    let raw = raw.into_bytes();
    let queries = postcheck_dkim_verify::key_queries(&raw);
    let verification = if queries.is_empty() {
        Verification::Checked(Vec::new())
    } else {
        match postcheck_web::api::dns(&queries).await {
            Ok(answers) => Verification::Checked(
                postcheck_dkim_verify::verify(&raw, &answers)
                    .into_iter()
                    .map(|check| Checked {
                        domain: check.domain,
                        selector: check.selector,
                        result: check.result.to_owned(),
                        reason: check.reason,
                        findings: check.findings,
                    })
                    .collect(),
            ),
            Err(err) => Verification::Unavailable(err),
        }
    };
    serde_json::to_string(&verification).unwrap_or_default()
}
