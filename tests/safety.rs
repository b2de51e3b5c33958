//! What a run never does to people's files, tried on the binary: it writes only its own files,
//! never among the corpus, never over a file it did not write; runs into one folder do not
//! trip over each other; a killed run's leftovers go when the next run starts.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn topictide(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_topictide"));
    c.current_dir(root()).args(args);
    c
}

/// Runs `topictide run --quiet` on `corpus` into `out`; returns (exit code, stderr).
fn run(corpus: &Path, out: &Path) -> (i32, String) {
    let o = topictide(&["run", "--quiet", "--corpus"])
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .output()
        .expect("binary runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn seeds() -> PathBuf {
    root().join("seeds")
}

/// Every file under `dir` with a hash of its bytes, `.topictide/` left out.
fn tree(dir: &Path) -> Vec<(String, u64)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, u64)>) {
        use std::hash::{Hash, Hasher};
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
            if rel.starts_with(".topictide") {
                continue;
            }
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::fs::read(&p).unwrap().hash(&mut h);
                out.push((rel, h.finish()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn staging_folders(out: &Path) -> Vec<String> {
    match std::fs::read_dir(out.join(".topictide")) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("staging"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn the_users_files_in_the_output_folder_survive_every_run() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    std::fs::create_dir_all(o.join("tables")).unwrap();
    std::fs::create_dir_all(o.join("charts")).unwrap();
    std::fs::write(o.join("tables/my_thesis_data.csv"), "mine,1\n").unwrap();
    std::fs::write(o.join("charts/figure1.svg"), "<svg>mine</svg>").unwrap();
    for _ in 0..2 {
        let (code, err) = run(&seeds(), o);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            std::fs::read_to_string(o.join("tables/my_thesis_data.csv")).unwrap(),
            "mine,1\n"
        );
        assert_eq!(
            std::fs::read_to_string(o.join("charts/figure1.svg")).unwrap(),
            "<svg>mine</svg>"
        );
        assert!(o.join("report.html").is_file());
    }
    // A file of the user's where the report would write is never overwritten: the run stops
    // before any work, and says which file.
    std::fs::remove_file(o.join(".topictide/record.json")).unwrap();
    let before = tree(o);
    let (code, err) = run(&seeds(), o);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("no earlier topictide run recorded writing it"),
        "{err}"
    );
    assert_eq!(tree(o), before);
    assert!(staging_folders(o).is_empty());
}

#[test]
fn an_output_folder_in_or_around_the_corpus_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("tables")).unwrap();
    std::fs::write(
        corpus.join("tables/doc0.txt"),
        "A document about data security.",
    )
    .unwrap();
    std::fs::write(
        corpus.join("manifest.csv"),
        "file,date\ntables/doc0.txt,2020\n",
    )
    .unwrap();
    let before = tree(&corpus);
    for out in [corpus.clone(), corpus.join("out"), dir.path().to_path_buf()] {
        let (code, err) = run(&corpus, &out);
        assert_eq!(code, 3, "{}: {err}", out.display());
        assert!(err.contains("--out"), "{err}");
        assert_eq!(tree(&corpus), before, "{}", out.display());
        assert!(!corpus.join(".topictide").exists());
    }
}

#[test]
fn a_manifest_cannot_make_a_run_read_outside_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "the machine's secret 2020").unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "A document about data security.").unwrap();
    std::fs::write(
        corpus.join("manifest.csv"),
        "file,date\na.txt,2020\n../secret.txt,2020\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let (code, err) = run(&corpus, &out);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("manifest.csv:3: column \"file\""), "{err}");
    assert!(!err.contains("machine's secret"), "{err}");
    assert!(!out.join("report.html").exists());
    let terms = topictide(&["terms", "--corpus"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(terms.status.code(), Some(3));
    assert!(!String::from_utf8_lossy(&terms.stdout).contains("secret"));
}

#[test]
fn runs_started_together_into_one_folder_all_finish_whole() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    let children: Vec<_> = (0..6)
        .map(|_| {
            topictide(&["run", "--quiet", "--threads", "1", "--corpus"])
                .arg(seeds())
                .arg("--out")
                .arg(o)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let r = c.wait_with_output().unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    }
    assert!(staging_folders(o).is_empty(), "{:?}", staging_folders(o));
    // The folder holds exactly what the record lists.
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(o.join(".topictide/record.json")).unwrap())
            .unwrap();
    let listed: Vec<String> = record["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    let present: Vec<String> = tree(o).into_iter().map(|(n, _)| n).collect();
    assert_eq!(listed, present);
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_report_whole_and_its_staging_goes_at_the_next_start() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    let (code, err) = run(&seeds(), o);
    assert_eq!(code, 0, "{err}");
    let before = tree(o);
    for signal in ["-TERM", "-INT", "-KILL"] {
        let earlier = staging_folders(o);
        let mut command = topictide(&["run", "--quiet", "--corpus"]);
        command
            .arg(seeds())
            .arg("--out")
            .arg(o)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // A job started in the background inherits SIGINT as ignored; give the run the
        // default disposition a terminal's Ctrl-C meets.
        unsafe {
            use std::os::unix::process::CommandExt;
            command.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = command.spawn().unwrap();
        // Wait until the run has its staging folder, then stop it.
        let start = Instant::now();
        let began = || staging_folders(o).iter().any(|s| !earlier.contains(s));
        while !began() && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(began(), "the run never began");
        Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        child.wait().unwrap();
        // The report is the previous one, whole, whatever the signal.
        assert_eq!(tree(o), before, "{signal}");
    }
    // The next run removes what the killed ones left, and commits.
    let (code, err) = run(&seeds(), o);
    assert_eq!(code, 0, "{err}");
    assert!(staging_folders(o).is_empty(), "{:?}", staging_folders(o));
}

#[test]
fn text_in_a_script_the_language_cannot_read_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("zh");
    std::fs::create_dir_all(&corpus).unwrap();
    let texts = [
        "网络安全法是为了保障网络安全，维护网络空间主权和国家安全。",
        "数据安全法规定了数据处理活动的安全保护义务。",
        "个人信息保护法保护个人信息权益，规范个人信息处理活动。",
    ];
    let mut manifest = String::from("file,date\n");
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(corpus.join(format!("{i}.txt")), t).unwrap();
        manifest.push_str(&format!("{i}.txt,{}\n", 2017 + i));
    }
    std::fs::write(corpus.join("manifest.csv"), manifest).unwrap();
    let (code, err) = run(&corpus, &dir.path().join("out"));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("almost no English words") && err.contains("--language"),
        "{err}"
    );
    assert!(!err.contains("min_df"), "{err}");
}
