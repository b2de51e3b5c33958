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

use super::evidence::Evidence;
use super::input::ReportInput;
use crate::error::{Error, Result};

fn frame(columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns)
        .map_err(|e| Error::Internal(format!("building a table: {e}")))
}

/// Writes `df` as `dir/name.csv` and `dir/name.parquet`.
pub fn write(dir: &Path, name: &str, df: &mut DataFrame) -> Result<()> {
    let csv = dir.join(format!("{name}.csv"));
    let f = std::fs::File::create(&csv).map_err(|e| Error::io("create", &csv, e))?;
    CsvWriter::new(std::io::BufWriter::new(f))
        .finish(df)
        .map_err(|e| Error::table("write", &csv, e))?;
    let pq = dir.join(format!("{name}.parquet"));
    let f = std::fs::File::create(&pq).map_err(|e| Error::io("create", &pq, e))?;
    ParquetWriter::new(f)
        .finish(df)
        .map_err(|e| Error::table("write", &pq, e))?;
    Ok(())
}

/// Passages a batch of the `passages` table holds: a table of more is written in batches (its
/// Parquet file then has a row group a batch), so that the passages' text is never in memory
/// twice whole. UNGD (118,045 passages) is one batch.
const PASSAGE_BATCH: usize = 200_000;

/// Writes a table built in batches of rows (`build(range)`) as `dir/name.csv` and
/// `dir/name.parquet`: one batch is written as [`write`] would; more are appended, the CSV with
/// one header, the Parquet file a row group each.
fn write_batched(
    dir: &Path,
    name: &str,
    rows: usize,
    batch: usize,
    build: impl Fn(std::ops::Range<usize>) -> Result<DataFrame>,
) -> Result<()> {
    if rows <= batch {
        return write(dir, name, &mut build(0..rows)?);
    }
    let csv = dir.join(format!("{name}.csv"));
    let pq = dir.join(format!("{name}.parquet"));
    let mut csv_out = std::io::BufWriter::new(
        std::fs::File::create(&csv).map_err(|e| Error::io("create", &csv, e))?,
    );
    let mut pq_file = Some(std::fs::File::create(&pq).map_err(|e| Error::io("create", &pq, e))?);
    let mut parquet = None;
    for from in (0..rows).step_by(batch) {
        let mut df = build(from..(from + batch).min(rows))?;
        CsvWriter::new(&mut csv_out)
            .include_header(from == 0)
            .finish(&mut df)
            .map_err(|e| Error::table("write", &csv, e))?;
        if let Some(file) = pq_file.take() {
            parquet = Some(
                ParquetWriter::new(file)
                    .batched(df.schema())
                    .map_err(|e| Error::table("write", &pq, e))?,
            );
        }
        if let Some(w) = parquet.as_mut() {
            w.write_batch(&df)
                .map_err(|e| Error::table("write", &pq, e))?;
        }
    }
    if let Some(w) = parquet {
        w.finish().map_err(|e| Error::table("write", &pq, e))?;
    }
    std::io::Write::flush(&mut csv_out).map_err(|e| Error::io("write", &csv, e))?;
    Ok(())
}

/// Builds every table the run writes and writes it into `dir`, in order, one at a time, so
/// that memory holds one table (one batch of the passages), never all of them; tables a run
/// does not ask for (`composition` without strata, the vectors without
/// `topics.write_vectors`) are left out. Returns how many tables were written.
pub fn write_all(dir: &Path, r: &ReportInput, ev: &[Evidence]) -> Result<usize> {
    type Build<'a> = Box<dyn Fn() -> Result<Option<DataFrame>> + 'a>;
    let always =
        |f: fn(&ReportInput) -> Result<DataFrame>| -> Build { Box::new(move || f(r).map(Some)) };
    let tables: Vec<(&str, Build)> = vec![
        ("documents", always(corpus::documents)),
        ("boilerplate", always(corpus::boilerplate)),
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
        ("tfidf", Box::new(|| topics::tfidf(r))),
    ];
    // The one table with a row per passage is written in batches.
    let n = r.passages.passages.len();
    write_batched(dir, "passages", n, PASSAGE_BATCH, |rows| {
        let batch = corpus::passages(r, rows);
        // The batch holds its passages' text; the pages it was read from can go.
        r.corpus.release_texts();
        batch
    })?;
    let mut written = 1;
    for (name, build) in tables {
        if let Some(mut df) = build()? {
            write(dir, name, &mut df)?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_written_in_batches_has_the_rows_of_one_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let build = |rows: std::ops::Range<usize>| {
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
        };
        write(dir.path(), "whole", &mut build(0..10).unwrap()).unwrap();
        write_batched(dir.path(), "parts", 10, 3, build).unwrap();
        let read = |f: &str| std::fs::read(dir.path().join(f)).unwrap();
        assert_eq!(read("whole.csv"), read("parts.csv"));
        let rows = |f: &str| {
            let file = std::fs::File::open(dir.path().join(f)).unwrap();
            ParquetReader::new(file).finish().unwrap()
        };
        let (whole, parts) = (rows("whole.parquet"), rows("parts.parquet"));
        assert_eq!(parts.height(), 10);
        assert!(whole.equals(&parts));
    }
}
