//! Tokenize, learnt: every decision that looks across the corpus, made once from its word
//! streams. Which pairs of written words fold into one ([`folds::fold_pairs`]), which runs of
//! words are phrases ([`phrases::learn`], over the token streams the folds give), and which
//! keys are terms, numbered by their sorted key strings ([`terms::number_terms`]). After this a
//! passage's bag depends only on its own words and on what was learnt ([`super::apply`]).

use rustc_hash::{FxHashMap, FxHashSet};

use super::folds;
use super::phrases::{self, PhraseSet};
use super::spill::Spilled;
use super::streams::{Classes, Lookups, Streamed, Streams};
use super::terms::{self, TermKeys};
use super::token::{pack, CONNECTOR_SLOT};
use super::{Read, Staging};
use crate::config::TokenizeConfig;
use crate::text::{Analyzer, WordClass};

/// What was learnt, in the corpus' own numbering: the classes of its written words, the pairs
/// that fold (two lower-case ids, and the one they fold into) and the folds seen, the phrases,
/// and the term ids.
pub(super) struct Decisions {
    pub(super) classes: Classes,
    pub(super) fold_to: FxHashMap<(u32, u32), u32>,
    pub(super) folds: FxHashSet<(u32, u32, u32)>,
    pub(super) found: PhraseSet,
    pub(super) keys: TermKeys,
}

/// D–F. Learns the folds from the word streams `ids`, makes the token streams with them (each
/// written word a fold took is taken off `read`'s counts), and learns the phrases and terms
/// from those streams, which it gives back for the bags ([`super::apply`]).
pub(super) fn learn(
    ids: Spilled,
    read: &mut Read,
    classes: Classes,
    lookups: Lookups,
    analyzer: &Analyzer,
    cfg: &TokenizeConfig,
    staging: Staging,
) -> std::io::Result<(Decisions, Streams)> {
    let connectors = analyzer.connectors();
    let fold_to = folds::fold_pairs(
        &ids,
        &read.word_counts,
        staging.batch,
        &classes,
        &lookups.lower_ids,
        cfg.fold_min_ratio,
    );
    let asked = asked_keys(cfg, analyzer, connectors, &lookups.stem_ids);
    drop(lookups);
    let Streamed {
        streams,
        folds,
        stem_counts,
    } = read.stream(ids, &classes, &fold_to, staging)?;
    let total_words: u64 = read.word_counts.iter().map(|&n| n as u64).sum();
    let found = phrases::learn(&streams, &stem_counts, total_words, &asked, &cfg.phrases);
    let keys = terms::number_terms(&classes, connectors, &found, &stem_counts);
    let decisions = Decisions {
        classes,
        fold_to,
        folds,
        found,
        keys,
    };
    Ok((decisions, streams))
}

/// Keys of the phrases the user asked for (`phrases.include`, and the wordings of synonym
/// rules) that can occur in this corpus: two or more content words, connectors only inside,
/// at most `max_words` words, every stem seen.
pub(super) fn asked_keys(
    cfg: &TokenizeConfig,
    analyzer: &Analyzer,
    connectors: &[String],
    stem_ids: &FxHashMap<String, u32>,
) -> Vec<u128> {
    let wordings = cfg.phrases.include.iter().chain(
        cfg.synonyms
            .iter()
            .flat_map(|r| std::iter::once(&r.term).chain(&r.variants)),
    );
    let mut keys: Vec<u128> = wordings
        .filter_map(|text| {
            let mut slots = Vec::new();
            let mut ok = true;
            let mut first = true;
            analyzer.scan(text, |_, w, brk| {
                ok &= first || !brk;
                first = false;
                match analyzer.classify(w) {
                    WordClass::Content(l) => match stem_ids.get(&analyzer.stem(&l)) {
                        Some(&s) => slots.push(s + 1),
                        None => ok = false,
                    },
                    WordClass::Connector(l) => {
                        let c = connectors.iter().position(|c| *c == l).unwrap_or(0) as u32;
                        slots.push(CONNECTOR_SLOT | c);
                    }
                    WordClass::Other => ok = false,
                }
            });
            let is_content = |s: &u32| s & CONNECTOR_SLOT == 0;
            let fits = slots.len() >= 2
                && slots.len() <= cfg.phrases.max_words
                && slots.first().is_some_and(is_content)
                && slots.last().is_some_and(is_content);
            (ok && fits).then(|| pack(slots))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}
