//! The German and English texts of the received-reports codes (`crate::reports`): files that
//! could not be read, whether the domain can take its next DMARC policy step, the senders
//! whose mail fails DMARC and what aligns them, failure reports, and SMTP TLS failures. The
//! hints say who acts: the domain's administrator, or whoever runs the sending service.

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// Which wording fits: the reading problems' `reason` and `kind`, the readiness `reason`, the
/// fix of a failing sender, whether the policy already stops unknown mail.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    if finding.code.family() != Family::Report {
        return None;
    }
    Some(match finding.code {
        Code::ReportUnreadable | Code::ReportTooLarge | Code::ReportNotReady => {
            finding.param("reason")
        }
        Code::ReportNotAReport => finding.param("kind"),
        Code::ReportLegitimateFailing => finding.param("fix"),
        Code::ReportAuthFailure if finding.param("failure").is_empty() => "unnamed",
        Code::ReportUnknownFailing if finding.param("own") == "yes" => "own",
        Code::ReportUnknownFailing if finding.param("sender") == "unidentified" => {
            if finding.param("stopped") == "yes" {
                "unidentified-stopped"
            } else {
                "unidentified"
            }
        }
        Code::ReportUnknownFailing if finding.param("stopped") == "yes" => "stopped",
        _ => "",
    })
}

/// The message template of a code in one wording and language.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, lang) {
        (ReportUnreadable, De) => match variant {
            "empty" => "{source}: die Datei ist leer.",
            _ => {
                "{source}: kein Bericht in einem bekannten Format (weder gzip noch zip, XML, JSON oder eine E-Mail)."
            }
        },
        (ReportUnreadable, En) => match variant {
            "empty" => "{source}: the file is empty.",
            _ => {
                "{source}: no report in a known format (neither gzip nor zip, XML, JSON or an email)."
            }
        },
        (ReportNotAReport, De) => match variant {
            "json" => "{source}: JSON, aber kein SMTP-TLS-Bericht.",
            "message" => "{source}: eine E-Mail, aber ohne DMARC- oder TLS-Bericht im Anhang.",
            _ => "{source}: XML, aber kein DMARC-Sammelbericht (kein <feedback>).",
        },
        (ReportNotAReport, En) => match variant {
            "json" => "{source}: JSON, but no SMTP TLS report.",
            "message" => "{source}: an email, but with no DMARC or TLS report attached.",
            _ => "{source}: XML, but no DMARC aggregate report (no <feedback>).",
        },
        (ReportXmlMalformed, De) => {
            "{source}: das XML ist ab Byte {offset} fehlerhaft ({detail}); dieser Bericht wird nicht mitgezählt."
        }
        (ReportXmlMalformed, En) => {
            "{source}: the XML breaks at byte {offset} ({detail}); this report is not counted."
        }
        (ReportJsonMalformed, De) => {
            "{source}: das JSON ist ab Byte {offset} fehlerhaft ({detail}); der TLS-Bericht wird nicht mitgezählt."
        }
        (ReportJsonMalformed, En) => {
            "{source}: the JSON breaks at byte {offset} ({detail}); the TLS report is not counted."
        }
        (ReportDecompressFailed, De) => {
            "{source}: lässt sich nicht entpacken ({detail}); was darin steht, wird nicht mitgezählt."
        }
        (ReportDecompressFailed, En) => {
            "{source}: cannot be unpacked ({detail}); what it holds is not counted."
        }
        (ReportTooLarge, De) => match variant {
            "depth" => {
                "{source}: zu viele ineinander verpackte Archive; die Datei wird nicht weiter gelesen."
            }
            _ => "{source}: entpackt größer als {limit} MiB; die Datei wird nicht weiter gelesen.",
        },
        (ReportTooLarge, En) => match variant {
            "depth" => {
                "{source}: too many archives packed into each other; the file is not read further."
            }
            _ => "{source}: unpacks to more than {limit} MiB; the file is not read further.",
        },
        (ReportDuplicate, De) => {
            "{source}: den Bericht {report_id} von {org} gibt es schon; er wird nur einmal gezählt."
        }
        (ReportDuplicate, En) => {
            "{source}: report {report_id} from {org} was read already; it is counted once."
        }
        (ReportReadyForNextStep, De) => {
            "{domain} ist bereit für den nächsten Schritt, p={next}: E-Mails der bekannten Absender bestehen DMARC (nur {share} % nicht, in {messages} berichteten E-Mails)."
        }
        (ReportReadyForNextStep, En) => {
            "{domain} is ready for the next step, p={next}: mail from its legitimate senders passes DMARC (only {share}% fails, of {messages} reported messages)."
        }
        (ReportPolicyFinal, De) => {
            "{domain} steht schon auf p=reject, und die E-Mails der bekannten Absender bestehen DMARC ({messages} berichtete E-Mails)."
        }
        (ReportPolicyFinal, En) => {
            "{domain} is at p=reject already, and mail from its legitimate senders passes DMARC ({messages} reported messages)."
        }
        (ReportNotReady, De) => match variant {
            "final" => {
                "{domain} steht auf p=reject, aber {share} % der E-Mails bekannter Absender bestehen DMARC nicht und werden abgewiesen: {senders}."
            }
            "no-legitimate-mail" => {
                "{domain} ist noch nicht bereit für p={next}: die Berichte zeigen keine E-Mail eines bekannten Absenders, die DMARC besteht."
            }
            _ => {
                "{domain} ist noch nicht bereit für p={next}: {share} % der E-Mails bekannter Absender bestehen DMARC nicht ({senders})."
            }
        },
        (ReportNotReady, En) => match variant {
            "final" => {
                "{domain} is at p=reject, but {share}% of the mail from legitimate senders fails DMARC and is rejected: {senders}."
            }
            "no-legitimate-mail" => {
                "{domain} is not ready for p={next} yet: the reports show no mail from a legitimate sender that passes DMARC."
            }
            _ => {
                "{domain} is not ready for p={next} yet: {share}% of the mail from legitimate senders fails DMARC ({senders})."
            }
        },
        (ReportLegitimateFailing, De) => match variant {
            "dkim" => {
                "{sender}: {failing} von {messages} E-Mails ({share} %) bestehen DMARC nicht. Sie sind mit DKIM signiert, aber als {signing_domain}, nicht als {domain}."
            }
            "spf" => {
                "{sender}: {failing} von {messages} E-Mails ({share} %) bestehen DMARC nicht. SPF besteht, aber für die Absenderdomain {signing_domain}, nicht für {domain}."
            }
            _ => {
                "{sender}: {failing} von {messages} E-Mails ({share} %) bestehen DMARC nicht; weder SPF noch DKIM sind für {domain} eingerichtet."
            }
        },
        (ReportLegitimateFailing, En) => match variant {
            "dkim" => {
                "{sender}: {failing} of {messages} messages ({share}%) fail DMARC. They are DKIM-signed, but as {signing_domain}, not as {domain}."
            }
            "spf" => {
                "{sender}: {failing} of {messages} messages ({share}%) fail DMARC. SPF passes, but for the envelope domain {signing_domain}, not for {domain}."
            }
            _ => {
                "{sender}: {failing} of {messages} messages ({share}%) fail DMARC; neither SPF nor DKIM is set up for {domain}."
            }
        },
        (ReportUnknownFailing, De) => match variant {
            "own" => {
                "{failing} E-Mails als {domain} tragen Ihre eigene Domain, bestehen aber weder SPF noch DKIM ({ips} IP-Adressen): weitergeleitete E-Mails, deren Signatur dabei brach, oder Fälschungen."
            }
            "unidentified" => {
                "{failing} E-Mails als {domain} von {ips} IP-Adressen ohne DKIM-Signatur und ohne bestandenes SPF: vermutlich gefälscht. Mit p=none werden sie trotzdem zugestellt."
            }
            "unidentified-stopped" => {
                "{failing} E-Mails als {domain} von {ips} IP-Adressen ohne DKIM-Signatur und ohne bestandenes SPF: vermutlich gefälscht; Ihre DMARC-Richtlinie hält sie auf."
            }
            "stopped" => {
                "{failing} E-Mails als {domain} von {sender} ({ips} IP-Adressen) bestehen weder SPF noch DKIM: vermutlich gefälscht; Ihre DMARC-Richtlinie hält sie auf."
            }
            _ => {
                "{failing} E-Mails als {domain} von {sender} ({ips} IP-Adressen) bestehen weder SPF noch DKIM: vermutlich gefälscht. Mit p=none werden sie trotzdem zugestellt."
            }
        },
        (ReportUnknownFailing, En) => match variant {
            "own" => {
                "{failing} messages as {domain} carry your own domain but pass neither SPF nor DKIM ({ips} IP addresses): forwarded mail whose signature broke on the way, or spoofing."
            }
            "unidentified" => {
                "{failing} messages as {domain} from {ips} IP addresses without a DKIM signature or a passing SPF check: likely spoofed. With p=none they are delivered anyway."
            }
            "unidentified-stopped" => {
                "{failing} messages as {domain} from {ips} IP addresses without a DKIM signature or a passing SPF check: likely spoofed; your DMARC policy stops them."
            }
            "stopped" => {
                "{failing} messages as {domain} from {sender} ({ips} IP addresses) pass neither SPF nor DKIM: likely spoofed; your DMARC policy stops them."
            }
            _ => {
                "{failing} messages as {domain} from {sender} ({ips} IP addresses) pass neither SPF nor DKIM: likely spoofed. With p=none they are delivered anyway."
            }
        },
        (ReportAuthFailure, De) => match variant {
            "unnamed" => {
                "Fehlerbericht: {incidents} E-Mail(s) als {domain} von {ip} haben die Prüfung nicht bestanden."
            }
            _ => {
                "Fehlerbericht: {incidents} E-Mail(s) als {domain} von {ip} sind an der Prüfung „{failure}“ gescheitert."
            }
        },
        (ReportAuthFailure, En) => match variant {
            "unnamed" => {
                "Failure report: {incidents} message(s) as {domain} from {ip} failed authentication."
            }
            _ => {
                "Failure report: {incidents} message(s) as {domain} from {ip} failed the \"{failure}\" check."
            }
        },
        (ReportTlsFailures, De) => {
            "TLS-Berichte für {domain}: {failed} von {total} Verbindungen ({share} %) scheiterten an TLS ({results}; Server: {hosts})."
        }
        (ReportTlsFailures, En) => {
            "TLS reports for {domain}: {failed} of {total} sessions ({share}%) failed TLS ({results}; servers: {hosts})."
        }
        (ReportTlsOk, De) => "TLS-Berichte für {domain}: alle {total} Verbindungen mit TLS.",
        (ReportTlsOk, En) => "TLS reports for {domain}: all {total} sessions used TLS.",
        _ => return None,
    })
}

/// What to change, in one or two sentences.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, lang) {
        (ReportReadyForNextStep | ReportPolicyFinal | ReportTlsOk, _) => return None,
        (ReportUnreadable | ReportNotAReport, De) => {
            "Geben Sie die Anhänge der Berichts-E-Mails an (.xml, .xml.gz, .zip, .json, .json.gz) oder die ganzen E-Mails (.eml)."
        }
        (ReportUnreadable | ReportNotAReport, En) => {
            "Give the attachments of the report emails (.xml, .xml.gz, .zip, .json, .json.gz) or the whole emails (.eml)."
        }
        (ReportXmlMalformed | ReportJsonMalformed | ReportDecompressFailed, De) => {
            "Laden Sie die Datei noch einmal aus der E-Mail herunter; ist sie dann noch fehlerhaft, schickt der Absender des Berichts sie kaputt."
        }
        (ReportXmlMalformed | ReportJsonMalformed | ReportDecompressFailed, En) => {
            "Save the file from the email again; if it is still broken, the receiver that sent the report writes it broken."
        }
        (ReportTooLarge, De) => {
            "Entpacken Sie die Datei selbst und geben Sie die Berichte einzeln an; echte Berichte sind viel kleiner."
        }
        (ReportTooLarge, En) => {
            "Unpack the file yourself and give the reports one by one; real reports are far smaller."
        }
        (ReportDuplicate, De) => "Nichts zu tun: derselbe Bericht wurde zweimal angegeben.",
        (ReportDuplicate, En) => "Nothing to do: the same report was given twice.",
        (ReportNotReady, De) => {
            "Richten Sie die genannten Absender so ein, dass sie DMARC bestehen (DKIM mit Ihrer Domain), bevor Sie die Richtlinie verschärfen."
        }
        (ReportNotReady, En) => {
            "Set up the senders named so that they pass DMARC (DKIM as your domain) before you tighten the policy."
        }
        (ReportLegitimateFailing, De) => {
            "Richten Sie beim Dienst DKIM für Ihre eigene Domain ein (die CNAME- oder TXT-Einträge, die er nennt) und, wo er es anbietet, eine Return-Path-Domain unter Ihrer Domain."
        }
        (ReportLegitimateFailing, En) => {
            "Set up DKIM for your own domain at the service (the CNAME or TXT records it names) and, where it offers one, a return-path domain under your domain."
        }
        (ReportUnknownFailing, De) => {
            "Sind das nicht Ihre Server, ist nichts einzurichten: eine DMARC-Richtlinie quarantine oder reject hält solche E-Mails auf."
        }
        (ReportUnknownFailing, En) => {
            "If these are not your servers, there is nothing to set up: a DMARC policy of quarantine or reject stops such mail."
        }
        (ReportAuthFailure, De) => {
            "Ist die IP-Adresse Ihr Server oder Dienst, richten Sie SPF und DKIM für ihn ein; sonst ist es vermutlich eine Fälschung."
        }
        (ReportAuthFailure, En) => {
            "If the IP address is your server or service, set up SPF and DKIM for it; otherwise it is likely spoofed."
        }
        (ReportTlsFailures, De) => {
            "Prüfen Sie die Zertifikate und STARTTLS der genannten MX-Server und ob die MTA-STS-Richtlinie sie alle nennt."
        }
        (ReportTlsFailures, En) => {
            "Check the certificates and STARTTLS of the MX servers named, and whether the MTA-STS policy names them all."
        }
        _ => return None,
    })
}

/// Findings with every parameter `crate::reports` gives them, one per wording.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    if code.family() != Family::Report {
        return None;
    }
    let finding = Finding::new(code);
    let source = finding.clone().with("source", "report.zip: a.xml");
    let domain = finding
        .clone()
        .with("domain", "example.com")
        .with("policy", "none");
    let group = finding
        .clone()
        .with("domain", "example.com")
        .with("sender", "Mailjet")
        .with("failing", 30)
        .with("messages", 1000)
        .with("ips", 3)
        .with("share", "3");
    Some(match code {
        ReportUnreadable => vec![
            source.clone().with("reason", "empty"),
            source.with("reason", "format"),
        ],
        ReportNotAReport => ["xml", "json", "message"]
            .into_iter()
            .map(|kind| source.clone().with("kind", kind))
            .collect(),
        ReportXmlMalformed | ReportJsonMalformed => vec![
            source
                .with("detail", "expected `</org_name>`")
                .with("offset", 120),
        ],
        ReportDecompressFailed => vec![source.with("detail", "the gzip checksum does not match")],
        ReportTooLarge => vec![
            source.clone().with("limit", 512),
            source.with("limit", 512).with("reason", "depth"),
        ],
        ReportDuplicate => vec![
            source
                .with("org", "google.com")
                .with("report_id", "1234567890"),
        ],
        ReportReadyForNextStep => vec![
            domain
                .with("next", "quarantine")
                .with("messages", 5000)
                .with("share", "0.2"),
        ],
        ReportPolicyFinal => vec![domain.with("messages", 5000)],
        ReportNotReady => {
            let not_ready = domain
                .with("next", "quarantine")
                .with("share", "3")
                .with("senders", "Mailjet, SendGrid");
            vec![
                not_ready.clone(),
                not_ready.clone().with("reason", "final"),
                not_ready.with("reason", "no-legitimate-mail"),
            ]
        }
        ReportLegitimateFailing => vec![
            group
                .clone()
                .with("fix", "dkim")
                .with("signing_domain", "mailjet.com"),
            group
                .clone()
                .with("fix", "spf")
                .with("signing_domain", "bnc3.mailjet.com"),
            group.with("fix", "setup"),
        ],
        ReportUnknownFailing => {
            let unidentified = group.clone().with("sender", "unidentified");
            vec![
                group.clone(),
                group.clone().with("own", "yes"),
                group.with("stopped", "yes"),
                unidentified.clone(),
                unidentified.with("stopped", "yes"),
            ]
        }
        ReportAuthFailure => {
            let failure = finding
                .with("domain", "example.com")
                .with("ip", "192.0.2.7")
                .with("incidents", 2);
            vec![
                failure.clone().with("failure", "dmarc"),
                failure.with("failure", ""),
            ]
        }
        ReportTlsFailures => vec![
            finding
                .with("domain", "example.com")
                .with("failed", 303)
                .with("total", 5629)
                .with("share", "5.4")
                .with(
                    "results",
                    "starttls-not-supported 200, certificate-expired 100",
                )
                .with("hosts", "mx2.example.com 200, mx1.example.com 103"),
        ],
        ReportTlsOk => vec![finding.with("domain", "example.com").with("total", 5326)],
        _ => vec![finding],
    })
}
