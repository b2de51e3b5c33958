//! Tracked terms over time, with their bootstrap bands.

use super::{corpus_line, docs_per_period, Chart, Periods};
use crate::error::Result;
use crate::stages::s7_report::draw::{line_chart, Frame, LineChart, Series};
use crate::stages::s7_report::input::ReportInput;

/// One line a tracked term found in the corpus: occurrences per 1,000 tokens, smoothed, with
/// the period's 95% interval as a band; a period without documents is a gap.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let terms = &r.vocabulary.terms;
    let periods = Periods::of(r);
    let series: Vec<Series> = r
        .trends
        .tracked
        .iter()
        .filter_map(|t| Some((t.term?, t)))
        .map(|(id, t)| Series {
            name: format!(
                "{} ({} in all)",
                terms[id as usize].surface, terms[id as usize].count
            ),
            values: t
                .series
                .iter()
                .map(|p| (r.trends.periods[p.period].documents > 0).then_some(p.per_1k_smoothed))
                .collect(),
            band: t
                .series
                .iter()
                .map(|p| {
                    (r.trends.periods[p.period].documents > 0)
                        .then_some((p.per_1k_low, p.per_1k_high))
                })
                .collect(),
        })
        .collect();
    let title = "Tracked terms over time";
    let smoothing = match r.config.trends.smoothing {
        0 => String::new(),
        w => format!(" Lines: centred mean over ±{w} periods."),
    };
    let sub = format!(
        "{}. Shaded: 95% bootstrap interval.{smoothing} * period with fewer than {} documents",
        corpus_line(r),
        r.config.trends.thin_documents
    );
    let desc = format!(
        "Occurrences per 1,000 word tokens of {} tracked terms in each period.",
        series.len()
    );
    Ok(Some(Chart {
        file: "tracked_terms".into(),
        title: title.into(),
        caption: format!(
            "Occurrences per 1,000 word tokens (stop words included) of each tracked term, per period; \
             the shading is a 95% interval from resampling the period's documents (a period of one \
             document has no spread to show, which is not certainty). A missing point is a period \
             without documents. Spelling variants are counted together.{} {}.",
            match r.config.trends.smoothing {
                0 => String::new(),
                w => format!(
                    " Each line point is the mean of the period and the {w} periods either side \
                     that have documents (a centred moving average, as the Ngram Viewer smooths); \
                     the shading stays the interval of the period itself."
                ),
            },
            docs_per_period(r)
        ),
        svg: line_chart(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &LineChart {
                x: periods.axis(),
                y_desc: "occurrences per 1,000 word tokens",
                series: &series,
            },
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::strings;
    use crate::test_support::ReportFixture;

    #[test]
    fn one_named_line_a_tracked_term_over_every_period() {
        let f = ReportFixture::new();
        let c = chart(&f.input()).unwrap().expect("always drawn");
        assert_readable(&c);
        let texts = strings(&c.svg);
        let terms = &f.tokens.vocabulary.terms;
        for q in ["trade", "war"] {
            let t = &terms[f.term(q) as usize];
            let name = format!("{} ({} in all)", t.surface, t.count);
            assert!(texts.contains(&name), "{name} not in {texts:?}");
        }
        // Twelve periods, every one labelled, and marked thin.
        for year in 2000..=2011 {
            assert!(texts.contains(&format!("{year}*")), "{year}");
        }
        // A point a term a period with documents: two lines of twelve.
        assert_eq!(c.svg.matches("<circle").count(), 2 * 12);
    }
}
