//! The app's shell: picks the page by path (`/embed` is the widget, everything else the check
//! page with the record editor), provides the language and holds the status. Only wiring.

use crate::browser;
use crate::check::{CheckForm, Status, StatusView, from_url};
use crate::editor::Editor;
use crate::i18n::{self, LangSwitch, T, t};
use crate::widget::Widget;
use leptos::prelude::*;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let lang = i18n::provide_lang();
    crate::texts::prefetch();
    let path = browser::path();
    if path.starts_with("/embed") {
        return view! { <Widget /> }.into_any();
    }
    let status = RwSignal::new(Status::Idle);
    let initial = from_url(status);
    view! {
        <header class="site">
            <h1>{move || t(T::Title, lang.get())}</h1>
            <LangSwitch />
        </header>
        <main id="main">
            <p class="tagline">{move || t(T::Tagline, lang.get())}</p>
            <CheckForm status=status initial=initial />
            <StatusView status=status />
            <Editor />
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
