//! Corpus tables: JSONL, CSV and Parquet files (optionally gzipped), read into a [`RawTable`]
//! of text columns, then one document per row.

use std::io::{BufRead, Cursor, Read};
use std::path::Path;

use polars::prelude::*;

use super::fields::UndatedDoc;
use super::jsonl;
use super::raw::RawTable;
use super::records;
use super::rows::{used_columns, Rows, TableRead};
use super::text::{refuse_binary, utf8_at};
use crate::config::IngestConfig;
use crate::error::{Error, Location, Result};

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

pub(super) fn read_table(
    path: &Path,
    cfg: &IngestConfig,
    undated: &mut Vec<UndatedDoc>,
    empty: &mut Vec<String>,
    texts: Option<&Path>,
) -> Result<TableRead> {
    let format = format_of(path)?;
    let text = super::size::estimate_text_bytes(path, is_gz(path))?;
    super::size::refuse_unless_it_fits(path, text, crate::memory::available())?;
    let used = used_columns(cfg);
    let mut rows = Rows::new(path, cfg, undated, empty);
    match texts {
        Some(file) => rows.write_texts_to(file, text)?,
        None => rows.reserve_text(text)?,
    }
    let left_out = match format {
        TableFormat::JsonLines => {
            let mut input = reader(path)?;
            refuse_binary(input.fill_buf().map_err(decompress_error(path))?, path)?;
            let error = decompress_error(path);
            jsonl::read_blocks(input, path, error, jsonl::BLOCK_BYTES, |b| rows.add(b))?;
            Vec::new()
        }
        TableFormat::Csv => {
            let mut input = reader(path)?;
            refuse_binary(input.fill_buf().map_err(decompress_error(path))?, path)?;
            csv_rows(input, path, &used, &mut rows, jsonl::BLOCK_BYTES)?;
            Vec::new()
        }
        TableFormat::Parquet => parquet_rows(decompressed(path)?, path, &used, &mut rows)?,
    };
    rows.finish(left_out)
}

/// A table handed over in memory (from Python, an Arrow stream) read as a table file is: rows
/// numbered from 1 after `rows_before`, as in a Parquet file, and `name` standing for the file
/// in every message.
pub(super) fn read_frame(
    df: &DataFrame,
    name: &Path,
    rows_before: usize,
    cfg: &IngestConfig,
    undated: &mut Vec<UndatedDoc>,
    empty: &mut Vec<String>,
) -> Result<TableRead> {
    let used = used_columns(cfg);
    let (table, left_out) = frame_to_raw(df, name, &used, |r| rows_before + r + 1)?;
    let mut rows = Rows::new(name, cfg, undated, empty);
    rows.add(table)?;
    rows.finish(left_out)
}

/// A table file's format, from its name.
fn format_of(path: &Path) -> Result<TableFormat> {
    table_format(path).map(|(format, _)| format).ok_or_else(|| {
        Error::input(
            Location::file(path),
            "unknown corpus format",
            "use a directory with manifest.csv, or a .jsonl, .ndjson, .csv or .parquet file \
             (optionally .gz)",
        )
    })
}

fn is_gz(path: &Path) -> bool {
    table_format(path).is_some_and(|(_, gz)| gz)
}

/// A table file's bytes, gunzipped when its name ends in `.gz`.
fn decompressed(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader(path)?
        .read_to_end(&mut bytes)
        .map_err(decompress_error(path))?;
    Ok(bytes)
}

/// A table file's bytes as they are read, gunzipped when its name ends in `.gz`.
fn reader(path: &Path) -> Result<Box<dyn std::io::BufRead>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let file = std::io::BufReader::with_capacity(1 << 20, file);
    Ok(if is_gz(path) {
        Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            flate2::read::MultiGzDecoder::new(file),
        ))
    } else {
        Box::new(file)
    })
}

/// What a failed read of the table file means: a damaged gzip stream, or a read error.
fn decompress_error(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| {
        if is_gz(path) {
            Error::input(
                Location::file(path),
                format!("cannot decompress: {e}"),
                "check that the file is complete and gzip-compressed, or drop the .gz ending",
            )
        } else {
            Error::io("read", path, e)
        }
    }
}

/// Reads a CSV file into `rows` a block of about `block_size` bytes at a time, each block
/// parsed under the header on its own: a table is never held whole, as bytes or as a frame.
fn csv_rows(
    input: impl Read,
    path: &Path,
    used: &[&str],
    rows: &mut Rows,
    block_size: usize,
) -> Result<()> {
    let mut rows_before = 0;
    records::read_blocks(input, decompress_error(path), block_size, |block| {
        let first = rows_before == 0 && block.offset == block.header.len();
        let header = utf8_at(block.header, path, (0, 1))?;
        if first && header.trim_end_matches(['\n', '\r']).contains('\r') {
            return Err(Error::input(
                Location::line(path, 1),
                "the lines end in a carriage return alone (classic Mac OS line ends)",
                "save the table with Unix (LF) or Windows (CRLF) line ends, e.g. \
                 `tr '\\r' '\\n' < in.csv > out.csv`",
            ));
        }
        let body = utf8_at(block.body, path, (block.offset, block.line))?;
        if !first && body.trim().is_empty() {
            return Ok(());
        }
        let at = At {
            rows_before,
            header_lines: block.header.iter().filter(|&&b| b == b'\n').count(),
            line: block.line,
            record_lines: Some(records::record_lines(block.body, block.line)),
        };
        let (table, _) = csv_block(format!("{header}{body}"), path, used, at)?;
        rows_before += table.lines.len();
        rows.add(table)
    })
}

/// Where a block of a CSV file stands: the rows before it, the lines of the header, the line
/// its first record starts on, and the line of each of its records when known.
struct At {
    rows_before: usize,
    header_lines: usize,
    line: usize,
    record_lines: Option<Vec<usize>>,
}

/// A CSV text as a table; the first line is the header. Comma-separated only: a file whose
/// header has semicolons or tabs and no comma is refused with what to do.
pub(super) fn csv_table(
    text: String,
    path: &Path,
    used: &[&str],
) -> Result<(RawTable, Vec<String>)> {
    let header_lines = text.lines().next().map_or(0, |_| 1);
    let at = At {
        rows_before: 0,
        header_lines,
        line: header_lines + 1,
        record_lines: None,
    };
    csv_block(text, path, used, at)
}

/// A block of a CSV file as a table: `text` is the header and the block's records. Row `r`
/// stands on the line its record starts on; without the records' lines (or should polars
/// have read other rows than the records), on line `rows_before + r + 2`, as if no field held
/// a line break.
fn csv_block(text: String, path: &Path, used: &[&str], at: At) -> Result<(RawTable, Vec<String>)> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if body.trim().is_empty() {
        return Err(Error::input(
            Location::file(path),
            "the file is empty",
            "a CSV corpus needs a header line (e.g. `id,date,text`) and one row per document",
        ));
    }
    let header = body.lines().next().unwrap_or("");
    if !header.contains(',') {
        for (sep, name) in [(';', "semicolons"), ('\t', "tabs")] {
            if header.contains(sep) {
                return Err(Error::input(
                    Location::line(path, 1),
                    format!("the columns are separated by {name}, not commas"),
                    "save the table with commas between columns (in a spreadsheet: Save as CSV \
                     with `,` as the field delimiter)",
                ));
            }
        }
    }
    let bytes = body.as_bytes().to_vec();
    let df = guarded("CSV table", || {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(Cursor::new(bytes))
            .finish()
    })
    .map_err(|e| {
        if let Some((line, what)) = first_bad_record(body) {
            // A line of the block's text, the header's lines first, as a line of the file.
            let line = if line > at.header_lines {
                at.line + line - at.header_lines - 1
            } else {
                line
            };
            return Error::input(
                Location::line(path, line),
                what,
                "give every row as many fields as the header; a field with a comma, a quote or \
                 a line break goes in double quotes, with its quotes doubled (\"\")",
            );
        }
        Error::input(
            Location::file(path),
            format!("cannot read the CSV table: {e}"),
            "check that the first line is a header of comma-separated names, that every row has \
             as many fields as the header, and that quotes (\") are closed",
        )
    })?;
    match at.record_lines {
        Some(lines) if lines.len() == df.height() => frame_to_raw(&df, path, used, |r| lines[r]),
        _ => frame_to_raw(&df, path, used, |r| at.rows_before + r + 2),
    }
}

/// Where a CSV text first breaks the rules, for a message once polars has refused it: the line
/// of the first record whose field count differs from the header's, or that is not valid CSV.
fn first_bad_record(text: &str) -> Option<(usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => continue,
            Ok(false) => return None,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                let what = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("this row has {len} field(s), the header {expected_len}"),
                    _ => format!("not valid CSV: {e}"),
                };
                return Some((line, what));
            }
        }
    }
}

/// A Parquet file as a table; rows are numbered from 1.
/// Rows of a Parquet file read at a time: a table of millions of rows goes through ingest a
/// slice at a time, as JSON lines do, never held whole as text.
const PARQUET_ROWS: usize = 1 << 18;

/// Reads a Parquet file [`PARQUET_ROWS`] rows at a time into `rows`; returns the columns left
/// out.
fn parquet_rows(
    bytes: Vec<u8>,
    path: &Path,
    used: &[&str],
    rows: &mut Rows,
) -> Result<Vec<String>> {
    parquet_rows_by(bytes, path, used, rows, PARQUET_ROWS)
}

fn parquet_rows_by(
    bytes: Vec<u8>,
    path: &Path,
    used: &[&str],
    rows: &mut Rows,
    at_a_time: usize,
) -> Result<Vec<String>> {
    let unreadable = |e: String| {
        Error::input(
            Location::file(path),
            format!("not a readable Parquet file: {e}"),
            "check that the file is complete and was written as Parquet, or give it the ending \
             of its real format (.jsonl, .csv)",
        )
    };
    let mut reader = ParquetReader::new(Cursor::new(bytes.as_slice()));
    let metadata =
        guarded("Parquet file", || reader.get_metadata().cloned()).map_err(unreadable)?;
    let mut left_out = Vec::new();
    // Slices end where row groups do, so that no group is decoded twice: a group larger
    // than `at_a_time` is read whole, as the whole file was before.
    let mut slices = Vec::new();
    let (mut first, mut n) = (0, 0);
    for group in &metadata.row_groups {
        n += group.num_rows();
        if n - first >= at_a_time {
            slices.push((first, n - first));
            first = n;
        }
    }
    if n > first || slices.is_empty() {
        slices.push((first, n - first));
    }
    for slice in slices {
        let first = slice.0;
        let df = guarded("Parquet file", || {
            let mut reader = ParquetReader::new(Cursor::new(bytes.as_slice()));
            reader.set_metadata(metadata.clone());
            reader.with_slice(Some(slice)).finish()
        })
        .map_err(unreadable)?;
        let (table, out) = frame_to_raw(&df, path, used, |r| first + r + 1)?;
        rows.add(table)?;
        left_out = out;
    }
    Ok(left_out)
}

/// Runs a polars reader, turning a panic inside it into an error: a malformed file must stop
/// the run with its name, never abort it.
fn guarded<T>(
    what: &str,
    read: impl FnOnce() -> PolarsResult<T>,
) -> std::result::Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(short(&e.to_string())),
        Err(_) => Err(format!("the {what} is malformed (the reader gave up)")),
    }
}

/// The first line of a library's message, at most 300 characters.
fn short(message: &str) -> String {
    let first = message.lines().next().unwrap_or("");
    if first.chars().count() > 300 {
        format!("{}…", first.chars().take(300).collect::<String>())
    } else {
        first.to_string()
    }
}

/// A polars frame as text columns. A column that cannot be text (lists, structs) is left out and
/// named in the returned list when the run does not use it; when it does, the run stops.
fn frame_to_raw(
    df: &DataFrame,
    path: &Path,
    used: &[&str],
    line_of: impl Fn(usize) -> usize,
) -> Result<(RawTable, Vec<String>)> {
    let mut names = Vec::new();
    let mut columns = Vec::new();
    let mut left_out = Vec::new();
    for column in df.columns() {
        let name = column.name().as_str();
        let text = match column.cast(&DataType::String) {
            Ok(t) => t,
            Err(_) if !used.contains(&name) => {
                left_out.push(format!("{name} ({})", column.dtype()));
                continue;
            }
            Err(e) => {
                return Err(Error::input(
                    Location::file(path).with_column(name),
                    format!(
                        "the column holds {} values, which cannot be read as text ({})",
                        column.dtype(),
                        short(&e.to_string())
                    ),
                    "store it as text, a number or a date",
                ))
            }
        };
        let ca = text.str().map_err(|e| Error::Internal(e.to_string()))?;
        names.push(name.to_string());
        columns.push(ca.iter().map(|v| v.map(str::to_string)).collect());
    }
    Ok((
        RawTable {
            names,
            columns,
            lines: (0..df.height()).map(line_of).collect(),
        },
        left_out,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::Document;

    /// The documents, passed-through columns and left-out columns of a Parquet file read
    /// `at_a_time` rows at a time.
    fn read(bytes: &[u8], at_a_time: usize) -> (Vec<Document>, Vec<String>, Vec<String>) {
        let cfg = IngestConfig::default();
        let path = Path::new("c.parquet");
        let (mut undated, mut empty) = (Vec::new(), Vec::new());
        let mut rows = Rows::new(path, &cfg, &mut undated, &mut empty);
        let used = used_columns(&cfg);
        let left_out = parquet_rows_by(bytes.to_vec(), path, &used, &mut rows, at_a_time).unwrap();
        let read = rows.finish(left_out).unwrap();
        (
            read.documents.to_rows(),
            read.extra_columns,
            read.columns_left_out,
        )
    }

    /// The documents and passed-through columns of a CSV file's bytes read `block_size` bytes
    /// at a time, or the error's text.
    fn read_csv(
        bytes: &[u8],
        block_size: usize,
    ) -> std::result::Result<(Vec<Document>, Vec<String>), String> {
        let cfg = IngestConfig::default();
        let path = Path::new("c.csv");
        let (mut undated, mut empty) = (Vec::new(), Vec::new());
        let mut rows = Rows::new(path, &cfg, &mut undated, &mut empty);
        let used = used_columns(&cfg);
        csv_rows(bytes, path, &used, &mut rows, block_size)
            .and_then(|()| rows.finish(Vec::new()))
            .map(|read| (read.documents.to_rows(), read.extra_columns))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_csv_file_read_in_blocks_gives_the_documents_of_the_whole() {
        // Quoted line breaks, doubled quotes, an empty cell and a byte-order mark.
        let text = "\u{feff}id,year,text,label\n\
                    a,2001,\"One,\nand one.\",x\n\
                    b,2002,\"Two \"\"quoted\"\"\nlines.\",\n\
                    c,2003,Three.,z\n\
                    d,2004,Four.,w";
        let whole = read_csv(text.as_bytes(), text.len()).unwrap();
        assert_eq!(whole.0.len(), 4);
        assert_eq!(whole.0[1].text, "Two \"quoted\"\nlines.");
        // Each row is placed on the line its record starts on.
        let origins: Vec<&str> = whole.0.iter().map(|d| d.origin.as_str()).collect();
        assert_eq!(origins, ["c.csv:2", "c.csv:4", "c.csv:6", "c.csv:7"]);
        assert_eq!(whole.1, ["label"]);
        for block_size in 1..=text.len() {
            assert_eq!(
                read_csv(text.as_bytes(), block_size),
                Ok(whole.clone()),
                "{block_size} bytes"
            );
        }
        // Classic Mac OS line ends are named as such.
        let e = read_csv(text.replace('\n', "\r").as_bytes(), 9).unwrap_err();
        assert!(
            e.contains("c.csv:1: the lines end in a carriage return alone"),
            "{e}"
        );
        // A row without text is named at its line, after rows of several lines.
        let e = read_csv(text.replace("Four.", "").as_bytes(), 9).unwrap_err();
        assert!(e.contains("c.csv:7: column \"text\""), "{e}");
        // A row with a field too many, and a byte that is not UTF-8, named by their lines in
        // the file whatever block they fall in.
        let ragged = format!("{text}\ne,2005,Five.,v,extra\n");
        let bad = format!("{text}\nf,2006,Six.,u\n").replace("Six", "S\u{0}ix");
        for block_size in [1, 7, 30, 1 << 20] {
            let e = read_csv(ragged.as_bytes(), block_size).unwrap_err();
            assert!(
                e.contains("c.csv:8:") && e.contains("5 field(s)"),
                "{block_size}: {e}"
            );
            let mut bytes = bad.clone().into_bytes();
            let at = bytes.iter().position(|&b| b == 0).unwrap();
            bytes[at] = 0xff;
            let e = read_csv(&bytes, block_size).unwrap_err();
            assert!(
                e.contains(&format!("c.csv:8: not valid UTF-8 (byte {at} is 0xff)")),
                "{e}"
            );
        }
    }

    #[test]
    fn a_parquet_file_read_in_slices_gives_the_documents_of_the_whole() {
        let mut df = df!(
            "id" => ["a", "b", "c", "d", "e"],
            "year" => [2001i64, 2002, 2003, 2004, 2005],
            "text" => ["One.", "Two.", "Three.", "Four.", "Five."],
            "label" => [Some("x"), None, Some("z"), None, Some("w")],
        )
        .unwrap();
        let mut bytes = Vec::new();
        ParquetWriter::new(&mut bytes)
            .with_row_group_size(Some(1))
            .finish(&mut df)
            .unwrap();
        let reader = &mut ParquetReader::new(Cursor::new(bytes.as_slice()));
        assert_eq!(reader.get_metadata().unwrap().row_groups.len(), 5);
        let whole = read(&bytes, usize::MAX);
        assert_eq!(whole.0.len(), 5);
        assert_eq!(whole.0[3].origin, "c.parquet:4");
        assert_eq!(whole.1, ["label"]);
        for at_a_time in [1, 2, 4, 5] {
            assert_eq!(read(&bytes, at_a_time), whole, "{at_a_time} rows at a time");
        }
    }
}
