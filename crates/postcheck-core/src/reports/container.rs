//! The wrappers reports arrive in, recognized by their first bytes rather than their file
//! names: gzip (RFC 1952; magic `1f 8b`), zip (PKWARE's APPNOTE.TXT; local header `PK\x03\x04`),
//! and the raw DEFLATE (RFC 1951) inside both, inflated with `miniz_oxide`.
//!
//! A report is small, but a hostile or broken file must not take the machine with it: every
//! inflation is capped ([`MAX_INFLATED_BYTES`] for one file, all its entries together), and
//! nesting (gzip in zip in a message) at [`MAX_DEPTH`]. Inflating is linear in its input and
//! output, so a capped run always ends.

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};

/// The most bytes one input file may inflate to, all its gzip members and zip entries
/// together: 512 MiB. The largest aggregate reports of big receivers are tens of megabytes of
/// XML; a file that inflates beyond this is a decompression bomb or not a report.
pub const MAX_INFLATED_BYTES: usize = 512 * 1024 * 1024;

/// How deep wrappers may nest (a zip in a gzip in a message attached to a message …).
pub const MAX_DEPTH: usize = 4;

/// What the first bytes say a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// gzip (RFC 1952 §2.3.1: ID1 = 0x1f, ID2 = 0x8b).
    Gzip,
    /// A zip archive (APPNOTE §4.3.7: local file header signature `PK\x03\x04`), or an empty
    /// one (`PK\x05\x06`).
    Zip,
    /// XML: `<?xml`, `<feedback` or any element, after a byte-order mark and whitespace.
    Xml,
    /// JSON: an object (RFC 8259), as SMTP TLS reports are (RFC 8460 §4.4).
    Json,
    /// An Internet message (RFC 5322): header fields first.
    Message,
    /// None of these.
    Unknown,
}

/// The format of `bytes`, by content.
pub(crate) fn detect(bytes: &[u8]) -> Format {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Format::Gzip;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = text.trim_ascii_start();
    match start.first() {
        Some(b'<') => Format::Xml,
        Some(b'{') => Format::Json,
        _ if looks_like_header_field(start) => Format::Message,
        _ => Format::Unknown,
    }
}

/// Whether the text starts with a header field (`Name: value`, RFC 5322 §2.2) or an mbox
/// `From ` line.
fn looks_like_header_field(text: &[u8]) -> bool {
    if text.starts_with(b"From ") {
        return true;
    }
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':'),
        _ => false,
    }
}

/// Why a wrapper could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UnpackError {
    /// Broken: a truncated stream, bad compressed data, a checksum that does not match, an
    /// entry method other than stored and deflate. The text is the reason, in English, for the
    /// finding's `detail`; the offset where it was noticed.
    Broken { detail: String, offset: usize },
    /// More than the budget of inflated bytes.
    TooLarge,
}

/// The budget of inflated bytes left for one input file.
#[derive(Debug)]
pub(crate) struct Budget {
    left: usize,
}

impl Budget {
    pub(crate) fn new(limit: usize) -> Self {
        Budget { left: limit }
    }
}

/// Inflates raw DEFLATE data (RFC 1951) from the start of `input`: the data and the number of
/// input bytes it took. Counts against `budget`.
fn inflate(input: &[u8], budget: &mut Budget) -> Result<(Vec<u8>, usize), UnpackError> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let limit = budget.left;
    let mut out: Vec<u8> = vec![0; input.len().saturating_mul(4).clamp(64, limit.max(64))];
    let mut decompressor = Box::<DecompressorOxide>::default();
    let (mut out_pos, mut in_pos) = (0, 0);
    loop {
        let (status, consumed, written) = decompress(
            &mut decompressor,
            &input[in_pos..],
            &mut out,
            out_pos,
            flags,
        );
        out_pos += written;
        in_pos += consumed;
        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                budget.left -= out_pos.min(budget.left);
                return Ok((out, in_pos));
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= limit {
                    return Err(UnpackError::TooLarge);
                }
                let grown = out.len().saturating_mul(2).min(limit);
                out.resize(grown, 0);
            }
            TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
                return Err(broken("the compressed data ends too early", in_pos));
            }
            _ => return Err(broken("the compressed data is corrupt", in_pos)),
        }
    }
}

fn broken(detail: &str, offset: usize) -> UnpackError {
    UnpackError::Broken {
        detail: detail.to_owned(),
        offset,
    }
}

/// The CRC-32 of gzip (RFC 1952 §8) and zip (APPNOTE §4.4.7): polynomial 0xEDB88320, reflected.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut index = 0;
        while index < 256 {
            let mut crc = index as u32;
            let mut bit = 0;
            while bit < 8 {
                crc = if crc & 1 == 1 {
                    0xedb8_8320 ^ (crc >> 1)
                } else {
                    crc >> 1
                };
                bit += 1;
            }
            table[index] = crc;
            index += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &byte in bytes {
        crc = TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8);
    }
    !crc
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The content of a gzip file (RFC 1952): every member, one after the other (§2.2), each
/// checked against its CRC-32 and size (§2.3.1).
pub(crate) fn gunzip(bytes: &[u8], budget: &mut Budget) -> Result<Vec<u8>, UnpackError> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let member = &bytes[at..];
        if !member.starts_with(&[0x1f, 0x8b]) {
            if out.is_empty() {
                return Err(broken("not gzip", at));
            }
            // Padding after the last member (some writers add zeros): ignored.
            break;
        }
        let (data, used) = gunzip_member(member, budget).map_err(|error| match error {
            UnpackError::Broken { detail, offset } => UnpackError::Broken {
                detail,
                offset: at + offset,
            },
            other => other,
        })?;
        out.extend_from_slice(&data);
        at += used;
    }
    Ok(out)
}

/// One gzip member: its data and its length in `bytes`.
fn gunzip_member(bytes: &[u8], budget: &mut Budget) -> Result<(Vec<u8>, usize), UnpackError> {
    const FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    let short = || broken("the gzip header ends too early", bytes.len());
    // RFC 1952 §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS, CM 8 = deflate.
    if bytes.get(2) != Some(&8) {
        return Err(broken(
            "gzip with a compression method other than deflate",
            2,
        ));
    }
    let flags = *bytes.get(3).ok_or_else(short)?;
    let mut at = 10;
    if flags & FEXTRA != 0 {
        at += 2 + usize::from(u16_at(bytes, at).ok_or_else(short)?);
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = bytes
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
                .ok_or_else(short)?;
            at += end + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let body = bytes.get(at..).ok_or_else(short)?;
    let (data, used) = inflate(body, budget).map_err(|error| match error {
        UnpackError::Broken { detail, offset } => UnpackError::Broken {
            detail,
            offset: at + offset,
        },
        other => other,
    })?;
    let trailer = at + used;
    let (Some(crc), Some(size)) = (u32_at(bytes, trailer), u32_at(bytes, trailer + 4)) else {
        return Err(broken("the gzip trailer is missing", trailer));
    };
    if crc != crc32(&data) || size != data.len() as u32 {
        return Err(broken("the gzip checksum does not match", trailer));
    }
    Ok((data, trailer + 8))
}

/// One entry of a zip archive.
#[derive(Debug)]
pub(crate) struct ZipEntry {
    /// The entry's name in the archive.
    pub name: String,
    /// Its content, or why it could not be read.
    pub content: Result<Vec<u8>, UnpackError>,
}

/// Where an entry's data is, as the central directory (APPNOTE §4.3.12) or a local header says.
#[derive(Debug)]
struct EntryHeader {
    name: String,
    method: u16,
    flags: u16,
    crc: u32,
    compressed_size: usize,
    size: usize,
    local_header: usize,
}

/// The entries of a zip archive: from the central directory, or, where it is missing (a
/// truncated download), from the local headers one after another. Directories are left out.
/// Stored (0) and deflate (8) are read (APPNOTE §4.4.5); ZIP64 and encryption are not.
pub(crate) fn unzip(bytes: &[u8], budget: &mut Budget) -> Result<Vec<ZipEntry>, UnpackError> {
    let headers = match central_directory(bytes) {
        Some(headers) => headers,
        None => local_headers(bytes),
    };
    if headers.is_empty() {
        return Err(broken("the zip archive holds no readable entry", 0));
    }
    let mut entries = Vec::new();
    for header in headers {
        if header.name.ends_with('/') {
            continue;
        }
        let content = entry_content(bytes, &header, budget);
        let stop = matches!(content, Err(UnpackError::TooLarge));
        entries.push(ZipEntry {
            name: header.name,
            content,
        });
        if stop {
            break;
        }
    }
    Ok(entries)
}

/// The central directory's entries, found through the end of central directory record
/// (APPNOTE §4.3.16), searched from the end past a comment of at most 64 KiB.
fn central_directory(bytes: &[u8]) -> Option<Vec<EntryHeader>> {
    let earliest = bytes.len().saturating_sub(22 + 65_535);
    let end = (earliest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&at| bytes[at..].starts_with(b"PK\x05\x06"))?;
    let count = usize::from(u16_at(bytes, end + 10)?);
    let mut at = usize::try_from(u32_at(bytes, end + 16)?).ok()?;
    let mut headers = Vec::with_capacity(count.min(4096));
    for _ in 0..count {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_length = usize::from(u16_at(bytes, at + 28)?);
        let extra_length = usize::from(u16_at(bytes, at + 30)?);
        let comment_length = usize::from(u16_at(bytes, at + 32)?);
        let name = bytes.get(at + 46..at + 46 + name_length)?;
        headers.push(EntryHeader {
            name: String::from_utf8_lossy(name).into_owned(),
            flags: u16_at(bytes, at + 8)?,
            method: u16_at(bytes, at + 10)?,
            crc: u32_at(bytes, at + 16)?,
            compressed_size: u32_at(bytes, at + 20)? as usize,
            size: u32_at(bytes, at + 24)? as usize,
            local_header: u32_at(bytes, at + 42)? as usize,
        });
        at += 46 + name_length + extra_length + comment_length;
    }
    Some(headers)
}

/// The entries the local headers name (APPNOTE §4.3.7), walked from the start while their
/// sizes are known; an entry whose sizes follow its data (flag bit 3) ends the walk.
fn local_headers(bytes: &[u8]) -> Vec<EntryHeader> {
    let mut headers = Vec::new();
    let mut at = 0;
    while bytes[at.min(bytes.len())..].starts_with(b"PK\x03\x04") {
        let Some(header) = local_header(bytes, at) else {
            break;
        };
        let (Some(name_length), Some(extra_length)) =
            (u16_at(bytes, at + 26), u16_at(bytes, at + 28))
        else {
            break;
        };
        let next =
            at + 30 + usize::from(name_length) + usize::from(extra_length) + header.compressed_size;
        let sizes_follow = header.flags & 0x08 != 0;
        headers.push(header);
        if sizes_follow {
            break;
        }
        at = next;
    }
    headers
}

fn local_header(bytes: &[u8], at: usize) -> Option<EntryHeader> {
    let name_length = usize::from(u16_at(bytes, at + 26)?);
    let name = bytes.get(at + 30..at + 30 + name_length)?;
    Some(EntryHeader {
        name: String::from_utf8_lossy(name).into_owned(),
        flags: u16_at(bytes, at + 6)?,
        method: u16_at(bytes, at + 8)?,
        crc: u32_at(bytes, at + 14)?,
        compressed_size: u32_at(bytes, at + 18)? as usize,
        size: u32_at(bytes, at + 22)? as usize,
        local_header: at,
    })
}

fn entry_content(
    bytes: &[u8],
    header: &EntryHeader,
    budget: &mut Budget,
) -> Result<Vec<u8>, UnpackError> {
    let at = header.local_header;
    if !bytes
        .get(at..)
        .is_some_and(|rest| rest.starts_with(b"PK\x03\x04"))
    {
        return Err(broken("the entry's local header is missing", at));
    }
    if header.flags & 0x01 != 0 {
        return Err(broken("the entry is encrypted", at));
    }
    if header.size == 0xffff_ffff || header.compressed_size == 0xffff_ffff {
        return Err(broken("ZIP64 entries are not supported", at));
    }
    let skip = |offset: usize| u16_at(bytes, at + offset).map(usize::from);
    let (Some(name_length), Some(extra_length)) = (skip(26), skip(28)) else {
        return Err(broken("the entry's local header ends too early", at));
    };
    let start = at + 30 + name_length + extra_length;
    let data = match header.method {
        0 => {
            let Some(stored) = bytes.get(start..start + header.compressed_size) else {
                return Err(broken("the entry ends too early", start));
            };
            if stored.len() > budget.left {
                return Err(UnpackError::TooLarge);
            }
            budget.left -= stored.len();
            stored.to_vec()
        }
        8 => {
            // The central directory's size bounds the input; without it, the rest of the file.
            let end = if header.compressed_size > 0 {
                (start + header.compressed_size).min(bytes.len())
            } else {
                bytes.len()
            };
            let Some(input) = bytes.get(start..end) else {
                return Err(broken("the entry ends too early", start));
            };
            inflate(input, budget)
                .map_err(|error| match error {
                    UnpackError::Broken { detail, offset } => UnpackError::Broken {
                        detail,
                        offset: start + offset,
                    },
                    other => other,
                })?
                .0
        }
        method => {
            return Err(broken(
                &format!("zip compression method {method} is not supported"),
                at,
            ));
        }
    };
    // Sizes and checksum, where the header knows them (with flag bit 3 the local header's are
    // zero; the central directory's are real).
    let known = header.crc != 0 || header.size != 0;
    if known && (data.len() != header.size || crc32(&data) != header.crc) {
        return Err(broken("the entry's checksum does not match", at));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(detect(b"\x1f\x8b\x08\x00"), Format::Gzip);
        assert_eq!(detect(b"PK\x03\x04rest"), Format::Zip);
        assert_eq!(
            detect(b"\xef\xbb\xbf  <?xml version=\"1.0\"?>"),
            Format::Xml
        );
        assert_eq!(detect(b"<feedback>"), Format::Xml);
        assert_eq!(detect(b"\n {\"organization-name\":1}"), Format::Json);
        assert_eq!(detect(b"Return-Path: <a@b.example>\n"), Format::Message);
        assert_eq!(detect(b"From MAILER-DAEMON Thu"), Format::Message);
        assert_eq!(detect(b"\x00\x01binary"), Format::Unknown);
        assert_eq!(detect(b""), Format::Unknown);
    }

    #[test]
    fn crc32_is_the_gzip_one() {
        // RFC 3720 B.4 lists CRC-32C; the IEEE CRC-32 check value of "123456789" is cbf43926.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }

    /// A gzip member of stored DEFLATE blocks, written by hand (RFC 1951 §3.2.4).
    fn stored_gzip(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        out.push(1);
        let length = data.len() as u16;
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&(!length).to_le_bytes());
        out.extend_from_slice(data);
        out.extend_from_slice(&crc32(data).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out
    }

    #[test]
    fn gzip_members_are_read_and_checked() {
        let mut two = stored_gzip(b"<a/>");
        two.extend(stored_gzip(b"<b/>"));
        let mut budget = Budget::new(1000);
        assert_eq!(gunzip(&two, &mut budget).unwrap(), b"<a/><b/>");
        let mut bad = stored_gzip(b"<a/>");
        let crc_at = bad.len() - 8;
        bad[crc_at] ^= 1;
        assert!(matches!(
            gunzip(&bad, &mut Budget::new(1000)),
            Err(UnpackError::Broken { .. })
        ));
        let truncated = &stored_gzip(b"<feedback/>")[..14];
        assert!(matches!(
            gunzip(truncated, &mut Budget::new(1000)),
            Err(UnpackError::Broken { .. })
        ));
        assert_eq!(
            gunzip(&stored_gzip(&[b'x'; 200]), &mut Budget::new(100)),
            Err(UnpackError::TooLarge)
        );
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_budget() {
        // 8 MiB of zeros deflate to about 8 KiB; a budget of 1 MiB stops the inflation there.
        let zeros = vec![0u8; 8 << 20];
        let deflated = miniz_oxide::deflate::compress_to_vec(&zeros, 6);
        assert!(deflated.len() < 64 << 10, "{}", deflated.len());
        let mut gzip = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        gzip.extend_from_slice(&deflated);
        gzip.extend_from_slice(&crc32(&zeros).to_le_bytes());
        gzip.extend_from_slice(&(zeros.len() as u32).to_le_bytes());
        assert_eq!(
            gunzip(&gzip, &mut Budget::new(1 << 20)),
            Err(UnpackError::TooLarge)
        );
        assert_eq!(
            gunzip(&gzip, &mut Budget::new(16 << 20)).unwrap().len(),
            8 << 20
        );
        // The budget is shared: a second member (or zip entry) gets what is left.
        let mut budget = Budget::new(12 << 20);
        assert!(gunzip(&gzip, &mut budget).is_ok());
        assert_eq!(gunzip(&gzip, &mut budget), Err(UnpackError::TooLarge));
    }
}
