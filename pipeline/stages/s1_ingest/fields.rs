//! One document's fields as read from a manifest line or a table row: its date (given, or read
//! from its text), its title, its cells; and the one place a [`Document`] is built.

use super::dates;
use crate::artifacts::{first_line, DateSource, DocDate, Document};
use crate::config::IngestConfig;
use std::collections::HashMap;

/// What to write in a date cell.
pub(super) const DATE_HINT: &str = "write the date as YYYY-MM-DD, YYYY-MM or YYYY";

/// A document's fields as read, before its date is settled and its title filled in.
pub(super) struct Fields {
    pub(super) id: String,
    pub(super) title: Option<String>,
    pub(super) source: String,
    /// The date its line or row gives, if any.
    pub(super) given: Option<DocDate>,
    /// Where it came from: the file, or the file and line.
    pub(super) origin: String,
    pub(super) text: String,
    pub(super) extra: Vec<Option<String>>,
}

/// The document of `fields`: dated as given, or from its text; titled as given, or by its
/// first line. `None` (and an entry in `undated`) when no date is good enough.
pub(super) fn document(
    fields: Fields,
    cfg: &IngestConfig,
    undated: &mut Vec<UndatedDoc>,
) -> Option<Document> {
    let Fields {
        id,
        title,
        source,
        given,
        origin,
        text,
        extra,
    } = fields;
    let (date, date_source) = date_or_extract(given, &text, &origin, cfg, undated)?;
    Some(Document {
        id,
        title: title.unwrap_or_else(|| first_line(&text).to_string()),
        source,
        date,
        date_source,
        origin,
        text,
        extra,
    })
}

/// A document left without a date: where it came from, and why.
pub(super) type UndatedDoc = (String, String);

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

/// A year written as `1999`, `1999.0` (CSV floats) or a date string.
pub(super) fn parse_year(s: &str) -> Option<DocDate> {
    let s = s.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    parse_date(s)
}

/// A date cell: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, or an ISO 8601 timestamp
/// (`2016-12-01T08:00:00Z`, `2021-07-12 23:30:00+08:00`, as scrapers and tz-aware columns write
/// them), whose date is taken as written: the day the writer's clock showed.
pub(super) fn parse_date(s: &str) -> Option<DocDate> {
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

pub(super) fn cell(column: Option<&[Option<String>]>, row: usize) -> Option<String> {
    column
        .and_then(|c| c[row].clone())
        .filter(|s| !s.is_empty())
}

/// The ids seen so far in a table, to refuse one used twice: each by its 128-bit hash, with
/// the line that used it first and a token its text can be found by, and by its text only when
/// its hash is another id's. Holding every id as a string beside its document cost 5 M posts
/// 300 MB at ingest's peak.
#[derive(Default)]
pub(super) struct SeenIds {
    by_hash: rustc_hash::FxHashMap<u128, (usize, u64)>,
    by_text: HashMap<String, usize>,
}

impl SeenIds {
    /// Notes that line `line` uses `id`, found again by `token`; returns the line that used it
    /// first, if one did. `id_at` gives the id of an earlier token.
    pub(super) fn first_use(
        &mut self,
        id: &str,
        line: usize,
        token: u64,
        id_at: impl Fn(u64) -> String,
    ) -> Option<usize> {
        self.first_use_hashed(hash(id), id, line, token, id_at)
    }

    /// Finds `id`, noted last, by `token` from now on.
    pub(super) fn retoken(&mut self, id: &str, token: u64) {
        if let Some(entry) = self.by_hash.get_mut(&hash(id)) {
            entry.1 = token;
        }
    }

    fn first_use_hashed(
        &mut self,
        hash: u128,
        id: &str,
        line: usize,
        token: u64,
        id_at: impl Fn(u64) -> String,
    ) -> Option<usize> {
        match self.by_hash.get(&hash) {
            None => {
                self.by_hash.insert(hash, (line, token));
                None
            }
            Some(&(first, t)) if id_at(t) == id => Some(first),
            Some(_) => match self.by_text.get(id) {
                Some(&first) => Some(first),
                None => {
                    self.by_text.insert(id.to_string(), line);
                    None
                }
            },
        }
    }
}

fn hash(id: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(id.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_used_twice_is_found_even_when_two_ids_share_a_hash() {
        let ids = ["a", "b", "a", "c", "b"];
        let id_at = |token: u64| ids[token as usize].to_string();
        let line = |row: usize| 10 + row;
        let mut seen = SeenIds::default();
        let found: Vec<Option<usize>> = (0..ids.len())
            .map(|row| seen.first_use(ids[row], line(row), row as u64, id_at))
            .collect();
        assert_eq!(found, [None, None, Some(10), None, Some(11)]);
        // Every id given one hash: they are told apart by their text.
        let mut seen = SeenIds::default();
        let found: Vec<Option<usize>> = (0..ids.len())
            .map(|row| seen.first_use_hashed(7, ids[row], line(row), row as u64, id_at))
            .collect();
        assert_eq!(found, [None, None, Some(10), None, Some(11)]);
        // A token given again finds the id by its new token.
        let mut seen = SeenIds::default();
        let moved = |token: u64| if token == 9 { "a" } else { "?" }.to_string();
        assert_eq!(seen.first_use("a", 1, 0, moved), None);
        seen.retoken("a", 9);
        assert_eq!(seen.first_use("a", 2, 1, moved), Some(1));
    }
}
