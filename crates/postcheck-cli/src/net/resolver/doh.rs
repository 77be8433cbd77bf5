//! DNS over HTTPS (RFC 8484): GET requests with the message in `?dns=`, and the check of the
//! URL a resolver is set up with.

use super::{AttemptError, Resolver, ResolverError};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use postcheck_core::dns::{Answer, Query};
use postcheck_dns::{decode_response, encode_query};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use tokio::time::{Instant, timeout_at};

/// The media type of DNS messages over HTTP (RFC 8484 §6).
pub(super) const DNS_MESSAGE: &str = "application/dns-message";

impl Resolver {
    /// One DoH exchange (RFC 8484 §4.1): GET with `?dns=` the base64url message, no padding,
    /// message ID 0 (§4.1 recommends it for caching), `accept: application/dns-message`.
    ///
    /// Any status other than 200 is [`Failure::Error`], 5xx included: an HTTP failure says
    /// nothing about the DNS answer, whereas SERVFAIL is the DNS server's own verdict, which
    /// arrives as a 200 with RCODE 2. A 200 whose content-type is present and not
    /// `application/dns-message` is also [`Failure::Error`]. Network errors are retried once.
    ///
    /// [`Failure::Error`]: postcheck_core::dns::Failure::Error
    pub(super) async fn doh_exchange(
        &self,
        url: &Url,
        client: &reqwest::Client,
        query: &Query,
    ) -> Result<Answer, AttemptError> {
        let deadline = Instant::now() + self.timeout;
        let packet = encode_query(query, 0, self.options).map_err(|_| AttemptError::Fatal)?;
        let mut url = url.clone();
        url.query_pairs_mut()
            .append_pair("dns", &URL_SAFE_NO_PAD.encode(&packet));
        let exchange = async {
            let response = client.get(url).header(ACCEPT, DNS_MESSAGE).send().await?;
            if response.status() != StatusCode::OK {
                return Ok(None);
            }
            let is_dns = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .is_none_or(|value| value.trim().eq_ignore_ascii_case(DNS_MESSAGE));
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>(is_dns.then_some(body))
        };
        let body = match timeout_at(deadline, exchange).await {
            Err(_) => return Err(AttemptError::Timeout),
            Ok(Err(_)) => return Err(AttemptError::Transport),
            Ok(Ok(None)) => return Err(AttemptError::Fatal),
            Ok(Ok(Some(body))) => body,
        };
        decode_response(&body, query)
            .map(|response| response.answer)
            .map_err(|_| AttemptError::Fatal)
    }
}

/// Checks a DoH URL: absolute, `http` or `https`, a host; a trailing `{?dns}` is dropped.
pub(super) fn parse_doh_url(url: &str) -> Result<Url, ResolverError> {
    let bad = |reason: &str| ResolverError::BadUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let text = url.strip_suffix("{?dns}").unwrap_or(url);
    let parsed = Url::parse(text).map_err(|err| bad(&err.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if parsed.host().is_none() {
        return Err(bad("no host"));
    }
    Ok(parsed)
}
