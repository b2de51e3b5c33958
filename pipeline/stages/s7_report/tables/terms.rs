//! The vocabulary: terms, the spellings folded into them, phrases, and counts per period.

use polars::prelude::*;

use super::frame;
use crate::artifacts::{PeriodStats, TermPeriod, TfIdf, Vocabulary};
use crate::error::Result;
use crate::stages::s7_report::input::ReportInput;

/// `terms`: the whole vocabulary with corpus counts, and variants folded into each term.
pub fn terms(r: &ReportInput) -> Result<DataFrame> {
    vocabulary_terms(r.vocabulary, r.tfidf)
}

/// [`terms`] of a vocabulary and its TF-IDF weighting.
pub fn vocabulary_terms(v: &Vocabulary, tfidf: &TfIdf) -> Result<DataFrame> {
    let mut in_tfidf = vec![false; v.terms.len()];
    tfidf
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

/// `variants`: each spelling folded into a term (`cyber security` → `cybersecurity`).
pub fn variants(r: &ReportInput) -> Result<DataFrame> {
    vocabulary_variants(r.vocabulary)
}

/// [`variants`] of a vocabulary.
pub fn vocabulary_variants(v: &Vocabulary) -> Result<DataFrame> {
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
    vocabulary_phrases(r.vocabulary)
}

/// [`phrases`] of a vocabulary.
pub fn vocabulary_phrases(v: &Vocabulary) -> Result<DataFrame> {
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

/// `terms_by_period`: count, rate, documents and passages of each term in each period.
pub fn terms_by_period(r: &ReportInput) -> Result<DataFrame> {
    period_rows(&r.trends.rows, r.vocabulary, &r.trends.periods)
}

/// [`terms_by_period`] of rows, their vocabulary and periods.
pub fn period_rows(
    rows: &[TermPeriod],
    vocabulary: &Vocabulary,
    periods: &[PeriodStats],
) -> Result<DataFrame> {
    let terms = &vocabulary.terms;
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
