//! The corpus's documents in columns: each field of every document one after another in one
//! buffer, with where each ends. A document costs a few fixed words however many there are
//! (issue 33: ten million posts held as a `Document` each took 430 bytes a post, 4 GB in all,
//! before a passage was cut).

use std::collections::{HashMap, TryReserveError};
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use memmap2::Mmap;

use super::text_file::TextFile;
use super::{fnv1a_from, DateSource, DocDate, Document, FNV_OFFSET};

/// The documents of a corpus, in input order. Read one with [`Documents::get`], all with
/// [`Documents::iter`]; add one with [`Documents::push`].
#[derive(Debug, Clone, Default)]
pub struct Documents {
    ids: Strings,
    /// Titles given; a title read from the text's first line is not stored (`derived`).
    titles: Strings,
    derived_title: Vec<bool>,
    sources: Strings,
    origins: Origins,
    dates: Vec<PackedDate>,
    /// The documents whose date was read from their text, by index, in order.
    extracted: Vec<(usize, String, f64)>,
    texts: Strings,
    /// The passed-through columns, each with a value or none for every document.
    extra: Vec<Nullable>,
}

/// One document of [`Documents`], read in place.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    docs: &'a Documents,
    i: usize,
}

impl Documents {
    /// How many documents.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Document `i`. Panics when there is none.
    pub fn get(&self, i: usize) -> Doc<'_> {
        assert!(i < self.len(), "document {i} of {}", self.len());
        Doc { docs: self, i }
    }

    /// Every document, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            docs: self,
            range: 0..self.len(),
        }
    }

    /// Every document, in order, for rayon.
    pub fn par_iter(&self) -> impl rayon::iter::IndexedParallelIterator<Item = Doc<'_>> {
        use rayon::prelude::*;
        (0..self.len())
            .into_par_iter()
            .map(move |i| Doc { docs: self, i })
    }

    /// Adds a document at the end.
    pub fn push(&mut self, doc: Document) {
        let i = self.len();
        self.ids.push(&doc.id);
        let derived = doc.title == first_line(&doc.text);
        self.titles.push(if derived { "" } else { &doc.title });
        self.derived_title.push(derived);
        self.sources.push(&doc.source);
        self.origins.push(&doc.origin);
        self.dates.push(PackedDate::from(doc.date));
        if let DateSource::Extracted {
            evidence,
            confidence,
        } = doc.date_source
        {
            self.extracted.push((i, evidence, confidence));
        }
        self.texts.push(&doc.text);
        if self.extra.len() < doc.extra.len() {
            self.extra
                .resize_with(doc.extra.len(), || Nullable::nones(i));
        }
        let mut values = doc.extra.into_iter();
        for column in &mut self.extra {
            column.push(values.next().flatten().as_deref());
        }
    }

    /// Keeps documents `range` only, the first of them becoming document 0.
    pub fn keep(&mut self, range: Range<usize>) {
        *self = self.slice(range);
    }

    /// Documents `range`, the first of them numbered 0. Mapped texts stay mapped.
    pub fn slice(&self, range: Range<usize>) -> Documents {
        let Range { start, end } = range.clone();
        Documents {
            ids: self.ids.slice(range.clone()),
            titles: self.titles.slice(range.clone()),
            derived_title: self.derived_title[range.clone()].to_vec(),
            sources: self.sources.slice(range.clone()),
            origins: self.origins.slice(range.clone()),
            dates: self.dates[range.clone()].to_vec(),
            extracted: self
                .extracted
                .iter()
                .filter(|(d, _, _)| (start..end).contains(d))
                .map(|(d, e, c)| (d - start, e.clone(), *c))
                .collect(),
            texts: self.texts.slice(range.clone()),
            extra: self.extra.iter().map(|c| c.slice(range.clone())).collect(),
        }
    }

    /// Documents `at..`, leaving `..at` here.
    pub fn split_off(&mut self, at: usize) -> Documents {
        let tail = self.slice(at..self.len());
        self.truncate(at);
        tail
    }

    /// Keeps documents `..at` only, in place: nothing is copied.
    fn truncate(&mut self, at: usize) {
        self.ids.truncate(at);
        self.titles.truncate(at);
        self.derived_title.truncate(at);
        self.sources.truncate(at);
        self.origins.origins.truncate(at);
        self.dates.truncate(at);
        self.extracted.retain(|(d, _, _)| *d < at);
        self.texts.truncate(at);
        for column in &mut self.extra {
            column.values.truncate(at);
            column.present.truncate(at);
        }
    }

    /// Adds `other`'s documents after these.
    pub fn append(&mut self, other: Documents) {
        for doc in other.iter() {
            self.push(doc.to_document());
        }
    }

    /// Each document as a row of its own, for code that edits them (tests).
    pub fn to_rows(&self) -> Vec<Document> {
        self.iter().map(|d| d.to_document()).collect()
    }

    /// Edits each document as a row of its own (for tests: the columns are built again).
    pub fn edit(&mut self, mut f: impl FnMut(usize, &mut Document)) {
        let mut rows = self.to_rows();
        rows.iter_mut().enumerate().for_each(|(i, d)| f(i, d));
        *self = rows.into();
    }

    /// Makes room for `bytes` more bytes of text at once, or says that the memory is not
    /// there, where growing as texts come would abort the process.
    pub fn try_reserve_text(&mut self, bytes: usize) -> Result<(), TryReserveError> {
        match &mut self.texts.bytes {
            Bytes::Owned(s) => s.try_reserve(bytes),
            Bytes::Mapped(_) | Bytes::Filling(_) => Ok(()),
        }
    }

    /// Writes the texts of the documents pushed from now on straight into the file at `path`
    /// (a file of the run's own), with room for about `room` bytes, rather than into memory;
    /// [`Documents::map_texts`] with the same path then maps it. Only for documents with no
    /// text yet.
    pub fn write_texts_to(&mut self, path: &Path, room: usize) -> std::io::Result<()> {
        assert_eq!(
            self.texts.bytes_len(),
            0,
            "texts are written from the first"
        );
        self.texts = Strings {
            bytes: Bytes::Filling(TextFile::create(path, room)?),
            start: 0,
            ends: vec![0; self.texts.ends.len()],
        };
        Ok(())
    }

    /// Total bytes of document text.
    pub fn text_bytes(&self) -> usize {
        self.texts.bytes_len()
    }

    /// Writes the texts, one after another, to `path` (a file of the run's own) and reads
    /// them from there from now on; see [`super::Corpus::map_texts`].
    pub(super) fn map_texts(&mut self, path: &Path) -> std::io::Result<Arc<Mmap>> {
        let file = match std::mem::take(&mut self.texts.bytes) {
            Bytes::Filling(f) if f.is_at(path) => f.finish()?,
            bytes => {
                self.texts.bytes = bytes;
                let mut file =
                    std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
                file.write_all(self.texts.all().as_bytes())?;
                file.into_inner().map_err(|e| e.into_error())?;
                std::fs::File::open(path)?
            }
        };
        // SAFETY: the file is the run's own, in its staging folder, and nothing writes to it
        // once it is mapped; its bytes are the documents' UTF-8 texts, checked just below
        // before any is read as text.
        let map = Arc::new(unsafe { Mmap::map(&file)? });
        let len = self.texts.bytes_len();
        // The texts' own copy goes before the mapped one is read, so that the two are never
        // in memory together.
        self.texts.bytes = Bytes::Mapped(Arc::clone(&map));
        let start = std::mem::take(&mut self.texts.start);
        self.texts.ends.iter_mut().for_each(|e| *e -= start);
        if map.len() != len || std::str::from_utf8(&map).is_err() {
            // Nothing reads these texts after the error stops the run; spaces keep every
            // range on a character boundary all the same.
            self.texts.bytes = Bytes::Owned(" ".repeat(map.len().max(len)));
            return Err(std::io::Error::other(format!(
                "{} changed while it was being mapped",
                path.display()
            )));
        }
        // SAFETY: the mapping is read-only and its file is unchanged, so dropped pages are
        // read back from the file with the same bytes.
        let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        Ok(map)
    }
}

impl FromIterator<Document> for Documents {
    fn from_iter<I: IntoIterator<Item = Document>>(rows: I) -> Documents {
        let mut documents = Documents::default();
        documents.extend(rows);
        documents
    }
}

/// The documents of [`Documents`], in order.
#[derive(Clone)]
pub struct Iter<'a> {
    docs: &'a Documents,
    range: Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Doc<'a>;

    fn next(&mut self) -> Option<Doc<'a>> {
        let i = self.range.next()?;
        Some(Doc { docs: self.docs, i })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let i = self.range.next_back()?;
        Some(Doc { docs: self.docs, i })
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Documents {
    type Item = Doc<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Extend<Document> for Documents {
    fn extend<I: IntoIterator<Item = Document>>(&mut self, rows: I) {
        for doc in rows {
            self.push(doc);
        }
    }
}

impl From<Vec<Document>> for Documents {
    fn from(rows: Vec<Document>) -> Documents {
        rows.into_iter().collect()
    }
}

impl<'a> Doc<'a> {
    /// Its index in [`Documents`].
    pub fn index(&self) -> usize {
        self.i
    }

    /// Stable identifier: the file name for directory corpora, the id column (or row number)
    /// for table corpora.
    pub fn id(&self) -> &'a str {
        self.docs.ids.get(self.i)
    }

    /// Title, possibly empty: as given, or else the text's first line.
    pub fn title(&self) -> &'a str {
        if self.docs.derived_title[self.i] {
            first_line(self.text())
        } else {
            self.docs.titles.get(self.i)
        }
    }

    /// Source (publisher, speaker, country code), possibly empty.
    pub fn source(&self) -> &'a str {
        self.docs.sources.get(self.i)
    }

    /// The document's date.
    pub fn date(&self) -> DocDate {
        self.docs.dates[self.i].into()
    }

    /// Whether the date was given or read from the text (with its evidence).
    pub fn date_source(&self) -> DateSource {
        match self.date_evidence() {
            Some((evidence, confidence)) => DateSource::Extracted {
                evidence: evidence.to_string(),
                confidence,
            },
            None => DateSource::Given,
        }
    }

    /// The words its date was read from, and how sure that reading is; `None` when the date
    /// was given.
    pub fn date_evidence(&self) -> Option<(&'a str, f64)> {
        let extracted = &self.docs.extracted;
        let at = extracted
            .binary_search_by_key(&self.i, |(d, _, _)| *d)
            .ok()?;
        Some((extracted[at].1.as_str(), extracted[at].2))
    }

    /// Where the document came from, for messages: `seeds/001_x.txt` or `corpus.jsonl:17`.
    pub fn origin(&self) -> String {
        self.docs.origins.get(self.i)
    }

    /// The full text, UTF-8, exactly as read (no normalisation: offsets index into it).
    pub fn text(&self) -> &'a str {
        self.docs.texts.get(self.i)
    }

    /// The values of the input's other columns ([`super::Corpus::extra_columns`]), in order.
    pub fn extra(&self) -> impl ExactSizeIterator<Item = Option<&'a str>> + 'a {
        let i = self.i;
        self.docs.extra.iter().map(move |c| c.get(i))
    }

    /// Its value of passed-through column `j`, if it has one.
    pub fn extra_at(&self, j: usize) -> Option<&'a str> {
        self.docs.extra.get(j).and_then(|c| c.get(self.i))
    }

    /// The document's fingerprint: its id and its text (64-bit FNV-1a), the same on every
    /// machine and version. Counting in shards sums them to tell that every document was
    /// counted once.
    pub fn fingerprint(&self) -> u64 {
        fnv1a_from(self.id_fingerprint(), self.text().as_bytes())
    }

    /// The fingerprint of the document's id alone, which a passage's sampling key extends.
    pub fn id_fingerprint(&self) -> u64 {
        fnv1a_from(fnv1a_from(FNV_OFFSET, self.id().as_bytes()), &[0xff])
    }

    /// The document as a row of its own.
    pub fn to_document(&self) -> Document {
        Document {
            id: self.id().to_string(),
            title: self.title().to_string(),
            source: self.source().to_string(),
            date: self.date(),
            date_source: self.date_source(),
            origin: self.origin(),
            text: self.text().to_string(),
            extra: self.extra().map(|v| v.map(str::to_string)).collect(),
        }
    }
}

impl std::fmt::Debug for Doc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.to_document(), f)
    }
}

/// A document's title when none is given: its first non-blank line, trimmed, at most 200
/// characters.
pub fn first_line(text: &str) -> &str {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    let line = line.unwrap_or("");
    let end = line
        .char_indices()
        .nth(200)
        .map_or(line.len(), |(at, _)| at);
    &line[..end]
}

/// Strings one after another: `bytes[start..ends[0]]`, `bytes[ends[0]..ends[1]]`, ….
#[derive(Debug, Clone, Default)]
struct Strings {
    bytes: Bytes,
    start: usize,
    ends: Vec<usize>,
}

/// Where [`Strings`] keeps its bytes: its own, or a mapped file of UTF-8 text, or a file being
/// written ([`Documents::write_texts_to`]).
enum Bytes {
    Owned(String),
    Mapped(Arc<Mmap>),
    Filling(TextFile),
}

impl Clone for Bytes {
    /// A copy of a file being written is a copy in memory: one file has one writer.
    fn clone(&self) -> Bytes {
        match self {
            Bytes::Owned(s) => Bytes::Owned(s.clone()),
            Bytes::Mapped(m) => Bytes::Mapped(Arc::clone(m)),
            Bytes::Filling(f) => Bytes::Owned(filled(f).to_string()),
        }
    }
}

/// The text written so far into `f`.
fn filled(f: &TextFile) -> &str {
    // SAFETY: only whole strings are written into a filling file (`Strings::push`).
    unsafe { std::str::from_utf8_unchecked(f.bytes()) }
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Owned(String::new())
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bytes::Owned(s) => write!(f, "Owned({} bytes)", s.len()),
            Bytes::Mapped(m) => write!(f, "Mapped({} bytes)", m.len()),
            Bytes::Filling(t) => write!(f, "Filling({} bytes)", t.bytes().len()),
        }
    }
}

impl Strings {
    fn push(&mut self, s: &str) {
        if let Bytes::Filling(f) = &mut self.bytes {
            if f.push(s.as_bytes()).is_ok() {
                self.ends.push(f.bytes().len());
                return;
            }
            // The file could not grow (a full disk): the texts go on in memory, and mapping
            // them writes them out again.
            self.bytes = Bytes::Owned(filled(f).to_string());
        }
        if let Bytes::Mapped(_) = self.bytes {
            let owned = self.all().to_string();
            let start = std::mem::take(&mut self.start);
            self.ends.iter_mut().for_each(|e| *e -= start);
            self.bytes = Bytes::Owned(owned);
        }
        if let Bytes::Owned(bytes) = &mut self.bytes {
            bytes.push_str(s);
            self.ends.push(bytes.len());
        }
    }

    /// Where the last string ends (where the next begins).
    fn end(&self) -> usize {
        self.ends.last().copied().unwrap_or(self.start)
    }

    fn get(&self, i: usize) -> &str {
        let from = if i == 0 { self.start } else { self.ends[i - 1] };
        &self.buffer()[from..self.ends[i]]
    }

    fn buffer(&self) -> &str {
        match &self.bytes {
            Bytes::Owned(s) => s,
            // SAFETY: `Documents::map_texts` checked that the whole file is UTF-8, and each
            // string starts and ends where a whole string did.
            Bytes::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
            Bytes::Filling(f) => filled(f),
        }
    }

    /// Every string, one after another.
    fn all(&self) -> &str {
        &self.buffer()[self.start..self.end()]
    }

    /// Keeps strings `..at`; an owned buffer gives back the bytes after them.
    fn truncate(&mut self, at: usize) {
        self.ends.truncate(at);
        let end = self.end();
        match &mut self.bytes {
            Bytes::Owned(s) => s.truncate(end),
            Bytes::Filling(f) => f.truncate(end),
            Bytes::Mapped(_) => {}
        }
    }

    fn bytes_len(&self) -> usize {
        self.end() - self.start
    }

    fn slice(&self, range: Range<usize>) -> Strings {
        let from = if range.start == 0 {
            self.start
        } else {
            self.ends[range.start - 1]
        };
        match &self.bytes {
            Bytes::Mapped(map) => Strings {
                bytes: Bytes::Mapped(Arc::clone(map)),
                start: from,
                ends: self.ends[range].to_vec(),
            },
            Bytes::Owned(_) | Bytes::Filling(_) => {
                let to = if range.is_empty() {
                    from
                } else {
                    self.ends[range.end - 1]
                };
                Strings {
                    bytes: Bytes::Owned(self.buffer()[from..to].to_string()),
                    start: 0,
                    ends: self.ends[range].iter().map(|e| e - from).collect(),
                }
            }
        }
    }
}

/// A passed-through column: a string or none for each document.
#[derive(Debug, Clone, Default)]
struct Nullable {
    values: Strings,
    present: Vec<bool>,
}

impl Nullable {
    /// A column with no value for `n` documents.
    fn nones(n: usize) -> Nullable {
        let mut column = Nullable::default();
        (0..n).for_each(|_| column.push(None));
        column
    }

    fn push(&mut self, value: Option<&str>) {
        self.values.push(value.unwrap_or(""));
        self.present.push(value.is_some());
    }

    fn get(&self, i: usize) -> Option<&str> {
        self.present[i].then(|| self.values.get(i))
    }

    fn slice(&self, range: Range<usize>) -> Nullable {
        Nullable {
            values: self.values.slice(range.clone()),
            present: self.present[range].to_vec(),
        }
    }
}

/// Each document's origin, as a prefix (a file) and, for a table's rows, a line: `prefix:line`.
/// A table's ten million rows share one prefix.
#[derive(Debug, Clone, Default)]
struct Origins {
    prefixes: Vec<String>,
    index: HashMap<String, u32>,
    /// The prefix and line of each document; line 0 for none.
    origins: Vec<(u32, u64)>,
}

impl Origins {
    fn push(&mut self, origin: &str) {
        let (prefix, line) = match origin.rsplit_once(':') {
            Some((prefix, line)) if is_line_number(line) => (prefix, line.parse().unwrap_or(0)),
            _ => (origin, 0),
        };
        let (prefix, line) = if line == 0 {
            (origin, 0)
        } else {
            (prefix, line)
        };
        let at = match self.index.get(prefix) {
            Some(&at) => at,
            None => {
                let at = self.prefixes.len() as u32;
                self.prefixes.push(prefix.to_string());
                self.index.insert(prefix.to_string(), at);
                at
            }
        };
        self.origins.push((at, line));
    }

    fn get(&self, i: usize) -> String {
        let (prefix, line) = self.origins[i];
        let prefix = &self.prefixes[prefix as usize];
        if line == 0 {
            prefix.clone()
        } else {
            format!("{prefix}:{line}")
        }
    }

    fn slice(&self, range: Range<usize>) -> Origins {
        Origins {
            prefixes: self.prefixes.clone(),
            index: self.index.clone(),
            origins: self.origins[range].to_vec(),
        }
    }
}

/// Whether `s` is a line number written as `format!` writes it: digits, no leading zero, at
/// least 1, and small enough to read back.
fn is_line_number(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('0') && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A [`DocDate`] in eight bytes: month and day 0 when not known.
#[derive(Debug, Clone, Copy)]
struct PackedDate {
    year: i32,
    month: u8,
    day: u8,
}

impl From<DocDate> for PackedDate {
    fn from(d: DocDate) -> PackedDate {
        PackedDate {
            year: d.year,
            month: d.month.map_or(0, |m| m as u8),
            day: d.day.map_or(0, |d| d as u8),
        }
    }
}

impl From<PackedDate> for DocDate {
    fn from(d: PackedDate) -> DocDate {
        DocDate {
            year: d.year,
            month: (d.month > 0).then_some(d.month as u32),
            day: (d.day > 0).then_some(d.day as u32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(i: usize, text: &str) -> Document {
        Document {
            id: format!("id{i}"),
            title: if i.is_multiple_of(2) {
                first_line(text).to_string()
            } else {
                format!("Title {i}")
            },
            source: if i.is_multiple_of(3) {
                String::new()
            } else {
                "src".into()
            },
            date: match i % 3 {
                0 => DocDate::year(1990 + i as i32),
                1 => DocDate::parse("2021-02").unwrap(),
                _ => DocDate::parse("2016-12-31").unwrap(),
            },
            date_source: if i % 4 == 1 {
                DateSource::Extracted {
                    evidence: format!("in {i}"),
                    confidence: 0.5,
                }
            } else {
                DateSource::Given
            },
            origin: match i % 4 {
                0 => format!("corpus.jsonl:{}", i + 1),
                1 => format!("dir/{i}.txt"),
                2 => "c:/odd:0".to_string(),
                _ => format!("c:\\x:{}:07", i),
            },
            text: text.to_string(),
            extra: match i % 3 {
                0 => vec![],
                1 => vec![Some(format!("v{i}")), None],
                _ => vec![None, Some(String::new()), Some("third".into())],
            },
        }
    }

    fn rows() -> Vec<Document> {
        let texts = [
            "Første tekst, «quoted».",
            "",
            "\n\n  网络安全法 and 5G  \n\nsecond paragraph",
            "x",
            &"long line ".repeat(40),
            "  \n",
            "last\r\nline",
        ];
        texts.iter().enumerate().map(|(i, t)| row(i, t)).collect()
    }

    /// What `Documents` gives back for a row: the row, with columns that later rows add.
    fn widened(mut doc: Document, columns: usize) -> Document {
        doc.extra.resize(columns, None);
        doc
    }

    #[test]
    fn every_field_of_every_row_reads_back_as_pushed() {
        let rows = rows();
        let docs: Documents = rows.clone().into();
        assert_eq!(docs.len(), rows.len());
        for (doc, row) in docs.iter().zip(&rows) {
            assert_eq!(doc.to_document(), widened(row.clone(), 3));
            assert_eq!(doc.text(), row.text);
        }
        assert_eq!(
            docs.text_bytes(),
            rows.iter().map(|r| r.text.len()).sum::<usize>()
        );
    }

    #[test]
    fn slices_split_and_append_keep_every_row() {
        let rows: Vec<Document> = rows().into_iter().map(|r| widened(r, 3)).collect();
        let docs: Documents = rows.clone().into();
        for from in 0..=rows.len() {
            for to in from..=rows.len() {
                assert_eq!(
                    docs.slice(from..to).to_rows(),
                    rows[from..to],
                    "{from}..{to}"
                );
            }
        }
        let mut head = docs.clone();
        let tail = head.split_off(3);
        assert_eq!(head.to_rows(), rows[..3]);
        assert_eq!(tail.to_rows(), rows[3..]);
        head.append(tail);
        assert_eq!(head.to_rows(), rows);
    }

    #[test]
    fn mapped_texts_read_as_the_owned_ones_did() {
        let rows: Vec<Document> = rows().into_iter().map(|r| widened(r, 3)).collect();
        let mut docs: Documents = rows.clone().into();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts");
        let map = docs.map_texts(&path).unwrap();
        assert_eq!(map.len(), docs.text_bytes());
        assert_eq!(docs.to_rows(), rows);
        assert_eq!(docs.slice(2..5).to_rows(), rows[2..5]);
        let mut head = docs.clone();
        let tail = head.split_off(4);
        assert_eq!(
            (head.to_rows(), tail.to_rows()),
            (rows[..4].to_vec(), rows[4..].to_vec())
        );
        let mut more = docs.slice(1..3);
        more.push(rows[0].clone());
        assert_eq!(more.to_rows(), [&rows[1..3], &rows[..1]].concat());
    }

    #[test]
    fn room_for_text_is_reserved_or_refused() {
        let mut docs = Documents::default();
        assert!(docs.try_reserve_text(1 << 20).is_ok());
        assert!(docs.try_reserve_text(usize::MAX).is_err());
        docs.push(row(0, "still usable"));
        assert_eq!(docs.get(0).text(), "still usable");
    }

    #[test]
    fn a_first_line_is_cut_at_200_characters_on_a_character_boundary() {
        let text = format!("\n  {}\nnext", "é".repeat(300));
        assert_eq!(first_line(&text), "é".repeat(200));
        assert_eq!(first_line(" \n \t\n"), "");
    }
}
