//! Stage 1, ingest, hands on a [`Corpus`]: documents with their dates and texts.

use std::fmt;
use std::io::Write;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::Mmap;

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
    pub text: Text,
    /// Values of the input's other columns ([`Corpus::extra_columns`]), passed through to the
    /// `documents` table.
    pub extra: Vec<Option<String>>,
}

impl Document {
    /// The document's fingerprint: its id and its text (64-bit FNV-1a), the same on every
    /// machine and version. Counting in shards sums them to tell that every document was
    /// counted once.
    pub fn fingerprint(&self) -> u64 {
        fnv1a_from(self.id_fingerprint(), self.text.as_bytes())
    }

    /// The fingerprint of the document's id alone, which a passage's sampling key extends.
    pub fn id_fingerprint(&self) -> u64 {
        fnv1a_from(fnv1a_from(FNV_OFFSET, self.id.as_bytes()), &[0xff])
    }
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
    /// The file every document's text is mapped from, once [`Corpus::map_texts`] has run.
    pub text_map: Option<Arc<Mmap>>,
}

impl Corpus {
    /// Total bytes of document text.
    pub fn text_bytes(&self) -> usize {
        self.documents.iter().map(|d| d.text.len()).sum()
    }

    /// Moves every document's text out of the heap: writes the texts one after another to
    /// `path` (a file of the run's own) and maps it, each document keeping its range. The
    /// kernel then holds the text as file pages, which it can drop and read back, so a run's
    /// anonymous memory no longer grows with the text (issue 17: a 1 GB corpus's text was a
    /// gigabyte of the heap from ingest to report).
    pub fn map_texts(&mut self, path: &Path) -> std::io::Result<()> {
        let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
        let mut ranges = Vec::with_capacity(self.documents.len());
        let mut at = 0usize;
        for doc in &mut self.documents {
            let text = std::mem::take(&mut doc.text);
            file.write_all(text.as_bytes())?;
            ranges.push(at..at + text.len());
            at += text.len();
        }
        file.into_inner().map_err(|e| e.into_error())?;
        let file = std::fs::File::open(path)?;
        // SAFETY: the file is the run's own, in its staging folder, and nothing writes to it
        // once it is mapped; its bytes are the documents' UTF-8 texts, checked just below.
        let map = Arc::new(unsafe { Mmap::map(&file)? });
        if std::str::from_utf8(&map).is_err() {
            return Err(std::io::Error::other(format!(
                "{} changed while it was being mapped",
                path.display()
            )));
        }
        for (doc, range) in self.documents.iter_mut().zip(ranges) {
            doc.text = Text(Repr::Mapped {
                map: Arc::clone(&map),
                start: range.start,
                end: range.end,
            });
        }
        self.text_map = Some(map);
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

/// A document's text: a string of its own, or its range of the corpus's mapped text file
/// ([`Corpus::map_texts`]). Reads as a `&str` either way.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Owned(String),
    Mapped {
        map: Arc<Mmap>,
        start: usize,
        end: usize,
    },
}

impl Default for Text {
    fn default() -> Text {
        Text(Repr::Owned(String::new()))
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Owned(s) => s,
            // SAFETY: `map_texts` checked that the whole file is UTF-8, and each range starts
            // and ends where a document's text (a whole string) did.
            Repr::Mapped { map, start, end } => unsafe {
                std::str::from_utf8_unchecked(&map[*start..*end])
            },
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Owned(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Repr::Owned(s.to_string()))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
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
            assert_eq!(doc.text, t);
        }
        corpus.release_texts();
        for (doc, t) in corpus.documents.iter().zip(texts) {
            assert_eq!(&doc.text[..], t);
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
        assert!(corpus.documents.iter().all(|d| d.text.is_empty()));
    }
}
