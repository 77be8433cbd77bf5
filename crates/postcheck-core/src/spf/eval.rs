//! `check_host()` of RFC 7208 §4 as a sans-IO state machine, with a trace of every step.
//!
//! The evaluation is a pure function of its input and an [`AnswerCache`]: it runs until it needs
//! an answer the cache lacks and then reports every query it can already name (the missing one
//! plus the literal targets of the record being evaluated). The driver answers them and steps
//! again; the evaluation replays from the start on the fuller cache. Replaying is cheap (a record
//! tree has a few dozen terms) and makes the result depend on the answers alone.

use super::macros::{MacroValues, expand, truncate_domain};
use super::parse::{self, Directive, MacroString, Mechanism, Qualifier, SpfRecord, TermKind};
use super::{LOOKUP_LIMIT, MX_NAME_LIMIT, NODE_LIMIT, VOID_LOOKUP_LIMIT};
use crate::dns::name::{ip_in_network, is_queryable_name, is_valid_check_domain, reverse_name};
use crate::dns::{Answer, AnswerCache, Query, RecordData, RecordType, normalize_name};
use crate::findings::{Code, Finding, Span};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// The results of §2.6, named as in the RFC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpfResult {
    /// No SPF record, or no domain that can be checked (§2.6.1).
    None,
    /// The domain says nothing about the address: `?`, or no term matched (§2.6.2).
    Neutral,
    /// The address is authorized (§2.6.3).
    Pass,
    /// The address is explicitly not authorized (§2.6.4).
    Fail,
    /// The address is probably not authorized, but the domain asks not to reject (§2.6.5).
    #[serde(rename = "softfail")]
    SoftFail,
    /// A transient error, usually DNS; a later check may give a result (§2.6.6).
    #[serde(rename = "temperror")]
    TempError,
    /// The domain's records cannot be interpreted: a syntax error or a limit exceeded (§2.6.7).
    #[serde(rename = "permerror")]
    PermError,
}

impl SpfResult {
    /// The name as in the RFC and `Received-SPF` (`softfail`, `permerror`).
    pub fn as_str(self) -> &'static str {
        match self {
            SpfResult::None => "none",
            SpfResult::Neutral => "neutral",
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::SoftFail => "softfail",
            SpfResult::TempError => "temperror",
            SpfResult::PermError => "permerror",
        }
    }

    /// A result name, case-insensitively.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "none" => SpfResult::None,
            "neutral" => SpfResult::Neutral,
            "pass" => SpfResult::Pass,
            "fail" => SpfResult::Fail,
            "softfail" => SpfResult::SoftFail,
            "temperror" => SpfResult::TempError,
            "permerror" => SpfResult::PermError,
            _ => return None,
        })
    }

    fn from_qualifier(qualifier: Qualifier) -> Self {
        match qualifier {
            Qualifier::Pass => SpfResult::Pass,
            Qualifier::Fail => SpfResult::Fail,
            Qualifier::SoftFail => SpfResult::SoftFail,
            Qualifier::Neutral => SpfResult::Neutral,
        }
    }
}

impl fmt::Display for SpfResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `check_host()` is asked (§4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfInput {
    /// The connecting client's address. An IPv4-mapped IPv6 address is treated as IPv4.
    pub ip: IpAddr,
    /// MAIL FROM (may be empty: then `postmaster@<helo>` is checked, §2.4).
    pub sender: String,
    /// The HELO/EHLO name.
    pub helo: String,
    /// The domain to check; defaults to the sender's domain (or the HELO name).
    pub domain: Option<String>,
    /// The receiving host's name for `%{r}`; "unknown" by default (§7.2).
    pub receiver: String,
    /// Seconds since the epoch for `%{t}`: the core has no clock.
    pub timestamp: u64,
}

impl SpfInput {
    /// Checks `domain` for `ip` with the sender `postmaster@<domain>`.
    pub fn for_domain(domain: &str, ip: IpAddr) -> Self {
        SpfInput {
            ip,
            sender: format!("postmaster@{domain}"),
            helo: domain.to_owned(),
            domain: Some(domain.to_owned()),
            receiver: "unknown".to_owned(),
            timestamp: 0,
        }
    }
}

/// The term that decided a result, and in which record it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidingTerm {
    /// The domain whose record holds the term.
    pub domain: String,
    /// The term as written.
    pub term: String,
    /// Where the term stands in that record.
    pub span: Span,
}

/// One query made while evaluating a term, and its answer in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracedQuery {
    /// The query sent.
    pub query: Query,
    /// Its answer in short, as [`Answer::summary`](crate::dns::Answer::summary) gives it.
    pub answer: String,
}

/// One step of the evaluation: a record fetched or a term visited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// 0 for the checked domain, +1 per include/redirect.
    pub depth: usize,
    /// The domain whose record holds the term.
    pub domain: String,
    /// The term text; `None` for the record lookup itself.
    pub term: Option<String>,
    /// Where the term stands in the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The queries the term made, with their answers.
    pub queries: Vec<TracedQuery>,
    /// Whether the term matched; `None` when it was not decided (error) or is not a mechanism.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<bool>,
    /// DNS-querying terms counted so far (§4.6.4).
    pub lookups: u32,
    /// Void lookups counted so far: NXDOMAIN or no records (§4.6.4).
    pub void_lookups: u32,
}

/// The outcome of `check_host()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfOutcome {
    /// The result of §2.6.
    pub result: SpfResult,
    /// The term that decided the result, where one did (not for `none` or the default neutral).
    pub deciding_term: Option<DecidingTerm>,
    /// Why the result is an error or `none`: a finding with its code and parameters.
    pub reason: Option<Finding>,
    /// The expanded `exp=` text for a fail (§6.2), when the domain publishes one.
    pub explanation: Option<String>,
    /// DNS-querying terms evaluated (§4.6.4; more than 10 is a permerror).
    pub lookups: u32,
    /// Lookups that found nothing (§4.6.4; more than 2 is a permerror).
    pub void_lookups: u32,
    /// Every step of the evaluation, in order.
    pub trace: Vec<TraceEvent>,
}

/// Evaluates `check_host()` on the answers in `cache`, or returns the queries still needed
/// (never empty).
pub fn evaluate(input: &SpfInput, cache: &AnswerCache) -> Result<SpfOutcome, Vec<Query>> {
    let ip = canonical_ip(input.ip);
    let (local_part, sender_domain) = split_sender(&input.sender, &input.helo);
    let sender = format!("{local_part}@{sender_domain}");
    let domain = normalize_name(input.domain.as_deref().unwrap_or(&sender_domain));
    let mut evaluator = Evaluator {
        input,
        ip,
        sender: &sender,
        local_part: &local_part,
        sender_domain: &sender_domain,
        cache,
        lookups: 0,
        void_lookups: 0,
        trace: Vec::new(),
        prefetch: Vec::new(),
    };
    // §4.3: a malformed domain yields "none" without any query.
    if !is_valid_check_domain(&domain) {
        return Ok(SpfOutcome {
            result: SpfResult::None,
            deciding_term: None,
            reason: None,
            explanation: None,
            lookups: 0,
            void_lookups: 0,
            trace: Vec::new(),
        });
    }
    let mut path = Vec::new();
    let verdict = match evaluator.check_host(&domain, 0, &mut path) {
        Ok(verdict) => verdict,
        Err(Interrupt::Missing(query)) => return Err(evaluator.missing(query)),
    };
    let explanation = if verdict.result == SpfResult::Fail {
        match evaluator.explanation(&verdict) {
            Ok(explanation) => explanation,
            Err(Interrupt::Missing(query)) => return Err(evaluator.missing(query)),
        }
    } else {
        None
    };
    Ok(SpfOutcome {
        result: verdict.result,
        deciding_term: verdict.deciding_term,
        reason: verdict.reason,
        explanation,
        lookups: evaluator.lookups,
        void_lookups: evaluator.void_lookups,
        trace: evaluator.trace,
    })
}

/// An IPv4-mapped IPv6 client is an IPv4 client.
fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        ip => ip,
    }
}

/// §4.3: an empty local-part is "postmaster"; an empty sender is `postmaster@<helo>`.
fn split_sender(sender: &str, helo: &str) -> (String, String) {
    match sender.rfind('@') {
        Some(at) => {
            let local = &sender[..at];
            let domain = &sender[at + 1..];
            let local = if local.is_empty() {
                "postmaster"
            } else {
                local
            };
            (local.to_owned(), domain.to_owned())
        }
        None if sender.is_empty() => ("postmaster".to_owned(), helo.to_owned()),
        None => ("postmaster".to_owned(), sender.to_owned()),
    }
}

enum Interrupt {
    Missing(Query),
}

/// What one `check_host()` level returns.
struct Verdict {
    result: SpfResult,
    deciding_term: Option<DecidingTerm>,
    reason: Option<Finding>,
    /// The record whose directive produced the result, with its `exp=`, for §6.2.
    explanation_source: Option<(String, MacroString)>,
}

impl Verdict {
    fn new(result: SpfResult) -> Self {
        Verdict {
            result,
            deciding_term: None,
            reason: None,
            explanation_source: None,
        }
    }

    fn error(result: SpfResult, reason: Finding) -> Self {
        Verdict {
            result,
            deciding_term: None,
            reason: Some(reason),
            explanation_source: None,
        }
    }
}

/// How one mechanism came out. Short-lived and returned once per term, so the size of the
/// error variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum MechanismOutcome {
    Match,
    NoMatch,
    /// An error that ends the evaluation (§4.6.4, §5).
    Abort(Verdict),
}

struct Evaluator<'a> {
    input: &'a SpfInput,
    ip: IpAddr,
    sender: &'a str,
    local_part: &'a str,
    sender_domain: &'a str,
    cache: &'a AnswerCache,
    lookups: u32,
    void_lookups: u32,
    trace: Vec<TraceEvent>,
    prefetch: Vec<Query>,
}

impl Evaluator<'_> {
    fn missing(&self, query: Query) -> Vec<Query> {
        let mut queries = vec![query];
        for extra in &self.prefetch {
            if self.cache.get(extra).is_none() && !queries.contains(extra) {
                queries.push(extra.clone());
            }
        }
        queries
    }

    /// Asks for `query` with the next round, unless it is answered or already asked for.
    fn queue(&mut self, query: &Query) {
        if self.cache.get(query).is_none() && !self.prefetch.contains(query) {
            self.prefetch.push(query.clone());
        }
    }

    /// §4.6.4: the address queries of an `mx` term, one per MX host (a null MX, RFC 7505, names
    /// none); `Err(count)` when the answer names more than 10 hosts.
    fn mx_host_queries(&self, answer: &Answer) -> Result<Vec<Query>, usize> {
        let hosts: Vec<&str> = answer
            .record_data()
            .iter()
            .filter_map(|r| match r {
                RecordData::Mx { exchange, .. } => Some(exchange.as_str()),
                _ => None,
            })
            .collect();
        if hosts.len() > MX_NAME_LIMIT {
            return Err(hosts.len());
        }
        let address_type = self.address_type();
        Ok(hosts
            .into_iter()
            .filter(|host| !host.is_empty() && *host != ".")
            .map(|host| Query::new(host, address_type))
            .collect())
    }

    fn lookup(&self, query: Query) -> Result<&Answer, Interrupt> {
        match self.cache.get(&query) {
            Some(answer) => Ok(answer),
            None => Err(Interrupt::Missing(query)),
        }
    }

    fn address_type(&self) -> RecordType {
        match self.ip {
            IpAddr::V4(_) => RecordType::A,
            IpAddr::V6(_) => RecordType::Aaaa,
        }
    }

    fn values<'v>(&'v self, domain: &'v str, validated_name: Option<&'v str>) -> MacroValues<'v> {
        MacroValues {
            sender: self.sender,
            local_part: self.local_part,
            sender_domain: self.sender_domain,
            domain,
            ip: self.ip,
            helo: &self.input.helo,
            receiver: &self.input.receiver,
            timestamp: self.input.timestamp,
            validated_name,
        }
    }

    fn event(&mut self, depth: usize, domain: &str, term: Option<(&str, Span)>) -> usize {
        self.trace.push(TraceEvent {
            depth,
            domain: domain.to_owned(),
            term: term.map(|(text, _)| text.to_owned()),
            span: term.map(|(_, span)| span),
            queries: Vec::new(),
            matched: None,
            lookups: self.lookups,
            void_lookups: self.void_lookups,
        });
        self.trace.len() - 1
    }

    fn traced_lookup(&mut self, event: usize, query: Query) -> Result<Answer, Interrupt> {
        let answer = self.lookup(query.clone())?.clone();
        self.trace[event].queries.push(TracedQuery {
            query,
            answer: answer.summary(),
        });
        Ok(answer)
    }

    /// Expands a domain-spec (§7.3, truncated per §7.3 when too long). `%{p}` is resolved first.
    fn expand_domain(
        &mut self,
        spec: &MacroString,
        domain: &str,
        event: usize,
    ) -> Result<String, Interrupt> {
        let uses_p = spec
            .pieces
            .iter()
            .any(|p| matches!(p, parse::MacroPiece::Expand(e) if e.letter == 'p'));
        let validated = if uses_p {
            self.validated_name(domain, event)?
        } else {
            None
        };
        let expanded = expand(&spec.pieces, &self.values(domain, validated.as_deref()));
        Ok(normalize_name(&truncate_domain(&expanded)))
    }

    /// §4.6.4: count one DNS-querying term; past the limit the evaluation is a permerror.
    fn count_lookup(&mut self, event: usize) -> Option<Verdict> {
        self.lookups += 1;
        self.trace[event].lookups = self.lookups;
        (self.lookups > LOOKUP_LIMIT).then(|| {
            Verdict::error(
                SpfResult::PermError,
                Finding::new(Code::SpfLookupLimit)
                    .with("count", self.lookups)
                    .with("limit", LOOKUP_LIMIT),
            )
        })
    }

    /// §4.6.4: count a void answer; a third one is a permerror.
    fn count_void(&mut self, event: usize, answer: &Answer) -> Option<Verdict> {
        if !answer.is_void() {
            return None;
        }
        self.void_lookups += 1;
        self.trace[event].void_lookups = self.void_lookups;
        (self.void_lookups > VOID_LOOKUP_LIMIT).then(|| {
            Verdict::error(
                SpfResult::PermError,
                Finding::new(Code::SpfVoidLookupLimit)
                    .with("count", self.void_lookups)
                    .with("limit", VOID_LOOKUP_LIMIT),
            )
        })
    }

    fn dns_error(query: &Query, answer: &Answer) -> Verdict {
        let failure = answer.failure().map_or("error", |f| f.as_str());
        Verdict::error(
            SpfResult::TempError,
            Finding::new(Code::SpfDnsError)
                .with("query", query)
                .with("failure", failure),
        )
    }

    /// §4.4–§4.6 for one domain.
    fn check_host(
        &mut self,
        domain: &str,
        depth: usize,
        path: &mut Vec<String>,
    ) -> Result<Verdict, Interrupt> {
        let event = self.event(depth, domain, None);
        let query = Query::new(domain, RecordType::Txt);
        let answer = self.traced_lookup(event, query.clone())?;
        // §4.4: a failed lookup is temperror; no TXT at all is "none".
        let records = match &answer {
            Answer::Failed { .. } => return Ok(Self::dns_error(&query, &answer)),
            Answer::Nxdomain | Answer::Nodata => {
                return Ok(Verdict::error(
                    SpfResult::None,
                    Finding::new(Code::SpfNone).with("domain", domain),
                ));
            }
            Answer::Records { records, .. } => records,
        };
        // §4.5: exactly one record must begin with "v=spf1".
        let spf = parse::spf_records(records);
        let strings = match spf.as_slice() {
            [] => {
                return Ok(Verdict::error(
                    SpfResult::None,
                    Finding::new(Code::SpfNone).with("domain", domain),
                ));
            }
            [one] => *one,
            several => {
                return Ok(Verdict::error(
                    SpfResult::PermError,
                    Finding::new(Code::SpfMultipleRecords)
                        .with("domain", domain)
                        .with("count", several.len()),
                ));
            }
        };
        let record = parse::parse_strings(strings);
        // §4.6: any syntax error anywhere in the record is a permerror, before any term runs.
        if let Some(error) = record
            .diagnostics
            .iter()
            .find(|d| d.severity == crate::findings::Severity::Error)
        {
            let mut verdict =
                Verdict::error(SpfResult::PermError, error.clone().with_domain(domain));
            if let Some(span) = error.span {
                verdict.deciding_term = Some(DecidingTerm {
                    domain: domain.to_owned(),
                    term: error.param("term").to_owned(),
                    span,
                });
            }
            return Ok(verdict);
        }
        self.queue_prefetch(&record);
        path.push(domain.to_owned());
        let verdict = self.evaluate_record(&record, domain, depth, path);
        path.pop();
        verdict
    }

    /// Names the literal targets of a record so that one round trip fetches them together.
    /// Targets already answered are looked into as well — an included record's own targets,
    /// an `mx` target's hosts (§4.6.4) — so that a branch the evaluation has not reached yet
    /// is fetched as deep as the answers allow, and the round trips of a report follow the
    /// longest chain of dependent lookups rather than the order of evaluation. Only names the
    /// evaluation asks for if it gets there; it may stop earlier, which costs a few queries.
    fn queue_prefetch(&mut self, record: &SpfRecord) {
        let mut visited = Vec::new();
        self.queue_prefetch_within(record, &mut visited);
    }

    fn queue_prefetch_within(&mut self, record: &SpfRecord, visited: &mut Vec<Query>) {
        let address_type = self.address_type();
        for term in &record.terms {
            let query = match &term.kind {
                TermKind::Directive(Directive { mechanism, .. }) => match mechanism {
                    Mechanism::Include(spec) => {
                        spec.literal().map(|d| Query::new(&d, RecordType::Txt))
                    }
                    Mechanism::A {
                        domain: Some(spec), ..
                    } => spec.literal().map(|d| Query::new(&d, address_type)),
                    Mechanism::Mx {
                        domain: Some(spec), ..
                    } => spec.literal().map(|d| Query::new(&d, RecordType::Mx)),
                    Mechanism::Exists(spec) => {
                        spec.literal().map(|d| Query::new(&d, RecordType::A))
                    }
                    _ => None,
                },
                TermKind::Redirect(spec) => spec.literal().map(|d| Query::new(&d, RecordType::Txt)),
                _ => None,
            };
            let Some(query) = query.filter(|q| is_queryable_name(&q.name, false)) else {
                continue;
            };
            // The limit of 10 DNS-querying terms (§4.6.4) bounds any real walk; a loop ends
            // at the first name seen twice, a hostile tree at the tree walk's node limit.
            if visited.contains(&query) || visited.len() > NODE_LIMIT {
                continue;
            }
            visited.push(query.clone());
            match self.cache.get(&query) {
                None => self.queue(&query),
                Some(answer) if query.record_type == RecordType::Txt => {
                    if let [strings] = parse::spf_records(answer.record_data()).as_slice() {
                        let included = parse::parse_strings(strings);
                        self.queue_prefetch_within(&included, visited);
                    }
                }
                Some(answer) if query.record_type == RecordType::Mx => {
                    for host in self.mx_host_queries(answer).unwrap_or_default() {
                        if is_queryable_name(&host.name, false) {
                            self.queue(&host);
                        }
                    }
                }
                Some(_) => {}
            }
        }
    }

    fn evaluate_record(
        &mut self,
        record: &SpfRecord,
        domain: &str,
        depth: usize,
        path: &mut Vec<String>,
    ) -> Result<Verdict, Interrupt> {
        for (term, directive) in record.directives() {
            let text = record.term_text(term);
            let event = self.event(depth, domain, Some((text, term.span)));
            let outcome = self.mechanism(&directive.mechanism, domain, depth, event, path)?;
            match outcome {
                MechanismOutcome::Match => {
                    self.trace[event].matched = Some(true);
                    return Ok(Verdict {
                        result: SpfResult::from_qualifier(directive.qualifier),
                        deciding_term: Some(DecidingTerm {
                            domain: domain.to_owned(),
                            term: text.to_owned(),
                            span: term.span,
                        }),
                        reason: None,
                        explanation_source: record
                            .explanation()
                            .map(|exp| (domain.to_owned(), exp.clone())),
                    });
                }
                MechanismOutcome::NoMatch => self.trace[event].matched = Some(false),
                MechanismOutcome::Abort(mut verdict) => {
                    if verdict.deciding_term.is_none() {
                        verdict.deciding_term = Some(DecidingTerm {
                            domain: domain.to_owned(),
                            term: text.to_owned(),
                            span: term.span,
                        });
                    }
                    if let Some(reason) = verdict.reason.as_mut()
                        && reason.span.is_none()
                    {
                        reason.span = Some(term.span);
                        reason.domain = Some(domain.to_owned());
                        reason
                            .params
                            .entry("term".into())
                            .or_insert_with(|| text.to_owned());
                    }
                    return Ok(verdict);
                }
            }
        }
        // §6.1: with no match, a redirect hands the evaluation to another domain.
        if let Some((term, spec)) = record.redirect() {
            let text = record.term_text(term);
            let event = self.event(depth, domain, Some((text, term.span)));
            if let Some(verdict) = self.count_lookup(event) {
                return Ok(self.locate(verdict, domain, text, term.span));
            }
            let target = self.expand_domain(spec, domain, event)?;
            if path.contains(&target) {
                let verdict = Verdict::error(
                    SpfResult::PermError,
                    Finding::new(Code::SpfIncludeLoop)
                        .with("target", &target)
                        .with("path", path.join(" → ")),
                );
                return Ok(self.locate(verdict, domain, text, term.span));
            }
            if !is_queryable_name(&target, false) {
                let verdict = Verdict::error(
                    SpfResult::PermError,
                    Finding::new(Code::SpfIncludeNoRecord).with("target", &target),
                );
                return Ok(self.locate(verdict, domain, text, term.span));
            }
            let verdict = self.check_host(&target, depth + 1, path)?;
            if verdict.result == SpfResult::None {
                // §6.1: a redirect to a domain without a record is a permerror.
                let verdict = Verdict::error(
                    SpfResult::PermError,
                    Finding::new(Code::SpfIncludeNoRecord).with("target", &target),
                );
                return Ok(self.locate(verdict, domain, text, term.span));
            }
            return Ok(verdict);
        }
        // §4.7: no match and no redirect: neutral.
        Ok(Verdict::new(SpfResult::Neutral))
    }

    /// Pins a verdict's reason and deciding term on the term that caused it.
    fn locate(&self, mut verdict: Verdict, domain: &str, text: &str, span: Span) -> Verdict {
        if let Some(reason) = verdict.reason.as_mut() {
            reason.span = Some(span);
            reason.domain = Some(domain.to_owned());
            reason
                .params
                .entry("term".into())
                .or_insert_with(|| text.to_owned());
        }
        verdict.deciding_term = Some(DecidingTerm {
            domain: domain.to_owned(),
            term: text.to_owned(),
            span,
        });
        verdict
    }

    fn mechanism(
        &mut self,
        mechanism: &Mechanism,
        domain: &str,
        depth: usize,
        event: usize,
        path: &mut Vec<String>,
    ) -> Result<MechanismOutcome, Interrupt> {
        if mechanism.queries_dns()
            && let Some(verdict) = self.count_lookup(event)
        {
            return Ok(MechanismOutcome::Abort(verdict));
        }
        match mechanism {
            Mechanism::All => Ok(MechanismOutcome::Match),
            Mechanism::Ip4 { address, prefix } => Ok(match_if(ip_in_network(
                self.ip,
                IpAddr::V4(*address),
                *prefix,
            ))),
            Mechanism::Ip6 { address, prefix } => Ok(match_if(ip_in_network(
                self.ip,
                IpAddr::V6(*address),
                *prefix,
            ))),
            Mechanism::Include(spec) => self.include(spec, domain, depth, event, path),
            Mechanism::A { domain: spec, cidr } => {
                let target = match spec {
                    Some(spec) => self.expand_domain(spec, domain, event)?,
                    None => domain.to_owned(),
                };
                if !is_queryable_name(&target, false) {
                    return Ok(MechanismOutcome::NoMatch);
                }
                let query = Query::new(&target, self.address_type());
                let answer = self.traced_lookup(event, query.clone())?;
                if answer.failure().is_some() {
                    return Ok(MechanismOutcome::Abort(Self::dns_error(&query, &answer)));
                }
                if let Some(verdict) = self.count_void(event, &answer) {
                    return Ok(MechanismOutcome::Abort(verdict));
                }
                Ok(match_if(self.any_address_matches(&answer, *cidr)))
            }
            Mechanism::Mx { domain: spec, cidr } => {
                let target = match spec {
                    Some(spec) => self.expand_domain(spec, domain, event)?,
                    None => domain.to_owned(),
                };
                if !is_queryable_name(&target, false) {
                    return Ok(MechanismOutcome::NoMatch);
                }
                self.mx(&target, *cidr, event)
            }
            Mechanism::Ptr(spec) => {
                let target = match spec {
                    Some(spec) => self.expand_domain(spec, domain, event)?,
                    None => domain.to_owned(),
                };
                let names = self.validated_names(event)?;
                let matched = names.iter().any(|name| is_same_or_subdomain(name, &target));
                Ok(match_if(matched))
            }
            Mechanism::Exists(spec) => {
                let target = self.expand_domain(spec, domain, event)?;
                if !is_queryable_name(&target, false) {
                    return Ok(MechanismOutcome::NoMatch);
                }
                // §5.7: always an A query, whatever the client's address family.
                let query = Query::new(&target, RecordType::A);
                let answer = self.traced_lookup(event, query.clone())?;
                if answer.failure().is_some() {
                    return Ok(MechanismOutcome::Abort(Self::dns_error(&query, &answer)));
                }
                if let Some(verdict) = self.count_void(event, &answer) {
                    return Ok(MechanismOutcome::Abort(verdict));
                }
                Ok(match_if(
                    answer
                        .record_data()
                        .iter()
                        .any(|r| matches!(r, RecordData::A(_))),
                ))
            }
        }
    }

    /// §5.2: pass matches; fail, softfail and neutral do not; errors propagate; none is a
    /// permerror.
    fn include(
        &mut self,
        spec: &MacroString,
        domain: &str,
        depth: usize,
        event: usize,
        path: &mut Vec<String>,
    ) -> Result<MechanismOutcome, Interrupt> {
        let target = self.expand_domain(spec, domain, event)?;
        if path.contains(&target) {
            return Ok(MechanismOutcome::Abort(Verdict::error(
                SpfResult::PermError,
                Finding::new(Code::SpfIncludeLoop)
                    .with("target", &target)
                    .with("path", path.join(" → ")),
            )));
        }
        if !is_queryable_name(&target, false) {
            return Ok(MechanismOutcome::Abort(Verdict::error(
                SpfResult::PermError,
                Finding::new(Code::SpfIncludeNoRecord).with("target", &target),
            )));
        }
        let verdict = self.check_host(&target, depth + 1, path)?;
        Ok(match verdict.result {
            SpfResult::Pass => MechanismOutcome::Match,
            SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => MechanismOutcome::NoMatch,
            SpfResult::TempError | SpfResult::PermError => {
                // The inner reason already points into the included record.
                MechanismOutcome::Abort(Verdict {
                    result: verdict.result,
                    deciding_term: None,
                    reason: verdict.reason,
                    explanation_source: None,
                })
            }
            SpfResult::None => MechanismOutcome::Abort(Verdict::error(
                SpfResult::PermError,
                Finding::new(Code::SpfIncludeNoRecord).with("target", &target),
            )),
        })
    }

    /// §5.4: the MX names of `target`, at most 10, each looked up for the client's family.
    fn mx(
        &mut self,
        target: &str,
        cidr: parse::DualCidr,
        event: usize,
    ) -> Result<MechanismOutcome, Interrupt> {
        let query = Query::new(target, RecordType::Mx);
        let answer = self.traced_lookup(event, query.clone())?;
        if answer.failure().is_some() {
            return Ok(MechanismOutcome::Abort(Self::dns_error(&query, &answer)));
        }
        if let Some(verdict) = self.count_void(event, &answer) {
            return Ok(MechanismOutcome::Abort(verdict));
        }
        let queries = match self.mx_host_queries(&answer) {
            Ok(queries) => queries,
            Err(count) => {
                return Ok(MechanismOutcome::Abort(Verdict::error(
                    SpfResult::PermError,
                    Finding::new(Code::SpfMxLimit)
                        .with("host", target)
                        .with("count", count)
                        .with("limit", MX_NAME_LIMIT),
                )));
            }
        };
        // Ask for every host's addresses at once.
        if let Some(first_missing) = queries.iter().find(|q| self.cache.get(q).is_none()) {
            for query in &queries {
                self.queue(query);
            }
            return Err(Interrupt::Missing(first_missing.clone()));
        }
        let mut matched = false;
        for query in queries {
            let answer = self.traced_lookup(event, query.clone())?;
            if answer.failure().is_some() {
                return Ok(MechanismOutcome::Abort(Self::dns_error(&query, &answer)));
            }
            if self.any_address_matches(&answer, cidr) {
                matched = true;
                break;
            }
        }
        Ok(match_if(matched))
    }

    fn any_address_matches(&self, answer: &Answer, cidr: parse::DualCidr) -> bool {
        answer.record_data().iter().any(|record| match record {
            RecordData::A(address) => {
                ip_in_network(self.ip, IpAddr::V4(*address), cidr.ip4.unwrap_or(32))
            }
            RecordData::Aaaa(address) => {
                ip_in_network(self.ip, IpAddr::V6(*address), cidr.ip6.unwrap_or(128))
            }
            _ => false,
        })
    }

    /// §5.5: the client's PTR names (first 10) whose forward lookup contains the client.
    /// DNS errors here make the names unusable, never the evaluation.
    fn validated_names(&mut self, event: usize) -> Result<Vec<String>, Interrupt> {
        let reverse = Query::new(&reverse_name(self.ip), RecordType::Ptr);
        let answer = self.traced_lookup(event, reverse)?;
        if answer.failure().is_some() {
            return Ok(Vec::new());
        }
        let names: Vec<String> = answer
            .record_data()
            .iter()
            .filter_map(|r| match r {
                RecordData::Ptr(name) => Some(normalize_name(name)),
                _ => None,
            })
            .take(MX_NAME_LIMIT)
            .collect();
        let address_type = self.address_type();
        let queries: Vec<Query> = names
            .iter()
            .filter(|name| is_queryable_name(name, false))
            .map(|name| Query::new(name, address_type))
            .collect();
        if let Some(first_missing) = queries.iter().find(|q| self.cache.get(q).is_none()) {
            for query in &queries {
                self.queue(query);
            }
            return Err(Interrupt::Missing(first_missing.clone()));
        }
        let mut validated = Vec::new();
        for query in queries {
            let answer = self.traced_lookup(event, query.clone())?;
            let contains = answer.record_data().iter().any(|r| match r {
                RecordData::A(address) => IpAddr::V4(*address) == self.ip,
                RecordData::Aaaa(address) => IpAddr::V6(*address) == self.ip,
                _ => false,
            });
            if contains {
                validated.push(query.name);
            }
        }
        Ok(validated)
    }

    /// `%{p}` (§7.3): a validated name equal to or under the domain if there is one, else any
    /// validated name, else "unknown".
    fn validated_name(&mut self, domain: &str, event: usize) -> Result<Option<String>, Interrupt> {
        let names = self.validated_names(event)?;
        Ok(names
            .iter()
            .find(|name| is_same_or_subdomain(name, domain))
            .or_else(|| names.first())
            .cloned())
    }

    /// §6.2: the explanation of a fail, from the record that produced it. Any problem means no
    /// explanation, never a different result.
    fn explanation(&mut self, verdict: &Verdict) -> Result<Option<String>, Interrupt> {
        let Some((domain, spec)) = &verdict.explanation_source else {
            return Ok(None);
        };
        let event = self.event(0, domain, Some(("exp", spec.span)));
        let target = self.expand_domain(spec, domain, event)?;
        if !is_queryable_name(&target, false) {
            return Ok(None);
        }
        let answer = self.traced_lookup(event, Query::new(&target, RecordType::Txt))?;
        let texts: Vec<&Vec<Vec<u8>>> = answer
            .record_data()
            .iter()
            .filter_map(|r| match r {
                RecordData::Txt(strings) => Some(strings),
                _ => None,
            })
            .collect();
        let [strings] = texts.as_slice() else {
            return Ok(None);
        };
        let joined = parse::join_strings(strings).0;
        let Ok(text) = String::from_utf8(joined) else {
            return Ok(None);
        };
        if !text.is_ascii() {
            return Ok(None);
        }
        let Ok(pieces) = parse::parse_macro_string(&text, parse::MacroContext::Explanation) else {
            return Ok(None);
        };
        let uses_p = pieces
            .iter()
            .any(|p| matches!(p, parse::MacroPiece::Expand(e) if e.letter == 'p'));
        let validated = if uses_p {
            self.validated_name(domain, event)?
        } else {
            None
        };
        Ok(Some(expand(
            &pieces,
            &self.values(domain, validated.as_deref()),
        )))
    }
}

fn match_if(matched: bool) -> MechanismOutcome {
    if matched {
        MechanismOutcome::Match
    } else {
        MechanismOutcome::NoMatch
    }
}

/// `name` equals `domain` or ends with `.domain` (§5.5), case-insensitively.
fn is_same_or_subdomain(name: &str, domain: &str) -> bool {
    let name = normalize_name(name);
    let domain = normalize_name(domain);
    name == domain || name.ends_with(&format!(".{domain}"))
}
