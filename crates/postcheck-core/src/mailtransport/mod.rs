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
//!
//! One file per record; what they share lives here:
//! - `mta_sts.rs`: the `_mta-sts` record, the policy file and MX coverage (RFC 8461);
//! - `tlsrpt.rs`: the `_smtp._tls` record (RFC 8460);
//! - `bimi.rs`: the `default._bimi` assertion record (BIMI draft);
//! - `dnssec.rs`: whether the resolver validated the domain's answers (the AD bit, RFC 4035);
//! - here: TXT records that start with a version, their one lookup (`Versioned`, with the
//!   findings of a failed lookup and of several records), the tag-list reader and its checks,
//!   and `https://` URLs.

mod bimi;
mod dnssec;
mod mta_sts;
mod tlsrpt;

pub use bimi::{BimiRecord, BimiSection, check_bimi, parse_bimi_record};
pub use dnssec::{DnssecSection, dnssec_status};
pub use mta_sts::{
    MAX_AGE_LIMIT, MtaStsPolicy, MtaStsSection, check_mta_sts, is_valid_mx_pattern, mx_matches,
    parse_policy, parse_sts_record, policy_url,
};
pub use tlsrpt::{TlsRptSection, check_tlsrpt, parse_tlsrpt_record};

use crate::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use crate::findings::{Code, Finding, Span};
use crate::taglist;
use serde::{Deserialize, Serialize};

/// Whether an optional record is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Published {
    /// The record is there (it may still have problems: see the findings).
    Yes,
    /// No record: NXDOMAIN, NODATA, or no TXT record of the protocol's version.
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

/// An optional, versioned TXT record of one protocol: where it lives, its version tag, and the
/// codes of a failed lookup and of a broken record (with the `reason` for several records).
struct Versioned<'a> {
    owner: &'a str,
    version: &'static str,
    dns_error: Code,
    invalid: Code,
    several: &'static str,
}

/// The part of a record's section a lookup can decide on its own.
struct Verdict<'s> {
    published: &'s mut Published,
    record: &'s mut Option<String>,
    findings: &'s mut Vec<Finding>,
}

impl Versioned<'_> {
    /// Looks up the records at the owner that start with the version (each spec allows exactly
    /// one: RFC 8461 §3.1, RFC 8460 §3, BIMI §4.2): `Some` is the one record for the check to
    /// read; `None` means the lookup decided the section in `verdict` — not published (no
    /// finding), could not verify (never "not published"), or several records, of which
    /// receivers use none (the first is shown). `Err` is the query still to ask.
    fn look_up(
        &self,
        domain: &str,
        cache: &AnswerCache,
        verdict: Verdict<'_>,
    ) -> Result<Option<String>, Query> {
        let query = Query::new(self.owner, RecordType::Txt);
        let Some(answer) = cache.get(&query) else {
            return Err(query);
        };
        if let Some(failure) = answer.failure() {
            *verdict.published = Published::LookupFailed;
            verdict.findings.push(
                Finding::new(self.dns_error)
                    .with_domain(self.owner)
                    .with("query", query)
                    .with("failure", failure.as_str())
                    .with("domain", domain),
            );
            return Ok(None);
        }
        let mut records = records_with_prefix(answer, self.version);
        match records.len() {
            0 => *verdict.published = Published::No,
            1 => return Ok(Some(records.remove(0))),
            count => {
                *verdict.published = Published::Yes;
                verdict.findings.push(
                    Finding::new(self.invalid)
                        .with_domain(self.owner)
                        .with("reason", self.several)
                        .with("count", count)
                        .with("domain", domain),
                );
                *verdict.record = Some(records.swap_remove(0));
            }
        }
        Ok(None)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks a parser's problems: each expected `(reason, spanned text)` occurs, in order, and
    /// nothing else; the spanned text is what the span cuts out of the input.
    pub(super) fn check(input: &str, findings: &[Finding], expect: &[(&str, &str)]) {
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
