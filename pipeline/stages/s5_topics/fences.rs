//! Tukey's lower fences, `Q1 − 1.5 IQR` of each topic's similarities to its centre, exact, from
//! two passes whose partials merge by addition: a histogram of each topic's similarities
//! ([`Histograms`]), then the similarities inside the few bins that hold the quartiles' ranks
//! ([`Inside`]). Quartiles are interpolated between order statistics as numpy's default does.
//!
//! A bin is the top `BIN_BITS` (20) bits of a similarity's order key (its bits, arranged so that
//! integers sort as `f64::total_cmp` does): 2⁸ bins for each power of two, so the second pass
//! ships a few hundredths of a topic's similarities at most, not all of them.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

/// Bits of the order key that make a bin.
const BIN_BITS: u32 = 20;

/// A topic needs this many passages to have fences; smaller ones have none.
const MIN_PASSAGES: u64 = 4;

/// `v`'s bits as an integer that sorts as `f64::total_cmp` sorts the floats.
fn order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The float of an [`order_key`].
fn from_key(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

fn bin(v: f64) -> u32 {
    (order_key(v) >> (64 - BIN_BITS)) as u32
}

/// The first pass' partial: per topic, how many similarities fall in each bin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histograms(Vec<BTreeMap<u32, u64>>);

impl Histograms {
    /// The histograms of `similarity`, passage by passage of topic `topics[i]`, of `k` topics.
    pub fn of(similarity: &[f64], topics: &[usize], k: usize) -> Self {
        let mut bins = vec![BTreeMap::new(); k];
        for (&s, &t) in similarity.iter().zip(topics) {
            *bins[t].entry(bin(s)).or_insert(0) += 1;
        }
        Histograms(bins)
    }

    /// The sum of two shards' histograms.
    pub fn merge(mut self, other: Histograms) -> Histograms {
        if self.0.len() < other.0.len() {
            return other.merge(self);
        }
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            for (b, n) in theirs {
                *mine.entry(b).or_insert(0) += n;
            }
        }
        self
    }

    /// What the second pass looks for: per topic, the bins holding the order statistics the
    /// quartiles are drawn from, each with the number of similarities in the bins below it.
    pub fn wanted(&self) -> Wanted {
        Wanted(
            self.0
                .iter()
                .map(|bins| {
                    let n: u64 = bins.values().sum();
                    if n < MIN_PASSAGES {
                        return (n, BTreeMap::new());
                    }
                    let mut out = BTreeMap::new();
                    for rank in quartile_ranks(n) {
                        let mut below = 0;
                        for (&b, &count) in bins {
                            if rank < below + count {
                                out.insert(b, below);
                                break;
                            }
                            below += count;
                        }
                    }
                    (n, out)
                })
                .collect(),
        )
    }
}

/// The 0-based ranks of the order statistics Q1 and Q3 are interpolated between, for `n`
/// values: `⌊h⌋` and `⌈h⌉` for `h = (n − 1)·q`.
fn quartile_ranks(n: u64) -> [u64; 4] {
    let h = |q: f64| (n - 1) as f64 * q;
    let (a, b) = (h(0.25), h(0.75));
    [
        a.floor() as u64,
        a.ceil() as u64,
        b.floor() as u64,
        b.ceil() as u64,
    ]
}

/// Per topic, its passages and the bins the second pass collects, each with the count of
/// similarities below it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wanted(Vec<(u64, BTreeMap<u32, u64>)>);

/// The second pass' partial: per topic and wanted bin, the order keys of the similarities in
/// it, sorted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inside(Vec<BTreeMap<u32, Vec<u64>>>);

impl Inside {
    /// The similarities of a shard that fall in the wanted bins.
    pub fn of(similarity: &[f64], topics: &[usize], wanted: &Wanted) -> Self {
        let mut out = vec![BTreeMap::<u32, Vec<u64>>::new(); wanted.0.len()];
        for (&s, &t) in similarity.iter().zip(topics) {
            let b = bin(s);
            if wanted.0[t].1.contains_key(&b) {
                out[t].entry(b).or_default().push(order_key(s));
            }
        }
        out.iter_mut()
            .flat_map(|bins| bins.values_mut())
            .for_each(|v| v.sort_unstable());
        Inside(out)
    }

    /// The union of two shards' similarities.
    pub fn merge(mut self, other: Inside) -> Inside {
        if self.0.len() < other.0.len() {
            return other.merge(self);
        }
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            for (b, keys) in theirs {
                let v = mine.entry(b).or_default();
                v.extend(keys);
                v.sort_unstable();
            }
        }
        self
    }

    /// Each topic's lower fence (`−∞` for a topic too small to have one), from the merged
    /// second pass and the histograms' [`Wanted`].
    pub fn fences(&self, wanted: &Wanted) -> Vec<f64> {
        wanted
            .0
            .iter()
            .enumerate()
            .map(|(t, (n, bins))| {
                let n = *n;
                if n < MIN_PASSAGES {
                    return f64::NEG_INFINITY;
                }
                let value = |rank: u64| -> f64 {
                    let (b, below) = bins
                        .iter()
                        .rev()
                        .find(|&(_, &below)| below <= rank)
                        .expect("every rank's bin is wanted");
                    from_key(self.0[t][b][(rank - below) as usize])
                };
                let [a0, a1, b0, b1] = quartile_ranks(n).map(value);
                let interpolate = |q: f64, lo: f64, hi: f64| {
                    let h = (n - 1) as f64 * q;
                    lo + (h - h.floor()) * (hi - lo)
                };
                let (q1, q3) = (interpolate(0.25, a0, a1), interpolate(0.75, b0, b1));
                q1 - 1.5 * (q3 - q1)
            })
            .collect()
    }
}

/// Each passage's outlier flag, below its topic's lower fence: both passes over the corpus as
/// one shard.
pub fn outliers(similarity: &[f64], topics: &[usize], k: usize) -> Vec<bool> {
    let wanted = Histograms::of(similarity, topics, k).wanted();
    let fence = Inside::of(similarity, topics, &wanted).fences(&wanted);
    below(similarity, topics, &fence)
}

/// Whether each passage is below its topic's lower `fence`.
pub fn below(similarity: &[f64], topics: &[usize], fence: &[f64]) -> Vec<bool> {
    similarity
        .iter()
        .zip(topics)
        .map(|(&s, &t)| s < fence[t])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fence as numpy computes it: sort, interpolate.
    fn sorted_fence(mut v: Vec<f64>) -> f64 {
        if v.len() < MIN_PASSAGES as usize {
            return f64::NEG_INFINITY;
        }
        v.sort_by(f64::total_cmp);
        let quantile = |q: f64| {
            let h = (v.len() - 1) as f64 * q;
            let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
            v[lo] + (h - lo as f64) * (v[hi] - v[lo])
        };
        let (q1, q3) = (quantile(0.25), quantile(0.75));
        q1 - 1.5 * (q3 - q1)
    }

    #[test]
    fn order_keys_sort_as_total_cmp_and_come_back() {
        let values = [-1.0, -0.5, -0.0, 0.0, 1e-300, 0.25, 0.2500001, 0.9, 1.0];
        for w in values.windows(2) {
            assert!(order_key(w[0]) < order_key(w[1]), "{w:?}");
        }
        for v in values {
            assert_eq!(from_key(order_key(v)).to_bits(), v.to_bits());
        }
    }

    #[test]
    fn tukey_fences_mark_the_far_passages() {
        let similarity = [0.9, 0.91, 0.92, 0.9, 0.89, 0.1, 0.5, 0.52, 0.5, 0.51];
        let topics = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
        assert_eq!(
            outliers(&similarity, &topics, 2),
            [false, false, false, false, false, true, false, false, false, false]
        );
    }

    proptest! {
        /// Any split into shards, merged in any order, gives numpy's fences bit for bit, with
        /// values crowded into a few bins as similarities are.
        #[test]
        fn sharded_fences_are_the_sorted_ones(
            values in prop::collection::vec((0usize..3, prop_oneof![0.6f64..0.6001, -1.0f64..1.0]), 0..200),
            cuts in prop::collection::vec(0usize..200, 0..4),
            rev in any::<bool>(),
        ) {
            let (topics, similarity): (Vec<usize>, Vec<f64>) = values.iter().copied().unzip();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(values.len())).collect();
            cuts.push(0);
            cuts.push(values.len());
            cuts.sort();
            let shards: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
            let mut order = shards.clone();
            if rev {
                order.reverse();
            }
            let histograms = order
                .iter()
                .map(|&(a, b)| Histograms::of(&similarity[a..b], &topics[a..b], 3))
                .reduce(Histograms::merge)
                .unwrap();
            let wanted = histograms.wanted();
            let inside = order
                .iter()
                .map(|&(a, b)| Inside::of(&similarity[a..b], &topics[a..b], &wanted))
                .reduce(Inside::merge)
                .unwrap();
            let fences = inside.fences(&wanted);
            for (t, fence) in fences.iter().enumerate() {
                let mine: Vec<f64> = values.iter().filter(|v| v.0 == t).map(|v| v.1).collect();
                prop_assert_eq!(fence.to_bits(), sorted_fence(mine).to_bits());
            }
        }
    }
}
