//! The German and English texts of the DKIM codes: key records (RFC 6376 §3.6.1), key sizes and
//! hash algorithms (RFC 8301), Ed25519 keys (RFC 8463) and the selectors looked up.

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// Which wording of a code's message fits the finding's parameters; `""` is the usual one.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    Some(match finding.code {
        Code::DkimOk if finding.param("key_type") == "ed25519" => "ed25519",
        Code::DkimSelectorMissing => {
            if finding.param("source") == "guessed" {
                if !finding.param("unguessable").is_empty() {
                    "guessed-unguessable"
                } else if !finding.param("providers").is_empty() {
                    "guessed-providers"
                } else {
                    "guessed"
                }
            } else if finding.param("reason") == "invalid" {
                "invalid"
            } else if finding.param("answer") == "other-txt" {
                "other-txt"
            } else if finding.param("source") == "profile" {
                "profile"
            } else {
                ""
            }
        }
        Code::DkimNoneFound if !finding.param("failed").is_empty() => "failed",
        Code::DkimSyntaxError => match finding.param("reason") {
            reason @ ("version" | "version-not-first" | "no-key" | "no-equals" | "name"
            | "duplicate" | "character" | "case" | "key-type" | "hash" | "service"
            | "multiple") => reason,
            _ => "",
        },
        Code::DkimKeyInvalid => match finding.param("reason") {
            "base64" if !finding.param("character").is_empty() => "base64-character",
            reason @ ("base64" | "pem" | "rsa" | "ed25519" | "ed25519-spki" | "looks-ed25519"
            | "looks-rsa") => reason,
            _ => "",
        },
        Code::DkimDnsError if finding.param("source") == "guessed" => "guessed",
        Code::DkimBodyLengthLimit if finding.param("unsigned") == "0" => "whole",
        code if is_family(code) => "",
        _ => return None,
    })
}

fn is_family(code: Code) -> bool {
    code.family() == Family::Dkim
}

/// The message template of a code in one wording and language.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (DkimOk, "ed25519", De) => {
            "Unter dem Selektor „{selector}“ ist ein gültiger DKIM-Schlüssel vom Typ Ed25519 veröffentlicht."
        }
        (DkimOk, "ed25519", En) => {
            "A valid Ed25519 DKIM key is published at selector \"{selector}\"."
        }
        (DkimOk, _, De) => {
            "Unter dem Selektor „{selector}“ ist ein gültiger DKIM-Schlüssel veröffentlicht (RSA, {bits} Bit)."
        }
        (DkimOk, _, En) => {
            "A valid DKIM key is published at selector \"{selector}\" (RSA, {bits} bits)."
        }
        (DkimSelectorMissing, "guessed", De) => {
            "Unter diesen üblichen Selektoren ist kein DKIM-Schlüssel veröffentlicht: {selectors}. Das ist normal, solange Ihr E-Mail-Dienst keinen davon verwendet."
        }
        (DkimSelectorMissing, "guessed", En) => {
            "No DKIM key is published at these common selectors: {selectors}. That is normal as long as your mail service uses none of them."
        }
        (DkimSelectorMissing, "guessed-providers", De) => {
            "Ihr SPF-Eintrag oder Ihre MX-Einträge verweisen auf {providers}, unter deren Selektoren und den üblichen ist aber kein DKIM-Schlüssel veröffentlicht: {selectors}. Versenden Sie über einen anderen Dienst, geben Sie den Selektor an, mit dem er signiert."
        }
        (DkimSelectorMissing, "guessed-providers", En) => {
            "Your SPF record or MX hosts point to {providers}, but no DKIM key is published at their selectors or at the common ones: {selectors}. If you send through another service, enter the selector it signs with."
        }
        (DkimSelectorMissing, "guessed-unguessable", De) => {
            "Ihr SPF-Eintrag oder Ihre MX-Einträge verweisen auf {unguessable}; dort erhält jeder Kunde eigene Selektoren, die sich nicht erraten lassen. Unter den geprüften Selektoren ist kein DKIM-Schlüssel veröffentlicht: {selectors}. Geben Sie den Selektor aus der DKIM-Signatur einer versendeten E-Mail (Angabe „s=“) an, um ihn zu prüfen."
        }
        (DkimSelectorMissing, "guessed-unguessable", En) => {
            "Your SPF record or MX hosts point to {unguessable}, whose selectors are made for each customer and cannot be guessed. No DKIM key is published at the selectors tried: {selectors}. Enter the selector from the DKIM-Signature of a sent message (the \"s=\" tag) to check it."
        }
        (DkimSelectorMissing, "invalid", De) => {
            "„{selector}“ ist kein gültiger Selektor und wurde nicht abgefragt. Ein Selektor besteht aus Buchstaben, Ziffern, Bindestrichen und Punkten."
        }
        (DkimSelectorMissing, "invalid", En) => {
            "\"{selector}\" is not a valid selector and was not looked up. A selector consists of letters, digits, hyphens and dots."
        }
        (DkimSelectorMissing, "other-txt", De) => {
            "Unter {name} gibt es zwar TXT-Einträge, aber keinen DKIM-Schlüssel. E-Mails, die mit dem Selektor „{selector}“ signiert sind, bestehen die DKIM-Prüfung nicht."
        }
        (DkimSelectorMissing, "other-txt", En) => {
            "{name} has TXT records, but none of them is a DKIM key. Mail signed with selector \"{selector}\" fails the DKIM check."
        }
        (DkimSelectorMissing, "profile", De) => {
            "Für den Selektor „{selector}“, mit dem Ihr Anbieter laut seinem Absenderprofil signiert, ist kein DKIM-Schlüssel veröffentlicht: Unter {name} gibt es keinen Eintrag. Seine Signaturen lassen sich so nicht prüfen."
        }
        (DkimSelectorMissing, "profile", En) => {
            "No DKIM key is published for selector \"{selector}\", which your provider signs with according to its sender profile: there is no record at {name}. Its signatures cannot be verified."
        }
        (DkimSelectorMissing, _, De) => {
            "Für den Selektor „{selector}“ ist kein DKIM-Schlüssel veröffentlicht: Unter {name} gibt es keinen Eintrag. E-Mails, die mit diesem Selektor signiert sind, bestehen die DKIM-Prüfung nicht."
        }
        (DkimSelectorMissing, _, En) => {
            "No DKIM key is published for selector \"{selector}\": there is no record at {name}. Mail signed with this selector fails the DKIM check."
        }
        (DkimNoneFound, "failed", De) => {
            "Für {domain} wurde unter keinem der {count} geprüften Selektoren ein DKIM-Schlüssel gefunden; {failed} dieser Abfragen sind allerdings fehlgeschlagen. Ohne DKIM-Signatur kann DMARC nur über SPF bestehen, und viele Empfänger vertrauen unsignierten E-Mails weniger."
        }
        (DkimNoneFound, "failed", En) => {
            "No DKIM key was found for {domain} at any of the {count} selectors checked, although {failed} of these lookups failed. Without a DKIM signature, DMARC can only pass through SPF, and many receivers trust unsigned mail less."
        }
        (DkimNoneFound, _, De) => {
            "Für {domain} wurde unter keinem der {count} geprüften Selektoren ein DKIM-Schlüssel gefunden. Ohne DKIM-Signatur kann DMARC nur über SPF bestehen, und viele Empfänger vertrauen unsignierten E-Mails weniger."
        }
        (DkimNoneFound, _, En) => {
            "No DKIM key was found for {domain} at any of the {count} selectors checked. Without a DKIM signature, DMARC can only pass through SPF, and many receivers trust unsigned mail less."
        }
        (DkimSyntaxError, "version", De) => {
            "„{term}“: Die Version muss genau „DKIM1“ lauten. Empfangende Server verwerfen diesen DKIM-Eintrag."
        }
        (DkimSyntaxError, "version", En) => {
            "\"{term}\": the version must be exactly \"DKIM1\". Receiving servers discard this DKIM record."
        }
        (DkimSyntaxError, "version-not-first", De) => {
            "„{term}“ muss am Anfang des DKIM-Eintrags stehen, sonst verwerfen manche empfangenden Server ihn."
        }
        (DkimSyntaxError, "version-not-first", En) => {
            "\"{term}\" must come first in the DKIM record, or some receiving servers discard it."
        }
        (DkimSyntaxError, "no-key", De) => {
            "Der DKIM-Eintrag unter {name} enthält keinen Schlüssel („p=“ fehlt). E-Mails, die mit dem Selektor „{selector}“ signiert sind, bestehen die DKIM-Prüfung nicht."
        }
        (DkimSyntaxError, "no-key", En) => {
            "The DKIM record at {name} contains no key (\"p=\" is missing). Mail signed with selector \"{selector}\" fails the DKIM check."
        }
        (DkimSyntaxError, "no-equals", De) => {
            "„{term}“ ist keine gültige Angabe, weil das Gleichheitszeichen fehlt („name=wert“). Empfangende Server werten den DKIM-Eintrag deshalb als ungültig."
        }
        (DkimSyntaxError, "no-equals", En) => {
            "\"{term}\" is not a valid tag because the equals sign is missing (\"name=value\"). Receiving servers therefore treat the DKIM record as invalid."
        }
        (DkimSyntaxError, "name", De) => {
            "„{term}“ ist keine gültige Angabe: Ein Name beginnt mit einem Buchstaben und enthält nur Buchstaben, Ziffern und „_“. Empfangende Server werten den DKIM-Eintrag deshalb als ungültig."
        }
        (DkimSyntaxError, "name", En) => {
            "\"{term}\" is not a valid tag: a name starts with a letter and contains only letters, digits and \"_\". Receiving servers therefore treat the DKIM record as invalid."
        }
        (DkimSyntaxError, "duplicate", De) => {
            "„{tag}“ kommt im DKIM-Eintrag mehrfach vor („{term}“). Damit ist der ganze Eintrag ungültig."
        }
        (DkimSyntaxError, "duplicate", En) => {
            "\"{tag}\" occurs more than once in the DKIM record (\"{term}\"), which makes the whole record invalid."
        }
        (DkimSyntaxError, "character", De) => {
            "„{term}“ enthält ein unzulässiges Zeichen ({character}), oft ein geschütztes Leerzeichen oder ein typografisches Anführungszeichen aus einem Textprogramm."
        }
        (DkimSyntaxError, "character", En) => {
            "\"{term}\" contains a character that is not allowed ({character}), often a non-breaking space or a typographic quote from a word processor."
        }
        (DkimSyntaxError, "case", De) => {
            "„{term}“: Bei Namen im DKIM-Eintrag zählt die Groß- und Kleinschreibung, gemeint ist „{expected}“. So ignorieren empfangende Server die Angabe."
        }
        (DkimSyntaxError, "case", En) => {
            "\"{term}\": tag names in a DKIM record are case-sensitive, and \"{expected}\" is meant. As written, receiving servers ignore the tag."
        }
        (DkimSyntaxError, "key-type", De) => {
            "„{term}“ nennt einen unbekannten Schlüsseltyp; bekannt sind „rsa“ und „ed25519“. Empfangende Server ignorieren diesen Schlüssel."
        }
        (DkimSyntaxError, "key-type", En) => {
            "\"{term}\" names an unknown key type; the known ones are \"rsa\" and \"ed25519\". Receiving servers ignore this key."
        }
        (DkimSyntaxError, "hash", De) => {
            "„{term}“ erlaubt kein Verfahren, das empfangende Server kennen (sha256). Signaturen mit diesem Schlüssel lassen sich nicht prüfen."
        }
        (DkimSyntaxError, "hash", En) => {
            "\"{term}\" allows no algorithm that receiving servers know (sha256), so signatures with this key cannot be verified."
        }
        (DkimSyntaxError, "service", De) => {
            "„{term}“ beschränkt den Schlüssel auf andere Dienste als E-Mail. Empfangende Server verwenden ihn deshalb nicht für E-Mails."
        }
        (DkimSyntaxError, "service", En) => {
            "\"{term}\" restricts the key to services other than email, so receiving servers do not use it for mail."
        }
        (DkimSyntaxError, "multiple", De) => {
            "Unter {name} stehen {count} DKIM-Einträge. Erlaubt ist nur einer; bei mehreren ist das Ergebnis der Prüfung nicht vorhersagbar."
        }
        (DkimSyntaxError, "multiple", En) => {
            "{name} holds {count} DKIM records. Only one is allowed; with several, the result of the check is unpredictable."
        }
        (DkimSyntaxError, _, De) => "„{term}“ im DKIM-Eintrag ist fehlerhaft.",
        (DkimSyntaxError, _, En) => "\"{term}\" in the DKIM record is malformed.",
        (DkimKeyRevoked, _, De) => {
            "Der DKIM-Schlüssel für den Selektor „{selector}“ ist widerrufen („p=“ ist leer). E-Mails, die mit diesem Selektor signiert sind, bestehen die DKIM-Prüfung nicht."
        }
        (DkimKeyRevoked, _, En) => {
            "The DKIM key for selector \"{selector}\" is revoked (\"p=\" is empty). Mail signed with this selector fails the DKIM check."
        }
        (DkimKeyInvalid, "base64-character", De) => {
            "Der Schlüssel („p=“) für den Selektor „{selector}“ enthält das Zeichen „{character}“, das in einem Schlüssel nicht vorkommen kann. E-Mails mit diesem Selektor bestehen die DKIM-Prüfung deshalb nicht."
        }
        (DkimKeyInvalid, "base64-character", En) => {
            "The key (\"p=\") for selector \"{selector}\" contains the character \"{character}\", which cannot occur in a key, so mail signed with this selector fails the DKIM check."
        }
        (DkimKeyInvalid, "base64", De) => {
            "Der Schlüssel („p=“) für den Selektor „{selector}“ ist beschädigt, vermutlich wurde er unvollständig kopiert. E-Mails mit diesem Selektor bestehen die DKIM-Prüfung deshalb nicht."
        }
        (DkimKeyInvalid, "base64", En) => {
            "The key (\"p=\") for selector \"{selector}\" is damaged, probably because it was copied incompletely, so mail signed with this selector fails the DKIM check."
        }
        (DkimKeyInvalid, "pem", De) => {
            "Der Schlüssel („p=“) für den Selektor „{selector}“ enthält die Zeilen „-----BEGIN PUBLIC KEY-----“ oder „-----END PUBLIC KEY-----“. Diese gehören nicht in den DNS-Eintrag, so ist der Schlüssel ungültig."
        }
        (DkimKeyInvalid, "pem", En) => {
            "The key (\"p=\") for selector \"{selector}\" contains the lines \"-----BEGIN PUBLIC KEY-----\" or \"-----END PUBLIC KEY-----\". They do not belong in the DNS record and make the key invalid."
        }
        (DkimKeyInvalid, "rsa", De) => {
            "Der Schlüssel („p=“) für den Selektor „{selector}“ ist kein gültiger RSA-Schlüssel, vermutlich wurde er unvollständig oder falsch kopiert. E-Mails mit diesem Selektor bestehen die DKIM-Prüfung nicht."
        }
        (DkimKeyInvalid, "rsa", En) => {
            "The key (\"p=\") for selector \"{selector}\" is not a valid RSA key, probably because it was copied incompletely or wrongly. Mail signed with this selector fails the DKIM check."
        }
        (DkimKeyInvalid, "ed25519", De) => {
            "Der Ed25519-Schlüssel für den Selektor „{selector}“ ist {bytes} Byte lang, ein Ed25519-Schlüssel hat aber genau 32 Byte. E-Mails mit diesem Selektor bestehen die DKIM-Prüfung nicht."
        }
        (DkimKeyInvalid, "ed25519", En) => {
            "The Ed25519 key for selector \"{selector}\" is {bytes} bytes long, but an Ed25519 key has exactly 32 bytes. Mail signed with this selector fails the DKIM check."
        }
        (DkimKeyInvalid, "ed25519-spki", De) => {
            "Der Ed25519-Schlüssel für den Selektor „{selector}“ ist in einer Hülle veröffentlicht, die nicht in den DNS-Eintrag gehört; dort stehen nur die 32 Byte des Schlüssels selbst. So erkennen empfangende Server ihn nicht."
        }
        (DkimKeyInvalid, "ed25519-spki", En) => {
            "The Ed25519 key for selector \"{selector}\" is published inside a wrapper that does not belong in the DNS record, which holds only the 32 bytes of the key itself. Receiving servers do not recognize it this way."
        }
        (DkimKeyInvalid, "looks-ed25519", De) => {
            "Der Schlüssel für den Selektor „{selector}“ ist ein Ed25519-Schlüssel, im Eintrag fehlt aber „k=ed25519“. Empfangende Server lesen ihn deshalb als RSA-Schlüssel, und die Prüfung schlägt fehl."
        }
        (DkimKeyInvalid, "looks-ed25519", En) => {
            "The key for selector \"{selector}\" is an Ed25519 key, but the record lacks \"k=ed25519\", so receiving servers read it as an RSA key and the check fails."
        }
        (DkimKeyInvalid, "looks-rsa", De) => {
            "Der Eintrag für den Selektor „{selector}“ gibt „k=ed25519“ an, enthält aber einen RSA-Schlüssel. Die DKIM-Prüfung schlägt deshalb fehl."
        }
        (DkimKeyInvalid, "looks-rsa", En) => {
            "The record for selector \"{selector}\" says \"k=ed25519\" but holds an RSA key, so the DKIM check fails."
        }
        (DkimKeyInvalid, _, De) => {
            "Der Schlüssel („p=“) für den Selektor „{selector}“ ist ungültig. E-Mails mit diesem Selektor bestehen die DKIM-Prüfung nicht."
        }
        (DkimKeyInvalid, _, En) => {
            "The key (\"p=\") for selector \"{selector}\" is invalid. Mail signed with this selector fails the DKIM check."
        }
        (DkimKeyTooShort, _, De) => {
            "Der RSA-Schlüssel für den Selektor „{selector}“ hat nur {bits} Bit. Empfangende Server müssen Schlüssel unter {minimum} Bit ablehnen, E-Mails mit diesem Selektor bestehen die DKIM-Prüfung daher nicht."
        }
        (DkimKeyTooShort, _, En) => {
            "The RSA key for selector \"{selector}\" has only {bits} bits. Receiving servers must reject keys under {minimum} bits, so mail signed with this selector fails the DKIM check."
        }
        (DkimKeyWeak, _, De) => {
            "Der RSA-Schlüssel für den Selektor „{selector}“ hat {bits} Bit. Das wird noch anerkannt, gilt aber als schwach; empfohlen sind mindestens {recommended} Bit."
        }
        (DkimKeyWeak, _, En) => {
            "The RSA key for selector \"{selector}\" has {bits} bits. That is still accepted but considered weak; at least {recommended} bits are recommended."
        }
        (DkimTesting, _, De) => {
            "Der DKIM-Schlüssel für den Selektor „{selector}“ ist als Test markiert („{term}“). Empfangende Server behandeln damit signierte E-Mails wie unsignierte."
        }
        (DkimTesting, _, En) => {
            "The DKIM key for selector \"{selector}\" is marked as a test (\"{term}\"). Receiving servers treat mail signed with it like unsigned mail."
        }
        (DkimSha1Only, _, De) => {
            "„{term}“ erlaubt für den Selektor „{selector}“ nur das veraltete Verfahren SHA-1. Empfangende Server erkennen SHA-1-Signaturen nicht mehr an, die DKIM-Prüfung schlägt daher fehl."
        }
        (DkimSha1Only, _, En) => {
            "\"{term}\" allows only the outdated SHA-1 algorithm for selector \"{selector}\". Receiving servers no longer accept SHA-1 signatures, so the DKIM check fails."
        }
        (DkimDnsError, "guessed", De) => {
            "Alle DNS-Abfragen nach DKIM-Schlüsseln für {domain} sind fehlgeschlagen ({failure}), daher konnte DKIM nicht geprüft werden. Das ist oft vorübergehend und heißt nicht, dass kein Schlüssel veröffentlicht ist."
        }
        (DkimDnsError, "guessed", En) => {
            "All DNS lookups for DKIM keys of {domain} failed ({failure}), so DKIM could not be verified. This is often temporary and does not mean that no key is published."
        }
        (DkimDnsError, _, De) => {
            "Die DNS-Abfrage {query} für den Selektor „{selector}“ ist fehlgeschlagen ({failure}), daher konnte der DKIM-Schlüssel nicht geprüft werden. Das ist oft vorübergehend und heißt nicht, dass der Schlüssel fehlt."
        }
        (DkimDnsError, _, En) => {
            "The DNS lookup {query} for selector \"{selector}\" failed ({failure}), so the DKIM key could not be verified. This is often temporary and does not mean that the key is missing."
        }
        (DkimBodyLengthLimit, "whole", De) => {
            "Die Signatur mit dem Selektor „{selector}“ deckt den Inhalt nur bis zur Länge l={signed} Byte ab. Im Moment ist das der ganze Inhalt; Text, den jemand später anhängt, wäre aber nicht signiert und fiele nicht auf."
        }
        (DkimBodyLengthLimit, "whole", En) => {
            "The signature with selector \"{selector}\" covers the body only up to its length l={signed} octets. Right now that is the whole body, but text appended later would not be signed and would go unnoticed."
        }
        (DkimBodyLengthLimit, _, De) => {
            "Die Signatur mit dem Selektor „{selector}“ deckt nur die ersten {signed} von {body} Byte des Inhalts ab (l={signed}). Die übrigen {unsigned} Byte sind nicht signiert: Sie können nach dem Signieren angehängt worden sein, von wem auch immer."
        }
        (DkimBodyLengthLimit, _, En) => {
            "The signature with selector \"{selector}\" covers only the first {signed} of {body} octets of the body (l={signed}). The other {unsigned} octets are not signed: anyone may have appended them after signing."
        }
        (DkimBodyMissing, _, De) => {
            "Es wurden nur die Kopfzeilen eingefügt. Eine DKIM-Signatur sichert auch den Inhalt der Nachricht, daher lässt sie sich ohne den Inhalt nicht prüfen."
        }
        (DkimBodyMissing, _, En) => {
            "Only the headers were pasted. A DKIM signature also covers the body of the message, so it cannot be verified without the body."
        }
        _ => return None,
    })
}

/// What to change, in one or two sentences; `None` for codes that need no action.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (DkimOk, _) => return None,
        (DkimSelectorMissing, De) => {
            "Legen Sie den DKIM-Eintrag genau so an, wie Ihr E-Mail- oder Versanddienst ihn vorgibt (meist ein CNAME- oder TXT-Eintrag mit dem Namen „Selektor._domainkey“), und prüfen Sie die Schreibweise des Selektors."
        }
        (DkimSelectorMissing, En) => {
            "Create the DKIM record exactly as your mail or sending service specifies (usually a CNAME or TXT record named \"selector._domainkey\"), and check the spelling of the selector."
        }
        (DkimNoneFound, De) => {
            "Richten Sie DKIM bei Ihrem E-Mail-Dienst ein und veröffentlichen Sie den Eintrag, den er vorgibt. Signiert er bereits, steht der Selektor im Kopf einer versendeten E-Mail (DKIM-Signature, Angabe „s=“); geben Sie ihn bei der Prüfung mit an."
        }
        (DkimNoneFound, En) => {
            "Set up DKIM with your mail service and publish the record it specifies. If it already signs, the selector is in the header of a sent message (DKIM-Signature, the \"s=\" tag); enter it when you run the check."
        }
        (DkimSyntaxError, De) => {
            "Korrigieren Sie die markierte Stelle. Übernehmen Sie den Eintrag am besten genau so, wie Ihr Anbieter ihn vorgibt."
        }
        (DkimSyntaxError, En) => {
            "Correct the marked part. It is best to copy the record exactly as your provider specifies it."
        }
        (DkimKeyRevoked, De) => {
            "Haben Sie den Schlüssel absichtlich widerrufen, ist nichts zu tun. Andernfalls veröffentlichen Sie den aktuellen Schlüssel, den Ihr E-Mail-Dienst für diesen Selektor angibt."
        }
        (DkimKeyRevoked, En) => {
            "If you revoked the key on purpose, nothing needs to be done. Otherwise, publish the current key your mail service gives for this selector."
        }
        (DkimKeyInvalid, De) => {
            "Kopieren Sie den Eintrag erneut vollständig aus der Verwaltung Ihres E-Mail-Dienstes, ohne zusätzliche Anführungszeichen und ohne „-----BEGIN“- oder „-----END“-Zeilen."
        }
        (DkimKeyInvalid, En) => {
            "Copy the record again, completely, from your mail service's settings, without extra quotes and without \"-----BEGIN\" or \"-----END\" lines."
        }
        (DkimKeyTooShort, De) => {
            "Erzeugen Sie bei Ihrem E-Mail-Dienst oder auf Ihrem Mailserver einen neuen Schlüssel mit 2048 Bit und veröffentlichen Sie ihn, am besten unter einem neuen Selektor."
        }
        (DkimKeyTooShort, En) => {
            "Generate a new 2048-bit key with your mail service or on your mail server and publish it, preferably under a new selector."
        }
        (DkimKeyWeak, De) => {
            "Stellen Sie bei Gelegenheit auf einen Schlüssel mit 2048 Bit um, am besten unter einem neuen Selektor, damit der Wechsel ohne Unterbrechung gelingt."
        }
        (DkimKeyWeak, En) => {
            "When you can, switch to a 2048-bit key, preferably under a new selector so that the change causes no interruption."
        }
        (DkimTesting, De) => {
            "Sobald DKIM zuverlässig funktioniert, entfernen Sie „t=y“ aus dem Eintrag."
        }
        (DkimTesting, En) => "Once DKIM works reliably, remove \"t=y\" from the record.",
        (DkimSha1Only, De) => {
            "Entfernen Sie „h=sha1“ aus dem Eintrag (oder schreiben Sie „h=sha256“) und stellen Sie die Signatur bei Ihrem E-Mail-Dienst oder Mailserver auf SHA-256 um."
        }
        (DkimSha1Only, En) => {
            "Remove \"h=sha1\" from the record (or write \"h=sha256\") and switch signing to SHA-256 with your mail service or on your mail server."
        }
        (DkimDnsError, De) => {
            "Prüfen Sie später noch einmal. Bleibt der Fehler bestehen, wenden Sie sich an den Anbieter, der die DNS-Einträge Ihrer Domain verwaltet."
        }
        (DkimDnsError, En) => {
            "Check again later. If the error persists, contact the provider that manages your domain's DNS records."
        }
        (DkimBodyLengthLimit, De) => {
            "Signieren Sie ohne Längenangabe (l=), damit der ganze Inhalt geschützt ist; die meisten Mailserver tun das von sich aus."
        }
        (DkimBodyLengthLimit, En) => {
            "Sign without a body length (l=) so that the whole body is protected; most mail servers do so by default."
        }
        (DkimBodyMissing, De) => {
            "Fügen Sie die ganze Nachricht ein: Kopfzeilen, eine Leerzeile und den Inhalt (in vielen Programmen „Original anzeigen“ oder „Quelltext“)."
        }
        (DkimBodyMissing, En) => {
            "Paste the whole message: the headers, an empty line and the body (\"Show original\" or \"View source\" in most mail programs)."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter the check gives them, one per wording of their message; for the
/// message tests (here, and for the shared table in `messages/mod.rs`).
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    let name = "s1._domainkey.example.com";
    let finding = Finding::new(code)
        .with_domain(name)
        .with("selector", "s1")
        .with("name", name);
    Some(match code {
        DkimOk => vec![
            finding.clone().with("key_type", "rsa").with("bits", 2048),
            finding.with("key_type", "ed25519").with("bits", 256),
        ],
        DkimSelectorMissing => vec![
            finding
                .clone()
                .with("source", "user")
                .with("answer", "NXDOMAIN"),
            finding
                .clone()
                .with("source", "profile")
                .with("answer", "NODATA"),
            finding
                .clone()
                .with("source", "user")
                .with("answer", "other-txt"),
            finding
                .with("source", "user")
                .with("reason", "invalid")
                .with("selector", "bad selector"),
            Finding::new(code)
                .with("domain", "example.com")
                .with("source", "guessed")
                .with("selectors", "google, selector1, default")
                .with("count", 3),
            Finding::new(code)
                .with("domain", "example.com")
                .with("source", "guessed")
                .with("selectors", "google, selector1, selector2")
                .with("count", 3)
                .with("providers", "Microsoft 365"),
            Finding::new(code)
                .with("domain", "example.com")
                .with("source", "guessed")
                .with("selectors", "google, selector1")
                .with("count", 2)
                .with("providers", "Google Workspace")
                .with("unguessable", "Amazon SES"),
        ],
        DkimNoneFound => {
            let finding = Finding::new(code)
                .with("domain", "example.com")
                .with("count", 8)
                .with("selectors", "google, selector1");
            vec![finding.clone(), finding.with("failed", 2)]
        }
        DkimSyntaxError => {
            let mut findings: Vec<Finding> = [
                ("version", "v=DKIM2"),
                ("version-not-first", "v=DKIM1"),
                ("no-key", "v=DKIM1; k=rsa"),
                ("no-equals", "rsa"),
                ("name", "1k=rsa"),
                ("duplicate", "p=abc"),
                ("case", "P=abc"),
                ("key-type", "k=dsa"),
                ("hash", "h=sha512"),
                ("service", "s=tlsrpt"),
            ]
            .into_iter()
            .map(|(reason, term)| {
                let tag = term.split('=').next().unwrap_or_default();
                finding
                    .clone()
                    .with("reason", reason)
                    .with("term", term)
                    .with("tag", tag)
                    .with("expected", "p")
            })
            .collect();
            findings.push(
                finding
                    .clone()
                    .with("reason", "character")
                    .with("term", "h=sha256\u{a0}")
                    .with("tag", "h")
                    .with("character", "U+00A0"),
            );
            findings.push(finding.clone().with("reason", "multiple").with("count", 2));
            findings.push(finding.with("term", "x"));
            findings
        }
        DkimKeyRevoked => vec![finding.with("term", "p=").with("tag", "p")],
        DkimKeyInvalid => {
            let finding = finding.with("key_type", "rsa");
            let mut findings: Vec<Finding> = [
                "base64",
                "pem",
                "rsa",
                "ed25519-spki",
                "looks-ed25519",
                "looks-rsa",
            ]
            .into_iter()
            .map(|reason| finding.clone().with("reason", reason))
            .collect();
            findings.push(
                finding
                    .clone()
                    .with("reason", "base64")
                    .with("character", "-"),
            );
            findings.push(
                finding
                    .clone()
                    .with("key_type", "ed25519")
                    .with("reason", "ed25519")
                    .with("bytes", 33),
            );
            findings.push(finding);
            findings
        }
        DkimKeyTooShort => vec![
            finding
                .with("key_type", "rsa")
                .with("bits", 512)
                .with("minimum", 1024),
        ],
        DkimKeyWeak => vec![
            finding
                .with("key_type", "rsa")
                .with("bits", 1024)
                .with("recommended", 2048),
        ],
        DkimTesting => vec![finding.with("term", "t=y").with("tag", "t")],
        DkimSha1Only => vec![finding.with("term", "h=sha1").with("tag", "h")],
        DkimBodyLengthLimit => vec![
            finding
                .clone()
                .with("signed", 120)
                .with("body", 180)
                .with("unsigned", 60),
            finding
                .with("signed", 180)
                .with("body", 180)
                .with("unsigned", 0),
        ],
        DkimBodyMissing => vec![finding.with("count", 1)],
        DkimDnsError => vec![
            finding
                .clone()
                .with("query", "s1._domainkey.example.com TXT")
                .with("failure", "timeout"),
            Finding::new(code)
                .with("domain", "example.com")
                .with("source", "guessed")
                .with("count", 6)
                .with("failure", "SERVFAIL"),
        ],
        _ => return None,
    })
}
