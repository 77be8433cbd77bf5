//! SMTP TLS reports (RFC 8460 §4): the JSON a sending server writes about the TLS sessions it
//! tried with a domain's MX hosts, per policy (MTA-STS, DANE or none), with the failures by
//! result type (§4.3). Read with the core's own JSON lexer ([`crate::json`]): unknown members
//! are skipped, a count that is not a non-negative integer reads as 0, `mx-host` may be one
//! string or a list. A document over the lexer's 4 MiB limit, or one that is not JSON, is not
//! read (`report-json-malformed`).

use super::MAX_COUNT;
use crate::json::lexer::{Lexer, Result};
use crate::json::{Error, ErrorKind};
use serde::Serialize;

/// One SMTP TLS report (RFC 8460 §4.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsReport {
    /// `organization-name`: who sent it.
    pub organization_name: String,
    /// `date-range.start-datetime` (RFC 3339), as written.
    pub start: String,
    /// `date-range.end-datetime` (RFC 3339), as written.
    pub end: String,
    /// `contact-info`.
    pub contact_info: String,
    /// `report-id`.
    pub report_id: String,
    /// One entry per policy the sender applied.
    pub policies: Vec<TlsPolicy>,
}

/// One `policies[]` entry: a policy, its session counts and its failures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsPolicy {
    /// `policy-type`: `sts`, `tlsa` or `no-policy-found` (RFC 8460 §4.4).
    pub policy_type: String,
    /// `policy-domain`: the domain the report is about.
    pub policy_domain: String,
    /// `policy-string`: the policy's lines.
    pub policy_string: Vec<String>,
    /// `mx-host`: the MX patterns of the policy.
    pub mx_host: Vec<String>,
    /// `summary.total-successful-session-count`.
    pub successful: u64,
    /// `summary.total-failure-session-count`.
    pub failed: u64,
    /// `failure-details`.
    pub failures: Vec<TlsFailure>,
}

/// One `failure-details[]` entry (RFC 8460 §4.3, §4.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsFailure {
    /// `result-type`: `starttls-not-supported`, `certificate-expired`, `validation-failure`, …
    pub result_type: String,
    /// `sending-mta-ip`.
    pub sending_mta_ip: String,
    /// `receiving-mx-hostname`.
    pub receiving_mx_hostname: String,
    /// `receiving-mx-helo`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub receiving_mx_helo: String,
    /// `receiving-ip`.
    pub receiving_ip: String,
    /// `failed-session-count`.
    pub failed_session_count: u64,
    /// `additional-information`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub additional_information: String,
    /// `failure-reason-code`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub failure_reason_code: String,
}

/// Reads one TLS report; `Err` with where the JSON broke, or `Ok(None)` for JSON that is no
/// TLS report (neither `policies` nor `organization-name`).
pub(crate) fn read(bytes: &[u8]) -> std::result::Result<Option<TlsReport>, Error> {
    let mut lexer = Lexer::new(bytes)?;
    let mut report = TlsReport::default();
    let mut seen = false;
    lexer.object(|lexer, key| {
        match key.as_str() {
            "organization-name" => {
                seen = true;
                report.organization_name = text(lexer)?;
            }
            "date-range" => lexer.object(|lexer, key| {
                match key.as_str() {
                    "start-datetime" => report.start = text(lexer)?,
                    "end-datetime" => report.end = text(lexer)?,
                    _ => lexer.skip()?,
                }
                Ok(())
            })?,
            "contact-info" => report.contact_info = text(lexer)?,
            "report-id" => report.report_id = text(lexer)?,
            "policies" => {
                seen = true;
                report.policies = lexer.array(policy)?;
            }
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    lexer.finish()?;
    Ok(seen.then_some(report))
}

/// A string, or anything else as empty (a `null` where a string belongs).
fn text(lexer: &mut Lexer) -> Result<String> {
    if lexer.next_is(b'"') {
        Ok(lexer.string()?.trim().to_owned())
    } else {
        lexer.skip().map(|()| String::new())
    }
}

/// One string or a list of them.
fn texts(lexer: &mut Lexer) -> Result<Vec<String>> {
    if lexer.next_is(b'[') {
        lexer.array(text)
    } else {
        text(lexer).map(|one| vec![one])
    }
}

/// A count: a non-negative integer, at most [`MAX_COUNT`]; anything else reads as 0.
fn count(lexer: &mut Lexer) -> Result<u64> {
    let mark = lexer.mark();
    match lexer.unsigned(u64::MAX) {
        Ok(value) => Ok(value.min(MAX_COUNT)),
        Err(Error {
            kind: ErrorKind::Number | ErrorKind::Expected(_),
            ..
        }) => {
            lexer.seek(mark);
            lexer.skip().map(|()| 0)
        }
        Err(error) => Err(error),
    }
}

fn policy(lexer: &mut Lexer) -> Result<TlsPolicy> {
    let mut policy = TlsPolicy::default();
    lexer.object(|lexer, key| {
        match key.as_str() {
            "policy" => lexer.object(|lexer, key| {
                match key.as_str() {
                    "policy-type" => policy.policy_type = text(lexer)?.to_ascii_lowercase(),
                    "policy-string" => policy.policy_string = texts(lexer)?,
                    "policy-domain" => policy.policy_domain = text(lexer)?.to_ascii_lowercase(),
                    "mx-host" => policy.mx_host = texts(lexer)?,
                    _ => lexer.skip()?,
                }
                Ok(())
            })?,
            "summary" => lexer.object(|lexer, key| {
                match key.as_str() {
                    "total-successful-session-count" => policy.successful = count(lexer)?,
                    "total-failure-session-count" => policy.failed = count(lexer)?,
                    _ => lexer.skip()?,
                }
                Ok(())
            })?,
            "failure-details" => policy.failures = lexer.array(failure)?,
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    Ok(policy)
}

fn failure(lexer: &mut Lexer) -> Result<TlsFailure> {
    let mut failure = TlsFailure::default();
    lexer.object(|lexer, key| {
        match key.as_str() {
            "result-type" => failure.result_type = text(lexer)?.to_ascii_lowercase(),
            "sending-mta-ip" => failure.sending_mta_ip = text(lexer)?,
            "receiving-mx-hostname" => {
                failure.receiving_mx_hostname = text(lexer)?.to_ascii_lowercase();
            }
            "receiving-mx-helo" => failure.receiving_mx_helo = text(lexer)?,
            "receiving-ip" => failure.receiving_ip = text(lexer)?,
            "failed-session-count" => failure.failed_session_count = count(lexer)?,
            "additional-information" => failure.additional_information = text(lexer)?,
            "failure-reason-code" => failure.failure_reason_code = text(lexer)?,
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    Ok(failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of RFC 8460 §4.5 (one policy, two failure details), trimmed.
    const RFC_EXAMPLE: &str = r#"{
     "organization-name": "Company-X",
     "date-range": {"start-datetime": "2016-04-01T00:00:00Z", "end-datetime": "2016-04-01T23:59:59Z"},
     "contact-info": "sts-reporting@company-x.example",
     "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
     "policies": [{
       "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: testing"],
                  "policy-domain": "company-y.example", "mx-host": ["*.mail.company-y.example"]},
       "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
       "failure-details": [
         {"result-type": "certificate-expired", "sending-mta-ip": "2001:db8:abcd:0012::1",
          "receiving-mx-hostname": "mx1.mail.company-y.example", "failed-session-count": 100},
         {"result-type": "starttls-not-supported", "sending-mta-ip": "2001:db8:abcd:0013::1",
          "receiving-mx-hostname": "mx2.mail.company-y.example", "receiving-ip": "203.0.113.56",
          "failed-session-count": 200, "additional-information": "https://reports.company-x.example/"},
         {"result-type": "validation-failure", "sending-mta-ip": "198.51.100.62",
          "receiving-ip": "203.0.113.58", "receiving-mx-hostname": "mx-backup.mail.company-y.example",
          "failed-session-count": 3, "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"}]
     }]
   }"#;

    #[test]
    fn the_rfc_example_is_read() {
        let report = read(RFC_EXAMPLE.as_bytes()).unwrap().unwrap();
        assert_eq!(report.organization_name, "Company-X");
        let policy = &report.policies[0];
        assert_eq!(policy.policy_domain, "company-y.example");
        assert_eq!((policy.successful, policy.failed), (5326, 303));
        assert_eq!(policy.mx_host, ["*.mail.company-y.example"]);
        let counts: Vec<u64> = policy
            .failures
            .iter()
            .map(|f| f.failed_session_count)
            .collect();
        assert_eq!(counts, [100, 200, 3]);
        assert_eq!(policy.failures[2].receiving_ip, "203.0.113.58");
    }

    #[test]
    fn other_json_and_broken_json_are_told_apart() {
        assert_eq!(read(br#"{"a": 1}"#), Ok(None));
        let error = read(br#"{"policies": [ {"#).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Syntax);
        let lenient = read(br#"{"policies":[{"policy":{"mx-host":"mx.example","policy-type":"STS"},"summary":{"total-failure-session-count":1.5}}]}"#)
            .unwrap()
            .unwrap();
        assert_eq!(lenient.policies[0].mx_host, ["mx.example"]);
        assert_eq!(lenient.policies[0].policy_type, "sts");
        assert_eq!(lenient.policies[0].failed, 0);
    }
}
