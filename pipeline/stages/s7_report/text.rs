//! Text as the report writes it, on the page and in the charts: escaping, shortening, plurals,
//! numbers and period marks.

use std::path::Path;

use crate::artifacts::PeriodStats;

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Shortens `s` to at most `max` characters, marking the cut with `…`.
pub fn ellipsize(s: &str, max: usize) -> String {
    // A wide character (Chinese, Japanese, Korean) takes the room of two narrow ones.
    let room = |c: char| if is_wide(c) { 2 } else { 1 };
    if s.chars().map(room).sum::<usize>() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + room(c) > max.saturating_sub(1) {
            break;
        }
        used += room(c);
        out.push(c);
    }
    out.push('…');
    out
}

/// A character East Asian text sets one em wide: ideographs, kana, Hangul, CJK punctuation
/// and full-width forms.
pub fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// `s` on one line (runs of white space as one space), shortened to `max` characters.
pub fn excerpt(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    ellipsize(&flat, max)
}

/// "1 document", "2 documents".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A positive number with two or three significant digits: 0.042, 3.1, 27, 1400.
pub fn significant(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else if v > 0.0 {
        let digits = (-v.log10().floor()) as usize + 1;
        format!("{v:.digits$}")
    } else {
        "0".into()
    }
}

/// A period's label, with `*` when it rests on few documents ("2016*").
pub fn marked_period(p: &PeriodStats) -> String {
    format!("{}{}", p.period, if p.thin { "*" } else { "" })
}

/// A corpus' short name: its file or directory name.
pub fn corpus_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>a&\"b'</script>"),
            "&lt;script&gt;a&amp;&quot;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn shortens_plurals_and_significant_digits() {
        assert_eq!(ellipsize("abcdef", 4), "abc…");
        assert_eq!(ellipsize("abc", 4), "abc");
        assert_eq!(excerpt("a\n\n  b   c", 10), "a b c");
        assert_eq!(plural(1, "document"), "1 document");
        assert_eq!(plural(2, "document"), "2 documents");
        assert_eq!(significant(0.0423), "0.042");
        assert_eq!(significant(3.09), "3.1");
        assert_eq!(significant(1400.2), "1400");
        assert_eq!(significant(0.0), "0");
    }
}
