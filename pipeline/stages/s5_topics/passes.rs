//! The topic passes as an engine runs them: [`Passes`] maps every shard of a corpus and merges
//! the partials; [`topics_in`](super::topics_in) decides between passes. [`InMemory`] runs
//! them over shards held in this process (a plain run is one shard); an engine past one
//! machine implements the same trait.
//!
//! Every pass after the sample is told the model it reads (the [`Fit`], then the topics as
//! [`Decided`] and their lower fences), so that a shard can be placed again from its bags
//! wherever it is read; [`InMemory`] keeps the placement of its assign pass instead.

use serde::{Deserialize, Serialize};

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use ndarray::{Array2, Axis};

use super::assign::{self, Assigned, Fit, Placed};
use super::fences::{self, Histograms, Inside, Wanted};
use super::quality::Cooccurrences;
use super::sample::Sample;
use super::sums::{Decided, Judged, TopicSums};
use super::{MapAxes, Shard};
use crate::artifacts::{Bag, TermId, TfIdf};
use crate::error::Result;

/// The model the passes after the assign pass read: the fit, the topics decided from the
/// assign pass, and (once known) each topic's lower fence.
#[derive(Debug, Clone, Copy)]
pub struct Model<'a> {
    /// The fitted components and k-means centres.
    pub fit: &'a Fit,
    /// Each cluster's topic and the topics' centres.
    pub decided: &'a Decided,
}

/// The passes of the topics stage, each over every shard of the corpus, merged.
pub trait Passes {
    /// Passages of every shard.
    fn passages(&self) -> usize;
    /// The sample: every shard's clustered passages counted, and the `max` of them with the
    /// smallest mixed keys, with their bags.
    fn sample(&self, max: usize, seed: u64) -> Result<Sample<Cow<'_, Bag>>>;
    /// Every clustered passage placed by `fit` and summed per cluster, with the clusters'
    /// feature counts when `counted`. `whole` is the sample's vectors when the sample is every
    /// clustered passage in corpus order: an engine that holds the corpus as one shard may
    /// take them as its placement, since they are the bits `fit` gives.
    fn assign(&self, fit: &Fit, counted: bool, whole: Option<Array2<f64>>) -> Result<Assigned>;
    /// Each topic's histogram of similarities to its centre.
    fn histograms(&self, model: Model) -> Result<Histograms>;
    /// The similarities inside the bins `wanted` holds.
    fn inside(&self, model: Model, wanted: &Wanted) -> Result<Inside>;
    /// The topic sums, with `fence` each topic's lower fence; `keep` representatives a topic,
    /// outliers standing apart when `apart`.
    fn topic_sums(
        &self,
        model: Model,
        fence: &[f64],
        keep: usize,
        apart: bool,
    ) -> Result<TopicSums>;
    /// The co-occurrences of each topic's `top` terms, over every passage.
    fn cooccurrences(&self, top: &[Vec<TermId>]) -> Result<Cooccurrences>;
    /// Each passage's row: topic, similarity, outlier flag, place on `map`, and its vector
    /// when asked. `flags`: whether outliers stand apart, and whether vectors are written.
    fn rows(
        &self,
        model: Model,
        fence: &[f64],
        map: Option<&MapAxes>,
        flags: (bool, bool),
    ) -> Result<PassageRows>;
}

/// A shard's placed passages judged by the model: each one's topic, its similarity to the
/// topic's centre and, with the fences, whether it is an outlier.
pub struct Judgement {
    /// The topic of each placed passage.
    pub topics: Vec<usize>,
    /// Its cosine similarity to its topic's centre.
    pub similarity: Vec<f64>,
}

impl Judgement {
    /// The judgement of `placed` by `decided`.
    pub fn of(placed: &Placed, decided: &Decided) -> Judgement {
        let topics = decided.topics(placed);
        let similarity = decided.similarity(placed, &topics);
        Judgement { topics, similarity }
    }

    /// Whether each passage is below its topic's lower `fence`.
    pub fn outliers(&self, fence: &[f64]) -> Vec<bool> {
        fences::below(&self.similarity, &self.topics, fence)
    }
}

/// The rows pass' partial: runs of consecutive passages, each with the number of its first,
/// and every passage's row. Merging keeps them in corpus order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PassageRows(Vec<(u64, ShardRows)>);

/// A shard's passages' rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardRows {
    /// Each passage's topic (none: unclustered, or an outlier standing apart).
    pub assignment: Vec<Option<u32>>,
    /// Each passage's similarity to its topic's centre (none: unclustered).
    pub centre_similarity: Vec<Option<f64>>,
    /// Whether each passage is below its topic's lower fence.
    pub outlier: Vec<bool>,
    /// Each passage's place on the topic map.
    pub map: Vec<Option<(f64, f64)>>,
    /// The clustered passages' numbers in the corpus and their vectors, when asked for.
    pub vectors: Option<(Vec<usize>, Array2<f64>)>,
}

impl PassageRows {
    /// The rows of a shard of `n` passages whose first is numbered `first` in the corpus.
    pub fn of(
        (first, n): (u64, usize),
        placed: &Placed,
        judged: (&Judgement, &[bool]),
        map: Option<&MapAxes>,
        (apart, vectors): (bool, bool),
    ) -> PassageRows {
        let (judgement, outlier) = judged;
        let mut rows = ShardRows {
            assignment: vec![None; n],
            centre_similarity: vec![None; n],
            outlier: vec![false; n],
            map: vec![None; n],
            vectors: None,
        };
        let points = map.map(|m| m.place(&placed.x));
        for (pos, &r) in placed.rows.iter().enumerate() {
            rows.centre_similarity[r] = Some(judgement.similarity[pos]);
            rows.outlier[r] = outlier[pos];
            if !(apart && outlier[pos]) {
                rows.assignment[r] = Some(judgement.topics[pos] as u32);
            }
            if let Some(points) = &points {
                rows.map[r] = Some((points[[pos, 0]], points[[pos, 1]]));
            }
        }
        if vectors {
            let numbers = placed.rows.iter().map(|&r| first as usize + r).collect();
            rows.vectors = Some((numbers, placed.x.clone()));
        }
        PassageRows(vec![(first, rows)])
    }

    /// The rows of two runs of shards, in corpus order.
    pub fn merge(mut self, other: PassageRows) -> PassageRows {
        self.0.extend(other.0);
        self.0.sort_by_key(|(first, _)| *first);
        self
    }

    /// Every passage's rows, in corpus order.
    pub fn into_rows(self) -> ShardRows {
        // Sized once: grown run by run, the columns were copied as they doubled, and ten
        // million passages' rows were twice in memory at the topics stage's end.
        let n: usize = self.0.iter().map(|(_, rows)| rows.assignment.len()).sum();
        let mut out = ShardRows {
            assignment: Vec::with_capacity(n),
            centre_similarity: Vec::with_capacity(n),
            outlier: Vec::with_capacity(n),
            map: Vec::with_capacity(n),
            vectors: None,
        };
        let mut vectors: Option<(Vec<usize>, Vec<Array2<f64>>)> = None;
        for (_, rows) in self.0 {
            out.assignment.extend(rows.assignment);
            out.centre_similarity.extend(rows.centre_similarity);
            out.outlier.extend(rows.outlier);
            out.map.extend(rows.map);
            if let Some((numbers, x)) = rows.vectors {
                let (all, xs) = vectors.get_or_insert_with(Default::default);
                all.extend(numbers);
                xs.push(x);
            }
        }
        out.vectors = vectors.map(|(numbers, xs)| {
            let views: Vec<_> = xs.iter().map(|x| x.view()).collect();
            let x = ndarray::concatenate(Axis(0), &views).expect("rows of one width");
            (numbers, x)
        });
        out
    }
}

/// Shards held in this process, in corpus order, with the TF-IDF weighting. The passes read
/// them in chunks of at most [`CHUNK`] passages (any split of a corpus gives the topics of the
/// whole). The assign pass's placement is kept for the passes after it while its vectors take
/// at most [`HELD_VECTORS`] bytes; past that, a pass that needs the vectors places a chunk again
/// from its bags, so that the placement does not grow with the corpus (10 M short posts held
/// 4 GB of vectors), and each chunk's judgement (16 bytes a passage) is kept from the first
/// pass that makes it: the fences' passes place nothing (5 M posts: topics 19.0 → 16.2 s).
pub struct InMemory<'a> {
    tfidf: &'a TfIdf,
    shards: Vec<Shard<'a>>,
    /// The number in the corpus of each chunk's first passage.
    firsts: Vec<u64>,
    /// Each chunk's passages placed by the last assign pass, when they are kept.
    placed: RefCell<Vec<Placed>>,
    /// When the placement is not kept: each chunk's judgement by the model of the passes after
    /// the assign pass (one model for all of them), made by the first and read by the others,
    /// so that the passes that need only the judgement (the fences') place nothing again.
    /// A chunk's is `None` once the last pass has read it.
    judged: RefCell<Vec<Option<Judgement>>>,
    /// Most bytes of vectors kept.
    held: u64,
}

/// Most passages a pass places at a time (about 100 MB of vectors at 50 components).
pub const CHUNK: usize = 1 << 18;

/// Most bytes of vectors the assign pass's placement keeps for the passes after it: 1 GiB,
/// about 2.6 M passages at 50 components.
pub const HELD_VECTORS: u64 = 1 << 30;

impl<'a> InMemory<'a> {
    /// The engine for `shards`, weighed by `tfidf`.
    pub fn new(tfidf: &'a TfIdf, shards: &'a [Shard<'a>]) -> Self {
        InMemory::with_limits(tfidf, shards, CHUNK, HELD_VECTORS)
    }

    /// The engine for `shards`, read in chunks of `chunk` passages, keeping at most `held`
    /// bytes of vectors.
    pub fn with_limits(tfidf: &'a TfIdf, shards: &'a [Shard<'a>], chunk: usize, held: u64) -> Self {
        let shards: Vec<Shard<'a>> = shards
            .iter()
            .flat_map(|s| {
                let chunks = s.bags.len().div_ceil(chunk).max(1);
                (0..chunks).map(move |c| {
                    let range = c * chunk..((c + 1) * chunk).min(s.bags.len());
                    Shard {
                        bags: &s.bags[range.clone()],
                        keys: &s.keys[range],
                    }
                })
            })
            .collect();
        let firsts = shards
            .iter()
            .scan(0u64, |first, s| {
                let this = *first;
                *first += s.bags.len() as u64;
                Some(this)
            })
            .collect();
        InMemory {
            tfidf,
            shards,
            firsts,
            placed: RefCell::new(Vec::new()),
            judged: RefCell::new(Vec::new()),
            held,
        }
    }

    /// Maps every chunk, with its placement (kept, or made again) and judgement by `model`,
    /// and merges. After the `last` pass, no judgement is kept.
    fn judged<T>(
        &self,
        model: Model,
        last: bool,
        f: impl Fn(usize, &Placed, &Judgement) -> T,
        merge: impl Fn(T, T) -> T,
    ) -> T {
        let placed = self.placed.borrow();
        (0..self.shards.len())
            .map(|i| match placed.get(i) {
                Some(p) => f(i, p, &Judgement::of(p, model.decided)),
                None => {
                    let p = assign::place(self.tfidf, self.shards[i].bags, model.fit);
                    let j = self.judgement(i, || Judgement::of(&p, model.decided));
                    let out = f(i, &p, &j);
                    drop(j);
                    if last {
                        self.judged.borrow_mut()[i] = None;
                    }
                    out
                }
            })
            .reduce(merge)
            .expect("at least one chunk")
    }

    /// Maps every chunk's judgement by `model` and merges: the judgements kept from an
    /// earlier pass, so that no chunk is placed again.
    fn judgements<T>(
        &self,
        model: Model,
        f: impl Fn(&Judgement) -> T,
        merge: impl Fn(T, T) -> T,
    ) -> T {
        if !self.placed.borrow().is_empty() {
            return self.judged(model, false, |_, _, j| f(j), merge);
        }
        (0..self.shards.len())
            .map(|i| {
                let j = self.judgement(i, || {
                    let p = assign::place(self.tfidf, self.shards[i].bags, model.fit);
                    Judgement::of(&p, model.decided)
                });
                f(&j)
            })
            .reduce(merge)
            .expect("at least one chunk")
    }

    /// Chunk `i`'s judgement: the one kept, else `make`'s, kept for the passes after.
    fn judgement(&self, i: usize, make: impl FnOnce() -> Judgement) -> Ref<'_, Judgement> {
        let kept = self.judged.borrow().get(i).is_some_and(|j| j.is_some());
        if !kept {
            let j = Some(make());
            let mut all = self.judged.borrow_mut();
            if all.len() <= i {
                all.resize_with(i + 1, || None);
            }
            all[i] = j;
        }
        Ref::map(self.judged.borrow(), |all| {
            all[i].as_ref().expect("kept above")
        })
    }
}

impl Passes for InMemory<'_> {
    fn passages(&self) -> usize {
        self.shards.iter().map(|s| s.bags.len()).sum()
    }

    fn sample(&self, max: usize, seed: u64) -> Result<Sample<Cow<'_, Bag>>> {
        Ok(self
            .shards
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let candidates = assign::clustered(self.tfidf, s.bags)
                    .into_iter()
                    .map(|r| (s.keys[r], r as u64, Cow::Borrowed(&s.bags[r])));
                Sample::of(max, seed, i as u64, candidates)
            })
            .reduce(Sample::merge)
            .expect("at least one shard"))
    }

    fn assign(&self, fit: &Fit, counted: bool, whole: Option<Array2<f64>>) -> Result<Assigned> {
        let rows: usize = self.shards.iter().map(|s| s.bags.len()).sum();
        let each = (fit.components.nrows() + 1) * std::mem::size_of::<f64>();
        let keep = crate::memory::bytes_of(rows, each).is_some_and(|b| b <= self.held);
        let mut whole = whole;
        let mut placed = Vec::new();
        let mut assigned: Option<Assigned> = None;
        for s in &self.shards {
            let p = match (self.shards.len(), whole.take()) {
                // One chunk fitted whole: its vectors are the sample's, row for row.
                (1, Some(x)) => Placed::new(assign::clustered(self.tfidf, s.bags), x, fit),
                _ => assign::place(self.tfidf, s.bags, fit),
            };
            let a = Assigned::of(&p, fit, self.tfidf, s.bags, counted);
            assigned = Some(match assigned {
                Some(sum) => sum.merge(a),
                None => a,
            });
            if keep {
                placed.push(p);
            }
        }
        *self.placed.borrow_mut() = placed;
        self.judged.borrow_mut().clear();
        Ok(assigned.expect("at least one chunk"))
    }

    fn histograms(&self, model: Model) -> Result<Histograms> {
        let k = model.decided.centres.nrows();
        Ok(self.judgements(
            model,
            |j| Histograms::of(&j.similarity, &j.topics, k),
            Histograms::merge,
        ))
    }

    fn inside(&self, model: Model, wanted: &Wanted) -> Result<Inside> {
        Ok(self.judgements(
            model,
            |j| Inside::of(&j.similarity, &j.topics, wanted),
            Inside::merge,
        ))
    }

    fn topic_sums(
        &self,
        model: Model,
        fence: &[f64],
        keep: usize,
        apart: bool,
    ) -> Result<TopicSums> {
        Ok(self.judged(
            model,
            false,
            |i, placed, j| {
                let outlier = j.outliers(fence);
                let judged = Judged {
                    placed,
                    topics: &j.topics,
                    similarity: &j.similarity,
                    outlier: &outlier,
                };
                TopicSums::of(
                    &judged,
                    model.decided,
                    (self.tfidf, self.shards[i].bags),
                    (self.firsts[i], keep, apart),
                )
            },
            TopicSums::merge,
        ))
    }

    fn cooccurrences(&self, top: &[Vec<TermId>]) -> Result<Cooccurrences> {
        Ok(self
            .shards
            .iter()
            .map(|s| Cooccurrences::of(s.bags, top))
            .reduce(Cooccurrences::merge)
            .expect("at least one shard"))
    }

    fn rows(
        &self,
        model: Model,
        fence: &[f64],
        map: Option<&MapAxes>,
        flags: (bool, bool),
    ) -> Result<PassageRows> {
        Ok(self.judged(
            model,
            true,
            |i, placed, j| {
                let n = self.shards[i].bags.len();
                let outlier = j.outliers(fence);
                PassageRows::of((self.firsts[i], n), placed, (j, &outlier), map, flags)
            },
            PassageRows::merge,
        ))
    }
}
