//! Where the gateway may fetch from: the host names and the addresses an MTA-STS policy fetch
//! (RFC 8461 §3.3) may go to, so that a client cannot point the worker at a local network.
//!
//! Two checks, both before the fetch: the name must not be a special-use name that never
//! belongs to a public host ([`special_use_domain`], applied by [`crate::request::mta_sts_url`]), and
//! every address the host name resolves to must be a public unicast address unless the operator
//! allows it ([`check_fetch_addresses`], with the allow-list of `FETCH_ALLOW_ADDRESSES`). The
//! second also catches public names that resolve to private addresses (`127.0.0.1.nip.io`,
//! `localtest.me`).
//!
//! The address check sees the answers of the gateway's own lookup; the runtime's `fetch()`
//! resolves the name once more, so a name whose answers change between the two (DNS
//! rebinding) can still slip through. On Cloudflare the platform itself refuses connections to
//! private networks; the check matters most where the worker runs elsewhere (`wrangler dev`,
//! workerd on one's own hosts).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use thiserror::Error;

/// Top-level names that never name a public web host, with the reason the refusal gives.
///
/// Not here, on purpose: `test` (RFC 6761 §6.2 lets applications treat it normally, and the
/// test bed serves `*.test`) and `example` (RFC 6761 §6.5, RFC 2606 §2). Checked against the
/// last label, so every name under them is refused as well.
const SPECIAL_USE_TOP: &[(&str, &str)] = &[
    (
        "localhost",
        "a special-use name under .localhost, the loopback host (RFC 6761 §6.3)",
    ),
    (
        "invalid",
        "a special-use name under .invalid, which never exists (RFC 6761 §6.4)",
    ),
    (
        "local",
        "a multicast DNS name under .local, a link-local name (RFC 6762 §3)",
    ),
    (
        "onion",
        "a Tor onion service name under .onion (RFC 7686 §2)",
    ),
    (
        "alt",
        "a name under .alt, reserved for non-DNS name systems (RFC 9476 §2)",
    ),
    (
        "internal",
        "a private-use name under .internal (reserved for private use by ICANN, 2024)",
    ),
    (
        "arpa",
        "a name under .arpa, the infrastructure domain (RFC 3172), such as the home \
         networks' home.arpa (RFC 8375)",
    ),
    // RFC 6762 Appendix G: top-level names in common private use, never delegated.
    (
        "intranet",
        "a private-use name under .intranet (RFC 6762 Appendix G)",
    ),
    (
        "private",
        "a private-use name under .private (RFC 6762 Appendix G)",
    ),
    (
        "corp",
        "a private-use name under .corp (RFC 6762 Appendix G)",
    ),
    (
        "home",
        "a private-use name under .home (RFC 6762 Appendix G)",
    ),
    ("lan", "a private-use name under .lan (RFC 6762 Appendix G)"),
];

/// Why `domain` (lowercase, no trailing dot, as [`crate::request::validate_domain`] returns it) may not
/// be fetched from, or `None` for an ordinary name. A special-use name either never resolves
/// in the public DNS or resolves to something local; either way there is no public policy
/// host behind it.
pub fn special_use_domain(domain: &str) -> Option<&'static str> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let top = domain.rsplit('.').next()?;
    SPECIAL_USE_TOP
        .iter()
        .find(|(name, _)| top.eq_ignore_ascii_case(name))
        .map(|(_, reason)| *reason)
}

/// An address range: a network address and a prefix length (`10.0.0.0/8`, `::1/128`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix_len: u8,
}

impl AddressRange {
    /// Parses `address` or `address/prefix` (CIDR, RFC 4632 §3.1; RFC 4291 §2.3). The
    /// address's host bits must be zero, so a typo such as `10.1.2.3/8` is noticed.
    pub fn parse(text: &str) -> Option<AddressRange> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix_len = match prefix {
            None => max,
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse::<u8>().ok().filter(|len| *len <= max)?
            }
            Some(_) => return None,
        };
        let range = AddressRange {
            network,
            prefix_len,
        };
        (range.first_bits_of(network) == bits(network)).then_some(range)
    }

    /// `network` with everything past the prefix cleared.
    fn first_bits_of(&self, address: IpAddr) -> u128 {
        let width = if address.is_ipv4() { 32 } else { 128 };
        let host_bits = width - u32::from(self.prefix_len);
        if host_bits >= 128 {
            0
        } else {
            bits(address) & (u128::MAX << host_bits)
        }
    }

    /// True when `address` lies in the range. Families never mix: `127.0.0.1/32` does not
    /// contain `::ffff:127.0.0.1`; [`check_fetch_addresses`] reads IPv4-mapped addresses as
    /// IPv4 before it asks.
    pub fn contains(&self, address: IpAddr) -> bool {
        address.is_ipv4() == self.network.is_ipv4()
            && self.first_bits_of(address) == bits(self.network)
    }
}

impl std::fmt::Display for AddressRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix_len)
    }
}

/// An address as a number, IPv4 in the low 32 bits.
fn bits(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// The IPv4 ranges no fetch goes to (RFC 6890's special-purpose registry, less the ranges
/// that hold public hosts), as `(network, prefix length, what it is)`.
const REFUSED_V4: &[(Ipv4Addr, u8, &str)] = &[
    (
        Ipv4Addr::new(0, 0, 0, 0),
        8,
        "\"this network\" (RFC 791 §3.2; RFC 6890 §2.2.2)",
    ),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "private-use (RFC 1918 §3)"),
    (
        Ipv4Addr::new(100, 64, 0, 0),
        10,
        "shared address space of carrier-grade NAT (RFC 6598 §7)",
    ),
    (
        Ipv4Addr::new(127, 0, 0, 0),
        8,
        "loopback (RFC 1122 §3.2.1.3)",
    ),
    (
        Ipv4Addr::new(169, 254, 0, 0),
        16,
        "link-local (RFC 3927 §2.1)",
    ),
    (
        Ipv4Addr::new(172, 16, 0, 0),
        12,
        "private-use (RFC 1918 §3)",
    ),
    (
        Ipv4Addr::new(192, 0, 0, 0),
        24,
        "IETF protocol assignments (RFC 6890 §2.2.2)",
    ),
    (
        Ipv4Addr::new(192, 0, 2, 0),
        24,
        "documentation, TEST-NET-1 (RFC 5737 §3)",
    ),
    (
        Ipv4Addr::new(192, 88, 99, 0),
        24,
        "the former 6to4 relay anycast (RFC 7526 §4)",
    ),
    (
        Ipv4Addr::new(192, 168, 0, 0),
        16,
        "private-use (RFC 1918 §3)",
    ),
    (
        Ipv4Addr::new(198, 18, 0, 0),
        15,
        "benchmarking (RFC 2544 Appendix C.2.2)",
    ),
    (
        Ipv4Addr::new(198, 51, 100, 0),
        24,
        "documentation, TEST-NET-2 (RFC 5737 §3)",
    ),
    (
        Ipv4Addr::new(203, 0, 113, 0),
        24,
        "documentation, TEST-NET-3 (RFC 5737 §3)",
    ),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast (RFC 5771 §3)"),
    (
        Ipv4Addr::new(240, 0, 0, 0),
        4,
        "reserved (RFC 1112 §4), with the limited broadcast 255.255.255.255 (RFC 919 §7)",
    ),
];

/// The IPv6 ranges no fetch goes to, as `(network, prefix length, what it is)`. The ranges
/// that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by that address first
/// ([`embedded_v4`]); what is left of them is refused here.
const REFUSED_V6: &[(Ipv6Addr, u8, &str)] = &[
    (
        Ipv6Addr::UNSPECIFIED,
        128,
        "the unspecified address (RFC 4291 §2.5.2)",
    ),
    (Ipv6Addr::LOCALHOST, 128, "loopback (RFC 4291 §2.5.3)"),
    (
        Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 0),
        96,
        "the deprecated IPv4-compatible addresses (RFC 4291 §2.5.5.1)",
    ),
    (
        Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0),
        48,
        "local-use IPv4/IPv6 translation (RFC 8215 §4)",
    ),
    (
        Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0),
        64,
        "discard-only (RFC 6666 §4)",
    ),
    (
        Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0),
        23,
        "IETF protocol assignments, with Teredo (RFC 2928 §2; RFC 4380 §2.6)",
    ),
    (
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
        32,
        "documentation (RFC 3849 §2)",
    ),
    (
        Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0),
        20,
        "documentation (RFC 9637 §3)",
    ),
    (
        Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0),
        7,
        "unique local (RFC 4193 §3)",
    ),
    (
        Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0),
        10,
        "link-local (RFC 4291 §2.5.6)",
    ),
    (
        Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0),
        10,
        "the deprecated site-local (RFC 3879 §4)",
    ),
    (
        Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),
        8,
        "multicast (RFC 4291 §2.7)",
    ),
];

/// The IPv4 address an IPv6 address stands for, with what the form is: NAT64's well-known
/// prefix `64:ff9b::/96` (RFC 6052 §2.1) and 6to4's `2002::/16` (RFC 3056 §2). (IPv4-mapped
/// addresses, RFC 4291 §2.5.5.2, are read as IPv4 before this is asked.)
fn embedded_v4(v6: Ipv6Addr) -> Option<(Ipv4Addr, &'static str)> {
    let [a, b, c, d, e, f, g, h] = v6.segments();
    let join = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    if [a, b, c, d, e, f] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some((
            join(g, h),
            "NAT64 (RFC 6052 §2.1) of an IPv4 address no fetch goes to",
        ));
    }
    if a == 0x2002 {
        return Some((
            join(b, c),
            "6to4 (RFC 3056 §2) of an IPv4 address no fetch goes to",
        ));
    }
    None
}

/// Why no fetch may go to `address`, or `None` for a public unicast address. IPv4-mapped
/// IPv6 addresses are judged as the IPv4 address they carry, NAT64 and 6to4 addresses by the
/// IPv4 address they embed as well as by their own range.
pub fn refused_range(address: IpAddr) -> Option<&'static str> {
    match address.to_canonical() {
        IpAddr::V4(v4) => REFUSED_V4
            .iter()
            .find(|(network, len, _)| {
                AddressRange {
                    network: IpAddr::V4(*network),
                    prefix_len: *len,
                }
                .contains(IpAddr::V4(v4))
            })
            .map(|(_, _, what)| *what),
        IpAddr::V6(v6) => {
            if let Some((v4, form)) = embedded_v4(v6)
                && refused_range(IpAddr::V4(v4)).is_some()
            {
                return Some(form);
            }
            REFUSED_V6
                .iter()
                .find(|(network, len, _)| {
                    AddressRange {
                        network: IpAddr::V6(*network),
                        prefix_len: *len,
                    }
                    .contains(IpAddr::V6(v6))
                })
                .map(|(_, _, what)| *what)
        }
    }
}

/// Why a fetch may not go to a host.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AddressRefused {
    /// The host name has no address at all: there is nothing that may be fetched.
    #[error("the policy host has no address")]
    NoAddress,
    /// One of its addresses lies in a range no fetch goes to.
    #[error("the policy host resolves to {address}, {range}; not fetched")]
    Refused {
        /// The refused address.
        address: IpAddr,
        /// What its range is, with its RFC.
        range: &'static str,
    },
}

/// Decides whether a fetch may go to a host whose A and AAAA answers are `addresses`: every
/// address must be a public unicast address ([`refused_range`] says `None`) or lie in one of
/// the operator's `allowed` ranges (`FETCH_ALLOW_ADDRESSES`, empty by default). One refused
/// address refuses the fetch, since the connection may go to any of them. IPv4-mapped IPv6
/// addresses are read as the IPv4 address they carry, also for the allow-list.
///
/// # Errors
///
/// [`AddressRefused::NoAddress`] for an empty list, else [`AddressRefused::Refused`] with the
/// first refused address.
pub fn check_fetch_addresses(
    addresses: &[IpAddr],
    allowed: &[AddressRange],
) -> Result<(), AddressRefused> {
    if addresses.is_empty() {
        return Err(AddressRefused::NoAddress);
    }
    for address in addresses {
        let canonical = address.to_canonical();
        if allowed.iter().any(|range| range.contains(canonical)) {
            continue;
        }
        if let Some(range) = refused_range(canonical) {
            return Err(AddressRefused::Refused {
                address: *address,
                range,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn special_use_names_are_refused_and_test_and_example_are_not() {
        for name in [
            "x.localhost",
            "a.b.localhost",
            "x.invalid",
            "printer.local",
            "router.home.arpa",
            "ipv4only.arpa",
            "1.0.0.127.in-addr.arpa",
            "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion",
            "x.internal",
            "x.alt",
            "nas.lan",
            "x.home",
            "x.corp",
            "x.intranet",
            "x.private",
            "X.LocalHost",
            "x.localhost.",
        ] {
            assert!(special_use_domain(name).is_some(), "{name}");
        }
        for name in [
            "clean.report.test",
            "x.test",
            "example.com",
            "x.example",
            "example",
            "localhost.example.com",
            "local.example.com",
            "internal.example.com",
            "onion.example",
            "x.arpa.example",
            "x.lan.example",
            "homes",
            "x.locals",
        ] {
            assert_eq!(special_use_domain(name), None, "{name}");
        }
    }

    #[test]
    fn address_ranges_parse_and_contain() {
        let range = AddressRange::parse("127.0.0.1").unwrap();
        assert_eq!(range.to_string(), "127.0.0.1/32");
        assert!(range.contains(ip("127.0.0.1")));
        assert!(!range.contains(ip("127.0.0.2")));
        assert!(
            !range.contains(ip("::ffff:127.0.0.1")),
            "families never mix"
        );
        let range = AddressRange::parse(" 10.0.0.0/8 ").unwrap();
        assert!(range.contains(ip("10.255.1.2")));
        assert!(!range.contains(ip("11.0.0.0")));
        let range = AddressRange::parse("0.0.0.0/0").unwrap();
        assert!(range.contains(ip("203.0.113.1")));
        assert!(!range.contains(ip("::1")));
        let range = AddressRange::parse("fd00::/8").unwrap();
        assert!(range.contains(ip("fd12:3456::1")));
        assert!(!range.contains(ip("fe80::1")));
        assert!(AddressRange::parse("::/0").unwrap().contains(ip("::1")));
        assert_eq!(AddressRange::parse("::1").unwrap().to_string(), "::1/128");
        for bad in [
            "",
            "/8",
            "10.0.0.0/",
            "10.0.0.0/33",
            "10.0.0.0/+8",
            "10.0.0.0/-1",
            "10.0.0.0/8/8",
            "10.1.2.3/8",
            "::1/129",
            "fd00::1/8",
            "localhost",
            "10.0.0.0 /8",
            "[::1]",
        ] {
            assert_eq!(AddressRange::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn local_private_and_special_addresses_are_refused() {
        for address in [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.170",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.251",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::8.8.8.8",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "3fff::1",
            "fc00::1",
            "fd12:3456:789a::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "ff05::1:3",
        ] {
            assert!(refused_range(ip(address)).is_some(), "{address}");
        }
        for address in [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.1",
            "192.0.3.1",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2001:200::1",
            "2001:4860:4860::8888",
            "2606:4700:4700::1111",
            "2a00:1450:4001::1",
        ] {
            assert_eq!(refused_range(ip(address)), None, "{address}");
        }
    }

    #[test]
    fn fetches_go_only_where_every_address_is_public_or_allowed() {
        let none: [AddressRange; 0] = [];
        let bed = [AddressRange::parse("127.0.0.1").unwrap()];
        assert_eq!(check_fetch_addresses(&[ip("203.0.114.1")], &none), Ok(()));
        assert_eq!(
            check_fetch_addresses(&[ip("2606:4700::1"), ip("1.1.1.1")], &none),
            Ok(())
        );
        assert_eq!(
            check_fetch_addresses(&[], &bed),
            Err(AddressRefused::NoAddress)
        );
        // `127.0.0.1.nip.io` and `localtest.me` resolve to loopback.
        let loopback = check_fetch_addresses(&[ip("127.0.0.1")], &none);
        assert!(
            matches!(
                loopback,
                Err(AddressRefused::Refused { address, .. }) if address == ip("127.0.0.1")
            ),
            "{loopback:?}"
        );
        assert!(
            loopback
                .unwrap_err()
                .to_string()
                .contains("loopback (RFC 1122")
        );
        // One refused address among public ones refuses the fetch.
        assert!(check_fetch_addresses(&[ip("1.1.1.1"), ip("10.0.0.1")], &none).is_err());
        assert!(check_fetch_addresses(&[ip("2606:4700::1"), ip("fe80::1")], &none).is_err());
        // The allow-list opens exactly its ranges, also for the IPv4-mapped form.
        assert_eq!(check_fetch_addresses(&[ip("127.0.0.1")], &bed), Ok(()));
        assert_eq!(
            check_fetch_addresses(&[ip("::ffff:127.0.0.1")], &bed),
            Ok(())
        );
        assert!(check_fetch_addresses(&[ip("127.0.0.2")], &bed).is_err());
        assert!(check_fetch_addresses(&[ip("::1")], &bed).is_err());
        assert!(check_fetch_addresses(&[ip("127.0.0.1"), ip("10.0.0.1")], &bed).is_err());
        let lab = [
            AddressRange::parse("10.0.0.0/8").unwrap(),
            AddressRange::parse("fd00::/8").unwrap(),
        ];
        assert_eq!(
            check_fetch_addresses(&[ip("10.1.2.3"), ip("fd00::5")], &lab),
            Ok(())
        );
    }
}
