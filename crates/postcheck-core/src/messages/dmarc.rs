//! The German and English texts of the DMARC codes (RFC 7489, RFC 9989).
//!
//! Where receivers that follow RFC 7489 and those that follow RFC 9989 act differently, the
//! message says what each does; the finding then carries `receivers_differ=true`.

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// Which wording of a DMARC code's message fits the finding's parameters.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    Some(match finding.code {
        Code::DmarcOk if finding.param("policy") == "reject" => "reject",
        Code::DmarcNone if !finding.param("parents").is_empty() => "walked",
        Code::DmarcInherited => match finding.param("tag") {
            "sp" => "sp",
            "p" => "p",
            _ => "",
        },
        Code::DmarcMultipleRecords if !finding.param("fallback").is_empty() => "fallback",
        Code::DmarcSyntaxError | Code::DmarcInvalidUri => finding.param("reason"),
        Code::DmarcPolicyMissing if finding.param("has_rua") == "false" => "no-rua",
        Code::DmarcPolicyInvalid if finding.param("fallback") == "ignored" => "ignored",
        Code::DmarcPolicyNone if finding.param("tag") == "sp" => "sp",
        Code::DmarcPctPartial if finding.param("tag") == "t" => "t",
        Code::DmarcUnknownTag if !finding.param("suggestion").is_empty() => "suggestion",
        Code::DmarcDeprecatedTag if finding.param("tag") == "pct" => "pct",
        Code::DmarcDnsError if !finding.param("host").is_empty() => "report",
        code if code.family() == Family::Dmarc => "",
        _ => return None,
    })
}

/// The message template of a DMARC code in one wording and language.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (DmarcOk, "reject", De) => {
            "{domain} ist durch DMARC geschützt: Empfangende Server sollen E-Mails, die die Prüfung nicht bestehen, abweisen ({tag}=reject)."
        }
        (DmarcOk, "reject", En) => {
            "{domain} is protected by DMARC: receiving servers are asked to reject mail that fails the check ({tag}=reject)."
        }
        (DmarcOk, _, De) => {
            "{domain} ist durch DMARC geschützt: Empfangende Server sollen E-Mails, die die Prüfung nicht bestehen, als verdächtig behandeln ({tag}=quarantine), etwa in den Spam-Ordner verschieben."
        }
        (DmarcOk, _, En) => {
            "{domain} is protected by DMARC: receiving servers are asked to treat mail that fails the check as suspicious ({tag}=quarantine), for example by moving it to the spam folder."
        }
        (DmarcNone, "walked", De) => {
            "Weder {domain} noch die übergeordneten Domains ({parents}) haben einen DMARC-Eintrag. Empfangende Server können so nicht erkennen, ob E-Mails mit dieser Absenderdomain echt sind, und große Anbieter wie Gmail und Yahoo verlangen DMARC von Massenversendern."
        }
        (DmarcNone, "walked", En) => {
            "Neither {domain} nor its parent domains ({parents}) have a DMARC record. Receiving servers cannot tell whether mail sent as this domain is genuine, and large mailbox providers such as Gmail and Yahoo require DMARC from bulk senders."
        }
        (DmarcNone, _, De) => {
            "{domain} hat keinen DMARC-Eintrag (TXT-Eintrag unter _dmarc.{domain}). Empfangende Server können so nicht erkennen, ob E-Mails mit dieser Absenderdomain echt sind, und große Anbieter wie Gmail und Yahoo verlangen DMARC von Massenversendern."
        }
        (DmarcNone, _, En) => {
            "{domain} has no DMARC record (a TXT record at _dmarc.{domain}). Receiving servers cannot tell whether mail sent as this domain is genuine, and large mailbox providers such as Gmail and Yahoo require DMARC from bulk senders."
        }
        (DmarcInherited, "sp", De) => {
            "{domain} hat keinen eigenen DMARC-Eintrag, daher gilt der Eintrag von {policy_domain}. Für Subdomains legt dessen Angabe „sp“ die Richtlinie fest: {policy}."
        }
        (DmarcInherited, "sp", En) => {
            "{domain} has no DMARC record of its own, so the record of {policy_domain} applies. For subdomains, its sp tag sets the policy: {policy}."
        }
        (DmarcInherited, "p", De) => {
            "{domain} hat keinen eigenen DMARC-Eintrag, daher gilt der Eintrag von {policy_domain}. Er enthält keine Angabe „sp“ für Subdomains, also gilt seine Angabe „p“: {policy}."
        }
        (DmarcInherited, "p", En) => {
            "{domain} has no DMARC record of its own, so the record of {policy_domain} applies. It has no sp tag for subdomains, so its p tag applies: {policy}."
        }
        (DmarcInherited, _, De) => {
            "{domain} hat keinen eigenen DMARC-Eintrag, daher gilt der Eintrag von {policy_domain}."
        }
        (DmarcInherited, _, En) => {
            "{domain} has no DMARC record of its own, so the record of {policy_domain} applies."
        }
        (DmarcMultipleRecords, "fallback", De) => {
            "Unter _dmarc.{domain} stehen {count} DMARC-Einträge, erlaubt ist nur einer. Server nach RFC 7489 wenden dann gar keine DMARC-Richtlinie an; Server nach RFC 9989 verwerfen die Einträge und verwenden stattdessen den von {fallback}."
        }
        (DmarcMultipleRecords, "fallback", En) => {
            "_dmarc.{domain} holds {count} DMARC records, but only one is allowed. Receiving servers following RFC 7489 then apply no DMARC policy at all; those following RFC 9989 discard the records and use the one of {fallback} instead."
        }
        (DmarcMultipleRecords, _, De) => {
            "Unter _dmarc.{domain} stehen {count} DMARC-Einträge, erlaubt ist nur einer. Empfangende Server verwerfen alle, es gilt also keine DMARC-Richtlinie."
        }
        (DmarcMultipleRecords, _, En) => {
            "_dmarc.{domain} holds {count} DMARC records, but only one is allowed. Receiving servers discard all of them, so no DMARC policy applies."
        }
        (DmarcSyntaxError, "no-equals", De) => {
            "„{term}“ hat nicht die Form „name=wert“ (das Gleichheitszeichen fehlt). Empfangende Server ignorieren diese Angabe."
        }
        (DmarcSyntaxError, "no-equals", En) => {
            "\"{term}\" is not of the form \"name=value\" (the equals sign is missing), so receiving servers ignore it."
        }
        (DmarcSyntaxError, "name", De) => {
            "„{term}“ hat keinen gültigen Namen: Namen bestehen nur aus Buchstaben. Empfangende Server ignorieren diese Angabe."
        }
        (DmarcSyntaxError, "name", En) => {
            "\"{term}\" has no valid tag name: names consist of letters only. Receiving servers ignore it."
        }
        (DmarcSyntaxError, "empty-value", De) => {
            "Bei „{term}“ fehlt der Wert. Empfangende Server verwenden stattdessen die Voreinstellung."
        }
        (DmarcSyntaxError, "empty-value", En) => {
            "\"{term}\" has no value, so receiving servers use the default instead."
        }
        (DmarcSyntaxError, "duplicate", De) => {
            "„{term}“ steht ein zweites Mal im Eintrag; jede Angabe darf nur einmal vorkommen. Manche Server verwerfen deshalb den ganzen Eintrag."
        }
        (DmarcSyntaxError, "duplicate", En) => {
            "\"{term}\" repeats a tag, but each tag may occur only once. Some receiving servers discard the whole record because of this."
        }
        (DmarcSyntaxError, "value", De) => {
            "„{term}“ hat einen ungültigen Wert; erlaubt sind: {expected}. Empfangende Server verwenden stattdessen die Voreinstellung."
        }
        (DmarcSyntaxError, "value", En) => {
            "\"{term}\" has an invalid value; allowed are: {expected}. Receiving servers use the default instead."
        }
        (DmarcSyntaxError, "character", De) => {
            "„{term}“ enthält das Zeichen {character}, das in DMARC-Einträgen nicht erlaubt ist, zum Beispiel ein geschütztes Leerzeichen oder ein typografisches Anführungszeichen. Empfangende Server erkennen die Angabe dadurch nicht."
        }
        (DmarcSyntaxError, "character", En) => {
            "\"{term}\" contains the character {character}, which is not allowed in a DMARC record (such as a non-breaking space or a typographic quotation mark). Receiving servers do not recognize this tag."
        }
        (DmarcSyntaxError, "version", De) => {
            "Der Eintrag muss genau mit „v=DMARC1“ beginnen (in Großbuchstaben, danach ein Semikolon), er beginnt aber mit „{term}“. Empfangende Server ignorieren den ganzen Eintrag."
        }
        (DmarcSyntaxError, "version", En) => {
            "The record must start with exactly \"v=DMARC1\" (in capitals, followed by a semicolon), but it starts with \"{term}\". Receiving servers ignore the whole record."
        }
        (DmarcSyntaxError, "leading-space", De) => {
            "Vor „v=DMARC1“ stehen Leerzeichen. Der Eintrag muss direkt mit „v=DMARC1“ beginnen, sonst übersehen ihn manche Server."
        }
        (DmarcSyntaxError, "leading-space", En) => {
            "There are spaces before \"v=DMARC1\". The record must start directly with \"v=DMARC1\", or some receiving servers overlook it."
        }
        (DmarcSyntaxError, _, De) => {
            "„{term}“ entspricht nicht dem Aufbau eines DMARC-Eintrags. Empfangende Server ignorieren diese Angabe."
        }
        (DmarcSyntaxError, _, En) => {
            "\"{term}\" does not follow the syntax of a DMARC record, so receiving servers ignore it."
        }
        (DmarcVersionNotFirst, _, De) => {
            "„v=DMARC1“ muss die erste Angabe im Eintrag sein, er beginnt aber mit „{first}“. Empfangende Server ignorieren den ganzen Eintrag."
        }
        (DmarcVersionNotFirst, _, En) => {
            "\"v=DMARC1\" must be the first tag of the record, but it starts with \"{first}\". Receiving servers ignore the whole record."
        }
        (DmarcPolicyMissing, "no-rua", De) => {
            "Im Eintrag fehlt die Angabe „p“. Server nach RFC 9989 behandeln ihn wie „p=none“; Server nach RFC 7489 ignorieren ihn ganz, weil er auch keine gültige „rua“-Adresse enthält."
        }
        (DmarcPolicyMissing, "no-rua", En) => {
            "The record has no p tag. Receiving servers following RFC 9989 treat it as p=none; those following RFC 7489 ignore it entirely, because it has no valid rua address either."
        }
        (DmarcPolicyMissing, _, De) => {
            "Im Eintrag fehlt die Angabe „p“. Empfangende Server behandeln ihn wie „p=none“: E-Mails, die die Prüfung nicht bestehen, werden trotzdem zugestellt."
        }
        (DmarcPolicyMissing, _, En) => {
            "The record has no p tag. Receiving servers treat it as p=none: mail that fails the check is delivered anyway."
        }
        (DmarcPolicyInvalid, "ignored", De) => {
            "„{term}“ ist keine gültige Richtlinie: Für „{tag}“ sind nur none, quarantine und reject erlaubt. Da der Eintrag auch keine gültige „rua“-Adresse enthält, ignorieren empfangende Server ihn ganz."
        }
        (DmarcPolicyInvalid, "ignored", En) => {
            "\"{term}\" is not a valid policy: {tag} must be none, quarantine or reject. As the record has no valid rua address either, receiving servers ignore it entirely."
        }
        (DmarcPolicyInvalid, _, De) => {
            "„{term}“ ist keine gültige Richtlinie: Für „{tag}“ sind nur none, quarantine und reject erlaubt. Empfangende Server behandeln den ganzen Eintrag deshalb wie „p=none“."
        }
        (DmarcPolicyInvalid, _, En) => {
            "\"{term}\" is not a valid policy: {tag} must be none, quarantine or reject. Receiving servers therefore treat the whole record as p=none."
        }
        (DmarcPolicyNone, "sp", De) => {
            "Der Eintrag von {policy_domain} legt für Subdomains „sp=none“ fest (nur beobachten): E-Mails im Namen von {domain}, die die Prüfung nicht bestehen, werden trotzdem zugestellt, auch gefälschte."
        }
        (DmarcPolicyNone, "sp", En) => {
            "The record of {policy_domain} sets sp=none for its subdomains (monitoring only): mail sent as {domain} that fails the check is delivered anyway, forged mail included."
        }
        (DmarcPolicyNone, _, De) => {
            "Die DMARC-Richtlinie von {policy_domain} ist „p=none“ (nur beobachten): E-Mails im Namen von {domain}, die die Prüfung nicht bestehen, werden trotzdem zugestellt, auch gefälschte."
        }
        (DmarcPolicyNone, _, En) => {
            "The DMARC policy of {policy_domain} is p=none (monitoring only): mail sent as {domain} that fails the check is delivered anyway, forged mail included."
        }
        (DmarcPctPartial, "t", De) => {
            "„{term}“ (Testmodus): Server nach RFC 9989 wenden statt {policy} die nächstmildere Richtlinie an ({reduced}). Server nach RFC 7489 kennen diese Angabe nicht und wenden {policy} an."
        }
        (DmarcPctPartial, "t", En) => {
            "\"{term}\" (test mode): receiving servers following RFC 9989 apply the next milder policy ({reduced}) instead of {policy}. Those following RFC 7489 do not know this tag and apply {policy}."
        }
        (DmarcPctPartial, _, De) => {
            "„{term}“: Server nach RFC 7489 wenden die Richtlinie {policy} nur auf {pct} % der E-Mails an, die die Prüfung nicht bestehen, und behandeln den Rest milder ({reduced}). Server nach RFC 9989 ignorieren „pct“ und wenden {policy} auf alle an."
        }
        (DmarcPctPartial, _, En) => {
            "\"{term}\": receiving servers following RFC 7489 apply the policy {policy} to only {pct}% of the mail that fails the check and treat the rest more mildly ({reduced}). Those following RFC 9989 ignore pct and apply {policy} to all of it."
        }
        (DmarcPctInvalid, _, De) => {
            "„{term}“: Bei „pct“ ist nur eine ganze Zahl von 0 bis 100 erlaubt. Server nach RFC 7489 verwenden stattdessen 100; Server nach RFC 9989 ignorieren „pct“ ohnehin."
        }
        (DmarcPctInvalid, _, En) => {
            "\"{term}\": pct must be a whole number from 0 to 100. Receiving servers following RFC 7489 use 100 instead; those following RFC 9989 ignore pct anyway."
        }
        (DmarcUnknownTag, "suggestion", De) => {
            "„{term}“ ist keine DMARC-Angabe und wird ignoriert. Meinten Sie „{suggestion}“?"
        }
        (DmarcUnknownTag, "suggestion", En) => {
            "\"{term}\" is not a DMARC tag and is ignored. Did you mean \"{suggestion}\"?"
        }
        (DmarcUnknownTag, _, De) => {
            "„{term}“ ist keine DMARC-Angabe; empfangende Server ignorieren sie."
        }
        (DmarcUnknownTag, _, En) => "\"{term}\" is not a DMARC tag; receiving servers ignore it.",
        (DmarcDeprecatedTag, "pct", De) => {
            "„{term}“: RFC 9989 hat „pct“ abgeschafft, Server nach diesem Standard ignorieren die Angabe. Den Testmodus schreibt man dort „t=y“."
        }
        (DmarcDeprecatedTag, "pct", En) => {
            "\"{term}\": RFC 9989 removed pct, and receiving servers following it ignore the tag. Its test mode is written t=y there."
        }
        (DmarcDeprecatedTag, _, De) => {
            "„{term}“: RFC 9989 hat diese Angabe abgeschafft, Server nach diesem Standard ignorieren sie. Sie können sie löschen."
        }
        (DmarcDeprecatedTag, _, En) => {
            "\"{term}\": RFC 9989 removed this tag, and receiving servers following it ignore it. You can delete it."
        }
        (DmarcInvalidUri, "scheme", De) => {
            "„{uri}“ in „{tag}“ ist keine „mailto:“-Adresse. Berichte werden nur per E-Mail verschickt, an diese Angabe also gar nicht."
        }
        (DmarcInvalidUri, "scheme", En) => {
            "\"{uri}\" in {tag} is not a mailto: address. Reports are sent by email only, so none are sent there."
        }
        (DmarcInvalidUri, "no-scheme", De) => {
            "Vor „{uri}“ in „{tag}“ fehlt „mailto:“. Ohne diesen Vorsatz erkennen empfangende Server die Adresse nicht und schicken keine Berichte."
        }
        (DmarcInvalidUri, "no-scheme", En) => {
            "\"{uri}\" in {tag} lacks the prefix \"mailto:\". Without it, receiving servers do not recognize the address and send no reports."
        }
        (DmarcInvalidUri, "address", De) => {
            "„{uri}“ in „{tag}“ enthält keine vollständige E-Mail-Adresse (name@domain), daher werden dorthin keine Berichte verschickt."
        }
        (DmarcInvalidUri, "address", En) => {
            "\"{uri}\" in {tag} does not hold a complete email address (name@domain), so no reports are sent there."
        }
        (DmarcInvalidUri, "size", De) => {
            "Die Größenangabe nach „!“ in „{uri}“ („{tag}“) ist ungültig: Erlaubt ist eine Zahl, wahlweise gefolgt von k, m, g oder t."
        }
        (DmarcInvalidUri, "size", En) => {
            "The size limit after \"!\" in \"{uri}\" ({tag}) is not valid: it must be a number, optionally followed by k, m, g or t."
        }
        (DmarcInvalidUri, "empty", De) => {
            "Die Liste „{tag}“ enthält einen leeren Eintrag (ein Komma zu viel oder gar keine Adresse)."
        }
        (DmarcInvalidUri, "empty", En) => {
            "The {tag} list has an empty entry (one comma too many, or no address at all)."
        }
        (DmarcInvalidUri, "space", De) => {
            "„{uri}“ in „{tag}“ enthält ein Leerzeichen. Trennen Sie mehrere Adressen mit Kommas, etwa „mailto:a@beispiel.de,mailto:b@beispiel.de“."
        }
        (DmarcInvalidUri, "space", En) => {
            "\"{uri}\" in {tag} contains a space. Separate several addresses with commas, such as \"mailto:a@example.com,mailto:b@example.com\"."
        }
        (DmarcInvalidUri, _, De) => {
            "„{uri}“ in „{tag}“ ist keine gültige Berichtsadresse, daher werden dorthin keine Berichte verschickt."
        }
        (DmarcInvalidUri, _, En) => {
            "\"{uri}\" in {tag} is not a valid report address, so no reports are sent there."
        }
        (DmarcNoReports, _, De) => {
            "Der DMARC-Eintrag von {policy_domain} enthält keine „rua“-Adresse. Sie erhalten daher keine Berichte darüber, wer E-Mails im Namen von {domain} versendet."
        }
        (DmarcNoReports, _, En) => {
            "The DMARC record of {policy_domain} has no rua address, so you receive no reports on who sends mail as {domain}."
        }
        (DmarcExternalReportsUnauthorized, _, De) => {
            "Berichte an {uri} werden nicht verschickt: {host} hat nicht bestätigt, dass es Berichte für {policy_domain} annimmt. Dazu muss unter {name} ein TXT-Eintrag „v=DMARC1“ stehen."
        }
        (DmarcExternalReportsUnauthorized, _, En) => {
            "Reports to {uri} are not sent: {host} has not confirmed that it accepts reports for {policy_domain}. For that, a TXT record \"v=DMARC1\" must exist at {name}."
        }
        (DmarcDnsError, "report", De) => {
            "Ob {host} DMARC-Berichte für {domain} annimmt, konnte nicht geprüft werden: Die Abfrage {query} ist fehlgeschlagen ({failure})."
        }
        (DmarcDnsError, "report", En) => {
            "Whether {host} accepts DMARC reports for {domain} could not be verified: the lookup {query} failed ({failure})."
        }
        (DmarcDnsError, _, De) => {
            "Die DMARC-Abfrage {query} ist fehlgeschlagen ({failure}), der DMARC-Eintrag von {domain} konnte daher nicht geprüft werden. Das heißt nicht, dass er fehlt."
        }
        (DmarcDnsError, _, En) => {
            "The DMARC lookup {query} failed ({failure}), so the DMARC record of {domain} could not be verified. This does not mean that it is missing."
        }
        _ => return None,
    })
}

/// What to change, in one or two sentences; `None` for DMARC codes that need no action.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (DmarcOk, _) => return None,
        (DmarcInherited, De) => {
            "Passt die Richtlinie der übergeordneten Domain auch für diese Domain, ist nichts zu tun. Für eine eigene Richtlinie legen Sie für diese Domain einen eigenen TXT-Eintrag unter „_dmarc“ an."
        }
        (DmarcInherited, En) => {
            "If the parent domain's policy suits this domain too, nothing needs to be done. For a policy of its own, publish a separate TXT record at \"_dmarc\" for this domain."
        }
        (DmarcNone, De) => {
            "Legen Sie in den DNS-Einstellungen Ihrer Domain einen TXT-Eintrag mit dem Namen „_dmarc“ und dem unten angegebenen Inhalt an. Die Berichte gehen an die Adresse nach „rua=mailto:“: Richten Sie dieses Postfach ein oder tragen Sie eine Adresse ein, die Sie lesen. Wenn die Berichte nach einigen Wochen nur noch Ihre eigenen Server zeigen, stellen Sie auf „p=quarantine“ und danach auf „p=reject“ um."
        }
        (DmarcNone, En) => {
            "In your domain's DNS settings, add a TXT record named \"_dmarc\" with the content shown below. Reports go to the address after \"rua=mailto:\": create that mailbox or enter an address you read. Once the reports show only your own servers for a few weeks, move to \"p=quarantine\" and then to \"p=reject\"."
        }
        (DmarcMultipleRecords, De) => {
            "Fassen Sie die Angaben zu einem einzigen TXT-Eintrag unter „_dmarc“ zusammen, der mit „v=DMARC1;“ beginnt, und löschen Sie die übrigen."
        }
        (DmarcMultipleRecords, En) => {
            "Combine everything into a single TXT record at \"_dmarc\" that starts with \"v=DMARC1;\", and delete the others."
        }
        (DmarcSyntaxError, De) => {
            "Korrigieren Sie die markierte Stelle: Jede Angabe hat die Form „name=wert“, Angaben werden durch Semikolons getrennt, und der Eintrag beginnt mit „v=DMARC1;“."
        }
        (DmarcSyntaxError, En) => {
            "Correct the marked part: every tag has the form \"name=value\", tags are separated by semicolons, and the record starts with \"v=DMARC1;\"."
        }
        (DmarcVersionNotFirst, De) => "Stellen Sie „v=DMARC1;“ an den Anfang des Eintrags.",
        (DmarcVersionNotFirst, En) => "Move \"v=DMARC1;\" to the start of the record.",
        (DmarcPolicyMissing, De) => {
            "Ergänzen Sie nach „v=DMARC1;“ die Angabe „p=none“ (nur beobachten) oder, sobald alle Ihre Versender die Prüfung bestehen, „p=quarantine“ bzw. „p=reject“."
        }
        (DmarcPolicyMissing, En) => {
            "Add \"p=none\" (monitoring only) after \"v=DMARC1;\", or \"p=quarantine\" or \"p=reject\" once all your senders pass the check."
        }
        (DmarcPolicyInvalid, De) => {
            "Schreiben Sie als Wert genau „none“, „quarantine“ oder „reject“."
        }
        (DmarcPolicyInvalid, En) => {
            "Use exactly \"none\", \"quarantine\" or \"reject\" as the value."
        }
        (DmarcPolicyNone, De) => {
            "Werten Sie die DMARC-Berichte aus, bis alle Ihre Versender SPF oder DKIM bestehen. Stellen Sie dann auf „quarantine“ und später auf „reject“ um; der nächste Schritt steht unten."
        }
        (DmarcPolicyNone, En) => {
            "Read the DMARC reports until all your senders pass SPF or DKIM. Then switch to \"quarantine\" and later to \"reject\"; the next step is shown below."
        }
        (DmarcPctPartial, De) => {
            "Entfernen Sie „pct“ bzw. „t=y“, sobald die Richtlinie für alle E-Mails gelten soll."
        }
        (DmarcPctPartial, En) => {
            "Remove \"pct\" or \"t=y\" once the policy is to apply to all mail."
        }
        (DmarcPctInvalid, De) => {
            "Entfernen Sie „pct“ (RFC 9989 kennt die Angabe nicht mehr) oder geben Sie eine ganze Zahl von 0 bis 100 an."
        }
        (DmarcPctInvalid, En) => {
            "Remove \"pct\" (RFC 9989 no longer has it) or give a whole number from 0 to 100."
        }
        (DmarcUnknownTag, De) => {
            "Korrigieren Sie die Schreibweise (bekannt sind v, p, sp, np, adkim, aspf, rua, ruf, fo, psd und t) oder entfernen Sie die Angabe."
        }
        (DmarcUnknownTag, En) => {
            "Correct the spelling (known tags are v, p, sp, np, adkim, aspf, rua, ruf, fo, psd and t) or remove the tag."
        }
        (DmarcDeprecatedTag, De) => {
            "Sie können die Angabe entfernen; Server nach RFC 7489 verwenden dann die Voreinstellung."
        }
        (DmarcDeprecatedTag, En) => {
            "You can remove the tag; receiving servers following RFC 7489 then use its default."
        }
        (DmarcInvalidUri, De) => {
            "Schreiben Sie jede Berichtsadresse als „mailto:name@domain“ und trennen Sie mehrere mit Kommas, etwa „rua=mailto:dmarc@beispiel.de“."
        }
        (DmarcInvalidUri, En) => {
            "Write each report address as \"mailto:name@domain\" and separate several with commas, such as \"rua=mailto:dmarc@example.com\"."
        }
        (DmarcNoReports, De) => {
            "Ergänzen Sie „rua=mailto:“ mit einer Adresse, die Sie lesen. Dorthin schicken große Anbieter täglich Berichte darüber, welche Server in Ihrem Namen senden."
        }
        (DmarcNoReports, En) => {
            "Add \"rua=mailto:\" with an address you read. Large providers send daily reports there on which servers send mail as your domain."
        }
        (DmarcExternalReportsUnauthorized, De) => {
            "Bitten Sie den Betreiber der Berichtsadresse (oft Ihr DMARC-Dienstleister), den genannten TXT-Eintrag „v=DMARC1“ anzulegen, oder verwenden Sie eine Adresse Ihrer eigenen Domain."
        }
        (DmarcExternalReportsUnauthorized, En) => {
            "Ask the operator of the report address (often your DMARC service) to publish the TXT record \"v=DMARC1\" named above, or use an address at your own domain."
        }
        (DmarcDnsError, De) => {
            "Prüfen Sie später noch einmal. Bleibt der Fehler bestehen, wenden Sie sich an den Anbieter, der die DNS-Einträge der betroffenen Domain verwaltet."
        }
        (DmarcDnsError, En) => {
            "Check again later. If the error persists, contact the provider that manages the DNS records of the affected domain."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter their code receives, one per wording of its message; for the
/// message tests (here, and for the shared table in `messages/mod.rs`).
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    let finding = Finding::new(code);
    let with_reasons = |finding: Finding, reasons: &[&str]| -> Vec<Finding> {
        reasons
            .iter()
            .map(|reason| {
                if reason.is_empty() {
                    finding.clone()
                } else {
                    finding.clone().with("reason", reason)
                }
            })
            .collect()
    };
    Some(match code {
        DmarcOk => {
            let finding = finding
                .with("domain", "example.com")
                .with("policy_domain", "example.com")
                .with("tag", "p");
            vec![
                finding.clone().with("policy", "quarantine"),
                finding.with("policy", "reject"),
            ]
        }
        DmarcNone => {
            let finding = finding.with("domain", "shop.example.com");
            vec![
                finding.clone().with("parents", ""),
                finding.with("parents", "example.com"),
            ]
        }
        DmarcInherited => {
            let finding = finding
                .with("domain", "shop.example.com")
                .with("policy_domain", "example.com");
            vec![
                finding.clone(),
                finding.clone().with("policy", "reject").with("tag", "p"),
                finding.with("policy", "quarantine").with("tag", "sp"),
            ]
        }
        DmarcMultipleRecords => {
            let finding = finding.with("domain", "shop.example.com").with("count", 2);
            vec![
                finding.clone(),
                finding
                    .with("fallback", "example.com")
                    .with("receivers_differ", true),
            ]
        }
        DmarcSyntaxError => with_reasons(
            finding
                .with("term", "adkim=x")
                .with("tag", "adkim")
                .with("expected", "r, s")
                .with("character", "U+00A0"),
            &[
                "",
                "no-equals",
                "name",
                "empty-value",
                "duplicate",
                "value",
                "character",
                "version",
                "leading-space",
            ],
        ),
        DmarcVersionNotFirst => vec![
            finding
                .with("term", "v=DMARC1")
                .with("tag", "v")
                .with("first", "p=reject"),
        ],
        DmarcPolicyMissing => vec![
            finding.clone().with("has_rua", true),
            finding
                .with("has_rua", false)
                .with("receivers_differ", true),
        ],
        DmarcPolicyInvalid => {
            let finding = finding
                .with("term", "p=rejct")
                .with("tag", "p")
                .with("value", "rejct");
            vec![
                finding.clone().with("fallback", "none"),
                finding.with("fallback", "ignored"),
            ]
        }
        DmarcPolicyNone => {
            let finding = finding
                .with("domain", "shop.example.com")
                .with("policy_domain", "example.com");
            vec![
                finding.clone().with("term", "p=none").with("tag", "p"),
                finding.with("term", "sp=none").with("tag", "sp"),
            ]
        }
        DmarcPctPartial => {
            let finding = finding
                .with("policy", "reject")
                .with("reduced", "quarantine")
                .with("receivers_differ", true);
            vec![
                finding
                    .clone()
                    .with("term", "pct=50")
                    .with("tag", "pct")
                    .with("pct", 50),
                finding.with("term", "t=y").with("tag", "t"),
            ]
        }
        DmarcPctInvalid => vec![
            finding
                .with("term", "pct=150")
                .with("tag", "pct")
                .with("value", "150"),
        ],
        DmarcUnknownTag => {
            let finding = finding
                .with("term", "rau=mailto:d@example.com")
                .with("tag", "rau");
            vec![finding.clone(), finding.with("suggestion", "rua")]
        }
        DmarcDeprecatedTag => vec![
            finding.clone().with("term", "ri=86400").with("tag", "ri"),
            finding.with("term", "pct=100").with("tag", "pct"),
        ],
        DmarcInvalidUri => with_reasons(
            finding.with("uri", "dmarc@example.com").with("tag", "rua"),
            &[
                "",
                "scheme",
                "no-scheme",
                "address",
                "size",
                "empty",
                "space",
            ],
        ),
        DmarcNoReports => vec![
            finding
                .with("domain", "example.com")
                .with("policy_domain", "example.com"),
        ],
        DmarcExternalReportsUnauthorized => vec![
            finding
                .with("uri", "mailto:d@reports.example.net")
                .with("tag", "rua")
                .with("host", "reports.example.net")
                .with("policy_domain", "example.com")
                .with("name", "example.com._report._dmarc.reports.example.net")
                .with(
                    "query",
                    "example.com._report._dmarc.reports.example.net TXT",
                ),
        ],
        DmarcDnsError => {
            let finding = finding
                .with("query", "_dmarc.example.com TXT")
                .with("failure", "SERVFAIL")
                .with("domain", "example.com");
            vec![
                finding.clone(),
                finding
                    .with("uri", "mailto:d@reports.example.net")
                    .with("host", "reports.example.net"),
            ]
        }
        _ => return None,
    })
}
