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
use std::io::{Cursor, Read};
use std::path::Path;

use polars::prelude::*;

pub mod dates;

use crate::artifacts::{Corpus, DateSource, DocDate, Document};
use crate::config::IngestConfig;
use crate::config::Undated;
use crate::error::{Error, Location, Result};

/// File endings a directory corpus reads as documents.
const DOCUMENT_EXTENSIONS: [&str; 2] = ["txt", "md"];
/// Name of the manifest inside a directory corpus.
pub const MANIFEST: &str = "manifest.csv";
const DATE_HINT: &str = "write the date as YYYY-MM-DD, YYYY-MM or YYYY";

/// Reads the corpus at `path` (a directory or a table file).
pub fn ingest(path: &Path, cfg: &IngestConfig) -> Result<Corpus> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::input(
            Location::file(path),
            format!("cannot open the corpus: {e}"),
            "check the path given to --corpus (a directory with manifest.csv, or a table file)",
        )
    })?;
    let mut undated = Vec::new();
    let (documents, extra_columns) = if meta.is_dir() {
        read_directory(path, cfg, &mut undated)?
    } else {
        read_table(path, cfg, &mut undated)?
    };
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
        extra_columns,
    })
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
    let bytes = std::fs::read(&manifest_path).map_err(|e| Error::io("read", &manifest_path, e))?;
    let manifest_text = utf8(bytes, &manifest_path)?;
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(Cursor::new(manifest_text.into_bytes()))
        .finish()
        .map_err(|e| Error::table("read", &manifest_path, e))?;

    let file_col = string_column(&df, "file", &manifest_path, true)?.unwrap_or_default();
    let date_col = string_column(&df, "date", &manifest_path, true)?.unwrap_or_default();
    let title_col = string_column(&df, "title", &manifest_path, false)?;
    let source_col = string_column(&df, "source", &manifest_path, false)?;
    let (extra_names, extra_cols) =
        extra_columns(&df, &["file", "date", "title", "source"], &manifest_path)?;

    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut documents = Vec::with_capacity(df.height());
    for row in 0..df.height() {
        let line = row + 2; // header is line 1
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
            Some(DocDate::parse(&raw_date).ok_or_else(|| {
                Error::input(
                    at("date"),
                    format!("\"{raw_date}\" is not a date"),
                    DATE_HINT,
                )
            })?)
        };
        let path = dir.join(file);
        if !path.is_file() {
            return Err(Error::input(
                at("file"),
                format!("{file} does not exist in {}", dir.display()),
                "fix the file name, or remove the line",
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        let text = utf8(bytes, &path)?;
        if text.trim().is_empty() {
            return Err(Error::input(
                Location::file(&path),
                "the document is empty",
                format!("add its text, or remove it and its line {line} from manifest.csv"),
            ));
        }
        let origin = path.display().to_string();
        let Some((date, date_source)) = date_or_extract(given, &text, &origin, cfg, undated) else {
            continue;
        };
        let title = cell(&title_col, row).unwrap_or_else(|| first_line(&text));
        documents.push(Document {
            id: file.to_string(),
            title,
            source: cell(&source_col, row).unwrap_or_default(),
            date,
            date_source,
            origin,
            text,
            extra: extra_cols.iter().map(|c| c[row].clone()).collect(),
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
    Ok((documents, extra_names))
}

/// Names of the input's other columns, and their values by row.
type ExtraColumns = (Vec<String>, Vec<Vec<Option<String>>>);

/// The columns of `df` not among `used`, as text, in input order.
fn extra_columns(df: &DataFrame, used: &[&str], path: &Path) -> Result<ExtraColumns> {
    let mut names = Vec::new();
    let mut columns = Vec::new();
    for name in df.get_column_names() {
        if used.contains(&name.as_str()) {
            continue;
        }
        if let Some(c) = string_column(df, name.as_str(), path, false)? {
            names.push(name.to_string());
            columns.push(c);
        }
    }
    Ok((names, columns))
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

/// Decodes UTF-8, or names the line and byte of the first invalid sequence.
fn utf8(bytes: Vec<u8>, path: &Path) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::input(
            Location::line(path, line),
            format!("not valid UTF-8 (byte {bad} is 0x{:02x})", bytes[bad]),
            "convert the file to UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in > out`",
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TableFormat {
    JsonLines,
    Csv,
    Parquet,
}

fn table_format(path: &Path) -> Option<(TableFormat, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (name, gz) = match name.strip_suffix(".gz") {
        Some(n) => (n.to_string(), true),
        None => (name, false),
    };
    let format = match Path::new(&name).extension()?.to_str()? {
        "jsonl" | "ndjson" => TableFormat::JsonLines,
        "csv" => TableFormat::Csv,
        "parquet" => TableFormat::Parquet,
        _ => return None,
    };
    Some((format, gz))
}

fn read_table(
    path: &Path,
    cfg: &IngestConfig,
    undated: &mut Vec<UndatedDoc>,
) -> Result<(Vec<Document>, Vec<String>)> {
    let (format, gz) = table_format(path).ok_or_else(|| {
        Error::input(
            Location::file(path),
            "unknown corpus format",
            "use a directory with manifest.csv, or a .jsonl, .ndjson, .csv or .parquet file \
             (optionally .gz)",
        )
    })?;
    let raw = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let bytes = if gz {
        let mut out = Vec::with_capacity(raw.len() * 4);
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| {
                Error::input(
                    Location::file(path),
                    format!("cannot decompress: {e}"),
                    "check that the file is complete and gzip-compressed, or drop the .gz ending",
                )
            })?;
        out
    } else {
        raw
    };
    // Line of row `r` in the file, for messages; parquet has no lines, so rows count from 1.
    let line_of = move |r: usize| match format {
        TableFormat::JsonLines => r + 1,
        TableFormat::Csv => r + 2,
        TableFormat::Parquet => r + 1,
    };
    if format != TableFormat::Parquet {
        if let Err(e) = std::str::from_utf8(&bytes) {
            let bad = e.valid_up_to();
            let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(Error::input(
                Location::line(path, line),
                format!("not valid UTF-8 (byte {bad} is 0x{:02x})", bytes[bad]),
                "convert the file to UTF-8",
            ));
        }
    }
    let cursor = Cursor::new(bytes);
    let df = match format {
        TableFormat::JsonLines => JsonReader::new(cursor)
            .with_json_format(JsonFormat::JsonLines)
            .infer_schema_len(None)
            .finish(),
        TableFormat::Csv => CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(cursor)
            .finish(),
        TableFormat::Parquet => ParquetReader::new(cursor).finish(),
    }
    .map_err(|e| Error::table("read", path, e))?;

    let text = string_column(&df, &cfg.text_column, path, false)?.ok_or_else(|| {
        Error::input(
            Location::file(path).with_column(&cfg.text_column),
            format!(
                "no text column \"{}\" (columns: {})",
                cfg.text_column,
                column_list(&df)
            ),
            "name the text column with `[ingest] text_column = \"...\"` in the config",
        )
    })?;
    let date = string_column(&df, &cfg.date_column, path, false)?;
    let year = string_column(&df, &cfg.year_column, path, false)?;
    if date.is_none() && year.is_none() {
        return Err(Error::input(
            Location::file(path),
            format!(
                "no date column \"{}\" and no year column \"{}\" (columns: {})",
                cfg.date_column,
                cfg.year_column,
                column_list(&df)
            ),
            "add a date or year column, or name yours with `[ingest] date_column` / `year_column`",
        ));
    }
    let id = string_column(&df, &cfg.id_column, path, false)?;
    let title = string_column(&df, &cfg.title_column, path, false)?;
    let source = string_column(&df, &cfg.source_column, path, false)?;
    let used = [
        cfg.text_column.as_str(),
        cfg.date_column.as_str(),
        cfg.year_column.as_str(),
        cfg.id_column.as_str(),
        cfg.title_column.as_str(),
        cfg.source_column.as_str(),
    ];
    let (extra_names, extra_cols) = extra_columns(&df, &used, path)?;

    let mut documents = Vec::with_capacity(df.height());
    for (row, text) in text.into_iter().enumerate() {
        let line = line_of(row);
        let at = |col: &str| Location::line(path, line).with_column(col);
        let text = match text {
            Some(t) if !t.trim().is_empty() => t,
            _ => {
                return Err(Error::input(
                    at(&cfg.text_column),
                    "the text is empty or null",
                    "give the row its text, or remove the row",
                ))
            }
        };
        let given = match cell(&date, row) {
            Some(d) if !d.trim().is_empty() => Some(DocDate::parse(&d).ok_or_else(|| {
                Error::input(
                    at(&cfg.date_column),
                    format!("\"{d}\" is not a date"),
                    DATE_HINT,
                )
            })?),
            _ => match cell(&year, row) {
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
        let origin = format!("{}:{line}", path.display());
        let Some((date, date_source)) = date_or_extract(given, &text, &origin, cfg, undated) else {
            continue;
        };
        documents.push(Document {
            id: cell(&id, row).unwrap_or_else(|| format!("row{line}")),
            title: cell(&title, row).unwrap_or_else(|| first_line(&text)),
            source: cell(&source, row).unwrap_or_default(),
            date,
            date_source,
            origin,
            text,
            extra: extra_cols.iter().map(|c| c[row].clone()).collect(),
        });
    }
    Ok((documents, extra_names))
}

/// A year written as `1999`, `1999.0` (CSV floats) or a date string.
fn parse_year(s: &str) -> Option<DocDate> {
    let s = s.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    DocDate::parse(s)
}

fn column_list(df: &DataFrame) -> String {
    df.get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The column as strings (casting numbers and dates), `None` when it is absent and optional.
fn string_column(
    df: &DataFrame,
    name: &str,
    path: &Path,
    required: bool,
) -> Result<Option<Vec<Option<String>>>> {
    let Ok(column) = df.column(name) else {
        if required {
            return Err(Error::input(
                Location::file(path).with_column(name),
                format!("no column \"{name}\" (columns: {})", column_list(df)),
                "the manifest's header must be `file,date,title,source`",
            ));
        }
        return Ok(None);
    };
    let cast = column.cast(&DataType::String).map_err(|e| {
        Error::input(
            Location::file(path).with_column(name),
            format!("cannot read the column as text: {e}"),
            "store it as text, a number or a date",
        )
    })?;
    let ca = cast.str().map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Some(ca.iter().map(|v| v.map(str::to_string)).collect()))
}

fn cell(column: &Option<Vec<Option<String>>>, row: usize) -> Option<String> {
    column
        .as_ref()
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
}
