//! Dates found in a document's own text, for documents whose manifest or table gives none.
//! Each finding carries the text that supports it and a confidence:
//!
//! | evidence | confidence |
//! |---|---|
//! | a publication line: `Published: Jul 12, 2021`, `Posted on 12 July 2021` | 0.95 |
//! | a dateline: a line of the first three that is only a date (`July 12, 2021`) | 0.85 |
//! | an update line: `Updated: 2021-07-13` | 0.8 |
//! | a day and month heading the text (`24 Mar`), with the year the title names (else the year the text names most) | 0.6 |
//! | a full date in the prose of the first lines: `…at 9PM EST, October 23, 2017.` | 0.5 |
//! | only years named in the text: the one named most | 0.3 |
//!
//! A date in prose often names an event rather than the publication ("the law comes into
//! force on June 1st, 2017"), so it ranks below a dateline or a day-month heading.

use crate::artifacts::DocDate;
use crate::calendar::month_of;

/// A date found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The date.
    pub date: DocDate,
    /// The line (or words) that state it.
    pub evidence: String,
    /// How sure the finding is, 0–1 (see the module table).
    pub confidence: f64,
}

/// Lines at the top of a text searched for a date.
const HEAD_LINES: usize = 15;

fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches([',', '.']);
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !["", "st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str()) {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(word: &str) -> Option<i32> {
    let w = word.trim_matches(|c: char| !c.is_ascii_digit());
    if w.len() != 4 || word.trim_matches(|c: char| !c.is_alphanumeric()).len() != 4 {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    (1800..=2100).contains(&y).then_some(y)
}

/// The first full date in `line`: `Jul 12, 2021`, `July 12 2021`, `12 July 2021`,
/// `2021-07-12`, or a month and year (`July 2021`).
pub fn date_in(line: &str) -> Option<DocDate> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let t = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
        if let Some(d) = DocDate::parse(t).filter(|d| d.day.is_some()) {
            return Some(d);
        }
        let next = |k: usize| words.get(i + k).copied();
        if let Some(m) = month_of(w) {
            // Month Day Year, or Month Year.
            if let (Some(d), Some(y)) = (next(1).and_then(day_of), next(2).and_then(year_of)) {
                if let Some(date) = valid(y, m, Some(d)) {
                    return Some(date);
                }
            }
            if let Some(y) = next(1).and_then(year_of) {
                return valid(y, m, None);
            }
        } else if let Some(d) = day_of(w) {
            // Day Month Year.
            if let (Some(m), Some(y)) = (next(1).and_then(month_of), next(2).and_then(year_of)) {
                if let Some(date) = valid(y, m, Some(d)) {
                    return Some(date);
                }
            }
        }
    }
    None
}

fn valid(year: i32, month: u32, day: Option<u32>) -> Option<DocDate> {
    let text = match day {
        Some(d) => format!("{year:04}-{month:02}-{d:02}"),
        None => format!("{year:04}-{month:02}"),
    };
    DocDate::parse(&text)
}

/// A day and a month with no year: `24 Mar`, `Mar 24`.
fn day_month(line: &str) -> Option<(u32, u32)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [a, b] => match (day_of(a), month_of(b), month_of(a), day_of(b)) {
            (Some(d), Some(m), _, _) | (_, _, Some(m), Some(d)) => Some((d, m)),
            _ => None,
        },
        _ => None,
    }
}

/// The year the text names most often (ties: the later year), with how often.
fn main_year(text: &str) -> Option<(i32, usize)> {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for w in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if let Some(y) = year_of(w) {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|&(y, n)| (n, y))
}

/// Finds the document's date in its text, or `None` when the text states none.
pub fn extract(text: &str) -> Option<Found> {
    let head: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(HEAD_LINES)
        .collect();
    let found = |date, line: &str, confidence| Found {
        date,
        evidence: line.chars().take(160).collect(),
        confidence,
    };
    let starts = |line: &str, prefixes: &[&str]| {
        let lower = line.to_lowercase();
        prefixes.iter().any(|p| lower.starts_with(p))
    };
    let publication = [
        "published",
        "posted",
        "released",
        "date:",
        "publication date",
    ];
    for line in &head {
        if starts(line, &publication) {
            if let Some(d) = date_in(line) {
                return Some(found(d, line, 0.95));
            }
        }
    }
    for line in &head {
        if starts(line, &["updated"]) {
            if let Some(d) = date_in(line) {
                return Some(found(d, line, 0.8));
            }
        }
    }
    for line in head.iter().take(3) {
        if let Some(d) = date_in(line).filter(|d| d.day.is_some()) {
            if line.split_whitespace().count() <= 5 {
                return Some(found(d, line, 0.85));
            }
        }
    }
    // The year for a day-month heading: one named in the first lines (the title), else the
    // one the text names most.
    let head_year = main_year(&head.iter().take(3).copied().collect::<Vec<_>>().join("\n"));
    let main = main_year(text);
    if let Some((year, _)) = head_year.or(main) {
        for line in head.iter().take(3) {
            if let Some((d, m)) = day_month(line) {
                if let Some(date) = valid(year, m, Some(d)) {
                    let evidence = format!(
                        "{line} (year {year}: named in the title, or most often in the text)"
                    );
                    return Some(found(date, &evidence, 0.6));
                }
            }
        }
    }
    for line in &head {
        if let Some(d) = date_in(line).filter(|d| d.day.is_some()) {
            return Some(found(d, line, 0.5));
        }
    }
    let (year, _) = main?;
    Some(found(
        DocDate::year(year),
        &format!("the text names {year} most often"),
        0.3,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> DocDate {
        DocDate::parse(s).unwrap()
    }

    #[test]
    fn publication_lines() {
        let f = extract(
            "China launches plan\nPublished: Jul 12, 2021 08:08 PM\nCybersecurity. Photo: VCG",
        )
        .unwrap();
        assert_eq!((f.date, f.confidence), (date("2021-07-12"), 0.95));
        assert!(f.evidence.starts_with("Published: Jul 12, 2021"));
        assert_eq!(
            extract("Title\nPosted on 3rd March 2019 by admin")
                .unwrap()
                .date,
            date("2019-03-03")
        );
        assert_eq!(
            extract("Title\nPublished 2020-05-22").unwrap().date,
            date("2020-05-22")
        );
        assert_eq!(
            extract("Title\nUpdated: Sept. 9, 2018").unwrap().confidence,
            0.8
        );
    }

    #[test]
    fn a_full_date_among_the_first_lines() {
        let text = "Cybersecurity in the 19th Congress\n\nThis information was taken from Xinhua at 9PM EST, October 23, 2017.\n\nBody.";
        let f = extract(text).unwrap();
        assert_eq!((f.date, f.confidence), (date("2017-10-23"), 0.5));
        assert_eq!(
            extract("Title\nJuly 12, 2021\nBody").unwrap().confidence,
            0.85
        );
    }

    #[test]
    fn a_day_month_heading_with_the_year_the_text_names() {
        let text = "24 Mar\n\nWhat Did the 2017 Two Sessions Say?\n\nBy our staff\n\nThe law comes in force on June 1st, 2017; Made in China 2025, 2025, 2025.";
        let f = extract(text).unwrap();
        assert_eq!((f.date, f.confidence), (date("2017-03-24"), 0.6));
    }

    #[test]
    fn texts_without_a_date() {
        assert_eq!(
            extract("No date here at all.\nJust words, 42 of them."),
            None
        );
        let f = extract("We met in 1999 and again in 1999.").unwrap();
        assert_eq!((f.date, f.confidence), (DocDate::year(1999), 0.3));
        assert_eq!(date_in("Mayor 12 said 2021"), None);
        // No such day: only the month it names is kept.
        assert_eq!(date_in("on 31 February 2021"), DocDate::parse("2021-02"));
    }
}
