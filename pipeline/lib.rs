//! topictide: topic modeling and term-trend analytics over dated documents.
//!
//! The pipeline, in order, each stage a module under [`stages`] with a plain artifact type
//! from [`artifacts`] as its hand-off:
//!
//! 1. ingest — a directory with `manifest.csv`, or a JSONL/CSV/Parquet table → [`artifacts::Corpus`]
//! 2. segment — documents into paragraphs with byte ranges → [`artifacts::Passages`]
//! 3. tokenize — words, stop words, Snowball stems, two-word terms, surface forms → [`artifacts::Tokens`]
//! 4. vectorize — sparse TF-IDF with scikit-learn's semantics → [`artifacts::TfIdf`]
//! 5. topics — randomized LSA, k-means, c-TF-IDF labels → [`artifacts::Topics`]
//! 6. trends — per-period frequencies, tracked terms, log-odds changes → [`artifacts::Trends`]
//! 7. report — tables, SVG charts, `report.html`, `run.json`
//!
//! [`run::run`] runs them in order with timing and progress. [`shard`] counts a corpus in
//! shards (a map that is a pure function of a shard and a learnt state) and merges the counts.
#![deny(missing_docs)]

pub mod artifacts;
pub mod calendar;
pub mod config;
pub mod error;
pub mod memory;
pub mod run;
pub mod safety;
pub mod shard;
pub mod stages;
#[cfg(test)]
mod test_support;
pub mod text;

pub use config::{Config, RunPaths, ValidConfig};
pub use error::{Error, Result};
