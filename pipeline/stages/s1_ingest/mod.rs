//! Stage 1, ingest: reads a corpus into a [`Corpus`]. The only stage that reads input files.
//!
//! Two corpus forms:
//! - a directory of `.txt`/`.md` files with a `manifest.csv` (`file,date,title,source`);
//! - a table file read with polars: `.jsonl`/`.ndjson`, `.csv` or `.parquet`, each optionally
//!   gzip-compressed (`.gz`), with a text column and a date or year column.
//!
//! Every document must have text and a date; a problem stops the run with an error that names
//! the file and line. Nothing is skipped silently.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;

pub mod dates;
mod jsonl;
mod size;
mod table;
mod text;

use table::csv_table;
use text::read_text_file;

use crate::artifacts::{Corpus, DateSource, DocDate, Document};
use crate::config::IngestConfig;
use crate::config::{Empty, Undated};
use crate::error::{Error, Location, Result};

/// File endings a directory corpus reads as documents.
const DOCUMENT_EXTENSIONS: [&str; 2] = ["txt", "md"];
/// Name of the manifest inside a directory corpus.
pub const MANIFEST: &str = "manifest.csv";
const DATE_HINT: &str = "write the date as YYYY-MM-DD, YYYY-MM or YYYY";

/// Reads the corpus at `path` (a directory or a table file).
pub fn ingest(path: &Path, cfg: &IngestConfig) -> Result<Corpus> {
    let meta = std::fs::metadata(path).map_err(|e| Error::corpus_unreadable(path, &e))?;
    let mut undated = Vec::new();
    let mut empty = Vec::new();
    let read = if meta.is_dir() {
        let (documents, extra_columns) = read_directory(path, cfg, &mut undated, &mut empty)?;
        table::TableRead {
            documents,
            extra_columns,
            columns_left_out: Vec::new(),
        }
    } else {
        table::read_table(path, cfg, &mut undated, &mut empty)?
    };
    corpus(path, read, undated, empty, cfg)
}

/// Reads a corpus handed over as a table in memory (from Python: a pyarrow Table, a polars
/// DataFrame, a Spark batch), row by row as a table file is read. `name` stands for the file in
/// messages and in the report; rows are numbered from 1.
pub fn ingest_frame(df: &DataFrame, name: &Path, cfg: &IngestConfig) -> Result<Corpus> {
    let mut undated = Vec::new();
    let mut empty = Vec::new();
    let read = table::read_frame(df, name, 0, cfg, &mut undated, &mut empty)?;
    corpus(name, read, undated, empty, cfg)
}

/// Reads a shard of a table handed over in memory (a partition of a Spark DataFrame): its rows
/// are those after the `rows_before` rows of the shards before it, and are numbered in the
/// whole table (from 1), in messages and in each document's origin, as the whole table read at
/// once numbers them. A shard may hold no rows, or leave every row out.
pub fn ingest_shard(
    df: &DataFrame,
    name: &Path,
    rows_before: usize,
    cfg: &IngestConfig,
) -> Result<Corpus> {
    let mut undated = Vec::new();
    let mut empty = Vec::new();
    let read = table::read_frame(df, name, rows_before, cfg, &mut undated, &mut empty)?;
    check_undated(name, &undated, cfg)?;
    Ok(Corpus {
        path: name.to_path_buf(),
        documents: read.documents,
        dropped_undated: undated.into_iter().map(|(o, _)| o).collect(),
        dropped_empty: empty,
        extra_columns: read.extra_columns,
        columns_left_out: read.columns_left_out,
        text_map: None,
    })
}

/// The corpus of the documents read from `path`, once every document left out is accounted
/// for: undated ones stop the run unless `--undated drop`, and no documents at all stops it.
fn corpus(
    path: &Path,
    read: table::TableRead,
    undated: Vec<UndatedDoc>,
    empty: Vec<String>,
    cfg: &IngestConfig,
) -> Result<Corpus> {
    let table::TableRead {
        documents,
        extra_columns,
        columns_left_out,
    } = read;
    check_undated(path, &undated, cfg)?;
    if documents.is_empty() {
        return Err(Error::input(
            Location::file(path),
            "the corpus has no documents",
            "point --corpus at a directory with a manifest.csv listing its files, or at a \
             .jsonl/.csv/.parquet table with at least one row",
        ));
    }
    Ok(Corpus {
        path: path.to_path_buf(),
        documents,
        dropped_undated: undated.into_iter().map(|(o, _)| o).collect(),
        dropped_empty: empty,
        extra_columns,
        columns_left_out,
        text_map: None,
    })
}

/// Undated documents stop the run unless `--undated drop`: the error lists them.
fn check_undated(path: &Path, undated: &[UndatedDoc], cfg: &IngestConfig) -> Result<()> {
    if !undated.is_empty() && cfg.undated == Undated::Error {
        let list: Vec<String> = undated
            .iter()
            .take(20)
            .map(|(o, why)| format!("    {o}: {why}"))
            .collect();
        let more = undated.len().saturating_sub(20);
        return Err(Error::input(
            Location::file(path),
            format!(
                "{} document(s) have no date, and none could be read from their text with a \
                 confidence of at least {}:\n{}{}",
                undated.len(),
                cfg.min_date_confidence,
                list.join("\n"),
                if more > 0 {
                    format!("\n    … and {more} more")
                } else {
                    String::new()
                }
            ),
            "give them dates in the manifest or table, or pass --undated drop to leave them out \
             (they are counted in run.json)",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Directory + manifest
// ---------------------------------------------------------------------------------------------

/// A document left without a date: where it came from, and why.
type UndatedDoc = (String, String);

/// The date given for a document, or one read from its text when none is given. `None` (and an
/// entry in `undated`) when neither is good enough.
fn date_or_extract(
    given: Option<DocDate>,
    text: &str,
    origin: &str,
    cfg: &IngestConfig,
    undated: &mut Vec<UndatedDoc>,
) -> Option<(DocDate, DateSource)> {
    if let Some(d) = given {
        return Some((d, DateSource::Given));
    }
    match dates::extract(text) {
        Some(f) if f.confidence >= cfg.min_date_confidence => Some((
            f.date,
            DateSource::Extracted {
                evidence: f.evidence,
                confidence: f.confidence,
            },
        )),
        Some(f) => {
            undated.push((
                origin.to_string(),
                format!(
                    "best guess {} from \"{}\" (confidence {})",
                    f.date, f.evidence, f.confidence
                ),
            ));
            None
        }
        None => {
            undated.push((origin.to_string(), "no date in the text".to_string()));
            None
        }
    }
}

fn read_directory(
    dir: &Path,
    cfg: &IngestConfig,
    undated: &mut Vec<UndatedDoc>,
    empty: &mut Vec<String>,
) -> Result<(Vec<Document>, Vec<String>)> {
    let manifest_path = dir.join(MANIFEST);
    if !manifest_path.exists() {
        return Err(Error::input(
            Location::file(&manifest_path),
            "the corpus directory has no manifest",
            "create manifest.csv with the header `file,date,title,source` and one line per \
             document file",
        ));
    }
    let dir_abs = std::fs::canonicalize(dir).map_err(|e| Error::io("resolve", dir, e))?;
    inside_corpus(dir, &dir_abs, MANIFEST, Location::file(&manifest_path))?;
    let manifest_text = read_text_file(&manifest_path)?;
    const COLUMNS: [&str; 4] = ["file", "date", "title", "source"];
    let (table, _) = csv_table(manifest_text, &manifest_path, &COLUMNS)?;
    let required = |name: &str| {
        table.column(name).ok_or_else(|| {
            Error::input(
                Location::file(&manifest_path).with_column(name),
                format!("no column \"{name}\" (columns: {})", table.name_list()),
                table.header_hint("the manifest's header must be `file,date,title,source`"),
            )
        })
    };
    let file_col = required("file")?;
    let date_col = required("date")?;
    let title_col = table.column("title");
    let source_col = table.column("source");
    let extra: Vec<usize> = (0..table.names.len())
        .filter(|&i| !COLUMNS.contains(&table.names[i].as_str()))
        .collect();

    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut documents = Vec::with_capacity(table.lines.len());
    for (row, &line) in table.lines.iter().enumerate() {
        let at = |col: &str| Location::line(&manifest_path, line).with_column(col);
        let file = file_col[row].clone().unwrap_or_default();
        let file = file.trim();
        if file.is_empty() {
            return Err(Error::input(
                at("file"),
                "no file name",
                "name a file of the corpus directory",
            ));
        }
        if let Some(first) = seen.insert(file.to_string(), line) {
            return Err(Error::input(
                at("file"),
                format!("{file} is listed twice (first on line {first})"),
                "keep one line per document",
            ));
        }
        let raw_date = date_col[row].clone().unwrap_or_default();
        let given = if raw_date.trim().is_empty() {
            None
        } else {
            Some(parse_date(&raw_date).ok_or_else(|| {
                Error::input(
                    at("date"),
                    format!("\"{raw_date}\" is not a date"),
                    DATE_HINT,
                )
            })?)
        };
        let path = inside_corpus(dir, &dir_abs, file, at("file"))?;
        let text = read_text_file(&path)?;
        if text.trim().is_empty() {
            if cfg.empty == Empty::Drop {
                empty.push(path.display().to_string());
                continue;
            }
            return Err(Error::input(
                Location::file(&path),
                "the document is empty",
                format!(
                    "add its text, remove it and its line {line} from manifest.csv, or pass \
                     --empty drop to leave empty documents out (they are counted in run.json)"
                ),
            ));
        }
        let origin = path.display().to_string();
        let Some((date, date_source)) = date_or_extract(given, &text, &origin, cfg, undated) else {
            continue;
        };
        let title = cell(title_col, row).unwrap_or_else(|| first_line(&text));
        documents.push(Document {
            id: file.to_string(),
            title,
            source: cell(source_col, row).unwrap_or_default(),
            date,
            date_source,
            origin,
            text: text.into(),
            extra: extra
                .iter()
                .map(|&c| table.columns[c][row].clone())
                .collect(),
        });
    }

    // Every document file in the directory must be listed.
    let listed: BTreeSet<&str> = seen.keys().map(String::as_str).collect();
    for name in document_files(dir)? {
        if !listed.contains(name.as_str()) {
            return Err(Error::input(
                Location::file(dir.join(&name)),
                "this document file is not listed in manifest.csv",
                format!(
                    "add a line `{name},YYYY-MM-DD,title,source` to {}",
                    manifest_path.display()
                ),
            ));
        }
    }
    let extra_names = extra.iter().map(|&c| table.names[c].clone()).collect();
    Ok((documents, extra_names))
}

/// The file a manifest names, as a path under `dir`, once it is known to lie inside the corpus
/// folder: a plain relative path (no `..`, no root), whose target, symlinks followed, is inside
/// `dir_abs` (the folder's own resolved path) and is a file. Anything else is refused at `at`,
/// so that a corpus prepared by someone else cannot make a run read the machine's files.
fn inside_corpus(dir: &Path, dir_abs: &Path, file: &str, at: Location) -> Result<PathBuf> {
    use std::path::Component;
    let rel = Path::new(file);
    let plain = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain {
        return Err(Error::input(
            at,
            format!("\"{file}\" is not a path inside the corpus folder"),
            "name files relative to the corpus folder, without `..` or a leading `/`; copy \
             documents from elsewhere into the folder",
        ));
    }
    let path = dir.join(rel);
    let resolved = match std::fs::canonicalize(&path) {
        Ok(p) => p,
        Err(_) => {
            return Err(Error::input(
                at,
                format!("{file} does not exist in {}", dir.display()),
                "fix the file name, or remove the line",
            ))
        }
    };
    if !resolved.starts_with(dir_abs) {
        return Err(Error::input(
            at,
            format!(
                "{file} is a link that leads outside the corpus folder {}",
                dir.display()
            ),
            "copy the document into the corpus folder instead of linking to it",
        ));
    }
    if !resolved.is_file() {
        return Err(Error::input(
            at,
            format!("{file} is not a file"),
            "name a document file (.txt or .md), or remove the line",
        ));
    }
    Ok(path)
}

fn document_files(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io("list", dir, e))? {
        let entry = entry.map_err(|e| Error::io("list", dir, e))?;
        let path = entry.path();
        let is_doc = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        let is_readme = path
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|s| s.eq_ignore_ascii_case("readme"));
        if is_doc && !is_readme && path.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

/// A year written as `1999`, `1999.0` (CSV floats) or a date string.
fn parse_year(s: &str) -> Option<DocDate> {
    let s = s.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    parse_date(s)
}

/// A date cell: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, or an ISO 8601 timestamp
/// (`2016-12-01T08:00:00Z`, `2021-07-12 23:30:00+08:00`, as scrapers and tz-aware columns write
/// them), whose date is taken as written: the day the writer's clock showed.
fn parse_date(s: &str) -> Option<DocDate> {
    let s = s.trim();
    if let Some(d) = DocDate::parse(s) {
        return Some(d);
    }
    let (date, time) = (s.get(..10)?, s.get(10..)?);
    let mut t = time.chars();
    let sep = t.next()?;
    let clock: String = t.take(5).collect();
    let is_clock = clock.len() == 5
        && clock.as_bytes()[2] == b':'
        && clock
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    if (sep == 'T' || sep == ' ') && is_clock {
        DocDate::parse(date).filter(|d| d.day.is_some())
    } else {
        None
    }
}

fn cell(column: Option<&[Option<String>]>, row: usize) -> Option<String> {
    column
        .and_then(|c| c[row].clone())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn corpus_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }

    fn err_of(dir: &Path) -> String {
        ingest(dir, &IngestConfig::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_manifest_directory() {
        let dir = corpus_dir(&[
            (
                "manifest.csv",
                b"file,date,title,source\na.txt,2016-04-19,A,X\nb.txt,2017,,Y\n",
            ),
            ("a.txt", b"Alpha text."),
            ("b.txt", b"Beta\ntext."),
        ]);
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(c.documents.len(), 2);
        assert_eq!(c.documents[0].date, DocDate::parse("2016-04-19").unwrap());
        assert_eq!(c.documents[1].title, "Beta");
        assert_eq!(c.documents[1].date, DocDate::year(2017));
    }

    #[test]
    fn an_empty_manifest_date_is_read_from_the_text_with_its_evidence() {
        let dir = corpus_dir(&[
            ("manifest.csv", b"file,date,title,source\na.txt,,A,X\n"),
            (
                "a.txt",
                "Title\nPublished: Jul 12, 2021 08:08 PM\nBody.".as_bytes(),
            ),
        ]);
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(c.documents[0].date, DocDate::parse("2021-07-12").unwrap());
        match &c.documents[0].date_source {
            DateSource::Extracted {
                evidence,
                confidence,
            } => {
                assert!(evidence.starts_with("Published: Jul 12, 2021"));
                assert_eq!(*confidence, 0.95);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn undated_documents_stop_the_run_or_are_dropped_and_counted() {
        let files: [(&str, &[u8]); 3] = [
            ("manifest.csv", b"file,date\na.txt,2020\nb.txt,\n"),
            ("a.txt", b"Dated text."),
            ("b.txt", b"No date anywhere in here."),
        ];
        let dir = corpus_dir(&files);
        let e = err_of(dir.path());
        assert!(
            e.contains("1 document(s) have no date") && e.contains("b.txt: no date in the text"),
            "{e}"
        );
        assert!(e.contains("--undated drop"), "{e}");
        let cfg = IngestConfig {
            undated: Undated::Drop,
            ..IngestConfig::default()
        };
        let c = ingest(dir.path(), &cfg).unwrap();
        assert_eq!(c.documents.len(), 1);
        assert_eq!(c.dropped_undated.len(), 1);
        assert!(c.dropped_undated[0].ends_with("b.txt"));
    }

    #[test]
    fn empty_documents_stop_the_run_at_their_line_or_are_dropped_and_counted() {
        let table = corpus_dir(&[(
            "t.jsonl",
            b"{\"text\": \"One.\", \"year\": 2020}\n{\"text\": \"  \", \"year\": 2021}\n\
              {\"text\": null, \"year\": 2021}\n{\"text\": \"Four.\", \"year\": 2022}\n",
        )]);
        let path = table.path().join("t.jsonl");
        let e = err_of(&path);
        assert!(
            e.contains("t.jsonl:2") && e.contains("the text is empty or null"),
            "{e}"
        );
        assert!(e.contains("--empty drop"), "{e}");
        let cfg = IngestConfig {
            empty: Empty::Drop,
            ..IngestConfig::default()
        };
        let c = ingest(&path, &cfg).unwrap();
        assert_eq!(c.documents.len(), 2);
        assert_eq!(c.documents[1].text, "Four.");
        let lines: Vec<&str> = c.dropped_empty.iter().map(|o| &o[o.len() - 2..]).collect();
        assert_eq!(lines, [":2", ":3"], "{:?}", c.dropped_empty);

        // A directory corpus: an empty file.
        let files: [(&str, &[u8]); 3] = [
            ("manifest.csv", b"file,date\na.txt,2020\nb.txt,2021\n"),
            ("a.txt", b"Some text."),
            ("b.txt", b"\n \n"),
        ];
        let dir = corpus_dir(&files);
        let e = err_of(dir.path());
        assert!(e.contains("b.txt") && e.contains("--empty drop"), "{e}");
        let c = ingest(dir.path(), &cfg).unwrap();
        assert_eq!(c.documents.len(), 1);
        assert!(c.dropped_empty[0].ends_with("b.txt"));
    }

    #[test]
    fn missing_manifest_entry_names_the_file() {
        let dir = corpus_dir(&[
            (
                "manifest.csv",
                b"file,date,title,source\na.txt,2016-04-19,A,X\n",
            ),
            ("a.txt", b"Alpha."),
            ("c.txt", b"Gamma."),
        ]);
        let e = err_of(dir.path());
        assert!(
            e.contains("c.txt") && e.contains("not listed in manifest.csv"),
            "{e}"
        );
    }

    #[test]
    fn bad_date_names_line_and_column() {
        let dir = corpus_dir(&[
            (
                "manifest.csv",
                b"file,date,title,source\na.txt,2016-04-19,A,X\nb.txt,2021-13-01,B,Y\n",
            ),
            ("a.txt", b"Alpha."),
            ("b.txt", b"Beta."),
        ]);
        let e = err_of(dir.path());
        assert!(e.contains("manifest.csv:3: column \"date\""), "{e}");
        assert!(e.contains("\"2021-13-01\" is not a date"), "{e}");
        assert!(e.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn non_utf8_file_names_the_line() {
        let dir = corpus_dir(&[
            ("manifest.csv", b"file,date,title,source\na.txt,2016,A,X\n"),
            ("a.txt", b"line one\nline two caf\xe9\n"),
        ]);
        let e = err_of(dir.path());
        assert!(
            e.contains("a.txt:2") && e.contains("not valid UTF-8"),
            "{e}"
        );
        assert!(e.contains("iconv"), "{e}");
    }

    #[test]
    fn listed_file_that_does_not_exist() {
        let dir = corpus_dir(&[("manifest.csv", b"file,date\nghost.txt,2016\n")]);
        let e = err_of(dir.path());
        assert!(
            e.contains("manifest.csv:2") && e.contains("ghost.txt does not exist"),
            "{e}"
        );
    }

    #[test]
    fn empty_corpus_is_an_error() {
        let dir = corpus_dir(&[("manifest.csv", b"file,date,title,source\n")]);
        let e = err_of(dir.path());
        assert!(e.contains("no documents"), "{e}");
        let table = corpus_dir(&[("empty.csv", b"text,year\n")]);
        let e = err_of(&table.path().join("empty.csv"));
        assert!(e.contains("no documents"), "{e}");
    }

    #[test]
    fn jsonl_gz_with_year_fallback() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(
            b"{\"id\":\"a\",\"date\":null,\"year\":1999,\"text\":\"One.\"}\n{\"id\":\"b\",\"date\":\"2001-02\",\"year\":2001,\"text\":\"Two.\"}\n",
        )
        .unwrap();
        fs::write(&path, gz.finish().unwrap()).unwrap();
        let c = ingest(&path, &IngestConfig::default()).unwrap();
        assert_eq!(c.documents[0].date, DocDate::year(1999));
        assert_eq!(c.documents[1].date, DocDate::parse("2001-02").unwrap());
        assert_eq!(c.documents[1].id, "b");
        assert!(c.extra_columns.is_empty());
    }

    #[test]
    fn other_columns_pass_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        fs::write(
            &path,
            "{\"id\":\"a\",\"year\":1999,\"label\":\"sport\",\"n\":3,\"text\":\"One.\"}\n\
             {\"id\":\"b\",\"year\":2001,\"label\":null,\"n\":4,\"text\":\"Two.\"}\n",
        )
        .unwrap();
        let c = ingest(&path, &IngestConfig::default()).unwrap();
        assert_eq!(c.extra_columns, ["label", "n"]);
        assert_eq!(
            c.documents[0].extra,
            [Some("sport".into()), Some("3".into())]
        );
        assert_eq!(c.documents[1].extra, [None, Some("4".into())]);
        let dir = corpus_dir(&[
            ("manifest.csv", b"file,date,label\na.txt,2020,politics\n"),
            ("a.txt", b"Some text."),
        ]);
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(c.extra_columns, ["label"]);
        assert_eq!(c.documents[0].extra, [Some("politics".into())]);
    }

    #[test]
    fn missing_text_column_lists_columns() {
        let dir = corpus_dir(&[("c.csv", b"body,year\nhello,2001\n")]);
        let e = err_of(&dir.path().join("c.csv"));
        assert!(
            e.contains("column \"text\"") && e.contains("columns: body, year"),
            "{e}"
        );
        assert!(e.contains("text_column"), "{e}");
    }

    #[test]
    fn table_row_without_text_or_bad_year_names_the_line() {
        let dir = corpus_dir(&[("c.csv", b"text,year\nhello,2001\n,2002\n")]);
        let e = err_of(&dir.path().join("c.csv"));
        assert!(e.contains("c.csv:3: column \"text\""), "{e}");
        let dir = corpus_dir(&[("c.csv", b"text,year\nhello,2001\nworld,20x2\n")]);
        let e = err_of(&dir.path().join("c.csv"));
        assert!(
            e.contains("c.csv:3: column \"year\"") && e.contains("20x2"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_files_inside_the_corpus_folder_are_read() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "top secret 2020").unwrap();
        fs::create_dir_all(outside.path().join("sub")).unwrap();
        fs::write(outside.path().join("sub/doc.txt"), "secret too").unwrap();
        let secret = outside.path().join("secret.txt");
        let secret = secret.to_str().unwrap();
        for (row, why) in [
            (
                "../secret.txt".to_string(),
                "not a path inside the corpus folder",
            ),
            (
                "../../secret.txt".to_string(),
                "not a path inside the corpus folder",
            ),
            (
                "/etc/passwd".to_string(),
                "not a path inside the corpus folder",
            ),
            (secret.to_string(), "not a path inside the corpus folder"),
            ("link.txt".to_string(), "leads outside the corpus folder"),
            (
                "linked/doc.txt".to_string(),
                "leads outside the corpus folder",
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(
                outside.path().join("secret.txt"),
                dir.path().join("link.txt"),
            )
            .unwrap();
            std::os::unix::fs::symlink(outside.path().join("sub"), dir.path().join("linked"))
                .unwrap();
            fs::write(dir.path().join("ok.txt"), "fine 2020").unwrap();
            fs::write(
                dir.path().join("manifest.csv"),
                format!("file,date\nok.txt,2020\n{row},2020\n"),
            )
            .unwrap();
            let e = ingest(dir.path(), &IngestConfig::default()).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{row}: {e}");
            let e = e.to_string();
            assert!(e.contains("manifest.csv:3: column \"file\""), "{row}: {e}");
            assert!(e.contains(why), "{row}: {e}");
            assert!(!e.contains("top secret"), "{e}");
        }
        // A link that stays inside the folder is followed.
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("texts")).unwrap();
        fs::write(dir.path().join("texts/a.txt"), "inside 2020").unwrap();
        std::os::unix::fs::symlink(dir.path().join("texts/a.txt"), dir.path().join("a.txt"))
            .unwrap();
        fs::write(dir.path().join("manifest.csv"), "file,date\na.txt,2020\n").unwrap();
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(c.documents[0].text, "inside 2020");
    }

    #[test]
    fn nested_and_list_columns_pass_through_as_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        fs::write(
            &path,
            "{\"year\":1946,\"text\":\"One.\",\"meta\":{\"country_iso3\":\"ARG\",\"session\":1},\"tags\":[\"a\",\"b\"],\"big\":1e400}\n",
        )
        .unwrap();
        let c = ingest(&path, &IngestConfig::default()).unwrap();
        assert_eq!(c.extra_columns, ["meta", "tags", "big"]);
        assert_eq!(
            c.documents[0].extra,
            [
                Some(r#"{"country_iso3":"ARG","session":1}"#.into()),
                Some(r#"["a","b"]"#.into()),
                Some("1e400".into())
            ]
        );
    }

    #[test]
    fn a_document_id_used_twice_names_both_lines() {
        let dir = corpus_dir(&[(
            "c.jsonl",
            b"{\"id\":\"a\",\"year\":2001,\"text\":\"One.\"}\n{\"id\":\"b\",\"year\":2001,\"text\":\"Two.\"}\n{\"id\":\"a\",\"year\":2002,\"text\":\"Three.\"}\n",
        )]);
        let e = err_of(&dir.path().join("c.jsonl"));
        assert!(
            e.contains("c.jsonl:3: column \"id\"")
                && e.contains("\"a\" is used twice (first on line 1)"),
            "{e}"
        );
    }

    #[test]
    fn unreadable_tables_are_input_errors_that_say_what_to_do() {
        let cases: [(&str, &[u8], &str); 8] = [
            ("e.jsonl", b"", "no rows"),
            ("e.csv", b"", "the file is empty"),
            ("s.csv", b"text;year\nhello;2001\n", "separated by semicolons"),
            (
                "g.csv",
                b"text,year\n\"hello, world\",2001\nbad \"quote,2002,extra\n",
                "g.csv:3: this row has 3 field(s), the header 2",
            ),
            ("t.csv", b"text\tyear\nhello\t2001\n", "separated by tabs"),
            ("r.parquet", b"PAR1\x00\x13\x99garbage bytes here", "not a readable Parquet file"),
            ("a.jsonl", b"[\"text\", 2001]\n", "a.jsonl:1:"),
            (
                "h.csv",
                b"The first line of a long article that nobody gave a header to at all,2001\nmore,2002\n",
                "add a header line",
            ),
        ];
        for (name, bytes, expect) in cases {
            let dir = corpus_dir(&[(name, bytes)]);
            let e = ingest(&dir.path().join(name), &IngestConfig::default()).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{name}: {e}");
            let text = e.to_string();
            assert!(text.contains(expect), "{name}: {text}");
            assert!(text.contains(name), "{name}: {text}");
            assert!(text.len() < 700, "{name}: {text}");
        }
    }

    #[test]
    fn timestamps_and_tz_aware_columns_give_the_writers_date() {
        let dir = corpus_dir(&[(
            "c.jsonl",
            b"{\"date\":\"2016-12-01T23:30:00-05:00\",\"text\":\"One.\"}\n{\"date\":\"2017-01-02 08:00:00Z\",\"text\":\"Two.\"}\n",
        )]);
        let c = ingest(&dir.path().join("c.jsonl"), &IngestConfig::default()).unwrap();
        assert_eq!(c.documents[0].date, DocDate::parse("2016-12-01").unwrap());
        assert_eq!(c.documents[1].date, DocDate::parse("2017-01-02").unwrap());
        assert!(parse_date("2016-12-01Tnonsense").is_none());
        assert!(parse_date("2016-12T08:00").is_none());

        // A Parquet datetime column with a time zone: 2021-07-12 23:30 in Shanghai is
        // 15:30 UTC the same day; 2021-07-12 20:00 in New York is 00:00 UTC the next day.
        for (tz, utc_ms, day) in [
            ("Asia/Shanghai", 1_626_103_800_000i64, "2021-07-12"),
            ("America/New_York", 1_626_134_400_000, "2021-07-12"),
            ("UTC", 1_626_134_400_000, "2021-07-13"),
        ] {
            let zone = TimeZone::opt_try_new(Some(tz)).unwrap();
            let mut df = df!("text" => ["An evening."], "date" => [utc_ms]).unwrap();
            df.apply("date", |c| {
                c.cast(&DataType::Datetime(TimeUnit::Milliseconds, zone.clone()))
                    .unwrap()
            })
            .unwrap();
            let path = dir.path().join("tz.parquet");
            let mut out = std::fs::File::create(&path).unwrap();
            ParquetWriter::new(&mut out).finish(&mut df).unwrap();
            let c = ingest(&path, &IngestConfig::default()).unwrap();
            assert_eq!(c.documents[0].date, DocDate::parse(day).unwrap(), "{tz}");
        }
    }
}
