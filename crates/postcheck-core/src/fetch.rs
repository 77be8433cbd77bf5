//! HTTPS fetches the core asks a driver for (the MTA-STS policy file), behind the same sans-IO
//! boundary as DNS: the core names the URL, the driver fetches, the answer goes into a cache.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The result of one HTTPS GET, as the driver saw it. Redirects are not followed (RFC 8461
/// §3.3), so a 3xx arrives as its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum FetchResult {
    /// The server answered; `body` is the (size-capped) text of the response.
    Response {
        /// The HTTP status code.
        code: u16,
        /// The `Content-Type` header field, if the response had one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content_type: Option<String>,
        /// The response body as text, cut at the driver's size limit.
        body: String,
    },
    /// No HTTP answer: TLS failure, connection refused, timeout, name not resolvable.
    Failed {
        /// What went wrong, in the driver's words.
        reason: String,
    },
}

/// Fetch results collected so far, keyed by URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchCache {
    #[serde(flatten)]
    entries: BTreeMap<String, FetchResult>,
}

impl FetchCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The result stored for `url`, if any.
    pub fn get(&self, url: &str) -> Option<&FetchResult> {
        self.entries.get(url)
    }

    /// The first result for a URL wins, so replays stay deterministic.
    pub fn insert(&mut self, url: String, result: FetchResult) {
        self.entries.entry(url).or_insert(result);
    }

    /// Every URL with its result, in URL order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &FetchResult)> {
        self.entries.iter()
    }
}

/// What a check still needs: DNS queries and HTTPS fetches, all independent of each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// DNS queries to answer.
    pub queries: Vec<crate::dns::Query>,
    /// URLs to fetch with HTTPS GET.
    pub fetches: Vec<String>,
}

impl Needs {
    /// Whether there is nothing to query or fetch.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty() && self.fetches.is_empty()
    }

    /// Adds a query unless it is already listed.
    pub fn add_query(&mut self, query: crate::dns::Query) {
        if !self.queries.contains(&query) {
            self.queries.push(query);
        }
    }

    /// Adds the queries not listed yet, in their order.
    pub fn add_queries(&mut self, queries: impl IntoIterator<Item = crate::dns::Query>) {
        let mut known: std::collections::HashSet<crate::dns::Query> =
            self.queries.iter().cloned().collect();
        for query in queries {
            if known.insert(query.clone()) {
                self.queries.push(query);
            }
        }
    }

    /// Adds a URL unless it is already listed.
    pub fn add_fetch(&mut self, url: String) {
        if !self.fetches.contains(&url) {
            self.fetches.push(url);
        }
    }

    /// Adds everything `other` needs that is not listed yet.
    pub fn merge(&mut self, other: Needs) {
        self.add_queries(other.queries);
        for url in other.fetches {
            self.add_fetch(url);
        }
    }
}
