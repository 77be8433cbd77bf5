//! HTTP policy of the gateway: its configuration, CORS (closed unless an origin is configured)
//! and the security headers of its pages and API answers.
//!
//! The worker reads its variables and headers and asks these functions what to answer; they
//! hold the rules so they can be tested natively.

use crate::doh::doh_get_url;
use crate::request::GatewayError;
use postcheck_core::dns::{Query, RecordType};

/// The DoH upstreams when none are configured: Cloudflare's resolver, then Google's
/// (both RFC 8484 GET endpoints).
pub const DEFAULT_UPSTREAMS: &str =
    "https://cloudflare-dns.com/dns-query https://dns.google/dns-query";

/// The per-query upstream timeout when none is configured, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 2500;

/// The gateway's configuration, from the worker's variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// DoH upstreams in order of preference; the next is tried when one fails or times out.
    pub upstreams: Vec<String>,
    /// Per-query timeout towards one upstream, in milliseconds.
    pub timeout_ms: u32,
    /// Origins (`scheme://host[:port]`) allowed to call the API from another site.
    pub allowed_origins: Vec<String>,
    /// The `frame-ancestors` sources of the widget page (`/embed`).
    pub widget_frame_ancestors: String,
}

/// The variables the configuration is read from, as the worker finds them (absent = `None`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ConfigVars<'a> {
    /// `DOH_UPSTREAMS`: URLs separated by spaces or commas.
    pub upstreams: Option<&'a str>,
    /// `DOH_TIMEOUT_MS`.
    pub timeout_ms: Option<&'a str>,
    /// `ALLOWED_ORIGINS`: origins separated by spaces or commas.
    pub allowed_origins: Option<&'a str>,
    /// `WIDGET_FRAME_ANCESTORS`: a CSP source list (RFC-less; CSP Level 3 §6.4.2).
    pub widget_frame_ancestors: Option<&'a str>,
}

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' ', '\t', '\n'])
        .filter(|item| !item.is_empty())
}

impl Config {
    /// Reads and checks the configuration. Empty or absent variables take the defaults.
    ///
    /// # Errors
    ///
    /// [`GatewayError::Misconfigured`] for an upstream that is not a usable DoH URL, a
    /// timeout outside 100–30000 ms, an origin that is not `scheme://host[:port]`, or a
    /// frame-ancestors list with characters that could break the header.
    pub fn from_vars(vars: ConfigVars<'_>) -> Result<Config, GatewayError> {
        let misconfigured = |reason| GatewayError::Misconfigured { reason };
        let upstream_text = vars
            .upstreams
            .filter(|text| !text.trim().is_empty())
            .unwrap_or(DEFAULT_UPSTREAMS);
        let probe = Query::new("example.com", RecordType::Txt);
        let mut upstreams = Vec::new();
        for upstream in list(upstream_text) {
            doh_get_url(upstream, &probe)?;
            upstreams.push(upstream.to_owned());
        }
        let timeout_ms = match vars.timeout_ms.map(str::trim).filter(|t| !t.is_empty()) {
            None => DEFAULT_TIMEOUT_MS,
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|ms| (100..=30_000).contains(ms))
                .ok_or(misconfigured("DOH_TIMEOUT_MS must be 100 to 30000"))?,
        };
        let mut allowed_origins = Vec::new();
        for origin in list(vars.allowed_origins.unwrap_or_default()) {
            allowed_origins.push(normalize_origin(origin).ok_or(misconfigured(
                "ALLOWED_ORIGINS entries must be scheme://host[:port]",
            ))?);
        }
        let widget_frame_ancestors = vars
            .widget_frame_ancestors
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .unwrap_or("*");
        if !widget_frame_ancestors
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',' || b == b' ')
        {
            return Err(misconfigured(
                "WIDGET_FRAME_ANCESTORS may hold only a CSP source list",
            ));
        }
        Ok(Config {
            upstreams,
            timeout_ms,
            allowed_origins,
            widget_frame_ancestors: widget_frame_ancestors.to_owned(),
        })
    }
}

/// `scheme://host[:port]` in lowercase (RFC 6454 §6.2 serialization), or `None` for anything
/// with a path, query, userinfo or another scheme than http/https.
pub fn normalize_origin(origin: &str) -> Option<String> {
    let lower = origin.trim().to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty()
        || !rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    {
        return None;
    }
    Some(format!("{scheme}://{rest}"))
}

/// What CORS says about a request to the API (Fetch Standard §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cors {
    /// No `Origin` header, or the gateway's own origin: no CORS headers needed.
    SameOrigin,
    /// A configured origin: answer with `Access-Control-Allow-Origin: <origin>`.
    Allowed(String),
    /// Another site: refused with 403 before any work is done.
    Refused,
}

/// Judges a request's `Origin` against the gateway's own origin and the configured ones.
pub fn cors(origin: Option<&str>, own_origin: &str, config: &Config) -> Cors {
    let Some(origin) = origin else {
        return Cors::SameOrigin;
    };
    let Some(origin) = normalize_origin(origin) else {
        return Cors::Refused;
    };
    if normalize_origin(own_origin).as_deref() == Some(origin.as_str()) {
        return Cors::SameOrigin;
    }
    if config.allowed_origins.contains(&origin) {
        Cors::Allowed(origin)
    } else {
        Cors::Refused
    }
}

/// The error for a request from an origin that is not allowed.
pub fn cors_refused() -> GatewayError {
    GatewayError::Forbidden {
        reason: "this origin may not call the API; ask the operator to add it to ALLOWED_ORIGINS",
    }
}

/// Headers for a response to an allowed cross-origin request.
pub fn cors_headers(cors: &Cors) -> Vec<(&'static str, String)> {
    match cors {
        Cors::Allowed(origin) => vec![
            ("Access-Control-Allow-Origin", origin.clone()),
            ("Vary", "Origin".to_owned()),
        ],
        Cors::SameOrigin | Cors::Refused => Vec::new(),
    }
}

/// Headers for the answer to a preflight (`OPTIONS`) from an allowed origin.
pub fn preflight_headers(cors: &Cors) -> Vec<(&'static str, String)> {
    let mut headers = cors_headers(cors);
    if matches!(cors, Cors::Allowed(_)) {
        headers.push(("Access-Control-Allow-Methods", "GET, POST".to_owned()));
        headers.push(("Access-Control-Allow-Headers", "Content-Type".to_owned()));
        headers.push(("Access-Control-Max-Age", "600".to_owned()));
    }
    headers
}

/// True for the widget page, the only page that may be framed by other sites.
pub fn is_widget_page(path: &str) -> bool {
    matches!(path, "/embed" | "/embed/" | "/embed.html")
}

/// The Content-Security-Policy of the pages: exactly the app — its own scripts, styles and
/// wasm (`'wasm-unsafe-eval'`, CSP Level 3 §8.6), connections to its own API, nothing
/// inline, no plugins, no framing except the widget page's configured ancestors.
pub fn content_security_policy(path: &str, config: &Config) -> String {
    let frame_ancestors = if is_widget_page(path) {
        config.widget_frame_ancestors.as_str()
    } else {
        "'none'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

/// Security headers for a page or static file served by the gateway.
pub fn page_headers(path: &str, config: &Config) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        (
            "Content-Security-Policy",
            content_security_policy(path, config),
        ),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()".to_owned(),
        ),
    ];
    if !is_widget_page(path) {
        headers.push(("X-Frame-Options", "DENY".to_owned()));
    }
    headers
}

/// Security headers for an API answer (JSON, never a page).
pub fn api_headers() -> Vec<(&'static str, String)> {
    vec![
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
        (
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'".to_owned(),
        ),
    ]
}
