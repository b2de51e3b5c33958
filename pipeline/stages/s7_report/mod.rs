//! Stage 7, report: tables (CSV and Parquet), SVG charts and `report.html`. The only stage that
//! writes files.
//!
//! A run writes into a staging folder inside the output directory; only when every file is
//! written does [`Output::commit`] move them into place ([`output`] says what a run may replace
//! there). A failed run removes its staging folder and leaves the previous report untouched.

pub mod charts;
pub mod evidence;
pub mod html;
pub mod output;
pub mod tables;

use plotters::style::IntoFont;

use crate::artifacts::{Corpus, Passages, TfIdf, Tokens, Topics, Trends};
use crate::config::Config;
use crate::error::{Error, Result};
use charts::{Bar, Series, Svg};
pub use output::Output;

/// Everything the report shows.
pub struct ReportInput<'a> {
    /// The configuration of the run.
    pub config: &'a Config,
    /// Stage 1.
    pub corpus: &'a Corpus,
    /// Stage 2.
    pub passages: &'a Passages,
    /// Stage 3.
    pub tokens: &'a Tokens,
    /// Stage 4.
    pub tfidf: &'a TfIdf,
    /// Stage 5.
    pub topics: &'a Topics,
    /// Stage 6.
    pub trends: &'a Trends,
}

impl ReportInput<'_> {
    /// Indices of the first and last periods with documents.
    pub fn first_last_filled(&self) -> Option<(usize, usize)> {
        let periods = &self.trends.periods;
        let first = periods.iter().position(|p| p.documents > 0)?;
        let last = periods.iter().rposition(|p| p.documents > 0)?;
        Some((first, last))
    }

    /// Labels of the first and last non-empty periods.
    pub fn first_last_labels(&self) -> (String, String) {
        let label = |i: usize| self.trends.periods[i].period.to_string();
        self.first_last_filled()
            .map(|(a, b)| (label(a), label(b)))
            .unwrap_or_default()
    }

    /// "2016 (1 doc)"-style labels, and which periods are thin.
    pub fn period_labels(&self) -> (Vec<String>, Vec<bool>) {
        let labels = self
            .trends
            .periods
            .iter()
            .map(|p| p.period.to_string())
            .collect();
        let thin = self.trends.periods.iter().map(|p| p.thin).collect();
        (labels, thin)
    }

    /// Documents of each period that has some, in order.
    pub fn documents_per_filled_period(&self) -> Vec<u32> {
        self.trends
            .periods
            .iter()
            .filter(|p| p.documents > 0)
            .map(|p| p.documents)
            .collect()
    }

    /// Share of passages in each topic per period: `[period][topic]`, NaN for a gap.
    pub fn topic_share(&self) -> Vec<Vec<f64>> {
        let k = self.topics.topics.len();
        let mut out = vec![vec![f64::NAN; k]; self.trends.periods.len()];
        for row in &self.trends.topics_by_period {
            out[row.period][row.topic as usize] = row.share;
        }
        out
    }

    /// A topic's short label: its three top terms.
    pub fn topic_label(&self, t: usize) -> String {
        let terms = &self.tokens.vocabulary.terms;
        self.topics.topics[t]
            .top_terms
            .iter()
            .take(3)
            .map(|&(id, _)| terms[id as usize].surface.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Output {
    /// Writes tables, charts and the page; returns how many files it wrote.
    pub fn write_report(&self, r: &ReportInput) -> Result<usize> {
        let tables_dir = self.staging().join("tables");
        let mut tables = 0;
        let ev = evidence::collect(r);
        for (name, mut df) in [
            ("documents", tables::documents(r)?),
            ("passages", tables::passages(r)?),
            ("boilerplate", tables::boilerplate(r)?),
            ("periods", tables::periods(r)?),
            ("terms", tables::terms(r)?),
            ("variants", tables::variants(r)?),
            ("phrases", tables::phrases(r)?),
            ("terms_by_period", tables::terms_by_period(r)?),
            ("topics", tables::topics(r)?),
            ("k_scores", tables::k_scores(r)?),
            ("topic_hierarchy", tables::topic_hierarchy(r)?),
            ("topics_by_period", tables::topics_by_period(r)?),
            ("changes", tables::changes(r)?),
            ("contrasts", tables::contrasts(r)?),
            ("bursts", tables::bursts(r)?),
            ("shifts", tables::shifts(r)?),
            ("succession", tables::succession(r)?),
            ("tracked", tables::tracked(r)?),
            ("evidence", tables::evidence(r, &ev)?),
        ] {
            tables::write(&tables_dir, name, &mut df)?;
            tables += 2; // CSV and Parquet
        }
        for (name, df) in [
            ("composition", tables::composition(r)?),
            ("passage_vectors", tables::passage_vectors(r)?),
            ("tfidf", tables::tfidf(r)?),
        ] {
            if let Some(mut df) = df {
                tables::write(&tables_dir, name, &mut df)?;
                tables += 2;
            }
        }
        let charts = draw_charts(r)?;
        for c in &charts {
            self.write(&format!("charts/{}.svg", c.file), c.svg.as_bytes())?;
        }
        self.write("report.html", html::page(r, &charts, &ev).as_bytes())?;
        Ok(tables + charts.len() + 1)
    }
}

/// A positive number with two or three significant digits: 0.042, 3.1, 27, 1400.
fn significant(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else if v > 0.0 {
        let digits = (-v.log10().floor()) as usize + 1;
        format!("{v:.digits$}")
    } else {
        "0".into()
    }
}

/// A drawn chart, with what the page says about it.
pub struct Chart {
    /// File stem under `charts/`.
    pub file: String,
    /// Heading on the page.
    pub title: String,
    /// How to read it.
    pub caption: String,
    /// The SVG text.
    pub svg: String,
}

/// "1 document", "2 documents".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Adjacent contrasts drawn as panels at most (the strongest, in time order).
const CONTRAST_PANELS: usize = 12;

/// Succession pairs drawn as small multiples.
const SUCCESSION_PANELS: usize = 9;

/// Terms in the term × period heatmap.
const HEATMAP_TERMS: usize = 30;

/// Topics named in full on the topic map at most; beyond, each is labelled by its number.
const MAP_NAMED_TOPICS: usize = 12;

/// Passages drawn on the topic map at most (an even sample of the rest).
const MAP_POINTS: usize = 4000;

/// The corpus, its size and its periods, for chart subtitles.
fn corpus_line(r: &ReportInput) -> String {
    let (from, to) = r.first_last_labels();
    let periods = if r.config.trends.periods.is_empty() {
        format!(
            "per {}",
            format!("{:?}", r.config.trends.period).to_lowercase()
        )
    } else {
        format!("periods from {}", r.config.trends.periods.join(", "))
    };
    format!(
        "{}: {} documents, {} passages, {}–{}; {periods}",
        corpus_name(&r.corpus.path),
        r.corpus.documents.len(),
        r.passages.passages.len(),
        from,
        to,
    )
}

/// The description of a period axis: what one step is.
fn period_axis(r: &ReportInput) -> String {
    if r.config.trends.periods.is_empty() {
        format!("{:?}", r.config.trends.period).to_lowercase()
    } else {
        format!("period (from {})", r.config.trends.periods.join(", "))
    }
}

/// A corpus' short name: its file or directory name.
pub fn corpus_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The bar chart of a run's stage wall times: (stage, seconds, what it did). Wall time differs
/// from run to run, so this chart sits beside `run.json`, outside the byte-identical report.
pub fn stage_timings_chart(
    corpus: &std::path::Path,
    bytes: u64,
    threads: usize,
    stages: &[(&str, f64, String)],
) -> Result<String> {
    let total: f64 = stages.iter().map(|s| s.1).sum();
    let bars: Vec<Bar> = stages
        .iter()
        .map(|(name, secs, note)| Bar {
            label: name.to_string(),
            value: *secs,
            note: format!("{secs:.2} s · {note}"),
            color: 0,
        })
        .collect();
    let title = "Stage timings of this run";
    let size = if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    };
    let sub = format!(
        "{}: {size} of text; {total:.2} s in all on {threads} thread{}",
        corpus_name(corpus),
        if threads == 1 { "" } else { "s" }
    );
    let desc = format!(
        "Wall time of each of {} stages, in seconds, with what each stage produced.",
        stages.len()
    );
    Svg::new(title, &desc).draw((1000, 160 + 34 * bars.len() as u32), |root| {
        let body = charts::heading(root, title, &sub)?;
        charts::bars_into(&body, &bars, 140, "wall time (seconds)")
    })
}

fn docs_per_period(r: &ReportInput) -> String {
    let parts: Vec<String> = r
        .trends
        .periods
        .iter()
        .filter(|p| p.documents > 0)
        .map(|p| format!("{}: {}", p.period, p.documents))
        .collect();
    if parts.len() > 12 {
        let n = r.documents_per_filled_period();
        format!(
            "Documents per period: from {} to {} (see tables/periods.csv)",
            n.iter().min().unwrap_or(&0),
            n.iter().max().unwrap_or(&0)
        )
    } else {
        format!("Documents per period — {}", parts.join(", "))
    }
}

/// Most voices a composition chart shows one by one; with more, it shows the voices heard
/// before against those heard for the first time.
const COMPOSITION_BANDS: usize = 8;

/// Who was writing when (`trends.stratify`): each period's documents by voice, or, with many
/// voices, by voices heard in an earlier period and voices new in this one.
fn composition_chart(
    r: &ReportInput,
    labels: &[String],
    thin: &[bool],
    axis: &str,
) -> Result<Option<Chart>> {
    let Some(strata) = &r.trends.strata else {
        return Ok(None);
    };
    let periods = &r.trends.periods;
    let by_voice = strata.names.len() <= COMPOSITION_BANDS;
    let names: Vec<String> = if by_voice {
        strata.names.clone()
    } else {
        vec![
            format!("{} heard in an earlier period", strata.column),
            format!("{} heard for the first time", strata.column),
        ]
    };
    let mut shares = vec![vec![f64::NAN; names.len()]; periods.len()];
    for (p, row) in shares.iter_mut().enumerate() {
        if periods[p].documents > 0 {
            row.iter_mut().for_each(|x| *x = 0.0);
        }
    }
    let mut seen = vec![false; strata.names.len()];
    for p in 0..periods.len() {
        let here: Vec<&crate::artifacts::StratumPeriod> = strata
            .composition
            .iter()
            .filter(|c| c.period == p)
            .collect();
        for c in &here {
            let share = c.documents as f64 / periods[p].documents as f64;
            let band = if by_voice {
                c.stratum as usize
            } else {
                usize::from(!seen[c.stratum as usize])
            };
            shares[p][band] += share;
        }
        for c in &here {
            seen[c.stratum as usize] = true;
        }
    }
    let title = "Who was writing when";
    let sub = format!(
        "{}. Share of each period's documents {}",
        corpus_line(r),
        if by_voice {
            format!("from each {}", strata.column)
        } else {
            format!(
                "from a {} heard before, or for the first time",
                strata.column
            )
        }
    );
    let desc = format!(
        "Stacked areas: for each of {} periods, the share of its documents {}.",
        labels.len(),
        if by_voice {
            "from each voice"
        } else {
            "from voices heard before and voices new in it"
        }
    );
    let band_names: Vec<String> = names.iter().map(|n| charts::ellipsize(n, 40)).collect();
    Ok(Some(Chart {
        file: "composition".into(),
        title: title.into(),
        caption: format!(
            "The mix of voices ({} column) in each period, stacked to 100% of its documents. \
             When the mix changes, a term's frequency can change without any voice changing its \
             words; the contrasts below say, for each change, whether it holds within the voices \
             heard in both periods. {} voices in all; tables/composition.csv has each one's \
             documents and tokens per period.",
            strata.column,
            strata.names.len()
        ),
        svg: charts::stacked_area(
            Svg::new(title, &desc),
            title,
            &sub,
            labels,
            (axis, "share of the period's documents"),
            &names,
            &band_names,
            &shares,
            thin,
        )?,
    }))
}

fn draw_charts(r: &ReportInput) -> Result<Vec<Chart>> {
    let terms = &r.tokens.vocabulary.terms;
    let (labels, thin) = r.period_labels();
    let axis = period_axis(r);
    let mut out = Vec::new();
    if let Some(c) = composition_chart(r, &labels, &thin, &axis)? {
        out.push(c);
    }

    // 1. Tracked terms over time, with their bootstrap bands.
    let series: Vec<Series> = r
        .trends
        .tracked
        .iter()
        .filter_map(|t| Some((t.term?, t)))
        .map(|(id, t)| Series {
            name: format!(
                "{} ({} in all)",
                terms[id as usize].surface, terms[id as usize].count
            ),
            values: t
                .series
                .iter()
                .map(|p| (r.trends.periods[p.period].documents > 0).then_some(p.per_1k_smoothed))
                .collect(),
            band: t
                .series
                .iter()
                .map(|p| {
                    (r.trends.periods[p.period].documents > 0)
                        .then_some((p.per_1k_low, p.per_1k_high))
                })
                .collect(),
        })
        .collect();
    let title = "Tracked terms over time";
    let smoothing = match r.config.trends.smoothing {
        0 => String::new(),
        w => format!(" Lines: centred mean over ±{w} periods."),
    };
    let sub = format!(
        "{}. Shaded: 95% bootstrap interval.{smoothing} * period with fewer than {} documents",
        corpus_line(r),
        r.config.trends.thin_documents
    );
    let desc = format!(
        "Occurrences per 1,000 word tokens of {} tracked terms in each period.",
        series.len()
    );
    out.push(Chart {
        file: "tracked_terms".into(),
        title: title.into(),
        caption: format!(
            "Occurrences per 1,000 word tokens (stop words included) of each tracked term, per period; \
             the shading is a 95% interval from resampling the period's documents (a period of one \
             document has no spread to show, which is not certainty). A missing point is a period \
             without documents. Spelling variants are counted together.{} {}.",
            match r.config.trends.smoothing {
                0 => String::new(),
                w => format!(
                    " Each line point is the mean of the period and the {w} periods either side \
                     that have documents (a centred moving average, as the Ngram Viewer smooths); \
                     the shading stays the interval of the period itself."
                ),
            },
            docs_per_period(r)
        ),
        svg: charts::line_chart(Svg::new(title, &desc), title, &sub, &labels, &axis, "occurrences per 1,000 word tokens", &series, &thin)?,
    });

    // 2. Rising and falling terms.
    let (from, to) = r.first_last_labels();
    let mut bars: Vec<Bar> = r
        .trends
        .rising
        .iter()
        .map(|c| (c, 0))
        .chain(r.trends.falling.iter().rev().map(|c| (c, 1)))
        .map(|(c, col)| Bar {
            label: terms[c.term as usize].surface.clone(),
            value: c.z,
            note: format!("{} → {}", c.count_from, c.count_to),
            color: col,
        })
        .collect();
    if bars.is_empty() {
        bars.push(Bar {
            label: "(one period only: no change to show)".into(),
            value: 0.0,
            note: String::new(),
            color: 7,
        });
    }
    let title = format!("Terms rising and falling most, {from} → {to}");
    let n_from = r
        .trends
        .periods
        .iter()
        .find(|p| p.period.to_string() == from)
        .map_or(0, |p| p.documents);
    let n_to = r
        .trends
        .periods
        .iter()
        .find(|p| p.period.to_string() == to)
        .map_or(0, |p| p.documents);
    let sub = format!(
        "{}. Log-odds z-score with the corpus as prior; {from}: {}, {to}: {}",
        corpus_line(r),
        plural(n_from as usize, "document"),
        plural(n_to as usize, "document")
    );
    let desc = format!(
        "{} rising and {} falling terms with their counts.",
        r.trends.rising.len(),
        r.trends.falling.len()
    );
    let height = 140 + 24 * bars.len() as u32;
    let svg = Svg::new(&title, &desc).draw((1000, height.max(300)), |root| {
        let body = charts::heading(root, &title, &sub)?;
        charts::bars_into(
            &body,
            &bars,
            300,
            "z-score (positive: more frequent in the later period)",
        )
    })?;
    out.push(Chart {
        file: "rising_falling".into(),
        title: title.clone(),
        caption: format!(
            "Each bar is a term's log-odds z-score between {from} and {to} (Monroe et al. 2008, \
             informative Dirichlet prior from the whole corpus); blue rises, orange falls. The note \
             at the bar's end is the term's count in {from} → {to}. |z| above about 2 is unlikely \
             to be noise, but with {} and {} a single document's wording can decide.",
            plural(n_from as usize, "document"),
            plural(n_to as usize, "document")
        ),
        svg,
    });

    // Each adjacent contrast as a panel of diverging bars.
    let adjacent = &r.trends.contrasts[..r.trends.contrasts.len().saturating_sub(1)];
    if adjacent.len() >= 2 {
        let mut chosen: Vec<&crate::artifacts::Contrast> = adjacent.iter().collect();
        if chosen.len() > CONTRAST_PANELS {
            let strength = |c: &crate::artifacts::Contrast| {
                c.rising
                    .iter()
                    .chain(&c.falling)
                    .map(|x| x.z.abs())
                    .fold(0.0f64, f64::max)
            };
            chosen.sort_by(|a, b| {
                strength(b)
                    .total_cmp(&strength(a))
                    .then(a.from.cmp(&b.from))
            });
            chosen.truncate(CONTRAST_PANELS);
            chosen.sort_by_key(|c| c.from);
        }
        let shown = evidence::ADJACENT_SHOWN;
        let cols = if chosen.len() > 4 { 3 } else { 2 };
        let rows = chosen.len().div_ceil(cols);
        let panel_h = 90 + 26 * 2 * shown as u32;
        let title = "Rising and falling terms between adjacent periods";
        let sub = format!(
            "{}. Top {shown} each way per contrast; {}",
            corpus_line(r),
            if chosen.len() < adjacent.len() {
                format!(
                    "the {} contrasts of {} with the largest changes",
                    chosen.len(),
                    adjacent.len()
                )
            } else {
                format!("all {} contrasts", adjacent.len())
            }
        );
        let desc = format!(
            "{} panels of diverging bars: log-odds z-scores of the terms rising and falling most \
             between two adjacent periods.",
            chosen.len()
        );
        let svg = Svg::new(title, &desc).draw((1200, 110 + panel_h * rows as u32), |root| {
            let body = charts::heading(root, title, &sub)?;
            let panels = body.split_evenly((rows, cols));
            for (c, panel) in chosen.iter().zip(panels.iter()) {
                let (head, rest) = panel.split_vertically(26);
                let (a, b) = (&r.trends.periods[c.from], &r.trends.periods[c.to]);
                head.draw(&plotters::element::Text::new(
                    format!(
                        "{}{} → {}{}",
                        a.period,
                        if a.thin { "*" } else { "" },
                        b.period,
                        if b.thin { "*" } else { "" }
                    ),
                    (12, 4),
                    (charts::FAMILY, 15)
                        .into_font()
                        .style(plotters::style::FontStyle::Bold),
                ))
                .map_err(|e| Error::Internal(format!("{e:?}")))?;
                let bars: Vec<Bar> = c
                    .rising
                    .iter()
                    .take(shown)
                    .map(|x| (x, 0))
                    .chain(c.falling.iter().take(shown).rev().map(|x| (x, 1)))
                    .map(|(x, col)| Bar {
                        label: terms[x.term as usize].surface.clone(),
                        value: x.z,
                        note: format!("{} → {}", x.count_from, x.count_to),
                        color: col,
                    })
                    .collect();
                charts::bars_into(&rest, &bars, 150, "log-odds z")?;
            }
            Ok(())
        })?;
        out.push(Chart {
            file: "contrasts".into(),
            title: title.into(),
            caption: format!(
                "One panel per pair of adjacent periods with documents (a gap is skipped): blue \
                 bars are the terms rising most into the later period, orange the ones falling \
                 most, by log-odds z-score; the note is the count in the earlier → later period. \
                 * marks a period with fewer than {} documents. tables/contrasts.csv has the top \
                 {} each way of every contrast.",
                r.config.trends.thin_documents, r.config.trends.top_changes
            ),
            svg,
        });
    }

    // 3. Topic top terms: small multiples.
    let k = r.topics.topics.len();
    if k > 0 {
        let cols = if k > 4 { 3 } else { 2 };
        let rows = k.div_ceil(cols);
        let panel_h = 300u32;
        let title = "Topics and their top terms";
        let sub = format!(
            "{}. {} topics from LSA ({} components) + k-means over {} passages; bars: distinctiveness",
            corpus_line(r),
            k,
            r.topics.components,
            r.passages.passages.len() - r.topics.unassigned as usize
        );
        let desc = format!("{k} panels, one per topic, with its top terms as horizontal bars.");
        let svg = Svg::new(title, &desc).draw((1200, 80 + panel_h * rows as u32), |root| {
            let body = charts::heading(root, title, &sub)?;
            let panels = body.split_evenly((rows, cols));
            for (t, panel) in r.topics.topics.iter().zip(panels.iter()) {
                let (head, rest) = panel.split_vertically(26);
                head.draw(&plotters::element::Text::new(
                    format!(
                        "Topic {} · {}",
                        t.id + 1,
                        plural(t.size as usize, "passage")
                    ),
                    (12, 4),
                    (charts::FAMILY, 15)
                        .into_font()
                        .style(plotters::style::FontStyle::Bold)
                        .color(&charts::color(t.id as usize)),
                ))
                .map_err(|e| Error::Internal(format!("{e:?}")))?;
                let bars: Vec<Bar> = t
                    .top_terms
                    .iter()
                    .map(|&(id, w)| Bar {
                        label: terms[id as usize].surface.clone(),
                        value: w,
                        note: String::new(),
                        color: t.id as usize,
                    })
                    .collect();
                charts::bars_into(&rest, &bars, 150, "distinctiveness")?;
            }
            Ok(())
        })?;
        out.push(Chart {
            file: "topic_terms".into(),
            title: title.into(),
            caption: format!(
                "Each panel is one topic (a cluster of passages); its bars are the terms that \
                 most distinguish it from the whole corpus: a term's distinctiveness is \
                 p · ln(p / q), where p is the share of the topic's passages that use it and q the \
                 share of all passages (its part of the topic's Kullback–Leibler divergence), so a \
                 term scores high when most of the topic uses it and little else does. A topic's \
                 outliers, passages far from its centre ({} in all, tables/passages.csv \
                 `outlier`), are left out of its terms. Topics are numbered by size.",
                r.topics.outlier.iter().filter(|&&o| o).count()
            ),
            svg,
        });

        // The topic hierarchy: which topics are alike, as a dendrogram.
        if k >= 2 && r.topics.hierarchy.len() == k - 1 {
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
            out.push(Chart {
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
                svg: charts::dendrogram(
                    Svg::new(title, &desc),
                    title,
                    &sub,
                    &leaves,
                    &joins,
                    "cosine distance between c-TF-IDF vectors (average linkage)",
                )?,
            });
        }

        // Topic map: passages on the plane that spreads the topic centroids most.
        let placed: Vec<(usize, (f64, f64), u32)> = r
            .topics
            .map
            .iter()
            .zip(&r.topics.assignment)
            .enumerate()
            .filter_map(|(i, (m, t))| Some((i, (*m)?, (*t)?)))
            .collect();
        if !placed.is_empty() {
            let step = placed.len().div_ceil(MAP_POINTS);
            let points: Vec<(f64, f64, usize)> = placed
                .iter()
                .step_by(step)
                .map(|&(_, (x, y), t)| (x, y, t as usize))
                .collect();
            let mut sums = vec![(0.0, 0.0, 0usize); k];
            for &(_, (x, y), t) in &placed {
                let s = &mut sums[t as usize];
                *s = (s.0 + x, s.1 + y, s.2 + 1);
            }
            let labels: Vec<charts::PlacedLabel> = sums
                .iter()
                .enumerate()
                .filter(|(_, s)| s.2 > 0)
                .map(|(t, s)| charts::PlacedLabel {
                    x: s.0 / s.2 as f64,
                    y: s.1 / s.2 as f64,
                    // Many topics: numbers only, which can be placed apart (the caption
                    // and the topic chart give their names).
                    text: if k > MAP_NAMED_TOPICS {
                        (t + 1).to_string()
                    } else {
                        charts::ellipsize(&format!("{} · {}", t + 1, r.topic_label(t)), 34)
                    },
                    color: t,
                })
                .collect();
            let title = "Topic map";
            let sub = format!(
                "{}. {} of {} passages shown, coloured by topic",
                corpus_line(r),
                points.len(),
                placed.len()
            );
            let desc = format!(
                "A scatter plot of {} passages on two axes, coloured by topic, with each of {k} \
                 topic labels at the centre of its passages.",
                points.len()
            );
            out.push(Chart {
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
                svg: charts::scatter_map(
                    Svg::new(title, &desc),
                    title,
                    &sub,
                    (
                        "axis 1 (LSA units, main spread of topic centres)",
                        "axis 2 (LSA units)",
                    ),
                    &points,
                    &labels,
                )?,
            });
        }

        // 4. Topic share per period.
        let names: Vec<String> = (0..k)
            .map(|t| format!("Topic {}: {}", t + 1, r.topic_label(t)))
            .collect();
        let title = "Topic prevalence over time";
        let sub = format!(
            "{}. Share of each period's passages in each topic",
            corpus_line(r)
        );
        let desc = format!("Stacked areas: for each of {} periods, the share of its passages in each of {k} topics.", labels.len());
        out.push(Chart {
            file: "topic_share".into(),
            title: title.into(),
            caption: format!(
                "Each band is a topic's share of the period's passages, stacked to 100%; topics are \
                 named on their band where it is wide enough, and all in the legend. A break is a \
                 period without documents. tables/topics_by_period.csv has each share with its 95% \
                 bootstrap interval and the topic's top terms within each period. {}.",
                docs_per_period(r)
            ),
            svg: charts::stacked_area(
                Svg::new(title, &desc),
                title,
                &sub,
                &labels,
                (&axis, "share of the period's passages"),
                &names,
                &(0..k)
                    .map(|t| format!("{}: {}", t + 1, r.topic_label(t)))
                    .collect::<Vec<_>>(),
                &r.topic_share(),
                &thin,
            )?,
        });
    }

    // Term × period heatmap of the terms that change most between any two adjacent (or the
    // first and last) periods, ordered by the period where each peaks.
    let mut strongest: Vec<(f64, u32)> = Vec::new();
    for c in &r.trends.contrasts {
        for ch in c.rising.iter().chain(&c.falling) {
            match strongest.iter_mut().find(|s| s.1 == ch.term) {
                Some(s) => s.0 = s.0.max(ch.z.abs()),
                None => strongest.push((ch.z.abs(), ch.term)),
            }
        }
    }
    strongest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    strongest.truncate(HEATMAP_TERMS);
    if !strongest.is_empty() {
        let mut cell: std::collections::HashMap<(u32, usize), (f64, u64)> =
            std::collections::HashMap::new();
        for row in &r.trends.rows {
            cell.insert((row.term, row.period), (row.per_1k_tokens, row.count));
        }
        let mut rows: Vec<(usize, charts::HeatRow)> = strongest
            .iter()
            .map(|&(_, t)| {
                let values: Vec<Option<(f64, u64)>> = (0..labels.len())
                    .map(|p| {
                        (r.trends.periods[p].documents > 0)
                            .then(|| cell.get(&(t, p)).copied().unwrap_or((0.0, 0)))
                    })
                    .collect();
                let peak = values.iter().flatten().map(|v| v.0).fold(0.0f64, f64::max);
                let at = values
                    .iter()
                    .position(|v| v.is_some_and(|v| v.0 == peak && peak > 0.0))
                    .unwrap_or(0);
                let cells = values
                    .into_iter()
                    .map(|v| v.map(|(rate, n)| (if peak > 0.0 { rate / peak } else { 0.0 }, n)))
                    .collect();
                (
                    at,
                    charts::HeatRow {
                        label: terms[t as usize].surface.clone(),
                        cells,
                    },
                )
            })
            .collect();
        rows.sort_by_key(|(at, _)| *at);
        let rows: Vec<charts::HeatRow> = rows.into_iter().map(|(_, r)| r).collect();
        let title = "Terms that changed most, period by period";
        let sub = format!(
            "{}. Shade: rate over the term's peak rate; number: occurrences",
            corpus_line(r)
        );
        let desc = format!(
            "A heatmap of {} terms (rows) over {} periods (columns); darker cells are closer \
             to the term's peak rate.",
            rows.len(),
            labels.len()
        );
        out.push(Chart {
            file: "term_heatmap".into(),
            title: title.into(),
            caption: format!(
                "The {} terms with the largest log-odds |z| in any contrast, one row each, ordered \
                 by the period where they peak. A cell's shade is the term's rate in that period \
                 relative to its highest; the number is its count (shown where the cell is wide \
                 enough; tables/terms_by_period.csv has all). Grey: a period without documents; \
                 * a period with fewer than {} documents.",
                rows.len(),
                r.config.trends.thin_documents
            ),
            svg: charts::heatmap(
                Svg::new(title, &desc),
                title,
                &sub,
                &labels,
                &axis,
                &thin,
                &rows,
                "share of the term's peak rate: 0 to 1; grey: no documents",
            )?,
        });
    }

    // Succession: each top pair as a small two-line chart.
    if !r.trends.succession.is_empty() {
        let rate = |counts: &[u64]| -> Vec<Option<f64>> {
            counts
                .iter()
                .enumerate()
                .map(|(p, &c)| {
                    let stats = &r.trends.periods[p];
                    (stats.documents > 0 && stats.tokens > 0)
                        .then(|| c as f64 * 1000.0 / stats.tokens as f64)
                })
                .collect()
        };
        let panels: Vec<charts::LinePanel> = r
            .trends
            .succession
            .iter()
            .take(SUCCESSION_PANELS)
            .enumerate()
            .map(|(i, s)| {
                let (a, b) = (&terms[s.falling as usize], &terms[s.rising as usize]);
                charts::LinePanel {
                    title: format!("{}. {} → {}", i + 1, a.surface, b.surface),
                    series: vec![
                        Series {
                            name: format!("{} (falls)", a.surface),
                            values: rate(&s.counts_falling),
                            band: vec![],
                        },
                        Series {
                            name: format!("{} (rises)", b.surface),
                            values: rate(&s.counts_rising),
                            band: vec![],
                        },
                    ],
                    mark: Some(s.handover),
                }
            })
            .collect();
        let title = "What replaced what";
        let sub = format!(
            "{}. The top {} successions; dashed: the handover",
            corpus_line(r),
            panels.len()
        );
        let desc = format!(
            "{} small line charts, each with a falling term and the rising term that took its \
             place, per 1,000 tokens per period.",
            panels.len()
        );
        out.push(Chart {
            file: "succession".into(),
            title: title.into(),
            caption: "Each panel is one pair from the succession table: the first term (blue) \
                      falls while the second (orange) rises, and before the handover (dashed) \
                      the first keeps the company the second keeps after it and stands where \
                      the second stands. Lines are \
                      occurrences per 1,000 word tokens; each panel has its own scale; a break is \
                      a period without documents."
                .into(),
            svg: charts::small_lines(
                Svg::new(title, &desc),
                title,
                &sub,
                &labels,
                &axis,
                &thin,
                "per 1,000 tokens",
                &panels,
            )?,
        });
    }

    // 5. Bursts: the strongest, one row per term.
    let mut rows: Vec<charts::TimelineRow> = Vec::new();
    for b in &r.trends.bursts {
        let label = terms[b.term as usize].surface.clone();
        let note = format!("×{}", significant(b.lift));
        if let Some(i) = rows.iter().position(|row| row.label == label) {
            rows[i].runs.push((b.start, b.end, note));
        } else if rows.len() < 25 {
            rows.push(charts::TimelineRow {
                label,
                runs: vec![(b.start, b.end, note)],
                transition: None,
            });
        }
    }
    if !rows.is_empty() {
        let title = "Bursts";
        let sub = format!(
            "{}. The {} terms with the strongest bursts (s = {}, γ = {})",
            corpus_line(r),
            rows.len(),
            r.config.trends.burst_s,
            r.config.trends.burst_gamma
        );
        let desc = format!(
            "Timeline of bursts: for each of {} terms, the periods in which markedly more {} use it than usual.",
            rows.len(),
            r.trends.counted.name()
        );
        out.push(Chart {
            file: "bursts".into(),
            title: title.into(),
            caption: format!(
                "Each bar marks a run of periods in which a term was used by markedly more {0} than it is \
                 across the corpus (Kleinberg's burst detection, with levels); the number after a bar is how many \
                 times more often {0} use it inside the run than outside. Episodes that begin and end inside \
                 the timeline come first, by strength (share of the term's uses inside the run × log₂ of that \
                 ratio), so a slow drift over decades does not outrank a sharp episode. All bursts are in \
                 tables/bursts.csv; lasting changes are under Shifts.",
                r.trends.counted.name()
            ),
            svg: charts::timeline(Svg::new(title, &desc), title, &sub, &labels, &axis, &rows)?,
        });
    }

    // 5b. Shifts: the clearest lasting changes, one row each, the bar over the higher level.
    let rows: Vec<charts::TimelineRow> = r
        .trends
        .shifts
        .iter()
        .take(20)
        .map(|s| {
            let run = if s.after > s.before {
                (s.to, s.until)
            } else {
                (s.since, s.from)
            };
            charts::TimelineRow {
                label: terms[s.term as usize].surface.clone(),
                runs: vec![(
                    run.0,
                    run.1,
                    format!(
                        "{}% → {}%",
                        significant(100.0 * s.before),
                        significant(100.0 * s.after)
                    ),
                )],
                // Periods between the levels with documents are a transition; empty ones
                // (a gap in the corpus) are not drawn as one.
                transition: (s.from + 1..s.to)
                    .any(|p| r.trends.periods[p].documents > 0)
                    .then(|| (s.from + 1, s.to - 1)),
            }
        })
        .collect();
    if !rows.is_empty() {
        let title = "Shifts";
        let sub = format!(
            "{}. The {} clearest lasting changes of level, share of {} before → after",
            corpus_line(r),
            rows.len(),
            r.trends.counted.name()
        );
        let desc = format!(
            "Timeline of shifts: for each of {} terms, the span in which it was used at its higher level.",
            rows.len()
        );
        out.push(Chart {
            file: "shifts".into(),
            title: title.into(),
            caption: format!(
                "A shift is a change of a term's level that lasts: its series cut into spans of steady use, each \
                 span at least an eighth of the periods long, and neighbouring spans kept apart only when one is \
                 at least twice the other with z ≥ 3.29. Each bar covers the span at the higher level (after the \
                 change for a rise, before it for a fall); a lighter bar is the transition of a gradual change, \
                 between the old level and the new. The numbers are the share of {} using the term, \
                 before → after. All shifts are in tables/shifts.csv.",
                r.trends.counted.name()
            ),
            svg: charts::timeline(Svg::new(title, &desc), title, &sub, &labels, &axis, &rows)?,
        });
    }

    // 6. Choosing k, when the run chose it.
    let scores = &r.topics.k_scores;
    if !scores.is_empty() {
        let chosen = scores.iter().find(|s| s.chosen).map_or(0, |s| s.k);
        let ks: Vec<String> = scores.iter().map(|s| s.k.to_string()).collect();
        let marked: Vec<bool> = scores.iter().map(|s| s.chosen).collect();
        let series = vec![
            Series {
                name: "stability (adjusted Rand index of subsamples)".into(),
                values: scores.iter().map(|s| Some(s.stability)).collect(),
                band: vec![],
            },
            Series {
                name: "silhouette (sample of passages; not used to choose)".into(),
                values: scores.iter().map(|s| Some(s.silhouette)).collect(),
                band: vec![],
            },
            Series {
                name: "coherence (mean NPMI of top terms)".into(),
                values: scores.iter().map(|s| Some(s.coherence)).collect(),
                band: vec![],
            },
        ];
        let title = "Choosing the number of topics";
        let sub = format!(
            "{}. k = {}–{}; * the k chosen ({chosen}): best sum of stability and coherence, each scaled to 0–1",
            corpus_line(r),
            scores[0].k,
            scores[scores.len() - 1].k
        );
        let desc = format!(
            "Stability, silhouette and NPMI coherence for each number of topics tried; {chosen} was chosen."
        );
        out.push(Chart {
            file: "k_selection".into(),
            title: title.into(),
            caption: format!(
                "For each number of topics k tried: stability, how alike the topics found in two \
                 overlapping samples of the passages are (mean adjusted Rand index over 5 pairs; a \
                 k that splits a real group in two, or merges two, is cut differently each time); \
                 the mean NPMI coherence of the topics' top terms (how often they share passages; \
                 higher reads as one theme); and, for reference, the mean silhouette of a sample \
                 of passages, which on text tends to rise with k and does not choose. The run \
                 kept k = {chosen}, the best sum of stability and coherence. Scores are in \
                 tables/k_scores.csv."
            ),
            svg: charts::line_chart(
                Svg::new(title, &desc),
                title,
                &sub,
                &ks,
                "number of topics k",
                "score (each −1 to 1)",
                &series,
                &marked,
            )?,
        });
    }
    Ok(out)
}
