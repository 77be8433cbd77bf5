//! Findings: the stable codes of the catalog (`docs/FINDINGS.md`, generated from the table
//! here by [`crate::catalog`]), their family, severity and rule, and the diagnostic type.
//!
//! A code is public API (the CLI's JSON, the page's `data-code`): it is defined once, here, with
//! its default severity and the RFC section it enforces. Messages live in [`crate::messages`].

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How much a finding matters, from the customer's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A check that passed, shown so that the user sees what was checked.
    Ok,
    /// Worth knowing.
    Info,
    /// Risky, or against a SHOULD.
    Warning,
    /// Mail will be rejected, or the domain is spoofable.
    Error,
}

impl Severity {
    /// The lowercase name used in JSON and the page (`ok`, `info`, `warning`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A byte range `[start, end)` into the record text as shown (TXT strings joined).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// The first byte of the range.
    pub start: usize,
    /// The byte after the last one of the range.
    pub end: usize,
}

impl Span {
    /// The range `[start, end)`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The number of bytes in the range.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the range holds no byte.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

macro_rules! codes {
    ($( #[cfg($cfg:meta)] $family:ident {
        $( $(#[doc = $doc:literal])* $variant:ident = $text:literal, $severity:ident, $rfc:literal; )*
    } )*) => {
        /// Every finding postcheck can report. The kebab-case string is the stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $( $(#[doc = $doc])* #[cfg($cfg)] $variant, )* )*
        }

        impl Code {
            /// Every code, in catalog order.
            pub const ALL: &'static [Code] = &[$($(#[cfg($cfg)] Code::$variant,)*)*];

            /// The stable kebab-case code.
            pub fn as_str(self) -> &'static str {
                match self { $($(#[cfg($cfg)] Code::$variant => $text,)*)* }
            }

            /// The severity the catalog gives this code.
            pub fn default_severity(self) -> Severity {
                match self { $($(#[cfg($cfg)] Code::$variant => Severity::$severity,)*)* }
            }

            /// The RFC section the code enforces, for the "rule" link.
            pub fn rule(self) -> &'static str {
                match self { $($(#[cfg($cfg)] Code::$variant => $rfc,)*)* }
            }

            /// The check the code belongs to (its section in the report and the catalog).
            pub fn family(self) -> Family {
                match self { $($(#[cfg($cfg)] Code::$variant => Family::$family,)*)* }
            }

            /// When the code is reported: the one line of the table (its doc comment).
            pub fn description(self) -> &'static str {
                match self { $($(#[cfg($cfg)] Code::$variant => concat!($($doc),*).trim_ascii(),)*)* }
            }

            /// The code for its string form.
            pub fn parse(text: &str) -> Option<Code> {
                match text { $($(#[cfg($cfg)] $text => Some(Code::$variant),)*)* _ => None }
            }
        }
    };
}

/// The checks a code belongs to, in the order the report shows them. A code's family is data
/// in the [`Code`] table, so no list elsewhere has to know which code prefix means what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// The domain itself: whether it exists and its name servers answer (RFC 1034, RFC 8020).
    Domain,
    /// SPF (RFC 7208).
    Spf,
    /// DMARC (RFC 7489, RFC 9989).
    Dmarc,
    /// DKIM keys (RFC 6376, RFC 8301, RFC 8463).
    Dkim,
    /// The domain's mail servers (RFC 5321 §5.1, RFC 7505).
    Mx,
    /// A sending server: PTR, forward-confirmed reverse DNS, blocklists.
    Sender,
    /// MTA-STS (RFC 8461).
    MtaSts,
    /// SMTP TLS reporting (RFC 8460).
    TlsRpt,
    /// BIMI.
    Bimi,
    /// DNSSEC validation of the answers (RFC 4035).
    Dnssec,
    /// Pasted headers: Authentication-Results (RFC 8601).
    Headers,
    /// Pasted bounces (RFC 3464, RFC 3463).
    Bounce,
    /// A vendor's sender profile.
    Profile,
    /// SMTP submission settings a driver tried out: port, TLS, login, test mail (RFC 5321,
    /// RFC 3207, RFC 4954, RFC 6409, RFC 8314).
    Smtp,
    /// A list of recipient addresses (`recipients`).
    Recipient,
    /// Reports receivers send: DMARC aggregate and failure reports, SMTP TLS reports
    /// (`reports`).
    Report,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: &'static [Family] = &[
        Family::Domain,
        Family::Spf,
        Family::Dmarc,
        Family::Dkim,
        Family::Mx,
        Family::Sender,
        Family::MtaSts,
        Family::TlsRpt,
        Family::Bimi,
        Family::Dnssec,
        Family::Headers,
        Family::Bounce,
        Family::Profile,
        Family::Smtp,
        Family::Recipient,
        Family::Report,
    ];

    /// The family's name as the catalog shows it.
    pub fn title(self) -> &'static str {
        match self {
            Family::Domain => "The domain (RFC 1034, RFC 8020)",
            Family::Spf => "SPF (RFC 7208)",
            Family::Dmarc => "DMARC (RFC 7489, RFC 9989)",
            Family::Dkim => "DKIM (RFC 6376, RFC 8301, RFC 8463)",
            Family::Mx => "MX (RFC 5321, RFC 7505)",
            Family::Sender => "Sending servers: PTR and blocklists (RFC 1912, RFC 5782)",
            Family::MtaSts => "MTA-STS (RFC 8461)",
            Family::TlsRpt => "TLS-RPT (RFC 8460)",
            Family::Bimi => "BIMI",
            Family::Dnssec => "DNSSEC (RFC 4035)",
            Family::Headers => "Pasted headers (RFC 8601)",
            Family::Bounce => "Pasted bounces (RFC 3464, RFC 3463)",
            Family::Profile => "Sender profiles",
            Family::Smtp => "SMTP settings (RFC 5321, RFC 3207, RFC 4954, RFC 6409, RFC 8314)",
            Family::Recipient => "Recipient lists (RFC 5321, RFC 7505)",
            Family::Report => {
                "Received reports: DMARC aggregate and failure, SMTP TLS (RFC 7489, RFC 6591, RFC 8460)"
            }
        }
    }
}

codes! {
    #[cfg(all())]
    Domain {
        /// The checked name does not exist (NXDOMAIN for its own records): nothing else is
        /// reported, no record is to be published; a typo suggestion where one is near.
        DomainNotFound = "domain-not-found", Error, "RFC 8020 §2";
        /// The domain's name servers failed for its own records (SERVFAIL, REFUSED, timeout):
        /// nothing about the domain could be checked.
        DomainLookupFailed = "domain-lookup-failed", Warning, "RFC 1035 §4.1.1";
    }
    #[cfg(all())]
    Spf {
        /// One valid record, within all limits.
        SpfOk = "spf-ok", Ok, "RFC 7208 §4";
        /// No `v=spf1` TXT record at the domain.
        SpfNone = "spf-none", Error, "RFC 7208 §4.5";
        /// More than one `v=spf1` record: permerror.
        SpfMultipleRecords = "spf-multiple-records", Error, "RFC 7208 §4.5";
        /// A term that does not parse: permerror.
        SpfSyntaxError = "spf-syntax-error", Error, "RFC 7208 §4.6, §12";
        /// A mechanism name not in §5: permerror.
        SpfUnknownMechanism = "spf-unknown-mechanism", Error, "RFC 7208 §5";
        /// An ip4/ip6 address that is not an address.
        SpfInvalidIp = "spf-invalid-ip", Error, "RFC 7208 §5.6";
        /// A prefix length out of range.
        SpfInvalidCidr = "spf-invalid-cidr", Error, "RFC 7208 §5.6";
        /// Bad macro syntax.
        SpfInvalidMacro = "spf-invalid-macro", Error, "RFC 7208 §7.1";
        /// `redirect` or `exp` twice.
        SpfDuplicateModifier = "spf-duplicate-modifier", Error, "RFC 7208 §6";
        /// The record was split into strings and the join broke a term.
        SpfSplitStrings = "spf-split-strings", Warning, "RFC 7208 §3.3";
        /// More problems in one record than are listed one by one; the rest are counted.
        SpfFindingsCapped = "spf-findings-capped", Error, "RFC 7208 §3.4";
        /// An unknown modifier, ignored.
        SpfUnknownModifier = "spf-unknown-modifier", Info, "RFC 7208 §6";
        /// More than 10 DNS-querying terms.
        SpfLookupLimit = "spf-lookup-limit", Error, "RFC 7208 §4.6.4";
        /// 9 or 10 DNS-querying terms.
        SpfLookupNearLimit = "spf-lookup-near-limit", Warning, "RFC 7208 §4.6.4";
        /// An `mx` term whose host has more than 10 MX names.
        SpfMxLimit = "spf-mx-limit", Error, "RFC 7208 §4.6.4";
        /// A term whose lookup returned NXDOMAIN or no records.
        SpfVoidLookup = "spf-void-lookup", Warning, "RFC 7208 §4.6.4";
        /// More than 2 void lookups.
        SpfVoidLookupLimit = "spf-void-lookup-limit", Error, "RFC 7208 §4.6.4";
        /// An include/redirect target without an SPF record.
        SpfIncludeNoRecord = "spf-include-no-record", Error, "RFC 7208 §5.2, §6.1";
        /// include/redirect recursion back to a domain on the path.
        SpfIncludeLoop = "spf-include-loop", Error, "RFC 7208 §4.6.4";
        /// `redirect=` alongside `all`: the redirect is never used.
        SpfRedirectIgnored = "spf-redirect-ignored", Warning, "RFC 7208 §6.1";
        /// `+all`: anyone may send as this domain.
        SpfPassAll = "spf-pass-all", Error, "RFC 7208 §5.1";
        /// `?all`.
        SpfNeutralAll = "spf-neutral-all", Warning, "RFC 7208 §5.1, §8.2";
        /// Neither `all` nor `redirect`: the result defaults to neutral.
        SpfNoAll = "spf-no-all", Warning, "RFC 7208 §4.7";
        /// The `ptr` mechanism or the `%{p}` macro.
        SpfPtrDeprecated = "spf-ptr-deprecated", Warning, "RFC 7208 §5.5";
        /// A TXT answer over 450 bytes.
        SpfRecordTooLong = "spf-record-too-long", Warning, "RFC 7208 §3.4";
        /// A lookup failed: could not verify.
        SpfDnsError = "spf-dns-error", Warning, "RFC 7208 §2.6.6";
        /// The sending IP under test is authorized.
        SpfIpPass = "spf-ip-pass", Ok, "RFC 7208 §2.6.3";
        /// The sending IP under test is not authorized.
        SpfIpNotAuthorized = "spf-ip-not-authorized", Error, "RFC 7208 §2.6";
    }
    #[cfg(all())]
    Dmarc {
        /// Valid record with an enforcing policy.
        DmarcOk = "dmarc-ok", Ok, "RFC 7489 §6.3";
        /// No record at `_dmarc.<domain>` nor at the organizational domain.
        DmarcNone = "dmarc-none", Error, "RFC 7489 §6.6.3";
        /// Record found at the organizational domain, not the domain itself.
        DmarcInherited = "dmarc-inherited", Info, "RFC 9989 §4.10";
        /// More than one DMARC record at one name.
        DmarcMultipleRecords = "dmarc-multiple-records", Error, "RFC 7489 §6.6.3";
        /// A tag that does not parse.
        DmarcSyntaxError = "dmarc-syntax-error", Error, "RFC 7489 §6.4";
        /// `v=DMARC1` is not the first tag.
        DmarcVersionNotFirst = "dmarc-version-not-first", Error, "RFC 7489 §6.3";
        /// No `p=`.
        DmarcPolicyMissing = "dmarc-policy-missing", Warning, "RFC 9989 §4.7";
        /// `p`, `sp` or `np` value not none/quarantine/reject.
        DmarcPolicyInvalid = "dmarc-policy-invalid", Error, "RFC 7489 §6.3";
        /// `p=none`: monitoring only.
        DmarcPolicyNone = "dmarc-policy-none", Warning, "RFC 7489 §6.3";
        /// `pct` below 100.
        DmarcPctPartial = "dmarc-pct-partial", Warning, "RFC 7489 §6.3";
        /// `pct` not an integer 0-100.
        DmarcPctInvalid = "dmarc-pct-invalid", Error, "RFC 7489 §6.3";
        /// Tag not registered, ignored.
        DmarcUnknownTag = "dmarc-unknown-tag", Warning, "RFC 7489 §6.3";
        /// `pct`, `rf`, `ri`: removed by RFC 9989.
        DmarcDeprecatedTag = "dmarc-deprecated-tag", Info, "RFC 9989 §4.7";
        /// `rua`/`ruf` entry that is not a valid `mailto:` URI.
        DmarcInvalidUri = "dmarc-invalid-uri", Error, "RFC 7489 §6.2";
        /// No `rua`.
        DmarcNoReports = "dmarc-no-reports", Info, "RFC 7489 §7.2";
        /// External report destination without authorization record.
        DmarcExternalReportsUnauthorized = "dmarc-external-reports-unauthorized", Warning, "RFC 7489 §7.1";
        /// The DMARC lookup failed: could not verify.
        DmarcDnsError = "dmarc-dns-error", Warning, "RFC 7489 §6.6.3";
    }
    #[cfg(all())]
    Dkim {
        /// Key found at a selector, parses, strong enough.
        DkimOk = "dkim-ok", Ok, "RFC 6376 §3.6.1";
        /// No key at a named selector (error) or a guessed one (info).
        DkimSelectorMissing = "dkim-selector-missing", Error, "RFC 6376 §3.6.2.2";
        /// No key at any named or commonly used selector.
        DkimNoneFound = "dkim-none-found", Warning, "RFC 6376 §3.6.2.2";
        /// Key record does not parse.
        DkimSyntaxError = "dkim-syntax-error", Error, "RFC 6376 §3.6.1";
        /// Empty `p=`: the key is revoked.
        DkimKeyRevoked = "dkim-key-revoked", Warning, "RFC 6376 §3.6.1";
        /// `p=` is not a valid base64 key of the stated type.
        DkimKeyInvalid = "dkim-key-invalid", Error, "RFC 6376 §3.6.1";
        /// RSA key under 1024 bits.
        DkimKeyTooShort = "dkim-key-too-short", Error, "RFC 8301 §3.2";
        /// RSA key of 1024 to 2047 bits.
        DkimKeyWeak = "dkim-key-weak", Warning, "RFC 8301 §3.2";
        /// `t=y`: testing mode.
        DkimTesting = "dkim-testing", Warning, "RFC 6376 §3.6.1";
        /// `h=sha1` only.
        DkimSha1Only = "dkim-sha1-only", Error, "RFC 8301 §3.1";
        /// A DKIM key lookup failed: could not verify.
        DkimDnsError = "dkim-dns-error", Warning, "RFC 6376 §6.1.2";
        /// A signature with `l=`: the body after the first `l` octets is not signed.
        DkimBodyLengthLimit = "dkim-body-length-limit", Warning, "RFC 6376 §8.2";
        /// Headers without the body: the signatures' body hashes cannot be checked.
        DkimBodyMissing = "dkim-body-missing", Info, "RFC 6376 §3.7";
    }
    #[cfg(all())]
    Mx {
        /// No MX.
        MxNone = "mx-none", Warning, "RFC 5321 §5.1";
        /// Null MX: the domain receives no mail.
        MxNull = "mx-null", Info, "RFC 7505 §3";
        /// MX host is an alias.
        MxTargetCname = "mx-target-cname", Warning, "RFC 5321 §5.1";
        /// MX host is an IP literal.
        MxTargetIp = "mx-target-ip", Error, "RFC 5321 §5.1";
        /// MX host has no A/AAAA.
        MxTargetUnresolvable = "mx-target-unresolvable", Error, "RFC 5321 §5.1";
        /// The MX lookup failed: could not verify.
        MxDnsError = "mx-dns-error", Warning, "RFC 5321 §5.1";
    }
    #[cfg(all())]
    Sender {
        /// Sending IP has no PTR record.
        PtrMissing = "ptr-missing", Error, "RFC 1912 §2.1";
        /// PTR name does not resolve back to the IP.
        PtrMismatch = "ptr-mismatch", Warning, "RFC 8601 §3";
        /// PTR name looks like a dynamic pool.
        PtrGeneric = "ptr-generic", Warning, "RFC 1912 §2.1";
        /// The PTR lookup of the sending IP failed: could not verify.
        PtrDnsError = "ptr-dns-error", Warning, "RFC 1912 §2.1";
        /// The sending IP has a PTR that resolves back to it.
        PtrOk = "ptr-ok", Ok, "RFC 1912 §2.1";
        /// Sending IP listed on a blocklist.
        DnsblListed = "dnsbl-listed", Error, "RFC 5782 §2.1";
        /// The list refused the query.
        DnsblUnavailable = "dnsbl-unavailable", Info, "RFC 5782 §2.1";
        /// The sending IP is on none of the checked lists.
        DnsblClean = "dnsbl-clean", Ok, "RFC 5782 §2.1";
        /// Lists left out and not asked (Spamhaus through public resolvers without a DQS key).
        DnsblSkipped = "dnsbl-skipped", Info, "RFC 5782 §2.1";
    }
    #[cfg(all())]
    MtaSts {
        /// MTA-STS record or policy broken or not fetchable over HTTPS.
        MtaStsInvalid = "mta-sts-invalid", Error, "RFC 8461 §3";
        /// Policy in enforce mode does not cover an MX host.
        MtaStsMxNotCovered = "mta-sts-mx-not-covered", Error, "RFC 8461 §4.1";
        /// Policy mode testing.
        MtaStsTesting = "mta-sts-testing", Info, "RFC 8461 §5";
        /// The `_mta-sts` lookup failed: MTA-STS could not be verified.
        MtaStsDnsError = "mta-sts-dns-error", Warning, "RFC 8461 §3.1";
    }
    #[cfg(all())]
    TlsRpt {
        /// `_smtp._tls` record does not parse.
        TlsrptInvalid = "tlsrpt-invalid", Error, "RFC 8460 §3";
        /// The `_smtp._tls` lookup failed: TLS-RPT could not be verified.
        TlsrptDnsError = "tlsrpt-dns-error", Warning, "RFC 8460 §3";
    }
    #[cfg(all())]
    Bimi {
        /// `default._bimi` record does not parse or logo URL is not HTTPS.
        BimiInvalid = "bimi-invalid", Error, "draft-brand-indicators-for-message-identification §4.2";
        /// The `default._bimi` lookup failed: BIMI could not be verified.
        BimiDnsError = "bimi-dns-error", Warning, "draft-brand-indicators-for-message-identification §4.2";
    }
    #[cfg(all())]
    Dnssec {
        /// The resolver did not validate the answers (AD bit unset).
        DnssecUnsigned = "dnssec-unsigned", Info, "RFC 4035 §3.2.3";
    }
    #[cfg(feature = "bounce")]
    Headers {
        /// An Authentication-Results header that does not follow the grammar.
        AuthresSyntaxError = "authres-syntax-error", Warning, "RFC 8601 §2.2";
        /// An Authentication-Results header in a provider's form the grammar does not allow.
        AuthresNonstandard = "authres-nonstandard", Info, "RFC 8601 §2.2";
    }
    #[cfg(feature = "bounce")]
    Bounce {
        /// Bounce: the recipient address does not exist.
        BounceUserUnknown = "bounce-user-unknown", Error, "RFC 3463 §3.2";
        /// Bounce: the recipient's mailbox is full.
        BounceMailboxFull = "bounce-mailbox-full", Warning, "RFC 3463 §3.3";
        /// Bounce: SPF, DKIM or DMARC failed at the receiver.
        BounceAuthFailed = "bounce-auth-failed", Error, "RFC 7372 §3";
        /// Bounce: the sending server is on a blocklist.
        BounceBlocklisted = "bounce-blocklisted", Error, "RFC 5782 §2.1";
        /// Bounce: the receiver limits how fast it accepts mail.
        BounceRateLimited = "bounce-rate-limited", Warning, "RFC 5321 §4.2.1";
        /// Bounce: the content was refused (spam filter, size, attachment).
        BounceContentRejected = "bounce-content-rejected", Error, "RFC 3463 §3.7";
        /// Bounce: a domain could not be resolved or routed.
        BounceDnsFailure = "bounce-dns-failure", Error, "RFC 3463 §3.5";
        /// Bounce: the server refused to relay.
        BounceRelayDenied = "bounce-relay-denied", Error, "RFC 5321 §3.6.1";
        /// Bounce: none of the above.
        BounceOther = "bounce-other", Warning, "RFC 3464 §2.3.4";
        /// Bounce: the recipient's mailbox exists but is disabled or suspended.
        BounceMailboxDisabled = "bounce-mailbox-disabled", Error, "RFC 3463 §3.3";
        /// Bounce: the receiver wants a PTR record for the sending IP.
        BouncePtrRequired = "bounce-ptr-required", Error, "RFC 7372 §3.3";
        /// Bounce: the content was judged to be spam.
        BounceSpamContent = "bounce-spam-content", Error, "RFC 3463 §3.8";
        /// Bounce: the message carried a virus or malware.
        BounceVirus = "bounce-virus", Error, "RFC 3463 §3.8";
        /// Bounce: the message is larger than the receiver accepts.
        BounceMessageTooLarge = "bounce-message-too-large", Error, "RFC 3463 §3.4";
        /// Bounce: the recipient's domain or mail host does not exist.
        BounceHostUnknown = "bounce-host-unknown", Error, "RFC 3463 §3.2";
        /// Bounce: the recipient's domain accepts no mail (null MX).
        BounceNoMailAccepted = "bounce-no-mail-accepted", Error, "RFC 7505 §4.2";
        /// Bounce: the receiving server could not be reached.
        BounceNetworkError = "bounce-network-error", Warning, "RFC 3463 §3.5";
        /// Bounce: the sending server gave up after retrying.
        BounceExpired = "bounce-expired", Warning, "RFC 3463 §3.5";
        /// Bounce: the receiver refused the sender's address.
        BounceSenderRejected = "bounce-sender-rejected", Error, "RFC 3463 §3.2";
        /// Bounce: the input held no bounce to explain (empty, header fields only, or no word of
        /// a failed delivery).
        BounceEmpty = "bounce-empty", Info, "RFC 3464 §2";
        /// Bounce: not a bounce but an automatic reply, such as an out-of-office notice.
        BounceAutoReply = "bounce-auto-reply", Info, "RFC 3834 §5";
        /// Bounce: not a bounce but a complaint (feedback report): delivered, marked as spam.
        BounceComplaint = "bounce-complaint", Warning, "RFC 5965 §2";
        /// Bounce: not a bounce but a delivery report of success (delivered or relayed).
        BounceDelivered = "bounce-delivered", Info, "RFC 3464 §2.3.3";
    }
    #[cfg(all())]
    Profile {
        /// The domain does not authorize the vendor's senders (sender profile).
        ProfileSpfMissing = "profile-spf-missing", Error, "RFC 7208 §5";
        /// The domain authorizes every sender of the vendor's profile.
        ProfileSpfOk = "profile-spf-ok", Ok, "RFC 7208 §5";
        /// Adding the vendor's mechanisms would exceed 10 DNS lookups.
        ProfileLookupLimit = "profile-lookup-limit", Error, "RFC 7208 §4.6.4";
        /// A DKIM CNAME the vendor asks for is missing or points elsewhere.
        ProfileDkimCnameMissing = "profile-dkim-cname-missing", Error, "RFC 6376 §3.6.2.1";
    }
    #[cfg(feature = "smtp")]
    Smtp {
        /// The server took the connection, TLS (1.2 or later), the login and the test mail, as far
        /// as the test went.
        SmtpOk = "smtp-ok", Ok, "RFC 6409 §3.1";
        /// The server's host name does not exist (NXDOMAIN or no address).
        SmtpHostUnknown = "smtp-host-unknown", Error, "RFC 5321 §2.3.5";
        /// The server refused the connection on the port: nothing listens there.
        SmtpConnectRefused = "smtp-connect-refused", Error, "RFC 6409 §3.1";
        /// No answer to the connection on a port other than 25: could not verify.
        SmtpConnectTimeout = "smtp-connect-timeout", Warning, "RFC 5321 §4.5.3.2";
        /// No answer on port 25: the network blocks it; submission belongs on 587 or 465.
        SmtpPort25Blocked = "smtp-port25-blocked", Error, "RFC 6409 §3.1";
        /// Port 25 works from here, but it is meant for server-to-server mail.
        SmtpPort25Used = "smtp-port25-used", Info, "RFC 6409 §3.1";
        /// The connection closed, or no greeting came, before the dialogue began: could not verify.
        SmtpNoGreeting = "smtp-no-greeting", Warning, "RFC 5321 §4.5.3.2";
        /// The server refused the session in its greeting (554) or right after it.
        SmtpConnectionRejected = "smtp-connection-rejected", Error, "RFC 5321 §3.1";
        /// The connection broke off in the middle of the dialogue: could not verify.
        SmtpConnectionLost = "smtp-connection-lost", Warning, "RFC 5321 §4.5.3.2";
        /// STARTTLS or no encryption on a port that expects TLS from the first byte (465).
        SmtpPlaintextOnTlsPort = "smtp-plaintext-on-tls-port", Error, "RFC 8314 §3.3";
        /// TLS from the first byte (SSL/TLS) on a port that expects STARTTLS (587, 25).
        SmtpTlsOnStarttlsPort = "smtp-tls-on-starttls-port", Error, "RFC 3207 §4";
        /// The TLS handshake failed for another reason.
        SmtpTlsFailed = "smtp-tls-failed", Error, "RFC 8314 §5";
        /// A TLS client that checks certificates (Cloudflare's sockets) refused the server's
        /// TLS without saying why: a certificate that does not verify, or only outdated TLS.
        SmtpTlsNotAccepted = "smtp-tls-not-accepted", Error, "RFC 8314 §5.3";
        /// The server negotiated a TLS version older than 1.2.
        SmtpTlsOutdated = "smtp-tls-outdated", Warning, "RFC 8314 §5";
        /// The server's certificate is for other names than the host name in the settings.
        SmtpCertificateNameMismatch = "smtp-certificate-name-mismatch", Error, "RFC 8314 §5.3";
        /// The server's certificate has expired.
        SmtpCertificateExpired = "smtp-certificate-expired", Error, "RFC 8314 §5.3";
        /// The server's certificate is not signed by a trusted authority (self-signed, chain
        /// incomplete).
        SmtpCertificateUntrusted = "smtp-certificate-untrusted", Error, "RFC 8314 §5.3";
        /// STARTTLS is configured but the server does not offer it.
        SmtpStarttlsNotOffered = "smtp-starttls-not-offered", Error, "RFC 3207 §4";
        /// The server refused the STARTTLS command.
        SmtpStarttlsRefused = "smtp-starttls-refused", Error, "RFC 3207 §4";
        /// No encryption is configured, or the server demands it first.
        SmtpUnencrypted = "smtp-unencrypted", Warning, "RFC 8314 §4.1";
        /// The server offers login (AUTH) only after STARTTLS: normal.
        SmtpAuthAfterTls = "smtp-auth-after-tls", Info, "RFC 4954 §4";
        /// The server offers no login (AUTH) on this port at all.
        SmtpAuthNotOffered = "smtp-auth-not-offered", Error, "RFC 4954 §3";
        /// The server wants a login before it takes mail, and none was made.
        SmtpAuthRequired = "smtp-auth-required", Error, "RFC 6409 §4.3";
        /// The server refused the user name or password (535 5.7.8).
        SmtpAuthFailed = "smtp-auth-failed", Error, "RFC 4954 §6";
        /// Microsoft 365 refused the login because SMTP AUTH is disabled (5.7.139, 5.7.57).
        SmtpM365AuthDisabled = "smtp-m365-auth-disabled", Error, "RFC 4954 §6";
        /// The provider wants an app password instead of the account password (534 5.7.9).
        SmtpAppPasswordRequired = "smtp-app-password-required", Error, "RFC 4954 §6";
        /// The server refused the sender address (MAIL FROM).
        SmtpSenderRefused = "smtp-sender-refused", Error, "RFC 6409 §6.1";
        /// The server refused to pass the mail on to another domain (relay access denied).
        SmtpRelayDenied = "smtp-relay-denied", Error, "RFC 5321 §3.6.2, §4.1.1.3";
        /// The server refused the test recipient for another reason.
        SmtpRecipientRefused = "smtp-recipient-refused", Warning, "RFC 5321 §4.1.1.3";
        /// The server refused the test message itself (DATA).
        SmtpMessageRefused = "smtp-message-refused", Error, "RFC 5321 §4.1.1.4";
        /// The server limits how much or how fast this account sends (421, 4.7.x, 452 4.5.3).
        SmtpRateLimited = "smtp-rate-limited", Warning, "RFC 3463 §3.6, §3.8";
        /// The server answered with a temporary error (4xx): could not verify.
        SmtpTemporaryFailure = "smtp-temporary-failure", Warning, "RFC 5321 §4.2.1";
    }
    #[cfg(feature = "recipients")]
    Recipient {
        /// A well-formed address whose domain takes mail (MX records).
        RecipientOk = "recipient-ok", Ok, "RFC 5321 §5.1";
        /// Not a mailbox address; `reason` says what is wrong.
        RecipientSyntax = "recipient-syntax", Error, "RFC 5321 §4.1.2";
        /// The same address as an earlier line, ignoring case.
        RecipientDuplicate = "recipient-duplicate", Info, "RFC 5321 §2.4";
        /// The domain looks like a slip of a common mail domain (`suggestion`).
        RecipientDomainTypo = "recipient-domain-typo", Warning, "RFC 5321 §2.3.5";
        /// The domain does not exist (NXDOMAIN).
        RecipientDomainMissing = "recipient-domain-missing", Error, "RFC 5321 §5.1";
        /// The domain accepts no mail (null MX).
        RecipientNullMx = "recipient-null-mx", Error, "RFC 7505 §3";
        /// No MX, but an address record takes the mail (the implicit MX).
        RecipientImplicitMx = "recipient-implicit-mx", Info, "RFC 5321 §5.1";
        /// Neither MX nor address: mail to the domain cannot be delivered.
        RecipientNoMailHost = "recipient-no-mail-host", Error, "RFC 5321 §5.1";
        /// The domain's lookup failed: could not verify.
        RecipientLookupFailed = "recipient-lookup-failed", Warning, "RFC 5321 §5.1";
        /// The domain is an address literal (`[192.0.2.1]`): rarely accepted, not looked up.
        RecipientAddressLiteral = "recipient-address-literal", Warning, "RFC 5321 §4.1.3";
    }
    #[cfg(feature = "reports")]
    Report {
        /// A file that is no report format at all (not gzip, zip, XML, JSON or a message), or
        /// empty.
        ReportUnreadable = "report-unreadable", Error, "RFC 7489 §7.2.1.1";
        /// XML, JSON or a message that holds no DMARC or TLS report.
        ReportNotAReport = "report-not-a-report", Warning, "RFC 7489 §7.2.1.1";
        /// An aggregate report whose XML breaks (unclosed or mismatched tag, truncated): that
        /// `<feedback>` is not counted.
        ReportXmlMalformed = "report-xml-malformed", Error, "RFC 7489 Appendix C";
        /// A TLS report that is not valid JSON.
        ReportJsonMalformed = "report-json-malformed", Error, "RFC 8460 §4.4";
        /// A gzip or zip wrapper that cannot be unpacked (truncated, corrupt, checksum, method).
        ReportDecompressFailed = "report-decompress-failed", Error, "RFC 1952 §2.3";
        /// A file that inflates beyond the limit or nests wrappers too deep: not read further.
        ReportTooLarge = "report-too-large", Error, "RFC 7489 §7.2.1.1";
        /// The same receiver's report (same report ID, same domain) a second time: counted once.
        ReportDuplicate = "report-duplicate", Info, "RFC 7489 Appendix C";
        /// The domain's legitimate mail passes DMARC: ready for the next policy step.
        ReportReadyForNextStep = "report-ready-for-next-step", Ok, "RFC 7489 §6.3";
        /// At `p=reject`, and the legitimate mail passes DMARC.
        ReportPolicyFinal = "report-policy-final", Ok, "RFC 7489 §6.3";
        /// Too much legitimate mail fails DMARC for the next policy step (or, at reject, is
        /// being rejected).
        ReportNotReady = "report-not-ready", Warning, "RFC 7489 §6.3";
        /// A known or authenticating sender whose mail fails DMARC: it is not aligned.
        ReportLegitimateFailing = "report-legitimate-failing", Warning, "RFC 7489 §3.1";
        /// Failing mail from a sender that neither is known nor authenticates: likely spoofing.
        ReportUnknownFailing = "report-unknown-failing", Warning, "RFC 7489 §6.6.2";
        /// A failure report (ARF) about the domain's mail from one source.
        ReportAuthFailure = "report-auth-failure", Info, "RFC 6591 §3";
        /// SMTP TLS reports show failed TLS sessions to the domain's MX hosts.
        ReportTlsFailures = "report-tls-failures", Warning, "RFC 8460 §4.3";
        /// SMTP TLS reports show only successful sessions.
        ReportTlsOk = "report-tls-ok", Ok, "RFC 8460 §4.2";
    }
}

impl Code {
    /// How often each code occurs among `codes`, in catalog order: the summaries of the
    /// recipient list and of bounces in bulk.
    pub fn tally(codes: impl IntoIterator<Item = Code>) -> Vec<(Code, usize)> {
        let mut counts: std::collections::BTreeMap<Code, usize> = std::collections::BTreeMap::new();
        for code in codes {
            *counts.entry(code).or_default() += 1;
        }
        // `Code`'s order is the table's: the catalog order.
        counts.into_iter().collect()
    }

    /// Whether the code says a DNS lookup failed ("could not verify", never "missing"). Their
    /// actions are all "check again later", so the action list names it once.
    pub fn is_lookup_failure(self) -> bool {
        matches!(
            self,
            Code::DomainLookupFailed
                | Code::SpfDnsError
                | Code::DmarcDnsError
                | Code::DkimDnsError
                | Code::MxDnsError
                | Code::PtrDnsError
                | Code::MtaStsDnsError
                | Code::TlsrptDnsError
                | Code::BimiDnsError
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Code::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown code {text}")))
    }
}

/// One diagnostic: a code, its severity, where it points, and the values its message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The catalog code: what was found.
    pub code: Code,
    /// How much it matters here; the code's default unless the check raised or lowered it.
    pub severity: Severity,
    /// The domain whose record `span` points into, where the finding is about record text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub domain: Option<String>,
    /// The byte range of the record text the finding is about, where it points at one term.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Span>,
    /// Named values for the message (`term`, `count`, `limit`, ...), never sentences.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub params: BTreeMap<String, String>,
}

impl Finding {
    /// A finding with the code's default severity.
    pub fn new(code: Code) -> Self {
        Finding {
            code,
            severity: code.default_severity(),
            domain: None,
            span: None,
            params: BTreeMap::new(),
        }
    }

    /// Points the finding at `span` of the record text.
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Says which domain's record the finding's span points into.
    pub fn with_domain(mut self, domain: &str) -> Self {
        self.domain = Some(domain.to_owned());
        self
    }

    /// Overrides the code's default severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds the named value `name` for the message.
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// A parameter's value, or the empty string.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }
}
