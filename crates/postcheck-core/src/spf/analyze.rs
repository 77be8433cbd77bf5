//! Static analysis of a domain's SPF include/redirect tree, independent of any sending IP.
//!
//! It fetches every record the tree reaches and the targets its terms query, counts the
//! DNS-querying terms per node and in total (RFC 7208 §4.6.4) as a receiver would when every
//! term is evaluated (the case of a sender that is not authorized), and reports the SPF findings
//! that do not depend on an IP. Like the evaluator it is a pure function of an [`AnswerCache`];
//! it asks for every query it can name in one round, so the tree costs one round trip per level.

use super::parse::{self, Mechanism, Qualifier, SpfRecord, TermKind};
use super::{LOOKUP_LIMIT, MX_NAME_LIMIT, NODE_LIMIT, RECORD_SIZE_LIMIT, VOID_LOOKUP_LIMIT};
use crate::dns::Lookups;
use crate::dns::name::is_queryable_name;
use crate::dns::{Answer, AnswerCache, Query, RecordData, RecordType, normalize_name};
use crate::findings::{Code, Finding, Severity, Span};
use serde::{Deserialize, Serialize};

/// What was found at one node of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeStatus {
    /// One SPF record, parsed.
    Record,
    /// No SPF record (NXDOMAIN, NODATA, or TXT records without `v=spf1`).
    NoRecord,
    /// More than one SPF record.
    MultipleRecords,
    /// The lookup failed: could not verify.
    LookupFailed,
    /// The target is already on the path: not followed again.
    Loop,
    /// The target holds macros and depends on the message: not followed.
    Dynamic,
    /// Not followed because the tree is too large.
    NotFollowed,
}

/// One record in the tree, with what its terms cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfNode {
    /// The domain whose TXT records were looked up.
    pub domain: String,
    /// The term that led here (`include:…` or `redirect=…`); none for the root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// What the lookup found.
    pub status: NodeStatus,
    /// The record as shown (strings joined, §3.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The record's TXT character-strings, when there were several.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub strings: Vec<String>,
    /// DNS-querying terms in this record itself.
    pub lookups: u32,
    /// This record's lookups plus those of everything below it.
    pub total_lookups: u32,
    /// Void lookups caused by this record's own terms.
    pub void_lookups: u32,
    /// The records its `include:` and `redirect=` terms lead to, in the order of the terms.
    pub children: Vec<SpfNode>,
}

/// The whole tree with its totals and findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpfAnalysis {
    /// The checked domain.
    pub domain: String,
    /// The domain's own record, the root of the tree.
    pub root: SpfNode,
    /// DNS-querying terms of the whole tree, as a receiver counts them (§4.6.4; at most 10).
    pub total_lookups: u32,
    /// Void lookups of the whole tree (§4.6.4; at most 2).
    pub void_lookups: u32,
    /// The findings that do not depend on a sending IP, for every record of the tree.
    pub findings: Vec<Finding>,
}

/// Analyses the tree on the answers in `cache`, or names every query still needed.
pub fn analyze(domain: &str, cache: &AnswerCache) -> Result<SpfAnalysis, Vec<Query>> {
    let domain = normalize_name(domain);
    let mut walker = Walker {
        lookups: Lookups::new(cache),
        findings: Vec::new(),
        nodes: 0,
    };
    let mut path = Vec::new();
    let root = walker.node(&domain, None, true, &mut path);
    if !walker.lookups.is_complete() {
        return Err(walker.lookups.into_missing());
    }
    let mut findings = walker.findings;
    let total_lookups = root.total_lookups;
    let void_lookups = sum_voids(&root);
    if root.status == NodeStatus::Record {
        // §4.6.4: the limits apply to the whole evaluation, across include and redirect.
        if total_lookups > LOOKUP_LIMIT {
            findings.push(
                Finding::new(Code::SpfLookupLimit)
                    .with_domain(&domain)
                    .with("count", total_lookups)
                    .with("limit", LOOKUP_LIMIT),
            );
        } else if total_lookups + 1 >= LOOKUP_LIMIT {
            findings.push(
                Finding::new(Code::SpfLookupNearLimit)
                    .with_domain(&domain)
                    .with("count", total_lookups)
                    .with("limit", LOOKUP_LIMIT),
            );
        }
        if void_lookups > VOID_LOOKUP_LIMIT {
            findings.push(
                Finding::new(Code::SpfVoidLookupLimit)
                    .with_domain(&domain)
                    .with("count", void_lookups)
                    .with("limit", VOID_LOOKUP_LIMIT),
            );
        }
        let blocking = findings.iter().any(|f| f.severity == Severity::Error);
        let unverified = findings.iter().any(|f| f.code == Code::SpfDnsError);
        if !blocking && !unverified {
            findings.push(
                Finding::new(Code::SpfOk)
                    .with_domain(&domain)
                    .with("domain", &domain)
                    .with("lookups", total_lookups),
            );
        }
    }
    Ok(SpfAnalysis {
        domain,
        root,
        total_lookups,
        void_lookups,
        findings,
    })
}

fn sum_voids(node: &SpfNode) -> u32 {
    node.void_lookups + node.children.iter().map(sum_voids).sum::<u32>()
}

struct Walker<'a> {
    lookups: Lookups<'a>,
    findings: Vec<Finding>,
    nodes: usize,
}

/// How a node was reached: the term, its span and the record it stands in.
#[derive(Clone, Copy)]
struct Via<'t> {
    parent: &'t str,
    term: &'t str,
    span: Span,
}

impl Walker<'_> {
    fn get(&mut self, query: Query) -> Option<&Answer> {
        self.lookups.get(query)
    }

    fn empty_node(domain: &str, via: Option<&Via<'_>>, status: NodeStatus) -> SpfNode {
        SpfNode {
            domain: domain.to_owned(),
            via: via.map(|v| v.term.to_owned()),
            status,
            record: None,
            strings: Vec::new(),
            lookups: 0,
            total_lookups: 0,
            void_lookups: 0,
            children: Vec::new(),
        }
    }

    fn term_finding(code: Code, via: &Via<'_>) -> Finding {
        Finding::new(code)
            .with_domain(via.parent)
            .with_span(via.span)
            .with("term", via.term)
    }

    /// One node: its record lookup, parse, and terms. `top` is true for the checked domain and
    /// the records reached from it by redirect, whose `all` decides the domain's policy.
    fn node(
        &mut self,
        domain: &str,
        via: Option<Via<'_>>,
        top: bool,
        path: &mut Vec<String>,
    ) -> SpfNode {
        self.nodes += 1;
        if self.nodes > NODE_LIMIT {
            return Self::empty_node(domain, via.as_ref(), NodeStatus::NotFollowed);
        }
        let query = Query::new(domain, RecordType::Txt);
        let Some(answer) = self.get(query.clone()).cloned() else {
            return Self::empty_node(domain, via.as_ref(), NodeStatus::NoRecord);
        };
        let records: &[RecordData] = match &answer {
            Answer::Failed { failure } => {
                let mut finding = Finding::new(Code::SpfDnsError)
                    .with("query", &query)
                    .with("failure", failure.as_str())
                    .with("domain", domain);
                if let Some(via) = &via {
                    finding = finding
                        .with_domain(via.parent)
                        .with_span(via.span)
                        .with("term", via.term);
                } else {
                    finding = finding.with_domain(domain);
                }
                self.findings.push(finding);
                return Self::empty_node(domain, via.as_ref(), NodeStatus::LookupFailed);
            }
            other => other.record_data(),
        };
        let spf = parse::spf_records(records);
        let strings = match spf.as_slice() {
            [] => {
                let mut node = Self::empty_node(domain, via.as_ref(), NodeStatus::NoRecord);
                match &via {
                    None => self.findings.push(
                        Finding::new(Code::SpfNone)
                            .with_domain(domain)
                            .with("domain", domain),
                    ),
                    Some(via) => {
                        // §5.2, §6.1: an include or redirect target without a record is a
                        // permerror. A non-existent target is a void lookup too.
                        self.findings.push(
                            Self::term_finding(Code::SpfIncludeNoRecord, via)
                                .with("target", domain),
                        );
                        if answer.is_void() {
                            node.void_lookups = 1;
                        }
                    }
                }
                return node;
            }
            [one] => *one,
            several => {
                let mut finding = Finding::new(Code::SpfMultipleRecords)
                    .with("domain", domain)
                    .with("count", several.len());
                finding = match &via {
                    Some(via) => finding
                        .with_domain(via.parent)
                        .with_span(via.span)
                        .with("term", via.term),
                    None => finding.with_domain(domain),
                };
                self.findings.push(finding);
                return Self::empty_node(domain, via.as_ref(), NodeStatus::MultipleRecords);
            }
        };
        let record = parse::parse_strings(strings);
        let mut node = Self::empty_node(domain, via.as_ref(), NodeStatus::Record);
        node.record = Some(record.text.clone());
        if strings.len() > 1 {
            node.strings = strings
                .iter()
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect();
        }
        for diagnostic in &record.diagnostics {
            self.findings.push(diagnostic.clone().with_domain(domain));
        }
        // §3.4: the size of the whole TXT answer at this name.
        let answer_bytes: usize = records
            .iter()
            .map(|r| match r {
                RecordData::Txt(strings) => strings.iter().map(|s| s.len() + 1).sum(),
                _ => 0,
            })
            .sum();
        if answer_bytes > RECORD_SIZE_LIMIT {
            self.findings.push(
                Finding::new(Code::SpfRecordTooLong)
                    .with_domain(domain)
                    .with_span(Span::new(0, record.text.len()))
                    .with("domain", domain)
                    .with("bytes", answer_bytes),
            );
        }
        path.push(domain.to_owned());
        self.terms(&record, domain, top, &mut node, path);
        path.pop();
        node.total_lookups =
            node.lookups + node.children.iter().map(|c| c.total_lookups).sum::<u32>();
        node
    }

    fn terms(
        &mut self,
        record: &SpfRecord,
        domain: &str,
        top: bool,
        node: &mut SpfNode,
        path: &mut Vec<String>,
    ) {
        let has_all = record.all().is_some();
        for term in &record.terms {
            let text = record.term_text(term);
            let via = Via {
                parent: domain,
                term: text,
                span: term.span,
            };
            match &term.kind {
                TermKind::Directive(directive) => {
                    if directive.mechanism.queries_dns() {
                        node.lookups += 1;
                    }
                    match &directive.mechanism {
                        Mechanism::All => {
                            self.all(directive.qualifier, directive.explicit_qualifier, top, &via)
                        }
                        Mechanism::Include(spec) => {
                            if let Some(child) = self.follow(spec, &via, false, path) {
                                node.children.push(child);
                            }
                        }
                        Mechanism::A { domain: spec, .. } => {
                            let target = target_of(spec.as_ref(), domain);
                            if let Some(target) = target
                                && self.address_void(&target, &via)
                            {
                                node.void_lookups += 1;
                            }
                        }
                        Mechanism::Mx { domain: spec, .. } => {
                            if let Some(target) = target_of(spec.as_ref(), domain)
                                && self.mx(&target, &via)
                            {
                                node.void_lookups += 1;
                            }
                        }
                        Mechanism::Exists(spec) => {
                            if let Some(target) = spec.literal().map(|t| normalize_name(&t))
                                && self.exists_void(&target, &via)
                            {
                                node.void_lookups += 1;
                            }
                        }
                        Mechanism::Ptr(_) | Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. } => {}
                    }
                }
                TermKind::Redirect(spec) => {
                    if has_all {
                        // §6.1: a record with "all" never reaches its redirect.
                        self.findings
                            .push(Self::term_finding(Code::SpfRedirectIgnored, &via));
                        continue;
                    }
                    node.lookups += 1;
                    if let Some(child) = self.follow(spec, &via, top, path) {
                        node.children.push(child);
                    }
                }
                _ => {}
            }
        }
        // §4.7: without "all" or "redirect", an unmatched sender gets "neutral".
        if top && !has_all && record.redirect().is_none() && !record.has_errors() {
            self.findings.push(
                Finding::new(Code::SpfNoAll)
                    .with_domain(domain)
                    .with("domain", domain),
            );
        }
    }

    fn all(&mut self, qualifier: Qualifier, explicit: bool, top: bool, via: &Via<'_>) {
        match qualifier {
            // "+all" passes everyone: in the domain's own record and in any record it includes.
            Qualifier::Pass => {
                self.findings
                    .push(Self::term_finding(Code::SpfPassAll, via).with("explicit", explicit));
            }
            Qualifier::Neutral if top => self
                .findings
                .push(Self::term_finding(Code::SpfNeutralAll, via)),
            _ => {}
        }
    }

    /// Follows an include or redirect to its record.
    fn follow(
        &mut self,
        spec: &parse::MacroString,
        via: &Via<'_>,
        top: bool,
        path: &mut Vec<String>,
    ) -> Option<SpfNode> {
        let Some(target) = spec.literal().map(|t| normalize_name(&t)) else {
            let name = spec.text.clone();
            return Some(Self::empty_node(&name, Some(via), NodeStatus::Dynamic));
        };
        if !is_queryable_name(&target, false) {
            return None;
        }
        if path.contains(&target) {
            let mut cycle = path.clone();
            cycle.push(target.clone());
            self.findings.push(
                Self::term_finding(Code::SpfIncludeLoop, via)
                    .with("target", &target)
                    .with("path", cycle.join(" → ")),
            );
            return Some(Self::empty_node(&target, Some(via), NodeStatus::Loop));
        }
        Some(self.node(&target, Some(*via), top, path))
    }

    /// `a`: void when the name has neither A nor AAAA records.
    fn address_void(&mut self, target: &str, via: &Via<'_>) -> bool {
        if !is_queryable_name(target, false) {
            return false;
        }
        let a = self.get(Query::new(target, RecordType::A)).cloned();
        let aaaa = self.get(Query::new(target, RecordType::Aaaa)).cloned();
        let (Some(a), Some(aaaa)) = (a, aaaa) else {
            return false;
        };
        for (query_type, answer) in [(RecordType::A, &a), (RecordType::Aaaa, &aaaa)] {
            if let Answer::Failed { failure } = answer {
                self.findings.push(
                    Self::term_finding(Code::SpfDnsError, via)
                        .with("query", Query::new(target, query_type))
                        .with("failure", failure.as_str()),
                );
                return false;
            }
        }
        if a.is_void() && aaaa.is_void() {
            let kind = if matches!(a, Answer::Nxdomain) {
                "NXDOMAIN"
            } else {
                "NODATA"
            };
            self.findings.push(
                Self::term_finding(Code::SpfVoidLookup, via)
                    .with("target", target)
                    .with("answer", kind),
            );
            return true;
        }
        false
    }

    fn exists_void(&mut self, target: &str, via: &Via<'_>) -> bool {
        if !is_queryable_name(target, false) {
            return false;
        }
        let Some(answer) = self.get(Query::new(target, RecordType::A)).cloned() else {
            return false;
        };
        self.void_or_failed(&answer, target, RecordType::A, via)
    }

    /// `mx`: void with no MX; more than 10 names is a permerror (§4.6.4).
    fn mx(&mut self, target: &str, via: &Via<'_>) -> bool {
        if !is_queryable_name(target, false) {
            return false;
        }
        let Some(answer) = self.get(Query::new(target, RecordType::Mx)).cloned() else {
            return false;
        };
        let names = answer
            .record_data()
            .iter()
            .filter(|r| matches!(r, RecordData::Mx { .. }))
            .count();
        if names > MX_NAME_LIMIT {
            self.findings.push(
                Self::term_finding(Code::SpfMxLimit, via)
                    .with("host", target)
                    .with("count", names)
                    .with("limit", MX_NAME_LIMIT),
            );
        }
        self.void_or_failed(&answer, target, RecordType::Mx, via)
    }

    fn void_or_failed(
        &mut self,
        answer: &Answer,
        target: &str,
        query_type: RecordType,
        via: &Via<'_>,
    ) -> bool {
        match answer {
            Answer::Failed { failure } => {
                self.findings.push(
                    Self::term_finding(Code::SpfDnsError, via)
                        .with("query", Query::new(target, query_type))
                        .with("failure", failure.as_str()),
                );
                false
            }
            Answer::Nxdomain | Answer::Nodata => {
                let kind = if matches!(answer, Answer::Nxdomain) {
                    "NXDOMAIN"
                } else {
                    "NODATA"
                };
                self.findings.push(
                    Self::term_finding(Code::SpfVoidLookup, via)
                        .with("target", target)
                        .with("answer", kind),
                );
                true
            }
            Answer::Records { .. } => false,
        }
    }
}

/// The literal target of `a`/`mx`: the given domain-spec, or the record's own domain.
fn target_of(spec: Option<&parse::MacroString>, domain: &str) -> Option<String> {
    match spec {
        None => Some(domain.to_owned()),
        Some(spec) => spec.literal().map(|t| normalize_name(&t)),
    }
}
