//! Contrasts: the terms rising and falling most between two periods, by log-odds with an
//! informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), the pieces of one name folded
//! into one row.

use std::collections::HashMap;

use rayon::prelude::*;

use super::counts::PeriodCounts;
use crate::artifacts::{Change, Contrast, PeriodStats, Span, TermId, Vocabulary};
use crate::config::TrendsConfig;

/// The two sides of the earliest–latest contrast: from each end of the non-empty periods
/// (`filled`), periods are pooled inward until the side holds at least `share` of the corpus'
/// word tokens. Sides that would meet split the corpus instead: the earlier side takes
/// periods while it holds less than half the tokens, the later side the rest. None with fewer
/// than two non-empty periods.
pub(super) fn ends(stats: &[PeriodStats], filled: &[usize], share: f64) -> Option<(Span, Span)> {
    let (&first, &last) = (filled.first()?, filled.last()?);
    if first == last {
        return None;
    }
    let total: u64 = filled.iter().map(|&p| stats[p].tokens).sum();
    let enough = |held: u64| held as f64 >= share * total as f64;
    // The index into `filled` at which a side pooled from its end has enough.
    let n = filled.len();
    let reach = |order: Vec<usize>| {
        let mut held = 0;
        order.into_iter().find(|&i| {
            held += stats[filled[i]].tokens;
            enough(held)
        })
    };
    let a = reach((0..n).collect()).unwrap_or(n - 1);
    let b = reach((0..n).rev().collect()).unwrap_or(0);
    let (a, b) = if a < b {
        (a, b)
    } else {
        // `k` periods on the earlier side: those before the one holding the middle token.
        let (mut held, mut k) = (0, 0);
        while k + 1 < n && 2 * (held + stats[filled[k]].tokens) < total {
            held += stats[filled[k]].tokens;
            k += 1;
        }
        let k = k.max(1);
        (k - 1, k)
    };
    Some((
        Span {
            first,
            last: filled[a],
        },
        Span {
            first: filled[b],
            last,
        },
    ))
}

/// Each pair of adjacent periods with documents, then the earliest periods against the
/// latest (`ends`): the `top_changes` terms rising and falling most by log-odds z, among the
/// `listed` terms used at least `min_change_count` times in the two sides.
pub(super) fn contrasts(
    filled: &[usize],
    ends: Option<(Span, Span)>,
    terms: &[TermId],
    listed: &(dyn Fn(TermId) -> bool + Sync),
    counts: &PeriodCounts,
    vocab: &Vocabulary,
    cfg: &TrendsConfig,
) -> Vec<Contrast> {
    let mut pairs: Vec<(Span, Span)> = filled
        .windows(2)
        .map(|w| (Span::one(w[0]), Span::one(w[1])))
        .collect();
    if let Some(ends) = ends {
        if !pairs.contains(&ends) {
            pairs.push(ends);
        }
    }
    pairs
        .par_iter()
        .map(|&(a, b)| {
            let mut changes = log_odds(terms, counts, a, b, vocab, cfg.min_change_count);
            changes.retain(|c| listed(c.term));
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

/// Log-odds with an informative Dirichlet prior from the whole corpus, side `a` to `b`.
pub(super) fn log_odds(
    terms: &[TermId],
    counts: &PeriodCounts,
    a: Span,
    b: Span,
    vocab: &Vocabulary,
    min_count: u64,
) -> Vec<Change> {
    let get = |s: Span, t: TermId| s.periods().map(|p| counts.get(p, t).count).sum::<u64>() as f64;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::{Period, PeriodUnit};

    /// Yearly periods from 2000 holding these word tokens (0: a gap).
    fn years(tokens: &[u64]) -> (Vec<PeriodStats>, Vec<usize>) {
        let stats: Vec<PeriodStats> = tokens
            .iter()
            .enumerate()
            .map(|(i, &n)| PeriodStats {
                period: Period::Calendar {
                    unit: PeriodUnit::Year,
                    year: 2000 + i as i32,
                    sub: 0,
                },
                documents: u32::from(n > 0),
                passages: u32::from(n > 0),
                tokens: n,
                thin: n > 0,
            })
            .collect();
        let filled = (0..tokens.len()).filter(|&p| tokens[p] > 0).collect();
        (stats, filled)
    }

    fn sides(tokens: &[u64], share: f64) -> Option<((usize, usize), (usize, usize))> {
        let (stats, filled) = years(tokens);
        ends(&stats, &filled, share).map(|(a, b)| ((a.first, a.last), (b.first, b.last)))
    }

    #[test]
    fn ends_holding_enough_text_are_the_first_and_last_periods() {
        assert_eq!(sides(&[30, 10, 10, 10, 40], 0.1), Some(((0, 0), (4, 4))));
        // A share of 0 always compares the first period with the last.
        assert_eq!(sides(&[1, 500, 500, 1], 0.0), Some(((0, 0), (3, 3))));
    }

    #[test]
    fn thin_ends_pool_periods_inward_past_gaps_until_they_hold_the_share() {
        // 900 tokens: the earlier side needs 2000–2003 (5 + 0 + 20 + 80 = 105 ≥ 90), the later
        // side 2008–2009 (60 + 45).
        let tokens = [5, 0, 20, 80, 300, 300, 40, 50, 60, 45];
        assert_eq!(tokens.iter().sum::<u64>(), 900);
        assert_eq!(sides(&tokens, 0.1), Some(((0, 3), (8, 9))));
        let (stats, _) = years(&tokens);
        let (a, b) = ends(&stats, &[0, 2, 3, 4, 5, 6, 7, 8, 9], 0.1).unwrap();
        assert_eq!(
            (a.label(&stats), b.label(&stats)),
            ("2000–2003".into(), "2008–2009".into())
        );
    }

    #[test]
    fn sides_that_would_meet_split_the_corpus_at_its_middle_token() {
        // Each side would need three of the four periods: the earlier side takes the periods
        // before the one holding the middle token (30 + 20 < 60 of 120), the later the rest.
        assert_eq!(sides(&[30, 20, 40, 30], 0.6), Some(((0, 1), (2, 3))));
        // The first period alone holds the middle token: it is the earlier side.
        assert_eq!(sides(&[70, 20, 30], 0.9), Some(((0, 0), (1, 2))));
        // The last period holds it: the later side is that period.
        assert_eq!(sides(&[10, 10, 100], 0.9), Some(((0, 1), (2, 2))));
    }

    #[test]
    fn a_corpus_in_one_period_has_no_ends() {
        assert_eq!(sides(&[0, 50, 0], 0.1), None);
        assert_eq!(sides(&[], 0.1), None);
    }
}
