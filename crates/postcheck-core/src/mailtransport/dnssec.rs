//! DNSSEC: whether the resolver validated the domain's answers, read from the AD bit
//! (RFC 4035 §3.2.3) of the answers the other checks collected.

use crate::dns::{Answer, AnswerCache, normalize_name};
use crate::findings::{Code, Finding};
use serde::{Deserialize, Serialize};

/// The DNSSEC part of the report: whether the resolver validated the domain's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnssecSection {
    /// True when every positive answer for names at or under the domain had the AD bit.
    pub validated: bool,
    /// Positive answers (with records) for names at or under the domain.
    #[serde(default)]
    pub answers: usize,
    /// How many of them had the AD bit.
    #[serde(default)]
    pub authenticated_answers: usize,
    /// `dnssec-unsigned` when there are positive answers and none had the AD bit; else empty.
    pub findings: Vec<Finding>,
}

/// RFC 4035 §3.2.3: the AD bit says the resolver validated the answer. When there are positive
/// answers for the domain and none is authenticated, `dnssec-unsigned` (info): the zone is not
/// signed or the resolver does not validate; from the answers alone the two look the same. Some
/// authenticated and some not (a DKIM CNAME into an unsigned provider zone, say) is no finding.
pub fn dnssec_status(domain: &str, cache: &AnswerCache) -> DnssecSection {
    let domain = normalize_name(domain);
    let suffix = format!(".{domain}");
    let mut answers = 0;
    let mut authenticated_answers = 0;
    for (query, answer) in cache.iter() {
        if query.name != domain && !query.name.ends_with(&suffix) {
            continue;
        }
        if let Answer::Records {
            records,
            authenticated,
        } = answer
            && !records.is_empty()
        {
            answers += 1;
            if *authenticated {
                authenticated_answers += 1;
            }
        }
    }
    let mut findings = Vec::new();
    if answers > 0 && authenticated_answers == 0 {
        findings.push(Finding::new(Code::DnssecUnsigned).with("domain", &domain));
    }
    DnssecSection {
        validated: answers > 0 && authenticated_answers == answers,
        answers,
        authenticated_answers,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{Query, RecordData, RecordType};

    #[test]
    fn dnssec_follows_the_ad_bit() {
        let mut cache = AnswerCache::new();
        let txt = RecordData::Txt(vec![b"v=spf1 -all".to_vec()]);
        cache.insert(
            Query::new("signed.example", RecordType::Txt),
            Answer::Records {
                records: vec![txt.clone()],
                authenticated: true,
            },
        );
        cache.insert(
            Query::new("_dmarc.signed.example", RecordType::Txt),
            Answer::Nxdomain,
        );
        let status = dnssec_status("signed.example", &cache);
        assert!(status.validated && status.findings.is_empty());
        assert_eq!((status.answers, status.authenticated_answers), (1, 1));
        cache.insert(
            Query::new("plain.example", RecordType::Txt),
            Answer::records(vec![txt.clone()]),
        );
        let status = dnssec_status("plain.example", &cache);
        assert!(!status.validated);
        assert_eq!(status.findings[0].code, Code::DnssecUnsigned);
        // Some validated, some not: no finding, not validated.
        cache.insert(
            Query::new("s1._domainkey.signed.example", RecordType::Txt),
            Answer::records(vec![txt]),
        );
        let status = dnssec_status("signed.example", &cache);
        assert!(!status.validated && status.findings.is_empty());
        // No positive answer at all: nothing to say.
        assert!(dnssec_status("absent.example", &cache).findings.is_empty());
        // A name that merely ends like the domain is not under it.
        assert_eq!(dnssec_status("example", &cache).answers, 3);
        assert_eq!(dnssec_status("ned.example", &cache).answers, 0);
    }
}
