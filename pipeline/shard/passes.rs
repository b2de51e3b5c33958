//! The passes after counting as an engine past one machine runs them (ARCHITECTURE.md, "The
//! whole run in passes"): the driver sends every shard a [`Request`], each shard answers from
//! its documents read with the state ([`Work::answer`]), and the answers merge
//! ([`Answer::merge`]: by addition, or runs kept in corpus order, so in any order and
//! grouping). Requests and answers travel as MessagePack ([`Request::to_bytes`],
//! [`Answer::from_bytes`]); the decisions between passes stay on the driver
//! ([`super::engine::Remote`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use super::State;
use crate::artifacts::{Bag, ClassTfidf, Corpus, Passages, PeriodStats, TermId, TfIdf, Tokens};
use crate::error::{Error, Location, Result};
use crate::stages::s5_topics::assign::{self, Assigned, Fit, Placed};
use crate::stages::s5_topics::fences::{Histograms, Inside, Wanted};
use crate::stages::s5_topics::passes::{Judgement, PassageRows, ShardRows};
use crate::stages::s5_topics::quality::Cooccurrences;
use crate::stages::s5_topics::sample::Sample;
use crate::stages::s5_topics::sums::{Decided, Judged, TopicSums};
use crate::stages::s5_topics::MapAxes;
use crate::stages::s6_trends::periods::DateEnds;
use crate::stages::s6_trends::profiles::{ProfileCounts, ProfileSpec};
use crate::stages::s6_trends::shard::{DocRuns, Shard as TrendsShard};
use crate::stages::s6_trends::slots::{self, SlotCounts};
use crate::stages::s6_trends::strata::{self, StrataCounts};
use crate::stages::s6_trends::topics_over_time::TopicPeriodSums;
use crate::stages::s6_trends::TrackedCounts;
use crate::stages::s7_report::evidence::quotes::{self, Asked};
use crate::stages::s7_report::evidence::{Found, Item};
use crate::stages::s7_report::input::{Facts, Figures, Quotes, Shard as ReportShard};
use crate::stages::s7_report::tables::{RowTable, RowsContext, TopicColumns};

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

/// A shard read with the state, as every pass after counting reads it: its documents,
/// passages and tokens exactly as a run over the whole corpus has them, each passage's sampling
/// key, each document's period, and where it stands.
pub struct Work {
    corpus: Corpus,
    passages: Passages,
    tokens: Tokens,
    keys: Vec<u64>,
    doc_period: Vec<usize>,
    at: At,
    /// The passages placed by the last fit asked for, with the fit's digest.
    placed: Mutex<Option<(u64, std::sync::Arc<Placed>)>>,
}

impl Work {
    /// Reads a shard's documents with the state: segments and tokenizes them as the whole
    /// corpus is.
    pub fn new(state: &State, corpus: Corpus, at: At) -> Result<Work> {
        let passages = super::partial::segment(state, &corpus)?;
        Work::segmented(state, corpus, passages, at)
    }

    /// Reads a shard's documents with the state from their passages, as learning cut them
    /// ([`super::Learning::read_segmented`]: with the furniture the state keeps), instead of
    /// cutting them again.
    pub fn segmented(state: &State, corpus: Corpus, passages: Passages, at: At) -> Result<Work> {
        let (tokens, doc_period) = super::partial::read(state, &corpus, &passages)?;
        let keys = passages.sample_keys(&corpus);
        Ok(Work {
            corpus,
            passages,
            tokens,
            keys,
            doc_period,
            at,
            placed: Mutex::new(None),
        })
    }

    /// The shard's partial counts, as [`super::count`] gives them for its documents.
    pub fn count(&self, state: &State) -> Result<super::Partial> {
        let sum = super::partial::fingerprint_sum(state, &self.corpus)?;
        let read = (&self.passages, &self.tokens, &self.doc_period[..]);
        super::partial::counted(state, &self.corpus, sum, read)
    }

    /// Places the shard in the corpus, once the counts of the shards before it are known (a
    /// shard read to be counted is placed at the start).
    pub fn place(&mut self, at: At) {
        self.at = at;
    }

    /// The number of the shard's documents.
    pub fn documents(&self) -> u64 {
        self.corpus.documents.len() as u64
    }

    /// The number of passages the shard's documents make.
    pub fn passages(&self) -> u64 {
        self.passages.passages.len() as u64
    }

    /// The shard's answer to `request`.
    pub fn answer(&self, request: &Request) -> Result<Answer> {
        use Request as R;
        let first = self.at.first_passage;
        Ok(match request {
            R::Sample { tfidf, max, seed } => {
                let bags = &self.tokens.bags;
                let candidates = assign::clustered(tfidf, bags)
                    .into_iter()
                    .map(|r| (self.keys[r], r as u64, bags[r].clone()));
                Answer::Sample(Sample::of(*max, *seed, self.at.shard, candidates))
            }
            R::Assign {
                tfidf,
                fit,
                counted,
            } => {
                let placed = self.placed(tfidf, fit);
                let bags = &self.tokens.bags;
                Answer::Assign(Assigned::of(&placed, fit, tfidf, bags, *counted))
            }
            R::Histograms {
                tfidf,
                fit,
                decided,
            } => {
                let placed = self.placed(tfidf, fit);
                let j = Judgement::of(&placed, decided);
                let k = decided.centres.nrows();
                Answer::Histograms(Histograms::of(&j.similarity, &j.topics, k))
            }
            R::Inside {
                tfidf,
                fit,
                decided,
                wanted,
            } => {
                let placed = self.placed(tfidf, fit);
                let j = Judgement::of(&placed, decided);
                Answer::Inside(Inside::of(&j.similarity, &j.topics, wanted))
            }
            R::TopicSums { tfidf, model, keep } => {
                let placed = self.placed(tfidf, &model.fit);
                let j = Judgement::of(&placed, &model.decided);
                let outlier = j.outliers(&model.fence);
                let judged = Judged {
                    placed: &placed,
                    topics: &j.topics,
                    similarity: &j.similarity,
                    outlier: &outlier,
                };
                Answer::TopicSums(TopicSums::of(
                    &judged,
                    &model.decided,
                    (tfidf, &self.tokens.bags),
                    (first, *keep, model.apart),
                ))
            }
            R::Cooccurrences { top } => {
                Answer::Cooccurrences(Cooccurrences::of(&self.tokens.bags, top))
            }
            R::Rows {
                tfidf,
                model,
                map,
                vectors,
            } => Answer::Rows(self.rows(tfidf, model, map.as_ref(), *vectors)),
            R::Tracked { terms } => Answer::Tracked(TrackedCounts::of(&self.trends(&[]), terms)),
            R::TopicPeriods {
                tfidf,
                model,
                class,
                k,
                periods,
            } => {
                let rows = self.rows(tfidf, model, None, false).into_rows();
                let shard = self.trends(&rows.assignment);
                Answer::TopicPeriods(TopicPeriodSums::of(&shard, class, *k, *periods))
            }
            R::Profiles { spec, periods } => {
                Answer::Profiles(ProfileCounts::of(&self.trends(&[]), spec, *periods))
            }
            R::Found { reads } => {
                let found = slots::found(&self.trends(&[]), reads);
                let counts = found.iter().map(|f| f.len() as u64).collect();
                Answer::Found(BTreeMap::from([(self.at.shard, counts)]))
            }
            R::Slots {
                reads,
                before,
                total,
            } => {
                let before = before.get(&self.at.shard).ok_or_else(|| {
                    Error::Internal(format!("no slot offsets for shard {}", self.at.shard))
                })?;
                Answer::Slots(SlotCounts::of(
                    &self.corpus,
                    &self.trends(&[]),
                    &self.tokens.vocabulary,
                    reads,
                    (before, total),
                ))
            }
            R::Strata { column } => Answer::Strata(strata::Documents::of(&strata::values(
                &self.corpus,
                column,
            )?)),
            R::StrataCounts {
                column,
                names,
                wanted,
            } => {
                let doc_stratum = strata::numbered(&strata::values(&self.corpus, column)?, names);
                let counts = StrataCounts::of(&self.trends(&[]), &doc_stratum, wanted);
                let runs = DocRuns::of(self.at.first_doc, doc_stratum);
                Answer::StrataCounts(counts, runs)
            }
            R::Facts => Answer::Facts(Known {
                facts: BTreeMap::from([(self.at.shard, Facts::of(&self.corpus, &self.tokens))]),
                doc_periods: DocRuns::of(self.at.first_doc, self.doc_period.clone()),
                figures: Figures::of(&self.corpus, &self.passages, &self.tokens),
                date_ends: DateEnds::of(&self.corpus.documents, self.at.first_doc),
            }),
            R::Quotes { asked } => Answer::Quotes(quotes::quotes(&self.report(), asked)),
            R::Evidence { items } => {
                let vocab = &self.tokens.vocabulary;
                Answer::Evidence(Found::of(&self.report(), vocab, items))
            }
            R::Table {
                table,
                periods,
                tfidf,
                model,
            } => Answer::Table(BTreeMap::from([(
                self.at.shard,
                ByteBuf::from(self.table(*table, periods, tfidf, model.as_ref())?),
            )])),
        })
    }

    /// The shard's passages placed by `fit`: kept from the last request with the same fit.
    fn placed(&self, tfidf: &TfIdf, fit: &Fit) -> std::sync::Arc<Placed> {
        let digest = super::fnv1a(&rmp_serde::to_vec(fit).expect("a fit serializes"));
        let mut held = self.placed.lock().expect("no pass panicked holding it");
        match held.as_ref() {
            Some((d, placed)) if *d == digest => placed.clone(),
            _ => {
                let placed = std::sync::Arc::new(assign::place(tfidf, &self.tokens.bags, fit));
                *held = Some((digest, placed.clone()));
                placed
            }
        }
    }

    /// Each passage's row under the topic model.
    fn rows(
        &self,
        tfidf: &TfIdf,
        model: &TopicModel,
        map: Option<&MapAxes>,
        vectors: bool,
    ) -> PassageRows {
        let placed = self.placed(tfidf, &model.fit);
        let j = Judgement::of(&placed, &model.decided);
        let outlier = j.outliers(&model.fence);
        let n = self.tokens.bags.len();
        PassageRows::of(
            (self.at.first_passage, n),
            &placed,
            (&j, &outlier),
            map,
            (model.apart, vectors),
        )
    }

    /// The shard as the trends passes read it, its passages in the topics `assignment` (empty
    /// for the passes that do not read it).
    fn trends<'a>(&'a self, assignment: &'a [Option<u32>]) -> TrendsShard<'a> {
        TrendsShard {
            passages: &self.passages,
            bags: &self.tokens.bags,
            word_counts: &self.tokens.word_counts,
            assignment,
            doc_period: &self.doc_period,
            first_doc: self.at.first_doc,
        }
    }

    /// The shard's rows of `table`, as Parquet: its passages' topics from `model`.
    fn table(
        &self,
        table: RowTable,
        periods: &[PeriodStats],
        tfidf: &TfIdf,
        model: Option<&TopicModel>,
    ) -> Result<Vec<u8>> {
        let n = self.tokens.bags.len();
        let rows = match model {
            Some(model) => self.rows(tfidf, model, None, false).into_rows(),
            None => ShardRows {
                assignment: vec![None; n],
                centre_similarity: vec![None; n],
                outlier: vec![false; n],
                map: Vec::new(),
                vectors: None,
            },
        };
        let c = RowsContext {
            periods,
            topics: TopicColumns {
                assignment: &rows.assignment,
                centre_similarity: &rows.centre_similarity,
                outlier: &rows.outlier,
            },
            extra_columns: &self.corpus.extra_columns,
            vocabulary: &self.tokens.vocabulary,
            tfidf,
        };
        let mut df = table.rows(&c, &self.report())?;
        let mut bytes = Vec::new();
        polars::prelude::ParquetWriter::new(&mut bytes)
            .finish(&mut df)
            .map_err(|e| Error::Internal(format!("writing a shard's rows: {e}")))?;
        Ok(bytes)
    }

    /// The shard as the report's passes read it.
    fn report(&self) -> ReportShard<'_> {
        ReportShard {
            corpus: &self.corpus,
            passages: &self.passages,
            bags: &self.tokens.bags,
            word_counts: &self.tokens.word_counts,
            doc_period: &self.doc_period,
            first_passage: self.at.first_passage as usize,
            first_doc: self.at.first_doc as usize,
        }
    }

    /// Its tokens, as the whole corpus' run has them.
    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }
}

/// A sample whose bags are owned, as the topic passes take it.
pub fn owned_sample<'a>(sample: Sample<Bag>) -> Sample<Cow<'a, Bag>> {
    sample.map(Cow::Owned)
}
