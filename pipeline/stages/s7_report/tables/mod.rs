//! The tables of a run, built as polars DataFrames and written as CSV and Parquet: the corpus
//! as read ([`corpus`]), its vocabulary ([`terms`]), topics ([`topics`]) and trends
//! ([`trends`]).

use std::path::Path;

use polars::prelude::*;

mod corpus;
mod terms;
mod topics;
mod trends;

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

/// Every table the run writes, by name, in the order they are written; tables a run does not
/// ask for (`composition` without strata, the vectors without `topics.write_vectors`) are left
/// out.
pub fn all(r: &ReportInput, ev: &[Evidence]) -> Result<Vec<(&'static str, DataFrame)>> {
    let mut out = vec![
        ("documents", corpus::documents(r)?),
        ("passages", corpus::passages(r)?),
        ("boilerplate", corpus::boilerplate(r)?),
        ("periods", corpus::periods(r)?),
        ("terms", terms::terms(r)?),
        ("variants", terms::variants(r)?),
        ("phrases", terms::phrases(r)?),
        ("terms_by_period", terms::terms_by_period(r)?),
        ("topics", topics::topics(r)?),
        ("k_scores", topics::k_scores(r)?),
        ("topic_hierarchy", topics::topic_hierarchy(r)?),
        ("topics_by_period", topics::topics_by_period(r)?),
        ("changes", trends::changes(r)?),
        ("contrasts", trends::contrasts(r)?),
        ("bursts", trends::bursts(r)?),
        ("shifts", trends::shifts(r)?),
        ("succession", trends::succession(r)?),
        ("tracked", trends::tracked(r)?),
        ("evidence", trends::evidence(r, ev)?),
    ];
    for (name, df) in [
        ("composition", corpus::composition(r)?),
        ("passage_vectors", topics::passage_vectors(r)?),
        ("tfidf", topics::tfidf(r)?),
    ] {
        out.extend(df.map(|df| (name, df)));
    }
    Ok(out)
}
