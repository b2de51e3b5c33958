//! Which period each document falls in: calendar periods (`--period`), or spans that start at
//! custom breakpoints (`--periods 2016,2018,2020`). Either way the list runs from the first
//! document's period to the last one's with every period between kept, empty or not, so that
//! gaps show as gaps.

use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use crate::artifacts::{DocDate, Documents, Period, PeriodUnit, StrayDate};
use crate::config::TrendsConfig;
use crate::error::{Error, Location, Result};

/// The periods from the first document's to the last one's, and each document's index into
/// them.
pub fn assign(documents: &Documents, cfg: &TrendsConfig) -> Result<(Vec<Period>, Vec<usize>)> {
    let breaks = cfg
        .breakpoints()
        .map_err(|e| Error::Internal(format!("unvalidated config: {e}")))?;
    if breaks.is_empty() {
        calendar(documents, cfg.period, cfg.max_periods)
    } else {
        spans(documents, &breaks)
    }
}

fn calendar(
    documents: &Documents,
    unit: PeriodUnit,
    max_periods: usize,
) -> Result<(Vec<Period>, Vec<usize>)> {
    // Two passes over the dates, where a list of each document's period held 24 bytes a
    // document at the peak of a large run.
    let period_of = |d: crate::artifacts::Doc<'_>| {
        unit.period_of(d.date()).ok_or_else(|| {
            Error::input(
                Location::file(d.origin()),
                format!("the date {} is too coarse for --period {unit:?}", d.date()).to_lowercase(),
                "use --period year, or give the document a full date",
            )
        })
    };
    let mut ends: Option<(Period, Period)> = None;
    for d in documents.iter() {
        let p = period_of(d)?;
        ends = Some(ends.map_or((p, p), |(first, last)| (first.min(p), last.max(p))));
    }
    let (first, last) = ends.expect("ingest guarantees a document");
    let mut all = vec![first];
    while *all.last().expect("non-empty") < last {
        if all.len() == max_periods {
            return Err(too_many_periods(documents, unit, max_periods));
        }
        all.push(unit.next(*all.last().expect("non-empty")));
    }
    let index: HashMap<_, usize> = all.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let doc_period = documents
        .iter()
        .map(|d| period_of(d).map(|p| index[&p]))
        .collect::<Result<_>>()?;
    Ok((all, doc_period))
}

/// The error for a corpus that spans more than `max` periods: it names the documents at either
/// end, and a date that lies far from all the others, which is most often a typing mistake.
fn too_many_periods(documents: &Documents, unit: PeriodUnit, max: usize) -> Error {
    let first = documents
        .iter()
        .min_by_key(|d| d.date())
        .expect("a document");
    let last = documents
        .iter()
        .max_by_key(|d| d.date())
        .expect("a document");
    let outlier = stray_date(documents).map(|s| (documents.get(s.document), s.years_apart));
    let unit_name = format!("{unit:?}").to_lowercase();
    let mut message =
        format!(
        "--period {unit_name} cuts this corpus into more than {max} periods: from {} ({}) to {} \
         ({})",
        first.date(), first.origin(), last.date(), last.origin()
    );
    let location = match outlier {
        Some((d, gap)) => {
            message.push_str(&format!(
                "; the document dated {} lies {gap} years from every other document",
                d.date()
            ));
            Location::file(d.origin())
        }
        None => Location::file(first.origin()),
    };
    Error::input(
        location,
        message,
        "check the dates at either end; or use a longer period (--period year or decade), \
         custom --periods, or raise trends.max_periods",
    )
}

/// The document whose date lies far from all the others, if one does: the earliest or the
/// latest, at least 10 years from its nearest neighbour and further from it than the rest of the
/// corpus spans. A date like that is most often a typing mistake (`0001-01-01`, `1902` for
/// `2012`), and it stretches every chart over empty periods.
pub fn stray_date(documents: &Documents) -> Option<StrayDate> {
    DateEnds::of(documents, 0).stray()
}

/// The stray-date pass' partial: the documents counted, and the two earliest and two latest
/// (date, document number) pairs, which are all a stray date is told from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DateEnds {
    documents: u64,
    /// Sorted; all of them while there are at most four.
    ends: Vec<(DocDate, u64)>,
}

impl DateEnds {
    /// A shard's ends, its first document numbered `first` in the corpus.
    pub fn of(documents: &Documents, first: u64) -> DateEnds {
        // Trimmed as it goes, not after a list of every document's date.
        let mut ends = DateEnds {
            documents: documents.len() as u64,
            ends: Vec::new(),
        };
        for (i, d) in documents.iter().enumerate() {
            ends.ends.push((d.date(), first + i as u64));
            if ends.ends.len() == 64 {
                ends = ends.trimmed();
            }
        }
        ends.trimmed()
    }

    /// The ends of two shards.
    pub fn merge(mut self, other: DateEnds) -> DateEnds {
        self.documents += other.documents;
        self.ends.extend(other.ends);
        self.trimmed()
    }

    fn trimmed(mut self) -> DateEnds {
        self.ends.sort_unstable();
        if self.ends.len() > 4 {
            self.ends.drain(2..self.ends.len() - 2);
        }
        self
    }

    /// The document whose date lies far from all the others, if one does.
    pub fn stray(&self) -> Option<StrayDate> {
        if self.documents < 3 {
            return None;
        }
        let e = &self.ends;
        let year = |k: usize| e[k].0.year as i64;
        let n = e.len();
        let span = year(n - 1) - year(0);
        let low = year(1) - year(0);
        let high = year(n - 1) - year(n - 2);
        let (k, gap) = if low >= high { (0, low) } else { (n - 1, high) };
        (gap >= 10 && gap > span - gap).then_some(StrayDate {
            document: e[k].1 as usize,
            years_apart: gap,
        })
    }
}

/// Spans: `[b_{i-1}, b_i)` for breakpoints `b`, a leading span for documents before `b_0` and a
/// trailing one from the last breakpoint. The leading span starts at the first document and
/// the trailing one ends at the last, at the breakpoints' precision.
fn spans(documents: &Documents, breaks: &[DocDate]) -> Result<(Vec<Period>, Vec<usize>)> {
    let precision = precision(breaks[0]);
    let slot = |d: DocDate| breaks.partition_point(|b| *b <= d);
    // Each document's slot, and the earliest and latest dates, in one pass.
    let mut slots: Vec<usize> = Vec::with_capacity(documents.len());
    let mut dates: Option<(DocDate, DocDate)> = None;
    for d in documents.iter() {
        let t = truncate(d.date(), precision).ok_or_else(|| {
            Error::input(
                Location::file(d.origin()),
                format!(
                    "the date {} is less precise than the period breakpoints ({})",
                    d.date(),
                    breaks[0]
                ),
                "give breakpoints as years, or give the document a full date",
            )
        })?;
        slots.push(slot(t));
        dates = Some(dates.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
    }
    let (earliest, latest) = dates.expect("ingest guarantees a document");
    let first = *slots.iter().min().expect("ingest guarantees a document");
    let last = *slots.iter().max().expect("ingest guarantees a document");
    let periods = (first..=last)
        .map(|i| {
            let start = if i == 0 { earliest } else { breaks[i - 1] };
            let end = if i == breaks.len() {
                latest
            } else {
                before(breaks[i])
            };
            Period::Span { start, end }
        })
        .collect();
    for s in &mut slots {
        *s -= first;
    }
    Ok((periods, slots))
}

/// 0 for a year, 1 for a month, 2 for a day.
fn precision(d: DocDate) -> u8 {
    d.month.is_some() as u8 + d.day.is_some() as u8
}

/// `d` cut to `precision`; `None` when it is less precise.
fn truncate(d: DocDate, precision: u8) -> Option<DocDate> {
    Some(match precision {
        0 => DocDate::year(d.year),
        1 => DocDate {
            month: Some(d.month?),
            ..DocDate::year(d.year)
        },
        _ => DocDate {
            month: Some(d.month?),
            day: Some(d.day?),
            year: d.year,
        },
    })
}

/// The year, month or day before `d`, at its precision.
fn before(d: DocDate) -> DocDate {
    match (d.month, d.day) {
        (None, _) => DocDate::year(d.year - 1),
        (Some(1), None) => DocDate {
            month: Some(12),
            ..DocDate::year(d.year - 1)
        },
        (Some(m), None) => DocDate {
            month: Some(m - 1),
            ..d
        },
        (Some(m), Some(day)) => {
            let prev = chrono::NaiveDate::from_ymd_opt(d.year, m, day)
                .and_then(|x| x.pred_opt())
                .expect("breakpoints are valid dates after year 1");
            use chrono::Datelike;
            DocDate {
                year: prev.year(),
                month: Some(prev.month()),
                day: Some(prev.day()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::doc_dated;

    fn labels(dates: &[&str], breaks: &[&str]) -> (Vec<String>, Vec<usize>) {
        let docs: Documents = dates.iter().map(|d| doc_dated(d)).collect();
        let cfg = TrendsConfig {
            periods: breaks.iter().map(|s| s.to_string()).collect(),
            ..TrendsConfig::default()
        };
        let (p, d) = assign(&docs, &cfg).unwrap();
        (p.iter().map(|p| p.to_string()).collect(), d)
    }

    #[test]
    fn a_mistyped_date_cannot_make_thousands_of_periods() {
        let mut dates = vec!["0001-01-01"];
        dates.extend(["2020-01-05", "2020-03-01", "2020-07-09", "2021-02-01"]);
        let docs: Documents = dates.iter().map(|d| doc_dated(d)).collect();
        let cfg = TrendsConfig {
            period: PeriodUnit::Month,
            ..TrendsConfig::default()
        };
        let e = assign(&docs, &cfg).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let text = e.to_string();
        assert!(text.contains("more than 2000 periods"), "{text}");
        assert!(
            text.contains("the document dated 0001-01-01 lies 2019 years from every other"),
            "{text}"
        );
        assert!(text.contains("trends.max_periods"), "{text}");
        // The same corpus without the stray date is fine.
        assert!(assign(&docs.slice(1..docs.len()), &cfg).is_ok());
    }

    #[test]
    fn a_date_far_from_all_others_is_found() {
        let docs = |dates: &[&str]| -> Documents { dates.iter().map(|d| doc_dated(d)).collect() };
        let s = stray_date(&docs(&["2016", "2017", "1901", "2020", "2021"])).unwrap();
        assert_eq!((s.document, s.years_apart), (2, 115));
        let s = stray_date(&docs(&["2000", "2001", "2002", "2030"])).unwrap();
        assert_eq!((s.document, s.years_apart), (3, 28));
        for ok in [
            &["2016", "2017", "2017", "2020", "2021"][..],
            &["1946", "1950", "1990", "2024"],
            &["2000", "2005"],
        ] {
            assert_eq!(stray_date(&docs(ok)), None, "{ok:?}");
        }
        // In shards, merged in any order: the same document, numbered in the corpus.
        let all = docs(&[
            "2016", "2017", "2018", "1901", "2019", "2020", "2021", "2016",
        ]);
        for cut in 0..=all.len() {
            let (a, b) = (
                DateEnds::of(&all.slice(0..cut), 0),
                DateEnds::of(&all.slice(cut..all.len()), cut as u64),
            );
            assert_eq!(b.merge(a).stray(), stray_date(&all), "cut at {cut}");
        }
        assert_eq!(stray_date(&all).unwrap().document, 3);
    }

    #[test]
    fn year_breakpoints_cut_spans_and_keep_empty_ones() {
        let (p, d) = labels(
            &["2016", "2017-05-02", "2021", "2014"],
            &["2016", "2018", "2020"],
        );
        assert_eq!(p, ["2014–2015", "2016–2017", "2018–2019", "2020–2021"]);
        assert_eq!(d, [1, 1, 3, 0]);
    }

    #[test]
    fn spans_start_at_the_first_document_that_needs_them() {
        let (p, d) = labels(&["2019", "2016"], &["2016", "2018", "2020"]);
        assert_eq!(p, ["2016–2017", "2018–2019"]);
        assert_eq!(d, [1, 0]);
        let (p, _) = labels(&["2020"], &["2016", "2020"]);
        assert_eq!(p, ["2020"]);
    }

    #[test]
    fn month_and_day_breakpoints() {
        let (p, d) = labels(&["2016-03-09", "2016-07-01"], &["2016-07"]);
        assert_eq!(p, ["2016-03–2016-06", "2016-07"]);
        assert_eq!(d, [0, 1]);
        let (p, _) = labels(&["2016-02-29", "2016-03-09"], &["2016-03-01"]);
        assert_eq!(p, ["2016-02-29", "2016-03-01–2016-03-09"]);
    }

    #[test]
    fn a_date_less_precise_than_the_breakpoints_is_an_error() {
        let docs: Documents = vec![doc_dated("2016")].into();
        let cfg = TrendsConfig {
            periods: vec!["2016-07".into()],
            ..TrendsConfig::default()
        };
        let err = assign(&docs, &cfg).unwrap_err().to_string();
        assert!(err.contains("less precise"), "{err}");
    }

    #[test]
    fn calendar_periods_list_gaps() {
        let (p, d) = labels(&["2016", "2019"], &[]);
        assert_eq!(p, ["2016", "2017", "2018", "2019"]);
        assert_eq!(d, [0, 3]);
    }
}
