//! Stage 7, report: tables (CSV and Parquet), SVG charts and `report.html`. The only stage that
//! writes files.
//!
//! Its rooms: [`tables`] builds the tables, [`charts`] chooses what each chart shows and
//! [`draw`] draws it, [`page`] writes the page and [`evidence`] picks the passages behind its
//! numbers; [`text`] is how the report writes words and numbers, and [`output`] owns the output
//! folder (staging, commit, `run.json`).
//!
//! A run writes into a staging folder inside the output directory; only when every file is
//! written does [`Output::commit`] move them into place ([`output`] says what a run may replace
//! there). A failed run removes its staging folder and leaves the previous report untouched.

pub mod charts;
pub mod draw;
pub mod evidence;
pub mod input;
pub mod output;
pub mod page;
pub mod tables;
pub mod text;

use crate::error::Result;
pub use input::ReportInput;
pub use output::Output;

impl Output {
    /// Writes tables, charts and the page; returns how many files it wrote.
    /// The corpus is read from `rows` (shards in this process, or an engine's) for the
    /// evidence and the tables with a row per document or passage.
    pub fn write_report(&self, r: &ReportInput, rows: &dyn tables::Rows) -> Result<usize> {
        let tables_dir = self.staging().join("tables");
        let ev = rows.evidence(r, &evidence::items(r))?;
        let tables = tables::write_all(&tables_dir, r, &ev, rows)?;
        let charts = charts::all(r)?;
        for c in &charts {
            self.write(&format!("charts/{}.svg", c.file), c.svg.as_bytes())?;
        }
        let page = page::page(r, &charts, &ev, &tables);
        self.write("report.html", page.as_bytes())?;
        Ok(tables.files + charts.len() + 1)
    }
}
