//! Text the bundled DejaVu Sans cannot draw (Chinese, Japanese, Korean), drawn as outlines.
//!
//! A chart's SVG names its fonts, and the viewer draws the text with whatever fonts its machine
//! has: on a machine without a CJK font, Chinese labels are boxes. So a `<text>` with a
//! character DejaVu lacks is drawn as a path, glyph by glyph, from the bundled fonts (DejaVu for
//! what it has, a subset of Noto Sans CJK SC for the rest), and the `<text>` stays, invisible,
//! for screen readers, search and copying.

use std::fmt::Write;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve, Point};

use super::REGULAR;

/// Noto Sans CJK SC Regular, subset (see `assets/fonts/LICENSE-NotoSansCJK.txt`).
const CJK: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Regular-subset.otf");

struct Fonts {
    latin: FontRef<'static>,
    cjk: FontRef<'static>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        // The bundled fonts are valid OpenType files; a failure here is a build defect.
        latin: FontRef::try_from_slice(REGULAR).expect("bundled DejaVu Sans"),
        cjk: FontRef::try_from_slice(CJK).expect("bundled Noto Sans CJK subset"),
    })
}

/// Whether DejaVu Sans has a glyph for every character of `text` (spaces aside).
pub fn latin_draws(text: &str) -> bool {
    let latin = &fonts().latin;
    text.chars()
        .all(|c| c.is_whitespace() || latin.glyph_id(c) != GlyphId(0))
}

/// The font that draws `c`: DejaVu Sans when it has the glyph, else the CJK font (whose
/// `.notdef` box marks a character neither has).
fn font_of(c: char) -> (&'static FontRef<'static>, GlyphId) {
    let f = fonts();
    match f.latin.glyph_id(c) {
        GlyphId(0) => (&f.cjk, f.cjk.glyph_id(c)),
        g => (&f.latin, g),
    }
}

/// Width in pixels of `text` at `size` px, glyph by glyph.
pub fn width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            let (font, g) = font_of(c);
            font.h_advance_unscaled(g) as f64 * size / font.units_per_em().unwrap_or(1000.0) as f64
        })
        .sum()
}

/// Rewrites every `<text>` of `svg` that DejaVu cannot draw: the same text, invisible, and
/// after it a path of its glyphs with the text's fill, opacity and rotation.
pub fn outline_texts(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("<text") {
        out.push_str(&rest[..at]);
        let Some(len) = rest[at..].find("</text>").map(|e| e + "</text>".len()) else {
            break;
        };
        let element = &rest[at..at + len];
        rest = &rest[at + len..];
        match Text::parse(element).filter(|t| !latin_draws(&t.text)) {
            Some(text) => {
                out.push_str(&set_attr(element, "opacity", "0"));
                out.push('\n');
                out.push_str(&text.path());
            }
            None => out.push_str(element),
        }
    }
    out.push_str(rest);
    out
}

/// What a `<text>` element says and where: plotters writes x, y, dy, text-anchor, font-size,
/// fill, opacity, and for some a font-weight and a rotation.
struct Text {
    x: f64,
    y: f64,
    dy_em: f64,
    anchor: String,
    size: f64,
    fill: String,
    opacity: String,
    bold: bool,
    transform: Option<String>,
    text: String,
}

impl Text {
    fn parse(element: &str) -> Option<Text> {
        let (tag, body) = element.split_once('>')?;
        let body = body.strip_suffix("</text>")?.trim();
        let size: f64 = attr(tag, "font-size")?.parse().ok()?;
        let dy = attr(tag, "dy").unwrap_or_default();
        // plotters' vertical anchors: 0.76em (top), 0.5ex (centre), -0.5ex (bottom); an ex
        // is DejaVu's x-height, 0.55 em.
        let dy_em = if let Some(em) = dy.strip_suffix("em") {
            em.parse().ok()?
        } else if let Some(ex) = dy.strip_suffix("ex") {
            ex.parse::<f64>().ok()? * 0.55
        } else {
            0.0
        };
        Some(Text {
            x: attr(tag, "x")?.parse().ok()?,
            y: attr(tag, "y")?.parse().ok()?,
            dy_em,
            anchor: attr(tag, "text-anchor").unwrap_or_default(),
            size,
            fill: attr(tag, "fill").unwrap_or_else(|| "#000000".into()),
            opacity: attr(tag, "opacity").unwrap_or_else(|| "1".into()),
            bold: attr(tag, "font-weight").is_some_and(|w| w == "bold"),
            transform: attr(tag, "transform"),
            text: unescape(body),
        })
    }

    /// The glyphs as one path.
    fn path(&self) -> String {
        let w = width(&self.text, self.size);
        let mut x = match self.anchor.as_str() {
            "middle" => self.x - w / 2.0,
            "end" => self.x - w,
            _ => self.x,
        };
        let baseline = self.y + self.dy_em * self.size;
        let mut d = String::new();
        for c in self.text.chars() {
            let (font, g) = font_of(c);
            let scale = self.size / font.units_per_em().unwrap_or(1000.0) as f64;
            if let Some(outline) = font.outline(g) {
                let at = |p: Point| (x + p.x as f64 * scale, baseline - p.y as f64 * scale);
                let mut pen: Option<Point> = None;
                for curve in &outline.curves {
                    let (start, end) = match *curve {
                        OutlineCurve::Line(a, b) => (a, b),
                        OutlineCurve::Quad(a, _, b) => (a, b),
                        OutlineCurve::Cubic(a, _, _, b) => (a, b),
                    };
                    if pen != Some(start) {
                        if pen.is_some() {
                            d.push('Z');
                        }
                        let (px, py) = at(start);
                        let _ = write!(d, "M{px:.1} {py:.1}");
                    }
                    match *curve {
                        OutlineCurve::Line(_, b) => {
                            let (bx, by) = at(b);
                            let _ = write!(d, "L{bx:.1} {by:.1}");
                        }
                        OutlineCurve::Quad(_, c1, b) => {
                            let ((cx, cy), (bx, by)) = (at(c1), at(b));
                            let _ = write!(d, "Q{cx:.1} {cy:.1} {bx:.1} {by:.1}");
                        }
                        OutlineCurve::Cubic(_, c1, c2, b) => {
                            let ((ax, ay), (cx, cy), (bx, by)) = (at(c1), at(c2), at(b));
                            let _ = write!(d, "C{ax:.1} {ay:.1} {cx:.1} {cy:.1} {bx:.1} {by:.1}");
                        }
                    }
                    pen = Some(end);
                }
                if pen.is_some() {
                    d.push('Z');
                }
            }
            x += font.h_advance_unscaled(g) as f64 * scale;
        }
        let mut path = format!(
            "<path d=\"{d}\" fill=\"{}\" opacity=\"{}\"",
            self.fill, self.opacity
        );
        if self.bold {
            let _ = write!(
                path,
                " stroke=\"{}\" stroke-width=\"{:.2}\"",
                self.fill,
                self.size * 0.04
            );
        }
        if let Some(t) = &self.transform {
            let _ = write!(path, " transform=\"{t}\"");
        }
        path.push_str("/>");
        path
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[from..from + tag[from..].find('"')?].to_string())
}

/// Replaces (or adds) an attribute of an element's opening tag.
fn set_attr(element: &str, name: &str, value: &str) -> String {
    let key = format!(" {name}=\"");
    match element.find(&key) {
        Some(from) => {
            let start = from + key.len();
            let end = start + element[start..].find('"').unwrap_or(0);
            format!("{}{value}{}", &element[..start], &element[end..])
        }
        None => element.replacen("<text", &format!("<text{key}{value}\""), 1),
    }
}

/// The text of an SVG text node, as plotters escapes it.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character of Chinese labels, Simplified and Traditional, with full-width
    /// punctuation and Latin mixed in, has a glyph in one of the bundled fonts: none is drawn
    /// as the `.notdef` box.
    #[test]
    fn chinese_labels_have_no_missing_glyphs() {
        let labels = "中国特色社会主义 阶级斗争 改革开放 国家安全 网络安全法 数据安全 新质生产力 \
                      臺灣的資訊安全與網路安全 「引号」《书名》（括号），。；：！？ 5G APP 2035年 ＡＢＣ１２３";
        for c in labels.chars().filter(|c| !c.is_whitespace()) {
            let (font, g) = font_of(c);
            assert_ne!(g, GlyphId(0), "no glyph for {c:?}");
            let inked = font.outline(g).is_some_and(|o| !o.curves.is_empty());
            assert!(inked, "an empty glyph for {c:?}");
        }
    }

    #[test]
    fn latin_text_is_left_as_text() {
        let svg = "<svg><text x=\"10\" y=\"20\" dy=\"0.5ex\" text-anchor=\"start\" font-family=\"DejaVu Sans\" font-size=\"12\" opacity=\"1\" fill=\"#000000\">data security\n</text></svg>";
        assert_eq!(outline_texts(svg), svg);
    }

    #[test]
    fn chinese_text_is_drawn_as_outlines_and_kept_invisible() {
        let svg = "<svg><text x=\"10\" y=\"20\" dy=\"0.5ex\" text-anchor=\"middle\" font-family=\"DejaVu Sans\" font-size=\"12\" opacity=\"1\" fill=\"#0072B2\" transform=\"rotate(270, 10, 20)\">安全 5G\n</text></svg>";
        let out = outline_texts(svg);
        assert!(out.contains("opacity=\"0\" fill=\"#0072B2\""), "{out}");
        assert!(out.contains(">安全 5G\n</text>"));
        let path = &out[out.find("<path").unwrap()..];
        assert!(path.contains("fill=\"#0072B2\" opacity=\"1\""));
        assert!(path.contains("transform=\"rotate(270, 10, 20)\""));
        // Two ideographs of one em and "5G" of DejaVu: centred on x = 10.
        let w = width("安全 5G", 12.0);
        assert!((w - (24.0 + width(" 5G", 12.0))).abs() < 0.5, "{w}");
    }
}
