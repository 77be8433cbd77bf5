//! Error codes that mailbox providers put into their replies and document, read as their tables
//! say. After Sisimai's per-provider rules (https://github.com/sisimai/rb-sisimai, BSD-2-Clause,
//! Copyright (C) 2014-2025 azumakuniyuki; lib/sisimai/rhost/franceptt.rb, spectrum.rb, cox.rb,
//! mimecast.rb), their reasons mapped to our categories as in tests/bounces/corpus-sisimai.

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
pub fn by_code(text: &str, reply: Option<u16>, own_text: &str) -> Option<Category> {
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
    let mimecast = own_text.contains("mimecast").then(|| {
        MIMECAST
            .iter()
            .find(|(code, phrase, _)| Some(*code) == reply && text.contains(phrase))
            .map(|(_, _, category)| *category)
    });
    france.or(aup).or(mimecast.flatten())
}

/// NTT docomo answers "550 Unknown user" after the message when the recipient's filter refuses
/// the sender; at `RCPT TO` it means what it says (lib/sisimai/rhost/nttdocomo.rb).
pub fn after_data(category: Category, command: Option<Command>, own_text: &str) -> Category {
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
    }
}
