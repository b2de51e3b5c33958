//! A shard read with the state ([`Work`]): what a worker keeps of its partition for the passes
//! after counting, and answers every [`Request`] from (ARCHITECTURE.md, "The whole run in
//! passes").

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_bytes::ByteBuf;

use super::passes::{Answer, At, Known, Request, TopicModel};
use super::State;
use crate::artifacts::{Bag, Corpus, Passages, PeriodStats, TfIdf, Tokens};
use crate::error::{Error, Result};
use crate::stages::s5_topics::assign::{self, Assigned, Fit, Placed};
use crate::stages::s5_topics::fences::{Histograms, Inside};
use crate::stages::s5_topics::passes::{Judgement, PassageRows, ShardRows};
use crate::stages::s5_topics::quality::Cooccurrences;
use crate::stages::s5_topics::sample::Sample;
use crate::stages::s5_topics::sums::{Judged, TopicSums};
use crate::stages::s5_topics::MapAxes;
use crate::stages::s6_trends::periods::DateEnds;
use crate::stages::s6_trends::profiles::ProfileCounts;
use crate::stages::s6_trends::shard::{DocRuns, Shard as TrendsShard};
use crate::stages::s6_trends::slots::{self, SlotCounts};
use crate::stages::s6_trends::strata::{self, StrataCounts};
use crate::stages::s6_trends::topics_over_time::TopicPeriodSums;
use crate::stages::s6_trends::TrackedCounts;
use crate::stages::s7_report::evidence::quotes;
use crate::stages::s7_report::evidence::Found;
use crate::stages::s7_report::input::{Facts, Figures, Shard as ReportShard};
use crate::stages::s7_report::tables::{RowTable, RowsContext, TopicColumns};

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
            R::Batch(requests) => Answer::Batch(
                requests
                    .iter()
                    .map(|r| self.answer(r))
                    .collect::<Result<_>>()?,
            ),
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
