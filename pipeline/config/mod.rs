//! One configuration for a run: a table per stage, read from TOML, overridden by flags, and
//! validated before any stage runs ([`Config::validate`]).
//!
//! Defaults are written on each field and in `Default` impls; a config file need only name what
//! it changes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::artifacts::{Language, PeriodUnit};
use crate::error::{ConfigError, Error, Location, Result};

mod files;
mod options;
mod stages;

use files::read_text;
pub use files::{read_stop_words, read_synonyms, read_user_words};
pub use stages::*;

/// Worker threads a run may ask for at most: each holds its own counts in some passes, and
/// past the machine's cores more threads only cost memory (100,000 asked the OS for more
/// threads than it gives).
pub const MAX_THREADS: u64 = 1024;

/// The whole configuration of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Seed for every random choice (SVD test matrix, k-means init). Default 42.
    pub seed: u64,
    /// Worker threads; `None` uses one per core. Results do not depend on it. At most
    /// [`MAX_THREADS`].
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
    /// Report stage.
    pub report: ReportConfig,
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
            report: ReportConfig::default(),
        }
    }
}

/// The name the config file gives a value (its serde name), which the command line takes too.
fn config_name(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl clap::ValueEnum for Language {
    fn value_variants<'a>() -> &'a [Self] {
        &Language::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(config_name(self)))
    }
}

impl clap::ValueEnum for PeriodUnit {
    fn value_variants<'a>() -> &'a [Self] {
        &PeriodUnit::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(config_name(self)))
    }
}

impl Config {
    /// Reads a TOML config file; unknown keys are errors.
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = read_text(path, "a TOML config file")?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
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
        })?;
        if let Some(dict) = config.tokenize.user_dictionary.take() {
            let dict = path.parent().unwrap_or(Path::new("")).join(dict);
            config.tokenize.user_dictionary = Some(dict);
        }
        Ok(config)
    }

    /// The configuration a run on `corpus` starts from: `file` when given; otherwise the
    /// corpus folder's own `topictide.toml`, read only when it lies inside the folder, and the
    /// defaults when there is none. The user dictionary it names is read (a corpus' own config
    /// may name one only inside the corpus folder).
    pub fn for_corpus(corpus: &Path, file: Option<&Path>) -> Result<Config> {
        let own = file.is_none().then(|| corpus.join("topictide.toml"));
        let own = own.filter(|candidate| corpus.is_dir() && candidate.is_file());
        if let Some(path) = &own {
            let inside = match (path.canonicalize(), corpus.canonicalize()) {
                (Ok(p), Ok(c)) => p.starts_with(c),
                _ => false,
            };
            if !inside {
                return Err(Error::input(
                    Location::file(path),
                    "the corpus' config is a link that leads outside the corpus folder",
                    "copy the config into the corpus folder, or pass it with --config",
                ));
            }
        }
        let mut config = match file.or(own.as_deref()) {
            Some(path) => Config::from_file(path)?,
            None => Config::default(),
        };
        config.read_user_dictionary(file.is_none().then_some(corpus))?;
        Ok(config)
    }

    /// Reads the user dictionary the config names (`tokenize.user_dictionary`, already
    /// relative to the working folder) into `tokenize.user_words`. With `within`, the
    /// dictionary must lie inside that folder (a corpus' own config may not reach outside it).
    pub fn read_user_dictionary(&mut self, within: Option<&Path>) -> Result<()> {
        let Some(path) = self.tokenize.user_dictionary.clone() else {
            return Ok(());
        };
        if let Some(folder) = within {
            let inside = match (path.canonicalize(), folder.canonicalize()) {
                (Ok(p), Ok(f)) => p.starts_with(f),
                _ => false,
            };
            if !inside {
                return Err(Error::input(
                    Location::file(&path),
                    "the corpus' config names a user dictionary outside the corpus folder",
                    "put the dictionary in the corpus folder, or pass it with --user-dictionary",
                ));
            }
        }
        self.tokenize.add_user_dictionary(&path)
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

    /// The counts with an upper bound, each the bound and the value given: past the bound a
    /// setting only burns time or memory (a million power iterations ran for hours; a billion
    /// bootstrap replicates asked for 8 GB at once).
    fn bounded(&self) -> [(&'static str, u64, u64); 19] {
        let (t, tr) = (&self.topics, &self.trends);
        let k = match t.k {
            TopicCount::Fixed(k) => k,
            TopicCount::Auto(_) => t.k_max,
        };
        [
            // k-means over k topics needs k × components numbers per passage sampled.
            ("topics.k", 1_000, k as u64),
            ("topics.k_max", 1_000, t.k_max as u64),
            // The score of `auto` compares every pair of sampled passages.
            (
                "topics.silhouette_sample",
                50_000,
                t.silhouette_sample as u64,
            ),
            ("topics.components", 2_000, t.components as u64),
            ("topics.oversample", 1_000, t.oversample as u64),
            // scikit-learn uses 4 to 7; the decomposition has converged long before 100.
            ("topics.power_iterations", 100, t.power_iterations as u64),
            ("topics.n_init", 1_000, t.n_init.unwrap_or(1) as u64),
            ("topics.max_iterations", 100_000, t.max_iterations),
            // A dense sample of passages × components is held while fitting.
            ("topics.fit_passages", 5_000_000, t.fit_passages as u64),
            ("topics.top_terms", 1_000, t.top_terms as u64),
            ("topics.representatives", 1_000, t.representatives as u64),
            // A replicate draws every period once: the intervals are steady by 10,000.
            (
                "trends.bootstrap_samples",
                100_000,
                tr.bootstrap_samples as u64,
            ),
            ("trends.max_periods", 1_000_000, tr.max_periods as u64),
            ("trends.max_terms", 10_000_000, tr.max_terms as u64),
            ("trends.top_changes", 1_000_000, tr.top_changes as u64),
            ("trends.top_bursts", 1_000_000, tr.top_bursts as u64),
            ("trends.topic_terms", 1_000, tr.topic_terms as u64),
            (
                "trends.succession_pairs",
                100_000,
                tr.succession_pairs as u64,
            ),
            ("trends.smoothing", 10_000, tr.smoothing as u64),
        ]
    }

    /// The numeric fields whose range no type states.
    fn check_ranges(&self) -> Result<(), ConfigError> {
        /// `got` unless it breaks `rule`, said in words.
        fn holds(
            name: &'static str,
            ok: bool,
            rule: String,
            got: String,
        ) -> Result<(), ConfigError> {
            match ok {
                true => Ok(()),
                false => Err(ConfigError::OutOfRange { name, rule, got }),
            }
        }
        let fraction = |name, v: f64| {
            holds(
                name,
                (0.0..=1.0).contains(&v),
                "a number between 0 and 1".into(),
                v.to_string(),
            )
        };
        let at_least = |name, min: u64, v: u64| {
            holds(name, v >= min, format!("at least {min}"), v.to_string())
        };
        // A count where a larger value only burns time or memory.
        let at_most =
            |name, max: u64, v: u64| holds(name, v <= max, format!("at most {max}"), v.to_string());
        if let Some(n) = self.threads {
            at_most("threads", MAX_THREADS, n as u64)?;
        }
        for (name, max, v) in self.bounded() {
            at_most(name, max, v)?;
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
        at_least("topics.fit_passages", 1000, t.fit_passages as u64)?;
        if let Some(n) = t.reduce_to {
            at_least("topics.reduce_to", 1, n as u64)?;
        }
        if let Some(v) = t.merge_similarity {
            fraction("topics.merge_similarity", v)?;
        }
        let tr = &self.trends;
        fraction("trends.end_share", tr.end_share)?;
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

impl ValidConfig {
    /// This configuration, also writing what `asked` asks of the report (large CSV copies,
    /// the passages' text): choices of what the report writes, which no rule checks.
    pub fn with_report(mut self, asked: &ReportConfig) -> ValidConfig {
        self.0.report.large_csv |= asked.large_csv;
        self.0.report.passage_text |= asked.passage_text;
        self
    }
}

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
        let cases: [(Edit, &str); 17] = [
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
            (|c| c.threads = Some(100_000), "threads"),
            (
                |c| c.topics.power_iterations = 1_000_000,
                "topics.power_iterations",
            ),
            (
                |c| c.trends.bootstrap_samples = 1_000_000_000,
                "trends.bootstrap_samples",
            ),
            (|c| c.topics.n_init = Some(5_000), "topics.n_init"),
            (|c| c.topics.k_max = 5_000, "topics.k_max"),
            (|c| c.topics.k = TopicCount::Fixed(5_000), "topics.k"),
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
        let e = check(|c| c.topics.power_iterations = 1_000_000).unwrap_err();
        assert_eq!(
            e.to_string(),
            "topics.power_iterations must be at most 100 (got 1000000)"
        );
        // Every bound admits the defaults, and the largest value it allows.
        let mut at_bounds = Config::default();
        for (name, max, _) in Config::default().bounded() {
            let max = max as usize;
            let (t, tr) = (&mut at_bounds.topics, &mut at_bounds.trends);
            match name {
                "topics.k" | "topics.k_max" => t.k_max = max,
                "topics.silhouette_sample" => t.silhouette_sample = max,
                "topics.components" => t.components = max,
                "topics.oversample" => t.oversample = max,
                "topics.power_iterations" => t.power_iterations = max,
                "topics.n_init" => t.n_init = Some(max),
                "topics.max_iterations" => t.max_iterations = max as u64,
                "topics.fit_passages" => t.fit_passages = max,
                "topics.top_terms" => t.top_terms = max,
                "topics.representatives" => t.representatives = max,
                "trends.bootstrap_samples" => tr.bootstrap_samples = max,
                "trends.max_periods" => tr.max_periods = max,
                "trends.max_terms" => tr.max_terms = max,
                "trends.top_changes" => tr.top_changes = max,
                "trends.top_bursts" => tr.top_bursts = max,
                "trends.topic_terms" => tr.topic_terms = max,
                "trends.succession_pairs" => tr.succession_pairs = max,
                "trends.smoothing" => tr.smoothing = max,
                other => panic!("{other} is not set here"),
            }
        }
        at_bounds.topics.k = TopicCount::Fixed(1_000);
        at_bounds.threads = Some(MAX_THREADS as usize);
        at_bounds.validate().unwrap();
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
