//! The page's summary: what the corpus is, what rose and fell, what the tracked terms did and
//! what the topics are, in sentences written from the results.

use std::fmt::Write;

use crate::artifacts::{
    Change, Language, MixVerdict, Span, Strata, TermPeriod, Tracked, TrackedPoint,
};
use crate::stages::s7_report::input::{ReportInput, Written};
use crate::stages::s7_report::text::{escape, plural};

/// Writes the summary section.
pub fn write(h: &mut String, r: &ReportInput, tables: &Written) {
    let _ = writeln!(h, "<h2 id=\"summary\">Summary</h2>\n<ul>");
    corpus_facts(h, r, tables);
    super::glance::largest_episodes(h, r);
    super::glance::bursting_now(h, r);
    super::glance::lasting_shifts(h, r);
    change_facts(h, r);
    tracked_in_short(h, r);
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
        "<p class=\"note\">Every number here is a count in the text: <code>{}</code> \
         has each term's count, documents and passages per period, and <code>{}</code> \
         the passages with their byte offsets, so any figure can be checked with a search.{}</p>",
        tables.file("terms_by_period"),
        tables.file("passages"),
        left_out(tables)
    );
}

/// The sentence naming the tables written as Parquet alone, if any.
fn left_out(tables: &Written) -> String {
    let names: Vec<String> = tables
        .csv_left_out
        .iter()
        .map(|n| format!("<code>tables/{n}.csv</code>"))
        .collect();
    let (listed, one) = match names.split_last() {
        None => return String::new(),
        Some((last, [])) => (last.clone(), true),
        Some((last, rest)) => (format!("{} and {last}", rest.join(", ")), false),
    };
    let (verb, each, them) = if one {
        ("was", "it", "it")
    } else {
        ("were", "each", "them")
    };
    format!(
        " {listed} {verb} not written: {each} would pass {} MB, and the Parquet file beside \
         {each} holds every row (<code>--large-csv</code> writes {them} too).",
        tables.csv_limit.unwrap_or_default() / 1_000_000
    )
}

/// What a word token is: the unit every rate is per 1,000 of.
fn token_definition(h: &mut String, r: &ReportInput) {
    let words = match r.vocabulary.language {
        Language::Chinese => {
            "words of jieba's segmentation (runs of Han characters cut into the words of its \
             dictionary and the user's, Traditional characters read as Simplified; a Han \
             character standing alone is a word), and Latin words and numbers by Unicode word \
             boundaries"
        }
        _ => "words by Unicode word boundaries (UAX #29)",
    };
    let _ = writeln!(
        h,
        "<li>Rates are per 1,000 word tokens. A word token is one of the {words}; \
         stop words count, punctuation and markup do not.</li>"
    );
}

/// Text in scripts the language's analysis does not read, when there is more than a trace.
fn unread_characters(h: &mut String, r: &ReportInput) {
    let unread = &r.figures.unread_characters;
    let total: u64 = unread.values().sum();
    let bytes = r.figures.bytes.max(1) as f64;
    // A trace: under 5 characters, or under one in 10,000 bytes of text.
    if total < 5 || (total as f64) < bytes / 10_000.0 {
        return;
    }
    let mut by_script: Vec<(&String, &u64)> = unread.iter().collect();
    by_script.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let list: Vec<String> = by_script
        .iter()
        .map(|(s, n)| format!("{} {}", escape(s), n))
        .collect();
    let language = r.vocabulary.language;
    let suggest = by_script
        .iter()
        .find_map(|(s, _)| Language::reading_script(s))
        .filter(|&l| l != language)
        .map(|l| {
            format!(
                " To read them, run with <code>--language {}</code>.",
                l.name()
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        h,
        "<li><strong>{total} characters are in scripts that {} analysis does not read</strong> \
         ({}; <code>characters_not_read_by_script</code> in <code>run.json</code>). Han \
         characters outside a Chinese run are each a one-letter word and are not terms; words of \
         other alphabets are kept as written, without stemming or a stop list.{suggest}</li>",
        language.display_name(),
        list.join(", ")
    );
}

/// The corpus in numbers, and what was left out or rests on little text.
fn corpus_facts(h: &mut String, r: &ReportInput, tables: &Written) {
    let (from, to) = r.first_last_labels();
    let n_docs = r.figures.documents;
    let thin: Vec<String> = r
        .trends
        .periods
        .iter()
        .filter(|p| p.thin)
        .map(|p| p.period.to_string())
        .collect();
    let gaps = r.trends.periods.iter().filter(|p| p.documents == 0).count();
    let _ = writeln!(
        h,
        "<li>{n_docs} documents ({} passages, {} word tokens) from <code>{}</code>, dated {from} to {to}, in {} periods{}.</li>",
        r.figures.passages,
        r.figures.word_tokens,
        escape(&r.facts.path.display().to_string()),
        r.trends.periods.len(),
        if gaps > 0 { format!(" ({gaps} without documents, shown as gaps)") } else { String::new() }
    );
    let from_text = r.figures.dates_read_from_text;
    if from_text > 0 {
        let _ = writeln!(
            h,
            "<li>{from_text} document(s) were dated from their own text; the words that date each \
             are in <code>{}</code> (<code>date_evidence</code>, \
             <code>date_confidence</code>).</li>",
            tables.file("documents")
        );
    }
    token_definition(h, r);
    unread_characters(h, r);
    if r.figures.markup_words > 0 {
        let _ = writeln!(
            h,
            "<li>{} word(s) inside markup were not read as words: HTML tags such as \
             <code>&lt;a href=…&gt;</code> and character references such as <code>&amp;amp;</code> \
             or <code>#39;</code>, escaped or not (<code>markup_words_not_read</code> in \
             <code>run.json</code>).</li>",
            r.figures.markup_words
        );
    }
    for (left_out, why) in [
        (&r.facts.dropped_undated, "for want of a date"),
        (&r.facts.dropped_empty, "for having no text"),
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
        let d = r.quotes.document(stray.document as u64);
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
}

/// The terms rising and falling most from the earliest periods to the latest.
fn change_facts(h: &mut String, r: &ReportInput) {
    let terms = &r.vocabulary.terms;
    let (from, to) = r.ends_labels();
    let list = |cs: &[Change]| {
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
}

/// Each tracked term's counts and verdict, in a list of their own under the tracked terms'
/// chart (the summary says in short how many changed clearly).
pub(super) fn tracked_details(h: &mut String, r: &ReportInput) {
    if r.trends.tracked.is_empty() {
        return;
    }
    let terms = &r.vocabulary.terms;
    let _ = writeln!(h, "<ul>");
    for t in &r.trends.tracked {
        match t.term {
            Some(id) => {
                let rows: Vec<&TermPeriod> = (0..r.trends.periods.len())
                    .filter(|&p| r.trends.periods[p].documents > 0)
                    .filter_map(|p| r.trends.row(p, id, r.vocabulary))
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
    let _ = writeln!(h, "</ul>");
}

/// In short, how many tracked terms changed clearly (each term's details are under the tracked
/// terms' chart).
fn tracked_in_short(h: &mut String, r: &ReportInput) {
    let terms = &r.vocabulary.terms;
    let (from, to) = r.ends_labels();
    let judged: Vec<&Tracked> = r
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
            "<li><b>In short:</b> {} of the {} tracked terms changed clearly from {from} to {to}{}; \
             each term's counts are under <a href=\"#tracked_terms\">tracked terms</a>.</li>",
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
}

/// Each period's voices in words: the three with most documents, with their counts, how many
/// more, and how many are heard for the first time.
pub(super) fn voices_per_period(r: &ReportInput, strata: &Strata) -> Vec<String> {
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
pub(super) fn dominated_periods(r: &ReportInput, strata: &Strata) -> Vec<(String, String)> {
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
fn mix_summary(r: &ReportInput, changes: &[Change]) -> String {
    use MixVerdict;
    let Some(strata) = &r.trends.strata else {
        return String::new();
    };
    let terms = &r.vocabulary.terms;
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
fn mix_words(r: &ReportInput, change: &Change, from: Span, to: Span) -> String {
    use MixVerdict;
    let (Some(strata), Some(m)) = (&r.trends.strata, &change.mix) else {
        return String::new();
    };
    let label = |s: Span| s.label(&r.trends.periods);
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

/// What the text shows about a tracked term from the earliest periods to the latest, in words:
/// its rate at both ends, whether the change is clear by the log-odds z-score, and the periods
/// that do not use it.
fn verdict(r: &ReportInput, t: &Tracked) -> String {
    let (Some(change), Some((a, b))) = (&t.change, r.trends.ends) else {
        return String::new();
    };
    let (from, to) = r.ends_labels();
    let filled: Vec<&TrackedPoint> = t
        .series
        .iter()
        .filter(|p| r.trends.periods[p.period].documents > 0)
        .collect();
    // The rate over a side's periods together.
    let rate = |side: Span, count: u64| {
        let tokens: u64 = side.periods().map(|p| r.trends.periods[p].tokens).sum();
        1000.0 * count as f64 / tokens.max(1) as f64
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
        rate(a, change.count_from),
        rate(b, change.count_to),
        change.count_from,
        change.count_to,
        change.z
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
    out.push_str(&mix_words(r, change, a, b));
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
