//! Heatmaps of rows over periods, with counts in the cells wide enough.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{draw_err, period_tick, row_tick, text_width, Frame, PeriodAxis, FAMILY};
use crate::error::Result;

/// One row of a heatmap: a label and, per x position, a shade (0–1) and the count to print;
/// `None` for a position without data (a gap).
pub struct HeatRow {
    /// Label at the left.
    pub label: String,
    /// (shade 0–1, count) by x position.
    pub cells: Vec<Option<(f64, u64)>>,
}

/// A heatmap over categorical x positions (periods), one row per label; counts are printed in
/// cells wide enough for them.
#[derive(Clone, Copy)]
pub struct Heatmap<'a> {
    /// The periods.
    pub x: PeriodAxis<'a>,
    /// The rows, top to bottom.
    pub rows: &'a [HeatRow],
    /// What the shade scale means, written beside it.
    pub legend: &'a str,
}

/// Draws a [`Heatmap`].
pub fn heatmap(frame: &Frame, spec: &Heatmap) -> Result<String> {
    let Heatmap {
        x:
            PeriodAxis {
                labels: x_labels,
                marked,
                desc: x_desc,
            },
        rows,
        legend,
    } = *spec;
    let n = x_labels.len().max(1);
    let height = 170 + 24 * rows.len().max(1) as u32;
    frame.draw((1000, height), |body| {
        let (plot, key) = body.split_vertically(body.dim_in_pixel().1 - 30);
        let mut chart = ChartBuilder::on(&plot)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(230)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..rows.len().max(1) as f64)
            .map_err(draw_err)?;
        let fmt_x = |x: &f64| period_tick(*x, x_labels, marked);
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
            .disable_mesh()
            .draw()
            .map_err(draw_err)?;
        let cell_px = {
            let (a, _) = chart.backend_coord(&(0.0, 0.0));
            let (b, _) = chart.backend_coord(&(1.0, 0.0));
            (b - a).abs()
        };
        let shade = |v: f64| {
            // White to the palette's blue.
            let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * v.clamp(0.0, 1.0)) as u8;
            RGBColor(mix(255, 0), mix(255, 90), mix(255, 160))
        };
        for (r, row) in rows.iter().enumerate() {
            let y0 = rows.len() as f64 - r as f64 - 1.0;
            for (x, cell) in row.cells.iter().enumerate() {
                let x = x as f64;
                let fill = match cell {
                    Some((v, _)) => shade(*v),
                    None => RGBColor(235, 235, 235),
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.5, y0 + 0.04), (x + 0.5, y0 + 0.96)],
                        fill.filled(),
                    )))
                    .map_err(draw_err)?;
                if let Some((v, count)) = cell {
                    let text = count.to_string();
                    if text_width(&text, 11.0) + 4.0 <= cell_px as f64 {
                        let ink = if *v > 0.55 {
                            WHITE
                        } else {
                            RGBColor(40, 40, 40)
                        };
                        let style = TextStyle::from((FAMILY, 11).into_font())
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Center));
                        chart
                            .draw_series(std::iter::once(Text::new(text, (x, y0 + 0.5), style)))
                            .map_err(draw_err)?;
                    }
                }
            }
        }
        // The key: the shade scale and what a grey cell is.
        for i in 0..10 {
            let x = 240 + i * 18;
            key.draw(&Rectangle::new(
                [(x, 6), (x + 18, 20)],
                shade(i as f64 / 9.0).filled(),
            ))
            .map_err(draw_err)?;
        }
        key.draw(&Rectangle::new(
            [(240, 6), (420, 20)],
            RGBColor(160, 160, 160),
        ))
        .map_err(draw_err)?;
        key.draw(&Text::new(legend.to_string(), (430, 6), (FAMILY, 13)))
            .map_err(draw_err)?;
        Ok(())
    })
}
