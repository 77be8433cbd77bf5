//! SMTP server replies as they arrive on the wire (RFC 5321 §4.2): a reader that takes bytes in
//! any split and hands out whole replies, the enhanced status code a reply starts with (RFC 2034,
//! RFC 3463), and the extensions an `EHLO` reply announces (RFC 5321 §4.1.1.1).
//!
//! The reader is bounded: a line longer than [`MAX_LINE_LENGTH`] octets or a reply of more than
//! [`MAX_LINES_PER_REPLY`] lines is an error, so a hostile server cannot make it buffer without
//! end.

use crate::bounce::Status;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest reply line the reader accepts, in octets with its line end. RFC 5321
/// §4.5.3.1.5 allows 512; servers exceed that with long texts, so the reader is lenient.
pub const MAX_LINE_LENGTH: usize = 4096;

/// The most lines one reply may have. An `EHLO` reply has a line per extension, rarely more
/// than twenty.
pub const MAX_LINES_PER_REPLY: usize = 128;

/// The longest piece of an offending line an error quotes, in characters.
const QUOTED_LINE_LENGTH: usize = 80;

/// One complete server reply (RFC 5321 §4.2): the reply code and the text of each line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The three-digit reply code (`250`, `535`).
    pub code: u16,
    /// The enhanced status code at the start of the first line's text (RFC 2034 §4, RFC 3463
    /// §2), as in `535 5.7.8 Authentication credentials invalid`.
    pub enhanced_status: Option<Status>,
    /// The text of each line after the code and its separator (`-` or space), as sent, without
    /// the line end; bytes that are not UTF-8 are replaced. A bare `250` line has empty text.
    pub lines: Vec<String>,
}

impl Reply {
    /// A reply from its code and line texts; the enhanced status code is read from the first
    /// line.
    pub fn new(code: u16, lines: Vec<String>) -> Reply {
        let enhanced_status = lines
            .first()
            .and_then(|line| enhanced_status_prefix(line).map(|(status, _)| status));
        Reply {
            code,
            enhanced_status,
            lines,
        }
    }

    /// A 2yz reply: the command was accepted (RFC 5321 §4.2.1).
    pub fn is_positive(&self) -> bool {
        self.code / 100 == 2
    }

    /// A 3yz reply: the server waits for more (`354` after `DATA`, `334` during `AUTH`).
    pub fn is_intermediate(&self) -> bool {
        self.code / 100 == 3
    }

    /// A 4yz reply: a transient failure, trying again later can succeed.
    pub fn is_transient(&self) -> bool {
        self.code / 100 == 4
    }

    /// A 5yz reply: a permanent failure, the same command will fail again.
    pub fn is_permanent(&self) -> bool {
        self.code / 100 == 5
    }

    /// The text of all lines joined by spaces, with the enhanced status code that RFC 2034 §4
    /// repeats on each line left out: what the server says, for people.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            let line = match (self.enhanced_status, enhanced_status_prefix(line)) {
                (Some(status), Some((line_status, rest))) if status == line_status => rest,
                _ => line.as_str(),
            };
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(line);
        }
        text
    }
}

impl fmt::Display for Reply {
    /// The reply as it was on the wire, lines separated by `\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lines.is_empty() {
            return write!(f, "{}", self.code);
        }
        for (index, line) in self.lines.iter().enumerate() {
            let last = index + 1 == self.lines.len();
            if index > 0 {
                f.write_str("\n")?;
            }
            let separator = if last { ' ' } else { '-' };
            if last && line.is_empty() {
                write!(f, "{}", self.code)?;
            } else {
                write!(f, "{}{separator}{line}", self.code)?;
            }
        }
        Ok(())
    }
}

/// Reads an enhanced status code `class.subject.detail` (RFC 3463 §2: class 2, 4 or 5, subject
/// and detail one to three digits) at the start of `text`, followed by a space or the end.
/// Returns it and the text after it.
pub(crate) fn enhanced_status_prefix(text: &str) -> Option<(Status, &str)> {
    let code_end = text.find(' ').unwrap_or(text.len());
    let mut parts = text[..code_end].split('.');
    let class = match parts.next()? {
        "2" => 2,
        "4" => 4,
        "5" => 5,
        _ => return None,
    };
    let mut number = || -> Option<u16> {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let subject = number()?;
    let detail = number()?;
    if parts.next().is_some() {
        return None;
    }
    let status = Status {
        class,
        subject,
        detail,
    };
    Some((status, text[code_end..].strip_prefix(' ').unwrap_or("")))
}

/// Why the bytes from the server are not a reply. After one, the reader reads nothing more: the
/// conversation cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ReplyError {
    /// A line longer than [`MAX_LINE_LENGTH`] octets, or that many octets without a line end.
    LineTooLong {
        /// The octets of the line read so far.
        length: usize,
    },
    /// A reply with more than [`MAX_LINES_PER_REPLY`] lines.
    TooManyLines {
        /// The number of lines allowed.
        limit: usize,
    },
    /// A line that does not start with a reply code: three digits, the first 2 to 5 (RFC 5321
    /// §4.2).
    InvalidCode {
        /// The start of the line, non-UTF-8 bytes replaced.
        line: String,
    },
    /// A reply code followed by something else than a space, `-` or the line end.
    InvalidSeparator {
        /// The start of the line, non-UTF-8 bytes replaced.
        line: String,
    },
    /// A continuation line with another code than the reply's first line (RFC 5321 §4.2.1:
    /// every line of a reply carries the same code).
    CodeChanged {
        /// The code of the reply's first line.
        expected: u16,
        /// The code of this line.
        found: u16,
    },
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::LineTooLong { length } => {
                write!(f, "reply line of {length} octets exceeds {MAX_LINE_LENGTH}")
            }
            ReplyError::TooManyLines { limit } => write!(f, "reply has more than {limit} lines"),
            ReplyError::InvalidCode { line } => {
                write!(f, "reply line without a reply code: {line:?}")
            }
            ReplyError::InvalidSeparator { line } => {
                write!(
                    f,
                    "reply code not followed by space, '-' or line end: {line:?}"
                )
            }
            ReplyError::CodeChanged { expected, found } => {
                write!(f, "reply continued with code {found} instead of {expected}")
            }
        }
    }
}

impl std::error::Error for ReplyError {}

/// Takes the server's bytes in whatever pieces they arrive and hands out complete replies;
/// a partial reply stays buffered until the rest arrives. Lines may end in CRLF or a bare LF.
///
/// Call [`next_reply`](ReplyReader::next_reply) until it returns `None` after each
/// [`push`](ReplyReader::push): the buffer then holds at most one partial reply, which the
/// limits bound.
#[derive(Debug, Clone, Default)]
pub struct ReplyReader {
    /// Received bytes not yet read into lines.
    buffer: Vec<u8>,
    /// The code of the reply being read, once its first line is in.
    code: Option<u16>,
    /// The texts of the lines of the reply being read.
    lines: Vec<String>,
    /// Set after an error: everything after it is dropped.
    failed: bool,
}

impl ReplyReader {
    /// An empty reader.
    pub fn new() -> ReplyReader {
        ReplyReader::default()
    }

    /// Adds bytes received from the server.
    pub fn push(&mut self, bytes: &[u8]) {
        if !self.failed {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// The next complete reply, an error, or `None` when the buffered bytes hold no complete
    /// reply. After an error it returns `None` for good.
    pub fn next_reply(&mut self) -> Option<Result<Reply, ReplyError>> {
        if self.failed {
            return None;
        }
        let result = self.read_reply();
        if let Some(Err(_)) = result {
            self.failed = true;
            self.buffer = Vec::new();
            self.lines = Vec::new();
            self.code = None;
        }
        result
    }

    /// Whether bytes of a reply not yet complete are buffered.
    pub fn has_partial(&self) -> bool {
        !self.buffer.is_empty() || self.code.is_some()
    }

    /// Drops everything buffered: what the server sent before the TLS handshake must not be
    /// read as if it came through TLS (RFC 3207 §4.2's reason to discard knowledge).
    pub fn clear(&mut self) {
        self.buffer.clear();
        self.lines.clear();
        self.code = None;
    }

    /// Whether the reader stopped at an error.
    pub fn has_failed(&self) -> bool {
        self.failed
    }

    fn read_reply(&mut self) -> Option<Result<Reply, ReplyError>> {
        let buffer = std::mem::take(&mut self.buffer);
        let mut consumed = 0;
        let result = loop {
            let rest = &buffer[consumed..];
            let Some(line_end) = rest.iter().position(|&byte| byte == b'\n') else {
                if rest.len() > MAX_LINE_LENGTH {
                    break Some(Err(ReplyError::LineTooLong { length: rest.len() }));
                }
                break None;
            };
            if line_end + 1 > MAX_LINE_LENGTH {
                break Some(Err(ReplyError::LineTooLong {
                    length: line_end + 1,
                }));
            }
            let mut line = &rest[..line_end];
            consumed += line_end + 1;
            if let Some(without_cr) = line.strip_suffix(b"\r") {
                line = without_cr;
            }
            match self.read_line(line) {
                Ok(None) => continue,
                Ok(Some(reply)) => break Some(Ok(reply)),
                Err(error) => break Some(Err(error)),
            }
        };
        self.buffer = buffer;
        self.buffer.drain(..consumed);
        result
    }

    /// Reads one line without its line end; returns the reply when it was the last line.
    fn read_line(&mut self, line: &[u8]) -> Result<Option<Reply>, ReplyError> {
        let quoted = || {
            String::from_utf8_lossy(line)
                .chars()
                .take(QUOTED_LINE_LENGTH)
                .collect::<String>()
        };
        // RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39; the later digits are read
        // leniently.
        let code = match line {
            [
                first @ b'2'..=b'5',
                second @ b'0'..=b'9',
                third @ b'0'..=b'9',
                ..,
            ] => {
                u16::from(first - b'0') * 100
                    + u16::from(second - b'0') * 10
                    + u16::from(third - b'0')
            }
            _ => return Err(ReplyError::InvalidCode { line: quoted() }),
        };
        let (last, text) = match &line[3..] {
            [] => (true, &[][..]),
            [b' ', text @ ..] => (true, text),
            [b'-', text @ ..] => (false, text),
            _ => return Err(ReplyError::InvalidSeparator { line: quoted() }),
        };
        match self.code {
            Some(expected) if expected != code => {
                return Err(ReplyError::CodeChanged {
                    expected,
                    found: code,
                });
            }
            _ => self.code = Some(code),
        }
        if self.lines.len() >= MAX_LINES_PER_REPLY {
            return Err(ReplyError::TooManyLines {
                limit: MAX_LINES_PER_REPLY,
            });
        }
        self.lines.push(String::from_utf8_lossy(text).into_owned());
        if !last {
            return Ok(None);
        }
        self.code = None;
        Ok(Some(Reply::new(code, std::mem::take(&mut self.lines))))
    }
}

/// The SASL mechanisms this client can use, in the order it prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AuthMechanism {
    /// `PLAIN` (RFC 4616): user and password in one base64 message.
    Plain,
    /// `LOGIN` (draft-murchison-sasl-login): user and password answered to two prompts.
    Login,
}

impl AuthMechanism {
    /// The mechanism's name as `AUTH` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMechanism::Plain => "PLAIN",
            AuthMechanism::Login => "LOGIN",
        }
    }
}

impl fmt::Display for AuthMechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of an `EHLO` reply after the first: an extension keyword and its parameters (RFC
/// 5321 §4.1.1.1: `ehlo-line = ehlo-keyword *( SP ehlo-param )`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The keyword, uppercase (keywords are case-insensitive).
    pub keyword: String,
    /// The parameters as sent.
    pub parameters: Vec<String>,
}

/// What a server announces in its reply to `EHLO` (RFC 5321 §4.1.1.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// The name the server gives itself on the reply's first line.
    pub server_name: String,
    /// `STARTTLS` (RFC 3207): the connection can be switched to TLS.
    pub starttls: bool,
    /// The SASL mechanisms of `AUTH` (RFC 4954 §3), uppercase, each once, in the order sent.
    /// Includes those of the old `AUTH=LOGIN PLAIN` form.
    pub auth_mechanisms: Vec<String>,
    /// The server announced `AUTH` in the old `AUTH=…` form (before RFC 2554), which old
    /// Outlook versions read.
    pub auth_legacy_form: bool,
    /// `SIZE` (RFC 1870 §4): the announced maximum message size in octets; `Some(0)` when
    /// announced without a fixed maximum.
    pub size: Option<u64>,
    /// `8BITMIME` (RFC 6152).
    pub eight_bit_mime: bool,
    /// `SMTPUTF8` (RFC 6531).
    pub smtputf8: bool,
    /// `PIPELINING` (RFC 2920).
    pub pipelining: bool,
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    pub enhanced_status_codes: bool,
    /// Every extension line as sent, those above included.
    pub extensions: Vec<Extension>,
}

impl Capabilities {
    /// Reads the capabilities from the lines of an `EHLO` reply. The first line is the server's
    /// name and greeting; each further line one extension. Lines that are no extension keyword
    /// are skipped.
    pub fn from_ehlo(reply: &Reply) -> Capabilities {
        let mut capabilities = Capabilities {
            server_name: reply
                .lines
                .first()
                .and_then(|line| line.split_whitespace().next())
                .unwrap_or_default()
                .to_owned(),
            ..Capabilities::default()
        };
        for line in reply.lines.iter().skip(1) {
            let mut words = line.split_whitespace();
            let Some(first) = words.next() else {
                continue;
            };
            let mut parameters: Vec<String> = words.map(str::to_owned).collect();
            // The old form `AUTH=LOGIN PLAIN` puts the first mechanism in the keyword.
            let (keyword, legacy_auth) = match first.split_once('=') {
                Some((keyword, mechanism)) if keyword.eq_ignore_ascii_case("AUTH") => {
                    if !mechanism.is_empty() {
                        parameters.insert(0, mechanism.to_owned());
                    }
                    (keyword, true)
                }
                _ => (first, false),
            };
            if !is_ehlo_keyword(keyword) {
                continue;
            }
            let keyword = keyword.to_ascii_uppercase();
            capabilities.read_extension(&keyword, &parameters, legacy_auth);
            capabilities.extensions.push(Extension {
                keyword,
                parameters,
            });
        }
        capabilities
    }

    fn read_extension(&mut self, keyword: &str, parameters: &[String], legacy_auth: bool) {
        match keyword {
            "STARTTLS" => self.starttls = true,
            "AUTH" => {
                self.auth_legacy_form |= legacy_auth;
                for mechanism in parameters {
                    if !is_sasl_mechanism(mechanism) {
                        continue;
                    }
                    let mechanism = mechanism.to_ascii_uppercase();
                    if !self.auth_mechanisms.contains(&mechanism) {
                        self.auth_mechanisms.push(mechanism);
                    }
                }
            }
            "SIZE" => {
                self.size = match parameters.first() {
                    None => Some(0),
                    Some(number) => number.parse().ok().or(self.size),
                };
            }
            "8BITMIME" => self.eight_bit_mime = true,
            "SMTPUTF8" => self.smtputf8 = true,
            "PIPELINING" => self.pipelining = true,
            "ENHANCEDSTATUSCODES" => self.enhanced_status_codes = true,
            _ => {}
        }
    }

    /// Whether `AUTH` offers this mechanism.
    pub fn offers(&self, mechanism: AuthMechanism) -> bool {
        self.auth_mechanisms
            .iter()
            .any(|offered| offered == mechanism.as_str())
    }

    /// Whether the server offers `AUTH` at all.
    pub fn offers_auth(&self) -> bool {
        !self.auth_mechanisms.is_empty()
    }

    /// The maximum message size the server announced, `None` when it announced none or no
    /// fixed one.
    pub fn max_message_size(&self) -> Option<u64> {
        self.size.filter(|&size| size > 0)
    }

    /// The mechanism this client uses: `PLAIN` where offered, else `LOGIN`.
    pub fn preferred_mechanism(&self) -> Option<AuthMechanism> {
        [AuthMechanism::Plain, AuthMechanism::Login]
            .into_iter()
            .find(|&mechanism| self.offers(mechanism))
    }
}

/// `ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")` (RFC 5321 §4.1.1.1).
fn is_ehlo_keyword(word: &str) -> bool {
    let bytes = word.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|&byte| byte.is_ascii_alphanumeric() || byte == b'-')
}

/// `sasl-mech = 1*20mech-char`, `mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE` (RFC
/// 4422 §3.1); lowercase is accepted.
fn is_sasl_mechanism(word: &str) -> bool {
    (1..=20).contains(&word.len())
        && word
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every reply from `input` pushed in one piece.
    fn read_all(input: &[u8]) -> Vec<Result<Reply, ReplyError>> {
        let mut reader = ReplyReader::new();
        reader.push(input);
        std::iter::from_fn(|| reader.next_reply()).collect()
    }

    fn reply(input: &str) -> Reply {
        let mut replies = read_all(input.as_bytes());
        assert_eq!(replies.len(), 1, "{input:?}");
        replies.remove(0).expect("a reply")
    }

    fn status(class: u8, subject: u16, detail: u16) -> Option<Status> {
        Some(Status {
            class,
            subject,
            detail,
        })
    }

    #[test]
    fn single_and_multi_line_replies() {
        let greeting = reply("220 mail.example.com ESMTP Postfix\r\n");
        assert_eq!(greeting.code, 220);
        assert_eq!(greeting.lines, ["mail.example.com ESMTP Postfix"]);
        assert!(greeting.is_positive());
        assert_eq!(greeting.enhanced_status, None);

        let multi = reply("250-mail.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
        assert_eq!(multi.code, 250);
        assert_eq!(multi.lines, ["mail.example.com", "PIPELINING", "8BITMIME"]);
        assert_eq!(
            multi.to_string(),
            "250-mail.example.com\n250-PIPELINING\n250 8BITMIME"
        );
    }

    #[test]
    fn bare_code_and_lf_only_line_ends() {
        let bare = reply("250\n");
        assert_eq!(bare.code, 250);
        assert_eq!(bare.lines, [""]);
        assert_eq!(bare.text(), "");
        assert_eq!(bare.to_string(), "250");

        let lf = reply("250-first\n250 second\n");
        assert_eq!(lf.lines, ["first", "second"]);
        let mixed = reply("250-first\r\n250\n");
        assert_eq!(mixed.lines, ["first", ""]);
    }

    #[test]
    fn enhanced_status_codes() {
        let failed = reply("535 5.7.8 Authentication credentials invalid\r\n");
        assert_eq!(failed.enhanced_status, status(5, 7, 8));
        assert!(failed.is_permanent());
        assert_eq!(failed.text(), "Authentication credentials invalid");

        let gmail = reply(concat!(
            "535-5.7.8 Username and Password not accepted. For more information, go to\r\n",
            "535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a05\r\n",
        ));
        assert_eq!(gmail.enhanced_status, status(5, 7, 8));
        assert_eq!(
            gmail.text(),
            "Username and Password not accepted. For more information, go to \
             https://support.google.com/mail/?p=BadCredentials a1-20020a05"
        );

        let microsoft = reply(
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.\r\n",
        );
        assert_eq!(microsoft.enhanced_status, status(5, 7, 139));

        let transient = reply("451 4.3.0 Try again later\r\n");
        assert!(transient.is_transient());
        assert_eq!(transient.enhanced_status, status(4, 3, 0));

        // Not an enhanced status code: wrong class, too many parts, too many digits, no space.
        for text in [
            "250 3.1.0 no",
            "250 2.1.0.1 no",
            "250 2.1000.0 no",
            "250 2.1.0x no",
            "250 2..0 no",
            "250 mail.example.com",
        ] {
            assert_eq!(
                reply(&format!("{text}\r\n")).enhanced_status,
                None,
                "{text}"
            );
        }
        assert_eq!(reply("250 2.0.0\r\n").enhanced_status, status(2, 0, 0));
    }

    #[test]
    fn replies_split_across_pushes() {
        let input = b"220-mail.example.com ESMTP\r\n220 ready\r\n250-a\r\n250 b\r\n";
        for split in 0..=input.len() {
            for second_split in split..=input.len() {
                let mut reader = ReplyReader::new();
                let mut replies = Vec::new();
                for piece in [
                    &input[..split],
                    &input[split..second_split],
                    &input[second_split..],
                ] {
                    reader.push(piece);
                    while let Some(reply) = reader.next_reply() {
                        replies.push(reply.expect("a reply"));
                    }
                }
                assert_eq!(replies.len(), 2, "split at {split}, {second_split}");
                assert_eq!(replies[0].lines, ["mail.example.com ESMTP", "ready"]);
                assert_eq!(replies[1].lines, ["a", "b"]);
                assert!(!reader.has_partial());
            }
        }
    }

    #[test]
    fn a_partial_reply_stays_buffered() {
        let mut reader = ReplyReader::new();
        reader.push(b"250-first\r\n250 sec");
        assert_eq!(reader.next_reply(), None);
        assert!(reader.has_partial());
        reader.push(b"ond\r\n");
        assert_eq!(
            reader.next_reply().expect("complete").expect("valid").lines,
            ["first", "second"]
        );
        assert_eq!(reader.next_reply(), None);
        assert!(!reader.has_partial());
    }

    #[test]
    fn garbage_is_an_error_and_ends_reading() {
        let replies = read_all(b"HTTP/1.1 400 Bad Request\r\n250 ok\r\n");
        assert_eq!(
            replies,
            [Err(ReplyError::InvalidCode {
                line: "HTTP/1.1 400 Bad Request".to_owned()
            })]
        );
        assert!(matches!(
            read_all(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n")[..],
            [Err(ReplyError::InvalidCode { .. })]
        ));
        assert!(matches!(
            read_all(b"\r\n")[..],
            [Err(ReplyError::InvalidCode { .. })]
        ));
        assert!(matches!(
            read_all(b"25\r\n")[..],
            [Err(ReplyError::InvalidCode { .. })]
        ));
        assert!(matches!(
            read_all(b"650 no\r\n")[..],
            [Err(ReplyError::InvalidCode { .. })]
        ));
        assert_eq!(
            read_all(b"250:ok\r\n"),
            [Err(ReplyError::InvalidSeparator {
                line: "250:ok".to_owned()
            })]
        );
        assert!(matches!(
            read_all(b"2500 ok\r\n")[..],
            [Err(ReplyError::InvalidSeparator { .. })]
        ));
        assert_eq!(
            read_all(b"250-first\r\n550 second\r\n"),
            [Err(ReplyError::CodeChanged {
                expected: 250,
                found: 550
            })]
        );

        let mut reader = ReplyReader::new();
        reader.push(b"garbage\r\n");
        assert!(matches!(reader.next_reply(), Some(Err(_))));
        assert!(reader.has_failed());
        reader.push(b"250 ok\r\n");
        assert_eq!(reader.next_reply(), None);
        assert!(!reader.has_partial());
    }

    #[test]
    fn non_utf8_text_is_replaced() {
        let latin1 = reply("220 Gr\u{fc}\u{df}e\r\n");
        assert_eq!(latin1.text(), "Grüße");
        let replies = read_all(b"220 Gr\xfc\xdfe\r\n");
        assert_eq!(
            replies[0].as_ref().expect("valid").text(),
            "Gr\u{fffd}\u{fffd}e"
        );
    }

    #[test]
    fn overlong_lines_are_an_error() {
        // A line of the maximum length (line end included) is read.
        let mut line = b"250 ".to_vec();
        line.resize(MAX_LINE_LENGTH - 2, b'x');
        line.extend_from_slice(b"\r\n");
        assert!(matches!(read_all(&line)[..], [Ok(_)]));

        let mut long = b"250 ".to_vec();
        long.resize(MAX_LINE_LENGTH + 10, b'x');
        long.extend_from_slice(b"\r\n");
        assert_eq!(
            read_all(&long),
            [Err(ReplyError::LineTooLong {
                length: MAX_LINE_LENGTH + 12
            })]
        );

        // Without a line end the reader gives up as soon as the limit is passed, and keeps
        // nothing of what follows.
        let mut reader = ReplyReader::new();
        let chunk = [b'x'; 1000];
        let mut error = None;
        for _ in 0..100 {
            reader.push(&chunk);
            if let Some(result) = reader.next_reply() {
                error = Some(result);
                break;
            }
        }
        assert!(
            matches!(error, Some(Err(ReplyError::LineTooLong { length })) if length <= MAX_LINE_LENGTH + chunk.len())
        );
        reader.push(&chunk);
        assert!(!reader.has_partial());
    }

    #[test]
    fn too_many_lines_are_an_error() {
        let mut input = Vec::new();
        for _ in 0..MAX_LINES_PER_REPLY {
            input.extend_from_slice(b"250-line\r\n");
        }
        let mut reader = ReplyReader::new();
        reader.push(&input);
        assert_eq!(reader.next_reply(), None);
        reader.push(b"250 last\r\n");
        assert_eq!(
            reader.next_reply(),
            Some(Err(ReplyError::TooManyLines {
                limit: MAX_LINES_PER_REPLY
            }))
        );

        let mut most = Vec::new();
        for _ in 1..MAX_LINES_PER_REPLY {
            most.extend_from_slice(b"250-line\r\n");
        }
        most.extend_from_slice(b"250 last\r\n");
        assert_eq!(
            read_all(&most)[0].as_ref().expect("valid").lines.len(),
            MAX_LINES_PER_REPLY
        );
    }

    fn capabilities(input: &str) -> Capabilities {
        Capabilities::from_ehlo(&reply(input))
    }

    #[test]
    fn ehlo_postfix() {
        let postfix = capabilities(concat!(
            "250-mail.example.com\r\n",
            "250-PIPELINING\r\n",
            "250-SIZE 10240000\r\n",
            "250-VRFY\r\n",
            "250-ETRN\r\n",
            "250-STARTTLS\r\n",
            "250-ENHANCEDSTATUSCODES\r\n",
            "250-8BITMIME\r\n",
            "250-DSN\r\n",
            "250-SMTPUTF8\r\n",
            "250 CHUNKING\r\n",
        ));
        assert_eq!(
            postfix,
            Capabilities {
                server_name: "mail.example.com".to_owned(),
                starttls: true,
                auth_mechanisms: vec![],
                auth_legacy_form: false,
                size: Some(10_240_000),
                eight_bit_mime: true,
                smtputf8: true,
                pipelining: true,
                enhanced_status_codes: true,
                extensions: postfix.extensions.clone(),
            }
        );
        assert_eq!(postfix.extensions.len(), 10);
        assert_eq!(postfix.extensions[1].keyword, "SIZE");
        assert_eq!(postfix.extensions[1].parameters, ["10240000"]);
        assert_eq!(postfix.max_message_size(), Some(10_240_000));
        assert!(!postfix.offers_auth());
        assert_eq!(postfix.preferred_mechanism(), None);

        let after_tls = capabilities(concat!(
            "250-mail.example.com\r\n",
            "250-PIPELINING\r\n",
            "250-SIZE 10240000\r\n",
            "250-AUTH PLAIN LOGIN\r\n",
            "250-AUTH=PLAIN LOGIN\r\n",
            "250 8BITMIME\r\n",
        ));
        assert_eq!(after_tls.auth_mechanisms, ["PLAIN", "LOGIN"]);
        assert!(after_tls.auth_legacy_form);
        assert!(!after_tls.starttls);
        assert_eq!(after_tls.preferred_mechanism(), Some(AuthMechanism::Plain));
    }

    #[test]
    fn ehlo_office_365() {
        let office = capabilities(concat!(
            "250-AM0PR10CA0001.outlook.office365.com Hello [192.0.2.1]\r\n",
            "250-SIZE 157286400\r\n",
            "250-PIPELINING\r\n",
            "250-DSN\r\n",
            "250-ENHANCEDSTATUSCODES\r\n",
            "250-AUTH LOGIN XOAUTH2\r\n",
            "250-8BITMIME\r\n",
            "250-BINARYMIME\r\n",
            "250-CHUNKING\r\n",
            "250 SMTPUTF8\r\n",
        ));
        assert_eq!(office.server_name, "AM0PR10CA0001.outlook.office365.com");
        assert_eq!(office.auth_mechanisms, ["LOGIN", "XOAUTH2"]);
        assert_eq!(office.preferred_mechanism(), Some(AuthMechanism::Login));
        assert!(!office.offers(AuthMechanism::Plain));
        assert!(office.smtputf8 && office.eight_bit_mime && office.enhanced_status_codes);
    }

    #[test]
    fn ehlo_gmail() {
        let gmail = capabilities(concat!(
            "250-smtp.gmail.com at your service, [192.0.2.1]\r\n",
            "250-SIZE 35882577\r\n",
            "250-8BITMIME\r\n",
            "250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n",
            "250-ENHANCEDSTATUSCODES\r\n",
            "250-PIPELINING\r\n",
            "250-CHUNKING\r\n",
            "250 SMTPUTF8\r\n",
        ));
        assert_eq!(gmail.server_name, "smtp.gmail.com");
        assert_eq!(
            gmail.auth_mechanisms,
            [
                "LOGIN",
                "PLAIN",
                "XOAUTH2",
                "PLAIN-CLIENTTOKEN",
                "OAUTHBEARER",
                "XOAUTH"
            ]
        );
        assert_eq!(gmail.preferred_mechanism(), Some(AuthMechanism::Plain));
        assert_eq!(gmail.size, Some(35_882_577));
    }

    #[test]
    fn ehlo_old_auth_equals_form() {
        let old = capabilities("250-mail.example.com\r\n250-AUTH=LOGIN\r\n250 HELP\r\n");
        assert_eq!(old.auth_mechanisms, ["LOGIN"]);
        assert!(old.auth_legacy_form);
        assert_eq!(old.extensions[0].keyword, "AUTH");
        assert_eq!(old.extensions[0].parameters, ["LOGIN"]);

        let lowercase = capabilities("250-mx\n250-auth=login plain\n250-starttls\n250 size\n");
        assert_eq!(lowercase.auth_mechanisms, ["LOGIN", "PLAIN"]);
        assert!(lowercase.starttls);
        assert_eq!(lowercase.size, Some(0));
        assert_eq!(lowercase.max_message_size(), None);
    }

    #[test]
    fn ehlo_oddities_are_skipped() {
        let odd = capabilities(concat!(
            "250-mx.example.com\r\n",
            "250-\r\n",
            "250-  \r\n",
            "250--DASH\r\n",
            "250-SIZE lots\r\n",
            "250-AUTH LOGIN this-mechanism-name-is-too-long !bad\r\n",
            "250 X-EXPS GSSAPI NTLM\r\n",
        ));
        assert_eq!(odd.auth_mechanisms, ["LOGIN"]);
        assert_eq!(odd.size, None);
        let keywords: Vec<&str> = odd.extensions.iter().map(|e| e.keyword.as_str()).collect();
        assert_eq!(keywords, ["SIZE", "AUTH", "X-EXPS"]);

        let bare = capabilities("250\r\n");
        assert_eq!(bare, Capabilities::default());
    }
}
