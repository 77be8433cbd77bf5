//! The test address (the mail-tester flow), the rules without I/O: a token is 16 random octets
//! written in base32 (RFC 4648 §6, lowercase, no padding: 26 characters, 128 bits, so it cannot
//! be guessed); the address is `check-<token>@<domain>`; the worker keeps a pending token for
//! [`PENDING_TTL`] seconds and the result of the first message to it for [`RESULT_TTL`]
//! seconds (Workers KV), never the message itself.

use crate::request::GatewayError;

/// Characters of a token.
pub const TOKEN_LEN: usize = 26;
/// How long an address waits for its message: an hour.
pub const PENDING_TTL: u64 = 3600;
/// How long the result is kept: a day (then KV forgets it).
pub const RESULT_TTL: u64 = 86_400;
/// The largest message read; a longer one is judged by its first this many octets (its
/// headers come first, and the body is only needed for the DKIM body hash).
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// The token for 16 random octets.
pub fn token(random: &[u8; 16]) -> String {
    let mut out = String::with_capacity(TOKEN_LEN);
    let mut buffer = 0u32;
    let mut bits = 0;
    for &byte in random {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Whether `text` is a token (as written by [`token`]).
pub fn is_token(text: &str) -> bool {
    text.len() == TOKEN_LEN && text.bytes().all(|b| ALPHABET.contains(&b))
}

/// The test address of a token at the worker's mail domain.
pub fn address(token: &str, domain: &str) -> String {
    format!("check-{token}@{domain}")
}

/// The token of a recipient address, when it is a test address at `domain` (any case).
pub fn token_of(recipient: &str, domain: &str) -> Option<String> {
    let recipient = recipient
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_ascii_lowercase();
    let (local, at) = recipient.rsplit_once('@')?;
    if !at.eq_ignore_ascii_case(domain.trim()) {
        return None;
    }
    let token = local.strip_prefix("check-")?;
    is_token(token).then(|| token.to_owned())
}

/// The token of `GET /api/test-address/<token>`.
///
/// # Errors
///
/// [`GatewayError::TestAddressUnknown`] for anything that is not a token.
pub fn token_of_path(path: &str) -> Result<&str, GatewayError> {
    path.strip_prefix("/api/test-address/")
        .filter(|token| is_token(token))
        .ok_or(GatewayError::TestAddressUnknown)
}

/// The KV key of a pending token.
pub fn pending_key(token: &str) -> String {
    format!("pending:{token}")
}

/// The KV key of a token's result.
pub fn result_key(token: &str) -> String {
    format!("result:{token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_26_base32_characters_of_128_bits() {
        let zero = token(&[0; 16]);
        assert_eq!(zero, "a".repeat(26));
        let ones = token(&[0xff; 16]);
        assert_eq!(ones.len(), TOKEN_LEN);
        // 128 bits: 25 full characters and 3 bits of the last, padded with zeros (RFC 4648 §6).
        assert_eq!(ones, format!("{}4", "7".repeat(25)));
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_ne!(token(&one), zero);
        assert!(is_token(&ones) && is_token(&zero));
        assert!(!is_token("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        assert!(!is_token(&"a".repeat(25)));
    }

    #[test]
    fn only_test_addresses_at_the_domain_have_a_token() {
        let t = token(&[7; 16]);
        let address = address(&t, "check.example");
        assert_eq!(token_of(&address, "check.example"), Some(t.clone()));
        assert_eq!(
            token_of(&format!("<{}>", address.to_uppercase()), "CHECK.example"),
            Some(t.clone())
        );
        assert_eq!(token_of(&address, "other.example"), None);
        assert_eq!(
            token_of(&format!("x-{t}@check.example"), "check.example"),
            None
        );
        assert_eq!(token_of("check-short@check.example", "check.example"), None);
        assert_eq!(
            token_of_path(&format!("/api/test-address/{t}")).ok(),
            Some(t.as_str())
        );
        assert!(token_of_path("/api/test-address/../x").is_err());
    }
}
