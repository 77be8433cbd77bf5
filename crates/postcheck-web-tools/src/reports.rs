//! The reports receivers send, on `/tools` (`#reports`): DMARC aggregate reports (`.xml`,
//! `.xml.gz`, `.zip`, or the whole mail), DMARC failure reports and SMTP TLS reports, chosen or
//! dropped, read in the browser by the reader module (`postcheck-web-reports`), which is
//! imported on first use. Per policy domain: whether it is ready for the next policy step, its
//! senders with a verdict each, its source IPs; TLS failures; what could not be read, file by
//! file; the source IPs as CSV. Nothing is sent anywhere.

use leptos::prelude::*;
use postcheck_core::findings::Finding;
use postcheck_core::messages::{self, Lang};
use postcheck_web::i18n::use_lang;
use postcheck_web::report_view::severity_class;
use postcheck_web::reports_view::{Domain, ReportsView};
use postcheck_web::share::encode_component;
use wasm_bindgen::prelude::*;

use crate::{check_link, w};

// The reader module is imported on first use (the same origin, so the page's CSP allows it).
#[wasm_bindgen(inline_js = "let reader;
export async function reports_reader() {
  if (!reader) {
    reader = await import('/tools/reports/postcheck_web_reports.js');
    await reader.default();
  }
  return new reader.Reader();
}")]
extern "C" {
    /// The reader module's `Reader` (see `postcheck-web-reports`).
    type ReportsReader;
    #[wasm_bindgen(catch)]
    async fn reports_reader() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method)]
    fn add(this: &ReportsReader, name: &str, bytes: &[u8]);
    #[wasm_bindgen(method)]
    fn view(this: &ReportsReader, profile: Option<String>) -> String;
    #[wasm_bindgen(method)]
    async fn look_up_names(this: &ReportsReader) -> JsValue;
}

#[derive(Debug, Clone)]
enum State {
    Idle,
    /// Reading file `done + 1` of `total`, called `name`.
    Reading {
        done: usize,
        total: usize,
        name: String,
    },
    Done(Box<ReportsView>),
    /// The reader module did not load, or answered nonsense.
    Broken,
}

/// Reads `files` one at a time into a new reader, saying how far it has come.
async fn read_all(files: web_sys::FileList, state: RwSignal<State>) -> Option<ReportsReader> {
    let reader: ReportsReader = reports_reader().await.ok()?.unchecked_into();
    let total = files.length() as usize;
    for index in 0..files.length() {
        let Some(file) = files.item(index) else {
            continue;
        };
        state.set(State::Reading {
            done: index as usize,
            total,
            name: file.name(),
        });
        // The browser paints the line before the file is read.
        crate::pause(0).await;
        reader.add(&file.name(), &crate::file_bytes(&file).await?);
    }
    Some(reader)
}

/// The merged view, or `Broken`; a vendor's sender profile in the page's address (`?profile=`,
/// as the check page takes it) names the vendor's mail.
fn shown(reader: &ReportsReader) -> State {
    serde_json::from_str::<ReportsView>(&reader.view(postcheck_web::browser::query("profile")))
        .map_or(State::Broken, |view| State::Done(Box::new(view)))
}

/// The section.
#[component]
pub fn ReportsTool() -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(State::Idle);
    let reader = StoredValue::new_local(None::<ReportsReader>);
    let start = move |files: web_sys::FileList| {
        leptos::task::spawn_local(async move {
            match read_all(files, state).await {
                Some(read) => {
                    state.set(shown(&read));
                    reader.set_value(Some(read));
                }
                None => state.set(State::Broken),
            }
        });
    };
    // Where the visitor asks: the servers of mail with no domain named by their PTR records
    // (their IP addresses go to the gateway's /api/dns; nothing else leaves the browser).
    let names = RwSignal::new(None::<bool>);
    let look_up = move |_| {
        names.set(Some(false));
        leptos::task::spawn_local(async move {
            let Some(current) = reader.with_value(|r| {
                r.as_ref().map(|r| {
                    AsRef::<JsValue>::as_ref(r)
                        .clone()
                        .unchecked_into::<ReportsReader>()
                })
            }) else {
                return;
            };
            let answered = current.look_up_names().await.as_bool().unwrap_or(false);
            if answered {
                state.set(shown(&current));
            }
            names.set(Some(answered));
        });
    };
    view! {
        <crate::FileDrop
            id="reports"
            input="report-files"
            title=("DMARC- und TLS-Berichte lesen", "Read DMARC and TLS reports")
            label=(
                "Wählen Sie die Berichte, die Empfänger Ihnen schicken (.xml, .gz, .zip, .json oder die ganze E-Mail), oder ziehen Sie sie hierher",
                "Choose the reports receivers send you (.xml, .gz, .zip, .json or the whole mail), or drop them here",
            )
            accept=".xml,.gz,.zip,.json,.eml,.txt,message/rfc822"
            start=Callback::new(start)
        >
            {move || {
                let lang = lang.get();
                match state.get() {
                    State::Idle => ().into_any(),
                    State::Reading { done, total, name } => {
                        view! {
                            <p class="status reading" data-done=done data-total=total>
                                {format!(
                                    "{} {} / {total}: {name}",
                                    w(lang, "Lese Datei", "Reading file"),
                                    done + 1,
                                )}
                            </p>
                        }
                            .into_any()
                    }
                    State::Done(view) => {
                        let unidentified = view
                            .domains
                            .iter()
                            .flat_map(|d| &d.senders)
                            .any(|sender| sender.name == "unidentified");
                        view! {
                            {unidentified
                                .then(|| {
                                    view! {
                                        <p class="look-up-names">
                                            <button
                                                type="button"
                                                class="look-up-names"
                                                on:click=look_up
                                                disabled=move || names.get() == Some(false)
                                            >
                                                {w(
                                                    lang,
                                                    "Server ohne Domain per PTR-Eintrag benennen",
                                                    "Name the servers without a domain by their PTR record",
                                                )}
                                            </button>
                                            " "
                                            {w(
                                                lang,
                                                "(schickt deren IP-Adressen an unseren DNS-Dienst)",
                                                "(sends their IP addresses to our DNS service)",
                                            )}
                                        </p>
                                    }
                                })}
                            {reports_view(&view, lang)}
                        }
                            .into_any()
                    }
                    State::Broken => {
                        view! {
                            <p class="failed sev-warning" role="alert">
                                {w(
                                    lang,
                                    "Das Lesemodul für Berichte konnte nicht geladen werden.",
                                    "The report reader could not be loaded.",
                                )}
                            </p>
                        }
                            .into_any()
                    }
                }
            }}
        </crate::FileDrop>
    }
}

/// A finding of the reports: message and what to do, its code in `data-code`.
fn said_view(finding: &Finding, lang: Lang) -> AnyView {
    view! {
        <div
            class=format!("said {}", severity_class(finding.severity))
            data-code=finding.code.as_str()
        >
            <p class="message">{messages::message(finding, lang)}</p>
            {messages::hint(finding.code, lang)
                .map(|hint| {
                    view! {
                        <p class="hint">
                            <strong>{w(lang, "Was zu tun ist: ", "What to do: ")}</strong>
                            {hint}
                        </p>
                    }
                })}
        </div>
    }
    .into_any()
}

fn domain_view(domain: &Domain, lang: Lang) -> AnyView {
    let senders: Vec<AnyView> = domain
        .senders
        .iter()
        .map(|sender| {
            view! {
                <tr
                    class="sender"
                    data-sender=sender.name.clone()
                    data-verdict=sender.verdict.clone()
                >
                    <td>{sender.name.clone()}</td>
                    <td>
                        <code>{sender.verdict.clone()}</code>
                    </td>
                    <td class="count">{sender.messages.to_string()}</td>
                    <td class="count">{sender.dmarc_pass.to_string()}</td>
                    <td>{sender.ips.join(", ")}</td>
                    <td>
                        {sender.finding.as_ref().map(|finding| said_view(finding, lang))}
                        {(sender.verdict == "legitimate-failing")
                            .then(|| sender.ips.first())
                            .flatten()
                            .map(|ip| {
                                let href = check_link(&domain.domain, Some(ip.clone()), None, lang);
                                view! {
                                    <a class="check-sender" href=href>
                                        {format!(
                                            "{} {} {ip}",
                                            w(lang, "Prüfen:", "Check:"),
                                            domain.domain,
                                        )}
                                    </a>
                                }
                            })}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let sources: Vec<AnyView> = domain
        .sources
        .iter()
        .map(|source| {
            view! {
                <tr class="source" data-ip=source.ip.clone()>
                    <td>
                        <code>{source.ip.clone()}</code>
                    </td>
                    <td>{source.sender.clone()}</td>
                    <td class="count">{source.messages.to_string()}</td>
                    <td class="count">{source.dmarc_pass.to_string()}</td>
                    <td class="count">{source.spf_aligned.to_string()}</td>
                    <td class="count">{source.dkim_aligned.to_string()}</td>
                    <td>{source.dispositions.clone()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let more = domain.sources_total.saturating_sub(domain.sources.len());
    let facts = format!(
        "p={} · {} {} · {} {} ({}){}",
        domain.policy,
        domain.messages,
        w(lang, "Nachrichten", "messages"),
        domain.reports,
        w(lang, "Berichte von", "reports from"),
        domain.reporters.join(", "),
        domain
            .period
            .as_ref()
            .map(|p| format!(" · {p}"))
            .unwrap_or_default(),
    );
    view! {
        <article class="report-domain" data-domain=domain.domain.clone()>
            <h3>{domain.domain.clone()}</h3>
            <p class="facts">{facts}</p>
            {domain.readiness.as_ref().map(|finding| said_view(finding, lang))}
            <table class="senders">
                <caption>{w(lang, "Absender", "Senders")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{w(lang, "Absender", "Sender")}</th>
                        <th scope="col">{w(lang, "Urteil", "Verdict")}</th>
                        <th scope="col">{w(lang, "Nachrichten", "Messages")}</th>
                        <th scope="col">"DMARC pass"</th>
                        <th scope="col">"IP"</th>
                        <th scope="col">{w(lang, "Was zu tun ist", "What to do")}</th>
                    </tr>
                </thead>
                <tbody>{senders}</tbody>
            </table>
            <table class="sources">
                <caption>{w(lang, "Quell-IP-Adressen", "Source IPs")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"IP"</th>
                        <th scope="col">{w(lang, "Absender", "Sender")}</th>
                        <th scope="col">{w(lang, "Nachrichten", "Messages")}</th>
                        <th scope="col">"DMARC pass"</th>
                        <th scope="col">{w(lang, "SPF ausgerichtet", "SPF aligned")}</th>
                        <th scope="col">{w(lang, "DKIM ausgerichtet", "DKIM aligned")}</th>
                        <th scope="col">{w(lang, "Behandlung", "Disposition")}</th>
                    </tr>
                </thead>
                <tbody>{sources}</tbody>
            </table>
            {(more > 0)
                .then(|| {
                    view! {
                        <p class="more">
                            {format!(
                                "{more} {}",
                                w(lang, "weitere in der CSV-Datei", "more in the CSV file"),
                            )}
                        </p>
                    }
                })}
        </article>
    }
    .into_any()
}

fn reports_view(view: &ReportsView, lang: Lang) -> AnyView {
    let status = format!(
        "{} {} ({} {}): {} {} ({} {}), {} {}, {} {}",
        view.files,
        w(lang, "Dateien", "files"),
        view.complete_files,
        w(lang, "ganz gelesen", "read completely"),
        view.aggregate_reports,
        w(lang, "Sammelberichte", "aggregate reports"),
        view.duplicates,
        w(lang, "doppelt", "duplicate"),
        view.failure_reports,
        w(lang, "Fehlerberichte", "failure reports"),
        view.tls_reports,
        w(lang, "TLS-Berichte", "TLS reports"),
    );
    let problems: Vec<AnyView> = view
        .problems
        .iter()
        .map(|problem| {
            view! {
                <li
                    class="problem"
                    data-file=problem.file.clone()
                    data-code=problem.finding.code.as_str()
                >
                    {messages::message(&problem.finding, lang)}
                </li>
            }
            .into_any()
        })
        .collect();
    let domains: Vec<AnyView> = view.domains.iter().map(|d| domain_view(d, lang)).collect();
    let tls: Vec<AnyView> = view
        .tls
        .iter()
        .map(|tls| {
            let list = |pairs: &[(String, u64)]| {
                pairs
                    .iter()
                    .map(|(name, count)| format!("{name}: {count}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            view! {
                <tr class="tls" data-domain=tls.domain.clone() data-failed=tls.failed>
                    <td>{tls.domain.clone()}</td>
                    <td class="count">{tls.successful.to_string()}</td>
                    <td class="count">{tls.failed.to_string()}</td>
                    <td>{list(&tls.by_result)}</td>
                    <td>{list(&tls.by_mx)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let other: Vec<AnyView> = view
        .other
        .iter()
        .map(|finding| said_view(finding, lang))
        .collect();
    let csv = format!(
        "data:text/csv;charset=utf-8,{}",
        encode_component(&view.csv)
    );
    view! {
        <p class="status">{status}</p>
        {(!problems.is_empty())
            .then(|| {
                view! {
                    <ul class="problems" role="alert">
                        {problems}
                    </ul>
                }
            })}
        {domains}
        {(!tls.is_empty())
            .then(|| {
                view! {
                    <table class="tls-reports">
                        <caption>{w(lang, "TLS-Berichte", "TLS reports")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Domain"</th>
                                <th scope="col">{w(lang, "Erfolgreich", "Successful")}</th>
                                <th scope="col">{w(lang, "Fehlgeschlagen", "Failed")}</th>
                                <th scope="col">{w(lang, "Nach Art", "By type")}</th>
                                <th scope="col">{w(lang, "Nach MX", "By MX")}</th>
                            </tr>
                        </thead>
                        <tbody>{tls}</tbody>
                    </table>
                }
            })}
        {other}
        <p>
            <a class="reports-csv" href=csv download="dmarc-sources.csv">
                {w(lang, "Quell-IP-Adressen als CSV", "Source IPs as CSV")}
            </a>
        </p>
    }
    .into_any()
}
