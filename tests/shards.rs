//! Counting in shards from the command line: `learn`, `count --shard i/n` and `merge` give the
//! counting tables of a plain run, byte for byte, `report` gives the rest of what it writes,
//! and all of them leave files they did not write alone.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with `args` in the project root; returns (exit code, stdout, stderr).
fn topictide(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_topictide"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = topictide(args);
    assert_eq!(code, 0, "{args:?} failed: {err}");
    out
}

/// `topictide count` of shard `shard` of the seeds with `state`, into `out`.
fn count(state: &Path, shard: &str, out: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["count", "--corpus", "seeds", "--state", s(state)];
    args.extend_from_slice(&["--shard", shard, "--out", out]);
    args.extend_from_slice(extra);
    topictide(&args)
}

/// `topictide merge` of `parts` with `state` into `out`.
fn merge(state: &Path, out: &Path, parts: &[&PathBuf]) -> (i32, String, String) {
    let mut args = vec!["merge", "--state", s(state), "--out", s(out)];
    args.extend(parts.iter().map(|p| s(p)));
    topictide(&args)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const COUNT_TABLES: [&str; 5] = ["terms", "variants", "phrases", "periods", "terms_by_period"];

fn learn_and_count(dir: &Path, n: usize, extra: &[&str]) -> Vec<PathBuf> {
    let state = dir.join("state.json");
    let mut args = vec!["learn", "--corpus", "seeds", "--state", s(&state)];
    args.extend_from_slice(extra);
    ok(&args);
    (0..n)
        .map(|i| {
            let part = dir.join(format!("part-{i}.parquet"));
            let shard = format!("{i}/{n}");
            let (code, out, err) = count(&state, &shard, s(&part), &[]);
            assert_eq!(code, 0, "{err}");
            assert!(out.contains(&format!("shard {shard}")), "{out}");
            part
        })
        .collect()
}

/// The flags both sides of a comparison run with.
const EXTRA: [&str; 4] = ["--period", "year", "--track", "data security"];

/// `topictide run` of the seeds with [`EXTRA`] into `dir/plain`: the output and the flags.
fn plain_run(dir: &Path) -> (PathBuf, [&'static str; 4]) {
    let plain = dir.join("plain");
    let mut args = vec!["run", "--quiet", "--corpus", "seeds", "--out", s(&plain)];
    args.extend_from_slice(&EXTRA);
    ok(&args);
    (plain, EXTRA)
}

#[test]
fn merged_shards_give_a_plain_runs_counting_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, extra) = plain_run(dir.path());
    for n in [1, 2, 5] {
        let parts = learn_and_count(dir.path(), n, &extra);
        let merged = dir.path().join(format!("merged-{n}"));
        let state = dir.path().join("state.json");
        let mut args = vec!["merge", "--state", s(&state), "--out", s(&merged)];
        // Any order.
        args.extend(parts.iter().rev().map(|p| s(p)));
        ok(&args);
        for t in COUNT_TABLES {
            for ext in ["csv", "parquet"] {
                let name = format!("tables/{t}.{ext}");
                let a = std::fs::read(plain.join(&name)).unwrap();
                let b = std::fs::read(merged.join(&name)).unwrap();
                assert!(a == b, "{name} differs with {n} shards");
            }
        }
        let terms = std::fs::read_to_string(merged.join("tables/terms_by_period.csv")).unwrap();
        assert!(
            terms.contains(",data security,"),
            "the tracked term has rows"
        );
        // What the run could not read is counted as the plain run counts it.
        let json = |dir: &Path| -> serde_json::Value {
            serde_json::from_slice(&std::fs::read(dir.join("run.json")).unwrap()).unwrap()
        };
        for field in ["characters_not_read_by_script", "markup_words_not_read"] {
            let (a, b) = (
                &json(&merged)["figures"][field],
                &json(&plain)["figures"][field],
            );
            assert!(!a.is_null() && a == b, "{field}: {a} against {b}");
        }
        assert_eq!(
            json(&merged)["figures"]["characters_not_read_by_script"]["Han"],
            6
        );
    }
}

/// Every file under `dir`, by its path inside it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// run.json without what the clock decides.
fn untimed(dir: &Path) -> serde_json::Value {
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("run.json")).unwrap()).unwrap();
    let json_map = json.as_object_mut().unwrap();
    assert!(json_map.remove("stages").is_some() && json_map.remove("total_seconds").is_some());
    json
}

#[test]
fn a_report_from_partials_is_a_plain_runs_report() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, extra) = plain_run(dir.path());
    let state = dir.path().join("state.json");
    for n in [1, 3] {
        let parts = learn_and_count(dir.path(), n, &extra);
        let out = dir.path().join(format!("report-{n}"));
        let mut args = vec!["report", "--corpus", "seeds", "--state", s(&state)];
        args.extend_from_slice(&["--out", s(&out), "--partials"]);
        args.extend(parts.iter().rev().map(|p| s(p)));
        let said = ok(&args);
        assert!(
            said.contains(&format!("report from {n} partials")),
            "{said}"
        );
        assert_eq!(files(&plain), files(&out), "{n} shards");
        for name in files(&plain) {
            if name.ends_with("run.json") || name.ends_with("stage_timings.svg") {
                continue;
            }
            let (a, b) = (plain.join(&name), out.join(&name));
            assert!(
                std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
                "{} differs with {n} shards",
                name.display()
            );
        }
        assert_eq!(untimed(&plain), untimed(&out), "run.json with {n} shards");
    }
    // A folder of partials is its .parquet files; the shards' count from it.
    let parts = learn_and_count(dir.path(), 2, &extra);
    let folder = dir.path().join("partials");
    std::fs::create_dir(&folder).unwrap();
    for p in &parts {
        std::fs::rename(p, folder.join(p.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("report-folder");
    let said = ok(&[
        "report",
        "--corpus",
        "seeds",
        "--state",
        s(&state),
        "--partials",
        s(&folder),
        "--out",
        s(&out),
    ]);
    assert!(said.contains("report from 2 partials"), "{said}");
    assert_eq!(untimed(&plain), untimed(&out));
}

#[test]
fn report_refuses_missing_partials_and_another_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let parts = learn_and_count(dir.path(), 3, &[]);
    let state = dir.path().join("state.json");
    let out = dir.path().join("report");
    let report = |corpus: &str, parts: &[&PathBuf]| {
        let mut args = vec!["report", "--corpus", corpus, "--state", s(&state)];
        args.extend_from_slice(&["--out", s(&out), "--partials"]);
        args.extend(parts.iter().map(|p| s(p)));
        topictide(&args)
    };
    let (code, _, err) = report("seeds", &[&parts[0], &parts[2]]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("merge the partials of every shard"), "{err}");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, _, err) = report("seeds", &[&empty]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no partial counts"), "{err}");
    // Another corpus than the state's.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    for e in std::fs::read_dir(root().join("seeds")).unwrap() {
        let path = e.unwrap().path();
        std::fs::copy(&path, other.join(path.file_name().unwrap())).unwrap();
    }
    let manifest = std::fs::read_to_string(other.join("manifest.csv")).unwrap();
    let lines: Vec<&str> = manifest.lines().collect();
    std::fs::write(
        other.join("manifest.csv"),
        lines[..lines.len() - 1].join("\n"),
    )
    .unwrap();
    let last = lines[lines.len() - 1].split(',').next().unwrap();
    std::fs::remove_file(other.join(last)).unwrap();
    let (code, _, err) = report(s(&other), &[&parts[0], &parts[1], &parts[2]]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("the state was learnt from"), "{err}");
    assert!(!out.exists(), "nothing written");
    // Never into the corpus.
    let inside = root().join("seeds/report");
    let mut args = vec!["report", "--corpus", "seeds", "--state", s(&state)];
    args.extend_from_slice(&["--out", "seeds/report", "--partials"]);
    args.extend(parts.iter().map(|p| s(p)));
    let (code, _, err) = topictide(&args);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("inside the corpus"), "{err}");
    assert!(!inside.exists());
}

#[test]
fn merge_refuses_a_missing_or_repeated_shard_and_other_states() {
    let dir = tempfile::tempdir().unwrap();
    let parts = learn_and_count(dir.path(), 3, &[]);
    let state = dir.path().join("state.json");
    let out = dir.path().join("merged");
    let (code, _, err) = merge(&state, &out, &[&parts[0], &parts[1]]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("merge the partials of every shard"), "{err}");
    let (code, _, err) = merge(&state, &out, &[&parts[0], &parts[1], &parts[2], &parts[2]]);
    assert_eq!(code, 3, "{err}");
    // Shards of 1, 2 and 2 documents: one missing and another repeated add up to the corpus'
    // five documents, and are refused all the same.
    let (code, _, err) = merge(&state, &out, &[&parts[0], &parts[1], &parts[1]]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("documents each once"), "{err}");
    assert!(!out.join("tables/terms.csv").exists());
    // A state learnt under another configuration.
    let other = dir.path().join("other.json");
    ok(&[
        "learn",
        "--corpus",
        "seeds",
        "--state",
        s(&other),
        "--no-stemming",
    ]);
    let (code, _, err) = merge(&other, &out, &[&parts[0], &parts[1], &parts[2]]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("another state"), "{err}");
}

#[test]
fn shard_files_never_replace_a_users_file_or_land_in_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("notes.json");
    std::fs::write(&mine, "my notes").unwrap();
    let (code, _, err) = topictide(&["learn", "--corpus", "seeds", "--state", s(&mine)]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("not a file topictide wrote"), "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my notes");
    // Its own state it replaces.
    let state = dir.path().join("state.json");
    ok(&["learn", "--corpus", "seeds", "--state", s(&state)]);
    ok(&["learn", "--corpus", "seeds", "--state", s(&state)]);
    let (code, _, err) = count(&state, "0/2", s(&mine), &[]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my notes");
    let inside = root().join("seeds/part.parquet");
    let (code, _, err) = count(&state, "0/2", s(&inside), &[]);
    assert_eq!(code, 3, "{err}");
    assert!(!inside.exists());
    let inside = root().join("seeds/state.json");
    let (code, _, err) = topictide(&["learn", "--corpus", "seeds", "--state", s(&inside)]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("inside the corpus folder"), "{err}");
    let seeds: Vec<String> = std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.contains("state") || n.contains("part"))
        .collect();
    assert!(seeds.is_empty(), "{seeds:?}");
    // No file is left beside the ones it wrote.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["notes.json", "state.json"]);
}

#[test]
fn a_shard_is_named_i_of_n() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    ok(&["learn", "--corpus", "seeds", "--state", s(&state)]);
    for bad in ["2/2", "1", "a/3", "0/0"] {
        let (code, _, err) = count(&state, bad, s(&dir.path().join("p.parquet")), &[]);
        assert_eq!(code, 2, "{bad}: {err}");
    }
}

#[test]
fn states_and_partials_are_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut states = Vec::new();
    let mut parts = Vec::new();
    for threads in ["1", "2"] {
        let state = dir.path().join(format!("state-{threads}.json"));
        let part = dir.path().join(format!("part-{threads}.parquet"));
        ok(&[
            "learn",
            "--corpus",
            "seeds",
            "--state",
            s(&state),
            "--threads",
            threads,
        ]);
        let (code, _, err) = count(&state, "1/2", s(&part), &["--threads", threads]);
        assert_eq!(code, 0, "{err}");
        states.push(std::fs::read(&state).unwrap());
        parts.push(std::fs::read(&part).unwrap());
    }
    assert!(states[0] == states[1], "states differ");
    assert!(parts[0] == parts[1], "partials differ");
}
