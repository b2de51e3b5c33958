//! Scatter maps: points coloured by group, with labels placed without overlap.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::{color, draw_err, text_width, Frame, FAMILY};
use crate::error::Result;

/// A label placed on a chart at a data position.
pub struct PlacedLabel {
    /// Data x.
    pub x: f64,
    /// Data y.
    pub y: f64,
    /// The text.
    pub text: String,
    /// Palette colour index.
    pub color: usize,
}

/// Places label boxes (centre `(x, y)`, `w × h` pixels) without overlap where it can: each
/// label, in the given order, takes the first free spot among rings of offsets around its
/// point (up, down, right, left, then the diagonals, farther each ring); when none is free it
/// stays on its point. Returns each label's final centre.
fn place_labels(boxes: &[(f64, f64, f64, f64)], bounds: (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut out = Vec::with_capacity(boxes.len());
    let directions = [
        (0.0, 0.0),
        (0.0, 1.0),
        (0.0, -1.0),
        (1.0, 0.0),
        (-1.0, 0.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (1.0, -1.0),
        (-1.0, -1.0),
    ];
    for &(x, y, w, h) in boxes {
        let clamp = |cx: f64, cy: f64| {
            (
                cx.clamp(
                    bounds.0 + w / 2.0,
                    (bounds.2 - w / 2.0).max(bounds.0 + w / 2.0),
                ),
                cy.clamp(
                    bounds.1 + h / 2.0,
                    (bounds.3 - h / 2.0).max(bounds.1 + h / 2.0),
                ),
            )
        };
        let free = |(cx, cy): (f64, f64)| {
            placed.iter().all(|&(px, py, pw, ph)| {
                (cx - px).abs() * 2.0 >= w + pw || (cy - py).abs() * 2.0 >= h + ph
            })
        };
        let spot = (0..12)
            .flat_map(|ring| {
                directions
                    .iter()
                    .skip(if ring == 0 { 0 } else { 1 })
                    .take(if ring == 0 { 1 } else { 8 })
                    .map(move |&(dx, dy)| (dx * ring as f64, dy * ring as f64))
            })
            .map(|(dx, dy)| clamp(x + dx * (w * 0.6 + 2.0), y + dy * (h + 2.0)))
            .find(|&s| free(s))
            .unwrap_or_else(|| clamp(x, y));
        placed.push((spot.0, spot.1, w, h));
        out.push(spot);
    }
    out
}

/// A scatter map: points coloured by group, with each group's label at its centre.
#[derive(Clone, Copy)]
pub struct ScatterMap<'a> {
    /// The x and y axis descriptions.
    pub axes: (&'a str, &'a str),
    /// `(x, y, palette colour)` of each point.
    pub points: &'a [(f64, f64, usize)],
    /// The labels, placed apart from one another.
    pub labels: &'a [PlacedLabel],
}

/// Draws a [`ScatterMap`].
pub fn scatter_map(frame: &Frame, spec: &ScatterMap) -> Result<String> {
    let ScatterMap {
        axes,
        points,
        labels,
    } = *spec;
    let range = |f: &dyn Fn(&(f64, f64, usize)) -> f64| {
        let (lo, hi) = points
            .iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        if lo.is_finite() && hi > lo {
            let pad = (hi - lo) * 0.05;
            (lo - pad)..(hi + pad)
        } else {
            -1.0..1.0
        }
    };
    let (xr, yr) = (range(&|p| p.0), range(&|p| p.1));
    frame.draw((1000, 760), |body| {
        let mut chart = ChartBuilder::on(body)
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(xr.clone(), yr.clone())
            .map_err(draw_err)?;
        let tick = |v: &f64| {
            let s = format!("{v:.2}");
            if s.trim_start_matches('-')
                .chars()
                .all(|c| c == '0' || c == '.')
            {
                "0".to_string()
            } else {
                s
            }
        };
        chart
            .configure_mesh()
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .x_desc(axes.0)
            .y_desc(axes.1)
            .axis_desc_style((FAMILY, 15))
            .label_style((FAMILY, 13))
            .light_line_style(RGBColor(240, 240, 240))
            .draw()
            .map_err(draw_err)?;
        let radius = if points.len() <= 500 { 4 } else { 2 };
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&(x, y, c)| Circle::new((x, y), radius, color(c).mix(0.5).filled())),
            )
            .map_err(draw_err)?;
        // Labels in pixel space, without overlap, over a white box.
        let (bx, by) = body.get_base_pixel();
        let (w, h) = body.dim_in_pixel();
        let boxes: Vec<(f64, f64, f64, f64)> = labels
            .iter()
            .map(|l| {
                let (px, py) = chart.backend_coord(&(l.x, l.y));
                (
                    (px - bx) as f64,
                    (py - by) as f64,
                    text_width(&l.text, 13.0) + 10.0,
                    20.0,
                )
            })
            .collect();
        let spots = place_labels(&boxes, (72.0, 70.0, w as f64 - 8.0, h as f64 - 56.0));
        for ((l, b), (cx, cy)) in labels.iter().zip(&boxes).zip(spots) {
            let (x0, y0) = ((cx - b.2 / 2.0) as i32, (cy - b.3 / 2.0) as i32);
            body.draw(&Rectangle::new(
                [(x0, y0), (x0 + b.2 as i32, y0 + b.3 as i32)],
                WHITE.mix(0.85).filled(),
            ))
            .map_err(draw_err)?;
            body.draw(&Rectangle::new(
                [(x0, y0), (x0 + b.2 as i32, y0 + b.3 as i32)],
                color(l.color).stroke_width(1),
            ))
            .map_err(draw_err)?;
            let c = color(l.color);
            let style = TextStyle::from((FAMILY, 13).into_font().style(FontStyle::Bold))
                .color(&c)
                .pos(Pos::new(HPos::Center, VPos::Center));
            body.draw(&Text::new(l.text.clone(), (cx as i32, cy as i32), style))
                .map_err(draw_err)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placed_labels_do_not_overlap() {
        let boxes = [(50.0, 50.0, 40.0, 20.0); 5];
        let spots = place_labels(&boxes, (0.0, 0.0, 200.0, 200.0));
        for i in 0..spots.len() {
            for j in 0..i {
                let apart = (spots[i].0 - spots[j].0).abs() >= 40.0
                    || (spots[i].1 - spots[j].1).abs() >= 20.0;
                assert!(apart, "{spots:?}");
            }
        }
    }
}
