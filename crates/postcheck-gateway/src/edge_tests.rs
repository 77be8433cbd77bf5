//! Tests of the report request, the planner's gate and budget, signed snapshots and the HTTP
//! policy (configuration, CORS, security headers).

use crate::http::{
    Config, ConfigVars, Cors, DEFAULT_TIMEOUT_MS, cors, normalize_origin, page_headers,
    preflight_headers,
};
use crate::report::{QueryGate, ReportBudget, Spent, gate_fetch, gate_query, parse_report_request};
use crate::request::{GatewayError, Limits};
use crate::snapshot::{sign_snapshot, verify_snapshot};
use postcheck_core::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType};
use postcheck_core::fetch::FetchResult;
use postcheck_core::report::{CheckInput, SignedSnapshot, Snapshot, build_report};

/// One edit of a signed snapshot.
type Edit = Box<dyn Fn(&mut SignedSnapshot)>;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn code<T: std::fmt::Debug>(result: Result<T, GatewayError>) -> String {
    match result {
        Ok(value) => format!("ok:{value:?}"),
        Err(err) => err.code().to_owned(),
    }
}

#[test]
fn report_requests_are_checked_before_anything_goes_upstream() {
    let limits = Limits::default();
    let cases: &[(&str, &str)] = &[
        (r#"{"domain":"example.com"}"#, "ok"),
        (
            r#"{"domain":"Example.COM.","ips":["192.0.2.1","2001:db8::1"]}"#,
            "ok",
        ),
        (
            r#"{"domain":"example.com","dkim_selectors":["s1","sel-2._x"]}"#,
            "ok",
        ),
        (
            r#"{"domain":"example.com","profile":{"name":"CRM","spf":["include:_spf.crm.example"],"ips":["192.0.2.9"]}}"#,
            "ok",
        ),
        (r#"{"domain":"example.com","timestamp":1}"#, "bad-json"),
        (r#"{"domain":"example.com","extra":1}"#, "bad-json"),
        (
            r#"{"domain":"example.com","domain":"evil.com"}"#,
            "bad-json",
        ),
        (r#"{"ips":[]}"#, "bad-json"),
        (r#"["example.com"]"#, "bad-json"),
        (
            r#"{"domain":"example.com","ips":["300.1.1.1"]}"#,
            "bad-json",
        ),
        (
            r#"{"domain":"example.com","ips":["192.0.2.1/24"]}"#,
            "bad-json",
        ),
        (r#"{"domain":"https://example.com/"}"#, "invalid-domain"),
        (r#"{"domain":"example.com:8080"}"#, "invalid-domain"),
        (r#"{"domain":"192.0.2.1"}"#, "invalid-domain"),
        (r#"{"domain":"localhost"}"#, "invalid-domain"),
        (r#"{"domain":"a_b.example.com"}"#, "invalid-domain"),
        (
            r#"{"domain":"example.com","dkim_selectors":["s1 x"]}"#,
            "invalid-name",
        ),
        (
            r#"{"domain":"example.com","dkim_selectors":["../x"]}"#,
            "invalid-name",
        ),
        (
            r#"{"domain":"example.com","dnsbl":{"lists":["zen.spamhaus.org","bad list"]}}"#,
            "invalid-name",
        ),
        (
            r#"{"domain":"example.com","profile":{"name":"X","dkim_cnames":{"s1":"http://x/"}}}"#,
            "invalid-name",
        ),
    ];
    for (body, expected) in cases {
        let got = code(parse_report_request(
            body.as_bytes(),
            &limits,
            1_700_000_000,
        ));
        assert!(
            got.starts_with(expected),
            "{body}: expected {expected}, got {got}"
        );
    }
    let too_many_ips = format!(
        r#"{{"domain":"example.com","ips":[{}]}}"#,
        (1..=17)
            .map(|i| format!("\"192.0.2.{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(
        code(parse_report_request(too_many_ips.as_bytes(), &limits, 0)),
        "bad-json"
    );
    let huge = format!(r#"{{"domain":"example.com","x":"{}"}}"#, "a".repeat(20_000));
    assert_eq!(
        code(parse_report_request(huge.as_bytes(), &limits, 0)),
        "body-too-large"
    );
    let input =
        parse_report_request(br#"{"domain":"Example.COM."}"#, &limits, 1_700_000_000).unwrap();
    assert_eq!(input.domain, "example.com");
    assert_eq!(
        input.timestamp, 1_700_000_000,
        "the gateway's clock, not the client's"
    );
}

#[test]
fn the_gate_refuses_what_a_client_could_not_send_and_keeps_the_budget() {
    let budget = ReportBudget {
        max_rounds: 3,
        max_queries: 2,
        max_fetches: 1,
    };
    let mut spent = Spent::default();
    let ok = Query::new("Example.com.", RecordType::Txt);
    assert_eq!(
        gate_query(&ok, &budget, &mut spent),
        QueryGate::Send(Query::new("example.com", RecordType::Txt))
    );
    // An SPF macro can expand to anything; such a name never leaves.
    let hostile = Query::new("a b.example.com", RecordType::A);
    assert_eq!(
        gate_query(&hostile, &budget, &mut spent),
        QueryGate::Answer(Answer::failed(Failure::Error))
    );
    let ns = Query::new(
        "example.com",
        RecordType::parse("NS").unwrap_or(RecordType::Txt),
    );
    if ns.record_type != RecordType::Txt {
        assert!(matches!(
            gate_query(&ns, &budget, &mut spent),
            QueryGate::Answer(Answer::Failed { .. })
        ));
    }
    assert!(matches!(
        gate_query(
            &Query::new("b.example.com", RecordType::A),
            &budget,
            &mut spent
        ),
        QueryGate::Send(_)
    ));
    assert_eq!(spent.queries, 2);
    assert_eq!(
        gate_query(
            &Query::new("c.example.com", RecordType::A),
            &budget,
            &mut spent
        ),
        QueryGate::Answer(Answer::failed(Failure::Refused)),
        "past the budget: could not verify"
    );
    assert_eq!(spent.queries, 2);

    let mut spent = Spent::default();
    assert!(
        gate_fetch(
            "https://mta-sts.example.com/.well-known/mta-sts.txt",
            &budget,
            &mut spent
        )
        .is_ok()
    );
    for url in [
        "https://mta-sts.example.com/.well-known/mta-sts.txt",
        "https://mta-sts.127.0.0.1/.well-known/mta-sts.txt",
        "https://mta-sts.example.com:8443/.well-known/mta-sts.txt",
        "https://mta-sts.example.com/.well-known/mta-sts.txt?x=1",
        "https://evil.example/.well-known/mta-sts.txt",
        "http://mta-sts.example.com/.well-known/mta-sts.txt",
        "https://mta-sts.user@evil.example/.well-known/mta-sts.txt",
    ] {
        assert!(
            matches!(
                gate_fetch(url, &budget, &mut spent),
                Err(FetchResult::Failed { .. })
            ),
            "{url}"
        );
    }
}

fn snapshot_of(domain: &str) -> (CheckInput, Snapshot) {
    let mut answers = AnswerCache::new();
    answers.insert(
        Query::new(domain, RecordType::Txt),
        Answer::records(vec![RecordData::Txt(vec![b"v=spf1 -all".to_vec()])]),
    );
    let input = CheckInput {
        domain: domain.to_owned(),
        ..CheckInput::default()
    };
    (
        input,
        Snapshot {
            answers,
            ..Snapshot::default()
        },
    )
}

#[test]
fn signed_snapshots_verify_and_every_edit_breaks_them() {
    let limits = Limits::default();
    let (input, snapshot) = snapshot_of("example.com");
    let signed = sign_snapshot(SECRET, input, snapshot, 1_763_000_000).unwrap();
    assert_eq!(signed.input.timestamp, 1_763_000_000);
    let body = serde_json::to_vec(&signed).unwrap();
    assert_eq!(verify_snapshot(SECRET, &body, &limits), Ok(true));
    // Re-serialized with another key order (as a browser might): still intact.
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    assert_eq!(verify_snapshot(SECRET, &pretty, &limits), Ok(true));
    // Another secret, another time, another answer, another domain: not intact.
    assert_eq!(
        verify_snapshot(b"another secret, 32 octets long!!", &body, &limits),
        Ok(false)
    );
    let edits: [Edit; 5] = [
        Box::new(|s| s.taken_at += 1),
        Box::new(|s| s.input.domain = "example.org".to_owned()),
        Box::new(|s| s.input.ips.push("192.0.2.1".parse().unwrap())),
        Box::new(|s| {
            s.snapshot.answers.insert(
                Query::new("_dmarc.example.com", RecordType::Txt),
                Answer::records(vec![RecordData::Txt(vec![b"v=DMARC1; p=none".to_vec()])]),
            );
        }),
        Box::new(|s| s.signature = s.signature.to_uppercase().replace('A', "B")),
    ];
    for (index, edit) in edits.iter().enumerate() {
        let mut edited = signed.clone();
        edit(&mut edited);
        let body = serde_json::to_vec(&edited).unwrap();
        assert_eq!(
            verify_snapshot(SECRET, &body, &limits),
            Ok(false),
            "edit {index}"
        );
    }
    assert_eq!(
        code(verify_snapshot(SECRET, b"{\"input\":1}", &limits)),
        "bad-json"
    );
    assert_eq!(
        code(verify_snapshot(SECRET, b"not json", &limits)),
        "bad-json"
    );
    // The snapshot reproduces its report anywhere.
    assert_eq!(
        signed.report(),
        build_report(&signed.input, &signed.snapshot)
    );
}

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
        assert_eq!(code(Config::from_vars(vars)), "misconfigured", "{vars:?}");
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

/// Issue 12, part 9 (abuse probe under `wrangler dev`): `/api/verify` said "valid" for a body
/// whose `input` carried a forged `domain` before the real one, while a reader that keeps the
/// other value shows the forged domain as verified.
#[test]
fn a_snapshot_with_a_repeated_key_is_refused_not_verified() {
    let limits = Limits::default();
    let (input, snapshot) = snapshot_of("real.test");
    let signed = sign_snapshot(SECRET, input, snapshot, 1_763_000_000).unwrap();
    let body = serde_json::to_string(&signed).unwrap();
    assert_eq!(verify_snapshot(SECRET, body.as_bytes(), &limits), Ok(true));
    let forge = |from: &str, to: &str| {
        assert!(body.contains(from), "{from} in {body}");
        body.replacen(from, to, 1)
    };
    for (what, forged) in [
        (
            "a forged domain before the real one",
            forge(
                r#""domain":"real.test""#,
                r#""domain":"evil.test","domain":"real.test""#,
            ),
        ),
        (
            "a forged domain after the real one",
            forge(
                r#""domain":"real.test""#,
                r#""domain":"real.test","domain":"evil.test""#,
            ),
        ),
        (
            "the input twice",
            forge(
                r#""input":{"#,
                r#""input":{"domain":"evil.test"},"input":{"#,
            ),
        ),
        (
            "the time twice",
            forge(r#""taken_at":"#, r#""taken_at":1,"taken_at":"#),
        ),
        (
            "a URL repeated in the fetches map",
            forge(
                r#""fetches":{}"#,
                r#""fetches":{"https://x.test/":{"status":"failed","reason":"a"},"https://x.test/":{"status":"failed","reason":"b"}}"#,
            ),
        ),
    ] {
        assert_eq!(
            code(verify_snapshot(SECRET, forged.as_bytes(), &limits)),
            "bad-json",
            "{what}: {forged}"
        );
    }
    // Equal keys in different objects are no repeat.
    let nested = br#"{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}"#;
    assert!(crate::request::json_document(nested, 1024, "", |_| true).is_ok());
}

#[test]
fn request_bodies_with_a_repeated_key_anywhere_are_refused() {
    let limits = Limits::default();
    for body in [
        r#"{"domain":"evil.test","domain":"real.test"}"#,
        // A map inside a struct: serde's derived code would keep the last value.
        r#"{"domain":"real.test","profile":{"name":"x","dkim_cnames":{"s1":"evil.test","s1":"ok.test"}}}"#,
        r#"{"domain":"real.test","dnsbl":{"lists":["a.test"],"lists":["b.test"]}}"#,
    ] {
        assert_eq!(
            code(parse_report_request(body.as_bytes(), &limits, 0)),
            "bad-json",
            "{body}"
        );
    }
    for body in [
        r#"{"queries":[{"name":"evil.test","name":"real.test","type":"TXT"}]}"#,
        r#"{"queries":[{"name":"real.test","type":"TXT","type":"A"}]}"#,
    ] {
        assert_eq!(
            code(crate::request::parse_batch(body.as_bytes(), &limits)),
            "bad-json",
            "{body}"
        );
    }
    // The same documents without the repeat pass.
    assert!(
        parse_report_request(
            br#"{"domain":"real.test","profile":{"name":"x","dkim_cnames":{"s1":"ok.test"}}}"#,
            &limits,
            0
        )
        .is_ok()
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

#[test]
fn mta_sts_fetches_never_go_to_special_use_names() {
    for domain in [
        "x.localhost",
        "x.invalid",
        "printer.local",
        "router.home.arpa",
        "x.onion",
        "x.internal",
        "x.lan",
        "x.alt",
    ] {
        assert_eq!(
            code(crate::request::mta_sts_url(domain)),
            "invalid-domain",
            "{domain}"
        );
        assert_eq!(
            code(crate::request::parse_mta_sts_query(&format!(
                "domain={domain}"
            ))),
            "invalid-domain",
            "{domain}"
        );
        // Inside a report the planner's fetch of such a name is refused, never sent.
        let url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
        assert!(
            gate_fetch(&url, &ReportBudget::default(), &mut Spent::default()).is_err(),
            "{url}"
        );
    }
    for domain in ["clean.report.test", "x.test", "example.com", "mail.example"] {
        assert_eq!(
            crate::request::mta_sts_url(domain),
            Ok(format!("https://mta-sts.{domain}/.well-known/mta-sts.txt")),
            "{domain}"
        );
    }
}
