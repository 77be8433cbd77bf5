//! Cuts a record's text into pieces at the spans of its findings, so each problem can be
//! marked where it is (the findings' spans are byte offsets into the text).

use postcheck_core::findings::{Finding, Severity, Span};
use postcheck_core::order::sort_by;
use std::collections::BTreeSet;

/// One piece of a record's text, and the most severe finding covering it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub mark: Option<(Severity, &'static str)>,
}

/// The pieces of `text` under `spans` (severity, code, span). Spans that fall outside the text
/// or inside a character are clamped to character boundaries. Where spans overlap, the most
/// severe marks the piece (the last of equals).
///
/// One sweep over the sorted span ends, O((n + s) log s) for s spans: a scan of every span per
/// piece made a record with thousands of findings quadratic (issue 13 part 4).
pub fn pieces(text: &str, spans: &[(Severity, &'static str, Span)]) -> Vec<Piece> {
    let clamp = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    // Each span covers [start, end) after clamping; an inverted one covers nothing but still
    // cuts the text where it points, as it always did.
    let mut cuts = vec![0, text.len()];
    let mut opens: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    let mut closes: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (index, (_, _, span)) in spans.iter().enumerate() {
        let (start, end) = (clamp(span.start), clamp(span.end));
        cuts.push(start);
        cuts.push(end);
        let covered_end = clamp(span.end.max(span.start));
        if start < covered_end {
            opens.push((start, index));
            closes.push((covered_end, index));
        }
    }
    // The core's one sort: the page's wasm carries no other copy of the sorting code.
    sort_by(&mut cuts, Ord::cmp);
    cuts.dedup();
    sort_by(&mut opens, Ord::cmp);
    sort_by(&mut closes, Ord::cmp);
    // The spans covering the current piece, ordered so that the last is the mark: the highest
    // severity, and among equals the one listed last (what `max_by_key` picked).
    let mut active: BTreeSet<(Severity, usize)> = BTreeSet::new();
    let (mut next_open, mut next_close) = (0, 0);
    let mut out: Vec<Piece> = Vec::new();
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        while next_close < closes.len() && closes[next_close].0 <= start {
            let index = closes[next_close].1;
            active.remove(&(spans[index].0, index));
            next_close += 1;
        }
        while next_open < opens.len() && opens[next_open].0 <= start {
            let index = opens[next_open].1;
            active.insert((spans[index].0, index));
            next_open += 1;
        }
        if start == end {
            continue;
        }
        let mark = active
            .last()
            .map(|(severity, index)| (*severity, spans[*index].1));
        out.push(Piece {
            text: text[start..end].to_owned(),
            mark,
        });
    }
    out
}

/// The spans of `findings` that point into the record owned by `owner` with code `prefix`.
pub fn spans_for<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    owner: Option<&str>,
) -> Vec<(Severity, &'static str, Span)> {
    findings
        .into_iter()
        .filter(|f| owner.is_none() || f.domain.as_deref() == owner)
        .filter_map(|f| f.span.map(|span| (f.severity, f.code.as_str(), span)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_text_and_mark_the_spans() {
        let text = "v=spf1 ip4:300.1.1.1 -all";
        let spans = [(Severity::Error, "spf-syntax", Span::new(7, 20))];
        let got = pieces(text, &spans);
        let joined: String = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(got[1].text, "ip4:300.1.1.1");
        assert_eq!(got[1].mark, Some((Severity::Error, "spf-syntax")));
        assert_eq!(got[0].mark, None);
        // Out of range and inside a character: clamped, never a panic.
        let got = pieces("ä-x", &[(Severity::Warning, "w", Span::new(1, 99))]);
        assert_eq!(
            got.iter().map(|p| p.text.as_str()).collect::<String>(),
            "ä-x"
        );
    }

    /// The quadratic definition the sweep replaced: each piece takes the most severe span that
    /// covers it, the last of equals.
    fn pieces_by_definition(text: &str, spans: &[(Severity, &'static str, Span)]) -> Vec<Piece> {
        let clamp = |mut at: usize| {
            at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let mut cuts = vec![0, text.len()];
        for (_, _, span) in spans {
            cuts.push(clamp(span.start));
            cuts.push(clamp(span.end));
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.windows(2)
            .filter(|pair| pair[0] < pair[1])
            .map(|pair| Piece {
                text: text[pair[0]..pair[1]].to_owned(),
                mark: spans
                    .iter()
                    .filter(|(_, _, span)| {
                        clamp(span.start) <= pair[0] && pair[1] <= clamp(span.end.max(span.start))
                    })
                    .max_by_key(|(severity, _, _)| *severity)
                    .map(|(severity, code, _)| (*severity, *code)),
            })
            .collect()
    }

    /// Issue 13 part 4: the sweep marks exactly what the definition marks, overlaps, ties,
    /// inverted and out-of-range spans and spans inside characters included.
    #[test]
    fn the_sweep_agrees_with_the_definition() {
        let text = "v=spf1 ä ip4:1.2.3.4/33 € include:x.example -all";
        let severities = [Severity::Info, Severity::Warning, Severity::Error];
        let codes = ["a", "b", "c", "d", "e"];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        for _case in 0..500 {
            let spans: Vec<(Severity, &'static str, Span)> = (0..next(8))
                .map(|_| {
                    let span = Span::new(next(text.len() + 4), next(text.len() + 4));
                    (severities[next(3)], codes[next(5)], span)
                })
                .collect();
            assert_eq!(
                pieces(text, &spans),
                pieces_by_definition(text, &spans),
                "{spans:?}"
            );
        }
    }

    #[test]
    fn a_megabyte_with_a_finding_per_term_is_cut_once_per_term() {
        let text = "x ".repeat(1 << 19);
        let spans: Vec<(Severity, &'static str, Span)> = (0..text.len() / 2)
            .map(|term| (Severity::Error, "e", Span::new(term * 2, term * 2 + 1)))
            .collect();
        let got = pieces(&text, &spans);
        assert_eq!(got.len(), text.len());
        assert!(got.iter().step_by(2).all(|piece| piece.mark.is_some()));
    }
}
