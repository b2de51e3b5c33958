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

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::artifacts::{Passages, TermId, Tokens, TopicPeriod, Topics};
use crate::config::TrendsConfig;
use crate::text::label_terms;

use super::bootstrap;

/// One row per period and topic, period-major.
pub fn topics_over_time(
    passages: &Passages,
    tokens: &Tokens,
    topics: &Topics,
    doc_period: &[usize],
    periods: usize,
    cfg: &TrendsConfig,
    seed: u64,
) -> Vec<TopicPeriod> {
    let k = topics.topics.len();
    if k == 0 {
        return Vec::new();
    }
    // Per document: (topic, passages) and the assigned passages in all.
    let mut per_doc: Vec<(Vec<(u32, u32)>, u32)> = vec![(Vec::new(), 0); doc_period.len()];
    for (i, p) in passages.passages.iter().enumerate() {
        if let Some(t) = topics.assignment[i] {
            let d = &mut per_doc[p.doc as usize];
            d.1 += 1;
            match d.0.iter_mut().find(|(x, _)| *x == t) {
                Some(e) => e.1 += 1,
                None => d.0.push((t, 1)),
            }
        }
    }
    let mut docs_of: Vec<Vec<usize>> = vec![Vec::new(); periods];
    for (d, &p) in doc_period.iter().enumerate() {
        docs_of[p].push(d);
    }
    let shares: Vec<Vec<(u32, f64, bootstrap::Interval)>> = docs_of
        .par_iter()
        .enumerate()
        .map(|(p, docs)| {
            let docs: Vec<&(Vec<(u32, u32)>, u32)> = docs.iter().map(|&d| &per_doc[d]).collect();
            let mut count = vec![0u32; k];
            let mut total = 0u32;
            for d in &docs {
                total += d.1;
                d.0.iter().for_each(|&(t, n)| count[t as usize] += n);
            }
            let ci = bootstrap::topic_shares(&docs, k, cfg.bootstrap_samples, seed, p);
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

    let labels = period_labels(passages, tokens, topics, doc_period, periods, cfg);
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

/// `[topic][period]`: the topic's top terms within the period (empty where it has no passage).
fn period_labels(
    passages: &Passages,
    tokens: &Tokens,
    topics: &Topics,
    doc_period: &[usize],
    periods: usize,
    cfg: &TrendsConfig,
) -> Vec<Vec<Vec<(TermId, f64)>>> {
    let model = &topics.class_tfidf;
    let k = topics.topics.len();
    let mut column = vec![u32::MAX; tokens.vocabulary.terms.len()];
    for (c, &t) in model.features.iter().enumerate() {
        column[t as usize] = c as u32;
    }
    // Term frequencies of each (period, topic), sparse, counted per document run in parallel
    // and merged; counts are integers, so the merge order does not matter.
    let tf: Vec<FxHashMap<u32, u64>> = passages
        .document_runs()
        .par_iter()
        .fold(
            || vec![FxHashMap::default(); periods * k],
            |mut acc, run| {
                for i in run.clone() {
                    let Some(t) = topics.assignment[i] else {
                        continue;
                    };
                    let p = doc_period[passages.passages[i].doc as usize];
                    let m = &mut acc[p * k + t as usize];
                    for &(term, n) in &tokens.bags[i] {
                        let c = column[term as usize];
                        if c != u32::MAX {
                            *m.entry(c).or_default() += n as u64;
                        }
                    }
                }
                acc
            },
        )
        .reduce(
            || vec![FxHashMap::default(); periods * k],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    for (c, n) in y {
                        *x.entry(c).or_default() += n;
                    }
                }
                a
            },
        );
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
                    let top = label_terms(
                        &v,
                        count,
                        &model.features,
                        &tokens.vocabulary,
                        cfg.topic_terms,
                    );
                    previous = Some(v);
                    top
                })
                .collect()
        })
        .collect()
}
