//! The passages the topic model is fitted on, as a sum that shards make apart and merge.
//!
//! Every clustered passage (one with a feature) is a candidate. When there are at most `max`
//! candidates, the model is fitted on all of them in corpus order; otherwise on the `max`
//! whose sampling keys (a passage's document id and place in it, hashed), mixed with the seed,
//! are smallest, in the order of their mixed keys. A shard keeps its own candidates' count and
//! its `max` smallest; two samples merge by adding the counts and keeping the `max` smallest
//! of the union. Any split of the corpus, merged in any order or grouping, gives the sample a
//! run over the whole corpus fits on.

use serde::{Deserialize, Serialize};

/// A passage of the sample: where it stands in the corpus, its mixed key, and what the model
/// reads of it (`T`: its bag, when it travels from a shard; its row, in a run that holds the
/// bags).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleRow<T> {
    /// The sampling key mixed with the seed's salt: the sampled passages are the smallest.
    pub key: u64,
    /// Its place in the corpus: (the shard's place among the shards, its place in the shard).
    /// Shards are runs of consecutive documents, so this orders passages as the corpus does.
    pub order: (u64, u64),
    /// What the model reads of it.
    pub item: T,
}

/// The candidates a topic model may be fitted on, or a shard's part of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample<T> {
    /// The most passages the model is fitted on (`topics.fit_passages`).
    max: usize,
    /// Candidates seen, kept or not.
    seen: u64,
    /// The kept candidates: all of them while `seen <= max`, else the `max` smallest keys.
    rows: Vec<SampleRow<T>>,
}

impl<T> Sample<T> {
    /// An empty sample of at most `max` passages.
    pub fn new(max: usize) -> Self {
        Sample {
            max: max.max(1),
            seen: 0,
            rows: Vec::new(),
        }
    }

    /// A shard's sample: `candidates` gives each clustered passage's sampling key, its place
    /// in the shard and what the model reads of it, and `shard` is the shard's place among the
    /// shards.
    pub fn of(
        max: usize,
        seed: u64,
        shard: u64,
        candidates: impl IntoIterator<Item = (u64, u64, T)>,
    ) -> Self {
        let salt = salt(seed);
        let mut sample = Sample::new(max);
        for (key, place, item) in candidates {
            sample.seen += 1;
            sample.rows.push(SampleRow {
                key: mix(key ^ salt),
                order: (shard, place),
                item,
            });
            if sample.rows.len() >= 2 * sample.max {
                sample.trim();
            }
        }
        sample.trim();
        sample
    }

    /// The sum of two samples (associative and commutative).
    pub fn merge(mut self, other: Sample<T>) -> Sample<T> {
        debug_assert_eq!(self.max, other.max);
        self.seen += other.seen;
        self.rows.extend(other.rows);
        self.trim();
        self
    }

    /// The sample with each row's item mapped by `f`.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Sample<U> {
        Sample {
            max: self.max,
            seen: self.seen,
            rows: self
                .rows
                .into_iter()
                .map(|r| SampleRow {
                    key: r.key,
                    order: r.order,
                    item: f(r.item),
                })
                .collect(),
        }
    }

    /// Candidates seen over every shard merged.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Whether the model is fitted on a part of the candidates rather than on all of them.
    pub fn is_sampled(&self) -> bool {
        self.seen > self.max as u64
    }

    /// The rows the model is fitted on, in the order it reads them: corpus order when every
    /// candidate is kept, else ascending mixed key (ties, which need a 64-bit collision, by
    /// corpus order).
    pub fn into_rows(mut self) -> Vec<SampleRow<T>> {
        if self.is_sampled() {
            self.rows.sort_unstable_by_key(|r| (r.key, r.order));
        } else {
            self.rows.sort_unstable_by_key(|r| r.order);
        }
        self.rows
    }

    /// Keeps the `max` smallest keys once more than `max` candidates have been seen.
    fn trim(&mut self) {
        if self.seen > self.max as u64 && self.rows.len() > self.max {
            self.rows
                .select_nth_unstable_by_key(self.max - 1, |r| (r.key, r.order));
            self.rows.truncate(self.max);
        }
    }
}

/// The salt the seed mixes into every sampling key.
fn salt(seed: u64) -> u64 {
    mix(seed ^ 0xF175_A3B1)
}

/// SplitMix64's finaliser: every bit of the key moves about half of the result's.
pub(super) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::Bag;
    use proptest::prelude::*;

    fn candidates(n: u64) -> Vec<(u64, u64, Bag)> {
        (0..n)
            .map(|i| {
                (
                    i.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                    i,
                    vec![(i as u32, 1)],
                )
            })
            .collect()
    }

    /// The sample of `all` cut into shards at `cuts`, each shard numbering its own passages.
    fn sharded(
        max: usize,
        all: &[(u64, u64, Bag)],
        cuts: &[usize],
        order: &[usize],
    ) -> Sample<Bag> {
        let mut bounds = vec![0];
        bounds.extend(cuts.iter().map(|&c| c.min(all.len())));
        bounds.push(all.len());
        bounds.sort_unstable();
        let shards: Vec<Sample<Bag>> = bounds
            .windows(2)
            .enumerate()
            .map(|(s, w)| {
                let part = all[w[0]..w[1]]
                    .iter()
                    .map(|(k, p, b)| (*k, *p - w[0] as u64, b.clone()));
                Sample::of(max, 7, s as u64, part)
            })
            .collect();
        let mut shards: Vec<Option<Sample<Bag>>> = shards.into_iter().map(Some).collect();
        let mut sum = Sample::new(max);
        let n = shards.len();
        for &i in order {
            if let Some(s) = shards.get_mut(i % n).and_then(Option::take) {
                sum = s.merge(sum);
            }
        }
        shards.into_iter().flatten().fold(sum, Sample::merge)
    }

    /// The passages' bags in the order the model reads them (the places differ by shard).
    fn bags(sample: Sample<Bag>) -> Vec<Bag> {
        sample.into_rows().into_iter().map(|r| r.item).collect()
    }

    #[test]
    fn below_the_bound_every_candidate_is_kept_in_corpus_order() {
        let whole = Sample::of(10, 7, 0, candidates(6));
        assert!(!whole.is_sampled());
        let expected: Vec<Bag> = (0..6).map(|i| vec![(i, 1)]).collect();
        assert_eq!(bags(whole), expected);
    }

    #[test]
    fn above_the_bound_the_smallest_mixed_keys_are_kept_in_key_order() {
        let all = candidates(50);
        let salt = salt(7);
        let mut keys: Vec<(u64, u32)> = all
            .iter()
            .map(|(k, p, _)| (mix(k ^ salt), *p as u32))
            .collect();
        keys.sort_unstable();
        let expected: Vec<Bag> = keys[..8].iter().map(|&(_, p)| vec![(p, 1)]).collect();
        let whole = Sample::of(8, 7, 0, all);
        assert!(whole.is_sampled());
        assert_eq!(whole.seen(), 50);
        assert_eq!(bags(whole), expected);
    }

    proptest! {
        #[test]
        fn any_split_merged_in_any_order_gives_the_whole_corpus_sample(
            n in 0u64..60,
            max in 1usize..40,
            cuts in proptest::collection::vec(0usize..60, 0..6),
            order in proptest::collection::vec(0usize..8, 0..8),
        ) {
            let all = candidates(n);
            let whole = bags(Sample::of(max, 7, 0, all.clone()));
            let parts = sharded(max, &all, &cuts, &order);
            prop_assert_eq!(parts.seen(), n);
            prop_assert_eq!(bags(parts), whole);
        }
    }
}
