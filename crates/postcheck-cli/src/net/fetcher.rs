//! The CLI's HTTPS fetches for the core (the MTA-STS policy file): no redirects, size and time
//! capped, certificates checked against the system's roots (`SSL_CERT_FILE` is honoured).

use postcheck_core::fetch::FetchResult;
use std::time::Duration;

/// RFC 8461 §3.3 does not bound the policy size; 64 KiB is far above any real policy.
const BODY_LIMIT: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
}

impl Fetcher {
    pub fn new(timeout: Duration) -> anyhow::Result<Fetcher> {
        let client = reqwest::Client::builder()
            // RFC 8461 §3.3: "HTTP 3xx redirects MUST NOT be followed".
            .redirect(reqwest::redirect::Policy::none())
            .https_only(true)
            .timeout(timeout)
            .user_agent(concat!("postcheck/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Fetcher { client })
    }

    /// Fetches every URL concurrently; each gets a result, never an error.
    pub async fn fetch_all(&self, urls: &[String]) -> Vec<(String, FetchResult)> {
        let mut tasks = tokio::task::JoinSet::new();
        for (index, url) in urls.iter().enumerate() {
            let fetcher = self.clone();
            let url = url.clone();
            tasks.spawn(async move { (index, url.clone(), fetcher.fetch(&url).await) });
        }
        let mut results = Vec::with_capacity(urls.len());
        while let Some(joined) = tasks.join_next().await {
            if let Ok(result) = joined {
                results.push(result);
            }
        }
        results.sort_by_key(|(index, _, _)| *index);
        results
            .into_iter()
            .map(|(_, url, result)| (url, result))
            .collect()
    }

    pub async fn fetch(&self, url: &str) -> FetchResult {
        let response = match self.client.get(url).send().await {
            Ok(response) => response,
            Err(error) => {
                return FetchResult::Failed {
                    reason: describe(&error),
                };
            }
        };
        let code = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        let mut response = response;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    body.extend_from_slice(&chunk);
                    if body.len() > BODY_LIMIT {
                        return FetchResult::Failed {
                            reason: format!("body larger than {BODY_LIMIT} bytes"),
                        };
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    return FetchResult::Failed {
                        reason: describe(&error),
                    };
                }
            }
        }
        FetchResult::Response {
            code,
            content_type,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

/// A short reason without the URL (the core already knows it).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connection failed"
    } else if error.is_redirect() {
        "redirect"
    } else {
        "request failed"
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    let mut detail = String::new();
    while let Some(inner) = source {
        detail = inner.to_string();
        source = inner.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}
