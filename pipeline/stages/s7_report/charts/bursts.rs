//! Bursts: the strongest episodes, one row a term.

use super::{corpus_line, Chart, Periods};
use crate::error::Result;
use crate::stages::s7_report::draw::{timeline, Frame, Timeline, TimelineRow};
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::significant;

/// Terms drawn on the burst timeline at most.
const BURST_ROWS: usize = 25;

/// A timeline of the bursts of the first [`BURST_ROWS`] terms in the ranking, each bar noted with
/// its lift; `None` without bursts.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let terms = &r.vocabulary.terms;
    let mut rows: Vec<TimelineRow> = Vec::new();
    for b in &r.trends.bursts {
        let label = terms[b.term as usize].surface.clone();
        let note = format!("×{}", significant(b.lift));
        if let Some(i) = rows.iter().position(|row| row.label == label) {
            rows[i].runs.push((b.start, b.end, note));
        } else if rows.len() < BURST_ROWS {
            rows.push(TimelineRow {
                label,
                runs: vec![(b.start, b.end, note)],
                transition: None,
            });
        }
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let periods = Periods::of(r);
    let title = "Bursts";
    let sub = format!(
        "{}. The {} terms with the highest-ranked bursts, large and concentrated (s = {}, γ = {})",
        corpus_line(r),
        rows.len(),
        r.config.trends.burst_s,
        r.config.trends.burst_gamma
    );
    let desc = format!(
        "Timeline of bursts: for each of {} terms, the periods in which markedly more {} use it than usual.",
        rows.len(),
        r.trends.counted.name()
    );
    Ok(Some(Chart {
        file: "bursts".into(),
        title: title.into(),
        caption: format!(
            "Each bar marks a run of periods in which a term was used by markedly more {0} than it is \
             across the corpus (Kleinberg's burst detection, with levels); the number after a bar is how many \
             times more often {0} use it inside the run than outside. Bursts are ranked by how large and \
             concentrated they are: the burst's weight (how much better its levels explain those periods \
             than the usual rate) × how much more of the term's uses than of the corpus the run holds × \
             the share of the timeline it leaves out, so neither a rare name nor a slow drift over decades \
             outranks a large episode. A burst still going on in the last period is ranked with the rest. \
             All bursts are in tables/bursts.csv; lasting changes are under Shifts.",
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
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::{hex, rects, strings};
    use crate::test_support::{burst, ReportFixture};

    #[test]
    fn a_row_a_term_with_a_bar_a_burst() {
        let mut f = ReportFixture::new();
        let (flood, war) = (f.term("flood"), f.term("war"));
        f.trends.bursts = vec![
            burst(flood, 3, 4, 6.0),
            burst(war, 6, 7, 2.04),
            burst(war, 9, 9, 1.5),
        ];
        let c = chart(&f.input()).unwrap().expect("three bursts");
        assert_readable(&c);
        let texts = strings(&c.svg);
        for want in ["flood", "war", "×6.0", "×2.0", "×1.5"] {
            assert!(texts.iter().any(|t| t == want), "{want} not in {texts:?}");
        }
        // Two rows, three bars.
        assert_eq!(rects(&c.svg, &hex(0)), 3);
    }

    #[test]
    fn no_bursts_no_chart() {
        let mut f = ReportFixture::new();
        f.trends.bursts.clear();
        assert!(chart(&f.input()).unwrap().is_none());
    }
}
