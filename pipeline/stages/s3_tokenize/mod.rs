//! Stage 3, tokenize: passages into terms (stems of content words, and two-word terms), with
//! the surface form people see for each.
//!
//! The steps, per passage: Unicode word boundaries (UAX #29); lower-casing with `’` read as
//! `'`; stop words, one-letter words and numbers other than four-digit years are not terms and
//! act as breaks; so does punctuation other than hyphens, apostrophes and slashes, and a blank
//! line. Two content words written apart whose joined form is also a word of the corpus
//! ("cyber security", "cyber-security" where "cybersecurity" occurs) are read as that one
//! word. Each content word becomes its Snowball stem (rust-stemmers); two adjacent content words
//! with no break between them also make a two-word term.
//!
//! Terms are keyed by stems and shown by their most frequent surface form in the corpus.
//! Term ids follow the sorted keys, so nothing here depends on thread count or chunking.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use crate::artifacts::{Bag, Corpus, Passages, Term, TermId, TermKind, Tokens, Vocabulary};
use crate::config::{Language, TokenizeConfig};

pub mod synonyms;
mod words;

pub use words::{scan_words, scan_words_uax29};

/// Passages handled by one task; fixed so that work splits the same way on any machine.
const CHUNK: usize = 256;
/// Flag on a token: a break (stop word, punctuation) stands between it and the token before.
const BREAK: u32 = 1 << 31;
/// A content token that is a fold of two written words: its surface is its lower-case form.
const FOLDED: u32 = u32::MAX;
const BIGRAM_BIT: u64 = 1 << 63;

/// The English stop word list (see `stopwords_en.txt` and the README beside it).
const STOPWORDS_EN: &str = include_str!("stopwords_en.txt");

/// Lower-casing, stop words and stemming for one language.
pub struct Analyzer {
    stemmer: Stemmer,
    stop: HashSet<&'static str>,
}

impl Analyzer {
    /// English: Snowball's English stemmer and stop list.
    pub fn english() -> Analyzer {
        Analyzer::new(Language::English)
    }

    /// The Snowball stemmer of `language` and its stop list: for English the list beside this
    /// file, for the others NLTK's (from the `stopwords` crate). Tamil has no stop list there:
    /// it is stemmed, and no word is a stop word.
    pub fn new(language: Language) -> Analyzer {
        use stopwords::{Language as L, Stopwords, NLTK};
        let (algorithm, list) = match language {
            Language::Arabic => (Algorithm::Arabic, Some(L::Arabic)),
            Language::Danish => (Algorithm::Danish, Some(L::Danish)),
            Language::Dutch => (Algorithm::Dutch, Some(L::Dutch)),
            Language::English => (Algorithm::English, None),
            Language::Finnish => (Algorithm::Finnish, Some(L::Finnish)),
            Language::French => (Algorithm::French, Some(L::French)),
            Language::German => (Algorithm::German, Some(L::German)),
            Language::Greek => (Algorithm::Greek, Some(L::Greek)),
            Language::Hungarian => (Algorithm::Hungarian, Some(L::Hungarian)),
            Language::Italian => (Algorithm::Italian, Some(L::Italian)),
            Language::Norwegian => (Algorithm::Norwegian, Some(L::Norwegian)),
            Language::Portuguese => (Algorithm::Portuguese, Some(L::Portuguese)),
            Language::Romanian => (Algorithm::Romanian, Some(L::Romanian)),
            Language::Russian => (Algorithm::Russian, Some(L::Russian)),
            Language::Spanish => (Algorithm::Spanish, Some(L::Spanish)),
            Language::Swedish => (Algorithm::Swedish, Some(L::Swedish)),
            Language::Tamil => (Algorithm::Tamil, None),
            Language::Turkish => (Algorithm::Turkish, Some(L::Turkish)),
        };
        let stop: HashSet<&'static str> = match (language, list) {
            (Language::English, _) => STOPWORDS_EN
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect(),
            (_, Some(l)) => NLTK::stopwords(l).unwrap_or(&[]).iter().copied().collect(),
            (_, None) => HashSet::new(),
        };
        Analyzer {
            stemmer: Stemmer::create(algorithm),
            stop,
        }
    }

    /// The word's lower-case form if it is a content word (a possible term), else `None`.
    pub fn content_form(&self, word: &str) -> Option<String> {
        let lower: String = word
            .chars()
            .map(|c| if c == '’' { '\'' } else { c })
            .collect::<String>();
        let lower = lower.to_lowercase();
        let chars = lower.chars().count();
        if chars < 2 || self.stop.contains(lower.as_str()) {
            return None;
        }
        let is_year = chars == 4 && lower.bytes().all(|b| b.is_ascii_digit());
        if !(is_year || lower.chars().any(char::is_alphabetic)) {
            return None;
        }
        Some(lower)
    }

    /// The Snowball stem of a lower-case content word.
    pub fn stem(&self, lower: &str) -> String {
        self.stemmer.stem(lower).into_owned()
    }
}

/// A word of one chunk: local id with the [`BREAK`] flag.
struct ChunkWords<'t> {
    words: Vec<&'t str>,
    passages: Vec<Vec<u32>>,
    word_counts: Vec<u32>,
}

/// A content token after folding: cased word id (or [`FOLDED`]) and lower-case id with the
/// [`BREAK`] flag.
#[derive(Clone, Copy)]
struct Content {
    word: u32,
    lower: u32,
}

/// One chunk's content tokens, bags of term keys, and folds seen (two lower-case ids and the
/// one they fold into).
type ChunkContent = (
    Vec<Vec<Content>>,
    Vec<Vec<(u64, u32)>>,
    HashSet<(u32, u32, u32)>,
);

/// Tokenizes every passage.
pub fn tokenize(corpus: &Corpus, passages: &Passages, cfg: &TokenizeConfig) -> Tokens {
    let analyzer = Analyzer::new(cfg.language);
    let idx: Vec<usize> = (0..passages.passages.len()).collect();

    // A. Words per chunk, with chunk-local ids.
    let mut chunks: Vec<ChunkWords> = idx
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut local: HashMap<&str, u32> = HashMap::new();
            let mut words = Vec::new();
            let mut out = Vec::with_capacity(chunk.len());
            let mut word_counts = Vec::with_capacity(chunk.len());
            for &p in chunk {
                let mut toks = Vec::new();
                let n = scan_words(passages.text(corpus, p), |_, w, brk| {
                    let id = *local.entry(w).or_insert_with(|| {
                        words.push(w);
                        (words.len() - 1) as u32
                    });
                    toks.push(id | if brk { BREAK } else { 0 });
                });
                out.push(toks);
                word_counts.push(n);
            }
            ChunkWords {
                words,
                passages: out,
                word_counts,
            }
        })
        .collect();

    // B. Global word ids, in order of first appearance.
    let mut global: HashMap<&str, u32> = HashMap::new();
    let mut words: Vec<&str> = Vec::new();
    let remaps: Vec<Vec<u32>> = chunks
        .iter()
        .map(|c| {
            c.words
                .iter()
                .map(|w| {
                    *global.entry(w).or_insert_with(|| {
                        words.push(w);
                        (words.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    chunks
        .par_iter_mut()
        .zip(remaps.par_iter())
        .for_each(|(c, remap)| {
            for toks in &mut c.passages {
                for t in toks.iter_mut() {
                    *t = remap[(*t & !BREAK) as usize] | (*t & BREAK);
                }
            }
        });
    drop(global);

    // C. Lower-case content forms and their stems.
    let forms: Vec<Option<String>> = words.par_iter().map(|w| analyzer.content_form(w)).collect();
    let mut lower_ids: HashMap<String, u32> = HashMap::new();
    let mut lowers: Vec<String> = Vec::new();
    let word_lower: Vec<u32> = forms
        .into_iter()
        .map(|f| match f {
            None => FOLDED, // not a content word
            Some(l) => *lower_ids.entry(l.clone()).or_insert_with(|| {
                lowers.push(l);
                (lowers.len() - 1) as u32
            }),
        })
        .collect();
    let lower_stem_s: Vec<String> = lowers.par_iter().map(|l| analyzer.stem(l)).collect();
    let mut stem_ids: HashMap<String, u32> = HashMap::new();
    let mut stems: Vec<String> = Vec::new();
    let lower_stem: Vec<u32> = lower_stem_s
        .into_iter()
        .map(|s| {
            *stem_ids.entry(s.clone()).or_insert_with(|| {
                stems.push(s);
                (stems.len() - 1) as u32
            })
        })
        .collect();

    // D0. Fold candidates: two adjacent content words whose concatenation is a word of the
    // corpus. A pair folds only when the closed form is common enough beside it, so that a
    // rare typo ("UnitedNations") cannot swallow a frequent phrase.
    let (lower_counts, pair_counts) = chunks
        .par_iter()
        .fold(
            || (vec![0u64; lowers.len()], HashMap::<(u32, u32), u64>::new()),
            |(mut lc, mut pc), c| {
                let mut buf = String::new();
                for toks in &c.passages {
                    let mut prev: Option<u32> = None;
                    for &t in toks {
                        let lower = word_lower[(t & !BREAK) as usize];
                        if lower == FOLDED {
                            prev = None;
                            continue;
                        }
                        lc[lower as usize] += 1;
                        if let Some(p) = prev.filter(|_| t & BREAK == 0) {
                            buf.clear();
                            buf.push_str(&lowers[p as usize]);
                            buf.push_str(&lowers[lower as usize]);
                            if lower_ids.contains_key(buf.as_str()) {
                                *pc.entry((p, lower)).or_default() += 1;
                            }
                        }
                        prev = Some(lower);
                    }
                }
                (lc, pc)
            },
        )
        .reduce(
            || (vec![0u64; lowers.len()], HashMap::new()),
            |(mut a, pa), (b, pb)| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                (a, merge_counts(pa, pb))
            },
        );
    let fold_to: HashMap<(u32, u32), u32> = pair_counts
        .into_iter()
        .filter_map(|((a, b), n)| {
            let joined =
                lower_ids[format!("{}{}", lowers[a as usize], lowers[b as usize]).as_str()];
            (lower_counts[joined as usize] as f64 >= cfg.fold_min_ratio * n as f64)
                .then_some(((a, b), joined))
        })
        .collect();

    // D. Content tokens with folds, and each passage's bag of keys.
    let bigrams = cfg.bigrams;
    let per_chunk: Vec<ChunkContent> = chunks
        .par_iter()
        .map(|c| {
            let mut folds = HashSet::new();
            let mut contents = Vec::with_capacity(c.passages.len());
            let mut bags = Vec::with_capacity(c.passages.len());
            for toks in &c.passages {
                let mut content: Vec<Content> = Vec::with_capacity(toks.len());
                let mut brk = false;
                for &t in toks {
                    let word = t & !BREAK;
                    brk |= t & BREAK != 0;
                    let lower = word_lower[word as usize];
                    if lower == FOLDED {
                        brk = true;
                        continue;
                    }
                    if let Some(prev) = content.last_mut().filter(|_| !brk) {
                        let pl = prev.lower & !BREAK;
                        if let Some(&joined) = fold_to.get(&(pl, lower)) {
                            folds.insert((pl, lower, joined));
                            prev.word = FOLDED;
                            prev.lower = joined | (prev.lower & BREAK);
                            continue;
                        }
                    }
                    content.push(Content {
                        word,
                        lower: lower | if brk { BREAK } else { 0 },
                    });
                    brk = false;
                }
                let mut keys: Vec<u64> = Vec::with_capacity(content.len() * 2);
                for (i, t) in content.iter().enumerate() {
                    let s = lower_stem[(t.lower & !BREAK) as usize] as u64;
                    keys.push(s);
                    if bigrams && i > 0 && t.lower & BREAK == 0 {
                        let a = lower_stem[(content[i - 1].lower & !BREAK) as usize] as u64;
                        keys.push(BIGRAM_BIT | (a << 31) | s);
                    }
                }
                bags.push(count_sorted(keys));
                contents.push(content);
            }
            (contents, bags, folds)
        })
        .collect();
    let word_counts: Vec<u32> = chunks
        .iter()
        .flat_map(|c| c.word_counts.iter().copied())
        .collect();
    drop(chunks);

    // E. Corpus counts per key; bigrams below the minimum count are dropped.
    let key_stats: HashMap<u64, (u64, u32)> = per_chunk
        .par_iter()
        .fold(
            HashMap::new,
            |mut acc: HashMap<u64, (u64, u32)>, (_, bags, _)| {
                for bag in bags {
                    for &(k, n) in bag {
                        let e = acc.entry(k).or_default();
                        e.0 += n as u64;
                        e.1 += 1;
                    }
                }
                acc
            },
        )
        .reduce(HashMap::new, merge_stats);
    let key_name = |k: u64| -> String {
        if k & BIGRAM_BIT == 0 {
            stems[k as usize].clone()
        } else {
            let a = ((k & !BIGRAM_BIT) >> 31) as usize;
            let b = (k & ((1 << 31) - 1)) as usize;
            format!("{} {}", stems[a], stems[b])
        }
    };
    let mut kept: Vec<(String, u64)> = key_stats
        .iter()
        .filter(|(&k, &(count, _))| k & BIGRAM_BIT == 0 || count >= cfg.min_bigram_count as u64)
        .map(|(&k, _)| (key_name(k), k))
        .collect();
    kept.par_sort_unstable();
    let term_of: HashMap<u64, TermId> = kept
        .iter()
        .enumerate()
        .map(|(i, &(_, k))| (k, i as TermId))
        .collect();

    // F. Surface forms: the most frequent written form of each term.
    let (unigram_forms, bigram_forms) = per_chunk
        .par_iter()
        .fold(
            || (HashMap::new(), HashMap::new()),
            |(mut uni, mut bi): (HashMap<u32, u64>, HashMap<(u32, u32), u64>), (contents, _, _)| {
                for content in contents {
                    for (i, t) in content.iter().enumerate() {
                        if t.word != FOLDED {
                            *uni.entry(t.word).or_default() += 1;
                        }
                        if bigrams && i > 0 && t.lower & BREAK == 0 {
                            let p = content[i - 1];
                            let a = lower_stem[(p.lower & !BREAK) as usize] as u64;
                            let s = lower_stem[(t.lower & !BREAK) as usize] as u64;
                            if term_of.contains_key(&(BIGRAM_BIT | (a << 31) | s)) {
                                let wa = surface_word(p);
                                let wb = surface_word(*t);
                                *bi.entry((wa, wb)).or_default() += 1;
                            }
                        }
                    }
                }
                (uni, bi)
            },
        )
        .reduce(
            || (HashMap::new(), HashMap::new()),
            |(a, b), (c, d)| (merge_counts(a, c), merge_counts(b, d)),
        );

    let lower_of_surface = |w: u32| -> u32 {
        if w & BREAK != 0 {
            w & !BREAK
        } else {
            word_lower[w as usize]
        }
    };
    let text_of_surface = |w: u32| -> &str {
        if w & BREAK != 0 {
            &lowers[(w & !BREAK) as usize]
        } else {
            words[w as usize]
        }
    };
    // Offers: (term, lower-case form, written form, count). The lower-case form with the most
    // occurrences wins (ties: alphabetical); it is shown in its most frequent casing (ties:
    // fewer capitals, then alphabetical).
    let mut offers: Vec<(TermId, String, String, u64)> =
        Vec::with_capacity(unigram_forms.len() + bigram_forms.len());
    for (&w, &n) in &unigram_forms {
        let s = lower_stem[word_lower[w as usize] as usize] as u64;
        if let Some(&t) = term_of.get(&s) {
            let form = words[w as usize].to_string();
            offers.push((t, form.to_lowercase(), form, n));
        }
    }
    for (&(wa, wb), &n) in &bigram_forms {
        let a = lower_stem[lower_of_surface(wa) as usize] as u64;
        let s = lower_stem[lower_of_surface(wb) as usize] as u64;
        if let Some(&t) = term_of.get(&(BIGRAM_BIT | (a << 31) | s)) {
            let form = format!("{} {}", text_of_surface(wa), text_of_surface(wb));
            offers.push((t, form.to_lowercase(), form, n));
        }
    }
    let best = surface_forms(offers, kept.len());

    // G. Bags by term id; documents per term.
    let bags: Vec<Bag> = per_chunk
        .par_iter()
        .flat_map_iter(|(_, bags, _)| bags.iter())
        .map(|bag| {
            let mut b: Bag = bag
                .iter()
                .filter_map(|(k, n)| term_of.get(k).map(|&t| (t, *n)))
                .collect();
            b.sort_unstable();
            b
        })
        .collect();
    let documents = documents_per_term(passages, &bags, kept.len());

    let mut folded: Vec<(String, TermId)> = per_chunk
        .iter()
        .flat_map(|(_, _, f)| f.iter())
        .filter_map(|&(a, b, j)| {
            let t = *term_of.get(&(lower_stem[j as usize] as u64))?;
            Some((format!("{} {}", lowers[a as usize], lowers[b as usize]), t))
        })
        .collect();
    folded.sort();
    folded.dedup();

    let terms: Vec<Term> = kept
        .into_iter()
        .zip(best)
        .zip(documents)
        .map(|(((key, k), form), documents)| {
            let (count, passages) = key_stats[&k];
            Term {
                surface: form.unwrap_or_else(|| key.clone()),
                kind: if k & BIGRAM_BIT == 0 {
                    TermKind::Unigram
                } else {
                    TermKind::Bigram
                },
                key,
                count,
                documents,
                passages,
            }
        })
        .collect();
    let mut tokens = Tokens {
        vocabulary: Vocabulary {
            terms,
            folded,
            language: cfg.language,
        },
        bags,
        word_counts,
        unmatched_synonyms: Vec::new(),
    };
    tokens.unmatched_synonyms = synonyms::apply(&mut tokens, passages, &cfg.synonyms);
    tokens
}

/// The surface id of a content token: the cased word id, or for a fold the lower-case id with
/// the [`BREAK`] bit as a marker.
fn surface_word(t: Content) -> u32 {
    if t.word == FOLDED {
        (t.lower & !BREAK) | BREAK
    } else {
        t.word
    }
}

/// Picks each term's surface form from `(term, lower-case form, written form, count)` offers.
fn surface_forms(
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

fn count_sorted(mut keys: Vec<u64>) -> Vec<(u64, u32)> {
    keys.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::new();
    for k in keys {
        match out.last_mut() {
            Some((last, n)) if *last == k => *n += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

fn merge_stats(
    mut a: HashMap<u64, (u64, u32)>,
    b: HashMap<u64, (u64, u32)>,
) -> HashMap<u64, (u64, u32)> {
    if a.len() < b.len() {
        return merge_stats(b, a);
    }
    for (k, (c, p)) in b {
        let e = a.entry(k).or_default();
        e.0 += c;
        e.1 += p;
    }
    a
}

fn merge_counts<K: std::hash::Hash + Eq>(
    mut a: HashMap<K, u64>,
    b: HashMap<K, u64>,
) -> HashMap<K, u64> {
    if a.len() < b.len() {
        return merge_counts(b, a);
    }
    for (k, n) in b {
        *a.entry(k).or_default() += n;
    }
    a
}

/// Number of documents each term occurs in.
fn documents_per_term(passages: &Passages, bags: &[Bag], n_terms: usize) -> Vec<u32> {
    passages
        .document_runs()
        .par_iter()
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

/// Resolves a user's term ("Data Security", "cyber-security") to a vocabulary term, using the
/// same analysis as the corpus: one content word is a unigram; two are a two-word term, or the
/// one word they fold into when that is a term.
pub fn resolve(vocabulary: &Vocabulary, query: &str) -> Option<TermId> {
    // A spelling or synonym the corpus folded into a term.
    let mut words: Vec<String> = Vec::new();
    scan_words(query, |_, w, _| {
        words.push(w.replace('’', "'").to_lowercase())
    });
    let spelled = words.join(" ");
    if let Some((_, t)) = vocabulary.folded.iter().find(|(v, _)| *v == spelled) {
        return Some(*t);
    }
    let analyzer = Analyzer::new(vocabulary.language);
    let mut forms = Vec::new();
    let mut broken = false;
    scan_words(query, |_, w, brk| {
        broken |= brk && !forms.is_empty();
        match analyzer.content_form(w) {
            Some(l) => forms.push(l),
            None => broken = true,
        }
    });
    if broken {
        return None;
    }
    match forms.as_slice() {
        [one] => vocabulary.id_of_key(&analyzer.stem(one)),
        [a, b] => {
            let closed = vocabulary.id_of_key(&analyzer.stem(&format!("{a}{b}")));
            let pair = vocabulary.id_of_key(&format!("{} {}", analyzer.stem(a), analyzer.stem(b)));
            let variant = format!("{a} {b}");
            let was_folded = |t: TermId| {
                vocabulary
                    .folded
                    .iter()
                    .any(|(v, id)| *id == t && *v == variant)
            };
            match (closed, pair) {
                // The corpus folded this pair (or never wrote it apart): the closed form.
                (Some(c), _) if was_folded(c) => Some(c),
                (Some(c), None) => Some(c),
                (_, pair) => pair,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::corpus_of;

    fn count_of(tokens: &Tokens, surface: &str) -> u64 {
        let id =
            resolve(&tokens.vocabulary, surface).unwrap_or_else(|| panic!("no term {surface}"));
        tokens.vocabulary.terms[id as usize].count
    }

    #[test]
    fn stems_and_surface_forms() {
        let (c, p) = corpus_of(&[
            "Data security matters. The data securities law.",
            "data security, data SECURITY",
        ]);
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        let id = resolve(&t.vocabulary, "data security").unwrap();
        let term = &t.vocabulary.terms[id as usize];
        assert_eq!(term.count, 4);
        assert_eq!(term.surface, "data security");
        assert_eq!(term.documents, 2);
        assert_eq!(term.passages, 2);
        assert!(t.vocabulary.terms.iter().all(|t| t.surface != "data secur"));
    }

    /// Keeps every two-word term, however rare, so that small texts show them.
    fn every_bigram() -> TokenizeConfig {
        TokenizeConfig {
            min_bigram_count: 1,
            ..TokenizeConfig::default()
        }
    }

    #[test]
    fn stop_words_and_punctuation_break_bigrams() {
        let (c, p) = corpus_of(&["security of data. Data, security; data security data security"]);
        let t = tokenize(&c, &p, &every_bigram());
        assert_eq!(count_of(&t, "data security"), 2);
        assert_eq!(count_of(&t, "security data"), 1);
        assert_eq!(resolve(&t.vocabulary, "security of data"), None);
    }

    #[test]
    fn spelling_variants_fold_into_the_closed_form() {
        let (c, p) = corpus_of(&[
            "Cybersecurity rules. cyber security and cyber-security.",
            "Cyber Security law",
        ]);
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        assert_eq!(count_of(&t, "cybersecurity"), 4);
        assert_eq!(count_of(&t, "cyber security"), 4);
        assert_eq!(count_of(&t, "cyber-security"), 4);
        // Every "security" here was part of a variant: none is left as a word of its own.
        assert_eq!(resolve(&t.vocabulary, "security"), None);
        assert!(t
            .vocabulary
            .folded
            .iter()
            .any(|(v, _)| v == "cyber security"));
    }

    #[test]
    fn a_rare_closed_form_does_not_swallow_a_common_phrase() {
        let mut texts = vec!["The UnitedNations once."];
        texts.extend(std::iter::repeat_n("The United Nations met.", 20));
        let (c, p) = corpus_of(&texts);
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        assert_eq!(count_of(&t, "united nations"), 20);
        assert_eq!(count_of(&t, "unitednations"), 1);
        assert!(t.vocabulary.folded.is_empty());
    }

    #[test]
    fn the_language_decides_stems_and_stop_words() {
        let (c, p) =
            corpus_of(&["La sécurité des données. Les données personnelles et la sécurité."]);
        let cfg = TokenizeConfig {
            language: Language::French,
            ..TokenizeConfig::default()
        };
        let t = tokenize(&c, &p, &cfg);
        assert_eq!(count_of(&t, "données"), 2);
        assert_eq!(count_of(&t, "sécurité"), 2);
        assert_eq!(
            count_of(&t, "donnée"),
            2,
            "a query is stemmed in the corpus' language"
        );
        assert_eq!(
            resolve(&t.vocabulary, "des"),
            None,
            "a French stop word is no term"
        );
        // In English, "la" and "des" are words like any other.
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        assert!(resolve(&t.vocabulary, "des").is_some());
    }

    #[test]
    fn synonyms_merge_terms_and_queries_follow() {
        let (c, p) = corpus_of(&[
            "Data privacy matters. Data protection too.",
            "data privacy rules and data protection",
        ]);
        let rules = vec![crate::config::SynonymRule {
            term: "data protection".into(),
            variants: vec!["data privacy".into(), "no such words".into()],
        }];
        let cfg = TokenizeConfig {
            synonyms: rules,
            ..TokenizeConfig::default()
        };
        let t = tokenize(&c, &p, &cfg);
        let id = resolve(&t.vocabulary, "data protection").unwrap();
        assert_eq!(t.vocabulary.terms[id as usize].count, 4);
        assert_eq!(t.vocabulary.terms[id as usize].documents, 2);
        assert_eq!(resolve(&t.vocabulary, "Data Privacy"), Some(id));
        assert_eq!(t.unmatched_synonyms, vec!["no such words".to_string()]);
        assert!(t
            .bags
            .iter()
            .flatten()
            .all(|&(term, _)| (term as usize) < t.vocabulary.terms.len()));
        // Keys stay sorted, so look-ups by key still work.
        assert!(t.vocabulary.terms.windows(2).all(|w| w[0].key < w[1].key));
    }

    #[test]
    fn a_blank_line_breaks_two_word_terms() {
        let (c, p) =
            corpus_of(&["national security\n\ndata policy, national security\ndata policy"]);
        let t = tokenize(&c, &p, &every_bigram());
        // Across a line feed the words still pair ("security data" once), never across a blank line.
        assert_eq!(count_of(&t, "security data"), 1);
        assert_eq!(count_of(&t, "national security"), 2);
    }

    #[test]
    fn word_counts_include_stop_words() {
        let (c, p) = corpus_of(&["The data of the state, 2025 and 12 items."]);
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        assert_eq!(t.word_counts, vec![9]);
        assert!(resolve(&t.vocabulary, "2025").is_some());
        assert!(resolve(&t.vocabulary, "12").is_none());
    }

    #[test]
    fn same_result_for_any_thread_count() {
        let texts: Vec<String> = (0..600)
            .map(|i| format!("word{} data security policy {} network", i % 37, i % 11))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (c, p) = corpus_of(&refs);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let a = one.install(|| tokenize(&c, &p, &TokenizeConfig::default()));
        let b = two.install(|| tokenize(&c, &p, &TokenizeConfig::default()));
        assert_eq!(a.vocabulary.terms, b.vocabulary.terms);
        assert_eq!(a.bags, b.bags);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any Unicode text tokenizes without panic, the same way twice, with non-empty terms
        /// and bags that only name terms of the vocabulary.
        #[test]
        fn arbitrary_text_is_deterministic_and_well_formed(texts in proptest::collection::vec("\\PC{0,120}", 1..6)) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let (c, p) = crate::test_support::corpus_of(&refs);
            let a = tokenize(&c, &p, &TokenizeConfig::default());
            let b = tokenize(&c, &p, &TokenizeConfig::default());
            prop_assert_eq!(&a.vocabulary.terms, &b.vocabulary.terms);
            prop_assert_eq!(&a.bags, &b.bags);
            for t in &a.vocabulary.terms {
                prop_assert!(!t.surface.trim().is_empty() && t.count > 0);
            }
            for bag in &a.bags {
                prop_assert!(bag.iter().all(|&(t, n)| (t as usize) < a.vocabulary.terms.len() && n > 0));
                prop_assert!(bag.windows(2).all(|w| w[0].0 < w[1].0));
            }
        }
    }
}
