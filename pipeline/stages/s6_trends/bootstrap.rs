//! 95% intervals by bootstrap over documents: a period's documents are drawn with replacement
//! as many times as it has documents, the statistic recomputed, and the 2.5th and 97.5th
//! percentiles of `samples` replicates kept. Each (term, period) has its own random stream,
//! derived from the run's seed, so intervals do not depend on thread count or on which other
//! terms are tracked.
//!
//! Documents that count alike (the same occurrences and tokens; the same topics) are
//! interchangeable in a replicate, so when a period has many documents of few kinds (millions
//! of short posts), a replicate draws how many of each kind it holds, a multinomial, by one
//! binomial a kind: the same distribution as drawing the documents one by one, at a cost that
//! grows with the kinds, not the documents (5 million posts took 196 s in trends).

use rand::{Rng, SeedableRng};
use rand_distr::{Binomial, Distribution};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// A period's documents are drawn by kind when there are at least this many documents for each
/// kind: a binomial costs some tens of uniform draws.
const DOCUMENTS_A_KIND: usize = 32;

/// The distinct values of `docs`, sorted, with how many documents have each; `None` when
/// there are too many kinds for drawing by kind to pay.
fn kinds<T: Ord + Clone>(docs: impl Iterator<Item = T>, n: usize) -> Option<Vec<(T, u64)>> {
    let mut all: Vec<T> = docs.collect();
    all.sort_unstable();
    let mut kinds: Vec<(T, u64)> = Vec::new();
    for d in all {
        match kinds.last_mut() {
            Some((k, c)) if *k == d => *c += 1,
            _ => {
                if (kinds.len() + 1) * DOCUMENTS_A_KIND > n {
                    return None;
                }
                kinds.push((d, 1));
            }
        }
    }
    Some(kinds)
}

/// One replicate by kind: how many of `n` documents drawn with replacement are of each kind
/// (`sizes`, summing to `n`), into `out`.
fn multinomial(rng: &mut Xoshiro256PlusPlus, sizes: &[u64], out: &mut [u64]) {
    let (mut left, mut weight): (u64, u64) = (sizes.iter().sum(), sizes.iter().sum());
    for (i, &size) in sizes.iter().enumerate() {
        out[i] = if left == 0 || size == 0 {
            0
        } else if size == weight {
            left
        } else {
            let p = size as f64 / weight as f64;
            Binomial::new(left, p)
                .expect("p lies in (0, 1)")
                .sample(rng)
        };
        left -= out[i];
        weight -= size;
    }
}

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
    let rng = Xoshiro256PlusPlus::seed_from_u64(stream);
    let by_kind = kinds(docs.iter().copied(), docs.len());
    Some(rate_and_share(docs, by_kind, samples, rng))
}

/// [`intervals`] with its random stream, drawing by kind when `by_kind` holds the kinds.
fn rate_and_share(
    docs: &[(u64, u64)],
    by_kind: Option<Vec<((u64, u64), u64)>>,
    samples: usize,
    mut rng: Xoshiro256PlusPlus,
) -> (Interval, Interval) {
    let mut rate = Vec::with_capacity(samples);
    let mut share = Vec::with_capacity(samples);
    let sizes: Vec<u64> = by_kind.iter().flatten().map(|k| k.1).collect();
    let mut drawn = vec![0u64; sizes.len()];
    for _ in 0..samples {
        let (mut c, mut t, mut using) = (0u64, 0u64, 0u64);
        if let Some(by_kind) = &by_kind {
            multinomial(&mut rng, &sizes, &mut drawn);
            for (&((dc, dt), _), &m) in by_kind.iter().zip(&drawn) {
                c += m * dc;
                t += m * dt;
                using += if dc > 0 { m } else { 0 };
            }
        } else {
            for _ in 0..docs.len() {
                let (dc, dt) = docs[rng.gen_range(0..docs.len())];
                c += dc;
                t += dt;
                using += (dc > 0) as u64;
            }
        }
        rate.push(if t > 0 {
            c as f64 * 1000.0 / t as f64
        } else {
            0.0
        });
        share.push(using as f64 / docs.len() as f64);
    }
    (percentiles(&mut rate), percentiles(&mut share))
}

/// A document's assigned passages: (topic, passages) for each of its topics, in the order
/// first assigned, and its assigned passages in all. A document of one topic (every short
/// post) holds it in place, without an allocation of its own: ten million posts held 500 MB of
/// these as a `Vec` each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocTopicCounts {
    topics: Topics,
    /// Assigned passages in all.
    pub total: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
enum Topics {
    #[default]
    None,
    One((u32, u32)),
    // Boxed twice on purpose: a thin pointer keeps the enum at 16 bytes, where a `Vec` or a
    // boxed slice would make every document's 24.
    #[allow(clippy::box_collection)]
    Many(Box<Vec<(u32, u32)>>),
}

impl DocTopicCounts {
    /// (topic, passages) for each of the document's topics, in the order first assigned.
    pub fn topics(&self) -> &[(u32, u32)] {
        match &self.topics {
            Topics::None => &[],
            Topics::One(one) => std::slice::from_ref(one),
            Topics::Many(many) => many,
        }
    }

    /// Counts one more passage of topic `t`.
    pub fn add(&mut self, t: u32) {
        self.total += 1;
        match &mut self.topics {
            Topics::None => self.topics = Topics::One((t, 1)),
            Topics::One(one) if one.0 == t => one.1 += 1,
            Topics::One(one) => self.topics = Topics::Many(Box::new(vec![*one, (t, 1)])),
            Topics::Many(many) => match many.iter_mut().find(|(x, _)| *x == t) {
                Some(e) => e.1 += 1,
                None => many.push((t, 1)),
            },
        }
    }
}

/// Ordered as the (topics, total) pair it stands for, so that kinds are drawn in one order.
impl Ord for DocTopicCounts {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.topics(), self.total).cmp(&(other.topics(), other.total))
    }
}

impl PartialOrd for DocTopicCounts {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
impl From<(Vec<(u32, u32)>, u32)> for DocTopicCounts {
    fn from((topics, total): (Vec<(u32, u32)>, u32)) -> DocTopicCounts {
        let mut d = DocTopicCounts::default();
        for (t, n) in topics {
            (0..n).for_each(|_| d.add(t));
        }
        assert_eq!(d.total, total, "a document's total is its topics' sum");
        d
    }
}

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
    let mut count = vec![0u64; k];
    let by_kind = kinds(docs.iter().copied(), docs.len());
    let sizes: Vec<u64> = by_kind.iter().flatten().map(|k| k.1).collect();
    let mut drawn = vec![0u64; sizes.len()];
    for _ in 0..samples {
        count.iter_mut().for_each(|c| *c = 0);
        let mut total = 0u64;
        if let Some(by_kind) = &by_kind {
            multinomial(&mut rng, &sizes, &mut drawn);
            for (&(d, _), &m) in by_kind.iter().zip(&drawn) {
                total += m * d.total as u64;
                d.topics()
                    .iter()
                    .for_each(|&(t, n)| count[t as usize] += m * n as u64);
            }
        } else {
            for _ in 0..docs.len() {
                let d = docs[rng.gen_range(0..docs.len())];
                total += d.total as u64;
                d.topics()
                    .iter()
                    .for_each(|&(t, n)| count[t as usize] += n as u64);
            }
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
        let a = DocTopicCounts::from((vec![(0, 3), (1, 1)], 4));
        let b = DocTopicCounts::from((vec![(1, 2)], 2));
        let c = DocTopicCounts::from((vec![(0, 1), (2, 1)], 2));
        let docs = [&a, &b, &c];
        let one = topic_shares(&docs, 3, 2000, 9, 2).unwrap();
        assert_eq!(one, topic_shares(&docs, 3, 2000, 9, 2).unwrap());
        // Many documents of uneven sizes: another seed gives another draw.
        let many: Vec<DocTopicCounts> = (0..40u32)
            .map(|i| {
                DocTopicCounts::from((
                    vec![(i % 3, 1 + i % 7), ((i + 1) % 3, 1 + i % 4)],
                    2 + i % 7 + i % 4,
                ))
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

    /// Drawing by kind is drawing document by document: on 20,000 documents of four kinds the
    /// two give the same intervals, within the spread of the replicates.
    #[test]
    fn drawing_by_kind_is_drawing_each_document() {
        let kinds_of = [
            ((0, 12), 9_000),
            ((1, 12), 6_000),
            ((3, 25), 4_000),
            ((0, 3), 1_000),
        ];
        let docs: Vec<(u64, u64)> = kinds_of
            .iter()
            .flat_map(|&(d, n)| std::iter::repeat_n(d, n))
            .collect();
        let by_kind = kinds(docs.iter().copied(), docs.len()).expect("few kinds");
        assert_eq!(by_kind.len(), 4);
        assert_eq!(by_kind.iter().map(|k| k.1).sum::<u64>(), 20_000);
        let rng = |s| Xoshiro256PlusPlus::seed_from_u64(s);
        let each = rate_and_share(&docs, None, 4000, rng(1));
        let kind = rate_and_share(&docs, Some(by_kind), 4000, rng(2));
        // Rate: 21,000 occurrences in 292,000 tokens, 71.9 per 1,000, interval about ±1.4.
        let width = each.0.high - each.0.low;
        assert!(width > 1.0 && width < 4.0, "{each:?}");
        for (a, b) in [(each.0.low, kind.0.low), (each.0.high, kind.0.high)] {
            assert!((a - b).abs() < 0.1 * width, "{each:?} {kind:?}");
        }
        let width = each.1.high - each.1.low;
        for (a, b) in [(each.1.low, kind.1.low), (each.1.high, kind.1.high)] {
            assert!((a - b).abs() < 0.1 * width, "{each:?} {kind:?}");
        }
        // Many kinds for their documents: drawn one by one.
        assert!(kinds((0..100u64).map(|i| (i, i)), 100).is_none());
        // A multinomial draw holds every document once in all.
        let mut out = [0u64; 4];
        let mut r = rng(3);
        for _ in 0..100 {
            multinomial(&mut r, &[9_000, 6_000, 4_000, 1_000], &mut out);
            assert_eq!(out.iter().sum::<u64>(), 20_000);
        }
        multinomial(&mut r, &[5, 0], &mut out[..2]);
        assert_eq!(out[..2], [5, 0]);
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let mut v: Vec<f64> = (0..=100).map(f64::from).collect();
        let i = percentiles(&mut v);
        assert!((i.low - 2.5).abs() < 1e-12 && (i.high - 97.5).abs() < 1e-12);
    }
}
