//! One document a row of a table, every row checked (a text, a date, an id of its own), a block
//! of rows at a time: a JSON lines file streams through here, so that only its documents stay
//! in memory, never the whole table (issue 33).

use std::collections::HashMap;
use std::path::Path;

use super::fields::DATE_HINT;
use super::fields::{cell, document, parse_date, parse_year, Fields, SeenIds, UndatedDoc};
use super::raw::RawTable;
use crate::artifacts::Documents;
use crate::config::{Empty, IngestConfig};
use crate::error::{Error, Location, Result};

/// What reading a table hands back: the documents, the passed-through columns' names, and
/// the columns it left out (with why).
pub(super) struct TableRead {
    pub(super) documents: Documents,
    pub(super) extra_columns: Vec<String>,
    pub(super) columns_left_out: Vec<String>,
}

/// The columns a run reads itself; every other column is passed through.
pub(super) fn used_columns(cfg: &IngestConfig) -> [&str; 6] {
    [
        cfg.text_column.as_str(),
        cfg.date_column.as_str(),
        cfg.year_column.as_str(),
        cfg.id_column.as_str(),
        cfg.title_column.as_str(),
        cfg.source_column.as_str(),
    ]
}

/// Token of an id whose row was left out for want of a date: its place in `dropped_ids`.
const DROPPED: u64 = 1 << 63;

/// The documents of a table's rows so far.
pub(super) struct Rows<'a> {
    path: &'a Path,
    cfg: &'a IngestConfig,
    undated: &'a mut Vec<UndatedDoc>,
    empty: &'a mut Vec<String>,
    documents: Documents,
    /// Every column seen, in the order first seen.
    names: Vec<String>,
    seen: HashMap<String, usize>,
    /// The passed-through columns, as places in `names`.
    extra: Vec<usize>,
    ids: SeenIds,
    /// The ids of rows left out for want of a date, which `ids` may need to tell apart.
    dropped_ids: Vec<String>,
    rows: usize,
    has_text: bool,
    has_date: bool,
}

impl<'a> Rows<'a> {
    pub(super) fn new(
        path: &'a Path,
        cfg: &'a IngestConfig,
        undated: &'a mut Vec<UndatedDoc>,
        empty: &'a mut Vec<String>,
    ) -> Rows<'a> {
        Rows {
            path,
            cfg,
            undated,
            empty,
            documents: Documents::default(),
            names: Vec::new(),
            seen: HashMap::new(),
            extra: Vec::new(),
            ids: SeenIds::default(),
            dropped_ids: Vec::new(),
            rows: 0,
            has_text: false,
            has_date: false,
        }
    }

    /// Makes room for about `bytes` of text before any is read: a corpus whose text does not
    /// fit is refused with exit 4 and one line, before it has cost minutes, where growing the
    /// text as rows come would end in the allocator's abort.
    pub(super) fn reserve_text(&mut self, bytes: u64) -> Result<()> {
        let room = usize::try_from(bytes).unwrap_or(usize::MAX);
        self.documents
            .try_reserve_text(room)
            .map_err(|_| Error::Memory {
                what: format!("hold the text of {}", self.path.display()),
                needed: bytes,
                available: crate::memory::available().unwrap_or(0),
            })
    }

    /// Writes the texts into the file `file` as rows come, with room for about `bytes`
    /// ([`crate::artifacts::Documents::write_texts_to`]).
    pub(super) fn write_texts_to(&mut self, file: &Path, bytes: u64) -> Result<()> {
        let room = usize::try_from(bytes).unwrap_or(usize::MAX);
        self.documents
            .write_texts_to(file, room)
            .map_err(|e| Error::io("write", file, e))
    }

    /// The documents of every row added, once every row is.
    pub(super) fn finish(self, columns_left_out: Vec<String>) -> Result<TableRead> {
        if self.rows == 0 {
            return Err(Error::input(
                Location::file(self.path),
                "the corpus has no documents: the table has no rows",
                "give the table one row per document, with a text column and a date or year \
                 column",
            ));
        }
        Ok(TableRead {
            documents: self.documents,
            extra_columns: self.extra.iter().map(|&c| self.names[c].clone()).collect(),
            columns_left_out,
        })
    }

    /// Adds the documents of a block of rows. A block must name the text column, and a date or
    /// year column, unless a block before it did: a column that a later block lacks has no
    /// value in its rows, as a field absent from a JSON line has none.
    pub(super) fn add(&mut self, mut table: RawTable) -> Result<()> {
        let (cfg, path) = (self.cfg, self.path);
        if table.lines.is_empty() {
            return Ok(());
        }
        self.rows += table.lines.len();
        let used = used_columns(cfg);
        for name in &table.names {
            if !self.seen.contains_key(name) {
                self.seen.insert(name.clone(), self.names.len());
                if !used.contains(&name.as_str()) {
                    self.extra.push(self.names.len());
                }
                self.names.push(name.clone());
            }
        }
        let rows = table.lines.len();
        let text_index = table.names.iter().position(|n| *n == cfg.text_column);
        let text = match text_index {
            Some(i) => std::mem::take(&mut table.columns[i]),
            None if self.has_text => vec![None; rows],
            None => return Err(no_text_column(&table, path, cfg)),
        };
        self.has_text = true;
        let date = table.column(&cfg.date_column);
        let year = table.column(&cfg.year_column);
        if date.is_none() && year.is_none() && !self.has_date {
            return Err(no_date_column(&table, path, cfg));
        }
        self.has_date = true;
        let id = table.column(&cfg.id_column);
        let title = table.column(&cfg.title_column);
        let source = table.column(&cfg.source_column);
        let in_block: HashMap<&str, usize> = (table.names.iter().enumerate())
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let extra: Vec<Option<usize>> = (self.extra.iter())
            .map(|&c| in_block.get(self.names[c].as_str()).copied())
            .collect();

        let id_of =
            |row: usize| cell(id, row).unwrap_or_else(|| format!("row{}", table.lines[row]));
        for (row, text) in text.into_iter().enumerate() {
            let line = table.lines[row];
            let at = |col: &str| Location::line(path, line).with_column(col);
            let text = match text {
                Some(t) if !t.trim().is_empty() => t,
                _ if cfg.empty == Empty::Drop => {
                    self.empty.push(format!("{}:{line}", path.display()));
                    continue;
                }
                _ => {
                    return Err(Error::input(
                        at(&cfg.text_column),
                        "the text is empty or null",
                        "give the row its text, remove the row, or pass --empty drop to leave \
                         empty rows out (they are counted in run.json)",
                    ))
                }
            };
            let given = match cell(date, row) {
                Some(d) if !d.trim().is_empty() => Some(parse_date(&d).ok_or_else(|| {
                    Error::input(
                        at(&cfg.date_column),
                        format!("\"{d}\" is not a date"),
                        DATE_HINT,
                    )
                })?),
                _ => match cell(year, row) {
                    Some(y) => Some(parse_year(&y).ok_or_else(|| {
                        Error::input(
                            at(&cfg.year_column),
                            format!("\"{y}\" is not a year"),
                            DATE_HINT,
                        )
                    })?),
                    None => None,
                },
            };
            let doc_id = id_of(row);
            let token = self.documents.len() as u64;
            let (documents, dropped_ids) = (&self.documents, &self.dropped_ids);
            let id_at = |token: u64| match token.checked_sub(DROPPED) {
                Some(d) => dropped_ids[d as usize].clone(),
                None => documents.get(token as usize).id().to_string(),
            };
            if let Some(first) = self.ids.first_use(&doc_id, line, token, id_at) {
                return Err(Error::input(
                    at(&cfg.id_column),
                    format!("the id \"{doc_id}\" is used twice (first on line {first})"),
                    "give every document its own id, or remove the duplicate row",
                ));
            }
            let fields = Fields {
                id: doc_id,
                title: cell(title, row),
                source: cell(source, row).unwrap_or_default(),
                given,
                origin: format!("{}:{line}", path.display()),
                text,
                extra: extra
                    .iter()
                    .map(|c| c.and_then(|c| table.columns[c][row].clone()))
                    .collect(),
            };
            let id = fields.id.clone();
            match document(fields, cfg, self.undated) {
                Some(doc) => self.documents.push(doc),
                None => {
                    self.ids
                        .retoken(&id, DROPPED + self.dropped_ids.len() as u64);
                    self.dropped_ids.push(id);
                }
            }
        }
        Ok(())
    }
}

fn no_text_column(table: &RawTable, path: &Path, cfg: &IngestConfig) -> Error {
    Error::input(
        Location::file(path).with_column(&cfg.text_column),
        format!(
            "no text column \"{}\" (columns: {})",
            cfg.text_column,
            table.name_list()
        ),
        table.header_hint(
            "name the text column with `[ingest] text_column = \"...\"` in the config",
        ),
    )
}

fn no_date_column(table: &RawTable, path: &Path, cfg: &IngestConfig) -> Error {
    Error::input(
        Location::file(path),
        format!(
            "no date column \"{}\" and no year column \"{}\" (columns: {})",
            cfg.date_column,
            cfg.year_column,
            table.name_list()
        ),
        table.header_hint(
            "add a date or year column, or name yours with `[ingest] date_column` / \
             `year_column`",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::Document;

    /// The documents of a JSON lines text read in blocks of `size` bytes, then the
    /// passed-through columns and the rows left out; or the error.
    fn read(text: &str, size: usize) -> std::result::Result<(Vec<Document>, Vec<String>), String> {
        let cfg = IngestConfig {
            empty: Empty::Drop,
            ..IngestConfig::default()
        };
        let path = Path::new("c.jsonl");
        let (mut undated, mut empty) = (Vec::new(), Vec::new());
        let mut rows = Rows::new(path, &cfg, &mut undated, &mut empty);
        let error = |e| Error::io("read", path, e);
        let read =
            super::super::jsonl::read_blocks(text.as_bytes(), path, error, size, |b| rows.add(b))
                .and_then(|_| rows.finish(Vec::new()))
                .map_err(|e| e.to_string())?;
        let left = empty.into_iter().chain(undated.into_iter().map(|u| u.0));
        Ok((
            read.documents.to_rows(),
            read.extra_columns.into_iter().chain(left).collect(),
        ))
    }

    #[test]
    fn text_that_cannot_be_held_is_refused_before_it_is_read() {
        let cfg = IngestConfig::default();
        let (mut undated, mut empty) = (Vec::new(), Vec::new());
        let mut rows = Rows::new(Path::new("c.jsonl"), &cfg, &mut undated, &mut empty);
        assert!(rows.reserve_text(1 << 20).is_ok());
        let e = rows.reserve_text(u64::MAX).unwrap_err();
        assert_eq!(e.exit_code(), 4);
        assert!(
            e.to_string()
                .contains("not enough memory to hold the text of c.jsonl"),
            "{e}"
        );
    }

    #[test]
    fn blocks_of_any_size_give_the_documents_of_the_whole_table() {
        let text = [
            r#"{"id":"a","year":2001,"text":"First post."}"#,
            r#"{"id":"b","text":"No date in this one."}"#,
            r#"{"id":"c","year":2002,"text":"   "}"#,
            r#"{"id":"d","date":"2003-04","text":"Late date column.","lang":"en"}"#,
            r#"{"year":2004,"text":"No id.","tags":["x"]}"#,
            r#"{"id":"e","year":2005,"text":"Last.","lang":null}"#,
        ]
        .join("\n");
        let whole = read(&text, usize::MAX).unwrap();
        assert_eq!(whole.0.len(), 4, "{whole:?}");
        assert_eq!(whole.0[2].id, "row5");
        assert_eq!(whole.0[1].extra, [Some("en".to_string()), None]);
        assert_eq!(whole.0[2].extra, [None, Some(r#"["x"]"#.to_string())]);
        assert_eq!(whole.1, ["lang", "tags", "c.jsonl:3", "c.jsonl:2"]);
        for size in [1, 30, 100, 200] {
            assert_eq!(read(&text, size).unwrap(), whole, "blocks of {size} bytes");
        }
        // An id used twice is found across blocks, also when its first row was left out for
        // want of a date, and the message names the first line.
        for again in ["a", "b"] {
            let twice = format!("{text}\n{{\"id\":\"{again}\",\"year\":2006,\"text\":\"Again.\"}}");
            let first = if again == "a" { 1 } else { 2 };
            for size in [1, 100, usize::MAX] {
                let e = read(&twice, size).unwrap_err();
                assert!(
                    e.contains(&format!(
                        "\"{again}\" is used twice (first on line {first})"
                    )),
                    "{e}"
                );
            }
        }
    }
}
