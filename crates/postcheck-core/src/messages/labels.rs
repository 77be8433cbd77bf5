//! The labels of the bounce, header and SMTP views, in German and English: what `postcheck
//! bounce`, `postcheck headers`, `postcheck smtp` and the `/tools` page show around the findings
//! (fact names, permanence, alignment, what a DKIM result means, the "what to do" lines, who
//! acts, the settings a provider publishes). One table, so that the terminal
//! and the page say the same thing; only the page's own chrome (titles, buttons, the privacy
//! note) stays in the page.
//!
//! Each row is a label, its German text and its English text. No label takes parameters: a
//! value goes after the label, never into it.

use super::Lang;
use crate::bounce::Permanence;
use crate::headers::Alignment;
#[cfg(feature = "smtp")]
use crate::smtp::settings::{Password, Requirement, Source, UserName};

/// Declares [`Label`], [`Label::ALL`] and [`label`] from one table, so that no label can lack a
/// language or be left out of the list.
macro_rules! labels {
    ($($(#[$doc:meta])* $name:ident => $de:literal, $en:literal;)*) => {
        /// A label of the bounce or header view; [`label`] gives its text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Label {
            $($(#[$doc])* $name,)*
        }

        impl Label {
            /// Every label, in the order of the table.
            pub const ALL: &'static [Label] = &[$(Label::$name),*];
        }

        /// The text of a label.
        pub fn label(key: Label, lang: Lang) -> &'static str {
            match key {
                $(Label::$name => match lang {
                    Lang::De => $de,
                    Lang::En => $en,
                },)*
            }
        }
    };
}

labels! {
    // A bounce: its facts, one row each.

    /// The finding code of the bounce's category.
    Category => "Kategorie", "Category";
    /// Hard or soft: the value is one of the `Permanence*` labels.
    Kind => "Art", "Kind";
    /// The SMTP reply code (`550`).
    ReplyCode => "Antwortcode", "Reply code";
    /// The enhanced status code (`5.1.1`).
    StatusCode => "Statuscode", "Status code";
    /// The address the message did not reach.
    Recipient => "Empfänger", "Recipient";
    /// The receiving server that answered.
    RemoteServer => "Server", "Remote server";
    /// The domain the message was sent from.
    SenderDomain => "Absenderdomain", "Sender domain";
    /// The sending server's IP address.
    IpAddress => "IP-Adresse", "IP address";
    /// The provider recognised from the bounce's wording.
    Recognised => "Erkannt", "Recognised";
    /// The receiving server's answer, as it was given.
    ServerSaid => "Serverantwort", "Server said";

    // A bounce: hard or soft (`Permanence`).

    /// Permanent failure: sending again as it is fails again.
    PermanenceHard => "dauerhaft (Hard Bounce)", "permanent (hard bounce)";
    /// Transient failure: the sending server retries.
    PermanenceSoft => "vorübergehend (Soft Bounce)", "temporary (soft bounce)";
    /// Neither could be read from the bounce.
    PermanenceUnknown => "nicht erkennbar", "not stated";

    // A bounce: what follows the facts.

    /// Followed by the hint of the bounce's category.
    WhatToDo => "Was tun", "What to do";
    /// Followed by the check to run next.
    NextStep => "Nächster Schritt", "Next step";

    // Headers: the sections.

    /// Heading of the Authentication-Results the receiving servers added.
    AuthenticationResults =>
        "Prüfergebnisse des Empfängers (Authentication-Results)",
        "The receiver's results (Authentication-Results)";
    /// Heading of the sender's domains (From, Return-Path).
    Sender => "Absender", "Sender";
    /// Heading of the DKIM signatures.
    DkimSignatures => "DKIM-Signaturen", "DKIM signatures";
    /// Heading of the Received hops.
    Route => "Weg der Nachricht (älteste Station zuerst)", "Route (oldest hop first)";
    /// A section that found nothing.
    NoneFound => "Nichts davon im eingefügten Text.", "None in the pasted text.";
    /// A header that is not there (From, Return-Path).
    NotGiven => "nicht angegeben", "not given";
    /// Label of the SPF alignment: followed by one of the `Aligned*` labels.
    SpfAlignment => "SPF-Ausrichtung (Return-Path ↔ From)", "SPF alignment (Return-Path ↔ From)";
    /// Next to a DKIM signature: followed by (or linking to) the check of its key.
    CheckTheKey => "Schlüssel prüfen", "Check the key";

    // Headers: how two domains align (`Alignment`, RFC 7489 §3.1).

    /// Identical domains: aligned in strict and relaxed mode.
    AlignedStrict => "ausgerichtet (identisch)", "aligned (identical)";
    /// The same organizational domain: aligned in relaxed mode only.
    AlignedRelaxed =>
        "ausgerichtet (gleiche Organisationsdomain, nur relaxed)",
        "aligned (same organizational domain, relaxed only)";
    /// Not aligned.
    NotAligned => "nicht ausgerichtet", "not aligned";

    // Headers: the DKIM verification of a whole message.

    /// Heading of the verification.
    DkimVerification => "DKIM-Prüfung der Nachricht", "DKIM verification of the message";
    /// A whole message without a DKIM signature.
    NoSignature => "Keine Signatur in der Nachricht.", "No signature in the message.";

    // The SMTP check (`postcheck smtp`): its facts, one row each.

    /// The server tested, as set.
    OutgoingServer => "Postausgangsserver", "Outgoing server";
    /// The address the connection went to.
    ConnectedTo => "Verbunden mit", "Connected to";
    /// The TLS session, or none.
    Encryption => "Verschlüsselung", "Encryption";
    /// No TLS session.
    NoEncryption => "keine", "none";
    /// The server's certificate.
    Certificate => "Zertifikat", "Certificate";
    /// The certificate verified for the host name.
    CertificateValid => "gültig für den Servernamen", "valid for the server name";
    /// The certificate did not verify.
    CertificateNotValid => "nicht gültig", "not valid";
    /// The end of the certificate's validity.
    ValidUntil => "gültig bis", "valid until";
    /// The `AUTH` mechanisms offered before TLS.
    AuthBeforeTls => "AUTH vor der Verschlüsselung", "AUTH before encryption";
    /// The `AUTH` mechanisms offered under TLS.
    AuthUnderTls => "AUTH nach der Verschlüsselung", "AUTH after encryption";
    /// `AUTH` not offered.
    NotOffered => "nicht angeboten", "not offered";
    /// The login.
    Login => "Anmeldung", "Login";
    /// The login succeeded.
    LoginSucceeded => "erfolgreich", "succeeded";
    /// The login was refused.
    LoginRefused => "abgelehnt", "refused";
    /// No login was tried (no credentials, or not safe to send them).
    LoginNotTried => "nicht versucht", "not tried";
    /// The test mail.
    TestMail => "Testmail", "Test mail";
    /// The server took the test mail.
    MailAccepted => "vom Server angenommen", "accepted by the server";
    /// The server did not take it.
    MailNotAccepted => "nicht angenommen", "not accepted";
    /// Heading of the findings.
    Findings => "Ergebnis", "Findings";
    /// The conversation, credentials removed.
    Transcript => "Gesprächsverlauf (ohne Passwort)", "Transcript (password removed)";

    // The SMTP check: the settings the provider publishes (`smtp::settings`).

    /// Heading of the expected settings.
    ProviderSettings => "Die Einstellungen Ihres Anbieters", "Your provider's settings";
    /// No source gave settings.
    NoProviderSettings =>
        "Keine veröffentlichten Einstellungen gefunden (kein SRV-Eintrag, keine Autoconfig-Datei, kein bekannter Anbieter).",
        "No published settings found (no SRV record, no autoconfig file, no known provider).";
    /// A lookup for the settings failed: could not verify, never "none published".
    SettingsLookupFailed =>
        "Nicht vollständig prüfbar: eine Abfrage ist fehlgeschlagen.",
        "Could not verify everything: a lookup failed.";
    /// The user name to enter.
    UserName => "Benutzername", "User name";
    /// The password to enter.
    Password => "Passwort", "Password";
    /// Where the suggestion comes from.
    SettingsSource => "Quelle", "Source";
    /// What must be switched on first.
    Requirement => "Vorher nötig", "Needed first";
    /// The user name is the full address.
    UserFullAddress => "die vollständige E-Mail-Adresse", "the full email address";
    /// The user name is the local part.
    UserLocalPart => "der Teil der Adresse vor dem @", "the part of the address before the @";
    /// The user name or password is the service's API key.
    ApiKey => "der API-Schlüssel des Dienstes", "the service's API key";
    /// A login shown in the provider's control panel.
    UserProviderLogin =>
        "die Kennung aus dem Kundenbereich des Anbieters",
        "the login shown in the provider's control panel";
    /// The mailbox's own password.
    PasswordAccount => "das Passwort des Postfachs", "the mailbox's password";
    /// An app password.
    PasswordApp =>
        "ein App-Passwort (in den Sicherheitseinstellungen des Kontos erstellt)",
        "an app password (made in the account's security settings)";
    /// A separate mail password from the customer center.
    PasswordMail =>
        "das E-Mail-Passwort aus dem Kundencenter (nicht das Login-Passwort)",
        "the email password set in the customer center (not the login password)";
    /// The secret that goes with the API key.
    PasswordApiSecret =>
        "der geheime Schlüssel zum API-Schlüssel",
        "the secret key that goes with the API key";
    /// SMTP credentials from the service's control panel.
    PasswordSmtpCredential =>
        "die SMTP-Zugangsdaten aus dem Kundenbereich des Dienstes",
        "the SMTP credentials made in the service's control panel";
    /// SMTP AUTH must be enabled (Microsoft 365).
    RequiresSmtpAuth =>
        "SMTP AUTH muss für die Organisation und das Postfach eingeschaltet sein",
        "SMTP AUTH must be enabled for the organization and the mailbox";
    /// Access for mail programs must be on.
    RequiresExternalAccess =>
        "Der Zugriff für E-Mail-Programme (POP3/IMAP) muss eingeschaltet sein",
        "Access for mail programs (POP3/IMAP) must be switched on";
    /// From the domain's SRV record.
    SourceSrv => "SRV-Eintrag der Domain", "the domain's SRV record";
    /// From the domain's autoconfig file.
    SourceAutoconfig => "Autoconfig-Datei der Domain", "the domain's autoconfig file";
    /// From the provider table.
    SourceProvider => "Anbieterliste, erkannt am MX", "provider table, recognized by MX";
    /// A sending service the domain's SPF record includes.
    SourceSendingService =>
        "Versanddienst aus dem SPF-Eintrag der Domain",
        "sending service named in the domain's SPF record";

    // Headers: what a DKIM result means for the sender (RFC 8601 §2.7.1).

    /// `pass`.
    DkimPass => "Signatur gültig.", "Valid signature.";
    /// `fail`.
    DkimFail =>
        "Signatur ungültig: die Nachricht wurde nach dem Signieren verändert, oder der Schlüssel passt nicht.",
        "Invalid signature: the message was changed after signing, or the key does not match.";
    /// `neutral`: the signature could not be judged (such as headers without the body).
    DkimNeutral =>
        "Nicht bewertet: die Signatur ließ sich nicht auswerten.",
        "Not judged: the signature could not be evaluated.";
    /// `temperror`: never "missing".
    DkimTempError =>
        "Vorläufig nicht prüfbar: der Schlüssel konnte nicht abgefragt werden.",
        "Could not verify for now: the key could not be looked up.";
    /// `permerror`.
    DkimPermError =>
        "Nicht prüfbar: der Schlüssel fehlt oder die Signatur ist fehlerhaft.",
        "Cannot be verified: the key is missing or the signature is malformed.";
    /// `none`.
    DkimNone => "Nicht signiert.", "Not signed.";
    /// Any other result (`policy`, or one this table does not know).
    DkimOther => "Nicht bewertet.", "Not judged.";
}

impl Label {
    /// The label of a bounce's permanence.
    pub fn permanence(permanence: Permanence) -> Label {
        match permanence {
            Permanence::Hard => Label::PermanenceHard,
            Permanence::Soft => Label::PermanenceSoft,
            Permanence::Unknown => Label::PermanenceUnknown,
        }
    }

    /// The label of how two domains align.
    pub fn alignment(alignment: Alignment) -> Label {
        match alignment {
            Alignment::Strict => Label::AlignedStrict,
            Alignment::Relaxed => Label::AlignedRelaxed,
            Alignment::No => Label::NotAligned,
        }
    }

    /// What a DKIM result (`pass`, `fail`, `neutral`, `temperror`, `permerror`, `none`, any case)
    /// means for the sender.
    pub fn dkim_result(result: &str) -> Label {
        match result.trim().to_ascii_lowercase().as_str() {
            "pass" => Label::DkimPass,
            "fail" => Label::DkimFail,
            "neutral" => Label::DkimNeutral,
            "temperror" => Label::DkimTempError,
            "permerror" => Label::DkimPermError,
            "none" => Label::DkimNone,
            _ => Label::DkimOther,
        }
    }
}

/// The labels of the SMTP check's values.
#[cfg(feature = "smtp")]
impl Label {
    /// The form of a user name; `None` for a template or a fixed word, which are shown as they
    /// are.
    pub fn user_name(user_name: &UserName) -> Option<Label> {
        Some(match user_name {
            UserName::FullAddress => Label::UserFullAddress,
            UserName::LocalPart => Label::UserLocalPart,
            UserName::ApiKey => Label::ApiKey,
            UserName::ProviderLogin => Label::UserProviderLogin,
            UserName::Unknown => Label::NotGiven,
            UserName::Literal(_) | UserName::Template(_) => return None,
        })
    }

    /// The password a server expects.
    pub fn password(password: Password) -> Label {
        match password {
            Password::Account => Label::PasswordAccount,
            Password::AppPassword => Label::PasswordApp,
            Password::MailPassword => Label::PasswordMail,
            Password::ApiKey => Label::ApiKey,
            Password::ApiSecret => Label::PasswordApiSecret,
            Password::SmtpCredential => Label::PasswordSmtpCredential,
            Password::Unknown => Label::NotGiven,
        }
    }

    /// What must be switched on first.
    pub fn requirement(requirement: Requirement) -> Label {
        match requirement {
            Requirement::SmtpAuthEnabled => Label::RequiresSmtpAuth,
            Requirement::ExternalAccessEnabled => Label::RequiresExternalAccess,
        }
    }

    /// Where a suggested server comes from.
    pub fn source(source: &Source) -> Label {
        match source {
            Source::Srv { .. } => Label::SourceSrv,
            Source::Autoconfig { .. } => Label::SourceAutoconfig,
            Source::Provider { .. } => Label::SourceProvider,
            Source::SendingService { .. } => Label::SourceSendingService,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_label_has_its_own_text_in_both_languages() {
        for &key in Label::ALL {
            let (de, en) = (label(key, Lang::De), label(key, Lang::En));
            for (lang, text) in [("de", de), ("en", en)] {
                assert!(!text.trim().is_empty(), "{key:?} has no {lang} text");
                assert_eq!(text, text.trim(), "{key:?} {lang}: spaces around the text");
                // No label is filled in: a `{name}` would be shown as it is.
                assert!(
                    !text.contains(['{', '}']),
                    "{key:?} {lang}: a placeholder in {text:?}"
                );
            }
            assert_ne!(de, en, "{key:?} is not translated");
        }
    }

    #[test]
    fn no_two_labels_read_the_same() {
        for lang in Lang::ALL {
            let mut seen = HashSet::new();
            for &key in Label::ALL {
                let text = label(key, *lang);
                assert!(seen.insert(text), "{key:?} {lang:?}: {text:?} twice");
            }
        }
    }

    #[test]
    fn every_dkim_result_has_its_meaning() {
        for result in ["pass", "fail", "neutral", "temperror", "permerror", "none"] {
            assert_ne!(Label::dkim_result(result), Label::DkimOther, "{result}");
        }
        assert_eq!(Label::dkim_result(" PASS "), Label::DkimPass);
        assert_eq!(Label::dkim_result("policy"), Label::DkimOther);
    }

    #[test]
    fn permanence_and_alignment_have_their_labels() {
        assert_eq!(Label::permanence(Permanence::Hard), Label::PermanenceHard);
        assert_eq!(
            label(Label::alignment(Alignment::Relaxed), Lang::De),
            "ausgerichtet (gleiche Organisationsdomain, nur relaxed)"
        );
    }
}
