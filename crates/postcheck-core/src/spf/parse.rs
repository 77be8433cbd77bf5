//! The SPF record parser: the whole RFC 7208 §12 grammar, macros (§7) included.
//!
//! It never stops at the first problem. It returns every term it understood, an
//! [`TermKind::Invalid`] placeholder for each it did not, and a [`Finding`] with a byte span for
//! every problem. A record with any finding of severity error evaluates to permerror (§4.6).

use crate::dns::RecordData;
use crate::findings::{Code, Finding, Severity, Span};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A parsed SPF record: the text as shown (TXT strings joined), its terms and diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfRecord {
    /// The record as shown: its TXT strings joined (§3.3).
    pub text: String,
    /// The byte offsets in `text` where one TXT character-string ended and the next began.
    pub string_boundaries: Vec<usize>,
    /// Every term in order; [`TermKind::Invalid`] for those that do not parse.
    pub terms: Vec<Term>,
    /// Every problem found, each with a span into `text`.
    pub diagnostics: Vec<Finding>,
}

/// One term of the record, with its span in the record text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Where the term stands in the record text.
    pub span: Span,
    /// What the term is.
    pub kind: TermKind,
}

/// What a term is: a directive or a modifier (§4.6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// A mechanism with its qualifier (§4.6.2).
    Directive(Directive),
    /// `redirect=` (§6.1).
    Redirect(MacroString),
    /// `exp=` (§6.2).
    Explanation(MacroString),
    /// Any other `name=value`: ignored by evaluation (§6).
    UnknownModifier {
        /// The modifier's name as written.
        name: String,
        /// The modifier's value.
        value: MacroString,
    },
    /// A term that does not parse; its finding says why.
    Invalid,
}

/// A qualifier and a mechanism (§4.6.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The result when the mechanism matches; [`Qualifier::Pass`] when none is written.
    pub qualifier: Qualifier,
    /// Whether the qualifier was written out (`+all` vs `all`).
    pub explicit_qualifier: bool,
    /// What is tested against the sending IP.
    pub mechanism: Mechanism,
}

/// The four qualifiers (§4.6.2); `+` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// `+`: pass.
    Pass,
    /// `-`: fail.
    Fail,
    /// `~`: softfail.
    SoftFail,
    /// `?`: neutral.
    Neutral,
}

impl Qualifier {
    /// The qualifier's character: `+`, `-`, `~` or `?`.
    pub fn symbol(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }
}

/// The mechanisms of §5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mechanism {
    /// `all`: always matches (§5.1).
    All,
    /// `include:<domain-spec>`: matches when the named domain's record passes (§5.2).
    Include(MacroString),
    /// `a[:<domain-spec>][<dual-cidr>]`: matches the name's A or AAAA addresses (§5.3).
    A {
        /// The name to look up; the checked domain when absent.
        domain: Option<MacroString>,
        /// The prefix lengths to compare the addresses with.
        cidr: DualCidr,
    },
    /// `mx[:<domain-spec>][<dual-cidr>]`: matches the addresses of the name's MX hosts (§5.4).
    Mx {
        /// The name whose MX hosts are looked up; the checked domain when absent.
        domain: Option<MacroString>,
        /// The prefix lengths to compare the addresses with.
        cidr: DualCidr,
    },
    /// `ptr[:<domain-spec>]`: matches a validated reverse name under the domain (§5.5), which
    /// RFC 7208 says SHOULD NOT be published.
    Ptr(Option<MacroString>),
    /// `ip4:<address>[/<prefix>]`: matches an IPv4 network (§5.6).
    Ip4 {
        /// The network's address as written.
        address: Ipv4Addr,
        /// The prefix length, 32 when none is written.
        prefix: u8,
    },
    /// `ip6:<address>[/<prefix>]`: matches an IPv6 network (§5.6).
    Ip6 {
        /// The network's address as written.
        address: Ipv6Addr,
        /// The prefix length, 128 when none is written.
        prefix: u8,
    },
    /// `exists:<domain-spec>`: matches when the expanded name has an A record (§5.7).
    Exists(MacroString),
}

impl Mechanism {
    /// The lowercase mechanism name.
    pub fn name(&self) -> &'static str {
        match self {
            Mechanism::All => "all",
            Mechanism::Include(_) => "include",
            Mechanism::A { .. } => "a",
            Mechanism::Mx { .. } => "mx",
            Mechanism::Ptr(_) => "ptr",
            Mechanism::Ip4 { .. } => "ip4",
            Mechanism::Ip6 { .. } => "ip6",
            Mechanism::Exists(_) => "exists",
        }
    }

    /// Whether evaluating it queries DNS and so counts toward the limit of 10 (§4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }
}

/// The prefix lengths of `a` and `mx` (§5.3, §5.4); absent means /32 and /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DualCidr {
    /// The IPv4 prefix length (`/24`); `None` means /32.
    pub ip4: Option<u8>,
    /// The IPv6 prefix length (`//64`); `None` means /128.
    pub ip6: Option<u8>,
}

/// A macro-string (§7.1), kept as parsed pieces with the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroString {
    /// The macro-string as written.
    pub text: String,
    /// Where it stands in the record text.
    pub span: Span,
    /// Its literal text and macros, in order.
    pub pieces: Vec<MacroPiece>,
}

impl MacroString {
    /// Whether expansion depends on the message (any `%{...}`), so it cannot be resolved
    /// statically.
    pub fn has_macros(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, MacroPiece::Expand(_)))
    }

    /// The literal text, when the string holds no `%{...}` macro.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                MacroPiece::Literal(text) => out.push_str(text),
                MacroPiece::Expand(_) => return None,
            }
        }
        Some(out)
    }
}

/// A piece of a macro-string: literal text or one macro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MacroPiece {
    /// Literal text; `%%`, `%_` and `%-` are already decoded to `%`, space and `%20`.
    Literal(String),
    /// A `%{...}` macro, expanded at evaluation (§7.3).
    Expand(MacroExpand),
}

/// One `%{...}` (§7.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroExpand {
    /// The macro letter, lowercased.
    pub letter: char,
    /// An uppercase letter asks for URL escaping (§7.3).
    pub url_escape: bool,
    /// How many of the rightmost parts to keep (`%{d2}`); all when `None` (§7.3).
    pub digits: Option<usize>,
    /// `r`: the parts are reversed before `digits` applies (§7.3).
    pub reverse: bool,
    /// The delimiters to split on; empty means `.`.
    pub delimiters: String,
}

/// Where a macro-string appears: `exp` text may use `c`, `r` and `t` (§7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacroContext {
    /// A `domain-spec`: the target of a mechanism or modifier (§7.1).
    DomainSpec,
    /// The text of the TXT record `exp=` names (§6.2), which may use `c`, `r` and `t` (§7.2).
    Explanation,
}

/// Finds the SPF record among the TXT records of a name (§4.5): the records that begin with
/// `v=spf1` followed by a space or the end, case-insensitively.
pub fn is_spf_record(joined: &[u8]) -> bool {
    let version = b"v=spf1";
    joined.len() >= version.len()
        && joined[..version.len()].eq_ignore_ascii_case(version)
        && (joined.len() == version.len() || joined[version.len()] == b' ')
}

/// The SPF records among a name's TXT records (RFC 7208 §4.5: those whose joined strings begin
/// with "v=spf1"; exactly one must), each as its character-strings.
pub fn spf_records(records: &[RecordData]) -> Vec<&Vec<Vec<u8>>> {
    records
        .iter()
        .filter_map(|r| match r {
            RecordData::Txt(strings) if is_spf_record(&join_strings(strings).0) => Some(strings),
            _ => None,
        })
        .collect()
}

/// [`crate::dns::join_txt`] that also remembers where each string ended (RFC 7208 §3.3), for
/// the `spf-split-strings` hint.
pub fn join_strings(strings: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
    let mut joined = Vec::new();
    let mut boundaries = Vec::new();
    for (index, string) in strings.iter().enumerate() {
        if index > 0 {
            boundaries.push(joined.len());
        }
        joined.extend_from_slice(string);
    }
    (joined, boundaries)
}

/// Parses one TXT record's strings as an SPF record.
pub fn parse_strings(strings: &[Vec<u8>]) -> SpfRecord {
    let (joined, boundaries) = join_strings(strings);
    let mut record = parse_bytes(&joined);
    record.string_boundaries = boundaries;
    flag_split_strings(&mut record);
    record
}

/// Parses record text. Bytes that are not ASCII are kept (shown lossily) and flagged.
pub fn parse_bytes(bytes: &[u8]) -> SpfRecord {
    // Non-UTF-8 bytes become U+FFFD; each such byte is outside the §12 grammar anyway and is
    // flagged on the term that holds it.
    let text = String::from_utf8_lossy(bytes).into_owned();
    parse(&text)
}

/// At most this many diagnostics of one record are listed one by one; the rest are counted in
/// one `spf-findings-capped` at the end, as severe as the worst of them. A record with thousands
/// of broken terms is an accident or an attack, its first problems say what to fix, and a
/// finding per term would make every reader of the report (and the editor) pay per term.
pub const DIAGNOSTIC_LIMIT: usize = 32;

/// Adds `finding` to `diagnostics`, or counts it in the closing `spf-findings-capped` when
/// [`DIAGNOSTIC_LIMIT`] are listed already.
fn push_capped(diagnostics: &mut Vec<Finding>, finding: Finding) {
    count_capped(diagnostics, 1, finding.severity, |diagnostics| {
        diagnostics.push(finding)
    });
}

/// Counts `count` diagnostics of `severity` in the closing `spf-findings-capped` when the list is
/// full, else lets `push` list them.
fn count_capped(
    diagnostics: &mut Vec<Finding>,
    count: usize,
    severity: Severity,
    push: impl FnOnce(&mut Vec<Finding>),
) {
    let capped = diagnostics
        .last()
        .is_some_and(|last| last.code == Code::SpfFindingsCapped);
    if !capped && diagnostics.len() < DIAGNOSTIC_LIMIT {
        push(diagnostics);
        return;
    }
    if !capped {
        diagnostics.push(Finding::new(Code::SpfFindingsCapped).with("count", 0));
    }
    let summary = diagnostics.last_mut().expect("just pushed");
    let before: usize = summary.param("count").parse().unwrap_or(0);
    summary
        .params
        .insert("count".into(), (before + count).to_string());
    // The summary is first made with the code's own severity (an error); a list of warnings
    // only must not turn the record into a permerror.
    summary.severity = if before == 0 {
        severity
    } else {
        summary.severity.max(severity)
    };
}

/// Parses record text (which should start with `v=spf1`).
pub fn parse(text: &str) -> SpfRecord {
    let mut parser = Parser {
        text,
        diagnostics: Vec::new(),
        overflow: None,
        suppressed: (0, Severity::Ok),
    };
    let terms = parser.record();
    parser.settle();
    let (count, severity) = parser.suppressed;
    if count > 0 {
        count_capped(&mut parser.diagnostics, count, severity, |_| {
            unreachable!("the list is full")
        });
    }
    SpfRecord {
        text: text.to_owned(),
        string_boundaries: Vec::new(),
        terms,
        diagnostics: parser.diagnostics,
    }
}

struct Parser<'a> {
    text: &'a str,
    diagnostics: Vec<Finding>,
    /// The diagnostic being made beyond [`DIAGNOSTIC_LIMIT`]: the caller may still change it
    /// (its severity, its parameters), so it is counted by [`Parser::settle`] afterwards.
    overflow: Option<Finding>,
    /// How many diagnostics beyond the limit, and the worst severity among them.
    suppressed: (usize, Severity),
}

impl Parser<'_> {
    fn error(&mut self, code: Code, span: Span, term: &str) -> &mut Finding {
        self.settle();
        if self.diagnostics.len() >= DIAGNOSTIC_LIMIT {
            return self.overflow.insert(Finding::new(code));
        }
        self.diagnostics
            .push(Finding::new(code).with_span(span).with("term", term));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Adds a finished diagnostic (within the limit) or counts it.
    fn note(&mut self, finding: Finding) {
        self.settle();
        push_capped(&mut self.diagnostics, finding);
    }

    /// Counts the last diagnostic made beyond the limit.
    fn settle(&mut self) {
        if let Some(finding) = self.overflow.take() {
            let (count, severity) = self.suppressed;
            self.suppressed = (count + 1, severity.max(finding.severity));
        }
    }

    fn record(&mut self) -> Vec<Term> {
        let text = self.text;
        let mut terms = Vec::new();
        // The version (§4.5) is matched by record selection; a record that reaches the parser
        // without it is still parsed, with the problem flagged on its first token.
        let version_end = text.find(' ').unwrap_or(text.len());
        if !text[..version_end].eq_ignore_ascii_case("v=spf1") {
            self.error(
                Code::SpfSyntaxError,
                Span::new(0, version_end),
                &text[..version_end],
            )
            .params
            .insert("reason".into(), "version".into());
        }
        // Terms are separated by one or more SP (§12: `terms = *( 1*SP ( directive / modifier ) )`);
        // any other whitespace or control character is part of a term and makes it invalid.
        let mut position = version_end;
        let bytes = text.as_bytes();
        while position < text.len() {
            if bytes[position] == b' ' {
                position += 1;
                continue;
            }
            let end = text[position..]
                .find(' ')
                .map_or(text.len(), |i| position + i);
            let span = Span::new(position, end);
            let kind = self.term(&text[position..end], position);
            terms.push(Term { span, kind });
            position = end;
        }
        self.check_modifiers(&terms);
        terms
    }

    fn term(&mut self, term: &str, offset: usize) -> TermKind {
        let span = Span::new(offset, offset + term.len());
        if let Some(bad) = term.char_indices().find(|(_, c)| !(' '..='~').contains(c)) {
            // §12: every term is built from printable US-ASCII.
            let finding = self.error(Code::SpfSyntaxError, span, term);
            finding.params.insert("reason".into(), "character".into());
            finding
                .params
                .insert("position".into(), (offset + bad.0).to_string());
            return TermKind::Invalid;
        }
        // A modifier is `name "=" ...` with name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
        let name_end = term
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .unwrap_or(term.len());
        if term[name_end..].starts_with('=') {
            let name = &term[..name_end];
            if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
                self.error(Code::SpfSyntaxError, span, term);
                return TermKind::Invalid;
            }
            return self.modifier(term, offset, name, name_end);
        }
        self.directive(term, offset)
    }

    fn modifier(&mut self, term: &str, offset: usize, name: &str, name_end: usize) -> TermKind {
        let value_offset = offset + name_end + 1;
        let value_text = &term[name_end + 1..];
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "redirect" | "exp" => {
                match self.domain_spec(term, value_text, value_offset, MacroContext::DomainSpec) {
                    Some(value) if lower == "redirect" => TermKind::Redirect(value),
                    Some(value) => TermKind::Explanation(value),
                    None => TermKind::Invalid,
                }
            }
            _ => {
                match self.macro_string(term, value_text, value_offset, MacroContext::DomainSpec) {
                    Some(value) => {
                        let span = Span::new(offset, offset + term.len());
                        self.note(
                            Finding::new(Code::SpfUnknownModifier)
                                .with_span(span)
                                .with("term", term)
                                .with("modifier", name),
                        );
                        TermKind::UnknownModifier {
                            name: name.to_owned(),
                            value,
                        }
                    }
                    None => TermKind::Invalid,
                }
            }
        }
    }

    fn directive(&mut self, term: &str, offset: usize) -> TermKind {
        let span = Span::new(offset, offset + term.len());
        let (qualifier, explicit_qualifier, rest, rest_offset) = match term.as_bytes().first() {
            Some(b'+') => (Qualifier::Pass, true, &term[1..], offset + 1),
            Some(b'-') => (Qualifier::Fail, true, &term[1..], offset + 1),
            Some(b'~') => (Qualifier::SoftFail, true, &term[1..], offset + 1),
            Some(b'?') => (Qualifier::Neutral, true, &term[1..], offset + 1),
            _ => (Qualifier::Pass, false, term, offset),
        };
        let name_end = rest.find([':', '/']).unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        let arguments = &rest[name_end..];
        let arguments_offset = rest_offset + name_end;
        let mechanism = match name.as_str() {
            "all" => {
                if !arguments.is_empty() {
                    self.error(Code::SpfSyntaxError, span, term);
                    return TermKind::Invalid;
                }
                Some(Mechanism::All)
            }
            "include" | "exists" => {
                let Some(value) = arguments.strip_prefix(':') else {
                    self.error(Code::SpfSyntaxError, span, term)
                        .params
                        .insert("reason".into(), "domain-required".into());
                    return TermKind::Invalid;
                };
                self.domain_spec(term, value, arguments_offset + 1, MacroContext::DomainSpec)
                    .map(|domain| {
                        if name == "include" {
                            Mechanism::Include(domain)
                        } else {
                            Mechanism::Exists(domain)
                        }
                    })
            }
            "a" | "mx" => self.a_or_mx(term, &name, arguments, arguments_offset),
            "ptr" => {
                self.note(
                    Finding::new(Code::SpfPtrDeprecated)
                        .with_span(span)
                        .with("term", term),
                );
                if arguments.is_empty() {
                    Some(Mechanism::Ptr(None))
                } else if let Some(value) = arguments.strip_prefix(':') {
                    self.domain_spec(term, value, arguments_offset + 1, MacroContext::DomainSpec)
                        .map(|domain| Mechanism::Ptr(Some(domain)))
                } else {
                    self.error(Code::SpfSyntaxError, span, term);
                    None
                }
            }
            "ip4" | "ip6" => self.ip(term, &name, arguments, arguments_offset),
            _ => {
                let valid_name = !name.is_empty()
                    && name.as_bytes()[0].is_ascii_alphabetic()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
                if valid_name {
                    self.error(Code::SpfUnknownMechanism, span, term)
                        .params
                        .insert("name".into(), rest[..name_end].to_owned());
                } else {
                    self.error(Code::SpfSyntaxError, span, term);
                }
                None
            }
        };
        match mechanism {
            Some(mechanism) => TermKind::Directive(Directive {
                qualifier,
                explicit_qualifier,
                mechanism,
            }),
            None => TermKind::Invalid,
        }
    }

    fn a_or_mx(
        &mut self,
        term: &str,
        name: &str,
        arguments: &str,
        offset: usize,
    ) -> Option<Mechanism> {
        // `a [ ":" domain-spec ] [ dual-cidr-length ]` (§5.3, §5.4). The CIDR suffix is read
        // from the end, since a domain-spec may itself hold `/` (§7.1 macro-literal).
        let (domain_text, cidr_text) = split_dual_cidr(arguments);
        let cidr_offset = offset + domain_text.len();
        let cidr = self.dual_cidr(term, cidr_text, cidr_offset)?;
        let domain = if domain_text.is_empty() {
            None
        } else if let Some(value) = domain_text.strip_prefix(':') {
            Some(self.domain_spec(term, value, offset + 1, MacroContext::DomainSpec)?)
        } else {
            self.error(
                Code::SpfSyntaxError,
                Span::new(offset - name.len(), offset + arguments.len()),
                term,
            );
            return None;
        };
        Some(if name == "a" {
            Mechanism::A { domain, cidr }
        } else {
            Mechanism::Mx { domain, cidr }
        })
    }

    fn dual_cidr(&mut self, term: &str, text: &str, offset: usize) -> Option<DualCidr> {
        let mut cidr = DualCidr::default();
        if text.is_empty() {
            return Some(cidr);
        }
        let (ip4_text, ip6_text) = match text.find("//") {
            Some(index) => (&text[..index], Some(&text[index + 1..])),
            None => (text, None),
        };
        if !ip4_text.is_empty() {
            cidr.ip4 = Some(self.prefix(term, ip4_text, offset, 32)?);
        }
        if let Some(ip6_text) = ip6_text {
            cidr.ip6 = Some(self.prefix(term, ip6_text, offset + ip4_text.len() + 1, 128)?);
        }
        Some(cidr)
    }

    /// One `"/" length` with its range check (§5.6: ip4-cidr-length 0-32, ip6-cidr-length 0-128;
    /// §12: no leading zeros).
    fn prefix(&mut self, term: &str, text: &str, offset: usize, max: u32) -> Option<u8> {
        let span = Span::new(offset, offset + text.len());
        let digits = text.strip_prefix('/').unwrap_or(text);
        let well_formed = !digits.is_empty()
            && digits.len() <= 3
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > 1 && digits.starts_with('0'));
        if !well_formed {
            self.error(Code::SpfSyntaxError, span, term);
            return None;
        }
        let value: u32 = digits.parse().ok()?;
        if value > max {
            let finding = self.error(Code::SpfInvalidCidr, span, term);
            finding.params.insert("prefix".into(), value.to_string());
            finding.params.insert("max".into(), max.to_string());
            return None;
        }
        Some(value as u8)
    }

    fn ip(&mut self, term: &str, name: &str, arguments: &str, offset: usize) -> Option<Mechanism> {
        let Some(value) = arguments.strip_prefix(':') else {
            self.error(
                Code::SpfSyntaxError,
                Span::new(offset - name.len(), offset + arguments.len()),
                term,
            )
            .params
            .insert("reason".into(), "address-required".into());
            return None;
        };
        let value_offset = offset + 1;
        // Neither address family holds a `/`: the first one starts the prefix, and a second one
        // (`//32`) is a syntax error found by `prefix`.
        let (address_text, prefix_text) = match value.find('/') {
            Some(index) => (&value[..index], Some(&value[index..])),
            None => (value, None),
        };
        let address_span = Span::new(value_offset, value_offset + address_text.len());
        let prefix_offset = value_offset + address_text.len();
        let max = if name == "ip4" { 32 } else { 128 };
        let prefix = match prefix_text {
            Some(text) => self.prefix(term, text, prefix_offset, max),
            None => Some(max as u8),
        };
        if name == "ip4" {
            match address_text.parse::<Ipv4Addr>() {
                Ok(address) => prefix.map(|prefix| Mechanism::Ip4 { address, prefix }),
                Err(_) => {
                    self.error(Code::SpfInvalidIp, address_span, term)
                        .params
                        .insert("address".into(), address_text.to_owned());
                    None
                }
            }
        } else {
            match address_text.parse::<Ipv6Addr>() {
                Ok(address) => prefix.map(|prefix| Mechanism::Ip6 { address, prefix }),
                Err(_) => {
                    self.error(Code::SpfInvalidIp, address_span, term)
                        .params
                        .insert("address".into(), address_text.to_owned());
                    None
                }
            }
        }
    }

    /// `domain-spec = macro-string domain-end` (§7.1, §12).
    fn domain_spec(
        &mut self,
        term: &str,
        text: &str,
        offset: usize,
        context: MacroContext,
    ) -> Option<MacroString> {
        let span = Span::new(offset, offset + text.len());
        if text.is_empty() {
            self.error(
                Code::SpfSyntaxError,
                Span::new(offset.saturating_sub(1), offset),
                term,
            )
            .params
            .insert("reason".into(), "domain-required".into());
            return None;
        }
        let value = self.macro_string(term, text, offset, context)?;
        if !domain_end_is_valid(&value) {
            self.error(Code::SpfSyntaxError, span, term)
                .params
                .insert("reason".into(), "domain".into());
            return None;
        }
        Some(value)
    }

    /// `macro-string = *( macro-expand / macro-literal )` (§7.1).
    fn macro_string(
        &mut self,
        term: &str,
        text: &str,
        offset: usize,
        context: MacroContext,
    ) -> Option<MacroString> {
        match parse_macro_string(text, context) {
            Ok(pieces) => {
                // One finding for the macro-string, however many `%{p}` it holds: one per macro
                // copied the term once each, quadratic in a hostile term (issue 13 part 4).
                let uses_p = pieces.iter().any(
                    |piece| matches!(piece, MacroPiece::Expand(expand) if expand.letter == 'p'),
                );
                if uses_p {
                    self.note(
                        Finding::new(Code::SpfPtrDeprecated)
                            .with_span(Span::new(offset, offset + text.len()))
                            .with("term", term),
                    );
                }
                Some(MacroString {
                    text: text.to_owned(),
                    span: Span::new(offset, offset + text.len()),
                    pieces,
                })
            }
            Err(error) => {
                let span = Span::new(offset + error.start, offset + error.end);
                let finding = self.error(Code::SpfInvalidMacro, span, term);
                finding
                    .params
                    .insert("macro".into(), text[error.start..error.end].to_owned());
                None
            }
        }
    }

    /// §6: `redirect` and `exp` each appear at most once.
    fn check_modifiers(&mut self, terms: &[Term]) {
        let mut seen_redirect = false;
        let mut seen_exp = false;
        for term in terms {
            let (seen, name) = match term.kind {
                TermKind::Redirect(_) => (&mut seen_redirect, "redirect"),
                TermKind::Explanation(_) => (&mut seen_exp, "exp"),
                _ => continue,
            };
            if *seen {
                let text = &self.text[term.span.start..term.span.end];
                self.note(
                    Finding::new(Code::SpfDuplicateModifier)
                        .with_span(term.span)
                        .with("term", text)
                        .with("modifier", name),
                );
            }
            *seen = true;
        }
    }
}

/// Splits `[":" domain] [dual-cidr]` into the domain part and the CIDR suffix, read from the end:
/// `/24`, `//64` or `/24//64`.
fn split_dual_cidr(arguments: &str) -> (&str, &str) {
    let bytes = arguments.as_bytes();
    let mut end = bytes.len();
    // Strip trailing digits, then expect '/' (and maybe another '/').
    let strip_one = |end: usize| -> Option<(usize, bool)> {
        let mut start = end;
        while start > 0 && bytes[start - 1].is_ascii_digit() {
            start -= 1;
        }
        if start == end || start == 0 || bytes[start - 1] != b'/' {
            return None;
        }
        let slash = start - 1;
        let double = slash > 0 && bytes[slash - 1] == b'/';
        Some((if double { slash - 1 } else { slash }, double))
    };
    if let Some((start, double)) = strip_one(end) {
        end = start;
        if double && let Some((start4, false)) = strip_one(end) {
            end = start4;
        }
    }
    (&arguments[..end], &arguments[end..])
}

/// A macro syntax error: the byte range of the offending macro within the macro-string. Both
/// ends are character boundaries of the macro-string, so slicing it with them cannot panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MacroError {
    /// The offset of the macro's first byte.
    pub start: usize,
    /// The offset just after the macro's last byte.
    pub end: usize,
}

/// The length in bytes of the character that starts at byte `index` of `text` (a boundary).
fn char_len_at(text: &str, index: usize) -> usize {
    text[index..].chars().next().map_or(0, char::len_utf8)
}

/// Parses a macro-string into pieces (§7.1).
pub fn parse_macro_string(
    text: &str,
    context: MacroContext,
) -> Result<Vec<MacroPiece>, MacroError> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte != b'%' {
            // macro-literal = %x21-24 / %x26-7E; in explanation text, spaces are literal too.
            let allowed = (0x21..=0x7e).contains(&byte)
                || (context == MacroContext::Explanation && byte == b' ');
            if !allowed {
                // The span covers the whole character, never a part of it.
                return Err(MacroError {
                    start: index,
                    end: index + char_len_at(text, index),
                });
            }
            literal.push(byte as char);
            index += 1;
            continue;
        }
        match bytes.get(index + 1) {
            Some(b'%') => {
                literal.push('%');
                index += 2;
            }
            Some(b'_') => {
                literal.push(' ');
                index += 2;
            }
            Some(b'-') => {
                literal.push_str("%20");
                index += 2;
            }
            Some(b'{') => {
                let close = text[index..].find('}').map(|i| index + i);
                let Some(close) = close else {
                    return Err(MacroError {
                        start: index,
                        end: bytes.len(),
                    });
                };
                let expand =
                    parse_macro_expand(&text[index + 2..close], context).ok_or(MacroError {
                        start: index,
                        end: close + 1,
                    })?;
                if !literal.is_empty() {
                    pieces.push(MacroPiece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(MacroPiece::Expand(expand));
                index = close + 1;
            }
            _ => {
                // `%` and the character after it (if any), whole.
                let next = index + 1;
                let end = if next < bytes.len() {
                    next + char_len_at(text, next)
                } else {
                    next
                };
                return Err(MacroError { start: index, end });
            }
        }
    }
    if !literal.is_empty() {
        pieces.push(MacroPiece::Literal(literal));
    }
    Ok(pieces)
}

/// The inside of `%{...}`: `macro-letter transformers *delimiter` (§7.1).
fn parse_macro_expand(inner: &str, context: MacroContext) -> Option<MacroExpand> {
    let mut chars = inner.chars();
    let letter_raw = chars.next()?;
    let letter = letter_raw.to_ascii_lowercase();
    let allowed = match context {
        MacroContext::DomainSpec => "slodiphv",
        // §7.2: c, r and t are only allowed in "exp" text.
        MacroContext::Explanation => "slodiphvcrt",
    };
    if !letter_raw.is_ascii_alphabetic() || !allowed.contains(letter) {
        return None;
    }
    let rest = chars.as_str();
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let digits = if digits_end > 0 {
        let value: usize = rest[..digits_end].parse().ok()?;
        // §7.3: "If a DIGIT is specified, the value MUST be nonzero."
        if value == 0 {
            return None;
        }
        Some(value)
    } else {
        None
    };
    let mut rest = &rest[digits_end..];
    let reverse = if let Some(stripped) = rest.strip_prefix(['r', 'R']) {
        rest = stripped;
        true
    } else {
        false
    };
    if !rest.chars().all(|c| ".-+,/_=".contains(c)) {
        return None;
    }
    Some(MacroExpand {
        letter,
        url_escape: letter_raw.is_ascii_uppercase(),
        digits,
        reverse,
        delimiters: rest.to_owned(),
    })
}

/// `domain-end = ( "." toplabel [ "." ] ) / macro-expand` (§7.1), plus the label rules the
/// evaluator would otherwise hit later: no empty label inside a literal name.
fn domain_end_is_valid(value: &MacroString) -> bool {
    match value.pieces.last() {
        Some(MacroPiece::Expand(_)) => true,
        Some(MacroPiece::Literal(text)) => {
            let text = text.strip_suffix('.').unwrap_or(text);
            let Some(dot) = text.rfind('.') else {
                return false;
            };
            let toplabel = &text[dot + 1..];
            if !is_toplabel(toplabel) {
                return false;
            }
            // A fully literal name with an empty label cannot be queried.
            if value.pieces.len() == 1 && text.split('.').any(str::is_empty) {
                return false;
            }
            true
        }
        None => false,
    }
}

/// `toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )`.
fn is_toplabel(label: &str) -> bool {
    let bytes = label.as_bytes();
    if bytes.is_empty()
        || !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        return false;
    }
    if !bytes.contains(&b'-') {
        return bytes.iter().any(u8::is_ascii_alphabetic);
    }
    bytes[0].is_ascii_alphanumeric() && bytes[bytes.len() - 1].is_ascii_alphanumeric()
}

/// Adds `spf-split-strings` where a TXT string boundary falls inside a term that did not parse:
/// the join of §3.3 glued two terms together.
///
/// Linear in the size of the record: terms are in order and apart, so each boundary and each
/// error finds its term by binary search (a scan of every finding per term made a hostile
/// record of many invalid terms quadratic, issue 13 part 4).
fn flag_split_strings(record: &mut SpfRecord) {
    if record.string_boundaries.is_empty() {
        return;
    }
    // The term whose span holds `at` (ends included): the last one that starts at or before it.
    let term_at = |at: usize| -> Option<usize> {
        let index = record
            .terms
            .partition_point(|term| term.span.start <= at)
            .checked_sub(1)?;
        (at <= record.terms[index].span.end).then_some(index)
    };
    let mut split = vec![false; record.terms.len()];
    for &boundary in &record.string_boundaries {
        if let Some(index) = term_at(boundary) {
            let span = record.terms[index].span;
            split[index] |= boundary > span.start && boundary < span.end;
        }
    }
    let mut broken = vec![false; record.terms.len()];
    for diagnostic in &record.diagnostics {
        if diagnostic.severity != Severity::Error {
            continue;
        }
        if let Some(span) = diagnostic.span
            && let Some(index) = term_at(span.start)
            && span.end <= record.terms[index].span.end
        {
            broken[index] = true;
        }
    }
    let mut hints = Vec::new();
    for (index, term) in record.terms.iter().enumerate() {
        if split[index] && broken[index] {
            let text = &record.text[term.span.start..term.span.end];
            hints.push(
                Finding::new(Code::SpfSplitStrings)
                    .with_span(term.span)
                    .with("term", text),
            );
        }
    }
    for hint in hints {
        push_capped(&mut record.diagnostics, hint);
    }
}

impl SpfRecord {
    /// Whether the record has a syntax problem that makes evaluation a permerror (§4.6).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The text of a term.
    pub fn term_text(&self, term: &Term) -> &str {
        &self.text[term.span.start..term.span.end]
    }

    /// The directives, in order.
    pub fn directives(&self) -> impl Iterator<Item = (&Term, &Directive)> {
        self.terms.iter().filter_map(|term| match &term.kind {
            TermKind::Directive(directive) => Some((term, directive)),
            _ => None,
        })
    }

    /// The `redirect=` modifier, if any (the first one).
    pub fn redirect(&self) -> Option<(&Term, &MacroString)> {
        self.terms.iter().find_map(|term| match &term.kind {
            TermKind::Redirect(domain) => Some((term, domain)),
            _ => None,
        })
    }

    /// The `exp=` modifier, if any (the first one).
    pub fn explanation(&self) -> Option<&MacroString> {
        self.terms.iter().find_map(|term| match &term.kind {
            TermKind::Explanation(domain) => Some(domain),
            _ => None,
        })
    }

    /// The `all` directive, if any.
    pub fn all(&self) -> Option<(&Term, &Directive)> {
        self.directives()
            .find(|(_, d)| d.mechanism == Mechanism::All)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `record` and returns `code@start..end` for every diagnostic.
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
        check("v=spf1 -all", &[]);
        check(
            "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx/24//64 include:_spf.example.com ~all",
            &[],
        );
        check(
            "v=spf1 a:%{d}.example.com exists:%{ir}.%{v}._spf.%{d2} -all",
            &[],
        );
        check("V=SPF1 MX -ALL", &[]);
        check("v=spf1", &[]);
        check("v=spf1  a   -all ", &[]);
    }

    #[test]
    fn spans_point_at_the_problem() {
        check(
            "v=spf1 ip4:192.0.2.300 -all",
            &["spf-invalid-ip 192.0.2.300"],
        );
        check("v=spf1 ip4:192.0.2.0/33 -all", &["spf-invalid-cidr /33"]);
        check("v=spf1 ip6:2001:db8::/129", &["spf-invalid-cidr /129"]);
        check(
            "v=spf1 ipv4:192.0.2.1 -all",
            &["spf-unknown-mechanism ipv4:192.0.2.1"],
        );
        check(
            "v=spf1 exists:%{x}.example.com",
            &["spf-invalid-macro %{x}"],
        );
        check(
            "v=spf1 redirect=a.example redirect=b.example",
            &["spf-duplicate-modifier redirect=b.example"],
        );
        check("v=spf1 foo=bar -all", &["spf-unknown-modifier foo=bar"]);
        check("v=spf1 ptr -all", &["spf-ptr-deprecated ptr"]);
        check("v=spf1 include: -all", &["spf-syntax-error :"]);
        check("v=spf1 -all/8", &["spf-syntax-error -all/8"]);
    }

    #[test]
    fn it_keeps_going_after_the_first_error() {
        check(
            "v=spf1 ip4:1.2.3.4/33 ipv4:1.2.3.4 a:%{z}.example.com -all",
            &[
                "spf-invalid-cidr /33",
                "spf-unknown-mechanism ipv4:1.2.3.4",
                "spf-invalid-macro %{z}",
            ],
        );
        let parsed = parse("v=spf1 ip4:1.2.3.4/33 ipv4:1.2.3.4 -all");
        assert_eq!(parsed.terms.len(), 3);
        assert!(matches!(parsed.terms[2].kind, TermKind::Directive(_)));
    }

    #[test]
    fn split_strings_explain_a_broken_join() {
        let parsed = parse_strings(&[
            b"v=spf1 ip4:192.0.2.1".to_vec(),
            b"include:_spf.example.com -all".to_vec(),
        ]);
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&"spf-split-strings"), "{codes:?}");
        let split = parsed
            .diagnostics
            .iter()
            .find(|d| d.code == Code::SpfSplitStrings)
            .unwrap();
        let span = split.span.unwrap();
        assert_eq!(
            &parsed.text[span.start..span.end],
            "ip4:192.0.2.1include:_spf.example.com"
        );
        // A clean split is no problem at all.
        let clean = parse_strings(&[
            b"v=spf1 ip4:192.0.2.1 ".to_vec(),
            b"include:_spf.example.com -all".to_vec(),
        ]);
        assert!(clean.diagnostics.is_empty());
    }

    #[test]
    fn cidr_suffixes_are_read_from_the_end() {
        assert_eq!(
            split_dual_cidr(":example.com/24//64"),
            (":example.com", "/24//64")
        );
        assert_eq!(split_dual_cidr("//64"), ("", "//64"));
        assert_eq!(split_dual_cidr("/24"), ("", "/24"));
        assert_eq!(
            split_dual_cidr(":foo:bar/baz.example.com"),
            (":foo:bar/baz.example.com", "")
        );
    }
}
