//! Horizontal bars: one chart of them, or panels of them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::{color, draw_err, text_width, Frame, FAMILY};
use crate::error::Result;
use crate::stages::s7_report::text::ellipsize;

/// One bar of a horizontal bar chart.
pub struct Bar {
    /// Label shown beside the bar.
    pub label: String,
    /// Bar length (may be negative).
    pub value: f64,
    /// Text shown at the bar's end (counts).
    pub note: String,
    /// Palette colour index.
    pub color: usize,
}

/// A horizontal bar chart on a canvas of its own.
#[derive(Clone, Copy)]
pub struct BarChart<'a> {
    /// Canvas width and height in pixels.
    pub size: (u32, u32),
    /// The bars, top to bottom.
    pub bars: &'a [Bar],
    /// Pixels left of the axis for the labels.
    pub label_width: u32,
    /// The x axis description.
    pub x_desc: &'a str,
}

/// Draws a [`BarChart`].
pub fn bar_chart(frame: &Frame, spec: &BarChart) -> Result<String> {
    frame.draw(spec.size, |body| {
        bars_into(body, spec.bars, spec.label_width, spec.x_desc)
    })
}

/// One panel of [`BarPanels`]: a bold heading over its bars.
pub struct BarPanel {
    /// The heading.
    pub head: String,
    /// Palette colour of the heading; black when `None`.
    pub color: Option<usize>,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// Panels of horizontal bars, two a row, three when there are more than four, 1,200 pixels
/// wide.
#[derive(Clone, Copy)]
pub struct BarPanels<'a> {
    /// Pixels above the panels for the heading.
    pub top: u32,
    /// Height of one panel in pixels.
    pub panel_height: u32,
    /// The panels, in reading order.
    pub panels: &'a [BarPanel],
    /// Pixels left of each panel's axis for the labels.
    pub label_width: u32,
    /// The x axis description of each panel.
    pub x_desc: &'a str,
}

/// Draws [`BarPanels`].
pub fn bar_panels(frame: &Frame, spec: &BarPanels) -> Result<String> {
    let cols = if spec.panels.len() > 4 { 3 } else { 2 };
    let rows = spec.panels.len().div_ceil(cols);
    frame.draw((1200, spec.top + spec.panel_height * rows as u32), |body| {
        let areas = body.split_evenly((rows, cols));
        for (panel, area) in spec.panels.iter().zip(areas.iter()) {
            let (head, rest) = area.split_vertically(26);
            let font = (FAMILY, 15).into_font().style(FontStyle::Bold);
            let style = match panel.color {
                Some(c) => font.color(&color(c)),
                None => TextStyle::from(font),
            };
            head.draw(&Text::new(panel.head.clone(), (12, 4), style))
                .map_err(draw_err)?;
            bars_into(&rest, &panel.bars, spec.label_width, spec.x_desc)?;
        }
        Ok(())
    })
}

/// Draws horizontal bars into `area`, labels at the left of the axis.
fn bars_into(
    area: &DrawingArea<SVGBackend, Shift>,
    bars: &[Bar],
    label_width: u32,
    x_desc: &str,
) -> Result<()> {
    let n = bars.len().max(1);
    let lo = bars.iter().map(|b| b.value).fold(0.0f64, f64::min);
    let hi = bars.iter().map(|b| b.value).fold(0.0f64, f64::max);
    let span = (hi - lo).max(1e-9);
    // Room for the notes at the bar ends: as many pixels as the longest note takes, on each
    // side that has bars, whatever the width of the area.
    let note_px = bars
        .iter()
        .map(|b| text_width(&b.note, 11.0) + 10.0)
        .fold(0.0f64, f64::max);
    let plot_px = (area.dim_in_pixel().0 as f64 - label_width as f64 - 24.0).max(40.0);
    let sides = (lo < 0.0) as u8 as f64 + (hi > 0.0) as u8 as f64;
    let share = (note_px / plot_px).min(0.4);
    let total = span / (1.0 - sides * share).max(0.2);
    let pad = total * share;
    let (lo, hi) = (
        if lo < 0.0 { lo - pad } else { 0.0 },
        if hi > 0.0 { hi + pad } else { 0.0 },
    );
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(label_width)
        .build_cartesian_2d(lo..hi, -0.5..(n as f64 - 0.5))
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_desc(x_desc)
        .axis_desc_style((FAMILY, 13))
        .label_style((FAMILY, 12))
        .disable_y_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(draw_err)?;
    let max_chars = (label_width / 8).max(8) as usize;
    for (i, b) in bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.35), (b.value, y + 0.35)],
                color(b.color).filled(),
            )))
            .map_err(draw_err)?;
        // backend_coord is in whole-canvas pixels; `area` draws relative to its own corner.
        let (bx, by) = area.get_base_pixel();
        let (px, py) = chart.backend_coord(&(lo, y));
        let (px, py) = (px - bx, py - by);
        let style =
            TextStyle::from((FAMILY, 13).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(
            ellipsize(&b.label, max_chars),
            (px - 6, py),
            style,
        ))
        .map_err(draw_err)?;
        if !b.note.is_empty() {
            let (ex, ey) = chart.backend_coord(&(b.value, y));
            let (ex, ey) = (ex - bx, ey - by);
            let (h, dx) = if b.value >= 0.0 {
                (HPos::Left, 4)
            } else {
                (HPos::Right, -4)
            };
            let style = TextStyle::from((FAMILY, 11).into_font())
                .color(&RGBColor(70, 70, 70))
                .pos(Pos::new(h, VPos::Center));
            area.draw(&Text::new(b.note.clone(), (ex + dx, ey), style))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}
