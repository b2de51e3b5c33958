//! Dendrograms: a hierarchy of joins drawn at their distances.

use plotters::prelude::*;

use super::{color, draw_err, Frame, FAMILY};
use crate::error::Result;
use crate::stages::s7_report::text::ellipsize;

/// A horizontal dendrogram: `leaves` (their labels, top to bottom in the order given, which
/// must be the tree's own order so that no branches cross) joined by `joins` (`left`, `right`,
/// `distance`; nodes `0..leaves.len()` are the leaves and node `leaves.len() + i` the one join
/// `i` makes), each join drawn at its distance on the x axis.
#[derive(Clone, Copy)]
pub struct Dendrogram<'a> {
    /// `(node, label)` of each leaf, top to bottom.
    pub leaves: &'a [(usize, String)],
    /// `(left, right, distance)` of each join, in order.
    pub joins: &'a [(usize, usize, f64)],
    /// The x axis description.
    pub x_desc: &'a str,
}

/// Draws a [`Dendrogram`].
pub fn dendrogram(frame: &Frame, spec: &Dendrogram) -> Result<String> {
    let Dendrogram {
        leaves,
        joins,
        x_desc,
    } = *spec;
    let k = leaves.len();
    let height = 150 + 26 * k.max(1) as u32;
    let max = joins.iter().map(|j| j.2).fold(0.0f64, f64::max).max(1e-9);
    // Each node's position: leaves by their row, joins at their distance and between the two
    // nodes they join.
    let mut row = vec![0.0; k];
    for (r, (leaf, _)) in leaves.iter().enumerate() {
        row[*leaf] = k as f64 - r as f64 - 0.5;
    }
    let mut at: Vec<(f64, f64)> = row.iter().map(|&y| (0.0, y)).collect();
    for &(a, b, d) in joins {
        at.push((d, (at[a].1 + at[b].1) / 2.0));
    }
    frame.draw((1000, height), |body| {
        let mut chart = ChartBuilder::on(body)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(360)
            .build_cartesian_2d(0.0..max * 1.05, 0.0..k.max(1) as f64)
            .map_err(draw_err)?;
        let labels: Vec<&str> = leaves.iter().map(|(_, l)| l.as_str()).collect();
        let fmt_y = |y: &f64| {
            let pos = labels.len() as f64 - y - 0.5;
            let r = pos.round();
            if (pos - r).abs() < 1e-6 && r >= 0.0 && (r as usize) < labels.len() {
                ellipsize(labels[r as usize], 52)
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .axis_desc_style((FAMILY, 14))
            .x_labels(6)
            .x_label_formatter(&|x: &f64| format!("{x:.2}"))
            .y_labels(k * 2 + 1)
            .y_label_formatter(&fmt_y)
            .label_style((FAMILY, 13))
            .disable_y_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_err)?;
        let ink = RGBColor(60, 60, 60).stroke_width(2);
        for &(a, b, d) in joins {
            let path = vec![
                (at[a].0, at[a].1),
                (d, at[a].1),
                (d, at[b].1),
                (at[b].0, at[b].1),
            ];
            chart
                .draw_series(std::iter::once(PathElement::new(path, ink)))
                .map_err(draw_err)?;
        }
        for (r, (leaf, _)) in leaves.iter().enumerate() {
            let y = k as f64 - r as f64 - 0.5;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (0.0, y),
                    5,
                    color(*leaf).filled(),
                )))
                .map_err(draw_err)?;
        }
        Ok(())
    })
}
