//! Cuts a record's text into pieces at the spans of its findings, so each problem can be
//! marked where it is (the findings' spans are byte offsets into the text).

use postcheck_core::findings::{Finding, Severity, Span};

/// One piece of a record's text, and the most severe finding covering it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub mark: Option<(Severity, &'static str)>,
}

/// The pieces of `text` under `spans` (severity, code, span). Spans that fall outside the text
/// or inside a character are clamped to character boundaries.
pub fn pieces(text: &str, spans: &[(Severity, &'static str, Span)]) -> Vec<Piece> {
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
    let mut out: Vec<Piece> = Vec::new();
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        if start == end {
            continue;
        }
        let mark = spans
            .iter()
            .filter(|(_, _, span)| {
                clamp(span.start) <= start && end <= clamp(span.end.max(span.start))
            })
            .max_by_key(|(severity, _, _)| *severity)
            .map(|(severity, code, _)| (*severity, *code));
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
}
