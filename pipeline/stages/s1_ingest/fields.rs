//! One document's fields as read from a manifest line or a table row: its date (given, or read
//! from its text), its title, its cells; and the one place a [`Document`] is built.

use super::dates;
use crate::artifacts::{DateSource, DocDate, Document};
use crate::config::IngestConfig;

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
        title: title.unwrap_or_else(|| first_line(&text)),
        source,
        date,
        date_source,
        origin,
        text: text.into(),
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

pub(super) fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
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
