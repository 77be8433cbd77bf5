//! Reading the public key of a DKIM key record (`p=`): the base64 decoder and the tiny DER
//! reader that tell an RSA key's size (RFC 6376 §3.6.1, RFC 8301 §3.2) and check an Ed25519 key
//! (RFC 8463 §4.2), written here to keep the browser build small.

use serde::{Deserialize, Serialize};

/// The key types of RFC 6376 §3.6.1 (`k=rsa`, the default) and RFC 8463 §4.2 (`k=ed25519`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyType {
    /// RSA (RFC 6376 §3.3), at least 1024 bits long (RFC 8301 §3.2).
    Rsa,
    /// Ed25519 (RFC 8463 §3).
    Ed25519,
}

impl KeyType {
    /// The `k=` value.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Rsa => "rsa",
            KeyType::Ed25519 => "ed25519",
        }
    }

    /// A `k=` value; compared case-insensitively, so that `k=RSA` is not a false alarm.
    pub fn parse(value: &str) -> Option<KeyType> {
        if value.eq_ignore_ascii_case("rsa") {
            Some(KeyType::Rsa)
        } else if value.eq_ignore_ascii_case("ed25519") {
            Some(KeyType::Ed25519)
        } else {
            None
        }
    }
}

/// How the key's bytes are packaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyFormat {
    /// A DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) with the rsaEncryption OID: what
    /// `openssl rsa -pubout` writes and what nearly everyone publishes.
    Spki,
    /// A bare DER RSAPublicKey (RFC 8017 §A.1.1), which RFC 6376 §3.6.1 literally names.
    Pkcs1,
    /// The 32 raw bytes of an Ed25519 key (RFC 8463 §4.2).
    Raw,
}

/// A key that decoded: its type, packaging and size in bits (the RSA modulus, or 256).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodedKey {
    /// The key type the bytes were read as.
    pub key_type: KeyType,
    /// How the key's bytes are packaged.
    pub format: KeyFormat,
    /// The key's size in bits: the RSA modulus's length, or 256 for Ed25519.
    pub bits: u32,
}

/// Why `p=` is not base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the base64 alphabet, at this byte offset of the text.
    Character {
        /// The character's byte offset in the text.
        index: usize,
        /// The character as it stands in the text.
        character: char,
    },
    /// Data after the `=` padding, at this byte offset.
    AfterPadding {
        /// The byte offset of the first character after the padding.
        index: usize,
    },
    /// The number of characters cannot encode whole bytes (or too much padding).
    Length,
}

/// Why the decoded bytes are not a key of the stated type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// `k=rsa`, but the bytes are no DER RSA public key.
    NotRsa,
    /// `k=rsa`, but the bytes are an Ed25519 key (32 raw bytes or its SubjectPublicKeyInfo):
    /// `k=ed25519` is missing.
    LooksEd25519,
    /// `k=ed25519`, but the bytes are an RSA key.
    LooksRsa,
    /// `k=ed25519` with the key wrapped in a SubjectPublicKeyInfo instead of the 32 raw bytes
    /// RFC 8463 §4.2 asks for.
    Ed25519Spki,
    /// `k=ed25519` with this many bytes instead of 32.
    Ed25519Length(usize),
}

fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

fn sextet(byte: u8) -> Option<u32> {
    Some(u32::from(match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Decodes base64 (RFC 2045 §6.8) with whitespace anywhere, as RFC 6376 §3.6.1's
/// `base64string` allows folding whitespace between the characters. Missing padding is
/// accepted; bits left over in the last character are ignored.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut buffered_bits = 0;
    let mut characters = 0usize;
    let mut padding = 0usize;
    let mut padding_start = None;
    for (index, &byte) in text.as_bytes().iter().enumerate() {
        if is_whitespace(byte) {
            continue;
        }
        if byte == b'=' {
            padding += 1;
            padding_start.get_or_insert(index);
            continue;
        }
        let Some(value) = sextet(byte) else {
            let character = text[index..].chars().next().unwrap_or('\u{fffd}');
            return Err(Base64Error::Character { index, character });
        };
        if let Some(start) = padding_start {
            return Err(Base64Error::AfterPadding { index: start });
        }
        characters += 1;
        buffer = (buffer << 6) | value;
        buffered_bits += 6;
        if buffered_bits >= 8 {
            buffered_bits -= 8;
            bytes.push((buffer >> buffered_bits) as u8);
            buffer &= (1 << buffered_bits) - 1;
        }
    }
    let remainder = characters % 4;
    let padding_ok = match padding {
        0 => true,
        _ => padding <= 2 && (characters + padding).is_multiple_of(4),
    };
    if remainder == 1 || !padding_ok {
        return Err(Base64Error::Length);
    }
    Ok(bytes)
}

/// The DER encoding of the rsaEncryption OID 1.2.840.113549.1.1.1 (RFC 8017 §A.1).
const RSA_ENCRYPTION_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// The DER encoding of the id-Ed25519 OID 1.3.101.112 (RFC 8410 §3).
const ED25519_OID: &[u8] = &[0x2b, 0x65, 0x70];

use crate::der::{
    Der, TAG_BIT_STRING, TAG_INTEGER, TAG_NULL, TAG_OID, TAG_SEQUENCE, outer_sequence,
};

/// The bit length of a positive DER INTEGER: leading zero octets do not count, a negative or
/// zero value is no modulus.
fn positive_integer_bits(content: &[u8]) -> Option<u32> {
    if content.first()? & 0x80 != 0 {
        return None;
    }
    let start = content.iter().position(|&b| b != 0)?;
    let significant = &content[start..];
    let leading = significant[0].leading_zeros();
    u32::try_from(significant.len() * 8)
        .ok()
        .map(|bits| bits - leading)
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1),
/// given the SEQUENCE's content. Returns the modulus bits.
fn rsa_public_key_bits(content: &[u8]) -> Option<u32> {
    let mut fields = Der::new(content);
    let modulus = positive_integer_bits(fields.expect(TAG_INTEGER)?)?;
    positive_integer_bits(fields.expect(TAG_INTEGER)?)?;
    fields.is_empty().then_some(modulus)
}

/// The algorithm OID and the key bits of a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), given the
/// outer SEQUENCE's content.
fn spki(content: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut fields = Der::new(content);
    let mut algorithm = Der::new(fields.expect(TAG_SEQUENCE)?);
    let oid = algorithm.expect(TAG_OID)?;
    // The parameters: NULL for rsaEncryption (RFC 8017 §A.1), absent for Ed25519 (RFC 8410 §3);
    // some encoders leave the NULL out, which verifiers accept.
    if !algorithm.is_empty() {
        algorithm.expect(TAG_NULL)?;
        if !algorithm.is_empty() {
            return None;
        }
    }
    let bit_string = fields.expect(TAG_BIT_STRING)?;
    let (&unused_bits, key) = bit_string.split_first()?;
    if unused_bits != 0 || !fields.is_empty() {
        return None;
    }
    Some((oid, key))
}

/// An RSA key: a SubjectPublicKeyInfo with rsaEncryption, or a bare RSAPublicKey.
fn rsa_key(bytes: &[u8]) -> Option<(KeyFormat, u32)> {
    let content = outer_sequence(bytes)?;
    if let Some((oid, key)) = spki(content) {
        if oid != RSA_ENCRYPTION_OID {
            return None;
        }
        let bits = rsa_public_key_bits(outer_sequence(key)?)?;
        return Some((KeyFormat::Spki, bits));
    }
    rsa_public_key_bits(content).map(|bits| (KeyFormat::Pkcs1, bits))
}

/// Whether the bytes are an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4).
fn is_ed25519_spki(bytes: &[u8]) -> bool {
    outer_sequence(bytes)
        .and_then(spki)
        .is_some_and(|(oid, key)| oid == ED25519_OID && key.len() == 32)
}

/// Checks that `bytes` are a key of `key_type` and reads its size.
pub fn decode_key(key_type: KeyType, bytes: &[u8]) -> Result<DecodedKey, KeyError> {
    match key_type {
        KeyType::Rsa => match rsa_key(bytes) {
            Some((format, bits)) => Ok(DecodedKey {
                key_type,
                format,
                bits,
            }),
            None if bytes.len() == 32 || is_ed25519_spki(bytes) => Err(KeyError::LooksEd25519),
            None => Err(KeyError::NotRsa),
        },
        // RFC 8463 §4.2: the key is the 32 raw bytes, with no ASN.1 around it.
        KeyType::Ed25519 => {
            if bytes.len() == 32 {
                Ok(DecodedKey {
                    key_type,
                    format: KeyFormat::Raw,
                    bits: 256,
                })
            } else if is_ed25519_spki(bytes) {
                Err(KeyError::Ed25519Spki)
            } else if rsa_key(bytes).is_some() {
                Err(KeyError::LooksRsa)
            } else {
                Err(KeyError::Ed25519Length(bytes.len()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `openssl genrsa 2048 | openssl rsa -pubout -outform DER | base64`.
    const RSA_2048: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxeWhcLDs8wxTVhEAKyRBqcgKPeBvp8tT9FELLUfGc3jitphfdq5YZ6B6wmwJfuYYi5a84tj5iOMJ8QYfjpwGJusBIa2LK8fwNj0nhXgpxeQsFQ5IIvi0t3aOypBcDu0ARRSBOM4+F6drpQrnPKnlrUHvVITjyuoyHVYrVrRZZ3Ivpr5+uIKGZv/k80/chFTy+wAwL11o7tIBy+noxZue9rQYY5/1qyQZwfJvqGmwn5Ez36tyKeLZcN1XY+3F81Ovv63rcEINBGJ5sR5LOuB4ykmrCMmtfFU/bJ4r7GI8SfIfhSDjUJm8FQg14hT2oXG/jNc+8VYp/sctYChhm84/ewIDAQAB";
    /// The same key as a bare RSAPublicKey (`openssl rsa -RSAPublicKey_out -outform DER`).
    const RSA_2048_PKCS1: &str = "MIIBCgKCAQEAxeWhcLDs8wxTVhEAKyRBqcgKPeBvp8tT9FELLUfGc3jitphfdq5YZ6B6wmwJfuYYi5a84tj5iOMJ8QYfjpwGJusBIa2LK8fwNj0nhXgpxeQsFQ5IIvi0t3aOypBcDu0ARRSBOM4+F6drpQrnPKnlrUHvVITjyuoyHVYrVrRZZ3Ivpr5+uIKGZv/k80/chFTy+wAwL11o7tIBy+noxZue9rQYY5/1qyQZwfJvqGmwn5Ez36tyKeLZcN1XY+3F81Ovv63rcEINBGJ5sR5LOuB4ykmrCMmtfFU/bJ4r7GI8SfIfhSDjUJm8FQg14hT2oXG/jNc+8VYp/sctYChhm84/ewIDAQAB";
    const RSA_1024: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCvxFAzHjuub2IT3d1fZdd2KkTg+yck6QiVeU2i3hqBtACDcC/cLcJIXSOTrIF43Lfc+1crcRlyTp0N1n4oUNyE8YidZIGV36FZruHHvY2q6r3E8PIOYRPO/VjAqTxQxpIWBi3lrJx4IRI/+7E0JQG77q+kaS8VmYTaoU2dHb6uuwIDAQAB";
    const RSA_512: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALpHiKcIM2OSE1Axiswbp3oaAfTT89EF/JCOnmbE3tZkB1iFyohhPnaUf2YxsuyrKtg6xLXEZd17tbk99lHPg1cCAwEAAQ==";
    /// The Ed25519 key of RFC 8463 Appendix A.2.
    const ED25519: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    /// An Ed25519 key wrapped in a SubjectPublicKeyInfo (`openssl pkey -pubout -outform DER`).
    const ED25519_SPKI: &str = "MCowBQYDK2VwAyEA1j6Qf7XRD7AA+zRtaNrr0qyVx2fLICFPP2mIx8IEDn4=";

    fn decode(key_type: KeyType, text: &str) -> Result<DecodedKey, KeyError> {
        decode_key(key_type, &decode_base64(text).expect("base64"))
    }

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (text, bytes) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
            ("Zm9vYg", "foob"),
            (" Zm9v\r\n YmFy\t", "foobar"),
            ("Zm9vYmE =", "fooba"),
        ] {
            assert_eq!(
                decode_base64(text),
                Ok(bytes.as_bytes().to_vec()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn base64_errors_say_where() {
        assert_eq!(
            decode_base64("Zm9v-YmFy"),
            Err(Base64Error::Character {
                index: 4,
                character: '-'
            })
        );
        assert_eq!(
            decode_base64("Zm9vä"),
            Err(Base64Error::Character {
                index: 4,
                character: 'ä'
            })
        );
        assert_eq!(
            decode_base64("Zg==Zg=="),
            Err(Base64Error::AfterPadding { index: 2 })
        );
        assert_eq!(decode_base64("Zm9vY"), Err(Base64Error::Length));
        assert_eq!(decode_base64("Zm9v="), Err(Base64Error::Length));
        assert_eq!(decode_base64("Zg==="), Err(Base64Error::Length));
    }

    #[test]
    fn rsa_keys_report_their_modulus_bits() {
        for (text, format, bits) in [
            (RSA_2048, KeyFormat::Spki, 2048),
            (RSA_2048_PKCS1, KeyFormat::Pkcs1, 2048),
            (RSA_1024, KeyFormat::Spki, 1024),
            (RSA_512, KeyFormat::Spki, 512),
        ] {
            assert_eq!(
                decode(KeyType::Rsa, text),
                Ok(DecodedKey {
                    key_type: KeyType::Rsa,
                    format,
                    bits
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn ed25519_keys_are_32_raw_bytes() {
        assert_eq!(
            decode(KeyType::Ed25519, ED25519),
            Ok(DecodedKey {
                key_type: KeyType::Ed25519,
                format: KeyFormat::Raw,
                bits: 256
            })
        );
        assert_eq!(
            decode(KeyType::Ed25519, ED25519_SPKI),
            Err(KeyError::Ed25519Spki)
        );
        assert_eq!(decode(KeyType::Ed25519, RSA_1024), Err(KeyError::LooksRsa));
        assert_eq!(
            decode(KeyType::Ed25519, "Zm9vYmFy"),
            Err(KeyError::Ed25519Length(6))
        );
        assert_eq!(decode(KeyType::Rsa, ED25519), Err(KeyError::LooksEd25519));
        assert_eq!(
            decode(KeyType::Rsa, ED25519_SPKI),
            Err(KeyError::LooksEd25519)
        );
    }

    #[test]
    fn broken_der_is_not_a_key() {
        let bytes = decode_base64(RSA_2048).unwrap();
        // Cut short, with trailing data, with another algorithm.
        assert_eq!(
            decode_key(KeyType::Rsa, &bytes[..bytes.len() - 1]),
            Err(KeyError::NotRsa)
        );
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_key(KeyType::Rsa, &longer), Err(KeyError::NotRsa));
        let mut other = bytes.clone();
        // The last OID octet: rsaEncryption (1) becomes RSASSA-PSS (10).
        other[16] = 0x0a;
        assert_eq!(decode_key(KeyType::Rsa, &other), Err(KeyError::NotRsa));
        assert_eq!(decode(KeyType::Rsa, "Zm9vYmFy"), Err(KeyError::NotRsa));
        assert_eq!(decode_key(KeyType::Rsa, &[]), Err(KeyError::NotRsa));
        // Indefinite length and an oversized length.
        assert_eq!(
            decode_key(KeyType::Rsa, &[0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]),
            Err(KeyError::NotRsa)
        );
        assert_eq!(
            decode_key(KeyType::Rsa, &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
            Err(KeyError::NotRsa)
        );
    }

    #[test]
    fn modulus_bits_ignore_leading_zero_octets() {
        assert_eq!(positive_integer_bits(&[0x00, 0xc5, 0x01]), Some(16));
        assert_eq!(positive_integer_bits(&[0x01]), Some(1));
        assert_eq!(positive_integer_bits(&[0x00, 0x00, 0x7f]), Some(7));
        assert_eq!(positive_integer_bits(&[0x80]), None);
        assert_eq!(positive_integer_bits(&[0x00]), None);
        assert_eq!(positive_integer_bits(&[]), None);
        // A bare PKCS#1 key with a 9-bit modulus and exponent 3.
        assert_eq!(
            rsa_key(&[0x30, 0x07, 0x02, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03]),
            Some((KeyFormat::Pkcs1, 9))
        );
    }
}
