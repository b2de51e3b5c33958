//! k-means as scikit-learn's `KMeans(algorithm="lloyd")` runs it: greedy k-means++ seeding
//! (Arthur & Vassilvitskii 2007; each new centre is the best of `2 + ⌊ln k⌋` sampled
//! candidates), Lloyd iterations until the labels stop changing or the centres' summed squared
//! shift falls below the tolerance, empty clusters re-seeded with the points farthest from their
//! centres, and the best of several starts by inertia.
//!
//! Squared distances are `‖x‖² − 2 x·c + ‖c‖²`, the dot products of a block of rows with all
//! centres taken as one matrix product. Rows are cut into blocks of a fixed size, blocks run in
//! parallel, and their partial sums are added in block order: the result does not depend on the
//! thread count. A row is measured again only when its bounds, kept as the centres move
//! (Hamerly 2010), cannot show that its centre is still the nearest by more than the product
//! could round: the labels and sums are those of measuring every row at every step.
//!
//! This replaces linfa-clustering's k-means, which measures one point against one centre at a
//! time (30% of a run's samples on a UNGD slice, `../shared/notes`) and seeds k-means++ with
//! one candidate per centre: with 4 starts its kept start on R8 had up to 0.64% more inertia
//! than scikit-learn's best of 10 on the same matrix; this one, with 10, up to 0.33%
//! (`benches/cluster-eval --inertia`).

use ndarray::{s, Array2, ArrayView1, ArrayView2, ArrayViewMut1, Axis};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

/// Rows per block: the unit of parallel work and of the fixed summation order.
const BLOCK: usize = 512;

/// What to fit.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Clusters; at most the number of rows.
    pub k: usize,
    /// k-means++ starts; the one with the lowest inertia is kept (ties: the earlier start).
    pub starts: usize,
    /// Lloyd iterations per start at most.
    pub max_iterations: usize,
    /// Relative tolerance: a start stops when the centres' summed squared shift is at most
    /// this times the mean variance of the columns (scikit-learn's `tol`).
    pub tolerance: f64,
    /// Seed of the first start; the others are derived from it.
    pub seed: u64,
}

/// A fitted clustering.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Each row's cluster.
    pub labels: Vec<usize>,
    /// `k × columns`.
    pub centroids: Array2<f64>,
    /// The sum over rows of the squared distance to their centroid (`KMeans.inertia_`).
    pub inertia: f64,
}

/// Fits `p.starts` starts of k-means to the rows of `x` and keeps the best.
pub fn fit(x: ArrayView2<f64>, p: &Params) -> Fit {
    let (n, d) = x.dim();
    assert!(n > 0 && p.k >= 1 && p.k <= n, "1 ≤ k ≤ rows");
    let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mean_variance = if d == 0 {
        0.0
    } else {
        x.var_axis(Axis(0), 0.0).mean().unwrap_or(0.0)
    };
    let tolerance = p.tolerance * mean_variance;
    let data = Data {
        x: x.view(),
        norms: &norms,
    };
    let fits: Vec<Fit> = (0..p.starts.max(1))
        .into_par_iter()
        .map(|i| {
            let seed = p.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut rng = Xoshiro256Plus::seed_from_u64(seed);
            let centres = data.plus_plus(p.k, &mut rng);
            data.lloyd(centres, p.max_iterations, tolerance)
        })
        .collect();
    fits.into_iter()
        .reduce(|best, f| if f.inertia < best.inertia { f } else { best })
        .expect("at least one start")
}

/// Each row's nearest centre (ties: the lower index).
pub fn nearest(x: ArrayView2<f64>, centres: &Array2<f64>) -> Vec<usize> {
    if x.nrows() == 0 {
        return Vec::new();
    }
    let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let data = Data {
        x: x.view(),
        norms: &norms,
    };
    let mut labels = vec![usize::MAX; x.nrows()];
    data.assign(centres, &mut labels, &mut Bounds::unknown(x.nrows()));
    labels
}

/// The rows and their squared norms.
struct Data<'a> {
    x: ArrayView2<'a, f64>,
    norms: &'a [f64],
}

impl Data<'_> {
    fn blocks(&self) -> usize {
        self.x.nrows().div_ceil(BLOCK)
    }

    fn block(&self, b: usize) -> (usize, ArrayView2<'_, f64>) {
        let lo = b * BLOCK;
        let hi = (lo + BLOCK).min(self.x.nrows());
        (lo, self.x.slice(s![lo..hi, ..]))
    }

    /// Greedy k-means++: the first centre a uniformly drawn row; each next one the best, by the
    /// summed squared distance to the nearest centre it leaves, of `2 + ⌊ln k⌋` rows drawn with
    /// probability proportional to that distance (scikit-learn's `_kmeans_plusplus`).
    fn plus_plus(&self, k: usize, rng: &mut impl Rng) -> Array2<f64> {
        let (n, d) = self.x.dim();
        let trials = 2 + (k as f64).ln().floor() as usize;
        let mut centres = Array2::zeros((k, d));
        let first = rng.gen_range(0..n);
        centres.row_mut(0).assign(&self.x.row(first));
        let mut closest = self.distances_to(&[first]).remove(0);
        let mut potential: f64 = closest.iter().sum();
        let mut cumulative = vec![0.0; n];
        for c in 1..k {
            let mut running = 0.0;
            for (acc, &v) in cumulative.iter_mut().zip(&closest) {
                running += v;
                *acc = running;
            }
            let candidates: Vec<usize> = (0..trials)
                .map(|_| {
                    let r = rng.gen::<f64>() * potential;
                    cumulative.partition_point(|&v| v < r).min(n - 1)
                })
                .collect();
            let distances = self.distances_to(&candidates);
            let potentials: Vec<f64> = distances
                .iter()
                .map(|dist| dist.iter().zip(&closest).map(|(&a, &b)| a.min(b)).sum())
                .collect();
            let best = (0..trials)
                .reduce(|b, t| if potentials[t] < potentials[b] { t } else { b })
                .expect("at least two trials");
            closest
                .iter_mut()
                .zip(&distances[best])
                .for_each(|(c, &v)| *c = c.min(v));
            potential = potentials[best];
            centres.row_mut(c).assign(&self.x.row(candidates[best]));
        }
        centres
    }

    /// Squared distances from every row to each of the rows `to`, one vector per target.
    fn distances_to(&self, to: &[usize]) -> Vec<Vec<f64>> {
        let targets = self.x.select(Axis(0), to);
        let target_norms: Vec<f64> = to.iter().map(|&t| self.norms[t]).collect();
        let per_block: Vec<Array2<f64>> = (0..self.blocks())
            .into_par_iter()
            .map(|b| {
                let (lo, rows) = self.block(b);
                let mut dots = rows.dot(&targets.t());
                for (i, mut row) in dots.axis_iter_mut(Axis(0)).enumerate() {
                    for (t, v) in row.iter_mut().enumerate() {
                        *v = (self.norms[lo + i] - 2.0 * *v + target_norms[t]).max(0.0);
                    }
                }
                dots
            })
            .collect();
        (0..to.len())
            .map(|t| {
                per_block
                    .iter()
                    .flat_map(|block| block.column(t).to_vec())
                    .collect()
            })
            .collect()
    }

    /// Lloyd iterations from `centres`, then labels consistent with the final centres.
    fn lloyd(&self, mut centres: Array2<f64>, max_iterations: usize, tolerance: f64) -> Fit {
        let n = self.x.nrows();
        let mut labels = vec![usize::MAX; n];
        let mut bounds = Bounds::unknown(n);
        let mut converged_on_labels = false;
        for _ in 0..max_iterations {
            let step = self.assign(&centres, &mut labels, &mut bounds);
            let mut updated = self.update(&centres, &labels, step.sums, step.counts);
            let shift: f64 = (&updated - &centres).mapv(|v| v * v).sum();
            bounds.centres_moved(&labels, &centres, &updated);
            std::mem::swap(&mut centres, &mut updated);
            if step.changed == 0 {
                converged_on_labels = true;
                break;
            }
            if shift <= tolerance {
                break;
            }
        }
        if !converged_on_labels {
            self.assign(&centres, &mut labels, &mut bounds);
        }
        let inertia = self.inertia(&labels, &centres);
        Fit {
            labels,
            centroids: centres,
            inertia,
        }
    }

    /// Labels every row with its nearest centre (ties: the lower index); returns the per-cluster
    /// sums and counts of the rows and how many labels changed.
    ///
    /// A row whose `bounds` show that its centre is still the nearest by more than the
    /// products' rounding keeps its label without being measured (Hamerly 2010). The label it
    /// keeps is the one measuring would give, so the labels, and the sums added row by row in
    /// the same order, are those of measuring every row.
    fn assign(&self, centres: &Array2<f64>, labels: &mut [usize], bounds: &mut Bounds) -> Step {
        let (k, d) = centres.dim();
        let centre_norms: Vec<f64> = centres.rows().into_iter().map(|c| c.dot(&c)).collect();
        let test = PruneTest::new(centres, &centre_norms);
        let parts: Vec<Step> = labels
            .par_chunks_mut(BLOCK)
            .zip(bounds.upper.par_chunks_mut(BLOCK))
            .zip(bounds.lower.par_chunks_mut(BLOCK))
            .enumerate()
            .map(|(b, ((labels, upper), lower))| {
                let (lo, rows) = self.block(b);
                let measured: Vec<usize> = (0..rows.nrows())
                    .filter(|&i| !test.keeps(labels[i], upper[i], lower[i], self.norms[lo + i]))
                    .collect();
                // A product's entry depends only on its row and column, so the rows measured
                // get the same values taken alone as within their whole block.
                let dots = if measured.len() == rows.nrows() {
                    rows.dot(&centres.t())
                } else {
                    gather(rows, &measured).dot(&centres.t())
                };
                let mut step = Step {
                    sums: Array2::zeros((k, d)),
                    counts: vec![0; k],
                    changed: 0,
                };
                for (&i, dot) in measured.iter().zip(dots.rows()) {
                    let nearest = match dot.as_slice() {
                        Some(dot) => Nearest::of(dot.iter().copied(), &centre_norms),
                        None => Nearest::of(dot.iter().copied(), &centre_norms),
                    };
                    if labels[i] != nearest.centre {
                        step.changed += 1;
                        labels[i] = nearest.centre;
                    }
                    (upper[i], lower[i]) = test.bounds(&nearest, self.norms[lo + i]);
                }
                for (i, &label) in labels.iter().enumerate() {
                    step.counts[label] += 1;
                    add_row(step.sums.row_mut(label), rows.row(i));
                }
                step
            })
            .collect();
        let mut parts = parts.into_iter();
        let mut total = parts.next().expect("at least one block");
        for part in parts {
            total.sums += &part.sums;
            total
                .counts
                .iter_mut()
                .zip(&part.counts)
                .for_each(|(a, b)| *a += b);
            total.changed += part.changed;
        }
        total
    }

    /// New centres: the means of their rows. A cluster left empty takes the row farthest from
    /// its current centre (the farthest first, ties by row), which leaves its old cluster
    /// (scikit-learn's `_relocate_empty_clusters`).
    fn update(
        &self,
        old: &Array2<f64>,
        labels: &[usize],
        mut sums: Array2<f64>,
        mut counts: Vec<usize>,
    ) -> Array2<f64> {
        let empty: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] == 0).collect();
        if !empty.is_empty() {
            let mut far: Vec<(f64, usize)> = labels
                .iter()
                .enumerate()
                .map(|(i, &l)| {
                    let diff = &self.x.row(i) - &old.row(l);
                    (diff.dot(&diff), i)
                })
                .collect();
            far.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (&c, &(_, i)) in empty.iter().zip(&far) {
                let from = labels[i];
                if counts[from] <= 1 {
                    continue;
                }
                sums.row_mut(from).scaled_add(-1.0, &self.x.row(i));
                counts[from] -= 1;
                sums.row_mut(c).assign(&self.x.row(i));
                counts[c] = 1;
            }
        }
        for (mut row, (&count, old)) in sums
            .rows_mut()
            .into_iter()
            .zip(counts.iter().zip(old.rows()))
        {
            if count > 0 {
                row /= count as f64;
            } else {
                row.assign(&old);
            }
        }
        sums
    }

    /// The exact sum of squared distances of the rows to their centres, summed in block order.
    fn inertia(&self, labels: &[usize], centres: &Array2<f64>) -> f64 {
        let parts: Vec<f64> = (0..self.blocks())
            .into_par_iter()
            .map(|b| {
                let (lo, rows) = self.block(b);
                rows.rows()
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let diff = &r - &centres.row(labels[lo + i]);
                        diff.dot(&diff)
                    })
                    .sum()
            })
            .collect();
        parts.iter().sum()
    }
}

/// The centre nearest a row, from the row's dot products with the centres and their squared
/// norms (ties: the lower index), and the values `‖c‖² − 2 x·c` it was chosen on: ‖x‖² is the
/// same for every centre, so it does not take part.
struct Nearest {
    centre: usize,
    /// The nearest centre's value.
    value: f64,
    /// The least value of the other centres (infinite when there is no other).
    runner_up: f64,
}

impl Nearest {
    fn of(dots: impl Iterator<Item = f64>, centre_norms: &[f64]) -> Nearest {
        let mut nearest = Nearest {
            centre: 0,
            value: f64::INFINITY,
            runner_up: f64::INFINITY,
        };
        for (c, v) in dots.enumerate() {
            let value = centre_norms[c] - 2.0 * v;
            if value < nearest.value {
                nearest.runner_up = nearest.value;
                nearest.value = value;
                nearest.centre = c;
            } else if value < nearest.runner_up {
                nearest.runner_up = value;
            }
        }
        nearest
    }
}

/// Each row's bounds on its distance to its centre (`upper`) and to every other centre
/// (`lower`), kept true as the centres move (Hamerly 2010). Unknown bounds (`∞`, `0`) keep no
/// row from being measured.
struct Bounds {
    upper: Vec<f64>,
    lower: Vec<f64>,
}

impl Bounds {
    fn unknown(n: usize) -> Bounds {
        Bounds {
            upper: vec![f64::INFINITY; n],
            lower: vec![0.0; n],
        }
    }

    /// Moves the bounds with the centres, from `old` to `new`: a row's centre is at most as
    /// far as it was plus its move, and every other centre at least as far as before less the
    /// largest move of the others.
    fn centres_moved(&mut self, labels: &[usize], old: &Array2<f64>, new: &Array2<f64>) {
        // The moves, rounded up: the bounds must stay bounds, whatever the rounding.
        let moves: Vec<f64> = old
            .rows()
            .into_iter()
            .zip(new.rows())
            .map(|(a, b)| squared_distance(a, b).sqrt() * (1.0 + 1e-12))
            .collect();
        let (mut first, mut second) = ((0.0, usize::MAX), 0.0f64);
        for (c, &m) in moves.iter().enumerate() {
            if m > first.0 {
                second = first.0;
                first = (m, c);
            } else if m > second {
                second = m;
            }
        }
        for ((upper, lower), &label) in self.upper.iter_mut().zip(&mut self.lower).zip(labels) {
            *upper += moves[label];
            let others = if label == first.1 { second } else { first.0 };
            *lower = (*lower - others).max(0.0);
        }
    }
}

/// Whether a row's bounds show its centre to be the nearest by more than the matrix product
/// could round, and the bounds a measured row starts again from.
struct PruneTest {
    /// For each centre, half its distance to the nearest other centre: no row within that
    /// distance of it is nearer another (Hamerly 2010).
    half_gap: Vec<f64>,
    /// The largest squared norm of a centre.
    centre_norm: f64,
    /// The error allowed per unit of `‖x‖² + ‖c‖²`.
    tolerance: f64,
}

impl PruneTest {
    fn new(centres: &Array2<f64>, centre_norms: &[f64]) -> PruneTest {
        let k = centres.nrows();
        let half_gap = (0..k)
            .map(|a| {
                let gap = (0..k)
                    .filter(|&c| c != a)
                    .map(|c| squared_distance(centres.row(a), centres.row(c)))
                    .fold(f64::INFINITY, f64::min);
                0.5 * gap.sqrt() * (1.0 - 1e-12)
            })
            .collect();
        // A dot product of d terms, rounded term by term, is off by at most about
        // d·ε·(‖x‖² + ‖c‖²)/2 (Higham 2002, §3.1), and so is ‖c‖²; the tolerance allows
        // 10⁴ times that.
        let d = centres.ncols() as f64;
        PruneTest {
            half_gap,
            centre_norm: centre_norms.iter().copied().fold(0.0, f64::max),
            tolerance: 1e4 * (d + 2.0) * f64::EPSILON,
        }
    }

    /// The error allowed in a row's values `‖x‖² + ‖c‖² − 2 x·c`.
    fn allowed(&self, row_norm: f64) -> f64 {
        self.tolerance * (row_norm + self.centre_norm)
    }

    /// Whether the row's centre `label` is the nearest, as measuring would find it: every
    /// other centre's squared distance exceeds the centre's by more than twice the error a
    /// measured value may carry.
    fn keeps(&self, label: usize, upper: f64, lower: f64, row_norm: f64) -> bool {
        if label == usize::MAX {
            return false;
        }
        let lower = lower.max(2.0 * self.half_gap[label] - upper);
        lower >= upper && lower * lower - upper * upper > 2.0 * self.allowed(row_norm)
    }

    /// The bounds of a measured row, widened by the error its values may carry.
    fn bounds(&self, nearest: &Nearest, row_norm: f64) -> (f64, f64) {
        let e = self.allowed(row_norm);
        let upper = (row_norm + nearest.value + e).max(0.0).sqrt();
        let lower = (row_norm + nearest.runner_up - e).max(0.0).sqrt();
        (upper, lower)
    }
}

/// `‖a − b‖²`.
fn squared_distance(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b).map(|(a, b)| (a - b) * (a - b)).sum()
}

/// The rows `which` of `rows`, as one matrix.
fn gather(rows: ArrayView2<f64>, which: &[usize]) -> Array2<f64> {
    let d = rows.ncols();
    let mut values = Vec::with_capacity(which.len() * d);
    for &i in which {
        match rows.row(i).as_slice() {
            Some(row) => values.extend_from_slice(row),
            None => values.extend(rows.row(i).iter()),
        }
    }
    Array2::from_shape_vec((which.len(), d), values).expect("rows × columns values")
}

/// `sum += row`, element by element: `scaled_add(1.0, row)` without setting up ndarray's
/// iterators for each row, which cost more than the additions on rows this short.
fn add_row(mut sum: ArrayViewMut1<f64>, row: ArrayView1<f64>) {
    if let (Some(s), Some(r)) = (sum.as_slice_mut(), row.as_slice()) {
        s.iter_mut().zip(r).for_each(|(s, r)| *s += r);
        return;
    }
    sum.scaled_add(1.0, &row);
}

/// One assignment pass: per-cluster sums and counts, and labels changed.
struct Step {
    sums: Array2<f64>,
    counts: Vec<usize>,
    changed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn params(k: usize, starts: usize, seed: u64) -> Params {
        Params {
            k,
            starts,
            max_iterations: 100,
            tolerance: 1e-4,
            seed,
        }
    }

    #[test]
    fn separates_well_apart_groups_and_reports_their_exact_inertia() {
        let x = array![
            [0.0, 0.0],
            [0.0, 1.0],
            [10.0, 10.0],
            [10.0, 11.0],
            [-10.0, 10.0],
            [-10.0, 11.0]
        ];
        for seed in 0..20 {
            let fit = fit(x.view(), &params(3, 4, seed));
            let l = &fit.labels;
            assert_eq!(l[0], l[1]);
            assert_eq!(l[2], l[3]);
            assert_eq!(l[4], l[5]);
            assert!(l[0] != l[2] && l[2] != l[4] && l[0] != l[4]);
            // Each pair sits 0.5 from its centre: 6 × 0.25.
            assert!((fit.inertia - 1.5).abs() < 1e-12, "{}", fit.inertia);
        }
    }

    #[test]
    fn a_cluster_left_empty_takes_the_farthest_point() {
        // Two centres on the same point: one of them empties at once and must be re-seeded,
        // or the far point would share a cluster with the near ones.
        let x = array![[0.0], [0.1], [0.2], [5.0]];
        let data = Data {
            x: x.view(),
            norms: &[0.0, 0.01, 0.04, 25.0],
        };
        let fit = data.lloyd(array![[0.1], [0.1]], 100, 0.0);
        assert_eq!(fit.labels[0], fit.labels[2]);
        assert_ne!(fit.labels[0], fit.labels[3]);
        assert!((fit.inertia - 0.02).abs() < 1e-12, "{}", fit.inertia);
    }

    #[test]
    fn one_cluster_is_the_mean() {
        let x = array![[1.0, 2.0], [3.0, 4.0], [5.0, 0.0]];
        let fit = fit(x.view(), &params(1, 3, 7));
        assert_eq!(fit.labels, vec![0, 0, 0]);
        assert!((fit.centroids[[0, 0]] - 3.0).abs() < 1e-12);
        assert!((fit.centroids[[0, 1]] - 2.0).abs() < 1e-12);
        assert!((fit.inertia - (4.0 + 4.0 + 8.0)).abs() < 1e-12);
    }

    /// Rows spread over a few groups, with exact duplicates and points halfway between two
    /// groups, so that some rows sit on ties.
    fn awkward_rows(n: usize, d: usize, seed: u64) -> Array2<f64> {
        let mut rng = Xoshiro256Plus::seed_from_u64(seed);
        let groups = Array2::from_shape_fn((5, d), |_| rng.gen_range(-1.0..1.0));
        let mut x = Array2::zeros((n, d));
        for i in 0..n {
            let g = i % 5;
            let row: Vec<f64> = match i % 7 {
                0 if i > 0 => x.row(i - 1).to_vec(),
                1 => (0..d)
                    .map(|j| 0.5 * (groups[[g, j]] + groups[[(g + 1) % 5, j]]))
                    .collect(),
                _ => (0..d)
                    .map(|j| groups[[g, j]] + rng.gen_range(-0.6..0.6))
                    .collect(),
            };
            x.row_mut(i).assign(&ndarray::Array1::from(row));
        }
        x
    }

    #[test]
    fn a_row_has_the_same_products_taken_alone_as_in_its_block() {
        let x = awkward_rows(700, 50, 3);
        let centres = awkward_rows(20, 50, 4);
        let whole = x.dot(&centres.t());
        let some: Vec<usize> = (0..700).filter(|i| i % 3 != 1).collect();
        let part = x.select(Axis(0), &some).dot(&centres.t());
        for (r, &i) in some.iter().enumerate() {
            for c in 0..20 {
                assert_eq!(part[[r, c]].to_bits(), whole[[i, c]].to_bits(), "row {i}");
            }
        }
    }

    #[test]
    fn bounded_lloyd_labels_and_sums_as_measuring_every_row_does() {
        for (seed, k) in [(1, 3), (2, 8), (3, 20)] {
            let x = awkward_rows(1500, 12, seed);
            let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
            let data = Data {
                x: x.view(),
                norms: &norms,
            };
            let mut rng = Xoshiro256Plus::seed_from_u64(seed);
            let start = data.plus_plus(k, &mut rng);
            let bounded = data.lloyd(start.clone(), 60, 0.0);
            // Every row measured at every step: fresh bounds each time.
            let (mut centres, mut labels) = (start, vec![usize::MAX; x.nrows()]);
            let measure_all = |centres: &Array2<f64>, labels: &mut [usize]| {
                data.assign(centres, labels, &mut Bounds::unknown(x.nrows()))
            };
            let mut converged = false;
            for _ in 0..60 {
                let step = measure_all(&centres, &mut labels);
                centres = data.update(&centres, &labels, step.sums, step.counts);
                if step.changed == 0 {
                    converged = true;
                    break;
                }
            }
            if !converged {
                measure_all(&centres, &mut labels);
            }
            assert_eq!(bounded.labels, labels, "k = {k}");
            let bits = |a: &Array2<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&bounded.centroids), bits(&centres), "k = {k}");
        }
    }

    #[test]
    fn bounds_never_keep_a_label_that_measuring_would_change() {
        // Centres drifting in small steps over rows spread evenly: at every step some rows
        // cross from one centre to another, and many sit close to the line between two.
        let mut rng = Xoshiro256Plus::seed_from_u64(9);
        let x = Array2::from_shape_fn((3000, 6), |_| rng.gen_range(-1.0..1.0));
        let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
        let data = Data {
            x: x.view(),
            norms: &norms,
        };
        let mut centres = Array2::from_shape_fn((7, 6), |_| rng.gen_range(-0.5..0.5));
        let mut labels = vec![usize::MAX; x.nrows()];
        let mut bounds = Bounds::unknown(x.nrows());
        let mut kept = 0;
        for step in 0..40 {
            let before = labels.clone();
            let bounded = data.assign(&centres, &mut labels, &mut bounds);
            let mut measured = vec![usize::MAX; x.nrows()];
            let all = data.assign(&centres, &mut measured, &mut Bounds::unknown(x.nrows()));
            assert_eq!(labels, measured, "step {step}");
            assert_eq!(bounded.counts, all.counts);
            kept += labels.iter().zip(&before).filter(|(a, b)| a == b).count();
            let moved = centres.mapv(|v| v + rng.gen_range(-0.02..0.02));
            bounds.centres_moved(&labels, &centres, &moved);
            centres = moved;
        }
        // Most rows keep their centre from one step to the next.
        assert!(kept > 30 * x.nrows(), "{kept}");
    }

    #[test]
    fn more_starts_never_end_worse_than_the_first() {
        // The first start is the same in both fits, and the best of several is kept.
        let x = Array2::from_shape_fn((300, 3), |(i, j)| {
            ((i * 7 + j * 13) % 17) as f64 + (i % 5) as f64
        });
        for seed in 0..5 {
            let one = fit(x.view(), &params(6, 1, seed));
            let ten = fit(x.view(), &params(6, 10, seed));
            assert!(ten.inertia <= one.inertia);
        }
    }
}
