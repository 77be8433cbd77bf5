//! The German and English texts of the sender-profile codes.

use super::Lang;
use crate::findings::{Code, Family, Finding};

pub(super) fn variant(finding: &Finding) -> Option<&str> {
    match finding.code {
        Code::ProfileDkimCnameMissing if finding.param("found").is_empty() => Some("absent"),
        code if code.family() == Family::Profile => Some(""),
        _ => None,
    }
}

pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (ProfileSpfOk, _, De) => {
            "{domain} erlaubt alle Server von {vendor}, E-Mails in Ihrem Namen zu senden."
        }
        (ProfileSpfOk, _, En) => {
            "{domain} authorizes every server of {vendor} to send mail on its behalf."
        }
        (ProfileSpfMissing, _, De) => {
            "Der SPF-Eintrag von {domain} erlaubt {vendor} noch nicht, E-Mails in Ihrem Namen zu senden. Es fehlt: {missing}"
        }
        (ProfileSpfMissing, _, En) => {
            "The SPF record of {domain} does not yet authorize {vendor} to send mail on its behalf. Missing: {missing}"
        }
        (ProfileLookupLimit, _, De) => {
            "Mit den Einträgen von {vendor} ({includes}) bräuchte Ihr SPF-Eintrag {count} DNS-Abfragen; erlaubt sind {limit}. Empfänger würden ihn als fehlerhaft verwerfen."
        }
        (ProfileLookupLimit, _, En) => {
            "With the entries of {vendor} ({includes}) your SPF record would need {count} DNS lookups; {limit} are allowed. Receivers would reject it as broken."
        }
        (ProfileDkimCnameMissing, "absent", De) => {
            "Für die DKIM-Signatur von {vendor} fehlt der CNAME-Eintrag {name} mit dem Ziel {target}."
        }
        (ProfileDkimCnameMissing, "absent", En) => {
            "The CNAME record {name} pointing to {target} is missing, so mail signed by {vendor} cannot be verified."
        }
        (ProfileDkimCnameMissing, _, De) => {
            "{name} zeigt auf {found}, {vendor} erwartet aber {target}. Die DKIM-Signaturen von {vendor} lassen sich so nicht prüfen."
        }
        (ProfileDkimCnameMissing, _, En) => {
            "{name} points to {found}, but {vendor} expects {target}. Signatures by {vendor} cannot be verified this way."
        }
        _ => return None,
    })
}

pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (ProfileSpfOk, _) => return None,
        (ProfileSpfMissing, De) => {
            "Ersetzen Sie Ihren SPF-Eintrag durch den korrigierten Eintrag unten (ein einziger TXT-Eintrag, der mit „v=spf1“ beginnt)."
        }
        (ProfileSpfMissing, En) => {
            "Replace your SPF record with the corrected record below (one single TXT record starting with \"v=spf1\")."
        }
        (ProfileLookupLimit, De) => {
            "Ersetzen Sie „a“- und „mx“-Angaben durch die IP-Adressen Ihrer Server („ip4:“, „ip6:“) oder entfernen Sie Einbindungen von Diensten, die Sie nicht mehr nutzen."
        }
        (ProfileLookupLimit, En) => {
            "Replace \"a\" and \"mx\" terms by your servers' IP addresses (\"ip4:\", \"ip6:\") or remove includes of services you no longer use."
        }
        (ProfileDkimCnameMissing, De) => {
            "Legen Sie den CNAME-Eintrag genau wie angegeben in den DNS-Einstellungen Ihrer Domain an."
        }
        (ProfileDkimCnameMissing, En) => {
            "Add the CNAME record exactly as shown in your domain's DNS settings."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter `crate::profile` gives them, one per wording of their message;
/// for the message tests in `messages/mod.rs`.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    let finding = Finding::new(code).with("vendor", "CRM");
    Some(match code {
        ProfileSpfOk => vec![finding.with("domain", "example.com")],
        ProfileSpfMissing => vec![
            finding
                .with("domain", "example.com")
                .with("missing", "include:_spf.crm.example ip4:203.0.113.0/24")
                .with(
                    "fix",
                    "v=spf1 include:_spf.crm.example ip4:203.0.113.0/24 ~all",
                ),
        ],
        ProfileLookupLimit => vec![
            finding
                .with("count", 12)
                .with("limit", 10)
                .with("includes", "include:_spf.crm.example"),
        ],
        ProfileDkimCnameMissing => {
            let finding = finding
                .with("selector", "crm1")
                .with("name", "crm1._domainkey.example.com")
                .with("target", "crm1.dkim.crm.example");
            vec![
                finding.clone().with("found", ""),
                finding.with("found", "other.dkim.example"),
            ]
        }
        _ => return None,
    })
}
