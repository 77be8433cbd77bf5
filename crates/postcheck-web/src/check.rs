//! The check page: the form (domain, email or URL; IPs and selectors behind "more options"),
//! progress while the one request runs, then the report computed in the browser from the
//! signed snapshot; and the same report opened from a snapshot link, with no DNS at all.

use crate::api;
use crate::browser;
use crate::i18n::{T, t, use_lang};
use crate::report_view::{Actions, CopyButton, Sections, severity_class};
use crate::share::{self, Inputs};
use leptos::prelude::*;
use leptos::task::spawn_local;
use postcheck_core::messages::{self, Lang};
use postcheck_core::report::{Report, SignedSnapshot};
use std::sync::Arc;

/// A report on screen and where it came from.
#[derive(Debug, Clone)]
pub struct Shown {
    pub inputs: Inputs,
    pub signed: Arc<SignedSnapshot>,
    pub report: Arc<Report>,
    /// Opened from a snapshot link (then the signature is checked with the gateway).
    pub from_link: bool,
    /// The gateway's word on a linked snapshot's signature (`None` while it is asked, or
    /// for a report of the page's own check). Asked once, when the report is first shown.
    pub signature: ArcRwSignal<Option<bool>>,
}

/// Where the page is.
#[derive(Debug, Clone)]
pub enum Status {
    Idle,
    /// A check under way: the domain, and the answers received so far when the gateway hands
    /// the report out in parts (0 before the first part).
    Running(String, usize),
    /// What went wrong, in the page's words, and the gateway's error code when it gave one
    /// (shown as is: support staff search for it).
    Failed(T, Option<String>),
    Shown(Box<Shown>),
}

/// Builds what to show from a signed snapshot; `None` when it does not hold the whole report.
pub fn shown(inputs: Inputs, signed: SignedSnapshot, from_link: bool) -> Option<Shown> {
    let report = signed.report().ok()?;
    let signed = Arc::new(signed);
    let signature = ArcRwSignal::new(None);
    if from_link {
        let (signed, signature) = (signed.clone(), signature.clone());
        spawn_local(async move {
            if let Ok(valid) = api::verify(&signed).await {
                signature.set(Some(valid));
            }
        });
    }
    Some(Shown {
        inputs,
        signed,
        report: Arc::new(report),
        from_link,
        signature,
    })
}

/// A gateway error as the page says it: the network, too many checks, or a refusal; the code
/// stays visible.
pub fn failed(err: &api::ApiError) -> Status {
    let reason = match err.code.as_str() {
        "network" => T::ServiceUnreachable,
        "rate-limited" => T::ServiceBusy,
        _ => T::ServiceRefused,
    };
    Status::Failed(reason, Some(err.code.clone()))
}

/// The inputs a snapshot was taken for.
pub fn inputs_of(signed: &SignedSnapshot) -> Inputs {
    Inputs {
        domain: signed.input.domain.clone(),
        ips: signed.input.ips.iter().map(ToString::to_string).collect(),
        selectors: signed.input.dkim_selectors.clone(),
        profile: signed.input.profile.clone(),
        typed: String::new(),
    }
}

/// Runs a check: one request for the snapshot, then the report in the browser. With
/// `live_url`, the address bar becomes the live link in `lang` (the check page; the widget,
/// inside another site's page, leaves its URL alone). A typed sending IP that is no address
/// ends it at once, named in the failure.
pub fn run(inputs: Inputs, status: RwSignal<Status>, lang: Lang, live_url: bool) {
    let domain = inputs.domain.clone();
    status.set(Status::Running(domain.clone(), 0));
    if live_url {
        browser::replace_url(&format!(
            "{}?{}",
            browser::path(),
            share::live_query(&inputs, lang.as_str())
        ));
    }
    let request = match inputs.request() {
        Ok(request) => request,
        Err(bad) => return status.set(Status::Failed(T::NotAnIp, Some(bad))),
    };
    spawn_local(async move {
        let progress = move |answers| status.set(Status::Running(domain.clone(), answers));
        let next = match api::report(&request, progress).await {
            Ok(_) if !crate::texts::ensure().await => Status::Failed(T::ServiceUnreachable, None),
            Ok(signed) => match shown(inputs, signed, false) {
                Some(shown) => Status::Shown(Box::new(shown)),
                None => Status::Failed(T::ServiceIncomplete, None),
            },
            Err(err) => failed(&err),
        };
        status.set(next);
    });
}

/// What a form's submit does, on the page and in the widget: the typed text reduced to a
/// domain and checked, or the reason it is no domain in `error`, in `lang`. A sending IP that
/// is no address is named by [`run`], before anything is sent.
pub fn submit(
    typed: Inputs,
    status: RwSignal<Status>,
    lang: Lang,
    error: RwSignal<Option<String>>,
    live_url: bool,
) {
    match browser::parse_domain(&typed.domain) {
        Err(err) => error.set(Some(messages::input_error(&err, lang))),
        Ok(domain) => {
            error.set(None);
            let typed = Inputs {
                domain,
                typed: typed.domain.trim().to_owned(),
                ..typed
            };
            run(typed, status, lang, live_url);
        }
    }
}

/// The form.
#[component]
pub fn CheckForm(status: RwSignal<Status>, initial: Inputs) -> impl IntoView {
    let lang = use_lang();
    let domain = RwSignal::new(initial.domain.clone());
    let ips = RwSignal::new(initial.ips.join(" "));
    let selectors = RwSignal::new(initial.selectors.join(" "));
    let more_open = !initial.ips.is_empty() || !initial.selectors.is_empty();
    let error = RwSignal::new(None::<String>);
    let profile = initial.profile.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let inputs = Inputs {
            domain: domain.get_untracked(),
            ips: share::split_list(&ips.get_untracked()),
            selectors: share::split_list(&selectors.get_untracked()),
            profile: profile.clone(),
            typed: String::new(),
        };
        submit(inputs, status, lang.get_untracked(), error, true);
    };
    let running = move || matches!(status.get(), Status::Running(..));
    view! {
        <form class="check-form" on:submit=submit novalidate>
            <label for="domain">{move || t(T::DomainLabel, lang.get())}</label>
            <div class="row">
                <input
                    id="domain"
                    name="d"
                    type="text"
                    inputmode="url"
                    autocomplete="url"
                    autocapitalize="off"
                    spellcheck="false"
                    required
                    aria-describedby="domain-help domain-error"
                    prop:value=move || domain.get()
                    on:input=move |ev| domain.set(event_target_value(&ev))
                />
                <button type="submit" class="primary" prop:disabled=running>
                    {move || t(T::Check, lang.get())}
                </button>
            </div>
            <p class="help" id="domain-help">
                {move || t(T::DomainHelp, lang.get())}
            </p>
            <p class="error" id="domain-error" role="alert">
                {move || error.get()}
            </p>
            <details open=more_open>
                <summary>{move || t(T::MoreOptions, lang.get())}</summary>
                <label for="ips">{move || t(T::IpsLabel, lang.get())}</label>
                <input
                    id="ips"
                    name="ip"
                    type="text"
                    spellcheck="false"
                    aria-describedby="ips-help"
                    prop:value=move || ips.get()
                    on:input=move |ev| ips.set(event_target_value(&ev))
                />
                <p class="help" id="ips-help">
                    {move || t(T::IpsHelp, lang.get())}
                </p>
                <label for="selectors">{move || t(T::SelectorsLabel, lang.get())}</label>
                <input
                    id="selectors"
                    name="sel"
                    type="text"
                    spellcheck="false"
                    aria-describedby="sel-help"
                    prop:value=move || selectors.get()
                    on:input=move |ev| selectors.set(event_target_value(&ev))
                />
                <p class="help" id="sel-help">
                    {move || t(T::SelectorsHelp, lang.get())}
                </p>
            </details>
        </form>
    }
}

/// The signature line of a snapshot opened from a link: what the gateway said, or that it is
/// being asked (see [`Shown::signature`]).
#[component]
fn Signature(verdict: ArcRwSignal<Option<bool>>) -> impl IntoView {
    let lang = use_lang();
    let verdict: Signal<Option<bool>> = verdict.into();
    view! {
        <p
            class="signature"
            data-valid=move || verdict.get().map(|v| v.to_string()).unwrap_or_default()
        >
            {move || match verdict.get() {
                None => t(T::SignatureChecking, lang.get()),
                Some(true) => t(T::SignatureValid, lang.get()),
                Some(false) => t(T::SignatureInvalid, lang.get()),
            }}
        </p>
    }
}

/// A report with its summary and share links, in the page's language: a language switch
/// renders it again from what it holds (the signature is not asked again, the snapshot not
/// packed again).
#[component]
pub fn ReportPanel(shown: Shown) -> impl IntoView {
    let lang = use_lang();
    // The snapshot link needs the browser's deflate, which is asynchronous: packed once, the
    // language only changes the link's query.
    let packed = RwSignal::new(None::<String>);
    let json = share::snapshot_json(&shown.signed);
    spawn_local(async move {
        if let Some(encoded) = browser::deflate(&json)
            .await
            .and_then(|packed| browser::base64url(&packed))
        {
            packed.set(Some(encoded));
        }
    });
    // Type-erased: a switch replaces the panel, no diffing code for its whole type.
    move || report_panel(&shown, lang.get(), packed).into_any()
}

/// The panel of [`ReportPanel`] in one language.
fn report_panel(
    shown: &Shown,
    lang: Lang,
    packed: RwSignal<Option<String>>,
) -> impl IntoView + use<> {
    let report = shown.report.clone();
    let verdict = report.verdict;
    let origin = browser::origin();
    let path = browser::path();
    let live = format!(
        "{origin}{path}?{}",
        share::live_query(&shown.inputs, lang.as_str())
    );
    let prefix = format!("{origin}{path}?lang={}#", lang.as_str());
    let taken = browser::local_time(shown.signed.taken_at, lang.as_str());
    let signature = shown
        .from_link
        .then(|| view! { <Signature verdict=shown.signature.clone() /> });
    view! {
        <article class="report" data-verdict=crate::report_view::severity_name(verdict)>
            <header class=format!("summary {}", severity_class(verdict))>
                <h2 class="headline">{messages::headline(&report, lang)}</h2>
                <p class="domain">
                    <strong>{report.domain.clone()}</strong>
                    " · "
                    <span class="verdict">{messages::severity_label(verdict, lang)}</span>
                </p>
                {messages::checked_domain(&shown.inputs.typed, &report.domain, lang)
                    .map(|why| view! { <p class="why-domain">{why}</p> })}
                <p class="taken">{t(T::TakenAt, lang)}" "<time>{taken}</time></p>
                {shown
                    .from_link
                    .then(|| view! { <p class="from-link">{t(T::FromSnapshot, lang)}</p> })}
                {signature}
            </header>
            <Actions report=report.clone() lang=lang />
            <div class="share">
                <CopyButton text=live label=t(T::CopyLink, lang) done=t(T::Copied, lang) />
                {move || {
                    packed
                        .get()
                        .map(|encoded| {
                            let link = format!("{prefix}s={encoded}");
                            view! {
                                <CopyButton
                                    text=link.clone()
                                    label=t(T::CopySnapshotLink, lang)
                                    done=t(T::Copied, lang)
                                />
                                <a class="snapshot-link" href=link>
                                    {t(T::ReportLink, lang)}
                                </a>
                            }
                        })
                }}
                <p class="help">{t(T::LinkHint, lang)}</p>
            </div>
            <Sections report=report lang=lang />
            // A bounce or a message's headers say what the receiver saw: /tools reads them.
            <p class="tools-link">
                <a href=format!("/tools?lang={}", lang.as_str())>{t(T::ToolsLink, lang)}</a>
            </p>
        </article>
    }
}

/// What the URL asks for when the page opens: a snapshot (`#s=`), a live check (`?d=`), or
/// nothing. Called by the page's root, under its language.
pub fn from_url(status: RwSignal<Status>) -> Inputs {
    let broken = move || Status::Failed(T::SnapshotBroken, None);
    match share::packed_from_fragment(&browser::fragment()) {
        Ok(Some(packed)) => {
            status.set(Status::Running(String::new(), 0));
            spawn_local(async move {
                if !crate::texts::ensure().await {
                    return status.set(Status::Failed(T::ServiceUnreachable, None));
                }
                let signed = browser::inflate(&packed)
                    .await
                    .and_then(|json| share::snapshot_from_json(&json).ok());
                let next = signed
                    .and_then(|signed| shown(inputs_of(&signed), signed, true))
                    .map_or_else(broken, |shown| Status::Shown(Box::new(shown)));
                status.set(next);
            });
            return Inputs::default();
        }
        Ok(None) => {}
        Err(_) => {
            status.set(broken());
            return Inputs::default();
        }
    }
    let profile = browser::query("profile")
        .and_then(|text| postcheck_core::json::read_sender_profile(text.as_bytes()).ok());
    let inputs = Inputs {
        domain: browser::query("d").unwrap_or_default(),
        ips: browser::query_all("ip"),
        selectors: browser::query_all("sel"),
        profile,
        typed: String::new(),
    };
    if let Ok(domain) = browser::parse_domain(&inputs.domain) {
        run(
            Inputs {
                domain,
                ..inputs.clone()
            },
            status,
            use_lang().get_untracked(),
            true,
        );
    }
    inputs
}

/// The status area under the form: progress, error or the report; `compact` for the widget,
/// which shows the verdict and the actions and links to the full report. Built again when the
/// status changes; a language switch changes only its texts (and the report panel's own).
#[component]
pub fn StatusView(status: RwSignal<Status>, #[prop(optional)] compact: bool) -> impl IntoView {
    let lang = use_lang();
    let text = move |key: T| move || t(key, lang.get());
    move || match status.get() {
        Status::Idle => ().into_any(),
        Status::Running(domain, answers) => view! {
            <div class="progress" role="status" aria-live="polite">
                <span class="spinner" aria-hidden="true"></span>
                <span>
                    {text(T::Checking)}
                    {(!compact)
                        .then(|| {
                            view! {
                                " "
                                <strong>{domain}</strong>
                            }
                        })}
                </span>
                {(answers > 0)
                    .then(|| {
                        view! {
                            <span class="parts" data-answers=answers>
                                " · "
                                {answers}
                                " "
                                {text(T::AnswersSoFar)}
                            </span>
                        }
                    })}
            </div>
        }
        .into_any(),
        Status::Failed(reason, code) => {
            let detail = code
                .as_ref()
                .map(|code| format!(" ({code})"))
                .unwrap_or_default();
            let heading = text(T::CouldNotCheck);
            view! {
                <div class="failed sev-warning" role="alert" data-code=code.unwrap_or_default()>
                    {if compact {
                        view! { <strong>{heading}</strong> }.into_any()
                    } else {
                        view! { <h2>{heading}</h2> }.into_any()
                    }}
                    <p>{text(reason)}{detail}</p>
                </div>
            }
            .into_any()
        }
        Status::Shown(shown) if compact => view! { <CompactReport shown=*shown /> }.into_any(),
        Status::Shown(shown) => view! { <ReportPanel shown=*shown /> }.into_any(),
    }
}

/// The widget's report: the verdict, the actions, and a link to the full report.
#[component]
fn CompactReport(shown: Shown) -> impl IntoView {
    let lang = use_lang();
    move || compact_report(&shown, lang.get()).into_any()
}

/// [`CompactReport`] in one language.
fn compact_report(shown: &Shown, lang: Lang) -> impl IntoView + use<> {
    let verdict = shown.report.verdict;
    let full = format!(
        "{}/?{}",
        browser::origin(),
        share::live_query(&shown.inputs, lang.as_str())
    );
    view! {
        <div class="report compact" data-verdict=crate::report_view::severity_name(verdict)>
            <p class=format!("summary {}", severity_class(verdict))>
                <strong>{shown.report.domain.clone()}": "</strong>
                {messages::headline(&shown.report, lang)}
            </p>
            <Actions report=shown.report.clone() lang=lang />
            <p>
                <a href=full target="_blank" rel="noopener">
                    {t(T::OpenFullReport, lang)}
                </a>
            </p>
        </div>
    }
}
