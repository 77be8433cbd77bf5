//! postcheck's web app (Leptos, client-side rendered): the check page, the record editor, the
//! help-desk widget (`/embed`) and shareable report links. The core runs here, in the browser;
//! the gateway worker only supplies DNS answers, one request per report ([`api`]).

pub mod api;
pub mod app;
pub mod browser;
pub mod check;
pub mod dkim_result;
pub mod editor;
pub mod highlight;
pub mod i18n;
pub mod report_view;
pub mod reports_view;
pub mod share;
pub mod texts;
pub mod widget;

/// Mounts the app (called by `boot.js` once the wasm is loaded).
#[cfg(feature = "app")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
