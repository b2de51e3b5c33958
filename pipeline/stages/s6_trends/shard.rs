//! A shard of the corpus as the trends passes read it, and the per-document values they give,
//! merged back into corpus order ([`DocRuns`]).

use serde::{Deserialize, Serialize};

use crate::artifacts::{Bag, Passages};

/// A shard's documents as the trends passes read them: a run of consecutive documents of the
/// corpus, with its passages.
#[derive(Debug, Clone, Copy)]
pub struct Shard<'a> {
    /// Its passages, their documents numbered within the shard.
    pub passages: &'a Passages,
    /// Each passage's bag.
    pub bags: &'a [Bag],
    /// Each passage's word tokens, stop words included.
    pub word_counts: &'a [u32],
    /// Each passage's topic, if it has one.
    pub assignment: &'a [Option<u32>],
    /// Each document's period.
    pub doc_period: &'a [usize],
    /// The number in the corpus of its first document.
    pub first_doc: u64,
}

impl Shard<'_> {
    /// Documents of the shard.
    pub fn documents(&self) -> usize {
        self.doc_period.len()
    }
}

/// A value per document, from shards: runs of consecutive documents, each with the number of
/// its first. Merging keeps them in corpus order, whatever order shards merge in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRuns<T>(Vec<(u64, Vec<T>)>);

impl<T> DocRuns<T> {
    /// A shard's values, its first document numbered `first` in the corpus.
    pub fn of(first: u64, values: Vec<T>) -> Self {
        DocRuns(vec![(first, values)])
    }

    /// The runs of two shards, in corpus order.
    pub fn merge(mut self, other: DocRuns<T>) -> DocRuns<T> {
        self.0.extend(other.0);
        self.0.sort_by_key(|(first, _)| *first);
        self
    }

    /// Every document's value, in corpus order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter().flat_map(|(_, run)| run)
    }

    /// Every document's value with the document's number in the corpus, in corpus order.
    pub fn numbered(&self) -> impl Iterator<Item = (u64, &T)> {
        self.0.iter().flat_map(|(first, run)| {
            run.iter()
                .enumerate()
                .map(move |(i, v)| (first + i as u64, v))
        })
    }
}

/// A small corpus to split into shards: seven documents over three periods, one to three
/// passages each, with bags and topics.
#[cfg(test)]
pub(super) struct Fixture {
    pub tokens: crate::artifacts::Tokens,
    pub passages: Passages,
    pub doc_period: Vec<usize>,
    pub assignment: Vec<Option<u32>>,
}

#[cfg(test)]
impl Fixture {
    pub fn new() -> Fixture {
        use crate::artifacts::Passage;
        let words = ["data", "security", "cyber", "law", "market"];
        let docs_passages = [2, 1, 3, 1, 2, 2, 1];
        let mut lists: Vec<Vec<&str>> = Vec::new();
        let mut passages = Vec::new();
        for (d, &n) in docs_passages.iter().enumerate() {
            for i in 0..n {
                let j = lists.len();
                lists.push((0..3).map(|w| words[(j * 7 + w * 3 + d) % 5]).collect());
                passages.push(Passage {
                    doc: d as u32,
                    index: i as u32,
                    range: 0..0,
                });
            }
        }
        Fixture {
            assignment: (0..lists.len())
                .map(|i| (i % 4 != 3).then_some((i % 3 % 2) as u32))
                .collect(),
            tokens: crate::stages::s3_tokenize::from_token_lists(&lists),
            passages: Passages {
                passages,
                removed: Vec::new(),
            },
            doc_period: vec![0, 0, 1, 1, 1, 2, 2],
        }
    }

    /// `f` of the shard of documents `from..to`.
    pub fn shard<R>(&self, from: usize, to: usize, f: impl FnOnce(&Shard) -> R) -> R {
        let (range, local) = self.passages.of_documents(from, to);
        f(&Shard {
            passages: &local,
            bags: &self.tokens.bags[range.clone()],
            word_counts: &self.tokens.word_counts[range.clone()],
            assignment: &self.assignment[range],
            doc_period: &self.doc_period[from..to],
            first_doc: from as u64,
        })
    }
}
