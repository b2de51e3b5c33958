//! What the corpus says about its lines ([`Furniture`]): how many documents hold each short
//! line, each piece of one, each dateline's agency, each one-word aside and each stretch of a
//! run of labels, counted in one pass and added across shards; and, from those counts, the
//! lines and parts of lines each document loses.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::clean::{classify, lines, normalize, threshold, CleanParams, SHORT_LINE};
use super::closings::{Closings, DocClosings};
use super::inline::{
    dateline, label_runs, one_word, pieces, run_keys, stage_directions, SOURCE_SHARE,
};
use super::sketch::{self, Sketch};
use crate::artifacts::{Corpus, Rule};

/// Documents whose lines are read before their texts are released (see
/// [`Corpus::release_texts`]).
pub const DOC_BATCH: usize = 4_096;

/// A short line or piece of one, as the counts know it: the 128-bit XXH3 of its normalised
/// text. A corpus of millions of posts has millions of distinct short lines; counting them by
/// text held a `String` for each, twice (5 M posts: 45 s and 1.5 GB in segment). Two distinct
/// lines share a key with a chance of about n²/2¹²⁹ (10⁻²⁵ for 10⁷ lines), and the hash is the
/// same on every machine, so the counts of shards still add up to those of the whole.
pub type LineKey = u128;

/// The key of the normalised line `norm`.
pub fn line_key(norm: &str) -> LineKey {
    xxhash_rust::xxh3::xxh3_128(norm.as_bytes())
}

/// What one document adds to the [`Furniture`] counts, each item once: read in parallel, added
/// in document order.
#[derive(Default)]
struct DocLines {
    /// Its short lines (of at most 120 bytes).
    lines: Vec<LineKey>,
    /// The pieces of its short lines.
    pieces: Vec<LineKey>,
    /// The stretches of its runs of labels ([`label_runs`]).
    runs: Vec<u64>,
    /// The agencies of its datelines.
    agencies: Vec<String>,
    /// Its one-word asides.
    asides: Vec<String>,
    /// The lines of its closing block, and their words.
    closings: DocClosings,
}

/// Which of a document's items [`DocLines::of`] reads.
#[derive(Clone, Copy)]
struct Reading {
    lines: bool,
    pieces: bool,
    runs: bool,
    /// The datelines' agencies, the asides, and the words of the closing lines.
    asides: bool,
    closings: bool,
}

impl Reading {
    const ALL: Reading = Reading {
        lines: true,
        pieces: true,
        runs: true,
        asides: true,
        closings: true,
    };
}

impl DocLines {
    /// Every item of `text`.
    fn of(text: &str) -> DocLines {
        DocLines::reading(text, Reading::ALL)
    }

    /// The items of `text` that `reading` asks for (the datelines' agencies with the asides);
    /// the others are left empty.
    fn reading(text: &str, reading: Reading) -> DocLines {
        fn unique<T: Ord>(mut items: Vec<T>) -> Vec<T> {
            items.sort_unstable();
            items.dedup();
            items
        }
        let mut doc = DocLines::default();
        let ls = lines(text);
        for l in ls
            .iter()
            .filter(|l| l.standalone && l.text.len() <= SHORT_LINE)
        {
            if reading.lines && l.text.len() <= 120 && !l.norm.is_empty() {
                doc.lines.push(line_key(&l.norm));
            }
            if reading.pieces {
                for r in pieces(l.text) {
                    doc.pieces.push(line_key(&normalize(&l.text[r])));
                }
            }
        }
        if reading.runs {
            doc.runs = ls
                .iter()
                .flat_map(|l| {
                    label_runs(l.text)
                        .into_iter()
                        .flat_map(|run| run_keys(&run).collect::<Vec<_>>())
                })
                .collect();
        }
        doc.closings = DocClosings::of(&ls, reading.closings, reading.asides);
        if reading.asides {
            doc.agencies = ls
                .iter()
                .filter_map(|l| dateline(l.text).map(|(_, agency)| agency))
                .collect();
            doc.asides = ls
                .iter()
                .flat_map(|l| {
                    stage_directions(l.text)
                        .into_iter()
                        .filter_map(|r| one_word(&l.text[r]))
                })
                .collect();
        }
        DocLines {
            lines: unique(doc.lines),
            pieces: unique(doc.pieces),
            runs: unique(doc.runs),
            agencies: unique(doc.agencies),
            asides: unique(doc.asides),
            closings: doc.closings,
        }
    }
}

/// Reads each document's lines with `read` (document, text), in parallel a batch at a time
/// with the texts released after each, and hands them to `add` in document order.
fn each_batch<T: Send>(
    corpus: &Corpus,
    read: impl Fn(usize, &str) -> T + Sync,
    mut add: impl FnMut(usize, T),
) {
    let n = corpus.documents.len();
    for first in (0..n).step_by(DOC_BATCH) {
        let batch: Vec<T> = (first..(first + DOC_BATCH).min(n))
            .into_par_iter()
            .map(|d| read(d, corpus.documents.get(d).text()))
            .collect();
        corpus.release_texts();
        for (d, item) in (first..).zip(batch) {
            add(d, item);
        }
    }
}

/// The sketches of the first pass of [`Furniture::gather_decisive`]: of short lines, of pieces
/// of lines, of either within a source, and of stretches of runs within a source.
struct Sketches {
    lines: Sketch,
    pieces: Sketch,
    in_source: Sketch,
    runs: Sketch,
    closings: Sketch,
}

impl Sketches {
    /// Sketches of `width` blocks of counters.
    fn new(width: usize) -> Sketches {
        Sketches {
            lines: Sketch::new(width),
            pieces: Sketch::new(width),
            in_source: Sketch::new(width),
            runs: Sketch::new(width),
            closings: Sketch::new(width),
        }
    }

    /// Adds a document of source number `s`.
    fn add(&self, s: u32, doc: &DocLines) {
        let mut adds: Vec<(&Sketch, u128)> = Vec::with_capacity(
            2 * (doc.lines.len() + doc.pieces.len()) + doc.runs.len() + doc.closings.lines.len(),
        );
        for &k in &doc.lines {
            adds.push((&self.lines, k));
            adds.push((&self.in_source, in_source(s, k)));
        }
        for &k in &doc.pieces {
            adds.push((&self.pieces, k));
            adds.push((&self.in_source, in_source(s, k)));
        }
        for &k in &doc.runs {
            adds.push((&self.runs, of_source(s, k)));
        }
        for &k in &doc.closings.lines {
            adds.push((&self.closings, k));
        }
        // Every counter is read before any is added to: the reads wait for memory together,
        // where each atomic add would wait for its own (the sketches are megabytes).
        std::hint::black_box(adds.iter().map(|(sketch, k)| sketch.peek(*k)).sum::<u32>());
        for (sketch, k) in adds {
            sketch.add(k);
        }
    }
}

/// The sketch key of line or piece `k` within source number `s`.
fn in_source(s: u32, k: LineKey) -> u128 {
    let mut bytes = [0u8; 20];
    bytes[..4].copy_from_slice(&s.to_le_bytes());
    bytes[4..].copy_from_slice(&k.to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// The sketch key of stretch `k` of a run within source number `s`.
fn of_source(s: u32, k: u64) -> u128 {
    let mut bytes = [0u8; 12];
    bytes[..4].copy_from_slice(&s.to_le_bytes());
    bytes[4..].copy_from_slice(&k.to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// What the corpus says about its lines: how many documents (of all, of one source) hold each
/// short line and each piece of one ([`LineKey`]), and how many hold each agency's dateline and
/// each one-word aside. Gathered in one pass over the texts, a batch of documents at a time.
///
/// It can be kept ([`Furniture::decisive`] and serde) and applied to a shard of the corpus
/// ([`super::segment_with`]): a document's removed lines depend only on its own lines and on
/// these counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Furniture {
    threshold: usize,
    #[serde(serialize_with = "sorted")]
    shared: FxHashMap<LineKey, usize>,
    #[serde(serialize_with = "sorted")]
    source_docs: HashMap<String, usize>,
    /// Per source, its documents holding each short line or piece of one.
    #[serde(serialize_with = "sorted_nested")]
    in_source: HashMap<String, FxHashMap<LineKey, usize>>,
    #[serde(serialize_with = "sorted")]
    pieces_shared: FxHashMap<LineKey, usize>,
    #[serde(serialize_with = "sorted")]
    agencies: HashMap<String, usize>,
    #[serde(serialize_with = "sorted")]
    asides: HashMap<String, usize>,
    /// Per source, its documents holding each stretch of a run of labels ([`label_runs`]),
    /// wherever it sits in a line.
    #[serde(serialize_with = "sorted_nested", default)]
    runs: HashMap<String, HashMap<u64, usize>>,
    /// The lines of the documents' closing blocks, and their words ([`super::closings`]).
    closings: Closings,
    cross_document_min: usize,
}

/// A map written in key order, so that the same counts are always the same bytes.
pub(super) fn sorted<S: serde::Serializer, K: Ord + Serialize, H>(
    m: &HashMap<K, usize, H>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(m.iter().collect::<std::collections::BTreeMap<_, _>>())
}

/// Maps within a map, each written in key order.
fn sorted_nested<S: serde::Serializer, K: Ord + Serialize, H>(
    m: &HashMap<String, HashMap<K, usize, H>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(
        m.iter()
            .map(|(k, v)| (k, v.iter().collect::<std::collections::BTreeMap<_, _>>()))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
}

impl Furniture {
    /// No counts yet, for a corpus of `documents`.
    fn empty(params: CleanParams, documents: usize) -> Furniture {
        Furniture {
            threshold: threshold(params, documents),
            shared: FxHashMap::default(),
            source_docs: HashMap::new(),
            in_source: HashMap::new(),
            pieces_shared: FxHashMap::default(),
            agencies: HashMap::new(),
            asides: HashMap::new(),
            runs: HashMap::new(),
            closings: Closings::default(),
            cross_document_min: params.cross_document_min,
        }
    }

    /// Counts each source's documents.
    fn count_sources(&mut self, corpus: &Corpus) {
        for doc in &corpus.documents {
            match self.source_docs.get_mut(doc.source()) {
                Some(docs) => *docs += 1,
                None => {
                    self.source_docs.insert(doc.source().to_string(), 1);
                }
            }
        }
    }

    /// Reads every document's lines once and counts them all: the counts of a shard, to be
    /// added to the other shards' ([`Furniture::merge`]).
    pub fn gather(corpus: &Corpus, params: CleanParams) -> Furniture {
        let mut f = Furniture::empty(params, corpus.documents.len());
        f.count_sources(corpus);
        each_batch(
            corpus,
            |_, text| DocLines::of(text),
            |d, doc| f.count(corpus.documents.get(d).source(), doc),
        );
        f
    }

    /// The counts of a whole corpus that can decide anything: what
    /// `gather(corpus, params).decisive()` gives, in memory that does not grow with the number
    /// of distinct lines. A corpus of ten million posts has tens of millions of distinct short
    /// lines and stretches of labels, and counting each held gigabytes.
    ///
    /// The texts are read twice. The first pass adds every line, piece and stretch to count-min
    /// sketches ([`super::sketch`]), which never count a key short; the second counts exactly
    /// only the keys whose sketched count reaches their threshold. Every key that can decide is
    /// among them, with its exact count, so the result is the same.
    pub fn gather_decisive(corpus: &Corpus, params: CleanParams) -> Furniture {
        let width = sketch::width_for(corpus.documents.len());
        Furniture::gather_decisive_in(corpus, params, width)
    }

    /// [`Furniture::gather_decisive`], with sketches of `width` blocks of counters.
    fn gather_decisive_in(corpus: &Corpus, params: CleanParams, width: usize) -> Furniture {
        let n = corpus.documents.len();
        let mut f = Furniture::empty(params, n);
        f.count_sources(corpus);
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        for doc in &corpus.documents {
            let next = numbers.len() as u32;
            numbers.entry(doc.source()).or_insert(next);
        }
        let source = |d: usize| numbers[corpus.documents.get(d).source()];
        let thresholds: Vec<usize> = {
            let mut t = vec![0; numbers.len()];
            for (name, &number) in &numbers {
                t[number as usize] = f.source_threshold(name);
            }
            t
        };
        let sketches = Sketches::new(width);
        // First pass: every key into the sketches; the datelines and asides, which are few,
        // counted exactly.
        let mut first = Furniture::empty(params, n);
        each_batch(
            corpus,
            |d, text| {
                let mut doc = DocLines::of(text);
                sketches.add(source(d), &doc);
                (doc.lines, doc.pieces, doc.runs, doc.closings.lines) = Default::default();
                doc
            },
            |d, doc| first.count(corpus.documents.get(d).source(), doc),
        );
        f.agencies = first.agencies;
        f.asides = first.asides;
        f.closings.take_words(first.closings);
        // Second pass: the keys that may reach their threshold, counted exactly. A kind of
        // item none of whose sketched counts reaches the lowest threshold is not read again,
        // and when no kind can decide anything (posts that share no line), neither is the text.
        let (t, least) = (f.threshold, f.cross_document_min);
        let lowest = thresholds.iter().copied().min().unwrap_or(usize::MAX);
        let in_source_max = sketches.in_source.max();
        let reading = Reading {
            lines: sketches.lines.max() >= t || in_source_max >= lowest,
            pieces: sketches.pieces.max() >= t || in_source_max >= lowest,
            runs: sketches.runs.max() >= lowest,
            asides: false,
            closings: sketches.closings.max() >= least,
        };
        if !(reading.lines || reading.pieces || reading.runs || reading.closings) {
            return f.decisive();
        }
        each_batch(
            corpus,
            |d, text| {
                let mut doc = DocLines::reading(text, reading);
                let s = source(d);
                let reach = thresholds[s as usize];
                doc.lines.retain(|&k| {
                    sketches.lines.count(k) >= t
                        || sketches.in_source.count(in_source(s, k)) >= reach
                });
                doc.pieces.retain(|&k| {
                    sketches.pieces.count(k) >= t
                        || sketches.in_source.count(in_source(s, k)) >= reach
                });
                doc.runs
                    .retain(|&k| sketches.runs.count(of_source(s, k)) >= reach);
                doc.closings
                    .lines
                    .retain(|&k| sketches.closings.count(k) >= least);
                doc
            },
            |d, doc| f.count(corpus.documents.get(d).source(), doc),
        );
        f.decisive()
    }

    /// The counts of two parts of a corpus, added, with the threshold for a corpus of
    /// `documents` (both parts, and any other parts added since): counting the parts of a
    /// corpus apart and adding them gives the counts of the whole.
    pub fn merge(mut self, other: Furniture, params: CleanParams, documents: usize) -> Furniture {
        fn add<K: std::hash::Hash + Eq, H: std::hash::BuildHasher>(
            a: &mut HashMap<K, usize, H>,
            b: HashMap<K, usize, H>,
        ) {
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
        self.closings.merge(other.closings);
        self.threshold = threshold(params, documents);
        self
    }

    /// The counts that can decide anything: a line, piece, dateline or aside held by fewer
    /// documents than any threshold it is compared with can never be furniture, so it is left
    /// out. What [`Furniture::removed`] says of every document is unchanged.
    pub fn decisive(mut self) -> Furniture {
        let t = self.threshold;
        for m in [&mut self.shared, &mut self.pieces_shared] {
            m.retain(|_, n| *n >= t);
        }
        for m in [&mut self.agencies, &mut self.asides] {
            m.retain(|_, n| *n >= t);
        }
        self.closings.decisive(self.cross_document_min);
        /// Keeps what each source holds at least its threshold of, and the sources that keep
        /// anything.
        fn at_source_threshold<K, H>(
            by_source: &mut HashMap<String, HashMap<K, usize, H>>,
            threshold: impl Fn(&str) -> usize,
        ) {
            for (source, counted) in by_source.iter_mut() {
                let t = threshold(source);
                counted.retain(|_, n| *n >= t);
            }
            by_source.retain(|_, counted| !counted.is_empty());
        }
        let (mut in_source, mut runs) = (
            std::mem::take(&mut self.in_source),
            std::mem::take(&mut self.runs),
        );
        at_source_threshold(&mut in_source, |s| self.source_threshold(s));
        at_source_threshold(&mut runs, |s| self.source_threshold(s));
        (self.in_source, self.runs) = (in_source, runs);
        self
    }

    /// Adds one document's lines, of `source`, to the counts (not to its source's documents).
    fn count(&mut self, source: &str, mut doc: DocLines) {
        self.closings.add(std::mem::take(&mut doc.closings));
        let DocLines {
            lines,
            pieces,
            runs,
            agencies,
            asides,
            closings: _,
        } = &doc;
        if lines.is_empty()
            && pieces.is_empty()
            && runs.is_empty()
            && agencies.is_empty()
            && asides.is_empty()
        {
            return; // most posts: nothing to count, and no need to find the source's counts
        }
        if !self.in_source.contains_key(source) {
            self.in_source
                .insert(source.to_string(), FxHashMap::default());
        }
        let in_source = self.in_source.get_mut(source).expect("inserted");
        for &key in &doc.lines {
            *self.shared.entry(key).or_default() += 1;
        }
        // A key that is both a line and a piece of one counts twice in its source.
        for &key in doc.lines.iter().chain(&doc.pieces) {
            *in_source.entry(key).or_default() += 1;
        }
        for &key in &doc.pieces {
            *self.pieces_shared.entry(key).or_default() += 1;
        }
        if !doc.runs.is_empty() {
            let counted = self.runs.entry(source.to_string()).or_default();
            for key in doc.runs {
                *counted.entry(key).or_default() += 1;
            }
        }
        for agency in doc.agencies {
            *self.agencies.entry(agency).or_default() += 1;
        }
        for aside in doc.asides {
            *self.asides.entry(aside).or_default() += 1;
        }
    }

    /// Documents of `source` that a line, piece or run must recur in to be its furniture.
    fn source_threshold(&self, source: &str) -> usize {
        let docs = self.source_docs.get(source).copied().unwrap_or(0);
        self.cross_document_min
            .max((SOURCE_SHARE * docs as f64).ceil() as usize)
            .max(2)
    }

    /// Whether the line `key` is furniture of document `d`'s source: held by enough of its
    /// documents.
    fn of_source(&self, corpus: &Corpus, d: usize, key: LineKey) -> bool {
        let source = corpus.documents.get(d).source();
        let held = self
            .in_source
            .get(source)
            .and_then(|lines| lines.get(&key))
            .copied()
            .unwrap_or(0);
        // Every threshold is at least 2, so a line no document holds needs no threshold.
        held > 0 && held >= self.source_threshold(source)
    }

    /// The parts of `line` (starting at byte `at` of document `d`) that are runs of labels its
    /// source repeats: the words of each stretch of [`super::inline::RUN_WORDS`] held by enough
    /// of the source's documents, joined where they touch or overlap.
    fn repeated_runs(&self, corpus: &Corpus, d: usize, line: &str, at: usize) -> Vec<Range<usize>> {
        let source = corpus.documents.get(d).source();
        let Some(counted) = self.runs.get(source) else {
            return Vec::new();
        };
        let threshold = self.source_threshold(source);
        let mut out: Vec<Range<usize>> = Vec::new();
        for run in label_runs(line) {
            let mut covered = vec![false; run.len()];
            for (i, key) in run_keys(&run).enumerate() {
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
                out.push(at + run[first].range.start..at + run[i].range.end);
                i += 1;
            }
        }
        out
    }

    /// The lines to remove from document `d`, with the rule that removes each, by start.
    pub fn removed(&self, corpus: &Corpus, d: usize) -> Vec<(Range<usize>, Rule)> {
        let ls = lines(corpus.documents.get(d).text());
        let threshold = self.threshold;
        let mut out = classify(&ls, &self.shared, threshold, |key| {
            self.of_source(corpus, d, key)
        });
        let mut whole: HashSet<usize> = out.iter().map(|(r, _)| r.start).collect();
        for r in self.closings.removed(&ls, &whole, self.cross_document_min) {
            whole.insert(r.start);
            out.push((r, Rule::Signature));
        }
        for l in &ls {
            if whole.contains(&l.range.start) {
                continue;
            }
            let line_start = out.len();
            if l.standalone && l.text.len() <= SHORT_LINE {
                for r in pieces(l.text) {
                    let key = line_key(&normalize(&l.text[r.clone()]));
                    let shared_piece =
                        self.pieces_shared.get(&key).copied().unwrap_or(0) >= threshold;
                    if shared_piece || self.of_source(corpus, d, key) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::corpus;

    #[test]
    fn the_sketched_counts_decide_as_the_whole_counts_do() {
        // The seeds, and documents of three sources with shared lines, a source's masthead
        // pieces, runs of labels, datelines and asides, each many times over.
        let mut texts: Vec<String> = std::fs::read_dir("seeds")
            .expect("the seeds")
            .map(|e| std::fs::read_to_string(e.expect("a seed").path()).expect("a seed's text"))
            .collect();
        for i in 0..60 {
            let mut t = String::new();
            if i % 2 == 0 {
                t.push_str("Share this article\n\n");
            }
            if i % 3 == 0 {
                t.push_str(&format!("By Writer{i} | The Daily Post | Updated {i}\n\n"));
            }
            if i % 4 == 0 {
                t.push_str("BEIJING (Reuters) - Talks went on. (Applause.) More followed.\n\n");
            }
            t.push_str(&format!(
                "Story {i} about rain, farms and prices in the valley."
            ));
            if i % 5 < 3 {
                t.push_str(
                    " Send Facebook Twitter Google+ Whatsapp Tumblr linkedin Digg Permalink",
                );
            }
            if i % 7 == 0 {
                t.push_str("\n\nPosted by Lin Wei\nNanjing bureau");
            }
            texts.push(t);
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut c = corpus(&refs);
        c.documents.edit(|i, d| {
            d.source = ["", "Post", "Wire"][i % 3].to_string();
        });
        for share in [0.02, 0.3] {
            let params = CleanParams {
                cross_document_min: 3,
                cross_document_share: share,
            };
            let whole = Furniture::gather(&c, params).decisive();
            // At 2%, every kind of count decides something; at 30%, fewer do.
            let kinds = [
                whole.shared.is_empty(),
                whole.in_source.is_empty(),
                whole.pieces_shared.is_empty(),
                whole.runs.is_empty(),
                whole.agencies.is_empty(),
                whole.asides.is_empty(),
                whole.closings.is_empty(),
            ];
            let empty = kinds.iter().filter(|&&empty| empty).count();
            assert!(if share < 0.1 {
                empty == 0
            } else {
                empty > 0 && empty < kinds.len()
            });
            // One block: every key shares its counters; 64 blocks: few do.
            for width in [1, 4, 64] {
                assert_eq!(
                    Furniture::gather_decisive_in(&c, params, width),
                    whole,
                    "width {width}, share {share}"
                );
            }
        }
        // Posts that share no line: the sketches show that nothing can decide, and the texts
        // are not read a second time.
        let posts: Vec<String> = (0..50)
            .map(|i| format!("Note {i} on item {} and its cost.", i * 7))
            .collect();
        let refs: Vec<&str> = posts.iter().map(String::as_str).collect();
        let c = corpus(&refs);
        let params = CleanParams {
            cross_document_min: 3,
            cross_document_share: 0.02,
        };
        let whole = Furniture::gather(&c, params).decisive();
        assert!(whole.shared.is_empty() && whole.runs.is_empty());
        assert_eq!(Furniture::gather_decisive_in(&c, params, 4096), whole);
    }
}
