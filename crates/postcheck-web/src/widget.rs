//! The help-desk widget's page (`/embed`): compact, configured by a vendor's sender profile in
//! its URL (`name`, `spf`, `ip`, `dkim`), it checks a customer's domain for that vendor and
//! shows the vendor-specific fix. Sizing, theme and accent are `embed.js`'s job.

use crate::browser;
use crate::check::{self, Status};
use crate::i18n::{T, t};
use crate::report_view::{Actions, severity_class};
use crate::share::{self, Inputs};
use leptos::prelude::*;
use postcheck_core::messages::{self, Lang};
use postcheck_core::profile::SenderProfile;
use std::collections::BTreeMap;

/// The profile the widget's URL describes, or `None` without a vendor name.
pub fn profile_from(
    name: Option<String>,
    spf: Option<String>,
    ips: &[String],
    dkim: Option<String>,
) -> Option<SenderProfile> {
    let name = name.filter(|n| !n.trim().is_empty())?;
    Some(SenderProfile {
        name: name.trim().chars().take(100).collect(),
        spf: share::split_list(&spf.unwrap_or_default()),
        ips: ips
            .iter()
            .flat_map(|list| share::split_list(list))
            .filter_map(|ip| ip.parse().ok())
            .collect(),
        dkim_selectors: share::split_list(&dkim.unwrap_or_default()),
        dkim_cnames: BTreeMap::new(),
        return_path: None,
    })
}

/// The widget.
#[component]
pub fn Widget(lang: Signal<Lang>) -> impl IntoView {
    let profile = profile_from(
        browser::query("name"),
        browser::query("spf"),
        &browser::query_all("ip"),
        browser::query("dkim"),
    );
    let vendor = profile.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    let status = RwSignal::new(Status::Idle);
    let domain = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = {
        let profile = profile.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match browser::parse_domain(&domain.get_untracked()) {
                Err(err) => error.set(Some(messages::input_error(&err, lang.get_untracked()))),
                Ok(parsed) => {
                    error.set(None);
                    let inputs = Inputs {
                        domain: parsed,
                        ips: Vec::new(),
                        selectors: Vec::new(),
                        profile: profile.clone(),
                    };
                    check::run(inputs, status, lang, false);
                }
            }
        }
    };
    view! {
        <main class="widget">
            <p class="widget-lead">{move || t(T::WidgetCheckFor, lang.get())}" "<strong>{vendor.clone()}</strong></p>
            <form class="check-form compact" on:submit=submit novalidate>
                <label for="widget-domain" class="visually-hidden">{move || t(T::DomainLabel, lang.get())}</label>
                <div class="row">
                    <input id="widget-domain" type="text" inputmode="url" autocapitalize="off" spellcheck="false"
                        placeholder=move || t(T::DomainHelp, lang.get())
                        aria-describedby="widget-error"
                        prop:value=move || domain.get() on:input=move |ev| domain.set(event_target_value(&ev))/>
                    <button type="submit" class="primary">{move || t(T::Check, lang.get())}</button>
                </div>
                <p class="error" id="widget-error" role="alert">{move || error.get()}</p>
            </form>
            {move || {
                let current = lang.get();
                match status.get() {
                    Status::Idle => ().into_any(),
                    Status::Running(_, answers) => view! {
                        <div class="progress" role="status"><span class="spinner" aria-hidden="true"></span>{t(T::Checking, current)}
                            {(answers > 0).then(|| view! {
                                <span class="parts" data-answers=answers>" · "{answers}" "{t(T::AnswersSoFar, current)}</span>
                            })}
                        </div>
                    }.into_any(),
                    Status::Failed(reason, code) => {
                        let detail = code.as_ref().map(|code| format!(" ({code})")).unwrap_or_default();
                        view! {
                            <div class="failed sev-warning" role="alert" data-code=code.unwrap_or_default()>
                                <strong>{t(T::CouldNotCheck, current)}</strong><p>{t(reason, current)}{detail}</p>
                            </div>
                        }.into_any()
                    }
                    Status::Shown(shown) => {
                        let verdict = shown.report.verdict;
                        let full = format!(
                            "{}/?{}",
                            browser::origin(),
                            share::live_query(&shown.inputs, current.as_str())
                        );
                        view! {
                            <div class="report compact" data-verdict=crate::report_view::severity_name(verdict)>
                                <p class=format!("summary {}", severity_class(verdict))>
                                    <strong>{shown.report.domain.clone()}": "</strong>{messages::severity_label(verdict, current)}
                                </p>
                                <Actions report=shown.report.clone() lang=current/>
                                <p><a href=full target="_blank" rel="noopener">{t(T::OpenFullReport, current)}</a></p>
                            </div>
                        }.into_any()
                    }
                }
            }}
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_describes_a_profile() {
        let profile = profile_from(
            Some("CRM Cloud".into()),
            Some("ip4:192.0.2.0/24 include:_spf.crm.example".into()),
            &["192.0.2.7, 2001:db8::7".into(), "not-an-ip".into()],
            Some("crm1 crm2".into()),
        )
        .unwrap();
        assert_eq!(
            profile.spf,
            ["ip4:192.0.2.0/24", "include:_spf.crm.example"]
        );
        assert_eq!(profile.ips.len(), 2);
        assert_eq!(profile.dkim_selectors, ["crm1", "crm2"]);
        assert!(profile_from(None, None, &[], None).is_none());
    }
}
