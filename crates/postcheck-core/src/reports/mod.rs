//! The reports receivers send about a domain's mail, read and judged without I/O: bytes in,
//! model out.
//!
//! - DMARC aggregate reports (RFC 7489 §7.2, Appendix C; the DMARCbis format), as `.xml`,
//!   `.xml.gz`, `.zip` (several entries, gzip inside zip) or a whole message with the report
//!   attached (base64; gzip, zip or plain XML): [`aggregate`].
//! - DMARC failure reports (RFC 6591 ARF, RFC 7489 §7.3), a whole message: [`failure`].
//! - SMTP TLS reports (RFC 8460 §4), `.json` or `.json.gz`: [`tls`].
//!
//! The format is told by content, never by the file name (`container.rs`: gzip `1f 8b`, zip
//! `PK\x03\x04`, `<`, `{`, header fields). Messages are taken apart with the bounce reader's
//! MIME code (`bounce::mime`). [`read_file`] reads one file into its [`Document`]s and the
//! problems met (`report-*` findings with the file, the entry inside it and a byte span);
//! [`analyze`] merges many files by policy domain into per-source and per-sender views with a
//! verdict per sender and whether the domain is ready for the next policy step.
//!
//! # Crates
//!
//! - `quick-xml` (MIT): a maintained streaming XML reader, no DOM and no serde; the reader keeps
//!   only the records, so 100 MB of XML is read in about a second (BENCHMARKS.md).
//! - `miniz_oxide` (MIT/Apache-2.0/Zlib): pure-Rust DEFLATE, already in the lock file (through
//!   `flate2` elsewhere), builds for wasm32. gzip's header and trailer (RFC 1952) and zip's
//!   headers and central directory (APPNOTE.TXT, stored and deflate entries) are read here, in
//!   `container.rs` (about 300 lines with CRC-32): the `zip` crate, even with its default
//!   features off, brings `flate2`, `crc32fast`, `indexmap` and friends for writing and formats
//!   reports never use, where reading needs a directory walk and one inflate call.
//! - TLS reports are JSON: the core's own JSON lexer ([`crate::json`]) reads them, so no
//!   `serde_json` enters the core.
//!
//! # Limits
//!
//! One input file inflates to at most [`MAX_INFLATED_BYTES`] (512 MiB) over all its wrappers,
//! and wrappers nest at most [`MAX_DEPTH`] deep; beyond either, the file gets
//! `report-too-large` and is not read further. A TLS report is at most the JSON lexer's
//! 4 MiB. Every step is linear in its input: nothing hangs.

pub mod aggregate;
mod analysis;
mod container;
pub mod failure;
pub mod tls;

pub use aggregate::{
    AggregateReport, DkimResult, OverrideReason, PolicyPublished, Record, SpfResult,
};
pub use analysis::{
    Analysis, Counts, DomainAnalysis, FailureSummary, Fix, GroupKind, MAX_PTR_LOOKUPS,
    READY_FAILING_PERMILLE, Readiness, SenderGroup, SourceRow, TlsDomain, Verdict, analyze,
    analyze_for, ptr_queries, to_csv,
};
pub use container::{MAX_DEPTH, MAX_INFLATED_BYTES};

/// The largest message or session count one row, failure detail or failure report may give:
/// larger ones are taken as this. Real rows count thousands; the cap keeps every sum over the
/// rows a file of [`MAX_INFLATED_BYTES`] can hold far from overflowing.
pub const MAX_COUNT: u64 = u32::MAX as u64;
pub use failure::FailureReport;
pub use tls::{TlsFailure, TlsPolicy, TlsReport};

use crate::bounce::mime;
use crate::findings::{Code, Finding, Span};
use container::{Budget, Format, UnpackError};
use serde::Serialize;

/// Where a document was found: the input file and the way into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file's place among the inputs, from 0.
    pub file: usize,
    /// The file's name as given.
    pub name: String,
    /// The way inside the file (zip entry, attachment name), `/`-joined; empty for the file
    /// itself.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub entry: String,
}

impl Origin {
    /// `name` or `name: entry`, as findings name it (`source`).
    pub fn label(&self) -> String {
        if self.entry.is_empty() {
            self.name.clone()
        } else {
            format!("{}: {}", self.name, self.entry)
        }
    }
}

/// What a document holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Content {
    /// A DMARC aggregate report.
    Aggregate(AggregateReport),
    /// A DMARC failure report.
    Failure(FailureReport),
    /// An SMTP TLS report.
    Tls(TlsReport),
}

/// One report found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Where it was found.
    pub origin: Origin,
    /// The report.
    pub content: Content,
}

/// One input file read: its reports and the problems that kept parts of it from being read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRead {
    /// The file's place among the inputs, from 0.
    pub index: usize,
    /// The file's name as given.
    pub name: String,
    /// The reports found.
    pub documents: Vec<Document>,
    /// `report-*` findings: what could not be read, with `source`, `detail` and a byte span
    /// into the document `source` names (after unpacking).
    pub problems: Vec<Finding>,
}

impl FileRead {
    /// Whether the whole file was read.
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reads one file (the `index`-th input, called `name`) of any of the formats above.
pub fn read_file(index: usize, name: &str, bytes: &[u8]) -> FileRead {
    let mut file = FileRead {
        index,
        name: name.to_owned(),
        documents: Vec::new(),
        problems: Vec::new(),
    };
    let origin = Origin {
        file: index,
        name: name.to_owned(),
        entry: String::new(),
    };
    let mut budget = Budget::new(MAX_INFLATED_BYTES);
    unpack(&mut file, &origin, bytes, 0, &mut budget);
    file
}

/// A reading problem of `code` at `origin`.
fn problem(code: Code, origin: &Origin) -> Finding {
    Finding::new(code).with("source", origin.label())
}

fn inner(origin: &Origin, entry: &str) -> Origin {
    let entry = entry.trim();
    Origin {
        entry: match (origin.entry.is_empty(), entry.is_empty()) {
            (_, true) => origin.entry.clone(),
            (true, false) => entry.to_owned(),
            (false, false) => format!("{}/{entry}", origin.entry),
        },
        ..origin.clone()
    }
}

fn unpack_error(file: &mut FileRead, origin: &Origin, error: UnpackError) {
    file.problems.push(match error {
        UnpackError::TooLarge => problem(Code::ReportTooLarge, origin)
            .with("limit", MAX_INFLATED_BYTES / (1024 * 1024))
            .with("reason", "size"),
        UnpackError::Broken { detail, offset } => problem(Code::ReportDecompressFailed, origin)
            .with("detail", detail)
            .with_span(Span::new(offset, offset)),
    });
}

fn unpack(file: &mut FileRead, origin: &Origin, bytes: &[u8], depth: usize, budget: &mut Budget) {
    let format = container::detect(bytes);
    if depth > MAX_DEPTH && matches!(format, Format::Gzip | Format::Zip | Format::Message) {
        file.problems.push(
            problem(Code::ReportTooLarge, origin)
                .with("limit", MAX_INFLATED_BYTES / (1024 * 1024))
                .with("reason", "depth"),
        );
        return;
    }
    match format {
        Format::Gzip => match container::gunzip(bytes, budget) {
            Ok(inflated) => unpack(file, origin, &inflated, depth + 1, budget),
            Err(error) => unpack_error(file, origin, error),
        },
        Format::Zip => match container::unzip(bytes, budget) {
            Ok(entries) => {
                for entry in entries {
                    let at = inner(origin, &entry.name);
                    match entry.content {
                        Ok(content) => unpack(file, &at, &content, depth + 1, budget),
                        Err(error) => unpack_error(file, &at, error),
                    }
                }
            }
            Err(error) => unpack_error(file, origin, error),
        },
        Format::Xml => {
            let read = aggregate::read(bytes);
            let found = !read.reports.is_empty() || !read.errors.is_empty();
            for report in read.reports {
                file.documents.push(Document {
                    origin: origin.clone(),
                    content: Content::Aggregate(report),
                });
            }
            for error in read.errors {
                file.problems.push(
                    problem(Code::ReportXmlMalformed, origin)
                        .with("detail", error.detail)
                        .with("offset", error.span.start)
                        .with_span(error.span),
                );
            }
            if !found && !read.saw_feedback {
                file.problems
                    .push(problem(Code::ReportNotAReport, origin).with("kind", "xml"));
            }
        }
        // RFC 8259 §8.1: a byte order mark may be ignored.
        Format::Json => match tls::read(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)) {
            Ok(Some(report)) => file.documents.push(Document {
                origin: origin.clone(),
                content: Content::Tls(report),
            }),
            Ok(None) => file
                .problems
                .push(problem(Code::ReportNotAReport, origin).with("kind", "json")),
            Err(error) => file.problems.push(
                problem(Code::ReportJsonMalformed, origin)
                    .with("detail", error.to_string())
                    .with("offset", error.offset)
                    .with_span(Span::new(error.offset, error.offset)),
            ),
        },
        Format::Message => unpack_message(file, origin, bytes, depth, budget),
        Format::Unknown => {
            let empty = bytes.iter().all(u8::is_ascii_whitespace);
            file.problems.push(
                problem(Code::ReportUnreadable, origin)
                    .with("reason", if empty { "empty" } else { "format" }),
            );
        }
    }
}

/// Whether a message part may hold a report: by its type, or by its file name where the type
/// says nothing (`application/octet-stream`).
fn may_hold_report(part: &mime::Part) -> bool {
    let name = part
        .file_name
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let by_name = [".xml", ".gz", ".zip", ".json", ".eml"]
        .iter()
        .any(|suffix| name.ends_with(suffix));
    let by_type = matches!(
        part.content_type.as_str(),
        "application/gzip"
            | "application/x-gzip"
            | "application/zip"
            | "application/x-zip"
            | "application/x-zip-compressed"
            | "application/xml"
            | "text/xml"
            | "application/json"
            | "application/tlsrpt+json"
            | "application/tlsrpt+gzip"
            | "message/rfc822"
    );
    by_type || (by_name && !part.content_type.starts_with("text/plain"))
}

fn unpack_message(
    file: &mut FileRead,
    origin: &Origin,
    bytes: &[u8],
    depth: usize,
    budget: &mut Budget,
) {
    let Some(parts) = mime::leaf_parts(bytes) else {
        file.problems
            .push(problem(Code::ReportUnreadable, origin).with("reason", "format"));
        return;
    };
    let before = (file.documents.len(), file.problems.len());
    // RFC 6591: a failure report is the message; the message it attaches is the failed one.
    if let Some(report) = failure::read(&parts) {
        file.documents.push(Document {
            origin: origin.clone(),
            content: Content::Failure(report),
        });
        return;
    }
    for (index, part) in parts.iter().enumerate() {
        if !may_hold_report(part) {
            continue;
        }
        let entry = part
            .file_name
            .clone()
            .unwrap_or_else(|| format!("part {}", index + 1));
        unpack(file, &inner(origin, &entry), &part.body, depth + 1, budget);
    }
    if (file.documents.len(), file.problems.len()) == before {
        file.problems
            .push(problem(Code::ReportNotAReport, origin).with("kind", "message"));
    }
}
