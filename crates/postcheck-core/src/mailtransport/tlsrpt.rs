//! TLS-RPT (RFC 8460): the `_smtp._tls` record (§3) and its report destinations (`rua=`).

use super::{Published, RecordTag, Verdict, Versioned, check_tags, is_https_url, problem, tag};
use crate::dns::{AnswerCache, Query, normalize_name};
use crate::findings::{Code, Finding, Span};
use serde::{Deserialize, Serialize};

/// The TLS-RPT part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsRptSection {
    /// Whether `_smtp._tls.<domain>` holds a TLS-RPT record.
    pub published: Published,
    /// The TLS-RPT record (the first, when there are several).
    pub record: Option<String>,
    /// The valid report destinations of `rua=`.
    pub rua: Vec<String>,
    /// Every finding of the TLS-RPT check.
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
    // §3: "If the number of resulting records is not one", no TLS-RPT.
    let verdict = Verdict {
        published: &mut section.published,
        record: &mut section.record,
        findings: &mut section.findings,
    };
    let record = Versioned {
        owner: &owner,
        version: "v=TLSRPTv1",
        dns_error: Code::TlsrptDnsError,
        invalid: Code::TlsrptInvalid,
        several: "multiple",
    }
    .look_up(&domain, cache, verdict)
    .map_err(|q| vec![q])?;
    let Some(record) = record else {
        return Ok(section);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailtransport::tests::check;

    fn check_tlsrpt(input: &str, expect: &[(&str, &str)]) -> Vec<String> {
        let (rua, findings) = parse_tlsrpt_record(input);
        check(input, &findings, expect);
        rua
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
}
