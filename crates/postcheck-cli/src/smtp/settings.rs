//! `postcheck smtp --for ADDRESS`: the submission settings the address's provider publishes,
//! from its SRV records (RFC 6186), its autoconfig file, the core's provider table matched by
//! MX, and the sending services its SPF record includes. The lookups go through the resolver and the fetcher; the judgement is the core's
//! `smtp::settings::expected_settings`.

use crate::net::fetcher::Fetcher;
use crate::net::resolver::Resolver;
use postcheck_core::dkim::providers::spf_targets;
use postcheck_core::dns::{Answer, AnswerCache, Query, RecordData, RecordType};
use postcheck_core::fetch::FetchResult;
use postcheck_core::messages::{Label, Lang, label};
use postcheck_core::smtp::settings::{
    Autoconfig, SrvAnswer, SuggestedServer, UserName, autoconfig_urls, expected_settings,
    parse_autoconfig, srv_names,
};
use std::fmt::Write as _;

/// What was found for an address.
#[derive(Debug)]
pub struct Settings {
    address: String,
    suggestions: Vec<SuggestedServer>,
    /// A lookup failed: the list may be incomplete (could not verify, never "none").
    incomplete: bool,
}

/// Looks up the settings for an address (or a bare domain).
pub async fn lookup(
    address: &str,
    resolver: &Resolver,
    fetcher: &Fetcher,
) -> anyhow::Result<Settings> {
    let domain = postcheck_core::input::parse_domain_input(address)
        .map_err(|error| anyhow::anyhow!("--for {address:?}: {error:?}"))?;
    let full_address = address.contains('@').then(|| address.trim().to_owned());
    let names = srv_names(&domain);
    let mut queries: Vec<Query> = names
        .iter()
        .map(|(_, name)| Query::new(name, RecordType::Srv))
        .collect();
    queries.push(Query::new(&domain, RecordType::Mx));
    queries.push(Query::new(&domain, RecordType::Txt));
    let answers = resolver.resolve_all(&queries).await;
    let answer = |query: &Query| {
        answers
            .iter()
            .find(|(q, _)| q == query)
            .map(|(_, a)| a.clone())
            .unwrap_or(Answer::Failed {
                failure: postcheck_core::dns::Failure::Error,
            })
    };
    let mut incomplete = false;
    let srv: Vec<_> = names
        .iter()
        .zip(&queries)
        .map(|((service, _), query)| {
            let srv = SrvAnswer::from_answer(&answer(query));
            incomplete |= srv == SrvAnswer::Failed;
            (*service, srv)
        })
        .collect();
    let mx_answer = answer(&Query::new(&domain, RecordType::Mx));
    incomplete |= matches!(mx_answer, Answer::Failed { .. });
    let mx_hosts: Vec<String> = match &mx_answer {
        Answer::Records { records, .. } => records
            .iter()
            .filter_map(|record| match record {
                RecordData::Mx { exchange, .. } => Some(exchange.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    // The literal include: targets of the domain's own SPF record (its TXT answer only).
    let mut txt = AnswerCache::new();
    let txt_query = Query::new(&domain, RecordType::Txt);
    txt.insert(txt_query.clone(), answer(&txt_query));
    let spf_includes = spf_targets(&domain, &txt).unwrap_or_default();
    let (autoconfig, fetch_failed) =
        fetch_autoconfig(&domain, full_address.as_deref(), fetcher).await;
    incomplete |= fetch_failed && autoconfig.is_none();
    let mx: Vec<&str> = mx_hosts.iter().map(String::as_str).collect();
    let subject = full_address.clone().unwrap_or_else(|| domain.clone());
    let suggestions = expected_settings(&subject, &mx, &srv, autoconfig.as_ref(), &spf_includes);
    Ok(Settings {
        address: subject,
        suggestions,
        // The domain's own SRV records are its statement: with them the list is complete
        // whatever else failed.
        incomplete: incomplete
            && !srv
                .iter()
                .any(|(_, answer)| matches!(answer, SrvAnswer::Records { .. })),
    })
}

/// The first autoconfig file found, in Thunderbird's order; whether any place failed to
/// answer (as opposed to "not there").
async fn fetch_autoconfig(
    domain: &str,
    address: Option<&str>,
    fetcher: &Fetcher,
) -> (Option<Autoconfig>, bool) {
    let mut failed = false;
    for url in autoconfig_urls(domain, address) {
        match fetcher.fetch(&url).await {
            FetchResult::Response {
                code: 200, body, ..
            } => {
                let config = parse_autoconfig(&body);
                if !config.outgoing.is_empty() {
                    return (Some(config), failed);
                }
            }
            FetchResult::Response { .. } => {}
            FetchResult::Failed { .. } => failed = true,
        }
    }
    (None, failed)
}

impl Settings {
    pub fn json(&self, _lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "for": self.address,
            "servers": self.suggestions,
            "incomplete": self.incomplete,
        })
    }

    pub fn human(&self, lang: Lang) -> String {
        let t = |key: Label| label(key, lang);
        let mut out = String::new();
        let _ = writeln!(out, "{} ({})", t(Label::ProviderSettings), self.address);
        if self.suggestions.is_empty() {
            let _ = writeln!(out, "  {}", t(Label::NoProviderSettings));
        }
        for server in &self.suggestions {
            let _ = writeln!(
                out,
                "  {}:{} ({})",
                server.host,
                server.port,
                server.security.label()
            );
            let user = match (&server.username_value, &server.username) {
                (Some(value), _) => value.clone(),
                (None, UserName::Literal(word)) => (*word).to_owned(),
                (None, UserName::Template(template)) => template.clone(),
                (None, form) => Label::user_name(form).map_or("", t).to_owned(),
            };
            let _ = writeln!(out, "    {}: {user}", t(Label::UserName));
            let _ = writeln!(
                out,
                "    {}: {}",
                t(Label::Password),
                t(Label::password(server.password))
            );
            if let Some(requirement) = server.requirement {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    t(Label::Requirement),
                    t(Label::requirement(requirement))
                );
            }
            let sources: Vec<&str> = server.sources.iter().map(|s| t(Label::source(s))).collect();
            let _ = writeln!(
                out,
                "    {}: {}",
                t(Label::SettingsSource),
                sources.join(", ")
            );
        }
        if self.incomplete {
            let _ = writeln!(out, "  {}", t(Label::SettingsLookupFailed));
        }
        out
    }
}
