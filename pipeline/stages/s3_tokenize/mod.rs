//! Stage 3, tokenize: passages into terms (stems of content words, and phrases learnt from the
//! corpus), with the surface form people see for each.
//!
//! The steps, per passage: Unicode word boundaries (UAX #29, [`scan_words`]); lower-casing with
//! `’` read as `'`; stop words, one-letter words and numbers other than four-digit years are not
//! terms. Connector words ("of", "and"; see [`crate::config::PhrasesConfig`]) may stand inside
//! a phrase; other stop words, punctuation other than hyphens, apostrophes and slashes, and a
//! blank line are breaks. Two content words written apart whose joined form is also a word of
//! the corpus ("cyber security", "cyber-security" where "cybersecurity" occurs) are read as
//! that one word. Each content word becomes its Snowball stem (rust-stemmers; with stemming off,
//! the word itself, an English possessive read as its noun); phrases of two
//! to four words are learnt by collocation statistics ([`phrases`]).
//!
//! Terms are keyed by stems and shown by their most frequent surface form in the corpus.
//! Term ids follow the sorted keys, so nothing here depends on thread count or chunking.

use std::collections::HashSet;

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::artifacts::{Bag, Corpus, Passages, Term, TermId, TermKind, Tokens, Vocabulary};
use crate::config::{Language, TokenizeConfig};

mod markup;
mod phrases;
pub mod synonyms;
mod words;

pub use words::{scan_words, scan_words_uax29};

/// Passages handled by one task; fixed so that work splits the same way on any machine.
const CHUNK: usize = 256;
/// Flag on a token: a break (stop word, punctuation) stands between it and the token before.
const BREAK: u32 = 1 << 31;
/// Flag on a lower-case id: the token is a connector word, the rest is its connector index.
const CONNECTOR: u32 = 1 << 30;
/// Class of a word that is neither a content word nor a connector: it acts as a break.
const NOT_A_TERM: u32 = u32::MAX;
/// A content token that is a fold of two written words: its surface is its lower-case form.
const FOLDED: u32 = u32::MAX;

/// The English stop word list (see `stopwords_en.txt` and the README beside it).
const STOPWORDS_EN: &str = include_str!("stopwords_en.txt");

/// What a word is to the tokenizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordClass {
    /// A content word, by its lower-case form: a term of its own.
    Content(String),
    /// A connector word, lower-case: allowed inside phrases.
    Connector(String),
    /// Anything else: a stop word, a one-letter word, a number.
    Other,
}

/// Lower-casing, stop words, connector words and stemming for one language.
pub struct Analyzer {
    /// `None` when stemming is off: a term is then its lower-case form.
    stemmer: Option<Stemmer>,
    /// English: without stemming, a possessive is read as its noun (see [`Analyzer::stem`]).
    possessives: bool,
    stop: HashSet<String>,
    connectors: Vec<String>,
}

impl Analyzer {
    /// English: Snowball's English stemmer and stop list, gensim's connector words.
    pub fn english() -> Analyzer {
        let c = crate::config::PhrasesConfig::default().connectors(Language::English);
        Analyzer::new(Language::English, c)
    }

    /// The Snowball stemmer of `language` and its stop list (see [`default_stop_words`]).
    /// `connectors` are lower-case.
    pub fn new(language: Language, connectors: Vec<String>) -> Analyzer {
        Analyzer::with(language, connectors, default_stop_words(language), true)
    }

    /// The analyzer a tokenize configuration asks for: its language, its stop list (the
    /// language's unless `stop_words` replaces it, plus `extra_stop_words`), stemming on or off.
    pub fn configured(cfg: &TokenizeConfig) -> Analyzer {
        let mut stop = cfg
            .stop_words
            .clone()
            .unwrap_or_else(|| default_stop_words(cfg.language));
        stop.extend(cfg.extra_stop_words.iter().cloned());
        Analyzer::with(
            cfg.language,
            cfg.phrases.connectors(cfg.language),
            stop,
            cfg.stem,
        )
    }

    fn with(
        language: Language,
        connectors: Vec<String>,
        stop: Vec<String>,
        stem: bool,
    ) -> Analyzer {
        Analyzer {
            stemmer: stem.then(|| Stemmer::create(algorithm(language))),
            possessives: language == Language::English,
            stop: stop.iter().map(|w| normalize_case(w)).collect(),
            connectors,
        }
    }

    /// The analyzer a vocabulary's terms were made with (for reading queries).
    pub fn of(vocabulary: &Vocabulary) -> Analyzer {
        Analyzer::with(
            vocabulary.language,
            vocabulary.connectors.clone(),
            vocabulary.stop_words.clone(),
            vocabulary.stemmed,
        )
    }

    /// The stop words, sorted.
    pub fn stop_words(&self) -> Vec<String> {
        let mut words: Vec<String> = self.stop.iter().cloned().collect();
        words.sort();
        words
    }

    /// Whether words are stemmed.
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// Whether the word is a content word, a connector or neither.
    pub fn classify(&self, word: &str) -> WordClass {
        let lower = normalize_case(word);
        let chars = lower.chars().count();
        if self.connectors.contains(&lower) {
            return WordClass::Connector(lower);
        }
        if chars < 2 || self.stop.contains(lower.as_str()) {
            return WordClass::Other;
        }
        let is_year = chars == 4 && lower.bytes().all(|b| b.is_ascii_digit());
        if !(is_year || lower.chars().any(char::is_alphabetic)) {
            return WordClass::Other;
        }
        WordClass::Content(lower)
    }

    /// The word's lower-case form if it is a content word (a possible term), else `None`.
    pub fn content_form(&self, word: &str) -> Option<String> {
        match self.classify(word) {
            WordClass::Content(l) => Some(l),
            _ => None,
        }
    }

    /// The Snowball stem of a lower-case content word. When stemming is off, the word itself,
    /// except that in English a possessive ending goes as it does in Snowball's first step
    /// ("government's" and "governments'" are read as "government" and "governments"), so a
    /// noun is one term whether or not it is written possessive.
    pub fn stem(&self, lower: &str) -> String {
        match &self.stemmer {
            Some(s) => s.stem(lower).into_owned(),
            None if self.possessives => {
                let bare = lower
                    .strip_suffix("'s")
                    .or_else(|| lower.strip_suffix('\''))
                    .unwrap_or(lower);
                if bare.is_empty() { lower } else { bare }.to_string()
            }
            None => lower.to_string(),
        }
    }
}

/// Lower case, with typographic apostrophes as ASCII ones.
fn normalize_case(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.replace('’', "'").to_lowercase()
    }
}

/// The Snowball algorithm of a language.
fn algorithm(language: Language) -> Algorithm {
    match language {
        Language::Arabic => Algorithm::Arabic,
        Language::Danish => Algorithm::Danish,
        Language::Dutch => Algorithm::Dutch,
        Language::English => Algorithm::English,
        Language::Finnish => Algorithm::Finnish,
        Language::French => Algorithm::French,
        Language::German => Algorithm::German,
        Language::Greek => Algorithm::Greek,
        Language::Hungarian => Algorithm::Hungarian,
        Language::Italian => Algorithm::Italian,
        Language::Norwegian => Algorithm::Norwegian,
        Language::Portuguese => Algorithm::Portuguese,
        Language::Romanian => Algorithm::Romanian,
        Language::Russian => Algorithm::Russian,
        Language::Spanish => Algorithm::Spanish,
        Language::Swedish => Algorithm::Swedish,
        Language::Tamil => Algorithm::Tamil,
        Language::Turkish => Algorithm::Turkish,
    }
}

/// Whether a term is number or calendar furniture in its corpus' language: a number word
/// ("forty", "fortieth", "hundred"), a calendar word ("June", "Monday"), a year on its own
/// ("1983"; "2030 Agenda" is a phrase and stays), or a phrase holding a number word or an
/// ordinal with digits ("fortieth session", "seventh special session", "22nd plenary
/// meeting"). Such terms rise and fall with session numbers, anniversaries and dates, not with
/// what a corpus talks about, so trends leave them out of bursts, shifts and successions unless
/// they are tracked; that takes "Third World" and "Second World War" too, which a user who
/// wants them tracks. English only so far (other languages: false).
pub fn is_number_or_calendar(vocabulary: &Vocabulary, term: TermId) -> bool {
    const NUMBERS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "dozen",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
        "fortieth",
        "fiftieth",
        "sixtieth",
        "seventieth",
        "eightieth",
        "ninetieth",
        "hundredth",
        "thousandth",
        "millionth",
    ];
    let t = &vocabulary.terms[term as usize];
    if vocabulary.language != Language::English {
        return false;
    }
    let words: Vec<String> = t.surface.split([' ', '-']).map(str::to_lowercase).collect();
    if let [word] = words.as_slice() {
        return NUMBERS.contains(&word.as_str())
            || crate::calendar::is_calendar_word(word)
            || word.bytes().all(|b| b.is_ascii_digit());
    }
    words.iter().any(|w| {
        let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| {
            w.strip_suffix(s)
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        });
        ordinal || NUMBERS.contains(&w.as_str())
    })
}

/// Whether a term names a date or the calendar anywhere in it: a calendar word ("June
/// 1967", "fiscal year ending June"), a four-digit year, or "fiscal". Successions leave such
/// terms out: a date is replaced by the next date, not by what followed it. English only so
/// far (other languages: false).
pub fn mentions_date(vocabulary: &Vocabulary, term: TermId) -> bool {
    if vocabulary.language != Language::English {
        return false;
    }
    is_number_or_calendar(vocabulary, term)
        || vocabulary.terms[term as usize]
            .surface
            .split([' ', '-'])
            .any(|w| {
                crate::calendar::is_calendar_word(w)
                    || (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
                    || w.eq_ignore_ascii_case("fiscal")
            })
}

/// A language's stop list: for English the list beside this file, for the others NLTK's (from
/// the `stopwords` crate). Tamil has no list there: no word is a stop word.
pub fn default_stop_words(language: Language) -> Vec<String> {
    use stopwords::{Language as L, Stopwords, NLTK};
    let list = match language {
        Language::English => {
            return STOPWORDS_EN
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        }
        Language::Tamil => return Vec::new(),
        Language::Arabic => L::Arabic,
        Language::Danish => L::Danish,
        Language::Dutch => L::Dutch,
        Language::Finnish => L::Finnish,
        Language::French => L::French,
        Language::German => L::German,
        Language::Greek => L::Greek,
        Language::Hungarian => L::Hungarian,
        Language::Italian => L::Italian,
        Language::Norwegian => L::Norwegian,
        Language::Portuguese => L::Portuguese,
        Language::Romanian => L::Romanian,
        Language::Russian => L::Russian,
        Language::Spanish => L::Spanish,
        Language::Swedish => L::Swedish,
        Language::Turkish => L::Turkish,
    };
    NLTK::stopwords(list)
        .unwrap_or(&[])
        .iter()
        .map(|w| w.to_string())
        .collect()
}

/// A word of one chunk: local id with the [`BREAK`] flag.
struct ChunkWords<'t> {
    words: Vec<&'t str>,
    /// Occurrences of each word in the chunk.
    counts: Vec<u32>,
    passages: Vec<Vec<u32>>,
    word_counts: Vec<u32>,
    /// Words inside markup, not read.
    markup_words: u64,
}

/// One chunk's token streams, the folds seen (two lower-case ids and the one they fold into),
/// and the written words that folds took.
#[derive(Default)]
struct ChunkStreams {
    streams: Vec<Vec<Content>>,
    folds: FxHashSet<(u32, u32, u32)>,
    folded_words: Vec<u32>,
}

/// One chunk's bags, and the written forms of its words and phrases with their counts.
#[derive(Default)]
struct ChunkBags {
    bags: Vec<Bag>,
    phrase_forms: FxHashMap<(u32, u128), u64>,
}

/// A token of a passage's stream: a content word or a connector.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Content {
    /// The written word's id, or [`FOLDED`] for two written words read as one.
    word: u32,
    /// Lower-case id (or [`CONNECTOR`] | connector index), with the [`BREAK`] flag.
    lower: u32,
    /// Its slot in a phrase key (see [`phrases::slot`]).
    slot: u32,
}

impl Content {
    fn is_connector(self) -> bool {
        self.lower & CONNECTOR != 0
    }

    /// Lower-case id of a content word.
    fn lower_id(self) -> u32 {
        self.lower & !BREAK
    }

    /// The surface id: the written word id, or for a fold the lower-case id with the
    /// [`BREAK`] bit as a marker.
    fn surface(self) -> u32 {
        if self.word == FOLDED {
            self.lower_id() | BREAK
        } else {
            self.word
        }
    }
}

/// Tokenizes every passage.
pub fn tokenize(corpus: &Corpus, passages: &Passages, cfg: &TokenizeConfig) -> Tokens {
    let analyzer = Analyzer::configured(cfg);
    let connectors = analyzer.connectors.clone();
    let idx: Vec<usize> = (0..passages.passages.len()).collect();
    // Cleaned passage texts (borrowed from the documents unless a removed line lies inside).
    let texts: Vec<std::borrow::Cow<str>> =
        idx.par_iter().map(|&p| passages.text(corpus, p)).collect();

    // A. Words per chunk, with chunk-local ids.
    let mut chunks: Vec<ChunkWords> = idx
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut local: FxHashMap<&str, u32> = FxHashMap::default();
            let mut words = Vec::new();
            let mut counts: Vec<u32> = Vec::new();
            let mut out = Vec::with_capacity(chunk.len());
            let mut word_counts = Vec::with_capacity(chunk.len());
            let mut markup_words = 0;
            for &p in chunk {
                let mut toks = Vec::new();
                let markup = markup::spans(&texts[p]);
                let (mut next, mut skipped, mut after_markup) = (0, 0, false);
                let n = scan_words(&texts[p], |off, w, brk| {
                    while markup.get(next).is_some_and(|m| m.end <= off) {
                        next += 1;
                    }
                    if markup.get(next).is_some_and(|m| m.start <= off) {
                        skipped += 1;
                        after_markup = true;
                        return;
                    }
                    let id = *local.entry(w).or_insert_with(|| {
                        words.push(w);
                        counts.push(0);
                        (words.len() - 1) as u32
                    });
                    counts[id as usize] += 1;
                    toks.push(id | if brk || after_markup { BREAK } else { 0 });
                    after_markup = false;
                });
                out.push(toks);
                word_counts.push(n - skipped);
                markup_words += skipped as u64;
            }
            ChunkWords {
                words,
                counts,
                passages: out,
                word_counts,
                markup_words,
            }
        })
        .collect();

    // B. Global word ids, in order of first appearance.
    let mut global: FxHashMap<&str, u32> = FxHashMap::default();
    let mut words: Vec<&str> = Vec::new();
    // Occurrences of each written word; folds are taken off in D.
    let mut written_counts: Vec<u64> = Vec::new();
    let remaps: Vec<Vec<u32>> = chunks
        .iter()
        .map(|c| {
            c.words
                .iter()
                .zip(&c.counts)
                .map(|(w, &n)| {
                    let id = *global.entry(w).or_insert_with(|| {
                        words.push(w);
                        written_counts.push(0);
                        (words.len() - 1) as u32
                    });
                    written_counts[id as usize] += n as u64;
                    id
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

    // C. What each word is: a content word (its lower-case id), a connector, or neither; and
    // the stem of each lower-case content form.
    let classes: Vec<WordClass> = words.par_iter().map(|w| analyzer.classify(w)).collect();
    let mut lower_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut lowers: Vec<String> = Vec::new();
    let word_class: Vec<u32> = classes
        .into_iter()
        .map(|c| match c {
            WordClass::Other => NOT_A_TERM,
            WordClass::Connector(l) => {
                CONNECTOR | connectors.iter().position(|c| *c == l).unwrap_or(0) as u32
            }
            WordClass::Content(l) => *lower_ids.entry(l.clone()).or_insert_with(|| {
                lowers.push(l);
                (lowers.len() - 1) as u32
            }),
        })
        .collect();
    let lower_stem_s: Vec<String> = lowers.par_iter().map(|l| analyzer.stem(l)).collect();
    let mut stem_ids: FxHashMap<String, u32> = FxHashMap::default();
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
    let asked = asked_keys(cfg, &analyzer, &connectors, &stem_ids);
    drop(stem_ids);
    let is_content = |class: u32| class != NOT_A_TERM && class & CONNECTOR == 0;

    // D0. Fold candidates: two adjacent content words whose concatenation is a word of the
    // corpus. A pair folds only when the closed form is common enough beside it, so that a
    // rare typo ("UnitedNations") cannot swallow a frequent phrase. The pairs that could fold
    // come from splitting each lower-case form in two; then they are counted where they stand.
    let splits: FxHashMap<(u32, u32), u32> = lowers
        .par_iter()
        .enumerate()
        .flat_map_iter(|(joined, l)| {
            let lower_ids = &lower_ids;
            l.char_indices().skip(1).filter_map(move |(k, _)| {
                let a = *lower_ids.get(&l[..k])?;
                let b = *lower_ids.get(&l[k..])?;
                Some(((a, b), joined as u32))
            })
        })
        .collect();
    let mut may_start_fold = vec![false; lowers.len()];
    for &(a, _) in splits.keys() {
        may_start_fold[a as usize] = true;
    }
    let (lower_counts, pair_counts) = chunks
        .par_iter()
        .fold(
            || {
                (
                    vec![0u64; lowers.len()],
                    FxHashMap::<(u32, u32), u64>::default(),
                )
            },
            |(mut lc, mut pc), c| {
                for toks in &c.passages {
                    let mut prev: Option<u32> = None;
                    for &t in toks {
                        let lower = word_class[(t & !BREAK) as usize];
                        if !is_content(lower) {
                            prev = None;
                            continue;
                        }
                        lc[lower as usize] += 1;
                        if let Some(p) =
                            prev.filter(|&p| t & BREAK == 0 && may_start_fold[p as usize])
                        {
                            if splits.contains_key(&(p, lower)) {
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
            || (vec![0u64; lowers.len()], FxHashMap::default()),
            |(mut a, pa), (b, pb)| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                (a, merge_counts(pa, pb))
            },
        );
    let fold_to: FxHashMap<(u32, u32), u32> = pair_counts
        .into_iter()
        .filter_map(|((a, b), n)| {
            let joined = splits[&(a, b)];
            (lower_counts[joined as usize] as f64 >= cfg.fold_min_ratio * n as f64)
                .then_some(((a, b), joined))
        })
        .collect();
    drop(splits);
    drop(lower_ids);

    // D. Token streams with folds applied; the folds seen, and the written words they took.
    let mut fold_starts = vec![false; lowers.len()];
    for &(a, _) in fold_to.keys() {
        fold_starts[a as usize] = true;
    }
    let slot_of = |class: u32| -> u32 {
        if class & CONNECTOR != 0 {
            phrases::CONNECTOR_SLOT | (class & !CONNECTOR)
        } else {
            lower_stem[class as usize] + 1
        }
    };
    let streamed: Vec<ChunkStreams> = chunks
        .par_iter()
        .map(|c| {
            let mut out = ChunkStreams::default();
            for toks in &c.passages {
                let mut stream: Vec<Content> = Vec::with_capacity(toks.len());
                let mut brk = false;
                for &t in toks {
                    let word = t & !BREAK;
                    brk |= t & BREAK != 0;
                    let class = word_class[word as usize];
                    if class == NOT_A_TERM {
                        brk = true;
                        continue;
                    }
                    if is_content(class) {
                        if let Some(prev) = stream.last_mut().filter(|p| {
                            !brk && !p.is_connector() && fold_starts[p.lower_id() as usize]
                        }) {
                            let pl = prev.lower_id();
                            if let Some(&joined) = fold_to.get(&(pl, class)) {
                                out.folds.insert((pl, class, joined));
                                if prev.word != FOLDED {
                                    out.folded_words.push(prev.word);
                                }
                                out.folded_words.push(word);
                                prev.word = FOLDED;
                                prev.lower = joined | (prev.lower & BREAK);
                                prev.slot = slot_of(joined);
                                continue;
                            }
                        }
                    }
                    stream.push(Content {
                        word,
                        lower: class | if brk { BREAK } else { 0 },
                        slot: slot_of(class),
                    });
                    brk = false;
                }
                out.streams.push(stream);
            }
            out
        })
        .collect();
    let markup_words: u64 = chunks.iter().map(|c| c.markup_words).sum();
    let word_counts: Vec<u32> = chunks
        .iter()
        .flat_map(|c| c.word_counts.iter().copied())
        .collect();
    drop(chunks);
    let mut streams: Vec<Vec<Vec<Content>>> = Vec::with_capacity(streamed.len());
    let mut folds: Vec<FxHashSet<(u32, u32, u32)>> = Vec::with_capacity(streamed.len());
    for c in streamed {
        for w in c.folded_words {
            written_counts[w as usize] -= 1;
        }
        streams.push(c.streams);
        folds.push(c.folds);
    }

    // E. Words per stem, then phrases.
    let n_stems = stems.len();
    let stem_counts: Vec<u64> = streams
        .par_iter()
        .fold(
            || vec![0u64; n_stems],
            |mut acc, chunk| {
                for t in chunk.iter().flatten().filter(|t| !t.is_connector()) {
                    acc[lower_stem[t.lower_id() as usize] as usize] += 1;
                }
                acc
            },
        )
        .reduce(
            || vec![0u64; n_stems],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    let total_words: u64 = word_counts.iter().map(|&n| n as u64).sum();
    let found = phrases::learn(&streams, &stem_counts, total_words, &asked, &cfg.phrases);

    // F. Term ids: a stem's key is its id, phrase p's is n_stems + p. Stems whose every
    // occurrence was folded away are not terms. Ids follow the sorted key strings.
    let n_keys = n_stems + found.phrases.len();
    let key_name = |k: usize| -> String {
        if k < n_stems {
            return stems[k].clone();
        }
        phrases::unpack(found.phrases[k - n_stems].key)
            .into_iter()
            .map(|s| match phrases::slot_kind(s) {
                phrases::Slot::Stem(s) => stems[s as usize].as_str(),
                phrases::Slot::Connector(c) => connectors[c as usize].as_str(),
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

    // G. Per chunk: each passage's bag of terms, and the written forms of each term.
    let n_terms = kept.len();
    let per_chunk: Vec<ChunkBags> = streams
        .par_iter()
        .zip(found.occurrences.par_iter())
        .map(|(chunk, occ)| {
            let mut out = ChunkBags::default();
            let mut counter = vec![0u32; n_terms];
            for (toks, occ) in chunk.iter().zip(occ) {
                let mut touched: Vec<TermId> = Vec::with_capacity(toks.len());
                let mut add = |t: TermId| {
                    if counter[t as usize] == 0 {
                        touched.push(t);
                    }
                    counter[t as usize] += 1;
                };
                for t in toks.iter().filter(|t| !t.is_connector()) {
                    add(term_of[lower_stem[t.lower_id() as usize] as usize]);
                }
                for o in occ {
                    add(term_of[n_stems + o.phrase as usize]);
                    let written = phrases::pack(
                        toks[o.start as usize..o.end as usize]
                            .iter()
                            .map(|t| t.surface() + 1),
                    );
                    *out.phrase_forms.entry((o.phrase, written)).or_default() += 1;
                }
                touched.sort_unstable();
                out.bags.push(
                    touched
                        .into_iter()
                        .map(|t| (t, std::mem::take(&mut counter[t as usize])))
                        .collect(),
                );
            }
            out
        })
        .collect();
    let mut phrase_forms: FxHashMap<(u32, u128), u64> = FxHashMap::default();
    let mut bags: Vec<Bag> = Vec::with_capacity(passages.passages.len());
    for c in per_chunk {
        for (k, n) in c.phrase_forms {
            *phrase_forms.entry(k).or_default() += n;
        }
        bags.extend(c.bags);
    }
    drop(streams);
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
    let mut offers: Vec<(TermId, String, String, u64)> = (0..words.len())
        .into_par_iter()
        .filter(|&w| is_content(word_class[w]) && written_counts[w] > 0)
        .filter_map(|w| {
            let t = term_of[lower_stem[word_class[w] as usize] as usize];
            let form = words[w].to_string();
            (t != TermId::MAX).then(|| (t, form.to_lowercase(), form, written_counts[w]))
        })
        .collect();
    for (&(p, written), &n) in &phrase_forms {
        let form = phrases::unpack(written)
            .into_iter()
            .map(|w| text_of_surface(w - 1))
            .collect::<Vec<_>>()
            .join(" ");
        offers.push((term_of[n_stems + p as usize], form.to_lowercase(), form, n));
    }
    let best = surface_forms(offers, kept.len());

    // H. Counts, passages and documents per term.
    let key_stats: Vec<(u64, u32)> = bags
        .par_iter()
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
        );
    let documents = documents_per_term(passages, &bags, kept.len());

    let mut folded: Vec<(String, TermId)> = folds
        .iter()
        .flatten()
        .filter_map(|&(a, b, j)| {
            let t = term_of[lower_stem[j as usize] as usize];
            (t != TermId::MAX)
                .then(|| (format!("{} {}", lowers[a as usize], lowers[b as usize]), t))
        })
        .collect();
    folded.sort();
    folded.dedup();

    let terms: Vec<Term> = kept
        .into_iter()
        .zip(best)
        .zip(documents)
        .zip(key_stats)
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
        .collect();
    let mut tokens = Tokens {
        vocabulary: Vocabulary {
            terms,
            folded,
            language: cfg.language,
            connectors,
            stop_words: analyzer.stop_words(),
            stemmed: analyzer.stems(),
        },
        bags,
        word_counts,
        markup_words,
        unmatched_synonyms: Vec::new(),
    };
    tokens.unmatched_synonyms = synonyms::apply(&mut tokens, passages, &cfg.synonyms);
    tokens
}

/// Tokens of texts that are already split into terms, one passage (and one document) per
/// list: each distinct string is a term, keyed and shown as written, and term ids follow the
/// sorted strings. For comparing later stages with other tools on the same token stream.
pub fn from_token_lists(lists: &[Vec<&str>]) -> Tokens {
    let mut keys: Vec<&str> = lists.iter().flatten().copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let id = |k: &str| keys.binary_search(&k).expect("every token is a key") as TermId;
    let bags: Vec<Bag> = lists
        .iter()
        .map(|l| {
            let mut b: Bag = Vec::new();
            let mut ids: Vec<TermId> = l.iter().map(|k| id(k)).collect();
            ids.sort_unstable();
            for t in ids {
                match b.last_mut() {
                    Some((last, n)) if *last == t => *n += 1,
                    _ => b.push((t, 1)),
                }
            }
            b
        })
        .collect();
    let mut terms: Vec<Term> = keys
        .iter()
        .map(|k| Term {
            key: k.to_string(),
            surface: k.to_string(),
            kind: TermKind::Word,
            score: None,
            count: 0,
            documents: 0,
            passages: 0,
        })
        .collect();
    for bag in &bags {
        for &(t, n) in bag {
            let term = &mut terms[t as usize];
            term.count += n as u64;
            term.passages += 1;
            term.documents += 1;
        }
    }
    Tokens {
        vocabulary: Vocabulary {
            terms,
            folded: Vec::new(),
            language: Language::English,
            connectors: Vec::new(),
            stop_words: Vec::new(),
            stemmed: false,
        },
        bags,
        word_counts: lists.iter().map(|l| l.len() as u32).collect(),
        markup_words: 0,
        unmatched_synonyms: Vec::new(),
    }
}

/// Keys of the phrases the user asked for (`phrases.include`, and the wordings of synonym
/// rules) that can occur in this corpus: two or more content words, connectors only inside,
/// at most `max_words` words, every stem seen.
fn asked_keys(
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
            scan_words(text, |_, w, brk| {
                ok &= first || !brk;
                first = false;
                match analyzer.classify(w) {
                    WordClass::Content(l) => match stem_ids.get(&analyzer.stem(&l)) {
                        Some(&s) => slots.push(s + 1),
                        None => ok = false,
                    },
                    WordClass::Connector(l) => {
                        let c = connectors.iter().position(|c| *c == l).unwrap_or(0) as u32;
                        slots.push(phrases::CONNECTOR_SLOT | c);
                    }
                    WordClass::Other => ok = false,
                }
            });
            let is_content = |s: &u32| s & phrases::CONNECTOR_SLOT == 0;
            let fits = slots.len() >= 2
                && slots.len() <= cfg.phrases.max_words
                && slots.first().is_some_and(is_content)
                && slots.last().is_some_and(is_content);
            (ok && fits).then(|| phrases::pack(slots))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
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

fn merge_counts<K: std::hash::Hash + Eq>(
    mut a: FxHashMap<K, u64>,
    b: FxHashMap<K, u64>,
) -> FxHashMap<K, u64> {
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

/// Where a term occurs in a text: the byte range of each occurrence, in order. Words are read
/// as the tokenizer reads them (a spelling folded into the term counts, across a space or
/// hyphen); a phrase matches where its words stand together with no break between them.
pub fn find(vocabulary: &Vocabulary, term: TermId, text: &str) -> Vec<std::ops::Range<usize>> {
    let analyzer = Analyzer::of(vocabulary);
    let want: Vec<&str> = vocabulary.terms[term as usize].key.split(' ').collect();
    // Each word: its offset, end, key piece (stem or connector; None for other words), and
    // whether a break stands before it.
    let mut words: Vec<(usize, usize, Option<String>, bool)> = Vec::new();
    scan_words(text, |off, w, brk| {
        let piece = match analyzer.classify(w) {
            WordClass::Content(l) => Some(analyzer.stem(&l)),
            WordClass::Connector(l) => Some(l),
            WordClass::Other => None,
        };
        words.push((off, off + w.len(), piece, brk));
    });
    let folded: Vec<&str> = vocabulary
        .folded
        .iter()
        .filter(|(_, t)| *t == term)
        .map(|(v, _)| v.as_str())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // A folded spelling: two written words read as the term.
        if !folded.is_empty() && i + 1 < words.len() && !words[i + 1].3 {
            let pair = format!(
                "{} {}",
                text[words[i].0..words[i].1].to_lowercase(),
                text[words[i + 1].0..words[i + 1].1].to_lowercase()
            );
            if folded.contains(&pair.as_str()) {
                out.push(words[i].0..words[i + 1].1);
                i += 2;
                continue;
            }
        }
        let fits = i + want.len() <= words.len()
            && want.iter().enumerate().all(|(j, w)| {
                let (_, _, piece, brk) = &words[i + j];
                piece.as_deref() == Some(*w) && (j == 0 || !brk)
            });
        if fits {
            out.push(words[i].0..words[i + want.len() - 1].1);
            i += want.len();
        } else {
            i += 1;
        }
    }
    out
}

/// Resolves a user's term ("Data Security", "cyber-security", "Internet of Things") to a
/// vocabulary term, using the same analysis as the corpus: one content word is a word; more
/// words (connectors allowed inside) are a phrase; two words may also be the one word they
/// fold into.
pub fn resolve(vocabulary: &Vocabulary, query: &str) -> Option<TermId> {
    // A spelling or synonym the corpus folded into a term.
    let mut written: Vec<String> = Vec::new();
    scan_words(query, |_, w, _| {
        written.push(w.replace('’', "'").to_lowercase())
    });
    let spelled = written.join(" ");
    if let Some((_, t)) = vocabulary.folded.iter().find(|(v, _)| *v == spelled) {
        return Some(*t);
    }
    let analyzer = Analyzer::of(vocabulary);
    let mut classes = Vec::new();
    let mut broken = false;
    scan_words(query, |_, w, brk| {
        broken |= brk && !classes.is_empty();
        classes.push(analyzer.classify(w));
    });
    if broken || classes.is_empty() {
        return None;
    }
    let mut key = Vec::with_capacity(classes.len());
    for c in &classes {
        match c {
            WordClass::Content(l) => key.push(analyzer.stem(l)),
            WordClass::Connector(l) => key.push(l.clone()),
            WordClass::Other => return None,
        }
    }
    if let [WordClass::Content(a), WordClass::Content(b)] = classes.as_slice() {
        let closed = vocabulary.id_of_key(&analyzer.stem(&format!("{a}{b}")));
        let pair = vocabulary.id_of_key(&key.join(" "));
        let variant = format!("{a} {b}");
        let was_folded = |t: TermId| {
            vocabulary
                .folded
                .iter()
                .any(|(v, id)| *id == t && *v == variant)
        };
        return match (closed, pair) {
            // The corpus folded this pair (or never wrote it apart): the closed form.
            (Some(c), _) if was_folded(c) => Some(c),
            (Some(c), None) => Some(c),
            (_, pair) => pair,
        };
    }
    vocabulary.id_of_key(&key.join(" "))
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

    /// Makes every candidate a phrase, however rare, so that small texts show them.
    fn every_phrase() -> TokenizeConfig {
        let mut cfg = TokenizeConfig::default();
        cfg.phrases.min_count = 1;
        cfg.phrases.threshold = Some(-1.0);
        cfg
    }

    #[test]
    fn stop_words_and_punctuation_break_phrases() {
        let (c, p) = corpus_of(&["security is data. Data, security; data security data security"]);
        let t = tokenize(&c, &p, &every_phrase());
        assert_eq!(count_of(&t, "data security"), 2);
        assert_eq!(count_of(&t, "security data"), 1);
        assert_eq!(resolve(&t.vocabulary, "security is data"), None);
        // The words of a phrase still count as words.
        assert_eq!(count_of(&t, "security"), 4);
    }

    fn phrase_surfaces(t: &Tokens) -> Vec<&str> {
        let mut out: Vec<&str> = t
            .vocabulary
            .terms
            .iter()
            .filter(|t| t.kind.is_phrase())
            .map(|t| t.surface.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    /// Filler words, each used once.
    const FILLER: &str = "leaders markets weather schools rivers farmers songs roads bridges \
        harbours forests villages engineers nurses painters poets islands valleys meadows \
        orchards tunnels castles gardens libraries museums theatres stadiums airports \
        railways canals deserts glaciers volcanoes prairies lagoons canyons beaches cliffs \
        caves reefs dunes marshes swamps savannas tundras steppes plateaus fjords deltas \
        estuaries geysers oases atolls isthmuses peninsulas archipelagos straits \
        lowlands highlands uplands moorlands heathlands woodlands wetlands grasslands \
        farmlands parklands badlands borderlands hinterlands mainlands headlands \
        midlands outlands islets sandbars shoals rapids waterfalls springs brooks creeks \
        ponds lakes seas oceans bays gulfs coves inlets sounds channels";

    /// A corpus where some word sequences recur among filler that never repeats.
    fn collocations() -> Vec<String> {
        let filler: Vec<&str> = FILLER.split_whitespace().collect();
        let verbs = [
            "discussed",
            "praised",
            "doubted",
            "welcomed",
            "studied",
            "feared",
            "mapped",
            "funded",
            "opposed",
            "built",
            "named",
            "joined",
        ];
        (0..24)
            .map(|i| {
                let f = |j: usize| filler[(i * 4 + j) % filler.len()];
                let v = |j: usize| verbs[(i + j * 5) % verbs.len()];
                format!(
                    "The {} {} the Internet of Things. Made in China 2025 {} {}. \
                     Officials {} {}; big data {} {}.",
                    f(0),
                    v(0),
                    v(1),
                    f(1),
                    v(2),
                    f(2),
                    v(3),
                    f(3)
                )
            })
            .collect()
    }

    #[test]
    fn phrases_hold_connectors_inside_and_grow_to_four_words() {
        let texts = collocations();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (c, p) = corpus_of(&refs);
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        let phrases = phrase_surfaces(&t);
        for want in ["Internet of Things", "Made in China 2025", "big data"] {
            assert!(phrases.contains(&want), "{want} missing from {phrases:?}");
        }
        assert_eq!(count_of(&t, "made in china 2025"), 24);
        assert_eq!(count_of(&t, "Internet of Things"), 24);
        // Never a connector at either end, never more than four words.
        for term in t.vocabulary.terms.iter().filter(|t| t.kind.is_phrase()) {
            let words: Vec<&str> = term.key.split(' ').collect();
            assert!(words.len() <= 4, "{}", term.surface);
            for end in [words[0], words[words.len() - 1]] {
                assert!(
                    !t.vocabulary.connectors.iter().any(|c| c == end),
                    "{}",
                    term.surface
                );
            }
        }
        // Words that meet by chance are no phrase.
        let filler: Vec<&str> = FILLER.split_whitespace().collect();
        assert!(
            !phrases
                .iter()
                .any(|p| p.split(' ').any(|w| filler.contains(&w))),
            "{phrases:?}"
        );
    }

    #[test]
    fn find_locates_words_phrases_and_folded_spellings() {
        let text = "Cybersecurity rules. Cyber security and cyber-security; data security of data.";
        let (c, p) = corpus_of(&[text, "data security again, data security"]);
        let t = tokenize(&c, &p, &every_phrase());
        let at = |q: &str| -> Vec<&str> {
            let id = resolve(&t.vocabulary, q).unwrap();
            find(&t.vocabulary, id, text)
                .into_iter()
                .map(|r| &text[r])
                .collect()
        };
        assert_eq!(
            at("cybersecurity"),
            ["Cybersecurity", "Cyber security", "cyber-security"]
        );
        assert_eq!(at("data security"), ["data security"]);
        assert_eq!(at("data"), ["data", "data"]);
    }

    #[test]
    fn asked_phrases_count_wherever_they_occur() {
        let (c, p) = corpus_of(&["Data protection matters.", "Rules on data protection."]);
        let mut cfg = TokenizeConfig::default();
        assert_eq!(
            resolve(&tokenize(&c, &p, &cfg).vocabulary, "data protection"),
            None,
            "twice is below min_count"
        );
        cfg.phrases.include = vec!["DATA protection".into(), "never said here".into()];
        let t = tokenize(&c, &p, &cfg);
        let term = &t.vocabulary.terms[resolve(&t.vocabulary, "data protection").unwrap() as usize];
        assert_eq!((term.count, term.kind), (2, TermKind::AskedPhrase));
        assert_eq!(term.surface, "data protection");
    }

    #[test]
    fn phrase_options_are_obeyed() {
        let texts = collocations();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (c, p) = corpus_of(&refs);
        let mut cfg = TokenizeConfig::default();
        cfg.phrases.max_words = 2;
        let t = tokenize(&c, &p, &cfg);
        let phrases = phrase_surfaces(&t);
        assert!(phrases.contains(&"big data") && phrases.contains(&"China 2025"));
        assert!(
            !phrases.iter().any(|p| p.split(' ').count() > 2),
            "{phrases:?}"
        );
        cfg.phrases.max_words = 4;
        cfg.phrases.min_count = 25;
        assert!(phrase_surfaces(&tokenize(&c, &p, &cfg)).is_empty());
        cfg.phrases.min_count = 3;
        cfg.phrases.enabled = false;
        assert!(phrase_surfaces(&tokenize(&c, &p, &cfg)).is_empty());
        cfg.phrases.enabled = true;
        cfg.phrases.connectors = Some(vec![]);
        let t = tokenize(&c, &p, &cfg);
        let phrases = phrase_surfaces(&t);
        assert!(!phrases.contains(&"Internet of Things"), "{phrases:?}");
        cfg.phrases.connectors = None;
        cfg.phrases.scorer = crate::config::PhraseScorer::Default;
        cfg.phrases.threshold = Some(1.0);
        let t = tokenize(&c, &p, &cfg);
        let phrases = phrase_surfaces(&t);
        assert!(phrases.contains(&"big data"), "{phrases:?}");
        // gensim's default score is not bounded by 1 as NPMI is.
        let id = resolve(&t.vocabulary, "big data").unwrap();
        assert!(t.vocabulary.terms[id as usize].score.unwrap() > 1.0);
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
    fn stop_lists_and_stemming_follow_the_config() {
        let (c, p) =
            corpus_of(&["The regulators said regulation matters. Regulations, he said, matter."]);
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        assert_eq!(count_of(&t, "regulation"), 3, "one stem for all three");
        assert_eq!(count_of(&t, "said"), 2);
        assert_eq!(resolve(&t.vocabulary, "he"), None);

        let cfg = TokenizeConfig {
            stem: false,
            extra_stop_words: vec!["Said".into()],
            ..TokenizeConfig::default()
        };
        let t = tokenize(&c, &p, &cfg);
        assert_eq!(count_of(&t, "regulation"), 1, "unstemmed forms stay apart");
        assert_eq!(count_of(&t, "Regulations"), 1);
        assert_eq!(count_of(&t, "regulators"), 1);
        assert_eq!(resolve(&t.vocabulary, "said"), None, "an extra stop word");
        assert_eq!(
            resolve(&t.vocabulary, "the"),
            None,
            "the language's list stays"
        );

        // A list of its own replaces the language's.
        let cfg = TokenizeConfig {
            stop_words: Some(vec!["matters".into(), "matter".into()]),
            ..TokenizeConfig::default()
        };
        let t = tokenize(&c, &p, &cfg);
        assert_eq!(count_of(&t, "he"), 1);
        assert_eq!(resolve(&t.vocabulary, "matter"), None);
    }

    #[test]
    fn unstemmed_english_reads_a_possessive_as_its_noun() {
        let (c, p) = corpus_of(&[
            "The government's plan. The government agreed; the government said so.",
            "Governments’ budgets grew. Governments met, and Governments voted.",
        ]);
        let cfg = TokenizeConfig {
            stem: false,
            ..TokenizeConfig::default()
        };
        let t = tokenize(&c, &p, &cfg);
        assert_eq!(count_of(&t, "government"), 3);
        assert_eq!(
            count_of(&t, "government's"),
            3,
            "a query is read the same way"
        );
        assert_eq!(count_of(&t, "Governments"), 3, "the plural possessive too");
        assert_eq!(count_of(&t, "budgets"), 1, "a plural is no possessive");
        let shown: Vec<&str> = t
            .vocabulary
            .terms
            .iter()
            .map(|t| t.surface.as_str())
            .collect();
        assert!(
            !shown.iter().any(|s| s.contains('\'') || s.contains('’')),
            "{shown:?}"
        );

        // Other languages keep the word whole: an apostrophe there is not a possessive.
        let (c, p) = corpus_of(&["L'État's plan: l'État."]);
        let cfg = TokenizeConfig {
            stem: false,
            language: Language::French,
            ..TokenizeConfig::default()
        };
        let t = tokenize(&c, &p, &cfg);
        assert!(resolve(&t.vocabulary, "l'état's").is_some());
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
    fn synonym_rules_that_name_each_other_make_one_term() {
        let (c, p) = corpus_of(&[
            "Data and security. Security of data, privacy of data.",
            "security data privacy",
        ]);
        let rule = |term: &str, variants: &[&str]| crate::config::SynonymRule {
            term: term.into(),
            variants: variants.iter().map(|v| v.to_string()).collect(),
        };
        for rules in [
            vec![rule("data", &["security"]), rule("security", &["data"])],
            vec![
                rule("data", &["security"]),
                rule("security", &["privacy"]),
                rule("privacy", &["data"]),
            ],
        ] {
            let cfg = TokenizeConfig {
                synonyms: rules,
                ..TokenizeConfig::default()
            };
            let t = tokenize(&c, &p, &cfg);
            let id = resolve(&t.vocabulary, "data").unwrap();
            assert_eq!(resolve(&t.vocabulary, "security"), Some(id));
            assert!(t
                .bags
                .iter()
                .flatten()
                .all(|&(term, _)| (term as usize) < t.vocabulary.terms.len()));
        }
    }

    #[test]
    fn a_blank_line_breaks_two_word_terms() {
        let (c, p) =
            corpus_of(&["national security\n\ndata policy, national security\ndata policy"]);
        let t = tokenize(&c, &p, &every_phrase());
        // Across a line feed the words still pair ("security data" once), never across a blank line.
        assert_eq!(count_of(&t, "security data"), 1);
        assert_eq!(count_of(&t, "national security"), 2);
    }

    #[test]
    fn number_and_calendar_words_are_told_apart() {
        let t = from_token_lists(&[vec![
            "forty",
            "fortieth",
            "June",
            "Monday",
            "security",
            "forty session",
            "22nd plenary meeting",
            "Third World",
            "1983",
            "June 1967",
            "fiscal year",
            "forty-fifth",
        ]]);
        let v = &t.vocabulary;
        let is = |key: &str| is_number_or_calendar(v, v.id_of_key(key).unwrap());
        assert!(is("forty") && is("fortieth") && is("June") && is("Monday") && is("1983"));
        assert!(!is("security"));
        // Phrases holding a number word or a numbered ordinal are furniture.
        assert!(is("forty session") && is("22nd plenary meeting") && is("forty-fifth"));
        assert!(is("Third World"));
        let dated = |key: &str| mentions_date(v, v.id_of_key(key).unwrap());
        assert!(dated("June 1967") && dated("fiscal year") && dated("forty"));
        assert!(!dated("security"));
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
