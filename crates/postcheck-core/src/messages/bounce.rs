//! The German and English texts of the bounce categories (a pasted bounce, `crate::bounce`).

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// A delay warning (the sending server is still trying) reads differently from a delivery
/// given up; the bounce sets `delivery` to `delayed` for it.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    (finding.code.family() == Family::Bounce).then(|| {
        let delayed = finding.params.get("delivery").map(String::as_str) == Some("delayed");
        if finding.code == Code::BounceExpired && delayed {
            "delayed"
        } else {
            ""
        }
    })
}

pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, lang) {
        (BounceExpired, De) if variant == "delayed" => {
            "Die E-Mail ist noch nicht zugestellt: der sendende Server erreicht den Server des Empfängers bisher nicht oder wird von ihm zurückgestellt und versucht es weiter; gelingt es nach einigen Tagen nicht, gibt er auf (Antwort: {reply})."
        }
        (BounceExpired, En) if variant == "delayed" => {
            "The message is not delivered yet: the sending server has not reached the recipient's server so far, or is being deferred by it, and keeps trying; if that fails for some days, it gives up (answer: {reply})."
        }
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
            "Der empfangende Server nimmt zurzeit keine weiteren E-Mails an, weil zu viele in kurzer Zeit kamen (Antwort des Servers: {reply})."
        }
        (BounceRateLimited, En) => {
            "The receiving server accepts no more mail for now because too much arrived in a short time (server's answer: {reply})."
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
        (BounceMailboxDisabled, De) => {
            "Das Postfach des Empfängers gibt es, es ist aber gesperrt, stillgelegt oder deaktiviert (Antwort des Servers: {reply})."
        }
        (BounceMailboxDisabled, En) => {
            "The recipient's mailbox exists but is disabled, suspended or inactive (server's answer: {reply})."
        }
        (BouncePtrRequired, De) => {
            "Der empfangende Server verlangt für die IP-Adresse des sendenden Servers einen PTR-Eintrag (Reverse DNS), der zum Servernamen passt (Antwort des Servers: {reply})."
        }
        (BouncePtrRequired, En) => {
            "The receiving server requires a PTR record (reverse DNS) for the sending server's IP address that matches the server's name (server's answer: {reply})."
        }
        (BounceSpamContent, De) => {
            "Der Spamfilter des Empfängers hat die E-Mail wegen ihres Inhalts als Spam eingestuft (Antwort des Servers: {reply})."
        }
        (BounceSpamContent, En) => {
            "The recipient's spam filter judged the message to be spam for its content (server's answer: {reply})."
        }
        (BounceVirus, De) => {
            "Der empfangende Server hat in der E-Mail einen Virus oder Schadcode gefunden oder vermutet (Antwort des Servers: {reply})."
        }
        (BounceVirus, En) => {
            "The receiving server found or suspected a virus or malware in the message (server's answer: {reply})."
        }
        (BounceMessageTooLarge, De) => {
            "Die E-Mail ist größer, als der empfangende Server annimmt (Antwort des Servers: {reply})."
        }
        (BounceMessageTooLarge, En) => {
            "The message is larger than the receiving server accepts (server's answer: {reply})."
        }
        (BounceHostUnknown, De) => {
            "Die Domain der Empfängeradresse oder ihr Mailserver existiert nicht (Antwort des Servers: {reply}). Ein erneuter Versand an diese Adresse scheitert wieder."
        }
        (BounceHostUnknown, En) => {
            "The recipient address's domain or its mail server does not exist (server's answer: {reply}). Sending to it again will fail again."
        }
        (BounceNoMailAccepted, De) => {
            "Die Domain der Empfängeradresse nimmt ausdrücklich keine E-Mails an (Null-MX-Eintrag, RFC 7505; Antwort des Servers: {reply})."
        }
        (BounceNoMailAccepted, En) => {
            "The recipient address's domain explicitly accepts no mail (null MX record, RFC 7505; server's answer: {reply})."
        }
        (BounceNetworkError, De) => {
            "Der Mailserver des Empfängers war nicht erreichbar: die Verbindung wurde abgelehnt, lief in eine Zeitüberschreitung oder in eine Schleife (Antwort: {reply})."
        }
        (BounceNetworkError, En) => {
            "The recipient's mail server could not be reached: the connection was refused, timed out or looped (answer: {reply})."
        }
        (BounceExpired, De) => {
            "Der sendende Server hat nach tagelangen Zustellversuchen aufgegeben; der Server des Empfängers war so lange nicht erreichbar oder hat die E-Mail immer wieder zurückgestellt (Antwort: {reply})."
        }
        (BounceExpired, En) => {
            "The sending server gave up after trying for days; the recipient's server could not be reached or kept deferring the message (answer: {reply})."
        }
        (BounceSenderRejected, De) => {
            "Der empfangende Server hat die Absenderadresse abgelehnt – etwa weil deren Domain im DNS nicht auflösbar ist oder der Absender dort gesperrt ist (Antwort des Servers: {reply})."
        }
        (BounceSenderRejected, En) => {
            "The receiving server refused the sender address – for instance because its domain does not resolve in DNS or the sender is refused there (server's answer: {reply})."
        }
        (BounceEmpty, De) => {
            "Nichts zu erklären: der eingefügte Text enthält keine Unzustellbarkeitsnachricht (er ist leer, enthält nur Kopfzeilen oder sagt nichts von einer gescheiterten Zustellung). Fügen Sie die ganze Nachricht mit ihrem Text ein."
        }
        (BounceEmpty, En) => {
            "Nothing to explain: the pasted text holds no bounce (it is empty, holds header fields only, or says nothing of a failed delivery). Paste the whole message with its text."
        }
        (BounceAutoReply, De) => {
            "Das ist eine automatische Antwort (etwa eine Abwesenheitsnotiz), keine Unzustellbarkeitsnachricht: die E-Mail wurde zugestellt."
        }
        (BounceAutoReply, En) => {
            "This is an automatic reply (such as an out-of-office notice), not a bounce: the message was delivered."
        }
        (BounceComplaint, De) => {
            "Das ist eine Beschwerde (ein Feedback-Report), keine Unzustellbarkeitsnachricht: die E-Mail wurde zugestellt, und der Empfänger hat sie als Spam markiert."
        }
        (BounceComplaint, En) => {
            "This is a complaint (a feedback report), not a bounce: the message was delivered, and the recipient marked it as spam."
        }
        (BounceDelivered, De) => {
            "Dieser Zustellbericht meldet die E-Mail als zugestellt oder weitergegeben: kein Fehler."
        }
        (BounceDelivered, En) => {
            "This delivery report says the message was delivered or passed on: no failure."
        }
        _ => return None,
    })
}

pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, lang) {
        (BounceUserUnknown, De) => {
            "Prüfen Sie die Schreibweise der Adresse und entfernen Sie sie aus Ihrem Verteiler, wenn sie falsch ist (Hard Bounce)."
        }
        (BounceUserUnknown, En) => {
            "Check the address's spelling and remove it from your list if it is wrong (hard bounce)."
        }
        (BounceMailboxFull, De) => {
            "Der Empfänger muss Platz schaffen: informieren Sie ihn auf anderem Weg und senden Sie erst danach erneut; kommt die Meldung immer wieder, die Adresse entfernen."
        }
        (BounceMailboxFull, En) => {
            "The recipient must make room: tell them another way and send again only after that; if it keeps bouncing, remove the address."
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
            "Eine vorübergehende Ablehnung (4xx) wiederholt der sendende Server selbst; bei einer dauerhaften (5xx) später in kleineren Mengen erneut senden. Dauerhaft helfen ein PTR-Eintrag, SPF, DKIM und DMARC sowie kleinere Versandmengen pro Minute."
        }
        (BounceRateLimited, En) => {
            "A temporary refusal (4xx) is retried by the sending server itself; after a permanent one (5xx) send again later in smaller batches. In the long run a PTR record, SPF, DKIM and DMARC and smaller batches per minute help."
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
        (BounceMailboxDisabled, De) => {
            "Erreichen Sie den Empfänger auf anderem Weg und fragen Sie nach einer gültigen Adresse; bleibt das Postfach gesperrt, entfernen Sie die Adresse aus dem Verteiler."
        }
        (BounceMailboxDisabled, En) => {
            "Reach the recipient another way and ask for an address that works; if the mailbox stays disabled, remove it from your list."
        }
        (BouncePtrRequired, De) => {
            "Lassen Sie beim Betreiber der IP-Adresse (Hoster, Provider) einen PTR-Eintrag auf den Namen des Mailservers setzen, dessen A-Eintrag wieder auf die IP zeigt; prüfen Sie die IP mit postcheck."
        }
        (BouncePtrRequired, En) => {
            "Have the owner of the IP address (hoster, provider) set a PTR record to the mail server's name, whose A record points back to the IP; check the IP with postcheck."
        }
        (BounceSpamContent, De) => {
            "Prüfen Sie Betreff, Text, Links und Anhänge auf typische Spam-Merkmale; vollständiges SPF, DKIM und DMARC Ihrer Absenderdomain senkt die Spam-Bewertung."
        }
        (BounceSpamContent, En) => {
            "Check subject, text, links and attachments for typical spam traits; complete SPF, DKIM and DMARC for your sender domain lowers the spam score."
        }
        (BounceVirus, De) => {
            "Prüfen Sie den sendenden Rechner und die Anhänge auf Schadsoftware; senden Sie die Datei nicht erneut, sondern z. B. als Link oder in einem anderen Format."
        }
        (BounceVirus, En) => {
            "Check the sending computer and the attachments for malware; do not send the file again as it is, share it as a link or in another format."
        }
        (BounceMessageTooLarge, De) => {
            "Verkleinern Sie die Anhänge oder senden Sie sie als Link; viele Server nehmen höchstens 10–25 MB an."
        }
        (BounceMessageTooLarge, En) => {
            "Make the attachments smaller or share them as a link; many servers accept at most 10–25 MB."
        }
        (BounceHostUnknown, De) => {
            "Prüfen Sie die Domain der Empfängeradresse auf Tippfehler (z. B. gmail.con); ist sie richtig, hat sie keinen funktionierenden Mailserver."
        }
        (BounceHostUnknown, En) => {
            "Check the recipient's domain for typos (e.g. gmail.con); if it is right, it has no working mail server."
        }
        (BounceNoMailAccepted, De) => {
            "An diese Domain lässt sich keine E-Mail senden; fragen Sie den Empfänger nach einer anderen Adresse und entfernen Sie diese aus dem Verteiler."
        }
        (BounceNoMailAccepted, En) => {
            "No mail can be sent to this domain; ask the recipient for another address and remove this one from your list."
        }
        (BounceNetworkError, De) => {
            "Meist eine Störung beim Empfänger: der sendende Server versucht es erneut. Hält sie an, den Empfänger auf anderem Weg informieren; dessen MX-Einträge lassen sich mit postcheck prüfen."
        }
        (BounceNetworkError, En) => {
            "Usually a fault at the recipient's side: the sending server retries. If it persists, tell the recipient another way; their MX records can be checked with postcheck."
        }
        (BounceExpired, De) => {
            "Ist es nur eine Verzögerungswarnung, nichts erneut senden: der sendende Server versucht es weiter und meldet sich, wenn er aufgibt. Hat er aufgegeben, senden Sie die E-Mail später erneut; scheitert es wieder, ist der Mailserver des Empfängers gestört oder lehnt Sie dauerhaft ab – fragen Sie dort nach."
        }
        (BounceExpired, En) => {
            "If it is only a delay warning, do not send again: the sending server keeps trying and reports if it gives up. If it gave up, send the message again later; if it fails again, the recipient's mail server is broken or keeps refusing you – ask them."
        }
        (BounceSenderRejected, De) => {
            "Prüfen Sie, ob Ihre Absenderdomain im DNS existiert und MX- bzw. A-Einträge hat, und ob Sie über den richtigen Server senden; prüfen Sie die Domain mit postcheck."
        }
        (BounceSenderRejected, En) => {
            "Check that your sender domain exists in DNS with MX or A records and that you send through the right server; check the domain with postcheck."
        }
        (BounceEmpty, De) => {
            "Kopieren Sie die vollständige Unzustellbarkeitsnachricht (in vielen Programmen: Original anzeigen / Quelltext) und fügen Sie sie erneut ein."
        }
        (BounceEmpty, En) => {
            "Copy the complete bounce message (in many programs: show original / view source) and paste it again."
        }
        (BounceAutoReply, De) => {
            "Nichts zu tun: die Adresse funktioniert. Lassen Sie sie im Verteiler; die Person liest die E-Mail, wenn sie zurück ist."
        }
        (BounceAutoReply, En) => {
            "Nothing to do: the address works. Keep it in your list; the person reads the message when back."
        }
        (BounceComplaint, De) => {
            "Senden Sie diesem Empfänger keine solchen E-Mails mehr (tragen Sie die Adresse aus); viele Beschwerden schaden dem Ruf Ihrer Domain und Ihres Sendeservers."
        }
        (BounceComplaint, En) => {
            "Send this recipient no more such messages (unsubscribe the address); many complaints harm the reputation of your domain and sending server."
        }
        (BounceDelivered, De) => "Nichts zu tun: die E-Mail ist angekommen.",
        (BounceDelivered, En) => "Nothing to do: the message arrived.",
        _ => return None,
    })
}

/// One finding per code, with the parameters its template uses.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    (code.family() == Family::Bounce).then(|| {
        let mut examples = vec![Finding::new(code).with("reply", "550 5.1.1")];
        if code == Code::BounceExpired {
            examples.push(
                Finding::new(code)
                    .with("reply", "451 4.4.1")
                    .with("delivery", "delayed"),
            );
        }
        examples
    })
}
