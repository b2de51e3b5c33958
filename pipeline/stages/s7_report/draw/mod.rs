//! Drawing, with no knowledge of topics or trends: bars, lines, stacked areas, heatmaps,
//! scatter maps, timelines, small multiples and dendrograms, each from a spec struct, under a
//! [`Frame`] (title, subtitle, accessible description). What to draw is chosen in
//! [`super::charts`].
//!
//! SVG is drawn with plotters. Text is measured with the bundled DejaVu Sans (so layout does not
//! depend on the machine's fonts) and written as SVG text, which plotters escapes. Every chart
//! gets `<title>` and `<desc>` for screen readers.

use std::sync::Once;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::text::{ellipsize, escape, is_wide};
use crate::error::{Error, Result};

mod areas;
mod bars;
mod dendrogram;
mod glyphs;
mod heatmap;
mod lines;
mod scatter;
mod timeline;

pub use areas::{stacked_area, StackedArea};
pub use bars::{bar_chart, bar_panels, Bar, BarChart, BarPanel, BarPanels};
pub use dendrogram::{dendrogram, Dendrogram};
pub use heatmap::{heatmap, HeatRow, Heatmap};
pub use lines::{line_chart, small_lines, LineChart, LinePanel, Series, SmallLines};
pub use scatter::{scatter_map, PlacedLabel, ScatterMap};
pub use timeline::{timeline, Timeline, TimelineRow};

/// A plot with two `f64` axes on an SVG canvas.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The font family written into the SVG; the first name is the bundled font.
pub const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";
const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

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

/// A chart being drawn into an SVG string.
struct Svg {
    buf: String,
    title: String,
    desc: String,
}

impl Svg {
    /// A new chart with its accessible title and description.
    fn new(title: &str, desc: &str) -> Svg {
        register_fonts();
        Svg {
            buf: String::new(),
            title: title.to_string(),
            desc: desc.to_string(),
        }
    }

    /// Draws with `f` on a `w × h` canvas; returns the SVG text.
    fn draw(
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
            escape(&self.title),
            escape(&self.desc)
        );
        self.buf.insert_str(at, &head);
        if !self.buf.is_ascii() {
            self.buf = glyphs::outline_texts(&self.buf);
        }
        Ok(self.buf)
    }
}

/// What every chart has around its plot: the title, the line under it, and the description
/// screen readers read.
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    /// Heading of the chart, also its accessible name.
    pub title: &'a str,
    /// The line (or two) under the heading: corpus, scale, what is shown.
    pub subtitle: &'a str,
    /// What the chart shows, for screen readers.
    pub desc: &'a str,
}

impl Frame<'_> {
    /// Draws the frame on a `w × h` canvas and `f` in the area under its heading; returns the
    /// SVG text.
    fn draw(
        &self,
        size: (u32, u32),
        f: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
    ) -> Result<String> {
        Svg::new(self.title, self.desc).draw(size, |root| {
            let body = heading(root, self.title, self.subtitle)?;
            f(&body)
        })
    }
}

/// A categorical axis of periods: their labels, which to mark with `*` (thin periods), and
/// what one step is.
#[derive(Clone, Copy)]
pub struct PeriodAxis<'a> {
    /// One label a position.
    pub labels: &'a [String],
    /// Positions whose label gets a `*`; may be shorter than `labels`, or empty.
    pub marked: &'a [bool],
    /// The axis description.
    pub desc: &'a str,
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
fn heading<'a>(
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

/// Rough width in pixels of `s` at `size` px: 0.6 em a character in DejaVu Sans, a whole em
/// for the wide characters of Chinese, Japanese and Korean.
fn text_width(s: &str, size: f64) -> f64 {
    let wide = s.chars().filter(|&c| is_wide(c)).count();
    let narrow = s.chars().count() - wide;
    narrow as f64 * size * 0.6 + wide as f64 * size
}

#[cfg(test)]
pub(crate) mod testing {
    //! Reading back what a chart drew, for tests: its texts and their boxes, and its shapes.

    /// The `<text>` elements of an SVG: (x, y, anchor, text, fill).
    pub(crate) fn svg_texts(svg: &str) -> Vec<(f64, f64, String, String, String)> {
        texts(svg)
            .into_iter()
            .map(|t| (t.x, t.y, t.anchor, t.text, t.fill))
            .collect()
    }

    /// One `<text>` of an SVG.
    #[derive(Debug, Clone)]
    pub(crate) struct SvgText {
        pub x: f64,
        pub y: f64,
        pub anchor: String,
        pub size: f64,
        pub text: String,
        pub fill: String,
        /// Drawn rotated (a y axis description).
        pub rotated: bool,
    }

    impl SvgText {
        /// Its box, estimated from the font size (0.6 em a character): left, top, right,
        /// bottom.
        fn bounds(&self) -> (f64, f64, f64, f64) {
            let w = super::text_width(&self.text, self.size);
            let left = match self.anchor.as_str() {
                "middle" => self.x - w / 2.0,
                "end" => self.x - w,
                _ => self.x,
            };
            (left, self.y - self.size, left + w, self.y + self.size)
        }
    }

    fn attr(tag: &str, name: &str) -> Option<String> {
        let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[from..from + tag[from..].find('"')?].to_string())
    }

    /// Every `<text>` of an SVG, in drawing order.
    pub(crate) fn texts(svg: &str) -> Vec<SvgText> {
        svg.split("<text")
            .skip(1)
            .filter_map(|rest| {
                let (tag, body) = rest.split_once('>')?;
                let text = body.split("</text>").next()?.trim().to_string();
                Some(SvgText {
                    x: attr(tag, "x")?.parse().ok()?,
                    y: attr(tag, "y")?.parse().ok()?,
                    anchor: attr(tag, "text-anchor").unwrap_or_default(),
                    size: attr(tag, "font-size")?.parse().ok()?,
                    text,
                    fill: attr(tag, "fill").unwrap_or_default(),
                    rotated: tag.contains("rotate("),
                })
            })
            .collect()
    }

    /// The text of every `<text>` element.
    pub(crate) fn strings(svg: &str) -> Vec<String> {
        texts(svg).into_iter().map(|t| t.text).collect()
    }

    /// Pairs of non-empty, unrotated texts of one size whose estimated boxes overlap: labels
    /// drawn over each other. The estimate is generous (a full em above and below the
    /// anchor), so texts must also start within half a line of each other to count.
    pub(crate) fn overlapping(svg: &str) -> Vec<(String, String)> {
        let all: Vec<SvgText> = texts(svg)
            .into_iter()
            .filter(|t| !t.rotated && !t.text.is_empty())
            .collect();
        let mut out = Vec::new();
        for (i, a) in all.iter().enumerate() {
            for b in &all[..i] {
                if (a.size - b.size).abs() > 0.01 || (a.y - b.y).abs() >= 0.5 * a.size {
                    continue;
                }
                let (al, _, ar, _) = a.bounds();
                let (bl, _, br, _) = b.bounds();
                if al < br - 1.0 && bl < ar - 1.0 {
                    out.push((a.text.clone(), b.text.clone()));
                }
            }
        }
        out
    }

    /// Rectangles filled with `fill` (`#RRGGBB`).
    pub(crate) fn rects(svg: &str, fill: &str) -> usize {
        svg.split("<rect")
            .skip(1)
            .filter(|r| {
                r.split('>')
                    .next()
                    .is_some_and(|tag| tag.contains(&format!("fill=\"{fill}\"")))
            })
            .count()
    }

    /// The palette colour `i` as SVG writes it.
    pub(crate) fn hex(i: usize) -> String {
        let c = super::color(i);
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }
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
}
