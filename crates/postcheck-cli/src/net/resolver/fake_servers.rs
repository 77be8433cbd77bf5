//! The fake servers the resolver's tests talk to: a tiny UDP+TCP DNS responder on 127.0.0.1
//! and a tiny DoH server, and the helpers that build their answers.

use super::doh::DNS_MESSAGE;
use super::{Resolver, Transport};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, UdpSocket};

pub(super) const TC: u16 = 0x0200;

/// Builds a response to `query` (an encoded query): header and question copied, QR and RA
/// set, AD cleared, `flags` or-ed in, `rcode`, the OPT record dropped, and `answers` as
/// `(type, rdata)` owned by the question name (a pointer to offset 12).
pub(super) fn reply(query: &[u8], flags: u16, rcode: u16, answers: &[(u16, Vec<u8>)]) -> Vec<u8> {
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

pub(super) fn question_end(query: &[u8]) -> usize {
    12 + query[12..].iter().position(|&b| b == 0).unwrap() + 1 + 4
}

pub(super) fn qtype(query: &[u8]) -> u16 {
    let end = question_end(query);
    u16::from_be_bytes([query[end - 4], query[end - 3]])
}

pub(super) fn txt(strings: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        out.push(u8::try_from(s.len()).unwrap());
        out.extend_from_slice(s.as_bytes());
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Proto {
    Udp,
    Tcp,
}

pub(super) type Handler = dyn Fn(&[u8], Proto) -> Vec<Vec<u8>> + Send + Sync;

/// A DNS server on 127.0.0.1, UDP and TCP on the same port. For every query the handler
/// returns the packets to send back (none: stay silent), after `delay`.
pub(super) struct Responder {
    addr: SocketAddr,
    pub(super) udp_queries: Arc<AtomicUsize>,
    pub(super) tcp_queries: Arc<AtomicUsize>,
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
    pub(super) async fn start(delay: Duration, handler: Arc<Handler>) -> Responder {
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

    pub(super) fn resolver(&self, timeout: Duration) -> Resolver {
        Resolver::new(Transport::Udp(self.addr), timeout).unwrap()
    }
}

/// A minimal HTTP/1.1 server for DoH GETs. Checks each request the way RFC 8484 §4.1
/// wants it, counting the ones that pass (a failed check closes the connection), and
/// answers with an A record, or with `status` when that is not 200.
pub(super) async fn doh_server(
    status: u16,
) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
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
