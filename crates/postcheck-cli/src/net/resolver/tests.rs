//! The resolver's tests, against the fake servers of `fake_servers.rs`: answers in order,
//! TCP fallback, retries and time limits, ignored and malformed replies, DoH, the setup.

use super::fake_servers::{
    Handler, Proto, Responder, TC, doh_server, qtype, question_end, reply, txt,
};
use super::udp::next_id;
use super::*;
use postcheck_core::dns::{RecordData, RecordType};
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::net::UdpSocket;

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

fn doh_resolver(url: &str) -> Resolver {
    let mut resolver =
        Resolver::new(Transport::Doh(url.to_owned()), Duration::from_secs(2)).unwrap();
    // No proxy from the environment for a server on 127.0.0.1.
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    if let Endpoint::Doh { client: slot, .. } = &mut resolver.endpoint {
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
    let Endpoint::Doh { url, .. } = resolver.endpoint else {
        panic!("a DoH resolver has a DoH endpoint");
    };
    assert_eq!(url.as_str(), "https://dns.example/dns-query");
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
