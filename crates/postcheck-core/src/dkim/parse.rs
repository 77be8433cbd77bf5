//! The DKIM key record parser: the tag-list of RFC 6376 §3.2 and the key tags of §3.6.1, with
//! spans, plus what RFC 8301 and RFC 8463 ask of the key.
//!
//! It never stops at the first problem. It returns every tag it found, what the known tags say,
//! the decoded key's type and size, and a [`Finding`] with a byte span into the record text (TXT
//! strings joined, §3.6.2.2) for every problem. Which selector the record sits at is the check's
//! business, not the parser's.

use super::key::{self, Base64Error, KeyError, KeyFormat, KeyType};
use crate::findings::{Code, Finding, Span};
use crate::taglist;

/// The tags RFC 6376 §3.6.1 defines for key records; other tags are ignored (§3.2).
pub const KNOWN_TAGS: &[&str] = &["v", "h", "k", "n", "p", "s", "t"];

/// RFC 8301 §3.2: verifiers must not accept RSA keys under 1024 bits.
pub const RSA_MINIMUM_BITS: u32 = 1024;
/// RFC 8301 §3.2: signers should use RSA keys of at least 2048 bits.
pub const RSA_RECOMMENDED_BITS: u32 = 2048;

/// One `name=value` piece of the record as written (the shared tag-list reader's tag).
pub use crate::taglist::Tag as DkimTag;

/// A parsed key record: the text, its tags, what the known tags say, the key, the diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimKeyRecord {
    /// The record as shown: its TXT strings joined (RFC 6376 §3.6.2.2).
    pub text: String,
    /// Every tag as written, known or not, in order.
    pub tags: Vec<DkimTag>,
    /// The stated key type (`k=`, `rsa` when absent); `None` when `k=` names an unknown type.
    pub key_type: Option<KeyType>,
    /// How the key is packaged, when it decoded.
    pub key_format: Option<KeyFormat>,
    /// The key's size in bits (the RSA modulus, 256 for Ed25519), when it decoded.
    pub bits: Option<u32>,
    /// The `h=` entries as written; empty when absent (every algorithm allowed).
    pub hash_algorithms: Vec<String>,
    /// The `s=` entries as written; empty when absent (`*`).
    pub service_types: Vec<String>,
    /// The `t=` entries as written.
    pub flags: Vec<String>,
    /// `p=` is empty: the key was revoked (§3.6.1).
    pub revoked: bool,
    /// `t=y`: the domain is testing DKIM (§3.6.1).
    pub testing: bool,
    /// Every problem found, each with a span into `text`.
    pub diagnostics: Vec<Finding>,
}

impl DkimKeyRecord {
    /// The text of a tag, `name=value` as written.
    pub fn tag_text(&self, index: usize) -> &str {
        let span = self.tags[index].span;
        &self.text[span.start..span.end]
    }

    /// The first tag with this exact name.
    pub fn tag(&self, name: &str) -> Option<&DkimTag> {
        self.tags.iter().find(|tag| tag.name == name)
    }
}

/// The tags of a tag-list (RFC 6376 §3.2), FWS around names and values.
fn split_tags(text: &str) -> Vec<(DkimTag, bool)> {
    taglist::split(text, taglist::fws)
}

/// The entries of a colon-separated value (`h=`, `s=`, `t=`), whitespace around them removed.
fn list(value: &str) -> Vec<String> {
    value
        .split(':')
        .map(|entry| entry.trim_matches([' ', '\t', '\r', '\n']).to_owned())
        .filter(|entry| !entry.is_empty())
        .collect()
}

/// Whether TXT text is meant as a DKIM key record, for telling it apart from other TXT records
/// at the same name (a wildcard SPF record, a site verification). A record that starts with a
/// `v` tag is one when the version starts with `DKIM` (so that `v=DKIM2` is reported, not
/// skipped); any other is one when it has a `p` or `k` tag (in any case, so that `P=` is
/// reported too).
pub fn is_key_record(text: &str) -> bool {
    let tags = split_tags(text);
    match tags.first() {
        None => false,
        Some((first, _)) if first.name.eq_ignore_ascii_case("v") => first
            .value
            .get(..4)
            .is_some_and(|version| version.eq_ignore_ascii_case("DKIM")),
        Some(_) => tags.iter().any(|(tag, has_equals)| {
            *has_equals && (tag.name.eq_ignore_ascii_case("p") || tag.name == "k")
        }),
    }
}

/// Parses key record text.
pub fn parse(text: &str) -> DkimKeyRecord {
    let mut parser = Parser {
        record: DkimKeyRecord {
            text: text.to_owned(),
            tags: Vec::new(),
            key_type: Some(KeyType::Rsa),
            key_format: None,
            bits: None,
            hash_algorithms: Vec::new(),
            service_types: Vec::new(),
            flags: Vec::new(),
            revoked: false,
            testing: false,
            diagnostics: Vec::new(),
        },
    };
    parser.run();
    parser.record
}

struct Parser {
    record: DkimKeyRecord,
}

impl Parser {
    fn push(&mut self, finding: Finding) {
        self.record.diagnostics.push(finding);
    }

    fn tag_finding(&self, code: Code, index: usize) -> Finding {
        Finding::new(code)
            .with_span(self.record.tags[index].span)
            .with("term", self.record.tag_text(index))
            .with("tag", &self.record.tags[index].name)
    }

    fn syntax_error(&self, index: usize, reason: &str) -> Finding {
        self.tag_finding(Code::DkimSyntaxError, index)
            .with("reason", reason)
    }

    fn run(&mut self) {
        let text = self.record.text.clone();
        let split = split_tags(&text);
        let has_equals: Vec<bool> = split.iter().map(|(_, equals)| *equals).collect();
        self.record.tags = split.into_iter().map(|(tag, _)| tag).collect();

        let mut seen: Vec<String> = Vec::new();
        let mut key_tag = None;
        let mut misspelled_key_tag = false;
        for (index, has_equals) in has_equals.into_iter().enumerate() {
            let name = self.record.tags[index].name.clone();
            if !has_equals {
                let finding = self.syntax_error(index, "no-equals");
                self.push(finding);
                continue;
            }
            // §3.2: tag-name = ALPHA *ALNUMPUNC.
            let valid_name = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid_name {
                let finding = self.syntax_error(index, "name");
                self.push(finding);
                continue;
            }
            // §3.2: a tag name occurs at most once, or the whole tag-list is invalid.
            if seen.contains(&name) {
                let finding = self.syntax_error(index, "duplicate");
                self.push(finding);
                continue;
            }
            seen.push(name.clone());
            if !KNOWN_TAGS.contains(&name.as_str()) {
                // §3.2: tag names are case-sensitive, so `P=` is not `p=`; other unknown tags
                // are ignored, as verifiers must (§3.6.1).
                let lowercase = name.to_ascii_lowercase();
                if KNOWN_TAGS.contains(&lowercase.as_str()) {
                    misspelled_key_tag |= lowercase == "p";
                    let finding = self.syntax_error(index, "case").with("expected", lowercase);
                    self.push(finding);
                }
                continue;
            }
            // §3.2 VALCHAR: printable ASCII except `;`. Notes (`n=`) are free text and the key
            // (`p=`) gets its own base64 check.
            if name != "n"
                && name != "p"
                && let Some(character) = self.record.tags[index]
                    .value
                    .chars()
                    .find(|&c| !(c.is_ascii_graphic() || c.is_ascii_whitespace()))
            {
                let finding = self
                    .syntax_error(index, "character")
                    .with("character", format!("U+{:04X}", u32::from(character)));
                self.push(finding);
                if name == "k" {
                    self.record.key_type = None;
                }
                continue;
            }
            match name.as_str() {
                "v" => self.version(index),
                "h" => self.hash_algorithms(index),
                "k" => self.key_type(index),
                "s" => self.service_types(index),
                "t" => self.flags(index),
                "p" => key_tag = Some(index),
                _ => {}
            }
        }
        match key_tag {
            Some(index) => self.key(index),
            // §3.6.1: `p=` is required. A misspelled `P=` has been reported already.
            None if misspelled_key_tag => {}
            None => {
                let (start, end) = taglist::trim(&text, taglist::fws, 0, text.len());
                self.push(
                    Finding::new(Code::DkimSyntaxError)
                        .with_span(Span::new(start, end))
                        .with("term", &text[start..end])
                        .with("reason", "no-key"),
                );
            }
        }
    }

    /// §3.6.1: `v=`, if present, must be the first tag and exactly `DKIM1`; verifiers discard
    /// records that begin with any other version.
    fn version(&mut self, index: usize) {
        if index > 0 {
            let finding = self.syntax_error(index, "version-not-first");
            self.push(finding);
        } else if self.record.tags[index].value != "DKIM1" {
            let finding = self.syntax_error(index, "version");
            self.push(finding);
        }
    }

    /// §3.6.1 `h=`: unknown algorithms are ignored; RFC 8301 §3.1 removed sha1, so a key that
    /// allows only sha1 verifies nothing.
    fn hash_algorithms(&mut self, index: usize) {
        let algorithms = list(&self.record.tags[index].value);
        let allows = |name: &str| algorithms.iter().any(|a| a.eq_ignore_ascii_case(name));
        if !allows("sha256") {
            let finding = if allows("sha1") {
                self.tag_finding(Code::DkimSha1Only, index)
            } else {
                self.syntax_error(index, "hash")
            };
            self.push(finding);
        }
        self.record.hash_algorithms = algorithms;
    }

    /// §3.6.1 `k=`: `rsa`, or `ed25519` (RFC 8463 §4.2); verifiers ignore keys of other types.
    fn key_type(&mut self, index: usize) {
        self.record.key_type = KeyType::parse(&self.record.tags[index].value);
        if self.record.key_type.is_none() {
            let finding = self.syntax_error(index, "key-type");
            self.push(finding);
        }
    }

    /// §3.6.1 `s=`: a key meant for email lists `*` or `email`; unknown types are ignored.
    fn service_types(&mut self, index: usize) {
        let services = list(&self.record.tags[index].value);
        if !services
            .iter()
            .any(|s| s == "*" || s.eq_ignore_ascii_case("email"))
        {
            let finding = self.syntax_error(index, "service");
            self.push(finding);
        }
        self.record.service_types = services;
    }

    /// §3.6.1 `t=`: `y` is testing mode, `s` forbids subdomains in `i=`; others are ignored.
    fn flags(&mut self, index: usize) {
        let flags = list(&self.record.tags[index].value);
        if flags.iter().any(|flag| flag.eq_ignore_ascii_case("y")) {
            self.record.testing = true;
            let finding = self.tag_finding(Code::DkimTesting, index);
            self.push(finding);
        }
        self.record.flags = flags;
    }

    fn key_finding(&self, code: Code, span: Span) -> Finding {
        let finding = Finding::new(code).with_span(span);
        match self.record.key_type {
            Some(key_type) => finding.with("key_type", key_type.as_str()),
            None => finding,
        }
    }

    /// §3.6.1 `p=`: base64 of the key; empty means revoked. RFC 8301 §3.2 sets the RSA sizes.
    fn key(&mut self, index: usize) {
        let tag = self.record.tags[index].clone();
        if tag.value.bytes().all(taglist::fws) {
            self.record.revoked = true;
            let finding = self.tag_finding(Code::DkimKeyRevoked, index);
            self.push(finding);
            return;
        }
        // An unknown `k=` has been reported; there is no type to check the key against.
        let Some(key_type) = self.record.key_type else {
            return;
        };
        let value_start = tag.value_span.start;
        let bytes = match key::decode_base64(&tag.value) {
            Ok(bytes) => bytes,
            Err(_) if tag.value.contains("-----") => {
                // A PEM file pasted whole: `-----BEGIN PUBLIC KEY-----` and all.
                let finding = self
                    .key_finding(Code::DkimKeyInvalid, tag.value_span)
                    .with("reason", "pem");
                self.push(finding);
                return;
            }
            Err(error) => {
                let mut finding = self
                    .key_finding(Code::DkimKeyInvalid, tag.value_span)
                    .with("reason", "base64");
                match error {
                    Base64Error::Character { index, character } => {
                        let start = value_start + index;
                        finding = finding
                            .with_span(Span::new(start, start + character.len_utf8()))
                            .with("character", character);
                    }
                    Base64Error::AfterPadding { index } => {
                        finding =
                            finding.with_span(Span::new(value_start + index, tag.value_span.end));
                    }
                    Base64Error::Length => {}
                }
                self.push(finding);
                return;
            }
        };
        let decoded = match key::decode_key(key_type, &bytes) {
            Ok(decoded) => decoded,
            Err(error) => {
                let mut finding = self.key_finding(Code::DkimKeyInvalid, tag.value_span);
                finding = match error {
                    KeyError::NotRsa => finding.with("reason", "rsa"),
                    KeyError::LooksEd25519 => finding.with("reason", "looks-ed25519"),
                    KeyError::LooksRsa => finding.with("reason", "looks-rsa"),
                    KeyError::Ed25519Spki => finding.with("reason", "ed25519-spki"),
                    KeyError::Ed25519Length(length) => {
                        finding.with("reason", "ed25519").with("bytes", length)
                    }
                };
                self.push(finding);
                return;
            }
        };
        self.record.key_format = Some(decoded.format);
        self.record.bits = Some(decoded.bits);
        if decoded.key_type == KeyType::Rsa {
            if decoded.bits < RSA_MINIMUM_BITS {
                let finding = self
                    .key_finding(Code::DkimKeyTooShort, tag.span)
                    .with("bits", decoded.bits)
                    .with("minimum", RSA_MINIMUM_BITS);
                self.push(finding);
            } else if decoded.bits < RSA_RECOMMENDED_BITS {
                let finding = self
                    .key_finding(Code::DkimKeyWeak, tag.span)
                    .with("bits", decoded.bits)
                    .with("recommended", RSA_RECOMMENDED_BITS);
                self.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA_2048: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxeWhcLDs8wxTVhEAKyRBqcgKPeBvp8tT9FELLUfGc3jitphfdq5YZ6B6wmwJfuYYi5a84tj5iOMJ8QYfjpwGJusBIa2LK8fwNj0nhXgpxeQsFQ5IIvi0t3aOypBcDu0ARRSBOM4+F6drpQrnPKnlrUHvVITjyuoyHVYrVrRZZ3Ivpr5+uIKGZv/k80/chFTy+wAwL11o7tIBy+noxZue9rQYY5/1qyQZwfJvqGmwn5Ez36tyKeLZcN1XY+3F81Ovv63rcEINBGJ5sR5LOuB4ykmrCMmtfFU/bJ4r7GI8SfIfhSDjUJm8FQg14hT2oXG/jNc+8VYp/sctYChhm84/ewIDAQAB";
    const RSA_1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCvxFAzHjuub2IT3d1fZdd2KkTg+yck6QiVeU2i3hqBtACDcC/cLcJIXSOTrIF43Lfc+1crcRlyTp0N1n4oUNyE8YidZIGV36FZruHHvY2q6r3E8PIOYRPO/VjAqTxQxpIWBi3lrJx4IRI/+7E0JQG77q+kaS8VmYTaoU2dHb6uuwIDAQAB";
    const RSA_512: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALpHiKcIM2OSE1Axiswbp3oaAfTT89EF/JCOnmbE3tZkB1iFyohhPnaUf2YxsuyrKtg6xLXEZd17tbk99lHPg1cCAwEAAQ==";
    /// RFC 8463 Appendix A.2.
    const ED25519: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /// Parses `record` with `{2048}`, `{1024}`, `{512}` and `{ed}` replaced by the test keys,
    /// and compares the diagnostics as `code[reason] spanned-text`.
    fn check(record: &str, expect: &[&str]) -> DkimKeyRecord {
        let record = record
            .replace("{2048}", RSA_2048)
            .replace("{1024}", RSA_1024)
            .replace("{512}", RSA_512)
            .replace("{ed}", ED25519);
        let parsed = parse(&record);
        let got: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.span.expect("parser findings carry spans");
                let text = &record[span.start..span.end];
                let text = text
                    .replace(RSA_2048, "{2048}")
                    .replace(RSA_1024, "{1024}")
                    .replace(RSA_512, "{512}")
                    .replace(ED25519, "{ed}");
                match d.param("reason") {
                    "" => format!("{} {text}", d.code),
                    reason => format!("{}[{reason}] {text}", d.code),
                }
            })
            .collect();
        assert_eq!(got, expect, "record: {record}");
        parsed
    }

    #[test]
    fn valid_records_have_no_diagnostics() {
        let parsed = check("v=DKIM1; k=rsa; p={2048}", &[]);
        assert_eq!(parsed.key_type, Some(KeyType::Rsa));
        assert_eq!(parsed.key_format, Some(KeyFormat::Spki));
        assert_eq!(parsed.bits, Some(2048));
        assert!(!parsed.revoked && !parsed.testing);
        let parsed = check("p={2048}", &[]);
        assert_eq!(parsed.bits, Some(2048));
        let parsed = check("v=DKIM1; k=ed25519; p={ed}", &[]);
        assert_eq!(parsed.key_type, Some(KeyType::Ed25519));
        assert_eq!(parsed.key_format, Some(KeyFormat::Raw));
        assert_eq!(parsed.bits, Some(256));
        let parsed = check(
            " v = DKIM1 ;\th=sha1 : sha256; k=RSA; n=Schlüssel für Newsletter; s=email:*; t=s; g=*; x_future=1; p = MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxeWhcLDs8wxTVhEAKyRBqcgKPeBvp8tT9FELLUfGc3jitphfdq5YZ6B6wmwJfuYYi5a84tj5iOMJ8QYfjpwGJusBIa2LK8fwNj0nhXgpxeQsFQ5IIvi0t3aOypBcDu0ARRSBOM4+F6drpQrnPKnlrUHvVITjyuoyHVYrVrRZZ3Ivpr5+uIKGZv/k80/chFTy+wAwL11o7tIBy+noxZue9rQYY5/1qyQZwfJvqGmwn5Ez36tyKeLZcN1XY+3F81Ovv63rcEINBGJ5sR5LOuB4ykmrCMmtfFU/bJ4r7GI8SfIfhSDjUJm8FQg14hT2oXG/jNc+8VYp/sctYChhm84/ewIDAQAB ;",
            &[],
        );
        assert_eq!(parsed.bits, Some(2048));
        assert_eq!(parsed.hash_algorithms, ["sha1", "sha256"]);
        assert_eq!(parsed.service_types, ["email", "*"]);
        assert_eq!(parsed.flags, ["s"]);
        // Base64 broken by whitespace, as when a key is pasted in lines (§3.6.1 allows FWS).
        check(
            &format!("v=DKIM1; p={} {}", &RSA_2048[..200], &RSA_2048[200..]),
            &[],
        );
    }

    #[test]
    fn tags_carry_spans() {
        let parsed = parse("v=DKIM1; k = rsa ;p=");
        let spans: Vec<(&str, &str, Span, Span)> = parsed
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.value.as_str(), t.span, t.value_span))
            .collect();
        assert_eq!(
            spans,
            [
                ("v", "DKIM1", Span::new(0, 7), Span::new(2, 7)),
                ("k", "rsa", Span::new(9, 16), Span::new(13, 16)),
                ("p", "", Span::new(18, 20), Span::new(20, 20)),
            ]
        );
    }

    #[test]
    fn version_must_be_first_and_exact() {
        check("v=DKIM2; p={2048}", &["dkim-syntax-error[version] v=DKIM2"]);
        check("v=dkim1; p={2048}", &["dkim-syntax-error[version] v=dkim1"]);
        check(
            "v=DKIM1.0; p={2048}",
            &["dkim-syntax-error[version] v=DKIM1.0"],
        );
        check(
            "k=rsa; v=DKIM1; p={2048}",
            &["dkim-syntax-error[version-not-first] v=DKIM1"],
        );
    }

    #[test]
    fn tag_list_errors_point_at_the_tag() {
        check(
            "v=DKIM1; k=rsa p={2048}",
            &[
                "dkim-syntax-error[key-type] k=rsa p={2048}",
                "dkim-syntax-error[no-key] v=DKIM1; k=rsa p={2048}",
            ],
        );
        check(
            "v=DKIM1; rsa; p={2048}",
            &["dkim-syntax-error[no-equals] rsa"],
        );
        check(
            "v=DKIM1; 1k=rsa; p={2048}",
            &["dkim-syntax-error[name] 1k=rsa"],
        );
        check(
            "v=DKIM1; p={2048}; p={1024}",
            &["dkim-syntax-error[duplicate] p={1024}"],
        );
        check(
            "v=DKIM1; k=rsa; h=sha256\u{a0}; p={2048}",
            &["dkim-syntax-error[character] h=sha256\u{a0}"],
        );
        check(
            "v=DKIM1; K=rsa; p={2048}",
            &["dkim-syntax-error[case] K=rsa"],
        );
        // A misspelled key tag is reported once, not again as a missing key.
        check("v=DKIM1; P={2048}", &["dkim-syntax-error[case] P={2048}"]);
        check(
            "v=DKIM1; k=rsa",
            &["dkim-syntax-error[no-key] v=DKIM1; k=rsa"],
        );
        check(
            "v=DKIM1; k=dsa; p={2048}",
            &["dkim-syntax-error[key-type] k=dsa"],
        );
        check(
            "v=DKIM1; s=tlsrpt; p={2048}",
            &["dkim-syntax-error[service] s=tlsrpt"],
        );
        check(
            "v=DKIM1; h=sha512; p={2048}",
            &["dkim-syntax-error[hash] h=sha512"],
        );
    }

    #[test]
    fn unknown_tags_are_ignored() {
        check("v=DKIM1; g=*; o=~; foo=bar baz; p={2048}", &[]);
    }

    #[test]
    fn revoked_testing_and_sha1() {
        let parsed = check("v=DKIM1; p=", &["dkim-key-revoked p="]);
        assert!(parsed.revoked);
        assert_eq!(parsed.bits, None);
        check("v=DKIM1; k=rsa; p= ;", &["dkim-key-revoked p="]);
        let parsed = check("v=DKIM1; t=y; p={2048}", &["dkim-testing t=y"]);
        assert!(parsed.testing);
        check("v=DKIM1; t=s:y; p={2048}", &["dkim-testing t=s:y"]);
        check("v=DKIM1; h=sha1; p={2048}", &["dkim-sha1-only h=sha1"]);
        check("v=DKIM1; h=sha256:sha1; p={2048}", &[]);
    }

    #[test]
    fn key_sizes_follow_rfc_8301() {
        let parsed = check("v=DKIM1; p={1024}", &["dkim-key-weak p={1024}"]);
        assert_eq!(parsed.bits, Some(1024));
        let parsed = check("v=DKIM1; p={512}", &["dkim-key-too-short p={512}"]);
        assert_eq!(parsed.bits, Some(512));
        let finding = &parsed.diagnostics[0];
        assert_eq!(finding.param("bits"), "512");
        assert_eq!(finding.param("minimum"), "1024");
        assert_eq!(finding.param("key_type"), "rsa");
    }

    #[test]
    fn invalid_keys_say_why() {
        check(
            "v=DKIM1; p=MIIBIjANBg_kqhk",
            &["dkim-key-invalid[base64] _"],
        );
        check(
            "v=DKIM1; p=\"MIIBIjANBgkqhk\"",
            &["dkim-key-invalid[base64] \""],
        );
        check("v=DKIM1; p=Zg==Zg", &["dkim-key-invalid[base64] ==Zg"]);
        check("v=DKIM1; p=Zm9vY", &["dkim-key-invalid[base64] Zm9vY"]);
        check(
            "v=DKIM1; p=-----BEGIN PUBLIC KEY-----{1024}-----END PUBLIC KEY-----",
            &["dkim-key-invalid[pem] -----BEGIN PUBLIC KEY-----{1024}-----END PUBLIC KEY-----"],
        );
        check("v=DKIM1; p=Zm9vYmFy", &["dkim-key-invalid[rsa] Zm9vYmFy"]);
        check("v=DKIM1; p={ed}", &["dkim-key-invalid[looks-ed25519] {ed}"]);
        check(
            "v=DKIM1; k=ed25519; p={1024}",
            &["dkim-key-invalid[looks-rsa] {1024}"],
        );
        check(
            "v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA1j6Qf7XRD7AA+zRtaNrr0qyVx2fLICFPP2mIx8IEDn4=",
            &[
                "dkim-key-invalid[ed25519-spki] MCowBQYDK2VwAyEA1j6Qf7XRD7AA+zRtaNrr0qyVx2fLICFPP2mIx8IEDn4=",
            ],
        );
        let parsed = check(
            "v=DKIM1; k=ed25519; p=Zm9vYmFy",
            &["dkim-key-invalid[ed25519] Zm9vYmFy"],
        );
        assert_eq!(parsed.diagnostics[0].param("bytes"), "6");
        assert_eq!(parsed.diagnostics[0].param("key_type"), "ed25519");
        assert_eq!(parsed.bits, None);
        // An unknown type is reported on `k=`; the key is not judged against it.
        check(
            "v=DKIM1; k=ed448; p=Zm9vYmFy",
            &["dkim-syntax-error[key-type] k=ed448"],
        );
    }

    #[test]
    fn every_problem_is_reported() {
        check(
            "v=DKIM2; h=sha1; t=y; v=DKIM1; p={512}",
            &[
                "dkim-syntax-error[version] v=DKIM2",
                "dkim-sha1-only h=sha1",
                "dkim-testing t=y",
                "dkim-syntax-error[duplicate] v=DKIM1",
                "dkim-key-too-short p={512}",
            ],
        );
    }

    #[test]
    fn key_records_are_told_from_other_txt_records() {
        for (text, expect) in [
            ("v=DKIM1; p=", true),
            ("v=DKIM1; k=rsa", true),
            ("v=DKIM2; p=abc", true),
            ("p=abc", true),
            ("k=rsa; P=abc", true),
            ("v=spf1 include:_spf.example.net ~all", false),
            ("v=DMARC1; p=reject", false),
            ("google-site-verification=abc", false),
            ("", false),
            ("hello", false),
        ] {
            assert_eq!(is_key_record(text), expect, "{text}");
        }
    }
}
