//! Kleinberg's burst detection with burst levels, over batches (Kleinberg 2003, §4,
//! "enumerating bursts" for items arriving in batches, with the infinite automaton of §2
//! truncated where the rate would reach 1): in each period, `r` of `d` passages use the term.
//! State `i` expects the share `p_i = p0 · sⁱ`, `p0 = R / D` the corpus-wide share. A period
//! costs `−ln(pᵢ^r (1 − pᵢ)^(d − r))` in state `i` (the binomial coefficient is the same in
//! every state and left out); moving up from state `i` to `j` costs `(j − i) γ ln n` for `n`
//! periods, moving down nothing. The cheapest state sequence (Viterbi) gives each period a
//! level; a burst is a maximal run of periods at level 1 or more, and its peak level is how
//! many doublings (for s = 2) above the usual rate it reached. Empty periods cost nothing in any
//! state.
//!
//! Bursts are ranked by [`BurstRun::score`]: an episode ranks high when it is large and
//! concentrated, and its term is a subject (ARCHITECTURE.md, "Choices worth knowing"). Large is
//! the weight: how much better the burst levels explain its periods than the usual rate does,
//! which grows with the excess of uses over that rate and with how far above it they lie.
//! Concentrated is twice over: the burst holds more of the term's uses than of the corpus
//! (concentration − share), and it covers little of the timeline (1 − its share of the
//! periods). A rare name used in one period has a small weight; a drift over decades has a
//! large one, but holds its uses little more than its periods hold the corpus, and covers much
//! of the timeline. A subject is what a passage keeps coming back to: its occurrences per
//! passage using it inside the burst (Katz 1996's burstiness within a text, Church 2000's
//! adaptation), about 1 for words of a register or style ("whilst", "ensure", "folks"), which
//! a passage uses once whatever it is about, and 1.5 to 3 for a war, a treaty or a country.

/// A run of periods at burst level 1 or more.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurstRun {
    /// First period of the burst.
    pub start: usize,
    /// Last period of the burst (inclusive).
    pub end: usize,
    /// The highest level reached inside it.
    pub level: u32,
    /// Sum over its periods of (level-0 cost − cost at the period's level).
    pub weight: f64,
    /// Rate inside over rate outside, each `(r + ½) / (d + 1)`.
    pub lift: f64,
    /// Share of the term's uses (over all periods) inside the burst.
    pub concentration: f64,
    /// Share of all units (over all periods) inside the burst.
    pub share: f64,
    /// Units using the term inside the burst.
    pub uses: u64,
    /// Units using the term that the rate outside the burst expects inside it.
    pub expected: f64,
}

impl BurstRun {
    /// What bursts are ranked by: weight × (concentration − share) × (1 − `span`) ×
    /// `per_passage`, where `span` is the share of the timeline's periods with documents that
    /// the burst covers and `per_passage` the term's occurrences per passage using it inside
    /// the burst.
    pub fn score(&self, span: f64, per_passage: f64) -> f64 {
        self.weight
            * (self.concentration - self.share).max(0.0)
            * (1.0 - span).max(0.0)
            * per_passage
    }
}

/// The burst level of each period, by Viterbi over levels `0..=L` (L the first level whose
/// expected share reaches the highest observed share, or the last below 1).
pub fn levels(relevant: &[u64], totals: &[u64], s: f64, gamma: f64) -> Vec<u32> {
    let n = relevant.len();
    let (r_all, d_all): (u64, u64) = (relevant.iter().sum(), totals.iter().sum());
    if n == 0 || r_all == 0 || d_all == 0 {
        return vec![0; n];
    }
    let p0 = r_all as f64 / d_all as f64;
    let highest = (0..n)
        .filter(|&t| totals[t] > 0)
        .map(|t| relevant[t] as f64 / totals[t] as f64)
        .fold(0.0, f64::max);
    let mut rates = vec![p0];
    while *rates.last().expect("level 0") < highest {
        let next = rates.last().expect("level 0") * s;
        if next >= 1.0 {
            break;
        }
        rates.push(next);
    }
    let levels = rates.len();
    let logs: Vec<(f64, f64)> = rates.iter().map(|&p| (p.ln(), (1.0 - p).ln())).collect();
    let cost = |i: usize, t: usize| -> f64 {
        let (r, d) = (relevant[t] as f64, totals[t] as f64);
        -(r * logs[i].0 + (d - r) * logs[i].1)
    };
    let step = gamma * (n as f64).ln();
    // best[i]: cheapest cost of the periods so far ending at level i; from[t][i]: the level
    // before period t on that path. The path starts at level 0 before the first period.
    let mut best: Vec<f64> = (0..levels).map(|i| i as f64 * step).collect();
    let mut from: Vec<Vec<u32>> = Vec::with_capacity(n);
    let mut next = vec![0.0; levels];
    for t in 0..n {
        let mut back = vec![0u32; levels];
        // Up into j from i ≤ j: min over i of best[i] − i·step, plus j·step (ties: lower i).
        let mut up = (f64::INFINITY, 0usize);
        for j in 0..levels {
            let v = best[j] - j as f64 * step;
            if v < up.0 {
                up = (v, j);
            }
            next[j] = up.0 + j as f64 * step;
            back[j] = up.1 as u32;
        }
        // Down into j from i > j: free (ties keep the path from below).
        let mut down = (f64::INFINITY, levels);
        for j in (0..levels).rev() {
            if down.0 < next[j] {
                next[j] = down.0;
                back[j] = down.1 as u32;
            }
            if best[j] < down.0 {
                down = (best[j], j);
            }
        }
        for (j, v) in next.iter_mut().enumerate() {
            *v += cost(j, t);
        }
        std::mem::swap(&mut best, &mut next);
        from.push(back);
    }
    let mut state = (0..levels)
        .reduce(|a, b| if best[b] < best[a] { b } else { a })
        .expect("at least level 0");
    let mut out = vec![0u32; n];
    for t in (0..n).rev() {
        out[t] = state as u32;
        state = from[t][state] as usize;
    }
    out
}

/// Bursts as maximal runs at level 1 or more, with their peak level, weight, lift and
/// concentration. A burst starts and ends in periods with passages: empty periods, which cost
/// the same at every level, only bridge.
pub fn bursts(relevant: &[u64], totals: &[u64], s: f64, gamma: f64) -> Vec<BurstRun> {
    let level = levels(relevant, totals, s, gamma);
    let (r_all, d_all): (u64, u64) = (relevant.iter().sum(), totals.iter().sum());
    if r_all == 0 {
        return Vec::new();
    }
    let p0 = r_all as f64 / d_all as f64;
    let rate = |i: u32| (p0 * s.powi(i as i32)).min(0.9999);
    let gain = |t: usize| -> f64 {
        let (r, d) = (relevant[t] as f64, totals[t] as f64);
        let p = rate(level[t]);
        (r * p.ln() + (d - r) * (1.0 - p).ln()) - (r * p0.ln() + (d - r) * (1.0 - p0).ln())
    };
    let mut out = Vec::new();
    let mut t = 0;
    while t < level.len() {
        if level[t] == 0 {
            t += 1;
            continue;
        }
        let mut start = t;
        while t + 1 < level.len() && level[t + 1] > 0 {
            t += 1;
        }
        let mut end = t;
        while start < end && totals[start] == 0 {
            start += 1;
        }
        while end > start && totals[end] == 0 {
            end -= 1;
        }
        let weight: f64 = (start..=end).map(gain).sum();
        let r_in: u64 = relevant[start..=end].iter().sum();
        let d_in: u64 = totals[start..=end].iter().sum();
        if totals[start] > 0 && weight > 0.0 {
            let (r_out, d_out) = (r_all - r_in, d_all - d_in);
            let inside = (r_in as f64 + 0.5) / (d_in as f64 + 1.0);
            let outside = (r_out as f64 + 0.5) / (d_out as f64 + 1.0);
            out.push(BurstRun {
                start,
                end,
                level: level[start..=end].iter().copied().max().unwrap_or(0),
                weight,
                lift: inside / outside,
                concentration: r_in as f64 / r_all as f64,
                share: d_in as f64 / d_all as f64,
                uses: r_in,
                expected: d_in as f64 * r_out as f64 / d_out.max(1) as f64,
            });
        }
        t += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Viterbi path by brute force over every level sequence, for small cases.
    fn brute_force(r: &[u64], d: &[u64], s: f64, gamma: f64) -> Vec<u32> {
        let n = r.len();
        let p0 = r.iter().sum::<u64>() as f64 / d.iter().sum::<u64>() as f64;
        let highest = (0..n)
            .filter(|&t| d[t] > 0)
            .map(|t| r[t] as f64 / d[t] as f64)
            .fold(0.0, f64::max);
        let mut levels = 1;
        while p0 * s.powi(levels - 1) < highest && p0 * s.powi(levels) < 1.0 {
            levels += 1;
        }
        let step = gamma * (n as f64).ln();
        let mut best = (f64::INFINITY, Vec::new());
        let total = (levels as usize).pow(n as u32);
        for code in 0..total {
            let seq: Vec<u32> = (0..n)
                .map(|t| ((code / (levels as usize).pow(t as u32)) % levels as usize) as u32)
                .collect();
            let mut cost = 0.0;
            let mut prev = 0u32;
            for t in 0..n {
                let p = p0 * s.powi(seq[t] as i32);
                cost += (seq[t].saturating_sub(prev)) as f64 * step;
                cost -= r[t] as f64 * p.ln() + (d[t] - r[t]) as f64 * (1.0 - p).ln();
                prev = seq[t];
            }
            if cost < best.0 - 1e-9 {
                best = (cost, seq);
            }
        }
        best.1
    }

    #[test]
    fn levels_match_brute_force() {
        let cases: [(&[u64], &[u64]); 4] = [
            (&[2, 2, 2, 2, 20, 20, 20, 2, 2, 2], &[100; 10]),
            (&[1, 1, 40, 10, 1, 1], &[100; 6]),
            (&[0, 3, 9, 30, 9, 3], &[50; 6]),
            (&[5, 0, 5, 50, 0, 5], &[100, 0, 100, 100, 0, 100]),
        ];
        for (r, d) in cases {
            assert_eq!(levels(r, d, 2.0, 1.0), brute_force(r, d, 2.0, 1.0), "{r:?}");
        }
    }

    #[test]
    fn a_hand_computed_two_level_burst() {
        // Nineteen periods of 100 passages: 5 uses a period, except 20, 40 and 20 in periods
        // 8–10. p0 = 160/1900 ≈ 0.084: periods 8 and 10 sit one doubling up (0.168), period 9
        // two (0.337).
        let mut r = [5u64; 19];
        r[8..=10].copy_from_slice(&[20, 40, 20]);
        let d = [100u64; 19];
        let mut expected = [0u32; 19];
        expected[8..=10].copy_from_slice(&[1, 2, 1]);
        assert_eq!(levels(&r, &d, 2.0, 1.0), expected);
        let b = bursts(&r, &d, 2.0, 1.0);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end, b[0].level), (8, 10, 2));
        let p0 = 160.0 / 1900.0;
        let gain = |r: f64, p: f64| r * (p / p0).ln() + (100.0 - r) * ((1.0 - p) / (1.0 - p0)).ln();
        let weight = 2.0 * gain(20.0, 2.0 * p0) + gain(40.0, 4.0 * p0);
        assert!((b[0].weight - weight).abs() < 1e-9, "{}", b[0].weight);
        // Inside 80.5 / 301, outside 80.5 / 1601; half of the uses inside.
        assert!((b[0].lift - 1601.0 / 301.0).abs() < 1e-9);
        assert_eq!(b[0].concentration, 0.5);
        // 300 of the 1,900 passages inside; three of nineteen periods.
        assert!((b[0].share - 300.0 / 1900.0).abs() < 1e-12);
        let score = weight * (0.5 - 300.0 / 1900.0) * (1.0 - 3.0 / 19.0);
        assert!((b[0].score(3.0 / 19.0, 1.0) - score).abs() < 1e-9);
    }

    #[test]
    fn a_large_episode_outranks_a_rare_name_and_a_long_drift() {
        // Twenty periods of 200 passages.
        let d = [200u64; 20];
        let best = |r: &[u64]| {
            bursts(r, &d, 2.0, 1.0)
                .iter()
                .map(|b| b.score((b.end - b.start + 1) as f64 / 20.0, 1.0))
                .fold(0.0, f64::max)
        };
        // The episode: 2 a period, 40 in periods 12 and 13.
        let episode: Vec<u64> = (0..20)
            .map(|t| if t == 12 || t == 13 { 40 } else { 2 })
            .collect();
        // A rare name: 6 uses in period 5 and none elsewhere (lift and concentration at their
        // highest, few uses).
        let rare: Vec<u64> = (0..20).map(|t| if t == 5 { 6 } else { 0 }).collect();
        // A drift: 2 a period for twelve periods, then 20 to the end (more uses than the
        // episode, over two fifths of the timeline).
        let drift: Vec<u64> = (0..20).map(|t| if t < 12 { 2 } else { 20 }).collect();
        let (e, r, w) = (best(&episode), best(&rare), best(&drift));
        assert!(r > 0.0 && w > 0.0, "both burst: {r} {w}");
        assert!(e > 3.0 * r && e > 3.0 * w, "{e} {r} {w}");
    }

    #[test]
    fn a_two_period_episode_beside_a_long_drift_in_one_series() {
        // Twenty periods of 200 passages: 3 uses a period, 12 from period 6 to 18 (a drift over
        // most of the timeline), and 40 in periods 2 and 3. p0 = 251/4000 ≈ 0.063, so the drift
        // (0.06) is the usual rate and the episode (0.2) sits two doublings up (0.251 is
        // nearer than 0.126 on the binomial likelihood).
        let mut r = [3u64; 20];
        r[6..19].fill(12);
        r[2..4].fill(40);
        let d = [200u64; 20];
        let mut expected = [0u32; 20];
        expected[2..4].fill(2);
        assert_eq!(levels(&r, &d, 2.0, 1.0), expected);
        let b = bursts(&r, &d, 2.0, 1.0);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end, b[0].level), (2, 3, 2));
    }

    #[test]
    fn a_one_period_blip_does_not_pay_for_entering() {
        // Entering costs γ ln n; a small rise in one period is not worth it.
        let r = [5, 5, 6, 5, 5];
        let d = [100; 5];
        assert!(levels(&r, &d, 2.0, 1.0).iter().all(|&l| l == 0));
        // An expensive entry (γ large) suppresses even a real burst.
        let r = [1, 1, 30, 1, 1];
        assert!(levels(&r, &d, 2.0, 1.0).iter().any(|&l| l > 0));
        assert!(levels(&r, &d, 2.0, 50.0).iter().all(|&l| l == 0));
    }

    #[test]
    fn a_one_period_episode_in_a_small_corpus() {
        // Five periods of 30 passages (one document each): a term in 12 passages of one period
        // and 1 elsewhere is a burst of that period alone.
        let r = [1, 0, 12, 1, 0];
        let d = [30; 5];
        let b = bursts(&r, &d, 2.0, 1.0);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end), (2, 2));
    }

    #[test]
    fn empty_periods_are_neutral() {
        let r = [0, 10, 0, 10];
        let d = [0, 100, 0, 100];
        assert!(bursts(&r, &d, 2.0, 1.0).is_empty());
        // A burst never starts or ends in an empty period.
        let r = [1, 0, 30, 30, 0, 1, 1];
        let d = [100, 0, 100, 100, 0, 100, 100];
        let b = bursts(&r, &d, 2.0, 1.0);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end), (2, 3));
    }
}
