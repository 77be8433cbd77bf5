//! Unit tests: encoding, decoding of hand-built responses, compression, malformed packets.

use crate::{EncodeOptions, Response, WireError, decode_response, encode_query, reverse_name};
use postcheck_core::dns::{Answer, Failure, Query, RecordData, RecordType};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

// ---------------------------------------------------------------------------------------------
// A small test-only message builder. Names are given as raw wire octets so that tests can
// place compression pointers exactly where they want them.
// ---------------------------------------------------------------------------------------------

/// A name in uncompressed wire form.
fn wire(name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for label in name.split('.').filter(|l| !l.is_empty()) {
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out
}

/// Labels followed by a compression pointer to `offset`.
fn wire_ptr(prefix: &str, offset: u16) -> Vec<u8> {
    let mut out = wire(prefix);
    out.pop();
    out.extend_from_slice(&(0xc000 | offset).to_be_bytes());
    out
}

/// A pointer to the question name, which always starts at offset 12.
const QNAME: u16 = 12;

#[derive(Debug, Clone)]
struct Rr {
    name: Vec<u8>,
    rtype: u16,
    class: u16,
    ttl: u32,
    rdata: Vec<u8>,
}

fn rr(name: Vec<u8>, rtype: u16, rdata: Vec<u8>) -> Rr {
    Rr {
        name,
        rtype,
        class: 1,
        ttl: 300,
        rdata,
    }
}

fn opt(udp_size: u16, ttl: u32) -> Rr {
    Rr {
        name: vec![0],
        rtype: 41,
        class: udp_size,
        ttl,
        rdata: Vec::new(),
    }
}

fn txt(strings: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        out.push(s.len() as u8);
        out.extend_from_slice(s);
    }
    out
}

fn mx(preference: u16, exchange: Vec<u8>) -> Vec<u8> {
    let mut out = preference.to_be_bytes().to_vec();
    out.extend(exchange);
    out
}

#[derive(Debug, Clone)]
struct Msg {
    id: u16,
    flags: u16,
    questions: Vec<(Vec<u8>, u16, u16)>,
    answers: Vec<Rr>,
    authority: Vec<Rr>,
    additional: Vec<Rr>,
}

const QR: u16 = 0x8000;
const RD_RA: u16 = 0x0180;
const TC: u16 = 0x0200;
const AD: u16 = 0x0020;

impl Msg {
    /// A NOERROR response to `query` (the question echoed uncompressed), no records.
    fn response(query: &Query, id: u16) -> Msg {
        Msg {
            id,
            flags: QR | RD_RA,
            questions: vec![(wire(&query.name), query.record_type.code(), 1)],
            answers: Vec::new(),
            authority: Vec::new(),
            additional: Vec::new(),
        }
    }

    fn rcode(mut self, rcode: u16) -> Msg {
        self.flags = (self.flags & !0x000f) | (rcode & 0x000f);
        self
    }

    fn flag(mut self, bits: u16) -> Msg {
        self.flags |= bits;
        self
    }

    fn answer(mut self, record: Rr) -> Msg {
        self.answers.push(record);
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for field in [
            self.id,
            self.flags,
            self.questions.len() as u16,
            self.answers.len() as u16,
            self.authority.len() as u16,
            self.additional.len() as u16,
        ] {
            out.extend_from_slice(&field.to_be_bytes());
        }
        for (name, qtype, qclass) in &self.questions {
            out.extend_from_slice(name);
            out.extend_from_slice(&qtype.to_be_bytes());
            out.extend_from_slice(&qclass.to_be_bytes());
        }
        for r in self
            .answers
            .iter()
            .chain(&self.authority)
            .chain(&self.additional)
        {
            out.extend_from_slice(&r.name);
            out.extend_from_slice(&r.rtype.to_be_bytes());
            out.extend_from_slice(&r.class.to_be_bytes());
            out.extend_from_slice(&r.ttl.to_be_bytes());
            out.extend_from_slice(&(r.rdata.len() as u16).to_be_bytes());
            out.extend_from_slice(&r.rdata);
        }
        out
    }
}

/// Turns an encoded query into a NOERROR response with `answers` appended (any OPT record of
/// the query is dropped). Owners may point at the question name (offset 12).
fn respond(query_packet: &[u8], answers: &[Rr]) -> Vec<u8> {
    let question_end = 12 + query_packet[12..].iter().position(|&b| b == 0).unwrap() + 1 + 4;
    let mut out = query_packet[..question_end].to_vec();
    out[2] |= 0x80; // QR
    out[3] &= !0x20; // a server that does not validate clears AD (RFC 4035 §3.2.3)
    out[6..8].copy_from_slice(&(answers.len() as u16).to_be_bytes());
    out[10..12].copy_from_slice(&[0, 0]);
    for r in answers {
        out.extend_from_slice(&r.name);
        out.extend_from_slice(&r.rtype.to_be_bytes());
        out.extend_from_slice(&r.class.to_be_bytes());
        out.extend_from_slice(&r.ttl.to_be_bytes());
        out.extend_from_slice(&(r.rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(&r.rdata);
    }
    out
}

fn q(name: &str, t: RecordType) -> Query {
    Query::new(name, t)
}

fn decode(msg: &Msg, query: &Query) -> Result<Response, WireError> {
    decode_response(&msg.bytes(), query)
}

fn answer(msg: &Msg, query: &Query) -> Answer {
    decode(msg, query).expect("decodes").answer
}

fn records(data: Vec<RecordData>) -> Answer {
    Answer::Records {
        records: data,
        authenticated: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding (RFC 1035 §4.1, RFC 6891 §6.1)
// ---------------------------------------------------------------------------------------------

#[test]
fn encodes_query_with_default_edns() {
    let bytes = encode_query(
        &q("Example.COM", RecordType::A),
        0x1234,
        EncodeOptions::default(),
    )
    .unwrap();
    #[rustfmt::skip]
    let expected = [
        0x12, 0x34, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1,             // header: RD+AD, QD=1, AR=1
        7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 3, b'c', b'o', b'm', 0,
        0, 1, 0, 1,                                                 // A, IN
        0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0,                     // OPT, 1232, TTL 0, no rdata
    ];
    assert_eq!(bytes, expected);
    assert_eq!(
        EncodeOptions::new(),
        EncodeOptions {
            edns_udp_size: Some(1232),
            dnssec_ok: false
        }
    );
}

#[test]
fn encodes_do_bit_and_size() {
    let options = EncodeOptions {
        edns_udp_size: Some(4096),
        dnssec_ok: true,
    };
    let bytes = encode_query(&q("a.b", RecordType::Txt), 1, options).unwrap();
    let opt = &bytes[bytes.len() - 11..];
    assert_eq!(opt, [0, 0, 41, 0x10, 0x00, 0, 0, 0x80, 0, 0, 0]);
    assert_eq!(&bytes[bytes.len() - 15..bytes.len() - 11], [0, 16, 0, 1]);
}

#[test]
fn clamps_small_udp_size_to_512() {
    let options = EncodeOptions {
        edns_udp_size: Some(100),
        dnssec_ok: false,
    };
    let bytes = encode_query(&q("a", RecordType::A), 1, options).unwrap();
    let opt = &bytes[bytes.len() - 11..];
    assert_eq!(&opt[3..5], 512u16.to_be_bytes());
}

#[test]
fn encodes_without_edns() {
    let bytes = encode_query(&q("a", RecordType::Mx), 7, EncodeOptions::without_edns()).unwrap();
    assert_eq!(
        bytes,
        [
            0, 7, 1, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 1, b'a', 0, 0, 15, 0, 1
        ]
    );
    // DO without EDNS has nowhere to go and is dropped.
    let options = EncodeOptions {
        edns_udp_size: None,
        dnssec_ok: true,
    };
    assert_eq!(
        encode_query(&q("a", RecordType::Mx), 7, options).unwrap(),
        bytes
    );
}

#[test]
fn encodes_root_name() {
    for name in ["", "."] {
        let bytes = encode_query(&q(name, RecordType::Ns), 0, EncodeOptions::without_edns());
        assert_eq!(
            bytes.unwrap(),
            [0, 0, 1, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1]
        );
    }
}

#[test]
fn tolerates_trailing_dot_and_lowercases() {
    let query = Query {
        name: "MiXeD.Example.".to_owned(),
        record_type: RecordType::A,
    };
    let bytes = encode_query(&query, 0, EncodeOptions::without_edns()).unwrap();
    assert_eq!(&bytes[12..12 + 15], wire("mixed.example").as_slice());
}

#[test]
fn enforces_label_and_name_limits() {
    let opts = EncodeOptions::default();
    let label63 = "a".repeat(63);
    assert!(encode_query(&q(&label63, RecordType::A), 0, opts).is_ok());
    let label64 = "a".repeat(64);
    assert!(matches!(
        encode_query(&q(&format!("x.{label64}.com"), RecordType::A), 0, opts),
        Err(WireError::LabelTooLong { len: 64, .. })
    ));

    // 63+1+63+1+63+1+61 = 253 characters: the longest name (255 octets on the wire).
    let name253 = format!("{l}.{l}.{l}.{}", "b".repeat(61), l = label63);
    assert_eq!(name253.len(), 253);
    let bytes = encode_query(
        &q(&name253, RecordType::A),
        0,
        EncodeOptions::without_edns(),
    );
    assert_eq!(bytes.unwrap().len(), 12 + 255 + 4);
    let name254 = format!("{l}.{l}.{l}.{}", "b".repeat(62), l = label63);
    assert!(matches!(
        encode_query(&q(&name254, RecordType::A), 0, opts),
        Err(WireError::NameTooLong { octets: 256, .. })
    ));
    // Many short labels count their length octets too.
    let many = vec!["a"; 127].join(".");
    assert_eq!(many.len(), 253);
    assert!(encode_query(&q(&many, RecordType::A), 0, opts).is_ok());
    let too_many = vec!["a"; 128].join(".");
    assert!(matches!(
        encode_query(&q(&too_many, RecordType::A), 0, opts),
        Err(WireError::NameTooLong { .. })
    ));
}

#[test]
fn rejects_empty_labels_and_bad_escapes() {
    let opts = EncodeOptions::default();
    for name in ["a..b", ".a", "a..", ".."] {
        let query = Query {
            name: name.to_owned(),
            record_type: RecordType::A,
        };
        assert!(
            matches!(
                encode_query(&query, 0, opts),
                Err(WireError::EmptyLabel { .. })
            ),
            "{name}"
        );
    }
    for name in ["a\\", "a\\25", "a\\256", "a\\2x5"] {
        let query = Query {
            name: name.to_owned(),
            record_type: RecordType::A,
        };
        assert!(
            matches!(
                encode_query(&query, 0, opts),
                Err(WireError::InvalidEscape { .. })
            ),
            "{name}"
        );
    }
}

#[test]
fn escapes_round_trip() {
    // `a\.b` is one label "a.b"; `\032` a space; `\\` a backslash.
    let query = Query {
        name: "a\\.b\\032\\\\.c".to_owned(),
        record_type: RecordType::Ptr,
    };
    let packet = encode_query(&query, 0, EncodeOptions::without_edns()).unwrap();
    assert_eq!(
        &packet[12..12 + 9],
        [5, b'a', b'.', b'b', b' ', b'\\', 1, b'c', 0]
    );
    // The PTR target points at the question name, and comes back escaped the same way.
    let response = respond(&packet, &[rr(wire_ptr("", QNAME), 12, wire_ptr("", QNAME))]);
    assert_eq!(
        decode_response(&response, &query).unwrap().answer,
        records(vec![RecordData::Ptr(query.name.clone())])
    );
}

// ---------------------------------------------------------------------------------------------
// Decoding records (RFC 1035 §3.3, §3.4; RFC 3596)
// ---------------------------------------------------------------------------------------------

#[test]
fn round_trip_query_to_response() {
    // The encoded query, turned into a response: the decoder accepts its own question.
    let query = q("example.com", RecordType::A);
    let packet = encode_query(&query, 0xbeef, EncodeOptions::without_edns()).unwrap();
    let response = respond(&packet, &[rr(vec![0xc0, 12], 1, vec![192, 0, 2, 1])]);
    assert_eq!(
        decode_response(&response, &query).unwrap(),
        Response {
            id: 0xbeef,
            truncated: false,
            authenticated: false,
            rcode: 0,
            answer: records(vec![RecordData::A(Ipv4Addr::new(192, 0, 2, 1))]),
        }
    );
    // With EDNS on, the query's OPT record is an additional record like any other.
    let packet = encode_query(&query, 7, EncodeOptions::default()).unwrap();
    let mut response = packet.clone();
    response[2] |= 0x80;
    assert_eq!(
        decode_response(&response, &query).unwrap().answer,
        Answer::Nodata
    );
}

#[test]
fn decodes_a_and_aaaa() {
    let query = q("example.com", RecordType::A);
    let msg = Msg::response(&query, 1)
        .answer(rr(wire("example.com"), 1, vec![192, 0, 2, 1]))
        .answer(rr(wire_ptr("", QNAME), 1, vec![192, 0, 2, 2]));
    assert_eq!(
        answer(&msg, &query),
        records(vec![
            RecordData::A(Ipv4Addr::new(192, 0, 2, 1)),
            RecordData::A(Ipv4Addr::new(192, 0, 2, 2)),
        ])
    );

    let query = q("example.com", RecordType::Aaaa);
    let ip: Ipv6Addr = "2001:db8::1".parse().unwrap();
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 28, ip.octets().to_vec()));
    assert_eq!(answer(&msg, &query), records(vec![RecordData::Aaaa(ip)]));
}

#[test]
fn decodes_mx_with_compressed_exchange_in_lowercase() {
    let query = q("example.com", RecordType::Mx);
    // "MAIL" + pointer to the question name; a second MX points into the first one's rdata.
    let first_rdata_offset = 12 + 13 + 4 + 2 + 10;
    let msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("", QNAME), 15, mx(10, wire_ptr("MAIL", QNAME))))
        .answer(rr(
            wire_ptr("", QNAME),
            15,
            mx(20, wire_ptr("BACKUP", first_rdata_offset + 2)),
        ));
    assert_eq!(
        answer(&msg, &query),
        records(vec![
            RecordData::Mx {
                preference: 10,
                exchange: "mail.example.com".to_owned()
            },
            RecordData::Mx {
                preference: 20,
                exchange: "backup.mail.example.com".to_owned()
            },
        ])
    );
}

#[test]
fn decodes_null_mx() {
    // RFC 7505: preference 0, exchange ".".
    let query = q("example.com", RecordType::Mx);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 15, mx(0, vec![0])));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Mx {
            preference: 0,
            exchange: String::new()
        }])
    );
}

#[test]
fn decodes_srv_with_compressed_target_and_the_root_target() {
    // RFC 2782: priority, weight, port, then the target (compressible in practice).
    let query = q("_submission._tcp.example.com", RecordType::Srv);
    let srv = |priority: u16, weight: u16, port: u16, target: Vec<u8>| {
        let mut rdata = Vec::new();
        for number in [priority, weight, port] {
            rdata.extend_from_slice(&number.to_be_bytes());
        }
        rdata.extend(target);
        rdata
    };
    let msg = Msg::response(&query, 1)
        .answer(rr(
            wire_ptr("", QNAME),
            33,
            srv(0, 1, 587, wire("SMTP.example.com")),
        ))
        .answer(rr(wire_ptr("", QNAME), 33, srv(10, 0, 0, vec![0])));
    assert_eq!(
        answer(&msg, &query),
        records(vec![
            RecordData::Srv {
                priority: 0,
                weight: 1,
                port: 587,
                target: "smtp.example.com".to_owned()
            },
            RecordData::Srv {
                priority: 10,
                weight: 0,
                port: 0,
                target: String::new()
            },
        ])
    );
    let short = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 33, vec![0, 1, 0]));
    assert!(decode(&short, &query).is_err());
}

#[test]
fn decodes_txt_keeping_strings_apart() {
    let query = q("example.com", RecordType::Txt);
    let long = vec![b'x'; 255];
    let msg = Msg::response(&query, 1)
        .answer(rr(
            wire_ptr("", QNAME),
            16,
            txt(&[b"v=spf1 ", b"include:a", b" -all"]),
        ))
        .answer(rr(
            wire_ptr("", QNAME),
            16,
            txt(&[b"", &[0xff, 0x00, b'"'], &long]),
        ))
        .answer(rr(wire_ptr("", QNAME), 16, Vec::new()));
    assert_eq!(
        answer(&msg, &query),
        records(vec![
            RecordData::Txt(vec![
                b"v=spf1 ".to_vec(),
                b"include:a".to_vec(),
                b" -all".to_vec()
            ]),
            RecordData::Txt(vec![Vec::new(), vec![0xff, 0x00, b'"'], long]),
            RecordData::Txt(Vec::new()),
        ])
    );
}

#[test]
fn decodes_ptr_ns_cname_and_other_types() {
    let query = q("1.2.0.192.in-addr.arpa", RecordType::Ptr);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 12, wire("Host.Example.")));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Ptr("host.example".to_owned())])
    );

    let query = q("example.com", RecordType::Ns);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 2, wire_ptr("ns1", QNAME)));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Ns("ns1.example.com".to_owned())])
    );

    let query = q("www.example.com", RecordType::Cname);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 5, wire("example.net")));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Cname("example.net".to_owned())])
    );

    // SOA is asked for but not decoded; it is kept as its type code.
    let query = q("example.com", RecordType::Soa);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 6, vec![0; 22]));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Other { type_code: 6 }])
    );
}

#[test]
fn unknown_types_in_answer_are_skipped_for_selection() {
    let query = q("example.com", RecordType::Txt);
    let msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("", QNAME), 46, vec![1, 2, 3])) // RRSIG, opaque
        .answer(rr(wire_ptr("", QNAME), 16, txt(&[b"hello"])));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Txt(vec![b"hello".to_vec()])])
    );
}

#[test]
fn authenticated_follows_ad_bit() {
    let query = q("example.com", RecordType::A);
    let msg =
        Msg::response(&query, 1)
            .flag(AD)
            .answer(rr(wire_ptr("", QNAME), 1, vec![192, 0, 2, 1]));
    let response = decode(&msg, &query).unwrap();
    assert!(response.authenticated);
    assert_eq!(
        response.answer,
        Answer::Records {
            records: vec![RecordData::A(Ipv4Addr::new(192, 0, 2, 1))],
            authenticated: true
        }
    );
}

#[test]
fn question_matches_case_insensitively() {
    let query = q("example.com", RecordType::A);
    let mut msg = Msg::response(&query, 1).answer(rr(wire("EXAMPLE.com"), 1, vec![1, 1, 1, 1]));
    msg.questions[0].0 = wire("ExAmPlE.CoM");
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::A(Ipv4Addr::new(1, 1, 1, 1))])
    );
}

#[test]
fn records_for_other_names_or_classes_are_ignored() {
    let query = q("example.com", RecordType::A);
    let mut chaos = rr(wire_ptr("", QNAME), 1, vec![9, 9, 9, 9]);
    chaos.class = 3;
    let msg = Msg::response(&query, 1)
        .answer(rr(wire("other.example"), 1, vec![1, 1, 1, 1]))
        .answer(chaos);
    assert_eq!(answer(&msg, &query), Answer::Nodata);
}

// ---------------------------------------------------------------------------------------------
// NODATA, CNAME chains (RFC 2308 §2.2, RFC 1034 §3.6.2)
// ---------------------------------------------------------------------------------------------

#[test]
fn nodata_when_no_records_of_the_type() {
    let query = q("example.com", RecordType::Txt);
    assert_eq!(answer(&Msg::response(&query, 1), &query), Answer::Nodata);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 1, vec![1, 2, 3, 4]));
    assert_eq!(answer(&msg, &query), Answer::Nodata);
    assert!(answer(&msg, &query).is_void());
}

#[test]
fn follows_cname_chain() {
    let query = q("x.example", RecordType::Txt);
    // x CNAME y, y CNAME z, z TXT; listed out of order, with compression into earlier rdata.
    let msg = Msg::response(&query, 1)
        .answer(rr(wire("z.example"), 16, txt(&[b"v=spf1 -all"])))
        .answer(rr(wire_ptr("", QNAME), 5, wire("y.example")))
        .answer(rr(wire("y.example"), 5, wire("Z.example")))
        .answer(rr(wire("y.example"), 16, txt(&[b"at y"])));
    // y has both a CNAME and TXT (illegal, RFC 1034 §3.6.2): the chain stops at the first
    // name with records of the type, y.
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Txt(vec![b"at y".to_vec()])])
    );

    let msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("", QNAME), 5, wire("y.example")))
        .answer(rr(wire("y.example"), 5, wire("Z.example")))
        .answer(rr(wire("z.example"), 16, txt(&[b"v=spf1 ", b"-all"])));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Txt(vec![
            b"v=spf1 ".to_vec(),
            b"-all".to_vec()
        ])])
    );
}

#[test]
fn an_address_answer_through_aliases_starts_with_the_chain() {
    // RFC 5321 §5.1: an MX name must not be an alias; the A answer shows it without a CNAME
    // query. Other types (TXT above) list only the records of their type.
    let query = q("x.example", RecordType::A);
    let msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("", QNAME), 5, wire("y.example")))
        .answer(rr(wire("y.example"), 5, wire("Z.example")))
        .answer(rr(wire("z.example"), 1, vec![192, 0, 2, 7]));
    assert_eq!(
        answer(&msg, &query),
        records(vec![
            RecordData::Cname("y.example".to_owned()),
            RecordData::Cname("z.example".to_owned()),
            RecordData::A("192.0.2.7".parse().unwrap()),
        ])
    );
    // No alias: the addresses alone.
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 1, vec![192, 0, 2, 8]));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::A("192.0.2.8".parse().unwrap())])
    );
}

#[test]
fn cname_only_is_nodata_unless_cname_asked() {
    let msg_for = |query: &Query| {
        Msg::response(query, 1).answer(rr(wire_ptr("", QNAME), 5, wire("target.example")))
    };
    let query = q("alias.example", RecordType::Txt);
    assert_eq!(answer(&msg_for(&query), &query), Answer::Nodata);
    let query = q("alias.example", RecordType::Cname);
    assert_eq!(
        answer(&msg_for(&query), &query),
        records(vec![RecordData::Cname("target.example".to_owned())])
    );
}

#[test]
fn cname_loop_is_an_error_answer() {
    let query = q("a.example", RecordType::A);
    let msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("", QNAME), 5, wire("b.example")))
        .answer(rr(wire("b.example"), 5, wire("a.example")));
    assert_eq!(answer(&msg, &query), Answer::failed(Failure::Error));
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 5, wire_ptr("", QNAME)));
    assert_eq!(answer(&msg, &query), Answer::failed(Failure::Error));
}

#[test]
fn nxdomain_after_cname() {
    // RFC 6604: the RCODE describes the end of the chain.
    let query = q("alias.example", RecordType::A);
    let msg =
        Msg::response(&query, 1)
            .rcode(3)
            .answer(rr(wire_ptr("", QNAME), 5, wire("gone.example")));
    assert_eq!(answer(&msg, &query), Answer::Nxdomain);
}

// ---------------------------------------------------------------------------------------------
// RCODEs (RFC 1035 §4.1.1, RFC 6891 §6.1.3)
// ---------------------------------------------------------------------------------------------

#[test]
fn every_header_rcode_maps() {
    let query = q("example.com", RecordType::A);
    for rcode in 0..16u16 {
        let msg = Msg::response(&query, 1).rcode(rcode).answer(rr(
            wire_ptr("", QNAME),
            1,
            vec![10, 0, 0, 1],
        ));
        let response = decode(&msg, &query).unwrap();
        assert_eq!(response.rcode, rcode);
        let expected = match rcode {
            0 => records(vec![RecordData::A(Ipv4Addr::new(10, 0, 0, 1))]),
            2 => Answer::failed(Failure::Servfail),
            3 => Answer::Nxdomain,
            5 => Answer::failed(Failure::Refused),
            _ => Answer::failed(Failure::Error),
        };
        assert_eq!(response.answer, expected, "rcode {rcode}");
    }
}

#[test]
fn extended_rcode_from_opt() {
    let query = q("example.com", RecordType::A);
    // BADVERS = 16: header RCODE 0, OPT extended RCODE 1.
    let mut msg = Msg::response(&query, 1);
    msg.additional.push(opt(1232, 0x0100_0000));
    let response = decode(&msg, &query).unwrap();
    assert_eq!(response.rcode, 16);
    assert_eq!(response.answer, Answer::failed(Failure::Error));

    // Extended RCODE 0 changes nothing; DO bit in the TTL is irrelevant.
    let mut msg = Msg::response(&query, 1).rcode(3);
    msg.additional.push(opt(4096, 0x0000_8000));
    let response = decode(&msg, &query).unwrap();
    assert_eq!((response.rcode, response.answer), (3, Answer::Nxdomain));

    // An OPT-typed record with a non-root owner is not the OPT pseudo-RR.
    let mut msg = Msg::response(&query, 1);
    msg.additional.push(Rr {
        name: wire("x"),
        ..opt(1232, 0x0100_0000)
    });
    assert_eq!(decode(&msg, &query).unwrap().rcode, 0);
}

#[test]
fn authority_and_additional_sections_are_parsed_through() {
    let query = q("example.com", RecordType::Mx);
    let mut msg =
        Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 15, mx(5, wire_ptr("mx", QNAME))));
    msg.authority
        .push(rr(wire_ptr("", QNAME), 2, wire_ptr("ns", QNAME)));
    msg.additional
        .push(rr(wire_ptr("mx", QNAME), 1, vec![192, 0, 2, 25]));
    msg.additional.push(opt(1232, 0));
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::Mx {
            preference: 5,
            exchange: "mx.example.com".to_owned()
        }])
    );
    // A broken authority record is still a malformed packet.
    msg.authority[0].name = vec![0xc0, 0xff];
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::PointerOutOfBounds { .. })
    ));
}

#[test]
fn question_may_be_missing_only_for_errors() {
    let query = q("example.com", RecordType::A);
    let mut msg = Msg::response(&query, 1).rcode(5);
    msg.questions.clear();
    assert_eq!(answer(&msg, &query), Answer::failed(Failure::Refused));
    let msg = msg.rcode(0);
    assert_eq!(
        decode(&msg, &query),
        Err(WireError::QuestionCount { count: 0 })
    );
    let msg = msg.rcode(3);
    assert_eq!(
        decode(&msg, &query),
        Err(WireError::QuestionCount { count: 0 })
    );
    // With the full RCODE being 16+0, the missing question is acceptable.
    let mut msg = msg.rcode(0);
    msg.additional.push(opt(512, 0x0100_0000));
    assert_eq!(answer(&msg, &query), Answer::failed(Failure::Error));
}

// ---------------------------------------------------------------------------------------------
// Header and question checks
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_queries_and_other_opcodes() {
    let query = q("example.com", RecordType::A);
    let packet = encode_query(&query, 9, EncodeOptions::default()).unwrap();
    let err = decode_response(&packet, &query).unwrap_err();
    assert_eq!(err, WireError::NotAResponse { id: 9 });
    assert!(err.is_mismatch());

    let msg = Msg::response(&query, 1).flag(2 << 11); // STATUS
    assert_eq!(
        decode(&msg, &query),
        Err(WireError::UnexpectedOpcode { opcode: 2 })
    );
}

#[test]
fn rejects_mismatched_questions() {
    let query = q("example.com", RecordType::A);
    let mut other_name = Msg::response(&query, 1);
    other_name.questions[0].0 = wire("example.net");
    let mut other_type = Msg::response(&query, 1);
    other_type.questions[0].1 = 16;
    let mut other_class = Msg::response(&query, 1);
    other_class.questions[0].2 = 3;
    for msg in [other_name, other_type, other_class] {
        let err = decode(&msg, &query).unwrap_err();
        assert!(matches!(err, WireError::QuestionMismatch { .. }), "{err}");
        assert!(err.is_mismatch());
    }
    let mut two = Msg::response(&query, 1);
    two.questions.push(two.questions[0].clone());
    assert_eq!(
        decode(&two, &query),
        Err(WireError::QuestionCount { count: 2 })
    );
}

#[test]
fn reports_the_id() {
    let query = q("example.com", RecordType::A);
    assert_eq!(
        decode(&Msg::response(&query, 0xabcd), &query).unwrap().id,
        0xabcd
    );
}

// ---------------------------------------------------------------------------------------------
// Compression (RFC 1035 §4.1.4) and malformed packets
// ---------------------------------------------------------------------------------------------

#[test]
fn compressed_question_and_chained_pointers() {
    let query = q("www.example.com", RecordType::A);
    // Answer 1's owner is "www" + a pointer to "example.com" inside the question (offset 16).
    let msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("www", QNAME + 4), 1, vec![10, 0, 0, 1]))
        // Answer 2's owner points at answer 1's owner, itself ending in a pointer.
        .answer(rr(wire_ptr("", 12 + 17 + 4), 1, vec![10, 0, 0, 2]));
    assert_eq!(
        answer(&msg, &query),
        records(vec![
            RecordData::A(Ipv4Addr::new(10, 0, 0, 1)),
            RecordData::A(Ipv4Addr::new(10, 0, 0, 2)),
        ])
    );
}

#[test]
fn pointer_loops_are_errors() {
    let query = q("example.com", RecordType::A);
    let base = Msg::response(&query, 1).bytes();
    let owner_at = base.len();

    // A pointer to itself.
    let mut packet = base.clone();
    packet[7] = 1;
    packet.extend_from_slice(&(0xc000 | owner_at as u16).to_be_bytes());
    packet.extend_from_slice(&[0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]);
    assert!(matches!(
        decode_response(&packet, &query),
        Err(WireError::PointerLoop { offset, target }) if offset == owner_at && target == owner_at
    ));

    // Two pointers pointing at each other: the owner points to the rdata, which points back.
    let mut packet = base.clone();
    packet[7] = 1;
    let rdata_at = owner_at + 2 + 10;
    packet.extend_from_slice(&(0xc000 | rdata_at as u16).to_be_bytes());
    packet.extend_from_slice(&[0, 12, 0, 1, 0, 0, 0, 0, 0, 2]);
    packet.extend_from_slice(&(0xc000 | owner_at as u16).to_be_bytes());
    assert!(matches!(
        decode_response(&packet, &query),
        Err(WireError::PointerLoop { .. })
    ));

    // A label followed by a pointer back to that label: would grow forever.
    let mut packet = base.clone();
    packet[7] = 1;
    packet.extend_from_slice(&[1, b'a']);
    packet.extend_from_slice(&(0xc000 | owner_at as u16).to_be_bytes());
    packet.extend_from_slice(&[0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]);
    assert!(matches!(
        decode_response(&packet, &query),
        Err(WireError::PointerLoop { .. })
    ));
}

#[test]
fn long_pointer_chains_and_long_names_are_errors() {
    let query = q("example.com", RecordType::A);
    // Record 1 (an unknown type, rdata not parsed) holds 200 pointers, each to the one before,
    // the first to the question name. Record 2's owner points at the last of them: 201 hops.
    let mut msg = Msg::response(&query, 1);
    let rdata_at = 12 + 13 + 4 + 1 + 10;
    let mut chain = Vec::new();
    let mut previous = QNAME;
    for i in 0..200u16 {
        chain.extend_from_slice(&(0xc000 | previous).to_be_bytes());
        previous = rdata_at + 2 * i;
    }
    msg.answers.push(rr(vec![0], 99, chain));
    msg.answers
        .push(rr(wire_ptr("", previous), 1, vec![1, 2, 3, 4]));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::PointerLoop { .. })
    ));
    // 101 pointers are fine: the owner is then the question name.
    msg.answers[1].name = wire_ptr("", rdata_at + 2 * 99);
    assert_eq!(
        answer(&msg, &query),
        records(vec![RecordData::A(Ipv4Addr::new(1, 2, 3, 4))])
    );

    // A name of 2 × 127 + 1 octets of labels, then one more label via a pointer: too long.
    let mut msg = Msg::response(&query, 1);
    let long = vec!["a"; 127].join(".");
    msg.additional.push(rr(wire(&long), 16, Vec::new()));
    let packet = msg.bytes();
    assert!(decode_response(&packet, &query).is_ok());
    let long_at = 12 + 13 + 4;
    let mut msg = Msg::response(&query, 1);
    msg.additional.push(rr(wire(&long), 16, Vec::new()));
    msg.additional
        .push(rr(wire_ptr("b", long_at as u16), 16, Vec::new()));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::NameTooLong { octets: 257, .. })
    ));
}

#[test]
fn pointer_out_of_bounds_and_reserved_label_types() {
    let query = q("example.com", RecordType::A);
    let msg = Msg::response(&query, 1).answer(rr(vec![0xc3, 0xff], 1, vec![1, 2, 3, 4]));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::PointerOutOfBounds { target: 0x3ff, .. })
    ));
    for octet in [0x40u8, 0x80] {
        let msg = Msg::response(&query, 1).answer(rr(vec![octet, 0], 1, vec![1, 2, 3, 4]));
        assert!(matches!(
            decode(&msg, &query),
            Err(WireError::UnsupportedLabelType { octet: o, .. }) if o == octet
        ));
    }
}

#[test]
fn every_prefix_of_a_response_is_an_error_not_a_panic() {
    let query = q("example.com", RecordType::Mx);
    let mut msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("", QNAME), 15, mx(10, wire_ptr("mail", QNAME))))
        .answer(rr(wire_ptr("", QNAME), 16, txt(&[b"abc", b"def"])));
    msg.additional.push(opt(1232, 0));
    let packet = msg.bytes();
    assert!(decode_response(&packet, &query).is_ok());
    for len in 0..packet.len() {
        let err = decode_response(&packet[..len], &query).unwrap_err();
        // Octets after the last complete section are ignored, so every proper prefix fails
        // with a truncation (or, for a cut inside a pointer target, a bounds error).
        assert!(
            matches!(
                err,
                WireError::Truncated { .. } | WireError::PointerOutOfBounds { .. }
            ),
            "prefix {len}: {err}"
        );
    }
}

#[test]
fn truncated_flag_is_reported_even_if_sections_are_cut() {
    let query = q("example.com", RecordType::Txt);
    let msg =
        Msg::response(&query, 1)
            .flag(TC)
            .answer(rr(wire_ptr("", QNAME), 16, txt(&[b"partial"])));
    let response = decode(&msg, &query).unwrap();
    assert!(response.truncated);
    assert_eq!(
        response.answer,
        records(vec![RecordData::Txt(vec![b"partial".to_vec()])])
    );

    // ANCOUNT says 3 but the packet stops after the question: still a response, not an error.
    let mut packet = Msg::response(&query, 1).flag(TC).bytes();
    packet[7] = 3;
    let response = decode_response(&packet, &query).unwrap();
    assert!(response.truncated);
    assert_eq!(response.answer, Answer::failed(Failure::Error));

    // Without TC the same packet is malformed.
    packet[2] &= !0x02;
    assert!(matches!(
        decode_response(&packet, &query),
        Err(WireError::Truncated { .. })
    ));
}

#[test]
fn bad_rdata_lengths() {
    let query = q("example.com", RecordType::A);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 1, vec![1, 2, 3, 4, 5]));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::BadRdata { type_code: 1, .. })
    ));

    let query = q("example.com", RecordType::Aaaa);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 28, vec![0; 4]));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::BadRdata { type_code: 28, .. })
    ));

    let query = q("example.com", RecordType::Txt);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 16, vec![5, b'a', b'b']));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::BadRdata { type_code: 16, .. })
    ));

    let query = q("example.com", RecordType::Mx);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 15, vec![0]));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::BadRdata { type_code: 15, .. })
    ));
    // A name with octets left over inside RDLENGTH.
    let mut rdata = mx(1, wire("mx.example"));
    rdata.push(0);
    let msg = Msg::response(&query, 1).answer(rr(wire_ptr("", QNAME), 15, rdata));
    assert!(matches!(
        decode(&msg, &query),
        Err(WireError::BadRdata { type_code: 15, .. })
    ));

    // A CNAME whose name runs past its RDLENGTH into the next record.
    let query = q("example.com", RecordType::Cname);
    let mut record = rr(wire_ptr("", QNAME), 5, wire("target.example"));
    let mut packet = Msg::response(&query, 1).answer(record.clone()).bytes();
    let rdlength_at = packet.len() - record.rdata.len() - 2;
    packet[rdlength_at + 1] = 3;
    assert!(decode_response(&packet, &query).is_err());
    record.rdata.clear();
    assert!(decode(&Msg::response(&query, 1).answer(record), &query).is_err());
}

#[test]
fn random_corruption_never_panics() {
    let query = q("example.com", RecordType::Mx);
    let mut msg = Msg::response(&query, 1)
        .answer(rr(wire_ptr("", QNAME), 5, wire_ptr("alias", QNAME)))
        .answer(rr(
            wire_ptr("alias", QNAME),
            15,
            mx(10, wire_ptr("mail", QNAME)),
        ))
        .answer(rr(wire_ptr("", QNAME), 16, txt(&[b"abc", b"def"])));
    msg.authority
        .push(rr(wire_ptr("", QNAME), 2, wire_ptr("ns", QNAME)));
    msg.additional.push(opt(1232, 0));
    let packet = msg.bytes();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let mut corrupted = packet.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % corrupted.len();
            corrupted[at] = next() as u8;
        }
        let cut = (next() as usize) % (corrupted.len() + 1);
        let _ = decode_response(&corrupted, &query);
        let _ = decode_response(&corrupted[..cut], &query);
    }
}

#[test]
fn errors_display() {
    let err = WireError::Truncated {
        what: "header",
        offset: 0,
        needed: 2,
        len: 0,
    };
    assert!(err.to_string().contains("truncated"));
    assert!(!err.is_mismatch());
}

// ---------------------------------------------------------------------------------------------
// Reverse names (RFC 1035 §3.5, RFC 3596 §2.5)
// ---------------------------------------------------------------------------------------------

#[test]
fn reverse_names() {
    assert_eq!(
        reverse_name(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
        "1.2.0.192.in-addr.arpa"
    );
    let v6: Ipv6Addr = "2001:db8::567:89ab".parse().unwrap();
    assert_eq!(
        reverse_name(IpAddr::V6(v6)),
        "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
    );
    // Usable as a query name as it is.
    let query = q(&reverse_name(IpAddr::V6(v6)), RecordType::Ptr);
    assert!(encode_query(&query, 0, EncodeOptions::default()).is_ok());
}
