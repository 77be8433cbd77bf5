//! The JSON tokenizer (RFC 8259): a cursor over the document's bytes that reads one value at a
//! time, so the shape readers in `read.rs` build the core's types directly, with no
//! intermediate tree.

use super::{Error, ErrorKind, MAX_DEPTH, MAX_DOCUMENT_BYTES};
use std::collections::BTreeSet;

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// A cursor over one document.
pub(crate) struct Lexer<'a> {
    bytes: &'a [u8],
    position: usize,
    depth: usize,
}

/// A number as scanned: its sign, its integer value when it has one that fits a `u64`.
struct Scanned {
    negative: bool,
    /// `None` for a fraction, an exponent, or a magnitude beyond `u64::MAX`.
    magnitude: Option<u64>,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Self> {
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(Error {
                offset: 0,
                kind: ErrorKind::TooLarge,
            });
        }
        Ok(Lexer {
            bytes,
            position: 0,
            depth: 0,
        })
    }

    pub(crate) fn error(&self, kind: ErrorKind) -> Error {
        Error {
            offset: self.position,
            kind,
        }
    }

    /// Where the next value starts (after whitespace), to read it again with [`Lexer::seek`].
    pub(crate) fn mark(&mut self) -> usize {
        self.skip_whitespace();
        self.position
    }

    /// Goes back to a [`Lexer::mark`] taken at the current depth.
    pub(crate) fn seek(&mut self, mark: usize) {
        self.position = mark;
    }

    /// Whitespace is space, tab, line feed and carriage return (RFC 8259 §2).
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.position) {
            self.position += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.position).copied()
    }

    /// Whether the next value starts with `byte` (after whitespace), not consumed.
    #[cfg(feature = "reports")]
    pub(crate) fn next_is(&mut self, byte: u8) -> bool {
        self.peek() == Some(byte)
    }

    /// Consumes `byte` (after whitespace) or fails with `kind`.
    fn consume(&mut self, byte: u8, kind: ErrorKind) -> Result<()> {
        if self.peek() == Some(byte) {
            self.position += 1;
            Ok(())
        } else {
            Err(self.error(kind))
        }
    }

    /// Nothing but whitespace may follow the value.
    pub(crate) fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error(ErrorKind::Syntax)),
        }
    }

    /// Reads an object, handing each member's key to `member`, which must read or skip its
    /// value. A key named twice is an error.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, String) -> Result<()>,
    ) -> Result<()> {
        self.open(b'{', "an object")?;
        let mut seen = BTreeSet::new();
        while let Some(key) = self.next_key(&mut seen)? {
            member(self, key)?;
        }
        Ok(())
    }

    /// Reads an array, each element with `element`.
    pub(crate) fn array<T>(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.open(b'[', "an array")?;
        let mut elements = Vec::new();
        while self.next_element(elements.is_empty())? {
            elements.push(element(self)?);
        }
        Ok(elements)
    }

    // What follows keeps the generic `object` and `array` small: they are instantiated once
    // per field reader, and the page's size is the point of this codec.

    fn open(&mut self, bracket: u8, expected: &'static str) -> Result<()> {
        self.consume(bracket, ErrorKind::Expected(expected))?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(ErrorKind::TooDeep));
        }
        Ok(())
    }

    /// Consumes `close` and leaves the nesting level when it comes next (after the separator,
    /// unless `first`); true when it did.
    fn close(&mut self, close: u8, first: bool) -> Result<bool> {
        match self.peek() {
            Some(byte) if byte == close => {
                self.position += 1;
                self.depth -= 1;
                Ok(true)
            }
            Some(b',') if !first => {
                self.position += 1;
                Ok(false)
            }
            _ if first => Ok(false),
            _ => Err(self.error(ErrorKind::Syntax)),
        }
    }

    /// The next member's key and its `:`, or `None` at the closing brace.
    fn next_key(&mut self, seen: &mut BTreeSet<String>) -> Result<Option<String>> {
        if self.close(b'}', seen.is_empty())? {
            return Ok(None);
        }
        let start = self.mark();
        if self.peek() != Some(b'"') {
            return Err(self.error(ErrorKind::Syntax));
        }
        let key = self.string()?;
        if !seen.insert(key.clone()) {
            return Err(Error {
                offset: start,
                kind: ErrorKind::RepeatedKey,
            });
        }
        self.consume(b':', ErrorKind::Syntax)?;
        Ok(Some(key))
    }

    /// Whether another element follows (false at the closing bracket).
    fn next_element(&mut self, first: bool) -> Result<bool> {
        self.close(b']', first).map(|closed| !closed)
    }

    /// Reads `null` as `None`, anything else with `value`.
    pub(crate) fn nullable<T>(
        &mut self,
        value: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<Option<T>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            Ok(None)
        } else {
            value(self).map(Some)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        self.skip_whitespace();
        if self.bytes[self.position..].starts_with(word) {
            self.position += word.len();
            Ok(())
        } else {
            Err(self.error(ErrorKind::Syntax))
        }
    }

    pub(crate) fn boolean(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => self.value_error("a boolean"),
        }
    }

    /// Fails with [`ErrorKind::Expected`] on a well-formed value of another kind, and with
    /// [`ErrorKind::Syntax`] on anything else.
    fn value_error<T>(&mut self, expected: &'static str) -> Result<T> {
        let start = self.mark();
        self.skip()?;
        Err(Error {
            offset: start,
            kind: ErrorKind::Expected(expected),
        })
    }

    /// Reads a string (RFC 8259 §7): UTF-8, no raw control characters, every escape including
    /// surrogate pairs.
    pub(crate) fn string(&mut self) -> Result<String> {
        if self.peek() != Some(b'"') {
            return self.value_error("a string");
        }
        self.position += 1;
        let mut text = String::new();
        loop {
            let run_start = self.position;
            while let Some(&byte) = self.bytes.get(self.position) {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.position += 1;
            }
            let run = &self.bytes[run_start..self.position];
            match std::str::from_utf8(run) {
                Ok(run) => text.push_str(run),
                Err(err) => {
                    return Err(Error {
                        offset: run_start + err.valid_up_to(),
                        kind: ErrorKind::String,
                    });
                }
            }
            match self.bytes.get(self.position) {
                Some(b'"') => {
                    self.position += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    self.position += 1;
                    text.push(self.escape()?);
                }
                Some(_) => return Err(self.error(ErrorKind::String)),
                None => return Err(self.error(ErrorKind::Syntax)),
            }
        }
    }

    /// The character of the escape after a backslash.
    fn escape(&mut self) -> Result<char> {
        let Some(&byte) = self.bytes.get(self.position) else {
            return Err(self.error(ErrorKind::Syntax));
        };
        self.position += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    // A high surrogate must be followed by an escaped low one.
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.position..].starts_with(b"\\u") {
                            return Err(self.error(ErrorKind::Escape));
                        }
                        self.position += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error(ErrorKind::Escape));
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.error(ErrorKind::Escape)),
                    _ => unit,
                };
                char::from_u32(code).ok_or_else(|| self.error(ErrorKind::Escape))?
            }
            _ => return Err(self.error(ErrorKind::Escape)),
        })
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self
                .bytes
                .get(self.position)
                .and_then(|byte| char::from(*byte).to_digit(16))
                .ok_or_else(|| self.error(ErrorKind::Escape))?;
            unit = unit * 16 + digit;
            self.position += 1;
        }
        Ok(unit)
    }

    /// Scans a number (RFC 8259 §6), keeping its value when it is an integer that fits.
    fn number(&mut self) -> Result<Scanned> {
        self.skip_whitespace();
        let negative = self.bytes.get(self.position) == Some(&b'-');
        if negative {
            self.position += 1;
        }
        let mut magnitude = Some(0u64);
        match self.bytes.get(self.position) {
            Some(b'0') => self.position += 1,
            Some(b'1'..=b'9') => {
                while let Some(&digit @ b'0'..=b'9') = self.bytes.get(self.position) {
                    magnitude = magnitude
                        .and_then(|m| m.checked_mul(10))
                        .and_then(|m| m.checked_add(u64::from(digit - b'0')));
                    self.position += 1;
                }
            }
            _ => return Err(self.error(ErrorKind::Syntax)),
        }
        if self.bytes.get(self.position) == Some(&b'.') {
            self.position += 1;
            self.digits()?;
            magnitude = None;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.position) {
            self.position += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.position) {
                self.position += 1;
            }
            self.digits()?;
            magnitude = None;
        }
        Ok(Scanned {
            negative,
            magnitude,
        })
    }

    /// One or more digits.
    fn digits(&mut self) -> Result<()> {
        let start = self.position;
        while let Some(b'0'..=b'9') = self.bytes.get(self.position) {
            self.position += 1;
        }
        if self.position == start {
            return Err(self.error(ErrorKind::Syntax));
        }
        Ok(())
    }

    /// Reads a non-negative integer no larger than `max` (`-0` too is refused: serde_json reads
    /// it as a float).
    pub(crate) fn unsigned(&mut self, max: u64) -> Result<u64> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {}
            _ => return self.value_error("an integer"),
        }
        let start = self.position;
        let scanned = self.number()?;
        match scanned.magnitude {
            Some(value) if value <= max && !scanned.negative => Ok(value),
            _ => Err(Error {
                offset: start,
                kind: ErrorKind::Number,
            }),
        }
    }

    /// Skips one value of any kind, checking that it is JSON.
    pub(crate) fn skip(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(|lexer, _| lexer.skip()),
            Some(b'[') => self.array(Lexer::skip).map(drop),
            Some(b'"') => self.string().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ => Err(self.error(ErrorKind::Syntax)),
        }
    }
}
