//! A raw HTTP/1.1 client over TCP, so tests can send what a library would refuse to (bad
//! header values, lying Content-Length), and readers of the bed's logs.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

static NEXT_CLIENT: AtomicU32 = AtomicU32::new(0);

/// A variable the bed or the wrangler harness exports.
pub fn bed(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run these tests through ./scripts/test (tests/bed/netns-run.sh \
             and tests/worker/with-wrangler.sh start the DNS servers and wrangler dev)"
        )
    })
}

/// Whether the harness is there (`wrangler dev` on the DNS test bed, started by
/// `tests/worker/with-wrangler.sh` inside `tests/bed/netns-run.sh`, which needs root). Without
/// it a test returns at once and the run says so in one line, so `cargo test --workspace` runs
/// without root; `./scripts/test` sets `POSTCHECK_REQUIRE_BED=1`, where a missing harness fails
/// the test instead.
pub fn harness_present(test: &str) -> bool {
    if std::env::var_os("POSTCHECK_TEST_WORKER").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("POSTCHECK_REQUIRE_BED").is_none(),
        "{test}: POSTCHECK_TEST_WORKER is not set, and POSTCHECK_REQUIRE_BED says it must be"
    );
    // Past the harness's capture, once per run.
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "postcheck-worker: tests that need wrangler dev on the DNS test bed (root) are \
             skipped, e.g. {test}; ./scripts/test runs them"
        );
    });
    false
}

/// The main worker's base URL (`http://127.0.0.1:8787`).
pub fn worker() -> String {
    bed("POSTCHECK_TEST_WORKER")
}

/// What came back.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }
}

/// Sends `head` (request line and headers, CRLF-separated, without the final empty line) and
/// `body` to `base` and reads the whole reply (the connection is closed by `Connection: close`).
pub fn raw(base: &str, head: &str, body: &[u8]) -> Reply {
    let authority = base.strip_prefix("http://").expect("http:// base URL");
    let mut stream = TcpStream::connect(authority).expect("connect to wrangler dev");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // Each request comes from a client address of its own (198.18.0.0/15, RFC 2544), so the
    // per-client rate limit only bites where a test sets the address itself.
    let client = if head.to_ascii_lowercase().contains("\r\ncf-connecting-ip:") {
        String::new()
    } else {
        let n = NEXT_CLIENT.fetch_add(1, Ordering::Relaxed);
        format!("\r\nCF-Connecting-IP: 198.18.{}.{}", n / 250, n % 250 + 1)
    };
    let mut request =
        format!("{head}{client}\r\nHost: {authority}\r\nConnection: close\r\n\r\n").into_bytes();
    request.extend_from_slice(body);
    // A server may answer and close before reading a body it refuses.
    let _ = stream.write_all(&request);
    // Read until the reply is complete by its own framing (Content-Length or the last chunk):
    // the local server keeps the connection open for a while despite `Connection: close`.
    let mut reply = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        if reply_complete(&reply) {
            break;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => reply.extend_from_slice(&buffer[..n]),
        }
    }
    parse_reply(&reply)
}

fn reply_complete(reply: &[u8]) -> bool {
    let Some(split) = reply.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&reply[..split]).to_ascii_lowercase();
    let body = &reply[split + 4..];
    if let Some(length) = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return body.len() >= length;
    }
    if head.contains("transfer-encoding: chunked") {
        return body.ends_with(b"0\r\n\r\n");
    }
    // A status without a body (RFC 9110 §15.3.5, §15.4.5) is complete with its head.
    head.starts_with("http/1.1 204") || head.starts_with("http/1.1 304")
}

fn parse_reply(reply: &[u8]) -> Reply {
    // No reply at all is status 0, for the test to report with its case.
    let Some(split) = reply.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Reply {
            status: 0,
            headers: Vec::new(),
            body: reply.to_vec(),
        };
    };
    let head = String::from_utf8_lossy(&reply[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = reply[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&data[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
}

/// `GET path` with extra header lines.
pub fn get_with(base: &str, path: &str, headers: &[&str]) -> Reply {
    let mut head = format!("GET {path} HTTP/1.1");
    for header in headers {
        head.push_str("\r\n");
        head.push_str(header);
    }
    raw(base, &head, b"")
}

pub fn get(base: &str, path: &str) -> Reply {
    get_with(base, path, &[])
}

/// `POST path` with a JSON body (and extra header lines).
pub fn post_with(base: &str, path: &str, body: &[u8], headers: &[&str]) -> Reply {
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}",
        body.len()
    );
    for header in headers {
        head.push_str("\r\n");
        head.push_str(header);
    }
    raw(base, &head, body)
}

pub fn post(base: &str, path: &str, body: &[u8]) -> Reply {
    post_with(base, path, body, &[])
}

/// The lines of a bed log file.
pub fn log_lines(variable: &str) -> Vec<String> {
    let path = bed(variable);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The DNS queries dnsdist received whose line mentions `needle` (case-insensitive).
pub fn upstream_queries_mentioning(needle: &str) -> Vec<String> {
    let needle = needle.to_ascii_lowercase();
    log_lines("POSTCHECK_TEST_QUERY_LOG")
        .into_iter()
        .filter(|line| line.to_ascii_lowercase().contains(&needle))
        .collect()
}
