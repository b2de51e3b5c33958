//! Co-occurrence profiles for successions: which terms a term keeps company with, read over
//! chosen periods.

use serde::{Deserialize, Serialize};

use rayon::prelude::*;

use super::shard::Shard;
use crate::artifacts::{TermId, Vocabulary};

/// Context dimensions: the terms in the most passages.
const CONTEXTS: usize = 2000;
/// Contexts kept per profile, the heaviest: a term's signature, without the long tail of
/// slight lifts that makes every pair of profiles look alike.
const PROFILE_TOP: usize = 100;

/// Co-occurrence profiles of terms, each read over its own periods, over the context terms
/// (the terms in the most passages): for context `c`, the positive log of `c`'s rate among the
/// tokens of the term's passages in those periods over `c`'s base rate in the same periods
/// (PPMI on tokens). Counting tokens on both sides cancels the pull of long passages, which
/// hold more of everything; base rates of the same periods cancel what an era talks about
/// anyway. A context sharing a word with the term is left out (its lift is trivial), as is
/// one seen fewer than twice with it. Rows keep their `PROFILE_TOP` heaviest contexts and are
/// L2-normalised.
pub(super) struct Profiles {
    /// Context term of each dimension.
    pub(super) contexts: Vec<TermId>,
    /// One row per read: (context, weight) by context, the `PROFILE_TOP` heaviest kept.
    pub(super) rows: Vec<Vec<(u32, f64)>>,
}

impl Profiles {
    /// The profiles from the merged counts.
    pub(super) fn of(spec: &ProfileSpec, counts: &ProfileCounts, vocab: &Vocabulary) -> Profiles {
        let width = spec.contexts.len();
        let stride = width + 1;
        let base = &counts.base;
        let rows = spec
            .reads
            .par_iter()
            .enumerate()
            .map(|(r, (term, ps))| {
                let co = &counts.co[r * stride..(r + 1) * stride];
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
                        let key = &vocab.terms[spec.contexts[d] as usize].key;
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
        Profiles {
            contexts: spec.contexts.clone(),
            rows,
        }
    }
}

/// What the profiles pass counts, decided on the driver: the context terms (those in the most
/// passages) and the reads (a term, the periods it is read over).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSpec {
    contexts: Vec<TermId>,
    /// Each vocabulary term's context dimension, `u32::MAX` for none.
    dim: Vec<u32>,
    reads: Vec<(TermId, Vec<usize>)>,
    /// Each vocabulary term's reads.
    reads_of: Vec<Vec<u32>>,
}

impl ProfileSpec {
    /// The contexts of `vocab` and the `reads` (a term, the periods it is read over).
    pub fn new(vocab: &Vocabulary, reads: &[(TermId, Vec<usize>)]) -> ProfileSpec {
        let mut by_spread: Vec<TermId> = (0..vocab.terms.len() as TermId).collect();
        by_spread.sort_by_key(|&t| (std::cmp::Reverse(vocab.terms[t as usize].passages), t));
        by_spread.truncate(CONTEXTS);
        let contexts = by_spread;
        let mut dim = vec![u32::MAX; vocab.terms.len()];
        contexts
            .iter()
            .enumerate()
            .for_each(|(d, &t)| dim[t as usize] = d as u32);
        let mut reads_of = vec![Vec::new(); vocab.terms.len()];
        for (r, (t, _)) in reads.iter().enumerate() {
            reads_of[*t as usize].push(r as u32);
        }
        ProfileSpec {
            contexts,
            dim,
            reads: reads.to_vec(),
            reads_of,
        }
    }
}

/// The profiles pass' partial: per period, the context tokens and the token mass of all its
/// passages (the base rates); per read, those of the passages of its periods that hold its
/// term. Sums of counts: shards merge by addition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileCounts {
    /// `[period · (contexts + 1) + dimension]`, the last column the token mass.
    base: Vec<u64>,
    /// `[read · (contexts + 1) + dimension]`, the same.
    co: Vec<u64>,
}

impl ProfileCounts {
    /// A shard's counts over `periods` periods.
    pub fn of(shard: &Shard, spec: &ProfileSpec, periods: usize) -> ProfileCounts {
        let stride = spec.contexts.len() + 1;
        let zero = || ProfileCounts {
            base: vec![0; periods * stride],
            co: vec![0; spec.reads.len() * stride],
        };
        let passages = &shard.passages.passages;
        // A few accumulators a thread: each is a dense (periods + reads) × contexts table, and
        // one per piece rayon cut (each fresh pages the kernel zeroed, then merged pairwise)
        // was 62% of the page zeroing of a 20 MB run. The sums are of integers, so how the
        // passages are cut does not change them.
        let pieces = 4 * rayon::current_num_threads();
        (0..passages.len())
            .into_par_iter()
            .with_min_len(passages.len().div_ceil(pieces).max(1))
            .fold(zero, |mut acc, i| {
                let p = shard.doc_period[passages[i].doc as usize];
                let bag = &shard.bags[i];
                let mass: u64 = bag.iter().map(|&(_, n)| n as u64).sum();
                let add = |line: &mut [u64]| {
                    for &(t, n) in bag {
                        let d = spec.dim[t as usize];
                        if d != u32::MAX {
                            line[d as usize] += n as u64;
                        }
                    }
                    line[stride - 1] += mass;
                };
                add(&mut acc.base[p * stride..(p + 1) * stride]);
                for &(t, _) in bag {
                    for &r in &spec.reads_of[t as usize] {
                        let r = r as usize;
                        if spec.reads[r].1.contains(&p) {
                            add(&mut acc.co[r * stride..(r + 1) * stride]);
                        }
                    }
                }
                acc
            })
            .reduce(zero, ProfileCounts::merge)
    }

    /// The counts of two shards.
    pub fn merge(mut self, other: ProfileCounts) -> ProfileCounts {
        self.base
            .iter_mut()
            .zip(&other.base)
            .for_each(|(a, b)| *a += b);
        self.co.iter_mut().zip(&other.co).for_each(|(a, b)| *a += b);
        self
    }
}
