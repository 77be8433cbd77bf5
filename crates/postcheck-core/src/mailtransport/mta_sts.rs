//! MTA-STS (RFC 8461): the `_mta-sts` record (§3.1), the policy file (§3.2) fetched from
//! exactly one URL (§3.3), and whether an enforce policy covers the domain's MX hosts (§4.1).

use super::{Published, Verdict, Versioned, check_tags, problem, tag};
use crate::dns::{AnswerCache, normalize_name};
use crate::fetch::{FetchCache, FetchResult, Needs};
use crate::findings::{Code, Finding, Severity, Span};
use serde::{Deserialize, Serialize};

/// RFC 8461 §3.2: the largest `max_age`, about one year in seconds.
pub const MAX_AGE_LIMIT: u64 = 31_557_600;
/// At most this many lines of one policy are reported as not `key: value`; a file with more is
/// reported as a whole.
const LINE_FINDING_LIMIT: usize = 5;

/// The MTA-STS part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MtaStsSection {
    /// Whether `_mta-sts.<domain>` holds an MTA-STS record.
    pub published: Published,
    /// The `_mta-sts` record (the first, when there are several).
    pub record: Option<String>,
    /// The `id=` of the record, when it has one.
    pub id: Option<String>,
    /// `https://mta-sts.<domain>/.well-known/mta-sts.txt`, when a record asks for it.
    pub policy_url: Option<String>,
    /// The policy file, when the fetch answered 200.
    pub policy: Option<String>,
    /// The media type the policy came with.
    pub content_type: Option<String>,
    /// The policy's `mode:` as written: `enforce`, `testing` or `none` when valid (RFC 8461 §5).
    pub mode: Option<String>,
    /// The valid `mx:` patterns, lowercase.
    pub mx_patterns: Vec<String>,
    /// The policy's `max_age:` in seconds: how long senders may cache it (RFC 8461 §3.2).
    pub max_age: Option<u64>,
    /// The domain's MX hosts as the caller gave them, normalized: what an enforce policy must
    /// cover (RFC 8461 §4.1).
    pub mx_hosts: Vec<String>,
    /// Every finding of the MTA-STS check: record, policy file, and MX coverage.
    pub findings: Vec<Finding>,
}

/// The policy URL of RFC 8461 §3.3.
pub fn policy_url(domain: &str) -> String {
    format!(
        "https://mta-sts.{}/.well-known/mta-sts.txt",
        normalize_name(domain)
    )
}

/// Parses an `_mta-sts` record (RFC 8461 §3.1): `v=STSv1; id=<1 to 32 letters or digits>;`,
/// extension fields allowed. Returns the id, when valid, and the problems (no owner set).
pub fn parse_sts_record(text: &str) -> (Option<String>, Vec<Finding>) {
    let code = Code::MtaStsInvalid;
    let mut findings = Vec::new();
    let list = check_tags(code, text, "STSv1", &mut findings);
    // The shared tag checks say `syntax` and `version`; here they are about the record.
    for finding in &mut findings {
        let reason = format!("record-{}", finding.param("reason"));
        finding.params.insert("reason".to_owned(), reason);
    }
    let id = match tag(&list.tags, "id") {
        None => {
            findings.push(problem(code, "record-id-missing", Span::new(0, text.len())));
            None
        }
        Some(id)
            if id.value.is_empty()
                || id.value.len() > 32
                || !id.value.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            findings.push(problem(code, "record-id", id.span).with("term", &id.value));
            None
        }
        Some(id) => Some(id.value.clone()),
    };
    (id, findings)
}

/// A parsed MTA-STS policy (RFC 8461 §3.2). A field given twice counts the first time; `mx` may
/// repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MtaStsPolicy {
    /// The `version:` field as written (`STSv1`).
    pub version: Option<String>,
    /// The `mode:` field as written (`enforce`, `testing` or `none` when valid).
    pub mode: Option<String>,
    /// The line of the first `mode:` field.
    pub mode_span: Option<Span>,
    /// The valid `mx:` patterns, lowercase.
    pub mx: Vec<String>,
    /// The `max_age:` field in seconds, when it is a number.
    pub max_age: Option<u64>,
}

/// The four fields of RFC 8461 §3.2; field names are case-sensitive (`%s` in the ABNF).
const POLICY_FIELDS: [&str; 4] = ["version", "mode", "mx", "max_age"];

/// The field a mistyped field name means (`Mode`, `MX`, `max-age`, `maxage`), if any.
fn near_miss(name: &str) -> Option<&'static str> {
    let folded: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let folded = if folded == "maxage" {
        "max_age".to_owned()
    } else {
        folded
    };
    POLICY_FIELDS
        .into_iter()
        .find(|field| *field == folded && *field != name)
}

/// RFC 8461 §3.2: `sts-policy-mx-value = ["*."] Domain`, Domain as in RFC 5321 §4.1.2 (letters,
/// digits and inner hyphens per label; underscores tolerated, a trailing dot too).
pub fn is_valid_mx_pattern(pattern: &str) -> bool {
    let name = pattern.strip_prefix("*.").unwrap_or(pattern);
    let name = name.strip_suffix('.').unwrap_or(name);
    crate::dns::name::is_host_name(name, 1)
}

/// Parses a policy file (RFC 8461 §3.2): `key: value` lines ending in LF or CRLF; `version:
/// STSv1`, `mode: enforce|testing|none` and `max_age: 0..31557600` once each, `mx:` at least once
/// unless the mode is none; unknown fields are ignored. A file in which no line is one of the
/// four fields (an HTML page, an empty file) is one `policy-format` problem, not one per line.
pub fn parse_policy(text: &str) -> (MtaStsPolicy, Vec<Finding>) {
    let code = Code::MtaStsInvalid;
    let mut policy = MtaStsPolicy::default();
    let mut findings = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
    let mut mistyped: Vec<&'static str> = Vec::new();
    let mut bad_lines = 0;
    let mut offset = 0;
    for raw in text.split('\n') {
        let line_start = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let span = Span::new(line_start + lead, line_start + line.trim_end().len());
        let shown = line.trim();
        let Some((name, value)) = line.split_once(':') else {
            bad_lines += 1;
            if bad_lines <= LINE_FINDING_LIMIT {
                findings.push(problem(code, "policy-line", span).with("term", shown));
            }
            continue;
        };
        let name = name.trim();
        let value = value.trim();
        let Some(field) = POLICY_FIELDS.into_iter().find(|f| *f == name) else {
            if let Some(meant) = near_miss(name) {
                mistyped.push(meant);
                findings.push(
                    problem(code, "policy-key", span)
                        .with("term", name)
                        .with("expected", meant),
                );
            }
            // Any other name is an extension field: ignored (§3.2).
            continue;
        };
        let first = !seen.contains(&field);
        seen.push(field);
        match field {
            "mx" => {
                if is_valid_mx_pattern(value) {
                    policy.mx.push(value.to_ascii_lowercase());
                } else {
                    findings.push(problem(code, "policy-mx", span).with("term", value));
                }
            }
            // §3.2: of a repeated field, all entries except the first are ignored.
            _ if !first => {}
            "version" => {
                policy.version = Some(value.to_owned());
                if value != "STSv1" {
                    findings.push(problem(code, "policy-version", span).with("term", value));
                }
            }
            "mode" => {
                policy.mode = Some(value.to_owned());
                policy.mode_span = Some(span);
                if !matches!(value, "enforce" | "testing" | "none") {
                    findings.push(problem(code, "policy-mode", span).with("term", value));
                }
            }
            _ => {
                // max_age: 1*10DIGIT, at most MAX_AGE_LIMIT.
                let digits = !value.is_empty()
                    && value.len() <= 10
                    && value.bytes().all(|b| b.is_ascii_digit());
                match value.parse::<u64>() {
                    Ok(age) if digits && age <= MAX_AGE_LIMIT => policy.max_age = Some(age),
                    Ok(age) if digits => {
                        // Syntactically valid; some senders cap it at a year, some reject it.
                        policy.max_age = Some(age);
                        findings.push(
                            problem(code, "policy-max-age", span)
                                .with("term", value)
                                .with("limit", MAX_AGE_LIMIT)
                                .with_severity(Severity::Warning),
                        );
                    }
                    _ => findings.push(
                        problem(code, "policy-max-age", span)
                            .with("term", value)
                            .with("limit", MAX_AGE_LIMIT),
                    ),
                }
            }
        }
    }
    let whole = Span::new(0, text.trim_end().len());
    if seen.is_empty() && mistyped.is_empty() {
        let finding = Finding::new(code).with("reason", "policy-format");
        let finding = if whole.is_empty() {
            finding
        } else {
            finding.with_span(whole)
        };
        return (policy, vec![finding]);
    }
    let missing = |field: &str| !seen.contains(&field) && !mistyped.contains(&field);
    for (field, reason) in [
        ("version", "policy-version-missing"),
        ("mode", "policy-mode-missing"),
        ("max_age", "policy-max-age-missing"),
    ] {
        if missing(field) {
            findings.push(problem(code, reason, whole).with("term", field));
        }
    }
    if missing("mx") && policy.mode.as_deref() != Some("none") {
        findings.push(problem(code, "policy-mx-missing", whole).with("term", "mx"));
    }
    (policy, findings)
}

/// RFC 8461 §3.2: "senders SHOULD validate that the media type is text/plain"; parameters such
/// as `charset` do not matter.
fn is_text_plain(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .eq_ignore_ascii_case("text/plain")
    })
}

/// MTA-STS: the `_mta-sts` record (§3.1), the policy (§3.2, §3.3) and MX coverage (§4.1).
///
/// `mx_hosts` are the domain's MX hosts from the MX check. `Err` names what is still needed:
/// first the TXT query, then, when a record is published, the policy fetch from exactly
/// `https://mta-sts.<domain>/.well-known/mta-sts.txt` (redirects are not followed, §3.3).
///
/// Decisions, each with its reason:
/// - A fetch that fails, a status other than 200 (§3.3: "only valid if the HTTP response code is
///   200"), or a file that is no policy is an error: senders then have no policy.
/// - A media type other than `text/plain` (or none) is a warning: §3.2 says senders SHOULD check
///   it, and those that do (Google, KumoMTA, Hermod) then ignore the policy.
/// - A `max_age` above 31557600 is a warning: valid syntax, some senders cap it, some reject it.
/// - The record and the policy are both checked even when one of them is broken, so one report
///   shows every fix; with several `v=STSv1` records (§3.1: no policy) the policy is not fetched.
pub fn check_mta_sts(
    domain: &str,
    mx_hosts: &[String],
    cache: &AnswerCache,
    fetches: &FetchCache,
) -> Result<MtaStsSection, Needs> {
    let domain = normalize_name(domain);
    let owner = format!("_mta-sts.{domain}");
    let mut section = MtaStsSection {
        published: Published::No,
        record: None,
        id: None,
        policy_url: None,
        policy: None,
        content_type: None,
        mode: None,
        mx_patterns: Vec::new(),
        max_age: None,
        mx_hosts: mx_hosts.iter().map(|host| normalize_name(host)).collect(),
        findings: Vec::new(),
    };
    let verdict = Verdict {
        published: &mut section.published,
        record: &mut section.record,
        findings: &mut section.findings,
    };
    let record = Versioned {
        owner: &owner,
        version: "v=STSv1",
        dns_error: Code::MtaStsDnsError,
        invalid: Code::MtaStsInvalid,
        several: "record-multiple",
    }
    .look_up(&domain, cache, verdict)
    .map_err(|query| Needs {
        queries: vec![query],
        fetches: Vec::new(),
    })?;
    let Some(record) = record else {
        return Ok(section);
    };
    section.published = Published::Yes;
    let (id, record_findings) = parse_sts_record(&record);
    section.record = Some(record);
    section.id = id;
    section.findings.extend(
        record_findings
            .into_iter()
            .map(|f| f.with_domain(&owner).with("domain", &domain)),
    );

    // §3.3: the policy, by HTTPS, from exactly this URL.
    let url = policy_url(&domain);
    section.policy_url = Some(url.clone());
    let Some(result) = fetches.get(&url) else {
        return Err(Needs {
            queries: Vec::new(),
            fetches: vec![url],
        });
    };
    let policy_owner = format!("mta-sts.{domain}");
    let decorate = |finding: Finding| {
        finding
            .with_domain(&policy_owner)
            .with("domain", &domain)
            .with("url", &url)
    };
    let (body, content_type) = match result {
        FetchResult::Failed { reason } => {
            section.findings.push(decorate(
                Finding::new(Code::MtaStsInvalid)
                    .with("reason", "fetch-failed")
                    .with("detail", reason),
            ));
            return Ok(section);
        }
        FetchResult::Response { code, .. } if *code != 200 => {
            section.findings.push(decorate(
                Finding::new(Code::MtaStsInvalid)
                    .with("reason", "http-status")
                    .with("status", code),
            ));
            return Ok(section);
        }
        FetchResult::Response {
            body, content_type, ..
        } => (body, content_type.as_deref()),
    };
    section.policy = Some(body.clone());
    section.content_type = content_type.map(str::to_owned);
    let (policy, policy_findings) = parse_policy(body);
    let is_policy = !policy_findings
        .iter()
        .any(|f| f.param("reason") == "policy-format");
    section
        .findings
        .extend(policy_findings.into_iter().map(|finding| {
            if is_policy {
                decorate(finding)
            } else {
                decorate(finding).with("content_type", content_type.unwrap_or(""))
            }
        }));
    if is_policy && !is_text_plain(content_type) {
        section.findings.push(decorate(
            Finding::new(Code::MtaStsInvalid)
                .with_severity(Severity::Warning)
                .with("reason", "content-type")
                .with("content_type", content_type.unwrap_or("")),
        ));
    }
    section.mode = policy.mode.clone();
    section.mx_patterns = policy.mx.clone();
    section.max_age = policy.max_age;

    match policy.mode.as_deref() {
        Some("testing") => {
            let finding = Finding::new(Code::MtaStsTesting).with("domain", &domain);
            let finding = match policy.mode_span {
                Some(span) => finding.with_domain(&policy_owner).with_span(span),
                None => finding,
            };
            section.findings.push(finding);
        }
        // §4.1: in enforce mode, a sender delivers only to MX hosts that match a pattern.
        Some("enforce") if !policy.mx.is_empty() => {
            for host in &section.mx_hosts {
                if !policy.mx.iter().any(|pattern| mx_matches(pattern, host)) {
                    section.findings.push(
                        Finding::new(Code::MtaStsMxNotCovered)
                            .with("domain", &domain)
                            .with("host", host)
                            .with("patterns", policy.mx.join(", ")),
                    );
                }
            }
        }
        _ => {}
    }
    Ok(section)
}

/// RFC 8461 §4.1: an exact name, or `*.` matching exactly one leftmost label; case-insensitive.
pub fn mx_matches(pattern: &str, host: &str) -> bool {
    let pattern = normalize_name(pattern);
    let host = normalize_name(host);
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailtransport::tests::check;

    fn check_record(input: &str, expect: &[(&str, &str)]) {
        let (_, findings) = parse_sts_record(input);
        check(input, &findings, expect);
    }

    fn check_policy(input: &str, expect: &[(&str, &str)]) -> MtaStsPolicy {
        let (policy, findings) = parse_policy(input);
        check(input, &findings, expect);
        policy
    }

    #[test]
    fn sts_records() {
        check_record("v=STSv1; id=20260101T000000Z;", &[]);
        check_record("v=STSv1; id=abc; ext_1=value", &[]);
        check_record("v=STSv1;id=1", &[]);
        check_record("v=STSv1;", &[("record-id-missing", "v=STSv1;")]);
        check_record("v=STSv1; id=2026-01-01", &[("record-id", "id=2026-01-01")]);
        check_record(
            "v=STSv1; id=123456789012345678901234567890123",
            &[("record-id", "id=123456789012345678901234567890123")],
        );
        check_record("v=STSv1; id=", &[("record-id", "id=")]);
        // Never stops at the first problem.
        check_record(
            "v=STSv1; garbage; id=a b; more garbage",
            &[
                ("record-syntax", "garbage"),
                ("record-syntax", "more garbage"),
                ("record-id", "id=a b"),
            ],
        );
        check_record("v=stsv1; id=1", &[("record-version", "v=stsv1")]);
        check_record("V=STSv1; id=1", &[("record-version", "V=STSv1")]);
    }

    #[test]
    fn policies() {
        let policy = check_policy(
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n",
            &[],
        );
        assert_eq!(policy.mode.as_deref(), Some("enforce"));
        assert_eq!(policy.mx, ["mail.example.com", "*.example.net"]);
        assert_eq!(policy.max_age, Some(604_800));
        // LF only, extension fields, blank lines, any order, upper-case host names.
        let policy = check_policy(
            "mode: testing\nmx: MAIL.example.com\n\nfoo: bar\nmax_age: 86400\nversion: STSv1",
            &[],
        );
        assert_eq!(policy.mx, ["mail.example.com"]);
        // mode none needs no mx.
        check_policy("version: STSv1\nmode: none\nmax_age: 0\n", &[]);
        check_policy(
            "version: STSv1\nmode: enforced\nmx: mail.example.com\nmax_age: 604800\n",
            &[("policy-mode", "mode: enforced")],
        );
        check_policy(
            "version: STSv2\nmode: Enforce\nmx: mail.example.com\nmax_age: 1w\n",
            &[
                ("policy-version", "version: STSv2"),
                ("policy-mode", "mode: Enforce"),
                ("policy-max-age", "max_age: 1w"),
            ],
        );
        check_policy(
            "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: +86400\n",
            &[("policy-max-age", "max_age: +86400")],
        );
        check_policy(
            "version: STSv1\nmode: enforce\nmx: *\nmx: mail..example.com\nmx: *.*.example.com\nmax_age: 86400\n",
            &[
                ("policy-mx", "mx: *"),
                ("policy-mx", "mx: mail..example.com"),
                ("policy-mx", "mx: *.*.example.com"),
            ],
        );
        let text = "version: STSv1\nmode: enforce\n";
        check_policy(
            text,
            &[
                ("policy-max-age-missing", "version: STSv1\nmode: enforce"),
                ("policy-mx-missing", "version: STSv1\nmode: enforce"),
            ],
        );
        check_policy(
            "version: STSv1\nmode: enforce\nthis is not a field\nmx: mail.example.com\nmax_age: 86400\n",
            &[("policy-line", "this is not a field")],
        );
    }

    #[test]
    fn policy_with_a_repeated_field_counts_the_first() {
        let policy = check_policy(
            "version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 1\nmax_age: 2\n",
            &[],
        );
        assert_eq!(policy.mode.as_deref(), Some("testing"));
        assert_eq!(policy.max_age, Some(1));
        // A broken first entry is not repaired by a later one.
        check_policy(
            "version: STSv1\nmode: enforcing\nmode: enforce\nmx: a.example\nmax_age: 1\n",
            &[("policy-mode", "mode: enforcing")],
        );
    }

    #[test]
    fn policy_field_names_are_case_sensitive() {
        check_policy(
            "version: STSv1\nMode: enforce\nmx: a.example\nmax-age: 86400\n",
            &[
                ("policy-key", "Mode: enforce"),
                ("policy-key", "max-age: 86400"),
            ],
        );
        let (_, findings) = parse_policy("version: STSv1\nMode: enforce\nmx: a\nmax_age: 1\n");
        assert_eq!(findings[0].param("expected"), "mode");
    }

    #[test]
    fn a_file_that_is_no_policy_is_one_finding() {
        let html = "<!DOCTYPE html>\n<html>\n<head><title>Welcome</title></head>\n<body>It works</body>\n</html>\n";
        check_policy(html, &[("policy-format", html.trim_end())]);
        check_policy("", &[("policy-format", "")]);
        check_policy("\r\n", &[("policy-format", "")]);
    }

    #[test]
    fn policy_over_the_max_age_limit_is_a_warning() {
        let (policy, findings) =
            parse_policy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n");
        assert_eq!(policy.max_age, Some(31_557_601));
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Warning);
        let (_, findings) =
            parse_policy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n");
        assert!(findings.is_empty());
        let (_, findings) =
            parse_policy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999\n");
        assert_eq!(findings[0].severity, Severity::Error);
    }

    #[test]
    fn too_many_bad_lines_are_capped() {
        let mut text = String::from("version: STSv1\nmode: none\nmax_age: 1\n");
        for n in 0..20 {
            text.push_str(&format!("junk line {n}\n"));
        }
        let (_, findings) = parse_policy(&text);
        assert_eq!(findings.len(), LINE_FINDING_LIMIT);
    }

    #[test]
    fn mx_patterns_match_one_label() {
        assert!(mx_matches("mx1.example.com", "MX1.example.com."));
        assert!(mx_matches("*.example.com", "mx1.example.com"));
        assert!(mx_matches("*.Example.com", "MX1.example.COM"));
        assert!(!mx_matches("*.example.com", "a.mx1.example.com"));
        assert!(!mx_matches("*.example.com", "example.com"));
        assert!(!mx_matches("mx2.example.com", "mx1.example.com"));
        assert!(is_valid_mx_pattern("*.example.com"));
        assert!(is_valid_mx_pattern("mail.example.com."));
        assert!(!is_valid_mx_pattern("*"));
        assert!(!is_valid_mx_pattern("mail.*.example.com"));
        assert!(!is_valid_mx_pattern("-mail.example.com"));
        assert!(!is_valid_mx_pattern(""));
    }

    #[test]
    fn media_type() {
        assert!(is_text_plain(Some("text/plain")));
        assert!(is_text_plain(Some("Text/Plain; charset=utf-8")));
        assert!(!is_text_plain(Some("text/html")));
        assert!(!is_text_plain(Some("application/octet-stream")));
        assert!(!is_text_plain(None));
    }
}
