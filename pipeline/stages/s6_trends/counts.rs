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
    let mut runs_of: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new(); n_periods];
    for r in passages.document_runs() {
        let doc = passages.passages[r.start].doc as usize;
        runs_of[doc_period[doc]].push(r);
    }
    let per_period: Vec<Vec<(TermId, PeriodCount)>> = runs_of
        .par_iter()
        .map(|runs| {
            let mut acc = vec![PeriodCount::default(); terms.len()];
            // The last document (index into `runs`) that counted for each term.
            let mut last_doc = vec![usize::MAX; terms.len()];
            for (d, r) in runs.iter().enumerate() {
                for bag in &tokens.bags[r.clone()] {
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
