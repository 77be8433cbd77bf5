//! The recipient list check (`postcheck recipients`, `/tools#recipients`): a pasted list or a
//! CSV column of addresses, each cleaned and checked for syntax ([`address`]), its domain
//! checked once for whether it takes mail (MX, null MX, the implicit MX of an address record,
//! or no such domain), a typo suggestion for its domain ([`crate::typo`]), and duplicates found
//! ignoring case. Nothing here sends mail or asks a mail server about a mailbox: probing with
//! `VRFY` or `RCPT` is abusive to the receiver and unreliable (many servers accept every
//! address and bounce later).
//!
//! Sans-IO like the rest of the core: [`domain_queries`] says what to ask, [`check`] judges a
//! list against the answers, asking for more (the address records of a domain without MX)
//! until it has them all.

pub mod address;

use crate::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use crate::findings::{Code, Finding, Severity};
use crate::typo;
use address::{Address, SyntaxError, clean, parse_address};
use serde::Serialize;
use std::collections::HashMap;

/// The most entries one list holds; the rest are counted, not checked.
pub const MAX_ENTRIES: usize = 100_000;
/// The longest line read; longer lines are cut.
const MAX_LINE: usize = 4096;

/// Which part of each line holds the address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Every address found on the line (split at `,` `;` tabs and spaces outside quotes and
    /// angle brackets); a line without `@` is one entry as it stands.
    Any,
    /// The CSV column with this index (0-based), the first line being data.
    Index(usize),
    /// The CSV column with this header; the first line is the header.
    Header(String),
}

/// One entry of the list, as it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The line it came from (1-based).
    pub line: usize,
    /// The text as pasted.
    pub input: String,
}

/// Reads the entries of a list. A CSV's delimiter is the first of `;`, `,` and tab that the
/// first line holds (German spreadsheets write `;`). `Err` with the header names when the
/// header asked for is not there.
pub fn read_list(text: &str, column: &Column) -> Result<(Vec<Entry>, usize), Vec<String>> {
    let mut entries = Vec::new();
    let mut skipped = 0usize;
    // Line ends: LF, CRLF, or the old Mac CR alone.
    let separator = if text.contains('\n') { '\n' } else { '\r' };
    let mut lines = text
        .split(separator)
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .map(|(index, line)| (index + 1, cut(line, MAX_LINE)))
        .filter(|(_, line)| !line.trim().is_empty());
    let delimiter = text
        .split(['\n', '\r'])
        .next()
        .and_then(|first| [';', ',', '\t'].into_iter().find(|d| first.contains(*d)))
        .unwrap_or(',');
    let index = match column {
        Column::Any => None,
        Column::Index(index) => Some(*index),
        Column::Header(name) => {
            let header = lines.next().map(|(_, line)| csv_fields(line, delimiter));
            let header = header.unwrap_or_default();
            let found = header
                .iter()
                .position(|field| field.trim().eq_ignore_ascii_case(name.trim()));
            match found {
                Some(index) => Some(index),
                None => return Err(header),
            }
        }
    };
    for (line_number, line) in lines {
        let pieces: Vec<String> = match index {
            Some(index) => csv_fields(line, delimiter)
                .into_iter()
                .nth(index)
                .into_iter()
                .filter(|field| !field.trim().is_empty())
                .collect(),
            None => split_list(line),
        };
        for piece in pieces {
            if entries.len() >= MAX_ENTRIES {
                skipped += 1;
                continue;
            }
            entries.push(Entry {
                line: line_number,
                input: piece,
            });
        }
    }
    Ok((entries, skipped))
}

/// At most `max` bytes of `line`, on a character boundary.
fn cut(line: &str, max: usize) -> &str {
    if line.len() <= max {
        return line;
    }
    let mut end = max;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// A CSV line's fields (RFC 4180: quotes around a field, `""` for a quote inside).
fn csv_fields(line: &str, delimiter: char) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(field) = fields.last_mut() {
                    field.push('"');
                }
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

/// The addresses on one line of a pasted list: split at `,` `;` tabs and spaces outside
/// quotes and angle brackets, keeping `Name <addr>` together; only pieces with an `@` when
/// there are any (a CSV row pasted whole: `Max;Mustermann;max@example.com`).
fn split_list(line: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut angle) = (false, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            _ => {}
        }
        if !quoted && !angle && matches!(c, ',' | ';' | '\t') {
            pieces.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    pieces.push(current);
    let mut pieces: Vec<String> = pieces
        .into_iter()
        .map(|piece| piece.trim().to_owned())
        .filter(|piece| !piece.is_empty())
        .collect();
    // `a@example.com b@example.org`: spaces separate addresses when every word has an `@`.
    if pieces.len() == 1 {
        let words: Vec<&str> = pieces[0].split_whitespace().collect();
        if words.len() > 1 && words.iter().all(|word| word.contains('@')) {
            pieces = words.into_iter().map(str::to_owned).collect();
        }
    }
    if pieces.iter().any(|piece| piece.contains('@')) {
        pieces.retain(|piece| piece.contains('@'));
    }
    pieces
}

/// What a domain's DNS says about mail to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum DomainVerdict {
    /// MX records name its mail servers.
    Mx {
        /// The mail servers, most preferred first.
        hosts: Vec<String>,
    },
    /// No MX but an address: mail goes there (the implicit MX, RFC 5321 §5.1).
    ImplicitMx,
    /// A null MX: the domain accepts no mail (RFC 7505).
    NullMx,
    /// Neither MX nor an address: mail cannot be delivered (RFC 5321 §5.1).
    NoMailHost,
    /// The domain does not exist (NXDOMAIN).
    Missing,
    /// A lookup failed: could not verify.
    CouldNotVerify,
}

/// The queries a domain's verdict needs first: its MX records.
pub fn domain_queries(domain: &str) -> Vec<Query> {
    vec![Query::new(domain, RecordType::Mx)]
}

/// The verdict on `domain` from `cache`, or the queries still missing (the address records
/// once MX has none).
pub fn domain_verdict(domain: &str, cache: &AnswerCache) -> Result<DomainVerdict, Vec<Query>> {
    let mx = Query::new(domain, RecordType::Mx);
    let Some(answer) = cache.get(&mx) else {
        return Err(vec![mx]);
    };
    match answer {
        Answer::Records { records, .. } => {
            let mut hosts: Vec<(u16, String)> = records
                .iter()
                .filter_map(|record| match record {
                    RecordData::Mx {
                        preference,
                        exchange,
                    } => Some((*preference, exchange.trim_end_matches('.').to_owned())),
                    _ => None,
                })
                .collect();
            // RFC 7505 §3: a single MX with an empty exchange (the root) and preference 0.
            if hosts.len() == 1 && hosts[0].1.is_empty() {
                return Ok(DomainVerdict::NullMx);
            }
            hosts.retain(|(_, host)| !host.is_empty());
            if hosts.is_empty() {
                return implicit(domain, cache);
            }
            hosts.sort();
            Ok(DomainVerdict::Mx {
                hosts: hosts.into_iter().map(|(_, host)| host).collect(),
            })
        }
        Answer::Nodata => implicit(domain, cache),
        Answer::Nxdomain => Ok(DomainVerdict::Missing),
        Answer::Failed { .. } => Ok(DomainVerdict::CouldNotVerify),
    }
}

/// RFC 5321 §5.1: without MX records, the domain's own address is its mail server.
fn implicit(domain: &str, cache: &AnswerCache) -> Result<DomainVerdict, Vec<Query>> {
    let queries = [
        Query::new(domain, RecordType::A),
        Query::new(domain, RecordType::Aaaa),
    ];
    let missing: Vec<Query> = queries
        .iter()
        .filter(|query| cache.get(query).is_none())
        .cloned()
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let answers: Vec<&Answer> = queries.iter().filter_map(|q| cache.get(q)).collect();
    if answers
        .iter()
        .any(|answer| matches!(answer, Answer::Records { .. }))
    {
        return Ok(DomainVerdict::ImplicitMx);
    }
    if answers
        .iter()
        .any(|answer| matches!(answer, Answer::Failed { .. }))
    {
        return Ok(DomainVerdict::CouldNotVerify);
    }
    Ok(DomainVerdict::NoMailHost)
}

/// One checked entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The line it came from (1-based).
    pub line: usize,
    /// The text as pasted.
    pub input: String,
    /// The address, when its syntax is valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The domain the address probably meant, when its domain looks like a slip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The findings, the worst first.
    pub findings: Vec<Finding>,
}

impl Row {
    /// The worst severity of its findings.
    pub fn severity(&self) -> Severity {
        self.findings
            .iter()
            .map(|finding| finding.severity)
            .max()
            .unwrap_or(Severity::Ok)
    }

    /// The finding that decides the row: its worst.
    pub fn verdict(&self) -> Option<&Finding> {
        self.findings.first()
    }
}

/// The result of a list: its rows in input order, and how many findings of each code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListReport {
    /// One row per entry.
    pub rows: Vec<Row>,
    /// Entries beyond [`MAX_ENTRIES`], not checked.
    pub skipped: usize,
    /// Rows by the code of their verdict, in catalog order.
    pub summary: Vec<(Code, usize)>,
}

/// The distinct domains of the valid addresses among `entries`, in order, for the driver to
/// ask [`domain_queries`] about.
pub fn domains(entries: &[Entry], to_ascii: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    entries
        .iter()
        .filter_map(|entry| parse_address(clean(&entry.input), to_ascii).ok())
        .filter(|address| !address.literal)
        .map(|address| address.domain)
        .filter(|domain| seen.insert(domain.clone()))
        .collect()
}

/// Checks `entries` against `cache`; `Err` with the queries still needed (each asked once),
/// which the driver answers before calling again.
pub fn check(
    entries: &[Entry],
    skipped: usize,
    cache: &AnswerCache,
    to_ascii: &dyn Fn(&str) -> Option<String>,
) -> Result<ListReport, Vec<Query>> {
    let mut verdicts: HashMap<String, DomainVerdict> = HashMap::new();
    let mut missing: Vec<Query> = Vec::new();
    for domain in domains(entries, to_ascii) {
        match domain_verdict(&domain, cache) {
            Ok(verdict) => {
                verdicts.insert(domain, verdict);
            }
            Err(queries) => missing.extend(queries),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let rows: Vec<Row> = entries
        .iter()
        .map(|entry| row(entry, &verdicts, &mut first_seen, to_ascii))
        .collect();
    let summary = Code::tally(rows.iter().filter_map(|row| row.verdict().map(|f| f.code)));
    Ok(ListReport {
        rows,
        skipped,
        summary,
    })
}

fn row(
    entry: &Entry,
    verdicts: &HashMap<String, DomainVerdict>,
    first_seen: &mut HashMap<String, usize>,
    to_ascii: &dyn Fn(&str) -> Option<String>,
) -> Row {
    let cleaned = clean(&entry.input);
    let mut row = Row {
        line: entry.line,
        input: entry.input.clone(),
        address: None,
        suggestion: None,
        findings: Vec::new(),
    };
    let address = match parse_address(cleaned, to_ascii) {
        Ok(address) => address,
        Err(error) => {
            row.findings.push(syntax(cleaned, error));
            return row;
        }
    };
    if let Some(&first) = first_seen.get(&address.key()) {
        row.findings
            .push(Finding::new(Code::RecipientDuplicate).with("line", first));
        row.address = Some(address);
        return row;
    }
    first_seen.insert(address.key(), entry.line);
    if address.literal {
        row.findings
            .push(Finding::new(Code::RecipientAddressLiteral).with("address", address.text()));
        row.address = Some(address);
        return row;
    }
    let domain = address.domain.clone();
    let verdict = verdicts
        .get(&domain)
        .cloned()
        .unwrap_or(DomainVerdict::CouldNotVerify);
    let with_domain = |code: Code| Finding::new(code).with("domain", &domain);
    let finding = match &verdict {
        DomainVerdict::Mx { .. } => with_domain(Code::RecipientOk),
        DomainVerdict::ImplicitMx => with_domain(Code::RecipientImplicitMx),
        DomainVerdict::NullMx => with_domain(Code::RecipientNullMx),
        DomainVerdict::NoMailHost => with_domain(Code::RecipientNoMailHost),
        DomainVerdict::Missing => with_domain(Code::RecipientDomainMissing),
        DomainVerdict::CouldNotVerify => with_domain(Code::RecipientLookupFailed),
    };
    if let Some(suggestion) = typo::suggest(&domain) {
        // A domain that takes mail may still be a slip (a typo-squatter's MX); it is named as
        // a question then, and as the likely cause where mail cannot arrive.
        let deliverable = matches!(
            verdict,
            DomainVerdict::Mx { .. } | DomainVerdict::ImplicitMx
        );
        let mut typo = with_domain(Code::RecipientDomainTypo)
            .with("suggestion", &suggestion)
            .with("address", format!("{}@{suggestion}", address.local));
        if deliverable {
            typo = typo
                .with_severity(Severity::Info)
                .with("deliverable", "yes");
        }
        row.findings.push(typo);
        row.suggestion = Some(suggestion);
    }
    row.findings.push(finding);
    row.findings
        .sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    row.address = Some(address);
    row
}

/// The report as CSV (RFC 4180, CRLF line ends): `line,input,address,code,severity,
/// suggestion,message`, one row per entry, for support staff to sort and send on.
pub fn to_csv(report: &ListReport, lang: crate::messages::Lang) -> String {
    let rows = report.rows.iter().map(|row| {
        vec![
            row.line.to_string(),
            row.input.clone(),
            row.address.as_ref().map(Address::text).unwrap_or_default(),
            row.verdict()
                .map(|finding| finding.code.as_str().to_owned())
                .unwrap_or_default(),
            row.severity().as_str().to_owned(),
            row.suggestion.clone().unwrap_or_default(),
            row.findings
                .iter()
                .map(|finding| crate::messages::message(finding, lang))
                .collect::<Vec<_>>()
                .join(" "),
        ]
    });
    write_csv("line,input,address,code,severity,suggestion,message", rows)
}

/// A CSV file (RFC 4180): the header line, then one line per row, CRLF line ends, a field in
/// quotes when it holds a comma, a quote or a line end, quotes doubled. The recipient list's
/// and the bulk bounces' CSV.
pub fn write_csv(header: &str, rows: impl Iterator<Item = Vec<String>>) -> String {
    let field = |text: &String| {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.clone()
        }
    };
    let mut out = format!("{header}\r\n");
    for row in rows {
        out.push_str(&row.iter().map(field).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn syntax(cleaned: &str, error: SyntaxError) -> Finding {
    let shown: String = cleaned.chars().take(80).collect();
    Finding::new(Code::RecipientSyntax)
        .with("reason", error.as_str())
        .with("input", shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(name: &str) -> Option<String> {
        name.is_ascii().then(|| name.to_owned())
    }

    #[test]
    fn lists_are_read_as_pasted() {
        let (entries, skipped) = read_list(
            "max@example.com\r\n\r\nAnna <anna@example.org>; bob@example.net\nMax;Mustermann;max2@example.com\n  \nnot an address\n",
            &Column::Any,
        )
        .unwrap();
        let inputs: Vec<(usize, &str)> =
            entries.iter().map(|e| (e.line, e.input.as_str())).collect();
        assert_eq!(
            inputs,
            [
                (1, "max@example.com"),
                (3, "Anna <anna@example.org>"),
                (3, "bob@example.net"),
                (4, "max2@example.com"),
                (6, "not an address"),
            ]
        );
        assert_eq!(skipped, 0);
    }

    #[test]
    fn csv_out_follows_rfc_4180() {
        let (entries, _) =
            read_list("\"Mustermann, Max\" <max@[192.0.2.1]>\n", &Column::Any).unwrap();
        let report = check(&entries, 0, &AnswerCache::new(), &ascii).unwrap();
        let csv = to_csv(&report, crate::messages::Lang::En);
        let mut lines = csv.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("line,input,address,code,severity,suggestion,message")
        );
        assert!(
            lines.next().unwrap().starts_with(
                "1,\"\"\"Mustermann, Max\"\" <max@[192.0.2.1]>\",max@[192.0.2.1],recipient-address-literal,warning,,"
            ),
            "{csv}"
        );
    }

    #[test]
    fn a_csv_column_by_header_or_index() {
        let csv = "Name;E-Mail;Ort\n\"Mustermann; Max\";max@example.com;Köln\nAnna;;Bonn\n";
        let (entries, _) = read_list(csv, &Column::Header("e-mail".to_owned())).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(
            (entries[0].line, entries[0].input.as_str()),
            (2, "max@example.com")
        );
        let (entries, _) = read_list(csv, &Column::Index(0)).unwrap();
        assert_eq!(
            entries.len(),
            3,
            "the header is data when the column is a number"
        );
        assert_eq!(
            read_list(csv, &Column::Header("Mail".to_owned())).unwrap_err(),
            ["Name", "E-Mail", "Ort"]
        );
    }

    fn cache(entries: &[(&str, RecordType, Answer)]) -> AnswerCache {
        let mut cache = AnswerCache::new();
        for (name, record_type, answer) in entries {
            cache.insert(Query::new(name, *record_type), answer.clone());
        }
        cache
    }

    #[test]
    fn domains_are_asked_once_and_judged_by_rfc_5321_and_7505() {
        let text = "a@mx.example\nb@MX.example\nc@null.example\nd@implicit.example\ne@none.example\nf@missing.example\ng@fail.example\nbroken@\nA@mx.example\nh@[192.0.2.1]\nmax@gmial.com\n";
        let (entries, _) = read_list(text, &Column::Any).unwrap();
        let mx = |host: &str| {
            Answer::records(vec![RecordData::Mx {
                preference: 10,
                exchange: host.to_owned(),
            }])
        };
        let mut answers = cache(&[
            ("mx.example", RecordType::Mx, mx("mail.mx.example")),
            (
                "null.example",
                RecordType::Mx,
                Answer::records(vec![RecordData::Mx {
                    preference: 0,
                    exchange: String::new(),
                }]),
            ),
            ("implicit.example", RecordType::Mx, Answer::Nodata),
            ("none.example", RecordType::Mx, Answer::Nodata),
            ("missing.example", RecordType::Mx, Answer::Nxdomain),
            (
                "fail.example",
                RecordType::Mx,
                Answer::failed(crate::dns::Failure::Servfail),
            ),
            ("gmial.com", RecordType::Mx, Answer::Nxdomain),
        ]);
        let needed = check(&entries, 0, &answers, &ascii).unwrap_err();
        let mut names: Vec<String> = needed.iter().map(|q| q.to_string()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "implicit.example A",
                "implicit.example AAAA",
                "none.example A",
                "none.example AAAA"
            ]
        );
        answers.insert(
            Query::new("implicit.example", RecordType::A),
            Answer::records(vec![RecordData::A("192.0.2.1".parse().unwrap())]),
        );
        answers.insert(
            Query::new("implicit.example", RecordType::Aaaa),
            Answer::Nodata,
        );
        answers.insert(Query::new("none.example", RecordType::A), Answer::Nodata);
        answers.insert(Query::new("none.example", RecordType::Aaaa), Answer::Nodata);
        let report = check(&entries, 0, &answers, &ascii).unwrap();
        let verdicts: Vec<&str> = report
            .rows
            .iter()
            .map(|r| r.verdict().unwrap().code.as_str())
            .collect();
        assert_eq!(
            verdicts,
            [
                "recipient-ok",
                "recipient-ok",
                "recipient-null-mx",
                "recipient-implicit-mx",
                "recipient-no-mail-host",
                "recipient-domain-missing",
                "recipient-lookup-failed",
                "recipient-syntax",
                "recipient-duplicate",
                "recipient-address-literal",
                "recipient-domain-missing",
            ]
        );
        // b@MX.example differs from a@ only in its local part: no duplicate; A@mx.example is.
        assert_eq!(report.rows[8].findings[0].param("line"), "1");
        let typo = &report.rows[10];
        assert_eq!(typo.suggestion.as_deref(), Some("gmail.com"));
        assert!(
            typo.findings
                .iter()
                .any(|f| f.code == Code::RecipientDomainTypo
                    && f.param("address") == "max@gmail.com")
        );
        assert_eq!(
            report.summary.iter().find(|(c, _)| *c == Code::RecipientOk),
            Some(&(Code::RecipientOk, 2))
        );
    }
}
