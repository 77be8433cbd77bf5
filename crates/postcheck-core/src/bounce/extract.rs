//! Pulls the facts out of a bounce taken apart by [`super::mime`]: the RFC 3464 §2.2–2.3 fields
//! of the delivery status where there are any, else what the reporting server wrote for people
//! (the reply line, `host … said:`, the recipient). Status codes are read only where the grammar
//! puts them (RFC 3463 §2, RFC 5321 §4.2); the bounce's own header fields and the returned
//! message are read for the original sender's address and nothing else.

use super::Status;
use super::mime::Notice;
use std::net::IpAddr;

/// What could be read from the text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub reply_code: Option<u16>,
    pub status: Option<Status>,
    pub remote_server: Option<String>,
    pub reporting_server: Option<String>,
    pub recipient: Option<String>,
    pub sender_domain: Option<String>,
    pub ip: Option<IpAddr>,
    pub diagnostic: Option<String>,
    /// The type of the DSN `Diagnostic-Code` (RFC 3464 §2.3.6), lowercase: `smtp`, `x-unix` (a
    /// local program's exit status), `x-postfix`.
    pub diagnostic_type: Option<String>,
    /// The step of the SMTP session the refusal answered, where the report says so.
    pub command: Option<Command>,
    /// DSN `Action` (RFC 3464 §2.3.3), lowercase.
    pub action: Option<String>,
    /// What the reporting server wrote for people, lowercase: what the classifier reads after
    /// the diagnostic.
    pub human: String,
    /// The notice without the returned message, lowercase: where providers are recognised.
    pub own_text: String,
    /// Nothing to explain: the input is empty or holds header fields only.
    pub empty: bool,
    /// The notice says delivery is only delayed and still being tried.
    pub warning_only: bool,
    /// Every DSN `Action` says `delivered`, `relayed` or `expanded` (RFC 3464 §2.3.3): a
    /// report of success.
    pub delivered_only: bool,
    /// A complaint (an ARF feedback report, RFC 5965 §2), not a bounce.
    pub complaint: bool,
    /// The message calls itself an automatic reply (RFC 3834 §5: `Auto-Submitted:
    /// auto-replied`, an out-of-office subject or text).
    pub auto_reply: bool,
    /// Something says a delivery failed or is delayed: a DSN, a reply or status code, or the
    /// words of a failure.
    pub failure_named: bool,
    /// The address the message is from: of an automatic reply, the address that was written to.
    pub from: Option<String>,
}

/// Words with which notices say that a delivery failed, in English and German (and the
/// subjects of the large providers' notices).
const FAILURE_WORDS: &[&str] = &[
    "undeliver",
    "undelivered",
    "not delivered",
    "not be delivered",
    "couldn't be delivered",
    "wasn't delivered",
    "delivery failed",
    "delivery has failed",
    "delivery to the following",
    "failed",
    "failure",
    "non-delivery",
    "returned mail",
    "returning message",
    "could not deliver",
    "unable to deliver",
    "permanent error",
    "temporary error",
    "rejected",
    "refused",
    "delayed",
    "mail delivery",
    "delivery status",
    "bounce",
    "mailer-daemon",
    "returned",
    "could not be sent",
    "unzustellbar",
    "nicht zugestellt",
    "nicht zustellbar",
    "fehlgeschlagen",
    "abgelehnt",
    "zurückgewiesen",
    "zurückgeschickt",
    "kam zurück",
];

/// How automatic replies (RFC 3834) call themselves in their subject or first words: out of
/// office, vacation, in English, German, French, Spanish, Italian and Dutch.
const AUTO_REPLY_WORDS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto-reply",
    "autoreply",
    "auto reply",
    "away from the office",
    "on vacation",
    "vacation reply",
    "abwesenheitsnotiz",
    "automatische antwort",
    "nicht im büro",
    "abwesend",
    "réponse automatique",
    "absence du bureau",
    "respuesta automática",
    "fuera de la oficina",
    "risposta automatica",
    "fuori ufficio",
    "automatisch antwoord",
    "afwezig",
];

/// The steps of an SMTP session (RFC 5321 §3.1–3.3, §4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Command {
    /// The greeting or `HELO`/`EHLO`: the refusal is about the connecting server.
    Connect,
    /// `MAIL FROM`: the refusal is about the sender's address.
    MailFrom,
    /// `RCPT TO`: about the recipient.
    RcptTo,
    /// `DATA` or the end of the data: about the message.
    Data,
}

/// How reports name the step a refusal answered: Postfix ("in reply to MAIL FROM command"),
/// Exim ("SMTP error from remote mail server after MAIL FROM:<…>"), qmail ("Connected to
/// 192.0.2.1 but sender was rejected."), sendmail's transcript (">>> MAIL From:<…>").
const COMMAND_MARKERS: &[(&str, Command)] = &[
    ("in reply to mail from command", Command::MailFrom),
    ("after mail from", Command::MailFrom),
    ("after pipelined mail from", Command::MailFrom),
    ("but sender was rejected", Command::MailFrom),
    ("in reply to rcpt to command", Command::RcptTo),
    ("after rcpt to", Command::RcptTo),
    ("after pipelined rcpt to", Command::RcptTo),
    ("in reply to end of data command", Command::Data),
    ("in reply to data command", Command::Data),
    ("after end of data", Command::Data),
    ("after data:", Command::Data),
    ("after pipelined data", Command::Data),
    // Gmail's old notices name the step it had reached: "Connection was dropped by remote
    // host (SENT_HELO)".
    ("(sent_helo)", Command::Connect),
    ("(sent_ehlo)", Command::Connect),
    ("in reply to helo command", Command::Connect),
    ("in reply to ehlo command", Command::Connect),
    ("after helo", Command::Connect),
    ("after ehlo", Command::Connect),
    ("after initial connection", Command::Connect),
    (
        "while receiving the initial server greeting",
        Command::Connect,
    ),
    ("in reply to initial greeting", Command::Connect),
    ("but my name was rejected", Command::Connect),
    ("but greeting failed", Command::Connect),
];

/// The step the first refusal answered: the earliest marker in `text` (lowercase), or in a
/// sendmail transcript the `>>>` command right before the first `<<< 4xx/5xx` line.
fn command_in(text: &str) -> Option<Command> {
    let marked = COMMAND_MARKERS
        .iter()
        .filter_map(|(marker, command)| text.find(marker).map(|at| (at, *command)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, command)| command);
    marked.or_else(|| {
        let mut last = None;
        for line in text.lines().map(str::trim) {
            if let Some(sent) = line.strip_prefix(">>> ") {
                let sent = sent.trim_start();
                last = [
                    ("mail from", Command::MailFrom),
                    ("rcpt to", Command::RcptTo),
                    ("data", Command::Data),
                    (".", Command::Data),
                    ("helo", Command::Connect),
                    ("ehlo", Command::Connect),
                ]
                .iter()
                .find(|(verb, _)| sent.starts_with(verb))
                .map(|(_, command)| *command);
            } else if line.starts_with("<<< 4") || line.starts_with("<<< 5") {
                return last;
            }
        }
        None
    })
}

/// Unfolds continuation lines (RFC 5322 §2.2.3) into one logical line each.
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t'])
            && !line.trim().is_empty()
            && let Some(last) = lines.last_mut().filter(|l| !l.is_empty())
        {
            last.push(' ');
            last.push_str(line.trim());
            continue;
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// The value of a `Name: value` line whose name is `name` (case-insensitive).
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let (key, value) = line.split_once(':')?;
    key.trim()
        .eq_ignore_ascii_case(name)
        .then_some(value.trim())
}

/// The part after `type;` of a DSN field (RFC 3464 §2.3.2: `address-type ";" generic-address`).
fn typed(value: &str) -> &str {
    value.split_once(';').map_or(value, |(_, rest)| rest).trim()
}

fn clean_address(text: &str) -> Option<String> {
    let text = text
        .trim()
        .trim_start_matches(['<', '\'', '"', '('])
        .trim_end_matches(['>', '.', ',', ';', ':', ')', '\'', '"', ']']);
    let (local, domain) = text.rsplit_once('@')?;
    let valid = !local.is_empty()
        && !local.contains('@')
        && local
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"<>()[]\\,;:\"".contains(&b))
        && domain.contains('.')
        && !domain.starts_with('.')
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    valid.then(|| text.to_ascii_lowercase())
}

/// Every email address in `text`, in order.
fn addresses(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "<>()[]\"',;".contains(c))
        .filter(|word| word.contains('@'))
        .filter_map(|word| {
            let word = word
                .trim_start_matches("mailto:")
                .trim_start_matches("rfc822:")
                .trim_start_matches("RCPT TO:")
                .trim_start_matches("To:");
            // An X.400 address holds the Internet one as an attribute (Exchange 5.5's
            // "c=US;a= ;p=Org;dda:SMTP=user@example.com;").
            let lower = word.to_ascii_lowercase();
            let word = ["smtp=", "rfc-822="]
                .iter()
                .find_map(|key| lower.find(key).map(|at| &word[at + key.len()..]))
                .unwrap_or(word);
            clean_address(word)
        })
        .collect()
}

/// The subjects mail systems give a warning that delivery is delayed and still being tried
/// (Sendmail's "Warning: could not send message for past 4 hours", Postfix's "Delayed Mail
/// (still being retried)", Gmail's "Delivery Status Notification (Delay)", Exchange's
/// "Delivery delayed:"): the notice's own summary, read only when the notice comes from a mail
/// system (`MAILER-DAEMON@…`, `postmaster@…`), never from a person's forward ("Fwd: Delivery
/// delayed") or the returned message.
const DELAY_SUBJECTS: &[&str] = &[
    "could not send message for past",
    "could not send mail for past",
    "still being retried",
    "notification (delay)",
    "delivery delayed",
    "zustellung verzögert",
];

/// The addresses a notice's text names as the sender's ("Ihre Absenderadresse info@…", "sender
/// address <info@…>", "MAIL FROM:<info@…>"): never the recipient that failed, even where the
/// notice names the sender first.
fn named_senders(text: &str) -> Vec<String> {
    const MARKERS: &[&str] = &[
        "absenderadresse",
        "absender",
        "sender address",
        "sender",
        "mail from",
        "envelope-from",
        "return-path",
    ];
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for marker in MARKERS {
        for (at, _) in lower.match_indices(marker) {
            // The address right after the marker, behind nothing but separators.
            let rest = lower[at + marker.len()..].trim_start_matches([' ', ':', '<', '"', '=']);
            let word = rest
                .split(|c: char| c.is_whitespace() || "<>()[]\"',;".contains(c))
                .next()
                .unwrap_or_default();
            if let Some(address) = addresses(word).into_iter().next() {
                found.push(address);
            }
        }
    }
    found
}

/// Whether a `From:` or `Sender:` value is a mail system's (`MAILER-DAEMON@…`, `postmaster@…`).
fn is_system_sender(value: &str) -> bool {
    addresses(value).iter().any(|a| is_system_address(a))
}

fn is_system_address(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or_default();
    [
        "mailer-daemon",
        "postmaster",
        "mail-daemon",
        "maildaemon",
        "mailer_daemon",
        "double-bounce",
    ]
    .iter()
    .any(|system| local.eq_ignore_ascii_case(system))
}

/// An enhanced status code (RFC 3463 §2: class 2, 4 or 5, subject and detail of one to three
/// digits) that is all of `word` but for the brackets and punctuation around it.
fn status_in(word: &str) -> Option<Status> {
    let word = word
        .trim_start_matches(['(', '[', '#', '\'', '"', '<'])
        .trim_end_matches([',', ';', ':', ')', '.', ']', '\'', '"', '>']);
    let mut parts = word.split('.');
    let class: u8 = parts.next()?.parse().ok()?;
    let subject = parts.next()?;
    let detail = parts.next()?;
    if parts.next().is_some() || !matches!(class, 2 | 4 | 5) {
        return None;
    }
    let digits = |s: &str| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(subject) || !digits(detail) || word.starts_with('0') {
        return None;
    }
    Some(Status {
        class,
        subject: subject.parse().ok()?,
        detail: detail.parse().ok()?,
    })
}

/// A reply code (RFC 5321 §4.2: `4yz` or `5yz`) that is all of `word`, as `550` or `550-`.
fn reply_in(word: &str) -> Option<u16> {
    let digits = word.strip_suffix('-').unwrap_or(word);
    let digits = digits
        .trim_start_matches(['\'', '"', '(', '#', '['])
        .trim_end_matches([',', ':', ')', '\'', '"', ']']);
    if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code: u16 = digits.parse().ok()?;
    (400..600).contains(&code).then_some(code)
}

/// Words after which a server's reply stands (`said: 550`, `smtp; 550`, `<<< 550`).
fn opens_reply(previous: &str) -> bool {
    let lower = previous.to_ascii_lowercase();
    let bare = lower.trim_start_matches(['(', '[']);
    matches!(
        bare,
        "said:"
            | "said"
            | "returned"
            | "error:"
            | "reply:"
            | "response:"
            | "code:"
            | "was:"
            | "reason:"
            | "status:"
            | "diagnostic-code:"
            | "answer:"
            | "failed:"
            | "<<<"
            | "smtp"
            | "responded"
            | "message:"
            | "reported:"
            // Exchange's "Remote Server returned '550 …'" in German ("Remoteserver hat '550 …'
            // zurückgegeben"), French ("… a renvoyé '550 …'"), Dutch ("… heeft '550 …'
            // geretourneerd") and Spanish ("… devolvió '550 …'").
            | "hat"
            | "renvoyé"
            | "heeft"
            | "devolvió"
    ) || bare.ends_with(';')
        || (bare.ends_with(':')
            && bare.chars().filter(|c| *c != ':').all(char::is_alphabetic)
            && !matches!(
                bare,
                "length:" | "size:" | "lines:" | "port:" | "bytes:" | "id:"
            ))
        || bare.ends_with("]:")
        || bare.ends_with(">:")
        || bare.ends_with("):")
}

/// The words of a line, `smtp;550` split after its `;`.
fn words(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in line.split_whitespace() {
        match word.split_once(';') {
            Some((head, tail)) if !tail.is_empty() && tail.as_bytes()[0].is_ascii_digit() => {
                out.push(&word[..head.len() + 1]);
                out.push(tail);
            }
            _ => out.push(word),
        }
    }
    out
}

/// The first reply code with its enhanced status, or either alone, in `text`. A reply code
/// counts at a line's start or after `said:`, `smtp;`, `<<<` and the like (RFC 5321 §4.2, as
/// reports quote it); a status right after a reply code, at such a place, or set apart as
/// `#5.1.2`, `(5.1.1)`, `[5.7.1]` — never inside a version number or a header field.
fn codes_in(text: &str) -> (Option<u16>, Option<Status>) {
    let mut reply = None;
    let mut status = None;
    for line in text.lines() {
        let words = words(line);
        for (index, word) in words.iter().enumerate() {
            let at_reply_place =
                index == 0 || opens_reply(words[index - 1]) || word.starts_with('#');
            // `550-5.7.26`, `550 5.1.1`: a reply with its status.
            if at_reply_place {
                if let Some((head, tail)) = word.split_once('-')
                    && let (Some(code), Some(found)) = (reply_in(head), status_in(tail))
                {
                    return (Some(code), Some(found));
                }
                let code_word = match word.split_once('-') {
                    Some((head, _)) if head.trim_start_matches(['#', '\'', '"']).len() == 3 => head,
                    _ => word,
                };
                if let Some(code) = reply_in(code_word) {
                    let next = words
                        .get(index + 1)
                        .and_then(|w| status_in(w))
                        .filter(|s| s.class == (code / 100) as u8);
                    if next.is_some() {
                        return (Some(code), next);
                    }
                    reply = reply.or(Some(code));
                    continue;
                }
            }
            let set_apart = word.starts_with(['#', '(', '['])
                || word.starts_with("(#")
                || index > 0 && reply_in(words[index - 1]).is_some();
            if status.is_none() && (at_reply_place || set_apart) {
                status = status_in(word);
            }
        }
    }
    (reply, status)
}

/// The first IP literal in `text` that is not the remote server's own (`host x[ip]`).
fn ip_in(text: &str, remote: Option<&str>) -> Option<IpAddr> {
    let lower = text.to_ascii_lowercase();
    let remote_ip_context = |at: usize| {
        remote.is_some_and(|host| {
            let before = &lower[..at];
            before
                .trim_end_matches(['[', '(', ' '])
                .ends_with(&host.to_ascii_lowercase())
        })
    };
    let mut offset = 0;
    for word in text.split(|c: char| c.is_whitespace() || "[]()<>=,;\"'".contains(c)) {
        let start = text[offset..].find(word).map_or(offset, |i| offset + i);
        offset = start + word.len();
        let candidate = word.trim_end_matches(['.', ':']);
        let Ok(ip) = candidate.parse::<IpAddr>() else {
            continue;
        };
        if remote_ip_context(start) || ip.is_loopback() || ip.is_unspecified() {
            continue;
        }
        // `1.2.3.4` in IPv6 form is an IPv4 written oddly; `::` alone says nothing.
        if matches!(ip, IpAddr::V6(v6) if v6.segments().iter().filter(|s| **s != 0).count() < 2) {
            continue;
        }
        return Some(ip);
    }
    None
}

/// A host name after `host ` (Postfix, Exim), `Remote Server at ` (Exchange).
fn remote_host(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    // `host NAME[ip]` / `host NAME [ip]` (Postfix, Exim) — not "the mail system at host NAME",
    // which names the sender's own server — and Exchange's `Remote Server at NAME`.
    for (marker, needs_address) in [("remote server at ", false), ("host ", true)] {
        let mut search = 0;
        while let Some(found) = lower[search..].find(marker) {
            let start = search + found + marker.len();
            search = start;
            let rest = lower[start..].trim_start();
            let host: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                .collect();
            let after = rest[host.len()..].trim_start();
            let host = host.trim_end_matches('.');
            let has_address = after.starts_with('[') || after.starts_with('(');
            if host.contains('.')
                && host.parse::<IpAddr>().is_err()
                && (!needs_address || has_address)
            {
                return Some(host.to_owned());
            }
        }
    }
    None
}

/// A domain the remote server names as the sender's (`domain of X does not designate`,
/// `sending domain X`, `DMARC policy of X`, `from domain X`).
fn named_sender_domain(lower: &str) -> Option<String> {
    for marker in [
        "domain of ",
        "sending domain ",
        "dmarc policy of ",
        "from domain ",
        "sender domain ",
        "for domain ",
        "email from ",
        "mail from ",
    ] {
        if let Some(found) = lower.find(marker) {
            let rest = &lower[found + marker.len()..];
            let domain: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-' || *c == '@')
                .collect();
            let domain = domain
                .rsplit('@')
                .next()
                .unwrap_or_default()
                .trim_end_matches('.');
            if domain.contains('.') && domain.parse::<IpAddr>().is_err() {
                return Some(domain.to_owned());
            }
        }
    }
    None
}

/// The per-recipient block of the delivery status that reports the failure (RFC 3464 §2.3):
/// the first whose action is `failed` or `delayed`, else the first with a recipient. The first
/// block holds the per-message fields (§2.2).
fn recipient_block(status: &str) -> (Vec<String>, Vec<String>) {
    let blocks: Vec<Vec<String>> = status
        .split("\n\n")
        .map(unfold)
        .map(|lines| {
            lines
                .into_iter()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|lines| !lines.is_empty())
        .collect();
    let is_recipient = |block: &Vec<String>| {
        block.iter().any(|l| {
            field(l, "Final-Recipient").is_some() || field(l, "Original-Recipient").is_some()
        })
    };
    let per_message = blocks
        .iter()
        .find(|b| !is_recipient(b))
        .cloned()
        .unwrap_or_default();
    let failing = blocks.iter().find(|block| {
        is_recipient(block)
            && block.iter().any(|l| {
                field(l, "Action").is_some_and(|a| {
                    let a = a.to_ascii_lowercase();
                    a.starts_with("failed") || a.starts_with("delayed")
                })
            })
    });
    let chosen = failing
        .or_else(|| blocks.iter().find(|b| is_recipient(b)))
        .cloned()
        .unwrap_or_default();
    (per_message, chosen)
}

/// Reads the facts of a bounce.
pub(crate) fn extract(notice: &Notice) -> Facts {
    let (per_message, block) = recipient_block(&notice.status);
    let mut facts = Facts::default();
    let mut field_status = None;
    let mut status_senders = Vec::new();
    let mut status_words = None;
    let mut actions = Vec::new();
    for line in per_message.iter().chain(&block) {
        if let Some(value) =
            field(line, "Final-Recipient").or_else(|| field(line, "Original-Recipient"))
        {
            facts.recipient = facts
                .recipient
                .take()
                .or_else(|| clean_address(typed(value)));
        } else if let Some(value) = field(line, "Action") {
            let action = value.to_ascii_lowercase();
            let success = ["delivered", "relayed", "expanded"]
                .iter()
                .any(|word| action.starts_with(word));
            actions.push(success);
            facts.action = facts.action.take().or(Some(action));
        } else if let Some(value) = field(line, "Status") {
            match value.split_whitespace().next().and_then(status_in) {
                Some(status) => field_status = field_status.or(Some(status)),
                // RFC 3464 §2.3.4 wants a status code here; some servers (NTMail) write the
                // reply itself ("Status: 553 Exceeded maximum inbound message size"): those
                // are the remote server's words, read where a Diagnostic-Code would be.
                None if value.contains(' ') => {
                    status_words = status_words.take().or(Some(value.to_owned()));
                }
                None => {}
            }
        } else if let Some(value) = field(line, "Remote-MTA") {
            facts.remote_server = facts
                .remote_server
                .take()
                .or(Some(typed(value).to_ascii_lowercase()))
                .filter(|v| !v.is_empty());
        } else if let Some(value) = field(line, "Reporting-MTA") {
            facts.reporting_server = facts
                .reporting_server
                .take()
                .or(Some(typed(value).to_ascii_lowercase()));
        } else if let Some(raw) = field(line, "Diagnostic-Code") {
            let value = typed(raw);
            if facts.diagnostic_type.is_none()
                && let Some((kind, _)) = raw.split_once(';')
            {
                facts.diagnostic_type = Some(kind.trim().to_ascii_lowercase());
            }
            if !value.is_empty() {
                facts.diagnostic = facts.diagnostic.take().or(Some(value.to_owned()));
            }
        } else if let Some(value) = field(line, "X-Postfix-Sender")
            .or_else(|| field(line, "X-Original-Sender"))
            .or_else(|| field(line, "X-Sender"))
        {
            status_senders.extend(addresses(value));
        }
    }
    facts.diagnostic = facts.diagnostic.take().or(status_words);
    let human = notice.human.as_str();
    // The reply: from the DSN's diagnostic, else from the human-readable text.
    let (reply, status) = facts
        .diagnostic
        .as_deref()
        .map(codes_in)
        .filter(|(r, s)| r.is_some() || s.is_some())
        .unwrap_or_else(|| codes_in(human));
    facts.reply_code = reply;
    // RFC 3464 §2.3.4: the Status field is the DSN's verdict; a reply's own enhanced code is
    // more specific when the field says only `X.0.0`.
    facts.status = match (field_status, status) {
        (Some(field), Some(said)) if field.subject == 0 && field.detail == 0 => Some(said),
        (Some(field), Some(said)) if field.class == said.class => Some(said),
        (Some(field), _) => Some(field),
        (None, said) => said,
    };
    if facts.diagnostic.is_none() {
        facts.diagnostic = diagnostic_line(human, facts.reply_code, facts.status);
    }
    if facts.remote_server.is_none() {
        facts.remote_server = remote_host(human);
    }
    // The addresses the bounce itself is from and to: never the recipient.
    let own: Vec<String> = ["from", "to", "reply-to", "sender"]
        .iter()
        .filter_map(|name| notice.header(name))
        .flat_map(addresses)
        .collect();
    let returned_senders: Vec<String> = notice
        .returned_headers
        .iter()
        .filter(|(name, _)| matches!(name.as_str(), "from" | "return-path" | "sender"))
        .flat_map(|(_, value)| addresses(value))
        .filter(|a| !is_system_address(a))
        .collect();
    if facts.recipient.is_none() {
        facts.recipient = notice
            .header("x-failed-recipients")
            .and_then(|value| addresses(value).into_iter().next());
    }
    if facts.recipient.is_none() {
        let message_id_line = |line: &str| {
            let lower = line.to_ascii_lowercase();
            [
                "message-id",
                "message id",
                "msgid",
                "queue id",
                "queue-id",
                "in-reply-to",
            ]
            .iter()
            .any(|marker| lower.contains(marker))
        };
        // A notice that quotes the original's header ("Your message\n  To: list@example.org\n
        // Subject: …\ndid not reach the following recipient(s): …", Exchange) names its
        // addressees there, not the recipient that failed: those lines are read last.
        let quoted_header_line = |line: &str| {
            let lower = line.trim_start().to_ascii_lowercase();
            // English, German ("An:", "Von:"), Polish ("Do:", "Od:"), French, Spanish and
            // Portuguese ("De:", "Para:"), Italian ("Da:", "A:"), Dutch ("Aan:", "Van:").
            [
                "to:",
                "cc:",
                "bcc:",
                "from:",
                "sender:",
                "reply-to:",
                "an:",
                "von:",
                "do:",
                "od:",
                "de:",
                "para:",
                "da:",
                "a:",
                "aan:",
                "van:",
            ]
            .iter()
            .any(|name| lower.starts_with(name))
        };
        let named_senders = named_senders(human);
        let candidate = |a: &String| {
            !is_system_address(a)
                && !own.contains(a)
                && !returned_senders.contains(a)
                && !named_senders.iter().any(|n| n.eq_ignore_ascii_case(a))
        };
        let lines = || human.lines().filter(|line| !message_id_line(line));
        // Postfix's report names each recipient at a line's start, "<user@example.com>: reason";
        // that one is meant even when it is also the sender (mail to oneself).
        let postfix_line = |line: &str| {
            let (address, _) = line.strip_prefix('<')?.split_once(">:")?;
            clean_address(address).filter(|a| !is_system_address(a))
        };
        facts.recipient = lines()
            .find_map(postfix_line)
            .or_else(|| {
                lines()
                    .filter(|line| !quoted_header_line(line))
                    .flat_map(addresses)
                    .find(candidate)
            })
            .or_else(|| lines().flat_map(addresses).find(candidate));
    }
    let bounce_to: Vec<String> = notice
        .header("to")
        .map(addresses)
        .unwrap_or_default()
        .into_iter()
        .filter(|a| !is_system_address(a))
        .collect();
    let diagnostic_lower = facts
        .diagnostic
        .as_deref()
        .unwrap_or_default()
        .to_lowercase();
    let human_lower = human.to_lowercase();
    facts.sender_domain = returned_senders
        .iter()
        .chain(&status_senders)
        .chain(&bounce_to)
        .find(|a| !is_system_address(a))
        .and_then(|a| a.rsplit('@').next())
        .map(str::to_owned)
        .or_else(|| named_sender_domain(&diagnostic_lower))
        .or_else(|| named_sender_domain(&human_lower));
    let remote = facts.remote_server.clone();
    facts.ip = facts
        .diagnostic
        .as_deref()
        .and_then(|d| ip_in(d, remote.as_deref()))
        .or_else(|| ip_in(human, remote.as_deref()));
    let own_headers: String = notice
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect();
    facts.own_text = format!("{own_headers}{human}\n{}", notice.status).to_lowercase();
    facts.empty = human.trim().is_empty() && notice.status.trim().is_empty();
    facts.warning_only = facts
        .action
        .as_deref()
        .is_some_and(|a| a.starts_with("delayed"))
        || [
            "warning only",
            "will be retried",
            "will retry",
            "still trying",
            "not yet been delivered",
            "has been delayed",
            "delivery is delayed",
            "delivery delayed",
            "do not need to resend",
            "no action is required",
        ]
        .iter()
        .any(|needle| human_lower.contains(needle))
        || notice.header("from").is_some_and(is_system_sender)
            && DELAY_SUBJECTS.iter().any(|needle| {
                notice
                    .header("subject")
                    .is_some_and(|subject| subject.to_lowercase().contains(needle))
            });
    // RFC 3464 §2.3.3: a report of delivery, not of a failure, when every recipient's action
    // is one of success.
    facts.delivered_only = !actions.is_empty() && actions.iter().all(|success| *success);
    facts.complaint = notice.feedback_report
        || notice
            .header("content-type")
            .is_some_and(|value| value.to_ascii_lowercase().contains("feedback-report"));
    let subject = notice.header("subject").unwrap_or_default().to_lowercase();
    let flat_human = human_lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let first_words: String = flat_human.chars().take(400).collect();
    facts.auto_reply = notice.header("auto-submitted").is_some_and(|value| {
        value
            .trim()
            .to_ascii_lowercase()
            .starts_with("auto-replied")
    }) || ["x-autoreply", "x-autorespond"]
        .iter()
        .any(|name| notice.header(name).is_some())
        || notice
            .header("precedence")
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("auto_reply"))
        || AUTO_REPLY_WORDS
            .iter()
            .any(|word| subject.contains(word) || first_words.contains(word));
    facts.from = notice
        .header("from")
        .and_then(|value| addresses(value).into_iter().next());
    facts.failure_named = !notice.status.trim().is_empty()
        || facts.reply_code.is_some()
        || facts.status.is_some()
        || facts.diagnostic.is_some()
        || facts.warning_only
        || FAILURE_WORDS
            .iter()
            .any(|word| subject.contains(word) || flat_human.contains(word))
        || ["from", "sender"]
            .iter()
            .any(|name| notice.header(name).is_some_and(is_system_sender));
    // Markers wrap across lines ("in reply to end of DATA\n    command"); the transcript's
    // `>>>` lines need theirs.
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    facts.command = command_in(&flat(&human_lower))
        .or_else(|| command_in(&human_lower))
        .or_else(|| command_in(&diagnostic_lower));
    facts.human = human_lower;
    facts
}

/// The line that holds the reply, with the continuation lines of a multi-line reply
/// (`550-5.7.26 …` / `550 5.7.26 …`, RFC 5321 §4.2.1), at most 600 characters.
fn diagnostic_line(text: &str, reply: Option<u16>, status: Option<Status>) -> Option<String> {
    let needle = reply
        .map(|r| r.to_string())
        .or_else(|| status.map(|s| s.to_string()))?;
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| {
        let (code, _) = codes_in(l);
        code.map(|c| c.to_string()) == Some(needle.clone())
            || (code.is_none() && l.contains(&needle))
    })?;
    let mut out = lines[first].trim().to_owned();
    for line in &lines[first + 1..] {
        let trimmed = line.trim();
        let continues = trimmed.starts_with(&needle)
            || (!trimmed.is_empty() && line.starts_with([' ', '\t']) && out.len() < 400);
        if !continues {
            break;
        }
        out.push(' ');
        out.push_str(trimmed);
    }
    Some(out.chars().take(600).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_written_into_the_status_field_is_the_diagnostic() {
        let notice = crate::bounce::mime::parse(
            b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
              --b\n\nYour message was not delivered.\n\
              --b\nContent-Type: message/delivery-status\n\n\
              Reporting-MTA: dns;mx.example.be\n\
              Final-Recipient: rfc822;userx@example.be\nAction: failure\n\
              Status: 553 Exceeded maximum inbound message size\n--b--\n",
        );
        let facts = extract(&notice);
        assert_eq!(
            facts.diagnostic.as_deref(),
            Some("553 Exceeded maximum inbound message size")
        );
        assert_eq!(facts.reply_code, Some(553));
        assert_eq!(facts.status, None);
    }

    #[test]
    fn the_failed_recipient_is_not_an_addressee_the_notice_quotes() {
        for (text, want) in [
            (
                "Your message\n  To:      list@example.org\n  Subject: news\n\
                 did not reach the following recipient(s):\n\
                 c=US;a= ;p=Org;dda:SMTP=userx@example.com; on Fri, 4 Oct 2002\n",
                "userx@example.com",
            ),
            (
                "Ihre Nachricht\n  An: liste@example.org\n  Betreff: Neues\n\
                 hat folgende Empfänger nicht erreicht:\n  anna@example.de am 04.10.2002\n",
                "anna@example.de",
            ),
            // Only a quoted addressee: it is still the best guess.
            (
                "Delivery failed.\n  To: only@example.net\n",
                "only@example.net",
            ),
        ] {
            let notice = crate::bounce::mime::parse(text.as_bytes());
            assert_eq!(extract(&notice).recipient.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn statuses_and_replies_stand_where_the_grammar_puts_them() {
        assert_eq!(
            codes_in("550 5.7.26 Unauthenticated"),
            (Some(550), status_in("5.7.26"))
        );
        assert_eq!(
            codes_in("host x said: 550-5.1.1 The email"),
            (Some(550), status_in("5.1.1"))
        );
        assert_eq!(
            codes_in("Client host [192.0.2.1] blocked").1,
            None,
            "an IP is no status"
        );
        assert_eq!(codes_in("version 5.4.3 of the software"), (None, None));
        assert_eq!(codes_in("X-ML-Server: fml 4.0.3 release"), (None, None));
        assert_eq!(codes_in("Content-Length: 525"), (None, None));
        assert_eq!(
            codes_in("Sorry, I couldn't find any host named x. (#5.1.2)").1,
            status_in("5.1.2")
        );
        assert_eq!(
            codes_in("Diagnostic-Code: smtp;550 5.1.1 unknown"),
            (Some(550), status_in("5.1.1"))
        );
        for exchange in [
            "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'",
            "Remoteserver hat '550 5.1.10 RESOLVER.ADR.RecipientNotFound' zurückgegeben.",
            "Le serveur distant a renvoyé '550 5.1.10 RESOLVER.ADR.RecipientNotFound'",
            "Externe server heeft '550 5.1.10 RESOLVER.ADR.RecipientNotFound' geretourneerd",
        ] {
            assert_eq!(
                codes_in(exchange),
                (Some(550), status_in("5.1.10")),
                "{exchange}"
            );
        }
        assert_eq!(status_in("5.7.1234"), None);
        assert_eq!(reply_in("550-"), Some(550));
        assert_eq!(reply_in("2026"), None);
    }

    #[test]
    fn the_remote_servers_own_ip_is_not_the_senders() {
        let text = "host mx.example.net[198.51.100.7] said: 554 Client host [192.0.2.1] blocked";
        assert_eq!(
            ip_in(text, Some("mx.example.net")),
            "192.0.2.1".parse().ok()
        );
    }
}
