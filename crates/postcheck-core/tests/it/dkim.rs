//! The DKIM check on in-memory zones: keys of every size and type at named and guessed selectors,
//! revoked, broken and test keys, missing selectors, and failed lookups, each code present where it
//! belongs and absent where it does not.

use crate::zone::Zone;
use postcheck_core::dkim::{
    COMMON_SELECTORS, DkimSection, KeyFormat, KeyType, NamedSelector, SelectorSource,
    SelectorStatus, check_dkim,
};
use postcheck_core::dns::{Answer, AnswerCache, Failure, Query, RecordType};
use postcheck_core::findings::{Code, Finding, Severity};

/// `openssl genrsa 2048 | openssl rsa -pubout -outform DER | base64 -w0`.
const RSA_2048: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxeWhcLDs8wxTVhEAKyRBqcgKPeBvp8tT9FELLUfGc3jitphfdq5YZ6B6wmwJfuYYi5a84tj5iOMJ8QYfjpwGJusBIa2LK8fwNj0nhXgpxeQsFQ5IIvi0t3aOypBcDu0ARRSBOM4+F6drpQrnPKnlrUHvVITjyuoyHVYrVrRZZ3Ivpr5+uIKGZv/k80/chFTy+wAwL11o7tIBy+noxZue9rQYY5/1qyQZwfJvqGmwn5Ez36tyKeLZcN1XY+3F81Ovv63rcEINBGJ5sR5LOuB4ykmrCMmtfFU/bJ4r7GI8SfIfhSDjUJm8FQg14hT2oXG/jNc+8VYp/sctYChhm84/ewIDAQAB";
/// The same key as a bare PKCS#1 RSAPublicKey (`openssl rsa -RSAPublicKey_out -outform DER`).
const RSA_2048_PKCS1: &str = "MIIBCgKCAQEAxeWhcLDs8wxTVhEAKyRBqcgKPeBvp8tT9FELLUfGc3jitphfdq5YZ6B6wmwJfuYYi5a84tj5iOMJ8QYfjpwGJusBIa2LK8fwNj0nhXgpxeQsFQ5IIvi0t3aOypBcDu0ARRSBOM4+F6drpQrnPKnlrUHvVITjyuoyHVYrVrRZZ3Ivpr5+uIKGZv/k80/chFTy+wAwL11o7tIBy+noxZue9rQYY5/1qyQZwfJvqGmwn5Ez36tyKeLZcN1XY+3F81Ovv63rcEINBGJ5sR5LOuB4ykmrCMmtfFU/bJ4r7GI8SfIfhSDjUJm8FQg14hT2oXG/jNc+8VYp/sctYChhm84/ewIDAQAB";
/// `openssl genrsa 1024 | …`.
const RSA_1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCvxFAzHjuub2IT3d1fZdd2KkTg+yck6QiVeU2i3hqBtACDcC/cLcJIXSOTrIF43Lfc+1crcRlyTp0N1n4oUNyE8YidZIGV36FZruHHvY2q6r3E8PIOYRPO/VjAqTxQxpIWBi3lrJx4IRI/+7E0JQG77q+kaS8VmYTaoU2dHb6uuwIDAQAB";
/// `openssl genrsa 512 | …`.
const RSA_512: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALpHiKcIM2OSE1Axiswbp3oaAfTT89EF/JCOnmbE3tZkB1iFyohhPnaUf2YxsuyrKtg6xLXEZd17tbk99lHPg1cCAwEAAQ==";
/// The Ed25519 key of RFC 8463 Appendix A.2 (`brisbane._domainkey.football.example.com`).
const ED25519: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

const DOMAIN: &str = "example.test";

const DKIM_CODES: &[&str] = &[
    "dkim-ok",
    "dkim-selector-missing",
    "dkim-none-found",
    "dkim-syntax-error",
    "dkim-key-revoked",
    "dkim-key-invalid",
    "dkim-key-too-short",
    "dkim-key-weak",
    "dkim-testing",
    "dkim-sha1-only",
    "dkim-dns-error",
];

/// Runs the check to completion on `zone`, answering `overrides` first (for failures other than
/// a timeout); returns the section and the queries of each round.
fn drive(
    zone: &Zone,
    overrides: &[(Query, Answer)],
    named: &[NamedSelector],
) -> (DkimSection, Vec<Vec<Query>>) {
    let mut cache = AnswerCache::new();
    let mut rounds = Vec::new();
    loop {
        match check_dkim(DOMAIN, named, &cache) {
            Ok(section) => return (section, rounds),
            Err(queries) => {
                assert!(!queries.is_empty(), "Err with no query");
                assert!(rounds.len() < 3, "the check does not converge");
                for query in &queries {
                    assert!(cache.get(query).is_none(), "{query} asked again");
                    let answer = overrides
                        .iter()
                        .find(|(q, _)| q == query)
                        .map(|(_, a)| a.clone())
                        .unwrap_or_else(|| zone.answer(query));
                    cache.insert(query.clone(), answer);
                }
                rounds.push(queries);
            }
        }
    }
}

fn check(rows: &[(&str, &str, &str)], named: &[NamedSelector]) -> DkimSection {
    let (section, rounds) = drive(&Zone::from_rows(rows), &[], named);
    assert_eq!(rounds.len(), 1, "one round for every selector");
    section
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

fn find(findings: &[Finding], code: Code) -> &Finding {
    findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:?}", codes(findings)))
}

fn all(findings: &[Finding], code: Code) -> Vec<&Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// Exactly the DKIM codes in `present` occur (each at least once).
fn assert_only(findings: &[Finding], present: &[&str]) {
    let got = codes(findings);
    for code in present {
        assert!(got.contains(code), "{code} missing from {got:?}");
    }
    for code in DKIM_CODES {
        if !present.contains(code) {
            assert!(!got.contains(code), "{code} unexpected in {got:?}");
        }
    }
}

/// No finding of severity warning or error.
fn assert_clean(findings: &[Finding]) {
    let loud: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

fn key_at(selector: &str) -> String {
    format!("{selector}._domainkey.{DOMAIN}")
}

fn user(selector: &str) -> NamedSelector {
    NamedSelector::user(selector)
}

/// A zone with one TXT record at `selector`.
fn one_key(selector: &str, record: &str) -> DkimSection {
    let name = key_at(selector);
    check(&[(name.as_str(), "TXT", record)], &[user(selector)])
}

#[test]
fn a_2048_bit_key_at_a_named_selector_is_clean() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_2048}");
    let section = one_key("mail2024", &record);
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
    assert_clean(&section.findings);
    let ok = find(&section.findings, Code::DkimOk);
    assert_eq!(ok.param("selector"), "mail2024");
    assert_eq!(ok.param("key_type"), "rsa");
    assert_eq!(ok.param("bits"), "2048");
    assert_eq!(
        ok.domain.as_deref(),
        Some("mail2024._domainkey.example.test")
    );
    // The guessed selectors without a key make one quiet finding.
    let missing = all(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].severity, Severity::Info);
    assert_eq!(
        missing[0].param("count"),
        COMMON_SELECTORS.len().to_string()
    );
    assert!(
        missing[0]
            .param("selectors")
            .starts_with("google, selector1, ")
    );

    let selector = &section.selectors[0];
    assert_eq!(section.selectors.len(), 1);
    assert_eq!(selector.selector, "mail2024");
    assert_eq!(selector.source, SelectorSource::User);
    assert_eq!(selector.status, SelectorStatus::Key);
    assert_eq!(selector.record.as_deref(), Some(record.as_str()));
    assert_eq!(selector.key_type, Some(KeyType::Rsa));
    assert_eq!(selector.key_format, Some(KeyFormat::Spki));
    assert_eq!(selector.bits, Some(2048));
    assert_eq!(selector.tags.len(), 3);
    assert_eq!(selector.tags[2].name, "p");
    assert_eq!(selector.tags[2].value, RSA_2048);
    assert_eq!(codes(&selector.findings), ["dkim-ok"]);
    assert_eq!(section.guessed_selectors.len(), COMMON_SELECTORS.len());
}

#[test]
fn every_selector_is_asked_for_in_one_round() {
    let zone = Zone::from_rows(&[]);
    let named = [
        user("Mail2024"),
        NamedSelector::profile("vendor"),
        user("google"),
    ];
    let (section, rounds) = drive(&zone, &[], &named);
    assert_eq!(rounds.len(), 1);
    // Two named selectors that are not common ones, plus every common one (google named).
    assert_eq!(rounds[0].len(), COMMON_SELECTORS.len() + 2);
    assert_eq!(
        rounds[0][0],
        Query::new(&key_at("mail2024"), RecordType::Txt)
    );
    assert_eq!(rounds[0][1], Query::new(&key_at("vendor"), RecordType::Txt));
    assert_eq!(rounds[0][2], Query::new(&key_at("google"), RecordType::Txt));
    assert!(!section.guessed_selectors.contains(&"google".to_owned()));
    assert_eq!(section.guessed_selectors.len(), COMMON_SELECTORS.len() - 1);
}

#[test]
fn a_key_behind_a_cname_at_a_guessed_selector_is_found() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_2048}");
    let section = check(
        &[
            (
                "selector1._domainkey.example.test",
                "CNAME",
                "selector1-example-test._domainkey.tenant.onmicrosoft.test",
            ),
            (
                "selector1-example-test._domainkey.tenant.onmicrosoft.test",
                "TXT",
                &record,
            ),
        ],
        &[],
    );
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
    assert_clean(&section.findings);
    assert_eq!(section.selectors.len(), 1);
    let selector = &section.selectors[0];
    assert_eq!(selector.selector, "selector1");
    assert_eq!(selector.source, SelectorSource::Guessed);
    assert_eq!(selector.provider.as_deref(), Some("Microsoft 365"));
    assert_eq!(selector.name, "selector1._domainkey.example.test");
    let missing = find(&section.findings, Code::DkimSelectorMissing);
    assert!(!missing.param("selectors").contains("selector1,"));
    assert_eq!(
        missing.param("count"),
        (COMMON_SELECTORS.len() - 1).to_string()
    );
}

#[test]
fn a_bare_pkcs1_key_is_accepted() {
    let section = one_key("s1", &format!("v=DKIM1; p={RSA_2048_PKCS1}"));
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
    assert_clean(&section.findings);
    assert_eq!(section.selectors[0].key_format, Some(KeyFormat::Pkcs1));
    assert_eq!(section.selectors[0].bits, Some(2048));
}

#[test]
fn a_1024_bit_key_is_weak() {
    let section = one_key("s1", &format!("v=DKIM1; k=rsa; p={RSA_1024}"));
    assert_only(
        &section.findings,
        &["dkim-key-weak", "dkim-selector-missing"],
    );
    let weak = find(&section.findings, Code::DkimKeyWeak);
    assert_eq!(weak.severity, Severity::Warning);
    assert_eq!(weak.param("bits"), "1024");
    assert_eq!(weak.param("selector"), "s1");
    assert_eq!(section.selectors[0].bits, Some(1024));
}

#[test]
fn a_512_bit_key_is_too_short() {
    let section = one_key("s1", &format!("v=DKIM1; k=rsa; p={RSA_512}"));
    assert_only(
        &section.findings,
        &["dkim-key-too-short", "dkim-selector-missing"],
    );
    let short = find(&section.findings, Code::DkimKeyTooShort);
    assert_eq!(short.severity, Severity::Error);
    assert_eq!(short.param("bits"), "512");
    // The span covers the key tag in the record as shown.
    let record = section.selectors[0].record.as_deref().unwrap();
    let span = short.span.unwrap();
    assert_eq!(&record[span.start..span.end], format!("p={RSA_512}"));
}

#[test]
fn an_ed25519_key_is_clean() {
    let section = one_key("brisbane", &format!("v=DKIM1; k=ed25519; p={ED25519}"));
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
    assert_clean(&section.findings);
    let ok = find(&section.findings, Code::DkimOk);
    assert_eq!(ok.param("key_type"), "ed25519");
    assert_eq!(ok.param("bits"), "256");
    assert_eq!(section.selectors[0].key_type, Some(KeyType::Ed25519));
    assert_eq!(section.selectors[0].key_format, Some(KeyFormat::Raw));
}

#[test]
fn a_revoked_key_is_a_warning_not_a_missing_key() {
    let section = one_key("s1", "v=DKIM1; p=");
    assert_only(
        &section.findings,
        &["dkim-key-revoked", "dkim-selector-missing"],
    );
    assert_eq!(
        find(&section.findings, Code::DkimKeyRevoked).severity,
        Severity::Warning
    );
    assert_eq!(section.selectors[0].status, SelectorStatus::Revoked);
    assert_eq!(section.selectors[0].bits, None);
    // The only selector-missing finding is the quiet one about the guesses.
    assert_eq!(
        find(&section.findings, Code::DkimSelectorMissing).severity,
        Severity::Info
    );
}

#[test]
fn garbage_base64_is_an_invalid_key() {
    let section = one_key(
        "s1",
        "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B_AQEFAAOCAQ8AMIIBCg",
    );
    assert_only(
        &section.findings,
        &["dkim-key-invalid", "dkim-selector-missing"],
    );
    let invalid = find(&section.findings, Code::DkimKeyInvalid);
    assert_eq!(invalid.severity, Severity::Error);
    assert_eq!(invalid.param("reason"), "base64");
    assert_eq!(invalid.param("character"), "_");
    let record = section.selectors[0].record.as_deref().unwrap();
    let span = invalid.span.unwrap();
    assert_eq!(&record[span.start..span.end], "_");
    assert_eq!(section.selectors[0].status, SelectorStatus::Key);
    assert_eq!(section.selectors[0].bits, None);

    // Valid base64 that is no key at all.
    let section = one_key("s1", "v=DKIM1; k=rsa; p=aGVsbG8gd29ybGQ=");
    assert_eq!(
        find(&section.findings, Code::DkimKeyInvalid).param("reason"),
        "rsa"
    );
    assert_only(
        &section.findings,
        &["dkim-key-invalid", "dkim-selector-missing"],
    );
}

#[test]
fn testing_mode_is_a_warning_beside_a_good_key() {
    let section = one_key("s1", &format!("v=DKIM1; t=y; p={RSA_2048}"));
    assert_only(
        &section.findings,
        &["dkim-testing", "dkim-ok", "dkim-selector-missing"],
    );
    let testing = find(&section.findings, Code::DkimTesting);
    assert_eq!(testing.severity, Severity::Warning);
    assert_eq!(testing.param("term"), "t=y");
    assert!(section.selectors[0].testing);
}

#[test]
fn sha1_only_is_an_error() {
    let section = one_key("s1", &format!("v=DKIM1; h=sha1; p={RSA_2048}"));
    assert_only(
        &section.findings,
        &["dkim-sha1-only", "dkim-selector-missing"],
    );
    let sha1 = find(&section.findings, Code::DkimSha1Only);
    assert_eq!(sha1.severity, Severity::Error);
    assert_eq!(sha1.span.map(|s| (s.start, s.end)), Some((9, 15)));
    // sha1 beside sha256 is fine.
    let section = one_key("s1", &format!("v=DKIM1; h=sha1:sha256; p={RSA_2048}"));
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
}

#[test]
fn a_syntax_error_carries_its_span_and_selector() {
    let section = one_key("s1", &format!("v=DKIM2; p={RSA_2048}"));
    assert_only(
        &section.findings,
        &["dkim-syntax-error", "dkim-selector-missing"],
    );
    let error = find(&section.findings, Code::DkimSyntaxError);
    assert_eq!(error.param("reason"), "version");
    assert_eq!(error.param("selector"), "s1");
    assert_eq!(error.span.map(|s| (s.start, s.end)), Some((0, 7)));
    assert_eq!(error.domain.as_deref(), Some("s1._domainkey.example.test"));
}

#[test]
fn a_named_selector_without_key_is_an_error_a_guessed_one_is_info() {
    let section = check(&[], &[user("mail2024")]);
    assert_only(
        &section.findings,
        &["dkim-selector-missing", "dkim-none-found"],
    );
    let missing = all(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert_eq!(missing[0].severity, Severity::Error);
    assert_eq!(missing[0].param("selector"), "mail2024");
    assert_eq!(missing[0].param("source"), "user");
    assert_eq!(missing[0].param("answer"), "NXDOMAIN");
    assert_eq!(missing[1].severity, Severity::Info);
    assert_eq!(missing[1].param("source"), "guessed");
    assert_eq!(section.selectors.len(), 1);
    assert_eq!(section.selectors[0].status, SelectorStatus::NoKey);
    let none = find(&section.findings, Code::DkimNoneFound);
    assert_eq!(none.severity, Severity::Warning);
    assert_eq!(
        none.param("count"),
        (COMMON_SELECTORS.len() + 1).to_string()
    );

    // A profile's selector reads as such.
    let section = check(&[], &[NamedSelector::profile("vendor")]);
    let missing = find(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.severity, Severity::Error);
    assert_eq!(missing.param("source"), "profile");
}

#[test]
fn without_named_selectors_missing_guesses_are_one_info() {
    let section = check(&[], &[]);
    assert_only(
        &section.findings,
        &["dkim-selector-missing", "dkim-none-found"],
    );
    let missing = all(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].severity, Severity::Info);
    assert!(section.selectors.is_empty());
    assert_eq!(section.guessed_selectors.len(), COMMON_SELECTORS.len());
}

#[test]
fn other_txt_records_at_a_selector_are_no_key() {
    // As a wildcard SPF record would answer for every selector.
    let section = one_key("s1", "v=spf1 include:_spf.example.net ~all");
    let missing = find(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.severity, Severity::Error);
    assert_eq!(missing.param("answer"), "other-txt");
}

#[test]
fn a_key_record_beside_other_txt_records_is_found() {
    let name = key_at("s1");
    let record = format!("v=DKIM1; p={RSA_2048}");
    let section = check(
        &[
            (name.as_str(), "TXT", "google-site-verification=abc"),
            (name.as_str(), "TXT", &record),
        ],
        &[user("s1")],
    );
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
    assert_eq!(
        section.selectors[0].record.as_deref(),
        Some(record.as_str())
    );
}

#[test]
fn several_key_records_at_one_selector_are_an_error() {
    let name = key_at("s1");
    let first = format!("v=DKIM1; p={RSA_2048}");
    let second = format!("v=DKIM1; p={RSA_1024}");
    let section = check(
        &[
            (name.as_str(), "TXT", &first),
            (name.as_str(), "TXT", &second),
        ],
        &[user("s1")],
    );
    assert_only(
        &section.findings,
        &["dkim-syntax-error", "dkim-selector-missing"],
    );
    let error = find(&section.findings, Code::DkimSyntaxError);
    assert_eq!(error.param("reason"), "multiple");
    assert_eq!(error.param("count"), "2");
}

#[test]
fn split_strings_are_joined() {
    let half = RSA_2048.len() / 2;
    let data = format!(
        "\"v=DKIM1; k=rsa; p={}\" \"{}\"",
        &RSA_2048[..half],
        &RSA_2048[half..]
    );
    let section = one_key("s1", &data);
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
    let selector = &section.selectors[0];
    assert_eq!(
        selector.record.as_deref(),
        Some(format!("v=DKIM1; k=rsa; p={RSA_2048}").as_str())
    );
    assert_eq!(selector.strings.len(), 2);
}

#[test]
fn a_timeout_at_a_named_selector_is_could_not_verify() {
    let name = key_at("mail2024");
    let section = check(&[(name.as_str(), "TIMEOUT", "")], &[user("mail2024")]);
    assert_only(
        &section.findings,
        &["dkim-dns-error", "dkim-selector-missing"],
    );
    let error = find(&section.findings, Code::DkimDnsError);
    assert_eq!(error.severity, Severity::Warning);
    assert_eq!(error.param("selector"), "mail2024");
    assert_eq!(error.param("failure"), "timeout");
    assert_eq!(error.param("query"), format!("{name} TXT"));
    // Never "missing" for the named selector: the only selector-missing is the guesses' info.
    let missing = all(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].param("source"), "guessed");
    assert_eq!(section.selectors[0].status, SelectorStatus::LookupFailed);
}

#[test]
fn failed_guesses_are_quiet_unless_all_fail() {
    // One guess times out, another has the key: nothing to report about the timeout.
    let record = format!("v=DKIM1; p={RSA_2048}");
    let section = check(
        &[
            ("google._domainkey.example.test", "TIMEOUT", ""),
            ("s1._domainkey.example.test", "TXT", &record),
        ],
        &[],
    );
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
    assert_clean(&section.findings);
    assert!(
        !find(&section.findings, Code::DkimSelectorMissing)
            .param("selectors")
            .contains("google")
    );

    // One guess fails and no key anywhere: none found, saying that a lookup failed.
    let section = check(&[("google._domainkey.example.test", "TIMEOUT", "")], &[]);
    assert_only(
        &section.findings,
        &["dkim-none-found", "dkim-selector-missing"],
    );
    assert_eq!(
        find(&section.findings, Code::DkimNoneFound).param("failed"),
        "1"
    );

    // Every guess fails: could not verify, never "none found".
    let overrides: Vec<(Query, Answer)> = COMMON_SELECTORS
        .iter()
        .map(|(selector, _)| {
            (
                Query::new(&key_at(selector), RecordType::Txt),
                Answer::failed(Failure::Servfail),
            )
        })
        .collect();
    let (section, _) = drive(&Zone::default(), &overrides, &[]);
    assert_only(&section.findings, &["dkim-dns-error"]);
    let error = find(&section.findings, Code::DkimDnsError);
    assert_eq!(error.param("source"), "guessed");
    assert_eq!(error.param("failure"), "SERVFAIL");
    assert_eq!(all(&section.findings, Code::DkimDnsError).len(), 1);
}

#[test]
fn an_invalid_selector_is_not_looked_up() {
    let zone = Zone::default();
    let (section, rounds) = drive(&zone, &[], &[user("bad selector")]);
    assert_eq!(rounds[0].len(), COMMON_SELECTORS.len());
    assert_eq!(section.selectors[0].status, SelectorStatus::InvalidName);
    let missing = find(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.param("reason"), "invalid");
    assert_eq!(missing.severity, Severity::Error);
}

#[test]
fn a_selector_typed_as_a_full_name_is_reduced() {
    let record = format!("v=DKIM1; p={RSA_2048}");
    let name = key_at("s1");
    let section = check(
        &[(name.as_str(), "TXT", &record)],
        &[user("S1._domainkey.example.test.")],
    );
    assert_eq!(section.selectors[0].selector, "s1");
    assert_eq!(section.selectors[0].source, SelectorSource::User);
    assert_only(&section.findings, &["dkim-ok", "dkim-selector-missing"]);
}

#[test]
fn the_section_round_trips_through_json() {
    let section = one_key("s1", &format!("v=DKIM1; t=y; p={RSA_1024}"));
    let json = serde_json::to_string(&section).unwrap();
    assert!(json.contains("\"source\":\"user\""), "{json}");
    assert!(json.contains("\"key_type\":\"rsa\""), "{json}");
    assert!(json.contains("\"status\":\"key\""), "{json}");
    let back: DkimSection = serde_json::from_str(&json).unwrap();
    assert_eq!(back, section);
}
