//! The German and English texts of the mail-server codes: MX (RFC 5321, RFC 7505), the sending
//! server's reverse DNS and the DNS blocklists (RFC 5782).

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// Which wording of a code's message fits the finding's parameters; `""` is the usual one.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    Some(match finding.code {
        Code::MxNone => match finding.param("fallback") {
            "address" => "address",
            "nowhere" => "nowhere",
            _ => "",
        },
        Code::MxNull if !finding.param("senders").is_empty() => "senders",
        Code::MxTargetUnresolvable if finding.param("reason") == "null-mixed" => "null-mixed",
        Code::MxTargetUnresolvable if finding.param("answer") == "invalid" => "invalid",
        Code::MxDnsError if !finding.param("host").is_empty() => "host",
        Code::PtrMismatch if finding.param("addresses").is_empty() => "no-address",
        Code::DnsblListed if !finding.param("reason").is_empty() => "reason",
        Code::DnsblUnavailable => match finding.param("kind") {
            "refused" => "refused",
            "unexpected" => "unexpected",
            _ => "",
        },
        Code::DnsblSkipped if finding.param("reason") == "public-resolver" => "public-resolver",
        code if is_family(code) => "",
        _ => return None,
    })
}

fn is_family(code: Code) -> bool {
    matches!(code.family(), Family::Mx | Family::Sender)
}

/// The message template of a code in one wording and language.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (MxNone, "address", De) => {
            "Für {domain} gibt es keinen MX-Eintrag. Absender stellen E-Mails an diese Domain deshalb direkt an ihre IP-Adresse ({addresses}) zu; Antworten und Unzustellbarkeitsnachrichten kommen nur an, wenn dort ein Mailserver läuft."
        }
        (MxNone, "address", En) => {
            "{domain} has no MX record, so senders deliver mail for it directly to its IP address ({addresses}). Replies and bounce messages only arrive if a mail server runs there."
        }
        (MxNone, "nowhere", De) => {
            "Für {domain} gibt es weder einen MX-Eintrag noch eine IP-Adresse. Antworten und Unzustellbarkeitsnachrichten an Adressen dieser Domain können nicht zugestellt werden."
        }
        (MxNone, "nowhere", En) => {
            "{domain} has neither an MX record nor an IP address. Replies and bounce messages to addresses of this domain cannot be delivered."
        }
        (MxNone, _, De) => {
            "Für {domain} gibt es keinen MX-Eintrag. Antworten und Unzustellbarkeitsnachrichten gehen an die IP-Adresse der Domain, falls sie eine hat, sonst nirgendwohin."
        }
        (MxNone, _, En) => {
            "{domain} has no MX record. Replies and bounce messages go to the domain's IP address, if it has one, or nowhere."
        }
        (MxNull, "senders", De) => {
            "{domain} hat einen „Null-MX“-Eintrag und empfängt damit keine E-Mails, versendet laut SPF-Eintrag aber welche. Antworten und Unzustellbarkeitsnachrichten auf diese E-Mails kommen nicht an, und manche Empfänger lehnen E-Mails von Domains ab, die selbst keine annehmen."
        }
        (MxNull, "senders", En) => {
            "{domain} publishes a \"null MX\" record, so it accepts no mail, yet its SPF record authorizes servers to send mail. Replies and bounces to that mail cannot arrive, and some receivers reject mail from domains that accept none."
        }
        (MxNull, _, De) => {
            "{domain} hat einen „Null-MX“-Eintrag: Die Domain empfängt ausdrücklich keine E-Mails."
        }
        (MxNull, _, En) => {
            "{domain} publishes a \"null MX\" record: the domain explicitly accepts no mail."
        }
        (MxTargetCname, _, De) => {
            "Der Mailserver {host} im MX-Eintrag von {domain} ist ein Alias (CNAME auf {target}). Das ist nicht erlaubt, und manche Absender stellen dann nicht zu."
        }
        (MxTargetCname, _, En) => {
            "The mail server {host} in the MX record of {domain} is an alias (CNAME to {target}). That is not allowed, and some senders will not deliver to it."
        }
        (MxTargetIp, _, De) => {
            "Der MX-Eintrag von {domain} enthält die IP-Adresse {host} statt eines Servernamens. Absender können dorthin nicht zustellen: Ein MX-Eintrag muss einen Namen nennen."
        }
        (MxTargetIp, _, En) => {
            "The MX record of {domain} contains the IP address {host} instead of a server name. Senders cannot deliver there: an MX record must name a host."
        }
        (MxTargetUnresolvable, "null-mixed", De) => {
            "Die MX-Einträge von {domain} enthalten neben anderen Mailservern einen „Null-MX“ („.“), der bedeutet: Diese Domain empfängt keine E-Mails. Manche Absender stellen deshalb gar nicht zu."
        }
        (MxTargetUnresolvable, "null-mixed", En) => {
            "Besides other mail servers, the MX records of {domain} include a \"null MX\" (\".\"), which means that the domain accepts no mail. Some senders therefore deliver nothing at all."
        }
        (MxTargetUnresolvable, "invalid", De) => {
            "„{host}“ im MX-Eintrag von {domain} ist kein gültiger Servername. Dorthin kann keine E-Mail zugestellt werden."
        }
        (MxTargetUnresolvable, "invalid", En) => {
            "\"{host}\" in the MX record of {domain} is not a valid server name, so no mail can be delivered there."
        }
        (MxTargetUnresolvable, _, De) => {
            "Der Mailserver {host} im MX-Eintrag von {domain} hat keine IP-Adresse. An ihn kann keine E-Mail zugestellt werden."
        }
        (MxTargetUnresolvable, _, En) => {
            "The mail server {host} in the MX record of {domain} has no IP address, so no mail can be delivered to it."
        }
        (MxDnsError, "host", De) => {
            "Die Abfrage {query} für den Mailserver {host} ist fehlgeschlagen ({failure}). Er konnte daher nicht geprüft werden."
        }
        (MxDnsError, "host", En) => {
            "The lookup {query} for the mail server {host} failed ({failure}), so it could not be verified."
        }
        (MxDnsError, _, De) => {
            "Die MX-Einträge von {domain} konnten nicht abgefragt werden ({failure}). Ob E-Mails an diese Domain zugestellt werden können, konnte daher nicht geprüft werden."
        }
        (MxDnsError, _, En) => {
            "The MX records of {domain} could not be looked up ({failure}), so whether mail to this domain can be delivered could not be verified."
        }
        (PtrDnsError, _, De) => {
            "Der PTR-Eintrag der Absender-IP {ip} konnte nicht abgefragt werden ({failure}). Ob er fehlt, konnte daher nicht geprüft werden."
        }
        (PtrDnsError, _, En) => {
            "The PTR record of the sending IP {ip} could not be looked up ({failure}), so whether it is missing could not be verified."
        }
        (PtrMissing, _, De) => {
            "Die Absender-IP {ip} hat keinen PTR-Eintrag (Rückwärtsauflösung). Viele Empfänger lehnen E-Mails von solchen Adressen ab oder stufen sie als Spam ein."
        }
        (PtrMissing, _, En) => {
            "The sending IP {ip} has no PTR record (reverse DNS). Many receivers reject mail from such addresses or mark it as spam."
        }
        (PtrMismatch, "no-address", De) => {
            "Die Absender-IP {ip} hat den PTR-Namen {name}, für den es aber keinen {record}-Eintrag gibt; er zeigt also nicht zurück auf {ip}. Empfänger werten den Namen deshalb als nicht bestätigt."
        }
        (PtrMismatch, "no-address", En) => {
            "The sending IP {ip} has the PTR name {name}, but that name has no {record} record, so it does not point back to {ip}. Receivers therefore treat the name as unconfirmed."
        }
        (PtrMismatch, _, De) => {
            "Die Absender-IP {ip} hat den PTR-Namen {name}, der aber auf {addresses} zeigt statt zurück auf {ip}. Empfänger werten den Namen deshalb als nicht bestätigt."
        }
        (PtrMismatch, _, En) => {
            "The sending IP {ip} has the PTR name {name}, but that name points to {addresses}, not back to {ip}. Receivers therefore treat the name as unconfirmed."
        }
        (PtrGeneric, _, De) => {
            "Der PTR-Name {name} der Absender-IP {ip} sieht aus wie ein automatisch vergebener Name für Privat- oder Einwahlanschlüsse (er enthält „{token}“). Viele Empfänger lehnen E-Mails von solchen Adressen ab."
        }
        (PtrGeneric, _, En) => {
            "The PTR name {name} of the sending IP {ip} looks like an automatically assigned name for home or dial-up lines (it contains \"{token}\"). Many receivers reject mail from such addresses."
        }
        (PtrOk, _, De) => {
            "Die Absender-IP {ip} hat den PTR-Namen {name}, und dieser zeigt zurück auf {ip}."
        }
        (PtrOk, _, En) => "The sending IP {ip} has the PTR name {name}, which points back to {ip}.",
        (DnsblListed, "reason", De) => {
            "Die Absender-IP {ip} steht auf der Sperrliste {list} (Antwort {code}). Empfänger, die diese Liste nutzen, lehnen E-Mails von ihr ab. Angabe der Liste: {reason}"
        }
        (DnsblListed, "reason", En) => {
            "The sending IP {ip} is on the blocklist {list} (answer {code}). Receivers that use this list reject mail from it. The list says: {reason}"
        }
        (DnsblListed, _, De) => {
            "Die Absender-IP {ip} steht auf der Sperrliste {list} (Antwort {code}). Empfänger, die diese Liste nutzen, lehnen E-Mails von ihr ab."
        }
        (DnsblListed, _, En) => {
            "The sending IP {ip} is on the blocklist {list} (answer {code}). Receivers that use this list reject mail from it."
        }
        (DnsblUnavailable, "refused", De) => {
            "Die Sperrliste {list} hat die Abfrage für {ip} abgelehnt (Antwort {answer}), etwa weil sie über einen öffentlichen DNS-Server kam. Ob die IP dort steht, ist daher unbekannt."
        }
        (DnsblUnavailable, "refused", En) => {
            "The blocklist {list} refused the query for {ip} (answer {answer}), for example because it came through a public DNS resolver. Whether the IP is listed there is unknown."
        }
        (DnsblUnavailable, "unexpected", De) => {
            "Die Sperrliste {list} hat für {ip} mit {answer} geantwortet; das ist keine gültige Antwort einer Sperrliste (vielleicht wurde die Liste eingestellt). Ob die IP dort steht, ist daher unbekannt."
        }
        (DnsblUnavailable, "unexpected", En) => {
            "The blocklist {list} answered {answer} for {ip}, which is not a valid blocklist answer (the list may have been shut down). Whether the IP is listed there is unknown."
        }
        (DnsblUnavailable, _, De) => {
            "Die Sperrliste {list} konnte für {ip} nicht abgefragt werden ({answer}). Ob die IP dort steht, ist daher unbekannt."
        }
        (DnsblUnavailable, _, En) => {
            "The blocklist {list} could not be queried for {ip} ({answer}). Whether the IP is listed there is unknown."
        }
        (DnsblClean, _, De) => {
            "Die Absender-IP {ip} steht auf keiner der geprüften Sperrlisten ({lists})."
        }
        (DnsblClean, _, En) => {
            "The sending IP {ip} is on none of the checked blocklists ({lists})."
        }
        (DnsblSkipped, "public-resolver", De) => {
            "Spamhaus ({lists}) wurde nicht abgefragt: Spamhaus lehnt Abfragen ab, die wie die dieser Prüfung über öffentliche DNS-Server kommen, und seine Antwort sagte nichts über die Absender-IPs. Mit einem Schlüssel für den Spamhaus Data Query Service (DQS) wird Spamhaus abgefragt: „--spamhaus-dqs-key“ auf der Kommandozeile oder das Secret SPAMHAUS_DQS_KEY des Webdienstes."
        }
        (DnsblSkipped, "public-resolver", En) => {
            "Spamhaus ({lists}) was not asked: it refuses queries that come through public DNS resolvers, as this check's do, and its answer would say nothing about the sending IPs. With a Spamhaus Data Query Service (DQS) key it is asked: \"--spamhaus-dqs-key\" on the command line, or the SPAMHAUS_DQS_KEY secret of the web service."
        }
        (DnsblSkipped, _, De) => {
            "Diese Sperrlisten wurden ausgelassen und nicht abgefragt: {lists}. Ob die Absender-IPs dort stehen, ist daher unbekannt."
        }
        (DnsblSkipped, _, En) => {
            "These blocklists were left out and not asked: {lists}. Whether the sending IPs are listed there is unknown."
        }
        _ => return None,
    })
}

/// What to change, in one or two sentences; `None` for codes that need no action.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (PtrOk, _) | (DnsblClean, _) => return None,
        (MxNone, De) => {
            "Legen Sie einen MX-Eintrag an, der auf den Mailserver zeigt, der E-Mails für Ihre Domain empfängt. Den richtigen Namen nennt Ihnen Ihr E-Mail-Anbieter."
        }
        (MxNone, En) => {
            "Add an MX record that points to the mail server that receives mail for your domain. Your mail provider can tell you the right name."
        }
        (MxNull, De) => {
            "Soll die Domain E-Mails versenden, ersetzen Sie den Null-MX-Eintrag („0 .“) durch einen MX-Eintrag, der auf Ihren Mailserver zeigt. Versendet sie keine, ist nichts zu tun."
        }
        (MxNull, En) => {
            "If the domain sends mail, replace the null MX record (\"0 .\") with an MX record that points to your mail server. If it sends none, nothing needs to change."
        }
        (MxTargetCname, De) => {
            "Tragen Sie im MX-Eintrag den eigentlichen Namen des Mailservers ein, also das Ziel des CNAME-Eintrags, nicht den Alias."
        }
        (MxTargetCname, En) => {
            "Put the mail server's real name in the MX record: the target of the CNAME record, not the alias."
        }
        (MxTargetIp, De) => {
            "Legen Sie für den Mailserver einen Namen mit einem A-Eintrag auf seine IP-Adresse an (zum Beispiel „mail.ihre-domain.de“) und tragen Sie diesen Namen im MX-Eintrag ein."
        }
        (MxTargetIp, En) => {
            "Create a name for the mail server with an A record pointing to its IP address (for example \"mail.your-domain.com\") and put that name in the MX record."
        }
        (MxTargetUnresolvable, De) => {
            "Korrigieren Sie den Namen im MX-Eintrag oder legen Sie für den Mailserver einen A- bzw. AAAA-Eintrag an. Einen Null-MX-Eintrag („.“) neben anderen MX-Einträgen löschen Sie."
        }
        (MxTargetUnresolvable, En) => {
            "Correct the name in the MX record or add an A or AAAA record for the mail server. Delete a null MX record (\".\") that stands next to other MX records."
        }
        (MxDnsError, De) => {
            "Prüfen Sie später noch einmal. Bleibt der Fehler bestehen, wenden Sie sich an den Anbieter, der die DNS-Einträge der betroffenen Domain verwaltet."
        }
        (MxDnsError, En) => {
            "Check again later. If the error persists, contact the provider that manages the DNS records of the affected domain."
        }
        (PtrDnsError, De) => {
            "Prüfen Sie später noch einmal. Bleibt der Fehler bestehen, wenden Sie sich an den Betreiber der IP-Adresse (Ihren Hosting- oder Internetanbieter)."
        }
        (PtrDnsError, En) => {
            "Check again later. If the error persists, contact the operator of the IP address (your hosting or internet provider)."
        }
        (PtrMissing, De) => {
            "Bitten Sie den Betreiber der IP-Adresse (Ihren Hosting- oder Internetanbieter), einen PTR-Eintrag mit dem Namen des Mailservers anzulegen, zum Beispiel „mail.ihre-domain.de“. Dieser Name muss wieder auf die IP-Adresse zeigen."
        }
        (PtrMissing, En) => {
            "Ask the operator of the IP address (your hosting or internet provider) to set a PTR record with the mail server's name, such as \"mail.your-domain.com\". That name must point back to the IP address."
        }
        (PtrMismatch, De) => {
            "Legen Sie für den PTR-Namen einen A-Eintrag (bei IPv6 einen AAAA-Eintrag) mit der Absender-IP an, oder lassen Sie den PTR-Eintrag auf einen Namen ändern, der auf diese IP zeigt."
        }
        (PtrMismatch, En) => {
            "Add an A record (an AAAA record for IPv6) with the sending IP for the PTR name, or have the PTR record changed to a name that points to this IP."
        }
        (PtrGeneric, De) => {
            "Lassen Sie den PTR-Eintrag auf einen eigenen Namen des Mailservers ändern, etwa „mail.ihre-domain.de“, oder versenden Sie über den Mailserver Ihres E-Mail-Anbieters."
        }
        (PtrGeneric, En) => {
            "Have the PTR record changed to the mail server's own name, such as \"mail.your-domain.com\", or send through your mail provider's server."
        }
        (DnsblListed, De) => {
            "Finden und beheben Sie die Ursache (zum Beispiel ein gehacktes Konto oder einen offenen Server) und beantragen Sie dann auf der Webseite der Sperrliste die Entfernung."
        }
        (DnsblListed, En) => {
            "Find and fix the cause (such as a compromised account or an open server), then request removal on the blocklist's website."
        }
        (DnsblUnavailable, De) => {
            "Prüfen Sie die IP-Adresse direkt auf der Webseite der Sperrliste, oder wiederholen Sie die Prüfung später."
        }
        (DnsblUnavailable, En) => {
            "Check the IP address directly on the blocklist's website, or run the check again later."
        }
        (DnsblSkipped, De) => {
            "Prüfen Sie die IP-Adresse direkt auf der Webseite von Spamhaus (check.spamhaus.org), oder hinterlegen Sie einen kostenlosen DQS-Schlüssel von Spamhaus, damit die Prüfung Spamhaus mit abfragt."
        }
        (DnsblSkipped, En) => {
            "Check the IP address directly on Spamhaus's website (check.spamhaus.org), or set up a free Spamhaus DQS key so that the check asks Spamhaus too."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter the checks give them, one per wording of their message; for the
/// message tests (here, and for the shared table in `messages/mod.rs`).
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    let finding = Finding::new(code);
    Some(match code {
        MxNone => {
            let finding = finding.with("domain", "example.com");
            vec![
                finding.clone().with("answer", "NODATA"),
                finding
                    .clone()
                    .with("answer", "NODATA")
                    .with("fallback", "address")
                    .with("addresses", "192.0.2.1, 2001:db8::1"),
                finding
                    .with("answer", "NXDOMAIN")
                    .with("fallback", "nowhere"),
            ]
        }
        MxNull => {
            let finding = finding.with("domain", "example.com");
            vec![finding.clone(), finding.with("senders", "true")]
        }
        MxTargetCname => vec![
            finding
                .with("domain", "example.com")
                .with("host", "mail.example.com")
                .with("target", "host.example.net"),
        ],
        MxTargetIp => vec![
            finding
                .with("domain", "example.com")
                .with("host", "192.0.2.1")
                .with("ip", "192.0.2.1"),
        ],
        MxTargetUnresolvable => {
            let finding = finding.with("domain", "example.com");
            vec![
                finding
                    .clone()
                    .with("host", "gone.example.com")
                    .with("answer", "NXDOMAIN"),
                finding
                    .clone()
                    .with("host", "bad name")
                    .with("answer", "invalid"),
                finding.with("host", ".").with("reason", "null-mixed"),
            ]
        }
        MxDnsError => {
            let finding = finding
                .with("domain", "example.com")
                .with("failure", "SERVFAIL");
            vec![
                finding.clone().with("query", "example.com MX"),
                finding
                    .with("query", "mail.example.com A")
                    .with("host", "mail.example.com"),
            ]
        }
        PtrMissing => vec![finding.with("ip", "192.0.2.1")],
        PtrDnsError => vec![
            finding
                .with("ip", "192.0.2.1")
                .with("query", "1.2.0.192.in-addr.arpa PTR")
                .with("failure", "timeout"),
        ],
        PtrMismatch => {
            let finding = finding
                .with("ip", "192.0.2.1")
                .with("name", "mail.example.com")
                .with("record", "A");
            vec![finding.clone(), finding.with("addresses", "192.0.2.2")]
        }
        PtrGeneric => vec![
            finding
                .with("ip", "192.0.2.1")
                .with("name", "dyn-192-0-2-1.pool.example.net")
                .with("token", "192-0-2-1"),
        ],
        PtrOk => vec![
            finding
                .with("ip", "192.0.2.1")
                .with("name", "mail.example.com"),
        ],
        DnsblListed => {
            let finding = finding
                .with("ip", "192.0.2.1")
                .with("list", "zen.spamhaus.org")
                .with("code", "127.0.0.2");
            vec![
                finding.clone(),
                finding.with("reason", "https://check.spamhaus.org/"),
            ]
        }
        DnsblUnavailable => {
            let finding = finding
                .with("ip", "192.0.2.1")
                .with("list", "zen.spamhaus.org");
            vec![
                finding
                    .clone()
                    .with("answer", "127.255.255.254")
                    .with("kind", "refused"),
                finding
                    .clone()
                    .with("answer", "203.0.113.99")
                    .with("kind", "unexpected"),
                finding.with("answer", "SERVFAIL").with("kind", "failed"),
            ]
        }
        DnsblClean => vec![
            finding
                .with("ip", "192.0.2.1")
                .with("lists", "zen.spamhaus.org, bl.spamcop.net")
                .with("count", 2),
        ],
        DnsblSkipped => vec![
            finding
                .clone()
                .with("lists", "zen.spamhaus.org")
                .with("count", 1)
                .with("reason", "public-resolver"),
            finding
                .with("lists", "bl.example.net")
                .with("count", 1)
                .with("reason", "configured"),
        ],
        _ => return None,
    })
}
