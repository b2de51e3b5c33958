//! What tokenize learns from a whole corpus ([`super::learn`]), kept so that any shard of that corpus is read into
//! the same terms: the stems behind the phrase keys, the pairs of words that fold into one, the
//! phrases, and the term ids.
//!
//! Every decision of tokenize that looks across documents (which written pairs fold, which runs
//! of words are phrases, which keys are terms) is made once, on the whole corpus. After that a
//! passage's bag depends only on its own words and on this: [`Learnt::apply_to`] numbers a
//! shard's stems as the corpus numbered them, so that its token streams, its phrases and its
//! bags are the corpus' own, term id for term id.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::learn::Decisions;
use super::phrases::{Phrase, PhraseSet};
use super::streams::{Classes, Lookups};
use super::terms::TermKeys;
use crate::artifacts::{TermId, Vocabulary};
use crate::text::Analyzer;

/// What tokenize learnt from a corpus ([`super::tokenize_learning`]), and applies to a shard of
/// it ([`super::tokenize_shard`]): the decisions of [`super::learn`], by strings rather than the
/// corpus' own ids, and the vocabulary that applying them to the whole corpus made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Learnt {
    /// Stems, by stem id: the slots of the phrase keys.
    stems: Vec<String>,
    /// Pairs of lower-case content words read as one word: first, second, joined.
    folds: Vec<(String, String, String)>,
    /// The phrases, by phrase number.
    phrases: Vec<LearntPhrase>,
    /// The most words a phrase may hold.
    max_words: usize,
    /// Each term's key string and key (a stem id, or the number of stems plus a phrase
    /// number), in term id order.
    kept: Vec<(String, usize)>,
    /// The vocabulary of the whole corpus, with its counts.
    pub vocabulary: Vocabulary,
}

/// A phrase as kept: its key in two halves (JSON has no 128-bit numbers) and its score's bits
/// (JSON has no NaN, and an asked phrase's score is NaN).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(super) struct LearntPhrase {
    key: [u64; 2],
    count: u64,
    score_bits: u64,
    learnt: bool,
}

impl LearntPhrase {
    pub(super) fn of(p: &Phrase) -> LearntPhrase {
        LearntPhrase {
            key: [(p.key >> 64) as u64, p.key as u64],
            count: p.count,
            score_bits: p.score.to_bits(),
            learnt: p.learnt,
        }
    }

    pub(super) fn phrase(&self) -> Phrase {
        Phrase {
            key: (self.key[0] as u128) << 64 | self.key[1] as u128,
            count: self.count,
            score: f64::from_bits(self.score_bits),
            learnt: self.learnt,
        }
    }
}

impl Learnt {
    /// Keeps what a tokenize of a whole corpus decided, and the vocabulary it made.
    pub(super) fn keep(decisions: Decisions, max_words: usize, vocabulary: &Vocabulary) -> Learnt {
        let Decisions {
            classes,
            fold_to,
            found,
            keys,
            ..
        } = decisions;
        let lower = |l: u32| classes.lowers[l as usize].clone();
        let mut folds: Vec<(String, String, String)> = fold_to
            .iter()
            .map(|(&(a, b), &j)| (lower(a), lower(b), lower(j)))
            .collect();
        folds.sort_unstable();
        Learnt {
            phrases: found.phrases.iter().map(LearntPhrase::of).collect(),
            stems: classes.stems,
            folds,
            max_words,
            kept: keys.kept,
            vocabulary: vocabulary.clone(),
        }
    }

    /// Numbers a shard's stems as the corpus numbered them, and gives the shard's folds in its
    /// own lower-case ids (a joined form the shard never writes is added to its lower-case
    /// forms). Fails on a stem the corpus never had: the shard is not part of the corpus this
    /// was learnt from.
    pub(super) fn apply_to(
        &self,
        classes: &mut Classes,
        lookups: &Lookups,
        analyzer: &Analyzer,
    ) -> std::io::Result<FxHashMap<(u32, u32), u32>> {
        let stem_id: FxHashMap<&str, u32> = self
            .stems
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let global = |s: &str| -> std::io::Result<u32> {
            stem_id.get(s).copied().ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the word stem {s:?} does not occur in the corpus the vocabulary was \
                         learnt from"
                    ),
                )
            })
        };
        let renumber: Vec<u32> = classes
            .stems
            .iter()
            .map(|s| global(s))
            .collect::<std::io::Result<_>>()?;
        for s in &mut classes.lower_stem {
            *s = renumber[*s as usize];
        }
        classes.stems = self.stems.clone();

        // Every joined form gets a lower-case id first: a shard may never write one, and a
        // joined form can itself start a fold ("organi za tion": "organiza", then
        // "organization").
        let mut added: FxHashMap<&str, u32> = FxHashMap::default();
        for (_, _, joined) in &self.folds {
            if lookups.lower_ids.contains_key(joined) || added.contains_key(joined.as_str()) {
                continue;
            }
            added.insert(joined, classes.lowers.len() as u32);
            classes.lowers.push(joined.clone());
            classes.lower_stem.push(global(&analyzer.stem(joined))?);
        }
        let id = |l: &str| lookups.lower_ids.get(l).or(added.get(l)).copied();
        let mut fold_to = FxHashMap::default();
        for (a, b, joined) in &self.folds {
            if let (Some(a), Some(b), Some(j)) = (id(a), id(b), id(joined)) {
                fold_to.insert((a, b), j);
            }
        }
        Ok(fold_to)
    }

    /// Each term's key string and key, in term id order.
    pub fn kept(&self) -> &[(String, usize)] {
        &self.kept
    }

    /// Whether every number stands for something this holds: each kept key names a stem or a
    /// phrase, each term of the vocabulary has its key, and a phrase has no more words than
    /// the phrases may. A state read from a file is checked before it is used.
    pub fn check(&self) -> Result<(), String> {
        let keys = self.stems.len() + self.phrases.len();
        if let Some((term, (name, key))) =
            self.kept.iter().enumerate().find(|(_, &(_, k))| k >= keys)
        {
            return Err(format!(
                "term {term} ({name:?}) has key {key}, and there are {keys} stems and phrases"
            ));
        }
        let mut seen = vec![false; keys];
        if let Some((_, key)) = self
            .kept
            .iter()
            .find(|&&(_, k)| std::mem::replace(&mut seen[k], true))
        {
            return Err(format!("key {key} is kept twice"));
        }
        if self.kept.len() != self.vocabulary.terms.len() {
            return Err(format!(
                "{} terms kept and {} in the vocabulary",
                self.kept.len(),
                self.vocabulary.terms.len()
            ));
        }
        let terms = self.vocabulary.terms.len();
        if let Some((variant, to)) = self
            .vocabulary
            .folded
            .iter()
            .find(|(_, t)| *t as usize >= terms)
        {
            return Err(format!(
                "the variant {variant:?} is folded into term {to}, of {terms}"
            ));
        }
        if !(2..=4).contains(&self.max_words) {
            return Err(format!("phrases of {} words", self.max_words));
        }
        Ok(())
    }

    /// The phrases, to find in a shard's streams.
    pub(super) fn phrase_set(&self) -> PhraseSet {
        let phrases: Vec<Phrase> = self.phrases.iter().map(LearntPhrase::phrase).collect();
        PhraseSet::new(phrases, self.max_words)
    }

    /// The term ids of the corpus' keys.
    pub(super) fn term_keys(&self) -> TermKeys {
        let n_stems = self.stems.len();
        let mut term_of = vec![TermId::MAX; n_stems + self.phrases.len()];
        for (i, &(_, k)) in self.kept.iter().enumerate() {
            term_of[k] = i as TermId;
        }
        TermKeys {
            kept: self.kept.clone(),
            term_of,
            n_stems,
        }
    }
}
