//! Tracked terms: the terms the user asked for (or, without any, the clearest changes), each
//! with its change from the first period to the last and its series per period with bootstrap
//! intervals over the period's documents.

use serde::{Deserialize, Serialize};

use rayon::prelude::*;

use super::bootstrap;
use super::contrasts::log_odds;
use super::counts::PeriodCounts;
use super::shard::{DocRuns, Shard};
use crate::artifacts::{Change, Span, TermId, Tracked, TrackedPoint, Vocabulary};
use crate::config::TrendsConfig;
use crate::text::resolve;

/// The terms asked for, each resolved in the vocabulary (`None` when the corpus never uses it).
pub(super) fn asked(vocab: &Vocabulary, cfg: &TrendsConfig) -> Vec<Tracked> {
    cfg.track
        .iter()
        .map(|q| Tracked {
            query: q.clone(),
            term: resolve(vocab, q),
            series: Vec::new(),
            change: None,
        })
        .collect()
}

/// Without terms asked for: the three rising and two falling most from the first period to
/// the last.
pub(super) fn clearest(vocab: &Vocabulary, rising: &[Change], falling: &[Change]) -> Vec<Tracked> {
    rising
        .iter()
        .take(3)
        .chain(falling.iter().take(2))
        .map(|c| Tracked {
            query: vocab.terms[c.term as usize].surface.clone(),
            term: Some(c.term),
            series: Vec::new(),
            change: None,
        })
        .collect()
}

/// Each tracked term's change from the earliest periods to the latest
/// ([`crate::artifacts::Trends::ends`]), whatever its size.
pub(super) fn changes(
    tracked: &mut [Tracked],
    ends: Option<(Span, Span)>,
    terms: &[TermId],
    counts: &PeriodCounts,
    vocab: &Vocabulary,
) {
    if let Some((a, b)) = ends {
        let all = log_odds(terms, counts, a, b, vocab, 0);
        for tr in tracked {
            tr.change = tr
                .term
                .and_then(|t| all.iter().find(|c| c.term == t).cloned());
        }
    }
}

/// The tracked-terms pass' partial: each document's period and word tokens, and each use of a
/// tracked term. Uses are kept apart, as few documents use a given term: a vector of counts
/// for every document took ten million posts a gigabyte at the trends stage's peak.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackedCounts {
    /// The terms counted, in the order of the tracked terms the corpus uses.
    terms: Vec<TermId>,
    /// Each document's period and word tokens.
    docs: DocRuns<(usize, u64)>,
    /// Each document's uses of a counted term: (the document, numbered in the corpus; the
    /// term's place in `terms`; occurrences), in document order, then term order.
    uses: Vec<(u64, u32, u64)>,
}

impl TrackedCounts {
    /// A shard's counts of `terms`.
    pub fn of(shard: &Shard, terms: &[TermId]) -> Self {
        let mut docs: Vec<(usize, u64)> = shard.doc_period.iter().map(|&q| (q, 0)).collect();
        let mut uses: Vec<(u64, u32, u64)> = Vec::new();
        for (i, psg) in shard.passages.passages.iter().enumerate() {
            docs[psg.doc as usize].1 += shard.word_counts[i] as u64;
            let bag = &shard.bags[i];
            let doc = shard.first_doc + psg.doc as u64;
            for (j, &term) in terms.iter().enumerate() {
                if let Ok(at) = bag.binary_search_by_key(&term, |&(t, _)| t) {
                    uses.push((doc, j as u32, bag[at].1 as u64));
                }
            }
        }
        // A document's passages come one after another: its uses of a term are added up.
        uses.sort_unstable_by_key(|&(doc, j, _)| (doc, j));
        uses.dedup_by(|later, kept| {
            let same = (later.0, later.1) == (kept.0, kept.1);
            if same {
                kept.2 += later.2;
            }
            same
        });
        TrackedCounts {
            terms: terms.to_vec(),
            docs: DocRuns::of(shard.first_doc, docs),
            uses,
        }
    }

    /// The counts of two shards.
    pub fn merge(mut self, other: TrackedCounts) -> TrackedCounts {
        self.uses.extend(other.uses);
        // Shards hold runs of documents apart: a stable sort by document keeps each
        // document's uses in term order.
        self.uses.sort_by_key(|&(doc, _, _)| doc);
        TrackedCounts {
            terms: self.terms,
            docs: self.docs.merge(other.docs),
            uses: self.uses,
        }
    }

    /// Each tracked term's series over `periods` periods, with bootstrap intervals over the
    /// period's documents and the configured smoothing, from the merged counts.
    pub fn series(&self, tracked: &mut [Tracked], periods: usize, cfg: &TrendsConfig, seed: u64) {
        for tr in tracked {
            let Some(term) = tr.term else { continue };
            let j = self
                .terms
                .iter()
                .position(|&t| t == term)
                .expect("every tracked term is counted") as u32;
            let mut by_period: Vec<Vec<(u64, u64)>> = vec![Vec::new(); periods];
            let mut uses = self.uses.iter().filter(|u| u.1 == j).peekable();
            for (doc, (q, tokens)) in self.docs.numbered() {
                let count = match uses.next_if(|u| u.0 == doc) {
                    Some(&(_, _, n)) => n,
                    None => 0,
                };
                by_period[*q].push((count, *tokens));
            }
            tr.series = by_period
                .par_iter()
                .enumerate()
                .map(|(q, docs)| point(docs, q, term, cfg.bootstrap_samples, seed))
                .collect();
            let per_1k = smooth(
                &tr.series
                    .iter()
                    .map(|p| p.per_1k_tokens)
                    .collect::<Vec<_>>(),
                cfg.smoothing,
            );
            let share = smooth(
                &tr.series
                    .iter()
                    .map(|p| p.document_share)
                    .collect::<Vec<_>>(),
                cfg.smoothing,
            );
            for (i, p) in tr.series.iter_mut().enumerate() {
                p.per_1k_smoothed = per_1k[i];
                p.share_smoothed = share[i];
            }
        }
    }
}

/// A term in period `period` from its documents' (occurrences, word tokens), with bootstrap
/// intervals; smoothed values are filled in later.
fn point(
    docs: &[(u64, u64)],
    period: usize,
    term: TermId,
    samples: usize,
    seed: u64,
) -> TrackedPoint {
    let count: u64 = docs.iter().map(|d| d.0).sum();
    let toks: u64 = docs.iter().map(|d| d.1).sum();
    let using = docs.iter().filter(|d| d.0 > 0).count() as u32;
    let ci = bootstrap::intervals(docs, samples, seed, term, period);
    let nan = f64::NAN;
    TrackedPoint {
        period,
        count,
        per_1k_tokens: if toks > 0 {
            count as f64 * 1000.0 / toks as f64
        } else {
            nan
        },
        per_1k_low: ci.map_or(nan, |c| c.0.low),
        per_1k_high: ci.map_or(nan, |c| c.0.high),
        documents: using,
        document_share: if docs.is_empty() {
            nan
        } else {
            using as f64 / docs.len() as f64
        },
        share_low: ci.map_or(nan, |c| c.1.low),
        share_high: ci.map_or(nan, |c| c.1.high),
        per_1k_smoothed: nan,
        share_smoothed: nan,
    }
}

/// Centred moving average over `half` values either side, as the Ngram Viewer smooths: the
/// mean of the finite values in the window. A non-finite value (a gap) stays as it is and
/// never borrows from its neighbours.
pub fn smooth(values: &[f64], half: usize) -> Vec<f64> {
    (0..values.len())
        .map(|i| {
            if !values[i].is_finite() {
                return values[i];
            }
            let window = &values[i.saturating_sub(half)..(i + half + 1).min(values.len())];
            let finite: Vec<f64> = window.iter().copied().filter(|v| v.is_finite()).collect();
            finite.iter().sum::<f64>() / finite.len() as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s6_trends::shard::Fixture;

    #[test]
    fn counts_of_shards_merged_in_any_order_give_the_whole_corpus_series() {
        let f = Fixture::new();
        let vocab = &f.tokens.vocabulary;
        let tracked = || -> Vec<Tracked> {
            ["security", "law", "nowhere"]
                .iter()
                .map(|q| Tracked {
                    query: q.to_string(),
                    term: vocab.id_of_key(q),
                    series: Vec::new(),
                    change: None,
                })
                .collect()
        };
        let terms: Vec<TermId> = tracked().iter().filter_map(|t| t.term).collect();
        assert_eq!(terms.len(), 2);
        let counts = |from, to| f.shard(from, to, |s| TrackedCounts::of(s, &terms));
        let cfg = TrendsConfig {
            bootstrap_samples: 200,
            ..Default::default()
        };
        let (mut whole, mut split) = (tracked(), tracked());
        counts(0, 7).series(&mut whole, 3, &cfg, 5);
        counts(5, 7)
            .merge(counts(0, 3))
            .merge(counts(3, 5))
            .series(&mut split, 3, &cfg, 5);
        assert_eq!(format!("{split:?}"), format!("{whole:?}"));
        assert_eq!(whole[0].series.len(), 3);
        assert!(whole[0].series.iter().map(|p| p.count).sum::<u64>() > 0);
    }
}
