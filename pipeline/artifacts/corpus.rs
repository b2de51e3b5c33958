//! Stage 1, ingest, hands on a [`Corpus`]: documents with their dates and texts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::Mmap;

use super::{DocDate, Documents};

/// One dated document as a row of its own: what ingest builds and [`Documents`] stores in
/// columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Stable identifier: the file name for directory corpora, the id column (or row number)
    /// for table corpora.
    pub id: String,
    /// Title, possibly empty.
    pub title: String,
    /// Source (publisher, speaker, country code), possibly empty.
    pub source: String,
    /// The document's date.
    pub date: DocDate,
    /// Whether the date was given or read from the text (with its evidence).
    pub date_source: DateSource,
    /// Where the document came from, for messages: `seeds/001_x.txt` or `corpus.jsonl:17`.
    pub origin: String,
    /// The full text, UTF-8, exactly as read (no normalisation: offsets index into it).
    pub text: String,
    /// Values of the input's other columns ([`Corpus::extra_columns`]), passed through to the
    /// `documents` table.
    pub extra: Vec<Option<String>>,
}

/// FNV-1a's starting value.
pub const FNV_OFFSET: u64 = 0xcbf29ce484222325;

/// 64-bit FNV-1a of `bytes`, continued from `h` ([`FNV_OFFSET`] to start).
pub fn fnv1a_from(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// Where a document's date comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DateSource {
    /// The manifest or table gave it.
    Given,
    /// Read from the document's text.
    Extracted {
        /// The words that state it.
        evidence: String,
        /// Confidence, 0–1.
        confidence: f64,
    },
}

/// Output of ingest: the documents in input order.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The path the corpus was read from.
    pub path: PathBuf,
    /// Documents, in the order of the manifest or table.
    pub documents: Documents,
    /// Documents left out for want of a date (`--undated drop`), by origin.
    pub dropped_undated: Vec<String>,
    /// Documents left out for having no text (`--empty drop`), by origin.
    pub dropped_empty: Vec<String>,
    /// Names of the input columns topictide does not read itself (a `label`, a `country`), in
    /// input order; each document holds their values.
    pub extra_columns: Vec<String>,
    /// Input columns neither read nor passed through, because their values cannot be written as
    /// text (a Parquet list or struct column): "name (type)". Listed in `run.json`.
    pub columns_left_out: Vec<String>,
    /// The file every document's text is mapped from, once [`Corpus::map_texts`] has run.
    pub text_map: Option<Arc<Mmap>>,
}

impl Corpus {
    /// Total bytes of document text.
    pub fn text_bytes(&self) -> usize {
        self.documents.text_bytes()
    }

    /// Moves every document's text out of the heap: writes the texts one after another to
    /// `path` (a file of the run's own) and maps it. The kernel then holds the text as file
    /// pages, which it can drop and read back, so a run's anonymous memory no longer grows
    /// with the text (issue 17: a 1 GB corpus's text was a gigabyte of the heap from ingest to
    /// report).
    pub fn map_texts(&mut self, path: &Path) -> std::io::Result<()> {
        self.text_map = Some(self.documents.map_texts(path)?);
        Ok(())
    }

    /// Lets the kernel drop the mapped texts' pages from this process's memory once a pass
    /// over every text is done; a later read brings back the pages it touches. Does nothing
    /// when the texts are not mapped.
    pub fn release_texts(&self) {
        if let Some(map) = &self.text_map {
            // SAFETY: the mapping is read-only and its file is unchanged, so dropped pages are
            // read back from the file with the same bytes.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn mapped_texts_read_as_the_owned_ones_did_and_survive_release() {
        let texts = [
            "Første tekst, «quoted».",
            "",
            "网络安全法 and 5G\n\nsecond paragraph",
        ];
        let mut corpus = crate::test_support::corpus(&texts);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts");
        corpus.map_texts(&path).unwrap();
        assert!(corpus.text_map.is_some());
        assert_eq!(
            std::fs::metadata(&path).unwrap().len() as usize,
            texts.iter().map(|t| t.len()).sum::<usize>()
        );
        for (doc, t) in corpus.documents.iter().zip(texts) {
            assert_eq!(doc.text(), t);
        }
        corpus.release_texts();
        for (doc, t) in corpus.documents.iter().zip(texts) {
            assert_eq!(doc.text(), t);
        }
        assert_eq!(
            corpus.text_bytes(),
            texts.iter().map(|t| t.len()).sum::<usize>()
        );
    }

    #[test]
    fn a_corpus_without_text_maps_an_empty_file() {
        let mut corpus = crate::test_support::corpus(&["", ""]);
        let dir = tempfile::tempdir().unwrap();
        corpus.map_texts(&dir.path().join("texts")).unwrap();
        corpus.release_texts();
        assert!(corpus.documents.iter().all(|d| d.text().is_empty()));
    }
}
