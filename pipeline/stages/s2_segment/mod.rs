//! Stage 2, segment: splits each document into passages (paragraphs) with byte ranges; with
//! `unit = "document"`, each document is one passage.
//!
//! A paragraph ends at a blank line. In a document without blank lines (one paragraph per
//! line, as many corpora store speeches), every line is a paragraph. A line that starts with a
//! list marker (`•`, `-`, `*`, `1.`) starts a paragraph of its own. Paragraphs shorter than
//! `min_passage_chars` (headings, date lines, captions) are merged into the paragraph after
//! them, or into the one before at the end of a document.
//!
//! Before splitting, [`clean`] marks page furniture (navigation, share prompts, copyright lines,
//! link lists, repeated lines); a marked line separates paragraphs like a blank line, and no
//! passage spans one. Nothing is dropped unseen: every non-blank byte of a document lies in
//! exactly one passage or one removed line, and every removed line is listed with its rule.

pub mod clean;
mod closings;
pub mod counts;
mod inline;
mod sketch;

use std::ops::Range;

use rayon::prelude::*;

use crate::artifacts::{Corpus, Passage, Passages, RemovedLine};
use crate::config::{SegmentConfig, Unit};

/// Segments every document, in parallel; passages come out in document order. The texts are
/// read twice, to count lines across documents and then to mark and split each, a batch of
/// documents at a time with their pages released after each.
pub fn segment(corpus: &Corpus, cfg: &SegmentConfig) -> Passages {
    segment_with(corpus, cfg, furniture(corpus, cfg).as_ref())
}

/// What the corpus says about its lines ([`counts::Furniture`]), which decides the page
/// furniture each document loses: only the counts that can decide, so that each document looks
/// up fewer lines, pieces and runs; `None` when `keep_boilerplate` keeps it all.
pub fn furniture(corpus: &Corpus, cfg: &SegmentConfig) -> Option<counts::Furniture> {
    (!cfg.keep_boilerplate).then(|| counts::Furniture::gather_decisive(corpus, clean_params(cfg)))
}

/// All the counts of a shard's lines, to be added to the other shards' before they decide
/// anything; `None` when `keep_boilerplate` keeps it all.
pub fn furniture_counts(corpus: &Corpus, cfg: &SegmentConfig) -> Option<counts::Furniture> {
    (!cfg.keep_boilerplate).then(|| counts::Furniture::gather(corpus, clean_params(cfg)))
}

/// The thresholds of the furniture rules that count lines across documents.
pub fn clean_params(cfg: &SegmentConfig) -> clean::CleanParams {
    clean::CleanParams {
        cross_document_min: cfg.cross_document_min,
        cross_document_share: cfg.cross_document_share,
    }
}

/// [`segment`], with the furniture gathered beforehand: from this corpus, or from a larger one
/// this corpus is a shard of, so that a shard loses the lines the whole corpus would take
/// from it.
pub fn segment_with(
    corpus: &Corpus,
    cfg: &SegmentConfig,
    furniture: Option<&counts::Furniture>,
) -> Passages {
    let n = corpus.documents.len();
    let mut passages = Vec::new();
    let mut removed = Vec::new();
    for first in (0..n).step_by(counts::DOC_BATCH) {
        let batch: Vec<(Vec<_>, Vec<Passage>)> = (first..(first + counts::DOC_BATCH).min(n))
            .into_par_iter()
            .map(|d| {
                let gone = furniture.map_or_else(Vec::new, |f| f.removed(corpus, d));
                let passages = split(corpus, d, &gone, cfg);
                (gone, passages)
            })
            .collect();
        corpus.release_texts();
        for (d, (gone, ps)) in (first..).zip(batch) {
            removed.extend(gone.into_iter().map(|(range, rule)| RemovedLine {
                doc: d as u32,
                range,
                rule,
            }));
            passages.extend(ps);
        }
    }
    Passages { passages, removed }
}

/// Document `d`'s passages, with the lines in `gone` removed.
fn split(
    corpus: &Corpus,
    d: usize,
    gone: &[(Range<usize>, crate::artifacts::Rule)],
    cfg: &SegmentConfig,
) -> Vec<Passage> {
    let gone: Vec<Range<usize>> = gone.iter().map(|(r, _)| r.clone()).collect();
    let mut ranges = paragraphs(corpus.documents.get(d).text(), cfg.min_passage_chars, &gone);
    if cfg.unit == Unit::Document && !ranges.is_empty() {
        // One passage from the first kept paragraph to the last; the removed lines between
        // stay out of its text (`Passages::text`).
        let whole = ranges[0].start..ranges[ranges.len() - 1].end;
        ranges = vec![whole];
    }
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, range)| Passage {
            doc: d as u32,
            index: i as u32,
            range,
        })
        .collect()
}

/// The byte ranges of a text's passages, trimmed of surrounding white space. Lines whose
/// trimmed range a `removed` range (sorted) covers count as blank, and no passage spans them;
/// a removed range that covers only the start of a line (a dateline) leaves the line in.
pub fn paragraphs(text: &str, min_chars: usize, removed: &[Range<usize>]) -> Vec<Range<usize>> {
    let is_removed = |start: usize, line: &str| {
        let lead = line.len() - line.trim_start().len();
        let end = start + lead + line.trim().len();
        removed
            .binary_search_by_key(&(start + lead), |r| r.start)
            .is_ok_and(|i| removed[i].end >= end)
    };
    let has_blank_lines = lines(text).any(|(s, l)| l.trim().is_empty() || is_removed(s, l));
    // Raw paragraphs, each with whether a removed line stands before it.
    let mut raw: Vec<(Range<usize>, bool)> = Vec::new();
    let mut current: Option<(Range<usize>, bool)> = None;
    let mut barrier = false;
    for (start, line) in lines(text) {
        let trimmed = line.trim();
        if trimmed.is_empty() || is_removed(start, line) {
            raw.extend(current.take());
            barrier |= !trimmed.is_empty();
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let range = start + lead..start + lead + trimmed.len();
        let starts_new = !has_blank_lines || is_list_item(trimmed);
        match current.as_mut() {
            Some((cur, _)) if !starts_new => cur.end = range.end,
            _ => {
                raw.extend(current.take());
                current = Some((range, std::mem::take(&mut barrier)));
            }
        }
    }
    raw.extend(current);

    // Merge short fragments forward; a short fragment with a removed line after it (or at the
    // end) goes back into the passage before it, unless a removed line stands between them.
    let short = |r: &Range<usize>| text[r.clone()].chars().count() < min_chars;
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(raw.len());
    let mut pending: Option<(Range<usize>, bool)> = None;
    let flush =
        |merged: &mut Vec<Range<usize>>, (p, barrier_before): (Range<usize>, bool)| match merged
            .last_mut()
        {
            Some(last) if !barrier_before => last.end = p.end,
            _ => merged.push(p),
        };
    for (r, barrier_before) in raw {
        let (r, barrier_before) = match pending.take() {
            Some(p) if !barrier_before => (p.0.start..r.end, p.1),
            Some(p) => {
                flush(&mut merged, p);
                (r, barrier_before)
            }
            None => (r, barrier_before),
        };
        if short(&r) {
            pending = Some((r, barrier_before));
        } else {
            merged.push(r);
        }
    }
    if let Some(p) = pending {
        flush(&mut merged, p);
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
        paragraphs(text, min, &[])
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn document_unit_is_one_passage_without_its_removed_lines() {
        let shared = "Share this article on social media";
        let texts: Vec<String> = (0..4)
            .map(|i| {
                format!(
                    "Opening paragraph number {i} about data security rules.\n\n{shared}\n\n\
                     Closing paragraph {i} on personal information."
                )
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = crate::test_support::corpus(&refs);
        let cfg = SegmentConfig {
            unit: Unit::Document,
            min_passage_chars: 0,
            ..SegmentConfig::default()
        };
        let p = segment(&corpus, &cfg);
        assert_eq!(p.passages.len(), 4);
        assert!(!p.removed.is_empty(), "the shared line is furniture");
        let text = p.text(&corpus, 2);
        assert!(text.starts_with("Opening paragraph number 2"), "{text}");
        assert!(text.ends_with("personal information."), "{text}");
        assert!(!text.contains(shared), "{text}");
        let paragraphs = segment(
            &corpus,
            &SegmentConfig {
                min_passage_chars: 0,
                ..SegmentConfig::default()
            },
        );
        assert_eq!(paragraphs.passages.len(), 8);
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
        let ps = paragraphs(t, 3, &[]);
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
    fn removed_lines_separate_paragraphs_and_are_never_spanned() {
        let t = "Title line\nText Size\nBody of the article, long enough.";
        #[allow(clippy::single_range_in_vec_init)] // one removed line, not a range of them
        let removed = [11..20];
        assert_eq!(&t[11..20], "Text Size");
        let got: Vec<&str> = paragraphs(t, 0, &removed)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(got, vec!["Title line", "Body of the article, long enough."]);
        // A short title before a removed line stays on its own rather than span it.
        let got: Vec<&str> = paragraphs(t, 15, &removed)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(got, vec!["Title line", "Body of the article, long enough."]);
    }

    #[test]
    fn empty_text_has_no_passage() {
        assert!(paragraphs(" \n\n ", 5, &[]).is_empty());
    }
}
