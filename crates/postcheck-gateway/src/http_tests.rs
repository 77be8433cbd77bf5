//! Tests of `http.rs`: configuration (defaults and refusals), CORS, and the security headers
//! of pages and API answers.

use crate::http::{
    Config, ConfigVars, Cors, DEFAULT_TIMEOUT_MS, cors, normalize_origin, page_headers,
    preflight_headers,
};
use crate::tests::outcome;

#[test]
fn configuration_defaults_and_refusals() {
    let config = Config::from_vars(ConfigVars::default()).unwrap();
    assert_eq!(
        config.upstreams.len(),
        2,
        "a public resolver, then a second one"
    );
    assert!(config.upstreams.iter().all(|u| u.starts_with("https://")));
    assert_eq!(config.timeout_ms, DEFAULT_TIMEOUT_MS);
    assert!(config.allowed_origins.is_empty(), "CORS closed by default");
    assert_eq!(
        config.subrequest_limit,
        crate::limits::DEFAULT_SUBREQUEST_LIMIT,
        "the Free plan's budget by default"
    );
    assert!(!config.enforce_limits && config.cache_api);
    assert!(
        config.fetch_allow_addresses.is_empty(),
        "no local address is fetched from by default"
    );
    assert_eq!(config.spamhaus_dqs_key, None);
    let config = Config::from_vars(ConfigVars {
        upstreams: Some("http://127.0.0.1:8054/dns-query, http://127.0.0.1:8053/dns-query"),
        timeout_ms: Some("800"),
        allowed_origins: Some("https://Help.Example.com https://x.example:8443/"),
        widget_frame_ancestors: Some("https://help.example.com"),
        subrequest_limit: Some("8"),
        enforce_limits: Some("1"),
        cache_api: Some("off"),
        fetch_allow_addresses: Some("127.0.0.1, fd00::/8"),
        spamhaus_dqs_key: Some("abcdefghijklmnopqrstuvwxyz"),
    })
    .unwrap();
    assert_eq!(
        config
            .fetch_allow_addresses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["127.0.0.1/32", "fd00::/8"]
    );
    assert_eq!(
        config.spamhaus_dqs_key.as_deref(),
        Some("abcdefghijklmnopqrstuvwxyz")
    );
    // The DQS key is a secret: `Debug` (of the configuration and of its variables) hides it.
    assert!(!format!("{config:?}").contains("abcdefghij"), "{config:?}");
    let vars = ConfigVars {
        spamhaus_dqs_key: Some("abcdefghijklmnopqrstuvwxyz"),
        ..ConfigVars::default()
    };
    assert!(!format!("{vars:?}").contains("abcdefghij"), "{vars:?}");
    assert_eq!(config.subrequest_limit, 8);
    assert!(config.enforce_limits);
    assert!(!config.cache_api);
    assert_eq!(config.upstreams.len(), 2);
    assert_eq!(config.timeout_ms, 800);
    assert_eq!(
        config.allowed_origins,
        ["https://help.example.com", "https://x.example:8443"]
    );
    for vars in [
        ConfigVars {
            upstreams: Some("ftp://x/dns-query"),
            ..ConfigVars::default()
        },
        ConfigVars {
            timeout_ms: Some("0"),
            ..ConfigVars::default()
        },
        ConfigVars {
            allowed_origins: Some("https://x.example/path"),
            ..ConfigVars::default()
        },
        ConfigVars {
            widget_frame_ancestors: Some("https://x; script-src *"),
            ..ConfigVars::default()
        },
        ConfigVars {
            subrequest_limit: Some("0"),
            ..ConfigVars::default()
        },
        ConfigVars {
            enforce_limits: Some("maybe"),
            ..ConfigVars::default()
        },
        ConfigVars {
            cache_api: Some("sometimes"),
            ..ConfigVars::default()
        },
        ConfigVars {
            fetch_allow_addresses: Some("127.0.0.1 localhost"),
            ..ConfigVars::default()
        },
        ConfigVars {
            fetch_allow_addresses: Some("10.1.2.3/8"),
            ..ConfigVars::default()
        },
        ConfigVars {
            spamhaus_dqs_key: Some("key.with.dots"),
            ..ConfigVars::default()
        },
        ConfigVars {
            spamhaus_dqs_key: Some("key/../x"),
            ..ConfigVars::default()
        },
        ConfigVars {
            widget_frame_ancestors: Some("https://x\r\nSet-Cookie: a=b"),
            ..ConfigVars::default()
        },
    ] {
        assert_eq!(
            outcome(Config::from_vars(vars)),
            "misconfigured",
            "{vars:?}"
        );
    }
    assert_eq!(normalize_origin("javascript://x"), None);
    assert_eq!(normalize_origin("null"), None);
}

#[test]
fn cors_is_closed_unless_configured() {
    let closed = Config::from_vars(ConfigVars::default()).unwrap();
    let own = "http://127.0.0.1:8787";
    assert_eq!(cors(None, own, &closed), Cors::SameOrigin);
    assert_eq!(
        cors(Some("http://127.0.0.1:8787"), own, &closed),
        Cors::SameOrigin
    );
    assert_eq!(
        cors(Some("https://evil.example"), own, &closed),
        Cors::Refused
    );
    assert_eq!(cors(Some("null"), own, &closed), Cors::Refused);
    let open = Config::from_vars(ConfigVars {
        allowed_origins: Some("https://help.example.com"),
        ..ConfigVars::default()
    })
    .unwrap();
    let allowed = cors(Some("https://help.example.com"), own, &open);
    assert_eq!(
        allowed,
        Cors::Allowed("https://help.example.com".to_owned())
    );
    let headers = preflight_headers(&allowed);
    assert!(headers.contains(&(
        "Access-Control-Allow-Origin",
        "https://help.example.com".to_owned()
    )));
    assert!(
        headers
            .iter()
            .any(|(name, _)| *name == "Access-Control-Allow-Methods")
    );
    assert!(preflight_headers(&Cors::Refused).is_empty());
}

#[test]
fn pages_get_a_csp_that_allows_exactly_the_app() {
    let config = Config::from_vars(ConfigVars {
        widget_frame_ancestors: Some("https://help.example.com"),
        ..ConfigVars::default()
    })
    .unwrap();
    let get = |path: &str, name: &str| {
        page_headers(path, &config)
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    };
    let csp = get("/", "Content-Security-Policy").unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
    assert_eq!(get("/", "X-Frame-Options").as_deref(), Some("DENY"));
    assert_eq!(
        get("/", "X-Content-Type-Options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(get("/", "Referrer-Policy").as_deref(), Some("no-referrer"));
    let embed = get("/embed", "Content-Security-Policy").unwrap();
    assert!(
        embed.ends_with("frame-ancestors https://help.example.com"),
        "{embed}"
    );
    assert_eq!(
        get("/embed", "X-Frame-Options"),
        None,
        "the widget may be framed"
    );
}

#[test]
fn every_answer_carries_strict_transport_security() {
    let config = Config::from_vars(ConfigVars::default()).unwrap();
    for path in ["/", "/index.html", "/embed", "/tools", "/widget.js"] {
        let hsts = page_headers(path, &config)
            .into_iter()
            .find(|(name, _)| *name == "Strict-Transport-Security")
            .map(|(_, value)| value);
        assert_eq!(
            hsts.as_deref(),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
    assert!(crate::http::api_headers().contains(&(
        "Strict-Transport-Security",
        "max-age=31536000; includeSubDomains".to_owned()
    )));
}
