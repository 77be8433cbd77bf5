//! Renders a report: verdict, the ordered actions with the exact record and a copy button, the
//! share links, then a section per check with its records (findings' spans marked), findings
//! (each with `data-code`), the SPF include tree and the SPF result per IP. Pure rendering of
//! the core's report model; DNS text is only ever inserted as text.

use crate::highlight::{Piece, pieces, spans_for};
use crate::i18n::{T, t};
use leptos::prelude::*;
use postcheck_core::findings::{Family, Finding, Severity};
use postcheck_core::messages::{self, Lang, UiText};
use postcheck_core::report::Report;
use postcheck_core::spf::analyze::{NodeStatus, SpfNode};
use std::sync::Arc;

/// The checks in the order the page shows them: title (de, en) and the family of their codes
/// (`Code::family`, data in the code table).
const FAMILIES: &[(&str, &str, Family)] = &[
    ("Domain", "Domain", Family::Domain),
    ("SPF", "SPF", Family::Spf),
    ("DMARC", "DMARC", Family::Dmarc),
    ("DKIM", "DKIM", Family::Dkim),
    ("MX", "MX", Family::Mx),
    ("Sendende Server", "Sending servers", Family::Sender),
    ("Anbieterprofil", "Sender profile", Family::Profile),
    ("MTA-STS", "MTA-STS", Family::MtaSts),
    ("TLS-RPT", "TLS-RPT", Family::TlsRpt),
    ("BIMI", "BIMI", Family::Bimi),
    ("DNSSEC", "DNSSEC", Family::Dnssec),
];

/// The CSS class of a severity.
pub fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "sev-ok",
        Severity::Info => "sev-info",
        Severity::Warning => "sev-warning",
        Severity::Error => "sev-error",
    }
}

/// The name of a severity for `data-verdict` attributes.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "ok",
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// A link to the rule a finding cites: RFC sections go to the RFC Editor's page.
pub fn rule_link(rule: &str) -> Option<String> {
    let rest = rule.strip_prefix("RFC ")?;
    let (number, section) = match rest.split_once(" §") {
        Some((number, section)) => (number, Some(section)),
        None => (rest, None),
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let anchor = section
        .filter(|s| s.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .map(|s| format!("#section-{s}"))
        .unwrap_or_default();
    Some(format!(
        "https://www.rfc-editor.org/rfc/rfc{number}{anchor}"
    ))
}

/// Copies `text` to the clipboard (the Clipboard API; nothing leaves the browser).
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// A button that copies `text` and says so.
#[component]
pub fn CopyButton(text: String, label: &'static str, done: &'static str) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="copy"
            on:click=move |_| {
                copy_to_clipboard(&text);
                copied.set(true);
            }
        >
            {move || if copied.get() { done } else { label }}
        </button>
    }
}

/// A text's pieces, each marked one as a `<mark>` with its severity and code (the report's
/// records and the editor's input alike).
pub(crate) fn render_pieces(list: Vec<Piece>) -> impl IntoView + use<> {
    list.into_iter()
        .map(|piece| match piece.mark {
            Some((severity, code)) => view! {
                <mark class=severity_class(severity) data-span-code=code title=code>
                    {piece.text}
                </mark>
            }
            .into_any(),
            None => view! { <span>{piece.text}</span> }.into_any(),
        })
        .collect_view()
}

/// A record's text with the spans of the findings that point into it.
#[component]
pub fn RecordText(owner: String, text: String, findings: Vec<Finding>) -> impl IntoView {
    let spans = spans_for(&findings, Some(owner.as_str()));
    view! {
        <figure class="record">
            <figcaption>{owner}</figcaption>
            <pre>
                <code>{render_pieces(pieces(&text, &spans))}</code>
            </pre>
        </figure>
    }
}

/// One finding: message, hint, rule; its code in `data-code`.
#[component]
pub fn FindingItem(finding: Finding, lang: Lang) -> impl IntoView {
    let message = messages::message(&finding, lang);
    let hint = messages::hint(finding.code, lang);
    let rule = finding.code.rule();
    let link = rule_link(rule);
    let label = messages::severity_label(finding.severity, lang);
    view! {
        <li
            class=format!("finding {}", severity_class(finding.severity))
            data-code=finding.code.as_str()
        >
            <span class="badge">{label}</span>
            <p class="message">{message}</p>
            {hint
                .map(|hint| {
                    view! {
                        <p class="hint">
                            <strong>{messages::ui(UiText::WhatToChange, lang)}": "</strong>
                            {hint}
                        </p>
                    }
                })}
            <p class="rule">
                <code class="code">{finding.code.as_str()}</code>
                " · "
                {match link {
                    Some(href) => {
                        view! {
                            <a href=href rel="noopener noreferrer" target="_blank">
                                {rule}
                            </a>
                        }
                            .into_any()
                    }
                    None => view! { <span>{rule}</span> }.into_any(),
                }}
            </p>
        </li>
    }
}

fn tree_node(node: &SpfNode, lang: Lang) -> AnyView {
    let label = match &node.via {
        Some(via) => format!("{via} → {}", node.domain),
        None => node.domain.clone(),
    };
    let lookups = format!("{} / {}", node.lookups, node.total_lookups);
    let children: Vec<AnyView> = node.children.iter().map(|c| tree_node(c, lang)).collect();
    let status = match node.status {
        NodeStatus::Record => "node",
        NodeStatus::LookupFailed => "node node-failed",
        NodeStatus::NoRecord | NodeStatus::MultipleRecords => "node node-missing",
        _ => "node node-skipped",
    };
    view! {
        <li class=status>
            <span class="node-name">{label}</span>
            " "
            <span class="lookups" title=messages::ui(UiText::Lookups, lang)>
                {lookups}
            </span>
            {(!children.is_empty()).then(|| view! { <ul>{children}</ul> })}
        </li>
    }
    .into_any()
}

fn family_section(
    report: &Report,
    title: &'static str,
    family: Family,
    lang: Lang,
) -> Option<AnyView> {
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| f.code.family() == family)
        .cloned()
        .collect();
    if findings.is_empty() {
        return None;
    }
    let worst = findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Ok);
    let record_views: Vec<AnyView> = report
        .records()
        .into_iter()
        .filter(|(_, of, _)| *of == family)
        .map(|(owner, _, text)| {
            let own: Vec<Finding> = findings.clone();
            view! { <RecordText owner=owner text=text findings=own /> }.into_any()
        })
        .collect();
    let is_spf = family == Family::Spf;
    let tree = (is_spf && !report.spf.tree.children.is_empty()).then(|| {
        view! {
            <div class="tree">
                <h4>{t(T::IncludeTree, lang)}</h4>
                <ul>{tree_node(&report.spf.tree, lang)}</ul>
            </div>
        }
    });
    let per_ip = (is_spf && !report.spf.results.is_empty()).then(|| {
        let rows: Vec<AnyView> = report
            .spf
            .results
            .iter()
            .map(|result| {
                let label = messages::result_label(result.result.as_str(), lang);
                let term = result.term.clone().unwrap_or_else(|| "—".to_owned());
                view! {
                    <tr data-ip=result.ip.to_string() data-result=result.result.as_str()>
                        <td>
                            <code>{result.ip.to_string()}</code>
                        </td>
                        <td>{label}</td>
                        <td>
                            <code>{term}</code>
                        </td>
                    </tr>
                }
                .into_any()
            })
            .collect();
        view! {
            <table class="per-ip">
                <caption>{t(T::SpfPerIp, lang)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(T::Ip, lang)}</th>
                        <th scope="col">{t(T::Result, lang)}</th>
                        <th scope="col">{t(T::DecidingTerm, lang)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let items: Vec<AnyView> = findings
        .into_iter()
        .map(|finding| view! { <FindingItem finding=finding lang=lang /> }.into_any())
        .collect();
    Some(
        view! {
            <section class=format!("check {}", severity_class(worst))>
                <h3>
                    <span class="dot" aria-hidden="true"></span>
                    {title}
                </h3>
                {record_views}
                {tree}
                {per_ip}
                <ul class="findings">{items}</ul>
            </section>
        }
        .into_any(),
    )
}

/// The actions, in order: who does each, and the exact record the way the domain's DNS host
/// wants it typed in, with a copy button and the steps there.
#[component]
pub fn Actions(report: Arc<Report>, lang: Lang) -> impl IntoView {
    let items: Vec<AnyView> = report
        .actions
        .iter()
        .map(|action| {
            let localized = postcheck_core::actions::LocalizedAction::new(action, &report, lang);
            let publish = localized.publish.map(|publish| {
                let form = publish.form.clone();
                let steps: Vec<AnyView> = publish
                    .steps
                    .into_iter()
                    .map(|step| view! { <li>{step}</li> }.into_any())
                    .collect();
                let owner = localized.record.map(|r| r.name.clone()).unwrap_or_default();
                view! {
                    <div class="publish" data-host=form.host.clone()>
                        <span class="owner">
                            <code>{owner}</code>
                            " "
                            <abbr>{form.record_type.clone()}</abbr>
                        </span>
                        <code class="value">{form.value.clone()}</code>
                        <CopyButton
                            text=form.value.clone()
                            label=t(T::Copy, lang)
                            done=t(T::Copied, lang)
                        />
                        <ol class="steps">{steps}</ol>
                        {publish
                            .help
                            .map(|href| {
                                view! {
                                    <a
                                        class="help-link"
                                        href=href
                                        rel="noopener noreferrer"
                                        target="_blank"
                                    >
                                        {messages::ui(UiText::Help, lang)}
                                    </a>
                                }
                            })}
                    </div>
                }
            });
            view! {
                <li
                    class=format!("action {}", severity_class(action.severity))
                    data-code=action.code.as_str()
                    data-actor=action.actor.as_str()
                >
                    <p>{localized.text}</p>
                    <p class="who">
                        <strong>{messages::ui(UiText::WhoActs, lang)}": "</strong>
                        {localized.who}
                    </p>
                    {publish}
                </li>
            }
            .into_any()
        })
        .collect();
    let empty = items.is_empty();
    view! {
        <section class="actions">
            <h2>{t(T::Actions, lang)}</h2>
            {if empty {
                view! { <p>{t(T::NoActions, lang)}</p> }.into_any()
            } else {
                view! { <ol>{items}</ol> }.into_any()
            }}
        </section>
    }
}

/// Every check's section.
#[component]
pub fn Sections(report: Arc<Report>, lang: Lang) -> impl IntoView {
    let views: Vec<AnyView> = FAMILIES
        .iter()
        .filter_map(|(de, en, family)| {
            let title = if lang == Lang::De { *de } else { *en };
            family_section(&report, title, *family, lang)
        })
        .collect();
    view! { <div class="sections">{views}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_link_to_their_rfc_section() {
        assert_eq!(
            rule_link("RFC 7208 §4.6.4").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4")
        );
        assert_eq!(
            rule_link("RFC 1912").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc1912")
        );
        assert_eq!(rule_link("draft-brand-indicators §4.2"), None);
    }
}
