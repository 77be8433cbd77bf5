//! Macro expansion (RFC 7208 §7.3) and the domain-name rules applied to its results.

use super::parse::{MacroExpand, MacroPiece};
use std::fmt::Write as _;
use std::net::IpAddr;

/// The values macros expand to for one `check_host()` call (§7.2).
#[derive(Debug, Clone)]
pub struct MacroValues<'a> {
    /// `s`: the sender, `local-part@domain` (postmaster@helo when MAIL FROM is empty, §4.3).
    pub sender: &'a str,
    /// `l`.
    pub local_part: &'a str,
    /// `o`.
    pub sender_domain: &'a str,
    /// `d`: the domain whose record is being evaluated.
    pub domain: &'a str,
    /// `i`, `c` and `v` come from the client address.
    pub ip: IpAddr,
    /// `h`.
    pub helo: &'a str,
    /// `r`: the receiving host's domain.
    pub receiver: &'a str,
    /// `t`: seconds since the epoch, an input (the core has no clock).
    pub timestamp: u64,
    /// `p`: the validated domain name of the client, resolved by the caller when needed.
    pub validated_name: Option<&'a str>,
}

/// Expands parsed macro pieces. `p` must have been resolved into `validated_name` by the caller
/// when the pieces use it ("unknown" otherwise, §7.3).
pub fn expand(pieces: &[MacroPiece], values: &MacroValues<'_>) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            MacroPiece::Literal(text) => out.push_str(text),
            MacroPiece::Expand(expand) => out.push_str(&expand_one(expand, values)),
        }
    }
    out
}

fn expand_one(expand: &MacroExpand, values: &MacroValues<'_>) -> String {
    let raw: String = match expand.letter {
        's' => values.sender.to_owned(),
        'l' => values.local_part.to_owned(),
        'o' => values.sender_domain.to_owned(),
        'd' => values.domain.to_owned(),
        'i' => dotted_ip(values.ip),
        'p' => values.validated_name.unwrap_or("unknown").to_owned(),
        'v' => match values.ip {
            IpAddr::V4(_) => "in-addr".to_owned(),
            IpAddr::V6(_) => "ip6".to_owned(),
        },
        'h' => values.helo.to_owned(),
        'c' => values.ip.to_string(),
        'r' => values.receiver.to_owned(),
        't' => values.timestamp.to_string(),
        _ => String::new(),
    };
    // §7.3: split on the delimiters (default "."), optionally reverse, keep the rightmost N
    // parts, and join with ".".
    let delimiters: &str = if expand.delimiters.is_empty() {
        "."
    } else {
        &expand.delimiters
    };
    // The delimiters as a table: a hostile record may repeat them thousands of times
    // (`%{d.........}`), which a search per character would pay for every character. The
    // parser only accepts ASCII delimiters (§7.1).
    let mut is_delimiter = [false; 128];
    for delimiter in delimiters.chars() {
        if delimiter.is_ascii() {
            is_delimiter[delimiter as usize] = true;
        }
    }
    let mut parts: Vec<&str> = raw
        .split(|c: char| {
            if c.is_ascii() {
                is_delimiter[c as usize]
            } else {
                delimiters.contains(c)
            }
        })
        .collect();
    if expand.reverse {
        parts.reverse();
    }
    if let Some(digits) = expand.digits
        && digits < parts.len()
    {
        parts.drain(..parts.len() - digits);
    }
    let joined = parts.join(".");
    if expand.url_escape {
        url_escape(&joined)
    } else {
        joined
    }
}

/// `i` for IPv4 is the dotted quad; for IPv6, 32 dot-separated nibbles (§7.3).
pub fn dotted_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for (index, byte) in v6.octets().iter().enumerate() {
                if index > 0 {
                    out.push('.');
                }
                let _ = write!(out, "{:x}.{:x}", byte >> 4, byte & 0xf);
            }
            out
        }
    }
}

/// Uppercase macros are URL-escaped (§7.3): every character outside RFC 3986 "unreserved".
fn url_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// §7.3: when an expanded name exceeds 253 characters, whole labels are removed from the left
/// until it fits. A trailing dot is dropped first.
pub fn truncate_domain(name: &str) -> String {
    let mut name = name.strip_suffix('.').unwrap_or(name);
    while name.len() > 253 {
        match name.find('.') {
            Some(dot) => name = &name[dot + 1..],
            None => break,
        }
    }
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spf::parse::{MacroContext, parse_macro_string};

    fn values(ip: &str) -> MacroValues<'static> {
        MacroValues {
            sender: "strong-bad@email.example.com",
            local_part: "strong-bad",
            sender_domain: "email.example.com",
            domain: "email.example.com",
            ip: ip.parse().unwrap(),
            helo: "mx.example.org",
            receiver: "unknown",
            timestamp: 1_234_567_890,
            validated_name: None,
        }
    }

    fn check(macro_string: &str, ip: &str, expect: &str) {
        let pieces = parse_macro_string(macro_string, MacroContext::Explanation).unwrap();
        assert_eq!(expand(&pieces, &values(ip)), expect, "{macro_string}");
    }

    /// The examples of RFC 7208 §7.4.
    #[test]
    fn rfc_7208_section_7_4_examples() {
        let v4 = "192.0.2.3";
        check("%{s}", v4, "strong-bad@email.example.com");
        check("%{o}", v4, "email.example.com");
        check("%{d}", v4, "email.example.com");
        check("%{d4}", v4, "email.example.com");
        check("%{d3}", v4, "email.example.com");
        check("%{d2}", v4, "example.com");
        check("%{d1}", v4, "com");
        check("%{dr}", v4, "com.example.email");
        check("%{d2r}", v4, "example.email");
        check("%{l}", v4, "strong-bad");
        check("%{l-}", v4, "strong.bad");
        check("%{lr}", v4, "strong-bad");
        check("%{lr-}", v4, "bad.strong");
        check("%{l1r-}", v4, "strong");
        check(
            "%{ir}.%{v}._spf.%{d2}",
            v4,
            "3.2.0.192.in-addr._spf.example.com",
        );
        check("%{lr-}.lp._spf.%{d2}", v4, "bad.strong.lp._spf.example.com");
        check(
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
            v4,
            "bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
        );
        check(
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
            v4,
            "3.2.0.192.in-addr.strong.lp._spf.example.com",
        );
        check(
            "%{d2}.trusted-domains.example.net",
            v4,
            "example.com.trusted-domains.example.net",
        );
        check(
            "%{ir}.%{v}._spf.%{d2}",
            "2001:db8::cb01",
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
        );
        check("%{c} %{t} %{r}", v4, "192.0.2.3 1234567890 unknown");
    }

    #[test]
    fn uppercase_macros_are_url_escaped() {
        let pieces = parse_macro_string("%{L}", MacroContext::DomainSpec).unwrap();
        let mut v = values("192.0.2.3");
        v.local_part = "~jack&jill=up-a_b3.c";
        assert_eq!(expand(&pieces, &v), "~jack%26jill%3Dup-a_b3.c");
    }

    #[test]
    fn long_names_lose_labels_on_the_left() {
        let long = format!("{}.example.com", "abcdefghij.".repeat(30));
        let truncated = truncate_domain(&long);
        assert!(truncated.len() <= 253);
        assert!(truncated.ends_with(".example.com"));
        assert!(truncated.starts_with("abcdefghij."));
    }
}
