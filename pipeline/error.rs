//! Error types of the library. Every error that concerns user input names the place it
//! concerns (file, line, column) and says what to do about it.
//!
//! The binary maps the three kinds to distinct exit codes: [`Error::exit_code`].

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the user's input a problem sits: a file, and optionally a line and a column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file the problem concerns.
    pub path: PathBuf,
    /// 1-based line number in that file, when known (u32 keeps [`Error`] small).
    pub line: Option<u32>,
    /// 1-based character position in that line, when known.
    pub position: Option<u32>,
    /// Column (field) name, for tabular input.
    pub column: Option<String>,
}

impl Location {
    /// A location that names only a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
            position: None,
            column: None,
        }
    }

    /// A location that names a file and a 1-based line.
    pub fn line(path: impl Into<PathBuf>, line: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(clamp(line)),
            position: None,
            column: None,
        }
    }

    /// The same location, narrowed to a 1-based character of its line.
    pub fn at_position(mut self, position: usize) -> Self {
        self.position = Some(clamp(position));
        self
    }

    /// The same location, narrowed to a column.
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

/// A count as u32, saturating: no file here has four billion lines.
fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(position) = self.position {
                write!(f, ":{position}")?;
            }
        }
        if let Some(column) = &self.column {
            write!(f, ": column \"{column}\"")?;
        }
        Ok(())
    }
}

/// Everything that can stop a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input (corpus, manifest, config file) is wrong; the user can fix it.
    #[error("{location}: {message}\n  hint: {hint}")]
    Input {
        /// Where the problem is.
        location: Location,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// A parameter is out of range or inconsistent; found before any stage runs.
    #[error(
        "invalid configuration: {0}\n  hint: change it in the config file or the flag that sets \
         it; pipeline/config/stages.rs documents every key with its default"
    )]
    Config(#[from] ConfigError),
    /// Reading or writing a file failed.
    #[error("failed to {action} {path}: {source}\n  hint: {}", io_hint(.source))]
    Io {
        /// "read", "write", "create", ...
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A polars operation failed while reading or writing a table.
    #[error("failed to {action} {path}: {source}")]
    Table {
        /// What was being done.
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// polars' reason.
        source: polars::error::PolarsError,
    },
    /// A step would need more memory than the process may use; found before it allocates.
    #[error(
        "not enough memory to {what}: it needs about {:.1} GB, and {:.1} GB are free\n  hint: \
         count the corpus in shards (`topictide learn`, `count`, `merge`) or on Spark, or run \
         where more memory is free",
        *.needed as f64 / 1e9,
        *.available as f64 / 1e9
    )]
    Memory {
        /// What the memory was for.
        what: String,
        /// Bytes the step needs.
        needed: u64,
        /// Bytes the process may still use.
        available: u64,
    },
    /// A bug or an unexpected state inside topictide.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What to do about an error the operating system gave.
fn io_hint(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded => {
            "free space on that disk, or write the report elsewhere with --out; a run needs free \
             space about 2.5 times its text while it runs"
        }
        K::PermissionDenied | K::ReadOnlyFilesystem => {
            "check that you may write there, or write the report elsewhere with --out"
        }
        K::NotFound => "check that the path exists and that nothing removed it during the run",
        K::OutOfMemory => {
            "close other programs, or count the corpus in shards (learn / count / merge)"
        }
        _ => "check the disk and the path, then run again",
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error at `location`.
    pub fn input(location: Location, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Input {
            location,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The corpus path cannot be opened: an input error that says where to point `--corpus`.
    pub fn corpus_unreadable(path: &Path, e: &std::io::Error) -> Self {
        Error::input(
            Location::file(path),
            format!("cannot open the corpus: {e}"),
            "check the path given to --corpus (a directory with manifest.csv, or a table file)",
        )
    }

    /// An I/O error on `path`.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// A polars error while working on `path`.
    pub fn table(action: &'static str, path: &Path, source: polars::error::PolarsError) -> Self {
        Error::Table {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Process exit code: 3 for input and configuration errors (fix the input), 4 for I/O
    /// failures, 5 for internal errors. (2 is clap's code for usage errors.)
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Config(_) => 3,
            Error::Io { .. } | Error::Table { .. } | Error::Memory { .. } => 4,
            Error::Internal(_) => 5,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_error_names_file_line_and_column() {
        let e = Error::input(
            Location::line("seeds/manifest.csv", 4).with_column("date"),
            "\"2021-13-01\" is not a date",
            "write YYYY-MM-DD, YYYY-MM or YYYY",
        );
        let text = e.to_string();
        assert!(
            text.starts_with("seeds/manifest.csv:4: column \"date\": \"2021-13-01\""),
            "{text}"
        );
        assert!(text.contains("hint: write YYYY-MM-DD"), "{text}");
        assert_eq!(e.exit_code(), 3);
    }
}
