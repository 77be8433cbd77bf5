//! Reads a bounce the way it is built: an Internet message (RFC 5322) whose body is MIME
//! (RFC 2045–2046), usually a multipart/report (RFC 6522) with a human-readable part, a
//! message/delivery-status part (RFC 3464 §2) and the returned message. Parts are decoded
//! (quoted-printable, base64; UTF-8, Latin-1, Windows-1252) and sorted into what the reporting
//! server wrote for people, the machine-readable status, and the returned message — which is only
//! ever read for the original sender's address, never for the reason.

/// A bounce taken apart.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notice {
    /// The bounce's own header fields (name in lowercase, value unfolded).
    pub headers: Vec<(String, String)>,
    /// What the reporting server wrote for people: the text parts, each cut before a returned
    /// message it quotes.
    pub human: String,
    /// The message/delivery-status parts (RFC 3464 §2), as text.
    pub status: String,
    /// The returned message's header fields (message/rfc822, text/rfc822-headers, or the copy
    /// after a "this is a copy of the message" line).
    pub returned_headers: Vec<(String, String)>,
    /// A message/feedback-report part (RFC 5965 §2): a complaint, not a bounce.
    pub feedback_report: bool,
}

impl Notice {
    /// The first value of the bounce's own header `name` (lowercase).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Header fields, names in lowercase, values unfolded, in their order.
type HeaderFields = Vec<(String, String)>;

/// Any line ending (CRLF, LF, CR alone as on old Macs) becomes LF.
fn normalize_line_endings(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\r' => {
                out.push(b'\n');
                if bytes.get(index + 1) == Some(&b'\n') {
                    index += 1;
                }
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    out
}

/// Windows-1252's characters for 0x80–0x9F (Latin-1 has control characters there).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// Bytes as text in `charset`: valid UTF-8 is taken as it is (a pasted text is already decoded,
/// whatever its part says); else Latin-1 and Windows-1252 (the usual mislabel of each other),
/// and anything else with invalid bytes replaced.
pub(crate) fn decode_charset(bytes: &[u8], charset: &str) -> String {
    let charset = charset.to_ascii_lowercase();
    // ISO-2022-JP is 7 bit, so valid UTF-8 as it stands: its escape sequences decide, whatever
    // the part says (a pasted text is already decoded and has none).
    if bytes.windows(3).any(|w| w == b"\x1b$B" || w == b"\x1b$@") {
        return decode_iso_2022_jp(bytes);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    let single_byte = charset.is_empty()
        || charset.contains("8859")
        || charset.contains("1252")
        || charset.contains("latin")
        || charset.contains("ascii");
    if single_byte {
        bytes
            .iter()
            .map(|&byte| match byte {
                0x80..=0x9f => CP1252_HIGH[usize::from(byte - 0x80)],
                _ => char::from(byte),
            })
            .collect()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// ISO-2022-JP (RFC 1468), cheaply: ASCII as it is, and of JIS X 0208 the kana (rows 4 and 5,
/// in Unicode's order), the ideographic space, 、 。 and ー; any other character (kanji, the
/// rest of the symbols) becomes U+FFFD. Japanese bounces (Lotus Notes, NTT, KDDI) are then
/// matched by their kana phrases, such as "ディレクトリのリストにありません".
fn decode_iso_2022_jp(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut double = false;
    let mut index = 0;
    while index < bytes.len() {
        match &bytes[index..] {
            [0x1b, b'$', b'B' | b'@', ..] => {
                double = true;
                index += 3;
            }
            [0x1b, b'(', b'B' | b'J', ..] => {
                double = false;
                index += 3;
            }
            [b'\n', ..] => {
                // RFC 1468: a line ends in ASCII; a missing switch back does not carry over.
                double = false;
                out.push('\n');
                index += 1;
            }
            [row @ 0x21..=0x7e, cell @ 0x21..=0x7e, ..] if double => {
                let cell = u32::from(*cell - 0x21);
                let code = match row {
                    0x24 if cell < 83 => 0x3041 + cell,
                    0x25 if cell < 86 => 0x30a1 + cell,
                    0x21 => match cell {
                        0 => 0x3000,
                        1 => 0x3001,
                        2 => 0x3002,
                        27 => 0x30fc,
                        _ => 0xfffd,
                    },
                    _ => 0xfffd,
                };
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                index += 2;
            }
            [byte, ..] => {
                out.push(if byte.is_ascii() {
                    char::from(*byte)
                } else {
                    '\u{fffd}'
                });
                index += 1;
            }
            [] => break,
        }
    }
    out
}

/// Quoted-printable (RFC 2045 §6.7), lenient: a stray `=` stays as it is.
fn decode_quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'=' {
            // A soft line break: `=` and trailing blanks before the end of the line.
            let rest = &bytes[index + 1..];
            let blanks = rest
                .iter()
                .take_while(|b| **b == b' ' || **b == b'\t')
                .count();
            if rest.get(blanks) == Some(&b'\n') {
                index += blanks + 2;
                continue;
            }
            if let (Some(high), Some(low)) = (
                rest.first().copied().and_then(hex),
                rest.get(1).copied().and_then(hex),
            ) {
                out.push(high << 4 | low);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    out
}

/// Base64 (RFC 2045 §6.8), skipping what is not of its alphabet.
fn decode_base64(bytes: &[u8]) -> Vec<u8> {
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        if byte == b'=' {
            break;
        }
        let Some(six) = value(byte) else { continue };
        buffer = buffer << 6 | u32::from(six);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// A field name (RFC 5322 §3.6.8: printable ASCII but `:` and space).
fn field_name(line: &str) -> Option<&str> {
    let (name, _) = line.split_once(':')?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')).then_some(name)
}

/// Unfolded header fields of a header block (RFC 5322 §2.2.3), names in lowercase.
pub(crate) fn parse_header_block(block: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some(name) = field_name(line) {
            let value = line[name.len() + 1..].trim();
            fields.push((name.to_ascii_lowercase(), value.to_owned()));
        }
    }
    fields
}

/// Header names of an Internet message (as opposed to the fields of a delivery status).
fn is_message_header(name: &str) -> bool {
    matches!(
        name,
        "received"
            | "return-path"
            | "from"
            | "to"
            | "cc"
            | "subject"
            | "date"
            | "message-id"
            | "mime-version"
            | "content-type"
            | "content-transfer-encoding"
            | "delivered-to"
            | "dkim-signature"
            | "authentication-results"
            | "reply-to"
            | "sender"
            | "in-reply-to"
            | "references"
            | "auto-submitted"
            | "precedence"
            | "domainkey-signature"
            | "list-unsubscribe"
            | "thread-topic"
            | "thread-index"
            | "importance"
    ) || name.starts_with("x-")
        || name.starts_with("arc-")
}

/// Splits `text` into its header block and body when it starts with a message's header fields
/// (an mbox `From ` line before them is skipped); else there is no header block.
fn split_message(text: &str) -> (Vec<(String, String)>, &str) {
    let mut start = text.trim_start_matches('\n');
    if start.starts_with("From ") {
        start = start.split_once('\n').map_or("", |(_, rest)| rest);
    }
    let first_line = start.lines().next().unwrap_or_default();
    if field_name(first_line).is_none() {
        return (Vec::new(), text);
    }
    let (block, body) = match start.find("\n\n") {
        Some(at) => (&start[..at], &start[at + 2..]),
        None => (start, ""),
    };
    // Every line of the block is a field or a continuation, and some are a message's fields.
    let continues = |line: &str| line.starts_with([' ', '\t']) || field_name(line).is_some();
    let all_fields = block.lines().all(continues);
    let fields = if all_fields {
        parse_header_block(block)
    } else {
        // RFC 5322 §2.2: the header ends at the empty line. Folding that lost its leading
        // white space (Received-SPF's "envelope-from=…;" on a line of its own, as some
        // gateways and copies leave it) still belongs to the field above, when the block is
        // plainly a message's header: three of its fields or more. Else the text has no header
        // (a pasted "Subject: …" line right above the notice's prose).
        let refolded: Vec<String> = block
            .lines()
            .map(|line| match continues(line) {
                true => line.to_owned(),
                false => format!(" {line}"),
            })
            .collect();
        parse_header_block(&refolded.join("\n"))
    };
    let message_headers = fields
        .iter()
        .filter(|(name, _)| is_message_header(name))
        .count();
    if message_headers == 0 || (!all_fields && message_headers < 3) {
        return (Vec::new(), text);
    }
    (fields, body)
}

/// A header value's main token and its parameters (RFC 2045 §5.1), names in lowercase.
fn parse_parameters(value: &str) -> (String, Vec<(String, String)>) {
    let mut pieces = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    for c in value.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => pieces.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    pieces.push(current);
    let main = pieces[0].trim().to_ascii_lowercase();
    let parameters = pieces[1..]
        .iter()
        .filter_map(|piece| {
            let (name, value) = piece.split_once('=')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect();
    (main, parameters)
}

fn parameter<'a>(parameters: &'a [(String, String)], name: &str) -> Option<&'a str> {
    parameters
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn header<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Text without its HTML markup: block ends become line breaks, the common entities are read.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tag_text = &rest[open..];
        let lower: String = tag_text
            .chars()
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        let skip_to = if lower.starts_with("<style") || lower.starts_with("<script") {
            let closing = if lower.starts_with("<style") {
                "</style"
            } else {
                "</script"
            };
            tag_text
                .to_ascii_lowercase()
                .find(closing)
                .map_or(tag_text.len(), |at| at + closing.len())
        } else {
            0
        };
        let tail = &tag_text[skip_to..];
        let end = tail.find('>').map_or(tail.len(), |at| at + 1);
        let tag = tail[..end].to_ascii_lowercase();
        if ["<br", "</p", "<p", "</div", "</tr", "</li", "</h", "</td"]
            .iter()
            .any(|t| tag.starts_with(t))
        {
            out.push('\n');
        } else {
            out.push(' ');
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Where a text part stops being the server's own words and starts quoting the returned
/// message: a separator line ("------ This is a copy of the message, including all the
/// headers. ------", "--- Below this line is a copy of the message.", "----- Original message
/// -----") or an embedded header block of at least two message fields.
fn returned_message_start(text: &str) -> Option<usize> {
    let mut offset = 0;
    let lines: Vec<&str> = text.split('\n').collect();
    let mut seen_text = false;
    for (index, line) in lines.iter().enumerate() {
        let lower = line.trim().to_ascii_lowercase();
        let separator = [
            "copy of the message",
            "copy of the original message",
            "original message follows",
            "unsent message follows",
            "returned message follows",
            "message text follows",
            "original message headers",
            "headers of the original message",
            "original message header",
            "this is the original message",
            "original message --",
            "original message ==",
            "returned message --",
            "content-type: message/rfc822",
            "your message reads",
            "the original message was:",
            "text of the message follows",
            "header of the original message",
            "original message attached",
            "returned mail follows",
            "undelivered message follows",
        ]
        .iter()
        .any(|needle| lower.contains(needle))
            && lower.len() < 120;
        if separator {
            return Some(offset);
        }
        // An embedded message: two message header fields in a row after some text.
        if seen_text
            && let Some(name) = field_name(line.trim_start_matches('>').trim_start())
            && !line.starts_with([' ', '\t'])
        {
            let name = name.to_ascii_lowercase();
            let strong = matches!(
                name.as_str(),
                "received" | "return-path" | "dkim-signature" | "message-id" | "mime-version"
            );
            let next_is_field = lines[index + 1..]
                .iter()
                .find(|l| !l.starts_with([' ', '\t']))
                .and_then(|l| field_name(l.trim_start_matches('>').trim_start()))
                .is_some_and(|n| is_message_header(&n.to_ascii_lowercase()));
            if strong && next_is_field {
                // The block starts at its first field: the lines right above that are fields
                // too ("From: Mail Delivery Subsystem", "Date: …" before "Return-Path:").
                let above = lines[..index]
                    .iter()
                    .rev()
                    .take_while(|l| {
                        !l.starts_with([' ', '\t'])
                            && field_name(l.trim_start_matches('>').trim_start()).is_some()
                    })
                    .map(|l| l.len() + 1)
                    .sum::<usize>();
                return Some(offset - above);
            }
        }
        if !lower.is_empty() {
            seen_text = true;
        }
        offset += line.len() + 1;
    }
    None
}

/// The boundary of an unlabelled multipart body: a `--boundary` line followed by a part's
/// `Content-Type:` (a pasted body whose message headers were left out).
fn guess_boundary(body: &str) -> Option<String> {
    let lines: Vec<&str> = body.lines().collect();
    lines.windows(2).find_map(|pair| {
        let boundary = pair[0].trim_end().strip_prefix("--")?;
        let valid = !boundary.is_empty()
            && !boundary.starts_with('-')
            && !boundary.contains(' ')
            && pair[1].to_ascii_lowercase().starts_with("content-");
        valid.then(|| boundary.to_owned())
    })
}

/// Walks a body of content type `content_type` and sorts it into the notice.
fn walk(notice: &mut Notice, fields: &[(String, String)], body: &[u8], depth: usize) {
    let (content_type, parameters) =
        parse_parameters(header(fields, "content-type").unwrap_or("text/plain"));
    let charset = parameter(&parameters, "charset")
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned();
    let body_text = || normalize_line_endings(&decode_transfer_encoding(fields, body));
    if content_type.starts_with("multipart/") && depth < 8 {
        let boundary = parameter(&parameters, "boundary")
            .map(|b| b.trim_matches('"').to_owned())
            .or_else(|| guess_boundary(&String::from_utf8_lossy(body)));
        if let Some(boundary) = boundary
            && walk_multipart(notice, body, &boundary, depth)
        {
            return;
        }
        // No boundary found: the body is read as text.
        add_human(notice, &decode_charset(body, &charset), depth);
        return;
    }
    match content_type.as_str() {
        "message/feedback-report" => notice.feedback_report = true,
        "message/delivery-status" | "message/global-delivery-status" => {
            let text = decode_charset(&body_text(), &charset);
            // RFC 3464 §2.1: the part is fields. One without any (Cricket's InterMail labels
            // its prose "This Message was undeliverable …" so) is the notice for people.
            if has_dsn_field(&text) {
                notice.status.push_str(&text);
                notice.status.push('\n');
            } else {
                add_human(notice, &text, depth);
            }
        }
        "message/rfc822"
        | "message/global"
        | "text/rfc822-headers"
        | "message/global-headers"
        | "message/partial"
        | "text/rfc822" => {
            let text = decode_charset(&body_text(), &charset);
            let (returned, _) = split_message(&text);
            notice.returned_headers.extend(returned);
        }
        "text/html" => add_human(
            notice,
            &strip_html(&decode_charset(&body_text(), &charset)),
            depth,
        ),
        _ if content_type.starts_with("text/") || content_type.is_empty() => {
            add_human(notice, &decode_charset(&body_text(), &charset), depth);
        }
        // Attachments and the like say nothing about the delivery.
        _ => {}
    }
}

/// Whether `text` holds a field of RFC 3464 §2.2–2.3 (`Action: failed`, `Status: 5.1.1`).
fn has_dsn_field(text: &str) -> bool {
    const FIELDS: &[&str] = &[
        "reporting-mta",
        "final-recipient",
        "original-recipient",
        "action",
        "status",
        "diagnostic-code",
        "remote-mta",
        "arrival-date",
        "received-from-mta",
        "dsn-gateway",
    ];
    text.lines().any(|line| {
        line.split_once(':')
            .is_some_and(|(name, _)| FIELDS.contains(&name.trim().to_ascii_lowercase().as_str()))
    })
}

/// The parts of a multipart body (RFC 2046 §5.1.1), each with its header fields and its
/// undecoded body; empty when the boundary does not occur. Works on the bytes, so that a part in
/// a single-byte charset or a binary attachment reaches its decoder intact.
fn split_multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<(HeaderFields, &'a [u8])> {
    let delimiter = format!("--{boundary}");
    let closing = format!("{delimiter}--");
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in body.split_inclusive(|b| *b == b'\n') {
        let trimmed = line.trim_ascii_end();
        if trimmed.starts_with(delimiter.as_bytes()) {
            if let Some(begin) = start {
                parts.push((begin, offset));
            }
            start = (trimmed != closing.as_bytes()).then_some(offset + line.len());
        }
        offset += line.len();
    }
    if let Some(begin) = start {
        parts.push((begin, body.len()));
    }
    parts
        .into_iter()
        .map(|(begin, end)| {
            let part = &body[begin..end];
            // A part's header block ends at the first empty line; a part may have none.
            let first_line = part.split(|b| *b == b'\n').next().unwrap_or_default();
            if part.starts_with(b"\n") {
                (Vec::new(), &part[1..])
            } else if field_name(&String::from_utf8_lossy(first_line)).is_none() {
                (Vec::new(), part)
            } else {
                match part.windows(2).position(|w| w == b"\n\n") {
                    Some(at) => (
                        parse_header_block(&String::from_utf8_lossy(&part[..at])),
                        &part[at + 2..],
                    ),
                    None => (
                        parse_header_block(&String::from_utf8_lossy(part)),
                        &part[part.len()..],
                    ),
                }
            }
        })
        .collect()
}

/// The parts of a multipart body walked into the notice; false when the boundary does not occur.
fn walk_multipart(notice: &mut Notice, body: &[u8], boundary: &str, depth: usize) -> bool {
    let parts = split_multipart(body, boundary);
    if parts.is_empty() {
        return false;
    }
    for (part_fields, part_body) in parts {
        walk(notice, &part_fields, part_body, depth + 1);
    }
    true
}

/// A body decoded from its Content-Transfer-Encoding (RFC 2045 §6): quoted-printable, base64,
/// or as it is.
fn decode_transfer_encoding(fields: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let encoding = header(fields, "content-transfer-encoding")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => decode_base64(body),
        _ => body.to_vec(),
    }
}

/// One leaf part of a message (not a multipart): its content type (lowercase, no parameters),
/// its file name (`filename=` of Content-Disposition, else `name=` of Content-Type), and its
/// body decoded from the transfer encoding.
#[cfg(feature = "reports")]
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub content_type: String,
    pub file_name: Option<String>,
    pub body: Vec<u8>,
}

/// The leaf parts of an Internet message (RFC 5322, MIME per RFC 2045–2046), depth first (an
/// attached message/rfc822 is one part, whole); `None` when `bytes` does not start with a message's
/// header block. The received-reports reader finds the report attachments this way.
#[cfg(feature = "reports")]
pub(crate) fn leaf_parts(bytes: &[u8]) -> Option<Vec<Part>> {
    let bytes = normalize_line_endings(bytes);
    let text = String::from_utf8_lossy(&bytes);
    let (headers, _) = split_message(&text);
    if headers.is_empty() {
        return None;
    }
    // The body's place in the bytes: after the header block's empty line.
    let at = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .map_or(bytes.len(), |at| at + 2);
    let mut parts = Vec::new();
    collect_leaf_parts(&headers, &bytes[at..], 0, &mut parts);
    Some(parts)
}

#[cfg(feature = "reports")]
fn collect_leaf_parts(fields: &[(String, String)], body: &[u8], depth: usize, out: &mut Vec<Part>) {
    let (content_type, parameters) =
        parse_parameters(header(fields, "content-type").unwrap_or("text/plain"));
    if content_type.starts_with("multipart/")
        && depth < 8
        && let Some(boundary) = parameter(&parameters, "boundary")
    {
        for (part_fields, part_body) in split_multipart(body, boundary.trim_matches('"')) {
            collect_leaf_parts(&part_fields, part_body, depth + 1, out);
        }
        return;
    }
    // A message/rfc822 part stays whole: the caller decides whether to take it apart.
    let decoded = decode_transfer_encoding(fields, body);
    let disposition = header(fields, "content-disposition").map(parse_parameters);
    let file_name = disposition
        .as_ref()
        .and_then(|(_, params)| parameter(params, "filename"))
        .or_else(|| parameter(&parameters, "name"))
        .map(|name| name.trim_matches('"').to_owned());
    out.push(Part {
        content_type,
        file_name,
        body: decoded,
    });
}

/// Whether header fields are those of a bounce (RFC 6522 report, or from the mailer daemon):
/// a bounce forwarded as text holds the reason itself.
fn is_bounce(fields: &[(String, String)]) -> bool {
    let value = |name: &str| {
        header(fields, name)
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    value("content-type").contains("report-type=delivery-status")
        || ["mailer-daemon", "postmaster@", "mail delivery"]
            .iter()
            .any(|system| value("from").contains(system))
}

/// A bounce forwarded with every line quoted ("Begin forwarded message:" and then "> From:
/// Mail Delivery Subsystem …", "> Final-Recipient: …"): the text with the quoted block's
/// lines taken out of one level of quoting, so the bounce is read as forwarded inline. `None`
/// when no quoted block of at least five lines holds a bounce's words.
fn unquoted_bounce(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.iter().position(|line| line.starts_with('>'))?;
    let quoted = lines[first..]
        .iter()
        .filter(|line| line.starts_with('>'))
        .count();
    let other = lines[first..]
        .iter()
        .filter(|line| !line.starts_with('>') && !line.trim().is_empty())
        .count();
    if quoted < 5 || other * 5 > quoted {
        return None;
    }
    let unquote = |line: &str| -> String {
        match line.strip_prefix('>') {
            Some(rest) => rest.strip_prefix(' ').unwrap_or(rest).to_owned(),
            None => line.to_owned(),
        }
    };
    let block: Vec<String> = lines[first..].iter().map(|line| unquote(line)).collect();
    let lower = block.join("\n").to_ascii_lowercase();
    let bounce_words = [
        "mailer-daemon",
        "mail delivery",
        "final-recipient:",
        "diagnostic-code:",
        "delivery status notification",
        "could not be delivered",
        "fatal errors",
    ];
    if !bounce_words.iter().any(|word| lower.contains(word)) {
        return None;
    }
    let mut out = lines[..first].join("\n");
    out.push('\n');
    out.push_str(&block.join("\n"));
    Some(out)
}

/// Adds a part's text: the notice's own words to `human`, a returned message's header fields
/// to `returned_headers`. `depth` counts the parts and forwarded bounces around it: a bounce
/// forwarded in a bounce is read to the same depth as nested parts (8), and at most three levels
/// of quoting are taken off, so hostile nesting costs neither stack nor quadratic time.
fn add_human(notice: &mut Notice, text: &str, depth: usize) {
    let mut unquoted = std::borrow::Cow::Borrowed(text);
    for _ in 0..3 {
        match unquoted_bounce(&unquoted) {
            Some(inner) => unquoted = std::borrow::Cow::Owned(inner),
            None => break,
        }
    }
    let text = unquoted.as_ref();
    let own_words = match returned_message_start(text) {
        Some(at) => {
            let copied = &text[at..];
            let (fields, _) = split_message(copied);
            if is_bounce(&fields) && depth < 8 {
                // A bounce forwarded inline (an administrator passing it on): its own parts
                // say why; the text before it is the forwarder's.
                let inner = parse_at(copied.as_bytes(), depth + 1);
                notice.human.push_str(&text[..at]);
                notice.human.push('\n');
                notice.human.push_str(&inner.human);
                notice.status.push_str(&inner.status);
                notice.returned_headers.extend(inner.returned_headers);
                return;
            }
            let first_line = copied.lines().next().unwrap_or_default();
            // The copy starts either with its own header fields or after a separator line.
            let fields = if field_name(first_line).is_some()
                && !first_line.to_ascii_lowercase().contains("message/rfc822")
            {
                split_message(copied).0
            } else {
                let after = copied.split_once('\n').map_or("", |(_, rest)| rest);
                split_message(after.trim_start_matches('\n')).0
            };
            notice.returned_headers.extend(fields);
            &text[..at]
        }
        None => text,
    };
    notice.human.push_str(own_words);
    notice.human.push('\n');
}

/// Takes a bounce apart.
pub(crate) fn parse(bytes: &[u8]) -> Notice {
    parse_at(bytes, 0)
}

/// Takes a bounce apart that stands `depth` parts or forwards deep.
fn parse_at(bytes: &[u8], depth: usize) -> Notice {
    let bytes = normalize_line_endings(bytes);
    let text = String::from_utf8_lossy(&bytes);
    let (headers, body) = split_message(&text);
    let mut notice = Notice::default();
    let body_offset = text.len() - body.len();
    let body_bytes = if text.len() == bytes.len() {
        &bytes[body_offset..]
    } else {
        // Invalid UTF-8 was replaced: find the body in the raw bytes by its header block's end.
        let at = if headers.is_empty() {
            0
        } else {
            bytes
                .windows(2)
                .position(|w| w == b"\n\n")
                .map_or(bytes.len(), |at| at + 2)
        };
        &bytes[at..]
    };
    let mut fields = headers.clone();
    if headers.is_empty()
        && let Some(boundary) = guess_boundary(body)
    {
        fields.push((
            "content-type".to_owned(),
            format!("multipart/mixed; boundary=\"{boundary}\""),
        ));
    }
    walk(&mut notice, &fields, body_bytes, depth);
    notice.headers = headers;
    notice
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_charsets_are_decoded() {
        assert_eq!(decode_quoted_printable(b"a=3Db=\nc"), b"a=bc");
        assert_eq!(decode_base64(b"NTUw\nIDUu"), b"550 5.");
        assert_eq!(decode_charset(b"gr\xfc\xdf \x80", "iso-8859-1"), "grüß €");
        assert_eq!(normalize_line_endings(b"a\rb\r\nc\n"), b"a\nb\nc\n");
        assert_eq!(
            decode_charset(
                b"\x1b$B%G%#%l%/%H%j$N%j%9%H$K$\"$j$^$;$s\x1b(B x",
                "iso-2022-jp"
            ),
            "ディレクトリのリストにありません x"
        );
        assert_eq!(
            decode_charset(b"\x1b$B%a!<%k4A\x1b(B", ""),
            "メール\u{fffd}"
        );
    }

    #[test]
    fn a_bounce_forwarded_with_quoted_lines_is_read() {
        let notice = parse(
            b"From: a@b.example\nSubject: Fwd: Returned mail\n\nBegin forwarded message:\n\n\
              > From: Mail Delivery Subsystem <MAILER-DAEMON>\n\
              > To: <a@b.example>\n\
              > Subject: Returned mail: see transcript for details\n\
              > Return-Path: <MAILER-DAEMON>\n\
              > Message-Id: <1@x.example>\n>\n\
              >    ----- The following addresses had permanent fatal errors -----\n\
              > <c@d.example>\n\
              >     (reason: 550 5.1.1 User unknown)\n\
              > Final-Recipient: RFC822; c@d.example\n",
        );
        assert!(
            notice.human.contains("(reason: 550 5.1.1 User unknown)"),
            "{}",
            notice.human
        );
        assert!(!notice.human.contains("> "), "{}", notice.human);
        // A reply that quotes an ordinary message stays as it is.
        let reply = parse(
            b"Subject: Re: hello\n\nThanks!\n\n> Hi,\n> how are you?\n> See you\n> at\n> noon\n",
        );
        assert!(reply.human.contains("> how are you?"), "{}", reply.human);
    }

    #[test]
    fn hostile_nesting_is_read_to_a_bounded_depth() {
        // Ten thousand bounces, each forwarded inline in the one before: read eight deep, not
        // ten thousand (a test thread's stack would not hold that).
        let one = "Some words.\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@x.example>\n\
                   Return-Path: <>\nMessage-Id: <1@x.example>\n\n";
        let nested = format!("{}550 5.1.1 user unknown\n", one.repeat(10_000));
        let notice = parse(nested.as_bytes());
        assert!(
            notice.human.matches("Some words.").count() <= 10,
            "{}",
            notice.human.len()
        );
        // A forwarded bounce quoted two thousand levels deep: three levels are taken off.
        let quoted: String = (0..2_000)
            .map(|level| {
                format!(
                    "{} Final-Recipient: rfc822; a{level}@b.example\n",
                    ">".repeat(2_000 - level)
                )
            })
            .collect();
        let notice = parse(format!("Subject: Fwd\n\n{quoted}").as_bytes());
        assert!(notice.human.len() <= quoted.len());
    }

    #[test]
    fn the_returned_message_is_kept_apart() {
        let notice = parse(
            b"From: MAILER-DAEMON@x.example\nTo: a@b.example\nSubject: failure\n\n\
              550 unknown user\n------ This is a copy of the message, including all the headers. ------\n\
              Received: from relay\nDKIM-Signature: v=1\nFrom: a@b.example\n\nspam virus relay\n",
        );
        assert!(notice.human.contains("550 unknown user"));
        assert!(!notice.human.contains("DKIM"), "{}", notice.human);
        assert_eq!(
            header(&notice.returned_headers, "from"),
            Some("a@b.example")
        );
        assert_eq!(notice.header("to"), Some("a@b.example"));
    }

    #[test]
    fn a_delivery_status_part_without_fields_is_read_as_the_notice() {
        let notice = parse(
            b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
              --b\nContent-Type: message/delivery-status;\n\n\
              This Message was undeliverable due to the following reason:\n\n\
              <u@example.com> has restricted SMS e-mail\n\
              --b\nContent-Type: message/delivery-status\n\n\
              Final-Recipient: RFC822; <u@example.com>\nAction: failed\nStatus: 5.3.0\n--b--\n",
        );
        assert!(
            notice.human.contains("has restricted SMS e-mail"),
            "{}",
            notice.human
        );
        assert!(!notice.status.contains("restricted"));
        assert!(notice.status.contains("Status: 5.3.0"));
    }

    #[test]
    fn folding_without_white_space_stays_in_a_messages_header() {
        let (fields, body) = split_message(
            "Received-SPF: pass (mx: domain of bounce.example designates\n\
             192.0.2.1 as permitted sender) client-ip=192.0.2.1;\n\
             envelope-from=postmaster@bounce.example;\n\
             From: Mail Delivery System <mailer-daemon@example.com>\n\
             To: sender@example.com\nSubject: Mail delivery failed\n\n\
             The following addresses failed:\n\n<gone@example.net>\n",
        );
        assert_eq!(fields.len(), 4, "{fields:?}");
        assert!(
            fields[0]
                .1
                .ends_with("envelope-from=postmaster@bounce.example;")
        );
        assert!(body.starts_with("The following addresses failed"));
        // One field above the prose is no header.
        let pasted = "Subject: Undelivered Mail\nThis is the mail system at host mx.example.\n";
        let (fields, body) = split_message(pasted);
        assert!(fields.is_empty());
        assert_eq!(body, pasted);
    }
}
