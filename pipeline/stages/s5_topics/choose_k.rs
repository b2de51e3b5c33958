//! Choosing the number of topics (`topics.k = "auto"`): each k tried is scored by the stability
//! of its clustering over subsamples and the coherence of its labels.

use ndarray::{Array2, Axis};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::assign::FeatureCounts;
use super::{class_tfidf, cluster, kmeans, quality};
use crate::artifacts::{Bag, KScore, TermId, TfIdf, Vocabulary};
use crate::config::TopicsConfig;
use crate::error::Result;

/// Scores every k of `k_min..=k_max` — at most √(n/2) for n passages, a common rule of thumb
/// that keeps small corpora from being cut into topics of a few passages each (where NPMI of
/// rare terms runs high) — by its [`stability`] and the mean NPMI coherence of the topics'
/// labels, and picks the k with the best sum of the two, each scaled to 0–1 over the ks tried
/// (ties: the smaller k). The mean silhouette of the sample is reported beside them but does
/// not choose: on text it rises with k (on BBC News, AG News and Reuters R8 it was highest at
/// or near k = 16 every time, which is what `--k auto` used to pick).
pub(super) fn choose_k(
    x: &Array2<f64>,
    bags: &[&Bag],
    (clustered, passages): (usize, usize),
    tfidf: &TfIdf,
    vocab: &Vocabulary,
    cfg: &TopicsConfig,
    seed: u64,
) -> Result<(usize, Vec<KScore>)> {
    let rule_of_thumb = ((bags.len() as f64 / 2.0).sqrt().floor() as usize).max(cfg.k_min);
    let hi = cfg
        .k_max
        .min(rule_of_thumb)
        .min(bags.len().saturating_sub(1));
    let lo = cfg.k_min.min(hi);
    if hi < 2 {
        return Ok((bags.len().min(cfg.k_min), Vec::new()));
    }
    // Coherence is counted over the fitted passages, read as a share of the corpus' passages:
    // every passage when the fit is not sampled (passages without a feature hold no label).
    let over = (bags.len() as u128 * passages as u128 / clustered.max(1) as u128) as u64;
    let sample = silhouette_sample(x.nrows(), cfg.silhouette_sample, seed);
    let dist = pairwise_distances(x, &sample);
    let mut scores: Vec<KScore> = (lo..=hi)
        .into_par_iter()
        .map(|k| {
            let (labels, _, inertia) = cluster(x, k, cfg, seed);
            let sample_labels: Vec<usize> = sample.iter().map(|&i| labels[i]).collect();
            let silhouette = silhouette(&dist, &sample_labels, k);
            let stability = stability(x, &sample, k, seed);
            let mut counts = FeatureCounts::new(k, tfidf.features.len());
            for (&bag, &l) in bags.iter().zip(&labels) {
                counts.add(tfidf, bag, l);
            }
            let (_, counts) = class_tfidf(&counts, k, tfidf);
            let top: Vec<Vec<TermId>> = (0..k)
                .map(|t| {
                    counts
                        .label(&[t], tfidf, vocab, cfg.top_terms)
                        .iter()
                        .map(|&(id, _)| id)
                        .collect()
                })
                .collect();
            let coherence = quality::Cooccurrences::of(bags, &top).over(over).npmi();
            let valid: Vec<f64> = coherence.into_iter().filter(|c| c.is_finite()).collect();
            let coherence = valid.iter().sum::<f64>() / valid.len().max(1) as f64;
            Ok(KScore {
                k,
                silhouette,
                stability,
                coherence,
                inertia,
                chosen: false,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let scale = |f: &dyn Fn(&KScore) -> f64| -> Vec<f64> {
        let v: Vec<f64> = scores.iter().map(f).collect();
        let (min, max) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        v.iter()
            .map(|x| {
                if max > min {
                    (x - min) / (max - min)
                } else {
                    0.0
                }
            })
            .collect()
    };
    let (s, c) = (scale(&|s| s.stability), scale(&|s| s.coherence));
    let mut best = 0;
    for i in 1..scores.len() {
        if s[i] + c[i] > s[best] + c[best] {
            best = i;
        }
    }
    scores[best].chosen = true;
    Ok((scores[best].k, scores))
}

/// Subsample pairs [`stability`] compares.
const STABILITY_PAIRS: u64 = 5;

/// How reproducible k clusters are (Ben-Hur, Elisseeff & Guyon 2002; Lange et al. 2004): the
/// mean adjusted Rand index, over [`STABILITY_PAIRS`] pairs of seeded subsamples of 80% of
/// `sample`, between the clusterings of the two subsamples (k-means, 2 starts each) on the rows
/// they share. Every k is scored on the same subsamples. A k that cuts a real group in two, or
/// merges two, is cut differently from one subsample to the next and scores low.
pub(super) fn stability(x: &Array2<f64>, sample: &[usize], k: usize, seed: u64) -> f64 {
    use rand::seq::SliceRandom;
    let m = sample.len() * 4 / 5;
    if m <= k {
        return 0.0;
    }
    let subsample = |i: u64| {
        let mut rows = sample.to_vec();
        rows.shuffle(&mut Xoshiro256Plus::seed_from_u64(seed ^ 0x57AB ^ i));
        rows.truncate(m);
        rows.sort_unstable();
        rows
    };
    let fit = |rows: &[usize], i: u64| {
        kmeans::fit(
            x.select(Axis(0), rows).view(),
            &kmeans::Params {
                k,
                starts: 2,
                max_iterations: 100,
                tolerance: 1e-4,
                seed: seed ^ i,
            },
        )
        .centroids
    };
    let total: f64 = (0..STABILITY_PAIRS)
        .map(|p| {
            let (a, b) = (subsample(2 * p), subsample(2 * p + 1));
            let both: Vec<usize> = a
                .iter()
                .copied()
                .filter(|r| b.binary_search(r).is_ok())
                .collect();
            let shared = x.select(Axis(0), &both);
            let la = kmeans::nearest(shared.view(), &fit(&a, 2 * p));
            let lb = kmeans::nearest(shared.view(), &fit(&b, 2 * p + 1));
            quality::adjusted_rand_index(&la, &lb)
        })
        .sum();
    total / STABILITY_PAIRS as f64
}

/// Up to `n` of `0..rows`, chosen by a seeded shuffle, in ascending order.
fn silhouette_sample(rows: usize, n: usize, seed: u64) -> Vec<usize> {
    use rand::seq::SliceRandom;
    let mut all: Vec<usize> = (0..rows).collect();
    if rows > n {
        all.shuffle(&mut Xoshiro256Plus::seed_from_u64(seed ^ 0x5111_0EE7));
        all.truncate(n);
        all.sort_unstable();
    }
    all
}

/// Euclidean distances between the sampled rows, `[i][j]`.
fn pairwise_distances(x: &Array2<f64>, sample: &[usize]) -> Vec<Vec<f64>> {
    sample
        .par_iter()
        .map(|&i| {
            sample
                .iter()
                .map(|&j| {
                    let d = &x.row(i) - &x.row(j);
                    d.dot(&d).sqrt()
                })
                .collect()
        })
        .collect()
}

/// Mean silhouette (Rousseeuw 1987) of labelled points from their distance matrix; a point
/// alone in its cluster scores 0, as in scikit-learn.
fn silhouette(dist: &[Vec<f64>], labels: &[usize], k: usize) -> f64 {
    let n = labels.len();
    if n < 2 {
        return 0.0;
    }
    let mut size = vec![0usize; k];
    labels.iter().for_each(|&l| size[l] += 1);
    let total: f64 = (0..n)
        .map(|i| {
            let mut sum = vec![0.0; k];
            for j in 0..n {
                if j != i {
                    sum[labels[j]] += dist[i][j];
                }
            }
            let own = labels[i];
            if size[own] < 2 {
                return 0.0;
            }
            let a = sum[own] / (size[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own && size[c] > 0)
                .map(|c| sum[c] / size[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() {
                return 0.0;
            }
            (b - a) / a.max(b)
        })
        .sum();
    total / n as f64
}
