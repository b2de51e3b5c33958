//! Topic prevalence over time: each period's passages by topic.

use super::{corpus_line, docs_per_period, Chart, Periods};
use crate::error::Result;
use crate::stages::s7_report::draw::{stacked_area, Frame, StackedArea};
use crate::stages::s7_report::input::ReportInput;

/// Stacked areas of each topic's share of each period's passages; `None` without topics.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let k = r.topics.topics.len();
    if k == 0 {
        return Ok(None);
    }
    let periods = Periods::of(r);
    let names: Vec<String> = (0..k)
        .map(|t| format!("Topic {}: {}", t + 1, r.topic_label(t)))
        .collect();
    let band_names: Vec<String> = (0..k)
        .map(|t| format!("{}: {}", t + 1, r.topic_label(t)))
        .collect();
    let title = "Topic prevalence over time";
    let sub = format!(
        "{}. Share of each period's passages in each topic",
        corpus_line(r)
    );
    let desc = format!(
        "Stacked areas: for each of {} periods, the share of its passages in each of {k} topics.",
        periods.labels.len()
    );
    Ok(Some(Chart {
        file: "topic_share".into(),
        title: title.into(),
        caption: format!(
            "Each band is a topic's share of the period's passages, stacked to 100%; topics are \
             named on their band where it is wide enough, and all in the legend. A break is a \
             period without documents. tables/topics_by_period.csv has each share with its 95% \
             bootstrap interval and the topic's top terms within each period. {}.",
            docs_per_period(r)
        ),
        svg: stacked_area(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &StackedArea {
                x: periods.axis(),
                y_desc: "share of the period's passages",
                names: &names,
                band_names: &band_names,
                shares: &r.topic_share(),
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
    fn every_topic_is_in_the_legend() {
        let f = ReportFixture::new();
        let r = f.input();
        let c = chart(&r).unwrap().expect("two topics");
        assert_readable(&c);
        let texts = strings(&c.svg);
        for t in 0..2 {
            let name = format!("Topic {}: {}", t + 1, r.topic_label(t));
            assert!(texts.contains(&name), "{name} not in {texts:?}");
        }
        assert!(texts.contains(&"100%".to_string()));
    }
}
