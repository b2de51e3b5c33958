//! The report's charts: one module a chart, each choosing what to show from the run's results
//! and handing a spec to [`super::draw`]. Each has `fn chart(r) -> Result<Option<Chart>>`:
//! `None` when the run has nothing for it to show.

mod bursts;
mod composition;
mod contrasts;
mod k_selection;
mod rising_falling;
mod shifts;
pub mod stage_timings;
mod succession;
mod term_heatmap;
mod topic_hierarchy;
mod topic_map;
mod topic_share;
mod topic_terms;
mod tracked_terms;

use super::draw::PeriodAxis;
use super::input::ReportInput;
use super::text::corpus_name;
use crate::error::Result;

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

/// Every chart the run has something for, in the order of the page.
pub fn all(r: &ReportInput) -> Result<Vec<Chart>> {
    let charts = [
        composition::chart(r)?,
        tracked_terms::chart(r)?,
        rising_falling::chart(r)?,
        contrasts::chart(r)?,
        topic_terms::chart(r)?,
        topic_hierarchy::chart(r)?,
        topic_map::chart(r)?,
        topic_share::chart(r)?,
        term_heatmap::chart(r)?,
        succession::chart(r)?,
        bursts::chart(r)?,
        shifts::chart(r)?,
        k_selection::chart(r)?,
    ];
    Ok(charts.into_iter().flatten().collect())
}

/// The periods as a chart axis: their labels, the thin ones, and what one step is.
struct Periods {
    labels: Vec<String>,
    thin: Vec<bool>,
    desc: String,
}

impl Periods {
    fn of(r: &ReportInput) -> Periods {
        let (labels, thin) = r.period_labels();
        let desc = if r.config.trends.periods.is_empty() {
            format!("{:?}", r.config.trends.period).to_lowercase()
        } else {
            format!("period (from {})", r.config.trends.periods.join(", "))
        };
        Periods { labels, thin, desc }
    }

    fn axis(&self) -> PeriodAxis<'_> {
        PeriodAxis {
            labels: &self.labels,
            marked: &self.thin,
            desc: &self.desc,
        }
    }
}

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
        corpus_name(&r.facts.path),
        r.figures.documents,
        r.figures.passages,
        from,
        to,
    )
}

/// Documents per period, in a caption: each period's count, or their range when there are many.
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

#[cfg(test)]
mod testing {
    //! What every chart test checks besides its own content.

    use crate::stages::s7_report::draw::testing::overlapping;

    /// The chart is drawn, with its title and description, and none of its labels overlap.
    pub(super) fn assert_readable(chart: &super::Chart) {
        assert!(chart.svg.starts_with("<svg"), "{}", &chart.svg[..80]);
        assert!(chart
            .svg
            .contains(&format!("<title>{}", chart.title.replace('&', "&amp;"))));
        assert!(chart.svg.contains("<desc>"));
        assert!(!chart.caption.is_empty());
        let clashes = overlapping(&chart.svg);
        assert!(
            clashes.is_empty(),
            "{}: labels overlap: {clashes:?}",
            chart.file
        );
    }
}
