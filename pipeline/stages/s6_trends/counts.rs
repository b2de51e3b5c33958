//! Counting: each wanted term's occurrences, documents and passages per period (aggregated with
//! polars from per-document counts), and per-document counts for the bootstrap.

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::artifacts::{Passages, TermId, Tokens};
use crate::error::{Error, Result};

/// A document's (term, count, passages) rows.
type DocCounts = Vec<(TermId, u64, u32)>;

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
pub struct PeriodCounts(HashMap<(u32, TermId), PeriodCount>);

impl PeriodCounts {
    /// The uses of `term` in `period` (none when it is not used there).
    pub fn get(&self, period: usize, term: TermId) -> PeriodCount {
        self.0
            .get(&(period as u32, term))
            .copied()
            .unwrap_or_default()
    }
}

/// [`PeriodCounts`] of the wanted terms, aggregated with polars from per-document counts.
pub fn period_counts(
    passages: &Passages,
    tokens: &Tokens,
    doc_period: &[usize],
    terms: &[TermId],
) -> Result<PeriodCounts> {
    let mut wanted = vec![false; tokens.vocabulary.terms.len()];
    terms.iter().for_each(|&t| wanted[t as usize] = true);
    let per_doc: Vec<(u32, DocCounts)> = passages
        .document_runs()
        .par_iter()
        .map(|r| {
            let doc = passages.passages[r.start].doc;
            let mut m: HashMap<TermId, (u64, u32)> = HashMap::new();
            for bag in &tokens.bags[r.clone()] {
                for &(t, n) in bag.iter().filter(|(t, _)| wanted[*t as usize]) {
                    let e = m.entry(t).or_default();
                    e.0 += n as u64;
                    e.1 += 1;
                }
            }
            let mut v: Vec<_> = m.into_iter().map(|(t, (c, p))| (t, c, p)).collect();
            v.sort_unstable();
            (doc_period[doc as usize] as u32, v)
        })
        .collect();
    let rows: usize = per_doc.iter().map(|d| d.1.len()).sum();
    let (mut period, mut term, mut count, mut psg) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    for (p, v) in &per_doc {
        for &(t, c, n) in v {
            period.push(*p);
            term.push(t);
            count.push(c);
            psg.push(n);
        }
    }
    let internal = |e: PolarsError| Error::Internal(format!("per-period aggregation: {e}"));
    let df = DataFrame::new_infer_height(vec![
        Column::new("period".into(), period),
        Column::new("term".into(), term),
        Column::new("count".into(), count),
        Column::new("passages".into(), psg),
    ])
    .map_err(internal)?;
    let out = df
        .lazy()
        .group_by([col("period"), col("term")])
        .agg([
            col("count").sum(),
            len().alias("documents"),
            col("passages").sum(),
        ])
        .collect()
        .map_err(internal)?;
    let get_u32 = |name: &str| -> Result<Vec<u32>> {
        let c = out
            .column(name)
            .map_err(internal)?
            .cast(&DataType::UInt32)
            .map_err(internal)?;
        Ok(c.u32().map_err(internal)?.into_no_null_iter().collect())
    };
    let (p, t, d, s) = (
        get_u32("period")?,
        get_u32("term")?,
        get_u32("documents")?,
        get_u32("passages")?,
    );
    let c = out
        .column("count")
        .map_err(internal)?
        .cast(&DataType::UInt64)
        .map_err(internal)?;
    let c: Vec<u64> = c.u64().map_err(internal)?.into_no_null_iter().collect();
    Ok(PeriodCounts(
        (0..out.height())
            .map(|i| {
                let uses = PeriodCount {
                    count: c[i],
                    documents: d[i],
                    passages: s[i],
                };
                ((p[i], t[i]), uses)
            })
            .collect(),
    ))
}

/// Word tokens of each document.
pub fn tokens_per_document(n_docs: usize, passages: &Passages, tokens: &Tokens) -> Vec<u64> {
    let mut out = vec![0u64; n_docs];
    for (i, p) in passages.passages.iter().enumerate() {
        out[p.doc as usize] += tokens.word_counts[i] as u64;
    }
    out
}

/// Occurrences of `term` in each document.
pub fn term_per_document(
    n_docs: usize,
    passages: &Passages,
    tokens: &Tokens,
    term: TermId,
) -> Vec<u64> {
    let mut out = vec![0u64; n_docs];
    for (i, p) in passages.passages.iter().enumerate() {
        if let Ok(j) = tokens.bags[i].binary_search_by_key(&term, |&(t, _)| t) {
            out[p.doc as usize] += tokens.bags[i][j].1 as u64;
        }
    }
    out
}
