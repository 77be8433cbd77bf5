//! Transport and brand records: MTA-STS (RFC 8461), TLS-RPT (RFC 8460), BIMI, and DNSSEC.
//!
//! All three records are optional: a domain without them gets no finding. Only a record that is
//! published and broken, a policy that cannot be fetched, or an enforce policy that leaves an MX
//! host out is reported; a failed lookup is "could not verify" (`Published::LookupFailed`), never
//! "not published". The MTA-STS policy file crosses the same sans-IO boundary as DNS: the check
//! names the URL, the driver fetches it.
//!
//! Every parser here returns what it understood and every problem as a finding with a `reason`
//! parameter (which wording of the message fits) and a span into the record or policy text; the
//! check functions add the owner name the span points into and the checked domain.

use crate::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType, normalize_name};
use crate::fetch::{FetchCache, FetchResult, Needs};
use crate::findings::{Code, Finding, Severity, Span};
use crate::taglist;
use serde::{Deserialize, Serialize};

/// Whether an optional record is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Published {
    Yes,
    No,
    /// The lookup failed: could not verify.
    LookupFailed,
}

/// One `key=value` tag of a `;`-separated record, with spans (the shared tag-list reader's).
pub use crate::taglist::Tag as RecordTag;

/// The tags of a record and the parts that are not tags.
struct TagList {
    tags: Vec<RecordTag>,
    /// Parts without `=` or with a name that is not a tag name: one span each.
    malformed: Vec<Span>,
}

/// The TXT records at a name whose joined text starts with `prefix` (case-insensitive), each
/// with its character-strings joined (as RFC 7208 §3.3, which RFC 8460 §3, RFC 8461 §3.1 and
/// the BIMI draft adopt).
fn records_with_prefix(answer: &Answer, prefix: &str) -> Vec<String> {
    answer
        .record_data()
        .iter()
        .filter_map(|r| match r {
            RecordData::Txt(strings) => {
                let text = crate::dns::join_txt_lossy(strings);
                text.get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                    .then_some(text)
            }
            _ => None,
        })
        .collect()
}

/// What the lookup of an optional, versioned TXT record found.
enum Optional {
    /// The lookup failed: could not verify.
    Failed(Failure),
    /// No record starts with the version: not published.
    Absent,
    /// More than one: receivers use none of them.
    Several(Vec<String>),
    One(String),
}

/// Looks up the records at `owner` that start with `version` (each spec allows exactly one:
/// RFC 8461 §3.1, RFC 8460 §3, BIMI §4.2); `Err` is the query still to ask.
fn optional_record(owner: &str, version: &str, cache: &AnswerCache) -> Result<Optional, Query> {
    let query = Query::new(owner, RecordType::Txt);
    let Some(answer) = cache.get(&query) else {
        return Err(query);
    };
    if let Some(failure) = answer.failure() {
        return Ok(Optional::Failed(failure));
    }
    let mut records = records_with_prefix(answer, version);
    Ok(match records.len() {
        0 => Optional::Absent,
        1 => Optional::One(records.remove(0)),
        _ => Optional::Several(records),
    })
}

/// The finding for a failed lookup of `owner`: "could not verify", never "not published".
fn dns_error(code: Code, owner: &str, domain: &str, failure: Failure) -> Finding {
    Finding::new(code)
        .with_domain(owner)
        .with("query", Query::new(owner, RecordType::Txt))
        .with("failure", failure.as_str())
        .with("domain", domain)
}

/// Splits `k=v; k=v` into tags with spans (the tag-list syntax of RFC 6376 §3.2 that all three
/// records share). It never stops at a malformed part: each one without `=` or with a name that
/// is no tag name is listed and skipped.
fn parse_tags(text: &str) -> TagList {
    let mut list = TagList {
        tags: Vec::new(),
        malformed: Vec::new(),
    };
    for (tag, has_equals) in taglist::split(text, taglist::fws) {
        let name_ok = !tag.name.is_empty()
            && tag
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-');
        if has_equals && name_ok {
            list.tags.push(tag);
        } else {
            list.malformed.push(tag.span);
        }
    }
    list
}

/// The first tag named `name`.
fn tag<'a>(tags: &'a [RecordTag], name: &str) -> Option<&'a RecordTag> {
    tags.iter().find(|t| t.name == name)
}

/// A record finding without owner: `reason` picks the wording, `span` points into the text.
fn problem(code: Code, reason: &str, span: Span) -> Finding {
    Finding::new(code).with("reason", reason).with_span(span)
}

/// The common checks of a tag list: malformed parts and the version, which must be the first
/// tag with exactly this value (RFC 8461 §3.1, RFC 8460 §3, BIMI §4.2: case-sensitive).
fn check_tags(code: Code, text: &str, version: &str, findings: &mut Vec<Finding>) -> TagList {
    let list = parse_tags(text);
    for span in &list.malformed {
        findings.push(problem(code, "syntax", *span).with("term", &text[span.start..span.end]));
    }
    let first = list.tags.first();
    if !first.is_some_and(|t| t.name == "v" && t.value == version) {
        let span = first.map_or(Span::new(0, text.len()), |t| t.span);
        findings.push(problem(code, "version", span).with("term", &text[span.start..span.end]));
    }
    list
}

/// The values of a comma-separated list with their spans (URIs in `rua=`).
fn comma_list(tag: &RecordTag) -> Vec<(&str, Span)> {
    let mut items = Vec::new();
    let mut offset = tag.value_span.start;
    for item in tag.value.split(',') {
        let lead = item.len() - item.trim_start().len();
        let trimmed = item.trim();
        items.push((
            trimmed,
            Span::new(offset + lead, offset + lead + trimmed.len()),
        ));
        offset += item.len() + 1;
    }
    items
}

/// An `https://` URL with a fully qualified host and no white space (RFC 8460 §3, BIMI §4.2: the
/// scheme compares case-insensitively, RFC 3986 §3.1).
fn is_https_url(text: &str) -> bool {
    let Some(rest) = text
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| &text[8..])
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = host.split(':').next().unwrap_or("");
    !host.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// A `mailto:` URI with one address `local@domain` (RFC 6068), as RFC 8460 §3 allows in `rua`.
fn is_mailto_uri(text: &str) -> bool {
    let Some(address) = text
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .map(|_| &text[7..])
    else {
        return false;
    };
    let address = address.split('?').next().unwrap_or("");
    address.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && !text.chars().any(char::is_whitespace)
}

// --- MTA-STS (RFC 8461) -------------------------------------------------------------------------

/// RFC 8461 §3.2: the largest `max_age`, about one year in seconds.
pub const MAX_AGE_LIMIT: u64 = 31_557_600;
/// At most this many lines of one policy are reported as not `key: value`; a file with more is
/// reported as a whole.
const LINE_FINDING_LIMIT: usize = 5;

/// The MTA-STS part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MtaStsSection {
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
    pub mode: Option<String>,
    /// The valid `mx:` patterns, lowercase.
    pub mx_patterns: Vec<String>,
    pub max_age: Option<u64>,
    /// The domain's MX hosts as the caller gave them, normalized: what an enforce policy must
    /// cover (RFC 8461 §4.1).
    pub mx_hosts: Vec<String>,
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
    pub version: Option<String>,
    pub mode: Option<String>,
    /// The line of the first `mode:` field.
    pub mode_span: Option<Span>,
    /// The valid `mx:` patterns, lowercase.
    pub mx: Vec<String>,
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
    let record = match optional_record(&owner, "v=STSv1", cache) {
        Err(query) => {
            return Err(Needs {
                queries: vec![query],
                fetches: Vec::new(),
            });
        }
        Ok(Optional::Failed(failure)) => {
            section.published = Published::LookupFailed;
            section
                .findings
                .push(dns_error(Code::MtaStsDnsError, &owner, &domain, failure));
            return Ok(section);
        }
        Ok(Optional::Absent) => return Ok(section),
        Ok(Optional::Several(records)) => {
            section.published = Published::Yes;
            section.record = records.first().cloned();
            section.findings.push(
                Finding::new(Code::MtaStsInvalid)
                    .with_domain(&owner)
                    .with("reason", "record-multiple")
                    .with("count", records.len())
                    .with("domain", &domain),
            );
            return Ok(section);
        }
        Ok(Optional::One(record)) => record,
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

// --- TLS-RPT (RFC 8460) -------------------------------------------------------------------------

/// The TLS-RPT part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsRptSection {
    pub published: Published,
    pub record: Option<String>,
    /// The valid report destinations of `rua=`.
    pub rua: Vec<String>,
    pub findings: Vec<Finding>,
}

/// Parses a TLS-RPT record (RFC 8460 §3): `v=TLSRPTv1; rua=<uri>[,<uri>]`, each URI `mailto:`
/// or `https:`, extension fields allowed. Returns the valid URIs and the problems (no owner).
pub fn parse_tlsrpt_record(text: &str) -> (Vec<String>, Vec<Finding>) {
    let code = Code::TlsrptInvalid;
    let mut findings = Vec::new();
    let list = check_tags(code, text, "TLSRPTv1", &mut findings);
    let mut rua = Vec::new();
    match tag(&list.tags, "rua") {
        None => findings.push(problem(code, "rua-missing", Span::new(0, text.len()))),
        Some(tag) => {
            for (uri, span) in comma_list(tag) {
                if is_mailto_uri(uri) || is_https_url(uri) {
                    rua.push(uri.to_owned());
                } else {
                    let span = if span.is_empty() { tag.span } else { span };
                    findings.push(problem(code, "rua-uri", span).with("term", uri));
                }
            }
        }
    }
    (rua, findings)
}

/// TLS-RPT (RFC 8460 §3): the `_smtp._tls` record. Absent: no finding.
pub fn check_tlsrpt(domain: &str, cache: &AnswerCache) -> Result<TlsRptSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let owner = format!("_smtp._tls.{domain}");
    let mut section = TlsRptSection {
        published: Published::No,
        record: None,
        rua: Vec::new(),
        findings: Vec::new(),
    };
    let record = match optional_record(&owner, "v=TLSRPTv1", cache).map_err(|q| vec![q])? {
        Optional::Failed(failure) => {
            section.published = Published::LookupFailed;
            section
                .findings
                .push(dns_error(Code::TlsrptDnsError, &owner, &domain, failure));
            return Ok(section);
        }
        Optional::Absent => return Ok(section),
        Optional::Several(records) => {
            // §3: "If the number of resulting records is not one", no TLS-RPT.
            section.published = Published::Yes;
            section.record = records.first().cloned();
            section.findings.push(
                Finding::new(Code::TlsrptInvalid)
                    .with_domain(&owner)
                    .with("reason", "multiple")
                    .with("count", records.len())
                    .with("domain", &domain),
            );
            return Ok(section);
        }
        Optional::One(record) => record,
    };
    section.published = Published::Yes;
    let (rua, findings) = parse_tlsrpt_record(&record);
    section.record = Some(record);
    section.rua = rua;
    section.findings = findings
        .into_iter()
        .map(|f| f.with_domain(&owner).with("domain", &domain))
        .collect();
    Ok(section)
}

// --- BIMI (draft-brand-indicators-for-message-identification) ------------------------------------

/// The BIMI part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BimiSection {
    pub published: Published,
    pub record: Option<String>,
    /// The logo URL (`l=`), when it is a valid HTTPS URL.
    pub logo: Option<String>,
    /// The certificate URL (`a=`), when it is a valid HTTPS URL.
    pub authority: Option<String>,
    /// `l=` and `a=` both empty: the domain declines to show a logo (BIMI §4.2.1).
    pub declined: bool,
    pub findings: Vec<Finding>,
}

/// What a BIMI record says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BimiRecord {
    pub logo: Option<String>,
    pub authority: Option<String>,
    pub declined: bool,
}

/// Image formats BIMI does not accept for `l=`: the draft allows SVG only (Tiny PS), and "if an
/// l= tag URI ends with any other image format suffix" the record is a permanent error.
const OTHER_IMAGE_SUFFIXES: [&str; 9] = [
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".tif", ".tiff",
];

/// Parses a BIMI assertion record (BIMI §4.2): `v=BIMI1` first, `l=` required (empty, or one
/// HTTPS URL of an SVG logo), `a=` optional (empty, or one HTTPS URL of a PEM certificate);
/// unknown tags ignored. Returns what it says and the problems (no owner).
pub fn parse_bimi_record(text: &str) -> (BimiRecord, Vec<Finding>) {
    let code = Code::BimiInvalid;
    let mut findings = Vec::new();
    let list = check_tags(code, text, "BIMI1", &mut findings);
    let mut record = BimiRecord::default();
    let logo = tag(&list.tags, "l");
    let authority = tag(&list.tags, "a");
    for tag in [logo, authority].into_iter().flatten() {
        if tag.value.is_empty() {
            continue;
        }
        if !is_https_url(&tag.value) {
            findings.push(problem(code, "not-https", tag.span).with("term", &tag.value));
            continue;
        }
        if tag.name == "a" {
            record.authority = Some(tag.value.clone());
            continue;
        }
        let path = tag.value.split(['?', '#']).next().unwrap_or("");
        let path = path.to_ascii_lowercase();
        if OTHER_IMAGE_SUFFIXES
            .iter()
            .any(|suffix| path.ends_with(suffix))
        {
            findings.push(problem(code, "logo-format", tag.span).with("term", &tag.value));
        } else {
            record.logo = Some(tag.value.clone());
        }
    }
    match logo {
        None => findings.push(problem(code, "logo-missing", Span::new(0, text.len()))),
        Some(logo) => {
            record.declined = logo.value.is_empty() && authority.is_none_or(|a| a.value.is_empty());
        }
    }
    (record, findings)
}

/// BIMI: the `default._bimi` record. Absent: no finding.
pub fn check_bimi(domain: &str, cache: &AnswerCache) -> Result<BimiSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let owner = format!("default._bimi.{domain}");
    let mut section = BimiSection {
        published: Published::No,
        record: None,
        logo: None,
        authority: None,
        declined: false,
        findings: Vec::new(),
    };
    let record = match optional_record(&owner, "v=BIMI1", cache).map_err(|q| vec![q])? {
        Optional::Failed(failure) => {
            section.published = Published::LookupFailed;
            section
                .findings
                .push(dns_error(Code::BimiDnsError, &owner, &domain, failure));
            return Ok(section);
        }
        Optional::Absent => return Ok(section),
        Optional::Several(records) => {
            section.published = Published::Yes;
            section.record = records.first().cloned();
            section.findings.push(
                Finding::new(Code::BimiInvalid)
                    .with_domain(&owner)
                    .with("reason", "multiple")
                    .with("count", records.len())
                    .with("domain", &domain),
            );
            return Ok(section);
        }
        Optional::One(record) => record,
    };
    section.published = Published::Yes;
    let (parsed, findings) = parse_bimi_record(&record);
    section.record = Some(record);
    section.logo = parsed.logo;
    section.authority = parsed.authority;
    section.declined = parsed.declined;
    section.findings = findings
        .into_iter()
        .map(|f| f.with_domain(&owner).with("domain", &domain))
        .collect();
    Ok(section)
}

// --- DNSSEC ------------------------------------------------------------------------------------

/// The DNSSEC part of the report: whether the resolver validated the domain's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnssecSection {
    /// True when every positive answer for names at or under the domain had the AD bit.
    pub validated: bool,
    /// Positive answers (with records) for names at or under the domain.
    #[serde(default)]
    pub answers: usize,
    /// How many of them had the AD bit.
    #[serde(default)]
    pub authenticated_answers: usize,
    pub findings: Vec<Finding>,
}

/// RFC 4035 §3.2.3: the AD bit says the resolver validated the answer. When there are positive
/// answers for the domain and none is authenticated, `dnssec-unsigned` (info): the zone is not
/// signed or the resolver does not validate; from the answers alone the two look the same. Some
/// authenticated and some not (a DKIM CNAME into an unsigned provider zone, say) is no finding.
pub fn dnssec_status(domain: &str, cache: &AnswerCache) -> DnssecSection {
    let domain = normalize_name(domain);
    let suffix = format!(".{domain}");
    let mut answers = 0;
    let mut authenticated_answers = 0;
    for (query, answer) in cache.iter() {
        if query.name != domain && !query.name.ends_with(&suffix) {
            continue;
        }
        if let Answer::Records {
            records,
            authenticated,
        } = answer
            && !records.is_empty()
        {
            answers += 1;
            if *authenticated {
                authenticated_answers += 1;
            }
        }
    }
    let mut findings = Vec::new();
    if answers > 0 && authenticated_answers == 0 {
        findings.push(Finding::new(Code::DnssecUnsigned).with("domain", &domain));
    }
    DnssecSection {
        validated: answers > 0 && authenticated_answers == answers,
        answers,
        authenticated_answers,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks a parser's problems: each expected `(reason, spanned text)` occurs, in order, and
    /// nothing else; the spanned text is what the span cuts out of the input.
    fn check(input: &str, findings: &[Finding], expect: &[(&str, &str)]) {
        let got: Vec<(String, String)> = findings
            .iter()
            .map(|f| {
                let text = f
                    .span
                    .map(|s| input[s.start..s.end].to_owned())
                    .unwrap_or_default();
                (f.param("reason").to_owned(), text)
            })
            .collect();
        let expect: Vec<(String, String)> = expect
            .iter()
            .map(|(r, t)| ((*r).to_owned(), (*t).to_owned()))
            .collect();
        assert_eq!(got, expect, "{input:?}");
    }

    fn check_record(input: &str, expect: &[(&str, &str)]) {
        let (_, findings) = parse_sts_record(input);
        check(input, &findings, expect);
    }

    fn check_policy(input: &str, expect: &[(&str, &str)]) -> MtaStsPolicy {
        let (policy, findings) = parse_policy(input);
        check(input, &findings, expect);
        policy
    }

    fn check_tlsrpt(input: &str, expect: &[(&str, &str)]) -> Vec<String> {
        let (rua, findings) = parse_tlsrpt_record(input);
        check(input, &findings, expect);
        rua
    }

    fn check_bimi(input: &str, expect: &[(&str, &str)]) -> BimiRecord {
        let (record, findings) = parse_bimi_record(input);
        check(input, &findings, expect);
        record
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

    #[test]
    fn tags_carry_spans() {
        let text = "v=STSv1;  id = 2026112301 ;";
        let list = parse_tags(text);
        assert!(list.malformed.is_empty());
        let id = &list.tags[1];
        assert_eq!(id.name, "id");
        assert_eq!(&text[id.span.start..id.span.end], "id = 2026112301");
        assert_eq!(&text[id.value_span.start..id.value_span.end], "2026112301");
        let list = parse_tags("v=STSv1; garbage; x y=1; id=1");
        assert_eq!(list.malformed.len(), 2);
        assert_eq!(list.tags.len(), 2);
    }

    #[test]
    fn tlsrpt_records() {
        assert_eq!(
            check_tlsrpt("v=TLSRPTv1; rua=mailto:tls@example.com", &[]),
            ["mailto:tls@example.com"]
        );
        assert_eq!(
            check_tlsrpt(
                "v=TLSRPTv1;rua=mailto:a@example.com, https://reports.example.net/tls;",
                &[]
            ),
            ["mailto:a@example.com", "https://reports.example.net/tls"]
        );
        check_tlsrpt("v=TLSRPTv1; rua=MAILTO:a@example.com; ext=1", &[]);
        check_tlsrpt(
            "v=TLSRPTv1; rua=tlsrpt@example.com",
            &[("rua-uri", "tlsrpt@example.com")],
        );
        check_tlsrpt(
            "v=TLSRPTv1; rua=mailto:a@example.com,http://example.com/r",
            &[("rua-uri", "http://example.com/r")],
        );
        check_tlsrpt("v=TLSRPTv1; rua=", &[("rua-uri", "rua=")]);
        check_tlsrpt("v=TLSRPTv1;", &[("rua-missing", "v=TLSRPTv1;")]);
        check_tlsrpt(
            "rua=mailto:a@example.com; v=TLSRPTv1",
            &[("version", "rua=mailto:a@example.com")],
        );
        check_tlsrpt(
            "v=TLSRPTv1; rua mailto:a@example.com",
            &[
                ("syntax", "rua mailto:a@example.com"),
                ("rua-missing", "v=TLSRPTv1; rua mailto:a@example.com"),
            ],
        );
    }

    #[test]
    fn bimi_records() {
        let record = check_bimi(
            "v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem",
            &[],
        );
        assert_eq!(record.logo.as_deref(), Some("https://example.com/logo.svg"));
        assert_eq!(
            record.authority.as_deref(),
            Some("https://example.com/vmc.pem")
        );
        assert!(!record.declined);
        let record = check_bimi("v=BIMI1; l=https://example.com/logo.svg", &[]);
        assert!(record.authority.is_none());
        assert!(check_bimi("v=BIMI1; l=; a=;", &[]).declined);
        assert!(check_bimi("v=BIMI1; l=", &[]).declined);
        check_bimi(
            "v=BIMI1; l=http://example.com/logo.svg",
            &[("not-https", "l=http://example.com/logo.svg")],
        );
        check_bimi(
            "v=BIMI1; l=https://example.com/logo.svg; a=ftp://example.com/vmc.pem",
            &[("not-https", "a=ftp://example.com/vmc.pem")],
        );
        check_bimi(
            "v=BIMI1; l=https://example.com/logo.PNG",
            &[("logo-format", "l=https://example.com/logo.PNG")],
        );
        check_bimi(
            "v=BIMI1; l:https://example.com/logo.svg",
            &[
                ("syntax", "l:https://example.com/logo.svg"),
                ("logo-missing", "v=BIMI1; l:https://example.com/logo.svg"),
            ],
        );
        check_bimi(
            "v=BIMI2; l=https://example.com/logo.svg",
            &[("version", "v=BIMI2")],
        );
    }

    #[test]
    fn dnssec_follows_the_ad_bit() {
        let mut cache = AnswerCache::new();
        let txt = RecordData::Txt(vec![b"v=spf1 -all".to_vec()]);
        cache.insert(
            Query::new("signed.example", RecordType::Txt),
            Answer::Records {
                records: vec![txt.clone()],
                authenticated: true,
            },
        );
        cache.insert(
            Query::new("_dmarc.signed.example", RecordType::Txt),
            Answer::Nxdomain,
        );
        let status = dnssec_status("signed.example", &cache);
        assert!(status.validated && status.findings.is_empty());
        assert_eq!((status.answers, status.authenticated_answers), (1, 1));
        cache.insert(
            Query::new("plain.example", RecordType::Txt),
            Answer::records(vec![txt.clone()]),
        );
        let status = dnssec_status("plain.example", &cache);
        assert!(!status.validated);
        assert_eq!(status.findings[0].code, Code::DnssecUnsigned);
        // Some validated, some not: no finding, not validated.
        cache.insert(
            Query::new("s1._domainkey.signed.example", RecordType::Txt),
            Answer::records(vec![txt]),
        );
        let status = dnssec_status("signed.example", &cache);
        assert!(!status.validated && status.findings.is_empty());
        // No positive answer at all: nothing to say.
        assert!(dnssec_status("absent.example", &cache).findings.is_empty());
        // A name that merely ends like the domain is not under it.
        assert_eq!(dnssec_status("example", &cache).answers, 3);
        assert_eq!(dnssec_status("ned.example", &cache).answers, 0);
    }

    #[test]
    fn optional_records_absent_failed_several() {
        let mut cache = AnswerCache::new();
        cache.insert(
            Query::new("_smtp._tls.a.example", RecordType::Txt),
            Answer::Nxdomain,
        );
        cache.insert(
            Query::new("_smtp._tls.b.example", RecordType::Txt),
            Answer::failed(crate::dns::Failure::Timeout),
        );
        let two = vec![
            RecordData::Txt(vec![b"v=TLSRPTv1; rua=mailto:a@c.example".to_vec()]),
            RecordData::Txt(vec![b"v=TLSRPTv1; rua=mailto:b@c.example".to_vec()]),
        ];
        cache.insert(
            Query::new("_smtp._tls.c.example", RecordType::Txt),
            Answer::records(two),
        );
        let a = super::check_tlsrpt("a.example", &cache).unwrap();
        assert_eq!((a.published, a.findings.len()), (Published::No, 0));
        let b = super::check_tlsrpt("b.example", &cache).unwrap();
        assert_eq!(
            (b.published, b.findings.len()),
            (Published::LookupFailed, 1)
        );
        // Could not verify: a warning of its own, never "not published".
        assert_eq!(b.findings[0].code, Code::TlsrptDnsError);
        assert_eq!(b.findings[0].param("failure"), "timeout");
        let c = super::check_tlsrpt("c.example", &cache).unwrap();
        assert_eq!(c.findings[0].code, Code::TlsrptInvalid);
        assert_eq!(c.findings[0].param("count"), "2");
        assert!(
            super::check_tlsrpt("d.example", &cache).is_err(),
            "a missing answer is asked for"
        );
    }
}
