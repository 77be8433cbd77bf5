//! A reader over DER (ITU-T X.690 §10): what the DKIM key check (RFC 6376 §3.6.1, RFC 8017,
//! RFC 8410) and the SMTP check's certificate dates (RFC 5280 §4.1) read from binary ASN.1.

pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_NULL: u8 = 0x05;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;

/// A reader over DER elements (ITU-T X.690 §8.1, §10.1): tag, definite length, content.
pub(crate) struct Der<'a> {
    bytes: &'a [u8],
}

impl<'a> Der<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Der { bytes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The next element: its tag and content.
    pub(crate) fn element(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.bytes.split_first()?;
        let (&first, mut rest) = rest.split_first()?;
        let length = if first < 0x80 {
            usize::from(first)
        } else {
            // Long form; 0x80 (indefinite length) is not DER, and nothing read here needs over 4 octets.
            let octets = usize::from(first & 0x7f);
            if octets == 0 || octets > 4 || rest.len() < octets {
                return None;
            }
            let (length_bytes, after) = rest.split_at(octets);
            rest = after;
            length_bytes
                .iter()
                .fold(0usize, |length, &b| (length << 8) | usize::from(b))
        };
        if rest.len() < length {
            return None;
        }
        let (content, after) = rest.split_at(length);
        self.bytes = after;
        Some((tag, content))
    }

    /// The next element if it has this tag.
    pub(crate) fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.element()? {
            (found, content) if found == tag => Some(content),
            _ => None,
        }
    }
}

/// The content of `bytes` when they are exactly one SEQUENCE.
pub(crate) fn outer_sequence(bytes: &[u8]) -> Option<&[u8]> {
    let mut der = Der::new(bytes);
    let content = der.expect(TAG_SEQUENCE)?;
    der.is_empty().then_some(content)
}
