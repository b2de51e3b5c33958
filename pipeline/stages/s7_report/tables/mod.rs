//! The tables of a run, built as polars DataFrames and written as CSV and Parquet: the corpus
//! as read ([`corpus`]), its vocabulary ([`terms`]), topics ([`topics`]) and trends
//! ([`trends`]).

use std::path::Path;

use polars::prelude::*;

mod corpus;
mod terms;
mod topics;
mod trends;

pub use corpus::period_stats;
pub use terms::{period_rows, vocabulary_phrases, vocabulary_terms, vocabulary_variants};

use super::evidence::{Evidence, Item};
use super::input::{ReportInput, Shard, Written};
use crate::error::{Error, Result};

fn frame(columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns)
        .map_err(|e| Error::Internal(format!("building a table: {e}")))
}

/// Writes `df` as `dir/name.csv` and `dir/name.parquet`.
pub fn write(dir: &Path, name: &str, df: &mut DataFrame) -> Result<()> {
    write_capped(dir, name, df, None).map(|_| ())
}

/// Writes `df` as `dir/name.parquet`, and as `dir/name.csv` unless that passes `csv_limit`
/// bytes: the CSV is then removed, and the answer is [`Csv::LeftOut`].
fn write_capped(dir: &Path, name: &str, df: &mut DataFrame, csv_limit: Option<u64>) -> Result<Csv> {
    let csv = dir.join(format!("{name}.csv"));
    let mut f = Recording::create(&csv)?.capped(csv_limit);
    let failed = f.failed(&csv);
    let done = CsvWriter::new(&mut f)
        .finish(df)
        .and_then(|()| std::io::Write::flush(&mut f).map_err(PolarsError::from));
    let written = match done {
        Ok(()) => Csv::Written,
        Err(_) if f.over => f.remove(&csv)?,
        Err(e) => return Err(failed(e)),
    };
    let pq = dir.join(format!("{name}.parquet"));
    parquet_to(Recording::create(&pq)?, &pq, df)?;
    Ok(written)
}

/// Whether a table's CSV copy was written, or left out for its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Csv {
    /// Written beside the Parquet file.
    Written,
    /// Past the limit: the Parquet file alone holds the table.
    LeftOut,
}

fn parquet_to(f: Recording, path: &Path, df: &mut DataFrame) -> Result<()> {
    let failed = f.failed(path);
    parquet_writer(f, df.width()).finish(df).map_err(failed)?;
    Ok(())
}

/// Tables wider than this are compressed with LZ4 rather than zstd.
const WIDE: usize = 1000;

/// The zstd level of the Parquet files: 1, Arrow C++'s default, not zstd's 3, which polars
/// uses. Compressing was 44% of the report stage on 5 M short posts; at level 1 that stage
/// took 2.0 s for 1 M posts where it took 2.4 s, and the Parquet files grew 7.5%.
const ZSTD_LEVEL: i32 = 1;

/// A Parquet writer for a table of `width` columns, with zstd at [`ZSTD_LEVEL`]. Each column
/// chunk is compressed on its own, and zstd sets up a fresh context for each (about 40 µs
/// here): for a documents table that passes 100,000 input columns through, that was half of
/// the report stage's 7 s. LZ4 costs nothing to set up, so a table wider than [`WIDE`] columns
/// uses it.
fn parquet_writer<W: std::io::Write>(f: W, width: usize) -> ParquetWriter<W> {
    let writer = ParquetWriter::new(f);
    if width > WIDE {
        writer.with_compression(ParquetCompression::Lz4Raw)
    } else {
        let level =
            polars_parquet::write::ZstdLevel::try_new(ZSTD_LEVEL).expect("a level zstd has");
        writer.with_compression(ParquetCompression::Zstd(Some(level)))
    }
}

/// The first error the OS gave a [`Recording`] file.
type OsError = std::sync::Arc<std::sync::Mutex<Option<std::io::Error>>>;

/// What a failed write of `path` means: the OS's error when it gave one, else polars'.
fn failed<'p>(os: &OsError, path: &'p Path) -> impl Fn(PolarsError) -> Error + 'p {
    let os = os.clone();
    move |e| match os.lock().ok().and_then(|mut o| o.take()) {
        Some(os) => Error::io("write", path, os),
        None => Error::table("write", path, e),
    }
}

/// A buffered file that keeps the first error the operating system gave a write, so that a failed
/// table write says what the OS said ("No space left on device"): polars' Parquet writer
/// reports it in its own words ("Invalid thrift: transport error").
struct Recording {
    file: std::io::BufWriter<std::fs::File>,
    error: OsError,
    /// Bytes the file may take, when capped; a write past them fails and sets `over`.
    limit: Option<u64>,
    /// Bytes given so far.
    written: u64,
    /// Whether a write would have passed `limit`.
    over: bool,
}

impl Recording {
    fn create(path: &Path) -> Result<Recording> {
        let file = std::fs::File::create(path).map_err(|e| Error::io("create", path, e))?;
        Ok(Recording::of(file))
    }

    fn of(file: std::fs::File) -> Recording {
        Recording {
            file: std::io::BufWriter::with_capacity(1 << 16, file),
            error: Default::default(),
            limit: None,
            written: 0,
            over: false,
        }
    }

    /// This file, taking at most `limit` bytes when given.
    fn capped(self, limit: Option<u64>) -> Recording {
        Recording { limit, ..self }
    }

    /// Closes and removes this file (at `path`), which passed its limit: the table it was to
    /// hold is [`Csv::LeftOut`].
    fn remove(self, path: &Path) -> Result<Csv> {
        drop(self.file.into_parts());
        std::fs::remove_file(path).map_err(|e| Error::io("remove", path, e))?;
        Ok(Csv::LeftOut)
    }

    /// What a failed write of `path` through this file means: the OS's error when it gave one,
    /// else polars'.
    fn failed<'p>(&self, path: &'p Path) -> impl Fn(PolarsError) -> Error + 'p {
        failed(&self.error, path)
    }

    fn keep<T>(&self, r: std::io::Result<T>) -> std::io::Result<T> {
        r.inspect_err(|e| {
            if let Ok(mut first) = self.error.lock() {
                first.get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
            }
        })
    }
}

impl std::io::Write for Recording {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(limit) = self.limit {
            if self.written + buf.len() as u64 > limit {
                self.over = true;
                return Err(std::io::Error::other("past the size limit of a CSV copy"));
            }
        }
        let r = self.file.write(buf);
        if let Ok(n) = r {
            self.written += n as u64;
        }
        self.keep(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.file.flush();
        self.keep(r)
    }
}

/// Passages a batch of the `passages` table holds: a table of more is written in batches (its
/// Parquet file then has a row group a batch), so that the passages' text is never in memory
/// twice whole. UNGD (118,045 passages) is one batch.
const PASSAGE_BATCH: usize = 200_000;

/// A table written as its rows come, piece by piece in order, as `dir/name.csv` and
/// `dir/name.parquet`: pieces that add up to at most `batch` rows are written as [`write`]
/// writes them all at once; more are written `batch` rows at a time (the CSV with one header,
/// the Parquet file a row group each), however the pieces fall. So a table whose rows come
/// from shards is the bytes of the table built whole.
struct Batched<'a> {
    dir: &'a Path,
    name: &'a str,
    batch: usize,
    /// Whether the table is known to have more than `batch` rows: its batches are then
    /// written as soon as they are whole.
    more: bool,
    /// Rows given and not yet written.
    pending: Option<DataFrame>,
    /// Once a batch is written: the CSV and Parquet writers.
    open: Option<Open>,
    /// Bytes the CSV copy may take, when capped.
    csv_limit: Option<u64>,
}

/// The files of a [`Batched`] table being written.
struct Open {
    /// None once the CSV copy passed its limit and was removed.
    csv: Option<Recording>,
    parquet: polars::io::parquet::write::BatchedWriter<Recording>,
    /// The OS's first error on each file.
    errors: (OsError, OsError),
}

impl<'a> Batched<'a> {
    /// A table of `rows` rows in all, when known.
    /// A table of `rows` rows in all, when known, whose CSV copy may take `csv_limit` bytes.
    fn new(
        dir: &'a Path,
        name: &'a str,
        batch: usize,
        rows: Option<usize>,
        csv_limit: Option<u64>,
    ) -> Self {
        Batched {
            dir,
            name,
            batch,
            more: rows.is_some_and(|n| n > batch),
            pending: None,
            open: None,
            csv_limit,
        }
    }

    fn paths(&self) -> (std::path::PathBuf, std::path::PathBuf) {
        let csv = self.dir.join(format!("{}.csv", self.name));
        let pq = self.dir.join(format!("{}.parquet", self.name));
        (csv, pq)
    }

    /// Takes the next rows; writes every whole batch that is not the whole table.
    fn push(&mut self, rows: DataFrame) -> Result<()> {
        let pending = match self.pending.take() {
            Some(mut p) => {
                p.vstack_mut_owned(rows)
                    .map_err(|e| Error::Internal(format!("building a table: {e}")))?;
                p
            }
            None => rows,
        };
        let mut pending = pending;
        while pending.height() > self.batch || (self.more && pending.height() == self.batch) {
            let head = pending.slice(0, self.batch);
            pending = pending.slice(self.batch as i64, usize::MAX);
            self.write_batch(head)?;
        }
        self.pending = Some(pending);
        Ok(())
    }

    fn write_batch(&mut self, mut df: DataFrame) -> Result<()> {
        df.rechunk_mut();
        let (csv, pq) = self.paths();
        let first = self.open.is_none();
        if first {
            let csv_file = Recording::create(&csv)?.capped(self.csv_limit);
            let pq_file = Recording::create(&pq)?;
            let errors = (csv_file.error.clone(), pq_file.error.clone());
            let parquet = parquet_writer(pq_file, df.width())
                .batched(df.schema())
                .map_err(failed(&errors.1, &pq))?;
            self.open = Some(Open {
                csv: Some(csv_file),
                parquet,
                errors,
            });
        }
        let open = self.open.as_mut().expect("opened above");
        if let Some(file) = open.csv.as_mut() {
            let done = CsvWriter::new(&mut *file)
                .include_header(first)
                .finish(&mut df);
            match done {
                Ok(()) => {}
                Err(_) if file.over => {
                    open.csv.take().expect("open").remove(&csv)?;
                }
                Err(e) => return Err(failed(&open.errors.0, &csv)(e)),
            }
        }
        open.parquet
            .write_batch(&df)
            .map_err(failed(&open.errors.1, &pq))
    }

    /// Writes what is left: the whole table, when no batch was written. Says whether the CSV
    /// copy was written.
    fn finish(mut self) -> Result<Csv> {
        let mut pending = self
            .pending
            .take()
            .ok_or_else(|| Error::Internal(format!("the table {} got no rows", self.name)))?;
        if self.open.is_none() {
            pending.rechunk_mut();
            return write_capped(self.dir, self.name, &mut pending, self.csv_limit);
        }
        if pending.height() > 0 {
            self.write_batch(pending)?;
        }
        let (csv_path, pq_path) = self.paths();
        let Open {
            csv,
            parquet,
            errors,
        } = self.open.take().expect("a batch was written");
        parquet.finish().map_err(failed(&errors.1, &pq_path))?;
        let Some(mut file) = csv else {
            return Ok(Csv::LeftOut);
        };
        std::io::Write::flush(&mut file).map_err(|e| Error::io("write", &csv_path, e))?;
        Ok(Csv::Written)
    }
}

/// The tables with a row per document, passage or weight, built shard by shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RowTable {
    /// `documents`.
    Documents,
    /// `passages`, with each passage's text when `text` (`report.passage_text`).
    Passages {
        /// Whether the table carries each passage's text.
        text: bool,
    },
    /// `boilerplate`.
    Boilerplate,
    /// `tfidf`.
    Tfidf,
}

impl RowTable {
    /// A shard's rows of the table: all of them (a worker's piece).
    pub fn rows(self, c: &RowsContext, shard: &Shard) -> Result<DataFrame> {
        match self {
            RowTable::Documents => corpus::documents(c, shard, 0..shard.corpus.documents.len()),
            RowTable::Passages { text } => {
                corpus::passages(c, shard, 0..shard.passages.passages.len(), text)
            }
            RowTable::Boilerplate => corpus::boilerplate(shard),
            RowTable::Tfidf => topics::tfidf(c, shard),
        }
    }
}

/// What the tables with a row per document, passage or weight read besides a shard: the
/// periods, the shard's passages' topic columns, the input's passed-through columns, the
/// vocabulary and the TF-IDF weighting. A worker that builds a shard's rows holds these.
pub struct RowsContext<'a> {
    /// The periods, for their labels.
    pub periods: &'a [crate::artifacts::PeriodStats],
    /// The shard's passages' topic columns.
    pub topics: TopicColumns<'a>,
    /// The input's columns passed through to the `documents` table.
    pub extra_columns: &'a [String],
    /// The vocabulary.
    pub vocabulary: &'a crate::artifacts::Vocabulary,
    /// The TF-IDF weighting.
    pub tfidf: &'a crate::artifacts::TfIdf,
}

/// A shard's passages' topic, similarity to its centre and outlier flag.
pub struct TopicColumns<'a> {
    /// Each passage's topic.
    pub assignment: &'a [Option<u32>],
    /// Each passage's similarity to its topic's centre.
    pub centre_similarity: &'a [Option<f64>],
    /// Each passage's outlier flag.
    pub outlier: &'a [bool],
}

impl<'a> RowsContext<'a> {
    /// The context of `shard`'s rows in a run that holds every passage's topic.
    pub fn of(r: &'a ReportInput, shard: &Shard) -> Self {
        let rows = shard.first_passage..shard.first_passage + shard.passages.passages.len();
        RowsContext {
            periods: &r.trends.periods,
            topics: TopicColumns {
                assignment: &r.topics.assignment[rows.clone()],
                centre_similarity: &r.topics.centre_similarity[rows.clone()],
                outlier: &r.topics.outlier[rows],
            },
            extra_columns: &r.facts.extra_columns,
            vocabulary: r.vocabulary,
            tfidf: r.tfidf,
        }
    }
}

/// Where the report reads the corpus from: shards held in this process ([`Shards`]), or an
/// engine's past one machine.
pub trait Rows {
    /// The evidence lines of `items`, numbered, in order.
    fn evidence(&self, r: &ReportInput, items: &[Item]) -> Result<Vec<Evidence>>;
    /// The rows of `table`, piece by piece in corpus order, each given to `sink`.
    fn table(
        &self,
        r: &ReportInput,
        table: RowTable,
        sink: &mut dyn FnMut(DataFrame) -> Result<()>,
    ) -> Result<()>;
}

/// Shards held in this process, in corpus order (a plain run is one).
pub struct Shards<'a>(pub &'a [Shard<'a>]);

impl Rows for Shards<'_> {
    fn evidence(&self, r: &ReportInput, items: &[Item]) -> Result<Vec<Evidence>> {
        Ok(super::evidence::lines(self.0, r.vocabulary, items))
    }

    fn table(
        &self,
        r: &ReportInput,
        table: RowTable,
        sink: &mut dyn FnMut(DataFrame) -> Result<()>,
    ) -> Result<()> {
        for shard in self.0 {
            let c = RowsContext::of(r, shard);
            let n = match table {
                RowTable::Documents => shard.corpus.documents.len(),
                RowTable::Passages { .. } => shard.passages.passages.len(),
                _ => {
                    sink(table.rows(&c, shard)?)?;
                    continue;
                }
            };
            // Passages and documents are built a batch at a time: a batch of passages may hold
            // their text, and ten million documents in one frame were a run's peak (their
            // dates and periods as strings, and the frame).
            for from in (0..n.max(1)).step_by(PASSAGE_BATCH) {
                let rows = from..(from + PASSAGE_BATCH).min(n);
                sink(match table {
                    RowTable::Passages { text } => corpus::passages(&c, shard, rows, text)?,
                    _ => corpus::documents(&c, shard, rows)?,
                })?;
                // The pages the batch was read from can go.
                shard.corpus.release_texts();
            }
        }
        Ok(())
    }
}

/// Bytes past which a table's CSV copy is left out unless `report.large_csv` asks for it:
/// 25 MB, about 250,000 rows of terms or passages, past which a spreadsheet is slow to open
/// and a program should read the Parquet file, which always holds every row and takes a fifth
/// of the space. Over a gigabyte of text the large CSV copies (terms, phrases, passages) took
/// two thirds of a run's output.
pub const CSV_LIMIT: u64 = 25_000_000;

/// Builds every table the run writes and writes it into `dir`, in order, one at a time, so
/// that memory holds one table (one batch of the passages), never all of them; tables a run
/// does not ask for (`composition` without strata, the vectors without
/// `topics.write_vectors`) are left out. The tables with a row per document, passage or
/// weight are read from `rows` as their rows come. A table's CSV copy that passes
/// [`CSV_LIMIT`] bytes is left out unless `report.large_csv` asks for it.
pub fn write_all(dir: &Path, r: &ReportInput, ev: &[Evidence], rows: &dyn Rows) -> Result<Written> {
    type Build<'a> = Box<dyn Fn() -> Result<Option<DataFrame>> + 'a>;
    let always =
        |f: fn(&ReportInput) -> Result<DataFrame>| -> Build { Box::new(move || f(r).map(Some)) };
    let csv_limit = (!r.config.report.large_csv).then_some(CSV_LIMIT);
    let mut written = Written {
        csv_limit,
        ..Written::default()
    };
    let mut by_shard = |name: &str, table: RowTable, total: Option<usize>| -> Result<()> {
        // The tables with a row per passage or document are written in batches.
        let batch = if total.is_some() {
            PASSAGE_BATCH
        } else {
            usize::MAX
        };
        let mut out = Batched::new(dir, name, batch, total, csv_limit);
        rows.table(r, table, &mut |piece| out.push(piece))?;
        written.add(name, out.finish()? == Csv::Written);
        Ok(())
    };
    by_shard(
        "passages",
        RowTable::Passages {
            text: r.config.report.passage_text,
        },
        Some(r.figures.passages as usize),
    )?;
    by_shard(
        "documents",
        RowTable::Documents,
        Some(r.figures.documents as usize),
    )?;
    by_shard("boilerplate", RowTable::Boilerplate, None)?;
    if r.topics.vectors.is_some() {
        by_shard("tfidf", RowTable::Tfidf, None)?;
    }
    let tables: Vec<(&str, Build)> = vec![
        ("periods", always(corpus::periods)),
        ("terms", always(terms::terms)),
        ("variants", always(terms::variants)),
        ("phrases", always(terms::phrases)),
        ("terms_by_period", always(terms::terms_by_period)),
        ("topics", always(topics::topics)),
        ("k_scores", always(topics::k_scores)),
        ("topic_hierarchy", always(topics::topic_hierarchy)),
        ("topics_by_period", always(topics::topics_by_period)),
        ("changes", always(trends::changes)),
        ("contrasts", always(trends::contrasts)),
        ("bursts", always(trends::bursts)),
        ("shifts", always(trends::shifts)),
        ("succession", always(trends::succession)),
        ("tracked", always(trends::tracked)),
        ("evidence", Box::new(|| trends::evidence(r, ev).map(Some))),
        ("composition", Box::new(|| corpus::composition(r))),
        ("passage_vectors", Box::new(|| topics::passage_vectors(r))),
    ];
    for (name, build) in tables {
        if let Some(mut df) = build()? {
            let csv = write_capped(dir, name, &mut df, csv_limit)?;
            written.add(name, csv == Csv::Written);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full disk is named as the OS names it, with what to do; polars alone said "Invalid
    /// thrift: transport error". `/dev/full` answers every write with ENOSPC.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_named_with_a_hint() {
        let full = Path::new("/dev/full");
        let file = std::fs::OpenOptions::new().write(true).open(full).unwrap();
        let e = parquet_to(Recording::of(file), full, &mut build(0..50_000)).unwrap_err();
        let text = e.to_string();
        assert_eq!(e.exit_code(), 4, "{text}");
        assert!(
            text.contains("/dev/full: No space left on device"),
            "{text}"
        );
        assert!(text.contains("hint: free space on that disk"), "{text}");
    }

    fn build(rows: std::ops::Range<usize>) -> DataFrame {
        frame(vec![
            Column::new(
                "n".into(),
                rows.clone().map(|i| i as u32).collect::<Vec<_>>(),
            ),
            Column::new(
                "text".into(),
                rows.map(|i| format!("line {i}, \"quoted\"\nand more"))
                    .collect::<Vec<_>>(),
            ),
        ])
        .unwrap()
    }

    /// A scratch folder holding the tables the others are compared with: rows 0..10 written
    /// at once (`whole`) and in batches of 3 (`even`).
    struct Reference(tempfile::TempDir);

    impl Reference {
        fn new() -> Reference {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), "whole", &mut build(0..10)).unwrap();
            pieces(dir.path(), "even", &[3, 3, 3, 1], (3, true));
            Reference(dir)
        }

        fn dir(&self) -> &Path {
            self.0.path()
        }

        fn read(&self, file: &str) -> Vec<u8> {
            std::fs::read(self.dir().join(file)).unwrap()
        }
    }

    /// Writes rows 0..10 in pieces of `sizes` rows, batches of `batch`, as `name`.
    fn pieces(dir: &Path, name: &str, sizes: &[usize], (batch, known): (usize, bool)) {
        assert_eq!(capped(dir, name, sizes, (batch, known), None), Csv::Written);
    }

    /// [`pieces`] with the CSV copy capped at `limit` bytes.
    fn capped(
        dir: &Path,
        name: &str,
        sizes: &[usize],
        (batch, known): (usize, bool),
        limit: Option<u64>,
    ) -> Csv {
        let mut table = Batched::new(dir, name, batch, known.then_some(10), limit);
        let mut from = 0;
        for &n in sizes {
            table.push(build(from..from + n)).unwrap();
            from += n;
        }
        assert_eq!(from, 10);
        table.finish().unwrap()
    }

    /// A CSV copy past its limit is removed, however the table is cut into batches and
    /// wherever the limit falls, and the Parquet file is the one written without a limit; a
    /// CSV within its limit is the bytes of one written without.
    #[test]
    fn a_csv_copy_past_its_limit_is_left_out_and_the_parquet_file_holds_every_row() {
        let reference = Reference::new();
        let (dir, read) = (reference.dir(), |f: &str| reference.read(f));
        let size = read("whole.csv").len() as u64;
        let mut n = 0;
        for limit in [0, 1, 40, size / 2, size - 1, size, size + 1] {
            for (sizes, batch) in [(&[10][..], 10), (&[4, 6], 10), (&[3, 3, 3, 1], 3)] {
                for known in [false, true] {
                    n += 1;
                    let name = format!("t{n}");
                    let csv = capped(dir, &name, sizes, (batch, known), Some(limit));
                    let parquet = read(&format!("{name}.parquet"));
                    let uncut = if batch == 10 { "whole" } else { "even" };
                    assert_eq!(parquet, read(&format!("{uncut}.parquet")), "{name}");
                    let path = dir.join(format!("{name}.csv"));
                    if limit >= size {
                        assert_eq!(csv, Csv::Written, "{limit}");
                        assert_eq!(read(&format!("{name}.csv")), read("whole.csv"));
                    } else {
                        assert_eq!(csv, Csv::LeftOut, "{limit}");
                        assert!(!path.exists(), "{name}: {limit} of {size}");
                    }
                }
            }
        }
        let mut df = build(0..10);
        let csv = write_capped(dir, "small", &mut df, Some(size - 1)).unwrap();
        assert_eq!(csv, Csv::LeftOut);
        assert!(!dir.join("small.csv").exists());
        assert_eq!(read("small.parquet"), read("whole.parquet"));
    }

    #[test]
    fn the_page_names_the_file_a_table_is_in() {
        let mut w = Written::default();
        w.add("terms", true);
        w.add("passages", false);
        assert_eq!((w.tables, w.files), (2, 3));
        assert_eq!(w.file("terms"), "tables/terms.csv");
        assert_eq!(w.file("passages"), "tables/passages.parquet");
    }

    #[test]
    fn a_table_written_in_pieces_is_the_bytes_of_one_written_whole_or_in_even_batches() {
        let reference = Reference::new();
        let (dir, read) = (reference.dir(), |f: &str| reference.read(f));
        // At most one batch: the bytes of the table written at once, in any pieces.
        for (i, sizes) in [&[10][..], &[3, 0, 7], &[0, 10], &[1; 10]]
            .iter()
            .enumerate()
        {
            for known in [false, true] {
                let name = format!("one{i}{known}");
                pieces(dir, &name, sizes, (10, known));
                for ext in ["csv", "parquet"] {
                    assert_eq!(
                        read(&format!("{name}.{ext}")),
                        read(&format!("whole.{ext}"))
                    );
                }
            }
        }
        // Batches of 3: the bytes of the table cut into 3 + 3 + 3 + 1, however it comes.
        for (i, sizes) in [&[4, 1, 5][..], &[10], &[2, 2, 2, 2, 2], &[0, 9, 1]]
            .iter()
            .enumerate()
        {
            for known in [false, true] {
                let name = format!("cut{i}{known}");
                pieces(dir, &name, sizes, (3, known));
                for ext in ["csv", "parquet"] {
                    assert_eq!(read(&format!("{name}.{ext}")), read(&format!("even.{ext}")));
                }
            }
        }
        assert_eq!(read("even.csv"), read("whole.csv"));
        let rows = |f: &str| {
            let file = std::fs::File::open(dir.join(f)).unwrap();
            ParquetReader::new(file).finish().unwrap()
        };
        let (whole, parts) = (rows("whole.parquet"), rows("even.parquet"));
        assert_eq!(parts.height(), 10);
        assert!(whole.equals(&parts));
    }

    #[test]
    fn tables_written_from_shards_are_the_bytes_of_tables_written_from_the_whole_corpus() {
        let mut f = crate::test_support::ReportFixture::new();
        // The vectors' tables too: the weights are written shard by shard.
        let k = f.topics.topics.len();
        let x = ndarray::Array2::from_shape_fn((f.passages.passages.len(), 2), |(i, j)| {
            (i * 2 + j) as f64
        });
        f.topics.vectors = Some(((0..f.passages.passages.len()).collect(), x));
        assert!(k > 1);
        let r = f.input();
        let ev = crate::stages::s7_report::evidence::collect(&r, &[f.whole()]);
        let written = |shards: &[Shard]| {
            let dir = tempfile::tempdir().unwrap();
            let n = write_all(dir.path(), &r, &ev, &Shards(shards)).unwrap();
            let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read(e.path()).unwrap())
                })
                .collect();
            files.sort();
            (n, files)
        };
        let whole = written(&[f.whole()]);
        assert!(whole.1.iter().any(|(name, _)| name == "tfidf.parquet"));
        let parts = [f.part(0, 1), f.part(1, 1), f.part(1, 7), f.part(7, 12)];
        let shards: Vec<Shard> = parts.iter().map(|p| f.shard(p)).collect();
        let split = written(&shards);
        assert_eq!(split.0, whole.0);
        assert_eq!(whole.0.files, whole.1.len());
        assert!(whole.0.csv_left_out.is_empty());
        for ((a, x), (b, y)) in split.1.iter().zip(&whole.1) {
            assert_eq!(a, b);
            assert!(x == y, "{a} differs");
        }
        assert_eq!(split.1.len(), whole.1.len());
    }

    #[test]
    fn documents_built_a_range_at_a_time_are_the_documents_built_whole() {
        let f = crate::test_support::ReportFixture::new();
        let r = f.input();
        let shard = f.whole();
        let c = RowsContext::of(&r, &shard);
        let n = shard.corpus.documents.len();
        assert!(n > 3);
        let whole = corpus::documents(&c, &shard, 0..n).unwrap();
        for cuts in [vec![0, 1, n], vec![0, 2, 3, n], vec![0, n - 1, n]] {
            let mut pieces = cuts
                .windows(2)
                .map(|w| corpus::documents(&c, &shard, w[0]..w[1]).unwrap());
            let mut built = pieces.next().unwrap();
            for p in pieces {
                built.vstack_mut_owned(p).unwrap();
            }
            assert!(built.equals_missing(&whole), "cut at {cuts:?}");
        }
    }
}
