//! The German and English texts of the Authentication-Results codes (RFC 8601 §2.2): where a
//! pasted header does not follow the grammar, and the provider forms that are read anyway.

use super::Lang;
use crate::findings::{Code, Finding};

const SYNTAX_REASONS: &[&str] = &[
    "unterminated-comment",
    "unterminated-quote",
    "instance",
    "authserv-id",
    "authserv-id-characters",
    "version",
    "missing-semicolon",
    "method",
    "result",
    "reason",
    "property",
    "none-mixed",
];

const NONSTANDARD_REASONS: &[&str] = &[
    "no-authserv-id",
    "receiving-domain",
    "no-ptype",
    "empty-value",
    "keyword",
    "no-result",
];

/// Which wording of a code's message fits the finding's parameters; `""` is the usual one.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    let reasons = match finding.code {
        Code::AuthresSyntaxError => SYNTAX_REASONS,
        Code::AuthresNonstandard => NONSTANDARD_REASONS,
        _ => return None,
    };
    let reason = finding.param("reason");
    Some(reasons.iter().copied().find(|&r| r == reason).unwrap_or(""))
}

/// The message template of a code in one wording and language.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (AuthresSyntaxError, "unterminated-comment", De) => {
            "Im Authentication-Results-Header wird der Kommentar „{term}“ nicht mit „)“ geschlossen; der Rest des Headers ist Teil des Kommentars."
        }
        (AuthresSyntaxError, "unterminated-comment", En) => {
            "In the Authentication-Results header the comment \"{term}\" is not closed with \")\"; the rest of the header is part of the comment."
        }
        (AuthresSyntaxError, "unterminated-quote", De) => {
            "Im Authentication-Results-Header wird der Text in Anführungszeichen „{term}“ nicht geschlossen."
        }
        (AuthresSyntaxError, "unterminated-quote", En) => {
            "In the Authentication-Results header the quoted text \"{term}\" is not closed."
        }
        (AuthresSyntaxError, "instance", De) => {
            "Die ARC-Instanz „{term}“ ist keine Zahl mit folgendem „;“ (i=1;)."
        }
        (AuthresSyntaxError, "instance", En) => {
            "The ARC instance \"{term}\" is not a number followed by \";\" (i=1;)."
        }
        (AuthresSyntaxError, "authserv-id", De) => {
            "Der Authentication-Results-Header beginnt nicht mit dem Namen des prüfenden Servers (authserv-id)."
        }
        (AuthresSyntaxError, "authserv-id", En) => {
            "The Authentication-Results header does not start with the name of the server that checked (authserv-id)."
        }
        (AuthresSyntaxError, "authserv-id-characters", De) => {
            "Der Name des prüfenden Servers „{term}“ enthält Zeichen außerhalb von ASCII; solche Namen müssen in Anführungszeichen stehen."
        }
        (AuthresSyntaxError, "authserv-id-characters", En) => {
            "The name of the checking server \"{term}\" contains characters outside ASCII; such names have to be in quotes."
        }
        (AuthresSyntaxError, "version", De) => {
            "„{term}“ ist keine gültige Versionsnummer im Authentication-Results-Header."
        }
        (AuthresSyntaxError, "version", En) => {
            "\"{term}\" is not a valid version number in the Authentication-Results header."
        }
        (AuthresSyntaxError, "missing-semicolon", De) => {
            "Vor dem Ergebnis „{term}“ fehlt im Authentication-Results-Header das „;“; es wird trotzdem gelesen."
        }
        (AuthresSyntaxError, "missing-semicolon", En) => {
            "The \";\" before the result \"{term}\" is missing in the Authentication-Results header; it is read anyway."
        }
        (AuthresSyntaxError, "method", De) => {
            "„{term}“ im Authentication-Results-Header nennt kein Prüfverfahren (wie spf, dkim oder dmarc) und wird übergangen."
        }
        (AuthresSyntaxError, "method", En) => {
            "\"{term}\" in the Authentication-Results header names no check (such as spf, dkim or dmarc) and is skipped."
        }
        (AuthresSyntaxError, "result", De) => {
            "„{term}“ im Authentication-Results-Header hat kein Ergebnis in der Form verfahren=ergebnis und wird übergangen."
        }
        (AuthresSyntaxError, "result", En) => {
            "\"{term}\" in the Authentication-Results header has no result in the form method=result and is skipped."
        }
        (AuthresSyntaxError, "reason", De) => {
            "Die Begründung „{term}“ im Authentication-Results-Header hat keinen Wert."
        }
        (AuthresSyntaxError, "reason", En) => {
            "The reason \"{term}\" in the Authentication-Results header has no value."
        }
        (AuthresSyntaxError, "property", De) => {
            "„{term}“ im Authentication-Results-Header ist keine Angabe der Form typ.eigenschaft=wert (wie smtp.mailfrom=…); der Rest dieses Ergebnisses wird übergangen."
        }
        (AuthresSyntaxError, "property", En) => {
            "\"{term}\" in the Authentication-Results header is not of the form type.property=value (such as smtp.mailfrom=…); the rest of this result is skipped."
        }
        (AuthresSyntaxError, "none-mixed", De) => {
            "Der Authentication-Results-Header sagt „none“ (nichts geprüft) und nennt trotzdem Ergebnisse."
        }
        (AuthresSyntaxError, "none-mixed", En) => {
            "The Authentication-Results header says \"none\" (nothing checked) and still lists results."
        }
        (AuthresSyntaxError, _, De) => {
            "„{term}“ im Authentication-Results-Header folgt nicht der Schreibweise aus RFC 8601."
        }
        (AuthresSyntaxError, _, En) => {
            "\"{term}\" in the Authentication-Results header does not follow the syntax of RFC 8601."
        }
        (AuthresNonstandard, "no-authserv-id", De) => {
            "Der Authentication-Results-Header nennt keinen prüfenden Server, wie Exchange Online ihn schreibt; die Ergebnisse werden trotzdem gelesen."
        }
        (AuthresNonstandard, "no-authserv-id", En) => {
            "The Authentication-Results header names no checking server, as Exchange Online writes it; the results are read anyway."
        }
        (AuthresNonstandard, "receiving-domain", De) => {
            "„{term}“ steht zwischen den Ergebnissen, wie Exchange Online die empfangende Domain einfügt; es wird übergangen."
        }
        (AuthresNonstandard, "receiving-domain", En) => {
            "\"{term}\" stands between the results, the way Exchange Online inserts the receiving domain; it is skipped."
        }
        (AuthresNonstandard, "no-ptype", De) => {
            "„{term}“ hat keinen Typ vor dem Namen (wie header. oder smtp.), wie Exchange Online es schreibt; es wird als Angabe „{term}“ gelesen."
        }
        (AuthresNonstandard, "no-ptype", En) => {
            "\"{term}\" has no type before its name (such as header. or smtp.), as Exchange Online writes it; it is read as the property \"{term}\"."
        }
        (AuthresNonstandard, "empty-value", De) => {
            "„{term}“ im Authentication-Results-Header hat einen leeren Wert."
        }
        (AuthresNonstandard, "empty-value", En) => {
            "\"{term}\" in the Authentication-Results header has an empty value."
        }
        (AuthresNonstandard, "keyword", De) => {
            "„{term}“ enthält Zeichen, die RFC 8601 in Namen und Ergebnissen nicht vorsieht (_ oder .); es wird trotzdem gelesen."
        }
        (AuthresNonstandard, "keyword", En) => {
            "\"{term}\" contains characters RFC 8601 does not allow in names and results (_ or .); it is read anyway."
        }
        (AuthresNonstandard, "no-result", De) => {
            "Der Authentication-Results-Header nennt nur den prüfenden Server „{term}“, ohne „; none“ oder ein Ergebnis."
        }
        (AuthresNonstandard, "no-result", En) => {
            "The Authentication-Results header names only the checking server \"{term}\", without \"; none\" or a result."
        }
        (AuthresNonstandard, _, De) => {
            "„{term}“ im Authentication-Results-Header weicht von RFC 8601 ab, wird aber gelesen."
        }
        (AuthresNonstandard, _, En) => {
            "\"{term}\" in the Authentication-Results header departs from RFC 8601 but is read."
        }
        _ => return None,
    })
}

/// What to change, in one or two sentences; `None` for codes that need no action.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (AuthresSyntaxError, De) => {
            "Der Header stammt vom empfangenden Server, nicht von Ihnen. Prüfen Sie, ob er beim Kopieren vollständig eingefügt wurde; sonst wenden Sie sich an den Betreiber dieses Servers."
        }
        (AuthresSyntaxError, En) => {
            "The header comes from the receiving server, not from you. Check that it was pasted completely; otherwise contact the operator of that server."
        }
        (AuthresNonstandard, De) => {
            "Nichts zu tun: die Ergebnisse wurden gelesen. Der Hinweis erklärt nur, warum der Header anders aussieht als in RFC 8601."
        }
        (AuthresNonstandard, En) => {
            "Nothing to do: the results were read. This only explains why the header looks different from RFC 8601."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter the parser gives them, one per wording of their message.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    let reasons = match code {
        Code::AuthresSyntaxError => SYNTAX_REASONS,
        Code::AuthresNonstandard => NONSTANDARD_REASONS,
        _ => return None,
    };
    Some(
        reasons
            .iter()
            .chain(&[""])
            .map(|reason| {
                Finding::new(code)
                    .with("reason", reason)
                    .with("term", "smtp.mailfrom")
            })
            .collect(),
    )
}
