//! A shard's partial counts: the map ([`count`]), the associative merge ([`Partial::merge`]),
//! and the counting tables of the merged sum ([`tables`], [`write_tables`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use polars::prelude::*;

use super::{fingerprints, refuse, State};
use crate::artifacts::{Corpus, Passages, PeriodStats, TermId, TfIdf, Tokens, Vocabulary};
use crate::config::ValidConfig;
use crate::error::{Error, Location, Result};
use crate::stages::s2_segment;
use crate::stages::s3_tokenize;
use crate::stages::s4_vectorize;
use crate::stages::s6_trends::counts::{period_counts, PeriodCount, PeriodCounts};
use crate::stages::s6_trends::{self, periods};
use crate::stages::s7_report::tables;

/// A shard's counts: the corpus' figures, and each term's uses, overall and per period. Every
/// field is a sum over the shard's documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Partial {
    /// [`State::digest`] of the state the shard was counted with.
    pub(super) state: String,
    pub(super) documents: u64,
    pub(super) passages: u64,
    /// Word tokens, stop words included.
    pub(super) words: u64,
    /// Words inside markup, not read.
    pub(super) markup_words: u64,
    /// Characters in scripts the language does not read, by script (Han in an English run…).
    pub(super) unread: BTreeMap<String, u64>,
    /// The sum (wrapping) of the documents' fingerprints: the partials of every shard, each
    /// once, add up to the corpus' sum.
    pub(super) fingerprints: u64,
    /// Per term id: occurrences, documents, passages.
    pub(super) terms: BTreeMap<TermId, PeriodCount>,
    /// Per period index: documents, passages, word tokens.
    pub(super) periods: BTreeMap<u32, (u32, u32, u64)>,
    /// Per (period index, term id): occurrences, documents, passages.
    pub(super) term_periods: BTreeMap<(u32, TermId), PeriodCount>,
}

/// Step 2, the map: a shard's documents counted as the whole corpus would count them. Needs
/// nothing but the shard and the state, so any worker can run it.
pub fn count(state: &State, corpus: &Corpus) -> Result<Partial> {
    let sum = fingerprint_sum(state, corpus)?;
    let passages = segment(state, corpus)?;
    let (tokens, doc_period) = read(state, corpus, &passages)?;
    counted(state, corpus, sum, (&passages, &tokens, &doc_period))
}

/// The partial counts of a shard already [`read`], whose documents' fingerprints add up to
/// `sum`.
pub(super) fn counted(
    state: &State,
    corpus: &Corpus,
    sum: u64,
    (passages, tokens, doc_period): (&Passages, &Tokens, &[usize]),
) -> Result<Partial> {
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
    for &p in doc_period {
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
    let counts = period_counts(passages, tokens, doc_period, &all)?;
    partial.term_periods = counts.into_map().into_iter().collect();
    Ok(partial)
}

/// The sum of the documents' fingerprints, each checked to be in the state.
pub(super) fn fingerprint_sum(state: &State, corpus: &Corpus) -> Result<u64> {
    let mut sum = 0u64;
    for (d, f) in corpus.documents.iter().zip(fingerprints(corpus)) {
        if state.fingerprints.binary_search(&f).is_err() {
            return Err(Error::input(
                Location::file(d.origin()),
                format!(
                    "the document {:?} is not in the corpus the state was learnt from (its id \
                     or its text differ)",
                    d.id()
                ),
                "count shards of the corpus the state was learnt from, or learn again",
            ));
        }
        sum = sum.wrapping_add(f);
    }
    Ok(sum)
}

/// A shard's documents cut into passages with the state's furniture, as the whole corpus is.
pub(super) fn segment(state: &State, corpus: &Corpus) -> Result<Passages> {
    let config = state.config()?;
    Ok(s2_segment::segment_with(
        corpus,
        &config.segment,
        state.furniture.as_ref(),
    ))
}

/// A shard's documents read with the state, as the whole corpus reads them, from their
/// `passages` ([`segment`]): their tokens, and each document's period among the state's.
pub(super) fn read(
    state: &State,
    corpus: &Corpus,
    passages: &Passages,
) -> Result<(Tokens, Vec<usize>)> {
    let config = state.config()?;
    let tokens = s3_tokenize::tokenize_shard(
        corpus,
        passages,
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
    Ok((tokens, doc_period))
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

pub(super) fn add(a: &mut PeriodCount, b: &PeriodCount) {
    a.count += b.count;
    a.documents += b.documents;
    a.passages += b.passages;
}

/// Counts by key, from pairs in any order, a key's pairs added: sorted and bulk-built, which
/// is linear when the pairs come sorted (as a partial's table stores them).
pub(super) fn summed<K: Ord + Copy>(mut pairs: Vec<(K, PeriodCount)>) -> BTreeMap<K, PeriodCount> {
    pairs.sort_by_key(|&(k, _)| k);
    pairs.dedup_by(|(k, c), (kept, sum)| {
        let same = k == kept;
        if same {
            add(sum, c);
        }
        same
    });
    pairs.into_iter().collect()
}

/// Both maps' counts added key by key, in one walk of both (each is sorted).
fn both<K: Ord + Copy>(
    a: BTreeMap<K, PeriodCount>,
    b: BTreeMap<K, PeriodCount>,
) -> BTreeMap<K, PeriodCount> {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() { b } else { a };
    }
    let mut pairs = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some((ka, _)), Some((kb, _))) => match ka.cmp(kb) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    let (k, mut c) = a.next().expect("peeked");
                    add(&mut c, &b.next().expect("peeked").1);
                    Some((k, c))
                }
            },
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(pair) => pairs.push(pair),
            None => break,
        }
    }
    pairs.into_iter().collect()
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
        self.terms = both(std::mem::take(&mut self.terms), other.terms);
        for (p, (d, s, w)) in other.periods {
            let e = self.periods.entry(p).or_default();
            (e.0, e.1, e.2) = (e.0 + d, e.1 + s, e.2 + w);
        }
        self.term_periods = both(std::mem::take(&mut self.term_periods), other.term_periods);
        Ok(self)
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Passages counted.
    pub fn passages(&self) -> u64 {
        self.passages
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
    check(state, merged)?;
    let config = state.config()?;
    let (vocabulary, tfidf) = weighed(state, merged, &config)?;
    let periods = period_figures(state, merged, &config);
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

/// Refuses merged counts of another state, or of other than the corpus' documents each once.
pub(super) fn check(state: &State, merged: &Partial) -> Result<()> {
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
    let (terms, periods) = (
        state.learnt.vocabulary.terms.len(),
        state.periods.len() as u32,
    );
    let term_out = merged
        .terms
        .keys()
        .chain(merged.term_periods.keys().map(|(_, t)| t));
    if let Some(t) = term_out.copied().find(|&t| t as usize >= terms) {
        return Err(refuse(
            format!("the partials count term {t}; the state has {terms} terms"),
            "count the shards again with this state; a partial was damaged or edited",
        ));
    }
    let period_out = merged
        .periods
        .keys()
        .chain(merged.term_periods.keys().map(|(p, _)| p));
    if let Some(p) = period_out.copied().find(|&p| p >= periods) {
        return Err(refuse(
            format!("the partials count period {p}; the state has {periods} periods"),
            "count the shards again with this state; a partial was damaged or edited",
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
    Ok(())
}

/// The vocabulary with the merged counts, and the TF-IDF weighting fitted from them.
pub(super) fn weighed(
    state: &State,
    merged: &Partial,
    config: &ValidConfig,
) -> Result<(Vocabulary, TfIdf)> {
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
    Ok((vocabulary, tfidf))
}

/// The periods' documents, passages and word tokens from the merged counts.
pub(super) fn period_figures(
    state: &State,
    merged: &Partial,
    config: &ValidConfig,
) -> Vec<PeriodStats> {
    state
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
        .collect()
}

/// Step 3 written out: the counting tables of the merged counts into `out` (`tables/`, as CSV
/// and Parquet, and `run.json` with `about` and the merged figures), through the report's output
/// folder, so that only files topictide wrote are ever replaced. Returns the files written.
pub fn write_tables(
    state: &State,
    merged: &Partial,
    out: &Path,
    about: serde_json::Value,
    started: std::time::Instant,
) -> Result<u64> {
    use crate::stages::s7_report::charts::stage_timings;
    use crate::stages::s7_report::output::StageTiming;
    let output = crate::stages::s7_report::Output::begin(out)?;
    let dir = output.staging().join("tables");
    let mut written = 0;
    for (name, mut df) in tables(state, merged)? {
        tables::write(&dir, name, &mut df)?;
        written += 2;
    }
    let seconds = started.elapsed().as_secs_f64();
    let timing = StageTiming {
        stage: "merge",
        seconds,
        items_in: about["partials"].as_array().map_or(1, |p| p.len() as u64),
        unit_in: "partials",
        items_out: written,
        unit_out: "files",
    };
    let mut run_json = about;
    run_json["documents"] = merged.documents.into();
    run_json["figures"] = serde_json::json!({
        "markup_words_not_read": merged.markup_words,
        "characters_not_read_by_script": merged.unread,
    });
    run_json["total_seconds"] = seconds.into();
    let label = run_json["state"].as_str().unwrap_or("state").to_string();
    let svg = stage_timings::chart(
        Path::new(&label),
        0,
        rayon::current_num_threads(),
        &[timing],
    )?;
    output.commit(&run_json, &svg)?;
    Ok(written)
}
