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
mod partial;
mod state;

pub use codec::{from_frame, is_partial, partial_from_parquet, read_partial, to_frame, to_parquet};
pub use partial::{count, tables, write_tables, Partial};
pub use state::{is_state, learn, State};

use crate::artifacts::Corpus;
use crate::error::{Error, Location};

/// 64-bit FNV-1a: a digest that is the same on every machine and version.
fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(0xcbf29ce484222325, bytes)
}

fn fnv1a_from(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// A document's fingerprint: its id and its text.
fn fingerprint(d: &crate::artifacts::Document) -> u64 {
    fnv1a_from(
        fnv1a_from(fnv1a(d.id.as_bytes()), &[0xff]),
        d.text.as_bytes(),
    )
}

/// The fingerprints of a corpus' documents, in document order.
fn fingerprints(corpus: &Corpus) -> Vec<u64> {
    use rayon::prelude::*;
    let f: Vec<u64> = corpus.documents.par_iter().map(fingerprint).collect();
    corpus.release_texts();
    f
}

/// Each passage's sampling key: its document's id and its position in the document, hashed.
/// The topics are fitted on the passages of the smallest keys (`topics.fit_passages` of them,
/// mixed with the seed), so the sample is the same however the corpus is split into shards:
/// a shard can tell which of its passages are sampled without seeing the others.
pub fn passage_keys(corpus: &Corpus, passages: &crate::artifacts::Passages) -> Vec<u64> {
    use rayon::prelude::*;
    let ids: Vec<u64> = corpus
        .documents
        .par_iter()
        .map(|d| fnv1a_from(fnv1a(d.id.as_bytes()), &[0xff]))
        .collect();
    passages
        .passages
        .par_iter()
        .map(|p| fnv1a_from(ids[p.doc as usize], &p.index.to_le_bytes()))
        .collect()
}

/// An error in the set of partials given to merge.
fn refuse(message: impl Into<String>, hint: &str) -> Error {
    Error::input(Location::file("partials"), message, hint)
}

/// The part of a corpus a shard holds: documents `i·N/n` up to `(i+1)·N/n`, so that the shards
/// of `n` hold every document once.
pub fn select(corpus: &mut Corpus, shard: usize, of: usize) {
    let n = corpus.documents.len();
    let (from, to) = (shard * n / of, (shard + 1) * n / of);
    corpus.documents.truncate(to);
    corpus.documents.drain(..from);
}

#[cfg(test)]
mod tests;
