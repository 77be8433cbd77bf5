//! The finding codes' texts: not compiled into the page's wasm (the core without its `texts`
//! feature) but loaded after the first paint from `/texts.txt`, which the core's tables
//! generate. A report is built only once they are there ([`ensure`]), since which findings call
//! for an action is read from them; the editor shows its findings once they are ([`ready`]).

use crate::api;
use leptos::prelude::*;
use postcheck_core::messages;

thread_local! {
    // Reference-counted, not owned by the component that first reads it: it lives as long as
    // the page, whatever is mounted and unmounted meanwhile.
    static READY: ArcRwSignal<bool> = ArcRwSignal::new(messages::installed());
}

/// Whether the texts are there (tracked: a view that reads it renders again when they come).
pub fn ready() -> bool {
    READY.with(|ready| ready.get())
}

/// Loads and installs the texts unless they are there; whether they are.
pub async fn ensure() -> bool {
    if messages::installed() {
        return true;
    }
    let Some(text) = api::texts().await else {
        return false;
    };
    messages::install(text.leak());
    READY.with(|ready| ready.set(true));
    true
}

/// Starts loading the texts while the page waits for the visitor.
pub fn prefetch() {
    leptos::task::spawn_local(async {
        ensure().await;
    });
}
