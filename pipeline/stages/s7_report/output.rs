//! The output folder: what a run may write, replace and remove there, and how a finished report
//! replaces the previous one.
//!
//! A run owns only the files it wrote. Its bookkeeping lives in `OUT/.topictide/`:
//! - `record.json` lists every file the last committed run wrote (relative paths). A run
//!   replaces a file only when it is listed there, and removes only listed files that the new
//!   report no longer has. Any other file in the folder is the user's: a run that would
//!   overwrite one stops before it starts work (and again, under the lock, at commit).
//! - `staging-<pid>-<n>/` is where a run writes; it holds `owner`, locked by the run for its whole
//!   life, so that another run can tell a live staging folder from one left by a run that was
//!   killed. Stale ones are removed when the next run begins.
//! - `lock` serialises commits and clean-ups between runs into the same folder: a second run waits
//!   for the first one's commit, which takes only renames.
//!
//! A commit first writes its file list (`commit`) into the staging folder, then renames each file
//! into place, removes the previous run's leftovers, and replaces `record.json`. If it is killed
//! midway, the next run finds the list and finishes the commit, so a report is never left half
//! old and half new.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Component, Path, PathBuf};

use super::input::ReportInput;
use crate::artifacts::Rule;
use crate::error::{Error, Location, Result};
use crate::safety::{clash_with_corpus, Clash};

/// The folder inside the output directory where runs keep their bookkeeping.
pub const STATE_DIR: &str = ".topictide";
const RECORD: &str = "record.json";
const LOCK: &str = "lock";
const OWNER: &str = "owner";
const COMMIT_LIST: &str = "commit";
const STAGING_PREFIX: &str = "staging-";

/// Top-level files of a report, and the folders that hold its other files.
const TOP_FILES: [&str; 3] = ["report.html", "run.json", "stage_timings.svg"];
const SUB_DIRS: [&str; 2] = ["charts", "tables"];

/// Refuses an output folder that is the corpus, lies inside it, or contains it: a run must never
/// write among the documents it reads, nor let a later clean-up reach them.
pub fn check_out_against_corpus(corpus: &Path, out: &Path) -> Result<()> {
    let corpus_name = corpus.display();
    let message = match clash_with_corpus(corpus, out)? {
        None => return Ok(()),
        Some(Clash::Inside) => format!(
            "the output folder is inside the corpus {corpus_name} (or is the corpus); a run never \
             writes among the documents it reads"
        ),
        Some(Clash::Around) => format!(
            "the output folder contains the corpus {corpus_name}; a run never writes into a \
             folder that holds the documents it reads"
        ),
    };
    Err(Error::input(
        Location::file(out),
        message,
        "choose an --out folder outside the corpus, e.g. `--out outputs`",
    ))
}

/// An output directory being written.
pub struct Output {
    out: PathBuf,
    state: PathBuf,
    staging: PathBuf,
    /// Held (locked) for the life of the run: a live run's staging folder is never cleaned.
    _owner: File,
    committed: bool,
    /// What was cleaned up after runs that died, in words: run.json lists it.
    cleaned: Vec<String>,
    /// Whether this run made the output folder, and its state folder: a run that fails before
    /// it commits removes them again when nothing else is in them.
    made: (bool, bool),
}

impl Output {
    /// Prepares `out`: removes staging folders of runs that died (finishing a commit one was
    /// killed in), checks that the report's fixed files are not the user's, and makes a fresh
    /// staging folder.
    pub fn begin(out: &Path) -> Result<Output> {
        if out.exists() && !out.is_dir() {
            return Err(Error::input(
                Location::file(out),
                "the output path is a file, not a folder",
                "give --out a folder (it is created if missing)",
            ));
        }
        let state = out.join(STATE_DIR);
        if state.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
            return Err(Error::input(
                Location::file(&state),
                "exists and is not a folder (a link or a file); topictide keeps its record of \
                 written files there",
                "remove it, or choose another --out folder",
            ));
        }
        let made = (!out.exists(), !state.exists());
        std::fs::create_dir_all(&state).map_err(|e| Error::io("create", &state, e))?;
        // The staging folder and its locked owner file are made under the folder's lock, so
        // that no other run's clean-up can see the folder before it has a live owner.
        let cleaned;
        let (staging, owner) = {
            let _lock = lock(&state)?;
            cleaned = clean_stale(out, &state)?;
            let record = read_record(&state)?;
            let fixed: Vec<String> = TOP_FILES.iter().map(|s| s.to_string()).collect();
            check_conflicts(out, &fixed, &record)?;
            let staging = new_staging(&state)?;
            let owner_path = staging.join(OWNER);
            let owner =
                File::create(&owner_path).map_err(|e| Error::io("create", &owner_path, e))?;
            owner
                .lock()
                .map_err(|e| Error::io("lock", &owner_path, e))?;
            (staging, owner)
        };
        for dir in SUB_DIRS {
            let d = staging.join(dir);
            std::fs::create_dir_all(&d).map_err(|e| Error::io("create", &d, e))?;
        }
        Ok(Output {
            out: out.to_path_buf(),
            state,
            staging,
            _owner: owner,
            committed: false,
            cleaned,
            made,
        })
    }

    /// What [`Output::begin`] cleaned up after runs that died (killed, out of power): the
    /// staging folders it removed and the commits it finished, in words.
    pub fn cleaned(&self) -> &[String] {
        &self.cleaned
    }

    /// The staging folder files are written into.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Writes a file into the staging folder.
    pub fn write(&self, rel: &str, content: &[u8]) -> Result<()> {
        let path = self.staging.join(rel);
        std::fs::write(&path, content).map_err(|e| Error::io("write", &path, e))
    }

    /// Writes `run.json` and the stage timings, then moves everything into the output directory,
    /// replacing the previous run's files and removing those it has no more.
    pub fn commit(mut self, run_json: &serde_json::Value, timings_svg: &str) -> Result<()> {
        let mut run_json = run_json.clone();
        if let Some(o) = run_json.as_object_mut() {
            o.insert("cleaned_up".into(), self.cleaned.clone().into());
        }
        let text =
            serde_json::to_string_pretty(&run_json).map_err(|e| Error::Internal(e.to_string()))?;
        self.write("run.json", text.as_bytes())?;
        self.write("stage_timings.svg", timings_svg.as_bytes())?;
        let files = staged_files(&self.staging)?;
        let _lock = lock(&self.state)?;
        let record = read_record(&self.state)?;
        check_conflicts(&self.out, &files, &record)?;
        let list = self.staging.join(COMMIT_LIST);
        std::fs::write(&list, files.join("\n")).map_err(|e| Error::io("write", &list, e))?;
        finish_commit(&self.out, &self.state, &self.staging, &files, &record)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
            if self.made.1 {
                self.remove_unused_state();
            }
        }
    }
}

impl Output {
    /// Removes the state folder this run made, and the output folder if it made that too, when
    /// no other run has put anything there: a run that failed leaves nothing behind. Under the
    /// folder's lock, so that no other run is between its lock and its staging folder.
    fn remove_unused_state(&self) {
        let Ok(_lock) = lock(&self.state) else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(&self.state) else {
            return;
        };
        let only_lock = entries
            .map(|e| e.map(|e| e.file_name() == LOCK))
            .all(|is_lock| matches!(is_lock, Ok(true)));
        if only_lock
            && std::fs::remove_file(self.state.join(LOCK)).is_ok()
            && std::fs::remove_dir(&self.state).is_ok()
            && self.made.0
        {
            // Only when empty: remove_dir refuses a folder that holds anything.
            let _ = std::fs::remove_dir(&self.out);
        }
    }
}

/// Takes the output folder's lock, waiting for another run's commit to end.
fn lock(state: &Path) -> Result<File> {
    let path = state.join(LOCK);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open", &path, e))?;
    file.lock().map_err(|e| Error::io("lock", &path, e))?;
    Ok(file)
}

/// A new, empty staging folder with a name no other run uses.
fn new_staging(state: &Path) -> Result<PathBuf> {
    let pid = std::process::id();
    for n in 0..1000u32 {
        let dir = state.join(format!("{STAGING_PREFIX}{pid}-{n}"));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io("create", &dir, e)),
        }
    }
    Err(Error::Internal(format!(
        "no free staging folder name in {}",
        state.display()
    )))
}

/// Removes the staging folders of runs that are no longer alive (their `owner` lock is free).
/// One that had begun its commit is finished first, so that its report is whole.
fn clean_stale(out: &Path, state: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(state).map_err(|e| Error::io("list", state, e))?;
    let mut stale = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("list", state, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !name.starts_with(STAGING_PREFIX) || !path.is_dir() || path.is_symlink() {
            continue;
        }
        let alive = match File::open(path.join(OWNER)) {
            Ok(f) => match f.try_lock() {
                Ok(()) => false,
                Err(std::fs::TryLockError::WouldBlock) => true,
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io("lock", &path.join(OWNER), e))
                }
            },
            // A run makes its folder and its owner file under the lock this clean-up holds;
            // a folder without one is from a run that died between the two.
            Err(_) => false,
        };
        if !alive {
            stale.push(path);
        }
    }
    stale.sort();
    let mut cleaned = Vec::new();
    for staging in stale {
        let list = staging.join(COMMIT_LIST);
        let name = staging
            .strip_prefix(out)
            .unwrap_or(&staging)
            .display()
            .to_string();
        if let Ok(text) = std::fs::read_to_string(&list) {
            let files: Vec<String> = text
                .lines()
                .filter(|l| is_report_file(l))
                .map(str::to_string)
                .collect();
            let record = read_record(state)?;
            finish_commit(out, state, &staging, &files, &record)?;
            cleaned.push(format!(
                "finished the commit of {name}, a run killed while moving its {} files into place",
                files.len()
            ));
        } else {
            let (files, bytes) = size_of(&staging);
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io("remove", &staging, e))?;
            cleaned.push(format!(
                "removed {name}, the staging folder of a run that died ({files} files, {bytes} \
                 bytes)"
            ));
        }
    }
    Ok(cleaned)
}

/// The files under `dir` and their bytes, as far as they can be listed.
fn size_of(dir: &Path) -> (u64, u64) {
    let mut sum = (0, 0);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return sum;
    };
    for entry in entries.flatten() {
        match entry.metadata() {
            Ok(m) if m.is_dir() => {
                let (f, b) = size_of(&entry.path());
                sum = (sum.0 + f, sum.1 + b);
            }
            Ok(m) => sum = (sum.0 + 1, sum.1 + m.len()),
            Err(_) => {}
        }
    }
    sum
}

/// Moves the staged `files` into place, removes the files of `previous` that are not among them,
/// records `files` and removes the staging folder. Safe to run again after an interruption.
fn finish_commit(
    out: &Path,
    state: &Path,
    staging: &Path,
    files: &[String],
    previous: &BTreeSet<String>,
) -> Result<()> {
    for dir in SUB_DIRS {
        let d = out.join(dir);
        std::fs::create_dir_all(&d).map_err(|e| Error::io("create", &d, e))?;
    }
    for rel in files {
        let from = staging.join(rel);
        let to = out.join(rel);
        if from.is_file() {
            std::fs::rename(&from, &to).map_err(|e| Error::io("move into place", &to, e))?;
        }
    }
    let new: BTreeSet<&str> = files.iter().map(String::as_str).collect();
    for rel in previous {
        if new.contains(rel.as_str()) {
            continue;
        }
        let path = out.join(rel);
        if path.is_file() && !path.is_symlink() {
            std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
        }
    }
    write_record(state, files)?;
    std::fs::remove_dir_all(staging).map_err(|e| Error::io("remove", staging, e))
}

/// Paths (relative, `/`-separated) of the report files in a staging folder, sorted.
fn staged_files(staging: &Path) -> Result<Vec<String>> {
    let mut files: Vec<String> = TOP_FILES
        .iter()
        .filter(|f| staging.join(f).is_file())
        .map(|f| f.to_string())
        .collect();
    for dir in SUB_DIRS {
        let d = staging.join(dir);
        for entry in std::fs::read_dir(&d).map_err(|e| Error::io("list", &d, e))? {
            let entry = entry.map_err(|e| Error::io("list", &d, e))?;
            files.push(format!("{dir}/{}", entry.file_name().to_string_lossy()));
        }
    }
    files.sort();
    Ok(files)
}

/// A path a report may hold: a top-level report file, or one file directly under `charts/` or
/// `tables/`. Anything else in a record (`..`, absolute paths, deeper paths) is never acted on.
fn is_report_file(rel: &str) -> bool {
    let parts: Vec<Component> = Path::new(rel).components().collect();
    let normal = |c: &Component| matches!(c, Component::Normal(_));
    match parts.as_slice() {
        [f] => normal(f) && TOP_FILES.contains(&rel),
        [d, f] => normal(d) && normal(f) && SUB_DIRS.iter().any(|s| Path::new(s) == Path::new(d)),
        _ => false,
    }
}

/// The files the last committed run wrote; empty when no run has committed here.
fn read_record(state: &Path) -> Result<BTreeSet<String>> {
    let path = state.join(RECORD);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
        Err(e) => return Err(Error::io("read", &path, e)),
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::input(
            Location::line(&path, e.line()),
            format!("the record of the last run's files is damaged: {e}"),
            "delete it; the next run then treats every existing report file as the user's",
        )
    })?;
    Ok(value
        .get("files")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .filter(|f| is_report_file(f))
        .map(str::to_string)
        .collect())
}

fn write_record(state: &Path, files: &[String]) -> Result<()> {
    let value = serde_json::json!({
        "written_by": format!("topictide {}", env!("CARGO_PKG_VERSION")),
        "about": "The files the last run wrote into this folder. A run replaces or removes only \
                  files listed here; every other file is left alone.",
        "files": files,
    });
    let text = serde_json::to_string_pretty(&value).map_err(|e| Error::Internal(e.to_string()))?;
    let tmp = state.join(format!("{RECORD}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| Error::io("write", &tmp, e))?;
    let path = state.join(RECORD);
    std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))
}

/// Refuses to overwrite anything in `out` that a recorded run did not write: a file of the
/// user's at a report path, a folder where a report file goes, or a file where a report folder
/// goes.
fn check_conflicts(out: &Path, files: &[String], record: &BTreeSet<String>) -> Result<()> {
    let hint = "move it away, or choose another --out folder; topictide replaces only files it \
                wrote itself (listed in .topictide/record.json)";
    for dir in SUB_DIRS {
        let d = out.join(dir);
        if d.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
            return Err(Error::input(
                Location::file(&d),
                format!("`{dir}` exists and is not a folder; the report puts its {dir} there"),
                hint,
            ));
        }
    }
    for rel in files {
        let target = out.join(rel);
        let Ok(meta) = target.symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            return Err(Error::input(
                Location::file(&target),
                "exists and is not a plain file; the report would write a file there",
                hint,
            ));
        }
        if !record.contains(rel) {
            return Err(Error::input(
                Location::file(&target),
                "exists, and no earlier topictide run recorded writing it: it would be \
                 overwritten",
                hint,
            ));
        }
    }
    Ok(())
}

/// Wall time and sizes of one stage, as `run.json` and the stage timings chart give them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StageTiming {
    /// Stage name.
    pub stage: &'static str,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Items the stage took in.
    pub items_in: u64,
    /// What those items are.
    pub unit_in: &'static str,
    /// Items it produced.
    pub items_out: u64,
    /// What those are.
    pub unit_out: &'static str,
}

/// `run.json`: the run's configuration, the figures of every stage, and its timings.
pub fn run_json(
    r: &ReportInput,
    corpus_path: &Path,
    timings: &[StageTiming],
    total_seconds: f64,
) -> serde_json::Value {
    let (figures, facts, tfidf, topics, trends) = (r.figures, r.facts, r.tfidf, r.topics, r.trends);
    let mut removed_by_rule = serde_json::Map::new();
    for (rule, &n) in Rule::ALL.iter().zip(&figures.removed_by_rule) {
        removed_by_rule.insert(rule.name().to_string(), n.into());
    }
    serde_json::json!({
        "topictide": env!("CARGO_PKG_VERSION"),
        "corpus": corpus_path.display().to_string(),
        "config": r.config,
        "threads": rayon::current_num_threads(),
        "figures": {
            "documents": figures.documents,
            "documents_dropped_undated": facts.dropped_undated,
            "documents_dropped_empty": facts.dropped_empty,
            "columns_left_out": facts.columns_left_out,
            "dates_read_from_text": figures.dates_read_from_text,
            "bytes": figures.bytes,
            "passages": figures.passages,
            "removed_lines": figures.removed_lines(),
            "removed_lines_by_rule": removed_by_rule,
            "word_tokens": figures.word_tokens,
            "markup_words_not_read": figures.markup_words,
            "characters_not_read_by_script": figures.unread_characters.iter().map(|(s, n)| (s.clone(), (*n).into())).collect::<serde_json::Map<String, serde_json::Value>>(),
            "terms": r.vocabulary.terms.len(),
            "variants_folded": r.vocabulary.folded.len(),
            "synonyms_unmatched": facts.unmatched_synonyms,
            "features": tfidf.features.len(),
            "dropped_min_df": tfidf.dropped_min_df,
            "dropped_max_df": tfidf.dropped_max_df,
            "dropped_max_features": tfidf.dropped_max_features,
            "tfidf_nonzeros": tfidf.nonzeros,
            "lsa_components": topics.components,
            "lsa_explained_variance": topics.explained_variance_ratio.iter().sum::<f64>(),
            "topics": topics.topics.len(),
            "kmeans_inertia": topics.inertia,
            "kmeans_starts": r.config.topics.n_init(
                (figures.passages as usize - topics.unassigned as usize).min(r.config.topics.fit_passages),
            ),
            "passages_without_features": topics.unassigned,
            "periods": trends.periods.len(),
            "stray_date": trends.stray_date.map(|s| serde_json::json!({
                "document": r.quotes.document(s.document as u64).origin,
                "date": r.quotes.document(s.document as u64).date.to_string(),
                "years_from_every_other": s.years_apart,
            })),
        },
        "stages": timings,
        "total_seconds": total_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn commit_files(out: &Path, files: &[(&str, &str)]) -> Result<()> {
        let o = Output::begin(out)?;
        for (rel, text) in files {
            o.write(rel, text.as_bytes())?;
        }
        o.commit(&serde_json::json!({}), "<svg/>")
    }

    #[test]
    fn a_run_keeps_the_users_files_and_replaces_only_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("tables")).unwrap();
        fs::create_dir_all(out.join("charts")).unwrap();
        fs::write(out.join("tables/my_thesis_data.csv"), "mine").unwrap();
        fs::write(out.join("charts/figure1.svg"), "mine").unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        commit_files(
            out,
            &[
                ("report.html", "1"),
                ("tables/a.csv", "1"),
                ("charts/x.svg", "1"),
            ],
        )
        .unwrap();
        // A second run without charts/x.svg: it removes its own old chart, nothing else.
        commit_files(out, &[("report.html", "2"), ("tables/a.csv", "2")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("report.html")).unwrap(), "2");
        assert!(!out.join("charts/x.svg").exists());
        for f in [
            "tables/my_thesis_data.csv",
            "charts/figure1.svg",
            "notes.txt",
        ] {
            assert_eq!(fs::read_to_string(out.join(f)).unwrap(), "mine", "{f}");
        }
        // No staging folder is left.
        let left: Vec<_> = fs::read_dir(out.join(STATE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(STAGING_PREFIX))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_users_file_at_a_report_path_stops_the_run_before_and_at_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::write(out.join("report.html"), "my own page").unwrap();
        let e = Output::begin(out).err().expect("refused").to_string();
        assert!(
            e.contains("report.html") && e.contains("no earlier topictide run"),
            "{e}"
        );
        fs::remove_file(out.join("report.html")).unwrap();
        fs::create_dir_all(out.join("tables")).unwrap();
        fs::write(out.join("tables/terms.csv"), "mine").unwrap();
        let e = commit_files(out, &[("tables/terms.csv", "ours")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("terms.csv"), "{e}");
        assert_eq!(
            fs::read_to_string(out.join("tables/terms.csv")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_failed_run_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A folder the run made goes with it.
        let made = dir.path().join("new/report");
        drop(Output::begin(&made).unwrap());
        assert!(!made.exists());
        // A user's folder stays, without the run's state.
        let theirs = dir.path().join("theirs");
        fs::create_dir(&theirs).unwrap();
        drop(Output::begin(&theirs).unwrap());
        assert!(theirs.is_dir() && !theirs.join(STATE_DIR).exists());
        // The record of an earlier run's report stays with its report.
        commit_files(&theirs, &[("report.html", "old")]).unwrap();
        drop(Output::begin(&theirs).unwrap());
        assert!(theirs.join(STATE_DIR).join(RECORD).is_file());
        assert_eq!(
            fs::read_to_string(theirs.join("report.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn stale_staging_is_removed_and_an_interrupted_commit_is_finished() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        commit_files(out, &[("report.html", "old"), ("charts/gone.svg", "old")]).unwrap();
        let state = out.join(STATE_DIR);
        // A run killed while writing: no commit list, owner unlocked.
        let dead = state.join("staging-999999-0");
        fs::create_dir_all(dead.join("tables")).unwrap();
        fs::write(dead.join(OWNER), "").unwrap();
        fs::write(dead.join("tables/half.csv"), "half").unwrap();
        // A run killed in the middle of its commit: report.html already moved, run.json not.
        let mid = state.join("staging-999999-1");
        fs::create_dir_all(mid.join("charts")).unwrap();
        fs::write(mid.join(OWNER), "").unwrap();
        fs::write(mid.join("run.json"), "new").unwrap();
        fs::write(out.join("report.html"), "new").unwrap();
        fs::write(mid.join(COMMIT_LIST), "report.html\nrun.json").unwrap();
        let o = Output::begin(out).unwrap();
        assert!(!dead.exists() && !mid.exists());
        let cleaned = o.cleaned().join("\n");
        assert!(
            cleaned.contains("removed .topictide/staging-999999-0, the staging folder of a run that died (2 files, 4 bytes)"),
            "{cleaned}"
        );
        assert!(cleaned.contains("finished the commit of"), "{cleaned}");
        assert_eq!(fs::read_to_string(out.join("run.json")).unwrap(), "new");
        assert!(!out.join("charts/gone.svg").exists());
        assert!(!out.join("tables/half.csv").exists());
        // A live run's staging folder is left alone.
        let live = o.staging().to_path_buf();
        let _second = Output::begin(out).unwrap();
        assert!(live.is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn a_run_never_writes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("precious.txt"), "keep").unwrap();
        for link in [STATE_DIR, "charts", "report.html"] {
            let out = dir.path().join(format!("out-{link}"));
            fs::create_dir_all(&out).unwrap();
            let target = if link == "report.html" {
                elsewhere.join("precious.txt")
            } else {
                elsewhere.clone()
            };
            std::os::unix::fs::symlink(&target, out.join(link)).unwrap();
            let e = commit_files(&out, &[("report.html", "x"), ("charts/c.svg", "x")]).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{link}: {e}");
            assert_eq!(
                fs::read_to_string(elsewhere.join("precious.txt")).unwrap(),
                "keep"
            );
            assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1, "{link}");
        }
    }

    #[test]
    fn a_damaged_record_never_reaches_outside_the_report() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "keep").unwrap();
        fs::create_dir_all(out.join(STATE_DIR)).unwrap();
        fs::write(
            out.join(STATE_DIR).join(RECORD),
            r#"{"files": ["../victim.txt", "/etc/hostname", "tables/../../victim.txt"]}"#,
        )
        .unwrap();
        commit_files(&out, &[("report.html", "x")]).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    }

    #[test]
    fn out_inside_or_around_the_corpus_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        fs::create_dir_all(&corpus).unwrap();
        for out in [
            corpus.clone(),
            corpus.join("out"),
            dir.path().to_path_buf(),
            dir.path().join("missing/../corpus/out"),
            corpus.join("missing/../../corpus/./out"),
        ] {
            let e = check_out_against_corpus(&corpus, &out).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{e}");
        }
        check_out_against_corpus(&corpus, &dir.path().join("elsewhere")).unwrap();
        check_out_against_corpus(&corpus, &corpus.join("../elsewhere/x/..")).unwrap();
        // Through a symlink too.
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&corpus, &link).unwrap();
            assert!(check_out_against_corpus(&corpus, &link.join("out")).is_err());
        }
    }
}
