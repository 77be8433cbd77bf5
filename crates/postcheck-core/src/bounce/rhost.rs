//! Error codes that mailbox providers put into their replies and document, read as their tables
//! say. After Sisimai's per-provider rules (<https://github.com/sisimai/rb-sisimai>, BSD-2-Clause,
//! Copyright (C) 2014-2025 azumakuniyuki; lib/sisimai/rhost/franceptt.rb, spectrum.rb, cox.rb,
//! mimecast.rb, and for the phrase tables google.rb, microsoft.rb, yahooinc.rb, apple.rb,
//! tencent.rb, godaddy.rb), their reasons mapped to our categories as in
//! tests/bounces/corpus-sisimai. The phrases are the providers' own documented replies (Google's
//! "SMTP error reference", Microsoft's "Non-delivery reports in Exchange Online", Yahoo's
//! "SMTP error codes", Tencent's help centre); they count only when the notice names the
//! provider's mail hosts, because the same words elsewhere mean less.

use super::classify::Category;
use super::extract::Command;

/// Orange, Wanadoo and La Poste (France Télécom): `LPN007_510`, `OFR_999`, `OUK_513`; the last
/// three digits are the reason. `None` where the code names none ("please try later").
fn france_ptt(number: u16) -> Option<Category> {
    Some(match number {
        101..=103 | 510 | 999 => Category::Blocklisted,
        104 => Category::RateLimited,
        305 | 402 | 505 => Category::Other,
        401 | 517 => Category::AuthFailed,
        403 | 405 | 415 | 421 => Category::SenderRejected,
        416 => Category::UserUnknown,
        417 => Category::MailboxFull,
        420 | 426 => Category::MailboxDisabled,
        506 => Category::SpamContent,
        514 => Category::MessageTooLarge,
        630 => Category::ContentRejected,
        _ => return None,
    })
}

/// Spectrum (Charter): `AUP#In-1310`, by ranges of the number.
fn spectrum(number: u16) -> Option<Category> {
    Some(match number {
        1000 | 1200..=1250 => Category::Blocklisted,
        1010..=1080 | 1500 | 1520 => Category::SenderRejected,
        1090 => Category::Other,
        1100..=1150 => Category::PtrRequired,
        1160..=1190 | 1560 => Category::ContentRejected,
        1260 => Category::NetworkError,
        1300..=1490 | 1540 | 1550 | 1580 => Category::RateLimited,
        1530 => Category::MessageTooLarge,
        _ => return None,
    })
}

/// Cox: `AUP#CXBL`, `AUP#IPBL0001`, `AUP#URLBL011`.
fn cox(code: &str) -> Option<Category> {
    Some(match code {
        "cxbl" | "cdrbl" => Category::Blocklisted,
        _ if code.starts_with("ipbl") => Category::Blocklisted,
        _ if code.starts_with("urlbl") => Category::SpamContent,
        "cxdns" => Category::PtrRequired,
        "cxsndr" => Category::AuthFailed,
        "cxsmtp" => Category::SenderRejected,
        "cxcnct" | "cxmxrt" => Category::RateLimited,
        "cxthrt" | "cxmj" => Category::Other,
        _ => return None,
    })
}

/// Mimecast's replies, each with its reply code.
const MIMECAST: &[(u16, &str, Category)] = &[
    (
        550,
        "spf sender invalid - envelope rejected",
        Category::AuthFailed,
    ),
    (
        550,
        "dkim sender invalid - envelope rejected",
        Category::AuthFailed,
    ),
    (
        550,
        "dmarc sender invalid - envelope rejected",
        Category::AuthFailed,
    ),
    (
        550,
        "local ct ip reputation - (reject)",
        Category::Blocklisted,
    ),
    (451, "ip temporarily blacklisted", Category::Blocklisted),
    (
        554,
        "maximum email size exceeded",
        Category::MessageTooLarge,
    ),
    (554, "mail loop detected", Category::NetworkError),
    (451, "open relay not allowed", Category::RelayDenied),
    (451, "open relay is not allowed", Category::RelayDenied),
    (451, "account inbounds disabled", Category::NoMailAccepted),
    (
        550,
        "anti-spoofing policy - inbound not allowed",
        Category::ContentRejected,
    ),
    (
        550,
        "rejected by header-based anti-spoofing policy",
        Category::ContentRejected,
    ),
    (
        550,
        "message bounced due to content examination policy",
        Category::ContentRejected,
    ),
    (
        550,
        "envelope blocked - user entry",
        Category::SenderRejected,
    ),
    (
        550,
        "envelope blocked - user domain entry",
        Category::SenderRejected,
    ),
    (
        550,
        "envelope rejected - block policy for envelope from address",
        Category::SenderRejected,
    ),
    (452, "too many recipients", Category::RateLimited),
    (501, "invalid address", Category::UserUnknown),
    (550, "invalid recipient", Category::UserUnknown),
    (
        554,
        "email rejected due to security policies",
        Category::Virus,
    ),
];

/// A provider's mail hosts as a notice names them (a `Remote-MTA`, "host … said").
struct Provider {
    hosts: &'static [&'static str],
    /// `(status prefix or "", phrase, category)`, first match wins; the status must start with
    /// the prefix (`5.7.` for Microsoft's numbered ranges).
    phrases: &'static [(&'static str, &'static str, Category)],
}

/// Documented replies of the largest mailbox providers, where our general wording tables would
/// read them otherwise.
#[rustfmt::skip]
const PROVIDER_PHRASES: &[Provider] = &[
    Provider {
        hosts: &[
            "aspmx.l.google.com",
            "gmail-smtp-in.l.google.com",
            "mx.google.com",
        ],
        phrases: &[
            ("", "senders to authenticate with", Category::AuthFailed),
            (
                "",
                "senders to authenticate their email",
                Category::AuthFailed,
            ),
            ("", "domain's dmarc policy", Category::AuthFailed),
            (
                "",
                "fails to pass authentication checks",
                Category::AuthFailed,
            ),
            (
                "",
                "aligned with either the authenticated spf or dkim",
                Category::AuthFailed,
            ),
            (
                "",
                "very low reputation of the sending",
                Category::Blocklisted,
            ),
            (
                "",
                "ip not in whitelist for rcpt domain",
                Category::Blocklisted,
            ),
            ("", "message size limit", Category::MessageTooLarge),
            ("", "message header size limit", Category::MessageTooLarge),
            (
                "",
                "inbox is out of storage space and inactive",
                Category::MailboxDisabled,
            ),
            ("", "out of storage space", Category::MailboxFull),
            ("", "is over quota", Category::MailboxFull),
            ("", "email quota exceeded", Category::MailboxFull),
            ("", "message exceeded 50 hops", Category::NetworkError),
            ("", "mail relay denied", Category::RelayDenied),
            ("", "invalid credentials for relay", Category::RelayDenied),
            (
                "",
                "not authorized to send email directly to our servers",
                Category::RelayDenied,
            ),
            ("", "is not rfc 5322 compliant", Category::ContentRejected),
            ("", "missing a valid", Category::ContentRejected),
            (
                "",
                "multiple addresses in from: header",
                Category::ContentRejected,
            ),
            ("", "mail message is malformed", Category::ContentRejected),
            ("", "illegal attachment", Category::ContentRejected),
            (
                "",
                "content presents a potential security issue",
                Category::ContentRejected,
            ),
            (
                "",
                "has a policy that prohibited",
                Category::ContentRejected,
            ),
            ("", "mail sending denied", Category::SenderRejected),
            (
                "",
                "unauthenticated email is not accepted",
                Category::AuthFailed,
            ),
            ("", "ptr record", Category::PtrRequired),
            (
                "",
                "does not match the ip address of the hostname",
                Category::PtrRequired,
            ),
            (
                "",
                "the nature of the content or the links",
                Category::SpamContent,
            ),
            ("", "likely unsolicited mail", Category::SpamContent),
            ("", "receiving mail too quickly", Category::RateLimited),
            (
                "",
                "rate that prevents additional messages",
                Category::RateLimited,
            ),
            ("", "rate limited", Category::RateLimited),
            ("", "too many recipients", Category::RateLimited),
            (
                "",
                "account that you tried to reach is disabled",
                Category::MailboxDisabled,
            ),
            (
                "",
                "account that you tried to reach is inactive",
                Category::MailboxDisabled,
            ),
            (
                "",
                "account that you tried to reach does not exist",
                Category::UserUnknown,
            ),
            (
                "",
                "able to find the recipient domain",
                Category::HostUnknown,
            ),
        ],
    },
    Provider {
        hosts: &[".prod.outlook.com", ".protection.outlook.com"],
        phrases: &[
            ("", "must pass either spf or dkim", Category::AuthFailed),
            (
                "",
                "sender policy framework violation",
                Category::AuthFailed,
            ),
            ("", "does not pass dmarc verification", Category::AuthFailed),
            (
                "",
                "rate limited due to ip reputation",
                Category::Blocklisted,
            ),
            ("", "must have a reverse dns record", Category::PtrRequired),
            ("", "access denied, bad helo", Category::Blocklisted),
            (
                "",
                "access denied, rejected by recipient",
                Category::Blocklisted,
            ),
            (
                "",
                "access denied, banned sending ip",
                Category::Blocklisted,
            ),
            ("", "using customer block list", Category::Blocklisted),
            ("", "on our block list (s3150)", Category::Blocklisted),
            (
                "4.7.",
                "access denied, please try again later",
                Category::Blocklisted,
            ),
            ("", "recipsizelimit", Category::MessageTooLarge),
            (
                "",
                "message size exceeds fixed maximum",
                Category::MessageTooLarge,
            ),
            ("", "message too big for system", Category::MessageTooLarge),
            ("", "hop count exceeded", Category::NetworkError),
            ("", "routing loop detected", Category::NetworkError),
            ("", "nonexistentdomain", Category::HostUnknown),
            ("", "unable to relay", Category::RelayDenied),
            (
                "",
                "tenantattribution; relay access denied",
                Category::RelayDenied,
            ),
            (
                "",
                "hosted tenant which has no mail-enabled subscriptions",
                Category::NoMailAccepted,
            ),
            (
                "5.7.",
                "delivery not authorized, message refused",
                Category::ContentRejected,
            ),
            (
                "",
                "access denied, bad outbound sender",
                Category::SenderRejected,
            ),
            ("", "sender denied", Category::SenderRejected),
            ("", "unknown sender address", Category::SenderRejected),
            (
                "",
                "sender not in allowed-senders list",
                Category::SenderRejected,
            ),
            ("", "sender was not authenticated", Category::SenderRejected),
            (
                "",
                "sender not authenticated for group",
                Category::SenderRejected,
            ),
            (
                "",
                "access denied, spam abuse detected",
                Category::SenderRejected,
            ),
            ("", "access denied, banned sender", Category::SenderRejected),
            (
                "",
                "client blocked from sending from unregistered domains",
                Category::SenderRejected,
            ),
            (
                "",
                "content filter agent quarantined",
                Category::SpamContent,
            ),
            ("", "recipient thread limit exceeded", Category::RateLimited),
            (
                "",
                "daily limit for message recipients",
                Category::RateLimited,
            ),
            ("", "submission quota exceeded", Category::RateLimited),
            ("", "message receive limit", Category::RateLimited),
            ("", "has exceeded permitted limits", Category::RateLimited),
            ("", "tenant has exceeded threshold", Category::RateLimited),
            (
                "",
                "traffic not accepted from this ip",
                Category::RateLimited,
            ),
            ("", "too many recipients", Category::RateLimited),
            (
                "",
                "access denied, banned recipient",
                Category::MailboxDisabled,
            ),
            ("", "mailbox cannot be accessed", Category::MailboxDisabled),
            ("", "exrecipnotfound", Category::UserUnknown),
            ("", "recipient not found", Category::UserUnknown),
        ],
    },
    Provider {
        hosts: &[".yahoodns.net", "yahoo.com", "yahooinc.com"],
        phrases: &[
            (
                "",
                "authenticate with either spf or dkim",
                Category::AuthFailed,
            ),
            ("", "spamhaus", Category::Blocklisted),
            ("", "relaying denied", Category::RelayDenied),
            (
                "",
                "headers are not rfc compliant",
                Category::ContentRejected,
            ),
            (
                "",
                "not accepted for policy reasons",
                Category::ContentRejected,
            ),
            ("", "unresolvable rfc.5321 domain", Category::SenderRejected),
            ("", "receiving mail too quickly", Category::RateLimited),
            (
                "",
                "max message per connection reached",
                Category::RateLimited,
            ),
            ("", "this mailbox is disabled", Category::MailboxDisabled),
            ("", "is no longer valid", Category::MailboxDisabled),
            ("", "doesn't have a", Category::UserUnknown),
            ("", "mailbox not found", Category::UserUnknown),
        ],
    },
    Provider {
        hosts: &[".mail.icloud.com", ".apple.com", ".me.com"],
        phrases: &[
            ("", "dmarc policy", Category::AuthFailed),
            ("", "failing both spf and dkim", Category::AuthFailed),
            ("", "spamhaus", Category::Blocklisted),
            ("", "dnsbl-lookup", Category::Blocklisted),
            ("", "recipient no longer on server", Category::UserUnknown),
            ("", "user is over quota", Category::MailboxFull),
            ("", "relay access denied", Category::RelayDenied),
            ("", "does not accept mail", Category::NoMailAccepted),
            ("", "due to local policy", Category::ContentRejected),
            ("", "sender address rejected", Category::SenderRejected),
            ("", "due to excessive volume", Category::RateLimited),
            ("", "inactive email address", Category::UserUnknown),
            ("", "user does not exist", Category::UserUnknown),
            ("", "unknown or illegal alias", Category::UserUnknown),
        ],
    },
    Provider {
        hosts: &[".qq.com"],
        phrases: &[
            ("", "spf check failed", Category::AuthFailed),
            ("", "dmarc check failed", Category::AuthFailed),
            ("", "suspected bounce attacks", Category::Blocklisted),
            ("", "suspected spam ip", Category::Blocklisted),
            ("", "connection denied", Category::Blocklisted),
            ("", "message too large", Category::MessageTooLarge),
            ("", "spam is embedded", Category::SpamContent),
            ("", "mail content denied", Category::SpamContent),
            ("", "suspected spam", Category::SenderRejected),
            (
                "",
                "mail is rejected by recipients",
                Category::SenderRejected,
            ),
            ("", "frequency limited", Category::RateLimited),
            ("", "deactivated mailbox", Category::MailboxDisabled),
            ("", "mailbox not found", Category::UserUnknown),
        ],
    },
    Provider {
        hosts: &["secureserver.net"],
        phrases: &[
            ("", "rbl reject", Category::Blocklisted),
            ("", "has been in the queue too long", Category::Expired),
            ("", "account storage limit", Category::MailboxFull),
            ("", "spam or virus content", Category::SpamContent),
            ("", "account disabled", Category::MailboxDisabled),
            ("", "recipient not found", Category::UserUnknown),
            ("", "account does not exist", Category::UserUnknown),
        ],
    },
];

/// The category a provider's documented reply names, when the notice (`own_text`, lowercase)
/// names that provider's mail hosts and the reply (`text`, lowercase) has its wording.
pub(crate) fn by_provider_phrase(text: &str, status: &str, own_text: &str) -> Option<Category> {
    PROVIDER_PHRASES
        .iter()
        .filter(|provider| provider.hosts.iter().any(|host| own_text.contains(host)))
        .flat_map(|provider| provider.phrases)
        .find(|(prefix, phrase, _)| status.starts_with(prefix) && text.contains(phrase))
        .map(|(_, _, category)| *category)
}

/// The digits of `word` after `prefix` and an optional `_`, `-` or more digits and a separator
/// (`lpn007_510`, `ofr_999`): the last three.
fn trailing_number(word: &str, prefixes: &[&str]) -> Option<u16> {
    let rest = prefixes.iter().find_map(|p| word.strip_prefix(p))?;
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let shape = rest
        .chars()
        .all(|c| c.is_ascii_digit() || c == '_' || c == '-');
    (shape && digits.len() >= 3)
        .then(|| digits[digits.len() - 3..].parse().ok())
        .flatten()
}

/// The category a provider's documented error code in `text` (lowercase) names.
pub(crate) fn by_code(text: &str, reply: Option<u16>, own_text: &str) -> Option<Category> {
    let words = || text.split(|c: char| !(c.is_ascii_alphanumeric() || "_-#".contains(c)));
    let france = words()
        .filter_map(|word| trailing_number(word, &["lpnaaa", "lpn", "ofr", "ouk"]))
        .find_map(france_ptt);
    let aup = words().find_map(|word| {
        let code = word.strip_prefix("aup#")?;
        cox(code).or_else(|| {
            let digits: String = code.chars().skip_while(|c| !c.is_ascii_digit()).collect();
            (digits.len() == 4)
                .then(|| digits.parse().ok())
                .flatten()
                .and_then(spectrum)
        })
    });
    // Mimecast names the signature that matched after its reply ("email rejected due to
    // security policies - MCSpamSignature.sa.5.6"): a spam signature is no virus.
    let mimecast = own_text.contains("mimecast").then(|| {
        if text.contains("mcspamsignature") {
            return Some(Category::SpamContent);
        }
        MIMECAST
            .iter()
            .find(|(code, phrase, _)| Some(*code) == reply && text.contains(phrase))
            .map(|(_, _, category)| *category)
    });
    france.or(aup).or(mimecast.flatten())
}

/// NTT docomo answers "550 Unknown user" after the message when the recipient's filter refuses
/// the sender; at `RCPT TO` it means what it says (lib/sisimai/rhost/nttdocomo.rb).
pub(crate) fn after_data(category: Category, command: Option<Command>, own_text: &str) -> Category {
    let docomo = own_text.contains("docomo.ne.jp");
    if docomo && category == Category::UserUnknown && command == Some(Command::Data) {
        Category::SenderRejected
    } else {
        category
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_codes_are_read_as_documented() {
        let code = |text: &str| by_code(text, Some(550), "");
        assert_eq!(
            code("421 service refused ofr_999 [999]"),
            Some(Category::Blocklisted)
        );
        assert_eq!(
            code("client host rejected: lpn000_630"),
            Some(Category::ContentRejected)
        );
        assert_eq!(code("please try later lpn006_107"), None);
        assert_eq!(
            code("sender rejected. aup#in-1310"),
            Some(Category::RateLimited)
        );
        assert_eq!(code("blocked aup#cxbl"), Some(Category::Blocklisted));
        assert_eq!(code("ofr or 5.1.1"), None);
        assert_eq!(
            by_code(
                "554 email rejected due to security policies",
                Some(554),
                "mimecast.com"
            ),
            Some(Category::Virus)
        );
        assert_eq!(
            by_code(
                "554 email rejected due to security policies - mcspamsignature.sa.5.6",
                Some(554),
                "mimecast.com"
            ),
            Some(Category::SpamContent)
        );
    }

    #[test]
    fn provider_phrases_count_only_from_that_providers_hosts() {
        let outlook = "remote-mta: dns; example-com.mail.protection.outlook.com";
        let banned = "550 5.7.606 access denied, banned sending ip [192.0.2.1]";
        assert_eq!(
            by_provider_phrase(banned, "5.7.606", outlook),
            Some(Category::Blocklisted)
        );
        assert_eq!(
            by_provider_phrase(banned, "5.7.606", "remote-mta: dns; mx.example"),
            None
        );
        // Microsoft's numbered rows hold only inside their status class.
        let later = "451 access denied, please try again later";
        assert_eq!(
            by_provider_phrase(later, "4.7.700", outlook),
            Some(Category::Blocklisted)
        );
        assert_eq!(by_provider_phrase(later, "5.1.1", outlook), None);
        let icloud = "remote-mta: dns; mx01.mail.icloud.com";
        assert_eq!(
            by_provider_phrase("550 5.1.1 unknown or illegal alias", "5.1.1", icloud),
            Some(Category::UserUnknown)
        );
    }
}
