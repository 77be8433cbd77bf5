//! HTTP policy of the gateway: its configuration, CORS (closed unless an origin is configured)
//! and the security headers of its pages and API answers.
//!
//! The worker reads its variables and headers and asks these functions what to answer; they
//! hold the rules so they can be tested natively.

use crate::doh::doh_get_url;
use crate::fetch_target::AddressRange;
use crate::request::{GatewayError, validate_name};
use postcheck_core::dns::{Query, RecordType};

/// The DoH upstreams when none are configured: Cloudflare's resolver, then Google's
/// (both RFC 8484 GET endpoints).
pub const DEFAULT_UPSTREAMS: &str =
    "https://cloudflare-dns.com/dns-query https://dns.google/dns-query";

/// The per-query upstream timeout when none is configured, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 2500;

/// The `Strict-Transport-Security` value of every answer (RFC 6797 §6.1): HTTPS only for a
/// year, subdomains included. Browsers ignore it over plain HTTP (RFC 6797 §8.1), so
/// `wrangler dev` on `http://127.0.0.1` is unaffected.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The gateway's configuration, from the worker's variables.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// DoH upstreams in order of preference; the next is tried when one fails or times out.
    pub upstreams: Vec<String>,
    /// Per-query timeout towards one upstream, in milliseconds.
    pub timeout_ms: u32,
    /// Origins (`scheme://host[:port]`) allowed to call the API from another site.
    pub allowed_origins: Vec<String>,
    /// The `frame-ancestors` sources of the widget page (`/embed`).
    pub widget_frame_ancestors: String,
    /// External subrequests one invocation may make (`SUBREQUEST_LIMIT`; see
    /// [`crate::limits`]).
    pub subrequest_limit: usize,
    /// Fail a request whose invocation went over a platform limit (`ENFORCE_LIMITS`; the
    /// tests' mode, since `wrangler dev` enforces none).
    pub enforce_limits: bool,
    /// Use the Cache API behind the memory cache (`CACHE_API`, `off` to disable: it does
    /// nothing on `*.workers.dev`).
    pub cache_api: bool,
    /// Addresses an MTA-STS policy fetch may go to although they are local or private
    /// (`FETCH_ALLOW_ADDRESSES`; see [`crate::fetch_target::check_fetch_addresses`]); empty
    /// by default.
    pub fetch_allow_addresses: Vec<AddressRange>,
    /// The Spamhaus Data Query Service key (`SPAMHAUS_DQS_KEY`, a secret; `Debug` shows only
    /// whether it is set).
    pub spamhaus_dqs_key: Option<String>,
}

/// Shows whether a secret is set, never its value.
fn redacted(secret: Option<&str>) -> Option<&'static str> {
    secret.map(|_| "<redacted>")
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("upstreams", &self.upstreams)
            .field("timeout_ms", &self.timeout_ms)
            .field("allowed_origins", &self.allowed_origins)
            .field("widget_frame_ancestors", &self.widget_frame_ancestors)
            .field("subrequest_limit", &self.subrequest_limit)
            .field("enforce_limits", &self.enforce_limits)
            .field("cache_api", &self.cache_api)
            .field("fetch_allow_addresses", &self.fetch_allow_addresses)
            .field(
                "spamhaus_dqs_key",
                &redacted(self.spamhaus_dqs_key.as_deref()),
            )
            .finish()
    }
}

/// The variables the configuration is read from, as the worker finds them (absent = `None`).
#[derive(Clone, Copy, Default)]
pub struct ConfigVars<'a> {
    /// `DOH_UPSTREAMS`: URLs separated by spaces or commas.
    pub upstreams: Option<&'a str>,
    /// `DOH_TIMEOUT_MS`.
    pub timeout_ms: Option<&'a str>,
    /// `ALLOWED_ORIGINS`: origins separated by spaces or commas.
    pub allowed_origins: Option<&'a str>,
    /// `WIDGET_FRAME_ANCESTORS`: a CSP source list (RFC-less; CSP Level 3 §6.4.2).
    pub widget_frame_ancestors: Option<&'a str>,
    /// `SUBREQUEST_LIMIT`: 1 to 10000 (default 45, for the Free plan's 50).
    pub subrequest_limit: Option<&'a str>,
    /// `ENFORCE_LIMITS`: `1` or `true` to fail requests over a platform limit.
    pub enforce_limits: Option<&'a str>,
    /// `CACHE_API`: `off` (or `0`, `false`) to leave the Cache API alone.
    pub cache_api: Option<&'a str>,
    /// `FETCH_ALLOW_ADDRESSES`: addresses or CIDR ranges separated by spaces or commas.
    pub fetch_allow_addresses: Option<&'a str>,
    /// `SPAMHAUS_DQS_KEY`, a secret (`wrangler secret put SPAMHAUS_DQS_KEY`).
    pub spamhaus_dqs_key: Option<&'a str>,
}

impl std::fmt::Debug for ConfigVars<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigVars")
            .field("upstreams", &self.upstreams)
            .field("timeout_ms", &self.timeout_ms)
            .field("allowed_origins", &self.allowed_origins)
            .field("widget_frame_ancestors", &self.widget_frame_ancestors)
            .field("subrequest_limit", &self.subrequest_limit)
            .field("enforce_limits", &self.enforce_limits)
            .field("cache_api", &self.cache_api)
            .field("fetch_allow_addresses", &self.fetch_allow_addresses)
            .field("spamhaus_dqs_key", &redacted(self.spamhaus_dqs_key))
            .finish()
    }
}

/// A yes/no variable: `1`, `true`, `yes`, `on` or the opposite; `default` when unset or empty.
fn flag(value: Option<&str>, default: bool, name: &'static str) -> Result<bool, GatewayError> {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(_) => Err(GatewayError::Misconfigured { reason: name }),
    }
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
    /// timeout outside 100–30000 ms, an origin that is not `scheme://host[:port]`, a
    /// frame-ancestors list with characters that could break the header, a bad
    /// `SUBREQUEST_LIMIT`, `ENFORCE_LIMITS` or `CACHE_API`, an allowed address that is not an
    /// address or CIDR range, or a DQS key that is not one DNS label.
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
        let subrequest_limit =
            crate::limits::parse_subrequest_limit(vars.subrequest_limit).map_err(misconfigured)?;
        let enforce_limits = flag(
            vars.enforce_limits,
            false,
            "ENFORCE_LIMITS must be 1/true or 0/false",
        )?;
        let cache_api = flag(vars.cache_api, true, "CACHE_API must be on or off")?;
        let mut fetch_allow_addresses = Vec::new();
        for range in list(vars.fetch_allow_addresses.unwrap_or_default()) {
            fetch_allow_addresses.push(AddressRange::parse(range).ok_or(misconfigured(
                "FETCH_ALLOW_ADDRESSES entries must be addresses or CIDR ranges \
                 (127.0.0.1, 10.0.0.0/8, fd00::/8)",
            ))?);
        }
        let spamhaus_dqs_key = match vars.spamhaus_dqs_key.map(str::trim) {
            None | Some("") => None,
            // The key is one label of the query name (`<ip>.<key>.zen.dq.spamhaus.net`).
            Some(key) => match validate_name(key) {
                Ok(label) if !label.contains('.') => Some(label),
                _ => return Err(misconfigured("SPAMHAUS_DQS_KEY must be one DNS label")),
            },
        };
        Ok(Config {
            upstreams,
            timeout_ms,
            allowed_origins,
            widget_frame_ancestors: widget_frame_ancestors.to_owned(),
            subrequest_limit,
            enforce_limits,
            cache_api,
            fetch_allow_addresses,
            spamhaus_dqs_key,
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
            "Strict-Transport-Security",
            STRICT_TRANSPORT_SECURITY.to_owned(),
        ),
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
            "Strict-Transport-Security",
            STRICT_TRANSPORT_SECURITY.to_owned(),
        ),
        (
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'".to_owned(),
        ),
    ]
}
