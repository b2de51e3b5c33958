//! Signatures, bylines and sign-offs: the lines of a document's closing block ([`block`]) that
//! close many documents, far more than chance repetition of a line of their words would give
//! ([`Closings::signature`]). They are found where they stand, not by who wrote them, so no
//! `source` column is needed.

use std::collections::HashSet;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::clean::{words, Line, SHORT_LINE};
use super::counts::{line_key, sorted, LineKey};

/// Most lines of a document's closing block ([`block`]): the four lines netiquette allows a
/// signature (the "McQuary limit").
const CLOSING_LINES: usize = 4;

/// Most words of a closing line: a name and an address, a byline ("Reporting by Jane Doe;
/// Editing by John Smith"), a sign-off. A line of prose hard-wrapped at 60 to 80 characters
/// holds more, so a wrapped paragraph stops the block, and only its last line can reach it.
const CLOSING_WORDS: usize = 8;

/// The lines of `ls` (a document's) that close it below its body, where signatures, bylines
/// and sign-offs sit: the last [`CLOSING_LINES`] lines of at most [`CLOSING_WORDS`] words and
/// 120 bytes, without the end of a sentence wrapped from the body ("development." under "…we
/// call for sustainable"). Lines that hold no letter or digit (a `--` separator) may sit among
/// them and are not counted. Empty when no line of the body is above them: a post of a few
/// short lines has no closing block, only a body.
pub(super) fn block(ls: &[Line]) -> Range<usize> {
    let mut start = ls.len();
    let mut counted = 0;
    while start > 0 {
        let l = &ls[start - 1];
        if l.norm.is_empty() && l.text.len() <= SHORT_LINE {
            start -= 1;
            continue;
        }
        if counted == CLOSING_LINES || l.text.len() > 120 || words(l.text) > CLOSING_WORDS {
            break;
        }
        counted += 1;
        start -= 1;
    }
    while start > 0 && start < ls.len() && ls[start].follows {
        start += 1;
    }
    if start == 0 {
        return ls.len()..ls.len();
    }
    start..ls.len()
}

/// The keys of the words of a normalised closing line.
fn words_of(norm: &str) -> impl Iterator<Item = u64> + '_ {
    norm.split(' ')
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
}

/// What one document adds to the [`Closings`] counts: its closing lines, each once, and their
/// words.
#[derive(Default)]
pub(super) struct DocClosings {
    /// The lines' keys.
    pub(super) lines: Vec<LineKey>,
    /// Their words' keys, and each line's number of words.
    words: Vec<u64>,
    lengths: Vec<usize>,
}

impl DocClosings {
    /// The closing lines of the document of lines `ls`: their keys when `lines`, their words
    /// when `words`.
    pub(super) fn of(ls: &[Line], lines: bool, words: bool) -> DocClosings {
        let mut doc = DocClosings::default();
        if !(lines || words) {
            return doc;
        }
        let mut norms: Vec<&str> = ls[block(ls)]
            .iter()
            .map(|l| l.norm.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        norms.sort_unstable();
        norms.dedup();
        if lines {
            doc.lines = norms.iter().map(|n| line_key(n)).collect();
        }
        if words {
            for n in &norms {
                let before = doc.words.len();
                doc.words.extend(words_of(n));
                doc.lengths.push(doc.words.len() - before);
            }
        }
        doc
    }
}

/// Across documents: how many each closing line closes, how often each word comes in closing
/// lines, and how many closing lines have each number of words (`lengths[n]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closings {
    #[serde(serialize_with = "sorted")]
    lines: FxHashMap<LineKey, usize>,
    #[serde(serialize_with = "sorted")]
    words: FxHashMap<u64, usize>,
    lengths: Vec<usize>,
}

impl Default for Closings {
    fn default() -> Closings {
        Closings {
            lines: FxHashMap::default(),
            words: FxHashMap::default(),
            lengths: vec![0; CLOSING_WORDS + 1],
        }
    }
}

impl Closings {
    /// Adds one document's closing lines.
    pub(super) fn add(&mut self, doc: DocClosings) {
        for key in doc.lines {
            *self.lines.entry(key).or_default() += 1;
        }
        for word in doc.words {
            *self.words.entry(word).or_default() += 1;
        }
        for n in doc.lengths {
            self.lengths[n.min(CLOSING_WORDS)] += 1;
        }
    }

    /// Adds another part of the corpus' counts.
    pub(super) fn merge(&mut self, other: Closings) {
        for (key, n) in other.lines {
            *self.lines.entry(key).or_default() += n;
        }
        for (word, n) in other.words {
            *self.words.entry(word).or_default() += n;
        }
        for (n, lines) in other.lengths.into_iter().enumerate() {
            if let Some(mine) = self.lengths.get_mut(n) {
                *mine += lines;
            }
        }
    }

    /// The words and lines' words, as [`Closings::add`] counted them in `other`, kept with
    /// these lines (the first of two passes counts words, the second the lines that may
    /// decide).
    pub(super) fn take_words(&mut self, other: Closings) {
        (self.words, self.lengths) = (other.words, other.lengths);
    }

    /// Only the counts that can decide: a line closing fewer than `least` documents is never a
    /// signature, and each word of one that is comes at least as often as it does.
    pub(super) fn decisive(&mut self, least: usize) {
        self.lines.retain(|_, n| *n >= least);
        self.words.retain(|_, n| *n >= least);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Whether the closing line `norm` is a signature, a byline or a sign-off: it closes at
    /// least `least` documents, and far more than chance repetition of a line of its words
    /// would give. Chance draws a closing line's words one by one, each as often as it comes
    /// in the corpus' closing lines: among the `m` closing lines of `n` words, a line of words
    /// of shares p₁…pₙ is expected λ = m·p₁⋯pₙ times. The line is a signature when the Chernoff
    /// bound on the Poisson chance of seeing it as often, e^(−λ)(eλ/c)^c for c documents, is
    /// below one in a million. A two-word name closing three posts is; "Thanks", in a corpus
    /// where most posts close with it, is not (it is then a shared line).
    fn signature(&self, norm: &str, least: usize) -> bool {
        let Some(&c) = self.lines.get(&line_key(norm)) else {
            return false;
        };
        if c < least {
            return false;
        }
        let total: usize = self.lengths.iter().enumerate().map(|(n, &m)| n * m).sum();
        let mut n = 0;
        let mut ln_lambda = 0.0;
        for word in words_of(norm) {
            n += 1;
            let count = self.words.get(&word).copied().unwrap_or(c);
            ln_lambda += (count as f64 / total.max(1) as f64).ln();
        }
        ln_lambda += (self.lengths[n.min(CLOSING_WORDS)].max(1) as f64).ln();
        let (c, lambda) = (c as f64, ln_lambda.exp());
        if lambda >= c {
            return false;
        }
        -lambda + c * (1.0 + ln_lambda - c.ln()) < (1e-6f64).ln()
    }

    /// The closing lines of the document of lines `ls` that are signatures, but for those
    /// starting at a byte of `taken` (another rule removed them).
    pub(super) fn removed(
        &self,
        ls: &[Line],
        taken: &HashSet<usize>,
        least: usize,
    ) -> Vec<Range<usize>> {
        if self.is_empty() {
            return Vec::new();
        }
        ls[block(ls)]
            .iter()
            .filter(|l| !l.norm.is_empty() && !taken.contains(&l.range.start))
            .filter(|l| self.signature(&l.norm, least))
            .map(|l| l.range.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::clean::lines;
    use super::*;

    #[test]
    fn a_closing_block_is_the_short_lines_below_the_body() {
        let closing = |text: &str| -> Vec<String> {
            let ls = lines(text);
            ls[block(&ls)].iter().map(|l| l.text.to_string()).collect()
        };
        // A signature under its separator, below the post's body.
        assert_eq!(
            closing(
                "The body of the post, long enough to be prose.\n\n--\nKeith\nnewton.apple.com"
            ),
            ["--", "Keith", "newton.apple.com"]
        );
        // At most four lines count; a line of more than eight words is the body.
        assert_eq!(
            closing("Body.\n\nOne.\nTwo.\nThree.\nFour.\nFive."),
            ["Two.", "Three.", "Four.", "Five."]
        );
        assert_eq!(
            closing("Body.\n\nA line of nine words that reads as prose does.\nJane Doe"),
            ["Jane Doe"]
        );
        // The end of a sentence wrapped from the body above is not a closing line.
        assert_eq!(
            closing("Dealers said funds were trading at 6 pct when the Fed\nbegan its supply of reserves to\nthe banking system.\nReuter"),
            ["Reuter"]
        );
        // A post of a few short lines is all body.
        assert!(closing("Thanks\nJane Doe").is_empty());
    }
}
