//! Stage 5, topics, hands on [`Topics`]: clusters of passages, their labels and hierarchy.

use serde::{Deserialize, Serialize};

use super::TermId;

/// One topic: a cluster of passages.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Topic number, from 0, ordered by size (largest first).
    pub id: u32,
    /// Number of passages assigned to it (its outliers included unless `topics.outlier_topic`
    /// moves them out).
    pub size: u32,
    /// Its passages that lie far from its centre ([`Topics::outlier`]).
    pub outliers: u32,
    /// k-means clusters merged into it by `topics.reduce_to` or `topics.merge_similarity`
    /// (1 when none were).
    pub clusters: u32,
    /// Top terms by distinctiveness (`p(t|c) · ln(p(t|c) / p(t))` over passages holding the
    /// term; its outliers left out), best first.
    pub top_terms: Vec<(TermId, f64)>,
    /// Passages closest to the centroid, most representative first.
    pub representatives: Vec<u32>,
    /// NPMI coherence of the top terms over passage co-occurrence (−1 to 1).
    pub coherence: f64,
}

/// One step of the topic hierarchy: two nodes joined. Nodes `0..k` are the topics; node
/// `k + i` is the one the `i`-th step makes.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicMerge {
    /// The first node joined (the smaller number).
    pub left: u32,
    /// The second node joined.
    pub right: u32,
    /// Cosine distance of their c-TF-IDF vectors, averaged over the pairs of topics across
    /// them (average linkage); steps come in order of it.
    pub distance: f64,
    /// Topics under the new node.
    pub topics: u32,
    /// Passages under the new node.
    pub passages: u32,
    /// The new node's top terms, as a topic's.
    pub top_terms: Vec<(TermId, f64)>,
}

/// How one number of topics scored when `k = "auto"` chose among several.
#[derive(Debug, Clone, PartialEq)]
pub struct KScore {
    /// Number of topics tried.
    pub k: usize,
    /// Mean silhouette of a seeded sample of passages (Euclidean, in LSA space); reported,
    /// not used to choose.
    pub silhouette: f64,
    /// How alike the clusterings of overlapping subsamples are (mean adjusted Rand index).
    pub stability: f64,
    /// Mean NPMI coherence of the k topics' top terms.
    pub coherence: f64,
    /// k-means inertia: the sum over passages of the squared distance to their centroid, as
    /// scikit-learn's `KMeans.inertia_` counts it.
    pub inertia: f64,
    /// The k chosen.
    pub chosen: bool,
}

/// Output of topics.
#[derive(Debug, Clone)]
pub struct Topics {
    /// Topics, largest first.
    pub topics: Vec<Topic>,
    /// Topic of each passage, parallel to the passages; `None` for a passage with no feature
    /// (left out of clustering, counted in [`Topics::unassigned`]), and for an outlier when
    /// `topics.outlier_topic` gathers them apart.
    pub assignment: Vec<Option<u32>>,
    /// Number of passages without any feature.
    pub unassigned: u32,
    /// Share of the TF-IDF variance each LSA component explains.
    pub explained_variance_ratio: Vec<f64>,
    /// Number of LSA components used.
    pub components: usize,
    /// Cosine similarity of every pair of topics' c-TF-IDF vectors, `[topic][topic]`.
    pub similarity: Vec<Vec<f64>>,
    /// Which topics are alike: average-linkage merges of the topics, closest first.
    pub hierarchy: Vec<TopicMerge>,
    /// Each clustered passage's cosine similarity to its topic's centre (the mean of the
    /// topic's LSA vectors); `None` for a passage left out.
    pub centre_similarity: Vec<Option<f64>>,
    /// A passage far from its topic's centre: its similarity to it is below the topic's lower
    /// fence, `Q1 − 1.5 IQR` of its passages' similarities (Tukey). Such a passage is close to
    /// no centre, since its own is the nearest.
    pub outlier: Vec<bool>,
    /// The scores of each k tried when the number of topics was chosen (`k = "auto"`).
    pub k_scores: Vec<KScore>,
    /// The c-TF-IDF model behind the labels, reused for labels per period.
    pub class_tfidf: ClassTfidf,
    /// Each passage on the topic map (two principal axes of the centroids in LSA space);
    /// `None` for a passage left out.
    pub map: Vec<Option<(f64, f64)>>,
    /// k-means inertia of the kept start: the sum over clustered passages of the squared
    /// distance from their (unit-length) LSA vector to their topic's centroid, as
    /// scikit-learn's `KMeans.inertia_` counts it.
    pub inertia: f64,
    /// Each clustered passage's unit-length LSA vector (passage index, vector), kept only when
    /// `topics.write_vectors` asks for `tables/passage_vectors`.
    pub vectors: Option<(Vec<usize>, ndarray::Array2<f64>)>,
}

impl Topics {
    /// The topics under each node of the hierarchy: `[node] → topics`, nodes `0..k` being the
    /// topics themselves.
    pub fn hierarchy_members(&self) -> Vec<Vec<usize>> {
        node_members(
            self.topics.len(),
            self.hierarchy
                .iter()
                .map(|m| (m.left as usize, m.right as usize)),
        )
    }

    /// No topics: every passage unassigned (for commands that skip the topic stage).
    pub fn none(passages: usize) -> Topics {
        Topics {
            topics: vec![],
            assignment: vec![None; passages],
            unassigned: passages as u32,
            explained_variance_ratio: vec![],
            components: 0,
            similarity: vec![],
            hierarchy: vec![],
            centre_similarity: vec![None; passages],
            outlier: vec![false; passages],
            k_scores: vec![],
            class_tfidf: ClassTfidf::default(),
            map: vec![None; passages],
            inertia: 0.0,
            vectors: None,
        }
    }
}

/// BERTopic's class-based TF-IDF fitted on the topics: `weights[topic][j]` is the topic's
/// L1-normalised frequency of feature `j` times `idf[j]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassTfidf {
    /// The term of each feature column (the TF-IDF features).
    pub features: Vec<TermId>,
    /// `ln(1 + A / f_j)`: `A` the mean number of feature occurrences per topic, `f_j` the
    /// feature's occurrences over all topics.
    pub idf: Vec<f64>,
    /// Topics × features.
    pub weights: ndarray::Array2<f64>,
}

/// The topics under each node, given the `(left, right)` nodes of each join: `[node] → topics`,
/// nodes `0..k + joins`.
pub fn node_members(k: usize, joins: impl IntoIterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = (0..k).map(|t| vec![t]).collect();
    for (left, right) in joins {
        let mut both = out[left].clone();
        both.extend_from_slice(&out[right]);
        both.sort_unstable();
        out.push(both);
    }
    out
}
