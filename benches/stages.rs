//! One criterion group per stage, on the seeds corpus, and on the UN General Debate corpus
//! (`../shared/corpora/ungd.jsonl.gz`) when it is present and the benchmarks run for real
//! (`cargo bench`; under `cargo test` they run once each, on seeds only). Each benchmark checks
//! the size of what it produces, so a stage that quietly stops working cannot look fast.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use topictide::config::Config;
use topictide::stages::{
    s1_ingest, s2_segment, s3_tokenize, s4_vectorize, s5_topics, s6_trends, s7_report,
};

/// Benchmarks every stage on the corpus at `path`, or only the report when `every_stage` is
/// false (the other stages are run once, to give it its input).
fn bench_corpus(c: &mut Criterion, name: &str, path: &Path, config: &Config, samples: usize) {
    bench_stages(c, name, path, config, samples, true)
}

fn bench_stages(
    c: &mut Criterion,
    name: &str,
    path: &Path,
    config: &Config,
    samples: usize,
    every_stage: bool,
) {
    let corpus = s1_ingest::ingest(path, &config.ingest).expect("corpus reads");
    let bytes = corpus.text_bytes() as u64;
    let mut g = c.benchmark_group(name);
    g.sample_size(samples);
    g.throughput(Throughput::Bytes(bytes));

    if every_stage {
        g.bench_function("1_ingest", |b| {
            b.iter(|| {
                let c = s1_ingest::ingest(path, &config.ingest).unwrap();
                assert_eq!(c.documents.len(), corpus.documents.len());
            })
        });
    }
    let passages = s2_segment::segment(&corpus, &config.segment);
    if every_stage {
        g.bench_function("2_segment", |b| {
            b.iter(|| {
                assert_eq!(
                    s2_segment::segment(&corpus, &config.segment).passages.len(),
                    passages.passages.len()
                )
            })
        });
    }
    let tokenize_config = config.tokenize_config();
    let tokens = s3_tokenize::tokenize(&corpus, &passages, &tokenize_config);
    if every_stage {
        g.bench_function("3_tokenize", |b| {
            b.iter(|| {
                let t = s3_tokenize::tokenize(&corpus, &passages, &tokenize_config);
                assert_eq!(t.vocabulary.terms.len(), tokens.vocabulary.terms.len());
            })
        });
    }
    let tfidf = s4_vectorize::vectorize(&tokens, &config.vectorize).unwrap();
    if every_stage {
        g.bench_function("4_vectorize", |b| {
            b.iter(|| {
                // Fitting the weighting and weighing every row, as the topics do.
                let fitted = s4_vectorize::vectorize(&tokens, &config.vectorize).unwrap();
                assert_eq!(fitted.transform(&tokens.bags).nnz(), tfidf.nonzeros)
            })
        });
    }
    let keys = passages.sample_keys(&corpus);
    let topics = s5_topics::topics(&tfidf, &tokens, &keys, &config.topics, config.seed).unwrap();
    if every_stage {
        g.bench_function("5_topics", |b| {
            b.iter(|| {
                let t =
                    s5_topics::topics(&tfidf, &tokens, &keys, &config.topics, config.seed).unwrap();
                assert_eq!(t.topics.len(), topics.topics.len());
            })
        });
    }
    let run_trends = || {
        s6_trends::trends(
            &corpus,
            &passages,
            &tokens,
            &topics,
            &config.trends,
            config.seed,
        )
        .unwrap()
    };
    let trends = run_trends();
    if every_stage {
        g.bench_function("6_trends", |b| {
            b.iter(|| assert_eq!(run_trends().rows.len(), trends.rows.len()))
        });
    }
    let quotes =
        s7_report::evidence::quotes::whole((&corpus, &passages, &tokens), &topics, &trends);
    let figures = s7_report::input::Figures::of(&corpus, &passages, &tokens);
    let facts = s7_report::input::Facts::of(&corpus, &tokens);
    let whole = s7_report::input::Shard::whole(&corpus, &passages, &tokens, &trends.doc_period);
    let input = s7_report::ReportInput {
        config,
        vocabulary: &tokens.vocabulary,
        tfidf: &tfidf,
        topics: &topics,
        trends: &trends,
        quotes: &quotes,
        figures: &figures,
        facts: &facts,
    };
    let files = {
        let dir = tempfile::tempdir().unwrap();
        s7_report::Output::begin(dir.path())
            .unwrap()
            .write_report(
                &input,
                &s7_report::tables::Shards(std::slice::from_ref(&whole)),
            )
            .unwrap()
    };
    g.bench_function("7_report", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| {
                let out = s7_report::Output::begin(dir.path()).unwrap();
                assert_eq!(
                    out.write_report(
                        &input,
                        &s7_report::tables::Shards(std::slice::from_ref(&whole))
                    )
                    .unwrap(),
                    files
                );
                assert!(out.staging().join("report.html").is_file());
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seeds(c: &mut Criterion) {
    let dir = root().join("seeds");
    let config = Config::from_file(&dir.join("topictide.toml")).unwrap();
    bench_corpus(c, "seeds", &dir, &config, 20);
}

fn ungd(c: &mut Criterion) {
    let path = root().join("../shared/corpora/ungd.jsonl.gz");
    let for_real = std::env::args().any(|a| a == "--bench");
    if !path.is_file() || !for_real {
        eprintln!(
            "ungd: skipped ({})",
            if for_real {
                "corpus absent"
            } else {
                "not under cargo bench"
            }
        );
        return;
    }
    bench_corpus(c, "ungd", &path, &Config::default(), 10);
}

/// Chinese: word segmentation alone (jieba over runs of Han characters, UAX #29 around them)
/// and the whole tokenize stage, on the reports to 16 CPC National Congresses
/// (`../shared/corpora/cpc_congress_zh.jsonl.gz`), in MB/s of text.
fn chinese(c: &mut Criterion) {
    let path = root().join("../shared/corpora/cpc_congress_zh.jsonl.gz");
    let for_real = std::env::args().any(|a| a == "--bench");
    if !path.is_file() || !for_real {
        eprintln!("chinese: skipped (corpus absent or not under cargo bench)");
        return;
    }
    let mut config = Config::default();
    config.tokenize.language = topictide::artifacts::Language::Chinese;
    let corpus = s1_ingest::ingest(&path, &config.ingest).expect("corpus reads");
    let passages = s2_segment::segment(&corpus, &config.segment);
    let mut g = c.benchmark_group("chinese");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(corpus.text_bytes() as u64));
    let analyzer = topictide::text::Analyzer::with(
        topictide::artifacts::Language::Chinese,
        Vec::new(),
        Vec::new(),
        false,
        &[],
    );
    g.bench_function("segment_words", |b| {
        b.iter(|| {
            let words: u32 = corpus
                .documents
                .iter()
                .map(|d| analyzer.scan(d.text(), |_, _, _| {}))
                .sum();
            assert!(words > 100_000, "{words} words");
            words
        })
    });
    g.bench_function("3_tokenize", |b| {
        b.iter(|| {
            let t = s3_tokenize::tokenize(&corpus, &passages, &config.tokenize);
            assert!(t.vocabulary.terms.len() > 10_000);
            t
        })
    });
    g.finish();
}

/// Words of a made-up language, drawn by a fixed generator: the same text every run.
fn made_up_text(words: usize, seed: u64) -> String {
    let mut x = seed | 1;
    let mut out = String::with_capacity(words * 7);
    for i in 0..words {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 3 + (x % 7) as usize;
        if i > 0 {
            out.push(' ');
        }
        // Three thousand distinct words, as in the probe.
        let mut w = (x >> 8) % 3000;
        for _ in 0..len {
            out.push((b'a' + (w % 26) as u8) as char);
            w = w / 26 + 7;
        }
    }
    out
}

/// The report on shapes that once made it quadratic: one document of 50 MB on one line (113 s
/// in the report stage; each evidence item read the whole passage again), and a table with
/// 10,000 passed-through columns (each column's name compared with every earlier one). Under
/// `cargo test` they run once, on 1 MB and 300 columns.
fn shapes(c: &mut Criterion) {
    let for_real = std::env::args().any(|a| a == "--bench");
    let dir = tempfile::tempdir().unwrap();
    let (line_words, columns, rows) = if for_real {
        (7_500_000, 10_000, 200)
    } else {
        (150_000, 300, 20)
    };
    let long = dir.path().join("one_line.jsonl");
    let mut lines = vec![serde_json::json!({
        "id": "long", "year": 2020, "text": made_up_text(line_words, 1)
    })
    .to_string()];
    for i in 0..20u64 {
        let text = made_up_text(200, i + 2);
        lines.push(serde_json::json!({"id": i, "year": 2019 + i % 3, "text": text}).to_string());
    }
    std::fs::write(&long, lines.join("\n")).unwrap();
    bench_stages(c, "one_line", &long, &Config::default(), 10, false);

    let wide = dir.path().join("wide.csv");
    let mut csv = String::from("id,year,text");
    for j in 0..columns {
        csv.push_str(&format!(",c{j}"));
    }
    for r in 0..rows {
        csv.push_str(&format!(
            "\nd{r},{},{}",
            2000 + r % 10,
            made_up_text(50, r + 7)
        ));
        for j in 0..columns {
            csv.push_str(&format!(",{}", (r * j) % 97));
        }
    }
    std::fs::write(&wide, csv).unwrap();
    bench_stages(c, "wide", &wide, &Config::default(), 10, false);
}

/// The allocator the command runs with, so that a stage is timed as a run times it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

criterion_group!(benches, seeds, ungd, chinese, shapes);

/// `criterion_main!`, with the pages the command runs in ([`topictide::memory::small_pages`]).
fn main() {
    topictide::memory::small_pages();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
