//! Command-line flags, and turning them into a validated [`Config`]. Exit codes: 0 success,
//! 2 usage (clap), 3 bad input or configuration, 4 I/O failure, 5 internal error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

mod shards;
use topictide::artifacts::PeriodUnit;
use topictide::run::{run, Progress, RunSummary};
use topictide::{Config, Error, RunPaths, ValidConfig};

/// Topic modeling and term-trend analytics over dated documents.
#[derive(Parser, Debug)]
#[command(name = "topictide", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the whole pipeline on a corpus and write the report (the default command).
    Run(RunArgs),
    /// Print the vocabulary: each term's surface form, kind, counts, and the spellings folded
    /// into it, most frequent first — to check what the tokenizer did.
    Terms(TermsArgs),
    /// Print the series of some terms over time (any spelling or surface form), with 95%
    /// bootstrap intervals and document shares, without writing a report.
    Trend(TrendArgs),
    /// Counting in shards, step 1: read the whole corpus once and keep what crosses documents
    /// (furniture, folds, phrases, term ids, periods) in a state file.
    Learn(shards::LearnArgs),
    /// Counting in shards, step 2 (the map): count one shard of the corpus with the state,
    /// into a Parquet file of partial counts.
    Count(shards::CountArgs),
    /// Counting in shards, step 3: sum every shard's partial counts and write the counting
    /// tables a run writes (terms, variants, phrases, periods, terms_by_period).
    Merge(shards::MergeArgs),
    /// Sharded run, step 4: the whole report (topics, trends, charts, the page) from every
    /// shard's partial counts, with the corpus read again in shards for the passes after
    /// counting. It writes what `topictide run` writes.
    Report(shards::ReportArgs),
}

#[derive(Args, Debug)]
struct TrendArgs {
    /// The terms to follow.
    #[arg(required = true, value_name = "TERM")]
    terms: Vec<String>,
    #[command(flatten)]
    text: TextArgs,
    /// Seed of the bootstrap intervals.
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    periods: PeriodArgs,
}

#[derive(Args, Debug)]
struct TermsArgs {
    #[command(flatten)]
    text: TextArgs,
    /// Print at most this many terms (0: all).
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Only phrases (multiword terms), best score first.
    #[arg(long)]
    phrases: bool,
}

/// Which corpus, and how its text is read into words: the same flags for `run`, `terms` and
/// `trend`, so that each reads the text as the others do.
#[derive(Args, Debug)]
struct TextArgs {
    /// The corpus: a directory with manifest.csv, or a .jsonl/.ndjson/.csv/.parquet table
    /// (optionally .gz).
    #[arg(long, default_value = "seeds")]
    corpus: PathBuf,
    /// TOML config file. Without it, a `topictide.toml` inside a corpus directory is used.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Keep page furniture (navigation, share prompts, copyright lines, link lists, repeated
    /// lines) in the text instead of removing it.
    #[arg(long)]
    keep_boilerplate: bool,
    /// What a passage is: a paragraph (default) or a whole document.
    #[arg(long, value_enum)]
    unit: Option<topictide::config::Unit>,
    /// Language of the texts (segmentation, stemmer and stop words), or `auto`: detect each
    /// document's language and read the corpus in it, refusing a corpus in several. Default
    /// english.
    #[arg(long, value_name = "LANGUAGE", value_parser = language_arg())]
    language: Option<LanguageArg>,
    /// Synonym file: `term = variant, variant` a line; the variants count as the term.
    #[arg(long, value_name = "FILE")]
    synonyms: Option<PathBuf>,
    /// Stop list file, one word a line, used instead of the language's list.
    #[arg(long, value_name = "FILE")]
    stop_words: Option<PathBuf>,
    /// Chinese: terms of art to keep whole ("数据安全法"), one a line.
    #[arg(long, value_name = "FILE")]
    user_dictionary: Option<PathBuf>,
    /// Keep words as they are (lower-cased) instead of reducing them to Snowball stems.
    #[arg(long)]
    no_stemming: bool,
    /// Documents without a usable date: stop with a list (error, the default) or leave them out
    /// (drop).
    #[arg(long, value_enum)]
    undated: Option<topictide::config::Undated>,
    /// Documents whose text is empty: stop at the first with its file and line (error, the
    /// default) or leave them out (drop), counted in run.json and named in the report.
    #[arg(long, value_enum)]
    empty: Option<topictide::config::Empty>,
}

impl Default for TextArgs {
    fn default() -> TextArgs {
        TextArgs {
            corpus: "seeds".into(),
            config: None,
            keep_boilerplate: false,
            unit: None,
            language: None,
            synonyms: None,
            stop_words: None,
            user_dictionary: None,
            no_stemming: false,
            undated: None,
            empty: None,
        }
    }
}

/// What the report writes besides the page, the charts and the tables it always writes: the
/// same flags for `run` and `report`.
#[derive(Args, Debug, Default)]
struct WrittenArgs {
    /// Write the CSV copy of every table, also those past 25 MB (by default the terms, phrases
    /// and passages of a large corpus are written as Parquet alone; the page says which).
    #[arg(long)]
    large_csv: bool,
    /// Write each passage's text into the passages table (by default it holds each passage's
    /// document and byte range in the document's text; the evidence table quotes the passages
    /// behind what the report shows).
    #[arg(long)]
    passage_text: bool,
}

impl WrittenArgs {
    fn asked(&self) -> topictide::config::ReportConfig {
        topictide::config::ReportConfig {
            large_csv: self.large_csv,
            passage_text: self.passage_text,
        }
    }
}

/// How time is cut into periods: the same flags for `run` and `trend`.
#[derive(Args, Debug, Default)]
struct PeriodArgs {
    /// Period length for trends.
    #[arg(long, value_enum)]
    period: Option<PeriodUnit>,
    /// Custom period breakpoints instead of calendar periods: `2016,2018,2020` starts a period
    /// at each (years, YYYY-MM or YYYY-MM-DD); documents before the first form their own.
    #[arg(long, value_delimiter = ',', value_name = "DATE,DATE")]
    periods: Vec<String>,
    /// Smooth tracked terms' series by a centred moving average over this many periods either
    /// side (as the Ngram Viewer does); 0 shows raw values.
    #[arg(long)]
    smoothing: Option<usize>,
    /// The column naming each document's voice (source, a passed-through column such as label
    /// or country): composition per period, and each change split into change within voices
    /// and change of the mix.
    #[arg(long, value_name = "COLUMN")]
    stratify: Option<String>,
}

impl PeriodArgs {
    fn apply(&self, trends: &mut topictide::config::TrendsConfig) {
        if let Some(p) = self.period {
            trends.period = p;
        }
        if !self.periods.is_empty() {
            trends.periods = self.periods.clone();
        }
        if let Some(s) = self.smoothing {
            trends.smoothing = s;
        }
        if let Some(c) = &self.stratify {
            trends.stratify = Some(c.clone());
        }
    }
}

#[derive(Args, Debug)]
struct RunArgs {
    #[command(flatten)]
    text: TextArgs,
    /// Output directory for report.html, charts/, tables/ and run.json.
    #[arg(long, default_value = "outputs")]
    out: PathBuf,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Seed for every random choice.
    #[arg(long)]
    seed: Option<u64>,
    /// Number of topics, or `auto` (scored by stability and coherence over topics.k_min to
    /// topics.k_max).
    #[arg(long)]
    k: Option<topictide::config::TopicCount>,
    #[command(flatten)]
    periods: PeriodArgs,
    /// A term to follow over time; repeat for several. Any spelling resolves to its term.
    #[arg(long = "track", value_name = "TERM")]
    track: Vec<String>,
    #[command(flatten)]
    written: WrittenArgs,
    /// Nothing on stderr while it runs (no progress bar, and no stage lines when stderr is a
    /// file or a pipe).
    #[arg(long, short)]
    quiet: bool,
}

/// Parses the command line, runs, prints, and returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Run(a)) => a,
        Some(Command::Terms(a)) => return exit_code(terms_command(&a)),
        Some(Command::Trend(a)) => return exit_code(trend_command(&a)),
        Some(Command::Learn(a)) => return exit_code(shards::learn_command(&a)),
        Some(Command::Count(a)) => return exit_code(shards::count_command(&a)),
        Some(Command::Merge(a)) => return exit_code(shards::merge_command(&a)),
        Some(Command::Report(a)) => return exit_code(shards::report_command(&a)),
        None => RunArgs::parse_default(),
    };
    exit_code(run_command(&args).map(|summary| print_timings(&summary, &args.out)))
}

/// 0 for success; for an error, prints it and returns its exit code.
fn exit_code(result: Result<(), Error>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

impl RunArgs {
    /// `topictide` alone: `run` with every default.
    fn parse_default() -> RunArgs {
        RunArgs {
            text: TextArgs::default(),
            out: "outputs".into(),
            threads: None,
            seed: None,
            k: None,
            periods: PeriodArgs::default(),
            track: Vec::new(),
            written: WrittenArgs::default(),
            quiet: false,
        }
    }
}

/// The config file (given, or the corpus directory's), with the text flags applied; not yet
/// validated.
/// `--language`: a language, or `auto`.
#[derive(Debug, Clone, Copy)]
enum LanguageArg {
    Auto,
    Is(topictide::artifacts::Language),
}

fn language_arg() -> impl clap::builder::TypedValueParser<Value = LanguageArg> {
    use topictide::artifacts::Language;
    let names = std::iter::once("auto".to_string()).chain(Language::ALL.iter().map(|l| l.name()));
    clap::builder::TypedValueParser::map(clap::builder::PossibleValuesParser::new(names), |name| {
        Language::ALL
            .iter()
            .find(|l| l.name() == name)
            .map_or(LanguageArg::Auto, |&l| LanguageArg::Is(l))
    })
}

fn text_config(args: &TextArgs) -> Result<Config, Error> {
    let mut config = Config::for_corpus(&args.corpus, args.config.as_deref())?;
    if args.keep_boilerplate {
        config.segment.keep_boilerplate = true;
    }
    if let Some(u) = args.unit {
        config.segment.unit = u;
    }
    if let Some(path) = &args.synonyms {
        config.tokenize.synonyms = topictide::config::read_synonyms(path)?;
    }
    match args.language {
        Some(LanguageArg::Is(l)) => config.tokenize.language = l,
        Some(LanguageArg::Auto) => {
            let read = topictide::stages::s1_ingest::ingest(&args.corpus, &config.ingest)?;
            let (language, detected) = topictide::run::detect_language(&read)?;
            eprintln!(
                "language: {} (detected in {detected} of {} documents)",
                language.name(),
                read.documents.len()
            );
            config.tokenize.language = language;
        }
        None => {}
    }
    if let Some(path) = &args.stop_words {
        config.tokenize.stop_words = Some(topictide::config::read_stop_words(path)?);
    }
    if let Some(path) = &args.user_dictionary {
        config.tokenize.add_user_dictionary(path)?;
    }
    if args.no_stemming {
        config.tokenize.stem = false;
    }
    if let Some(u) = args.undated {
        config.ingest.undated = u;
    }
    if let Some(e) = args.empty {
        config.ingest.empty = e;
    }
    Ok(config)
}

fn resolve_config(args: &RunArgs) -> Result<ValidConfig, Error> {
    let mut config = text_config(&args.text)?;
    if let Some(t) = args.threads {
        config.threads = Some(t);
    }
    if let Some(s) = args.seed {
        config.seed = s;
    }
    if let Some(k) = args.k {
        config.topics.k = k;
    }
    args.periods.apply(&mut config.trends);
    if !args.track.is_empty() {
        config.trends.track = args.track.clone();
    }
    Ok(config.validate()?.with_report(&args.written.asked()))
}

fn run_command(args: &RunArgs) -> Result<RunSummary, Error> {
    let config = resolve_config(args)?;
    if let Some(t) = config.threads {
        // polars reads its pool size from the environment when it first starts.
        std::env::set_var("POLARS_MAX_THREADS", t.to_string());
    }
    let progress = if args.quiet {
        Progress::Quiet
    } else if std::io::stderr().is_terminal() {
        Progress::Bar
    } else {
        Progress::Lines
    };
    run(
        &config,
        &RunPaths {
            corpus: args.text.corpus.clone(),
            out: args.out.clone(),
        },
        progress,
    )
}

fn terms_command(args: &TermsArgs) -> Result<(), Error> {
    let config = text_config(&args.text)?.validate()?;
    let (corpus, passages, tokens) = topictide::run::tokens_only(&config, &args.text.corpus)?;
    let v = &tokens.vocabulary;
    let mut variants: Vec<Vec<&str>> = vec![Vec::new(); v.terms.len()];
    for (spelling, t) in &v.folded {
        variants[*t as usize].push(spelling);
    }
    let is_phrase = |i: usize| v.terms[i].kind.is_phrase();
    let mut order: Vec<usize> = (0..v.terms.len())
        .filter(|&i| !args.phrases || is_phrase(i))
        .collect();
    if args.phrases {
        let score = |i: usize| v.terms[i].score.unwrap_or(f64::NAN);
        order.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
    } else {
        order.sort_by_key(|&i| (std::cmp::Reverse(v.terms[i].count), i));
    }
    if args.limit > 0 {
        order.truncate(args.limit);
    }
    println!(
        "{} documents, {} passages, {} lines removed as furniture, {} terms ({} phrases, {} spellings folded)",
        corpus.documents.len(),
        passages.passages.len(),
        passages.removed.len(),
        v.terms.len(),
        (0..v.terms.len()).filter(|&i| is_phrase(i)).count(),
        v.folded.len()
    );
    println!(
        "{:<40} {:<7} {:>9} {:>9} {:>9} {:>7}  folded spellings",
        "term", "kind", "count", "docs", "passages", "score"
    );
    for i in order {
        let t = &v.terms[i];
        let kind = t.kind.name();
        let score = t.score.map(|s| format!("{s:.3}")).unwrap_or_default();
        println!(
            "{:<40} {:<7} {:>9} {:>9} {:>9} {:>7}  {}",
            t.surface,
            kind,
            t.count,
            t.documents,
            t.passages,
            score,
            variants[i].join(", ")
        );
    }
    Ok(())
}

fn trend_command(args: &TrendArgs) -> Result<(), Error> {
    let mut config = text_config(&args.text)?;
    if let Some(s) = args.seed {
        config.seed = s;
    }
    args.periods.apply(&mut config.trends);
    config.trends.track = args.terms.clone();
    let config = config.validate()?;
    let (tokens, trends) = topictide::run::trends_only(&config, &args.text.corpus)?;
    let v = &tokens.vocabulary;
    for t in &trends.tracked {
        let Some(id) = t.term else {
            println!(
                "{}: not in the corpus (no spelling of it occurs)\n",
                t.query
            );
            continue;
        };
        let term = &v.terms[id as usize];
        println!(
            "{} (\"{}\", {}): {} occurrences in {} documents",
            term.surface,
            t.query,
            term.kind.name(),
            term.count,
            term.documents
        );
        println!(
            "{:<10} {:>6} {:>8} {:>10} {:>21} {:>8} {:>17}{}",
            "period",
            "docs",
            "count",
            "per 1k",
            "95% interval",
            "share",
            "95% interval",
            if config.trends.smoothing > 0 {
                format!(" {:>10}", format!("±{} mean", config.trends.smoothing))
            } else {
                String::new()
            }
        );
        for p in &t.series {
            let stats = &trends.periods[p.period];
            let mark = if stats.thin { "*" } else { "" };
            if stats.documents == 0 {
                println!("{:<10} {:>6}  (no documents)", stats.period.to_string(), 0);
                continue;
            }
            let smoothed = if config.trends.smoothing > 0 {
                format!(" {:>10.3}", p.per_1k_smoothed)
            } else {
                String::new()
            };
            println!(
                "{:<10} {:>6} {:>8} {:>10.3} {:>21} {:>8.3} {:>17}{smoothed}",
                format!("{}{mark}", stats.period),
                stats.documents,
                p.count,
                p.per_1k_tokens,
                format!("{:.3}–{:.3}", p.per_1k_low, p.per_1k_high),
                p.document_share,
                format!("{:.3}–{:.3}", p.share_low, p.share_high)
            );
        }
        println!();
    }
    println!(
        "* fewer than {} documents in the period. Intervals: {} bootstrap draws of the period's \
         documents (seed {}); a period of one document gets an interval of no width, which \
         says nothing about uncertainty.",
        config.trends.thin_documents, config.trends.bootstrap_samples, config.seed
    );
    Ok(())
}

fn print_timings(summary: &RunSummary, out: &Path) {
    println!(
        "{:<10} {:>9}  {:>22}  {:>22}",
        "stage", "wall (s)", "in", "out"
    );
    for t in &summary.timings {
        println!(
            "{:<10} {:>9.3}  {:>22}  {:>22}",
            t.stage,
            t.seconds,
            format!("{} {}", t.items_in, t.unit_in),
            format!("{} {}", t.items_out, t.unit_out)
        );
    }
    println!("{:<10} {:>9.3}", "total", summary.total_seconds);
    println!("report: {}", out.join("report.html").display());
}
