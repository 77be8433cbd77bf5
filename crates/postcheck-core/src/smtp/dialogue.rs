//! The client side of `postcheck smtp` as a state machine without I/O: greeting, `EHLO`,
//! `STARTTLS` (RFC 3207) or implicit TLS (RFC 8314), `AUTH` (RFC 4954) and, if asked, a short
//! test mail (RFC 5321 §3.3) and `QUIT`.
//!
//! The driver owns the connection and the TLS library. It hands the server's bytes to
//! [`Dialogue::handle_input`], sends what [`Dialogue::poll_transmit`] returns, reads what
//! happened from [`Dialogue::poll_event`], performs the TLS handshake when the dialogue asks for
//! it ([`Dialogue::wants_tls_handshake`]) and reports it with [`Dialogue::tls_established`], and
//! says when the connection closed or a step's timer ran out. Time, names and message IDs are
//! the driver's inputs; the dialogue draws nothing itself.
//!
//! ```
//! use postcheck_core::smtp::dialogue::{Dialogue, DialogueConfig, Event};
//! use postcheck_core::smtp::settings::Security;
//!
//! let config = DialogueConfig::new("client.example.org", Security::Plain);
//! let mut dialogue = Dialogue::new(config).unwrap();
//! dialogue.handle_input(b"220 mx.example.com ESMTP\r\n");
//! assert_eq!(dialogue.poll_transmit().unwrap(), b"EHLO client.example.org\r\n");
//! assert!(matches!(dialogue.poll_event(), Some(Event::Greeting(reply)) if reply.code == 220));
//! ```
//!
//! The password goes out base64-encoded inside `AUTH` and nowhere else: no event, no error, no
//! `Debug` output and no transcript line holds it.

use super::reply::{AuthMechanism, Capabilities, Reply, ReplyError, ReplyReader};
use super::settings::Security;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;

/// The user name and password to try with `AUTH`, as the driver was given them. Its `Debug`
/// output leaves the password out.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    user: String,
    password: String,
}

impl Credentials {
    /// The user name and password.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            user: user.into(),
            password: password.into(),
        }
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// A short test message to send after `AUTH`. Everything that would need a clock or a random
/// number is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestMail {
    /// The envelope sender and `From:` address.
    pub from: String,
    /// The envelope recipient and `To:` address.
    pub to: String,
    /// The `Subject:` text; encoded per RFC 2047 when it is not short ASCII.
    pub subject: String,
    /// The body text; line ends are made CRLF, and it is sent base64-encoded when it is not
    /// ASCII or has a line over 998 octets (RFC 5322 §2.1.1).
    pub body: String,
    /// The `Date:` field as RFC 5322 §3.3 writes it (`Tue, 1 Jul 2025 10:00:00 +0200`).
    pub date: String,
    /// The `Message-ID:`, with or without its angle brackets (`<abc.123@example.org>`).
    pub message_id: String,
}

/// What the dialogue does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogueConfig {
    /// The name the client gives in `EHLO`: a fully qualified domain name or an address literal
    /// such as `[192.0.2.1]` (RFC 5321 §4.1.1.1).
    pub ehlo_name: String,
    /// How the connection is secured. With [`Security::StartTls`] the dialogue goes no further
    /// than `EHLO` when the server does not offer or refuses `STARTTLS`; with [`Security::Tls`]
    /// the driver does the TLS handshake before the greeting.
    pub security: Security,
    /// The credentials to try with `AUTH`; without them the dialogue only reports what `AUTH`
    /// offers.
    pub credentials: Option<Credentials>,
    /// Sends credentials over a connection without TLS. Off by default: the dialogue then
    /// reports [`Event::AuthSkipped`] with [`AuthSkipped::NoTls`] instead of sending the password in clear text.
    pub allow_plaintext_auth: bool,
    /// The test mail to send; it is sent only when `AUTH` succeeded or no credentials were
    /// given.
    pub test_mail: Option<TestMail>,
}

impl DialogueConfig {
    /// A configuration without credentials or test mail.
    pub fn new(ehlo_name: impl Into<String>, security: Security) -> DialogueConfig {
        DialogueConfig {
            ehlo_name: ehlo_name.into(),
            security,
            credentials: None,
            allow_plaintext_auth: false,
            test_mail: None,
        }
    }
}

/// Why a configuration cannot be used: a value that would break or inject into the SMTP
/// commands or the message's header. No variant holds the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ConfigError {
    /// The `EHLO` name is empty, too long or holds spaces or control characters.
    InvalidEhloName {
        /// The name as given.
        name: String,
    },
    /// An address that is empty, has no `@`, or holds spaces, control characters or angle
    /// brackets.
    InvalidAddress {
        /// `from` or `to`.
        field: String,
        /// The address as given.
        address: String,
    },
    /// A header field value (`date`, `message_id`) that is empty or holds control characters.
    InvalidHeaderValue {
        /// `date` or `message_id`.
        field: String,
    },
    /// The user name or password holds a NUL character, which SASL PLAIN cannot carry (RFC
    /// 4616 §2).
    NulInCredentials,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidEhloName { name } => write!(f, "invalid EHLO name {name:?}"),
            ConfigError::InvalidAddress { field, address } => {
                write!(f, "invalid {field} address {address:?}")
            }
            ConfigError::InvalidHeaderValue { field } => write!(f, "invalid {field} value"),
            ConfigError::NulInCredentials => f.write_str("user name or password contains NUL"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The step the dialogue is at: what it waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// The driver's TLS handshake: at the start with implicit TLS, after `STARTTLS` was
    /// accepted otherwise.
    TlsHandshake,
    /// The server's greeting (RFC 5321 §4.3.1).
    Greeting,
    /// The reply to `EHLO`.
    Ehlo,
    /// The reply to `STARTTLS`.
    StartTls,
    /// A reply during `AUTH`.
    Auth,
    /// The reply to `MAIL FROM`.
    MailFrom,
    /// The reply to `RCPT TO`.
    RcptTo,
    /// The reply to `DATA`.
    Data,
    /// The reply after the message and its final `.`.
    Message,
    /// The reply to `QUIT`.
    Quit,
    /// Nothing: the dialogue is over.
    Done,
}

impl Step {
    /// The SMTP command (or `TLS`) as a finding shows it; empty for the greeting and the end.
    pub fn label(self) -> &'static str {
        match self {
            Step::Greeting | Step::Done => "",
            Step::TlsHandshake => "TLS",
            Step::Ehlo => "EHLO",
            Step::StartTls => "STARTTLS",
            Step::Auth => "AUTH",
            Step::MailFrom => "MAIL FROM",
            Step::RcptTo => "RCPT TO",
            Step::Data | Step::Message => "DATA",
            Step::Quit => "QUIT",
        }
    }
}

/// What the driver observed of the TLS session, as its TLS library reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsInfo {
    /// The protocol version (`TLSv1.3`).
    pub protocol: String,
    /// The cipher suite, where the driver knows it.
    pub cipher_suite: Option<String>,
    /// Whether the certificate chain verified for the host name connected to.
    pub certificate_verified: bool,
    /// The end of the certificate's validity as the driver gives it.
    pub certificate_expiry: Option<String>,
    /// What is wrong with the chain or the name, in the TLS library's words.
    pub chain_problem: Option<String>,
}

/// One exchange of `AUTH`: the mechanism and the server's final reply to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthAttempt {
    /// The mechanism tried.
    pub mechanism: AuthMechanism,
    /// The server's final reply: `235` on success (RFC 4954 §6), `535` for bad credentials.
    pub reply: Reply,
}

/// Why no `AUTH` was tried although credentials were given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum AuthSkipped {
    /// The server's `EHLO` reply has no `AUTH` at that point.
    NotOffered,
    /// `AUTH` offers neither `PLAIN` nor `LOGIN`.
    NoUsableMechanism {
        /// The mechanisms offered.
        offered: Vec<String>,
    },
    /// The connection has no TLS and plain-text `AUTH` was not allowed.
    NoTls,
    /// The server's certificate did not verify: the password is not handed to a server that
    /// may not be the one named (RFC 8314 §5.3 has the client end such a connection).
    UnverifiedCertificate,
}

/// How the dialogue ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "end", rename_all = "kebab-case")]
pub enum SessionEnd {
    /// The client sent `QUIT`; the server replied or closed the connection.
    Completed,
    /// The server closed the connection while the dialogue waited at `step`.
    ClosedEarly {
        /// The step the dialogue waited at.
        step: Step,
    },
    /// The driver's timer for `step` ran out.
    TimedOut {
        /// The step the dialogue waited at.
        step: Step,
    },
    /// The TLS handshake failed.
    TlsFailed {
        /// The TLS library's words.
        reason: String,
    },
    /// The server sent something that is not an SMTP reply.
    MalformedReply {
        /// The step the dialogue waited at.
        step: Step,
        /// What is wrong with it.
        error: ReplyError,
    },
    /// The server sent a reply before the command it would answer was sent: the dialogue
    /// cannot tell which reply belongs to which command any more.
    UnexpectedReply {
        /// The step the dialogue was at.
        step: Step,
        /// The reply.
        reply: Reply,
    },
}

/// One line of the conversation as it can be shown: the client's commands with credentials
/// replaced by placeholders, the message replaced by its size, the server's replies as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", content = "text", rename_all = "kebab-case")]
pub enum TranscriptLine {
    /// A command the client sent.
    Client(String),
    /// A reply of the server, its lines separated by `\n`.
    Server(String),
    /// A note on the connection: TLS started, the connection closed.
    Note(String),
}

/// Something the dialogue observed, in order; each is also kept in the [`SessionReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", content = "data", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Event {
    /// The server's greeting. A reply other than `220` ends the dialogue with `QUIT`.
    Greeting(Reply),
    /// The reply to `EHLO`, read.
    Capabilities {
        /// Whether the connection had TLS when `EHLO` was sent.
        tls: bool,
        /// What the server announced.
        capabilities: Capabilities,
    },
    /// The server refused `EHLO`.
    EhloRefused(Reply),
    /// `STARTTLS` was asked for but the server does not offer it.
    StartTlsNotOffered,
    /// The server refused `STARTTLS`.
    StartTlsRefused(Reply),
    /// The server accepted `STARTTLS`: the driver now does the TLS handshake and calls
    /// [`Dialogue::tls_established`] or [`Dialogue::tls_failed`].
    StartTlsAccepted(Reply),
    /// The server sent bytes in clear text where TLS was due: after accepting `STARTTLS` and
    /// before the handshake (the response injection of CVE-2011-0411; RFC 3207 §4.2), or
    /// before the handshake of implicit TLS. They were dropped.
    PlaintextBeforeTls,
    /// The TLS handshake completed.
    TlsEstablished(TlsInfo),
    /// Credentials were given but no `AUTH` was tried.
    AuthSkipped(AuthSkipped),
    /// The server's final reply to one `AUTH` exchange.
    AuthResult(AuthAttempt),
    /// The reply to `MAIL FROM`.
    MailFrom(Reply),
    /// The reply to `RCPT TO`.
    RcptTo(Reply),
    /// The reply to `DATA`.
    Data(Reply),
    /// The reply after the message: `250` means the server took it.
    MessageResult(Reply),
    /// The dialogue is over; the driver closes the connection.
    Done(SessionEnd),
}

/// Everything the dialogue observed. It never holds the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionReport {
    /// How the connection was secured.
    pub security: Security,
    /// The server's greeting.
    pub greeting: Option<Reply>,
    /// `EHLO`'s reply on the connection without TLS (`STARTTLS` and no TLS).
    pub capabilities_without_tls: Option<Capabilities>,
    /// `EHLO`'s reply under TLS (after `STARTTLS`, or implicit TLS).
    pub capabilities_with_tls: Option<Capabilities>,
    /// The server's refusal of `EHLO`.
    pub ehlo_refused: Option<Reply>,
    /// `STARTTLS` was asked for but not offered.
    pub starttls_not_offered: bool,
    /// The reply to `STARTTLS`.
    pub starttls_reply: Option<Reply>,
    /// The server sent bytes between accepting `STARTTLS` and the handshake (or, with implicit
    /// TLS, before it).
    pub plaintext_before_tls: bool,
    /// The TLS session, once established.
    pub tls: Option<TlsInfo>,
    /// The user name `AUTH` was tried with.
    pub auth_user: Option<String>,
    /// Each `AUTH` exchange with its final reply (`PLAIN` refused as unsupported is followed by
    /// `LOGIN`).
    pub auth_attempts: Vec<AuthAttempt>,
    /// Why no `AUTH` was tried although credentials were given.
    pub auth_skipped: Option<AuthSkipped>,
    /// The reply to `MAIL FROM`.
    pub mail_from: Option<Reply>,
    /// The reply to `RCPT TO`.
    pub rcpt_to: Option<Reply>,
    /// The reply to `DATA`.
    pub data: Option<Reply>,
    /// The reply after the message.
    pub message: Option<Reply>,
    /// The reply to `QUIT`.
    pub quit: Option<Reply>,
    /// How the dialogue ended; `None` while it runs.
    pub end: Option<SessionEnd>,
    /// The conversation, credentials replaced.
    pub transcript: Vec<TranscriptLine>,
}

impl SessionReport {
    fn new(security: Security) -> SessionReport {
        SessionReport {
            security,
            greeting: None,
            capabilities_without_tls: None,
            capabilities_with_tls: None,
            ehlo_refused: None,
            starttls_not_offered: false,
            starttls_reply: None,
            plaintext_before_tls: false,
            tls: None,
            auth_user: None,
            auth_attempts: Vec::new(),
            auth_skipped: None,
            mail_from: None,
            rcpt_to: None,
            data: None,
            message: None,
            quit: None,
            end: None,
            transcript: Vec::new(),
        }
    }

    /// Whether `AUTH` is offered on the connection without TLS, where a client would send its
    /// password in clear text. `None` when no `EHLO` without TLS was answered.
    pub fn auth_offered_without_tls(&self) -> Option<bool> {
        self.capabilities_without_tls
            .as_ref()
            .map(Capabilities::offers_auth)
    }

    /// Whether `AUTH` appears only after `STARTTLS`, as it should. `None` unless both `EHLO`
    /// replies were read.
    pub fn auth_only_after_tls(&self) -> Option<bool> {
        let without = self.capabilities_without_tls.as_ref()?;
        let with = self.capabilities_with_tls.as_ref()?;
        Some(!without.offers_auth() && with.offers_auth())
    }

    /// Whether `AUTH` succeeded: `None` when none was tried.
    pub fn auth_succeeded(&self) -> Option<bool> {
        self.auth_attempts
            .last()
            .map(|attempt| attempt.reply.is_positive())
    }

    /// Whether the server took the test message: `None` when none was sent.
    pub fn message_accepted(&self) -> Option<bool> {
        self.message.as_ref().map(Reply::is_positive)
    }
}

/// Where `AUTH` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthPhase {
    /// `AUTH LOGIN` sent: waiting for the prompt for the user name.
    LoginUserPrompt,
    /// The user name sent: waiting for the prompt for the password.
    LoginPasswordPrompt,
    /// Everything sent (`AUTH PLAIN` with its initial response, or the `LOGIN` password):
    /// waiting for the result.
    Result,
    /// `*` sent to cancel an exchange the server wanted to continue (RFC 4954 §4).
    Cancelled,
}

/// What the dialogue waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Tls,
    Greeting,
    Ehlo,
    StartTls,
    Auth {
        mechanism: AuthMechanism,
        phase: AuthPhase,
    },
    MailFrom,
    RcptTo,
    Data,
    Message,
    Quit,
    Done,
}

/// The SMTP client dialogue of the check: feed it the server's bytes, send what it returns.
pub struct Dialogue {
    config: DialogueConfig,
    state: State,
    tls_active: bool,
    /// Whether the TLS session's certificate verified for the host.
    tls_verified: bool,
    reader: ReplyReader,
    transmits: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    report: SessionReport,
}

impl fmt::Debug for Dialogue {
    /// Leaves out the bytes waiting to be sent, which can hold the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dialogue")
            .field("config", &self.config)
            .field("state", &self.state)
            .field("tls_active", &self.tls_active)
            .field("transmits_waiting", &self.transmits.len())
            .field("events_waiting", &self.events.len())
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

impl Dialogue {
    /// A dialogue waiting for the greeting, or for the driver's TLS handshake with
    /// [`Security::Tls`].
    pub fn new(config: DialogueConfig) -> Result<Dialogue, ConfigError> {
        validate(&config)?;
        let state = match config.security {
            Security::Tls => State::Tls,
            Security::StartTls | Security::Plain => State::Greeting,
        };
        let report = SessionReport::new(config.security);
        Ok(Dialogue {
            config,
            state,
            tls_active: false,
            tls_verified: false,
            reader: ReplyReader::new(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            report,
        })
    }

    /// The step the dialogue waits at: the driver arms its timer for it.
    pub fn step(&self) -> Step {
        match self.state {
            State::Tls => Step::TlsHandshake,
            State::Greeting => Step::Greeting,
            State::Ehlo => Step::Ehlo,
            State::StartTls => Step::StartTls,
            State::Auth { .. } => Step::Auth,
            State::MailFrom => Step::MailFrom,
            State::RcptTo => Step::RcptTo,
            State::Data => Step::Data,
            State::Message => Step::Message,
            State::Quit => Step::Quit,
            State::Done => Step::Done,
        }
    }

    /// Whether the driver is to do the TLS handshake now, before reading anything more.
    pub fn wants_tls_handshake(&self) -> bool {
        self.state == State::Tls
    }

    /// Whether the dialogue is over; the driver closes the connection.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// What was observed so far.
    pub fn report(&self) -> &SessionReport {
        &self.report
    }

    /// What was observed, at the end.
    pub fn into_report(self) -> SessionReport {
        self.report
    }

    /// Bytes to send to the server, in order.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmits.pop_front()
    }

    /// The next observation.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Bytes received from the server (after TLS: the decrypted ones). Send what
    /// [`poll_transmit`](Dialogue::poll_transmit) returns before reading more: a reply that
    /// arrives before its command was sent ends the dialogue ([`SessionEnd::UnexpectedReply`]).
    pub fn handle_input(&mut self, bytes: &[u8]) {
        match self.state {
            State::Done => return,
            State::Tls => {
                if !bytes.is_empty() {
                    self.note_plaintext_before_tls();
                }
                return;
            }
            _ => {}
        }
        self.reader.push(bytes);
        while let Some(result) = self.reader.next_reply() {
            match result {
                Ok(reply) => self.handle_reply(reply),
                Err(error) => {
                    let step = self.step();
                    self.finish(SessionEnd::MalformedReply { step, error });
                }
            }
            match self.state {
                State::Done => break,
                State::Tls => {
                    // RFC 3207 §4.2: nothing the server sent before the handshake counts.
                    if self.reader.has_partial() {
                        self.reader.clear();
                        self.note_plaintext_before_tls();
                    }
                    break;
                }
                _ => {}
            }
        }
    }

    /// The driver completed the TLS handshake the dialogue asked for.
    pub fn tls_established(&mut self, info: TlsInfo) {
        if self.state != State::Tls {
            return;
        }
        self.tls_active = true;
        self.tls_verified = info.certificate_verified;
        self.reader.clear();
        self.report.transcript.push(TranscriptLine::Note(format!(
            "TLS established: {}",
            info.protocol
        )));
        self.report.tls = Some(info.clone());
        self.events.push_back(Event::TlsEstablished(info));
        match self.config.security {
            Security::Tls => self.state = State::Greeting,
            // RFC 3207 §4.2: the client discards what it knew and sends EHLO again.
            Security::StartTls | Security::Plain => self.send_ehlo(),
        }
    }

    /// The TLS handshake the dialogue asked for failed.
    pub fn tls_failed(&mut self, reason: impl Into<String>) {
        if self.state != State::Tls {
            return;
        }
        let reason = reason.into();
        self.report
            .transcript
            .push(TranscriptLine::Note(format!("TLS failed: {reason}")));
        self.finish(SessionEnd::TlsFailed { reason });
    }

    /// The server closed the connection.
    pub fn closed(&mut self) {
        match self.state {
            State::Done => {}
            State::Quit => self.finish(SessionEnd::Completed),
            _ => {
                let step = self.step();
                self.report
                    .transcript
                    .push(TranscriptLine::Note("connection closed".to_owned()));
                self.finish(SessionEnd::ClosedEarly { step });
            }
        }
    }

    /// The driver's timer for `step` ran out. A timer for a step the dialogue has left is
    /// ignored.
    pub fn timed_out(&mut self, step: Step) {
        if self.state == State::Done || step != self.step() {
            return;
        }
        self.report
            .transcript
            .push(TranscriptLine::Note("timed out".to_owned()));
        self.finish(SessionEnd::TimedOut { step });
    }

    fn note_plaintext_before_tls(&mut self) {
        if !self.report.plaintext_before_tls {
            self.report.plaintext_before_tls = true;
            self.events.push_back(Event::PlaintextBeforeTls);
        }
    }

    fn handle_reply(&mut self, reply: Reply) {
        self.report
            .transcript
            .push(TranscriptLine::Server(reply.to_string()));
        if !self.transmits.is_empty() {
            let step = self.step();
            return self.finish(SessionEnd::UnexpectedReply { step, reply });
        }
        match self.state {
            State::Greeting => self.on_greeting(reply),
            State::Ehlo => self.on_ehlo(reply),
            State::StartTls => self.on_starttls(reply),
            State::Auth { mechanism, phase } => self.on_auth(mechanism, phase, reply),
            State::MailFrom => {
                self.report.mail_from = Some(reply.clone());
                self.events.push_back(Event::MailFrom(reply.clone()));
                if reply.is_positive() {
                    self.send_rcpt_to();
                } else {
                    self.send_quit();
                }
            }
            State::RcptTo => {
                self.report.rcpt_to = Some(reply.clone());
                self.events.push_back(Event::RcptTo(reply.clone()));
                if reply.is_positive() {
                    self.send("DATA".to_owned(), "DATA".to_owned());
                    self.state = State::Data;
                } else {
                    self.send_quit();
                }
            }
            State::Data => {
                self.report.data = Some(reply.clone());
                self.events.push_back(Event::Data(reply.clone()));
                if reply.code == 354 {
                    self.send_message();
                } else {
                    self.send_quit();
                }
            }
            State::Message => {
                self.report.message = Some(reply.clone());
                self.events.push_back(Event::MessageResult(reply));
                self.send_quit();
            }
            State::Quit => {
                self.report.quit = Some(reply);
                self.finish(SessionEnd::Completed);
            }
            State::Tls | State::Done => {}
        }
    }

    fn on_greeting(&mut self, reply: Reply) {
        self.report.greeting = Some(reply.clone());
        let accepted = reply.code == 220;
        self.events.push_back(Event::Greeting(reply));
        if accepted {
            self.send_ehlo();
        } else {
            // RFC 5321 §3.1: after a 554 greeting the client sends QUIT.
            self.send_quit();
        }
    }

    fn on_ehlo(&mut self, reply: Reply) {
        if !reply.is_positive() {
            self.report.ehlo_refused = Some(reply.clone());
            self.events.push_back(Event::EhloRefused(reply));
            return self.send_quit();
        }
        let capabilities = Capabilities::from_ehlo(&reply);
        let offers_starttls = capabilities.starttls;
        let tls = self.tls_active;
        if tls {
            self.report.capabilities_with_tls = Some(capabilities.clone());
        } else {
            self.report.capabilities_without_tls = Some(capabilities.clone());
        }
        self.events
            .push_back(Event::Capabilities { tls, capabilities });
        if self.config.security == Security::StartTls && !tls {
            if offers_starttls {
                self.send("STARTTLS".to_owned(), "STARTTLS".to_owned());
                self.state = State::StartTls;
            } else {
                self.report.starttls_not_offered = true;
                self.events.push_back(Event::StartTlsNotOffered);
                self.send_quit();
            }
            return;
        }
        self.start_auth();
    }

    fn on_starttls(&mut self, reply: Reply) {
        self.report.starttls_reply = Some(reply.clone());
        if reply.code == 220 {
            self.events.push_back(Event::StartTlsAccepted(reply));
            self.state = State::Tls;
        } else {
            self.events.push_back(Event::StartTlsRefused(reply));
            self.send_quit();
        }
    }

    /// The capabilities of the connection as it is now.
    fn current_capabilities(&self) -> Option<&Capabilities> {
        if self.tls_active {
            self.report.capabilities_with_tls.as_ref()
        } else {
            self.report.capabilities_without_tls.as_ref()
        }
    }

    fn start_auth(&mut self) {
        let Some(credentials) = &self.config.credentials else {
            return self.start_mail();
        };
        self.report.auth_user = Some(credentials.user.clone());
        let capabilities = self.current_capabilities();
        let offered = capabilities
            .map(|capabilities| capabilities.auth_mechanisms.clone())
            .unwrap_or_default();
        let preferred = capabilities.and_then(Capabilities::preferred_mechanism);
        let skipped = if offered.is_empty() {
            Some(AuthSkipped::NotOffered)
        } else if !self.tls_active && !self.config.allow_plaintext_auth {
            Some(AuthSkipped::NoTls)
        } else if self.tls_active && !self.tls_verified {
            Some(AuthSkipped::UnverifiedCertificate)
        } else if preferred.is_none() {
            Some(AuthSkipped::NoUsableMechanism { offered })
        } else {
            None
        };
        match (skipped, preferred) {
            (None, Some(mechanism)) => self.send_auth(mechanism),
            (skipped, _) => {
                let skipped = skipped.unwrap_or(AuthSkipped::NotOffered);
                self.report.auth_skipped = Some(skipped.clone());
                self.events.push_back(Event::AuthSkipped(skipped));
                self.send_quit();
            }
        }
    }

    fn send_auth(&mut self, mechanism: AuthMechanism) {
        let Some(credentials) = &self.config.credentials else {
            return self.send_quit();
        };
        match mechanism {
            AuthMechanism::Plain => {
                // RFC 4616 §2: [authzid] NUL authcid NUL passwd, sent as the initial response
                // (RFC 4954 §4).
                let mut message = Vec::new();
                message.push(0);
                message.extend_from_slice(credentials.user.as_bytes());
                message.push(0);
                message.extend_from_slice(credentials.password.as_bytes());
                let command = format!("AUTH PLAIN {}", encode_base64(&message));
                self.send(
                    command,
                    "AUTH PLAIN [user name and password, base64]".to_owned(),
                );
                self.state = State::Auth {
                    mechanism,
                    phase: AuthPhase::Result,
                };
            }
            AuthMechanism::Login => {
                self.send("AUTH LOGIN".to_owned(), "AUTH LOGIN".to_owned());
                self.state = State::Auth {
                    mechanism,
                    phase: AuthPhase::LoginUserPrompt,
                };
            }
        }
    }

    fn on_auth(&mut self, mechanism: AuthMechanism, phase: AuthPhase, reply: Reply) {
        let challenge = reply.code == 334;
        match phase {
            AuthPhase::LoginUserPrompt if challenge => {
                let user = self
                    .config
                    .credentials
                    .as_ref()
                    .map(|c| c.user.clone())
                    .unwrap_or_default();
                let encoded = encode_base64(user.as_bytes());
                self.send(encoded.clone(), encoded);
                self.state = State::Auth {
                    mechanism,
                    phase: AuthPhase::LoginPasswordPrompt,
                };
            }
            AuthPhase::LoginPasswordPrompt if challenge => {
                let encoded = self
                    .config
                    .credentials
                    .as_ref()
                    .map(|credentials| encode_base64(credentials.password.as_bytes()))
                    .unwrap_or_default();
                self.send(encoded, "[password, base64]".to_owned());
                self.state = State::Auth {
                    mechanism,
                    phase: AuthPhase::Result,
                };
            }
            AuthPhase::Result if challenge => {
                // Everything was sent; a further challenge is cancelled (RFC 4954 §4).
                self.send("*".to_owned(), "*".to_owned());
                self.state = State::Auth {
                    mechanism,
                    phase: AuthPhase::Cancelled,
                };
            }
            _ => self.on_auth_result(mechanism, reply),
        }
    }

    fn on_auth_result(&mut self, mechanism: AuthMechanism, reply: Reply) {
        let attempt = AuthAttempt {
            mechanism,
            reply: reply.clone(),
        };
        self.report.auth_attempts.push(attempt.clone());
        self.events.push_back(Event::AuthResult(attempt));
        if reply.code == 235 {
            return self.start_mail();
        }
        // 504: the mechanism is not supported after all (RFC 4954 §4); try LOGIN once when it
        // is offered. Bad credentials (535) are not tried again.
        let login_offered = self
            .current_capabilities()
            .is_some_and(|capabilities| capabilities.offers(AuthMechanism::Login));
        let login_tried = self
            .report
            .auth_attempts
            .iter()
            .any(|attempt| attempt.mechanism == AuthMechanism::Login);
        if reply.code == 504 && mechanism == AuthMechanism::Plain && login_offered && !login_tried {
            self.send_auth(AuthMechanism::Login);
        } else {
            self.send_quit();
        }
    }

    fn start_mail(&mut self) {
        let Some(mail) = &self.config.test_mail else {
            return self.send_quit();
        };
        let capabilities = self.current_capabilities();
        let mut command = format!("MAIL FROM:<{}>", mail.from);
        // RFC 1870 §6: the size lets the server refuse a message too large before it is sent.
        if capabilities.is_some_and(|capabilities| capabilities.size.is_some()) {
            command.push_str(&format!(" SIZE={}", message_text(mail).len()));
        }
        // RFC 6531 §3.4: an address that is not ASCII needs SMTPUTF8.
        let utf8_addresses = !mail.from.is_ascii() || !mail.to.is_ascii();
        if utf8_addresses && capabilities.is_some_and(|capabilities| capabilities.smtputf8) {
            command.push_str(" SMTPUTF8");
        }
        self.send(command.clone(), command);
        self.state = State::MailFrom;
    }

    fn send_rcpt_to(&mut self) {
        let Some(mail) = &self.config.test_mail else {
            return self.send_quit();
        };
        let command = format!("RCPT TO:<{}>", mail.to);
        self.send(command.clone(), command);
        self.state = State::RcptTo;
    }

    fn send_message(&mut self) {
        let Some(mail) = &self.config.test_mail else {
            return self.send_quit();
        };
        let text = message_text(mail);
        let mut data = dot_stuff(&text);
        // RFC 5321 §4.1.1.4: the mail data ends with a line holding a single dot.
        data.extend_from_slice(b".\r\n");
        self.report.transcript.push(TranscriptLine::Client(format!(
            "[message, {} octets]",
            text.len()
        )));
        self.report
            .transcript
            .push(TranscriptLine::Client(".".to_owned()));
        self.transmits.push_back(data);
        self.state = State::Message;
    }

    fn send_ehlo(&mut self) {
        let command = format!("EHLO {}", self.config.ehlo_name);
        self.send(command.clone(), command);
        self.state = State::Ehlo;
    }

    fn send_quit(&mut self) {
        self.send("QUIT".to_owned(), "QUIT".to_owned());
        self.state = State::Quit;
    }

    /// Queues a command line; `shown` is what the transcript holds instead.
    fn send(&mut self, command: String, shown: String) {
        let mut bytes = command.into_bytes();
        bytes.extend_from_slice(b"\r\n");
        self.transmits.push_back(bytes);
        self.report.transcript.push(TranscriptLine::Client(shown));
    }

    fn finish(&mut self, end: SessionEnd) {
        self.transmits.clear();
        self.state = State::Done;
        self.report.end = Some(end.clone());
        self.events.push_back(Event::Done(end));
    }
}

/// Checks what goes into commands and header fields, so nothing given can add a command or a
/// header line.
fn validate(config: &DialogueConfig) -> Result<(), ConfigError> {
    let name = &config.ehlo_name;
    if name.is_empty() || name.len() > 255 || !name.bytes().all(|byte| byte.is_ascii_graphic()) {
        return Err(ConfigError::InvalidEhloName { name: name.clone() });
    }
    if let Some(credentials) = &config.credentials
        && (credentials.user.contains('\0') || credentials.password.contains('\0'))
    {
        return Err(ConfigError::NulInCredentials);
    }
    let Some(mail) = &config.test_mail else {
        return Ok(());
    };
    for (field, address) in [("from", &mail.from), ("to", &mail.to)] {
        // RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets.
        let valid = !address.is_empty()
            && address.len() <= 254
            && address.contains('@')
            && !address
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if !valid {
            return Err(ConfigError::InvalidAddress {
                field: field.to_owned(),
                address: address.clone(),
            });
        }
    }
    for (field, value) in [("date", &mail.date), ("message_id", &mail.message_id)] {
        if value.trim().is_empty() || value.chars().any(char::is_control) {
            return Err(ConfigError::InvalidHeaderValue {
                field: field.to_owned(),
            });
        }
    }
    Ok(())
}

/// The test message (RFC 5322) with CRLF line ends, before dot-stuffing.
fn message_text(mail: &TestMail) -> String {
    let message_id = mail.message_id.trim();
    let message_id = if message_id.starts_with('<') && message_id.ends_with('>') {
        message_id.to_owned()
    } else {
        format!("<{message_id}>")
    };
    let lines: Vec<&str> = mail
        .body
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    // RFC 5322 §2.1.1: at most 998 octets a line; RFC 5321 §2.4: 7-bit unless 8BITMIME.
    let plain = mail.body.is_ascii() && lines.iter().all(|line| line.len() <= 998);
    let mut text = String::new();
    let mut header = |name: &str, value: &str| {
        text.push_str(name);
        text.push_str(": ");
        text.push_str(value);
        text.push_str("\r\n");
    };
    header("Date", mail.date.trim());
    header("From", &format!("<{}>", mail.from));
    header("To", &format!("<{}>", mail.to));
    header("Subject", &encode_subject(&mail.subject));
    header("Message-ID", &message_id);
    header("MIME-Version", "1.0");
    header("Content-Type", "text/plain; charset=utf-8");
    header(
        "Content-Transfer-Encoding",
        if plain { "7bit" } else { "base64" },
    );
    text.push_str("\r\n");
    let body = lines.join("\r\n");
    if plain {
        text.push_str(&body);
        text.push_str("\r\n");
    } else {
        // RFC 2045 §6.8: encoded lines of at most 76 characters.
        let encoded = encode_base64(body.as_bytes());
        for chunk in encoded.as_bytes().chunks(76) {
            text.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            text.push_str("\r\n");
        }
    }
    text
}

/// The subject as a header field value: short ASCII as it is, anything else as RFC 2047 encoded
/// words of at most 75 characters, folded onto lines of their own. Control characters become
/// spaces.
fn encode_subject(subject: &str) -> String {
    let subject: String = subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if subject.is_ascii() && subject.len() <= 70 {
        return subject;
    }
    // 45 octets make 60 base64 characters; with `=?UTF-8?B?` and `?=` a word has 72.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in subject.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", encode_base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", encode_base64(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// RFC 5321 §4.5.2: a line that starts with a dot gets one more.
fn dot_stuff(text: &str) -> Vec<u8> {
    let mut data = Vec::with_capacity(text.len() + 8);
    for line in text.split_inclusive("\r\n") {
        if line.starts_with('.') {
            data.push(b'.');
        }
        data.extend_from_slice(line.as_bytes());
    }
    data
}

/// Base64 with padding (RFC 4648 §4), as SASL (RFC 4954 §4) and MIME use it.
fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |group, (index, &byte)| {
                group | u32::from(byte) << (16 - 8 * index)
            });
        for index in 0..4 {
            if index <= chunk.len() {
                let sextet = (group >> (18 - 6 * index)) & 0x3f;
                encoded.push(char::from(ALPHABET[sextet as usize]));
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::Status;

    const USER: &str = "user@example.com";
    const PASSWORD: &str = "s3cret-Passw0rd";
    /// `printf '\0user@example.com\0s3cret-Passw0rd' | base64`
    const PLAIN_RESPONSE: &str = "AHVzZXJAZXhhbXBsZS5jb20AczNjcmV0LVBhc3N3MHJk";
    /// `printf 's3cret-Passw0rd' | base64`
    const PASSWORD_BASE64: &str = "czNjcmV0LVBhc3N3MHJk";

    const GREETING: &str = "220 mail.example.com ESMTP Postfix\r\n";
    const EHLO_BEFORE_TLS: &str = concat!(
        "250-mail.example.com\r\n",
        "250-PIPELINING\r\n",
        "250-SIZE 10240000\r\n",
        "250-STARTTLS\r\n",
        "250-ENHANCEDSTATUSCODES\r\n",
        "250 8BITMIME\r\n",
    );
    const EHLO_AFTER_TLS: &str = concat!(
        "250-mail.example.com\r\n",
        "250-PIPELINING\r\n",
        "250-SIZE 10240000\r\n",
        "250-AUTH PLAIN LOGIN\r\n",
        "250-ENHANCEDSTATUSCODES\r\n",
        "250 8BITMIME\r\n",
    );

    fn tls_info() -> TlsInfo {
        TlsInfo {
            protocol: "TLSv1.3".to_owned(),
            cipher_suite: Some("TLS13_AES_256_GCM_SHA384".to_owned()),
            certificate_verified: true,
            certificate_expiry: Some("2026-01-01T00:00:00Z".to_owned()),
            chain_problem: None,
        }
    }

    fn test_mail() -> TestMail {
        TestMail {
            from: USER.to_owned(),
            to: "postmaster@example.net".to_owned(),
            subject: "postcheck test".to_owned(),
            body: "Hello,\n.a line with a dot\n..two dots\n.\nend".to_owned(),
            date: "Tue, 1 Jul 2025 10:00:00 +0000".to_owned(),
            message_id: "test.1@client.example.org".to_owned(),
        }
    }

    fn config(security: Security, credentials: bool, mail: bool) -> DialogueConfig {
        DialogueConfig {
            credentials: credentials.then(|| Credentials::new(USER, PASSWORD)),
            test_mail: mail.then(test_mail),
            ..DialogueConfig::new("client.example.org", security)
        }
    }

    /// Drives a dialogue like a driver does and keeps everything it saw; after every call it
    /// checks that no `Debug` output holds the password.
    struct Script {
        dialogue: Dialogue,
        events: Vec<Event>,
    }

    impl Script {
        fn new(config: DialogueConfig) -> Script {
            Script {
                dialogue: Dialogue::new(config).expect("a valid configuration"),
                events: Vec::new(),
            }
        }

        /// What the client sends now, as text.
        fn sent(&mut self) -> String {
            let mut sent = Vec::new();
            while let Some(bytes) = self.dialogue.poll_transmit() {
                sent.extend_from_slice(&bytes);
            }
            while let Some(event) = self.dialogue.poll_event() {
                assert_no_secret(&format!("{event:?}"));
                self.events.push(event);
            }
            assert_no_secret(&format!("{:?}", self.dialogue));
            String::from_utf8(sent).expect("UTF-8")
        }

        /// The server sends `text`; returns what the client answers.
        fn server(&mut self, text: &str) -> String {
            self.dialogue.handle_input(text.as_bytes());
            self.sent()
        }

        fn tls(&mut self) -> String {
            assert!(self.dialogue.wants_tls_handshake());
            self.dialogue.tls_established(tls_info());
            self.sent()
        }

        fn end(&self) -> Option<&SessionEnd> {
            match self.events.last() {
                Some(Event::Done(end)) => Some(end),
                _ => None,
            }
        }

        fn report(&self) -> &SessionReport {
            self.dialogue.report()
        }
    }

    fn assert_no_secret(text: &str) {
        for secret in [PASSWORD, PLAIN_RESPONSE, PASSWORD_BASE64] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    fn status(class: u8, subject: u16, detail: u16) -> Option<Status> {
        Some(Status {
            class,
            subject,
            detail,
        })
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode_base64(input.as_bytes()), output);
        }
        assert_eq!(encode_base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn starttls_auth_plain_and_test_mail() {
        let mut script = Script::new(config(Security::StartTls, true, true));
        assert_eq!(script.dialogue.step(), Step::Greeting);
        assert_eq!(script.server(GREETING), "EHLO client.example.org\r\n");
        assert_eq!(script.server(EHLO_BEFORE_TLS), "STARTTLS\r\n");
        assert_eq!(script.server("220 2.0.0 Ready to start TLS\r\n"), "");
        assert_eq!(script.dialogue.step(), Step::TlsHandshake);
        assert_eq!(script.tls(), "EHLO client.example.org\r\n");
        assert_eq!(
            script.server(EHLO_AFTER_TLS),
            format!("AUTH PLAIN {PLAIN_RESPONSE}\r\n")
        );
        assert_eq!(
            script.server("235 2.7.0 Authentication successful\r\n"),
            format!("MAIL FROM:<{USER}> SIZE=303\r\n")
        );
        assert_eq!(
            script.server("250 2.1.0 Ok\r\n"),
            "RCPT TO:<postmaster@example.net>\r\n"
        );
        assert_eq!(script.server("250 2.1.5 Ok\r\n"), "DATA\r\n");
        assert_eq!(
            script.server("354 End data with <CR><LF>.<CR><LF>\r\n"),
            concat!(
                "Date: Tue, 1 Jul 2025 10:00:00 +0000\r\n",
                "From: <user@example.com>\r\n",
                "To: <postmaster@example.net>\r\n",
                "Subject: postcheck test\r\n",
                "Message-ID: <test.1@client.example.org>\r\n",
                "MIME-Version: 1.0\r\n",
                "Content-Type: text/plain; charset=utf-8\r\n",
                "Content-Transfer-Encoding: 7bit\r\n",
                "\r\n",
                "Hello,\r\n",
                "..a line with a dot\r\n",
                "...two dots\r\n",
                "..\r\n",
                "end\r\n",
                ".\r\n",
            )
        );
        assert_eq!(
            script.server("250 2.0.0 Ok: queued as 4ABC123\r\n"),
            "QUIT\r\n"
        );
        assert_eq!(script.dialogue.step(), Step::Quit);
        assert_eq!(script.server("221 2.0.0 Bye\r\n"), "");
        assert!(script.dialogue.is_done());
        assert_eq!(script.end(), Some(&SessionEnd::Completed));

        let kinds: Vec<&str> = script
            .events
            .iter()
            .map(|event| match event {
                Event::Greeting(_) => "greeting",
                Event::Capabilities { tls: false, .. } => "capabilities",
                Event::Capabilities { tls: true, .. } => "capabilities-tls",
                Event::StartTlsAccepted(_) => "starttls",
                Event::TlsEstablished(_) => "tls",
                Event::AuthResult(_) => "auth",
                Event::MailFrom(_) => "mail",
                Event::RcptTo(_) => "rcpt",
                Event::Data(_) => "data",
                Event::MessageResult(_) => "message",
                Event::Done(_) => "done",
                _ => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "greeting",
                "capabilities",
                "starttls",
                "tls",
                "capabilities-tls",
                "auth",
                "mail",
                "rcpt",
                "data",
                "message",
                "done"
            ]
        );

        let report = script.report();
        assert_eq!(report.auth_only_after_tls(), Some(true));
        assert_eq!(report.auth_offered_without_tls(), Some(false));
        assert_eq!(report.auth_succeeded(), Some(true));
        assert_eq!(report.message_accepted(), Some(true));
        assert_eq!(report.auth_user.as_deref(), Some(USER));
        assert_eq!(report.tls, Some(tls_info()));
        assert!(!report.plaintext_before_tls);
        assert_eq!(report.quit.as_ref().map(|reply| reply.code), Some(221));
        assert!(report.transcript.contains(&TranscriptLine::Client(
            "AUTH PLAIN [user name and password, base64]".to_owned()
        )));
        assert!(
            report
                .transcript
                .contains(&TranscriptLine::Client("[message, 303 octets]".to_owned()))
        );

        // The message is what SIZE announced.
        assert_eq!(message_text(&test_mail()).len(), 303);
        // Neither the report nor its JSON holds the password.
        assert_no_secret(&format!("{report:?}"));
        assert_no_secret(&serde_json::to_string(report).expect("JSON"));
    }

    #[test]
    fn auth_failed_535_5_7_8() {
        let mut script = Script::new(config(Security::StartTls, true, true));
        script.server(GREETING);
        script.server(EHLO_BEFORE_TLS);
        script.server("220 2.0.0 Ready to start TLS\r\n");
        script.tls();
        script.server(EHLO_AFTER_TLS);
        // No test mail after a failed AUTH, no second try with LOGIN.
        assert_eq!(
            script.server(concat!(
                "535-5.7.8 Username and Password not accepted. For more information, go to\r\n",
                "535 5.7.8  https://support.google.com/mail/?p=BadCredentials\r\n",
            )),
            "QUIT\r\n"
        );
        script.server("221 2.0.0 closing connection\r\n");
        assert_eq!(script.end(), Some(&SessionEnd::Completed));
        let report = script.report();
        assert_eq!(report.auth_succeeded(), Some(false));
        assert_eq!(report.auth_attempts.len(), 1);
        let attempt = &report.auth_attempts[0];
        assert_eq!(attempt.mechanism, AuthMechanism::Plain);
        assert_eq!(attempt.reply.code, 535);
        assert_eq!(attempt.reply.enhanced_status, status(5, 7, 8));
        assert_eq!(report.mail_from, None);
        assert!(script.events.contains(&Event::AuthResult(attempt.clone())));
    }

    #[test]
    fn microsoft_535_5_7_139_with_login() {
        let mut script = Script::new(config(Security::StartTls, true, false));
        script.server(
            "220 AM0PR10CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready\r\n",
        );
        script.server(concat!(
            "250-AM0PR10CA0001.outlook.office365.com Hello [192.0.2.1]\r\n",
            "250-SIZE 157286400\r\n",
            "250-PIPELINING\r\n",
            "250-ENHANCEDSTATUSCODES\r\n",
            "250-STARTTLS\r\n",
            "250-8BITMIME\r\n",
            "250 SMTPUTF8\r\n",
        ));
        script.server("220 2.0.0 SMTP server ready\r\n");
        script.tls();
        // Office 365 offers LOGIN but not PLAIN.
        assert_eq!(
            script.server(concat!(
                "250-AM0PR10CA0001.outlook.office365.com Hello [192.0.2.1]\r\n",
                "250-SIZE 157286400\r\n",
                "250-PIPELINING\r\n",
                "250-ENHANCEDSTATUSCODES\r\n",
                "250-AUTH LOGIN XOAUTH2\r\n",
                "250-8BITMIME\r\n",
                "250 SMTPUTF8\r\n",
            )),
            "AUTH LOGIN\r\n"
        );
        assert_eq!(
            script.server("334 VXNlcm5hbWU6\r\n"),
            "dXNlckBleGFtcGxlLmNvbQ==\r\n"
        );
        assert_eq!(
            script.server("334 UGFzc3dvcmQ6\r\n"),
            format!("{PASSWORD_BASE64}\r\n")
        );
        assert_eq!(
            script.server(
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]\r\n"
            ),
            "QUIT\r\n"
        );
        let report = script.report();
        assert_eq!(report.auth_attempts.len(), 1);
        assert_eq!(report.auth_attempts[0].mechanism, AuthMechanism::Login);
        assert_eq!(
            report.auth_attempts[0].reply.enhanced_status,
            status(5, 7, 139)
        );
        assert!(
            report
                .transcript
                .contains(&TranscriptLine::Client("[password, base64]".to_owned()))
        );
        // The server may close without replying to QUIT.
        script.dialogue.closed();
        script.sent();
        assert_eq!(script.end(), Some(&SessionEnd::Completed));
    }

    #[test]
    fn plain_unsupported_after_all_falls_back_to_login() {
        let mut script = Script::new(config(Security::Tls, true, false));
        assert_eq!(script.dialogue.step(), Step::TlsHandshake);
        assert_eq!(script.tls(), "");
        assert_eq!(script.server(GREETING), "EHLO client.example.org\r\n");
        assert_eq!(
            script.server(EHLO_AFTER_TLS),
            format!("AUTH PLAIN {PLAIN_RESPONSE}\r\n")
        );
        assert_eq!(
            script.server("504 5.5.4 Unrecognized authentication type\r\n"),
            "AUTH LOGIN\r\n"
        );
        script.server("334 VXNlcm5hbWU6\r\n");
        script.server("334 UGFzc3dvcmQ6\r\n");
        assert_eq!(
            script.server("235 2.7.0 Authentication successful\r\n"),
            "QUIT\r\n"
        );
        let report = script.report();
        assert_eq!(report.auth_attempts.len(), 2);
        assert_eq!(report.auth_succeeded(), Some(true));
        // Implicit TLS: the only EHLO was under TLS.
        assert_eq!(report.capabilities_without_tls, None);
        assert!(report.capabilities_with_tls.is_some());
        assert_eq!(report.auth_only_after_tls(), None);
    }

    #[test]
    fn a_further_challenge_after_plain_is_cancelled() {
        let mut script = Script::new(config(Security::Tls, true, false));
        script.tls();
        script.server(GREETING);
        script.server(EHLO_AFTER_TLS);
        assert_eq!(script.server("334 \r\n"), "*\r\n");
        assert_eq!(
            script.server("501 5.7.0 Authentication aborted\r\n"),
            "QUIT\r\n"
        );
        assert_eq!(script.report().auth_succeeded(), Some(false));
    }

    #[test]
    fn starttls_not_offered() {
        let mut script = Script::new(config(Security::StartTls, true, true));
        script.server(GREETING);
        assert_eq!(
            script.server("250-mail.example.com\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"),
            "QUIT\r\n"
        );
        assert!(script.events.contains(&Event::StartTlsNotOffered));
        script.server("221 Bye\r\n");
        assert_eq!(script.end(), Some(&SessionEnd::Completed));
        let report = script.report();
        assert!(report.starttls_not_offered);
        // AUTH offered in clear text is kept for the explanation; the password was not sent.
        assert_eq!(report.auth_offered_without_tls(), Some(true));
        assert!(report.auth_attempts.is_empty());
        assert_eq!(report.tls, None);
    }

    #[test]
    fn starttls_refused() {
        let mut script = Script::new(config(Security::StartTls, false, false));
        script.server(GREETING);
        script.server(EHLO_BEFORE_TLS);
        assert_eq!(
            script.server("454 4.7.0 TLS not available due to local problem\r\n"),
            "QUIT\r\n"
        );
        assert!(matches!(&script.events[2], Event::StartTlsRefused(reply) if reply.code == 454));
    }

    #[test]
    fn auth_only_offered_after_tls() {
        let mut script = Script::new(config(Security::StartTls, false, false));
        script.server(GREETING);
        script.server(EHLO_BEFORE_TLS);
        script.server("220 Ready\r\n");
        script.tls();
        // Without credentials the dialogue only looks.
        assert_eq!(script.server(EHLO_AFTER_TLS), "QUIT\r\n");
        let report = script.report();
        assert_eq!(report.auth_only_after_tls(), Some(true));
        assert_eq!(report.auth_skipped, None);
        assert_eq!(report.auth_user, None);

        // The opposite: AUTH offered before TLS too.
        let mut script = Script::new(config(Security::StartTls, false, false));
        script.server(GREETING);
        script.server("250-mx\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n");
        script.server("220 Ready\r\n");
        script.tls();
        script.server(EHLO_AFTER_TLS);
        assert_eq!(script.report().auth_only_after_tls(), Some(false));
    }

    #[test]
    fn auth_not_offered_or_unusable() {
        let mut script = Script::new(config(Security::Tls, true, true));
        script.tls();
        script.server(GREETING);
        assert_eq!(script.server("250-mx\r\n250 SIZE 1000\r\n"), "QUIT\r\n");
        assert_eq!(script.report().auth_skipped, Some(AuthSkipped::NotOffered));
        assert!(
            script
                .events
                .contains(&Event::AuthSkipped(AuthSkipped::NotOffered))
        );

        let mut script = Script::new(config(Security::Tls, true, true));
        script.tls();
        script.server(GREETING);
        assert_eq!(
            script.server("250-mx\r\n250 AUTH XOAUTH2 OAUTHBEARER\r\n"),
            "QUIT\r\n"
        );
        assert_eq!(
            script.report().auth_skipped,
            Some(AuthSkipped::NoUsableMechanism {
                offered: vec!["XOAUTH2".to_owned(), "OAUTHBEARER".to_owned()]
            })
        );
    }

    #[test]
    fn no_password_to_a_server_whose_certificate_did_not_verify() {
        let mut script = Script::new(config(Security::Tls, true, true));
        assert!(script.dialogue.wants_tls_handshake());
        script.dialogue.tls_established(TlsInfo {
            certificate_verified: false,
            chain_problem: Some("certificate expired".to_owned()),
            ..tls_info()
        });
        script.server(GREETING);
        assert_eq!(
            script.server("250-mx\r\n250 AUTH PLAIN LOGIN\r\n"),
            "QUIT\r\n"
        );
        assert_eq!(
            script.report().auth_skipped,
            Some(AuthSkipped::UnverifiedCertificate)
        );
        assert!(script.report().mail_from.is_none());
    }

    #[test]
    fn no_password_in_clear_text_unless_allowed() {
        let mut script = Script::new(config(Security::Plain, true, false));
        script.server(GREETING);
        assert_eq!(
            script.server("250-mx\r\n250 AUTH PLAIN LOGIN\r\n"),
            "QUIT\r\n"
        );
        assert_eq!(script.report().auth_skipped, Some(AuthSkipped::NoTls));

        let mut allowed = config(Security::Plain, true, false);
        allowed.allow_plaintext_auth = true;
        let mut script = Script::new(allowed);
        script.server(GREETING);
        assert_eq!(
            script.server("250-mx\r\n250 AUTH PLAIN LOGIN\r\n"),
            format!("AUTH PLAIN {PLAIN_RESPONSE}\r\n")
        );
    }

    #[test]
    fn test_mail_without_credentials_and_refused_recipient() {
        let mut script = Script::new(config(Security::Plain, false, true));
        script.server(GREETING);
        // No SIZE announced: none sent.
        assert_eq!(
            script.server("250-mx\r\n250 8BITMIME\r\n"),
            format!("MAIL FROM:<{USER}>\r\n")
        );
        script.server("250 2.1.0 Ok\r\n");
        assert_eq!(script.server("550 5.7.1 Relaying denied\r\n"), "QUIT\r\n");
        let report = script.report();
        assert_eq!(report.rcpt_to.as_ref().map(|reply| reply.code), Some(550));
        assert_eq!(report.data, None);
        assert_eq!(report.message_accepted(), None);
    }

    #[test]
    fn greeting_refused() {
        let mut script = Script::new(config(Security::StartTls, false, false));
        assert_eq!(
            script.server("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked\r\n"),
            "QUIT\r\n"
        );
        assert!(matches!(&script.events[0], Event::Greeting(reply) if reply.code == 554));
        script.dialogue.closed();
        script.sent();
        assert_eq!(script.end(), Some(&SessionEnd::Completed));
    }

    #[test]
    fn server_closing_early() {
        let mut script = Script::new(config(Security::StartTls, true, false));
        script.server(GREETING);
        script.server(EHLO_BEFORE_TLS);
        script.dialogue.closed();
        assert_eq!(script.sent(), "");
        assert_eq!(
            script.end(),
            Some(&SessionEnd::ClosedEarly {
                step: Step::StartTls
            })
        );
        assert!(script.dialogue.is_done());
        // Nothing happens after the end.
        script.dialogue.closed();
        assert_eq!(script.server("250 late\r\n"), "");
        assert_eq!(
            script
                .events
                .iter()
                .filter(|e| matches!(e, Event::Done(_)))
                .count(),
            1
        );
    }

    #[test]
    fn timeout_at_greeting() {
        let mut script = Script::new(config(Security::StartTls, true, false));
        // A timer for another step is stale and ignored.
        script.dialogue.timed_out(Step::Ehlo);
        assert!(!script.dialogue.is_done());
        script.dialogue.timed_out(Step::Greeting);
        assert_eq!(script.sent(), "");
        assert_eq!(
            script.end(),
            Some(&SessionEnd::TimedOut {
                step: Step::Greeting
            })
        );
        assert_eq!(script.report().greeting, None);
    }

    #[test]
    fn tls_handshake_failure() {
        let mut script = Script::new(config(Security::StartTls, true, false));
        script.server(GREETING);
        script.server(EHLO_BEFORE_TLS);
        script.server("220 Ready\r\n");
        script
            .dialogue
            .tls_failed("invalid peer certificate: Expired");
        assert_eq!(script.sent(), "");
        assert_eq!(
            script.end(),
            Some(&SessionEnd::TlsFailed {
                reason: "invalid peer certificate: Expired".to_owned()
            })
        );
    }

    #[test]
    fn plaintext_after_starttls_is_dropped() {
        let mut script = Script::new(config(Security::StartTls, false, false));
        script.server(GREETING);
        script.server(EHLO_BEFORE_TLS);
        // An injected reply after the 220 must not be read as the answer to EHLO under TLS.
        assert_eq!(
            script.server("220 Ready\r\n250-evil\r\n250 AUTH PLAIN\r\n"),
            ""
        );
        assert!(script.events.contains(&Event::PlaintextBeforeTls));
        assert_eq!(script.tls(), "EHLO client.example.org\r\n");
        script.server(EHLO_AFTER_TLS);
        let report = script.report();
        assert!(report.plaintext_before_tls);
        assert_eq!(
            report
                .capabilities_with_tls
                .as_ref()
                .map(|c| c.server_name.as_str()),
            Some("mail.example.com")
        );
    }

    #[test]
    fn a_reply_before_its_command_ends_the_dialogue() {
        let mut script = Script::new(config(Security::Plain, false, false));
        assert_eq!(script.server("220 first\r\n220 second\r\n"), "");
        assert!(matches!(
            script.end(),
            Some(SessionEnd::UnexpectedReply { step: Step::Ehlo, reply }) if reply.lines == ["second"]
        ));
    }

    #[test]
    fn garbage_ends_the_dialogue() {
        let mut script = Script::new(config(Security::StartTls, false, false));
        assert_eq!(script.server("\x15\x03\x01\x00\x02\x02\x50\n"), "");
        assert!(matches!(
            script.end(),
            Some(SessionEnd::MalformedReply {
                step: Step::Greeting,
                error: ReplyError::InvalidCode { .. }
            })
        ));
    }

    #[test]
    fn replies_split_across_reads() {
        let mut script = Script::new(config(Security::Plain, false, false));
        assert_eq!(script.server("220 mail.exa"), "");
        assert_eq!(script.server("mple.com\r"), "");
        assert_eq!(script.server("\n"), "EHLO client.example.org\r\n");
        assert_eq!(script.server("250-mx\r\n250 PIPE"), "");
        assert_eq!(script.server("LINING\r\n"), "QUIT\r\n");
    }

    #[test]
    fn the_password_is_in_no_debug_output_event_or_error() {
        let config = config(Security::StartTls, true, true);
        assert_no_secret(&format!("{config:?}"));
        assert_no_secret(&format!("{:?}", config.credentials));
        let mut bad = config.clone();
        bad.test_mail.as_mut().expect("mail").to = "a@b>\r\nRCPT TO:<c@d".to_owned();
        let error = Dialogue::new(bad).expect_err("refused");
        assert_no_secret(&format!("{error:?} {error}"));
        let nul = DialogueConfig {
            credentials: Some(Credentials::new(USER, format!("{PASSWORD}\0"))),
            ..config.clone()
        };
        let error = Dialogue::new(nul).expect_err("refused");
        assert_eq!(error, ConfigError::NulInCredentials);
        assert_no_secret(&format!("{error:?} {error}"));

        // Every step of a session that sends the password: `Script` checks the dialogue's
        // Debug output and each event after every call, including while the AUTH command
        // waits to be sent.
        let mut script = Script::new(config);
        script.server(GREETING);
        script.server(EHLO_BEFORE_TLS);
        script.server("220 Ready\r\n");
        script.tls();
        script.dialogue.handle_input(EHLO_AFTER_TLS.as_bytes());
        assert_no_secret(&format!("{:?}", script.dialogue));
        assert!(script.sent().contains(PLAIN_RESPONSE));
        script.server("535 5.7.8 Error: authentication failed\r\n");
        let report = script.dialogue.into_report();
        assert_no_secret(&format!("{report:?}"));
        assert_no_secret(&serde_json::to_string(&report).expect("JSON"));
        for event in &script.events {
            assert_no_secret(&serde_json::to_string(event).expect("JSON"));
        }
    }

    #[test]
    fn invalid_configurations_are_refused() {
        let refused = |change: &dyn Fn(&mut DialogueConfig)| {
            let mut config = config(Security::StartTls, true, true);
            change(&mut config);
            Dialogue::new(config).expect_err("refused")
        };
        assert!(matches!(
            refused(&|c| c.ehlo_name = "client example".to_owned()),
            ConfigError::InvalidEhloName { .. }
        ));
        assert!(matches!(
            refused(&|c| c.ehlo_name = String::new()),
            ConfigError::InvalidEhloName { .. }
        ));
        assert!(matches!(
            refused(&|c| c.test_mail.as_mut().expect("mail").from = "no-at-sign".to_owned()),
            ConfigError::InvalidAddress { .. }
        ));
        assert!(matches!(
            refused(&|c| c.test_mail.as_mut().expect("mail").to = "a@b>\r\nDATA".to_owned()),
            ConfigError::InvalidAddress { .. }
        ));
        assert!(matches!(
            refused(&|c| c.test_mail.as_mut().expect("mail").date = "Mon\r\nBcc: x@y".to_owned()),
            ConfigError::InvalidHeaderValue { .. }
        ));
        assert!(Dialogue::new(config(Security::StartTls, true, true)).is_ok());
        let literal = DialogueConfig::new("[192.0.2.1]", Security::Plain);
        assert!(Dialogue::new(literal).is_ok());
    }

    #[test]
    fn message_encoding() {
        let mut mail = test_mail();
        mail.subject = "Grüße aus dem Test\r\nBcc: injected@example.com".to_owned();
        mail.body = "Grüße\n.".to_owned();
        let text = message_text(&mail);
        // The subject became encoded words: no line starts with `Bcc:`.
        assert!(!text.contains("\r\nBcc:"));
        assert!(text.contains("Subject: =?UTF-8?B?"));
        assert!(text.contains("Content-Transfer-Encoding: base64\r\n"));
        // `Grüße\r\n.` in base64.
        assert!(text.ends_with("\r\n\r\nR3LDvMOfZQ0KLg==\r\n"));
        assert_eq!(encode_subject("short"), "short");
        assert_eq!(encode_subject("Ä"), "=?UTF-8?B?w4Q=?=");
        let long = encode_subject(&"ä".repeat(40));
        assert_eq!(long.split("\r\n ").count(), 2);
        assert!(long.split("\r\n ").all(|word| word.len() <= 75));
        // SMTPUTF8 is asked for where an address needs it and the server offers it.
        let mut utf8 = config(Security::Plain, false, true);
        utf8.test_mail.as_mut().expect("mail").to = "jörg@example.net".to_owned();
        let mut script = Script::new(utf8);
        script.server(GREETING);
        assert_eq!(
            script.server("250-mx\r\n250 SMTPUTF8\r\n"),
            format!("MAIL FROM:<{USER}> SMTPUTF8\r\n")
        );
    }
}
