//! What replaced what: each top succession pair as a small two-line chart.

use super::{corpus_line, Chart, Periods};
use crate::error::Result;
use crate::stages::s7_report::draw::{small_lines, Frame, LinePanel, Series, SmallLines};
use crate::stages::s7_report::input::ReportInput;

/// Succession pairs drawn as small multiples.
const SUCCESSION_PANELS: usize = 9;

/// One panel a pair among the first [`SUCCESSION_PANELS`]: the falling and the rising term per
/// 1,000 tokens, the handover dashed; `None` without successions.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    if r.trends.succession.is_empty() {
        return Ok(None);
    }
    let terms = &r.vocabulary.terms;
    let periods = Periods::of(r);
    let rate = |counts: &[u64]| -> Vec<Option<f64>> {
        counts
            .iter()
            .enumerate()
            .map(|(p, &c)| {
                let stats = &r.trends.periods[p];
                (stats.documents > 0 && stats.tokens > 0)
                    .then(|| c as f64 * 1000.0 / stats.tokens as f64)
            })
            .collect()
    };
    let panels: Vec<LinePanel> = r
        .trends
        .succession
        .iter()
        .take(SUCCESSION_PANELS)
        .enumerate()
        .map(|(i, s)| {
            let (a, b) = (&terms[s.falling as usize], &terms[s.rising as usize]);
            LinePanel {
                title: format!("{}. {} → {}", i + 1, a.surface, b.surface),
                series: vec![
                    Series {
                        name: format!("{} (falls)", a.surface),
                        values: rate(&s.counts_falling),
                        band: vec![],
                    },
                    Series {
                        name: format!("{} (rises)", b.surface),
                        values: rate(&s.counts_rising),
                        band: vec![],
                    },
                ],
                mark: Some(s.handover),
            }
        })
        .collect();
    let title = "What replaced what";
    let sub = format!(
        "{}. The top {} successions; dashed: the handover",
        corpus_line(r),
        panels.len()
    );
    let desc = format!(
        "{} small line charts, each with a falling term and the rising term that took its \
         place, per 1,000 tokens per period.",
        panels.len()
    );
    Ok(Some(Chart {
        file: "succession".into(),
        title: title.into(),
        caption: "Each panel is one pair from the succession table: the first term (blue) \
                  falls while the second (orange) rises, and before the handover (dashed) \
                  the first keeps the company the second keeps after it and stands where \
                  the second stands. Lines are \
                  occurrences per 1,000 word tokens; each panel has its own scale; a break is \
                  a period without documents."
            .into(),
        svg: small_lines(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &SmallLines {
                x: periods.axis(),
                y_desc: "per 1,000 tokens",
                panels: &panels,
            },
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::Succession;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::strings;
    use crate::test_support::ReportFixture;

    #[test]
    fn a_panel_a_pair_with_both_lines_named() {
        let mut f = ReportFixture::new();
        f.trends.succession = vec![Succession {
            falling: f.term("flood"),
            rising: f.term("war"),
            handover: 6,
            score: 1.0,
            similarity: 0.5,
            slots: 0.2,
            z_falling: -3.0,
            z_rising: 3.0,
            same_topic: true,
            counts_falling: vec![0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0],
            counts_rising: vec![0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2],
            contexts: vec![],
        }];
        let c = chart(&f.input()).unwrap().expect("one pair");
        assert_readable(&c);
        let texts = strings(&c.svg);
        for want in ["1. flood → war", "flood (falls)", "war (rises)"] {
            assert!(texts.iter().any(|t| t == want), "{want} not in {texts:?}");
        }
        // Both lines have a point in each of the twelve periods; the handover is dashed.
        assert_eq!(c.svg.matches("<circle").count(), 2 * 12);
        assert!(c.svg.matches("<polyline").count() > 2);
    }

    #[test]
    fn no_pairs_no_chart() {
        let mut f = ReportFixture::new();
        f.trends.succession.clear();
        assert!(chart(&f.input()).unwrap().is_none());
    }
}
