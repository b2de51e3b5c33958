//! Each adjacent contrast as a panel of diverging bars.

use super::{corpus_line, Chart};
use crate::artifacts::Contrast;
use crate::error::Result;
use crate::stages::s7_report::draw::{bar_panels, Bar, BarPanel, BarPanels, Frame};
use crate::stages::s7_report::evidence;
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::marked_period;

/// Adjacent contrasts drawn as panels at most (the strongest, in time order).
const CONTRAST_PANELS: usize = 12;

/// The contrasts with the largest changes, at most [`CONTRAST_PANELS`], in time order.
fn strongest(adjacent: &[Contrast]) -> Vec<&Contrast> {
    let mut chosen: Vec<&Contrast> = adjacent.iter().collect();
    if chosen.len() > CONTRAST_PANELS {
        let strength = |c: &Contrast| {
            c.rising
                .iter()
                .chain(&c.falling)
                .map(|x| x.z.abs())
                .fold(0.0f64, f64::max)
        };
        chosen.sort_by(|a, b| {
            strength(b)
                .total_cmp(&strength(a))
                .then(a.from.first.cmp(&b.from.first))
        });
        chosen.truncate(CONTRAST_PANELS);
        chosen.sort_by_key(|c| c.from.first);
    }
    chosen
}

/// One panel a pair of adjacent periods with documents, when there are two pairs or more: the
/// top terms each way by log-odds z-score.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let terms = &r.vocabulary.terms;
    let adjacent = &r.trends.contrasts[..r.trends.contrasts.len().saturating_sub(1)];
    if adjacent.len() < 2 {
        return Ok(None);
    }
    let chosen = strongest(adjacent);
    let shown = evidence::ADJACENT_SHOWN;
    let title = "Rising and falling terms between adjacent periods";
    let sub = format!(
        "{}. Top {shown} each way per contrast; {}",
        corpus_line(r),
        if chosen.len() < adjacent.len() {
            format!(
                "the {} contrasts of {} with the largest changes",
                chosen.len(),
                adjacent.len()
            )
        } else {
            format!("all {} contrasts", adjacent.len())
        }
    );
    let desc = format!(
        "{} panels of diverging bars: log-odds z-scores of the terms rising and falling most \
         between two adjacent periods.",
        chosen.len()
    );
    let panels: Vec<BarPanel> = chosen
        .iter()
        .map(|c| BarPanel {
            head: format!(
                "{} → {}",
                marked_period(&r.trends.periods[c.from.first]),
                marked_period(&r.trends.periods[c.to.first])
            ),
            color: None,
            bars: c
                .rising
                .iter()
                .take(shown)
                .map(|x| (x, 0))
                .chain(c.falling.iter().take(shown).rev().map(|x| (x, 1)))
                .map(|(x, col)| Bar {
                    label: terms[x.term as usize].surface.clone(),
                    value: x.z,
                    note: format!("{} → {}", x.count_from, x.count_to),
                    color: col,
                })
                .collect(),
        })
        .collect();
    let svg = bar_panels(
        &Frame {
            title,
            subtitle: &sub,
            desc: &desc,
        },
        &BarPanels {
            top: 110,
            panel_height: 90 + 26 * 2 * shown as u32,
            panels: &panels,
            label_width: 150,
            x_desc: "log-odds z",
        },
    )?;
    Ok(Some(Chart {
        file: "contrasts".into(),
        title: title.into(),
        caption: format!(
            "One panel per pair of adjacent periods with documents (a gap is skipped): blue \
             bars are the terms rising most into the later period, orange the ones falling \
             most, by log-odds z-score; the note is the count in the earlier → later period. \
             * marks a period with fewer than {} documents. tables/contrasts.csv has the top \
             {} each way of every contrast.",
            r.config.trends.thin_documents, r.config.trends.top_changes
        ),
        svg,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::strings;
    use crate::test_support::ReportFixture;

    #[test]
    fn a_panel_a_pair_of_adjacent_periods() {
        let f = ReportFixture::new();
        let c = chart(&f.input())
            .unwrap()
            .expect("eleven adjacent contrasts");
        assert_readable(&c);
        let heads: Vec<String> = strings(&c.svg)
            .into_iter()
            .filter(|t| t.starts_with("20") && t.contains(" → "))
            .collect();
        let want: Vec<String> = (2000..2011).map(|y| format!("{y}* → {}*", y + 1)).collect();
        assert_eq!(heads, want);
    }

    #[test]
    fn many_contrasts_show_the_strongest_in_time_order() {
        let f = ReportFixture::new();
        let mut adjacent = f.trends.contrasts.clone();
        adjacent.pop();
        let more: Vec<Contrast> = adjacent.iter().chain(&adjacent).cloned().collect();
        let chosen = strongest(&more);
        assert_eq!(chosen.len(), CONTRAST_PANELS);
        assert!(chosen
            .windows(2)
            .all(|w| w[0].from.first <= w[1].from.first));
    }
}
