//! The German and English texts of the SPF codes (RFC 7208).

use super::Lang;
use crate::findings::{Code, Family, Finding};

/// Which wording of a code's message fits the finding's parameters; `""` is the usual one.
pub(super) fn variant(finding: &Finding) -> Option<&str> {
    Some(match finding.code {
        Code::SpfSyntaxError => finding.param("reason"),
        Code::SpfVoidLookup => finding.param("answer"),
        Code::SpfIncludeNoRecord | Code::SpfIncludeLoop | Code::SpfMxLimit
            if finding.param("term").is_empty() =>
        {
            "no-term"
        }
        Code::SpfIpNotAuthorized => {
            match (
                finding.param("term").is_empty(),
                finding.param("fix").is_empty(),
            ) {
                (false, true) => "decided",
                (false, false) => "decided-fix",
                (true, true) => "default",
                (true, false) => "default-fix",
            }
        }
        code if code.family() == Family::Spf => "",
        _ => return None,
    })
}

/// The message template of a code in one wording and language; `None` for another family's code.
///
/// The match is not exhaustive: its last arm answers `None` for every code it does not name, so a
/// new SPF code without sentences still compiles. The tests in `messages/mod.rs` catch it instead:
/// every code needs examples and a message in both languages.
pub(super) fn template(code: Code, variant: &str, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    Some(match (code, variant, lang) {
        (SpfOk, _, De) => {
            "{domain} hat einen gültigen SPF-Eintrag. Die Prüfung braucht {lookups} der 10 erlaubten DNS-Abfragen."
        }
        (SpfOk, _, En) => {
            "{domain} has one valid SPF record. Checking it takes {lookups} of the 10 allowed DNS lookups."
        }
        (SpfNone, _, De) => {
            "Für {domain} gibt es keinen SPF-Eintrag. Empfangende Server können daher nicht prüfen, welche Server E-Mails für diese Domain versenden dürfen."
        }
        (SpfNone, _, En) => {
            "{domain} has no SPF record, so receiving servers cannot check which servers may send mail for it."
        }
        (SpfMultipleRecords, _, De) => {
            "{domain} hat {count} SPF-Einträge, erlaubt ist nur einer. Empfangende Server werten das als Fehler und beachten keinen davon."
        }
        (SpfMultipleRecords, _, En) => {
            "{domain} has {count} SPF records, but only one is allowed. Receiving servers treat this as an error and use none of them."
        }
        (SpfSyntaxError, "version", De) => {
            "„{term}“ ist keine gültige SPF-Version: Der Eintrag muss genau mit „v=spf1“ beginnen. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfSyntaxError, "version", En) => {
            "\"{term}\" is not a valid SPF version: the record must start with exactly \"v=spf1\". The whole record is therefore invalid."
        }
        (SpfSyntaxError, "character", De) => {
            "„{term}“ enthält ein Zeichen, das im SPF-Eintrag nicht erlaubt ist, zum Beispiel ein typografisches Anführungszeichen, einen Tabulator oder ein geschütztes Leerzeichen. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfSyntaxError, "character", En) => {
            "\"{term}\" contains a character that is not allowed in an SPF record, such as a typographic quotation mark, a tab or a non-breaking space. The whole record is therefore invalid."
        }
        (SpfSyntaxError, "domain", De) => {
            "„{term}“ enthält keinen gültigen Domainnamen. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfSyntaxError, "domain", En) => {
            "\"{term}\" does not contain a valid domain name. The whole record is therefore invalid."
        }
        (SpfSyntaxError, "domain-required", De) => {
            "Bei „{term}“ fehlt der Domainname, der hier angegeben werden muss. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfSyntaxError, "domain-required", En) => {
            "\"{term}\" is missing the domain name it requires. The whole record is therefore invalid."
        }
        (SpfSyntaxError, "address-required", De) => {
            "Bei „{term}“ fehlt die IP-Adresse, die hier angegeben werden muss. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfSyntaxError, "address-required", En) => {
            "\"{term}\" is missing the IP address it requires. The whole record is therefore invalid."
        }
        (SpfSyntaxError, _, De) => {
            "„{term}“ ist im SPF-Eintrag keine gültige Angabe. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfSyntaxError, _, En) => {
            "\"{term}\" is not valid in an SPF record. The whole record is therefore invalid."
        }
        (SpfUnknownMechanism, _, De) => {
            "„{term}“ verwendet „{name}“, das es in SPF nicht gibt. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfUnknownMechanism, _, En) => {
            "\"{term}\" uses \"{name}\", which does not exist in SPF. The whole record is therefore invalid."
        }
        (SpfInvalidIp, _, De) => {
            "„{address}“ in „{term}“ ist keine gültige IP-Adresse. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfInvalidIp, _, En) => {
            "\"{address}\" in \"{term}\" is not a valid IP address. The whole record is therefore invalid."
        }
        (SpfInvalidCidr, _, De) => {
            "Die Netzgröße /{prefix} in „{term}“ ist nicht möglich, höchstens /{max} ist erlaubt. Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfInvalidCidr, _, En) => {
            "The network size /{prefix} in \"{term}\" is not possible; at most /{max} is allowed. The whole record is therefore invalid."
        }
        (SpfInvalidMacro, _, De) => {
            "„{macro}“ in „{term}“ ist kein gültiges Makro (ein Platzhalter, der mit „%“ beginnt). Der ganze Eintrag ist dadurch ungültig."
        }
        (SpfInvalidMacro, _, En) => {
            "\"{macro}\" in \"{term}\" is not a valid macro (a placeholder starting with \"%\"). The whole record is therefore invalid."
        }
        (SpfDuplicateModifier, _, De) => {
            "„{modifier}=“ kommt im SPF-Eintrag mehrfach vor, zuletzt als „{term}“. Das ist nicht erlaubt und macht den ganzen Eintrag ungültig."
        }
        (SpfDuplicateModifier, _, En) => {
            "\"{modifier}=\" appears more than once in the SPF record, the second time as \"{term}\". That is not allowed and makes the whole record invalid."
        }
        (SpfSplitStrings, _, De) => {
            "Der SPF-Eintrag ist in mehrere Textstücke aufgeteilt, die ohne Leerzeichen aneinandergefügt werden. Dadurch entsteht „{term}“."
        }
        (SpfSplitStrings, _, En) => {
            "The SPF record is stored in several pieces of text that are joined without a space, which produces \"{term}\"."
        }
        (SpfFindingsCapped, _, De) => {
            "Der SPF-Eintrag enthält noch {count} weitere Probleme, die hier nicht einzeln aufgeführt sind. Ein so langer, fehlerhafter Eintrag ist kein gewöhnlicher Tippfehler."
        }
        (SpfFindingsCapped, _, En) => {
            "The SPF record has {count} more problems that are not listed one by one here. A record this long and this broken is no ordinary typo."
        }
        (SpfUnknownModifier, _, De) => {
            "„{modifier}“ in „{term}“ ist keine bekannte SPF-Angabe. Empfangende Server ignorieren sie."
        }
        (SpfUnknownModifier, _, En) => {
            "\"{modifier}\" in \"{term}\" is not a known SPF setting. Receiving servers ignore it."
        }
        (SpfLookupLimit, _, De) => {
            "Die Prüfung des SPF-Eintrags braucht {count} DNS-Abfragen, erlaubt sind höchstens {limit}. Empfangende Server werten das als Fehler, die SPF-Prüfung schlägt fehl."
        }
        (SpfLookupLimit, _, En) => {
            "Checking the SPF record takes {count} DNS lookups, but at most {limit} are allowed. Receiving servers treat this as an error and the SPF check fails."
        }
        (SpfLookupNearLimit, _, De) => {
            "Die Prüfung des SPF-Eintrags braucht {count} von höchstens {limit} erlaubten DNS-Abfragen. Schon ein weiterer Anbieter kann die Grenze überschreiten."
        }
        (SpfLookupNearLimit, _, En) => {
            "Checking the SPF record takes {count} of the at most {limit} allowed DNS lookups. One more provider can exceed the limit."
        }
        (SpfMxLimit, "no-term", De) => {
            "{host} hat {count} Mailserver (MX), erlaubt sind höchstens {limit}. Die SPF-Prüfung schlägt deshalb fehl."
        }
        (SpfMxLimit, "no-term", En) => {
            "{host} has {count} mail servers (MX), but at most {limit} are allowed. The SPF check therefore fails."
        }
        (SpfMxLimit, _, De) => {
            "„{term}“ verweist auf die {count} Mailserver (MX) von {host}, erlaubt sind höchstens {limit}. Die SPF-Prüfung schlägt deshalb fehl."
        }
        (SpfMxLimit, _, En) => {
            "\"{term}\" refers to the {count} mail servers (MX) of {host}, but at most {limit} are allowed. The SPF check therefore fails."
        }
        (SpfVoidLookup, "NXDOMAIN", De) => {
            "„{term}“ verweist auf {target}, diesen Namen gibt es aber nicht (NXDOMAIN)."
        }
        (SpfVoidLookup, "NXDOMAIN", En) => {
            "\"{term}\" points to {target}, but that name does not exist (NXDOMAIN)."
        }
        (SpfVoidLookup, _, De) => {
            "„{term}“ verweist auf {target}, dort gibt es aber keine passenden DNS-Einträge ({answer})."
        }
        (SpfVoidLookup, _, En) => {
            "\"{term}\" points to {target}, but it has no matching DNS records ({answer})."
        }
        (SpfVoidLookupLimit, _, De) => {
            "{count} Abfragen bei der Prüfung des SPF-Eintrags blieben ohne Ergebnis, erlaubt sind höchstens {limit}. Empfangende Server werten das als Fehler."
        }
        (SpfVoidLookupLimit, _, En) => {
            "{count} lookups while checking the SPF record found nothing, but at most {limit} are allowed. Receiving servers treat this as an error."
        }
        (SpfIncludeNoRecord, "no-term", De) => {
            "{target} ist eingebunden, hat aber keinen SPF-Eintrag. Empfangende Server werten das als Fehler."
        }
        (SpfIncludeNoRecord, "no-term", En) => {
            "{target} is included but has no SPF record. Receiving servers treat this as an error."
        }
        (SpfIncludeNoRecord, _, De) => {
            "„{term}“ bindet {target} ein, dort gibt es aber keinen SPF-Eintrag. Empfangende Server werten das als Fehler."
        }
        (SpfIncludeNoRecord, _, En) => {
            "\"{term}\" includes {target}, but it has no SPF record. Receiving servers treat this as an error."
        }
        (SpfIncludeLoop, "no-term", De) => {
            "Die Einbindungen führen zurück zu {target}, das bereits geprüft wird ({path}). Empfangende Server werten diese Schleife als Fehler."
        }
        (SpfIncludeLoop, "no-term", En) => {
            "The includes lead back to {target}, which is already being checked ({path}). Receiving servers treat this loop as an error."
        }
        (SpfIncludeLoop, _, De) => {
            "„{term}“ führt zurück zu {target}, das bereits geprüft wird ({path}). Empfangende Server werten diese Schleife als Fehler."
        }
        (SpfIncludeLoop, _, En) => {
            "\"{term}\" leads back to {target}, which is already being checked ({path}). Receiving servers treat this loop as an error."
        }
        (SpfRedirectIgnored, _, De) => {
            "„{term}“ wird nie verwendet, weil der Eintrag auch eine „all“-Angabe enthält, die immer vorher greift."
        }
        (SpfRedirectIgnored, _, En) => {
            "\"{term}\" is never used, because the record also has an \"all\" term, which always decides first."
        }
        (SpfPassAll, _, De) => {
            "„{term}“ erlaubt jedem Server der Welt, E-Mails im Namen Ihrer Domain zu versenden. Damit kann jeder Ihre Absenderadresse fälschen."
        }
        (SpfPassAll, _, En) => {
            "\"{term}\" allows every server in the world to send mail in the name of your domain, so anyone can forge your sender address."
        }
        (SpfNeutralAll, _, De) => {
            "„{term}“ sagt empfangenden Servern, über nicht eingetragene Server keine Aussage zu treffen. Gefälschte E-Mails mit Ihrer Domain werden so nicht erkannt."
        }
        (SpfNeutralAll, _, En) => {
            "\"{term}\" tells receiving servers to make no judgement about servers that are not listed, so forged mail with your domain is not recognized."
        }
        (SpfNoAll, _, De) => {
            "Der SPF-Eintrag von {domain} endet ohne „all“-Angabe. E-Mails von nicht eingetragenen Servern erhalten daher kein klares Ergebnis (neutral)."
        }
        (SpfNoAll, _, En) => {
            "The SPF record of {domain} has no \"all\" term at the end, so mail from servers that are not listed gets no clear result (neutral)."
        }
        (SpfPtrDeprecated, _, De) => {
            "„{term}“ verwendet eine Rückwärtsauflösung (ptr). Das ist langsam und unzuverlässig, sollte nicht mehr verwendet werden und wird von manchen empfangenden Servern übergangen."
        }
        (SpfPtrDeprecated, _, En) => {
            "\"{term}\" relies on a reverse lookup (ptr), which is slow and unreliable, should no longer be used, and is skipped by some receiving servers."
        }
        (SpfRecordTooLong, _, De) => {
            "Die SPF-Antwort für {domain} ist {bytes} Byte lang. Ab 450 Byte können manche empfangenden Server sie nicht zuverlässig abrufen."
        }
        (SpfRecordTooLong, _, En) => {
            "The SPF answer for {domain} is {bytes} bytes long. Above 450 bytes, some receiving servers cannot fetch it reliably."
        }
        (SpfDnsError, _, De) => {
            "Die DNS-Abfrage {query} ist fehlgeschlagen ({failure}), daher konnte dieser Teil nicht geprüft werden. Das ist oft vorübergehend und heißt nicht, dass der Eintrag fehlt."
        }
        (SpfDnsError, _, En) => {
            "The DNS lookup {query} failed ({failure}), so this part could not be verified. This is often temporary and does not mean that the record is missing."
        }
        (SpfIpPass, _, De) => {
            "Die Absender-IP {ip} ist berechtigt: „{term}“ im SPF-Eintrag von {domain} erlaubt sie."
        }
        (SpfIpPass, _, En) => {
            "The sending IP {ip} is authorized: \"{term}\" in the SPF record of {domain} allows it."
        }
        (SpfIpNotAuthorized, "decided-fix", De) => {
            "Die Absender-IP {ip} ist im SPF-Eintrag nicht erlaubt: Es greift „{term}“, das Ergebnis ist {result}. Mit diesem SPF-Eintrag wäre sie erlaubt: {fix}"
        }
        (SpfIpNotAuthorized, "decided-fix", En) => {
            "The sending IP {ip} is not authorized by the SPF record: \"{term}\" applies and the result is {result}. With this SPF record it would be allowed: {fix}"
        }
        (SpfIpNotAuthorized, "default", De) => {
            "Die Absender-IP {ip} steht nicht im SPF-Eintrag. Es gilt die Voreinstellung, das Ergebnis ist {result}."
        }
        (SpfIpNotAuthorized, "default", En) => {
            "The sending IP {ip} is not listed in the SPF record, so the default applies and the result is {result}."
        }
        (SpfIpNotAuthorized, "default-fix", De) => {
            "Die Absender-IP {ip} steht nicht im SPF-Eintrag, das Ergebnis ist {result}. Mit diesem SPF-Eintrag wäre sie erlaubt: {fix}"
        }
        (SpfIpNotAuthorized, "default-fix", En) => {
            "The sending IP {ip} is not listed in the SPF record, so the result is {result}. With this SPF record it would be allowed: {fix}"
        }
        (SpfIpNotAuthorized, _, De) => {
            "Die Absender-IP {ip} ist im SPF-Eintrag nicht erlaubt: Es greift „{term}“, das Ergebnis ist {result}."
        }
        (SpfIpNotAuthorized, _, En) => {
            "The sending IP {ip} is not authorized by the SPF record: \"{term}\" applies and the result is {result}."
        }
        _ => return None,
    })
}

/// What to change, in one or two sentences; `None` for codes that need no action.
pub(super) fn hint(code: Code, lang: Lang) -> Option<&'static str> {
    use Code::*;
    use Lang::*;
    let text = match (code, lang) {
        (SpfOk, _) | (SpfIpPass, _) => return None,
        (SpfNone, De) => {
            "Legen Sie in den DNS-Einstellungen Ihrer Domain einen TXT-Eintrag an, der mit „v=spf1“ beginnt und die Server nennt, die Ihre E-Mails versenden. Welche Angaben nötig sind, erfahren Sie bei Ihrem E-Mail- oder Hosting-Anbieter."
        }
        (SpfNone, En) => {
            "In your domain's DNS settings, add a TXT record that starts with \"v=spf1\" and names the servers that send your mail. Your mail or hosting provider can tell you what it needs to contain."
        }
        (SpfMultipleRecords, De) => {
            "Fassen Sie alle Angaben zu einem einzigen SPF-Eintrag zusammen, der mit „v=spf1“ beginnt und mit einer „all“-Angabe endet, und löschen Sie die übrigen."
        }
        (SpfMultipleRecords, En) => {
            "Combine everything into a single SPF record that starts with \"v=spf1\" and ends with one \"all\" term, and delete the other records."
        }
        (SpfSyntaxError, De) => {
            "Korrigieren oder entfernen Sie die markierte Stelle. Übernehmen Sie den Eintrag am besten genau so, wie Ihr Anbieter ihn vorgibt."
        }
        (SpfSyntaxError, En) => {
            "Correct or remove the marked part. It is best to copy the record exactly as your provider specifies it."
        }
        (SpfUnknownMechanism, De) => {
            "Prüfen Sie die Schreibweise (zum Beispiel „include:“, „ip4:“, „ip6:“, „a“, „mx“) oder entfernen Sie die Angabe."
        }
        (SpfUnknownMechanism, En) => {
            "Check the spelling (for example \"include:\", \"ip4:\", \"ip6:\", \"a\", \"mx\") or remove the term."
        }
        (SpfInvalidIp, De) => {
            "Tragen Sie die Adresse korrekt ein: nach „ip4:“ vier Zahlen von 0 bis 255 mit Punkten dazwischen (zum Beispiel 192.0.2.10), nach „ip6:“ eine IPv6-Adresse."
        }
        (SpfInvalidIp, En) => {
            "Enter the address correctly: after \"ip4:\" four numbers from 0 to 255 separated by dots (for example 192.0.2.10), after \"ip6:\" an IPv6 address."
        }
        (SpfInvalidCidr, De) => {
            "Geben Sie höchstens /32 bei IPv4 und /128 bei IPv6 an, oder lassen Sie die Angabe weg, um nur diese eine Adresse zu erlauben."
        }
        (SpfInvalidCidr, En) => {
            "Use at most /32 for IPv4 and /128 for IPv6, or leave the suffix out to allow just that one address."
        }
        (SpfInvalidMacro, De) => {
            "Makros beginnen mit „%{“ und enden mit „}“, ein einzelnes Prozentzeichen schreibt man „%%“. Wenn Sie kein Makro meinten, entfernen Sie das „%“."
        }
        (SpfInvalidMacro, En) => {
            "Macros start with \"%{\" and end with \"}\", and a plain percent sign is written \"%%\". If you did not mean a macro, remove the \"%\"."
        }
        (SpfDuplicateModifier, De) => {
            "Behalten Sie nur eine dieser Angaben und löschen Sie die doppelte."
        }
        (SpfDuplicateModifier, En) => "Keep only one of them and delete the duplicate.",
        (SpfSplitStrings, De) => {
            "Achten Sie darauf, dass zwischen den Textstücken des Eintrags ein Leerzeichen steht, oder geben Sie den Eintrag als eine Zeile ein und lassen Sie Ihren DNS-Anbieter ihn aufteilen."
        }
        (SpfSplitStrings, En) => {
            "Make sure there is a space between the pieces of the record, or enter the record as one line and let your DNS provider split it."
        }
        (SpfFindingsCapped, De) => {
            "Beheben Sie zuerst die aufgeführten Probleme und prüfen Sie dann erneut. Am einfachsten ersetzen Sie den Eintrag durch den, den Ihr E-Mail-Anbieter vorgibt: ein SPF-Eintrag ist selten länger als eine Zeile."
        }
        (SpfFindingsCapped, En) => {
            "Fix the problems listed first, then check again. The simplest fix is to replace the record with the one your mail provider gives you: an SPF record is rarely longer than one line."
        }
        (SpfUnknownModifier, De) => {
            "Ist es ein Tippfehler, korrigieren Sie ihn; andernfalls können Sie die Angabe entfernen."
        }
        (SpfUnknownModifier, En) => "If it is a typo, correct it; otherwise you can remove it.",
        (SpfLookupLimit, De) => {
            "Entfernen Sie Einbindungen („include:“) von Diensten, die Sie nicht mehr nutzen, oder ersetzen Sie „a“ und „mx“ durch die IP-Adressen der Server („ip4:“, „ip6:“)."
        }
        (SpfLookupLimit, En) => {
            "Remove includes of services you no longer use, or replace \"a\" and \"mx\" with the servers' IP addresses (\"ip4:\", \"ip6:\")."
        }
        (SpfLookupNearLimit, De) => {
            "Bevor Sie einen weiteren Anbieter eintragen, entfernen Sie nicht mehr benötigte Einbindungen („include:“), damit die Grenze von 10 DNS-Abfragen eingehalten wird."
        }
        (SpfLookupNearLimit, En) => {
            "Before you add another provider, remove includes you no longer need so that the record stays within 10 DNS lookups."
        }
        (SpfMxLimit, De) => {
            "Ersetzen Sie „mx“ durch die IP-Adressen der sendenden Server („ip4:“, „ip6:“) oder durch die Einbindung („include:“), die Ihr Anbieter nennt."
        }
        (SpfMxLimit, En) => {
            "Replace \"mx\" with the IP addresses of the sending servers (\"ip4:\", \"ip6:\") or with the include your provider names."
        }
        (SpfVoidLookup, De) => {
            "Korrigieren Sie die Schreibweise des Namens, oder entfernen Sie die Angabe, wenn der Name nicht mehr genutzt wird."
        }
        (SpfVoidLookup, En) => {
            "Correct the spelling of the name, or remove the term if the name is no longer in use."
        }
        (SpfVoidLookupLimit, De) => {
            "Entfernen oder korrigieren Sie die Angaben, die auf nicht vorhandene Namen oder Namen ohne Einträge verweisen."
        }
        (SpfVoidLookupLimit, En) => {
            "Remove or correct the terms that point to names that do not exist or have no records."
        }
        (SpfIncludeNoRecord, De) => {
            "Vergleichen Sie die eingebundene Domain mit den Angaben Ihres Anbieters, oder entfernen Sie die Einbindung, wenn Sie den Dienst nicht mehr nutzen."
        }
        (SpfIncludeNoRecord, En) => {
            "Compare the included domain with your provider's instructions, or remove the include if you no longer use that service."
        }
        (SpfIncludeLoop, De) => {
            "Entfernen Sie die Einbindung („include:“ oder „redirect=“), die auf eine bereits eingebundene Domain zurückverweist."
        }
        (SpfIncludeLoop, En) => {
            "Remove the include or redirect that points back to a domain that is already included."
        }
        (SpfRedirectIgnored, De) => {
            "Entfernen Sie entweder die „all“-Angabe oder „redirect=“. Soll der Eintrag der anderen Domain gelten, löschen Sie die „all“-Angabe."
        }
        (SpfRedirectIgnored, En) => {
            "Remove either the \"all\" term or \"redirect=\". If the other domain's record should apply, delete the \"all\" term."
        }
        (SpfPassAll, De) => {
            "Ersetzen Sie „+all“ bzw. „all“ durch „~all“, oder durch „-all“, sobald alle Ihre Versender eingetragen sind."
        }
        (SpfPassAll, En) => {
            "Replace \"+all\" or \"all\" with \"~all\", or with \"-all\" once all your senders are listed."
        }
        (SpfNeutralAll, De) => {
            "Ersetzen Sie „?all“ durch „~all“, oder durch „-all“, sobald alle Ihre Versender eingetragen sind."
        }
        (SpfNeutralAll, En) => {
            "Replace \"?all\" with \"~all\", or with \"-all\" once all your senders are listed."
        }
        (SpfNoAll, De) => "Ergänzen Sie am Ende des Eintrags „~all“ (oder „-all“).",
        (SpfNoAll, En) => "Add \"~all\" (or \"-all\") at the end of the record.",
        (SpfPtrDeprecated, De) => {
            "Ersetzen Sie „ptr“ durch die IP-Adressen Ihrer Server („ip4:“, „ip6:“) oder durch „a“."
        }
        (SpfPtrDeprecated, En) => {
            "Replace \"ptr\" with your servers' IP addresses (\"ip4:\", \"ip6:\") or with \"a\"."
        }
        (SpfRecordTooLong, De) => {
            "Kürzen Sie den Eintrag: Entfernen Sie nicht mehr benötigte Angaben oder fassen Sie Adressen zu Bereichen zusammen (zum Beispiel „ip4:192.0.2.0/24“)."
        }
        (SpfRecordTooLong, En) => {
            "Shorten the record: remove entries you no longer need, or combine addresses into ranges (for example \"ip4:192.0.2.0/24\")."
        }
        (SpfDnsError, De) => {
            "Prüfen Sie später noch einmal. Bleibt der Fehler bestehen, wenden Sie sich an den Anbieter, der die DNS-Einträge der betroffenen Domain verwaltet."
        }
        (SpfDnsError, En) => {
            "Check again later. If the error persists, contact the provider that manages the DNS records of the affected domain."
        }
        (SpfIpNotAuthorized, De) => {
            "Tragen Sie den sendenden Server in Ihren SPF-Eintrag ein: mit der Einbindung („include:“), die Ihr E-Mail-Anbieter nennt, oder mit seiner IP-Adresse („ip4:“, „ip6:“)."
        }
        (SpfIpNotAuthorized, En) => {
            "Add the sending server to your SPF record: with the include your mail provider names, or with its IP address (\"ip4:\", \"ip6:\")."
        }
        _ => return None,
    };
    Some(text)
}

/// Findings with every parameter their code receives, one per wording of its message; for the
/// message tests in `messages/mod.rs`.
#[cfg(test)]
pub(super) fn examples(code: Code) -> Option<Vec<Finding>> {
    use Code::*;
    let finding = Finding::new(code);
    Some(match code {
        SpfOk => vec![finding.with("domain", "example.com").with("lookups", 4)],
        SpfNone => vec![finding.with("domain", "example.com")],
        SpfMultipleRecords => vec![finding.with("domain", "example.com").with("count", 2)],
        SpfSyntaxError => [
            "",
            "version",
            "character",
            "domain",
            "domain-required",
            "address-required",
        ]
        .into_iter()
        .map(|reason| {
            let finding = finding.clone().with("term", "include:");
            if reason.is_empty() {
                finding
            } else {
                finding.with("reason", reason)
            }
        })
        .collect(),
        SpfUnknownMechanism => vec![finding.with("term", "ip:192.0.2.1").with("name", "ip")],
        SpfInvalidIp => vec![
            finding
                .with("term", "ip4:192.0.2.300")
                .with("address", "192.0.2.300"),
        ],
        SpfInvalidCidr => vec![
            finding
                .with("term", "ip4:192.0.2.0/33")
                .with("prefix", 33)
                .with("max", 32),
        ],
        SpfInvalidMacro => vec![
            finding
                .with("term", "exists:%x.example.com")
                .with("macro", "%x"),
        ],
        SpfDuplicateModifier => vec![
            finding
                .with("term", "redirect=b.example")
                .with("modifier", "redirect"),
        ],
        SpfSplitStrings => vec![finding.with("term", "ip4:192.0.2.1include:_spf.example.com")],
        SpfUnknownModifier => vec![finding.with("term", "foo=bar").with("modifier", "foo")],
        SpfFindingsCapped => vec![finding.with("count", 4410)],
        SpfLookupLimit => vec![finding.with("count", 12).with("limit", 10)],
        SpfLookupNearLimit => vec![finding.with("count", 9).with("limit", 10)],
        SpfMxLimit => {
            let finding = finding
                .with("host", "example.com")
                .with("count", 11)
                .with("limit", 10);
            vec![finding.clone(), finding.with("term", "mx")]
        }
        SpfVoidLookup => ["NXDOMAIN", "NODATA"]
            .into_iter()
            .map(|answer| {
                finding
                    .clone()
                    .with("term", "a:gone.example.com")
                    .with("target", "gone.example.com")
                    .with("answer", answer)
            })
            .collect(),
        SpfVoidLookupLimit => vec![finding.with("count", 3).with("limit", 2)],
        SpfIncludeNoRecord => {
            let finding = finding.with("target", "_spf.example.net");
            vec![
                finding.clone(),
                finding.with("term", "include:_spf.example.net"),
            ]
        }
        SpfIncludeLoop => {
            let finding = finding
                .with("target", "example.com")
                .with("path", "example.com → a.example → example.com");
            vec![finding.clone(), finding.with("term", "include:example.com")]
        }
        SpfRedirectIgnored => vec![finding.with("term", "redirect=_spf.example.com")],
        SpfPassAll => vec![finding.with("term", "+all")],
        SpfNeutralAll => vec![finding.with("term", "?all")],
        SpfNoAll => vec![finding.with("domain", "example.com")],
        SpfPtrDeprecated => vec![finding.with("term", "ptr")],
        SpfRecordTooLong => vec![finding.with("domain", "example.com").with("bytes", 512)],
        SpfDnsError => vec![
            finding
                .with("query", "example.com TXT")
                .with("failure", "SERVFAIL"),
        ],
        SpfIpPass => vec![
            finding
                .with("ip", "192.0.2.1")
                .with("term", "ip4:192.0.2.0/24")
                .with("domain", "example.com"),
        ],
        SpfIpNotAuthorized => {
            let finding = finding.with("ip", "192.0.2.1").with("result", "softfail");
            let fix = "v=spf1 ip4:192.0.2.1 include:_spf.example.net ~all";
            vec![
                finding.clone().with("term", ""),
                finding.clone().with("term", "").with("fix", fix),
                finding.clone().with("term", "~all"),
                finding.with("term", "~all").with("fix", fix),
            ]
        }
        _ => return None,
    })
}
