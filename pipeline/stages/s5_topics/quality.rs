//! How good topics are: NPMI coherence of their top terms, and how alike two topics are.

use serde::{Deserialize, Serialize};

use rayon::prelude::*;

use crate::artifacts::{Bag, TermId};

/// NPMI coherence of each topic's top terms (Bouma 2009; as in Röder et al.'s C_NPMI with
/// passages as the windows): the mean over pairs of top terms of
/// `ln(p(a,b) / (p(a) p(b))) / −ln p(a,b)`, with probabilities the share of passages holding
/// the term(s); a pair never seen together scores −1. A topic with fewer than two terms
/// scores NaN.
pub fn npmi_coherence(bags: &[Bag], top_terms: &[Vec<TermId>]) -> Vec<f64> {
    Cooccurrences::of(bags, top_terms).npmi()
}

/// The coherence pass' partial: for each topic's top terms (at most 64), the passages holding
/// each term and each pair of them, and the passages counted. Sums of counts: shards merge by
/// addition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cooccurrences {
    /// Per topic: passages holding each term, and each pair (upper triangle, row-major).
    counts: Vec<(Vec<u64>, Vec<u64>)>,
    /// Passages counted.
    passages: u64,
}

impl Cooccurrences {
    /// The counts of a shard's passages (`bags`).
    pub fn of<B: std::borrow::Borrow<Bag> + Sync>(bags: &[B], top_terms: &[Vec<TermId>]) -> Self {
        // term → the (topic, position) slots it fills.
        let mut slots: std::collections::HashMap<TermId, Vec<(usize, usize)>> = Default::default();
        for (topic, terms) in top_terms.iter().enumerate() {
            for (i, &t) in terms.iter().enumerate().take(64) {
                slots.entry(t).or_default().push((topic, i));
            }
        }
        let k = top_terms.len();
        let sizes: Vec<usize> = top_terms.iter().map(|t| t.len().min(64)).collect();
        let zero = || -> Vec<(Vec<u64>, Vec<u64>)> {
            sizes
                .iter()
                .map(|&m| (vec![0u64; m], vec![0u64; m * m]))
                .collect()
        };
        let counts = bags
            .par_iter()
            .fold(zero, |mut acc, bag| {
                let mut masks = vec![0u64; k];
                for (t, _) in bag.borrow() {
                    if let Some(s) = slots.get(t) {
                        for &(topic, i) in s {
                            masks[topic] |= 1 << i;
                        }
                    }
                }
                for (topic, &mask) in masks.iter().enumerate() {
                    if mask == 0 {
                        continue;
                    }
                    let m = sizes[topic];
                    let (single, pair) = &mut acc[topic];
                    for i in 0..m {
                        if mask & (1 << i) == 0 {
                            continue;
                        }
                        single[i] += 1;
                        for j in i + 1..m {
                            if mask & (1 << j) != 0 {
                                pair[i * m + j] += 1;
                            }
                        }
                    }
                }
                acc
            })
            .reduce(zero, add_counts);
        Cooccurrences {
            counts,
            passages: bags.len() as u64,
        }
    }

    /// The same counts, read as probabilities over `passages` passages (a sample's counts,
    /// scaled to the corpus).
    pub fn over(self, passages: u64) -> Cooccurrences {
        Cooccurrences { passages, ..self }
    }

    /// The counts of two shards.
    pub fn merge(self, other: Cooccurrences) -> Cooccurrences {
        Cooccurrences {
            counts: add_counts(self.counts, other.counts),
            passages: self.passages + other.passages,
        }
    }

    /// Each topic's mean NPMI over the pairs of its top terms (NaN with fewer than two).
    pub fn npmi(&self) -> Vec<f64> {
        let n = self.passages as f64;
        self.counts
            .iter()
            .map(|(single, pair)| {
                let m = single.len();
                let mut total = 0.0;
                let mut pairs = 0;
                for i in 0..m {
                    for j in i + 1..m {
                        total += npmi(
                            pair[i * m + j] as f64 / n,
                            single[i] as f64 / n,
                            single[j] as f64 / n,
                        );
                        pairs += 1;
                    }
                }
                if pairs == 0 {
                    f64::NAN
                } else {
                    total / pairs as f64
                }
            })
            .collect()
    }
}

/// Counts added slot by slot.
fn add_counts(
    mut a: Vec<(Vec<u64>, Vec<u64>)>,
    b: Vec<(Vec<u64>, Vec<u64>)>,
) -> Vec<(Vec<u64>, Vec<u64>)> {
    for ((sa, pa), (sb, pb)) in a.iter_mut().zip(b) {
        sa.iter_mut().zip(sb).for_each(|(x, y)| *x += y);
        pa.iter_mut().zip(pb).for_each(|(x, y)| *x += y);
    }
    a
}

/// NPMI of a pair from its joint and single probabilities; −1 when never together, 1 when
/// always together.
pub fn npmi(pab: f64, pa: f64, pb: f64) -> f64 {
    if pab <= 0.0 {
        return -1.0;
    }
    if pab >= 1.0 {
        return 1.0;
    }
    ((pab / (pa * pb)).ln() / -pab.ln()).clamp(-1.0, 1.0)
}

/// Cosine similarity of every pair of topics' term weight vectors (rows of `weights`).
pub fn cosine_matrix(weights: &ndarray::Array2<f64>) -> Vec<Vec<f64>> {
    let norms: Vec<f64> = weights
        .rows()
        .into_iter()
        .map(|r| r.dot(&r).sqrt())
        .collect();
    (0..weights.nrows())
        .map(|a| {
            (0..weights.nrows())
                .map(|b| {
                    let d = norms[a] * norms[b];
                    if a == b && d > 0.0 {
                        1.0
                    } else if d > 0.0 {
                        weights.row(a).dot(&weights.row(b)) / d
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

/// The adjusted Rand index of two labellings of the same items (Hubert & Arabie 1985, as
/// scikit-learn's `adjusted_rand_score`): 1 for the same partition, about 0 for independent
/// ones. Two partitions that are both one cluster (or both all singletons) score 1.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    assert_eq!(a.len(), b.len(), "two labellings of the same items");
    let n = a.len() as f64;
    let pairs = |c: f64| c * (c - 1.0) / 2.0;
    let mut table: std::collections::HashMap<(usize, usize), f64> = Default::default();
    let mut rows: std::collections::HashMap<usize, f64> = Default::default();
    let mut cols: std::collections::HashMap<usize, f64> = Default::default();
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1.0;
        *rows.entry(x).or_default() += 1.0;
        *cols.entry(y).or_default() += 1.0;
    }
    let index: f64 = table.values().map(|&c| pairs(c)).sum();
    let sum_a: f64 = rows.values().map(|&c| pairs(c)).sum();
    let sum_b: f64 = cols.values().map(|&c| pairs(c)).sum();
    let expected = sum_a * sum_b / pairs(n).max(f64::MIN_POSITIVE);
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        1.0
    } else {
        (index - expected) / (max - expected)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn adjusted_rand_index_matches_scikit_learn() {
        // adjusted_rand_score([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
        assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]), 1.0);
        // adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) == -0.5
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) + 0.5).abs() < 1e-12);
        // adjusted_rand_score([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == 0.24242424242424243
        let v = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
        assert!((v - 0.24242424242424243).abs() < 1e-12, "{v}");
        assert_eq!(adjusted_rand_index(&[3, 3, 3], &[1, 1, 1]), 1.0);
    }

    use super::*;

    #[test]
    fn npmi_coherence_by_hand() {
        // Four passages. Terms 0 and 1 always together (NPMI 1); term 2 with 0 once.
        let bags: Vec<Bag> = vec![
            vec![(0, 1), (1, 2)],
            vec![(0, 1), (1, 1), (2, 1)],
            vec![(3, 1)],
            vec![(3, 1)],
        ];
        let c = npmi_coherence(&bags, &[vec![0, 1], vec![0, 2], vec![0, 3], vec![7]]);
        assert!((c[0] - 1.0).abs() < 1e-12);
        // p(0) = 1/2, p(2) = 1/4, p(0,2) = 1/4: ln(1/4 / (1/8)) / ln 4 = ln 2 / ln 4 = 0.5
        assert!((c[1] - 0.5).abs() < 1e-12);
        assert_eq!(c[2], -1.0);
        assert!(c[3].is_nan());
    }

    #[test]
    fn cosine_of_rows() {
        let w = ndarray::arr2(&[[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]);
        let s = cosine_matrix(&w);
        assert!((s[0][1] - 1.0 / 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(s[0][0], 1.0);
        assert_eq!(s[2][0], 0.0);
    }
}
