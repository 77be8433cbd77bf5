//! The gateway's tests of `request.rs` and `doh.rs`: tables of hostile and valid inputs, one
//! `check` helper per feature, and [`outcome`], which the other `*_tests.rs` files share.

use crate::doh::{
    Resolved, answer_from_response, answers_json, cache_ttl, cache_ttl_for, doh_get_url,
    response_ttl,
};
use crate::request::{
    Endpoint, GatewayError, Limits, allowed_type, mta_sts_url, parse_batch, parse_get, route,
    validate_name,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use postcheck_core::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType};
use postcheck_dns::{EncodeOptions, decode_response, encode_query};

/// The code of an error, or `ok:<value>` for a success, so one table holds both.
pub(crate) fn outcome<T: std::fmt::Debug>(result: Result<T, GatewayError>) -> String {
    match result {
        Ok(value) => format!("ok:{value:?}"),
        Err(err) => {
            // Every error renders as the documented JSON shape.
            let json = err.to_json();
            assert_eq!(json["error"]["code"], err.code(), "{err}");
            assert!(json["error"]["message"].is_string(), "{err}");
            err.code().to_owned()
        }
    }
}

fn check_table<T: std::fmt::Debug>(
    function: &str,
    run: impl Fn(&str) -> Result<T, GatewayError>,
    table: &[(&str, &str)],
) {
    let mut failures = Vec::new();
    for (input, expect) in table {
        let got = outcome(run(input));
        // `ok:` alone accepts any success; `ok:x` compares with the value's Debug form, with
        // or without the quotes of a string.
        let matches = if let Some(value) = expect.strip_prefix("ok:") {
            (value.is_empty() && got.starts_with("ok:"))
                || got == format!("ok:{value}")
                || got == format!("ok:{value:?}")
        } else {
            got == *expect
        };
        if !matches {
            failures.push(format!(
                "{function}({input:?}): expected {expect}, got {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn validate_name_table() {
    let long_label = format!("{}.com", "a".repeat(64));
    let max_label = format!("{}.com", "a".repeat(63));
    // 4 × 63 + 3 dots = 255; cut to exactly 253 and 254 characters.
    let long_name = [&*"b".repeat(63); 4].join(".");
    let name_253 = format!("{}.com", &long_name[..249]);
    let name_254 = format!("{}.com", &long_name[..250]);
    let name_253_dot = format!("{name_253}.");
    let huge = "a.".repeat(5000) + "com";
    let table: Vec<(&str, &str)> = vec![
        // Valid names, normalized.
        ("example.com", "ok:example.com"),
        ("Example.COM.", "ok:example.com"),
        ("_dmarc.example.com", "ok:_dmarc.example.com"),
        ("s1._domainkey.example.com", "ok:s1._domainkey.example.com"),
        ("_mta-sts.example.com", "ok:_mta-sts.example.com"),
        ("4.3.2.1.in-addr.arpa", "ok:4.3.2.1.in-addr.arpa"),
        ("xn--bcher-kva.de", "ok:xn--bcher-kva.de"),
        ("3com.example", "ok:3com.example"),
        (&max_label, "ok:"),
        (&name_253, "ok:"),
        (&name_253_dot, "ok:"),
        // Empty, root, lengths (RFC 1035 §2.3.4).
        ("", "invalid-name"),
        (".", "invalid-name"),
        ("..", "invalid-name"),
        (&long_label, "invalid-name"),
        (&name_254, "invalid-name"),
        (&huge, "invalid-name"),
        // Empty labels and hyphens.
        ("example..com", "invalid-name"),
        (".example.com", "invalid-name"),
        ("example.com..", "invalid-name"),
        ("-example.com", "invalid-name"),
        ("example-.com", "invalid-name"),
        ("example.-com", "invalid-name"),
        // Characters.
        ("exa mple.com", "invalid-name"),
        ("example.com ", "invalid-name"),
        ("example.com\t", "invalid-name"),
        ("example.com\n", "invalid-name"),
        ("example.com\r\nHost: evil", "invalid-name"),
        ("example.com\0", "invalid-name"),
        ("\u{7f}example.com", "invalid-name"),
        ("exa%2ample.com", "invalid-name"),
        ("exa\\046mple.com", "invalid-name"),
        ("*.example.com", "invalid-name"),
        ("example.com;rm", "invalid-name"),
        ("\"example.com\"", "invalid-name"),
        // Unicode and IDNs that are not A-labels (RFC 5890 §2.3.2.1).
        ("bücher.de", "invalid-name"),
        ("例え.jp", "invalid-name"),
        ("example。com", "invalid-name"),
        ("example.com\u{200b}", "invalid-name"),
        ("ехample.com", "invalid-name"),
        // IP literals, v4 (also inet_aton forms) and v6, bracketed or not.
        ("1.2.3.4", "invalid-name"),
        ("1.2.3.4.", "invalid-name"),
        ("010.0.0.1", "invalid-name"),
        ("127.1", "invalid-name"),
        ("4294967295", "invalid-name"),
        ("0x7f.1", "invalid-name"),
        ("::1", "invalid-name"),
        ("[::1]", "invalid-name"),
        ("[2001:db8::1]", "invalid-name"),
        ("2001:db8::1", "invalid-name"),
        ("::ffff:1.2.3.4", "invalid-name"),
        ("[1.2.3.4]", "invalid-name"),
        // Ports, userinfo, paths, URLs.
        ("example.com:53", "invalid-name"),
        ("user@example.com", "invalid-name"),
        ("example.com/path", "invalid-name"),
        ("https://example.com", "invalid-name"),
        ("../etc/passwd", "invalid-name"),
        ("example.com/../x", "invalid-name"),
        ("example.com?x=1", "invalid-name"),
        ("example.com#frag", "invalid-name"),
    ];
    check_table("validate_name", validate_name, &table);
}

#[test]
fn allowed_type_table() {
    let table = [
        ("TXT", "ok:Txt"),
        ("txt", "ok:Txt"),
        ("A", "ok:A"),
        ("aaaa", "ok:Aaaa"),
        ("Mx", "ok:Mx"),
        ("PTR", "ok:Ptr"),
        ("CNAME", "ok:Cname"),
        ("ns", "ok:Ns"),
        // Types the checks do not need, meta types and generic forms (RFC 3597 §5).
        ("SOA", "unsupported-type"),
        ("ANY", "unsupported-type"),
        ("*", "unsupported-type"),
        ("AXFR", "unsupported-type"),
        ("IXFR", "unsupported-type"),
        ("TYPE255", "unsupported-type"),
        ("TYPE16", "unsupported-type"),
        ("RRSIG", "unsupported-type"),
        ("OPT", "unsupported-type"),
        ("16", "unsupported-type"),
        ("", "unsupported-type"),
        ("TXT ", "unsupported-type"),
        ("TXT\0", "unsupported-type"),
        ("ＴＸＴ", "unsupported-type"),
    ];
    check_table("allowed_type", allowed_type, &table);
}

fn batch_body(count: usize) -> String {
    let query = r#"{"name":"example.com","type":"TXT"}"#;
    format!(r#"{{"queries":[{}]}}"#, vec![query; count].join(","))
}

#[test]
fn parse_batch_table() {
    let limits = Limits::default();
    let over_body = " ".repeat(limits.max_body_bytes + 1);
    let nested = "[".repeat(200) + &"]".repeat(200);
    let batch_64 = batch_body(64);
    let batch_65 = batch_body(65);
    let batch_10000 = batch_body(10_000);
    let table: Vec<(&str, &str)> = vec![
        (
            r#"{"queries":[{"name":"Example.com.","type":"txt"},{"name":"_dmarc.example.com","type":"TXT"}]}"#,
            "ok:",
        ),
        (&batch_64, "ok:"),
        // Size limits.
        (&batch_65, "batch-too-large"),
        (&batch_10000, "body-too-large"),
        (&over_body, "body-too-large"),
        // Not JSON.
        ("", "bad-json"),
        ("not json", "bad-json"),
        ("{\"queries\":[", "bad-json"),
        ("\u{feff}{\"queries\":[]}", "bad-json"),
        (
            r#"{"queries":[{"name":"example.com","type":"TXT"}]} trailing"#,
            "bad-json",
        ),
        (&nested, "bad-json"),
        // Wrong shapes.
        ("[]", "bad-json"),
        ("null", "bad-json"),
        ("42", "bad-json"),
        (r#"{}"#, "bad-json"),
        (r#"{"queries":{}}"#, "bad-json"),
        (r#"{"queries":"example.com"}"#, "bad-json"),
        (r#"{"queries":[]}"#, "bad-json"),
        (r#"{"queries":[["example.com","TXT"]]}"#, "bad-json"),
        (r#"{"queries":["example.com"]}"#, "bad-json"),
        (r#"{"queries":[{"name":"example.com"}]}"#, "bad-json"),
        (r#"{"queries":[{"type":"TXT"}]}"#, "bad-json"),
        (r#"{"queries":[{"name":1,"type":"TXT"}]}"#, "bad-json"),
        (
            r#"{"queries":[{"name":"example.com","type":16}]}"#,
            "bad-json",
        ),
        (
            r#"{"queries":[{"name":"example.com","type":"TXT","class":"CH"}]}"#,
            "bad-json",
        ),
        (r#"{"queries":[],"upstream":"https://evil"}"#, "bad-json"),
        // Duplicate keys: refused, not "last one wins".
        (
            r#"{"queries":[{"name":"a.com","type":"A"}],"queries":[{"name":"b.com","type":"A"}]}"#,
            "bad-json",
        ),
        (
            r#"{"queries":[{"name":"a.com","name":"b.com","type":"A"}]}"#,
            "bad-json",
        ),
        // Good shape, values refused.
        (
            r#"{"queries":[{"name":"1.2.3.4","type":"PTR"}]}"#,
            "invalid-name",
        ),
        (
            r#"{"queries":[{"name":"bücher.de","type":"MX"}]}"#,
            "invalid-name",
        ),
        (
            r#"{"queries":[{"name":"example.com","type":"ANY"}]}"#,
            "unsupported-type",
        ),
        (
            r#"{"queries":[{"name":"example.com","type":"AXFR"}]}"#,
            "unsupported-type",
        ),
    ];
    check_table(
        "parse_batch",
        |body| parse_batch(body.as_bytes(), &limits),
        &table,
    );
}

#[test]
fn parse_batch_keeps_order_and_normalizes() {
    let body = br#"{"queries":[{"name":"Example.com.","type":"txt"},{"name":"_dmarc.example.com","type":"TXT"},{"name":"example.com","type":"txt"}]}"#;
    let queries = parse_batch(body, &Limits::default()).unwrap();
    assert_eq!(
        queries,
        vec![
            Query::new("example.com", RecordType::Txt),
            Query::new("_dmarc.example.com", RecordType::Txt),
            Query::new("example.com", RecordType::Txt),
        ]
    );
    // A tighter limit applies as given.
    let tight = Limits {
        max_batch: 2,
        ..Limits::default()
    };
    assert_eq!(
        parse_batch(body, &tight).unwrap_err(),
        GatewayError::BatchTooLarge { count: 3, max: 2 }
    );
}

#[test]
fn parse_get_table() {
    let long = format!("name={}&type=TXT", "a".repeat(2000));
    let table: Vec<(&str, &str)> = vec![
        (
            "name=example.com&type=TXT",
            "ok:Query { name: \"example.com\", record_type: Txt }",
        ),
        (
            "?type=mx&name=Example.COM.",
            "ok:Query { name: \"example.com\", record_type: Mx }",
        ),
        (
            "name=_dmarc%2Eexample.com&type=TXT",
            "ok:Query { name: \"_dmarc.example.com\", record_type: Txt }",
        ),
        ("", "bad-query"),
        ("?", "bad-query"),
        ("name=example.com", "bad-query"),
        ("type=TXT", "bad-query"),
        ("name=a.com&name=b.com&type=TXT", "bad-query"),
        ("name=a.com&type=TXT&type=A", "bad-query"),
        ("name=a.com&type=TXT&upstream=x", "bad-query"),
        ("name=%zz.com&type=TXT", "bad-query"),
        ("name=example.co%6&type=TXT", "bad-query"),
        ("name=example.com%&type=TXT", "bad-query"),
        ("name=%FF.com&type=TXT", "bad-query"),
        (&long, "bad-query"),
        ("name=&type=TXT", "invalid-name"),
        ("name=example.com%00&type=TXT", "invalid-name"),
        ("name=example.com%20&type=TXT", "invalid-name"),
        ("name=exa+mple.com&type=TXT", "invalid-name"),
        ("name=%25&type=TXT", "invalid-name"),
        ("name=127.0.0.1&type=A", "invalid-name"),
        ("name=%5B%3A%3A1%5D&type=AAAA", "invalid-name"),
        ("name=example.com%2Fx&type=TXT", "invalid-name"),
        ("name=b%C3%BCcher.de&type=TXT", "invalid-name"),
        ("name=example.com&type=ANY", "unsupported-type"),
        ("name=example.com&type=TYPE255", "unsupported-type"),
        ("name=example.com&type=", "unsupported-type"),
    ];
    check_table("parse_get", parse_get, &table);
}

#[test]
fn mta_sts_url_table() {
    let long_domain = format!("{}.com", vec!["c".repeat(60); 4].join("."));
    let table: Vec<(&str, &str)> = vec![
        (
            "example.com",
            "ok:https://mta-sts.example.com/.well-known/mta-sts.txt",
        ),
        (
            "Example.COM.",
            "ok:https://mta-sts.example.com/.well-known/mta-sts.txt",
        ),
        (
            "mail.xn--bcher-kva.de",
            "ok:https://mta-sts.mail.xn--bcher-kva.de/.well-known/mta-sts.txt",
        ),
        ("", "invalid-domain"),
        ("localhost", "invalid-domain"),
        ("https://example.com", "invalid-domain"),
        ("//example.com", "invalid-domain"),
        ("example.com:443", "invalid-domain"),
        ("example.com:", "invalid-domain"),
        ("user@example.com", "invalid-domain"),
        ("user:pass@example.com", "invalid-domain"),
        ("evil.com\\@example.com", "invalid-domain"),
        ("example.com/evil", "invalid-domain"),
        ("example.com?x=1", "invalid-domain"),
        ("example.com#x", "invalid-domain"),
        ("example.com%2F", "invalid-domain"),
        ("1.2.3.4", "invalid-domain"),
        ("127.1", "invalid-domain"),
        ("[::1]", "invalid-domain"),
        ("::1", "invalid-domain"),
        ("[::1]:443", "invalid-domain"),
        ("_dmarc.example.com", "invalid-domain"),
        ("exa mple.com", "invalid-domain"),
        ("example.com\r\nHost: evil", "invalid-domain"),
        ("bücher.de", "invalid-domain"),
        (&long_domain, "invalid-domain"),
    ];
    check_table("mta_sts_url", mta_sts_url, &table);
}

#[test]
fn route_table() {
    let table = [
        ("GET /api/dns", "ok:DnsGet"),
        ("POST /api/dns", "ok:DnsBatch"),
        ("POST /api/report", "ok:Report"),
        ("POST /api/verify", "ok:Verify"),
        ("GET /api/mta-sts", "ok:MtaSts"),
        ("PUT /api/dns", "method-not-allowed"),
        ("get /api/dns", "method-not-allowed"),
        ("GET /api/report", "method-not-allowed"),
        ("GET /api/verify", "method-not-allowed"),
        ("POST /api/mta-sts", "method-not-allowed"),
        ("GET /api/dns/", "not-found"),
        ("GET /api", "not-found"),
        ("GET /", "not-found"),
        ("GET /API/DNS", "not-found"),
    ];
    check_table(
        "route",
        |line| {
            let (method, path) = line.split_once(' ').unwrap();
            route(method, path)
        },
        &table,
    );
}

#[test]
fn error_json_and_status() {
    let cases: [(GatewayError, u16); 6] = [
        (validate_name("1.2.3.4").unwrap_err(), 422),
        (allowed_type("ANY").unwrap_err(), 422),
        (parse_batch(b"x", &Limits::default()).unwrap_err(), 400),
        (
            parse_batch(batch_body(65).as_bytes(), &Limits::default()).unwrap_err(),
            413,
        ),
        (route("GET", "/nope").unwrap_err(), 404),
        (route("DELETE", "/api/dns").unwrap_err(), 405),
    ];
    for (err, status) in cases {
        assert_eq!(err.status(), status, "{err}");
    }
    let json = allowed_type("AXFR").unwrap_err().to_json();
    assert_eq!(
        json,
        serde_json::json!({ "error": {
            "code": "unsupported-type",
            "message": "record type \"AXFR\" is not supported; use one of TXT, A, AAAA, MX, PTR, CNAME",
        }})
    );
    // Hostile input is echoed only in part.
    let err = validate_name(&"x".repeat(10_000)).unwrap_err();
    assert!(err.to_string().len() < 200, "{err}");
    assert!(matches!(
        route("PUT", "/api/dns").unwrap_err(),
        GatewayError::MethodNotAllowed {
            allowed: "GET, POST",
            ..
        }
    ));
}

/// Decodes the `dns=` parameter of a DoH URL back into the query message.
fn dns_parameter(url: &str) -> Vec<u8> {
    let (_, encoded) = url.rsplit_once("dns=").unwrap();
    assert!(
        encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "not base64url without padding: {encoded}"
    );
    URL_SAFE_NO_PAD.decode(encoded).unwrap()
}

#[test]
fn doh_get_url_round_trips_through_the_wire_decoder() {
    let upstream = "https://dns.example/dns-query";
    for query in [
        Query::new("example.com", RecordType::Txt),
        Query::new("_dmarc.example.com", RecordType::Txt),
        Query::new("4.3.2.1.in-addr.arpa", RecordType::Ptr),
        Query::new("mail.example.com", RecordType::Aaaa),
    ] {
        let url = doh_get_url(upstream, &query).unwrap();
        assert!(
            url.starts_with("https://dns.example/dns-query?dns="),
            "{url}"
        );
        let message = dns_parameter(&url);
        // RFC 8484 §4.1: ID 0.
        assert_eq!(&message[..2], &[0, 0]);
        assert_eq!(
            message,
            encode_query(&query, 0, EncodeOptions::new()).unwrap()
        );
        // Setting QR turns the query into an empty answer to itself: the wire decoder then
        // checks the question (name, type, class IN) against the query.
        let mut response = message.clone();
        response[2] |= 0x80;
        let decoded = decode_response(&response, &query).unwrap();
        assert_eq!(decoded.id, 0);
        assert_eq!(decoded.answer, Answer::Nodata);
        let other = Query::new("example.org", query.record_type);
        assert!(decode_response(&response, &other).is_err());
    }
}

#[test]
fn doh_get_url_table() {
    let query = Query::new("example.com", RecordType::Mx);
    let table = [
        ("https://dns.example/dns-query", "?dns="),
        ("https://dns.example/dns-query?ct=1", "&dns="),
        ("https://dns.example/dns-query?", "?dns="),
        ("https://dns.example/dns-query?ct=1&", "&dns="),
        ("http://127.0.0.1:8053/dns-query", "?dns="),
        ("ftp://dns.example/", "misconfigured"),
        ("dns.example/dns-query", "misconfigured"),
        ("https://", "misconfigured"),
        ("https:///dns-query", "misconfigured"),
        ("https://dns.example/#x", "misconfigured"),
        ("https://dns.example/?dns=AAAA", "misconfigured"),
        ("https://dns.example/ x", "misconfigured"),
    ];
    for (upstream, expect) in table {
        match doh_get_url(upstream, &query) {
            Ok(url) => {
                assert!(url.starts_with(upstream), "{url}");
                assert!(
                    url[upstream.len() - 1..].contains(expect),
                    "{upstream}: {url}"
                );
                assert_eq!(url.matches("dns=").count(), 1, "{url}");
            }
            Err(err) => assert_eq!(err.code(), expect, "{upstream}"),
        }
    }
    // A query that skipped the request checks is still refused.
    let sneaky = [
        (Query::new("1.2.3.4", RecordType::A), "invalid-name"),
        (Query::new("a..b", RecordType::A), "invalid-name"),
        (
            Query::new("example.com", RecordType::Soa),
            "unsupported-type",
        ),
    ];
    for (query, code) in sneaky {
        let err = doh_get_url("https://dns.example/dns-query", &query).unwrap_err();
        assert_eq!(err.code(), code, "{query}");
    }
}

/// Builds a response to `query`: header with `id` and `rcode`, the question, answer records
/// `(type, ttl, rdata)` owned by the question name, and authority records likewise.
fn response(
    query: &Query,
    id: u16,
    rcode: u8,
    answers: &[(u16, u32, Vec<u8>)],
    authority: &[(u16, u32, Vec<u8>)],
) -> Vec<u8> {
    let asked = encode_query(query, id, EncodeOptions::without_edns()).unwrap();
    let mut out = Vec::new();
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&(0x8180u16 | u16::from(rcode)).to_be_bytes());
    for count in [1, answers.len(), authority.len(), 0] {
        out.extend_from_slice(&(count as u16).to_be_bytes());
    }
    out.extend_from_slice(&asked[12..]);
    for (type_code, ttl, rdata) in answers.iter().chain(authority) {
        out.extend_from_slice(&[0xc0, 12]);
        out.extend_from_slice(&type_code.to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(&ttl.to_be_bytes());
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(rdata);
    }
    out
}

fn txt_rdata(text: &str) -> Vec<u8> {
    let mut rdata = vec![text.len() as u8];
    rdata.extend_from_slice(text.as_bytes());
    rdata
}

/// SOA rdata with root MNAME and RNAME (RFC 1035 §3.3.13) and the given MINIMUM.
fn soa_rdata(minimum: u32) -> Vec<u8> {
    let mut rdata = vec![0, 0];
    for field in [1u32, 7200, 3600, 1_209_600, minimum] {
        rdata.extend_from_slice(&field.to_be_bytes());
    }
    rdata
}

#[test]
fn answer_from_response_table() {
    let query = Query::new("example.com", RecordType::Txt);
    let good = response(&query, 0, 0, &[(16, 300, txt_rdata("v=spf1 -all"))], &[]);
    let records = Answer::Records {
        records: vec![RecordData::Txt(vec![b"v=spf1 -all".to_vec()])],
        authenticated: false,
    };
    let error = Answer::failed(Failure::Error);
    let ct = Some("application/dns-message");
    let other_question = response(&Query::new("example.org", RecordType::Txt), 0, 0, &[], &[]);
    let mut oversized = good.clone();
    oversized.resize(70_000, 0);
    let table: Vec<(u16, Option<&str>, Vec<u8>, Answer)> = vec![
        (200, ct, good.clone(), records.clone()),
        (
            200,
            Some(" Application/DNS-Message ; charset=binary"),
            good.clone(),
            records,
        ),
        (200, ct, response(&query, 0, 3, &[], &[]), Answer::Nxdomain),
        (200, ct, response(&query, 0, 0, &[], &[]), Answer::Nodata),
        (
            200,
            ct,
            response(&query, 0, 2, &[], &[]),
            Answer::failed(Failure::Servfail),
        ),
        (
            200,
            ct,
            response(&query, 0, 5, &[], &[]),
            Answer::failed(Failure::Refused),
        ),
        (500, ct, good.clone(), error.clone()),
        (404, ct, good.clone(), error.clone()),
        (204, ct, good.clone(), error.clone()),
        (200, None, good.clone(), error.clone()),
        (200, Some("text/html"), good.clone(), error.clone()),
        (
            200,
            Some("application/dns-json"),
            good.clone(),
            error.clone(),
        ),
        (200, ct, Vec::new(), error.clone()),
        (200, ct, b"<html>".to_vec(), error.clone()),
        (200, ct, good[..20].to_vec(), error.clone()),
        (200, ct, oversized, error.clone()),
        (200, ct, other_question, error.clone()),
        (
            200,
            ct,
            response(&query, 0x1234, 0, &[(16, 300, txt_rdata("x"))], &[]),
            error.clone(),
        ),
        // The query itself (QR clear) is not an answer.
        (
            200,
            ct,
            encode_query(&query, 0, EncodeOptions::new()).unwrap(),
            error,
        ),
    ];
    for (index, (status, content_type, body, expect)) in table.into_iter().enumerate() {
        let got = answer_from_response(status, content_type, &body, &query);
        assert_eq!(got, expect, "case {index}: {status} {content_type:?}");
    }
}

#[test]
fn response_ttl_and_cache_ttl() {
    let query = Query::new("example.com", RecordType::Txt);
    let limits = Limits::default();
    let two = response(
        &query,
        0,
        0,
        &[(16, 300, txt_rdata("a")), (16, 60, txt_rdata("b"))],
        &[],
    );
    assert_eq!(response_ttl(&two), Some(60));
    // RFC 2308 §5: the negative TTL is min(SOA TTL, SOA MINIMUM).
    let nxdomain = response(&query, 0, 3, &[], &[(6, 3600, soa_rdata(900))]);
    assert_eq!(response_ttl(&nxdomain), Some(900));
    let nodata = response(&query, 0, 0, &[], &[(6, 120, soa_rdata(900))]);
    assert_eq!(response_ttl(&nodata), Some(120));
    assert_eq!(response_ttl(&response(&query, 0, 3, &[], &[])), None);
    // RFC 2181 §8: a TTL with the top bit set counts as zero.
    let negative_ttl = response(&query, 0, 0, &[(16, 0x8000_0000, txt_rdata("a"))], &[]);
    assert_eq!(response_ttl(&negative_ttl), Some(0));
    for malformed in [&b""[..], &two[..14], &two[..two.len() - 1], &[0xff; 40][..]] {
        assert_eq!(response_ttl(malformed), None);
    }

    let table = [
        (Some(10), false, 30),
        (Some(0), false, 30),
        (Some(600), false, 600),
        (Some(86_400), false, 3600),
        (Some(u32::MAX), false, 3600),
        (None, false, 30),
        (Some(120), true, 120),
        (Some(86_400), true, 300),
        (Some(5), true, 30),
        (None, true, 30),
    ];
    for (ttl, negative, expect) in table {
        assert_eq!(
            cache_ttl(ttl, negative, &limits),
            expect,
            "{ttl:?} {negative}"
        );
    }

    let answer = answer_from_response(200, Some("application/dns-message"), &nxdomain, &query);
    assert_eq!(cache_ttl_for(&answer, &nxdomain, &limits), Some(300));
    let answer = answer_from_response(200, Some("application/dns-message"), &two, &query);
    assert_eq!(cache_ttl_for(&answer, &two, &limits), Some(60));
    let failed = Answer::failed(Failure::Servfail);
    assert_eq!(cache_ttl_for(&failed, &two, &limits), None);
}

#[test]
fn answers_json_matches_the_snapshot_entries() {
    let query = Query::new("example.com", RecordType::Txt);
    let txt = Answer::Records {
        records: vec![RecordData::Txt(vec![b"v=spf1 ".to_vec(), b"-all".to_vec()])],
        authenticated: true,
    };
    let results = [
        Resolved {
            query: query.clone(),
            answer: txt.clone(),
            ttl: Some(300),
        },
        Resolved {
            query: Query::new("nx.example.com", RecordType::A),
            answer: Answer::Nxdomain,
            ttl: Some(60),
        },
        Resolved {
            query: Query::new("sf.example.com", RecordType::Mx),
            answer: Answer::failed(Failure::Servfail),
            ttl: None,
        },
        Resolved {
            query: Query::new("to.example.com", RecordType::Mx),
            answer: Answer::failed(Failure::Timeout),
            ttl: None,
        },
    ];
    let json = answers_json(&results);
    let answers = json["answers"].as_array().unwrap();
    assert_eq!(answers[0]["rcode"], "NOERROR");
    assert_eq!(answers[0]["ttl"], 300);
    assert_eq!(answers[0]["answer"]["authenticated"], true, "the AD bit");
    assert_eq!(
        answers[0]["answer"]["records"][0]["data"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "character-strings kept apart: {}",
        answers[0]
    );
    assert_eq!(answers[1]["rcode"], "NXDOMAIN");
    assert_eq!(answers[2]["rcode"], "SERVFAIL");
    assert_eq!(answers[2]["answer"]["status"], "failed");
    assert_eq!(
        answers[3]["rcode"],
        serde_json::Value::Null,
        "no response at all"
    );
    assert_eq!(answers[3]["answer"]["failure"], "timeout");
    // The entries read back as the core's answer cache.
    let mut cache = AnswerCache::new();
    for resolved in &results {
        cache.insert(resolved.query.clone(), resolved.answer.clone());
    }
    let entries: Vec<serde_json::Value> = answers
        .iter()
        .map(|entry| serde_json::json!({ "query": entry["query"], "answer": entry["answer"] }))
        .collect();
    let read_back: AnswerCache =
        serde_json::from_value(serde_json::json!({ "entries": entries })).unwrap();
    assert_eq!(read_back, cache);
}

#[test]
fn default_limits() {
    let limits = Limits::default();
    assert_eq!(limits.max_body_bytes, 16 * 1024);
    assert_eq!(limits.max_batch, 64);
    assert_eq!(
        route("POST", "/api/dns").unwrap(),
        Endpoint::DnsBatch,
        "the batch endpoint is POST /api/dns"
    );
}

#[test]
fn smtp_queries_name_a_public_host_and_a_submission_port() {
    use crate::request::{SmtpTarget, parse_smtp_query};
    use postcheck_core::smtp::settings::Security;
    let target = |host: &str, port, security| SmtpTarget {
        host: host.to_owned(),
        port,
        security,
    };
    assert_eq!(
        parse_smtp_query("host=Smtp.Example.com").unwrap(),
        target("smtp.example.com", 587, Security::StartTls)
    );
    assert_eq!(
        parse_smtp_query("?host=smtp.example.com.&port=465").unwrap(),
        target("smtp.example.com", 465, Security::Tls)
    );
    // The wrong combination is what the check explains, so it is allowed.
    assert_eq!(
        parse_smtp_query("host=smtp.example.com&port=587&security=tls").unwrap(),
        target("smtp.example.com", 587, Security::Tls)
    );
    for (query, kind) in [
        ("", "bad-query"),
        ("port=587", "bad-query"),
        ("host=smtp.example.com&port=25", "bad-query"),
        ("host=smtp.example.com&port=2525", "bad-query"),
        ("host=smtp.example.com&security=ssl", "bad-query"),
        ("host=a.example&host=b.example", "bad-query"),
        ("host=smtp.example.com&user=x", "bad-query"),
        ("host=127.0.0.1", "invalid-domain"),
        ("host=%5B2001:db8::1%5D", "invalid-domain"),
        ("host=mail.localhost", "invalid-domain"),
        ("host=smtp.corp", "invalid-domain"),
    ] {
        let error = parse_smtp_query(query).expect_err(query);
        assert_eq!(error.code(), kind, "{query}: {error}");
    }
}
