//! Co-occurrence profiles for successions: which terms a term keeps company with, read over
//! chosen periods.

use rayon::prelude::*;

use crate::artifacts::{Passages, TermId, Tokens};

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
    pub(super) fn new(
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
