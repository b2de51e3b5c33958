//! Stage 1, ingest, hands on a [`Corpus`]: documents with their dates and texts.

use std::path::PathBuf;

use super::DocDate;

/// One dated document, as read from the corpus.
#[derive(Debug, Clone)]
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
    pub documents: Vec<Document>,
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
}

impl Corpus {
    /// Total bytes of document text.
    pub fn text_bytes(&self) -> usize {
        self.documents.iter().map(|d| d.text.len()).sum()
    }
}
