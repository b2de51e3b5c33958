//! User synonyms: terms a user declares to be one concept (`data protection = data privacy,
//! information protection`), merged after tokenizing. A merged term keeps the target's surface
//! form (or the user's wording when the target itself never occurs); its variants are listed
//! in the vocabulary's `folded` list, so that queries for them resolve to it.

use std::collections::HashMap;

use crate::artifacts::{Bag, Passages, TermId, Tokens};
use crate::config::SynonymRule;

use super::apply::documents_per_term;
use crate::text::resolve;

/// The term `t` is merged into in the end: its merge chain (a → b → c) followed to its root.
fn root(merge: &HashMap<TermId, TermId>, mut t: TermId) -> TermId {
    while let Some(&next) = merge.get(&t) {
        t = next;
    }
    t
}

/// Merges each rule's variants into its term. Returns the variants that matched no term.
pub fn apply(tokens: &mut Tokens, passages: &Passages, rules: &[SynonymRule]) -> Vec<String> {
    let mut unmatched = Vec::new();
    let mut merge: HashMap<TermId, TermId> = HashMap::new();
    let mut renamed: Vec<(TermId, String)> = Vec::new();
    let mut variants_of: Vec<(String, TermId)> = Vec::new();
    for rule in rules {
        let vocab = &tokens.vocabulary;
        let found: Vec<(String, Option<TermId>)> = rule
            .variants
            .iter()
            .map(|v| (v.clone(), resolve(vocab, v)))
            .collect();
        let target = match resolve(vocab, &rule.term) {
            Some(t) => t,
            None => match found.iter().find_map(|(_, t)| *t) {
                Some(t) => {
                    renamed.push((t, rule.term.clone()));
                    t
                }
                None => {
                    unmatched.extend(rule.variants.iter().cloned());
                    continue;
                }
            },
        };
        for (v, id) in found {
            match id {
                Some(id) if id != target => {
                    // Merges form a forest: the two terms' roots are joined, so rules that name
                    // each other (`data = security`, `security = data`) make one term, never a
                    // cycle.
                    let (from, to) = (root(&merge, id), root(&merge, target));
                    if from != to {
                        merge.insert(from, to);
                    }
                    variants_of.push((v.to_lowercase(), target));
                }
                Some(_) => {}
                None => unmatched.push(v),
            }
        }
    }
    if merge.is_empty() && renamed.is_empty() {
        return unmatched;
    }
    let final_of = |t: TermId| root(&merge, t);
    let vocab = &mut tokens.vocabulary;
    for (t, name) in renamed {
        vocab.terms[t as usize].surface = name;
    }
    // New ids: the merged-away terms leave, the others keep their (key) order.
    let n = vocab.terms.len();
    let mut new_id = vec![u32::MAX; n];
    let mut next = 0;
    for (t, id) in new_id.iter_mut().enumerate() {
        if !merge.contains_key(&(t as TermId)) {
            *id = next;
            next += 1;
        }
    }
    let map = |t: TermId| new_id[final_of(t) as usize];
    tokens.bags = tokens
        .bags
        .iter()
        .map(|bag| {
            let mut b: Bag = bag.iter().map(|&(t, c)| (map(t), c)).collect();
            b.sort_unstable();
            let mut out: Bag = Vec::with_capacity(b.len());
            for (t, c) in b {
                match out.last_mut() {
                    Some((lt, lc)) if *lt == t => *lc += c,
                    _ => out.push((t, c)),
                }
            }
            out
        })
        .collect();
    let mut terms: Vec<crate::artifacts::Term> = Vec::with_capacity(next as usize);
    for (t, term) in vocab.terms.iter().enumerate() {
        if !merge.contains_key(&(t as TermId)) {
            terms.push(term.clone());
        }
    }
    for (t, term) in vocab.terms.iter().enumerate() {
        if merge.contains_key(&(t as TermId)) {
            terms[map(t as TermId) as usize].count += term.count;
        }
    }
    let mut psg = vec![0u32; terms.len()];
    for bag in &tokens.bags {
        for &(t, _) in bag {
            psg[t as usize] += 1;
        }
    }
    let docs = documents_per_term(&passages.document_runs(), &tokens.bags, terms.len());
    for (i, term) in terms.iter_mut().enumerate() {
        term.passages = psg[i];
        term.documents = docs[i];
    }
    let mut folded: Vec<(String, TermId)> = vocab
        .folded
        .iter()
        .map(|(v, t)| (v.clone(), map(*t)))
        .collect();
    folded.extend(variants_of.into_iter().map(|(v, t)| (v, map(t))));
    folded.sort();
    folded.dedup();
    vocab.terms = terms;
    vocab.folded = folded;
    unmatched
}
