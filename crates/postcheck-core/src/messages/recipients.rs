//! The German and English texts of the recipient list codes (`crate::recipients`): what is
//! wrong with an address, whether its domain takes mail, and the domain it probably meant. The
//! hints say who acts: support staff correct the address where it was entered, or ask the
//! person for it again.

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// Which wording fits: for `recipient-syntax` its `reason`; for a typo whose domain takes mail
/// anyway, `deliverable`.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    if finding.code.family() != Family::Recipient {
        return None;
    }
    Some(match finding.code {
        Code::RecipientSyntax => finding.param("reason"),
        Code::RecipientDomainTypo if finding.param("deliverable") == "yes" => "deliverable",
        _ => "",
    })
}

/// The message template of a code in one wording and language.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (RecipientOk, _, De) => {
            "Die Adresse ist gültig geschrieben, und ihre Domain {domain} nimmt E-Mails an (MX-Eintrag)."
        }
        (RecipientOk, _, En) => {
            "The address is well formed and its domain {domain} takes mail (MX record)."
        }
        (RecipientSyntax, _, De) => match variant {
            "empty" => "Die Zeile enthält keine Adresse.",
            "no-at" => "„{input}“ ist keine E-Mail-Adresse: das @ fehlt.",
            "several-at" => "„{input}“ enthält mehr als ein @.",
            "empty-local-part" => "„{input}“: vor dem @ steht nichts.",
            "empty-domain" => "„{input}“: nach dem @ fehlt die Domain.",
            "space" => "„{input}“ enthält ein Leerzeichen.",
            "invalid-local-character" => {
                "„{input}“: vor dem @ steht ein Zeichen, das in Adressen nicht vorkommen darf (etwa ein Komma, eine Klammer oder ein Doppelpunkt)."
            }
            "local-dots" => {
                "„{input}“: vor dem @ stehen zwei Punkte hintereinander oder ein Punkt am Anfang oder Ende."
            }
            "unclosed-quote" => "„{input}“: ein Anführungszeichen wird nicht geschlossen.",
            "local-too-long" => "„{input}“: der Teil vor dem @ ist länger als 64 Zeichen.",
            "invalid-domain" => {
                "„{input}“: die Domain nach dem @ enthält unzulässige Zeichen oder zwei Punkte hintereinander."
            }
            "domain-not-qualified" => {
                "„{input}“: die Domain nach dem @ ist unvollständig (etwa „.de“ oder „.com“ fehlt)."
            }
            "domain-too-long" => "„{input}“: die Domain ist zu lang.",
            "numeric-top-level" => {
                "„{input}“: nach dem @ steht eine IP-Adresse statt einer Domain."
            }
            "invalid-literal" => {
                "„{input}“: in den eckigen Klammern steht keine gültige IP-Adresse."
            }
            "invalid-idn" => "„{input}“: die Domain mit Umlauten lässt sich nicht umwandeln.",
            _ => "„{input}“ ist keine gültige E-Mail-Adresse.",
        },
        (RecipientSyntax, _, En) => match variant {
            "empty" => "The line holds no address.",
            "no-at" => "\"{input}\" is no email address: the @ is missing.",
            "several-at" => "\"{input}\" has more than one @.",
            "empty-local-part" => "\"{input}\": nothing before the @.",
            "empty-domain" => "\"{input}\": the domain after the @ is missing.",
            "space" => "\"{input}\" contains a space.",
            "invalid-local-character" => {
                "\"{input}\": before the @ is a character addresses cannot have (such as a comma, a bracket or a colon)."
            }
            "local-dots" => {
                "\"{input}\": before the @ are two dots in a row, or a dot at the start or end."
            }
            "unclosed-quote" => "\"{input}\": a quotation mark is not closed.",
            "local-too-long" => "\"{input}\": the part before the @ is longer than 64 characters.",
            "invalid-domain" => {
                "\"{input}\": the domain after the @ has characters a domain cannot have, or two dots in a row."
            }
            "domain-not-qualified" => {
                "\"{input}\": the domain after the @ is incomplete (such as \".com\" missing)."
            }
            "domain-too-long" => "\"{input}\": the domain is too long.",
            "numeric-top-level" => "\"{input}\": after the @ is an IP address, not a domain.",
            "invalid-literal" => "\"{input}\": the square brackets hold no valid IP address.",
            "invalid-idn" => "\"{input}\": the domain with accented letters cannot be converted.",
            _ => "\"{input}\" is not a valid email address.",
        },
        (RecipientDuplicate, _, De) => {
            "Dieselbe Adresse steht schon in Zeile {line} (Groß- und Kleinschreibung nicht beachtet)."
        }
        (RecipientDuplicate, _, En) => {
            "The same address is already on line {line} (ignoring upper and lower case)."
        }
        (RecipientDomainTypo, "deliverable", De) => {
            "Die Domain {domain} nimmt zwar E-Mails an, sieht aber aus wie ein Tippfehler: gemeint ist vielleicht {address}."
        }
        (RecipientDomainTypo, "deliverable", En) => {
            "The domain {domain} takes mail, but it looks like a typo: perhaps {address} was meant."
        }
        (RecipientDomainTypo, _, De) => {
            "Die Domain {domain} sieht aus wie ein Tippfehler: gemeint ist wohl {address}."
        }
        (RecipientDomainTypo, _, En) => {
            "The domain {domain} looks like a typo: {address} was probably meant."
        }
        (RecipientDomainMissing, _, De) => {
            "Die Domain {domain} gibt es nicht: E-Mails an diese Adresse kommen nie an."
        }
        (RecipientDomainMissing, _, En) => {
            "The domain {domain} does not exist: mail to this address never arrives."
        }
        (RecipientNullMx, _, De) => {
            "Die Domain {domain} erklärt, dass sie keine E-Mails annimmt (Null-MX)."
        }
        (RecipientNullMx, _, En) => {
            "The domain {domain} declares that it accepts no mail (null MX)."
        }
        (RecipientImplicitMx, _, De) => {
            "Die Domain {domain} hat keinen MX-Eintrag; E-Mails gehen an ihre eigene Adresse. Das ist erlaubt, aber selten eingerichtet."
        }
        (RecipientImplicitMx, _, En) => {
            "The domain {domain} has no MX record; mail goes to its own address. That is allowed, but rarely set up."
        }
        (RecipientNoMailHost, _, De) => {
            "Die Domain {domain} hat weder einen MX-Eintrag noch eine Adresse: E-Mails an sie können nicht zugestellt werden."
        }
        (RecipientNoMailHost, _, En) => {
            "The domain {domain} has neither an MX record nor an address: mail to it cannot be delivered."
        }
        (RecipientLookupFailed, _, De) => {
            "Die Domain {domain} ließ sich nicht abfragen; ob sie E-Mails annimmt, ist nicht geprüft."
        }
        (RecipientLookupFailed, _, En) => {
            "The domain {domain} could not be looked up; whether it takes mail is not verified."
        }
        (RecipientAddressLiteral, _, De) => {
            "{address} nennt statt einer Domain eine IP-Adresse. Das ist erlaubt, wird aber kaum noch angenommen und ist nicht geprüft."
        }
        (RecipientAddressLiteral, _, En) => {
            "{address} names an IP address instead of a domain. That is allowed, but hardly accepted any more, and not checked."
        }
        _ => return None,
    })
}

/// What to change.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, lang) {
        (RecipientOk, _) => return None,
        (RecipientImplicitMx, De) => {
            "Meist kommt die E-Mail an. Kommt sie zurück, fragen Sie die Person nach einer anderen Adresse."
        }
        (RecipientImplicitMx, En) => {
            "Mail usually arrives. If it bounces, ask the person for another address."
        }
        (RecipientSyntax | RecipientDomainMissing | RecipientNoMailHost, De) => {
            "Korrigieren Sie die Adresse dort, wo sie eingetragen wurde, oder fragen Sie die Person nach ihrer richtigen Adresse."
        }
        (RecipientSyntax | RecipientDomainMissing | RecipientNoMailHost, En) => {
            "Correct the address where it was entered, or ask the person for their right address."
        }
        (RecipientDuplicate, De) => {
            "Löschen Sie den doppelten Eintrag, damit die Person nicht zwei E-Mails bekommt."
        }
        (RecipientDuplicate, En) => {
            "Remove the duplicate so that the person does not get two emails."
        }
        (RecipientDomainTypo, De) => {
            "Fragen Sie nach, ob die vorgeschlagene Adresse gemeint ist, und korrigieren Sie sie dort, wo sie eingetragen wurde."
        }
        (RecipientDomainTypo, En) => {
            "Ask whether the suggested address is meant, and correct it where it was entered."
        }
        (RecipientNullMx, De) => {
            "An diese Adresse kann niemand schreiben. Fragen Sie die Person nach einer anderen Adresse."
        }
        (RecipientNullMx, En) => {
            "Nobody can write to this address. Ask the person for another address."
        }
        (RecipientLookupFailed, De) => "Prüfen Sie die Liste später noch einmal.",
        (RecipientLookupFailed, En) => "Check the list again later.",
        (RecipientAddressLiteral, De) => "Fragen Sie die Person nach einer Adresse mit Domain.",
        (RecipientAddressLiteral, En) => "Ask the person for an address with a domain.",
        _ => return None,
    })
}

/// Findings with every parameter `crate::recipients` gives them, one per wording.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    if code.family() != Family::Recipient {
        return None;
    }
    let finding = Finding::new(code);
    let domain = finding.clone().with("domain", "gmial.com");
    Some(match code {
        RecipientSyntax => [
            "empty",
            "no-at",
            "several-at",
            "empty-local-part",
            "empty-domain",
            "space",
            "invalid-local-character",
            "local-dots",
            "unclosed-quote",
            "local-too-long",
            "invalid-domain",
            "domain-not-qualified",
            "domain-too-long",
            "numeric-top-level",
            "invalid-literal",
            "invalid-idn",
        ]
        .into_iter()
        .map(|reason| {
            finding
                .clone()
                .with("reason", reason)
                .with("input", "max(at)example.com")
        })
        .collect(),
        RecipientDuplicate => vec![finding.with("line", 3)],
        RecipientDomainTypo => {
            let typo = domain
                .with("suggestion", "gmail.com")
                .with("address", "max@gmail.com");
            vec![typo.clone(), typo.with("deliverable", "yes")]
        }
        RecipientAddressLiteral => vec![finding.with("address", "max@[192.0.2.1]")],
        _ => vec![domain],
    })
}
