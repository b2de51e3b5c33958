//! Stage 4, vectorize, hands on a [`TfIdf`] matrix.

use serde::{Deserialize, Serialize};

use super::TermId;

/// Compressed sparse rows with 32-bit column indices: 12 bytes a non-zero weight instead of
/// sprs's default 16 (a 5 GB corpus has some 150 million).
pub type Matrix = sprs::CsMatI<f64, u32, usize>;

/// A fitted TF-IDF weighting: the features, their idf and how counts are weighed. The matrix
/// itself (one row per passage, one column per feature) is not kept: each row depends only on
/// its passage's bag, so it is weighed again when asked ([`TfIdf::transform`], or a block of
/// rows at a time). At 5 GB of text the matrix was 4 GB, held beside the bags it comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TfIdf {
    /// Rows of the matrix (passages).
    pub passages: usize,
    /// Non-zero weights of the matrix.
    pub nonzeros: usize,
    /// The column of each vocabulary term, `u32::MAX` for a term that is no feature.
    pub columns: Vec<u32>,
    /// The vocabulary term behind each column.
    pub features: Vec<TermId>,
    /// Inverse document frequency of each column.
    pub idf: Vec<f64>,
    /// Terms left out for occurring in fewer than `min_df` passages.
    pub dropped_min_df: usize,
    /// Terms left out for occurring in more than `max_df` passages.
    pub dropped_max_df: usize,
    /// Terms left out by the `max_features` limit.
    pub dropped_max_features: usize,
    /// How counts were weighed at fitting: [`TfIdf::transform`] weighs new bags the same way.
    pub weighting: Weighting,
}

/// How a passage's counts become a row, besides the idf: the term-frequency transform and the
/// row normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weighting {
    /// `1 + ln(tf)` instead of raw counts.
    pub sublinear_tf: bool,
    /// Row normalisation.
    pub norm: Norm,
}

impl TfIdf {
    /// The column of term `t`, if it is a feature (a term id past the fitted vocabulary is
    /// none).
    pub fn column(&self, t: TermId) -> Option<u32> {
        self.columns
            .get(t as usize)
            .copied()
            .filter(|&c| c != u32::MAX)
    }
}

/// Row normalisation of the TF-IDF matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    /// Euclidean unit rows.
    L2,
    /// Rows summing to 1 in absolute value.
    L1,
    /// No normalisation.
    None,
}
