//! The assign pass: a shard's passages placed with the model fitted on the sample (projected on
//! the LSA components, normalised, given their nearest k-means centre), and the sums the topics
//! are decided from. The sums merge by addition in any order, bit for bit
//! ([`fixed::FixedSum`]), so a corpus assigned in shards gives the topics a plain run gives.

use serde::{Deserialize, Serialize};

use std::borrow::Borrow;

use ndarray::{Array1, Array2, ArrayView2};

use super::{fixed, kmeans};
use crate::artifacts::{Bag, TfIdf};

/// The model a driver fits on the sample, which places any passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// `Vᵀ`: one row per LSA component, one column per TF-IDF feature.
    pub components: Array2<f64>,
    /// The k-means centres, one row each.
    pub centres: Array2<f64>,
}

/// A shard's clustered passages (those holding a feature), placed by a [`Fit`].
#[derive(Debug, Clone)]
pub struct Placed {
    /// The passages' places in the shard, ascending.
    pub rows: Vec<usize>,
    /// Their unit-length LSA vectors, one row each.
    pub x: Array2<f64>,
    /// Their nearest centre (ties: the lower index).
    pub clusters: Array1<usize>,
}

impl Placed {
    /// The clustered passages at `rows` placed from their vectors `x` (one row each): each
    /// goes to its nearest centre.
    pub fn new(rows: Vec<usize>, x: Array2<f64>, fit: &Fit) -> Placed {
        debug_assert_eq!(rows.len(), x.nrows());
        let clusters = Array1::from(kmeans::nearest(x.view(), &fit.centres));
        Placed { rows, x, clusters }
    }
}

/// The places of the passages that hold at least one feature: the ones clustered.
pub fn clustered(tfidf: &TfIdf, bags: &[Bag]) -> Vec<usize> {
    (0..bags.len())
        .filter(|&i| bags[i].iter().any(|&(t, _)| tfidf.column(t).is_some()))
        .collect()
}

/// The unit-length LSA vectors of `bags`: their TF-IDF rows times the components, normalised.
/// A row's vector depends on its bag alone, so a passage gets the same bits in any shard.
///
/// Each row is weighed and projected where it is written, in parallel: `v · component` added
/// feature by feature in the row's order, then divided by its length. The TF-IDF matrix of the
/// bags is never made (building it was half the cost of placing millions of posts).
pub fn vectors<B: Borrow<Bag> + Sync>(
    tfidf: &TfIdf,
    bags: &[B],
    components: &Array2<f64>,
) -> Array2<f64> {
    use rayon::prelude::*;
    let k = components.nrows();
    let mut x = Array2::<f64>::zeros((bags.len(), k));
    if k == 0 {
        return x;
    }
    let by_feature = components.t().as_standard_layout().into_owned();
    let by_feature = by_feature.as_slice().expect("standard layout");
    x.as_slice_mut()
        .expect("standard layout")
        .par_chunks_mut(k)
        .zip(bags.par_iter())
        .for_each_init(
            || (Vec::new(), Vec::new()),
            |(idx, val), (out, bag)| {
                tfidf.weigh(bag.borrow(), idx, val);
                for (&j, &v) in idx.iter().zip(val.iter()) {
                    let component = &by_feature[j as usize * k..][..k];
                    out.iter_mut()
                        .zip(component)
                        .for_each(|(o, &c)| *o += v * c);
                }
                let row = ndarray::ArrayView1::from(&*out);
                let norm = row.dot(&row).sqrt();
                if norm > 0.0 {
                    out.iter_mut().for_each(|o| *o /= norm);
                }
            },
        );
    x
}

/// The map's first half: every clustered passage of a shard, placed.
pub fn place(tfidf: &TfIdf, bags: &[Bag], fit: &Fit) -> Placed {
    let rows = clustered(tfidf, bags);
    let held: Vec<&Bag> = rows.iter().map(|&r| &bags[r]).collect();
    let x = vectors(tfidf, &held, &fit.components);
    Placed::new(rows, x, fit)
}

/// Rows summed at a time, in parallel.
const SUM_BLOCK: usize = 1 << 14;

/// The assign pass' partial: what a shard's placed passages add to each k-means cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assigned {
    /// Passages and vector sums per cluster.
    pub sums: ClusterSums,
    /// The squared distances to the nearest centre, summed over every clustered passage.
    pub inertia: fixed::FixedSum,
    /// Per cluster, the counts of each feature, when clusters are to be merged along their
    /// hierarchy (which is drawn from them).
    pub counts: Option<FeatureCounts>,
}

impl Assigned {
    /// The map's second half: the sums of a shard's placed passages, with the clusters' feature
    /// counts when `counted`.
    pub fn of(placed: &Placed, fit: &Fit, tfidf: &TfIdf, bags: &[Bag], counted: bool) -> Self {
        use rayon::prelude::*;
        let k = fit.centres.nrows();
        // Fixed-point sums add up alike in any order, so blocks of rows are summed in parallel.
        let (sums, inertia) = (0..placed.x.nrows().div_ceil(SUM_BLOCK))
            .into_par_iter()
            .map(|b| {
                let lo = b * SUM_BLOCK;
                let hi = (lo + SUM_BLOCK).min(placed.x.nrows());
                let x = placed.x.slice(ndarray::s![lo..hi, ..]);
                let labels = &placed.clusters.as_slice().expect("contiguous")[lo..hi];
                let mut inertia = fixed::FixedSum::default();
                let mut d = Array1::zeros(x.ncols());
                for (row, &c) in x.rows().into_iter().zip(labels) {
                    d.assign(&row);
                    d -= &fit.centres.row(c);
                    inertia.add(d.dot(&d));
                }
                (ClusterSums::of(x, labels, k), inertia)
            })
            .reduce(
                || {
                    (
                        ClusterSums::new(k, placed.x.ncols()),
                        fixed::FixedSum::default(),
                    )
                },
                |(a, i), (b, j)| (a.merge(b), i.merge(j)),
            );
        let counts = counted.then(|| {
            let mut counts = FeatureCounts::new(k, tfidf.features.len());
            for (&r, &c) in placed.rows.iter().zip(&placed.clusters) {
                counts.add(tfidf, &bags[r], c);
            }
            counts
        });
        Assigned {
            sums,
            inertia,
            counts,
        }
    }

    /// The sum of two shards' partials.
    pub fn merge(self, other: Assigned) -> Assigned {
        Assigned {
            sums: self.sums.merge(other.sums),
            inertia: self.inertia.merge(other.inertia),
            counts: match (self.counts, other.counts) {
                (Some(a), Some(b)) => Some(a.merge(b)),
                (a, b) => a.or(b),
            },
        }
    }
}

/// Per cluster, its passages and the sum of their vectors, in sums that do not depend on the
/// passages' order ([`fixed::FixedSum`]): shards summed apart and merged give the same centres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSums {
    /// Coordinates of a vector.
    dims: usize,
    /// Passages of each cluster.
    passages: Vec<u64>,
    /// Each cluster's vector sum, `dims` coordinates a cluster.
    vectors: Vec<fixed::FixedSum>,
}

impl ClusterSums {
    /// Nothing yet, for `clusters` clusters of `dims`-coordinate vectors.
    fn new(clusters: usize, dims: usize) -> Self {
        ClusterSums {
            dims,
            passages: vec![0; clusters],
            vectors: vec![fixed::FixedSum::default(); clusters * dims],
        }
    }

    /// The sums of `x`'s rows by their labels, of `k` clusters.
    pub fn of(x: ArrayView2<f64>, labels: &[usize], k: usize) -> Self {
        let dims = x.ncols();
        let mut sums = ClusterSums::new(k, dims);
        for (row, &l) in x.rows().into_iter().zip(labels) {
            for (s, &v) in sums.vectors[l * dims..(l + 1) * dims].iter_mut().zip(row) {
                s.add(v);
            }
            sums.passages[l] += 1;
        }
        sums
    }

    /// The sums of two shards.
    pub fn merge(mut self, other: ClusterSums) -> ClusterSums {
        debug_assert_eq!(
            (self.dims, self.passages.len()),
            (other.dims, other.passages.len())
        );
        self.passages
            .iter_mut()
            .zip(&other.passages)
            .for_each(|(a, b)| *a += b);
        self.vectors
            .iter_mut()
            .zip(&other.vectors)
            .for_each(|(a, b)| *a = a.merge(*b));
        self
    }

    /// Passages of each cluster.
    pub fn passages(&self) -> &[u64] {
        &self.passages
    }

    /// The sums of clusters put together: `group[c]` is cluster `c`'s group, of `groups`.
    pub fn grouped(&self, group: &[usize], groups: usize) -> Self {
        let dims = self.dims;
        let mut out = ClusterSums::new(groups, dims);
        // An empty cluster belongs to no group (its group may have no number).
        for (c, &g) in group
            .iter()
            .enumerate()
            .filter(|&(c, _)| self.passages[c] > 0)
        {
            out.passages[g] += self.passages[c];
            for j in 0..dims {
                out.vectors[g * dims + j] =
                    out.vectors[g * dims + j].merge(self.vectors[c * dims + j]);
            }
        }
        out
    }

    /// Each cluster's mean vector (zeros for an empty one).
    pub fn centres(&self) -> Array2<f64> {
        let dims = self.dims;
        Array2::from_shape_fn((self.passages.len(), dims), |(l, j)| {
            if self.passages[l] > 0 {
                self.vectors[l * dims + j].value() / self.passages[l] as f64
            } else {
                0.0
            }
        })
    }
}

/// Per class (a cluster or a topic), its passages, and for each TF-IDF feature its occurrences
/// and the passages holding it: the counts c-TF-IDF weights and labels are drawn from. Counts
/// are whole numbers, held exactly, so sums in any order agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureCounts {
    /// Occurrences, `[class, feature]`.
    pub tf: Array2<f64>,
    /// Passages holding the feature, `[class, feature]`.
    pub held: Array2<f64>,
    /// Passages of each class.
    pub passages: Vec<f64>,
}

impl FeatureCounts {
    /// No passage yet, for `classes` classes and `features` features.
    pub fn new(classes: usize, features: usize) -> Self {
        FeatureCounts {
            tf: Array2::zeros((classes, features)),
            held: Array2::zeros((classes, features)),
            passages: vec![0.0; classes],
        }
    }

    /// Counts a passage's bag into `class`.
    pub fn add(&mut self, tfidf: &TfIdf, bag: &Bag, class: usize) {
        self.passages[class] += 1.0;
        for &(t, count) in bag {
            if let Some(c) = tfidf.column(t) {
                self.tf[[class, c as usize]] += count as f64;
                self.held[[class, c as usize]] += 1.0;
            }
        }
    }

    /// The counts of two shards.
    pub fn merge(mut self, other: FeatureCounts) -> FeatureCounts {
        self.tf += &other.tf;
        self.held += &other.held;
        self.passages
            .iter_mut()
            .zip(&other.passages)
            .for_each(|(a, b)| *a += b);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Axis;

    #[test]
    fn centres_from_shards_sums_merged_into_groups_are_the_grouped_rows_means_bit_for_bit() {
        let x = Array2::from_shape_fn((40, 3), |(i, j)| ((i * 7 + j * 3) % 11) as f64 / 11.0 - 0.3);
        let labels: Array1<usize> = (0..40).map(|i| (i * 5) % 4).collect();
        let group = [0, 1, 0, 2];
        let grouped_labels = labels.mapv(|l| group[l]);
        let whole = ClusterSums::of(x.view(), grouped_labels.as_slice().unwrap(), 3).centres();
        // Two shards summed apart, merged the other way round, then the clusters put into
        // their groups.
        let part = |from: usize, to: usize| {
            ClusterSums::of(
                x.slice(ndarray::s![from..to, ..]),
                &labels.as_slice().unwrap()[from..to],
                4,
            )
        };
        let merged = part(17, 40).merge(part(0, 17));
        let sharded = merged.grouped(&group, 3).centres();
        assert_eq!(whole.mapv(f64::to_bits), sharded.mapv(f64::to_bits));
        let mean = x.select(
            Axis(0),
            &[
                0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 2, 6, 10, 14, 18, 22, 26, 30, 34, 38,
            ],
        );
        let expected = mean.mean_axis(Axis(0)).unwrap();
        assert!(whole
            .row(0)
            .iter()
            .zip(&expected)
            .all(|(a, b)| (a - b).abs() < 1e-12));
    }
}
