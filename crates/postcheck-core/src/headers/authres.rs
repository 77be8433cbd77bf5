//! The Authentication-Results header field (RFC 8601 §2.2) read by its grammar: comments and
//! folding whitespace (CFWS) wherever the ABNF allows them (around `=`, `/`, `.` and `;`, nested
//! comments, quoted pairs), quoted strings (a `;` inside quotes does not end an entry), the
//! `none` form, the authres-version and method-version, `reason=` and `ptype.property=value`.
//!
//! It never stops at the first problem (the project's rule for parsers): every problem becomes
//! a finding with a byte span into the value as given, and reading goes on at the next `;`.
//! Forms that providers write although the grammar does not allow them are read and reported
//! as `authres-nonstandard` (info), never as errors: Exchange Online's fields without an
//! authserv-id (`spf=pass (sender IP is …) smtp.mailfrom=…; dkim=pass …`), its receiving-domain
//! tokens between results (`…; contoso.com; dmarc=…`), its `action=none` without a ptype, empty
//! values (`header.from=;`), and keywords with `_` or `.` (`dkim=dkim_pass`, `gateway.spf=pass`).
//!
//! An ARC-Authentication-Results value (RFC 8617 §4.1.1: `i=1; authserv-id; …`) is read too;
//! its instance is kept apart.

use super::{AuthResults, MethodResult};
use crate::findings::{Code, Finding, Span};

/// Parses an Authentication-Results value (the text after `Authentication-Results:`).
pub fn parse_auth_results(value: &str) -> AuthResults {
    let mut parser = Parser {
        text: value,
        bytes: value.as_bytes(),
        pos: 0,
        diagnostics: Vec::new(),
    };
    let mut header = AuthResults {
        authserv_id: String::new(),
        version: None,
        instance: None,
        results: Vec::new(),
        text: value.to_owned(),
        diagnostics: Vec::new(),
    };
    parser.payload(&mut header);
    header.diagnostics = parser.diagnostics;
    header
}

/// Why an entry is not what the grammar says; the `reason` parameter of the finding.
mod reason {
    pub(super) const UNTERMINATED_COMMENT: &str = "unterminated-comment";
    pub(super) const UNTERMINATED_QUOTE: &str = "unterminated-quote";
    pub(super) const INSTANCE: &str = "instance";
    pub(super) const AUTHSERV_ID: &str = "authserv-id";
    pub(super) const AUTHSERV_ID_CHARACTERS: &str = "authserv-id-characters";
    pub(super) const VERSION: &str = "version";
    pub(super) const MISSING_SEMICOLON: &str = "missing-semicolon";
    pub(super) const METHOD: &str = "method";
    pub(super) const RESULT: &str = "result";
    pub(super) const REASON: &str = "reason";
    pub(super) const PROPERTY: &str = "property";
    pub(super) const NONE_MIXED: &str = "none-mixed";
    // Tolerated provider forms (authres-nonstandard).
    pub(super) const NO_AUTHSERV_ID: &str = "no-authserv-id";
    pub(super) const RECEIVING_DOMAIN: &str = "receiving-domain";
    pub(super) const NO_PTYPE: &str = "no-ptype";
    pub(super) const EMPTY_VALUE: &str = "empty-value";
    pub(super) const KEYWORD: &str = "keyword";
    pub(super) const NO_RESULT: &str = "no-result";
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    diagnostics: Vec<Finding>,
}

fn is_wsp(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

/// Keyword characters (RFC 8601 §2.2 `Keyword = ldh-str`), plus `_`, which providers use.
fn is_keyword_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn finding(&mut self, code: Code, reason: &str, start: usize, end: usize) {
        let (start, end) = self.trimmed(start, end);
        let term = &self.text[start..end];
        let finding = Finding::new(code)
            .with_span(Span::new(start, end))
            .with("reason", reason)
            .with("term", term);
        self.diagnostics.push(finding);
    }

    /// A syntax error over `start..end`.
    fn error(&mut self, reason: &str, start: usize, end: usize) {
        self.finding(Code::AuthresSyntaxError, reason, start, end);
    }

    /// A tolerated provider form over `start..end`.
    fn nonstandard(&mut self, reason: &str, start: usize, end: usize) {
        self.finding(Code::AuthresNonstandard, reason, start, end);
    }

    /// `start..end` without the whitespace around it; never empty unless the text is.
    fn trimmed(&self, mut start: usize, mut end: usize) -> (usize, usize) {
        end = end.min(self.bytes.len());
        start = start.min(end);
        while start < end && is_wsp(self.bytes[start]) {
            start += 1;
        }
        while end > start && is_wsp(self.bytes[end - 1]) {
            end -= 1;
        }
        (start, end)
    }

    /// Skips CFWS (RFC 5322 §3.2.2): whitespace, line breaks and comments. Returns the comments'
    /// texts without their outer parentheses.
    fn cfws(&mut self) -> Vec<String> {
        let mut comments = Vec::new();
        while let Some(byte) = self.peek() {
            if is_wsp(byte) {
                self.pos += 1;
            } else if byte == b'(' {
                comments.push(self.comment(true));
            } else {
                break;
            }
        }
        comments
    }

    /// A comment at `(`, nested comments and quoted pairs included (RFC 5322 §3.2.2).
    fn comment(&mut self, report: bool) -> String {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(byte) = self.peek() {
            match byte {
                b'\\' => self.pos += 2,
                b'(' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' => {
                    depth -= 1;
                    self.pos += 1;
                    if depth == 0 {
                        return self.text[start + 1..self.pos - 1].trim().to_owned();
                    }
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.bytes.len();
        if report {
            self.error(reason::UNTERMINATED_COMMENT, start, self.pos);
        }
        self.text[(start + 1).min(self.pos)..].trim().to_owned()
    }

    /// A quoted string at `"` (RFC 5322 §3.2.4), its quoted pairs resolved.
    fn quoted_string(&mut self, report: bool) -> String {
        let start = self.pos;
        self.pos += 1;
        let mut content = String::new();
        while let Some(character) = self.text[self.pos..].chars().next() {
            self.pos += character.len_utf8();
            match character {
                '"' => return content,
                '\\' => {
                    if let Some(escaped) = self.text[self.pos..].chars().next() {
                        self.pos += escaped.len_utf8();
                        content.push(escaped);
                    }
                }
                // Folding inside the quotes: the line break goes, the space stays.
                '\r' | '\n' => {}
                _ => content.push(character),
            }
        }
        if report {
            self.error(reason::UNTERMINATED_QUOTE, start, self.bytes.len());
        }
        content
    }

    /// A keyword at the position: its span, or `None` when there is none.
    fn keyword(&mut self) -> Option<(usize, usize)> {
        let start = self.pos;
        while self.peek().is_some_and(is_keyword_byte) {
            self.pos += 1;
        }
        (self.pos > start).then_some((start, self.pos))
    }

    /// Digits at the position (authres-version, method-version, the ARC instance).
    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        // A number too long for u32 is still a number; it reads as the largest one.
        Some(self.text[start..self.pos].parse().unwrap_or(u32::MAX))
    }

    /// A run of value characters: anything up to whitespace, `;`, `(` or `"`. Lenient on
    /// purpose: `header.b=` values carry `/`, `+` and `=`, which the grammar's token does not.
    fn bare_value(&mut self) -> (usize, usize) {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !is_wsp(b) && !matches!(b, b';' | b'(' | b'"'))
        {
            self.pos += 1;
        }
        (start, self.pos)
    }

    /// A value (RFC 2045 token or quoted-string) or an address (`[local-part] "@" domain`):
    /// RFC 8601 §2.2 pvalue, with the CFWS before it. `None` when there is nothing.
    fn pvalue(&mut self) -> Option<String> {
        self.cfws();
        match self.peek() {
            Some(b'"') => {
                let mut value = self.quoted_string(true);
                // A quoted local-part followed by its domain.
                if self.peek() == Some(b'@') {
                    let (start, end) = self.bare_value();
                    value = format!("\"{value}\"{}", &self.text[start..end]);
                }
                Some(value)
            }
            _ => {
                let (start, end) = self.bare_value();
                (end > start).then(|| self.text[start..end].to_owned())
            }
        }
    }

    /// Moves on to the next `;` outside quotes and comments (not past it), after a problem.
    fn recover(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b';' => return,
                b'"' => {
                    self.quoted_string(false);
                }
                b'(' => {
                    self.comment(false);
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Where the keyword starting at `start` ends.
    fn keyword_end(&self, start: usize) -> usize {
        start
            + self.bytes[start..]
                .iter()
                .take_while(|&&b| is_keyword_byte(b))
                .count()
    }

    /// Whether a methodspec starts here: a keyword, CFWS, then `=` or `/`. Leaves the position.
    fn looks_like_methodspec(&mut self) -> bool {
        let saved = (self.pos, self.diagnostics.len());
        let found = self.keyword().is_some() && {
            // `gateway.spf=`: a dotted method name.
            while self.peek() == Some(b'.') && self.peek_at(1).is_some_and(is_keyword_byte) {
                self.pos += 1;
                self.keyword();
            }
            self.cfws();
            matches!(self.peek(), Some(b'=' | b'/'))
        };
        self.pos = saved.0;
        self.diagnostics.truncate(saved.1);
        found
    }

    /// authres-payload (RFC 8601 §2.2):
    /// `[CFWS] authserv-id [CFWS authres-version] (no-result / 1*resinfo) [CFWS]`.
    fn payload(&mut self, header: &mut AuthResults) {
        self.cfws();
        let instance = self.instance(header);
        self.cfws();
        let mut expect_semicolon = true;
        let id_start = self.pos;
        match self.peek() {
            None | Some(b';') => {
                self.error(
                    reason::AUTHSERV_ID,
                    id_start,
                    self.bytes.len().min(id_start + 1),
                );
            }
            _ if !instance && self.looks_like_methodspec() => {
                // Exchange Online: the first result where the authserv-id belongs.
                let end = self.keyword_end(id_start);
                self.nonstandard(reason::NO_AUTHSERV_ID, id_start, end);
                expect_semicolon = false;
            }
            Some(b'"') => {
                header.authserv_id = self.quoted_string(true);
                self.after_authserv_id(header);
            }
            _ => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| !is_wsp(b) && !matches!(b, b';' | b'(' | b'"' | b'=' | b'/'))
                {
                    self.pos += 1;
                }
                if self.pos == start {
                    self.error(reason::AUTHSERV_ID, start, start + 1);
                    self.recover();
                } else {
                    header.authserv_id = self.text[start..self.pos].to_owned();
                    if !header.authserv_id.is_ascii() {
                        // RFC 8601 §2.2: value is an RFC 2045 token (US-ASCII) or a quoted
                        // string; a name with U-labels has to be quoted.
                        self.error(reason::AUTHSERV_ID_CHARACTERS, start, self.pos);
                    }
                    self.after_authserv_id(header);
                }
            }
        }
        let mut none_at: Option<(usize, usize)> = None;
        let mut entries = 0usize;
        loop {
            self.cfws();
            let Some(byte) = self.peek() else { break };
            if byte == b';' {
                self.pos += 1;
                self.cfws();
                if self.at_end() || self.peek() == Some(b';') {
                    continue;
                }
            } else if expect_semicolon {
                let start = self.pos;
                if self.looks_like_methodspec() {
                    let end = self.keyword_end(start);
                    self.error(reason::MISSING_SEMICOLON, start, end);
                } else {
                    self.recover();
                    self.error(reason::RESULT, start, self.pos);
                    continue;
                }
            }
            expect_semicolon = true;
            entries += 1;
            self.resinfo(header, &mut none_at);
        }
        if let Some((start, end)) = none_at
            && entries > 1
        {
            self.error(reason::NONE_MIXED, start, end);
        }
        if entries == 0 && !header.authserv_id.is_empty() {
            // `example.org` alone: the grammar asks for `; none`.
            let end = self.bytes.len();
            self.nonstandard(reason::NO_RESULT, id_start, end);
        }
    }

    /// The ARC instance tag `i=<n>;` (RFC 8617 §4.1.1), if the value starts with one.
    fn instance(&mut self, header: &mut AuthResults) -> bool {
        let start = self.pos;
        let findings = self.diagnostics.len();
        if !(matches!(self.peek(), Some(b'i' | b'I')) && {
            self.pos += 1;
            self.cfws();
            self.peek() == Some(b'=')
        }) {
            // Not an instance: the look ahead leaves no trace.
            self.pos = start;
            self.diagnostics.truncate(findings);
            return false;
        }
        self.pos += 1;
        self.cfws();
        match self.number() {
            Some(number) => header.instance = Some(number),
            None => {
                self.recover();
                self.error(reason::INSTANCE, start, self.pos);
            }
        }
        self.cfws();
        if self.peek() == Some(b';') {
            self.pos += 1;
        } else {
            let at = self.pos;
            self.recover();
            self.error(reason::INSTANCE, at, self.pos.max(at + 1));
            if self.peek() == Some(b';') {
                self.pos += 1;
            }
        }
        true
    }

    /// `[CFWS authres-version]` after the authserv-id, up to the first `;`.
    fn after_authserv_id(&mut self, header: &mut AuthResults) {
        self.cfws();
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            let start = self.pos;
            header.version = self.number();
            if self
                .peek()
                .is_some_and(|b| !is_wsp(b) && b != b';' && b != b'(')
            {
                self.recover();
                self.error(reason::VERSION, start, self.pos);
                return;
            }
            self.cfws();
        }
        match self.peek() {
            None | Some(b';') => {}
            _ if self.looks_like_methodspec() => {
                // The `;` before the first result is missing; the results are read anyway.
            }
            _ => {
                let start = self.pos;
                self.recover();
                self.error(reason::VERSION, start, self.pos);
            }
        }
    }

    /// One entry after a `;`: a methodspec with its reason and properties, `none`, or an
    /// Exchange receiving-domain token.
    fn resinfo(&mut self, header: &mut AuthResults, none_at: &mut Option<(usize, usize)>) {
        let start = self.pos;
        let Some((name_start, mut name_end)) = self.keyword() else {
            self.recover();
            self.error(reason::METHOD, start, self.pos.max(start + 1));
            return;
        };
        let mut dotted = false;
        while self.peek() == Some(b'.') && self.peek_at(1).is_some_and(is_keyword_byte) {
            self.pos += 1;
            if let Some((_, end)) = self.keyword() {
                name_end = end;
            }
            dotted = true;
        }
        let name = &self.text[name_start..name_end];
        self.cfws();
        if !matches!(self.peek(), Some(b'=' | b'/')) {
            let ends_here = self.at_end() || self.peek() == Some(b';');
            if name.eq_ignore_ascii_case("none") && ends_here {
                // no-result (RFC 8601 §2.2): the server checked nothing.
                none_at.get_or_insert((name_start, name_end));
                return;
            }
            if dotted && self.peek() == Some(b';') && !name.contains("..") {
                // Exchange Online names the receiving domain between results.
                self.nonstandard(reason::RECEIVING_DOMAIN, name_start, name_end);
                return;
            }
            self.recover();
            self.error(reason::RESULT, start, self.pos);
            return;
        }
        let mut entry = MethodResult {
            method: name.to_ascii_lowercase(),
            version: None,
            result: String::new(),
            reason: None,
            comment: None,
            properties: Vec::new(),
        };
        if dotted || name.contains('_') {
            self.nonstandard(reason::KEYWORD, name_start, name_end);
        }
        if self.peek() == Some(b'/') {
            self.pos += 1;
            self.cfws();
            let version_start = self.pos;
            entry.version = self.number();
            if entry.version.is_none() {
                self.recover();
                self.error(
                    reason::VERSION,
                    version_start,
                    self.pos.max(version_start + 1),
                );
                return;
            }
            self.cfws();
        }
        if self.peek() != Some(b'=') {
            self.recover();
            self.error(reason::RESULT, start, self.pos.max(start + 1));
            return;
        }
        self.pos += 1;
        self.cfws();
        let Some((result_start, result_end)) = self.keyword() else {
            self.recover();
            self.error(reason::RESULT, start, self.pos.max(start + 1));
            return;
        };
        entry.result = self.text[result_start..result_end].to_ascii_lowercase();
        if entry.result.contains('_') {
            self.nonstandard(reason::KEYWORD, result_start, result_end);
        }
        entry.comment = self.cfws().into_iter().next();
        self.reason_and_properties(&mut entry);
        header.results.push(entry);
    }

    /// `[CFWS reasonspec] [CFWS 1*propspec]` up to the next `;`. A malformed one is reported
    /// and skipped up to the next whitespace, so that the properties after it are still read.
    fn reason_and_properties(&mut self, entry: &mut MethodResult) {
        loop {
            self.cfws();
            if self.at_end() || self.peek() == Some(b';') {
                return;
            }
            let start = self.pos;
            if let Err(reason) = self.reason_or_property(entry) {
                self.skip_word();
                self.error(reason, start, self.pos.max(start + 1));
            }
        }
    }

    /// One reasonspec or propspec; the reason for the finding when it is malformed.
    fn reason_or_property(&mut self, entry: &mut MethodResult) -> Result<(), &'static str> {
        let start = self.pos;
        let (key_start, key_end) = self.keyword().ok_or(reason::PROPERTY)?;
        let key = self.text[key_start..key_end].to_ascii_lowercase();
        self.cfws();
        match self.peek() {
            Some(b'.') => {
                self.pos += 1;
                self.cfws();
                let (property_start, property_end) = self.keyword().ok_or(reason::PROPERTY)?;
                let property = self.text[property_start..property_end].to_ascii_lowercase();
                self.cfws();
                if self.peek() != Some(b'=') {
                    return Err(reason::PROPERTY);
                }
                self.pos += 1;
                let value = self.property_value(start);
                entry.properties.push((format!("{key}.{property}"), value));
            }
            Some(b'=') if key == "reason" => {
                self.pos += 1;
                entry.reason = Some(self.pvalue().ok_or(reason::REASON)?);
            }
            Some(b'=') => {
                // Exchange Online's `action=none`: a property without a ptype.
                self.pos += 1;
                self.nonstandard(reason::NO_PTYPE, key_start, key_end);
                let value = self.property_value(start);
                entry.properties.push((key, value));
            }
            _ => return Err(reason::PROPERTY),
        }
        Ok(())
    }

    /// Moves past the rest of a malformed word: up to whitespace or `;`, quoted strings and
    /// comments skipped whole.
    fn skip_word(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b';' => return,
                _ if is_wsp(byte) => return,
                b'"' => {
                    self.quoted_string(false);
                }
                b'(' => {
                    self.comment(false);
                }
                _ => self.pos += 1,
            }
        }
    }

    /// The pvalue after `ptype.property=`; an empty one (`header.from=;`) is read as empty.
    fn property_value(&mut self, start: usize) -> String {
        match self.pvalue() {
            Some(value) => value,
            None => {
                self.nonstandard(reason::EMPTY_VALUE, start, self.pos);
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(header: &AuthResults) -> Vec<(&str, &str)> {
        header
            .diagnostics
            .iter()
            .map(|f| (f.code.as_str(), f.param("reason")))
            .collect()
    }

    #[test]
    fn a_semicolon_in_quotes_does_not_split_the_entry() {
        let header = parse_auth_results("example.com; dkim=fail reason=\"a; b\" header.d=x.test");
        assert_eq!(header.results.len(), 1, "{header:?}");
        assert_eq!(header.results[0].reason.as_deref(), Some("a; b"));
        assert_eq!(
            header.results[0].properties,
            [("header.d".to_owned(), "x.test".to_owned())]
        );
        assert_eq!(reasons(&header), []);
    }

    #[test]
    fn a_quoted_authserv_id_loses_its_quotes() {
        let header = parse_auth_results("\"mx.example.org\" 1; none");
        assert_eq!(header.authserv_id, "mx.example.org");
        assert_eq!(header.version, Some(1));
        assert_eq!(reasons(&header), []);
    }

    #[test]
    fn problems_keep_going_with_spans() {
        let text = "example.com; spf=pass smtp.mailfrom; dkim=pass (unclosed";
        let header = parse_auth_results(text);
        // What was read before the problem stays: spf=pass, without the broken property.
        let methods: Vec<&str> = header.results.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["spf", "dkim"]);
        assert_eq!(header.results[0].properties, []);
        assert_eq!(
            reasons(&header),
            [
                ("authres-syntax-error", "property"),
                ("authres-syntax-error", "unterminated-comment")
            ]
        );
        let span = header.diagnostics[0].span.unwrap();
        assert_eq!(&text[span.start..span.end], "smtp.mailfrom");
        let span = header.diagnostics[1].span.unwrap();
        assert_eq!(&text[span.start..span.end], "(unclosed");
    }

    #[test]
    fn a_missing_semicolon_after_the_id_is_reported_and_read_through() {
        let header = parse_auth_results("mx.example.com spf=pass smtp.mailfrom=a.test");
        assert_eq!(header.authserv_id, "mx.example.com");
        assert_eq!(header.results[0].result, "pass");
        assert_eq!(
            reasons(&header),
            [("authres-syntax-error", "missing-semicolon")]
        );
    }

    #[test]
    fn exchange_forms_are_read_as_nonstandard() {
        let header = parse_auth_results(
            "spf=pass (sender IP is 192.0.2.5) smtp.mailfrom=example.com; contoso.com; \
             dmarc=pass action=none header.from=example.com;compauth=pass reason=100",
        );
        assert_eq!(header.authserv_id, "");
        let methods: Vec<(&str, &str)> = header
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            [("spf", "pass"), ("dmarc", "pass"), ("compauth", "pass")]
        );
        assert_eq!(
            header.results[0].comment.as_deref(),
            Some("sender IP is 192.0.2.5")
        );
        assert_eq!(
            header.results[1].properties[0],
            ("action".into(), "none".into())
        );
        assert_eq!(header.results[2].reason.as_deref(), Some("100"));
        assert!(
            header
                .diagnostics
                .iter()
                .all(|f| f.code == Code::AuthresNonstandard),
            "{header:?}"
        );
    }

    #[test]
    fn generated_input_never_panics_and_spans_stay_inside() {
        // Strings of the grammar's delimiters, keywords and multi-byte characters, from a
        // fixed-seed generator: every one parses, and every span is a slice of the text.
        let pieces = [
            "a", "spf", "=", "/", ".", ";", " ", "\r\n ", "(", ")", "\"", "\\", "1", "i", "é",
            "日", "none", "reason", "@", "_",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 24) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let header = parse_auth_results(&text);
            for finding in &header.diagnostics {
                let span = finding.span.unwrap();
                assert!(
                    text.get(span.start..span.end).is_some(),
                    "{text:?} {span:?}"
                );
            }
        }
    }

    #[test]
    fn hostile_input_never_panics() {
        for text in [
            "",
            ";",
            "(",
            ")",
            "\"",
            "\\",
            "i",
            "i=",
            "i=1",
            "a/",
            "a=b c.",
            "a=b c.d",
            "x; a=b reason",
            "x; a=b (\\",
            "x; \"\\",
            "é; ä=ö ü.ß=\"",
            "x; a=b c.d=\"q\"@",
        ] {
            let _ = parse_auth_results(text);
        }
    }
}
