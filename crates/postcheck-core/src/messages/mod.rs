//! User-facing text in German and English: messages and hints per finding code, and the labels.
//!
//! Every sentence lives in a table here, looked up by code and language; the rest of the core only
//! produces codes and named parameters (`term`, `count`, ...). A message template names its
//! parameters as `{name}`; [`message`] fills them from [`Finding::params`], and a parameter that is
//! missing renders as nothing ([`missing_params`] names such parameters; the tests require that
//! no example and no fixture report has one). Where the parameters call for a different wording
//! (the `reason` of a syntax error, whether a deciding term exists), the table holds one complete
//! template per wording: sentences are chosen, never assembled.
//!
//! The words follow the help-desk articles our users know: "SPF-Eintrag", "DNS-Eintrag",
//! "Absender-IP", "Sie".

use crate::findings::{Code, Family, Finding, Severity};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

#[cfg(feature = "bounce")]
mod authres;
#[cfg(feature = "bounce")]
mod bounce;
mod dkim;
mod dmarc;
mod domain;
#[cfg(feature = "bounce")]
mod labels;
mod loaded;
mod mailtransport;
mod mx;
mod profile;
#[cfg(feature = "recipients")]
mod recipients;
#[cfg(feature = "reports")]
mod reports;
#[cfg(feature = "smtp")]
mod smtp;
mod spf;

#[cfg(feature = "bounce")]
pub use labels::{Label, label};
pub use loaded::{install, installed};

/// The language of user-facing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// German.
    De,
    /// English, the default.
    #[default]
    En,
}

impl Lang {
    /// Every language, German first.
    pub const ALL: &'static [Lang] = &[Lang::De, Lang::En];

    /// The language tag, `"de"` or `"en"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The language of a tag or locale name (`de`, `en`, `de-DE`, `de_DE.UTF-8`, `en_US`), read
    /// from its language part, case-insensitively; `None` for any other language.
    pub fn parse(text: &str) -> Option<Lang> {
        let language = text
            .trim()
            .split(['-', '_', '.', '@', ':'])
            .next()
            .unwrap_or_default();
        if language.eq_ignore_ascii_case("de") {
            Some(Lang::De)
        } else if language.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language for an environment value such as `LANG` or `LANGUAGE`: German if the value
    /// starts with `de` (any case), English otherwise, including when it is unset.
    pub fn from_env_value(value: Option<&str>) -> Lang {
        match value.map(str::trim) {
            Some(value)
                if value
                    .get(..2)
                    .is_some_and(|prefix| prefix.eq_ignore_ascii_case("de")) =>
            {
                Lang::De
            }
            _ => Lang::En,
        }
    }
}

/// The plain-language message for a finding: one sentence, or two, with its parameters filled in.
///
/// An SPF result name in the `result` parameter is shown as its [`result_label`].
pub fn message(finding: &Finding, lang: Lang) -> String {
    render(finding, lang).0
}

/// The parameters a finding's message names as `{name}` but the finding does not carry, in the
/// order the message names them. [`message`] renders each as nothing, so a parameter renamed on
/// one side only reads "at most  are allowed"; the tests assert this list is empty.
pub fn missing_params(finding: &Finding, lang: Lang) -> Vec<&'static str> {
    render(finding, lang).1
}

/// The message and the parameters it names that the finding does not carry.
fn render(finding: &Finding, lang: Lang) -> (String, Vec<&'static str>) {
    let template = template(finding.code, variant(finding), lang);
    let mut params = Cow::Borrowed(&finding.params);
    if let Some(label) = finding
        .params
        .get("result")
        .and_then(|result| known_result_label(result, lang))
    {
        params
            .to_mut()
            .insert("result".to_owned(), label.to_owned());
    }
    fill(template, &params)
}

/// The usual wording of a code's message, its parameters as `{name}` placeholders (the
/// findings catalog shows it).
pub fn template_text(code: Code, lang: Lang) -> &'static str {
    template(code, "", lang)
}

/// What to change, in one or two sentences; `None` for codes that need no action.
pub fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    #[cfg(feature = "texts")]
    return tables(code).and_then(|tables| (tables.hint)(code, lang));
    #[cfg(not(feature = "texts"))]
    return loaded::lookup(code, loaded::HINT, lang);
}

/// The label of an SPF result (`pass`, `fail`, `softfail`, `neutral`, `none`, `permerror`,
/// `temperror`, any case); `temperror` reads "could not verify", never "missing".
pub fn result_label(result: &str, lang: Lang) -> &'static str {
    known_result_label(result, lang).unwrap_or(match lang {
        Lang::De => "unbekannt",
        Lang::En => "unknown",
    })
}

fn known_result_label(result: &str, lang: Lang) -> Option<&'static str> {
    use Lang::*;
    let label = match (result.trim().to_ascii_lowercase().as_str(), lang) {
        ("pass", De) => "bestanden",
        ("pass", En) => "passed",
        ("fail", De) => "abgelehnt (fail)",
        ("fail", En) => "rejected (fail)",
        ("softfail", De) => "verdächtig (softfail)",
        ("softfail", En) => "suspicious (softfail)",
        ("neutral", De) => "keine Aussage (neutral)",
        ("neutral", En) => "no verdict (neutral)",
        ("none", De) => "kein SPF-Eintrag (none)",
        ("none", En) => "no SPF record (none)",
        ("permerror", De) => "fehlerhafter SPF-Eintrag (permerror)",
        ("permerror", En) => "broken SPF record (permerror)",
        ("temperror", De) => "konnte nicht geprüft werden (temperror)",
        ("temperror", En) => "could not verify (temperror)",
        _ => return None,
    };
    Some(label)
}

/// The label of a severity: "OK", "Hinweis", "Warnung", "Fehler".
pub fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    use Lang::*;
    match (severity, lang) {
        (Severity::Ok, _) => "OK",
        (Severity::Info, De) => "Hinweis",
        (Severity::Info, En) => "Info",
        (Severity::Warning, De) => "Warnung",
        (Severity::Warning, En) => "Warning",
        (Severity::Error, De) => "Fehler",
        (Severity::Error, En) => "Error",
    }
}

/// The fixed labels of the CLI's and the page's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UiText {
    /// Heading of the record as published.
    Record,
    /// Heading of the list of every record the report read.
    Records,
    /// Heading of the include/redirect tree.
    IncludeTree,
    /// Label of the DNS lookup count.
    Lookups,
    /// Label of the count of lookups that found nothing.
    VoidLookups,
    /// Followed by an IP address: "SPF result for 192.0.2.1".
    ResultFor,
    /// Followed by the term that decided the result.
    DecidedBy,
    /// Heading of a hint.
    WhatToChange,
    /// Shown when the domain has no SPF record.
    NoRecord,
    /// Shown when a lookup failed (temperror): never "missing".
    CouldNotVerify,
    /// Heading of the list of findings.
    Findings,
    /// Heading of the summary.
    Summary,
    /// Label of the checked domain.
    DomainLabel,
    /// Label of who has to act on an action or finding.
    WhoActs,
    /// Label of the DNS host the domain's NS records name.
    DnsHost,
    /// Label of a link to a help page.
    Help,
}

impl UiText {
    /// Every label.
    pub const ALL: &'static [UiText] = &[
        UiText::Record,
        UiText::Records,
        UiText::IncludeTree,
        UiText::Lookups,
        UiText::VoidLookups,
        UiText::ResultFor,
        UiText::DecidedBy,
        UiText::WhatToChange,
        UiText::NoRecord,
        UiText::CouldNotVerify,
        UiText::Findings,
        UiText::Summary,
        UiText::DomainLabel,
        UiText::WhoActs,
        UiText::DnsHost,
        UiText::Help,
    ];
}

/// A fixed label of the report.
pub fn ui(key: UiText, lang: Lang) -> &'static str {
    use Lang::*;
    use UiText::*;
    match (key, lang) {
        (Record, De) => "SPF-Eintrag",
        (Record, En) => "SPF record",
        (Records, De) => "Gelesene DNS-Einträge",
        (Records, En) => "DNS records read",
        (IncludeTree, De) => "Eingebundene Einträge",
        (IncludeTree, En) => "Included records",
        (Lookups, De) => "DNS-Abfragen",
        (Lookups, En) => "DNS lookups",
        (VoidLookups, De) => "Abfragen ohne Ergebnis",
        (VoidLookups, En) => "Lookups without result",
        (ResultFor, De) => "SPF-Ergebnis für",
        (ResultFor, En) => "SPF result for",
        (DecidedBy, De) => "Entschieden durch",
        (DecidedBy, En) => "Decided by",
        (WhatToChange, De) => "Was Sie ändern sollten",
        (WhatToChange, En) => "What to change",
        (NoRecord, De) => "Kein SPF-Eintrag gefunden",
        (NoRecord, En) => "No SPF record found",
        (CouldNotVerify, De) => "Konnte nicht geprüft werden",
        (CouldNotVerify, En) => "Could not verify",
        (Findings, De) => "Prüfergebnisse",
        (Findings, En) => "Findings",
        (Summary, De) => "Zusammenfassung",
        (Summary, En) => "Summary",
        (DomainLabel, De) => "Domain",
        (DomainLabel, En) => "Domain",
        (WhoActs, De) => "Wer handeln muss",
        (WhoActs, En) => "Who must act",
        (DnsHost, De) => "DNS-Anbieter",
        (DnsHost, En) => "DNS host",
        (Help, De) => "Anleitung",
        (Help, En) => "Help",
    }
}

/// Who acts, in plain words. [`crate::actions::Actor::DnsHost`] and
/// [`crate::actions::Actor::Vendor`] read better with a name: [`actor_named`].
pub fn actor(actor: crate::actions::Actor, lang: Lang) -> &'static str {
    use crate::actions::Actor::*;
    use Lang::*;
    match (actor, lang) {
        (DnsHost, De) => "Sie: in den DNS-Einstellungen Ihrer Domain (bei Ihrem DNS-Anbieter)",
        (DnsHost, En) => "You: in your domain's DNS settings (at your DNS host)",
        (Customer, De) => "Sie: in den Einstellungen Ihres Programms oder bei Ihrem Administrator",
        (Customer, En) => "You: in your program's settings or with your administrator",
        (MailProvider, De) => "Ihr E-Mail-Anbieter (oder der Dienst, der Ihre E-Mails versendet)",
        (MailProvider, En) => "Your mail provider (or the service that sends your mail)",
        (IpOperator, De) => {
            "Der Betreiber des sendenden Servers (Ihr Hosting- oder Internetanbieter)"
        }
        (IpOperator, En) => {
            "The operator of the sending server (your hosting or internet provider)"
        }
        (Vendor, De) => "Der Hersteller Ihres Programms",
        (Vendor, En) => "Your program's vendor",
    }
}

/// Which domain a check checked and why, when what was typed is not simply that domain: the
/// domain of an email address, or of a web address (whose `www.` names the web server; mail
/// goes to the domain). `None` when the typed text is the domain.
pub fn checked_domain(typed: &str, domain: &str, lang: Lang) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() || typed.trim_end_matches('.').eq_ignore_ascii_case(domain) {
        return None;
    }
    let de = lang == Lang::De;
    Some(if typed.contains("://") {
        if de {
            format!(
                "Geprüft wird {domain}, die Domain der Web-Adresse {typed}: E-Mails gehen an die Domain, nicht an den Webserver."
            )
        } else {
            format!(
                "Checked {domain}, the domain of the web address {typed}: mail goes to the domain, not to the web server."
            )
        }
    } else if typed.contains('@') {
        if de {
            format!("Geprüft wird {domain}, die Domain der E-Mail-Adresse {typed}.")
        } else {
            format!("Checked {domain}, the domain of the email address {typed}.")
        }
    } else if de {
        format!("Geprüft wird {domain} (eingegeben: {typed}).")
    } else {
        format!("Checked {domain} (typed: {typed}).")
    })
}

/// The report's first line, in the customer's words: how many things they must fix before
/// mail (from the vendor of the sender profile, where there is one) is accepted, how many are
/// only recommended, and how many are the vendor's own; or that the domain does not exist, or
/// that nothing could be checked.
pub fn headline(report: &crate::report::Report, lang: Lang) -> String {
    use crate::actions::Actor;
    use crate::findings::Severity;
    let de = lang == Lang::De;
    let first = report.findings.first().map(|f| f.code);
    if first == Some(Code::DomainNotFound) {
        return if de {
            "Diese Domain gibt es nicht."
        } else {
            "This domain does not exist."
        }
        .to_owned();
    }
    if report
        .findings
        .iter()
        .any(|f| f.code == Code::DomainLookupFailed)
    {
        return if de {
            "Die Domain konnte nicht geprüft werden."
        } else {
            "The domain could not be checked."
        }
        .to_owned();
    }
    let vendor = report.profile.as_ref().map(|p| p.name.as_str());
    let count = |severity: Severity, vendors: bool| {
        report
            .actions
            .iter()
            .filter(|a| a.severity == severity && (a.actor == Actor::Vendor) == vendors)
            .count()
    };
    let (fix, recommended) = (
        count(Severity::Error, false),
        count(Severity::Warning, false),
    );
    let theirs = count(Severity::Error, true) + count(Severity::Warning, true);
    let mut line = match (fix, vendor, de) {
        (0, _, true) if recommended == 0 => "Alles in Ordnung: Es ist nichts zu tun.".to_owned(),
        (0, _, false) if recommended == 0 => "All good: nothing to do.".to_owned(),
        (0, _, true) => format!(
            "Nichts Dringendes: {recommended} Empfehlung{}.",
            if recommended == 1 { "" } else { "en" }
        ),
        (0, _, false) => format!(
            "Nothing urgent: {recommended} recommendation{}.",
            if recommended == 1 { "" } else { "s" }
        ),
        (1, Some(vendor), true) => {
            format!("1 Sache ist zu beheben, bevor E-Mails von {vendor} angenommen werden.")
        }
        (n, Some(vendor), true) => {
            format!("{n} Dinge sind zu beheben, bevor E-Mails von {vendor} angenommen werden.")
        }
        (1, Some(vendor), false) => {
            format!("1 thing to fix before mail from {vendor} is accepted.")
        }
        (n, Some(vendor), false) => {
            format!("{n} things to fix before mail from {vendor} is accepted.")
        }
        (1, None, true) => {
            "1 Sache ist zu beheben, damit Ihre E-Mails angenommen werden.".to_owned()
        }
        (n, None, true) => {
            format!("{n} Dinge sind zu beheben, damit Ihre E-Mails angenommen werden.")
        }
        (1, None, false) => "1 thing to fix so that your mail is accepted.".to_owned(),
        (n, None, false) => format!("{n} things to fix so that your mail is accepted."),
    };
    if theirs > 0 {
        let vendor = vendor.unwrap_or(if de { "der Hersteller" } else { "the vendor" });
        line.push(' ');
        line.push_str(&match (theirs, de) {
            (1, true) => format!("1 Punkt muss {vendor} selbst beheben."),
            (n, true) => format!("{n} Punkte muss {vendor} selbst beheben."),
            (1, false) => format!("1 is for {vendor} to fix."),
            (n, false) => format!("{n} are for {vendor} to fix."),
        });
    }
    line
}

/// The steps that publish a record at a DNS host (the generic ones for an unknown host).
pub fn publish_steps(
    publish: &crate::publish::Publish,
    host: Option<&crate::publish::DnsHost>,
    lang: Lang,
) -> Vec<String> {
    let de = lang == Lang::De;
    let open = match (host, de) {
        (Some(host), true) => format!("Melden Sie sich bei {} an und öffnen Sie: {}.", host.name, host.panel[0]),
        (Some(host), false) => format!("Log in at {} and open: {}.", host.name, host.panel[1]),
        (None, true) => "Melden Sie sich beim Anbieter an, der die DNS-Einträge Ihrer Domain verwaltet (oft dort, wo Sie die Domain gekauft haben), und öffnen Sie die DNS-Einstellungen der Domain.".to_owned(),
        (None, false) => "Log in where your domain's DNS records are managed (often where you bought the domain) and open the domain's DNS settings.".to_owned(),
    };
    let kind = &publish.record_type;
    let what = match (publish.replaces, de) {
        (true, true) => {
            format!("Ändern Sie den vorhandenen {kind}-Eintrag, statt einen zweiten anzulegen:")
        }
        (true, false) => {
            format!("Change the existing {kind} record instead of adding a second one:")
        }
        (false, true) => "Legen Sie einen neuen Eintrag an:".to_owned(),
        (false, false) => "Add a new record:".to_owned(),
    };
    let host_field = match (publish.host.as_str(), de) {
        ("", true) => "Name/Host leer lassen".to_owned(),
        ("", false) => "leave the name/host field empty".to_owned(),
        (name, true) => format!("Name/Host „{name}“"),
        (name, false) => format!("name/host \"{name}\""),
    };
    let fields = match de {
        true => format!("{what} Typ {kind}, {host_field}, Wert: {}", publish.value),
        false => format!("{what} type {kind}, {host_field}, value: {}", publish.value),
    };
    let save = match de {
        true => {
            "Speichern Sie. Die Änderung gilt meist nach wenigen Minuten, spätestens nach der Gültigkeitsdauer (TTL) des alten Eintrags; prüfen Sie dann hier erneut."
        }
        false => {
            "Save. The change usually takes effect within minutes, at the latest after the old record's time to live (TTL); then check again here."
        }
    };
    vec![open, fields, save.to_owned()]
}

/// Who acts on a finding of `code`, naming the DNS host or the vendor where the report knows
/// them.
pub fn actor_named(
    actor: crate::actions::Actor,
    code: Code,
    dns_host: Option<&str>,
    vendor: Option<&str>,
    lang: Lang,
) -> String {
    use crate::actions::Actor::*;
    match (actor, dns_host, vendor, lang) {
        // A domain that does not exist is mistyped where it was entered, not configured.
        (Customer, ..) if code == Code::DomainNotFound => match lang {
            Lang::De => "Sie: bei der Schreibweise der Domain".to_owned(),
            Lang::En => "You: in how the domain is spelled".to_owned(),
        },
        (DnsHost, Some(host), _, Lang::De) => format!("Sie: in den DNS-Einstellungen bei {host}"),
        (DnsHost, Some(host), _, Lang::En) => format!("You: in the DNS settings at {host}"),
        (Vendor, _, Some(vendor), Lang::De) => {
            format!(
                "{vendor}: Das müssen nicht Sie beheben. Wenden Sie sich an den Support von {vendor}."
            )
        }
        (Vendor, _, Some(vendor), Lang::En) => {
            format!("{vendor}: this is not yours to fix. Contact {vendor}'s support.")
        }
        _ => self::actor(actor, lang).to_owned(),
    }
}

/// The message tables of one family of codes (one file each under `messages/`). Each function
/// answers for the codes of its family and with `None` for any other code; [`tables`] asks it only
/// about its own.
struct Tables {
    /// Which wording of a code's message fits the finding's parameters; `""` is the usual one.
    variant: fn(&Finding) -> Option<&str>,
    /// The template of a code in one wording and language.
    #[cfg_attr(not(feature = "texts"), allow(dead_code))]
    template: fn(Code, &str, Lang) -> Option<&'static str>,
    /// What to change; `None` for codes that need no action.
    #[cfg_attr(not(feature = "texts"), allow(dead_code))]
    hint: fn(Code, Lang) -> Option<&'static str>,
    /// Findings with every parameter their code receives, one per wording of its message.
    #[cfg(test)]
    examples: fn(Code) -> Option<Vec<Finding>>,
    /// The module, so that the tests can tell the families' tables apart.
    #[cfg(test)]
    module: &'static str,
}

macro_rules! tables {
    ($module:ident) => {
        Tables {
            variant: $module::variant,
            template: $module::template,
            hint: $module::hint,
            #[cfg(test)]
            examples: $module::examples,
            #[cfg(test)]
            module: stringify!($module),
        }
    };
}

/// The tables of a code's family: one exhaustive `match` on the family the code table gives it
/// (`Code::family`), so no list here has to know the codes' prefixes. `None` only for the codes
/// whose texts a feature leaves out: pasted bounces and headers (`bounce`), the SMTP test
/// (`smtp`), recipient lists (`recipients`) and received reports (`reports`), which the check
/// page does not show.
fn tables(code: Code) -> Option<Tables> {
    Some(match code.family() {
        Family::Domain => tables!(domain),
        Family::Spf => tables!(spf),
        Family::Dmarc => tables!(dmarc),
        Family::Dkim => tables!(dkim),
        Family::Mx | Family::Sender => tables!(mx),
        Family::MtaSts | Family::TlsRpt | Family::Bimi | Family::Dnssec => tables!(mailtransport),
        Family::Profile => tables!(profile),
        #[cfg(feature = "bounce")]
        Family::Headers => tables!(authres),
        #[cfg(feature = "bounce")]
        Family::Bounce => tables!(bounce),
        #[cfg(not(feature = "bounce"))]
        Family::Headers | Family::Bounce => return None,
        #[cfg(feature = "smtp")]
        Family::Smtp => tables!(smtp),
        #[cfg(not(feature = "smtp"))]
        Family::Smtp => return None,
        #[cfg(feature = "recipients")]
        Family::Recipient => tables!(recipients),
        #[cfg(not(feature = "recipients"))]
        Family::Recipient => return None,
        #[cfg(feature = "reports")]
        Family::Report => tables!(reports),
        #[cfg(not(feature = "reports"))]
        Family::Report => return None,
    })
}

fn variant(finding: &Finding) -> &str {
    tables(finding.code)
        .and_then(|tables| (tables.variant)(finding))
        .unwrap_or("")
}

fn template(code: Code, variant: &str, lang: Lang) -> &'static str {
    #[cfg(feature = "texts")]
    let text = tables(code).and_then(|tables| (tables.template)(code, variant, lang));
    // A wording the file does not hold is the usual one, as the tables' catch-all arms say.
    #[cfg(not(feature = "texts"))]
    let text = loaded::template(code, variant, lang);
    text.unwrap_or("")
}

/// The texts file the check page loads (`www/texts.txt`): every template and hint of the
/// families the page shows, one per line, then the DNS-host table (see `loaded.rs` for the
/// format). `wordings` names, per code, the variants its message has besides the usual one.
#[cfg(feature = "texts")]
pub fn texts_file(wordings: &dyn Fn(Code) -> Vec<&'static str>) -> String {
    let mut out = String::new();
    let mut line = |code: Code, variant: &str, lang: Lang, text: &str| {
        assert!(
            !text.contains(['\t', '\n']),
            "{code}: a text with a tab or line break"
        );
        out.push_str(&format!("{code}\t{variant}\t{}\t{text}\n", lang.as_str()));
    };
    for &code in Code::ALL {
        let Some(tables) = tables(code) else { continue };
        if !page_family(code.family()) {
            continue;
        }
        for &lang in Lang::ALL {
            let usual = (tables.template)(code, "", lang);
            if let Some(text) = usual {
                line(code, "", lang, text);
            }
            for variant in wordings(code) {
                if let Some(text) = (tables.template)(code, variant, lang)
                    && Some(text) != usual
                {
                    line(code, variant, lang, text);
                }
            }
            if let Some(text) = (tables.hint)(code, lang) {
                line(code, loaded::HINT, lang, text);
            }
        }
    }
    out.push_str(loaded::DNS_HOSTS);
    out.push_str(crate::publish::TABLE);
    out
}

/// Whether the check page shows a family's codes (the tools' families it leaves out).
#[cfg(feature = "texts")]
fn page_family(family: Family) -> bool {
    !matches!(
        family,
        Family::Headers | Family::Bounce | Family::Smtp | Family::Recipient | Family::Report
    )
}

/// Why the typed input is not a usable domain, in plain words.
pub fn input_error(error: &crate::input::InputError, lang: Lang) -> String {
    use crate::input::InputError as E;
    let mut params = BTreeMap::new();
    let template = match (error, lang) {
        (E::Empty, Lang::De) => {
            "Bitte geben Sie eine Domain, eine E-Mail-Adresse oder eine Web-Adresse ein."
        }
        (E::Empty, Lang::En) => "Please enter a domain, an email address or a web address.",
        (E::LabelTooLong { label, length }, lang) => {
            params.insert("label".to_owned(), label.clone());
            params.insert("length".to_owned(), length.to_string());
            match lang {
                Lang::De => {
                    "Der Namensteil „{label}“ ist {length} Zeichen lang; erlaubt sind höchstens 63."
                }
                Lang::En => {
                    "The name part \"{label}\" is {length} characters long; at most 63 are allowed."
                }
            }
        }
        (E::NameTooLong { length }, lang) => {
            params.insert("length".to_owned(), length.to_string());
            match lang {
                Lang::De => "Der Name ist {length} Zeichen lang; ein Domainname hat höchstens 253.",
                Lang::En => "The name is {length} characters long; a domain name has at most 253.",
            }
        }
        (E::EmptyLabel, Lang::De) => {
            "Der Name enthält zwei Punkte hintereinander (oder beginnt mit einem Punkt)."
        }
        (E::EmptyLabel, Lang::En) => "The name has two dots in a row (or starts with a dot).",
        (E::InvalidCharacter { character }, lang) => {
            params.insert(
                "character".to_owned(),
                character.escape_default().to_string(),
            );
            match lang {
                Lang::De => "Das Zeichen „{character}“ kann in keinem Domainnamen vorkommen.",
                Lang::En => "The character \"{character}\" cannot occur in a domain name.",
            }
        }
        (E::NotFullyQualified { name }, lang) => {
            params.insert("name".to_owned(), name.clone());
            match lang {
                Lang::De => "„{name}“ ist kein vollständiger Domainname (z. B. beispiel.de).",
                Lang::En => "\"{name}\" is not a complete domain name (such as example.com).",
            }
        }
        (E::IpAddress { address }, lang) => {
            params.insert("address".to_owned(), address.clone());
            match lang {
                Lang::De => {
                    "{address} ist eine IP-Adresse. Geben Sie die Domain ein, als die Sie E-Mails senden; die IP gehört zu --ip."
                }
                Lang::En => {
                    "{address} is an IP address. Enter the domain you send email as; the IP goes to --ip."
                }
            }
        }
        (E::Idna { name }, lang) => {
            params.insert("name".to_owned(), name.clone());
            match lang {
                Lang::De => {
                    "„{name}“ lässt sich nicht in einen gültigen internationalen Domainnamen umwandeln."
                }
                Lang::En => {
                    "\"{name}\" cannot be converted to a valid internationalized domain name."
                }
            }
        }
    };
    fill(template, &params).0
}

/// The template with each `{name}` replaced by its parameter, and the names that have none (they
/// render as nothing). A parenthesised aside whose every parameter is empty or missing (" (server's
/// answer: {reply})" for a bounce that quotes no reply) is left out with the space before it,
/// rather than shown with nothing in it.
fn fill<'t>(template: &'t str, params: &BTreeMap<String, String>) -> (String, Vec<&'t str>) {
    let mut text = String::with_capacity(template.len() + 32);
    let mut missing = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if let Some((aside, after)) = empty_aside(&rest[..open], &rest[open..], params) {
            text.push_str(rest[..aside].trim_end_matches(' '));
            for name in placeholders(&rest[aside..rest.len() - after.len()]) {
                if !params.contains_key(name) && !missing.contains(&name) {
                    missing.push(name);
                }
            }
            rest = after;
            continue;
        }
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after.find('}').map(|close| &after[..close]).filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        match name {
            Some(name) => {
                match params.get(name) {
                    Some(value) => text.push_str(value),
                    None if missing.contains(&name) => {}
                    None => missing.push(name),
                }
                rest = &after[name.len() + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    (text, missing)
}

/// The names of the `{name}` placeholders in `text`.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|piece| {
        let name = &piece[..piece.find('}')?];
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        valid.then_some(name)
    })
}

/// Where the placeholder at the start of `from` stands in a parenthesised aside (`before` ends
/// inside an open `(`, `from` closes it) and the aside's last part, from its last `;` (or the
/// whole aside), has placeholders that all have an empty or no value: where the cut starts in
/// `before` and where the template resumes (after the `)`, or at it when an earlier part stays:
/// "(null MX, RFC 7505; answer: {reply})" keeps "(null MX, RFC 7505)").
fn empty_aside<'t>(
    before: &str,
    from: &'t str,
    params: &BTreeMap<String, String>,
) -> Option<(usize, &'t str)> {
    let open = before.rfind('(')?;
    if before[open..].contains(')') {
        return None;
    }
    let close = from.find(')')?;
    if from[..close].contains('(') {
        return None;
    }
    let start = before[open..].rfind(';').map_or(open, |semi| open + semi);
    let names: Vec<&str> = placeholders(&before[start..])
        .chain(placeholders(&from[..close]))
        .collect();
    let empty = placeholders(from)
        .next()
        .is_some_and(|first| from[1..].starts_with(first))
        && names
            .iter()
            .all(|name| params.get(*name).is_none_or(String::is_empty));
    let resume = if start == open {
        &from[close + 1..]
    } else {
        &from[close..]
    };
    empty.then_some((start, resume))
}

#[cfg(test)]
mod tests {
    //! The tests of every family's tables, over every code; the wordings that must read a
    //! particular way are cases below.

    use super::*;
    use std::collections::BTreeSet;

    /// The codes whose texts are built in (all but the bounce codes without the `bounce`
    /// feature).
    fn codes() -> impl Iterator<Item = Code> {
        Code::ALL
            .iter()
            .copied()
            .filter(|&code| tables(code).is_some())
    }

    /// Findings with every parameter their code receives, one per wording of its message; each
    /// family keeps them beside its tables.
    fn examples(code: Code) -> Vec<Finding> {
        tables(code)
            .and_then(|tables| (tables.examples)(code))
            .unwrap_or_default()
    }

    #[test]
    fn only_the_texts_of_the_tools_and_the_smtp_test_can_be_left_out() {
        for &code in Code::ALL {
            let left_out = match code.family() {
                Family::Bounce | Family::Headers => !cfg!(feature = "bounce"),
                Family::Smtp => !cfg!(feature = "smtp"),
                Family::Recipient => !cfg!(feature = "recipients"),
                Family::Report => !cfg!(feature = "reports"),
                _ => false,
            };
            assert_eq!(tables(code).is_none(), left_out, "{code}");
        }
    }

    /// The wordings of a code's message besides the usual one: those of its examples.
    fn wordings(code: Code) -> Vec<&'static str> {
        let mut list: Vec<&'static str> = examples(code)
            .iter()
            .map(|finding| variant(finding).to_owned().leak() as &'static str)
            .filter(|v| !v.is_empty())
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    }

    #[test]
    #[cfg(feature = "texts")]
    fn the_texts_file_of_the_page_is_the_one_the_tables_make() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/texts.txt");
        let generated = texts_file(&wordings);
        if std::env::var_os("POSTCHECK_WRITE_TEXTS").is_some() {
            std::fs::write(path, &generated).expect("write www/texts.txt");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "www/texts.txt is stale: run `POSTCHECK_WRITE_TEXTS=1 cargo test -p postcheck-core \
             --lib texts_file` and commit it"
        );
        // Every wording a family's table spells out (`(Code, "wording", Lang)`) is reached by
        // an example, so the file holds it.
        let sources = [
            include_str!("spf.rs"),
            include_str!("dmarc.rs"),
            include_str!("dkim.rs"),
            include_str!("mx.rs"),
            include_str!("mailtransport.rs"),
            include_str!("profile.rs"),
            include_str!("domain.rs"),
        ];
        let mut missing = Vec::new();
        let mut spelled_out = 0;
        for source in sources {
            for arm in source
                .split("=>")
                .filter_map(|text| text.rsplit_once('(').map(|(_, arm)| arm))
            {
                let parts: Vec<&str> = arm.split(',').map(str::trim).collect();
                let [name, wording, lang] = parts.as_slice() else {
                    continue;
                };
                let Some(wording) = wording.strip_prefix('"').and_then(|w| w.strip_suffix('"'))
                else {
                    continue;
                };
                let lang = lang.trim_end_matches(')').trim();
                if wording.is_empty() || !(lang == "De" || lang == "En") {
                    continue;
                }
                let Some(&code) = Code::ALL.iter().find(|c| format!("{c:?}") == *name) else {
                    continue;
                };
                spelled_out += 1;
                let tag = format!("{code}\t{wording}\t");
                if !generated.contains(&tag) && !missing.contains(&tag) {
                    missing.push(tag);
                }
            }
        }
        assert!(
            spelled_out > 50,
            "the scan finds the tables' wordings ({spelled_out})"
        );
        assert!(
            missing.is_empty(),
            "wordings no example reaches: {missing:?}"
        );

        // The DNS-host table rides along, whole.
        let generated: &'static str = generated.leak();
        let hosts = &generated[generated.find(loaded::DNS_HOSTS).expect("the hosts' line")
            + loaded::DNS_HOSTS.len()..];
        let all = crate::publish::DnsHost::all();
        assert!(all.len() > 20);
        assert_eq!(crate::publish::DnsHost::parse_table(hosts), all);

        // Read back as the page reads it, every example's text and every hint is the same.
        assert!(install(generated) > 500);
        for &code in Code::ALL {
            if !page_family(code.family()) {
                continue;
            }
            for &lang in Lang::ALL {
                for finding in examples(code) {
                    let wording = variant(&finding);
                    assert_eq!(
                        loaded::template(code, wording, lang),
                        tables(code).and_then(|t| (t.template)(code, wording, lang)),
                        "{code} {wording:?} {lang:?}"
                    );
                }
                assert_eq!(
                    loaded::lookup(code, loaded::HINT, lang),
                    hint(code, lang),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn every_code_has_examples() {
        for code in codes() {
            assert!(!examples(code).is_empty(), "{code} has no examples");
        }
    }

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for code in codes() {
            for &lang in Lang::ALL {
                for finding in examples(code) {
                    let text = message(&finding, lang);
                    assert!(!text.trim().is_empty(), "{code} {lang:?}");
                }
                assert!(
                    !message(&Finding::new(code), lang).trim().is_empty(),
                    "{code} {lang:?}"
                );
            }
        }
    }

    #[test]
    fn messages_fill_every_placeholder() {
        for code in codes() {
            for &lang in Lang::ALL {
                for finding in examples(code) {
                    let text = message(&finding, lang);
                    assert!(
                        !text.contains('{') && !text.contains('}'),
                        "{code} {lang:?}: {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_example_misses_a_parameter() {
        let mut missing = BTreeSet::new();
        for code in codes() {
            for &lang in Lang::ALL {
                for finding in examples(code) {
                    for param in missing_params(&finding, lang) {
                        missing.insert(format!("{code} {lang:?}: {{{param}}}"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "parameters not given: {missing:#?}");
    }

    #[test]
    fn every_wording_is_reached() {
        // Each example of a code picks a different template, so none is dead.
        for code in codes() {
            for &lang in Lang::ALL {
                let examples = examples(code);
                let mut templates: Vec<&str> = examples
                    .iter()
                    .map(|finding| template(code, variant(finding), lang))
                    .collect();
                templates.sort_unstable();
                templates.dedup();
                assert_eq!(templates.len(), examples.len(), "{code} {lang:?}");
            }
        }
    }

    #[test]
    fn every_family_answers_for_its_own_codes() {
        // `variant` and `template` fall back to the usual wording and to "": a family's table
        // that does not answer for one of its codes would go unnoticed in the tests above.
        for code in codes() {
            let tables = tables(code).unwrap();
            for finding in examples(code) {
                let variant = (tables.variant)(&finding);
                assert!(variant.is_some(), "{code}: {}", tables.module);
                for &lang in Lang::ALL {
                    assert!(
                        (tables.template)(code, variant.unwrap(), lang).is_some(),
                        "{code} {lang:?}: {}",
                        tables.module
                    );
                }
            }
        }
    }

    #[test]
    fn other_families_are_not_answered() {
        for own in codes() {
            let family = tables(own).unwrap();
            for other in codes() {
                if tables(other).unwrap().module == family.module {
                    continue;
                }
                let context = format!("{} asked about {other}", family.module);
                assert_eq!((family.variant)(&Finding::new(other)), None, "{context}");
                assert_eq!((family.examples)(other), None, "{context}");
                for &lang in Lang::ALL {
                    assert_eq!((family.template)(other, "", lang), None, "{context}");
                    assert_eq!((family.hint)(other, lang), None, "{context}");
                }
            }
        }
    }

    #[test]
    fn a_missing_parameter_renders_empty() {
        let finding = Finding::new(Code::SpfLookupLimit).with("count", 12);
        assert_eq!(
            message(&finding, Lang::En),
            "Checking the SPF record takes 12 DNS lookups, but at most  are allowed. Receiving servers treat this as an error and the SPF check fails."
        );
        assert_eq!(missing_params(&finding, Lang::En), ["limit"]);
        assert_eq!(missing_params(&finding, Lang::De), ["limit"]);
        let finding = Finding::new(Code::SpfIncludeLoop);
        assert_eq!(missing_params(&finding, Lang::En), ["target", "path"]);
        let params = BTreeMap::new();
        assert_eq!(
            fill("{a} {b} {a}", &params),
            ("  ".to_owned(), vec!["a", "b"])
        );
    }

    #[test]
    fn german_messages_use_german_words() {
        let finding = Finding::new(Code::SpfIpNotAuthorized)
            .with("ip", "192.0.2.1")
            .with("result", "fail")
            .with("term", "-all")
            .with("fix", "v=spf1 ip4:192.0.2.1 -all");
        assert_eq!(
            message(&finding, Lang::De),
            "Die Absender-IP 192.0.2.1 ist im SPF-Eintrag nicht erlaubt: Es greift „-all“, das Ergebnis ist abgelehnt (fail). Mit diesem SPF-Eintrag wäre sie erlaubt: v=spf1 ip4:192.0.2.1 -all"
        );
        let finding = Finding::new(Code::SpfSyntaxError)
            .with("term", "ip4:192.0.2.1\u{a0}")
            .with("reason", "character");
        assert!(message(&finding, Lang::De).contains("geschütztes Leerzeichen"));
    }

    #[test]
    fn dns_errors_read_as_could_not_verify() {
        let finding = Finding::new(Code::SpfDnsError)
            .with("query", "example.com TXT")
            .with("failure", "timeout");
        for finding in [finding].into_iter().chain(examples(Code::DkimDnsError)) {
            let text = message(&finding, Lang::En);
            assert!(text.contains("could not be verified"), "{text}");
            let text = message(&finding, Lang::De);
            assert!(text.contains("nicht geprüft werden"), "{text}");
        }
        assert_eq!(
            result_label("temperror", Lang::En),
            "could not verify (temperror)"
        );
        assert_eq!(
            result_label("TempError", Lang::De),
            "konnte nicht geprüft werden (temperror)"
        );
    }

    #[test]
    fn values_are_inserted_verbatim() {
        let finding = Finding::new(Code::SpfInvalidMacro)
            .with("term", "exists:%{q}.example.com")
            .with("macro", "%{q}");
        assert_eq!(
            message(&finding, Lang::En),
            "\"%{q}\" in \"exists:%{q}.example.com\" is not a valid macro (a placeholder starting with \"%\"). The whole record is therefore invalid."
        );
        let params = BTreeMap::from([("a".to_owned(), "{b}".to_owned())]);
        assert_eq!(fill("x {a} { } {b", &params).0, "x {b} { } {b");
    }

    #[test]
    fn an_aside_with_nothing_to_say_is_left_out() {
        let params = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>()
        };
        let template = "The mailbox is full (server's answer: {reply}). Try later.";
        assert_eq!(
            fill(template, &params(&[("reply", "552 5.2.2")])).0,
            "The mailbox is full (server's answer: 552 5.2.2). Try later."
        );
        assert_eq!(
            fill(template, &params(&[("reply", "")])).0,
            "The mailbox is full. Try later."
        );
        assert_eq!(
            fill(template, &params(&[])),
            ("The mailbox is full. Try later.".to_owned(), vec!["reply"])
        );
        // An aside with one value left is kept; text outside asides is untouched.
        assert_eq!(
            fill("x ({a}, {b}) {a}.", &params(&[("a", ""), ("b", "2")])).0,
            "x (, 2) ."
        );
        assert_eq!(fill("(a) {a} (b)", &params(&[("a", "")])).0, "(a)  (b)");
        assert_eq!(fill("x ({ } y)", &params(&[])).0, "x ({ } y)");
        assert_eq!(
            fill(
                "No mail (null MX, RFC 7505; answer: {reply}).",
                &params(&[])
            )
            .0,
            "No mail (null MX, RFC 7505)."
        );
        // The bounce texts read whole without a reply.
        let finding = Finding::new(Code::BounceSenderRejected).with("reply", "");
        let text = message(&finding, Lang::En);
        assert!(!text.contains("()") && !text.contains("answer"), "{text}");
    }

    #[test]
    fn hints_exist_where_there_is_an_action() {
        for code in codes() {
            for &lang in Lang::ALL {
                match code.default_severity() {
                    Severity::Ok => assert_eq!(hint(code, lang), None, "{code}"),
                    _ => assert!(
                        hint(code, lang).is_some_and(|text| !text.is_empty()),
                        "{code}"
                    ),
                }
            }
        }
    }

    #[test]
    fn labels_exist_in_both_languages() {
        for &lang in Lang::ALL {
            for result in [
                "pass",
                "fail",
                "softfail",
                "neutral",
                "none",
                "permerror",
                "temperror",
            ] {
                assert!(known_result_label(result, lang).is_some(), "{result}");
            }
            for severity in [
                Severity::Ok,
                Severity::Info,
                Severity::Warning,
                Severity::Error,
            ] {
                assert!(!severity_label(severity, lang).is_empty());
            }
            for &key in UiText::ALL {
                assert!(!ui(key, lang).is_empty());
            }
        }
        assert_eq!(result_label("pass", Lang::De), "bestanden");
        assert_eq!(result_label("bogus", Lang::En), "unknown");
        assert_eq!(severity_label(Severity::Info, Lang::De), "Hinweis");
        assert_eq!(ui(UiText::ResultFor, Lang::En), "SPF result for");
    }

    #[test]
    fn parses_language_tags_and_locales() {
        for (text, lang) in [
            ("de", Some(Lang::De)),
            ("en", Some(Lang::En)),
            ("DE", Some(Lang::De)),
            ("de-DE", Some(Lang::De)),
            ("de-AT", Some(Lang::De)),
            ("de_DE.UTF-8", Some(Lang::De)),
            ("de_CH.utf8@euro", Some(Lang::De)),
            ("en_US", Some(Lang::En)),
            ("en-GB", Some(Lang::En)),
            (" En_us.UTF-8 ", Some(Lang::En)),
            ("fr_FR.UTF-8", None),
            ("C", None),
            ("", None),
            ("deu", None),
        ] {
            assert_eq!(Lang::parse(text), lang, "{text:?}");
        }
    }

    #[test]
    fn reads_the_language_from_the_environment() {
        assert_eq!(Lang::from_env_value(None), Lang::En);
        assert_eq!(Lang::from_env_value(Some("")), Lang::En);
        assert_eq!(Lang::from_env_value(Some("C.UTF-8")), Lang::En);
        assert_eq!(Lang::from_env_value(Some("fr_FR.UTF-8")), Lang::En);
        assert_eq!(Lang::from_env_value(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_env_value(Some("de_DE.UTF-8")), Lang::De);
        assert_eq!(Lang::from_env_value(Some("DE")), Lang::De);
        assert_eq!(Lang::from_env_value(Some("de:en")), Lang::De);
    }

    #[test]
    fn lang_serializes_lowercase() {
        assert_eq!(serde_json::to_string(&Lang::De).unwrap(), "\"de\"");
        assert_eq!(serde_json::from_str::<Lang>("\"en\"").unwrap(), Lang::En);
    }

    #[test]
    fn guessed_dkim_selectors_are_listed_in_one_sentence() {
        let finding = Finding::new(Code::DkimSelectorMissing)
            .with_severity(Severity::Info)
            .with("source", "guessed")
            .with("selectors", "google, k1");
        assert_eq!(
            message(&finding, Lang::De),
            "Unter diesen üblichen Selektoren ist kein DKIM-Schlüssel veröffentlicht: google, k1. Das ist normal, solange Ihr E-Mail-Dienst keinen davon verwendet."
        );
    }

    #[test]
    fn dkim_guesses_name_the_recognized_providers() {
        let finding = Finding::new(Code::DkimSelectorMissing)
            .with_severity(Severity::Info)
            .with("source", "guessed")
            .with("selectors", "google, selector1, s1-ionos, s2-ionos")
            .with("providers", "IONOS");
        assert_eq!(
            message(&finding, Lang::En),
            "Your SPF record or MX hosts point to IONOS, but no DKIM key is published at their selectors or at the common ones: google, selector1, s1-ionos, s2-ionos. If you send through another service, enter the selector it signs with."
        );
        let finding = finding.with("unguessable", "Amazon SES");
        assert!(
            message(&finding, Lang::De)
                .starts_with("Ihr SPF-Eintrag oder Ihre MX-Einträge verweisen auf Amazon SES;")
        );
    }

    #[test]
    fn dmarc_receivers_that_differ_are_named() {
        let finding = Finding::new(Code::DmarcPctPartial)
            .with("term", "pct=50")
            .with("tag", "pct")
            .with("pct", 50)
            .with("policy", "reject")
            .with("reduced", "quarantine")
            .with("receivers_differ", true);
        assert_eq!(
            message(&finding, Lang::En),
            "\"pct=50\": receiving servers following RFC 7489 apply the policy reject to only 50% of the mail that fails the check and treat the rest more mildly (quarantine). Those following RFC 9989 ignore pct and apply reject to all of it."
        );
        assert!(message(&finding, Lang::De).contains("Server nach RFC 9989 ignorieren „pct“"));
    }

    #[test]
    fn dnsbl_refusals_never_read_as_listings() {
        let finding = Finding::new(Code::DnsblUnavailable)
            .with("ip", "192.0.2.82")
            .with("list", "zen.spamhaus.org")
            .with("answer", "127.255.255.254")
            .with("kind", "refused");
        let text = message(&finding, Lang::De);
        assert!(
            text.contains("abgelehnt") && text.contains("unbekannt"),
            "{text}"
        );
        assert!(!text.contains("steht auf der Sperrliste"), "{text}");
    }

    #[test]
    fn a_skipped_spamhaus_says_why_and_how_to_ask_it() {
        let finding = Finding::new(Code::DnsblSkipped)
            .with("lists", "zen.spamhaus.org")
            .with("count", 1)
            .with("reason", "public-resolver");
        for lang in [Lang::De, Lang::En] {
            let text = message(&finding, lang);
            for part in ["zen.spamhaus.org", "--spamhaus-dqs-key", "SPAMHAUS_DQS_KEY"] {
                assert!(text.contains(part), "{part} missing: {text}");
            }
        }
        assert!(message(&finding, Lang::De).contains("öffentliche DNS-Server"));
        assert!(message(&finding, Lang::En).contains("public DNS resolvers"));
        assert_eq!(finding.severity, Severity::Info);
    }

    #[test]
    fn dnssec_names_both_possibilities() {
        let finding = Finding::new(Code::DnssecUnsigned).with("domain", "example.com");
        let de = message(&finding, Lang::De);
        assert!(
            de.contains("nicht signiert") && de.contains("Resolver"),
            "{de}"
        );
        let en = message(&finding, Lang::En);
        assert!(en.contains("not signed") && en.contains("resolver"), "{en}");
    }
}
