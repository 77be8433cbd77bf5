//! Sorts a bounce into the categories of the findings catalog (after Sisimai's reasons,
//! <https://libsisimai.org/en/reason/>): first by the remote server's own words (the diagnostic),
//! then by the enhanced status code where it is specific (RFC 3463 §3, RFC 7372 §3, RFC 7505
//! §4), then by the wording of what the reporting server wrote for people. The bounce's own
//! header fields and the returned message are never read here.

use super::Status;
use super::extract::{Command, Facts};
use super::rhost;
use super::sisimai::{SISIMAI, SISIMAI_LATE, SISIMAI_MTA};
use serde::{Deserialize, Serialize};

/// What a bounce is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// The recipient address does not exist (RFC 3463 X.1.1, X.1.6).
    UserUnknown,
    /// The recipient's mailbox is full (RFC 3463 X.2.2).
    MailboxFull,
    /// The mailbox exists but is disabled, suspended or inactive (RFC 3463 X.2.1).
    MailboxDisabled,
    /// SPF, DKIM or DMARC failed at the receiver (RFC 7372 §3, X.7.20–X.7.27).
    AuthFailed,
    /// The receiver wants a PTR record (reverse DNS) for the sending IP (RFC 7372 §3.3, X.7.25).
    PtrRequired,
    /// The sending server's IP address or domain is on a blocklist (RFC 5782).
    Blocklisted,
    /// The receiver limits how fast it takes mail from this sender; a later try can succeed.
    RateLimited,
    /// The content or its format was refused for another reason (RFC 3463 X.6.x, X.7.7).
    ContentRejected,
    /// The content was judged to be spam.
    SpamContent,
    /// The message carried a virus or malware.
    Virus,
    /// The message is larger than the receiver takes (RFC 3463 X.3.4, X.2.3).
    MessageTooLarge,
    /// A DNS lookup failed on the way, often for a while only (RFC 3463 X.4.3).
    DnsFailure,
    /// The recipient's domain or mail host does not exist (RFC 3463 X.1.2, X.4.4).
    HostUnknown,
    /// The recipient's domain takes no mail at all (null MX, RFC 7505).
    NoMailAccepted,
    /// The receiving server could not be reached (connection refused, timeout, routing loop).
    NetworkError,
    /// The sending server gave up after retrying for days (RFC 3463 X.4.7).
    Expired,
    /// The receiver refused the sender's address (RFC 3463 X.1.7, X.1.8).
    SenderRejected,
    /// The server refused to relay the message to a domain it does not serve (RFC 5321 §3.6.1).
    RelayDenied,
    /// The text names a failure but none of the categories above.
    Other,
    /// An automatic reply (RFC 3834), such as an out-of-office notice: the message arrived.
    AutoReply,
    /// A complaint (an ARF feedback report, RFC 5965): delivered, and marked as spam.
    Complaint,
    /// A delivery report of success (RFC 3464 §2.3.3: `delivered`, `relayed`, `expanded`).
    Delivered,
    /// Nothing to explain: the input was empty, held header fields only, or says nothing of a
    /// failed delivery.
    Empty,
}

/// Providers and mail servers recognised by their wording or names, first match wins.
const PROVIDERS: &[(&str, &[&str])] = &[
    ("Gmail", &["gmail", "google.com", "googlemail"]),
    (
        "Microsoft",
        &[
            "outlook.com",
            "hotmail",
            "protection.outlook",
            "microsoft",
            "resolver.adr",
            "office 365",
            "exchange online",
        ],
    ),
    ("Yahoo/AOL", &["yahoo", "aol.com", "yahoodns"]),
    ("Apple iCloud", &["icloud", "me.com", "apple.com"]),
    ("GMX", &["gmx.net", "gmx.de", "gmx"]),
    ("WEB.DE", &["web.de"]),
    ("T-Online", &["t-online"]),
    ("IONOS/1&1", &["ionos", "1und1", "kundenserver", "1and1"]),
    (
        "Exchange",
        &[
            "microsoft exchange",
            "exchange server",
            "diagnostic information for administrators",
        ],
    ),
    ("Exim", &["exim", "smtp error from remote mail server"]),
    ("Postfix", &["postfix", "this is the mail system at host"]),
];

/// Whether `text` holds `needle`; a needle `a…b` holds `a` and, after it, `b` (Sisimai's
/// "aligned" pairs, such as `553 …does not exist`).
fn holds(text: &str, needle: &str) -> bool {
    let mut rest = text;
    for piece in needle.split('…') {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

fn any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| holds(text, needle))
}

/// A local delivery program (a pipe to procmail, maildrop, a script, a virus scanner) failed: a
/// mailer error, whatever the program printed (Sisimai, lib/sisimai/reason/mailererror.rb).
const MAILER_ERROR: &[&str] = &[
    " || exit ",
    "procmail: ",
    "bin/procmail",
    "bin/maildrop",
    "command failed: ",
    "command died with status ",
    "command output:",
    "mailer error",
    "pipe to |/",
];

/// The wording of each category, tried in this order: the more specific reasons first (a
/// virus found "in the content", a message "too large for the mailbox").
const WORDING_FIRST: &[(Category, &[&str])] = &[
    (Category::Other, MAILER_ERROR),
    (
        Category::Other,
        &[
            // The sender insists on TLS the receiver does not offer (Gmail's "Remote server
            // does not support TLS", SendGrid's "TLS required but not supported"): a setting
            // on one side, not a network fault.
            "does not support tls",
            "tls required but not supported",
            // An address that is no address (Exim's "malformed address"): a syntax error.
            "malformed address",
        ],
    ),
    // The content, not the sender: Gmail's "blocked because its content presents a potential
    // security issue" (lib/sisimai/rhost/google.rb, policyviolation), Sendmail's "552 5.6.0
    // Headers too large" (its MaxHeadersLength; X.6.0 is a media error, RFC 3463 §3.7), whatever
    // a "blocked" or "too large" in them would say on its own.
    (
        Category::ContentRejected,
        &["blocked because its content presents", "headers too large"],
    ),
    // Domino's "not listed in the Domino Directory" is an unknown user, not a blocklist; Notes
    // in Japanese says "not in the directory's list" (Sisimai, lib/sisimai/lhost/notes.rb).
    // The CSO directory's mailer (phquery) says "No matches to nameserver query" when its
    // directory (its "nameserver", not DNS) knows no such name.
    (
        Category::UserUnknown,
        &[
            "no matches to nameserver query",
            "not listed in the domino directory",
            "not listed in domino directory",
            "not listed in public name",
            "ディレクトリのリストにありません",
        ],
    ),
    // "No MXs for this domain could be reached" (Oracle Communications Messaging Server): the
    // domain has mail servers, none answered; not the "no MX" of a domain without them.
    (
        Category::NetworkError,
        &["no mx…could be reached", "no mx…reachable"],
    ),
    // A block of the sending IP in the words of the largest providers, before "rate" and
    // "deferred" would call it a rate limit or a delay: Gmail's "550 5.7.1 … unusual rate of
    // unsolicited mail originating from your IP address … mail sent from your IP address has
    // been blocked", Yahoo's "553 5.7.2 [TSS09] All messages from <IP> will be permanently
    // deferred; Retrying will NOT succeed" (lib/sisimai/rhost/google.rb and yahooinc.rb).
    (
        Category::Blocklisted,
        &[
            "mail sent from your ip address has been blocked",
            "will be permanently deferred",
        ],
    ),
    // German, as German providers' and Exchange's German notices word it, before the single
    // German words below ("nicht gefunden", "unbekannt") would call everything the mailbox:
    // the sender's domain before any domain, the domain before the address.
    (
        Category::SenderRejected,
        &[
            "absenderadresse wurde abgelehnt",
            "absenderadresse abgelehnt",
            "ihre absenderadresse",
            "absender abgelehnt",
            "ungültige absenderadresse",
            "absenderdomain existiert nicht",
            "absenderdomäne existiert nicht",
        ],
    ),
    (
        Category::HostUnknown,
        &[
            "domäne wurde nicht gefunden",
            "domain wurde nicht gefunden",
            "domäne nicht gefunden",
            "domain nicht gefunden",
            "domäne existiert nicht",
            "unbekannte domain",
            "unbekannte domäne",
            "host nicht gefunden",
        ],
    ),
    (
        Category::MailboxFull,
        &[
            "postfach des empfängers ist voll",
            "postfach des empfängers voll",
            "postfach voll ist",
            "empfängerpostfach ist voll",
            "empfängerpostfach voll",
            "speicherplatz überschritten",
            "kontingent überschritten",
            "quota überschritten",
        ],
    ),
    (
        Category::MailboxDisabled,
        &[
            "postfach ist deaktiviert",
            "postfach wurde deaktiviert",
            "konto ist deaktiviert",
            "konto wurde deaktiviert",
            "postfach ist gesperrt",
            "postfach wurde gesperrt",
            "konto ist gesperrt",
            "konto wurde gesperrt",
        ],
    ),
    (
        Category::Virus,
        &[
            "virus gefunden",
            "virus entdeckt",
            "virus erkannt",
            "mit einem virus",
            "schadsoftware",
        ],
    ),
    (
        Category::SpamContent,
        &[
            "als spam eingestuft",
            "als spam erkannt",
            "als spam abgelehnt",
            "spamverdacht",
            "spam-verdacht",
        ],
    ),
    (
        Category::PtrRequired,
        &[
            "kein ptr",
            "keinen ptr",
            "ptr-eintrag",
            "reverse-dns-eintrag",
        ],
    ),
    (
        Category::AuthFailed,
        &[
            "spf-prüfung",
            "dkim-prüfung",
            "dmarc-richtlinie",
            "authentifizierung fehlgeschlagen",
        ],
    ),
    (
        Category::Blocklisted,
        &[
            "sperrliste",
            "blockliste",
            "schwarze liste",
            "ip-adresse ist gesperrt",
            "ip-adresse wurde gesperrt",
            "ip-adresse ist blockiert",
            "ip-adresse wurde blockiert",
        ],
    ),
    (
        Category::RateLimited,
        &[
            "zu viele verbindungen",
            "zu viele e-mails",
            "zu viele nachrichten",
            "versandlimit",
            "sendelimit",
        ],
    ),
    (
        Category::RelayDenied,
        &[
            "relaying nicht erlaubt",
            "relaying verweigert",
            "relay nicht erlaubt",
        ],
    ),
    (
        Category::MessageTooLarge,
        &[
            "nachricht ist zu groß",
            "größenbeschränkung",
            "maximale nachrichtengröße",
        ],
    ),
    (
        Category::UserUnknown,
        &[
            "empfänger wurde nicht gefunden",
            "empfänger nicht gefunden",
            "adresse wurde nicht gefunden",
            "empfänger unbekannt",
            "unbekannter empfänger",
        ],
    ),
    // Whole sentences of real mail systems that name their reason, before the single words
    // below could mislead ("blacklisted", "too many", "does not exist"). After Sisimai's phrase
    // lists (https://github.com/sisimai/rb-sisimai, BSD-2-Clause, lib/sisimai/reason/*.rb).
    (
        Category::HostUnknown,
        &[
            "the account or domain may not exist",
            "mail domain mentioned in email address is unknown",
            "recipient domain must exist",
            "recipient address rejected: unknown domain name",
        ],
    ),
    (
        Category::SenderRejected,
        &[
            "you are sending to/from an address that has been blacklisted",
            "sender address has been blacklisted",
            "your email address has been blacklisted",
            "access denied (sender blacklisted)",
            "sender is in my black list",
            "sender is spammer",
            "does not exist e2110",
            "null sender is not allowed",
            "empty envelope senders not allowed",
            "bogus mail from",
            "returned mail not accepted here",
            "sender not pre-approved",
            "sender email address rejected",
            "sender was rejected",
            "batv failed to verify",
            "batv validation failure",
            "the message has been rejected by batv defense",
            "because the sender isn't on the recipient's list of senders",
            "you are not allowed to post to this mailing list",
            "mail from not owned by user",
        ],
    ),
    (
        Category::Blocklisted,
        &[
            "too many unwanted messages have been sent from the following ip address",
            "esmtp not accepting connections",
            "too many spams from your ip",
            "we do not accept mail from dynamic ips",
            "part of their network is on our block list",
            "not currently accepting mail from your ip",
            "your network is temporary blacklisted",
            "sorry, your remotehost looks suspiciously like spammer",
            "extreme bad ip profile",
            "banned sending ip",
            // Reputation (lib/sisimai/reason/badreputation.rb).
            "temporarily rate limited due to ip reputation",
            "a poor email reputation score",
            "ip/domain reputation problems",
            "due to the very low reputation",
            "none/bad reputation",
            "the sending mta's poor reputation",
        ],
    ),
    (
        Category::PtrRequired,
        &[
            "domain …mismatches client ip",
            "dns lookup failure: …try again later",
            "reverse dns lookup for host …failed permanently",
            "forbidden by invalid rdns record",
            "unverifyable sending ips",
            "unresolvable relay host name",
            "generic dns ptr-records",
        ],
    ),
    // A temporary failure of DNS (SERVFAIL, a malformed answer, "try again"): not an answer that
    // the domain does not exist, and more to the point than that delivery took too long
    // (lib/sisimai/reason/networkerror.rb).
    (Category::DnsFailure, DNS_TRANSIENT),
    (
        Category::Expired,
        &[
            "delivery failed …attempts",
            "could not be delivered for …days",
            "have been failing for a long time",
            "was not reachable within the allowed queue period",
            "unable to deliver message after multiple retries",
        ],
    ),
];

/// The single words and short phrases of each category, tried after [`WORDING_FIRST`] and
/// Sisimai's phrase lists of specific reasons, in this order.
const WORDING: &[(Category, &[&str])] = &[
    (
        Category::NoMailAccepted,
        &[
            "not accepting network messages",
            "indicated no smtp service",
            "no mx record",
            "couldn't find a mail exchanger",
            "could not find a mail exchanger",
            "does not accept mail",
            "null mx",
            "does not accept mail",
            "doesn't accept mail",
            "does not accept e-mail",
            "accepts no mail",
            "not accepting mail",
            "no mail accepted",
            "nullmx",
        ],
    ),
    (
        Category::Virus,
        &[
            "virus",
            "malware",
            "infected",
            "trojan",
            "malicious",
            "phishing",
            "dangerous attachment",
            "unsafe attachment",
        ],
    ),
    (
        Category::MessageTooLarge,
        &[
            "too large",
            "too big",
            "size limit",
            "exceeds the maximum size",
            "exceeds maximum size",
            "maximum message size",
            "message size exceeds",
            "message size limit",
            "exceeded maximum message size",
            "exceeded the maximum…message size",
            "exceeds the maximum…message size",
            "exceeds size limit",
            "message length exceeds",
            "size exceeds",
            "exceeds the size",
            "message is larger than",
            "larger than the current system limit",
            "zu groß",
            "mesgtoobig",
            "exceedlimit",
            "size of the message",
            "message exceeds",
        ],
    ),
    (
        Category::MailboxFull,
        &[
            "exceeded the local limit",
            "messages in recipient's mailbox",
            "mailbox full",
            "mailbox is full",
            "mailbox has exceeded",
            "mailbox exceeds",
            "over quota",
            "overquota",
            "over the quota",
            "quota exceeded",
            "exceeded storage",
            "exceeds storage",
            "insufficient storage",
            "not enough storage",
            "postfach voll",
            "postfach ist voll",
            "speicherplatz",
            "mailbox size limit",
            "quota exceed",
            "disk quota",
            "exceeded quota",
            "exceed the quota",
            "user's quota",
            "full mailbox",
            "mailbox would exceed",
            "mailfolder is full",
            "mailbox is over",
            "mailboxfull",
            "is over its",
            "account is full",
            "storage allocation",
            "out of space",
            "mailbox limit",
            "quota",
        ],
    ),
    (
        Category::PtrRequired,
        &[
            "ptr record",
            "no ptr",
            "ptr lookup",
            "reverse dns",
            "reverse-dns",
            "rdns",
            "reverse lookup",
            "reverse mapping",
            "reverse hostname",
            "reverse name",
            "cannot find your hostname",
            "cannot find your reverse hostname",
            "hostname lookup failed",
            "no reverse",
            "missing reverse",
            "reverse dns entry",
            "requireptr",
            "ip name lookup failed",
            "not resolve your address",
            "could not resolve your ip",
            "cannot resolve your address",
        ],
    ),
    (
        Category::RelayDenied,
        &[
            "relay access denied",
            "relaying denied",
            "relay denied",
            "relay not permitted",
            "relaying not permitted",
            "relay not allowed",
            "relaying not allowed",
            "unable to relay",
            "not permitted to relay",
            "we do not relay",
            "no relaying",
            "relay prohibited",
        ],
    ),
    (
        Category::ContentRejected,
        &[
            "not rfc 5322 compliant",
            "not rfc 2822 compliant",
            "rfc 5322 specifications",
            "not compliant",
        ],
    ),
    (
        Category::AuthFailed,
        &[
            "spf",
            "dkim",
            "dmarc",
            "authenticat",
            "does not designate",
            "sender policy",
            "authentifizier",
            "sender id",
            "senderid",
            "domainkey",
            "not authorized to send",
        ],
    ),
    (
        Category::SenderRejected,
        &[
            "permission to post",
            "投稿する権限",
            "unroutable sender",
            "sender address",
            "domain of sender address",
            "sender verify failed",
            "sender verification",
            "unverified sender",
            "sender domain",
            "mail from rejected",
            "envelope sender",
            "invalid sender",
            "sender unknown",
            "unknown sender",
            "bad sender",
        ],
    ),
    (
        Category::MailboxDisabled,
        &[
            "temporary locked",
            "temporarily locked",
            "disabled",
            "suspended",
            "inactive",
            "deactivated",
            "not active",
            "account has been closed",
            "account is closed",
            "mailbox closed",
            "account locked",
            "mailbox locked",
            "is locked",
            "account expired",
            "account is expired",
            "expired account",
            "no longer active",
            "account frozen",
            "is frozen",
            "has been terminated",
            "deaktiviert",
            "gesperrtes postfach",
            // Spanish and Portuguese: a mailbox closed for lack of use ("Esta casilla ha
            // expirado por falta de uso"), disabled ("cuenta desactivada", "conta desativada").
            "por falta de uso",
            "casilla ha expirado",
            "desactivada",
            "deshabilitada",
            "desativada",
            "inativa",
        ],
    ),
    (
        Category::NetworkError,
        &[
            "too many hops",
            "hop count exceeded",
            "routing loop",
            "mail loop",
        ],
    ),
    (
        Category::RateLimited,
        &[
            "frequency limited",
            "rate limit",
            "ratelimit",
            "rate-limit",
            "too many",
            "throttl",
            "temporarily deferred",
            "[ts0",
            "tss04",
            "unusual rate",
            "slow down",
            "sending rate",
            "zu viele",
            "exceeded the rate",
            "try again in",
        ],
    ),
    (
        Category::Blocklisted,
        &[
            "smtp server of your isp",
            "your isp",
            "frequency limited",
            "blocklist",
            "blacklist",
            "block list",
            "black list",
            "blocked using",
            "spamhaus",
            "spamcop",
            "barracuda",
            "sorbs",
            "dnsbl",
            " rbl",
            "rbl ",
            "listed at",
            "listed in",
            "listed on",
            "ip reputation",
            "poor reputation",
            "bad reputation",
            "low reputation",
            "sender reputation",
            "reputation",
            "(bl)",
            "[bl",
            "banned",
            "gesperrt",
            "client host rejected",
            "blocked by ldap",
            "invalid ip for sending",
            "your ip",
            "sending ip",
            "client ip",
            "connection refused by",
            "refused to talk",
            "not allowed to send from",
            "has been blocked",
            "have been blocked",
            "was blocked",
            "is blocked",
            "are blocked",
            "blocked by",
            "mail from your",
            "rejected by dnsbl",
            "blocked",
            "dynamic",
            "dial-up",
            "residential",
        ],
    ),
    (
        Category::SpamContent,
        &[
            "ube,",
            "ofr_506",
            "mail rejete",
            "spam",
            "unsolicited",
            "junk",
            "bulk mail",
            "bulk e-mail",
            "content filter",
            "scored",
            "score",
            "identified as",
            "suspicious",
            "spamdetected",
            "uce",
        ],
    ),
    (
        Category::RelayDenied,
        // The exact refusals are in WORDING, which is tried before this table: only the
        // broader words are left for here.
        &[
            "not a gateway",
            "relaying mail to",
            // "relay" as a word, never as part of a host name the notice names ("This is the
            // mail system at host relay.mx.example.jp", "smtp-relay.example.com").
            "relay ",
            "relay,",
            "relay;",
            "relay:",
            "relay)",
            "relay. ",
            "not permitted to send to",
            "nicht erlaubt, e-mails weiterzuleiten",
            "norelaying",
        ],
    ),
    (
        Category::HostUnknown,
        &[
            "domain is not reachable",
            "host …not found",
            "name or service not known",
            "host unknown",
            "unknown host",
            "host not found",
            "domain not found",
            "no such domain",
            "domain does not exist",
            "domain doesn't exist",
            "domain name not found",
            "name service error",
            "no mx",
            "nxdomain",
            "could not be resolved",
            // Also Exim's verdict on a domain it cannot route at all, no MX or address record
            // (`unrouteable mail domain "example.net"`): final, not a lookup that failed for a
            // while. Bounce handlers read it so (PHPMailer-BMH's `dns_unknown`,
            // CwsMailBounceHandler's 5.1.2); after a failed sender verification it is the
            // sender's domain (Sisimai's "sender verify failed", tried before this table).
            "unrouteable",
            "unroutable",
            "domain existiert nicht",
            // The domain in Spanish, Portuguese, French and Italian, before the words for
            // "unknown" of WORDING_LAST would call it the mailbox.
            "dominio desconocido",
            "dominio no existe",
            "dominio inexistente",
            "domínio inexistente",
            "domínio desconhecido",
            "domaine inconnu",
            "domaine inexistant",
            "dominio sconosciuto",
            "dominio inesistente",
            "unable to resolve",
            "couldn't find any host",
            "could not find any host",
            "host or domain name not found",
            "bad destination system",
            "no valid mx",
            "mx record",
            "unknown domain",
            "domain unknown",
            "invalid domain",
            "hostunknown",
            "illegal host",
            "no such host",
            "does not exist in dns",
            "unresolvable",
        ],
    ),
    (
        Category::DnsFailure,
        &[
            "dns error",
            "dns lookup",
            "dns failure",
            "name server",
            "nameserver",
            "servfail",
            "temporary failure in name resolution",
            "lookup failed",
            "dns temporary",
        ],
    ),
    (
        Category::Expired,
        &[
            "not delivered within",
            "envelope expired",
            "retry timeout exceeded",
            "retry time not reached",
            "message expired",
            "delivery time expired",
            "time expired",
            "giving up",
            "gave up",
            "too long in the queue",
            "in queue too long",
            "been in the queue too long",
            "could not be delivered within",
            "delivery expired",
            "message timed out",
            "expired after",
            "undeliverable for",
            "has expired",
            "no longer retry",
            "retries exceeded",
            "retry limit",
            // German: "konnte innerhalb von 5 Tagen nicht zugestellt werden", "in dem
            // zulässigen Zeitraum", "die Zustellung wurde aufgegeben".
            "innerhalb von …nicht zugestellt",
            "zulässigen zeitraum",
            "zulässigen zeit ",
            "zustellung wurde aufgegeben",
            "nach mehreren zustellversuchen",
        ],
    ),
    (
        Category::NetworkError,
        &[
            "connection timed out",
            "requests to connect",
            // German: "Die Verbindung zum Server … wurde abgelehnt", "Zeitüberschreitung".
            "verbindung zum server",
            "verbindung wurde abgelehnt",
            "verbindung abgelehnt",
            "zeitüberschreitung",
            "nicht erreichbar",
            "socket error",
            "not reachable",
            "timed out",
            "timeout",
            "connection refused",
            "no route to host",
            "network is unreachable",
            "network unreachable",
            "connection reset",
            "lost connection",
            "hop count exceeded",
            "routing loop",
            "mail loop",
            "loops back to myself",
            "too many hops",
            "unable to connect",
            "could not connect",
            "couldn't connect",
            "can't connect",
            "cannot connect",
            "failed to connect",
            "connection closed",
            "connection dropped",
            "loop detected",
            "mail server is not responding",
            "host is unreachable",
            "unreachable",
            "networkerror",
            " tls",
            "starttls",
            "handshake",
        ],
    ),
    (
        Category::SenderRejected,
        &[
            "permission to post",
            "投稿する権限",
            "unroutable sender",
            "sender address",
            "sender rejected",
            "sender is rejected",
            "sender denied",
            "sender verify failed",
            "sender verification",
            "unverified sender",
            "domain of sender address",
            "sender domain",
            "mail from rejected",
            "envelope sender",
            "from address",
            "invalid sender",
            "sender unknown",
            "unknown sender",
            "sender address",
            "not accept mail from",
            "your address",
            "return path",
            "bad sender",
            "sender not",
        ],
    ),
];

/// The catch-all words, tried last.
const WORDING_LAST: &[(Category, &[&str])] = &[
    (
        Category::Other,
        &[
            "internal system error",
            "system error",
            "mailer error",
            "internal error",
            "local error",
        ],
    ),
    (
        Category::UserUnknown,
        &[
            "user doesn't have",
            "user does not have",
            "no such account",
            "user unknown",
            "unknown user",
            "bad destination mailbox",
            "no such user",
            "no such recipient",
            "no such mailbox",
            "no such address",
            "does not exist",
            "doesn't exist",
            "not exist",
            "not found",
            "unknown recipient",
            "recipient unknown",
            "invalid recipient",
            "invalid mailbox",
            "invalid address",
            "bad recipient",
            "mailbox unavailable",
            "mailbox not available",
            "no mailbox",
            "no valid recipients",
            "mailbox not found",
            "not a valid",
            "unknown address",
            "address unknown",
            "unknown local",
            "user not",
            "unknown or illegal",
            "no longer",
            "has moved",
            "no account",
            "not our customer",
            "recipient rejected",
            "recipient address rejected",
            "address rejected",
            "unbekannt",
            "existiert nicht",
            // Spanish, Portuguese, French and Italian for "unknown" / "does not exist".
            "desconocido",
            "desconhecido",
            "no existe",
            "não existe",
            "nao existe",
            "inconnu",
            "n'existe pas",
            "sconosciuto",
            "inesistente",
            "nicht gefunden",
            "gibt es nicht",
            "ungültige",
            "userunknown",
            "unknown",
            "invalid",
        ],
    ),
    (
        Category::ContentRejected,
        &[
            "content",
            "message rejected",
            "policy",
            "inhalt",
            "not compliant",
            "rfc 5322",
            "rfc5322",
            "rfc 822",
            "rfc822",
            "header",
            "attachment",
            "filter",
            "prohibited",
            "not allowed",
        ],
    ),
];

/// A temporary failure of DNS: the lookup failed, not "no such domain".
const DNS_TRANSIENT: &[&str] = &[
    "host not found, try again",
    "malformed or unexpected name server reply",
    "malformed name server reply",
    "host name lookup failure",
    "dns query failed",
    "querying the domain name system (dns)",
    "dns records for the destination computer could not be found",
    "temporary failure in name resolution",
    "unable to resolve route ",
    "servfail",
];

/// Loops, connections lost or refused midway, TLS: network errors that are not a server
/// unreachable for days, whatever the notice says about retrying.
const NOT_UNREACHABLE: &[&str] = &[
    "loop",
    "hop count",
    "too many hops",
    "forwarded more than",
    "lost connection",
    "connection reset",
    "connection closed",
    "connection dropped",
    "handshake",
    " tls",
    "starttls",
];

/// Phrases that look like a reason but are not one: Postfix's "delivery temporarily
/// suspended" means it stopped trying that destination for a while, not a suspended mailbox;
/// Sendmail's `relay=` names the host it talked to (its log field, quoted in its replies:
/// "Addressee unknown, relay=[192.0.2.1]"), not a relay refusal.
fn without_neutral_phrases(text: &str) -> String {
    without_repeated_reply_codes(
        &text
            .replace("delivery temporarily suspended", "")
            .replace("relay=", ""),
    )
}

/// A multi-line reply joined into one line (`450-4.2.1 … at a rate that 450-4.2.1 prevents …
/// 450 4.2.1 https://…`, RFC 5321 §4.2.1: every line but the last carries `code-`) reads as
/// one sentence: after the first `code-`, the repeated code and status are dropped.
fn without_repeated_reply_codes(text: &str) -> String {
    let bytes = text.as_bytes();
    // The reply code at `at` (`4yz`/`5yz` on a word boundary, then `-` or a space), its
    // separator, and the length of the status after it (`4.2.1`), if any.
    let reply_at = |at: usize| -> Option<(&str, u8, usize)> {
        let code = bytes.get(at..at + 3)?;
        let separator = *bytes.get(at + 3)?;
        let starts_word = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if !(starts_word
            && matches!(code[0], b'4' | b'5')
            && code.iter().all(u8::is_ascii_digit)
            && matches!(separator, b'-' | b' '))
        {
            return None;
        }
        let rest = &text[at + 4..];
        let status = rest
            .split(|c: char| c.is_whitespace())
            .next()
            .filter(|word| {
                let parts: Vec<&str> = word.split('.').collect();
                parts.len() == 3
                    && parts[0] == &text[at..at + 1]
                    && parts.iter().all(|p| {
                        (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
                    })
            })
            .map_or(0, str::len);
        Some((&text[at..at + 3], separator, status))
    };
    let Some((first_at, (code, _, status_len))) = (0..bytes.len())
        .find_map(|at| reply_at(at).map(|reply| (at, reply)))
        .filter(|(_, (_, separator, _))| *separator == b'-')
    else {
        return text.to_owned();
    };
    let status = &text[first_at + 4..first_at + 4 + status_len];
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    let mut at = first_at + 4 + status_len;
    while at < bytes.len() {
        if let Some((other, separator, other_len)) = reply_at(at) {
            let other_status = &text[at + 4..at + 4 + other_len];
            // `code-` with the same status or none; `code status` only with the same status.
            let repeated = other == code
                && (other_status == status || (separator == b'-' && other_len == 0))
                && (separator == b'-' || other_len > 0);
            if repeated {
                out.push_str(&text[kept..at]);
                at += 4 + other_len;
                // The space after the status goes with it.
                if bytes.get(at) == Some(&b' ') {
                    at += 1;
                }
                kept = at;
                continue;
            }
        }
        at += 1;
    }
    out.push_str(&text[kept..]);
    out
}

/// RFC 5321's text for any 550 ("Requested action not taken: mailbox unavailable", §4.2.2)
/// names no reason; a status code that does (X.2.1 "mailbox disabled", RFC 3463 §3.3) decides
/// over it, unless the reply also says why in words ("unknown", "no such user").
const VAGUE_UNAVAILABLE: &[&str] = &[
    "mailbox unavailable",
    "mailbox is unavailable",
    "mailbox not available",
    "mailbox is not available",
    "not available",
    "unavailable",
];

/// "Mailbox disabled" when the status says so (X.2.1) and the wording only says the mailbox is
/// "unavailable".
fn vague_unavailable(text: &str, from_status: Option<Category>) -> Option<Category> {
    if from_status != Some(Category::MailboxDisabled) || !any(text, VAGUE_UNAVAILABLE) {
        return None;
    }
    let rest = VAGUE_UNAVAILABLE
        .iter()
        .fold(text.to_owned(), |rest, phrase| rest.replace(phrase, ""));
    by_wording(&rest).is_none().then_some(from_status).flatten()
}

/// `<domain> does not exist`: the recipient's domain, not the mailbox (the word before is a
/// host name, as in Exim's "553 neko.example.com does not exist").
fn domain_does_not_exist(text: &str) -> bool {
    text.match_indices(" does not exist").any(|(at, _)| {
        let word = text[..at]
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or_default()
            .trim_matches(['<', '>', '"', '\'', '[', ']', '(', ')']);
        word.contains('.')
            && !word.contains('@')
            && word.parse::<std::net::IpAddr>().is_err()
            && word
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && word.bytes().any(|b| b.is_ascii_alphabetic())
    })
}

/// Postfix's `Recipient address rejected: <reason>` names the reason after the colon; the
/// reason decides, not the phrase (which Postfix uses for any refused recipient). A reason the
/// wording does not tell leaves it to the status code (`550 5.1.1 … Recipient address rejected:
/// Address is not configured to receive emails`); without one it is "other".
fn recipient_rejected_reason(text: &str, from_status: Option<Category>) -> Option<Category> {
    let (at, marker) = [
        "recipient address rejected:",
        "recipient addresses rejected:",
        "recipient addresses rejected :",
    ]
    .iter()
    .find_map(|marker| text.find(marker).map(|at| (at, *marker)))?;
    let reason = &text[at + marker.len()..];
    let reason = reason.split(['\n', ';']).next().unwrap_or_default().trim();
    if reason.starts_with("access denied") {
        // Microsoft's directory-based edge blocking (`550 5.4.1 Recipient address rejected:
        // Access denied. AS(201806281)`): the address is not in the organisation's directory.
        // Microsoft's relay refusal says so ("5.4.1 Relay Access Denied").
        return Some(Category::UserUnknown);
    }
    Some(
        by_wording(reason)
            .or(from_status)
            .unwrap_or(Category::Other),
    )
}

fn by_wording(text: &str) -> Option<Category> {
    let found = WORDING_FIRST
        .iter()
        .chain(SISIMAI_MTA)
        .chain(SISIMAI)
        .chain(WORDING)
        .chain(SISIMAI_LATE)
        .chain(WORDING_LAST)
        .find(|(_, needles)| any(text, needles))
        .map(|(category, _)| *category);
    match found {
        Some(Category::UserUnknown | Category::Other) | None if domain_does_not_exist(text) => {
            Some(Category::HostUnknown)
        }
        found => found,
    }
}

/// Status codes that say it all (RFC 3463 §3.2–3.8, RFC 7372 §3, RFC 7505 §4, and the
/// providers' own X.7.5xx/X.7.6xx codes).
fn by_status(subject: u16, detail: u16) -> Option<Category> {
    Some(match (subject, detail) {
        (7, 25) => Category::PtrRequired,
        (7, 20..=27) => Category::AuthFailed,
        (7, 509 | 515) => Category::AuthFailed,
        (7, 28) => Category::RateLimited,
        (7, 511 | 606 | 607 | 708) => Category::Blocklisted,
        (7, 13) => Category::MailboxDisabled,
        (7, 17 | 18) => Category::UserUnknown,
        (1, 1 | 6) => Category::UserUnknown,
        (1, 2) => Category::HostUnknown,
        (1, 7 | 8) => Category::SenderRejected,
        (2, 1) => Category::MailboxDisabled,
        (2, 2) => Category::MailboxFull,
        (2, 3) | (3, 4) => Category::MessageTooLarge,
        (4, 1 | 2 | 6) => Category::NetworkError,
        (4, 3) => Category::DnsFailure,
        (4, 4) => Category::HostUnknown,
        (4, 7) => Category::Expired,
        (7, 7) | (6, _) => Category::ContentRejected,
        _ => return None,
    })
}

/// An X.6.x status is about the message's content or media (RFC 3463 §3.7: "Message content
/// or media status"); words that would be about the address ("554 5.6.211 Invalid MIME
/// Content", where "invalid" alone reads as an invalid recipient) do not outweigh it. Words of
/// a content reason (spam, a virus, the size) still name the reason more closely.
fn content_over_address(found: Category, status: Option<Status>) -> Category {
    let about_address = matches!(
        found,
        Category::UserUnknown
            | Category::HostUnknown
            | Category::MailboxDisabled
            | Category::SenderRejected
    );
    if about_address && status.is_some_and(|s| s.subject == 6) {
        Category::ContentRejected
    } else {
        found
    }
}

/// The words of a server that refuses in so many words ("Access denied", "550 rejected").
const REFUSALS: &[&str] = &["denied", "rejected", "refused", "not allowed", "blocked"];

/// Codes whose meaning no wording overrides.
fn decisive(subject: u16, detail: u16) -> bool {
    matches!(
        (subject, detail),
        (7, 20..=26 | 28) | (7, 509 | 515 | 511 | 606 | 607 | 708) | (2, 2) | (3, 4) | (4, 7)
    )
}

/// The category of a bounce and the provider whose wording it has.
pub(crate) fn classify(facts: &Facts) -> (Category, Option<&'static str>) {
    let provider = PROVIDERS
        .iter()
        .find(|(_, needles)| any(&facts.own_text, needles))
        .map(|(name, _)| *name);
    if facts.empty {
        return (Category::Empty, provider);
    }
    // Not bounces: a complaint (RFC 5965 §2) and a report of success (RFC 3464 §2.3.3).
    if facts.complaint {
        return (Category::Complaint, provider);
    }
    if facts.delivered_only {
        return (Category::Delivered, provider);
    }
    let diagnostic = without_neutral_phrases(
        &facts
            .diagnostic
            .as_deref()
            .unwrap_or_default()
            .to_lowercase(),
    );
    // Wrapped lines read as one ("Host not\n    found, try again").
    let human = without_neutral_phrases(&facts.human);
    let flat = human.split_whitespace().collect::<Vec<_>>().join(" ");
    // X.4.7 says the time ran out; a failing DNS lookup named as the cause says more.
    let dns_named = any(&diagnostic, DNS_TRANSIENT) || any(&flat, DNS_TRANSIENT);
    let status = facts
        .status
        .filter(|s| s.class != 2)
        .filter(|s| !(s.subject == 4 && s.detail == 7 && dns_named));
    let from_status = status.and_then(|s| by_status(s.subject, s.detail));
    // X.4.1 "no answer from host" and X.4.2 "bad connection" (RFC 3463 §3.5) contradict a
    // remote server's own refusal: a server that replied "541 5.4.1 Mail rejected by
    // destination domain" was reached. Such a status says nothing about the reason.
    let from_status = from_status.filter(|category| {
        let answered_no =
            facts.reply_code.is_some_and(|code| code / 100 == 5) && any(&diagnostic, REFUSALS);
        !(*category == Category::NetworkError && answered_no)
    });
    let transient = facts.reply_code.is_some_and(|c| c / 100 == 4)
        || facts.status.is_some_and(|s| s.class == 4);
    let status_text = facts.status.map(|s| s.to_string()).unwrap_or_default();
    let category = rhost::by_code(&diagnostic, facts.reply_code, &facts.own_text)
        .or_else(|| rhost::by_code(&human, facts.reply_code, &facts.own_text))
        .or_else(|| {
            status
                .filter(|s| decisive(s.subject, s.detail))
                .and(from_status)
        })
        .or_else(|| recipient_rejected_reason(&diagnostic, from_status))
        .or_else(|| vague_unavailable(&diagnostic, from_status))
        .or_else(|| by_wording(&diagnostic).map(|found| content_over_address(found, status)))
        .or_else(|| rhost::by_provider_phrase(&diagnostic, &status_text, &facts.own_text))
        .or(from_status)
        .or_else(|| recipient_rejected_reason(&human, from_status))
        // Google Groups refuse posts from non-members, in the reader's language.
        .or_else(|| {
            any(&human, &["groups.google.com", "google groups"]).then_some(Category::SenderRejected)
        })
        .or_else(|| by_wording(&flat))
        .or_else(|| {
            (transient && any(&flat, &["try again later", "später erneut"]))
                .then_some(Category::RateLimited)
        })
        // RFC 7505 §4.2 gives X.1.10 to a null MX, Microsoft to "recipient not found": without
        // wording that tells, the far more common one.
        .or_else(|| {
            status
                .is_some_and(|s| s.subject == 1 && s.detail == 10)
                .then_some(Category::UserUnknown)
        })
        .unwrap_or(Category::Other);
    // A server that hangs up on the sender ("Connection was dropped by remote host") refuses it
    // as much as one that says so.
    let refusal_worded = [&diagnostic, &flat]
        .iter()
        .any(|text| any(text, REFUSALS) || text.contains("dropped by remote host"));
    let category = by_command(category, facts.command, refusal_worded);
    let category = rhost::after_data(category, facts.command, &facts.own_text);
    // A local program's exit status (`Diagnostic-Code: X-Unix; 75`) or its own output (Postfix's
    // "Command output: …") is a mailer error, not the remote server's; nothing about retrying
    // makes it more than that.
    let local_program =
        facts.diagnostic_type.as_deref() == Some("x-unix") || any(&diagnostic, MAILER_ERROR);
    // A delivery given up after retrying (RFC 3464 §2.3.3: `failed` or `expired` with a 4.x.x
    // status, or a plain notice of a transient reply) or a warning that it is still being
    // tried is about the time it took. So is a server that could not be reached at all, when
    // the notice calls that final (Gmail's "failed permanently", qmail's "I've given up"): no
    // server said no, the sender stopped trying. A loop, a lost connection or a failing DNS
    // lookup stays what it is.
    let retried = facts.warning_only
        || match facts.action.as_deref() {
            Some(action) => {
                action.starts_with("expired") || (action.starts_with("failed") && transient)
            }
            None => transient,
        };
    let called_final = any(
        &flat,
        &[
            "failed permanently",
            "permanent error",
            "permanent fatal error",
            "given up",
            "deleted from queue",
        ],
    );
    let unreachable = category == Category::NetworkError
        && !any(&diagnostic, NOT_UNREACHABLE)
        && !any(&flat, NOT_UNREACHABLE);
    let category = if !local_program
        && ((retried && category == Category::Other) || ((retried || called_final) && unreachable))
    {
        Category::Expired
    } else {
        category
    };
    // Nothing names a failure (no delivery status, no reply or status code, no word of one):
    // an automatic reply (RFC 3834 §5) where it says so, else no bounce at all. Never for a
    // text that names a failure, however vaguely: that stays bounce-other.
    let category = match category {
        Category::Other if !facts.failure_named && facts.auto_reply => Category::AutoReply,
        Category::Other if !facts.failure_named => Category::Empty,
        category => category,
    };
    // Greylisting (a deliberate first refusal) is neither the address nor the sender.
    let category = if any(
        &diagnostic,
        &["greylist", "graylist", "grey-list", "gray-list"],
    ) {
        Category::Other
    } else {
        category
    };
    (category, provider)
}

/// The step of the session a refusal answered tells whom a vague refusal is about (RFC 5321
/// §3.3): at `MAIL FROM` the sender's address, at the greeting or `HELO` the connecting server
/// (Sisimai, lib/sisimai/reason/rejected.rb and blocked.rb, reads it the same way).
/// A reason left unknown counts only when the reply refuses in words ("Access denied"); RFC
/// 5321's bare "Transaction failed" says nothing about whom.
fn by_command(category: Category, command: Option<Command>, refusal_worded: bool) -> Category {
    let vague = matches!(category, Category::UserUnknown | Category::HostUnknown)
        || (category == Category::Other && refusal_worded);
    match command {
        Some(Command::MailFrom) if vague => Category::SenderRejected,
        Some(Command::Connect) if vague || category == Category::SenderRejected => {
            Category::Blocklisted
        }
        _ => category,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_multi_line_reply_reads_as_one_sentence() {
        let joined = "said: 450-4.2.1 the user is receiving mail at a rate that 450-4.2.1 \
                      prevents additional messages from being delivered. 450 4.2.1 https://x";
        assert_eq!(
            without_repeated_reply_codes(joined),
            "said: 450-4.2.1 the user is receiving mail at a rate that prevents additional \
             messages from being delivered. https://x"
        );
        // One line, or another code: nothing to drop.
        let single = "said: 550 5.1.1 user unknown (550 5.1.1)";
        assert_eq!(without_repeated_reply_codes(single), single);
        let other = "said: 550-5.7.1 blocked, see 554 5.7.1 and 550 messages";
        assert_eq!(without_repeated_reply_codes(other), other);
    }

    #[test]
    fn an_unknown_recipient_rejection_reason_leaves_it_to_the_status() {
        let text = "550 5.1.1 <a@b.example>: recipient address rejected: not configured here";
        assert_eq!(
            recipient_rejected_reason(text, Some(Category::UserUnknown)),
            Some(Category::UserUnknown)
        );
        assert_eq!(recipient_rejected_reason(text, None), Some(Category::Other));
    }

    #[test]
    fn directory_based_edge_blocking_is_an_unknown_recipient() {
        let dbeb = "550 5.4.1 recipient address rejected: access denied. as(201806281)";
        assert_eq!(
            recipient_rejected_reason(dbeb, None),
            Some(Category::UserUnknown)
        );
        assert_eq!(
            by_wording("550 5.4.1 relay access denied"),
            Some(Category::RelayDenied)
        );
    }

    #[test]
    fn sendmails_relay_field_is_no_relay_refusal() {
        let text = without_neutral_phrases(
            "550 5.2.1 <a@b.example>... addressee unknown, relay=[192.0.2.1]",
        );
        assert_eq!(by_wording(&text), Some(Category::UserUnknown));
    }

    #[test]
    fn a_bare_mailbox_unavailable_leaves_it_to_a_x21_status() {
        let disabled = Some(Category::MailboxDisabled);
        let bare = "550 5.2.1 mailbox not available";
        assert_eq!(vague_unavailable(bare, disabled), disabled);
        let worded = "550 5.2.1 mailbox unavailable: user unknown";
        assert_eq!(vague_unavailable(worded, disabled), None);
        assert_eq!(vague_unavailable(bare, Some(Category::UserUnknown)), None);
    }

    #[test]
    fn a_directory_that_knows_no_such_name_is_an_unknown_recipient() {
        // The CSO directory's "nameserver" is not DNS.
        let text = "userx    No matches to nameserver query";
        assert_eq!(
            by_wording(&text.to_lowercase()),
            Some(Category::UserUnknown)
        );
    }

    #[test]
    fn a_size_limit_is_read_with_words_between() {
        let text = "this mail message has exceeded the maximum incoming message size.";
        assert_eq!(by_wording(text), Some(Category::MessageTooLarge));
    }

    #[test]
    fn a_delayed_local_program_failure_stays_a_mailer_error() {
        let bounce = crate::bounce::analyze(
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
             --b\n\nYour message could not be delivered for 0.2 hours.\n\
             It will be retried until it is 5.0 days old.\n\
             --b\nContent-Type: message/delivery-status\n\n\
             Reporting-MTA: dns; mx.example.de\n\n\
             Final-Recipient: rfc822; userx@example.de\nAction: delayed\nStatus: 4.0.0\n\
             Diagnostic-Code: X-Postfix; temporary failure. Command output: avpcheck: unable\n\
             \x20   to connect to avp daemon: Connection refused\n--b--\n",
        );
        assert_eq!(bounce.category, Category::Other);
        assert_eq!(bounce.permanence, crate::bounce::Permanence::Soft);
    }

    #[test]
    fn mail_servers_that_could_not_be_reached_are_no_missing_mx() {
        let text = "421 4.4.0 [internal] no mxs for this domain could be reached at this time";
        assert_eq!(by_wording(text), Some(Category::NetworkError));
        assert_ne!(
            by_wording("550 no mx record for domain"),
            Some(Category::NetworkError)
        );
    }

    #[test]
    fn a_connection_dropped_at_helo_refuses_the_sending_server() {
        let bounce = crate::bounce::analyze(
            "Delivery to the following recipient failed permanently:\n\n\
             \x20    someone@example.lv\n\n\
             Technical details of permanent failure:\n\
             Connection was dropped by remote host (SENT_HELO)\n",
        );
        assert_eq!(bounce.category, Category::Blocklisted);
        // Without the step, a dropped connection says nothing about whom.
        let bounce = crate::bounce::analyze(
            "Delivery to the following recipient failed permanently:\n\n\
             \x20    someone@example.lv\n\n\
             Technical details of permanent failure:\nConnection was dropped by remote host\n",
        );
        assert_ne!(bounce.category, Category::Blocklisted);
    }
}
