//! Terms that changed most, period by period, as a heatmap.

use super::{corpus_line, Chart, Periods};
use crate::artifacts::TermId;
use crate::error::Result;
use crate::stages::s7_report::draw::{heatmap, Frame, HeatRow, Heatmap};
use crate::stages::s7_report::input::ReportInput;

/// Terms in the term × period heatmap.
const HEATMAP_TERMS: usize = 30;

/// The terms with the largest |z| in any contrast (adjacent or first → last), strongest first.
fn strongest_terms(r: &ReportInput) -> Vec<TermId> {
    let mut strongest: Vec<(f64, u32)> = Vec::new();
    for c in &r.trends.contrasts {
        for ch in c.rising.iter().chain(&c.falling) {
            match strongest.iter_mut().find(|s| s.1 == ch.term) {
                Some(s) => s.0 = s.0.max(ch.z.abs()),
                None => strongest.push((ch.z.abs(), ch.term)),
            }
        }
    }
    strongest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    strongest.truncate(HEATMAP_TERMS);
    strongest.into_iter().map(|(_, t)| t).collect()
}

/// One row a term among the [`HEATMAP_TERMS`] that change most, ordered by the period where it
/// peaks, each cell shaded by the rate over the term's peak rate; `None` without contrasts.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let terms = &r.vocabulary.terms;
    let strongest = strongest_terms(r);
    if strongest.is_empty() {
        return Ok(None);
    }
    let periods = Periods::of(r);
    let mut rows: Vec<(usize, HeatRow)> = strongest
        .iter()
        .map(|&t| {
            let values: Vec<Option<(f64, u64)>> = (0..periods.labels.len())
                .map(|p| {
                    (r.trends.periods[p].documents > 0).then(|| {
                        r.trends
                            .row(p, t, r.vocabulary)
                            .map_or((0.0, 0), |x| (x.per_1k_tokens, x.count))
                    })
                })
                .collect();
            let peak = values.iter().flatten().map(|v| v.0).fold(0.0f64, f64::max);
            let at = values
                .iter()
                .position(|v| v.is_some_and(|v| v.0 == peak && peak > 0.0))
                .unwrap_or(0);
            let cells = values
                .into_iter()
                .map(|v| v.map(|(rate, n)| (if peak > 0.0 { rate / peak } else { 0.0 }, n)))
                .collect();
            (
                at,
                HeatRow {
                    label: terms[t as usize].surface.clone(),
                    cells,
                },
            )
        })
        .collect();
    rows.sort_by_key(|(at, _)| *at);
    let rows: Vec<HeatRow> = rows.into_iter().map(|(_, r)| r).collect();
    let title = "Terms that changed most, period by period";
    let sub = format!(
        "{}. Shade: rate over the term's peak rate; number: occurrences",
        corpus_line(r)
    );
    let desc = format!(
        "A heatmap of {} terms (rows) over {} periods (columns); darker cells are closer \
         to the term's peak rate.",
        rows.len(),
        periods.labels.len()
    );
    Ok(Some(Chart {
        file: "term_heatmap".into(),
        title: title.into(),
        caption: format!(
            "The {} terms with the largest log-odds |z| in any contrast, one row each, ordered \
             by the period where they peak. A cell's shade is the term's rate in that period \
             relative to its highest; the number is its count (shown where the cell is wide \
             enough; tables/terms_by_period.csv has all). Grey: a period without documents; \
             * a period with fewer than {} documents.",
            rows.len(),
            r.config.trends.thin_documents
        ),
        svg: heatmap(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &Heatmap {
                x: periods.axis(),
                rows: &rows,
                legend: "share of the term's peak rate: 0 to 1; grey: no documents",
            },
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::{strings, texts};
    use crate::test_support::ReportFixture;

    #[test]
    fn a_row_a_changing_term_ordered_by_its_peak() {
        let f = ReportFixture::new();
        let c = chart(&f.input()).unwrap().expect("contrasts have terms");
        assert_readable(&c);
        let rows = strongest_terms(&f.input());
        assert!(!rows.is_empty() && rows.len() <= HEATMAP_TERMS);
        let labels = strings(&c.svg);
        for &t in &rows {
            let label = &f.tokens.vocabulary.terms[t as usize].surface;
            assert!(labels.iter().any(|x| x == label), "{label}");
        }
        // One cell a row a period, and ten shades in the key.
        let cells = c.svg.matches("<rect").count() - 1 - 10 - 1;
        assert_eq!(cells, rows.len() * 12);
        // "flood" peaks in 2003, "war" in 2006 or later: flood's row is above war's.
        let drawn = texts(&c.svg);
        let y = |s: &str| drawn.iter().find(|x| x.text == s).map(|x| x.y);
        if let (Some(a), Some(b)) = (y("flood"), y("war")) {
            assert!(a < b, "flood at {a}, war at {b}");
        }
    }
}
