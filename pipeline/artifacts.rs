//! The hand-off types between stages, and nothing else.
//!
//! Each stage takes the artifacts of the stages before it by reference and returns its own.
//! Artifacts are plain data: no I/O, no references into other artifacts except by index
//! (a passage names its document by index, a bag names its terms by [`TermId`]).

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Index of a term in the [`Vocabulary`].
pub type TermId = u32;

// ---------------------------------------------------------------------------------------------
// Dates and periods
// ---------------------------------------------------------------------------------------------

/// A document's date, as precise as its source states it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct DocDate {
    /// Calendar year.
    pub year: i32,
    /// Month 1–12, when known.
    pub month: Option<u32>,
    /// Day of month, when known (only with a month).
    pub day: Option<u32>,
}

impl DocDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; `None` for anything else, including dates that
    /// do not exist (`2021-02-30`).
    pub fn parse(s: &str) -> Option<DocDate> {
        let s = s.trim();
        let mut parts = s.split('-');
        let year_s = parts.next()?;
        if year_s.len() != 4 || !year_s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year_s.parse().ok()?;
        let num = |p: Option<&str>| -> Option<Option<u32>> {
            match p {
                None => Some(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(Some(p.parse().ok()?))
                }
                Some(_) => None,
            }
        };
        let month = num(parts.next())?;
        let day = num(parts.next())?;
        if parts.next().is_some() {
            return None;
        }
        match (month, day) {
            (None, None) => {}
            (Some(m), None) if (1..=12).contains(&m) => {}
            (Some(m), Some(d)) => {
                chrono::NaiveDate::from_ymd_opt(year, m, d)?;
            }
            _ => return None,
        }
        Some(DocDate { year, month, day })
    }

    /// A date that states only a year.
    pub fn year(year: i32) -> DocDate {
        DocDate {
            year,
            month: None,
            day: None,
        }
    }
}

impl fmt::Display for DocDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// How documents are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PeriodUnit {
    /// Calendar decades: `1970s` (1970–1979).
    Decade,
    /// Calendar years: `2016`.
    Year,
    /// Calendar quarters: `2016-Q2`.
    Quarter,
    /// Calendar months: `2016-04`.
    Month,
}

/// One period of time. Orders chronologically among periods of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// A calendar decade, year, quarter or month.
    Calendar {
        /// The unit this period is measured in.
        unit: PeriodUnit,
        /// Calendar year (the first of a decade).
        year: i32,
        /// 0 for a decade or year, 1–4 for a quarter, 1–12 for a month.
        sub: u32,
    },
    /// A span between custom breakpoints (`--periods 2016,2018`), both ends inclusive and as
    /// precise as the breakpoints.
    Span {
        /// First year, month or day of the span.
        start: DocDate,
        /// Last year, month or day of the span.
        end: DocDate,
    },
}

impl PartialOrd for PeriodUnit {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PeriodUnit {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

impl PeriodUnit {
    /// The period a date falls in, or `None` when the date is less precise than the unit
    /// (a year-only date has no quarter).
    pub fn period_of(self, date: DocDate) -> Option<Period> {
        let sub = match self {
            PeriodUnit::Decade => {
                return Some(Period::Calendar {
                    unit: self,
                    year: date.year.div_euclid(10) * 10,
                    sub: 0,
                })
            }
            PeriodUnit::Year => 0,
            PeriodUnit::Quarter => (date.month? - 1) / 3 + 1,
            PeriodUnit::Month => date.month?,
        };
        Some(Period::Calendar {
            unit: self,
            year: date.year,
            sub,
        })
    }

    /// The period after `p` (calendar order), used to list empty periods as gaps.
    ///
    /// # Panics
    /// When `p` is not a calendar period of this unit.
    pub fn next(self, p: Period) -> Period {
        let Period::Calendar { unit, year, sub } = p else {
            panic!("{p} is not a calendar period");
        };
        assert_eq!(unit, self, "{p} is not a period of {self:?}");
        let (year, sub) = match self {
            PeriodUnit::Decade => (year + 10, 0),
            PeriodUnit::Year => (year + 1, 0),
            PeriodUnit::Quarter if sub >= 4 => (year + 1, 1),
            PeriodUnit::Month if sub >= 12 => (year + 1, 1),
            PeriodUnit::Quarter | PeriodUnit::Month => (year, sub + 1),
        };
        Period::Calendar {
            unit: self,
            year,
            sub,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Calendar { unit, year, sub } => match unit {
                PeriodUnit::Decade => write!(f, "{year:04}s"),
                PeriodUnit::Year => write!(f, "{year:04}"),
                PeriodUnit::Quarter => write!(f, "{year:04}-Q{sub}"),
                PeriodUnit::Month => write!(f, "{year:04}-{sub:02}"),
            },
            Period::Span { start, end } if start == end => write!(f, "{start}"),
            Period::Span { start, end } => write!(f, "{start}–{end}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// s1 ingest -> Corpus
// ---------------------------------------------------------------------------------------------

/// One dated document, as read from the corpus.
#[derive(Debug, Clone)]
pub struct Document {
    /// Stable identifier: the file name for directory corpora, the id column (or row number)
    /// for table corpora.
    pub id: String,
    /// Title, possibly empty.
    pub title: String,
    /// Source (publisher, speaker, country code), possibly empty.
    pub source: String,
    /// The document's date.
    pub date: DocDate,
    /// Whether the date was given or read from the text (with its evidence).
    pub date_source: DateSource,
    /// Where the document came from, for messages: `seeds/001_x.txt` or `corpus.jsonl:17`.
    pub origin: String,
    /// The full text, UTF-8, exactly as read (no normalisation: offsets index into it).
    pub text: String,
    /// Values of the input's other columns ([`Corpus::extra_columns`]), passed through to the
    /// `documents` table.
    pub extra: Vec<Option<String>>,
}

/// Where a document's date comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DateSource {
    /// The manifest or table gave it.
    Given,
    /// Read from the document's text.
    Extracted {
        /// The words that state it.
        evidence: String,
        /// Confidence, 0–1.
        confidence: f64,
    },
}

/// Output of ingest: the documents in input order.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The path the corpus was read from.
    pub path: PathBuf,
    /// Documents, in the order of the manifest or table.
    pub documents: Vec<Document>,
    /// Documents left out for want of a date (`--undated drop`), by origin.
    pub dropped_undated: Vec<String>,
    /// Documents left out for having no text (`--empty drop`), by origin.
    pub dropped_empty: Vec<String>,
    /// Names of the input columns topictide does not read itself (a `label`, a `country`), in
    /// input order; each document holds their values.
    pub extra_columns: Vec<String>,
    /// Input columns neither read nor passed through, because their values cannot be written as
    /// text (a Parquet list or struct column): "name (type)". Listed in `run.json`.
    pub columns_left_out: Vec<String>,
}

impl Corpus {
    /// Total bytes of document text.
    pub fn text_bytes(&self) -> usize {
        self.documents.iter().map(|d| d.text.len()).sum()
    }
}

// ---------------------------------------------------------------------------------------------
// s2 segment -> Passages
// ---------------------------------------------------------------------------------------------

/// A passage: a paragraph (or merged short paragraphs) of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Index of the document in [`Corpus::documents`].
    pub doc: u32,
    /// Position of this passage within its document, from 0.
    pub index: u32,
    /// Byte range of the passage in its document's text; always on `char` boundaries.
    pub range: Range<usize>,
}

/// A line that cleaning removed as page furniture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedLine {
    /// Index of the document.
    pub doc: u32,
    /// Byte range of the (trimmed) line in its document's text.
    pub range: Range<usize>,
    /// The rule that removed it.
    pub rule: crate::stages::s2_segment::clean::Rule,
}

/// Output of segment: every passage of every document, in document order then text order.
#[derive(Debug, Clone, Default)]
pub struct Passages {
    /// The passages.
    pub passages: Vec<Passage>,
    /// Lines removed as page furniture, in document order then text order.
    pub removed: Vec<RemovedLine>,
}

impl Passages {
    /// Ranges of passage indices, one per document that has passages, in document order.
    pub fn document_runs(&self) -> Vec<Range<usize>> {
        let mut runs: Vec<Range<usize>> = Vec::new();
        for (i, p) in self.passages.iter().enumerate() {
            match runs.last_mut() {
                Some(r) if self.passages[r.start].doc == p.doc => r.end = i + 1,
                _ => runs.push(i..i + 1),
            }
        }
        runs
    }

    /// The passage's cleaned text: its range of the document, less any removed line inside
    /// it (a whole-document passage can hold some), the kept pieces joined by a blank line.
    pub fn text<'c>(&self, corpus: &'c Corpus, i: usize) -> std::borrow::Cow<'c, str> {
        let p = &self.passages[i];
        let text = &corpus.documents[p.doc as usize].text;
        let from = self
            .removed
            .partition_point(|r| (r.doc, r.range.start) < (p.doc, p.range.start));
        let holes: Vec<&Range<usize>> = self.removed[from..]
            .iter()
            .take_while(|r| r.doc == p.doc && r.range.start < p.range.end)
            .map(|r| &r.range)
            .collect();
        if holes.is_empty() {
            return std::borrow::Cow::Borrowed(&text[p.range.clone()]);
        }
        let mut pieces = Vec::with_capacity(holes.len() + 1);
        let mut at = p.range.start;
        for h in holes {
            pieces.push(text[at..h.start.max(at)].trim());
            at = h.end.max(at);
        }
        pieces.push(text[at..p.range.end.max(at)].trim());
        pieces.retain(|s| !s.is_empty());
        std::borrow::Cow::Owned(pieces.join("\n\n"))
    }
}

// ---------------------------------------------------------------------------------------------
// s3 tokenize -> Tokens
// ---------------------------------------------------------------------------------------------

/// Whether a term is one word or a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// One word (stem).
    Word,
    /// A collocation of two to four words learnt from the corpus ("internet of things").
    Phrase,
    /// A phrase the user asked for (a tracked term, a synonym rule) that the statistics did
    /// not find: counted wherever it occurs all the same.
    AskedPhrase,
}

impl TermKind {
    /// Whether the term is a phrase, learnt or asked for.
    pub fn is_phrase(self) -> bool {
        self != TermKind::Word
    }

    /// How tables and listings name the kind.
    pub fn name(self) -> &'static str {
        match self {
            TermKind::Word => "word",
            TermKind::Phrase => "phrase",
            TermKind::AskedPhrase => "asked",
        }
    }
}

/// One term of the vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Internal key: the stems (and connector words) joined by a space (`"data secur"`,
    /// `"internet of thing"`). Never shown to people.
    pub key: String,
    /// The most frequent surface form in the corpus (`"data security"`). What people see.
    pub surface: String,
    /// A word or a phrase.
    pub kind: TermKind,
    /// A phrase's collocation score (the scorer of `tokenize.phrases`); `None` for a word.
    pub score: Option<f64>,
    /// Occurrences in the whole corpus.
    pub count: u64,
    /// Number of documents it occurs in.
    pub documents: u32,
    /// Number of passages it occurs in.
    pub passages: u32,
}

/// Every term the tokenizer kept, sorted by key, so that term ids do not depend on thread
/// count or input order.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Terms by [`TermId`].
    pub terms: Vec<Term>,
    /// Spelling variants folded into a closed form: (folded variant key, target term).
    pub folded: Vec<(String, TermId)>,
    /// The language the terms were analysed in (queries are analysed the same way).
    pub language: crate::config::Language,
    /// Connector words, which phrases may hold inside (queries are read with them).
    pub connectors: Vec<String>,
    /// The stop words the terms were made without, sorted (queries drop the same).
    pub stop_words: Vec<String>,
    /// Whether terms are stems (else lower-case words).
    pub stemmed: bool,
}

impl Vocabulary {
    /// Looks a term up by its internal key.
    pub fn id_of_key(&self, key: &str) -> Option<TermId> {
        self.terms
            .binary_search_by(|t| t.key.as_str().cmp(key))
            .ok()
            .map(|i| i as TermId)
    }
}

/// Term counts of one passage: `(term, count)` sorted by term, counts > 0.
pub type Bag = Vec<(TermId, u32)>;

/// Output of tokenize.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// All terms.
    pub vocabulary: Vocabulary,
    /// One bag per passage, parallel to [`Passages::passages`].
    pub bags: Vec<Bag>,
    /// Word tokens per passage, stop words included: the denominator of relative frequencies.
    pub word_counts: Vec<u32>,
    /// Words inside markup (HTML tags and character references such as `&lt;b&gt;`, `&amp;`,
    /// `#39;`), which are not read as words and not counted in `word_counts`.
    pub markup_words: u64,
    /// Synonym variants (`tokenize.synonyms`) that matched no term of the corpus.
    pub unmatched_synonyms: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// s4 vectorize -> TfIdf
// ---------------------------------------------------------------------------------------------

/// A TF-IDF matrix: one row per passage, one column per feature.
#[derive(Debug, Clone)]
pub struct TfIdf {
    /// Compressed sparse rows, `passages × features`.
    pub matrix: sprs::CsMat<f64>,
    /// The vocabulary term behind each column.
    pub features: Vec<TermId>,
    /// Inverse document frequency of each column.
    pub idf: Vec<f64>,
    /// Terms left out for occurring in fewer than `min_df` passages.
    pub dropped_min_df: usize,
    /// Terms left out for occurring in more than `max_df` passages.
    pub dropped_max_df: usize,
    /// Terms left out by the `max_features` limit.
    pub dropped_max_features: usize,
    /// The settings it was fitted with: [`TfIdf::transform`] weighs new bags the same way.
    pub settings: crate::config::VectorizeConfig,
}

// ---------------------------------------------------------------------------------------------
// s5 topics -> Topics
// ---------------------------------------------------------------------------------------------

/// One topic: a cluster of passages.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Topic number, from 0, ordered by size (largest first).
    pub id: u32,
    /// Number of passages assigned to it (its outliers included unless `topics.outlier_topic`
    /// moves them out).
    pub size: u32,
    /// Its passages that lie far from its centre ([`Topics::outlier`]).
    pub outliers: u32,
    /// k-means clusters merged into it by `topics.reduce_to` or `topics.merge_similarity`
    /// (1 when none were).
    pub clusters: u32,
    /// Top terms by distinctiveness (`p(t|c) · ln(p(t|c) / p(t))` over passages holding the
    /// term; its outliers left out), best first.
    pub top_terms: Vec<(TermId, f64)>,
    /// Passages closest to the centroid, most representative first.
    pub representatives: Vec<u32>,
    /// NPMI coherence of the top terms over passage co-occurrence (−1 to 1).
    pub coherence: f64,
}

/// One step of the topic hierarchy: two nodes joined. Nodes `0..k` are the topics; node
/// `k + i` is the one the `i`-th step makes.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicMerge {
    /// The first node joined (the smaller number).
    pub left: u32,
    /// The second node joined.
    pub right: u32,
    /// Cosine distance of their c-TF-IDF vectors, averaged over the pairs of topics across
    /// them (average linkage); steps come in order of it.
    pub distance: f64,
    /// Topics under the new node.
    pub topics: u32,
    /// Passages under the new node.
    pub passages: u32,
    /// The new node's top terms, as a topic's.
    pub top_terms: Vec<(TermId, f64)>,
}

/// How one number of topics scored when `k = "auto"` chose among several.
#[derive(Debug, Clone, PartialEq)]
pub struct KScore {
    /// Number of topics tried.
    pub k: usize,
    /// Mean silhouette of a seeded sample of passages (Euclidean, in LSA space); reported,
    /// not used to choose.
    pub silhouette: f64,
    /// How alike the clusterings of overlapping subsamples are (mean adjusted Rand index).
    pub stability: f64,
    /// Mean NPMI coherence of the k topics' top terms.
    pub coherence: f64,
    /// k-means inertia: the sum over passages of the squared distance to their centroid, as
    /// scikit-learn's `KMeans.inertia_` counts it.
    pub inertia: f64,
    /// The k chosen.
    pub chosen: bool,
}

/// Output of topics.
#[derive(Debug, Clone)]
pub struct Topics {
    /// Topics, largest first.
    pub topics: Vec<Topic>,
    /// Topic of each passage, parallel to the passages; `None` for a passage with no feature
    /// (left out of clustering, counted in [`Topics::unassigned`]), and for an outlier when
    /// `topics.outlier_topic` gathers them apart.
    pub assignment: Vec<Option<u32>>,
    /// Number of passages without any feature.
    pub unassigned: u32,
    /// Share of the TF-IDF variance each LSA component explains.
    pub explained_variance_ratio: Vec<f64>,
    /// Number of LSA components used.
    pub components: usize,
    /// Cosine similarity of every pair of topics' c-TF-IDF vectors, `[topic][topic]`.
    pub similarity: Vec<Vec<f64>>,
    /// Which topics are alike: average-linkage merges of the topics, closest first.
    pub hierarchy: Vec<TopicMerge>,
    /// Each clustered passage's cosine similarity to its topic's centre (the mean of the
    /// topic's LSA vectors); `None` for a passage left out.
    pub centre_similarity: Vec<Option<f64>>,
    /// A passage far from its topic's centre: its similarity to it is below the topic's lower
    /// fence, `Q1 − 1.5 IQR` of its passages' similarities (Tukey). Such a passage is close to
    /// no centre, since its own is the nearest.
    pub outlier: Vec<bool>,
    /// The scores of each k tried when the number of topics was chosen (`k = "auto"`).
    pub k_scores: Vec<KScore>,
    /// The c-TF-IDF model behind the labels, reused for labels per period.
    pub class_tfidf: ClassTfidf,
    /// Each passage on the topic map (two principal axes of the centroids in LSA space);
    /// `None` for a passage left out.
    pub map: Vec<Option<(f64, f64)>>,
    /// k-means inertia of the kept start: the sum over clustered passages of the squared
    /// distance from their (unit-length) LSA vector to their topic's centroid, as
    /// scikit-learn's `KMeans.inertia_` counts it.
    pub inertia: f64,
    /// Each clustered passage's unit-length LSA vector (passage index, vector), kept only when
    /// `topics.write_vectors` asks for `tables/passage_vectors`.
    pub vectors: Option<(Vec<usize>, ndarray::Array2<f64>)>,
}

impl Topics {
    /// No topics: every passage unassigned (for commands that skip the topic stage).
    pub fn none(passages: usize) -> Topics {
        Topics {
            topics: vec![],
            assignment: vec![None; passages],
            unassigned: passages as u32,
            explained_variance_ratio: vec![],
            components: 0,
            similarity: vec![],
            hierarchy: vec![],
            centre_similarity: vec![None; passages],
            outlier: vec![false; passages],
            k_scores: vec![],
            class_tfidf: ClassTfidf::default(),
            map: vec![None; passages],
            inertia: 0.0,
            vectors: None,
        }
    }
}

/// BERTopic's class-based TF-IDF fitted on the topics: `weights[topic][j]` is the topic's
/// L1-normalised frequency of feature `j` times `idf[j]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassTfidf {
    /// The term of each feature column (the TF-IDF features).
    pub features: Vec<TermId>,
    /// `ln(1 + A / f_j)`: `A` the mean number of feature occurrences per topic, `f_j` the
    /// feature's occurrences over all topics.
    pub idf: Vec<f64>,
    /// Topics × features.
    pub weights: ndarray::Array2<f64>,
}

// ---------------------------------------------------------------------------------------------
// s6 trends -> Trends
// ---------------------------------------------------------------------------------------------

/// One topic in one period: a row of the `topics_by_period` table.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicPeriod {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// Topic id.
    pub topic: u32,
    /// The period's passages assigned to the topic.
    pub passages: u32,
    /// Their share of the period's assigned passages; NaN for a gap.
    pub share: f64,
    /// 95% bootstrap interval of `share`, over the period's documents (NaN for a gap).
    pub share_low: f64,
    /// See `share_low`.
    pub share_high: f64,
    /// The topic's c-TF-IDF top terms within the period, best first; empty without passages.
    pub top_terms: Vec<(TermId, f64)>,
}

/// One term falling while another, used in the same contexts, rises: a row of the
/// `succession` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Succession {
    /// The term that falls.
    pub falling: TermId,
    /// The term that rises.
    pub rising: TermId,
    /// Index into [`Trends::periods`] of the first period after the handover.
    pub handover: usize,
    /// `similarity × drop × rise`; ranks the pairs.
    pub score: f64,
    /// Cosine of the two terms' PPMI co-occurrence profiles.
    pub similarity: f64,
    /// Cosine of the two terms' slot profiles: the words right before and after them.
    pub slots: f64,
    /// Log-odds z of the falling term, before against after the handover (negative).
    pub z_falling: f64,
    /// Log-odds z of the rising term (positive).
    pub z_rising: f64,
    /// Both terms weigh most in the same topic.
    pub same_topic: bool,
    /// The falling term's occurrences in each period.
    pub counts_falling: Vec<u64>,
    /// The rising term's occurrences in each period.
    pub counts_rising: Vec<u64>,
    /// The context terms the two profiles share most, best first.
    pub contexts: Vec<TermId>,
}

/// Corpus figures of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodStats {
    /// The period.
    pub period: Period,
    /// Documents dated in it (0 for a gap).
    pub documents: u32,
    /// Passages in it.
    pub passages: u32,
    /// Word tokens in it, stop words included.
    pub tokens: u64,
    /// It rests on fewer documents than `trends.thin_documents` (and has some): flagged
    /// wherever it appears.
    pub thin: bool,
}

/// One row of the `terms_by_period` table.
#[derive(Debug, Clone, PartialEq)]
pub struct TermPeriod {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// The term.
    pub term: TermId,
    /// Occurrences in the period.
    pub count: u64,
    /// Occurrences per 1,000 word tokens of the period.
    pub per_1k_tokens: f64,
    /// Documents of the period containing it.
    pub documents: u32,
    /// Passages of the period containing it.
    pub passages: u32,
}

/// A term whose use changed between two periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The term.
    pub term: TermId,
    /// Log-odds z-score (Monroe et al. 2008); positive: rising.
    pub z: f64,
    /// Occurrences in the earlier period.
    pub count_from: u64,
    /// Occurrences in the later period.
    pub count_to: u64,
    /// How the change splits between voices, with `trends.stratify`.
    pub mix: Option<StratumMix>,
}

/// How a term's change between two periods splits between voices ([`Strata`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StratumMix {
    /// The stratum with most of the term's occurrences in the two periods.
    pub top_stratum: u32,
    /// Its share of them.
    pub top_share: f64,
    /// Mantel–Haenszel z of the change within the strata heard in both periods; `None` when no
    /// stratum is.
    pub within_z: Option<f64>,
    /// Strata with documents in both periods.
    pub shared_strata: u32,
    /// For a rise, the share of the later period's occurrences that come from strata not heard
    /// in the earlier one (new voices); for a fall, the share of the earlier period's that come
    /// from strata not heard later (voices gone).
    pub one_period_share: f64,
    /// What drives the change.
    pub verdict: MixVerdict,
}

/// What drives a change, with strata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixVerdict {
    /// The voices heard in both periods changed their words (within-strata |z| ≥ 1.96, same
    /// direction).
    Within,
    /// At least 80% of the term's occurrences come from one stratum while others were heard.
    OneSource,
    /// The voices heard in both periods did not change: the change comes from who was
    /// writing.
    ChangeOfMix,
    /// No stratum was heard in both periods: the change cannot be told from the change of
    /// voices.
    Confounded,
}

impl MixVerdict {
    /// The name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            MixVerdict::Within => "within voices",
            MixVerdict::OneSource => "driven by one source",
            MixVerdict::ChangeOfMix => "driven by a change of mix",
            MixVerdict::Confounded => "confounded with the change of source",
        }
    }
}

/// The voices of a corpus (`trends.stratify`): who was writing when.
#[derive(Debug, Clone, PartialEq)]
pub struct Strata {
    /// The column read.
    pub column: String,
    /// Stratum names, by documents (most first).
    pub names: Vec<String>,
    /// Stratum of each document, parallel to the corpus.
    pub doc_stratum: Vec<u32>,
    /// Documents and tokens of each stratum in each period where it has any, by period then
    /// stratum.
    pub composition: Vec<StratumPeriod>,
}

/// One stratum in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StratumPeriod {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// Index into [`Strata::names`].
    pub stratum: u32,
    /// Its documents there.
    pub documents: u32,
    /// Their word tokens.
    pub tokens: u64,
}

/// A term the user asked to follow, resolved against the vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked {
    /// What the user wrote.
    pub query: String,
    /// The term it resolved to; `None` when the corpus never uses it.
    pub term: Option<TermId>,
    /// One point per period (gaps included), with bootstrap intervals; empty without a term.
    pub series: Vec<TrackedPoint>,
    /// Its change from the first to the last non-empty period (log-odds z with counts);
    /// `None` without a term or with one period.
    pub change: Option<Change>,
}

/// A tracked term in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackedPoint {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// Occurrences.
    pub count: u64,
    /// Occurrences per 1,000 word tokens; NaN for a gap.
    pub per_1k_tokens: f64,
    /// 95% bootstrap interval of `per_1k_tokens` (NaN for a gap).
    pub per_1k_low: f64,
    /// See `per_1k_low`.
    pub per_1k_high: f64,
    /// Documents of the period using the term.
    pub documents: u32,
    /// Share of the period's documents using the term; NaN for a gap.
    pub document_share: f64,
    /// 95% bootstrap interval of `document_share`.
    pub share_low: f64,
    /// See `share_low`.
    pub share_high: f64,
    /// `per_1k_tokens` averaged over the periods within `trends.smoothing` either side (gaps
    /// skipped; a gap stays NaN); equal to it without smoothing.
    pub per_1k_smoothed: f64,
    /// `document_share`, smoothed the same way.
    pub share_smoothed: f64,
}

/// The terms rising and falling most between two periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Contrast {
    /// Index of the earlier period.
    pub from: usize,
    /// Index of the later period.
    pub to: usize,
    /// Rising terms, by z descending.
    pub rising: Vec<Change>,
    /// Falling terms, by z ascending.
    pub falling: Vec<Change>,
}

/// A burst: a run of periods in which a term is used by markedly more documents than usual.
#[derive(Debug, Clone, PartialEq)]
pub struct Burst {
    /// The term.
    pub term: TermId,
    /// First period index.
    pub start: usize,
    /// Last period index (inclusive).
    pub end: usize,
    /// Highest Kleinberg level reached (each level `burst_s` times the one below).
    pub level: u32,
    /// Kleinberg weight (cost saved by the burst levels over the base level).
    pub weight: f64,
    /// Share of the units ([`Trends::counted`]) using the term inside the burst over the share
    /// outside it.
    pub lift: f64,
    /// Share of the units using the term (over all periods) that fall inside the burst.
    pub concentration: f64,
    /// `concentration × log₂ lift`, what bursts are ranked by.
    pub strength: f64,
    /// With strata: the stratum with most of the term's occurrences inside the burst, and its
    /// share of them.
    pub top_stratum: Option<(u32, f64)>,
    /// The burst begins after the first and ends before the last period with documents: an
    /// episode seen whole, not a level the timeline opens or closes on.
    pub inside: bool,
}

/// The unit bursts and shifts count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Documents using the term: what a reader counts, and blind to how texts are cut into
    /// passages (a source that starts breaking speeches into more paragraphs in one year
    /// changes every word's share of passages, not of documents).
    Documents,
    /// Passages using the term, when the median period holds too few documents to tell an
    /// episode from chance.
    Passages,
}

impl Counted {
    /// The unit's name, plural.
    pub fn name(self) -> &'static str {
        match self {
            Counted::Documents => "documents",
            Counted::Passages => "passages",
        }
    }
}

/// A lasting change of a term's level (found by `s6_trends::shifts`).
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// The term.
    pub term: TermId,
    /// First period of the span at the old level.
    pub since: usize,
    /// Last period at the old level.
    pub from: usize,
    /// First period at the new level. Periods between `from` and `to`, if any, are a gradual
    /// transition from one level to the other.
    pub to: usize,
    /// Last period of the span at the new level.
    pub until: usize,
    /// Share of the units ([`Trends::counted`]) using the term in the old span.
    pub before: f64,
    /// Share of the units using the term in the new span.
    pub after: f64,
    /// Two-proportion z of the change.
    pub z: f64,
}

/// Output of trends.
#[derive(Debug, Clone)]
pub struct Trends {
    /// Every period from the first to the last, gaps included, in order.
    pub periods: Vec<PeriodStats>,
    /// Period of each document, parallel to the corpus.
    pub doc_period: Vec<usize>,
    /// Terms with per-period rows, in the order of their total count.
    pub terms: Vec<TermId>,
    /// Dense per-period counts: one row for every term in [`Trends::terms`] and every period,
    /// sorted by period then term surface.
    pub rows: Vec<TermPeriod>,
    /// Tracked terms.
    pub tracked: Vec<Tracked>,
    /// Terms rising most from the first to the last non-empty period, by z descending.
    pub rising: Vec<Change>,
    /// Terms falling most, by z ascending.
    pub falling: Vec<Change>,
    /// Each topic in each period (period-major, then topic): share of passages with its
    /// interval, and top terms. Empty without topics.
    pub topics_by_period: Vec<TopicPeriod>,
    /// Each pair of adjacent non-empty periods, then the first against the last.
    pub contrasts: Vec<Contrast>,
    /// Bursts of the terms with rows: episodes seen whole ([`Burst::inside`]) first, each
    /// group by strength.
    pub bursts: Vec<Burst>,
    /// Lasting changes of level, by |z|.
    pub shifts: Vec<Shift>,
    /// What bursts and shifts count in each period: the documents using a term, or the
    /// passages when periods hold too few documents.
    pub counted: Counted,
    /// Successions, best first.
    pub succession: Vec<Succession>,
    /// A document whose date lies far from every other one (most often a typing mistake), if
    /// any: the report and `run.json` name it.
    pub stray_date: Option<StrayDate>,
    /// The voices, with `trends.stratify`.
    pub strata: Option<Strata>,
}

/// A document dated far from all the others: at least 10 years, and further than the rest of
/// the corpus spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrayDate {
    /// Index of the document in the corpus.
    pub document: usize,
    /// Years between its date and the nearest other document's.
    pub years_apart: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_hold_their_years_and_follow_each_other() {
        let d = PeriodUnit::Decade;
        let p = d.period_of(DocDate::year(1979)).unwrap();
        assert_eq!(p.to_string(), "1970s");
        assert_eq!(d.period_of(DocDate::year(1970)).unwrap(), p);
        assert_eq!(d.next(p).to_string(), "1980s");
        assert_eq!(
            d.period_of(DocDate::parse("2021-03-04").unwrap())
                .unwrap()
                .to_string(),
            "2020s"
        );
    }
}
