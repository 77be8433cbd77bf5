//! The findings catalog as Markdown, generated from the code's own table ([`Code`]): for each
//! family, every code with its severity, the RFC section it enforces, when it is reported, and
//! its German and English message. `docs/FINDINGS.md` is this output; the core's test
//! `catalog` fails when the file is stale and rewrites it with `POSTCHECK_WRITE_CATALOG=1`.

use crate::findings::{Code, Family};
use crate::messages::{self, Lang};
use std::fmt::Write as _;

/// A table cell: no line breaks, `|` escaped (GitHub-flavoured Markdown tables).
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The catalog: an introduction, then one table per family in report order.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Findings catalog\n\n\
         <!-- Generated from crates/postcheck-core/src/findings.rs (the `codes!` table) and the \
         message tables by crates/postcheck-core/src/catalog.rs. Do not edit: run \
         `POSTCHECK_WRITE_CATALOG=1 cargo test -p postcheck-core --test it catalog`. -->\n\n\
         Every finding postcheck reports carries one of these stable codes: in the report, in \
         the CLI's JSON (`code`) and in the page's markup (`data-code`). Codes are public API: \
         a code is never renamed or reused. Severity: `error` (mail will be rejected or the \
         domain is spoofable), `warning` (risky, or against a SHOULD), `info` (worth knowing), \
         `ok` (a check that passed). A finding about record text carries the byte span it \
         refers to, in the record as shown (TXT strings joined, RFC 7208 §3.3). The messages \
         are shown with their `{parameters}` filled in.\n",
    );
    for &family in Family::ALL {
        let codes: Vec<Code> = Code::ALL
            .iter()
            .copied()
            .filter(|code| code.family() == family)
            .collect();
        if codes.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n## {}\n\n| code | severity | rule | when | English | Deutsch |\n|---|---|---|---|---|---|\n",
            family.title()
        );
        for code in codes {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                code.as_str(),
                code.default_severity().as_str(),
                cell(code.rule()),
                cell(code.description()),
                cell(messages::template_text(code, Lang::En)),
                cell(messages::template_text(code, Lang::De)),
            );
        }
    }
    out
}
