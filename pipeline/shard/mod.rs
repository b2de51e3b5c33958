//! A corpus counted in shards and merged: the counting tables of a run (`terms`, `variants`,
//! `phrases`, `periods`, `terms_by_period`), byte for byte, from partial counts that any
//! number of workers make apart.
//!
//! Three steps, each a command (ARCHITECTURE.md, "Beyond one machine"):
//!
//! 1. [`learn`] reads the whole corpus once and keeps what crosses documents ([`State`]): the
//!    counts that decide page furniture, the spellings that fold, the phrases, the term ids and
//!    the periods, with the configuration they were made under.
//! 2. [`count`] is the map: a pure function of a shard's documents and the state, giving a
//!    [`Partial`] of integer counts per term, per period and per (period, term).
//! 3. [`Partial::merge`] sums partials (associative and commutative: integer sums) and
//!    [`tables`] turns the sum into the tables, with the TF-IDF weighting fitted from the
//!    merged document frequencies.
//!
//! A shard's passages, token streams, phrases and bags are exactly those its documents have in a
//! run over the whole corpus, because every decision that looks across documents is taken from
//! the state; the counts that remain are sums over documents.

mod codec;
pub mod engine;
mod learning;
mod partial;
pub mod passes;
mod state;
pub mod whole;
pub mod work;

pub use codec::{from_frame, is_partial, partial_from_parquet, read_partial, to_frame, to_parquet};
pub use learning::{Learning, ReadShard, Summary};
pub use partial::{count, tables, write_tables, Partial};
pub use state::{is_state, learn, State};

use crate::artifacts::Corpus;
use crate::error::{Error, Location};

/// 64-bit FNV-1a: a digest that is the same on every machine and version.
fn fnv1a(bytes: &[u8]) -> u64 {
    crate::artifacts::fnv1a_from(crate::artifacts::FNV_OFFSET, bytes)
}

/// The fingerprints of a corpus' documents, in document order.
fn fingerprints(corpus: &Corpus) -> Vec<u64> {
    use rayon::prelude::*;
    let f: Vec<u64> = corpus
        .documents
        .par_iter()
        .map(|d| d.fingerprint())
        .collect();
    corpus.release_texts();
    f
}

/// An error in the set of partials given to merge.
fn refuse(message: impl Into<String>, hint: &str) -> Error {
    Error::input(Location::file("partials"), message, hint)
}

/// The part of a corpus a shard holds: documents `i·N/n` up to `(i+1)·N/n`, so that the shards
/// of `n` hold every document once.
pub fn select(corpus: &mut Corpus, shard: usize, of: usize) {
    let (from, to) = bounds(corpus.documents.len(), shard, of);
    corpus.documents.keep(from..to);
}

/// The corpus cut into the `of` shards [`select`] gives, in order, without copying a text.
/// What ingest left out stays with the first shard, so that the shards' facts join into the
/// whole corpus'.
pub fn split(mut corpus: Corpus, of: usize) -> Vec<Corpus> {
    let n = corpus.documents.len();
    let mut shards = Vec::with_capacity(of);
    for shard in (1..of).rev() {
        let documents = corpus.documents.split_off(bounds(n, shard, of).0);
        shards.push(Corpus {
            path: corpus.path.clone(),
            documents,
            dropped_undated: Vec::new(),
            dropped_empty: Vec::new(),
            extra_columns: corpus.extra_columns.clone(),
            columns_left_out: corpus.columns_left_out.clone(),
            text_map: corpus.text_map.clone(),
        });
    }
    shards.push(corpus);
    shards.reverse();
    shards
}

/// Documents `from..to` of `n` make shard `shard` of `of`.
fn bounds(n: usize, shard: usize, of: usize) -> (usize, usize) {
    (shard * n / of, (shard + 1) * n / of)
}

#[cfg(test)]
mod tests;
