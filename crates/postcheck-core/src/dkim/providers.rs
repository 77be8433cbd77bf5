//! Which mail providers a domain uses, told from its SPF record and its MX hosts, and the DKIM
//! selectors each of them signs with: the table the DKIM check guesses from.
//!
//! Without a message there is no `s=` to read the selector from (RFC 6376 §3.6.2.1), so the
//! check guesses. Instead of asking every domain for every provider's selectors, it asks the
//! short [`UNIVERSAL_SELECTORS`] list and a provider's selectors only where the report already
//! shows that provider: an SPF `include:`/`redirect=` target or an MX host under one of the
//! provider's names. Both signals come from answers the report needs anyway (the domain's TXT
//! and MX lookups, and the include targets the SPF analysis fetches): guessing adds no lookup of
//! its own besides the key queries.
//!
//! The universal selectors come in two [`Tier`]s. The first goes out for every domain in the
//! first round; the second only once the first round has shown no key record (see
//! [`Tier::Second`]), in the round that carries the recognized providers' selectors, the SPF
//! include targets and the MX hosts' addresses anyway: a domain whose key sits at a first-tier
//! selector, the usual case, costs three key queries instead of six, and one without costs no
//! extra round (unless its report would otherwise end after the first round: no include, no MX
//! host to resolve).
//!
//! Sources: the entries follow the providers' setup guides as widely documented (the records
//! each guide tells customers to publish). Where an entry rests on something else, or was
//! checked against public material while writing it, its comment says so: published zones and
//! DNS notes in public repositories, the `s=` of signed messages in public mailing-list
//! archives, a provider's knowledge base. The selectors are lowercase (DNS names compare
//! case-insensitively, RFC 4343).

use crate::dns::name::organizational_domain_guess;
use crate::dns::{AnswerCache, Query, RecordType, normalize_name};
use crate::spf::NODE_LIMIT;
use crate::spf::parse::{self, Mechanism};

/// A mail provider: the selectors it signs with and the names that give it away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider {
    /// The provider's name as customers know it.
    pub name: &'static str,
    /// The selectors its DKIM keys sit at; empty where they are made per customer (random
    /// tokens, account numbers) and so cannot be guessed.
    pub selectors: &'static [&'static str],
    /// SPF `include:`/`redirect=` targets that identify it: the name itself or any name under
    /// it.
    pub spf: &'static [&'static str],
    /// MX hosts that identify it: the name itself or any name under it.
    pub mx: &'static [&'static str],
    /// Domains its mail carries where the customer has not aligned it, besides the
    /// organizational domains of `spf` and `mx`: the DKIM `d=` it signs with by default and the
    /// envelope (bounce) domains. The received-reports reader names senders by them.
    pub sending_domains: &'static [&'static str],
}

impl Provider {
    /// Whether its selectors can be guessed at all.
    pub fn is_guessable(&self) -> bool {
        !self.selectors.is_empty()
    }
}

/// When a universal selector is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    /// With the named selectors, in the first round, for every domain: the selectors of the
    /// services most domains' keys sit at, so that the first round settles most domains.
    First,
    /// Only when no key record turned up without it: once the named and first-tier selectors
    /// are all answered (and the domain's TXT, which names the providers), none of them, and
    /// none of the recognized providers' selectors answered so far, holds a key record. Any key
    /// record counts, broken or revoked: it is the domain's key all the same. A failed lookup
    /// does not: it shows neither a key nor its absence. The second tier then goes out in the
    /// round after the first, with the recognized providers' selectors.
    Second,
}

/// A selector tried for every domain, whatever its SPF record and MX hosts say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniversalSelector {
    /// The selector, the label in front of `._domainkey`.
    pub selector: &'static str,
    /// Who is known to use it.
    pub users: &'static str,
    /// When it is tried: in the first round, or only when the first found no key.
    pub tier: Tier,
}

/// The selectors tried for every domain, whatever its SPF record and MX hosts say, each with
/// who is known to use it and its [`Tier`]: the defaults of the largest providers and of the
/// common hosting panels, which also cover providers that a domain sends through without naming
/// them in SPF. The first tier is listed first.
pub const UNIVERSAL_SELECTORS: &[UniversalSelector] = &[
    // Google Workspace: the selector its admin console proposes. First tier: one of the two
    // hosted services most domains' mail goes through, and a domain that names Google only in a
    // hoster's nested include (or sends through it without SPF) is recognized late or never.
    // The test fixtures (tests/zones) publish keys here.
    UniversalSelector {
        selector: "google",
        users: "Google Workspace",
        tier: Tier::First,
    },
    // Microsoft 365: the first of its two CNAMEs (the second, selector2, when it is recognized).
    // First tier: the most common hosted service, whose key settles the report in the first
    // round (the benchmark's customer domains, bench/zones.py, publish theirs here).
    UniversalSelector {
        selector: "selector1",
        users: "Microsoft 365",
        tier: Tier::First,
    },
    // SendGrid's first CNAME, and a name many self-run servers choose. First tier: besides
    // SendGrid's customers (who may name only a subuser's include), the selector the test
    // fixtures (tests/zones/report.test.zone) publish their keys at must stay guessed for every
    // domain in the first round.
    UniversalSelector {
        selector: "s1",
        users: "SendGrid",
        tier: Tier::First,
    },
    // cPanel, Plesk, DirectAdmin and rspamd's default: most shared hosting. Second tier: such a
    // domain's SPF and MX name its hoster, not a provider of the table, so nothing else is asked
    // in the first round that this one could be saved by; it is found one round later, in the
    // round the SPF include targets and MX host addresses go out anyway.
    UniversalSelector {
        selector: "default",
        users: "cPanel, Plesk, DirectAdmin",
        tier: Tier::Second,
    },
    // Mailchimp's older selector and Mailgun's default. Second tier: both are recognized from
    // the SPF include their customers publish (servers.mcsv.net, mailgun.org), and then `k1` is
    // asked as their selector whatever the tier; the universal guess is only for domains that
    // send through them without naming them.
    UniversalSelector {
        selector: "k1",
        users: "Mailchimp, Mailgun",
        tier: Tier::Second,
    },
    // mailcow and many self-hosted setups. Second tier: no provider signal to wait for, and
    // rarer than the first tier's: found one round later, as `default`.
    UniversalSelector {
        selector: "dkim",
        users: "mailcow",
        tier: Tier::Second,
    },
];

/// The universal selectors of one tier, in table order.
pub fn universal_selectors(tier: Tier) -> impl Iterator<Item = &'static str> {
    UNIVERSAL_SELECTORS
        .iter()
        .filter(move |universal| universal.tier == tier)
        .map(|universal| universal.selector)
}

/// The providers the DKIM check recognizes, in the order their selectors are tried.
pub const PROVIDERS: &[Provider] = &[
    // Google Workspace: SPF `include:_spf.google.com`; MX `aspmx.l.google.com` and its `alt*`
    // hosts, `smtp.google.com` (the single MX of newer setups), `aspmx*.googlemail.com`
    // (older setups). Selector `google` unless the admin chose another prefix.
    Provider {
        name: "Google Workspace",
        sending_domains: &["gappssmtp.com"],
        selectors: &["google"],
        spf: &["_spf.google.com"],
        mx: &["google.com", "googlemail.com"],
    },
    // Microsoft 365 / Exchange Online: SPF `include:spf.protection.outlook.com`; MX
    // `<tenant>.mail.protection.outlook.com`, or `<domain>.<id>.mx.microsoft` (the DNSSEC-signed
    // MX since 2024). Two CNAMEs, `selector1` and `selector2`, rotated in turn.
    Provider {
        name: "Microsoft 365",
        sending_domains: &["onmicrosoft.com"],
        selectors: &["selector1", "selector2"],
        spf: &["spf.protection.outlook.com"],
        mx: &["mail.protection.outlook.com", "mx.microsoft"],
    },
    // IONOS (1&1): SPF `include:_spf-eu.ionos.com` (`_spf-us.ionos.com` in the US) or the older
    // `include:_spf.perfora.net`; MX `mx00.ionos.de`, `mx01.ionos.de` (per country: ionos.com,
    // .co.uk, .fr, .es, .it) or the older `mx00.kundenserver.de`. CNAMEs `s1-ionos` and
    // `s2-ionos` to `s1/s2.dkim.ionos.com`, set up by default on its name servers.
    Provider {
        name: "IONOS",
        sending_domains: &[],
        selectors: &["s1-ionos", "s2-ionos"],
        spf: &["ionos.com", "_spf.perfora.net"],
        mx: &[
            "ionos.de",
            "ionos.com",
            "ionos.co.uk",
            "ionos.fr",
            "ionos.es",
            "ionos.it",
            "kundenserver.de",
        ],
    },
    // STRATO: SPF `include:_spf.strato.com` (its guide suggests `redirect=`) or the older
    // `_spf.strato.de` (both checked in public DNS notes); MX `smtpin.rzone.de`. The selectors
    // are not in its public guide: `strato-dkim-0002` (RSA) and `strato-dkim-0003` (Ed25519) are
    // the ones its mail is signed with (the `s=` of STRATO-signed messages in public
    // mailing-list archives).
    Provider {
        name: "STRATO",
        sending_domains: &[],
        selectors: &["strato-dkim-0002", "strato-dkim-0003"],
        spf: &["_spf.strato.com", "_spf.strato.de"],
        mx: &["rzone.de"],
    },
    // Mailchimp: SPF `include:servers.mcsv.net`; CNAMEs `k2` and `k3` to `dkim2/dkim3.mcsv.net`,
    // `k1` on older accounts.
    Provider {
        name: "Mailchimp",
        sending_domains: &["mcsv.net", "mcdlv.net", "rsgsv.net"],
        selectors: &["k1", "k2", "k3"],
        spf: &["servers.mcsv.net"],
        mx: &[],
    },
    // Mailchimp Transactional (Mandrill): SPF `include:spf.mandrillapp.com`; selector
    // `mandrill`.
    Provider {
        name: "Mandrill",
        sending_domains: &["mandrillapp.com"],
        selectors: &["mandrill"],
        spf: &["spf.mandrillapp.com"],
        mx: &[],
    },
    // SendGrid (Twilio): SPF `include:sendgrid.net` (or `u<id>.wl<n>.sendgrid.net`); CNAMEs `s1`
    // and `s2` to the account's domainkey host.
    Provider {
        name: "SendGrid",
        sending_domains: &["sendgrid.net", "sendgrid.info"],
        selectors: &["s1", "s2"],
        spf: &["sendgrid.net"],
        mx: &[],
    },
    // Brevo (Sendinblue): SPF `include:spf.brevo.com` or the older `include:spf.sendinblue.com`;
    // a TXT key at `mail` (older setups), CNAMEs `brevo1`/`brevo2` to
    // `b1/b2.<domain>.dkim.brevo.com` (current setups; checked in many published zones).
    Provider {
        name: "Brevo",
        sending_domains: &["sendinblue.com", "brevo.com"],
        selectors: &["mail", "brevo1", "brevo2"],
        spf: &["spf.brevo.com", "spf.sendinblue.com"],
        mx: &[],
    },
    // Mailjet: SPF `include:spf.mailjet.com`; selector `mailjet`.
    Provider {
        name: "Mailjet",
        sending_domains: &["mailjet.com"],
        selectors: &["mailjet"],
        spf: &["spf.mailjet.com"],
        mx: &[],
    },
    // Zoho Mail: SPF `include:zoho.com` (per region zoho.eu, zoho.in, …; newer guides
    // `zohomail.com`); MX `mx.zoho.com`, `mx2.zoho.eu`, … (`include:zoho.com` and the MX hosts
    // as published in public zone notes). The admin names the selector; `zmail` is the one
    // setup notes use, `zoho` a common choice.
    Provider {
        name: "Zoho Mail",
        sending_domains: &[],
        selectors: &["zmail", "zoho"],
        spf: &[
            "zoho.com",
            "zoho.eu",
            "zoho.in",
            "zoho.com.au",
            "zoho.jp",
            "zohomail.com",
            "zohomail.eu",
        ],
        mx: &[
            "zoho.com",
            "zoho.eu",
            "zoho.in",
            "zoho.com.au",
            "zoho.jp",
            "zohomail.com",
            "zohomail.eu",
        ],
    },
    // Fastmail: SPF `include:spf.messagingengine.com`; MX `in1-smtp.messagingengine.com`; three
    // CNAMEs `fm1`–`fm3` to `fm<n>.<domain>.dkim.fmhosted.com`.
    Provider {
        name: "Fastmail",
        sending_domains: &[],
        selectors: &["fm1", "fm2", "fm3"],
        spf: &["spf.messagingengine.com"],
        mx: &["messagingengine.com"],
    },
    // Proton Mail: SPF `include:_spf.protonmail.ch`; MX `mail.protonmail.ch`,
    // `mailsec.protonmail.ch`; three CNAMEs `protonmail`, `protonmail2`, `protonmail3`.
    Provider {
        name: "Proton Mail",
        sending_domains: &[],
        selectors: &["protonmail", "protonmail2", "protonmail3"],
        spf: &["_spf.protonmail.ch"],
        mx: &["protonmail.ch"],
    },
    // mailbox.org: SPF `include:mailbox.org`; MX `mxext1.mailbox.org`, …; four CNAMEs
    // `MBO0001`–`MBO0004` to `MBO000n._domainkey.mailbox.org` (checked in its knowledge base).
    Provider {
        name: "mailbox.org",
        sending_domains: &[],
        selectors: &["mbo0001", "mbo0002", "mbo0003", "mbo0004"],
        spf: &["mailbox.org"],
        mx: &["mailbox.org"],
    },
    // Yandex 360: SPF `include:_spf.yandex.net`; MX `mx.yandex.net`; selector `mail`.
    Provider {
        name: "Yandex 360",
        sending_domains: &[],
        selectors: &["mail"],
        spf: &["_spf.yandex.net"],
        mx: &["mx.yandex.net", "mx.yandex.ru"],
    },
    // Zendesk: SPF `include:mail.zendesk.com`; CNAMEs `zendesk1`/`zendesk2` to
    // `zendesk1/zendesk2._domainkey.zendesk.com`.
    Provider {
        name: "Zendesk",
        sending_domains: &[],
        selectors: &["zendesk1", "zendesk2"],
        spf: &["mail.zendesk.com"],
        mx: &[],
    },
    // Mailgun: SPF `include:mailgun.org`; MX `mxa/mxb.mailgun.org` for receiving. The selector
    // is chosen per domain: `k1` is the usual one; `smtp`, `mx` and `mailo` occur in published
    // zones (checked in public zone files and setup notes).
    Provider {
        name: "Mailgun",
        sending_domains: &[],
        selectors: &["k1", "smtp", "mx", "mailo"],
        spf: &["mailgun.org"],
        mx: &["mailgun.org"],
    },
    // iCloud+ with a custom domain: SPF `include:icloud.com`; MX `mx01/mx02.mail.icloud.com`;
    // selector `sig1`.
    Provider {
        name: "iCloud",
        sending_domains: &[],
        selectors: &["sig1"],
        spf: &["icloud.com"],
        mx: &["icloud.com"],
    },
    // Amazon SES: SPF `include:amazonses.com`. Easy DKIM's three CNAMEs are random tokens per
    // identity: nothing to guess.
    Provider {
        name: "Amazon SES",
        sending_domains: &["amazonses.com"],
        selectors: &[],
        spf: &["amazonses.com"],
        mx: &[],
    },
    // HubSpot: SPF `include:<hub id>.spf0.hubspotemail.net`; CNAMEs `hs1-<hub id>` and
    // `hs2-<hub id>`: per account, nothing to guess.
    Provider {
        name: "HubSpot",
        sending_domains: &["hubspotemail.net"],
        selectors: &[],
        spf: &["hubspotemail.net"],
        mx: &[],
    },
    // Postmark: SPF `include:spf.mtasv.net`; the selector is a date stamp per key
    // (`20240101123456pm`): nothing to guess.
    Provider {
        name: "Postmark",
        sending_domains: &["mtasv.net"],
        selectors: &[],
        spf: &["spf.mtasv.net"],
        mx: &[],
    },
];

/// Whether `name` is `suffix` or a name under it (`alt1.aspmx.l.google.com` under `google.com`).
fn is_at_or_under(name: &str, suffix: &str) -> bool {
    name == suffix
        || name
            .strip_suffix(suffix)
            .is_some_and(|head| head.ends_with('.'))
}

/// The providers that `spf_targets` (include/redirect targets) or `mx_hosts` point to, in table
/// order, each once.
pub fn recognize(spf_targets: &[String], mx_hosts: &[String]) -> Vec<&'static Provider> {
    PROVIDERS
        .iter()
        .filter(|provider| {
            let by_spf = spf_targets.iter().any(|target| {
                let target = normalize_name(target);
                provider.spf.iter().any(|s| is_at_or_under(&target, s))
            });
            let by_mx = mx_hosts.iter().any(|host| {
                let host = normalize_name(host);
                provider.mx.iter().any(|s| is_at_or_under(&host, s))
            });
            by_spf || by_mx
        })
        .collect()
}

/// The provider whose mail carries `domain` (a DKIM `d=`, an envelope or SPF domain): one of
/// its `sending_domains` or a name under it, or a domain in the same organizational domain
/// (guessed offline, [`organizational_domain_guess`]) as one of its SPF or MX names
/// (`bnc3.mailjet.com` is Mailjet's by `spf.mailjet.com`).
pub fn recognize_sending_domain(domain: &str) -> Option<&'static Provider> {
    let domain = normalize_name(domain);
    if domain.is_empty() {
        return None;
    }
    let organization = organizational_domain_guess(&domain);
    PROVIDERS.iter().find(|provider| {
        provider
            .sending_domains
            .iter()
            .any(|sending| is_at_or_under(&domain, sending))
            || provider
                .spf
                .iter()
                .chain(provider.mx)
                .any(|name| organizational_domain_guess(name) == organization)
    })
}

/// Who is known to use a selector, for a guessed key that was found: the recognized providers
/// that list it, else the label of [`UNIVERSAL_SELECTORS`].
pub fn selector_users(selector: &str, recognized: &[&Provider]) -> Option<String> {
    let users: Vec<&str> = recognized
        .iter()
        .filter(|provider| provider.selectors.contains(&selector))
        .map(|provider| provider.name)
        .collect();
    if !users.is_empty() {
        return Some(users.join(", "));
    }
    UNIVERSAL_SELECTORS
        .iter()
        .find(|universal| universal.selector == selector)
        .map(|universal| universal.users.to_owned())
}

/// What the domain's SPF records name as `include:` and `redirect=` targets (literal ones:
/// targets with macros depend on the message), read from the domain's TXT answer and, further
/// down the tree, from the answers of targets already in `cache` — never asking for one:
/// the SPF analysis fetches them anyway. `Err` with the domain's TXT query while it is not
/// answered.
pub fn spf_targets(domain: &str, cache: &AnswerCache) -> Result<Vec<String>, Query> {
    let root = Query::new(domain, RecordType::Txt);
    if cache.get(&root).is_none() {
        return Err(root);
    }
    let mut targets: Vec<String> = Vec::new();
    let mut queue: Vec<String> = vec![normalize_name(domain)];
    let mut visited = 0;
    while let Some(name) = queue.pop() {
        visited += 1;
        if visited > NODE_LIMIT {
            break;
        }
        let Some(answer) = cache.get(&Query::new(&name, RecordType::Txt)) else {
            continue;
        };
        // RFC 7208 §4.5: the SPF records among the TXT records. Several are a permerror for the
        // SPF check, but each still tells which provider the domain meant to authorize.
        for strings in parse::spf_records(answer.record_data()) {
            let record = parse::parse_strings(strings);
            let includes =
                record
                    .directives()
                    .filter_map(|(_, directive)| match &directive.mechanism {
                        Mechanism::Include(target) => Some(target),
                        _ => None,
                    });
            let redirect = record.redirect().map(|(_, target)| target);
            for target in includes.chain(redirect) {
                let Some(target) = target.literal() else {
                    continue;
                };
                let target = normalize_name(&target);
                if !target.is_empty() && !targets.contains(&target) {
                    targets.push(target.clone());
                    queue.push(target);
                }
            }
        }
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::{is_valid_selector, normalize_selector};

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    fn recognized(spf: &[&str], mx: &[&str]) -> Vec<&'static str> {
        recognize(&names(spf), &names(mx))
            .iter()
            .map(|provider| provider.name)
            .collect()
    }

    #[test]
    fn the_table_is_well_formed() {
        assert!(UNIVERSAL_SELECTORS.len() <= 6);
        let universal: Vec<&str> = UNIVERSAL_SELECTORS.iter().map(|u| u.selector).collect();
        for (index, selector) in universal.iter().enumerate() {
            assert!(is_valid_selector(selector), "{selector}");
            assert!(!universal[..index].contains(selector), "{selector} twice");
        }
        // The first tier is listed first, and holds the selectors the fixtures publish at.
        let first: Vec<&str> = universal_selectors(Tier::First).collect();
        assert_eq!(universal[..first.len()], first);
        for selector in ["s1", "google", "selector1"] {
            assert!(
                first.contains(&selector),
                "{selector} not in the first tier"
            );
        }
        assert!(universal_selectors(Tier::Second).count() > 0);
        for (index, provider) in PROVIDERS.iter().enumerate() {
            assert!(
                !provider.spf.is_empty() || !provider.mx.is_empty(),
                "{} has no signal",
                provider.name
            );
            assert!(
                PROVIDERS[..index].iter().all(|p| p.name != provider.name),
                "{} twice",
                provider.name
            );
            for selector in provider.selectors {
                assert!(is_valid_selector(selector), "{selector}");
                assert_eq!(normalize_selector(selector), *selector);
            }
            for name in provider.spf.iter().chain(provider.mx) {
                assert_eq!(normalize_name(name), *name, "{name}");
            }
        }
    }

    #[test]
    fn spf_targets_name_their_providers() {
        for (target, provider) in [
            ("_spf.google.com", "Google Workspace"),
            ("spf.protection.outlook.com", "Microsoft 365"),
            ("_spf.perfora.net", "IONOS"),
            ("_spf-eu.ionos.com", "IONOS"),
            ("_spf.strato.com", "STRATO"),
            ("servers.mcsv.net", "Mailchimp"),
            ("spf.mandrillapp.com", "Mandrill"),
            ("sendgrid.net", "SendGrid"),
            ("u123456.wl207.sendgrid.net", "SendGrid"),
            ("spf.brevo.com", "Brevo"),
            ("spf.sendinblue.com", "Brevo"),
            ("spf.mailjet.com", "Mailjet"),
            ("zoho.eu", "Zoho Mail"),
            ("spf.messagingengine.com", "Fastmail"),
            ("_spf.protonmail.ch", "Proton Mail"),
            ("mail.zendesk.com", "Zendesk"),
            ("mailgun.org", "Mailgun"),
            ("icloud.com", "iCloud"),
            ("amazonses.com", "Amazon SES"),
            ("1234567.spf0.hubspotemail.net", "HubSpot"),
            ("_SPF.Google.com.", "Google Workspace"),
        ] {
            assert_eq!(recognized(&[target], &[]), [provider], "{target}");
        }
        // A name that merely ends in the same letters is someone else's.
        assert!(recognized(&["notsendgrid.net", "evilgoogle.com"], &[]).is_empty());
        assert!(recognized(&["_spf.provider.test"], &[]).is_empty());
    }

    #[test]
    fn mx_hosts_name_their_providers() {
        for (host, provider) in [
            ("aspmx.l.google.com", "Google Workspace"),
            ("alt2.aspmx.l.google.com", "Google Workspace"),
            ("smtp.google.com", "Google Workspace"),
            ("example-com.mail.protection.outlook.com", "Microsoft 365"),
            ("example-com.r-v1.mx.microsoft", "Microsoft 365"),
            ("mx00.ionos.de", "IONOS"),
            ("mx01.kundenserver.de", "IONOS"),
            ("smtpin.rzone.de", "STRATO"),
            ("in1-smtp.messagingengine.com", "Fastmail"),
            ("mailsec.protonmail.ch", "Proton Mail"),
            ("mx2.zoho.eu", "Zoho Mail"),
            ("mx01.mail.icloud.com", "iCloud"),
        ] {
            assert_eq!(recognized(&[], &[host]), [provider], "{host}");
        }
        assert!(recognized(&[], &["mx.report.test", ""]).is_empty());
    }

    #[test]
    fn both_signals_together_name_each_provider_once_in_table_order() {
        assert_eq!(
            recognized(
                &["sendgrid.net", "_spf.google.com"],
                &["aspmx.l.google.com", "alt1.aspmx.l.google.com"]
            ),
            ["Google Workspace", "SendGrid"]
        );
    }

    #[test]
    fn a_found_selector_is_credited_to_who_uses_it() {
        let recognized = recognize(&names(&["spf.protection.outlook.com"]), &[]);
        assert_eq!(
            selector_users("selector2", &recognized).as_deref(),
            Some("Microsoft 365")
        );
        assert_eq!(
            selector_users("default", &recognized).as_deref(),
            Some("cPanel, Plesk, DirectAdmin")
        );
        assert_eq!(selector_users("mandrill", &recognized), None);
    }
}
