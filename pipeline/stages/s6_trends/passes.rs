//! The trends passes as an engine runs them: [`Passes`] maps every shard of a corpus and merges
//! the partials; the trends stage decides between passes. [`InMemory`] runs them over shards
//! held in this process (a plain run is one shard); an engine past one machine implements the
//! same trait.

use super::periods::DateEnds;
use super::profiles::{ProfileCounts, ProfileSpec};
use super::shard::{DocRuns, Shard};
use super::slots::{self, SlotCounts, Slots};
use super::strata::{self, StrataCounts};
use super::topics_over_time::TopicPeriodSums;
use super::tracked::TrackedCounts;
use crate::artifacts::{ClassTfidf, Corpus, TermId, Vocabulary};
use crate::error::Result;

/// The passes of the trends stage, each over every shard of the corpus, merged.
pub trait Passes {
    /// Each document's word tokens and tracked-term occurrences.
    fn tracked(&self, terms: &[TermId]) -> Result<TrackedCounts>;
    /// Each document's topics and each (period, topic)'s feature counts.
    fn topic_periods(
        &self,
        model: &ClassTfidf,
        k: usize,
        periods: usize,
    ) -> Result<TopicPeriodSums>;
    /// The successions' co-occurrence counts.
    fn profiles(&self, spec: &ProfileSpec, periods: usize) -> Result<ProfileCounts>;
    /// The successions' slot profiles of `reads`.
    fn slots(&self, vocab: &Vocabulary, reads: &[(TermId, Vec<usize>)]) -> Result<Vec<Slots>>;
    /// The strata of `column`'s values, numbered by documents.
    fn strata(&self, column: &str) -> Result<Vec<String>>;
    /// Documents, word tokens and the `wanted` terms' occurrences per (period, stratum) of the
    /// strata `names`, and each document's stratum.
    fn strata_counts(
        &self,
        column: &str,
        names: &[String],
        wanted: &[TermId],
    ) -> Result<(StrataCounts, DocRuns<u32>)>;
    /// The earliest and latest dates.
    fn date_ends(&self) -> Result<DateEnds>;
}

/// A shard held in this process: its documents and the view the passes read.
pub struct Part<'a> {
    /// The shard's documents.
    pub corpus: &'a Corpus,
    /// Its passages, bags, topics and periods.
    pub shard: Shard<'a>,
}

/// Shards held in this process, in corpus order.
pub struct InMemory<'a>(pub Vec<Part<'a>>);

impl InMemory<'_> {
    fn map<T>(&self, f: impl Fn(&Part) -> T, merge: impl Fn(T, T) -> T) -> T {
        self.0
            .iter()
            .map(f)
            .reduce(merge)
            .expect("at least one shard")
    }
}

impl Passes for InMemory<'_> {
    fn tracked(&self, terms: &[TermId]) -> Result<TrackedCounts> {
        Ok(self.map(|p| TrackedCounts::of(&p.shard, terms), TrackedCounts::merge))
    }

    fn topic_periods(
        &self,
        model: &ClassTfidf,
        k: usize,
        periods: usize,
    ) -> Result<TopicPeriodSums> {
        Ok(self.map(
            |p| TopicPeriodSums::of(&p.shard, model, k, periods),
            TopicPeriodSums::merge,
        ))
    }

    fn profiles(&self, spec: &ProfileSpec, periods: usize) -> Result<ProfileCounts> {
        Ok(self.map(
            |p| ProfileCounts::of(&p.shard, spec, periods),
            ProfileCounts::merge,
        ))
    }

    fn slots(&self, vocab: &Vocabulary, reads: &[(TermId, Vec<usize>)]) -> Result<Vec<Slots>> {
        // Each shard's found passages per read; the driver sends back how many come before
        // each shard, and how many there are in all.
        let found: Vec<Vec<u64>> = self
            .0
            .iter()
            .map(|p| {
                slots::found(&p.shard, reads)
                    .iter()
                    .map(|f| f.len() as u64)
                    .collect()
            })
            .collect();
        let (before, total) = slots::offsets(reads.len(), found.iter().map(Vec::as_slice));
        let counts: Vec<SlotCounts> = self
            .0
            .iter()
            .zip(&before)
            .map(|(p, before)| SlotCounts::of(p.corpus, &p.shard, vocab, reads, (before, &total)))
            .collect();
        Ok(counts
            .into_iter()
            .reduce(SlotCounts::merge)
            .expect("at least one shard")
            .profiles())
    }

    fn strata(&self, column: &str) -> Result<Vec<String>> {
        let mut documents = strata::Documents::default();
        for p in &self.0 {
            documents = documents.merge(strata::Documents::of(&strata::values(p.corpus, column)?));
        }
        Ok(documents.names())
    }

    fn strata_counts(
        &self,
        column: &str,
        names: &[String],
        wanted: &[TermId],
    ) -> Result<(StrataCounts, DocRuns<u32>)> {
        let mut out: Option<(StrataCounts, DocRuns<u32>)> = None;
        for p in &self.0 {
            let doc_stratum = strata::numbered(&strata::values(p.corpus, column)?, names);
            let counts = StrataCounts::of(&p.shard, &doc_stratum, wanted);
            let runs = DocRuns::of(p.shard.first_doc, doc_stratum);
            out = Some(match out {
                Some((c, r)) => (c.merge(counts), r.merge(runs)),
                None => (counts, runs),
            });
        }
        Ok(out.expect("at least one shard"))
    }

    fn date_ends(&self) -> Result<DateEnds> {
        Ok(self.map(
            |p| DateEnds::of(&p.corpus.documents, p.shard.first_doc),
            DateEnds::merge,
        ))
    }
}
