//! Topics over time, with BERTopic's `topics_over_time` semantics: each topic's share of the
//! period's assigned passages, with a 95% bootstrap interval over the period's documents, and
//! the topic's c-TF-IDF top terms within the period.
//!
//! A period's c-TF-IDF reuses the topic model's idf: the topic's term frequencies among the
//! period's passages, L1-normalised, times the global idf. With tuning on (BERTopic's default)
//! that vector is L1-normalised again; *evolution tuning* averages it with the same topic's
//! tuned vector of the previous period with passages, if the topic has some there, and *global
//! tuning* then averages it with the topic's global c-TF-IDF row. BERTopic applies its
//! evolution step to a copy (`tolil()`), so it never takes effect there; here it does.

use serde::{Deserialize, Serialize};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::artifacts::{ClassTfidf, TermId, TopicPeriod, Vocabulary};
use crate::config::TrendsConfig;
use crate::text::label_terms;

use super::bootstrap;
use super::shard::{DocRuns, Shard};

/// A document's period and its assigned passages.
type DocTopics = (usize, bootstrap::DocTopicCounts);

/// The pass' partial: each document's topics (for the bootstrap over a period's documents),
/// and each (period, topic)'s feature counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicPeriodSums {
    /// Each document's period and assigned passages.
    docs: DocRuns<DocTopics>,
    /// `[period · k + topic]`: feature column → occurrences.
    tf: Vec<FxHashMap<u32, u64>>,
    k: usize,
}

impl TopicPeriodSums {
    /// A shard's sums, for `k` topics over `periods` periods.
    pub fn of(shard: &Shard, model: &ClassTfidf, k: usize, periods: usize) -> Self {
        let passages = shard.passages;
        let mut docs: Vec<DocTopics> = shard
            .doc_period
            .iter()
            .map(|&p| (p, bootstrap::DocTopicCounts::default()))
            .collect();
        for (i, p) in passages.passages.iter().enumerate() {
            if let Some(t) = shard.assignment[i] {
                docs[p.doc as usize].1.add(t);
            }
        }
        let terms = model.features.iter().max().map_or(0, |&t| t as usize + 1);
        let mut column = vec![u32::MAX; terms];
        for (c, &t) in model.features.iter().enumerate() {
            column[t as usize] = c as u32;
        }
        // Term frequencies of each (period, topic), sparse: the passages are listed by cell,
        // and each cell counts its own passages, so no cell's counts are ever merged.
        let cells = periods * k;
        let cell_of = |i: usize| {
            let t = shard.assignment[i]? as usize;
            Some(shard.doc_period[passages.passages[i].doc as usize] * k + t)
        };
        let mut starts = vec![0usize; cells + 1];
        for i in 0..passages.passages.len() {
            if let Some(c) = cell_of(i) {
                starts[c + 1] += 1;
            }
        }
        for c in 0..cells {
            starts[c + 1] += starts[c];
        }
        let mut next = starts.clone();
        let mut by_cell = vec![0u32; starts[cells]];
        for i in 0..passages.passages.len() {
            if let Some(c) = cell_of(i) {
                by_cell[next[c]] = i as u32;
                next[c] += 1;
            }
        }
        let tf: Vec<FxHashMap<u32, u64>> = (0..cells)
            .into_par_iter()
            .map(|c| {
                let mut m = FxHashMap::default();
                for &i in &by_cell[starts[c]..starts[c + 1]] {
                    for &(term, n) in &shard.bags[i as usize] {
                        match column.get(term as usize) {
                            Some(&c) if c != u32::MAX => *m.entry(c).or_default() += n as u64,
                            _ => {}
                        }
                    }
                }
                m
            })
            .collect();
        TopicPeriodSums {
            docs: DocRuns::of(shard.first_doc, docs),
            tf,
            k,
        }
    }

    /// The sums of two shards.
    pub fn merge(mut self, other: TopicPeriodSums) -> TopicPeriodSums {
        self.docs = self.docs.merge(other.docs);
        self.tf = add_tf(self.tf, other.tf);
        self
    }

    /// The rows, from the merged sums: each topic's share of each period's assigned passages,
    /// with its bootstrap interval over the period's documents, and its top terms there.
    pub fn rows(
        &self,
        model: &ClassTfidf,
        vocab: &Vocabulary,
        cfg: &TrendsConfig,
        seed: u64,
    ) -> Vec<TopicPeriod> {
        let k = self.k;
        let periods = self.tf.len() / k.max(1);
        let mut docs_of: Vec<Vec<&bootstrap::DocTopicCounts>> = vec![Vec::new(); periods];
        for (p, d) in self.docs.iter() {
            docs_of[*p].push(d);
        }
        let shares: Vec<Vec<(u32, f64, bootstrap::Interval)>> = docs_of
            .par_iter()
            .enumerate()
            .map(|(p, docs)| {
                let mut count = vec![0u32; k];
                let mut total = 0u32;
                for d in docs {
                    total += d.total;
                    d.topics().iter().for_each(|&(t, n)| count[t as usize] += n);
                }
                let ci = bootstrap::topic_shares(docs, k, cfg.bootstrap_samples, seed, p);
                (0..k)
                    .map(|t| {
                        let share = if total > 0 {
                            count[t] as f64 / total as f64
                        } else {
                            f64::NAN
                        };
                        let nan = bootstrap::Interval {
                            low: f64::NAN,
                            high: f64::NAN,
                        };
                        (count[t], share, ci.as_ref().map_or(nan, |c| c[t]))
                    })
                    .collect()
            })
            .collect();
        let labels = period_labels(&self.tf, model, vocab, k, cfg);
        let mut rows = Vec::with_capacity(periods * k);
        for (p, row) in shares.into_iter().enumerate() {
            for (t, (n, share, ci)) in row.into_iter().enumerate() {
                rows.push(TopicPeriod {
                    period: p,
                    topic: t as u32,
                    passages: n,
                    share,
                    share_low: ci.low,
                    share_high: ci.high,
                    top_terms: labels[t][p].clone(),
                });
            }
        }
        rows
    }
}

/// Feature counts added cell by cell.
fn add_tf(
    mut a: Vec<FxHashMap<u32, u64>>,
    b: Vec<FxHashMap<u32, u64>>,
) -> Vec<FxHashMap<u32, u64>> {
    for (x, y) in a.iter_mut().zip(b) {
        for (c, n) in y {
            *x.entry(c).or_default() += n;
        }
    }
    a
}

/// `[topic][period]`: the topic's top terms within the period (empty where it has no passage),
/// from each (period, topic)'s feature counts `tf`.
fn period_labels(
    tf: &[FxHashMap<u32, u64>],
    model: &ClassTfidf,
    vocab: &Vocabulary,
    k: usize,
    cfg: &TrendsConfig,
) -> Vec<Vec<Vec<(TermId, f64)>>> {
    let periods = tf.len() / k.max(1);
    let filled: Vec<bool> = (0..periods)
        .map(|p| (0..k).any(|t| !tf[p * k + t].is_empty()))
        .collect();
    let nf = model.features.len();
    let tuned = cfg.global_tuning || cfg.evolution_tuning;
    (0..k)
        .into_par_iter()
        .map(|t| {
            let global = model.weights.row(t);
            let mut previous: Option<Vec<f64>> = None;
            (0..periods)
                .map(|p| {
                    let m = &tf[p * k + t];
                    if m.is_empty() {
                        if filled[p] {
                            previous = None;
                        }
                        return Vec::new();
                    }
                    let total: u64 = m.values().sum();
                    let mut v = vec![0.0; nf];
                    for (&c, &n) in m {
                        v[c as usize] = n as f64 / total as f64 * model.idf[c as usize];
                    }
                    if tuned {
                        let sum: f64 = v.iter().sum();
                        if sum > 0.0 {
                            v.iter_mut().for_each(|x| *x /= sum);
                        }
                    }
                    if cfg.evolution_tuning {
                        if let Some(prev) = &previous {
                            v.iter_mut()
                                .zip(prev)
                                .for_each(|(x, y)| *x = (*x + y) / 2.0);
                        }
                    }
                    if cfg.global_tuning {
                        v.iter_mut()
                            .zip(global.iter())
                            .for_each(|(x, g)| *x = (*x + g) / 2.0);
                    }
                    let count = |c: usize| m.get(&(c as u32)).copied().unwrap_or(0) as f64;
                    let top = label_terms(&v, count, &model.features, vocab, cfg.topic_terms);
                    previous = Some(v);
                    top
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s6_trends::shard::Fixture;

    #[test]
    fn sums_of_shards_merged_in_any_order_give_the_whole_corpus_rows() {
        let f = Fixture::new();
        let features: Vec<TermId> = (0..f.tokens.vocabulary.terms.len() as TermId).collect();
        let model = ClassTfidf {
            idf: features.iter().map(|&t| 1.0 + t as f64 / 7.0).collect(),
            weights: ndarray::Array2::from_shape_fn((2, features.len()), |(t, c)| {
                ((t * 3 + c) % 4) as f64 / 4.0
            }),
            features,
        };
        let cfg = TrendsConfig {
            bootstrap_samples: 200,
            ..Default::default()
        };
        let sums = |from, to| f.shard(from, to, |s| TopicPeriodSums::of(s, &model, 2, 3));
        let vocab = &f.tokens.vocabulary;
        let whole = sums(0, 7).rows(&model, vocab, &cfg, 5);
        let split = sums(4, 7)
            .merge(sums(0, 2))
            .merge(sums(2, 4))
            .rows(&model, vocab, &cfg, 5);
        assert_eq!(format!("{split:?}"), format!("{whole:?}"));
        assert_eq!(whole.len(), 6);
        assert!(whole.iter().any(|r| !r.top_terms.is_empty()));
    }
}
