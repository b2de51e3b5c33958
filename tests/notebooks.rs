//! Every notebook under `notebooks/` runs headless (nbconvert) against two fresh runs on the
//! seeds, one without the passages' text (the default) and one with `--passage-text`,
//! through `scripts/run-notebooks`, which builds the Python package into the project's own
//! virtual environment with pinned packages (`scripts/python-package`). A notebook that raises
//! fails this test. It needs `python3` with `venv` and a reachable package index the first
//! time; it never skips.

use std::process::Command;

#[test]
fn every_notebook_runs_on_a_seeds_run() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join("scripts/run-notebooks"))
        .arg(env!("CARGO_BIN_EXE_topictide"))
        .output()
        .expect("scripts/run-notebooks starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each notebook ran: the script says so for every one.
    let mut notebooks: Vec<String> = std::fs::read_dir(root.join("notebooks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ipynb"))
        .collect();
    notebooks.sort();
    assert_eq!(
        notebooks,
        [
            "compare_periods.ipynb",
            "from_python.ipynb",
            "term_trend.ipynb",
            "topics.ipynb"
        ]
    );
    // Each ran on both runs: the default one (no passage text) and one with --passage-text.
    for n in &notebooks {
        for run in ["run", "run-text"] {
            assert!(
                stdout.contains(&format!("notebook: {n} ran without error ({run})")),
                "{stdout}"
            );
        }
    }
    // What ran, for the CI log (.ci/run prints it after the tests).
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-evidence");
    std::fs::create_dir_all(&dir).unwrap();
    let ran: String = stdout
        .lines()
        .filter(|l| l.starts_with("notebook: "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("notebooks.txt"), ran).unwrap();
    eprintln!("{stdout}");
}
