//! The driver's side of an engine past one machine: an [`Engine`] sends a request to every
//! shard and gives back the merged answer; [`Remote`] runs the topic and trends passes through
//! one, deciding between them with the code a plain run uses. [`Local`] is an engine over shards
//! held in this process whose requests and answers still travel as bytes.

use std::cell::RefCell;
use std::collections::BTreeMap;

use ndarray::Array2;
use serde_bytes::ByteBuf;

use super::passes::{Answer, At, Known, Request, TopicModel};
use super::work::{owned_sample, Work};
use super::State;
use crate::artifacts::{Bag, ClassTfidf, Corpus, PeriodStats, TermId, TfIdf, Vocabulary};
use crate::error::{Error, Result};
use crate::stages::s5_topics::assign::{Assigned, Fit};
use crate::stages::s5_topics::fences::{Histograms, Inside, Wanted};
use crate::stages::s5_topics::passes::{self as topic_passes, Model, PassageRows};
use crate::stages::s5_topics::quality::Cooccurrences;
use crate::stages::s5_topics::sample::Sample;
use crate::stages::s5_topics::sums::TopicSums;
use crate::stages::s5_topics::MapAxes;
use crate::stages::s6_trends::passes as trends_passes;
use crate::stages::s6_trends::periods::DateEnds;
use crate::stages::s6_trends::profiles::{ProfileCounts, ProfileSpec};
use crate::stages::s6_trends::shard::DocRuns;
use crate::stages::s6_trends::slots::{self, Slots};
use crate::stages::s6_trends::strata::StrataCounts;
use crate::stages::s6_trends::topics_over_time::TopicPeriodSums;
use crate::stages::s6_trends::TrackedCounts;
use crate::stages::s7_report::evidence::quotes::Asked;
use crate::stages::s7_report::evidence::{Evidence, Item};
use crate::stages::s7_report::input::{Facts, Figures, Quotes};
use crate::stages::s7_report::tables::{self, RowTable};
use crate::stages::s7_report::ReportInput;

/// What runs a pass over every shard: Spark's `mapInArrow` and `treeReduce`, Ray's
/// `map_batches`, or [`Local`].
pub trait Engine {
    /// Sends `request` (a [`Request`]'s bytes, for the pass named `pass`) to every shard, and
    /// gives the bytes of their answers, each of some of the shards (every shard once): the
    /// caller merges them ([`Answer::merge`]), so that the engine need not encode their merge.
    fn run(&self, pass: &str, request: &[u8]) -> Result<Vec<Vec<u8>>>;
}

/// The answer of the kind asked for, or an error naming what came instead.
macro_rules! expect {
    ($answer:expr, $kind:ident) => {
        match $answer? {
            Answer::$kind(a) => Ok(a),
            other => Err(Error::Internal(format!(
                "asked for {}, the engine answered {}",
                stringify!($kind),
                other.name()
            ))),
        }
    };
}

/// The topic and trends passes run by an [`Engine`]: each pass a request to every shard, its
/// merged answer read back.
pub struct Remote<'a, E: Engine + ?Sized> {
    engine: &'a E,
    tfidf: &'a TfIdf,
    /// Passages of every shard.
    passages: usize,
    /// The topic model, once the topics' rows pass has been run (the topics are decided by
    /// then): the trends pass that reads each passage's topic sends it.
    model: RefCell<Option<TopicModel>>,
    /// What no decision changes, once asked.
    known: RefCell<Option<Known>>,
    /// The row tables asked with the evidence, until they are written.
    tables: RefCell<Vec<(RowTable, BTreeMap<u64, ByteBuf>)>>,
}

impl<'a, E: Engine + ?Sized> Remote<'a, E> {
    /// The passes of `engine`, whose shards hold `passages` passages, weighed by `tfidf`.
    pub fn new(engine: &'a E, tfidf: &'a TfIdf, passages: usize) -> Self {
        Remote {
            engine,
            tfidf,
            passages,
            model: RefCell::new(None),
            known: RefCell::new(None),
            tables: RefCell::new(Vec::new()),
        }
    }

    /// What no decision changes (facts, document periods, figures, date ends), asked in one
    /// pass the first time any of it is wanted.
    fn known(&self) -> Result<std::cell::Ref<'_, Known>> {
        if self.known.borrow().is_none() {
            let known = expect!(self.ask(Request::Facts), Facts)?;
            *self.known.borrow_mut() = Some(known);
        }
        Ok(std::cell::Ref::map(self.known.borrow(), |k| {
            k.as_ref().expect("asked above")
        }))
    }

    fn ask(&self, request: Request) -> Result<Answer> {
        let answers = self.engine.run(request.name(), &request.to_bytes())?;
        let answers = answers.iter().map(|a| Answer::from_bytes(a));
        let merged = answers.reduce(|a, b| a?.merge(b?));
        merged.unwrap_or_else(|| {
            Err(Error::Internal(format!(
                "the engine gave no answer in the {} pass",
                request.name()
            )))
        })
    }

    /// Each document's period, in corpus order.
    pub fn doc_periods(&self) -> Result<Vec<usize>> {
        Ok(self.known()?.doc_periods.iter().copied().collect())
    }

    /// The corpus in figures.
    pub fn figures(&self) -> Result<Figures> {
        Ok(self.known()?.figures.clone())
    }

    /// The facts of the corpus the shards hold, read at `path`.
    pub fn facts(&self, path: &std::path::Path) -> Result<Facts> {
        let shards = self.known()?.facts.clone();
        Ok(Facts::joined(path, shards.into_values()))
    }

    /// The quotes of what `asked` names.
    pub fn quotes(&self, asked: &Asked) -> Result<Quotes> {
        let asked = asked.clone();
        expect!(self.ask(Request::Quotes { asked }), Quotes)
    }

    /// The evidence lines of `items`, numbered, asked in one pass with the row `tables` that
    /// the report writes after them (with `periods`), which are kept until [`Remote::table`]
    /// asks for them.
    pub fn evidence_and_tables(
        &self,
        items: &[Item],
        tables: &[RowTable],
        periods: &[PeriodStats],
    ) -> Result<Vec<Evidence>> {
        let mut requests = vec![Request::Evidence {
            items: items.to_vec(),
        }];
        requests.extend(tables.iter().map(|&t| self.table_request(t, periods)));
        let mut answers = expect!(self.ask(Request::Batch(requests)), Batch)?.into_iter();
        let evidence = match answers.next() {
            Some(Answer::Evidence(found)) => found.lines(),
            _ => {
                return Err(Error::Internal(
                    "a batch answered without its evidence".into(),
                ))
            }
        };
        for (&table, answer) in tables.iter().zip(answers) {
            match answer {
                Answer::Table(pieces) => self.tables.borrow_mut().push((table, pieces)),
                a => {
                    return Err(Error::Internal(format!(
                        "a batch answered {} for a table",
                        a.name()
                    )))
                }
            }
        }
        Ok(evidence)
    }

    fn table_request(&self, table: RowTable, periods: &[PeriodStats]) -> Request {
        Request::Table {
            table,
            periods: periods.to_vec(),
            tfidf: self.tfidf.clone(),
            model: self.model.borrow().clone(),
        }
    }

    /// Every shard's rows of `table`, in shard order, with `periods` and the topics decided
    /// by the topics' rows pass (none when the corpus has no topic).
    pub fn table(
        &self,
        table: RowTable,
        periods: &[PeriodStats],
    ) -> Result<Vec<polars::prelude::DataFrame>> {
        use polars::prelude::SerReader;
        let asked = {
            let mut kept = self.tables.borrow_mut();
            let at = kept.iter().position(|(t, _)| *t == table);
            at.map(|i| kept.remove(i).1)
        };
        let pieces = match asked {
            Some(pieces) => pieces,
            None => expect!(self.ask(self.table_request(table, periods)), Table)?,
        };
        pieces
            .into_values()
            .map(|bytes| {
                polars::prelude::ParquetReader::new(std::io::Cursor::new(bytes.into_vec()))
                    .finish()
                    .map_err(|e| Error::Internal(format!("reading a shard's rows: {e}")))
            })
            .collect()
    }

    fn topic_model(&self, model: Model, fence: &[f64], apart: bool) -> TopicModel {
        TopicModel {
            fit: model.fit.clone(),
            decided: model.decided.clone(),
            fence: fence.to_vec(),
            apart,
        }
    }
}

impl<E: Engine + ?Sized> topic_passes::Passes for Remote<'_, E> {
    fn passages(&self) -> usize {
        self.passages
    }

    fn sample(&self, max: usize, seed: u64) -> Result<Sample<std::borrow::Cow<'_, Bag>>> {
        let tfidf = self.tfidf.clone();
        let sample = expect!(self.ask(Request::Sample { tfidf, max, seed }), Sample)?;
        Ok(owned_sample(sample))
    }

    fn assign(&self, fit: &Fit, counted: bool, _: Option<Array2<f64>>) -> Result<Assigned> {
        let (tfidf, fit) = (self.tfidf.clone(), fit.clone());
        expect!(
            self.ask(Request::Assign {
                tfidf,
                fit,
                counted
            }),
            Assign
        )
    }

    fn histograms(&self, model: Model) -> Result<Histograms> {
        let request = Request::Histograms {
            tfidf: self.tfidf.clone(),
            fit: model.fit.clone(),
            decided: model.decided.clone(),
        };
        expect!(self.ask(request), Histograms)
    }

    fn inside(&self, model: Model, wanted: &Wanted) -> Result<Inside> {
        let request = Request::Inside {
            tfidf: self.tfidf.clone(),
            fit: model.fit.clone(),
            decided: model.decided.clone(),
            wanted: wanted.clone(),
        };
        expect!(self.ask(request), Inside)
    }

    fn topic_sums(
        &self,
        model: Model,
        fence: &[f64],
        keep: usize,
        apart: bool,
    ) -> Result<TopicSums> {
        let request = Request::TopicSums {
            tfidf: self.tfidf.clone(),
            model: self.topic_model(model, fence, apart),
            keep,
        };
        expect!(self.ask(request), TopicSums)
    }

    fn cooccurrences(&self, top: &[Vec<TermId>]) -> Result<Cooccurrences> {
        let top = top.to_vec();
        expect!(self.ask(Request::Cooccurrences { top }), Cooccurrences)
    }

    fn rows(
        &self,
        model: Model,
        fence: &[f64],
        map: Option<&MapAxes>,
        (apart, vectors): (bool, bool),
    ) -> Result<PassageRows> {
        let model = self.topic_model(model, fence, apart);
        *self.model.borrow_mut() = Some(model.clone());
        let request = Request::Rows {
            tfidf: self.tfidf.clone(),
            model,
            map: map.cloned(),
            vectors,
        };
        expect!(self.ask(request), Rows)
    }
}

impl<E: Engine + ?Sized> trends_passes::Passes for Remote<'_, E> {
    fn tracked(&self, terms: &[TermId]) -> Result<TrackedCounts> {
        let terms = terms.to_vec();
        expect!(self.ask(Request::Tracked { terms }), Tracked)
    }

    fn topic_periods(
        &self,
        class: &ClassTfidf,
        k: usize,
        periods: usize,
    ) -> Result<TopicPeriodSums> {
        let model = self.model.borrow().clone().ok_or_else(|| {
            Error::Internal("topics over time asked for before the topics' rows".into())
        })?;
        let request = Request::TopicPeriods {
            tfidf: self.tfidf.clone(),
            model,
            class: class.clone(),
            k,
            periods,
        };
        expect!(self.ask(request), TopicPeriods)
    }

    fn profiles(&self, spec: &ProfileSpec, periods: usize) -> Result<ProfileCounts> {
        let spec = spec.clone();
        expect!(self.ask(Request::Profiles { spec, periods }), Profiles)
    }

    fn slots(&self, _: &Vocabulary, reads: &[(TermId, Vec<usize>)]) -> Result<Vec<Slots>> {
        // Each shard's found passages per read; each shard is then told how many come before
        // it (shards in their order), and how many there are in all.
        let reads = reads.to_vec();
        let found = expect!(
            self.ask(Request::Found {
                reads: reads.clone()
            }),
            Found
        )?;
        let (offsets, total) = slots::offsets(reads.len(), found.values().map(Vec::as_slice));
        let before: BTreeMap<u64, Vec<u64>> = found.keys().copied().zip(offsets).collect();
        let request = Request::Slots {
            reads,
            before,
            total,
        };
        Ok(expect!(self.ask(request), Slots)?.profiles())
    }

    fn strata(&self, column: &str) -> Result<Vec<String>> {
        let column = column.to_string();
        Ok(expect!(self.ask(Request::Strata { column }), Strata)?.names())
    }

    fn strata_counts(
        &self,
        column: &str,
        names: &[String],
        wanted: &[TermId],
    ) -> Result<(StrataCounts, DocRuns<u32>)> {
        let request = Request::StrataCounts {
            column: column.to_string(),
            names: names.to_vec(),
            wanted: wanted.to_vec(),
        };
        match self.ask(request)? {
            Answer::StrataCounts(counts, runs) => Ok((counts, runs)),
            other => Err(Error::Internal(format!(
                "asked for StrataCounts, the engine answered {}",
                other.name()
            ))),
        }
    }

    fn date_ends(&self) -> Result<DateEnds> {
        Ok(self.known()?.date_ends.clone())
    }
}

impl<E: Engine + ?Sized> tables::Rows for Remote<'_, E> {
    /// The evidence, and every row table the report writes (`tables::write_all`), in one pass.
    fn evidence(&self, r: &ReportInput, items: &[Item]) -> Result<Vec<Evidence>> {
        let mut tables = vec![
            RowTable::Passages {
                text: r.config.report.passage_text,
            },
            RowTable::Documents,
            RowTable::Boilerplate,
        ];
        if r.topics.vectors.is_some() {
            tables.push(RowTable::Tfidf);
        }
        self.evidence_and_tables(items, &tables, &r.trends.periods)
    }

    fn table(
        &self,
        r: &ReportInput,
        table: RowTable,
        sink: &mut dyn FnMut(polars::prelude::DataFrame) -> Result<()>,
    ) -> Result<()> {
        for piece in Remote::table(self, table, &r.trends.periods)? {
            sink(piece)?;
        }
        Ok(())
    }
}

/// An engine over shards held in this process. Each request and answer still goes through its
/// bytes, and the answers merge in an order of their own (the last shard's first), as an
/// engine's arrive.
pub struct Local(pub Vec<Work>);

impl Local {
    /// The corpus read with the state in `shards` shards ([`super::split`]), each placed where
    /// it stands in the corpus.
    pub fn read(state: &State, corpus: Corpus, shards: usize) -> Result<Local> {
        let mut works = Vec::with_capacity(shards);
        let (mut first_doc, mut first_passage) = (0, 0);
        for (i, corpus) in super::split(corpus, shards).into_iter().enumerate() {
            let documents = corpus.documents.len() as u64;
            let at = At {
                shard: i as u64,
                first_doc,
                first_passage,
            };
            let work = Work::new(state, corpus, at)?;
            first_doc += documents;
            first_passage += work.passages();
            works.push(work);
        }
        Ok(Local(works))
    }
}

impl Engine for Local {
    fn run(&self, _pass: &str, request: &[u8]) -> Result<Vec<Vec<u8>>> {
        let request = Request::from_bytes(request)?;
        // Last shard first: the merge must not depend on the order.
        let answers = self.0.iter().rev().map(|work| work.answer(&request));
        answers.map(|a| a.map(|a| a.to_bytes())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::Corpus;
    use crate::config::ValidConfig;
    use crate::shard::passes::At;
    use crate::stages::{s1_ingest, s2_segment, s3_tokenize, s4_vectorize, s5_topics, s6_trends};

    fn seeds(tweak: impl Fn(&mut crate::config::Config)) -> (ValidConfig, Corpus) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let text = std::fs::read_to_string(dir.join("topictide.toml")).unwrap();
        let mut config: crate::config::Config = toml::from_str(&text).unwrap();
        tweak(&mut config);
        let config = config.validate().unwrap();
        let corpus = s1_ingest::ingest(&dir, &config.ingest).unwrap();
        (config, corpus)
    }

    /// The seeds' shards cut at `cuts` (documents), read with `state`, each told where it
    /// stands from the counting pass' partials.
    fn works(state: &super::super::State, all: &Corpus, cuts: &[usize]) -> (Vec<Work>, usize) {
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(all.documents.len());
        let mut works = Vec::new();
        let mut first_passage = 0;
        for (i, w) in bounds.windows(2).enumerate() {
            let mut corpus = all.clone();
            corpus.documents.keep(w[0]..w[1]);
            let passages = super::super::count(state, &corpus).unwrap().passages;
            let at = At {
                shard: i as u64,
                first_doc: w[0] as u64,
                first_passage,
            };
            works.push(Work::new(state, corpus, at).unwrap());
            first_passage += passages;
        }
        (works, first_passage as usize)
    }

    /// Ten yearly documents in which "email" takes over from "telegraph" in the same places,
    /// halfway: a corpus with a succession, whose slots are read.
    fn handover() -> (ValidConfig, Corpus) {
        let texts: Vec<String> = (0..10)
            .map(|i| {
                let (word, topic) = if i < 5 {
                    ("telegraph", "harvest farm crop rain field barn")
                } else {
                    ("email", "satellite orbit launch rocket space station")
                };
                (0..30)
                    .map(|r| {
                        let word = if i >= 5 && r < 3 { "telegraph" } else { word };
                        format!(
                            "The office sent a {word} message over the wire to clerk {r} of \
                             ward {i}.\n\nBudget {r} report {i} meeting agenda.\n\n{topic} \
                             {r} {i}.\n\nLunch coffee garden {r} holiday {i}."
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = crate::test_support::corpus(&refs);
        let mut config = crate::config::Config::default();
        config.topics.k = crate::config::TopicCount::Fixed(3);
        (config.validate().unwrap(), corpus)
    }

    /// The report's passes through `remote` give what a plain run's give.
    fn report_passes(
        remote: &Remote<Local>,
        (config, all, passages, tokens): (
            &ValidConfig,
            &Corpus,
            &crate::artifacts::Passages,
            &crate::artifacts::Tokens,
        ),
        tfidf: &TfIdf,
        (topics, trends): (&crate::artifacts::Topics, &crate::artifacts::Trends),
    ) {
        use crate::stages::s7_report::{evidence, input};
        assert_eq!(remote.doc_periods().unwrap(), trends.doc_period);
        let figures = Figures::of(all, passages, tokens);
        assert_eq!(remote.figures().unwrap(), figures);
        let asked = Asked::of(topics, trends);
        let quotes = evidence::quotes::whole((all, passages, tokens), topics, trends);
        assert_eq!(remote.quotes(&asked).unwrap(), quotes);
        let facts = input::Facts::of(all, tokens);
        let r = crate::stages::s7_report::ReportInput {
            config,
            vocabulary: &tokens.vocabulary,
            tfidf,
            topics,
            trends,
            quotes: &quotes,
            figures: &figures,
            facts: &facts,
        };
        let items = evidence::items(&r);
        let whole = input::Shard::whole(all, passages, tokens, &trends.doc_period);
        let lines = evidence::collect(&r, &[whole]);
        assert!(!lines.is_empty() && !quotes.passages.is_empty());
        // Asked with two of the row tables, which are then taken from what came back; the
        // others are asked on their own.
        let batched = [RowTable::Passages { text: false }, RowTable::Documents];
        let with_tables = remote.evidence_and_tables(&items, &batched, &trends.periods);
        assert_eq!(with_tables.unwrap(), lines);
        assert_eq!(remote.tables.borrow().len(), 2);
        // The tables with a row per document, passage or weight: the shards' pieces, stacked,
        // are written as the whole corpus' rows are.
        use crate::stages::s7_report::tables::{self, RowsContext};
        let whole = input::Shard::whole(all, passages, tokens, &trends.doc_period);
        let dir = tempfile::tempdir().unwrap();
        let read = |f: &str| std::fs::read(dir.path().join(f)).unwrap();
        for table in [
            RowTable::Documents,
            RowTable::Passages { text: false },
            RowTable::Passages { text: true },
            RowTable::Boilerplate,
            RowTable::Tfidf,
        ] {
            let mut plain = table.rows(&RowsContext::of(&r, &whole), &whole).unwrap();
            tables::write(dir.path(), "plain", &mut plain).unwrap();
            let pieces = remote.table(table, &trends.periods).unwrap();
            let mut stacked = pieces[0].clone();
            for p in &pieces[1..] {
                stacked.vstack_mut(p).unwrap();
            }
            stacked.rechunk_mut();
            tables::write(dir.path(), "shards", &mut stacked).unwrap();
            for ext in ["csv", "parquet"] {
                let (a, b) = (
                    read(&format!("plain.{ext}")),
                    read(&format!("shards.{ext}")),
                );
                assert!(a == b, "{table:?}.{ext} differs");
            }
        }
        assert!(
            remote.tables.borrow().is_empty(),
            "every table asked with the evidence taken"
        );
    }

    #[test]
    fn topics_and_trends_through_an_engine_of_shards_are_the_plain_runs_bit_for_bit() {
        let configs = [
            handover(),
            seeds(|_| {}),
            seeds(|c| {
                c.trends.stratify = Some("title".into());
                c.topics.k = crate::config::TopicCount::Auto(crate::config::AutoK::Auto);
                c.topics.outlier_topic = true;
                c.topics.write_vectors = true;
            }),
        ];
        for (config, all) in configs {
            let state = super::super::learn(&config, &all, None).unwrap();
            let passages = s2_segment::segment(&all, &config.segment);
            let tokens = s3_tokenize::tokenize(&all, &passages, &config.tokenize_config());
            let tfidf = s4_vectorize::vectorize(&tokens, &config.vectorize).unwrap();
            let keys = passages.sample_keys(&all);
            let (cfg, seed) = (&config.topics, config.seed);
            let topics = s5_topics::topics(&tfidf, &tokens, &keys, cfg, seed).unwrap();
            let trends =
                s6_trends::trends(&all, &passages, &tokens, &topics, &config.trends, seed).unwrap();
            let vocab = &tokens.vocabulary;
            if all.documents.len() == 10 {
                assert!(!trends.succession.is_empty(), "the handover is found");
            }
            for cuts in [&[][..], &[2, 2, 3], &[1, 4]] {
                let (works, n) = works(&state, &all, cuts);
                assert_eq!(n, passages.passages.len());
                let engine = Local(works);
                let remote = Remote::new(&engine, &tfidf, n);
                let t = s5_topics::topics_in(&remote, &tfidf, vocab, cfg, seed).unwrap();
                assert_eq!(
                    format!("{t:?}"),
                    format!("{topics:?}"),
                    "topics, cut at {cuts:?}"
                );
                let counted = s6_trends::counted(&all, &passages, &tokens, &config.trends).unwrap();
                let tr = s6_trends::trends_in(&remote, counted, vocab, &t, &config.trends, seed)
                    .unwrap();
                assert_eq!(
                    format!("{tr:?}"),
                    format!("{trends:?}"),
                    "trends, cut at {cuts:?}"
                );
                report_passes(
                    &remote,
                    (&config, &all, &passages, &tokens),
                    &tfidf,
                    (&t, &tr),
                );
            }
        }
    }

    #[test]
    fn slots_read_through_an_engine_thin_the_whole_corpus_found_passages() {
        use crate::stages::s6_trends::passes::Passes as _;
        // Over 1,000 passages hold the name, in odd numbers per document: a read takes every
        // second, counted over the corpus.
        let texts: Vec<String> = (0..5)
            .map(|i| {
                (0..500 + 7 * i)
                    .map(|r| {
                        // Passages hold two paragraphs: the verb alternates by passage.
                        let verb = ["spoke", "wrote"][r / 2 % 2];
                        format!("Secretary Boutros Ghali {verb} to delegate {r} of {i}.")
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let all = crate::test_support::corpus(&refs);
        let mut config = crate::config::Config::default();
        config.vectorize.max_df = crate::config::Df::Fraction(1.0);
        let config = config.validate().unwrap();
        let state = super::super::learn(&config, &all, None).unwrap();
        let (one_shard, n) = works(&state, &all, &[]);
        let whole = Local(one_shard);
        let vocab = whole.0[0].tokens().vocabulary.clone();
        let term = crate::text::resolve(&vocab, "ghali").expect("a term");
        let reads = vec![(term, (0..5).collect::<Vec<_>>())];
        let tfidf = s4_vectorize::vectorize(whole.0[0].tokens(), &config.vectorize).unwrap();
        let one = Remote::new(&whole, &tfidf, n)
            .slots(&vocab, &reads)
            .unwrap();
        assert!(!one[0].is_empty());
        let (shards, _) = works(&state, &all, &[1, 1, 2, 3, 4]);
        let split = Local(shards);
        let four = Remote::new(&split, &tfidf, n)
            .slots(&vocab, &reads)
            .unwrap();
        assert_eq!(four, one);
    }
}
