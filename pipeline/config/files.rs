//! The lists a configuration may name: synonym files, stop word files and user dictionaries, read with located
//! errors.

use std::path::Path;

use super::SynonymRule;
use crate::error::{Error, Location, Result};

/// Reads a synonym file: `term = variant, variant` a line; `#` starts a comment.
pub fn read_synonyms(path: &Path) -> Result<Vec<SynonymRule>> {
    let mut rules = Vec::new();
    for (number, line) in list_lines(path)? {
        let at = Location::line(path, number);
        let hint = "write `term = variant, variant` (one rule a line)";
        let Some((term, rest)) = line.split_once('=') else {
            return Err(Error::input(at, format!("no `=` in \"{line}\""), hint));
        };
        let variants: Vec<String> = rest
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        if term.trim().is_empty() || variants.is_empty() {
            return Err(Error::input(
                at,
                format!("a rule needs a term and at least one variant: \"{line}\""),
                hint,
            ));
        }
        rules.push(SynonymRule {
            term: term.trim().to_string(),
            variants,
        });
    }
    Ok(rules)
}

/// Reads a stop list: one word a line; `#` starts a comment; blank lines are skipped.
pub fn read_stop_words(path: &Path) -> Result<Vec<String>> {
    let mut words = Vec::new();
    for (number, line) in list_lines(path)? {
        if line.split_whitespace().count() > 1 {
            return Err(Error::input(
                Location::line(path, number),
                format!("more than one word: \"{line}\""),
                "write one stop word a line",
            ));
        }
        words.push(line);
    }
    Ok(words)
}

/// Reads a user dictionary: one term a line, optionally followed by jieba's frequency and
/// part-of-speech tag, which are not used; `#` starts a comment.
pub fn read_user_words(path: &Path) -> Result<Vec<String>> {
    let mut words = Vec::new();
    for (_, line) in list_lines(path)? {
        words.extend(line.split_whitespace().next().map(str::to_string));
    }
    Ok(words)
}

/// The non-blank lines of a user's list file, trimmed and without `#` comments, with their
/// line numbers (from 1).
fn list_lines(path: &Path) -> Result<Vec<(usize, String)>> {
    let text = read_text(path, "a text file, one entry a line")?;
    Ok(text
        .lines()
        .enumerate()
        .map(|(i, raw)| (i + 1, raw.split('#').next().unwrap_or("").trim()))
        .filter(|(_, line)| !line.is_empty())
        .map(|(n, line)| (n, line.to_string()))
        .collect())
}

/// A user's text file (config, list): a missing file is an I/O error, bytes that are not
/// UTF-8 text are an input error at their line, with what the file should be.
pub(super) fn read_text(path: &Path, should_be: &str) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => Error::input(
            Location::file(path),
            format!("cannot read the file: {e}"),
            format!("check the path; it should name {should_be}"),
        ),
        _ => Error::io("read", path, e),
    })?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(Error::input(
            Location::file(path),
            "a binary file (it holds NUL bytes), not text",
            format!("give {should_be}, saved as UTF-8"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Error::input(
                Location::line(path, line),
                format!("not UTF-8 text (byte {bad} is 0x{:02x})", bytes[bad]),
                format!("give {should_be}, saved as UTF-8"),
            ))
        }
    }
}
