//! Parser cost on hostile input (issue 13 part 4): every parser of untrusted input and the
//! report builder on inputs of 1 KiB to 1 MiB built to be as expensive as possible, per sending
//! IP and per include. Prints a Markdown table of milliseconds (the best of a few runs), so a
//! quadratic spot shows as a row that grows 16-fold per 4-fold step instead of 4-fold.
//!
//! ```text
//! cargo run --release -p postcheck-fuzz-targets --example parser_cost [-- MAX_KIB [ROW]]
//! ```
//!
//! The figures in ROBUSTNESS.md come from this command.

use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use postcheck_core::fetch::FetchResult;
use postcheck_core::report::{CheckInput, Snapshot, build_report};
use postcheck_core::spf::macros::{MacroValues, expand};
use postcheck_core::spf::parse::{MacroContext, parse_bytes, parse_macro_string, parse_strings};
use postcheck_core::{bounce, dkim, dmarc, headers};
use std::hint::black_box;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Repeats `unit` after `prefix` until the text is `size` bytes (cut at a unit boundary).
fn filled(prefix: &str, unit: &str, size: usize) -> String {
    let mut text = prefix.to_owned();
    while text.len() + unit.len() <= size {
        text.push_str(unit);
    }
    text
}

/// TXT character-strings of at most 255 octets (RFC 1035 §3.3.14), cut anywhere.
fn txt(text: &str) -> Vec<Vec<u8>> {
    text.as_bytes().chunks(255).map(<[u8]>::to_vec).collect()
}

/// The best of `runs` timings of `work`, in milliseconds.
fn time(runs: usize, mut work: impl FnMut()) -> f64 {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        work();
        best = best.min(start.elapsed());
    }
    best.as_secs_f64() * 1000.0
}

/// A snapshot holding `records` (name → TXT text) where every other query the report asks is
/// NXDOMAIN and every fetch failed, so that `build_report` completes on it.
fn complete_snapshot(input: &CheckInput, records: &[(String, String)]) -> Snapshot {
    let mut answers = AnswerCache::default();
    for (name, text) in records {
        answers.insert(
            Query::new(name, RecordType::Txt),
            Answer::records(vec![RecordData::Txt(txt(text))]),
        );
    }
    let mut snapshot = Snapshot {
        answers,
        ..Snapshot::default()
    };
    for _round in 0..32 {
        match build_report(input, &snapshot) {
            Ok(_) => return snapshot,
            Err(needs) => {
                for query in needs.queries {
                    snapshot.answers.insert(query, Answer::Nxdomain);
                }
                for url in needs.fetches {
                    let reason = "benchmark".to_owned();
                    snapshot.fetches.insert(url, FetchResult::Failed { reason });
                }
            }
        }
    }
    panic!("the report did not complete in 32 rounds");
}

fn input(domain: &str, ips: usize, selectors: usize) -> CheckInput {
    CheckInput {
        domain: domain.to_owned(),
        ips: (0..ips)
            .map(|i| IpAddr::from([192, 0, 2, 200 + i as u8]))
            .collect(),
        dkim_selectors: (0..selectors).map(|i| format!("s{i}")).collect(),
        timestamp: 1_795_424_400,
        ..CheckInput::default()
    }
}

fn main() {
    let max_kib: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1024);
    // Only the rows whose name contains this text (all without it).
    let only = std::env::args().nth(2).unwrap_or_default();
    let sizes: Vec<usize> = [1, 4, 16, 64, 256, 1024]
        .into_iter()
        .filter(|kib| *kib <= max_kib)
        .collect();
    // Each row: a name and the work for an input of `size` bytes, set up outside the timing.
    type Row = (&'static str, Box<dyn Fn(usize) -> Box<dyn FnMut()>>);
    let rows: Vec<Row> = vec![
        (
            "SPF parse, invalid terms",
            Box::new(|size| {
                let record = filled("v=spf1", " ipv4:192.0.2.1", size);
                Box::new(move || {
                    black_box(parse_bytes(record.as_bytes()));
                })
            }),
        ),
        (
            "SPF parse of TXT strings, invalid terms",
            Box::new(|size| {
                let strings = txt(&filled("v=spf1", " ipv4:192.0.2.1", size));
                Box::new(move || {
                    black_box(parse_strings(&strings));
                })
            }),
        ),
        (
            "SPF parse, one term of %{p} macros",
            Box::new(|size| {
                let record = filled("v=spf1 exists:", "%{p}", size - 12) + ".example.com";
                Box::new(move || {
                    black_box(parse_bytes(record.as_bytes()));
                })
            }),
        ),
        (
            "SPF macro expansion, long delimiter lists",
            Box::new(|size| {
                let text = filled("", "%{l.-+,/_=.-+,/_=.-+,/_=.-+,/_=}", size);
                let pieces = parse_macro_string(&text, MacroContext::DomainSpec).unwrap();
                let sender = format!("{}@example.com", "a.b-c+d".repeat(9));
                Box::new(move || {
                    let values = MacroValues {
                        sender: &sender,
                        local_part: &sender[..63],
                        sender_domain: "example.com",
                        domain: "example.com",
                        ip: IpAddr::from([192, 0, 2, 1]),
                        helo: "mx.example.com",
                        receiver: "receiver.example",
                        timestamp: 0,
                        validated_name: None,
                    };
                    black_box(expand(&pieces, &values));
                })
            }),
        ),
        (
            "SPF macro-string",
            Box::new(|size| {
                let text = filled("", "%{ir}.%{l1r-}.", size);
                Box::new(move || {
                    black_box(parse_macro_string(&text, MacroContext::DomainSpec).is_ok());
                })
            }),
        ),
        (
            "build_report, invalid record, 1 IP",
            Box::new(|size| {
                let input = input("hostile.test", 1, 0);
                let record = filled("v=spf1", " ipv4:192.0.2.1", size);
                let snapshot = complete_snapshot(&input, &[("hostile.test".into(), record)]);
                Box::new(move || {
                    black_box(build_report(&input, &snapshot).is_ok());
                })
            }),
        ),
        (
            "build_report, invalid record, 8 IPs",
            Box::new(|size| {
                let input = input("hostile.test", 8, 0);
                let record = filled("v=spf1", " ipv4:192.0.2.1", size);
                let snapshot = complete_snapshot(&input, &[("hostile.test".into(), record)]);
                Box::new(move || {
                    black_box(build_report(&input, &snapshot).is_ok());
                })
            }),
        ),
        (
            "build_report, 8 includes of that size, 4 IPs",
            Box::new(|size| {
                let input = input("hostile.test", 4, 0);
                let mut records = Vec::new();
                let mut root = "v=spf1".to_owned();
                for include in 0..8 {
                    let name = format!("i{include}.hostile.test");
                    root.push_str(&format!(" include:{name}"));
                    // Valid terms that match none of the IPs: every one is evaluated.
                    records.push((name, filled("v=spf1", " ip4:198.51.100.7", size)));
                }
                root.push_str(" -all");
                records.push(("hostile.test".into(), root));
                let snapshot = complete_snapshot(&input, &records);
                Box::new(move || {
                    black_box(build_report(&input, &snapshot).is_ok());
                })
            }),
        ),
        (
            "build_report, 1 IP, a selector per 8 bytes",
            Box::new(|size| {
                let input = input("hostile.test", 1, size / 8);
                let snapshot = complete_snapshot(&input, &[]);
                Box::new(move || {
                    black_box(build_report(&input, &snapshot).is_ok());
                })
            }),
        ),
        (
            "build_report, empty snapshot, a selector per 8 bytes",
            Box::new(|size| {
                // What a share link without answers costs: every query is named in `Needs`.
                let input = input("hostile.test", 1, size / 8);
                let snapshot = Snapshot::default();
                Box::new(move || {
                    black_box(build_report(&input, &snapshot).is_err());
                })
            }),
        ),
        (
            "DMARC parse",
            Box::new(|size| {
                let record = filled(
                    "v=DMARC1; p=none; rua=mailto:a@example.com",
                    ",mailto:r@x.example;x=y",
                    size,
                );
                Box::new(move || {
                    black_box(dmarc::parse::parse(&record));
                })
            }),
        ),
        (
            "DKIM key record parse",
            Box::new(|size| {
                let record = filled("v=DKIM1; k=rsa; p=", "MIIB", size);
                Box::new(move || {
                    black_box(dkim::parse::parse(&record));
                })
            }),
        ),
        (
            "headers analyze",
            Box::new(|size| {
                let text = filled(
                    "From: a@example.com\r\nAuthentication-Results: mx.example; spf=pass\r\n",
                    "Received: from a by b; Mon, 23 Nov 2026 10:00:00 +0100\r\n",
                    size,
                );
                Box::new(move || {
                    black_box(headers::analyze(&text));
                })
            }),
        ),
        (
            "Authentication-Results",
            Box::new(|size| {
                let value = filled(
                    "mx.example;",
                    " spf=pass (a) smtp.mailfrom=x.example;",
                    size,
                );
                Box::new(move || {
                    black_box(headers::parse_auth_results(&value));
                })
            }),
        ),
        (
            "bounce analyze",
            Box::new(|size| {
                let text = filled(
                    "Final-Recipient: rfc822; a@example.com\nStatus: 5.7.26\n",
                    "550 5.7.26 unauthenticated mail from 192.0.2.1 <x@example.com>\n",
                    size,
                );
                Box::new(move || {
                    black_box(bounce::analyze(&text));
                })
            }),
        ),
        (
            "bounce analyze, bounces forwarded in bounces",
            Box::new(|size| {
                let text = filled(
                    "",
                    "Words.\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@x.example>\n\
                     Return-Path: <>\nMessage-Id: <1@x.example>\n\n",
                    size,
                );
                Box::new(move || {
                    black_box(bounce::analyze(&text));
                })
            }),
        ),
        (
            "bounce analyze, a forward quoted line by line",
            Box::new(|size| {
                let text = filled(
                    "Subject: Fwd: failure\n\nBegin forwarded message:\n",
                    ">>> Final-Recipient: rfc822; a@example.com\n",
                    size,
                );
                Box::new(move || {
                    black_box(bounce::analyze(&text));
                })
            }),
        ),
        (
            "DNS wire decode",
            Box::new(|size| {
                // One TXT answer after another, each name a compression pointer.
                let count = (size.saturating_sub(29) / 22).min(u16::MAX as usize);
                let mut packet = vec![0, 0, 0x81, 0x80, 0, 1];
                packet.extend_from_slice(&(count as u16).to_be_bytes());
                packet.extend_from_slice(&[0, 0, 0, 0]);
                packet.extend_from_slice(b"\x07example\x03com\x00\x00\x10\x00\x01");
                for _ in 0..count {
                    packet.extend_from_slice(b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x01\x2c\x00\x0a");
                    packet.extend_from_slice(b"\x09v=spf1 mx");
                }
                let query = Query::new("example.com", RecordType::Txt);
                Box::new(move || {
                    black_box(postcheck_dns::decode_response(&packet, &query).is_ok());
                })
            }),
        ),
        (
            "gateway canonical_json",
            Box::new(|size| {
                let body = filled(
                    "{\"a\":[0",
                    ",{\"k\":1.5e300,\"b\":-0.0,\"n\":18446744073709551616}",
                    size,
                ) + "]}";
                Box::new(move || {
                    black_box(postcheck_gateway::snapshot::canonical_json(body.as_bytes()).is_ok());
                })
            }),
        ),
    ];
    print!("| input (ms, best of 3) |");
    for kib in &sizes {
        print!(" {kib} KiB |");
    }
    println!();
    println!("|---|{}", "---:|".repeat(sizes.len()));
    for (name, setup) in rows.iter().filter(|(name, _)| name.contains(&only)) {
        print!("| {name} |");
        for kib in &sizes {
            let mut work = setup(kib * 1024);
            print!(" {:.2} |", time(3, &mut *work));
            use std::io::Write as _;
            std::io::stdout().flush().ok();
        }
        println!();
    }
}
