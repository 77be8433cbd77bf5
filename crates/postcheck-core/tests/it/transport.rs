//! MTA-STS (RFC 8461), TLS-RPT (RFC 8460), BIMI and the DNSSEC status on in-memory zones and
//! fetch results: each code present where it belongs and absent where it does not, the rounds a
//! driver needs (DNS first, then the policy fetch from exactly one URL), and no finding at all for
//! a domain that publishes nothing or publishes it right.

use crate::zone::Zone;
use postcheck_core::dns::{Answer, AnswerCache, Failure, Query, RecordType};
use postcheck_core::fetch::{FetchCache, FetchResult, Needs};
use postcheck_core::findings::{Code, Finding, Severity};
use postcheck_core::mailtransport::{
    BimiSection, MtaStsSection, Published, TlsRptSection, check_bimi, check_mta_sts, check_tlsrpt,
    dnssec_status, policy_url,
};
use postcheck_core::messages::{Lang, message};
use postcheck_core::mx::check_mx;

const DOMAIN: &str = "example.test";
const URL: &str = "https://mta-sts.example.test/.well-known/mta-sts.txt";
const RECORD: (&str, &str, &str) = (
    "_mta-sts.example.test",
    "TXT",
    "v=STSv1; id=20260101T000000Z;",
);
const CLEAN_POLICY: &str =
    "version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 604800\r\n";

const TRANSPORT_CODES: &[&str] = &[
    "mta-sts-invalid",
    "mta-sts-mx-not-covered",
    "mta-sts-testing",
    "mta-sts-dns-error",
    "tlsrpt-invalid",
    "tlsrpt-dns-error",
    "bimi-invalid",
    "bimi-dns-error",
    "dnssec-unsigned",
];

/// A 200 answer with `text/plain`.
fn plain(body: &str) -> FetchResult {
    FetchResult::Response {
        code: 200,
        content_type: Some("text/plain; charset=utf-8".to_owned()),
        body: body.to_owned(),
    }
}

/// Runs a check that may also need fetches to completion: each round's queries are answered
/// from `zone` (or `overrides`) and each fetch from `fetches` (a URL not listed fails). Returns
/// the result and what each round asked for.
fn drive<T>(
    zone: &Zone,
    overrides: &[(Query, Answer)],
    fetches: &[(&str, FetchResult)],
    check: impl Fn(&AnswerCache, &FetchCache) -> Result<T, Needs>,
) -> (T, Vec<Needs>) {
    let mut cache = AnswerCache::new();
    let mut fetched = FetchCache::new();
    let mut rounds = Vec::new();
    loop {
        match check(&cache, &fetched) {
            Ok(section) => return (section, rounds),
            Err(needs) => {
                assert!(!needs.is_empty(), "Err with nothing needed");
                assert!(rounds.len() < 5, "the check does not converge");
                for query in &needs.queries {
                    assert!(cache.get(query).is_none(), "{query} asked again");
                    let answer = overrides
                        .iter()
                        .find(|(q, _)| q == query)
                        .map(|(_, a)| a.clone())
                        .unwrap_or_else(|| zone.answer(query));
                    cache.insert(query.clone(), answer);
                }
                for url in &needs.fetches {
                    assert!(fetched.get(url).is_none(), "{url} fetched again");
                    let result = fetches
                        .iter()
                        .find(|(u, _)| u == url)
                        .map(|(_, r)| r.clone())
                        .unwrap_or_else(|| FetchResult::Failed {
                            reason: "connection refused".to_owned(),
                        });
                    fetched.insert(url.clone(), result);
                }
                rounds.push(needs);
            }
        }
    }
}

/// A check of only DNS, driven the same way.
fn drive_dns<T>(
    zone: &Zone,
    overrides: &[(Query, Answer)],
    check: impl Fn(&AnswerCache) -> Result<T, Vec<Query>>,
) -> (T, AnswerCache) {
    let mut cache = AnswerCache::new();
    for _ in 0..5 {
        match check(&cache) {
            Ok(section) => return (section, cache),
            Err(queries) => {
                assert!(!queries.is_empty(), "Err with no query");
                for query in queries {
                    let answer = overrides
                        .iter()
                        .find(|(q, _)| *q == query)
                        .map(|(_, a)| a.clone())
                        .unwrap_or_else(|| zone.answer(&query));
                    cache.insert(query, answer);
                }
            }
        }
    }
    panic!("the check does not converge");
}

fn mta_sts(
    rows: &[(&str, &str, &str)],
    mx_hosts: &[&str],
    fetches: &[(&str, FetchResult)],
) -> (MtaStsSection, Vec<Needs>) {
    let zone = Zone::from_rows(rows);
    let hosts: Vec<String> = mx_hosts.iter().map(|h| (*h).to_owned()).collect();
    drive(&zone, &[], fetches, |cache, fetched| {
        check_mta_sts(DOMAIN, &hosts, cache, fetched)
    })
}

fn tlsrpt(rows: &[(&str, &str, &str)]) -> TlsRptSection {
    drive_dns(&Zone::from_rows(rows), &[], |cache| {
        check_tlsrpt(DOMAIN, cache)
    })
    .0
}

fn bimi(rows: &[(&str, &str, &str)]) -> BimiSection {
    drive_dns(&Zone::from_rows(rows), &[], |cache| {
        check_bimi(DOMAIN, cache)
    })
    .0
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

/// Exactly the codes of `present` (with repeats) occur among the transport codes, no other.
fn assert_only(findings: &[Finding], present: &[&str]) {
    let mut got: Vec<&str> = codes(findings)
        .into_iter()
        .filter(|code| TRANSPORT_CODES.contains(code))
        .collect();
    let mut want = present.to_vec();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "{findings:#?}");
    assert_eq!(codes(findings).len(), present.len(), "{findings:#?}");
}

fn find(findings: &[Finding], code: Code) -> &Finding {
    findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(findings)))
}

/// The text a finding's span cuts out of `text`.
fn spanned<'a>(finding: &Finding, text: &'a str) -> &'a str {
    let span = finding.span.expect("a span");
    &text[span.start..span.end]
}

/// Every finding renders in both languages with every placeholder filled.
fn assert_messages(findings: &[Finding]) {
    for finding in findings {
        for &lang in Lang::ALL {
            let text = message(finding, lang);
            assert!(!text.trim().is_empty(), "{finding:?}");
            assert!(!text.contains('{'), "{text}");
        }
    }
}

// === MTA-STS =====================================================================================

#[test]
fn enforce_policy_covering_every_mx_is_clean() {
    let (section, rounds) = mta_sts(
        &[RECORD],
        &["mail.example.test"],
        &[(URL, plain(CLEAN_POLICY))],
    );
    assert_only(&section.findings, &[]);
    assert_eq!(section.published, Published::Yes);
    assert_eq!(section.id.as_deref(), Some("20260101T000000Z"));
    assert_eq!(section.mode.as_deref(), Some("enforce"));
    assert_eq!(section.mx_patterns, ["mail.example.test"]);
    assert_eq!(section.max_age, Some(604_800));
    assert_eq!(section.policy.as_deref(), Some(CLEAN_POLICY));
    assert_eq!(section.policy_url.as_deref(), Some(URL));
    // Round one: the TXT record only; round two: the policy from exactly this URL.
    assert_eq!(rounds.len(), 2);
    assert_eq!(
        rounds[0].queries,
        [Query::new("_mta-sts.example.test", RecordType::Txt)]
    );
    assert!(rounds[0].fetches.is_empty());
    assert!(rounds[1].queries.is_empty());
    assert_eq!(rounds[1].fetches, [URL]);
    assert_eq!(policy_url("Example.TEST."), URL);
}

#[test]
fn mx_hosts_from_the_mx_check_are_covered() {
    let zone = Zone::from_rows(&[
        RECORD,
        ("example.test", "MX", "10 mail.example.test."),
        ("example.test", "MX", "20 MX2.example.test."),
        ("mail.example.test", "A", "192.0.2.1"),
        ("mx2.example.test", "A", "192.0.2.2"),
    ]);
    let (mx, _) = drive_dns(&zone, &[], |cache| check_mx(DOMAIN, cache));
    let policy = "version: STSv1\nmode: enforce\nmx: mail.example.test\nmx: mx2.example.test\nmax_age: 86400\n";
    let (section, _) = drive(&zone, &[], &[(URL, plain(policy))], |cache, fetched| {
        check_mta_sts(DOMAIN, &mx.hosts(), cache, fetched)
    });
    assert_only(&section.findings, &[]);
    assert_eq!(section.mx_hosts, ["mail.example.test", "mx2.example.test"]);
}

#[test]
fn wildcard_covers_exactly_one_label() {
    let policy = "version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 86400\n";
    let (section, _) = mta_sts(
        &[RECORD],
        &["mx1.example.test", "MX2.Example.Test."],
        &[(URL, plain(policy))],
    );
    assert_only(&section.findings, &[]);
    // RFC 8461 §4.1: `*.example.test` does not cover `mx.eu.example.test` nor the domain itself.
    let (section, _) = mta_sts(
        &[RECORD],
        &["mx.eu.example.test", "example.test", "mx1.example.test"],
        &[(URL, plain(policy))],
    );
    assert_only(
        &section.findings,
        &["mta-sts-mx-not-covered", "mta-sts-mx-not-covered"],
    );
    let hosts: Vec<&str> = section.findings.iter().map(|f| f.param("host")).collect();
    assert_eq!(hosts, ["mx.eu.example.test", "example.test"]);
}

#[test]
fn host_not_covered_by_an_enforce_policy_is_an_error() {
    let (section, _) = mta_sts(
        &[RECORD],
        &["mail.example.test", "backup.example.test"],
        &[(URL, plain(CLEAN_POLICY))],
    );
    assert_only(&section.findings, &["mta-sts-mx-not-covered"]);
    let finding = find(&section.findings, Code::MtaStsMxNotCovered);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.param("host"), "backup.example.test");
    assert_eq!(finding.param("patterns"), "mail.example.test");
    assert_eq!(finding.param("domain"), DOMAIN);
    assert_messages(&section.findings);
}

#[test]
fn testing_mode_is_info_and_checks_no_coverage() {
    let policy = "version: STSv1\nmode: testing\nmx: mail.example.test\nmax_age: 86400\n";
    let (section, _) = mta_sts(&[RECORD], &["other.example.test"], &[(URL, plain(policy))]);
    assert_only(&section.findings, &["mta-sts-testing"]);
    let finding = find(&section.findings, Code::MtaStsTesting);
    assert_eq!(finding.severity, Severity::Info);
    assert_eq!(finding.domain.as_deref(), Some("mta-sts.example.test"));
    assert_eq!(spanned(finding, policy), "mode: testing");
    assert_messages(&section.findings);
}

#[test]
fn mode_none_needs_no_mx_and_gives_no_finding() {
    let policy = "version: STSv1\nmode: none\nmax_age: 86400\n";
    let (section, _) = mta_sts(&[RECORD], &["mail.example.test"], &[(URL, plain(policy))]);
    assert_only(&section.findings, &[]);
    assert_eq!(section.mode.as_deref(), Some("none"));
}

#[test]
fn failed_fetch_is_invalid_and_names_the_url() {
    let (section, _) = mta_sts(&[RECORD], &["mail.example.test"], &[]);
    assert_only(&section.findings, &["mta-sts-invalid"]);
    let finding = find(&section.findings, Code::MtaStsInvalid);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.param("reason"), "fetch-failed");
    assert_eq!(finding.param("detail"), "connection refused");
    assert_eq!(finding.param("url"), URL);
    assert_eq!(finding.domain.as_deref(), Some("mta-sts.example.test"));
    assert!(section.policy.is_none());
    assert_messages(&section.findings);
    let text = message(finding, Lang::De);
    assert!(
        text.contains(URL) && text.contains("connection refused"),
        "{text}"
    );
}

#[test]
fn not_found_and_redirect_are_invalid() {
    for status in [404, 301, 500] {
        let result = FetchResult::Response {
            code: status,
            content_type: Some("text/html".to_owned()),
            body: "<html>moved</html>".to_owned(),
        };
        let (section, _) = mta_sts(&[RECORD], &["mail.example.test"], &[(URL, result)]);
        assert_only(&section.findings, &["mta-sts-invalid"]);
        let finding = find(&section.findings, Code::MtaStsInvalid);
        assert_eq!(finding.param("reason"), "http-status");
        assert_eq!(finding.param("status"), status.to_string());
        assert!(section.policy.is_none(), "a {status} body is no policy");
        assert_messages(&section.findings);
    }
}

#[test]
fn a_web_page_instead_of_the_policy_is_one_finding() {
    let page = "<!DOCTYPE html>\n<html><head><title>Welcome</title></head>\n<body><a href=\"https://example.test/\">Home</a></body></html>\n";
    let result = FetchResult::Response {
        code: 200,
        content_type: Some("text/html; charset=utf-8".to_owned()),
        body: page.to_owned(),
    };
    let (section, _) = mta_sts(&[RECORD], &["mail.example.test"], &[(URL, result)]);
    assert_only(&section.findings, &["mta-sts-invalid"]);
    let finding = find(&section.findings, Code::MtaStsInvalid);
    assert_eq!(finding.param("reason"), "policy-format");
    assert_eq!(finding.param("content_type"), "text/html; charset=utf-8");
    assert_messages(&section.findings);
}

#[test]
fn a_policy_not_served_as_text_plain_is_a_warning() {
    for content_type in [Some("application/octet-stream"), None] {
        let result = FetchResult::Response {
            code: 200,
            content_type: content_type.map(str::to_owned),
            body: CLEAN_POLICY.to_owned(),
        };
        let (section, _) = mta_sts(&[RECORD], &["mail.example.test"], &[(URL, result)]);
        assert_only(&section.findings, &["mta-sts-invalid"]);
        let finding = find(&section.findings, Code::MtaStsInvalid);
        assert_eq!(finding.severity, Severity::Warning);
        assert_eq!(finding.param("reason"), "content-type");
        assert_eq!(finding.param("content_type"), content_type.unwrap_or(""));
        // The policy itself was read.
        assert_eq!(section.mode.as_deref(), Some("enforce"));
        assert_messages(&section.findings);
    }
}

#[test]
fn a_broken_policy_points_at_its_lines() {
    let policy = "version: STSv1\r\nmode: enforced\r\nmx: mail.example.test\r\nmax_age: 1w\r\n";
    let (section, _) = mta_sts(&[RECORD], &["backup.example.test"], &[(URL, plain(policy))]);
    assert_only(&section.findings, &["mta-sts-invalid", "mta-sts-invalid"]);
    for finding in &section.findings {
        assert_eq!(finding.domain.as_deref(), Some("mta-sts.example.test"));
    }
    assert_eq!(spanned(&section.findings[0], policy), "mode: enforced");
    assert_eq!(section.findings[0].param("term"), "enforced");
    assert_eq!(spanned(&section.findings[1], policy), "max_age: 1w");
    assert_messages(&section.findings);
}

#[test]
fn a_policy_missing_its_fields_says_which() {
    let policy = "version: STSv1\nmode: enforce\n";
    let (section, _) = mta_sts(&[RECORD], &[], &[(URL, plain(policy))]);
    let terms: Vec<&str> = section.findings.iter().map(|f| f.param("term")).collect();
    assert_eq!(terms, ["max_age", "mx"]);
    assert_messages(&section.findings);
    assert!(message(&section.findings[1], Lang::De).contains("„mx: …“"));
}

#[test]
fn a_record_without_id_is_invalid_and_the_policy_is_still_read() {
    let record = "v=STSv1;";
    let (section, rounds) = mta_sts(
        &[("_mta-sts.example.test", "TXT", record)],
        &["mail.example.test"],
        &[(URL, plain(CLEAN_POLICY))],
    );
    assert_only(&section.findings, &["mta-sts-invalid"]);
    let finding = find(&section.findings, Code::MtaStsInvalid);
    assert_eq!(finding.param("reason"), "record-id-missing");
    assert_eq!(finding.domain.as_deref(), Some("_mta-sts.example.test"));
    assert_eq!(spanned(finding, record), "v=STSv1;");
    assert_eq!(rounds.len(), 2, "the policy is fetched anyway");
    assert_eq!(section.mode.as_deref(), Some("enforce"));
    assert_messages(&section.findings);
}

#[test]
fn a_bad_id_is_spanned_in_the_joined_record() {
    let (section, _) = mta_sts(
        &[(
            "_mta-sts.example.test",
            "TXT",
            "\"v=STSv1; \" \"id=2026-01-01;\"",
        )],
        &["mail.example.test"],
        &[(URL, plain(CLEAN_POLICY))],
    );
    assert_only(&section.findings, &["mta-sts-invalid"]);
    let record = section.record.as_deref().expect("record");
    assert_eq!(record, "v=STSv1; id=2026-01-01;");
    assert_eq!(spanned(&section.findings[0], record), "id=2026-01-01");
}

#[test]
fn two_sts_records_are_invalid_and_no_policy_is_fetched() {
    let (section, rounds) = mta_sts(
        &[RECORD, ("_mta-sts.example.test", "TXT", "v=STSv1; id=2")],
        &["mail.example.test"],
        &[(URL, plain(CLEAN_POLICY))],
    );
    assert_only(&section.findings, &["mta-sts-invalid"]);
    assert_eq!(section.findings[0].param("reason"), "record-multiple");
    assert_eq!(section.findings[0].param("count"), "2");
    assert_eq!(rounds.len(), 1);
    assert_messages(&section.findings);
}

#[test]
fn no_record_means_not_published_and_no_fetch() {
    for rows in [
        vec![],
        vec![("_mta-sts.example.test", "TXT", "some other text")],
    ] {
        let (section, rounds) = mta_sts(&rows, &["mail.example.test"], &[]);
        assert_only(&section.findings, &[]);
        assert_eq!(section.published, Published::No);
        assert_eq!(rounds.len(), 1);
        assert!(rounds.iter().all(|needs| needs.fetches.is_empty()));
    }
}

#[test]
fn failed_lookup_is_could_not_verify_never_absent() {
    let zone = Zone::from_rows(&[("_mta-sts.example.test", "TIMEOUT", "")]);
    let servfail = [(
        Query::new("_mta-sts.example.test", RecordType::Txt),
        Answer::failed(Failure::Servfail),
    )];
    for overrides in [&[][..], &servfail[..]] {
        let (section, rounds) = drive(&zone, overrides, &[], |cache, fetched| {
            check_mta_sts(DOMAIN, &["mail.example.test".to_owned()], cache, fetched)
        });
        assert_eq!(section.published, Published::LookupFailed);
        // Could not verify: a warning of its own, never "not published" or "invalid".
        assert_only(&section.findings, &["mta-sts-dns-error"]);
        let finding = find(&section.findings, Code::MtaStsDnsError);
        assert_eq!(finding.severity, Severity::Warning);
        assert!(["timeout", "SERVFAIL"].contains(&finding.param("failure")));
        assert_eq!(rounds.len(), 1, "no fetch after a failed lookup");
    }
}

// === TLS-RPT =====================================================================================

#[test]
fn tlsrpt_valid_records_are_clean() {
    for record in [
        "v=TLSRPTv1; rua=mailto:tls-reports@example.test",
        "v=TLSRPTv1;rua=mailto:a@example.test,https://reports.example.net/v1/tlsrpt;",
    ] {
        let section = tlsrpt(&[("_smtp._tls.example.test", "TXT", record)]);
        assert_only(&section.findings, &[]);
        assert_eq!(section.published, Published::Yes);
        assert!(!section.rua.is_empty());
    }
}

#[test]
fn tlsrpt_without_a_uri_scheme_or_rua_is_invalid() {
    let record = "v=TLSRPTv1; rua=tlsrpt@example.test";
    let section = tlsrpt(&[("_smtp._tls.example.test", "TXT", record)]);
    assert_only(&section.findings, &["tlsrpt-invalid"]);
    let finding = &section.findings[0];
    assert_eq!(finding.param("reason"), "rua-uri");
    assert_eq!(finding.domain.as_deref(), Some("_smtp._tls.example.test"));
    assert_eq!(spanned(finding, record), "tlsrpt@example.test");
    assert_messages(&section.findings);

    let record = "v=TLSRPTv1;";
    let section = tlsrpt(&[("_smtp._tls.example.test", "TXT", record)]);
    assert_only(&section.findings, &["tlsrpt-invalid"]);
    assert_eq!(section.findings[0].param("reason"), "rua-missing");

    let section = tlsrpt(&[
        (
            "_smtp._tls.example.test",
            "TXT",
            "v=TLSRPTv1; rua=mailto:a@example.test",
        ),
        (
            "_smtp._tls.example.test",
            "TXT",
            "v=TLSRPTv1; rua=mailto:b@example.test",
        ),
    ]);
    assert_only(&section.findings, &["tlsrpt-invalid"]);
    assert_eq!(section.findings[0].param("reason"), "multiple");
}

#[test]
fn tlsrpt_absent_is_no_finding() {
    let section = tlsrpt(&[("_smtp._tls.example.test", "TXT", "unrelated")]);
    assert_eq!(section.published, Published::No);
    assert_only(&section.findings, &[]);
}

// === BIMI ========================================================================================

#[test]
fn bimi_valid_record_is_clean() {
    let section = bimi(&[(
        "default._bimi.example.test",
        "TXT",
        "v=BIMI1; l=https://example.test/brand/logo.svg; a=https://example.test/brand/vmc.pem",
    )]);
    assert_only(&section.findings, &[]);
    assert_eq!(
        section.logo.as_deref(),
        Some("https://example.test/brand/logo.svg")
    );
    assert_eq!(
        section.authority.as_deref(),
        Some("https://example.test/brand/vmc.pem")
    );
    assert!(!section.declined);
}

#[test]
fn bimi_logo_over_http_is_invalid() {
    let record = "v=BIMI1; l=http://example.test/logo.svg";
    let section = bimi(&[("default._bimi.example.test", "TXT", record)]);
    assert_only(&section.findings, &["bimi-invalid"]);
    let finding = &section.findings[0];
    assert_eq!(finding.param("reason"), "not-https");
    assert_eq!(finding.param("term"), "http://example.test/logo.svg");
    assert_eq!(
        finding.domain.as_deref(),
        Some("default._bimi.example.test")
    );
    assert_eq!(spanned(finding, record), "l=http://example.test/logo.svg");
    assert!(section.logo.is_none());
    assert_messages(&section.findings);
}

#[test]
fn bimi_declination_is_clean() {
    let section = bimi(&[("default._bimi.example.test", "TXT", "v=BIMI1; l=; a=;")]);
    assert_only(&section.findings, &[]);
    assert!(section.declined);
    assert_eq!(section.published, Published::Yes);
}

#[test]
fn bimi_that_does_not_parse_is_invalid() {
    let section = bimi(&[(
        "default._bimi.example.test",
        "TXT",
        "v=BIMI1; l:https://example.test/logo.svg",
    )]);
    assert_only(&section.findings, &["bimi-invalid", "bimi-invalid"]);
    assert_messages(&section.findings);
}

#[test]
fn bimi_absent_is_no_finding_and_failed_is_could_not_verify() {
    let section = bimi(&[]);
    assert_eq!(section.published, Published::No);
    assert_only(&section.findings, &[]);
    let zone = Zone::from_rows(&[("default._bimi.example.test", "TIMEOUT", "")]);
    let (section, _) = drive_dns(&zone, &[], |cache| check_bimi(DOMAIN, cache));
    assert_eq!(section.published, Published::LookupFailed);
    assert_only(&section.findings, &["bimi-dns-error"]);
}

// === DNSSEC ======================================================================================

/// The answers of a small clean domain, with the AD bit set or not on every positive answer.
fn answers(authenticated: bool) -> AnswerCache {
    let zone = Zone::from_rows(&[
        ("example.test", "TXT", "v=spf1 -all"),
        ("_dmarc.example.test", "TXT", "v=DMARC1; p=reject"),
        ("example.test", "MX", "10 mail.example.test."),
        ("mail.example.test", "A", "192.0.2.1"),
    ]);
    let mut cache = AnswerCache::new();
    for (name, record_type) in [
        ("example.test", RecordType::Txt),
        ("_dmarc.example.test", RecordType::Txt),
        ("example.test", RecordType::Mx),
        ("mail.example.test", RecordType::A),
        ("_mta-sts.example.test", RecordType::Txt),
    ] {
        let query = Query::new(name, record_type);
        let answer = match zone.answer(&query) {
            Answer::Records { records, .. } => Answer::Records {
                records,
                authenticated,
            },
            other => other,
        };
        cache.insert(query, answer);
    }
    cache
}

#[test]
fn dnssec_validated_answers_give_no_finding() {
    let status = dnssec_status(DOMAIN, &answers(true));
    assert!(status.validated);
    assert_eq!((status.answers, status.authenticated_answers), (4, 4));
    assert_only(&status.findings, &[]);
}

#[test]
fn dnssec_unvalidated_answers_are_info() {
    let status = dnssec_status(DOMAIN, &answers(false));
    assert!(!status.validated);
    assert_only(&status.findings, &["dnssec-unsigned"]);
    let finding = &status.findings[0];
    assert_eq!(finding.severity, Severity::Info);
    assert_eq!(finding.param("domain"), DOMAIN);
    // Both readings are named: the zone is not signed, or the resolver does not validate.
    let text = message(finding, Lang::En);
    assert!(
        text.contains("not signed") && text.contains("resolver"),
        "{text}"
    );
}

#[test]
fn dnssec_without_positive_answers_says_nothing() {
    let mut cache = AnswerCache::new();
    cache.insert(
        Query::new("example.test", RecordType::Txt),
        Answer::Nxdomain,
    );
    cache.insert(
        Query::new("_dmarc.example.test", RecordType::Txt),
        Answer::failed(Failure::Timeout),
    );
    let status = dnssec_status(DOMAIN, &cache);
    assert!(!status.validated);
    assert_only(&status.findings, &[]);
}

// === All together ================================================================================

#[test]
fn a_domain_that_publishes_everything_right_is_clean() {
    let rows = [
        RECORD,
        (
            "_smtp._tls.example.test",
            "TXT",
            "v=TLSRPTv1; rua=mailto:tls@example.test",
        ),
        (
            "default._bimi.example.test",
            "TXT",
            "v=BIMI1; l=https://example.test/logo.svg",
        ),
    ];
    let (section, _) = mta_sts(&rows, &["mail.example.test"], &[(URL, plain(CLEAN_POLICY))]);
    let mut findings = section.findings;
    findings.extend(tlsrpt(&rows).findings);
    findings.extend(bimi(&rows).findings);
    assert!(
        findings.iter().all(|f| f.severity < Severity::Warning),
        "{findings:#?}"
    );
    assert_only(&findings, &[]);
}
