//! The bounce corpus of tests/bounces: every file is read by `bounce::analyze` and must give
//! what the table in tests/bounces/README.md says (empty cell: not asserted; `-`: absent).

use crate::table::{corpus, rows};
use postcheck_core::bounce::{self, Permanence};

fn check(failures: &mut Vec<String>, file: &str, what: &str, want: &str, got: Option<String>) {
    let ok = match (want, &got) {
        ("", _) => true,
        ("-", None) => true,
        (want, Some(got)) => want == got,
        _ => false,
    };
    if !ok {
        failures.push(format!("{file}: {what} expected {want:?}, got {got:?}"));
    }
}

#[test]
fn every_bounce_of_the_corpus_is_read_as_the_table_says() {
    let mut count = 0;
    let mut failures = Vec::new();
    for (file, text, cells) in rows("bounces") {
        let bounce = bounce::analyze(&text);
        count += 1;
        let permanence = match bounce.permanence {
            Permanence::Hard => "hard",
            Permanence::Soft => "soft",
            Permanence::Unknown => "unknown",
        };
        let got = [
            ("category", Some(bounce.finding.code.as_str().to_owned())),
            ("permanence", Some(permanence.to_owned())),
            ("reply", bounce.reply_code.map(|c| c.to_string())),
            ("status", bounce.status.map(|s| s.to_string())),
            ("recipient", bounce.recipient.clone()),
            ("remote", bounce.remote_server.clone()),
            ("sender domain", bounce.sender_domain.clone()),
            ("ip", bounce.ip.map(|ip| ip.to_string())),
            ("provider", bounce.provider.map(str::to_owned)),
        ];
        for ((what, got), want) in got.into_iter().zip(&cells) {
            check(&mut failures, &file, what, want, got);
        }
    }
    assert!(count >= 40, "only {count} bounces in the corpus");
    assert!(
        failures.is_empty(),
        "{} of {count} rows wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn an_authentication_bounce_points_to_the_senders_domain_check() {
    let text = std::fs::read_to_string(corpus("bounces").join("gmail-plain-en-auth.txt")).unwrap();
    let bounce = bounce::analyze(&text);
    assert_eq!(
        bounce.next_check,
        bounce::NextCheck::Domain {
            domain: "kita-sonnenschein.example".to_owned()
        }
    );
    let text =
        std::fs::read_to_string(corpus("bounces").join("postfix-plain-spamhaus.txt")).unwrap();
    assert!(matches!(
        bounce::analyze(&text).next_check,
        bounce::NextCheck::Server { ip, .. } if ip.to_string() == "192.0.2.130"
    ));
    // Anything pasted gives a result, never an error.
    for text in ["", "\u{0}\u{1}", "550", "5.7.26", &"x".repeat(100_000)] {
        let _ = bounce::analyze(text);
    }
}

/// Each category from its wording or status code, one line each (issue 13).
#[test]
fn every_category_is_told_by_its_wording() {
    let cases = [
        (
            "554 5.7.1 Client host rejected: Access denied",
            "bounce-blocklisted",
        ),
        (
            "550 5.7.1 Mail from 192.0.2.1 blocked by ldap",
            "bounce-blocklisted",
        ),
        (
            "550 INVALID IP FOR SENDING MAIL OF DOMAIN",
            "bounce-blocklisted",
        ),
        ("550 5.7.1 No PTR Record found.", "bounce-ptr-required"),
        (
            "554 5.7.1 [C14] Missing reverse DNS for 192.0.2.1",
            "bounce-ptr-required",
        ),
        ("550 Host unknown", "bounce-host-unknown"),
        (
            "Sorry, I couldn't find any host named x.example. (#5.1.2)",
            "bounce-host-unknown",
        ),
        (
            "connect to mx.example[192.0.2.9]:25: No route to host",
            "bounce-network-error",
        ),
        ("554 5.4.6 Too many hops", "bounce-network-error"),
        (
            "a@b.example:\n    unrouteable mail domain \"b.example\"",
            "bounce-host-unknown",
        ),
        (
            "550 <a@b.example>: Destinatario desconocido",
            "bounce-user-unknown",
        ),
        ("550 Domaine inconnu", "bounce-host-unknown"),
        (
            "550 5.2.1 Mailbox not available / Konto niedostepne",
            "bounce-mailbox-disabled",
        ),
        (
            "552-5.7.0 This message was blocked because its content presents a potential\n552-5.7.0 security issue.",
            "bounce-content-rejected",
        ),
        (
            "550 5.7.1 <a@b.example>: Recipient address rejected: Message rejected as spam",
            "bounce-spam-content",
        ),
        (
            "554 5.7.1 <a@b.example>: Recipient address rejected: Virus found in message",
            "bounce-virus",
        ),
        (
            "552 5.3.4 <a@b.example>: Recipient address rejected: Message size exceeds limit",
            "bounce-message-too-large",
        ),
        (
            "550 5.2.1 <a@b.example>: Recipient address rejected: Account disabled",
            "bounce-mailbox-disabled",
        ),
        (
            "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in virtual mailbox table",
            "bounce-user-unknown",
        ),
        (
            "556 5.1.10 Recipient address has null MX",
            "bounce-no-mail-accepted",
        ),
        (
            "553 5.1.8 <s@x.example>: Sender address rejected: Domain not found",
            "bounce-sender-rejected",
        ),
        ("554 5.4.7 Delivery time expired", "bounce-expired"),
        (
            "554 5.7.1 <a@b.example>: Relay access denied",
            "bounce-relay-denied",
        ),
        ("552 5.2.2 Mailbox full", "bounce-mailbox-full"),
        (
            "a@b.example is not listed in the Domino Directory",
            "bounce-user-unknown",
        ),
        ("", "bounce-empty"),
        ("From: a@b.example\nSubject: x\n", "bounce-empty"),
        // The step of the session tells whom a vague refusal is about (RFC 5321 §3.3).
        (
            "host mx.example[192.0.2.1] said: 550 5.7.1 Access denied (in reply to MAIL FROM command)",
            "bounce-sender-rejected",
        ),
        (
            "SMTP error from remote mail server after initial connection:\n550 Access denied",
            "bounce-blocklisted",
        ),
        (
            "host mx.example[192.0.2.1] said: 554 Transaction failed (in reply to MAIL FROM command)",
            "bounce-other",
        ),
        ("553 mail.example.net does not exist", "bounce-host-unknown"),
        (
            "Name service error for domain b.example: Host not\n    found, try again",
            "bounce-dns-failure",
        ),
        (
            "421 mwinf5c77 ME Service refuse. Service refused, please try later. OFR_999 [999]",
            "bounce-blocklisted",
        ),
        (
            "Status: 5.1.10\nReason: host/domain does not accept mail",
            "bounce-no-mail-accepted",
        ),
        (
            "lost connection with mx.example[192.0.2.1] while performing the HELO handshake\nAction: failed\nStatus: 4.4.2",
            "bounce-network-error",
        ),
        (
            "Delivery to the following recipient failed permanently:\n a@b.example\nThe recipient server did not accept our requests to connect.",
            "bounce-expired",
        ),
    ];
    for (text, code) in cases {
        assert_eq!(bounce::analyze(text).finding.code.as_str(), code, "{text}");
    }
}

/// The bounce's own header fields and the returned message never decide the category; no
/// header token, Message-ID or version number is read as a recipient or a code (issue 13).
/// German notices without a reply code or status: each category from its German words alone
/// (German providers and Exchange's German notices write them so; the reply, where there is
/// one, decides first).
#[test]
fn german_notices_are_read_by_their_words() {
    let notice = |reason: &str| {
        format!(
            "Diese Nachricht wurde automatisch erstellt.\n\n\
             Ihre Nachricht an max@firma.example konnte nicht zugestellt werden.\n\n\
             Grund: {reason}\n"
        )
    };
    let cases = [
        ("Die Domäne wurde nicht gefunden.", "bounce-host-unknown"),
        (
            "Die Absenderdomain existiert nicht.",
            "bounce-sender-rejected",
        ),
        ("Der Empfänger wurde nicht gefunden.", "bounce-user-unknown"),
        ("Unbekannter Empfänger.", "bounce-user-unknown"),
        (
            "Das Postfach des Empfängers ist voll.",
            "bounce-mailbox-full",
        ),
        ("Das Postfach wurde deaktiviert.", "bounce-mailbox-disabled"),
        (
            "Die Nachricht wurde als Spam eingestuft.",
            "bounce-spam-content",
        ),
        ("In der Nachricht wurde ein Virus gefunden.", "bounce-virus"),
        (
            "Ihre IP-Adresse steht auf einer Sperrliste.",
            "bounce-blocklisted",
        ),
        (
            "Für Ihre IP-Adresse fehlt der PTR-Eintrag.",
            "bounce-ptr-required",
        ),
        ("Die SPF-Prüfung ist fehlgeschlagen.", "bounce-auth-failed"),
        (
            "Zu viele Verbindungen von Ihrem Server.",
            "bounce-rate-limited",
        ),
        ("Relaying nicht erlaubt.", "bounce-relay-denied"),
        ("Die Nachricht ist zu groß.", "bounce-message-too-large"),
        (
            "Das Postfach des Empfängers voll ist.",
            "bounce-mailbox-full",
        ),
        (
            "Die Nachricht konnte innerhalb von 5 Tagen nicht zugestellt werden.",
            "bounce-expired",
        ),
        ("Die Zustellung wurde aufgegeben.", "bounce-expired"),
        (
            "Die Verbindung zum Server mx.firma.example wurde abgelehnt.",
            "bounce-network-error",
        ),
        (
            "Zeitüberschreitung beim Verbindungsaufbau.",
            "bounce-network-error",
        ),
    ];
    let mut failures = Vec::new();
    for (reason, want) in cases {
        let got = bounce::analyze(&notice(reason)).finding.code;
        if got.as_str() != want {
            failures.push(format!("{reason}: want {want}, got {}", got.as_str()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A block of the sending IP worded as the largest providers word it is a block, not a rate
/// limit or a delay; an X.6.x status (RFC 3463 §3.7, content or media) is about the message
/// even where a single word ("invalid") would be about the address; an X.4.1 status ("no
/// answer from host") beside a server's own refusal is no network error.
#[test]
fn blocks_and_content_statuses_are_read_as_such() {
    let said = |reply: &str| {
        format!(
            "<max@firma.example>: host mx.firma.example[192.0.2.5] said: {reply} (in reply to \
             end of DATA command)\n"
        )
    };
    for (reply, want) in [
        (
            "550-5.7.1 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail \
             originating from your IP address. To protect our users from spam, mail sent from \
             your IP address has been blocked.",
            "bounce-blocklisted",
        ),
        (
            "421-4.7.0 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail \
             originating from your IP address. To protect our users from spam, mail sent from \
             your IP address has been temporarily rate limited.",
            "bounce-rate-limited",
        ),
        (
            "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; \
             Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes",
            "bounce-blocklisted",
        ),
        (
            "554 5.6.211 Invalid MIME Content",
            "bounce-content-rejected",
        ),
        (
            "554 5.6.0 This message has been scored as spam",
            "bounce-spam-content",
        ),
        // A server that answered with a refusal was reached, whatever X.4.1 says.
        (
            "541 5.4.1 Mail rejected by destination domain",
            "bounce-other",
        ),
        ("554 5.4.1 No answer from host", "bounce-network-error"),
    ] {
        let got = bounce::analyze(&said(reply)).finding.code;
        assert_eq!(got.as_str(), want, "{reply}");
    }
}

/// A host name is no word of the notice: "relay" in the reporting host's name
/// (`relay.mx.example.jp`) is no relay refusal, while "Relay access denied" and "we do not
/// relay" are. A delay warning whose only words of delay are in its subject (Sendmail's
/// "Warning: could not send message for past 4 hours") is a warning.
#[test]
fn host_names_and_subjects_are_read_for_what_they_are() {
    let postfix = |reply: &str| {
        format!(
            "This is the mail system at host relay.mx.example.jp.\n\n\
             <max@firma.example>: host mx.firma.example[192.0.2.5] said: {reply}\n"
        )
    };
    assert_eq!(
        bounce::analyze(&postfix("550 5.7.1 Upstream error"))
            .finding
            .code
            .as_str(),
        "bounce-other"
    );
    assert_eq!(
        bounce::analyze(&postfix("554 5.7.1 sorry, we do not relay for you"))
            .finding
            .code
            .as_str(),
        "bounce-relay-denied"
    );
    let warning = "From: MAILER-DAEMON@mx.verein.example\n\
                   To: info@verein.example\n\
                   Subject: Warning--Could not send mail for past 8.5 hours\n\n\
                   ---The following addresses had delivery errors---\n\n\
                   max@firma.example [Connection timed out]\n";
    let bounce = bounce::analyze(warning);
    assert_eq!(bounce.finding.code.as_str(), "bounce-expired");
    assert_eq!(bounce.finding.param("delivery"), "delayed");
    // A person's subject is no mail system's summary: a forwarded final failure stays one.
    let forward = "From: Anna <anna@verein.example>\n\
                   To: it@verein.example\n\
                   Subject: Fwd: Delivery delayed?\n\n\
                   <max@firma.example>: host mx.firma.example[192.0.2.5] said: 550 5.1.1 \
                   user unknown (in reply to RCPT TO command)\n";
    let bounce = bounce::analyze(forward);
    assert_eq!(bounce.finding.code.as_str(), "bounce-user-unknown");
    assert_eq!(bounce.finding.param("delivery"), "failed");
}

/// A notice that names the sender's address before the recipient's ("Ihre Absenderadresse
/// info@… wurde vom Server des Empfängers max@… abgelehnt", "MAIL FROM:<…>") still names the
/// recipient that failed, never the sender.
#[test]
fn the_sender_a_notice_names_is_not_the_recipient() {
    for text in [
        "Ihre Absenderadresse info@verein.example wurde vom Server des Empfängers \
         max@firma.example abgelehnt.\n",
        "Delivery failed: the sender address <info@verein.example> was rejected by the \
         server of max@firma.example.\n",
        "Transcript: MAIL FROM:<info@verein.example> 250 ok; RCPT TO:<max@firma.example> \
         550 5.1.1 user unknown\n",
    ] {
        let bounce = bounce::analyze(text);
        assert_eq!(
            bounce.recipient.as_deref(),
            Some("max@firma.example"),
            "{text}"
        );
    }
    assert_eq!(
        bounce::analyze(
            "Ihre Absenderadresse info@verein.example wurde vom Server des Empfängers \
             max@firma.example abgelehnt.\n"
        )
        .finding
        .code
        .as_str(),
        "bounce-sender-rejected"
    );
}

/// What users paste that is no bounce: an automatic reply (RFC 3834), a complaint (RFC 5965),
/// a report of success (RFC 3464 §2.3.3) and an ordinary message are told apart, never called
/// a failed delivery; a real bounce that calls itself auto-replied (Exim's do) stays a bounce.
#[test]
fn what_is_no_bounce_is_not_called_one() {
    let cases = [
        (
            "From: Anna Beispiel <anna@firma.example>\nTo: vertrieb@vendor.example\n\
             Subject: Abwesenheitsnotiz: Ihre Rechnung\nAuto-Submitted: auto-replied\n\n\
             Ich bin bis zum 12. Dezember nicht im Büro. In dringenden Fällen wenden Sie sich an\n\
             zentrale@firma.example.\n",
            "bounce-auto-reply",
        ),
        (
            "From: Bob <bob@example.com>\nTo: news@vendor.example\n\
             Subject: Automatic reply: November newsletter\n\n\
             I am out of the office until Monday with limited access to email.\n",
            "bounce-auto-reply",
        ),
        (
            "From: abuse@isp.example\nTo: postmaster@vendor.example\nSubject: Abuse report\n\
             MIME-Version: 1.0\n\
             Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n\
             --b\nContent-Type: text/plain\n\nThis is an email abuse report.\n\
             --b\nContent-Type: message/feedback-report\n\n\
             Feedback-Type: abuse\nUser-Agent: isp-fbl/1.0\nVersion: 1\n\
             Original-Rcpt-To: <kunde@isp.example>\n--b--\n",
            "bounce-complaint",
        ),
        (
            "From: postmaster@mx.example.org\nSubject: Delivery Status Notification (Success)\n\
             MIME-Version: 1.0\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
             --b\nContent-Type: text/plain\n\nYour message was delivered to the recipient.\n\
             --b\nContent-Type: message/delivery-status\n\n\
             Reporting-MTA: dns; mx.example.org\n\n\
             Final-Recipient: rfc822; kunde@example.org\nAction: delivered\nStatus: 2.0.0\n--b--\n",
            "bounce-delivered",
        ),
        (
            "From: Carla <carla@example.net>\nTo: info@vendor.example\nSubject: Angebot\n\n\
             Guten Tag, anbei unsere Bestellung für Januar.\n",
            "bounce-empty",
        ),
        (
            "From: Mail Delivery System <Mailer-Daemon@mx.vendor.example>\n\
             To: crm@vendor.example\nSubject: Mail delivery failed: returning message to sender\n\
             Auto-Submitted: auto-replied\n\n\
             This message was created automatically by mail delivery software.\n\n\
             A message that you sent could not be delivered to one or more of its\n\
             recipients. This is a permanent error. The following address(es) failed:\n\n\
             \x20 dora@example.org\n",
            "bounce-other",
        ),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        let bounce = bounce::analyze(text);
        if bounce.finding.code.as_str() != want {
            failures.push(format!(
                "want {want}, got {}: {text}",
                bounce.finding.code.as_str()
            ));
        }
        if want != "bounce-other" && bounce.permanence != bounce::Permanence::Unknown {
            failures.push(format!("{want} is neither hard nor soft: {text}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Many files at once: an ordinary message is no failed recipient, an automatic reply says
    // its sender's address works.
    let report = bounce::bulk::summarize(vec![
        bounce::bulk::read("offer.eml", cases[4].0.as_bytes()),
        bounce::bulk::read("away.eml", cases[1].0.as_bytes()),
    ]);
    assert_eq!(report.without_recipient, ["offer.eml"]);
    assert_eq!(report.rows.len(), 1);
    assert_eq!(report.rows[0].recipient, "bob@example.com");
    assert_eq!(report.rows[0].code.as_str(), "bounce-auto-reply");
    // Of an automatic reply, the address that replied; not the one its text offers instead.
    let away = bounce::analyze(cases[0].0);
    assert_eq!(away.recipient.as_deref(), Some("anna@firma.example"));
}

#[test]
fn headers_and_the_returned_message_are_not_the_reason() {
    let text = "From: MAILER-DAEMON@mx.example\nTo: shop@vendor.example\n\
        Subject: Undeliverable\nX-ML-Server: fml 4.0.3 release\n\n\
        Your message (Message-ID: <abc.123@vendor.example>) could not be delivered to\n\
        kunde@firma.example: the mailbox is not listed in the Domino Directory.\n\
        550 5.1.1 user unknown\n\
        ------ This is a copy of the message, including all the headers. ------\n\
        Received: from relay.vendor.example (relay denied) by mx.example\n\
        DKIM-Signature: v=1; d=vendor.example; s=s1; b=x\n\
        Content-Type: text/plain\nContent-Length: 525\nFrom: shop@vendor.example\n\n\
        spam virus blacklist\n";
    let bounce = bounce::analyze(text);
    assert_eq!(bounce.finding.code.as_str(), "bounce-user-unknown");
    assert_eq!(bounce.recipient.as_deref(), Some("kunde@firma.example"));
    assert_eq!(bounce.reply_code, Some(550));
    assert_eq!(
        bounce.status.map(|s| s.to_string()).as_deref(),
        Some("5.1.1")
    );
    assert_eq!(bounce.sender_domain.as_deref(), Some("vendor.example"));
    assert_eq!(bounce.permanence, Permanence::Hard);
    // A header-only paste of a bounce with a DKIM signature: nothing to explain.
    let headers_only = "From: MAILER-DAEMON@mx.example\nDKIM-Signature: v=1; d=x.example\n\
        Content-Type: multipart/report\n";
    assert_eq!(
        bounce::analyze(headers_only).finding.code.as_str(),
        "bounce-empty"
    );
}

/// A Japanese notice in ISO-2022-JP is read by its kana (issue 13), and a bounce forwarded
/// inline is read for its own reason.
#[test]
fn japanese_and_forwarded_bounces_are_read() {
    let notes = b"From: postmaster@n.example\nTo: a@b.example\nSubject: Undeliverable message\n\
        Content-Type: text/plain; charset=ISO-2022-JP\n\n------- Failure Reasons --------\n\n\
        \x1b$B%G%#%l%/%H%j$N%j%9%H$K$\"$j$^$;$s\x1b(B\nk@u1.example\n";
    assert_eq!(
        bounce::analyze_bytes(notes).finding.code.as_str(),
        "bounce-user-unknown"
    );
    let forwarded = "From: admin@a.example\nTo: b@a.example\nSubject: Fwd\n\n\
        Please have a look.\n\
        Received: from relay.a.example by mx.a.example\n\
        From: MAILER-DAEMON@relay.a.example (Mail Delivery System)\n\
        Subject: Undelivered Mail Returned to Sender\n\n\
        <k@c.example>: host mx.c.example[192.0.2.5] refused to talk to me: 554 5.7.1 \
        Client host rejected: blocked using zen.spamhaus.org\n";
    assert_eq!(
        bounce::analyze(forwarded).finding.code.as_str(),
        "bounce-blocklisted"
    );
}

/// A delay warning is not a delivery given up: its message says the server keeps trying.
#[test]
fn a_delay_warning_says_the_server_keeps_trying() {
    use postcheck_core::messages::{Lang, message};
    let text = std::fs::read_to_string(corpus("bounces").join("timeout-delayed.txt")).unwrap();
    let warning = bounce::analyze(&text);
    assert_eq!(warning.finding.code.as_str(), "bounce-expired");
    assert!(message(&warning.finding, Lang::En).contains("keeps trying"));
    let given_up = bounce::analyze("554 5.4.7 Delivery time expired");
    assert!(message(&given_up.finding, Lang::En).contains("gave up"));
}
