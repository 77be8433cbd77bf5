//! The German and English texts of the transport and brand codes (MTA-STS, TLS-RPT, BIMI, DNSSEC).

use super::Lang;
use crate::findings::{Code, Finding};

pub(super) fn variant(finding: &Finding) -> Option<&str> {
    match finding.code {
        Code::MtaStsInvalid => Some(match finding.param("reason") {
            "fetch-failed" => "fetch",
            "http-status" => "status",
            reason if reason.starts_with("record") => "record",
            _ => "policy",
        }),
        Code::MtaStsMxNotCovered
        | Code::MtaStsTesting
        | Code::TlsrptInvalid
        | Code::DnssecUnsigned => Some(""),
        Code::BimiInvalid => Some(if finding.param("reason") == "not-https" {
            "https"
        } else {
            ""
        }),
        _ => None,
    }
}

pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
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
        (MtaStsInvalid, "record", De) => {
            "Der MTA-STS-Eintrag (_mta-sts) von {domain} ist fehlerhaft; er muss „v=STSv1; id=…;“ lauten (id: 1 bis 32 Buchstaben oder Ziffern)."
        }
        (MtaStsInvalid, "record", En) => {
            "The MTA-STS record (_mta-sts) of {domain} is broken; it must read \"v=STSv1; id=…;\" (id: 1 to 32 letters or digits)."
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

pub(super) fn hint(code: Code, lang: Lang) -> Option<Option<&'static str>> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (MtaStsInvalid, De) => {
            "Korrigieren Sie den _mta-sts-Eintrag und stellen Sie die Richtlinie unter https://mta-sts.<Ihre Domain>/.well-known/mta-sts.txt mit gültigem Zertifikat bereit – oder entfernen Sie den _mta-sts-Eintrag."
        }
        (MtaStsInvalid, En) => {
            "Fix the _mta-sts record and serve the policy at https://mta-sts.<your domain>/.well-known/mta-sts.txt with a valid certificate, or remove the _mta-sts record."
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
        (DnssecUnsigned, De) => {
            "Optional: Lassen Sie die Zone bei Ihrem DNS-Anbieter mit DNSSEC signieren."
        }
        (DnssecUnsigned, En) => "Optional: ask your DNS provider to sign the zone with DNSSEC.",
        _ => return None,
    };
    Some(Some(text))
}
