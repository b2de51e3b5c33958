//! Shifts: the clearest lasting changes, one row each, the bar over the higher level.

use super::{corpus_line, Chart, Periods};
use crate::error::Result;
use crate::stages::s7_report::draw::{timeline, Frame, Timeline, TimelineRow};
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::significant;

/// Shifts drawn on the timeline at most.
const SHIFT_ROWS: usize = 20;

/// A timeline of the first [`SHIFT_ROWS`] shifts: each bar over the span at the higher level,
/// a lighter bar over the transition of a gradual change; `None` without shifts.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let terms = &r.vocabulary.terms;
    let rows: Vec<TimelineRow> = r
        .trends
        .shifts
        .iter()
        .take(SHIFT_ROWS)
        .map(|s| {
            let run = if s.after > s.before {
                (s.to, s.until)
            } else {
                (s.since, s.from)
            };
            TimelineRow {
                label: terms[s.term as usize].surface.clone(),
                runs: vec![(
                    run.0,
                    run.1,
                    format!(
                        "{}% → {}%",
                        significant(100.0 * s.before),
                        significant(100.0 * s.after)
                    ),
                )],
                // Periods between the levels with documents are a transition; empty ones
                // (a gap in the corpus) are not drawn as one.
                transition: (s.from + 1..s.to)
                    .any(|p| r.trends.periods[p].documents > 0)
                    .then(|| (s.from + 1, s.to - 1)),
            }
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let periods = Periods::of(r);
    let title = "Shifts";
    let sub = format!(
        "{}. The {} clearest lasting changes of level, share of {} before → after",
        corpus_line(r),
        rows.len(),
        r.trends.counted.name()
    );
    let desc = format!(
        "Timeline of shifts: for each of {} terms, the span in which it was used at its higher level.",
        rows.len()
    );
    Ok(Some(Chart {
        file: "shifts".into(),
        title: title.into(),
        caption: format!(
            "A shift is a change of a term's level that lasts: its series cut into spans of steady use, each \
             span at least an eighth of the periods long, and neighbouring spans kept apart only when one is \
             at least twice the other with z ≥ 3.29. Each bar covers the span at the higher level (after the \
             change for a rise, before it for a fall); a lighter bar is the transition of a gradual change, \
             between the old level and the new. The numbers are the share of {} using the term, \
             before → after. All shifts are in tables/shifts.csv.",
            r.trends.counted.name()
        ),
        svg: timeline(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &Timeline {
                x: periods.axis(),
                rows: &rows,
            },
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::Shift;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::{hex, rects, strings};
    use crate::test_support::ReportFixture;

    #[test]
    fn a_rise_is_a_bar_after_it_and_a_gradual_one_has_a_transition() {
        let mut f = ReportFixture::new();
        let (war, trade) = (f.term("war"), f.term("trade"));
        f.trends.shifts = vec![
            // A step: 0% to 100% between 2005 and 2006.
            Shift {
                term: war,
                since: 0,
                from: 5,
                to: 6,
                until: 11,
                before: 0.0,
                after: 1.0,
                z: 8.0,
            },
            // A gradual fall over 2003–2006.
            Shift {
                term: trade,
                since: 0,
                from: 2,
                to: 7,
                until: 11,
                before: 0.9,
                after: 0.3,
                z: -4.0,
            },
        ];
        let c = chart(&f.input()).unwrap().expect("two shifts");
        assert_readable(&c);
        let texts = strings(&c.svg);
        for want in ["war", "trade", "0% → 100%", "90% → 30%"] {
            assert!(texts.iter().any(|t| t == want), "{want} not in {texts:?}");
        }
        // Two level bars; the lighter transition bar is the same colour, half opaque.
        assert_eq!(rects(&c.svg, &hex(0)), 3);
        assert_eq!(c.svg.matches("opacity=\"0.35\"").count(), 1);
    }
}
