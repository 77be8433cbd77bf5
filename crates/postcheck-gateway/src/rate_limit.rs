//! The per-client rate limit's rules: which clients share one counter, and what a request costs.
//!
//! The worker counts with Cloudflare's rate-limiting binding (`[[ratelimits]]` in
//! wrangler.toml), which knows only "one more call for this key". These functions say what the
//! key is ([`rate_limit_key`]) and how many calls one request is worth ([`rate_limit_units`]):
//! the worker spends one unit before the work and the rest after it, so that a request is
//! charged by the upstream work it caused, not merely for arriving.

use std::net::IpAddr;

/// The key of every request whose client address is missing or unreadable. They share one
/// counter: on Cloudflare the `CF-Connecting-IP` header is always set by the edge (a client
/// cannot remove it), so only a request that did not come through the edge lands here, and
/// such requests must not each get a fresh allowance.
pub const SHARED_KEY: &str = "unknown-client";

/// The IPv6 prefix length that identifies one client: a /64 is the smallest network a site is
/// given (RFC 7421 §1; RFC 6177 §2 assigns end sites /48 to /64) and every host in it picks its
/// own interface identifiers freely (RFC 8981 temporary addresses), so one client can send
/// from as many addresses of its /64 as it likes.
pub const IPV6_CLIENT_PREFIX: u8 = 64;

/// How many upstream queries one rate-limit unit pays for, beyond the unit every request costs.
///
/// Ten: a GET `/api/dns` (one query) costs 1 unit, an ordinary report (~30 queries) 4, a
/// 64-name `/api/dns` batch 7, and a report that spends its whole budget of 400 queries 41.
/// With wrangler.toml's 100 units per 60 s a person checking domains on the page (a report
/// every few seconds at most) never meets the limit, while a script gets about 25 ordinary
/// reports or 14 full batches a minute out of one client network.
pub const UPSTREAM_QUERIES_PER_UNIT: usize = 10;

/// What one SMTP check (`/api/smtp`) is charged beyond its own upstream queries, counted in
/// queries: nine units, ten with the request's own. It opens a connection to someone else's
/// mail server and may hold it for seconds, so one client network gets ten checks a minute
/// (wrangler.toml's 100 units per 60 s): plenty for a person trying settings, too few to scan
/// servers with.
pub const SMTP_CHECK_QUERIES: usize = 9 * UPSTREAM_QUERIES_PER_UNIT;
/// The most units one request is charged: the limit of wrangler.toml's `[[ratelimits]]`. A
/// request that costs more has used up the client's allowance for the period anyway, and the
/// worker makes one call to the binding per unit.
pub const MAX_UNITS: u32 = 100;

/// The rate limiter's key for a client, from the `CF-Connecting-IP` header.
///
/// An IPv4 client is keyed by its address; an IPv6 client by its /64 ([`IPV6_CLIENT_PREFIX`]),
/// written `2001:db8:1:2::/64`. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, RFC 4291
/// §2.5.5.2) is the IPv4 client it stands for. A missing or unparsable header is
/// [`SHARED_KEY`] (see there why that is safe on Cloudflare).
pub fn rate_limit_key(client: Option<&str>) -> String {
    let Some(address) = client.and_then(|text| text.trim().parse::<IpAddr>().ok()) else {
        return SHARED_KEY.to_owned();
    };
    match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let network = bits & (u128::MAX << (128 - u32::from(IPV6_CLIENT_PREFIX)));
            format!("{}/{IPV6_CLIENT_PREFIX}", std::net::Ipv6Addr::from(network))
        }
    }
}

/// The units a request costs when it sent `upstream_queries` queries upstream (answers from
/// the cache are free; the worker counts every external subrequest it made, failover attempts
/// and the MTA-STS fetch included): one for the request, plus one per [`UPSTREAM_QUERIES_PER_UNIT`] whole
/// queries, at most [`MAX_UNITS`]. The worker charges the first unit before the work and the
/// remaining `rate_limit_units(n) - 1` after it.
pub fn rate_limit_units(upstream_queries: usize) -> u32 {
    let extra = upstream_queries / UPSTREAM_QUERIES_PER_UNIT;
    u32::try_from(extra)
        .unwrap_or(u32::MAX)
        .saturating_add(1)
        .min(MAX_UNITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_clients_are_keyed_by_address() {
        for (header, key) in [
            (Some("192.0.2.1"), "192.0.2.1"),
            (Some(" 192.0.2.1 "), "192.0.2.1"),
            (Some("192.0.2.2"), "192.0.2.2"),
            (Some("203.0.113.77"), "203.0.113.77"),
            // IPv4-mapped IPv6 (RFC 4291 §2.5.5.2) is the IPv4 client itself.
            (Some("::ffff:192.0.2.1"), "192.0.2.1"),
            (Some("::FFFF:c000:0201"), "192.0.2.1"),
        ] {
            assert_eq!(rate_limit_key(header), key, "{header:?}");
        }
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let one = rate_limit_key(Some("2001:db8:1:2::1"));
        assert_eq!(one, "2001:db8:1:2::/64");
        for same in [
            "2001:db8:1:2::2",
            "2001:db8:1:2:ffff:ffff:ffff:ffff",
            "2001:0DB8:0001:0002:a1b2:c3d4:e5f6:0789",
            "2001:db8:1:2::",
        ] {
            assert_eq!(rate_limit_key(Some(same)), one, "{same}");
        }
        for other in [
            "2001:db8:1:3::1",
            "2001:db8:2:2::1",
            "2001:db9:1:2::1",
            "2001:db8:1:1:ffff:ffff:ffff:ffff",
        ] {
            assert_ne!(rate_limit_key(Some(other)), one, "{other}");
        }
        // Deprecated IPv4-compatible (RFC 4291 §2.5.5.1) and NAT64 (RFC 6052) forms are IPv6.
        assert_eq!(rate_limit_key(Some("::192.0.2.1")), "::/64");
        assert_eq!(rate_limit_key(Some("64:ff9b::c000:201")), "64:ff9b::/64");
    }

    #[test]
    fn missing_or_garbage_addresses_share_one_key() {
        for header in [
            None,
            Some(""),
            Some("unknown"),
            Some("192.0.2.1, 198.51.100.1"),
            Some("192.0.2.1:443"),
            Some("[2001:db8::1]"),
            Some("fe80::1%eth0"),
            Some("256.1.1.1"),
            Some("1.2.3"),
            Some("2001:db8::/64"),
            Some("\u{0}"),
        ] {
            assert_eq!(rate_limit_key(header), SHARED_KEY, "{header:?}");
        }
        // No address's key is the shared key.
        assert_ne!(rate_limit_key(Some("0.0.0.0")), SHARED_KEY);
        assert_ne!(rate_limit_key(Some("::")), SHARED_KEY);
    }

    #[test]
    fn requests_are_charged_by_their_upstream_queries() {
        for (queries, units) in [
            (0, 1),
            (1, 1),
            (9, 1),
            (10, 2),
            (30, 4),
            (64, 7),
            (400, 41),
            (989, 99),
            (990, 100),
            (5_000, MAX_UNITS),
            (usize::MAX, MAX_UNITS),
        ] {
            assert_eq!(rate_limit_units(queries), units, "{queries} queries");
        }
        // Cost grows with the work and never drops.
        let mut previous = 0;
        for queries in 0..2_000 {
            let units = rate_limit_units(queries);
            assert!(units >= previous && units >= 1, "{queries}");
            previous = units;
        }
    }
}
