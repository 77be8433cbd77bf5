//! What a test of outgoing-mail settings observed, explained as findings: wrong port and
//! encryption, blocked ports, certificates, login, sender, relay and rate limits, and what passed.
//!
//! The input is a list of [`Observation`]s in the order a driver made them, whatever carried out
//! the SMTP dialogue; [`explain`] turns them, with the port and encryption that were set, into
//! `smtp-*` findings (their texts live in `messages/smtp.rs`). Server replies are classified by
//! their reply code, enhanced status code (RFC 3463) and wording, so a driver may report any
//! refusal at `AUTH` as [`Observation::AuthFailed`] and still get "SMTP AUTH is disabled" for
//! Microsoft 365's 5.7.139. A timeout is never "wrong settings", unless the port says so (port 25,
//! or no greeting on 465 without TLS).

use super::dialogue::{SessionEnd, SessionReport, Step};
use super::reply::{MAX_LINE_LENGTH, Reply, ReplyReader, enhanced_status_prefix};
use super::settings::Security;
pub use crate::actions::Actor;
use crate::bounce::Status;
use crate::findings::{Code, Finding, Severity};
use serde::{Deserialize, Serialize};

/// The longest reply text kept, in characters.
const MAX_REPLY_CHARS: usize = 400;
/// The most observations explained; the rest are ignored.
const MAX_OBSERVATIONS: usize = 64;
/// The most certificate names listed.
const MAX_NAMES: usize = 8;

/// A server reply as observed: the reply code, the enhanced status code if the text starts with
/// one (RFC 2034 §4, RFC 3463 §2), and the text after it, all lines joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerReply {
    /// The three-digit reply code.
    pub code: u16,
    /// The enhanced status code.
    pub status: Option<Status>,
    /// The text, without the codes, lines joined by spaces.
    pub text: String,
}

impl From<&Reply> for ServerReply {
    /// A reply as the dialogue read it (`reply.rs`): its enhanced status code once, its lines'
    /// texts joined by spaces and capped.
    fn from(reply: &Reply) -> ServerReply {
        ServerReply {
            code: reply.code,
            status: reply.enhanced_status,
            text: cap(&reply.text()),
        }
    }
}

impl ServerReply {
    /// A reply from its code and text; an enhanced status code at the start of `text` is read
    /// off into [`ServerReply::status`].
    pub fn new(code: u16, text: &str) -> ServerReply {
        let (status, rest) = match enhanced_status_prefix(text.trim()) {
            Some((status, rest)) => (Some(status), rest),
            None => (None, text.trim()),
        };
        ServerReply {
            code,
            status,
            text: cap(rest),
        }
    }

    /// Reads a reply as the server sent it, one line or several (`534-5.7.9 Application-specific
    /// password required. Learn more at\r\n534 5.7.9  https://…`); `None` when the first line
    /// does not start with a three-digit code. The enhanced status code repeated on each line
    /// is kept once.
    pub fn parse(raw: &str) -> Option<ServerReply> {
        // The lines as `reply.rs` reads them off the wire, each ended as a server ends it.
        let mut reader = ReplyReader::new();
        for line in raw.lines().map(str::trim).filter(|line| !line.is_empty()) {
            // Pasted text may hold longer lines than a server may send; the text is capped
            // anyway, so each is cut to what the reader takes.
            let mut end = line.len().min(MAX_LINE_LENGTH - 2);
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            reader.push(&line.as_bytes()[..end]);
            reader.push(b"\r\n");
        }
        let reply = reader.next_reply()?.ok()?;
        Some(ServerReply::from(&reply))
    }

    /// The reply as shown in a finding: `535 5.7.8 Error: authentication failed`.
    pub fn shown(&self) -> String {
        let mut shown = self.code.to_string();
        if let Some(status) = self.status {
            shown.push_str(&format!(" {status}"));
        }
        if !self.text.is_empty() {
            shown.push(' ');
            shown.push_str(&self.text);
        }
        shown
    }

    fn is_transient(&self) -> bool {
        self.code / 100 == 4
    }

    fn status_is(&self, subject: u16, detail: u16) -> bool {
        self.status
            .is_some_and(|status| status.subject == subject && status.detail == detail)
    }

    fn says(&self, phrases: &[&str]) -> bool {
        let text = self.text.to_ascii_lowercase();
        phrases.iter().any(|phrase| text.contains(phrase))
    }
}

/// At most [`MAX_REPLY_CHARS`] characters, control characters replaced by spaces.
fn cap(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.trim();
    if text.chars().count() <= MAX_REPLY_CHARS {
        return text.to_owned();
    }
    let mut capped: String = text.chars().take(MAX_REPLY_CHARS).collect();
    capped.push('…');
    capped
}

/// A TLS protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsVersion {
    /// SSL 3.0.
    Ssl3,
    /// TLS 1.0.
    Tls10,
    /// TLS 1.1.
    Tls11,
    /// TLS 1.2.
    Tls12,
    /// TLS 1.3.
    Tls13,
}

impl TlsVersion {
    /// The version as people write it: `TLS 1.2`.
    pub fn label(self) -> &'static str {
        match self {
            TlsVersion::Ssl3 => "SSL 3.0",
            TlsVersion::Tls10 => "TLS 1.0",
            TlsVersion::Tls11 => "TLS 1.1",
            TlsVersion::Tls12 => "TLS 1.2",
            TlsVersion::Tls13 => "TLS 1.3",
        }
    }

    /// Reads the names TLS libraries use (`TLSv1.3`, `TLS 1.2`, `TLSv1_2`, `SSLv3`).
    pub fn parse(text: &str) -> Option<TlsVersion> {
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '.' | 'v' | 'V'))
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match compact.as_str() {
            "ssl3" | "ssl30" => TlsVersion::Ssl3,
            "tls1" | "tls10" => TlsVersion::Tls10,
            "tls11" => TlsVersion::Tls11,
            "tls12" => TlsVersion::Tls12,
            "tls13" => TlsVersion::Tls13,
            _ => return None,
        })
    }
}

/// What a driver observed while trying the settings, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Observation {
    /// The server's host name has no address (NXDOMAIN or no A/AAAA).
    HostNotFound {
        /// The host name.
        host: String,
    },
    /// The connection was refused (TCP reset): nothing listens on the port.
    ConnectRefused {
        /// The port.
        port: u16,
    },
    /// The connection got no answer within the driver's time.
    ConnectTimeout {
        /// The port.
        port: u16,
    },
    /// The server closed the connection before its greeting.
    ClosedBeforeGreeting,
    /// No greeting within the driver's time.
    GreetingTimeout,
    /// The server's greeting: `220` to go on, `554` or `421` to refuse.
    Greeting(ServerReply),
    /// The server refused `EHLO`.
    EhloRefused(ServerReply),
    /// The driver spoke plain SMTP and the server expected TLS from the first byte.
    PlaintextOnTlsPort,
    /// The driver started TLS at once and the server spoke plain SMTP (the TLS library's
    /// "wrong version number").
    TlsOnStartTlsPort,
    /// The TLS handshake failed for another reason.
    TlsHandshakeFailed {
        /// The TLS library's words.
        reason: String,
    },
    /// A TLS client that checks certificates refused the server's TLS and did not say why
    /// (Cloudflare's sockets end such a connection without a reason).
    TlsNotAccepted,
    /// The TLS handshake completed.
    TlsEstablished {
        /// The negotiated version, where the driver's TLS library tells it (Cloudflare's
        /// sockets do not).
        version: Option<TlsVersion>,
    },
    /// The certificate is for other names than the host connected to.
    CertificateNameMismatch {
        /// The host name in the settings.
        host: String,
        /// The names the certificate is for.
        names: Vec<String>,
    },
    /// The certificate has expired.
    CertificateExpired {
        /// When it expired, as the driver shows it (`2024-05-01`).
        not_after: String,
    },
    /// The certificate does not chain to a trusted authority.
    CertificateUntrusted {
        /// The TLS library's words (`self-signed certificate`).
        reason: String,
    },
    /// The server offers `STARTTLS` (noted also when the settings do not use it).
    StartTlsOffered,
    /// STARTTLS was to be used but the server does not offer it.
    StartTlsNotOffered,
    /// The server refused `STARTTLS`.
    StartTlsRefused(ServerReply),
    /// The server offers no `AUTH`; `after_tls` whether that was over TLS.
    AuthNotOffered {
        /// Whether the connection had TLS when the server said so.
        after_tls: bool,
    },
    /// The server offers `AUTH` only after `STARTTLS`.
    AuthOnlyAfterTls,
    /// The server refused the login.
    AuthFailed(ServerReply),
    /// The server accepted the login.
    AuthAccepted,
    /// The server refused `MAIL FROM`.
    SenderRefused(ServerReply),
    /// The server refused `RCPT TO`.
    RecipientRefused(ServerReply),
    /// The server refused to relay (the driver recognized it as such).
    RelayDenied(ServerReply),
    /// The server limits the rate (the driver recognized it as such).
    RateLimited(ServerReply),
    /// The server refused `DATA` or the message.
    MessageRefused(ServerReply),
    /// The server took the test mail (`250` after the message).
    Accepted(ServerReply),
    /// The connection closed or timed out in the middle of the dialogue.
    ConnectionLost {
        /// Where.
        step: Step,
    },
}

impl Observation {
    /// What a dialogue saw, from its [`SessionReport`], in the order it happened: the
    /// greeting, the TLS session, what `EHLO` offered, the login and the test mail, and how
    /// the dialogue ended. What only the driver knows (the host's address, the TCP connect,
    /// the certificate's problems) it adds itself.
    pub fn from_session(report: &SessionReport) -> Vec<Observation> {
        use Observation as O;
        let mut observations = Vec::new();
        let tls_first = report.security == Security::Tls;
        let tls = report.tls.as_ref().map(|info| O::TlsEstablished {
            // A version the driver does not name is unknown: no "outdated" finding on a guess.
            version: TlsVersion::parse(&info.protocol),
        });
        if tls_first {
            observations.extend(tls.clone());
        }
        if let Some(greeting) = &report.greeting {
            observations.push(O::Greeting(greeting.into()));
        }
        if let Some(refused) = &report.ehlo_refused {
            observations.push(O::EhloRefused(refused.into()));
        }
        if report
            .capabilities_without_tls
            .as_ref()
            .is_some_and(|c| c.starttls)
        {
            observations.push(O::StartTlsOffered);
        }
        if report.starttls_not_offered {
            observations.push(O::StartTlsNotOffered);
        }
        if let Some(reply) = report.starttls_reply.as_ref().filter(|r| r.code != 220) {
            observations.push(O::StartTlsRefused(reply.into()));
        }
        if !tls_first {
            observations.extend(tls);
        }
        if report.auth_only_after_tls() == Some(true) {
            observations.push(O::AuthOnlyAfterTls);
        }
        // RFC 4954 §3: AUTH is announced in the reply to EHLO; the last one read counts.
        let last_capabilities = if report.tls.is_some() {
            report.capabilities_with_tls.as_ref()
        } else {
            report.capabilities_without_tls.as_ref()
        };
        // With STARTTLS set, the EHLO before TLS says nothing about AUTH (RFC 3207 §4.2: the
        // server may offer it only after): without TLS, AUTH was never reached.
        let auth_reached = report.security != Security::StartTls || report.tls.is_some();
        if auth_reached && last_capabilities.is_some_and(|c| !c.offers_auth()) {
            observations.push(O::AuthNotOffered {
                after_tls: report.tls.is_some(),
            });
        }
        if let Some(attempt) = report.auth_attempts.last() {
            observations.push(if attempt.reply.is_positive() {
                O::AuthAccepted
            } else {
                O::AuthFailed((&attempt.reply).into())
            });
        }
        if let Some(reply) = refused(&report.mail_from) {
            observations.push(O::SenderRefused(reply.into()));
        }
        if let Some(reply) = refused(&report.rcpt_to) {
            observations.push(O::RecipientRefused(reply.into()));
        }
        // RFC 5321 §4.3.2: DATA is answered 354, "start mail input".
        if let Some(reply) = report.data.as_ref().filter(|r| r.code >= 400) {
            observations.push(O::MessageRefused(reply.into()));
        }
        match &report.message {
            Some(reply) if reply.is_positive() => observations.push(O::Accepted(reply.into())),
            Some(reply) => observations.push(O::MessageRefused(reply.into())),
            None => {}
        }
        match &report.end {
            None | Some(SessionEnd::Completed) => {}
            Some(SessionEnd::TlsFailed { reason }) => {
                observations.push(O::TlsHandshakeFailed {
                    reason: reason.clone(),
                });
            }
            Some(SessionEnd::TimedOut {
                step: Step::Greeting,
            }) if report.greeting.is_none() => observations.push(O::GreetingTimeout),
            Some(SessionEnd::ClosedEarly {
                step: Step::Greeting,
            }) if report.greeting.is_none() => observations.push(O::ClosedBeforeGreeting),
            Some(SessionEnd::TimedOut {
                step: Step::TlsHandshake,
            }) => observations.push(O::TlsHandshakeFailed {
                reason: "timed out".to_owned(),
            }),
            // After QUIT nothing is lost.
            Some(
                SessionEnd::TimedOut { step: Step::Quit }
                | SessionEnd::ClosedEarly { step: Step::Quit },
            ) => {}
            Some(
                SessionEnd::TimedOut { step }
                | SessionEnd::ClosedEarly { step }
                | SessionEnd::MalformedReply { step, .. }
                | SessionEnd::UnexpectedReply { step, .. },
            ) => observations.push(O::ConnectionLost { step: *step }),
        }
        observations
    }
}

/// The reply if it refused.
fn refused(reply: &Option<Reply>) -> Option<&Reply> {
    reply.as_ref().filter(|r| !r.is_positive())
}

/// Who acts on an `smtp-*` code; `None` for the codes that need no action and for other
/// families.
pub fn who_acts(code: Code) -> Option<Actor> {
    use Code::*;
    Some(match code {
        SmtpHostUnknown
        | SmtpConnectRefused
        | SmtpConnectTimeout
        | SmtpPort25Blocked
        | SmtpPort25Used
        | SmtpPlaintextOnTlsPort
        | SmtpTlsOnStarttlsPort
        | SmtpCertificateNameMismatch
        | SmtpStarttlsNotOffered
        | SmtpUnencrypted
        | SmtpAuthNotOffered
        | SmtpAuthRequired
        | SmtpAuthFailed
        | SmtpM365AuthDisabled
        | SmtpAppPasswordRequired
        | SmtpSenderRefused
        | SmtpRelayDenied
        | SmtpRecipientRefused
        | SmtpRateLimited
        | SmtpTemporaryFailure
        | SmtpConnectionLost
        | SmtpNoGreeting => Actor::Customer,
        SmtpConnectionRejected
        | SmtpTlsOutdated
        | SmtpCertificateExpired
        | SmtpCertificateUntrusted
        | SmtpTlsNotAccepted
        | SmtpStarttlsRefused
        | SmtpMessageRefused => Actor::MailProvider,
        SmtpTlsFailed => Actor::Vendor,
        _ => return None,
    })
}

/// How far the test got, for `smtp-ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reached {
    Nothing,
    Connect,
    Auth,
    Mail,
}

/// The findings for what a test of the settings observed, with the `port` and `security` that
/// were set. Every finding carries `port` and `security`; a refusal carries the server's
/// `reply`. `smtp-ok` comes last, when nothing was worse than info.
pub fn explain(observations: &[Observation], port: u16, security: Security) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    let base = |code: Code| {
        Finding::new(code)
            .with("port", port)
            .with("security", security.label())
    };
    let mut tls = None;
    let mut tls_seen = false;
    let mut starttls_offered = false;
    let mut auth_tried = false;
    let mut reached = Reached::Nothing;
    let tls_port_without_tls = port == 465 && security != Security::Tls;

    for observation in observations.iter().take(MAX_OBSERVATIONS) {
        use Observation as O;
        let finding = match observation {
            O::HostNotFound { host } => base(Code::SmtpHostUnknown).with("host", cap(host)),
            O::ConnectRefused { port } => base(Code::SmtpConnectRefused).with("port", port),
            O::ConnectTimeout { port: 25 } => base(Code::SmtpPort25Blocked).with("port", 25),
            O::ConnectTimeout { port } => base(Code::SmtpConnectTimeout).with("port", port),
            O::PlaintextOnTlsPort => base(Code::SmtpPlaintextOnTlsPort),
            O::ClosedBeforeGreeting | O::GreetingTimeout if tls_port_without_tls => {
                base(Code::SmtpPlaintextOnTlsPort)
            }
            O::ClosedBeforeGreeting => base(Code::SmtpNoGreeting).with("reason", "closed"),
            O::GreetingTimeout => base(Code::SmtpNoGreeting).with("reason", "timeout"),
            O::Greeting(reply) if reply.code / 100 == 2 => {
                reached = reached.max(Reached::Connect);
                continue;
            }
            O::Greeting(reply) | O::EhloRefused(reply) => refusal(reply, Step::Greeting)
                .unwrap_or_else(|| reply_finding(Code::SmtpConnectionRejected, reply)),
            O::TlsOnStartTlsPort => base(Code::SmtpTlsOnStarttlsPort),
            O::TlsHandshakeFailed { .. }
                if security == Security::Tls && matches!(port, 25 | 587) =>
            {
                base(Code::SmtpTlsOnStarttlsPort)
            }
            O::TlsHandshakeFailed { reason } => {
                base(Code::SmtpTlsFailed).with("reason", cap(reason))
            }
            O::TlsNotAccepted if security == Security::Tls && matches!(port, 25 | 587) => {
                base(Code::SmtpTlsOnStarttlsPort)
            }
            O::TlsNotAccepted => base(Code::SmtpTlsNotAccepted),
            O::TlsEstablished { version } => {
                tls = *version;
                tls_seen = true;
                match version {
                    Some(version) if *version < TlsVersion::Tls12 => {
                        base(Code::SmtpTlsOutdated).with("version", version.label())
                    }
                    _ => continue,
                }
            }
            O::CertificateNameMismatch { host, names } => {
                let mut shown: Vec<String> = names.iter().take(MAX_NAMES).map(|n| cap(n)).collect();
                if names.len() > MAX_NAMES {
                    shown.push("…".to_owned());
                }
                base(Code::SmtpCertificateNameMismatch)
                    .with("host", cap(host))
                    .with("names", shown.join(", "))
            }
            O::CertificateExpired { not_after } => {
                base(Code::SmtpCertificateExpired).with("not_after", cap(not_after))
            }
            O::CertificateUntrusted { reason } => {
                base(Code::SmtpCertificateUntrusted).with("reason", cap(reason))
            }
            O::StartTlsOffered => {
                starttls_offered = true;
                continue;
            }
            O::StartTlsNotOffered => base(Code::SmtpStarttlsNotOffered),
            O::StartTlsRefused(reply) => {
                let finding = reply_finding(Code::SmtpStarttlsRefused, reply);
                if reply.is_transient() {
                    finding.with_severity(Severity::Warning)
                } else {
                    finding
                }
            }
            O::AuthNotOffered { after_tls } => {
                base(Code::SmtpAuthNotOffered).with("after_tls", after_tls)
            }
            O::AuthOnlyAfterTls => {
                starttls_offered = true;
                base(Code::SmtpAuthAfterTls)
            }
            O::AuthFailed(reply) => {
                auth_tried = true;
                refusal(reply, Step::Auth)
                    .unwrap_or_else(|| reply_finding(Code::SmtpAuthFailed, reply))
            }
            O::AuthAccepted => {
                auth_tried = true;
                reached = reached.max(Reached::Auth);
                continue;
            }
            O::SenderRefused(reply) => refusal(reply, Step::MailFrom)
                .unwrap_or_else(|| reply_finding(Code::SmtpSenderRefused, reply)),
            O::RecipientRefused(reply) => refusal(reply, Step::RcptTo)
                .unwrap_or_else(|| reply_finding(Code::SmtpRecipientRefused, reply)),
            O::RelayDenied(reply) => reply_finding(Code::SmtpRelayDenied, reply),
            O::RateLimited(reply) => rate_limited(reply),
            O::MessageRefused(reply) => refusal(reply, Step::Message)
                .unwrap_or_else(|| reply_finding(Code::SmtpMessageRefused, reply)),
            O::Accepted(_) => {
                reached = Reached::Mail;
                continue;
            }
            O::ConnectionLost {
                step: Step::Greeting,
            } if tls_port_without_tls => base(Code::SmtpPlaintextOnTlsPort),
            O::ConnectionLost {
                step: Step::Greeting,
            } => base(Code::SmtpNoGreeting).with("reason", "closed"),
            O::ConnectionLost { step } => base(Code::SmtpConnectionLost).with("step", step.label()),
        };
        let mut finding = finding;
        finding
            .params
            .entry("port".to_owned())
            .or_insert_with(|| port.to_string());
        finding
            .params
            .entry("security".to_owned())
            .or_insert_with(|| security.label().to_owned());
        push(&mut findings, finding);
    }

    // No encryption set: the password and the mail cross the network readable (RFC 8314 §4.1),
    // unless the server already said it wants TLS (a finding of the same code).
    let unencrypted = security == Security::Plain
        && !tls_seen
        && reached >= Reached::Connect
        && !findings.iter().any(|f| f.code == Code::SmtpUnencrypted);
    if unencrypted {
        let mut finding = base(Code::SmtpUnencrypted);
        if starttls_offered {
            finding = finding.with("starttls", "offered");
        }
        if auth_tried {
            finding = finding.with_severity(Severity::Error);
        }
        push(&mut findings, finding);
    }
    if port == 25 && reached >= Reached::Connect {
        push(&mut findings, base(Code::SmtpPort25Used));
    }
    let clean = findings.iter().all(|f| f.severity <= Severity::Info);
    if clean && reached >= Reached::Connect && security != Security::Plain {
        let reached = match reached {
            Reached::Mail => "mail",
            Reached::Auth => "auth",
            _ => "connect",
        };
        let tls = tls.map_or("TLS", TlsVersion::label);
        findings.push(base(Code::SmtpOk).with("reached", reached).with("tls", tls));
    }
    findings
}

/// Adds `finding` unless the same one is there already.
fn push(findings: &mut Vec<Finding>, finding: Finding) {
    if !findings.contains(&finding) {
        findings.push(finding);
    }
}

/// A finding that shows the server's reply.
fn reply_finding(code: Code, reply: &ServerReply) -> Finding {
    Finding::new(code).with("reply", reply.shown())
}

fn rate_limited(reply: &ServerReply) -> Finding {
    let finding = reply_finding(Code::SmtpRateLimited, reply);
    if reply.code / 100 == 5 {
        finding.with_severity(Severity::Error)
    } else {
        finding
    }
}

/// The finding a refusal's wording or codes call for, whatever step it came at; `None` when
/// nothing beyond the step's own code fits.
fn refusal(reply: &ServerReply, step: Step) -> Option<Finding> {
    if let Some(reason) = microsoft_365_auth(reply) {
        return Some(reply_finding(Code::SmtpM365AuthDisabled, reply).with("reason", reason));
    }
    if is_app_password(reply) {
        return Some(reply_finding(Code::SmtpAppPasswordRequired, reply));
    }
    if is_tls_required(reply) {
        return Some(
            reply_finding(Code::SmtpUnencrypted, reply)
                .with("starttls", "required")
                .with_severity(Severity::Error),
        );
    }
    if is_auth_required(reply) {
        return Some(reply_finding(Code::SmtpAuthRequired, reply));
    }
    if is_relay_denied(reply) {
        return Some(reply_finding(Code::SmtpRelayDenied, reply));
    }
    if is_rate_limit(reply) {
        return Some(rate_limited(reply));
    }
    if reply.is_transient() {
        return Some(reply_finding(Code::SmtpTemporaryFailure, reply).with("step", step.label()));
    }
    if matches!(step, Step::RcptTo | Step::Message) && is_sender_refused(reply) {
        return Some(reply_finding(Code::SmtpSenderRefused, reply));
    }
    None
}

/// Microsoft 365's refusals of SMTP AUTH, by its documented texts: "5.7.139 Authentication
/// unsuccessful, SmtpClientAuthentication is disabled for the Tenant", "... user is locked by
/// your organization's security defaults policy", "... the request did not meet the criteria
/// to be authenticated successfully", and "530 5.7.57 Client not authenticated to send mail"
/// (MAIL FROM without a login). "5.7.139 ... the user credentials were incorrect" is a wrong
/// password, not this.
fn microsoft_365_auth(reply: &ServerReply) -> Option<&'static str> {
    if reply.status_is(7, 57)
        || reply.says(&[
            "client not authenticated to send",
            "not authenticated to send anonymous mail",
        ])
    {
        return Some("not-authenticated");
    }
    if reply.says(&["smtpclientauthentication is disabled"]) {
        return Some("disabled");
    }
    if reply.status_is(7, 139) {
        if reply.says(&["credentials were incorrect"]) {
            return None;
        }
        if reply.says(&["security defaults"]) {
            return Some("security-defaults");
        }
        return Some("policy");
    }
    None
}

/// Google's "534-5.7.9 Application-specific password required" (RFC 4954 §6 gives 534 5.7.9
/// "Authentication mechanism is too weak").
fn is_app_password(reply: &ServerReply) -> bool {
    (reply.code == 534 && reply.status_is(7, 9))
        || reply.says(&[
            "application-specific password",
            "app password",
            "app-specific password",
            "invalidsecondfactor",
        ])
}

/// "530 5.7.0 Must issue a STARTTLS command first", 538 / 5.7.11 "Encryption required for
/// requested authentication mechanism" (RFC 4954 §6), 5.7.10 "Encryption needed".
fn is_tls_required(reply: &ServerReply) -> bool {
    reply.code == 538
        || reply.status_is(7, 10)
        || reply.status_is(7, 11)
        || (reply.says(&["starttls"]) && (reply.code == 530 || reply.status_is(7, 0)))
        || reply.says(&[
            "encryption required",
            "tls required",
            "requires tls",
            "must use tls",
            "ssl required",
        ])
}

/// RFC 6409 §4.3 / RFC 4954 §6: "530 5.7.0 Authentication required", and the wordings servers
/// use for it (Postfix's "Sender address rejected: not logged in").
fn is_auth_required(reply: &ServerReply) -> bool {
    reply.code == 530
        || reply.says(&[
            "authentication required",
            "authentication is required",
            "auth required",
            "must authenticate",
            "please authenticate",
            "not logged in",
            "login required",
            "smtp auth required",
        ])
}

/// "554 5.7.1 <x@y>: Relay access denied" (Postfix), "Relaying denied", "Unable to relay"
/// (Microsoft's 5.7.54), "relay not permitted".
fn is_relay_denied(reply: &ServerReply) -> bool {
    reply.status_is(7, 54)
        || (reply.says(&["relay"])
            && reply.says(&[
                "denied",
                "not permitted",
                "not allowed",
                "unable to relay",
                "prohibited",
                "refused",
                "not authorized",
                "not authorised",
                "disallowed",
            ]))
}

/// Rate and volume limits: 452 4.5.3 "Too many recipients", 421 4.7.x, and the wordings of
/// limits and quotas; never a full mailbox (x.2.2).
fn is_rate_limit(reply: &ServerReply) -> bool {
    if reply.status_is(2, 2) || reply.says(&["mailbox full", "mailbox is full", "over quota"]) {
        return false;
    }
    (reply.code == 452 && reply.status_is(5, 3))
        || (reply.code == 421 && reply.status.is_some_and(|s| s.subject == 7))
        || reply.status_is(4, 5)
        || reply.says(&[
            "rate limit",
            "ratelimit",
            "rate-limit",
            "too many",
            "throttl",
            "quota exceeded",
            "limit exceeded",
            "sending limit",
            "sending quota",
            "exceeded the rate",
            "slow down",
        ])
}

/// The sender refused: x.1.7 and x.1.8 (RFC 3463 §3.2), Microsoft's 5.7.60 "SendAsDenied", and
/// Postfix's "Sender address rejected" (which a delayed check gives at RCPT TO).
fn is_sender_refused(reply: &ServerReply) -> bool {
    reply.status_is(1, 7)
        || reply.status_is(1, 8)
        || reply.status_is(7, 60)
        || reply.says(&[
            "sender address rejected",
            "sender rejected",
            "sender refused",
            "not owned by user",
            "sendasdenied",
            "send as this sender",
            "not allowed to send as",
        ])
}

#[cfg(all(test, feature = "smtp"))]
mod tests {
    use super::*;
    use crate::messages::{Lang, message, missing_params};
    use Observation as O;

    fn reply(raw: &str) -> ServerReply {
        ServerReply::parse(raw).unwrap()
    }

    fn codes(observations: &[Observation], port: u16, security: Security) -> Vec<&'static str> {
        explain(observations, port, security)
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    /// Each finding renders completely in both languages.
    fn renders(findings: &[Finding]) {
        for finding in findings {
            for &lang in Lang::ALL {
                assert!(
                    missing_params(finding, lang).is_empty(),
                    "{} {lang:?}: {:?}",
                    finding.code,
                    missing_params(finding, lang)
                );
                assert!(!message(finding, lang).is_empty());
            }
        }
    }

    #[test]
    fn replies_are_read_with_their_codes() {
        let gmail = reply(
            "534-5.7.9 Application-specific password required. Learn more at\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2-20020a05600c4c0200b0040b47c69d08sm1234567wmp.0 - gsmtp\r\n",
        );
        assert_eq!(gmail.code, 534);
        assert_eq!(
            gmail.status.map(|s| s.to_string()).as_deref(),
            Some("5.7.9")
        );
        assert!(gmail.text.starts_with(
            "Application-specific password required. Learn more at https://support.google.com/"
        ));
        let postfix = reply("535 5.7.8 Error: authentication failed: authentication failure");
        assert_eq!(
            postfix.shown(),
            "535 5.7.8 Error: authentication failed: authentication failure"
        );
        assert_eq!(reply("250 OK").status, None);
        assert_eq!(ServerReply::new(535, "5.7.8 bad").shown(), "535 5.7.8 bad");
        for bad in ["", "hello", "12 x", "600 too big", "2500 no"] {
            assert_eq!(ServerReply::parse(bad), None, "{bad:?}");
        }
        let long = reply(&format!("554 {}", "x".repeat(5000)));
        assert_eq!(long.text.chars().count(), MAX_REPLY_CHARS + 1);
        // Lines of another code end the reply.
        assert_eq!(reply("250-a\r\n250 b\r\n354 go").text, "a b");
        assert_eq!(TlsVersion::parse("TLSv1.3"), Some(TlsVersion::Tls13));
        assert_eq!(TlsVersion::parse("TLS 1.0"), Some(TlsVersion::Tls10));
        assert_eq!(TlsVersion::parse("SSLv3"), Some(TlsVersion::Ssl3));
        assert_eq!(TlsVersion::parse("QUIC"), None);
    }

    #[test]
    fn every_observation_maps_to_its_code() {
        use Security::*;
        let r = |raw: &str| reply(raw);
        let cases: Vec<(Observation, u16, Security, &str)> = vec![
            (
                O::HostNotFound {
                    host: "smtp.example.com".into(),
                },
                587,
                StartTls,
                "smtp-host-unknown",
            ),
            (
                O::ConnectRefused { port: 587 },
                587,
                StartTls,
                "smtp-connect-refused",
            ),
            (
                O::ConnectTimeout { port: 587 },
                587,
                StartTls,
                "smtp-connect-timeout",
            ),
            (
                O::ConnectTimeout { port: 25 },
                25,
                StartTls,
                "smtp-port25-blocked",
            ),
            (O::TlsNotAccepted, 465, Tls, "smtp-tls-not-accepted"),
            (O::TlsNotAccepted, 587, StartTls, "smtp-tls-not-accepted"),
            (O::TlsNotAccepted, 587, Tls, "smtp-tls-on-starttls-port"),
            (O::ClosedBeforeGreeting, 587, StartTls, "smtp-no-greeting"),
            (O::GreetingTimeout, 587, StartTls, "smtp-no-greeting"),
            (
                O::GreetingTimeout,
                465,
                StartTls,
                "smtp-plaintext-on-tls-port",
            ),
            (O::GreetingTimeout, 465, Plain, "smtp-plaintext-on-tls-port"),
            (
                O::ClosedBeforeGreeting,
                465,
                Plain,
                "smtp-plaintext-on-tls-port",
            ),
            (
                O::ConnectionLost {
                    step: Step::Greeting,
                },
                465,
                StartTls,
                "smtp-plaintext-on-tls-port",
            ),
            (
                O::ConnectionLost {
                    step: Step::Greeting,
                },
                587,
                StartTls,
                "smtp-no-greeting",
            ),
            (
                O::PlaintextOnTlsPort,
                465,
                StartTls,
                "smtp-plaintext-on-tls-port",
            ),
            (
                O::Greeting(r(
                    "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked",
                )),
                587,
                StartTls,
                "smtp-connection-rejected",
            ),
            (
                O::Greeting(r("421 4.7.0 Too many connections from your IP")),
                587,
                StartTls,
                "smtp-rate-limited",
            ),
            (
                O::Greeting(r("421 Service not available, closing transmission channel")),
                587,
                StartTls,
                "smtp-temporary-failure",
            ),
            (
                O::EhloRefused(r("550 5.7.1 EHLO refused")),
                587,
                StartTls,
                "smtp-connection-rejected",
            ),
            (O::TlsOnStartTlsPort, 587, Tls, "smtp-tls-on-starttls-port"),
            (
                O::TlsHandshakeFailed {
                    reason: "wrong version number".into(),
                },
                587,
                Tls,
                "smtp-tls-on-starttls-port",
            ),
            (
                O::TlsHandshakeFailed {
                    reason: "handshake failure".into(),
                },
                465,
                Tls,
                "smtp-tls-failed",
            ),
            (
                O::TlsEstablished {
                    version: Some(TlsVersion::Tls10),
                },
                465,
                Tls,
                "smtp-tls-outdated",
            ),
            (
                O::CertificateNameMismatch {
                    host: "mail.example.com".into(),
                    names: vec!["smtp.ionos.de".into()],
                },
                465,
                Tls,
                "smtp-certificate-name-mismatch",
            ),
            (
                O::CertificateExpired {
                    not_after: "2024-05-01".into(),
                },
                465,
                Tls,
                "smtp-certificate-expired",
            ),
            (
                O::CertificateUntrusted {
                    reason: "self-signed certificate".into(),
                },
                465,
                Tls,
                "smtp-certificate-untrusted",
            ),
            (
                O::StartTlsNotOffered,
                587,
                StartTls,
                "smtp-starttls-not-offered",
            ),
            (
                O::StartTlsRefused(r("454 4.7.0 TLS not available due to local problem")),
                587,
                StartTls,
                "smtp-starttls-refused",
            ),
            (
                O::AuthNotOffered { after_tls: true },
                587,
                StartTls,
                "smtp-auth-not-offered",
            ),
            (O::AuthOnlyAfterTls, 587, StartTls, "smtp-auth-after-tls"),
            (
                O::AuthFailed(r(
                    "535 5.7.8 Error: authentication failed: authentication failure",
                )),
                587,
                StartTls,
                "smtp-auth-failed",
            ),
            (
                O::AuthFailed(r("454 4.7.0 Temporary authentication failure")),
                587,
                StartTls,
                "smtp-temporary-failure",
            ),
            (
                O::SenderRefused(r("553 5.1.7 The sender address is invalid")),
                587,
                StartTls,
                "smtp-sender-refused",
            ),
            (
                O::SenderRefused(r("530 5.7.0 Authentication required")),
                587,
                StartTls,
                "smtp-auth-required",
            ),
            (
                O::RecipientRefused(r(
                    "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown",
                )),
                587,
                StartTls,
                "smtp-recipient-refused",
            ),
            (
                O::RelayDenied(r("550 5.7.1 Unable to relay")),
                587,
                StartTls,
                "smtp-relay-denied",
            ),
            (
                O::RateLimited(r("452 4.5.3 Too many recipients")),
                587,
                StartTls,
                "smtp-rate-limited",
            ),
            (
                O::MessageRefused(r("554 5.7.1 Message rejected as spam")),
                587,
                StartTls,
                "smtp-message-refused",
            ),
            (
                O::ConnectionLost {
                    step: Step::MailFrom,
                },
                587,
                StartTls,
                "smtp-connection-lost",
            ),
        ];
        for (observation, port, security, code) in cases {
            let findings = explain(std::slice::from_ref(&observation), port, security);
            renders(&findings);
            assert_eq!(
                findings.first().map(|f| f.code.as_str()),
                Some(code),
                "{observation:?} on {port} with {security:?}: {findings:#?}"
            );
        }
    }

    #[test]
    fn microsofts_documented_texts_name_smtp_auth() {
        for (raw, reason) in [
            (
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR02CA0001.eurprd02.prod.outlook.com]",
                "disabled",
            ),
            (
                "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
                "security-defaults",
            ),
            (
                "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
                "policy",
            ),
        ] {
            let findings = explain(&[O::AuthFailed(reply(raw))], 587, Security::StartTls);
            renders(&findings);
            assert_eq!(findings.len(), 1, "{findings:#?}");
            assert_eq!(findings[0].code, Code::SmtpM365AuthDisabled);
            assert_eq!(findings[0].param("reason"), reason);
            assert!(findings[0].param("reply").starts_with("535 5.7.139 "));
        }
        // 5.7.57 at MAIL FROM: no login reached Microsoft 365.
        let findings = explain(
            &[O::SenderRefused(reply(
                "530 5.7.57 Client not authenticated to send mail. [BN1P110CA0052.NAMP110.PROD.OUTLOOK.COM 2023-11-29T14:52:57.126Z 08DBE7319275F6BA]",
            ))],
            587,
            Security::StartTls,
        );
        assert_eq!(findings[0].code, Code::SmtpM365AuthDisabled);
        assert_eq!(findings[0].param("reason"), "not-authenticated");
        // A wrong password at Microsoft is a wrong password.
        let findings = explain(
            &[O::AuthFailed(reply(
                "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.",
            ))],
            587,
            Security::StartTls,
        );
        assert_eq!(findings[0].code, Code::SmtpAuthFailed);
    }

    #[test]
    fn gmail_asks_for_an_app_password() {
        let gmail = reply(
            "534-5.7.9 Application-specific password required. Learn more at\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor 4fb4d7f45d1cf-55-gsmtp",
        );
        let findings = explain(&[O::AuthFailed(gmail)], 587, Security::StartTls);
        renders(&findings);
        assert_eq!(
            findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            [Code::SmtpAppPasswordRequired]
        );
        // Gmail's wrong password stays a wrong password.
        let wrong = reply(
            "535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials",
        );
        assert_eq!(
            codes(&[O::AuthFailed(wrong)], 465, Security::Tls),
            ["smtp-auth-failed"]
        );
    }

    #[test]
    fn postfix_texts_give_the_right_findings() {
        assert_eq!(
            codes(
                &[O::RecipientRefused(reply(
                    "554 5.7.1 <x@y>: Relay access denied"
                ))],
                587,
                Security::StartTls
            ),
            ["smtp-relay-denied"]
        );
        // A relay refusal reported as a refused recipient, a sender check delayed to RCPT TO,
        // a login required at MAIL FROM, and TLS demanded of a plain connection.
        assert_eq!(
            codes(
                &[O::RecipientRefused(reply(
                    "553 5.7.1 <info@example.com>: Sender address rejected: not owned by user bob@example.com"
                ))],
                587,
                Security::StartTls
            ),
            ["smtp-sender-refused"]
        );
        assert_eq!(
            codes(
                &[O::SenderRefused(reply(
                    "553 5.7.1 <info@example.com>: Sender address rejected: not logged in"
                ))],
                587,
                Security::StartTls
            ),
            ["smtp-auth-required"]
        );
        let findings = explain(
            &[
                O::Greeting(reply("220 mail.example.com ESMTP Postfix")),
                O::SenderRefused(reply("530 5.7.0 Must issue a STARTTLS command first")),
            ],
            587,
            Security::Plain,
        );
        renders(&findings);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].code, Code::SmtpUnencrypted);
        assert_eq!(findings[0].param("starttls"), "required");
        assert_eq!(findings[0].severity, Severity::Error);
    }

    #[test]
    fn a_whole_good_session_is_ok() {
        let session = [
            O::Greeting(reply("220 smtp.example.com ESMTP")),
            O::StartTlsOffered,
            O::AuthOnlyAfterTls,
            O::TlsEstablished {
                version: Some(TlsVersion::Tls13),
            },
            O::AuthAccepted,
            O::Accepted(reply("250 2.0.0 Ok: queued as 4Q1x2y")),
        ];
        let findings = explain(&session, 587, Security::StartTls);
        renders(&findings);
        assert_eq!(
            findings.iter().map(|f| f.code).collect::<Vec<_>>(),
            [Code::SmtpAuthAfterTls, Code::SmtpOk]
        );
        let ok = &findings[1];
        assert_eq!(ok.param("reached"), "mail");
        assert_eq!(ok.param("tls"), "TLS 1.3");
        assert_eq!(ok.param("security"), "STARTTLS");
        assert_eq!(
            message(ok, Lang::En),
            "Port 587 with STARTTLS works: the connection is encrypted with TLS 1.3, the login was accepted and the test mail was taken for delivery."
        );
        // Login only, and connecting only.
        let login = explain(&session[..5], 587, Security::StartTls);
        assert_eq!(login.last().unwrap().param("reached"), "auth");
        let connect = explain(&session[..4], 465, Security::Tls);
        assert_eq!(connect.last().unwrap().param("reached"), "connect");
        // A warning spoils "ok"; port 25 that works is noted.
        let old_tls = [
            O::Greeting(reply("220 ok")),
            O::TlsEstablished {
                version: Some(TlsVersion::Tls11),
            },
        ];
        assert_eq!(codes(&old_tls, 465, Security::Tls), ["smtp-tls-outdated"]);
        assert_eq!(
            codes(&session, 25, Security::StartTls),
            ["smtp-auth-after-tls", "smtp-port25-used", "smtp-ok"]
        );
    }

    #[test]
    fn no_encryption_is_a_warning_and_an_error_once_a_password_was_sent() {
        let greeting = O::Greeting(reply("220 mail.example.com"));
        let findings = explain(
            &[greeting.clone(), O::StartTlsOffered],
            587,
            Security::Plain,
        );
        renders(&findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::SmtpUnencrypted);
        assert_eq!(findings[0].param("starttls"), "offered");
        assert_eq!(findings[0].severity, Severity::Warning);
        let findings = explain(&[greeting, O::AuthAccepted], 587, Security::Plain);
        assert_eq!(findings[0].severity, Severity::Error);
        assert_eq!(findings[0].param("starttls"), "");
        // Nothing reached: nothing said about encryption.
        assert!(explain(&[], 587, Security::Plain).is_empty());
    }

    #[test]
    fn timeouts_are_could_not_verify_unless_the_port_says_so() {
        for (observation, port, security, severity) in [
            (
                O::ConnectTimeout { port: 587 },
                587,
                Security::StartTls,
                Severity::Warning,
            ),
            (
                O::GreetingTimeout,
                587,
                Security::StartTls,
                Severity::Warning,
            ),
            (
                O::ConnectionLost { step: Step::Data },
                587,
                Security::StartTls,
                Severity::Warning,
            ),
            (
                O::ConnectTimeout { port: 25 },
                25,
                Security::StartTls,
                Severity::Error,
            ),
            (O::GreetingTimeout, 465, Security::StartTls, Severity::Error),
        ] {
            let findings = explain(std::slice::from_ref(&observation), port, security);
            assert_eq!(findings[0].severity, severity, "{observation:?}");
        }
    }

    #[test]
    fn rate_limits_are_told_apart_from_full_mailboxes() {
        for (raw, code) in [
            ("452 4.5.3 Too many recipients", "smtp-rate-limited"),
            (
                "421 4.7.0 Try again later, closing connection. (MAIL) gsmtp",
                "smtp-rate-limited",
            ),
            (
                "550 5.4.5 Daily user sending limit exceeded.",
                "smtp-rate-limited",
            ),
            (
                "451 4.7.1 Please try again later (greylisted)",
                "smtp-temporary-failure",
            ),
            ("552 5.2.2 Mailbox full", "smtp-recipient-refused"),
        ] {
            let findings = explain(&[O::RecipientRefused(reply(raw))], 587, Security::StartTls);
            renders(&findings);
            assert_eq!(findings[0].code.as_str(), code, "{raw}");
        }
        let daily = explain(
            &[O::SenderRefused(reply(
                "550 5.4.5 Daily user sending quota exceeded.",
            ))],
            587,
            Security::StartTls,
        );
        assert_eq!(daily[0].severity, Severity::Error);
    }

    #[test]
    fn hostile_observations_stay_bounded() {
        let names: Vec<String> = (0..1000).map(|i| format!("n{i}.example")).collect();
        let many = vec![
            O::CertificateNameMismatch {
                host: "h".repeat(10_000),
                names,
            };
            1000
        ];
        let findings = explain(&many, 465, Security::Tls);
        assert_eq!(findings.len(), 1);
        assert!(findings[0].param("names").ends_with(", …"));
        assert!(findings[0].param("host").chars().count() <= MAX_REPLY_CHARS + 1);
        let weird = ServerReply::parse("535 5.7.8\u{0}\u{7}bad\r\n535-5.7.8 more").unwrap();
        assert!(!weird.text.contains('\u{0}'));
    }

    #[test]
    fn observations_travel_as_json() {
        let observations = vec![
            O::Greeting(reply("220 mail.example.com ESMTP")),
            O::TlsEstablished {
                version: Some(TlsVersion::Tls12),
            },
            O::AuthFailed(reply("535 5.7.8 Error: authentication failed")),
            O::ConnectionLost { step: Step::RcptTo },
        ];
        let json = serde_json::to_string(&observations).unwrap();
        assert!(
            json.contains(
                r#"{"kind":"auth-failed","code":535,"status":{"class":5,"subject":7,"detail":8}"#
            ),
            "{json}"
        );
        let back: Vec<Observation> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, observations);
    }

    #[test]
    fn every_smtp_code_has_someone_to_act_or_needs_no_action() {
        for &code in Code::ALL {
            if code.family() != crate::findings::Family::Smtp {
                assert_eq!(who_acts(code), None);
                continue;
            }
            // "ok" and "AUTH after STARTTLS" (the normal case) need nobody.
            let needs_action = !matches!(code, Code::SmtpOk | Code::SmtpAuthAfterTls);
            assert_eq!(who_acts(code).is_some(), needs_action, "{code}");
        }
    }

    /// Runs a dialogue against the server's `replies` (each answering what the client sent
    /// last; `"TLS"` completes the handshake with a verified certificate) and explains what it
    /// saw; `end` is called last (a timeout, a close) when the replies run out early.
    fn session(
        security: Security,
        port: u16,
        replies: &[&str],
        end: impl FnOnce(&mut crate::smtp::dialogue::Dialogue),
    ) -> Vec<&'static str> {
        use crate::smtp::dialogue::{Credentials, Dialogue, DialogueConfig, TestMail, TlsInfo};
        let config = DialogueConfig {
            credentials: Some(Credentials::new("u@example.org", "secret")),
            test_mail: Some(TestMail {
                from: "u@example.org".to_owned(),
                to: "r@example.net".to_owned(),
                subject: "Test".to_owned(),
                body: "Hello".to_owned(),
                date: "Tue, 1 Jul 2025 10:00:00 +0200".to_owned(),
                message_id: "<1@example.org>".to_owned(),
            }),
            ..DialogueConfig::new("client.example.org", security)
        };
        let mut dialogue = Dialogue::new(config).unwrap();
        for &reply in replies {
            while dialogue.poll_transmit().is_some() {}
            if reply == "TLS" {
                dialogue.tls_established(TlsInfo {
                    protocol: "TLSv1.3".to_owned(),
                    cipher_suite: None,
                    certificate_verified: true,
                    certificate_expiry: None,
                    chain_problem: None,
                });
            } else {
                dialogue.handle_input(reply.as_bytes());
            }
        }
        end(&mut dialogue);
        let observations = Observation::from_session(dialogue.report());
        let findings = explain(&observations, port, security);
        renders(&findings);
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    const GREETING: &str = "220 mx.example.org ESMTP\r\n";
    const EHLO_STARTTLS: &str = "250-mx.example.org\r\n250 STARTTLS\r\n";
    const EHLO_AUTH: &str = "250-mx.example.org\r\n250 AUTH PLAIN LOGIN\r\n";

    #[test]
    fn a_dialogue_is_explained_from_its_report() {
        let quit = |d: &mut crate::smtp::dialogue::Dialogue| d.closed();
        // Submission with STARTTLS, AUTH only after it, the mail taken.
        assert_eq!(
            session(
                Security::StartTls,
                587,
                &[
                    GREETING,
                    EHLO_STARTTLS,
                    "220 2.0.0 go ahead\r\n",
                    "TLS",
                    EHLO_AUTH,
                    "235 2.7.0 ok\r\n",
                    "250 2.1.0 ok\r\n",
                    "250 2.1.5 ok\r\n",
                    "354 go\r\n",
                    "250 2.0.0 queued\r\n",
                    "221 bye\r\n",
                ],
                quit,
            ),
            ["smtp-auth-after-tls", "smtp-ok"]
        );
        // Microsoft 365 with SMTP AUTH switched off.
        assert_eq!(
            session(
                Security::StartTls,
                587,
                &[
                    GREETING,
                    EHLO_STARTTLS,
                    "220 go\r\n",
                    "TLS",
                    EHLO_AUTH,
                    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.\r\n",
                    "221 bye\r\n",
                ],
                quit,
            ),
            ["smtp-auth-after-tls", "smtp-m365-auth-disabled"]
        );
        // Plain SMTP on 465: the server waits for TLS, the greeting never comes.
        assert_eq!(
            session(Security::Plain, 465, &[], |d| d.timed_out(Step::Greeting)),
            ["smtp-plaintext-on-tls-port"]
        );
        // STARTTLS wanted, not offered.
        assert_eq!(
            session(
                Security::StartTls,
                587,
                &[GREETING, "250 mx.example.org\r\n", "221 bye\r\n"],
                quit,
            ),
            ["smtp-starttls-not-offered"]
        );
        // The server closes after EHLO: lost at AUTH.
        assert_eq!(
            session(Security::Tls, 465, &["TLS", GREETING, EHLO_AUTH], quit),
            ["smtp-connection-lost"]
        );
        // The relay refused at RCPT TO after a login.
        assert_eq!(
            session(
                Security::Tls,
                465,
                &[
                    "TLS",
                    GREETING,
                    EHLO_AUTH,
                    "235 ok\r\n",
                    "250 ok\r\n",
                    "554 5.7.1 <r@example.net>: Relay access denied\r\n",
                    "221 bye\r\n",
                ],
                quit,
            ),
            ["smtp-relay-denied"]
        );
        // The TLS handshake failed on 587 with implicit TLS: STARTTLS was the right choice.
        assert_eq!(
            session(Security::Tls, 587, &[], |d| d.tls_failed("corrupt message")),
            ["smtp-tls-on-starttls-port"]
        );
    }
}
