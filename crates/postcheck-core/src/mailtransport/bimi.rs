//! BIMI (draft-brand-indicators-for-message-identification): the `default._bimi` assertion
//! record (§4.2), its logo (`l=`, SVG only) and certificate (`a=`) URLs.

use super::{Published, Verdict, Versioned, check_tags, is_https_url, problem, tag};
use crate::dns::{AnswerCache, Query, normalize_name};
use crate::findings::{Code, Finding, Span};
use serde::{Deserialize, Serialize};

/// The BIMI part of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BimiSection {
    /// Whether `default._bimi.<domain>` holds a BIMI record.
    pub published: Published,
    /// The BIMI record (the first, when there are several).
    pub record: Option<String>,
    /// The logo URL (`l=`), when it is a valid HTTPS URL.
    pub logo: Option<String>,
    /// The certificate URL (`a=`), when it is a valid HTTPS URL.
    pub authority: Option<String>,
    /// `l=` and `a=` both empty: the domain declines to show a logo (BIMI §4.2.1).
    pub declined: bool,
    /// Every finding of the BIMI check.
    pub findings: Vec<Finding>,
}

/// What a BIMI record says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BimiRecord {
    /// The logo URL (`l=`), when it is a valid HTTPS URL of an SVG file.
    pub logo: Option<String>,
    /// The certificate URL (`a=`), when it is a valid HTTPS URL.
    pub authority: Option<String>,
    /// `l=` and `a=` both empty: the domain declines to show a logo (BIMI §4.2.1).
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
    let verdict = Verdict {
        published: &mut section.published,
        record: &mut section.record,
        findings: &mut section.findings,
    };
    let record = Versioned {
        owner: &owner,
        version: "v=BIMI1",
        dns_error: Code::BimiDnsError,
        invalid: Code::BimiInvalid,
        several: "multiple",
    }
    .look_up(&domain, cache, verdict)
    .map_err(|q| vec![q])?;
    let Some(record) = record else {
        return Ok(section);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailtransport::tests::check;

    fn check_bimi(input: &str, expect: &[(&str, &str)]) -> BimiRecord {
        let (record, findings) = parse_bimi_record(input);
        check(input, &findings, expect);
        record
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
}
