//! DNS I/O for the CLI: plain DNS over UDP with TCP fallback, or DNS over HTTPS (RFC 8484).
//!
//! This is the only module of the CLI that sends DNS queries. It turns the core's
//! [`Query`]s into [`Answer`]s; the wire format is `postcheck_dns`'s. Every lookup is bounded:
//! each attempt has a time limit, there is one retry, and then the answer is
//! [`Failure::Timeout`] (or [`Failure::Error`] when the last attempt failed otherwise).
//!
//! Here: the setup ([`Transport`], the system's `resolv.conf`), the retries and the concurrency.
//! The exchanges themselves are in `udp.rs` (UDP with TCP fallback, query IDs) and `doh.rs`
//! (RFC 8484 GET); the tests in `tests.rs`, with their fake servers in `fake_servers.rs`.

mod doh;
#[cfg(test)]
mod fake_servers;
#[cfg(test)]
mod tests;
mod udp;

use doh::parse_doh_url;
use postcheck_core::dns::{Answer, Failure, Query};
use postcheck_dns::EncodeOptions;
use reqwest::Url;
use std::io;
use std::net::{IpAddr, SocketAddr, SocketAddrV6};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::task::JoinSet;

/// The time limit of one attempt (a query and its TCP fallback each get this much).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Attempts per query: the first and one retry.
const ATTEMPTS: usize = 2;

/// Where the system's resolver configuration lives.
const RESOLV_CONF: &str = "/etc/resolv.conf";

/// The DNS port (RFC 1035 §4.2).
const DNS_PORT: u16 = 53;

/// How queries travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Plain DNS to this server over UDP (RFC 1035 §4.2.1), repeated over TCP when the answer
    /// comes back truncated (RFC 7766 §5).
    Udp(SocketAddr),
    /// DNS over HTTPS (RFC 8484) with GET requests to this URL (`http` or `https`). An RFC 6570
    /// template suffix `{?dns}` is accepted and removed.
    Doh(String),
}

/// Why a resolver could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResolverError {
    /// The resolver configuration could not be read.
    #[error("cannot read {}: {source}", path.display())]
    ReadConfig {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The configuration names no nameserver.
    #[error("no nameserver line in {}", path.display())]
    NoNameserver { path: PathBuf },
    /// The first nameserver line does not hold a usable IP address.
    #[error("invalid nameserver {value:?} in {}", path.display())]
    BadNameserver { path: PathBuf, value: String },
    /// The DoH URL is not an absolute `http` or `https` URL.
    #[error("invalid DNS-over-HTTPS URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// A stub resolver: sends each query to one server and waits, within limits, for the answer.
#[derive(Debug, Clone)]
pub struct Resolver {
    endpoint: Endpoint,
    timeout: Duration,
    options: EncodeOptions,
}

/// Where queries go, with what each transport needs to send them: the [`Transport`] a
/// resolver was set up with, checked and ready.
#[derive(Debug, Clone)]
enum Endpoint {
    /// [`Transport::Udp`]: the server.
    Udp(SocketAddr),
    /// [`Transport::Doh`]: the parsed URL and the client.
    Doh { url: Url, client: reqwest::Client },
}

/// How one attempt ended without an answer.
#[derive(Debug)]
enum AttemptError {
    /// No (acceptable) response in time: worth a retry.
    Timeout,
    /// The network said no (connection refused or reset, HTTP connection failure): worth a
    /// retry.
    Transport,
    /// A response that cannot be used (malformed, HTTP status not 200) or a query that cannot
    /// be sent: retrying will not help.
    Fatal,
}

impl Resolver {
    /// A resolver using `transport`, each attempt limited to `timeout`.
    ///
    /// # Errors
    ///
    /// [`ResolverError::BadUrl`] for a DoH URL that is not absolute `http`/`https`,
    /// [`ResolverError::Http`] when the HTTP client cannot be built.
    pub fn new(transport: Transport, timeout: Duration) -> Result<Resolver, ResolverError> {
        let endpoint = match transport {
            Transport::Udp(server) => Endpoint::Udp(server),
            Transport::Doh(url) => {
                let url = parse_doh_url(&url)?;
                let client = reqwest::Client::builder()
                    .build()
                    .map_err(ResolverError::Http)?;
                Endpoint::Doh { url, client }
            }
        };
        Ok(Resolver {
            endpoint,
            timeout,
            options: EncodeOptions::default(),
        })
    }

    /// A UDP resolver for the first `nameserver` of `/etc/resolv.conf`, port 53, with the
    /// default timeout.
    ///
    /// # Errors
    ///
    /// When the file cannot be read, has no `nameserver` line, or the first one is not an IP
    /// address.
    pub fn system() -> Result<Resolver, ResolverError> {
        let path = Path::new(RESOLV_CONF);
        let text = std::fs::read_to_string(path).map_err(|source| ResolverError::ReadConfig {
            path: path.to_owned(),
            source,
        })?;
        let server = nameserver_from_resolv_conf(&text, path)?;
        Resolver::new(Transport::Udp(server), DEFAULT_TIMEOUT)
    }

    /// The same resolver with another per-attempt time limit.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Resolver {
        self.timeout = timeout;
        self
    }

    /// Resolves all `queries` concurrently, one task each, and returns them with their answers
    /// in the order given. Never fails and never hangs: a query that cannot be answered gets
    /// [`Answer::Failed`]. Each query takes at most 2 attempts × (timeout + TCP fallback
    /// timeout).
    pub async fn resolve_all(&self, queries: &[Query]) -> Vec<(Query, Answer)> {
        let mut tasks = JoinSet::new();
        for (index, query) in queries.iter().enumerate() {
            let resolver = self.clone();
            let query = query.clone();
            tasks.spawn(async move { (index, resolver.resolve(&query).await) });
        }
        let mut answers: Vec<Option<Answer>> = vec![None; queries.len()];
        while let Some(joined) = tasks.join_next().await {
            // A task that panicked leaves its slot empty and becomes an error below.
            if let Ok((index, answer)) = joined {
                answers[index] = Some(answer);
            }
        }
        queries
            .iter()
            .cloned()
            .zip(answers)
            .map(|(query, answer)| (query, answer.unwrap_or(Answer::failed(Failure::Error))))
            .collect()
    }

    /// Resolves one query: an attempt, one retry after a timeout or a transport error, then
    /// [`Failure::Timeout`] (or [`Failure::Error`] if the last attempt failed otherwise).
    pub async fn resolve(&self, query: &Query) -> Answer {
        let mut failure = Failure::Timeout;
        for _ in 0..ATTEMPTS {
            let attempt = match &self.endpoint {
                Endpoint::Udp(server) => self.udp_exchange(*server, query).await,
                Endpoint::Doh { url, client } => self.doh_exchange(url, client, query).await,
            };
            match attempt {
                Ok(answer) => return answer,
                Err(AttemptError::Timeout) => failure = Failure::Timeout,
                Err(AttemptError::Transport) => failure = Failure::Error,
                Err(AttemptError::Fatal) => return Answer::failed(Failure::Error),
            }
        }
        Answer::failed(failure)
    }
}

/// The address of the first `nameserver` line (resolv.conf(5)), port 53. `#` and `;` start
/// comments. An IPv6 zone (`fe80::1%2`) must be numeric.
fn nameserver_from_resolv_conf(text: &str, path: &Path) -> Result<SocketAddr, ResolverError> {
    let line = text
        .lines()
        .map(|line| line.split(['#', ';']).next().unwrap_or_default())
        .find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("nameserver")).then(|| words.next().unwrap_or_default())
        });
    let Some(value) = line else {
        return Err(ResolverError::NoNameserver {
            path: path.to_owned(),
        });
    };
    let bad = || ResolverError::BadNameserver {
        path: path.to_owned(),
        value: value.to_owned(),
    };
    let (address, zone) = match value.split_once('%') {
        Some((address, zone)) => (address, Some(zone)),
        None => (value, None),
    };
    let ip: IpAddr = address.parse().map_err(|_| bad())?;
    match (ip, zone) {
        (ip, None) => Ok(SocketAddr::new(ip, DNS_PORT)),
        (IpAddr::V6(v6), Some(zone)) => {
            let scope = zone.parse().map_err(|_| bad())?;
            Ok(SocketAddrV6::new(v6, DNS_PORT, 0, scope).into())
        }
        (IpAddr::V4(_), Some(_)) => Err(bad()),
    }
}
