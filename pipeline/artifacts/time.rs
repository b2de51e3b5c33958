//! Dates of documents and the periods they fall in.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A document's date, as precise as its source states it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DocDate {
    /// Calendar year.
    pub year: i32,
    /// Month 1–12, when known.
    pub month: Option<u32>,
    /// Day of month, when known (only with a month).
    pub day: Option<u32>,
}

impl DocDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; `None` for anything else, including dates that
    /// do not exist (`2021-02-30`).
    pub fn parse(s: &str) -> Option<DocDate> {
        let s = s.trim();
        let mut parts = s.split('-');
        let year_s = parts.next()?;
        if year_s.len() != 4 || !year_s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year_s.parse().ok()?;
        let num = |p: Option<&str>| -> Option<Option<u32>> {
            match p {
                None => Some(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(Some(p.parse().ok()?))
                }
                Some(_) => None,
            }
        };
        let month = num(parts.next())?;
        let day = num(parts.next())?;
        if parts.next().is_some() {
            return None;
        }
        match (month, day) {
            (None, None) => {}
            (Some(m), None) if (1..=12).contains(&m) => {}
            (Some(m), Some(d)) => {
                chrono::NaiveDate::from_ymd_opt(year, m, d)?;
            }
            _ => return None,
        }
        Some(DocDate { year, month, day })
    }

    /// A date that states only a year.
    pub fn year(year: i32) -> DocDate {
        DocDate {
            year,
            month: None,
            day: None,
        }
    }
}

impl fmt::Display for DocDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// How documents are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodUnit {
    /// Calendar decades: `1970s` (1970–1979).
    Decade,
    /// Calendar years: `2016`.
    Year,
    /// Calendar quarters: `2016-Q2`.
    Quarter,
    /// Calendar months: `2016-04`.
    Month,
}

/// One period of time. Orders chronologically among periods of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Period {
    /// A calendar decade, year, quarter or month.
    Calendar {
        /// The unit this period is measured in.
        unit: PeriodUnit,
        /// Calendar year (the first of a decade).
        year: i32,
        /// 0 for a decade or year, 1–4 for a quarter, 1–12 for a month.
        sub: u32,
    },
    /// A span between custom breakpoints (`--periods 2016,2018`), both ends inclusive and as
    /// precise as the breakpoints.
    Span {
        /// First year, month or day of the span.
        start: DocDate,
        /// Last year, month or day of the span.
        end: DocDate,
    },
}

impl PartialOrd for PeriodUnit {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PeriodUnit {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

impl PeriodUnit {
    /// Every unit, longest first.
    pub const ALL: [PeriodUnit; 4] = [
        PeriodUnit::Decade,
        PeriodUnit::Year,
        PeriodUnit::Quarter,
        PeriodUnit::Month,
    ];

    /// The period a date falls in, or `None` when the date is less precise than the unit
    /// (a year-only date has no quarter).
    pub fn period_of(self, date: DocDate) -> Option<Period> {
        let sub = match self {
            PeriodUnit::Decade => {
                return Some(Period::Calendar {
                    unit: self,
                    year: date.year.div_euclid(10) * 10,
                    sub: 0,
                })
            }
            PeriodUnit::Year => 0,
            PeriodUnit::Quarter => (date.month? - 1) / 3 + 1,
            PeriodUnit::Month => date.month?,
        };
        Some(Period::Calendar {
            unit: self,
            year: date.year,
            sub,
        })
    }

    /// The period after `p` (calendar order), used to list empty periods as gaps.
    ///
    /// # Panics
    /// When `p` is not a calendar period of this unit.
    pub fn next(self, p: Period) -> Period {
        let Period::Calendar { unit, year, sub } = p else {
            panic!("{p} is not a calendar period");
        };
        assert_eq!(unit, self, "{p} is not a period of {self:?}");
        let (year, sub) = match self {
            PeriodUnit::Decade => (year + 10, 0),
            PeriodUnit::Year => (year + 1, 0),
            PeriodUnit::Quarter if sub >= 4 => (year + 1, 1),
            PeriodUnit::Month if sub >= 12 => (year + 1, 1),
            PeriodUnit::Quarter | PeriodUnit::Month => (year, sub + 1),
        };
        Period::Calendar {
            unit: self,
            year,
            sub,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Calendar { unit, year, sub } => match unit {
                PeriodUnit::Decade => write!(f, "{year:04}s"),
                PeriodUnit::Year => write!(f, "{year:04}"),
                PeriodUnit::Quarter => write!(f, "{year:04}-Q{sub}"),
                PeriodUnit::Month => write!(f, "{year:04}-{sub:02}"),
            },
            Period::Span { start, end } if start == end => write!(f, "{start}"),
            Period::Span { start, end } => write!(f, "{start}–{end}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_hold_their_years_and_follow_each_other() {
        let d = PeriodUnit::Decade;
        let p = d.period_of(DocDate::year(1979)).unwrap();
        assert_eq!(p.to_string(), "1970s");
        assert_eq!(d.period_of(DocDate::year(1970)).unwrap(), p);
        assert_eq!(d.next(p).to_string(), "1980s");
        assert_eq!(
            d.period_of(DocDate::parse("2021-03-04").unwrap())
                .unwrap()
                .to_string(),
            "2020s"
        );
    }
}
