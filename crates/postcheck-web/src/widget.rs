//! The help-desk widget's page (`/embed`): compact, configured by a vendor's sender profile in
//! its URL (`name`, `spf`, `ip`, `dkim`), it checks a customer's domain for that vendor and
//! shows the vendor-specific fix. Sizing, theme and accent are `embed.js`'s job.

use crate::browser;
use crate::check::{self, Status, StatusView};
use crate::i18n::{T, t};
use crate::share::{self, Inputs};
use leptos::prelude::*;
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
pub fn Widget() -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let profile = profile_from(
        browser::query("name"),
        browser::query("spf"),
        &browser::query_all("ip"),
        browser::query("dkim"),
    );
    let vendor = profile.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    // "Send a test mail" on /tools, for this vendor: the mail is judged with its profile.
    let test_mail = profile.as_ref().map(|p| {
        format!(
            "/tools?profile={}",
            share::encode_component(&postcheck_core::json::write_sender_profile(p))
        )
    });
    let status = RwSignal::new(Status::Idle);
    let domain = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = Inputs {
            domain: domain.get_untracked(),
            ips: Vec::new(),
            selectors: Vec::new(),
            profile: profile.clone(),
            typed: String::new(),
        };
        check::submit(typed, status, lang.get_untracked(), error, false);
    };
    view! {
        <main class="widget">
            <p class="widget-lead">
                {move || t(T::WidgetCheckFor, lang.get())}" "<strong>{vendor.clone()}</strong>
            </p>
            <form class="check-form compact" on:submit=submit novalidate>
                <label for="widget-domain" class="visually-hidden">
                    {move || t(T::DomainLabel, lang.get())}
                </label>
                <div class="row">
                    <input
                        id="widget-domain"
                        type="text"
                        inputmode="url"
                        autocapitalize="off"
                        spellcheck="false"
                        placeholder=move || t(T::DomainHelp, lang.get())
                        aria-describedby="widget-error"
                        prop:value=move || domain.get()
                        on:input=move |ev| domain.set(event_target_value(&ev))
                    />
                    <button type="submit" class="primary">
                        {move || t(T::Check, lang.get())}
                    </button>
                </div>
                <p class="error" id="widget-error" role="alert">
                    {move || error.get()}
                </p>
            </form>
            <StatusView status=status compact=true />
            {test_mail
                .map(|href| {
                    view! {
                        <p class="widget-test-mail">
                            <a
                                href=move || {
                                    format!("{href}&lang={}#test-mail", lang.get().as_str())
                                }
                                target="_blank"
                                rel="noopener"
                            >
                                {move || t(T::WidgetTestMail, lang.get())}
                            </a>
                        </p>
                    }
                })}
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
