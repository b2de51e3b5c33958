//! Evidence: for every tracked term in every period, every rising and falling term the page
//! shows (each contrast), the heaviest bursts and both terms of every succession, the
//! passages behind the number, as keyword-in-context lines with their document, date and byte
//! offsets. The report's tables link to these rows by id (`ev-…`).

use serde::{Deserialize, Serialize};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::artifacts::{Span, TermId, Vocabulary};
use crate::text::occurrences;

use super::input::{ReportInput, Shard};

pub mod quotes;

/// The lines a passage gave the items asking it: (item, its line there, if any).
type Answers = Vec<(usize, Option<Evidence>)>;

/// Passages shown per item.
const PER_ITEM: usize = 3;
/// Bursts given evidence (and shown on the page): the heaviest.
pub const BURSTS: usize = 25;
/// Rising and falling terms shown, with evidence, for each contrast of adjacent periods (the
/// first-to-last contrast shows all of its terms).
pub const ADJACENT_SHOWN: usize = 5;
/// Characters of context on each side of a match.
const CONTEXT: usize = 70;

/// What an evidence line supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EvidenceKind {
    /// A tracked term in a period.
    Tracked,
    /// A term rising into a period (a contrast's, or a succession's rising term).
    Rising,
    /// A term falling from a period (a contrast's, or a succession's falling term).
    Falling,
    /// A burst over its periods.
    Burst,
}

impl EvidenceKind {
    /// Its name in the page and in `tables/evidence`.
    pub fn name(self) -> &'static str {
        match self {
            EvidenceKind::Tracked => "tracked",
            EvidenceKind::Rising => "rising",
            EvidenceKind::Falling => "falling",
            EvidenceKind::Burst => "burst",
        }
    }
}

/// One line of evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Anchor id in the page (`ev-0`, `ev-1`, …).
    pub id: String,
    /// What it supports.
    pub kind: EvidenceKind,
    /// The term.
    pub term: TermId,
    /// The period (or first–last period range of a burst) it supports.
    pub period: String,
    /// The passage.
    pub passage: usize,
    /// Its document's id.
    pub document: String,
    /// Its document's title.
    pub title: String,
    /// Its document's date.
    pub date: crate::artifacts::DocDate,
    /// Byte range of the match in its document's text.
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// Text before the match.
    pub left: String,
    /// The match, as written.
    pub matched: String,
    /// Text after the match.
    pub right: String,
}

/// Every evidence line of the run, in a fixed order: the pass below over `shards`.
pub fn collect(r: &ReportInput, shards: &[Shard]) -> Vec<Evidence> {
    lines(shards, r.vocabulary, &items(r))
}

/// The evidence lines of `items`, numbered, from the pass over `shards` (in this process).
pub fn lines(shards: &[Shard], vocab: &Vocabulary, items: &[Item]) -> Vec<Evidence> {
    shards
        .iter()
        .map(|s| Found::of(s, vocab, items))
        .reduce(Found::merge)
        .expect("at least one shard")
        .lines()
}

/// What an evidence item asks for: (kind, term, period label, periods wanted).
pub type Item = (EvidenceKind, TermId, String, Vec<usize>);

/// The items the page gives evidence for, in a fixed order.
pub fn items(r: &ReportInput) -> Vec<Item> {
    let trends = r.trends;
    let label = |p: usize| trends.periods[p].period.to_string();
    let side = |s: Span| (s.label(&trends.periods), s.periods().collect::<Vec<_>>());
    let mut items: Vec<Item> = Vec::new();
    for t in &trends.tracked {
        let Some(term) = t.term else { continue };
        for p in t.series.iter().filter(|p| p.count > 0) {
            items.push((EvidenceKind::Tracked, term, label(p.period), vec![p.period]));
        }
    }
    // The first-to-last contrast in full, the adjacent ones as far as the page shows them.
    let n = trends.contrasts.len();
    for (i, c) in trends.contrasts.iter().enumerate().rev() {
        let shown = if i + 1 == n {
            usize::MAX
        } else {
            ADJACENT_SHOWN
        };
        for ch in c.rising.iter().take(shown) {
            let (at, periods) = side(c.to);
            items.push((EvidenceKind::Rising, ch.term, at, periods));
        }
        for ch in c.falling.iter().take(shown) {
            let (at, periods) = side(c.from);
            items.push((EvidenceKind::Falling, ch.term, at, periods));
        }
    }
    for b in trends.bursts.iter().take(BURSTS) {
        items.push((
            EvidenceKind::Burst,
            b.term,
            burst_label(r, b),
            (b.start..=b.end).collect(),
        ));
    }
    // A succession: the falling term in its last period of use before the handover, the
    // rising one in its first from the handover on.
    for s in &trends.succession {
        if let Some(p) = (0..s.handover).rev().find(|&p| s.counts_falling[p] > 0) {
            items.push((EvidenceKind::Falling, s.falling, label(p), vec![p]));
        }
        if let Some(p) = (s.handover..trends.periods.len()).find(|&p| s.counts_rising[p] > 0) {
            items.push((EvidenceKind::Rising, s.rising, label(p), vec![p]));
        }
    }
    let mut seen = BTreeSet::new();
    items.retain(|(kind, term, label, _)| seen.insert((*kind, *term, label.clone())));

    items
}

/// The evidence pass' partial: for each item, its first [`PER_ITEM`] lines in corpus order.
/// Merging keeps the first of the union, so shards give the whole corpus' lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found(Vec<Vec<Evidence>>);

impl Found {
    /// A shard's first lines for each of `items`: passages holding the item's term in its
    /// periods, where the term is found outside a removed line.
    pub fn of(shard: &Shard, vocab: &Vocabulary, items: &[Item]) -> Found {
        // The passages holding each wanted term, in passage order.
        let wanted: BTreeSet<TermId> = items.iter().map(|i| i.1).collect();
        let mut holding: HashMap<TermId, Vec<usize>> = HashMap::new();
        for (i, bag) in shard.bags.iter().enumerate() {
            for &(t, _) in bag {
                if wanted.contains(&t) {
                    holding.entry(t).or_default().push(i);
                }
            }
        }
        let period_of = |p: usize| shard.doc_period[shard.passages.passages[p].doc as usize];
        let candidates: Vec<Vec<usize>> = items
            .iter()
            .map(|(_, term, _, periods)| {
                let holding = holding.get(term).map(Vec::as_slice).unwrap_or(&[]);
                let fit = |&&p: &&usize| periods.contains(&period_of(p));
                holding.iter().filter(fit).copied().collect()
            })
            .collect();
        // Each item takes its first PER_ITEM passages in which its term stands outside a removed
        // line. The passages are asked in rounds, each passage read once a round for every item
        // asking it (a passage of hundreds of megabytes was read again for each item).
        let mut found: Vec<Vec<Evidence>> = vec![Vec::new(); items.len()];
        let mut tried = vec![0usize; items.len()];
        loop {
            let mut asked: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (i, c) in candidates.iter().enumerate() {
                let need = PER_ITEM - found[i].len();
                for &p in c.iter().skip(tried[i]).take(need) {
                    asked.entry(p).or_default().push(i);
                }
                tried[i] = (tried[i] + need).min(c.len());
            }
            if asked.is_empty() {
                break;
            }
            let answers: Vec<(usize, Answers)> = asked
                .into_par_iter()
                .map(|(p, asking)| {
                    let wanted: Vec<_> = asking
                        .iter()
                        .map(|&i| (items[i].0, items[i].1, items[i].2.as_str()))
                        .collect();
                    (
                        p,
                        asking
                            .into_iter()
                            .zip(lines_in(shard, vocab, &wanted, p))
                            .collect(),
                    )
                })
                .collect();
            // In passage order, so that each item's lines stay in corpus order.
            for (_, lines) in answers {
                for (i, line) in lines {
                    found[i].extend(line);
                }
            }
        }
        Found(found)
    }

    /// The lines of two shards.
    pub fn merge(mut self, other: Found) -> Found {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            mine.extend(theirs);
            mine.sort_by_key(|e| e.passage);
            mine.truncate(PER_ITEM);
        }
        self
    }

    /// Every line, item by item, numbered (`ev-0`, `ev-1`, …).
    pub fn lines(self) -> Vec<Evidence> {
        let mut out: Vec<Evidence> = self.0.into_iter().flatten().collect();
        for (n, e) in out.iter_mut().enumerate() {
            e.id = format!("ev-{n}");
        }
        out
    }
}

/// A burst's period range: `1970s` or `1970s to 1990s`.
pub fn burst_label(r: &ReportInput, b: &crate::artifacts::Burst) -> String {
    let label = |p: usize| r.trends.periods[p].period.to_string();
    if b.start == b.end {
        label(b.start)
    } else {
        format!("{} to {}", label(b.start), label(b.end))
    }
}

/// For each of `wanted`, the first occurrence of its term in the shard's passage `p` that is
/// not in a removed line, in context; numbered later ([`Found::lines`]). The passage is read
/// once for them all.
fn lines_in(
    shard: &Shard,
    vocab: &Vocabulary,
    wanted: &[(EvidenceKind, TermId, &str)],
    p: usize,
) -> Vec<Option<Evidence>> {
    let psg = &shard.passages.passages[p];
    let text = &shard.corpus.documents.get(psg.doc as usize).text();
    let removed: Vec<&std::ops::Range<usize>> = shard
        .passages
        .removed
        .iter()
        .filter(|x| x.doc == psg.doc)
        .map(|x| &x.range)
        .collect();
    let terms: Vec<TermId> = wanted.iter().map(|w| w.1).collect();
    let mut hits: Vec<Option<std::ops::Range<usize>>> = vec![None; wanted.len()];
    occurrences(vocab, &terms, &text[psg.range.clone()], |k, m| {
        let m = (m.start + psg.range.start)..(m.end + psg.range.start);
        if removed.iter().any(|x| x.start <= m.start && m.end <= x.end) {
            return true;
        }
        hits[k] = Some(m);
        false
    });
    hits.into_iter()
        .zip(wanted)
        .map(|(hit, &(kind, term, label))| Some(line(shard, p, (kind, term, label), hit?)))
        .collect()
}

/// The evidence line of an occurrence `hit` of `term` in the shard's passage `p`.
fn line(
    shard: &Shard,
    p: usize,
    (kind, term, label): (EvidenceKind, TermId, &str),
    hit: std::ops::Range<usize>,
) -> Evidence {
    let psg = &shard.passages.passages[p];
    let doc = &shard.corpus.documents.get(psg.doc as usize);
    let text = &doc.text();
    // The CONTEXT characters on either side, read outward from the match only.
    let left: String = {
        let before = &text[psg.range.start..hit.start];
        let from = before
            .char_indices()
            .rev()
            .nth(CONTEXT - 1)
            .map_or(0, |(i, _)| i);
        let s = &before[from..];
        if from > 0 {
            format!("…{}", s.trim_start())
        } else {
            s.to_string()
        }
    };
    let right: String = {
        let after = &text[hit.end..psg.range.end];
        let to = after
            .char_indices()
            .nth(CONTEXT)
            .map_or(after.len(), |(i, _)| i);
        if to < after.len() {
            format!("{}…", after[..to].trim_end())
        } else {
            after.to_string()
        }
    };
    let clean = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    Evidence {
        id: String::new(),
        kind,
        term,
        period: label.to_string(),
        passage: shard.first_passage + p,
        document: doc.id().to_string(),
        title: doc.title().to_string(),
        date: doc.date(),
        start: hit.start,
        end: hit.end,
        left: clean(left),
        matched: text[hit.clone()].to_string(),
        right: clean(right),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ReportFixture;

    #[test]
    fn lines_found_in_shards_merged_in_any_order_are_the_whole_corpus_lines() {
        let f = ReportFixture::new();
        let r = f.input();
        let whole = collect(&r, &[f.whole()]);
        assert!(whole.len() > 10, "{}", whole.len());
        let items = items(&r);
        let found = |a: usize, b: usize| {
            let part = f.part(a, b);
            let shard = f.shard(&part);
            Found::of(&shard, &f.tokens.vocabulary, &items)
        };
        let split = found(7, 12).merge(found(0, 3)).merge(found(3, 7)).lines();
        assert_eq!(split, whole);
    }
}
