//! Trends: changes, contrasts, bursts, shifts, successions, tracked terms and their evidence.

use polars::prelude::*;

use super::frame;
use crate::artifacts::{Span, TermId};
use crate::error::Result;
use crate::stages::s7_report::evidence::Evidence;
use crate::stages::s7_report::input::ReportInput;

/// `contrasts`: for each pair of adjacent non-empty periods, and for the first against the
/// last, the terms rising and falling most (log-odds z-scores with their counts).
pub fn contrasts(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.vocabulary.terms;
    let label = |s: Span| s.label(&r.trends.periods);
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

/// `succession`: pairs of a falling and a rising term that share contexts, best first, with
/// their counts per period (`period:count`, periods without documents left out).
pub fn succession(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.vocabulary.terms;
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

/// `bursts`: Kleinberg bursts (with levels) of the terms with per-period rows, by score; the
/// units using the term inside each (`uses`) beside what its rate outside expects there.
pub fn bursts(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.vocabulary.terms;
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
            "ongoing".into(),
            b.iter().map(|x| x.ongoing).collect::<Vec<_>>(),
        ),
        Column::new(
            "from_start".into(),
            b.iter().map(|x| x.from_start).collect::<Vec<_>>(),
        ),
        Column::new(
            "lasting".into(),
            b.iter().map(|x| x.lasting).collect::<Vec<_>>(),
        ),
        Column::new(
            "level".into(),
            b.iter().map(|x| x.level).collect::<Vec<_>>(),
        ),
        Column::new("uses".into(), b.iter().map(|x| x.uses).collect::<Vec<_>>()),
        Column::new(
            "expected".into(),
            b.iter().map(|x| x.expected).collect::<Vec<_>>(),
        ),
        Column::new("lift".into(), b.iter().map(|x| x.lift).collect::<Vec<_>>()),
        Column::new(
            "concentration".into(),
            b.iter().map(|x| x.concentration).collect::<Vec<_>>(),
        ),
        Column::new(
            "share".into(),
            b.iter().map(|x| x.share).collect::<Vec<_>>(),
        ),
        Column::new(
            "periods".into(),
            b.iter().map(|x| x.periods as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "per_passage".into(),
            b.iter().map(|x| x.per_passage).collect::<Vec<_>>(),
        ),
        Column::new(
            "weight".into(),
            b.iter().map(|x| x.weight).collect::<Vec<_>>(),
        ),
        Column::new(
            "score".into(),
            b.iter().map(|x| x.score).collect::<Vec<_>>(),
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
        columns.push(Column::new(
            "one_voice".into(),
            b.iter().map(|x| x.one_voice).collect::<Vec<_>>(),
        ));
    }
    frame(columns)
}

/// `shifts`: lasting changes of level (share of the documents, or passages, using the term;
/// `unit` says which), by |z|.
pub fn shifts(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.vocabulary.terms;
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
    let terms = &r.vocabulary.terms;
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
pub fn evidence(r: &ReportInput, ev: &[Evidence]) -> Result<DataFrame> {
    let terms = &r.vocabulary.terms;
    frame(vec![
        Column::new(
            "id".into(),
            ev.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "supports".into(),
            ev.iter().map(|e| e.kind.name()).collect::<Vec<_>>(),
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
            ev.iter().map(|e| e.document.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "date".into(),
            ev.iter().map(|e| e.date.to_string()).collect::<Vec<_>>(),
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

/// `changes`: the terms rising and falling most from the earliest periods to the latest.
pub fn changes(r: &ReportInput) -> Result<DataFrame> {
    let terms = &r.vocabulary.terms;
    let (from, to) = r.ends_labels();
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
