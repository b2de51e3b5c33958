//! Tokenize, applied: the token streams read with what was learnt (the phrases and the term
//! ids) into one bag of terms per passage, with what the bags count: each term's occurrences,
//! passages and documents, and the written forms of each phrase. A plain run applies what it
//! learnt to the streams it learnt from; a shard applies a whole corpus' [`super::Learnt`] to
//! its own streams.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::phrases::PhraseSet;
use super::streams::Streams;
use super::terms::TermKeys;
use super::token::pack;
use std::ops::Range;

use crate::artifacts::{Bag, TermId};

/// What applying gives: the bags, and what they count.
pub(super) struct Applied {
    /// Each passage's bag.
    pub(super) bags: Vec<Bag>,
    /// Written forms of each phrase, (phrase, packed surface ids), with their counts: each
    /// once, in no particular order.
    pub(super) phrase_forms: Vec<PhraseForm>,
    /// Occurrences and passages of each term.
    pub(super) stats: Vec<(u64, u32)>,
    /// Documents of each term.
    pub(super) documents: Vec<u32>,
}

/// G–H. Bags the streams with the phrases `found` and the term ids of `keys`, and counts them;
/// `runs` are the passages of each document.
pub(super) fn apply(
    streams: &Streams,
    found: &PhraseSet,
    keys: &TermKeys,
    runs: &[Range<usize>],
) -> Applied {
    let (bags, phrase_forms) = bag_chunks(streams, found, keys);
    let stats = term_stats(&bags, keys.kept.len());
    let documents = documents_per_term(runs, &bags, keys.kept.len());
    Applied {
        bags,
        phrase_forms,
        stats,
        documents,
    }
}

/// A written form of a phrase, (phrase, packed surface ids), with its count.
pub(super) type PhraseForm = ((u32, u128), u64);

/// One chunk's bags, and the written forms of its phrases with their counts, by partition
/// ([`FORM_PARTITIONS`]).
struct ChunkBags {
    bags: Vec<Bag>,
    phrase_forms: Vec<Vec<PhraseForm>>,
}

/// Partitions of the written forms: each batch's chunks' forms are added into them in
/// parallel, a partition each. One map took them all on one core (0.76 s over a gigabyte).
const FORM_PARTITIONS: usize = 64;

fn form_partition(key: &(u32, u128)) -> usize {
    use std::hash::BuildHasher;
    (rustc_hash::FxBuildHasher.hash_one(key) >> 58) as usize % FORM_PARTITIONS
}

/// G. Each passage's bag of terms, and the written forms of each phrase (phrase, packed
/// surface ids) with their counts, from the streams and the phrases found, a batch at a time.
fn bag_chunks(
    streams: &Streams,
    found: &PhraseSet,
    keys: &TermKeys,
) -> (Vec<Bag>, Vec<PhraseForm>) {
    let n_terms = keys.kept.len();
    let phrase_tokens = found.tokens();
    let mut phrase_forms: Vec<FxHashMap<(u32, u128), u64>> =
        (0..FORM_PARTITIONS).map(|_| FxHashMap::default()).collect();
    let mut bags: Vec<Bag> = Vec::new();
    streams.for_each_batch_with_surfaces(|chunks| {
        // A worker's counter (one slot a term, left at zero after every passage) and its
        // buffers serve every chunk it takes.
        let buffers = || {
            let forms: FxHashMap<(u32, u128), u64> = FxHashMap::default();
            (
                vec![0u32; n_terms],
                Vec::new(),
                Vec::new(),
                Vec::new(),
                forms,
            )
        };
        let per_chunk: Vec<ChunkBags> = chunks
            .par_iter()
            .map_init(buffers, |(counter, starts, occ, touched, forms), chunk| {
                let mut bags = Vec::with_capacity(chunk.len());
                for &(toks, surfaces) in chunk {
                    found.find(toks, starts, occ);
                    touched.clear();
                    let mut add = |t: TermId| {
                        if counter[t as usize] == 0 {
                            touched.push(t);
                        }
                        counter[t as usize] += 1;
                    };
                    for t in toks.iter().filter(|t| !t.is_connector()) {
                        add(keys.term_of[t.stem() as usize]);
                    }
                    for o in occ.iter() {
                        add(keys.term_of[keys.n_stems + o.phrase as usize]);
                        let start = o.start as usize;
                        let written = pack(
                            surfaces[start..start + phrase_tokens[o.phrase as usize] as usize]
                                .iter()
                                .map(|&s| s + 1),
                        );
                        *forms.entry((o.phrase, written)).or_default() += 1;
                    }
                    touched.sort_unstable();
                    bags.push(
                        touched
                            .iter()
                            .map(|&t| (t, std::mem::take(&mut counter[t as usize])))
                            .collect(),
                    );
                }
                let mut by_partition = vec![Vec::new(); FORM_PARTITIONS];
                for form in forms.drain() {
                    by_partition[form_partition(&form.0)].push(form);
                }
                ChunkBags {
                    bags,
                    phrase_forms: by_partition,
                }
            })
            .collect();
        phrase_forms
            .par_iter_mut()
            .enumerate()
            .for_each(|(part, forms)| {
                for c in &per_chunk {
                    for &(k, n) in &c.phrase_forms[part] {
                        *forms.entry(k).or_default() += n;
                    }
                }
            });
        for c in per_chunk {
            bags.extend(c.bags);
        }
    });
    let phrase_forms = phrase_forms.into_par_iter().flatten_iter().collect();
    (bags, phrase_forms)
}

/// H. Occurrences and passages of each term.
fn term_stats(bags: &[Bag], n_terms: usize) -> Vec<(u64, u32)> {
    bags.par_iter()
        .fold(
            || vec![(0u64, 0u32); n_terms],
            |mut acc, bag| {
                for &(t, n) in bag {
                    acc[t as usize].0 += n as u64;
                    acc[t as usize].1 += 1;
                }
                acc
            },
        )
        .reduce(
            || vec![(0u64, 0u32); n_terms],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| {
                    x.0 += y.0;
                    x.1 += y.1
                });
                a
            },
        )
}

/// Number of documents each term occurs in.
pub(super) fn documents_per_term(runs: &[Range<usize>], bags: &[Bag], n_terms: usize) -> Vec<u32> {
    runs.par_iter()
        .fold(
            || vec![0u32; n_terms],
            |mut acc, r| {
                let mut ids: Vec<TermId> =
                    bags[r.clone()].iter().flatten().map(|&(t, _)| t).collect();
                ids.sort_unstable();
                ids.dedup();
                for t in ids {
                    acc[t as usize] += 1;
                }
                acc
            },
        )
        .reduce(
            || vec![0u32; n_terms],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        )
}
