//! One recipient address as people paste it, cleaned (`mailto:`, `Name <addr>`, quotes, a
//! trailing dot or separator) and checked against the SMTP mailbox syntax (RFC 5321 §4.1.2,
//! with RFC 5322 §3.2.3 `atext` and RFC 6531 §3.3 UTF-8 local parts) and its size limits
//! (RFC 5321 §4.5.3.1).

use serde::{Deserialize, Serialize};

/// The longest local part (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_PART: usize = 64;
/// The longest domain (RFC 5321 §4.5.3.1.2).
pub const MAX_DOMAIN: usize = 255;
/// The longest label of a domain (RFC 1035 §2.3.4).
const MAX_LABEL: usize = 63;

/// A recipient address that passed the syntax check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// The local part as written (quoted local parts keep their quotes).
    pub local: String,
    /// The domain in ASCII (A-labels for an internationalized domain), lowercase; for an
    /// address literal, the literal with its brackets.
    pub domain: String,
    /// The domain as written, when it is an internationalized one (U-labels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unicode_domain: Option<String>,
    /// The domain is an address literal (`[192.0.2.1]`, RFC 5321 §4.1.3).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub literal: bool,
}

impl Address {
    /// `local@domain`, the domain in ASCII.
    pub fn text(&self) -> String {
        format!("{}@{}", self.local, self.domain)
    }

    /// The address compared for duplicates: the whole address ignoring case (few mail systems
    /// tell local parts apart by case, though RFC 5321 §2.4 allows it).
    pub fn key(&self) -> String {
        self.text().to_lowercase()
    }
}

/// Why a pasted address is not a mailbox address; the `reason` code of `recipient-syntax`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyntaxError {
    /// Nothing there.
    Empty,
    /// No `@`.
    NoAt,
    /// More than one `@` outside quotes.
    SeveralAt,
    /// Nothing before the `@`.
    EmptyLocalPart,
    /// Nothing after the `@`.
    EmptyDomain,
    /// A space inside the address.
    Space,
    /// A character that no unquoted local part may hold (`(`, `,`, `:`, `<`, …).
    InvalidLocalCharacter,
    /// Two dots in a row, or a dot at the start or end of the local part.
    LocalDots,
    /// An opening quote without its closing one.
    UnclosedQuote,
    /// The local part is longer than 64 octets.
    LocalTooLong,
    /// The domain has a character no host name has, or an empty label.
    InvalidDomain,
    /// The domain has only one label (`user@localhost`).
    DomainNotQualified,
    /// The domain or one of its labels is too long.
    DomainTooLong,
    /// The domain's last label is all digits: no top-level domain is.
    NumericTopLevel,
    /// A bracketed domain that is no IPv4 or IPv6 address literal.
    InvalidLiteral,
    /// An internationalized domain that does not convert to ASCII (UTS #46).
    InvalidIdn,
}

impl SyntaxError {
    /// The kebab-case reason code.
    pub fn as_str(self) -> &'static str {
        match self {
            SyntaxError::Empty => "empty",
            SyntaxError::NoAt => "no-at",
            SyntaxError::SeveralAt => "several-at",
            SyntaxError::EmptyLocalPart => "empty-local-part",
            SyntaxError::EmptyDomain => "empty-domain",
            SyntaxError::Space => "space",
            SyntaxError::InvalidLocalCharacter => "invalid-local-character",
            SyntaxError::LocalDots => "local-dots",
            SyntaxError::UnclosedQuote => "unclosed-quote",
            SyntaxError::LocalTooLong => "local-too-long",
            SyntaxError::InvalidDomain => "invalid-domain",
            SyntaxError::DomainNotQualified => "domain-not-qualified",
            SyntaxError::DomainTooLong => "domain-too-long",
            SyntaxError::NumericTopLevel => "numeric-top-level",
            SyntaxError::InvalidLiteral => "invalid-literal",
            SyntaxError::InvalidIdn => "invalid-idn",
        }
    }
}

/// The address inside what people paste: `mailto:` (with its `?subject=…`), `Name <addr>`,
/// surrounding quotes or brackets, and trailing dots, commas and semicolons are removed.
pub fn clean(raw: &str) -> &str {
    let mut text = raw.trim();
    if let (Some(open), Some(close)) = (text.rfind('<'), text.rfind('>'))
        && open < close
    {
        text = &text[open + 1..close];
    }
    if text
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
    {
        text = &text[7..];
        text = &text[..text.find('?').unwrap_or(text.len())];
    }
    text = text.trim();
    // Quotes around the whole address (`"max@example.com"`), not a quoted local part.
    if text.len() >= 2
        && ((text.starts_with('"') && text.ends_with('"') && text.matches('"').count() == 2)
            || (text.starts_with('\'') && text.ends_with('\'')))
    {
        text = text[1..text.len() - 1].trim();
    }
    text.trim_end_matches(['.', ',', ';']).trim()
}

/// Checks a cleaned address; `to_ascii` converts an internationalized domain (the CLI uses
/// the `idna` crate, the browser its URL parser).
pub fn parse_address(
    text: &str,
    to_ascii: &dyn Fn(&str) -> Option<String>,
) -> Result<Address, SyntaxError> {
    if text.is_empty() {
        return Err(SyntaxError::Empty);
    }
    let at = split_at_sign(text)?;
    let (local, domain) = (&text[..at], &text[at + 1..]);
    if local.is_empty() {
        return Err(SyntaxError::EmptyLocalPart);
    }
    if domain.is_empty() {
        return Err(SyntaxError::EmptyDomain);
    }
    check_local(local)?;
    if let Some(literal) = domain.strip_prefix('[') {
        let inner = literal
            .strip_suffix(']')
            .ok_or(SyntaxError::InvalidLiteral)?;
        let valid = match inner.strip_prefix("IPv6:") {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => inner.parse::<std::net::Ipv4Addr>().is_ok(),
        };
        if !valid {
            return Err(SyntaxError::InvalidLiteral);
        }
        return Ok(Address {
            local: local.to_owned(),
            domain: domain.to_owned(),
            unicode_domain: None,
            literal: true,
        });
    }
    if domain.contains(char::is_whitespace) {
        return Err(SyntaxError::Space);
    }
    let (ascii, unicode) = if domain.is_ascii() {
        (domain.to_ascii_lowercase(), None)
    } else {
        let ascii = to_ascii(domain).ok_or(SyntaxError::InvalidIdn)?;
        (ascii, Some(domain.to_owned()))
    };
    check_domain(&ascii)?;
    Ok(Address {
        local: local.to_owned(),
        domain: ascii,
        unicode_domain: unicode,
        literal: false,
    })
}

/// The position of the `@` that separates local part and domain: the only one outside a
/// quoted local part.
fn split_at_sign(text: &str) -> Result<usize, SyntaxError> {
    let mut quoted = false;
    let mut escaped = false;
    let mut found = None;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '@' if !quoted => {
                if found.is_some() {
                    return Err(SyntaxError::SeveralAt);
                }
                found = Some(index);
            }
            _ => {}
        }
    }
    if quoted {
        return Err(SyntaxError::UnclosedQuote);
    }
    found.ok_or(if text.contains(char::is_whitespace) {
        SyntaxError::Space
    } else {
        SyntaxError::NoAt
    })
}

/// RFC 5321 §4.1.2: `Dot-string` (atoms of `atext`, RFC 5322 §3.2.3; UTF-8 allowed by RFC 6531
/// §3.3) or `Quoted-string` (`qtextSMTP`, `quoted-pairSMTP`).
fn check_local(local: &str) -> Result<(), SyntaxError> {
    if local.len() > MAX_LOCAL_PART {
        return Err(SyntaxError::LocalTooLong);
    }
    if let Some(inner) = local.strip_prefix('"') {
        let inner = inner.strip_suffix('"').ok_or(SyntaxError::UnclosedQuote)?;
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(' '..='~') => {}
                    _ => return Err(SyntaxError::InvalidLocalCharacter),
                },
                '"' => return Err(SyntaxError::InvalidLocalCharacter),
                ' '..='~' => {}
                c if !c.is_ascii() && !c.is_control() => {}
                _ => return Err(SyntaxError::InvalidLocalCharacter),
            }
        }
        return Ok(());
    }
    if local.contains(char::is_whitespace) {
        return Err(SyntaxError::Space);
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(SyntaxError::LocalDots);
    }
    let atext = |c: char| {
        c.is_ascii_alphanumeric()
            || "!#$%&'*+-/=?^_`{|}~.".contains(c)
            || (!c.is_ascii() && !c.is_control())
    };
    if local.chars().all(atext) {
        Ok(())
    } else if local.contains('"') {
        Err(SyntaxError::UnclosedQuote)
    } else {
        Err(SyntaxError::InvalidLocalCharacter)
    }
}

/// RFC 5321 §4.1.2 `Domain`: dot-separated labels of letters, digits and hyphens (RFC 1123
/// §2.1), not starting or ending with a hyphen, at least two, the last not all digits.
fn check_domain(domain: &str) -> Result<(), SyntaxError> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain.len() > MAX_DOMAIN {
        return Err(SyntaxError::DomainTooLong);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    for label in &labels {
        if label.len() > MAX_LABEL {
            return Err(SyntaxError::DomainTooLong);
        }
        let ldh = !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ldh {
            return Err(if label.contains(' ') {
                SyntaxError::Space
            } else {
                SyntaxError::InvalidDomain
            });
        }
    }
    if labels.len() < 2 {
        return Err(SyntaxError::DomainNotQualified);
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(SyntaxError::NumericTopLevel);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Address, SyntaxError> {
        parse_address(clean(text), &|name| {
            (name == "bücher.example").then(|| "xn--bcher-kva.example".to_owned())
        })
    }

    #[test]
    fn what_people_paste_is_cleaned() {
        for pasted in [
            "max@example.com",
            "  max@example.com  ",
            "mailto:max@example.com",
            "MAILTO:max@example.com?subject=Hallo",
            "Max Mustermann <max@example.com>",
            "\"Mustermann, Max\" <max@example.com>",
            "<max@example.com>",
            "\"max@example.com\"",
            "max@example.com.",
            "max@example.com;",
            "max@example.com,",
        ] {
            assert_eq!(clean(pasted), "max@example.com", "{pasted:?}");
        }
    }

    #[test]
    fn valid_addresses_of_rfc_5321() {
        let ok = |text: &str| parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(ok("Max.Mustermann@Example.COM").domain, "example.com");
        assert_eq!(ok("Max.Mustermann@Example.COM").local, "Max.Mustermann");
        ok("o'brien+news@example.co.uk");
        ok("a!#$%&'*+-/=?^_`{|}~z@example.org");
        let quoted = ok("\"john doe\"@example.org");
        assert_eq!(quoted.local, "\"john doe\"");
        ok("\"a@b\\\"c\"@example.org");
        ok("jörg@example.de");
        let idn = ok("info@bücher.example");
        assert_eq!(idn.domain, "xn--bcher-kva.example");
        assert_eq!(idn.unicode_domain.as_deref(), Some("bücher.example"));
        assert!(ok("postmaster@[192.0.2.1]").literal);
        assert!(ok("postmaster@[IPv6:2001:db8::1]").literal);
        ok(&format!("{}@example.org", "a".repeat(64)));
    }

    #[test]
    fn invalid_addresses_say_why() {
        for (text, error) in [
            ("", SyntaxError::Empty),
            ("max.example.com", SyntaxError::NoAt),
            ("max mustermann", SyntaxError::Space),
            ("max@@example.com", SyntaxError::SeveralAt),
            ("max@example@com", SyntaxError::SeveralAt),
            ("@example.com", SyntaxError::EmptyLocalPart),
            ("max@", SyntaxError::EmptyDomain),
            ("max musterman@example.com", SyntaxError::Space),
            ("max@exam ple.com", SyntaxError::Space),
            ("max(at)@example.com", SyntaxError::InvalidLocalCharacter),
            ("max,anna@example.com", SyntaxError::InvalidLocalCharacter),
            (".max@example.com", SyntaxError::LocalDots),
            ("max..m@example.com", SyntaxError::LocalDots),
            ("\"max@example.com", SyntaxError::UnclosedQuote),
            ("max@example..com", SyntaxError::InvalidDomain),
            ("max@-example.com", SyntaxError::InvalidDomain),
            ("max@exam_ple.com", SyntaxError::InvalidDomain),
            ("max@localhost", SyntaxError::DomainNotQualified),
            ("max@192.168.0.1", SyntaxError::NumericTopLevel),
            ("max@[192.0.2.300]", SyntaxError::InvalidLiteral),
            ("max@ünknown.example", SyntaxError::InvalidIdn),
        ] {
            assert_eq!(parse(text), Err(error), "{text:?}");
        }
        assert_eq!(
            parse(&format!("{}@example.org", "a".repeat(65))),
            Err(SyntaxError::LocalTooLong)
        );
        assert_eq!(
            parse(&format!("a@{}.org", "b".repeat(64))),
            Err(SyntaxError::DomainTooLong)
        );
    }
}
