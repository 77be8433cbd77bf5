//! The page's own words in German and English (the report's messages come from the core), and
//! the page's language: picked from `?lang=`, else the browser's language, and shared with every
//! component through Leptos' context ([`provide_lang`] at a page's root, [`use_lang`] where it
//! is read, [`LangSwitch`] to change it) — the check page, the widget and `/tools` alike.

use crate::browser;
use leptos::prelude::*;
use postcheck_core::messages::Lang;

/// A label or sentence of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    Title,
    Tagline,
    DomainLabel,
    DomainHelp,
    MoreOptions,
    IpsLabel,
    IpsHelp,
    SelectorsLabel,
    SelectorsHelp,
    Check,
    Checking,
    AnswersSoFar,
    CouldNotCheck,
    Actions,
    NoActions,
    Copy,
    Copied,
    CopyLink,
    CopySnapshotLink,
    LinkHint,
    TakenAt,
    SignatureValid,
    SignatureInvalid,
    SignatureChecking,
    FromSnapshot,
    Editor,
    EditorHelp,
    EditorLabel,
    EditorClean,
    RecordType,
    Privacy,
    Language,
    IncludeTree,
    SpfPerIp,
    Ip,
    Result,
    DecidingTerm,
    WidgetCheckFor,
    WidgetTestMail,
    OpenFullReport,
    SnapshotBroken,
    ServiceUnreachable,
    ServiceBusy,
    ServiceRefused,
    ServiceIncomplete,
    NotAnIp,
    ReportLink,
    ToolsLink,
}

/// The text of `key` in `lang`.
pub fn t(key: T, lang: Lang) -> &'static str {
    use Lang::*;
    use T::*;
    match (key, lang) {
        (Title, _) => "postcheck",
        (Tagline, De) => {
            "Kommen Ihre E-Mails an? Prüfen Sie SPF, DKIM und DMARC Ihrer Domain und erhalten Sie den genauen DNS-Eintrag, der fehlt."
        }
        (Tagline, En) => {
            "Does your mail arrive? Check your domain's SPF, DKIM and DMARC and get the exact DNS record that is missing."
        }
        (DomainLabel, De) => "Domain, E-Mail-Adresse oder Website",
        (DomainLabel, En) => "Domain, email address or website",
        (DomainHelp, De) => "Zum Beispiel beispiel.de oder info@beispiel.de",
        (DomainHelp, En) => "For example example.com or info@example.com",
        (MoreOptions, De) => "Weitere Optionen",
        (MoreOptions, En) => "More options",
        (IpsLabel, De) => "IP-Adressen der sendenden Server",
        (IpsLabel, En) => "IP addresses of the sending servers",
        (IpsHelp, De) => {
            "Durch Leerzeichen oder Kommas getrennt; für jede wird das SPF-Ergebnis gezeigt."
        }
        (IpsHelp, En) => "Separated by spaces or commas; the SPF result is shown for each.",
        (SelectorsLabel, De) => "DKIM-Selektoren",
        (SelectorsLabel, En) => "DKIM selectors",
        (SelectorsHelp, De) => "Wie vom Anbieter genannt, z. B. s1 oder selector1.",
        (SelectorsHelp, En) => "As your provider names them, e.g. s1 or selector1.",
        (Check, De) => "Prüfen",
        (Check, En) => "Check",
        (Checking, De) => "Prüfe DNS-Einträge …",
        (Checking, En) => "Checking DNS records …",
        (AnswersSoFar, De) => "Antworten bisher, die Prüfung läuft weiter",
        (AnswersSoFar, En) => "answers so far, the check continues",
        (CouldNotCheck, De) => "Die Prüfung konnte nicht ausgeführt werden",
        (CouldNotCheck, En) => "The check could not be run",
        (Actions, De) => "Was zu tun ist",
        (Actions, En) => "What to do",
        (NoActions, De) => "Nichts zu tun: die geprüften Einträge sind in Ordnung.",
        (NoActions, En) => "Nothing to do: the records checked are fine.",
        (Copy, De) => "Kopieren",
        (Copy, En) => "Copy",
        (Copied, De) => "Kopiert",
        (Copied, En) => "Copied",
        (CopyLink, De) => "Link zur erneuten Prüfung kopieren",
        (CopyLink, En) => "Copy link that checks again",
        (CopySnapshotLink, De) => "Link auf genau diesen Bericht kopieren",
        (CopySnapshotLink, En) => "Copy link to exactly this report",
        (LinkHint, De) => {
            "Der Bericht-Link enthält die gelesenen DNS-Antworten; Ihr Support sieht damit genau, was Sie gesehen haben."
        }
        (LinkHint, En) => {
            "The report link carries the DNS answers read, so support staff see exactly what you saw."
        }
        (TakenAt, De) => "DNS gelesen am",
        (TakenAt, En) => "DNS read at",
        (SignatureValid, De) => "Signatur vom Prüfdienst bestätigt",
        (SignatureValid, En) => "Signature confirmed by the checking service",
        (SignatureInvalid, De) => "Signatur ungültig: dieser Bericht wurde verändert",
        (SignatureInvalid, En) => "Signature invalid: this report was altered",
        (SignatureChecking, De) => "Signatur wird geprüft …",
        (SignatureChecking, En) => "Checking signature …",
        (FromSnapshot, De) => "Gespeicherter Bericht – ohne neue DNS-Abfrage berechnet.",
        (FromSnapshot, En) => "Saved report – computed without a new DNS query.",
        (Editor, De) => "Eintrag prüfen",
        (Editor, En) => "Check a record",
        (EditorHelp, De) => {
            "Fügen Sie einen SPF-, DMARC- oder DKIM-Eintrag ein: Fehler erscheinen beim Tippen, ohne dass etwas gesendet wird."
        }
        (EditorHelp, En) => {
            "Paste an SPF, DMARC or DKIM record: problems show as you type, nothing is sent anywhere."
        }
        (EditorLabel, De) => "Eintrag",
        (EditorLabel, En) => "Record",
        (EditorClean, De) => "Keine Probleme gefunden.",
        (EditorClean, En) => "No problems found.",
        (RecordType, De) => "Art",
        (RecordType, En) => "Type",
        (Privacy, De) => {
            "Die Prüfung läuft in Ihrem Browser; unser Dienst liest nur öffentliche DNS-Einträge. Keine Cookies, keine Dienste Dritter."
        }
        (Privacy, En) => {
            "The check runs in your browser; our service only reads public DNS records. No cookies, no third-party services."
        }
        (Language, De) => "Sprache",
        (Language, En) => "Language",
        (IncludeTree, De) => "Eingebundene SPF-Einträge (DNS-Abfragen: eigene / insgesamt)",
        (IncludeTree, En) => "Included SPF records (DNS lookups: own / in total)",
        (SpfPerIp, De) => "SPF-Ergebnis je sendender IP",
        (SpfPerIp, En) => "SPF result per sending IP",
        (Ip, _) => "IP",
        (Result, De) => "Ergebnis",
        (Result, En) => "Result",
        (DecidingTerm, De) => "Entscheidender Eintrag",
        (DecidingTerm, En) => "Deciding term",
        (WidgetCheckFor, De) => "Prüfen Sie, ob Ihre Domain E-Mails über diesen Anbieter erlaubt:",
        (WidgetCheckFor, En) => "Check whether your domain allows mail sent through this provider:",
        (WidgetTestMail, De) => "Oder senden Sie eine Testmail und sehen Sie, wie sie ankommt",
        (WidgetTestMail, En) => "Or send a test mail and see how it arrives",
        (OpenFullReport, De) => "Vollständigen Bericht öffnen",
        (OpenFullReport, En) => "Open the full report",
        (SnapshotBroken, De) => "Dieser Bericht-Link ist beschädigt oder unvollständig.",
        (SnapshotBroken, En) => "This report link is damaged or incomplete.",
        (ServiceUnreachable, De) => {
            "Der Prüfdienst ist nicht erreichbar. Prüfen Sie Ihre Internetverbindung und versuchen Sie es noch einmal."
        }
        (ServiceUnreachable, En) => {
            "The checking service cannot be reached. Check your internet connection and try again."
        }
        (ServiceBusy, De) => {
            "Von Ihrem Netz kamen gerade sehr viele Prüfungen. Versuchen Sie es in einer Minute noch einmal."
        }
        (ServiceBusy, En) => {
            "Very many checks came from your network just now. Try again in a minute."
        }
        (ServiceRefused, De) => "Der Prüfdienst hat die Anfrage abgelehnt.",
        (ServiceRefused, En) => "The checking service refused the request.",
        (ServiceIncomplete, De) => {
            "Die Antwort des Prüfdienstes war unvollständig. Versuchen Sie es noch einmal."
        }
        (ServiceIncomplete, En) => "The checking service's answer was incomplete. Try again.",
        (NotAnIp, De) => "Eine der angegebenen sendenden IPs ist keine gültige IP-Adresse",
        (NotAnIp, En) => "One of the sending IPs given is not a valid IP address",
        (ReportLink, De) => "Bericht-Link",
        (ReportLink, En) => "Report link",
        (ToolsLink, De) => "Fehlermeldung erhalten? Hier erklären lassen",
        (ToolsLink, En) => "Got a bounce? Have it explained",
    }
}

/// The language from `?lang=` if given, else the browser's preferred language, else English
/// (each read by [`Lang::parse`]).
pub fn initial_lang(query_lang: Option<&str>, navigator_lang: Option<&str>) -> Lang {
    query_lang
        .and_then(Lang::parse)
        .or_else(|| navigator_lang.and_then(Lang::parse))
        .unwrap_or(Lang::En)
}

/// The page's language as its root provides it to every component below.
#[derive(Debug, Clone, Copy)]
struct PageLang(RwSignal<Lang>);

/// Picks the page's language ([`initial_lang`] of the URL and the browser), keeps the document's
/// `lang` attribute in step, and provides it to the components below (call it at the root).
pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(initial_lang(
        browser::query("lang").as_deref(),
        browser::navigator_language().as_deref(),
    ));
    Effect::new(move |_| browser::set_document_lang(lang.get().as_str()));
    provide_context(PageLang(lang));
    lang
}

/// The page's language (tracked where it is read), as the root provided it.
///
/// # Panics
/// Outside a component tree whose root called [`provide_lang`] (or [`provide_lang_value`]).
pub fn use_lang() -> Signal<Lang> {
    expect_context::<PageLang>().0.into()
}

/// Provides a given language signal: for a component mounted on its own (the browser tests).
pub fn provide_lang_value(lang: RwSignal<Lang>) {
    provide_context(PageLang(lang));
}

/// The language switch: one button per language, the current one pressed (`?lang=` keeps
/// working after a switch).
#[component]
pub fn LangSwitch() -> impl IntoView {
    let PageLang(lang) = expect_context::<PageLang>();
    let button = move |target: Lang, label: &'static str| {
        view! {
            <button
                type="button"
                lang=target.as_str()
                aria-pressed=move || (lang.get() == target).to_string()
                on:click=move |_| lang.set(target)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="lang" aria-label=move || t(T::Language, lang.get())>
            {button(Lang::De, "Deutsch")}
            {button(Lang::En, "English")}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_wins_then_browser_then_english() {
        assert_eq!(initial_lang(Some("de"), Some("en-US")), Lang::De);
        assert_eq!(initial_lang(Some("xx"), Some("de-AT")), Lang::De);
        assert_eq!(initial_lang(None, Some("fr")), Lang::En);
        assert_eq!(initial_lang(None, None), Lang::En);
    }
}
