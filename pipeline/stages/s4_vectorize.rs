//! Stage 4, vectorize: passage bags into a sparse TF-IDF matrix (CSR), with scikit-learn's
//! `TfidfVectorizer` semantics: document frequencies over passages, `min_df`/`max_df` cut-offs
//! (counts or fractions, inclusive as scikit-learn applies them), `max_features` by total term
//! frequency (ties by term order), raw or sublinear tf, smooth or plain idf, l2/l1/no row norm.
//!
//! Columns are the kept terms in vocabulary (key) order. Rows are built in parallel; each row
//! depends only on its bag, so the matrix is the same for any thread count.

use rayon::prelude::*;

use crate::artifacts::Norm;
use crate::artifacts::{Bag, Matrix, TermId, TfIdf, Tokens, Vocabulary};
use crate::config::VectorizeConfig;
use crate::error::{Error, Location, Result};

/// Rows weighed at a time while the matrix is built.
const ROW_BLOCK: usize = 65_536;

/// Fits the TF-IDF weighting of all passages.
pub fn vectorize(tokens: &Tokens, cfg: &VectorizeConfig) -> Result<TfIdf> {
    let words: u64 = tokens.word_counts.iter().map(|&c| c as u64).sum();
    fit(&tokens.vocabulary, tokens.bags.len(), words, cfg)
}

/// Fits the weighting from the vocabulary's counts alone: each term's passages are its
/// document frequency, and `passages` and `words` are the corpus' passages and word tokens.
/// Counts merged from shards ([`crate::artifacts::Vocabulary`] summed term by term) fit the
/// weighting the whole corpus would.
pub fn fit(
    vocabulary: &Vocabulary,
    passages: usize,
    words: u64,
    cfg: &VectorizeConfig,
) -> Result<TfIdf> {
    let n = passages;
    let terms = &vocabulary.terms;
    let min_df = cfg.min_df(n);
    let max_df = cfg.max_df.resolve(n);
    let (mut dropped_min_df, mut dropped_max_df) = (0, 0);
    let mut kept: Vec<TermId> = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        let df = t.passages as f64;
        if df < min_df {
            dropped_min_df += 1;
        } else if df > max_df {
            dropped_max_df += 1;
        } else {
            kept.push(i as TermId);
        }
    }
    let mut dropped_max_features = 0;
    if let Some(limit) = cfg.max_features {
        if kept.len() > limit {
            let mut by_tf = kept.clone();
            // Stable sort: equal totals keep term order, as numpy's stable argsort does.
            by_tf.sort_by(|&a, &b| terms[b as usize].count.cmp(&terms[a as usize].count));
            by_tf.truncate(limit);
            by_tf.sort_unstable();
            dropped_max_features = kept.len() - limit;
            kept = by_tf;
        }
    }
    if kept.is_empty() {
        let in_terms: u64 = terms
            .iter()
            .filter(|t| !t.kind.is_phrase())
            .map(|t| t.count)
            .sum();
        if in_terms * 20 < words || terms.is_empty() {
            // Not a pruning problem: the text has (almost) no words the analyzer reads as
            // terms, which is what text in another language or script looks like.
            return Err(Error::input(
                Location::file("[tokenize] language"),
                format!(
                    "the text has almost no {:?} words: of {words} word tokens in {n} passages, \
                     {in_terms} became terms (the rest are stop words, single letters or \
                     numbers), and none is left after pruning",
                    vocabulary.language
                ),
                "check the corpus' language and pass it with --language (`--language auto` \
                 detects it; Chinese is `--language chinese`); characters_not_read_by_script in \
                 run.json counts text in other scripts. Japanese and Thai, written without \
                 spaces between words, are not segmented into words yet",
            ));
        }
        return Err(Error::input(
            Location::file("[vectorize] min_df, max_df"),
            format!(
                "after pruning no terms remain ({} terms, {n} passages; min_df {min_df} passages, \
                 max_df {:?})",
                terms.len(),
                cfg.max_df
            ),
            "lower vectorize.min_df or raise vectorize.max_df",
        ));
    }
    let mut column = vec![u32::MAX; terms.len()];
    for (c, &t) in kept.iter().enumerate() {
        column[t as usize] = c as u32;
    }
    let nf = n as f64;
    let idf: Vec<f64> = kept
        .iter()
        .map(|&t| {
            let df = terms[t as usize].passages as f64;
            if cfg.smooth_idf {
                ((1.0 + nf) / (1.0 + df)).ln() + 1.0
            } else {
                (nf / df).ln() + 1.0
            }
        })
        .collect();

    // A bag holds each term once, so a feature's passages are its non-zeros.
    let nonzeros: usize = kept
        .iter()
        .map(|&t| terms[t as usize].passages as usize)
        .sum();
    Ok(TfIdf {
        passages: n,
        nonzeros,
        columns: column,
        features: kept,
        idf,
        dropped_min_df,
        dropped_max_df,
        dropped_max_features,
        weighting: cfg.weighting(),
    })
}

impl TfIdf {
    /// The matrix of `bags` (term ids of the vocabulary the weighting was fitted on): with the
    /// fitted features and idf, as scikit-learn's `transform` does, terms that are not features
    /// left out and each row normalised as at fitting. Of a run's own bags, it is the matrix
    /// the topics are fitted on.
    pub fn transform(&self, bags: &[Bag]) -> Matrix {
        self.transform_rows(bags, 0..bags.len())
    }

    /// The matrix of the bags at `rows`, in that order.
    pub fn transform_rows(
        &self,
        bags: &[Bag],
        rows: impl ExactSizeIterator<Item = usize> + Clone,
    ) -> Matrix {
        let bags: Vec<&Bag> = rows.map(|r| &bags[r]).collect();
        self.transform_bags(&bags)
    }

    /// The matrix of `bags`, a row each, in order.
    pub fn transform_bags<B: std::borrow::Borrow<Bag> + Sync>(&self, bags: &[B]) -> Matrix {
        let nnz: usize = bags
            .iter()
            .map(|b| {
                b.borrow()
                    .iter()
                    .filter(|&&(t, _)| self.column(t).is_some())
                    .count()
            })
            .sum();
        let n = bags.len();
        // Rows are weighed a block at a time into arrays sized once, so that the matrix is
        // never held twice (as rows and as arrays).
        let mut indptr = Vec::with_capacity(n + 1);
        indptr.push(0);
        let mut indices = Vec::with_capacity(nnz);
        let mut data = Vec::with_capacity(nnz);
        for block in bags.chunks(ROW_BLOCK) {
            let weighed: Vec<(Vec<u32>, Vec<f64>)> =
                block.par_iter().map(|b| row(b.borrow(), self)).collect();
            for (i, d) in weighed {
                indices.extend(i);
                data.extend(d);
                indptr.push(indices.len());
            }
        }
        Matrix::new((n, self.features.len()), indptr, indices, data)
    }
}

fn row(bag: &Bag, tfidf: &TfIdf) -> (Vec<u32>, Vec<f64>) {
    let mut idx = Vec::with_capacity(bag.len());
    let mut val = Vec::with_capacity(bag.len());
    tfidf.weigh(bag, &mut idx, &mut val);
    (idx, val)
}

impl TfIdf {
    /// The row of `bag` (its features' columns, ascending, and their weights) into `idx` and
    /// `val`, which are cleared first: one row of [`TfIdf::transform_bags`], without a matrix.
    pub fn weigh(&self, bag: &Bag, idx: &mut Vec<u32>, val: &mut Vec<f64>) {
        idx.clear();
        val.clear();
        let cfg = self.weighting;
        for &(t, count) in bag {
            let Some(c) = self.column(t) else {
                continue;
            };
            let tf = if cfg.sublinear_tf {
                1.0 + (count as f64).ln()
            } else {
                count as f64
            };
            idx.push(c);
            val.push(tf * self.idf[c as usize]);
        }
        let norm = match cfg.norm {
            Norm::L2 => val.iter().map(|v| v * v).sum::<f64>().sqrt(),
            Norm::L1 => val.iter().map(|v| v.abs()).sum::<f64>(),
            Norm::None => 1.0,
        };
        if norm > 0.0 {
            val.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::{Term, TermKind, Vocabulary};
    use crate::config::Df;

    fn tokens(bags: Vec<Bag>) -> Tokens {
        let n_terms = bags
            .iter()
            .flatten()
            .map(|&(t, _)| t + 1)
            .max()
            .unwrap_or(0);
        let terms = (0..n_terms)
            .map(|t| {
                let (mut count, mut passages) = (0, 0);
                for b in &bags {
                    if let Some(&(_, c)) = b.iter().find(|&&(x, _)| x == t) {
                        count += c as u64;
                        passages += 1;
                    }
                }
                Term {
                    key: format!("t{t}"),
                    surface: format!("t{t}"),
                    kind: TermKind::Word,
                    score: None,
                    count,
                    documents: passages,
                    passages,
                }
            })
            .collect();
        Tokens {
            vocabulary: Vocabulary {
                terms,
                folded: vec![],
                language: Default::default(),
                connectors: vec![],
                stop_words: vec![],
                stemmed: false,
                user_words: vec![],
            },
            word_counts: vec![1; bags.len()],
            markup_words: 0,
            unread_characters: vec![],
            unmatched_synonyms: vec![],
            bags,
        }
    }

    fn plain() -> VectorizeConfig {
        VectorizeConfig {
            min_df: Some(Df::Count(1)),
            max_df: Df::Fraction(1.0),
            max_features: None,
            sublinear_tf: false,
            smooth_idf: true,
            norm: Norm::L2,
        }
    }

    #[test]
    fn matches_hand_computed_sklearn_values() {
        // Passages: [t0 t0 t1], [t1 t2], [t0]  -> sklearn TfidfVectorizer(smooth_idf=True, norm='l2')
        let t = tokens(vec![
            vec![(0, 2), (1, 1)],
            vec![(1, 1), (2, 1)],
            vec![(0, 1)],
        ]);
        let m = vectorize(&t, &plain()).unwrap();
        let idf01 = (4.0f64 / 3.0).ln() + 1.0;
        let idf2 = (4.0f64 / 2.0).ln() + 1.0;
        assert!((m.idf[0] - idf01).abs() < 1e-12 && (m.idf[2] - idf2).abs() < 1e-12);
        let (a, b) = (2.0 * idf01, idf01);
        let norm = (a * a + b * b).sqrt();
        let matrix = m.transform(&t.bags);
        let row0 = matrix.outer_view(0).unwrap();
        assert!((row0.get(0).unwrap() - a / norm).abs() < 1e-12);
        assert!((row0.get(1).unwrap() - b / norm).abs() < 1e-12);
        assert!((matrix.outer_view(2).unwrap().get(0).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(m.nonzeros, matrix.nnz());
        // Any rows, in any order, are those rows of the whole matrix.
        let picked = m.transform_rows(&t.bags, [2, 0].into_iter());
        assert_eq!(picked.rows(), 2);
        assert_eq!(picked.outer_view(0), matrix.outer_view(2));
        assert_eq!(picked.outer_view(1), matrix.outer_view(0));
    }

    #[test]
    fn df_cutoffs_and_max_features() {
        let t = tokens(vec![
            vec![(0, 5), (1, 1)],
            vec![(0, 1), (2, 1)],
            vec![(0, 1), (2, 2)],
        ]);
        let mut cfg = plain();
        cfg.min_df = Some(Df::Count(2));
        let m = vectorize(&t, &cfg).unwrap();
        assert_eq!(m.features, vec![0, 2]);
        assert_eq!(m.dropped_min_df, 1);
        cfg.max_df = Df::Fraction(0.9);
        let m = vectorize(&t, &cfg).unwrap();
        assert_eq!(m.features, vec![2]);
        assert_eq!(m.dropped_max_df, 1);
        let mut cfg = plain();
        cfg.max_features = Some(1);
        assert_eq!(vectorize(&t, &cfg).unwrap().features, vec![0]);
        cfg.min_df = Some(Df::Count(4));
        assert!(vectorize(&t, &cfg)
            .unwrap_err()
            .to_string()
            .contains("no terms remain"));
    }

    #[test]
    fn sublinear_tf_and_unsmoothed_idf() {
        let t = tokens(vec![vec![(0, 3)], vec![(1, 1)]]);
        let cfg = VectorizeConfig {
            sublinear_tf: true,
            smooth_idf: false,
            norm: Norm::None,
            ..plain()
        };
        let m = vectorize(&t, &cfg).unwrap();
        let want = (1.0 + 3f64.ln()) * (2f64.ln() + 1.0);
        assert!((m.transform(&t.bags).outer_view(0).unwrap().get(0).unwrap() - want).abs() < 1e-12);
    }
}
