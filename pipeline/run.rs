//! Runs the stages in order. Timing and progress wrap each stage here; they observe the run
//! and never change its results.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::config::{RunPaths, ValidConfig};
use crate::error::{Error, Result};
use crate::stages::{
    s1_ingest, s2_segment, s3_tokenize, s4_vectorize, s5_topics, s6_trends, s7_report,
};

/// Wall time and sizes of one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageTiming {
    /// Stage name.
    pub stage: &'static str,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Items the stage took in.
    pub items_in: u64,
    /// What those items are.
    pub unit_in: &'static str,
    /// Items it produced.
    pub items_out: u64,
    /// What those are.
    pub unit_out: &'static str,
}

/// What a finished run reports back to the caller.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// One entry per stage, in order.
    pub timings: Vec<StageTiming>,
    /// Wall time of the whole run, seconds.
    pub total_seconds: f64,
}

struct Stages {
    bar: ProgressBar,
    timings: Vec<StageTiming>,
}

impl Stages {
    fn time<T>(
        &mut self,
        stage: &'static str,
        (items_in, unit_in): (u64, &'static str),
        unit_out: &'static str,
        out_size: impl Fn(&T) -> u64,
        f: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        self.bar.set_message(stage);
        let start = Instant::now();
        let result = f();
        let seconds = start.elapsed().as_secs_f64();
        let value = match result {
            Ok(v) => v,
            Err(e) => {
                self.bar.abandon_with_message(format!("{stage} failed"));
                return Err(e);
            }
        };
        self.timings.push(StageTiming {
            stage,
            seconds,
            items_in,
            unit_in,
            items_out: out_size(&value),
            unit_out,
        });
        self.bar.inc(1);
        Ok(value)
    }
}

/// Runs the whole pipeline: reads `paths.corpus`, writes the report into `paths.out`.
/// `show_progress` draws a progress bar on stderr (callers hide it when stderr is no terminal).
pub fn run(config: &ValidConfig, paths: &RunPaths, show_progress: bool) -> Result<RunSummary> {
    let pool = worker_pool(config)?;
    pool.install(|| run_in_pool(config, paths, show_progress))
}

/// Runs ingest, segment and tokenize only, for commands that explain the vocabulary.
pub fn tokens_only(
    config: &ValidConfig,
    corpus: &std::path::Path,
) -> Result<(
    crate::artifacts::Corpus,
    crate::artifacts::Passages,
    crate::artifacts::Tokens,
)> {
    let pool = worker_pool(config)?;
    pool.install(|| {
        let c = s1_ingest::ingest(corpus, &config.ingest)?;
        let p = s2_segment::segment(&c, &config.segment);
        let t = s3_tokenize::tokenize(&c, &p, &config.tokenize_config());
        Ok((c, p, t))
    })
}

/// The pool of `config.threads` workers (one per core by default) a command runs in.
fn worker_pool(config: &ValidConfig) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Internal(format!("cannot start worker threads: {e}")))
}

/// Stages 1–3 and trends (stage 6) without topics, in one pool of `config.threads` workers:
/// what the `trend` command prints.
pub fn trends_only(
    config: &ValidConfig,
    corpus: &std::path::Path,
) -> Result<(crate::artifacts::Tokens, crate::artifacts::Trends)> {
    let pool = worker_pool(config)?;
    pool.install(|| {
        let c = s1_ingest::ingest(corpus, &config.ingest)?;
        let p = s2_segment::segment(&c, &config.segment);
        let t = s3_tokenize::tokenize(&c, &p, &config.tokenize_config());
        let no_topics = crate::artifacts::Topics::none(p.passages.len());
        let trends =
            crate::stages::s6_trends::trends(&c, &p, &t, &no_topics, &config.trends, config.seed)?;
        Ok((t, trends))
    })
}

fn run_in_pool(config: &ValidConfig, paths: &RunPaths, show_progress: bool) -> Result<RunSummary> {
    let started = Instant::now();
    // The output folder is checked and claimed before any work: a run that would write among
    // the corpus or over a user's file stops at once.
    s7_report::output::check_out_against_corpus(&paths.corpus, &paths.out)?;
    let output = s7_report::Output::begin(&paths.out)?;
    let bar = if show_progress {
        ProgressBar::with_draw_target(Some(7), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} stages: {msg}",
        )
        .expect("the template is valid"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let mut s = Stages {
        bar,
        timings: Vec::new(),
    };

    let corpus = s.time(
        "ingest",
        (1, "corpus"),
        "documents",
        |c: &crate::artifacts::Corpus| c.documents.len() as u64,
        || s1_ingest::ingest(&paths.corpus, &config.ingest),
    )?;
    let passages = s.time(
        "segment",
        (corpus.documents.len() as u64, "documents"),
        "passages",
        |p: &crate::artifacts::Passages| p.passages.len() as u64,
        || Ok(s2_segment::segment(&corpus, &config.segment)),
    )?;
    let tokens = s.time(
        "tokenize",
        (passages.passages.len() as u64, "passages"),
        "terms",
        |t: &crate::artifacts::Tokens| t.vocabulary.terms.len() as u64,
        || {
            Ok(s3_tokenize::tokenize(
                &corpus,
                &passages,
                &config.tokenize_config(),
            ))
        },
    )?;
    let tfidf = s.time(
        "vectorize",
        (tokens.vocabulary.terms.len() as u64, "terms"),
        "features",
        |m: &crate::artifacts::TfIdf| m.features.len() as u64,
        || s4_vectorize::vectorize(&tokens, &config.vectorize),
    )?;
    let topics = s.time(
        "topics",
        (tfidf.matrix.rows() as u64, "passages"),
        "topics",
        |t: &crate::artifacts::Topics| t.topics.len() as u64,
        || s5_topics::topics(&tfidf, &tokens, &config.topics, config.seed),
    )?;
    let trends = s.time(
        "trends",
        (tokens.vocabulary.terms.len() as u64, "terms"),
        "rows",
        |t: &crate::artifacts::Trends| t.rows.len() as u64,
        || {
            s6_trends::trends(
                &corpus,
                &passages,
                &tokens,
                &topics,
                &config.trends,
                config.seed,
            )
        },
    )?;
    let input = s7_report::ReportInput {
        config,
        corpus: &corpus,
        passages: &passages,
        tokens: &tokens,
        tfidf: &tfidf,
        topics: &topics,
        trends: &trends,
    };
    s.time(
        "report",
        (passages.passages.len() as u64, "passages"),
        "files",
        |files: &usize| *files as u64 + 1, // + run.json
        || output.write_report(&input),
    )?;
    let total_seconds = started.elapsed().as_secs_f64();
    let mut removed_by_rule = serde_json::Map::new();
    for rule in crate::stages::s2_segment::clean::Rule::ALL {
        let n = passages.removed.iter().filter(|r| r.rule == rule).count();
        removed_by_rule.insert(rule.name().to_string(), n.into());
    }
    let run_json = serde_json::json!({
        "topictide": env!("CARGO_PKG_VERSION"),
        "corpus": paths.corpus.display().to_string(),
        "config": config,
        "threads": rayon::current_num_threads(),
        "figures": {
            "documents": corpus.documents.len(),
            "documents_dropped_undated": corpus.dropped_undated,
            "documents_dropped_empty": corpus.dropped_empty,
            "columns_left_out": corpus.columns_left_out,
            "dates_read_from_text": corpus.documents.iter().filter(|d| d.date_source != crate::artifacts::DateSource::Given).count(),
            "bytes": corpus.text_bytes(),
            "passages": passages.passages.len(),
            "removed_lines": passages.removed.len(),
            "removed_lines_by_rule": removed_by_rule,
            "word_tokens": tokens.word_counts.iter().map(|&n| n as u64).sum::<u64>(),
            "markup_words_not_read": tokens.markup_words,
            "terms": tokens.vocabulary.terms.len(),
            "variants_folded": tokens.vocabulary.folded.len(),
            "synonyms_unmatched": tokens.unmatched_synonyms,
            "features": tfidf.features.len(),
            "dropped_min_df": tfidf.dropped_min_df,
            "dropped_max_df": tfidf.dropped_max_df,
            "dropped_max_features": tfidf.dropped_max_features,
            "tfidf_nonzeros": tfidf.matrix.nnz(),
            "lsa_components": topics.components,
            "lsa_explained_variance": topics.explained_variance_ratio.iter().sum::<f64>(),
            "topics": topics.topics.len(),
            "kmeans_inertia": topics.inertia,
            "kmeans_starts": config.topics.n_init(passages.passages.len() - topics.unassigned as usize),
            "passages_without_features": topics.unassigned,
            "periods": trends.periods.len(),
            "stray_date": trends.stray_date.map(|s| serde_json::json!({
                "document": corpus.documents[s.document].origin,
                "date": corpus.documents[s.document].date.to_string(),
                "years_from_every_other": s.years_apart,
            })),
        },
        "stages": s.timings,
        "total_seconds": total_seconds,
    });
    let stages: Vec<(&str, f64, String)> = s
        .timings
        .iter()
        .map(|t| {
            (
                t.stage,
                t.seconds,
                format!(
                    "{} {} → {} {}",
                    t.items_in, t.unit_in, t.items_out, t.unit_out
                ),
            )
        })
        .collect();
    let timings_svg = s7_report::stage_timings_chart(
        &paths.corpus,
        corpus.text_bytes() as u64,
        rayon::current_num_threads(),
        &stages,
    )?;
    output.commit(&run_json, &timings_svg)?;
    s.bar.finish_and_clear();
    Ok(RunSummary {
        timings: s.timings,
        total_seconds: started.elapsed().as_secs_f64(),
    })
}
