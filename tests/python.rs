//! The Python package: `scripts/python-package --dev` builds it with maturin (sharing the crates
//! `cargo test` compiled) into the project's own virtual environment, and pytest runs
//! `python/tests` there against the binary cargo built. It needs `python3` with `venv` and a
//! reachable package index the first time; it never skips, but for the tests on a slice of
//! UNGD away from CI when `../shared` is not beside the project.

use std::process::Command;

#[test]
fn the_python_package_runs_as_the_command_line_does() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let built = Command::new(root.join("scripts/python-package"))
        .arg("--dev")
        .output()
        .expect("scripts/python-package starts");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let python = String::from_utf8(built.stdout).unwrap().trim().to_string();
    let out = Command::new(&python)
        .args([
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "python/tests",
        ])
        .current_dir(&root)
        .env("TOPICTIDE_BIN", env!("CARGO_BIN_EXE_topictide"))
        .output()
        .expect("pytest starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // pytest's closing line, e.g. "12 passed in 40.1s": every test ran, none was skipped but
    // the UNGD slice's (three partitionings), and those only away from CI without ../shared.
    let last = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let ungd = root.join("../shared/corpora/ungd.jsonl.gz");
    let may_skip = std::env::var_os("CI").is_none() && !ungd.is_file();
    let skipped_only_ungd = may_skip && last.contains("3 skipped");
    assert!(
        last.contains(" passed")
            && (!last.contains("skipped") || skipped_only_ungd)
            && !last.contains("failed"),
        "{stdout}"
    );
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-evidence");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("python.txt"), format!("python package: {last}\n")).unwrap();
    eprintln!("{stdout}");
}
