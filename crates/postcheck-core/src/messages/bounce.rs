//! The German and English texts of the bounce categories (a pasted bounce, `crate::bounce`).

use super::Lang;
use crate::findings::{Code, Finding};

pub(super) fn variant(finding: &Finding) -> Option<&str> {
    finding.code.as_str().starts_with("bounce-").then_some("")
}

pub(super) fn template(code: Code, _variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, lang) {
        (BounceUserUnknown, De) => {
            "Die Empfängeradresse gibt es beim Empfänger nicht (Antwort des Servers: {reply}). Ein erneuter Versand an diese Adresse scheitert wieder."
        }
        (BounceUserUnknown, En) => {
            "The recipient address does not exist at the receiver (server's answer: {reply}). Sending to it again will fail again."
        }
        (BounceMailboxFull, De) => {
            "Das Postfach des Empfängers ist voll (Antwort des Servers: {reply}). Das liegt beim Empfänger, nicht an Ihrer Domain."
        }
        (BounceMailboxFull, En) => {
            "The recipient's mailbox is full (server's answer: {reply}). This is on the recipient's side, not your domain's."
        }
        (BounceAuthFailed, De) => {
            "Der empfangende Server hat die E-Mail abgelehnt, weil die Absenderprüfung (SPF, DKIM oder DMARC) fehlschlug (Antwort des Servers: {reply})."
        }
        (BounceAuthFailed, En) => {
            "The receiving server refused the message because sender authentication (SPF, DKIM or DMARC) failed (server's answer: {reply})."
        }
        (BounceBlocklisted, De) => {
            "Der empfangende Server lehnt den sendenden Server ab, weil dessen IP-Adresse auf einer Sperrliste steht oder einen schlechten Ruf hat (Antwort des Servers: {reply})."
        }
        (BounceBlocklisted, En) => {
            "The receiving server refuses the sending server because its IP address is on a blocklist or has a poor reputation (server's answer: {reply})."
        }
        (BounceRateLimited, De) => {
            "Der empfangende Server nimmt vorübergehend keine weiteren E-Mails an, weil zu viele in kurzer Zeit kamen (Antwort des Servers: {reply}). Der sendende Server versucht es später erneut."
        }
        (BounceRateLimited, En) => {
            "The receiving server temporarily accepts no more mail because too much arrived in a short time (server's answer: {reply}). The sending server retries later."
        }
        (BounceContentRejected, De) => {
            "Der empfangende Server hat den Inhalt der E-Mail abgelehnt – etwa als Spam, wegen eines Anhangs oder der Größe (Antwort des Servers: {reply})."
        }
        (BounceContentRejected, En) => {
            "The receiving server refused the message's content – as spam, for an attachment or its size (server's answer: {reply})."
        }
        (BounceDnsFailure, De) => {
            "Eine Domain ließ sich im DNS nicht auflösen – die des Empfängers oder die des Absenders (Antwort des Servers: {reply})."
        }
        (BounceDnsFailure, En) => {
            "A domain could not be resolved in DNS – the recipient's or the sender's (server's answer: {reply})."
        }
        (BounceRelayDenied, De) => {
            "Der Server hat die Weiterleitung abgelehnt: er nimmt für diese Empfängeradresse keine E-Mails von diesem Absender an (Antwort des Servers: {reply})."
        }
        (BounceRelayDenied, En) => {
            "The server refused to relay: it does not accept mail for this recipient from this sender (server's answer: {reply})."
        }
        (BounceOther, De) => {
            "Die E-Mail wurde nicht zugestellt; der Grund passt in keine bekannte Kategorie (Antwort des Servers: {reply})."
        }
        (BounceOther, En) => {
            "The message was not delivered; the reason fits no known category (server's answer: {reply})."
        }
        _ => return None,
    })
}

pub(super) fn hint(code: Code, lang: Lang) -> Option<Option<&'static str>> {
    use Code::*;
    use Lang::*;
    Some(Some(match (code, lang) {
        (BounceUserUnknown, De) => {
            "Prüfen Sie die Schreibweise der Adresse und entfernen Sie sie aus Ihrem Verteiler, wenn sie falsch ist (Hard Bounce)."
        }
        (BounceUserUnknown, En) => {
            "Check the address's spelling and remove it from your list if it is wrong (hard bounce)."
        }
        (BounceMailboxFull, De) => {
            "Versuchen Sie es später noch einmal oder erreichen Sie den Empfänger auf anderem Weg; bei wiederholten Soft Bounces die Adresse entfernen."
        }
        (BounceMailboxFull, En) => {
            "Try again later or reach the recipient another way; remove the address after repeated soft bounces."
        }
        (BounceAuthFailed, De) => {
            "Prüfen Sie SPF, DKIM und DMARC Ihrer Absenderdomain mit postcheck und veröffentlichen Sie die angezeigten Einträge."
        }
        (BounceAuthFailed, En) => {
            "Check SPF, DKIM and DMARC of your sender domain with postcheck and publish the records it shows."
        }
        (BounceBlocklisted, De) => {
            "Prüfen Sie die IP-Adresse des sendenden Servers (PTR-Eintrag, Sperrlisten) und beantragen Sie die Löschung bei der Liste, wenn die Ursache behoben ist."
        }
        (BounceBlocklisted, En) => {
            "Check the sending server's IP address (PTR record, blocklists) and request removal from the list once the cause is fixed."
        }
        (BounceRateLimited, De) => {
            "Nichts sofort ändern: die E-Mails werden erneut zugestellt. Dauerhaft helfen ein PTR-Eintrag, SPF, DKIM und DMARC sowie kleinere Versandmengen pro Minute."
        }
        (BounceRateLimited, En) => {
            "Nothing to change right away: the mail is retried. In the long run a PTR record, SPF, DKIM and DMARC and smaller batches per minute help."
        }
        (BounceContentRejected, De) => {
            "Prüfen Sie Inhalt, Links und Anhänge der E-Mail; eine vollständige Absenderauthentifizierung (SPF, DKIM, DMARC) senkt die Spam-Bewertung."
        }
        (BounceContentRejected, En) => {
            "Check the message's content, links and attachments; full sender authentication (SPF, DKIM, DMARC) lowers the spam score."
        }
        (BounceDnsFailure, De) => {
            "Prüfen Sie die Domain der Empfängeradresse auf Tippfehler; betrifft es Ihre Absenderdomain, prüfen Sie deren DNS-Einträge mit postcheck."
        }
        (BounceDnsFailure, En) => {
            "Check the recipient's domain for typos; if it is your sender domain, check its DNS records with postcheck."
        }
        (BounceRelayDenied, De) => {
            "Senden Sie über den für Ihre Domain vorgesehenen Server (mit Anmeldung); beim Empfänger kann auch eine Weiterleitungsregel falsch sein."
        }
        (BounceRelayDenied, En) => {
            "Send through the server meant for your domain (with login); a forwarding rule at the recipient may also be wrong."
        }
        (BounceOther, De) => {
            "Geben Sie die Meldung Ihrem Support oder IT-Dienstleister; die Antwort des Servers oben nennt den Grund."
        }
        (BounceOther, En) => {
            "Give the message to your support or IT provider; the server's answer above names the reason."
        }
        _ => return None,
    }))
}

/// One finding per code, with the parameters its template uses.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    code.as_str()
        .starts_with("bounce-")
        .then(|| vec![Finding::new(code).with("reply", "550 5.1.1")])
}
