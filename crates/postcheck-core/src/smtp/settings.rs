//! What the outgoing-mail (SMTP submission) settings for an address should be, from three
//! sources: the domain's own SRV records (RFC 6186, RFC 8314 §5.1), a Thunderbird autoconfig
//! file (`config-v1.1.xml`), and a table of common providers recognized by their MX hosts.
//!
//! Nothing here looks anything up: the driver asks for the SRV records and fetches the autoconfig
//! file ([`srv_names`], [`autoconfig_urls`]) and hands over what came back: DNS answers as the
//! core's [`Answer`]s ([`SrvAnswer::from_answer`]), or SRV records in their presentation form
//! (`0 1 587 smtp.example.com.`, as `dig` and DNS-over-HTTPS JSON give them) with
//! [`SrvRecord::parse`].

use crate::dns::name::is_host_name;
use crate::dns::{Answer, RecordData};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

/// How the connection to the server is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte ("implicit TLS", shown as "SSL/TLS"; port 465, RFC 8314 §3.3).
    Tls,
    /// Unencrypted start, then the `STARTTLS` command (port 587, RFC 3207).
    StartTls,
    /// No encryption.
    Plain,
}

impl Security {
    /// The lowercase name used in JSON (`tls`, `starttls`, `plain`).
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::StartTls => "starttls",
            Security::Plain => "plain",
        }
    }

    /// The name mail programs show for it: `SSL/TLS`, `STARTTLS`, `none`.
    pub fn label(self) -> &'static str {
        match self {
            Security::Tls => "SSL/TLS",
            Security::StartTls => "STARTTLS",
            Security::Plain => "none",
        }
    }

    /// The submission port that goes with it: 465 for TLS from the first byte (RFC 8314
    /// §3.3), 587 otherwise (RFC 6409 §3.1).
    pub fn submission_port(self) -> u16 {
        match self {
            Security::Tls => 465,
            Security::StartTls | Security::Plain => 587,
        }
    }
}

/// The two SRV services of mail submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SrvService {
    /// `_submission._tcp`: submission with STARTTLS (RFC 6186 §3.1).
    Submission,
    /// `_submissions._tcp`: submission with TLS from the first byte (RFC 8314 §5.1).
    Submissions,
}

impl SrvService {
    /// Both services, the one with TLS from the first byte first (RFC 8314 §3.3 prefers it).
    pub const ALL: &'static [SrvService] = &[SrvService::Submissions, SrvService::Submission];

    /// The owner name of the service's SRV records for `domain`: `_submission._tcp.<domain>`.
    pub fn name(self, domain: &str) -> String {
        let label = match self {
            SrvService::Submission => "_submission",
            SrvService::Submissions => "_submissions",
        };
        format!("{label}._tcp.{}", normalize_host(domain))
    }

    /// The encryption the service uses.
    pub fn security(self) -> Security {
        match self {
            SrvService::Submission => Security::StartTls,
            SrvService::Submissions => Security::Tls,
        }
    }
}

/// The SRV names a driver should ask for `domain` (type SRV, 33), one per [`SrvService`].
pub fn srv_names(domain: &str) -> Vec<(SrvService, String)> {
    SrvService::ALL
        .iter()
        .map(|&service| (service, service.name(domain)))
        .collect()
}

/// One SRV record (RFC 2782): where a service runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SrvRecord {
    /// Lower is tried first.
    pub priority: u16,
    /// Among records of one priority, the share of the load.
    pub weight: u16,
    /// The port.
    pub port: u16,
    /// The host name, lowercase, without the trailing dot; `.` alone means "not offered".
    pub target: String,
}

impl SrvRecord {
    /// Reads the presentation form `priority weight port target` (`0 1 587 smtp.example.com.`);
    /// `None` for anything else.
    pub fn parse(text: &str) -> Option<SrvRecord> {
        let mut fields = text.split_ascii_whitespace();
        let priority = fields.next()?.parse().ok()?;
        let weight = fields.next()?.parse().ok()?;
        let port = fields.next()?.parse().ok()?;
        let target = fields.next()?;
        if fields.next().is_some() || target.len() > 254 {
            return None;
        }
        let target = if target == "." {
            ".".to_owned()
        } else {
            normalize_host(target)
        };
        Some(SrvRecord {
            priority,
            weight,
            port,
            target,
        })
    }

    /// Whether the record says the service is decidedly not offered: target `.` (RFC 2782,
    /// "Target"; RFC 6186 §3).
    pub fn is_not_offered(&self) -> bool {
        self.target == "."
    }
}

/// What came back for one SRV name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum SrvAnswer {
    /// SRV records.
    Records {
        /// The records as the response listed them.
        records: Vec<SrvRecord>,
    },
    /// NXDOMAIN or NODATA: the domain publishes nothing for the service.
    None,
    /// The lookup failed: could not verify, never "not published".
    Failed,
}

impl SrvAnswer {
    /// What a DNS answer to an SRV query says; records of other types are ignored, and an
    /// answer without SRV records is "nothing published".
    pub fn from_answer(answer: &Answer) -> SrvAnswer {
        match answer {
            Answer::Records { records, .. } => {
                let records: Vec<SrvRecord> = records
                    .iter()
                    .filter_map(|record| match record {
                        RecordData::Srv {
                            priority,
                            weight,
                            port,
                            target,
                        } => {
                            let target = if target.is_empty() { "." } else { target };
                            SrvRecord::parse(&format!("{priority} {weight} {port} {target}"))
                        }
                        _ => None,
                    })
                    .collect();
                if records.is_empty() {
                    SrvAnswer::None
                } else {
                    SrvAnswer::Records { records }
                }
            }
            Answer::Nxdomain | Answer::Nodata => SrvAnswer::None,
            Answer::Failed { .. } => SrvAnswer::Failed,
        }
    }
}

/// What one service's SRV records say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum SrvResult {
    /// The servers to try, in order.
    Offered {
        /// Host, port and order of each usable record.
        servers: Vec<SrvRecord>,
    },
    /// The domain says the service is not offered (target `.`).
    NotOffered,
    /// No usable record: none published, or none with a valid host and port.
    None,
    /// The lookup failed: could not verify.
    Failed,
}

/// The most SRV records read for one name; more are ignored.
const MAX_SRV_RECORDS: usize = 16;

/// Reads one service's SRV answer: records with target `.` say the service is not offered
/// (RFC 2782; RFC 6186 §3) and count only when no other record names a server; records with an
/// invalid host or port 0 are left out. The rest are ordered by priority, lowest first, and
/// within one priority by weight, heaviest first (RFC 2782 picks at random in proportion to the
/// weights; this core draws no random numbers, so the order is the most likely one), then by
/// name.
pub fn read_srv(answer: &SrvAnswer) -> SrvResult {
    let records = match answer {
        SrvAnswer::Records { records } => records,
        SrvAnswer::None => return SrvResult::None,
        SrvAnswer::Failed => return SrvResult::Failed,
    };
    let records = &records[..records.len().min(MAX_SRV_RECORDS)];
    let mut servers: Vec<SrvRecord> = records
        .iter()
        .filter(|record| {
            !record.is_not_offered() && record.port != 0 && is_host_name(&record.target, 2)
        })
        .cloned()
        .collect();
    if servers.is_empty() {
        return if records.iter().any(SrvRecord::is_not_offered) {
            SrvResult::NotOffered
        } else {
            SrvResult::None
        };
    }
    servers.sort_by(|a, b| {
        (a.priority, Reverse(a.weight), &a.target, a.port).cmp(&(
            b.priority,
            Reverse(b.weight),
            &b.target,
            b.port,
        ))
    });
    servers.dedup();
    SrvResult::Offered { servers }
}

/// The user name a server expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "form", content = "value", rename_all = "kebab-case")]
pub enum UserName {
    /// The full email address.
    FullAddress,
    /// The part of the address before the `@`.
    LocalPart,
    /// The same fixed word for every customer (SendGrid's `apikey`).
    Literal(&'static str),
    /// An autoconfig template with `%EMAILADDRESS%`, `%EMAILLOCALPART%`, `%EMAILDOMAIN%`.
    Template(String),
    /// The service's API key.
    ApiKey,
    /// A login the provider shows in its control panel (not the email address).
    ProviderLogin,
    /// Not known from the source.
    Unknown,
}

impl UserName {
    /// The user name for `address`, where the form gives one.
    pub fn for_address(&self, address: &str) -> Option<String> {
        let (local_part, domain) = address.rsplit_once('@')?;
        match self {
            UserName::FullAddress => Some(address.to_owned()),
            UserName::LocalPart => Some(local_part.to_owned()),
            UserName::Literal(word) => Some((*word).to_owned()),
            UserName::Template(template) => Some(
                template
                    .replace("%EMAILADDRESS%", address)
                    .replace("%EMAILLOCALPART%", local_part)
                    .replace("%EMAILDOMAIN%", domain),
            ),
            UserName::ApiKey | UserName::ProviderLogin | UserName::Unknown => None,
        }
    }
}

/// The password a server expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Password {
    /// The mailbox's own password.
    Account,
    /// An app password made in the account's security settings (needed with two-step login).
    AppPassword,
    /// A separate password for mail programs, set in the provider's customer center (Telekom's
    /// "E-Mail-Passwort").
    MailPassword,
    /// The service's API key.
    ApiKey,
    /// The secret key that goes with the API key.
    ApiSecret,
    /// SMTP credentials made in the service's control panel.
    SmtpCredential,
    /// Not known from the source.
    Unknown,
}

/// Something the account must have switched on before the settings work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    /// SMTP AUTH enabled for the organization and the mailbox (Microsoft 365).
    SmtpAuthEnabled,
    /// Access from mail programs ("POP3/IMAP") switched on in the mailbox's settings.
    ExternalAccessEnabled,
}

/// Whether a provider hosts mailboxes or sends bulk and transactional mail for others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    /// Mailboxes: recognized by the domain's MX hosts.
    Mailbox,
    /// A sending service: recognized by its SPF include, never by MX.
    Bulk,
}

/// The host of a provider's submission server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum ProviderHost {
    /// The same name for every customer.
    Name(&'static str),
    /// The customer's own server, the one the MX record names (All-Inkl's `w0….kasserver.com`).
    MxHost,
}

/// One submission server of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ProviderServer {
    /// The host.
    pub host: ProviderHost,
    /// The port.
    pub port: u16,
    /// The encryption.
    pub security: Security,
}

/// A provider's published submission settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provider {
    /// A stable short name (`ionos`, `google`).
    pub id: &'static str,
    /// The name customers know.
    pub name: &'static str,
    /// Mailboxes or a sending service.
    pub kind: ProviderKind,
    /// MX host names end in one of these (at a label boundary).
    pub mx_suffixes: &'static [&'static str],
    /// Domains the provider's customers include in their SPF record (sending services).
    pub spf_includes: &'static [&'static str],
    /// The submission servers, the preferred one first.
    pub servers: &'static [ProviderServer],
    /// The user name.
    pub username: UserName,
    /// The password.
    pub password: Password,
    /// What must be switched on first, if anything.
    pub requirement: Option<Requirement>,
    /// The provider's help page that publishes these settings.
    pub help: &'static str,
}

const fn server(host: &'static str, port: u16, security: Security) -> ProviderServer {
    ProviderServer {
        host: ProviderHost::Name(host),
        port,
        security,
    }
}

/// Port 587 with STARTTLS and 465 with TLS on one host, in the provider's order.
const fn starttls_and_tls(host: &'static str) -> [ProviderServer; 2] {
    [
        server(host, 587, Security::StartTls),
        server(host, 465, Security::Tls),
    ]
}

const fn tls_and_starttls(host: &'static str) -> [ProviderServer; 2] {
    [
        server(host, 465, Security::Tls),
        server(host, 587, Security::StartTls),
    ]
}

/// The providers, each row from the help page it names. Only settings the provider publishes
/// are here; a provider whose settings could not be confirmed is left out rather than guessed.
pub static PROVIDERS: &[Provider] = &[
    // https://www.ionos.de/hilfe/e-mail/allgemeine-themen/serverinformationen-fuer-imap-pop3-und-smtp/
    // (IONOS Germany; `kundenserver.de` is the MX of older 1&1 contracts.)
    Provider {
        id: "ionos",
        name: "IONOS",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["ionos.de", "kundenserver.de"],
        spf_includes: &[],
        servers: &tls_and_starttls("smtp.ionos.de"),
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: None,
        help: "https://www.ionos.de/hilfe/e-mail/allgemeine-themen/serverinformationen-fuer-imap-pop3-und-smtp/",
    },
    // https://www.strato.de/faq/mail/so-lauten-die-strato-e-mail-server/
    Provider {
        id: "strato",
        name: "STRATO",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["rzone.de"],
        spf_includes: &[],
        servers: &tls_and_starttls("smtp.strato.de"),
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: None,
        help: "https://www.strato.de/faq/mail/so-lauten-die-strato-e-mail-server/",
    },
    // https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html (POP3/IMAP access must be
    // switched on: https://hilfe.gmx.net/pop-imap/einschalten.html)
    Provider {
        id: "gmx",
        name: "GMX",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["gmx.net"],
        spf_includes: &[],
        servers: &starttls_and_tls("mail.gmx.net"),
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: Some(Requirement::ExternalAccessEnabled),
        help: "https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html",
    },
    // https://hilfe.web.de/pop-imap/imap/imap-serverdaten.html (POP3/IMAP access must be
    // switched on: https://hilfe.web.de/pop-imap/einschalten.html)
    Provider {
        id: "webde",
        name: "WEB.DE",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["web.de"],
        spf_includes: &[],
        servers: &[server("smtp.web.de", 587, Security::StartTls)],
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: Some(Requirement::ExternalAccessEnabled),
        help: "https://hilfe.web.de/pop-imap/imap/imap-serverdaten.html",
    },
    // https://www.telekom.de/hilfe/festnetz-internet-tv/e-mail/e-mail-server-e-mail-protokolle-und-e-mail-einrichtung/posteingangsserver-und-postausgangsserver
    // (the "E-Mail-Passwort" is set in the Telekom customer center, apart from the login)
    Provider {
        id: "telekom",
        name: "Telekom (T-Online)",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["t-online.de"],
        spf_includes: &[],
        servers: &tls_and_starttls("securesmtp.t-online.de"),
        username: UserName::FullAddress,
        password: Password::MailPassword,
        requirement: None,
        help: "https://www.telekom.de/hilfe/festnetz-internet-tv/e-mail/e-mail-server-e-mail-protokolle-und-e-mail-einrichtung/posteingangsserver-und-postausgangsserver",
    },
    // https://support.google.com/mail/answer/7126229 (server settings) and
    // https://support.google.com/accounts/answer/185833 (app passwords)
    Provider {
        id: "google",
        name: "Google Workspace / Gmail",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["google.com", "googlemail.com"],
        spf_includes: &[],
        servers: &starttls_and_tls("smtp.gmail.com"),
        username: UserName::FullAddress,
        password: Password::AppPassword,
        requirement: None,
        help: "https://support.google.com/mail/answer/7126229",
    },
    // https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission
    Provider {
        id: "microsoft365",
        name: "Microsoft 365",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["mail.protection.outlook.com"],
        spf_includes: &[],
        servers: &[server("smtp.office365.com", 587, Security::StartTls)],
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: Some(Requirement::SmtpAuthEnabled),
        help: "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission",
    },
    // https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040
    Provider {
        id: "outlook",
        name: "Outlook.com",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["olc.protection.outlook.com"],
        spf_includes: &[],
        servers: &[server("smtp-mail.outlook.com", 587, Security::StartTls)],
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: None,
        help: "https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
    },
    // https://help.yahoo.com/kb/SLN4075.html (app passwords: https://help.yahoo.com/kb/SLN15241.html)
    Provider {
        id: "yahoo",
        name: "Yahoo Mail",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["yahoodns.net"],
        spf_includes: &[],
        servers: &tls_and_starttls("smtp.mail.yahoo.com"),
        username: UserName::FullAddress,
        password: Password::AppPassword,
        requirement: None,
        help: "https://help.yahoo.com/kb/SLN4075.html",
    },
    // https://support.apple.com/en-us/102525 (iCloud Mail server settings; app-specific
    // passwords: https://support.apple.com/en-us/102654)
    Provider {
        id: "icloud",
        name: "iCloud Mail",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["mail.icloud.com"],
        spf_includes: &[],
        servers: &[server("smtp.mail.me.com", 587, Security::StartTls)],
        username: UserName::FullAddress,
        password: Password::AppPassword,
        requirement: None,
        help: "https://support.apple.com/en-us/102525",
    },
    // https://posteo.de/hilfe/welche-posteo-serverdaten-muss-ich-in-meinem-e-mail-programm-eintragen
    Provider {
        id: "posteo",
        name: "Posteo",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["posteo.de"],
        spf_includes: &[],
        servers: &starttls_and_tls("posteo.de"),
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: None,
        help: "https://posteo.de/hilfe/welche-posteo-serverdaten-muss-ich-in-meinem-e-mail-programm-eintragen",
    },
    // https://kb.mailbox.org/de/privat/e-mail-programme/e-mail-programme-mit-mailbox-org-nutzen
    Provider {
        id: "mailboxorg",
        name: "mailbox.org",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["mailbox.org"],
        spf_includes: &[],
        servers: &tls_and_starttls("smtp.mailbox.org"),
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: None,
        help: "https://kb.mailbox.org/de/privat/e-mail-programme/e-mail-programme-mit-mailbox-org-nutzen",
    },
    // https://all-inkl.com/wichtig/anleitungen/programme/e-mail/ (the account's own server,
    // w0….kasserver.com, which the MX record names; the login is the mailbox name m0…)
    Provider {
        id: "allinkl",
        name: "ALL-INKL.COM",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["kasserver.com"],
        spf_includes: &[],
        servers: &[
            ProviderServer {
                host: ProviderHost::MxHost,
                port: 465,
                security: Security::Tls,
            },
            ProviderServer {
                host: ProviderHost::MxHost,
                port: 587,
                security: Security::StartTls,
            },
        ],
        username: UserName::ProviderLogin,
        password: Password::Account,
        requirement: None,
        help: "https://all-inkl.com/wichtig/anleitungen/programme/e-mail/",
    },
    // https://docs.hetzner.com/konsoleh/account-management/email/setting-up-an-email-account/
    Provider {
        id: "hetzner",
        name: "Hetzner (Webhosting)",
        kind: ProviderKind::Mailbox,
        mx_suffixes: &["your-server.de"],
        spf_includes: &[],
        servers: &starttls_and_tls("mail.your-server.de"),
        username: UserName::FullAddress,
        password: Password::Account,
        requirement: None,
        help: "https://docs.hetzner.com/konsoleh/account-management/email/setting-up-an-email-account/",
    },
    // https://documentation.mailjet.com/hc/en-us/articles/360043229473 (user name: API key,
    // password: secret key)
    Provider {
        id: "mailjet",
        name: "Mailjet",
        kind: ProviderKind::Bulk,
        mx_suffixes: &[],
        spf_includes: &["spf.mailjet.com"],
        servers: &starttls_and_tls("in-v3.mailjet.com"),
        username: UserName::ApiKey,
        password: Password::ApiSecret,
        requirement: None,
        help: "https://documentation.mailjet.com/hc/en-us/articles/360043229473",
    },
    // https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api
    // (user name: the word "apikey", password: the API key)
    Provider {
        id: "sendgrid",
        name: "SendGrid",
        kind: ProviderKind::Bulk,
        mx_suffixes: &[],
        spf_includes: &["sendgrid.net"],
        servers: &starttls_and_tls("smtp.sendgrid.net"),
        username: UserName::Literal("apikey"),
        password: Password::ApiKey,
        requirement: None,
        help: "https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api",
    },
    // https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp
    // (the domain's SMTP credentials; domains in the EU region use smtp.eu.mailgun.org)
    Provider {
        id: "mailgun",
        name: "Mailgun",
        kind: ProviderKind::Bulk,
        mx_suffixes: &[],
        spf_includes: &["mailgun.org"],
        servers: &starttls_and_tls("smtp.mailgun.org"),
        username: UserName::ProviderLogin,
        password: Password::SmtpCredential,
        requirement: None,
        help: "https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp",
    },
    Provider {
        id: "mailgun-eu",
        name: "Mailgun (EU)",
        kind: ProviderKind::Bulk,
        mx_suffixes: &[],
        spf_includes: &["mailgun.org"],
        servers: &starttls_and_tls("smtp.eu.mailgun.org"),
        username: UserName::ProviderLogin,
        password: Password::SmtpCredential,
        requirement: None,
        help: "https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp",
    },
    // https://help.brevo.com/hc/en-us/articles/7924908994450 (SMTP login and SMTP key from the
    // "SMTP & API" page)
    Provider {
        id: "brevo",
        name: "Brevo",
        kind: ProviderKind::Bulk,
        mx_suffixes: &[],
        spf_includes: &["spf.brevo.com", "spf.sendinblue.com"],
        servers: &starttls_and_tls("smtp-relay.brevo.com"),
        username: UserName::ProviderLogin,
        password: Password::SmtpCredential,
        requirement: None,
        help: "https://help.brevo.com/hc/en-us/articles/7924908994450",
    },
];

/// The provider with this [`Provider::id`].
pub fn provider(id: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|provider| provider.id == id)
}

/// The mailbox provider whose MX suffix `mx_host` ends in, at a label boundary.
pub fn provider_for_mx(mx_host: &str) -> Option<&'static Provider> {
    let host = normalize_host(mx_host);
    PROVIDERS.iter().find(|provider| {
        provider
            .mx_suffixes
            .iter()
            .any(|suffix| ends_with_labels(&host, suffix))
    })
}

/// The sending services an SPF include domain belongs to (`include:spf.mailjet.com`).
pub fn providers_for_spf_include(include: &str) -> Vec<&'static Provider> {
    let include = normalize_host(include);
    PROVIDERS
        .iter()
        .filter(|provider| {
            provider
                .spf_includes
                .iter()
                .any(|suffix| ends_with_labels(&include, suffix))
        })
        .collect()
}

/// Whether `host` is `suffix` or ends in `.suffix`.
fn ends_with_labels(host: &str, suffix: &str) -> bool {
    host == suffix
        || host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.ends_with('.'))
}

fn normalize_host(host: &str) -> String {
    let host = host.trim();
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

/// A Thunderbird autoconfig file (`config-v1.1.xml`), as far as it concerns sending.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Autoconfig {
    /// The `id` of `<emailProvider>`.
    pub provider_id: Option<String>,
    /// The `<domain>` entries: the domains the file is for.
    pub domains: Vec<String>,
    /// The `<outgoingServer type="smtp">` entries that were understood, in file order.
    pub outgoing: Vec<AutoconfigServer>,
    /// `<outgoingServer>` entries left out: another type, or a host, port or socket type that
    /// is missing or invalid.
    pub skipped: usize,
}

/// One `<outgoingServer type="smtp">`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoconfigServer {
    /// `<hostname>`, lowercase; may hold `%EMAILDOMAIN%`.
    pub hostname: String,
    /// `<port>`.
    pub port: u16,
    /// `<socketType>`: `SSL`, `STARTTLS` or `plain`.
    pub security: Security,
    /// `<username>`, a template with `%EMAILADDRESS%` and the like.
    pub username: Option<String>,
    /// The `<authentication>` methods (`password-cleartext`, `OAuth2`, ...).
    pub authentication: Vec<String>,
}

/// The most bytes of an autoconfig file read; the rest is ignored.
const MAX_AUTOCONFIG_BYTES: usize = 64 * 1024;
/// The most `<outgoingServer>` and `<domain>` elements read.
const MAX_ELEMENTS: usize = 16;
/// The longest text value kept.
const MAX_VALUE_CHARS: usize = 255;

/// The URLs a driver may fetch the autoconfig file from, in the order Thunderbird tries them:
/// the domain's own `autoconfig.` host, its `.well-known` path, then Thunderbird's ISP database.
pub fn autoconfig_urls(domain: &str, address: Option<&str>) -> Vec<String> {
    let domain = normalize_host(domain);
    let query = address
        .map(|address| format!("?emailaddress={}", percent_encode(address)))
        .unwrap_or_default();
    vec![
        format!("https://autoconfig.{domain}/mail/config-v1.1.xml{query}"),
        format!("https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml"),
        format!("https://autoconfig.thunderbird.net/v1.1/{domain}"),
    ]
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads the sending part of a Thunderbird autoconfig file. A small, tolerant reader for this
/// one format: it never fails and never panics, reads at most 64 KiB, skips comments, and keeps
/// what it understood; `<outgoingServer>` entries it cannot use are counted in
/// [`Autoconfig::skipped`].
pub fn parse_autoconfig(xml: &str) -> Autoconfig {
    let xml = truncate(xml, MAX_AUTOCONFIG_BYTES);
    let text = strip_comments(xml);
    let mut config = Autoconfig::default();
    if let Some(provider) = elements(&text, "emailProvider").next() {
        config.provider_id = attribute(provider.attributes, "id")
            .map(|id| limit(&decode(id)))
            .filter(|id| !id.is_empty());
    }
    for domain in elements(&text, "domain").take(MAX_ELEMENTS) {
        let domain = normalize_host(&decode(domain.content));
        if is_host_name(&domain, 2) && !config.domains.contains(&domain) {
            config.domains.push(domain);
        }
    }
    for element in elements(&text, "outgoingServer").take(MAX_ELEMENTS) {
        match outgoing_server(&element) {
            Some(server) => config.outgoing.push(server),
            None => config.skipped += 1,
        }
    }
    config
}

fn outgoing_server(element: &Element<'_>) -> Option<AutoconfigServer> {
    let kind = attribute(element.attributes, "type")?;
    if !kind.trim().eq_ignore_ascii_case("smtp") {
        return None;
    }
    let child = |name: &str| {
        elements(element.content, name)
            .next()
            .map(|child| limit(decode(child.content).trim()))
    };
    let hostname = normalize_host(&child("hostname")?);
    let valid_host = !hostname.is_empty()
        && hostname.len() <= 253
        && hostname
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._%".contains(&b));
    if !valid_host {
        return None;
    }
    let port = child("port")?
        .parse::<u16>()
        .ok()
        .filter(|&port| port != 0)?;
    let security = match child("socketType")?.to_ascii_lowercase().as_str() {
        "ssl" | "tls" => Security::Tls,
        "starttls" => Security::StartTls,
        "plain" => Security::Plain,
        _ => return None,
    };
    let username = child("username").filter(|name| !name.is_empty());
    let authentication = elements(element.content, "authentication")
        .take(MAX_ELEMENTS)
        .map(|method| limit(decode(method.content).trim()))
        .filter(|method| {
            !method.is_empty()
                && method.len() <= 32
                && method
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .collect();
    Some(AutoconfigServer {
        hostname,
        port,
        security,
        username,
        authentication,
    })
}

/// One element: the text of its attributes and of its content (empty for `<x/>`).
#[derive(Debug, Clone, Copy)]
struct Element<'a> {
    attributes: &'a str,
    content: &'a str,
}

/// The elements named `name` (ASCII case-insensitively) in `text`, in order; an element without
/// its end tag ends the search.
fn elements<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = Element<'a>> + 'a {
    let mut position = 0;
    std::iter::from_fn(move || {
        loop {
            let start = find_ignore_case(text, &format!("<{name}"), position)?;
            let after_name = start + 1 + name.len();
            position = after_name;
            let next = text.as_bytes().get(after_name).copied();
            if !matches!(next, Some(b'>' | b'/') | Some(b' ' | b'\t' | b'\r' | b'\n')) {
                continue;
            }
            let tag_end = tag_end(text, after_name)?;
            let attributes = &text[after_name..tag_end];
            if let Some(attributes) = attributes.strip_suffix('/') {
                position = tag_end + 1;
                return Some(Element {
                    attributes,
                    content: "",
                });
            }
            let content_start = tag_end + 1;
            let close = find_ignore_case(text, &format!("</{name}"), content_start)?;
            let close_end = tag_end_plain(text, close)?;
            position = close_end + 1;
            return Some(Element {
                attributes,
                content: &text[content_start..close],
            });
        }
    })
}

/// The `>` that ends a start tag whose attributes begin at `from`, skipping quoted values.
fn tag_end(text: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (offset, byte) in text.as_bytes()[from..].iter().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(*byte),
            (Some(open), _) if open == *byte => quote = None,
            (None, b'>') => return Some(from + offset),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

fn tag_end_plain(text: &str, from: usize) -> Option<usize> {
    text[from..].find('>').map(|offset| from + offset)
}

/// The byte offset of `needle` (ASCII) in `text` at or after `from`, ignoring ASCII case.
fn find_ignore_case(text: &str, needle: &str, from: usize) -> Option<usize> {
    let haystack = text.as_bytes().get(from..)?;
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
        .map(|offset| from + offset)
}

/// The value of attribute `name` in a start tag's attribute text.
fn attribute<'a>(attributes: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start();
        let equals = rest.find('=')?;
        let key = rest[..equals].trim();
        let value = rest[equals + 1..].trim_start();
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let end = value[1..].find(quote)? + 1;
        if key.eq_ignore_ascii_case(name) {
            return Some(&value[1..end]);
        }
        rest = &value[end + 1..];
    }
}

/// The text without `<!-- … -->` comments; an unclosed comment runs to the end.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Character data with CDATA sections unwrapped and the XML entities (predefined and numeric)
/// replaced; an unknown entity stays as written.
fn decode(text: &str) -> String {
    let text = text.trim();
    if let Some(inner) = text
        .strip_prefix("<![CDATA[")
        .and_then(|rest| rest.strip_suffix("]]>"))
    {
        return inner.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| (&after[..end], end));
        let replaced = entity.and_then(|(name, end)| {
            let character = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name.strip_prefix('#').and_then(|number| {
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            character.map(|character| (character, end))
        });
        match replaced {
            Some((character, end)) => {
                out.push(character);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// At most [`MAX_VALUE_CHARS`] characters of `text`.
fn limit(text: &str) -> String {
    text.chars().take(MAX_VALUE_CHARS).collect()
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Where a suggested setting comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Source {
    /// The domain's SRV record (RFC 6186, RFC 8314 §5.1).
    Srv {
        /// The SRV name (`_submission._tcp.example.com`).
        name: String,
    },
    /// A Thunderbird autoconfig file.
    Autoconfig {
        /// The file's `emailProvider` id.
        provider_id: Option<String>,
    },
    /// A sending service the domain's SPF record includes.
    SendingService {
        /// The service's [`Provider::id`].
        id: &'static str,
        /// The service's name.
        name: &'static str,
        /// The help page that publishes the settings.
        help: &'static str,
        /// The `include:` target it was recognized by.
        include: String,
    },
    /// The provider table, recognized by an MX host.
    Provider {
        /// The provider's [`Provider::id`].
        id: &'static str,
        /// The provider's name.
        name: &'static str,
        /// The help page that publishes the settings.
        help: &'static str,
        /// The MX host it was recognized by.
        mx_host: String,
    },
}

/// One server the settings could use, with where the suggestion comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestedServer {
    /// The host name.
    pub host: String,
    /// The port.
    pub port: u16,
    /// The encryption.
    pub security: Security,
    /// The form of the user name.
    pub username: UserName,
    /// The user name for the address, where the form and the address give one.
    pub username_value: Option<String>,
    /// The password the server expects.
    pub password: Password,
    /// What must be switched on first, if anything.
    pub requirement: Option<Requirement>,
    /// Every source that suggests this server, the first one first.
    pub sources: Vec<Source>,
}

/// The most servers suggested.
const MAX_SUGGESTIONS: usize = 16;

/// The submission servers for an address (or a bare domain), from the domain's SRV answers (one
/// per service it asked, see [`srv_names`]), its autoconfig file, the provider table matched
/// by its MX hosts, and the sending services its SPF record includes (`spf_includes`, the
/// literal `include:` targets; a service is never found by MX, see
/// [`providers_for_spf_include`]), in that order: the domain's own statement first. A server
/// suggested by several sources appears once, with all of them.
///
/// SRV targets are whatever the domain's DNS says; an unsigned answer can be forged, so a
/// target outside the domain is worth confirming with the user (RFC 6186 §6).
pub fn expected_settings(
    address_or_domain: &str,
    mx_hosts: &[&str],
    srv: &[(SrvService, SrvAnswer)],
    autoconfig: Option<&Autoconfig>,
    spf_includes: &[String],
) -> Vec<SuggestedServer> {
    let address = address_or_domain
        .trim()
        .rsplit_once('@')
        .filter(|(local, domain)| !local.is_empty() && !domain.is_empty())
        .map(|(local, domain)| format!("{local}@{}", normalize_host(domain)));
    let domain = match &address {
        Some(address) => address.rsplit_once('@').map(|(_, d)| d.to_owned()),
        None => Some(normalize_host(address_or_domain)),
    }
    .unwrap_or_default();
    let username_value =
        |username: &UserName| address.as_deref().and_then(|a| username.for_address(a));
    // A server of the provider table, with the settings the provider publishes for it.
    let from_provider =
        |provider: &Provider, server: &ProviderServer, host: String, source: Source| {
            SuggestedServer {
                host,
                port: server.port,
                security: server.security,
                username: provider.username.clone(),
                username_value: username_value(&provider.username),
                password: provider.password,
                requirement: provider.requirement,
                sources: vec![source],
            }
        };
    let mut suggestions: Vec<SuggestedServer> = Vec::new();
    let mut add = |suggestion: SuggestedServer| {
        let known = suggestions.iter().position(|known| {
            known.host == suggestion.host
                && known.port == suggestion.port
                && known.security == suggestion.security
        });
        match known {
            Some(index) => {
                let known = &mut suggestions[index];
                known.sources.extend(suggestion.sources);
                if known.username == UserName::Unknown {
                    known.username = suggestion.username;
                    known.username_value = suggestion.username_value;
                }
                if known.password == Password::Unknown {
                    known.password = suggestion.password;
                }
                known.requirement = known.requirement.or(suggestion.requirement);
            }
            None if suggestions.len() < MAX_SUGGESTIONS => suggestions.push(suggestion),
            None => {}
        }
    };

    // RFC 6186 §3.4: the priority orders the services against each other; on a tie, TLS from
    // the first byte goes first (RFC 8314 §3.3 recommends it), as `SrvService::ALL` lists it.
    let mut from_srv: Vec<(SrvRecord, SrvService)> = Vec::new();
    for &service in SrvService::ALL {
        for (_, answer) in srv.iter().filter(|(asked, _)| *asked == service) {
            if let SrvResult::Offered { servers } = read_srv(answer) {
                from_srv.extend(servers.into_iter().map(|record| (record, service)));
            }
        }
    }
    from_srv.sort_by_key(|(record, service)| (record.priority, Reverse(record.weight), *service));
    for (record, service) in from_srv {
        add(SuggestedServer {
            host: record.target,
            port: record.port,
            security: service.security(),
            username: UserName::Unknown,
            username_value: None,
            password: Password::Unknown,
            requirement: None,
            sources: vec![Source::Srv {
                name: service.name(&domain),
            }],
        });
    }

    if let Some(config) = autoconfig {
        for server in &config.outgoing {
            let host = server.hostname.replace("%emaildomain%", &domain);
            if !is_host_name(&host, 2) {
                continue;
            }
            let username = server
                .username
                .as_ref()
                .map_or(UserName::Unknown, |template| match template.as_str() {
                    "%EMAILADDRESS%" => UserName::FullAddress,
                    "%EMAILLOCALPART%" => UserName::LocalPart,
                    _ => UserName::Template(template.clone()),
                });
            add(SuggestedServer {
                host,
                port: server.port,
                security: server.security,
                username_value: username_value(&username),
                username,
                password: Password::Unknown,
                requirement: None,
                sources: vec![Source::Autoconfig {
                    provider_id: config.provider_id.clone(),
                }],
            });
        }
    }

    for mx_host in mx_hosts {
        let Some(provider) = provider_for_mx(mx_host) else {
            continue;
        };
        let mx_host = normalize_host(mx_host);
        for server in provider.servers {
            let host = match server.host {
                ProviderHost::Name(name) => name.to_owned(),
                ProviderHost::MxHost => mx_host.clone(),
            };
            let source = Source::Provider {
                id: provider.id,
                name: provider.name,
                help: provider.help,
                mx_host: mx_host.clone(),
            };
            add(from_provider(provider, server, host, source));
        }
    }

    // The domain sends through these services: their relay sends as the domain too.
    for include in spf_includes {
        for provider in providers_for_spf_include(include) {
            for server in provider.servers {
                let ProviderHost::Name(host) = server.host else {
                    continue;
                };
                let source = Source::SendingService {
                    id: provider.id,
                    name: provider.name,
                    help: provider.help,
                    include: normalize_host(include),
                };
                add(from_provider(provider, server, host.to_owned(), source));
            }
        }
    }
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn srv(text: &str) -> SrvRecord {
        SrvRecord::parse(text).unwrap()
    }

    #[test]
    fn srv_records_are_read_from_their_presentation_form() {
        assert_eq!(
            SrvRecord::parse("0 1 587 Smtp.Example.COM."),
            Some(SrvRecord {
                priority: 0,
                weight: 1,
                port: 587,
                target: "smtp.example.com".to_owned()
            })
        );
        assert_eq!(srv("0 0 0 .").target, ".");
        for bad in [
            "",
            "0 1 587",
            "0 1 70000 a.example",
            "a b c d",
            "0 1 587 a.example x",
        ] {
            assert_eq!(SrvRecord::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_dot_target_means_the_service_is_not_offered() {
        let answer = SrvAnswer::Records {
            records: vec![srv("0 0 0 .")],
        };
        assert_eq!(read_srv(&answer), SrvResult::NotOffered);
        // A "." beside a real server: the server counts.
        let answer = SrvAnswer::Records {
            records: vec![srv("0 0 0 ."), srv("10 1 587 smtp.example.com")],
        };
        assert!(matches!(read_srv(&answer), SrvResult::Offered { servers } if servers.len() == 1));
        assert_eq!(read_srv(&SrvAnswer::None), SrvResult::None);
        assert_eq!(read_srv(&SrvAnswer::Failed), SrvResult::Failed);
        // Port 0 or an invalid host is no server.
        let answer = SrvAnswer::Records {
            records: vec![
                srv("0 1 0 smtp.example.com"),
                srv("0 1 587 bad_host!.example"),
            ],
        };
        assert_eq!(read_srv(&answer), SrvResult::None);
    }

    #[test]
    fn dns_answers_become_srv_answers() {
        use crate::dns::Failure;
        let answer = Answer::records(vec![
            RecordData::Srv {
                priority: 0,
                weight: 1,
                port: 587,
                target: "Smtp.Example.com".to_owned(),
            },
            RecordData::Srv {
                priority: 0,
                weight: 0,
                port: 0,
                target: String::new(),
            },
        ]);
        let SrvAnswer::Records { records } = SrvAnswer::from_answer(&answer) else {
            panic!("records expected");
        };
        assert_eq!(records[0].target, "smtp.example.com");
        assert!(records[1].is_not_offered());
        assert_eq!(SrvAnswer::from_answer(&Answer::Nxdomain), SrvAnswer::None);
        assert_eq!(
            SrvAnswer::from_answer(&Answer::records(vec![RecordData::Cname("x".into())])),
            SrvAnswer::None
        );
        assert_eq!(
            SrvAnswer::from_answer(&Answer::Failed {
                failure: Failure::Servfail
            }),
            SrvAnswer::Failed
        );
    }

    #[test]
    fn srv_records_are_ordered_by_priority_then_weight() {
        let answer = SrvAnswer::Records {
            records: vec![
                srv("20 100 587 backup.example.com"),
                srv("10 5 587 light.example.com"),
                srv("10 60 587 heavy.example.com"),
            ],
        };
        let SrvResult::Offered { servers } = read_srv(&answer) else {
            panic!("offered")
        };
        let order: Vec<&str> = servers.iter().map(|s| s.target.as_str()).collect();
        assert_eq!(
            order,
            [
                "heavy.example.com",
                "light.example.com",
                "backup.example.com"
            ]
        );
    }

    #[test]
    fn srv_names_cover_both_services() {
        assert_eq!(
            srv_names("Example.com."),
            [
                (
                    SrvService::Submissions,
                    "_submissions._tcp.example.com".to_owned()
                ),
                (
                    SrvService::Submission,
                    "_submission._tcp.example.com".to_owned()
                ),
            ]
        );
    }

    const THUNDERBIRD_SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <domain>example.net</domain>
    <displayName>Example Mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.com</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <!-- <outgoingServer type="smtp"><hostname>old.example.com</hostname></outgoingServer> -->
    <outgoingServer type="smtp">
      <hostname>smtp.example.com</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
      <authentication>OAuth2</authentication>
    </outgoingServer>
    <outgoingServer type='smtp'>
      <hostname>smtp.%EMAILDOMAIN%</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>password-encrypted</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>"#;

    #[test]
    fn reads_thunderbirds_autoconfig_format() {
        let config = parse_autoconfig(THUNDERBIRD_SAMPLE);
        assert_eq!(config.provider_id.as_deref(), Some("example.com"));
        assert_eq!(config.domains, ["example.com", "example.net"]);
        assert_eq!(config.skipped, 0);
        assert_eq!(
            config.outgoing,
            [
                AutoconfigServer {
                    hostname: "smtp.example.com".to_owned(),
                    port: 465,
                    security: Security::Tls,
                    username: Some("%EMAILADDRESS%".to_owned()),
                    authentication: vec!["password-cleartext".to_owned(), "OAuth2".to_owned()],
                },
                AutoconfigServer {
                    hostname: "smtp.%emaildomain%".to_owned(),
                    port: 587,
                    security: Security::StartTls,
                    username: Some("%EMAILLOCALPART%".to_owned()),
                    authentication: vec!["password-encrypted".to_owned()],
                },
            ]
        );
    }

    #[test]
    fn hostile_autoconfig_input_yields_what_is_usable() {
        let entities = "<outgoingServer type=\"smtp\"><hostname>smtp&#46;example&amp;.com</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>";
        let huge = "<outgoingServer type=\"smtp\">".repeat(20_000);
        let deep = "<".repeat(100_000);
        let cases: Vec<(String, usize, usize)> = vec![
            (String::new(), 0, 0),
            ("garbage \u{0}\u{ffff} <<>> &&&; <!-- ".to_owned(), 0, 0),
            (huge, 0, 0),
            (deep, 0, 0),
            // Missing port, a bad socket type, a port out of range, another type, an invalid host.
            (
                "<outgoingServer type=\"smtp\"><hostname>a.example</hostname><socketType>SSL</socketType></outgoingServer>\
                 <outgoingServer type=\"smtp\"><hostname>a.example</hostname><port>25</port><socketType>magic</socketType></outgoingServer>\
                 <outgoingServer type=\"smtp\"><hostname>a.example</hostname><port>99999</port><socketType>SSL</socketType></outgoingServer>\
                 <outgoingServer type=\"exchange\"><hostname>a.example</hostname></outgoingServer>\
                 <outgoingServer type=\"smtp\"><hostname>&lt;script&gt;</hostname><port>587</port><socketType>SSL</socketType></outgoingServer>\
                 <outgoingServer type=\"smtp\"/>"
                    .to_owned(),
                0,
                6,
            ),
            // An entity that decodes to a character a host name cannot have.
            (entities.to_owned(), 0, 1),
            // No end tag: the search stops.
            (
                "<outgoingServer type=\"smtp\"><hostname>a.example</hostname>".to_owned(),
                0,
                0,
            ),
            (
                format!("{}{}", "é".repeat(40_000), THUNDERBIRD_SAMPLE),
                0,
                0,
            ),
        ];
        for (input, servers, skipped) in cases {
            let config = parse_autoconfig(&input);
            assert_eq!(config.outgoing.len(), servers, "{:.60}", input);
            assert_eq!(config.skipped, skipped, "{:.60}", input);
        }
        // Comments hide entries; CDATA and entities are read.
        let config = parse_autoconfig(
            "<!-- <outgoingServer type=\"smtp\"> --><outgoingServer type=\"smtp\"><hostname><![CDATA[mail.example.org]]></hostname><port> 587 </port><socketType>starttls</socketType><username>a&amp;b</username></outgoingServer>",
        );
        assert_eq!(config.outgoing.len(), 1);
        assert_eq!(config.outgoing[0].hostname, "mail.example.org");
        assert_eq!(config.outgoing[0].username.as_deref(), Some("a&b"));
    }

    #[test]
    fn providers_are_found_by_mx_suffix_at_a_label_boundary() {
        for (mx, id) in [
            ("mx00.ionos.de", Some("ionos")),
            ("mx01.kundenserver.de.", Some("ionos")),
            ("smtpin.rzone.de", Some("strato")),
            ("mx00.emig.gmx.net", Some("gmx")),
            ("mx-ha03.web.de", Some("webde")),
            ("mx00.t-online.de", Some("telekom")),
            ("ASPMX.L.GOOGLE.COM", Some("google")),
            ("alt1.aspmx.l.google.com", Some("google")),
            ("smtp.google.com", Some("google")),
            (
                "example-com.mail.protection.outlook.com",
                Some("microsoft365"),
            ),
            ("outlook-com.olc.protection.outlook.com", Some("outlook")),
            ("mta5.am0.yahoodns.net", Some("yahoo")),
            ("mx01.mail.icloud.com", Some("icloud")),
            ("mx01.posteo.de", Some("posteo")),
            ("mxext1.mailbox.org", Some("mailboxorg")),
            ("w0123456.kasserver.com", Some("allinkl")),
            ("www123.your-server.de", Some("hetzner")),
            ("mail.notgoogle.com", None),
            ("evilionos.de", None),
            ("mx.example.com", None),
        ] {
            assert_eq!(provider_for_mx(mx).map(|p| p.id), id, "{mx}");
        }
    }

    #[test]
    fn sending_services_are_found_by_spf_include_never_by_mx() {
        let ids = |include| {
            providers_for_spf_include(include)
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("spf.mailjet.com"), ["mailjet"]);
        assert_eq!(ids("sendgrid.net"), ["sendgrid"]);
        assert_eq!(ids("mailgun.org"), ["mailgun", "mailgun-eu"]);
        assert_eq!(ids("spf.sendinblue.com"), ["brevo"]);
        assert!(ids("_spf.google.com").is_empty());
        for provider in PROVIDERS {
            let bulk = provider.kind == ProviderKind::Bulk;
            assert_eq!(provider.mx_suffixes.is_empty(), bulk, "{}", provider.id);
            assert_eq!(!provider.spf_includes.is_empty(), bulk, "{}", provider.id);
            assert!(!provider.servers.is_empty(), "{}", provider.id);
            assert!(provider.help.starts_with("https://"), "{}", provider.id);
            assert_eq!(PROVIDERS.iter().filter(|p| p.id == provider.id).count(), 1);
        }
        assert_eq!(
            provider("sendgrid").unwrap().username,
            UserName::Literal("apikey")
        );
        // What the domain's SPF record includes comes last, after its mailbox provider.
        let servers = expected_settings(
            "info@example.de",
            &["mx00.ionos.de"],
            &[],
            None,
            &["spf.mailjet.com".to_owned(), "_spf.google.com".to_owned()],
        );
        let last = servers.last().unwrap();
        assert_eq!(last.host, "in-v3.mailjet.com", "{servers:?}");
        assert!(matches!(
            &last.sources[..],
            [Source::SendingService { id: "mailjet", include, .. }] if include == "spf.mailjet.com"
        ));
        assert!(matches!(
            servers[0].sources[0],
            Source::Provider { id: "ionos", .. }
        ));
    }

    #[test]
    fn expected_settings_put_the_domains_own_statement_first() {
        let srv = [
            (
                SrvService::Submission,
                SrvAnswer::Records {
                    records: vec![srv("10 1 587 smtp.ionos.de")],
                },
            ),
            (
                SrvService::Submissions,
                SrvAnswer::Records {
                    records: vec![srv("0 1 465 mail.example.com")],
                },
            ),
        ];
        let config = parse_autoconfig(THUNDERBIRD_SAMPLE);
        let servers = expected_settings(
            "Info@Example.COM",
            &["mx00.ionos.de", "mx01.ionos.de"],
            &srv,
            Some(&config),
            &[],
        );
        let seen: Vec<(&str, u16, Security)> = servers
            .iter()
            .map(|s| (s.host.as_str(), s.port, s.security))
            .collect();
        assert_eq!(
            seen,
            [
                ("mail.example.com", 465, Security::Tls),
                ("smtp.ionos.de", 587, Security::StartTls),
                ("smtp.example.com", 465, Security::Tls),
                ("smtp.example.com", 587, Security::StartTls),
                ("smtp.ionos.de", 465, Security::Tls),
            ]
        );
        // The SRV server that IONOS's table also names carries both sources and the user name.
        let ionos = &servers[1];
        assert_eq!(ionos.sources.len(), 3, "{:?}", ionos.sources);
        assert_eq!(ionos.username, UserName::FullAddress);
        assert_eq!(ionos.username_value.as_deref(), Some("Info@example.com"));
        assert_eq!(
            ionos.sources[0],
            Source::Srv {
                name: "_submission._tcp.example.com".to_owned()
            }
        );
        // The autoconfig template with the local part.
        assert_eq!(servers[3].username_value.as_deref(), Some("Info"));
    }

    #[test]
    fn a_dot_srv_target_leaves_the_provider_table() {
        let srv = [
            (
                SrvService::Submission,
                SrvAnswer::Records {
                    records: vec![srv("0 0 0 .")],
                },
            ),
            (SrvService::Submissions, SrvAnswer::Failed),
        ];
        let servers = expected_settings(
            "example.com",
            &["example-com.mail.protection.outlook.com"],
            &srv,
            None,
            &[],
        );
        assert_eq!(servers.len(), 1);
        assert_eq!(servers[0].host, "smtp.office365.com");
        assert_eq!(servers[0].requirement, Some(Requirement::SmtpAuthEnabled));
        assert_eq!(servers[0].username_value, None);
        // All-Inkl's server is the MX host itself.
        let servers =
            expected_settings("a@example.de", &["W0123456.kasserver.com."], &[], None, &[]);
        assert_eq!(servers[0].host, "w0123456.kasserver.com");
        assert_eq!(servers[0].username, UserName::ProviderLogin);
        assert_eq!(servers[0].username_value, None);
    }

    #[test]
    fn autoconfig_urls_follow_thunderbirds_order() {
        assert_eq!(
            autoconfig_urls("Example.com", Some("a+b@example.com")),
            [
                "https://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=a%2Bb%40example.com",
                "https://example.com/.well-known/autoconfig/mail/config-v1.1.xml",
                "https://autoconfig.thunderbird.net/v1.1/example.com",
            ]
        );
    }
}
