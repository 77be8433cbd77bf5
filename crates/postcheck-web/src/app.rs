//! The app's shell: picks the page by path (`/embed` is the widget, everything else the check
//! page with the record editor), holds the language and the status. Only wiring.

use crate::browser;
use crate::check::{CheckForm, Status, StatusView, from_url};
use crate::editor::Editor;
use crate::i18n::{self, T, t};
use crate::widget::Widget;
use leptos::prelude::*;
use postcheck_core::messages::Lang;

/// The language switch (`?lang=` keeps working after a switch).
#[component]
fn LangSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    let button = move |target: Lang, label: &'static str| {
        view! {
            <button
                type="button"
                lang=target.as_str()
                aria-pressed=move || (lang.get() == target).to_string()
                on:click=move |_| lang.set(target)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="lang" aria-label=move || t(T::Language, lang.get())>
            {button(Lang::De, "Deutsch")}
            {button(Lang::En, "English")}
        </nav>
    }
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(i18n::initial_lang(
        browser::query("lang").as_deref(),
        browser::navigator_language().as_deref(),
    ));
    Effect::new(move |_| browser::set_document_lang(lang.get().as_str()));
    let signal: Signal<Lang> = lang.into();
    crate::texts::prefetch();
    let path = browser::path();
    if path.starts_with("/embed") {
        return view! { <Widget lang=signal /> }.into_any();
    }
    let status = RwSignal::new(Status::Idle);
    let initial = from_url(status, signal);
    view! {
        <header class="site">
            <h1>{move || t(T::Title, lang.get())}</h1>
            <LangSwitch lang=lang />
        </header>
        <main id="main">
            <p class="tagline">{move || t(T::Tagline, lang.get())}</p>
            <CheckForm status=status lang=signal initial=initial />
            <StatusView status=status lang=signal />
            <Editor lang=signal />
        </main>
        <footer class="site">
            <p>
                <a href=move || {
                    format!("/tools?lang={}", lang.get().as_str())
                }>{move || t(T::ToolsLink, lang.get())}</a>
            </p>
            <p>{move || t(T::Privacy, lang.get())}</p>
        </footer>
    }
    .into_any()
}
