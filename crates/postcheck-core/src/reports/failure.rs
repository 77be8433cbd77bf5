//! DMARC failure reports: one message each, in the Abuse Reporting Format (RFC 5965) as
//! RFC 6591 extends it for authentication failures (`Feedback-Type: auth-failure`) and RFC 7489
//! §7.3 asks of DMARC: a multipart/report whose `message/feedback-report` part holds fields
//! like header fields (RFC 5965 §3.1–§3.2, RFC 6591 §3.1–§3.2), and the failed message or its
//! headers beside it.

use super::MAX_COUNT;
use crate::bounce::mime::{Part, parse_header_block};
use serde::Serialize;

/// One failure report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FailureReport {
    /// `Feedback-Type` (RFC 5965 §3.1): `auth-failure` for DMARC.
    pub feedback_type: String,
    /// `Auth-Failure` (RFC 6591 §3.2.2): `dmarc`, `dkim`, `spf`, `bodyhash`, `revoked`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_failure: Option<String>,
    /// `Source-IP`: the server that sent the failed message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// `Reported-Domain`: the domain whose authentication failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_domain: Option<String>,
    /// `Original-Mail-From`: the envelope sender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_mail_from: Option<String>,
    /// `Original-Rcpt-To`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_rcpt_to: Option<String>,
    /// `Arrival-Date`, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrival_date: Option<String>,
    /// `Reporting-MTA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporting_mta: Option<String>,
    /// `User-Agent`: the software that wrote the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// `Delivery-Result` (RFC 6591 §3.2.1): delivered, spam, policy, reject, other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_result: Option<String>,
    /// `DKIM-Domain` (RFC 6591 §3.2.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim_domain: Option<String>,
    /// `DKIM-Selector`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dkim_selector: Option<String>,
    /// `SPF-DNS` (RFC 6591 §3.2.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spf_dns: Option<String>,
    /// `Identity-Alignment` (RFC 7489 §7.3.1): which identifiers aligned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_alignment: Option<String>,
    /// `Authentication-Results` as the receiver recorded them (RFC 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_results: Option<String>,
    /// `Incidents`: how many messages this report stands for (default 1, RFC 5965 §3.2).
    pub incidents: u64,
    /// The failed message's `From`, from the attached message or headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_from: Option<String>,
    /// The failed message's `Subject`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_subject: Option<String>,
}

/// The failure report in a message's parts, when one of them is a `message/feedback-report`.
pub(crate) fn read(parts: &[Part]) -> Option<FailureReport> {
    let feedback = parts
        .iter()
        .find(|part| part.content_type == "message/feedback-report")?;
    let fields = parse_header_block(&String::from_utf8_lossy(&feedback.body).replace("\r\n", "\n"));
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let lower = |name: &str| field(name).map(|value| value.to_ascii_lowercase());
    let original = parts
        .iter()
        .find(|part| {
            matches!(
                part.content_type.as_str(),
                "message/rfc822" | "text/rfc822-headers" | "message/global-headers"
            )
        })
        .map(|part| {
            let text = String::from_utf8_lossy(&part.body).replace("\r\n", "\n");
            let block = text.split("\n\n").next().unwrap_or_default().to_owned();
            parse_header_block(&block)
        })
        .unwrap_or_default();
    let original_field = |name: &str| {
        original
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.clone())
    };
    Some(FailureReport {
        feedback_type: lower("feedback-type").unwrap_or_default(),
        auth_failure: lower("auth-failure"),
        source_ip: field("source-ip"),
        reported_domain: lower("reported-domain"),
        original_mail_from: field("original-mail-from"),
        original_rcpt_to: field("original-rcpt-to"),
        arrival_date: field("arrival-date").or_else(|| field("received-date")),
        reporting_mta: field("reporting-mta"),
        user_agent: field("user-agent"),
        delivery_result: lower("delivery-result"),
        dkim_domain: lower("dkim-domain"),
        dkim_selector: field("dkim-selector"),
        spf_dns: field("spf-dns"),
        identity_alignment: lower("identity-alignment"),
        authentication_results: field("authentication-results"),
        incidents: field("incidents")
            .and_then(|value| value.parse::<u64>().ok())
            .map_or(1, |count| count.clamp(1, MAX_COUNT)),
        original_from: original_field("from"),
        original_subject: original_field("subject"),
    })
}
