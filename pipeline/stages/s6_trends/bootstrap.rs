//! 95% intervals by bootstrap over documents: a period's documents are drawn with replacement
//! as many times as it has documents, the statistic recomputed, and the 2.5th and 97.5th
//! percentiles of `samples` replicates kept. Each (term, period) has its own random stream,
//! derived from the run's seed, so intervals do not depend on thread count or on which other
//! terms are tracked.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// A statistic's 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// 2.5th percentile.
    pub low: f64,
    /// 97.5th percentile.
    pub high: f64,
}

/// Intervals of (occurrences per 1,000 tokens, share of documents using the term) for one
/// period, from each document's (occurrences, tokens). `None` for a period without documents.
pub fn intervals(
    docs: &[(u64, u64)],
    samples: usize,
    seed: u64,
    term: u32,
    period: usize,
) -> Option<(Interval, Interval)> {
    if docs.is_empty() || samples == 0 {
        return None;
    }
    let stream = seed ^ ((term as u64) << 32 | period as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream);
    let mut rate = Vec::with_capacity(samples);
    let mut share = Vec::with_capacity(samples);
    for _ in 0..samples {
        let (mut c, mut t, mut using) = (0u64, 0u64, 0u64);
        for _ in 0..docs.len() {
            let (dc, dt) = docs[rng.gen_range(0..docs.len())];
            c += dc;
            t += dt;
            using += (dc > 0) as u64;
        }
        rate.push(if t > 0 {
            c as f64 * 1000.0 / t as f64
        } else {
            0.0
        });
        share.push(using as f64 / docs.len() as f64);
    }
    Some((percentiles(&mut rate), percentiles(&mut share)))
}

/// A document's assigned passages: (topic, passages) for each of its topics, and its assigned
/// passages in all.
pub type DocTopicCounts = (Vec<(u32, u32)>, u32);

/// Intervals of each topic's share of a period's assigned passages, from each document's
/// ((topic, passages) pairs, assigned passages). One draw of documents serves every topic.
/// The stream is the period's own, apart from those of terms. `None` for a period without
/// documents.
pub fn topic_shares(
    docs: &[&DocTopicCounts],
    k: usize,
    samples: usize,
    seed: u64,
    period: usize,
) -> Option<Vec<Interval>> {
    if docs.is_empty() || samples == 0 {
        return None;
    }
    let stream = seed ^ ((TOPIC_STREAMS << 32) | period as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream);
    let mut shares: Vec<Vec<f64>> = vec![Vec::with_capacity(samples); k];
    let mut count = vec![0u32; k];
    for _ in 0..samples {
        count.iter_mut().for_each(|c| *c = 0);
        let mut total = 0u32;
        for _ in 0..docs.len() {
            let d = docs[rng.gen_range(0..docs.len())];
            total += d.1;
            d.0.iter().for_each(|&(t, n)| count[t as usize] += n);
        }
        for (t, s) in shares.iter_mut().enumerate() {
            s.push(if total > 0 {
                count[t] as f64 / total as f64
            } else {
                0.0
            });
        }
    }
    Some(shares.iter_mut().map(|s| percentiles(s)).collect())
}

/// The stream key of topic shares: above every term id (a vocabulary has fewer than 2³¹ terms).
const TOPIC_STREAMS: u64 = 1 << 31;

/// The 2.5th and 97.5th percentiles (linear interpolation, as numpy's default).
fn percentiles(v: &mut [f64]) -> Interval {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let pos = q * (v.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
    };
    Interval {
        low: at(0.025),
        high: at(0.975),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_under_a_seed_and_sensible() {
        let docs = [(3, 1000), (0, 800), (10, 1200), (1, 500)];
        let a = intervals(&docs, 2000, 42, 7, 1).unwrap();
        let b = intervals(&docs, 2000, 42, 7, 1).unwrap();
        assert_eq!(a, b);
        let c = intervals(&docs, 2000, 43, 7, 1).unwrap();
        assert_ne!(a, c, "another seed, another draw");
        // The point estimate (14 per 3,500 tokens = 4 per 1,000) lies inside the interval.
        assert!(a.0.low < 4.0 && 4.0 < a.0.high, "{a:?}");
        assert!(a.1.low >= 0.25 && a.1.high <= 1.0, "{a:?}");
        // One document: no spread.
        let one = intervals(&[(2, 100)], 500, 1, 0, 0).unwrap();
        assert_eq!((one.0.low, one.0.high), (20.0, 20.0));
        assert!(intervals(&[], 500, 1, 0, 0).is_none());
    }

    #[test]
    fn topic_shares_are_reproducible_and_hold_the_estimate() {
        let a = (vec![(0, 3), (1, 1)], 4);
        let b = (vec![(1, 2)], 2);
        let c = (vec![(0, 1), (2, 1)], 2);
        let docs = [&a, &b, &c];
        let one = topic_shares(&docs, 3, 2000, 9, 2).unwrap();
        assert_eq!(one, topic_shares(&docs, 3, 2000, 9, 2).unwrap());
        // Many documents of uneven sizes: another seed gives another draw.
        let many: Vec<(Vec<(u32, u32)>, u32)> = (0..40u32)
            .map(|i| {
                (
                    vec![(i % 3, 1 + i % 7), ((i + 1) % 3, 1 + i % 4)],
                    2 + i % 7 + i % 4,
                )
            })
            .collect();
        let many: Vec<_> = many.iter().collect();
        assert_ne!(
            topic_shares(&many, 3, 500, 9, 2).unwrap(),
            topic_shares(&many, 3, 500, 10, 2).unwrap()
        );
        // Topic 0 holds 4 of 8 passages.
        assert!(one[0].low < 0.5 && 0.5 < one[0].high, "{one:?}");
        assert!(one.iter().all(|i| 0.0 <= i.low && i.high <= 1.0));
        assert!(topic_shares(&[], 3, 100, 9, 0).is_none());
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let mut v: Vec<f64> = (0..=100).map(f64::from).collect();
        let i = percentiles(&mut v);
        assert!((i.low - 2.5).abs() < 1e-12 && (i.high - 97.5).abs() < 1e-12);
    }
}
