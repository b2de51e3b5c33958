//! Tokenize learnt in shards: the steps of [`super::learn`] as passes over a corpus that lies
//! in shards. In each pass every shard counts what the next decision needs ([`Learning::count`]),
//! the counts are summed ([`Summary::merge`], associative and commutative), and the decision is
//! made once from the sum ([`Learning::decide`]):
//!
//! 1. **words**: the written words, each with where it first stands (shard, then position), so
//!    that the sum numbers them as one pass over the whole corpus does;
//! 2. **folds**: each lower-case form's occurrences, and the pairs that could fold;
//! 3. **streams**: the token streams with the folds; each stem's occurrences, each written
//!    word's after folds, the folds seen, and the candidates of two-word phrases;
//! 4. **rounds** of three and four words, while phrases are found;
//! 5. **forms**: the bags, with each phrase's written forms and each term's counts, which give
//!    the surface forms and the vocabulary.
//!
//! Every count is a sum over passages, and every decision is the one a plain run makes from the
//! same sums, so the [`Learnt`] is the one [`super::tokenize_learning`] gives, byte for byte.
//! A shard is read once ([`Learning::read`]: its words and each passage's word ids) and every
//! pass counts from that ([`Learning::count_read`]), or reads its texts again each pass
//! ([`Learning::count`]); the counts are the same.
//!
//! What travels is exact, and its size grows with the corpus' distinct words and candidates:
//! the candidates of two-word phrases are the largest part (each distinct pair of adjacent
//! content words in the shard, 24 bytes each).

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::apply::PhraseForm;
use super::folds::{self, FoldCounts, Splits};
use super::learn::{asked_keys, Decisions};
use super::learnt::LearntPhrase;
use super::phrases::{PhraseSet, Rounds};
use super::spill::{Spill, Spilled};
use super::streams::{self, Classes, Lookups, Written};
use super::terms::{self, TermKeys};
use super::wire::{add_dense, add_sorted, halves, whole, Packed};
use super::{analyzer, apply, number_words, Learnt, Staging, BREAK, READ_BATCH};
use crate::artifacts::{Passages, Vocabulary};
use crate::config::TokenizeConfig;
use crate::text::Analyzer;

/// What a shard counts next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pass {
    /// The written words.
    Words,
    /// The lower-case forms and the pairs that could fold.
    Folds,
    /// The token streams: stems, written words after folds, two-word candidates.
    Streams,
    /// A round of phrases of this many content words (three or four).
    Round(usize),
    /// The bags: each term's counts and each phrase's written forms.
    Forms,
    /// Nothing: the [`Learnt`] is made.
    Done,
}

/// Tokenize's learning over a corpus in shards, between passes: what was decided so far.
#[derive(Serialize, Deserialize)]
pub struct Learning {
    pass: Pass,
    /// The written words, numbered as one pass over the whole corpus numbers them.
    words: Vec<String>,
    /// Word tokens of the corpus, stop words included.
    total_words: u64,
    fold_to: Vec<((u32, u32), u32)>,
    /// Occurrences of each written word as written, after folds.
    written_counts: Vec<u64>,
    /// Folds seen: two lower-case ids and the one they fold into.
    folds: Vec<(u32, u32, u32)>,
    stem_counts: Vec<u64>,
    /// Keys of the asked phrases that can occur, in halves.
    asked: Vec<[u64; 2]>,
    /// Phrases found so far.
    phrases: Vec<LearntPhrase>,
    learnt: Option<Learnt>,
    /// What the words give, made once where the learning is read.
    #[serde(skip)]
    derived: OnceLock<Derived>,
}

/// What the numbered words give: the classes, the look-ups, and each word's number.
struct Derived {
    classes: Classes,
    lookups: Lookups,
    index: FxHashMap<String, u32>,
    splits: Splits,
}

/// A shard's passages read once ([`Learning::read`]): its written words in its own numbering,
/// with their occurrences, each passage's word ids and number of words, and the passages of
/// each document. Every pass after the first counts from it, so the texts are read once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadShard {
    shard: u32,
    words: Vec<String>,
    counts: Vec<u64>,
    word_counts: Vec<u32>,
    /// Word ids with the break flag, passage after passage.
    ids: Packed,
    /// Passages of each document, in order.
    runs: Vec<u32>,
}

/// What one pass counted over one shard, or over several once merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pass: Pass,
    counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Counts {
    /// Each written word, with where it first stands: shard · 2³² + position in the shard.
    Words {
        first: Vec<(String, u64)>,
        total_words: u64,
    },
    Folds(FoldCounts),
    Streams {
        /// Written words' occurrences after folds, by word number.
        written: Vec<(u32, u64)>,
        folds: Vec<(u32, u32, u32)>,
        stem_counts: Vec<u64>,
        candidates: Vec<([u64; 2], u64)>,
    },
    Round(Vec<([u64; 2], u64)>),
    Forms {
        phrase_forms: Vec<((u32, [u64; 2]), u64)>,
        /// Occurrences and passages of each term.
        stats: Vec<(u64, u32)>,
        documents: Vec<u32>,
    },
}

fn mismatch(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("summaries of different passes cannot be merged ({what})"),
    )
}

impl Summary {
    /// The pass this summary counted.
    pub fn pass(&self) -> Pass {
        self.pass
    }

    /// The sum of two summaries of the same pass: the same whatever the order and grouping.
    pub fn merge(self, other: Summary) -> std::io::Result<Summary> {
        if self.pass != other.pass {
            return Err(mismatch(&format!("{:?} and {:?}", self.pass, other.pass)));
        }
        let counts = match (self.counts, other.counts) {
            (
                Counts::Words {
                    first: a,
                    total_words: ta,
                },
                Counts::Words {
                    first: b,
                    total_words: tb,
                },
            ) => {
                let mut first: FxHashMap<String, u64> = a.into_iter().collect();
                for (w, at) in b {
                    let e = first.entry(w).or_insert(at);
                    *e = (*e).min(at);
                }
                let mut first: Vec<(String, u64)> = first.into_iter().collect();
                first.sort_unstable_by_key(|&(_, at)| at);
                Counts::Words {
                    first,
                    total_words: ta + tb,
                }
            }
            (Counts::Folds(a), Counts::Folds(b)) => Counts::Folds(a.merge(b)),
            (
                Counts::Streams {
                    written: wa,
                    folds: fa,
                    stem_counts: sa,
                    candidates: ca,
                },
                Counts::Streams {
                    written: wb,
                    folds: fb,
                    stem_counts: sb,
                    candidates: cb,
                },
            ) => {
                let mut folds = fa;
                folds.extend(fb);
                folds.sort_unstable();
                folds.dedup();
                Counts::Streams {
                    written: add_sorted(wa, wb),
                    folds,
                    stem_counts: add_dense(sa, sb),
                    candidates: add_sorted(ca, cb),
                }
            }
            (Counts::Round(a), Counts::Round(b)) => Counts::Round(add_sorted(a, b)),
            (
                Counts::Forms {
                    phrase_forms: pa,
                    stats: sa,
                    documents: da,
                },
                Counts::Forms {
                    phrase_forms: pb,
                    stats: sb,
                    documents: db,
                },
            ) => {
                let mut stats = sa;
                if stats.len() < sb.len() {
                    stats.resize(sb.len(), (0, 0));
                }
                stats.iter_mut().zip(sb).for_each(|(x, y)| {
                    x.0 += y.0;
                    x.1 += y.1;
                });
                Counts::Forms {
                    phrase_forms: add_sorted(pa, pb),
                    stats,
                    documents: add_dense(da, db),
                }
            }
            _ => return Err(mismatch("their counts differ")),
        };
        Ok(Summary {
            pass: self.pass,
            counts,
        })
    }
}

impl Default for Learning {
    fn default() -> Learning {
        Learning::new()
    }
}

impl Learning {
    /// Learning that has counted nothing yet.
    pub fn new() -> Learning {
        Learning {
            pass: Pass::Words,
            words: Vec::new(),
            total_words: 0,
            fold_to: Vec::new(),
            written_counts: Vec::new(),
            folds: Vec::new(),
            stem_counts: Vec::new(),
            asked: Vec::new(),
            phrases: Vec::new(),
            learnt: None,
            derived: OnceLock::new(),
        }
    }

    /// What a shard counts next.
    pub fn pass(&self) -> Pass {
        self.pass
    }

    /// What was learnt, once every pass is done.
    pub fn learnt(&self) -> Option<&Learnt> {
        self.learnt.as_ref()
    }

    /// The classes and look-ups of the numbered words.
    fn derived(&self, analyzer: &Analyzer) -> &Derived {
        self.derived.get_or_init(|| {
            let written = Written::of(&self.words, Vec::new());
            let (classes, lookups) = streams::classify(&written, analyzer, analyzer.connectors());
            let index = self
                .words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.clone(), i as u32))
                .collect();
            let splits = Splits::of(&classes, &lookups.lower_ids);
            Derived {
                classes,
                lookups,
                index,
                splits,
            }
        })
    }

    fn rounds(&self, cfg: &TokenizeConfig, next: usize) -> Rounds {
        Rounds::resume(
            self.phrases.iter().map(LearntPhrase::phrase).collect(),
            self.asked.iter().map(|&k| whole(k)).collect(),
            cfg.phrases.max_words.clamp(2, 4),
            next,
        )
    }

    /// The rounds before any was counted: none when phrases are off and none is asked for.
    fn first_rounds(&self, cfg: &TokenizeConfig) -> Rounds {
        Rounds::new(self.asked.iter().map(|&k| whole(k)).collect(), &cfg.phrases)
    }

    /// The term ids, once the phrases are all found.
    fn term_keys(&self, analyzer: &Analyzer, found: &PhraseSet) -> TermKeys {
        let classes = &self.derived(analyzer).classes;
        terms::number_terms(classes, analyzer.connectors(), found, &self.stem_counts)
    }

    /// Counts what this pass needs over one shard's passages; `shard` is the shard's place in
    /// the corpus (shards in corpus order). The same as [`Learning::count_read`] of
    /// [`Learning::read`].
    pub fn count(
        &self,
        corpus: &crate::artifacts::Corpus,
        passages: &Passages,
        cfg: &TokenizeConfig,
        shard: u32,
    ) -> std::io::Result<Summary> {
        self.count_read(&Learning::read(corpus, passages, cfg, shard)?, cfg)
    }

    /// Reads a shard's passages once, for every pass to count from: an engine can keep it
    /// between passes instead of reading the texts again.
    pub fn read(
        corpus: &crate::artifacts::Corpus,
        passages: &Passages,
        cfg: &TokenizeConfig,
        shard: u32,
    ) -> std::io::Result<ReadShard> {
        let analyzer = analyzer(cfg);
        let staging = Staging {
            folder: None,
            batch: READ_BATCH,
        };
        let (ids, read) = number_words(corpus, passages, &analyzer, staging)?;
        Ok(ReadShard {
            shard,
            words: (0..read.written.len())
                .map(|w| read.written.word(w).to_string())
                .collect(),
            counts: read.written.counts,
            word_counts: read.word_counts,
            ids: Packed(ids.values().to_vec()),
            runs: passages
                .document_runs()
                .iter()
                .map(|r| r.len() as u32)
                .collect(),
        })
    }

    /// Counts what this pass needs over a shard read by [`Learning::read`].
    pub fn count_read(&self, read: &ReadShard, cfg: &TokenizeConfig) -> std::io::Result<Summary> {
        let analyzer = analyzer(cfg);
        let staging = Staging {
            folder: None,
            batch: READ_BATCH,
        };
        if self.pass == Pass::Words {
            let first = read
                .words
                .iter()
                .enumerate()
                .map(|(w, word)| (word.clone(), (read.shard as u64) << 32 | w as u64))
                .collect();
            let total_words = read.word_counts.iter().map(|&n| n as u64).sum();
            return Ok(Summary {
                pass: Pass::Words,
                counts: Counts::Words { first, total_words },
            });
        }
        let derived = self.derived(&analyzer);
        let classes = &derived.classes;
        // The shard's words by the corpus' numbers.
        let mut written = vec![0u64; self.words.len()];
        let mut number = Vec::with_capacity(read.words.len());
        for (word, &n) in read.words.iter().zip(&read.counts) {
            let at = *derived.index.get(word).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the word {word:?} was not among the corpus' words when they were counted"
                    ),
                )
            })?;
            written[at as usize] = n;
            number.push(at);
        }
        let ids = renumber(&read.ids.0, &number)?;
        let runs: Vec<std::ops::Range<usize>> = read
            .runs
            .iter()
            .scan(0usize, |at, &n| {
                let r = *at..*at + n as usize;
                *at = r.end;
                Some(r)
            })
            .collect();
        let counts = match self.pass {
            Pass::Words | Pass::Done => unreachable!("counted above, or nothing to count"),
            Pass::Folds => Counts::Folds(folds::count_folds(
                &ids,
                &read.word_counts,
                READ_BATCH,
                classes,
                &derived.splits,
            )),
            Pass::Streams | Pass::Round(_) | Pass::Forms => {
                let fold_to: FxHashMap<(u32, u32), u32> = self.fold_to.iter().copied().collect();
                let streamed = streams::stream(
                    &ids,
                    &read.word_counts,
                    classes,
                    &fold_to,
                    &mut written,
                    staging,
                )?;
                match self.pass {
                    Pass::Streams => {
                        let mut rounds = self.first_rounds(cfg);
                        let candidates = match rounds.next_round() {
                            Some(round) => round.count(&streamed.streams, &rounds.found),
                            None => Vec::new(),
                        };
                        let mut folds: Vec<(u32, u32, u32)> = streamed.folds.into_iter().collect();
                        folds.sort_unstable();
                        Counts::Streams {
                            written: (0..written.len() as u32)
                                .zip(written)
                                .filter(|&(_, n)| n > 0)
                                .collect(),
                            folds,
                            stem_counts: streamed.stem_counts,
                            candidates: sorted_halves(candidates),
                        }
                    }
                    Pass::Round(n) => {
                        let mut rounds = self.rounds(cfg, n);
                        let round = rounds.next_round().expect("a round was decided");
                        Counts::Round(sorted_halves(round.count(&streamed.streams, &rounds.found)))
                    }
                    _ => {
                        let found = self.rounds(cfg, usize::MAX).found;
                        let keys = self.term_keys(&analyzer, &found);
                        let applied = apply::apply(&streamed.streams, &found, &keys, &runs);
                        let mut phrase_forms: Vec<((u32, [u64; 2]), u64)> = applied
                            .phrase_forms
                            .into_iter()
                            .map(|((p, form), n)| ((p, halves(form)), n))
                            .collect();
                        phrase_forms.sort_unstable();
                        Counts::Forms {
                            phrase_forms,
                            stats: applied.stats,
                            documents: applied.documents,
                        }
                    }
                }
            }
        };
        Ok(Summary {
            pass: self.pass,
            counts,
        })
    }

    /// Decides from the sum of every shard's summary of this pass, and moves to the next pass.
    pub fn decide(&mut self, summary: Summary, cfg: &TokenizeConfig) -> std::io::Result<()> {
        if summary.pass != self.pass {
            return Err(mismatch(&format!(
                "a summary of {:?} given to {:?}",
                summary.pass, self.pass
            )));
        }
        let analyzer = analyzer(cfg);
        match summary.counts {
            Counts::Words { first, total_words } => {
                self.words = first.into_iter().map(|(w, _)| w).collect();
                self.total_words = total_words;
                self.derived = OnceLock::new();
                let lookups = &self.derived(&analyzer).lookups;
                let asked = asked_keys(cfg, &analyzer, analyzer.connectors(), &lookups.stem_ids);
                self.asked = asked.into_iter().map(halves).collect();
                self.pass = Pass::Folds;
            }
            Counts::Folds(counts) => {
                let fold_to = self
                    .derived(&analyzer)
                    .splits
                    .decide(&counts, cfg.fold_min_ratio);
                self.fold_to = fold_to.into_iter().collect();
                self.fold_to.sort_unstable();
                self.pass = Pass::Streams;
            }
            Counts::Streams {
                written,
                folds,
                stem_counts,
                candidates,
            } => {
                self.written_counts = vec![0; self.words.len()];
                for (w, n) in written {
                    self.written_counts[w as usize] = n;
                }
                self.folds = folds;
                self.stem_counts = stem_counts;
                self.stem_counts
                    .resize(self.derived(&analyzer).classes.stems.len(), 0);
                let mut rounds = self.first_rounds(cfg);
                if let Some(round) = rounds.next_round() {
                    let counts = unhalve(candidates);
                    rounds.accept(
                        &round,
                        &counts,
                        &self.stem_counts,
                        self.total_words,
                        &cfg.phrases,
                    );
                }
                self.next_round(rounds);
            }
            Counts::Round(candidates) => {
                let Pass::Round(n) = self.pass else {
                    unreachable!("checked above")
                };
                let mut rounds = self.rounds(cfg, n);
                let round = rounds.next_round().expect("a round was decided");
                rounds.accept(
                    &round,
                    &unhalve(candidates),
                    &self.stem_counts,
                    self.total_words,
                    &cfg.phrases,
                );
                self.next_round(rounds);
            }
            Counts::Forms {
                phrase_forms,
                stats,
                documents,
            } => {
                let phrase_forms: Vec<PhraseForm> = phrase_forms
                    .into_iter()
                    .map(|((p, form), n)| ((p, whole(form)), n))
                    .collect();
                self.learnt = Some(self.finish(cfg, &analyzer, &phrase_forms, stats, documents));
                self.pass = Pass::Done;
            }
        }
        Ok(())
    }

    /// Keeps the phrases the rounds found, and moves to the next round or to the forms.
    fn next_round(&mut self, mut rounds: Rounds) {
        self.phrases = rounds.found.phrases.iter().map(LearntPhrase::of).collect();
        self.pass = match rounds.next_round() {
            Some(_) => Pass::Round(rounds.parts().1),
            None => Pass::Forms,
        };
    }

    /// The vocabulary and what a shard is read with, as a plain run makes them.
    fn finish(
        &self,
        cfg: &TokenizeConfig,
        analyzer: &Analyzer,
        phrase_forms: &[PhraseForm],
        stats: Vec<(u64, u32)>,
        documents: Vec<u32>,
    ) -> Learnt {
        let derived = self.derived(analyzer);
        let classes = &derived.classes;
        let found = self.rounds(cfg, usize::MAX).found;
        let keys = self.term_keys(analyzer, &found);
        let written = Written::of(&self.words, self.written_counts.clone());
        let forms = terms::surface_forms(&written, classes, &keys, phrase_forms);
        let folds: FxHashSet<(u32, u32, u32)> = self.folds.iter().copied().collect();
        let mut stats = stats;
        stats.resize(keys.kept.len(), (0, 0));
        let mut documents = documents;
        documents.resize(keys.kept.len(), 0);
        let vocabulary = Vocabulary {
            terms: terms::term_table(&keys, &found, forms, documents, stats),
            folded: terms::folded_spellings(std::slice::from_ref(&folds), classes, &keys),
            language: cfg.language,
            connectors: analyzer.connectors().to_vec(),
            stop_words: analyzer.stop_words(),
            stemmed: analyzer.stems(),
            user_words: cfg.user_words.clone(),
        };
        let decisions = Decisions {
            classes: classes.clone(),
            fold_to: self.fold_to.iter().copied().collect(),
            folds,
            found,
            keys,
        };
        Learnt::keep(decisions, cfg.phrases.max_words.clamp(2, 4), &vocabulary)
    }
}

/// A word stream by the corpus' word numbers: `number` maps the shard's own.
fn renumber(ids: &[u32], number: &[u32]) -> std::io::Result<Spilled> {
    let mapped: Vec<u32> = ids
        .iter()
        .map(|&t| number[(t & !BREAK) as usize] | (t & BREAK))
        .collect();
    let mut spill = Spill::new(None, "words")?;
    spill.push(&mapped)?;
    spill.finish()
}

fn sorted_halves(counts: Vec<(u128, u64)>) -> Vec<([u64; 2], u64)> {
    let mut out: Vec<([u64; 2], u64)> = counts.into_iter().map(|(k, n)| (halves(k), n)).collect();
    out.sort_unstable();
    out
}

fn unhalve(counts: Vec<([u64; 2], u64)>) -> Vec<(u128, u64)> {
    counts.into_iter().map(|(k, n)| (whole(k), n)).collect()
}
