//! The CLI's one door to the network: DNS ([`resolver`]: UDP with TCP fallback, or DNS over
//! HTTPS), HTTPS fetches ([`fetcher`]: MTA-STS policies, autoconfig files) and the SMTP
//! connection of `postcheck smtp` ([`smtp`]: TCP, STARTTLS or implicit TLS with rustls, driving
//! the core's dialogue). Everything else in the CLI computes on what these return.

pub mod fetcher;
pub mod resolver;
pub mod smtp;
