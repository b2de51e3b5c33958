//! Line charts: one over the periods with bands, and small multiples of them.

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{color, draw_err, period_tick, Frame, PeriodAxis, FAMILY};
use crate::error::Result;
use crate::stages::s7_report::text::ellipsize;

/// One line of a line chart: a name and a value per x position (`None` for a gap).
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values by x position.
    pub values: Vec<Option<f64>>,
    /// A 95% band (low, high) by x position, drawn shaded behind the line; empty for none.
    pub band: Vec<Option<(f64, f64)>>,
}

/// A line chart over categorical x positions (periods), with shaded bands where series have
/// them.
#[derive(Clone, Copy)]
pub struct LineChart<'a> {
    /// The periods.
    pub x: PeriodAxis<'a>,
    /// The y axis description.
    pub y_desc: &'a str,
    /// The lines, in palette order.
    pub series: &'a [Series],
}

/// Draws a [`LineChart`].
pub fn line_chart(frame: &Frame, spec: &LineChart) -> Result<String> {
    let LineChart {
        x:
            PeriodAxis {
                labels: x_labels,
                marked,
                desc: x_desc,
            },
        y_desc,
        series,
    } = *spec;
    let n = x_labels.len();
    let y_max = series
        .iter()
        .flat_map(|s| {
            s.values
                .iter()
                .flatten()
                .copied()
                .chain(s.band.iter().flatten().map(|b| b.1))
        })
        .fold(0.0f64, |a, b| a.max(b));
    let y_max = if y_max > 0.0 { y_max * 1.15 } else { 1.0 };
    let y_min = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, &b| a.min(b));
    let y_min = if y_min < 0.0 { y_min * 1.15 } else { 0.0 };
    // Three legend entries a row when the names fit (about 34 characters at 14 px in a third
    // of the width), else two, else one.
    let longest = series
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    let per_row: usize = if longest <= 34 {
        3
    } else if longest <= 52 {
        2
    } else {
        1
    };
    let legend_rows = series.len().div_ceil(per_row) as u32;
    frame.draw((1000, 560 + 24 * legend_rows), |body| {
        let (plot, legend) = body.split_vertically(body.dim_in_pixel().1 - 24 * legend_rows - 8);
        let x_range = -0.5..(n as f64 - 0.5).max(0.5);
        let mut chart = ChartBuilder::on(&plot)
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(x_range, y_min..y_max)
            .map_err(draw_err)?;
        let fmt = |x: &f64| period_tick(*x, x_labels, marked);
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .x_labels(n.min(400) * 2 + 1)
            .x_label_formatter(&fmt)
            .y_desc(y_desc)
            .axis_desc_style((FAMILY, 15))
            .label_style((FAMILY, 13))
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_err)?;
        // Bands first, so that every line is drawn over them.
        for (si, s) in series.iter().enumerate() {
            let c = color(si);
            let mut run: Vec<(f64, (f64, f64))> = Vec::new();
            let mut runs = Vec::new();
            for (i, b) in s.band.iter().enumerate() {
                match b {
                    Some(b) if b.0.is_finite() && b.1.is_finite() => run.push((i as f64, *b)),
                    _ => runs.push(std::mem::take(&mut run)),
                }
            }
            runs.push(run);
            for r in runs.into_iter().filter(|r| !r.is_empty()) {
                let mut poly: Vec<(f64, f64)> = r.iter().map(|&(x, (_, hi))| (x, hi)).collect();
                poly.extend(r.iter().rev().map(|&(x, (lo, _))| (x, lo)));
                if r.len() == 1 {
                    // A lone period: a short vertical bar for its interval.
                    let (x, (lo, hi)) = r[0];
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x - 0.08, lo), (x + 0.08, hi)],
                            c.mix(0.2).filled(),
                        )))
                        .map_err(draw_err)?;
                } else {
                    chart
                        .draw_series(std::iter::once(Polygon::new(poly, c.mix(0.15).filled())))
                        .map_err(draw_err)?;
                }
            }
        }
        for (si, s) in series.iter().enumerate() {
            let c = color(si);
            // Split at gaps: a gap is never interpolated.
            let mut run: Vec<(f64, f64)> = Vec::new();
            let mut runs = Vec::new();
            for (i, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) => run.push((i as f64, *v)),
                    None => runs.push(std::mem::take(&mut run)),
                }
            }
            runs.push(run);
            for r in runs.into_iter().filter(|r| !r.is_empty()) {
                chart
                    .draw_series(LineSeries::new(r.clone(), c.stroke_width(3)))
                    .map_err(draw_err)?;
                chart
                    .draw_series(r.into_iter().map(|p| Circle::new(p, 5, c.filled())))
                    .map_err(draw_err)?;
            }
        }
        // Legend below the plot.
        let (lw, _) = legend.dim_in_pixel();
        let col_w = (lw as i32 - 32) / per_row as i32;
        for (si, s) in series.iter().enumerate() {
            let per_row = per_row as i32;
            let (x, y) = (
                16 + col_w * (si as i32 % per_row),
                6 + 24 * (si as i32 / per_row),
            );
            legend
                .draw(&Rectangle::new(
                    [(x, y + 4), (x + 22, y + 10)],
                    color(si).filled(),
                ))
                .map_err(draw_err)?;
            legend
                .draw(&Text::new(
                    ellipsize(&s.name, (col_w / 9) as usize),
                    (x + 30, y),
                    (FAMILY, 14),
                ))
                .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// One panel of [`SmallLines`]: a heading, its lines, and an x position to mark.
pub struct LinePanel {
    /// Panel heading.
    pub title: String,
    /// Lines, drawn in palette order (no bands).
    pub series: Vec<Series>,
    /// A position marked with a dashed vertical line (e.g. a handover), drawn just before it.
    pub mark: Option<usize>,
}

/// Small multiples of line charts over the same periods, two or three panels a row, each with
/// its own y scale and a legend of its lines.
#[derive(Clone, Copy)]
pub struct SmallLines<'a> {
    /// The periods, shared by every panel.
    pub x: PeriodAxis<'a>,
    /// The y axis description of each panel.
    pub y_desc: &'a str,
    /// The panels, in reading order.
    pub panels: &'a [LinePanel],
}

/// Draws [`SmallLines`].
pub fn small_lines(frame: &Frame, spec: &SmallLines) -> Result<String> {
    let SmallLines {
        x:
            PeriodAxis {
                labels: x_labels,
                marked,
                desc: x_desc,
            },
        y_desc,
        panels,
    } = *spec;
    let n = x_labels.len().max(1);
    let cols = if panels.len() > 4 { 3 } else { 2 }.min(panels.len().max(1));
    let rows = panels.len().div_ceil(cols).max(1);
    let panel_h = 300u32;
    frame.draw((1200, 110 + panel_h * rows as u32), |body| {
        let areas = body.split_evenly((rows, cols));
        for (panel, area) in panels.iter().zip(areas.iter()) {
            let (head, rest) = area.split_vertically(26 + 16 * panel.series.len() as u32);
            head.draw(&Text::new(
                ellipsize(&panel.title, (area.dim_in_pixel().0 / 9) as usize),
                (12, 4),
                (FAMILY, 14).into_font().style(FontStyle::Bold),
            ))
            .map_err(draw_err)?;
            // Legend under the heading: one swatch and name a line.
            let chars = ((area.dim_in_pixel().0 as i32 - 40) / 7).max(4) as usize;
            for (si, s) in panel.series.iter().enumerate() {
                let y = 24 + 16 * si as i32;
                head.draw(&Rectangle::new(
                    [(12, y + 4), (28, y + 10)],
                    color(si).filled(),
                ))
                .map_err(draw_err)?;
                head.draw(&Text::new(ellipsize(&s.name, chars), (34, y), (FAMILY, 12)))
                    .map_err(draw_err)?;
            }
            let y_max = panel
                .series
                .iter()
                .flat_map(|s| s.values.iter().flatten().copied())
                .fold(0.0f64, f64::max);
            let y_max = if y_max > 0.0 { y_max * 1.15 } else { 1.0 };
            let mut chart = ChartBuilder::on(&rest)
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(56)
                .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..y_max)
                .map_err(draw_err)?;
            let every = n.div_ceil(6).max(1);
            let fmt = |x: &f64| {
                let i = x.round();
                if (x - i).abs() < 1e-6
                    && i >= 0.0
                    && (i as usize) < n
                    && (i as usize).is_multiple_of(every)
                {
                    let mark = if marked.get(i as usize).copied().unwrap_or(false) {
                        "*"
                    } else {
                        ""
                    };
                    format!("{}{mark}", x_labels[i as usize])
                } else {
                    String::new()
                }
            };
            chart
                .configure_mesh()
                .x_desc(x_desc)
                .x_labels(n.min(400) * 2 + 1)
                .x_label_formatter(&fmt)
                .y_labels(5)
                .y_desc(y_desc)
                .axis_desc_style((FAMILY, 12))
                .label_style((FAMILY, 11))
                .disable_x_mesh()
                .light_line_style(RGBColor(240, 240, 240))
                .draw()
                .map_err(draw_err)?;
            if let Some(m) = panel.mark {
                let x = m as f64 - 0.5;
                chart
                    .draw_series(DashedLineSeries::new(
                        vec![(x, 0.0), (x, y_max)],
                        5,
                        4,
                        RGBColor(120, 120, 120).stroke_width(1),
                    ))
                    .map_err(draw_err)?;
            }
            for (si, s) in panel.series.iter().enumerate() {
                let c = color(si);
                let mut run: Vec<(f64, f64)> = Vec::new();
                let mut runs = Vec::new();
                for (i, v) in s.values.iter().enumerate() {
                    match v {
                        Some(v) => run.push((i as f64, *v)),
                        None => runs.push(std::mem::take(&mut run)),
                    }
                }
                runs.push(run);
                for r in runs.into_iter().filter(|r| !r.is_empty()) {
                    chart
                        .draw_series(LineSeries::new(r.clone(), c.stroke_width(2)))
                        .map_err(draw_err)?;
                    if n <= 40 {
                        chart
                            .draw_series(r.into_iter().map(|p| Circle::new(p, 3, c.filled())))
                            .map_err(draw_err)?;
                    }
                }
            }
        }
        Ok(())
    })
}
