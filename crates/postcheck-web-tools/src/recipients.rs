//! The recipient list check of `/tools` (`#recipients`): a pasted list or spreadsheet column
//! is read and judged by the core (`postcheck_core::recipients`) in the browser; only the
//! distinct domains go to the gateway's `/api/dns`, 64 queries per request, one request after
//! the other. The addresses never leave the browser, and no mailbox is contacted. The gateway's
//! rate limit is waited out (its Retry-After, a few times per batch); a lookup the gateway still
//! could not make is "could not verify" for those domains, never "missing".

use leptos::prelude::*;
use postcheck_core::dns::{Answer, AnswerCache, Failure, Query};
use postcheck_core::findings::Severity;
use postcheck_core::messages::Lang;
use postcheck_core::recipients::{self, Column, ListReport};
use postcheck_web::i18n::use_lang;
use postcheck_web::report_view::FindingItem;
use postcheck_web::share::encode_component;
use postcheck_web::{api, browser};

use crate::w;

/// The most queries one `/api/dns` request carries (the gateway's batch limit).
const BATCH: usize = 64;
/// Rounds of lookups: MX, then the address records of domains without MX.
const MAX_ROUNDS: usize = 4;
/// The most problem rows shown; the CSV has them all.
const MAX_SHOWN: usize = 500;
/// How often one batch waits out the gateway's rate limit before its domains are "could not
/// verify": a long list takes its time rather than failing.
const RATE_LIMIT_WAITS: usize = 5;

#[derive(Debug, Clone)]
enum State {
    Idle,
    /// Lookups under way: answers received of those asked so far.
    Running(usize, usize),
    /// Waiting out the gateway's rate limit for this many seconds.
    Waiting(u32),
    Done(Box<ListReport>),
    /// The column asked for is not in the first line (its fields).
    NoColumn(Vec<String>),
}

/// The section.
#[component]
pub fn RecipientsTool() -> impl IntoView {
    let lang = use_lang();
    let text = RwSignal::new(String::new());
    let column = RwSignal::new(String::new());
    let state = RwSignal::new(State::Idle);
    let run = move |_| {
        let text = text.get();
        let column = match column.get().trim() {
            "" => Column::Any,
            given => match given.parse::<usize>() {
                Ok(number) if number > 0 => Column::Index(number - 1),
                _ => Column::Header(given.to_owned()),
            },
        };
        let (entries, skipped) = match recipients::read_list(&text, &column) {
            Ok(read) => read,
            Err(header) => return state.set(State::NoColumn(header)),
        };
        state.set(State::Running(0, 0));
        leptos::task::spawn_local(async move {
            let to_ascii = |name: &str| browser::to_ascii(name);
            let mut cache = AnswerCache::new();
            let (mut asked, mut answered) = (0, 0);
            for _ in 0..MAX_ROUNDS {
                let queries = match recipients::check(&entries, skipped, &cache, &to_ascii) {
                    Ok(report) => return state.set(State::Done(Box::new(report))),
                    Err(queries) => queries,
                };
                asked += queries.len();
                for batch in queries.chunks(BATCH) {
                    state.set(State::Running(answered, asked));
                    lookup(batch, &mut cache, |seconds| {
                        state.set(State::Waiting(seconds))
                    })
                    .await;
                    answered += batch.len();
                }
            }
            // Unreachable with answers for every query asked; judge what there is.
            if let Ok(report) = recipients::check(&entries, skipped, &cache, &to_ascii) {
                state.set(State::Done(Box::new(report)));
            }
        });
    };
    view! {
        <section class="tool" id="recipients" aria-labelledby="recipients-title">
            <h2 id="recipients-title">
                {move || w(lang.get(), "Empfängerliste prüfen", "Check a recipient list")}
            </h2>
            <label for="recipients-input">
                {move || w(
                    lang.get(),
                    "Fügen Sie die Adressen ein: eine pro Zeile, mehrere durch Komma oder Semikolon getrennt, oder Zeilen aus einer Tabelle",
                    "Paste the addresses: one per line, several separated by commas or semicolons, or rows of a spreadsheet",
                )}
            </label>
            <textarea
                id="recipients-input"
                rows="8"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <label for="recipients-column">
                {move || w(
                    lang.get(),
                    "Spalte einer Tabelle (Nummer oder Überschrift; leer: alle Adressen)",
                    "Spreadsheet column (number or heading; empty: every address)",
                )}
            </label>
            <input
                id="recipients-column"
                type="text"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || column.get()
                on:input=move |ev| column.set(event_target_value(&ev))
            />
            <p>
                <button
                    type="button"
                    class="check-recipients"
                    on:click=run
                    disabled=move || matches!(state.get(), State::Running(..) | State::Waiting(_))
                >
                    {move || w(lang.get(), "Prüfen", "Check")}
                </button>
            </p>
            <p class="hint">
                {move || w(
                    lang.get(),
                    "Nur die Domains werden per DNS abgefragt, jede einmal; die Adressen bleiben in Ihrem Browser. Kein Postfach wird angefragt: ob es eine Adresse bei einer gültigen Domain wirklich gibt, zeigt erst eine Unzustellbarkeitsmeldung.",
                    "Only the domains are looked up in DNS, each once; the addresses stay in your browser. No mailbox is contacted: whether an address at a valid domain really exists only a bounce tells.",
                )}
            </p>
            <div class="tool-result" aria-live="polite">
                {move || {
                    let lang = lang.get();
                    match state.get() {
                        State::Idle => ().into_any(),
                        State::Running(done, asked) => {
                            view! {
                                <p class="status">
                                    {format!(
                                        "{} {done} / {asked}",
                                        w(lang, "DNS-Abfragen:", "DNS lookups:"),
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        State::Waiting(seconds) => {
                            view! {
                                <p class="status">
                                    {format!(
                                        "{} {seconds} s",
                                        w(
                                            lang,
                                            "Die Prüfung wartet auf das Abfragelimit des Dienstes:",
                                            "The check waits for the service's rate limit:",
                                        ),
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                        State::NoColumn(header) => {
                            view! {
                                <p class="status error">
                                    {w(
                                        lang,
                                        "Diese Spalte steht nicht in der ersten Zeile. Vorhanden: ",
                                        "The first line has no such column. It has: ",
                                    )}{header.join(", ")}
                                </p>
                            }
                                .into_any()
                        }
                        State::Done(report) => report_view(&report, lang),
                    }
                }}
            </div>
        </section>
    }
}

/// Asks the gateway for one batch, waiting out its rate limit a few times (`waiting` hears
/// how long); a batch it could not answer is "could not verify".
async fn lookup(batch: &[Query], cache: &mut AnswerCache, waiting: impl Fn(u32)) {
    let mut result = api::dns(batch).await;
    for _ in 0..RATE_LIMIT_WAITS {
        match &result {
            Err(error) if error.code == "rate-limited" => {
                // As long as the gateway's Retry-After says (its period, 60 s), at most ten
                // minutes.
                let seconds = error.retry_after.unwrap_or(60).clamp(1, 600);
                waiting(seconds);
                crate::pause(i32::try_from(seconds).unwrap_or(600) * 1000).await;
                result = api::dns(batch).await;
            }
            _ => break,
        }
    }
    match result {
        Ok(answers) => {
            for query in batch {
                let answer = answers
                    .get(query)
                    .cloned()
                    .unwrap_or(Answer::failed(Failure::Error));
                cache.insert(query.clone(), answer);
            }
        }
        Err(_) => {
            for query in batch {
                cache.insert(query.clone(), Answer::failed(Failure::Error));
            }
        }
    }
}

/// The summary per code, the rows that need attention, and the whole list as CSV.
fn report_view(report: &ListReport, lang: Lang) -> AnyView {
    let summary: Vec<AnyView> = report
        .summary
        .iter()
        .map(|(code, count)| {
            view! {
                <tr data-code=code.as_str()>
                    <td>
                        <code>{code.as_str()}</code>
                    </td>
                    <td class="count">{count.to_string()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let problems: Vec<&recipients::Row> = report
        .rows
        .iter()
        .filter(|row| row.severity() > Severity::Ok)
        .collect();
    let more = problems.len().saturating_sub(MAX_SHOWN);
    let rows: Vec<AnyView> = problems
        .iter()
        .take(MAX_SHOWN)
        .map(|row| {
            let code = row.verdict().map(|f| f.code.as_str()).unwrap_or_default();
            let items: Vec<AnyView> = row
                .findings
                .iter()
                .map(|finding| {
                    view! { <FindingItem finding=finding.clone() lang=lang /> }.into_any()
                })
                .collect();
            view! {
                <tr
                    class="recipient"
                    data-line=row.line.to_string()
                    data-code=code
                    data-suggestion=row.suggestion.clone().unwrap_or_default()
                >
                    <td>{row.line.to_string()}</td>
                    <td>
                        <code>{row.input.clone()}</code>
                    </td>
                    <td>
                        <ul class="findings">{items}</ul>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let csv = format!(
        "data:text/csv;charset=utf-8,{}",
        encode_component(&recipients::to_csv(report, lang))
    );
    let ok = report.rows.len() - problems.len();
    view! {
        <p class="status">
            {format!(
                "{} {}, {} {ok}",
                report.rows.len(),
                w(lang, "Einträge", "entries"),
                w(lang, "ohne Befund:", "fine:"),
            )}
        </p>
        <table class="facts recipient-summary">
            <tbody>{summary}</tbody>
        </table>
        {(!rows.is_empty())
            .then(|| {
                view! {
                    <table class="facts recipient-rows">
                        <thead>
                            <tr>
                                <th scope="col">{w(lang, "Zeile", "Line")}</th>
                                <th scope="col">{w(lang, "Eingabe", "Entry")}</th>
                                <th scope="col">{w(lang, "Befund", "Findings")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            })}
        {(more > 0)
            .then(|| {
                view! {
                    <p class="hint">
                        {format!(
                            "{} {more}",
                            w(
                                lang,
                                "Weitere Einträge mit Befund in der CSV-Datei:",
                                "More entries with findings in the CSV file:",
                            ),
                        )}
                    </p>
                }
            })}
        <p>
            <a class="recipients-csv" href=csv download="recipients.csv">
                {w(lang, "Ergebnis als CSV herunterladen", "Download the result as CSV")}
            </a>
        </p>
    }
    .into_any()
}
