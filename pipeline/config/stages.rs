//! Each stage's table of the configuration, with its defaults.

use serde::{Deserialize, Serialize};

use crate::artifacts::{DocDate, Language, Norm, PeriodUnit, Weighting};
use crate::error::ConfigError;

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
    /// Language of the texts: the Snowball stemmer and the stop word list follow it; Chinese
    /// is segmented into words by jieba and not stemmed. Default english.
    pub language: Language,
    /// A file of terms of art that Chinese segmentation keeps whole ("数据安全法"), one a
    /// line, `#` starts a comment; relative to the config file (`--user-dictionary FILE`:
    /// to the working folder). Its words are added to `user_words`. Default none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_dictionary: Option<std::path::PathBuf>,
    /// Terms of art that Chinese segmentation keeps whole wherever their characters occur
    /// (the longest first), whatever jieba's dictionary would read there. Default none.
    pub user_words: Vec<String>,
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
            user_dictionary: None,
            user_words: Vec::new(),
            synonyms: Vec::new(),
            stop_words: None,
            extra_stop_words: Vec::new(),
            stem: true,
        }
    }
}

impl TokenizeConfig {
    /// Reads a user dictionary (`user_dictionary`, `--user-dictionary`) into `user_words`.
    pub fn add_user_dictionary(&mut self, path: &std::path::Path) -> crate::error::Result<()> {
        self.user_words.extend(super::read_user_words(path)?);
        self.user_dictionary = Some(path.to_path_buf());
        Ok(())
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
    /// The weighting of counts these settings ask for.
    pub fn weighting(&self) -> Weighting {
        Weighting {
            sublinear_tf: self.sublinear_tf,
            norm: self.norm,
        }
    }

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
    /// With more clustered passages than this, LSA and k-means (and `k = "auto"`'s scores) are
    /// fitted on this many, those of the smallest sampling keys (`Passages::sample_keys`, a hash
    /// of the document's id and the passage's place, mixed with the seed: the same sample
    /// however the corpus is split into shards), and every passage is then projected and
    /// assigned to its nearest centre with the fitted model: memory and time of the fit stop
    /// growing with the corpus. Default 200,000, which UNGD (118,000 passages) stays under. The
    /// cost, measured on UNGD at k = 20 against the full fit (`benches/fit-sample`, seed 1; the
    /// inertia is over every passage, each run in its own LSA space):
    ///
    /// | fitted on | NMI with the full fit | inertia | topics stage |
    /// |---|---|---|---|
    /// | all 118,040 | 1 | 63,706 | 6.6 s |
    /// | 100,000 | 0.758 | +0.05% | 5.2 s |
    /// | 50,000 | 0.828 | −0.03% | 3.2 s |
    /// | 20,000 | 0.722 | −0.48% | 1.8 s |
    ///
    /// Two full fits with seeds 1 and 2 agree at NMI 0.811: from 50,000 passages on, a sample
    /// moves the topics about as much as another seed does; 200,000 leaves a margin. The table
    /// was measured with a seeded shuffle; with the sampling keys (one run, beside the test
    /// suite, so its times are not comparable) the NMI was 0.923, 0.744 and 0.757 and the
    /// inertia −0.03%, −0.20% and −0.56% at 100,000, 50,000 and 20,000: within the spread of
    /// another seed.
    pub fit_passages: usize,
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
            fit_passages: 200_000,
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

impl TopicCount {
    /// The number asked for, when one is (not `"auto"`).
    pub fn fixed(&self) -> Option<usize> {
        match self {
            TopicCount::Fixed(k) => Some(*k),
            TopicCount::Auto(_) => None,
        }
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
    /// The earliest–latest contrast pools periods from each end of the corpus until a side
    /// holds at least this share of the corpus' word tokens (one period, when it holds as
    /// much); two sides that would meet split the corpus at its middle token. 0 compares the
    /// first period with the last. Default 0.05 (`benches/contrast-ends.md`).
    pub end_share: f64,
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
    /// Bursts listed (by score, ongoing ones among the rest), and shifts listed (by
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
            end_share: 0.05,
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

/// What the report writes besides the page and charts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    /// Write the CSV copy of a table even when it passes 25 MB. Default false:
    /// such a table (the terms, phrases or passages of a large corpus) is written as Parquet alone,
    /// and the page says so. The Parquet file always holds every row.
    pub large_csv: bool,
    /// Write each passage's text into the passages table. Default false: the table has each
    /// passage's document and byte range in its text, and the evidence table quotes the
    /// passages behind what the report shows, so the outputs stay a small part of the corpus.
    pub passage_text: bool,
}
