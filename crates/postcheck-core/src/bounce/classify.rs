//! Sorts a bounce into the categories of the findings catalog: first by the enhanced status
//! code where it is specific (RFC 3463 §3, RFC 7372 §3 for the authentication codes), then by
//! the wording of the reply (the large providers', Postfix's, Exim's, Exchange's).

use super::extract::Facts;
use serde::{Deserialize, Serialize};

/// What a bounce is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    UserUnknown,
    MailboxFull,
    AuthFailed,
    Blocklisted,
    RateLimited,
    ContentRejected,
    DnsFailure,
    RelayDenied,
    Other,
}

/// Providers and mail servers recognised by their wording or names, first match wins.
const PROVIDERS: &[(&str, &[&str])] = &[
    ("Gmail", &["gmail", "google.com", "googlemail"]),
    (
        "Microsoft",
        &[
            "outlook.com",
            "hotmail",
            "protection.outlook",
            "microsoft",
            "resolver.adr",
            "office 365",
            "exchange online",
        ],
    ),
    ("Yahoo/AOL", &["yahoo", "aol.com", "yahoodns"]),
    ("Apple iCloud", &["icloud", "me.com", "apple.com"]),
    ("GMX", &["gmx.net", "gmx.de", "gmx"]),
    ("WEB.DE", &["web.de"]),
    ("T-Online", &["t-online"]),
    ("IONOS/1&1", &["ionos", "1und1", "kundenserver", "1and1"]),
    (
        "Exchange",
        &[
            "microsoft exchange",
            "exchange server",
            "diagnostic information for administrators",
        ],
    ),
    ("Exim", &["exim", "smtp error from remote mail server"]),
    ("Postfix", &["postfix", "this is the mail system at host"]),
];

fn any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| text.contains(needle))
}

/// Status codes that say it all (RFC 3463 §3.2–3.8, RFC 7372 §3, and the providers' own
/// X.7.5xx/X.7.6xx codes).
fn by_status(subject: u16, detail: u16) -> Option<Category> {
    Some(match (subject, detail) {
        (7, 20..=27) => Category::AuthFailed,
        (7, 509 | 515) => Category::AuthFailed,
        (7, 28) => Category::RateLimited,
        (7, 511 | 606 | 607 | 708) => Category::Blocklisted,
        (1, 1 | 6 | 10) => Category::UserUnknown,
        (2, 2) => Category::MailboxFull,
        (1, 2 | 8) | (4, 4) => Category::DnsFailure,
        (3, 4) | (6, _) => Category::ContentRejected,
        _ => return None,
    })
}

/// The category of a bounce and the provider whose wording it has.
pub fn classify(facts: &Facts) -> (Category, Option<&'static str>) {
    let provider = PROVIDERS
        .iter()
        .find(|(_, needles)| any(&facts.lower, needles))
        .map(|(name, _)| *name);
    let diagnostic = facts
        .diagnostic
        .as_deref()
        .unwrap_or_default()
        .to_lowercase();
    // The remote server's words decide over the rest of the text (which may quote the message).
    let text = if diagnostic.is_empty() {
        facts.lower.as_str()
    } else {
        diagnostic.as_str()
    };
    if let Some(category) = facts.status.and_then(|s| by_status(s.subject, s.detail)) {
        return (category, provider);
    }
    let transient = facts.reply_code.is_some_and(|c| c / 100 == 4)
        || facts.status.is_some_and(|s| s.class == 4);
    let category = if any(
        text,
        &[
            "rate limit",
            "ratelimit",
            "rate-limit",
            "too many",
            "throttl",
            "temporarily deferred",
            "[ts0",
            "tss04",
            "unusual rate",
            "slow down",
            "sending rate",
            "zu viele",
        ],
    ) || (transient
        && any(text, &["try again later", "später erneut", "try later"]))
    {
        Category::RateLimited
    } else if any(
        text,
        &[
            "spf",
            "dkim",
            "dmarc",
            "authenticat",
            "does not designate",
            "sender policy",
            "authentifizier",
        ],
    ) {
        Category::AuthFailed
    } else if any(
        text,
        &[
            "blocklist",
            "blacklist",
            "block list",
            "black list",
            "blocked using",
            "spamhaus",
            "spamcop",
            "barracuda",
            "sorbs",
            "dnsbl",
            " rbl",
            "listed at",
            "listed in",
            "ip reputation",
            "poor reputation",
            "(bl)",
            "[bl",
            "banned",
            "gesperrt",
        ],
    ) {
        Category::Blocklisted
    } else if any(
        text,
        &[
            "mailbox full",
            "mailbox is full",
            "over quota",
            "quota exceeded",
            "exceeded storage",
            "insufficient storage",
            "postfach voll",
            "postfach ist voll",
            "speicherplatz",
            "mailbox size limit",
            "overquota",
        ],
    ) {
        Category::MailboxFull
    } else if any(
        text,
        &[
            "relay",
            "access denied. as(",
            "not permitted to send to",
            "nicht erlaubt, e-mails weiterzuleiten",
        ],
    ) {
        Category::RelayDenied
    } else if any(
        text,
        &[
            "host not found",
            "domain not found",
            "domain does not exist",
            "name service error",
            "no mx",
            "dns error",
            "dns lookup",
            "nxdomain",
            "could not be resolved",
            "unrouteable",
            "unroutable",
            "domain existiert nicht",
            "unable to resolve",
        ],
    ) {
        Category::DnsFailure
    } else if any(text, &["greylist", "graylist"]) {
        // Greylisting (a deliberate first refusal) is neither the address nor the sender.
        Category::Other
    } else if any(
        text,
        &[
            "user doesn't have",
            "user does not have",
            "no such account",
            "user unknown",
            "unknown user",
            "no such user",
            "does not exist",
            "doesn't exist",
            "not found",
            "unknown recipient",
            "recipient unknown",
            "invalid recipient",
            "mailbox unavailable",
            "no mailbox",
            "address rejected",
            "unbekannt",
            "existiert nicht",
            "nicht gefunden",
            "gibt es nicht",
            "ungültige",
        ],
    ) {
        Category::UserUnknown
    } else if any(
        text,
        &[
            "spam",
            "content",
            "virus",
            "malware",
            "message rejected",
            "policy",
            "inhalt",
            "unsolicited",
            "too large",
            "size limit",
            "zu groß",
        ],
    ) {
        Category::ContentRejected
    } else {
        Category::Other
    };
    (category, provider)
}
