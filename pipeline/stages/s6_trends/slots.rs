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

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::artifacts::{Corpus, Passages, TermId, Tokens};
use crate::text::{Analyzer, WordClass};

/// Passages read per term at most, evenly spaced over its passages in its periods.
const PASSAGES_PER_TERM: usize = 1000;
/// Words each side of an occurrence.
const WIDTH: usize = 2;

/// A slot profile: (offset, word) → weight, sorted by key, L2-normalised.
pub type Slots = Vec<((i8, Box<str>), f64)>;

/// The slot profile of each read: a term, read in the passages of the given periods.
pub fn slot_profiles(
    corpus: &Corpus,
    passages: &Passages,
    tokens: &Tokens,
    doc_period: &[usize],
    reads: &[(TermId, Vec<usize>)],
) -> Vec<Slots> {
    let vocab = &tokens.vocabulary;
    let period_of = |i: usize| doc_period[passages.passages[i].doc as usize];
    // Each read's passages: those holding its term in its periods, thinned evenly.
    let mut by_term: HashMap<TermId, Vec<usize>> = HashMap::new();
    for (r, (t, _)) in reads.iter().enumerate() {
        by_term.entry(*t).or_default().push(r);
    }
    let mut found: Vec<Vec<u32>> = vec![Vec::new(); reads.len()];
    for (i, bag) in tokens.bags.iter().enumerate() {
        let p = period_of(i);
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
    let mut to_read: Vec<(u32, u32)> = Vec::new();
    for (r, ps) in found.iter().enumerate() {
        let step = ps.len().div_ceil(PASSAGES_PER_TERM).max(1);
        to_read.extend(ps.iter().step_by(step).map(|&i| (i, r as u32)));
    }
    to_read.sort_unstable();
    let groups: Vec<&[(u32, u32)]> = to_read.chunk_by(|a, b| a.0 == b.0).collect();

    let analyzer = Analyzer::of(vocab);
    let keys: Vec<Vec<&str>> = reads
        .iter()
        .map(|(t, _)| vocab.terms[*t as usize].key.split(' ').collect())
        .collect();
    // Per worker: slot counts by (read, offset, word), word counts, occurrences per read, and
    // each lower-case word's key piece (stemming every word again is most of the cost).
    type Counts = (
        FxHashMap<(u32, i8, String), u32>,
        FxHashMap<String, u64>,
        Vec<u64>,
        FxHashMap<String, Option<String>>,
    );
    let empty = || -> Counts {
        (
            FxHashMap::default(),
            FxHashMap::default(),
            vec![0; reads.len()],
            FxHashMap::default(),
        )
    };
    let (slots, words, occurrences, _) = groups
        .par_iter()
        .fold(empty, |mut acc, group| {
            let passage = &passages.passages[group[0].0 as usize];
            let text = &corpus.documents[passage.doc as usize].text[passage.range.clone()];
            // Each word: its lower-case form, its key piece (stem or connector) and whether a
            // break stands before it.
            let mut seq: Vec<(String, Option<String>, bool)> = Vec::new();
            analyzer.scan(text, |_, w, brk| {
                let lower = w.to_lowercase();
                let piece = match acc.3.get(&lower) {
                    Some(p) => p.clone(),
                    None => {
                        let p = match analyzer.classify(w) {
                            WordClass::Content(l) => Some(analyzer.stem(&l)),
                            WordClass::Connector(l) => Some(l),
                            WordClass::Other => None,
                        };
                        acc.3.insert(lower.clone(), p.clone());
                        p
                    }
                };
                seq.push((lower, piece, brk));
            });
            for (w, _, _) in &seq {
                match acc.1.get_mut(w) {
                    Some(n) => *n += 1,
                    None => {
                        acc.1.insert(w.clone(), 1);
                    }
                }
            }
            for &(_, r) in group.iter() {
                let want = &keys[r as usize];
                let mut i = 0;
                while i + want.len() <= seq.len() {
                    let fits = want.iter().enumerate().all(|(j, w)| {
                        seq[i + j].1.as_deref() == Some(*w) && (j == 0 || !seq[i + j].2)
                    });
                    if !fits {
                        i += 1;
                        continue;
                    }
                    let end = i + want.len();
                    acc.2[r as usize] += 1;
                    let from = i.saturating_sub(WIDTH);
                    for (k, (word, _, _)) in seq[from..i].iter().enumerate() {
                        let offset = (from + k) as i8 - i as i8;
                        *acc.0.entry((r, offset, word.clone())).or_insert(0) += 1;
                    }
                    let to = (end + WIDTH).min(seq.len());
                    for (k, (word, _, _)) in seq[end..to].iter().enumerate() {
                        *acc.0.entry((r, k as i8 + 1, word.clone())).or_insert(0) += 1;
                    }
                    i = end;
                }
            }
            acc
        })
        .reduce(empty, |mut a, b| {
            a.3.clear();
            for (k, n) in b.0 {
                *a.0.entry(k).or_insert(0) += n;
            }
            for (k, n) in b.1 {
                *a.1.entry(k).or_insert(0) += n;
            }
            a.2.iter_mut().zip(b.2).for_each(|(x, y)| *x += y);
            a
        });

    let total: u64 = words.values().sum();
    let mut profiles: Vec<Slots> = vec![Vec::new(); reads.len()];
    for ((r, offset, word), n) in slots {
        let occ = occurrences[r as usize];
        if n < 2 || occ == 0 {
            continue;
        }
        let base = words[&word] as f64 / total as f64;
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
    use crate::config::TokenizeConfig;
    use crate::stages::s3_tokenize::tokenize;
    use crate::test_support::corpus_of;
    use crate::text::resolve;

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
}
