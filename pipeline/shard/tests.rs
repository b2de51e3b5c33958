use std::path::Path;

use polars::prelude::*;

use super::*;
use crate::artifacts::Corpus;
use crate::config::{Config, ValidConfig};
use crate::stages::s7_report::tables;
use crate::stages::{s1_ingest, s2_segment, s3_tokenize, s4_vectorize};
use crate::test_support::corpus;
use proptest::prelude::*;

fn valid(config: Config) -> ValidConfig {
    config.validate().unwrap()
}

/// Documents `range` of `all`, as a shard holds them.
fn shard_of(all: &Corpus, range: std::ops::Range<usize>) -> Corpus {
    let mut c = all.clone();
    c.documents.keep(range.start..range.end);
    c
}

fn csv(tables: &mut [(&'static str, DataFrame)]) -> Vec<(&'static str, String)> {
    tables
        .iter_mut()
        .map(|(name, df)| {
            let mut out = Vec::new();
            CsvWriter::new(&mut out).finish(df).unwrap();
            (*name, String::from_utf8(out).unwrap())
        })
        .collect()
}

fn seeds() -> (ValidConfig, Corpus) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let text = std::fs::read_to_string(dir.join("topictide.toml")).unwrap();
    let config = valid(toml::from_str(&text).unwrap());
    let corpus = s1_ingest::ingest(&dir, &config.ingest).unwrap();
    (config, corpus)
}

#[test]
fn seeds_merged_from_any_two_shards_are_the_whole_corpus_counted() {
    let (config, all) = seeds();
    let state = learn(&config, &all, None).unwrap();
    let whole = count(&state, &all).unwrap();
    // What a run over the whole corpus counts.
    let passages = s2_segment::segment(&all, &config.segment);
    let tokens = s3_tokenize::tokenize(&all, &passages, &config.tokenize_config());
    let tfidf = s4_vectorize::vectorize(&tokens, &config.vectorize).unwrap();
    let plain = tables::vocabulary_terms(&tokens.vocabulary, &tfidf).unwrap();
    let mut expected = [("terms", plain)];
    let merged_tables = csv(&mut tables(&state, &whole).unwrap());
    assert_eq!(merged_tables[0], csv(&mut expected)[0]);
    assert!(whole.terms.len() > 500, "{}", whole.terms.len());
    // The Han characters an English run does not read (小米, 百度, 騰迅) are counted too.
    let unread: Vec<(String, u64)> = whole.unread.clone().into_iter().collect();
    assert_eq!(unread, tokens.unread_characters);
    assert_eq!(unread, [("Han".to_string(), 6)]);
    for k in 0..=all.documents.len() {
        let a = count(&state, &shard_of(&all, 0..k)).unwrap();
        let b = count(&state, &shard_of(&all, k..all.documents.len())).unwrap();
        let merged = b.clone().merge(a.clone()).unwrap();
        assert_eq!(merged, whole, "split at {k}");
        assert_eq!(a.merge(b).unwrap(), whole, "split at {k}");
        assert_eq!(csv(&mut tables(&state, &merged).unwrap()), merged_tables);
    }
}

#[test]
fn a_partial_reads_back_from_its_table() {
    let (config, all) = seeds();
    let state = learn(&config, &all, None).unwrap();
    for range in [1..4, 0..all.documents.len()] {
        let partial = count(&state, &shard_of(&all, range)).unwrap();
        let df = to_frame(&partial).unwrap();
        assert_eq!(from_frame(Path::new("p"), &df).unwrap(), partial);
    }
}

#[test]
fn a_partials_table_in_any_row_order_with_rows_twice_reads_as_their_sum() {
    let (config, all) = seeds();
    let state = learn(&config, &all, None).unwrap();
    let partial = count(&state, &shard_of(&all, 0..3)).unwrap();
    let df = to_frame(&partial).unwrap();
    let backwards = df.reverse();
    let twice = backwards.vstack(&df).unwrap();
    let read = from_frame(Path::new("p"), &twice).unwrap();
    assert_eq!(read, partial.clone().merge(partial).unwrap());
}

#[test]
fn partials_of_another_state_or_corpus_are_refused() {
    let (config, all) = seeds();
    let state = learn(&config, &all, None).unwrap();
    let other = learn(&config, &shard_of(&all, 0..3), None).unwrap();
    let a = count(&state, &shard_of(&all, 0..3)).unwrap();
    let b = count(&other, &shard_of(&all, 0..3)).unwrap();
    assert!(a.clone().merge(b).is_err());
    // Shard 3.. is not in the corpus `other` was learnt from.
    let err = count(&other, &shard_of(&all, 3..5))
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not in the corpus"), "{err}");
    // A document whose text changed since.
    let mut changed = shard_of(&all, 0..2);
    changed.documents.edit(|i, d| {
        if i == 1 {
            d.text = "Cybersecurity law".into();
        }
    });
    let err = count(&state, &changed).unwrap_err().to_string();
    assert!(err.contains(&changed.documents.get(1).origin()), "{err}");
    // One shard missing.
    assert!(tables(&state, &a).is_err());
}

/// A state edited by hand or damaged is refused when read, with exit 3, before a shard is
/// read with it; one term id edited made `count` panic with an index out of bounds.
#[test]
fn a_state_edited_or_cut_short_is_refused_when_read() {
    let (config, all) = seeds();
    let json = learn(&config, &all, None).unwrap().to_json();
    let path = Path::new("state.json");
    let read = State::from_json(path, &json).unwrap();
    assert_eq!(read.to_json(), json);
    let text = String::from_utf8(json.clone()).unwrap();
    let (name, key) = &read.learnt.kept()[0];
    let term = format!("[{},{key}]", serde_json::to_string(name).unwrap());
    assert!(text.contains(&term), "{term}");
    let edited = text.replacen(&term, &term.replace(&key.to_string(), "99999"), 1);
    let cut = &json[..json.len() / 2];
    let unsigned = text.replacen(",\"checksum\":", ",\"x\":", 1);
    for (bytes, says) in [
        (edited.as_bytes(), "checksum does not match"),
        (cut, "not a topictide state"),
        (unsigned.as_bytes(), "without a checksum"),
    ] {
        let e = State::from_json(path, bytes).unwrap_err();
        assert_eq!(e.exit_code(), 3, "{e}");
        assert!(e.to_string().contains(says), "{says}: {e}");
    }
    // Edited with its checksum made again, the bounds still refuse it.
    let mut state: serde_json::Value = serde_json::from_str(&edited).unwrap();
    state.as_object_mut().unwrap().remove("checksum");
    let mut body = serde_json::to_vec(&state).unwrap();
    body.pop();
    let resigned = format!(
        "{},\"checksum\":\"{:016x}\"}}",
        String::from_utf8(body).unwrap(),
        fnv1a(&[&serde_json::to_vec(&state).unwrap()[..]].concat())
    );
    let e = State::from_json(path, resigned.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("has key 99999"), "{e}");
}

/// A partial counting a term or a period its state does not have is refused by merge.
#[test]
fn a_partial_out_of_its_states_bounds_is_refused() {
    let (config, all) = seeds();
    let state = learn(&config, &all, None).unwrap();
    let whole = count(&state, &all).unwrap();
    assert!(tables(&state, &whole).is_ok());
    let mut bad = whole.clone();
    let terms = state.learnt.vocabulary.terms.len() as crate::artifacts::TermId;
    let c = *bad.terms.values().next().unwrap();
    bad.terms.insert(terms, c);
    let e = tables(&state, &bad).unwrap_err();
    assert_eq!(e.exit_code(), 3, "{e}");
    assert!(
        e.to_string().contains(&format!("count term {terms}")),
        "{e}"
    );
    let mut bad = whole;
    bad.periods.insert(999, (1, 1, 1));
    assert!(tables(&state, &bad)
        .unwrap_err()
        .to_string()
        .contains("period 999"));
}

#[test]
fn a_shard_folds_a_chain_through_a_form_it_never_writes() {
    // "organi za tion" folds into "organiza", then into "organization"; the last
    // document writes neither joined form.
    let texts = [
        "the organization met. organization and organization",
        "organiza organiza organiza tion policy",
        "organization organization of organization",
        "organi za tion and trade",
    ];
    let all = corpus(&texts);
    let config = valid(Config::default());
    let state = learn(&config, &all, None).unwrap();
    let whole = count(&state, &all).unwrap();
    let parts = (0..4)
        .map(|d| count(&state, &shard_of(&all, d..d + 1)).unwrap())
        .reduce(|a, b| a.merge(b).unwrap())
        .unwrap();
    assert_eq!(parts, whole);
    let passages = s2_segment::segment(&all, &config.segment);
    let tokens = s3_tokenize::tokenize(&all, &passages, &config.tokenize_config());
    let v = &tokens.vocabulary;
    let t = v.id_of_key("organ").unwrap();
    assert_eq!(whole.terms[&t].count, v.terms[t as usize].count);
    assert_eq!(v.terms[t as usize].count, 8, "{:?}", v.folded);
}

/// Words for generated documents: phrases, a spelling that folds ("cyber security" beside
/// "cybersecurity"), stop words, and page furniture that many documents repeat.
const WORDS: &[&str] = &[
    "data",
    "security",
    "cyber",
    "cybersecurity",
    "internet",
    "of",
    "things",
    "the",
    "policy",
    "law",
    "national",
    "plan",
    "trade",
    "war",
    "and",
    "growth",
    "digital",
    "economy",
    "2020",
    "cloud",
    "computing",
    "organi",
    "za",
    "tion",
    "organization",
    "organization",
    "organization",
];

fn text_of(words: &[u8], lines: usize) -> String {
    let mut out = String::new();
    for (i, &w) in words.iter().enumerate() {
        out.push_str(WORDS[w as usize % WORDS.len()]);
        out.push(if lines > 0 && i % (lines + 3) == lines + 2 {
            '\n'
        } else {
            ' '
        });
    }
    out.push_str("\n\nShare this article\n");
    out
}

/// The state learnt in passes over the shards of `all` cut at `cuts`: every summary goes
/// through its bytes, the learning through JSON, and the summaries are added last shard first.
/// After the lines, each shard is read once and the later passes count from what was read
/// (through its bytes), or, with `from_texts`, every pass reads the texts again.
fn learn_in_shards(config: &ValidConfig, all: &Corpus, cuts: &[usize], from_texts: bool) -> State {
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(all.documents.len());
    let shards: Vec<Corpus> = bounds
        .windows(2)
        .map(|w| shard_of(all, w[0]..w[1]))
        .collect();
    let mut learning = Learning::new(config).unwrap();
    let mut read: Vec<ReadShard> = Vec::new();
    let mut passes = 0;
    while learning.pass().is_some() {
        if passes == 1 && !from_texts {
            read = shards
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let bytes = learning.read(s, i as u32).unwrap().to_bytes();
                    ReadShard::from_bytes(&bytes).unwrap()
                })
                .collect();
        }
        let summaries: Vec<Summary> = (0..shards.len())
            .map(|i| {
                let summary = match read.get(i) {
                    Some(r) => learning.count_read(r).unwrap(),
                    None => learning.count(&shards[i], i as u32).unwrap(),
                };
                Summary::from_bytes(&summary.to_bytes()).unwrap()
            })
            .collect();
        let sum = summaries
            .into_iter()
            .rev()
            .reduce(|a, b| a.merge(b, &learning).unwrap())
            .unwrap();
        learning.decide(sum).unwrap();
        learning = Learning::from_json(&learning.to_json()).unwrap();
        passes += 1;
    }
    assert!(passes >= 5, "lines, words, folds, streams, forms: {passes}");
    learning.state().unwrap()
}

#[test]
fn seeds_learnt_in_shards_give_the_state_learnt_whole() {
    let (config, all) = seeds();
    let whole = learn(&config, &all, None).unwrap();
    for cuts in [&[][..], &[2], &[1, 3], &[1, 2, 3, 4], &[0, 5]] {
        for from_texts in [false, true] {
            let state = learn_in_shards(&config, &all, cuts, from_texts);
            assert!(
                state.to_json() == whole.to_json(),
                "cut at {cuts:?}, {from_texts}"
            );
        }
    }
}

#[test]
fn a_shard_read_from_learnings_passages_counts_as_one_read_from_its_texts() {
    let (config, all) = seeds();
    let shards = [shard_of(&all, 0..2), shard_of(&all, 2..all.documents.len())];
    let mut learning = Learning::new(&config).unwrap();
    let mut passages = Vec::new();
    while learning.pass().is_some() {
        if learning.pass().as_deref() == Some("words") {
            passages = shards
                .iter()
                .enumerate()
                .map(|(i, s)| learning.read_segmented(s, i as u32).unwrap().1)
                .collect();
        }
        let sum = (0..shards.len())
            .map(|i| learning.count(&shards[i], i as u32).unwrap())
            .reduce(|a, b| a.merge(b, &learning).unwrap())
            .unwrap();
        learning.decide(sum).unwrap();
    }
    let state = learning.state().unwrap();
    assert_eq!(passages.len(), 2, "read after the lines");
    for (shard, passages) in shards.into_iter().zip(passages) {
        let from_texts = work::Work::new(&state, shard.clone(), Default::default()).unwrap();
        let work = work::Work::segmented(&state, shard, passages, Default::default()).unwrap();
        assert!(work.passages() > 0);
        assert_eq!(
            to_parquet(&work.count(&state).unwrap()).unwrap(),
            to_parquet(&from_texts.count(&state).unwrap()).unwrap()
        );
    }
}

#[test]
fn a_summary_of_another_pass_is_refused() {
    let (config, all) = seeds();
    let mut learning = Learning::new(&config).unwrap();
    assert!(learning.read(&all, 0).is_err(), "the lines first");
    let lines = learning.count(&all, 0).unwrap();
    learning.decide(lines.clone()).unwrap();
    let words = learning.count(&all, 0).unwrap();
    assert!(lines.clone().merge(words, &learning).is_err());
    assert!(learning.decide(lines).is_err());
    assert!(learning.state().is_err(), "not done");
}

/// A corpus of generated documents: (word numbers, line length, year after 2000) each.
fn generated(docs: &[(Vec<u8>, usize, i32)]) -> Corpus {
    let texts: Vec<String> = docs.iter().map(|(w, l, _)| text_of(w, *l)).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut all = corpus(&refs);
    all.documents
        .edit(|i, d| d.date = crate::artifacts::DocDate::year(2000 + docs[i].2));
    all
}

/// Two cut points among `n` documents, in order, from two fractions.
fn cut(cuts: (f64, f64), n: usize) -> (usize, usize) {
    let (i, j) = ((cuts.0 * n as f64) as usize, (cuts.1 * n as f64) as usize);
    (i.min(j), i.max(j))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Learning in passes over three shards gives the state learnt from the whole corpus:
    /// furniture, folds, phrases, periods and fingerprints.
    #[test]
    fn learning_in_shards_is_learning_the_union(
        docs in proptest::collection::vec(
            (proptest::collection::vec(0u8..40, 5..60), 0usize..8, 0i32..6),
            3..14,
        ),
        cuts in (0.0f64..1.0, 0.0f64..1.0),
    ) {
        let all = generated(&docs);
        let mut cfg = Config::default();
        cfg.tokenize.phrases.min_count = 2;
        let config = valid(cfg);
        let whole = learn(&config, &all, None).unwrap();
        let (i, j) = cut(cuts, all.documents.len());
        let state = learn_in_shards(&config, &all, &[i, j], false);
        prop_assert!(state.to_json() == whole.to_json());
    }

    /// merge(map(A), map(B)) == map(A ∪ B), in any grouping of three shards, tables
    /// included.
    #[test]
    fn merging_partials_is_counting_the_union(
        docs in proptest::collection::vec(
            (proptest::collection::vec(0u8..40, 5..60), 0usize..8, 0i32..6),
            3..14,
        ),
        cuts in (0.0f64..1.0, 0.0f64..1.0),
    ) {
        let all = generated(&docs);
        let mut cfg = Config::default();
        cfg.tokenize.phrases.min_count = 2;
        cfg.vectorize.min_df = Some(crate::config::Df::Count(1));
        cfg.vectorize.max_df = crate::config::Df::Fraction(1.0);
        let config = valid(cfg);
        let state = learn(&config, &all, None).unwrap();
        let (i, j) = cut(cuts, all.documents.len());
        let a = count(&state, &shard_of(&all, 0..i)).unwrap();
        let b = count(&state, &shard_of(&all, i..j)).unwrap();
        let c = count(&state, &shard_of(&all, j..all.documents.len())).unwrap();
        let whole = count(&state, &all).unwrap();
        let left = a.clone().merge(b.clone()).unwrap().merge(c.clone()).unwrap();
        let right = a.merge(c.merge(b).unwrap()).unwrap();
        prop_assert_eq!(&left, &whole);
        prop_assert_eq!(&right, &whole);
        prop_assert_eq!(
            csv(&mut tables(&state, &left).unwrap()),
            csv(&mut tables(&state, &whole).unwrap())
        );
    }
}
