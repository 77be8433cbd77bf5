//! One sort for the lists a report orders: findings by severity, actions by severity and family,
//! MX hosts by preference, profile terms by name, and the check page's highlighter's cuts.
//!
//! The standard library's sorts are generic over the element and the comparison, so each call
//! with another element type or closure carries its own copy of the sorting code — about 20 KB
//! of the check page's wasm for five calls. [`sort_by`] sorts the positions instead, with one
//! comparison type (`&mut dyn FnMut`), so every caller shares one copy; ties are broken by
//! position, so the order is stable and the same on every platform.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in the order they came (a stable sort).
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let mut positions: Vec<usize> = (0..items.len()).collect();
    let by_position: &mut dyn FnMut(&usize, &usize) -> Ordering =
        &mut |&a, &b| compare(&items[a], &items[b]).then(a.cmp(&b));
    positions.sort_unstable_by(by_position);
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        positions
            .into_iter()
            .filter_map(|position| slots[position].take()),
    );
}

/// Sorts `items` by the key `key` gives, stable ([`sort_by`]).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_equal_items_in_order() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e'), (2, 'f')];
        sort_by_key(&mut items, |&(key, _)| key);
        assert_eq!(
            items,
            [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c'), (2, 'f')]
        );
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        // A fixed pseudo-random sequence with many ties, compared with `sort_by_key`.
        let mut state = 0x2545_f491_u32;
        let items: Vec<(u32, usize)> = (0..500)
            .map(|index| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state % 17, index)
            })
            .collect();
        let mut ours = items.clone();
        sort_by_key(&mut ours, |&(key, _)| key);
        let mut std = items;
        std.sort_by_key(|&(key, _)| key);
        assert_eq!(ours, std);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, Ord::cmp);
        assert!(empty.is_empty());
    }
}
