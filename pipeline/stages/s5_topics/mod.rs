//! Stage 5, topics: LSA (randomized truncated SVD of the TF-IDF matrix), L2-normalised rows,
//! k-means (greedy k-means++ starts, Lloyd iterations, the best of several starts; [`kmeans`]),
//! then labels.
//!
//! Labels are BERTopic's class-based TF-IDF: a topic's term frequencies, L1-normalised, times
//! `ln(1 + A / f_t)` where `A` is the mean number of term occurrences per topic and `f_t` the
//! term's frequency over all topics. A topic's representative passages are those closest to its
//! centroid. Passages without any feature are left out of clustering and counted.
//!
//! The stage runs in passes over shards of the corpus, which an engine runs ([`Passes`];
//! [`passes::InMemory`] holds the shards in this process, and a plain run is one shard): the
//! sample the model is fitted on ([`sample`]), the assign pass ([`assign`]), the fences
//! ([`fences`]), the topic sums ([`sums`]), the coherence of the labels
//! ([`quality::Cooccurrences`]) and each passage's row ([`passes::PassageRows`]). Each maps a
//! shard to a partial that merges by addition or concatenation; the driver ([`topics_in`])
//! decides between them (ARCHITECTURE.md, "The whole run in passes").

use serde::{Deserialize, Serialize};

pub mod assign;
mod choose_k;
pub mod fences;
pub mod fixed;
pub mod hierarchy;
pub mod kmeans;
pub mod passes;
pub mod quality;
pub mod sample;
pub mod sums;
pub mod svd;

use std::borrow::Cow;

use ndarray::{Array1, Array2, Axis};

pub use passes::Passes;

use crate::artifacts::{
    Bag, ClassTfidf, KScore, TermId, TfIdf, Tokens, Topic, TopicMerge, Topics, Vocabulary,
};
use crate::config::{TopicCount, TopicsConfig};
use crate::error::Result;
use crate::text::label_terms;

/// Finds topics among the passages.
pub fn topics(
    tfidf: &TfIdf,
    tokens: &Tokens,
    keys: &[u64],
    cfg: &TopicsConfig,
    seed: u64,
) -> Result<Topics> {
    let whole = Shard {
        bags: &tokens.bags,
        keys,
    };
    topics_in_shards(tfidf, &tokens.vocabulary, &[whole], cfg, seed)
}

/// A shard's passages as the topic passes read them: runs of consecutive documents, in order.
#[derive(Debug, Clone, Copy)]
pub struct Shard<'a> {
    /// Each passage's bag.
    pub bags: &'a [Bag],
    /// Each passage's sampling key ([`sample`]).
    pub keys: &'a [u64],
}

/// Finds topics among the passages of `shards`, taken in order, pass by pass: each pass maps
/// every shard to a partial, the partials merge, and the driver decides from the sum. Any
/// split of a corpus gives the topics of the whole.
pub fn topics_in_shards(
    tfidf: &TfIdf,
    vocab: &Vocabulary,
    shards: &[Shard],
    cfg: &TopicsConfig,
    seed: u64,
) -> Result<Topics> {
    topics_in(
        &passes::InMemory::new(tfidf, shards),
        tfidf,
        vocab,
        cfg,
        seed,
    )
}

/// Finds topics among the passages an engine's `passes` read (ARCHITECTURE.md, "The whole
/// run in passes"): the driver fits the model on the sample and decides between passes.
pub fn topics_in(
    passes: &impl Passes,
    tfidf: &TfIdf,
    vocab: &Vocabulary,
    cfg: &TopicsConfig,
    seed: u64,
) -> Result<Topics> {
    let n = passes.passages();
    // The sample pass: the model is fitted on it.
    let sample = passes.sample(cfg.fit_passages, seed)?;
    let clustered = sample.seen() as usize;
    if clustered == 0 {
        return Ok(Topics::none(n));
    }
    let sampled = sample.is_sampled();
    let sample: Vec<Cow<Bag>> = sample.into_rows().into_iter().map(|r| r.item).collect();
    let bags: Vec<&Bag> = sample.iter().map(|b| b.as_ref()).collect();
    let Fitted {
        fit,
        x,
        k_scores,
        explained_variance_ratio,
    } = fit_model(&bags, (clustered, n), tfidf, vocab, cfg, seed)?;
    drop(bags);
    drop(sample);

    // The assign pass: the clusters' sums, from which the topics and their centres are decided.
    let counted = may_merge(cfg, fit.centres.nrows());
    let assigned = passes.assign(&fit, counted, (!sampled).then_some(x))?;
    let (decided, clusters) = decide(&assigned, tfidf, cfg);
    let k = decided.centres.nrows();
    let model = passes::Model {
        fit: &fit,
        decided: &decided,
    };

    // The fences passes: a histogram of each topic's similarities, then those in the bins
    // holding the quartiles.
    let wanted = passes.histograms(model)?.wanted();
    let fence = passes.inside(model, &wanted)?.fences(&wanted);

    // The topic-sums pass, then the coherence pass over the labels drawn from it.
    let sums = passes.topic_sums(model, &fence, cfg.representatives, cfg.outlier_topic)?;
    let (class_model, counts) = class_tfidf(&sums.core, k, tfidf);
    let top_terms: Vec<Vec<(TermId, f64)>> = (0..k)
        .map(|t| counts.label(&[t], tfidf, vocab, cfg.top_terms))
        .collect();
    let top_ids: Vec<Vec<TermId>> = top_terms
        .iter()
        .map(|t| t.iter().map(|&(id, _)| id).collect())
        .collect();
    let coherence = passes.cooccurrences(&top_ids)?.npmi();
    let joins = hierarchy::joins(&class_model.weights);
    let hierarchy = crate::artifacts::node_members(k, joins.iter().map(|j| (j.left, j.right)))
        .into_iter()
        .skip(k)
        .zip(&joins)
        .map(|(topics, j)| TopicMerge {
            left: j.left as u32,
            right: j.right as u32,
            distance: j.distance,
            topics: topics.len() as u32,
            passages: topics.iter().map(|&t| sums.passages[t] as u32).sum(),
            top_terms: counts.label(&topics, tfidf, vocab, cfg.top_terms),
        })
        .collect();
    let topics = (0..k)
        .map(|t| Topic {
            id: t as u32,
            size: sums.kept[t] as u32,
            outliers: sums.outliers[t] as u32,
            clusters: clusters[t],
            top_terms: top_terms[t].clone(),
            representatives: sums.closest[t].iter().map(|&(_, r)| r as u32).collect(),
            coherence: coherence[t],
        })
        .collect();

    // The rows pass: each passage's topic, similarity and place on the map.
    let map_axes = MapAxes::of(&decided.centres, &sums.passages);
    let flags = (cfg.outlier_topic, cfg.write_vectors);
    let rows = passes
        .rows(model, &fence, map_axes.as_ref(), flags)?
        .into_rows();
    Ok(Topics {
        topics,
        assignment: rows.assignment,
        unassigned: (n - clustered) as u32,
        explained_variance_ratio,
        components: fit.components.nrows(),
        similarity: quality::cosine_matrix(&class_model.weights),
        hierarchy,
        centre_similarity: rows.centre_similarity,
        outlier: rows.outlier,
        k_scores,
        class_tfidf: class_model,
        map: rows.map,
        inertia: assigned.inertia.value(),
        vectors: rows.vectors,
    })
}

/// The driver's decision after the assign pass: clusters merged along their hierarchy when
/// `cfg` asks ([`reduce`]), topics numbered by size, largest first (ties: the lower cluster
/// number), and their centres from the clusters' sums. Also gives how many clusters each topic
/// holds.
fn decide(
    assigned: &assign::Assigned,
    tfidf: &TfIdf,
    cfg: &TopicsConfig,
) -> (sums::Decided, Vec<u32>) {
    let passages = assigned.sums.passages();
    // The clusters counted are those up to the last one holding a passage.
    let k_held = passages.iter().rposition(|&p| p > 0).map_or(0, |c| c + 1);
    let (group, clusters) = reduce(assigned.counts.as_ref(), k_held, tfidf, cfg);
    let groups = clusters.len();
    let mut sizes = vec![0u64; groups];
    for (c, &g) in group.iter().enumerate() {
        sizes[g] += passages[c];
    }
    let mut order: Vec<usize> = (0..groups).filter(|&g| sizes[g] > 0).collect();
    order.sort_by_key(|&g| (std::cmp::Reverse(sizes[g]), g));
    let mut renumber = vec![usize::MAX; groups];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
    }
    let topic_of: Vec<usize> = group.iter().map(|&g| renumber[g]).collect();
    let centres = assigned.sums.grouped(&topic_of, order.len()).centres();
    let norms = centres
        .rows()
        .into_iter()
        .map(|c| c.dot(&c).sqrt())
        .collect();
    (
        sums::Decided {
            topic_of,
            centres,
            norms,
        },
        order.iter().map(|&g| clusters[g]).collect(),
    )
}

/// What the driver fits on the sample: the model, and what choosing it measured.
struct Fitted {
    fit: assign::Fit,
    /// The sample's vectors, one row each.
    x: Array2<f64>,
    /// The scores of each k tried, when k was chosen.
    k_scores: Vec<KScore>,
    explained_variance_ratio: Vec<f64>,
}

/// LSA and k-means, fitted on every clustered passage, or on a seeded sample of them when there
/// are more than `topics.fit_passages` ([`fit_sample`]). The fitted model (the components and
/// the centres) then places every passage ([`assign::place`]), as a shard does with the model it
/// is sent.
fn fit_model(
    sample: &[&Bag],
    (clustered, passages): (usize, usize),
    tfidf: &TfIdf,
    vocab: &Vocabulary,
    cfg: &TopicsConfig,
    seed: u64,
) -> Result<Fitted> {
    let svd::Svd {
        components,
        explained_variance_ratio,
        ..
    } = svd::randomized_svd(
        &tfidf.transform_bags(sample),
        svd::SvdParams {
            k: cfg.components,
            oversample: cfg.oversample,
            power_iterations: cfg.power_iterations,
            seed,
        },
    );
    // The sample placed as every passage is: projected on the components, not read off the
    // decomposition (its U·Σ is dropped above, before the projection is made), so that a
    // passage has the same vector in the sample and in its shard.
    let x = assign::vectors(tfidf, sample, &components);
    let (k, k_scores) = match cfg.k {
        TopicCount::Fixed(k) => (k.min(clustered), Vec::new()),
        TopicCount::Auto(_) => {
            choose_k::choose_k(&x, sample, (clustered, passages), tfidf, vocab, cfg, seed)?
        }
    };
    let (_, centres, _) = cluster(&x, k, cfg, seed);
    Ok(Fitted {
        fit: assign::Fit {
            components,
            centres,
        },
        x,
        k_scores,
        explained_variance_ratio,
    })
}

/// Whether `cfg` may merge `k` clusters along their hierarchy, which the clusters' feature
/// counts are then needed for.
fn may_merge(cfg: &TopicsConfig, k: usize) -> bool {
    cfg.merge_similarity.is_some() || cfg.reduce_to.is_some_and(|r| r < k)
}

/// Merges k-means clusters along their hierarchy when `topics.reduce_to` or
/// `topics.merge_similarity` asks: returns each cluster's merged one and how many clusters each
/// merged one holds.
fn reduce(
    counts: Option<&assign::FeatureCounts>,
    k: usize,
    tfidf: &TfIdf,
    cfg: &TopicsConfig,
) -> (Vec<usize>, Vec<u32>) {
    let single = || ((0..k).collect(), vec![1; k]);
    if !may_merge(cfg, k) {
        return single();
    }
    let counts = counts.expect("clusters that may merge were counted");
    let (model, _) = class_tfidf(counts, k, tfidf);
    let joins = hierarchy::joins(&model.weights);
    let by_count = cfg.reduce_to.map_or(0, |r| k.saturating_sub(r.max(1)));
    let by_similarity = cfg.merge_similarity.map_or(0, |s| {
        joins.iter().take_while(|j| 1.0 - j.distance >= s).count()
    });
    let merges = by_count.max(by_similarity);
    if merges == 0 {
        return single();
    }
    let group = hierarchy::cut(k, &joins, merges);
    let mut clusters = vec![0u32; group.iter().max().map_or(0, |&g| g + 1)];
    group.iter().for_each(|&g| clusters[g] += 1);
    (group, clusters)
}

/// The plane of the topic map: the two principal axes of the topic centres (the plane that
/// spreads the topics most), weighted by the topics' sizes, and the centres' weighted mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapAxes {
    mean: Array1<f64>,
    /// `dims × 2`.
    axes: Array2<f64>,
}

impl MapAxes {
    /// The plane of `centres` (one row a topic) holding `sizes` passages; none for fewer than
    /// two topics.
    fn of(centres: &Array2<f64>, sizes: &[u64]) -> Option<MapAxes> {
        use linfa_linalg::eigh::{EigSort, Eigh};
        let k = centres.nrows();
        if k < 2 {
            return None;
        }
        // Weighted by size, so that small topics do not pull the axes.
        let size: Vec<f64> = sizes.iter().map(|&s| s as f64).collect();
        let total: f64 = size.iter().sum();
        let mean = centres
            .axis_iter(Axis(0))
            .zip(&size)
            .fold(Array1::<f64>::zeros(centres.ncols()), |acc, (c, &w)| {
                acc + &c * (w / total)
            });
        let centred = centres - &mean.view().insert_axis(Axis(0));
        let mut weighted = centred.clone();
        for (mut row, &w) in weighted.axis_iter_mut(Axis(0)).zip(&size) {
            row *= (w / total).sqrt();
        }
        // Principal axes from the small k × k Gram matrix: v = Wᵀ u / √λ.
        let gram = weighted.dot(&weighted.t());
        let (vals, vecs) = gram.eigh().ok()?.sort_eig_desc();
        let mut axes = Array2::<f64>::zeros((centres.ncols(), 2));
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
        Some(MapAxes { mean, axes })
    }

    /// Each row of `x` placed on the plane: `rows × 2`.
    pub fn place(&self, x: &Array2<f64>) -> Array2<f64> {
        (x - &self.mean.view().insert_axis(Axis(0))).dot(&self.axes)
    }
}

/// A k-means result: labels, centroids, inertia.
type Clustering = (Array1<usize>, Array2<f64>, f64);

/// k-means ([`kmeans`]) with `cfg.n_init` starts. Returns labels, centroids and inertia (the
/// sum of squared distances, as scikit-learn's `KMeans.inertia_`).
fn cluster(x: &Array2<f64>, k: usize, cfg: &TopicsConfig, seed: u64) -> Clustering {
    let fit = kmeans::fit(
        x.view(),
        &kmeans::Params {
            k: k.clamp(1, x.nrows()),
            starts: cfg.n_init(x.nrows()).max(1),
            max_iterations: cfg.max_iterations as usize,
            tolerance: cfg.tolerance,
            seed,
        },
    );
    (Array1::from(fit.labels), fit.centroids, fit.inertia)
}

/// The c-TF-IDF model of the first `k` classes of `counts` (the topics, or the clusters), and
/// the counts their labels are drawn from, over the TF-IDF features.
fn class_tfidf(
    counts: &assign::FeatureCounts,
    k: usize,
    tfidf: &TfIdf,
) -> (ClassTfidf, ClassCounts) {
    let tf = counts.tf.slice(ndarray::s![..k, ..]);
    let held = counts.held.slice(ndarray::s![..k, ..]).to_owned();
    let passages = counts.passages[..k].to_vec();
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
    let mut weights = tf.to_owned();
    for mut row in weights.axis_iter_mut(Axis(0)) {
        let total = row.sum();
        if total > 0.0 {
            for (c, v) in row.iter_mut().enumerate() {
                *v = (*v / total) * idf[c];
            }
        }
    }
    let model = ClassTfidf {
        features: tfidf.features.clone(),
        idf,
        weights,
    };
    let overall = held.sum_axis(Axis(0)).to_vec();
    let total = passages.iter().sum();
    (
        model,
        ClassCounts {
            held,
            passages,
            overall,
            total,
        },
    )
}

/// Passages holding each feature, per topic and overall.
struct ClassCounts {
    /// `[topic, feature]`.
    held: Array2<f64>,
    /// Passages per topic.
    passages: Vec<f64>,
    /// `[feature]`, over all topics.
    overall: Vec<f64>,
    /// Passages over all topics.
    total: f64,
}

impl ClassCounts {
    /// The label of the topics `group` taken together: its top `n` terms by distinctiveness,
    /// `√p · ln(p / q)`, where `p` is the share of the group's passages that hold the term and
    /// `q` the share of all clustered passages. `ln(p / q)` is how much more the group uses the
    /// term than the corpus does; `√p` weighs that by how much of the group uses it, so that
    /// words common everywhere ("said", "Mr") score near zero and a word of a few passages
    /// cannot lead. Terms held by fewer than [`MIN_SUPPORT`] of the group's passages (or
    /// [`MIN_SUPPORT_SHARE`] of them, if more) come after all others.
    ///
    /// Topics were labelled by their c-TF-IDF weights before, which favour frequent words. The
    /// table behind this choice (mean NPMI of the top 10 terms over five corpora) is in
    /// ARCHITECTURE.md, "Topic labels".
    fn label(
        &self,
        group: &[usize],
        tfidf: &TfIdf,
        vocab: &Vocabulary,
        n: usize,
    ) -> Vec<(TermId, f64)> {
        let nf = self.overall.len();
        let mut held = vec![0.0; nf];
        for &t in group {
            held.iter_mut()
                .zip(self.held.row(t))
                .for_each(|(h, &v)| *h += v);
        }
        let size: f64 = group.iter().map(|&t| self.passages[t]).sum();
        let support = MIN_SUPPORT.max(MIN_SUPPORT_SHARE * size);
        let scores: Vec<f64> = held
            .iter()
            .zip(&self.overall)
            .map(|(&h, &all)| {
                if h > 0.0 && size > 0.0 {
                    let p = h / size;
                    p.sqrt() * (p / (all / self.total)).ln()
                } else {
                    0.0
                }
            })
            .collect();
        let label = |scores: &[f64]| label_terms(scores, |c| held[c], &tfidf.features, vocab, n);
        let supported: Vec<f64> = scores
            .iter()
            .zip(&held)
            .map(|(&s, &h)| if h >= support { s } else { 0.0 })
            .collect();
        let mut out = label(&supported);
        if out.len() < n {
            let rest: Vec<f64> = scores
                .iter()
                .zip(&held)
                .map(|(&s, &h)| if h < support { s } else { 0.0 })
                .collect();
            out.extend(label(&rest).into_iter().take(n - out.len()));
        }
        out
    }
}

/// Passages of a topic that must hold a term before it can lead the topic's label.
const MIN_SUPPORT: f64 = 3.0;

/// Share of a topic's passages that must hold a term before it can lead the label, when that is
/// more than [`MIN_SUPPORT`]: in a topic of 10,000 UNGD passages a name in 20 of them ("Maldive
/// Islands and Singapore", the admissions of 1965) had the highest lift and led a label while
/// co-occurring with nothing else in it. Mean NPMI (`benches/cluster-eval --coherence --ungd`,
/// seeds 1–5 median) with 0 → 0.5%: UNGD (k 20) 0.4116 → 0.4220; BBC, AG and R8 unchanged (their
/// topics are small enough for 3 passages to be the larger bar); 1% gave the same.
const MIN_SUPPORT_SHARE: f64 = 0.005;

#[cfg(test)]
mod tests {
    use super::choose_k::stability;
    use super::*;
    use crate::stages::s3_tokenize::from_token_lists;

    /// Positions in `rows` of the passages the model is fitted on, as `topics` samples them: all
    /// of them, ascending; or, when there are more than `max`, the `max` whose sampling keys (`keys`,
    /// one a passage: its document's id and its place there), mixed with the seed, are smallest,
    /// in the order of their mixed keys. Which passages are sampled, and their order, then depend
    /// on the documents alone, not on how the corpus is split into shards.
    fn fit_sample(rows: &[usize], keys: &[u64], max: usize, seed: u64) -> Vec<usize> {
        let candidates = rows
            .iter()
            .enumerate()
            .map(|(p, &row)| (keys[row], p as u64, p));
        sample::Sample::of(max, seed, 0, candidates)
            .into_rows()
            .into_iter()
            .map(|r| r.item)
            .collect()
    }

    /// Four groups of passages: two about sport (football and tennis, sharing "match"),
    /// two about money (banks and markets, sharing "price").
    fn four_groups(stray: bool) -> Tokens {
        let groups: [&[&str]; 4] = [
            &["goal", "striker", "league", "match"],
            &["serve", "racket", "wimbledon", "match"],
            &["bank", "loan", "deposit", "price"],
            &["stock", "shares", "index", "price"],
        ];
        let mut lists: Vec<Vec<&str>> = Vec::new();
        for i in 0..40 {
            let g = groups[i % 4];
            // Each passage holds three of its group's four words.
            lists.push(g.iter().copied().filter(|w| *w != g[i / 4 % 3]).collect());
        }
        if stray {
            // One passage with a word of every group: close to no centre.
            lists.push(vec!["goal", "racket", "loan", "index"]);
        }
        from_token_lists(&lists)
    }

    fn fit(cfg: TopicsConfig) -> (Topics, Tokens) {
        fit_with(cfg, false)
    }

    fn fit_with(cfg: TopicsConfig, stray: bool) -> (Topics, Tokens) {
        let (tokens, tfidf, keys) = vectorized(stray);
        (topics(&tfidf, &tokens, &keys, &cfg, 7).unwrap(), tokens)
    }

    /// The four groups, every term a feature, and their passages' sampling keys.
    fn vectorized(stray: bool) -> (Tokens, TfIdf, Vec<u64>) {
        let tokens = four_groups(stray);
        let vcfg = crate::config::VectorizeConfig {
            min_df: Some(crate::config::Df::Count(1)),
            max_df: crate::config::Df::Fraction(1.0),
            ..Default::default()
        };
        let tfidf = crate::stages::s4_vectorize::vectorize(&tokens, &vcfg).unwrap();
        let keys: Vec<u64> = (0..tokens.bags.len() as u64).map(sample::mix).collect();
        (tokens, tfidf, keys)
    }

    #[test]
    fn merging_follows_the_hierarchy_and_keeps_every_passage() {
        let cfg = TopicsConfig {
            k: TopicCount::Fixed(4),
            components: 8,
            ..Default::default()
        };
        let (four, tokens) = fit(cfg.clone());
        assert_eq!(four.topics.len(), 4);
        assert_eq!(four.hierarchy.len(), 3);
        let last = four.hierarchy.last().unwrap();
        assert_eq!((last.topics, last.passages), (4, 40));
        let (two, _) = fit(TopicsConfig {
            reduce_to: Some(2),
            ..cfg
        });
        assert_eq!(two.topics.len(), 2);
        assert!(two.topics.iter().all(|t| t.clusters == 2));
        assert_eq!(two.topics.iter().map(|t| t.size).sum::<u32>(), 40);
        // The sport topics merge with each other, as do the money topics.
        let word = |id: TermId| tokens.vocabulary.terms[id as usize].key.as_str();
        for t in &two.topics {
            let words: Vec<&str> = t.top_terms.iter().map(|&(id, _)| word(id)).collect();
            let sport = words.contains(&"match");
            assert!(sport != words.contains(&"price"), "{words:?}");
        }
        assert!(
            two.outlier.iter().all(|&o| !o),
            "no passage is far from its centre"
        );
        assert!(two
            .centre_similarity
            .iter()
            .all(|s| s.is_some_and(|s| s > 0.0)));
    }

    #[test]
    fn a_model_fitted_on_a_sample_assigns_every_passage_as_the_full_fit_does() {
        let cfg = TopicsConfig {
            k: TopicCount::Fixed(4),
            components: 8,
            ..Default::default()
        };
        let (full, _) = fit(cfg.clone());
        let (sampled, _) = fit(TopicsConfig {
            fit_passages: 16,
            ..cfg
        });
        let keys: Vec<u64> = (0..40).map(sample::mix).collect();
        assert_eq!(
            fit_sample(&(0..40).collect::<Vec<_>>(), &keys, 16, 7).len(),
            16
        );
        assert!(sampled.assignment.iter().all(|a| a.is_some()));
        assert_eq!(sampled.topics.iter().map(|t| t.size).sum::<u32>(), 40);
        // The same four groups: one topic of the sampled fit for each of the full fit's.
        let pairs: std::collections::BTreeSet<(u32, u32)> = full
            .assignment
            .iter()
            .zip(&sampled.assignment)
            .map(|(a, b)| (a.unwrap(), b.unwrap()))
            .collect();
        assert_eq!(pairs.len(), 4, "{pairs:?}");
        // The inertia is over every passage, fitted or not.
        assert!(sampled.inertia.is_finite() && sampled.inertia > 0.0);
    }

    #[test]
    fn stability_is_highest_at_the_number_of_real_groups() {
        // Three tight groups far apart, 60 points each, with a fixed jitter.
        let centres = [[0.0, 0.0, 10.0], [10.0, 0.0, 0.0], [0.0, 10.0, 0.0]];
        let x = Array2::from_shape_fn((180, 3), |(i, j)| {
            centres[i % 3][j] + (((i * 7 + j * 13) % 11) as f64 - 5.0) * 0.1
        });
        let sample: Vec<usize> = (0..180).collect();
        let three = stability(&x, &sample, 3, 1);
        assert!(three > 0.99, "{three}");
        for k in [2, 5, 8] {
            let other = stability(&x, &sample, k, 1);
            assert!(other < three, "k = {k}: {other} against {three}");
        }
    }

    #[test]
    fn a_passage_close_to_no_centre_is_an_outlier_and_can_stand_apart() {
        let cfg = TopicsConfig {
            k: TopicCount::Fixed(4),
            components: 8,
            ..Default::default()
        };
        let (flagged, _) = fit_with(cfg.clone(), true);
        assert_eq!(flagged.outlier.iter().filter(|&&o| o).count(), 1);
        assert!(flagged.outlier[40], "the stray passage is the outlier");
        assert!(
            flagged.assignment[40].is_some(),
            "kept in its topic by default"
        );
        assert_eq!(flagged.topics.iter().map(|t| t.outliers).sum::<u32>(), 1);
        let (apart, _) = fit_with(
            TopicsConfig {
                outlier_topic: true,
                ..cfg
            },
            true,
        );
        assert_eq!(apart.assignment[40], None);
        assert_eq!(apart.topics.iter().map(|t| t.size).sum::<u32>(), 40);
    }

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

    #[test]
    fn topics_found_in_shards_are_those_of_the_whole_corpus_bit_for_bit() {
        let (tokens, tfidf, keys) = vectorized(true);
        let base = TopicsConfig {
            components: 8,
            write_vectors: true,
            ..Default::default()
        };
        let configs = [
            base.clone(),
            TopicsConfig {
                fit_passages: 16,
                ..base.clone()
            },
            TopicsConfig {
                k: TopicCount::Fixed(4),
                reduce_to: Some(2),
                outlier_topic: true,
                ..base
            },
        ];
        for cfg in configs {
            let whole = topics(&tfidf, &tokens, &keys, &cfg, 7).unwrap();
            for cuts in [vec![0, 13, 29, 41], vec![0, 1, 40, 41], vec![0, 20, 20, 41]] {
                let shards: Vec<Shard> = cuts
                    .windows(2)
                    .map(|w| Shard {
                        bags: &tokens.bags[w[0]..w[1]],
                        keys: &keys[w[0]..w[1]],
                    })
                    .collect();
                let sharded =
                    topics_in_shards(&tfidf, &tokens.vocabulary, &shards, &cfg, 7).unwrap();
                // Debug prints every float in its shortest exact form.
                assert_eq!(
                    format!("{sharded:?}"),
                    format!("{whole:?}"),
                    "{cfg:?} cut at {cuts:?}"
                );
            }
            // Read in chunks of 5 passages, placed again in every pass (their judgements
            // kept between passes), or kept; twice over one engine, whose second assign pass
            // starts afresh.
            let all = [Shard {
                bags: &tokens.bags,
                keys: &keys,
            }];
            for held in [0, u64::MAX] {
                let engine = passes::InMemory::with_limits(&tfidf, &all, 5, held);
                for time in 0..2 {
                    let chunked = topics_in(&engine, &tfidf, &tokens.vocabulary, &cfg, 7).unwrap();
                    assert_eq!(
                        format!("{chunked:?}"),
                        format!("{whole:?}"),
                        "{cfg:?} {held} {time}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_sample_is_chosen_by_key_whatever_order_the_passages_come_in() {
        let keys: Vec<u64> = (0..1000).map(|i| sample::mix(i * 7 + 1)).collect();
        let rows: Vec<usize> = (0..1000).filter(|r| r % 3 != 0).collect();
        let sampled = |rows: &[usize]| -> Vec<usize> {
            let fit = fit_sample(rows, &keys, 100, 42);
            fit.iter().map(|&p| rows[p]).collect()
        };
        let plain = sampled(&rows);
        assert_eq!(plain.len(), 100);
        // Another split hands the same passages over in another order: the same passages are
        // sampled, in the same order.
        let mut shuffled = rows.clone();
        shuffled.reverse();
        shuffled.rotate_left(17);
        assert_eq!(sampled(&shuffled), plain);
        // Another seed, another sample; few enough passages, all of them in order.
        assert_ne!(
            fit_sample(&rows, &keys, 100, 43)
                .iter()
                .map(|&p| rows[p])
                .collect::<Vec<_>>(),
            plain
        );
        assert_eq!(
            fit_sample(&rows[..50], &keys, 100, 42),
            (0..50).collect::<Vec<_>>()
        );
    }
}
