//! Rules about DNS names and addresses, in one place: which names can be queried or stand as a
//! host name, the reverse-lookup and blocklist names of an address, network membership, and the
//! registered domain guessed without the Public Suffix List. The checks (SPF, DMARC, MTA-STS,
//! the sending IP, pasted headers) use these; none of them owns them.

use std::net::IpAddr;

/// Whether a name can be queried: 1 to 63 octets a label, 253 in all, no empty label (RFC 1035
/// §2.3.4). `multi_label` also requires at least two labels (RFC 7208 §4.3). A trailing dot is
/// allowed.
pub fn is_queryable_name(name: &str, multi_label: bool) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    let mut labels = 0;
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return false;
        }
        labels += 1;
    }
    !multi_label || labels >= 2
}

/// RFC 7208 §4.3: the checked domain must be a fully qualified name of letters, digits and
/// hyphens (plus `_`, which occurs in real names); a domain literal like `[192.0.2.1]` is not one.
pub fn is_valid_check_domain(name: &str) -> bool {
    is_queryable_name(name, true)
        && name
            .strip_suffix('.')
            .unwrap_or(name)
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

/// A label of a host name (RFC 1123 §2.1, RFC 5321 §4.1.2 `sub-domain`): 1 to 63 letters,
/// digits and inner hyphens; underscores are tolerated, because real names have them.
pub fn is_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A host name of at least `min_labels` labels, each an [`is_host_label`], 253 octets at most.
/// No trailing dot: callers that accept one strip it first.
pub fn is_host_name(name: &str, min_labels: usize) -> bool {
    name.len() <= 253 && name.split('.').count() >= min_labels && name.split('.').all(is_host_label)
}

/// The name for a PTR lookup of `ip`: `4.3.2.1.in-addr.arpa` (RFC 1035 §3.5) or the 32
/// reversed nibbles under `ip6.arpa` (RFC 3596 §2.5). Lowercase, without the trailing dot.
#[must_use]
pub fn reverse_name(ip: IpAddr) -> String {
    use std::fmt::Write as _;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(v6) => {
            let mut name = String::with_capacity(72);
            for octet in v6.octets().iter().rev() {
                let _ = write!(name, "{:x}.{:x}.", octet & 0x0f, octet >> 4);
            }
            name.push_str("ip6.arpa");
            name
        }
    }
}

/// The address as a DNSBL key: IPv4 octets reversed (RFC 5782 §2.1), IPv6 nibbles reversed
/// (§2.4), without the `in-addr.arpa`/`ip6.arpa` suffix. An IPv4-mapped IPv6 address is its
/// IPv4 address.
pub fn dnsbl_key(ip: IpAddr) -> String {
    let reverse = reverse_name(ip.to_canonical());
    let key = reverse
        .strip_suffix(".in-addr.arpa")
        .or_else(|| reverse.strip_suffix(".ip6.arpa"))
        .unwrap_or(&reverse);
    key.to_owned()
}

/// Whether `ip` lies in `network/prefix`; different families never match.
pub fn ip_in_network(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix.min(32)))
            };
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix.min(128)))
            };
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

/// Second-level labels under a two-letter country code where registrations sit one level
/// deeper (`example.co.uk`, `example.com.au`, `example.ne.jp`).
const SECOND_LEVEL_LABELS: &[&str] = &[
    "co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "ltd", "plc", "gv",
];

/// How many labels at the end of a name form its registered domain, guessed without the Public
/// Suffix List: two, or three under a ccTLD's common second level (`SECOND_LEVEL_LABELS`).
pub fn registered_label_count(labels: &[&str]) -> usize {
    match labels {
        [.., second, tld]
            if labels.len() >= 3 && tld.len() == 2 && SECOND_LEVEL_LABELS.contains(second) =>
        {
            3
        }
        _ => 2,
    }
}

/// The organizational domain (RFC 7489 §3.2) guessed without the Public Suffix List: the
/// registered domain of [`registered_label_count`]. The report's DMARC check walks the DNS tree
/// instead (RFC 9989 §4.10); this is for what is judged offline (pasted headers, PTR names).
pub fn organizational_domain_guess(domain: &str) -> String {
    let labels: Vec<&str> = domain.trim_end_matches('.').split('.').collect();
    labels[labels.len().saturating_sub(registered_label_count(&labels))..].join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(ip_in_network(ip("192.0.2.77"), ip("192.0.2.0"), 24));
        assert!(!ip_in_network(ip("192.0.3.1"), ip("192.0.2.0"), 24));
        assert!(ip_in_network(ip("1.2.3.4"), ip("9.9.9.9"), 0));
        assert!(ip_in_network(
            ip("cafe:babe:8000::1"),
            ip("cafe:babe:8000::"),
            33
        ));
        assert!(!ip_in_network(ip("1.2.3.4"), ip("::"), 0));
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            reverse_name("192.0.2.3".parse().unwrap()),
            "3.2.0.192.in-addr.arpa"
        );
        assert_eq!(
            reverse_name("2001:db8::cb01".parse().unwrap()),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
        assert_eq!(dnsbl_key("::ffff:192.0.2.3".parse().unwrap()), "3.2.0.192");
    }

    #[test]
    fn names() {
        assert!(is_queryable_name("example.com.", true));
        assert!(!is_queryable_name("com", true));
        assert!(!is_queryable_name("a..b", false));
        assert!(!is_queryable_name(
            &format!("{}.com", "a".repeat(64)),
            false
        ));
        assert!(is_valid_check_domain("_spf.example.com"));
        assert!(!is_valid_check_domain("[192.0.2.1]"));
        assert!(is_host_name("mx1.example.com", 2));
        assert!(!is_host_name("-mx.example.com", 2));
        assert!(!is_host_name("example", 2));
        assert!(is_host_name("example", 1));
    }

    #[test]
    fn organizational_domains_are_guessed_with_one_list() {
        assert_eq!(
            organizational_domain_guess("a.b.example.com"),
            "example.com"
        );
        assert_eq!(
            organizational_domain_guess("mail.example.co.uk"),
            "example.co.uk"
        );
        assert_eq!(
            organizational_domain_guess("mail.example.ltd.uk"),
            "example.ltd.uk"
        );
        assert_eq!(organizational_domain_guess("co.uk"), "co.uk");
        assert_eq!(organizational_domain_guess("example.de."), "example.de");
    }
}
