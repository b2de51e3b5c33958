//! Terms: a term is a stem or a phrase; its id follows the sorted key strings
//! ([`number_terms`]); each term is shown in its most frequent written form
//! ([`surface_forms`]) and counted ([`term_table`]) once the bags are made
//! ([`super::apply`]).

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::apply::PhraseForm;
use super::phrases::PhraseSet;
use super::streams::{Classes, Written};
use super::token::{slot_kind, unpack, Slot};
use super::BREAK;
use crate::artifacts::{Term, TermId, TermKind};
use crate::text::join_words;

/// The terms: keys sorted, and the term id of each key (a stem's key is its stem id, phrase
/// `p`'s is `n_stems + p`; `TermId::MAX` for a stem whose every occurrence was folded away).
pub(super) struct TermKeys {
    /// `(key string, key)` of each term, in term id order.
    pub(super) kept: Vec<(String, usize)>,
    /// Term id of each key.
    pub(super) term_of: Vec<TermId>,
    /// Stems; keys from here on are phrases.
    pub(super) n_stems: usize,
}

impl TermKeys {
    /// The term of a lower-case content form.
    fn of_lower(&self, classes: &Classes, lower: u32) -> TermId {
        self.term_of[classes.lower_stem[lower as usize] as usize]
    }
}

/// F. Term ids: stems with occurrences and every phrase, ordered by their key strings.
pub(super) fn number_terms(
    classes: &Classes,
    connectors: &[String],
    found: &PhraseSet,
    stem_counts: &[u64],
) -> TermKeys {
    let stems = &classes.stems;
    let n_stems = stems.len();
    let n_keys = n_stems + found.phrases.len();
    let key_name = |k: usize| -> String {
        if k < n_stems {
            return stems[k].clone();
        }
        unpack(found.phrases[k - n_stems].key)
            .into_iter()
            .map(|s| match slot_kind(s) {
                Slot::Stem(s) => stems[s as usize].as_str(),
                Slot::Connector(c) => connectors[c as usize].as_str(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut kept: Vec<(String, usize)> = (0..n_keys)
        .into_par_iter()
        .filter(|&k| k >= n_stems || stem_counts[k] > 0)
        .map(|k| (key_name(k), k))
        .collect();
    kept.par_sort_unstable();
    let mut term_of: Vec<TermId> = vec![TermId::MAX; n_keys];
    for (i, &(_, k)) in kept.iter().enumerate() {
        term_of[k] = i as TermId;
    }
    TermKeys {
        kept,
        term_of,
        n_stems,
    }
}

/// G2. Each term's surface form. Offers are (term, lower-case form, written form, count):
/// every written content word, and every written form of a phrase. The lower-case form with
/// the most occurrences wins (ties: alphabetical); it is shown in its most frequent casing
/// (ties: fewer capitals, then alphabetical).
pub(super) fn surface_forms(
    written: &Written,
    classes: &Classes,
    keys: &TermKeys,
    phrase_forms: &[PhraseForm],
) -> Vec<Option<String>> {
    let text_of_surface = |w: u32| -> &str {
        if w & BREAK != 0 {
            &classes.lowers[(w & !BREAK) as usize]
        } else {
            written.word(w as usize)
        }
    };
    let mut offers: Vec<(TermId, String, String, u64)> = (0..written.len())
        .into_par_iter()
        .filter(|&w| classes.of_word[w].is_content() && written.counts[w] > 0)
        .filter_map(|w| {
            let t = keys.of_lower(classes, classes.of_word[w].lower());
            let form = written.word(w).to_string();
            (t != TermId::MAX).then(|| (t, form.to_lowercase(), form, written.counts[w]))
        })
        .collect();
    // Each phrase form spelled out in parallel (over a gigabyte, a million forms took 0.6 s
    // on one core); the offers are sorted before they are read, so their order is no matter.
    offers.par_extend(phrase_forms.par_iter().map(|&((p, form), n)| {
        let form = join_words(unpack(form).into_iter().map(|w| text_of_surface(w - 1)));
        (
            keys.term_of[keys.n_stems + p as usize],
            form.to_lowercase(),
            form,
            n,
        )
    }));
    best_offers(offers, keys.kept.len())
}

/// Picks each term's surface form from `(term, lower-case form, written form, count)` offers.
fn best_offers(
    mut offers: Vec<(TermId, String, String, u64)>,
    n_terms: usize,
) -> Vec<Option<String>> {
    offers.par_sort_unstable();
    let mut best: Vec<Option<String>> = vec![None; n_terms];
    let mut best_count = vec![0u64; n_terms];
    let mut i = 0;
    while i < offers.len() {
        // One run of offers with the same term and lower-case form.
        let (term, lower) = (offers[i].0, &offers[i].1);
        let mut j = i;
        let mut total = 0;
        let mut cased: Option<&(TermId, String, String, u64)> = None;
        while j < offers.len() && offers[j].0 == term && &offers[j].1 == lower {
            total += offers[j].3;
            let o = &offers[j];
            let better = match cased {
                None => true,
                Some(c) => {
                    o.3 > c.3 || (o.3 == c.3 && (capitals(&o.2), &o.2) < (capitals(&c.2), &c.2))
                }
            };
            if better {
                cased = Some(o);
            }
            j += 1;
        }
        // Runs come in alphabetical order of the lower-case form: only a larger total wins.
        if best[term as usize].is_none() || total > best_count[term as usize] {
            best[term as usize] = cased.map(|c| c.2.clone());
            best_count[term as usize] = total;
        }
        i = j;
    }
    best
}

fn capitals(s: &str) -> usize {
    s.chars().filter(|c| c.is_uppercase()).count()
}

/// The spellings written as two words that were folded into a term ("cyber security" →
/// cybersecurity), sorted.
pub(super) fn folded_spellings(
    folds: &[FxHashSet<(u32, u32, u32)>],
    classes: &Classes,
    keys: &TermKeys,
) -> Vec<(String, TermId)> {
    let mut folded: Vec<(String, TermId)> = folds
        .iter()
        .flatten()
        .filter_map(|&(a, b, j)| {
            let t = keys.of_lower(classes, j);
            (t != TermId::MAX).then(|| {
                (
                    format!(
                        "{} {}",
                        classes.lowers[a as usize], classes.lowers[b as usize]
                    ),
                    t,
                )
            })
        })
        .collect();
    folded.sort();
    folded.dedup();
    folded
}

/// The vocabulary's terms, in id order: key, surface form, kind, phrase score and counts.
pub(super) fn term_table(
    keys: &TermKeys,
    found: &PhraseSet,
    forms: Vec<Option<String>>,
    documents: Vec<u32>,
    stats: Vec<(u64, u32)>,
) -> Vec<Term> {
    let n_stems = keys.n_stems;
    keys.kept
        .iter()
        .map(|(key, k)| (key.clone(), *k))
        .zip(forms)
        .zip(documents)
        .zip(stats)
        .map(|((((key, k), form), documents), (count, passages))| {
            let phrase = (k >= n_stems).then(|| found.phrases[k - n_stems]);
            Term {
                surface: form.unwrap_or_else(|| key.clone()),
                kind: match phrase {
                    None => TermKind::Word,
                    Some(p) if p.learnt => TermKind::Phrase,
                    Some(_) => TermKind::AskedPhrase,
                },
                score: phrase.map(|p| p.score),
                key,
                count,
                documents,
                passages,
            }
        })
        .collect()
}
