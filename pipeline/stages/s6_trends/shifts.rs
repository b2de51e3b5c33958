//! Shifts: lasting changes of a term's level, as opposed to bursts, which come and go.
//!
//! A term's series (in each period, `r` of `d` documents or passages use it) is cut into
//! segments of constant share by optimal partitioning (Jackson et al. 2005; the exact dynamic
//! programme behind PELT, Killick et al. 2012): the cost of a segment is its binomial negative
//! log-likelihood at its own share, each segment pays a penalty of `ln D` (`D` all units, as
//! BIC charges one parameter), and no segment is shorter than the minimum span. Neighbouring
//! segments whose shares differ by less than `min_ratio` are then merged, the closest first, so
//! that a slow wobble of a frequent word is one level, and each boundary moves to the best
//! single split of its two segments (the span may have held it away from the change). A
//! boundary is a shift when both its levels still hold the span, the change lasts (at least
//! three quarters of the periods on each side lie nearer their own level than the other; an
//! episode of a few periods inside a span raises its level without its periods following) and
//! it is clear (two-proportion z). Consecutive boundaries going the same way whose steps do not
//! all qualify — a gradual rise — are one shift from the level before them to the level after
//! them, the periods between being the transition. Empty periods belong to no segment.

use crate::artifacts::{Shift, TermId};

/// The shortest span, in periods with passages, a level must hold on each side of a shift: an
/// eighth of those periods, at least 2 (10 years of UNGD by year, 2 decades by decade).
pub fn min_span(filled: usize) -> usize {
    filled.div_ceil(8).max(2)
}

/// A run of periods with documents, `[start, end)` in the order of those periods.
type Segment = (usize, usize);

/// A term's series over the periods with documents, as prefix sums: `uses[i]` and `units[i]`
/// are the term's uses and all units (documents or passages) in the first `i` of them.
struct Series<'a> {
    /// The periods with documents.
    filled: Vec<usize>,
    relevant: &'a [u64],
    totals: &'a [u64],
    uses: Vec<u64>,
    units: Vec<u64>,
}

impl<'a> Series<'a> {
    fn new(relevant: &'a [u64], totals: &'a [u64]) -> Series<'a> {
        let filled: Vec<usize> = (0..totals.len()).filter(|&t| totals[t] > 0).collect();
        let m = filled.len();
        let mut uses = vec![0u64; m + 1];
        let mut units = vec![0u64; m + 1];
        for (i, &t) in filled.iter().enumerate() {
            uses[i + 1] = uses[i] + relevant[t];
            units[i + 1] = units[i] + totals[t];
        }
        Series {
            filled,
            relevant,
            totals,
            uses,
            units,
        }
    }

    /// Periods with documents.
    fn len(&self) -> usize {
        self.filled.len()
    }

    /// Uses and units of a segment.
    fn counts(&self, (i, j): Segment) -> (f64, f64) {
        (
            (self.uses[j] - self.uses[i]) as f64,
            (self.units[j] - self.units[i]) as f64,
        )
    }

    /// The binomial negative log-likelihood of a segment at its own share.
    fn cost(&self, i: usize, j: usize) -> f64 {
        let (r, d) = self.counts((i, j));
        let mut c = 0.0;
        if r > 0.0 {
            c -= r * (r / d).ln();
        }
        if d > r {
            c -= (d - r) * ((d - r) / d).ln();
        }
        c
    }

    /// The share of units using the term in a segment.
    fn share(&self, seg: Segment) -> f64 {
        let (r, d) = self.counts(seg);
        r / d
    }

    /// The share with half a use and one unit added, so that an empty segment has one.
    fn smoothed(&self, seg: Segment) -> f64 {
        let (r, d) = self.counts(seg);
        (r + 0.5) / (d + 1.0)
    }

    /// The share in filled period `q` alone.
    fn share_at(&self, q: usize) -> f64 {
        self.relevant[self.filled[q]] as f64 / self.totals[self.filled[q]] as f64
    }
}

/// The shifts of one term whose levels differ by at least `min_ratio` (either way) and by a z
/// of at least `min_z`, in period order.
pub fn shifts(
    term: TermId,
    relevant: &[u64],
    totals: &[u64],
    min_periods: usize,
    min_ratio: f64,
    min_z: f64,
) -> Vec<Shift> {
    let series = Series::new(relevant, totals);
    let span = min_periods.max(1);
    if series.len() < 2 * span || series.uses[series.len()] == 0 {
        return Vec::new();
    }
    let mut segments = partition(&series, span);
    merge_close(&series, &mut segments, min_ratio);
    move_boundaries(&series, &mut segments);
    ramps(&series, &segments, |a, b| {
        shift_between(&series, term, a, b, span, min_z)
    })
}

/// The optimal partition of the series into segments of at least `span` periods.
fn partition(series: &Series, span: usize) -> Vec<Segment> {
    let m = series.len();
    let penalty = (series.units[m] as f64).ln();
    // best[j]: cheapest segmentation of the first j filled periods; last[j]: where its last
    // segment starts (ties: the earlier start). PELT's pruning keeps it near linear: a start
    // that is already worse than the best segmentation can never win later.
    let mut best = vec![f64::INFINITY; m + 1];
    let mut last = vec![0usize; m + 1];
    best[0] = 0.0;
    // Boundaries are first placed on a grid of every `step` periods (every period up to a span
    // of 15, so every year of a century by year), then moved to the exact best split below:
    // a flat series prunes nothing, and a century by month would otherwise cost m² segment
    // costs for each of thousands of terms.
    let step = (span / 8).max(1);
    let on_grid = |j: usize| j == m || j.is_multiple_of(step);
    let mut starts: Vec<usize> = Vec::new();
    let mut eligible = 0;
    for j in (span..=m).filter(|&j| on_grid(j)) {
        while eligible + span <= j {
            if eligible == 0 || (eligible >= span && best[eligible].is_finite()) {
                starts.push(eligible);
            }
            eligible += 1;
        }
        for &i in &starts {
            let v = best[i] + series.cost(i, j) + penalty;
            if v < best[j] {
                best[j] = v;
                last[j] = i;
            }
        }
        let bound = best[j];
        starts.retain(|&i| best[i] + series.cost(i, j) <= bound);
    }
    let mut bounds = vec![m];
    let mut j = m;
    while j > 0 {
        j = last[j];
        bounds.push(j);
    }
    bounds.reverse();
    bounds.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Merges neighbours whose shares differ by less than `min_ratio`, the closest pair first.
fn merge_close(series: &Series, segments: &mut Vec<Segment>, min_ratio: f64) {
    let ratio = |a, b| {
        let (x, y): (f64, f64) = (series.smoothed(a), series.smoothed(b));
        (x / y).max(y / x)
    };
    loop {
        let closest = (1..segments.len())
            .map(|k| (ratio(segments[k - 1], segments[k]), k))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        match closest {
            Some((q, k)) if q < min_ratio => {
                segments[k - 1].1 = segments[k].1;
                segments.remove(k);
            }
            _ => break,
        }
    }
}

/// Moves each boundary to the best single split of its two segments together: the minimum
/// span can hold a change away from where it happened (a level that starts eight periods
/// before the end of the timeline, with a span of ten).
fn move_boundaries(series: &Series, segments: &mut [Segment]) {
    for k in 1..segments.len() {
        let (start, end) = (segments[k - 1].0, segments[k].1);
        let split = (start + 1..end)
            .min_by(|&a, &b| {
                (series.cost(start, a) + series.cost(a, end))
                    .total_cmp(&(series.cost(start, b) + series.cost(b, end)))
                    .then(a.cmp(&b))
            })
            .expect("two segments hold two periods");
        segments[k - 1].1 = split;
        segments[k].0 = split;
    }
}

/// The shift between two neighbouring segments, if it is one: both levels still hold the span
/// (a change in the last few periods may be an episode still running, and is left to the
/// bursts), the change lasts and it is clear.
fn shift_between(
    series: &Series,
    term: TermId,
    a: Segment,
    b: Segment,
    span: usize,
    min_z: f64,
) -> Option<Shift> {
    let long = |(i, j): Segment| j - i >= span;
    if !(long(a) && long(b)) {
        return None;
    }
    let (ra, da) = series.counts(a);
    let (rb, db) = series.counts(b);
    let pooled = (ra + rb) / (da + db);
    let se = (pooled * (1.0 - pooled) * (1.0 / da + 1.0 / db)).sqrt();
    let z = if se > 0.0 {
        (series.share(b) - series.share(a)) / se
    } else {
        0.0
    };
    // The change lasts: most periods on each side sit nearer their own level than the
    // other (a short episode inside a long span moves a level, not its periods).
    let (la, lb) = (series.share(a), series.share(b));
    let steady = |(i, j): Segment, own: f64, other: f64| {
        let near = (i..j)
            .filter(|&q| {
                let x = series.share_at(q);
                (x - own).abs() < (x - other).abs()
            })
            .count();
        4 * near >= 3 * (j - i)
    };
    let lasting = steady(a, la, lb) && steady(b, lb, la);
    (lasting && z.abs() >= min_z).then_some(Shift {
        term,
        since: series.filled[a.0],
        from: series.filled[a.1 - 1],
        to: series.filled[b.0],
        until: series.filled[b.1 - 1],
        before: la,
        after: lb,
        z,
    })
}

/// The shifts of a partition. A ramp is a run of consecutive boundaries that all go one way.
/// When each is a shift, each is reported; when some are not (a gradual rise, "climate change"
/// from 0.2% of speeches in the 1970s to 70% in the 2010s, has steps too short or too slight to
/// last on their own), the ramp is one shift from the level before it to the level after it,
/// the periods between its `from` and `to` being the transition.
fn ramps(
    series: &Series,
    segments: &[Segment],
    shift: impl Fn(Segment, Segment) -> Option<Shift>,
) -> Vec<Shift> {
    let rises = |k: usize| series.share(segments[k]) > series.share(segments[k - 1]);
    let mut out = Vec::new();
    let mut k = 1;
    while k < segments.len() {
        let end = (k + 1..segments.len())
            .find(|&e| rises(e) != rises(k))
            .unwrap_or(segments.len());
        let steps: Vec<Shift> = (k..end)
            .filter_map(|b| shift(segments[b - 1], segments[b]))
            .collect();
        if steps.len() == end - k {
            out.extend(steps);
        } else if let Some(whole) = shift(segments[k - 1], segments[end - 1]) {
            out.push(whole);
        } else {
            out.extend(steps);
        }
        k = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gradual_rise_is_one_shift_across_its_transition() {
        // "climate change" in UNGD by decade (speeches using it, of all): 0.2% in the 1970s,
        // then 2.8%, 12%, 35%, 70% and 82%.
        let r = [0u64, 0, 0, 3, 42, 210, 657, 1367, 788];
        let d = [152u64, 557, 991, 1245, 1485, 1729, 1890, 1939, 964];
        let s = shifts(0, &r, &d, 2, 2.0, 3.29);
        assert_eq!(s.len(), 1, "{s:?}");
        // The old level holds to the 1970s, the new one from the 2010s; the three decades
        // between are the transition.
        assert_eq!((s[0].since, s[0].from, s[0].to, s[0].until), (0, 3, 7, 8));
        assert!((s[0].before - 3.0 / 2945.0).abs() < 1e-12);
        assert!((s[0].after - 2155.0 / 2903.0).abs() < 1e-12);
        // Decade by decade, each step lasts on its own: four shifts.
        let steps = shifts(0, &r, &d, 1, 2.0, 3.29);
        assert_eq!(
            steps.iter().map(|s| s.to).collect::<Vec<_>>(),
            [4, 5, 6, 7],
            "{steps:?}"
        );
    }

    #[test]
    fn a_step_is_one_shift() {
        // Twenty periods of 100 passages: 2 uses a period for twelve, then 20.
        let r: Vec<u64> = (0..20).map(|t| if t < 12 { 2 } else { 20 }).collect();
        let d = vec![100u64; 20];
        let s = shifts(0, &r, &d, 3, 2.0, 3.0);
        assert_eq!(s.len(), 1, "{s:?}");
        let s = &s[0];
        assert_eq!((s.since, s.from, s.to, s.until), (0, 11, 12, 19));
        assert_eq!((s.before, s.after), (0.02, 0.2));
        // Pooled share 184/2000 = 0.092; se = sqrt(0.092 · 0.908 · (1/1200 + 1/800)).
        let se = (0.092f64 * 0.908 * (1.0 / 1200.0 + 1.0 / 800.0)).sqrt();
        assert!((s.z - 0.18 / se).abs() < 1e-9, "{}", s.z);
    }

    #[test]
    fn a_long_series_places_its_boundary_exactly_off_the_grid() {
        // 400 periods, a span of 50 (boundaries first on a grid of every 6 periods): the change
        // at period 203 still lands on 203.
        let r: Vec<u64> = (0..400).map(|t| if t < 203 { 2 } else { 12 }).collect();
        let d = vec![100u64; 400];
        let s = shifts(0, &r, &d, 50, 2.0, 3.0);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!((s[0].from, s[0].to), (202, 203));
    }

    #[test]
    fn a_short_episode_is_no_shift_and_a_rise_and_fall_are_two() {
        let d = vec![100u64; 20];
        // Two periods high in a flat series: shorter than the span, so no level of its own.
        let episode: Vec<u64> = (0..20)
            .map(|t| if t == 9 || t == 10 { 30 } else { 2 })
            .collect();
        assert!(shifts(0, &episode, &d, 3, 2.0, 3.0).is_empty());
        // Up for eight periods in the middle, then down again: two shifts.
        let era: Vec<u64> = (0..20)
            .map(|t| if (6..14).contains(&t) { 25 } else { 3 })
            .collect();
        let s = shifts(0, &era, &d, 3, 2.0, 3.0);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!((s[0].from, s[0].to, s[1].from, s[1].to), (5, 6, 13, 14));
        assert!(s[0].z > 0.0 && s[1].z < 0.0);
    }

    #[test]
    fn a_small_change_of_a_frequent_word_is_no_shift() {
        // 30% of passages, then 40%: significant with 1,000 passages a period, but not a
        // doubling.
        let r: Vec<u64> = (0..20).map(|t| if t < 10 { 300 } else { 400 }).collect();
        let d = vec![1000u64; 20];
        assert!(shifts(0, &r, &d, 3, 2.0, 3.0).is_empty());
        assert_eq!(shifts(0, &r, &d, 3, 1.2, 3.0).len(), 1);
    }

    #[test]
    fn empty_periods_are_skipped_and_spans_count_periods_with_passages() {
        let r = [1, 0, 1, 1, 0, 20, 20, 20];
        let d = [100, 0, 100, 100, 0, 100, 100, 100];
        let s = shifts(0, &r, &d, 3, 2.0, 3.0);
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].since, s[0].from, s[0].to, s[0].until), (0, 3, 5, 7));
        assert!(shifts(0, &r, &d, 4, 2.0, 3.0).is_empty());
        assert_eq!(min_span(79), 10);
        assert_eq!(min_span(9), 2);
        assert_eq!(min_span(3), 2);
    }
}
