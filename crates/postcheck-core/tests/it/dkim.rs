//! The DKIM check on in-memory zones: keys of every size and type at named and guessed selectors,
//! revoked, broken and test keys, missing selectors, and failed lookups, each code present where it
//! belongs and absent where it does not; which selectors are guessed from the SPF record and the
//! MX hosts, and in which round; when the second tier of universal selectors is asked.

use crate::zone::Zone;
use postcheck_core::dkim::{
    DkimSection, KeyFormat, KeyType, NamedSelector, SelectorSource, SelectorStatus, Tier,
    UNIVERSAL_SELECTORS, check_dkim,
};
use postcheck_core::dns::{Answer, AnswerCache, Failure, Query, RecordType};
use postcheck_core::findings::{Code, Finding, Severity};
use postcheck_core::report::{CheckInput, DomainCheck, Plan, Report};

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
    drive_from(AnswerCache::new(), zone, overrides, named, &[])
}

/// [`drive`] from a cache that already holds answers (as the report's other checks leave them),
/// with the domain's MX hosts.
fn drive_from(
    cache: AnswerCache,
    zone: &Zone,
    overrides: &[(Query, Answer)],
    named: &[NamedSelector],
    mx_hosts: &[&str],
) -> (DkimSection, Vec<Vec<Query>>) {
    let mx_hosts: Vec<String> = mx_hosts.iter().map(|host| (*host).to_owned()).collect();
    zone.run(overrides, 3, cache, |cache| {
        check_dkim(DOMAIN, named, &mx_hosts, cache)
    })
}

/// The universal selectors of `tier`.
fn tier(tier: Tier) -> Vec<&'static str> {
    UNIVERSAL_SELECTORS
        .iter()
        .filter(|universal| universal.tier == tier)
        .map(|universal| universal.selector)
        .collect()
}

fn first_tier() -> Vec<&'static str> {
    tier(Tier::First)
}

fn second_tier() -> Vec<&'static str> {
    tier(Tier::Second)
}

fn key_query(selector: &str) -> Query {
    Query::new(&key_at(selector), RecordType::Txt)
}

/// The key queries of all rounds.
fn key_queries(rounds: &[Vec<Query>]) -> Vec<&Query> {
    rounds
        .iter()
        .flatten()
        .filter(|query| query.name.contains("._domainkey."))
        .collect()
}

fn check(rows: &[(&str, &str, &str)], named: &[NamedSelector]) -> DkimSection {
    let (section, rounds) = drive(&Zone::from_rows(rows), &[], named);
    // Without a recognized provider: one round, and a second with the second tier and nothing
    // else when the first found no key record.
    assert!(rounds.len() <= 2, "{rounds:#?}");
    if let Some(second) = rounds.get(1) {
        let expect: Vec<Query> = second_tier()
            .into_iter()
            .filter(|selector| !rounds[0].contains(&key_query(selector)))
            .map(key_query)
            .collect();
        assert_eq!(*second, expect);
    }
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
    assert_only(&section.findings, &["dkim-ok"]);
    assert_clean(&section.findings);
    let ok = find(&section.findings, Code::DkimOk);
    assert_eq!(ok.param("selector"), "mail2024");
    assert_eq!(ok.param("key_type"), "rsa");
    assert_eq!(ok.param("bits"), "2048");
    assert_eq!(
        ok.domain.as_deref(),
        Some("mail2024._domainkey.example.test")
    );
    // A key was found: the guessed selectors without one are no finding at all.
    assert!(all(&section.findings, Code::DkimSelectorMissing).is_empty());

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
    // The key at the named selector spares the second tier: only the first was tried.
    assert_eq!(section.guessed_selectors, first_tier());
    assert!(section.providers.is_empty());
}

#[test]
fn named_and_first_tier_selectors_are_asked_for_in_the_first_round() {
    let zone = Zone::from_rows(&[]);
    let named = [
        user("Mail2024"),
        NamedSelector::profile("vendor"),
        user("google"),
    ];
    let (section, rounds) = drive(&zone, &[], &named);
    // No key anywhere: the second tier follows in a round of its own (no provider recognized).
    assert_eq!(rounds.len(), 2);
    // The domain's TXT (for the SPF record), two named selectors that are not universal ones,
    // and every first-tier one (google named).
    assert_eq!(rounds[0].len(), 1 + 2 + first_tier().len());
    let second: Vec<Query> = second_tier().into_iter().map(key_query).collect();
    assert_eq!(rounds[1], second);
    assert_eq!(rounds[0][0], Query::new(DOMAIN, RecordType::Txt));
    assert_eq!(
        rounds[0][1],
        Query::new(&key_at("mail2024"), RecordType::Txt)
    );
    assert_eq!(rounds[0][2], Query::new(&key_at("vendor"), RecordType::Txt));
    assert_eq!(rounds[0][3], Query::new(&key_at("google"), RecordType::Txt));
    assert!(!section.guessed_selectors.contains(&"google".to_owned()));
    assert_eq!(
        section.guessed_selectors.len(),
        UNIVERSAL_SELECTORS.len() - 1
    );
    assert_eq!(
        section.guessed_selectors,
        ["selector1", "s1", "default", "k1", "dkim"]
    );
    // The old list of 25 is gone: no provider's selector without a sign of the provider.
    for selector in [
        "selector2",
        "s1-ionos",
        "k2",
        "mandrill",
        "fm1",
        "protonmail",
    ] {
        assert!(
            !rounds[0].contains(&Query::new(&key_at(selector), RecordType::Txt)),
            "{selector} guessed without a reason"
        );
    }
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
    assert_only(&section.findings, &["dkim-ok"]);
    assert_clean(&section.findings);
    assert_eq!(section.selectors.len(), 1);
    let selector = &section.selectors[0];
    assert_eq!(selector.selector, "selector1");
    assert_eq!(selector.source, SelectorSource::Guessed);
    assert_eq!(selector.provider.as_deref(), Some("Microsoft 365"));
    assert_eq!(selector.name, "selector1._domainkey.example.test");
}

#[test]
fn a_bare_pkcs1_key_is_accepted() {
    let section = one_key("s1", &format!("v=DKIM1; p={RSA_2048_PKCS1}"));
    assert_only(&section.findings, &["dkim-ok"]);
    assert_clean(&section.findings);
    assert_eq!(section.selectors[0].key_format, Some(KeyFormat::Pkcs1));
    assert_eq!(section.selectors[0].bits, Some(2048));
}

#[test]
fn a_1024_bit_key_is_weak() {
    let section = one_key("s1", &format!("v=DKIM1; k=rsa; p={RSA_1024}"));
    assert_only(&section.findings, &["dkim-key-weak"]);
    let weak = find(&section.findings, Code::DkimKeyWeak);
    assert_eq!(weak.severity, Severity::Warning);
    assert_eq!(weak.param("bits"), "1024");
    assert_eq!(weak.param("selector"), "s1");
    assert_eq!(section.selectors[0].bits, Some(1024));
}

#[test]
fn a_512_bit_key_is_too_short() {
    let section = one_key("s1", &format!("v=DKIM1; k=rsa; p={RSA_512}"));
    assert_only(&section.findings, &["dkim-key-too-short"]);
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
    assert_only(&section.findings, &["dkim-ok"]);
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
    assert_only(&section.findings, &["dkim-key-revoked"]);
    assert_eq!(
        find(&section.findings, Code::DkimKeyRevoked).severity,
        Severity::Warning
    );
    assert_eq!(section.selectors[0].status, SelectorStatus::Revoked);
    assert_eq!(section.selectors[0].bits, None);
}

#[test]
fn garbage_base64_is_an_invalid_key() {
    let section = one_key(
        "s1",
        "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B_AQEFAAOCAQ8AMIIBCg",
    );
    assert_only(&section.findings, &["dkim-key-invalid"]);
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
    assert_only(&section.findings, &["dkim-key-invalid"]);
}

#[test]
fn testing_mode_is_a_warning_beside_a_good_key() {
    let section = one_key("s1", &format!("v=DKIM1; t=y; p={RSA_2048}"));
    assert_only(&section.findings, &["dkim-testing", "dkim-ok"]);
    let testing = find(&section.findings, Code::DkimTesting);
    assert_eq!(testing.severity, Severity::Warning);
    assert_eq!(testing.param("term"), "t=y");
    assert!(section.selectors[0].testing);
}

#[test]
fn sha1_only_is_an_error() {
    let section = one_key("s1", &format!("v=DKIM1; h=sha1; p={RSA_2048}"));
    assert_only(&section.findings, &["dkim-sha1-only"]);
    let sha1 = find(&section.findings, Code::DkimSha1Only);
    assert_eq!(sha1.severity, Severity::Error);
    assert_eq!(sha1.span.map(|s| (s.start, s.end)), Some((9, 15)));
    // sha1 beside sha256 is fine.
    let section = one_key("s1", &format!("v=DKIM1; h=sha1:sha256; p={RSA_2048}"));
    assert_only(&section.findings, &["dkim-ok"]);
}

#[test]
fn a_syntax_error_carries_its_span_and_selector() {
    let section = one_key("s1", &format!("v=DKIM2; p={RSA_2048}"));
    assert_only(&section.findings, &["dkim-syntax-error"]);
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
        (UNIVERSAL_SELECTORS.len() + 1).to_string()
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
    // Both tiers were tried.
    assert_eq!(section.guessed_selectors.len(), UNIVERSAL_SELECTORS.len());
    // No provider recognized: the line lists the universal selectors only, both tiers.
    assert_eq!(missing[0].param("providers"), "");
    assert_eq!(
        missing[0].param("selectors"),
        "google, selector1, s1, default, k1, dkim"
    );
    let none = find(&section.findings, Code::DkimNoneFound);
    assert_eq!(none.param("count"), "6");
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
    assert_only(&section.findings, &["dkim-ok"]);
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
    assert_only(&section.findings, &["dkim-syntax-error"]);
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
    assert_only(&section.findings, &["dkim-ok"]);
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
    assert_only(&section.findings, &["dkim-ok"]);
    assert_clean(&section.findings);

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
    let overrides: Vec<(Query, Answer)> = UNIVERSAL_SELECTORS
        .iter()
        .map(|universal| universal.selector)
        .map(|selector| {
            (
                Query::new(&key_at(selector), RecordType::Txt),
                Answer::failed(Failure::Servfail),
            )
        })
        .collect();
    let (section, rounds) = drive(&Zone::default(), &overrides, &[]);
    // Failed first-tier lookups show no key: the second tier is asked (and fails too).
    assert_eq!(rounds.len(), 2);
    assert_only(&section.findings, &["dkim-dns-error"]);
    let error = find(&section.findings, Code::DkimDnsError);
    assert_eq!(error.param("source"), "guessed");
    assert_eq!(error.param("failure"), "SERVFAIL");
    assert_eq!(error.param("count"), "6");
    assert_eq!(all(&section.findings, Code::DkimDnsError).len(), 1);
}

#[test]
fn an_invalid_selector_is_not_looked_up() {
    let zone = Zone::default();
    let (section, rounds) = drive(&zone, &[], &[user("bad selector")]);
    // The domain's TXT and the first-tier selectors; the invalid one is not asked, and shows no
    // key: the second tier follows.
    assert_eq!(rounds[0].len(), 1 + first_tier().len());
    assert_eq!(rounds.len(), 2);
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
    assert_only(&section.findings, &["dkim-ok"]);
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

// === Guesses from the SPF record and the MX hosts ============================================

fn asked(rounds: &[Vec<Query>], selector: &str) -> Option<usize> {
    let query = Query::new(&key_at(selector), RecordType::Txt);
    rounds.iter().position(|round| round.contains(&query))
}

#[test]
fn an_spf_include_names_its_providers_selectors_for_the_next_round() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_2048}");
    let zone = Zone::from_rows(&[
        (DOMAIN, "TXT", "v=spf1 include:_spf.perfora.net ~all"),
        (DOMAIN, "TXT", "google-site-verification=abc"),
        ("s2-ionos._domainkey.example.test", "TXT", &record),
    ]);
    let (section, rounds) = drive(&zone, &[], &[]);
    assert_eq!(rounds.len(), 2);
    // Round 1: the SPF record and the first tier; round 2: IONOS's, and with them the second
    // tier (no key in the first round, and waiting for IONOS's answers would cost a round).
    assert_eq!(asked(&rounds, "google"), Some(0));
    assert_eq!(
        rounds[1],
        [
            key_query("default"),
            key_query("k1"),
            key_query("dkim"),
            key_query("s1-ionos"),
            key_query("s2-ionos"),
        ]
    );
    assert_eq!(section.providers, ["IONOS"]);
    assert_eq!(section.selectors.len(), 1);
    assert_eq!(section.selectors[0].selector, "s2-ionos");
    assert_eq!(section.selectors[0].source, SelectorSource::Guessed);
    assert_eq!(section.selectors[0].provider.as_deref(), Some("IONOS"));
    // The key is found: s1-ionos and the universal guesses without a key are no finding.
    assert_only(&section.findings, &["dkim-ok"]);
    assert_eq!(section.findings.len(), 1);
    // The second tier was asked before IONOS's key was known: it counts as tried.
    assert_eq!(
        section.guessed_selectors,
        [
            "google",
            "selector1",
            "s1",
            "default",
            "k1",
            "dkim",
            "s1-ionos",
            "s2-ionos"
        ]
    );
}

#[test]
fn a_redirect_names_its_provider_too() {
    let zone = Zone::from_rows(&[(DOMAIN, "TXT", "v=spf1 redirect=_spf.strato.com")]);
    let (section, rounds) = drive(&zone, &[], &[]);
    assert_eq!(section.providers, ["STRATO"]);
    assert_eq!(asked(&rounds, "strato-dkim-0002"), Some(1));
    assert_eq!(asked(&rounds, "strato-dkim-0003"), Some(1));
}

#[test]
fn mx_hosts_name_their_providers_selectors() {
    let (section, rounds) = drive_from(
        AnswerCache::new(),
        &Zone::default(),
        &[],
        &[],
        &["example-test.mail.protection.outlook.com"],
    );
    // The MX hosts are known from the start here: selector2 goes with the first round. No key:
    // the second tier follows.
    assert_eq!(asked(&rounds, "selector2"), Some(0));
    assert_eq!(rounds.len(), 2);
    assert_eq!(section.providers, ["Microsoft 365"]);
}

#[test]
fn include_targets_already_answered_name_providers_without_a_query_of_their_own() {
    let zone = Zone::from_rows(&[
        (DOMAIN, "TXT", "v=spf1 include:_spf.hoster.test -all"),
        (
            "_spf.hoster.test",
            "TXT",
            "v=spf1 include:spf.protection.outlook.com -all",
        ),
    ]);
    // Alone, the check reads the domain's record only: it never asks for an include target.
    let (section, rounds) = drive(&zone, &[], &[]);
    assert!(section.providers.is_empty());
    assert!(
        rounds
            .iter()
            .flatten()
            .all(|query| query.name != "_spf.hoster.test")
    );
    // With the SPF analysis's answer for the include target in the cache, the nested include
    // names Microsoft 365.
    let mut cache = AnswerCache::new();
    let target = Query::new("_spf.hoster.test", RecordType::Txt);
    cache.insert(target.clone(), zone.answer(&target));
    let (section, rounds) = drive_from(cache, &zone, &[], &[], &[]);
    assert_eq!(section.providers, ["Microsoft 365"]);
    assert_eq!(asked(&rounds, "selector2"), Some(1));
}

#[test]
fn macros_and_other_names_guess_nothing() {
    let zone = Zone::from_rows(&[(
        DOMAIN,
        "TXT",
        "v=spf1 include:%{d}._spf.google.com include:notsendgrid.net a mx -all",
    )]);
    let (section, rounds) = drive(&zone, &[], &[]);
    assert!(section.providers.is_empty());
    // The first tier, then the second (no key), and no provider's selector.
    assert_eq!(rounds.len(), 2);
    let second: Vec<Query> = second_tier().into_iter().map(key_query).collect();
    assert_eq!(rounds[1], second);
}

#[test]
fn without_any_key_one_line_names_the_providers_and_selectors_tried() {
    let zone = Zone::from_rows(&[(
        DOMAIN,
        "TXT",
        "v=spf1 include:_spf.google.com include:amazonses.com include:sendgrid.net ~all",
    )]);
    let (section, rounds) = drive(&zone, &[], &[]);
    assert_eq!(rounds.len(), 2);
    // SendGrid's s1 is in the first tier already; s2 is its own, asked with the second tier.
    // Google's only selector is in the first tier.
    assert_eq!(
        rounds[1],
        [
            key_query("default"),
            key_query("k1"),
            key_query("dkim"),
            key_query("s2")
        ]
    );
    assert_eq!(
        section.providers,
        ["Google Workspace", "SendGrid", "Amazon SES"]
    );
    assert_only(
        &section.findings,
        &["dkim-none-found", "dkim-selector-missing"],
    );
    let missing = all(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.len(), 1, "{missing:#?}");
    let missing = missing[0];
    assert_eq!(missing.severity, Severity::Info);
    assert_eq!(missing.param("source"), "guessed");
    assert_eq!(missing.param("providers"), "Google Workspace, SendGrid");
    assert_eq!(missing.param("unguessable"), "Amazon SES");
    assert_eq!(
        missing.param("selectors"),
        "google, selector1, s1, default, k1, dkim, s2"
    );
    assert_eq!(missing.param("count"), "7");
    let none = find(&section.findings, Code::DkimNoneFound);
    assert_eq!(none.param("count"), "7");
}

/// Runs the whole report on `zone`, returning it and the queries of each round.
fn report_rounds(zone: &Zone, input: CheckInput) -> (Report, Vec<Vec<Query>>) {
    let mut check = DomainCheck::new(input);
    let mut rounds = Vec::new();
    loop {
        match check.step() {
            Plan::Done(report) => return (*report, rounds),
            Plan::Need(needs) => {
                assert!(rounds.len() < 10, "the report does not converge");
                assert!(needs.fetches.is_empty(), "{:?}", needs.fetches);
                let queries = needs.queries.clone();
                for query in &queries {
                    check.supply(query.clone(), zone.answer(query));
                }
                rounds.push(queries);
            }
        }
    }
}

#[test]
fn in_the_report_provider_guesses_follow_the_spf_answer_and_cost_no_round() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_2048}");
    let zone = Zone::from_rows(&[
        (DOMAIN, "TXT", "v=spf1 include:_spf-eu.ionos.com -all"),
        ("_spf-eu.ionos.com", "TXT", "v=spf1 ip4:212.227.0.0/16 -all"),
        (DOMAIN, "MX", "10 mx00.ionos.de."),
        ("mx00.ionos.de", "A", "212.227.15.41"),
        ("_dmarc.example.test", "TXT", "v=DMARC1; p=reject"),
        ("s1-ionos._domainkey.example.test", "TXT", &record),
    ]);
    let input = CheckInput {
        domain: DOMAIN.to_owned(),
        ..CheckInput::default()
    };
    let (report, rounds) = report_rounds(&zone, input);
    // Round 1 has the SPF record, the MX and the first tier; IONOS's follow in round 2, with
    // the include target and the MX host's addresses: no round of their own. So does the second
    // tier (no key in the first round).
    assert_eq!(asked(&rounds, "google"), Some(0));
    assert_eq!(asked(&rounds, "s1-ionos"), Some(1));
    assert_eq!(asked(&rounds, "s2-ionos"), Some(1));
    assert_eq!(asked(&rounds, "default"), Some(1));
    assert_eq!(rounds.len(), 2, "{rounds:#?}");
    assert_eq!(key_queries(&rounds).len(), UNIVERSAL_SELECTORS.len() + 2);
    assert_eq!(report.dkim.providers, ["IONOS"]);
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"dkim-ok"), "{codes:?}");
    assert!(!codes.contains(&"dkim-selector-missing"), "{codes:?}");
    // The same report from the answers alone.
    let again = postcheck_core::report::build_report(
        &CheckInput {
            domain: DOMAIN.to_owned(),
            ..CheckInput::default()
        },
        &{
            let mut snapshot = postcheck_core::report::Snapshot::default();
            for query in rounds.iter().flatten() {
                snapshot.answers.insert(query.clone(), zone.answer(query));
            }
            snapshot
        },
    )
    .expect("complete");
    assert_eq!(again, report);
}

#[test]
fn in_the_report_a_provider_seen_only_in_the_mx_hosts_is_guessed_once_they_resolve() {
    let zone = Zone::from_rows(&[
        (DOMAIN, "TXT", "v=spf1 mx -all"),
        (DOMAIN, "MX", "10 mail.protonmail.ch."),
        (DOMAIN, "MX", "20 mailsec.protonmail.ch."),
        ("mail.protonmail.ch", "A", "185.70.42.128"),
        ("mailsec.protonmail.ch", "A", "185.70.42.129"),
        ("_dmarc.example.test", "TXT", "v=DMARC1; p=reject"),
    ]);
    let input = CheckInput {
        domain: DOMAIN.to_owned(),
        ..CheckInput::default()
    };
    let (report, rounds) = report_rounds(&zone, input);
    // The MX hosts are read from the MX check, which is complete once their addresses are in
    // (round 2): Proton's selectors go out in round 3. An MX-only sign of a provider costs that
    // round; an SPF include (the usual sign) does not.
    assert_eq!(asked(&rounds, "protonmail"), Some(2));
    assert_eq!(report.dkim.providers, ["Proton Mail"]);
    let missing: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == Code::DkimSelectorMissing)
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].param("providers"), "Proton Mail");
}

// === The two tiers of universal selectors ====================================================

/// A report-shaped zone like the benchmark's customers (bench/zones.py): an SPF record with a
/// hoster's include (no provider of the table), two MX hosts, DMARC, and `rows` besides.
fn customer_zone(rows: &[(&str, &str, &str)]) -> Zone {
    let mut all: Vec<(&str, &str, &str)> = vec![
        (DOMAIN, "TXT", "v=spf1 mx include:_spf.hoster.test -all"),
        ("_spf.hoster.test", "TXT", "v=spf1 ip4:198.51.100.0/24 -all"),
        (DOMAIN, "MX", "10 mx1.example.test."),
        (DOMAIN, "MX", "20 mx2.example.test."),
        ("mx1.example.test", "A", "192.0.2.21"),
        ("mx2.example.test", "A", "192.0.2.22"),
        ("_dmarc.example.test", "TXT", "v=DMARC1; p=reject"),
    ];
    all.extend_from_slice(rows);
    Zone::from_rows(&all)
}

fn domain_input() -> CheckInput {
    CheckInput {
        domain: DOMAIN.to_owned(),
        ..CheckInput::default()
    }
}

#[test]
fn a_key_at_selector1_spares_the_second_tier() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_2048}");
    let key = key_at("selector1");
    let (section, rounds) = drive(
        &Zone::from_rows(&[(key.as_str(), "TXT", &record)]),
        &[],
        &[],
    );
    assert_eq!(rounds.len(), 1);
    let first: Vec<Query> = first_tier().into_iter().map(key_query).collect();
    assert_eq!(key_queries(&rounds), first.iter().collect::<Vec<_>>());
    for selector in second_tier() {
        assert_eq!(asked(&rounds, selector), None, "{selector} asked");
    }
    assert_eq!(section.guessed_selectors, first_tier());
    assert_only(&section.findings, &["dkim-ok"]);
    assert_clean(&section.findings);

    // The same in the whole report, counting the key queries of every round.
    let zone = customer_zone(&[(key.as_str(), "TXT", &record)]);
    let (report, rounds) = report_rounds(&zone, domain_input());
    assert_eq!(key_queries(&rounds), first.iter().collect::<Vec<_>>());
    for selector in ["default", "k1", "dkim"] {
        assert_eq!(asked(&rounds, selector), None, "{selector} asked");
    }
    assert_eq!(report.dkim.guessed_selectors, ["google", "selector1", "s1"]);
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"dkim-ok"), "{codes:?}");
    assert!(!codes.contains(&"dkim-none-found"), "{codes:?}");
}

/// A zone whose SPF record names Microsoft 365 and IONOS, with `rows` besides.
fn two_providers_zone(rows: &[(&str, &str, &str)]) -> Zone {
    let mut all: Vec<(&str, &str, &str)> = vec![
        (
            DOMAIN,
            "TXT",
            "v=spf1 include:spf.protection.outlook.com include:_spf.perfora.net -all",
        ),
        (
            "spf.protection.outlook.com",
            "TXT",
            "v=spf1 ip4:40.92.0.0/15 -all",
        ),
        ("_spf.perfora.net", "TXT", "v=spf1 ip4:212.227.0.0/16 -all"),
        (DOMAIN, "MX", "10 mx1.example.test."),
        ("mx1.example.test", "A", "192.0.2.21"),
        ("_dmarc.example.test", "TXT", "v=DMARC1; p=reject"),
    ];
    all.extend_from_slice(rows);
    Zone::from_rows(&all)
}

#[test]
fn without_any_key_both_tiers_and_the_providers_selectors_are_tried_without_a_round_more() {
    let (report, rounds) = report_rounds(&two_providers_zone(&[]), domain_input());
    // The first tier in round 1; the second in round 2, with the providers' selectors, the
    // include targets and the MX host's address: the report takes no round more than with a key.
    for selector in first_tier() {
        assert_eq!(asked(&rounds, selector), Some(0), "{selector}");
    }
    for selector in ["default", "k1", "dkim", "selector2", "s1-ionos", "s2-ionos"] {
        assert_eq!(asked(&rounds, selector), Some(1), "{selector}");
    }
    assert_eq!(rounds.len(), 2, "{rounds:#?}");
    assert_eq!(key_queries(&rounds).len(), UNIVERSAL_SELECTORS.len() + 3);
    let all_tried = "google, selector1, s1, default, k1, dkim, selector2, s1-ionos, s2-ionos";
    assert_eq!(report.dkim.guessed_selectors.join(", "), all_tried);
    assert_eq!(report.dkim.providers, ["Microsoft 365", "IONOS"]);
    let missing: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == Code::DkimSelectorMissing)
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0].severity, Severity::Info);
    assert_eq!(missing[0].param("selectors"), all_tried);
    assert_eq!(missing[0].param("count"), "9");
    assert_eq!(missing[0].param("providers"), "Microsoft 365, IONOS");
    let none = find(&report.findings, Code::DkimNoneFound);
    assert_eq!(none.param("selectors"), all_tried);
    assert_eq!(none.param("count"), "9");

    // With a key at selector1: as many rounds, and the second tier's queries fewer (the
    // providers' selectors are still asked: a second key may sit there).
    let key = key_at("selector1");
    let record = format!("v=DKIM1; p={RSA_2048}");
    let with_key = two_providers_zone(&[(key.as_str(), "TXT", &record)]);
    let (_, key_rounds) = report_rounds(&with_key, domain_input());
    assert_eq!(key_rounds.len(), rounds.len());
    assert_eq!(
        key_queries(&key_rounds).len(),
        key_queries(&rounds).len() - second_tier().len()
    );
}

#[test]
fn a_key_only_at_a_second_tier_selector_is_found_a_round_later() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_2048}");
    let key = key_at("dkim");
    let (section, rounds) = drive(
        &Zone::from_rows(&[(key.as_str(), "TXT", &record)]),
        &[],
        &[],
    );
    assert_eq!(rounds.len(), 2);
    assert_eq!(asked(&rounds, "dkim"), Some(1));
    assert_only(&section.findings, &["dkim-ok"]);
    assert_clean(&section.findings);
    assert_eq!(section.selectors.len(), 1);
    let selector = &section.selectors[0];
    assert_eq!(selector.selector, "dkim");
    assert_eq!(selector.source, SelectorSource::Guessed);
    assert_eq!(selector.status, SelectorStatus::Key);
    assert_eq!(selector.provider.as_deref(), Some("mailcow"));
    assert_eq!(section.guessed_selectors.len(), UNIVERSAL_SELECTORS.len());

    // In the report, the second tier rides with the MX hosts' addresses and the include target:
    // as many rounds as with the key at selector1.
    let (report, rounds) = report_rounds(
        &customer_zone(&[(key.as_str(), "TXT", &record)]),
        domain_input(),
    );
    let selector1 = key_at("selector1");
    let (_, selector1_rounds) = report_rounds(
        &customer_zone(&[(selector1.as_str(), "TXT", &record)]),
        domain_input(),
    );
    assert_eq!(rounds.len(), selector1_rounds.len(), "{rounds:#?}");
    assert_eq!(asked(&rounds, "dkim"), Some(1));
    assert_eq!(report.dkim.selectors[0].selector, "dkim");
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"dkim-ok"), "{codes:?}");
    assert!(!codes.contains(&"dkim-none-found"), "{codes:?}");
    assert!(!codes.contains(&"dkim-selector-missing"), "{codes:?}");
}

#[test]
fn a_failed_first_tier_lookup_is_neither_a_key_nor_its_absence() {
    let servfail = |selector: &str| (key_query(selector), Answer::failed(Failure::Servfail));
    // selector1 fails, the key is at default: the second tier is asked and finds it; the failed
    // guess is no finding once a key is found.
    let record = format!("v=DKIM1; p={RSA_2048}");
    let key = key_at("default");
    let zone = Zone::from_rows(&[(key.as_str(), "TXT", &record)]);
    let (section, rounds) = drive(&zone, &[servfail("selector1")], &[]);
    assert_eq!(asked(&rounds, "default"), Some(1));
    assert_only(&section.findings, &["dkim-ok"]);
    assert_eq!(section.selectors[0].selector, "default");
    assert_eq!(
        section.selectors[0].provider.as_deref(),
        Some("cPanel, Plesk, DirectAdmin")
    );

    // selector1 fails and no key anywhere: the second tier is still asked, and the failure is
    // counted as before (none found, one lookup failed), never as "could not verify" alone.
    let (section, rounds) = drive(&Zone::default(), &[servfail("selector1")], &[]);
    assert_eq!(rounds.len(), 2);
    for selector in second_tier() {
        assert_eq!(asked(&rounds, selector), Some(1), "{selector}");
    }
    assert_only(
        &section.findings,
        &["dkim-none-found", "dkim-selector-missing"],
    );
    let none = find(&section.findings, Code::DkimNoneFound);
    assert_eq!(none.param("failed"), "1");
    assert_eq!(none.param("count"), "6");
    assert_eq!(
        none.param("selectors"),
        "google, selector1, s1, default, k1, dkim"
    );
    // The info line lists the guesses that answered without a key.
    let missing = find(&section.findings, Code::DkimSelectorMissing);
    assert_eq!(missing.param("selectors"), "google, s1, default, k1, dkim");

    // Every first-tier lookup fails, the second tier answers: none found, three failed.
    let overrides: Vec<(Query, Answer)> = first_tier().into_iter().map(servfail).collect();
    let (section, rounds) = drive(&Zone::default(), &overrides, &[]);
    assert_eq!(rounds.len(), 2);
    assert_eq!(
        find(&section.findings, Code::DkimNoneFound).param("failed"),
        "3"
    );
    assert!(all(&section.findings, Code::DkimDnsError).is_empty());
}

#[test]
fn a_broken_or_revoked_key_in_the_first_tier_is_the_domains_key() {
    for record in [
        "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B_AQEFAAOCAQ8AMIIBCg",
        "v=DKIM1; p=",
        "v=DKIM2; p=abc",
    ] {
        let key = key_at("s1");
        let (section, rounds) = drive(&Zone::from_rows(&[(key.as_str(), "TXT", record)]), &[], &[]);
        assert_eq!(rounds.len(), 1, "{record}");
        assert_eq!(section.guessed_selectors, first_tier(), "{record}");
        assert!(
            !codes(&section.findings).contains(&"dkim-none-found"),
            "{record}"
        );
        assert_eq!(section.selectors[0].selector, "s1");
    }
}

#[test]
fn other_txt_records_at_a_first_tier_selector_are_no_key_the_second_tier_is_asked() {
    // A TXT record that is no key record (a stray verification token) says nothing about the
    // domain's key: the second tier is asked and finds it.
    let record = format!("v=DKIM1; p={RSA_2048}");
    let (token, key) = (key_at("google"), key_at("k1"));
    let zone = Zone::from_rows(&[
        (token.as_str(), "TXT", "google-site-verification=abc"),
        (key.as_str(), "TXT", &record),
    ]);
    let (section, rounds) = drive(&zone, &[], &[]);
    assert_eq!(asked(&rounds, "k1"), Some(1));
    assert_only(&section.findings, &["dkim-ok"]);
    assert_eq!(section.selectors[0].selector, "k1");
}

#[test]
fn a_key_at_a_named_selector_spares_the_second_tier_a_missing_one_does_not() {
    let record = format!("v=DKIM1; p={RSA_2048}");
    let key = key_at("mail2024");
    let zone = Zone::from_rows(&[(key.as_str(), "TXT", &record)]);
    let (_, rounds) = drive(&zone, &[], &[user("mail2024")]);
    assert_eq!(rounds.len(), 1);
    assert_eq!(key_queries(&rounds).len(), 1 + first_tier().len());
    let (section, rounds) = drive(&Zone::default(), &[], &[user("mail2024")]);
    assert_eq!(rounds.len(), 2);
    assert_eq!(section.guessed_selectors.len(), UNIVERSAL_SELECTORS.len());
    // A named second-tier selector is asked in the first round, as named.
    let (section, rounds) = drive(&Zone::default(), &[], &[user("default")]);
    assert_eq!(asked(&rounds, "default"), Some(0));
    assert_eq!(asked(&rounds, "k1"), Some(1));
    assert!(!section.guessed_selectors.contains(&"default".to_owned()));
}

#[test]
fn a_providers_key_answered_with_the_first_round_spares_the_second_tier() {
    // The MX hosts are known from the start: Microsoft 365's selector2 goes out with the first
    // tier, and its key is enough.
    let record = format!("v=DKIM1; p={RSA_2048}");
    let key = key_at("selector2");
    let (section, rounds) = drive_from(
        AnswerCache::new(),
        &Zone::from_rows(&[(key.as_str(), "TXT", &record)]),
        &[],
        &[],
        &["example-test.mail.protection.outlook.com"],
    );
    assert_eq!(rounds.len(), 1);
    for selector in second_tier() {
        assert_eq!(asked(&rounds, selector), None, "{selector}");
    }
    assert_eq!(
        section.guessed_selectors,
        ["google", "selector1", "s1", "selector2"]
    );
    assert_only(&section.findings, &["dkim-ok"]);
}

#[test]
fn a_second_tier_selector_of_a_recognized_provider_is_asked_as_its_selector() {
    // Mailchimp's k1 is in the second tier: with a key at selector1 the second tier is not
    // asked, but k1 is, as Mailchimp's.
    let record = format!("v=DKIM1; p={RSA_2048}");
    let key = key_at("selector1");
    let zone = Zone::from_rows(&[
        (DOMAIN, "TXT", "v=spf1 include:servers.mcsv.net -all"),
        (key.as_str(), "TXT", &record),
    ]);
    let (section, rounds) = drive(&zone, &[], &[]);
    assert_eq!(asked(&rounds, "k1"), Some(1));
    assert_eq!(asked(&rounds, "default"), None);
    assert_eq!(asked(&rounds, "dkim"), None);
    assert_eq!(
        section.guessed_selectors,
        ["google", "selector1", "s1", "k1", "k2", "k3"]
    );
}
