//! Transport and brand records: MTA-STS (RFC 8461), TLS-RPT (RFC 8460), BIMI, and DNSSEC.
//!
//! All three records are optional: a domain without them gets no finding. Only a record that is
//! published and broken, a policy that cannot be fetched, or an enforce policy that leaves an MX
//! host out is reported. The MTA-STS policy file crosses the same sans-IO boundary as DNS: the
//! check names the URL, the driver fetches it.

use crate::dns::{Answer, AnswerCache, Query, RecordData, RecordType, normalize_name};
use crate::fetch::{FetchCache, FetchResult, Needs};
use crate::findings::{Code, Finding, Span};
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

/// One `key=value` tag of a `;`-separated record, with spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordTag {
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// The TXT records at a name whose joined text starts with `prefix` (case-insensitive).
fn records_with_prefix(answer: &Answer, prefix: &str) -> Vec<String> {
    answer
        .record_data()
        .iter()
        .filter_map(|r| match r {
            RecordData::Txt(strings) => {
                let joined: Vec<u8> = strings.concat();
                let text = String::from_utf8_lossy(&joined).into_owned();
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
    Failed,
    /// No record starts with the version: not published.
    Absent,
    /// More than one: receivers use none of them.
    Several(Vec<String>),
    One(String),
}

/// Looks up the records at `owner` that start with `version` (each spec allows exactly one).
fn optional_record(owner: &str, version: &str, cache: &AnswerCache) -> Result<Optional, Query> {
    let query = Query::new(owner, RecordType::Txt);
    let Some(answer) = cache.get(&query) else {
        return Err(query);
    };
    if answer.failure().is_some() {
        return Ok(Optional::Failed);
    }
    let mut records = records_with_prefix(answer, version);
    Ok(match records.len() {
        0 => Optional::Absent,
        1 => Optional::One(records.remove(0)),
        _ => Optional::Several(records),
    })
}

/// Whether the first tag is `v=<version>` (case-sensitive, as every one of these specs says).
fn version_first(tags: &[RecordTag], version: &str) -> bool {
    tags.first()
        .is_some_and(|t| t.name == "v" && t.value == version)
}

/// Splits `k=v; k=v` into tags with spans; `Err(span)` points at a part without `=`.
fn parse_tags(text: &str) -> Result<Vec<RecordTag>, Span> {
    let mut tags = Vec::new();
    let mut offset = 0;
    for part in text.split(';') {
        let start = offset + (part.len() - part.trim_start().len());
        let trimmed = part.trim();
        offset += part.len() + 1;
        if trimmed.is_empty() {
            continue;
        }
        let span = Span::new(start, start + trimmed.len());
        let Some((name, value)) = trimmed.split_once('=') else {
            return Err(span);
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
        {
            return Err(span);
        }
        tags.push(RecordTag {
            name: name.to_owned(),
            value: value.trim().to_owned(),
            span,
        });
    }
    Ok(tags)
}

/// The MTA-STS part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MtaStsSection {
    pub published: Published,
    pub record: Option<String>,
    /// `https://mta-sts.<domain>/.well-known/mta-sts.txt`, when a record asks for it.
    pub policy_url: Option<String>,
    pub policy: Option<String>,
    pub mode: Option<String>,
    pub mx_patterns: Vec<String>,
    pub max_age: Option<u64>,
    pub findings: Vec<Finding>,
}

/// The policy URL of RFC 8461 §3.3.
pub fn policy_url(domain: &str) -> String {
    format!(
        "https://mta-sts.{}/.well-known/mta-sts.txt",
        normalize_name(domain)
    )
}

/// MTA-STS: the `_mta-sts` record (§3.1), the policy (§3.2, §3.3) and MX coverage (§4.1).
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
        policy_url: None,
        policy: None,
        mode: None,
        mx_patterns: Vec::new(),
        max_age: None,
        findings: Vec::new(),
    };
    let query = Query::new(&owner, RecordType::Txt);
    let Some(answer) = cache.get(&query) else {
        return Err(Needs {
            queries: vec![query],
            fetches: Vec::new(),
        });
    };
    if answer.failure().is_some() {
        section.published = Published::LookupFailed;
        return Ok(section);
    }
    let records = records_with_prefix(answer, "v=STSv1");
    let invalid = |reason: &str| {
        Finding::new(Code::MtaStsInvalid)
            .with_domain(&owner)
            .with("reason", reason)
            .with("domain", &domain)
    };
    match records.as_slice() {
        [] => return Ok(section),
        [record] => {
            section.published = Published::Yes;
            section.record = Some(record.clone());
            // §3.1: "v=STSv1; id=<1-32 alphanumerics>;", extension fields allowed.
            match parse_tags(record) {
                Err(span) => section
                    .findings
                    .push(invalid("record-syntax").with_span(span)),
                Ok(tags) => {
                    if !version_first(&tags, "STSv1") {
                        section
                            .findings
                            .push(invalid("record-version").with_span(Span::new(0, record.len())));
                    }
                    match tags.iter().find(|t| t.name == "id") {
                        None => section.findings.push(
                            invalid("record-id-missing").with_span(Span::new(0, record.len())),
                        ),
                        Some(id)
                            if id.value.is_empty()
                                || id.value.len() > 32
                                || !id.value.bytes().all(|b| b.is_ascii_alphanumeric()) =>
                        {
                            section.findings.push(
                                invalid("record-id")
                                    .with_span(id.span)
                                    .with("term", &id.value),
                            );
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        several => {
            section.published = Published::Yes;
            section.record = Some(several[0].clone());
            section
                .findings
                .push(invalid("record-multiple").with("count", several.len()));
            return Ok(section);
        }
    }
    // §3.3: the policy, by HTTPS, from exactly this URL; no redirects.
    let url = policy_url(&domain);
    section.policy_url = Some(url.clone());
    let Some(result) = fetches.get(&url) else {
        return Err(Needs {
            queries: Vec::new(),
            fetches: vec![url],
        });
    };
    let policy_owner = format!("mta-sts.{domain}");
    let policy_invalid = |reason: &str| {
        Finding::new(Code::MtaStsInvalid)
            .with_domain(&policy_owner)
            .with("reason", reason)
            .with("domain", &domain)
            .with("url", &url)
    };
    let body = match result {
        FetchResult::Failed { reason } => {
            section
                .findings
                .push(policy_invalid("fetch-failed").with("detail", reason));
            return Ok(section);
        }
        FetchResult::Response { code, .. } if *code != 200 => {
            section
                .findings
                .push(policy_invalid("http-status").with("status", code));
            return Ok(section);
        }
        FetchResult::Response { body, .. } => body,
    };
    section.policy = Some(body.clone());
    // §3.2: "key: value" lines (CRLF or LF).
    let mut version = None;
    let mut offset = 0;
    for line in body.split('\n') {
        let line_start = offset;
        offset += line.len() + 1;
        let trimmed = line.trim_end_matches('\r');
        if trimmed.trim().is_empty() {
            continue;
        }
        let span = Span::new(line_start, line_start + trimmed.len());
        let Some((key, value)) = trimmed.split_once(':') else {
            section.findings.push(
                policy_invalid("policy-line")
                    .with_span(span)
                    .with("term", trimmed),
            );
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "version" => version = Some(value.to_owned()),
            "mode" => {
                if !matches!(value, "enforce" | "testing" | "none") {
                    section.findings.push(
                        policy_invalid("policy-mode")
                            .with_span(span)
                            .with("term", value),
                    );
                }
                section.mode = Some(value.to_owned());
            }
            "mx" => section.mx_patterns.push(value.to_ascii_lowercase()),
            "max_age" => match value.parse::<u64>() {
                Ok(age) if age <= 31_557_600 => section.max_age = Some(age),
                _ => section.findings.push(
                    policy_invalid("policy-max-age")
                        .with_span(span)
                        .with("term", value),
                ),
            },
            _ => {}
        }
    }
    if version.as_deref() != Some("STSv1") {
        section.findings.push(policy_invalid("policy-version"));
    }
    if section.mode.is_none() {
        section.findings.push(policy_invalid("policy-mode-missing"));
    }
    if section.max_age.is_none()
        && !section
            .findings
            .iter()
            .any(|f| f.param("reason") == "policy-max-age")
    {
        section
            .findings
            .push(policy_invalid("policy-max-age-missing"));
    }
    if section.mx_patterns.is_empty() && section.mode.as_deref() != Some("none") {
        section.findings.push(policy_invalid("policy-mx-missing"));
    }
    match section.mode.as_deref() {
        Some("testing") => section
            .findings
            .push(Finding::new(Code::MtaStsTesting).with("domain", &domain)),
        Some("enforce") if !section.mx_patterns.is_empty() => {
            for host in mx_hosts {
                if !section
                    .mx_patterns
                    .iter()
                    .any(|pattern| mx_matches(pattern, host))
                {
                    section.findings.push(
                        Finding::new(Code::MtaStsMxNotCovered)
                            .with("domain", &domain)
                            .with("host", host)
                            .with("patterns", section.mx_patterns.join(", ")),
                    );
                }
            }
        }
        _ => {}
    }
    Ok(section)
}

/// RFC 8461 §4.1: an exact name, or `*.` matching exactly one leftmost label.
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

/// The TLS-RPT part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsRptSection {
    pub published: Published,
    pub record: Option<String>,
    pub rua: Vec<String>,
    pub findings: Vec<Finding>,
}

/// TLS-RPT (RFC 8460 §3): `v=TLSRPTv1; rua=<mailto: or https: URIs>`.
pub fn check_tlsrpt(domain: &str, cache: &AnswerCache) -> Result<TlsRptSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let owner = format!("_smtp._tls.{domain}");
    let mut section = TlsRptSection {
        published: Published::No,
        record: None,
        rua: Vec::new(),
        findings: Vec::new(),
    };
    let invalid = |reason: &str| {
        Finding::new(Code::TlsrptInvalid)
            .with_domain(&owner)
            .with("reason", reason)
            .with("domain", &domain)
    };
    let record = match optional_record(&owner, "v=TLSRPTv1", cache).map_err(|q| vec![q])? {
        Optional::Failed => {
            section.published = Published::LookupFailed;
            return Ok(section);
        }
        Optional::Absent => return Ok(section),
        Optional::Several(records) => {
            section.published = Published::Yes;
            section.record = records.first().cloned();
            section
                .findings
                .push(invalid("multiple").with("count", records.len()));
            return Ok(section);
        }
        Optional::One(record) => record,
    };
    section.published = Published::Yes;
    section.record = Some(record.clone());
    match parse_tags(&record) {
        Err(span) => section.findings.push(invalid("syntax").with_span(span)),
        Ok(tags) => {
            if !version_first(&tags, "TLSRPTv1") {
                section
                    .findings
                    .push(invalid("version").with_span(Span::new(0, record.len())));
            }
            match tags.iter().find(|t| t.name == "rua") {
                None => section
                    .findings
                    .push(invalid("rua-missing").with_span(Span::new(0, record.len()))),
                Some(rua) => {
                    for uri in rua.value.split(',').map(str::trim) {
                        let valid = uri.strip_prefix("mailto:").is_some_and(|address| {
                            address
                                .split_once('@')
                                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
                        }) || uri
                            .strip_prefix("https://")
                            .is_some_and(|rest| rest.len() > 3 && !rest.contains(' '));
                        if valid {
                            section.rua.push(uri.to_owned());
                        } else {
                            section
                                .findings
                                .push(invalid("rua-uri").with_span(rua.span).with("term", uri));
                        }
                    }
                }
            }
        }
    }
    Ok(section)
}

/// The BIMI part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BimiSection {
    pub published: Published,
    pub record: Option<String>,
    pub logo: Option<String>,
    pub authority: Option<String>,
    pub findings: Vec<Finding>,
}

/// BIMI (draft-brand-indicators-for-message-identification §4): `v=BIMI1; l=<https SVG>;
/// a=<https VMC>`; an empty `l=` declines to publish a logo.
pub fn check_bimi(domain: &str, cache: &AnswerCache) -> Result<BimiSection, Vec<Query>> {
    let domain = normalize_name(domain);
    let owner = format!("default._bimi.{domain}");
    let mut section = BimiSection {
        published: Published::No,
        record: None,
        logo: None,
        authority: None,
        findings: Vec::new(),
    };
    let invalid = |reason: &str| {
        Finding::new(Code::BimiInvalid)
            .with_domain(&owner)
            .with("reason", reason)
            .with("domain", &domain)
    };
    let record = match optional_record(&owner, "v=BIMI1", cache).map_err(|q| vec![q])? {
        Optional::Failed => {
            section.published = Published::LookupFailed;
            return Ok(section);
        }
        Optional::Absent => return Ok(section),
        Optional::Several(records) => {
            section.published = Published::Yes;
            section.record = records.first().cloned();
            section
                .findings
                .push(invalid("multiple").with("count", records.len()));
            return Ok(section);
        }
        Optional::One(record) => record,
    };
    section.published = Published::Yes;
    section.record = Some(record.clone());
    match parse_tags(&record) {
        Err(span) => section.findings.push(invalid("syntax").with_span(span)),
        Ok(tags) => {
            if !version_first(&tags, "BIMI1") {
                section
                    .findings
                    .push(invalid("version").with_span(Span::new(0, record.len())));
            }
            for tag in tags.iter().filter(|t| t.name == "l" || t.name == "a") {
                if tag.value.is_empty() {
                    continue;
                }
                let https = tag
                    .value
                    .get(..8)
                    .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
                    && tag.value.len() > 8
                    && !tag.value.contains(' ');
                if !https {
                    section.findings.push(
                        invalid("not-https")
                            .with_span(tag.span)
                            .with("term", &tag.value),
                    );
                } else if tag.name == "l" {
                    section.logo = Some(tag.value.clone());
                } else {
                    section.authority = Some(tag.value.clone());
                }
            }
            if !tags.iter().any(|t| t.name == "l") {
                section
                    .findings
                    .push(invalid("logo-missing").with_span(Span::new(0, record.len())));
            }
        }
    }
    Ok(section)
}

/// The DNSSEC part of the report: whether the resolver validated the domain's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnssecSection {
    /// True when every positive answer for names at or under the domain had the AD bit.
    pub validated: bool,
    pub findings: Vec<Finding>,
}

/// RFC 4035 §3.2.3: the AD bit says the resolver validated the answer. Info only.
pub fn dnssec_status(domain: &str, cache: &AnswerCache) -> DnssecSection {
    let domain = normalize_name(domain);
    let suffix = format!(".{domain}");
    let mut positive = 0;
    let mut authenticated = 0;
    for (query, answer) in cache.iter() {
        if query.name != domain && !query.name.ends_with(&suffix) {
            continue;
        }
        if let Answer::Records {
            authenticated: ad, ..
        } = answer
        {
            positive += 1;
            if *ad {
                authenticated += 1;
            }
        }
    }
    let validated = positive > 0 && authenticated == positive;
    let mut findings = Vec::new();
    if positive > 0 && authenticated == 0 {
        findings.push(Finding::new(Code::DnssecUnsigned).with("domain", &domain));
    }
    DnssecSection {
        validated,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mx_patterns_match_one_label() {
        assert!(mx_matches("mx1.example.com", "MX1.example.com."));
        assert!(mx_matches("*.example.com", "mx1.example.com"));
        assert!(!mx_matches("*.example.com", "a.mx1.example.com"));
        assert!(!mx_matches("*.example.com", "example.com"));
        assert!(!mx_matches("mx2.example.com", "mx1.example.com"));
    }

    #[test]
    fn tags_carry_spans() {
        let tags = parse_tags("v=STSv1; id=2026112301;").unwrap();
        assert_eq!(tags[1].name, "id");
        assert_eq!(
            &"v=STSv1; id=2026112301;"[tags[1].span.start..tags[1].span.end],
            "id=2026112301"
        );
        assert!(parse_tags("v=STSv1; garbage").is_err());
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
        cache.insert(
            Query::new("plain.example", RecordType::Txt),
            Answer::records(vec![txt]),
        );
        let status = dnssec_status("plain.example", &cache);
        assert!(!status.validated);
        assert_eq!(status.findings[0].code, Code::DnssecUnsigned);
        // No positive answer at all: nothing to say.
        assert!(dnssec_status("absent.example", &cache).findings.is_empty());
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
        let a = check_tlsrpt("a.example", &cache).unwrap();
        assert_eq!((a.published, a.findings.len()), (Published::No, 0));
        let b = check_tlsrpt("b.example", &cache).unwrap();
        assert_eq!(
            (b.published, b.findings.len()),
            (Published::LookupFailed, 0)
        );
        let c = check_tlsrpt("c.example", &cache).unwrap();
        assert_eq!(c.findings[0].code, Code::TlsrptInvalid);
        assert!(
            check_tlsrpt("d.example", &cache).is_err(),
            "a missing answer is asked for"
        );
    }
}
