//! Each topic's top terms, as a panel of bars.

use super::{corpus_line, Chart};
use crate::error::Result;
use crate::stages::s7_report::draw::{bar_panels, Bar, BarPanel, BarPanels, Frame};
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::plural;

/// One panel a topic, headed in its colour with its size, its bars the terms that most
/// distinguish it; `None` without topics.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let terms = &r.vocabulary.terms;
    let k = r.topics.topics.len();
    if k == 0 {
        return Ok(None);
    }
    let title = "Topics and their top terms";
    let sub = format!(
        "{}. {} topics from LSA ({} components) + k-means over {} passages; bars: distinctiveness",
        corpus_line(r),
        k,
        r.topics.components,
        r.figures.passages - r.topics.unassigned as u64
    );
    let desc = format!("{k} panels, one per topic, with its top terms as horizontal bars.");
    let panels: Vec<BarPanel> = r
        .topics
        .topics
        .iter()
        .map(|t| BarPanel {
            head: format!(
                "Topic {} · {}",
                t.id + 1,
                plural(t.size as usize, "passage")
            ),
            color: Some(t.id as usize),
            bars: t
                .top_terms
                .iter()
                .map(|&(id, w)| Bar {
                    label: terms[id as usize].surface.clone(),
                    value: w,
                    note: String::new(),
                    color: t.id as usize,
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
            top: 80,
            panel_height: 300,
            panels: &panels,
            label_width: 150,
            x_desc: "distinctiveness",
        },
    )?;
    Ok(Some(Chart {
        file: "topic_terms".into(),
        title: title.into(),
        caption: format!(
            "Each panel is one topic (a cluster of passages); its bars are the terms that \
             most distinguish it from the whole corpus: a term's distinctiveness is \
             p · ln(p / q), where p is the share of the topic's passages that use it and q the \
             share of all passages (its part of the topic's Kullback–Leibler divergence), so a \
             term scores high when most of the topic uses it and little else does. A topic's \
             outliers, passages far from its centre ({} in all, column \
             `outlier` of tables/passages), are left out of its terms. Topics are numbered by size. \
             {}",
            r.topics.outlier.iter().filter(|&&o| o).count(),
            how_many(r)
        ),
        svg,
    }))
}

/// How the number of topics was set: chosen by `--k auto`, or given (8 unless `--k` says).
fn how_many(r: &ReportInput) -> String {
    let k = r.topics.topics.len();
    if let Some(chosen) = r.topics.k_scores.iter().find(|s| s.chosen) {
        let (lo, hi) = r
            .topics
            .k_scores
            .iter()
            .fold((usize::MAX, 0), |(lo, hi), s| (lo.min(s.k), hi.max(s.k)));
        return format!(
            "--k auto chose {} clusters of the {lo} to {hi} it tried, by their stability and \
             coherence (tables/k_scores).",
            chosen.k
        );
    }
    match r.config.topics.k.fixed() {
        Some(8) => format!(
            "There are {k} topics because topics.k is 8 when --k is not given: no criterion \
             tried picks the grain readers want on every corpus (README); set --k for another \
             number."
        ),
        _ => format!("There are {k} topics, as --k or the configuration (topics.k) asks."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::{hex, texts};
    use crate::stages::s7_report::text::ellipsize;
    use crate::test_support::ReportFixture;

    #[test]
    fn a_panel_a_topic_headed_in_its_colour() {
        let f = ReportFixture::new();
        let c = chart(&f.input()).unwrap().expect("two topics");
        assert_readable(&c);
        let drawn = texts(&c.svg);
        for t in &f.topics.topics {
            let head = format!(
                "Topic {} · {}",
                t.id + 1,
                plural(t.size as usize, "passage")
            );
            let h = drawn.iter().find(|x| x.text == head).expect("a head");
            assert_eq!(h.fill, hex(t.id as usize));
            for &(id, _) in &t.top_terms {
                let term = &f.tokens.vocabulary.terms[id as usize].surface;
                // Labels are cut to the 150 pixels left of the axis: 18 characters.
                let label = ellipsize(term, 18);
                assert!(drawn.iter().any(|x| x.text == label), "{label}");
            }
        }
    }

    #[test]
    fn no_topics_no_chart() {
        let mut f = ReportFixture::new();
        f.topics = crate::artifacts::Topics::none(f.passages.passages.len());
        assert!(chart(&f.input()).unwrap().is_none());
    }
}
