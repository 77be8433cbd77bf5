//! The SMTP settings check of `/tools` (`#smtp`): the server, port and encryption as they are
//! set in the customer's program go to the gateway's `/api/smtp`, which connects from
//! Cloudflare (ports 465 and 587 only) and answers the core's `smtp-*` findings. No password is
//! asked for on the web: the section says so and points to the program's own test button and
//! to `postcheck smtp --user` for the login.

use leptos::prelude::*;
use postcheck_core::findings::Finding;
use postcheck_core::messages::{self, Label, Lang, UiText, label};
use postcheck_core::smtp::dialogue::SessionReport;
use postcheck_core::smtp::explain::who_acts;
use postcheck_web::api;
use postcheck_web::i18n::use_lang;
use postcheck_web::report_view::FindingItem;
use serde::Deserialize;

use crate::w;

/// The gateway's answer to `/api/smtp`.
#[derive(Debug, Clone, Deserialize)]
struct Answer {
    host: String,
    port: u16,
    #[serde(default)]
    findings: Vec<Finding>,
    #[serde(default)]
    session: Option<SessionReport>,
    /// The host's address could not be looked up.
    #[serde(default)]
    could_not_verify: Option<String>,
}

#[derive(Debug, Clone)]
enum State {
    Idle,
    Running,
    Done(Box<Answer>),
    Failed(api::ApiError),
}

/// The encryption a port usually has: SSL/TLS on 465, STARTTLS otherwise.
fn usual_security(port: &str) -> &'static str {
    if port == "465" { "tls" } else { "starttls" }
}

/// The section: the form, the note on passwords, and the result.
#[component]
pub fn SmtpTool() -> impl IntoView {
    let lang = use_lang();
    let host = RwSignal::new(String::new());
    let port = RwSignal::new("587".to_owned());
    let security = RwSignal::new("starttls".to_owned());
    let state = RwSignal::new(State::Idle);
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let host = host.get().trim().trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() {
            return;
        }
        let port_number: u16 = port.get().parse().unwrap_or(587);
        let security = security.get();
        state.set(State::Running);
        leptos::task::spawn_local(async move {
            let next = match api::smtp(&host, port_number, &security).await {
                Ok(text) => match serde_json::from_str::<Answer>(&text) {
                    Ok(answer) => State::Done(Box::new(answer)),
                    Err(_) => State::Failed(api::ApiError {
                        code: "network".to_owned(),
                        message: "unreadable answer".to_owned(),
                        retry_after: None,
                    }),
                },
                Err(error) => State::Failed(error),
            };
            state.set(next);
        });
    };
    view! {
        <section class="tool" id="smtp" aria-labelledby="smtp-title">
            <h2 id="smtp-title">
                {move || w(
                    lang.get(),
                    "Postausgangsserver (SMTP) prüfen",
                    "Check the outgoing-mail (SMTP) settings",
                )}
            </h2>
            <p class="hint no-password">
                {move || w(
                    lang.get(),
                    "Ein Passwort wird hier nie abgefragt. Die Anmeldung prüfen Sie mit dem Test-Knopf Ihres Programms oder mit „postcheck smtp SERVER --user NAME --password-stdin“ auf Ihrem Rechner.",
                    "No password is ever asked for here. Test the login with your program's test button, or with \"postcheck smtp SERVER --user NAME --password-stdin\" on your computer.",
                )}
            </p>
            <form class="smtp-form" on:submit=run>
                <label for="smtp-host">
                    {move || w(lang.get(), "Postausgangsserver", "Outgoing server")}
                </label>
                <input
                    id="smtp-host"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="smtp.example.com"
                    prop:value=move || host.get()
                    on:input=move |ev| host.set(event_target_value(&ev))
                />
                <label for="smtp-port">"Port"</label>
                <select
                    id="smtp-port"
                    prop:value=move || port.get()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        security.set(usual_security(&value).to_owned());
                        port.set(value);
                    }
                >
                    <option value="587">"587"</option>
                    <option value="465">"465"</option>
                </select>
                <label for="smtp-security">
                    {move || w(lang.get(), "Verschlüsselung", "Encryption")}
                </label>
                <select
                    id="smtp-security"
                    prop:value=move || security.get()
                    on:change=move |ev| security.set(event_target_value(&ev))
                >
                    <option value="starttls">"STARTTLS"</option>
                    <option value="tls">"SSL/TLS"</option>
                    <option value="plain">{move || w(lang.get(), "keine", "none")}</option>
                </select>
                <button
                    type="submit"
                    class="check-smtp"
                    disabled=move || matches!(state.get(), State::Running)
                >
                    {move || w(lang.get(), "Prüfen", "Check")}
                </button>
            </form>
            <p class="hint">
                {move || w(
                    lang.get(),
                    "Port 25 kann hier nicht geprüft werden (Cloudflare erlaubt ihn nicht); für Programme sind 587 und 465 richtig.",
                    "Port 25 cannot be tested here (Cloudflare does not allow it); programs should use 587 or 465.",
                )}
            </p>
            <div class="tool-result" aria-live="polite">
                {move || {
                    let lang = lang.get();
                    match state.get() {
                        State::Idle => ().into_any(),
                        State::Running => {
                            view! {
                                <p class="status">{w(lang, "Verbinde …", "Connecting …")}</p>
                            }
                                .into_any()
                        }
                        State::Failed(error) => {
                            view! {
                                <p class="status error" data-code=error.code.clone()>
                                    {w(
                                        lang,
                                        "Die Prüfung ist nicht gelaufen: ",
                                        "The check did not run: ",
                                    )}
                                    {error.message}
                                </p>
                            }
                                .into_any()
                        }
                        State::Done(answer) => answer_view(*answer, lang),
                    }
                }}
            </div>
        </section>
    }
}

/// The findings with who acts, then what the session showed.
fn answer_view(answer: Answer, lang: Lang) -> AnyView {
    if let Some(reason) = answer.could_not_verify {
        return view! {
            <p class="status error" data-code="could-not-verify">
                {w(
                    lang,
                    "Nicht prüfbar: die Adresse des Servers konnte nicht abgefragt werden. ",
                    "Could not verify: the server's address could not be looked up. ",
                )}
                {reason}
            </p>
        }
        .into_any();
    }
    let items: Vec<AnyView> = answer
        .findings
        .into_iter()
        .map(|finding| {
            let actor = who_acts(finding.code).map(|actor| {
                view! {
                    <p class="who-acts">
                        <strong>{messages::ui(UiText::WhoActs, lang)}": "</strong>
                        {messages::actor(actor, lang)}
                    </p>
                }
            });
            view! {
                <div class="smtp-finding">
                    <ul class="findings">
                        <FindingItem finding=finding lang=lang />
                    </ul>
                    {actor}
                </div>
            }
            .into_any()
        })
        .collect();
    let facts = answer.session.map(|session| {
        let mechanisms = |offered: &[String]| {
            if offered.is_empty() {
                label(Label::NotOffered, lang).to_owned()
            } else {
                offered.join(" ")
            }
        };
        let encryption = match &session.tls {
            Some(tls) => tls.protocol.clone(),
            None => label(Label::NoEncryption, lang).to_owned(),
        };
        view! {
            <table class="facts smtp-facts">
                <tr>
                    <th scope="row">{label(Label::OutgoingServer, lang)}</th>
                    <td>
                        <code>{format!("{}:{}", answer.host, answer.port)}</code>
                    </td>
                </tr>
                <tr>
                    <th scope="row">{label(Label::Encryption, lang)}</th>
                    <td>{encryption}</td>
                </tr>
                {session
                    .capabilities_without_tls
                    .map(|c| {
                        view! {
                            <tr>
                                <th scope="row">{label(Label::AuthBeforeTls, lang)}</th>
                                <td>{mechanisms(&c.auth_mechanisms)}</td>
                            </tr>
                        }
                    })}
                {session
                    .capabilities_with_tls
                    .map(|c| {
                        view! {
                            <tr>
                                <th scope="row">{label(Label::AuthUnderTls, lang)}</th>
                                <td>{mechanisms(&c.auth_mechanisms)}</td>
                            </tr>
                        }
                    })}
                {session
                    .greeting
                    .map(|g| {
                        view! {
                            <tr>
                                <th scope="row">{label(Label::ServerSaid, lang)}</th>
                                <td>
                                    <code>{g.to_string()}</code>
                                </td>
                            </tr>
                        }
                    })}
            </table>
        }
    });
    view! {
        <div class="smtp-findings">{items}</div>
        {facts}
    }
    .into_any()
}
