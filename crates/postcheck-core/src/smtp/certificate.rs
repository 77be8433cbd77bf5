//! What the SMTP check shows of a server's certificate that the TLS library does not: the end
//! of its validity (RFC 5280 §4.1.2.5), read from the DER the driver hands over.

use crate::der::{Der, TAG_INTEGER, TAG_SEQUENCE};

/// UTCTime (RFC 5280 §4.1.2.5.1).
const TAG_UTC_TIME: u8 = 0x17;
/// GeneralizedTime (RFC 5280 §4.1.2.5.2).
const TAG_GENERALIZED_TIME: u8 = 0x18;
/// The context-specific `[0] EXPLICIT Version` of a TBSCertificate.
const TAG_VERSION: u8 = 0xa0;

/// The certificate's `notAfter` as `2026-12-31 23:59:59 UTC`; `None` when `der` is not an
/// X.509 certificate as RFC 5280 §4.1 gives it.
///
/// ```
/// # use postcheck_core::smtp::certificate::not_after;
/// assert_eq!(not_after(b"not a certificate"), None);
/// ```
pub fn not_after(der: &[u8]) -> Option<String> {
    // Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
    let certificate = crate::der::outer_sequence(der)?;
    let mut fields = Der::new(Der::new(certificate).expect(TAG_SEQUENCE)?);
    // TBSCertificate ::= SEQUENCE { version [0] EXPLICIT OPTIONAL, serialNumber, signature,
    //   issuer, validity, ... }
    if fields.element()?.0 == TAG_VERSION {
        fields.expect(TAG_INTEGER)?;
    }
    // signature AlgorithmIdentifier, issuer Name
    fields.expect(TAG_SEQUENCE)?;
    fields.expect(TAG_SEQUENCE)?;
    // Validity ::= SEQUENCE { notBefore Time, notAfter Time }
    let mut validity = Der::new(fields.expect(TAG_SEQUENCE)?);
    validity.element()?;
    let (tag, time) = validity.element()?;
    time_text(tag, time)
}

/// `YYMMDDHHMMSSZ` (years 50–99 are 19xx, RFC 5280 §4.1.2.5.1) or `YYYYMMDDHHMMSSZ`.
fn time_text(tag: u8, time: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(time).ok()?;
    let digits = text.strip_suffix('Z')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, rest) = match (tag, digits.len()) {
        (TAG_UTC_TIME, 12) => {
            let short: u32 = digits[..2].parse().ok()?;
            let century = if short >= 50 { 1900 } else { 2000 };
            (century + short, &digits[2..])
        }
        (TAG_GENERALIZED_TIME, 14) => (digits[..4].parse().ok()?, &digits[4..]),
        _ => return None,
    };
    let part = |i: usize| &rest[i..i + 2];
    Some(format!(
        "{year:04}-{}-{} {}:{}:{} UTC",
        part(0),
        part(2),
        part(4),
        part(6),
        part(8)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal certificate's DER with the given validity times (content of each Time).
    fn certificate(version: bool, not_after: (u8, &[u8])) -> Vec<u8> {
        fn element(tag: u8, content: &[u8]) -> Vec<u8> {
            assert!(content.len() < 128);
            let mut out = vec![tag, content.len() as u8];
            out.extend_from_slice(content);
            out
        }
        let mut tbs = Vec::new();
        if version {
            tbs.extend(element(TAG_VERSION, &element(0x02, &[2])));
        }
        tbs.extend(element(0x02, &[1, 2, 3]));
        tbs.extend(element(TAG_SEQUENCE, &element(0x06, &[0x2a])));
        tbs.extend(element(TAG_SEQUENCE, &[]));
        let mut validity = element(TAG_UTC_TIME, b"250101000000Z");
        validity.extend(element(not_after.0, not_after.1));
        tbs.extend(element(TAG_SEQUENCE, &validity));
        tbs.extend(element(TAG_SEQUENCE, &[]));
        let mut certificate = element(TAG_SEQUENCE, &tbs);
        certificate.extend(element(TAG_SEQUENCE, &element(0x06, &[0x2a])));
        certificate.extend(element(0x03, &[0]));
        element(TAG_SEQUENCE, &certificate)
    }

    #[test]
    fn reads_both_time_forms_with_and_without_version() {
        assert_eq!(
            not_after(&certificate(true, (TAG_UTC_TIME, b"261231235959Z"))).as_deref(),
            Some("2026-12-31 23:59:59 UTC")
        );
        assert_eq!(
            not_after(&certificate(false, (TAG_UTC_TIME, b"991231000000Z"))).as_deref(),
            Some("1999-12-31 00:00:00 UTC")
        );
        assert_eq!(
            not_after(&certificate(
                true,
                (TAG_GENERALIZED_TIME, b"20510101120000Z")
            ))
            .as_deref(),
            Some("2051-01-01 12:00:00 UTC")
        );
    }

    #[test]
    fn anything_else_is_none() {
        assert_eq!(
            not_after(&certificate(true, (TAG_UTC_TIME, b"2612312359Z"))),
            None
        );
        assert_eq!(
            not_after(&certificate(true, (0x04, b"261231235959Z"))),
            None
        );
        assert_eq!(
            not_after(&certificate(true, (TAG_UTC_TIME, b"26123123595xZ"))),
            None
        );
        let mut trailing = certificate(true, (TAG_UTC_TIME, b"261231235959Z"));
        trailing.push(0);
        assert_eq!(not_after(&trailing), None);
        assert_eq!(not_after(&[]), None);
        assert_eq!(not_after(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
    }
}
