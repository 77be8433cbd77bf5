//! Small reads and writes of the browser's state: the URL's query and fragment, the history
//! entry, the navigator's language, local time; and the browser's own raw deflate (RFC 1951,
//! Compression Streams) for snapshot links. No network here (that is `api`).

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

// Compression Streams (WHATWG Compression Standard §5, §6): web-sys has them only behind its
// unstable-API flag, so the two constructors are bound here.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> web_sys::WritableStream;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

/// Runs `data` through a browser (de)compression stream; inflating stops past
/// [`crate::share::MAX_INFLATED`] octets, so a crafted link cannot exhaust memory.
async fn transform(data: &[u8], compress: bool) -> Option<Vec<u8>> {
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen_futures::JsFuture;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(data));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    let pair = if compress {
        let stream = CompressionStream::new("deflate-raw").ok()?;
        web_sys::ReadableWritablePair::new(&stream.readable(), &stream.writable())
    } else {
        let stream = DecompressionStream::new("deflate-raw").ok()?;
        web_sys::ReadableWritablePair::new(&stream.readable(), &stream.writable())
    };
    let output = blob.stream().pipe_through(&pair);
    let reader: web_sys::ReadableStreamDefaultReader = output.get_reader().dyn_into().ok()?;
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.ok()?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).ok()?;
        if done.as_bool() == Some(true) {
            return Some(out);
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).ok()?;
        out.extend(js_sys::Uint8Array::new(&value).to_vec());
        if out.len() > crate::share::MAX_INFLATED {
            let _ = reader.cancel();
            return None;
        }
    }
}

/// Raw deflate (RFC 1951) by the browser.
pub async fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    transform(data, true).await
}

/// Raw inflate by the browser, at most [`crate::share::MAX_INFLATED`] octets.
pub async fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    transform(data, false).await
}

/// Base64url without padding (RFC 4648 §5) by the browser's `btoa`, so the page carries no
/// encoder of its own; the same text as `share::fragment_for` produces.
pub fn base64url(bytes: &[u8]) -> Option<String> {
    let latin1: String = bytes.iter().map(|&b| char::from(b)).collect();
    let standard = web_sys::window()?.btoa(&latin1).ok()?;
    Some(
        standard
            .trim_end_matches('=')
            .chars()
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                c => c,
            })
            .collect(),
    )
}
