//! Kleinberg's two-state burst detection over batches (Kleinberg 2003, §4, "enumerating
//! bursts" for documents arriving in batches): in each period, `r` of `d` documents use the
//! term. The base state expects the corpus-wide share `p0 = R / D`; the burst state expects
//! `p1 = s · p0` (capped below 1). A period costs `−ln(C(d, r) p^r (1 − p)^(d − r))` in a state;
//! entering the burst state costs `γ ln n` for `n` periods, leaving it nothing. The cheapest
//! state sequence (Viterbi) marks the bursts; a burst's weight is how much cheaper its periods
//! are in the burst state than in the base state. Empty periods cost nothing in either state.

/// A run of periods in the burst state: first and last period index (inclusive) and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurstRun {
    /// First period of the burst.
    pub start: usize,
    /// Last period of the burst (inclusive).
    pub end: usize,
    /// Sum over its periods of (base-state cost − burst-state cost).
    pub weight: f64,
}

/// The burst state (true) of each period, by Viterbi over the two states.
pub fn states(relevant: &[u64], totals: &[u64], s: f64, gamma: f64) -> Vec<bool> {
    let n = relevant.len();
    let (r_all, d_all): (u64, u64) = (relevant.iter().sum(), totals.iter().sum());
    if n == 0 || r_all == 0 || d_all == 0 {
        return vec![false; n];
    }
    let p0 = r_all as f64 / d_all as f64;
    let p1 = (s * p0).min(0.9999);
    let cost = |p: f64, r: u64, d: u64| -> f64 {
        if d == 0 {
            return 0.0;
        }
        let (r, d) = (r as f64, d as f64);
        -(ln_choose(d, r) + r * p.ln() + (d - r) * (1.0 - p).ln())
    };
    let enter = gamma * (n as f64).ln();
    // best[state] = cheapest cost of periods so far ending in state; back pointers per period.
    let mut best = [
        cost(p0, relevant[0], totals[0]),
        enter + cost(p1, relevant[0], totals[0]),
    ];
    let mut from: Vec<[usize; 2]> = vec![[0, 0]];
    for t in 1..n {
        let c0 = cost(p0, relevant[t], totals[t]);
        let c1 = cost(p1, relevant[t], totals[t]);
        // Into 0: from 0 or 1 at no cost. Into 1: from 1, or from 0 paying `enter`.
        let (b0, f0) = if best[0] <= best[1] {
            (best[0], 0)
        } else {
            (best[1], 1)
        };
        let (b1, f1) = if best[1] <= best[0] + enter {
            (best[1], 1)
        } else {
            (best[0] + enter, 0)
        };
        best = [b0 + c0, b1 + c1];
        from.push([f0, f1]);
    }
    let mut state = if best[0] <= best[1] { 0 } else { 1 };
    let mut out = vec![false; n];
    for t in (0..n).rev() {
        out[t] = state == 1;
        state = from[t][state];
    }
    out
}

/// Bursts as runs of the burst state, with their weights.
pub fn bursts(relevant: &[u64], totals: &[u64], s: f64, gamma: f64) -> Vec<BurstRun> {
    let st = states(relevant, totals, s, gamma);
    let (r_all, d_all): (u64, u64) = (relevant.iter().sum(), totals.iter().sum());
    if r_all == 0 {
        return Vec::new();
    }
    let p0 = r_all as f64 / d_all as f64;
    let p1 = (s * p0).min(0.9999);
    let gain = |t: usize| -> f64 {
        let (r, d) = (relevant[t] as f64, totals[t] as f64);
        if d == 0.0 {
            return 0.0;
        }
        // Base cost − burst cost; the binomial coefficient cancels.
        (r * p1.ln() + (d - r) * (1.0 - p1).ln()) - (r * p0.ln() + (d - r) * (1.0 - p0).ln())
    };
    let mut out = Vec::new();
    let mut t = 0;
    while t < st.len() {
        if !st[t] {
            t += 1;
            continue;
        }
        let mut start = t;
        while t + 1 < st.len() && st[t + 1] {
            t += 1;
        }
        // A burst starts and ends in periods with documents; empty periods (which cost the
        // same in both states) only bridge.
        let mut end = t;
        while start < end && totals[start] == 0 {
            start += 1;
        }
        while end > start && totals[end] == 0 {
            end -= 1;
        }
        let weight: f64 = (start..=end).map(gain).sum();
        if totals[start] > 0 && weight > 0.0 {
            out.push(BurstRun { start, end, weight });
        }
        t += 1;
    }
    out
}

/// ln C(n, k) for real n ≥ k ≥ 0, by log-gamma (Lanczos).
fn ln_choose(n: f64, k: f64) -> f64 {
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_of_integers() {
        assert!((ln_gamma(1.0)).abs() < 1e-12);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_choose(5.0, 2.0) - 10f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn a_hand_computed_burst() {
        // Ten periods of 100 documents; the term is in 2 of them, except periods 4–6 (20).
        let r = [2, 2, 2, 2, 20, 20, 20, 2, 2, 2];
        let d = [100; 10];
        let st = states(&r, &d, 2.0, 1.0);
        assert_eq!(
            st,
            [false, false, false, false, true, true, true, false, false, false]
        );
        // p0 = 74/1000; p1 = 0.148. Gain of a period with 20 of 100:
        let (p0, p1) = (0.074f64, 0.148f64);
        let g = 20.0 * (p1 / p0).ln() + 80.0 * ((1.0 - p1) / (1.0 - p0)).ln();
        let b = bursts(&r, &d, 2.0, 1.0);
        assert_eq!(b.len(), 1);
        assert_eq!((b[0].start, b[0].end), (4, 6));
        assert!(
            (b[0].weight - 3.0 * g).abs() < 1e-9,
            "{} vs {}",
            b[0].weight,
            3.0 * g
        );
    }

    #[test]
    fn a_one_period_blip_does_not_pay_for_entering() {
        // Entering costs γ ln n; a small rise in one period is not worth it.
        let r = [5, 5, 6, 5, 5];
        let d = [100; 5];
        assert!(states(&r, &d, 2.0, 1.0).iter().all(|&b| !b));
        // An expensive entry (γ large) suppresses even a real burst.
        let r = [1, 1, 30, 1, 1];
        assert!(states(&r, &d, 2.0, 1.0).iter().any(|&b| b));
        assert!(states(&r, &d, 2.0, 50.0).iter().all(|&b| !b));
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
