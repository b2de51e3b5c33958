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

use crate::artifacts::{PeriodStats, Succession, TermId, Topics, Vocabulary};
use crate::config::TrendsConfig;

use super::contrasts::log_odds_z;
use super::counts::PeriodCounts;
use super::passes::Passes;
use super::profiles::{ProfileSpec, Profiles};
use super::slots;
use crate::error::Result;

/// Candidates at most per direction, by effect.
const CANDIDATES: usize = 1500;
/// The smallest effect (change of the peak-scaled mean rate) that counts as a fall or a rise.
const MIN_EFFECT: f64 = 0.5;
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

/// What successions read: the vocabulary, the passes over the corpus, its periods, and each
/// term's uses and lasting turns.
pub struct Inputs<'a> {
    /// The vocabulary.
    pub vocab: &'a Vocabulary,
    /// The passes over the corpus' shards (co-occurrence and slot profiles).
    pub passes: &'a dyn Passes,
    /// Stage 5 (each term's topic).
    pub topics: &'a Topics,
    /// The periods.
    pub periods: &'a [PeriodStats],
    /// Each term's uses per period.
    pub counts: &'a PeriodCounts,
    /// Each term's lasting turns at half the shift span: (first period, whether a rise).
    pub turns: &'a HashMap<TermId, Vec<(usize, bool)>>,
}

/// The filled periods (with documents and tokens), and the windows handovers are read over.
struct Handovers {
    /// Periods with documents and tokens; handover `h` comes before `filled[h]`.
    filled: Vec<usize>,
    /// Periods read on each side of a handover (2 by decade, 10 by year over 79 years).
    window: usize,
    /// One event: both terms' own sharpest changes lie within this many handovers of the
    /// pair's (1 by decade over a century, 3 by year over 79 years).
    one_event: usize,
}

impl Handovers {
    fn new(periods: &[PeriodStats]) -> Handovers {
        let filled: Vec<usize> = (0..periods.len())
            .filter(|&p| periods[p].documents > 0 && periods[p].tokens > 0)
            .collect();
        let window = filled.len().div_ceil(8).max(2);
        let one_event = (filled.len() / 20).max(1);
        Handovers {
            filled,
            window,
            one_event,
        }
    }

    /// The filled periods before and after handover `h`, `window` each at most.
    fn around(&self, h: usize) -> (&[usize], &[usize]) {
        let (lo, hi) = self.bounds(h);
        (&self.filled[lo..h], &self.filled[h..hi])
    }

    /// Where the windows of handover `h` start and end, as indices into the filled periods.
    fn bounds(&self, h: usize) -> (usize, usize) {
        (
            h.saturating_sub(self.window),
            (h + self.window).min(self.filled.len()),
        )
    }
}

/// The sums of `values` up to each place: `sums[i]` is the sum of the first `i`. A window's
/// sum is the difference of two, the same integer its own additions give.
fn running_sums(values: impl Iterator<Item = u64>) -> Vec<u64> {
    std::iter::once(0)
        .chain(values.scan(0u64, |sum, v| {
            *sum += v;
            Some(*sum)
        }))
        .collect()
}

fn mean(s: &[f64]) -> f64 {
    s.iter().sum::<f64>() / s.len() as f64
}

/// A term's change at each handover `1..filled` (index `h - 1`): its effect (mean peak-scaled
/// rate after − before) and log-odds z; and its peak-scaled rate per filled period.
struct TermChange {
    effect: Vec<f64>,
    z: Vec<f64>,
    scaled: Vec<f64>,
}

/// A term falling or rising at its best handover.
struct Side {
    /// Index into the eligible terms.
    term: usize,
    /// Handover: index into the filled periods of the first period after it.
    h: usize,
    z: f64,
    effect: f64,
}

/// A falling and a rising term (indices into their [`Side`] lists) at handover `h`.
#[derive(Clone, Copy)]
struct Pair {
    score: f64,
    falling: usize,
    rising: usize,
    h: usize,
    /// Cosine of their co-occurrence profiles.
    similarity: f64,
    /// Cosine of their slot profiles, once read.
    slots: f64,
}

/// The ranked successions among `candidates` (of `terms`, the terms with per-period rows, which
/// all inform the prior).
pub fn succession(
    inp: &Inputs,
    terms: &[TermId],
    candidates: &[TermId],
    cfg: &TrendsConfig,
) -> Result<Vec<Succession>> {
    let vocab = inp.vocab;
    let hand = Handovers::new(inp.periods);
    if hand.filled.len() < 2 || cfg.succession_pairs == 0 {
        return Ok(Vec::new());
    }
    let eligible: Vec<TermId> = candidates
        .iter()
        .copied()
        .filter(|&t| {
            vocab.terms[t as usize].count >= cfg.succession_min_count
                && !crate::text::mentions_date(vocab, t)
        })
        .collect();
    let changes = term_changes(inp, &hand, terms, &eligible);
    let (falling, rising) = (
        sides(&changes, -1.0, cfg.succession_z),
        sides(&changes, 1.0, cfg.succession_z),
    );
    if falling.is_empty() || rising.is_empty() {
        return Ok(Vec::new());
    }
    // Profiles: a falling term before its fall, a rising term after its rise.
    let reads: Vec<(TermId, Vec<usize>)> = falling
        .iter()
        .map(|f| (eligible[f.term], hand.around(f.h).0.to_vec()))
        .chain(
            rising
                .iter()
                .map(|r| (eligible[r.term], hand.around(r.h).1.to_vec())),
        )
        .collect();
    let spec = ProfileSpec::new(vocab, &reads);
    let profiles = Profiles::of(
        &spec,
        &inp.passes.profiles(&spec, inp.periods.len())?,
        vocab,
    );
    let sided = Sided {
        eligible: &eligible,
        falling: &falling,
        rising: &rising,
        changes: &changes,
    };
    let ranked = rank_pairs(&sided, &profiles, &hand, vocab, cfg.succession_z);
    let passing = same_event(inp, &sided, &hand, ranked);
    let passing = same_slots(inp, &reads, falling.len(), passing)?;
    Ok(mutual_best(
        inp,
        &sided,
        &hand,
        &profiles,
        &passing,
        cfg.succession_pairs,
    ))
}

/// Each eligible term's [`TermChange`].
fn term_changes(
    inp: &Inputs,
    hand: &Handovers,
    terms: &[TermId],
    eligible: &[TermId],
) -> Vec<TermChange> {
    let vocab = inp.vocab;
    let (periods, filled) = (inp.periods, &hand.filled);
    let alpha0: f64 = terms
        .iter()
        .map(|&t| vocab.terms[t as usize].count as f64)
        .sum();
    let tokens = running_sums(filled.iter().map(|&p| periods[p].tokens));
    eligible
        .par_iter()
        .map(|&t| {
            let counts: Vec<u64> = filled.iter().map(|&p| inp.counts.get(p, t).count).collect();
            let rates: Vec<f64> = filled
                .iter()
                .zip(&counts)
                .map(|(&p, &c)| c as f64 / periods[p].tokens as f64)
                .collect();
            let peak = rates.iter().copied().fold(0.0, f64::max);
            let scaled: Vec<f64> = rates
                .iter()
                .map(|r| if peak > 0.0 { r / peak } else { 0.0 })
                .collect();
            let sums = running_sums(counts.iter().copied());
            let alpha = vocab.terms[t as usize].count as f64;
            let (effect, z) = (1..filled.len())
                .map(|h| {
                    let (lo, hi) = hand.bounds(h);
                    let z = log_odds_z(
                        (sums[h] - sums[lo]) as f64,
                        (tokens[h] - tokens[lo]) as f64,
                        (sums[hi] - sums[h]) as f64,
                        (tokens[hi] - tokens[h]) as f64,
                        alpha,
                        alpha0,
                    );
                    (mean(&scaled[h..hi]) - mean(&scaled[lo..h]), z)
                })
                .unzip();
            TermChange { effect, z, scaled }
        })
        .collect()
}

/// Each term's best fall (`sign` −1) or best rise (+1), the [`CANDIDATES`] largest by effect.
fn sides(changes: &[TermChange], sign: f64, min_z: f64) -> Vec<Side> {
    let side = |i: usize| -> Option<Side> {
        let c = &changes[i];
        (0..c.effect.len())
            .filter(|&h| sign * c.z[h] >= min_z && sign * c.effect[h] >= MIN_EFFECT)
            .max_by(|&a, &b| {
                (sign * c.effect[a])
                    .total_cmp(&(sign * c.effect[b]))
                    .then(b.cmp(&a))
            })
            .map(|h| Side {
                term: i,
                h: h + 1,
                z: c.z[h],
                effect: sign * c.effect[h],
            })
    };
    let mut v: Vec<Side> = (0..changes.len()).filter_map(side).collect();
    v.sort_by(|a, b| {
        b.effect
            .total_cmp(&a.effect)
            .then(b.z.abs().total_cmp(&a.z.abs()))
            .then(a.term.cmp(&b.term))
    });
    v.truncate(CANDIDATES);
    v
}

/// The falling and rising sides, with the terms and changes they index.
struct Sided<'a> {
    eligible: &'a [TermId],
    falling: &'a [Side],
    rising: &'a [Side],
    changes: &'a [TermChange],
}

impl Sided<'_> {
    /// The terms of a pair.
    fn terms(&self, p: &Pair) -> (TermId, TermId) {
        (
            self.eligible[self.falling[p.falling].term],
            self.eligible[self.rising[p.rising].term],
        )
    }
}

/// Every pair with shared contexts, scored at the handover where drop × rise is largest (both
/// clear, and within one event of each term's own best), the [`PER_FALLING`] best of each
/// falling term, best first.
fn rank_pairs(
    s: &Sided,
    profiles: &Profiles,
    hand: &Handovers,
    vocab: &Vocabulary,
    min_z: f64,
) -> Vec<Pair> {
    let nf = s.falling.len();
    // Rising profiles by context, to gather each falling term's cosines sparsely.
    let mut by_context: Vec<Vec<(u32, f64)>> = vec![Vec::new(); profiles.contexts.len()];
    for (j, row) in profiles.rows[nf..].iter().enumerate() {
        for &(d, w) in row {
            by_context[d as usize].push((j as u32, w));
        }
    }
    let key = |t: TermId| vocab.terms[t as usize].key.as_str();
    let mut ranked: Vec<Pair> = (0..nf)
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut cosine = vec![0.0; s.rising.len()];
            for &(d, w) in &profiles.rows[i] {
                for &(j, v) in &by_context[d as usize] {
                    cosine[j as usize] += w * v;
                }
            }
            let f = &s.falling[i];
            let drop = &s.changes[f.term];
            let mut scored: Vec<Pair> = s
                .rising
                .iter()
                .enumerate()
                .filter(|&(j, _)| cosine[j] > 0.0)
                .filter_map(|(j, r)| {
                    let rise = &s.changes[r.term];
                    let (h, time) = (0..drop.effect.len())
                        .filter(|&h| {
                            drop.z[h] <= -min_z
                                && rise.z[h] >= min_z
                                && (h + 1).abs_diff(f.h) <= hand.one_event
                                && (h + 1).abs_diff(r.h) <= hand.one_event
                        })
                        .map(|h| (h, (-drop.effect[h]).max(0.0) * rise.effect[h].max(0.0)))
                        .fold((0, 0.0), |b, x| if x.1 > b.1 { x } else { b });
                    (time > 0.0).then_some(Pair {
                        score: cosine[j] * time,
                        falling: i,
                        rising: j,
                        h: h + 1,
                        similarity: cosine[j],
                        slots: 0.0,
                    })
                })
                .collect();
            scored.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.rising.cmp(&y.rising)));
            let a = s.eligible[f.term];
            scored
                .into_iter()
                .filter(|p| {
                    let b = s.eligible[s.rising[p.rising].term];
                    a != b && !overlapping(key(a), key(b))
                })
                .take(PER_FALLING)
                .collect::<Vec<_>>()
        })
        .collect();
    ranked.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.falling, x.rising).cmp(&(y.falling, y.rising)))
    });
    ranked
}

/// The pairs that read as one replacement: similar company (one topic, or close contexts),
/// one event (the falling term turns down for good, and the rising term up, within
/// `one_event` handovers of each other and of the pair's handover), and the falling term gone
/// out of use after it.
fn same_event(inp: &Inputs, s: &Sided, hand: &Handovers, ranked: Vec<Pair>) -> Vec<Pair> {
    let topic_of = dominant_topics(inp.topics, inp.vocab.terms.len());
    let same_topic = |a: TermId, b: TermId| {
        topic_of[a as usize].is_some() && topic_of[a as usize] == topic_of[b as usize]
    };
    let position = |p: usize| hand.filled.partition_point(|&f| f < p);
    let at = |t: TermId, up: bool| -> Vec<usize> {
        inp.turns.get(&t).map_or(Vec::new(), |v| {
            v.iter()
                .filter(|x| x.1 == up)
                .map(|x| position(x.0))
                .collect()
        })
    };
    let one_event_at = |a: TermId, b: TermId, h: usize| {
        let (downs, ups) = (at(a, false), at(b, true));
        downs.iter().any(|&d| {
            d.abs_diff(h) <= hand.one_event && ups.iter().any(|&u| u.abs_diff(d) <= hand.one_event)
        })
    };
    // What the falling term keeps after the handover: its mean peak-scaled rate over the
    // window after it.
    let remains = |i: usize, h: usize| {
        let scaled = &s.changes[s.falling[i].term].scaled;
        mean(&scaled[h..(h + hand.window).min(hand.filled.len())])
    };
    ranked
        .into_iter()
        .filter(|p| {
            let (a, b) = s.terms(p);
            p.similarity >= SOME_CONTEXTS
                && (same_topic(a, b) || p.similarity >= CLOSE_CONTEXTS)
                && one_event_at(a, b, p.h)
                && remains(p.falling, p.h) <= REMAINS
        })
        .collect()
}

/// The pairs whose rising term stands where the falling one stood ([`slots`]), with their slot
/// similarity.
fn same_slots(
    inp: &Inputs,
    reads: &[(TermId, Vec<usize>)],
    nf: usize,
    passing: Vec<Pair>,
) -> Result<Vec<Pair>> {
    let slot_reads: Vec<usize> = {
        let mut v: Vec<usize> = passing
            .iter()
            .flat_map(|p| [p.falling, nf + p.rising])
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let slot_profiles = inp.passes.slots(
        inp.vocab,
        &slot_reads
            .iter()
            .map(|&r| reads[r].clone())
            .collect::<Vec<_>>(),
    )?;
    let slot_of = |r: usize| &slot_profiles[slot_reads.binary_search(&r).unwrap()];
    Ok(passing
        .into_iter()
        .map(|p| Pair {
            slots: slots::cosine(slot_of(p.falling), slot_of(nf + p.rising)),
            ..p
        })
        .filter(|p| p.slots >= SAME_SLOTS)
        .collect())
}

/// The successions: pairs whose rising term is the falling term's best partner and the other
/// way round (a renamed body has one successor; a word that merely rose in the same region of
/// the vocabulary is some other term's better match), each term (and any term holding its
/// words) in one pair a side at most, `max` pairs at most.
fn mutual_best(
    inp: &Inputs,
    s: &Sided,
    hand: &Handovers,
    profiles: &Profiles,
    passing: &[Pair],
    max: usize,
) -> Vec<Succession> {
    let vocab = inp.vocab;
    let topic_of = dominant_topics(inp.topics, vocab.terms.len());
    let nf = s.falling.len();
    let mut best_falling: HashMap<usize, usize> = HashMap::new();
    let mut best_rising: HashMap<usize, usize> = HashMap::new();
    for (c, p) in passing.iter().enumerate() {
        best_falling.entry(p.falling).or_insert(c);
        best_rising.entry(p.rising).or_insert(c);
    }
    let key = |t: TermId| vocab.terms[t as usize].key.as_str();
    let mut used_falling = Vec::new();
    let mut used_rising = Vec::new();
    let mut out = Vec::new();
    for (c, p) in passing.iter().enumerate() {
        if out.len() == max {
            break;
        }
        if best_falling[&p.falling] != c || best_rising[&p.rising] != c {
            continue;
        }
        let (a, b) = s.terms(p);
        if used_falling.iter().any(|&u| overlapping(key(u), key(a)))
            || used_rising.iter().any(|&u| overlapping(key(u), key(b)))
        {
            continue;
        }
        used_falling.push(a);
        used_rising.push(b);
        let series = |t: TermId| {
            (0..inp.periods.len())
                .map(|q| inp.counts.get(q, t).count)
                .collect()
        };
        let shared = shared_contexts(
            &profiles.rows[p.falling],
            &profiles.rows[nf + p.rising],
            SHARED,
        );
        out.push(Succession {
            falling: a,
            rising: b,
            handover: hand.filled[p.h],
            score: p.score,
            similarity: p.similarity,
            slots: p.slots,
            z_falling: s.changes[s.falling[p.falling].term].z[p.h - 1],
            z_rising: s.changes[s.rising[p.rising].term].z[p.h - 1],
            same_topic: topic_of[a as usize].is_some()
                && topic_of[a as usize] == topic_of[b as usize],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::{Tokens, Topics, Trends};
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
            for (index, para) in doc.text().split("\n\n").enumerate() {
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
