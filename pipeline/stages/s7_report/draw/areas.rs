//! Stacked areas of shares, with each band named on itself where it fits.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use plotters::coord::Shift;

use super::{color, draw_err, period_tick, text_width, Frame, PeriodAxis, Plot, FAMILY};
use crate::error::Result;
use crate::stages::s7_report::text::ellipsize;

/// A stacked area chart of shares (summing to 1 at each x position): one band per series,
/// broken where a position has no data (NaN), a lone position drawn as a bar. Each band wide
/// enough somewhere carries its short name (`band_names`) there, on the chart; the legend below
/// lists the full `names`.
#[derive(Clone, Copy)]
pub struct StackedArea<'a> {
    /// The periods.
    pub x: PeriodAxis<'a>,
    /// The y axis description.
    pub y_desc: &'a str,
    /// Each band's full name, for the legend.
    pub names: &'a [String],
    /// Each band's short name, written on the band where it fits.
    pub band_names: &'a [String],
    /// `[position][band]` shares; NaN where a position has no data.
    pub shares: &'a [Vec<f64>],
}

/// Draws a [`StackedArea`].
pub fn stacked_area(frame: &Frame, spec: &StackedArea) -> Result<String> {
    let StackedArea {
        x:
            PeriodAxis {
                labels: x_labels,
                marked,
                desc: x_desc,
            },
        y_desc,
        names,
        band_names,
        shares,
    } = *spec;
    let n = x_labels.len();
    let k = names.len();
    let per_row = if k > 12 { 3 } else { 1 };
    let legend_rows = k.div_ceil(per_row) as u32;
    frame.draw((1000, 560 + 22 * legend_rows), |body| {
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
        let bounds = cumulative_bounds(shares);
        let runs = filled_runs(&bounds);
        draw_bands(&mut chart, &bounds, &runs, k)?;
        name_bands(&mut chart, &bounds, &runs, band_names)?;
        draw_legend(&legend, names, per_row)
    })
}

/// The cumulative `(low, high)` of each band at each position; `None` for a position without
/// data.
fn cumulative_bounds(shares: &[Vec<f64>]) -> Vec<Option<Vec<(f64, f64)>>> {
    shares
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
        .collect()
}

/// The runs of consecutive positions with data.
fn filled_runs(bounds: &[Option<Vec<(f64, f64)>>]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
    for (p, b) in bounds.iter().enumerate() {
        match b {
            Some(_) => runs.last_mut().expect("one run").push(p),
            None => runs.push(Vec::new()),
        }
    }
    runs
}

/// Each band of each run as a polygon, a run of one position as a bar.
fn draw_bands(
    chart: &mut Plot,
    bounds: &[Option<Vec<(f64, f64)>>],
    runs: &[Vec<usize>],
    k: usize,
) -> Result<()> {
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
    Ok(())
}

/// Names on the bands: each at the widest place of its band (at least 7% tall) where it does
/// not overlap a name already placed; thicker bands are named first.
fn name_bands(
    chart: &mut Plot,
    bounds: &[Option<Vec<(f64, f64)>>],
    runs: &[Vec<usize>],
    band_names: &[String],
) -> Result<()> {
    let k = band_names.len();
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
                        return at_bounds(bounds, start, t);
                    }
                    let x = x.clamp(start as f64, end as f64);
                    let a = (x.floor() as usize).min(end - 1);
                    let f = x - a as f64;
                    let (lo_a, hi_a) = at_bounds(bounds, a, t);
                    let (lo_b, hi_b) = at_bounds(bounds, a + 1, t);
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
    Ok(())
}

/// The legend under the plot: a swatch and the full name of each band, `per_row` a row.
fn draw_legend(
    legend: &DrawingArea<SVGBackend, Shift>,
    names: &[String],
    per_row: usize,
) -> Result<()> {
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
}

/// `(low, high)` of band `t` at filled position `p` of a stacked chart's cumulative bounds.
fn at_bounds(bounds: &[Option<Vec<(f64, f64)>>], p: usize, t: usize) -> (f64, f64) {
    bounds[p].as_ref().expect("a filled position")[t]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::draw::testing::svg_texts;

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
            &Frame {
                title: "Topic prevalence",
                subtitle: "sub",
                desc: "d",
            },
            &StackedArea {
                x: PeriodAxis {
                    labels: &periods,
                    marked: &[false; 6],
                    desc: "year",
                },
                y_desc: "share of the period's passages",
                names: &names,
                band_names: &names,
                shares: &shares,
            },
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
}
