//! `postcheck reports`: reads the reports receivers send (DMARC aggregate and failure reports,
//! SMTP TLS reports) from files and directories, merges them with the core's `reports`, and
//! prints the verdict per domain, the senders, the per-IP table and the TLS failures — as text,
//! CSV or JSON. What could not be read goes to standard error, and the exit status says so
//! ([`EXIT_UNREADABLE`]); the files that could be read still count. No network is used.

use postcheck_core::findings::Finding;
use postcheck_core::headers::date::format_day;
use postcheck_core::messages::{self, Lang};
use postcheck_core::reports::{self, Analysis, DomainAnalysis, FileRead, Verdict};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The exit status when some file (or part of one) could not be read.
pub const EXIT_UNREADABLE: u8 = 3;

/// The most bytes read from one file or standard input.
const MAX_FILE_BYTES: u64 = 1 << 30;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Csv,
    Json,
}

/// Runs the subcommand.
pub fn run(
    inputs: &[String],
    format: Format,
    profile: Option<&postcheck_core::profile::SenderProfile>,
    resolver: Option<&crate::net::resolver::Resolver>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    let mut io_failures = 0;
    for (index, (name, bytes)) in inputs_of(inputs).into_iter().enumerate() {
        match bytes {
            Ok(bytes) => files.push(reports::read_file(index, &name, &bytes)),
            Err(error) => {
                // An unreadable path is the shell's failure, not a finding: said on standard
                // error, and counted in the exit status.
                eprintln!("postcheck: {name}: {error}");
                io_failures += 1;
            }
        }
    }
    // Where asked to, the PTR names of the servers whose mail carries no domain.
    let mut ptr = postcheck_core::dns::AnswerCache::new();
    if let Some(resolver) = resolver {
        let queries = reports::ptr_queries(&files);
        if !queries.is_empty() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(crate::plain)?;
            for (query, answer) in runtime.block_on(resolver.resolve_all(&queries)) {
                ptr.insert(query, answer);
            }
        }
    }
    let analysis = reports::analyze_for(&files, profile, &ptr);
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => write_json(&mut out, &analysis, &files, lang)?,
        Format::Csv => write!(out, "{}", reports::to_csv(&analysis))?,
        Format::Human => write!(out, "{}", human(&analysis, lang))?,
    }
    out.flush()?;
    let mut err = std::io::stderr().lock();
    for problem in &analysis.problems {
        writeln!(
            err,
            "postcheck: [{}] {}",
            problem.code,
            messages::message(problem, lang)
        )?;
    }
    Ok(if analysis.problems.is_empty() && io_failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_UNREADABLE)
    })
}

/// Each input's name and bytes (or why it could not be read): files as given, directories'
/// files recursively in name order, `-` for standard input.
fn inputs_of(inputs: &[String]) -> Vec<(String, std::io::Result<Vec<u8>>)> {
    let mut out = Vec::new();
    for input in inputs {
        if input == "-" {
            let mut bytes = Vec::new();
            let read = std::io::stdin()
                .take(MAX_FILE_BYTES)
                .read_to_end(&mut bytes)
                .map(|_| bytes);
            out.push(("-".to_owned(), read));
            continue;
        }
        let path = Path::new(input);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, 0);
            found.sort();
            for file in found {
                out.push((file.display().to_string(), read_capped(&file)));
            }
        } else {
            out.push((input.clone(), read_capped(path)));
        }
    }
    out
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < 16 {
            walk(&entry.path(), found, depth + 1);
        } else if kind.is_file() {
            found.push(entry.path());
        }
    }
}

fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A finding with its message (and hint) in the language asked for.
#[derive(Serialize)]
struct Localized<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'static str>,
}

fn localized(findings: &[Finding], lang: Lang) -> Vec<Localized<'_>> {
    findings
        .iter()
        .map(|finding| Localized {
            finding,
            message: messages::message(finding, lang),
            hint: messages::hint(finding.code, lang),
        })
        .collect()
}

/// One input file in the JSON.
#[derive(Serialize)]
struct FileSummary<'a> {
    name: &'a str,
    reports: usize,
    complete: bool,
}

/// The JSON document: the analysis with localized findings, the files and the summary
/// sentences. Written as it is serialized, without a tree of values in between: a large
/// report's per-IP table would otherwise be built twice in memory.
#[derive(Serialize)]
struct Json<'a> {
    summary: Vec<String>,
    counts: &'a reports::Counts,
    domains: &'a [DomainAnalysis],
    tls: &'a [reports::TlsDomain],
    failures: &'a [reports::FailureSummary],
    findings: Vec<Localized<'a>>,
    problems: Vec<Localized<'a>>,
    files: Vec<FileSummary<'a>>,
}

fn write_json(
    out: impl std::io::Write,
    analysis: &Analysis,
    files: &[FileRead],
    lang: Lang,
) -> anyhow::Result<()> {
    let json = Json {
        summary: analysis
            .domains
            .iter()
            .filter_map(|domain| readiness_finding(analysis, domain))
            .map(|finding| messages::message(finding, lang))
            .collect(),
        counts: &analysis.counts,
        domains: &analysis.domains,
        tls: &analysis.tls,
        failures: &analysis.failures,
        findings: localized(&analysis.findings, lang),
        problems: localized(&analysis.problems, lang),
        files: files
            .iter()
            .map(|file| FileSummary {
                name: &file.name,
                reports: file.documents.len(),
                complete: file.is_complete() && !file.documents.is_empty(),
            })
            .collect(),
    };
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &json)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// The readiness finding of a domain: the first of its findings.
fn readiness_finding<'a>(analysis: &'a Analysis, domain: &DomainAnalysis) -> Option<&'a Finding> {
    analysis
        .findings
        .iter()
        .find(|f| f.domain.as_deref() == Some(domain.domain.as_str()))
}

fn words(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::De => [
            "Gelesen",
            "Dateien",
            "Sammelberichte",
            "doppelt",
            "Fehlerberichte",
            "TLS-Berichte",
            "Absender",
            "Quellen",
            "Nachrichten",
            "Berichte von",
        ],
        Lang::En => [
            "Read",
            "files",
            "aggregate reports",
            "duplicate",
            "failure reports",
            "TLS reports",
            "Senders",
            "Sources",
            "messages",
            "reports from",
        ],
    }
}

fn human(analysis: &Analysis, lang: Lang) -> String {
    let [
        read,
        files,
        aggregate,
        duplicate,
        failure,
        tls,
        senders,
        sources,
        messages_word,
        from,
    ] = words(lang);
    let counts = &analysis.counts;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{read}: {} {files}, {} {aggregate} ({} {duplicate}), {} {failure}, {} {tls}",
        counts.files,
        counts.aggregate_reports,
        counts.duplicates,
        counts.failure_reports,
        counts.tls_reports
    );
    for domain in &analysis.domains {
        let period = match (domain.begin, domain.end) {
            (Some(begin), Some(end)) => format!(
                ", {} – {}",
                format_day(begin as i64),
                format_day(end as i64)
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "\n{} — p={}, {} {messages_word}, {} {from} {}{period}",
            domain.domain,
            domain.readiness.policy,
            domain.messages,
            domain.reports,
            domain
                .reporters
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(finding) = readiness_finding(analysis, domain) {
            let _ = writeln!(out, "  ► {}", messages::message(finding, lang));
        }
        let _ = writeln!(out, "\n  {senders}:");
        for group in &domain.groups {
            let _ = writeln!(
                out,
                "    [{}] {}: {}/{} DMARC pass, {} IP",
                group.verdict.as_str(),
                group.name,
                group.dmarc_pass,
                group.messages,
                group.ips.len()
            );
            if group.verdict == Verdict::Aligned {
                continue;
            }
            let finding = analysis.findings.iter().find(|f| {
                f.domain.as_deref() == Some(domain.domain.as_str())
                    && f.param("sender") == group.name
            });
            if let Some(finding) = finding {
                let _ = writeln!(out, "        {}", messages::message(finding, lang));
                if let Some(hint) = messages::hint(finding.code, lang) {
                    let _ = writeln!(out, "        → {hint}");
                }
                // The check that shows what the domain's records say about this sender's server.
                if group.verdict == Verdict::LegitimateFailing
                    && let Some(ip) = group.ips.iter().next()
                {
                    let _ = writeln!(out, "        → postcheck check {} --ip {ip}", domain.domain);
                }
            }
        }
        let _ = writeln!(out, "\n  {sources}:");
        let _ = writeln!(
            out,
            "    {:<39} {:>9} {:>9} {:>13} {:>13}  {:<22} sender",
            "ip", "messages", "dmarc", "spf/aligned", "dkim/aligned", "disposition"
        );
        for source in &domain.sources {
            let dispositions = source
                .dispositions
                .iter()
                .map(|(name, count)| format!("{name}={count}"))
                .collect::<Vec<_>>()
                .join(" ");
            let _ = writeln!(
                out,
                "    {:<39} {:>9} {:>9} {:>13} {:>13}  {:<22} {}",
                source.ip,
                source.messages,
                source.dmarc_pass,
                format!("{}/{}", source.spf_pass, source.spf_aligned),
                format!("{}/{}", source.dkim_pass, source.dkim_aligned),
                dispositions,
                source.sender
            );
        }
    }
    let rest: Vec<&Finding> = analysis
        .findings
        .iter()
        .filter(|f| {
            !analysis
                .domains
                .iter()
                .any(|d| f.domain.as_deref() == Some(d.domain.as_str()) && is_domain_code(f))
        })
        .collect();
    if !rest.is_empty() {
        out.push('\n');
        for finding in rest {
            let _ = writeln!(
                out,
                "[{}] {}",
                finding.code,
                messages::message(finding, lang)
            );
            for (mx, count) in tls_hosts(analysis, finding) {
                let _ = writeln!(out, "    {mx}: {count}");
            }
        }
    }
    out
}

/// Whether a finding belongs to a domain's aggregate section (shown there already).
fn is_domain_code(finding: &Finding) -> bool {
    use postcheck_core::Code;
    matches!(
        finding.code,
        Code::ReportReadyForNextStep
            | Code::ReportPolicyFinal
            | Code::ReportNotReady
            | Code::ReportLegitimateFailing
            | Code::ReportUnknownFailing
    )
}

/// A TLS failure finding's failed sessions per MX host, most first.
fn tls_hosts(analysis: &Analysis, finding: &Finding) -> Vec<(String, u64)> {
    if finding.code != postcheck_core::Code::ReportTlsFailures {
        return Vec::new();
    }
    let mut hosts: Vec<(String, u64)> = analysis
        .tls
        .iter()
        .filter(|tls| finding.domain.as_deref() == Some(tls.domain.as_str()))
        .flat_map(|tls| tls.by_mx.iter().map(|(mx, count)| (mx.clone(), *count)))
        .collect();
    // Most failures first, as the finding's text lists them.
    hosts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    hosts
}
