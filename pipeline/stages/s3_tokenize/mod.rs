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

use std::borrow::Cow;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::artifacts::{
    Bag, Corpus, Language, Passages, Term, TermId, TermKind, Tokens, Vocabulary,
};
use crate::config::TokenizeConfig;
use crate::text::{default_stop_words, Analyzer, Unread};
pub use learnt::Learnt;
pub use passes::{Learning, Pass, ReadShard, Summary};

mod apply;
mod folds;
mod learn;
mod learnt;
mod markup;
mod passes;
mod phrases;
mod spill;
mod streams;
pub mod synonyms;
mod terms;
mod token;
mod wire;

/// Passages handled by one task; fixed so that work splits the same way on any machine.
const CHUNK: usize = 256;
/// Chunks read a batch at a time, from the texts or from a spilled stream, before the pages
/// read are released: 65,536 passages.
const READ_BATCH: usize = 256;
/// Chunks whose phrase candidates are counted before their counts are merged: 64 chunks of 256
/// passages. Holding every chunk's map until the merge made phrase counting the peak of a
/// 1 GB run (5.6 GiB).
const COUNT_BATCH: usize = 64;
/// Flag on a token: a break (stop word, punctuation) stands between it and the token before.
const BREAK: u32 = 1 << 31;
/// Flag on a lower-case id: the token is a connector word, the rest is its connector index.
const CONNECTOR: u32 = 1 << 30;

/// The analyzer a tokenize configuration asks for: its language, its stop list (the language's
/// unless `stop_words` replaces it, plus `extra_stop_words`), stemming on or off.
fn analyzer(cfg: &TokenizeConfig) -> Analyzer {
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
        &cfg.user_words,
    )
}

/// Tokenizes every passage: token streams of content words and connectors ([`streams`]),
/// phrases learnt from them ([`phrases`]), then terms, bags and surface forms ([`terms`]).
/// Keeps its streams in memory; a run spills them ([`tokenize_in`]).
pub fn tokenize(corpus: &Corpus, passages: &Passages, cfg: &TokenizeConfig) -> Tokens {
    tokenize_in(corpus, passages, cfg, None).expect("tokenize in memory does no I/O")
}

/// [`tokenize`], with the token streams between passes written to files in `folder` (a run's
/// staging folder) and read back a batch at a time, so that memory holds counts and the
/// vocabulary rather than every token of the corpus.
///
/// Each pass reads the streams batch after batch and sums what every batch counts: the written
/// words, the pairs that may fold, each round of phrase candidates, and finally the bags.
pub fn tokenize_in(
    corpus: &Corpus,
    passages: &Passages,
    cfg: &TokenizeConfig,
    folder: Option<&Path>,
) -> std::io::Result<Tokens> {
    let staging = Staging {
        folder,
        batch: READ_BATCH,
    };
    Ok(tokenize_batched(corpus, passages, cfg, staging)?.0)
}

/// [`tokenize_in`], keeping what it learnt from the corpus ([`Learnt`]) so that a shard of the
/// corpus can later be read into the same terms ([`tokenize_shard`]).
pub fn tokenize_learning(
    corpus: &Corpus,
    passages: &Passages,
    cfg: &TokenizeConfig,
    folder: Option<&Path>,
) -> std::io::Result<(Tokens, Learnt)> {
    let staging = Staging {
        folder,
        batch: READ_BATCH,
    };
    let (tokens, decisions) = tokenize_batched(corpus, passages, cfg, staging)?;
    let max_words = cfg.phrases.max_words.clamp(2, 4);
    let learnt = Learnt::keep(decisions, max_words, &tokens.vocabulary);
    Ok((tokens, learnt))
}

/// Tokenizes a shard of a corpus as the whole corpus was tokenized: its folds, phrases and term
/// ids are those `learnt` holds, so its bags are those passages' bags in a run over the whole
/// corpus. The vocabulary's counts are the shard's own.
///
/// Fails with [`std::io::ErrorKind::InvalidData`] when the shard has a word stem the corpus
/// never had (it is not part of that corpus).
pub fn tokenize_shard(
    corpus: &Corpus,
    passages: &Passages,
    cfg: &TokenizeConfig,
    learnt: &Learnt,
    folder: Option<&Path>,
) -> std::io::Result<Tokens> {
    let staging = Staging {
        folder,
        batch: READ_BATCH,
    };
    let analyzer = analyzer(cfg);
    let (ids, mut read) = number_words(corpus, passages, &analyzer, staging)?;
    let (mut classes, lookups) = streams::classify(&read.written, &analyzer, analyzer.connectors());
    let fold_to = learnt.apply_to(&mut classes, &lookups, &analyzer)?;
    drop(lookups);
    let streamed = read.stream(ids, &classes, &fold_to, staging)?;
    let applied = apply::apply(
        &streamed.streams,
        &learnt.phrase_set(),
        &learnt.term_keys(),
        &passages.document_runs(),
    );
    let mut vocabulary = learnt.vocabulary.clone();
    for ((t, (count, passages)), documents) in vocabulary
        .terms
        .iter_mut()
        .zip(applied.stats)
        .zip(applied.documents)
    {
        (t.count, t.passages, t.documents) = (count, passages, documents);
    }
    Ok(read.into_tokens(applied.bags, vocabulary))
}

/// Where the streams between passes go (a run's staging folder, or memory), and how many chunks
/// of passages a pass reads at a time. Every pass sums what its batches count, so the result
/// is the same for any batch size.
#[derive(Clone, Copy)]
struct Staging<'a> {
    folder: Option<&'a Path>,
    batch: usize,
}

/// What reading the passages gives beside the word streams: the written words, numbered, and
/// what a run reports of the reading.
struct Read {
    /// Words of each passage, markup left out.
    word_counts: Vec<u32>,
    markup_words: u64,
    unread: Unread,
    written: streams::Written,
}

impl Read {
    /// D. The token streams of the word streams `ids` with the folds `fold_to`; the written
    /// words folds took are taken off the counts. The word streams go once read.
    fn stream(
        &mut self,
        ids: spill::Spilled,
        classes: &streams::Classes,
        fold_to: &FxHashMap<(u32, u32), u32>,
        staging: Staging,
    ) -> std::io::Result<streams::Streamed> {
        streams::stream(
            &ids,
            &self.word_counts,
            classes,
            fold_to,
            &mut self.written.counts,
            staging,
        )
    }

    /// The tokens: the bags, with the reading's counts.
    fn into_tokens(self, bags: Vec<Bag>, vocabulary: Vocabulary) -> Tokens {
        Tokens {
            vocabulary,
            bags,
            word_counts: self.word_counts,
            markup_words: self.markup_words,
            unread_characters: self
                .unread
                .into_iter()
                .map(|(s, n)| (s.to_string(), n))
                .collect(),
            unmatched_synonyms: Vec::new(),
        }
    }
}

/// A–B. Words, numbered across the corpus and written out as a stream of word ids; each
/// batch's texts (borrowed from the documents unless a removed line lies inside) are read
/// once, then their pages can go.
fn number_words(
    corpus: &Corpus,
    passages: &Passages,
    analyzer: &Analyzer,
    staging: Staging,
) -> std::io::Result<(spill::Spilled, Read)> {
    let n_passages = passages.passages.len();
    let step = CHUNK * staging.batch;
    let mut numbering = streams::Numbering::default();
    let mut words = spill::Spill::new(staging.folder, "words")?;
    let mut word_counts: Vec<u32> = Vec::with_capacity(n_passages);
    let mut markup_words: u64 = 0;
    let mut unread = Unread::new();
    for from in (0..n_passages).step_by(step) {
        let texts: Vec<Cow<str>> = (from..(from + step).min(n_passages))
            .into_par_iter()
            .map(|p| passages.text(corpus, p))
            .collect();
        let mut read = streams::read_words(&texts, analyzer);
        numbering.add(&mut read);
        for c in &read {
            words.push(&c.ids)?;
            word_counts.extend_from_slice(&c.word_counts);
            markup_words += c.markup_words;
            for (&script, &n) in &c.unread {
                *unread.entry(script).or_default() += n;
            }
        }
        drop(read);
        corpus.release_texts();
    }
    let read = Read {
        word_counts,
        markup_words,
        unread,
        written: numbering.finish(),
    };
    Ok((words.finish()?, read))
}

/// A plain run: reads the words ([`number_words`]), learns what looks across the corpus
/// ([`learn`]) and applies it to the streams it learnt from ([`apply`]); then each term's
/// surface form and counts, from what the bags counted. Gives the decisions too, which a state
/// keeps ([`tokenize_learning`]).
fn tokenize_batched(
    corpus: &Corpus,
    passages: &Passages,
    cfg: &TokenizeConfig,
    staging: Staging,
) -> std::io::Result<(Tokens, learn::Decisions)> {
    let analyzer = analyzer(cfg);
    let (ids, mut read) = number_words(corpus, passages, &analyzer, staging)?;
    let (classes, lookups) = streams::classify(&read.written, &analyzer, analyzer.connectors());
    let (decisions, streams) =
        learn::learn(ids, &mut read, classes, lookups, &analyzer, cfg, staging)?;
    let learn::Decisions {
        classes,
        folds,
        found,
        keys,
        ..
    } = &decisions;
    let applied = apply::apply(&streams, found, keys, &passages.document_runs());
    drop(streams);
    let forms = terms::surface_forms(&read.written, classes, keys, &applied.phrase_forms);
    let vocabulary = Vocabulary {
        terms: terms::term_table(keys, found, forms, applied.documents, applied.stats),
        folded: terms::folded_spellings(std::slice::from_ref(folds), classes, keys),
        language: cfg.language,
        connectors: analyzer.connectors().to_vec(),
        stop_words: analyzer.stop_words(),
        stemmed: analyzer.stems(),
        user_words: cfg.user_words.clone(),
    };
    let mut tokens = read.into_tokens(applied.bags, vocabulary);
    tokens.unmatched_synonyms = synonyms::apply(&mut tokens, passages, &cfg.synonyms);
    Ok((tokens, decisions))
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
            user_words: Vec::new(),
        },
        bags,
        word_counts: lists.iter().map(|l| l.len() as u32).collect(),
        markup_words: 0,
        unread_characters: Vec::new(),
        unmatched_synonyms: Vec::new(),
    }
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

#[cfg(test)]
mod chinese_tests;
#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::corpus_of;
    use crate::text::{find, is_number_or_calendar, mentions_date, resolve};

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

    pub(super) fn phrase_surfaces(t: &Tokens) -> Vec<&str> {
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

    /// A reader that remembers the words it has read, text after text, finds what a reader
    /// that remembers none finds, also when its memory fills and starts afresh.
    #[test]
    fn a_reader_remembering_words_finds_what_a_fresh_reading_finds() {
        let texts = [
            "Cybersecurity rules. Cyber security and cyber-security; data security of data.",
            "Data security again, data security, and the security of data.",
            "Security of data is cyber security; rules on data.",
        ];
        let (c, p) = corpus_of(&texts);
        let t = tokenize(&c, &p, &every_phrase());
        let terms: Vec<TermId> = [
            "cybersecurity",
            "data security",
            "data",
            "security",
            "rules",
        ]
        .iter()
        .map(|q| resolve(&t.vocabulary, q).unwrap_or_else(|| panic!("no term {q}")))
        .collect();
        let read = |reader: &mut crate::text::Reader, text: &'static str| {
            let mut found: Vec<Vec<&str>> = vec![Vec::new(); terms.len()];
            reader.occurrences(&terms, text, |k, r| {
                found[k].push(&text[r]);
                true
            });
            found
        };
        let mut forgetting = crate::text::Reader::remembering(&t.vocabulary, 0);
        let expected: Vec<_> = texts.iter().map(|s| read(&mut forgetting, s)).collect();
        assert_eq!(
            expected[0][..3],
            [
                vec!["Cybersecurity", "Cyber security", "cyber-security"],
                vec!["data security"],
                vec!["data", "data"]
            ]
        );
        for limit in [1, 3, 1 << 18] {
            let mut reader = crate::text::Reader::remembering(&t.vocabulary, limit);
            for _ in 0..2 {
                for (text, expected) in texts.iter().zip(&expected) {
                    assert_eq!(&read(&mut reader, text), expected, "{limit} {text}");
                }
            }
        }
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

    /// Streams spilled to files and read back in batches of one chunk give what streams kept
    /// in memory and read in one batch give: every pass sums over its batches.
    #[test]
    fn spilled_streams_in_small_batches_give_the_same_tokens() {
        let mut texts: Vec<String> = (0..700)
            .map(|i| {
                format!(
                    "Cyber security, cybersecurity and word{} data security policy {}; the \
                     Internet of Things.",
                    i % 37,
                    i % 11
                )
            })
            .collect();
        texts.extend(collocations());
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (c, p) = corpus_of(&refs);
        let cfg = TokenizeConfig::default();
        let whole = tokenize(&c, &p, &cfg);
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging {
            folder: Some(dir.path()),
            batch: 1,
        };
        let batched = tokenize_batched(&c, &p, &cfg, staging).unwrap().0;
        assert!(p.passages.len() > 2 * CHUNK, "more than two batches");
        assert!(whole.vocabulary.terms.iter().any(|t| t.kind.is_phrase()));
        assert!(!whole.vocabulary.folded.is_empty());
        assert_eq!(whole.vocabulary.terms, batched.vocabulary.terms);
        assert_eq!(whole.vocabulary.folded, batched.vocabulary.folded);
        assert_eq!(whole.bags, batched.bags);
        assert_eq!(whole.word_counts, batched.word_counts);
    }

    /// Tokenize learnt in passes over shards ([`Learning`]), whatever the number of shards and
    /// the order their summaries are added in, and with the learning read back from JSON
    /// between passes, gives the `Learnt` a plain run keeps, byte for byte.
    #[test]
    fn learning_in_shards_gives_what_a_plain_run_learns() {
        let mut texts: Vec<String> = (0..300)
            .map(|i| {
                format!(
                    "Cyber security, cybersecurity and word{} data security policy {}; the \
                     Internet of Things. National data security law {}.",
                    i % 37,
                    i % 11,
                    i % 5
                )
            })
            .collect();
        texts.extend(collocations());
        texts.push("Data protection, and the Great Wall.".to_string());
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut cfg = TokenizeConfig::default();
        cfg.phrases.include = vec!["great wall".to_string()];
        let (c, p) = corpus_of(&refs);
        let (tokens, plain) = tokenize_learning(&c, &p, &cfg, None).unwrap();
        assert!(tokens.vocabulary.terms.iter().any(|t| t.kind.is_phrase()));
        assert!(phrase_surfaces(&tokens)
            .iter()
            .any(|s| s.split(' ').count() >= 3));
        assert!(!tokens.vocabulary.folded.is_empty());
        for k in [1, 2, 3, 7] {
            let shards: Vec<(Corpus, Passages)> = (0..k)
                .map(|i| corpus_of(&refs[i * refs.len() / k..(i + 1) * refs.len() / k]))
                .collect();
            let mut learning = Learning::new();
            while learning.pass() != Pass::Done {
                let summaries = shards
                    .iter()
                    .enumerate()
                    .map(|(i, (c, p))| learning.count(c, p, &cfg, i as u32).unwrap());
                // Added last shard first: the sum does not depend on the order.
                let sum = summaries.rev().reduce(|a, b| a.merge(b).unwrap()).unwrap();
                learning.decide(sum, &cfg).unwrap();
                let json = serde_json::to_vec(&learning).unwrap();
                learning = serde_json::from_slice(&json).unwrap();
            }
            assert_eq!(learning.learnt(), Some(&plain), "{k} shards");
        }
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
