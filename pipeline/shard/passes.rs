//! The passes after counting as an engine past one machine runs them (ARCHITECTURE.md, "The
//! whole run in passes"): the driver sends every shard a [`Request`], each shard answers from
//! its documents read with the state ([`super::work::Work::answer`]), and the answers merge
//! ([`Answer::merge`]: by addition, or runs kept in corpus order, so in any order and
//! grouping). Requests and answers travel as MessagePack ([`Request::to_bytes`],
//! [`Answer::from_bytes`]); the decisions between passes stay on the driver
//! ([`super::engine::Remote`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use crate::artifacts::{Bag, ClassTfidf, PeriodStats, TermId, TfIdf};
use crate::error::{Error, Location, Result};
use crate::stages::s5_topics::assign::{Assigned, Fit};
use crate::stages::s5_topics::fences::{Histograms, Inside, Wanted};
use crate::stages::s5_topics::passes::PassageRows;
use crate::stages::s5_topics::quality::Cooccurrences;
use crate::stages::s5_topics::sample::Sample;
use crate::stages::s5_topics::sums::{Decided, TopicSums};
use crate::stages::s5_topics::MapAxes;
use crate::stages::s6_trends::periods::DateEnds;
use crate::stages::s6_trends::profiles::{ProfileCounts, ProfileSpec};
use crate::stages::s6_trends::shard::DocRuns;
use crate::stages::s6_trends::slots::SlotCounts;
use crate::stages::s6_trends::strata::{self, StrataCounts};
use crate::stages::s6_trends::topics_over_time::TopicPeriodSums;
use crate::stages::s6_trends::TrackedCounts;
use crate::stages::s7_report::evidence::quotes::Asked;
use crate::stages::s7_report::evidence::{Found, Item};
use crate::stages::s7_report::input::{Facts, Figures, Quotes};
use crate::stages::s7_report::tables::RowTable;

/// Where a shard stands in the corpus: its place among the shards, and the numbers in the
/// corpus of its first document and first passage (the driver's prefix sums of the counting
/// pass' partials, in shard order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct At {
    /// Its place among the shards.
    pub shard: u64,
    /// The number of its first document.
    pub first_doc: u64,
    /// The number of its first passage.
    pub first_passage: u64,
}

/// The topic model as the driver decided it: what a shard needs to give each passage its topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicModel {
    /// The fitted components and k-means centres.
    pub fit: Fit,
    /// Each cluster's topic and the topics' centres.
    pub decided: Decided,
    /// Each topic's lower fence.
    pub fence: Vec<f64>,
    /// Whether outliers stand apart, in no topic.
    pub apart: bool,
}

/// What the driver asks of every shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// The sample the topic model is fitted on.
    Sample {
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// `topics.fit_passages`.
        max: usize,
        /// The run's seed.
        seed: u64,
    },
    /// The clusters' sums under a fit.
    Assign {
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// The fit.
        fit: Fit,
        /// Whether the clusters' feature counts are wanted.
        counted: bool,
    },
    /// The topics' histograms of similarities.
    Histograms {
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// The fit.
        fit: Fit,
        /// The topics.
        decided: Decided,
    },
    /// The similarities inside the wanted bins.
    Inside {
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// The fit.
        fit: Fit,
        /// The topics.
        decided: Decided,
        /// The bins.
        wanted: Wanted,
    },
    /// The topic sums.
    TopicSums {
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// The topics.
        model: TopicModel,
        /// Representatives a topic has.
        keep: usize,
    },
    /// The co-occurrences of the topics' top terms.
    Cooccurrences {
        /// Each topic's top terms.
        top: Vec<Vec<TermId>>,
    },
    /// Each passage's row.
    Rows {
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// The topics.
        model: TopicModel,
        /// The map's plane.
        map: Option<MapAxes>,
        /// Whether vectors are written.
        vectors: bool,
    },
    /// Each document's tracked-term counts.
    Tracked {
        /// The tracked terms.
        terms: Vec<TermId>,
    },
    /// Each document's topics and each (period, topic)'s feature counts.
    TopicPeriods {
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// The topics.
        model: TopicModel,
        /// Their c-TF-IDF.
        class: ClassTfidf,
        /// Topics.
        k: usize,
        /// Periods.
        periods: usize,
    },
    /// The successions' co-occurrence counts.
    Profiles {
        /// What to count.
        spec: ProfileSpec,
        /// Periods.
        periods: usize,
    },
    /// How many passages hold each read's term in its periods.
    Found {
        /// The reads.
        reads: Vec<(TermId, Vec<usize>)>,
    },
    /// The slot counts of the reads.
    Slots {
        /// The reads.
        reads: Vec<(TermId, Vec<usize>)>,
        /// For each shard (by its place), the found passages of each read before it.
        before: BTreeMap<u64, Vec<u64>>,
        /// The found passages of each read, in all.
        total: Vec<u64>,
    },
    /// The documents of each value of a column.
    Strata {
        /// The column.
        column: String,
    },
    /// The strata's counts.
    StrataCounts {
        /// The column.
        column: String,
        /// The strata, numbered.
        names: Vec<String>,
        /// The terms counted per stratum.
        wanted: Vec<TermId>,
    },
    /// What no decision changes, asked once: what ingest left out of each shard and the
    /// input's columns, each document's period, the corpus in figures, and the earliest and
    /// latest dates.
    Facts,
    /// The quotes of the passages and documents asked for.
    Quotes {
        /// What to quote.
        asked: Asked,
    },
    /// The evidence lines of the items.
    Evidence {
        /// The items, in order.
        items: Vec<Item>,
    },
    /// A shard's rows of a table with a row per document, passage or weight, as Parquet.
    Table {
        /// The table.
        table: RowTable,
        /// The periods.
        periods: Vec<PeriodStats>,
        /// The TF-IDF weighting.
        tfidf: TfIdf,
        /// The topics, when there are some.
        model: Option<TopicModel>,
    },
    /// Requests that need no decision between them, answered in one pass: an engine's pass
    /// costs its scheduling, whatever it asks (about 0.3 s on Spark with two cores).
    Batch(Vec<Request>),
}

impl Request {
    /// The request as MessagePack.
    pub fn to_bytes(&self) -> Vec<u8> {
        rmp_serde::to_vec(self).expect("a request serializes")
    }

    /// A request from its MessagePack bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Request> {
        rmp_serde::from_slice(bytes).map_err(|e| unreadable("request", e))
    }

    /// The pass, for messages and timings (its answer's [`Answer::name`]).
    pub fn name(&self) -> &'static str {
        use Request as R;
        match self {
            R::Sample { .. } => "sample",
            R::Assign { .. } => "assign",
            R::Histograms { .. } => "histograms",
            R::Inside { .. } => "inside",
            R::TopicSums { .. } => "topic sums",
            R::Cooccurrences { .. } => "co-occurrences",
            R::Rows { .. } => "rows",
            R::Tracked { .. } => "tracked",
            R::TopicPeriods { .. } => "topic periods",
            R::Profiles { .. } => "profiles",
            R::Found { .. } => "found",
            R::Slots { .. } => "slots",
            R::Strata { .. } => "strata",
            R::StrataCounts { .. } => "strata counts",
            R::Facts => "facts and figures",
            R::Batch(_) => "several at once",
            R::Quotes { .. } => "quotes",
            R::Evidence { .. } => "evidence",
            R::Table { .. } => "table rows",
        }
    }
}

/// A shard's answer to a [`Request`], or the merge of several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// [`Request::Sample`].
    Sample(Sample<Bag>),
    /// [`Request::Assign`].
    Assign(Assigned),
    /// [`Request::Histograms`].
    Histograms(Histograms),
    /// [`Request::Inside`].
    Inside(Inside),
    /// [`Request::TopicSums`].
    TopicSums(TopicSums),
    /// [`Request::Cooccurrences`].
    Cooccurrences(Cooccurrences),
    /// [`Request::Rows`].
    Rows(PassageRows),
    /// [`Request::Tracked`].
    Tracked(TrackedCounts),
    /// [`Request::TopicPeriods`].
    TopicPeriods(TopicPeriodSums),
    /// [`Request::Profiles`].
    Profiles(ProfileCounts),
    /// [`Request::Found`]: per shard (by its place), each read's found passages.
    Found(BTreeMap<u64, Vec<u64>>),
    /// [`Request::Slots`].
    Slots(SlotCounts),
    /// [`Request::Strata`].
    Strata(strata::Documents),
    /// [`Request::StrataCounts`].
    StrataCounts(StrataCounts, DocRuns<u32>),
    /// [`Request::Facts`].
    Facts(Known),
    /// [`Request::Quotes`].
    Quotes(Quotes),
    /// [`Request::Evidence`].
    Evidence(Found),
    /// [`Request::Batch`]: the answer to each request, in order.
    Batch(Vec<Answer>),
    /// [`Request::Table`]: each shard's rows (by its place), as Parquet. Bytes, not a list of
    /// numbers (as a `Vec<u8>` is): UNGD's passages (96 MB) took seconds to encode and decode.
    Table(BTreeMap<u64, ByteBuf>),
}

/// What a run of shards holds that no decision changes ([`Request::Facts`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Known {
    /// Each shard's facts, by its place.
    pub facts: BTreeMap<u64, Facts>,
    /// Each document's period.
    pub doc_periods: DocRuns<usize>,
    /// The corpus in figures.
    pub figures: Figures,
    /// The earliest and latest dates.
    pub date_ends: DateEnds,
}

impl Known {
    /// What two runs of shards hold.
    fn merge(mut self, other: Known) -> Known {
        self.facts.extend(other.facts);
        Known {
            facts: self.facts,
            doc_periods: self.doc_periods.merge(other.doc_periods),
            figures: self.figures.merge(other.figures),
            date_ends: self.date_ends.merge(other.date_ends),
        }
    }
}

impl Answer {
    /// The answer as MessagePack.
    pub fn to_bytes(&self) -> Vec<u8> {
        rmp_serde::to_vec(self).expect("an answer serializes")
    }

    /// An answer from its MessagePack bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Answer> {
        rmp_serde::from_slice(bytes).map_err(|e| unreadable("answer", e))
    }

    /// The answers of two runs of shards to one request.
    pub fn merge(self, other: Answer) -> Result<Answer> {
        use Answer::*;
        Ok(match (self, other) {
            (Sample(a), Sample(b)) => Sample(a.merge(b)),
            (Assign(a), Assign(b)) => Assign(a.merge(b)),
            (Histograms(a), Histograms(b)) => Histograms(a.merge(b)),
            (Inside(a), Inside(b)) => Inside(a.merge(b)),
            (TopicSums(a), TopicSums(b)) => TopicSums(a.merge(b)),
            (Cooccurrences(a), Cooccurrences(b)) => Cooccurrences(a.merge(b)),
            (Rows(a), Rows(b)) => Rows(a.merge(b)),
            (Tracked(a), Tracked(b)) => Tracked(a.merge(b)),
            (TopicPeriods(a), TopicPeriods(b)) => TopicPeriods(a.merge(b)),
            (Profiles(a), Profiles(b)) => Profiles(a.merge(b)),
            (Found(mut a), Found(b)) => {
                a.extend(b);
                Found(a)
            }
            (Slots(a), Slots(b)) => Slots(a.merge(b)),
            (Strata(a), Strata(b)) => Strata(a.merge(b)),
            (StrataCounts(a, r), StrataCounts(b, s)) => StrataCounts(a.merge(b), r.merge(s)),
            (Quotes(a), Quotes(b)) => Quotes(a.merge(b)),
            (Evidence(a), Evidence(b)) => Evidence(a.merge(b)),
            (Table(mut a), Table(b)) => {
                a.extend(b);
                Table(a)
            }
            (Facts(a), Facts(b)) => Facts(a.merge(b)),
            (Batch(a), Batch(b)) if a.len() == b.len() => Batch(
                a.into_iter()
                    .zip(b)
                    .map(|(a, b)| a.merge(b))
                    .collect::<Result<_>>()?,
            ),
            (a, b) => {
                return Err(Error::Internal(format!(
                    "answers to different requests cannot merge: {} and {}",
                    a.name(),
                    b.name()
                )))
            }
        })
    }

    /// The request it answers, for messages.
    pub fn name(&self) -> &'static str {
        use Answer::*;
        match self {
            Sample(_) => "sample",
            Assign(_) => "assign",
            Histograms(_) => "histograms",
            Inside(_) => "inside",
            TopicSums(_) => "topic sums",
            Cooccurrences(_) => "co-occurrences",
            Rows(_) => "rows",
            Tracked(_) => "tracked",
            TopicPeriods(_) => "topic periods",
            Profiles(_) => "profiles",
            Found(_) => "found",
            Slots(_) => "slots",
            Strata(_) => "strata",
            StrataCounts(..) => "strata counts",
            Facts(_) => "facts and figures",
            Quotes(_) => "quotes",
            Evidence(_) => "evidence",
            Table(_) => "table rows",
            Batch(_) => "several at once",
        }
    }
}

fn unreadable(what: &str, e: impl std::fmt::Display) -> Error {
    Error::input(
        Location::file(what),
        format!("this {what} cannot be read: {e}"),
        "send requests and answers of the same topictide version",
    )
}
