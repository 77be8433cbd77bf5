//! Bounces in bulk on `/tools` (`#bounces`): many `.eml` files or an `.mbox`, chosen or
//! dropped, read in the browser by the core's `bounce::bulk` — one row per failed recipient,
//! the latest bounce deciding, a summary per category, typo suggestions, and the list as CSV.
//! Nothing is sent anywhere.

use leptos::prelude::*;
use postcheck_core::bounce::bulk::{self, BulkReport, Item};
use postcheck_core::headers::date::format_day;
use postcheck_core::messages::{self, Label, Lang, label};
use postcheck_web::i18n::use_lang;
use postcheck_web::share::encode_component;

use crate::w;

/// The most recipient rows shown; the CSV has them all.
const MAX_SHOWN: usize = 1000;

#[derive(Debug, Clone)]
enum State {
    Idle,
    Reading(usize),
    Done(Box<BulkReport>),
}

/// The bytes of every file of a list (an input's or a drop's).
async fn read_files(files: web_sys::FileList) -> Vec<Item> {
    let mut items = Vec::new();
    for index in 0..files.length() {
        let Some(file) = files.item(index) else {
            continue;
        };
        let Some(bytes) = crate::file_bytes(&file).await else {
            continue;
        };
        let name = file.name();
        let messages = bulk::split_mbox(&bytes);
        let several = messages.len() > 1;
        for (number, message) in messages.iter().enumerate() {
            let source = if several {
                format!("{name}#{}", number + 1)
            } else {
                name.clone()
            };
            items.push(bulk::read(source, message));
        }
    }
    items
}

/// The section.
#[component]
pub fn BulkBounces() -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(State::Idle);
    let start = move |files: web_sys::FileList| {
        state.set(State::Reading(files.length() as usize));
        leptos::task::spawn_local(async move {
            let items = read_files(files).await;
            state.set(State::Done(Box::new(bulk::summarize(items))));
        });
    };
    view! {
        <crate::FileDrop
            id="bounces"
            input="bounce-files"
            title=("Viele Unzustellbarkeitsmeldungen auf einmal", "Many bounces at once")
            label=(
                "Wählen Sie gespeicherte Meldungen (.eml) oder ein Postfach (.mbox), oder ziehen Sie sie hierher",
                "Choose saved notices (.eml) or a mailbox (.mbox), or drop them here",
            )
            accept=".eml,.mbox,.txt,.msg,message/rfc822"
            start=Callback::new(start)
        >
            {move || {
                let lang = lang.get();
                match state.get() {
                    State::Idle => ().into_any(),
                    State::Reading(files) => {
                        view! {
                            <p class="status">
                                {format!("{} {files}", w(lang, "Lese Dateien:", "Reading files:"))}
                            </p>
                        }
                            .into_any()
                    }
                    State::Done(report) => report_view(&report, lang),
                }
            }}
        </crate::FileDrop>
    }
}

fn report_view(report: &BulkReport, lang: Lang) -> AnyView {
    let rows: Vec<AnyView> = report
        .rows
        .iter()
        .take(MAX_SHOWN)
        .map(|row| {
            let meant = row.suggestion.as_ref().and_then(|suggestion| {
                row.recipient
                    .rsplit_once('@')
                    .map(|(local, _)| format!("{local}@{suggestion}"))
            });
            view! {
                <tr
                    class="bounced"
                    data-recipient=row.recipient.clone()
                    data-code=row.code.as_str()
                    data-suggestion=row.suggestion.clone().unwrap_or_default()
                >
                    <td>
                        <code>{row.recipient.clone()}</code>
                        {meant
                            .map(|meant| {
                                view! {
                                    <br />
                                    <span class="suggestion">
                                        {format!("{} {meant}?", w(lang, "Gemeint:", "Meant:"))}
                                    </span>
                                }
                            })}
                    </td>
                    <td>
                        <code>{row.code.as_str()}</code>
                    </td>
                    <td>{label(Label::permanence(row.permanence), lang)}</td>
                    <td>{row.status.clone().unwrap_or_default()}</td>
                    <td>{row.date.map(format_day).unwrap_or_default()}</td>
                    <td>{row.bounces.to_string()}</td>
                    <td>{messages::hint(row.code, lang).unwrap_or_default()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
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
    let csv = format!(
        "data:text/csv;charset=utf-8,{}",
        encode_component(&bulk::to_csv(report, lang))
    );
    view! {
        <p class="status">
            {format!("{} {}", report.rows.len(), w(lang, "Empfänger", "recipients"))}
            {(!report.without_recipient.is_empty())
                .then(|| {
                    format!(
                        "; {} {}",
                        report.without_recipient.len(),
                        w(
                            lang,
                            "Dateien ohne erkennbaren Empfänger",
                            "files without a recipient found",
                        ),
                    )
                })}
        </p>
        <table class="facts bounce-summary">
            <tbody>{summary}</tbody>
        </table>
        <table class="facts bounce-rows">
            <thead>
                <tr>
                    <th scope="col">{w(lang, "Empfänger", "Recipient")}</th>
                    <th scope="col">{w(lang, "Kategorie", "Category")}</th>
                    <th scope="col">{w(lang, "Art", "Kind")}</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">{w(lang, "Zuletzt", "Last")}</th>
                    <th scope="col">{w(lang, "Meldungen", "Bounces")}</th>
                    <th scope="col">{w(lang, "Was tun", "What to do")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p>
            <a class="bounces-csv" href=csv download="bounces.csv">
                {w(lang, "Liste als CSV herunterladen", "Download the list as CSV")}
            </a>
        </p>
    }
    .into_any()
}
