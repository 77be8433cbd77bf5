//! `postcheck headers`: reads pasted headers (or a whole message) and shows the
//! Authentication-Results per method, the DKIM signatures with the check of their key, the
//! alignment DMARC judges, and the Received hops with their delays. For a whole message the
//! DKIM signatures are verified (postcheck-dkim-verify) with keys from the resolver; for headers
//! alone each signature says that it cannot be verified without the body.

use crate::net::resolver::Resolver;
use postcheck_core::dns::AnswerCache;
use postcheck_core::findings::Severity;
use postcheck_core::headers::{self, Alignment, HeaderReport};
use postcheck_core::messages::{self, Label, Lang, label};
use postcheck_dkim_verify::SignatureCheck;
use std::fmt::Write as _;
use std::io::Write as _;

/// Runs the subcommand; an error when the input could not be read (exit status 2) or the
/// output not written.
pub fn run(file: Option<&str>, json: bool, lang: Lang, resolver: &Resolver) -> anyhow::Result<()> {
    let text = crate::pasted::read(file)
        .map_err(|error| anyhow::anyhow!("{}: {error}", file.unwrap_or("-")))?;
    let report = headers::analyze(&text);
    let checks = if report.whole_message {
        verify(&text, resolver).map_err(crate::plain)?
    } else {
        // Headers without the body: each signature says it cannot be verified (RFC 6376 §3.7);
        // no key is looked up for that.
        postcheck_dkim_verify::verify(text.as_bytes(), &AnswerCache::new())
    };
    let mut out = std::io::stdout().lock();
    if json {
        let mut value = serde_json::to_value(&report).unwrap_or_default();
        value["dkim_verification"] = checks
            .iter()
            .map(|c| {
                let mut check = serde_json::json!({
                    "domain": c.domain, "selector": c.selector,
                    "result": c.result, "reason": c.reason,
                });
                if let Some(length) = c.body_length {
                    check["body_length"] = serde_json::json!({
                        "signed": length.signed, "body": length.body,
                        "unsigned": length.unsigned(),
                    });
                }
                if !c.findings.is_empty() {
                    check["findings"] = serde_json::to_value(&c.findings).unwrap_or_default();
                }
                check
            })
            .collect();
        writeln!(out, "{value:#}")?;
    } else {
        write!(out, "{}", human(&report, lang))?;
        write!(out, "{}", verification(&checks, report.whole_message, lang))?;
    }
    out.flush()?;
    Ok(())
}

/// Fetches the signatures' keys and verifies them.
fn verify(text: &str, resolver: &Resolver) -> std::io::Result<Vec<SignatureCheck>> {
    let queries = postcheck_dkim_verify::key_queries(text.as_bytes());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut answers = AnswerCache::new();
    for (query, answer) in runtime.block_on(resolver.resolve_all(&queries)) {
        answers.insert(query, answer);
    }
    Ok(postcheck_dkim_verify::verify(text.as_bytes(), &answers))
}

fn verification(checks: &[SignatureCheck], whole: bool, lang: Lang) -> String {
    let mut out = String::new();
    if !whole && checks.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n{}", label(Label::DkimVerification, lang));
    if checks.is_empty() {
        let _ = writeln!(out, "  {}", label(Label::NoSignature, lang));
    }
    for check in checks {
        let _ = write!(
            out,
            "  d={} s={}: {} – {}",
            check.domain,
            check.selector,
            check.result,
            label(Label::dkim_result(check.result), lang)
        );
        if let Some(reason) = &check.reason {
            let _ = write!(out, " ({reason})");
        }
        out.push('\n');
        for finding in &check.findings {
            let _ = writeln!(out, "    {}", messages::message(finding, lang));
        }
    }
    out
}

fn human(report: &HeaderReport, lang: Lang) -> String {
    let t = |key: Label| label(key, lang);
    let aligned = |alignment: Alignment| t(Label::alignment(alignment));
    let mut out = String::new();
    let _ = writeln!(out, "{}", t(Label::AuthenticationResults));
    if report.authentication_results.is_empty() {
        let _ = writeln!(out, "  {}", t(Label::NoneFound));
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
        // Where the header does not follow RFC 8601 §2.2 (tolerated provider forms stay quiet).
        for finding in ar
            .diagnostics
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
        {
            let _ = writeln!(out, "  ! {}", messages::message(finding, lang));
        }
    }
    let _ = writeln!(out, "\n{}", t(Label::Sender));
    let none = t(Label::NotGiven);
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
        let _ = writeln!(out, "  {}: {}", t(Label::SpfAlignment), aligned(alignment));
    }
    let _ = writeln!(out, "\n{}", t(Label::DkimSignatures));
    if report.dkim_signatures.is_empty() {
        let _ = writeln!(out, "  {}", t(Label::NoneFound));
    }
    for (signature, (_, alignment)) in report.dkim_signatures.iter().zip(&report.dkim_alignment) {
        let _ = writeln!(
            out,
            "  d={} s={}: {}\n    {}: postcheck check {} --dkim-selector {}",
            signature.domain,
            signature.selector,
            aligned(*alignment),
            t(Label::CheckTheKey),
            signature.domain,
            signature.selector
        );
    }
    let _ = writeln!(out, "\n{}", t(Label::Route));
    if report.hops.is_empty() {
        let _ = writeln!(out, "  {}", t(Label::NoneFound));
    }
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
