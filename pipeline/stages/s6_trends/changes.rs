//! Bursts and shifts of every topical term, counted in documents (or in passages when periods
//! hold few documents), ranked and with the pieces of one name folded; and each term's lasting
//! turns, which successions read.

use std::collections::HashMap;

use rayon::prelude::*;

use super::contrasts::fold_variants;
use super::counts::PeriodCounts;
use super::{bursts, shifts};
use crate::artifacts::{Burst, Counted, PeriodStats, Shift, TermId, Vocabulary};
use crate::config::TrendsConfig;

/// Documents the median period with documents must hold for bursts and shifts to count
/// documents; below it they count passages. With 20 documents a one-period episode can stand
/// out (a term in 8 of 20 where it is usually in 1) and one document is a twentieth of its
/// period; with a handful, no count of documents separates an episode from chance.
const MIN_DOCUMENTS: u32 = 20;

/// What bursts and shifts count (see [`MIN_DOCUMENTS`]).
pub(super) fn counted_unit(periods: &[PeriodStats]) -> Counted {
    let mut documents: Vec<u32> = periods
        .iter()
        .map(|p| p.documents)
        .filter(|&d| d > 0)
        .collect();
    documents.sort_unstable();
    match documents.get(documents.len() / 2) {
        Some(&median) if median >= MIN_DOCUMENTS => Counted::Documents,
        _ => Counted::Passages,
    }
}

/// One term's bursts, shifts, and turns (the first period of each lasting change at half the
/// span, and whether it is a rise) for successions.
struct TermChanges {
    term: TermId,
    bursts: Vec<Burst>,
    shifts: Vec<Shift>,
    turns: Vec<(usize, bool)>,
}

/// A shift's two levels must differ by a z of at least this (p < 0.001 two-sided): with
/// thousands of terms tried, a looser bar lets chance changes of rare terms through.
const SHIFT_Z: f64 = 3.29;

/// The bursts and shifts of the topical terms, and their turns.
pub(super) struct Changes {
    /// What bursts and shifts count.
    pub(super) counted: Counted,
    /// Bursts by score, ongoing ones among the rest; `top_bursts` at most.
    pub(super) bursts: Vec<Burst>,
    /// Shifts by |z|; `top_bursts` at most.
    pub(super) shifts: Vec<Shift>,
    /// Each term's lasting turns at half the span: (first period, whether a rise).
    pub(super) turns: HashMap<TermId, Vec<(usize, bool)>>,
}

/// Finds the bursts, shifts and turns of `topical` terms over `periods` (`filled`: those with
/// documents). Terms that name a date or number have no bursts, unless `exempt` (tracked).
pub(super) fn find(
    topical: &[TermId],
    exempt: &[TermId],
    counts: &PeriodCounts,
    periods: &[PeriodStats],
    filled: &[usize],
    vocab: &Vocabulary,
    cfg: &TrendsConfig,
) -> Changes {
    let counted = counted_unit(periods);
    let unit_totals: Vec<u64> = periods
        .iter()
        .map(|p| match counted {
            Counted::Documents => p.documents as u64,
            Counted::Passages => p.passages as u64,
        })
        .collect();
    let (first, last) = (
        filled.first().copied().unwrap_or(0),
        filled.last().copied().unwrap_or(0),
    );
    let span = shifts::min_span(filled.len());
    // Successions read a term's turns at half the span, so that a handover near the end of the
    // timeline (a Secretary-General's last years) still shows as one.
    let turn_span = (span / 2).max(1);
    let per_term: Vec<TermChanges> = topical
        .par_iter()
        .map(|&t| {
            let relevant: Vec<u64> = (0..periods.len())
                .map(|p| {
                    let c = counts.get(p, t);
                    match counted {
                        Counted::Documents => c.documents as u64,
                        Counted::Passages => c.passages as u64,
                    }
                })
                .collect();
            // Calendar and number furniture ("fiscal year 1947", "FY") is no episode, as in
            // successions; a tracked term is shown whatever it is.
            let bursts = if exempt.contains(&t) || !crate::text::mentions_date(vocab, t) {
                bursts::bursts(&relevant, &unit_totals, cfg.burst_s, cfg.burst_gamma)
            } else {
                Vec::new()
            };
            let shifts = shifts::shifts(t, &relevant, &unit_totals, span, cfg.burst_s, SHIFT_Z);
            let bursts = bursts
                .into_iter()
                .map(|b| {
                    let (ongoing, from_start) = (b.end == last, b.start == first);
                    let periods = filled
                        .iter()
                        .filter(|&&p| p >= b.start && p <= b.end)
                        .count();
                    let per_passage = per_passage(counts, t, (b.start, b.end));
                    Burst {
                        term: t,
                        start: b.start,
                        end: b.end,
                        level: b.level,
                        weight: b.weight,
                        lift: b.lift,
                        concentration: b.concentration,
                        share: b.share,
                        periods,
                        score: b.score(periods as f64 / filled.len().max(1) as f64, per_passage),
                        per_passage,
                        uses: b.uses,
                        expected: b.expected,
                        top_stratum: None,
                        ongoing,
                        from_start,
                        lasting: part_of_lasting_change(
                            (b.start, b.end),
                            (ongoing, from_start),
                            &shifts,
                            (first, last),
                        ),
                        one_voice: false,
                    }
                })
                .collect();
            let turns = shifts::shifts(t, &relevant, &unit_totals, turn_span, cfg.burst_s, SHIFT_Z)
                .into_iter()
                .map(|s| (s.to, s.after > s.before))
                .collect();
            TermChanges {
                term: t,
                bursts,
                shifts,
                turns,
            }
        })
        .collect();
    let mut found = Vec::with_capacity(per_term.len());
    let mut shifts = Vec::with_capacity(per_term.len());
    let mut turns: HashMap<TermId, Vec<(usize, bool)>> = HashMap::new();
    for c in per_term {
        found.push(c.bursts);
        shifts.push(c.shifts);
        turns.insert(c.term, c.turns);
    }
    Changes {
        counted,
        bursts: rank_bursts(found.into_iter().flatten().collect(), vocab, cfg.top_bursts),
        shifts: rank_shifts(
            shifts.into_iter().flatten().collect(),
            vocab,
            span,
            cfg.top_bursts,
        ),
        turns,
    }
}

/// `term`'s occurrences per passage using it over periods `start..=end` (1 when no passage
/// does): how much a passage that takes the term up keeps to it.
fn per_passage(counts: &PeriodCounts, term: TermId, (start, end): (usize, usize)) -> f64 {
    let (occurrences, passages) = (start..=end)
        .map(|p| counts.get(p, term))
        .fold((0u64, 0u64), |(o, n), c| {
            (o + c.count, n + c.passages as u64)
        });
    if passages == 0 {
        1.0
    } else {
        occurrences as f64 / passages as f64
    }
}

/// Whether a burst at `span` is one side of a lasting change of its term rather than an
/// episode: it lies in the new level of a rise that nothing later undoes and that holds to the
/// last period (or the burst goes on there), or in the old level of a fall that nothing earlier
/// led up to and that held from the first period (or the burst opens the timeline). An episode
/// begins and ends; such a burst is the shifts table's rise or fall seen by the burst detector
/// ("tonight" in State of the Union addresses since the evening broadcasts, "connexion" in the
/// early UN records).
fn part_of_lasting_change(
    (start, end): (usize, usize),
    (ongoing, from_start): (bool, bool),
    shifts: &[Shift],
    (first, last): (usize, usize),
) -> bool {
    let rising = |s: &&Shift| s.after > s.before;
    let lasting_rise = shifts.iter().filter(rising).any(|rise| {
        let undone = shifts.iter().any(|s| !rising(&s) && s.since >= rise.to);
        !undone && (rise.until == last || ongoing) && end >= rise.to
    });
    let lasting_fall = shifts.iter().filter(|s| !rising(s)).any(|fall| {
        let led_up = shifts.iter().any(|s| rising(&s) && s.to <= fall.from);
        !led_up && (fall.since == first || from_start) && start <= fall.from
    });
    lasting_rise || lasting_fall
}

/// Bursts ranked by score, episodes before the bursts that are part of a lasting change
/// (ongoing ones among the rest), the pieces of one name in overlapping bursts folded, `top`
/// kept.
fn rank_bursts(mut found: Vec<Burst>, vocab: &Vocabulary, top: usize) -> Vec<Burst> {
    let burst_order = |a: &Burst, b: &Burst| {
        a.lasting
            .cmp(&b.lasting)
            .then(b.score.total_cmp(&a.score))
            .then(a.term.cmp(&b.term))
            .then(a.start.cmp(&b.start))
    };
    found.sort_by(burst_order);
    // A family is named by its score before the occurrences per passage: a piece that a name
    // repeats ("Boutros" in "Boutros Boutros Ghali") occurs twice a mention, not because its
    // passages come back to it.
    let mut found = fold_variants(
        found,
        |b| b.term,
        |b| b.score / b.per_passage,
        |a, b| a.start <= b.end && b.start <= a.end,
        burst_order,
        |t| vocab.terms[t as usize].key.as_str(),
        |t| vocab.terms[t as usize].count,
    );
    found.truncate(top);
    found
}

/// Shifts ranked by |z|, the pieces of one name shifting the same way within a span folded,
/// `top` kept.
fn rank_shifts(mut shifts: Vec<Shift>, vocab: &Vocabulary, span: usize, top: usize) -> Vec<Shift> {
    let shift_order = |a: &Shift, b: &Shift| {
        b.z.abs()
            .total_cmp(&a.z.abs())
            .then(a.term.cmp(&b.term))
            .then(a.to.cmp(&b.to))
    };
    shifts.sort_by(shift_order);
    let mut shifts = fold_variants(
        shifts,
        |s| s.term,
        |s| s.z.abs(),
        |a, b| (a.z > 0.0) == (b.z > 0.0) && a.to.abs_diff(b.to) <= span,
        shift_order,
        |t| vocab.terms[t as usize].key.as_str(),
        |t| vocab.terms[t as usize].count,
    );
    shifts.truncate(top);
    shifts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(since: usize, from: usize, to: usize, until: usize, rise: bool) -> Shift {
        let (before, after) = if rise { (0.1, 0.5) } else { (0.5, 0.1) };
        Shift {
            term: 0,
            since,
            from,
            to,
            until,
            before,
            after,
            z: if rise { 5.0 } else { -5.0 },
        }
    }

    #[test]
    fn occurrences_per_passage_are_counted_inside_the_burst_only() {
        use super::super::counts::PeriodCount;
        let count = |count, passages| PeriodCount {
            count,
            documents: 1,
            passages,
        };
        let counts = PeriodCounts::from_map(HashMap::from([
            ((0, 0), count(9, 1)),
            ((2, 0), count(25, 10)),
            ((3, 0), count(15, 10)),
        ]));
        assert_eq!(per_passage(&counts, 0, (2, 3)), 2.0);
        assert_eq!(per_passage(&counts, 0, (0, 3)), 49.0 / 21.0);
        // A span where no passage uses the term.
        assert_eq!(per_passage(&counts, 0, (1, 1)), 1.0);
        assert_eq!(per_passage(&counts, 7, (2, 3)), 1.0);
    }

    #[test]
    fn a_burst_inside_a_rise_that_holds_to_the_end_is_part_of_it_and_an_episode_is_not() {
        let ends = (0, 9);
        // A rise from period 6 on that holds to period 9: the burst over 6–9 is that rise.
        let rise = [shift(0, 5, 6, 9, true)];
        assert!(part_of_lasting_change((6, 9), (true, false), &rise, ends));
        // Inside its new level but ending before the end (a dip in the last period): still.
        assert!(part_of_lasting_change((6, 8), (false, false), &rise, ends));
        // A burst before the rise is an episode of its own.
        assert!(!part_of_lasting_change((2, 3), (false, false), &rise, ends));
        // A rise undone later (the term fell back) was an episode, however long.
        let undone = [shift(0, 5, 6, 7, true), shift(6, 7, 8, 9, false)];
        assert!(!part_of_lasting_change(
            (6, 7),
            (false, false),
            &undone,
            ends
        ));
        // A term with no shift has episodes only, going on or not.
        assert!(!part_of_lasting_change((8, 9), (true, false), &[], ends));
    }

    #[test]
    fn a_burst_in_the_old_level_of_a_fall_from_the_start_is_part_of_it() {
        let ends = (0, 9);
        let fall = [shift(0, 3, 4, 9, false)];
        assert!(part_of_lasting_change((0, 3), (false, true), &fall, ends));
        assert!(part_of_lasting_change((1, 2), (false, false), &fall, ends));
        // A fall that a rise led up to closes an episode: the burst before it is one.
        let episode = [shift(0, 1, 2, 3, true), shift(2, 3, 4, 9, false)];
        assert!(!part_of_lasting_change(
            (2, 3),
            (false, false),
            &episode,
            ends
        ));
    }
}
