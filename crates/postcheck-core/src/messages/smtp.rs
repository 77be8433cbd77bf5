//! The German and English texts of the SMTP settings codes (`crate::smtp::explain`): port and
//! encryption, certificates, login, sender, relay and limits. The hints say who acts: the
//! customer in the settings of their program, their mail provider, or the program's vendor.

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// Which wording of a code's message fits the finding's parameters; `""` is the usual one.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    use Code::*;
    if finding.code.family() != Family::Smtp {
        return None;
    }
    Some(match finding.code {
        SmtpOk => match finding.param("reached") {
            "auth" => "auth",
            "connect" => "connect",
            _ => "",
        },
        SmtpNoGreeting if finding.param("reason") == "closed" => "closed",
        SmtpPlaintextOnTlsPort if finding.param("security") == "STARTTLS" => "starttls",
        SmtpUnencrypted => match finding.param("starttls") {
            "offered" => "offered",
            "required" => "required",
            _ => "",
        },
        SmtpAuthNotOffered if finding.param("after_tls") == "false" => "plain",
        SmtpM365AuthDisabled => match finding.param("reason") {
            "security-defaults" => "security-defaults",
            "policy" => "policy",
            "not-authenticated" => "not-authenticated",
            _ => "",
        },
        SmtpTemporaryFailure if !finding.param("step").is_empty() => "step",
        _ => "",
    })
}

/// The message template of a code in one wording and language.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (SmtpOk, "auth", De) => {
            "Port {port} mit {security} funktioniert: Die Verbindung ist mit {tls} verschlüsselt, und die Anmeldung wurde angenommen. Eine Test-E-Mail wurde nicht gesendet."
        }
        (SmtpOk, "auth", En) => {
            "Port {port} with {security} works: the connection is encrypted with {tls} and the login was accepted. No test mail was sent."
        }
        (SmtpOk, "connect", De) => {
            "Der Server antwortet auf Port {port} mit {security} und verschlüsselt die Verbindung mit {tls}. Eine Anmeldung wurde nicht versucht."
        }
        (SmtpOk, "connect", En) => {
            "The server answers on port {port} with {security} and encrypts the connection with {tls}. No login was tried."
        }
        (SmtpOk, _, De) => {
            "Port {port} mit {security} funktioniert: Die Verbindung ist mit {tls} verschlüsselt, die Anmeldung wurde angenommen und die Test-E-Mail zur Zustellung übernommen."
        }
        (SmtpOk, _, En) => {
            "Port {port} with {security} works: the connection is encrypted with {tls}, the login was accepted and the test mail was taken for delivery."
        }
        (SmtpHostUnknown, _, De) => {
            "Den Servernamen {host} gibt es nicht (er hat keine IP-Adresse). Ihr Programm kann den Server so nicht erreichen."
        }
        (SmtpHostUnknown, _, En) => {
            "The server name {host} does not exist (it has no IP address), so your program cannot reach the server."
        }
        (SmtpConnectRefused, _, De) => {
            "Der Server lehnt Verbindungen auf Port {port} ab: Dort nimmt kein Dienst E-Mails entgegen."
        }
        (SmtpConnectRefused, _, En) => {
            "The server refuses connections on port {port}: no service takes mail there."
        }
        (SmtpConnectTimeout, _, De) => {
            "Auf Port {port} kam keine Antwort. Ob die Einstellungen stimmen, konnte daher nicht geprüft werden: Eine Firewall kann die Verbindung verwerfen, oder der Server ist gerade nicht erreichbar."
        }
        (SmtpConnectTimeout, _, En) => {
            "There was no answer on port {port}, so whether the settings are right could not be verified: a firewall may drop the connection, or the server may be unreachable right now."
        }
        (SmtpPort25Blocked, _, De) => {
            "Auf Port {port} kam keine Antwort. Viele Internet- und Hosting-Anbieter sperren ausgehende Verbindungen auf Port 25, weil er für E-Mails zwischen Mailservern gedacht ist, nicht für den Versand aus Programmen."
        }
        (SmtpPort25Blocked, _, En) => {
            "There was no answer on port {port}. Many internet and hosting providers block outgoing connections on port 25, because it is meant for mail between mail servers, not for sending from programs."
        }
        (SmtpPort25Used, _, De) => {
            "Port {port} funktioniert von hier aus, ist aber für E-Mails zwischen Mailservern gedacht. Viele Netze sperren ihn, und viele Anbieter nehmen dort keine Anmeldung an."
        }
        (SmtpPort25Used, _, En) => {
            "Port {port} works from here, but it is meant for mail between mail servers. Many networks block it, and many providers accept no login there."
        }
        (SmtpNoGreeting, "closed", De) => {
            "Der Server auf Port {port} hat die Verbindung geschlossen, bevor er sich gemeldet hat. Ob die Einstellungen stimmen, konnte daher nicht geprüft werden."
        }
        (SmtpNoGreeting, "closed", En) => {
            "The server on port {port} closed the connection before it greeted, so whether the settings are right could not be verified."
        }
        (SmtpNoGreeting, _, De) => {
            "Die Verbindung auf Port {port} kam zustande, aber der Server hat sich nicht gemeldet. Ob die Einstellungen stimmen, konnte daher nicht geprüft werden."
        }
        (SmtpNoGreeting, _, En) => {
            "The connection on port {port} was made, but the server did not greet, so whether the settings are right could not be verified."
        }
        (SmtpConnectionRejected, _, De) => {
            "Der Server hat die Verbindung gleich zu Beginn abgelehnt (Antwort des Servers: {reply}). Oft sperrt er damit die IP-Adresse, von der aus verbunden wurde."
        }
        (SmtpConnectionRejected, _, En) => {
            "The server refused the connection right at the start (server's answer: {reply}). This often means it blocks the IP address the connection came from."
        }
        (SmtpConnectionLost, _, De) => {
            "Die Verbindung brach bei „{step}“ ab. Ob die Einstellungen stimmen, konnte daher nicht vollständig geprüft werden."
        }
        (SmtpConnectionLost, _, En) => {
            "The connection broke off at \"{step}\", so whether the settings are right could not be fully verified."
        }
        (SmtpPlaintextOnTlsPort, "starttls", De) => {
            "Port {port} erwartet eine Verschlüsselung ab dem ersten Byte (SSL/TLS), eingestellt ist aber STARTTLS. Der Server wartet deshalb vergeblich auf die Verschlüsselung, und der Versand scheitert."
        }
        (SmtpPlaintextOnTlsPort, "starttls", En) => {
            "Port {port} expects encryption from the first byte (SSL/TLS), but STARTTLS is set. The server waits for encryption in vain, and sending fails."
        }
        (SmtpPlaintextOnTlsPort, _, De) => {
            "Port {port} erwartet eine Verschlüsselung ab dem ersten Byte (SSL/TLS), eingestellt ist aber keine Verschlüsselung. Der Server wartet deshalb vergeblich auf die Verschlüsselung, und der Versand scheitert."
        }
        (SmtpPlaintextOnTlsPort, _, En) => {
            "Port {port} expects encryption from the first byte (SSL/TLS), but no encryption is set. The server waits for encryption in vain, and sending fails."
        }
        (SmtpTlsOnStarttlsPort, _, De) => {
            "Eingestellt ist SSL/TLS (Verschlüsselung ab dem ersten Byte), Port {port} erwartet aber STARTTLS: Dort beginnt der Server unverschlüsselt und schaltet die Verschlüsselung erst auf Anfrage ein. Die Verbindung scheitert deshalb."
        }
        (SmtpTlsOnStarttlsPort, _, En) => {
            "SSL/TLS (encryption from the first byte) is set, but port {port} expects STARTTLS: there the server starts unencrypted and switches encryption on when asked. The connection therefore fails."
        }
        (SmtpTlsFailed, _, De) => {
            "Die verschlüsselte Verbindung (TLS) kam nicht zustande: {reason}."
        }
        (SmtpTlsFailed, _, En) => "The encrypted connection (TLS) could not be set up: {reason}.",
        (SmtpTlsNotAccepted, _, De) => {
            "Die Verbindung ist zustande gekommen, aber die Verschlüsselung (TLS) des Servers wurde nicht angenommen: Sein Zertifikat ist abgelaufen, gilt für einen anderen Namen oder stammt von keiner anerkannten Stelle, oder er beherrscht nur veraltetes TLS. Programme, die Zertifikate prüfen, brechen hier ebenfalls ab."
        }
        (SmtpTlsNotAccepted, _, En) => {
            "The connection was made, but the server's encryption (TLS) was not accepted: its certificate has expired, is for another name or does not come from a recognized authority, or it offers only outdated TLS. Programs that check certificates stop here too."
        }
        (SmtpTlsOutdated, _, De) => {
            "Der Server verschlüsselt nur mit {version}. Diese Version gilt als unsicher, und aktuelle Programme bauen solche Verbindungen nicht mehr auf."
        }
        (SmtpTlsOutdated, _, En) => {
            "The server encrypts only with {version}. That version is considered insecure, and current programs no longer make such connections."
        }
        (SmtpCertificateNameMismatch, _, De) => {
            "Das Zertifikat des Servers gilt für {names}, nicht für {host}. Ihr Programm kann so nicht sicher sein, mit dem richtigen Server verbunden zu sein, und bricht ab."
        }
        (SmtpCertificateNameMismatch, _, En) => {
            "The server's certificate is for {names}, not for {host}. Your program cannot be sure it reached the right server, and stops."
        }
        (SmtpCertificateExpired, _, De) => {
            "Das Zertifikat des Servers ist abgelaufen (gültig bis {not_after}). Programme, die Zertifikate prüfen, brechen den Versand ab."
        }
        (SmtpCertificateExpired, _, En) => {
            "The server's certificate has expired (valid until {not_after}). Programs that check certificates stop sending."
        }
        (SmtpCertificateUntrusted, _, De) => {
            "Das Zertifikat des Servers stammt von keiner vertrauenswürdigen Stelle ({reason}). Programme, die Zertifikate prüfen, brechen den Versand ab."
        }
        (SmtpCertificateUntrusted, _, En) => {
            "The server's certificate does not come from a trusted authority ({reason}). Programs that check certificates stop sending."
        }
        (SmtpStarttlsNotOffered, _, De) => {
            "Eingestellt ist STARTTLS, aber der Server bietet auf Port {port} keine Verschlüsselung an. Ihr Programm bricht dann ab oder sendet Passwort und E-Mails unverschlüsselt."
        }
        (SmtpStarttlsNotOffered, _, En) => {
            "STARTTLS is set, but the server offers no encryption on port {port}. Your program then stops, or sends the password and the mail unencrypted."
        }
        (SmtpStarttlsRefused, _, De) => {
            "Der Server hat STARTTLS abgelehnt (Antwort des Servers: {reply}). Die Verbindung bleibt unverschlüsselt."
        }
        (SmtpStarttlsRefused, _, En) => {
            "The server refused STARTTLS (server's answer: {reply}). The connection stays unencrypted."
        }
        (SmtpUnencrypted, "offered", De) => {
            "In den Einstellungen ist keine Verschlüsselung eingestellt, obwohl der Server STARTTLS anbietet. Benutzername, Passwort und E-Mails gehen lesbar über das Netz."
        }
        (SmtpUnencrypted, "offered", En) => {
            "No encryption is set, although the server offers STARTTLS. The user name, the password and the mail cross the network readable."
        }
        (SmtpUnencrypted, "required", De) => {
            "Der Server nimmt Anmeldung und E-Mails nur über eine verschlüsselte Verbindung an, eingestellt ist aber keine Verschlüsselung (Antwort des Servers: {reply})."
        }
        (SmtpUnencrypted, "required", En) => {
            "The server takes logins and mail only over an encrypted connection, but no encryption is set (server's answer: {reply})."
        }
        (SmtpUnencrypted, _, De) => {
            "In den Einstellungen ist keine Verschlüsselung eingestellt. Benutzername, Passwort und E-Mails gehen lesbar über das Netz."
        }
        (SmtpUnencrypted, _, En) => {
            "No encryption is set. The user name, the password and the mail cross the network readable."
        }
        (SmtpAuthAfterTls, _, De) => {
            "Der Server bietet die Anmeldung erst an, wenn die Verbindung mit STARTTLS verschlüsselt ist. Das ist üblich und richtig: So geht das Passwort nie unverschlüsselt über das Netz."
        }
        (SmtpAuthAfterTls, _, En) => {
            "The server offers the login only once the connection is encrypted with STARTTLS. That is usual and right: the password never crosses the network unencrypted."
        }
        (SmtpAuthNotOffered, "plain", De) => {
            "Der Server bietet auf Port {port} über die unverschlüsselte Verbindung keine Anmeldung an. Viele Server bieten sie erst an, wenn die Verbindung mit STARTTLS verschlüsselt ist."
        }
        (SmtpAuthNotOffered, "plain", En) => {
            "The server offers no login on port {port} over the unencrypted connection. Many servers offer it only once the connection is encrypted with STARTTLS."
        }
        (SmtpAuthNotOffered, _, De) => {
            "Der Server bietet auf Port {port} keine Anmeldung an. So verhält sich meist ein Empfangsserver (MX): Er nimmt E-Mails für seine eigenen Postfächer an, aber keine zum Versand."
        }
        (SmtpAuthNotOffered, _, En) => {
            "The server offers no login on port {port}. That is how a receiving server (MX) usually behaves: it takes mail for its own mailboxes, but none to send on."
        }
        (SmtpAuthRequired, _, De) => {
            "Der Server nimmt E-Mails nur nach einer Anmeldung an, und es fand keine statt (Antwort des Servers: {reply})."
        }
        (SmtpAuthRequired, _, En) => {
            "The server takes mail only after a login, and there was none (server's answer: {reply})."
        }
        (SmtpAuthFailed, _, De) => {
            "Der Server hat Benutzername oder Passwort nicht angenommen (Antwort des Servers: {reply})."
        }
        (SmtpAuthFailed, _, En) => {
            "The server did not accept the user name or the password (server's answer: {reply})."
        }
        (SmtpM365AuthDisabled, "security-defaults", De) => {
            "Microsoft 365 hat die Anmeldung abgelehnt: Die Sicherheitsstandards (Security Defaults) Ihrer Organisation sperren die Anmeldung mit Benutzername und Passwort (Antwort des Servers: {reply})."
        }
        (SmtpM365AuthDisabled, "security-defaults", En) => {
            "Microsoft 365 refused the login: your organization's security defaults block logins with user name and password (server's answer: {reply})."
        }
        (SmtpM365AuthDisabled, "policy", De) => {
            "Microsoft 365 hat die Anmeldung abgelehnt, obwohl das Passwort stimmen kann: Eine Regel Ihrer Organisation, etwa die Anmeldung in mehreren Schritten oder ein bedingter Zugriff, sperrt die Anmeldung mit Benutzername und Passwort (Antwort des Servers: {reply})."
        }
        (SmtpM365AuthDisabled, "policy", En) => {
            "Microsoft 365 refused the login, although the password may be right: a rule of your organization, such as multi-factor authentication or conditional access, blocks logins with user name and password (server's answer: {reply})."
        }
        (SmtpM365AuthDisabled, "not-authenticated", De) => {
            "Microsoft 365 nimmt E-Mails nur nach einer erfolgreichen Anmeldung an, und es fand keine statt (Antwort des Servers: {reply}). Meist ist SMTP AUTH für das Postfach ausgeschaltet, oder Ihr Programm meldet sich nicht an."
        }
        (SmtpM365AuthDisabled, "not-authenticated", En) => {
            "Microsoft 365 takes mail only after a successful login, and there was none (server's answer: {reply}). Usually SMTP AUTH is switched off for the mailbox, or your program does not log in."
        }
        (SmtpM365AuthDisabled, _, De) => {
            "Microsoft 365 hat die Anmeldung abgelehnt, weil SMTP AUTH (die Anmeldung mit Benutzername und Passwort zum Versand) für Ihre Organisation oder dieses Postfach ausgeschaltet ist (Antwort des Servers: {reply})."
        }
        (SmtpM365AuthDisabled, _, En) => {
            "Microsoft 365 refused the login because SMTP AUTH (logging in with user name and password to send) is switched off for your organization or this mailbox (server's answer: {reply})."
        }
        (SmtpAppPasswordRequired, _, De) => {
            "Ihr E-Mail-Anbieter verlangt für Programme ein App-Passwort statt Ihres normalen Passworts, weil Ihr Konto die Anmeldung in zwei Schritten nutzt (Antwort des Servers: {reply})."
        }
        (SmtpAppPasswordRequired, _, En) => {
            "Your mail provider wants an app password for programs instead of your usual password, because your account uses two-step verification (server's answer: {reply})."
        }
        (SmtpSenderRefused, _, De) => {
            "Der Server hat die Absenderadresse abgelehnt (Antwort des Servers: {reply}). Meist darf das angemeldete Konto nicht unter dieser Adresse senden."
        }
        (SmtpSenderRefused, _, En) => {
            "The server refused the sender address (server's answer: {reply}). Usually the account that logged in may not send as this address."
        }
        (SmtpRelayDenied, _, De) => {
            "Der Server weigert sich, die E-Mail an eine fremde Domain weiterzuleiten (Antwort des Servers: {reply}). So antworten Server, die den Absender nicht als ihren Kunden erkennen: Die Anmeldung fehlt, oder es ist der falsche Server."
        }
        (SmtpRelayDenied, _, En) => {
            "The server refuses to pass the mail on to another domain (server's answer: {reply}). Servers answer this way when they do not recognize the sender as their customer: the login is missing, or it is the wrong server."
        }
        (SmtpRecipientRefused, _, De) => {
            "Der Server hat die Empfängeradresse der Test-E-Mail abgelehnt (Antwort des Servers: {reply}). Das liegt meist an der Adresse, nicht an den Einstellungen."
        }
        (SmtpRecipientRefused, _, En) => {
            "The server refused the recipient address of the test mail (server's answer: {reply}). That is usually down to the address, not the settings."
        }
        (SmtpMessageRefused, _, De) => {
            "Der Server hat die Test-E-Mail selbst abgelehnt, nachdem er die Adressen angenommen hatte (Antwort des Servers: {reply}). Oft hält ein Spamfilter sie für verdächtig."
        }
        (SmtpMessageRefused, _, En) => {
            "The server refused the test mail itself after it had accepted the addresses (server's answer: {reply}). Often a spam filter finds it suspicious."
        }
        (SmtpRateLimited, _, De) => {
            "Der Server begrenzt, wie viele E-Mails dieses Konto in einer Zeitspanne senden darf, und nimmt gerade keine weiteren an (Antwort des Servers: {reply})."
        }
        (SmtpRateLimited, _, En) => {
            "The server limits how much mail this account may send in a period, and takes no more for now (server's answer: {reply})."
        }
        (SmtpTemporaryFailure, "step", De) => {
            "Der Server hat bei „{step}“ vorübergehend abgelehnt (Antwort des Servers: {reply}). Ob die Einstellungen stimmen, konnte daher nicht geprüft werden."
        }
        (SmtpTemporaryFailure, "step", En) => {
            "The server temporarily refused at \"{step}\" (server's answer: {reply}), so whether the settings are right could not be verified."
        }
        (SmtpTemporaryFailure, _, De) => {
            "Der Server hat die Verbindung vorübergehend abgelehnt (Antwort des Servers: {reply}). Ob die Einstellungen stimmen, konnte daher nicht geprüft werden."
        }
        (SmtpTemporaryFailure, _, En) => {
            "The server temporarily refused the connection (server's answer: {reply}), so whether the settings are right could not be verified."
        }
        _ => return None,
    })
}

/// What to change, and who does it, in one or two sentences; `None` for codes that need no
/// action.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (SmtpOk, _) => return None,
        (SmtpHostUnknown, De) => {
            "Prüfen Sie in den Einstellungen die Schreibweise des Postausgangsservers (SMTP-Server). Den richtigen Namen nennt Ihr E-Mail-Anbieter in seiner Hilfe."
        }
        (SmtpHostUnknown, En) => {
            "Check the spelling of the outgoing mail server (SMTP server) in the settings. Your mail provider names the right one in its help pages."
        }
        (SmtpConnectRefused, De) => {
            "Stellen Sie den Port ein, den Ihr E-Mail-Anbieter nennt: meist 587 mit STARTTLS oder 465 mit SSL/TLS. Stimmt der Port, prüfen Sie den Servernamen."
        }
        (SmtpConnectRefused, En) => {
            "Set the port your mail provider names: usually 587 with STARTTLS or 465 with SSL/TLS. If the port is right, check the server name."
        }
        (SmtpConnectTimeout, De) => {
            "Prüfen Sie Servername und Port und versuchen Sie es später noch einmal. Bleibt es dabei, fragen Sie Ihren IT-Dienstleister, ob eine Firewall ausgehende Verbindungen auf diesem Port sperrt."
        }
        (SmtpConnectTimeout, En) => {
            "Check the server name and port and try again later. If it persists, ask your IT service whether a firewall blocks outgoing connections on this port."
        }
        (SmtpPort25Blocked, De) => {
            "Stellen Sie Port 587 mit STARTTLS ein (oder 465 mit SSL/TLS, wenn Ihr E-Mail-Anbieter ihn nennt) und schalten Sie die Anmeldung mit Benutzername und Passwort ein."
        }
        (SmtpPort25Blocked, En) => {
            "Set port 587 with STARTTLS (or 465 with SSL/TLS if your mail provider names it) and switch on the login with user name and password."
        }
        (SmtpPort25Used, De) => {
            "Stellen Sie nach Möglichkeit Port 587 mit STARTTLS oder 465 mit SSL/TLS ein; dann funktioniert der Versand auch aus Netzen, die Port 25 sperren."
        }
        (SmtpPort25Used, En) => {
            "Where you can, set port 587 with STARTTLS or 465 with SSL/TLS; then sending also works from networks that block port 25."
        }
        (SmtpNoGreeting, De) => {
            "Versuchen Sie es später noch einmal. Bleibt es dabei, fragen Sie Ihren E-Mail-Anbieter, ob er Verbindungen von Ihrer IP-Adresse sperrt."
        }
        (SmtpNoGreeting, En) => {
            "Try again later. If it persists, ask your mail provider whether it blocks connections from your IP address."
        }
        (SmtpConnectionRejected, De) => {
            "Prüfen Sie, ob der Postausgangsserver Ihres E-Mail-Anbieters eingetragen ist. Stimmt er, fragen Sie Ihren E-Mail-Anbieter mit der Antwort des Servers, warum er die Verbindung ablehnt."
        }
        (SmtpConnectionRejected, En) => {
            "Check that your mail provider's outgoing server is set. If it is, ask your mail provider, with the server's answer, why it refuses the connection."
        }
        (SmtpConnectionLost, De) => {
            "Versuchen Sie es später noch einmal. Bricht die Verbindung immer an derselben Stelle ab, nennen Sie diese Ihrem E-Mail-Anbieter."
        }
        (SmtpConnectionLost, En) => {
            "Try again later. If the connection always breaks off at the same point, tell your mail provider which one."
        }
        (SmtpPlaintextOnTlsPort, De) => {
            "Stellen Sie bei Port 465 die Verschlüsselung „SSL/TLS“ ein, oder wechseln Sie zu Port 587 mit STARTTLS."
        }
        (SmtpPlaintextOnTlsPort, En) => {
            "With port 465, set the encryption to \"SSL/TLS\", or change to port 587 with STARTTLS."
        }
        (SmtpTlsOnStarttlsPort, De) => {
            "Stellen Sie bei Port 587 die Verschlüsselung „STARTTLS“ ein, oder wechseln Sie zu Port 465 mit SSL/TLS. Manche Programme nennen STARTTLS „TLS“ und SSL/TLS „SSL“."
        }
        (SmtpTlsOnStarttlsPort, En) => {
            "With port 587, set the encryption to \"STARTTLS\", or change to port 465 with SSL/TLS. Some programs call STARTTLS \"TLS\" and SSL/TLS \"SSL\"."
        }
        (SmtpTlsFailed, De) => {
            "Prüfen Sie die Verschlüsselung in den Einstellungen (SSL/TLS bei Port 465, STARTTLS bei Port 587). Stimmt sie, beherrscht vermutlich Ihr Programm kein aktuelles TLS: Fragen Sie dessen Hersteller nach einem Update."
        }
        (SmtpTlsFailed, En) => {
            "Check the encryption in the settings (SSL/TLS with port 465, STARTTLS with port 587). If it is right, your program probably lacks current TLS: ask its vendor for an update."
        }
        (SmtpTlsNotAccepted, De) => {
            "Welcher der Gründe es ist, zeigt „postcheck smtp SERVER:PORT“ auf der Kommandozeile. Zu beheben ist es beim Betreiber des Servers: Fragen Sie Ihren E-Mail-Anbieter. Schalten Sie die Zertifikatsprüfung in Ihrem Programm nicht ab."
        }
        (SmtpTlsNotAccepted, En) => {
            "\"postcheck smtp SERVER:PORT\" on the command line shows which of the reasons it is. The server's operator has to fix it: ask your mail provider. Do not switch off certificate checks in your program."
        }
        (SmtpTlsOutdated, De) => {
            "Bitten Sie Ihren E-Mail-Anbieter, TLS 1.2 oder neuer einzuschalten. Nutzen Sie bis dahin nach Möglichkeit einen anderen Postausgangsserver."
        }
        (SmtpTlsOutdated, En) => {
            "Ask your mail provider to switch on TLS 1.2 or later. Until then, use another outgoing server where you can."
        }
        (SmtpCertificateNameMismatch, De) => {
            "Tragen Sie als Postausgangsserver einen der Namen aus dem Zertifikat ein, meist den Servernamen Ihres E-Mail-Anbieters (etwa „smtp.anbieter.de“ statt „mail.ihre-domain.de“)."
        }
        (SmtpCertificateNameMismatch, En) => {
            "Set one of the certificate's names as the outgoing server, usually your mail provider's server name (such as \"smtp.provider.com\" instead of \"mail.your-domain.com\")."
        }
        (SmtpCertificateExpired, De) => {
            "Das muss der Betreiber des Servers beheben: Bitten Sie Ihren E-Mail-Anbieter, das Zertifikat zu erneuern. Schalten Sie die Zertifikatsprüfung in Ihrem Programm nicht ab."
        }
        (SmtpCertificateExpired, En) => {
            "The server's operator has to fix this: ask your mail provider to renew the certificate. Do not switch off certificate checks in your program."
        }
        (SmtpCertificateUntrusted, De) => {
            "Bitten Sie den Betreiber des Servers um ein Zertifikat einer anerkannten Zertifizierungsstelle samt Zwischenzertifikaten. Schalten Sie die Zertifikatsprüfung in Ihrem Programm nicht ab."
        }
        (SmtpCertificateUntrusted, En) => {
            "Ask the server's operator for a certificate from a recognized authority, with its intermediate certificates. Do not switch off certificate checks in your program."
        }
        (SmtpStarttlsNotOffered, De) => {
            "Prüfen Sie den Servernamen: Oft ist der Empfangsserver (MX) statt des Postausgangsservers eingetragen. Bietet der richtige Server kein STARTTLS, fragen Sie Ihren E-Mail-Anbieter; schalten Sie die Verschlüsselung nicht ab."
        }
        (SmtpStarttlsNotOffered, En) => {
            "Check the server name: often the receiving server (MX) is set instead of the outgoing server. If the right server offers no STARTTLS, ask your mail provider; do not switch encryption off."
        }
        (SmtpStarttlsRefused, De) => {
            "Versuchen Sie es später noch einmal. Bleibt es dabei, nennen Sie Ihrem E-Mail-Anbieter die Antwort des Servers; schalten Sie die Verschlüsselung nicht ab."
        }
        (SmtpStarttlsRefused, En) => {
            "Try again later. If it persists, give your mail provider the server's answer; do not switch encryption off."
        }
        (SmtpUnencrypted, De) => "Stellen Sie Port 587 mit STARTTLS oder Port 465 mit SSL/TLS ein.",
        (SmtpUnencrypted, En) => "Set port 587 with STARTTLS or port 465 with SSL/TLS.",
        (SmtpAuthAfterTls, De) => {
            "Nichts zu tun, solange Ihr Programm STARTTLS verwendet. Steht die Verschlüsselung auf „keine“, stellen Sie STARTTLS ein."
        }
        (SmtpAuthAfterTls, En) => {
            "Nothing to do as long as your program uses STARTTLS. If the encryption is set to \"none\", set STARTTLS."
        }
        (SmtpAuthNotOffered, De) => {
            "Tragen Sie den Postausgangsserver Ihres E-Mail-Anbieters ein (nicht den MX-Server Ihrer Domain), mit Port 587 und STARTTLS oder Port 465 und SSL/TLS."
        }
        (SmtpAuthNotOffered, En) => {
            "Set your mail provider's outgoing server (not your domain's MX server), with port 587 and STARTTLS or port 465 and SSL/TLS."
        }
        (SmtpAuthRequired, De) => {
            "Schalten Sie in Ihrem Programm die Anmeldung am Postausgangsserver („SMTP-Authentifizierung“) ein und tragen Sie Benutzername und Passwort Ihres Postfachs ein."
        }
        (SmtpAuthRequired, En) => {
            "Switch on the login to the outgoing server (\"SMTP authentication\") in your program and enter your mailbox's user name and password."
        }
        (SmtpAuthFailed, De) => {
            "Prüfen Sie Benutzername und Passwort. Als Benutzername verlangen die meisten Anbieter die vollständige E-Mail-Adresse; manche verlangen für Programme ein eigenes Passwort (App-Passwort)."
        }
        (SmtpAuthFailed, En) => {
            "Check the user name and password. Most providers want the full email address as the user name; some want a separate password for programs (app password)."
        }
        (SmtpM365AuthDisabled, De) => {
            "Ihr Microsoft-365-Administrator muss SMTP AUTH einschalten: für die Organisation im Exchange Admin Center und beim Postfach („Authentifiziertes SMTP“). Sperren Sicherheitsstandards oder Regeln es, fragen Sie den Hersteller Ihres Programms, ob es sich mit OAuth anmelden kann."
        }
        (SmtpM365AuthDisabled, En) => {
            "Your Microsoft 365 administrator has to switch on SMTP AUTH: for the organization in the Exchange admin center and for the mailbox (\"Authenticated SMTP\"). If security defaults or rules block it, ask your program's vendor whether it can log in with OAuth."
        }
        (SmtpAppPasswordRequired, De) => {
            "Erstellen Sie in den Sicherheitseinstellungen Ihres Kontos ein App-Passwort (bei Google unter „App-Passwörter“) und tragen Sie es statt des normalen Passworts ein."
        }
        (SmtpAppPasswordRequired, En) => {
            "Create an app password in your account's security settings (at Google under \"App passwords\") and enter it instead of your usual password."
        }
        (SmtpSenderRefused, De) => {
            "Verwenden Sie als Absender die Adresse des Postfachs, mit dem Sie sich anmelden, oder lassen Sie die Absenderadresse bei Ihrem E-Mail-Anbieter für dieses Konto freischalten (etwa als Alias)."
        }
        (SmtpSenderRefused, En) => {
            "Use the address of the mailbox you log in with as the sender, or have your mail provider allow the sender address for this account (for example as an alias)."
        }
        (SmtpRelayDenied, De) => {
            "Schalten Sie die Anmeldung am Postausgangsserver ein (Benutzername und Passwort) und prüfen Sie, ob der Postausgangsserver Ihres E-Mail-Anbieters eingetragen ist, nicht der Empfangsserver (MX) Ihrer Domain."
        }
        (SmtpRelayDenied, En) => {
            "Switch on the login to the outgoing server (user name and password) and check that your mail provider's outgoing server is set, not your domain's receiving server (MX)."
        }
        (SmtpRecipientRefused, De) => {
            "Prüfen Sie die Empfängeradresse und senden Sie die Test-E-Mail an eine Adresse, die sicher existiert."
        }
        (SmtpRecipientRefused, En) => {
            "Check the recipient address and send the test mail to an address that surely exists."
        }
        (SmtpMessageRefused, De) => {
            "Server, Port und Anmeldung stimmen. Nennen Sie Ihrem E-Mail-Anbieter die Antwort des Servers, wenn sie nicht sagt, was an der E-Mail stört."
        }
        (SmtpMessageRefused, En) => {
            "Server, port and login are right. Give your mail provider the server's answer if it does not say what is wrong with the mail."
        }
        (SmtpRateLimited, De) => {
            "Warten Sie und versuchen Sie es später erneut. Versendet Ihr Programm viele E-Mails, fragen Sie Ihren E-Mail-Anbieter nach seinen Grenzen oder nutzen Sie einen Versanddienst."
        }
        (SmtpRateLimited, En) => {
            "Wait and try again later. If your program sends a lot of mail, ask your mail provider about its limits or use a sending service."
        }
        (SmtpTemporaryFailure, De) => {
            "Versuchen Sie es in einigen Minuten noch einmal. Bleibt die Antwort, nennen Sie sie Ihrem E-Mail-Anbieter."
        }
        (SmtpTemporaryFailure, En) => {
            "Try again in a few minutes. If the answer stays, give it to your mail provider."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter `crate::smtp::explain` gives them, one per wording of their
/// message; for the message tests in `messages/mod.rs`.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    if code.family() != Family::Smtp {
        return None;
    }
    let finding = Finding::new(code)
        .with("port", 587)
        .with("security", "STARTTLS");
    let reply = |raw: &str| finding.clone().with("reply", raw);
    Some(match code {
        SmtpOk => {
            let finding = finding.with("tls", "TLS 1.3");
            vec![
                finding.clone().with("reached", "mail"),
                finding.clone().with("reached", "auth"),
                finding.with("reached", "connect"),
            ]
        }
        SmtpHostUnknown => vec![finding.with("host", "smtp.exmaple.com")],
        SmtpConnectRefused | SmtpConnectTimeout => vec![finding],
        SmtpPort25Blocked | SmtpPort25Used => vec![finding.with("port", 25)],
        SmtpNoGreeting => vec![
            finding.clone().with("reason", "timeout"),
            finding.with("reason", "closed"),
        ],
        SmtpConnectionRejected => vec![reply(
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked",
        )],
        SmtpConnectionLost => vec![finding.with("step", "MAIL FROM")],
        SmtpPlaintextOnTlsPort => {
            let finding = finding.with("port", 465);
            vec![
                finding.clone().with("security", "none"),
                finding.with("security", "STARTTLS"),
            ]
        }
        SmtpTlsOnStarttlsPort => vec![finding.with("security", "SSL/TLS")],
        SmtpTlsFailed => vec![finding.with("reason", "handshake failure")],
        SmtpTlsOutdated => vec![finding.with("version", "TLS 1.0")],
        SmtpTlsNotAccepted => vec![finding],
        SmtpCertificateNameMismatch => vec![
            finding
                .with("host", "mail.example.com")
                .with("names", "smtp.ionos.de, *.ionos.de"),
        ],
        SmtpCertificateExpired => vec![finding.with("not_after", "2024-05-01")],
        SmtpCertificateUntrusted => vec![finding.with("reason", "self-signed certificate")],
        SmtpStarttlsNotOffered | SmtpAuthAfterTls => vec![finding],
        SmtpStarttlsRefused => vec![reply("454 4.7.0 TLS not available due to local problem")],
        SmtpUnencrypted => {
            let finding = finding.with("security", "none");
            vec![
                finding.clone(),
                finding.clone().with("starttls", "offered"),
                finding
                    .with("starttls", "required")
                    .with("reply", "530 5.7.0 Must issue a STARTTLS command first"),
            ]
        }
        SmtpAuthNotOffered => vec![
            finding.clone().with("after_tls", true),
            finding.with("after_tls", false),
        ],
        SmtpAuthRequired => vec![reply("530 5.7.0 Authentication required")],
        SmtpAuthFailed => vec![reply(
            "535 5.7.8 Error: authentication failed: authentication failure",
        )],
        SmtpM365AuthDisabled => vec![
            reply(
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
            )
            .with("reason", "disabled"),
            reply(
                "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.",
            )
            .with("reason", "security-defaults"),
            reply(
                "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.",
            )
            .with("reason", "policy"),
            reply("530 5.7.57 Client not authenticated to send mail.")
                .with("reason", "not-authenticated"),
        ],
        SmtpAppPasswordRequired => vec![reply(
            "534 5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor",
        )],
        SmtpSenderRefused => vec![reply(
            "553 5.7.1 <info@example.com>: Sender address rejected: not owned by user bob@example.com",
        )],
        SmtpRelayDenied => vec![reply("554 5.7.1 <x@example.net>: Relay access denied")],
        SmtpRecipientRefused => vec![reply(
            "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown",
        )],
        SmtpMessageRefused => vec![reply("554 5.7.1 Message rejected as spam")],
        SmtpRateLimited => vec![reply("452 4.5.3 Too many recipients")],
        SmtpTemporaryFailure => vec![
            reply("421 Service not available, closing transmission channel"),
            reply("451 4.7.1 Please try again later").with("step", "RCPT TO"),
        ],
        _ => return None,
    })
}
