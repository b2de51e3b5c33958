//! Labelling a class of passages (a topic, or a topic within one period) by its best terms,
//! without spending a label's places on the pieces of one name.

use crate::artifacts::{TermId, Vocabulary};

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
/// share of its passages in the class: a piece used almost only inside the longer term ("Nam"
/// in "Viet Nam") adds nothing, while one used on its own a fifth of the time or more ("mln"
/// beside "mln vs") keeps its place. Mean NPMI of the top 10 terms (`benches/cluster-eval
/// --coherence`, median of seeds 1–5; UNGD by passage at k = 20) with 0.5 → 0.8: BBC 0.3897 →
/// 0.3882, AG 0.2020 → 0.2011, Reuters R8 0.3674 → 0.4045, UNGD 0.3881 → 0.4116.
const SUBSUMED_SHARE: f64 = 0.8;

/// A class's label: its `n` best terms by weight, except that a term used in the class mostly
/// as part of a longer term among the candidates ("Nam" in "Viet Nam", "per" in "per cent")
/// gives way to it, so that a label does not spend its places on the pieces of one name.
/// `count(c)` is (proportional to) the occurrences of column `c` in the class.
pub fn label_terms(
    weights: &[f64],
    count: impl Fn(usize) -> f64,
    features: &[TermId],
    vocabulary: &Vocabulary,
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
