//! Topic map: passages on the plane that spreads the topic centroids most.

use super::{corpus_line, Chart};
use crate::error::Result;
use crate::stages::s7_report::draw::{scatter_map, Frame, PlacedLabel, ScatterMap};
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::ellipsize;

/// Topics named in full on the topic map at most; beyond, each is labelled by its number.
const MAP_NAMED_TOPICS: usize = 12;

/// Passages drawn on the topic map at most (an even sample of the rest).
const MAP_POINTS: usize = 4000;

/// Each clustered passage with a place on the map as a dot in its topic's colour (an even
/// sample of at most [`MAP_POINTS`]), each topic's label at the centre of its passages; `None`
/// when no passage has a place.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let k = r.topics.topics.len();
    // Read twice rather than listed: a list of the placed passages held 32 bytes a passage at
    // the peak of a run of 10 M posts.
    let placed = || {
        r.topics
            .map
            .iter()
            .zip(&r.topics.assignment)
            .filter_map(|(m, t)| Some(((*m)?, (*t)? as usize)))
    };
    let mut sums = vec![(0.0, 0.0, 0usize); k];
    for ((x, y), t) in placed() {
        let s = &mut sums[t];
        *s = (s.0 + x, s.1 + y, s.2 + 1);
    }
    let total: usize = sums.iter().map(|s| s.2).sum();
    if k == 0 || total == 0 {
        return Ok(None);
    }
    let step = total.div_ceil(MAP_POINTS);
    let points: Vec<(f64, f64, usize)> = placed()
        .step_by(step)
        .map(|((x, y), t)| (x, y, t))
        .collect();
    let labels: Vec<PlacedLabel> = sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s.2 > 0)
        .map(|(t, s)| PlacedLabel {
            x: s.0 / s.2 as f64,
            y: s.1 / s.2 as f64,
            // Many topics: numbers only, which can be placed apart (the caption
            // and the topic chart give their names).
            text: if k > MAP_NAMED_TOPICS {
                (t + 1).to_string()
            } else {
                ellipsize(&format!("{} · {}", t + 1, r.topic_label(t)), 34)
            },
            color: t,
        })
        .collect();
    let title = "Topic map";
    let sub = format!(
        "{}. {} of {} passages shown, coloured by topic",
        corpus_line(r),
        points.len(),
        total
    );
    let desc = format!(
        "A scatter plot of {} passages on two axes, coloured by topic, with each of {k} \
         topic labels at the centre of its passages.",
        points.len()
    );
    Ok(Some(Chart {
        file: "topic_map".into(),
        title: title.into(),
        caption: format!(
            "Each dot is a passage, placed by its LSA vector projected on the two directions \
             along which the topic centres differ most (principal axes of the centroids); \
             its colour is its topic, and each label sits at the centre of its topic's \
             passages. Nearby topics share vocabulary.{} {}",
            if k > MAP_NAMED_TOPICS {
                " Labels are topic numbers; the topic chart above names each."
            } else {
                ""
            },
            if step > 1 {
                format!("Every {step}th passage is drawn, to keep the file small.")
            } else {
                String::new()
            }
        ),
        svg: scatter_map(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &ScatterMap {
                axes: (
                    "axis 1 (LSA units, main spread of topic centres)",
                    "axis 2 (LSA units)",
                ),
                points: &points,
                labels: &labels,
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
    fn a_dot_a_placed_passage_and_a_label_a_topic() {
        let f = ReportFixture::new();
        let r = f.input();
        let c = chart(&r).unwrap().expect("passages are placed");
        assert_readable(&c);
        let placed = f
            .topics
            .map
            .iter()
            .zip(&f.topics.assignment)
            .filter(|(m, t)| m.is_some() && t.is_some())
            .count();
        assert_eq!(c.svg.matches("<circle").count(), placed);
        let texts = strings(&c.svg);
        for t in 0..2 {
            let label = ellipsize(&format!("{} · {}", t + 1, r.topic_label(t)), 34);
            assert!(texts.contains(&label), "{label} not in {texts:?}");
        }
    }
}
