//! Tokenize, first half: passages into token streams. Words are read per chunk of passages
//! with chunk-local ids ([`read_words`]), numbered across the corpus in order of first
//! appearance ([`number_words`]), classed as content words, connectors or neither and stemmed
//! ([`classify`]); two content words written apart whose joined form is a word of the corpus
//! are found ([`fold_pairs`]) and read as that word in each passage's stream ([`stream`]).

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::spill::{self, Spill, Spilled};
use super::token::{Token, CONNECTOR_SLOT, TOKEN_BREAK};
use super::{markup, Staging, BREAK, CHUNK, CONNECTOR};
use crate::text::{count_unread, Analyzer, Unread, WordClass};

/// A content token that is a fold of two written words: its surface is its lower-case form.
const FOLDED: u32 = u32::MAX;

/// What a written word is to the token streams: a content word, by its lower-case id; a
/// connector, by [`CONNECTOR`] | its index; or neither, which acts as a break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Class(u32);

impl Class {
    /// Neither a content word nor a connector.
    const NOT_A_TERM: Class = Class(u32::MAX);

    /// The lower-case id of a content word.
    pub(super) fn lower(self) -> u32 {
        self.0
    }

    /// A content word (a possible term).
    pub(super) fn is_content(self) -> bool {
        self != Class::NOT_A_TERM && self.0 & CONNECTOR == 0
    }
}

/// The words of one chunk of passages, with chunk-local ids.
pub(super) struct ChunkWords<'t> {
    words: Vec<&'t str>,
    /// Occurrences of each word in the chunk.
    counts: Vec<u32>,
    /// The passages' words one after another, each passage's as many as its `word_counts`:
    /// local id with the [`BREAK`] flag (global once numbered). One list a chunk, sized from
    /// its texts, rather than one growing list a passage.
    pub(super) ids: Vec<u32>,
    /// Words of each passage, markup left out.
    pub(super) word_counts: Vec<u32>,
    /// Words inside markup, not read.
    pub(super) markup_words: u64,
    /// Characters in scripts the language does not read.
    pub(super) unread: Unread,
}

/// The written words of the corpus, in order of first appearance, and how often each stands
/// as written (folds are taken off later). The words are copied out of the texts, so that
/// nothing after numbering reads the texts again.
#[derive(Default)]
pub(super) struct Written {
    /// The words, one after another.
    text: String,
    /// The end of each word in `text`.
    ends: Vec<usize>,
    pub(super) counts: Vec<u64>,
}

impl Written {
    /// The words, each standing `counts` times.
    pub(super) fn of(words: &[String], counts: Vec<u64>) -> Written {
        let mut written = Written {
            counts,
            ..Written::default()
        };
        for w in words {
            written.text.push_str(w);
            written.ends.push(written.text.len());
        }
        written
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn word(&self, w: usize) -> &str {
        let start = if w == 0 { 0 } else { self.ends[w - 1] };
        &self.text[start..self.ends[w]]
    }
}

/// What each written word is, and the lower-case forms and stems behind the classes.
#[derive(Clone)]
pub(super) struct Classes {
    /// The class of each written word.
    pub(super) of_word: Vec<Class>,
    /// Lower-case content forms, by lower-case id.
    pub(super) lowers: Vec<String>,
    /// The stem id of each lower-case form.
    pub(super) lower_stem: Vec<u32>,
    /// Stems, by stem id.
    pub(super) stems: Vec<String>,
}

/// The look-ups behind [`Classes`], needed only until the folds and asked phrases are known.
pub(super) struct Lookups {
    pub(super) lower_ids: FxHashMap<String, u32>,
    pub(super) stem_ids: FxHashMap<String, u32>,
}

/// A token of a passage's stream while it is made: a content word or a connector.
#[derive(Clone, Copy, Debug)]
struct Content {
    /// The written word's id, or [`FOLDED`] for two written words read as one.
    word: u32,
    /// Lower-case id (or [`CONNECTOR`] | connector index), with the [`BREAK`] flag.
    lower: u32,
    /// Its slot in a phrase key (see [`Token`]).
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

/// One chunk's token streams ([`Token`]s, their surfaces, each passage's length), the folds
/// seen (two lower-case ids and the one they fold into), and the written words that folds took.
#[derive(Default)]
struct ChunkStreams {
    tokens: Vec<u32>,
    surfaces: Vec<u32>,
    lens: Vec<u32>,
    folds: FxHashSet<(u32, u32, u32)>,
    folded_words: Vec<u32>,
}

/// A. The words of each chunk of [`CHUNK`] passages, with chunk-local ids; words inside markup
/// are counted, not read, and stand as a break.
pub(super) fn read_words<'t>(
    texts: &'t [Cow<'t, str>],
    analyzer: &Analyzer,
) -> Vec<ChunkWords<'t>> {
    let idx: Vec<usize> = (0..texts.len()).collect();
    idx.par_chunks(CHUNK)
        .map(|chunk| {
            // Sized for a chunk's distinct words (a few thousand), so that it rarely grows.
            let mut local: FxHashMap<&str, u32> =
                FxHashMap::with_capacity_and_hasher(8192, Default::default());
            let mut words = Vec::new();
            let mut counts: Vec<u32> = Vec::new();
            // Most texts' words take more than four bytes with the space after them (a Han
            // character, three): the list seldom grows.
            let bytes: usize = chunk.iter().map(|&p| texts[p].len()).sum();
            let mut ids: Vec<u32> = Vec::with_capacity(bytes / 4 + 16);
            let mut word_counts = Vec::with_capacity(chunk.len());
            let mut markup_words = 0;
            let mut unread = Unread::new();
            for &p in chunk {
                count_unread(&texts[p], analyzer.language(), &mut unread);
                let markup = markup::spans(&texts[p]);
                let (mut next, mut skipped, mut after_markup) = (0, 0, false);
                let n = analyzer.scan(&texts[p], |off, w, brk| {
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
                    ids.push(id | if brk || after_markup { BREAK } else { 0 });
                    after_markup = false;
                });
                word_counts.push(n - skipped);
                markup_words += skipped as u64;
            }
            ChunkWords {
                words,
                counts,
                ids,
                word_counts,
                markup_words,
                unread,
            }
        })
        .collect()
}

/// B. Global word ids, in order of first appearance; each chunk's tokens are renumbered as
/// its batch is added ([`Numbering::add`]), and its words are copied into [`Written`], so that
/// the texts a batch was read from are not needed again.
#[derive(Default)]
pub(super) struct Numbering {
    index: FxHashMap<Box<str>, u32>,
    written: Written,
}

impl Numbering {
    /// Numbers the words of `chunks`, which follow those already added.
    pub(super) fn add(&mut self, chunks: &mut [ChunkWords<'_>]) {
        let Numbering { index, written } = self;
        let remaps: Vec<Vec<u32>> = chunks
            .iter()
            .map(|c| {
                c.words
                    .iter()
                    .zip(&c.counts)
                    .map(|(&w, &n)| {
                        let id = match index.get(w) {
                            Some(&id) => id,
                            None => {
                                let id = written.ends.len() as u32;
                                written.text.push_str(w);
                                written.ends.push(written.text.len());
                                written.counts.push(0);
                                index.insert(w.into(), id);
                                id
                            }
                        };
                        written.counts[id as usize] += n as u64;
                        id
                    })
                    .collect()
            })
            .collect();
        chunks
            .par_iter_mut()
            .zip(remaps.par_iter())
            .for_each(|(c, remap)| {
                for t in c.ids.iter_mut() {
                    *t = remap[(*t & !BREAK) as usize] | (*t & BREAK);
                }
                c.words = Vec::new();
            });
    }

    pub(super) fn finish(self) -> Written {
        self.written
    }
}

/// C. What each word is: a content word (its lower-case id), a connector, or neither; and the
/// stem of each lower-case content form.
pub(super) fn classify(
    words: &Written,
    analyzer: &Analyzer,
    connectors: &[String],
) -> (Classes, Lookups) {
    let classes: Vec<WordClass> = (0..words.len())
        .into_par_iter()
        .map(|w| analyzer.classify(words.word(w)))
        .collect();
    let mut lower_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut lowers: Vec<String> = Vec::new();
    let of_word: Vec<Class> = classes
        .into_iter()
        .map(|c| match c {
            WordClass::Other => Class::NOT_A_TERM,
            WordClass::Connector(l) => {
                Class(CONNECTOR | connectors.iter().position(|c| *c == l).unwrap_or(0) as u32)
            }
            WordClass::Content(l) => Class(*lower_ids.entry(l.clone()).or_insert_with(|| {
                lowers.push(l);
                (lowers.len() - 1) as u32
            })),
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
    (
        Classes {
            of_word,
            lowers,
            lower_stem,
            stems,
        },
        Lookups {
            lower_ids,
            stem_ids,
        },
    )
}

/// Calls `f` with each batch of `batch` chunks of a spilled stream, cut into passages by
/// `lens`, in passage order; the pages a batch was read from are released after it.
pub(super) fn for_each_batch(
    stream: &Spilled,
    lens: &[u32],
    batch: usize,
    mut f: impl FnMut(Vec<Vec<&[u32]>>),
) {
    let values = stream.values();
    let mut at = 0;
    for batch in lens.chunks(CHUNK * batch) {
        let n: usize = batch.iter().map(|&n| n as usize).sum();
        f(spill::chunked(&values[at..at + n], batch, CHUNK));
        at += n;
        stream.release();
    }
}

/// Every passage's token stream after folds, spilled ([`spill`]): the tokens, the surface of
/// each (the written word's id, or for a fold its lower-case id | [`BREAK`]), and each
/// passage's number of tokens.
pub(super) struct Streams {
    tokens: Spilled,
    surfaces: Spilled,
    lens: Vec<u32>,
    /// Chunks read at a time.
    batch: usize,
}

impl Streams {
    /// Calls `f` with each batch of chunks of token streams, in passage order.
    pub(super) fn for_each_batch(&self, mut f: impl FnMut(Vec<Vec<&[Token]>>)) {
        for_each_batch(&self.tokens, &self.lens, self.batch, |chunks| {
            f(chunks
                .into_iter()
                .map(|c| c.into_iter().map(Token::cast).collect())
                .collect())
        })
    }

    /// Calls `f` with each batch of chunks of token streams and their surfaces.
    pub(super) fn for_each_batch_with_surfaces(
        &self,
        mut f: impl FnMut(Vec<Vec<(&[Token], &[u32])>>),
    ) {
        let surfaces = self.surfaces.values();
        let mut at = 0;
        for_each_batch(&self.tokens, &self.lens, self.batch, |chunks| {
            let batch = chunks
                .into_iter()
                .map(|c| {
                    c.into_iter()
                        .map(|toks| {
                            let s = &surfaces[at..at + toks.len()];
                            at += toks.len();
                            (Token::cast(toks), s)
                        })
                        .collect()
                })
                .collect();
            f(batch);
            self.surfaces.release();
        })
    }
}

/// What making the streams found beside them: the folds seen (two lower-case ids and the one
/// they fold into) and the occurrences of each stem as a word.
pub(super) struct Streamed {
    pub(super) streams: Streams,
    pub(super) folds: FxHashSet<(u32, u32, u32)>,
    pub(super) stem_counts: Vec<u64>,
}

/// Where [`stream`] puts each chunk's streams: the stream files, and what it counts beside.
struct StreamSink<'a> {
    tokens: Spill,
    surfaces: Spill,
    lens: Vec<u32>,
    folds: FxHashSet<(u32, u32, u32)>,
    stem_counts: Vec<u64>,
    written_counts: &'a mut [u64],
}

impl StreamSink<'_> {
    /// Writes chunks' streams, in order, and adds up their stems, folds and folded words.
    fn absorb(&mut self, made: Vec<ChunkStreams>) -> std::io::Result<()> {
        for c in made {
            self.tokens.push(&c.tokens)?;
            self.surfaces.push(&c.surfaces)?;
            for &t in &c.tokens {
                let t = Token(t);
                if !t.is_connector() {
                    self.stem_counts[t.stem() as usize] += 1;
                }
            }
            self.lens.extend(c.lens);
            self.folds.extend(c.folds);
            for w in c.folded_words {
                self.written_counts[w as usize] -= 1;
            }
        }
        Ok(())
    }
}

/// D. Each passage's token stream with the folds applied, spilled to `folder` (or kept in
/// memory), a batch of the word stream at a time. The written words that folds took no longer
/// stand as written: they are taken off `written_counts`.
pub(super) fn stream(
    words: &Spilled,
    word_counts: &[u32],
    classes: &Classes,
    fold_to: &FxHashMap<(u32, u32), u32>,
    written_counts: &mut [u64],
    Staging { folder, batch }: Staging,
) -> std::io::Result<Streamed> {
    assert!(
        (classes.stems.len() as u64) < TOKEN_BREAK as u64 - 1,
        "more stems than a token can name"
    );
    let mut fold_starts = vec![false; classes.lowers.len()];
    for &(a, _) in fold_to.keys() {
        fold_starts[a as usize] = true;
    }
    let slot_of = |class: u32| -> u32 {
        if class & CONNECTOR != 0 {
            CONNECTOR_SLOT | (class & !CONNECTOR)
        } else {
            classes.lower_stem[class as usize] + 1
        }
    };
    let make = |c: &Vec<&[u32]>| -> ChunkStreams {
        let mut out = ChunkStreams::default();
        for toks in c {
            let mut stream: Vec<Content> = Vec::with_capacity(toks.len());
            let mut brk = false;
            for &t in *toks {
                let word = t & !BREAK;
                brk |= t & BREAK != 0;
                let class = classes.of_word[word as usize];
                if class == Class::NOT_A_TERM {
                    brk = true;
                    continue;
                }
                if class.is_content() {
                    if let Some(prev) = stream
                        .last_mut()
                        .filter(|p| !brk && !p.is_connector() && fold_starts[p.lower_id() as usize])
                    {
                        let pl = prev.lower_id();
                        if let Some(&joined) = fold_to.get(&(pl, class.0)) {
                            out.folds.insert((pl, class.0, joined));
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
                    lower: class.0 | if brk { BREAK } else { 0 },
                    slot: slot_of(class.0),
                });
                brk = false;
            }
            out.lens.push(stream.len() as u32);
            for t in &stream {
                out.tokens
                    .push(t.slot | if t.lower & BREAK != 0 { TOKEN_BREAK } else { 0 });
                out.surfaces.push(t.surface());
            }
        }
        out
    };
    let mut sink = StreamSink {
        tokens: Spill::new(folder, "tokens")?,
        surfaces: Spill::new(folder, "surfaces")?,
        lens: Vec::with_capacity(word_counts.len()),
        folds: FxHashSet::default(),
        stem_counts: vec![0u64; classes.stems.len()],
        written_counts,
    };
    // A batch's streams are written while the next batch's are made, so that the writing (one
    // thread) does not leave the other cores idle.
    let mut pending: Vec<ChunkStreams> = Vec::new();
    let mut failed = None;
    for_each_batch(words, word_counts, batch, |chunks| {
        let previous = std::mem::take(&mut pending);
        let (made, written) = rayon::join(
            || chunks.par_iter().map(make).collect(),
            || sink.absorb(previous),
        );
        if let Err(e) = written {
            failed.get_or_insert(e);
        }
        pending = made;
    });
    if let Some(e) = failed {
        return Err(e);
    }
    sink.absorb(pending)?;
    let StreamSink {
        tokens,
        surfaces,
        lens,
        folds,
        stem_counts,
        ..
    } = sink;
    Ok(Streamed {
        streams: Streams {
            tokens: tokens.finish()?,
            surfaces: surfaces.finish()?,
            lens,
            batch,
        },
        folds,
        stem_counts,
    })
}
