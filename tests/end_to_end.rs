//! End-to-end tests: the binary on the seeds corpus and on small fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_topictide"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `topictide run` with `args`; returns (exit code, stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = bin()
        .current_dir(root())
        .arg("run")
        .arg("--quiet")
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run_seeds(out: &Path, extra: &[&str]) {
    let mut args = vec!["--corpus", "seeds", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, err) = run(&args);
    assert_eq!(code, 0, "run failed: {err}");
}

/// (period, term lower-cased) -> count, from terms_by_period.csv.
fn counts(out: &Path) -> std::collections::HashMap<(String, String), u64> {
    let text = std::fs::read_to_string(out.join("tables/terms_by_period.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &header[..6],
        &[
            "period",
            "term",
            "count",
            "per_1k_tokens",
            "documents",
            "passages"
        ]
    );
    lines
        .map(|l| {
            // Terms may be quoted when they contain commas; the seeds' tracked terms do not.
            let f: Vec<&str> = l.split(',').collect();
            (
                (f[0].to_string(), f[1].to_lowercase()),
                f[2].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn seeds_counts_agree_with_the_text() {
    // Raw text, page furniture kept: the counts `grep -oiE` finds in seeds/*.txt, by year.
    let raw = tempfile::tempdir().unwrap();
    run_seeds(raw.path(), &["--keep-boilerplate"]);
    let c = counts(raw.path());
    let get = |p: &str, t: &str| {
        *c.get(&(p.to_string(), t.to_string()))
            .unwrap_or_else(|| panic!("no row {p} {t}"))
    };
    let years = ["2016", "2017", "2020", "2021"];
    // grep -oiE 'data security' seeds/*.txt
    assert_eq!(years.map(|p| get(p, "data security")), [0, 1, 0, 3]);
    // grep -oiE 'cyber[ -]?security' seeds/*.txt
    assert_eq!(years.map(|p| get(p, "cybersecurity")), [8, 10, 0, 17]);
    // Empty years are gaps with zero documents, never interpolated.
    assert_eq!(get("2018", "cybersecurity"), 0);

    // By default the passages table places each passage and leaves its text out.
    let raw_passages = std::fs::read_to_string(raw.path().join("tables/passages.csv")).unwrap();
    assert_eq!(
        raw_passages.lines().next().unwrap(),
        "passage,document,index,date,period,start,end,topic,centre_similarity,outlier,tokens"
    );

    // Cleaned text (the default): the 2021 article's photo caption "Cybersecurity. Photo: VCG",
    // printed twice, is page furniture; tables/boilerplate.csv lists both lines. The passages'
    // text is asked for, to check what it holds.
    let dir = tempfile::tempdir().unwrap();
    run_seeds(dir.path(), &["--passage-text"]);
    let c = counts(dir.path());
    let get = |p: &str, t: &str| {
        *c.get(&(p.to_string(), t.to_string()))
            .unwrap_or_else(|| panic!("no row {p} {t}"))
    };
    assert_eq!(years.map(|p| get(p, "data security")), [0, 1, 0, 3]);
    assert_eq!(years.map(|p| get(p, "cybersecurity")), [8, 10, 0, 15]);
    let removed = std::fs::read_to_string(dir.path().join("tables/boilerplate.csv")).unwrap();
    assert_eq!(removed.matches("caption_credit,").count(), 2, "{removed}");
    // The cleaned counts are what the passages table's text holds.
    let passages = std::fs::read_to_string(dir.path().join("tables/passages.csv")).unwrap();
    assert!(passages.lines().next().unwrap().ends_with(",tokens,text"));
    let in_passages = passages.to_lowercase().matches("cybersecurity").count()
        + passages.to_lowercase().matches("cyber security").count()
        + passages.to_lowercase().matches("cyber-security").count();
    assert_eq!(in_passages, 8 + 10 + 15);
    for furniture in [
        "Leave a Reply",
        "bar_progress",
        "Join us on social",
        "All rights reserved",
        "Are Portable Power Banks",
    ] {
        assert!(
            !passages.contains(furniture),
            "{furniture} left in a passage"
        );
    }

    // Evidence rows point at their words: the document's bytes start..end are the match.
    let evidence = std::fs::read_to_string(dir.path().join("tables/evidence.csv")).unwrap();
    let mut checked = 0;
    for row in parse_csv(&evidence).into_iter().skip(1) {
        let (doc, start, end, matched) = (&row[4], &row[7], &row[8], &row[10]);
        let text = std::fs::read(root().join("seeds").join(doc)).unwrap();
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        assert_eq!(std::str::from_utf8(&text[start..end]).unwrap(), matched);
        checked += 1;
    }
    assert!(checked > 20, "{evidence}");

    // Data-protection terms rise, with the counts the text has. The 2016 article holds 8% of the
    // corpus' words, more than `trends.end_share`, so it is the earliest side alone.
    let contrasts = std::fs::read_to_string(dir.path().join("tables/contrasts.csv")).unwrap();
    let rising = |from: &str, to: &str, term: &str| {
        parse_csv(&contrasts)
            .into_iter()
            .find(|r| r[0] == from && r[1] == to && r[2] == "rising" && r[4] == term)
            .map(|r| (r[6].clone(), r[7].clone()))
    };
    assert_eq!(
        rising("2016", "2021", "data"),
        Some(("1".into(), "12".into()))
    );
    assert_eq!(
        rising("2016", "2021", "data security"),
        Some(("0".into(), "3".into()))
    );
    // What the text shows about "cybersecurity" itself is said in words.
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let line = html
        .lines()
        .find(|l| l.starts_with("<li>Tracked <b>cybersecurity</b>"))
        .expect("a summary line for cybersecurity");
    assert!(line.contains("8 → 15 occurrences"), "{line}");
    assert!(line.contains("no clear change"), "{line}");
    assert!(line.contains("does not occur in 2020"), "{line}");
    assert!(html.contains("id=\"succession\""));

    // Phrases found by their statistics (no list of them exists anywhere in the code).
    let phrases = std::fs::read_to_string(dir.path().join("tables/phrases.csv")).unwrap();
    // Tracked terms are counted as phrases when asked for; only those learnt count here.
    let learnt: Vec<String> = phrases
        .lines()
        .skip(1)
        .filter(|l| l.ends_with(",true"))
        .map(|l| {
            l.split(',')
                .next()
                .unwrap()
                .trim_matches('"')
                .to_lowercase()
        })
        .collect();
    for want in [
        "data security",
        "personal information",
        "big data",
        "national security",
        "artificial intelligence",
        "internet of things",
        "made in china 2025",
    ] {
        assert!(learnt.iter().any(|p| p == want), "{want} not in {learnt:?}");
    }

    for f in [
        "report.html",
        "run.json",
        "charts/tracked_terms.svg",
        "charts/rising_falling.svg",
        "charts/topic_terms.svg",
        "charts/topic_share.svg",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    for t in [
        "documents",
        "passages",
        "boilerplate",
        "periods",
        "terms",
        "phrases",
        "terms_by_period",
        "topics",
        "topics_by_period",
        "changes",
    ] {
        assert!(dir.path().join(format!("tables/{t}.csv")).is_file());
        assert!(dir.path().join(format!("tables/{t}.parquet")).is_file());
    }
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        html.contains("fewer than 3 documents"),
        "thin periods are flagged"
    );
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(run["figures"]["removed_lines_by_rule"]["caption_credit"], 2);
}

/// (file name, bytes) of the files in `dir` whose names end with `suffix`, by name.
fn dir_bytes(dir: &Path, suffix: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Every table, CSV and Parquet, by name.
fn table_bytes(out: &Path) -> Vec<(String, Vec<u8>)> {
    dir_bytes(&out.join("tables"), "")
}

/// The names of a list of files.
fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|f| f.0.as_str()).collect()
}

#[test]
fn same_seed_same_tables_for_any_thread_count() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    run_seeds(a.path(), &["--threads", "1"]);
    run_seeds(b.path(), &["--threads", "2"]);
    run_seeds(c.path(), &["--threads", "2"]);
    let (ta, tb, tc) = (
        table_bytes(a.path()),
        table_bytes(b.path()),
        table_bytes(c.path()),
    );
    // 19 tables, each as CSV and Parquet; the same files in every run.
    assert_eq!(ta.len(), 38, "{:?}", names(&ta));
    assert!(ta.iter().any(|t| t.0 == "terms.parquet"));
    assert_eq!(names(&ta), names(&tb));
    assert_eq!(names(&tb), names(&tc));
    for ((name, x), (_, y)) in ta.iter().zip(&tb) {
        assert!(x == y, "{name} differs between --threads 1 and 2");
    }
    assert!(tb == tc, "two runs with the same seed differ");
    // Every chart and the page are byte-identical too, whatever the thread count; only
    // run.json and stage_timings.svg (wall times) may differ.
    let charts = |out: &Path| {
        let mut files = dir_bytes(&out.join("charts"), ".svg");
        files.extend(dir_bytes(out, "report.html"));
        files
    };
    let (ca, cb, cc) = (charts(a.path()), charts(b.path()), charts(c.path()));
    assert!(
        ca.len() >= 8,
        "{:?}",
        ca.iter().map(|c| &c.0).collect::<Vec<_>>()
    );
    for other in [&cb, &cc] {
        assert_eq!(names(&ca), names(other));
        for ((name, x), (_, y)) in ca.iter().zip(other.iter()) {
            assert!(x == y, "{name} differs between runs");
        }
    }
    assert!(b.path().join("stage_timings.svg").is_file());
}

#[test]
fn bad_input_fails_cleanly_and_keeps_the_previous_report() {
    let out = tempfile::tempdir().unwrap();
    run_seeds(out.path(), &[]);
    let before = std::fs::read(out.path().join("report.html")).unwrap();

    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(
        corpus.path().join("manifest.csv"),
        "file,date,title,source\na.txt,2020-02-30,A,B\n",
    )
    .unwrap();
    std::fs::write(
        corpus.path().join("a.txt"),
        "Some text about data security.",
    )
    .unwrap();
    let (code, err) = run(&[
        "--corpus",
        corpus.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("manifest.csv:2: column \"date\": \"2020-02-30\" is not a date"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(
        std::fs::read(out.path().join("report.html")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path().join(".topictide"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn terms_command_explains_the_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.csv"),
        "file,date\na.txt,2020\nb.txt,2021\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Cybersecurity matters. Cyber security and cyber-security rules.",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Data security, data security and data security again, cybersecurity.",
    )
    .unwrap();
    let out = bin()
        .args([
            "terms",
            "--corpus",
            dir.path().to_str().unwrap(),
            "--limit",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("cybersecurity "))
        .unwrap_or_else(|| panic!("{text}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[2], "4", "{line}");
    assert!(line.contains("cyber security"), "{line}");
    let line = text
        .lines()
        .find(|l| l.starts_with("data security "))
        .unwrap_or_else(|| panic!("{text}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[2..4], ["phrase", "3"], "{line}");
}

#[test]
fn usage_and_config_errors_have_their_exit_codes() {
    let out = bin().args(["run", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (code, err) = run(&[
        "--corpus",
        "seeds",
        "--k",
        "1",
        "--out",
        "/tmp/never-written",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("topics.k must be at least 2"), "{err}");
    assert!(!Path::new("/tmp/never-written/report.html").exists());
}

#[test]
fn table_corpus_with_quarters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.csv");
    let mut csv = String::from("id,date,label,text\n");
    for i in 0..24 {
        let month = i % 12 + 1;
        let topic = if i % 2 == 0 {
            "Data security rules protect personal information held by platforms."
        } else {
            "Ports and shipping routes carry grain, steel and oil across the sea."
        };
        let label = if i % 2 == 0 { "data" } else { "shipping" };
        csv.push_str(&format!(
            "d{i},2020-{month:02}-15,{label},\"{topic} Paragraph {i}.\"\n"
        ));
    }
    std::fs::write(&path, csv).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let (code, err) = run(&[
        "--corpus",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--period",
        "quarter",
        "--k",
        "2",
        "--track",
        "Data-Security",
    ]);
    assert_eq!(code, 0, "{err}");
    let c = counts(&out);
    assert_eq!(c[&("2020-Q1".to_string(), "data security".to_string())], 4);
    let topics = std::fs::read_to_string(out.join("tables/topics.csv")).unwrap();
    assert_eq!(topics.lines().count(), 3, "{topics}");
    // The label column passes through to the documents table.
    let docs = std::fs::read_to_string(out.join("tables/documents.csv")).unwrap();
    let header: Vec<&str> = docs.lines().next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"label"), "{docs}");
    assert!(docs.lines().nth(1).unwrap().ends_with(",data"), "{docs}");
    // Whole documents as the unit: one passage each, and the topics follow the two themes.
    let out2 = dir.path().join("out2");
    let (code, err) = run(&[
        "--corpus",
        path.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
        "--unit",
        "document",
        "--k",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    let passages = std::fs::read_to_string(out2.join("tables/passages.csv")).unwrap();
    assert_eq!(passages.lines().count(), 25, "{passages}");
}

#[test]
fn seeds_dates_read_from_their_text_agree_with_the_manifest() {
    // The seeds with their manifest dates blanked: three state their date, two do not.
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = String::from("file,date,title,source\n");
    for entry in std::fs::read_dir(root().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
            manifest.push_str(&format!("{name},,,\n"));
        }
    }
    std::fs::write(dir.path().join("manifest.csv"), manifest).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let corpus = dir.path().to_str().unwrap();
    let (code, err) = run(&["--corpus", corpus, "--out", out.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("2 document(s) have no date"), "{err}");
    assert!(
        err.contains("001_4ed872c58d4f809f.txt") && err.contains("004_97fbd9f5a1315e86.txt"),
        "{err}"
    );

    let (code, err) = run(&[
        "--corpus",
        corpus,
        "--out",
        out.to_str().unwrap(),
        "--undated",
        "drop",
        "--k",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    let docs = std::fs::read_to_string(out.join("tables/documents.csv")).unwrap();
    for (file, date) in [
        ("000_", "2017-03-24"),
        ("002_", "2021-07-12"),
        ("003_", "2017-10-23"),
    ] {
        let line = docs
            .lines()
            .find(|l| l.starts_with(file))
            .unwrap_or_else(|| panic!("{docs}"));
        assert!(
            line.contains(&format!(",{date},")) && line.contains(",text,"),
            "{line}"
        );
    }
    let run_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(
        run_json["figures"]["documents_dropped_undated"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn trend_command_prints_series_for_any_spelling() {
    let out = bin()
        .args([
            "trend",
            "Cyber-Security",
            "data security",
            "no such words here",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // The raw-text counts of the cleaned seeds: 8, 10, 0, 15 (see seeds_counts_agree_with_the_text).
    let counts: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("cybersecurity"))
        .skip(2)
        .take(6)
        .filter(|l| !l.contains("no documents"))
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(counts, ["8", "10", "0", "15"], "{text}");
    assert!(text.contains("2016*"), "thin periods are flagged: {text}");
    assert!(
        text.contains("no such words here: not in the corpus"),
        "{text}"
    );
}

/// Rows of a CSV text with quoted fields (as polars writes them).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    rows
}

#[test]
fn corpus_markup_and_right_to_left_text_are_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "Security <script>alert('x')</script> & \"quoted\" policy: \
                   أمن البيانات مهم; אבטחת מידע חשובה. Security policy <b>bold</b> & more.";
    let topics = [
        "harbours and shipping lanes",
        "grain harvests and rainfall",
        "railway timetables",
        "museum collections",
        "mountain glaciers",
        "orchestra rehearsals",
    ];
    let mut manifest = String::from("file,date,title\n");
    for (i, topic) in topics.iter().enumerate() {
        let name = format!("d{i}.txt");
        std::fs::write(
            dir.path().join(&name),
            format!(
                "{hostile} Also {topic}.\n\nOn {topic}: security policy matters \
                 <img src=x onerror=alert(1)> for {topic}."
            ),
        )
        .unwrap();
        manifest.push_str(&format!(
            "{name},{},<script>t{i}</script> & \"title\"\n",
            2015 + i
        ));
    }
    std::fs::write(dir.path().join("manifest.csv"), manifest).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let (code, err) = run(&[
        "--corpus",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--k",
        "2",
        "--track",
        "security policy",
        "--track",
        "<script>",
    ]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for raw in ["<script", "<img src=x", "<b>bold"] {
        assert!(!html.contains(raw), "raw markup {raw} in report.html");
    }
    assert!(
        html.contains("&lt;script&gt;"),
        "escaped markup is shown as text"
    );
    assert!(
        html.contains("أمن") || html.contains("אבטחת"),
        "right-to-left text is kept"
    );
    for entry in std::fs::read_dir(out.join("charts")).unwrap() {
        let svg = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!svg.contains("<script"), "raw script in a chart");
        assert!(!svg.contains("<img"), "raw markup in a chart");
    }
}

/// Many items stay readable: 50 topics, 40 periods and a 200-character term. Every text of
/// every chart fits its place (long names are cut with `…`), and the charts keep sane sizes.
#[test]
fn charts_with_many_items_stay_readable() {
    let long_term: String = "abcdefghij".repeat(20);
    let mut lines = Vec::new();
    for year in 1980..2020 {
        for d in 0..6 {
            let mut paragraphs = Vec::new();
            for p in 0..5 {
                let topic = (year * 7 + d * 5 + p * 11) % 50;
                let words: Vec<String> = (0..12)
                    .map(|w| format!("topic{topic}word{}", (w * 3 + p + d) % 9))
                    .collect();
                paragraphs.push(format!("{}.", words.join(" ")));
            }
            if (year + d) % 3 == 0 {
                paragraphs.push(format!("The {long_term} appears here."));
            }
            // A replacement, so that bursts and successions have something to show.
            // (Each line differs, or cleaning would drop it as repeated across documents.)
            let device = if year < 2000 { "telegraph" } else { "email" };
            let n = (year * 6 + d) as u32;
            let place: String = [n / 676 % 26, n / 26 % 26, n % 26]
                .iter()
                .map(|&c| char::from(b'a' + c as u8))
                .collect();
            paragraphs.push(format!(
                "The office sent a {device} message over the wire to {place}."
            ));
            let text = paragraphs.join("\n\n");
            lines.push(
                serde_json::json!({"id": format!("{year}-{d}"), "year": year, "text": text})
                    .to_string(),
            );
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("many.jsonl");
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let (code, stderr) = run(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--k",
        "50",
        "--track",
        &long_term,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let periods = std::fs::read_to_string(out.join("tables/periods.csv")).unwrap();
    assert_eq!(periods.lines().count(), 41);
    let mut charts = 0;
    for entry in std::fs::read_dir(out.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        let svg = std::fs::read_to_string(&path).unwrap();
        charts += 1;
        let height: f64 = svg
            .split("height=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(height < 6000.0, "{} is {height} px tall", path.display());
        for text in svg.split("<text").skip(1) {
            let content = text
                .split_once('>')
                .and_then(|(_, rest)| rest.split_once("</text>"))
                .map(|(t, _)| t.trim())
                .unwrap_or("");
            // At most a line of the widest (1,200 px) chart's subtitle.
            assert!(
                content.chars().count() <= 150,
                "{}: a text of {} characters: {content}",
                path.display(),
                content.chars().count()
            );
            assert!(
                !content.contains(&long_term),
                "{} shows the long term in full",
                path.display()
            );
        }
    }
    assert!(charts >= 9, "{charts} charts");
    let topics = std::fs::read_to_string(out.join("tables/topics.csv")).unwrap();
    assert_eq!(topics.lines().count(), 51, "50 topics");
}

#[test]
fn stop_word_file_and_no_stemming_reach_the_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let stop = dir.path().join("stop.txt");
    std::fs::write(&stop, "# our own list\nthe\nof\ndata\n").unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    run_seeds(
        &out,
        &["--stop-words", stop.to_str().unwrap(), "--no-stemming"],
    );
    let terms = std::fs::read_to_string(out.join("tables/terms.csv")).unwrap();
    let surfaces: Vec<String> = parse_csv(&terms)
        .into_iter()
        .skip(1)
        .map(|r| r[0].to_lowercase())
        .collect();
    assert!(!surfaces
        .iter()
        .any(|s| s == "data" || s.starts_with("data ")));
    // Words the language's list would drop are terms now, and forms stay apart.
    assert!(
        surfaces.iter().any(|s| s == "is"),
        "'is' is no stop word here"
    );
    assert!(surfaces.iter().any(|s| s == "company"));
    assert!(surfaces.iter().any(|s| s == "companies"));
    let run_json = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(run_json.contains("\"stem\": false"), "run.json records it");

    std::fs::write(&stop, "the\ndata security\n").unwrap();
    let (code, err) = run(&[
        "--corpus",
        "seeds",
        "--stop-words",
        stop.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("stop.txt:2") && err.contains("one stop word a line"),
        "{err}"
    );
}

/// `terms` and `trend` take the flags that decide how `run` reads the text, and read it the
/// same way: unstemmed forms stay apart in both.
#[test]
fn terms_and_trend_read_the_text_as_run_does() {
    let stdout = |args: &[&str]| {
        let out = bin().args(args).current_dir(root()).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let count_of = |text: &str, term: &str| -> Option<String> {
        text.lines()
            .find(|l| l.starts_with(&format!("{term} ")))
            .map(|l| l.split_whitespace().nth(2).unwrap().to_string())
    };
    let stemmed = stdout(&["terms", "--limit", "0"]);
    let unstemmed = stdout(&["terms", "--limit", "0", "--no-stemming"]);
    let (companies, company) = (
        count_of(&unstemmed, "companies").expect("'companies' unstemmed"),
        count_of(&unstemmed, "company").expect("'company' unstemmed"),
    );
    let together: u64 = companies.parse::<u64>().unwrap() + company.parse::<u64>().unwrap();
    let stemmed_count: u64 = stemmed
        .lines()
        .find(|l| l.starts_with("companies ") || l.starts_with("company "))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        stemmed_count >= together,
        "one stem {stemmed_count}, forms {company} + {companies}"
    );

    // trend: the plural alone, and the same total as the terms listing.
    let text = stdout(&["trend", "companies", "--no-stemming"]);
    assert!(
        text.starts_with(&format!(
            "companies (\"companies\", word): {companies} occurrences"
        )),
        "{text}"
    );
    let text = stdout(&["trend", "companies"]);
    assert!(
        text.contains(&format!(": {stemmed_count} occurrences")),
        "{text}"
    );
}

#[test]
fn stratified_seeds_name_each_periods_source_and_keep_their_counts() {
    let plain = tempfile::tempdir().unwrap();
    let strat = tempfile::tempdir().unwrap();
    run_seeds(plain.path(), &[]);
    run_seeds(strat.path(), &["--stratify", "source"]);
    // Counts are the same with strata as without.
    assert_eq!(counts(plain.path()), counts(strat.path()));
    let composition =
        parse_csv(&std::fs::read_to_string(strat.path().join("tables/composition.csv")).unwrap());
    assert_eq!(
        composition[0],
        ["period", "stratum", "documents", "tokens", "share"]
    );
    let sources: Vec<(&str, &str)> = composition[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert!(sources.contains(&("2021", "Global Times")), "{sources:?}");
    assert!(
        sources.contains(&("2020", "Asia Business Daily")),
        "{sources:?}"
    );
    // No source is in both 2016 and 2021: every earliest–latest change is confounded with it.
    let changes =
        parse_csv(&std::fs::read_to_string(strat.path().join("tables/changes.csv")).unwrap());
    let driven = changes[0].iter().position(|c| c == "driven_by").unwrap();
    assert!(changes[1..]
        .iter()
        .all(|r| r[driven] == "confounded with the change of source"));
    let page = std::fs::read_to_string(strat.path().join("report.html")).unwrap();
    assert!(page.contains("2021: its only document comes from Global Times"));
    assert!(page.contains("3 periods are dominated by one voice"));
    assert!(page.contains("every one of these changes is confounded with the change of source"));
    // Without --stratify, no strata columns and no composition table.
    assert!(!plain.path().join("tables/composition.csv").exists());
    let plain_changes = std::fs::read_to_string(plain.path().join("tables/changes.csv")).unwrap();
    assert!(!plain_changes.contains("driven_by"));
}

/// Runs the corpus table `csv` with `--k 2` and `extra` flags into `out/` of a new folder;
/// that folder and the run's bursts table, parsed.
fn bursts_of(csv: &str, extra: &[&str]) -> (tempfile::TempDir, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let (path, out) = (dir.path().join("c.csv"), dir.path().join("out"));
    std::fs::write(&path, csv).unwrap();
    let mut args = vec![
        "--corpus",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--k",
        "2",
    ];
    args.extend(extra);
    let (code, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let bursts = parse_csv(&std::fs::read_to_string(out.join("tables/bursts.csv")).unwrap());
    (dir, bursts)
}

#[test]
fn a_burst_one_voice_carries_as_its_share_grows_ranks_after_one_all_voices_share() {
    // Two outlets over four years, 20 articles a year. Outlet A always writes about Alipay;
    // in 2003 it supplies 16 of the 20 articles instead of 5, so "Alipay" bursts there with
    // no change in what anyone says. Floods burst in 2003 in both outlets' articles.
    let mut csv = String::from("id,date,source,text\n");
    for year in 2001..=2004 {
        let from_a = if year == 2003 { 16 } else { 5 };
        for i in 0..20 {
            let source = if i < from_a { "A" } else { "B" };
            let mut text = format!(
                "Article {i} of {year} about the markets and the weather in the region this week."
            );
            if source == "A" {
                text.push_str(" Alipay payments grew among shoppers in the cities.");
            }
            if (year == 2003 && i % 5 < 3) || i == 7 {
                text.push_str(" The floods covered the river towns again.");
            }
            csv.push_str(&format!("y{year}-{i},{year}-06-01,{source},\"{text}\"\n"));
        }
    }
    let (out, bursts) = bursts_of(&csv, &["--stratify", "source"]);
    let col = |name: &str| bursts[0].iter().position(|c| c == name).unwrap();
    // The repeated sentences are phrases: "Alipay payments grew among", "covered the river
    // towns". The first burst holding each word stands for it.
    let row = |word: &str| {
        bursts
            .iter()
            .position(|r| r[0].split(' ').any(|w| w == word))
            .unwrap_or_else(|| panic!("no burst of {word}: {bursts:?}"))
    };
    let (alipay, floods) = (row("Alipay"), row("river"));
    assert_eq!(bursts[alipay][col("one_voice")], "true");
    assert_eq!(bursts[alipay][col("top_stratum")], "A");
    assert_eq!(bursts[floods][col("one_voice")], "false");
    assert!(floods < alipay, "{bursts:?}");
    let page = std::fs::read_to_string(out.path().join("out/report.html")).unwrap();
    assert!(
        page.contains("(carried by A, whose share of these periods grew)"),
        "the bursts table says which voice"
    );
}

#[test]
fn a_subject_its_passages_return_to_outranks_a_word_they_use_once() {
    // Four years of 20 articles. In 2003 twelve of them say "whilst" once and "floods" twice,
    // in wording that changes from article to article, and a thirteenth says "whilst": by the
    // documents alone "whilst" is the larger burst, but a passage that takes up the floods
    // comes back to them.
    let (people, verbs, places) = (
        [
            "farmers",
            "traders",
            "officials",
            "families",
            "teachers",
            "drivers",
        ],
        [
            "reached", "crossed", "filled", "covered", "swamped", "entered",
        ],
        [
            "valleys", "harbours", "villages", "suburbs", "fields", "roads",
        ],
    );
    let mut csv = String::from("id,date,text\n");
    for year in 2001..=2004 {
        for i in 0..20 {
            let mut text = format!(
                "Article {i} of {year} about the markets and the weather in the region this week."
            );
            if year == 2003 && i % 5 < 3 {
                text.push_str(&format!(
                    " Whilst {} waited, floods {} the {}; the floods were deep.",
                    people[i % 6],
                    verbs[(i / 2) % 6],
                    places[(i / 3) % 6]
                ));
            }
            if year == 2003 && i == 19 {
                text.push_str(" Whilst buyers waited, prices held.");
            }
            csv.push_str(&format!("y{year}-{i},{year}-06-01,\"{text}\"\n"));
        }
    }
    let (_, bursts) = bursts_of(&csv, &[]);
    let col = |name: &str| bursts[0].iter().position(|c| c == name).unwrap();
    let row = |term: &str| {
        bursts
            .iter()
            .position(|r| r[0].eq_ignore_ascii_case(term))
            .unwrap_or_else(|| panic!("no burst of {term}: {bursts:?}"))
    };
    let (floods, whilst) = (row("floods"), row("whilst"));
    for (r, uses) in [(floods, "12"), (whilst, "13")] {
        assert_eq!(bursts[r][col("start")], "2003", "{bursts:?}");
        assert_eq!(bursts[r][col("uses")], uses, "{bursts:?}");
    }
    assert_eq!(bursts[floods][col("per_passage")], "2.0");
    assert_eq!(bursts[whilst][col("per_passage")], "1.0");
    assert!(floods < whilst, "{bursts:?}");
}

#[test]
fn stratifying_by_a_column_the_corpus_lacks_names_its_columns() {
    let out = tempfile::tempdir().unwrap();
    let (code, err) = run(&[
        "--corpus",
        "seeds",
        "--out",
        out.path().to_str().unwrap(),
        "--stratify",
        "country",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("no column \"country\"") && err.contains("source, title, id"),
        "{err}"
    );
}

/// With stderr a pipe (a log, a scheduler), a run says where it is: a line as each stage
/// starts and one as it ends, with its time, items and throughput; `--quiet` says nothing.
#[test]
fn a_run_logged_to_a_file_prints_a_line_per_stage_start_and_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(root())
        .args(["run", "--corpus", "seeds", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .expect("binary runs");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let stages = [
        "ingest",
        "segment",
        "tokenize",
        "vectorize",
        "topics",
        "trends",
        "report",
    ];
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2 * stages.len(), "{err}");
    for (i, stage) in stages.iter().enumerate() {
        let (start, end) = (lines[2 * i], lines[2 * i + 1]);
        assert!(start.starts_with('[') && start.contains(" s] "), "{start}");
        assert!(start.contains(&format!("{stage}: started on ")), "{start}");
        assert!(end.contains(&format!("{stage}: done in ")), "{end}");
        assert!(end.contains(" → ") && end.ends_with("/s)"), "{end}");
    }
    assert!(lines[1].contains("1 corpus → 5 documents"), "{}", lines[1]);
    let quiet = bin()
        .current_dir(root())
        .args(["run", "--quiet", "--corpus", "seeds", "--out"])
        .arg(dir.path().join("quiet"))
        .output()
        .expect("binary runs");
    assert!(quiet.status.success() && quiet.stderr.is_empty());
}
