//! The labels of the bounce and header views, in German and English: what `postcheck bounce`,
//! `postcheck headers` and the `/tools` page show around the findings (fact names, permanence,
//! alignment, what a DKIM result means, the "what to do" lines). One table, so that the terminal
//! and the page say the same thing; only the page's own chrome (titles, buttons, the privacy
//! note) stays in the page.
//!
//! Each row is a label, its German text and its English text. No label takes parameters: a
//! value goes after the label, never into it.

use super::Lang;
use crate::bounce::Permanence;
use crate::headers::Alignment;

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
