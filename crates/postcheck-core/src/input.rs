//! What the user typed, reduced to a domain: forgiving about form, strict about content.
//!
//! An email address or a URL is reduced to its domain, an internationalized name is converted to
//! its ASCII form (RFC 5891 via UTS #46), and one trailing dot is accepted. What no domain can be
//! is refused with a reason, never guessed at.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why the input is not a usable domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum InputError {
    /// Nothing but whitespace.
    Empty,
    /// A label over 63 octets (RFC 1035 §2.3.4).
    LabelTooLong {
        /// The label, in its ASCII form.
        label: String,
        /// Its length in octets.
        length: usize,
    },
    /// A name over 253 octets in text form (RFC 1035 §2.3.4).
    NameTooLong {
        /// The length in octets of the name's ASCII form.
        length: usize,
    },
    /// An empty label, as in `example..com`.
    EmptyLabel,
    /// A character no host name can hold.
    InvalidCharacter {
        /// The first such character.
        character: char,
    },
    /// A single label such as `localhost`: SPF needs a fully qualified domain (RFC 7208 §4.3).
    NotFullyQualified {
        /// The name in its ASCII form, lowercase.
        name: String,
    },
    /// An IP address where a domain was expected.
    IpAddress {
        /// The address, without brackets.
        address: String,
    },
    /// The IDNA conversion refused the name.
    Idna {
        /// The domain part of the input, as typed.
        name: String,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::messages::input_error(
            self,
            crate::messages::Lang::En,
        ))
    }
}

impl std::error::Error for InputError {}

/// Reduces a domain, email address or URL to a lowercase ASCII domain without trailing dot.
/// Internationalized names are converted with the `idna` crate (UTS #46, RFC 5891).
#[cfg(feature = "idna")]
pub fn parse_domain_input(raw: &str) -> Result<String, InputError> {
    parse_domain_input_with(raw, &|name| idna::domain_to_ascii(name).ok())
}

/// [`parse_domain_input`] with the IDN conversion supplied by the caller: a browser has UTS #46
/// built in (the URL parser's host processing), so the page need not carry the tables.
/// `to_ascii` gets the name as typed and returns its A-label form, or `None` if it has none.
pub fn parse_domain_input_with(
    raw: &str,
    to_ascii: &dyn Fn(&str) -> Option<String>,
) -> Result<String, InputError> {
    let mut text = raw.trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    // A URL: drop the scheme, then everything from the first '/', '?' or '#'.
    let url = text.contains("://");
    if let Some(index) = text.find("://") {
        text = &text[index + 3..];
        text = &text[..text.find(['/', '?', '#']).unwrap_or(text.len())];
        // Credentials in a URL (user:pass@host) are not part of the host.
        if let Some(at) = text.rfind('@') {
            text = &text[at + 1..];
        }
        // A port.
        if let Some(colon) = text.rfind(':')
            && text[colon + 1..].bytes().all(|b| b.is_ascii_digit())
        {
            text = &text[..colon];
        }
    } else if let Some(rest) = text.strip_prefix("mailto:") {
        text = rest;
    }
    // An email address, possibly written as `Name <user@example.com>`.
    if let (Some(open), Some(close)) = (text.rfind('<'), text.rfind('>'))
        && open < close
    {
        text = &text[open + 1..close];
    }
    if let Some(at) = text.rfind('@') {
        text = &text[at + 1..];
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    let text = text.strip_suffix('.').unwrap_or(text);
    let unbracketed = text.trim_start_matches('[').trim_end_matches(']');
    if unbracketed.parse::<std::net::IpAddr>().is_ok() {
        return Err(InputError::IpAddress {
            address: unbracketed.to_owned(),
        });
    }
    if let Some(character) = text.chars().find(|c| {
        c.is_whitespace() || c.is_control() || "/\\<>\"'()[]{}|,;:!?*&%$#=+`^~".contains(*c)
    }) {
        return Err(InputError::InvalidCharacter { character });
    }
    let ascii = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        to_ascii(text).ok_or_else(|| InputError::Idna {
            name: text.to_owned(),
        })?
    };
    if let Some(character) = ascii
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.' || *c == '_'))
    {
        return Err(InputError::InvalidCharacter { character });
    }
    if ascii.len() > 253 {
        return Err(InputError::NameTooLong {
            length: ascii.len(),
        });
    }
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(InputError::EmptyLabel);
        }
        if label.len() > 63 {
            return Err(InputError::LabelTooLong {
                label: label.to_owned(),
                length: label.len(),
            });
        }
    }
    if !ascii.contains('.') {
        return Err(InputError::NotFullyQualified { name: ascii });
    }
    // A website's address names its web server; the mail goes to the domain
    // (`https://www.example.com/kontakt` → `example.com`). Typed without a scheme, `www.` stays:
    // whoever types it means that name.
    // `www` that is part of the registered domain itself (`www.co.uk`) stays.
    let labels: Vec<&str> = ascii.split('.').collect();
    let below_registered = labels.len() > crate::dns::name::registered_label_count(&labels);
    if url
        && below_registered
        && let Some(domain) = ascii.strip_prefix("www.")
    {
        return Ok(domain.to_owned());
    }
    Ok(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str, expect: &str) {
        assert_eq!(parse_domain_input(input).as_deref(), Ok(expect), "{input}");
    }

    #[test]
    fn forgiving_about_form() {
        ok("example.com", "example.com");
        ok("  Example.COM. ", "example.com");
        ok("info@example.com", "example.com");
        ok("Max Muster <max@Example.com>", "example.com");
        ok("mailto:office@example.com", "example.com");
        ok("https://www.example.com/kontakt?x=1#top", "example.com");
        ok("HTTPS://WWW.Example.com", "example.com");
        ok("https://www.co.uk", "www.co.uk");
        ok("https://www.example.co.uk/", "example.co.uk");
        ok("www.example.com", "www.example.com");
        ok("http://user:pw@example.com:8080/", "example.com");
        ok("müller-bäckerei.de", "xn--mller-bckerei-hfb76a.de");
        ok("info@bücher.example", "xn--bcher-kva.example");
        ok("_dmarc.example.com", "_dmarc.example.com");
    }

    #[test]
    fn strict_about_content() {
        assert_eq!(parse_domain_input("   "), Err(InputError::Empty));
        assert_eq!(parse_domain_input("user@"), Err(InputError::Empty));
        let long_label = format!("{}.com", "a".repeat(64));
        assert!(matches!(
            parse_domain_input(&long_label),
            Err(InputError::LabelTooLong { length: 64, .. })
        ));
        let long_name = format!("{}com", "abcdefghi.".repeat(26));
        assert!(matches!(
            parse_domain_input(&long_name),
            Err(InputError::NameTooLong { .. })
        ));
        assert!(matches!(
            parse_domain_input("exa mple.com"),
            Err(InputError::InvalidCharacter { character: ' ' })
        ));
        assert!(matches!(
            parse_domain_input("example..com"),
            Err(InputError::EmptyLabel)
        ));
        assert!(matches!(
            parse_domain_input("localhost"),
            Err(InputError::NotFullyQualified { .. })
        ));
        assert!(matches!(
            parse_domain_input("192.0.2.1"),
            Err(InputError::IpAddress { .. })
        ));
        assert!(matches!(
            parse_domain_input("exam$ple.com"),
            Err(InputError::InvalidCharacter { character: '$' })
        ));
    }
}
