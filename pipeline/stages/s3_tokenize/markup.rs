//! Markup inside a text: HTML or XML tags and character references, which scraped corpora
//! carry as text (`<a href="…">`, `&lt;TXN.N&gt;`, `&amp;`, and AG News's `#39;` and `quot;`,
//! references whose `&` was lost on the way). Their pieces are not words of the text: read as
//! words they become terms such as "lt", "gt", "quot" and "HREF" that lead topic labels. The
//! tokenizer skips the words inside these spans and counts them.

use std::ops::Range;

/// Longest tag read as one: a `<` further from its `>` than this is not taken for a tag.
const MAX_TAG: usize = 512;

/// The byte ranges of `text` that are markup, in order and not overlapping.
pub fn spans(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr3(b'<', b'&', b';', &b[i..]) {
        let at = i + k;
        let found = match b[at] {
            b'<' => tag(b, at, 1, b">"),
            b'&' if b[at..].starts_with(b"&lt;") => {
                tag(b, at, 4, b"&gt;").or_else(|| reference(b, at))
            }
            b'&' => reference(b, at),
            _ => bare_reference(b, at).map(|start| start..at + 1),
        };
        match found {
            // A bare reference is found at its `;`: its start may lie in the span before.
            Some(span)
                if out
                    .last()
                    .is_none_or(|l: &Range<usize>| l.end <= span.start) =>
            {
                i = span.end;
                out.push(span);
            }
            Some(_) => i = at + 1,
            None => i = at + 1,
        }
    }
    out
}

/// A tag opened at `at` (`<` or `&lt;`, `open` bytes long): a letter, or `/` or `!` and a
/// letter, then anything up to `close` within [`MAX_TAG`] bytes without another opening.
fn tag(b: &[u8], at: usize, open: usize, close: &[u8]) -> Option<Range<usize>> {
    let mut j = at + open;
    if matches!(b.get(j), Some(b'/' | b'!')) {
        j += 1;
    }
    if !b.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    let limit = (at + MAX_TAG).min(b.len());
    let mut k = j;
    while k < limit {
        if b[k..].starts_with(close) {
            return Some(at..k + close.len());
        }
        if b[k] == b'<' || b[k] == b'\n' || b[k..].starts_with(b"&lt;") {
            return None;
        }
        k += 1;
    }
    None
}

/// A character reference at `at`: `&name;`, `&#digits;` or `&#xhex;`.
fn reference(b: &[u8], at: usize) -> Option<Range<usize>> {
    let body = &b[at + 1..];
    let len = if body.first() == Some(&b'#') {
        let hex = matches!(body.get(1), Some(b'x' | b'X'));
        let digits = body[1 + hex as usize..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        (digits > 0).then_some(1 + hex as usize + digits)?
    } else {
        let letters = body
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        (2..=10).contains(&letters).then_some(letters)?
    };
    (body.get(len) == Some(&b';')).then(|| at..at + 1 + len + 1)
}

/// References most often met without their `&`.
const BARE_NAMES: [&[u8]; 6] = [b"quot", b"amp", b"lt", b"gt", b"nbsp", b"apos"];

/// The start of a reference that lost its `&`, ending at the `;` at `semi`: `#39;` (two to
/// four digits) or one of [`BARE_NAMES`], not preceded by a letter or digit. Neither is ever
/// a word of prose.
fn bare_reference(b: &[u8], semi: usize) -> Option<usize> {
    let before = &b[..semi];
    let digits = before
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let start = if (2..=4).contains(&digits) && semi > digits && before[semi - digits - 1] == b'#' {
        semi - digits - 1
    } else {
        let name = BARE_NAMES
            .iter()
            .find(|n| before.ends_with(n) && before.len() >= n.len())?;
        semi - name.len()
    };
    let clear = start == 0 || !b[start - 1].is_ascii_alphanumeric() && b[start - 1] != b'&';
    clear.then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> Vec<&str> {
        spans(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn tags_escaped_or_not() {
        assert_eq!(
            marked("Texas Instruments Inc. &lt;TXN.N&gt;, and <a href=\"x?y=1\">Dell</a> <br/>"),
            ["&lt;TXN.N&gt;", "<a href=\"x?y=1\">", "</a>", "<br/>"]
        );
        // An escaped link with its attributes, as AG News has them.
        assert_eq!(
            marked("&lt;A HREF=\"http://www.investor.reuters.com/FullQuote.aspx?ticker=MSFT.O target=/stocks/quickinfo/fullquote\"&gt;MSFT.O&lt;/A&gt;"),
            [
                "&lt;A HREF=\"http://www.investor.reuters.com/FullQuote.aspx?ticker=MSFT.O target=/stocks/quickinfo/fullquote\"&gt;",
                "&lt;/A&gt;"
            ]
        );
    }

    #[test]
    fn references_with_and_without_their_ampersand() {
        assert_eq!(
            marked("AT&amp;T &#8217; &#x2019; Microsoft #39;s chief said quot;yes quot; #1 a;b"),
            ["&amp;", "&#8217;", "&#x2019;", "#39;", "quot;", "quot;"]
        );
    }

    #[test]
    fn comparisons_and_prose_are_not_markup() {
        for text in [
            "if a < b and c > d",
            "x <3 y",
            "rates fell; prices rose; the gt; ratio",
            "AT&T and R&D; fish & chips",
            "item #1; item #2",
            "a <b\nc> d",
        ] {
            // "gt;" after a space would be a lost reference; "the gt; ratio" is written so.
            let found = marked(text);
            assert!(found.iter().all(|m| *m == "gt;"), "{text:?}: {found:?}");
        }
    }
}
