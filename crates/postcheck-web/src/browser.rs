//! Small reads and writes of the browser's state: the URL's query and fragment, the history
//! entry, the navigator's language, local time. No network here (that is `api`).

use web_sys::UrlSearchParams;

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The values of query parameter `name`, in order.
pub fn query_all(name: &str) -> Vec<String> {
    let Some(search) = location().and_then(|l| l.search().ok()) else {
        return Vec::new();
    };
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    params
        .get_all(name)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

/// The first value of query parameter `name`.
pub fn query(name: &str) -> Option<String> {
    query_all(name).into_iter().next()
}

/// The URL's fragment without `#`.
pub fn fragment() -> String {
    location()
        .and_then(|l| l.hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// The path of the page (`/`, `/embed`).
pub fn path() -> String {
    location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".to_owned())
}

/// The page's origin (`http://127.0.0.1:8787`).
pub fn origin() -> String {
    location().and_then(|l| l.origin().ok()).unwrap_or_default()
}

/// Replaces the current history entry's URL (no reload, no request).
pub fn replace_url(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// The browser's preferred language (`de-DE`).
pub fn navigator_language() -> Option<String> {
    web_sys::window().and_then(|w| w.navigator().language())
}

/// A time in seconds since the epoch as local date and time in the page's language.
pub fn local_time(seconds: u64, lang: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(seconds as f64 * 1000.0));
    date.to_locale_string(lang, &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

/// Sets `<html lang>` so screen readers pronounce the page right.
pub fn set_document_lang(code: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", code);
    }
}

/// The A-label form of an internationalized name, by the browser's URL parser (its host
/// processing is UTS #46 ToASCII, as RFC 5891 asks for lookups).
pub fn to_ascii(name: &str) -> Option<String> {
    let url = web_sys::Url::new(&format!("http://{name}/")).ok()?;
    let host = url.hostname();
    (!host.is_empty() && host.is_ascii()).then_some(host)
}

/// [`postcheck_core::input::parse_domain_input_with`] with the browser's IDN conversion.
pub fn parse_domain(raw: &str) -> Result<String, postcheck_core::input::InputError> {
    postcheck_core::input::parse_domain_input_with(raw, &to_ascii)
}
