//! Parsers under hostile input (issue 13 part 4, found by an outside fuzzing harness): huge
//! records parse in one pass, out-of-range dates are no overflow, spans never cut a character,
//! and selectors are de-duplicated without a scan per selector. No timings here (those live in
//! bench/parser_cost.rs and ROBUSTNESS.md): the tests count results and run inputs of 1 MiB,
//! which the quadratic versions could not finish in a test run.

use postcheck_core::dkim::{NamedSelector, SelectorSource, check_dkim};
use postcheck_core::dns::AnswerCache;
use postcheck_core::findings::{Code, Severity};
use postcheck_core::headers;
use postcheck_core::spf::parse::{
    DIAGNOSTIC_LIMIT, MacroContext, SpfRecord, parse_bytes, parse_macro_string, parse_strings,
};

/// `v=spf1` and `unit` repeated up to `size` bytes.
fn record(unit: &str, size: usize) -> String {
    let mut text = "v=spf1".to_owned();
    while text.len() + unit.len() <= size {
        text.push_str(unit);
    }
    text
}

/// Issue 13 part 4: `flag_split_strings` scanned every finding for every term. A megabyte of
/// invalid terms in 255-octet strings parses in one pass; the first `DIAGNOSTIC_LIMIT` problems
/// are listed with their spans and the rest are counted in one `spf-findings-capped`, an error
/// like them, so the record stays a permerror and no reader pays per broken term.
#[test]
fn a_megabyte_spf_record_of_invalid_terms_in_txt_strings() {
    let text = record(" ipv4:192.0.2.1", 1 << 20);
    let strings: Vec<Vec<u8>> = text.as_bytes().chunks(255).map(<[u8]>::to_vec).collect();
    let parsed = parse_strings(&strings);
    let terms = parsed.terms.len();
    assert_eq!(terms, (text.len() - "v=spf1".len()) / 15);
    let check = |parsed: &SpfRecord| {
        let (listed, summary) = parsed.diagnostics.split_at(DIAGNOSTIC_LIMIT);
        for (finding, term) in listed.iter().zip(&parsed.terms) {
            assert_eq!(finding.code, Code::SpfUnknownMechanism);
            assert_eq!(finding.span, Some(term.span));
        }
        let [summary] = summary else {
            panic!("{} findings after the listed ones", summary.len())
        };
        assert_eq!(summary.code, Code::SpfFindingsCapped);
        assert_eq!(summary.severity, Severity::Error);
        assert!(parsed.has_errors());
        summary.param("count").parse::<usize>().unwrap()
    };
    // Every term past the listed ones is counted, and the split terms among the listed ones
    // (a boundary not on a space or a term's first byte) with them.
    let counted = check(&parsed);
    let cut_listed = parsed
        .string_boundaries
        .iter()
        .filter(|&&boundary| boundary < parsed.terms[DIAGNOSTIC_LIMIT - 1].span.end)
        .filter(|&&boundary| {
            let bytes = text.as_bytes();
            bytes[boundary] != b' ' && bytes[boundary - 1] != b' '
        })
        .count();
    assert!(cut_listed > 0);
    assert_eq!(counted, terms - DIAGNOSTIC_LIMIT + cut_listed);
    // Without string boundaries: the same terms, nothing split.
    let joined = parse_bytes(text.as_bytes());
    assert_eq!(joined.terms.len(), terms);
    assert_eq!(check(&joined), terms - DIAGNOSTIC_LIMIT);
}

/// A record of warnings only stays without errors when they are counted: the summary is as
/// severe as the worst finding it counts, not an error by itself.
#[test]
fn counted_warnings_do_not_make_a_permerror() {
    let text = record(" ptr", 4096);
    let parsed = parse_bytes(text.as_bytes());
    let summary = parsed.diagnostics.last().unwrap();
    assert_eq!(parsed.diagnostics.len(), DIAGNOSTIC_LIMIT + 1);
    assert_eq!(summary.code, Code::SpfFindingsCapped);
    assert_eq!(summary.severity, Severity::Warning);
    assert!(!parsed.has_errors());
    assert_eq!(
        summary.param("count"),
        (parsed.terms.len() - DIAGNOSTIC_LIMIT).to_string()
    );
}

/// Issue 13 part 4: every `%{p}` of a macro-string made its own `spf-ptr-deprecated`, each
/// with a copy of the term: a 64 KiB term of them was 16 000 copies of 64 KiB. One finding per
/// macro-string says the same.
#[test]
fn a_term_of_many_ptr_macros_is_one_finding() {
    let term = format!("exists:{}.example.com", "%{p}".repeat(16_000));
    let parsed = parse_bytes(format!("v=spf1 {term} -all").as_bytes());
    let ptr: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::SpfPtrDeprecated)
        .collect();
    assert_eq!(ptr.len(), 1);
    assert_eq!(ptr[0].param("term"), term);
}

/// Issue 13 part 4: a `MacroError` span pointed inside a multi-byte character, so slicing the
/// macro-string with it panicked. Both ends are character boundaries now.
#[test]
fn macro_error_spans_cover_whole_characters() {
    for (text, expect) in [
        ("a€b", "€"),
        ("%é", "%é"),
        ("x.%€.example", "%€"),
        ("%{d}ü", "ü"),
        ("%", "%"),
        ("%{x}ä", "%{x}"),
    ] {
        for context in [MacroContext::DomainSpec, MacroContext::Explanation] {
            let error = parse_macro_string(text, context).expect_err(text);
            assert_eq!(&text[error.start..error.end], expect, "{text}");
        }
    }
}

/// Issue 13 part 4: dates with a huge year or day, or a negative hour, overflowed the seconds
/// arithmetic (a panic in debug builds, a wrapped time and delay in release builds). They are
/// no time now, and a hop without a time has no delay.
#[test]
fn out_of_range_received_dates_have_no_time_and_no_delay() {
    let message = "Received: from c by d; Mon, 23 Nov 2026 10:05:00 +0100\r\n\
                   Received: from b by c; 1 Jan 9223372036854775807 00:00:00 +0000\r\n\
                   Received: from a by b; 9223372036854775807 Jan 2026 00:00:00 +0000\r\n\
                   Received: from z by a; Mon, 23 Nov 2026 -9223372036854775808:00:00 +0100\r\n\
                   Received: from y by z; Mon, 23 Nov 2026 10:00:00 +0100\r\n\
                   From: a@example.com\r\n\r\nbody";
    let report = headers::analyze(message);
    let times: Vec<Option<i64>> = report.hops.iter().map(|hop| hop.time).collect();
    assert_eq!(
        times,
        [Some(1_795_424_400), None, None, None, Some(1_795_424_700)]
    );
    assert!(report.hops.iter().all(|hop| hop.delay.is_none()));
    // Two readable hops in a row have their delay.
    let report = headers::analyze(
        "Received: from b by c; Mon, 23 Nov 2026 10:05:00 +0100\r\n\
         Received: from a by b; Mon, 23 Nov 2026 10:00:00 +0100\r\n\r\n",
    );
    assert_eq!(report.hops[1].delay, Some(300));
    // The extremes of the readable range are still apart by a representable delay.
    let report = headers::analyze(
        "Received: from b by c; 31 Dec 9999 23:59:60 -9959\r\n\
         Received: from a by b; 1 Jan 1900 00:00:00 +9959\r\n\r\n",
    );
    assert_eq!(
        report.hops[1].delay,
        Some(headers::date::LATEST - headers::date::EARLIEST)
    );
}

/// Issue 13 part 4: each selector was compared with every one before it (a snapshot link can
/// name thousands). Repeats are still dropped, the first occurrence kept.
#[test]
fn thousands_of_repeated_selectors_are_asked_once_each() {
    let named: Vec<NamedSelector> = (0..4000)
        .map(|i| NamedSelector {
            selector: format!("S{}._domainkey.example.com.", i % 2000),
            source: SelectorSource::User,
        })
        .collect();
    let queries = check_dkim("example.com", &named, &[], &AnswerCache::default())
        .expect_err("no answers yet");
    let named_queries = queries
        .iter()
        .filter(|query| {
            query.name.starts_with('s')
                && query.name[1..]
                    .split('.')
                    .next()
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
        .count();
    assert_eq!(named_queries, 2000);
    let keys: Vec<&str> = queries
        .iter()
        .map(|query| query.name.as_str())
        .filter(|name| name.ends_with("._domainkey.example.com"))
        .take(2)
        .collect();
    assert_eq!(
        keys,
        ["s0._domainkey.example.com", "s1._domainkey.example.com"]
    );
}
