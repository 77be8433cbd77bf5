//! The tag-list syntax that DKIM keys and signatures (RFC 6376 §3.2), DMARC records (RFC 7489
//! §6.4, whose `dmarc-sep` and `equals` are the same shape), and the MTA-STS (RFC 8461 §3.1),
//! TLS-RPT (RFC 8460 §3) and BIMI records share: `name=value` pieces between `;`, whitespace
//! around names, values and separators ignored. One reader for all of them, with spans into the
//! text; it never stops at a malformed piece, it hands every piece back.

use crate::findings::Span;
use serde::{Deserialize, Serialize};

/// One `name=value` piece as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// The name as written (DKIM compares names case-sensitively, RFC 6376 §3.2; DMARC
    /// receivers case-insensitively).
    pub name: String,
    /// The value as written, whitespace around it removed.
    pub value: String,
    /// The whole tag, `name=value`, without the surrounding whitespace and `;`.
    pub span: Span,
    /// The value alone, trimmed (empty at the end of the tag when the value is empty).
    pub value_span: Span,
}

/// FWS as a TXT record or a header field holds it: space, tab, and the CR LF of a folded line
/// (RFC 6376 §2.8, §3.2).
pub fn fws(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// WSP: space and tab (RFC 5234 Appendix B.1), what DMARC allows around `;` and `=`.
pub fn wsp(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// `start..end` of `text` without the whitespace at either end.
pub fn trim(
    text: &str,
    is_space: fn(u8) -> bool,
    mut start: usize,
    mut end: usize,
) -> (usize, usize) {
    let bytes = text.as_bytes();
    while start < end && is_space(bytes[start]) {
        start += 1;
    }
    while end > start && is_space(bytes[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// The pieces of a tag-list: the text between `;`, each split at its first `=` with the
/// whitespace (`is_space`) around name and value removed. Empty pieces (a trailing `;`) are
/// skipped; a piece without `=` becomes a tag with its text as the name and an empty value,
/// flagged by the `bool` (`false`: no `=`). Names are not checked here: each record says which
/// names it knows and what it makes of the others.
pub fn split(text: &str, is_space: fn(u8) -> bool) -> Vec<(Tag, bool)> {
    let mut tags = Vec::new();
    let mut start = 0;
    for piece in text.split(';') {
        let end = start + piece.len();
        let (tag_start, tag_end) = trim(text, is_space, start, end);
        if tag_start < tag_end {
            let tag_text = &text[tag_start..tag_end];
            tags.push(match tag_text.find('=') {
                Some(equals) => {
                    let (name_start, name_end) =
                        trim(text, is_space, tag_start, tag_start + equals);
                    let (value_start, _) = trim(text, is_space, tag_start + equals + 1, tag_end);
                    let tag = Tag {
                        name: text[name_start..name_end].to_owned(),
                        value: text[value_start..tag_end].to_owned(),
                        span: Span::new(tag_start, tag_end),
                        value_span: Span::new(value_start, tag_end),
                    };
                    (tag, true)
                }
                None => {
                    let tag = Tag {
                        name: tag_text.to_owned(),
                        value: String::new(),
                        span: Span::new(tag_start, tag_end),
                        value_span: Span::new(tag_end, tag_end),
                    };
                    (tag, false)
                }
            });
        }
        start = end + 1;
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_carry_spans_and_whitespace_is_the_callers() {
        let text = " v = DKIM1 ;\r\n k=rsa;; bare ; p= ";
        let tags = split(text, fws);
        let shown: Vec<_> = tags
            .iter()
            .map(|(tag, equals)| {
                (
                    tag.name.as_str(),
                    tag.value.as_str(),
                    &text[tag.span.start..tag.span.end],
                    &text[tag.value_span.start..tag.value_span.end],
                    *equals,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("v", "DKIM1", "v = DKIM1", "DKIM1", true),
                ("k", "rsa", "k=rsa", "rsa", true),
                ("bare", "", "bare", "", false),
                ("p", "", "p=", "", true),
            ]
        );
        // With WSP only, the folded line's CR LF belongs to the next name.
        let wsp_only = split("a=1;\r\nb=2", wsp);
        assert_eq!(wsp_only[1].0.name, "\r\nb");
    }
}
