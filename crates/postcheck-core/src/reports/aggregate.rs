//! DMARC aggregate reports (RFC 7489 §7.2 and Appendix C; the DMARCbis aggregate format,
//! `urn:ietf:params:xml:ns:dmarc-2.0`), read as a stream of XML events with `quick-xml`: no
//! tree is built, so a report of a hundred megabytes costs its records, not its markup.
//!
//! Receivers write the schema loosely, and the reader is lenient where it can be without
//! guessing: namespaces (right, wrong or none) and prefixes are ignored and elements are known
//! by their local names in any case; values are trimmed and results lowercased (`PASS`,
//! `Fail`); empty and missing optional elements are absent; invalid UTF-8 is replaced
//! (U+FFFD) before parsing. One file may hold several `<feedback>` documents, one after the
//! other. What the reader does not forgive is broken XML (an unclosed or mismatched tag): the
//! `<feedback>` it breaks is dropped whole, with the byte offset where parsing stopped, and the
//! documents before it still count.

use super::MAX_COUNT;
use crate::findings::Span;
use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Serialize;

/// One aggregate report: who sent it, for which period, the policy it saw and its records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AggregateReport {
    /// The report's format version (`<version>`, DMARCbis), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `report_metadata/org_name`: the receiver that wrote it.
    pub org_name: String,
    /// `report_metadata/email`: its contact.
    pub email: String,
    /// `report_metadata/report_id`: unique per receiver (RFC 7489 Appendix C).
    pub report_id: String,
    /// `date_range/begin`, seconds since the epoch (UTC).
    pub begin: Option<u64>,
    /// `date_range/end`, seconds since the epoch (UTC).
    pub end: Option<u64>,
    /// `report_metadata/error`: problems the receiver met while writing it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// The DMARC record the receiver applied.
    pub policy: PolicyPublished,
    /// The rows: one per source IP and identifier combination, with a message count.
    pub records: Vec<Record>,
}

/// `policy_published`: the record as the receiver found it (RFC 7489 §6.3 tags).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PolicyPublished {
    /// The domain the record is for.
    pub domain: String,
    /// `adkim`: `r` (relaxed, the default) or `s` (strict).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adkim: Option<String>,
    /// `aspf`: `r` or `s`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspf: Option<String>,
    /// `p`: none, quarantine or reject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<String>,
    /// `sp`: the policy for subdomains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sp: Option<String>,
    /// `pct` (RFC 7489; removed by DMARCbis).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pct: Option<u8>,
    /// `np`: the policy for non-existent subdomains (DMARCbis).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub np: Option<String>,
    /// `testing` (`t=y`, DMARCbis).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub testing: Option<String>,
}

/// One `record`: a row of messages from one source with the same results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Record {
    /// `row/source_ip`, as written (trimmed).
    pub source_ip: String,
    /// `row/count`: how many messages.
    pub count: u64,
    /// `policy_evaluated/disposition`: none, quarantine or reject (lowercase).
    pub disposition: String,
    /// `policy_evaluated/dkim`: the DMARC result of DKIM, aligned pass or fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim_evaluated: Option<String>,
    /// `policy_evaluated/spf`: the DMARC result of SPF, aligned pass or fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spf_evaluated: Option<String>,
    /// `policy_evaluated/reason`: why the receiver applied another disposition than the
    /// policy (RFC 7489 Appendix C `PolicyOverrideType`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<OverrideReason>,
    /// `identifiers/header_from`: the RFC 5322 From domain.
    pub header_from: String,
    /// `identifiers/envelope_from`: the RFC 5321 MAIL FROM domain, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope_from: Option<String>,
    /// `identifiers/envelope_to`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope_to: Option<String>,
    /// `auth_results/dkim`: each signature's domain, selector and result.
    pub dkim: Vec<DkimResult>,
    /// `auth_results/spf`: the SPF checks made.
    pub spf: Vec<SpfResult>,
}

/// A `reason` of `policy_evaluated`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OverrideReason {
    /// `type`: forwarded, sampled_out, trusted_forwarder, mailing_list, local_policy, other.
    #[serde(rename = "type")]
    pub kind: String,
    /// `comment`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One DKIM signature's result (`auth_results/dkim`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DkimResult {
    /// The signing domain (`d=`), lowercase.
    pub domain: String,
    /// The selector (`s=`), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// pass, fail, neutral, none, policy, temperror, permerror (lowercase).
    pub result: String,
}

/// One SPF check's result (`auth_results/spf`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpfResult {
    /// The domain checked, lowercase.
    pub domain: String,
    /// `mfrom` or `helo`, when given (RFC 7489 Appendix C `SPFDomainScope`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// pass, fail, softfail, neutral, none, temperror, permerror (lowercase).
    pub result: String,
}

/// A `<feedback>` that could not be read: where parsing stopped and why (the parser's words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub span: Span,
    pub detail: String,
}

/// What one XML document held: its reports and the broken parts.
#[derive(Debug, Default)]
pub(crate) struct XmlRead {
    pub reports: Vec<AggregateReport>,
    pub errors: Vec<XmlError>,
    /// Whether any `<feedback>` element was seen, readable or not.
    pub saw_feedback: bool,
}

/// The elements the reader knows, by local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Feedback,
    Version,
    ReportMetadata,
    OrgName,
    Email,
    ReportId,
    DateRange,
    Begin,
    End,
    Error,
    PolicyPublished,
    Domain,
    Adkim,
    Aspf,
    P,
    Sp,
    Pct,
    Np,
    Testing,
    Record,
    Row,
    SourceIp,
    Count,
    PolicyEvaluated,
    Disposition,
    Dkim,
    Spf,
    Reason,
    Type,
    Comment,
    Identifiers,
    HeaderFrom,
    EnvelopeFrom,
    EnvelopeTo,
    AuthResults,
    Selector,
    Result,
    Scope,
    Other,
}

impl Tag {
    fn of(name: &[u8]) -> Tag {
        match name {
            b"feedback" => Tag::Feedback,
            b"version" => Tag::Version,
            b"report_metadata" => Tag::ReportMetadata,
            b"org_name" => Tag::OrgName,
            b"email" => Tag::Email,
            b"report_id" => Tag::ReportId,
            b"date_range" => Tag::DateRange,
            b"begin" => Tag::Begin,
            b"end" => Tag::End,
            b"error" => Tag::Error,
            b"policy_published" => Tag::PolicyPublished,
            b"domain" => Tag::Domain,
            b"adkim" => Tag::Adkim,
            b"aspf" => Tag::Aspf,
            b"p" => Tag::P,
            b"sp" => Tag::Sp,
            b"pct" => Tag::Pct,
            b"np" => Tag::Np,
            b"testing" => Tag::Testing,
            b"record" => Tag::Record,
            b"row" => Tag::Row,
            b"source_ip" => Tag::SourceIp,
            b"count" => Tag::Count,
            b"policy_evaluated" => Tag::PolicyEvaluated,
            b"disposition" => Tag::Disposition,
            b"dkim" => Tag::Dkim,
            b"spf" => Tag::Spf,
            b"reason" => Tag::Reason,
            b"type" => Tag::Type,
            b"comment" => Tag::Comment,
            b"identifiers" => Tag::Identifiers,
            b"header_from" => Tag::HeaderFrom,
            b"envelope_from" => Tag::EnvelopeFrom,
            b"envelope_to" => Tag::EnvelopeTo,
            b"auth_results" => Tag::AuthResults,
            b"selector" => Tag::Selector,
            b"result" => Tag::Result,
            b"scope" => Tag::Scope,
            // Some writers capitalize (`<Feedback>`, `<Record>`): known by the lowercase name.
            _ if name.iter().any(u8::is_ascii_uppercase) => Tag::of(&name.to_ascii_lowercase()),
            _ => Tag::Other,
        }
    }
}

/// A value as the model keeps it: trimmed, empty as absent.
fn value(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A result or keyword: trimmed and lowercase (`PASS`, ` Fail ` → `pass`, `fail`).
fn keyword(text: &str) -> Option<String> {
    value(text).map(|text| text.to_ascii_lowercase())
}

/// A row's message count: digits, at most [`MAX_COUNT`] (more digits than a `u64` holds too);
/// anything else is 0.
fn count(text: &str) -> u64 {
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    digits
        .parse::<u64>()
        .map_or(MAX_COUNT, |count| count.min(MAX_COUNT))
}

/// Reads every `<feedback>` of one XML document.
pub(crate) fn read(bytes: &[u8]) -> XmlRead {
    // RFC 7489 Appendix C declares UTF-8; bytes that are not are replaced, never a panic.
    let text = String::from_utf8_lossy(bytes);
    let mut out = XmlRead::default();
    let mut start = 0;
    while let Some(resume) = read_from(&text, start, &mut out) {
        start = resume;
    }
    out
}

/// Reads the documents of `text` from `start` on into `out`; after broken XML, where reading
/// may resume (always further on than `start`).
fn read_from(text: &str, start: usize, out: &mut XmlRead) -> Option<usize> {
    let mut reader = Reader::from_str(&text[start..]);
    let mut stack: Vec<Tag> = Vec::with_capacity(8);
    let mut buffer = String::new();
    let mut report: Option<AggregateReport> = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let offset = usize::try_from(reader.error_position())
                    .unwrap_or(usize::MAX)
                    .saturating_add(start)
                    .min(text.len());
                out.errors.push(XmlError {
                    span: Span::new(offset, offset),
                    detail: error.to_string(),
                });
                // The reader cannot resynchronize inside a broken document: reading goes on at
                // the next `<feedback` or `<?xml` after the error.
                return next_document(text, offset.max(start) + 1);
            }
        };
        match event {
            Event::Start(element) => {
                let tag = Tag::of(element.local_name().as_ref().as_bytes());
                open(tag, &stack, &mut report, out);
                stack.push(tag);
                buffer.clear();
            }
            Event::Empty(element) => {
                let tag = Tag::of(element.local_name().as_ref().as_bytes());
                open(tag, &stack, &mut report, out);
                stack.push(tag);
                buffer.clear();
                close(&mut stack, "", &mut report, out);
            }
            Event::Text(content) => buffer.push_str(&content),
            Event::CData(content) => buffer.push_str(&content),
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(character)) => buffer.push(character),
                _ => buffer.push_str(match &*reference {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(_) => {
                let text = std::mem::take(&mut buffer);
                close(&mut stack, &text, &mut report, out);
            }
            Event::Eof => {
                if report.is_some() {
                    let end = text.len();
                    out.errors.push(XmlError {
                        span: Span::new(end, end),
                        detail: format!(
                            "the document ends inside <{}>",
                            stack
                                .last()
                                .map_or("feedback".to_owned(), |tag| tag_name(*tag))
                        ),
                    });
                }
                return None;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// Where the next document starts after a broken one: the next `<?xml` or `<feedback` (with
/// any prefix, in any case) from `from` on.
fn next_document(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let open = at + bytes[at..].iter().position(|&b| b == b'<')?;
        let name = &bytes[open + 1..];
        let length = name
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
            .unwrap_or(name.len());
        let local = name[..length]
            .rsplit(|&b| b == b':')
            .next()
            .unwrap_or_default();
        if name.starts_with(b"?xml") || (length > 0 && local.eq_ignore_ascii_case(b"feedback")) {
            return Some(open);
        }
        at = open + 1;
    }
    None
}

fn tag_name(tag: Tag) -> String {
    format!("{tag:?}")
        .chars()
        .enumerate()
        .flat_map(|(index, c)| {
            let lower = c.to_ascii_lowercase();
            (c.is_ascii_uppercase() && index > 0)
                .then_some('_')
                .into_iter()
                .chain(std::iter::once(lower))
        })
        .collect()
}

/// An element opens: starts the report, record or result it stands for.
fn open(tag: Tag, stack: &[Tag], report: &mut Option<AggregateReport>, out: &mut XmlRead) {
    let parent = stack.last().copied();
    match (tag, parent) {
        (Tag::Feedback, _) => {
            out.saw_feedback = true;
            *report = Some(AggregateReport::default());
        }
        (Tag::Record, Some(Tag::Feedback)) => {
            if let Some(report) = report {
                report.records.push(Record::default());
            }
        }
        (Tag::Reason, Some(Tag::PolicyEvaluated)) => {
            if let Some(record) = report.as_mut().and_then(|r| r.records.last_mut()) {
                record.reasons.push(OverrideReason::default());
            }
        }
        (Tag::Dkim, Some(Tag::AuthResults)) => {
            if let Some(record) = report.as_mut().and_then(|r| r.records.last_mut()) {
                record.dkim.push(DkimResult::default());
            }
        }
        (Tag::Spf, Some(Tag::AuthResults)) => {
            if let Some(record) = report.as_mut().and_then(|r| r.records.last_mut()) {
                record.spf.push(SpfResult::default());
            }
        }
        _ => {}
    }
}

/// An element closes with its text: the value goes where its parents say.
fn close(
    stack: &mut Vec<Tag>,
    text: &str,
    report: &mut Option<AggregateReport>,
    out: &mut XmlRead,
) {
    let Some(tag) = stack.pop() else { return };
    if tag == Tag::Feedback {
        if let Some(done) = report.take() {
            out.reports.push(done);
        }
        return;
    }
    let Some(report) = report.as_mut() else {
        return;
    };
    let parent = stack.last().copied();
    let grandparent = stack.len().checked_sub(2).map(|at| stack[at]);
    match (grandparent, parent, tag) {
        (_, Some(Tag::Feedback), Tag::Version) => report.version = value(text),
        (_, Some(Tag::ReportMetadata), field) => match field {
            Tag::OrgName => report.org_name = value(text).unwrap_or_default(),
            Tag::Email => report.email = value(text).unwrap_or_default(),
            Tag::ReportId => report.report_id = value(text).unwrap_or_default(),
            Tag::Error => report.errors.extend(value(text)),
            _ => {}
        },
        (Some(Tag::ReportMetadata), Some(Tag::DateRange), Tag::Begin) => {
            report.begin = text.trim().parse().ok();
        }
        (Some(Tag::ReportMetadata), Some(Tag::DateRange), Tag::End) => {
            report.end = text.trim().parse().ok();
        }
        (_, Some(Tag::PolicyPublished), field) => {
            let policy = &mut report.policy;
            match field {
                Tag::Domain => policy.domain = keyword(text).unwrap_or_default(),
                Tag::Adkim => policy.adkim = keyword(text),
                Tag::Aspf => policy.aspf = keyword(text),
                Tag::P => policy.p = keyword(text),
                Tag::Sp => policy.sp = keyword(text),
                Tag::Pct => policy.pct = text.trim().parse().ok(),
                Tag::Np => policy.np = keyword(text),
                Tag::Testing => policy.testing = keyword(text),
                _ => {}
            }
        }
        _ => {
            let Some(record) = report.records.last_mut() else {
                return;
            };
            close_record_field(record, grandparent, parent, tag, text);
        }
    }
}

fn close_record_field(
    record: &mut Record,
    grandparent: Option<Tag>,
    parent: Option<Tag>,
    tag: Tag,
    text: &str,
) {
    match (grandparent, parent, tag) {
        (_, Some(Tag::Row), Tag::SourceIp) => record.source_ip = value(text).unwrap_or_default(),
        (_, Some(Tag::Row), Tag::Count) => record.count = count(text),
        (_, Some(Tag::PolicyEvaluated), Tag::Disposition) => {
            record.disposition = keyword(text).unwrap_or_default();
        }
        (_, Some(Tag::PolicyEvaluated), Tag::Dkim) => record.dkim_evaluated = keyword(text),
        (_, Some(Tag::PolicyEvaluated), Tag::Spf) => record.spf_evaluated = keyword(text),
        (Some(Tag::PolicyEvaluated), Some(Tag::Reason), field) => {
            if let Some(reason) = record.reasons.last_mut() {
                match field {
                    Tag::Type => reason.kind = keyword(text).unwrap_or_default(),
                    Tag::Comment => reason.comment = value(text),
                    _ => {}
                }
            }
        }
        (_, Some(Tag::Identifiers), Tag::HeaderFrom) => {
            record.header_from = keyword(text).unwrap_or_default();
        }
        (_, Some(Tag::Identifiers), Tag::EnvelopeFrom) => record.envelope_from = keyword(text),
        (_, Some(Tag::Identifiers), Tag::EnvelopeTo) => record.envelope_to = keyword(text),
        (Some(Tag::AuthResults), Some(Tag::Dkim), field) => {
            if let Some(dkim) = record.dkim.last_mut() {
                match field {
                    Tag::Domain => dkim.domain = keyword(text).unwrap_or_default(),
                    Tag::Selector => dkim.selector = value(text),
                    Tag::Result => dkim.result = keyword(text).unwrap_or_default(),
                    _ => {}
                }
            }
        }
        (Some(Tag::AuthResults), Some(Tag::Spf), field) => {
            if let Some(spf) = record.spf.last_mut() {
                match field {
                    Tag::Domain => spf.domain = keyword(text).unwrap_or_default(),
                    Tag::Scope => spf.scope = keyword(text),
                    Tag::Result => spf.result = keyword(text).unwrap_or_default(),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOGLE: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>google.com</org_name>
    <email>noreply-dmarc-support@google.com</email>
    <report_id>1234</report_id>
    <date_range><begin>1700000000</begin><end>1700086399</end></date_range>
  </report_metadata>
  <policy_published>
    <domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct>
  </policy_published>
  <record>
    <row>
      <source_ip>192.0.2.1</source_ip><count>3</count>
      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated>
    </row>
    <identifiers><header_from>example.com</header_from></identifiers>
    <auth_results>
      <dkim><domain>example.com</domain><selector>google</selector><result>pass</result></dkim>
      <spf><domain>bounce.example.net</domain><result>pass</result></spf>
    </auth_results>
  </record>
</feedback>"#;

    #[test]
    fn a_plain_report_is_read_field_by_field() {
        let read = read(GOOGLE.as_bytes());
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let [report] = &read.reports[..] else {
            panic!("{:?}", read.reports)
        };
        assert_eq!(report.org_name, "google.com");
        assert_eq!(report.report_id, "1234");
        assert_eq!(
            (report.begin, report.end),
            (Some(1_700_000_000), Some(1_700_086_399))
        );
        assert_eq!(report.policy.p.as_deref(), Some("none"));
        assert_eq!(report.policy.pct, Some(100));
        let record = &report.records[0];
        assert_eq!(record.source_ip, "192.0.2.1");
        assert_eq!(record.count, 3);
        assert_eq!(record.dkim_evaluated.as_deref(), Some("pass"));
        assert_eq!(record.dkim[0].selector.as_deref(), Some("google"));
        assert_eq!(record.spf[0].domain, "bounce.example.net");
        assert_eq!(record.spf[0].scope, None);
    }

    #[test]
    fn namespaces_prefixes_case_and_whitespace_are_forgiven() {
        let xml = r#"<dmarc:feedback xmlns:dmarc="urn:ietf:params:xml:ns:dmarc-2.0">
          <dmarc:report_metadata><dmarc:org_name> Mail.Example </dmarc:org_name>
          <dmarc:report_id>r&amp;1</dmarc:report_id></dmarc:report_metadata>
          <dmarc:policy_published><dmarc:domain> EXAMPLE.com </dmarc:domain><dmarc:sp/></dmarc:policy_published>
          <dmarc:record><dmarc:row><dmarc:source_ip> 2001:db8::1 </dmarc:source_ip><dmarc:count> 7 </dmarc:count>
          <dmarc:policy_evaluated><dmarc:disposition>NONE</dmarc:disposition><dmarc:dkim>FAIL</dmarc:dkim><dmarc:spf>Pass</dmarc:spf></dmarc:policy_evaluated></dmarc:row>
          <dmarc:identifiers><dmarc:header_from>example.com</dmarc:header_from></dmarc:identifiers>
          <dmarc:auth_results><dmarc:spf><dmarc:domain>example.com</dmarc:domain><dmarc:scope>MFROM</dmarc:scope><dmarc:result>PASS</dmarc:result></dmarc:spf></dmarc:auth_results>
          </dmarc:record></dmarc:feedback>"#;
        let read = read(xml.as_bytes());
        let report = &read.reports[0];
        assert_eq!(report.org_name, "Mail.Example");
        assert_eq!(report.report_id, "r&1");
        assert_eq!(report.policy.domain, "example.com");
        assert_eq!(report.policy.sp, None);
        let record = &report.records[0];
        assert_eq!(
            (record.source_ip.as_str(), record.count),
            ("2001:db8::1", 7)
        );
        assert_eq!(record.disposition, "none");
        assert_eq!(record.spf_evaluated.as_deref(), Some("pass"));
        assert_eq!(record.spf[0].scope.as_deref(), Some("mfrom"));
        assert_eq!(record.spf[0].result, "pass");
    }

    #[test]
    fn a_broken_document_is_dropped_and_the_next_one_still_counts() {
        let broken = GOOGLE.replace("</org_name>", "");
        let two = format!("{broken}\n{GOOGLE}");
        let read = read(two.as_bytes());
        assert_eq!(read.reports.len(), 1);
        assert_eq!(read.errors.len(), 1, "{:?}", read.errors);
        assert!(read.errors[0].span.start < broken.len());
    }

    #[test]
    fn a_truncated_document_is_an_error_not_a_report() {
        let read = read(&GOOGLE.as_bytes()[..GOOGLE.len() / 2]);
        assert!(read.reports.is_empty());
        assert_eq!(read.errors.len(), 1);
        assert!(read.saw_feedback);
    }

    #[test]
    fn counts_are_capped_and_garbage_is_zero() {
        assert_eq!(count(" 12 "), 12);
        assert_eq!(count("18446744073709551615"), MAX_COUNT);
        assert_eq!(count("99999999999999999999999"), MAX_COUNT);
        assert_eq!(count("-3"), 0);
        assert_eq!(count("1e3"), 0);
        assert_eq!(count(""), 0);
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let mut bytes = GOOGLE.as_bytes().to_vec();
        let at = GOOGLE.find("google.com</org_name>").unwrap();
        bytes[at] = 0xff;
        let read = read(&bytes);
        assert_eq!(read.reports[0].org_name, "\u{fffd}oogle.com");
    }
}
