//! Timelines: runs of periods drawn as bars, one row a label.

use plotters::prelude::*;

use super::{color, draw_err, period_tick, row_tick, Frame, PeriodAxis, FAMILY};
use crate::error::Result;

/// One row of a timeline: a label and the (start, end, note) runs drawn as bars over the
/// categorical x positions `start..=end`.
pub struct TimelineRow {
    /// Label at the left.
    pub label: String,
    /// Runs of x positions (inclusive) with a note drawn after the bar.
    pub runs: Vec<(usize, usize, String)>,
    /// A span of x positions (inclusive) drawn as a lighter bar, without a note: the
    /// transition of a gradual change.
    pub transition: Option<(usize, usize)>,
}

/// A timeline: one row per label, bars over periods (bursts, shifts). Period labels are not
/// marked.
#[derive(Clone, Copy)]
pub struct Timeline<'a> {
    /// The periods.
    pub x: PeriodAxis<'a>,
    /// The rows, top to bottom.
    pub rows: &'a [TimelineRow],
}

/// Draws a [`Timeline`].
pub fn timeline(frame: &Frame, spec: &Timeline) -> Result<String> {
    let Timeline {
        x:
            PeriodAxis {
                labels: x_labels,
                desc: x_desc,
                ..
            },
        rows,
    } = *spec;
    let n = x_labels.len().max(1);
    let height = 140 + 26 * rows.len().max(1) as u32;
    // Room after the last period for the longest note of a run that ends there: about 7 px a
    // character at 12 px, in a plot about 740 px wide.
    let longest = rows
        .iter()
        .flat_map(|r| &r.runs)
        .map(|(_, _, note)| note.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let (plot, note) = (740.0, 7.0 * longest + 10.0);
    let room = (n as f64 * note / (plot - note)).max(0.8);
    frame.draw((1000, height), |body| {
        let mut chart = ChartBuilder::on(body)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(220)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5 + room), 0.0..rows.len().max(1) as f64)
            .map_err(draw_err)?;
        let fmt_x = |x: &f64| period_tick(*x, x_labels, &[]);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        let fmt_y = |y: &f64| row_tick(*y, &labels);
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .axis_desc_style((FAMILY, 14))
            .x_labels(n.min(400) * 2 + 1)
            .x_label_formatter(&fmt_x)
            .y_labels(rows.len() * 2 + 1)
            .y_label_formatter(&fmt_y)
            .label_style((FAMILY, 13))
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_err)?;
        for (r, row) in rows.iter().enumerate() {
            let y0 = rows.len() as f64 - r as f64 - 0.8;
            let y1 = rows.len() as f64 - r as f64 - 0.2;
            if let Some((start, end)) = row.transition {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(start as f64 - 0.45, y0), (end as f64 + 0.45, y1)],
                        color(0).mix(0.35).filled(),
                    )))
                    .map_err(draw_err)?;
            }
            for (start, end, note) in &row.runs {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(*start as f64 - 0.45, y0), (*end as f64 + 0.45, y1)],
                        color(0).filled(),
                    )))
                    .map_err(draw_err)?;
                // A note goes after a transition that follows its bar (a fall).
                let after = match row.transition {
                    Some((from, to)) if from == end + 1 => to,
                    _ => *end,
                };
                chart
                    .draw_series(std::iter::once(Text::new(
                        note.clone(),
                        (after as f64 + 0.5, y1),
                        (FAMILY, 12).into_font().color(&RGBColor(60, 60, 60)),
                    )))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    })
}
