//! Stage 5, topics: LSA (randomized truncated SVD of the TF-IDF matrix), L2-normalised rows,
//! k-means (linfa-clustering, k-means++ init, several restarts, fixed seed), then labels.
//!
//! Labels are BERTopic's class-based TF-IDF: a topic's term frequencies, L1-normalised, times
//! `ln(1 + A / f_t)` where `A` is the mean number of term occurrences per topic and `f_t` the
//! term's frequency over all topics. A topic's representative passages are those closest to its
//! centroid. Passages without any feature are left out of clustering and counted.

pub mod quality;
pub mod svd;

use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array1, Array2, Axis};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use crate::artifacts::{ClassTfidf, KScore, TermId, TfIdf, Tokens, Topic, Topics};
use crate::config::{TopicCount, TopicsConfig};
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
        return Ok(Topics::none(n));
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

    let (k, k_scores) = match cfg.k {
        TopicCount::Fixed(k) => (k.min(rows.len()), Vec::new()),
        TopicCount::Auto(_) => choose_k(&x, &rows, tfidf, tokens, cfg, seed)?,
    };
    let (labels, centroids, inertia) = cluster(&x, k, cfg, seed)?;

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

    let map = topic_map(&x, &rows, &labels, &centroids, n);
    let (model, labels_ctfidf) =
        class_tfidf(tokens, tfidf, &assignment, order.len(), cfg.top_terms);
    let coherence = quality::npmi_coherence(
        &tokens.bags,
        &labels_ctfidf
            .iter()
            .map(|t| t.iter().map(|&(id, _)| id).collect())
            .collect::<Vec<_>>(),
    );
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
            coherence: coherence[new],
        })
        .collect();
    Ok(Topics {
        topics,
        assignment,
        unassigned,
        explained_variance_ratio: svd.explained_variance_ratio,
        components: x.ncols(),
        similarity: quality::cosine_matrix(&model.weights),
        k_scores,
        class_tfidf: model,
        map,
        inertia,
        vectors: cfg.write_vectors.then_some((rows, x)),
    })
}

/// Each passage's place on a 2-D map: its LSA vector projected on the two principal axes of
/// the topic centroids (the plane that spreads the topics most). `None` for passages left out.
fn topic_map(
    x: &Array2<f64>,
    rows: &[usize],
    labels: &Array1<usize>,
    centroids: &Array2<f64>,
    n: usize,
) -> Vec<Option<(f64, f64)>> {
    use linfa_linalg::eigh::{EigSort, Eigh};
    let mut out = vec![None; n];
    let k = centroids.nrows();
    if k < 2 {
        return out;
    }
    // Weighted by cluster size, so that empty clusters do not pull the axes.
    let mut size = vec![0.0; k];
    labels.iter().for_each(|&l| size[l] += 1.0);
    let total: f64 = size.iter().sum();
    let mean = centroids
        .axis_iter(Axis(0))
        .zip(&size)
        .fold(Array1::<f64>::zeros(centroids.ncols()), |acc, (c, &w)| {
            acc + &c * (w / total)
        });
    let centred = centroids - &mean.view().insert_axis(Axis(0));
    let mut weighted = centred.clone();
    for (mut row, &w) in weighted.axis_iter_mut(Axis(0)).zip(&size) {
        row *= (w / total).sqrt();
    }
    // Principal axes from the small k × k Gram matrix: v = Wᵀ u / √λ.
    let gram = weighted.dot(&weighted.t());
    let Ok((vals, vecs)) = gram.eigh() else {
        return out;
    };
    let (vals, vecs) = (vals, vecs).sort_eig_desc();
    let mut axes = Array2::<f64>::zeros((centroids.ncols(), 2));
    for a in 0..2.min(k) {
        if vals[a] > 1e-12 {
            let mut v = weighted.t().dot(&vecs.column(a)) / vals[a].sqrt();
            // Deterministic sign: the largest entry positive.
            let big = v
                .iter()
                .fold(0.0f64, |b, &x| if x.abs() > b.abs() { x } else { b });
            if big < 0.0 {
                v.mapv_inplace(|x| -x);
            }
            axes.column_mut(a).assign(&v);
        }
    }
    let projected = (x - &mean.view().insert_axis(Axis(0))).dot(&axes);
    for (pos, &r) in rows.iter().enumerate() {
        out[r] = Some((projected[[pos, 0]], projected[[pos, 1]]));
    }
    out
}

/// A k-means result: labels, centroids, inertia.
type Clustering = (Array1<usize>, Array2<f64>, f64);

/// k-means with `cfg.n_init` k-means++ starts run in parallel, the first seeded with `seed`
/// and the others with seeds derived from it; the start with the lowest inertia wins (ties:
/// the earlier start). Returns labels, centroids and inertia (the sum of squared distances,
/// [`sum_of_squares`]). k < 2 is one cluster.
fn cluster(x: &Array2<f64>, k: usize, cfg: &TopicsConfig, seed: u64) -> Result<Clustering> {
    if k < 2 {
        let centroid = x
            .mean_axis(Axis(0))
            .expect("at least one row")
            .insert_axis(Axis(0));
        let labels = Array1::zeros(x.nrows());
        let inertia = sum_of_squares(x, &labels, &centroid);
        return Ok((labels, centroid, inertia));
    }
    let tolerance = absolute_tolerance(x, cfg.tolerance);
    let fits: Vec<Result<Clustering>> = (0..cfg.n_init(x.nrows()).max(1))
        .into_par_iter()
        .map(|i| {
            let start_seed = seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let data = DatasetBase::from(x.clone());
            let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(start_seed))
                .init_method(KMeansInit::KMeansPlusPlus)
                .n_runs(1)
                .max_n_iterations(cfg.max_iterations)
                .tolerance(tolerance)
                .fit(&data)
                .map_err(|e| Error::Internal(format!("k-means failed: {e}")))?;
            let labels = model.predict(x);
            let inertia = model.inertia();
            Ok((labels, model.centroids().clone(), inertia))
        })
        .collect();
    let mut best: Option<Clustering> = None;
    for fit in fits {
        let fit = fit?;
        if best.as_ref().is_none_or(|b| fit.2 < b.2) {
            best = Some(fit);
        }
    }
    // Starts are compared by linfa's inertia; the kept one is reported exactly, on its final
    // labels and centroids.
    let (labels, centroids, _) = best.expect("at least one start");
    let inertia = sum_of_squares(x, &labels, &centroids);
    Ok((labels, centroids, inertia))
}

/// k-means inertia as scikit-learn's `KMeans.inertia_` counts it: the sum over rows of the
/// squared distance to the centroid of their cluster.
fn sum_of_squares(x: &Array2<f64>, labels: &Array1<usize>, centroids: &Array2<f64>) -> f64 {
    x.rows()
        .into_iter()
        .zip(labels.iter())
        .map(|(row, &l)| (&row - &centroids.row(l)).mapv(|v| v * v).sum())
        .sum()
}

/// Scores every k of `k_min..=k_max` — at most √(n/2) for n passages, a common rule of thumb
/// that keeps small corpora from being cut into topics of a few passages each (where NPMI of
/// rare terms runs high) — by the mean silhouette
/// of a seeded sample and the mean NPMI coherence of the topics' c-TF-IDF top terms, and
/// picks the k with the best sum of the two, each scaled to 0–1 over the ks tried (ties: the
/// smaller k).
fn choose_k(
    x: &Array2<f64>,
    rows: &[usize],
    tfidf: &TfIdf,
    tokens: &Tokens,
    cfg: &TopicsConfig,
    seed: u64,
) -> Result<(usize, Vec<KScore>)> {
    let rule_of_thumb = ((rows.len() as f64 / 2.0).sqrt().floor() as usize).max(cfg.k_min);
    let hi = cfg
        .k_max
        .min(rule_of_thumb)
        .min(rows.len().saturating_sub(1));
    let lo = cfg.k_min.min(hi);
    if hi < 2 {
        return Ok((rows.len().min(cfg.k_min), Vec::new()));
    }
    let sample = silhouette_sample(x.nrows(), cfg.silhouette_sample, seed);
    let dist = pairwise_distances(x, &sample);
    let mut scores: Vec<KScore> = (lo..=hi)
        .into_par_iter()
        .map(|k| {
            let (labels, _, inertia) = cluster(x, k, cfg, seed)?;
            let sample_labels: Vec<usize> = sample.iter().map(|&i| labels[i]).collect();
            let silhouette = silhouette(&dist, &sample_labels, k);
            let mut assignment: Vec<Option<u32>> = vec![None; tfidf.matrix.rows()];
            for (pos, &r) in rows.iter().enumerate() {
                assignment[r] = Some(labels[pos] as u32);
            }
            let (_, top) = class_tfidf(tokens, tfidf, &assignment, k, cfg.top_terms);
            let top: Vec<Vec<TermId>> = top
                .iter()
                .map(|t| t.iter().map(|&(id, _)| id).collect())
                .collect();
            let coherence = quality::npmi_coherence(&tokens.bags, &top);
            let valid: Vec<f64> = coherence.into_iter().filter(|c| c.is_finite()).collect();
            let coherence = valid.iter().sum::<f64>() / valid.len().max(1) as f64;
            Ok(KScore {
                k,
                silhouette,
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
    let (s, c) = (scale(&|s| s.silhouette), scale(&|s| s.coherence));
    let mut best = 0;
    for i in 1..scores.len() {
        if s[i] + c[i] > s[best] + c[best] {
            best = i;
        }
    }
    scores[best].chosen = true;
    Ok((scores[best].k, scores))
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

/// The c-TF-IDF model of the topics and its top terms per topic, over the TF-IDF features.
fn class_tfidf(
    tokens: &Tokens,
    tfidf: &TfIdf,
    assignment: &[Option<u32>],
    k: usize,
    top: usize,
) -> (ClassTfidf, Vec<Vec<(TermId, f64)>>) {
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
    let idf: Vec<f64> = f_t
        .iter()
        .map(|&f| {
            if f > 0.0 {
                (1.0 + avg_words / f).ln()
            } else {
                0.0
            }
        })
        .collect();
    let mut weights = tf;
    for mut row in weights.axis_iter_mut(Axis(0)) {
        let total = row.sum();
        if total > 0.0 {
            for (c, v) in row.iter_mut().enumerate() {
                *v = (*v / total) * idf[c];
            }
        }
    }
    let top_terms = weights
        .axis_iter(Axis(0))
        .map(|row| {
            let row = row.as_slice().expect("standard layout");
            // Within a row the weight over the idf is the count, up to one factor.
            let count = |c: usize| if idf[c] > 0.0 { row[c] / idf[c] } else { 0.0 };
            label_terms(row, count, &tfidf.features, &tokens.vocabulary, top)
        })
        .collect();
    let model = ClassTfidf {
        features: tfidf.features.clone(),
        idf,
        weights,
    };
    (model, top_terms)
}

/// Columns of the `n` positive weights that are largest (ties: the smaller term id), best
/// first.
fn top_columns(weights: &[f64], features: &[TermId], n: usize) -> Vec<usize> {
    let mut scored: Vec<usize> = (0..weights.len()).filter(|&c| weights[c] > 0.0).collect();
    let order = |&a: &usize, &b: &usize| {
        weights[b]
            .total_cmp(&weights[a])
            .then(features[a].cmp(&features[b]))
    };
    if scored.len() > n && n > 0 {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
    }
    scored.sort_by(order);
    scored.truncate(n);
    scored
}

/// A term gives way, in a label, to a longer term holding it that accounts for at least this
/// share of its occurrences in the class.
const SUBSUMED_SHARE: f64 = 0.5;

/// A class's label: its `n` best terms by weight, except that a term used in the class mostly
/// as part of a longer term among the candidates ("Nam" in "Viet Nam", "per" in "per cent")
/// gives way to it, so that a label does not spend its places on the pieces of one name.
/// `count(c)` is (proportional to) the occurrences of column `c` in the class.
pub fn label_terms(
    weights: &[f64],
    count: impl Fn(usize) -> f64,
    features: &[TermId],
    vocabulary: &crate::artifacts::Vocabulary,
    n: usize,
) -> Vec<(TermId, f64)> {
    let pool = top_columns(weights, features, 3 * n);
    let words: Vec<Vec<&str>> = pool
        .iter()
        .map(|&c| {
            vocabulary.terms[features[c] as usize]
                .key
                .split(' ')
                .collect()
        })
        .collect();
    let inside = |short: &[&str], long: &[&str]| {
        long.len() > short.len() && long.windows(short.len()).any(|w| w == short)
    };
    (0..pool.len())
        .filter(|&i| {
            !(0..pool.len()).any(|j| {
                inside(&words[i], &words[j]) && count(pool[j]) >= SUBSUMED_SHARE * count(pool[i])
            })
        })
        .take(n)
        .map(|i| (features[pool[i]], weights[pool[i]]))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s3_tokenize::from_token_lists;

    #[test]
    fn labels_skip_the_pieces_of_a_longer_term() {
        let tokens = from_token_lists(&[vec![
            "nam",
            "per",
            "per cent",
            "south viet nam",
            "viet",
            "viet nam",
            "war",
        ]]);
        let v = &tokens.vocabulary;
        let features: Vec<TermId> = (0..v.terms.len() as TermId).collect();
        let col = |key: &str| v.id_of_key(key).unwrap() as usize;
        // Counts in the class; weights rank them as c-TF-IDF would.
        let mut counts = vec![0.0; features.len()];
        for (key, n) in [
            ("viet", 100.0),
            ("nam", 98.0),
            ("viet nam", 95.0),
            ("south viet nam", 30.0),
            ("war", 40.0),
            ("per", 20.0),
            ("per cent", 8.0),
        ] {
            counts[col(key)] = n;
        }
        let weights = counts.clone();
        let label: Vec<&str> = label_terms(&weights, |c| counts[c], &features, v, 4)
            .into_iter()
            .map(|(t, _)| v.terms[t as usize].key.as_str())
            .collect();
        // "viet" and "nam" are nearly always "viet nam"; "viet nam" is mostly not "south viet
        // nam"; "per" is mostly not "per cent" here, so it stays.
        assert_eq!(label, vec!["viet nam", "war", "south viet nam", "per"]);
    }
}
