//! Words of a text, by Unicode word boundaries (UAX #29), with what separates them.
//!
//! [`scan_words`] gives the same words as `unicode-segmentation`'s `split_word_bound_indices`
//! (the property tests below hold it to that), but reads runs of ASCII text itself: the
//! UAX #29 rules restricted to ASCII are a handful of byte tests, and most text in real
//! corpora is ASCII with a few curly quotes and accented letters. Around each non-ASCII
//! character, the text from the last safe cut before it to the first safe cut after it goes
//! through `unicode-segmentation`.
//!
//! A safe cut is an ASCII space with an ASCII character other than a space on each side: no
//! UAX #29 rule joins across it and none looks through it (WB3d joins spaces only to spaces,
//! WB4 attaches only Extend/Format/ZWJ characters to what precedes them, and WB6–WB12 need a
//! letter or digit next to the middle character), so both sides of the space are boundaries
//! whatever surrounds them.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Calls `on_word(byte_offset, word, break_before)` for each word of `text` and returns the
/// number of words. A word is a UAX #29 segment with a letter or digit in it. `break_before`
/// is true when punctuation other than hyphens, apostrophes and slashes, or a blank line,
/// stands between this word and the previous one.
pub fn scan_words<'t>(text: &'t str, on_word: impl FnMut(usize, &'t str, bool)) -> u32 {
    let mut scanner = Scanner::new(on_word);
    scanner.scan(text, 0, text.len());
    scanner.words
}

/// [`scan_words`], except that each maximal run of characters for which `in_run` holds is cut
/// into words by `split` (byte ranges of the run, in order): text written without spaces
/// between words. No break stands between the words of a run.
pub fn scan_words_split<'t>(
    text: &'t str,
    in_run: impl Fn(char) -> bool,
    mut split: impl FnMut(&'t str, &mut Vec<Range<usize>>),
    on_word: impl FnMut(usize, &'t str, bool),
) -> u32 {
    let mut scanner = Scanner::new(on_word);
    let mut cuts = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some((a, _)) = text[pos..].char_indices().find(|&(_, c)| in_run(c)) else {
            break;
        };
        let a = pos + a;
        let b = text[a..]
            .char_indices()
            .find(|&(_, c)| !in_run(c))
            .map_or(text.len(), |(i, _)| a + i);
        scanner.scan(text, pos, a);
        cuts.clear();
        split(&text[a..b], &mut cuts);
        for r in &cuts {
            scanner.word(a + r.start, &text[a + r.start..a + r.end]);
        }
        pos = b;
    }
    scanner.scan(text, pos, text.len());
    scanner.words
}

/// The same as [`scan_words`], by `unicode-segmentation` alone: the oracle of the tests and
/// benchmarks.
pub fn scan_words_uax29<'t>(text: &'t str, on_word: impl FnMut(usize, &'t str, bool)) -> u32 {
    let mut scanner = Scanner::new(on_word);
    scanner.unicode(text, 0, text.len());
    scanner.words
}

/// `bytes[i]` is a space between two ASCII characters that are not spaces.
fn is_safe_cut(bytes: &[u8], i: usize) -> bool {
    let ascii_solid = |b: u8| b < 0x80 && b != b' ';
    bytes[i] == b' '
        && i > 0
        && i + 1 < bytes.len()
        && ascii_solid(bytes[i - 1])
        && ascii_solid(bytes[i + 1])
}

struct Scanner<F> {
    on_word: F,
    /// A break since the last word.
    brk: bool,
    /// Line feeds since the last word: two make a blank line.
    newlines: usize,
    words: u32,
}

impl<'t, F: FnMut(usize, &'t str, bool)> Scanner<F> {
    fn new(on_word: F) -> Self {
        Scanner {
            on_word,
            brk: false,
            newlines: 0,
            words: 0,
        }
    }

    /// `text[from..to]`: runs of ASCII by the ASCII rules, and around each non-ASCII character
    /// the text between the safe cuts either side of it by `unicode-segmentation`.
    fn scan(&mut self, text: &'t str, from: usize, to: usize) {
        let bytes = &text.as_bytes()[..to];
        let mut pos = from;
        while pos < to {
            let Some(k) = first_non_ascii(&bytes[pos..]) else {
                self.ascii(text, pos, to);
                break;
            };
            let non_ascii = pos + k;
            let start = (pos..non_ascii)
                .rev()
                .find(|&s| is_safe_cut(bytes, s))
                .map_or(pos, |s| s + 1);
            let end = (non_ascii + 1..to)
                .find(|&e| is_safe_cut(bytes, e))
                .unwrap_or(to);
            self.ascii(text, pos, start);
            self.unicode(text, start, end);
            pos = end;
        }
    }

    /// Reports a word, without the underscores of emphasis around it (`_word_`, `_The`):
    /// UAX #29 joins an underscore to the letters beside it, but marked-up text uses it as
    /// italics.
    fn word(&mut self, off: usize, word: &'t str) {
        let (off, word) = match word.as_bytes() {
            [b'_', ..] | [.., b'_'] => {
                let trimmed = word.trim_start_matches('_');
                (
                    off + (word.len() - trimmed.len()),
                    trimmed.trim_end_matches('_'),
                )
            }
            _ => (off, word),
        };
        (self.on_word)(off, word, self.brk);
        self.brk = false;
        self.newlines = 0;
        self.words += 1;
    }

    /// `text[start..end]`, by `unicode-segmentation`.
    fn unicode(&mut self, text: &'t str, start: usize, end: usize) {
        for (off, seg) in text[start..end].split_word_bound_indices() {
            if seg.chars().any(char::is_alphanumeric) {
                self.word(start + off, seg);
            } else if seg.chars().all(char::is_whitespace) {
                self.newlines += seg.bytes().filter(|&b| b == b'\n').count();
                self.brk |= self.newlines >= 2;
            } else if seg.chars().any(|c| !is_joiner(c) && !c.is_whitespace()) {
                self.brk = true;
            }
        }
    }

    /// `text[start..end]`, all ASCII, by the UAX #29 rules for ASCII.
    fn ascii(&mut self, text: &'t str, start: usize, end: usize) {
        let s = &text.as_bytes()[..end];
        let mut i = start;
        while i < end {
            let b = s[i];
            let class = ASCII[b as usize];
            if class & WORD != 0 {
                let mut j = i + 1;
                loop {
                    j += s[j..]
                        .iter()
                        .position(|&c| ASCII[c as usize] & WORD == 0)
                        .unwrap_or(end - j);
                    if j + 1 < end && joins(s[j - 1], s[j], s[j + 1]) {
                        j += 2;
                    } else {
                        break;
                    }
                }
                if b != b'_' || s[i..j].iter().any(u8::is_ascii_alphanumeric) {
                    self.word(i, &text[i..j]);
                } else {
                    self.brk = true; // a run of underscores
                }
                i = j;
                continue;
            }
            if b == b'\n' {
                self.newlines += 1;
                self.brk |= self.newlines >= 2;
            } else {
                self.brk |= class & QUIET == 0;
            }
            i += 1;
        }
    }
}

/// Where the first byte that is not ASCII stands, looked for a block of bytes at a time.
pub(crate) fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let (n, block) = bytes
        .chunks(BLOCK)
        .enumerate()
        .find(|(_, block)| !block.is_ascii())?;
    block.iter().position(|&b| b >= 0x80).map(|k| n * BLOCK + k)
}

/// [`ASCII`] class: letters, digits and the underscore, which WB5, WB8–WB10 and WB13a/b join
/// into one run.
const WORD: u8 = 1;
/// [`ASCII`] class: spaces, hyphens, apostrophes and slashes, which stand between words without
/// breaking a phrase (a line feed is counted apart).
const QUIET: u8 = 2;

/// The class of each ASCII byte (and of none above it) for [`Scanner::ascii`].
static ASCII: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            table[b] = WORD;
        }
        if matches!(c, b' ' | b'\t' | b'\r' | 0x0b | 0x0c | b'-' | b'\'' | b'/') {
            table[b] = QUIET;
        }
        b += 1;
    }
    table
};

/// WB6/WB7 (a letter, `:` `.` or `'`, a letter) and WB11/WB12 (a digit, `,` `;` `.` or `'`,
/// a digit): the middle character belongs to the word.
fn joins(before: u8, mid: u8, after: u8) -> bool {
    (before.is_ascii_alphabetic()
        && after.is_ascii_alphabetic()
        && matches!(mid, b':' | b'.' | b'\''))
        || (before.is_ascii_digit()
            && after.is_ascii_digit()
            && matches!(mid, b',' | b';' | b'.' | b'\''))
}

/// Characters that join words rather than separate terms: hyphens, apostrophes and slashes.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '\'' | '’' | '/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<(usize, String, bool)> {
        let mut out = Vec::new();
        scan_words(text, |o, w, b| out.push((o, w.to_string(), b)));
        out
    }

    fn oracle(text: &str) -> Vec<(usize, String, bool)> {
        let mut out = Vec::new();
        scan_words_uax29(text, |o, w, b| out.push((o, w.to_string(), b)));
        out
    }

    #[test]
    fn ascii_rules() {
        let w: Vec<String> = words("U.S. e.g. don't 1,000.5 a:b x_1 __ state-owned 3.a")
            .into_iter()
            .map(|(_, w, _)| w)
            .collect();
        assert_eq!(
            w,
            ["U.S", "e.g", "don't", "1,000.5", "a:b", "x_1", "state", "owned", "3", "a"]
        );
    }

    #[test]
    fn emphasis_underscores_are_not_part_of_words() {
        let w: Vec<(usize, String)> = words("_The_ _A_ story x_1 __init__")
            .into_iter()
            .map(|(o, w, _)| (o, w))
            .collect();
        assert_eq!(
            w,
            [
                (1, "The".to_string()),
                (7, "A".to_string()),
                (10, "story".to_string()),
                (16, "x_1".to_string()),
                (22, "init".to_string())
            ]
        );
    }

    #[test]
    fn breaks_and_blank_lines() {
        let b: Vec<bool> = words("a b, c\nd\n\ne - f “g” h")
            .into_iter()
            .map(|(_, _, b)| b)
            .collect();
        assert_eq!(b, [false, false, true, false, true, false, true, true]);
    }

    /// Text drawn mostly from the characters the ASCII rules treat specially, with a few
    /// non-ASCII ones that UAX #29 treats differently (letters, a right quote that joins
    /// letters, a format character that attaches to what precedes it, a wide space).
    fn tricky() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                6 => proptest::sample::select(vec![
                    'a', 'B', 'z', '0', '7', '_', '.', ',', ';', ':', '\'', '"', '-', '/', ' ',
                    ' ', '\n', '\r', '\t', '(', '!', '\u{0b}', '\u{1c}',
                ]),
                1 => proptest::sample::select(vec![
                    'é', '’', '\u{feff}', '\u{2003}', '\u{200d}', '—', '“', '日', '\u{301}',
                    '\u{1f1e6}',
                ]),
            ],
            0..80,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The fast path finds exactly what `unicode-segmentation` finds.
        #[test]
        fn same_words_as_uax29(text in tricky()) {
            prop_assert_eq!(words(&text), oracle(&text));
        }

        #[test]
        fn same_words_as_uax29_on_any_text(text in "\\PC{0,120}") {
            prop_assert_eq!(words(&text), oracle(&text));
        }

        /// Word offsets always point at the word they name, on char boundaries, in order.
        #[test]
        fn offsets_point_at_their_words(text in "\\PC{0,200}") {
            let mut last = 0;
            scan_words(&text, |off, w, _| {
                assert!(text.is_char_boundary(off) && text.is_char_boundary(off + w.len()));
                assert_eq!(&text[off..off + w.len()], w);
                assert!(off >= last);
                last = off + w.len();
            });
        }
    }
}
