//! The corpus as read: documents, passages, the furniture removed, periods and who wrote in each.

use polars::prelude::*;

use super::frame;
use super::RowsContext;
use crate::artifacts::{Doc, PeriodStats};
use crate::error::Result;
use crate::stages::s7_report::input::{ReportInput, Shard};

/// `documents`: one row per document: the rows of a shard's documents `rows` (the table is
/// written in batches).
pub fn documents(
    c: &RowsContext,
    shard: &Shard,
    rows: std::ops::Range<usize>,
) -> Result<DataFrame> {
    let docs: Vec<Doc> = rows
        .clone()
        .map(|i| shard.corpus.documents.get(i))
        .collect();
    // The passages of these documents, which come in document order.
    let ps = &shard.passages.passages;
    let from = ps.partition_point(|p| (p.doc as usize) < rows.start);
    let to = ps.partition_point(|p| (p.doc as usize) < rows.end);
    let mut passages = vec![0u32; docs.len()];
    let mut tokens = vec![0u64; docs.len()];
    for (i, p) in ps.iter().enumerate().take(to).skip(from) {
        passages[p.doc as usize - rows.start] += 1;
        tokens[p.doc as usize - rows.start] += shard.word_counts[i] as u64;
    }
    let mut columns = vec![
        Column::new(
            "document".into(),
            docs.iter().map(|d| d.id()).collect::<Vec<_>>(),
        ),
        Column::new(
            "title".into(),
            docs.iter().map(|d| d.title()).collect::<Vec<_>>(),
        ),
        Column::new(
            "source".into(),
            docs.iter().map(|d| d.source()).collect::<Vec<_>>(),
        ),
        Column::new(
            "date".into(),
            docs.iter()
                .map(|d| d.date().to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period".into(),
            shard.doc_period[rows.clone()]
                .iter()
                .map(|&p| c.periods[p].period.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "date_source".into(),
            docs.iter()
                .map(|d| match d.date_source() {
                    crate::artifacts::DateSource::Given => "given",
                    crate::artifacts::DateSource::Extracted { .. } => "text",
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "date_evidence".into(),
            docs.iter()
                .map(|d| d.date_evidence().map_or("", |(evidence, _)| evidence))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "date_confidence".into(),
            docs.iter()
                .map(|d| match d.date_source() {
                    crate::artifacts::DateSource::Given => 1.0,
                    crate::artifacts::DateSource::Extracted { confidence, .. } => confidence,
                })
                .collect::<Vec<_>>(),
        ),
        Column::new("passages".into(), passages),
        Column::new("tokens".into(), tokens),
        Column::new(
            "bytes".into(),
            docs.iter()
                .map(|d| d.text().len() as u64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "origin".into(),
            docs.iter().map(|d| d.origin()).collect::<Vec<_>>(),
        ),
    ];
    // The input's other columns, as given; a name topictide uses itself gets `input_` before it.
    // Names are looked up in a set: 100,000 columns each compared with every earlier one took
    // most of a minute.
    let mut taken: std::collections::HashSet<String> =
        columns.iter().map(|c| c.name().to_string()).collect();
    for (j, name) in c.extra_columns.iter().enumerate() {
        let name = if taken.contains(name) {
            format!("input_{name}")
        } else {
            name.clone()
        };
        taken.insert(name.clone());
        columns.push(Column::new(
            name.into(),
            docs.iter().map(|d| d.extra_at(j)).collect::<Vec<_>>(),
        ));
    }
    frame(columns)
}

/// `passages`: one row per passage, with its document, byte range in the document's text, topic
/// and similarity to the topic's centre, and its text when `text` asks for it: the rows of a
/// shard's passages `rows` (the table is written in batches). Without the text the table is a
/// small fraction of the corpus; the evidence table quotes what the report shows.
pub fn passages(
    c: &RowsContext,
    shard: &Shard,
    rows: std::ops::Range<usize>,
    text: bool,
) -> Result<DataFrame> {
    let ps = &shard.passages.passages[rows.clone()];
    let docs = &shard.corpus.documents;
    let first = shard.first_passage;
    let numbers = (first + rows.start)..(first + rows.end);
    let mut columns = vec![
        Column::new(
            "passage".into(),
            (numbers.start as u32..numbers.end as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "document".into(),
            ps.iter()
                .map(|p| docs.get(p.doc as usize).id())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "index".into(),
            ps.iter().map(|p| p.index).collect::<Vec<_>>(),
        ),
        Column::new(
            "date".into(),
            ps.iter()
                .map(|p| docs.get(p.doc as usize).date().to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "period".into(),
            ps.iter()
                .map(|p| {
                    c.periods[shard.doc_period[p.doc as usize]]
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
            c.topics.assignment[rows.clone()]
                .iter()
                .map(|a| a.map(|t| t as i64))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "centre_similarity".into(),
            c.topics.centre_similarity[rows.clone()].to_vec(),
        ),
        Column::new("outlier".into(), c.topics.outlier[rows.clone()].to_vec()),
        Column::new("tokens".into(), shard.word_counts[rows.clone()].to_vec()),
    ];
    if text {
        columns.push(Column::new(
            "text".into(),
            rows.map(|i| shard.passages.text(shard.corpus, i))
                .collect::<Vec<_>>(),
        ));
    }
    frame(columns)
}

/// `boilerplate`: every line cleaning removed from a shard's documents, with its rule and byte
/// range.
pub fn boilerplate(shard: &Shard) -> Result<DataFrame> {
    let rm = &shard.passages.removed;
    let docs = &shard.corpus.documents;
    frame(vec![
        Column::new(
            "document".into(),
            rm.iter()
                .map(|x| docs.get(x.doc as usize).id())
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
                .map(|x| &docs.get(x.doc as usize).text()[x.range.clone()])
                .collect::<Vec<_>>(),
        ),
    ])
}

/// `periods`: documents, passages and tokens per period, with the thin-period flag.
pub fn periods(r: &ReportInput) -> Result<DataFrame> {
    period_stats(&r.trends.periods)
}

/// [`periods`] of the periods' counts.
pub fn period_stats(p: &[PeriodStats]) -> Result<DataFrame> {
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
