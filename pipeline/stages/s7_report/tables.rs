//! The tables of a run, built as polars DataFrames and written as CSV and Parquet.

use std::path::Path;

use polars::prelude::*;

use super::ReportInput;
use crate::artifacts::TermId;
use crate::error::{Error, Result};

fn frame(columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns)
        .map_err(|e| Error::Internal(format!("building a table: {e}")))
}

/// Writes `df` as `dir/name.csv` and `dir/name.parquet`.
pub fn write(dir: &Path, name: &str, df: &mut DataFrame) -> Result<()> {
    let csv = dir.join(format!("{name}.csv"));
    let f = std::fs::File::create(&csv).map_err(|e| Error::io("create", &csv, e))?;
    CsvWriter::new(std::io::BufWriter::new(f))
        .finish(df)
        .map_err(|e| Error::table("write", &csv, e))?;
    let pq = dir.join(format!("{name}.parquet"));
    let f = std::fs::File::create(&pq).map_err(|e| Error::io("create", &pq, e))?;
    ParquetWriter::new(f)
        .finish(df)
        .map_err(|e| Error::table("write", &pq, e))?;
    Ok(())
}

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
/// `passage_vectors`, what another tool needs to fit its own model to the same matrix.
pub fn tfidf(r: &ReportInput) -> Result<Option<DataFrame>> {
    if r.topics.vectors.is_none() {
        return Ok(None);
    }
    let terms = &r.tokens.vocabulary.terms;
    let m = &r.tfidf.matrix;
    let mut passage = Vec::with_capacity(m.nnz());
    let mut term = Vec::with_capacity(m.nnz());
    let mut weight = Vec::with_capacity(m.nnz());
    for (i, row) in m.outer_iterator().enumerate() {
        for (c, &w) in row.iter() {
            passage.push(i as u32);
            term.push(terms[r.tfidf.features[c] as usize].surface.as_str());
            weight.push(w);
        }
    }
    frame(vec![
        Column::new("passage".into(), passage),
        Column::new("term".into(), term),
        Column::new("weight".into(), weight),
    ])
    .map(Some)
}

/// `documents`: one row per document.
pub fn documents(r: &ReportInput) -> Result<DataFrame> {
    let docs = &r.corpus.documents;
    let mut passages = vec![0u32; docs.len()];
    let mut tokens = vec![0u64; docs.len()];
    for (i, p) in r.passages.passages.iter().enumerate() {
        passages[p.doc as usize] += 1;
        tokens[p.doc as usize] += r.tokens.word_counts[i] as u64;
    }
    let mut columns = vec![
        Column::new(
            "document".into(),
            docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "title".into(),
            docs.iter().map(|d| d.title.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "source".into(),
            docs.iter().map(|d| d.source.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "date".into(),
            docs.iter().map(|d| d.date.to_string()).collect::<Vec<_>>(),
        ),
        Column::new(
            "period".into(),
            r.trends
                .doc_period
                .iter()
                .map(|&p| r.trends.periods[p].period.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "date_source".into(),
            docs.iter()
                .map(|d| match d.date_source {
                    crate::artifacts::DateSource::Given => "given",
                    crate::artifacts::DateSource::Extracted { .. } => "text",
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "date_evidence".into(),
            docs.iter()
                .map(|d| match &d.date_source {
                    crate::artifacts::DateSource::Given => "",
                    crate::artifacts::DateSource::Extracted { evidence, .. } => evidence.as_str(),
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "date_confidence".into(),
            docs.iter()
                .map(|d| match d.date_source {
                    crate::artifacts::DateSource::Given => 1.0,
                    crate::artifacts::DateSource::Extracted { confidence, .. } => confidence,
                })
                .collect::<Vec<_>>(),
        ),
        Column::new("passages".into(), passages),
        Column::new("tokens".into(), tokens),
        Column::new(
            "bytes".into(),
            docs.iter().map(|d| d.text.len() as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "origin".into(),
            docs.iter().map(|d| d.origin.as_str()).collect::<Vec<_>>(),
        ),
    ];
    // The input's other columns, as given; a name topictide uses itself gets `input_` before it.
    for (j, name) in r.corpus.extra_columns.iter().enumerate() {
        let taken = columns.iter().any(|c| c.name().as_str() == name);
        let name = if taken {
            format!("input_{name}")
        } else {
            name.clone()
        };
        columns.push(Column::new(
            name.into(),
            docs.iter()
                .map(|d| d.extra[j].as_deref())
                .collect::<Vec<_>>(),
        ));
    }
    frame(columns)
}

/// `passages`: one row per passage, with its byte range and text.
pub fn passages(r: &ReportInput) -> Result<DataFrame> {
    let ps = &r.passages.passages;
    let docs = &r.corpus.documents;
    frame(vec![
        Column::new("passage".into(), (0..ps.len() as u32).collect::<Vec<_>>()),
        Column::new(
            "document".into(),
            ps.iter()
                .map(|p| docs[p.doc as usize].id.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "index".into(),
            ps.iter().map(|p| p.index).collect::<Vec<_>>(),
        ),
        Column::new(
            "date".into(),
            ps.iter()
                .map(|p| docs[p.doc as usize].date.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period".into(),
            ps.iter()
                .map(|p| {
                    r.trends.periods[r.trends.doc_period[p.doc as usize]]
                        .period
                        .to_string()
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "start".into(),
            ps.iter().map(|p| p.range.start as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "end".into(),
            ps.iter().map(|p| p.range.end as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "topic".into(),
            r.topics
                .assignment
                .iter()
                .map(|a| a.map(|t| t as i64))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "centre_similarity".into(),
            r.topics.centre_similarity.clone(),
        ),
        Column::new("outlier".into(), r.topics.outlier.clone()),
        Column::new("tokens".into(), r.tokens.word_counts.clone()),
        Column::new(
            "text".into(),
            (0..ps.len())
                .map(|i| r.passages.text(r.corpus, i))
                .collect::<Vec<_>>(),
        ),
    ])
}

/// `boilerplate`: every line cleaning removed, with its rule and byte range.
pub fn boilerplate(r: &ReportInput) -> Result<DataFrame> {
    let rm = &r.passages.removed;
    let docs = &r.corpus.documents;
    frame(vec![
        Column::new(
            "document".into(),
            rm.iter()
                .map(|x| docs[x.doc as usize].id.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "rule".into(),
            rm.iter().map(|x| x.rule.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            "start".into(),
            rm.iter().map(|x| x.range.start as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "end".into(),
            rm.iter().map(|x| x.range.end as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "text".into(),
            rm.iter()
                .map(|x| &docs[x.doc as usize].text[x.range.clone()])
                .collect::<Vec<_>>(),
        ),
    ])
}

/// `terms_by_period`: count, rate, documents and passages of each term in each period.
pub fn terms_by_period(r: &ReportInput) -> Result<DataFrame> {
    let rows = &r.trends.rows;
    let terms = &r.tokens.vocabulary.terms;
    let periods = &r.trends.periods;
    frame(vec![
        Column::new(
            "period".into(),
            rows.iter()
                .map(|x| periods[x.period].period.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "term".into(),
            rows.iter()
                .map(|x| terms[x.term as usize].surface.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "count".into(),
            rows.iter().map(|x| x.count).collect::<Vec<_>>(),
        ),
        Column::new(
            "per_1k_tokens".into(),
            rows.iter().map(|x| x.per_1k_tokens).collect::<Vec<_>>(),
        ),
        Column::new(
            "documents".into(),
            rows.iter().map(|x| x.documents).collect::<Vec<_>>(),
        ),
        Column::new(
            "passages".into(),
            rows.iter().map(|x| x.passages).collect::<Vec<_>>(),
        ),
        Column::new(
            "period_documents".into(),
            rows.iter()
                .map(|x| periods[x.period].documents)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period_tokens".into(),
            rows.iter()
                .map(|x| periods[x.period].tokens)
                .collect::<Vec<_>>(),
        ),
    ])
}

/// `periods`: documents, passages and tokens per period, with the thin-period flag.
pub fn periods(r: &ReportInput) -> Result<DataFrame> {
    let p = &r.trends.periods;
    frame(vec![
        Column::new(
            "period".into(),
            p.iter().map(|x| x.period.to_string()).collect::<Vec<_>>(),
        ),
        Column::new(
            "documents".into(),
            p.iter().map(|x| x.documents).collect::<Vec<_>>(),
        ),
        Column::new(
            "passages".into(),
            p.iter().map(|x| x.passages).collect::<Vec<_>>(),
        ),
        Column::new(
            "tokens".into(),
            p.iter().map(|x| x.tokens).collect::<Vec<_>>(),
        ),
        Column::new("thin".into(), p.iter().map(|x| x.thin).collect::<Vec<_>>()),
        Column::new(
            "gap".into(),
            p.iter().map(|x| x.documents == 0).collect::<Vec<_>>(),
        ),
    ])
}

/// `topics`: size, share, top terms with their distinctiveness, representative passages,
/// outliers, the k-means clusters merged into each, and where each joins the hierarchy.
pub fn topics(r: &ReportInput) -> Result<DataFrame> {
    let t = &r.topics.topics;
    let terms = &r.tokens.vocabulary.terms;
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
    let members = hierarchy_members(r);
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

/// The topics under each node of the hierarchy, nodes `0..k` being the topics.
fn hierarchy_members(r: &ReportInput) -> Vec<Vec<usize>> {
    crate::stages::s5_topics::hierarchy::members(
        r.topics.topics.len(),
        r.topics
            .hierarchy
            .iter()
            .map(|m| (m.left as usize, m.right as usize)),
    )
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
    let terms = &r.tokens.vocabulary.terms;
    let members = hierarchy_members(r);
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

/// `contrasts`: for each pair of adjacent non-empty periods, and for the first against the
/// last, the terms rising and falling most (log-odds z-scores with their counts).
pub fn contrasts(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
    let label = |p: usize| r.trends.periods[p].period.to_string();
    // (from, to, direction, rank, term, z, count_from, count_to)
    type Row<'a> = (String, String, &'a str, u32, &'a str, f64, u64, u64);
    let mut rows: Vec<Row> = Vec::new();
    let mut changes: Vec<&crate::artifacts::Change> = Vec::new();
    for c in &r.trends.contrasts {
        for (direction, list) in [("rising", &c.rising), ("falling", &c.falling)] {
            for (rank, ch) in list.iter().enumerate() {
                changes.push(ch);
                rows.push((
                    label(c.from),
                    label(c.to),
                    direction,
                    rank as u32 + 1,
                    terms[ch.term as usize].surface.as_str(),
                    ch.z,
                    ch.count_from,
                    ch.count_to,
                ));
            }
        }
    }
    frame(
        vec![
            Column::new(
                "from".into(),
                rows.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "to".into(),
                rows.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "direction".into(),
                rows.iter().map(|x| x.2).collect::<Vec<_>>(),
            ),
            Column::new("rank".into(), rows.iter().map(|x| x.3).collect::<Vec<_>>()),
            Column::new("term".into(), rows.iter().map(|x| x.4).collect::<Vec<_>>()),
            Column::new("z".into(), rows.iter().map(|x| x.5).collect::<Vec<_>>()),
            Column::new(
                "count_from".into(),
                rows.iter().map(|x| x.6).collect::<Vec<_>>(),
            ),
            Column::new(
                "count_to".into(),
                rows.iter().map(|x| x.7).collect::<Vec<_>>(),
            ),
        ]
        .into_iter()
        .chain(mix_columns(r, &changes))
        .collect(),
    )
}

/// With strata, how each change splits between voices: the stratum with most of the term's
/// occurrences in the two periods and its share, the Mantel–Haenszel z within the strata heard
/// in both, how many those are, the share of the occurrences from voices heard in one period
/// only (new voices for a rise, gone ones for a fall), and what drives the change. No columns
/// without strata.
fn mix_columns(r: &ReportInput, changes: &[&crate::artifacts::Change]) -> Vec<Column> {
    let Some(strata) = &r.trends.strata else {
        return Vec::new();
    };
    let mix: Vec<Option<&crate::artifacts::StratumMix>> =
        changes.iter().map(|c| c.mix.as_ref()).collect();
    vec![
        Column::new(
            "top_stratum".into(),
            mix.iter()
                .map(|m| m.map(|m| strata.names[m.top_stratum as usize].as_str()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "top_stratum_share".into(),
            mix.iter()
                .map(|m| m.map(|m| m.top_share))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "within_strata_z".into(),
            mix.iter()
                .map(|m| m.and_then(|m| m.within_z))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "shared_strata".into(),
            mix.iter()
                .map(|m| m.map(|m| m.shared_strata))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "one_period_share".into(),
            mix.iter()
                .map(|m| m.map(|m| m.one_period_share))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "driven_by".into(),
            mix.iter()
                .map(|m| m.map(|m| m.verdict.name()))
                .collect::<Vec<_>>(),
        ),
    ]
}

/// `composition`: documents and word tokens of each stratum (`trends.stratify`) in each period,
/// with its share of the period's documents; empty without strata.
pub fn composition(r: &ReportInput) -> Result<Option<DataFrame>> {
    let Some(strata) = &r.trends.strata else {
        return Ok(None);
    };
    let c = &strata.composition;
    let label = |p: usize| r.trends.periods[p].period.to_string();
    Ok(Some(frame(vec![
        Column::new(
            "period".into(),
            c.iter().map(|x| label(x.period)).collect::<Vec<_>>(),
        ),
        Column::new(
            "stratum".into(),
            c.iter()
                .map(|x| strata.names[x.stratum as usize].as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "documents".into(),
            c.iter().map(|x| x.documents).collect::<Vec<_>>(),
        ),
        Column::new(
            "tokens".into(),
            c.iter().map(|x| x.tokens).collect::<Vec<_>>(),
        ),
        Column::new(
            "share".into(),
            c.iter()
                .map(|x| x.documents as f64 / r.trends.periods[x.period].documents as f64)
                .collect::<Vec<_>>(),
        ),
    ])?))
}

/// `topics_by_period`: each topic's share of each period's passages, with its bootstrap
/// interval, and its top terms within the period.
pub fn topics_by_period(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
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

/// `succession`: pairs of a falling and a rising term that share contexts, best first, with
/// their counts per period (`period:count`, periods without documents left out).
pub fn succession(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
    let periods = &r.trends.periods;
    let s = &r.trends.succession;
    let name = |t: TermId| terms[t as usize].surface.as_str();
    let counts = |c: &[u64]| {
        c.iter()
            .enumerate()
            .filter(|(p, _)| periods[*p].documents > 0)
            .map(|(p, n)| format!("{}:{n}", periods[p].period))
            .collect::<Vec<_>>()
            .join(" ")
    };
    frame(vec![
        Column::new("rank".into(), (1..=s.len() as u32).collect::<Vec<_>>()),
        Column::new(
            "falling".into(),
            s.iter().map(|x| name(x.falling)).collect::<Vec<_>>(),
        ),
        Column::new(
            "rising".into(),
            s.iter().map(|x| name(x.rising)).collect::<Vec<_>>(),
        ),
        Column::new(
            "score".into(),
            s.iter().map(|x| x.score).collect::<Vec<_>>(),
        ),
        Column::new(
            "similarity".into(),
            s.iter().map(|x| x.similarity).collect::<Vec<_>>(),
        ),
        Column::new(
            "slot_similarity".into(),
            s.iter().map(|x| x.slots).collect::<Vec<_>>(),
        ),
        Column::new(
            "handover_before".into(),
            s.iter()
                .map(|x| periods[x.handover].period.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "z_falling".into(),
            s.iter().map(|x| x.z_falling).collect::<Vec<_>>(),
        ),
        Column::new(
            "z_rising".into(),
            s.iter().map(|x| x.z_rising).collect::<Vec<_>>(),
        ),
        Column::new(
            "same_topic".into(),
            s.iter().map(|x| x.same_topic).collect::<Vec<_>>(),
        ),
        Column::new(
            "counts_falling".into(),
            s.iter()
                .map(|x| counts(&x.counts_falling))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "counts_rising".into(),
            s.iter()
                .map(|x| counts(&x.counts_rising))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "shared_contexts".into(),
            s.iter()
                .map(|x| {
                    x.contexts
                        .iter()
                        .map(|&t| name(t))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect::<Vec<_>>(),
        ),
    ])
}

/// `bursts`: Kleinberg bursts (with levels) of the terms with per-period rows: the episodes
/// seen whole first, each group by strength.
pub fn bursts(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
    let b = &r.trends.bursts;
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let mut columns = vec![
        Column::new(
            "term".into(),
            b.iter()
                .map(|x| terms[x.term as usize].surface.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "start".into(),
            b.iter().map(|x| label(x.start)).collect::<Vec<_>>(),
        ),
        Column::new(
            "end".into(),
            b.iter().map(|x| label(x.end)).collect::<Vec<_>>(),
        ),
        Column::new(
            "inside".into(),
            b.iter().map(|x| x.inside).collect::<Vec<_>>(),
        ),
        Column::new(
            "level".into(),
            b.iter().map(|x| x.level).collect::<Vec<_>>(),
        ),
        Column::new("lift".into(), b.iter().map(|x| x.lift).collect::<Vec<_>>()),
        Column::new(
            "concentration".into(),
            b.iter().map(|x| x.concentration).collect::<Vec<_>>(),
        ),
        Column::new(
            "strength".into(),
            b.iter().map(|x| x.strength).collect::<Vec<_>>(),
        ),
        Column::new(
            "weight".into(),
            b.iter().map(|x| x.weight).collect::<Vec<_>>(),
        ),
        Column::new("unit".into(), vec![r.trends.counted.name(); b.len()]),
    ];
    if let Some(strata) = &r.trends.strata {
        columns.push(Column::new(
            "top_stratum".into(),
            b.iter()
                .map(|x| {
                    x.top_stratum
                        .map(|(s, _)| strata.names[s as usize].as_str())
                })
                .collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "top_stratum_share".into(),
            b.iter()
                .map(|x| x.top_stratum.map(|(_, share)| share))
                .collect::<Vec<_>>(),
        ));
    }
    frame(columns)
}

/// `shifts`: lasting changes of level (share of the documents, or passages, using the term;
/// `unit` says which), by |z|.
pub fn shifts(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
    let s = &r.trends.shifts;
    let label = |p: usize| r.trends.periods[p].period.to_string();
    frame(vec![
        Column::new(
            "term".into(),
            s.iter()
                .map(|x| terms[x.term as usize].surface.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "since".into(),
            s.iter().map(|x| label(x.since)).collect::<Vec<_>>(),
        ),
        Column::new(
            "from".into(),
            s.iter().map(|x| label(x.from)).collect::<Vec<_>>(),
        ),
        Column::new(
            "to".into(),
            s.iter().map(|x| label(x.to)).collect::<Vec<_>>(),
        ),
        Column::new(
            "until".into(),
            s.iter().map(|x| label(x.until)).collect::<Vec<_>>(),
        ),
        Column::new(
            "share_before".into(),
            s.iter().map(|x| x.before).collect::<Vec<_>>(),
        ),
        Column::new(
            "share_after".into(),
            s.iter().map(|x| x.after).collect::<Vec<_>>(),
        ),
        Column::new("z".into(), s.iter().map(|x| x.z).collect::<Vec<_>>()),
        Column::new("unit".into(), vec![r.trends.counted.name(); s.len()]),
    ])
}

/// `tracked`: each tracked term per period, with 95% bootstrap intervals over documents.
pub fn tracked(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
    let rows: Vec<(&crate::artifacts::Tracked, &crate::artifacts::TrackedPoint)> = r
        .trends
        .tracked
        .iter()
        .flat_map(|t| t.series.iter().map(move |p| (t, p)))
        .collect();
    let periods = &r.trends.periods;
    frame(vec![
        Column::new(
            "query".into(),
            rows.iter()
                .map(|(t, _)| t.query.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "term".into(),
            rows.iter()
                .map(|(t, _)| t.term.map_or("", |id| terms[id as usize].surface.as_str()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period".into(),
            rows.iter()
                .map(|(_, p)| periods[p.period].period.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period_documents".into(),
            rows.iter()
                .map(|(_, p)| periods[p.period].documents)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "thin".into(),
            rows.iter()
                .map(|(_, p)| periods[p.period].thin)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "count".into(),
            rows.iter().map(|(_, p)| p.count).collect::<Vec<_>>(),
        ),
        Column::new(
            "per_1k_tokens".into(),
            rows.iter()
                .map(|(_, p)| p.per_1k_tokens)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "per_1k_low".into(),
            rows.iter().map(|(_, p)| p.per_1k_low).collect::<Vec<_>>(),
        ),
        Column::new(
            "per_1k_high".into(),
            rows.iter().map(|(_, p)| p.per_1k_high).collect::<Vec<_>>(),
        ),
        Column::new(
            "documents".into(),
            rows.iter().map(|(_, p)| p.documents).collect::<Vec<_>>(),
        ),
        Column::new(
            "document_share".into(),
            rows.iter()
                .map(|(_, p)| p.document_share)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "share_low".into(),
            rows.iter().map(|(_, p)| p.share_low).collect::<Vec<_>>(),
        ),
        Column::new(
            "share_high".into(),
            rows.iter().map(|(_, p)| p.share_high).collect::<Vec<_>>(),
        ),
        Column::new(
            "per_1k_smoothed".into(),
            rows.iter()
                .map(|(_, p)| p.per_1k_smoothed)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "share_smoothed".into(),
            rows.iter()
                .map(|(_, p)| p.share_smoothed)
                .collect::<Vec<_>>(),
        ),
    ])
}

/// `evidence`: the passages behind tracked terms, contrasts and bursts, in context.
pub fn evidence(r: &ReportInput, ev: &[super::evidence::Evidence]) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
    let docs = &r.corpus.documents;
    let doc_of = |e: &super::evidence::Evidence| &docs[r.passages.passages[e.passage].doc as usize];
    frame(vec![
        Column::new(
            "id".into(),
            ev.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "supports".into(),
            ev.iter().map(|e| e.kind).collect::<Vec<_>>(),
        ),
        Column::new(
            "term".into(),
            ev.iter()
                .map(|e| terms[e.term as usize].surface.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period".into(),
            ev.iter().map(|e| e.period.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "document".into(),
            ev.iter().map(|e| doc_of(e).id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "date".into(),
            ev.iter()
                .map(|e| doc_of(e).date.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "passage".into(),
            ev.iter().map(|e| e.passage as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "start".into(),
            ev.iter().map(|e| e.start as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "end".into(),
            ev.iter().map(|e| e.end as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "left".into(),
            ev.iter().map(|e| e.left.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "match".into(),
            ev.iter().map(|e| e.matched.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "right".into(),
            ev.iter().map(|e| e.right.as_str()).collect::<Vec<_>>(),
        ),
    ])
}

/// `changes`: the terms rising and falling most from the first to the last period.
pub fn changes(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.tokens.vocabulary.terms;
    let (from, to) = r.first_last_labels();
    let all: Vec<(&str, &crate::artifacts::Change)> = r
        .trends
        .rising
        .iter()
        .map(|c| ("rising", c))
        .chain(r.trends.falling.iter().map(|c| ("falling", c)))
        .collect();
    frame(
        vec![
            Column::new(
                "direction".into(),
                all.iter().map(|x| x.0).collect::<Vec<_>>(),
            ),
            Column::new("from".into(), vec![from.as_str(); all.len()]),
            Column::new("to".into(), vec![to.as_str(); all.len()]),
            Column::new(
                "term".into(),
                all.iter()
                    .map(|x| terms[x.1.term as usize].surface.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new("z".into(), all.iter().map(|x| x.1.z).collect::<Vec<_>>()),
            Column::new(
                "count_from".into(),
                all.iter().map(|x| x.1.count_from).collect::<Vec<_>>(),
            ),
            Column::new(
                "count_to".into(),
                all.iter().map(|x| x.1.count_to).collect::<Vec<_>>(),
            ),
        ]
        .into_iter()
        .chain(mix_columns(r, &all.iter().map(|x| x.1).collect::<Vec<_>>()))
        .collect(),
    )
}

/// `variants`: each spelling folded into a term (`cyber security` → `cybersecurity`).
pub fn variants(r: &ReportInput) -> Result<DataFrame> {
    let v = &r.tokens.vocabulary;
    frame(vec![
        Column::new(
            "term".into(),
            v.folded
                .iter()
                .map(|(_, t)| v.terms[*t as usize].surface.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "variant".into(),
            v.folded.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        ),
    ])
}

/// `phrases`: the phrases learnt from the corpus, by score, with their counts.
pub fn phrases(r: &ReportInput) -> Result<DataFrame> {
    let v = &r.tokens.vocabulary;
    let mut ids: Vec<usize> = (0..v.terms.len())
        .filter(|&i| v.terms[i].kind.is_phrase())
        .collect();
    let score = |i: usize| v.terms[i].score.unwrap_or(f64::NAN);
    ids.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
    frame(vec![
        Column::new(
            "phrase".into(),
            ids.iter()
                .map(|&i| v.terms[i].surface.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "words".into(),
            ids.iter()
                .map(|&i| v.terms[i].key.split(' ').count() as u32)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "count".into(),
            ids.iter().map(|&i| v.terms[i].count).collect::<Vec<_>>(),
        ),
        Column::new(
            "documents".into(),
            ids.iter()
                .map(|&i| v.terms[i].documents)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "score".into(),
            ids.iter().map(|&i| score(i)).collect::<Vec<_>>(),
        ),
        Column::new(
            "learnt".into(),
            ids.iter()
                .map(|&i| v.terms[i].kind == crate::artifacts::TermKind::Phrase)
                .collect::<Vec<_>>(),
        ),
    ])
}

/// `terms`: the whole vocabulary with corpus counts, and variants folded into each term.
pub fn terms(r: &ReportInput) -> Result<DataFrame> {
    let v = &r.tokens.vocabulary;
    let mut in_tfidf = vec![false; v.terms.len()];
    r.tfidf
        .features
        .iter()
        .for_each(|&t| in_tfidf[t as usize] = true);
    let mut variants = vec![String::new(); v.terms.len()];
    for (variant, t) in &v.folded {
        let s = &mut variants[*t as usize];
        if !s.is_empty() {
            s.push_str("; ");
        }
        s.push_str(variant);
    }
    frame(vec![
        Column::new(
            "term".into(),
            v.terms
                .iter()
                .map(|t| t.surface.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "kind".into(),
            v.terms.iter().map(|t| t.kind.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            "count".into(),
            v.terms.iter().map(|t| t.count).collect::<Vec<_>>(),
        ),
        Column::new(
            "documents".into(),
            v.terms.iter().map(|t| t.documents).collect::<Vec<_>>(),
        ),
        Column::new(
            "passages".into(),
            v.terms.iter().map(|t| t.passages).collect::<Vec<_>>(),
        ),
        Column::new("in_tfidf".into(), in_tfidf),
        Column::new("variants".into(), variants),
    ])
}
