//! The whole run from an engine's shards ([`report`]): what `topictide run` writes into its
//! output folder, from the state, the shards' merged counts and the passes an [`Engine`] runs
//! over them (ARCHITECTURE.md, "The whole run in passes"). No machine holds the corpus: the
//! driver decides from sums, and each shard's rows are written as they come back.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::Instant;

use super::engine::{Engine, Remote};
use super::partial::{check, period_figures, weighed};
use super::{Partial, State};
use crate::config::ReportConfig;
use crate::error::Result;
use crate::stages::s5_topics;
use crate::stages::s6_trends::{self, counts::PeriodCounts, Counted};
use crate::stages::s7_report::evidence::quotes::Asked;
use crate::stages::s7_report::output::{run_json, StageTiming};
use crate::stages::s7_report::{charts, Output, ReportInput};

/// Writes the whole run's report into `out`, as `topictide run` writes it for the corpus the
/// state was learnt from: topics, trends and the report from the passes `engine` runs over
/// the shards whose merged counts are `merged`, for a corpus read at `path` (what the report
/// names it).
pub fn report(
    state: &State,
    merged: &Partial,
    engine: &dyn Engine,
    path: &Path,
    out: &Path,
    asked: &ReportConfig,
) -> Result<()> {
    let started = Instant::now();
    check(state, merged)?;
    let config = state.config()?.with_report(asked);
    let output = Output::begin(out)?;
    let (vocabulary, tfidf) = weighed(state, merged, &config)?;
    let remote = Remote::new(engine, &tfidf, merged.passages as usize);
    let facts = &remote.facts(path)?;
    let mut timings = Vec::new();
    let mut time = |stage: &'static str, from: Instant, (items_in, unit_in), out: (u64, _)| {
        timings.push(StageTiming {
            stage,
            seconds: from.elapsed().as_secs_f64(),
            items_in,
            unit_in,
            items_out: out.0,
            unit_out: out.1,
        })
    };

    let from = Instant::now();
    let topics = s5_topics::topics_in(&remote, &tfidf, &vocabulary, &config.topics, config.seed)?;
    let passages = (merged.passages, "passages");
    time(
        "topics",
        from,
        passages,
        (topics.topics.len() as u64, "topics"),
    );

    let from = Instant::now();
    let stats = period_figures(state, merged, &config);
    let wanted: BTreeSet<_> = s6_trends::counted_terms(&vocabulary, &config.trends)
        .into_iter()
        .collect();
    let counts: HashMap<_, _> = merged
        .term_periods
        .iter()
        .filter(|((_, t), _)| wanted.contains(t))
        .map(|(&k, &c)| (k, c))
        .collect();
    let counted = Counted {
        stats,
        doc_period: remote.doc_periods()?,
        counts: PeriodCounts::from_map(counts),
    };
    let trends = s6_trends::trends_in(
        &remote,
        counted,
        &vocabulary,
        &topics,
        &config.trends,
        config.seed,
    )?;
    let terms = (vocabulary.terms.len() as u64, "terms");
    time("trends", from, terms, (trends.rows.len() as u64, "rows"));

    let from = Instant::now();
    let quotes = remote.quotes(&Asked::of(&topics, &trends))?;
    let figures = remote.figures()?;
    let input = ReportInput {
        config: &config,
        vocabulary: &vocabulary,
        tfidf: &tfidf,
        topics: &topics,
        trends: &trends,
        quotes: &quotes,
        figures: &figures,
        facts,
    };
    let files = output.write_report(&input, &remote)?;
    time("report", from, passages, (files as u64 + 1, "files"));

    let total = started.elapsed().as_secs_f64();
    let json = run_json(&input, &facts.path, &timings, total);
    let threads = rayon::current_num_threads();
    let svg = charts::stage_timings::chart(&facts.path, figures.bytes, threads, &timings)?;
    output.commit(&json, &svg)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::RunPaths;
    use crate::shard::engine::Local;
    use crate::shard::passes::At;
    use crate::shard::work::Work;
    use crate::stages::s1_ingest;

    /// Every file under `dir`, by its path inside it, with its bytes; `run.json` without its
    /// timings, the timings chart left out.
    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let path = e.unwrap().path();
                let name = path.strip_prefix(dir).unwrap().to_path_buf();
                if path.is_dir() {
                    stack.push(path);
                } else if name.starts_with(".topictide") || name.ends_with("stage_timings.svg") {
                    continue;
                } else if name.ends_with("run.json") {
                    let mut json: serde_json::Value =
                        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                    let map = json.as_object_mut().unwrap();
                    map.remove("stages");
                    map.remove("total_seconds");
                    out.push((name, json.to_string().into_bytes()));
                } else {
                    out.push((name, std::fs::read(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn the_report_from_an_engine_of_shards_is_the_plain_runs_byte_for_byte() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let text = std::fs::read_to_string(dir.join("topictide.toml")).unwrap();
        let config: crate::config::Config = toml::from_str(&text).unwrap();
        let config = config.validate().unwrap();
        let plain = tempfile::tempdir().unwrap();
        let paths = RunPaths {
            corpus: dir.clone(),
            out: plain.path().to_path_buf(),
        };
        crate::run::run(&config, &paths, crate::run::Progress::Quiet).unwrap();
        let want = files(plain.path());
        assert!(want.len() > 40, "{}", want.len());

        let all = s1_ingest::ingest(&dir, &config.ingest).unwrap();
        let state = super::super::learn(&config, &all, None).unwrap();
        for cuts in [&[][..], &[1, 1, 3]] {
            let mut bounds = vec![0];
            bounds.extend_from_slice(cuts);
            bounds.push(all.documents.len());
            let (mut works, mut merged) = (Vec::new(), None::<Partial>);
            for (i, w) in bounds.windows(2).enumerate() {
                let mut corpus = all.clone();
                corpus.documents.keep(w[0]..w[1]);
                let partial = super::super::count(&state, &corpus).unwrap();
                let at = At {
                    shard: i as u64,
                    first_doc: w[0] as u64,
                    first_passage: merged.as_ref().map_or(0, |m| m.passages),
                };
                works.push(Work::new(&state, corpus, at).unwrap());
                merged = Some(match merged {
                    Some(m) => m.merge(partial).unwrap(),
                    None => partial,
                });
            }
            let out = tempfile::tempdir().unwrap();
            let engine = Local(works);
            report(
                &state,
                &merged.unwrap(),
                &engine,
                &dir,
                out.path(),
                &Default::default(),
            )
            .unwrap();
            let got = files(out.path());
            assert_eq!(
                got.iter().map(|f| &f.0).collect::<Vec<_>>(),
                want.iter().map(|f| &f.0).collect::<Vec<_>>()
            );
            for ((name, a), (_, b)) in got.iter().zip(&want) {
                assert!(a == b, "{} differs, cut at {cuts:?}", name.display());
            }
        }
    }
}
