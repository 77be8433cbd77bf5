//! `postcheck bounce`: reads a pasted bounce from a file or standard input and explains it —
//! category, hard or soft, the server's answer, and the check to run next.

use postcheck_core::bounce::{self, Bounce, NextCheck, Permanence};
use postcheck_core::messages::{self, Lang};
use std::process::ExitCode;

/// Runs the subcommand: exit 0 when a bounce was read, 2 when the input could not be read.
pub fn run(file: Option<&str>, json: bool, lang: Lang) -> ExitCode {
    // Bytes, not text: a part in Latin-1 or Windows-1252 is decoded by its own charset.
    let bytes = match crate::pasted::read_bytes(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("postcheck: {}: {error}", file.unwrap_or("-"));
            return ExitCode::from(2);
        }
    };
    let bounce = bounce::analyze_bytes(&bytes);
    if json {
        let mut value = serde_json::to_value(&bounce).unwrap_or_default();
        value["code"] = bounce.finding.code.as_str().into();
        value["message"] = messages::message(&bounce.finding, lang).into();
        value["hint"] = messages::hint(bounce.finding.code, lang).into();
        println!("{value:#}");
    } else {
        print!("{}", human(&bounce, lang));
    }
    ExitCode::SUCCESS
}

fn human(bounce: &Bounce, lang: Lang) -> String {
    let de = lang == Lang::De;
    let permanence = match (bounce.permanence, de) {
        (Permanence::Hard, true) => "dauerhaft (Hard Bounce)",
        (Permanence::Hard, false) => "permanent (hard bounce)",
        (Permanence::Soft, true) => "vorübergehend (Soft Bounce)",
        (Permanence::Soft, false) => "temporary (soft bounce)",
        (Permanence::Unknown, true) => "nicht erkennbar",
        (Permanence::Unknown, false) => "not stated",
    };
    let mut out = String::new();
    out.push_str(&messages::message(&bounce.finding, lang));
    out.push_str("\n\n");
    let mut line = |label_de: &str, label_en: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            let label = if de { label_de } else { label_en };
            out.push_str(&format!("  {label:<16} {value}\n"));
        }
    };
    line(
        "Kategorie",
        "Category",
        Some(bounce.finding.code.as_str().to_owned()),
    );
    line("Art", "Kind", Some(permanence.to_owned()));
    line(
        "Antwortcode",
        "Reply code",
        bounce.reply_code.map(|c| c.to_string()),
    );
    line(
        "Statuscode",
        "Status code",
        bounce.status.map(|s| s.to_string()),
    );
    line("Empfänger", "Recipient", bounce.recipient.clone());
    line("Server", "Remote server", bounce.remote_server.clone());
    line(
        "Absenderdomain",
        "Sender domain",
        bounce.sender_domain.clone(),
    );
    line(
        "IP-Adresse",
        "IP address",
        bounce.ip.map(|ip| ip.to_string()),
    );
    line("Erkannt", "Recognised", bounce.provider.map(str::to_owned));
    line("Serverantwort", "Server said", bounce.diagnostic.clone());
    if let Some(hint) = messages::hint(bounce.finding.code, lang) {
        out.push_str(&format!(
            "\n{}: {hint}\n",
            if de { "Was tun" } else { "What to do" }
        ));
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
        out.push_str(&format!(
            "{}: {next}\n",
            if de { "Nächster Schritt" } else { "Next step" }
        ));
    }
    out
}
