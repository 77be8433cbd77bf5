//! The record editor: an SPF, DMARC or DKIM record parsed and validated as it is typed, its
//! problems marked in the text and listed — all in the browser, nothing is sent anywhere.

use crate::highlight::{pieces, spans_for};
use crate::i18n::{T, t};
use crate::report_view::{FindingItem, render_pieces};
use leptos::prelude::*;
use postcheck_core::findings::Finding;

/// Which parser a record goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Spf,
    Dmarc,
    Dkim,
}

impl Kind {
    /// The kind a record announces by its version tag; DKIM key records may omit theirs
    /// (RFC 6376 §3.6.1: `v=` is RECOMMENDED), so anything else is read as DKIM.
    pub fn detect(text: &str) -> Kind {
        let start = text.trim_start().to_ascii_lowercase();
        if start.starts_with("v=spf1") {
            Kind::Spf
        } else if start.starts_with("v=dmarc1") {
            Kind::Dmarc
        } else {
            Kind::Dkim
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Spf => "SPF",
            Kind::Dmarc => "DMARC",
            Kind::Dkim => "DKIM",
        }
    }
}

/// Every diagnostic of `text` read as `kind` (the core's parsers never stop at the first).
pub fn diagnostics(kind: Kind, text: &str) -> Vec<Finding> {
    match kind {
        Kind::Spf => postcheck_core::spf::parse::parse(text).diagnostics,
        Kind::Dmarc => postcheck_core::dmarc::parse::parse(text).diagnostics,
        Kind::Dkim => postcheck_core::dkim::parse::parse(text).diagnostics,
    }
}

/// The editor.
#[component]
pub fn Editor() -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let text = RwSignal::new(String::new());
    let kind = Memo::new(move |_| Kind::detect(&text.get()));
    let found = Memo::new(move |_| diagnostics(kind.get(), &text.get()));
    view! {
        <section class="editor" aria-labelledby="editor-title">
            <h2 id="editor-title">{move || t(T::Editor, lang.get())}</h2>
            <p class="help" id="editor-help">
                {move || t(T::EditorHelp, lang.get())}
            </p>
            <label for="record-input">{move || t(T::EditorLabel, lang.get())}</label>
            <textarea
                id="record-input"
                rows="3"
                spellcheck="false"
                aria-describedby="editor-help"
                placeholder="v=spf1 include:_spf.example.com -all"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <Show when=move || !text.get().trim().is_empty() && crate::texts::ready()>
                <div class="editor-result" aria-live="polite">
                    <p class="kind">
                        {move || {
                            format!("{}: {}", t(T::RecordType, lang.get()), kind.get().label())
                        }}
                    </p>
                    <pre class="record">
                        <code>
                            {move || {
                                let current = text.get();
                                let list = found.get();
                                render_pieces(pieces(&current, &spans_for(&list, None)))
                            }}
                        </code>
                    </pre>
                    {move || {
                        let list = found.get();
                        let lang = lang.get();
                        if list.is_empty() {
                            view! { <p class="clean sev-ok">{t(T::EditorClean, lang)}</p> }
                                .into_any()
                        } else {
                            view! {
                                <ul class="findings">
                                    {list
                                        .into_iter()
                                        .map(|f| view! { <FindingItem finding=f lang=lang /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_follows_the_version_tag() {
        assert_eq!(Kind::detect("  V=SPF1 -all"), Kind::Spf);
        assert_eq!(Kind::detect("v=DMARC1; p=none"), Kind::Dmarc);
        assert_eq!(Kind::detect("k=rsa; p=MIIB"), Kind::Dkim);
    }

    #[test]
    fn a_broken_record_has_diagnostics_and_a_good_one_none() {
        assert!(!diagnostics(Kind::Spf, "v=spf1 ip4:300.1.1.1 -all").is_empty());
        assert!(diagnostics(Kind::Spf, "v=spf1 ip4:192.0.2.1 -all").is_empty());
        assert!(!diagnostics(Kind::Dmarc, "v=DMARC1; p=maybe").is_empty());
    }
}
