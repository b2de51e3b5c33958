//! `report.html`: one self-contained page (charts by relative link, no network) with a summary
//! written from the results, a section per chart, and the tables behind them. All corpus text
//! is escaped.

use std::fmt::Write;

use super::evidence::Evidence;
use super::{plural, Chart, ReportInput};
use crate::artifacts::Counted;

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn excerpt(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    super::charts::ellipsize(&flat, max)
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}\
h1{font-size:1.7em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}\
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#444;font-size:.95em}\
.thin{color:#b35900}.note{background:#fff8e6;border-left:4px solid #e69f00;padding:.5em 1em}";

/// Renders the page.
pub fn page(r: &ReportInput, charts: &[Chart], ev: &[Evidence]) -> String {
    let terms = &r.tokens.vocabulary.terms;
    let (from, to) = r.first_last_labels();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>topictide report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&r.corpus.path.display().to_string())
    );
    let _ = writeln!(
        h,
        "<h1>What the corpus talks about, and how that changed</h1>"
    );

    // Summary.
    let n_docs = r.corpus.documents.len();
    let thin: Vec<String> = r
        .trends
        .periods
        .iter()
        .filter(|p| p.thin)
        .map(|p| p.period.to_string())
        .collect();
    let gaps = r.trends.periods.iter().filter(|p| p.documents == 0).count();
    let _ = writeln!(h, "<h2 id=\"summary\">Summary</h2>\n<ul>");
    let _ = writeln!(
        h,
        "<li>{n_docs} documents ({} passages, {} word tokens) from <code>{}</code>, dated {from} to {to}, in {} periods{}.</li>",
        r.passages.passages.len(),
        r.tokens.word_counts.iter().map(|&n| n as u64).sum::<u64>(),
        escape(&r.corpus.path.display().to_string()),
        r.trends.periods.len(),
        if gaps > 0 { format!(" ({gaps} without documents, shown as gaps)") } else { String::new() }
    );
    let from_text = r
        .corpus
        .documents
        .iter()
        .filter(|d| d.date_source != crate::artifacts::DateSource::Given)
        .count();
    if from_text > 0 {
        let _ = writeln!(
            h,
            "<li>{from_text} document(s) were dated from their own text; the words that date each \
             are in <code>tables/documents.csv</code> (<code>date_evidence</code>, \
             <code>date_confidence</code>).</li>"
        );
    }
    if r.tokens.markup_words > 0 {
        let _ = writeln!(
            h,
            "<li>{} word(s) inside markup were not read as words: HTML tags such as \
             <code>&lt;a href=…&gt;</code> and character references such as <code>&amp;amp;</code> \
             or <code>#39;</code>, escaped or not (<code>markup_words_not_read</code> in \
             <code>run.json</code>).</li>",
            r.tokens.markup_words
        );
    }
    for (left_out, why) in [
        (&r.corpus.dropped_undated, "for want of a date"),
        (&r.corpus.dropped_empty, "for having no text"),
    ] {
        if left_out.is_empty() {
            continue;
        }
        let _ = writeln!(
            h,
            "<li class=\"thin\">{} document(s) were left out {why}: {}{}.</li>",
            left_out.len(),
            escape(
                &left_out
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            if left_out.len() > 10 {
                " … (all in run.json)"
            } else {
                ""
            }
        );
    }
    if let Some(stray) = r.trends.stray_date {
        let d = &r.corpus.documents[stray.document];
        let _ = writeln!(
            h,
            "<li class=\"thin\">One document is dated {} years from every other: {} ({}). If \
             that date is a mistake, fix it in the corpus; every chart stretches over the empty \
             periods between.</li>",
            stray.years_apart,
            escape(&d.origin),
            d.date
        );
    }
    if !thin.is_empty() {
        let _ = writeln!(
            h,
            "<li class=\"thin\">{} of the periods rest on fewer than {} documents ({}): \
             a change there may be one author's wording, not a shift in the discourse.</li>",
            thin.len(),
            r.config.trends.thin_documents,
            escape(&thin.join(", "))
        );
    }
    if let Some(strata) = &r.trends.strata {
        let dominated = dominated_periods(r, strata);
        let _ = writeln!(
            h,
            "<li{}>Voices ({}): {} in all. {}</li>",
            if dominated.is_empty() {
                ""
            } else {
                " class=\"thin\""
            },
            escape(&strata.column),
            strata.names.len(),
            if dominated.is_empty() {
                "No period is dominated by one voice.".to_string()
            } else {
                escape(&format!(
                    "{} dominated by one voice: {}. Each period's voices are under \
                     Documents per period.",
                    if dominated.len() == 1 {
                        "One period is".to_string()
                    } else {
                        format!("{} periods are", dominated.len())
                    },
                    dominated
                        .iter()
                        .map(|d| d.0.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ))
            }
        );
    }
    let list = |cs: &[crate::artifacts::Change]| {
        cs.iter()
            .take(5)
            .map(|c| {
                format!(
                    "<b>{}</b> ({} → {})",
                    escape(&terms[c.term as usize].surface),
                    c.count_from,
                    c.count_to
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !r.trends.rising.is_empty() {
        let _ = writeln!(
            h,
            "<li>Rising most from {from} to {to}: {}.{}</li>",
            list(&r.trends.rising),
            escape(&mix_summary(
                r,
                &r.trends.rising[..r.trends.rising.len().min(5)]
            ))
        );
    }
    if !r.trends.falling.is_empty() {
        let _ = writeln!(
            h,
            "<li>Falling most from {from} to {to}: {}.{}</li>",
            list(&r.trends.falling),
            escape(&mix_summary(
                r,
                &r.trends.falling[..r.trends.falling.len().min(5)]
            ))
        );
    }
    for t in &r.trends.tracked {
        match t.term {
            Some(id) => {
                let rows: Vec<&crate::artifacts::TermPeriod> = r
                    .trends
                    .rows
                    .iter()
                    .filter(|x| x.term == id && r.trends.periods[x.period].documents > 0)
                    .collect();
                // Every period when they are few; else where the term was most frequent.
                let by_period = if rows.len() <= 12 {
                    let counts: Vec<String> = rows
                        .iter()
                        .map(|x| format!("{} {}", r.trends.periods[x.period].period, x.count))
                        .collect();
                    format!("by period: {}", counts.join(", "))
                } else {
                    let peak = rows
                        .iter()
                        .max_by(|a, b| {
                            a.per_1k_tokens
                                .total_cmp(&b.per_1k_tokens)
                                .then(b.period.cmp(&a.period))
                        })
                        .expect("rows");
                    let used = rows.iter().filter(|x| x.count > 0).count();
                    format!(
                        "used in {used} of {} periods, most in {} ({} occurrences, {:.2} per 1,000 tokens); every period in the table under the chart",
                        rows.len(),
                        r.trends.periods[peak.period].period,
                        peak.count,
                        peak.per_1k_tokens
                    )
                };
                let _ = writeln!(
                    h,
                    "<li>Tracked <b>{}</b>: {} in {}; {}.{}</li>",
                    escape(&terms[id as usize].surface),
                    plural(terms[id as usize].count as usize, "occurrence"),
                    plural(terms[id as usize].documents as usize, "document"),
                    escape(&by_period),
                    escape(&verdict(r, t))
                );
            }
            None => {
                let _ = writeln!(
                    h,
                    "<li>Tracked <b>{}</b>: never used in this corpus.</li>",
                    escape(&t.query)
                );
            }
        }
    }
    let judged: Vec<&crate::artifacts::Tracked> = r
        .trends
        .tracked
        .iter()
        .filter(|t| t.change.is_some())
        .collect();
    if judged.len() > 1 {
        let clear: Vec<String> = judged
            .iter()
            .filter_map(|t| {
                let c = t.change.as_ref()?;
                (c.z.abs() >= 1.96).then(|| {
                    format!(
                        "{} ({})",
                        terms[c.term as usize].surface,
                        if c.z > 0.0 { "up" } else { "down" }
                    )
                })
            })
            .collect();
        let _ = writeln!(
            h,
            "<li><b>In short:</b> {} of the {} tracked terms changed clearly from {from} to {to}{}.</li>",
            clear.len(),
            judged.len(),
            if clear.is_empty() {
                let docs = r.documents_per_filled_period();
                format!(
                    "; with {}–{} documents a period, the differences above may be the wording of \
                     single documents rather than a shift in the discourse",
                    docs.iter().min().unwrap_or(&0),
                    docs.iter().max().unwrap_or(&0)
                )
            } else {
                format!(": {}", escape(&clear.join(", ")))
            }
        );
    }
    if let Some(big) = r.topics.topics.first() {
        let _ = writeln!(
            h,
            "<li>{} topics; the largest (topic 1, {}) is about {}.{}</li>",
            r.topics.topics.len(),
            plural(big.size as usize, "passage"),
            escape(&r.topic_label(0)),
            escape(&topic_change(r))
        );
    }
    let _ = writeln!(h, "</ul>");
    let _ = writeln!(
        h,
        "<p class=\"note\">Every number here is a count in the text: <code>tables/terms_by_period.csv</code> \
         has each term's count, documents and passages per period, and <code>tables/passages.csv</code> \
         the passages with their byte offsets, so any figure can be checked with a search.</p>"
    );

    // Periods.
    let voices = r.trends.strata.as_ref().map(|s| voices_per_period(r, s));
    let _ = writeln!(
        h,
        "<h2 id=\"periods\">Documents per period</h2>\n<table><tr><th>period</th><th>documents</th>\
         <th>passages</th><th>word tokens</th>{}</tr>",
        match &r.trends.strata {
            Some(s) => format!("<th>voices ({})</th>", escape(&s.column)),
            None => String::new(),
        }
    );
    for (i, p) in r.trends.periods.iter().enumerate() {
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
    }
    let _ = writeln!(h, "</table>");
    if let Some(strata) = &r.trends.strata {
        for (_, line) in dominated_periods(r, strata) {
            let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&line));
        }
    }

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
            tracked_table(&mut h, r, ev);
        }
        if c.file == "rising_falling" {
            changes_table(&mut h, r, ev);
            adjacent_table(&mut h, r, ev);
        }
        if c.file == "topic_terms" {
            topics_table(&mut h, r);
        }
        if c.file == "bursts" {
            bursts_table(&mut h, r, ev);
        }
        if c.file == "shifts" {
            shifts_table(&mut h, r);
        }
    }

    succession_section(&mut h, r, ev);
    evidence_section(&mut h, r, ev);
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
    h
}

/// What the text shows about a tracked term from the first period to the last, in words: its
/// rate at both ends, whether the change is clear by the log-odds z-score, and the periods
/// that do not use it.
/// Each period's voices in words: the three with most documents, with their counts, how many
/// more, and how many are heard for the first time.
fn voices_per_period(r: &ReportInput, strata: &crate::artifacts::Strata) -> Vec<String> {
    let mut seen = vec![false; strata.names.len()];
    (0..r.trends.periods.len())
        .map(|p| {
            let mut here: Vec<&crate::artifacts::StratumPeriod> = strata
                .composition
                .iter()
                .filter(|c| c.period == p)
                .collect();
            here.sort_by(|a, b| {
                b.documents
                    .cmp(&a.documents)
                    .then(a.stratum.cmp(&b.stratum))
            });
            let new = here.iter().filter(|c| !seen[c.stratum as usize]).count();
            let any_before = seen.iter().any(|&x| x);
            for c in &here {
                seen[c.stratum as usize] = true;
            }
            if here.is_empty() {
                return String::new();
            }
            let mut out = here
                .iter()
                .take(3)
                .map(|c| format!("{} ({})", strata.names[c.stratum as usize], c.documents))
                .collect::<Vec<_>>()
                .join(", ");
            if here.len() > 3 {
                let _ = write!(out, " and {} more", here.len() - 3);
            }
            if any_before && new > 0 {
                let _ = write!(out, "; {new} heard for the first time");
            }
            out
        })
        .collect()
}

/// Periods dominated by one voice: more than half of the period's documents from a stratum
/// that has less than a fifth of the documents of the other periods. Each as "period: voice"
/// and as a sentence.
fn dominated_periods(r: &ReportInput, strata: &crate::artifacts::Strata) -> Vec<(String, String)> {
    let total: u32 = r.trends.periods.iter().map(|p| p.documents).sum();
    let mut per_stratum = vec![0u32; strata.names.len()];
    for c in &strata.composition {
        per_stratum[c.stratum as usize] += c.documents;
    }
    strata
        .composition
        .iter()
        .filter_map(|c| {
            let docs = r.trends.periods[c.period].documents;
            let elsewhere = total - docs;
            let own_elsewhere = per_stratum[c.stratum as usize] - c.documents;
            let dominant = 2 * c.documents > docs
                && (elsewhere == 0 || (own_elsewhere as f64) < 0.2 * elsewhere as f64);
            dominant.then(|| {
                let whose = if docs == 1 {
                    format!(
                        "its only document comes from {}",
                        strata.names[c.stratum as usize]
                    )
                } else {
                    format!(
                        "{} of its {docs} documents come from {}",
                        c.documents, strata.names[c.stratum as usize]
                    )
                };
                let period = r.trends.periods[c.period].period.to_string();
                (
                    format!("{period}, {}", strata.names[c.stratum as usize]),
                    format!(
                        "{period}: {whose}, which has {} of the other periods' {}. Changes into \
                         or out of this period may be this voice's wording rather than a change \
                         over time; the contrasts below say which.",
                        if own_elsewhere == 0 {
                            "none".to_string()
                        } else {
                            own_elsewhere.to_string()
                        },
                        plural(elsewhere as usize, "document")
                    ),
                )
            })
        })
        .collect()
}

/// What drives the listed changes, in a sentence; empty without strata.
fn mix_summary(r: &ReportInput, changes: &[crate::artifacts::Change]) -> String {
    use crate::artifacts::MixVerdict;
    let Some(strata) = &r.trends.strata else {
        return String::new();
    };
    let terms = &r.tokens.vocabulary.terms;
    let of = |v: MixVerdict| -> Vec<&str> {
        changes
            .iter()
            .filter(|c| c.mix.as_ref().is_some_and(|m| m.verdict == v))
            .map(|c| terms[c.term as usize].surface.as_str())
            .collect()
    };
    let confounded = of(MixVerdict::Confounded);
    if confounded.len() == changes.len() {
        return format!(
            " No {} is heard in both periods: every one of these changes is confounded with the \
             change of {}.",
            strata.column, strata.column
        );
    }
    let mut parts = Vec::new();
    for (v, words) in [
        (
            MixVerdict::Within,
            "within the voices heard in both periods",
        ),
        (MixVerdict::ChangeOfMix, "driven by a change of mix"),
        (MixVerdict::OneSource, "driven by one source"),
        (
            MixVerdict::Confounded,
            "confounded with the change of voices",
        ),
    ] {
        let list = of(v);
        if !list.is_empty() {
            parts.push(format!("{words}: {}", list.join(", ")));
        }
    }
    format!(" By {}: {}.", strata.column, parts.join("; "))
}

/// How a change splits between voices, in words; empty without strata.
fn mix_words(r: &ReportInput, change: &crate::artifacts::Change, from: usize, to: usize) -> String {
    use crate::artifacts::MixVerdict;
    let (Some(strata), Some(m)) = (&r.trends.strata, &change.mix) else {
        return String::new();
    };
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let top = &strata.names[m.top_stratum as usize];
    if change.count_from + change.count_to == 0
        || (m.verdict != MixVerdict::Confounded && change.z.abs() < 1.96)
    {
        return String::new();
    }
    match m.verdict {
        MixVerdict::Confounded => format!(
            " No voice ({}) was heard in both {} and {}, so this change cannot be told from the \
             change of voice: {:.0}% of its uses come from {top}.",
            strata.column,
            label(from),
            label(to),
            100.0 * m.top_share
        ),
        MixVerdict::OneSource => format!(
            " It is driven by one source: {:.0}% of its uses in the two periods come from {top}.",
            100.0 * m.top_share
        ),
        MixVerdict::ChangeOfMix => format!(
            " Within the {} voices heard in both periods it does not change clearly \
             (Mantel–Haenszel z = {:.2}): the change comes from who was writing, not from the \
             same voices changing their words. The voice using it most is {top} ({:.0}% of its \
             uses in the two periods).",
            m.shared_strata,
            m.within_z.unwrap_or(0.0),
            100.0 * m.top_share
        ),
        MixVerdict::Within => format!(
            " Within the {} voices heard in both periods it changes the same way \
             (Mantel–Haenszel z = {:.2}); {:.0}% of its uses in {} come from voices heard in \
             only one of the two periods, and the voice using it most is {top} ({:.0}% of its \
             uses in the two periods).",
            m.shared_strata,
            m.within_z.unwrap_or(0.0),
            100.0 * m.one_period_share,
            label(if change.z >= 0.0 { to } else { from }),
            100.0 * m.top_share
        ),
    }
}

fn verdict(r: &ReportInput, t: &crate::artifacts::Tracked) -> String {
    let Some(change) = &t.change else {
        return String::new();
    };
    let (from, to) = r.first_last_labels();
    let filled: Vec<&crate::artifacts::TrackedPoint> = t
        .series
        .iter()
        .filter(|p| r.trends.periods[p.period].documents > 0)
        .collect();
    let (Some(first), Some(last)) = (filled.first(), filled.last()) else {
        return String::new();
    };
    let direction = if change.z >= 1.96 {
        "a clear rise"
    } else if change.z <= -1.96 {
        "a clear fall"
    } else {
        "no clear change, within what chance allows"
    };
    let mut out = format!(
        " From {from} to {to} its rate went from {:.2} to {:.2} per 1,000 tokens ({} → {} \
         occurrences): {direction} (log-odds z = {:.2}; |z| ≥ 1.96 would be clear).",
        first.per_1k_tokens, last.per_1k_tokens, change.count_from, change.count_to, change.z
    );
    let unused: Vec<String> = filled
        .iter()
        .filter(|p| p.count == 0)
        .map(|p| {
            let stats = &r.trends.periods[p.period];
            let s = if stats.documents == 1 { "" } else { "s" };
            format!("{} ({} document{s})", stats.period, stats.documents)
        })
        .collect();
    if !unused.is_empty() {
        let _ = write!(out, " It does not occur in {}.", unused.join(", "));
    }
    if let Some((a, b)) = r.first_last_filled() {
        out.push_str(&mix_words(r, change, a, b));
    }
    out
}

/// Which topic grew most and which shrank most from the first period with documents to the
/// last, in words, with their shares and 95% intervals; empty with fewer than two periods.
fn topic_change(r: &ReportInput) -> String {
    let Some((a, b)) = r.first_last_filled() else {
        return String::new();
    };
    if a == b {
        return String::new();
    }
    let row = |p: usize, t: u32| {
        r.trends
            .topics_by_period
            .iter()
            .find(|x| x.period == p && x.topic == t)
    };
    let mut changes: Vec<(f64, u32)> = (0..r.topics.topics.len() as u32)
        .filter_map(|t| Some((row(b, t)?.share - row(a, t)?.share, t)))
        .filter(|c| c.0.is_finite())
        .collect();
    changes.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let (Some(&up), Some(&down)) = (changes.first(), changes.last()) else {
        return String::new();
    };
    if changes.len() < 2 || up.0 <= 0.0 || down.0 >= 0.0 {
        return String::new();
    }
    let (from, to) = r.first_last_labels();
    let docs = |p: usize| r.trends.periods[p].documents;
    // A bootstrap over one document has nothing to resample: say so rather than print a
    // zero-width interval.
    let interval = |p: usize, x: &crate::artifacts::TopicPeriod| match docs(p) {
        n if n < 2 => format!("{}, no interval", plural(n as usize, "document")),
        n => format!(
            "{n} documents, 95% interval {:.0}–{:.0}%",
            x.share_low * 100.0,
            x.share_high * 100.0
        ),
    };
    let describe = |(_, t): (f64, u32)| {
        let (x, y) = (row(a, t).expect("a row"), row(b, t).expect("a row"));
        format!(
            "topic {} ({}) from {:.0}% of passages in {from} ({}) to {:.0}% in {to} ({})",
            t + 1,
            r.topic_label(t as usize),
            x.share * 100.0,
            interval(a, x),
            y.share * 100.0,
            interval(b, y),
        )
    };
    format!(
        " Grew most: {}. Shrank most: {}.",
        describe(up),
        describe(down)
    )
}

/// Links to the evidence lines of a term (in a period, when given).
fn evidence_links(ev: &[Evidence], kind: &str, term: u32, period: Option<&str>) -> String {
    let links: Vec<String> = ev
        .iter()
        .filter(|e| e.kind == kind && e.term == term && period.is_none_or(|p| e.period == p))
        .enumerate()
        .map(|(i, e)| format!("<a href=\"#{}\">{}</a>", e.id, i + 1))
        .collect();
    if links.is_empty() {
        String::new()
    } else {
        format!("passages {}", links.join(" "))
    }
}

fn tracked_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.tokens.vocabulary.terms;
    let _ = writeln!(h, "<table><tr><th>term</th><th>period</th><th>documents</th><th>count</th><th>per 1,000 tokens (95% interval)</th><th>share of documents (95% interval)</th><th>evidence</th></tr>");
    for t in &r.trends.tracked {
        let Some(id) = t.term else {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td colspan=\"6\">not in the corpus: no spelling of it occurs</td></tr>",
                escape(&t.query)
            );
            continue;
        };
        for p in &t.series {
            let stats = &r.trends.periods[p.period];
            if stats.documents == 0 {
                continue;
            }
            let label = stats.period.to_string();
            let class = if stats.thin { " class=\"thin\"" } else { "" };
            let _ = writeln!(
                h,
                "<tr{class}><td>{}</td><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.2} ({:.2}–{:.2})</td><td class=\"n\">{:.2} ({:.2}–{:.2})</td><td>{}</td></tr>",
                escape(&terms[id as usize].surface),
                escape(&label),
                if stats.thin { "*" } else { "" },
                stats.documents,
                p.count,
                p.per_1k_tokens,
                p.per_1k_low,
                p.per_1k_high,
                p.document_share,
                p.share_low,
                p.share_high,
                evidence_links(ev, "tracked", id, Some(&label))
            );
        }
    }
    let _ = writeln!(h, "</table>");
}

fn evidence_section(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.tokens.vocabulary.terms;
    let _ = writeln!(
        h,
        "<h2 id=\"evidence\">Evidence</h2>\n<p>The passages behind the numbers above: for each \
         tracked term and period, each rising or falling term shown, the heaviest bursts and both \
         terms of each succession, up to three passages, with the words around the match (<code>tables/evidence.csv</code> \
         has the same rows).</p>\n<table><tr><th>#</th><th>supports</th><th>term</th><th>period</th>\
         <th>document</th><th>date</th><th>bytes</th><th>in context</th></tr>"
    );
    for e in ev {
        let doc = &r.corpus.documents[r.passages.passages[e.passage].doc as usize];
        let _ = writeln!(
            h,
            "<tr id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}–{}</td><td>{}<mark>{}</mark>{}</td></tr>",
            e.id,
            e.id.trim_start_matches("ev-"),
            e.kind,
            escape(&terms[e.term as usize].surface),
            escape(&e.period),
            escape(&excerpt(&doc.title, 60)),
            doc.date,
            e.start,
            e.end,
            escape(&e.left),
            escape(&e.matched),
            escape(&e.right)
        );
    }
    let _ = writeln!(h, "</table>");
}

fn changes_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.tokens.vocabulary.terms;
    let (from, to) = r.first_last_labels();
    let stratified = r.trends.strata.is_some();
    let _ = writeln!(
        h,
        "<table><tr><th>direction</th><th>term</th><th>z</th><th>count {from}</th><th>count {to}</th>{}<th>evidence</th></tr>",
        if stratified { "<th>driven by</th>" } else { "" }
    );
    for (dir, c) in r
        .trends
        .rising
        .iter()
        .map(|c| ("rising", c))
        .chain(r.trends.falling.iter().map(|c| ("falling", c)))
    {
        let _ = writeln!(
            h,
            "<tr><td>{dir}</td><td>{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}<td>{}</td></tr>",
            escape(&terms[c.term as usize].surface),
            c.z,
            c.count_from,
            c.count_to,
            driven_by_cell(r, c),
            evidence_links(ev, dir, c.term, None)
        );
    }
    let _ = writeln!(h, "</table>");
}

/// With strata, a table cell saying what drives a change ("within voices", "driven by one
/// source: X", …); nothing without.
fn driven_by_cell(r: &ReportInput, c: &crate::artifacts::Change) -> String {
    let (Some(strata), Some(m)) = (&r.trends.strata, &c.mix) else {
        return String::new();
    };
    let detail = match m.verdict {
        crate::artifacts::MixVerdict::OneSource | crate::artifacts::MixVerdict::Confounded => {
            format!(
                ": {} ({:.0}%)",
                strata.names[m.top_stratum as usize],
                100.0 * m.top_share
            )
        }
        _ => match m.within_z {
            Some(z) => format!(
                " (within z {z:.1}; {:.0}% of {})",
                100.0 * m.one_period_share,
                if c.z >= 0.0 {
                    "later uses from new voices"
                } else {
                    "earlier uses from voices gone later"
                }
            ),
            None => String::new(),
        },
    };
    format!("<td>{}{}</td>", m.verdict.name(), escape(&detail))
}

/// The contrasts of adjacent periods, folded: the top rising and falling terms of each.
fn adjacent_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.tokens.vocabulary.terms;
    let adjacent = &r.trends.contrasts[..r.trends.contrasts.len().saturating_sub(1)];
    if adjacent.len() < 2 {
        return;
    }
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let _ = writeln!(
        h,
        "<details><summary>Between each pair of adjacent periods ({} contrasts, the top {} each \
         way; all {} in <code>tables/contrasts.csv</code>)</summary>\n<table><tr><th>from</th>\
         <th>to</th><th>direction</th><th>term</th><th>z</th><th>count from</th><th>count to</th>\
         {}<th>evidence</th></tr>",
        adjacent.len(),
        super::evidence::ADJACENT_SHOWN,
        r.config.trends.top_changes,
        if r.trends.strata.is_some() {
            "<th>driven by</th>"
        } else {
            ""
        }
    );
    for c in adjacent {
        let thin = r.trends.periods[c.from].thin || r.trends.periods[c.to].thin;
        let class = if thin { " class=\"thin\"" } else { "" };
        for (dir, list, at) in [("rising", &c.rising, c.to), ("falling", &c.falling, c.from)] {
            for ch in list.iter().take(super::evidence::ADJACENT_SHOWN) {
                let _ = writeln!(
                    h,
                    "<tr{class}><td>{}</td><td>{}</td><td>{dir}</td><td>{}</td><td class=\"n\">{:.2}</td>\
                     <td class=\"n\">{}</td><td class=\"n\">{}</td>{}<td>{}</td></tr>",
                    escape(&label(c.from)),
                    escape(&label(c.to)),
                    escape(&terms[ch.term as usize].surface),
                    ch.z,
                    ch.count_from,
                    ch.count_to,
                    driven_by_cell(r, ch),
                    evidence_links(ev, dir, ch.term, Some(&label(at)))
                );
            }
        }
    }
    let _ = writeln!(h, "</table></details>");
}

fn bursts_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.tokens.vocabulary.terms;
    let bursts = &r.trends.bursts;
    if bursts.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<table><tr><th>term</th><th>periods</th><th>level</th><th>times the rate outside</th>\
         <th>share of its uses inside</th><th>{} using it, per period</th><th>evidence</th></tr>",
        r.trends.counted.name()
    );
    for b in bursts.iter().take(super::evidence::BURSTS) {
        let label = super::evidence::burst_label(r, b);
        let per_period: Vec<String> = (b.start..=b.end)
            .map(|p| {
                let row = r
                    .trends
                    .rows
                    .iter()
                    .find(|x| x.period == p && x.term == b.term);
                let period = &r.trends.periods[p];
                let (used, of) = match r.trends.counted {
                    Counted::Documents => (row.map_or(0, |x| x.documents), period.documents),
                    Counted::Passages => (row.map_or(0, |x| x.passages), period.passages),
                };
                format!("{} {} of {}", period.period, used, of)
            })
            .collect();
        let open = if b.inside {
            ""
        } else {
            " (at an end of the timeline)"
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td>\
             <td class=\"n\">{:.0}%</td><td>{}</td><td>{}</td></tr>",
            escape(&terms[b.term as usize].surface),
            escape(&label),
            open,
            b.level,
            b.lift,
            100.0 * b.concentration,
            escape(&per_period.join(", ")),
            evidence_links(ev, "burst", b.term, Some(&label))
        );
    }
    let _ = writeln!(h, "</table>");
}

fn shifts_table(h: &mut String, r: &ReportInput) {
    let terms = &r.tokens.vocabulary.terms;
    let shifts = &r.trends.shifts;
    if shifts.is_empty() {
        return;
    }
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let unit = r.trends.counted.name();
    let _ = writeln!(
        h,
        "<table><tr><th>term</th><th>old level</th><th>share of {unit}</th><th>new level</th>\
         <th>share of {unit}</th><th>z</th></tr>"
    );
    for s in shifts.iter().take(20) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} to {}</td><td class=\"n\">{:.1}%</td><td>{} to {}</td>\
             <td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}</td></tr>",
            escape(&terms[s.term as usize].surface),
            escape(&label(s.since)),
            escape(&label(s.from)),
            100.0 * s.before,
            escape(&label(s.to)),
            escape(&label(s.until)),
            100.0 * s.after,
            s.z
        );
    }
    let _ = writeln!(h, "</table>");
}

fn succession_section(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.tokens.vocabulary.terms;
    let cfg = &r.config.trends;
    let _ = writeln!(
        h,
        "<h2 id=\"succession\">What replaced what</h2>\n<p>Pairs found without being told what \
         to look for, where one term took another's place. Each pair passes every test: one term \
         falls while the other rises across the same handover (each by a log-odds |z| of at \
         least {} and by at least half of its peak rate); the falling term keeps under a quarter \
         of its peak after it; both turn within a short window of each other; their company in \
         passages is alike (<em>similarity</em>, cosine of co-occurrence profiles, the falling \
         term read before the handover and the rising one after) and so are the words right \
         next to them (<em>slots</em>: the rising term stands where the falling one stood); and \
         each is the other's best match. Dates, numbers and fiscal wording are never paired. \
         Fewer pairs are offered rather than weak ones. Score = similarity × fall × rise. The \
         counts are occurrences per period; the shared contexts are the words both terms keep \
         company with.</p>",
        cfg.succession_z
    );
    let list = &r.trends.succession;
    if list.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">No pair passes every test, so none is offered: in these {} \
             documents no term that went out of use was taken over by another term used in its \
             place.{} The rising and falling terms above are ranked all the same.</p>",
            r.corpus.documents.len(),
            if r.trends.periods.iter().any(|p| p.thin) {
                " Several periods rest on a few documents, too little text for a replacement to \
                 show beyond chance."
            } else {
                ""
            }
        );
        return;
    }
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let counts = |c: &[u64]| {
        c.iter()
            .enumerate()
            .filter(|(p, _)| r.trends.periods[*p].documents > 0)
            .map(|(p, n)| format!("{} {n}", label(p)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        h,
        "<table><tr><th>#</th><th>falling</th><th>rising</th><th>handover before</th><th>score</th>\
         <th>similarity</th><th>slots</th><th>counts per period</th><th>shared contexts</th><th>evidence</th></tr>"
    );
    for (i, s) in list.iter().enumerate() {
        let shared: Vec<&str> = s
            .contexts
            .iter()
            .map(|&c| terms[c as usize].surface.as_str())
            .collect();
        let links = |kind: &str, term: u32, periods: Vec<usize>| {
            periods
                .into_iter()
                .find(|&p| {
                    let c = if kind == "falling" {
                        s.counts_falling[p]
                    } else {
                        s.counts_rising[p]
                    };
                    c > 0
                })
                .map(|p| evidence_links(ev, kind, term, Some(&label(p))))
                .unwrap_or_default()
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.3}</td>\
             <td class=\"n\">{:.2}</td><td class=\"n\">{:.2}</td><td>{}: {}<br>{}: {}</td><td>{}</td><td>{}: {}<br>{}: {}</td></tr>",
            i + 1,
            escape(&terms[s.falling as usize].surface),
            escape(&terms[s.rising as usize].surface),
            escape(&label(s.handover)),
            s.score,
            s.similarity,
            s.slots,
            escape(&terms[s.falling as usize].surface),
            escape(&counts(&s.counts_falling)),
            escape(&terms[s.rising as usize].surface),
            escape(&counts(&s.counts_rising)),
            escape(&shared.join(", ")),
            escape(&terms[s.falling as usize].surface),
            links("falling", s.falling, (0..s.handover).rev().collect()),
            escape(&terms[s.rising as usize].surface),
            links("rising", s.rising, (s.handover..r.trends.periods.len()).collect()),
        );
    }
    let _ = writeln!(h, "</table>");
}

fn topics_table(h: &mut String, r: &ReportInput) {
    let terms = &r.tokens.vocabulary.terms;
    let _ = writeln!(h, "<table><tr><th>topic</th><th>passages</th><th>top terms</th><th>most representative passages</th></tr>");
    for t in &r.topics.topics {
        let top: Vec<String> = t
            .top_terms
            .iter()
            .map(|&(id, _)| escape(&terms[id as usize].surface))
            .collect();
        let reps: Vec<String> = t
            .representatives
            .iter()
            .map(|&p| {
                let psg = &r.passages.passages[p as usize];
                let doc = &r.corpus.documents[psg.doc as usize];
                format!(
                    "<li id=\"passage-{p}\"><i>{}</i>, {} (passage {p}, bytes {}–{}): {}</li>",
                    escape(&excerpt(&doc.title, 80)),
                    doc.date,
                    psg.range.start,
                    psg.range.end,
                    escape(&excerpt(&r.passages.text(r.corpus, p as usize), 300))
                )
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td><ul>{}</ul></td></tr>",
            t.id + 1,
            t.size,
            top.join(", "),
            reps.join("")
        );
    }
    let _ = writeln!(h, "</table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>a&\"b'</script>"),
            "&lt;script&gt;a&amp;&quot;b&#39;&lt;/script&gt;"
        );
    }
}
