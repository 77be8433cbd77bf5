//! The DMARC record parser: the tag-value list of RFC 7489 §6.4 and RFC 9989 §4.8, with spans.
//!
//! It never stops at the first problem. It returns every tag it found, what the known tags mean,
//! and a [`Finding`] with a byte span into the record text (TXT strings joined, RFC 9989 §4.5)
//! for every problem. Findings that depend on where the record applies (an inherited `sp`, a
//! `p=none` for the checked domain) are the check's business, not the parser's.

use crate::findings::{Code, Finding, Span};
use crate::taglist;
use serde::{Deserialize, Serialize};

/// Every tag RFC 7489 §6.3 and RFC 9989 §4.7 define; other tags are ignored by receivers.
pub const KNOWN_TAGS: &[&str] = &[
    "v", "p", "sp", "np", "adkim", "aspf", "pct", "rua", "ruf", "fo", "rf", "ri", "psd", "t",
];

/// Tags of RFC 7489 that RFC 9989 removed (RFC 9989 Appendix C): its receivers ignore them.
pub const DEPRECATED_TAGS: &[&str] = &["pct", "rf", "ri"];

/// The Domain Owner Assessment Policy (RFC 7489 §6.3 `p`, RFC 9989 §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// `none`: no action asked for mail that fails DMARC; reports only.
    None,
    /// `quarantine`: mail that fails DMARC is to be treated as suspicious (the spam folder).
    Quarantine,
    /// `reject`: mail that fails DMARC is to be refused during the SMTP transaction.
    Reject,
}

impl Policy {
    /// The value as written in the record (`none`, `quarantine`, `reject`).
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }

    /// A policy value; case-insensitive, as ABNF string literals are (RFC 5234 §2.3).
    pub fn parse(value: &str) -> Option<Policy> {
        match value.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }

    /// The next less strict policy: what RFC 7489 §6.6.4 applies to mail left out by `pct`, and
    /// what RFC 9989 §4.7 applies under `t=y`.
    pub fn milder(self) -> Policy {
        match self {
            Policy::Reject => Policy::Quarantine,
            Policy::Quarantine | Policy::None => Policy::None,
        }
    }

    /// The next stricter policy, on the path none → quarantine → reject.
    pub fn stricter(self) -> Option<Policy> {
        match self {
            Policy::None => Some(Policy::Quarantine),
            Policy::Quarantine => Some(Policy::Reject),
            Policy::Reject => None,
        }
    }

    /// Quarantine and reject: the state RFC 9989 §3.2 calls "Enforcement".
    pub fn is_enforcing(self) -> bool {
        self != Policy::None
    }
}

/// One `name=value` piece of the record as written (the shared tag-list reader's tag).
pub use crate::taglist::Tag as DmarcTag;

/// Whether a receiver may send reports to a URI at another domain (RFC 7489 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportAuthorization {
    /// Not looked at: the URI is invalid, or its record does not apply.
    NotChecked,
    /// The address is at the policy domain, below it, or above it: no authorization needed.
    Internal,
    /// `<policy-domain>._report._dmarc.<host>` holds a `v=DMARC1` record.
    Authorized,
    /// No such record: receivers do not send reports there.
    Unauthorized,
    /// The lookup failed: could not verify.
    Unverified,
}

/// One entry of a `rua` or `ruf` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportUri {
    /// `rua` or `ruf`.
    pub tag: String,
    /// The entry as written, size suffix included.
    pub uri: String,
    /// Where the entry stands in the record text.
    pub span: Span,
    /// The mailbox of a valid `mailto:` URI, percent-decoded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub address: Option<String>,
    /// The mailbox's domain, lowercase.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub host: Option<String>,
    /// The `!size` suffix without the `!` (`10m`), which RFC 9989 §4.8 calls obsolete.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub size_limit: Option<String>,
    /// The entry is a well-formed `mailto:` URI (RFC 7489 §6.4); otherwise a finding says why.
    pub valid: bool,
    /// Whether the URI's domain authorized reports for the policy domain.
    pub authorization: ReportAuthorization,
}

/// What a `p`, `sp` or `np` tag says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyTag {
    /// The tag is not in the record.
    Absent,
    /// A valid value; `tag` indexes [`DmarcRecord::tags`].
    Valid {
        /// The policy the value names.
        policy: Policy,
        /// The tag's index in [`DmarcRecord::tags`].
        tag: usize,
    },
    /// Present with a value that is not none/quarantine/reject.
    Invalid {
        /// The tag's index in [`DmarcRecord::tags`].
        tag: usize,
    },
}

impl PolicyTag {
    /// The policy of a valid value.
    pub fn policy(self) -> Option<Policy> {
        match self {
            PolicyTag::Valid { policy, .. } => Some(policy),
            _ => None,
        }
    }

    /// Whether the tag is present with a value that is no policy.
    pub fn is_invalid(self) -> bool {
        matches!(self, PolicyTag::Invalid { .. })
    }

    /// The index of the tag in [`DmarcRecord::tags`], if present.
    pub fn tag(self) -> Option<usize> {
        match self {
            PolicyTag::Absent => None,
            PolicyTag::Valid { tag, .. } | PolicyTag::Invalid { tag } => Some(tag),
        }
    }
}

/// A parsed DMARC record: the text, its tags, what the known tags say, and the diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmarcRecord {
    /// The record as shown: its TXT strings joined.
    pub text: String,
    /// Every tag as written, known or not, in order.
    pub tags: Vec<DmarcTag>,
    /// The record starts with exactly `v=DMARC1`; otherwise receivers ignore it (RFC 7489 §6.3,
    /// RFC 9989 §4.7).
    pub usable: bool,
    /// The domain's policy, `p` (RFC 7489 §6.3, RFC 9989 §4.7).
    pub p: PolicyTag,
    /// The policy for subdomains, `sp`.
    pub sp: PolicyTag,
    /// The policy for non-existent subdomains, `np` (RFC 9989 §4.7).
    pub np: PolicyTag,
    /// A valid `pct` and its tag index.
    pub pct: Option<(u8, usize)>,
    /// The tag index of `t=y` (RFC 9989 §4.7 test mode).
    pub testing: Option<usize>,
    /// A valid `psd` value: `y`, `n` or `u` (RFC 9989 §4.7).
    pub psd: Option<char>,
    /// The `rua` entries; `None` without a `rua` tag.
    pub rua: Option<Vec<ReportUri>>,
    /// The `ruf` entries (failure reports); `None` without a `ruf` tag.
    pub ruf: Option<Vec<ReportUri>>,
    /// Every problem found, each with a span into `text`.
    pub diagnostics: Vec<Finding>,
}

impl DmarcRecord {
    /// At least one syntactically valid aggregate report URI: what lets a record with a broken
    /// `p`, `sp` or `np` still count as `p=none` (RFC 7489 §6.6.3 step 6, RFC 9989 §4.10.1).
    pub fn has_valid_rua(&self) -> bool {
        self.rua
            .as_ref()
            .is_some_and(|entries| entries.iter().any(|uri| uri.valid))
    }

    /// Whether `p`, `sp` or `np` holds a value that is not a policy.
    pub fn has_invalid_policy(&self) -> bool {
        self.p.is_invalid() || self.sp.is_invalid() || self.np.is_invalid()
    }

    /// The text of a tag, `name=value` as written.
    pub fn tag_text(&self, index: usize) -> &str {
        let span = self.tags[index].span;
        &self.text[span.start..span.end]
    }
}

/// The tags of a tag-value list: pieces between `;` (RFC 7489 §6.4 `dmarc-sep`), split at
/// the first `=` with the WSP of `equals` around it removed.
fn split_tags(text: &str) -> Vec<(DmarcTag, bool)> {
    taglist::split(text, taglist::wsp)
}

/// Whether TXT text is a DMARC record for selection: it starts with a `v` tag of value
/// `DMARC1`, compared case-insensitively so that a miscapitalized version is reported rather
/// than silently ignored (RFC 7489 §6.6.3 step 2, RFC 9989 §4.10 step 2).
pub fn starts_with_version(text: &str) -> bool {
    let rest = text.trim_start_matches([' ', '\t']);
    let Some(rest) = rest.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some(rest) = rest.trim_start_matches([' ', '\t']).strip_prefix('=') else {
        return false;
    };
    rest.trim_start_matches([' ', '\t'])
        .get(..6)
        .is_some_and(|version| version.eq_ignore_ascii_case("DMARC1"))
}

/// Whether TXT text holds `v=DMARC1` as a later tag: meant as a DMARC record, but receivers
/// discard it because the version is not first (RFC 9989 §4.7).
pub fn has_version_later(text: &str) -> bool {
    split_tags(text)
        .iter()
        .skip(1)
        .any(|(tag, _)| is_version_tag(tag))
}

fn is_version_tag(tag: &DmarcTag) -> bool {
    tag.name.eq_ignore_ascii_case("v") && tag.value.eq_ignore_ascii_case("DMARC1")
}

/// Parses record text (which should start with `v=DMARC1`).
pub fn parse(text: &str) -> DmarcRecord {
    let mut parser = Parser {
        record: DmarcRecord {
            text: text.to_owned(),
            tags: Vec::new(),
            usable: false,
            p: PolicyTag::Absent,
            sp: PolicyTag::Absent,
            np: PolicyTag::Absent,
            pct: None,
            testing: None,
            psd: None,
            rua: None,
            ruf: None,
            diagnostics: Vec::new(),
        },
    };
    parser.run();
    parser.record
}

struct Parser {
    record: DmarcRecord,
}

impl Parser {
    fn push(&mut self, finding: Finding) {
        self.record.diagnostics.push(finding);
    }

    fn tag_finding(&self, code: Code, index: usize) -> Finding {
        let tag = &self.record.tags[index];
        Finding::new(code)
            .with_span(tag.span)
            .with("term", self.record.tag_text(index))
            .with("tag", tag.name.to_ascii_lowercase())
    }

    fn syntax_error(&self, index: usize, reason: &str) -> Finding {
        self.tag_finding(Code::DmarcSyntaxError, index)
            .with("reason", reason)
    }

    fn run(&mut self) {
        let text = self.record.text.clone();
        let split = split_tags(&text);
        let has_equals: Vec<bool> = split.iter().map(|(_, equals)| *equals).collect();
        self.record.tags = split.into_iter().map(|(tag, _)| tag).collect();

        // The grammar has no room for whitespace before the version (RFC 7489 §6.4): a strict
        // receiver does not see a record that "starts with v=DMARC1".
        let leading = text.len() - text.trim_start_matches([' ', '\t']).len();
        if leading > 0 && !self.record.tags.is_empty() {
            self.push(
                Finding::new(Code::DmarcSyntaxError)
                    .with_span(Span::new(0, leading))
                    .with("term", &text[..leading])
                    .with("reason", "leading-space"),
            );
        }

        let version_index = self.version();
        let mut seen: Vec<String> = Vec::new();
        for (index, has_equals) in has_equals.into_iter().enumerate() {
            if Some(index) == version_index {
                seen.push("v".to_owned());
                continue;
            }
            if !has_equals {
                let finding = self.syntax_error(index, "no-equals");
                self.push(finding);
                continue;
            }
            let name = self.record.tags[index].name.to_ascii_lowercase();
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic()) {
                // RFC 9989 §4.8: a tag name is 1*ALPHA.
                let finding = self.syntax_error(index, "name");
                self.push(finding);
                continue;
            }
            if seen.contains(&name) {
                // RFC 6376 §3.2, whose tag-list syntax DMARC uses: a name occurs at most once.
                let finding = self.syntax_error(index, "duplicate");
                self.push(finding);
                continue;
            }
            seen.push(name.clone());
            if !KNOWN_TAGS.contains(&name.as_str()) {
                // RFC 7489 §6.3, RFC 9989 §4.7: unknown tags are ignored.
                let mut finding = self.tag_finding(Code::DmarcUnknownTag, index);
                if let Some(suggestion) = suggest_tag(&name) {
                    finding = finding.with("suggestion", suggestion);
                }
                self.push(finding);
                continue;
            }
            if DEPRECATED_TAGS.contains(&name.as_str()) {
                let finding = self.tag_finding(Code::DmarcDeprecatedTag, index);
                self.push(finding);
            }
            if let Some(character) = self.record.tags[index]
                .value
                .chars()
                .find(|c| !(' '..='~').contains(c))
            {
                // RFC 9989 §4.8 `dmarc-value`: printable ASCII and space, except `;`.
                let finding = self
                    .syntax_error(index, "character")
                    .with("character", format!("U+{:04X}", u32::from(character)));
                self.push(finding);
                self.mark_invalid(&name, index);
                continue;
            }
            self.known_tag(&name, index);
        }
        self.after_tags();
    }

    /// RFC 7489 §6.3, RFC 9989 §4.7: `v=DMARC1` must be the first tag, the value exactly
    /// "DMARC1", or receivers ignore the whole record. Returns the index of the version tag.
    fn version(&mut self) -> Option<usize> {
        let first = self.record.tags.first()?;
        if first.name.eq_ignore_ascii_case("v") {
            if first.value == "DMARC1" {
                self.record.usable = true;
            } else {
                let finding = self.syntax_error(0, "version");
                self.push(finding);
            }
            return Some(0);
        }
        match self.record.tags.iter().position(is_version_tag) {
            Some(index) => {
                let first = self.record.tag_text(0).to_owned();
                let finding = self
                    .tag_finding(Code::DmarcVersionNotFirst, index)
                    .with("first", first);
                self.push(finding);
                Some(index)
            }
            None => {
                let finding = self.syntax_error(0, "version");
                self.push(finding);
                None
            }
        }
    }

    /// A tag whose value cannot be read: for the policy tags, that is an invalid policy.
    fn mark_invalid(&mut self, name: &str, index: usize) {
        let invalid = PolicyTag::Invalid { tag: index };
        match name {
            "p" => self.record.p = invalid,
            "sp" => self.record.sp = invalid,
            "np" => self.record.np = invalid,
            _ => {}
        }
    }

    fn known_tag(&mut self, name: &str, index: usize) {
        let value = self.record.tags[index].value.clone();
        match name {
            "p" | "sp" | "np" => {
                let parsed = match Policy::parse(&value) {
                    Some(policy) => PolicyTag::Valid { policy, tag: index },
                    None => {
                        let finding = self
                            .tag_finding(Code::DmarcPolicyInvalid, index)
                            .with("value", &value);
                        self.push(finding);
                        PolicyTag::Invalid { tag: index }
                    }
                };
                match name {
                    "p" => self.record.p = parsed,
                    "sp" => self.record.sp = parsed,
                    _ => self.record.np = parsed,
                }
            }
            "pct" => {
                // RFC 7489 §6.4: `1*3DIGIT`, an integer from 0 to 100.
                let number = (!value.is_empty()
                    && value.len() <= 3
                    && value.bytes().all(|b| b.is_ascii_digit()))
                .then(|| value.parse::<u8>().ok())
                .flatten()
                .filter(|pct| *pct <= 100);
                match number {
                    Some(pct) => self.record.pct = Some((pct, index)),
                    None => {
                        let finding = self
                            .tag_finding(Code::DmarcPctInvalid, index)
                            .with("value", &value);
                        self.push(finding);
                    }
                }
            }
            "rua" | "ruf" => {
                let entries = self.uri_list(name, index);
                if name == "rua" {
                    self.record.rua = Some(entries);
                } else {
                    self.record.ruf = Some(entries);
                }
            }
            "adkim" | "aspf" => self.choice(index, &["r", "s"], "r, s"),
            "psd" => {
                self.choice(index, &["y", "n", "u"], "y, n, u");
                if let [flag] = value.to_ascii_lowercase().as_bytes()
                    && matches!(flag, b'y' | b'n' | b'u')
                {
                    self.record.psd = Some(char::from(*flag));
                }
            }
            "t" => {
                self.choice(index, &["y", "n"], "y, n");
                if value.eq_ignore_ascii_case("y") {
                    self.record.testing = Some(index);
                }
            }
            "fo" => {
                // RFC 7489 §6.4 `dmarc-fo`: options from 0, 1, d, s separated by colons.
                let valid = value.split(':').all(|option| {
                    let option = option.trim_matches([' ', '\t']).to_ascii_lowercase();
                    matches!(option.as_str(), "0" | "1" | "d" | "s")
                });
                if !valid {
                    let finding = self
                        .syntax_error(index, "value")
                        .with("expected", "0, 1, d, s");
                    self.push(finding);
                }
            }
            "ri" => {
                // RFC 7489 §6.4 `dmarc-ainterval`: a number of seconds (32 bits, §6.3).
                if value.is_empty()
                    || !value.bytes().all(|b| b.is_ascii_digit())
                    || value.parse::<u32>().is_err()
                {
                    let finding = self
                        .syntax_error(index, "value")
                        .with("expected", "0-4294967295");
                    self.push(finding);
                }
            }
            "rf" if value.is_empty() => {
                let finding = self.syntax_error(index, "empty-value");
                self.push(finding);
            }
            _ => {}
        }
    }

    /// A tag whose value is one of a few letters, compared case-insensitively.
    fn choice(&mut self, index: usize, allowed: &[&str], expected: &str) {
        let value = self.record.tags[index].value.to_ascii_lowercase();
        if value.is_empty() {
            let finding = self.syntax_error(index, "empty-value");
            self.push(finding);
        } else if !allowed.contains(&value.as_str()) {
            let finding = self.syntax_error(index, "value").with("expected", expected);
            self.push(finding);
        }
    }

    /// A `rua`/`ruf` list (RFC 7489 §6.4 `dmarc-uri`, RFC 9989 §4.8 `dmarc-urilist`): URIs
    /// separated by commas, each here expected to be a `mailto:` URI (the one scheme every
    /// reporting receiver supports, RFC 9989 §4.7) with an optional `!size` suffix.
    fn uri_list(&mut self, tag: &str, index: usize) -> Vec<ReportUri> {
        let value_span = self.record.tags[index].value_span;
        let text = self.record.text.clone();
        let value = &text[value_span.start..value_span.end];
        let mut entries = Vec::new();
        let pieces: Vec<&str> = value.split(',').collect();
        let mut start = value_span.start;
        for (position, piece) in pieces.iter().enumerate() {
            let end = start + piece.len();
            let (entry_start, entry_end) = taglist::trim(&text, taglist::wsp, start, end);
            if entry_start == entry_end {
                // An empty entry: point at the comma next to it, or at the empty value.
                let span = if position > 0 {
                    Span::new(start - 1, start)
                } else if pieces.len() > 1 {
                    Span::new(end, end + 1)
                } else {
                    self.record.tags[index].span
                };
                self.push(
                    Finding::new(Code::DmarcInvalidUri)
                        .with_span(span)
                        .with("uri", "")
                        .with("tag", tag)
                        .with("reason", "empty"),
                );
            } else {
                let uri = &text[entry_start..entry_end];
                let span = Span::new(entry_start, entry_end);
                let entry = match check_uri(uri) {
                    Ok(mailbox) => ReportUri {
                        tag: tag.to_owned(),
                        uri: uri.to_owned(),
                        span,
                        address: Some(mailbox.address),
                        host: Some(mailbox.host),
                        size_limit: mailbox.size_limit,
                        valid: true,
                        authorization: ReportAuthorization::NotChecked,
                    },
                    Err(reason) => {
                        self.push(
                            Finding::new(Code::DmarcInvalidUri)
                                .with_span(span)
                                .with("uri", uri)
                                .with("tag", tag)
                                .with("reason", reason),
                        );
                        ReportUri {
                            tag: tag.to_owned(),
                            uri: uri.to_owned(),
                            span,
                            address: None,
                            host: None,
                            size_limit: None,
                            valid: false,
                            authorization: ReportAuthorization::NotChecked,
                        }
                    }
                };
                entries.push(entry);
            }
            start = end + 1;
        }
        entries
    }

    /// Findings that need the whole record.
    fn after_tags(&mut self) {
        if self.record.tags.is_empty() {
            return;
        }
        let has_valid_rua = self.record.has_valid_rua();
        // RFC 7489 §6.6.3 step 6, RFC 9989 §4.10.1: a broken p, sp or np makes the record
        // count as p=none when a valid rua is present, and ignored otherwise.
        let fallback = if has_valid_rua { "none" } else { "ignored" };
        for finding in &mut self.record.diagnostics {
            if finding.code == Code::DmarcPolicyInvalid {
                finding
                    .params
                    .insert("fallback".to_owned(), fallback.to_owned());
            }
        }
        if self.record.p == PolicyTag::Absent {
            // RFC 9989 §4.7: without p the record is treated as p=none. RFC 7489 §6.6.3 step 6
            // asks for a valid rua too; without one its receivers ignore the record.
            let mut finding = Finding::new(Code::DmarcPolicyMissing)
                .with_span(Span::new(0, self.record.text.len()))
                .with("has_rua", has_valid_rua);
            if !has_valid_rua {
                finding = finding.with("receivers_differ", true);
            }
            self.push(finding);
        }
    }
}

/// A valid `mailto:` report URI, taken apart.
struct Mailbox {
    address: String,
    host: String,
    size_limit: Option<String>,
}

/// Checks one report URI; the error is the `reason` of the finding.
fn check_uri(uri: &str) -> Result<Mailbox, &'static str> {
    if uri.bytes().any(taglist::wsp) {
        return Err("space");
    }
    // RFC 7489 §6.4: `!` must be percent-encoded inside the URI, so the first one starts the
    // size limit: `1*DIGIT [ "k" / "m" / "g" / "t" ]`, the number fitting 64 bits.
    let (uri_part, size_limit) = match uri.split_once('!') {
        Some((uri_part, size)) => {
            let digits = size.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
            let unit = &size[digits.len()..];
            if digits.is_empty()
                || unit.len() > 1
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || digits.parse::<u64>().is_err()
            {
                return Err("size");
            }
            (uri_part, Some(size.to_owned()))
        }
        None => (uri, None),
    };
    let scheme = uri_part
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        });
    let Some(scheme) = scheme else {
        return Err(if uri_part.contains('@') {
            "no-scheme"
        } else {
            "scheme"
        });
    };
    if !scheme.eq_ignore_ascii_case("mailto") {
        return Err("scheme");
    }
    // RFC 6068 §2: `mailto:addr-spec` with optional `?hfields`, percent-encoding allowed.
    let rest = &uri_part[scheme.len() + 1..];
    let rest = rest.split_once('?').map_or(rest, |(address, _)| address);
    let address = percent_decode(rest).ok_or("address")?;
    let (local, host) = address.rsplit_once('@').ok_or("address")?;
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if local.is_empty() || local.contains('@') || !is_mail_domain(&host) {
        return Err("address");
    }
    Ok(Mailbox {
        address: format!("{local}@{host}"),
        host,
        size_limit,
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// A domain a report can be mailed to: at least two labels of letters, digits and hyphens.
fn is_mail_domain(host: &str) -> bool {
    crate::dns::name::is_host_name(host, 2)
}

/// The known tag one edit away from an unknown name, if there is exactly one.
fn suggest_tag(name: &str) -> Option<&'static str> {
    let close: Vec<&'static str> = KNOWN_TAGS
        .iter()
        .copied()
        .filter(|known| known.len() > 1 && edit_distance(name, known) == 1)
        .collect();
    match close.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// The optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// two neighbouring letters (`rau` for `rua`) count one each.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1)
                .min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `record` and compares its diagnostics, as `code text-under-span`, with `expect`.
    fn check(record: &str, expect: &[&str]) {
        let parsed = parse(record);
        let got: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.span.expect("parser findings carry spans");
                format!("{} {}", d.code, &record[span.start..span.end])
            })
            .collect();
        assert_eq!(got, expect, "record: {record}");
    }

    #[test]
    fn valid_records_have_no_diagnostics() {
        check("v=DMARC1; p=reject; rua=mailto:dmarc@example.test", &[]);
        check("v=DMARC1;p=quarantine;rua=mailto:dmarc@example.test;", &[]);
        check(
            "v = DMARC1 ; p = none ; sp=reject; np=reject; adkim=s; aspf=r; rua=mailto:a@example.test , mailto:b@report.example!10m; ruf=mailto:f@example.test; fo=0:d:s; psd=n; t=n",
            &[],
        );
        check("V=DMARC1; P=Reject; RUA=MAILTO:dmarc@Example.TEST", &[]);
        check(
            "v=DMARC1; p=reject; rua=mailto:dmarc@example.test?subject=report",
            &[],
        );
    }

    #[test]
    fn version_must_be_first_and_exact() {
        check(
            "p=reject; v=DMARC1; rua=mailto:d@example.test",
            &["dmarc-version-not-first v=DMARC1"],
        );
        check(
            "v=dmarc1; p=reject; rua=mailto:d@example.test",
            &["dmarc-syntax-error v=dmarc1"],
        );
        check(
            "v=DMARC1 p=reject; rua=mailto:d@example.test",
            &[
                "dmarc-syntax-error v=DMARC1 p=reject",
                "dmarc-policy-missing v=DMARC1 p=reject; rua=mailto:d@example.test",
            ],
        );
        check(
            " v=DMARC1; p=reject; rua=mailto:d@example.test",
            &["dmarc-syntax-error  "],
        );
        assert!(parse("v=DMARC1; p=none").usable);
        assert!(!parse("p=none; v=DMARC1").usable);
        assert!(!parse("v=DMARC1x; p=none").usable);
    }

    #[test]
    fn selection_sees_the_version() {
        assert!(starts_with_version("v=DMARC1; p=none"));
        assert!(starts_with_version("v = DMARC1"));
        assert!(starts_with_version("V=dmarc1;"));
        assert!(!starts_with_version("v=spf1 -all"));
        assert!(!starts_with_version("p=none; v=DMARC1"));
        assert!(has_version_later("p=none; v=DMARC1"));
        assert!(!has_version_later("v=DMARC1; p=none"));
        assert!(!has_version_later("google-site-verification=abc"));
    }

    #[test]
    fn policies() {
        check(
            "v=DMARC1; p=rejct; rua=mailto:d@example.test",
            &["dmarc-policy-invalid p=rejct"],
        );
        check(
            "v=DMARC1; p=reject; sp=block; np=; rua=mailto:d@example.test",
            &["dmarc-policy-invalid sp=block", "dmarc-policy-invalid np="],
        );
        check(
            "v=DMARC1; rua=mailto:d@example.test",
            &["dmarc-policy-missing v=DMARC1; rua=mailto:d@example.test"],
        );
        let record = parse("v=DMARC1; p=rejct; rua=mailto:d@example.test");
        assert_eq!(record.diagnostics[0].param("fallback"), "none");
        assert!(record.p.is_invalid());
        let record = parse("v=DMARC1; p=rejct");
        assert_eq!(record.diagnostics[0].param("fallback"), "ignored");
        let record = parse("v=DMARC1");
        assert_eq!(record.diagnostics[0].code, Code::DmarcPolicyMissing);
        assert_eq!(record.diagnostics[0].param("has_rua"), "false");
        assert_eq!(record.diagnostics[0].param("receivers_differ"), "true");
        let record = parse("v=DMARC1; p=Quarantine; sp=none; np=reject");
        assert_eq!(record.p.policy(), Some(Policy::Quarantine));
        assert_eq!(record.sp.policy(), Some(Policy::None));
        assert_eq!(record.np.policy(), Some(Policy::Reject));
    }

    #[test]
    fn pct_and_deprecated_tags() {
        check(
            "v=DMARC1; p=reject; pct=50; rua=mailto:d@example.test",
            &["dmarc-deprecated-tag pct=50"],
        );
        check(
            "v=DMARC1; p=reject; pct=150; rua=mailto:d@example.test",
            &["dmarc-deprecated-tag pct=150", "dmarc-pct-invalid pct=150"],
        );
        check(
            "v=DMARC1; p=reject; pct=5.5; rua=mailto:d@example.test",
            &["dmarc-deprecated-tag pct=5.5", "dmarc-pct-invalid pct=5.5"],
        );
        check(
            "v=DMARC1; p=reject; pct=-1; rua=mailto:d@example.test",
            &["dmarc-deprecated-tag pct=-1", "dmarc-pct-invalid pct=-1"],
        );
        check(
            "v=DMARC1; p=reject; rf=afrf; ri=86400; rua=mailto:d@example.test",
            &[
                "dmarc-deprecated-tag rf=afrf",
                "dmarc-deprecated-tag ri=86400",
            ],
        );
        check(
            "v=DMARC1; p=reject; ri=daily; rua=mailto:d@example.test",
            &[
                "dmarc-deprecated-tag ri=daily",
                "dmarc-syntax-error ri=daily",
            ],
        );
        assert_eq!(
            parse("v=DMARC1; p=reject; pct=050").pct.map(|p| p.0),
            Some(50)
        );
        assert_eq!(parse("v=DMARC1; p=reject; pct=0").pct.map(|p| p.0), Some(0));
        assert_eq!(parse("v=DMARC1; p=reject; pct=1000").pct, None);
    }

    #[test]
    fn unknown_tags_and_syntax() {
        check(
            "v=DMARC1; p=reject; rau=mailto:d@example.test",
            &["dmarc-unknown-tag rau=mailto:d@example.test"],
        );
        let record = parse("v=DMARC1; p=reject; rau=mailto:d@example.test");
        assert_eq!(record.diagnostics[0].param("suggestion"), "rua");
        check(
            "v=DMARC1; p=reject; foo=bar; rua=mailto:d@example.test",
            &["dmarc-unknown-tag foo=bar"],
        );
        check(
            "v=DMARC1; p=reject; reject; rua=mailto:d@example.test",
            &["dmarc-syntax-error reject"],
        );
        check(
            "v=DMARC1; p=reject; p=none; rua=mailto:d@example.test",
            &["dmarc-syntax-error p=none"],
        );
        check(
            "v=DMARC1; p=reject; adkim=strict; aspf=; rua=mailto:d@example.test",
            &[
                "dmarc-syntax-error adkim=strict",
                "dmarc-syntax-error aspf=",
            ],
        );
        check(
            "v=DMARC1; p=reject; fo=1:x; psd=maybe; t=yes; rua=mailto:d@example.test",
            &[
                "dmarc-syntax-error fo=1:x",
                "dmarc-syntax-error psd=maybe",
                "dmarc-syntax-error t=yes",
            ],
        );
        check(
            "v=DMARC1; p-x=reject; =none; p=reject; rua=mailto:d@example.test",
            &["dmarc-syntax-error p-x=reject", "dmarc-syntax-error =none"],
        );
        let record = parse("v=DMARC1; p=reject; adkim=strict");
        assert_eq!(record.diagnostics[0].param("reason"), "value");
        assert_eq!(record.diagnostics[0].param("expected"), "r, s");
    }

    #[test]
    fn characters_outside_the_grammar() {
        let record = "v=DMARC1; p=reject\u{a0}; rua=mailto:d@example.test";
        check(record, &["dmarc-syntax-error p=reject\u{a0}"]);
        let parsed = parse(record);
        assert_eq!(parsed.diagnostics[0].param("character"), "U+00A0");
        assert!(parsed.p.is_invalid());
        assert_eq!(parsed.diagnostics[0].param("reason"), "character");
    }

    #[test]
    fn report_uris() {
        check(
            "v=DMARC1; p=reject; rua=dmarc@example.test",
            &["dmarc-invalid-uri dmarc@example.test"],
        );
        check(
            "v=DMARC1; p=reject; rua=https://example.test/report",
            &["dmarc-invalid-uri https://example.test/report"],
        );
        check(
            "v=DMARC1; p=reject; rua=mailto:example.test",
            &["dmarc-invalid-uri mailto:example.test"],
        );
        check(
            "v=DMARC1; p=reject; rua=mailto:@example.test",
            &["dmarc-invalid-uri mailto:@example.test"],
        );
        check(
            "v=DMARC1; p=reject; rua=mailto:d@localhost",
            &["dmarc-invalid-uri mailto:d@localhost"],
        );
        check(
            "v=DMARC1; p=reject; rua=mailto:d@example.test!10x",
            &["dmarc-invalid-uri mailto:d@example.test!10x"],
        );
        check(
            "v=DMARC1; p=reject; rua=mailto:d@example.test,",
            &["dmarc-invalid-uri ,"],
        );
        check("v=DMARC1; p=reject; rua=", &["dmarc-invalid-uri rua="]);
        check(
            "v=DMARC1; p=reject; rua=mailto:a@example.test mailto:b@example.test",
            &["dmarc-invalid-uri mailto:a@example.test mailto:b@example.test"],
        );
        let record = parse("v=DMARC1; p=reject; rua=mailto:a@example.test,dmarc@example.test");
        let reasons: Vec<&str> = record
            .diagnostics
            .iter()
            .map(|d| d.param("reason"))
            .collect();
        assert_eq!(reasons, ["no-scheme"]);
        let record = parse(
            "v=DMARC1; p=reject; rua=mailto:a%2Bb@Reports.Example.NET!50m, mailto:c@example.test",
        );
        assert!(record.diagnostics.is_empty());
        let rua = record.rua.clone().expect("rua");
        assert_eq!(rua.len(), 2);
        assert_eq!(rua[0].address.as_deref(), Some("a+b@reports.example.net"));
        assert_eq!(rua[0].host.as_deref(), Some("reports.example.net"));
        assert_eq!(rua[0].size_limit.as_deref(), Some("50m"));
        assert_eq!(rua[1].host.as_deref(), Some("example.test"));
        assert!(record.has_valid_rua());
        let reasons = |record: &str| -> Vec<String> {
            parse(record)
                .diagnostics
                .iter()
                .map(|d| d.param("reason").to_owned())
                .collect()
        };
        assert_eq!(
            reasons("v=DMARC1; p=none; rua=https://x.example"),
            ["scheme"]
        );
        assert_eq!(
            reasons("v=DMARC1; p=none; rua=mailto:x.example"),
            ["address"]
        );
        assert_eq!(
            reasons("v=DMARC1; p=none; rua=mailto:a@x.example!k"),
            ["size"]
        );
        assert_eq!(
            reasons("v=DMARC1; p=none; rua=mailto:a@x.example,"),
            ["empty"]
        );
        assert_eq!(
            reasons("v=DMARC1; p=none; rua=mailto:a@x.example mailto:b@x.example"),
            ["space"]
        );
    }

    #[test]
    fn spans_survive_whitespace() {
        let text = "v=DMARC1 ;  p =  rejekt  ; rua=mailto:d@example.test";
        let record = parse(text);
        let span = record.diagnostics[0].span.expect("span");
        assert_eq!(&text[span.start..span.end], "p =  rejekt");
        assert_eq!(record.tags[1].name, "p");
        assert_eq!(record.tags[1].value, "rejekt");
        let value = record.tags[1].value_span;
        assert_eq!(&text[value.start..value.end], "rejekt");
    }

    #[test]
    fn policy_steps() {
        assert_eq!(Policy::None.stricter(), Some(Policy::Quarantine));
        assert_eq!(Policy::Quarantine.stricter(), Some(Policy::Reject));
        assert_eq!(Policy::Reject.stricter(), None);
        assert_eq!(Policy::Reject.milder(), Policy::Quarantine);
        assert_eq!(Policy::Quarantine.milder(), Policy::None);
    }

    #[test]
    fn strings_join_without_separator() {
        let strings = vec![b"v=DMARC1; p=rej".to_vec(), b"ect".to_vec()];
        assert_eq!(crate::dns::join_txt_lossy(&strings), "v=DMARC1; p=reject");
    }
}
