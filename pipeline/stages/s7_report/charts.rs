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
    if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n && (i as usize).is_multiple_of(every) {
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

/// The tick label of a row axis at `y`: row `r` of `labels` occupies `[len - r - 1, len - r)`
/// and its label sits at the middle (cut to 30 characters); empty elsewhere.
fn row_tick(y: f64, labels: &[&str]) -> String {
    let pos = labels.len() as f64 - y - 0.5;
    let r = pos.round();
    if (pos - r).abs() < 1e-6 && r >= 0.0 && (r as usize) < labels.len() {
        ellipsize(labels[r as usize], 30)
    } else {
        String::new()
    }
}

/// Title and subtitle at the top of an area; returns the area below them. A subtitle too long
/// for one line is broken at a space onto a second.
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
    let per_line = (w / 8) as usize;
    let lines = wrap(subtitle, per_line, 2);
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (16, 42 + 18 * i as i32),
            (FAMILY, 14).into_font().color(&RGBColor(80, 80, 80)),
        ))
        .map_err(draw_err)?;
    }
    Ok(area
        .split_vertically(68 + 18 * (lines.len() as u32).saturating_sub(1))
        .1)
}

/// `s` broken at spaces into at most `max_lines` lines of at most `width` characters; the last
/// line is cut with `…` when the text does not fit.
fn wrap(s: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split(' ') {
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(rest);
    }
    lines.into_iter().map(|l| ellipsize(&l, width)).collect()
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
#[allow(clippy::too_many_arguments)]
pub fn line_chart(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    x_desc: &str,
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

/// A stacked area chart of shares (summing to 1 at each x position): one band per series,
/// broken where a position has no data (NaN), a lone position drawn as a bar. Each band wide
/// enough somewhere carries its short name (`band_names`) there, on the chart; the legend below
/// lists the full `names`.
#[allow(clippy::too_many_arguments)]
pub fn stacked_area(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    (x_desc, y_desc): (&str, &str),
    names: &[String],
    band_names: &[String],
    shares: &[Vec<f64>],
    marked: &[bool],
) -> Result<String> {
    let n = x_labels.len();
    let k = names.len();
    let per_row = if k > 12 { 3 } else { 1 };
    let legend_rows = k.div_ceil(per_row) as u32;
    svg.draw((1000, 560 + 22 * legend_rows), |root| {
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
            .x_desc(x_desc)
            .x_labels(n.min(400) * 2 + 1)
            .x_label_formatter(&fmt)
            .y_label_formatter(&pct)
            .y_desc(y_desc)
            .axis_desc_style((FAMILY, 15))
            .label_style((FAMILY, 13))
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_err)?;
        // Cumulative bounds: (low, high) of series t at position p.
        let bounds: Vec<Option<Vec<(f64, f64)>>> = shares
            .iter()
            .map(|row| {
                if row.iter().all(|v| !v.is_finite()) {
                    return None;
                }
                let mut base = 0.0;
                Some(
                    row.iter()
                        .map(|&v| {
                            let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
                            let b = (base, base + v);
                            base += v;
                            b
                        })
                        .collect(),
                )
            })
            .collect();
        let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
        for (p, b) in bounds.iter().enumerate() {
            match b {
                Some(_) => runs.last_mut().expect("one run").push(p),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| !r.is_empty()) {
            for t in 0..k {
                let at = |p: usize| bounds[p].as_ref().expect("filled")[t];
                if run.len() == 1 {
                    let (p, (lo, hi)) = (run[0], at(run[0]));
                    if hi > lo {
                        chart
                            .draw_series(std::iter::once(Rectangle::new(
                                [(p as f64 - 0.4, lo), (p as f64 + 0.4, hi)],
                                color(t).mix(0.85).filled(),
                            )))
                            .map_err(draw_err)?;
                    }
                    continue;
                }
                let mut poly: Vec<(f64, f64)> = run.iter().map(|&p| (p as f64, at(p).1)).collect();
                poly.extend(run.iter().rev().map(|&p| (p as f64, at(p).0)));
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        poly,
                        color(t).mix(0.85).filled(),
                    )))
                    .map_err(draw_err)?;
            }
        }
        // Names on the bands: each at the widest place of its band (at least 7% tall) where it
        // does not overlap a name already placed; thicker bands are named first.
        // (topic, its places: (position, low, high), widest first)
        type Spots = Vec<(usize, f64, f64)>;
        let mut wanted: Vec<(usize, Spots)> = (0..k)
            .map(|t| {
                let mut spots: Vec<(usize, f64, f64)> = bounds
                    .iter()
                    .enumerate()
                    .filter_map(|(p, b)| b.as_ref().map(|b| (p, b[t].0, b[t].1)))
                    .filter(|s| s.2 - s.1 >= 0.07)
                    .collect();
                spots.sort_by(|a, b| (b.2 - b.1).total_cmp(&(a.2 - a.1)).then(a.0.cmp(&b.0)));
                (t, spots)
            })
            .collect();
        wanted.sort_by(|a, b| {
            let w = |s: &Spots| s.first().map_or(0.0, |x| x.2 - x.1);
            w(&b.1).total_cmp(&w(&a.1)).then(a.0.cmp(&b.0))
        });
        let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (t, spots) in wanted {
            for (p, lo, hi) in spots {
                // At the first or last position of a run the name runs inward, not off the
                // band; it is cut to the room the run leaves it.
                let run = runs
                    .iter()
                    .find(|r| r.contains(&p))
                    .expect("a filled position");
                let (start, end) = (run[0], *run.last().expect("non-empty"));
                let px = |x: f64| chart.backend_coord(&(x, 0.0)).0 as f64;
                let (anchor, dx, room_px) = if start == end {
                    (HPos::Center, 0.0, px(p as f64 + 0.4) - px(p as f64 - 0.4))
                } else if p == start {
                    (HPos::Left, 0.1, px(end as f64) - px(p as f64 + 0.1))
                } else if p == end {
                    (HPos::Right, -0.1, px(p as f64 - 0.1) - px(start as f64))
                } else {
                    let half = (px(p as f64) - px(start as f64)).min(px(end as f64) - px(p as f64));
                    (HPos::Center, 0.0, 2.0 * half)
                };
                let room = ((room_px - 8.0) / 7.2).floor().max(0.0) as usize;
                // The longest cut of the name that fits, down to 8 characters.
                let fits = |chars: usize| {
                    let text = ellipsize(&band_names[t], chars);
                    let cx = chart.backend_coord(&(p as f64 + dx, 0.0)).0;
                    let w = text_width(&text, 12.0) as i32;
                    let left = match anchor {
                        HPos::Left => cx,
                        HPos::Right => cx - w,
                        HPos::Center => cx - w / 2,
                    };
                    // The name sits inside its own band along its whole width: between
                    // positions a band's edges are straight, so the edges at the name's two ends
                    // and at the positions in between bound the room; the name is centred in it.
                    let to_x = |x_px: i32| {
                        let (x0, x1) = (px(0.0), px(1.0));
                        ((x_px as f64 - x0) / (x1 - x0)).clamp(start as f64 - 0.4, end as f64 + 0.4)
                    };
                    let (x_left, x_right) = (to_x(left), to_x(left + w));
                    let band_at = |x: f64| {
                        if start == end {
                            return at_bounds(&bounds, start, t);
                        }
                        let x = x.clamp(start as f64, end as f64);
                        let a = (x.floor() as usize).min(end - 1);
                        let f = x - a as f64;
                        let (lo_a, hi_a) = at_bounds(&bounds, a, t);
                        let (lo_b, hi_b) = at_bounds(&bounds, a + 1, t);
                        (lo_a + f * (lo_b - lo_a), hi_a + f * (hi_b - hi_a))
                    };
                    let (floor, ceiling) = std::iter::once(x_left)
                        .chain(
                            (start..=end)
                                .map(|q| q as f64)
                                .filter(|&q| q > x_left && q < x_right),
                        )
                        .chain(std::iter::once(x_right))
                        .map(band_at)
                        .fold((lo, hi), |(f, c), (l, h)| (f.max(l), c.min(h)));
                    let y_px = |y: f64| chart.backend_coord(&(0.0, y)).1;
                    if y_px(floor) - y_px(ceiling) < 15 {
                        return None;
                    }
                    let at = (p as f64 + dx, (floor + ceiling) / 2.0);
                    let cy = y_px(at.1);
                    let bx = (left, cy - 8, left + w, cy + 8);
                    // And apart from the names already placed, by 2 px.
                    let clear = taken.iter().all(|o| {
                        bx.2 + 2 <= o.0 || o.2 + 2 <= bx.0 || bx.3 + 2 <= o.1 || o.3 + 2 <= bx.1
                    });
                    clear.then_some((text, at, bx))
                };
                let longest = room.min(40);
                let Some((text, at, bx)) = (8..=longest).rev().find_map(fits) else {
                    continue;
                };
                taken.push(bx);
                let style = TextStyle::from((FAMILY, 12).into_font().style(FontStyle::Bold))
                    .color(&WHITE)
                    .pos(Pos::new(anchor, VPos::Center));
                chart
                    .draw_series(std::iter::once(Text::new(text, at, style)))
                    .map_err(draw_err)?;
                break;
            }
        }
        let (lw, _) = legend.dim_in_pixel();
        let col_w = (lw as i32 - 32) / per_row as i32;
        for (t, name) in names.iter().enumerate() {
            let (x, y) = (
                16 + col_w * (t % per_row) as i32,
                4 + 22 * (t / per_row) as i32,
            );
            legend
                .draw(&Rectangle::new(
                    [(x, y + 3), (x + 18, y + 15)],
                    color(t).mix(0.85).filled(),
                ))
                .map_err(draw_err)?;
            legend
                .draw(&Text::new(
                    ellipsize(name, (col_w / 8) as usize),
                    (x + 26, y),
                    (FAMILY, 14),
                ))
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
    /// A span of x positions (inclusive) drawn as a lighter bar, without a note: the
    /// transition of a gradual change.
    pub transition: Option<(usize, usize)>,
}

/// A timeline: one row per label, bars over periods (bursts).
pub fn timeline(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    x_desc: &str,
    rows: &[TimelineRow],
) -> Result<String> {
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
    svg.draw((1000, height), |root| {
        let body = heading(root, title, subtitle)?;
        let mut chart = ChartBuilder::on(&body)
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

/// Rough width in pixels of `s` at `size` px in DejaVu Sans (0.6 em a character).
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.6
}

/// `(low, high)` of band `t` at filled position `p` of a stacked chart's cumulative bounds.
fn at_bounds(bounds: &[Option<Vec<(f64, f64)>>], p: usize, t: usize) -> (f64, f64) {
    bounds[p].as_ref().expect("a filled position")[t]
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
pub fn scatter_map(
    svg: Svg,
    title: &str,
    subtitle: &str,
    axes: (&str, &str),
    points: &[(f64, f64, usize)],
    labels: &[PlacedLabel],
) -> Result<String> {
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
    svg.draw((1000, 760), |root| {
        let body = heading(root, title, subtitle)?;
        let mut chart = ChartBuilder::on(&body)
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
#[allow(clippy::too_many_arguments)]
pub fn heatmap(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    x_desc: &str,
    marked: &[bool],
    rows: &[HeatRow],
    legend: &str,
) -> Result<String> {
    let n = x_labels.len().max(1);
    let height = 170 + 24 * rows.len().max(1) as u32;
    svg.draw((1000, height), |root| {
        let body = heading(root, title, subtitle)?;
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

/// One panel of [`small_lines`]: a heading, its lines, and an x position to mark.
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
#[allow(clippy::too_many_arguments)]
pub fn small_lines(
    svg: Svg,
    title: &str,
    subtitle: &str,
    x_labels: &[String],
    x_desc: &str,
    marked: &[bool],
    y_desc: &str,
    panels: &[LinePanel],
) -> Result<String> {
    let n = x_labels.len().max(1);
    let cols = if panels.len() > 4 { 3 } else { 2 }.min(panels.len().max(1));
    let rows = panels.len().div_ceil(cols).max(1);
    let panel_h = 300u32;
    svg.draw((1200, 110 + panel_h * rows as u32), |root| {
        let body = heading(root, title, subtitle)?;
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

/// A horizontal dendrogram: `leaves` (their labels, top to bottom in the order given, which
/// must be the tree's own order so that no branches cross) joined by `joins` (`left`, `right`,
/// `distance`; nodes `0..leaves.len()` are the leaves and node `leaves.len() + i` the one join
/// `i` makes), each join drawn at its distance on the x axis.
pub fn dendrogram(
    svg: Svg,
    title: &str,
    subtitle: &str,
    leaves: &[(usize, String)],
    joins: &[(usize, usize, f64)],
    x_desc: &str,
) -> Result<String> {
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
    svg.draw((1000, height), |root| {
        let body = heading(root, title, subtitle)?;
        let mut chart = ChartBuilder::on(&body)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_the_last_line() {
        assert_eq!(wrap("a bb ccc", 4, 2), ["a bb", "ccc"]);
        assert_eq!(wrap("a bb ccc dddd", 4, 2), ["a bb", "ccc…"]);
        assert_eq!(wrap("short", 10, 2), ["short"]);
    }

    /// The `<text>` elements of an SVG: (x, y, anchor, text, fill).
    fn svg_texts(svg: &str) -> Vec<(f64, f64, String, String, String)> {
        let attr = |tag: &str, name: &str| {
            let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[from..from + tag[from..].find('"')?].to_string())
        };
        svg.split("<text")
            .skip(1)
            .filter_map(|rest| {
                let (tag, body) = rest.split_once('>')?;
                let text = body.split("</text>").next()?.trim().to_string();
                Some((
                    attr(tag, "x")?.parse().ok()?,
                    attr(tag, "y")?.parse().ok()?,
                    attr(tag, "text-anchor").unwrap_or_default(),
                    text,
                    attr(tag, "fill").unwrap_or_default(),
                ))
            })
            .collect()
    }

    /// Bands that slope steeply across a run of two periods (as the seed corpus's topics do
    /// in 2020–2021) and a gap: every band is named, each name lies inside its own band over
    /// its whole width, and no two names overlap.
    #[test]
    fn band_names_sit_inside_their_bands_and_apart() {
        let nan = f64::NAN;
        let shares = vec![
            vec![0.25, 0.17, 0.33, 0.25, 0.0],
            vec![0.35, 0.45, 0.10, 0.075, 0.025],
            vec![nan; 5],
            vec![nan; 5],
            vec![0.50, 0.0, 0.0, 0.285, 0.215],
            vec![0.40, 0.0, 0.40, 0.20, 0.0],
        ];
        let periods: Vec<String> = (2016..=2021).map(|y| y.to_string()).collect();
        let names: Vec<String> = [
            "China, industrial, technology",
            "security, military, national security",
            "cybersecurity, China, review",
            "data, security, proposals",
            "policy proposals, year, flood",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}: {n}", i + 1))
        .collect();
        let svg = stacked_area(
            Svg::new("t", "d"),
            "Topic prevalence",
            "sub",
            &periods,
            ("year", "share of the period's passages"),
            &names,
            &names,
            &shares,
            &[false; 6],
        )
        .unwrap();
        let texts = svg_texts(&svg);
        let at = |label: &str| {
            texts
                .iter()
                .find(|t| t.3 == label)
                .unwrap_or_else(|| panic!("no text {label}"))
        };
        // Pixels of the axes, from the tick labels.
        let (x16, x17) = (at("2016").0, at("2017").0);
        let (y0, y100) = (at("0%").1, at("100%").1);
        let x_of = |px: f64| 2016.0 + (px - x16) / (x17 - x16);
        let y_px = |share: f64| y0 + share * (y100 - y0);
        let band = |t: usize, year: f64| {
            let row = |p: usize| {
                let lo: f64 = shares[p][..t].iter().sum();
                (lo, lo + shares[p][t])
            };
            let p = ((year - 2016.0).floor() as usize).min(4);
            let f = year - 2016.0 - p as f64;
            let (a, b) = (row(p), row(p + 1));
            (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1))
        };
        let mut boxes = Vec::new();
        // Band names are white; the legend's are not.
        for t in 0..names.len() {
            let (x, y, anchor, text, _) = texts
                .iter()
                .find(|s| s.4 == "#FFFFFF" && s.3.starts_with(&format!("{}:", t + 1)))
                .unwrap_or_else(|| panic!("band {} is not named: {texts:?}", t + 1));
            let w = text_width(text, 12.0);
            let left = match anchor.as_str() {
                "end" => x - w,
                "middle" => x - w / 2.0,
                _ => *x,
            };
            for px in [left, left + w] {
                let (lo, hi) = band(t, x_of(px).clamp(2016.0, 2021.0));
                // The glyphs of a 12 px name reach about 5 px above and below its centre.
                assert!(
                    y_px(hi) <= y - 5.0 && y_px(lo) >= y + 5.0,
                    "{text} at ({x}, {y}) leaves its band ({lo:.3}–{hi:.3}) at x = {px}"
                );
            }
            boxes.push((left, y - 8.0, left + w, y + 8.0));
        }
        for i in 0..boxes.len() {
            for j in 0..i {
                let (a, b) = (boxes[i], boxes[j]);
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "names {} and {} overlap", i + 1, j + 1);
            }
        }
    }

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
