//! The terms rising and falling most from the earliest periods to the latest.

use super::{corpus_line, Chart};
use crate::error::Result;
use crate::stages::s7_report::draw::{bar_chart, Bar, BarChart, Frame};
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::plural;

/// Diverging bars of log-odds z-scores, rising (blue) above falling (orange); a single bar
/// saying so when the corpus has one period only.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let terms = &r.vocabulary.terms;
    let (from, to) = r.ends_labels();
    let mut bars: Vec<Bar> = r
        .trends
        .rising
        .iter()
        .map(|c| (c, 0))
        .chain(r.trends.falling.iter().rev().map(|c| (c, 1)))
        .map(|(c, col)| Bar {
            label: terms[c.term as usize].surface.clone(),
            value: c.z,
            note: format!("{} → {}", c.count_from, c.count_to),
            color: col,
        })
        .collect();
    if bars.is_empty() {
        bars.push(Bar {
            label: "(one period only: no change to show)".into(),
            value: 0.0,
            note: String::new(),
            color: 7,
        });
    }
    let title = format!("Terms rising and falling most, {from} → {to}");
    let (n_from, n_to) = r.trends.ends.map_or((0, 0), |(a, b)| {
        (
            a.documents(&r.trends.periods),
            b.documents(&r.trends.periods),
        )
    });
    let sub = format!(
        "{}. Log-odds z-score with the corpus as prior; {from}: {}, {to}: {}",
        corpus_line(r),
        plural(n_from as usize, "document"),
        plural(n_to as usize, "document")
    );
    let desc = format!(
        "{} rising and {} falling terms with their counts.",
        r.trends.rising.len(),
        r.trends.falling.len()
    );
    let height = 140 + 24 * bars.len() as u32;
    let svg = bar_chart(
        &Frame {
            title: &title,
            subtitle: &sub,
            desc: &desc,
        },
        &BarChart {
            size: (1000, height.max(300)),
            bars: &bars,
            label_width: 300,
            x_desc: "z-score (positive: more frequent in the later period)",
        },
    )?;
    Ok(Some(Chart {
        file: "rising_falling".into(),
        title: title.clone(),
        caption: format!(
            "Each bar is a term's log-odds z-score between {from} and {to} (Monroe et al. 2008, \
             informative Dirichlet prior from the whole corpus); blue rises, orange falls. The note \
             at the bar's end is the term's count in {from} → {to}. |z| above about 2 is unlikely \
             to be noise, but with {} and {} a single document's wording can decide.",
            plural(n_from as usize, "document"),
            plural(n_to as usize, "document")
        ),
        svg,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::{hex, rects, strings};
    use crate::test_support::ReportFixture;

    #[test]
    fn a_bar_a_change_rising_blue_falling_orange() {
        let f = ReportFixture::new();
        let c = chart(&f.input()).unwrap().expect("always drawn");
        assert_readable(&c);
        // The first year holds 7% of the text, more than `trends.end_share`: one year a side.
        assert_eq!(c.title, "Terms rising and falling most, 2000 → 2011");
        assert_eq!(rects(&c.svg, &hex(0)), f.trends.rising.len());
        assert_eq!(rects(&c.svg, &hex(1)), f.trends.falling.len());
        let texts = strings(&c.svg);
        assert!(texts.iter().any(|t| t == "war"), "{texts:?}");
        let war = f
            .trends
            .rising
            .iter()
            .find(|x| x.term == f.term("war"))
            .unwrap();
        assert!(texts.contains(&format!("0 → {}", war.count_to)));
    }

    #[test]
    fn one_period_says_there_is_no_change() {
        let mut f = ReportFixture::new();
        f.trends.rising.clear();
        f.trends.falling.clear();
        let c = chart(&f.input()).unwrap().unwrap();
        assert!(strings(&c.svg).contains(&"(one period only: no change to show)".to_string()));
    }
}
