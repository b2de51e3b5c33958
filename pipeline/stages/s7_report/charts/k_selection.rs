//! Choosing the number of topics, when the run chose it.

use super::{corpus_line, Chart};
use crate::error::Result;
use crate::stages::s7_report::draw::{line_chart, Frame, LineChart, PeriodAxis, Series};
use crate::stages::s7_report::input::ReportInput;

/// Stability, silhouette and coherence for each k tried, the chosen k marked with `*`; `None`
/// when k was given.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let scores = &r.topics.k_scores;
    if scores.is_empty() {
        return Ok(None);
    }
    let chosen = scores.iter().find(|s| s.chosen).map_or(0, |s| s.k);
    let ks: Vec<String> = scores.iter().map(|s| s.k.to_string()).collect();
    let marked: Vec<bool> = scores.iter().map(|s| s.chosen).collect();
    let series = vec![
        Series {
            name: "stability (adjusted Rand index of subsamples)".into(),
            values: scores.iter().map(|s| Some(s.stability)).collect(),
            band: vec![],
        },
        Series {
            name: "silhouette (sample of passages; not used to choose)".into(),
            values: scores.iter().map(|s| Some(s.silhouette)).collect(),
            band: vec![],
        },
        Series {
            name: "coherence (mean NPMI of top terms)".into(),
            values: scores.iter().map(|s| Some(s.coherence)).collect(),
            band: vec![],
        },
    ];
    let title = "Choosing the number of topics";
    let sub = format!(
        "{}. k = {}–{}; * the k chosen ({chosen}): best sum of stability and coherence, each scaled to 0–1",
        corpus_line(r),
        scores[0].k,
        scores[scores.len() - 1].k
    );
    let desc = format!(
        "Stability, silhouette and NPMI coherence for each number of topics tried; {chosen} was chosen."
    );
    Ok(Some(Chart {
        file: "k_selection".into(),
        title: title.into(),
        caption: format!(
            "For each number of topics k tried: stability, how alike the topics found in two \
             overlapping samples of the passages are (mean adjusted Rand index over 5 pairs; a \
             k that splits a real group in two, or merges two, is cut differently each time); \
             the mean NPMI coherence of the topics' top terms (how often they share passages; \
             higher reads as one theme); and, for reference, the mean silhouette of a sample \
             of passages, which on text tends to rise with k and does not choose. The run \
             kept k = {chosen}, the best sum of stability and coherence. Scores are in \
             tables/k_scores.csv."
        ),
        svg: line_chart(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &LineChart {
                x: PeriodAxis {
                    labels: &ks,
                    marked: &marked,
                    desc: "number of topics k",
                },
                y_desc: "score (each −1 to 1)",
                series: &series,
            },
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::KScore;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::strings;
    use crate::test_support::ReportFixture;

    #[test]
    fn three_scores_over_each_k_and_the_chosen_k_marked() {
        let mut f = ReportFixture::new();
        assert!(chart(&f.input()).unwrap().is_none(), "k was given");
        f.topics.k_scores = (2..=5)
            .map(|k| KScore {
                k,
                silhouette: 0.1 * k as f64,
                stability: 1.0 / k as f64,
                coherence: 0.3,
                inertia: 10.0 / k as f64,
                chosen: k == 3,
            })
            .collect();
        let c = chart(&f.input()).unwrap().expect("scores");
        assert_readable(&c);
        let texts = strings(&c.svg);
        for want in ["2", "3*", "4", "5", "coherence (mean NPMI of top terms)"] {
            assert!(texts.iter().any(|t| t == want), "{want} not in {texts:?}");
        }
        assert_eq!(c.svg.matches("<circle").count(), 3 * 4);
    }
}
