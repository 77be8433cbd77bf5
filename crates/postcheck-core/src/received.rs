//! A message as postcheck's test address received it (the mail-tester flow): where it came
//! from and as whom, read from the message itself and the SMTP envelope, and the domain check
//! that judges it. Sans-IO like the rest: the driver that received the message hands its bytes
//! and the envelope sender here, runs [`Received::check_input`] through the report planner
//! with real answers, and verifies the DKIM signatures with their keys.
//!
//! The connecting IP is the one the receiving server wrote into its own Received header (RFC
//! 5321 §4.4, the newest hop): the address that actually delivered the message, which SPF
//! judges (RFC 7208 §2.4: the MAIL FROM identity, or the HELO name for a null sender). The
//! domain DMARC protects is the From header's (RFC 7489 §3.1).

use crate::dmarc::DmarcSection;
use crate::dmarc::parse::Policy;
use crate::headers::{self, Alignment, Hop, alignment};
use crate::report::CheckInput;
use crate::spf::SpfResult;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// What DMARC makes of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DmarcOutcome {
    /// An aligned identifier passed: receivers let it through as far as DMARC goes.
    Pass,
    /// Neither identifier passed aligned: the policy applies.
    Fail,
    /// Not decided here: no aligned DKIM pass, and SPF was not evaluated for the envelope
    /// domain (it differs from the From domain); never called a failure.
    Unknown,
    /// The From domain publishes no DMARC policy.
    NoPolicy,
}

/// How DMARC judges a received message (RFC 7489 §3.1 identifier alignment, §4.2 its result;
/// RFC 9989 §4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDmarc {
    /// The result.
    pub outcome: DmarcOutcome,
    /// The `d=` of a signature that verified and is aligned with the From domain.
    pub dkim_aligned: Option<String>,
    /// Whether SPF passed for an envelope domain aligned with the From domain; `None` where
    /// that was not evaluated.
    pub spf_aligned: Option<bool>,
    /// The policy that applies to the From domain, when it fails.
    pub policy: Option<Policy>,
}

/// What a received message says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// The SMTP envelope sender (MAIL FROM, RFC 5321 §4.1.1.2); empty for a null sender.
    pub envelope_from: String,
    /// The domain of the From header (RFC 5322 §3.6.2), which DMARC protects.
    pub header_from: Option<String>,
    /// The address that delivered the message to the receiving server (the newest hop's).
    pub ip: Option<IpAddr>,
    /// The DKIM signatures' domains and selectors (`d=`, `s=`), in the message's order.
    pub signatures: Vec<(String, String)>,
    /// The Received hops, oldest first.
    pub hops: Vec<Hop>,
}

impl Received {
    /// Reads the header section of `raw` (the whole message as received; the body is not
    /// kept) with the envelope sender the SMTP session gave.
    pub fn read(raw: &str, envelope_from: &str) -> Received {
        let report = headers::analyze(raw);
        let envelope_from = envelope_from
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_ascii_lowercase();
        Received {
            envelope_from,
            header_from: report.from_domain,
            ip: report.hops.last().and_then(|hop| hop.ip),
            signatures: report
                .dkim_signatures
                .iter()
                .map(|s| (s.domain.clone(), s.selector.clone()))
                .collect(),
            hops: report.hops,
        }
    }

    /// The check that judges the message: the From domain (DMARC's), with the connecting IP
    /// (SPF for it, its PTR record and blocklists) and the selectors its signatures name at
    /// that domain (so their keys are checked); `None` without a From domain. A message whose
    /// envelope sender is at another domain is judged for the From domain all the same: that
    /// is the identity DMARC aligns, and the envelope domain's SPF is the sender's to set.
    pub fn check_input(&self, timestamp: u64) -> Option<CheckInput> {
        let domain = self.header_from.clone()?;
        let selectors = self
            .signatures
            .iter()
            .filter(|(d, _)| d.eq_ignore_ascii_case(&domain))
            .map(|(_, s)| s.clone())
            .collect();
        Some(CheckInput {
            domain,
            ips: self.ip.into_iter().collect(),
            dkim_selectors: selectors,
            timestamp,
            ..CheckInput::default()
        })
    }

    /// How DMARC judges the message: `passing_dkim` are the `d=` domains of the signatures
    /// that verified, `spf` the SPF result of the delivering IP for the From domain (the
    /// report's), `dmarc` the From domain's policy as the report found it. SPF counts for
    /// alignment only where the envelope domain is the From domain itself (then the report's
    /// SPF result is the envelope domain's); an envelope domain that is aligned but another
    /// name leaves SPF unevaluated (RFC 7489 §3.1.2: relaxed or strict by `aspf`, §3.1.1 by
    /// `adkim` for DKIM).
    pub fn dmarc(
        &self,
        passing_dkim: &[&str],
        spf: Option<SpfResult>,
        dmarc: &DmarcSection,
    ) -> Option<MessageDmarc> {
        let from = self.header_from.as_deref()?;
        let strict = |tag: &str| {
            dmarc.tags.iter().any(|t| {
                t.name.eq_ignore_ascii_case(tag) && t.value.trim().eq_ignore_ascii_case("s")
            })
        };
        let aligned = |domain: &str, strict: bool| match alignment(from, domain) {
            Alignment::Strict => true,
            Alignment::Relaxed => !strict,
            Alignment::No => false,
        };
        let dkim_aligned = passing_dkim
            .iter()
            .find(|d| aligned(d, strict("adkim")))
            .map(|d| d.to_ascii_lowercase());
        let spf_aligned = match self.envelope_domain() {
            Some(envelope) if envelope.eq_ignore_ascii_case(from) => {
                Some(spf == Some(SpfResult::Pass))
            }
            Some(envelope) if aligned(envelope, strict("aspf")) => None,
            // Another organization's envelope domain, or a null sender: no aligned SPF.
            _ => Some(false),
        };
        let outcome = if dmarc.policy.is_none() {
            DmarcOutcome::NoPolicy
        } else if dkim_aligned.is_some() || spf_aligned == Some(true) {
            DmarcOutcome::Pass
        } else if spf_aligned.is_none() {
            DmarcOutcome::Unknown
        } else {
            DmarcOutcome::Fail
        };
        Some(MessageDmarc {
            outcome,
            dkim_aligned,
            spf_aligned,
            policy: (outcome == DmarcOutcome::Fail)
                .then_some(dmarc.policy)
                .flatten(),
        })
    }

    /// The envelope sender's domain, the identity SPF checks (RFC 7208 §2.4); `None` for a
    /// null sender.
    pub fn envelope_domain(&self) -> Option<&str> {
        self.envelope_from
            .rsplit_once('@')
            .map(|(_, domain)| domain)
            .filter(|domain| !domain.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "Received: from mail.sender.example (mail.sender.example [192.0.2.25])\r\n\
        \tby mx.cloudflare.net (Postfix) with ESMTPS id 1;\r\n\
        \tThu, 03 Dec 2026 10:00:05 +0000\r\n\
        Received: from [10.0.0.5] (helo=laptop) by mail.sender.example with ESMTPSA;\r\n\
        \tThu, 03 Dec 2026 10:00:00 +0000\r\n\
        DKIM-Signature: v=1; a=rsa-sha256; d=sender.example; s=s1; h=from; bh=x; b=y\r\n\
        DKIM-Signature: v=1; a=rsa-sha256; d=esp.example; s=k1; h=from; bh=x; b=y\r\n\
        From: Praxis <info@sender.example>\r\n\
        To: check-abc@check.example\r\n\
        Subject: test\r\n\
        \r\n\
        body\r\n";

    #[test]
    fn the_newest_hop_names_the_connecting_ip() {
        let received = Received::read(MESSAGE, "<Bounce@ESP.example>");
        assert_eq!(received.ip, Some("192.0.2.25".parse().unwrap()));
        assert_eq!(received.header_from.as_deref(), Some("sender.example"));
        assert_eq!(received.envelope_from, "bounce@esp.example");
        assert_eq!(received.envelope_domain(), Some("esp.example"));
        assert_eq!(received.hops.len(), 2);
        assert_eq!(received.hops[0].ip, Some("10.0.0.5".parse().unwrap()));
        let input = received.check_input(1_796_292_005).unwrap();
        assert_eq!(input.domain, "sender.example");
        assert_eq!(input.ips, ["192.0.2.25".parse::<IpAddr>().unwrap()]);
        // Only the signature at the From domain names a selector there.
        assert_eq!(input.dkim_selectors, ["s1"]);
    }

    fn policy(record_tags: &[(&str, &str)], policy: Option<Policy>) -> DmarcSection {
        DmarcSection {
            tags: record_tags
                .iter()
                .map(|(name, value)| crate::dmarc::DmarcTag {
                    name: (*name).to_owned(),
                    value: (*value).to_owned(),
                    span: crate::findings::Span::new(0, 0),
                    value_span: crate::findings::Span::new(0, 0),
                })
                .collect(),
            policy,
            ..DmarcSection::default()
        }
    }

    #[test]
    fn dmarc_passes_with_an_aligned_signature_or_an_aligned_spf_pass() {
        let received = Received::read(MESSAGE, "info@sender.example");
        let reject = policy(&[], Some(Policy::Reject));
        // An aligned signature that verified: pass, whatever SPF says.
        let verdict = received
            .dmarc(&["sender.example"], Some(SpfResult::Fail), &reject)
            .unwrap();
        assert_eq!(verdict.outcome, DmarcOutcome::Pass);
        assert_eq!(verdict.dkim_aligned.as_deref(), Some("sender.example"));
        // Only the ESP's signature: SPF decides (the envelope domain is the From domain).
        let verdict = received
            .dmarc(&["esp.example"], Some(SpfResult::Pass), &reject)
            .unwrap();
        assert_eq!(
            (verdict.outcome, verdict.spf_aligned),
            (DmarcOutcome::Pass, Some(true))
        );
        let verdict = received
            .dmarc(&["esp.example"], Some(SpfResult::SoftFail), &reject)
            .unwrap();
        assert_eq!(verdict.outcome, DmarcOutcome::Fail);
        assert_eq!(verdict.policy, Some(Policy::Reject));
        // A subdomain signature is aligned in relaxed mode only (adkim=s).
        let strict = policy(&[("adkim", "s")], Some(Policy::Quarantine));
        let sub = Received::read(
            &MESSAGE.replace("d=sender.example", "d=mail.sender.example"),
            "x@esp.example",
        );
        assert_eq!(
            sub.dmarc(&["mail.sender.example"], None, &reject)
                .unwrap()
                .outcome,
            DmarcOutcome::Pass
        );
        assert_eq!(
            sub.dmarc(&["mail.sender.example"], None, &strict)
                .unwrap()
                .outcome,
            DmarcOutcome::Fail
        );
        // An aligned envelope domain that is another name: SPF was not evaluated for it.
        let bounce = Received::read(MESSAGE, "b@bounce.sender.example");
        let verdict = bounce.dmarc(&[], Some(SpfResult::Fail), &reject).unwrap();
        assert_eq!(
            (verdict.outcome, verdict.spf_aligned),
            (DmarcOutcome::Unknown, None)
        );
        // No policy published.
        let none = policy(&[], None);
        assert_eq!(
            received.dmarc(&[], None, &none).unwrap().outcome,
            DmarcOutcome::NoPolicy
        );
    }

    #[test]
    fn ipv6_literals_and_missing_parts() {
        let received = Received::read(
            "Received: from a.example ([IPv6:2001:db8::25]) by mx.example;\r\n\
             \tThu, 03 Dec 2026 10:00:05 +0000\r\n\r\n",
            "",
        );
        assert_eq!(received.ip, Some("2001:db8::25".parse().unwrap()));
        assert_eq!(received.envelope_domain(), None);
        // No From header: nothing to judge DMARC for.
        assert!(received.check_input(0).is_none());
        let none = Received::read("Subject: x\r\n\r\n", "a@b.example");
        assert_eq!(none.ip, None);
        assert!(none.hops.is_empty());
    }
}
