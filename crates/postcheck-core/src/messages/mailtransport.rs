//! The German and English texts of the transport and brand codes (MTA-STS, TLS-RPT, BIMI, DNSSEC).

use super::Lang;
use crate::findings::{Code, Finding};

/// Which wording of a code's message fits the finding's parameters (mostly its `reason`, see
/// `crate::mailtransport`); `None` for the codes of other families.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    let reason = finding.param("reason");
    Some(match finding.code {
        Code::MtaStsInvalid => match reason {
            "fetch-failed" => "fetch",
            "http-status" => "status",
            "content-type" if finding.param("content_type").is_empty() => "content-type-missing",
            "content-type" => "content-type",
            "policy-format" => "format",
            "record-multiple" => "record-multiple",
            reason if reason.starts_with("record") => "record",
            "policy-mode" => "mode",
            "policy-max-age" => "max-age",
            "policy-mx" => "mx",
            "policy-key" => "key",
            reason if reason.starts_with("policy-") && reason.ends_with("-missing") => "missing",
            _ => "policy",
        },
        Code::TlsrptInvalid => match reason {
            "multiple" => "multiple",
            "rua-uri" => "rua-uri",
            _ => "",
        },
        Code::BimiInvalid => match reason {
            "not-https" => "https",
            "logo-format" => "logo-format",
            "multiple" => "multiple",
            _ => "",
        },
        Code::MtaStsMxNotCovered
        | Code::MtaStsTesting
        | Code::DnssecUnsigned
        | Code::MtaStsDnsError
        | Code::TlsrptDnsError
        | Code::BimiDnsError => "",
        _ => return None,
    })
}

pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (MtaStsDnsError, _, De) => {
            "Der MTA-STS-Eintrag von {domain} (_mta-sts.{domain}) konnte nicht abgefragt werden ({failure}). Ob {domain} MTA-STS nutzt, ließ sich daher nicht prüfen."
        }
        (MtaStsDnsError, _, En) => {
            "The MTA-STS record of {domain} (_mta-sts.{domain}) could not be looked up ({failure}), so whether {domain} uses MTA-STS could not be verified."
        }
        (TlsrptDnsError, _, De) => {
            "Der TLS-RPT-Eintrag von {domain} (_smtp._tls.{domain}) konnte nicht abgefragt werden ({failure}). Ob TLS-Berichte angefordert werden, ließ sich daher nicht prüfen."
        }
        (TlsrptDnsError, _, En) => {
            "The TLS-RPT record of {domain} (_smtp._tls.{domain}) could not be looked up ({failure}), so whether TLS reports are requested could not be verified."
        }
        (BimiDnsError, _, De) => {
            "Der BIMI-Eintrag von {domain} (default._bimi.{domain}) konnte nicht abgefragt werden ({failure}). Ob ein Markenlogo hinterlegt ist, ließ sich daher nicht prüfen."
        }
        (BimiDnsError, _, En) => {
            "The BIMI record of {domain} (default._bimi.{domain}) could not be looked up ({failure}), so whether a brand logo is published could not be verified."
        }
        (MtaStsInvalid, "fetch", De) => {
            "{domain} kündigt eine MTA-STS-Richtlinie an, aber {url} lässt sich nicht per HTTPS abrufen ({detail}). Sendende Server, die MTA-STS beachten, können die Richtlinie nicht anwenden."
        }
        (MtaStsInvalid, "fetch", En) => {
            "{domain} announces an MTA-STS policy, but {url} cannot be fetched over HTTPS ({detail}). Senders that honour MTA-STS cannot apply it."
        }
        (MtaStsInvalid, "status", De) => {
            "{domain} kündigt eine MTA-STS-Richtlinie an, aber {url} antwortet mit HTTP-Status {status} statt 200 (Weiterleitungen sind nicht erlaubt)."
        }
        (MtaStsInvalid, "status", En) => {
            "{domain} announces an MTA-STS policy, but {url} answers with HTTP status {status} instead of 200 (redirects are not allowed)."
        }
        (MtaStsInvalid, "content-type", De) => {
            "Die MTA-STS-Richtlinie von {domain} wird unter {url} als „{content_type}“ ausgeliefert statt als „text/plain“. Viele sendende Server ignorieren sie deshalb."
        }
        (MtaStsInvalid, "content-type", En) => {
            "The MTA-STS policy of {domain} at {url} is served as \"{content_type}\" instead of \"text/plain\". Many senders ignore it for that reason."
        }
        (MtaStsInvalid, "content-type-missing", De) => {
            "Die MTA-STS-Richtlinie von {domain} wird unter {url} ohne Inhaltstyp (Content-Type) ausgeliefert; erwartet wird „text/plain“. Viele sendende Server ignorieren sie deshalb."
        }
        (MtaStsInvalid, "content-type-missing", En) => {
            "The MTA-STS policy of {domain} at {url} is served without a content type; \"text/plain\" is expected. Many senders ignore it for that reason."
        }
        (MtaStsInvalid, "format", De) => {
            "{domain} kündigt eine MTA-STS-Richtlinie an, aber unter {url} steht keine (sondern zum Beispiel eine Webseite oder eine leere Datei). Sendende Server, die MTA-STS beachten, können sie nicht anwenden."
        }
        (MtaStsInvalid, "format", En) => {
            "{domain} announces an MTA-STS policy, but {url} does not hold one (it is a web page or an empty file, for example). Senders that honour MTA-STS cannot apply it."
        }
        (MtaStsInvalid, "record-multiple", De) => {
            "{domain} hat {count} MTA-STS-Einträge (_mta-sts), erlaubt ist genau einer. Sendende Server verwenden dann keinen davon."
        }
        (MtaStsInvalid, "record-multiple", En) => {
            "{domain} has {count} MTA-STS records (_mta-sts), but exactly one is allowed. Senders then use none of them."
        }
        (MtaStsInvalid, "record", De) => {
            "Der MTA-STS-Eintrag (_mta-sts) von {domain} ist fehlerhaft; er muss „v=STSv1; id=…;“ lauten (id: 1 bis 32 Buchstaben oder Ziffern)."
        }
        (MtaStsInvalid, "record", En) => {
            "The MTA-STS record (_mta-sts) of {domain} is broken; it must read \"v=STSv1; id=…;\" (id: 1 to 32 letters or digits)."
        }
        (MtaStsInvalid, "mode", De) => {
            "In der MTA-STS-Richtlinie von {domain} ist „{term}“ kein gültiger Modus; erlaubt sind „enforce“, „testing“ und „none“ (kleingeschrieben)."
        }
        (MtaStsInvalid, "mode", En) => {
            "In the MTA-STS policy of {domain}, \"{term}\" is not a valid mode; it must be \"enforce\", \"testing\" or \"none\" (lower case)."
        }
        (MtaStsInvalid, "max-age", De) => {
            "In der MTA-STS-Richtlinie von {domain} ist „max_age: {term}“ nicht zulässig: erlaubt ist eine ganze Zahl von Sekunden zwischen 0 und {limit} (ein Jahr)."
        }
        (MtaStsInvalid, "max-age", En) => {
            "In the MTA-STS policy of {domain}, \"max_age: {term}\" is not allowed: it must be a whole number of seconds from 0 to {limit} (one year)."
        }
        (MtaStsInvalid, "mx", De) => {
            "In der MTA-STS-Richtlinie von {domain} ist „mx: {term}“ kein gültiger Servername; erlaubt sind Namen wie „mail.example.com“ oder „*.example.com“."
        }
        (MtaStsInvalid, "mx", En) => {
            "In the MTA-STS policy of {domain}, \"mx: {term}\" is not a valid server name; use names such as \"mail.example.com\" or \"*.example.com\"."
        }
        (MtaStsInvalid, "key", De) => {
            "In der MTA-STS-Richtlinie von {domain} ist „{term}“ kein bekanntes Feld und wird ignoriert; gemeint ist wohl „{expected}“ (Groß- und Kleinschreibung zählen)."
        }
        (MtaStsInvalid, "key", En) => {
            "In the MTA-STS policy of {domain}, \"{term}\" is not a known field and is ignored; you probably mean \"{expected}\" (case matters)."
        }
        (MtaStsInvalid, "missing", De) => {
            "In der MTA-STS-Richtlinie von {domain} fehlt die Zeile „{term}: …“; ohne sie ist die Richtlinie ungültig."
        }
        (MtaStsInvalid, "missing", En) => {
            "The MTA-STS policy of {domain} lacks the line \"{term}: …\"; without it the policy is invalid."
        }
        (MtaStsInvalid, _, De) => {
            "Die MTA-STS-Richtlinie von {domain} ist fehlerhaft: Sie braucht die Zeilen „version: STSv1“, „mode: enforce|testing|none“, „mx: …“ und „max_age: …“."
        }
        (MtaStsInvalid, _, En) => {
            "The MTA-STS policy of {domain} is broken: it needs the lines \"version: STSv1\", \"mode: enforce|testing|none\", \"mx: …\" and \"max_age: …\"."
        }
        (MtaStsMxNotCovered, _, De) => {
            "Die MTA-STS-Richtlinie von {domain} steht auf „enforce“, nennt aber den Mailserver {host} nicht ({patterns}). Sendende Server, die MTA-STS beachten, stellen an ihn nichts zu."
        }
        (MtaStsMxNotCovered, _, En) => {
            "The MTA-STS policy of {domain} is in enforce mode but does not list the mail server {host} ({patterns}). Senders that honour MTA-STS will not deliver to it."
        }
        (MtaStsTesting, _, De) => {
            "Die MTA-STS-Richtlinie von {domain} ist im Testmodus: Fehler werden nur berichtet, nicht durchgesetzt."
        }
        (MtaStsTesting, _, En) => {
            "The MTA-STS policy of {domain} is in testing mode: failures are only reported, not enforced."
        }
        (TlsrptInvalid, "multiple", De) => {
            "{domain} hat {count} TLS-RPT-Einträge (_smtp._tls), erlaubt ist genau einer. Sendende Server schicken dann keine TLS-Berichte."
        }
        (TlsrptInvalid, "multiple", En) => {
            "{domain} has {count} TLS-RPT records (_smtp._tls), but exactly one is allowed. Senders then send no TLS reports."
        }
        (TlsrptInvalid, "rua-uri", De) => {
            "Im TLS-RPT-Eintrag von {domain} ist „{term}“ keine gültige Berichtsadresse; sie muss mit „mailto:“ oder „https://“ beginnen."
        }
        (TlsrptInvalid, "rua-uri", En) => {
            "In the TLS-RPT record of {domain}, \"{term}\" is not a valid report address; it must start with \"mailto:\" or \"https://\"."
        }
        (TlsrptInvalid, _, De) => {
            "Der TLS-RPT-Eintrag (_smtp._tls) von {domain} ist fehlerhaft; er muss „v=TLSRPTv1; rua=mailto:…“ (oder https:) lauten."
        }
        (TlsrptInvalid, _, En) => {
            "The TLS-RPT record (_smtp._tls) of {domain} is broken; it must read \"v=TLSRPTv1; rua=mailto:…\" (or https:)."
        }
        (BimiInvalid, "https", De) => {
            "Im BIMI-Eintrag von {domain} ist „{term}“ keine HTTPS-Adresse; Logo und Zertifikat müssen per HTTPS erreichbar sein."
        }
        (BimiInvalid, "https", En) => {
            "In the BIMI record of {domain}, \"{term}\" is not an HTTPS address; logo and certificate must be served over HTTPS."
        }
        (BimiInvalid, "logo-format", De) => {
            "Im BIMI-Eintrag von {domain} zeigt „{term}“ nicht auf ein SVG-Bild; BIMI erlaubt als Logo nur SVG (im Profil „SVG Tiny PS“)."
        }
        (BimiInvalid, "logo-format", En) => {
            "In the BIMI record of {domain}, \"{term}\" does not point to an SVG image; BIMI accepts SVG logos only (the \"SVG Tiny PS\" profile)."
        }
        (BimiInvalid, "multiple", De) => {
            "{domain} hat {count} BIMI-Einträge (default._bimi), erlaubt ist genau einer. E-Mail-Programme zeigen dann kein Logo."
        }
        (BimiInvalid, "multiple", En) => {
            "{domain} has {count} BIMI records (default._bimi), but exactly one is allowed. Mail clients then show no logo."
        }
        (BimiInvalid, _, De) => {
            "Der BIMI-Eintrag (default._bimi) von {domain} ist fehlerhaft; er muss „v=BIMI1; l=https://…svg“ lauten."
        }
        (BimiInvalid, _, En) => {
            "The BIMI record (default._bimi) of {domain} is broken; it must read \"v=BIMI1; l=https://…svg\"."
        }
        (DnssecUnsigned, _, De) => {
            "Die DNS-Antworten für {domain} waren nicht DNSSEC-bestätigt: Entweder ist die Zone nicht signiert, oder der verwendete Resolver prüft keine Signaturen."
        }
        (DnssecUnsigned, _, En) => {
            "The DNS answers for {domain} were not DNSSEC-validated: either the zone is not signed, or the resolver used does not validate signatures."
        }
        _ => return None,
    })
}

pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (MtaStsInvalid, De) => {
            "Korrigieren Sie den _mta-sts-Eintrag und stellen Sie die Richtlinie unter https://mta-sts.<Ihre Domain>/.well-known/mta-sts.txt mit gültigem Zertifikat als „text/plain“ bereit – oder entfernen Sie den _mta-sts-Eintrag."
        }
        (MtaStsInvalid, En) => {
            "Fix the _mta-sts record and serve the policy as \"text/plain\" at https://mta-sts.<your domain>/.well-known/mta-sts.txt with a valid certificate, or remove the _mta-sts record."
        }
        (MtaStsMxNotCovered, De) => {
            "Nehmen Sie jeden Mailserver aus Ihren MX-Einträgen als „mx:“-Zeile in die Richtlinie auf und erhöhen Sie die id im _mta-sts-Eintrag."
        }
        (MtaStsMxNotCovered, En) => {
            "Add every mail server of your MX records as an \"mx:\" line to the policy and change the id in the _mta-sts record."
        }
        (MtaStsTesting, De) => {
            "Wenn die TLS-Berichte keine Fehler mehr zeigen, stellen Sie „mode: enforce“ ein."
        }
        (MtaStsTesting, En) => {
            "Once the TLS reports show no failures, switch to \"mode: enforce\"."
        }
        (TlsrptInvalid, De) => {
            "Veröffentlichen Sie unter _smtp._tls einen TXT-Eintrag wie „v=TLSRPTv1; rua=mailto:tls-reports@<Ihre Domain>“."
        }
        (TlsrptInvalid, En) => {
            "Publish a TXT record at _smtp._tls such as \"v=TLSRPTv1; rua=mailto:tls-reports@<your domain>\"."
        }
        (BimiInvalid, De) => {
            "Veröffentlichen Sie unter default._bimi „v=BIMI1; l=https://…/logo.svg“ (und gegebenenfalls „a=https://…/vmc.pem“)."
        }
        (BimiInvalid, En) => {
            "Publish \"v=BIMI1; l=https://…/logo.svg\" at default._bimi (and \"a=https://…/vmc.pem\" if you have a certificate)."
        }
        (MtaStsDnsError | TlsrptDnsError | BimiDnsError, De) => {
            "Prüfen Sie später noch einmal. Bleibt der Fehler, fragen Sie Ihren DNS-Anbieter, warum die Nameserver Ihrer Domain auf diese Abfrage nicht antworten."
        }
        (MtaStsDnsError | TlsrptDnsError | BimiDnsError, En) => {
            "Check again later. If the error stays, ask your DNS provider why your domain's name servers do not answer this query."
        }
        (DnssecUnsigned, De) => {
            "Optional: Lassen Sie die Zone bei Ihrem DNS-Anbieter mit DNSSEC signieren."
        }
        (DnssecUnsigned, En) => "Optional: ask your DNS provider to sign the zone with DNSSEC.",
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter their code receives, one per wording of its message.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    let finding = Finding::new(code).with("domain", "example.com");
    let url = "https://mta-sts.example.com/.well-known/mta-sts.txt";
    Some(match code {
        MtaStsInvalid => {
            let policy = finding.clone().with("url", url);
            vec![
                policy
                    .clone()
                    .with("reason", "fetch-failed")
                    .with("detail", "connection refused"),
                policy
                    .clone()
                    .with("reason", "http-status")
                    .with("status", 404),
                policy
                    .clone()
                    .with("reason", "content-type")
                    .with("content_type", "text/html"),
                policy
                    .clone()
                    .with("reason", "content-type")
                    .with("content_type", ""),
                policy
                    .clone()
                    .with("reason", "policy-format")
                    .with("content_type", "text/html"),
                finding
                    .clone()
                    .with("reason", "record-multiple")
                    .with("count", 2),
                finding
                    .clone()
                    .with("reason", "record-id")
                    .with("term", "2026-01-01"),
                policy
                    .clone()
                    .with("reason", "policy-mode")
                    .with("term", "enforced"),
                policy
                    .clone()
                    .with("reason", "policy-max-age")
                    .with("term", "1w")
                    .with("limit", 31_557_600),
                policy.clone().with("reason", "policy-mx").with("term", "*"),
                policy
                    .clone()
                    .with("reason", "policy-key")
                    .with("term", "Mode")
                    .with("expected", "mode"),
                policy
                    .clone()
                    .with("reason", "policy-mx-missing")
                    .with("term", "mx"),
                policy
                    .with("reason", "policy-line")
                    .with("term", "mode enforce"),
            ]
        }
        MtaStsMxNotCovered => vec![
            finding
                .with("host", "backup.example.com")
                .with("patterns", "mail.example.com"),
        ],
        MtaStsTesting => vec![finding],
        TlsrptInvalid => vec![
            finding.clone().with("reason", "multiple").with("count", 2),
            finding
                .clone()
                .with("reason", "rua-uri")
                .with("term", "tls@example.com"),
            finding.with("reason", "rua-missing"),
        ],
        BimiInvalid => vec![
            finding
                .clone()
                .with("reason", "not-https")
                .with("term", "http://example.com/logo.svg"),
            finding
                .clone()
                .with("reason", "logo-format")
                .with("term", "https://example.com/logo.png"),
            finding.clone().with("reason", "multiple").with("count", 2),
            finding.with("reason", "syntax").with("term", "l:https://x"),
        ],
        DnssecUnsigned => vec![finding],
        MtaStsDnsError | TlsrptDnsError | BimiDnsError => {
            vec![finding.with("failure", "SERVFAIL")]
        }
        _ => return None,
    })
}
