//! Hostile and malformed input: every reader (manifest, CSV, JSON lines, Parquet, gzip, TOML
//! config, synonym and stop-word files) must either succeed or stop with an input error (exit
//! code 3) that names the file. Never a panic, an abort or an I/O error for a file that exists.
//!
//! `fixtures/hostile/` keeps the cases that once went wrong; the property tests feed arbitrary
//! and mutated bytes to each reader.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use topictide::config::{read_stop_words, read_synonyms, IngestConfig};
use topictide::stages::s1_ingest::ingest;
use topictide::{Config, Error};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

/// The outcome a reader must have: success, or an input error that names `file`.
fn ok_or_named_input_error<T>(result: Result<T, Error>, file: &Path) -> Result<(), String> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.exit_code() == 3 => {
            let text = e.to_string();
            let name = file.file_name().unwrap().to_string_lossy();
            if text.contains(name.as_ref()) || text.contains("[tokenize]") {
                Ok(())
            } else {
                Err(format!("the error does not name {name}: {text}"))
            }
        }
        Err(e) => Err(format!("exit {} instead of 3: {e}", e.exit_code())),
    }
}

fn expect_error(result: Result<impl std::fmt::Debug, Error>, fragments: &[&str]) {
    let e = result.expect_err("an error");
    let text = e.to_string();
    assert_eq!(e.exit_code(), 3, "{text}");
    for f in fragments {
        assert!(text.contains(f), "{f:?} not in: {text}");
    }
    assert!(text.len() < 800, "too long: {text}");
}

#[test]
fn fixtures_that_once_went_wrong() {
    let cfg = IngestConfig::default();
    let table = |name: &str| ingest(&fixture(name), &cfg);
    expect_error(
        table("trailing_comma.jsonl"),
        &["trailing_comma.jsonl:2:", "not a JSON object", "hint:"],
    );
    expect_error(
        table("array_line.jsonl"),
        &["array_line.jsonl:2:", "is an array"],
    );
    expect_error(table("deep_unclosed.jsonl"), &["deep_unclosed.jsonl:1:"]);
    expect_error(table("empty.jsonl"), &["empty.jsonl", "no rows"]);
    expect_error(table("empty.csv"), &["empty.csv", "the file is empty"]);
    expect_error(
        table("random_bytes.parquet"),
        &["random_bytes.parquet", "not a readable Parquet file"],
    );
    expect_error(
        table("semicolons.csv"),
        &["semicolons.csv:1", "separated by semicolons", "commas"],
    );
    expect_error(
        table("headerless.csv"),
        &["headerless.csv", "add a header line"],
    );
    expect_error(
        table("duplicate_ids.jsonl"),
        &[
            "duplicate_ids.jsonl:2: column \"id\"",
            "used twice (first on line 1)",
        ],
    );
    expect_error(
        table("empty_text.jsonl"),
        &["empty_text.jsonl:2: column \"text\"", "empty or null"],
    );
    expect_error(
        table("truncated.jsonl.gz"),
        &["truncated.jsonl.gz", "decompress"],
    );

    // Columns nobody asked for never stop a run.
    let c = table("huge_number.jsonl").unwrap();
    assert_eq!(
        c.documents.get(0).to_document().extra,
        [Some("1e400".to_string())]
    );
    let c = table("deep_nesting.jsonl").unwrap();
    assert_eq!(
        c.documents.get(0).to_document().extra[0]
            .as_ref()
            .unwrap()
            .len(),
        20_000
    );
    let c = table("list_column.jsonl").unwrap();
    assert_eq!(
        c.documents.get(0).to_document().extra,
        [Some(r#"["a", "b"]"#.to_string())]
    );
    let c = table("nested_meta.jsonl").unwrap();
    assert_eq!(
        c.documents.get(0).to_document().extra,
        [Some(r#"{"country_iso3": "ARG", "session": 1}"#.to_string())]
    );

    expect_error(
        Config::from_file(&fixture("config_latin1.toml")),
        &["config_latin1.toml:2", "not UTF-8", "UTF-8"],
    );
    let e = Config::from_file(&fixture("config_out_of_range.toml"))
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("trends.bootstrap_samples must be at least 10"),
        "{e}"
    );
    expect_error(
        read_stop_words(&fixture("stop_words_binary.txt")),
        &["stop_words_binary.txt", "binary file"],
    );

    // Synonym rules that name each other read, and tokenize, without a panic.
    let mut config = Config::default();
    config.tokenize.synonyms = read_synonyms(&fixture("synonym_cycle.txt")).unwrap();
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let (_, _, tokens) = topictide::run::tokens_only(&config.validate().unwrap(), &seeds).unwrap();
    let v = &tokens.vocabulary;
    let data = topictide::text::resolve(v, "data").unwrap();
    assert_eq!(topictide::text::resolve(v, "security"), Some(data));
}

/// A small valid file of each kind, to mutate.
fn valid(kind: &str) -> Vec<u8> {
    match kind {
        "manifest" => b"file,date,title,source\na.txt,2016-04-19,A,X\nb.txt,2017,,Y\n".to_vec(),
        "csv" => {
            b"id,date,text,label\n1,2001-02-03,\"One, with a comma.\",x\n2,2002,Two.,y\n".to_vec()
        }
        "jsonl" => br#"{"id":"a","date":null,"year":1999,"text":"One.","meta":{"k":[1,2]}}
{"id":"b","date":"2001-02","text":"Two.","n":1.5}
"#
        .to_vec(),
        "toml" => b"seed = 7\n[topics]\nk = 3\n[trends]\nperiod = \"month\"\ntrack = [\"data\"]\n"
            .to_vec(),
        "synonyms" => {
            b"data security = information security, infosec\n# comment\nai = a.i.\n".to_vec()
        }
        "stop" => b"the\n# comment\nand\nof\n".to_vec(),
        "gz" => {
            use std::io::Write;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&valid("jsonl")).unwrap();
            gz.finish().unwrap()
        }
        "parquet" => {
            use polars::prelude::*;
            let mut df = df!(
                "id" => ["a", "b"],
                "year" => [1999i64, 2001],
                "text" => ["One.", "Two."],
            )
            .unwrap();
            let mut out = Vec::new();
            ParquetWriter::new(&mut out).finish(&mut df).unwrap();
            out
        }
        _ => unreachable!(),
    }
}

/// Reads `bytes` as a file of `kind` with the reader for it.
fn read_as(kind: &str, bytes: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let (name, path) = match kind {
        "manifest" => ("manifest.csv", dir.path().join("manifest.csv")),
        "csv" => ("c.csv", dir.path().join("c.csv")),
        "jsonl" => ("c.jsonl", dir.path().join("c.jsonl")),
        "gz" => ("c.jsonl.gz", dir.path().join("c.jsonl.gz")),
        "parquet" => ("c.parquet", dir.path().join("c.parquet")),
        "toml" => ("topictide.toml", dir.path().join("topictide.toml")),
        "synonyms" => ("synonyms.txt", dir.path().join("synonyms.txt")),
        "stop" => ("stop.txt", dir.path().join("stop.txt")),
        _ => unreachable!(),
    };
    std::fs::write(&path, bytes).unwrap();
    let _ = name;
    let cfg = IngestConfig::default();
    match kind {
        "manifest" => {
            std::fs::write(dir.path().join("a.txt"), "Alpha text.").unwrap();
            std::fs::write(dir.path().join("b.txt"), "Beta text.").unwrap();
            // A manifest that fails may name the manifest or a document it lists.
            match ingest(dir.path(), &cfg) {
                Err(e) if e.exit_code() == 3 => Ok(()),
                other => ok_or_named_input_error(other, &path),
            }
        }
        "csv" | "jsonl" | "gz" | "parquet" => ok_or_named_input_error(ingest(&path, &cfg), &path),
        "toml" => ok_or_named_input_error(
            Config::from_file(&path).map(|c| c.validate().map(|_| ())),
            &path,
        ),
        "synonyms" => ok_or_named_input_error(read_synonyms(&path), &path),
        "stop" => ok_or_named_input_error(read_stop_words(&path), &path),
        _ => unreachable!(),
    }
}

const KINDS: [&str; 8] = [
    "manifest", "csv", "jsonl", "gz", "parquet", "toml", "synonyms", "stop",
];

/// One edit of a file's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
    Splice(usize, Vec<u8>),
}

fn edit() -> impl Strategy<Value = Edit> {
    let special = prop::sample::select(b"{}[]\",:;\n\r\\\x00\xff\xc3=#-.eE".to_vec());
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), special.clone()).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), prop::collection::vec(special, 1..8))
            .prop_map(|(i, v)| Edit::Splice(i, v)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let n = bytes.len();
        match e {
            Edit::Flip(i, b) if n > 0 => bytes[i % n] ^= b | 1,
            Edit::Insert(i, b) => bytes.insert(i % (n + 1), *b),
            Edit::Delete(i) if n > 0 => {
                bytes.remove(i % n);
            }
            Edit::Truncate(i) => bytes.truncate(i % (n + 1)),
            Edit::Splice(i, v) => {
                let at = i % (n + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_crash_a_reader(
        kind in prop::sample::select(KINDS.to_vec()),
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        read_as(kind, &bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn mutated_files_never_crash_a_reader(
        kind in prop::sample::select(KINDS.to_vec()),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        read_as(kind, &apply(valid(kind), &edits)).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn every_valid_seed_file_reads() {
    for kind in KINDS {
        read_as(kind, &valid(kind)).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl");
    std::fs::write(&path, valid("jsonl")).unwrap();
    assert_eq!(
        ingest(&path, &IngestConfig::default())
            .unwrap()
            .documents
            .len(),
        2
    );
}

/// Files that are not text are refused from their first bytes, naming the file, before the
/// rest is read: a large file of NUL bytes listed in a manifest, a gzip stream without its
/// `.gz` ending.
#[test]
fn binary_files_are_refused_from_their_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("manifest.csv"),
        "file,date,title,source\na.txt,2016,A,X\nzeros.txt,2017,B,Y\n",
    )
    .unwrap();
    std::fs::write(corpus.join("a.txt"), "Some text.").unwrap();
    // Sparse: 4 GB of NUL bytes that take no disk; reading it whole would take as much memory.
    let zeros = std::fs::File::create(corpus.join("zeros.txt")).unwrap();
    zeros.set_len(4 << 30).unwrap();
    expect_error(
        ingest(&corpus, &IngestConfig::default()),
        &["zeros.txt", "binary data (NUL bytes)", "UTF-8"],
    );

    let gz = dir.path().join("posts.jsonl");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &valid("jsonl")).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    expect_error(
        ingest(&gz, &IngestConfig::default()),
        &["posts.jsonl", "gzip-compressed", ".gz ending"],
    );
}

/// A word millions of characters long (no spaces: a base64 blob, a run-on paste) is tokenized
/// in time linear in its length. The split points of folds once hashed both halves at every
/// character (a 1 MB word took 26 s in a release build, a 4 MB one hung).
#[test]
fn a_word_of_megabytes_is_tokenized() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let word: String = (0..4_000_000u32)
        .map(|i| char::from(b'a' + (i.wrapping_mul(2_654_435_761) >> 29) as u8))
        .collect();
    let lines = [
        format!(r#"{{"id": "a", "year": 2020, "text": "data security {word} and more"}}"#),
        r#"{"id": "b", "year": 2021, "text": "data security rules"}"#.to_string(),
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let config = Config::default().validate().unwrap();
    let (_, _, tokens) = topictide::run::tokens_only(&config, &path).unwrap();
    assert!(topictide::text::resolve(&tokens.vocabulary, &word).is_some());
}

/// The command line on the hostile inputs of issue 33: each ends with a clear error (exit 3)
/// that names what is wrong, never a panic (101), an abort (134) or an internal error (5), and
/// leaves no output folder behind.
#[test]
fn the_command_line_refuses_hostile_inputs_with_exit_3() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_topictide");
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let run = |args: &[&str]| {
        let out = Command::new(bin).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let out = dir.path().join("out");
    let out_s = out.to_str().unwrap();
    let config = dir.path().join("slow.toml");
    std::fs::write(&config, "[topics]\npower_iterations = 1000000\n").unwrap();
    let state = dir.path().join("state.json");
    let (code, err) = run(&["learn", "--state", state.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let edited = dir.path().join("edited.json");
    let text = std::fs::read_to_string(&state).unwrap();
    std::fs::write(&edited, text.replacen("\"seed\":42", "\"seed\":43", 1)).unwrap();
    let part = dir.path().join("p.parquet");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["run", "--config", config.to_str().unwrap(), "--out", out_s],
            "topics.power_iterations must be at most 100",
        ),
        (
            vec!["run", "--threads", "100000", "--out", out_s],
            "threads must be at most 1024",
        ),
        (
            vec![
                "count",
                "--corpus",
                seeds.to_str().unwrap(),
                "--state",
                edited.to_str().unwrap(),
                "--shard",
                "0/2",
                "--out",
                part.to_str().unwrap(),
            ],
            "checksum does not match",
        ),
    ];
    for (args, says) in cases {
        let (code, err) = run(&args);
        assert_eq!(code, Some(3), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(
            !out.exists() && !part.exists(),
            "{args:?} left output behind"
        );
    }
}
