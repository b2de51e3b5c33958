//! Randomized truncated SVD (Halko, Martinsson & Tropp 2011) of a sparse matrix, as
//! scikit-learn's `TruncatedSVD(algorithm="randomized")` computes it: a Gaussian test matrix,
//! power iterations with re-orthonormalisation after every product, and an exact SVD of the
//! small projected matrix. The sparse matrix is never densified.
//!
//! Products are row-parallel and each output row depends only on its inputs, so results do
//! not depend on the thread count.

use crate::artifacts::Matrix;
use linfa_linalg::eigh::{EigSort, Eigh};
use ndarray::{s, Array1, Array2, ArrayViewMut2, Axis};
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// The truncated SVD `A ≈ U Σ Vᵀ` of a matrix.
#[derive(Debug, Clone)]
pub struct Svd {
    /// `A V = U Σ`: the rows of `A` in component space, `rows × k`.
    pub transformed: Array2<f64>,
    /// Singular values, largest first.
    pub singular_values: Array1<f64>,
    /// `Vᵀ`: one row per component, `k × columns`.
    pub components: Array2<f64>,
    /// Variance of each column of `transformed` over the total variance of `A`'s columns.
    pub explained_variance_ratio: Vec<f64>,
}

/// Parameters of [`randomized_svd`].
#[derive(Debug, Clone, Copy)]
pub struct SvdParams {
    /// Components wanted.
    pub k: usize,
    /// Extra random directions.
    pub oversample: usize,
    /// Power iterations.
    pub power_iterations: usize,
    /// Seed of the Gaussian test matrix.
    pub seed: u64,
}

/// Computes the top-`k` SVD of `a` (rows × columns, CSR). `k` is lowered to fit the matrix.
///
/// The range finder works on the smaller side of `a`: with `P` = `a` when it has no more rows
/// than columns, else `aᵀ`, it starts from `P Pᵀ Ω` (Ω Gaussian, small side × l) and repeats
/// `Q ← orth(P (Pᵀ Q))`, so every orthonormalisation is of a (small side × l) matrix. The SVD
/// of `Qᵀ P` comes from the eigenpairs of the l × l matrix `Qᵀ P Pᵀ Q`, and the large side
/// (`Pᵀ Q W`) from one sparse product with k columns: no dense product ever runs over the
/// large side.
pub fn randomized_svd(a: &Matrix, params: SvdParams) -> Svd {
    let (n, m) = a.shape();
    let k = params.k.min(n.min(m)).max(1);
    let l = (k + params.oversample).min(n.min(m)).max(k);
    let at = transpose(a);
    let rows_are_small = n <= m;
    let (p, pt) = if rows_are_small { (a, &at) } else { (&at, a) };

    let mut rng = Xoshiro256PlusPlus::seed_from_u64(params.seed);
    let omega = Array2::from_shape_simple_fn((p.rows(), l), || rng.sample(StandardNormal));
    // Between products one Gram–eigen pass keeps the basis well enough conditioned (scikit-learn
    // uses a mere LU there); the basis the projection is taken on gets two.
    let mut products = Products::new(p, pt);
    let mut q = products.p_pt_dot(&omega);
    for _ in 0..params.power_iterations {
        q = products.p_pt_dot(&orthonormalize(q, 1));
    }
    let q = orthonormalize(q, 2);
    // Qᵀ P = W Σ Vᵀ, and with C = Pᵀ Q, Cᵀ C = Qᵀ (P Pᵀ Q) = W Σ² Wᵀ: W and Σ² from the
    // eigenpairs of an l' × l' matrix formed on the small side, so the large side is only
    // touched by sparse products.
    let y = products.p_pt_dot(&q);
    drop(products);
    let g = cross(&q, &y);
    let g = (&g + &g.t()) / 2.0;
    let (vals, vecs) = g
        .eigh()
        .expect("a symmetric Gram matrix has an eigendecomposition");
    let (vals, vecs) = (vals, vecs).sort_eig_desc();
    let kk = k.min(vals.len());
    let sigma: Array1<f64> = vals.slice(s![..kk]).mapv(|v| v.max(0.0).sqrt());
    let w = vecs.slice(s![.., ..kk]).to_owned(); // l' × k
    let small_vectors = dense_dot(&q, &w); // small side × k: orthonormal
    let large_scaled = sparse_dot(pt, &small_vectors); // large side × k: Pᵀ Q W = C W = V Σ
    let (mut transformed, mut components) = if rows_are_small {
        // A = (Q W) Σ Vᵀ: transformed = Q W Σ, components = Vᵀ = (C W / Σ)ᵀ.
        let mut v = large_scaled;
        for (j, mut col) in v.axis_iter_mut(Axis(1)).enumerate() {
            if sigma[j] > 0.0 {
                col /= sigma[j];
            }
        }
        (small_vectors * &sigma, v.reversed_axes())
    } else {
        // Aᵀ = (Q W) Σ Vᵀ, so A = V Σ (Q W)ᵀ: transformed = A (Q W) = V Σ = C W.
        (large_scaled, small_vectors.reversed_axes())
    };
    // Deterministic signs (scikit-learn's svd_flip on V): each component's largest entry is
    // positive.
    for c in 0..kk {
        let row = components.row(c);
        let (_, &max) = row
            .iter()
            .enumerate()
            .fold((0usize, &0.0f64), |best, (i, v)| {
                if v.abs() > best.1.abs() {
                    (i, v)
                } else {
                    best
                }
            });
        if max < 0.0 {
            components.row_mut(c).mapv_inplace(|v| -v);
            transformed.column_mut(c).mapv_inplace(|v| -v);
        }
    }
    let total = total_variance(a);
    let explained_variance_ratio = transformed
        .axis_iter(Axis(1))
        .map(|col| {
            if total > 0.0 {
                col.var(0.0) / total
            } else {
                0.0
            }
        })
        .collect();
    Svd {
        transformed,
        singular_values: sigma,
        components,
        explained_variance_ratio,
    }
}

/// Memory the partial sums of [`Products::p_pt_dot`] may take, in f64 values.
const PARTIAL_BUDGET: usize = 32 << 20;

/// The products `P Pᵀ Q` of the range finder, for sparse `P` (CSR, and its transpose `pt`),
/// with the partial sums they fill kept from one product to the next. Each is cleared and
/// summed again in the same order, so the numbers are those of fresh memory; but the memory is
/// not taken anew, and zeroed by the kernel page by page, for each of the seven products.
struct Products<'a> {
    p: &'a Matrix,
    pt: &'a Matrix,
    partials: Vec<Vec<f64>>,
}

impl<'a> Products<'a> {
    fn new(p: &'a Matrix, pt: &'a Matrix) -> Self {
        Products {
            p,
            pt,
            partials: Vec::new(),
        }
    }

    /// The first `count` partial sums, each of `len` zeros.
    fn cleared(&mut self, count: usize, len: usize) -> &mut [Vec<f64>] {
        self.partials.truncate(count);
        self.partials.par_iter_mut().for_each(|v| {
            if v.len() == len {
                v.fill(0.0);
            } else {
                *v = vec![0.0; len];
            }
        });
        self.partials.resize_with(count, || vec![0.0; len]);
        &mut self.partials
    }

    /// `P Pᵀ Q` for dense `Q` (rows of `P` × l).
    ///
    /// While `Pᵀ Q` (the large side × l) fits in [`PARTIAL_BUDGET`], it is formed and
    /// multiplied by `P`: two row-parallel gathers, each output row summed in the order of its
    /// sparse row. Past that, [`Products::scatter`] never forms it. Either way the result does
    /// not depend on the thread count.
    fn p_pt_dot(&mut self, q: &Array2<f64>) -> Array2<f64> {
        let (p, pt, l) = (self.p, self.pt, q.ncols());
        if pt.rows() * l > PARTIAL_BUDGET {
            return self.scatter(q);
        }
        if l > COL_BLOCK {
            return sparse_dot(p, &sparse_dot(pt, q));
        }
        // `sparse_dot` twice, the first into a kept partial sum.
        let q = q.as_standard_layout();
        let partial = &mut self.cleared(1, pt.rows() * l)[0];
        let view = ArrayViewMut2::from_shape((pt.rows(), l), partial).expect("rows × l");
        sum_rows(pt, q.as_slice().expect("standard layout"), view);
        let mut out = Array2::zeros((p.rows(), l));
        sum_rows(p, partial, out.view_mut());
        out
    }

    /// `P Pᵀ Q` without forming `Pᵀ Q`: for each column `p_j` of `P` (row j of `pt`),
    /// `y = p_jᵀ Q` is gathered and `p_j y` scattered into the result, so only `Q` and the
    /// result (the small side of the SVD) are touched. The columns are cut into a fixed number
    /// of blocks, one partial sum each, added in block order: the result does not depend on
    /// the thread count.
    fn scatter(&mut self, q: &Array2<f64>) -> Array2<f64> {
        let pt = self.pt;
        let (rows, l) = (q.nrows(), q.ncols());
        let q = q.as_standard_layout();
        let qd = q.as_slice().expect("standard layout");
        let (indptr, indices, data) = (pt.indptr(), pt.indices(), pt.data());
        let indptr = indptr.raw_storage();
        let blocks = (PARTIAL_BUDGET / (rows * l).max(1)).clamp(1, 8);
        let per = pt.rows().div_ceil(blocks).max(1);
        let partials = self.cleared(blocks, rows * l);
        partials.par_iter_mut().enumerate().for_each(|(b, out)| {
            let mut y = vec![0.0; l];
            for j in (b * per)..((b + 1) * per).min(pt.rows()) {
                let (lo, hi) = (indptr[j], indptr[j + 1]);
                if lo == hi {
                    continue;
                }
                y.iter_mut().for_each(|v| *v = 0.0);
                row_axpy(&mut y, &indices[lo..hi], &data[lo..hi], qd, l);
                for (&i, &v) in indices[lo..hi].iter().zip(&data[lo..hi]) {
                    let i = i as usize;
                    let row = &mut out[i * l..(i + 1) * l];
                    row.iter_mut().zip(&y).for_each(|(o, &yv)| *o += v * yv);
                }
            }
        });
        let mut total = partials[0].clone();
        for part in &partials[1..] {
            total.iter_mut().zip(part).for_each(|(t, &p)| *t += p);
        }
        Array2::from_shape_vec((rows, l), total).expect("rows × l values")
    }
}

/// Columns of `X` handled together by [`sparse_dot`]: a block of `X` small enough to stay in
/// cache while the rows of `A` stream past it.
const COL_BLOCK: usize = 128;

/// `A X` for sparse `A` (CSR) and dense `X`. Works through `X` in blocks of columns (so that the
/// rows it gathers come from cache, not memory) and, within a block, one output row per task.
/// Each output element is summed in the order of `A`'s row, whatever the thread count.
pub fn sparse_dot(a: &Matrix, x: &Array2<f64>) -> Array2<f64> {
    let (n, l) = (a.rows(), x.ncols());
    let mut out = Array2::zeros((n, l));
    if l <= COL_BLOCK {
        // One block: the rows are summed straight into the result.
        let x = x.as_standard_layout();
        sum_rows(a, x.as_slice().expect("standard layout"), out.view_mut());
        return out;
    }
    for c0 in (0..l).step_by(COL_BLOCK) {
        let bw = COL_BLOCK.min(l - c0);
        let block = x
            .slice(s![.., c0..c0 + bw])
            .as_standard_layout()
            .into_owned();
        let mut acc = Array2::<f64>::zeros((n, bw));
        sum_rows(
            a,
            block.as_slice().expect("standard layout"),
            acc.view_mut(),
        );
        out.slice_mut(s![.., c0..c0 + bw]).assign(&acc);
    }
    out
}

/// `out += A xb` for sparse `A` and the dense block `xb` (rows of `xb` × the columns of `out`,
/// row-major): one output row per task, each summed in the order of `A`'s row.
fn sum_rows(a: &Matrix, xb: &[f64], mut out: ArrayViewMut2<f64>) {
    let bw = out.ncols();
    let (indptr, indices, data) = (a.indptr(), a.indices(), a.data());
    let indptr = indptr.raw_storage();
    out.axis_chunks_iter_mut(Axis(0), 256)
        .into_par_iter()
        .enumerate()
        .for_each(|(chunk, mut rows)| {
            let first = chunk * 256;
            for (r, mut row) in rows.axis_iter_mut(Axis(0)).enumerate() {
                let i = first + r;
                let row = row.as_slice_mut().expect("contiguous row");
                let (lo, hi) = (indptr[i], indptr[i + 1]);
                row_axpy(row, &indices[lo..hi], &data[lo..hi], xb, bw);
            }
        });
}

/// `row += Σ v · xb[j]` over one sparse row; uses AVX2/FMA when the CPU has them (checked at
/// run time), the portable loop otherwise. Both add in the same order.
fn row_axpy(row: &mut [f64], indices: &[u32], data: &[f64], xb: &[f64], bw: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the features the function is compiled for were detected just above.
            return unsafe { row_axpy_avx2(row, indices, data, xb, bw) };
        }
    }
    row_axpy_portable(row, indices, data, xb, bw)
}

#[inline(always)]
fn row_axpy_portable(row: &mut [f64], indices: &[u32], data: &[f64], xb: &[f64], bw: usize) {
    for (&j, &v) in indices.iter().zip(data) {
        let j = j as usize;
        let src = &xb[j * bw..(j + 1) * bw];
        for (o, s) in row.iter_mut().zip(src) {
            *o += v * s;
        }
    }
}

/// [`row_axpy_portable`] with the row held in registers, up to 48 columns at a time (twelve
/// 4-wide sums), each column still summed in the order of the sparse row with a multiply and
/// then an add (no fused multiply-add), so the sums are the portable loop's to the bit. The
/// portable loop loads and stores the whole row again for every entry of the sparse row.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn row_axpy_avx2(row: &mut [f64], indices: &[u32], data: &[f64], xb: &[f64], bw: usize) {
    assert!(row.len() >= bw && indices.len() == data.len());
    assert!(indices.iter().all(|&j| (j as usize + 1) * bw <= xb.len()));
    let mut c = 0;
    while bw - c >= 4 {
        let left = (bw - c) / 4;
        // SAFETY: `tile::<V>` reads and writes columns c..c + 4·V < bw of `row` and of the
        // rows of `xb` that `indices` name, all in bounds by the asserts above.
        unsafe {
            let out = row.as_mut_ptr().add(c);
            c += 4 * match left {
                12.. => tile::<12>(out, indices, data, xb.as_ptr().add(c), bw),
                6..=11 => tile::<6>(out, indices, data, xb.as_ptr().add(c), bw),
                3..=5 => tile::<3>(out, indices, data, xb.as_ptr().add(c), bw),
                _ => tile::<1>(out, indices, data, xb.as_ptr().add(c), bw),
            };
        }
    }
    for (&j, &v) in indices.iter().zip(data) {
        let src = &xb[j as usize * bw + c..(j as usize + 1) * bw];
        for (o, s) in row[c..bw].iter_mut().zip(src) {
            *o += v * s;
        }
    }
}

/// `out[..4·V] += Σ v · xb[j·bw..][..4·V]` over one sparse row, in `V` registers; gives `V`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn tile<const V: usize>(
    out: *mut f64,
    indices: &[u32],
    data: &[f64],
    xb: *const f64,
    bw: usize,
) -> usize {
    use std::arch::x86_64::*;
    // SAFETY: the caller hands in pointers with 4·V columns in bounds (`row_axpy_avx2`).
    unsafe {
        let mut acc = [_mm256_setzero_pd(); V];
        for (t, a) in acc.iter_mut().enumerate() {
            *a = _mm256_loadu_pd(out.add(4 * t));
        }
        for (&j, &v) in indices.iter().zip(data) {
            let src = xb.add(j as usize * bw);
            let v = _mm256_set1_pd(v);
            for (t, a) in acc.iter_mut().enumerate() {
                *a = _mm256_add_pd(*a, _mm256_mul_pd(v, _mm256_loadu_pd(src.add(4 * t))));
            }
        }
        for (t, a) in acc.iter().enumerate() {
            _mm256_storeu_pd(out.add(4 * t), *a);
        }
    }
    V
}

/// An orthonormal basis of the columns of `y` by `passes` rounds of Gram–eigen QR (the second
/// restores the orthogonality the first loses on an ill-conditioned `y`). Directions with no
/// energy are dropped.
fn orthonormalize(y: Array2<f64>, passes: usize) -> Array2<f64> {
    let mut q = y;
    for _ in 0..passes {
        let gram = cross(&q, &q);
        let (vals, vecs) = gram
            .eigh()
            .expect("a symmetric Gram matrix has an eigendecomposition");
        let (vals, vecs) = (vals, vecs).sort_eig_desc();
        let top = vals.first().copied().unwrap_or(0.0);
        let keep: Vec<usize> = (0..vals.len())
            .filter(|&i| vals[i] > top * 1e-24 && vals[i] > 0.0)
            .collect();
        let mut basis = Array2::zeros((vecs.nrows(), keep.len()));
        for (c, &i) in keep.iter().enumerate() {
            let mut col = basis.column_mut(c);
            col.assign(&vecs.column(i));
            col /= vals[i].sqrt();
        }
        q = dense_dot(&q, &basis);
    }
    q
}

/// Rows per task in the dense products; fixed, so sums run in the same order on any machine.
const ROW_BLOCK: usize = 512;

/// `Xᵀ Y` for two tall matrices with the same rows, summing fixed row blocks computed in
/// parallel, in block order.
fn cross(x: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    let blocks: Vec<Array2<f64>> = x
        .axis_chunks_iter(Axis(0), ROW_BLOCK)
        .into_par_iter()
        .zip(y.axis_chunks_iter(Axis(0), ROW_BLOCK).into_par_iter())
        .map(|(a, b)| a.t().dot(&b))
        .collect();
    let mut g = Array2::zeros((x.ncols(), y.ncols()));
    for b in blocks {
        g += &b;
    }
    g
}

/// `Y B` for tall `Y`, in parallel row blocks.
fn dense_dot(y: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let mut out = Array2::zeros((y.nrows(), b.ncols()));
    out.axis_chunks_iter_mut(Axis(0), ROW_BLOCK)
        .into_par_iter()
        .zip(y.axis_chunks_iter(Axis(0), ROW_BLOCK).into_par_iter())
        .for_each(|(mut o, yb)| o.assign(&yb.dot(b)));
    out
}

/// The transpose of a CSR matrix, as CSR: a counting sort of its entries by column, which keeps
/// each new row's entries in ascending (old row) order.
fn transpose(a: &Matrix) -> Matrix {
    let (n, m) = a.shape();
    let mut indptr = vec![0usize; m + 1];
    for &j in a.indices() {
        indptr[j as usize + 1] += 1;
    }
    for j in 0..m {
        indptr[j + 1] += indptr[j];
    }
    let mut next = indptr.clone();
    let mut indices = vec![0u32; a.nnz()];
    let mut data = vec![0.0; a.nnz()];
    for (i, row) in a.outer_iterator().enumerate() {
        for (&j, &v) in row.indices().iter().zip(row.data()) {
            let j = j as usize;
            indices[next[j]] = i as u32;
            data[next[j]] = v;
            next[j] += 1;
        }
    }
    Matrix::new((m, n), indptr, indices, data)
}

/// Sum over columns of the column variance of `a` (population variance, as numpy's `var`).
fn total_variance(a: &Matrix) -> f64 {
    let n = a.rows() as f64;
    let mut sum = vec![0.0; a.cols()];
    let mut sq = vec![0.0; a.cols()];
    for (v, (_, j)) in a.iter() {
        let j = j as usize;
        sum[j] += v;
        sq[j] += v * v;
    }
    sum.iter()
        .zip(&sq)
        .map(|(s, q)| q / n - (s / n) * (s / n))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sparse(rows: &[&[f64]]) -> Matrix {
        let mut tri = sprs::TriMatI::<f64, u32>::new((rows.len(), rows[0].len()));
        for (i, r) in rows.iter().enumerate() {
            for (j, &v) in r.iter().enumerate() {
                if v != 0.0 {
                    tri.add_triplet(i, j, v);
                }
            }
        }
        tri.to_csr()
    }

    /// Both ways of forming `P Pᵀ Q` give the dense product, and a second product from the
    /// same kept partial sums is not added onto the first.
    #[test]
    fn products_formed_or_scattered_are_p_pt_q_every_time() {
        let rows: Vec<Vec<f64>> = (0..9)
            .map(|i| {
                (0..14)
                    .map(|j| {
                        if (i * 5 + j * 3) % 4 == 0 {
                            (i + j) as f64 / 7.0
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
        let p = sparse(&refs);
        let pt = transpose(&p);
        let dense = Array2::from_shape_fn((9, 14), |(i, j)| rows[i][j]);
        let mut products = Products::new(&p, &pt);
        for seed in 0..3 {
            let q = Array2::from_shape_fn((9, 4), |(i, j)| ((i * 4 + j + seed) % 5) as f64 - 2.0);
            let want = dense.dot(&dense.t()).dot(&q);
            for got in [products.p_pt_dot(&q), products.scatter(&q)] {
                assert!(
                    (&got - &want).iter().all(|d| d.abs() < 1e-12),
                    "{got} != {want}"
                );
            }
        }
    }

    /// The kernel `row_axpy` picks gives the portable loop's sums to the bit, at every width
    /// (each tile size, and the columns past the last whole register), whatever the values.
    #[test]
    fn row_sums_are_the_portable_sums_to_the_bit() {
        let value =
            |k: usize| ((k * 7919 % 1013) as f64 - 506.0) / 37.0 * 1.5f64.powi(k as i32 % 9);
        for bw in [1, 3, 4, 5, 12, 13, 24, 47, 48, 49, 60, 110, 129] {
            let xb: Vec<f64> = (0..40 * bw).map(value).collect();
            let indices: Vec<u32> = (0..23).map(|k| (k * 17 % 40) as u32).collect();
            let data: Vec<f64> = (0..23).map(|k| value(k + 5000)).collect();
            let start: Vec<f64> = (0..bw).map(|k| value(k + 9000)).collect();
            let (mut want, mut got) = (start.clone(), start);
            row_axpy_portable(&mut want, &indices, &data, &xb, bw);
            row_axpy(&mut got, &indices, &data, &xb, bw);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "width {bw}");
        }
    }

    #[test]
    fn recovers_singular_values_of_a_small_matrix() {
        // Rank-2 matrix with singular values 3 and 1 (orthogonal rows scaled).
        let a = sparse(&[
            &[3.0, 0.0, 0.0],
            &[0.0, 1.0, 0.0],
            &[0.0, 0.0, 0.0],
            &[0.0, 0.0, 0.0],
        ]);
        let svd = randomized_svd(
            &a,
            SvdParams {
                k: 2,
                oversample: 1,
                power_iterations: 2,
                seed: 1,
            },
        );
        assert!((svd.singular_values[0] - 3.0).abs() < 1e-9);
        assert!((svd.singular_values[1] - 1.0).abs() < 1e-9);
        // A V = U Σ: the first row maps to (3, 0).
        assert!((svd.transformed[[0, 0]].abs() - 3.0).abs() < 1e-9);
        assert!(
            svd.components[[0, 0]] > 0.0,
            "sign is flipped to a positive largest entry"
        );
    }

    #[test]
    fn reconstruction_matches_on_a_low_rank_matrix() {
        let rows: Vec<Vec<f64>> = (0..30)
            .map(|i| {
                (0..12)
                    .map(|j| {
                        ((i % 3) as f64 + 1.0) * if j % 3 == i % 3 { 1.0 } else { 0.0 }
                            + if j == 11 { (i % 2) as f64 } else { 0.0 }
                    })
                    .collect()
            })
            .collect();
        // Tall (more rows than columns) and wide (its transpose): both sides of the range finder.
        let wide: Vec<Vec<f64>> = (0..12)
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect();
        for rows in [&rows, &wide] {
            let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
            let a = sparse(&refs);
            let svd = randomized_svd(
                &a,
                SvdParams {
                    k: 4,
                    oversample: 4,
                    power_iterations: 3,
                    seed: 7,
                },
            );
            let approx = svd.transformed.dot(&svd.components);
            for (i, r) in rows.iter().enumerate() {
                for (j, &v) in r.iter().enumerate() {
                    assert!(
                        (approx[[i, j]] - v).abs() < 1e-8,
                        "({i},{j}) {} vs {v}",
                        approx[[i, j]]
                    );
                }
            }
            // Components are orthonormal rows.
            let vvt = svd.components.dot(&svd.components.t());
            for i in 0..vvt.nrows() {
                for j in 0..vvt.ncols() {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!(
                        (vvt[[i, j]] - want).abs() < 1e-8,
                        "V Vᵀ [{i},{j}] = {}",
                        vvt[[i, j]]
                    );
                }
            }
            let total: f64 = svd.explained_variance_ratio.iter().sum();
            assert!(total <= 1.0 + 1e-9 && total > 0.9, "{total}");
        }
    }
}
