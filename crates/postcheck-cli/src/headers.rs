//! `postcheck headers`: reads pasted headers (or a whole message) and shows the
//! Authentication-Results per method, the DKIM signatures with the check of their key, the
//! alignment DMARC judges, and the Received hops with their delays.

use postcheck_core::headers::{self, Alignment, HeaderReport};
use postcheck_core::messages::Lang;
use std::fmt::Write as _;
use std::process::ExitCode;

/// Runs the subcommand: exit 0 when the input was read, 2 when it could not be.
pub fn run(file: Option<&str>, json: bool, lang: Lang) -> ExitCode {
    let text = match crate::pasted::read(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("postcheck: {}: {error}", file.unwrap_or("-"));
            return ExitCode::from(2);
        }
    };
    let report = headers::analyze(&text);
    if json {
        println!("{:#}", serde_json::to_value(&report).unwrap_or_default());
    } else {
        print!("{}", human(&report, lang));
    }
    ExitCode::SUCCESS
}

fn aligned(alignment: Alignment, de: bool) -> &'static str {
    match (alignment, de) {
        (Alignment::Strict, true) => "ausgerichtet (identisch)",
        (Alignment::Strict, false) => "aligned (identical)",
        (Alignment::Relaxed, true) => "ausgerichtet (gleiche Organisationsdomain, nur relaxed)",
        (Alignment::Relaxed, false) => "aligned (same organizational domain, relaxed only)",
        (Alignment::No, true) => "nicht ausgerichtet",
        (Alignment::No, false) => "not aligned",
    }
}

fn human(report: &HeaderReport, lang: Lang) -> String {
    let de = lang == Lang::De;
    let t = |de_text: &'static str, en_text: &'static str| if de { de_text } else { en_text };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        t(
            "Prüfergebnisse (Authentication-Results)",
            "Authentication results"
        )
    );
    if report.authentication_results.is_empty() {
        let _ = writeln!(out, "  {}", t("keine", "none"));
    }
    for ar in &report.authentication_results {
        let id = if ar.authserv_id.is_empty() {
            "?"
        } else {
            &ar.authserv_id
        };
        for result in &ar.results {
            let _ = write!(out, "  {id}: {}={}", result.method, result.result);
            if let Some(reason) = &result.reason {
                let _ = write!(out, " ({reason})");
            }
            let props: Vec<String> = result
                .properties
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if !props.is_empty() {
                let _ = write!(out, " {}", props.join(" "));
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "\n{}", t("Absender", "Sender"));
    let none = t("nicht angegeben", "not given");
    let _ = writeln!(
        out,
        "  From:        {}",
        report.from_domain.as_deref().unwrap_or(none)
    );
    let _ = writeln!(
        out,
        "  Return-Path: {}",
        report.return_path_domain.as_deref().unwrap_or(none)
    );
    if let Some(alignment) = report.spf_alignment {
        let _ = writeln!(
            out,
            "  SPF (Return-Path ↔ From): {}",
            aligned(alignment, de)
        );
    }
    let _ = writeln!(out, "\n{}", t("DKIM-Signaturen", "DKIM signatures"));
    if report.dkim_signatures.is_empty() {
        let _ = writeln!(out, "  {}", t("keine", "none"));
    }
    for (signature, (_, alignment)) in report.dkim_signatures.iter().zip(&report.dkim_alignment) {
        let _ = writeln!(
            out,
            "  d={} s={}: {}\n    {}: postcheck check {} --dkim-selector {}",
            signature.domain,
            signature.selector,
            aligned(*alignment, de),
            t("Schlüssel prüfen", "check the key"),
            signature.domain,
            signature.selector
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        t(
            "Weg der Nachricht (älteste Station zuerst)",
            "Route (oldest hop first)"
        )
    );
    for (index, hop) in report.hops.iter().enumerate() {
        let delay = hop.delay.map(|d| format!(" (+{d} s)")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}. {} → {}{}",
            index + 1,
            hop.from.as_deref().unwrap_or("?"),
            hop.by.as_deref().unwrap_or("?"),
            delay
        );
    }
    out
}
