//! Evidence: for every tracked term in every period, every rising and falling term the page
//! shows (each contrast), the heaviest bursts and both terms of every succession, the
//! passages behind the number, as keyword-in-context lines with their document, date and byte
//! offsets. The report's tables link to these rows by id (`ev-…`).

use serde::{Deserialize, Serialize};

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::artifacts::{Span, TermId, Vocabulary};
use crate::text::Reader;

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
        let mut candidates = Candidates::new(shard, items);
        // Each item takes its first PER_ITEM passages in which its term stands outside a removed
        // line. The passages are asked in rounds, each passage read once a round for every item
        // asking it (a passage of hundreds of megabytes was read again for each item).
        let mut found: Vec<Vec<Evidence>> = vec![Vec::new(); items.len()];
        loop {
            let needs: Vec<usize> = found.iter().map(|f| PER_ITEM - f.len()).collect();
            let mut asked: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (i, next) in candidates.next(&needs).into_iter().enumerate() {
                for p in next {
                    asked.entry(p).or_default().push(i);
                }
            }
            if asked.is_empty() {
                break;
            }
            let answers: Vec<(usize, Answers)> = asked
                .into_par_iter()
                .map_init(
                    || Reader::new(vocab),
                    |reader, (p, asking)| {
                        let wanted: Vec<_> = asking
                            .iter()
                            .map(|&i| (items[i].0, items[i].1, items[i].2.as_str()))
                            .collect();
                        (
                            p,
                            asking
                                .into_iter()
                                .zip(lines_in(shard, reader, &wanted, p))
                                .collect(),
                        )
                    },
                )
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

/// Each item's candidate passages (holding its term, in one of its periods; a bag holds a
/// term once), found in passage order and only as far as the items ask. One scan of the bags
/// serves every item still short of candidates; an item that stopped riding it, satisfied, and
/// later needs more (its term stood only inside removed lines) catches up on its own. The bags
/// of millions of posts were read whole, and every holding passage listed, for items that took
/// their first three.
struct Candidates<'s, 'i> {
    shard: &'s Shard<'s>,
    items: &'i [Item],
    /// The items asking for each term.
    by_term: FxHashMap<TermId, Vec<usize>>,
    /// Bit `t` set when an item asks for term `t`: most of a bag's terms are asked by none,
    /// and the scan of a whole corpus' bags looks up every one.
    asked: Vec<u64>,
    /// Each item's candidates found and not yet asked, in passage order.
    pending: Vec<std::collections::VecDeque<usize>>,
    /// Where each item's search goes on.
    next: Vec<usize>,
    /// How far the shared scan has read.
    scanned: usize,
}

impl<'s, 'i> Candidates<'s, 'i> {
    fn new(shard: &'s Shard<'s>, items: &'i [Item]) -> Self {
        let mut by_term: FxHashMap<TermId, Vec<usize>> = FxHashMap::default();
        let mut asked = Vec::new();
        for (i, item) in items.iter().enumerate() {
            by_term.entry(item.1).or_default().push(i);
            let t = item.1 as usize;
            if asked.len() <= t / 64 {
                asked.resize(t / 64 + 1, 0u64);
            }
            asked[t / 64] |= 1 << (t % 64);
        }
        Candidates {
            shard,
            items,
            by_term,
            asked,
            pending: vec![Default::default(); items.len()],
            next: vec![0; items.len()],
            scanned: 0,
        }
    }

    /// Whether passage `p` is a candidate of item `i`, given that its bag holds the term.
    fn in_periods(&self, i: usize, p: usize) -> bool {
        let doc = self.shard.passages.passages[p].doc as usize;
        self.items[i].3.contains(&self.shard.doc_period[doc])
    }

    /// Item `i`'s search brought up to the shared scan while it has fewer than `need`
    /// candidates pending; whether it is still short, and so rides the scan.
    fn catch_up(&mut self, i: usize, need: usize) -> bool {
        let term = self.items[i].1;
        let bags = self.shard.bags;
        while self.pending[i].len() < need && self.next[i] < self.scanned {
            let p = self.next[i];
            self.next[i] += 1;
            // Most passages lie outside the item's periods: that is asked first.
            if self.in_periods(i, p) && bags[p].binary_search_by_key(&term, |&(t, _)| t).is_ok() {
                self.pending[i].push_back(p);
            }
        }
        self.pending[i].len() < need
    }

    /// The next `needs[i]` candidates of each item `i` (fewer where the shard has no more), in
    /// passage order, each given once.
    fn next(&mut self, needs: &[usize]) -> Vec<Vec<usize>> {
        let bags = self.shard.bags;
        let hungry = |c: &Self, i: usize| c.pending[i].len() < needs[i];
        // Items behind the shared scan catch up on their own; those still short ride it.
        let mut riding: Vec<bool> = (0..self.items.len())
            .map(|i| self.catch_up(i, needs[i]))
            .collect();
        let mut riders = riding.iter().filter(|&&r| r).count();
        while riders > 0 && self.scanned < bags.len() {
            let p = self.scanned;
            self.scanned += 1;
            for &(t, _) in &bags[p] {
                let bit = t as usize;
                if self
                    .asked
                    .get(bit / 64)
                    .is_none_or(|b| b & (1 << (bit % 64)) == 0)
                {
                    continue;
                }
                let Some(asking) = self.by_term.get(&t) else {
                    continue;
                };
                for &i in asking {
                    if riding[i] && self.in_periods(i, p) {
                        self.pending[i].push_back(p);
                        if !hungry(self, i) {
                            riding[i] = false;
                            riders -= 1;
                            self.next[i] = p + 1;
                        }
                    }
                }
            }
        }
        for (i, r) in riding.into_iter().enumerate() {
            if r {
                self.next[i] = self.scanned;
            }
        }
        needs
            .iter()
            .zip(&mut self.pending)
            .map(|(&need, pending)| pending.drain(..need.min(pending.len())).collect())
            .collect()
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
    reader: &mut Reader,
    wanted: &[(EvidenceKind, TermId, &str)],
    p: usize,
) -> Vec<Option<Evidence>> {
    let psg = &shard.passages.passages[p];
    let text = &shard.corpus.documents.get(psg.doc as usize).text();
    // The removed lines are in document order: the document's are one stretch of them.
    let all = &shard.passages.removed;
    let from = all.partition_point(|x| x.doc < psg.doc);
    let to = from + all[from..].partition_point(|x| x.doc == psg.doc);
    let removed: Vec<&std::ops::Range<usize>> = all[from..to].iter().map(|x| &x.range).collect();
    let terms: Vec<TermId> = wanted.iter().map(|w| w.1).collect();
    let mut hits: Vec<Option<std::ops::Range<usize>>> = vec![None; wanted.len()];
    reader.occurrences(&terms, &text[psg.range.clone()], |k, m| {
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
    fn candidates_come_in_passage_order_as_far_as_asked_as_full_lists_give_them() {
        let f = ReportFixture::new();
        let r = f.input();
        let shard = f.whole();
        // The page's items, and every term over all periods and over the first alone.
        let mut items = items(&r);
        let periods = r.trends.periods.len();
        for term in 0..f.tokens.vocabulary.terms.len() as TermId {
            items.push((
                EvidenceKind::Tracked,
                term,
                "all".into(),
                (0..periods).collect(),
            ));
            items.push((EvidenceKind::Tracked, term, "first".into(), vec![0]));
        }
        // Every candidate of each item, listed whole.
        let full: Vec<Vec<usize>> = items
            .iter()
            .map(|(_, term, _, periods)| {
                (0..shard.bags.len())
                    .filter(|&p| {
                        let doc = shard.passages.passages[p].doc as usize;
                        shard.bags[p].iter().any(|&(t, _)| t == *term)
                            && periods.contains(&shard.doc_period[doc])
                    })
                    .collect()
            })
            .collect();
        let most = full.iter().map(Vec::len).max().unwrap_or(0);
        assert!(most > 3, "some item has several candidates: {most}");
        // Rounds asking varied numbers: some items satisfied early, asking again later.
        let mut candidates = Candidates::new(&shard, &items);
        let mut given = vec![0usize; items.len()];
        for round in 0..6 {
            let needs: Vec<usize> = (0..items.len()).map(|i| (i + round) % 3).collect();
            let next = candidates.next(&needs);
            for (i, got) in next.into_iter().enumerate() {
                let end = (given[i] + needs[i]).min(full[i].len());
                assert_eq!(got, full[i][given[i]..end], "item {i}, round {round}");
                given[i] = end;
            }
        }
    }

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
