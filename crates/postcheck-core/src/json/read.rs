//! Readers of the documents' shapes, field by field as the serde derives name them: what is
//! absent takes the derive's default, unknown fields are skipped, `null` is read only where the
//! type is an `Option`.

use super::lexer::{Lexer, Result};
use super::{Error, ErrorKind, GatewayError};
use crate::dns::{Answer, AnswerCache, Failure, Query, RecordData, RecordType};
use crate::fetch::{FetchCache, FetchResult};
use crate::profile::SenderProfile;
use crate::report::{CheckInput, SignedSnapshot, Snapshot};
use crate::sender::DnsblConfig;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Reads a whole document with `value`: nothing but whitespace may follow.
pub(super) fn document<T>(json: &[u8], value: impl FnOnce(&mut Lexer) -> Result<T>) -> Result<T> {
    let mut lexer = Lexer::new(json)?;
    let value = value(&mut lexer)?;
    lexer.finish()?;
    Ok(value)
}

/// A required field's value, or the error that names it.
fn required<T>(lexer: &Lexer, value: Option<T>, field: &'static str) -> Result<T> {
    value.ok_or_else(|| lexer.error(ErrorKind::MissingField(field)))
}

/// A string parsed with `FromStr`, as serde reads IP addresses.
fn parsed<T: FromStr>(lexer: &mut Lexer, expected: &'static str) -> Result<T> {
    let start = lexer.mark();
    lexer.string()?.parse().map_err(|_| Error {
        offset: start,
        kind: ErrorKind::Expected(expected),
    })
}

fn u16(lexer: &mut Lexer) -> Result<u16> {
    lexer
        .unsigned(u64::from(u16::MAX))
        .map(|value| value as u16)
}

fn u64(lexer: &mut Lexer) -> Result<u64> {
    lexer.unsigned(u64::MAX)
}

fn strings(lexer: &mut Lexer) -> Result<Vec<String>> {
    lexer.array(Lexer::string)
}

/// The signed snapshot, and `/api/report`'s `complete` when `with_complete` (otherwise that
/// field is skipped like any unknown one).
pub(super) fn signed_snapshot(
    lexer: &mut Lexer,
    with_complete: bool,
) -> Result<(SignedSnapshot, Option<bool>)> {
    let (mut input, mut snapshot, mut taken_at, mut signature, mut complete) =
        (None, None, None, None, None);
    lexer.object(|lexer, key| {
        match key.as_str() {
            "input" => input = Some(check_input(lexer)?),
            "snapshot" => snapshot = Some(snapshot_of(lexer)?),
            "taken_at" => taken_at = Some(u64(lexer)?),
            "signature" => signature = Some(lexer.string()?),
            "complete" if with_complete => complete = Some(lexer.boolean()?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    let signed = SignedSnapshot {
        input: required(lexer, input, "input")?,
        snapshot: required(lexer, snapshot, "snapshot")?,
        taken_at: required(lexer, taken_at, "taken_at")?,
        signature: required(lexer, signature, "signature")?,
    };
    Ok((signed, complete))
}

fn check_input(lexer: &mut Lexer) -> Result<CheckInput> {
    let mut domain = None;
    let mut input = CheckInput::default();
    lexer.object(|lexer, key| {
        match key.as_str() {
            "domain" => domain = Some(lexer.string()?),
            "ips" => input.ips = lexer.array(|lexer| parsed(lexer, "an IP address"))?,
            "dkim_selectors" => input.dkim_selectors = strings(lexer)?,
            "profile" => input.profile = lexer.nullable(sender_profile)?,
            "dnsbl" => input.dnsbl = dnsbl_config(lexer)?,
            "timestamp" => input.timestamp = u64(lexer)?,
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    input.domain = required(lexer, domain, "domain")?;
    Ok(input)
}

/// A sender profile; like its derive (`deny_unknown_fields`), it refuses unknown fields.
pub(super) fn sender_profile(lexer: &mut Lexer) -> Result<SenderProfile> {
    let mut name = None;
    let mut profile = SenderProfile::default();
    lexer.object(|lexer, key| {
        match key.as_str() {
            "name" => name = Some(lexer.string()?),
            "spf" => profile.spf = strings(lexer)?,
            "ips" => profile.ips = lexer.array(|lexer| parsed(lexer, "an IP address"))?,
            "dkim_selectors" => profile.dkim_selectors = strings(lexer)?,
            "dkim_cnames" => {
                let mut cnames = BTreeMap::new();
                lexer.object(|lexer, selector| {
                    cnames.insert(selector, lexer.string()?);
                    Ok(())
                })?;
                profile.dkim_cnames = cnames;
            }
            "return_path" => profile.return_path = lexer.nullable(Lexer::string)?,
            _ => return Err(lexer.error(ErrorKind::UnknownField)),
        }
        Ok(())
    })?;
    profile.name = required(lexer, name, "name")?;
    Ok(profile)
}

fn dnsbl_config(lexer: &mut Lexer) -> Result<DnsblConfig> {
    let mut lists = None;
    let mut config = DnsblConfig::default();
    lexer.object(|lexer, key| {
        match key.as_str() {
            "lists" => lists = Some(strings(lexer)?),
            "spamhaus_dqs_key" => config.spamhaus_dqs_key = lexer.nullable(Lexer::string)?,
            "skipped" => config.skipped = strings(lexer)?,
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    config.lists = required(lexer, lists, "lists")?;
    Ok(config)
}

fn snapshot_of(lexer: &mut Lexer) -> Result<Snapshot> {
    let (mut answers, mut fetches) = (None, None);
    lexer.object(|lexer, key| {
        match key.as_str() {
            "answers" => answers = Some(answer_cache(lexer)?),
            "fetches" => fetches = Some(fetch_cache(lexer)?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    Ok(Snapshot {
        answers: required(lexer, answers, "answers")?,
        fetches: required(lexer, fetches, "fetches")?,
    })
}

/// `{"entries":[{"query":…,"answer":…},…]}`; a query listed twice keeps its last answer, as the
/// derive's collect into a map does (the cache keeps the first it is given, so the entries go
/// in last to first).
fn answer_cache(lexer: &mut Lexer) -> Result<AnswerCache> {
    let mut entries = None;
    lexer.object(|lexer, key| {
        match key.as_str() {
            "entries" => entries = Some(lexer.array(query_and_answer)?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    let mut cache = AnswerCache::new();
    for (query, answer) in required(lexer, entries, "entries")?.into_iter().rev() {
        cache.insert(query, answer);
    }
    Ok(cache)
}

/// One `{"query":…,"answer":…}` entry (of the snapshot, or of `/api/dns`'s answer).
fn query_and_answer(lexer: &mut Lexer) -> Result<(Query, Answer)> {
    let (mut query, mut answer) = (None, None);
    lexer.object(|lexer, key| {
        match key.as_str() {
            "query" => query = Some(query_of(lexer)?),
            "answer" => answer = Some(answer_of(lexer)?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    Ok((
        required(lexer, query, "query")?,
        required(lexer, answer, "answer")?,
    ))
}

fn query_of(lexer: &mut Lexer) -> Result<Query> {
    let (mut name, mut record_type) = (None, None);
    lexer.object(|lexer, key| {
        match key.as_str() {
            "name" => name = Some(lexer.string()?),
            "type" => record_type = Some(record_type_of(lexer)?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    Ok(Query {
        name: required(lexer, name, "name")?,
        record_type: required(lexer, record_type, "type")?,
    })
}

/// The mnemonic in upper case (`rename_all = "UPPERCASE"`).
fn record_type_of(lexer: &mut Lexer) -> Result<RecordType> {
    let start = lexer.mark();
    let name = lexer.string()?;
    // SRV is left out: no report asks for it (see `write.rs`).
    const TYPES: [RecordType; 8] = [
        RecordType::A,
        RecordType::Aaaa,
        RecordType::Mx,
        RecordType::Txt,
        RecordType::Ptr,
        RecordType::Cname,
        RecordType::Ns,
        RecordType::Soa,
    ];
    TYPES
        .into_iter()
        .find(|record_type| record_type.as_str() == name)
        .ok_or(Error {
            offset: start,
            kind: ErrorKind::Expected("a record type"),
        })
}

/// The value of an internally tagged object's tag (`#[serde(tag = "…")]`), which may come
/// anywhere among its fields; the object is read again from `mark` for the variant's fields.
fn tag_of(lexer: &mut Lexer, tag: &'static str) -> Result<(usize, String)> {
    let mark = lexer.mark();
    let mut value = None;
    lexer.object(|lexer, key| {
        if key == tag {
            value = Some(lexer.string()?);
        } else {
            lexer.skip()?;
        }
        Ok(())
    })?;
    let value = value.ok_or(Error {
        offset: mark,
        kind: ErrorKind::MissingField(tag),
    })?;
    lexer.seek(mark);
    Ok((mark, value))
}

/// An [`Answer`], tagged by `status`.
fn answer_of(lexer: &mut Lexer) -> Result<Answer> {
    let (mark, status) = tag_of(lexer, "status")?;
    let (mut records, mut authenticated, mut failure) = (None, false, None);
    lexer.object(|lexer, key| {
        match (status.as_str(), key.as_str()) {
            ("records", "records") => records = Some(lexer.array(record_data)?),
            ("records", "authenticated") => authenticated = lexer.boolean()?,
            ("failed", "failure") => failure = Some(failure_of(lexer)?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    let at = |kind| Error { offset: mark, kind };
    Ok(match status.as_str() {
        "records" => Answer::Records {
            records: records.ok_or(at(ErrorKind::MissingField("records")))?,
            authenticated,
        },
        "nxdomain" => Answer::Nxdomain,
        "nodata" => Answer::Nodata,
        "failed" => Answer::Failed {
            failure: failure.ok_or(at(ErrorKind::MissingField("failure")))?,
        },
        _ => return Err(at(ErrorKind::Expected("an answer status"))),
    })
}

fn failure_of(lexer: &mut Lexer) -> Result<Failure> {
    let start = lexer.mark();
    Ok(match lexer.string()?.as_str() {
        "servfail" => Failure::Servfail,
        "refused" => Failure::Refused,
        "timeout" => Failure::Timeout,
        "error" => Failure::Error,
        _ => {
            return Err(Error {
                offset: start,
                kind: ErrorKind::Expected("a failure"),
            });
        }
    })
}

/// A [`RecordData`], adjacently tagged: `{"type":…,"data":…}` in either order.
fn record_data(lexer: &mut Lexer) -> Result<RecordData> {
    let start = lexer.mark();
    let (mut record_type, mut data) = (None, None);
    lexer.object(|lexer, key| {
        match key.as_str() {
            "type" => record_type = Some(lexer.string()?),
            "data" => {
                data = Some(lexer.mark());
                lexer.skip()?;
            }
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    let at = |kind| Error {
        offset: start,
        kind,
    };
    let record_type = record_type.ok_or(at(ErrorKind::MissingField("type")))?;
    let data = data.ok_or(at(ErrorKind::MissingField("data")))?;
    let end = lexer.mark();
    lexer.seek(data);
    let record = match record_type.as_str() {
        "A" => RecordData::A(parsed(lexer, "an IPv4 address")?),
        "AAAA" => RecordData::Aaaa(parsed(lexer, "an IPv6 address")?),
        "MX" => {
            let (mut preference, mut exchange) = (None, None);
            lexer.object(|lexer, key| {
                match key.as_str() {
                    "preference" => preference = Some(u16(lexer)?),
                    "exchange" => exchange = Some(lexer.string()?),
                    _ => lexer.skip()?,
                }
                Ok(())
            })?;
            RecordData::Mx {
                preference: required(lexer, preference, "preference")?,
                exchange: required(lexer, exchange, "exchange")?,
            }
        }
        "TXT" => RecordData::Txt(lexer.array(txt_string)?),
        "PTR" => RecordData::Ptr(lexer.string()?),
        "CNAME" => RecordData::Cname(lexer.string()?),
        "NS" => RecordData::Ns(lexer.string()?),
        "OTHER" => {
            let mut type_code = None;
            lexer.object(|lexer, key| {
                match key.as_str() {
                    "type_code" => type_code = Some(u16(lexer)?),
                    _ => lexer.skip()?,
                }
                Ok(())
            })?;
            RecordData::Other {
                type_code: required(lexer, type_code, "type_code")?,
            }
        }
        _ => return Err(at(ErrorKind::Expected("a record type"))),
    };
    lexer.seek(end);
    Ok(record)
}

/// One TXT character-string: a JSON string when it is UTF-8, else an array of its bytes.
fn txt_string(lexer: &mut Lexer) -> Result<Vec<u8>> {
    let start = lexer.mark();
    match lexer.string() {
        Ok(text) => Ok(text.into_bytes()),
        Err(Error {
            kind: ErrorKind::Expected(_),
            ..
        }) => {
            lexer.seek(start);
            lexer
                .array(|lexer| lexer.unsigned(255).map(|byte| byte as u8))
                .map_err(|err| match err.kind {
                    ErrorKind::Expected(_) => Error {
                        offset: start,
                        kind: ErrorKind::Expected("a string or an array of bytes"),
                    },
                    _ => err,
                })
        }
        Err(err) => Err(err),
    }
}

/// `"fetches"`: the URLs are the keys (`#[serde(flatten)]` of a map).
fn fetch_cache(lexer: &mut Lexer) -> Result<FetchCache> {
    let mut cache = FetchCache::new();
    lexer.object(|lexer, url| {
        let result = fetch_result(lexer)?;
        cache.insert(url, result);
        Ok(())
    })?;
    Ok(cache)
}

/// A [`FetchResult`], tagged by `status`.
fn fetch_result(lexer: &mut Lexer) -> Result<FetchResult> {
    let (mark, status) = tag_of(lexer, "status")?;
    let (mut code, mut content_type, mut body, mut reason) = (None, None, None, None);
    lexer.object(|lexer, key| {
        match (status.as_str(), key.as_str()) {
            ("response", "code") => code = Some(u16(lexer)?),
            ("response", "content_type") => content_type = lexer.nullable(Lexer::string)?,
            ("response", "body") => body = Some(lexer.string()?),
            ("failed", "reason") => reason = Some(lexer.string()?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    let at = |kind| Error { offset: mark, kind };
    Ok(match status.as_str() {
        "response" => FetchResult::Response {
            code: code.ok_or(at(ErrorKind::MissingField("code")))?,
            content_type,
            body: body.ok_or(at(ErrorKind::MissingField("body")))?,
        },
        "failed" => FetchResult::Failed {
            reason: reason.ok_or(at(ErrorKind::MissingField("reason")))?,
        },
        _ => return Err(at(ErrorKind::Expected("a fetch status"))),
    })
}

pub(super) fn gateway_error(lexer: &mut Lexer) -> Result<GatewayError> {
    let mut error = None;
    lexer.object(|lexer, key| {
        match key.as_str() {
            "error" => {
                let (mut code, mut message) = (None, None);
                lexer.object(|lexer, key| {
                    match key.as_str() {
                        "code" => code = Some(lexer.string()?),
                        "message" => message = Some(lexer.string()?),
                        _ => lexer.skip()?,
                    }
                    Ok(())
                })?;
                error = Some(GatewayError {
                    code: required(lexer, code, "code")?,
                    message: required(lexer, message, "message")?,
                });
            }
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    required(lexer, error, "error")
}

pub(super) fn verified(lexer: &mut Lexer) -> Result<bool> {
    let mut valid = None;
    lexer.object(|lexer, key| {
        match key.as_str() {
            "valid" => valid = Some(lexer.boolean()?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    required(lexer, valid, "valid")
}

pub(super) fn dns_answers(lexer: &mut Lexer) -> Result<Vec<(Query, Answer)>> {
    let mut answers = None;
    lexer.object(|lexer, key| {
        match key.as_str() {
            "answers" => answers = Some(lexer.array(query_and_answer)?),
            _ => lexer.skip()?,
        }
        Ok(())
    })?;
    required(lexer, answers, "answers")
}
