//! A bounded in-memory cache of DoH responses, kept for the life of a worker isolate.
//!
//! The Cache API does nothing on `*.workers.dev` deployments (only on custom domains), which is
//! where a new deployment starts; this cache sits in front of it so that a repeated report is
//! answered without upstream queries everywhere. It keeps the Cache API's rules: an entry lives
//! for the TTL [`crate::doh::cache_ttl_for`] gave it (negative answers capped, failures never
//! stored), and the clock is an input (milliseconds since the epoch), so it is tested here.
//! It is bounded by entries and by octets; when full, expired entries go first, then the
//! oldest stored.

use postcheck_core::dns::Query;
use std::collections::{HashMap, VecDeque};

/// The most entries kept (a report asks for about 30 names).
pub const MAX_ENTRIES: usize = 4096;

/// The most octets of DoH responses kept (most answers are a few hundred octets).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
struct Entry {
    body: Vec<u8>,
    expires_at_ms: u64,
    /// The insertion this entry came from, so stale places in `order` can be told apart.
    stamp: u64,
}

/// DoH response bodies by query, each until it expires.
#[derive(Debug, Clone)]
pub struct MemoryCache {
    entries: HashMap<Query, Entry>,
    order: VecDeque<(u64, Query)>,
    bytes: usize,
    next_stamp: u64,
    max_entries: usize,
    max_bytes: usize,
}

impl Default for MemoryCache {
    fn default() -> Self {
        MemoryCache::with_bounds(MAX_ENTRIES, MAX_BYTES)
    }
}

impl MemoryCache {
    /// An empty cache holding at most `max_entries` entries and `max_bytes` octets.
    pub fn with_bounds(max_entries: usize, max_bytes: usize) -> Self {
        MemoryCache {
            entries: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            next_stamp: 0,
            max_entries,
            max_bytes,
        }
    }

    /// The stored response for `query`, unless it has expired at `now_ms`.
    pub fn get(&mut self, query: &Query, now_ms: u64) -> Option<Vec<u8>> {
        let entry = self.entries.get(query)?;
        if entry.expires_at_ms > now_ms {
            return Some(entry.body.clone());
        }
        self.remove(query);
        None
    }

    /// Stores `body` for `query` for `ttl_secs` seconds from `now_ms`. A body larger than the
    /// whole cache, or a TTL of zero, is not stored.
    pub fn put(&mut self, query: Query, body: Vec<u8>, ttl_secs: u32, now_ms: u64) {
        if ttl_secs == 0 || body.len() > self.max_bytes || self.max_entries == 0 {
            return;
        }
        self.remove(&query);
        self.evict_for(body.len(), now_ms);
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.bytes += body.len();
        self.order.push_back((stamp, query.clone()));
        self.entries.insert(
            query,
            Entry {
                body,
                expires_at_ms: now_ms.saturating_add(u64::from(ttl_secs) * 1000),
                stamp,
            },
        );
    }

    /// Entries stored.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn remove(&mut self, query: &Query) {
        if let Some(entry) = self.entries.remove(query) {
            self.bytes -= entry.body.len();
        }
    }

    /// Makes room for one more entry of `len` octets: expired entries first, then the oldest.
    fn evict_for(&mut self, len: usize, now_ms: u64) {
        let full = |cache: &Self| {
            cache.entries.len() >= cache.max_entries || cache.bytes + len > cache.max_bytes
        };
        if full(self) {
            self.entries.retain(|_, entry| entry.expires_at_ms > now_ms);
            self.bytes = self.entries.values().map(|entry| entry.body.len()).sum();
            let entries = &self.entries;
            self.order
                .retain(|(stamp, query)| entries.get(query).is_some_and(|e| e.stamp == *stamp));
        }
        while full(self) {
            let Some((stamp, query)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&query).is_some_and(|e| e.stamp == stamp) {
                self.remove(&query);
            }
        }
        // Stale places (entries replaced or expired since) would otherwise pile up.
        if self.order.len() > 2 * self.max_entries {
            let entries = &self.entries;
            self.order
                .retain(|(stamp, query)| entries.get(query).is_some_and(|e| e.stamp == *stamp));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postcheck_core::dns::RecordType;

    fn q(name: &str) -> Query {
        Query::new(name, RecordType::Txt)
    }

    #[test]
    fn an_entry_lives_for_its_ttl() {
        let mut cache = MemoryCache::default();
        cache.put(q("a.test"), b"answer".to_vec(), 30, 1_000);
        assert_eq!(cache.get(&q("a.test"), 1_000), Some(b"answer".to_vec()));
        assert_eq!(cache.get(&q("a.test"), 30_999), Some(b"answer".to_vec()));
        assert_eq!(cache.get(&q("a.test"), 31_000), None);
        assert!(cache.is_empty(), "an expired entry is dropped when seen");
        assert_eq!(cache.get(&q("b.test"), 1_000), None);
        assert_eq!(
            cache.get(&Query::new("a.test", RecordType::Mx), 1_000),
            None,
            "the type is part of the key"
        );
    }

    #[test]
    fn zero_ttl_and_oversized_bodies_are_not_stored() {
        let mut cache = MemoryCache::with_bounds(8, 10);
        cache.put(q("a.test"), b"x".to_vec(), 0, 0);
        cache.put(q("b.test"), vec![0; 11], 60, 0);
        assert!(cache.is_empty());
    }

    #[test]
    fn the_oldest_goes_when_full_by_count() {
        let mut cache = MemoryCache::with_bounds(2, 1024);
        cache.put(q("a.test"), b"a".to_vec(), 60, 0);
        cache.put(q("b.test"), b"b".to_vec(), 60, 0);
        cache.put(q("c.test"), b"c".to_vec(), 60, 0);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(&q("a.test"), 0), None);
        assert!(cache.get(&q("b.test"), 0).is_some());
        assert!(cache.get(&q("c.test"), 0).is_some());
    }

    #[test]
    fn expired_entries_go_before_live_ones() {
        let mut cache = MemoryCache::with_bounds(2, 1024);
        cache.put(q("live.test"), b"a".to_vec(), 600, 0);
        cache.put(q("short.test"), b"b".to_vec(), 1, 0);
        cache.put(q("new.test"), b"c".to_vec(), 60, 5_000);
        assert!(cache.get(&q("live.test"), 5_000).is_some());
        assert!(cache.get(&q("new.test"), 5_000).is_some());
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn octets_are_bounded_and_replacing_counts_once() {
        let mut cache = MemoryCache::with_bounds(100, 10);
        cache.put(q("a.test"), vec![1; 6], 60, 0);
        cache.put(q("a.test"), vec![2; 6], 60, 0);
        assert_eq!(cache.len(), 1, "replaced, not added");
        assert_eq!(cache.get(&q("a.test"), 0), Some(vec![2; 6]));
        cache.put(q("b.test"), vec![3; 6], 60, 0);
        assert_eq!(cache.get(&q("a.test"), 0), None, "evicted for room");
        assert_eq!(cache.get(&q("b.test"), 0), Some(vec![3; 6]));
    }

    #[test]
    fn many_replacements_keep_the_order_list_bounded() {
        let mut cache = MemoryCache::with_bounds(4, 1024);
        for round in 0..1000u64 {
            cache.put(q("same.test"), vec![1], 60, round);
        }
        assert!(cache.order.len() <= 2 * 4 + 1);
        assert_eq!(cache.len(), 1);
    }
}
