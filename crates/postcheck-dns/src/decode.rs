//! Response decoding: header checks, the question, the records, and the mapping to an
//! [`Answer`] (RFC 1035 §4.1, RFC 2308 for NXDOMAIN/NODATA, RFC 6891 for the extended RCODE).

use crate::WireError;
use crate::encode::{CLASS_IN, TYPE_OPT, flags};
use crate::name::Name;
use postcheck_core::dns::{Answer, Failure, Query, RecordData, RecordType};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A decoded response, reduced to what the checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The message ID, for the transport to match against its query.
    pub id: u16,
    /// The TC bit (RFC 1035 §4.1.1): the message was cut to fit. Its answer may be incomplete;
    /// a UDP client should ask again over TCP (RFC 7766 §5).
    pub truncated: bool,
    /// The AD bit (RFC 4035 §3.2.3), also copied into [`Answer::Records`].
    pub authenticated: bool,
    /// The full RCODE: the header's four bits, extended by the OPT record's upper eight bits
    /// when there is one (RFC 6891 §6.1.3).
    pub rcode: u16,
    /// What the response means for the query.
    pub answer: Answer,
}

/// RCODEs used in the mapping (RFC 1035 §4.1.1).
const RCODE_NOERROR: u16 = 0;
const RCODE_SERVFAIL: u16 = 2;
const RCODE_NXDOMAIN: u16 = 3;
const RCODE_REFUSED: u16 = 5;

/// Decodes the response `packet` to `query`.
///
/// Checks that the QR bit is set, the opcode is QUERY and the question is the one asked
/// (name compared case-insensitively, type, class IN; RFC 5452 §9.1). A response without a
/// question is accepted only for an RCODE other than NOERROR and NXDOMAIN, since some servers
/// drop it from error responses. The ID is reported, not checked: that is the transport's job.
///
/// Mapping: RCODE 0 with records of the asked type → [`Answer::Records`] (following CNAMEs in
/// the answer section, RFC 1034 §3.6.2 and §4.3.2), RCODE 0 without them →
/// [`Answer::Nodata`] (RFC 2308 §2.2), 3 → [`Answer::Nxdomain`] (RFC 2308 §2.1), 2 → SERVFAIL,
/// 5 → REFUSED, anything else → [`Failure::Error`]. A CNAME loop in the answer is also
/// [`Failure::Error`].
///
/// A truncated (TC) response whose sections end early is not an error: it yields
/// `truncated: true` and [`Failure::Error`] as its answer. Octets after the last record are
/// ignored.
///
/// # Errors
///
/// A [`WireError`] for a packet that is malformed (never a panic), that is not a response, or
/// that answers another question ([`WireError::is_mismatch`] tells these last two apart).
pub fn decode_response(packet: &[u8], query: &Query) -> Result<Response, WireError> {
    let mut reader = Reader { packet, pos: 0 };

    // Header, RFC 1035 §4.1.1.
    let id = reader.u16("header")?;
    let header_flags = reader.u16("header")?;
    let qdcount = reader.u16("header")?;
    let ancount = reader.u16("header")?;
    let nscount = reader.u16("header")?;
    let arcount = reader.u16("header")?;

    if header_flags & flags::QR == 0 {
        return Err(WireError::NotAResponse { id });
    }
    let opcode = ((header_flags >> 11) & 0x0f) as u8;
    if opcode != 0 {
        return Err(WireError::UnexpectedOpcode { opcode });
    }
    let truncated = header_flags & flags::TC != 0;
    let authenticated = header_flags & flags::AD != 0;
    let header_rcode = header_flags & 0x000f;

    // Question, RFC 1035 §4.1.2.
    let expected = Name::parse(&query.name)?;
    let expected_type = query.record_type.code();
    match qdcount {
        1 => {
            let name = reader.name()?;
            let found_type = reader.u16("question")?;
            let found_class = reader.u16("question")?;
            if name != expected || found_type != expected_type || found_class != CLASS_IN {
                return Err(WireError::QuestionMismatch {
                    expected_name: expected.to_text(),
                    expected_type,
                    found_name: name.to_text(),
                    found_type,
                    found_class,
                });
            }
        }
        // Checked below, against the full RCODE.
        0 => {}
        count => return Err(WireError::QuestionCount { count }),
    }

    let sections = match read_sections(&mut reader, ancount, nscount, arcount) {
        Ok(sections) => sections,
        Err(_) if truncated => {
            return Ok(Response {
                id,
                truncated,
                authenticated,
                rcode: header_rcode,
                answer: Answer::failed(Failure::Error),
            });
        }
        Err(err) => return Err(err),
    };

    let rcode = (u16::from(sections.extended_rcode) << 4) | header_rcode;
    if qdcount == 0 && matches!(rcode, RCODE_NOERROR | RCODE_NXDOMAIN) {
        return Err(WireError::QuestionCount { count: 0 });
    }

    let answer = match rcode {
        RCODE_NOERROR => select(
            &sections.answers,
            expected,
            query.record_type,
            authenticated,
        ),
        RCODE_NXDOMAIN => Answer::Nxdomain,
        RCODE_SERVFAIL => Answer::failed(Failure::Servfail),
        RCODE_REFUSED => Answer::failed(Failure::Refused),
        _ => Answer::failed(Failure::Error),
    };
    Ok(Response {
        id,
        truncated,
        authenticated,
        rcode,
        answer,
    })
}

/// One record of the answer section, its data decoded.
#[derive(Debug)]
struct Record {
    owner: Name,
    type_code: u16,
    class: u16,
    data: RecordData,
    /// The target, for CNAME records.
    cname: Option<Name>,
}

#[derive(Debug)]
struct Sections {
    answers: Vec<Record>,
    /// The upper eight bits of the RCODE, from the OPT record (RFC 6891 §6.1.3).
    extended_rcode: u8,
}

/// Reads the answer, authority and additional sections (RFC 1035 §4.1.3). Authority records
/// are checked for structure only; in the additional section only OPT is looked at.
fn read_sections(
    reader: &mut Reader<'_>,
    ancount: u16,
    nscount: u16,
    arcount: u16,
) -> Result<Sections, WireError> {
    let mut answers = Vec::with_capacity(usize::from(ancount).min(64));
    for _ in 0..ancount {
        answers.push(reader.record()?);
    }
    for _ in 0..nscount {
        reader.skip_record()?;
    }
    let mut extended_rcode = None;
    for _ in 0..arcount {
        let header = reader.skip_record()?;
        // RFC 6891 §6.1.1: only the first OPT counts here (more than one is itself FORMERR,
        // which a server, not a stub, reports).
        if header.type_code == TYPE_OPT && header.owner_is_root && extended_rcode.is_none() {
            extended_rcode = Some((header.ttl >> 24) as u8);
        }
    }
    Ok(Sections {
        answers,
        extended_rcode: extended_rcode.unwrap_or(0),
    })
}

/// Picks the records answering `qname`/`qtype`, following the CNAME chain in the answer
/// section (RFC 1034 §3.6.2, §4.3.2 step 3a). Only class IN records count.
///
/// For address queries (A, AAAA) that reached their records through aliases, the chain's CNAME
/// records come first in the answer: whether a name is an alias is then known from its address
/// lookup, with no CNAME query of its own (RFC 5321 §5.1: an MX name must not be one).
fn select(records: &[Record], qname: Name, qtype: RecordType, authenticated: bool) -> Answer {
    let type_code = qtype.code();
    let mut current = qname;
    let mut visited: Vec<Name> = Vec::new();
    let mut chain: Vec<RecordData> = Vec::new();
    loop {
        let found: Vec<RecordData> = records
            .iter()
            .filter(|r| r.class == CLASS_IN && r.type_code == type_code && r.owner == current)
            .map(|r| r.data.clone())
            .collect();
        if !found.is_empty() {
            let mut answer = if matches!(qtype, RecordType::A | RecordType::Aaaa) {
                chain
            } else {
                Vec::new()
            };
            answer.extend(found);
            return Answer::Records {
                records: answer,
                authenticated,
            };
        }
        if qtype == RecordType::Cname {
            return Answer::Nodata;
        }
        let next = records.iter().find_map(|r| {
            (r.class == CLASS_IN && r.owner == current)
                .then_some(r.cname.as_ref())
                .flatten()
        });
        let Some(next) = next else {
            // Only a CNAME (or nothing): the server did not follow it, or the target has no
            // records of this type. Either way no data for this query.
            return Answer::Nodata;
        };
        visited.push(current);
        if visited.contains(next) {
            return Answer::failed(Failure::Error);
        }
        chain.push(RecordData::Cname(next.to_text()));
        current = next.clone();
    }
}

/// The fixed part of a resource record (RFC 1035 §4.1.3).
#[derive(Debug)]
struct RecordHeader {
    owner_is_root: bool,
    type_code: u16,
    ttl: u32,
}

/// A cursor over the packet that never reads out of bounds.
#[derive(Debug)]
struct Reader<'a> {
    packet: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WireError> {
        let bytes = self
            .packet
            .get(self.pos..self.pos + n)
            .ok_or(WireError::Truncated {
                what,
                offset: self.pos,
                needed: n,
                len: self.packet.len(),
            })?;
        self.pos += n;
        Ok(bytes)
    }

    fn u16(&mut self, what: &'static str) -> Result<u16, WireError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, WireError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn name(&mut self) -> Result<Name, WireError> {
        let (name, next) = Name::read(self.packet, self.pos)?;
        self.pos = next;
        Ok(name)
    }

    /// Reads owner, TYPE, CLASS, TTL and RDLENGTH; returns them with the rdata's bounds
    /// checked against the packet.
    fn record_header(&mut self) -> Result<(Name, u16, u16, u32, usize, usize), WireError> {
        let owner = self.name()?;
        let type_code = self.u16("record type")?;
        let class = self.u16("record class")?;
        let ttl = self.u32("record TTL")?;
        let rdlength = usize::from(self.u16("record RDLENGTH")?);
        let start = self.pos;
        self.take(rdlength, "rdata")?;
        Ok((owner, type_code, class, ttl, start, start + rdlength))
    }

    fn skip_record(&mut self) -> Result<RecordHeader, WireError> {
        let (owner, type_code, _class, ttl, _, _) = self.record_header()?;
        Ok(RecordHeader {
            owner_is_root: owner == Name::default(),
            type_code,
            ttl,
        })
    }

    fn record(&mut self) -> Result<Record, WireError> {
        let (owner, type_code, class, _ttl, start, end) = self.record_header()?;
        let (data, cname) = rdata(self.packet, type_code, start, end)?;
        Ok(Record {
            owner,
            type_code,
            class,
            data,
            cname,
        })
    }
}

/// Decodes the rdata at `start..end` (RFC 1035 §3.3, §3.4; RFC 3596 §2.2 for AAAA).
/// Embedded names may be compressed but must end exactly at `end`.
fn rdata(
    packet: &[u8],
    type_code: u16,
    start: usize,
    end: usize,
) -> Result<(RecordData, Option<Name>), WireError> {
    let bytes = &packet[start..end];
    let bad = |reason| WireError::BadRdata {
        type_code,
        offset: start,
        reason,
    };
    let name_at = |offset: usize| -> Result<Name, WireError> {
        let (name, next) = Name::read(packet, offset)?;
        match next.cmp(&end) {
            std::cmp::Ordering::Equal => Ok(name),
            std::cmp::Ordering::Less => Err(bad("octets after the name")),
            std::cmp::Ordering::Greater => Err(bad("name runs past RDLENGTH")),
        }
    };
    let Some(record_type) = RecordType::from_code(type_code) else {
        return Ok((RecordData::Other { type_code }, None));
    };
    Ok(match record_type {
        RecordType::A => {
            let octets: [u8; 4] = bytes
                .try_into()
                .map_err(|_| bad("A rdata is not 4 octets"))?;
            (RecordData::A(Ipv4Addr::from(octets)), None)
        }
        RecordType::Aaaa => {
            let octets: [u8; 16] = bytes
                .try_into()
                .map_err(|_| bad("AAAA rdata is not 16 octets"))?;
            (RecordData::Aaaa(Ipv6Addr::from(octets)), None)
        }
        RecordType::Mx => {
            let [hi, lo, ..] = *bytes else {
                return Err(bad("MX rdata shorter than its preference"));
            };
            let exchange = name_at(start + 2)?;
            let preference = u16::from_be_bytes([hi, lo]);
            (
                RecordData::Mx {
                    preference,
                    exchange: exchange.to_text(),
                },
                None,
            )
        }
        RecordType::Srv => {
            // RFC 2782: priority, weight, port (16 bits each), then the target name.
            let [p1, p2, w1, w2, o1, o2, ..] = *bytes else {
                return Err(bad("SRV rdata shorter than its numbers"));
            };
            let target = name_at(start + 6)?;
            (
                RecordData::Srv {
                    priority: u16::from_be_bytes([p1, p2]),
                    weight: u16::from_be_bytes([w1, w2]),
                    port: u16::from_be_bytes([o1, o2]),
                    target: target.to_text(),
                },
                None,
            )
        }
        RecordType::Txt => {
            // RFC 1035 §3.3.14: one or more <character-string>s, each a length octet and
            // that many octets (§3.3). Kept apart, as bytes.
            let mut strings = Vec::new();
            let mut rest = bytes;
            while let Some((&len, tail)) = rest.split_first() {
                let len = usize::from(len);
                if tail.len() < len {
                    return Err(bad("TXT character-string runs past RDLENGTH"));
                }
                strings.push(tail[..len].to_vec());
                rest = &tail[len..];
            }
            (RecordData::Txt(strings), None)
        }
        RecordType::Ptr => (RecordData::Ptr(name_at(start)?.to_text()), None),
        RecordType::Ns => (RecordData::Ns(name_at(start)?.to_text()), None),
        RecordType::Cname => {
            let target = name_at(start)?;
            (RecordData::Cname(target.to_text()), Some(target))
        }
        RecordType::Soa => (RecordData::Other { type_code }, None),
    })
}
