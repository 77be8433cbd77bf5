//! Pulls the facts out of a pasted bounce: the RFC 3464 §2.2–2.3 fields of a delivery status
//! notification where there are any, else what the plain text of Postfix, Exim, Exchange and the
//! large providers shows (the reply line, `host … said:`, the recipient, the sender's domain).

use super::Status;
use std::net::IpAddr;

/// What could be read from the text.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub reply_code: Option<u16>,
    pub status: Option<Status>,
    pub remote_server: Option<String>,
    pub reporting_server: Option<String>,
    pub recipient: Option<String>,
    pub sender_domain: Option<String>,
    pub ip: Option<IpAddr>,
    pub diagnostic: Option<String>,
    /// DSN `Action` (RFC 3464 §2.3.3), lowercase.
    pub action: Option<String>,
    /// The whole text in lowercase, for the classifier.
    pub lower: String,
}

/// Unfolds header-style continuation lines (RFC 5322 §2.2.3) into one logical line each.
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t'])
            && !line.trim().is_empty()
            && let Some(last) = lines.last_mut().filter(|l| l.contains(':'))
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
        .trim_start_matches('<')
        .trim_end_matches(['>', '.', ',', ';', ':', ')', '\'', '"']);
    let (local, domain) = text.rsplit_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
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
                .trim_start_matches("rfc822:");
            clean_address(word)
        })
        .collect()
}

fn is_system_address(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or_default();
    ["mailer-daemon", "postmaster"]
        .iter()
        .any(|system| local.eq_ignore_ascii_case(system))
}

/// An enhanced status code at the start of `word` (RFC 3463 §2: class 2, 4 or 5, subject and
/// detail of up to three digits).
fn status_in(word: &str) -> Option<Status> {
    let word = word.trim_end_matches([',', ';', ':', ')', '.', ']']);
    let mut parts = word.split('.');
    let class: u8 = parts.next()?.parse().ok()?;
    let subject = parts.next()?;
    let detail = parts.next()?;
    if parts.next().is_some() || !matches!(class, 2 | 4 | 5) {
        return None;
    }
    let digits = |s: &str| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(subject) || !digits(detail) {
        return None;
    }
    Some(Status {
        class,
        subject: subject.parse().ok()?,
        detail: detail.parse().ok()?,
    })
}

/// A reply code (RFC 5321 §4.2: `4yz` or `5yz`) at the start of `word`, as `550` or `550-`.
fn reply_in(word: &str) -> Option<u16> {
    let digits = word.strip_suffix('-').unwrap_or(word);
    let digits = digits.trim_start_matches(['\'', '"', '(', '#']);
    if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code: u16 = digits.parse().ok()?;
    (400..600).contains(&code).then_some(code)
}

/// The first reply code with its enhanced status, or either alone, in `text`. A reply code
/// counts only where replies stand: at a line's start or after `said:`, `returned`, `smtp;`,
/// `error:`, `response:` and the like; a status anywhere as its own word.
fn codes_in(text: &str) -> (Option<u16>, Option<Status>) {
    let mut reply = None;
    let mut status = None;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (index, word) in words.iter().enumerate() {
            let at_reply_place = index == 0
                || words[index - 1].ends_with(':')
                || words[index - 1].ends_with(';')
                || matches!(
                    words[index - 1].to_ascii_lowercase().as_str(),
                    "returned" | "said" | "code" | "reply" | "error" | "status"
                );
            let after_dash = word.split_once('-').filter(|(head, _)| head.len() == 3);
            if let Some((head, tail)) = after_dash
                && let (Some(code), Some(found)) = (reply_in(head), status_in(tail))
            {
                // A continued reply line: `550-5.7.26 …`.
                return (Some(code), Some(found));
            }
            // `554-gmx.net …`: a continued reply line whose text follows the dash directly.
            let code_word = match word.split_once('-') {
                Some((head, _)) if head.len() == 3 => head,
                _ => word,
            };
            if at_reply_place && let Some(code) = reply_in(code_word) {
                let next = words.get(index + 1).and_then(|w| status_in(w));
                if next.is_some() {
                    return (Some(code), next);
                }
                reply = reply.or(Some(code));
            }
            if status.is_none() {
                status = status_in(word).filter(|_| word.split('.').count() == 3);
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
        if remote_ip_context(start) {
            continue;
        }
        return Some(ip);
    }
    None
}

/// A host name after `host ` (Postfix, Exim), `Remote Server at ` (Exchange) or `by `.
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

/// Reads the facts of a bounce.
pub fn extract(text: &str) -> Facts {
    let lines = unfold(text);
    let mut facts = Facts {
        lower: text.to_lowercase(),
        ..Facts::default()
    };
    let mut senders: Vec<String> = Vec::new();
    for line in &lines {
        if let Some(value) =
            field(line, "Final-Recipient").or_else(|| field(line, "Original-Recipient"))
        {
            facts.recipient = facts
                .recipient
                .take()
                .or_else(|| clean_address(typed(value)));
        } else if let Some(value) = field(line, "Action") {
            facts.action = facts.action.take().or(Some(value.to_ascii_lowercase()));
        } else if let Some(value) = field(line, "Status") {
            facts.status = facts
                .status
                .or_else(|| status_in(value.split_whitespace().next().unwrap_or_default()));
        } else if let Some(value) = field(line, "Remote-MTA") {
            facts.remote_server = facts
                .remote_server
                .take()
                .or(Some(typed(value).to_ascii_lowercase()));
        } else if let Some(value) = field(line, "Reporting-MTA") {
            facts.reporting_server = facts
                .reporting_server
                .take()
                .or(Some(typed(value).to_ascii_lowercase()));
        } else if let Some(value) = field(line, "Diagnostic-Code") {
            facts.diagnostic = facts.diagnostic.take().or(Some(typed(value).to_owned()));
        } else if let Some(value) = [
            "From",
            "Return-Path",
            "Sender",
            "X-Postfix-Sender",
            "X-Original-Sender",
        ]
        .iter()
        .find_map(|name| field(line, name))
        {
            senders.extend(
                addresses(value)
                    .into_iter()
                    .filter(|a| !is_system_address(a)),
            );
        }
    }
    // The reply: from the DSN's diagnostic, else from the text.
    let (reply, status) = facts
        .diagnostic
        .as_deref()
        .map(codes_in)
        .filter(|(r, s)| r.is_some() || s.is_some())
        .unwrap_or_else(|| codes_in(text));
    facts.reply_code = reply;
    facts.status = status.or(facts.status);
    if facts.diagnostic.is_none() {
        facts.diagnostic = diagnostic_line(text, facts.reply_code, facts.status);
    }
    if facts.remote_server.is_none() {
        facts.remote_server = remote_host(text);
    }
    if facts.recipient.is_none() {
        facts.recipient = addresses(text)
            .into_iter()
            .find(|a| !is_system_address(a) && !senders.contains(a));
    }
    facts.sender_domain = senders
        .first()
        .and_then(|a| a.rsplit('@').next())
        .map(str::to_owned)
        .or_else(|| {
            named_sender_domain(
                &facts
                    .diagnostic
                    .as_deref()
                    .unwrap_or_default()
                    .to_lowercase(),
            )
        })
        .or_else(|| named_sender_domain(&facts.lower));
    let remote = facts.remote_server.clone();
    facts.ip = facts
        .diagnostic
        .as_deref()
        .and_then(|d| ip_in(d, remote.as_deref()))
        .or_else(|| ip_in(text, remote.as_deref()));
    facts
}

/// The line that holds the reply, with the continuation lines of a multi-line reply
/// (`550-5.7.26 …` / `550 5.7.26 …`, RFC 5321 §4.2.1), at most 600 characters.
fn diagnostic_line(text: &str, reply: Option<u16>, status: Option<Status>) -> Option<String> {
    let needle = reply
        .map(|r| r.to_string())
        .or_else(|| status.map(|s| s.to_string()))?;
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| l.contains(&needle))?;
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
    fn statuses_and_replies_are_told_from_addresses_and_versions() {
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
        assert_eq!(
            codes_in("version 5.4.3 of the software").1,
            status_in("5.4.3")
        );
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
