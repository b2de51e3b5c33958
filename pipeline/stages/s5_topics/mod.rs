//! Stage 5, topics: LSA (randomized truncated SVD of the TF-IDF matrix), L2-normalised rows,
//! k-means (linfa-clustering, k-means++ init, several restarts, fixed seed), then labels.
//!
//! Labels are BERTopic's class-based TF-IDF: a topic's term frequencies, L1-normalised, times
//! `ln(1 + A / f_t)` where `A` is the mean number of term occurrences per topic and `f_t` the
//! term's frequency over all topics. A topic's representative passages are those closest to its
//! centroid. Passages without any feature are left out of clustering and counted.

pub mod svd;

use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array1, Array2, Axis};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

use crate::artifacts::{TermId, TfIdf, Tokens, Topic, Topics};
use crate::config::TopicsConfig;
use crate::error::{Error, Result};

/// Finds topics among the passages.
pub fn topics(tfidf: &TfIdf, tokens: &Tokens, cfg: &TopicsConfig, seed: u64) -> Result<Topics> {
    let n = tfidf.matrix.rows();
    let rows: Vec<usize> = (0..n)
        .filter(|&i| tfidf.matrix.outer_view(i).is_some_and(|r| r.nnz() > 0))
        .collect();
    let unassigned = (n - rows.len()) as u32;
    let mut assignment: Vec<Option<u32>> = vec![None; n];
    if rows.is_empty() {
        return Ok(Topics {
            topics: vec![],
            assignment,
            unassigned,
            explained_variance_ratio: vec![],
            components: 0,
        });
    }
    let sub = select_rows(&tfidf.matrix, &rows);
    let svd = svd::randomized_svd(
        &sub,
        svd::SvdParams {
            k: cfg.components,
            oversample: cfg.oversample,
            power_iterations: cfg.power_iterations,
            seed,
        },
    );
    let mut x = svd.transformed;
    for mut row in x.axis_iter_mut(Axis(0)) {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }

    let k = cfg.k.min(rows.len());
    let (labels, centroids) = if k < 2 {
        let centroid = x
            .mean_axis(Axis(0))
            .expect("at least one row")
            .insert_axis(Axis(0));
        (Array1::zeros(rows.len()), centroid)
    } else {
        let data = DatasetBase::from(x.clone());
        let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
            .init_method(KMeansInit::KMeansPlusPlus)
            .n_runs(cfg.n_init)
            .max_n_iterations(cfg.max_iterations)
            .tolerance(absolute_tolerance(&x, cfg.tolerance))
            .fit(&data)
            .map_err(|e| Error::Internal(format!("k-means failed: {e}")))?;
        let labels = model.predict(&x);
        (labels, model.centroids().clone())
    };

    // Number topics by size, largest first (ties by k-means label).
    let k_found = centroids.nrows();
    let mut sizes = vec![0u32; k_found];
    labels.iter().for_each(|&l| sizes[l] += 1);
    let mut order: Vec<usize> = (0..k_found).filter(|&c| sizes[c] > 0).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(sizes[c]), c));
    let mut renumber = vec![u32::MAX; k_found];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new as u32;
    }
    for (pos, &r) in rows.iter().enumerate() {
        assignment[r] = Some(renumber[labels[pos]]);
    }

    let labels_ctfidf = class_tfidf(tokens, tfidf, &assignment, order.len(), cfg.top_terms);
    let topics = order
        .iter()
        .enumerate()
        .map(|(new, &old)| Topic {
            id: new as u32,
            size: sizes[old],
            top_terms: labels_ctfidf[new].clone(),
            representatives: representatives(
                &x,
                &rows,
                &labels,
                old,
                &centroids,
                cfg.representatives,
            ),
        })
        .collect();
    Ok(Topics {
        topics,
        assignment,
        unassigned,
        explained_variance_ratio: svd.explained_variance_ratio,
        components: x.ncols(),
    })
}

/// scikit-learn's k-means tolerance is relative: converged when the squared centroid shift,
/// summed, falls below `tol × mean column variance`. linfa compares the Euclidean norm of the
/// shift, so the same rule is the square root of that.
fn absolute_tolerance(x: &Array2<f64>, tol: f64) -> f64 {
    let mean_var = x.var_axis(Axis(0), 0.0).mean().unwrap_or(0.0);
    (tol * mean_var).sqrt().max(f64::MIN_POSITIVE)
}

fn select_rows(m: &sprs::CsMat<f64>, rows: &[usize]) -> sprs::CsMat<f64> {
    let mut indptr = vec![0];
    let mut indices = Vec::new();
    let mut data = Vec::new();
    for &r in rows {
        let row = m.outer_view(r).expect("row index in range");
        indices.extend_from_slice(row.indices());
        data.extend_from_slice(row.data());
        indptr.push(indices.len());
    }
    sprs::CsMat::new((rows.len(), m.cols()), indptr, indices, data)
}

/// c-TF-IDF top terms per topic, over the TF-IDF features.
fn class_tfidf(
    tokens: &Tokens,
    tfidf: &TfIdf,
    assignment: &[Option<u32>],
    k: usize,
    top: usize,
) -> Vec<Vec<(TermId, f64)>> {
    let mut column = vec![u32::MAX; tokens.vocabulary.terms.len()];
    for (c, &t) in tfidf.features.iter().enumerate() {
        column[t as usize] = c as u32;
    }
    let nf = tfidf.features.len();
    let mut tf = Array2::<f64>::zeros((k, nf));
    for (bag, topic) in tokens.bags.iter().zip(assignment) {
        let Some(topic) = topic else { continue };
        for &(t, count) in bag {
            let c = column[t as usize];
            if c != u32::MAX {
                tf[[*topic as usize, c as usize]] += count as f64;
            }
        }
    }
    let f_t = tf.sum_axis(Axis(0));
    let avg_words = tf.sum() / k as f64;
    tf.axis_iter(Axis(0))
        .map(|row| {
            let total = row.sum();
            let mut scored: Vec<(TermId, f64)> = row
                .iter()
                .enumerate()
                .filter(|(_, &v)| v > 0.0)
                .map(|(c, &v)| {
                    (
                        tfidf.features[c],
                        (v / total) * (1.0 + avg_words / f_t[c]).ln(),
                    )
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(top);
            scored
        })
        .collect()
}

/// The passages of cluster `label` most similar (cosine) to its centroid, best first.
fn representatives(
    x: &Array2<f64>,
    rows: &[usize],
    labels: &Array1<usize>,
    label: usize,
    centroids: &Array2<f64>,
    n: usize,
) -> Vec<u32> {
    let c = centroids.row(label);
    let mut scored: Vec<(f64, usize)> = labels
        .iter()
        .enumerate()
        .filter(|(_, &l)| l == label)
        .map(|(pos, _)| (x.row(pos).dot(&c), rows[pos]))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(n).map(|(_, r)| r as u32).collect()
}
