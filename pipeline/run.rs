//! Runs the stages in order. Timing and progress wrap each stage here; they observe the run
//! and never change its results.

use std::time::Instant;

use crate::config::{RunPaths, ValidConfig};
use crate::error::{Error, Result};
use crate::stages::s7_report::output::StageTiming;
use crate::stages::{
    s1_ingest, s2_segment, s3_tokenize, s4_vectorize, s5_topics, s6_trends, s7_report,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What a finished run reports back to the caller.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// One entry per stage, in order.
    pub timings: Vec<StageTiming>,
    /// Wall time of the whole run, seconds.
    pub total_seconds: f64,
}

/// How a run shows where it is, on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar, redrawn in place: for a terminal.
    Bar,
    /// One line as each stage starts and ends, with elapsed time, items and throughput: for a
    /// log (a scheduler, CI, `nohup`), where a bar would be lost or garble the file.
    Lines,
    /// Nothing.
    Quiet,
}

struct Stages {
    bar: ProgressBar,
    lines: bool,
    started: Instant,
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
        if self.lines {
            eprintln!(
                "[{:>8.1} s] {stage}: started on {items_in} {unit_in}",
                self.started.elapsed().as_secs_f64()
            );
        }
        let start = Instant::now();
        let result = f();
        let seconds = start.elapsed().as_secs_f64();
        let value = match result {
            Ok(v) => v,
            Err(e) => {
                self.bar.abandon_with_message(format!("{stage} failed"));
                if self.lines {
                    eprintln!(
                        "[{:>8.1} s] {stage}: failed after {seconds:.2} s",
                        self.started.elapsed().as_secs_f64()
                    );
                }
                return Err(e);
            }
        };
        let timing = StageTiming {
            stage,
            seconds,
            items_in,
            unit_in,
            items_out: out_size(&value),
            unit_out,
        };
        if self.lines {
            eprintln!(
                "[{:>8.1} s] {}",
                self.started.elapsed().as_secs_f64(),
                finished_line(&timing)
            );
        }
        self.timings.push(timing);
        self.bar.inc(1);
        Ok(value)
    }
}

/// A stage's end in one line: its time, what it took in and gave, and its throughput (of
/// what it took in; of what it gave for ingest, which takes one corpus).
fn finished_line(t: &StageTiming) -> String {
    let (n, unit) = if t.unit_in == "corpus" {
        (t.items_out, t.unit_out)
    } else {
        (t.items_in, t.unit_in)
    };
    let rate = n as f64 / t.seconds.max(1e-9);
    format!(
        "{}: done in {:.2} s, {} {} → {} {} ({rate:.0} {unit}/s)",
        t.stage, t.seconds, t.items_in, t.unit_in, t.items_out, t.unit_out
    )
}

/// Runs the whole pipeline: reads `paths.corpus`, writes the report into `paths.out`, showing
/// where it is on stderr as `progress` says.
pub fn run(config: &ValidConfig, paths: &RunPaths, progress: Progress) -> Result<RunSummary> {
    let pool = worker_pool(config)?;
    pool.install(|| {
        // The output folder is checked before any work: a run that would write among the
        // corpus stops at once.
        s7_report::output::check_out_against_corpus(&paths.corpus, &paths.out)?;
        run_in_pool(config, paths, progress, |texts| {
            s1_ingest::ingest_writing_texts(&paths.corpus, &config.ingest, texts)
        })
    })
}

/// Runs the whole pipeline on a table handed over in memory (from Python: an Arrow stream),
/// read as a table file is read; `paths.corpus` names it in messages and in the report.
pub fn run_frame(
    config: &ValidConfig,
    table: &polars::prelude::DataFrame,
    paths: &RunPaths,
    progress: Progress,
) -> Result<RunSummary> {
    let pool = worker_pool(config)?;
    pool.install(|| {
        run_in_pool(config, paths, progress, |_| {
            s1_ingest::ingest_frame(table, &paths.corpus, &config.ingest)
        })
    })
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
    threads(config.threads)
}

/// A pool of `threads` workers, one per core when `None`.
pub fn threads(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
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

/// The file in the staging folder that holds the corpus's texts during a run.
const TEXTS_FILE: &str = "texts";

fn run_in_pool(
    config: &ValidConfig,
    paths: &RunPaths,
    progress: Progress,
    read: impl FnOnce(&std::path::Path) -> Result<crate::artifacts::Corpus>,
) -> Result<RunSummary> {
    let started = Instant::now();
    // The output folder is claimed before any work: a run that would write over a user's file
    // stops at once.
    let output = s7_report::Output::begin(&paths.out)?;
    if progress != Progress::Quiet {
        for cleaned in output.cleaned() {
            eprintln!("cleaned up after an earlier run: {cleaned}");
        }
    }
    let bar = if progress == Progress::Bar {
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
        lines: progress == Progress::Lines,
        started,
        timings: Vec::new(),
    };

    let corpus = s.time(
        "ingest",
        (1, "corpus"),
        "documents",
        |c: &crate::artifacts::Corpus| c.documents.len() as u64,
        || {
            // The texts go to a file of the run's own (removed with its staging folder),
            // mapped: the heap then holds ids and counts, not the text. A table file's are
            // written there as they are read.
            let texts = output.staging().join(TEXTS_FILE);
            let mut corpus = read(&texts)?;
            corpus
                .map_texts(&texts)
                .map_err(|e| Error::io("write", &texts, e))?;
            Ok(corpus)
        },
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
            // Token streams spill to the staging folder between passes (removed with it).
            let folder = output.staging();
            s3_tokenize::tokenize_in(&corpus, &passages, &config.tokenize_config(), Some(folder))
                .map_err(|e| Error::io("write", folder, e))
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
        (tfidf.passages as u64, "passages"),
        "topics",
        |t: &crate::artifacts::Topics| t.topics.len() as u64,
        || {
            let keys = passages.sample_keys(&corpus);
            s5_topics::topics(&tfidf, &tokens, &keys, &config.topics, config.seed)
        },
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
    let quotes =
        s7_report::evidence::quotes::whole((&corpus, &passages, &tokens), &topics, &trends);
    let figures = s7_report::input::Figures::of(&corpus, &passages, &tokens);
    let facts = s7_report::input::Facts::of(&corpus, &tokens);
    let whole = s7_report::input::Shard::whole(&corpus, &passages, &tokens, &trends.doc_period);
    let input = s7_report::ReportInput {
        config,
        vocabulary: &tokens.vocabulary,
        tfidf: &tfidf,
        topics: &topics,
        trends: &trends,
        quotes: &quotes,
        figures: &figures,
        facts: &facts,
    };
    s.time(
        "report",
        (passages.passages.len() as u64, "passages"),
        "files",
        |files: &usize| *files as u64 + 1, // + run.json
        || output.write_report(&input, &s7_report::tables::Shards(&[whole])),
    )?;
    let total_seconds = started.elapsed().as_secs_f64();
    let run_json = s7_report::output::run_json(&input, &paths.corpus, &s.timings, total_seconds);
    let timings_svg = s7_report::charts::stage_timings::chart(
        &paths.corpus,
        corpus.text_bytes() as u64,
        rayon::current_num_threads(),
        &s.timings,
    )?;
    output.commit(&run_json, &timings_svg)?;
    s.bar.finish_and_clear();
    Ok(RunSummary {
        timings: s.timings,
        total_seconds: started.elapsed().as_secs_f64(),
    })
}

/// `language = "auto"`: the corpus' one language and the number of documents it was detected in,
/// or an error that lists the languages found with examples of each.
pub fn detect_language(
    corpus: &crate::artifacts::Corpus,
) -> Result<(crate::artifacts::Language, usize)> {
    let found = crate::text::detect_languages(corpus);
    if let Some(language) = found.single() {
        return Ok((language, found.languages[0].documents));
    }
    let list: Vec<String> = found
        .languages
        .iter()
        .map(|l| {
            format!(
                "{} {} ({}{})",
                l.name,
                l.documents,
                l.examples.join(", "),
                if l.language.is_none() {
                    "; not a language topictide reads"
                } else {
                    ""
                }
            )
        })
        .collect();
    let message = if list.is_empty() {
        format!(
            "no document's language could be told ({} documents)",
            found.unknown
        )
    } else {
        format!(
            "the documents are in {} languages: {}{}",
            list.len(),
            list.join("; "),
            if found.unknown > 0 {
                format!("; {} not told", found.unknown)
            } else {
                String::new()
            }
        )
    };
    Err(Error::input(
        crate::error::Location::file(&corpus.path),
        message,
        "split the corpus by language and run each part, or name the language with --language \
         (documents in other languages are then read as that one)",
    ))
}
