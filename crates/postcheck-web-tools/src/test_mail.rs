//! "Send a test mail" on `/tools` (`#test-mail`): the gateway hands out a test address
//! (`POST /api/test-address`), the page shows it with a copy button and asks, with a growing
//! pause, whether its message came (`GET /api/test-address/<token>`); then it shows how the
//! message was judged: the IP that delivered it, the DKIM signatures as verified, and a link
//! that opens the report of its From domain with that IP on the check page — a normal report,
//! shareable like the others (`#s=`: the signed snapshot; `/tools` does not carry the report
//! planner). Nothing but the address's token is sent.

use leptos::prelude::*;
use postcheck_core::messages::Lang;
use postcheck_core::received::{DmarcOutcome, MessageDmarc, Received};
use postcheck_web::api::{self, ApiError};
use postcheck_web::dkim_result::Checked;
use postcheck_web::i18n::use_lang;
use postcheck_web::report_view::{CopyButton, FindingItem};
use postcheck_web::{browser, share};

use crate::w;

/// The first pause before asking again, and the longest one, in milliseconds.
const FIRST_PAUSE: i32 = 2000;
const LONGEST_PAUSE: i32 = 15_000;
/// How long the page asks: the address waits an hour.
const GIVE_UP_AFTER_MS: i32 = 3_600_000;

/// The message's verdict as the page shows it.
#[derive(Debug, Clone)]
struct Verdict {
    message: Received,
    dkim: Vec<Checked>,
    /// How DMARC judged it, where the report was whole.
    dmarc: Option<MessageDmarc>,
    /// The domain the report is about.
    domain: Option<String>,
    /// The fragment that opens the report on the check page (`#s=…`).
    link: Option<String>,
}

#[derive(Debug, Clone)]
enum State {
    Idle,
    Creating,
    Waiting { address: String },
    Received(Box<Verdict>),
    Expired,
    Failed(ApiError),
}

/// The result's JSON as the page shows it; the report completed through the gateway when the
/// email handler's invocation left it partial.
async fn verdict(mut result: serde_json::Value) -> Verdict {
    let message: Received =
        serde_json::from_value(result["message"].take()).unwrap_or_else(|_| Received::read("", ""));
    let dkim: Vec<Checked> = serde_json::from_value(result["dkim"].take()).unwrap_or_default();
    let dmarc: Option<MessageDmarc> = serde_json::from_value(result["dmarc"].take()).ok();
    let signed = match result["report"].take() {
        serde_json::Value::Null => None,
        answer => api::finish_report(200, answer.to_string(), |_| {})
            .await
            .ok(),
    };
    let domain = signed.as_ref().map(|signed| signed.input.domain.clone());
    let link = match signed {
        Some(signed) => browser::deflate(&share::snapshot_json(&signed))
            .await
            .and_then(|packed| browser::base64url(&packed))
            .map(|encoded| format!("#s={encoded}")),
        None => None,
    };
    Verdict {
        message,
        dkim,
        dmarc,
        domain,
        link,
    }
}

/// Creates an address and waits for its message.
async fn run(state: RwSignal<State>) {
    state.set(State::Creating);
    // A vendor's sender profile in the address (`?profile=`, as the widget links here).
    let profile = browser::query("profile");
    let (token, address) = match api::test_address(profile.as_deref()).await {
        Ok(created) => created,
        Err(error) => return state.set(State::Failed(error)),
    };
    state.set(State::Waiting { address });
    let mut waited = 0;
    let mut next = FIRST_PAUSE;
    while waited < GIVE_UP_AFTER_MS {
        crate::pause(next).await;
        waited += next;
        next = (next * 3 / 2).min(LONGEST_PAUSE);
        match api::test_result(&token).await {
            Ok(Some(result)) => return state.set(State::Received(Box::new(verdict(result).await))),
            Ok(None) => {}
            Err(error) if error.code == "test-address-unknown" => break,
            // A network hiccup or the rate limit: ask again after the next pause.
            Err(_) => {}
        }
    }
    state.set(State::Expired);
}

/// The section.
#[component]
pub fn TestMailTool() -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(State::Idle);
    let start = move |_| leptos::task::spawn_local(run(state));
    view! {
        <section class="tool" id="test-mail" aria-labelledby="test-mail-title">
            <h2 id="test-mail-title">
                {move || w(lang.get(), "Testmail senden", "Send a test mail")}
            </h2>
            <p class="hint">
                {move || w(
                    lang.get(),
                    "Senden Sie aus Ihrem Programm eine E-Mail an eine Testadresse: Sie sehen, von welchem Server sie kam, ob ihre DKIM-Signatur stimmt und ob SPF und DMARC sie durchlassen. Gespeichert wird nur das Ergebnis, 24 Stunden lang, nie die E-Mail selbst.",
                    "Send a mail from your program to a test address: you see which server it came from, whether its DKIM signature verifies, and whether SPF and DMARC let it through. Only the result is kept, for 24 hours, never the mail itself.",
                )}
            </p>
            <button
                type="button"
                class="create-test-address"
                on:click=start
                disabled=move || matches!(state.get(), State::Creating | State::Waiting { .. })
            >
                {move || w(lang.get(), "Testadresse anlegen", "Create a test address")}
            </button>
            <div class="tool-result" aria-live="polite">
                {move || {
                    let lang = lang.get();
                    match state.get() {
                        State::Idle => ().into_any(),
                        State::Creating => {
                            view! { <p class="status">{w(lang, "Lege an …", "Creating …")}</p> }
                                .into_any()
                        }
                        State::Waiting { address } => {
                            view! {
                                <p class="test-address">
                                    <code>{address.clone()}</code>
                                    " "
                                    <CopyButton
                                        text=address
                                        label=w(lang, "Kopieren", "Copy")
                                        done=w(lang, "Kopiert", "Copied")
                                    />
                                </p>
                                <p class="status waiting">
                                    {w(
                                        lang,
                                        "Warte auf Ihre E-Mail (die Adresse gilt eine Stunde) …",
                                        "Waiting for your mail (the address is valid for an hour) …",
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        State::Received(verdict) => verdict_view(&verdict, lang),
                        State::Expired => {
                            view! {
                                <p class="status">
                                    {w(
                                        lang,
                                        "Es kam keine E-Mail; die Adresse ist abgelaufen.",
                                        "No mail came; the address has expired.",
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        State::Failed(error) => {
                            view! {
                                <p class="status error" data-code=error.code.clone()>
                                    {w(
                                        lang,
                                        "Die Testadresse ist nicht verfügbar: ",
                                        "The test address is not available: ",
                                    )}
                                    {error.message.clone()}
                                </p>
                            }
                                .into_any()
                        }
                    }
                }}
            </div>
        </section>
    }
}

fn verdict_view(verdict: &Verdict, lang: Lang) -> AnyView {
    let message = &verdict.message;
    let fact = |label: &'static str, value: Option<String>| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td>
                    <code>{value.unwrap_or_else(|| "—".to_owned())}</code>
                </td>
            </tr>
        }
    };
    let signatures: Vec<AnyView> = verdict
        .dkim
        .iter()
        .map(|check| {
            let findings: Vec<AnyView> = check
                .findings
                .iter()
                .cloned()
                .map(|finding| view! { <FindingItem finding=finding lang=lang /> }.into_any())
                .collect();
            view! {
                <li
                    class="signature"
                    data-domain=check.domain.clone()
                    data-result=check.result.clone()
                >
                    <code>{format!("d={} s={}", check.domain, check.selector)}</code>
                    ": "
                    <strong>{check.result.clone()}</strong>
                    {check.reason.clone().map(|reason| format!(" ({reason})"))}
                    {(!findings.is_empty()).then(|| view! { <ul class="findings">{findings}</ul> })}
                </li>
            }
            .into_any()
        })
        .collect();
    let unsigned = signatures.is_empty();
    view! {
        <div class="test-mail-result">
            <table class="facts">
                {fact(
                    w(lang, "Zugestellt von", "Delivered by"),
                    message.ip.map(|ip| ip.to_string()),
                )}
                {fact(
                    w(lang, "Absender (Umschlag)", "Sender (envelope)"),
                    Some(message.envelope_from.clone()).filter(|s| !s.is_empty()),
                )}
                {fact(
                    w(lang, "Absender-Domain (From)", "From domain"),
                    message.header_from.clone(),
                )}
            </table>
            {verdict
                .dmarc
                .clone()
                .map(|dmarc| dmarc_view(
                    &dmarc,
                    verdict.message.envelope_domain().unwrap_or_default(),
                    lang,
                ))}
            <h3>"DKIM"</h3>
            {if unsigned {
                view! {
                    <p class="unsigned">
                        {w(
                            lang,
                            "Die E-Mail war nicht DKIM-signiert.",
                            "The mail was not DKIM-signed.",
                        )}
                    </p>
                }
                    .into_any()
            } else {
                view! { <ul class="signatures">{signatures}</ul> }.into_any()
            }}
            {verdict
                .link
                .clone()
                .map(|link| {
                    view! {
                        <p>
                            <a
                                class="test-mail-report"
                                href=format!("/?lang={}{link}", lang.as_str())
                            >
                                {format!(
                                    "{} {} {}",
                                    w(lang, "Den Bericht für", "The report of"),
                                    verdict.domain.clone().unwrap_or_default(),
                                    w(
                                        lang,
                                        "mit dieser IP-Adresse öffnen: SPF, DMARC, PTR, Sperrlisten (zum Weitergeben)",
                                        "with this IP address: SPF, DMARC, PTR, blocklists (to share it)",
                                    ),
                                )}
                            </a>
                        </p>
                    }
                })}
        </div>
    }
    .into_any()
}

/// What DMARC made of the message, in words.
fn dmarc_view(dmarc: &MessageDmarc, envelope: &str, lang: Lang) -> AnyView {
    let policy = dmarc.policy.map(|p| p.as_str()).unwrap_or("none");
    let text = match dmarc.outcome {
        DmarcOutcome::Pass => match &dmarc.dkim_aligned {
            Some(d) => format!(
                "{} {d}",
                w(
                    lang,
                    "DMARC bestanden: ausgerichtete DKIM-Signatur von",
                    "DMARC passed: aligned DKIM signature of"
                )
            ),
            None => w(
                lang,
                "DMARC bestanden: SPF hat für die Absender-Domain bestanden.",
                "DMARC passed: SPF passed for the From domain.",
            )
            .to_owned(),
        },
        DmarcOutcome::Fail => format!(
            "{} (p={policy}). {}",
            w(
                lang,
                "DMARC nicht bestanden: weder eine ausgerichtete DKIM-Signatur noch ein ausgerichtetes SPF",
                "DMARC failed: neither an aligned DKIM signature nor an aligned SPF pass",
            ),
            match policy {
                "reject" => w(
                    lang,
                    "Empfänger lehnen diese E-Mail ab.",
                    "Receivers refuse this mail."
                ),
                "quarantine" => w(
                    lang,
                    "Empfänger legen sie in den Spam-Ordner.",
                    "Receivers put it in the spam folder.",
                ),
                _ => w(
                    lang,
                    "Empfänger stellen sie trotzdem zu, die Berichte nennen den Fehler.",
                    "Receivers deliver it anyway; the reports name the failure.",
                ),
            }
        ),
        DmarcOutcome::Unknown => format!(
            "{} {envelope} {}",
            w(
                lang,
                "DMARC hier nicht entschieden: SPF wurde nicht für die Umschlag-Domain",
                "DMARC not decided here: SPF was not checked for the envelope domain"
            ),
            w(
                lang,
                "geprüft, und keine ausgerichtete DKIM-Signatur hat bestanden.",
                "and no aligned DKIM signature passed."
            ),
        ),
        DmarcOutcome::NoPolicy => w(
            lang,
            "Die Absender-Domain veröffentlicht keine DMARC-Richtlinie.",
            "The From domain publishes no DMARC policy.",
        )
        .to_owned(),
    };
    let outcome = match dmarc.outcome {
        DmarcOutcome::Pass => "pass",
        DmarcOutcome::Fail => "fail",
        DmarcOutcome::Unknown => "unknown",
        DmarcOutcome::NoPolicy => "no-policy",
    };
    view! {
        <p class="dmarc" data-outcome=outcome>
            {text}
        </p>
    }
    .into_any()
}
