//! The topic-sums pass: with the topics decided (each cluster's topic, the topics' centres and
//! fences), what a shard's passages add to each topic: its passages, kept passages and
//! outliers, the feature counts of its core (labels and c-TF-IDF are drawn from them), and the
//! passages closest to its centre. Everything merges by addition, or by keeping the best.

use serde::{Deserialize, Serialize};

use ndarray::Array2;

use super::assign::{FeatureCounts, Placed};
use crate::artifacts::{Bag, TfIdf};

/// The topics as the driver decided them after the assign pass: what a shard needs to give
/// each of its passages a topic and a similarity to that topic's centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decided {
    /// Each k-means cluster's topic (clusters that hold no passage have none).
    pub topic_of: Vec<usize>,
    /// Each topic's centre, one row each.
    pub centres: Array2<f64>,
    /// Their lengths.
    pub norms: Vec<f64>,
}

impl Decided {
    /// The topic of each placed passage.
    pub fn topics(&self, placed: &Placed) -> Vec<usize> {
        placed.clusters.iter().map(|&c| self.topic_of[c]).collect()
    }

    /// Each placed passage's cosine similarity to the centre of its topic (`topics`).
    pub fn similarity(&self, placed: &Placed, topics: &[usize]) -> Vec<f64> {
        use rayon::prelude::*;
        topics
            .par_iter()
            .enumerate()
            .map(|(i, &t)| {
                placed.x.row(i).dot(&self.centres.row(t)) / self.norms[t].max(f64::MIN_POSITIVE)
            })
            .collect()
    }
}

/// The pass' partial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicSums {
    /// Passages of each topic.
    pub passages: Vec<u64>,
    /// Passages kept in each topic (all of them, unless outliers stand apart).
    pub kept: Vec<u64>,
    /// Outliers of each topic.
    pub outliers: Vec<u64>,
    /// Feature counts of each topic's core (its passages that are no outliers).
    pub core: FeatureCounts,
    /// Each topic's passages closest to its centre, best first: (the vector's dot product with
    /// the centre, the passage's number in the corpus).
    pub closest: Vec<Vec<(f64, u64)>>,
    /// How many `closest` keeps.
    keep: usize,
}

/// A shard's placed passages with their topic, similarity and outlier flag.
pub struct Judged<'a> {
    /// The passages, placed.
    pub placed: &'a Placed,
    /// Their topics.
    pub topics: &'a [usize],
    /// Their cosine similarity to their topic's centre.
    pub similarity: &'a [f64],
    /// Whether each is below its topic's lower fence.
    pub outlier: &'a [bool],
}

impl TopicSums {
    /// A shard's sums. `first` is the number in the corpus of the shard's first passage;
    /// `keep` how many representatives a topic has; `apart` whether outliers stand apart.
    /// Stretches of passages are summed in parallel and merged as shards are: the counts are
    /// whole numbers and the closest are kept by a total order, so any split gives the same
    /// sums (a gigabyte's 579,000 passages took a second on one core).
    pub fn of(
        judged: &Judged,
        decided: &Decided,
        shard: (&TfIdf, &[Bag]),
        how: (u64, usize, bool),
    ) -> Self {
        Self::in_stretches(judged, decided, shard, how, STRETCH)
    }

    /// [`TopicSums::of`], in stretches of at least `stretch` passages.
    fn in_stretches(
        judged: &Judged,
        decided: &Decided,
        (tfidf, bags): (&TfIdf, &[Bag]),
        (first, keep, apart): (u64, usize, bool),
        stretch: usize,
    ) -> Self {
        use rayon::prelude::*;
        let k = decided.centres.nrows();
        let none = || TopicSums {
            passages: vec![0; k],
            kept: vec![0; k],
            outliers: vec![0; k],
            core: FeatureCounts::new(k, tfidf.features.len()),
            closest: vec![Vec::new(); k],
            keep,
        };
        let Judged {
            placed,
            topics,
            outlier,
            ..
        } = judged;
        (0..topics.len())
            .into_par_iter()
            .with_min_len(stretch)
            .fold(none, |mut sums, pos| {
                let (t, far) = (topics[pos], outlier[pos]);
                let row = placed.rows[pos];
                sums.passages[t] += 1;
                sums.outliers[t] += far as u64;
                sums.kept[t] += !(apart && far) as u64;
                if !far {
                    sums.core.add(tfidf, &bags[row], t);
                }
                let score = placed.x.row(pos).dot(&decided.centres.row(t));
                sums.closest[t].push((score, first + row as u64));
                sums
            })
            .map(|mut sums| {
                for c in &mut sums.closest {
                    best_first(c, keep);
                }
                sums
            })
            .reduce(none, TopicSums::merge)
    }

    /// The sums of two shards.
    pub fn merge(mut self, other: TopicSums) -> TopicSums {
        let add = |a: &mut Vec<u64>, b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.passages, &other.passages);
        add(&mut self.kept, &other.kept);
        add(&mut self.outliers, &other.outliers);
        self.core = self.core.merge(other.core);
        for (mine, theirs) in self.closest.iter_mut().zip(other.closest) {
            mine.extend(theirs);
            best_first(mine, self.keep);
        }
        self
    }
}

/// Passages summed at least in one stretch: each stretch's feature counts take a topic-by-feature
/// table of their own.
const STRETCH: usize = 1 << 14;

/// Sorts by score, best first (ties: the earlier passage), and keeps `keep`.
fn best_first(v: &mut Vec<(f64, u64)>, keep: usize) {
    v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    v.truncate(keep);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array1;

    /// However the passages are cut into stretches, and on any number of threads, the sums
    /// are the same, the closest passages with them (ties: the earlier passage).
    #[test]
    fn sums_in_any_stretches_are_the_sums_in_one() {
        let lists: Vec<Vec<&str>> = (0..300)
            .map(|i| match i % 3 {
                0 => vec!["bank", "loan", "price"],
                1 => vec!["goal", "match"],
                _ => vec!["stock", "price", "index", "bank"],
            })
            .collect();
        let tokens = crate::stages::s3_tokenize::from_token_lists(&lists);
        let vcfg = crate::config::VectorizeConfig {
            min_df: Some(crate::config::Df::Count(1)),
            max_df: crate::config::Df::Fraction(1.0),
            ..Default::default()
        };
        let tfidf = crate::stages::s4_vectorize::vectorize(&tokens, &vcfg).unwrap();
        let n = tokens.bags.len();
        // Vectors repeat every seven passages, so scores tie across the corpus.
        let x = Array2::from_shape_fn((n, 3), |(i, j)| ((i % 7 + j * 3) % 5) as f64 / 5.0);
        let topics: Vec<usize> = (0..n).map(|i| i % 4).collect();
        let outlier: Vec<bool> = (0..n).map(|i| i % 11 == 0).collect();
        let placed = Placed {
            rows: (0..n).collect(),
            x,
            clusters: Array1::from(topics.clone()),
        };
        let decided = Decided {
            topic_of: (0..4).collect(),
            centres: Array2::from_shape_fn((4, 3), |(t, j)| (t + j) as f64 / 4.0),
            norms: vec![1.0; 4],
        };
        let similarity = vec![0.0; n];
        let judged = Judged {
            placed: &placed,
            topics: &topics,
            similarity: &similarity,
            outlier: &outlier,
        };
        let shard = (&tfidf, tokens.bags.as_slice());
        let how = (1000, 5, true);
        let whole = TopicSums::in_stretches(&judged, &decided, shard, how, usize::MAX);
        assert_eq!(whole.passages.iter().sum::<u64>(), n as u64);
        assert!(whole.closest.iter().all(|c| c.len() == 5));
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for stretch in [1, 7, 64] {
                let cut = pool
                    .install(|| TopicSums::in_stretches(&judged, &decided, shard, how, stretch));
                assert_eq!(cut, whole, "{threads} threads, stretches of {stretch}");
            }
        }
    }
}
