//! Contrasts: the terms rising and falling most between two periods, by log-odds with an
//! informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), the pieces of one name folded
//! into one row.

use std::collections::HashMap;

use rayon::prelude::*;

use super::counts::PeriodCounts;
use crate::artifacts::{Change, Contrast, TermId, Vocabulary};
use crate::config::TrendsConfig;

/// Each pair of adjacent periods with documents, then the first against the last: the
/// `top_changes` terms rising and falling most by log-odds z, among terms used at least
/// `min_change_count` times in the two.
pub(super) fn contrasts(
    filled: &[usize],
    terms: &[TermId],
    counts: &PeriodCounts,
    vocab: &Vocabulary,
    cfg: &TrendsConfig,
) -> Vec<Contrast> {
    let mut pairs: Vec<(usize, usize)> = filled.windows(2).map(|w| (w[0], w[1])).collect();
    if let (Some(&a), Some(&b)) = (filled.first(), filled.last()) {
        if a != b && !pairs.contains(&(a, b)) {
            pairs.push((a, b));
        }
    }
    pairs
        .par_iter()
        .map(|&(a, b)| {
            let changes = log_odds(terms, counts, a, b, vocab, cfg.min_change_count);
            let up = |x: &Change, y: &Change| y.z.total_cmp(&x.z).then(x.term.cmp(&y.term));
            let down = |x: &Change, y: &Change| x.z.total_cmp(&y.z).then(x.term.cmp(&y.term));
            // The pieces of one name ("Viet Nam", "Nam", "Viet") are one row, as in bursts.
            let fold =
                |mut list: Vec<Change>, order: &dyn Fn(&Change, &Change) -> std::cmp::Ordering| {
                    list.sort_by(order);
                    list.truncate(4 * cfg.top_changes);
                    let mut list = fold_variants(
                        list,
                        |c| c.term,
                        |c| c.z.abs(),
                        |_, _| true,
                        order,
                        |t| vocab.terms[t as usize].key.as_str(),
                        |t| vocab.terms[t as usize].count,
                    );
                    list.truncate(cfg.top_changes);
                    list
                };
            let rising = fold(changes.iter().filter(|c| c.z > 0.0).cloned().collect(), &up);
            let falling = fold(changes.into_iter().filter(|c| c.z < 0.0).collect(), &down);
            Contrast {
                from: a,
                to: b,
                rising,
                falling,
            }
        })
        .collect()
}

/// Log-odds with an informative Dirichlet prior from the whole corpus, period `a` to `b`.
pub(super) fn log_odds(
    terms: &[TermId],
    counts: &PeriodCounts,
    a: usize,
    b: usize,
    vocab: &Vocabulary,
    min_count: u64,
) -> Vec<Change> {
    let get = |p: usize, t: TermId| counts.get(p, t).count as f64;
    let n_a: f64 = terms.iter().map(|&t| get(a, t)).sum();
    let n_b: f64 = terms.iter().map(|&t| get(b, t)).sum();
    let alpha0: f64 = terms
        .iter()
        .map(|&t| vocab.terms[t as usize].count as f64)
        .sum();
    terms
        .iter()
        .filter_map(|&t| {
            let (ya, yb) = (get(a, t), get(b, t));
            if ((ya + yb) as u64) < min_count {
                return None;
            }
            let alpha = vocab.terms[t as usize].count as f64;
            Some(Change {
                term: t,
                z: log_odds_z(ya, n_a, yb, n_b, alpha, alpha0),
                count_from: ya as u64,
                count_to: yb as u64,
                mix: None,
            })
        })
        .collect()
}

/// Monroe et al.'s z-score of the change from group i (`y_i` of `n_i`) to group j, with prior
/// pseudo-count `alpha` for the term and `alpha0` in all.
pub fn log_odds_z(y_i: f64, n_i: f64, y_j: f64, n_j: f64, alpha: f64, alpha0: f64) -> f64 {
    let lo = |y: f64, n: f64| ((y + alpha) / (n + alpha0 - y - alpha)).ln();
    let delta = lo(y_j, n_j) - lo(y_i, n_i);
    let var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha);
    delta / var.sqrt()
}

/// Folds, in a ranked list, the items of terms that are pieces or extensions of one another
/// ("Ghali", "Boutros Ghali", "Boutros Boutros Ghali"; `count` is a term's corpus count) and
/// describe the same event (`same`) into one, named by the family's longest term among the items scoring at least 90%
/// of its best; the rest of the family leaves the list. The result is re-ranked by `order`.
pub(super) fn fold_variants<'k, T: Clone>(
    ranked: Vec<T>,
    term: impl Fn(&T) -> TermId,
    score: impl Fn(&T) -> f64,
    same: impl Fn(&T, &T) -> bool,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
    key: impl Fn(TermId) -> &'k str,
    count: impl Fn(TermId) -> u64,
) -> Vec<T> {
    let words: Vec<Vec<&str>> = ranked
        .iter()
        .map(|x| key(term(x)).split(' ').collect())
        .collect();
    let holds = |a: &[&str], b: &[&str]| a.iter().all(|w| b.contains(w));
    let variants = |j: usize, k: usize| {
        (holds(&words[j], &words[k]) || holds(&words[k], &words[j])) && same(&ranked[j], &ranked[k])
    };
    // Union–find: two items are one family when one's term holds the other's, for the same
    // event, and the longer term has at least half the shorter's count, so the piece is mostly
    // used inside it ("Ki moon" inside "Ban Ki moon"). A common piece does not chain events:
    // "development agenda" is far more frequent than "post 2015 development agenda", so it ties
    // that agenda (2012–2015) to no other. Items holding one another share a word, so only
    // items sharing a word are compared.
    let n = ranked.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for k in 0..n {
        let mut earlier: Vec<usize> = words[k]
            .iter()
            .flat_map(|w| by_word.get(w).into_iter().flatten().copied())
            .collect();
        earlier.sort_unstable();
        earlier.dedup();
        for j in earlier {
            let (short, long) = if words[j].len() <= words[k].len() {
                (j, k)
            } else {
                (k, j)
            };
            let mostly_inside = 2 * count(term(&ranked[long])) >= count(term(&ranked[short]));
            if mostly_inside && variants(j, k) {
                let (a, b) = (root(&mut parent, j), root(&mut parent, k));
                parent[a.max(b)] = a.min(b);
            }
        }
        for &w in &words[k] {
            by_word.entry(w).or_default().push(k);
        }
    }
    let mut families: Vec<Vec<T>> = Vec::new();
    let mut family_of: HashMap<usize, usize> = HashMap::new();
    for (k, item) in ranked.iter().enumerate() {
        let r = root(&mut parent, k);
        let f = *family_of.entry(r).or_insert_with(|| {
            families.push(Vec::new());
            families.len() - 1
        });
        families[f].push(item.clone());
    }
    let mut out: Vec<T> = families
        .into_iter()
        .map(|f| {
            let best = score(&f[0]);
            let words = |m: &T| key(term(m)).split(' ').count();
            f.iter()
                .filter(|m| score(m) >= 0.9 * best)
                .max_by(|a, b| words(a).cmp(&words(b)).then(term(b).cmp(&term(a))))
                .expect("the best item qualifies")
                .clone()
        })
        .collect();
    out.sort_by(order);
    out
}
