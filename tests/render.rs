//! Every chart and the page render in headless Chromium: each is screenshotted and the image
//! must show something (not a blank page). Runs when Chromium is installed (`chromium` or
//! `chromium-browser` on the PATH, or `TOPICTIDE_CHROMIUM`); see the README. Skipped otherwise,
//! with a note on stderr, except in CI (`CI` set), where a missing browser fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("TOPICTIDE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(PathBuf::from)
}

/// The browser, or None (the test then passes, saying it skipped) when none is installed. In
/// CI (`CI` set) a missing browser is a failure: .ci/run installs it, so a pass there must mean
/// the charts were looked at.
fn chromium_or_skip() -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is not installed, and CI is set: run scripts/install-chromium"
        );
        eprintln!("skipped: Chromium is not installed (scripts/install-chromium installs it)");
    }
    browser
}

/// Screenshots `file` at `width × height`; returns the share of pixels that are not near-white.
fn ink(browser: &Path, file: &Path, (width, height): (u32, u32)) -> f64 {
    let shots = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let png = shots.path().join("shot.png");
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    assert!(
        png.is_file(),
        "no screenshot of {}: {}",
        file.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    let decoder = png::Decoder::new(std::fs::File::open(&png).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let total = (info.width * info.height) as f64;
    let inked = pixels
        .filter(|p| p.iter().take(3).any(|&c| c < 200))
        .count() as f64;
    inked / total
}

/// The document Chromium builds from `file`: an XML error shows as a `parsererror` element.
fn dom(browser: &Path, file: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_chart_and_the_page_render_in_chromium() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    eprintln!("rendering with {}", browser.display());
    let out = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO_BIN_EXE_topictide"))
        .args(["run", "--k", "auto", "--corpus"])
        .arg(root.join("seeds"))
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let mut files: Vec<PathBuf> = std::fs::read_dir(out.path().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(out.path().join("stage_timings.svg"));
    assert!(files.len() >= 9, "{files:?}");
    for f in &files {
        let d = dom(&browser, f);
        assert!(
            d.contains("<svg") && !d.contains("parsererror"),
            "{}: {d:.300}",
            f.display()
        );
        let share = ink(&browser, f, (1300, 1400));
        // A chart draws axes, bars, lines and text: far more than a few stray pixels.
        assert!(
            share > 0.002,
            "{} looks blank ({share:.4} inked)",
            f.display()
        );
    }
    let share = ink(&browser, &out.path().join("report.html"), (1400, 2400));
    assert!(share > 0.02, "report.html looks blank ({share:.4} inked)");
    // What was looked at, for the CI log (.ci/run prints it after the tests).
    let seen: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let evidence = format!(
        "render: {} opened {} charts and report.html ({:.1}% inked): {}\n",
        browser.display(),
        files.len(),
        100.0 * share,
        seen.join(" ")
    );
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-evidence");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("render.txt"), evidence).unwrap();
}

#[test]
fn chinese_labels_are_drawn_in_chromium() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    // Six yearly reports: class struggle in the first three, security in the last three. Each
    // sentence names its own city, so that no line is shared page furniture.
    let cities = ["北京", "上海", "广州", "武汉", "成都", "西安"];
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("reports.jsonl");
    let lines: Vec<String> = cities
        .iter()
        .enumerate()
        .map(|(i, city)| {
            let text = if i < 3 {
                format!(
                    "{city}的工人阶级坚持阶级斗争。{city}的无产阶级专政必须巩固。{city}的革命群众批判修正主义。"
                )
            } else {
                format!(
                    "{city}维护国家安全。{city}重视网络安全和数据安全。{city}以科技创新推动高质量发展。"
                )
            };
            serde_json::json!({"id": format!("r{i}"), "year": 2001 + i, "text": text.repeat(4)})
                .to_string()
        })
        .collect();
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_topictide"))
        .args(["run", "--quiet", "--language", "chinese", "--corpus"])
        .arg(&corpus)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let chart = out.join("charts/rising_falling.svg");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("安全"), "{svg:.2000}");
    // The same chart without the glyph outlines that follow each hidden Chinese label.
    let mut bare = Vec::new();
    let mut hidden = false;
    for line in svg.lines() {
        if line.starts_with("<text") {
            hidden = line.contains("opacity=\"0\"");
        }
        if hidden && line.starts_with("<path d=") {
            hidden = false;
            continue;
        }
        bare.push(line);
    }
    let stripped = dir.path().join("bare.svg");
    std::fs::write(&stripped, bare.join("\n")).unwrap();
    assert!(bare.len() < svg.lines().count(), "no outlined label");
    let (drawn, without) = (
        ink(&browser, &chart, (1300, 1400)),
        ink(&browser, &stripped, (1300, 1400)),
    );
    // Thirty-odd labels of two to five characters: thousands of inked pixels.
    assert!(
        drawn - without > 0.001,
        "the Chinese labels add {:.5} ink",
        drawn - without
    );
    // The words stay in the document, for search and screen readers.
    assert!(dom(&browser, &chart).contains("安全"));
}
