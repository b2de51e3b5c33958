//! A corpus counted in shards and merged: the counting tables of a run (`terms`, `variants`,
//! `phrases`, `periods`, `terms_by_period`), byte for byte, from partial counts that any
//! number of workers make apart.
//!
//! Three steps, each a command (ARCHITECTURE.md, "Beyond one machine"):
//!
//! 1. [`learn`] reads the whole corpus once and keeps what crosses documents ([`State`]): the
//!    counts that decide page furniture, the spellings that fold, the phrases, the term ids and
//!    the periods, with the configuration they were made under.
//! 2. [`count`] is the map: a pure function of a shard's documents and the state, giving a
//!    [`Partial`] of integer counts per term, per period and per (period, term).
//! 3. [`Partial::merge`] sums partials (associative and commutative: integer sums) and
//!    [`tables`] turns the sum into the tables, with the TF-IDF weighting fitted from the
//!    merged document frequencies.
//!
//! A shard's passages, token streams, phrases and bags are exactly those its documents have in a
//! run over the whole corpus, because every decision that looks across documents is taken from
//! the state; the counts that remain are sums over documents.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::artifacts::{Corpus, Period, PeriodStats, TermId};
use crate::config::{Config, ValidConfig};
use crate::error::{Error, Location, Result};
use crate::stages::s2_segment::{self, clean::Furniture};
use crate::stages::s3_tokenize::{self, Learnt};
use crate::stages::s4_vectorize;
use crate::stages::s6_trends::counts::{period_counts, PeriodCount, PeriodCounts};
use crate::stages::s6_trends::{self, periods};
use crate::stages::s7_report::tables;

/// What a state file says it is, so that nothing else is ever read as one or replaced.
const STATE_FORMAT: &str = "topictide-state-1";

/// What [`learn`] keeps from the whole corpus: everything a shard needs to be read as the whole
/// corpus reads it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    format: String,
    /// The configuration the corpus was read under; counting and merging use it, not flags.
    config: Config,
    /// The corpus' line counts that decide page furniture (only those that can decide).
    furniture: Option<Furniture>,
    /// Folds, phrases and term ids.
    learnt: Learnt,
    /// The periods from the first document's to the last one's.
    periods: Vec<Period>,
    /// Documents of the whole corpus.
    documents: u64,
    /// Each document's fingerprint ([`fingerprint`]), sorted: a shard's documents must be
    /// among them.
    fingerprints: Vec<u64>,
    /// [`State::digest`], once made (the state of a large corpus is hundreds of megabytes).
    #[serde(skip)]
    digest: std::sync::OnceLock<String>,
}

impl State {
    /// The configuration the state was learnt under, validated again.
    pub fn config(&self) -> Result<ValidConfig> {
        self.config.clone().validate().map_err(|e| {
            Error::input(
                Location::file("state"),
                format!("the state's configuration is not valid: {e}"),
                "learn the state again with this version of topictide",
            )
        })
    }

    /// Documents of the corpus the state was learnt from.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// A digest of the state, which every partial counted with it carries: partials of different
    /// states cannot be merged.
    pub fn digest(&self) -> String {
        self.digest
            .get_or_init(|| format!("{:016x}", fnv1a(&self.to_json())))
            .clone()
    }

    /// The state as JSON.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a state serializes")
    }

    /// Reads a state written by [`State::to_json`].
    pub fn from_json(path: &Path, bytes: &[u8]) -> Result<State> {
        let state: State = serde_json::from_slice(bytes).map_err(|e| {
            Error::input(
                Location::file(path),
                format!("not a topictide state ({e})"),
                "give the file `topictide learn` wrote",
            )
        })?;
        if state.format != STATE_FORMAT {
            return Err(Error::input(
                Location::file(path),
                format!("a state of format {:?}, not {STATE_FORMAT:?}", state.format),
                "learn the state again with this version of topictide",
            ));
        }
        Ok(state)
    }
}

/// 64-bit FNV-1a: a digest that is the same on every machine and version.
fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(0xcbf29ce484222325, bytes)
}

fn fnv1a_from(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// A document's fingerprint: its id and its text.
fn fingerprint(d: &crate::artifacts::Document) -> u64 {
    fnv1a_from(
        fnv1a_from(fnv1a(d.id.as_bytes()), &[0xff]),
        d.text.as_bytes(),
    )
}

/// The fingerprints of a corpus' documents, in document order.
fn fingerprints(corpus: &Corpus) -> Vec<u64> {
    use rayon::prelude::*;
    let f: Vec<u64> = corpus.documents.par_iter().map(fingerprint).collect();
    corpus.release_texts();
    f
}

/// Step 1: reads the whole corpus under `config` and keeps what a shard needs. `folder` holds
/// the token streams while tokenize runs (see [`s3_tokenize::tokenize_in`]).
pub fn learn(config: &ValidConfig, corpus: &Corpus, folder: Option<&Path>) -> Result<State> {
    refuse_synonyms(config)?;
    let furniture = s2_segment::furniture(corpus, &config.segment);
    let passages = s2_segment::segment_with(corpus, &config.segment, furniture.as_ref());
    let (_, learnt) =
        s3_tokenize::tokenize_learning(corpus, &passages, &config.tokenize_config(), folder)
            .map_err(|e| Error::io("write", folder.unwrap_or(Path::new(".")), e))?;
    let (periods, _) = periods::assign(&corpus.documents, &config.trends)?;
    let mut fingerprints = fingerprints(corpus);
    fingerprints.sort_unstable();
    // The thread count changes no count, so it is no part of the state.
    let config = Config {
        threads: None,
        ..(**config).clone()
    };
    Ok(State {
        format: STATE_FORMAT.to_string(),
        config,
        furniture: furniture.map(Furniture::decisive),
        learnt,
        periods,
        documents: corpus.documents.len() as u64,
        fingerprints,
        digest: Default::default(),
    })
}

/// Synonym rules merge terms after tokenizing, which a shard cannot repeat term for term.
fn refuse_synonyms(config: &ValidConfig) -> Result<()> {
    if config.tokenize.synonyms.is_empty() {
        return Ok(());
    }
    Err(Error::input(
        Location::file("[tokenize] synonyms"),
        "counting in shards does not apply synonym rules yet",
        "run without synonyms to count in shards, or use `topictide run`",
    ))
}

/// A shard's counts: the corpus' figures, and each term's uses, overall and per period. Every
/// field is a sum over the shard's documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Partial {
    /// [`State::digest`] of the state the shard was counted with.
    state: String,
    documents: u64,
    passages: u64,
    /// Word tokens, stop words included.
    words: u64,
    /// Words inside markup, not read.
    markup_words: u64,
    /// Characters in scripts the language does not read, by script (Han in an English run…).
    unread: BTreeMap<String, u64>,
    /// The sum (wrapping) of the documents' fingerprints: the partials of every shard, each
    /// once, add up to the corpus' sum.
    fingerprints: u64,
    /// Per term id: occurrences, documents, passages.
    terms: BTreeMap<TermId, PeriodCount>,
    /// Per period index: documents, passages, word tokens.
    periods: BTreeMap<u32, (u32, u32, u64)>,
    /// Per (period index, term id): occurrences, documents, passages.
    term_periods: BTreeMap<(u32, TermId), PeriodCount>,
}

/// Step 2, the map: a shard's documents counted as the whole corpus would count them. Needs
/// nothing but the shard and the state, so any worker can run it.
pub fn count(state: &State, corpus: &Corpus) -> Result<Partial> {
    let config = state.config()?;
    let mut sum = 0u64;
    for (d, f) in corpus.documents.iter().zip(fingerprints(corpus)) {
        if state.fingerprints.binary_search(&f).is_err() {
            return Err(Error::input(
                Location::file(&d.origin),
                format!(
                    "the document {:?} is not in the corpus the state was learnt from (its id \
                     or its text differ)",
                    d.id
                ),
                "count shards of the corpus the state was learnt from, or learn again",
            ));
        }
        sum = sum.wrapping_add(f);
    }
    let passages = s2_segment::segment_with(corpus, &config.segment, state.furniture.as_ref());
    let tokens = s3_tokenize::tokenize_shard(
        corpus,
        &passages,
        &config.tokenize_config(),
        &state.learnt,
        None,
    )
    .map_err(|e| {
        Error::input(
            Location::file(&corpus.path),
            format!("this shard cannot be counted with the state: {e}"),
            "count shards of the corpus the state was learnt from, with `topictide learn` run \
             on the whole of it",
        )
    })?;
    let doc_period = global_periods(state, corpus)?;

    let mut partial = Partial {
        state: state.digest(),
        documents: corpus.documents.len() as u64,
        passages: passages.passages.len() as u64,
        words: tokens.word_counts.iter().map(|&n| n as u64).sum(),
        markup_words: tokens.markup_words,
        unread: tokens.unread_characters.iter().cloned().collect(),
        fingerprints: sum,
        ..Partial::default()
    };
    for (t, term) in tokens.vocabulary.terms.iter().enumerate() {
        if term.count > 0 {
            let c = PeriodCount {
                count: term.count,
                documents: term.documents,
                passages: term.passages,
            };
            partial.terms.insert(t as TermId, c);
        }
    }
    for &p in &doc_period {
        partial.periods.entry(p as u32).or_default().0 += 1;
    }
    for (i, psg) in passages.passages.iter().enumerate() {
        let e = partial
            .periods
            .entry(doc_period[psg.doc as usize] as u32)
            .or_default();
        e.1 += 1;
        e.2 += tokens.word_counts[i] as u64;
    }
    let all: Vec<TermId> = partial.terms.keys().copied().collect();
    let counts = period_counts(&passages, &tokens, &doc_period, &all)?;
    partial.term_periods = counts.into_map().into_iter().collect();
    Ok(partial)
}

/// Each document's index into the state's periods (the whole corpus' periods).
fn global_periods(state: &State, corpus: &Corpus) -> Result<Vec<usize>> {
    if corpus.documents.is_empty() {
        return Ok(Vec::new());
    }
    let config = state.config()?;
    let (local, doc_local) = periods::assign(&corpus.documents, &config.trends)?;
    let global: Vec<usize> = local
        .iter()
        .map(|p| {
            state.periods.binary_search(p).map_err(|_| {
                Error::input(
                    Location::file(&corpus.path),
                    format!("the period {p} lies outside the corpus the state was learnt from"),
                    "count shards of the corpus the state was learnt from",
                )
            })
        })
        .collect::<Result<_>>()?;
    Ok(doc_local.iter().map(|&p| global[p]).collect())
}

/// An error in the set of partials given to merge.
fn refuse(message: impl Into<String>, hint: &str) -> Error {
    Error::input(Location::file("partials"), message, hint)
}

fn add(a: &mut PeriodCount, b: &PeriodCount) {
    a.count += b.count;
    a.documents += b.documents;
    a.passages += b.passages;
}

impl Partial {
    /// The partial of both shards: every count summed. Associative and commutative, so
    /// partials merge in any order and grouping.
    pub fn merge(mut self, other: Partial) -> Result<Partial> {
        if self.state != other.state {
            return Err(refuse(
                format!(
                    "partials counted with different states ({} and {})",
                    self.state, other.state
                ),
                "count every shard with the same state file",
            ));
        }
        self.documents += other.documents;
        self.passages += other.passages;
        self.words += other.words;
        self.markup_words += other.markup_words;
        for (script, n) in other.unread {
            *self.unread.entry(script).or_default() += n;
        }
        self.fingerprints = self.fingerprints.wrapping_add(other.fingerprints);
        for (t, c) in &other.terms {
            add(self.terms.entry(*t).or_default(), c);
        }
        for (p, (d, s, w)) in other.periods {
            let e = self.periods.entry(p).or_default();
            (e.0, e.1, e.2) = (e.0 + d, e.1 + s, e.2 + w);
        }
        for (k, c) in &other.term_periods {
            add(self.term_periods.entry(*k).or_default(), c);
        }
        Ok(self)
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Words inside markup, not read.
    pub fn markup_words(&self) -> u64 {
        self.markup_words
    }

    /// Characters in scripts the language does not read, by script.
    pub fn unread_characters(&self) -> &BTreeMap<String, u64> {
        &self.unread
    }
}

/// Step 3: the counting tables of the merged counts of a whole corpus, by name, as a run over the
/// corpus writes them.
pub fn tables(state: &State, merged: &Partial) -> Result<Vec<(&'static str, DataFrame)>> {
    if merged.state != state.digest() {
        return Err(refuse(
            "the partials were counted with another state",
            "merge with the state file the shards were counted with",
        ));
    }
    if merged.documents != state.documents {
        return Err(refuse(
            format!(
                "the partials hold {} documents; the corpus the state was learnt from has {}",
                merged.documents, state.documents
            ),
            "merge the partials of every shard, each once",
        ));
    }
    let whole = state
        .fingerprints
        .iter()
        .fold(0u64, |a, &f| a.wrapping_add(f));
    if merged.fingerprints != whole {
        return Err(refuse(
            "the partials do not hold the corpus' documents each once (one shard is missing and \
             another repeated, or a shard was counted from another corpus)",
            "merge the partials of every shard, each once",
        ));
    }
    let config = state.config()?;
    let mut vocabulary = state.learnt.vocabulary.clone();
    for (t, term) in vocabulary.terms.iter_mut().enumerate() {
        let c = merged
            .terms
            .get(&(t as TermId))
            .copied()
            .unwrap_or_default();
        (term.count, term.documents, term.passages) = (c.count, c.documents, c.passages);
    }
    let tfidf = s4_vectorize::fit(
        &vocabulary,
        merged.passages as usize,
        merged.words,
        &config.vectorize,
    )?;
    let periods: Vec<PeriodStats> = state
        .periods
        .iter()
        .enumerate()
        .map(|(i, &period)| {
            let (documents, passages, tokens) =
                merged.periods.get(&(i as u32)).copied().unwrap_or_default();
            PeriodStats {
                period,
                documents,
                passages,
                tokens,
                thin: documents > 0 && documents < config.trends.thin_documents,
            }
        })
        .collect();
    let counts: HashMap<(u32, TermId), PeriodCount> =
        merged.term_periods.iter().map(|(&k, &c)| (k, c)).collect();
    let rows = s6_trends::rows_of(
        &periods,
        &vocabulary,
        &config.trends,
        &PeriodCounts::from_map(counts),
    );
    Ok(vec![
        ("terms", tables::vocabulary_terms(&vocabulary, &tfidf)?),
        ("variants", tables::vocabulary_variants(&vocabulary)?),
        ("phrases", tables::vocabulary_phrases(&vocabulary)?),
        ("periods", tables::period_stats(&periods)?),
        (
            "terms_by_period",
            tables::period_rows(&rows, &vocabulary, &periods)?,
        ),
    ])
}

/// The part of a corpus a shard holds: documents `i·N/n` up to `(i+1)·N/n`, so that the shards
/// of `n` hold every document once.
pub fn select(corpus: &mut Corpus, shard: usize, of: usize) {
    let n = corpus.documents.len();
    let (from, to) = (shard * n / of, (shard + 1) * n / of);
    corpus.documents.truncate(to);
    corpus.documents.drain(..from);
}

/// The columns of a partial as a table (Arrow, written as Parquet), a row per count:
/// `part` names what the row counts — `corpus` (`count`: words inside markup; `tokens`: word
/// tokens), `term`, `period`, `term_period` or `unread` (`count`: characters of the `script`
/// not read) — and `state` the digest of the state.
pub fn to_frame(partial: &Partial) -> Result<DataFrame> {
    let mut part: Vec<&str> = vec!["corpus"];
    let mut period: Vec<Option<u32>> = vec![None];
    let mut term: Vec<Option<u32>> = vec![None];
    let mut count: Vec<u64> = vec![partial.markup_words];
    let mut documents: Vec<u64> = vec![partial.documents];
    let mut passages: Vec<u64> = vec![partial.passages];
    let mut tokens: Vec<u64> = vec![partial.words];
    let mut script: Vec<Option<String>> = vec![None];
    type Row = (Option<u32>, Option<u32>, PeriodCount, u64, Option<String>);
    let mut push = |p: &'static str, row: Row| {
        let (pe, te, c, w, sc) = row;
        part.push(p);
        period.push(pe);
        term.push(te);
        count.push(c.count);
        documents.push(c.documents as u64);
        passages.push(c.passages as u64);
        tokens.push(w);
        script.push(sc);
    };
    for (&t, &c) in &partial.terms {
        push("term", (None, Some(t), c, 0, None));
    }
    for (&p, &(d, s, w)) in &partial.periods {
        let c = PeriodCount {
            count: 0,
            documents: d,
            passages: s,
        };
        push("period", (Some(p), None, c, w, None));
    }
    for (&(p, t), &c) in &partial.term_periods {
        push("term_period", (Some(p), Some(t), c, 0, None));
    }
    for (name, &n) in &partial.unread {
        let c = PeriodCount {
            count: n,
            ..PeriodCount::default()
        };
        push("unread", (None, None, c, 0, Some(name.clone())));
    }
    let rows = part.len();
    let mut fingerprint: Vec<Option<u64>> = vec![None; rows];
    fingerprint[0] = Some(partial.fingerprints);
    DataFrame::new_infer_height(vec![
        Column::new("part".into(), part),
        Column::new("period".into(), period),
        Column::new("term".into(), term),
        Column::new("count".into(), count),
        Column::new("documents".into(), documents),
        Column::new("passages".into(), passages),
        Column::new("tokens".into(), tokens),
        Column::new("script".into(), script),
        Column::new("state".into(), vec![partial.state.as_str(); rows]),
        Column::new("fingerprints".into(), fingerprint),
    ])
    .map_err(|e| Error::Internal(format!("building a partial: {e}")))
}

/// Reads a partial back from [`to_frame`]'s table; `path` names it in errors.
pub fn from_frame(path: &Path, df: &DataFrame) -> Result<Partial> {
    let bad = |what: String| {
        Error::input(
            Location::file(path),
            format!("not a topictide partial: {what}"),
            "give the files `topictide count` wrote",
        )
    };
    let col = |name: &str| {
        df.column(name)
            .map(|c| c.as_materialized_series().clone())
            .map_err(|_| bad(format!("no column {name:?}")))
    };
    let strs = |name: &str| -> Result<Vec<Option<String>>> {
        let s = col(name)?;
        let ca = s.str().map_err(|e| bad(e.to_string()))?;
        Ok(ca.iter().map(|v| v.map(str::to_string)).collect())
    };
    let u32s = |name: &str| -> Result<Vec<Option<u32>>> {
        let s = col(name)?;
        Ok(s.u32().map_err(|e| bad(e.to_string()))?.iter().collect())
    };
    let u64s = |name: &str| -> Result<Vec<u64>> {
        let s = col(name)?;
        let ca = s.u64().map_err(|e| bad(e.to_string()))?;
        Ok(ca.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let (part, state, script) = (strs("part")?, strs("state")?, strs("script")?);
    let (period, term) = (u32s("period")?, u32s("term")?);
    let fingerprint: Vec<Option<u64>> = {
        let s = col("fingerprints")?;
        let ca = s.u64().map_err(|e| bad(e.to_string()))?;
        ca.iter().collect()
    };
    let (count, documents, passages, tokens) = (
        u64s("count")?,
        u64s("documents")?,
        u64s("passages")?,
        u64s("tokens")?,
    );
    let mut p = Partial {
        state: state.first().cloned().flatten().unwrap_or_default(),
        ..Partial::default()
    };
    for i in 0..part.len() {
        if state[i].as_deref() != Some(p.state.as_str()) {
            return Err(bad(format!("row {} has another state", i + 1)));
        }
        let c = PeriodCount {
            count: count[i],
            documents: documents[i] as u32,
            passages: passages[i] as u32,
        };
        match (part[i].as_deref(), period[i], term[i]) {
            (Some("corpus"), None, None) => {
                p.fingerprints = p.fingerprints.wrapping_add(fingerprint[i].unwrap_or(0));
                p.markup_words += count[i];
                p.documents += documents[i];
                p.passages += passages[i];
                p.words += tokens[i];
            }
            (Some("term"), None, Some(t)) => add(p.terms.entry(t).or_default(), &c),
            (Some("period"), Some(q), None) => {
                let e = p.periods.entry(q).or_default();
                (e.0, e.1, e.2) = (e.0 + c.documents, e.1 + c.passages, e.2 + tokens[i]);
            }
            (Some("term_period"), Some(q), Some(t)) => {
                add(p.term_periods.entry((q, t)).or_default(), &c)
            }
            (Some("unread"), None, None) if script[i].is_some() => {
                let name = script[i].clone().expect("checked");
                *p.unread.entry(name).or_default() += count[i];
            }
            _ => return Err(bad(format!("row {} is not a count of a known part", i + 1))),
        }
    }
    Ok(p)
}

/// The folder a file is in (`.` for a bare name).
fn folder_of(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// Refuses a destination for a state or partial that lies inside the corpus folder, or that
/// holds a file topictide did not write (`ours` says which files it wrote). Checked before any
/// work, and again when writing.
pub fn check_destination(path: &Path, corpus: &Path, ours: impl Fn(&[u8]) -> bool) -> Result<()> {
    let parent = folder_of(path);
    if let (Ok(dir), Ok(c), true) = (
        parent.canonicalize(),
        corpus.canonicalize(),
        corpus.is_dir(),
    ) {
        if dir.starts_with(&c) {
            return Err(Error::input(
                Location::file(path),
                "lies inside the corpus folder, which a run never writes into",
                "write it outside the corpus folder",
            ));
        }
    }
    if path.symlink_metadata().is_ok() {
        let existing = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        if !path.is_file() || path.is_symlink() || !ours(&existing) {
            return Err(Error::input(
                Location::file(path),
                "exists and is not a file topictide wrote, so it is left alone",
                "remove it yourself, or choose another path",
            ));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` whole or not at all (a file beside it, renamed into place), after
/// [`check_destination`].
pub fn write_file(
    path: &Path,
    corpus: &Path,
    bytes: &[u8],
    ours: impl Fn(&[u8]) -> bool,
) -> Result<()> {
    check_destination(path, corpus, ours)?;
    let parent = folder_of(path);
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    let tmp = parent.join(format!(
        ".{}.part-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io("write", path, e));
    }
    Ok(())
}

/// Whether `bytes` are a state file (its format is named in it).
pub fn is_state(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .is_ok_and(|v| v.get("format").and_then(|f| f.as_str()) == Some(STATE_FORMAT))
}

/// Whether `bytes` are a partial: a Parquet file with a partial's columns.
pub fn is_partial(bytes: &[u8]) -> bool {
    ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .is_ok_and(|df| {
            ["part", "state", "term", "period"]
                .iter()
                .all(|c| df.column(c).is_ok())
        })
}

/// A partial as Parquet bytes.
pub fn to_parquet(partial: &Partial) -> Result<Vec<u8>> {
    let mut df = to_frame(partial)?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out)
        .finish(&mut df)
        .map_err(|e| Error::Internal(format!("writing a partial: {e}")))?;
    Ok(out)
}

/// Reads a partial from a Parquet file.
pub fn read_partial(path: &Path) -> Result<Partial> {
    let f = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let df = ParquetReader::new(f).finish().map_err(|e| {
        Error::input(
            Location::file(path),
            format!("not a Parquet file ({e})"),
            "give the files `topictide count` wrote",
        )
    })?;
    from_frame(path, &df)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::{s1_ingest, s3_tokenize, s4_vectorize};
    use crate::test_support::corpus;
    use proptest::prelude::*;

    fn valid(config: Config) -> ValidConfig {
        config.validate().unwrap()
    }

    /// Documents `range` of `all`, as a shard holds them.
    fn shard_of(all: &Corpus, range: std::ops::Range<usize>) -> Corpus {
        let mut c = all.clone();
        c.documents.truncate(range.end);
        c.documents.drain(..range.start);
        c
    }

    fn csv(tables: &mut [(&'static str, DataFrame)]) -> Vec<(&'static str, String)> {
        tables
            .iter_mut()
            .map(|(name, df)| {
                let mut out = Vec::new();
                CsvWriter::new(&mut out).finish(df).unwrap();
                (*name, String::from_utf8(out).unwrap())
            })
            .collect()
    }

    fn seeds() -> (ValidConfig, Corpus) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let text = std::fs::read_to_string(dir.join("topictide.toml")).unwrap();
        let config = valid(toml::from_str(&text).unwrap());
        let corpus = s1_ingest::ingest(&dir, &config.ingest).unwrap();
        (config, corpus)
    }

    #[test]
    fn seeds_merged_from_any_two_shards_are_the_whole_corpus_counted() {
        let (config, all) = seeds();
        let state = learn(&config, &all, None).unwrap();
        let whole = count(&state, &all).unwrap();
        // What a run over the whole corpus counts.
        let passages = s2_segment::segment(&all, &config.segment);
        let tokens = s3_tokenize::tokenize(&all, &passages, &config.tokenize_config());
        let tfidf = s4_vectorize::vectorize(&tokens, &config.vectorize).unwrap();
        let plain = tables::vocabulary_terms(&tokens.vocabulary, &tfidf).unwrap();
        let mut expected = [("terms", plain)];
        let merged_tables = csv(&mut tables(&state, &whole).unwrap());
        assert_eq!(merged_tables[0], csv(&mut expected)[0]);
        assert!(whole.terms.len() > 500, "{}", whole.terms.len());
        // The Han characters an English run does not read (小米, 百度, 騰迅) are counted too.
        let unread: Vec<(String, u64)> = whole.unread.clone().into_iter().collect();
        assert_eq!(unread, tokens.unread_characters);
        assert_eq!(unread, [("Han".to_string(), 6)]);
        for k in 0..=all.documents.len() {
            let a = count(&state, &shard_of(&all, 0..k)).unwrap();
            let b = count(&state, &shard_of(&all, k..all.documents.len())).unwrap();
            let merged = b.clone().merge(a.clone()).unwrap();
            assert_eq!(merged, whole, "split at {k}");
            assert_eq!(a.merge(b).unwrap(), whole, "split at {k}");
            assert_eq!(csv(&mut tables(&state, &merged).unwrap()), merged_tables);
        }
    }

    #[test]
    fn a_partial_reads_back_from_its_table() {
        let (config, all) = seeds();
        let state = learn(&config, &all, None).unwrap();
        for range in [1..4, 0..all.documents.len()] {
            let partial = count(&state, &shard_of(&all, range)).unwrap();
            let df = to_frame(&partial).unwrap();
            assert_eq!(from_frame(Path::new("p"), &df).unwrap(), partial);
        }
    }

    #[test]
    fn partials_of_another_state_or_corpus_are_refused() {
        let (config, all) = seeds();
        let state = learn(&config, &all, None).unwrap();
        let other = learn(&config, &shard_of(&all, 0..3), None).unwrap();
        let a = count(&state, &shard_of(&all, 0..3)).unwrap();
        let b = count(&other, &shard_of(&all, 0..3)).unwrap();
        assert!(a.clone().merge(b).is_err());
        // Shard 3.. is not in the corpus `other` was learnt from.
        let err = count(&other, &shard_of(&all, 3..5))
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not in the corpus"), "{err}");
        // A document whose text changed since.
        let mut changed = shard_of(&all, 0..2);
        changed.documents[1].text = "Cybersecurity law".into();
        let err = count(&state, &changed).unwrap_err().to_string();
        assert!(err.contains(&changed.documents[1].origin), "{err}");
        // One shard missing.
        assert!(tables(&state, &a).is_err());
    }

    #[test]
    fn a_shard_folds_a_chain_through_a_form_it_never_writes() {
        // "organi za tion" folds into "organiza", then into "organization"; the last
        // document writes neither joined form.
        let texts = [
            "the organization met. organization and organization",
            "organiza organiza organiza tion policy",
            "organization organization of organization",
            "organi za tion and trade",
        ];
        let all = corpus(&texts);
        let config = valid(Config::default());
        let state = learn(&config, &all, None).unwrap();
        let whole = count(&state, &all).unwrap();
        let parts = (0..4)
            .map(|d| count(&state, &shard_of(&all, d..d + 1)).unwrap())
            .reduce(|a, b| a.merge(b).unwrap())
            .unwrap();
        assert_eq!(parts, whole);
        let passages = s2_segment::segment(&all, &config.segment);
        let tokens = s3_tokenize::tokenize(&all, &passages, &config.tokenize_config());
        let v = &tokens.vocabulary;
        let t = v.id_of_key("organ").unwrap();
        assert_eq!(whole.terms[&t].count, v.terms[t as usize].count);
        assert_eq!(v.terms[t as usize].count, 8, "{:?}", v.folded);
    }

    /// Words for generated documents: phrases, a spelling that folds ("cyber security" beside
    /// "cybersecurity"), stop words, and page furniture that many documents repeat.
    const WORDS: &[&str] = &[
        "data",
        "security",
        "cyber",
        "cybersecurity",
        "internet",
        "of",
        "things",
        "the",
        "policy",
        "law",
        "national",
        "plan",
        "trade",
        "war",
        "and",
        "growth",
        "digital",
        "economy",
        "2020",
        "cloud",
        "computing",
        "organi",
        "za",
        "tion",
        "organization",
        "organization",
        "organization",
    ];

    fn text_of(words: &[u8], lines: usize) -> String {
        let mut out = String::new();
        for (i, &w) in words.iter().enumerate() {
            out.push_str(WORDS[w as usize % WORDS.len()]);
            out.push(if lines > 0 && i % (lines + 3) == lines + 2 {
                '\n'
            } else {
                ' '
            });
        }
        out.push_str("\n\nShare this article\n");
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// merge(map(A), map(B)) == map(A ∪ B), in any grouping of three shards, tables
        /// included.
        #[test]
        fn merging_partials_is_counting_the_union(
            docs in proptest::collection::vec(
                (proptest::collection::vec(0u8..40, 5..60), 0usize..8, 0i32..6),
                3..14,
            ),
            cuts in (0.0f64..1.0, 0.0f64..1.0),
        ) {
            let texts: Vec<String> = docs.iter().map(|(w, l, _)| text_of(w, *l)).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let mut all = corpus(&refs);
            for (d, (_, _, year)) in all.documents.iter_mut().zip(&docs) {
                d.date = crate::artifacts::DocDate::year(2000 + year);
            }
            let mut cfg = Config::default();
            cfg.tokenize.phrases.min_count = 2;
            cfg.vectorize.min_df = Some(crate::config::Df::Count(1));
            cfg.vectorize.max_df = crate::config::Df::Fraction(1.0);
            let config = valid(cfg);
            let state = learn(&config, &all, None).unwrap();
            let n = all.documents.len();
            let (mut i, mut j) = ((cuts.0 * n as f64) as usize, (cuts.1 * n as f64) as usize);
            if i > j {
                std::mem::swap(&mut i, &mut j);
            }
            let a = count(&state, &shard_of(&all, 0..i)).unwrap();
            let b = count(&state, &shard_of(&all, i..j)).unwrap();
            let c = count(&state, &shard_of(&all, j..n)).unwrap();
            let whole = count(&state, &all).unwrap();
            let left = a.clone().merge(b.clone()).unwrap().merge(c.clone()).unwrap();
            let right = a.merge(c.merge(b).unwrap()).unwrap();
            prop_assert_eq!(&left, &whole);
            prop_assert_eq!(&right, &whole);
            prop_assert_eq!(
                csv(&mut tables(&state, &left).unwrap()),
                csv(&mut tables(&state, &whole).unwrap())
            );
        }
    }
}
