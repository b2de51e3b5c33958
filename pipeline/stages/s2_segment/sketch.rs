//! A count-min sketch (Cormode and Muthukrishnan, "An improved data stream summary: the
//! count-min sketch and its applications", 2005): counts of keys in fixed memory, each read as
//! the least of its two counters. A counter only ever adds, so a key's sketched count is never
//! below its true count; keys that share counters only raise it. Counters are atomic, so
//! documents read in parallel add to one sketch, and the sums do not depend on the order.
//!
//! A key's two counters lie in one block of a cache line (a "blocked" sketch), so that adding
//! or reading a key costs one miss, not two: with tens of millions of keys, the misses were the
//! sketch's whole cost.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Counters a block holds: one cache line of `u32`s.
const PER_BLOCK: usize = 16;

/// Blocks for a corpus of `documents`: a power of two near a sixteenth of the number of
/// documents, from 2⁶ to 2¹⁶ (4 MB). A short line or stretch of a run then shares its counters
/// with a few hundred others at most, far below the thresholds that matter in a large corpus
/// (2% of its documents, or 20% of a source's).
pub fn width_for(documents: usize) -> usize {
    (documents / PER_BLOCK)
        .next_power_of_two()
        .clamp(1 << 6, 1 << 16)
}

#[repr(C, align(64))]
struct Block([AtomicU32; PER_BLOCK]);

/// Blocks of counters; a 128-bit key (a hash) picks a block with its low half and two counters
/// in it with its high half.
pub struct Sketch {
    blocks: Vec<Block>,
    mask: u64,
    /// Whether a counter passed `u32::MAX` and wrapped: every count is then unknown, and read
    /// as the largest.
    overflowed: AtomicBool,
}

impl Sketch {
    /// An empty sketch of `width` blocks (a power of two).
    pub fn new(width: usize) -> Sketch {
        assert!(
            width.is_power_of_two(),
            "a sketch's width is a power of two"
        );
        Sketch {
            blocks: (0..width)
                .map(|_| Block(std::array::from_fn(|_| AtomicU32::new(0))))
                .collect(),
            mask: width as u64 - 1,
            overflowed: AtomicBool::new(false),
        }
    }

    fn cells(&self, key: u128) -> (&Block, [usize; 2]) {
        let block = &self.blocks[(key as u64 & self.mask) as usize];
        let high = (key >> 64) as u64;
        let a = (high % PER_BLOCK as u64) as usize;
        let b = (a + 1 + ((high >> 4) % (PER_BLOCK as u64 - 1)) as usize) % PER_BLOCK;
        (block, [a, b])
    }

    /// Counts `key` once more.
    pub fn add(&self, key: u128) {
        let (block, cells) = self.cells(key);
        for c in cells {
            if block.0[c].fetch_add(1, Ordering::Relaxed) == u32::MAX {
                self.overflowed.store(true, Ordering::Relaxed);
            }
        }
    }

    /// One of `key`'s counters, read only to bring its block into the cache before
    /// [`Sketch::add`].
    pub fn peek(&self, key: u128) -> u32 {
        let (block, [a, _]) = self.cells(key);
        block.0[a].load(Ordering::Relaxed)
    }

    /// The largest count of any key: at least that of every key added.
    pub fn max(&self) -> usize {
        if self.overflowed.load(Ordering::Relaxed) {
            return usize::MAX;
        }
        self.blocks
            .iter()
            .flat_map(|b| &b.0)
            .map(|c| c.load(Ordering::Relaxed) as usize)
            .max()
            .unwrap_or(0)
    }

    /// The count of `key`: at least the number of times it was added.
    pub fn count(&self, key: u128) -> usize {
        if self.overflowed.load(Ordering::Relaxed) {
            return usize::MAX;
        }
        let (block, [a, b]) = self.cells(key);
        block.0[a]
            .load(Ordering::Relaxed)
            .min(block.0[b].load(Ordering::Relaxed)) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sketch_never_counts_a_key_short() {
        // Far more keys than counters: many share each counter.
        let sketch = Sketch::new(1);
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
            assert!(sketch.count(k) <= sketch.max() && sketch.max() <= total);
        }
        // With room enough, the counts are exact.
        let roomy = Sketch::new(1 << 12);
        for _ in 0..5 {
            roomy.add(keys[3]);
        }
        assert_eq!(roomy.count(keys[3]), 5);
        assert_eq!(roomy.count(keys[4]), 0);
        assert_eq!(roomy.max(), 5);
    }

    #[test]
    fn a_counter_that_wraps_makes_every_count_unknown() {
        let sketch = Sketch::new(1);
        let key = 7u128 | (3u128 << 64);
        let (block, [a, _]) = sketch.cells(key);
        block.0[a].store(u32::MAX, Ordering::Relaxed);
        sketch.add(key);
        assert_eq!(sketch.count(key), usize::MAX);
        assert_eq!(sketch.count(1), usize::MAX);
    }
}
