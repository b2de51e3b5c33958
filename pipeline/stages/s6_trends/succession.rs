//! Succession: pairs of terms where one falls while the other rises and the two are used in
//! the same contexts — the machine's answer to "what replaced what", found without being told
//! which terms to watch.
//!
//! A term *falls* at a handover between two non-empty periods when, pooling the periods
//! before and after it, its log-odds z-score with the corpus prior ([`super::log_odds_z`]) is
//! at most −`succession_z` and its effect — the drop of its mean rate, each period's rate
//! scaled by the term's peak, so 1 is "all of its use before, none after" — is at least
//! `MIN_EFFECT`; it *rises* symmetrically. Each term's best handover in each direction (by
//! effect) decides which periods its profile is read from: before a fall, after a rise.
//!
//! Shared contexts are judged across the handover: the falling term's co-occurrence profile
//! before its fall against the rising term's after its rise, by cosine. A term that takes over
//! another's role keeps its company ("mankind" before, "humankind" after, both with "future",
//! "survival"), while terms of one era that merely stand together do not count, since one
//! side is always read in the other era. Profiles are weighted by positive pointwise mutual
//! information on tokens against the same periods' base rates (see [`Profiles`]).
//!
//! A pair's score is `similarity × drop × rise`, drop and rise taken at the one handover where
//! their product is largest (reported as the pair's handover). A pair is offered only when it
//! passes every gate, precision before recall: similar company (`SOME_CONTEXTS`, and one topic
//! or `CLOSE_CONTEXTS`); one event (both terms turn for good within a short window of the
//! handover); the same slots in a sentence ([`slots`], `SAME_SLOTS`); the falling term gone
//! to under `REMAINS` of its peak after it (replaced, not joined by a newcomer); and each term
//! the other's best match. Pairs whose words contain each
//! other ("security", "data security") are skipped: they share contexts by construction. Each
//! term (or a term whose words contain its own or are contained in them: "Antonio" and
//! "Antonio Guterres") takes part in at most one pair as the falling term and one as the
//! rising.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::artifacts::{Corpus, Passages, PeriodStats, Succession, TermId, Tokens, Topics};
use crate::config::TrendsConfig;

use super::{log_odds_z, slots, PeriodCounts};

/// Candidates at most per direction, by effect.
const CANDIDATES: usize = 1500;
/// The smallest effect (change of the peak-scaled mean rate) that counts as a fall or a rise.
const MIN_EFFECT: f64 = 0.5;
/// Context dimensions: the terms in the most passages.
const CONTEXTS: usize = 2000;
/// Contexts kept per profile, the heaviest: a term's signature, without the long tail of
/// slight lifts that makes every pair of profiles look alike.
const PROFILE_TOP: usize = 100;
/// Best pairs kept per falling term before the ranking (each term leads one pair at most).
const PER_FALLING: usize = 10;
/// Shared contexts listed per pair.
const SHARED: usize = 5;
/// The similarity of contexts that makes two terms of different topics a pair: with less, a
/// pair needs both terms in one topic.
const CLOSE_CONTEXTS: f64 = 0.5;
/// The least similarity of contexts for any pair, one topic or not: on UNGD by year the pairs
/// below it that shared a topic ("imperialist → democracy", 0.17; "people of Namibia →
/// interaction", 0.15) read as two unrelated changes of one era.
const SOME_CONTEXTS: f64 = 0.4;
/// The least similarity of slots ([`slots`]) for any pair: on UNGD by decade, the renamings
/// and successors (Committee → Conference on Disarmament, Organization of African Unity →
/// African Union, one Secretary-General after another) score 0.15–0.45; terms of one kind that
/// did not replace each other (two countries, "apartheid" and "terrorism") 0.09–0.14, and
/// pairs of unlike terms under 0.08.
const SAME_SLOTS: f64 = 0.15;
/// The most of its peak rate a falling term may keep, on average, over the window after the
/// handover: a replaced term goes out of use; one that stays at a third of its peak (Iraq in
/// the 2010s, "Palestinian people" in the 1990s) was not replaced but joined.
const REMAINS: f64 = 0.25;

/// A term falling or rising at its best handover.
struct Side {
    /// Index into the eligible terms.
    term: usize,
    /// Handover: index into the filled periods of the first period after it.
    h: usize,
    z: f64,
    effect: f64,
}

/// The ranked successions among `candidates` (of `terms`, the terms with per-period rows, which
/// all inform the prior).
#[allow(clippy::too_many_arguments)]
pub fn succession(
    corpus: &Corpus,
    periods: &[PeriodStats],
    doc_period: &[usize],
    passages: &Passages,
    terms: &[TermId],
    candidates: &[TermId],
    counts: &PeriodCounts,
    turns: &HashMap<TermId, Vec<(usize, bool)>>,
    tokens: &Tokens,
    topics: &Topics,
    cfg: &TrendsConfig,
) -> Vec<Succession> {
    let vocab = &tokens.vocabulary;
    let filled: Vec<usize> = (0..periods.len())
        .filter(|&p| periods[p].documents > 0 && periods[p].tokens > 0)
        .collect();
    if filled.len() < 2 || cfg.succession_pairs == 0 {
        return Vec::new();
    }
    let count = |p: usize, t: TermId| counts.get(&(p as u32, t)).map_or(0, |c| c.0);
    let eligible: Vec<TermId> = candidates
        .iter()
        .copied()
        .filter(|&t| {
            vocab.terms[t as usize].count >= cfg.succession_min_count
                && !crate::stages::s3_tokenize::mentions_date(vocab, t)
        })
        .collect();
    let alpha0: f64 = terms
        .iter()
        .map(|&t| vocab.terms[t as usize].count as f64)
        .sum();
    let tokens_of = |ps: &[usize]| ps.iter().map(|&p| periods[p].tokens).sum::<u64>() as f64;

    // Per eligible term: its rate per filled period scaled by its peak, and at each handover
    // its change (mean after − mean before, over `window` periods either side: 2 by decade, 10
    // by year over 79 years) and z.
    let window = filled.len().div_ceil(8).max(2);
    // One event: both terms' own sharpest changes lie within this many handovers of the
    // pair's (1 by decade over a century, 3 by year over 79 years).
    let one_event = (filled.len() / 20).max(1);
    let around = |h: usize| {
        (
            &filled[h.saturating_sub(window)..h],
            &filled[h..(h + window).min(filled.len())],
        )
    };
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let changes: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> = eligible
        .par_iter()
        .map(|&t| {
            let rates: Vec<f64> = filled
                .iter()
                .map(|&p| count(p, t) as f64 / periods[p].tokens as f64)
                .collect();
            let peak = rates.iter().copied().fold(0.0, f64::max);
            let scaled: Vec<f64> = rates
                .iter()
                .map(|r| if peak > 0.0 { r / peak } else { 0.0 })
                .collect();
            let alpha = vocab.terms[t as usize].count as f64;
            let (change, z) = (1..filled.len())
                .map(|h| {
                    let (before, after) = around(h);
                    let y_b: u64 = before.iter().map(|&p| count(p, t)).sum();
                    let y_a: u64 = after.iter().map(|&p| count(p, t)).sum();
                    let z = log_odds_z(
                        y_b as f64,
                        tokens_of(before),
                        y_a as f64,
                        tokens_of(after),
                        alpha,
                        alpha0,
                    );
                    let lo = h.saturating_sub(window);
                    let hi = (h + window).min(filled.len());
                    (mean(&scaled[h..hi]) - mean(&scaled[lo..h]), z)
                })
                .unzip();
            (change, z, scaled)
        })
        .collect();
    // Each term's best fall and best rise.
    let side = |i: usize, sign: f64| -> Option<Side> {
        let (change, z, _) = &changes[i];
        (0..change.len())
            .filter(|&h| sign * z[h] >= cfg.succession_z && sign * change[h] >= MIN_EFFECT)
            .max_by(|&a, &b| {
                (sign * change[a])
                    .total_cmp(&(sign * change[b]))
                    .then(b.cmp(&a))
            })
            .map(|h| Side {
                term: i,
                h: h + 1,
                z: z[h],
                effect: sign * change[h],
            })
    };
    let pick = |sign: f64| -> Vec<Side> {
        let mut v: Vec<Side> = (0..eligible.len()).filter_map(|i| side(i, sign)).collect();
        v.sort_by(|a, b| {
            b.effect
                .total_cmp(&a.effect)
                .then(b.z.abs().total_cmp(&a.z.abs()))
                .then(a.term.cmp(&b.term))
        });
        v.truncate(CANDIDATES);
        v
    };
    let (falling, rising) = (pick(-1.0), pick(1.0));
    if falling.is_empty() || rising.is_empty() {
        return Vec::new();
    }

    // Profiles: a falling term before its fall, a rising term after its rise.
    let reads: Vec<(TermId, Vec<usize>)> = falling
        .iter()
        .map(|f| (eligible[f.term], around(f.h).0.to_vec()))
        .chain(
            rising
                .iter()
                .map(|r| (eligible[r.term], around(r.h).1.to_vec())),
        )
        .collect();
    let profiles = Profiles::new(tokens, passages, doc_period, periods.len(), &reads);
    let nf = falling.len();
    // Rising profiles by context, to gather each falling term's cosines sparsely.
    let mut by_context: Vec<Vec<(u32, f64)>> = vec![Vec::new(); profiles.contexts.len()];
    for (j, row) in profiles.rows[nf..].iter().enumerate() {
        for &(d, w) in row {
            by_context[d as usize].push((j as u32, w));
        }
    }

    // Score every pair at the handover where drop × rise is largest.
    let mut ranked: Vec<(f64, usize, usize, usize, f64)> = (0..nf)
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut cosine = vec![0.0; rising.len()];
            for &(d, w) in &profiles.rows[i] {
                for &(j, v) in &by_context[d as usize] {
                    cosine[j as usize] += w * v;
                }
            }
            let f = &falling[i];
            let drop = &changes[f.term];
            let mut scored: Vec<(f64, usize, usize, usize, f64)> = rising
                .iter()
                .enumerate()
                .filter(|&(j, _)| cosine[j] > 0.0)
                .filter_map(|(j, r)| {
                    let rise = &changes[r.term];
                    let (h, time) = (0..drop.0.len())
                        .filter(|&h| {
                            drop.1[h] <= -cfg.succession_z
                                && rise.1[h] >= cfg.succession_z
                                && (h + 1).abs_diff(f.h) <= one_event
                                && (h + 1).abs_diff(r.h) <= one_event
                        })
                        .map(|h| (h, (-drop.0[h]).max(0.0) * rise.0[h].max(0.0)))
                        .fold((0, 0.0), |b, x| if x.1 > b.1 { x } else { b });
                    (time > 0.0).then_some((cosine[j] * time, i, j, h + 1, cosine[j]))
                })
                .collect();
            scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(&y.2)));
            let a = eligible[f.term];
            let key = |t: TermId| vocab.terms[t as usize].key.as_str();
            scored
                .into_iter()
                .filter(|s| {
                    let b = eligible[rising[s.2].term];
                    a != b && !overlapping(key(a), key(b))
                })
                .take(PER_FALLING)
                .collect::<Vec<_>>()
        })
        .collect();
    ranked.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));

    let topic_of = dominant_topics(topics, vocab.terms.len());
    let same_topic = |a: TermId, b: TermId| {
        topic_of[a as usize].is_some() && topic_of[a as usize] == topic_of[b as usize]
    };
    // One event: the falling term turns down for good, and the rising term up, within
    // `one_event` handovers of each other and of the pair's handover.
    let position = |p: usize| filled.partition_point(|&f| f < p);
    let at = |t: TermId, up: bool| -> Vec<usize> {
        turns.get(&t).map_or(Vec::new(), |v| {
            v.iter()
                .filter(|x| x.1 == up)
                .map(|x| position(x.0))
                .collect()
        })
    };
    let one_event_at = |a: TermId, b: TermId, h: usize| {
        let (downs, ups) = (at(a, false), at(b, true));
        downs
            .iter()
            .any(|&d| d.abs_diff(h) <= one_event && ups.iter().any(|&u| u.abs_diff(d) <= one_event))
    };
    // What the falling term keeps after the handover: its mean peak-scaled rate over the
    // window after it.
    let remains = |i: usize, h: usize| {
        let scaled = &changes[falling[i].term].2;
        mean(&scaled[h..(h + window).min(filled.len())])
    };
    let terms_of = |i: usize, j: usize| (eligible[falling[i].term], eligible[rising[j].term]);
    let passing: Vec<(f64, usize, usize, usize, f64)> = ranked
        .into_iter()
        .filter(|&(_, i, j, h, similarity)| {
            let (a, b) = terms_of(i, j);
            similarity >= SOME_CONTEXTS
                && (same_topic(a, b) || similarity >= CLOSE_CONTEXTS)
                && one_event_at(a, b, h)
                && remains(i, h) <= REMAINS
        })
        .collect();
    // Slots: the rising term stands where the falling one stood.
    let slot_reads: Vec<usize> = {
        let mut v: Vec<usize> = passing.iter().flat_map(|p| [p.1, nf + p.2]).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let slot_profiles = slots::slot_profiles(
        corpus,
        passages,
        tokens,
        doc_period,
        &slot_reads
            .iter()
            .map(|&r| reads[r].clone())
            .collect::<Vec<_>>(),
    );
    let slot_of = |r: usize| &slot_profiles[slot_reads.binary_search(&r).unwrap()];
    let passing: Vec<(f64, usize, usize, usize, f64, f64)> = passing
        .into_iter()
        .map(|(score, i, j, h, similarity)| {
            let slots = slots::cosine(slot_of(i), slot_of(nf + j));
            (score, i, j, h, similarity, slots)
        })
        .filter(|p| p.5 >= SAME_SLOTS)
        .collect();
    // Mutual best: the rising term is the falling term's best partner and the other way
    // round (a renamed body has one successor; a word that merely rose in the same region of
    // the vocabulary is some other term's better match).
    let mut best_falling: HashMap<usize, usize> = HashMap::new();
    let mut best_rising: HashMap<usize, usize> = HashMap::new();
    for (c, &(_, i, j, _, _, _)) in passing.iter().enumerate() {
        best_falling.entry(i).or_insert(c);
        best_rising.entry(j).or_insert(c);
    }
    let mut used_falling = Vec::new();
    let mut used_rising = Vec::new();
    let mut out = Vec::new();
    for (c, &(score, i, j, h, similarity, slots)) in passing.iter().enumerate() {
        if out.len() == cfg.succession_pairs {
            break;
        }
        if best_falling[&i] != c || best_rising[&j] != c {
            continue;
        }
        let (a, b) = terms_of(i, j);
        let same_topic = same_topic(a, b);
        let key = |t: TermId| vocab.terms[t as usize].key.as_str();
        if used_falling.iter().any(|&u| overlapping(key(u), key(a)))
            || used_rising.iter().any(|&u| overlapping(key(u), key(b)))
        {
            continue;
        }
        used_falling.push(a);
        used_rising.push(b);
        let series = |t: TermId| (0..periods.len()).map(|p| count(p, t)).collect();
        let shared = shared_contexts(&profiles.rows[i], &profiles.rows[nf + j], SHARED);
        out.push(Succession {
            falling: a,
            rising: b,
            handover: filled[h],
            score,
            similarity,
            slots,
            z_falling: changes[falling[i].term].1[h - 1],
            z_rising: changes[rising[j].term].1[h - 1],
            same_topic,
            counts_falling: series(a),
            counts_rising: series(b),
            contexts: shared
                .into_iter()
                .map(|d| profiles.contexts[d as usize])
                .collect(),
        });
    }
    out
}

/// The contexts that contribute most to two sparse profiles' cosine, best first.
fn shared_contexts(a: &[(u32, f64)], b: &[(u32, f64)], n: usize) -> Vec<u32> {
    let mut d: Vec<(f64, u32)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                d.push((a[i].1 * b[j].1, a[i].0));
                i += 1;
                j += 1;
            }
        }
    }
    d.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    d.into_iter().take(n).map(|(_, c)| c).collect()
}

/// Whether one term's words all occur in the other's (keys are stems joined by spaces).
pub(super) fn overlapping(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    wa.iter().all(|w| wb.contains(w)) || wb.iter().all(|w| wa.contains(w))
}

/// Each term's topic: the topic whose c-TF-IDF weights it most; `None` outside the features.
fn dominant_topics(topics: &Topics, n_terms: usize) -> Vec<Option<u32>> {
    let model = &topics.class_tfidf;
    let mut out = vec![None; n_terms];
    if model.weights.nrows() == 0 {
        return out;
    }
    for (j, &t) in model.features.iter().enumerate() {
        let column = model.weights.column(j);
        let (best, &w) =
            column
                .iter()
                .enumerate()
                .fold((0, &0.0), |b, (i, w)| if *w > *b.1 { (i, w) } else { b });
        if w > 0.0 {
            out[t as usize] = Some(best as u32);
        }
    }
    out
}

/// Co-occurrence profiles of terms, each read over its own periods, over the context terms
/// (the terms in the most passages): for context `c`, the positive log of `c`'s rate among the
/// tokens of the term's passages in those periods over `c`'s base rate in the same periods
/// (PPMI on tokens). Counting tokens on both sides cancels the pull of long passages, which
/// hold more of everything; base rates of the same periods cancel what an era talks about
/// anyway. A context sharing a word with the term is left out (its lift is trivial), as is
/// one seen fewer than twice with it. Rows keep their `PROFILE_TOP` heaviest contexts and are
/// L2-normalised.
struct Profiles {
    /// Context term of each dimension.
    contexts: Vec<TermId>,
    /// One row per read: (context, weight) by context, the `PROFILE_TOP` heaviest kept.
    rows: Vec<Vec<(u32, f64)>>,
}

impl Profiles {
    fn new(
        tokens: &Tokens,
        passages: &Passages,
        doc_period: &[usize],
        periods: usize,
        reads: &[(TermId, Vec<usize>)],
    ) -> Profiles {
        let vocab = &tokens.vocabulary;
        let mut by_spread: Vec<TermId> = (0..vocab.terms.len() as TermId).collect();
        by_spread.sort_by_key(|&t| (std::cmp::Reverse(vocab.terms[t as usize].passages), t));
        by_spread.truncate(CONTEXTS);
        let contexts = by_spread;
        let width = contexts.len();
        let mut dim = vec![u32::MAX; vocab.terms.len()];
        contexts
            .iter()
            .enumerate()
            .for_each(|(d, &t)| dim[t as usize] = d as u32);
        let mut wanted = vec![u32::MAX; vocab.terms.len()];
        let mut distinct: Vec<TermId> = reads.iter().map(|r| r.0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        distinct
            .iter()
            .enumerate()
            .for_each(|(i, &t)| wanted[t as usize] = i as u32);
        let period_of = |i: usize| doc_period[passages.passages[i].doc as usize];

        // In one pass: the passages holding each term by period, the base rates per period,
        // and each passage's context tokens (dimension, count) with its token mass.
        let stride = width + 1;
        let mut postings: Vec<Vec<Vec<u32>>> = vec![vec![Vec::new(); periods]; distinct.len()];
        let mut base = vec![0u64; periods * stride];
        let mut starts = Vec::with_capacity(tokens.bags.len() + 1);
        let mut entries: Vec<(u32, u32)> = Vec::new();
        let mut masses = Vec::with_capacity(tokens.bags.len());
        for (i, bag) in tokens.bags.iter().enumerate() {
            let p = period_of(i);
            let line = &mut base[p * stride..(p + 1) * stride];
            starts.push(entries.len());
            let mut mass = 0u64;
            for &(t, n) in bag {
                mass += n as u64;
                if dim[t as usize] != u32::MAX {
                    line[dim[t as usize] as usize] += n as u64;
                    entries.push((dim[t as usize], n));
                }
                if wanted[t as usize] != u32::MAX {
                    postings[wanted[t as usize] as usize][p].push(i as u32);
                }
            }
            line[width] += mass;
            masses.push(mass);
        }
        starts.push(entries.len());
        let rows = reads
            .par_iter()
            .map(|(term, ps)| {
                let mut co = vec![0u64; stride];
                for &p in ps {
                    for &i in &postings[wanted[*term as usize] as usize][p] {
                        let i = i as usize;
                        co[width] += masses[i];
                        for &(d, n) in &entries[starts[i]..starts[i + 1]] {
                            co[d as usize] += n as u64;
                        }
                    }
                }
                let mut pooled = vec![0u64; stride];
                for &p in ps {
                    pooled
                        .iter_mut()
                        .zip(&base[p * stride..(p + 1) * stride])
                        .for_each(|(x, &y)| *x += y);
                }
                let own: Vec<&str> = vocab.terms[*term as usize].key.split(' ').collect();
                let (mass, total) = (co[width] as f64, pooled[width] as f64);
                let v: Vec<f64> = (0..width)
                    .map(|d| {
                        if co[d] < 2 || pooled[d] == 0 {
                            return 0.0;
                        }
                        let key = &vocab.terms[contexts[d] as usize].key;
                        if key.split(' ').any(|w| own.contains(&w)) {
                            return 0.0;
                        }
                        let lift = (co[d] as f64 / mass) / (pooled[d] as f64 / total);
                        lift.ln().max(0.0)
                    })
                    .collect();
                let mut sparse: Vec<(u32, f64)> = v
                    .iter()
                    .enumerate()
                    .filter(|(_, &x)| x > 0.0)
                    .map(|(d, &x)| (d as u32, x))
                    .collect();
                if sparse.len() > PROFILE_TOP {
                    sparse.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                    sparse.truncate(PROFILE_TOP);
                    sparse.sort_by_key(|x| x.0);
                }
                let norm = sparse.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
                sparse.iter_mut().for_each(|x| x.1 /= norm);
                sparse
            })
            .collect();
        Profiles { contexts, rows }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::{Topics, Trends};
    use crate::config::TokenizeConfig;
    use crate::stages::s3_tokenize::tokenize;
    use crate::stages::s6_trends::trends;
    use crate::test_support::corpus;

    /// Ten yearly documents: "telegraph" gives way to "email" in the same company (office,
    /// message, wire); "harvest" fades and "satellite" rises, each in company of its own. After
    /// the handover, "telegraph" keeps `kept` of its 30 uses per document.
    fn handover_corpus(kept: usize) -> Vec<String> {
        (0..10)
            .map(|i| {
                let (word, old_topic) = if i < 5 {
                    ("telegraph", "harvest farm crop rain field barn")
                } else {
                    ("email", "satellite orbit launch rocket space station")
                };
                (0..30)
                    .map(|r| {
                        // After the handover, the first `kept` repeats still say "telegraph".
                        let word = if i >= 5 && r < kept {
                            "telegraph"
                        } else {
                            word
                        };
                        [
                            format!("the office sent a {word} message over the wire to the clerk."),
                            "budget report meeting agenda minutes weather.".to_string(),
                            format!("{old_topic}."),
                            "lunch coffee garden weather holiday.".to_string(),
                        ]
                        .join("\n\n")
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n")
            })
            .collect()
    }

    /// The successions trends finds in `texts` (one passage per paragraph), by name.
    fn pairs_in(texts: &[String]) -> (Trends, Tokens) {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = corpus(&refs);
        let mut passages = Vec::new();
        for (d, doc) in corpus.documents.iter().enumerate() {
            let mut at = 0;
            for (index, para) in doc.text.split("\n\n").enumerate() {
                passages.push(crate::artifacts::Passage {
                    doc: d as u32,
                    index: index as u32,
                    range: at..at + para.len(),
                });
                at += para.len() + 2;
            }
        }
        let passages = crate::artifacts::Passages {
            passages,
            removed: vec![],
        };
        let tokens = tokenize(&corpus, &passages, &TokenizeConfig::default());
        let topics = Topics::none(passages.passages.len());
        let t = trends(
            &corpus,
            &passages,
            &tokens,
            &topics,
            &TrendsConfig::default(),
            1,
        )
        .unwrap();
        (t, tokens)
    }

    /// The (falling, rising) pairs of a run, by name, best first.
    fn named(t: &Trends, tokens: &Tokens) -> Vec<(String, String)> {
        let name = |id: TermId| tokens.vocabulary.terms[id as usize].surface.clone();
        t.succession
            .iter()
            .map(|s| (name(s.falling), name(s.rising)))
            .collect()
    }

    #[test]
    fn a_replacement_in_the_same_company_is_found_and_ranked_first() {
        let (t, tokens) = pairs_in(&handover_corpus(0));
        let name = |id: TermId| tokens.vocabulary.terms[id as usize].surface.clone();
        let pairs = named(&t, &tokens);
        assert_eq!(pairs[0], ("telegraph".into(), "email".into()), "{pairs:?}");
        let top = &t.succession[0];
        assert_eq!(t.periods[top.handover].period.to_string(), "2005");
        assert!(top.z_falling <= -1.96 && top.z_rising >= 1.96);
        assert!(top.slots > 0.9, "{}", top.slots);
        assert_eq!(top.counts_falling, [30, 30, 30, 30, 30, 0, 0, 0, 0, 0]);
        let shared: Vec<String> = top.contexts.iter().map(|&c| name(c)).collect();
        assert!(shared.contains(&"message".to_string()), "{shared:?}");
        // Each term leads one pair at most.
        let falling: Vec<&String> = pairs.iter().map(|p| &p.0).collect();
        assert_eq!(falling.iter().filter(|f| ***f == "telegraph").count(), 1);
    }

    #[test]
    fn a_term_that_stays_in_use_was_joined_not_replaced() {
        // "telegraph" falls from 30 to 12 uses a document (40% of its peak): still a fall by
        // z and effect, but it is not gone, so "email" did not take its place.
        let (t, tokens) = pairs_in(&handover_corpus(12));
        let pairs = named(&t, &tokens);
        assert!(pairs.iter().all(|p| p.0 != "telegraph"), "{pairs:?}");
        // With 5 uses kept (17%), it was replaced.
        let (t, tokens) = pairs_in(&handover_corpus(5));
        let pairs = named(&t, &tokens);
        assert!(
            pairs.contains(&("telegraph".into(), "email".into())),
            "{pairs:?}"
        );
    }

    #[test]
    fn terms_whose_words_contain_each_other_overlap() {
        assert!(overlapping("secur", "data secur"));
        assert!(overlapping("data secur", "secur"));
        assert!(!overlapping("cybersecur", "data secur"));
        assert!(overlapping("data", "data"));
    }
}
