//! A count-min sketch (Cormode and Muthukrishnan, "An improved data stream summary: the
//! count-min sketch and its applications", 2005): counts of keys in fixed memory, each read as
//! the least of its counters in two rows. A counter only ever adds, so a key's sketched count
//! is never below its true count; keys that share counters only raise it. Counters are atomic,
//! so documents read in parallel add to one sketch, and the sums do not depend on the order.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters in each of the two rows for a corpus of `documents`: a power of two near the
/// number of documents, from 2¹⁰ to 2²⁰ (8 MB a row). With lines or stretches spread over
/// about as many counters as there are documents, a counter holds a few keys' counts, far below
/// the thresholds that matter in a large corpus (2% of its documents, or 20% of a source's).
pub fn width_for(documents: usize) -> usize {
    documents.next_power_of_two().clamp(1 << 10, 1 << 20)
}

/// Two rows of counters; a 128-bit key (a hash) picks a counter in each with its two halves.
pub struct Sketch {
    rows: [Vec<AtomicU64>; 2],
    mask: u64,
}

impl Sketch {
    /// An empty sketch of `width` counters a row (a power of two).
    pub fn new(width: usize) -> Sketch {
        assert!(
            width.is_power_of_two(),
            "a sketch's width is a power of two"
        );
        let row = || (0..width).map(|_| AtomicU64::new(0)).collect();
        Sketch {
            rows: [row(), row()],
            mask: width as u64 - 1,
        }
    }

    fn cells(&self, key: u128) -> [usize; 2] {
        [
            (key as u64 & self.mask) as usize,
            ((key >> 64) as u64 & self.mask) as usize,
        ]
    }

    /// Counts `key` once more.
    pub fn add(&self, key: u128) {
        for (row, cell) in self.rows.iter().zip(self.cells(key)) {
            row[cell].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The count of `key`: at least the number of times it was added.
    pub fn count(&self, key: u128) -> usize {
        let [a, b] = self.cells(key);
        self.rows[0][a]
            .load(Ordering::Relaxed)
            .min(self.rows[1][b].load(Ordering::Relaxed)) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sketch_never_counts_a_key_short() {
        // Far more keys than counters: many share each counter.
        let sketch = Sketch::new(16);
        let keys: Vec<u128> = (0..200u128)
            .map(|i| xxhash_rust::xxh3::xxh3_128(&i.to_le_bytes()))
            .collect();
        for (i, &k) in keys.iter().enumerate() {
            for _ in 0..i % 7 {
                sketch.add(k);
            }
        }
        let total: usize = (0..200).map(|i| i % 7).sum();
        for (i, &k) in keys.iter().enumerate() {
            assert!(sketch.count(k) >= i % 7);
            assert!(sketch.count(k) <= total);
        }
        // With room enough, the counts are exact.
        let roomy = Sketch::new(1 << 16);
        for _ in 0..5 {
            roomy.add(keys[3]);
        }
        assert_eq!(roomy.count(keys[3]), 5);
        assert_eq!(roomy.count(keys[4]), 0);
    }
}
