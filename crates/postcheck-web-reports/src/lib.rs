//! The `/tools` page's reader of the reports receivers send (`#reports`): DMARC aggregate and
//! failure reports and SMTP TLS reports, read by the core's `reports` module. A wasm module of
//! its own (the XML reader and the inflater), imported by the page only when report files are
//! chosen or dropped, so neither the check page nor `/tools` carries it until then. The files
//! never leave the browser.
//!
//! The page hands the files over one at a time ([`Reader::add`]), so it can say how far it has
//! come, then asks for the merged view ([`Reader::view`]), as JSON of
//! [`postcheck_web::reports_view::ReportsView`]; the findings in it are codes and parameters,
//! which the page puts in words (this module carries no texts).

use postcheck_core::dns::AnswerCache;
use postcheck_core::findings::Finding;
use postcheck_core::headers::date::format_day;
use postcheck_core::reports::{self, Analysis, FileRead, Verdict};
use postcheck_web::reports_view::{Domain, Problem, ReportsView, Sender, Source, Tls};
use wasm_bindgen::prelude::wasm_bindgen;

/// The most source IPs a domain shows; the CSV has them all.
const MAX_SOURCES: usize = 200;

/// The files read so far.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Reader {
    files: Vec<FileRead>,
    /// The PTR answers of [`Reader::look_up_names`], if asked for.
    ptr: AnswerCache,
}

#[wasm_bindgen]
impl Reader {
    /// A reader with no file yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Reader {
        Reader::default()
    }

    /// Reads one file (its name as the visitor's system gives it).
    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        let index = self.files.len();
        self.files.push(reports::read_file(index, name, bytes));
    }

    /// Looks up, through the gateway's `/api/dns`, the PTR names of the servers whose mail
    /// carries no domain (the only thing that leaves the browser, and only when the visitor
    /// asks); the next [`Reader::view`] names their mail by them. Whether the gateway answered.
    pub async fn look_up_names(&mut self) -> bool {
        let queries = reports::ptr_queries(&self.files);
        if queries.is_empty() {
            return true;
        }
        match postcheck_web::api::dns(&queries).await {
            Ok(answers) => {
                self.ptr = answers;
                true
            }
            Err(_) => false,
        }
    }

    /// Everything read so far, merged, as JSON; with a vendor's sender profile (its JSON, as
    /// the page's `?profile=` carries it), the vendor's mail is named by the vendor.
    pub fn view(&self, profile: Option<String>) -> String {
        let profile = profile
            .and_then(|text| postcheck_core::json::read_sender_profile(text.as_bytes()).ok());
        let analysis = reports::analyze_for(&self.files, profile.as_ref(), &self.ptr);
        serde_json::to_string(&view(&analysis)).unwrap_or_default()
    }
}

/// The merged reports as the page shows them.
fn view(analysis: &Analysis) -> ReportsView {
    let counts = &analysis.counts;
    let of_domain = |domain: &str| -> Vec<&Finding> {
        analysis
            .findings
            .iter()
            .filter(|f| f.domain.as_deref() == Some(domain))
            .collect()
    };
    let domains: Vec<Domain> = analysis
        .domains
        .iter()
        .map(|domain| {
            // The domain's findings: its readiness first, then one per failing sender.
            let findings = of_domain(&domain.domain);
            let readiness = findings.first().map(|f| (*f).clone());
            let senders = domain
                .groups
                .iter()
                .map(|group| Sender {
                    name: group.name.clone(),
                    verdict: group.verdict.as_str().to_owned(),
                    messages: group.messages,
                    dmarc_pass: group.dmarc_pass,
                    ips: group.ips.iter().cloned().collect(),
                    finding: (group.verdict != Verdict::Aligned)
                        .then(|| findings.iter().find(|f| f.param("sender") == group.name))
                        .flatten()
                        .map(|f| (*f).clone()),
                })
                .collect();
            let sources = domain
                .sources
                .iter()
                .take(MAX_SOURCES)
                .map(|source| Source {
                    ip: source.ip.clone(),
                    sender: source.sender.clone(),
                    messages: source.messages,
                    dmarc_pass: source.dmarc_pass,
                    spf_aligned: source.spf_aligned,
                    dkim_aligned: source.dkim_aligned,
                    dispositions: source
                        .dispositions
                        .iter()
                        .map(|(name, count)| format!("{name}={count}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect();
            Domain {
                domain: domain.domain.clone(),
                policy: domain.readiness.policy.clone(),
                messages: domain.messages,
                dmarc_pass: domain.dmarc_pass,
                reports: domain.reports,
                reporters: domain.reporters.iter().cloned().collect(),
                period: match (domain.begin, domain.end) {
                    (Some(begin), Some(end)) => Some(format!(
                        "{} – {}",
                        format_day(begin as i64),
                        format_day(end as i64)
                    )),
                    _ => None,
                },
                readiness,
                senders,
                sources,
                sources_total: domain.sources.len(),
            }
        })
        .collect();
    let shown: Vec<&str> = analysis.domains.iter().map(|d| d.domain.as_str()).collect();
    ReportsView {
        files: counts.files,
        complete_files: counts.complete_files,
        aggregate_reports: counts.aggregate_reports,
        duplicates: counts.duplicates,
        failure_reports: counts.failure_reports,
        tls_reports: counts.tls_reports,
        domains,
        tls: analysis
            .tls
            .iter()
            .map(|tls| Tls {
                domain: tls.domain.clone(),
                successful: tls.successful,
                failed: tls.failed,
                by_result: tls.by_result.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                by_mx: tls.by_mx.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            })
            .collect(),
        other: analysis
            .findings
            .iter()
            .filter(|f| !f.domain.as_deref().is_some_and(|d| shown.contains(&d)))
            .cloned()
            .collect(),
        problems: analysis
            .problems
            .iter()
            .map(|f| Problem {
                file: f.param("source").to_owned(),
                finding: f.clone(),
            })
            .collect(),
        csv: reports::to_csv(analysis),
    }
}
