//! `learn`, `count`, `merge` and `report`: a corpus counted in shards, and the report from
//! its partial counts (see `topictide::shard`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use topictide::safety;
use topictide::shard::{self, State};
use topictide::stages::s1_ingest;
use topictide::stages::s7_report::output::check_out_against_corpus;
use topictide::{Error, Result};

use super::{text_config, PeriodArgs, TextArgs, WrittenArgs};

#[derive(Args, Debug)]
pub struct LearnArgs {
    #[command(flatten)]
    text: TextArgs,
    #[command(flatten)]
    periods: PeriodArgs,
    /// A term to follow over time; repeat for several (its rows are kept in terms_by_period).
    #[arg(long = "track", value_name = "TERM")]
    track: Vec<String>,
    /// Where to write the state (JSON): what `count` and `merge` read.
    #[arg(long, value_name = "FILE")]
    state: PathBuf,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args, Debug)]
pub struct CountArgs {
    /// The corpus the state was learnt from.
    #[arg(long)]
    corpus: PathBuf,
    /// The state `learn` wrote; its configuration is used, not the corpus' config file.
    #[arg(long, value_name = "FILE")]
    state: PathBuf,
    /// Which shard to count, `i/n`: documents i·N/n up to (i+1)·N/n of the N in the corpus,
    /// i from 0.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: (usize, usize),
    /// Where to write the shard's partial counts (Parquet).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The state the shards were counted with.
    #[arg(long, value_name = "FILE")]
    state: PathBuf,
    /// Every shard's partial counts, each once, in any order.
    #[arg(required = true, value_name = "PARTIAL")]
    partials: Vec<PathBuf>,
    /// Output directory for tables/ (terms, variants, phrases, periods, terms_by_period) and
    /// run.json.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The corpus the state was learnt from. The passes after counting (topics, trends, the
    /// report's evidence) read its documents again, in as many shards as there are partials,
    /// as an engine's workers would.
    #[arg(long)]
    corpus: PathBuf,
    /// The state the shards were counted with.
    #[arg(long, value_name = "FILE")]
    state: PathBuf,
    /// Every shard's partial counts, each once, in any order: files `count` wrote, or folders
    /// of them (their `.parquet` files).
    #[arg(long, required = true, num_args = 1.., value_name = "PARTIAL")]
    partials: Vec<PathBuf>,
    /// Output directory: what `topictide run` writes (tables, charts, report.html, run.json).
    #[arg(long)]
    out: PathBuf,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    written: WrittenArgs,
}

fn parse_shard(s: &str) -> std::result::Result<(usize, usize), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?} is not of the form i/n (0/4 is the first of four)"))?;
    let (i, n): (usize, usize) = (
        i.trim()
            .parse()
            .map_err(|_| format!("{i:?} is not a shard number"))?,
        n.trim()
            .parse()
            .map_err(|_| format!("{n:?} is not a number of shards"))?,
    );
    if n == 0 || i >= n {
        return Err(format!("shard {i} of {n}: shards are numbered 0 to n − 1"));
    }
    Ok((i, n))
}

fn read_state(path: &Path) -> Result<State> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    State::from_json(path, &bytes)
}

pub fn learn_command(args: &LearnArgs) -> Result<()> {
    let mut config = text_config(&args.text)?;
    args.periods.apply(&mut config.trends);
    if !args.track.is_empty() {
        config.trends.track = args.track.clone();
    }
    config.threads = args.threads;
    let config = config.validate()?;
    let corpus_path = &args.text.corpus;
    safety::check_file(&args.state, corpus_path, shard::is_state)?;
    let state = topictide::run::threads(args.threads)?.install(|| -> Result<State> {
        let corpus = s1_ingest::ingest(corpus_path, &config.ingest)?;
        // Token streams spill beside the state while tokenize runs, in a folder of its own.
        let name = args.state.file_name().unwrap_or_default().to_string_lossy();
        let staging = args
            .state
            .with_file_name(format!(".{name}.staging-{}", std::process::id()));
        std::fs::create_dir(&staging).map_err(|e| Error::io("create", &staging, e))?;
        let state = shard::learn(&config, &corpus, Some(&staging));
        let _ = std::fs::remove_dir_all(&staging);
        state
    })?;
    safety::write_file(&args.state, corpus_path, &state.to_json(), shard::is_state)?;
    println!(
        "learnt from {} documents: {}",
        state.documents(),
        args.state.display()
    );
    Ok(())
}

pub fn count_command(args: &CountArgs) -> Result<()> {
    let state = read_state(&args.state)?;
    let (i, n) = args.shard;
    safety::check_file(&args.out, &args.corpus, shard::is_partial)?;
    let partial =
        topictide::run::threads(args.threads)?.install(|| -> Result<shard::Partial> {
            let mut corpus = learnt_corpus(&args.corpus, &state)?;
            shard::select(&mut corpus, i, n);
            shard::count(&state, &corpus)
        })?;
    let bytes = shard::to_parquet(&partial)?;
    safety::write_file(&args.out, &args.corpus, &bytes, shard::is_partial)?;
    println!(
        "shard {i}/{n}: {} documents counted: {}",
        partial.documents(),
        args.out.display()
    );
    Ok(())
}

pub fn merge_command(args: &MergeArgs) -> Result<()> {
    let started = Instant::now();
    let state = read_state(&args.state)?;
    let merged = merged(&args.partials)?;
    let about = serde_json::json!({
        "command": "merge",
        "state": args.state,
        "partials": args.partials,
    });
    shard::write_tables(&state, &merged, &args.out, about, started)?;
    println!(
        "merged {} partials ({} documents) into {}",
        args.partials.len(),
        merged.documents(),
        args.out.join("tables").display()
    );
    Ok(())
}

pub fn report_command(args: &ReportArgs) -> Result<()> {
    check_out_against_corpus(&args.corpus, &args.out)?;
    let state = read_state(&args.state)?;
    let partials = partial_files(&args.partials)?;
    let merged = merged(&partials)?;
    topictide::run::threads(args.threads)?.install(|| -> Result<()> {
        let corpus = learnt_corpus(&args.corpus, &state)?;
        let engine = shard::engine::Local::read(&state, corpus, partials.len())?;
        let (corpus, out) = (&args.corpus, &args.out);
        let asked = args.written.asked();
        shard::whole::report(&state, &merged, &engine, corpus, out, &asked)
    })?;
    println!(
        "report from {} partials ({} documents): {}",
        partials.len(),
        merged.documents(),
        args.out.join("report.html").display()
    );
    Ok(())
}

/// The corpus at `path`, read as the state's configuration reads it; refused unless it has the
/// documents the state was learnt from.
fn learnt_corpus(path: &Path, state: &State) -> Result<topictide::artifacts::Corpus> {
    let corpus = s1_ingest::ingest(path, &state.config()?.ingest)?;
    if corpus.documents.len() as u64 != state.documents() {
        return Err(Error::input(
            topictide::error::Location::file(path),
            format!(
                "the corpus has {} documents; the one the state was learnt from has {}",
                corpus.documents.len(),
                state.documents()
            ),
            "give the corpus the state was learnt from",
        ));
    }
    Ok(corpus)
}

/// The sum of the partial counts in `paths`.
fn merged(paths: &[PathBuf]) -> Result<shard::Partial> {
    let mut merged: Option<shard::Partial> = None;
    for path in paths {
        let p = shard::read_partial(path)?;
        merged = Some(match merged {
            None => p,
            Some(m) => m.merge(p)?,
        });
    }
    merged.ok_or_else(|| {
        Error::input(
            topictide::error::Location::file("partials"),
            "no partial counts given",
            "give the Parquet files `topictide count` wrote",
        )
    })
}

/// The partials' files: each path given that is a file, and the `.parquet` files of each
/// folder given, by name.
fn partial_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir(path).map_err(|e| Error::io("read", path, e))? {
            let entry = entry.map_err(|e| Error::io("read", path, e))?;
            let file = entry.path();
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if is_file && file.extension().is_some_and(|x| x == "parquet") {
                found.push(file);
            }
        }
        if found.is_empty() {
            return Err(Error::input(
                topictide::error::Location::file(path),
                "the folder holds no partial counts (.parquet files)",
                "give the folder `topictide count --out` wrote into, or the files",
            ));
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}
