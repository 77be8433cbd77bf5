//! Bounces in bulk (`postcheck bounce` over many files, an mbox or a Maildir): one row per
//! failed recipient, the same recipient seen several times collapsed to its latest bounce, a
//! summary per category, and a typo suggestion for a recipient whose domain looks like a slip
//! (`crate::typo`) — the list support staff send out.
//!
//! The driver reads the files; [`split_mbox`] cuts an mbox into its messages, [`read`] turns
//! each message into an [`Item`], and [`summarize`] builds the report.

use super::{Bounce, Permanence, analyze_bytes};
use crate::findings::Code;
use crate::headers::date::parse_date;
use crate::typo;
use serde::Serialize;
use std::collections::HashMap;

/// The most messages one mbox is cut into; the rest stay in the last one.
pub const MAX_MESSAGES: usize = 100_000;

/// The messages of an mbox (the `From ` line format of RFC 4155: each message starts with a
/// line beginning `From `; `>From ` lines of the mboxrd variant lose one `>`). Bytes without a
/// leading `From ` line are one message.
pub fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    if !bytes.starts_with(b"From ") {
        return vec![bytes.to_vec()];
    }
    let mut messages: Vec<Vec<u8>> = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"From ") && messages.len() < MAX_MESSAGES {
            if let Some(done) = current.take() {
                messages.push(done);
            }
            current = Some(Vec::new());
            continue;
        }
        let Some(message) = current.as_mut() else {
            continue;
        };
        // mboxrd: one `>` less before a quoted `From `.
        let unquoted = line
            .iter()
            .position(|&b| b != b'>')
            .filter(|&depth| depth > 0 && line[depth..].starts_with(b"From "))
            .map_or(line, |_| &line[1..]);
        message.extend_from_slice(unquoted);
    }
    messages.extend(current);
    messages
}

/// One bounce as read from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Where it came from (a path, `mbox:3`), as the driver names it.
    pub source: String,
    /// The bounce.
    pub bounce: Bounce,
    /// When the notice was written (its `Date:`), seconds since the epoch.
    pub date: Option<i64>,
}

/// Reads one message of a bulk input.
pub fn read(source: impl Into<String>, bytes: &[u8]) -> Item {
    Item {
        source: source.into(),
        bounce: analyze_bytes(bytes),
        date: outer_date(bytes),
    }
}

/// The notice's own `Date:` field (RFC 5322 §3.6.1), from its header block only.
fn outer_date(bytes: &[u8]) -> Option<i64> {
    let head_end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| bytes.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(bytes.len().min(64 * 1024));
    let head = String::from_utf8_lossy(&bytes[..head_end]);
    let mut value: Option<String> = None;
    for line in head.lines() {
        if let Some(open) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                open.push_str(line);
                continue;
            }
            break;
        }
        if line.len() > 5 && line[..5].eq_ignore_ascii_case("date:") {
            value = Some(line[5..].to_owned());
        }
    }
    parse_date(value?.trim())
}

/// One failed recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The recipient, lowercase.
    pub recipient: String,
    /// The category's finding code (`bounce-user-unknown`).
    pub code: Code,
    /// Hard or soft.
    pub permanence: Permanence,
    /// The enhanced status code (`5.1.1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// When the latest bounce was written, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
    /// The server that refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_server: Option<String>,
    /// The server's own words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<String>,
    /// The domain the recipient's probably meant, when its domain looks like a slip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// How many bounces for this recipient were read.
    pub bounces: usize,
    /// Where the latest one came from.
    pub source: String,
}

/// The bulk report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkReport {
    /// One row per recipient, ordered by recipient.
    pub rows: Vec<Row>,
    /// Messages read that named no recipient (or were no bounce), by source.
    pub without_recipient: Vec<String>,
    /// Rows per category code, in catalog order.
    pub summary: Vec<(Code, usize)>,
}

/// One row per recipient: the latest bounce (by its date; the later one read when dates are
/// equal or missing) decides the row.
pub fn summarize(items: Vec<Item>) -> BulkReport {
    let mut rows: HashMap<String, Row> = HashMap::new();
    let mut without_recipient = Vec::new();
    for item in items {
        // A file that holds no bounce (empty, or no word of a failure) names no failed
        // recipient, whatever addresses its text holds.
        if item.bounce.category == super::Category::Empty {
            without_recipient.push(item.source);
            continue;
        }
        let Some(recipient) = item
            .bounce
            .recipient
            .as_deref()
            .map(|r| r.trim().to_lowercase())
            .filter(|r| !r.is_empty())
        else {
            without_recipient.push(item.source);
            continue;
        };
        let bounce = &item.bounce;
        let row = Row {
            suggestion: recipient
                .rsplit_once('@')
                .and_then(|(_, domain)| typo::suggest(domain)),
            recipient: recipient.clone(),
            code: bounce.finding.code,
            permanence: bounce.permanence,
            status: bounce.status.map(|s| s.to_string()),
            date: item.date,
            remote_server: bounce.remote_server.clone(),
            diagnostic: bounce.diagnostic.clone(),
            bounces: 1,
            source: item.source,
        };
        match rows.get_mut(&recipient) {
            Some(known) => {
                let count = known.bounces + 1;
                // `None` sorts first: an undated bounce never replaces a dated one.
                if row.date >= known.date {
                    *known = row;
                }
                known.bounces = count;
            }
            None => {
                rows.insert(recipient, row);
            }
        }
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    rows.sort_by(|a, b| a.recipient.cmp(&b.recipient));
    let summary = Code::tally(rows.iter().map(|row| row.code));
    BulkReport {
        rows,
        without_recipient,
        summary,
    }
}

/// The report as CSV (RFC 4180, CRLF): `recipient,code,permanence,status,date,remote_server,
/// suggestion,bounces,what_to_do`, one row per recipient.
pub fn to_csv(report: &BulkReport, lang: crate::messages::Lang) -> String {
    let rows = report.rows.iter().map(|row| {
        vec![
            row.recipient.clone(),
            row.code.as_str().to_owned(),
            row.permanence.as_str().to_owned(),
            row.status.clone().unwrap_or_default(),
            row.date
                .map(crate::headers::date::format_day)
                .unwrap_or_default(),
            row.remote_server.clone().unwrap_or_default(),
            row.suggestion.clone().unwrap_or_default(),
            row.bounces.to_string(),
            crate::messages::hint(row.code, lang)
                .unwrap_or_default()
                .to_owned(),
        ]
    });
    crate::recipients::write_csv(
        "recipient,code,permanence,status,date,remote_server,suggestion,bounces,what_to_do",
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER_UNKNOWN: &str = "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n\
        To: sender@example.com\nSubject: Undelivered Mail Returned to Sender\n\
        Date: Mon, 23 Nov 2026 10:00:00 +0100\n\n\
        <max@gmial.com>: host mx.gmial.com[192.0.2.1] said: 550 5.1.1 <max@gmial.com>: \
        Recipient address rejected: User unknown in virtual mailbox table\n";

    const FULL: &str = "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n\
        Date: Tue, 24 Nov 2026 10:00:00 +0100\nSubject: Undelivered Mail\n\n\
        <anna@example.org>: host mx.example.org[192.0.2.2] said: 552 5.2.2 <anna@example.org>: \
        Mailbox full\n";

    #[test]
    fn an_mbox_is_cut_into_its_messages() {
        let mbox = format!(
            "From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n{USER_UNKNOWN}\nFrom MAILER-DAEMON Tue Nov 24 10:00:00 2026\n{FULL}>From here on, quoted\n"
        );
        let messages = split_mbox(mbox.as_bytes());
        assert_eq!(messages.len(), 2);
        assert!(messages[0].starts_with(b"From: Mail Delivery"));
        assert!(String::from_utf8_lossy(&messages[1]).ends_with("From here on, quoted\n"));
        assert_eq!(
            split_mbox(USER_UNKNOWN.as_bytes()).len(),
            1,
            "no From line: one message"
        );
    }

    #[test]
    fn one_row_per_recipient_the_latest_bounce_wins() {
        let later = USER_UNKNOWN.replace("Mon, 23 Nov 2026", "Wed, 25 Nov 2026").replace(
            "550 5.1.1 <max@gmial.com>: Recipient address rejected: User unknown in virtual mailbox table",
            "452 4.2.2 <max@gmial.com>: Mailbox full",
        );
        let report = summarize(vec![
            read("a.eml", later.as_bytes()),
            read("b.eml", USER_UNKNOWN.as_bytes()),
            read("c.eml", FULL.as_bytes()),
            read("d.eml", b"no bounce here"),
        ]);
        assert_eq!(report.rows.len(), 2);
        let max = &report.rows[1];
        assert_eq!(max.recipient, "max@gmial.com");
        assert_eq!(max.bounces, 2);
        assert_eq!(max.source, "a.eml", "the later notice decides");
        assert_eq!(max.code, Code::BounceMailboxFull);
        assert_eq!(max.suggestion.as_deref(), Some("gmail.com"));
        assert_eq!(report.rows[0].recipient, "anna@example.org");
        assert_eq!(report.rows[0].date, Some(1_795_510_800));
        assert_eq!(report.without_recipient, ["d.eml"]);
        assert_eq!(report.summary, [(Code::BounceMailboxFull, 2)]);
    }
}
