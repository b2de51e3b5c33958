//! Strata: who was writing when. With `trends.stratify` naming a column (the source, a
//! country), each document belongs to one stratum, and a change between two periods can be
//! told apart into change within the voices heard in both and a change of the mix of voices.
//!
//! - **Composition**: documents and tokens of each stratum in each period.
//! - **Concentration**: the share of a term's occurrences (in the periods a change or burst
//!   covers) that come from its most frequent stratum.
//! - **Within-strata change**: the Mantel–Haenszel pooled odds ratio of the term's rate after
//!   against before, over the strata with documents in both periods (Mantel and Haenszel 1959),
//!   its log with the Robins–Breslow–Greenland variance (Robins, Breslow and Greenland 1986), as a
//!   z. Each stratum is a 2×2 table of the term's occurrences and the other word tokens, after and
//!   before; a stratum with an empty cell gets half a count in each (Haldane–Anscombe). A rise
//!   that comes only from new voices, or from more of the voices that always used the term, has a
//!   within-strata z near 0.

use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::shard::Shard;
use crate::artifacts::{Corpus, MixVerdict, Span, StratumMix, StratumPeriod, TermId};
use crate::error::{Error, Location, Result};

/// A change is clear within strata at this |z|, as the pooled one is.
const WITHIN_Z: f64 = 1.96;
/// A term is driven by one source when this share of its occurrences comes from one stratum
/// (and others were heard in the same periods).
const ONE_SOURCE: f64 = 0.8;

/// Each of `values`' stratum among `names`.
pub fn numbered(values: &[String], names: &[String]) -> Vec<u32> {
    let index: HashMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i as u32))
        .collect();
    values.iter().map(|v| index[v.as_str()]).collect()
}

/// Each document's value of `column` ("source", "title", "id" or a passed-through column) in
/// a shard's `corpus`; an empty value is the stratum "(none)". Strata are numbered by
/// documents, most first (ties by name): [`Documents`].
pub fn values(corpus: &Corpus, column: &str) -> Result<Vec<String>> {
    let extra = corpus.extra_columns.iter().position(|c| c == column);
    let value = |d: crate::artifacts::Doc| -> String {
        let v = match column {
            "source" => Some(d.source()),
            "title" => Some(d.title()),
            "id" => Some(d.id()),
            _ => extra.and_then(|i| d.extra_at(i)),
        };
        match v {
            Some(v) if !v.trim().is_empty() => v.trim().to_string(),
            _ => "(none)".to_string(),
        }
    };
    if extra.is_none() && !["source", "title", "id"].contains(&column) {
        let mut known = vec!["source".to_string(), "title".into(), "id".into()];
        known.extend(corpus.extra_columns.iter().cloned());
        return Err(Error::input(
            Location::file(&corpus.path),
            format!("--stratify {column}: the corpus has no column \"{column}\""),
            format!("name one of its columns: {}", known.join(", ")),
        ));
    }
    Ok(corpus.documents.iter().map(value).collect())
}

/// The strata names pass' partial: the documents of each stratum value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Documents(HashMap<String, u64>);

impl Documents {
    /// The documents of each of a shard's `values`.
    pub fn of(values: &[String]) -> Documents {
        let mut count = HashMap::new();
        for v in values {
            *count.entry(v.clone()).or_insert(0) += 1;
        }
        Documents(count)
    }

    /// The documents of two shards.
    pub fn merge(mut self, other: Documents) -> Documents {
        for (v, n) in other.0 {
            *self.0.entry(v).or_insert(0) += n;
        }
        self
    }

    /// The strata, numbered by documents, most first (ties by name).
    pub fn names(self) -> Vec<String> {
        let mut names: Vec<(String, u64)> = self.0.into_iter().collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        names.into_iter().map(|(n, _)| n).collect()
    }
}

/// The strata pass' partial: documents and word tokens of each (period, stratum), and the
/// occurrences of each wanted term by (period, stratum). Sums of counts: shards merge by
/// addition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StrataCounts {
    /// (period, stratum) → (documents, word tokens).
    cells: HashMap<(usize, u32), (u32, u64)>,
    /// (term, period, stratum) → occurrences.
    terms: HashMap<(TermId, usize, u32), u64>,
}

impl StrataCounts {
    /// A shard's counts, its documents' strata `doc_stratum`, of the `wanted` terms.
    pub fn of(shard: &Shard, doc_stratum: &[u32], wanted: &[TermId]) -> StrataCounts {
        let wanted: std::collections::HashSet<TermId> = wanted.iter().copied().collect();
        let mut out = StrataCounts::default();
        for (d, &p) in shard.doc_period.iter().enumerate() {
            out.cells.entry((p, doc_stratum[d])).or_default().0 += 1;
        }
        for (i, (psg, bag)) in shard.passages.passages.iter().zip(shard.bags).enumerate() {
            let d = psg.doc as usize;
            let (p, s) = (shard.doc_period[d], doc_stratum[d]);
            out.cells.entry((p, s)).or_default().1 += shard.word_counts[i] as u64;
            for &(t, n) in bag {
                if wanted.contains(&t) {
                    *out.terms.entry((t, p, s)).or_insert(0) += n as u64;
                }
            }
        }
        out
    }

    /// The counts of two shards.
    pub fn merge(mut self, other: StrataCounts) -> StrataCounts {
        for (k, (d, t)) in other.cells {
            let c = self.cells.entry(k).or_default();
            c.0 += d;
            c.1 += t;
        }
        for (k, n) in other.terms {
            *self.terms.entry(k).or_insert(0) += n;
        }
        self
    }

    /// Documents and word tokens of each stratum in each period, for the pairs present.
    pub fn composition(&self) -> Vec<StratumPeriod> {
        let mut out: Vec<StratumPeriod> = self
            .cells
            .iter()
            .map(|(&(period, stratum), &(documents, tokens))| StratumPeriod {
                period,
                stratum,
                documents,
                tokens,
            })
            .collect();
        out.sort_by_key(|c| (c.period, c.stratum));
        out
    }

    /// The wanted terms' occurrences and the word tokens by (period, stratum).
    pub fn into_terms(self) -> TermStrata {
        TermStrata {
            counts: self.terms,
            tokens: self.cells.into_iter().map(|(k, (_, t))| (k, t)).collect(),
        }
    }
}

/// Occurrences of each wanted term by (period, stratum).
pub struct TermStrata {
    counts: HashMap<(TermId, usize, u32), u64>,
    /// Word tokens by (period, stratum).
    tokens: HashMap<(usize, u32), u64>,
}

impl TermStrata {
    fn count(&self, t: TermId, p: usize, s: u32) -> u64 {
        self.counts.get(&(t, p, s)).copied().unwrap_or(0)
    }

    /// The stratum with most of `t`'s occurrences over `periods`, and its share; `None` when
    /// the term does not occur there.
    pub fn top(&self, t: TermId, periods: &[usize], strata: usize) -> Option<(u32, f64)> {
        let by: Vec<u64> = (0..strata as u32)
            .map(|s| periods.iter().map(|&p| self.count(t, p, s)).sum())
            .collect();
        let total: u64 = by.iter().sum();
        let (best, &n) = by
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
        (total > 0).then(|| (best as u32, n as f64 / total as f64))
    }

    /// Whether the burst of `t` over `periods` is one voice's habit made loud by its larger
    /// part of the corpus, not a change of what anyone says: the voice holds [`ONE_SOURCE`] of
    /// the term's occurrences there, its share of those periods' word tokens is at least twice
    /// its share of the other periods' (or it is heard nowhere else), and within the voices
    /// heard both inside and outside the burst the term did not clearly rise (Mantel–Haenszel
    /// z below [`WITHIN_Z`]).
    pub fn one_voice(&self, t: TermId, periods: &[usize], strata: usize) -> bool {
        let Some((s, share)) = self.top(t, periods, strata) else {
            return false;
        };
        let inside = |p: usize| periods.contains(&p);
        // Per voice: (term inside, tokens inside, term outside, tokens outside).
        let mut by = vec![[0u64; 4]; strata];
        for (&(p, v), &n) in &self.tokens {
            by[v as usize][if inside(p) { 1 } else { 3 }] += n;
        }
        for (&(term, p, v), &n) in &self.counts {
            if term == t {
                by[v as usize][if inside(p) { 0 } else { 2 }] += n;
            }
        }
        let heard = by.iter().filter(|c| c[1] > 0).count();
        if share < ONE_SOURCE || heard < 2 {
            return false;
        }
        let total = |k: usize| by.iter().map(|c| c[k]).sum::<u64>().max(1) as f64;
        let (voice_in, voice_out) = (by[s as usize][1] as f64, by[s as usize][3] as f64);
        let grew = voice_out == 0.0 || voice_in / total(1) >= 2.0 * voice_out / total(3);
        let tables: Vec<[f64; 4]> = by
            .iter()
            .filter(|c| c[1] > 0 && c[3] > 0)
            .map(|c| {
                [
                    c[0] as f64,
                    (c[1] - c[0]) as f64,
                    c[2] as f64,
                    (c[3] - c[2]) as f64,
                ]
            })
            .collect();
        let rose_within = mantel_haenszel_z(&tables).is_some_and(|z| z >= WITHIN_Z);
        grew && !rose_within
    }

    /// Occurrences of `t` by voice `s` over the periods of `span`.
    fn count_in(&self, t: TermId, span: Span, s: u32) -> u64 {
        span.periods().map(|p| self.count(t, p, s)).sum()
    }

    /// Word tokens of voice `s` over the periods of `span`.
    fn tokens_in(&self, span: Span, s: u32) -> u64 {
        span.periods()
            .map(|p| self.tokens.get(&(p, s)).copied().unwrap_or(0))
            .sum()
    }

    /// How a change of `t` from side `a` to `b` (pooled z `z`) splits between voices.
    pub fn mix(&self, t: TermId, a: Span, b: Span, z: f64, strata: usize) -> StratumMix {
        let both: Vec<usize> = a.periods().chain(b.periods()).collect();
        let (top_stratum, top_share) = self.top(t, &both, strata).unwrap_or((0, 0.0));
        let shared: Vec<u32> = (0..strata as u32)
            .filter(|&s| self.tokens_in(a, s) > 0 && self.tokens_in(b, s) > 0)
            .collect();
        let tables: Vec<[f64; 4]> = shared
            .iter()
            .map(|&s| {
                let (after, before) = (self.count_in(t, b, s), self.count_in(t, a, s));
                [
                    after as f64,
                    (self.tokens_in(b, s) - after) as f64,
                    before as f64,
                    (self.tokens_in(a, s) - before) as f64,
                ]
            })
            .collect();
        let within_z = mantel_haenszel_z(&tables);
        // New voices' part of a rise (or gone voices' part of a fall).
        let (from, other) = if z >= 0.0 { (b, a) } else { (a, b) };
        let (mut one, mut all) = (0u64, 0u64);
        for s in 0..strata as u32 {
            let n = self.count_in(t, from, s);
            all += n;
            if self.tokens_in(other, s) == 0 {
                one += n;
            }
        }
        let one_period_share = if all > 0 {
            one as f64 / all as f64
        } else {
            0.0
        };
        let heard: std::collections::HashSet<u32> = both
            .iter()
            .flat_map(|&p| (0..strata as u32).filter(move |&s| self.tokens.contains_key(&(p, s))))
            .collect();
        let verdict = match within_z {
            None => MixVerdict::Confounded,
            Some(_) if heard.len() > 1 && top_share >= ONE_SOURCE => MixVerdict::OneSource,
            Some(w) if w.abs() < WITHIN_Z || w.signum() != z.signum() => MixVerdict::ChangeOfMix,
            Some(_) => MixVerdict::Within,
        };
        StratumMix {
            top_stratum,
            top_share,
            within_z,
            shared_strata: shared.len() as u32,
            one_period_share,
            verdict,
        }
    }
}

/// The z of the Mantel–Haenszel log odds ratio over 2×2 tables `[a, b, c, d]` (term after,
/// other tokens after, term before, other tokens before), with the Robins–Breslow–Greenland
/// variance; `None` without tables or when no table carries information.
pub fn mantel_haenszel_z(tables: &[[f64; 4]]) -> Option<f64> {
    let (mut r, mut s, mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for t in tables {
        let t = if t.contains(&0.0) {
            [t[0] + 0.5, t[1] + 0.5, t[2] + 0.5, t[3] + 0.5]
        } else {
            *t
        };
        let [a, b, c, d] = t;
        let n = a + b + c + d;
        let (ri, si) = (a * d / n, b * c / n);
        let (pi, qi) = ((a + d) / n, (b + c) / n);
        r += ri;
        s += si;
        pr += pi * ri;
        ps_qr += pi * si + qi * ri;
        qs += qi * si;
    }
    if tables.is_empty() || r <= 0.0 || s <= 0.0 {
        return None;
    }
    let var = pr / (2.0 * r * r) + ps_qr / (2.0 * r * s) + qs / (2.0 * s * s);
    Some((r / s).ln() / var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s6_trends::shard::Fixture;

    #[test]
    fn strata_counted_in_shards_merged_in_any_order_are_the_whole_corpus_counts() {
        let f = Fixture::new();
        let values: Vec<String> = ["b", "a", "b", "c", "a", "b", "b"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        let names = Documents::of(&values[4..])
            .merge(Documents::of(&values[..4]))
            .names();
        assert_eq!(names, ["b", "a", "c"]);
        let stratum = |v: &String| names.iter().position(|n| n == v).unwrap() as u32;
        let doc_stratum: Vec<u32> = values.iter().map(stratum).collect();
        let wanted: Vec<TermId> = (0..f.tokens.vocabulary.terms.len() as TermId).collect();
        let counts = |from: usize, to: usize| {
            f.shard(from, to, |s| {
                StrataCounts::of(s, &doc_stratum[from..to], &wanted)
            })
        };
        let whole = counts(0, 7);
        let split = counts(3, 7).merge(counts(0, 1)).merge(counts(1, 3));
        assert_eq!(split, whole);
        assert_eq!(
            whole.composition().iter().map(|c| c.documents).sum::<u32>(),
            7
        );
    }

    #[test]
    fn a_rise_that_is_all_a_change_of_mix_has_no_change_within_sources() {
        // Source A uses the term at 10 per 100 tokens, source B at 1 per 100, in both periods.
        // Before, 100 tokens from A and 900 from B; after, 900 from A and 100 from B. Pooled,
        // the rate goes from (10 + 9) / 1000 = 1.9% to (90 + 1) / 1000 = 9.1%: a rise. Within
        // each source nothing changed: each odds ratio is 1, and so is the Mantel–Haenszel one.
        let tables = [[90.0, 810.0, 10.0, 90.0], [1.0, 99.0, 9.0, 891.0]];
        let z = mantel_haenszel_z(&tables).unwrap();
        assert!(z.abs() < 1e-9, "{z}");
        // By hand, pooled: ln((91/909) / (19/981)) = 1.643, far from 0.
        let pooled: f64 = ((91.0_f64 / 909.0) / (19.0 / 981.0)).ln();
        assert!((pooled - 1.6427).abs() < 1e-3, "{pooled}");
    }

    /// Term 0's counts and the word tokens by (period, voice).
    fn strata(counts: &[((usize, u32), u64)], tokens: &[((usize, u32), u64)]) -> TermStrata {
        TermStrata {
            counts: counts.iter().map(|&((p, s), n)| ((0, p, s), n)).collect(),
            tokens: tokens.iter().copied().collect(),
        }
    }

    #[test]
    fn a_burst_is_one_voices_when_that_voice_carries_it_and_its_share_grew() {
        // Two voices; in period 1 voice 1 supplies 900 of 1000 tokens, elsewhere 100 of 1000.
        let tokens = [
            ((0, 0), 900),
            ((0, 1), 100),
            ((1, 0), 100),
            ((1, 1), 900),
            ((2, 0), 900),
            ((2, 1), 100),
        ];
        // Voice 1 says it 9 times in 900 tokens in period 1, as often as in periods 0 and 2
        // (1 in 100 each): its habit, made loud by its larger part.
        let by = strata(
            &[((1, 1), 9), ((1, 0), 1), ((0, 1), 1), ((2, 1), 1)],
            &tokens,
        );
        assert!(by.one_voice(0, &[1], 2));
        // Voice 1 says it far more often in period 1 than before and after: a burst within
        // the voice, whatever its share.
        let by = strata(&[((1, 1), 90), ((1, 0), 10)], &tokens);
        assert!(!by.one_voice(0, &[1], 2));
        // The same term said by both voices alike holds across voices.
        let by = strata(&[((1, 1), 5), ((1, 0), 5)], &tokens);
        assert!(!by.one_voice(0, &[1], 2));
        // One voice carrying it, but with the same share as elsewhere, is no change of voices.
        let even = [((0, 0), 500), ((0, 1), 500), ((1, 0), 500), ((1, 1), 500)];
        let by = strata(&[((1, 1), 9), ((1, 0), 1)], &even);
        assert!(!by.one_voice(0, &[1], 2));
        // With one voice heard in those periods, nothing tells voices apart.
        let alone = [((0, 0), 500), ((1, 1), 500)];
        let by = strata(&[((1, 1), 9)], &alone);
        assert!(!by.one_voice(0, &[1], 2));
    }

    #[test]
    fn a_rise_within_one_source_is_found_against_the_hand_computed_ratio() {
        // One stratum: 30 of 1000 after, 10 of 1000 before. OR = (30·990)/(970·10) = 3.0619;
        // RGB variance for one table = 1/a + 1/b + 1/c + 1/d.
        let z = mantel_haenszel_z(&[[30.0, 970.0, 10.0, 990.0]]).unwrap();
        let or: f64 = 30.0 * 990.0 / (970.0 * 10.0);
        let se = (1.0 / 30.0 + 1.0 / 970.0 + 1.0 / 10.0 + 1.0 / 990.0_f64).sqrt();
        assert!((z - or.ln() / se).abs() < 1e-9, "{z}");
        assert!(z > 1.96);
        assert!(mantel_haenszel_z(&[]).is_none());
    }
}
