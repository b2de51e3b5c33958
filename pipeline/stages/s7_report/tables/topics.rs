//! Topics: their terms and sizes, the hierarchy, the choice of k, shares over time, and the vectors behind them.

use polars::prelude::*;

use super::frame;
use super::RowsContext;
use crate::error::Result;
use crate::stages::s7_report::input::{ReportInput, Shard};

/// `passage_vectors`: each clustered passage's unit-length LSA vector, when
/// `topics.write_vectors` asked for it.
pub fn passage_vectors(r: &ReportInput) -> Result<Option<DataFrame>> {
    let Some((rows, x)) = &r.topics.vectors else {
        return Ok(None);
    };
    let mut columns = vec![Column::new(
        "passage".into(),
        rows.iter().map(|&p| p as u32).collect::<Vec<_>>(),
    )];
    for (j, col) in x.columns().into_iter().enumerate() {
        columns.push(Column::new(format!("d{}", j + 1).into(), col.to_vec()));
    }
    frame(columns).map(Some)
}

/// `tfidf`: the TF-IDF matrix the topics were found in, one row per non-zero weight
/// (`passage`, `term`, `weight`), when `topics.write_vectors` asked for it: with
/// `passage_vectors`, what another tool needs to fit its own model to the same matrix. The
/// rows of a shard's passages.
pub fn tfidf(c: &RowsContext, shard: &Shard) -> Result<DataFrame> {
    let terms = &c.vocabulary.terms;
    let m = c.tfidf.transform_bags(shard.bags);
    let mut passage = Vec::with_capacity(m.nnz());
    let mut term = Vec::with_capacity(m.nnz());
    let mut weight = Vec::with_capacity(m.nnz());
    for (i, row) in m.outer_iterator().enumerate() {
        for (j, &w) in row.iter() {
            passage.push((shard.first_passage + i) as u32);
            term.push(terms[c.tfidf.features[j] as usize].surface.as_str());
            weight.push(w);
        }
    }
    frame(vec![
        Column::new("passage".into(), passage),
        Column::new("term".into(), term),
        Column::new("weight".into(), weight),
    ])
}

/// `topics`: size, share, top terms with their distinctiveness, representative passages,
/// outliers, the k-means clusters merged into each, and where each joins the hierarchy.
pub fn topics(r: &ReportInput) -> Result<DataFrame> {
    let t = &r.topics.topics;
    let terms = &r.vocabulary.terms;
    let assigned: u32 = t.iter().map(|x| x.size).sum();
    let join = |x: &crate::artifacts::Topic, n: usize| {
        x.top_terms
            .iter()
            .take(n)
            .map(|&(id, _)| terms[id as usize].surface.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    // The step of the hierarchy where each topic first joins others: their similarity, and the
    // topics it joins ("3", or "3; 5; 7").
    let members = r.topics.hierarchy_members();
    let first_joins: Vec<Option<(f64, String)>> = (0..t.len())
        .map(|topic| {
            r.topics.hierarchy.iter().find_map(|m| {
                let other = if m.left as usize == topic {
                    m.right
                } else if m.right as usize == topic {
                    m.left
                } else {
                    return None;
                };
                Some((1.0 - m.distance, ids(&members[other as usize])))
            })
        })
        .collect();
    let mut columns = vec![
        Column::new("topic".into(), t.iter().map(|x| x.id).collect::<Vec<_>>()),
        Column::new("size".into(), t.iter().map(|x| x.size).collect::<Vec<_>>()),
        Column::new(
            "share".into(),
            t.iter()
                .map(|x| x.size as f64 / assigned.max(1) as f64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "label".into(),
            t.iter().map(|x| join(x, 3)).collect::<Vec<_>>(),
        ),
        Column::new(
            "top_terms".into(),
            t.iter().map(|x| join(x, usize::MAX)).collect::<Vec<_>>(),
        ),
        Column::new(
            "weights".into(),
            t.iter()
                .map(|x| {
                    x.top_terms
                        .iter()
                        .map(|(_, w)| format!("{w:.6}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "representatives".into(),
            t.iter()
                .map(|x| {
                    x.representatives
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "coherence_npmi".into(),
            t.iter().map(|x| x.coherence).collect::<Vec<_>>(),
        ),
        Column::new(
            "outliers".into(),
            t.iter().map(|x| x.outliers).collect::<Vec<_>>(),
        ),
        Column::new(
            "clusters".into(),
            t.iter().map(|x| x.clusters).collect::<Vec<_>>(),
        ),
        Column::new(
            "joins".into(),
            first_joins
                .iter()
                .map(|j| j.as_ref().map(|(_, other)| other.as_str()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "join_similarity".into(),
            first_joins
                .iter()
                .map(|j| j.as_ref().map(|(similarity, _)| *similarity))
                .collect::<Vec<_>>(),
        ),
    ];
    // The similarity matrix, one column per topic.
    for j in 0..t.len() {
        columns.push(Column::new(
            format!("similarity_{j}").into(),
            r.topics
                .similarity
                .iter()
                .map(|row| row[j])
                .collect::<Vec<_>>(),
        ));
    }
    frame(columns)
}

fn ids(topics: &[usize]) -> String {
    topics
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// `topic_hierarchy`: the joins of the topic hierarchy, closest first. Nodes `0..k` are the
/// topics; `node` numbers the one each step makes.
pub fn topic_hierarchy(r: &ReportInput) -> Result<DataFrame> {
    let h = &r.topics.hierarchy;
    let k = r.topics.topics.len() as u32;
    let terms = &r.vocabulary.terms;
    let members = r.topics.hierarchy_members();
    let join = |m: &crate::artifacts::TopicMerge, n: usize| {
        m.top_terms
            .iter()
            .take(n)
            .map(|&(id, _)| terms[id as usize].surface.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    frame(vec![
        Column::new("node".into(), (k..k + h.len() as u32).collect::<Vec<_>>()),
        Column::new("left".into(), h.iter().map(|m| m.left).collect::<Vec<_>>()),
        Column::new(
            "right".into(),
            h.iter().map(|m| m.right).collect::<Vec<_>>(),
        ),
        Column::new(
            "similarity".into(),
            h.iter().map(|m| 1.0 - m.distance).collect::<Vec<_>>(),
        ),
        Column::new(
            "topics".into(),
            (k as usize..k as usize + h.len())
                .map(|node| ids(&members[node]))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "passages".into(),
            h.iter().map(|m| m.passages).collect::<Vec<_>>(),
        ),
        Column::new(
            "label".into(),
            h.iter().map(|m| join(m, 3)).collect::<Vec<_>>(),
        ),
        Column::new(
            "top_terms".into(),
            h.iter().map(|m| join(m, usize::MAX)).collect::<Vec<_>>(),
        ),
    ])
}

/// `k_scores`: when the number of topics was chosen (`k = "auto"`), how each k scored.
pub fn k_scores(r: &ReportInput) -> Result<DataFrame> {
    let s = &r.topics.k_scores;
    frame(vec![
        Column::new("k".into(), s.iter().map(|x| x.k as u32).collect::<Vec<_>>()),
        Column::new(
            "silhouette".into(),
            s.iter().map(|x| x.silhouette).collect::<Vec<_>>(),
        ),
        Column::new(
            "stability".into(),
            s.iter().map(|x| x.stability).collect::<Vec<_>>(),
        ),
        Column::new(
            "coherence_npmi".into(),
            s.iter().map(|x| x.coherence).collect::<Vec<_>>(),
        ),
        Column::new(
            "inertia".into(),
            s.iter().map(|x| x.inertia).collect::<Vec<_>>(),
        ),
        Column::new(
            "chosen".into(),
            s.iter().map(|x| x.chosen).collect::<Vec<_>>(),
        ),
    ])
}

/// `topics_by_period`: each topic's share of each period's passages, with its bootstrap
/// interval, and its top terms within the period.
pub fn topics_by_period(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.vocabulary.terms;
    let rows = &r.trends.topics_by_period;
    let periods = &r.trends.periods;
    frame(vec![
        Column::new(
            "period".into(),
            rows.iter()
                .map(|x| periods[x.period].period.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period_documents".into(),
            rows.iter()
                .map(|x| periods[x.period].documents)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "thin".into(),
            rows.iter()
                .map(|x| periods[x.period].thin)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "topic".into(),
            rows.iter().map(|x| x.topic + 1).collect::<Vec<_>>(),
        ),
        Column::new(
            "topic_label".into(),
            rows.iter()
                .map(|x| r.topic_label(x.topic as usize))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "passages".into(),
            rows.iter().map(|x| x.passages).collect::<Vec<_>>(),
        ),
        Column::new(
            "share".into(),
            rows.iter().map(|x| x.share).collect::<Vec<_>>(),
        ),
        Column::new(
            "share_low".into(),
            rows.iter().map(|x| x.share_low).collect::<Vec<_>>(),
        ),
        Column::new(
            "share_high".into(),
            rows.iter().map(|x| x.share_high).collect::<Vec<_>>(),
        ),
        Column::new(
            "top_terms".into(),
            rows.iter()
                .map(|x| {
                    x.top_terms
                        .iter()
                        .map(|&(id, _)| terms[id as usize].surface.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect::<Vec<_>>(),
        ),
    ])
}
