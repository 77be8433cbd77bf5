//! Domain names on the wire: text to labels and back, with compression (RFC 1035 §3.1, §4.1.4).
//!
//! Inside the codec a name is a list of labels, lowercased (ASCII only, RFC 4343 §3), so that
//! comparisons are plain equality. Text uses the master-file escapes of RFC 1035 §5.1:
//! `\.`, `\\` and `\DDD`.

use crate::WireError;
use std::fmt::Write as _;

/// RFC 1035 §2.3.4: labels are 63 octets or less.
pub(crate) const MAX_LABEL_LEN: usize = 63;
/// RFC 1035 §2.3.4: names are 255 octets or less on the wire (length octets and the root
/// label included), which is 253 characters of text without the trailing dot.
pub(crate) const MAX_NAME_LEN: usize = 255;
/// A name has at most 127 labels, so a legitimate name never needs more pointers than this.
const MAX_POINTERS: usize = 128;

/// A domain name: its labels, lowercased, without the empty root label.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Name {
    labels: Vec<Vec<u8>>,
}

impl Name {
    /// Parses a name in text form. Empty text and `.` are the root; one trailing dot is
    /// allowed. Rejects empty labels, labels over 63 octets and names over 255 wire octets.
    pub(crate) fn parse(text: &str) -> Result<Name, WireError> {
        if text.is_empty() || text == "." {
            return Ok(Name::default());
        }
        let mut labels = Vec::new();
        let mut label = Vec::new();
        let mut bytes = text.bytes();
        while let Some(b) = bytes.next() {
            match b {
                b'.' => {
                    if label.is_empty() {
                        return Err(WireError::EmptyLabel {
                            name: text.to_owned(),
                        });
                    }
                    labels.push(std::mem::take(&mut label));
                }
                b'\\' => {
                    let invalid = || WireError::InvalidEscape {
                        name: text.to_owned(),
                    };
                    let first = bytes.next().ok_or_else(invalid)?;
                    if first.is_ascii_digit() {
                        let mut value = u32::from(first - b'0');
                        for _ in 0..2 {
                            let digit = bytes
                                .next()
                                .filter(u8::is_ascii_digit)
                                .ok_or_else(invalid)?;
                            value = value * 10 + u32::from(digit - b'0');
                        }
                        label.push(u8::try_from(value).map_err(|_| invalid())?);
                    } else {
                        label.push(first);
                    }
                }
                _ => label.push(b),
            }
        }
        // An empty last label is the one trailing dot allowed; `a..` failed in the loop.
        if !label.is_empty() {
            labels.push(label);
        }
        for label in &mut labels {
            if label.len() > MAX_LABEL_LEN {
                return Err(WireError::LabelTooLong {
                    name: text.to_owned(),
                    len: label.len(),
                });
            }
            label.make_ascii_lowercase();
        }
        let name = Name { labels };
        let octets = name.wire_len();
        if octets > MAX_NAME_LEN {
            return Err(WireError::NameTooLong {
                name: text.to_owned(),
                octets,
            });
        }
        Ok(name)
    }

    /// The uncompressed wire length: one length octet per label, the labels, the root octet.
    pub(crate) fn wire_len(&self) -> usize {
        self.labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1
    }

    /// Appends the name uncompressed (RFC 1035 §3.1).
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        for label in &self.labels {
            // Parse and read guarantee at most 63 octets.
            out.push(label.len() as u8);
            out.extend_from_slice(label);
        }
        out.push(0);
    }

    /// Reads a possibly compressed name at `offset` (RFC 1035 §4.1.4). Returns the name and
    /// the offset just past it in the original position (after the first pointer, if any).
    ///
    /// Loop protection: a pointer may not lead to an offset already visited, there may be at
    /// most 128 pointers, and the name may not exceed 255 octets.
    pub(crate) fn read(packet: &[u8], offset: usize) -> Result<(Name, usize), WireError> {
        let mut labels: Vec<Vec<u8>> = Vec::new();
        let mut pos = offset;
        let mut resume: Option<usize> = None;
        let mut visited: Vec<usize> = Vec::new();
        let mut octets = 1;
        loop {
            let octet = *packet.get(pos).ok_or(WireError::Truncated {
                what: "name",
                offset: pos,
                needed: 1,
                len: packet.len(),
            })?;
            match octet >> 6 {
                0b00 if octet == 0 => {
                    pos += 1;
                    break;
                }
                0b00 => {
                    let len = usize::from(octet);
                    let start = pos + 1;
                    let label = packet.get(start..start + len).ok_or(WireError::Truncated {
                        what: "label",
                        offset: pos,
                        needed: len + 1,
                        len: packet.len(),
                    })?;
                    octets += len + 1;
                    labels.push(label.to_ascii_lowercase());
                    if octets > MAX_NAME_LEN {
                        return Err(WireError::NameTooLong {
                            name: Name { labels }.to_text(),
                            octets,
                        });
                    }
                    pos = start + len;
                }
                0b11 => {
                    let low = *packet.get(pos + 1).ok_or(WireError::Truncated {
                        what: "compression pointer",
                        offset: pos,
                        needed: 2,
                        len: packet.len(),
                    })?;
                    let target = (usize::from(octet & 0x3f) << 8) | usize::from(low);
                    if target >= packet.len() {
                        return Err(WireError::PointerOutOfBounds {
                            offset: pos,
                            target,
                        });
                    }
                    if visited.contains(&target) || visited.len() >= MAX_POINTERS {
                        return Err(WireError::PointerLoop {
                            offset: pos,
                            target,
                        });
                    }
                    visited.push(target);
                    resume.get_or_insert(pos + 2);
                    pos = target;
                }
                _ => return Err(WireError::UnsupportedLabelType { offset: pos, octet }),
            }
        }
        Ok((Name { labels }, resume.unwrap_or(pos)))
    }

    /// Presentation form: lowercase, no trailing dot, the root as the empty string; `.`,
    /// `\` and octets outside `!`..`~` escaped as in RFC 1035 §5.1.
    pub(crate) fn to_text(&self) -> String {
        let mut text = String::new();
        for (i, label) in self.labels.iter().enumerate() {
            if i > 0 {
                text.push('.');
            }
            for &b in label {
                match b {
                    b'.' | b'\\' => {
                        text.push('\\');
                        text.push(char::from(b));
                    }
                    0x21..=0x7e => text.push(char::from(b)),
                    _ => {
                        // Writing to a String cannot fail.
                        let _ = write!(text, "\\{b:03}");
                    }
                }
            }
        }
        text
    }
}
