//! DNS I/O for the CLI: plain DNS over UDP with TCP fallback, or DNS over HTTPS (RFC 8484).
//!
//! This is the only module of the CLI that sends DNS queries. It turns the core's
//! [`Query`]s into [`Answer`]s; the wire format is `postcheck_dns`'s. Every lookup is bounded:
//! each attempt has a time limit, there is one retry, and then the answer is
//! [`Failure::Timeout`] (or [`Failure::Error`] when the last attempt failed otherwise).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use postcheck_core::dns::{Answer, Failure, Query};
use postcheck_dns::{EncodeOptions, decode_response, encode_query};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher as _;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpStream, UdpSocket};
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

/// The time limit of one attempt (a query and its TCP fallback each get this much).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// Attempts per query: the first and one retry.
const ATTEMPTS: usize = 2;

/// Where the system's resolver configuration lives.
const RESOLV_CONF: &str = "/etc/resolv.conf";

/// The DNS port (RFC 1035 §4.2).
const DNS_PORT: u16 = 53;

/// The media type of DNS messages over HTTP (RFC 8484 §6).
const DNS_MESSAGE: &str = "application/dns-message";

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
    transport: Transport,
    timeout: Duration,
    options: EncodeOptions,
    /// For [`Transport::Doh`]: the parsed URL and the client.
    doh: Option<(Url, reqwest::Client)>,
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
        let doh = match &transport {
            Transport::Udp(_) => None,
            Transport::Doh(url) => {
                let parsed = parse_doh_url(url)?;
                let client = reqwest::Client::builder()
                    .build()
                    .map_err(ResolverError::Http)?;
                Some((parsed, client))
            }
        };
        Ok(Resolver {
            transport,
            timeout,
            options: EncodeOptions::default(),
            doh,
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
            let attempt = match (&self.transport, &self.doh) {
                (_, Some((url, client))) => self.doh_exchange(url, client, query).await,
                (Transport::Udp(server), None) => self.udp_exchange(*server, query).await,
                (Transport::Doh(_), None) => Err(AttemptError::Fatal),
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

    /// One UDP exchange (RFC 1035 §4.2.1). Packets with another ID or for another question
    /// are ignored until the deadline (RFC 5452 §9.1); the connected socket already drops
    /// datagrams from other addresses. A truncated response sends the same query over TCP.
    async fn udp_exchange(
        &self,
        server: SocketAddr,
        query: &Query,
    ) -> Result<Answer, AttemptError> {
        let deadline = Instant::now() + self.timeout;
        let id = next_id();
        let packet = encode_query(query, id, self.options).map_err(|_| AttemptError::Fatal)?;
        let local: SocketAddr = match server {
            SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
            SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
        };
        let socket = UdpSocket::bind(local)
            .await
            .map_err(|_| AttemptError::Transport)?;
        socket
            .connect(server)
            .await
            .map_err(|_| AttemptError::Transport)?;
        match timeout_at(deadline, socket.send(&packet)).await {
            Err(_) => return Err(AttemptError::Timeout),
            Ok(Err(_)) => return Err(AttemptError::Transport),
            Ok(Ok(_)) => {}
        }

        let mut buffer = vec![0u8; 65_535];
        loop {
            let len = match timeout_at(deadline, socket.recv(&mut buffer)).await {
                Err(_) => return Err(AttemptError::Timeout),
                // Typically ECONNREFUSED from an ICMP port unreachable.
                Ok(Err(_)) => return Err(AttemptError::Transport),
                Ok(Ok(len)) => len,
            };
            let reply = &buffer[..len];
            if message_id(reply) != Some(id) {
                continue;
            }
            match decode_response(reply, query) {
                Ok(response) if response.truncated => {
                    return self.tcp_exchange(server, &packet, id, query).await;
                }
                Ok(response) => return Ok(response.answer),
                Err(err) if err.is_mismatch() => continue,
                Err(_) => return Err(AttemptError::Fatal),
            }
        }
    }

    /// The same query over TCP, with the two-octet length prefix (RFC 1035 §4.2.2,
    /// RFC 7766 §8), within its own time limit. One query per connection, so the response
    /// must carry our ID.
    async fn tcp_exchange(
        &self,
        server: SocketAddr,
        packet: &[u8],
        id: u16,
        query: &Query,
    ) -> Result<Answer, AttemptError> {
        let deadline = Instant::now() + self.timeout;
        let length = u16::try_from(packet.len()).map_err(|_| AttemptError::Fatal)?;
        let exchange = async {
            let mut stream = TcpStream::connect(server).await?;
            let mut framed = Vec::with_capacity(packet.len() + 2);
            framed.extend_from_slice(&length.to_be_bytes());
            framed.extend_from_slice(packet);
            stream.write_all(&framed).await?;
            let mut prefix = [0u8; 2];
            stream.read_exact(&mut prefix).await?;
            let mut reply = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
            stream.read_exact(&mut reply).await?;
            Ok::<_, io::Error>(reply)
        };
        let reply = match timeout_at(deadline, exchange).await {
            Err(_) => return Err(AttemptError::Timeout),
            Ok(Err(_)) => return Err(AttemptError::Transport),
            Ok(Ok(reply)) => reply,
        };
        if message_id(&reply) != Some(id) {
            return Err(AttemptError::Fatal);
        }
        // Truncated even over TCP (over 64 KiB): the records that did fit are what there is.
        decode_response(&reply, query)
            .map(|response| response.answer)
            .map_err(|_| AttemptError::Fatal)
    }

    /// One DoH exchange (RFC 8484 §4.1): GET with `?dns=` the base64url message, no padding,
    /// message ID 0 (§4.1 recommends it for caching), `accept: application/dns-message`.
    ///
    /// Any status other than 200 is [`Failure::Error`], 5xx included: an HTTP failure says
    /// nothing about the DNS answer, whereas SERVFAIL is the DNS server's own verdict, which
    /// arrives as a 200 with RCODE 2. A 200 whose content-type is present and not
    /// `application/dns-message` is also [`Failure::Error`]. Network errors are retried once.
    async fn doh_exchange(
        &self,
        url: &Url,
        client: &reqwest::Client,
        query: &Query,
    ) -> Result<Answer, AttemptError> {
        let deadline = Instant::now() + self.timeout;
        let packet = encode_query(query, 0, self.options).map_err(|_| AttemptError::Fatal)?;
        let mut url = url.clone();
        url.query_pairs_mut()
            .append_pair("dns", &URL_SAFE_NO_PAD.encode(&packet));
        let exchange = async {
            let response = client.get(url).header(ACCEPT, DNS_MESSAGE).send().await?;
            if response.status() != StatusCode::OK {
                return Ok(None);
            }
            let is_dns = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .is_none_or(|value| value.trim().eq_ignore_ascii_case(DNS_MESSAGE));
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>(is_dns.then_some(body))
        };
        let body = match timeout_at(deadline, exchange).await {
            Err(_) => return Err(AttemptError::Timeout),
            Ok(Err(_)) => return Err(AttemptError::Transport),
            Ok(Ok(None)) => return Err(AttemptError::Fatal),
            Ok(Ok(Some(body))) => body,
        };
        decode_response(&body, query)
            .map(|response| response.answer)
            .map_err(|_| AttemptError::Fatal)
    }
}

/// Checks a DoH URL: absolute, `http` or `https`, a host; a trailing `{?dns}` is dropped.
fn parse_doh_url(url: &str) -> Result<Url, ResolverError> {
    let bad = |reason: &str| ResolverError::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let text = url.strip_suffix("{?dns}").unwrap_or(url);
    let parsed = Url::parse(text).map_err(|err| bad(&err.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if parsed.host().is_none() {
        return Err(bad("no host"));
    }
    Ok(parsed)
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

/// The ID field of a message, if it is long enough to have one.
fn message_id(packet: &[u8]) -> Option<u16> {
    packet.get(..2).map(|id| u16::from_be_bytes([id[0], id[1]]))
}

/// A hard-to-guess query ID (RFC 5452 §4.3), without a random-number crate: a counter and the
/// clock, hashed with the standard library's per-process random SipHash keys.
fn next_id() -> u16 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static KEYS: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let hash = KEYS.get_or_init(RandomState::new).hash_one((count, nanos));
    (hash >> 16) as u16
}

#[cfg(test)]
mod tests {
    //! A tiny UDP+TCP DNS responder on 127.0.0.1 and a tiny DoH server, driven by the tests.

    use super::*;
    use postcheck_core::dns::{RecordData, RecordType};
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use tokio::net::TcpListener;

    const TC: u16 = 0x0200;

    /// Builds a response to `query` (an encoded query): header and question copied, QR and RA
    /// set, AD cleared, `flags` or-ed in, `rcode`, the OPT record dropped, and `answers` as
    /// `(type, rdata)` owned by the question name (a pointer to offset 12).
    fn reply(query: &[u8], flags: u16, rcode: u16, answers: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let question_end = question_end(query);
        let mut out = query[..question_end].to_vec();
        // A server that does not validate clears the AD bit the query set (RFC 4035 §3.2.3).
        let header = (u16::from_be_bytes([out[2], out[3]]) & !0x0020) | 0x8080 | flags | rcode;
        out[2..4].copy_from_slice(&header.to_be_bytes());
        out[6..8].copy_from_slice(&u16::try_from(answers.len()).unwrap().to_be_bytes());
        out[10..12].copy_from_slice(&[0, 0]);
        for (rtype, rdata) in answers {
            out.extend_from_slice(&[0xc0, 12]);
            out.extend_from_slice(&rtype.to_be_bytes());
            out.extend_from_slice(&[0, 1, 0, 0, 1, 44]);
            out.extend_from_slice(&u16::try_from(rdata.len()).unwrap().to_be_bytes());
            out.extend_from_slice(rdata);
        }
        out
    }

    fn question_end(query: &[u8]) -> usize {
        12 + query[12..].iter().position(|&b| b == 0).unwrap() + 1 + 4
    }

    fn qtype(query: &[u8]) -> u16 {
        let end = question_end(query);
        u16::from_be_bytes([query[end - 4], query[end - 3]])
    }

    fn txt(strings: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for s in strings {
            out.push(u8::try_from(s.len()).unwrap());
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Proto {
        Udp,
        Tcp,
    }

    type Handler = dyn Fn(&[u8], Proto) -> Vec<Vec<u8>> + Send + Sync;

    /// A DNS server on 127.0.0.1, UDP and TCP on the same port. For every query the handler
    /// returns the packets to send back (none: stay silent), after `delay`.
    struct Responder {
        addr: SocketAddr,
        udp_queries: Arc<AtomicUsize>,
        tcp_queries: Arc<AtomicUsize>,
        tasks: Vec<tokio::task::JoinHandle<()>>,
    }

    impl Drop for Responder {
        fn drop(&mut self) {
            for task in &self.tasks {
                task.abort();
            }
        }
    }

    impl Responder {
        async fn start(delay: Duration, handler: Arc<Handler>) -> Responder {
            // Find a port free for both UDP and TCP.
            let (udp, tcp) = loop {
                let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
                let port = udp.local_addr().unwrap().port();
                if let Ok(tcp) = TcpListener::bind(("127.0.0.1", port)).await {
                    break (Arc::new(udp), tcp);
                }
            };
            let addr = udp.local_addr().unwrap();
            let udp_queries = Arc::new(AtomicUsize::new(0));
            let tcp_queries = Arc::new(AtomicUsize::new(0));

            let udp_task = {
                let (handler, count) = (handler.clone(), udp_queries.clone());
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 65_535];
                    loop {
                        let Ok((len, peer)) = udp.recv_from(&mut buffer).await else {
                            continue;
                        };
                        count.fetch_add(1, Ordering::SeqCst);
                        let replies = handler(&buffer[..len], Proto::Udp);
                        let udp = udp.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(delay).await;
                            for packet in replies {
                                let _ = udp.send_to(&packet, peer).await;
                            }
                        });
                    }
                })
            };
            let tcp_task = {
                let (handler, count) = (handler.clone(), tcp_queries.clone());
                tokio::spawn(async move {
                    loop {
                        let Ok((mut stream, _)) = tcp.accept().await else {
                            continue;
                        };
                        let (handler, count) = (handler.clone(), count.clone());
                        tokio::spawn(async move {
                            let mut prefix = [0u8; 2];
                            if stream.read_exact(&mut prefix).await.is_err() {
                                return;
                            }
                            let mut query = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
                            if stream.read_exact(&mut query).await.is_err() {
                                return;
                            }
                            count.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(delay).await;
                            for packet in handler(&query, Proto::Tcp) {
                                let len = u16::try_from(packet.len()).unwrap();
                                let _ = stream.write_all(&len.to_be_bytes()).await;
                                let _ = stream.write_all(&packet).await;
                            }
                            // Keep the connection open a little so a silent server stays silent.
                            tokio::time::sleep(Duration::from_secs(5)).await;
                        });
                    }
                })
            };
            Responder {
                addr,
                udp_queries,
                tcp_queries,
                tasks: vec![udp_task, tcp_task],
            }
        }

        fn resolver(&self, timeout: Duration) -> Resolver {
            Resolver::new(Transport::Udp(self.addr), timeout).unwrap()
        }
    }

    fn a_example() -> Query {
        Query::new("example.com", RecordType::A)
    }

    fn a_record() -> RecordData {
        RecordData::A(Ipv4Addr::new(192, 0, 2, 1))
    }

    fn records(records: Vec<RecordData>) -> Answer {
        Answer::Records {
            records,
            authenticated: false,
        }
    }

    #[tokio::test]
    async fn udp_answers_in_order() {
        let handler: Arc<Handler> = Arc::new(|query, _| match qtype(query) {
            1 => vec![reply(query, 0, 0, &[(1, vec![192, 0, 2, 1])])],
            16 => vec![reply(query, 0, 0, &[(16, txt(&["v=spf1 ", "-all"]))])],
            2 => vec![reply(query, 0, 2, &[])],
            15 => vec![reply(query, 0, 3, &[])],
            _ => vec![reply(query, 0, 5, &[])],
        });
        let server = Responder::start(Duration::ZERO, handler).await;
        let queries = vec![
            a_example(),
            Query::new("example.com", RecordType::Txt),
            Query::new("example.com", RecordType::Ns),
            Query::new("example.com", RecordType::Mx),
            Query::new("example.com", RecordType::Ptr),
            a_example(),
        ];
        let answers = server
            .resolver(Duration::from_secs(2))
            .resolve_all(&queries)
            .await;
        let expected = vec![
            records(vec![a_record()]),
            records(vec![RecordData::Txt(vec![
                b"v=spf1 ".to_vec(),
                b"-all".to_vec(),
            ])]),
            Answer::failed(Failure::Servfail),
            Answer::Nxdomain,
            Answer::failed(Failure::Refused),
            records(vec![a_record()]),
        ];
        assert_eq!(
            answers.iter().map(|(q, _)| q.clone()).collect::<Vec<_>>(),
            queries
        );
        assert_eq!(
            answers.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
            expected
        );
        assert_eq!(server.tcp_queries.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn no_queries_no_answers() {
        let resolver = Resolver::new(
            Transport::Udp("127.0.0.1:9".parse().unwrap()),
            DEFAULT_TIMEOUT,
        );
        assert!(resolver.unwrap().resolve_all(&[]).await.is_empty());
    }

    #[tokio::test]
    async fn truncated_udp_falls_back_to_tcp() {
        let handler: Arc<Handler> = Arc::new(|query, proto| match proto {
            Proto::Udp => vec![reply(query, TC, 0, &[])],
            Proto::Tcp => vec![reply(query, 0, 0, &[(16, txt(&["long", " record"]))])],
        });
        let server = Responder::start(Duration::ZERO, handler).await;
        let query = Query::new("example.com", RecordType::Txt);
        let answer = server
            .resolver(Duration::from_secs(2))
            .resolve(&query)
            .await;
        assert_eq!(
            answer,
            records(vec![RecordData::Txt(vec![
                b"long".to_vec(),
                b" record".to_vec()
            ])])
        );
        assert_eq!(server.udp_queries.load(Ordering::SeqCst), 1);
        assert_eq!(server.tcp_queries.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn silence_times_out_after_one_retry() {
        let server = Responder::start(Duration::ZERO, Arc::new(|_, _| Vec::new())).await;
        let timeout = Duration::from_millis(200);
        let resolver = server.resolver(timeout);
        let started = std::time::Instant::now();
        let answers = resolver.resolve_all(&[a_example(), a_example()]).await;
        let elapsed = started.elapsed();
        for (_, answer) in &answers {
            assert_eq!(*answer, Answer::failed(Failure::Timeout));
        }
        // Two attempts each, the two queries side by side.
        assert!(elapsed >= 2 * timeout, "{elapsed:?}");
        assert!(elapsed < 6 * timeout, "{elapsed:?}");
        assert_eq!(server.udp_queries.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn silent_tcp_after_truncation_times_out() {
        let handler: Arc<Handler> = Arc::new(|query, proto| match proto {
            Proto::Udp => vec![reply(query, TC, 0, &[])],
            Proto::Tcp => Vec::new(),
        });
        let server = Responder::start(Duration::ZERO, handler).await;
        let timeout = Duration::from_millis(150);
        let started = std::time::Instant::now();
        let answer = server.resolver(timeout).resolve(&a_example()).await;
        assert_eq!(answer, Answer::failed(Failure::Timeout));
        assert!(started.elapsed() < 8 * timeout);
        assert_eq!(server.udp_queries.load(Ordering::SeqCst), 2);
        assert_eq!(server.tcp_queries.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn mismatched_replies_are_ignored() {
        let handler: Arc<Handler> = Arc::new(|query, _| {
            let mut wrong_id = reply(query, 0, 0, &[(1, vec![10, 0, 0, 1])]);
            wrong_id[0] ^= 0xff;
            let mut wrong_question = reply(query, 0, 0, &[(16, txt(&["nope"]))]);
            let end = question_end(&wrong_question);
            wrong_question[end - 3] = 16; // asks TXT instead of A
            let not_a_response = query.to_vec();
            let right = reply(query, 0, 0, &[(1, vec![192, 0, 2, 1])]);
            vec![wrong_id, wrong_question, not_a_response, vec![0], right]
        });
        let server = Responder::start(Duration::ZERO, handler).await;
        let timeout = Duration::from_secs(1);
        let started = std::time::Instant::now();
        let answer = server.resolver(timeout).resolve(&a_example()).await;
        assert_eq!(answer, records(vec![a_record()]));
        assert!(started.elapsed() < timeout, "waited for the timeout");
        assert_eq!(server.udp_queries.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn malformed_reply_with_our_id_is_an_error() {
        let handler: Arc<Handler> = Arc::new(|query, _| {
            let mut packet = reply(query, 0, 0, &[(1, vec![192, 0, 2, 1])]);
            packet.truncate(packet.len() - 2);
            vec![packet]
        });
        let server = Responder::start(Duration::ZERO, handler).await;
        let answer = server
            .resolver(Duration::from_secs(1))
            .resolve(&a_example())
            .await;
        assert_eq!(answer, Answer::failed(Failure::Error));
    }

    #[tokio::test]
    async fn queries_run_concurrently() {
        let handler: Arc<Handler> =
            Arc::new(|query, _| vec![reply(query, 0, 0, &[(1, vec![192, 0, 2, 1])])]);
        let server = Responder::start(Duration::from_millis(300), handler).await;
        let queries: Vec<Query> = (0..20)
            .map(|i| Query::new(&format!("host{i}.example.com"), RecordType::A))
            .collect();
        let started = std::time::Instant::now();
        let answers = server
            .resolver(Duration::from_secs(2))
            .resolve_all(&queries)
            .await;
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(answers.iter().all(|(_, a)| *a == records(vec![a_record()])));
    }

    #[tokio::test]
    async fn closed_port_is_an_error_or_timeout_never_a_hang() {
        let port = UdpSocket::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap();
        let resolver = Resolver::new(Transport::Udp(port), Duration::from_millis(200)).unwrap();
        let started = std::time::Instant::now();
        let answer = resolver.resolve(&a_example()).await;
        // Linux reports the ICMP port unreachable as ECONNREFUSED: a transport error.
        assert!(
            matches!(answer.failure(), Some(Failure::Error | Failure::Timeout)),
            "{answer:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[tokio::test]
    async fn invalid_query_name_is_an_error() {
        let server = Responder::start(Duration::ZERO, Arc::new(|_, _| Vec::new())).await;
        let query = Query::new(&"a".repeat(64), RecordType::A);
        let answer = server
            .resolver(Duration::from_secs(1))
            .resolve(&query)
            .await;
        assert_eq!(answer, Answer::failed(Failure::Error));
        assert_eq!(server.udp_queries.load(Ordering::SeqCst), 0);
    }

    /// A minimal HTTP/1.1 server for DoH GETs. Checks each request the way RFC 8484 §4.1
    /// wants it, counting the ones that pass (a failed check closes the connection), and
    /// answers with an A record, or with `status` when that is not 200.
    async fn doh_server(status: u16) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/dns-query", listener.local_addr().unwrap());
        let valid = Arc::new(AtomicUsize::new(0));
        let counter = valid.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buffer = [0u8; 4096];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let Some(query) = check_doh_request(&String::from_utf8_lossy(&request)) else {
                        return;
                    };
                    counter.fetch_add(1, Ordering::SeqCst);
                    let (status_line, body) = if status == 200 {
                        ("200 OK", reply(&query, 0, 0, &[(1, vec![192, 0, 2, 1])]))
                    } else {
                        ("503 Service Unavailable", b"busy".to_vec())
                    };
                    let head = format!(
                        "HTTP/1.1 {status_line}\r\ncontent-type: application/dns-message\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(&body).await;
                });
            }
        });
        (url, valid, task)
    }

    /// The DNS query of a well-formed RFC 8484 GET: path `/dns-query`, one `dns` parameter in
    /// base64url without padding, message ID 0, and an `accept: application/dns-message`.
    fn check_doh_request(request: &str) -> Option<Vec<u8>> {
        let mut lines = request.split("\r\n");
        let target = lines
            .next()?
            .strip_prefix("GET ")?
            .strip_suffix(" HTTP/1.1")?;
        let encoded = target.strip_prefix("/dns-query?dns=")?;
        if encoded.contains(['=', '&']) {
            return None;
        }
        let accepts = lines.any(|line| {
            line.split_once(':').is_some_and(|(name, value)| {
                name.eq_ignore_ascii_case("accept") && value.trim() == DNS_MESSAGE
            })
        });
        let query = URL_SAFE_NO_PAD.decode(encoded).ok()?;
        (accepts && query.get(..2) == Some(&[0, 0])).then_some(query)
    }

    fn doh_resolver(url: &str) -> Resolver {
        let mut resolver =
            Resolver::new(Transport::Doh(url.to_owned()), Duration::from_secs(2)).unwrap();
        // No proxy from the environment for a server on 127.0.0.1.
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        if let Some((_, slot)) = &mut resolver.doh {
            *slot = client;
        }
        resolver
    }

    #[tokio::test]
    async fn doh_get_round_trip() {
        let (url, valid, task) = doh_server(200).await;
        let answers = doh_resolver(&format!("{url}{{?dns}}"))
            .resolve_all(&[a_example(), a_example()])
            .await;
        task.abort();
        for (_, answer) in answers {
            assert_eq!(answer, records(vec![a_record()]));
        }
        assert_eq!(valid.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn doh_error_status_is_an_error() {
        let (url, valid, task) = doh_server(503).await;
        let answer = doh_resolver(&url).resolve(&a_example()).await;
        task.abort();
        assert_eq!(answer, Answer::failed(Failure::Error));
        // A status error is not retried.
        assert_eq!(valid.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn doh_urls_are_checked() {
        for url in ["ftp://example.com/dns-query", "dns-query", "https://"] {
            assert!(
                matches!(
                    Resolver::new(Transport::Doh(url.to_owned()), DEFAULT_TIMEOUT),
                    Err(ResolverError::BadUrl { .. })
                ),
                "{url}"
            );
        }
        let resolver = Resolver::new(
            Transport::Doh("https://dns.example/dns-query{?dns}".to_owned()),
            DEFAULT_TIMEOUT,
        )
        .unwrap();
        assert_eq!(
            resolver.doh.unwrap().0.as_str(),
            "https://dns.example/dns-query"
        );
    }

    #[test]
    fn resolv_conf_first_nameserver() {
        let path = Path::new("/etc/resolv.conf");
        let text = "# generated\n; comment\nsearch example.com\n\
                    nameserver 192.0.2.53 # primary\nnameserver 192.0.2.54\n";
        assert_eq!(
            nameserver_from_resolv_conf(text, path).unwrap(),
            "192.0.2.53:53".parse().unwrap()
        );
        assert_eq!(
            nameserver_from_resolv_conf("nameserver 2001:db8::53", path).unwrap(),
            "[2001:db8::53]:53".parse().unwrap()
        );
        assert_eq!(
            nameserver_from_resolv_conf("nameserver fe80::1%2", path).unwrap(),
            SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 53, 0, 2))
        );
        assert!(matches!(
            nameserver_from_resolv_conf("# nameserver 192.0.2.1\nsearch x", path),
            Err(ResolverError::NoNameserver { .. })
        ));
        for bad in [
            "nameserver",
            "nameserver dns.example",
            "nameserver fe80::1%eth0",
        ] {
            assert!(
                matches!(
                    nameserver_from_resolv_conf(bad, path),
                    Err(ResolverError::BadNameserver { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn ids_vary() {
        let ids: std::collections::HashSet<u16> = (0..1000).map(|_| next_id()).collect();
        assert!(ids.len() > 900, "{}", ids.len());
    }
}
