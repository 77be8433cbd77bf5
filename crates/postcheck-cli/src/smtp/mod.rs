//! `postcheck smtp`: tests outgoing-mail settings as a mail program uses them (the server, the
//! port, the encryption, the login and an optional test mail) and explains each result with
//! the core's `smtp-*` findings, saying who has to act; `--for ADDRESS` adds the settings the
//! address's provider publishes. The connection is `net/smtp.rs`; DNS and HTTPS go through
//! `net/`'s resolver and fetcher.

mod settings;

use crate::net::resolver::Resolver;
use crate::net::smtp::{self as session, Outcome, Target, Trust};
use crate::{args::SecurityArg, args::SmtpArgs};
use anyhow::Context as _;
use postcheck_core::dns::{Answer, Query, RecordData, RecordType};
use postcheck_core::findings::{Finding, Severity};
use postcheck_core::messages::{self, Label, Lang, label};
use postcheck_core::smtp::dialogue::{Credentials, DialogueConfig, SessionReport, TestMail};
use postcheck_core::smtp::explain::{self, Observation, who_acts};
use postcheck_core::smtp::settings::Security;
use std::fmt::Write as _;
use std::io::{self, BufRead as _, Write as _};
use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

/// Runs the subcommand: exit status 0 when nothing is worse than a warning, 1 when a finding
/// is an error, an error (status 2) when the input is unusable or the host could not be looked
/// up.
pub fn run(
    args: SmtpArgs,
    lang: Lang,
    resolver: &Resolver,
    fetcher: &crate::net::fetcher::Fetcher,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(crate::plain)?;
    // The provider's settings go next to a test whose user name is an address, as with --for.
    let settings_for = args.for_address.clone().or_else(|| {
        args.user
            .clone()
            .filter(|user| user.contains('@') && !args.json)
    });
    let settings = match &settings_for {
        Some(address) => Some(runtime.block_on(settings::lookup(address, resolver, fetcher))?),
        None => None,
    };
    let test = match &args.server {
        Some(server) => Some(runtime.block_on(test(&args, server, resolver))?),
        None => None,
    };
    let mut out = io::stdout().lock();
    if args.json {
        let mut value = serde_json::json!({});
        if let Some(test) = &test {
            value = test.json(lang);
        }
        if let Some(settings) = &settings {
            value["settings"] = settings.json(lang);
        }
        writeln!(out, "{value:#}")?;
    } else {
        if let Some(test) = &test {
            write!(out, "{}", test.human(lang, args.transcript))?;
        }
        if let Some(settings) = &settings {
            if test.is_some() {
                writeln!(out)?;
            }
            write!(out, "{}", settings.human(lang))?;
        }
    }
    out.flush()?;
    let errors = test
        .as_ref()
        .is_some_and(|t| t.findings.iter().any(|f| f.severity >= Severity::Error));
    Ok(if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A finished test: what was set, what happened, and the findings.
#[derive(Debug)]
struct Test {
    target: Target,
    security: Security,
    outcome: Outcome,
    findings: Vec<Finding>,
}

async fn test(args: &SmtpArgs, server: &str, resolver: &Resolver) -> anyhow::Result<Test> {
    let (host, port) = parse_server(server)?;
    let security = match (args.security, port) {
        (Some(SecurityArg::Tls), _) | (None, Some(465)) => Security::Tls,
        (Some(SecurityArg::None), _) => Security::Plain,
        (Some(SecurityArg::Starttls), _) | (None, _) => Security::StartTls,
    };
    let port = port.unwrap_or(security.submission_port());
    let target = Target { host, port };
    let config = dialogue_config(args, security)?;
    let trust = Trust::new(args.ca_file.as_deref())?;
    let step_timeout = Duration::from_millis(args.step_timeout_ms.max(1));
    let outcome = match addresses(&target.host, resolver).await? {
        Some(addresses) => {
            session::run(
                &target,
                &addresses,
                config,
                args.ehlo_name.is_some(),
                &trust,
                step_timeout,
            )
            .await?
        }
        None => Outcome {
            address: None,
            observations: vec![Observation::HostNotFound {
                host: target.host.clone(),
            }],
            report: None,
        },
    };
    let findings = explain::explain(&outcome.observations, port, security);
    Ok(Test {
        target,
        security,
        outcome,
        findings,
    })
}

/// `HOST`, `HOST:PORT`, an IPv4 address with or without port, `[IPv6]:PORT` or a bare IPv6
/// address.
fn parse_server(text: &str) -> anyhow::Result<(String, Option<u16>)> {
    let text = text.trim();
    let bad = || anyhow::anyhow!("{text:?} is not a server like smtp.example.com:587");
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok((ip.to_string(), None));
    }
    let (host, port) = match text.strip_prefix('[') {
        Some(rest) => {
            let (ip, after) = rest.split_once(']').ok_or_else(bad)?;
            let ip: IpAddr = ip.parse().map_err(|_| bad())?;
            let port = match after.strip_prefix(':') {
                Some(port) => Some(port),
                None if after.is_empty() => None,
                None => return Err(bad()),
            };
            (ip.to_string(), port)
        }
        None => match text.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (text.to_owned(), None),
        },
    };
    let port = match port {
        Some(port) => Some(
            port.parse::<u16>()
                .ok()
                .filter(|&p| p > 0)
                .ok_or_else(bad)?,
        ),
        None => None,
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '/' || c == '@') {
        return Err(bad());
    }
    Ok((host, port))
}

/// The dialogue's settings from the options; the password from the environment or standard
/// input, never from the command line.
fn dialogue_config(args: &SmtpArgs, security: Security) -> anyhow::Result<DialogueConfig> {
    let mut config = DialogueConfig::new("localhost", security);
    config.allow_plaintext_auth = args.allow_plaintext_auth;
    if let Some(name) = &args.ehlo_name {
        config.ehlo_name = name.clone();
    }
    if let Some(user) = &args.user {
        let password = if let Some(variable) = &args.password_env {
            std::env::var(variable)
                .with_context(|| format!("--password-env {variable}: the variable is not set"))?
        } else {
            let mut line = String::new();
            io::stdin()
                .lock()
                .read_line(&mut line)
                .context("--password-stdin: cannot read standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        };
        config.credentials = Some(Credentials::new(user.clone(), password));
    }
    if let Some(to) = &args.send_test {
        let from = args
            .from
            .clone()
            .or_else(|| args.user.clone().filter(|u| u.contains('@')))
            .context("--send-test needs --from ADDRESS (the user name is not an address)")?;
        let mut mail = test_mail(&from, to);
        if let Some(subject) = &args.subject {
            mail.subject = subject.clone();
        }
        config.test_mail = Some(mail);
    }
    Ok(config)
}

/// The text mail a program's test button sends; date and message ID from the clock.
fn test_mail(from: &str, to: &str) -> TestMail {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let domain = from.rsplit_once('@').map_or("localhost", |(_, d)| d);
    TestMail {
        from: from.to_owned(),
        to: to.to_owned(),
        subject: "postcheck: test mail / Testmail".to_owned(),
        body: "This is a test mail sent by postcheck smtp to check the outgoing-mail settings.\n\
               Dies ist eine Testmail von postcheck smtp zur Prüfung der Postausgangsserver-Einstellungen.\n"
            .to_owned(),
        date: postcheck_core::headers::date::format_date(now.as_secs()),
        message_id: format!(
            "<{}.{}.{}@{domain}>",
            now.as_secs(),
            now.subsec_nanos(),
            std::process::id()
        ),
    }
}

/// The host's addresses (IPv4 first); `None` when the name does not exist or has none; an
/// error when the lookup failed (could not verify, never "no such host").
async fn addresses(host: &str, resolver: &Resolver) -> anyhow::Result<Option<Vec<IpAddr>>> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(Some(vec![ip]));
    }
    let queries = [
        Query::new(host, RecordType::A),
        Query::new(host, RecordType::Aaaa),
    ];
    let mut found = Vec::new();
    let mut failed = false;
    for (_, answer) in resolver.resolve_all(&queries).await {
        match answer {
            Answer::Records { records, .. } => {
                found.extend(records.iter().filter_map(|record| match record {
                    RecordData::A(v4) => Some(IpAddr::V4(*v4)),
                    RecordData::Aaaa(v6) => Some(IpAddr::V6(*v6)),
                    _ => None,
                }));
            }
            Answer::Nxdomain | Answer::Nodata => {}
            Answer::Failed { .. } => failed = true,
        }
    }
    found.sort_by_key(IpAddr::is_ipv6);
    if found.is_empty() && failed {
        anyhow::bail!(
            "{host}: {}",
            messages::ui(messages::UiText::CouldNotVerify, Lang::En)
        );
    }
    Ok((!found.is_empty()).then_some(found))
}

impl Test {
    fn json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "server": self.target.host,
            "port": self.target.port,
            "security": self.security.as_str(),
            "address": self.outcome.address.map(|a| a.to_string()),
            "findings": findings_json(&self.findings, lang),
            "observations": self.outcome.observations,
            "session": self.outcome.report,
        })
    }

    fn human(&self, lang: Lang, transcript: bool) -> String {
        let t = |key: Label| label(key, lang);
        let mut out = String::new();
        let mut line = |key: Label, value: &str| {
            let _ = writeln!(out, "  {:<30} {value}", format!("{}:", t(key)));
        };
        line(
            Label::OutgoingServer,
            &format!(
                "{}:{} ({})",
                self.target.host,
                self.target.port,
                self.security.label()
            ),
        );
        if let Some(address) = self.outcome.address {
            line(Label::ConnectedTo, &address.to_string());
        }
        if let Some(report) = &self.outcome.report {
            session_lines(report, lang, &mut line);
        }
        let _ = writeln!(out, "\n{}", t(Label::Findings));
        for finding in &self.findings {
            let _ = writeln!(
                out,
                "  [{}] {}",
                finding.severity.as_str(),
                messages::message(finding, lang)
            );
            if let Some(hint) = messages::hint(finding.code, lang) {
                let _ = writeln!(out, "      {}: {hint}", t(Label::WhatToDo));
            }
            if let Some(actor) = who_acts(finding.code) {
                let _ = writeln!(
                    out,
                    "      {}: {}",
                    messages::ui(messages::UiText::WhoActs, lang),
                    messages::actor(actor, lang)
                );
            }
        }
        if let Some(report) = self.outcome.report.as_ref().filter(|_| transcript) {
            let _ = writeln!(out, "\n{}", t(Label::Transcript));
            for entry in &report.transcript {
                use postcheck_core::smtp::dialogue::TranscriptLine as L;
                match entry {
                    L::Client(text) => {
                        let _ = writeln!(out, "  C: {text}");
                    }
                    L::Server(text) => {
                        for server_line in text.lines() {
                            let _ = writeln!(out, "  S: {server_line}");
                        }
                    }
                    L::Note(text) => {
                        let _ = writeln!(out, "  -- {text}");
                    }
                }
            }
        }
        out
    }
}

/// The facts of a session: encryption, certificate, AUTH, login and test mail.
fn session_lines(report: &SessionReport, lang: Lang, line: &mut impl FnMut(Label, &str)) {
    let t = |key: Label| label(key, lang);
    match &report.tls {
        Some(tls) => {
            let suite = tls
                .cipher_suite
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default();
            line(Label::Encryption, &format!("{}{suite}", tls.protocol));
            let verdict = if tls.certificate_verified {
                t(Label::CertificateValid).to_owned()
            } else {
                format!(
                    "{} ({})",
                    t(Label::CertificateNotValid),
                    tls.chain_problem.as_deref().unwrap_or("?")
                )
            };
            let expiry = tls
                .certificate_expiry
                .as_deref()
                .map(|e| format!("; {} {e}", t(Label::ValidUntil)))
                .unwrap_or_default();
            line(Label::Certificate, &format!("{verdict}{expiry}"));
        }
        None => line(Label::Encryption, t(Label::NoEncryption)),
    }
    let mechanisms = |c: &postcheck_core::smtp::reply::Capabilities| {
        if c.auth_mechanisms.is_empty() {
            t(Label::NotOffered).to_owned()
        } else {
            c.auth_mechanisms.join(" ")
        }
    };
    if let Some(before) = &report.capabilities_without_tls {
        line(Label::AuthBeforeTls, &mechanisms(before));
    }
    if let Some(after) = &report.capabilities_with_tls {
        line(Label::AuthUnderTls, &mechanisms(after));
    }
    if let Some(user) = &report.auth_user {
        let verdict = match report.auth_succeeded() {
            Some(true) => t(Label::LoginSucceeded),
            Some(false) => t(Label::LoginRefused),
            None => t(Label::LoginNotTried),
        };
        line(Label::Login, &format!("{user}: {verdict}"));
    }
    if let Some(accepted) = report.message_accepted() {
        let verdict = if accepted {
            t(Label::MailAccepted)
        } else {
            t(Label::MailNotAccepted)
        };
        line(Label::TestMail, verdict);
    }
}

/// Findings as JSON with their texts and who acts.
fn findings_json(findings: &[Finding], lang: Lang) -> serde_json::Value {
    findings
        .iter()
        .map(|finding| {
            let mut value = serde_json::to_value(finding).unwrap_or_default();
            value["message"] = messages::message(finding, lang).into();
            if let Some(hint) = messages::hint(finding.code, lang) {
                value["hint"] = hint.into();
            }
            if let Some(actor) = who_acts(finding.code) {
                value["who_acts"] = serde_json::to_value(actor).unwrap_or_default();
            }
            value
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_read_in_every_form() {
        let parse = |text: &str| parse_server(text).ok();
        assert_eq!(
            parse("smtp.example.com"),
            Some(("smtp.example.com".into(), None))
        );
        assert_eq!(
            parse("SMTP.Example.com.:465"),
            Some(("smtp.example.com".into(), Some(465)))
        );
        assert_eq!(parse("192.0.2.1"), Some(("192.0.2.1".into(), None)));
        assert_eq!(parse("192.0.2.1:25"), Some(("192.0.2.1".into(), Some(25))));
        assert_eq!(parse("2001:db8::1"), Some(("2001:db8::1".into(), None)));
        assert_eq!(
            parse("[2001:db8::1]:587"),
            Some(("2001:db8::1".into(), Some(587)))
        );
        for bad in [
            "",
            "host:0",
            "host:70000",
            "host:x",
            "[::1",
            "[x]:25",
            "a b",
            "u@host",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
