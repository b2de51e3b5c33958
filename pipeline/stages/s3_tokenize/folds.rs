//! D0. Folds: the pairs of lower-case forms that two adjacent content words make into one word
//! of the corpus ("cyber security" → "cybersecurity"), counted where they stand and decided.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::merge_counts;
use super::spill::Spilled;
use super::streams::{for_each_batch, Classes};
use super::BREAK;

/// D0. The pairs of lower-case ids that fold into one word: two adjacent content words whose
/// concatenation is a word of the corpus. A pair folds only when the closed form is common
/// enough beside it (`min_ratio` times the pair), so that a rare typo ("UnitedNations") cannot
/// swallow a frequent phrase. The pairs that could fold come from splitting each lower-case
/// form in two ([`Splits`]); then they are counted where they stand, a batch of the word stream
/// at a time ([`count_folds`]), and the counts decide ([`Splits::decide`]).
pub(super) fn fold_pairs(
    words: &Spilled,
    word_counts: &[u32],
    batch: usize,
    classes: &Classes,
    lower_ids: &FxHashMap<String, u32>,
    min_ratio: f64,
) -> FxHashMap<(u32, u32), u32> {
    let splits = Splits::of(classes, lower_ids);
    let counts = count_folds(words, word_counts, batch, classes, &splits);
    splits.decide(&counts, min_ratio)
}

/// The pairs of lower-case forms whose concatenation is a lower-case form of the corpus, and
/// the forms that can start one.
pub(super) struct Splits {
    joined: FxHashMap<(u32, u32), u32>,
    may_start: Vec<bool>,
}

/// How often each lower-case form stands as a content word, and each pair of [`Splits`] stands
/// together; sums over any split of the corpus.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct FoldCounts {
    pub(super) lowers: Vec<u64>,
    pub(super) pairs: Vec<((u32, u32), u64)>,
}

impl FoldCounts {
    /// The sum of two counts.
    pub(super) fn merge(mut self, other: FoldCounts) -> FoldCounts {
        if self.lowers.len() < other.lowers.len() {
            self.lowers.resize(other.lowers.len(), 0);
        }
        self.lowers
            .iter_mut()
            .zip(other.lowers)
            .for_each(|(x, y)| *x += y);
        let mut pairs: FxHashMap<(u32, u32), u64> = self.pairs.into_iter().collect();
        for (k, n) in other.pairs {
            *pairs.entry(k).or_default() += n;
        }
        self.pairs = pairs.into_iter().collect();
        self.pairs.sort_unstable();
        self
    }
}

impl Splits {
    pub(super) fn of(classes: &Classes, lower_ids: &FxHashMap<String, u32>) -> Splits {
        let lowers = &classes.lowers;
        // Only a split whose two halves have the byte lengths of some forms is looked up: a
        // word of n bytes costs the lookups of the forms' distinct lengths below n, not n
        // lookups of up to n bytes each (a 4 MB "word" was quadratic).
        let mut lengths: Vec<usize> = lower_ids.keys().map(String::len).collect();
        lengths.sort_unstable();
        lengths.dedup();
        let joined: FxHashMap<(u32, u32), u32> = lowers
            .par_iter()
            .enumerate()
            .flat_map_iter(|(joined, l)| {
                let lengths = &lengths;
                lengths
                    .iter()
                    .take_while(move |&&k| k < l.len())
                    .filter_map(move |&k| {
                        if k == 0
                            || !l.is_char_boundary(k)
                            || lengths.binary_search(&(l.len() - k)).is_err()
                        {
                            return None;
                        }
                        let a = *lower_ids.get(&l[..k])?;
                        let b = *lower_ids.get(&l[k..])?;
                        Some(((a, b), joined as u32))
                    })
            })
            .collect();
        let mut may_start = vec![false; lowers.len()];
        for &(a, _) in joined.keys() {
            may_start[a as usize] = true;
        }
        Splits { joined, may_start }
    }

    /// The pairs that fold: those whose joined form stands at least `min_ratio` times as often
    /// as the pair.
    pub(super) fn decide(&self, counts: &FoldCounts, min_ratio: f64) -> FxHashMap<(u32, u32), u32> {
        counts
            .pairs
            .iter()
            .filter_map(|&((a, b), n)| {
                let joined = self.joined[&(a, b)];
                (counts.lowers[joined as usize] as f64 >= min_ratio * n as f64)
                    .then_some(((a, b), joined))
            })
            .collect()
    }
}

/// Counts the lower-case forms and the pairs of `splits` in the word stream, a batch at a time.
pub(super) fn count_folds(
    words: &Spilled,
    word_counts: &[u32],
    batch: usize,
    classes: &Classes,
    splits: &Splits,
) -> FoldCounts {
    let n_lowers = classes.lowers.len();
    let mut lower_counts = vec![0u64; n_lowers];
    let mut pair_counts: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    for_each_batch(words, word_counts, batch, |chunks| {
        let (lc, pc) = chunks
            .par_iter()
            .fold(
                || {
                    (
                        vec![0u64; n_lowers],
                        FxHashMap::<(u32, u32), u64>::default(),
                    )
                },
                |(mut lc, mut pc), c| {
                    for toks in c {
                        let mut prev: Option<u32> = None;
                        for &t in *toks {
                            let class = classes.of_word[(t & !BREAK) as usize];
                            if !class.is_content() {
                                prev = None;
                                continue;
                            }
                            let lower = class.lower();
                            lc[lower as usize] += 1;
                            if let Some(p) =
                                prev.filter(|&p| t & BREAK == 0 && splits.may_start[p as usize])
                            {
                                if splits.joined.contains_key(&(p, lower)) {
                                    *pc.entry((p, lower)).or_default() += 1;
                                }
                            }
                            prev = Some(lower);
                        }
                    }
                    (lc, pc)
                },
            )
            .reduce(
                || (vec![0u64; n_lowers], FxHashMap::default()),
                |(mut a, pa), (b, pb)| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    (a, merge_counts(pa, pb))
                },
            );
        lower_counts.iter_mut().zip(lc).for_each(|(x, y)| *x += y);
        pair_counts = merge_counts(std::mem::take(&mut pair_counts), pc);
    });
    let mut pairs: Vec<((u32, u32), u64)> = pair_counts.into_iter().collect();
    pairs.sort_unstable();
    FoldCounts {
        lowers: lower_counts,
        pairs,
    }
}
