//! Who was writing when (`trends.stratify`): each period's documents by voice.

use super::{corpus_line, Chart, Periods};
use crate::artifacts::StratumPeriod;
use crate::error::Result;
use crate::stages::s7_report::draw::{stacked_area, Frame, StackedArea};
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::ellipsize;

/// Most voices a composition chart shows one by one; with more, it shows the voices heard
/// before against those heard for the first time.
const COMPOSITION_BANDS: usize = 8;

/// Who was writing when (`trends.stratify`): each period's documents by voice, or, with many
/// voices, by voices heard in an earlier period and voices new in this one.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let Some(strata) = &r.trends.strata else {
        return Ok(None);
    };
    let periods_axis = Periods::of(r);
    let labels = &periods_axis.labels;
    let periods = &r.trends.periods;
    let by_voice = strata.names.len() <= COMPOSITION_BANDS;
    let names: Vec<String> = if by_voice {
        strata.names.clone()
    } else {
        vec![
            format!("{} heard in an earlier period", strata.column),
            format!("{} heard for the first time", strata.column),
        ]
    };
    let mut shares = vec![vec![f64::NAN; names.len()]; periods.len()];
    for (p, row) in shares.iter_mut().enumerate() {
        if periods[p].documents > 0 {
            row.iter_mut().for_each(|x| *x = 0.0);
        }
    }
    let mut seen = vec![false; strata.names.len()];
    for p in 0..periods.len() {
        let here: Vec<&StratumPeriod> = strata
            .composition
            .iter()
            .filter(|c| c.period == p)
            .collect();
        for c in &here {
            let share = c.documents as f64 / periods[p].documents as f64;
            let band = if by_voice {
                c.stratum as usize
            } else {
                usize::from(!seen[c.stratum as usize])
            };
            shares[p][band] += share;
        }
        for c in &here {
            seen[c.stratum as usize] = true;
        }
    }
    let title = "Who was writing when";
    let sub = format!(
        "{}. Share of each period's documents {}",
        corpus_line(r),
        if by_voice {
            format!("from each {}", strata.column)
        } else {
            format!(
                "from a {} heard before, or for the first time",
                strata.column
            )
        }
    );
    let desc = format!(
        "Stacked areas: for each of {} periods, the share of its documents {}.",
        labels.len(),
        if by_voice {
            "from each voice"
        } else {
            "from voices heard before and voices new in it"
        }
    );
    let band_names: Vec<String> = names.iter().map(|n| ellipsize(n, 40)).collect();
    Ok(Some(Chart {
        file: "composition".into(),
        title: title.into(),
        caption: format!(
            "The mix of voices ({} column) in each period, stacked to 100% of its documents. \
             When the mix changes, a term's frequency can change without any voice changing its \
             words; the contrasts below say, for each change, whether it holds within the voices \
             heard in both periods. {} voices in all; tables/composition.csv has each one's \
             documents and tokens per period.",
            strata.column,
            strata.names.len()
        ),
        svg: stacked_area(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &StackedArea {
                x: periods_axis.axis(),
                y_desc: "share of the period's documents",
                names: &names,
                band_names: &band_names,
                shares: &shares,
            },
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::{hex, rects, strings};
    use crate::test_support::ReportFixture;

    #[test]
    fn each_voice_is_a_band_named_in_the_legend() {
        let f = ReportFixture::new();
        let c = chart(&f.input()).unwrap().expect("strata give a chart");
        assert_readable(&c);
        let texts = strings(&c.svg);
        for voice in ["Daily", "Weekly"] {
            assert!(texts.iter().any(|t| t == voice), "{voice} not in {texts:?}");
        }
        // Two voices, twelve periods in one run: one band and one legend swatch each.
        assert_eq!(rects(&c.svg, &hex(0)), 1);
        assert_eq!(rects(&c.svg, &hex(1)), 1);
        // Every period has one document: each is thin, marked with `*`.
        assert!(texts.iter().any(|t| t == "2000*") && texts.iter().any(|t| t == "2011*"));
    }

    #[test]
    fn no_strata_no_chart() {
        let mut f = ReportFixture::new();
        f.trends.strata = None;
        assert!(chart(&f.input()).unwrap().is_none());
    }
}
