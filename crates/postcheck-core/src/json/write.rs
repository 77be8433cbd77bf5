//! Writers of the documents the page sends, byte for byte as `serde_json::to_string` writes
//! them: fields in declaration order, `null` for an absent `Option` unless the derive skips it.

use crate::dns::{Answer, Failure, Query, RecordData};
use crate::fetch::FetchResult;
use crate::profile::SenderProfile;
use crate::report::{CheckInput, ReportRequest, SignedSnapshot};
use crate::sender::DnsblConfig;
use std::fmt::Display;

/// A signed snapshot (`/api/verify`'s body, the snapshot link).
pub fn write_signed_snapshot(signed: &SignedSnapshot) -> String {
    let mut out = String::new();
    out.push_str("{\"input\":");
    check_input(&mut out, &signed.input);
    out.push_str(",\"snapshot\":{\"answers\":{\"entries\":[");
    for (index, (query, answer)) in signed.snapshot.answers.iter().enumerate() {
        comma(&mut out, index);
        out.push_str("{\"query\":");
        query_of(&mut out, query);
        out.push_str(",\"answer\":");
        answer_of(&mut out, answer);
        out.push('}');
    }
    out.push_str("]},\"fetches\":{");
    for (index, (url, result)) in signed.snapshot.fetches.iter().enumerate() {
        comma(&mut out, index);
        string(&mut out, url);
        out.push(':');
        fetch_result(&mut out, result);
    }
    out.push_str("}},\"taken_at\":");
    number(&mut out, signed.taken_at);
    out.push_str(",\"signature\":");
    string(&mut out, &signed.signature);
    out.push('}');
    out
}

/// The body of `POST /api/report`: `{"domain","ips","dkim_selectors","profile"}`.
pub fn write_report_request(request: &ReportRequest) -> String {
    let mut out = String::new();
    out.push_str("{\"domain\":");
    string(&mut out, &request.domain);
    out.push_str(",\"ips\":");
    let ips: Vec<String> = request.ips.iter().map(ToString::to_string).collect();
    strings(&mut out, &ips);
    out.push_str(",\"dkim_selectors\":");
    strings(&mut out, &request.dkim_selectors);
    out.push_str(",\"profile\":");
    match &request.profile {
        Some(profile) => sender_profile(&mut out, profile),
        None => out.push_str("null"),
    }
    // The page never names blocklists (the gateway's default applies), so this codec has no
    // writer for them; a request that names some is written without them.
    debug_assert!(
        request.dnsbl.is_none(),
        "the page's codec writes no blocklists"
    );
    out.push('}');
    out
}

/// A sender profile (the live link's `profile=`).
pub fn write_sender_profile(profile: &SenderProfile) -> String {
    let mut out = String::new();
    sender_profile(&mut out, profile);
    out
}

/// The body of `POST /api/dns`: `{"queries":[…]}`.
pub fn write_dns_request(queries: &[Query]) -> String {
    let mut out = String::from("{\"queries\":[");
    for (index, query) in queries.iter().enumerate() {
        comma(&mut out, index);
        query_of(&mut out, query);
    }
    out.push_str("]}");
    out
}

fn comma(out: &mut String, index: usize) {
    if index > 0 {
        out.push(',');
    }
}

fn number(out: &mut String, value: impl Display) {
    out.push_str(&value.to_string());
}

/// A string as serde_json escapes it (RFC 8259 §7): `"`, `\` and the control characters, with
/// the short escapes where JSON has them.
fn string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0'..='\u{1f}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = character as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[code >> 4]));
                out.push(char::from(HEX[code & 0xF]));
            }
            _ => out.push(character),
        }
    }
    out.push('"');
}

fn strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (index, item) in items.iter().enumerate() {
        comma(out, index);
        string(out, item);
    }
    out.push(']');
}

/// A list of values written with `Display` as JSON strings (IP addresses).
fn displayed(out: &mut String, items: &[impl Display]) {
    out.push('[');
    for (index, item) in items.iter().enumerate() {
        comma(out, index);
        string(out, &item.to_string());
    }
    out.push(']');
}

fn nullable_string(out: &mut String, value: Option<&String>) {
    match value {
        Some(value) => string(out, value),
        None => out.push_str("null"),
    }
}

fn check_input(out: &mut String, input: &CheckInput) {
    out.push_str("{\"domain\":");
    string(out, &input.domain);
    out.push_str(",\"ips\":");
    displayed(out, &input.ips);
    out.push_str(",\"dkim_selectors\":");
    strings(out, &input.dkim_selectors);
    out.push_str(",\"profile\":");
    match &input.profile {
        Some(profile) => sender_profile(out, profile),
        None => out.push_str("null"),
    }
    out.push_str(",\"dnsbl\":");
    dnsbl_config(out, &input.dnsbl);
    out.push_str(",\"timestamp\":");
    number(out, input.timestamp);
    out.push('}');
}

fn sender_profile(out: &mut String, profile: &SenderProfile) {
    out.push_str("{\"name\":");
    string(out, &profile.name);
    out.push_str(",\"spf\":");
    strings(out, &profile.spf);
    out.push_str(",\"ips\":");
    displayed(out, &profile.ips);
    out.push_str(",\"dkim_selectors\":");
    strings(out, &profile.dkim_selectors);
    out.push_str(",\"dkim_cnames\":{");
    for (index, (selector, target)) in profile.dkim_cnames.iter().enumerate() {
        comma(out, index);
        string(out, selector);
        out.push(':');
        string(out, target);
    }
    out.push_str("},\"return_path\":");
    nullable_string(out, profile.return_path.as_ref());
    out.push('}');
}

/// `spamhaus_dqs_key` and `skipped` are left out when empty (`skip_serializing_if`).
fn dnsbl_config(out: &mut String, config: &DnsblConfig) {
    out.push_str("{\"lists\":");
    strings(out, &config.lists);
    if let Some(key) = &config.spamhaus_dqs_key {
        out.push_str(",\"spamhaus_dqs_key\":");
        string(out, key);
    }
    if !config.skipped.is_empty() {
        out.push_str(",\"skipped\":");
        strings(out, &config.skipped);
    }
    out.push('}');
}

fn query_of(out: &mut String, query: &Query) {
    out.push_str("{\"name\":");
    string(out, &query.name);
    out.push_str(",\"type\":");
    string(out, query.record_type.as_str());
    out.push('}');
}

fn answer_of(out: &mut String, answer: &Answer) {
    match answer {
        Answer::Records {
            records,
            authenticated,
        } => {
            out.push_str("{\"status\":\"records\",\"records\":[");
            for (index, record) in records.iter().enumerate() {
                comma(out, index);
                record_data(out, record);
            }
            out.push_str("],\"authenticated\":");
            out.push_str(if *authenticated { "true" } else { "false" });
            out.push('}');
        }
        Answer::Nxdomain => out.push_str("{\"status\":\"nxdomain\"}"),
        Answer::Nodata => out.push_str("{\"status\":\"nodata\"}"),
        Answer::Failed { failure } => {
            out.push_str("{\"status\":\"failed\",\"failure\":\"");
            out.push_str(match failure {
                Failure::Servfail => "servfail",
                Failure::Refused => "refused",
                Failure::Timeout => "timeout",
                Failure::Error => "error",
            });
            out.push_str("\"}");
        }
    }
}

/// `{"type":…,"data":…}`; a TXT string that is not UTF-8 is written as its bytes.
fn record_data(out: &mut String, record: &RecordData) {
    out.push_str("{\"type\":");
    match record {
        RecordData::A(address) => {
            out.push_str("\"A\",\"data\":");
            string(out, &address.to_string());
        }
        RecordData::Aaaa(address) => {
            out.push_str("\"AAAA\",\"data\":");
            string(out, &address.to_string());
        }
        RecordData::Mx {
            preference,
            exchange,
        } => {
            out.push_str("\"MX\",\"data\":{\"preference\":");
            number(out, preference);
            out.push_str(",\"exchange\":");
            string(out, exchange);
            out.push('}');
        }
        RecordData::Txt(pieces) => {
            out.push_str("\"TXT\",\"data\":[");
            for (index, piece) in pieces.iter().enumerate() {
                comma(out, index);
                match std::str::from_utf8(piece) {
                    Ok(text) => string(out, text),
                    Err(_) => {
                        out.push('[');
                        for (index, byte) in piece.iter().enumerate() {
                            comma(out, index);
                            number(out, byte);
                        }
                        out.push(']');
                    }
                }
            }
            out.push(']');
        }
        RecordData::Ptr(name) => {
            out.push_str("\"PTR\",\"data\":");
            string(out, name);
        }
        RecordData::Cname(name) => {
            out.push_str("\"CNAME\",\"data\":");
            string(out, name);
        }
        RecordData::Ns(name) => {
            out.push_str("\"NS\",\"data\":");
            string(out, name);
        }
        // No report asks for SRV (only `postcheck smtp --for`, which does not travel through
        // this codec): the record goes as its type code, as the model kept it before SRV.
        RecordData::Srv { .. } => {
            out.push_str("\"OTHER\",\"data\":{\"type_code\":33}");
        }
        RecordData::Other { type_code } => {
            out.push_str("\"OTHER\",\"data\":{\"type_code\":");
            number(out, type_code);
            out.push('}');
        }
    }
    out.push('}');
}

/// `content_type` is left out when absent (`skip_serializing_if`).
fn fetch_result(out: &mut String, result: &FetchResult) {
    match result {
        FetchResult::Response {
            code,
            content_type,
            body,
        } => {
            out.push_str("{\"status\":\"response\",\"code\":");
            number(out, code);
            if let Some(content_type) = content_type {
                out.push_str(",\"content_type\":");
                string(out, content_type);
            }
            out.push_str(",\"body\":");
            string(out, body);
            out.push('}');
        }
        FetchResult::Failed { reason } => {
            out.push_str("{\"status\":\"failed\",\"reason\":");
            string(out, reason);
            out.push('}');
        }
    }
}
