//! JSON lines, read with serde_json one line at a time (lines in parallel), so that every
//! problem is placed at its line and character, and no value the run does not use can stop it.
//!
//! Each non-blank line must be one JSON object. A field's value becomes text: a string as it
//! is, a number or `true`/`false` as written (so `1e400` or a 30-digit id pass through
//! unchanged), `null` as missing, and an object or array as its JSON text with its keys (so
//! UNGD's `meta` reaches `documents.csv` as `{"country_iso3":"ARG","session":1}`). Values are
//! captured as raw text, which serde_json skips without recursion: a field nested 10,000 deep
//! is as harmless as a flat one.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use rayon::prelude::*;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::raw::RawTable;
use crate::error::{Error, Location, Result};

/// One line's fields, in the order written.
type Fields = Vec<(String, Option<String>)>;

/// Lines are parsed in blocks of about this many bytes, so that the file is never in memory
/// whole beside its table (a 1 GB corpus was 2 GB at ingest's peak).
pub const BLOCK_BYTES: usize = 32 << 20;

/// Reads JSON lines into named text columns, with the line of every row. `input` is read a
/// block at a time; `read_error` says what a failed read means (a truncated gzip stream, say).
#[cfg(test)]
pub fn read(
    input: impl BufRead,
    path: &Path,
    read_error: impl Fn(std::io::Error) -> Error,
) -> Result<RawTable> {
    let mut table = RawTable::default();
    read_blocks(input, path, read_error, BLOCK_BYTES, |block| {
        table.append(block);
        Ok(())
    })?;
    Ok(table)
}

/// Reads JSON lines a block of about `block_size` bytes at a time, and hands each block's
/// rows to `sink` as a table of its own: its columns are the fields its lines use, in the
/// order first seen. Only one block is ever held, so that a table is never in memory whole
/// (ten million posts held as one table took 3 GB at ingest's peak).
pub fn read_blocks(
    mut input: impl BufRead,
    path: &Path,
    read_error: impl Fn(std::io::Error) -> Error,
    block_size: usize,
    mut sink: impl FnMut(RawTable) -> Result<()>,
) -> Result<()> {
    let mut block: Vec<(usize, String)> = Vec::new();
    let mut block_bytes = 0;
    let (mut number, mut offset) = (0usize, 0usize);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = input.read_until(b'\n', &mut buf).map_err(&read_error)?;
        if n == 0 {
            break;
        }
        number += 1;
        let mut line = String::from_utf8(std::mem::take(&mut buf)).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            super::text::not_utf8(path, number, offset + at, e.as_bytes()[at])
        })?;
        offset += n;
        if line.ends_with('\n') {
            line.pop();
        }
        if line.ends_with('\r') {
            line.pop();
        }
        if number == 1 && line.starts_with('\u{feff}') {
            line.drain(..'\u{feff}'.len_utf8());
        }
        if line.trim().is_empty() {
            continue;
        }
        block_bytes += line.len();
        block.push((number, line));
        if block_bytes >= block_size {
            sink(parse_block(std::mem::take(&mut block), path)?)?;
            block_bytes = 0;
        }
    }
    if !block.is_empty() {
        sink(parse_block(block, path)?)?;
    }
    Ok(())
}

/// Parses a block of lines (in parallel) into a table of their own.
fn parse_block(block: Vec<(usize, String)>, path: &Path) -> Result<RawTable> {
    let parsed: Vec<Fields> = block
        .par_iter()
        .map(|(number, line)| parse_line(line).map_err(|e| e.at(path, *number)))
        .collect::<Result<_>>()?;
    let mut table = RawTable {
        lines: block.iter().map(|&(n, _)| n).collect(),
        ..RawTable::default()
    };
    drop(block);
    let mut index: HashMap<String, usize> = HashMap::new();
    let columns = &mut table.columns;
    for (row, fields) in parsed.into_iter().enumerate() {
        for (name, value) in fields {
            let c = *index.entry(name.clone()).or_insert_with(|| {
                table.names.push(name);
                columns.push(vec![None; row]);
                columns.len() - 1
            });
            columns[c].push(value);
        }
        for column in columns.iter_mut() {
            if column.len() == row {
                column.push(None); // the field is absent from this line
            }
        }
    }
    Ok(table)
}

/// What is wrong with a line, and where in it (1-based character), before the line is known.
struct LineError {
    column: Option<usize>,
    message: String,
    hint: &'static str,
}

impl LineError {
    fn at(self, path: &Path, line: usize) -> Error {
        let location = Location::line(path, line);
        let location = match self.column {
            Some(c) => location.at_position(c),
            None => location,
        };
        Error::input(location, self.message, self.hint)
    }
}

const HINT: &str =
    "write one JSON object a line, e.g. {\"date\": \"2021-07-12\", \"text\": \"…\"}; \
                    check that quotes and brackets are closed and there is no trailing comma";

fn parse_line(line: &str) -> std::result::Result<Fields, LineError> {
    let syntax = |e: serde_json::Error| LineError {
        column: Some(e.column().max(1)),
        message: format!("not a JSON object: {}", strip_position(&e)),
        hint: HINT,
    };
    let start = line.len() - line.trim_start().len();
    let what = match line[start..].chars().next() {
        Some('{') => None,
        Some('[') => Some("an array ([…])"),
        Some('"') => Some("a string"),
        Some(c) if c == '-' || c.is_ascii_digit() => Some("a number"),
        _ => Some("not JSON"),
    };
    if let Some(what) = what {
        return Err(LineError {
            column: Some(line[..start].chars().count() + 1),
            message: format!("the line is {what}; each line must be one JSON object ({{…}})"),
            hint: HINT,
        });
    }
    let mut de = serde_json::Deserializer::from_str(line);
    let fields = de.deserialize_map(ObjectVisitor).map_err(syntax)?;
    de.end().map_err(syntax)?;
    let mut seen = HashMap::with_capacity(fields.len());
    for (i, (name, _)) in fields.iter().enumerate() {
        if let Some(_first) = seen.insert(name.as_str(), i) {
            return Err(LineError {
                column: None,
                message: format!("the field \"{name}\" appears twice"),
                hint: "keep one value for each field of a line",
            });
        }
    }
    fields
        .into_iter()
        .map(|(name, raw)| Ok((name, value_text(&raw)?)))
        .collect()
}

/// serde_json's message without its own "at line 1 column N", which the location says better.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A raw JSON value as the text a column holds.
fn value_text(raw: &RawValue) -> std::result::Result<Option<String>, LineError> {
    let json = raw.get();
    Ok(match json.as_bytes().first() {
        Some(b'n') => None,
        Some(b'"') => Some(serde_json::from_str::<String>(json).map_err(|e| LineError {
            column: None,
            message: format!("a string that cannot be read: {e}"),
            hint: HINT,
        })?),
        _ => Some(json.to_string()),
    })
}

/// Accepts a JSON object and keeps each field's raw value; anything else is an error that says
/// what the line is instead.
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = RawFields;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object ({…}) for each line")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<RawFields, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(key) = map.next_key::<String>()? {
            let value: Box<RawValue> = map.next_value()?;
            fields.push((key, value));
        }
        Ok(fields)
    }
}

/// A line's fields with their values still as raw JSON.
type RawFields = Vec<(String, Box<RawValue>)>;

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Result<RawTable> {
        read(text.as_bytes(), Path::new("c.jsonl"), |e| {
            Error::io("read", Path::new("c.jsonl"), e)
        })
    }

    fn err(text: &str) -> String {
        let e = table(text).err().expect("an error");
        assert_eq!(e.exit_code(), 3, "{e}");
        e.to_string()
    }

    #[test]
    fn fields_become_text_columns_in_first_seen_order() {
        let t = table(
            "{\"text\":\"a\",\"n\":1e400,\"meta\":{\"country_iso3\":\"ARG\",\"session\":1}}\n\
             \n\
             {\"tags\":[\"a\",\"b\"],\"text\":\"b\",\"n\":null}\r\n",
        )
        .unwrap();
        assert_eq!(t.names, ["text", "n", "meta", "tags"]);
        assert_eq!(t.lines, [1, 3]);
        assert_eq!(t.columns[0], [Some("a".into()), Some("b".into())]);
        assert_eq!(t.columns[1], [Some("1e400".into()), None]);
        assert_eq!(
            t.columns[2],
            [Some(r#"{"country_iso3":"ARG","session":1}"#.into()), None]
        );
        assert_eq!(t.columns[3], [None, Some(r#"["a","b"]"#.into())]);
    }

    #[test]
    fn blocks_of_any_size_give_one_table() {
        let text = "\u{feff}{\"text\":\"a\"}\n{}\n\n{\"n\":2,\"text\":\"b\"}\r\n{\"m\":[1]}\n{\"text\":\"é\"}";
        let whole = table(text).unwrap();
        assert_eq!(whole.names, ["text", "n", "m"]);
        assert_eq!(whole.lines, [1, 2, 4, 5, 6]);
        assert_eq!(whole.columns[1], [None, None, Some("2".into()), None, None]);
        let path = Path::new("c.jsonl");
        for size in [1, 5, 20] {
            let mut t = RawTable::default();
            let add = |block| {
                t.append(block);
                Ok(())
            };
            read_blocks(
                text.as_bytes(),
                path,
                |e| Error::io("read", path, e),
                size,
                add,
            )
            .unwrap();
            assert_eq!(
                (&t.names, &t.columns, &t.lines),
                (&whole.names, &whole.columns, &whole.lines)
            );
        }
    }

    #[test]
    fn invalid_utf8_is_placed_at_its_line_and_byte() {
        let bytes = b"{\"text\":\"a\"}\n{\"text\":\"\xff\"}\n";
        let path = Path::new("c.jsonl");
        let e = read(&bytes[..], path, |e| Error::io("read", path, e))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.starts_with("c.jsonl:2: not valid UTF-8 (byte 22 is 0xff)"),
            "{e}"
        );
    }

    #[test]
    fn bad_lines_are_placed_at_line_and_character() {
        let e = err("{\"text\":\"a\"}\n{\"text\":\"b\",}\n");
        assert!(e.starts_with("c.jsonl:2:13: not a JSON object"), "{e}");
        let e = err("{\"text\":\"a\"}\n[\"text\", \"b\"]\n");
        assert!(
            e.starts_with("c.jsonl:2:") && e.contains("is an array"),
            "{e}"
        );
        let e = err("{\"text\":\"a\",\"text\":\"b\"}");
        assert!(
            e.contains("c.jsonl:1:") && e.contains("appears twice"),
            "{e}"
        );
        let e = err("{\"text\":\"a\"} {\"text\":\"b\"}");
        assert!(e.starts_with("c.jsonl:1:"), "{e}");
    }

    #[test]
    fn deep_nesting_passes_through_without_recursion() {
        let deep = format!(
            "{{\"text\":\"a\",\"x\":{}1{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let t = table(&deep).unwrap();
        assert_eq!(t.columns[1][0].as_ref().unwrap().len(), 200_001);
        let unclosed = format!("{{\"text\":\"a\",\"x\":{}", "[".repeat(10_000));
        let e = err(&unclosed);
        assert!(e.len() < 400, "{e}");
    }
}
