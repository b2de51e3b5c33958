//! `report.html`: one self-contained page (charts by relative link, no network) with a summary
//! written from the results ([`summary`]), a section per chart with the tables behind it
//! ([`sections`]), and the evidence. All corpus text is escaped.

mod glance;
mod sections;
mod summary;

use std::fmt::Write;

use super::charts::Chart;
use super::evidence::Evidence;
use super::input::{ReportInput, Written};
use super::text::escape;

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}\
h1{font-size:1.7em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}\
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#444;font-size:.95em}\
.thin{color:#b35900}.note{background:#fff8e6;border-left:4px solid #e69f00;padding:.5em 1em}";

/// Renders the page.
pub fn page(r: &ReportInput, charts: &[Chart], ev: &[Evidence], tables: &Written) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>topictide report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&r.facts.path.display().to_string())
    );
    let _ = writeln!(
        h,
        "<h1>What the corpus talks about, and how that changed</h1>"
    );

    let tables_from = h.len();
    summary::write(&mut h, r, tables);
    if !charts.iter().any(|c| c.file == "tracked_terms") {
        summary::tracked_details(&mut h, r);
    }
    periods_table(&mut h, r);
    // Charts.
    for c in charts {
        let _ = writeln!(
            h,
            "<h2 id=\"{0}\">{1}</h2>\n<figure><img src=\"charts/{0}.svg\" alt=\"{1}\">\n<figcaption>{2}</figcaption></figure>",
            c.file,
            escape(&c.title),
            escape(&c.caption)
        );
        if c.file == "tracked_terms" {
            summary::tracked_details(&mut h, r);
            sections::tracked_table(&mut h, r, ev);
        }
        if c.file == "rising_falling" {
            sections::changes_table(&mut h, r, ev);
            sections::adjacent_table(&mut h, r, ev);
        }
        if c.file == "topic_terms" {
            sections::topics_table(&mut h, r);
        }
        if c.file == "bursts" {
            sections::bursts_table(&mut h, r, ev);
        }
        if c.file == "shifts" {
            sections::shifts_table(&mut h, r);
        }
    }

    sections::succession_section(&mut h, r, ev);
    sections::evidence_section(&mut h, r, ev);
    let _ = writeln!(
        h,
        "<h2 id=\"stage-timings\">Stage timings</h2>\n<figure><img src=\"stage_timings.svg\" \
         alt=\"Stage timings of this run\">\n<figcaption>Wall time of each stage of this run, \
         with what it took in and produced (the same figures are in <code>run.json</code>). \
         Wall time differs from run to run, so this chart sits beside <code>run.json</code>, \
         outside <code>charts/</code>: every other file of a run is the same, byte for byte, \
         when the run is repeated. <code>cargo bench</code> measures the stages \
         properly.</figcaption></figure>"
    );

    let _ = writeln!(
        h,
        "<h2 id=\"tables\">Tables</h2>\n<p>In <code>tables/</code>, each as CSV and Parquet: \
         documents, passages, boilerplate (lines and datelines removed as page furniture, with their rule), \
         periods, terms, variants, phrases, terms_by_period, topics, k_scores, topic_hierarchy, topics_by_period, changes, \
         contrasts, bursts, shifts, succession, tracked, evidence{}. The run's \
         configuration, figures and stage timings are in <code>run.json</code>.</p>\n</body>\n</html>",
        if r.trends.strata.is_some() {
            ", composition (documents and tokens of each voice in each period)"
        } else {
            ""
        }
    );
    // The page speaks English; its tables hold the corpus' own words, so each declares the
    // corpus' language, and screen readers and fonts follow it.
    let language = r.vocabulary.language;
    if language != crate::artifacts::Language::English {
        let tagged =
            h[tables_from..].replace("<table>", &format!("<table lang=\"{}\">", language.tag()));
        h.truncate(tables_from);
        h.push_str(&tagged);
    }
    h
}

/// The documents, passages and tokens of each period, with its voices when there are strata.
fn periods_table(h: &mut String, r: &ReportInput) {
    let voices = r
        .trends
        .strata
        .as_ref()
        .map(|s| summary::voices_per_period(r, s));
    let _ = writeln!(
        h,
        "<h2 id=\"periods\">Documents per period</h2>\n<table><tr><th>period</th><th>documents</th>\
         <th>passages</th><th>word tokens</th>{}</tr>",
        match &r.trends.strata {
            Some(s) => format!("<th>voices ({})</th>", escape(&s.column)),
            None => String::new(),
        }
    );
    let periods = &r.trends.periods;
    let mut i = 0;
    while i < periods.len() {
        let p = &periods[i];
        // A run of periods without documents is one row.
        let gap_end = (i..periods.len())
            .take_while(|&j| periods[j].documents == 0)
            .last();
        if let Some(last) = gap_end.filter(|&last| last > i) {
            let _ = writeln!(
                h,
                "<tr><td>{}–{} ({} periods without documents)</td><td class=\"n\">0</td>\
                 <td class=\"n\">0</td><td class=\"n\">0</td>{}</tr>",
                p.period,
                periods[last].period,
                last - i + 1,
                if voices.is_some() { "<td></td>" } else { "" }
            );
            i = last + 1;
            continue;
        }
        let class = if p.thin { " class=\"thin\"" } else { "" };
        let _ = writeln!(
            h,
            "<tr{class}><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}</tr>",
            p.period,
            if class.is_empty() { "" } else { " *" },
            p.documents,
            p.passages,
            p.tokens,
            match &voices {
                Some(v) => format!("<td>{}</td>", escape(&v[i])),
                None => String::new(),
            }
        );
        i += 1;
    }
    let _ = writeln!(h, "</table>");
    if let Some(strata) = &r.trends.strata {
        for (_, line) in summary::dominated_periods(r, strata) {
            let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&line));
        }
    }
}
