//! One configuration for a run: a table per stage, read from TOML, overridden by flags, and
//! validated before any stage runs ([`Config::validate`]).
//!
//! Defaults are written on each field and in `Default` impls; a config file need only name what
//! it changes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::artifacts::{DocDate, PeriodUnit};
use crate::error::{Error, Location, Result};

/// The whole configuration of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Seed for every random choice (SVD test matrix, k-means init). Default 42.
    pub seed: u64,
    /// Worker threads; `None` uses one per core. Results do not depend on it.
    pub threads: Option<usize>,
    /// Ingest stage.
    pub ingest: IngestConfig,
    /// Segment stage.
    pub segment: SegmentConfig,
    /// Tokenize stage.
    pub tokenize: TokenizeConfig,
    /// Vectorize stage.
    pub vectorize: VectorizeConfig,
    /// Topics stage.
    pub topics: TopicsConfig,
    /// Trends stage.
    pub trends: TrendsConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            threads: None,
            ingest: IngestConfig::default(),
            segment: SegmentConfig::default(),
            tokenize: TokenizeConfig::default(),
            vectorize: VectorizeConfig::default(),
            topics: TopicsConfig::default(),
            trends: TrendsConfig::default(),
        }
    }
}

/// Column names for table corpora (`.jsonl`, `.csv`, `.parquet`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// Column holding the document text. Default `text`.
    pub text_column: String,
    /// Column holding the date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`). Default `date`.
    pub date_column: String,
    /// Column holding the year, used where the date is missing or null. Default `year`.
    pub year_column: String,
    /// Column holding a document id; row numbers are used without it. Default `id`.
    pub id_column: String,
    /// Column holding a title. Default `title`.
    pub title_column: String,
    /// Column holding the source (publisher, speaker, country). Default `source`.
    pub source_column: String,
    /// What to do with a document that has no date and none readable from its text with at
    /// least `min_date_confidence`. Default error.
    pub undated: Undated,
    /// What to do with a document whose text is empty (or only white space). Default error.
    pub empty: Empty,
    /// Dates read from a text need this confidence (0–1) to be used. Default 0.5.
    pub min_date_confidence: f64,
}

/// What to do with documents without a usable date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Undated {
    /// Stop the run and list them.
    Error,
    /// Leave them out, counted in `run.json` and the report.
    Drop,
}

/// What to do with documents whose text is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Empty {
    /// Stop the run at the first, naming its file and line.
    Error,
    /// Leave them out, counted in `run.json` and named in the report.
    Drop,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            text_column: "text".into(),
            date_column: "date".into(),
            year_column: "year".into(),
            id_column: "id".into(),
            title_column: "title".into(),
            source_column: "source".into(),
            undated: Undated::Error,
            empty: Empty::Error,
            min_date_confidence: 0.5,
        }
    }
}

/// Segmenting documents into passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentConfig {
    /// What a passage is: a paragraph (`paragraph`), or a whole document (`document`; its
    /// removed lines are still left out). Default paragraph.
    pub unit: Unit,
    /// A paragraph shorter than this many characters (headings, captions, date lines) is
    /// merged into the paragraph after it. Default 100.
    pub min_passage_chars: usize,
    /// Keep page furniture (navigation, share prompts, copyright lines, link lists, repeated
    /// lines) instead of removing it. Default false.
    pub keep_boilerplate: bool,
    /// A line shared by at least this many documents is boilerplate (and by at least
    /// `cross_document_share` of them). Default 3.
    pub cross_document_min: usize,
    /// See `cross_document_min`. Default 0.02 (2% of documents).
    pub cross_document_share: f64,
}

impl Default for SegmentConfig {
    fn default() -> Self {
        SegmentConfig {
            unit: Unit::Paragraph,
            min_passage_chars: 100,
            keep_boilerplate: false,
            cross_document_min: 3,
            cross_document_share: 0.02,
        }
    }
}

/// The unit of text that topics and frequencies count in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Paragraphs (short ones merged into the next).
    Paragraph,
    /// Whole documents.
    Document,
}

/// Tokenizing passages into terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokenizeConfig {
    /// Multiword terms learnt from the corpus (`[tokenize.phrases]`).
    pub phrases: PhrasesConfig,
    /// Terms to count as one: each rule's variants are merged into its term. Read from
    /// `--synonyms FILE` (`term = variant, variant` a line) or given here as
    /// `[[tokenize.synonyms]] term = "…" variants = ["…"]`. Default none.
    pub synonyms: Vec<SynonymRule>,
    /// Language of the texts: the Snowball stemmer and the stop word list follow it.
    /// Default english.
    pub language: Language,
    /// A stop list that replaces the language's (`--stop-words FILE`: one word a line, `#`
    /// starts a comment). Default none: the language's list.
    pub stop_words: Option<Vec<String>>,
    /// Words to drop besides the stop list (e.g. `["said"]` for news). Default none.
    pub extra_stop_words: Vec<String>,
    /// Reduce words to their Snowball stems, so that "regulation" and "regulations" are one
    /// term (`--no-stemming` turns it off). Default true.
    pub stem: bool,
    /// Two written words ("cyber security") fold into their closed form ("cybersecurity") when
    /// the closed form occurs at least this many times as often as the pair. Default 0.1.
    pub fold_min_ratio: f64,
}

impl Default for TokenizeConfig {
    fn default() -> Self {
        TokenizeConfig {
            phrases: PhrasesConfig::default(),
            fold_min_ratio: 0.1,
            language: Language::English,
            synonyms: Vec::new(),
            stop_words: None,
            extra_stop_words: Vec::new(),
            stem: true,
        }
    }
}

/// How phrases are learnt: collocations of two to `max_words` words, scored as gensim's
/// `Phrases` scores them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhrasesConfig {
    /// Learn phrases at all. Default true.
    pub enabled: bool,
    /// `npmi` (normalised pointwise mutual information, −1 to 1; Bouma 2009) or `default`
    /// (gensim's original scorer, Mikolov et al. 2013). Default npmi.
    pub scorer: PhraseScorer,
    /// A candidate is a phrase when its score exceeds this. Default 0.25 for npmi, 10 for the
    /// default scorer.
    pub threshold: Option<f64>,
    /// A candidate must occur at least this often. Default 3.
    pub min_count: u32,
    /// The longest phrase, in words, connector words included: 2 to 4. Default 4.
    pub max_words: usize,
    /// Words that may stand inside a phrase but never at its ends ("internet of things").
    /// Default: gensim's English connector words (a an the for of with without at from to in
    /// on by and or) for English, none for other languages.
    pub connectors: Option<Vec<String>>,
    /// Phrases to count wherever they occur, whatever their score: terms the user asked for.
    /// A run adds its tracked terms (`trends.track`) and the synonym rules' wordings. Default
    /// none.
    pub include: Vec<String>,
}

impl Default for PhrasesConfig {
    fn default() -> Self {
        PhrasesConfig {
            enabled: true,
            scorer: PhraseScorer::Npmi,
            threshold: None,
            min_count: 3,
            max_words: 4,
            connectors: None,
            include: Vec::new(),
        }
    }
}

/// gensim's English connector words.
pub const ENGLISH_CONNECTORS: &[&str] = &[
    "a", "an", "the", "for", "of", "with", "without", "at", "from", "to", "in", "on", "by", "and",
    "or",
];

impl PhrasesConfig {
    /// The score a candidate must exceed.
    pub fn threshold(&self) -> f64 {
        self.threshold.unwrap_or(match self.scorer {
            PhraseScorer::Npmi => 0.25,
            PhraseScorer::Default => 10.0,
        })
    }

    /// The connector words for texts in `language`, lower-case.
    pub fn connectors(&self, language: Language) -> Vec<String> {
        match (&self.connectors, language) {
            (Some(list), _) => list.iter().map(|w| w.to_lowercase()).collect(),
            (None, Language::English) => ENGLISH_CONNECTORS.iter().map(|w| w.to_string()).collect(),
            (None, _) => Vec::new(),
        }
    }
}

/// How phrase candidates are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhraseScorer {
    /// ln(p(ab) / (p(a) p(b))) / −ln p(ab), with p from counts over all word tokens.
    Npmi,
    /// (count(ab) − min_count) / (count(a) count(b)) × vocabulary size.
    Default,
}

/// One synonym rule: `variants` count as `term`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymRule {
    /// The term, as people should see it.
    pub term: String,
    /// Other wordings of it.
    pub variants: Vec<String>,
}

/// Reads a synonym file: `term = variant, variant` a line; `#` starts a comment.
pub fn read_synonyms(path: &Path) -> Result<Vec<SynonymRule>> {
    let mut rules = Vec::new();
    for (number, line) in list_lines(path)? {
        let at = Location::line(path, number);
        let hint = "write `term = variant, variant` (one rule a line)";
        let Some((term, rest)) = line.split_once('=') else {
            return Err(Error::input(at, format!("no `=` in \"{line}\""), hint));
        };
        let variants: Vec<String> = rest
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        if term.trim().is_empty() || variants.is_empty() {
            return Err(Error::input(
                at,
                format!("a rule needs a term and at least one variant: \"{line}\""),
                hint,
            ));
        }
        rules.push(SynonymRule {
            term: term.trim().to_string(),
            variants,
        });
    }
    Ok(rules)
}

/// Reads a stop list: one word a line; `#` starts a comment; blank lines are skipped.
pub fn read_stop_words(path: &Path) -> Result<Vec<String>> {
    let mut words = Vec::new();
    for (number, line) in list_lines(path)? {
        if line.split_whitespace().count() > 1 {
            return Err(Error::input(
                Location::line(path, number),
                format!("more than one word: \"{line}\""),
                "write one stop word a line",
            ));
        }
        words.push(line);
    }
    Ok(words)
}

/// The non-blank lines of a user's list file, trimmed and without `#` comments, with their
/// line numbers (from 1).
fn list_lines(path: &Path) -> Result<Vec<(usize, String)>> {
    let text = read_text(path, "a text file, one entry a line")?;
    Ok(text
        .lines()
        .enumerate()
        .map(|(i, raw)| (i + 1, raw.split('#').next().unwrap_or("").trim()))
        .filter(|(_, line)| !line.is_empty())
        .map(|(n, line)| (n, line.to_string()))
        .collect())
}

/// A user's text file (config, list): a missing file is an I/O error, bytes that are not
/// UTF-8 text are an input error at their line, with what the file should be.
fn read_text(path: &Path, should_be: &str) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => Error::input(
            Location::file(path),
            format!("cannot read the file: {e}"),
            format!("check the path; it should name {should_be}"),
        ),
        _ => Error::io("read", path, e),
    })?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(Error::input(
            Location::file(path),
            "a binary file (it holds NUL bytes), not text",
            format!("give {should_be}, saved as UTF-8"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Error::input(
                Location::line(path, line),
                format!("not UTF-8 text (byte {bad} is 0x{:02x})", bytes[bad]),
                format!("give {should_be}, saved as UTF-8"),
            ))
        }
    }
}

/// The languages rust-stemmers has a Snowball stemmer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Language {
    Arabic,
    Danish,
    Dutch,
    #[default]
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

/// A document-frequency bound: an absolute number of passages or a fraction of them, as in
/// scikit-learn (an integer is a count, a float a proportion).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Df {
    /// A number of passages.
    Count(u64),
    /// A fraction of all passages, in [0, 1].
    Fraction(f64),
}

impl Df {
    /// The bound as a passage count for a corpus of `n` passages (scikit-learn rounds
    /// fractions: `max_df * n` for the upper bound, `min_df * n` for the lower).
    pub fn resolve(self, n: usize) -> f64 {
        match self {
            Df::Count(c) => c as f64,
            Df::Fraction(f) => f * n as f64,
        }
    }
}

/// Row normalisation of the TF-IDF matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    /// Euclidean unit rows.
    L2,
    /// Rows summing to 1 in absolute value.
    L1,
    /// No normalisation.
    None,
}

/// Building the TF-IDF matrix (scikit-learn's `TfidfVectorizer` semantics).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VectorizeConfig {
    /// Ignore terms in fewer passages than this. Default (leave it out): 5 passages, but never
    /// more than 1% of the passages and never fewer than 2 — 5 on corpora of 500 passages and
    /// more, 2 on a corpus of a hundred (the seeds), so that a small corpus keeps its
    /// vocabulary. 5 with `max_df` 0.5 are the settings of scikit-learn's documented
    /// text-clustering recipe. Chosen on the mean NMI over three labelled corpora, 5 seeds each
    /// (`benches/cluster-eval --sweep`; medians; min_df is 5 on all three):
    ///
    /// | min_df, max_df | BBC (k=5) | AG News (k=4) | Reuters R8 (k=8) | mean |
    /// |---|---|---|---|---|
    /// | 2, 0.9 (before) | 0.8997 | 0.4375 | 0.5264 | 0.6212 |
    /// | 5, 0.9 | 0.8989 | 0.4535 | 0.5707 | 0.6411 |
    /// | 2, 0.5 | 0.8951 | 0.4375 | 0.5902 | 0.6409 |
    /// | **5, 0.5** | 0.8979 | 0.4535 | 0.5899 | **0.6471** |
    pub min_df: Option<Df>,
    /// Ignore terms in more passages than this. Default 0.5 (of passages); see `min_df`.
    pub max_df: Df,
    /// Keep only this many terms, by total count. Default 50,000.
    pub max_features: Option<usize>,
    /// Use `1 + ln(tf)` instead of raw counts. Default true.
    pub sublinear_tf: bool,
    /// `idf = ln((1 + n) / (1 + df)) + 1` instead of `ln(n / df) + 1`. Default true.
    pub smooth_idf: bool,
    /// Row normalisation. Default l2.
    pub norm: Norm,
}

impl VectorizeConfig {
    /// The lower document-frequency bound for `n` passages: `min_df` as given, or by default
    /// 5 passages, at most 1% of them and at least 2.
    pub fn min_df(&self, n: usize) -> f64 {
        match self.min_df {
            Some(df) => df.resolve(n),
            None => (n as f64 / 100.0).floor().clamp(2.0, 5.0),
        }
    }
}

impl Default for VectorizeConfig {
    fn default() -> Self {
        VectorizeConfig {
            min_df: None,
            max_df: Df::Fraction(0.5),
            max_features: Some(50_000),
            sublinear_tf: true,
            smooth_idf: true,
            norm: Norm::L2,
        }
    }
}

/// LSA and k-means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicsConfig {
    /// Number of topics, or `"auto"` to choose it by stability and coherence between `k_min`
    /// and `k_max`. Default 8; lowered to the number of passages when there are fewer.
    ///
    /// `auto` against the truth (`benches/cluster-eval --auto-k`, seeds 1–5; k chosen, and NMI
    /// at that k): BBC News (5 classes) 5, 5, 5, 5, 5 (0.893–0.900); AG News (4) 4, 4, 4, 4, 4
    /// (0.505–0.516); Reuters R8 (8, two classes holding 75% of the stories) 3, 3, 3, 16, 3
    /// (0.494–0.565). By silhouette and coherence it chose 11–16 every time (NMI 0.64–0.74,
    /// 0.32–0.37, 0.55–0.57).
    pub k: TopicCount,
    /// Smallest k `auto` tries. Default 2.
    pub k_min: usize,
    /// Largest k `auto` tries (and never more than √(passages / 2)). Default 16.
    pub k_max: usize,
    /// Passages the stability and silhouette of `auto` are computed on (a seeded sample).
    /// Default 2,000.
    pub silhouette_sample: usize,
    /// LSA dimensions. Default 50; lowered to fit the matrix. Chosen by the median NMI over
    /// three labelled corpora at their number of classes, seeds 1–5 (`benches/cluster-eval
    /// --sweep`, 2026-12-02, greedy k-means++ with 10 starts):
    ///
    /// | setting | BBC (5) | AG (4) | R8 (8) | mean | seconds, 3 corpora |
    /// |---|---|---|---|---|---|
    /// | 100 components (before) | 0.8955 | 0.4325 | 0.5358 | 0.6212 | 1.31 |
    /// | **50 components** | 0.8982 | 0.4304 | 0.5804 | **0.6364** | 0.82 |
    /// | 200 components | 0.8913 | 0.4746 | 0.5411 | 0.6357 | 2.65 |
    /// | no phrases | 0.8952 | 0.4328 | 0.5732 | 0.6338 | 0.87 |
    /// | no phrases, 50 components | 0.8876 | 0.4213 | 0.6014 | 0.6368 | 0.59 |
    /// | linear tf | 0.8815 | 0.4595 | 0.5443 | 0.6284 | 1.23 |
    /// | 2 power iterations | 0.8938 | 0.4363 | 0.5310 | 0.6204 | 1.11 |
    ///
    /// (The 200-components row is from the sweep before the markup rule; AG's range under it
    /// was 0.28–0.48.) Phrases stay: without them the mean is the same within noise, and labels
    /// lose "data security" and "national security". Past a few dozen topics, raise it: k
    /// topics need at least k dimensions to lie apart.
    pub components: usize,
    /// Extra random directions of the randomized SVD. Default 10.
    pub oversample: usize,
    /// Power iterations of the randomized SVD. Default 5, as scikit-learn's `TruncatedSVD`.
    pub power_iterations: usize,
    /// k-means starts (greedy k-means++ each, run in parallel, seeded from the run's seed); the
    /// start with the lowest inertia wins. Default: 10 up to 20,000 passages, 4 up to 200,000,
    /// 1 above. Measured against scikit-learn's best of 10 starts on the same LSA matrix
    /// (`benches/cluster-eval --inertia`, seeds 1–5; gap = our inertia over theirs − 1):
    ///
    /// | corpus (passages, k) | starts | median gap | worst gap |
    /// |---|---|---|---|
    /// | BBC News (2,225, 5) | 10 | −0.00% | −0.00% |
    /// | AG News (7,600, 4) | 4 | +0.01% | +0.22% |
    /// | AG News | 10 | −0.12% | −0.00% |
    /// | Reuters R8 (5,938, 8) | 4 | +0.30% | +0.64% |
    /// | Reuters R8 | 10 | +0.12% | +0.24% |
    ///
    /// On UNGD by passage (118,008 passages, k = 20, seeds 1–2) the inertia was 78,281 and
    /// 78,552 with one start, 78,000 and 77,953 with 4, and 77,906 and 77,953 with 10; 4 starts
    /// took the topics stage from about 13 to 19 s. Past 200,000 passages a start takes
    /// minutes, and one is run.
    pub n_init: Option<usize>,
    /// k-means iterations per restart at most. Default 100.
    pub max_iterations: u64,
    /// k-means stops when the summed squared centroid shift falls below this times the data's
    /// mean variance (scikit-learn's `tol`). Default 1e-4.
    pub tolerance: f64,
    /// Merge the k-means topics along the topic hierarchy until this many remain (BERTopic's
    /// `reduce_topics(nr_topics=…)`): the two most alike topics by c-TF-IDF (average linkage)
    /// merge first. Default: none.
    pub reduce_to: Option<usize>,
    /// Merge topics along the hierarchy while the two most alike have an average c-TF-IDF
    /// cosine similarity of at least this (0 to 1). Default: none.
    pub merge_similarity: Option<f64>,
    /// Gather the outliers (passages far from their topic's centre, see `tables/passages`'s
    /// `outlier`) apart, out of every topic, as BERTopic's topic −1. Default false: they stay in
    /// their topic, flagged, and are left out of its label either way.
    pub outlier_topic: bool,
    /// Terms that label a topic. Default 10.
    pub top_terms: usize,
    /// Passages shown as a topic's most representative. Default 3.
    pub representatives: usize,
    /// Write each clustered passage's unit-length LSA vector to `tables/passage_vectors`
    /// (`passage`, `d1`…`dN`) and the TF-IDF matrix to `tables/tfidf` (`passage`, `term`,
    /// `weight`, one row per non-zero weight), for clustering, plotting or topic models in other
    /// tools, and for checking k-means and topic coherence against scikit-learn on the same
    /// matrices. Default false (they are large: 100 numbers a passage, and one row per distinct
    /// term of a passage).
    pub write_vectors: bool,
}

impl Default for TopicsConfig {
    fn default() -> Self {
        TopicsConfig {
            k: TopicCount::Fixed(8),
            k_min: 2,
            k_max: 16,
            silhouette_sample: 2000,
            components: 50,
            oversample: 10,
            power_iterations: 5,
            n_init: None,
            max_iterations: 100,
            tolerance: 1e-4,
            reduce_to: None,
            merge_similarity: None,
            outlier_topic: false,
            top_terms: 10,
            representatives: 3,
            write_vectors: false,
        }
    }
}

/// How many topics: a number, or chosen by the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TopicCount {
    /// This many.
    Fixed(usize),
    /// `"auto"`: scored over `k_min..=k_max`, the best kept.
    Auto(AutoK),
}

/// The word `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoK {
    /// Choose k.
    Auto,
}

impl TopicsConfig {
    /// The k-means restarts for `passages` passages.
    pub fn n_init(&self, passages: usize) -> usize {
        self.n_init.unwrap_or(match passages {
            0..=20_000 => 10,
            20_001..=200_000 => 4,
            _ => 1,
        })
    }
}

impl std::str::FromStr for TopicCount {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s.eq_ignore_ascii_case("auto") {
            return Ok(TopicCount::Auto(AutoK::Auto));
        }
        s.parse()
            .map(TopicCount::Fixed)
            .map_err(|_| format!("expected a number of topics or `auto`, got `{s}`"))
    }
}

/// Per-period frequencies and contrasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrendsConfig {
    /// Period length. Default year.
    pub period: PeriodUnit,
    /// Custom breakpoints instead of calendar periods: `["2016", "2018", "2020"]` starts a
    /// period at each (years, `YYYY-MM` months or `YYYY-MM-DD` days, one precision, increasing);
    /// documents before the first form a period of their own. Empty (default): `period` rules.
    pub periods: Vec<String>,
    /// Centred moving average over this many periods either side of each point of a tracked
    /// term's series (the Ngram Viewer's smoothing); 0 (default) shows the raw values.
    pub smoothing: usize,
    /// Terms to follow, any spelling. Empty: the three terms rising most and the two falling
    /// most are followed.
    pub track: Vec<String>,
    /// The column naming each document's voice (`source`, `title`, `id` or a passed-through
    /// column such as `label`): composition per period, and each change of a contrast, burst
    /// or tracked term split into change within voices and change of the mix. Default: none.
    pub stratify: Option<String>,
    /// Terms with per-period rows, by total count (tracked terms always included). Default 5,000.
    pub max_terms: usize,
    /// A term needs this many occurrences in the corpus to get per-period rows. Default 2.
    pub min_count: u64,
    /// Rising and falling terms listed. Default 15 each.
    pub top_changes: usize,
    /// A change needs this many occurrences in the two periods together. Default 3.
    pub min_change_count: u64,
    /// A period with fewer documents than this is flagged as thin. Default 3.
    pub thin_documents: u32,
    /// Bootstrap replicates for the intervals of tracked terms. Default 1,000.
    pub bootstrap_samples: usize,
    /// Periods a run may cut the corpus into at most; more stops the run with the documents at
    /// either end named (one mistyped date such as `0001-01-01` would otherwise make tens of
    /// thousands of empty periods). Default 2,000 (a century by month fits in 1,200).
    pub max_periods: usize,
    /// Burst detection: each burst level expects `burst_s` times the share of documents (or
    /// passages) of the level below; shifts need their two levels at least this far apart.
    /// Default 2.
    pub burst_s: f64,
    /// Burst detection: moving up a level costs `burst_gamma × ln(periods)`. Default 1.
    pub burst_gamma: f64,
    /// Bursts listed (episodes inside the timeline first, by strength), and shifts listed (by
    /// |z|). Default 500 each.
    pub top_bursts: usize,
    /// Top terms of each topic within each period. Default 5.
    pub topic_terms: usize,
    /// Average a topic's c-TF-IDF within a period with its global c-TF-IDF (BERTopic's
    /// `global_tuning`). Default true.
    pub global_tuning: bool,
    /// Average a topic's c-TF-IDF within a period with the previous period's (BERTopic's
    /// `evolution_tuning`). Default true.
    pub evolution_tuning: bool,
    /// Successions listed (pairs of a falling and a rising term sharing contexts). Default 20.
    pub succession_pairs: usize,
    /// A term needs this many occurrences to take part in a succession. Default 3.
    pub succession_min_count: u64,
    /// A succession's terms must change with a log-odds |z| of at least this across the
    /// handover. Default 1.96.
    pub succession_z: f64,
}

impl Default for TrendsConfig {
    fn default() -> Self {
        TrendsConfig {
            period: PeriodUnit::Year,
            periods: Vec::new(),
            smoothing: 0,
            track: Vec::new(),
            stratify: None,
            max_terms: 5_000,
            min_count: 2,
            top_changes: 15,
            min_change_count: 3,
            thin_documents: 3,
            bootstrap_samples: 1000,
            max_periods: 2000,
            burst_s: 2.0,
            burst_gamma: 1.0,
            top_bursts: 500,
            topic_terms: 5,
            global_tuning: true,
            evolution_tuning: true,
            succession_pairs: 20,
            succession_min_count: 3,
            succession_z: 1.96,
        }
    }
}

/// A parameter out of range, found before a run starts. One variant per rule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// `threads` is 0.
    #[error("threads must be at least 1 (got 0); leave it out to use one per core")]
    ZeroThreads,
    /// A column name is empty.
    #[error("ingest.{0} must not be empty")]
    EmptyColumn(&'static str),
    /// A df fraction outside [0, 1].
    #[error(
        "vectorize.{0} = {1} is a fraction outside [0, 1]; use a whole number for a passage count"
    )]
    DfFraction(&'static str, f64),
    /// min_df above max_df when both are of the same kind.
    #[error("vectorize.min_df ({0}) is above vectorize.max_df ({1}): no term could be kept")]
    DfOrder(String, String),
    /// max_features of 0.
    #[error("vectorize.max_features must be at least 1; leave it out for no limit")]
    ZeroMaxFeatures,
    /// Fewer than two topics.
    #[error("topics.k must be at least 2 (got {0})")]
    TooFewTopics(usize),
    /// A k range for `auto` that is empty or starts below 2.
    #[error("topics.k_min must be at least 2 and at most topics.k_max (got {0} and {1})")]
    BadKRange(usize, usize),
    /// No LSA dimension.
    #[error("topics.components must be at least 1")]
    ZeroComponents,
    /// No k-means run.
    #[error("topics.n_init must be at least 1")]
    ZeroInit,
    /// No k-means iteration.
    #[error("topics.max_iterations must be at least 1")]
    ZeroIterations,
    /// Tolerance not positive and finite.
    #[error("topics.tolerance must be a positive number (got {0})")]
    BadTolerance(f64),
    /// No top term.
    #[error("topics.top_terms must be at least 1")]
    ZeroTopTerms,
    /// A tracked term that is blank.
    #[error("trends.track contains an empty term")]
    EmptyTrackedTerm,
    /// No term kept for trends.
    #[error("trends.max_terms must be at least 1")]
    ZeroMaxTerms,
    /// A fold ratio that is negative or not a number.
    #[error("tokenize.fold_min_ratio must be a number of at least 0 (got {0})")]
    BadFoldRatio(f64),
    /// Burst parameters out of range.
    #[error("trends.burst_s must be above 1 and trends.burst_gamma at least 0 (got {0} and {1})")]
    BadBurst(f64, f64),
    /// A phrase length outside 2–4.
    #[error("tokenize.phrases.max_words must be 2, 3 or 4 (got {0})")]
    PhraseLength(usize),
    /// A phrase minimum count of 0.
    #[error("tokenize.phrases.min_count must be at least 1")]
    ZeroPhraseCount,
    /// A phrase threshold that is not a number.
    #[error("tokenize.phrases.threshold must be a finite number (got {0})")]
    BadPhraseThreshold(f64),
    /// A number that must lie in a closed range, or be at least a minimum.
    #[error("{name} must be {rule} (got {got})")]
    OutOfRange {
        /// The key, as written in the config file.
        name: &'static str,
        /// The rule, in words: "between 0 and 1", "at least 2".
        rule: String,
        /// The value given.
        got: String,
    },
    /// A period breakpoint that is not a date.
    #[error(
        "trends.periods: `{0}` is not a date; write breakpoints as YYYY, YYYY-MM or YYYY-MM-DD"
    )]
    BadBreakpoint(String),
    /// Period breakpoints out of order or of mixed precision.
    #[error(
        "trends.periods must increase and share one precision (all years, all months or all \
         days); `{0}` then `{1}` do not"
    )]
    BreakpointOrder(String, String),
}

impl TrendsConfig {
    /// The custom period breakpoints, parsed; empty for calendar periods.
    pub fn breakpoints(&self) -> Result<Vec<DocDate>, ConfigError> {
        let dates = self
            .periods
            .iter()
            .map(|s| DocDate::parse(s).ok_or_else(|| ConfigError::BadBreakpoint(s.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        for w in dates.windows(2) {
            let same_precision = w[0].month.is_some() == w[1].month.is_some()
                && w[0].day.is_some() == w[1].day.is_some();
            if !same_precision || w[0] >= w[1] {
                return Err(ConfigError::BreakpointOrder(
                    w[0].to_string(),
                    w[1].to_string(),
                ));
            }
        }
        Ok(dates)
    }
}

impl Config {
    /// Reads a TOML config file; unknown keys are errors.
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = read_text(path, "a TOML config file")?;
        toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            let location = match line {
                Some(l) => Location::line(path, l),
                None => Location::file(path),
            };
            Error::input(
                location,
                e.message().to_string(),
                "see ARCHITECTURE.md or `topictide run --help` for the keys of each table",
            )
        })
    }

    /// The tokenizer's settings for a run: `tokenize`, with the tracked terms counted as
    /// phrases wherever they occur.
    pub fn tokenize_config(&self) -> TokenizeConfig {
        let mut t = self.tokenize.clone();
        t.phrases.include.extend(self.trends.track.iter().cloned());
        t
    }

    /// Checks every rule and returns the checked configuration, the only form a run accepts;
    /// the first broken rule is returned.
    pub fn validate(self) -> Result<ValidConfig, ConfigError> {
        self.check()?;
        Ok(ValidConfig(self))
    }

    fn check(&self) -> Result<(), ConfigError> {
        if self.threads == Some(0) {
            return Err(ConfigError::ZeroThreads);
        }
        let i = &self.ingest;
        for (name, value) in [
            ("text_column", &i.text_column),
            ("date_column", &i.date_column),
            ("year_column", &i.year_column),
            ("id_column", &i.id_column),
            ("title_column", &i.title_column),
            ("source_column", &i.source_column),
        ] {
            if value.trim().is_empty() {
                return Err(ConfigError::EmptyColumn(name));
            }
        }
        let r = self.tokenize.fold_min_ratio;
        if !(r.is_finite() && r >= 0.0) {
            return Err(ConfigError::BadFoldRatio(r));
        }
        let ph = &self.tokenize.phrases;
        if !(2..=4).contains(&ph.max_words) {
            return Err(ConfigError::PhraseLength(ph.max_words));
        }
        if ph.min_count == 0 {
            return Err(ConfigError::ZeroPhraseCount);
        }
        if !ph.threshold().is_finite() {
            return Err(ConfigError::BadPhraseThreshold(ph.threshold()));
        }
        let v = &self.vectorize;
        for (name, df) in [("min_df", v.min_df), ("max_df", Some(v.max_df))] {
            let Some(df) = df else { continue };
            if let Df::Fraction(f) = df {
                if !(0.0..=1.0).contains(&f) {
                    return Err(ConfigError::DfFraction(name, f));
                }
            }
        }
        let df_order = match (v.min_df, v.max_df) {
            (Some(Df::Count(a)), Df::Count(b)) => a > b,
            (Some(Df::Fraction(a)), Df::Fraction(b)) => a > b,
            _ => false,
        };
        if df_order {
            return Err(ConfigError::DfOrder(
                format!("{:?}", v.min_df.unwrap_or(Df::Count(0))),
                format!("{:?}", v.max_df),
            ));
        }
        if v.max_features == Some(0) {
            return Err(ConfigError::ZeroMaxFeatures);
        }
        let t = &self.topics;
        match t.k {
            TopicCount::Fixed(k) if k < 2 => return Err(ConfigError::TooFewTopics(k)),
            TopicCount::Auto(_) if t.k_min < 2 || t.k_max < t.k_min => {
                return Err(ConfigError::BadKRange(t.k_min, t.k_max))
            }
            _ => {}
        }
        if t.components == 0 {
            return Err(ConfigError::ZeroComponents);
        }
        if t.n_init == Some(0) {
            return Err(ConfigError::ZeroInit);
        }
        if t.max_iterations == 0 {
            return Err(ConfigError::ZeroIterations);
        }
        if !(t.tolerance.is_finite() && t.tolerance > 0.0) {
            return Err(ConfigError::BadTolerance(t.tolerance));
        }
        if t.top_terms == 0 {
            return Err(ConfigError::ZeroTopTerms);
        }
        if self.trends.track.iter().any(|s| s.trim().is_empty()) {
            return Err(ConfigError::EmptyTrackedTerm);
        }
        if self.trends.max_terms == 0 {
            return Err(ConfigError::ZeroMaxTerms);
        }
        let tr = &self.trends;
        if !(tr.burst_s.is_finite()
            && tr.burst_s > 1.0
            && tr.burst_gamma.is_finite()
            && tr.burst_gamma >= 0.0)
        {
            return Err(ConfigError::BadBurst(tr.burst_s, tr.burst_gamma));
        }
        tr.breakpoints()?;
        self.check_ranges()
    }

    /// The numeric fields whose range no type states.
    fn check_ranges(&self) -> Result<(), ConfigError> {
        fn fraction(name: &'static str, v: f64) -> Result<(), ConfigError> {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(ConfigError::OutOfRange {
                    name,
                    rule: "a number between 0 and 1".into(),
                    got: v.to_string(),
                })
            }
        }
        fn at_least(name: &'static str, min: u64, v: u64) -> Result<(), ConfigError> {
            if v >= min {
                Ok(())
            } else {
                Err(ConfigError::OutOfRange {
                    name,
                    rule: format!("at least {min}"),
                    got: v.to_string(),
                })
            }
        }
        fraction(
            "ingest.min_date_confidence",
            self.ingest.min_date_confidence,
        )?;
        fraction(
            "segment.cross_document_share",
            self.segment.cross_document_share,
        )?;
        at_least(
            "segment.cross_document_min",
            2,
            self.segment.cross_document_min as u64,
        )?;
        let t = &self.topics;
        at_least("topics.silhouette_sample", 2, t.silhouette_sample as u64)?;
        if let Some(n) = t.reduce_to {
            at_least("topics.reduce_to", 1, n as u64)?;
        }
        if let Some(v) = t.merge_similarity {
            fraction("topics.merge_similarity", v)?;
        }
        let tr = &self.trends;
        at_least("trends.bootstrap_samples", 10, tr.bootstrap_samples as u64)?;
        at_least("trends.max_periods", 1, tr.max_periods as u64)?;
        at_least("trends.topic_terms", 1, tr.topic_terms as u64)?;
        if !(tr.succession_z.is_finite() && tr.succession_z >= 0.0) {
            return Err(ConfigError::OutOfRange {
                name: "trends.succession_z",
                rule: "a number of at least 0".into(),
                got: tr.succession_z.to_string(),
            });
        }
        Ok(())
    }
}

/// A configuration that passed [`Config::validate`]: the only form [`crate::run::run`] and the
/// commands accept, so that every rule is checked once, before any stage runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ValidConfig(Config);

impl std::ops::Deref for ValidConfig {
    type Target = Config;

    fn deref(&self) -> &Config {
        &self.0
    }
}

/// Where a run reads and writes, besides its [`Config`].
#[derive(Debug, Clone, PartialEq)]
pub struct RunPaths {
    /// The corpus: a directory with `manifest.csv`, or a table file.
    pub corpus: PathBuf,
    /// The output directory.
    pub out: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(edit: impl FnOnce(&mut Config)) -> Result<(), ConfigError> {
        let mut c = Config::default();
        edit(&mut c);
        c.validate().map(|_| ())
    }

    #[test]
    fn default_is_valid() {
        assert!(Config::default().validate().is_ok());
    }

    #[test]
    fn every_number_out_of_range_is_refused_with_its_key() {
        type Edit = fn(&mut Config);
        let cases: [(Edit, &str); 11] = [
            (
                |c| c.trends.bootstrap_samples = 0,
                "trends.bootstrap_samples",
            ),
            (
                |c| c.ingest.min_date_confidence = 7.0,
                "ingest.min_date_confidence",
            ),
            (
                |c| c.ingest.min_date_confidence = -3.0,
                "ingest.min_date_confidence",
            ),
            (
                |c| c.ingest.min_date_confidence = f64::NAN,
                "ingest.min_date_confidence",
            ),
            (
                |c| c.topics.silhouette_sample = 0,
                "topics.silhouette_sample",
            ),
            (
                |c| c.segment.cross_document_share = 5.0,
                "segment.cross_document_share",
            ),
            (
                |c| c.segment.cross_document_min = 0,
                "segment.cross_document_min",
            ),
            (|c| c.trends.max_periods = 0, "trends.max_periods"),
            (|c| c.trends.succession_z = -1.0, "trends.succession_z"),
            (|c| c.topics.reduce_to = Some(0), "topics.reduce_to"),
            (
                |c| c.topics.merge_similarity = Some(1.5),
                "topics.merge_similarity",
            ),
        ];
        for (edit, key) in cases {
            match check(edit) {
                Err(e @ ConfigError::OutOfRange { name, .. }) => {
                    assert_eq!(name, key);
                    assert!(e.to_string().starts_with(key), "{e}");
                }
                other => panic!("{key}: {other:?}"),
            }
        }
        let auto_zero =
            toml::from_str::<Config>("[topics]\nk = \"auto\"\nsilhouette_sample = 0\n").unwrap();
        assert!(auto_zero.validate().is_err());
    }

    #[test]
    fn each_rule_has_its_error() {
        assert_eq!(
            check(|c| c.threads = Some(0)),
            Err(ConfigError::ZeroThreads)
        );
        assert_eq!(
            check(|c| c.ingest.text_column = " ".into()),
            Err(ConfigError::EmptyColumn("text_column"))
        );
        assert_eq!(
            check(|c| c.vectorize.max_df = Df::Fraction(1.5)),
            Err(ConfigError::DfFraction("max_df", 1.5))
        );
        assert!(matches!(
            check(|c| {
                c.vectorize.min_df = Some(Df::Count(10));
                c.vectorize.max_df = Df::Count(5);
            }),
            Err(ConfigError::DfOrder(..))
        ));
        assert_eq!(
            check(|c| c.vectorize.max_features = Some(0)),
            Err(ConfigError::ZeroMaxFeatures)
        );
        assert_eq!(
            check(|c| c.topics.k = TopicCount::Fixed(1)),
            Err(ConfigError::TooFewTopics(1))
        );
        assert_eq!(
            check(|c| {
                c.topics.k = "auto".parse().unwrap();
                c.topics.k_max = 1;
            }),
            Err(ConfigError::BadKRange(2, 1))
        );
        assert_eq!(
            check(|c| c.tokenize.phrases.max_words = 5),
            Err(ConfigError::PhraseLength(5))
        );
        assert_eq!(
            check(|c| c.tokenize.phrases.min_count = 0),
            Err(ConfigError::ZeroPhraseCount)
        );
        assert_eq!(
            check(|c| c.topics.components = 0),
            Err(ConfigError::ZeroComponents)
        );
        assert_eq!(
            check(|c| c.topics.n_init = Some(0)),
            Err(ConfigError::ZeroInit)
        );
        assert_eq!(
            check(|c| c.topics.max_iterations = 0),
            Err(ConfigError::ZeroIterations)
        );
        assert!(matches!(
            check(|c| c.topics.tolerance = -1.0),
            Err(ConfigError::BadTolerance(_))
        ));
        assert_eq!(
            check(|c| c.topics.top_terms = 0),
            Err(ConfigError::ZeroTopTerms)
        );
        assert_eq!(
            check(|c| c.trends.track = vec!["".into()]),
            Err(ConfigError::EmptyTrackedTerm)
        );
        assert_eq!(
            check(|c| c.trends.max_terms = 0),
            Err(ConfigError::ZeroMaxTerms)
        );
        assert_eq!(
            check(|c| c.trends.periods = vec!["2016".into(), "20x8".into()]),
            Err(ConfigError::BadBreakpoint("20x8".into()))
        );
        assert_eq!(
            check(|c| c.trends.periods = vec!["2018".into(), "2016".into()]),
            Err(ConfigError::BreakpointOrder("2018".into(), "2016".into()))
        );
        assert_eq!(
            check(|c| c.trends.periods = vec!["2016".into(), "2018-06".into()]),
            Err(ConfigError::BreakpointOrder(
                "2016".into(),
                "2018-06".into()
            ))
        );
        assert_eq!(
            check(|c| c.trends.periods = vec!["2016".into(), "2018".into()]),
            Ok(())
        );
    }

    #[test]
    fn synonym_files_are_read_and_bad_lines_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("syn.txt");
        std::fs::write(
            &path,
            "# concepts\ndata protection = data privacy, information protection\n\n",
        )
        .unwrap();
        let rules = read_synonyms(&path).unwrap();
        assert_eq!(
            rules,
            vec![SynonymRule {
                term: "data protection".into(),
                variants: vec!["data privacy".into(), "information protection".into()]
            }]
        );
        std::fs::write(&path, "ok = fine\njust words\n").unwrap();
        let e = read_synonyms(&path).unwrap_err().to_string();
        assert!(e.contains("syn.txt:2") && e.contains("no `=`"), "{e}");
    }

    #[test]
    fn stop_word_files_are_read_and_bad_lines_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stop.txt");
        std::fs::write(
            &path,
            "# news
said

  told  # reporting verbs
",
        )
        .unwrap();
        assert_eq!(read_stop_words(&path).unwrap(), vec!["said", "told"]);
        std::fs::write(
            &path,
            "said
as well
",
        )
        .unwrap();
        let e = read_stop_words(&path).unwrap_err().to_string();
        assert!(
            e.contains("stop.txt:2") && e.contains("one stop word a line"),
            "{e}"
        );
        let e = read_stop_words(&dir.path().join("missing.txt"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing.txt"), "{e}");
    }

    #[test]
    fn toml_reads_partial_tables_and_df_kinds() {
        let c: Config = toml::from_str(
            "seed = 7\n[vectorize]\nmin_df = 3\nmax_df = 0.5\n[trends]\nperiod = \"quarter\"\n",
        )
        .unwrap();
        assert_eq!(c.seed, 7);
        assert_eq!(c.vectorize.min_df, Some(Df::Count(3)));
        assert_eq!(c.vectorize.max_df, Df::Fraction(0.5));
        assert_eq!(c.trends.period, PeriodUnit::Quarter);
        assert_eq!(c.topics, TopicsConfig::default());
        let c: Config = toml::from_str("[topics]\nk = \"auto\"\n").unwrap();
        assert_eq!(c.topics.k, TopicCount::Auto(AutoK::Auto));
        let c: Config = toml::from_str("[topics]\nk = 12\n").unwrap();
        assert_eq!(c.topics.k, TopicCount::Fixed(12));
    }

    #[test]
    fn unknown_key_is_an_error_with_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "seed = 1\n\n[topics]\nkk = 3\n").unwrap();
        let err = Config::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("c.toml:4"), "{err}");
        assert!(err.contains("kk"), "{err}");
    }
}
