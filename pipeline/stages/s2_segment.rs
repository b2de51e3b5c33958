//! Stage 2, segment: splits each document into passages (paragraphs) with byte ranges.
//!
//! A paragraph ends at a blank line. In a document without blank lines (one paragraph per
//! line, as many corpora store speeches), every line is a paragraph. A line that starts with a
//! list marker (`•`, `-`, `*`, `1.`) starts a paragraph of its own. Paragraphs shorter than
//! `min_passage_chars` (headings, date lines, captions) are merged into the paragraph after
//! them, or into the one before at the end of a document. Empty paragraphs are dropped; no text
//! is dropped: every non-blank byte of a document lies in exactly one passage.

use rayon::prelude::*;

use crate::artifacts::{Corpus, Passage, Passages};
use crate::config::SegmentConfig;

/// Segments every document, in parallel; passages come out in document order.
pub fn segment(corpus: &Corpus, cfg: &SegmentConfig) -> Passages {
    let per_doc: Vec<Vec<Passage>> = corpus
        .documents
        .par_iter()
        .enumerate()
        .map(|(d, doc)| {
            paragraphs(&doc.text, cfg.min_passage_chars)
                .into_iter()
                .enumerate()
                .map(|(i, range)| Passage {
                    doc: d as u32,
                    index: i as u32,
                    range,
                })
                .collect()
        })
        .collect();
    Passages {
        passages: per_doc.into_iter().flatten().collect(),
    }
}

/// The byte ranges of a text's passages, trimmed of surrounding white space.
pub fn paragraphs(text: &str, min_chars: usize) -> Vec<std::ops::Range<usize>> {
    let has_blank_lines = lines(text).any(|(_, l)| l.trim().is_empty());
    let mut raw: Vec<std::ops::Range<usize>> = Vec::new();
    let mut current: Option<std::ops::Range<usize>> = None;
    for (start, line) in lines(text) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            raw.extend(current.take());
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let range = start + lead..start + lead + trimmed.len();
        let starts_new = !has_blank_lines || is_list_item(trimmed);
        match current.as_mut() {
            Some(cur) if !starts_new => cur.end = range.end,
            _ => {
                raw.extend(current.take());
                current = Some(range);
            }
        }
    }
    raw.extend(current);

    // Merge short fragments forward; a short tail goes back into the passage before it.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(raw.len());
    let mut pending: Option<std::ops::Range<usize>> = None;
    for r in raw {
        let r = match pending.take() {
            Some(p) => p.start..r.end,
            None => r,
        };
        if text[r.clone()].chars().count() < min_chars {
            pending = Some(r);
        } else {
            merged.push(r);
        }
    }
    if let Some(p) = pending {
        match merged.last_mut() {
            Some(last) => last.end = p.end,
            None => merged.push(p),
        }
    }
    merged
}

/// Lines with their byte offsets; the line excludes its `\n` (a `\r` stays, and is white space).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split('\n').map(move |l| {
        let start = offset;
        offset += l.len() + 1;
        (start, l)
    })
}

fn is_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('•' | '·' | '▪' | '◦' | '‣' | '–' | '—') => true,
        Some('-' | '*') => chars.next().is_some_and(char::is_whitespace),
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            (rest.starts_with(". ") || rest.starts_with(") ")) && line.len() - rest.len() <= 3
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, min: usize) -> Vec<&str> {
        paragraphs(text, min)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn blank_lines_separate_and_wrapped_lines_join() {
        let t = "First para\nwrapped here.\n\n  Second para.  \n\n\n";
        assert_eq!(
            texts(t, 0),
            vec!["First para\nwrapped here.", "Second para."]
        );
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        assert_eq!(
            texts("One.\nTwo.\r\nThree.", 0),
            vec!["One.", "Two.", "Three."]
        );
    }

    #[test]
    fn list_items_start_paragraphs() {
        let t = "Intro:\n  • first item\n  • second item\n\nEnd.";
        assert_eq!(
            texts(t, 0),
            vec!["Intro:", "• first item", "• second item", "End."]
        );
    }

    #[test]
    fn short_fragments_merge_forward_and_tail_back() {
        let t = "24 Mar\n\nA long enough paragraph here.\n\nTop";
        assert_eq!(
            texts(t, 10),
            vec!["24 Mar\n\nA long enough paragraph here.\n\nTop"]
        );
        let t = "Heading\n\nBody text that is long.\n\nMore body text, long.";
        assert_eq!(
            texts(t, 10),
            vec![
                "Heading\n\nBody text that is long.",
                "More body text, long."
            ]
        );
    }

    #[test]
    fn every_non_blank_byte_is_covered_once() {
        let t = "a\n\n\nbb bb\n• c\n\nddd\n";
        let ps = paragraphs(t, 3);
        let mut covered = vec![0u8; t.len()];
        for r in &ps {
            assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
            for i in r.clone() {
                covered[i] += 1;
            }
        }
        for (i, b) in t.bytes().enumerate() {
            if !b.is_ascii_whitespace() {
                assert_eq!(covered[i], 1, "byte {i}");
            }
        }
    }

    #[test]
    fn empty_text_has_no_passage() {
        assert!(paragraphs(" \n\n ", 5).is_empty());
    }
}
