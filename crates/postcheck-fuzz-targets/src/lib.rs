//! The bodies of postcheck's fuzz targets: one function per parser that reads untrusted input.
//!
//! Each function takes the fuzzer's bytes, runs one parser on them and asserts cheap invariants
//! (no panic; every span lies inside its text and on character boundaries; canonical JSON is a
//! fixed point). The libFuzzer crate in `fuzz/` (nightly, not part of this workspace) calls them
//! through [`TARGETS`], and `tests/replay.rs` replays `fuzz/corpus/<target>/*` and
//! `fuzz/artifacts/<target>/*` through the same functions on stable, so every input a campaign
//! kept or crashed on is a regression test of the ordinary test command.

use postcheck_core::dns::name::is_queryable_name;
use postcheck_core::dns::{Answer, Query, RecordType};
use postcheck_core::fetch::FetchResult;
use postcheck_core::findings::{Finding, Span};
use postcheck_core::messages::Lang;
use postcheck_core::report::{CheckInput, SignedSnapshot, Snapshot, build_report};
use postcheck_core::spf::macros::{MacroValues, expand, truncate_domain};
use postcheck_core::spf::parse::{MacroContext, parse_macro_string};
use postcheck_core::{bounce, dkim, dmarc, headers, spf};
use postcheck_gateway::request::Limits;
use postcheck_gateway::{report as gateway_report, snapshot};

/// A target's body: the fuzzer's bytes in, a panic for a bug.
pub type Body = fn(&[u8]);

/// Every target by the name of its `fuzz/fuzz_targets/<name>.rs` and corpus folder.
pub const TARGETS: &[(&str, Body)] = &[
    ("spf_record", spf_record),
    ("spf_macros", spf_macros),
    ("dmarc_record", dmarc_record),
    ("dkim_key_record", dkim_key_record),
    ("dkim_signature", dkim_signature),
    ("dns_wire", dns_wire),
    ("bounce", bounce),
    ("headers", headers),
    ("authentication_results", authentication_results),
    ("rfc5322_date", rfc5322_date),
    ("gateway_requests", gateway_requests),
    ("snapshot_report", snapshot_report),
    ("smtp_replies", smtp_replies),
    ("smtp_settings", smtp_settings),
    ("smtp_dialogue", smtp_dialogue),
    ("recipient_list", recipient_list),
    ("reports", reports),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Body> {
    TARGETS
        .iter()
        .find(|(target, _)| *target == name)
        .map(|(_, body)| *body)
}

/// A span must lie inside `text` and start and end on character boundaries, so that slicing
/// `text` with it (as the page's highlighter and every message do) cannot panic.
pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {}..{} outside a text of {} bytes",
        span.start,
        span.end,
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {}..{} inside a character",
        span.start,
        span.end
    );
}

fn assert_finding_spans(text: &str, findings: &[Finding]) {
    for finding in findings {
        if let Some(span) = finding.span {
            assert_span(text, span, finding.code.as_str());
        }
    }
}

/// The fuzzer's bytes as TXT character-strings: a 0x00 byte separates two strings.
fn txt_strings(data: &[u8]) -> Vec<Vec<u8>> {
    data.split(|byte| *byte == 0).map(<[u8]>::to_vec).collect()
}

/// An SPF record (RFC 7208) from its TXT strings: spans of terms, macro-strings and findings.
pub fn spf_record(data: &[u8]) {
    let record = spf::parse::parse_strings(&txt_strings(data));
    for term in &record.terms {
        assert_span(&record.text, term.span, "term");
        let _ = record.term_text(term);
    }
    for (term, directive) in record.directives() {
        assert_span(&record.text, term.span, directive.mechanism.name());
    }
    assert_finding_spans(&record.text, &record.diagnostics);
    for boundary in &record.string_boundaries {
        assert!(*boundary <= record.text.len());
    }
    let _ = record.has_errors();
}

/// A macro-string (RFC 7208 §7) in both contexts, expanded when it parses.
pub fn spf_macros(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for context in [MacroContext::DomainSpec, MacroContext::Explanation] {
        match parse_macro_string(&text, context) {
            Ok(pieces) => {
                let values = MacroValues {
                    sender: "strong-bad@email.example.com",
                    local_part: "strong-bad",
                    sender_domain: "email.example.com",
                    domain: "email.example.com",
                    ip: "2001:db8::cb01".parse().expect("an address"),
                    helo: "mx.example.org",
                    receiver: "receiver.example",
                    timestamp: u64::MAX,
                    validated_name: Some("mail.example.com"),
                };
                let expanded = expand(&pieces, &values);
                let truncated = truncate_domain(&expanded);
                let _ = is_queryable_name(&truncated, true);
            }
            Err(error) => assert_span(&text, Span::new(error.start, error.end), "macro error"),
        }
    }
}

/// A DMARC record (RFC 7489 §6.3, RFC 9989): tag, URI and finding spans.
pub fn dmarc_record(data: &[u8]) {
    let text = postcheck_core::dns::join_txt_lossy(&txt_strings(data));
    let record = dmarc::parse::parse(&text);
    for (index, tag) in record.tags.iter().enumerate() {
        assert_span(&record.text, tag.span, "tag");
        assert_span(&record.text, tag.value_span, "tag value");
        let _ = record.tag_text(index);
    }
    for uri in record.rua.iter().chain(record.ruf.iter()).flatten() {
        assert_span(&record.text, uri.span, "report uri");
    }
    assert_finding_spans(&record.text, &record.diagnostics);
}

/// A DKIM key record (RFC 6376 §3.6.1), its base64 and DER key included.
pub fn dkim_key_record(data: &[u8]) {
    let text = postcheck_core::dns::join_txt_lossy(&txt_strings(data));
    let _ = dkim::parse::is_key_record(&text);
    let record = dkim::parse::parse(&text);
    for (index, tag) in record.tags.iter().enumerate() {
        assert_span(&record.text, tag.span, "tag");
        assert_span(&record.text, tag.value_span, "tag value");
        let _ = record.tag_text(index);
    }
    assert_finding_spans(&record.text, &record.diagnostics);
    if let Ok(bytes) = dkim::key::decode_base64(&text) {
        for key_type in [dkim::KeyType::Rsa, dkim::KeyType::Ed25519] {
            let _ = dkim::key::decode_key(key_type, &bytes);
        }
    }
    let _ = dkim::normalize_selector(&text);
}

/// A DKIM-Signature header value (RFC 6376 §3.5), as the header analysis reads it.
pub fn dkim_signature(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = headers::parse_dkim_signature(&text);
}

/// What an SMTP server sends (RFC 5321 §4.2), read by the bounded reply reader in pieces as a
/// socket would hand them over, each reply's EHLO capabilities, and the same bytes as a pasted
/// reply for the explanations.
pub fn smtp_replies(data: &[u8]) {
    use postcheck_core::smtp::explain::ServerReply;
    use postcheck_core::smtp::reply::{Capabilities, MAX_LINE_LENGTH, ReplyReader};
    let mut reader = ReplyReader::new();
    for piece in data.chunks(97) {
        reader.push(piece);
        while let Some(Ok(reply)) = reader.next_reply() {
            assert!((200..600).contains(&reply.code), "{}", reply.code);
            // Bounded on the wire; a byte that is no UTF-8 is kept as U+FFFD (three bytes).
            assert!(
                reply
                    .lines
                    .iter()
                    .all(|line| line.len() <= 3 * MAX_LINE_LENGTH)
            );
            let _ = Capabilities::from_ehlo(&reply);
            let _ = reply.text();
        }
    }
    if let Some(reply) = ServerReply::parse(&String::from_utf8_lossy(data)) {
        let _ = reply.shown();
    }
}

/// The SMTP client dialogue (RFC 5321, RFC 3207, RFC 4954) against whatever a server sends:
/// the first byte picks the encryption, whether credentials and a test mail are configured and
/// how each requested TLS handshake ends; the rest arrives in pieces of 61 bytes. Then the
/// connection closes. The password may appear in no report, event or transcript; the
/// observations and their findings must render completely in both languages.
pub fn smtp_dialogue(data: &[u8]) {
    use postcheck_core::messages::{message, missing_params};
    use postcheck_core::smtp::dialogue::{
        Credentials, Dialogue, DialogueConfig, TestMail, TlsInfo,
    };
    use postcheck_core::smtp::explain::{Observation, explain};
    use postcheck_core::smtp::settings::Security;
    const PASSWORD: &str = "fuzz-s3cret-pw";
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let security = match flags % 3 {
        0 => Security::StartTls,
        1 => Security::Tls,
        _ => Security::Plain,
    };
    let config = DialogueConfig {
        credentials: (flags & 0x04 != 0).then(|| Credentials::new("user@example.org", PASSWORD)),
        allow_plaintext_auth: flags & 0x08 != 0,
        test_mail: (flags & 0x10 != 0).then(|| TestMail {
            from: "user@example.org".to_owned(),
            to: "rcpt@example.net".to_owned(),
            subject: "Test ä".to_owned(),
            body: "Hello\n.\nend".to_owned(),
            date: "Tue, 1 Jul 2025 10:00:00 +0200".to_owned(),
            message_id: "<1@example.org>".to_owned(),
        }),
        ..DialogueConfig::new("client.example.org", security)
    };
    let mut dialogue = Dialogue::new(config).expect("a valid configuration");
    let mut handshakes = 0u32;
    let check = |dialogue: &mut Dialogue| {
        while let Some(bytes) = dialogue.poll_transmit() {
            // The password leaves only base64-encoded inside AUTH.
            assert!(!String::from_utf8_lossy(&bytes).contains(PASSWORD));
        }
        while let Some(event) = dialogue.poll_event() {
            assert!(!format!("{event:?}").contains(PASSWORD));
        }
    };
    for piece in rest.chunks(61) {
        check(&mut dialogue);
        if dialogue.wants_tls_handshake() {
            handshakes += 1;
            let verified = flags & 0x20 == 0;
            if flags & 0x40 != 0 && handshakes == 1 {
                dialogue.tls_failed("handshake failure");
            } else {
                dialogue.tls_established(TlsInfo {
                    protocol: "TLSv1.3".to_owned(),
                    cipher_suite: None,
                    certificate_verified: verified,
                    certificate_expiry: None,
                    chain_problem: (!verified).then(|| "expired".to_owned()),
                });
            }
            check(&mut dialogue);
        }
        dialogue.handle_input(piece);
    }
    check(&mut dialogue);
    dialogue.closed();
    check(&mut dialogue);
    assert!(dialogue.is_done());
    let report = dialogue.into_report();
    assert!(!format!("{report:?}").contains(PASSWORD));
    let observations = Observation::from_session(&report);
    for port in [25, 465, 587] {
        for finding in explain(&observations, port, security) {
            for &lang in Lang::ALL {
                assert!(
                    missing_params(&finding, lang).is_empty(),
                    "{} {lang:?}: {:?}",
                    finding.code,
                    missing_params(&finding, lang)
                );
                let _ = message(&finding, lang);
            }
        }
    }
}

/// A pasted recipient list, read as lines and as a CSV column; every address checked against
/// answers that say the domain has MX records. Every row's findings render in both
/// languages, and a suggestion is never the domain itself.
pub fn recipient_list(data: &[u8]) {
    use postcheck_core::dns::{Answer, AnswerCache, RecordData};
    use postcheck_core::messages::{message, missing_params};
    use postcheck_core::recipients::{self, Column};
    let text = String::from_utf8_lossy(data);
    let to_ascii = |name: &str| name.is_ascii().then(|| name.to_ascii_lowercase());
    for column in [
        Column::Any,
        Column::Index(1),
        Column::Header("mail".to_owned()),
    ] {
        let Ok((entries, _)) = recipients::read_list(&text, &column) else {
            continue;
        };
        let mut cache = AnswerCache::new();
        for domain in recipients::domains(&entries, &to_ascii) {
            for query in recipients::domain_queries(&domain) {
                cache.insert(
                    query,
                    Answer::records(vec![RecordData::Mx {
                        preference: 10,
                        exchange: "mx.example.net".to_owned(),
                    }]),
                );
            }
        }
        let report = recipients::check(&entries, 0, &cache, &to_ascii)
            .expect("every domain's MX is answered");
        assert_eq!(report.rows.len(), entries.len());
        for row in &report.rows {
            if let (Some(suggestion), Some(address)) = (&row.suggestion, &row.address) {
                assert_ne!(suggestion, &address.domain);
            }
            for finding in &row.findings {
                for &lang in Lang::ALL {
                    assert!(missing_params(finding, lang).is_empty(), "{}", finding.code);
                    let _ = message(finding, lang);
                }
            }
        }
    }
}

/// The received-reports reader: any bytes as one report file (gzip, zip, XML, JSON or a mail,
/// told by content), then the merged analysis, its CSV and every finding's text in both
/// languages. The counts must add up: a domain's senders hold all its messages.
pub fn reports(data: &[u8]) {
    use postcheck_core::messages::{message, missing_params};
    use postcheck_core::reports::{self, read_file};
    let file = read_file(0, "fuzz", data);
    let analysis = reports::analyze(std::slice::from_ref(&file));
    for finding in analysis.findings.iter().chain(&analysis.problems) {
        if let Some(span) = finding.span {
            assert!(span.start <= span.end, "{}", finding.code);
        }
        for &lang in Lang::ALL {
            assert!(
                missing_params(finding, lang).is_empty(),
                "{}: {:?}",
                finding.code,
                missing_params(finding, lang)
            );
            let _ = message(finding, lang);
        }
    }
    for domain in &analysis.domains {
        assert!(domain.dmarc_pass <= domain.messages);
        let grouped: u64 = domain.groups.iter().map(|group| group.messages).sum();
        let by_ip: u64 = domain.sources.iter().map(|source| source.messages).sum();
        assert_eq!(grouped, domain.messages, "{}", domain.domain);
        assert_eq!(by_ip, domain.messages, "{}", domain.domain);
    }
    let _ = reports::to_csv(&analysis);
}

/// The settings readers: an autoconfig file (`config-v1.1.xml`) and SRV record data (RFC 2782),
/// line by line.
pub fn smtp_settings(data: &[u8]) {
    use postcheck_core::smtp::settings::{SrvRecord, parse_autoconfig};
    let text = String::from_utf8_lossy(data);
    let _ = parse_autoconfig(&text);
    for line in text.lines().take(64) {
        let _ = SrvRecord::parse(line);
    }
}

/// A DNS response (RFC 1035, EDNS0) to a TXT, MX and PTR query.
pub fn dns_wire(data: &[u8]) {
    for (name, record_type) in [
        ("example.com", RecordType::Txt),
        ("example.com", RecordType::Mx),
        ("1.2.0.192.in-addr.arpa", RecordType::Ptr),
    ] {
        let _ = postcheck_dns::decode_response(data, &Query::new(name, record_type));
    }
}

/// A pasted bounce (RFC 3464 DSN or provider text).
pub fn bounce(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let bounce = bounce::analyze(&text);
    let _ = bounce.finding.code.as_str();
}

/// Pasted headers or a whole message: every part of the header analysis, and the same bytes
/// as a message the test address received (its delivering IP, the check it asks for, and the
/// DMARC judgement against a policy).
pub fn headers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let report = headers::analyze(&text);
    for hop in &report.hops {
        if let (Some(delay), Some(time)) = (hop.delay, hop.time) {
            // A delay is the difference of two read times, never a wrapped one.
            assert!(time.checked_sub(delay).is_some());
        }
    }
    let received = postcheck_core::received::Received::read(&text, "bounce@example.com");
    assert_eq!(received.ip, report.hops.last().and_then(|hop| hop.ip));
    let _ = received.check_input(0);
    let signed: Vec<&str> = received
        .signatures
        .iter()
        .map(|(d, _)| d.as_str())
        .collect();
    let policy = dmarc::DmarcSection {
        policy: Some(dmarc::parse::Policy::Reject),
        ..dmarc::DmarcSection::default()
    };
    let _ = received.dmarc(&signed, Some(spf::SpfResult::Pass), &policy);
}

/// One Authentication-Results header value (RFC 8601).
pub fn authentication_results(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = headers::parse_auth_results(&text);
}

/// An RFC 5322 date-time, alone and as the date of a Received header.
pub fn rfc5322_date(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(seconds) = headers::date::parse_date(&text) {
        assert!(
            (headers::date::EARLIEST..=headers::date::LATEST).contains(&seconds),
            "{seconds} outside the supported years"
        );
    }
    let _ = headers::parse_received(&format!("from a by b; {text}"));
}

const SECRET: &[u8] = b"fuzzing-secret-of-thirty-two-octets!";

/// The gateway's request bodies: `/api/dns` batches, `/api/report`, `/api/verify` and
/// `/api/report/continue`, plus the canonical JSON the signatures cover.
pub fn gateway_requests(data: &[u8]) {
    let limits = Limits {
        max_body_bytes: 1 << 20,
        max_snapshot_bytes: 1 << 20,
        ..Limits::default()
    };
    let now = 1_795_424_400;
    let _ = postcheck_gateway::request::parse_batch(data, &limits);
    let _ = gateway_report::parse_report_request(data, &limits, now);
    let _ = snapshot::verify_snapshot(SECRET, data, &limits);
    let _ = gateway_report::parse_continuation(SECRET, data, &limits, now);
    if let Ok(canonical) = snapshot::canonical_json(data) {
        // The canonical form is a fixed point: canonicalizing it again changes nothing.
        let again =
            snapshot::canonical_json(canonical.as_bytes()).expect("the canonical form is JSON");
        assert_eq!(canonical, again, "canonical JSON is not stable");
    }
    // A snapshot the gateway signed itself must verify and continue.
    if let Ok(signed) = serde_json::from_slice::<SignedSnapshot>(data)
        && let Ok(resigned) = snapshot::sign_snapshot(SECRET, signed.input, signed.snapshot, now)
    {
        let body = serde_json::to_vec(&resigned).expect("a snapshot serializes");
        assert_eq!(
            snapshot::verify_snapshot(SECRET, &body, &limits),
            Ok(true),
            "a freshly signed snapshot does not verify"
        );
        assert!(gateway_report::parse_continuation(SECRET, &body, &limits, now).is_ok());
    }
}

/// A snapshot from a share link (a `SignedSnapshot` as JSON) through `build_report`, then the
/// report localized as the page shows it.
pub fn snapshot_report(data: &[u8]) {
    let Ok(signed) = serde_json::from_slice::<SignedSnapshot>(data) else {
        // Also a bare `{"input":…,"snapshot":…}` pair, as the planner's tests write them.
        #[derive(serde::Deserialize)]
        struct Pair {
            input: CheckInput,
            snapshot: Snapshot,
        }
        if let Ok(pair) = serde_json::from_slice::<Pair>(data) {
            report_of(&pair.input, &pair.snapshot);
        }
        return;
    };
    report_of(&signed.input, &signed.snapshot);
}

/// The report of a snapshot. A snapshot that lacks answers is completed the way a driver would
/// (every missing name does not exist, every fetch fails) for a few rounds, so that the fuzzer
/// reaches the report on most inputs rather than stopping at the first missing answer.
fn report_of(input: &CheckInput, snapshot: &Snapshot) {
    let mut snapshot = snapshot.clone();
    for _round in 0..MAX_ROUNDS {
        match build_report(input, &snapshot) {
            Ok(report) => {
                for lang in [Lang::De, Lang::En] {
                    let _ = serde_json::to_string(&report.localized(lang));
                }
                let _ = postcheck_core::report::other_records(&report);
                return;
            }
            Err(needs) => {
                for query in needs.queries {
                    snapshot.answers.insert(query, Answer::Nxdomain);
                }
                for url in needs.fetches {
                    let reason = "not fetched while fuzzing".to_owned();
                    snapshot.fetches.insert(url, FetchResult::Failed { reason });
                }
            }
        }
    }
}

/// The planner's longest dependency chain is far shorter (the SPF limit of 10 lookups, §4.6.4).
const MAX_ROUNDS: usize = 24;
