//! Slot profiles: the words that stand right next to a term, by position. Two terms with alike
//! slot profiles fill the same place in a sentence — "Secretary-General Mr. ___ has", "achieve
//! the ___ by" — which is what a successor does for the term it replaces (paradigmatic
//! similarity, as in the distributional studies of semantic change: Hamilton, Leskovec and
//! Jurafsky 2016, "Diachronic word embeddings reveal statistical laws of semantic change").
//! Co-occurrence in passages ([`super::succession`]'s profiles) says two terms are about the
//! same subject; slots add that one can stand where the other stood.
//!
//! A term's profile counts the two words before and the two after each of its occurrences,
//! keyed by offset (−2, −1, +1, +2), stop words included ("Mr", "the"), across punctuation but
//! not across passages. Each context is weighted by positive pointwise mutual information, its
//! share of the term's slots against the word's share of all words in the passages read, and
//! the profile is L2-normalised. Contexts seen once are left out.
//!
//! Occurrences are found as [`crate::text::find`] finds them, without the
//! spellings folded into a term by `tokenize` (two written words read as one): those are read
//! where they are written as the term.

use serde::{Deserialize, Serialize};

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::shard::Shard;
use crate::artifacts::{Corpus, TermId, Vocabulary};
use crate::text::{Analyzer, WordClass};

/// Passages read per term at most, evenly spaced over its passages in its periods.
const PASSAGES_PER_TERM: usize = 1000;
/// Words each side of an occurrence.
const WIDTH: usize = 2;

/// The thinning's offsets, from each shard's found passages of each of `reads` reads
/// (`found`, shards in corpus order): for each shard, how many of each read's passages come
/// before it, and how many there are in all.
pub fn offsets<'a>(
    reads: usize,
    found: impl IntoIterator<Item = &'a [u64]>,
) -> (Vec<Vec<u64>>, Vec<u64>) {
    let mut before = Vec::new();
    let mut total = vec![0u64; reads];
    for counts in found {
        before.push(total.clone());
        total.iter_mut().zip(counts).for_each(|(t, n)| *t += n);
    }
    (before, total)
}

/// A slot profile: (offset, word) → weight, sorted by key, L2-normalised.
pub type Slots = Vec<((i8, Box<str>), f64)>;

/// Each read's passages in a shard, in order: those holding its term in its periods.
pub fn found(shard: &Shard, reads: &[(TermId, Vec<usize>)]) -> Vec<Vec<u32>> {
    let mut by_term: FxHashMap<TermId, Vec<usize>> = FxHashMap::default();
    for (r, (t, _)) in reads.iter().enumerate() {
        by_term.entry(*t).or_default().push(r);
    }
    let mut found: Vec<Vec<u32>> = vec![Vec::new(); reads.len()];
    for (i, bag) in shard.bags.iter().enumerate() {
        let p = shard.doc_period[shard.passages.passages[i].doc as usize];
        for &(t, _) in bag {
            if let Some(rs) = by_term.get(&t) {
                for &r in rs {
                    if reads[r].1.contains(&p) {
                        found[r].push(i as u32);
                    }
                }
            }
        }
    }
    found
}

/// A word of a passage as the slots pass reads it: its lower-case form, its key piece's number
/// ([`Pieces`]) and whether a break stands before it.
type Word<'t> = (Cow<'t, str>, Option<u32>, bool);

/// A worker's key pieces (stem or connector) of the lower-case words it has read, each piece
/// numbered once, so that a word's piece is compared and kept as a number.
#[derive(Default)]
struct Pieces {
    of_word: FxHashMap<String, Option<u32>>,
    ids: FxHashMap<String, u32>,
}

impl Pieces {
    /// The number of `lower`'s piece, which `piece` gives the first time the word is read.
    fn of(&mut self, lower: &str, piece: impl FnOnce() -> Option<String>) -> Option<u32> {
        if let Some(&id) = self.of_word.get(lower) {
            return id;
        }
        let id = piece().map(|p| {
            let next = self.ids.len() as u32;
            *self.ids.entry(p).or_insert(next)
        });
        self.of_word.insert(lower.to_string(), id);
        id
    }

    /// The number of the piece `p`, when a word read had it.
    fn id(&self, p: &str) -> Option<u32> {
        self.ids.get(p).copied()
    }
}

/// The slots pass' partial: per read, the words at each offset around its occurrences, and its
/// occurrences; the words of the passages read. Sums of counts: shards merge by addition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SlotCounts {
    slots: FxHashMap<(u32, i8, String), u32>,
    words: FxHashMap<String, u64>,
    occurrences: Vec<u64>,
}

impl SlotCounts {
    /// A shard's counts. A read's passages over the corpus are thinned evenly to
    /// `PASSAGES_PER_TERM`: every `⌈found / PASSAGES_PER_TERM⌉`-th, counted over the whole
    /// corpus, so each shard is told how many of the read's passages come before it (`before`)
    /// and how many there are in all (`found`). `corpus` holds the shard's documents.
    pub fn of(
        corpus: &Corpus,
        shard: &Shard,
        vocab: &Vocabulary,
        reads: &[(TermId, Vec<usize>)],
        (before, found): (&[u64], &[u64]),
    ) -> SlotCounts {
        let passages = shard.passages;
        let mut to_read: Vec<(u32, u32)> = Vec::new();
        for (r, ps) in self::found(shard, reads).iter().enumerate() {
            let step = (found[r] as usize).div_ceil(PASSAGES_PER_TERM).max(1) as u64;
            to_read.extend(
                ps.iter()
                    .enumerate()
                    .filter(|&(k, _)| (before[r] + k as u64).is_multiple_of(step))
                    .map(|(_, &i)| (i, r as u32)),
            );
        }
        to_read.sort_unstable();
        let groups: Vec<&[(u32, u32)]> = to_read.chunk_by(|a, b| a.0 == b.0).collect();

        let analyzer = Analyzer::of(vocab);
        let keys: Vec<Vec<&str>> = reads
            .iter()
            .map(|(t, _)| vocab.terms[*t as usize].key.split(' ').collect())
            .collect();
        // Per worker: the counts, and each lower-case word's key piece, numbered (stemming
        // every word again was most of the cost, and copying its piece for every word most of
        // the rest).
        type Worker = (SlotCounts, Pieces);
        let empty = || -> Worker {
            (
                SlotCounts {
                    occurrences: vec![0; reads.len()],
                    ..Default::default()
                },
                Pieces::default(),
            )
        };
        let (counts, _) = groups
            .par_iter()
            .fold(empty, |(mut acc, mut pieces), group| {
                let passage = &passages.passages[group[0].0 as usize];
                let text =
                    &corpus.documents.get(passage.doc as usize).text()[passage.range.clone()];
                // Each word: its lower-case form, its key piece (stem or connector) and whether
                // a break stands before it.
                let mut seq: Vec<Word> = Vec::new();
                analyzer.scan(text, |_, w, brk| {
                    let lower: Cow<str> =
                        if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_uppercase()) {
                            Cow::Borrowed(w)
                        } else {
                            Cow::Owned(w.to_lowercase())
                        };
                    let piece = pieces.of(&lower, || match analyzer.classify(w) {
                        WordClass::Content(l) => Some(analyzer.stem(&l)),
                        WordClass::Connector(l) => Some(l),
                        WordClass::Other => None,
                    });
                    seq.push((lower, piece, brk));
                });
                for (w, _, _) in &seq {
                    match acc.words.get_mut(w.as_ref()) {
                        Some(n) => *n += 1,
                        None => {
                            acc.words.insert(w.to_string(), 1);
                        }
                    }
                }
                for &(_, r) in group.iter() {
                    let want: Vec<Option<u32>> =
                        keys[r as usize].iter().map(|w| pieces.id(w)).collect();
                    acc.count(r, &want, &seq);
                }
                (acc, pieces)
            })
            .reduce(empty, |(a, _), (b, _)| (a.merge(b), Pieces::default()));
        counts
    }

    /// Counts read `r`'s occurrences in a passage's words (`seq`) and the words around them:
    /// where the words' pieces are `want`'s, in a row, with no break between them (a piece no
    /// word of the worker has had is `None`, and matches nothing).
    fn count(&mut self, r: u32, want: &[Option<u32>], seq: &[Word]) {
        if want.iter().any(Option::is_none) {
            return;
        }
        let mut i = 0;
        while i + want.len() <= seq.len() {
            let fits = want
                .iter()
                .enumerate()
                .all(|(j, w)| seq[i + j].1 == *w && (j == 0 || !seq[i + j].2));
            if !fits {
                i += 1;
                continue;
            }
            let end = i + want.len();
            self.occurrences[r as usize] += 1;
            let from = i.saturating_sub(WIDTH);
            for (k, (word, _, _)) in seq[from..i].iter().enumerate() {
                // Between -WIDTH and -1; a passage's word numbers go past i8's range.
                let offset = ((from + k) as isize - i as isize) as i8;
                *self.slots.entry((r, offset, word.to_string())).or_insert(0) += 1;
            }
            let to = (end + WIDTH).min(seq.len());
            for (k, (word, _, _)) in seq[end..to].iter().enumerate() {
                *self
                    .slots
                    .entry((r, k as i8 + 1, word.to_string()))
                    .or_insert(0) += 1;
            }
            i = end;
        }
    }

    /// The counts of two shards.
    pub fn merge(mut self, other: SlotCounts) -> SlotCounts {
        for (k, n) in other.slots {
            *self.slots.entry(k).or_insert(0) += n;
        }
        for (k, n) in other.words {
            *self.words.entry(k).or_insert(0) += n;
        }
        if self.occurrences.len() < other.occurrences.len() {
            self.occurrences.resize(other.occurrences.len(), 0);
        }
        self.occurrences
            .iter_mut()
            .zip(other.occurrences)
            .for_each(|(x, y)| *x += y);
        self
    }

    /// Each read's slot profile, from the merged counts.
    pub fn profiles(self) -> Vec<Slots> {
        let total: u64 = self.words.values().sum();
        let mut profiles: Vec<Slots> = vec![Vec::new(); self.occurrences.len()];
        for ((r, offset, word), n) in self.slots {
            let occ = self.occurrences[r as usize];
            if n < 2 || occ == 0 {
                continue;
            }
            let base = self.words[&word] as f64 / total as f64;
            let pmi = (n as f64 / occ as f64 / base).ln();
            if pmi > 0.0 {
                profiles[r as usize].push(((offset, word.into_boxed_str()), pmi));
            }
        }
        for p in &mut profiles {
            p.sort_by(|a, b| a.0.cmp(&b.0));
            let norm = p.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
            p.iter_mut().for_each(|x| x.1 /= norm);
        }
        profiles
    }
}

/// The cosine of two slot profiles.
pub fn cosine(a: &Slots, b: &Slots) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::{Passages, Tokens};
    use crate::config::TokenizeConfig;
    use crate::stages::s3_tokenize::tokenize;
    use crate::test_support::corpus_of;
    use crate::text::resolve;

    /// The slot profile of each read: a term, read in the passages of the given periods, over the
    /// corpus as one shard.
    pub fn slot_profiles(
        corpus: &Corpus,
        passages: &Passages,
        tokens: &Tokens,
        doc_period: &[usize],
        reads: &[(TermId, Vec<usize>)],
    ) -> Vec<Slots> {
        let shard = Shard {
            passages,
            bags: &tokens.bags,
            word_counts: &tokens.word_counts,
            assignment: &[],
            doc_period,
            first_doc: 0,
        };
        let found: Vec<u64> = found(&shard, reads)
            .iter()
            .map(|f| f.len() as u64)
            .collect();
        let before = vec![0; reads.len()];
        SlotCounts::of(corpus, &shard, &tokens.vocabulary, reads, (&before, &found)).profiles()
    }

    #[test]
    fn a_successor_fills_the_same_slots_and_a_word_of_the_same_era_does_not() {
        let text = |name: &str| {
            format!(
                "We thank the Secretary-General, Mr. {name}, for his report. Under Mr. {name} \
                 the Organization has grown. Farmers sow wheat in spring and sell wheat \
                 abroad when wheat prices rise. "
            )
            .repeat(5)
        };
        let texts = [text("Waldheim"), text("Cuellar")];
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (corpus, passages) = corpus_of(&refs);
        let tokens = tokenize(&corpus, &passages, &TokenizeConfig::default());
        let term = |q: &str| resolve(&tokens.vocabulary, q).unwrap();
        let reads = [
            (term("Waldheim"), vec![0]),
            (term("Cuellar"), vec![1]),
            (term("wheat"), vec![1]),
            // Not used in the period it is read in: an empty profile.
            (term("Cuellar"), vec![0]),
        ];
        let p = slot_profiles(&corpus, &passages, &tokens, &[0, 1], &reads);
        assert!(cosine(&p[0], &p[1]) > 0.9, "{:?}\n{:?}", p[0], p[1]);
        assert!(cosine(&p[0], &p[2]) < 0.1, "{:?}", p[2]);
        assert!(p[3].is_empty());
        // "Mr." stands right before the name in every occurrence.
        assert!(p[0].iter().any(|((o, w), _)| *o == -1 && &**w == "mr"));
        let norm: f64 = p[0].iter().map(|x| x.1 * x.1).sum();
        assert!((norm - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_corpus_read_in_shards_thins_and_counts_as_the_whole_does() {
        // 2,500 passages holding the name: more than a read takes, so every third is read.
        let words = ["grew", "spoke", "thanked", "left", "stayed"];
        let texts: Vec<String> = (0..2500)
            .map(|i| {
                format!(
                    "Under Mr. Waldheim the {} {}.",
                    words[i % 5],
                    words[i * 7 % 5]
                )
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (corpus, passages) = corpus_of(&refs);
        let tokens = tokenize(&corpus, &passages, &TokenizeConfig::default());
        let reads = [(resolve(&tokens.vocabulary, "Waldheim").unwrap(), vec![0])];
        let doc_period = vec![0; texts.len()];
        let whole = slot_profiles(&corpus, &passages, &tokens, &doc_period, &reads);
        assert!(!whole[0].is_empty());
        let cuts = [0, 700, 701, 1900, 2500];
        let shard_of =
            |a: usize, b: usize| (corpus_of(&refs[a..b]).0, passages.of_documents(a, b).1);
        let shards: Vec<(Corpus, Passages)> =
            cuts.windows(2).map(|w| shard_of(w[0], w[1])).collect();
        let view = |i: usize| Shard {
            passages: &shards[i].1,
            bags: &tokens.bags[cuts[i]..cuts[i + 1]],
            word_counts: &tokens.word_counts[cuts[i]..cuts[i + 1]],
            assignment: &[],
            doc_period: &doc_period[cuts[i]..cuts[i + 1]],
            first_doc: cuts[i] as u64,
        };
        // Each shard's found passages, and the prefix sums the driver sends back.
        let found: Vec<u64> = (0..4)
            .map(|i| found(&view(i), &reads)[0].len() as u64)
            .collect();
        let total = found.iter().sum::<u64>();
        assert_eq!(total, 2500);
        let counts: Vec<SlotCounts> = (0..4)
            .map(|i| {
                let before = found[..i].iter().sum::<u64>();
                let v = view(i);
                SlotCounts::of(
                    &shards[i].0,
                    &v,
                    &tokens.vocabulary,
                    &reads,
                    (&[before], &[total]),
                )
            })
            .collect();
        let merged = counts.into_iter().rev().reduce(SlotCounts::merge).unwrap();
        assert_eq!(merged.occurrences, vec![834]);
        assert_eq!(format!("{:?}", merged.profiles()), format!("{whole:?}"));
    }
}
