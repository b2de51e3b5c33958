//! SVG charts drawn with plotters. Text is measured with the bundled DejaVu Sans (so layout
//! does not depend on the machine's fonts) and written as SVG text, which plotters escapes.
//! Every chart gets `<title>` and `<desc>` for screen readers.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use crate::error::{Error, Result};

/// The font family written into the SVG; the first name is the bundled font.
pub const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// One palette for every chart (Okabe–Ito, readable by colour-blind readers), then greys.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(140, 86, 75),
    RGBColor(100, 100, 100),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// Colour number `i` of the palette.
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bundled fonts are valid TrueType files; a failure here is a build defect.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD);
    });
}

fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Internal(format!("drawing a chart failed: {e:?}"))
}

/// Shortens `s` to at most `max` characters, marking the cut with `…`.
pub fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A chart being drawn into an SVG string.
pub struct Svg {
    buf: String,
    title: String,
    desc: String,
}

impl Svg {
    /// A new chart with its accessible title and description.
    pub fn new(title: &str, desc: &str) -> Svg {
        register_fonts();
        Svg {
            buf: String::new(),
            title: title.to_string(),
            desc: desc.to_string(),
        }
    }

    /// Draws with `f` on a `w × h` canvas; returns the SVG text.
    pub fn draw(
        mut self,
        (w, h): (u32, u32),
        f: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
    ) -> Result<String> {
        {
            let root = SVGBackend::with_string(&mut self.buf, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(draw_err)?;
            f(&root)?;
            root.present().map_err(draw_err)?;
        }
        // Accessible name and description, right after the opening tag.
        let at = self.buf.find('>').map(|i| i + 1).unwrap_or(0);
        let head = format!(
            "\n<title>{}</title>\n<desc>{}</desc>",
            crate::stages::s7_report::html::escape(&self.title),
            crate::stages::s7_report::html::escape(&self.desc)
        );
        self.buf.insert_str(at, &head);
        Ok(self.buf)
    }
}

/// The tick label of a categorical (period) axis at `x`: the label of the period at an integer
/// position, at most 16 of them shown, with `*` after a `marked` one; empty elsewhere.
fn period_tick(x: f64, labels: &[String], marked: &[bool]) -> String {
    let n = labels.len();
    let every = n.div_ceil(16).max(1);
    let i = x.round();
    if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n && (i as usize) % every == 0 {
        let i = i as usize;
        let mark = if marked.get(i).copied().unwrap_or(false) {
            "*"
        } else {
            ""
        };
        format!("{}{mark}", labels[i])
    } else {
        String::new()
    }
}

/// Title and subtitle at the top of an area; returns the area below them.
pub fn heading<'a>(
    area: &DrawingArea<SVGBackend<'a>, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<SVGBackend<'a>, Shift>> {
    let (w, _) = area.dim_in_pixel();
    area.draw(&Text::new(
        ellipsize(title, (w / 11) as usize),
        (16, 12),
        (FAMILY, 22).into_font().style(FontStyle::Bold),
    ))
    .map_err(draw_err)?;
    area.draw(&Text::new(
        ellipsize(subtitle, (w / 8) as usize),
        (16, 42),
        (FAMILY, 14).into_font().color(&RGBColor(80, 80, 80)),
    ))
    .map_err(draw_err)?;
    Ok(area.split_vertically(68).1)
}

/// One line of a line chart: a name and a value per x position (`None` for a gap).
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Values by x position.
    pub values: Vec<Option<f64>>,
    /// A 95% band (low, high) by x position, drawn shaded behind the line; empty for none.
    pub band: Vec<Option<(f64, f64)>>,
}

/// A line chart over categorical x positions (periods).
pub fn line_chart(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    y_desc: &str,
    series: &[Series],
    marked: &[bool],
) -> Result<String> {
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
    svg.draw((1000, 560 + 24 * legend_rows), |root| {
        let body = heading(root, title, subtitle)?;
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

/// Draws horizontal bars into `area`, labels at the left of the axis.
pub fn bars_into(
    area: &DrawingArea<SVGBackend, Shift>,
    bars: &[Bar],
    label_width: u32,
    x_desc: &str,
) -> Result<()> {
    let n = bars.len().max(1);
    let lo = bars.iter().map(|b| b.value).fold(0.0f64, f64::min);
    let hi = bars.iter().map(|b| b.value).fold(0.0f64, f64::max);
    let span = (hi - lo).max(1e-9);
    // Room for the notes at the bar ends.
    let (lo, hi) = (
        if lo < 0.0 { lo - span * 0.25 } else { 0.0 },
        if hi > 0.0 { hi + span * 0.25 } else { 0.0 },
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

/// A stacked bar chart: one bar per x position, one segment per series (shares summing to 1).
pub fn stacked_bars(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    names: &[String],
    shares: &[Vec<f64>],
    marked: &[bool],
) -> Result<String> {
    let n = x_labels.len();
    let legend_rows = names.len() as u32;
    svg.draw((1000, 520 + 22 * legend_rows), |root| {
        let body = heading(root, title, subtitle)?;
        let (plot, legend) = body.split_vertically(body.dim_in_pixel().1 - 22 * legend_rows - 8);
        let mut chart = ChartBuilder::on(&plot)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5).max(0.5), 0.0..1.0)
            .map_err(draw_err)?;
        let fmt = |x: &f64| period_tick(*x, x_labels, marked);
        let pct = |y: &f64| format!("{:.0}%", y * 100.0);
        chart
            .configure_mesh()
            .x_labels(n.min(400) * 2 + 1)
            .x_label_formatter(&fmt)
            .y_label_formatter(&pct)
            .y_desc("share of passages")
            .axis_desc_style((FAMILY, 15))
            .label_style((FAMILY, 13))
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_err)?;
        for (p, row) in shares.iter().enumerate() {
            let mut base = 0.0;
            for (t, &s) in row.iter().enumerate() {
                if !s.is_finite() || s <= 0.0 {
                    continue;
                }
                let x = p as f64;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.4, base), (x + 0.4, base + s)],
                        color(t).filled(),
                    )))
                    .map_err(draw_err)?;
                base += s;
            }
        }
        for (t, name) in names.iter().enumerate() {
            let y = 4 + 22 * t as i32;
            legend
                .draw(&Rectangle::new(
                    [(16, y + 3), (34, y + 15)],
                    color(t).filled(),
                ))
                .map_err(draw_err)?;
            legend
                .draw(&Text::new(ellipsize(name, 110), (42, y), (FAMILY, 14)))
                .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// One row of a timeline: a label and the (start, end, note) runs drawn as bars over the
/// categorical x positions `start..=end`.
pub struct TimelineRow {
    /// Label at the left.
    pub label: String,
    /// Runs of x positions (inclusive) with a note drawn after the bar.
    pub runs: Vec<(usize, usize, String)>,
}

/// A timeline: one row per label, bars over periods (bursts).
pub fn timeline(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    rows: &[TimelineRow],
) -> Result<String> {
    let n = x_labels.len().max(1);
    let height = 140 + 26 * rows.len().max(1) as u32;
    svg.draw((1000, height), |root| {
        let body = heading(root, title, subtitle)?;
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(220)
            // Room after the last period for the notes of bursts that run to the end.
            .build_cartesian_2d(
                -0.5..(n as f64 - 0.5 + (n as f64 * 0.07).max(0.8)),
                0.0..rows.len().max(1) as f64,
            )
            .map_err(draw_err)?;
        let fmt_x = |x: &f64| period_tick(*x, x_labels, &[]);
        let fmt_y = |y: &f64| {
            // Row r occupies [len - r - 1, len - r); its label sits at the middle.
            let pos = rows.len() as f64 - y - 0.5;
            let r = pos.round();
            if (pos - r).abs() < 1e-6 && r >= 0.0 && (r as usize) < rows.len() {
                ellipsize(&rows[r as usize].label, 30)
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
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
            for (start, end, note) in &row.runs {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(*start as f64 - 0.45, y0), (*end as f64 + 0.45, y1)],
                        color(0).filled(),
                    )))
                    .map_err(draw_err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        note.clone(),
                        (*end as f64 + 0.6, y1),
                        (FAMILY, 12).into_font().color(&RGBColor(60, 60, 60)),
                    )))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    })
}
