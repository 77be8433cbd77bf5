//! User-facing text in German and English: messages and hints per finding code, and the labels.
//!
//! Every sentence lives in a table here, looked up by code and language; the rest of the core only
//! produces codes and named parameters (`term`, `count`, ...). A message template names its
//! parameters as `{name}`; [`message`] fills them from [`Finding::params`], and a parameter that is
//! missing renders as nothing. Where the parameters call for a different wording (the `reason` of a
//! syntax error, whether a deciding term exists), the table holds one complete template per
//! wording: sentences are chosen, never assembled.
//!
//! The words follow the help-desk articles our users know: "SPF-Eintrag", "DNS-Eintrag",
//! "Absender-IP", "Sie".

use crate::findings::{Code, Family, Finding, Severity};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

mod authres;
#[cfg(feature = "bounce")]
mod bounce;
mod dkim;
mod dmarc;
mod mailtransport;
mod mx;
mod profile;
mod spf;

/// The language of user-facing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    De,
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
    tables(code)
        .and_then(|tables| (tables.hint)(code, lang))
        .flatten()
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
    }
}

/// The message tables of one family of codes (one file each under `messages/`).
struct Tables {
    /// Which wording of a code's message fits the finding's parameters; `""` is the usual one.
    variant: fn(&Finding) -> Option<&str>,
    /// The template of a code in one wording and language; `None` for another family's code.
    template: fn(Code, &str, Lang) -> Option<&'static str>,
    /// `Some(hint)` for this family's codes (`Some(None)`: no action needed).
    hint: fn(Code, Lang) -> Option<Option<&'static str>>,
}

macro_rules! tables {
    ($module:ident) => {
        Tables {
            variant: $module::variant,
            template: $module::template,
            hint: $module::hint,
        }
    };
}

/// The tables of a code's family: one `match` on the family the code table gives it
/// (`Code::family`), so no list here has to know the codes' prefixes.
fn tables(code: Code) -> Option<Tables> {
    Some(match code.family() {
        Family::Spf => tables!(spf),
        Family::Dmarc => tables!(dmarc),
        Family::Dkim => tables!(dkim),
        Family::Mx | Family::Sender => tables!(mx),
        Family::MtaSts | Family::TlsRpt | Family::Bimi | Family::Dnssec => tables!(mailtransport),
        Family::Headers => tables!(authres),
        Family::Profile => tables!(profile),
        #[cfg(feature = "bounce")]
        Family::Bounce => tables!(bounce),
        #[cfg(not(feature = "bounce"))]
        Family::Bounce => return None,
    })
}

fn variant(finding: &Finding) -> &str {
    tables(finding.code)
        .and_then(|tables| (tables.variant)(finding))
        .unwrap_or("")
}

fn template(code: Code, variant: &str, lang: Lang) -> &'static str {
    tables(code)
        .and_then(|tables| (tables.template)(code, variant, lang))
        .unwrap_or("")
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
    fill(template, &params)
}

fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut text = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
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
                text.push_str(params.get(name).map(String::as_str).unwrap_or_default());
                rest = &after[name.len() + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Findings with every parameter their code receives, one per wording of its message.
    fn examples(code: Code) -> Vec<Finding> {
        use Code::*;
        let finding = Finding::new(code);
        match code {
            SpfOk => vec![finding.with("domain", "example.com").with("lookups", 4)],
            SpfNone => vec![finding.with("domain", "example.com")],
            SpfMultipleRecords => vec![finding.with("domain", "example.com").with("count", 2)],
            SpfSyntaxError => [
                "",
                "version",
                "character",
                "domain",
                "domain-required",
                "address-required",
            ]
            .into_iter()
            .map(|reason| {
                let finding = finding.clone().with("term", "include:");
                if reason.is_empty() {
                    finding
                } else {
                    finding.with("reason", reason)
                }
            })
            .collect(),
            SpfUnknownMechanism => vec![finding.with("term", "ip:192.0.2.1").with("name", "ip")],
            SpfInvalidIp => vec![
                finding
                    .with("term", "ip4:192.0.2.300")
                    .with("address", "192.0.2.300"),
            ],
            SpfInvalidCidr => vec![
                finding
                    .with("term", "ip4:192.0.2.0/33")
                    .with("prefix", 33)
                    .with("max", 32),
            ],
            SpfInvalidMacro => vec![
                finding
                    .with("term", "exists:%x.example.com")
                    .with("macro", "%x"),
            ],
            SpfDuplicateModifier => vec![
                finding
                    .with("term", "redirect=b.example")
                    .with("modifier", "redirect"),
            ],
            SpfSplitStrings => vec![finding.with("term", "ip4:192.0.2.1include:_spf.example.com")],
            SpfUnknownModifier => vec![finding.with("term", "foo=bar").with("modifier", "foo")],
            SpfFindingsCapped => vec![finding.with("count", 4410)],
            SpfLookupLimit => vec![finding.with("count", 12).with("limit", 10)],
            SpfLookupNearLimit => vec![finding.with("count", 9).with("limit", 10)],
            SpfMxLimit => {
                let finding = finding
                    .with("host", "example.com")
                    .with("count", 11)
                    .with("limit", 10);
                vec![finding.clone(), finding.with("term", "mx")]
            }
            SpfVoidLookup => ["NXDOMAIN", "NODATA"]
                .into_iter()
                .map(|answer| {
                    finding
                        .clone()
                        .with("term", "a:gone.example.com")
                        .with("target", "gone.example.com")
                        .with("answer", answer)
                })
                .collect(),
            SpfVoidLookupLimit => vec![finding.with("count", 3).with("limit", 2)],
            SpfIncludeNoRecord => {
                let finding = finding.with("target", "_spf.example.net");
                vec![
                    finding.clone(),
                    finding.with("term", "include:_spf.example.net"),
                ]
            }
            SpfIncludeLoop => {
                let finding = finding
                    .with("target", "example.com")
                    .with("path", "example.com → a.example → example.com");
                vec![finding.clone(), finding.with("term", "include:example.com")]
            }
            SpfRedirectIgnored => vec![finding.with("term", "redirect=_spf.example.com")],
            SpfPassAll => vec![finding.with("term", "+all")],
            SpfNeutralAll => vec![finding.with("term", "?all")],
            SpfNoAll => vec![finding.with("domain", "example.com")],
            SpfPtrDeprecated => vec![finding.with("term", "ptr")],
            SpfRecordTooLong => vec![finding.with("domain", "example.com").with("bytes", 512)],
            SpfDnsError => vec![
                finding
                    .with("query", "example.com TXT")
                    .with("failure", "SERVFAIL"),
            ],
            SpfIpPass => vec![
                finding
                    .with("ip", "192.0.2.1")
                    .with("term", "ip4:192.0.2.0/24")
                    .with("domain", "example.com"),
            ],
            SpfIpNotAuthorized => {
                let finding = finding.with("ip", "192.0.2.1").with("result", "softfail");
                let fix = "v=spf1 ip4:192.0.2.1 include:_spf.example.net ~all";
                vec![
                    finding.clone().with("term", ""),
                    finding.clone().with("term", "").with("fix", fix),
                    finding.clone().with("term", "~all"),
                    finding.with("term", "~all").with("fix", fix),
                ]
            }
            // Other families keep their examples beside their tables.
            code => dmarc::examples(code)
                .or_else(|| mx::examples(code))
                .or_else(|| dkim::examples(code))
                .or_else(|| mailtransport::examples(code))
                .or_else(|| authres::examples(code))
                .or_else(|| {
                    #[cfg(feature = "bounce")]
                    return bounce::examples(code);
                    #[cfg(not(feature = "bounce"))]
                    None
                })
                .unwrap_or_else(|| vec![finding]),
        }
    }

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for &code in Code::ALL {
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
        for &code in Code::ALL {
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
    fn every_wording_is_reached() {
        // Each example of a code picks a different template, so none is dead.
        for &code in Code::ALL {
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
    fn a_missing_parameter_renders_empty() {
        let finding = Finding::new(Code::SpfLookupLimit).with("count", 12);
        assert_eq!(
            message(&finding, Lang::En),
            "Checking the SPF record takes 12 DNS lookups, but at most  are allowed. Receiving servers treat this as an error and the SPF check fails."
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
        assert!(message(&finding, Lang::En).contains("could not be verified"));
        assert!(message(&finding, Lang::De).contains("nicht geprüft werden"));
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
        assert_eq!(fill("x {a} { } {b", &params), "x {b} { } {b");
    }

    #[test]
    fn hints_exist_where_there_is_an_action() {
        for &code in Code::ALL {
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
}
