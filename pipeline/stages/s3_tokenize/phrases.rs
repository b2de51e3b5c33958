//! Phrases: multiword terms learnt from the corpus by collocation statistics, as gensim's
//! `Phrases` learns them, but in one run over the token streams rather than one model per
//! length.
//!
//! A candidate is a run of tokens with no break inside that starts and ends with a content
//! word and may hold connector words ("of", "and") between them, at most `max_words` long.
//! Candidates are built up by the number of content words they hold: first two ("data
//! security", "internet of things"), then three ("made in china" + "2025"), then four. A
//! candidate is scored at each place it can be split into two known parts (words, or phrases
//! already accepted), with the connector words between them belonging to neither part, and it
//! becomes a phrase when it occurs at least `min_count` times and its best split scores above
//! the threshold. This is what gensim gets by applying a `Phrases` model to the output of
//! another.
//!
//! A phrase is counted wherever its words stand together: its words still count as words, and
//! overlapping phrases ("made in china", "made in china 2025") each count. So every count is one
//! that a search of the text finds.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::streams::Streams;
use super::token::{content_words, pack, slot_kind, unpack, Slot, Token, CONNECTOR_SLOT};
use super::COUNT_BATCH;
use crate::config::{PhraseScorer, PhrasesConfig};

/// Phrases found. A phrase occurs wherever its key's tokens stand together (the rounds of
/// [`learn`] count a candidate only where it splits into known parts, and whether it does
/// depends on its key alone), so the set is all a later pass needs to find them
/// ([`PhraseSet::find`]).
pub(super) struct PhraseSet {
    /// Each phrase: key (see [`pack`]), number of content words, count, score. Indexed by
    /// phrase number; phrases with fewer content words come first, then by key.
    pub phrases: Vec<Phrase>,
    /// Each phrase's key, and each key a longer phrase begins with that ends on a content
    /// word: the phrase number ([`Steps::NONE`] when only a beginning), with [`Steps::LONGER`]
    /// when a longer phrase begins with it. A walk along a passage stops at the first run
    /// that is not here.
    steps: FxHashMap<u128, u32>,
    /// Skips look-ups of runs whose ends no key of `steps` has.
    filter: EndsFilter,
    /// Bit `s` set when a phrase starts with slot `s`: most tokens start none.
    first: Vec<u64>,
    /// The most tokens a phrase holds (`max_words`).
    max_words: usize,
}

/// The flags of [`PhraseSet::steps`].
struct Steps;

impl Steps {
    /// A longer phrase begins with this key.
    const LONGER: u32 = 1 << 31;
    /// No phrase has this key (a longer one begins with it).
    const NONE: u32 = !Self::LONGER;

    /// The phrase number a step holds, if a phrase has its key.
    fn phrase(step: u32) -> Option<u32> {
        let p = step & !Self::LONGER;
        (p != Self::NONE).then_some(p)
    }
}

impl PhraseSet {
    pub(super) fn new(phrases: Vec<Phrase>, max_words: usize) -> Self {
        let mut steps: FxHashMap<u128, u32> = FxHashMap::default();
        let mut first = Vec::new();
        for (i, p) in phrases.iter().enumerate() {
            let slots = unpack(p.key);
            let s = slots[0] as usize;
            if first.len() <= s / 64 {
                first.resize(s / 64 + 1, 0u64);
            }
            first[s / 64] |= 1 << (s % 64);
            let step = steps.entry(p.key).or_insert(Steps::LONGER);
            *step = *step & Steps::LONGER | i as u32;
            // The shorter beginnings that end on a content word, two content words or more
            // (the first slot is one).
            for end in (1..slots.len() - 1).filter(|&e| slots[e] & CONNECTOR_SLOT == 0) {
                let key = pack(slots[..=end].iter().copied());
                *steps.entry(key).or_insert(Steps::NONE) |= Steps::LONGER;
            }
        }
        PhraseSet {
            filter: EndsFilter::new(steps.keys().copied()),
            first,
            steps,
            phrases,
            max_words,
        }
    }

    /// The number of the phrase with this key.
    fn number(&self, key: u128) -> Option<u32> {
        Steps::phrase(*self.steps.get(&key)?)
    }

    /// Where the phrases occur in one passage's tokens: `starts[i]` gets bit `m` when a phrase
    /// of `m` content words starts at token `i`, and each occurrence is listed, by first token
    /// and then by length.
    pub fn find(&self, toks: &[Token], starts: &mut Vec<u8>, occ: &mut Vec<Occurrence>) {
        starts.clear();
        starts.resize(toks.len(), 0);
        occ.clear();
        if self.phrases.is_empty() {
            return;
        }
        for i in 0..toks.len() {
            let s = toks[i].slot() as usize;
            if self
                .first
                .get(s / 64)
                .is_none_or(|b| b & (1 << (s % 64)) == 0)
            {
                continue;
            }
            // The runs from i of 2, 3… content words, as `span` gives them, each one token on,
            // while a phrase begins with the run.
            let mut m = 1;
            let mut key = s as u128;
            let mut j = i + 1;
            while j < toks.len() && j - i < self.max_words && !toks[j].breaks() {
                key = key << 32 | toks[j].slot() as u128;
                if !toks[j].is_connector() {
                    m += 1;
                    if !self.filter.may_hold(toks[i], toks[j]) {
                        break;
                    }
                    let Some(&step) = self.steps.get(&key) else {
                        break;
                    };
                    if let Some(phrase) = Steps::phrase(step) {
                        starts[i] |= 1 << m;
                        occ.push(Occurrence {
                            start: i as u32,
                            phrase,
                        });
                    }
                    if step & Steps::LONGER == 0 {
                        break;
                    }
                }
                j += 1;
            }
        }
    }

    /// The number of tokens (content and connector words) of each phrase, by phrase number.
    pub fn tokens(&self) -> Vec<u32> {
        self.phrases
            .iter()
            .map(|p| unpack(p.key).len() as u32)
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Phrase {
    pub key: u128,
    pub count: u64,
    /// The best split's score; NaN for an asked phrase with no split into known parts.
    pub score: f64,
    /// Found by the statistics (else only asked for).
    pub learnt: bool,
}

/// One occurrence of a phrase: its tokens of a passage's stream from `start` on, as many as its
/// key has slots ([`PhraseSet::tokens`]). Eight bytes: a 1 GB corpus has tens of millions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Occurrence {
    pub start: u32,
    pub phrase: u32,
}

/// A bit set over (first slot, last slot) of a set of keys: when a run's bit is clear, its key
/// is not in the set, and the hash look-up can be skipped.
struct EndsFilter {
    bits: Vec<u64>,
}

impl EndsFilter {
    const BITS: u32 = 22;

    fn new(keys: impl Iterator<Item = u128>) -> EndsFilter {
        let mut bits = vec![0u64; 1 << (Self::BITS - 6)];
        for key in keys {
            let slots = unpack(key);
            let b = Self::bit(slots[0], slots[slots.len() - 1]);
            bits[b >> 6] |= 1 << (b & 63);
        }
        EndsFilter { bits }
    }

    fn bit(first: u32, last: u32) -> usize {
        let h = ((first as u64) << 32 | last as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - Self::BITS)) as usize
    }

    fn may_hold(&self, first: Token, last: Token) -> bool {
        let b = Self::bit(first.slot(), last.slot());
        self.bits[b >> 6] & (1 << (b & 63)) != 0
    }
}

/// Partitions of the key space for counting.
const PARTITIONS: usize = 64;

fn partition(key: u128) -> usize {
    let h =
        (key as u64 ^ (key >> 64) as u64 ^ (key >> 29) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 58) as usize
}

/// Counts as one list ordered by partition, with where each partition starts (and the list's
/// length last).
type ByPartition = (Vec<(u128, u64)>, [usize; PARTITIONS + 1]);

/// The counts of `local`, which is left empty, by partition.
fn by_partition(local: &mut FxHashMap<u128, u64>) -> ByPartition {
    let mut starts = [0usize; PARTITIONS + 1];
    for &k in local.keys() {
        starts[partition(k) + 1] += 1;
    }
    for p in 0..PARTITIONS {
        starts[p + 1] += starts[p];
    }
    let mut next = starts;
    let mut counts = vec![(0u128, 0u64); local.len()];
    for (k, c) in local.drain() {
        let p = partition(k);
        counts[next[p]] = (k, c);
        next[p] += 1;
    }
    (counts, starts)
}

/// The end of the run of `n` content words that starts at token `i`, when it has no break
/// inside and is at most `max_words` tokens long.
fn span(toks: &[Token], i: usize, n: usize, max_words: usize) -> Option<usize> {
    if toks[i].is_connector() {
        return None;
    }
    let mut seen = 1;
    let mut j = i + 1;
    while seen < n {
        if j >= toks.len() || j - i >= max_words || toks[j].breaks() {
            return None;
        }
        seen += !toks[j].is_connector() as usize;
        j += 1;
    }
    Some(j)
}

/// Whether the run `i..end` of `n` content words splits into two known parts somewhere:
/// `starts[p]` has bit `m` set when an accepted phrase of `m` content words starts at `p`.
fn splits_into_known(toks: &[Token], starts: &[u8], i: usize, end: usize, n: usize) -> bool {
    if n == 2 {
        return true;
    }
    let mut left = 0;
    for p in i..end {
        if toks[p].is_connector() {
            continue;
        }
        left += 1;
        if left == n {
            break;
        }
        // The right part starts at the next content word after p.
        let q = (p + 1..end)
            .find(|&q| !toks[q].is_connector())
            .unwrap_or(end);
        let right = n - left;
        let left_ok = left == 1 || starts[i] & (1 << left) != 0;
        let right_ok = right == 1 || starts[q] & (1 << right) != 0;
        if left_ok && right_ok {
            return true;
        }
    }
    false
}

/// Scores a candidate: the best of its splits into two known parts, or `None` when no split
/// has both parts known.
fn best_score(
    key: u128,
    count: u64,
    known: &impl Fn(u128, &[u32]) -> Option<u64>,
    cfg: &PhrasesConfig,
    total_words: u64,
    vocabulary_size: u64,
) -> Option<f64> {
    let slots = unpack(key);
    let content: Vec<usize> = (0..slots.len())
        .filter(|&i| matches!(slot_kind(slots[i]), Slot::Stem(_)))
        .collect();
    let mut best: Option<f64> = None;
    for w in content.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (Some(ca), Some(cb)) = (
            known(pack(slots[..=a].iter().copied()), &slots[..=a]),
            known(pack(slots[b..].iter().copied()), &slots[b..]),
        ) else {
            continue;
        };
        let s = score(cfg, count, ca, cb, total_words, vocabulary_size);
        if best.is_none_or(|x| s > x) {
            best = Some(s);
        }
    }
    best
}

/// The collocation score of a pair (a, b) seen together `ab` times.
pub(super) fn score(
    cfg: &PhrasesConfig,
    ab: u64,
    a: u64,
    b: u64,
    total_words: u64,
    vocabulary_size: u64,
) -> f64 {
    match cfg.scorer {
        PhraseScorer::Npmi => {
            let n = total_words as f64;
            let (pa, pb, pab) = (a as f64 / n, b as f64 / n, ab as f64 / n);
            if pab >= 1.0 {
                return 1.0; // the whole corpus is this phrase
            }
            (pab / (pa * pb)).ln() / -pab.ln()
        }
        PhraseScorer::Default => {
            (ab as f64 - cfg.min_count as f64) / (a as f64 * b as f64) * vocabulary_size as f64
        }
    }
}

/// Learns phrases from the token streams, one pass over them for each round ([`Rounds`]).
///
/// `stem_counts` are the occurrences of each stem as a word; `total_words` is the number of
/// word tokens of the corpus, stop words included. `asked` are keys of phrases the user asked
/// for: they are phrases wherever they occur, whatever their score.
pub(super) fn learn(
    streams: &Streams,
    stem_counts: &[u64],
    total_words: u64,
    asked: &[u128],
    cfg: &PhrasesConfig,
) -> PhraseSet {
    let mut rounds = Rounds::new(asked.to_vec(), cfg);
    while let Some(round) = rounds.next_round() {
        let counts = round.count(streams, &rounds.found);
        rounds.accept(&round, &counts, stem_counts, total_words, cfg);
    }
    rounds.found
}

/// The rounds of [`learn`], one at a time, so that a round's candidates can be counted apart
/// (in shards of a corpus) and summed before they are scored: [`Rounds::next_round`] says what
/// to count, [`Rounds::accept`] scores the counts and adds the phrases.
pub(super) struct Rounds {
    /// The phrases accepted so far.
    pub(super) found: PhraseSet,
    asked: Vec<u128>,
    max_words: usize,
    /// The number of content words of the next round; past `max_words` when learning is over.
    next: usize,
}

impl Rounds {
    pub(super) fn new(asked: Vec<u128>, cfg: &PhrasesConfig) -> Rounds {
        let max_words = cfg.max_words.clamp(2, 4);
        let idle = !cfg.enabled && asked.is_empty();
        Rounds::resume(
            Vec::new(),
            asked,
            max_words,
            if idle { max_words + 1 } else { 2 },
        )
    }

    /// Rounds from the phrases accepted so far, with round `next` still to count.
    pub(super) fn resume(
        phrases: Vec<Phrase>,
        asked: Vec<u128>,
        max_words: usize,
        next: usize,
    ) -> Rounds {
        Rounds {
            found: PhraseSet::new(phrases, max_words),
            asked,
            max_words,
            next,
        }
    }

    /// The asked keys, and the round to count next.
    pub(super) fn parts(&self) -> (&[u128], usize) {
        (&self.asked, self.next)
    }

    /// The round to count next, or `None` when learning is over: after the last round, or
    /// when no phrase was found and none of more words is asked for.
    pub(super) fn next_round(&mut self) -> Option<Round> {
        let n = self.next;
        if n > self.max_words {
            return None;
        }
        let asked: FxHashSet<u128> = self
            .asked
            .iter()
            .copied()
            .filter(|&k| content_words(k) == n)
            .collect();
        if n > 2 && self.found.phrases.is_empty() && asked.is_empty() {
            self.next = self.max_words + 1;
            return None;
        }
        Some(Round {
            n,
            max_words: self.max_words,
            // Everywhere for two-word candidates (and for asked phrases).
            everywhere: n == 2 || !asked.is_empty(),
            asked,
        })
    }

    /// Scores a round's candidates, counted over the whole corpus, and adds those that pass.
    pub(super) fn accept(
        &mut self,
        round: &Round,
        counts: &[(u128, u64)],
        stem_counts: &[u64],
        total_words: u64,
        cfg: &PhrasesConfig,
    ) {
        self.next = round.n + 1;
        let threshold = if cfg.enabled {
            cfg.threshold()
        } else {
            f64::INFINITY
        };
        let found = &self.found;
        let vocabulary_size = (stem_counts.len() + counts.len()) as u64;
        let known = |key: u128, slots: &[u32]| -> Option<u64> {
            match (slots, slot_kind(slots[0])) {
                ([_], Slot::Stem(s)) => Some(stem_counts[s as usize]),
                _ => found.number(key).map(|p| found.phrases[p as usize].count),
            }
        };
        let asked = &round.asked;
        let mut new: Vec<Phrase> = counts
            .par_iter()
            .filter(|&&(key, count)| count >= cfg.min_count as u64 || asked.contains(&key))
            .filter_map(|&(key, count)| {
                let s = best_score(key, count, &known, cfg, total_words, vocabulary_size);
                let learnt = count >= cfg.min_count as u64 && s.is_some_and(|s| s > threshold);
                (learnt || asked.contains(&key)).then_some(Phrase {
                    key,
                    count,
                    score: s.unwrap_or(f64::NAN),
                    learnt,
                })
            })
            .collect();
        if new.is_empty() {
            return;
        }
        new.par_sort_unstable_by_key(|p| p.key);
        let mut phrases = std::mem::take(&mut self.found.phrases);
        phrases.extend(new);
        *self = Rounds::resume(
            phrases,
            std::mem::take(&mut self.asked),
            self.max_words,
            self.next,
        );
    }
}

/// One round of [`learn`]: phrases of `n` content words.
pub(super) struct Round {
    n: usize,
    max_words: usize,
    /// Look at every position; else only where a known phrase starts, or up to n − 2 content
    /// words before one.
    everywhere: bool,
    /// The asked phrases of `n` content words.
    asked: FxHashSet<u128>,
}

impl Round {
    /// Where a phrase of this round may start in a passage (`occ`: its phrases so far), into
    /// `at`.
    fn positions(&self, toks: &[Token], occ: &[Occurrence], at: &mut Vec<usize>) {
        let n = self.n;
        at.clear();
        if self.everywhere {
            at.extend(0..toks.len());
            return;
        }
        for o in occ {
            let mut i = o.start as usize;
            at.push(i);
            for _ in 0..n - 2 {
                match (0..i).rev().find(|&j| !toks[j].is_connector()) {
                    Some(j) => {
                        at.push(j);
                        i = j;
                    }
                    None => break,
                }
            }
        }
        at.sort_unstable();
        at.dedup();
    }

    /// The key of tokens `i..end` if it is a candidate: it splits into known parts, or it is
    /// asked for.
    fn wanted(&self, toks: &[Token], st: &[u8], i: usize, end: usize) -> Option<u128> {
        let key = || pack(toks[i..end].iter().map(|t| t.slot()));
        if splits_into_known(toks, st, i, end, self.n) {
            Some(key())
        } else if !self.asked.is_empty() {
            Some(key()).filter(|k| self.asked.contains(k))
        } else {
            None
        }
    }

    /// Counts the candidates of `n` content words, where the phrases `found` so far stand:
    /// per chunk in a small map, then by partition of the key space, so that every map stays
    /// small enough for the cache. Chunks are taken [`COUNT_BATCH`] at a time, each batch's
    /// chunk maps merged into the partitions before the next, so that memory holds the
    /// distinct candidates once and one batch's chunk maps.
    pub(super) fn count(&self, streams: &Streams, found: &PhraseSet) -> Vec<(u128, u64)> {
        let mut maps: Vec<FxHashMap<u128, u64>> =
            (0..PARTITIONS).map(|_| FxHashMap::default()).collect();
        // A worker's map and buffers serve every chunk it takes; a chunk's counts leave it
        // as one list ordered by partition, with where each partition starts.
        let buffers = || {
            let map: FxHashMap<u128, u64> = FxHashMap::default();
            (map, Vec::new(), Vec::new(), Vec::new())
        };
        streams.for_each_batch(|chunks| {
            for batch in chunks.chunks(COUNT_BATCH) {
                let per_chunk: Vec<ByPartition> = batch
                    .par_iter()
                    .map_init(buffers, |(local, st, occ, at), chunk| {
                        for toks in chunk {
                            found.find(toks, st, occ);
                            self.positions(toks, occ, at);
                            for &i in at.iter() {
                                let Some(end) = span(toks, i, self.n, self.max_words) else {
                                    continue;
                                };
                                if let Some(key) = self.wanted(toks, st, i, end) {
                                    *local.entry(key).or_default() += 1;
                                }
                            }
                        }
                        by_partition(local)
                    })
                    .collect();
                maps.par_iter_mut().enumerate().for_each(|(p, map)| {
                    for (counts, starts) in &per_chunk {
                        for &(k, c) in &counts[starts[p]..starts[p + 1]] {
                            *map.entry(k).or_default() += c;
                        }
                    }
                });
            }
        });
        maps.into_par_iter()
            .flat_map_iter(|m| m.into_iter())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npmi_by_hand() {
        let cfg = PhrasesConfig::default();
        // p(a) = p(b) = p(ab) = 1/100: always together, NPMI 1.
        assert!((score(&cfg, 1, 1, 1, 100, 0) - 1.0).abs() < 1e-12);
        // Independent: p(ab) = p(a) p(b) gives 0.
        assert!(score(&cfg, 1, 10, 10, 100, 0).abs() < 1e-12);
        // ln(0.01 / (0.1 * 0.05)) / -ln(0.01) = ln 2 / ln 100.
        let s = score(&cfg, 1, 10, 5, 100, 0);
        assert!((s - 2f64.ln() / 100f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn gensim_default_score_by_hand() {
        let cfg = PhrasesConfig {
            scorer: PhraseScorer::Default,
            min_count: 5,
            ..PhrasesConfig::default()
        };
        // (20 − 5) / (30 × 40) × 1000 = 12.5
        assert!((score(&cfg, 20, 30, 40, 0, 1000) - 12.5).abs() < 1e-12);
    }

    fn phrase(slots: &[u32]) -> Phrase {
        Phrase {
            key: pack(slots.iter().copied()),
            count: 1,
            score: 1.0,
            learnt: true,
        }
    }

    /// A walk goes on through a beginning that is no phrase ("made in"), stops where no phrase
    /// goes on, and finds overlapping phrases each where it starts.
    #[test]
    fn find_walks_through_beginnings_that_are_no_phrase() {
        let of = CONNECTOR_SLOT;
        // made china (never in the text) · china 2025 · made of china 2025
        let set = PhraseSet::new(
            vec![phrase(&[1, 2]), phrase(&[3, 4]), phrase(&[1, of, 3, 4])],
            4,
        );
        let toks: Vec<Token> = [1, of, 3, 4, 1, 5, 3, 4].map(Token).to_vec();
        let (mut starts, mut occ) = (Vec::new(), Vec::new());
        set.find(&toks, &mut starts, &mut occ);
        let found: Vec<(u32, u32)> = occ.iter().map(|o| (o.start, o.phrase)).collect();
        assert_eq!(found, [(0, 2), (2, 1), (6, 1)]);
        assert_eq!(starts, [1 << 3, 0, 1 << 2, 0, 0, 0, 1 << 2, 0]);
        // The beginning [made of china] is looked up, but is no phrase.
        assert_eq!(set.number(pack([1, of, 3])), None);
        assert_eq!(set.number(pack([1, of, 3, 4])), Some(2));
    }
}
