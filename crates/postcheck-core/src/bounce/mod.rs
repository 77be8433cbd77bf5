//! Bounce messages as users paste them: an RFC 3464 delivery status notification or the plain
//! text a provider sends. [`analyze`] extracts the SMTP reply code (RFC 5321 §4.2), the enhanced
//! status code (RFC 3463), the remote server, the recipient and the diagnostic text, classifies
//! the bounce into the categories of the findings catalog, hard or soft, and names the check
//! that addresses it. Unknown text still yields whatever could be extracted; nothing fails.

pub mod bulk;
mod classify;
mod extract;
pub(crate) mod mime;
mod rhost;
mod sisimai;

pub use classify::Category;

use crate::findings::{Code, Finding};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Whether sending again can succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Permanence {
    /// Permanent failure (5yz reply, 5.x.x status, DSN action `failed`): sending again as it is
    /// will fail again (RFC 3463 §3.1, RFC 5321 §4.2.1).
    Hard,
    /// Transient failure (4yz, 4.x.x, action `delayed`): the sending server retries.
    Soft,
    /// Neither could be read.
    Unknown,
}

/// An enhanced mail system status code `class.subject.detail` (RFC 3463 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The class: 2 success, 4 persistent transient failure, 5 permanent failure (RFC 3463 §2).
    pub class: u8,
    /// The subject, the part that failed: 1 addressing, 2 mailbox, 3 mail system, 4 network and
    /// routing, 5 delivery protocol, 6 content, 7 security or policy (RFC 3463 §2).
    pub subject: u16,
    /// The detail within the subject (RFC 3463 §3).
    pub detail: u16,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// The check that addresses a bounce, with what to check pre-filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "lowercase")]
pub enum NextCheck {
    /// SPF, DKIM and DMARC of the sender's domain.
    Domain {
        /// The sender's domain.
        domain: String,
    },
    /// The sending server: PTR and blocklists of this IP (and the sender's domain if known).
    Server {
        /// The sending server's IP address.
        ip: IpAddr,
        /// The sender's domain, where the bounce shows it.
        #[serde(skip_serializing_if = "Option::is_none")]
        domain: Option<String>,
    },
    /// Nothing in DNS to check: the address or the mailbox is the problem.
    None,
}

/// What a pasted bounce says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bounce {
    /// What the bounce is about.
    pub category: Category,
    /// Whether sending again can succeed.
    pub permanence: Permanence,
    /// The SMTP reply code (`550`).
    pub reply_code: Option<u16>,
    /// The enhanced status code (`5.7.26`).
    pub status: Option<Status>,
    /// The server that refused (`mx.example.com`).
    pub remote_server: Option<String>,
    /// The server that wrote the bounce (DSN `Reporting-MTA`).
    pub reporting_server: Option<String>,
    /// The recipient the message did not reach.
    pub recipient: Option<String>,
    /// The sender's domain, when the bounce shows the returned message's sender.
    pub sender_domain: Option<String>,
    /// An IP address the refusal names (often the sending server's).
    pub ip: Option<IpAddr>,
    /// The remote server's own words (DSN `Diagnostic-Code`, or the reply line).
    pub diagnostic: Option<String>,
    /// The mailbox provider whose wording was recognised.
    pub provider: Option<&'static str>,
    /// The check to run next.
    pub next_check: NextCheck,
    /// The finding for the category (code `bounce-…`), with `status` and `reply` filled.
    pub finding: Finding,
}

/// Reads a pasted bounce.
pub fn analyze(text: &str) -> Bounce {
    analyze_bytes(text.as_bytes())
}

/// Reads a bounce given as bytes (a saved `.eml`): parts in Latin-1 or Windows-1252 are decoded
/// by their charset, whatever the rest is in.
pub fn analyze_bytes(bytes: &[u8]) -> Bounce {
    let notice = mime::parse(bytes);
    let mut facts = extract::extract(&notice);
    let (category, provider) = classify::classify(&facts);
    // An automatic reply comes from the address that was written to (RFC 3834 §3.1.1); the
    // addresses in its text are whom to turn to instead.
    if category == Category::AutoReply {
        facts.recipient = facts.from.take().or(facts.recipient.take());
    }
    let permanence = permanence(&facts, category);
    let next_check = next_check(category, &facts);
    let reply = match (facts.reply_code, facts.status) {
        (Some(code), Some(status)) => format!("{code} {status}"),
        (Some(code), None) => code.to_string(),
        (None, Some(status)) => status.to_string(),
        (None, None) => String::new(),
    };
    let finding = Finding::new(category.code())
        // Empty when the notice quotes neither: the texts then leave the aside out.
        .with("reply", reply.as_str())
        .with("permanence", permanence.as_str())
        .with("recipient", facts.recipient.as_deref().unwrap_or_default())
        .with(
            "delivery",
            if facts.warning_only {
                "delayed"
            } else {
                "failed"
            },
        );
    Bounce {
        category,
        permanence,
        reply_code: facts.reply_code,
        status: facts.status,
        remote_server: facts.remote_server,
        reporting_server: facts.reporting_server,
        recipient: facts.recipient,
        sender_domain: facts.sender_domain,
        ip: facts.ip,
        diagnostic: facts.diagnostic,
        provider,
        next_check,
        finding,
    }
}

impl Permanence {
    /// `hard`, `soft` or `unknown`, as the finding's parameter, CSV and JSON write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Permanence::Hard => "hard",
            Permanence::Soft => "soft",
            Permanence::Unknown => "unknown",
        }
    }
}

/// RFC 3463 §3.1 (the status class decides), RFC 5321 §4.2.1 (reply code classes), RFC 3464
/// §2.3.3 (Action). A notice that says it is a warning only (delivery delayed) is soft.
fn permanence(facts: &extract::Facts, category: Category) -> Permanence {
    let from_digit = |digit: u16| match digit {
        5 => Some(Permanence::Hard),
        4 => Some(Permanence::Soft),
        _ => None,
    };
    if matches!(
        category,
        Category::Empty | Category::AutoReply | Category::Complaint | Category::Delivered
    ) {
        return Permanence::Unknown;
    }
    facts
        .status
        .and_then(|s| from_digit(u16::from(s.class)))
        .or_else(|| facts.reply_code.and_then(|code| from_digit(code / 100)))
        .or(match facts.action.as_deref() {
            Some(action) if action.starts_with("delayed") => Some(Permanence::Soft),
            Some(action) if action.starts_with("failed") => Some(Permanence::Hard),
            _ => None,
        })
        .or(facts.warning_only.then_some(Permanence::Soft))
        .unwrap_or(Permanence::Unknown)
}

fn next_check(category: Category, facts: &extract::Facts) -> NextCheck {
    let domain = facts.sender_domain.clone();
    let domain_check = |domain: Option<String>| {
        domain.map_or(NextCheck::None, |domain| NextCheck::Domain { domain })
    };
    match category {
        Category::AuthFailed
        | Category::DnsFailure
        | Category::RateLimited
        | Category::SenderRejected => match (&domain, facts.ip, category) {
            (_, Some(ip), Category::RateLimited) => NextCheck::Server { ip, domain },
            (Some(domain), _, _) => NextCheck::Domain {
                domain: domain.clone(),
            },
            (None, Some(ip), _) => NextCheck::Server { ip, domain: None },
            (None, None, _) => NextCheck::None,
        },
        Category::Blocklisted | Category::PtrRequired => match facts.ip {
            Some(ip) => NextCheck::Server { ip, domain },
            None => domain_check(domain),
        },
        Category::ContentRejected | Category::SpamContent => domain_check(domain),
        Category::UserUnknown
        | Category::MailboxFull
        | Category::MailboxDisabled
        | Category::RelayDenied
        | Category::Virus
        | Category::MessageTooLarge
        | Category::HostUnknown
        | Category::NoMailAccepted
        | Category::NetworkError
        | Category::Expired
        | Category::Other
        | Category::AutoReply
        | Category::Complaint
        | Category::Delivered
        | Category::Empty => NextCheck::None,
    }
}

impl Category {
    /// The finding code of the category.
    pub fn code(self) -> Code {
        match self {
            Category::UserUnknown => Code::BounceUserUnknown,
            Category::MailboxFull => Code::BounceMailboxFull,
            Category::AuthFailed => Code::BounceAuthFailed,
            Category::Blocklisted => Code::BounceBlocklisted,
            Category::RateLimited => Code::BounceRateLimited,
            Category::ContentRejected => Code::BounceContentRejected,
            Category::DnsFailure => Code::BounceDnsFailure,
            Category::RelayDenied => Code::BounceRelayDenied,
            Category::Other => Code::BounceOther,
            Category::MailboxDisabled => Code::BounceMailboxDisabled,
            Category::PtrRequired => Code::BouncePtrRequired,
            Category::SpamContent => Code::BounceSpamContent,
            Category::Virus => Code::BounceVirus,
            Category::MessageTooLarge => Code::BounceMessageTooLarge,
            Category::HostUnknown => Code::BounceHostUnknown,
            Category::NoMailAccepted => Code::BounceNoMailAccepted,
            Category::NetworkError => Code::BounceNetworkError,
            Category::Expired => Code::BounceExpired,
            Category::SenderRejected => Code::BounceSenderRejected,
            Category::AutoReply => Code::BounceAutoReply,
            Category::Complaint => Code::BounceComplaint,
            Category::Delivered => Code::BounceDelivered,
            Category::Empty => Code::BounceEmpty,
        }
    }
}
