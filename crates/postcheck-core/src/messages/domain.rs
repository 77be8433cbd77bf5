//! The German and English texts of the `domain-*` codes: the checked name does not exist, or
//! its name servers fail.

use super::Lang;
use crate::findings::{Code, Family, Finding};

pub(super) fn variant(finding: &Finding) -> Option<&str> {
    match finding.code {
        Code::DomainNotFound if !finding.param("suggestion").is_empty() => Some("suggestion"),
        Code::DomainLookupFailed if finding.param("failure") == "timeout" => Some("timeout"),
        code if code.family() == Family::Domain => Some(""),
        _ => None,
    }
}

pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (DomainNotFound, "suggestion", De) => {
            "Die Domain {domain} gibt es nicht: Das DNS kennt den Namen nicht (NXDOMAIN). Meinten Sie {suggestion}?"
        }
        (DomainNotFound, "suggestion", En) => {
            "The domain {domain} does not exist: the DNS does not know the name (NXDOMAIN). Did you mean {suggestion}?"
        }
        (DomainNotFound, _, De) => {
            "Die Domain {domain} gibt es nicht: Das DNS kennt den Namen nicht (NXDOMAIN). E-Mails an oder von ihr können nicht zugestellt werden."
        }
        (DomainNotFound, _, En) => {
            "The domain {domain} does not exist: the DNS does not know the name (NXDOMAIN). Mail to or from it cannot be delivered."
        }
        (DomainLookupFailed, "timeout", De) => {
            "Für {domain} konnte nichts geprüft werden: Ihre Nameserver haben nicht rechtzeitig geantwortet. Das heißt nicht, dass Einträge fehlen."
        }
        (DomainLookupFailed, "timeout", En) => {
            "Nothing about {domain} could be checked: its name servers did not answer in time. This does not mean that records are missing."
        }
        (DomainLookupFailed, _, De) => {
            "Für {domain} konnte nichts geprüft werden: Ihre Nameserver haben mit einem Fehler geantwortet ({failure}). Das heißt nicht, dass Einträge fehlen."
        }
        (DomainLookupFailed, _, En) => {
            "Nothing about {domain} could be checked: its name servers answered with an error ({failure}). This does not mean that records are missing."
        }
        _ => return None,
    })
}

pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (DomainNotFound, De) => {
            "Prüfen Sie die Schreibweise der Domain (etwa in der E-Mail-Adresse, die Sie eingetragen haben) und prüfen Sie erneut."
        }
        (DomainNotFound, En) => {
            "Check how the domain is spelled (for example in the email address you entered) and check again."
        }
        (DomainLookupFailed, De) => {
            "Prüfen Sie später noch einmal. Bleibt der Fehler, wenden Sie sich an den Anbieter, der die DNS-Einträge der Domain verwaltet: Seine Nameserver antworten nicht richtig."
        }
        (DomainLookupFailed, En) => {
            "Check again later. If it persists, contact the provider that manages the domain's DNS records: its name servers are not answering properly."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter the report planner gives them, one per wording of their
/// message; for the message tests in `messages/mod.rs`.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    let finding = Finding::new(code).with("domain", "firma.con");
    Some(match code {
        DomainNotFound => vec![
            finding.clone().with("suggestion", "firma.com"),
            finding.with("suggestion", ""),
        ],
        DomainLookupFailed => vec![
            finding.clone().with("failure", "SERVFAIL"),
            finding.with("failure", "timeout"),
        ],
        _ => return None,
    })
}
