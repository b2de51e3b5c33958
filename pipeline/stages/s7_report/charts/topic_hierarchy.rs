//! Which topics are alike, as a dendrogram.

use super::{corpus_line, Chart};
use crate::error::Result;
use crate::stages::s7_report::draw::{dendrogram, Dendrogram, Frame};
use crate::stages::s7_report::input::ReportInput;

/// The topic hierarchy's joins drawn at their cosine distances, leaves in the tree's own order
/// so that no branches cross; `None` with fewer than two topics or no hierarchy.
pub fn chart(r: &ReportInput) -> Result<Option<Chart>> {
    let k = r.topics.topics.len();
    if k < 2 || r.topics.hierarchy.len() != k - 1 {
        return Ok(None);
    }
    let joins: Vec<(usize, usize, f64)> = r
        .topics
        .hierarchy
        .iter()
        .map(|m| (m.left as usize, m.right as usize, m.distance))
        .collect();
    // Leaves in the tree's own order, so that no branches cross.
    let mut leaves = Vec::with_capacity(k);
    let mut stack = vec![k + joins.len() - 1];
    while let Some(node) = stack.pop() {
        if node < k {
            leaves.push((node, format!("{} · {}", node + 1, r.topic_label(node))));
        } else {
            let (a, b, _) = joins[node - k];
            stack.push(b);
            stack.push(a);
        }
    }
    let title = "Topic hierarchy";
    let sub = format!(
        "{}. {k} topics joined by the similarity of their vocabularies, closest first",
        corpus_line(r)
    );
    let desc = format!(
        "A dendrogram of {k} topics: each join is drawn at the cosine distance between \
         the two groups it joins."
    );
    Ok(Some(Chart {
        file: "topic_hierarchy".into(),
        title: title.into(),
        caption: "Topics joined two at a time, the two most alike first: each join is \
                  drawn at the cosine distance between the groups' class-based TF-IDF \
                  vectors, averaged over the pairs of topics across them (average \
                  linkage, as BERTopic's hierarchical_topics). Topics joined near the \
                  left share much of their vocabulary and may be one subject seen twice; \
                  tables/topic_hierarchy.csv names every join with its own top terms, \
                  and topics.reduce_to or topics.merge_similarity merges them."
            .into(),
        svg: dendrogram(
            &Frame {
                title,
                subtitle: &sub,
                desc: &desc,
            },
            &Dendrogram {
                leaves: &leaves,
                joins: &joins,
                x_desc: "cosine distance between c-TF-IDF vectors (average linkage)",
            },
        )?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::charts::testing::assert_readable;
    use crate::stages::s7_report::draw::testing::strings;
    use crate::stages::s7_report::text::ellipsize;
    use crate::test_support::ReportFixture;

    #[test]
    fn every_topic_is_a_leaf_and_every_join_a_path() {
        let f = ReportFixture::new();
        let r = f.input();
        let c = chart(&r).unwrap().expect("two topics, one join");
        assert_readable(&c);
        let texts = strings(&c.svg);
        for t in 0..2 {
            let leaf = format!("{} · {}", t + 1, r.topic_label(t));
            assert!(texts.iter().any(|x| x == &ellipsize(&leaf, 52)), "{leaf}");
        }
        // Each join is one path in the ink colour.
        assert_eq!(
            c.svg.matches("stroke=\"#3C3C3C\"").count(),
            f.topics.hierarchy.len()
        );
    }

    #[test]
    fn no_hierarchy_no_chart() {
        let mut f = ReportFixture::new();
        f.topics.hierarchy.clear();
        assert!(chart(&f.input()).unwrap().is_none());
    }
}
