//! Plain DNS over UDP (RFC 1035 §4.2.1), repeated over TCP when the answer comes back
//! truncated (RFC 1035 §4.2.2, RFC 7766), and the query IDs that make answers hard to forge
//! (RFC 5452).

use super::{AttemptError, Resolver};
use postcheck_core::dns::{Answer, Query};
use postcheck_dns::{decode_response, encode_query};
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher as _;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::{Instant, timeout_at};

impl Resolver {
    /// One UDP exchange (RFC 1035 §4.2.1). Packets with another ID or for another question
    /// are ignored until the deadline (RFC 5452 §9.1); the connected socket already drops
    /// datagrams from other addresses. A truncated response sends the same query over TCP.
    pub(super) async fn udp_exchange(
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
}

/// The ID field of a message, if it is long enough to have one.
fn message_id(packet: &[u8]) -> Option<u16> {
    packet.get(..2).map(|id| u16::from_be_bytes([id[0], id[1]]))
}

/// A hard-to-guess query ID (RFC 5452 §4.3), without a random-number crate: a counter and the
/// clock, hashed with the standard library's per-process random SipHash keys.
pub(super) fn next_id() -> u16 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static KEYS: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let hash = KEYS.get_or_init(RandomState::new).hash_one((count, nanos));
    (hash >> 16) as u16
}
