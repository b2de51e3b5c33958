//! Learning the state in shards: what [`super::learn`] reads from the whole corpus on one
//! machine, counted shard by shard in passes instead, so that no machine reads the whole corpus.
//!
//! ```text
//!            every worker, per shard                      one machine
//! pass k:  (Learning, documents) ─▶ Summary ──▶ Σ summaries ─▶ Learning::decide ─▶ pass k + 1
//! ```
//!
//! The first pass counts the lines that decide page furniture, the documents, their
//! fingerprints and the dates at either end of the corpus; then tokenize's passes follow
//! ([`s3_tokenize::Learning`]: words, folds, streams, rounds of phrases, forms). A summary is a
//! sum, so [`Summary::merge`] adds any two in any order; [`Learning::decide`] makes each decision
//! once, from the sum, as a plain run makes it from the whole corpus. The state at the end is
//! the one [`super::learn`] gives, byte for byte.

use serde::{Deserialize, Serialize};

use super::state::refuse_synonyms;
use super::{fingerprints, State};
use crate::artifacts::{Corpus, DateSource, DocDate, Document, Documents, Passages, Period};
use crate::config::{Config, ValidConfig};
use crate::error::{Error, Location, Result};
use crate::stages::s2_segment::{self, counts::Furniture};
use crate::stages::s3_tokenize::{self, Pass};
use crate::stages::s6_trends::periods;

/// What learning in shards has decided so far, and which pass comes next.
#[derive(Serialize, Deserialize)]
pub struct Learning {
    config: Config,
    /// Whether the lines are counted (the first pass) or tokenize's passes run.
    lines_counted: bool,
    furniture: Option<Furniture>,
    periods: Vec<Period>,
    fingerprints: Vec<u64>,
    tokenize: s3_tokenize::Learning,
}

/// What one pass counted over a shard, or over several once merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Summary {
    /// The first pass: lines, documents and dates.
    Lines {
        /// Counts of lines across documents, when furniture is removed.
        furniture: Option<Box<Furniture>>,
        /// The documents' fingerprints, sorted.
        fingerprints: Vec<u64>,
        /// The two earliest and two latest documents: date, place in the corpus (shard · 2³² +
        /// position), origin.
        ends: Vec<(DocDate, u64, String)>,
    },
    /// One of tokenize's passes.
    Tokenize(Box<s3_tokenize::Summary>),
}

/// A shard read once for the passes after the lines ([`Learning::read`]).
pub struct ReadShard(s3_tokenize::ReadShard);

impl ReadShard {
    /// The read shard as MessagePack bytes, for an engine to keep between passes.
    pub fn to_bytes(&self) -> Vec<u8> {
        rmp_serde::to_vec(&self.0).expect("a read shard serializes")
    }

    /// Reads back what [`ReadShard::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadShard> {
        rmp_serde::from_slice(bytes).map(ReadShard).map_err(|e| {
            Error::input(
                Location::file("read shard"),
                format!("not a shard read by topictide ({e})"),
                "give the bytes `Learning::read` gave",
            )
        })
    }
}

/// The documents kept at either end of the corpus: as many as the stray-date check reads.
const ENDS: usize = 2;

impl Learning {
    /// Learning under `config`, before any pass.
    pub fn new(config: &ValidConfig) -> Result<Learning> {
        refuse_synonyms(config)?;
        Ok(Learning {
            config: (**config).clone(),
            lines_counted: false,
            furniture: None,
            periods: Vec::new(),
            fingerprints: Vec::new(),
            tokenize: s3_tokenize::Learning::new(),
        })
    }

    /// The name of the pass a shard counts next, or `None` when the state is made.
    pub fn pass(&self) -> Option<String> {
        if !self.lines_counted {
            return Some("lines".to_string());
        }
        match self.tokenize.pass() {
            Pass::Done => None,
            Pass::Round(n) => Some(format!("phrases of {n} words")),
            p => Some(format!("{p:?}").to_lowercase()),
        }
    }

    /// The configuration the learning runs under, validated again.
    pub fn config(&self) -> Result<ValidConfig> {
        self.config.clone().validate().map_err(|e| {
            Error::input(
                Location::file("learning"),
                format!("the learning's configuration is not valid: {e}"),
                "start the learning again with this version of topictide",
            )
        })
    }

    /// Counts this pass over one shard: `shard` is its place among the shards, which follow
    /// the corpus' order.
    pub fn count(&self, corpus: &Corpus, shard: u32) -> Result<Summary> {
        let config = self.config()?;
        if !self.lines_counted {
            // The shard's own periods: a date too coarse for the period unit fails here, named.
            if !corpus.documents.is_empty() {
                periods::assign(&corpus.documents, &config.trends)?;
            }
            let mut ends: Vec<(DocDate, u64, String)> = corpus
                .documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.date(), (shard as u64) << 32 | i as u64, d.origin()))
                .collect();
            keep_ends(&mut ends);
            return Ok(Summary::Lines {
                furniture: s2_segment::furniture_counts(corpus, &config.segment).map(Box::new),
                fingerprints: fingerprints(corpus),
                ends,
            });
        }
        self.count_read(&self.read(corpus, shard)?)
    }

    /// Reads a shard once the lines are counted (its passages, with the furniture the corpus
    /// decided, and their words), for every later pass to count from ([`Learning::count_read`])
    /// without reading the texts again.
    pub fn read(&self, corpus: &Corpus, shard: u32) -> Result<ReadShard> {
        self.read_segmented(corpus, shard).map(|(read, _)| read)
    }

    /// Reads a shard as [`Learning::read`] does, and gives its passages too: segmented with
    /// the furniture the state keeps, as a shard read with the state is
    /// ([`super::work::Work::segmented`] starts from them).
    pub fn read_segmented(&self, corpus: &Corpus, shard: u32) -> Result<(ReadShard, Passages)> {
        if !self.lines_counted {
            return Err(Error::input(
                Location::file("learning"),
                "a shard is read for the passes after the lines, which are not counted yet",
                "count the lines of every shard and decide from them first",
            ));
        }
        let config = self.config()?;
        let passages = s2_segment::segment_with(corpus, &config.segment, self.furniture.as_ref());
        let read = s3_tokenize::Learning::read(corpus, &passages, &config.tokenize_config(), shard)
            .map_err(not_the_corpus)?;
        Ok((ReadShard(read), passages))
    }

    /// Counts this pass (one after the lines) over a shard read by [`Learning::read`].
    pub fn count_read(&self, read: &ReadShard) -> Result<Summary> {
        let config = self.config()?;
        if !self.lines_counted {
            return Err(Error::input(
                Location::file("learning"),
                "the lines are counted from the texts, not from a shard read for later passes",
                "count the lines with `count`",
            ));
        }
        self.tokenize
            .count_read(&read.0, &config.tokenize_config())
            .map(|s| Summary::Tokenize(Box::new(s)))
            .map_err(not_the_corpus)
    }

    /// Decides from the sum of every shard's summary of this pass.
    pub fn decide(&mut self, summary: Summary) -> Result<()> {
        let config = self.config()?;
        match (summary, self.lines_counted) {
            (
                Summary::Lines {
                    furniture,
                    fingerprints,
                    ends,
                },
                false,
            ) => {
                let documents: Documents = ends.into_iter().map(end_document).collect();
                (self.periods, _) = periods::assign(&documents, &config.trends)?;
                self.furniture = furniture.map(|f| f.decisive());
                self.fingerprints = fingerprints;
                self.lines_counted = true;
                Ok(())
            }
            (Summary::Tokenize(s), true) => self
                .tokenize
                .decide(*s, &config.tokenize_config())
                .map_err(not_the_corpus),
            _ => Err(Error::input(
                Location::file("summaries"),
                "a summary of another pass",
                "give the sum of this pass' summaries, counted with this learning",
            )),
        }
    }

    /// The state, once every pass is done.
    pub fn state(&self) -> Result<State> {
        let learnt = self.tokenize.learnt().ok_or_else(|| {
            Error::input(
                Location::file("learning"),
                format!(
                    "the learning is not done: the next pass is {:?}",
                    self.pass()
                ),
                "count and decide every pass before asking for the state",
            )
        })?;
        Ok(State::made(
            &self.config()?,
            self.furniture.clone(),
            learnt.clone(),
            self.periods.clone(),
            self.fingerprints.clone(),
        ))
    }

    /// The learning as JSON, to send to the workers of the next pass.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a learning serializes")
    }

    /// Reads a learning written by [`Learning::to_json`].
    pub fn from_json(bytes: &[u8]) -> Result<Learning> {
        serde_json::from_slice(bytes).map_err(|e| {
            Error::input(
                Location::file("learning"),
                format!("not a topictide learning ({e})"),
                "give the bytes `Learning::to_json` wrote",
            )
        })
    }
}

impl Summary {
    /// The sum of two summaries of one pass: the same in any order and grouping. `config` is
    /// the learning's (the furniture threshold depends on the documents counted).
    pub fn merge(self, other: Summary, learning: &Learning) -> Result<Summary> {
        match (self, other) {
            (
                Summary::Lines {
                    furniture: fa,
                    fingerprints: mut a,
                    ends: mut ea,
                },
                Summary::Lines {
                    furniture: fb,
                    fingerprints: b,
                    ends: eb,
                },
            ) => {
                a.extend(b);
                a.sort_unstable();
                ea.extend(eb);
                keep_ends(&mut ea);
                let params = s2_segment::clean_params(&learning.config.segment);
                let furniture = match (fa, fb) {
                    (Some(x), Some(y)) => Some(Box::new(x.merge(*y, params, a.len()))),
                    (x, y) => x.or(y),
                };
                Ok(Summary::Lines {
                    furniture,
                    fingerprints: a,
                    ends: ea,
                })
            }
            (Summary::Tokenize(a), Summary::Tokenize(b)) => a
                .merge(*b)
                .map(|s| Summary::Tokenize(Box::new(s)))
                .map_err(not_the_corpus),
            _ => Err(Error::input(
                Location::file("summaries"),
                "summaries of different passes",
                "merge the summaries of one pass",
            )),
        }
    }

    /// The summary as MessagePack bytes, to send back from a worker.
    pub fn to_bytes(&self) -> Vec<u8> {
        rmp_serde::to_vec(self).expect("a summary serializes")
    }

    /// Reads a summary written by [`Summary::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Summary> {
        rmp_serde::from_slice(bytes).map_err(|e| {
            Error::input(
                Location::file("summary"),
                format!("not a topictide summary ({e})"),
                "give the bytes a pass of this learning counted",
            )
        })
    }
}

/// Keeps the [`ENDS`] earliest and latest documents, in corpus order.
fn keep_ends(ends: &mut Vec<(DocDate, u64, String)>) {
    ends.sort_unstable_by_key(|e| (e.0, e.1));
    if ends.len() > 2 * ENDS {
        ends.drain(ENDS..ends.len() - ENDS);
    }
    ends.sort_unstable_by_key(|e| e.1);
}

/// A document standing for one at an end of the corpus: its date and origin, no text.
fn end_document((date, _, origin): (DocDate, u64, String)) -> Document {
    Document {
        id: String::new(),
        title: String::new(),
        source: String::new(),
        date,
        date_source: DateSource::Given,
        origin,
        text: Default::default(),
        extra: Vec::new(),
    }
}

/// A shard whose words the learning never counted: it is not part of the corpus, or the
/// corpus changed between passes.
fn not_the_corpus(e: std::io::Error) -> Error {
    Error::input(
        Location::file("shard"),
        format!("this shard does not belong to the corpus being learnt: {e}"),
        "count every pass over the same documents, split into the same shards",
    )
}
