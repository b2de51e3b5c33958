//! What the corpus says about its lines ([`Furniture`]): how many documents hold each short
//! line, each piece of one, each dateline's agency, each one-word aside and each stretch of a
//! run of labels, counted in one pass and added across shards; and, from those counts, the
//! lines and parts of lines each document loses.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::clean::{classify, lines, normalize, threshold, CleanParams, Line, SHORT_LINE};
use super::inline::{
    dateline, label_runs, one_word, pieces, run_keys, stage_directions, SOURCE_SHARE,
};
use crate::artifacts::{Corpus, Rule};

/// Documents whose lines are read before their texts are released (see
/// [`Corpus::release_texts`]).
pub const DOC_BATCH: usize = 4_096;

/// What the corpus says about its lines: how many documents (of all, of one source) hold each
/// short line and each piece of one, and how many hold each agency's dateline and each one-word
/// aside. Gathered in one pass over the texts, a batch of documents at a time.
///
/// It can be kept ([`Furniture::decisive`] and serde) and applied to a shard of the corpus
/// ([`super::segment_with`]): a document's removed lines depend only on its own lines and on
/// these counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Furniture {
    threshold: usize,
    #[serde(serialize_with = "sorted")]
    shared: HashMap<String, usize>,
    #[serde(serialize_with = "sorted")]
    source_docs: HashMap<String, usize>,
    /// Per source, its documents holding each short line or piece of one.
    #[serde(serialize_with = "sorted_nested")]
    in_source: HashMap<String, HashMap<String, usize>>,
    #[serde(serialize_with = "sorted")]
    pieces_shared: HashMap<String, usize>,
    #[serde(serialize_with = "sorted")]
    agencies: HashMap<String, usize>,
    #[serde(serialize_with = "sorted")]
    asides: HashMap<String, usize>,
    /// Per source, its documents holding each stretch of a run of labels ([`label_runs`]),
    /// wherever it sits in a line.
    #[serde(serialize_with = "sorted_nested", default)]
    runs: HashMap<String, HashMap<u64, usize>>,
    cross_document_min: usize,
}

/// A map written in key order, so that the same counts are always the same bytes.
fn sorted<S: serde::Serializer>(m: &HashMap<String, usize>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().collect::<std::collections::BTreeMap<_, _>>())
}

/// Maps within a map, each written in key order.
fn sorted_nested<S: serde::Serializer, K: Ord + Serialize>(
    m: &HashMap<String, HashMap<K, usize>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(
        m.iter()
            .map(|(k, v)| (k, v.iter().collect::<std::collections::BTreeMap<_, _>>()))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
}

impl Furniture {
    /// Reads every document's lines once and counts them.
    pub fn gather(corpus: &Corpus, params: CleanParams) -> Furniture {
        let mut f = Furniture {
            threshold: threshold(params, corpus.documents.len()),
            shared: HashMap::new(),
            source_docs: HashMap::new(),
            in_source: HashMap::new(),
            pieces_shared: HashMap::new(),
            agencies: HashMap::new(),
            asides: HashMap::new(),
            runs: HashMap::new(),
            cross_document_min: params.cross_document_min,
        };
        let n = corpus.documents.len();
        for first in (0..n).step_by(DOC_BATCH) {
            let batch = first..(first + DOC_BATCH).min(n);
            let docs: Vec<Vec<Line>> = batch
                .clone()
                .into_par_iter()
                .map(|d| lines(&corpus.documents[d].text))
                .collect();
            f.count(corpus, batch.start, &docs);
            drop(docs);
            corpus.release_texts();
        }
        f
    }

    /// The counts of two parts of a corpus, added, with the threshold for a corpus of
    /// `documents` (both parts, and any other parts added since): counting the parts of a
    /// corpus apart and adding them gives the counts of the whole.
    pub fn merge(mut self, other: Furniture, params: CleanParams, documents: usize) -> Furniture {
        fn add<K: std::hash::Hash + Eq>(a: &mut HashMap<K, usize>, b: HashMap<K, usize>) {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
        }
        add(&mut self.shared, other.shared);
        add(&mut self.source_docs, other.source_docs);
        for (source, lines) in other.in_source {
            add(self.in_source.entry(source).or_default(), lines);
        }
        add(&mut self.pieces_shared, other.pieces_shared);
        add(&mut self.agencies, other.agencies);
        add(&mut self.asides, other.asides);
        for (source, runs) in other.runs {
            add(self.runs.entry(source).or_default(), runs);
        }
        self.threshold = threshold(params, documents);
        self
    }

    /// The counts that can decide anything: a line, piece, dateline or aside held by fewer
    /// documents than any threshold it is compared with can never be furniture, so it is left
    /// out. What [`Furniture::removed`] says of every document is unchanged.
    pub fn decisive(mut self) -> Furniture {
        let t = self.threshold;
        let floor = self.cross_document_min.max(2);
        for m in [
            &mut self.shared,
            &mut self.pieces_shared,
            &mut self.agencies,
            &mut self.asides,
        ] {
            m.retain(|_, n| *n >= t);
        }
        for lines in self.in_source.values_mut() {
            lines.retain(|_, n| *n >= floor);
        }
        self.in_source.retain(|_, lines| !lines.is_empty());
        let mut runs = std::mem::take(&mut self.runs);
        for (source, counted) in &mut runs {
            let threshold = self.source_threshold(source);
            counted.retain(|_, n| *n >= threshold);
        }
        runs.retain(|_, counted| !counted.is_empty());
        self.runs = runs;
        self
    }

    /// Counts the lines of the documents from `first` on.
    fn count(&mut self, corpus: &Corpus, first: usize, docs: &[Vec<Line>]) {
        // Lines shared across documents: count each short line once per document.
        let shared: HashMap<&str, usize> = docs
            .par_iter()
            .fold(HashMap::new, |mut acc: HashMap<&str, usize>, ls| {
                let unique: HashSet<&str> = ls
                    .iter()
                    .filter(|l| l.standalone && !l.norm.is_empty() && l.text.len() <= 120)
                    .map(|l| l.norm.as_str())
                    .collect();
                for n in unique {
                    *acc.entry(n).or_default() += 1;
                }
                acc
            })
            .reduce(HashMap::new, |a, b| {
                let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (k, v) in small {
                    *big.entry(k).or_default() += v;
                }
                big
            });
        for (k, v) in shared {
            *self.shared.entry(k.to_string()).or_default() += v;
        }
        // Each document's stretches of runs of labels, wherever they sit in a line.
        let runs: Vec<HashSet<u64>> = docs
            .par_iter()
            .map(|ls| {
                ls.iter()
                    .flat_map(|l| {
                        label_runs(l.text)
                            .into_iter()
                            .flat_map(|run| run_keys(l.text, &run).collect::<Vec<_>>())
                    })
                    .collect()
            })
            .collect();
        // Within each source: its documents, and its short lines and pieces of lines, each
        // counted once per document, and its runs' stretches.
        for (i, ls) in docs.iter().enumerate() {
            let source = &corpus.documents[first + i].source;
            *self.source_docs.entry(source.clone()).or_default() += 1;
            let mut unique: HashSet<String> = HashSet::new();
            let mut unique_pieces: HashSet<String> = HashSet::new();
            for l in ls
                .iter()
                .filter(|l| l.standalone && l.text.len() <= SHORT_LINE)
            {
                if l.text.len() <= 120 && !l.norm.is_empty() {
                    unique.insert(l.norm.clone());
                }
                for r in pieces(l.text) {
                    unique_pieces.insert(normalize(&l.text[r]));
                }
            }
            let in_source = self.in_source.entry(source.clone()).or_default();
            for n in unique.into_iter().chain(unique_pieces.iter().cloned()) {
                *in_source.entry(n).or_default() += 1;
            }
            if !runs[i].is_empty() {
                let counted = self.runs.entry(source.clone()).or_default();
                for &key in &runs[i] {
                    *counted.entry(key).or_default() += 1;
                }
            }
            for n in unique_pieces {
                *self.pieces_shared.entry(n).or_default() += 1;
            }
        }
        // Datelines by agency, and one-word asides, counted once per document.
        for ls in docs {
            let unique: HashSet<String> = ls
                .iter()
                .filter_map(|l| dateline(l.text).map(|(_, agency)| agency))
                .collect();
            for a in unique {
                *self.agencies.entry(a).or_default() += 1;
            }
            let unique: HashSet<String> = ls
                .iter()
                .flat_map(|l| {
                    stage_directions(l.text)
                        .into_iter()
                        .filter_map(|r| one_word(&l.text[r]))
                })
                .collect();
            for a in unique {
                *self.asides.entry(a).or_default() += 1;
            }
        }
    }

    /// Documents of `source` that a line, piece or run must recur in to be its furniture.
    fn source_threshold(&self, source: &str) -> usize {
        let docs = self.source_docs.get(source).copied().unwrap_or(0);
        self.cross_document_min
            .max((SOURCE_SHARE * docs as f64).ceil() as usize)
            .max(2)
    }

    /// Whether `norm` is furniture of document `d`'s source: held by enough of its documents.
    fn of_source(&self, corpus: &Corpus, d: usize, norm: &str) -> bool {
        let source = &corpus.documents[d].source;
        self.in_source
            .get(source)
            .and_then(|lines| lines.get(norm))
            .copied()
            .unwrap_or(0)
            >= self.source_threshold(source)
    }

    /// The parts of `line` (starting at byte `at` of document `d`) that are runs of labels its
    /// source repeats: the words of each stretch of [`super::inline::RUN_WORDS`] held by enough
    /// of the source's documents, joined where they touch or overlap.
    fn repeated_runs(&self, corpus: &Corpus, d: usize, line: &str, at: usize) -> Vec<Range<usize>> {
        let source = &corpus.documents[d].source;
        let Some(counted) = self.runs.get(source) else {
            return Vec::new();
        };
        let threshold = self.source_threshold(source);
        let mut out: Vec<Range<usize>> = Vec::new();
        for run in label_runs(line) {
            let mut covered = vec![false; run.len()];
            for (i, key) in run_keys(line, &run).enumerate() {
                if counted.get(&key).copied().unwrap_or(0) >= threshold {
                    covered[i..i + super::inline::RUN_WORDS].fill(true);
                }
            }
            let mut i = 0;
            while i < run.len() {
                if !covered[i] {
                    i += 1;
                    continue;
                }
                let first = i;
                while i + 1 < run.len() && covered[i + 1] {
                    i += 1;
                }
                out.push(at + run[first].0.start..at + run[i].0.end);
                i += 1;
            }
        }
        out
    }

    /// The lines to remove from document `d`, with the rule that removes each, by start.
    pub fn removed(&self, corpus: &Corpus, d: usize) -> Vec<(Range<usize>, Rule)> {
        let ls = lines(&corpus.documents[d].text);
        let threshold = self.threshold;
        let mut out = classify(&ls, &self.shared, threshold, |n| {
            self.of_source(corpus, d, n)
        });
        let whole: HashSet<usize> = out.iter().map(|(r, _)| r.start).collect();
        for l in &ls {
            if whole.contains(&l.range.start) {
                continue;
            }
            let line_start = out.len();
            if l.standalone && l.text.len() <= SHORT_LINE {
                for r in pieces(l.text) {
                    let n = normalize(&l.text[r.clone()]);
                    let shared_piece =
                        self.pieces_shared.get(&n).copied().unwrap_or(0) >= threshold;
                    if shared_piece || self.of_source(corpus, d, &n) {
                        out.push((
                            l.range.start + r.start..l.range.start + r.end,
                            Rule::SourceFurniture,
                        ));
                    }
                }
            }
            let mut after = 0;
            if let Some((len, agency)) = dateline(l.text) {
                if self.agencies.get(&agency).copied().unwrap_or(0) >= threshold {
                    out.push((l.range.start..l.range.start + len, Rule::Dateline));
                    after = len;
                }
            }
            // A run of labels the source repeats, wherever it sits in the line, unless a piece
            // or the dateline took it already.
            for r in self.repeated_runs(corpus, d, l.text, l.range.start) {
                let taken = out[line_start..]
                    .iter()
                    .any(|(o, _)| o.start < r.end && r.start < o.end);
                if !taken {
                    out.push((r, Rule::SourceFurniture));
                }
            }
            let runs_end = out.len();
            for r in stage_directions(l.text) {
                // A one-word aside ("(Applause.)", but also "(Norge)" after a company's
                // name) counts only when many documents have it.
                let common = one_word(&l.text[r.clone()])
                    .is_none_or(|w| self.asides.get(&w).copied().unwrap_or(0) >= threshold);
                let at = l.range.start + r.start..l.range.start + r.end;
                let in_run = out[line_start..runs_end]
                    .iter()
                    .any(|(o, _)| o.start < at.end && at.start < o.end);
                if r.start >= after && common && !in_run {
                    out.push((
                        l.range.start + r.start..l.range.start + r.end,
                        Rule::StageDirection,
                    ));
                }
            }
        }
        out.sort_by_key(|(r, _)| r.start);
        out
    }
}
