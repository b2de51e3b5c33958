//! Counting: each wanted term's occurrences, documents and passages per period, and
//! per-document counts for the bootstrap.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::artifacts::{Passages, TermId, Tokens};
use crate::error::Result;

/// A term's uses in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodCount {
    /// Occurrences.
    pub count: u64,
    /// Documents using it.
    pub documents: u32,
    /// Passages using it.
    pub passages: u32,
}

/// The uses of the wanted terms in each period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodCounts(HashMap<(u32, TermId), PeriodCount>);

impl PeriodCounts {
    /// The counts, by (period index, term).
    pub fn from_map(counts: HashMap<(u32, TermId), PeriodCount>) -> PeriodCounts {
        PeriodCounts(counts)
    }

    /// Every non-zero count, by (period index, term).
    pub fn into_map(self) -> HashMap<(u32, TermId), PeriodCount> {
        self.0
    }

    /// The uses of `term` in `period` (none when it is not used there).
    pub fn get(&self, period: usize, term: TermId) -> PeriodCount {
        self.0
            .get(&(period as u32, term))
            .copied()
            .unwrap_or_default()
    }
}

/// [`PeriodCounts`] of the wanted terms, summed period by period: the documents of each period
/// are read in parallel, each into one dense row over the wanted terms that is then kept
/// sparse, so memory holds one row per worker and the non-zero counts, never a row per
/// document and term. (A polars group-by over per-document rows held both, and made the
/// trends stage the peak of a 1 GB run: 6.45 GiB.)
pub fn period_counts(
    passages: &Passages,
    tokens: &Tokens,
    doc_period: &[usize],
    terms: &[TermId],
) -> Result<PeriodCounts> {
    let mut column = vec![u32::MAX; tokens.vocabulary.terms.len()];
    for (c, &t) in terms.iter().enumerate() {
        column[t as usize] = c as u32;
    }
    let n_periods = doc_period.iter().max().map_or(0, |&p| p + 1);
    // Each document's passages lie together. The first passage of each document, grouped by
    // the document's period (a counting sort): four bytes a document, where the documents'
    // ranges, copied into a list per period, held half a gigabyte at the peak of a run of
    // 10 M posts.
    let all = &passages.passages;
    let starts = || (0..all.len()).filter(|&i| i == 0 || all[i].doc != all[i - 1].doc);
    let period_of = |i: usize| doc_period[all[i].doc as usize];
    let mut bounds = vec![0usize; n_periods + 1];
    for i in starts() {
        bounds[period_of(i) + 1] += 1;
    }
    for p in 0..n_periods {
        bounds[p + 1] += bounds[p];
    }
    let mut order = vec![0u32; bounds[n_periods]];
    let mut next = bounds.clone();
    for i in starts() {
        let p = period_of(i);
        order[next[p]] = u32::try_from(i).expect("fewer than 2³² passages");
        next[p] += 1;
    }
    let run = |start: u32| {
        let start = start as usize;
        let end = (start + 1..all.len())
            .find(|&j| all[j].doc != all[start].doc)
            .unwrap_or(all.len());
        start..end
    };
    let per_period: Vec<Vec<(TermId, PeriodCount)>> = (0..n_periods)
        .into_par_iter()
        .map(|p| {
            let runs = order[bounds[p]..bounds[p + 1]].iter().map(|&s| run(s));
            let mut acc = vec![PeriodCount::default(); terms.len()];
            // The last document (index into `runs`) that counted for each term.
            let mut last_doc = vec![usize::MAX; terms.len()];
            for (d, r) in runs.enumerate() {
                for bag in &tokens.bags[r] {
                    for &(t, n) in bag {
                        let c = column[t as usize];
                        if c == u32::MAX {
                            continue;
                        }
                        let e = &mut acc[c as usize];
                        e.count += n as u64;
                        e.passages += 1;
                        if last_doc[c as usize] != d {
                            last_doc[c as usize] = d;
                            e.documents += 1;
                        }
                    }
                }
            }
            acc.into_iter()
                .enumerate()
                .filter(|(_, e)| e.documents > 0)
                .map(|(c, e)| (terms[c], e))
                .collect()
        })
        .collect();
    Ok(PeriodCounts(
        per_period
            .into_iter()
            .enumerate()
            .flat_map(|(p, row)| row.into_iter().map(move |(t, e)| ((p as u32, t), e)))
            .collect(),
    ))
}
