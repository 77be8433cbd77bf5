//! `postcheck bounce`: reads a pasted bounce from a file or standard input and explains it —
//! category, hard or soft, the server's answer, and the check to run next. Given several
//! files, a directory, a Maildir or an mbox, it reads every bounce and prints one row per failed
//! recipient (the core's `bounce::bulk`), as a table, CSV or JSON.

use postcheck_core::bounce::bulk::{self, BulkReport, Item};
use postcheck_core::bounce::{self, Bounce, NextCheck};
use postcheck_core::headers::date::format_day;
use postcheck_core::messages::{self, Label, Lang, label};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

/// The most bytes read from one file or standard input in bulk mode (an mbox can be large).
const MAX_BULK_BYTES: u64 = 1 << 30;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Csv,
    Json,
}

/// Runs the subcommand: one bounce explained, or many summarized per recipient.
pub fn run(files: &[String], format: Format, lang: Lang) -> anyhow::Result<()> {
    let bulk = files.len() > 1
        || files.iter().any(|f| Path::new(f).is_dir())
        || format == Format::Csv
        || files.first().is_some_and(|f| is_mbox(Path::new(f)));
    if !bulk {
        return single(
            files.first().map(String::as_str),
            format == Format::Json,
            lang,
        );
    }
    let items = read_all(files)?;
    let report = bulk::summarize(items);
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{:#}", bulk_json(&report, lang))?,
        Format::Csv => write!(out, "{}", bulk::to_csv(&report, lang))?,
        Format::Human => write!(out, "{}", bulk_table(&report, lang))?,
    }
    out.flush()?;
    Ok(())
}

/// Whether a file starts like an mbox (`From ` line, RFC 4155).
fn is_mbox(path: &Path) -> bool {
    let mut start = [0u8; 5];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok()
        && &start == b"From "
}

/// Every message of the inputs: files, directories (a Maildir's `cur/` and `new/`, else the
/// directory's own files, sorted), mboxes cut into their messages, `-` for standard input.
fn read_all(inputs: &[String]) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    for input in inputs {
        if input == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(MAX_BULK_BYTES)
                .read_to_end(&mut bytes)
                .map_err(|error| anyhow::anyhow!("-: {error}"))?;
            push_messages("-", &bytes, &mut items);
            continue;
        }
        let path = Path::new(input);
        let files = if path.is_dir() {
            let maildir = path.join("cur").is_dir() || path.join("new").is_dir();
            let folders: Vec<PathBuf> = if maildir {
                vec![path.join("cur"), path.join("new")]
            } else {
                vec![path.to_path_buf()]
            };
            let mut files = Vec::new();
            for folder in folders.iter().filter(|f| f.is_dir()) {
                let entries = std::fs::read_dir(folder)
                    .map_err(|error| anyhow::anyhow!("{}: {error}", folder.display()))?;
                for entry in entries.flatten() {
                    if entry.file_type().is_ok_and(|t| t.is_file()) {
                        files.push(entry.path());
                    }
                }
            }
            files.sort();
            files
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let mut bytes = Vec::new();
            std::fs::File::open(&file)
                .and_then(|f| f.take(MAX_BULK_BYTES).read_to_end(&mut bytes))
                .map_err(|error| anyhow::anyhow!("{}: {error}", file.display()))?;
            push_messages(&file.display().to_string(), &bytes, &mut items);
        }
    }
    Ok(items)
}

fn push_messages(source: &str, bytes: &[u8], items: &mut Vec<Item>) {
    let messages = bulk::split_mbox(bytes);
    let several = messages.len() > 1;
    for (index, message) in messages.iter().enumerate() {
        let name = if several {
            format!("{source}#{}", index + 1)
        } else {
            source.to_owned()
        };
        items.push(bulk::read(name, message));
    }
}

fn bulk_json(report: &BulkReport, lang: Lang) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = report
        .rows
        .iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).unwrap_or_default();
            value["what_to_do"] = messages::hint(row.code, lang).into();
            value
        })
        .collect();
    let summary = crate::render::summary_json(&report.summary);
    serde_json::json!({
        "rows": rows,
        "summary": summary,
        "without_recipient": report.without_recipient,
    })
}

fn bulk_table(report: &BulkReport, lang: Lang) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for row in &report.rows {
        let _ = write!(
            out,
            "{}  {}  {}",
            row.recipient,
            row.code.as_str(),
            label(Label::permanence(row.permanence), lang)
        );
        if let Some(status) = &row.status {
            let _ = write!(out, "  {status}");
        }
        if let Some(date) = row.date {
            let _ = write!(out, "  {}", format_day(date));
        }
        if let Some(suggestion) = &row.suggestion {
            let meant = row
                .recipient
                .rsplit_once('@')
                .map_or_else(String::new, |(local, _)| format!("{local}@{suggestion}"));
            let _ = write!(out, "  → {meant}?");
        }
        out.push('\n');
    }
    out.push_str(&crate::render::summary_lines(
        &report.summary,
        report.rows.len(),
        lang,
    ));
    if !report.without_recipient.is_empty() {
        let _ = writeln!(
            out,
            "  {:>6}  {}",
            report.without_recipient.len(),
            if lang == Lang::De {
                "ohne erkennbaren Empfänger"
            } else {
                "without a recipient found"
            }
        );
    }
    out
}

/// One bounce, explained.
fn single(file: Option<&str>, json: bool, lang: Lang) -> anyhow::Result<()> {
    // Bytes, not text: a part in Latin-1 or Windows-1252 is decoded by its own charset.
    let bytes = crate::pasted::read_bytes(file)
        .map_err(|error| anyhow::anyhow!("{}: {error}", file.unwrap_or("-")))?;
    let bounce = bounce::analyze_bytes(&bytes);
    let mut out = std::io::stdout().lock();
    if json {
        let mut value = serde_json::to_value(&bounce).unwrap_or_default();
        value["code"] = bounce.finding.code.as_str().into();
        value["message"] = messages::message(&bounce.finding, lang).into();
        value["hint"] = messages::hint(bounce.finding.code, lang).into();
        writeln!(out, "{value:#}")?;
    } else {
        write!(out, "{}", human(&bounce, lang))?;
    }
    out.flush()?;
    Ok(())
}

fn human(bounce: &Bounce, lang: Lang) -> String {
    let text = |key: Label| label(key, lang);
    let mut out = String::new();
    out.push_str(&messages::message(&bounce.finding, lang));
    out.push_str("\n\n");
    let mut line = |key: Label, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push_str(&format!("  {:<16} {value}\n", text(key)));
        }
    };
    line(
        Label::Category,
        Some(bounce.finding.code.as_str().to_owned()),
    );
    line(
        Label::Kind,
        Some(text(Label::permanence(bounce.permanence)).to_owned()),
    );
    line(Label::ReplyCode, bounce.reply_code.map(|c| c.to_string()));
    line(Label::StatusCode, bounce.status.map(|s| s.to_string()));
    line(Label::Recipient, bounce.recipient.clone());
    line(Label::RemoteServer, bounce.remote_server.clone());
    line(Label::SenderDomain, bounce.sender_domain.clone());
    line(Label::IpAddress, bounce.ip.map(|ip| ip.to_string()));
    line(Label::Recognised, bounce.provider.map(str::to_owned));
    line(Label::ServerSaid, bounce.diagnostic.clone());
    if let Some(hint) = messages::hint(bounce.finding.code, lang) {
        out.push_str(&format!("\n{}: {hint}\n", text(Label::WhatToDo)));
    }
    let next = match &bounce.next_check {
        NextCheck::Domain { domain } => Some(format!("postcheck check {domain}")),
        NextCheck::Server { ip, domain } => Some(format!(
            "postcheck check {} --ip {ip}",
            domain.as_deref().unwrap_or(match lang {
                Lang::De => "<ihre-domain>",
                Lang::En => "<your-domain>",
            })
        )),
        NextCheck::None => None,
    };
    if let Some(next) = next {
        out.push_str(&format!("{}: {next}\n", text(Label::NextStep)));
    }
    out
}
