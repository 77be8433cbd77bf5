//! postcheck's bounce and header page (`/tools`): a pasted bounce or message headers are
//! analysed by the core in the browser — nothing pasted is sent anywhere — and each result links
//! to the check that addresses it; the recipient list check (`recipients.rs`), which looks up
//! only the domains; and the SMTP settings check (`smtp.rs`), which asks the gateway to connect
//! to the server named. A wasm module of its own, so the check page stays small. The
//! DKIM verifier of a whole pasted message is a third module (`postcheck-web-dkim`), imported
//! only when asked for.

use leptos::prelude::*;
use postcheck_core::bounce::{self, NextCheck};
use postcheck_core::headers;
use postcheck_core::messages::{Label, Lang, label};
use postcheck_web::dkim_result::Verification;
use postcheck_web::i18n::{LangSwitch, T, provide_lang, t, use_lang};
use postcheck_web::report_view::FindingItem;
use postcheck_web::share::encode_component;
use wasm_bindgen::prelude::*;

mod bulk;
mod recipients;
mod reports;
mod smtp;
mod test_mail;

// The verifier module is imported on first use (the same origin, so the page's CSP allows it).
#[wasm_bindgen(inline_js = "export async function verify_dkim(raw) {
  const verifier = await import('/tools/dkim/postcheck_web_dkim.js');
  await verifier.default();
  return verifier.verify_message(raw);
}")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn verify_dkim(raw: &str) -> Result<JsValue, JsValue>;
}

/// Where the verification of a pasted message stands.
#[derive(Debug, Clone)]
enum DkimState {
    Idle,
    Running,
    Done(Verification),
    /// The module did not load or answered nonsense.
    Broken,
}

/// Resolves after `ms` milliseconds (0: once the browser has had its turn, so it can paint).
pub(crate) async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A tool that reads files: its section is the drop zone, and the files chosen with its input
/// or dropped on it go to `start`; `children` is the result below (announced as it changes).
#[component]
pub(crate) fn FileDrop(
    /// The section's id (the page's anchor); its heading is `<id>-title`.
    id: &'static str,
    /// The file input's id.
    input: &'static str,
    title: (&'static str, &'static str),
    label: (&'static str, &'static str),
    /// The `accept` list of the file input.
    accept: &'static str,
    start: Callback<web_sys::FileList>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let chosen = move |ev: leptos::ev::Event| {
        let files = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files());
        if let Some(files) = files {
            start.run(files);
        }
    };
    let dropped = move |ev: leptos::ev::DragEvent| {
        // The browser's own handling of a drop (opening the file) is prevented.
        ev.prevent_default();
        if let Some(files) = ev.data_transfer().and_then(|transfer| transfer.files()) {
            start.run(files);
        }
    };
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <section
            class="tool drop-zone"
            id=id
            aria-labelledby=labelled_by
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=dropped
        >
            <h2 id=title_id>{move || w(lang.get(), title.0, title.1)}</h2>
            <label for=input>{move || w(lang.get(), label.0, label.1)}</label>
            <input id=input type="file" multiple accept=accept on:change=chosen />
            <div class="tool-result" aria-live="polite">
                {children()}
            </div>
        </section>
    }
}

/// The bytes of a chosen or dropped file, or `None` when the browser cannot read it.
pub(crate) async fn file_bytes(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The page's own words; the labels it shares with `postcheck bounce` and `postcheck headers`
/// come from [`label`].
pub(crate) fn w(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::De { de } else { en }
}

/// A link to the check page, pre-filled.
pub(crate) fn check_link(
    domain: &str,
    ip: Option<String>,
    selector: Option<&str>,
    lang: Lang,
) -> String {
    let mut url = format!("/?d={}", encode_component(domain));
    if let Some(ip) = ip {
        url.push_str(&format!("&ip={}", encode_component(&ip)));
    }
    if let Some(selector) = selector {
        url.push_str(&format!("&sel={}", encode_component(selector)));
    }
    url.push_str(&format!("&lang={}", lang.as_str()));
    url
}

fn fact(label: &'static str, value: Option<String>) -> Option<AnyView> {
    value.filter(|v| !v.is_empty()).map(|value| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td>
                    <code>{value}</code>
                </td>
            </tr>
        }
        .into_any()
    })
}

/// A titled text field whose content `analyze` turns into a result view as it is typed.
#[component]
fn PasteTool(
    id: &'static str,
    title: (&'static str, &'static str),
    label: (&'static str, &'static str),
    analyze: fn(&str, Lang) -> AnyView,
) -> impl IntoView {
    let lang = use_lang();
    let text = RwSignal::new(String::new());
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let input_id = format!("{id}-input");
    let input_for = input_id.clone();
    view! {
        <section class="tool" id=id aria-labelledby=labelled_by>
            <h2 id=title_id>{move || w(lang.get(), title.0, title.1)}</h2>
            <label for=input_for>{move || w(lang.get(), label.0, label.1)}</label>
            <textarea
                id=input_id
                rows="8"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            {move || {
                let pasted = text.get();
                if pasted.trim().is_empty() { ().into_any() } else { analyze(&pasted, lang.get()) }
            }}
        </section>
    }
}

/// The explanation of a pasted bounce.
fn bounce_view(pasted: &str, lang: Lang) -> AnyView {
    let result = bounce::analyze(pasted);
    let kind = label(Label::permanence(result.permanence), lang);
    let next = match &result.next_check {
        NextCheck::Domain { domain } => Some((
            format!("{} {domain}", w(lang, "Prüfen:", "Check:")),
            check_link(domain, None, None, lang),
        )),
        NextCheck::Server { ip, domain } => domain.as_ref().map(|domain| {
            (
                format!("{} {domain} / {ip}", w(lang, "Prüfen:", "Check:")),
                check_link(domain, Some(ip.to_string()), None, lang),
            )
        }),
        NextCheck::None => None,
    };
    view! {
        <div class="tool-result" aria-live="polite">
            <ul class="findings">
                <FindingItem finding=result.finding.clone() lang=lang />
            </ul>
            <table class="facts">
                {fact(label(Label::Kind, lang), Some(kind.to_owned()))}
                {fact(label(Label::ReplyCode, lang), result.reply_code.map(|c| c.to_string()))}
                {fact(label(Label::StatusCode, lang), result.status.map(|s| s.to_string()))}
                {fact(label(Label::Recipient, lang), result.recipient.clone())}
                {fact(label(Label::RemoteServer, lang), result.remote_server.clone())}
                {fact(label(Label::SenderDomain, lang), result.sender_domain.clone())}
                {fact(label(Label::IpAddress, lang), result.ip.map(|ip| ip.to_string()))}
                {fact(label(Label::Recognised, lang), result.provider.map(str::to_owned))}
                {fact(label(Label::ServerSaid, lang), result.diagnostic.clone())}
            </table>
            {next
                .map(|(label, href)| {
                    view! {
                        <p>
                            <a class="next-check" href=href>
                                {label}
                            </a>
                        </p>
                    }
                })}
        </div>
    }
    .into_any()
}

/// Verifies a whole pasted message's DKIM signatures on request: loads the verifier module, which
/// asks the gateway for the keys (nothing else leaves the browser).
#[component]
fn DkimVerify(raw: String, lang: Lang) -> impl IntoView {
    let state = RwSignal::new(DkimState::Idle);
    let raw = StoredValue::new(raw);
    let run = move |_| {
        state.set(DkimState::Running);
        leptos::task::spawn_local(async move {
            let answer = verify_dkim(&raw.get_value()).await;
            let next = answer
                .ok()
                .and_then(|value| value.as_string())
                .and_then(|json| serde_json::from_str::<Verification>(&json).ok())
                .map_or(DkimState::Broken, DkimState::Done);
            state.set(next);
        });
    };
    view! {
        <div class="dkim-verify">
            <button
                type="button"
                class="verify-dkim"
                on:click=run
                disabled=move || matches!(state.get(), DkimState::Running)
            >
                {w(lang, "Signaturen prüfen", "Verify the signatures")}
            </button>
            <p class="hint">
                {w(
                    lang,
                    "Dafür werden nur die öffentlichen Schlüssel per DNS abgefragt; die Nachricht bleibt in Ihrem Browser.",
                    "This only looks up the public keys in DNS; the message stays in your browser.",
                )}
            </p>
            <div aria-live="polite">
                {move || match state.get() {
                    DkimState::Idle => ().into_any(),
                    DkimState::Running => {
                        view! { <p class="status">{w(lang, "Prüfe …", "Checking …")}</p> }
                            .into_any()
                    }
                    DkimState::Broken => {
                        view! {
                            <p class="status error">
                                {w(
                                    lang,
                                    "Die Prüfung konnte nicht geladen werden. Laden Sie die Seite neu und versuchen Sie es noch einmal.",
                                    "The verifier could not be loaded. Reload the page and try again.",
                                )}
                            </p>
                        }
                            .into_any()
                    }
                    DkimState::Done(Verification::Unavailable(error)) => {
                        view! {
                            <p class="status error" data-code=error.code>
                                {w(
                                    lang,
                                    "Die Schlüssel konnten nicht abgefragt werden, die Signaturen sind nicht geprüft: ",
                                    "The keys could not be looked up; the signatures are not verified: ",
                                )}
                                {error.message}
                            </p>
                        }
                            .into_any()
                    }
                    DkimState::Done(Verification::Checked(checks)) => {
                        let findings: Vec<AnyView> = checks
                            .iter()
                            .flat_map(|check| check.findings.clone())
                            .map(|finding| {
                                view! { <FindingItem finding=finding lang=lang /> }.into_any()
                            })
                            .collect();
                        let rows: Vec<AnyView> = checks
                            .into_iter()
                            .map(|check| {
                                view! {
                                    <tr
                                        class="dkim-result"
                                        data-d=check.domain.clone()
                                        data-result=check.result.clone()
                                    >
                                        <td>
                                            <code>
                                                {format!("d={} s={}", check.domain, check.selector)}
                                            </code>
                                        </td>
                                        <td>
                                            <strong>{check.result.clone()}</strong>
                                        </td>
                                        <td>
                                            {label(Label::dkim_result(&check.result), lang)}
                                            {check
                                                .reason
                                                .map(|r| format!(" ({r})"))
                                                .unwrap_or_default()}
                                        </td>
                                    </tr>
                                }
                                    .into_any()
                            })
                            .collect();
                        view! {
                            <table class="facts dkim-results">
                                <tbody>{rows}</tbody>
                            </table>
                            {(!findings.is_empty())
                                .then(|| {
                                    view! { <ul class="findings dkim-findings">{findings}</ul> }
                                })}
                        }
                            .into_any()
                    }
                }}
            </div>
        </div>
    }
}

/// Says that a section found nothing, rather than showing an empty table.
fn none_found(empty: bool, lang: Lang) -> Option<AnyView> {
    empty.then(|| view! { <p class="none">{label(Label::NoneFound, lang)}</p> }.into_any())
}

/// What pasted headers say.
fn headers_view(pasted: &str, lang: Lang) -> AnyView {
    let report = headers::analyze(pasted);
    let results: Vec<AnyView> = report
        .authentication_results
        .iter()
        .flat_map(|ar| {
            ar.results.iter().map(move |r| {
                view! {
                    <tr data-method=r.method.clone() data-result=r.result.clone()>
                        <td>{ar.authserv_id.clone()}</td>
                        <td>{r.method.clone()}</td>
                        <td>
                            <strong>{r.result.clone()}</strong>
                        </td>
                        <td>{r.reason.clone().unwrap_or_default()}</td>
                    </tr>
                }
                .into_any()
            })
        })
        .collect();
    let signatures: Vec<AnyView> = report
        .dkim_signatures
        .iter()
        .zip(&report.dkim_alignment)
        .map(|(s, (_, a))| {
            let href = check_link(&s.domain, None, Some(&s.selector), lang);
            view! {
                <li class="signature" data-d=s.domain.clone() data-s=s.selector.clone()>
                    <code>{format!("d={} s={}", s.domain, s.selector)}</code>
                    " – "
                    {label(Label::alignment(*a), lang)}
                    " "
                    <a class="check-selector" href=href>
                        {label(Label::CheckTheKey, lang)}
                    </a>
                </li>
            }
            .into_any()
        })
        .collect();
    let hops: Vec<AnyView> = report
        .hops
        .iter()
        .enumerate()
        .map(|(i, hop)| {
            view! {
                <tr>
                    <td>{(i + 1).to_string()}</td>
                    <td>
                        <code>{hop.from.clone().unwrap_or_else(|| "?".into())}</code>
                    </td>
                    <td>
                        <code>{hop.by.clone().unwrap_or_else(|| "?".into())}</code>
                    </td>
                    <td class="delay">
                        {hop.delay.map(|d| format!("+{d} s")).unwrap_or_default()}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect();
    view! {
        <div class="tool-result" aria-live="polite">
            <h3>{label(Label::AuthenticationResults, lang)}</h3>
            {none_found(results.is_empty(), lang)}
            <table class="facts">
                <tbody>{results}</tbody>
            </table>
            <h3>{label(Label::Sender, lang)}</h3>
            <table class="facts">
                {fact("From", report.from_domain.clone())}
                {fact("Return-Path", report.return_path_domain.clone())}
                {fact(
                    label(Label::SpfAlignment, lang),
                    report.spf_alignment.map(|a| label(Label::alignment(a), lang).to_owned()),
                )}
            </table>
            <h3>{label(Label::DkimSignatures, lang)}</h3>
            {none_found(signatures.is_empty(), lang)}
            <ul class="signatures">{signatures}</ul>
            {(report.whole_message && !report.dkim_signatures.is_empty())
                .then(|| view! { <DkimVerify raw=pasted.to_owned() lang=lang /> })}
            <h3>{label(Label::Route, lang)}</h3>
            {none_found(hops.is_empty(), lang)}
            <table class="facts hops">
                <tbody>{hops}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The page: language switch, both tools, the privacy note.
#[component]
pub fn Tools() -> impl IntoView {
    let lang = provide_lang();
    view! {
        <header class="site">
            <h1>
                <a href=move || {
                    format!("/?lang={}", lang.get().as_str())
                }>{move || t(T::Title, lang.get())}</a>
            </h1>
            <LangSwitch />
        </header>
        <main id="main">
            <p class="privacy">
                {move || w(
                    lang.get(),
                    "Was Sie hier einfügen, bleibt in Ihrem Browser: es wird nirgendwohin gesendet. Nur wenn Sie DKIM-Signaturen prüfen lassen, werden deren Schlüssel per DNS abgefragt; die Empfängerprüfung fragt nur die Domains ab; die SMTP-Prüfung verbindet sich von unserem Dienst aus mit dem Server, den Sie nennen.",
                    "What you paste here stays in your browser: it is sent nowhere. Only when you have DKIM signatures verified are their keys looked up in DNS; the recipient check looks up only the domains; the SMTP check connects to the server you name from our service.",
                )}
            </p>
            <PasteTool
                id="bounce"
                analyze=bounce_view
                title=("Unzustellbarkeitsmeldung erklären", "Explain a bounce")
                label=(
                    "Fügen Sie die Fehlermeldung ein, die Sie erhalten haben",
                    "Paste the error message you received",
                )
            />
            <PasteTool
                id="headers"
                analyze=headers_view
                title=("Kopfzeilen einer E-Mail lesen", "Read a message's headers")
                label=(
                    "Fügen Sie die Kopfzeilen (oder die ganze Nachricht) ein",
                    "Paste the headers (or the whole message)",
                )
            />
            <bulk::BulkBounces />
            <recipients::RecipientsTool />
            <smtp::SmtpTool />
            <reports::ReportsTool />
            <test_mail::TestMailTool />
        </main>
    }
}

/// Mounts the page (called by `tools-boot.js`).
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(Tools);
}
