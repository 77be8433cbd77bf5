//! `postcheck bounce`: reads a pasted bounce from a file or standard input and explains it —
//! category, hard or soft, the server's answer, and the check to run next.

use postcheck_core::bounce::{self, Bounce, NextCheck};
use postcheck_core::messages::{self, Label, Lang, label};
use std::io::Write as _;

/// Runs the subcommand; an error when the input could not be read (exit status 2) or the
/// output not written.
pub fn run(file: Option<&str>, json: bool, lang: Lang) -> anyhow::Result<()> {
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
            domain.as_deref().unwrap_or("<your-domain>")
        )),
        NextCheck::None => None,
    };
    if let Some(next) = next {
        out.push_str(&format!("{}: {next}\n", text(Label::NextStep)));
    }
    out
}
