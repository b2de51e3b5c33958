//! The shape of the code, checked: every module depends only on the rooms it may (the table in
//! ARCHITECTURE.md, "Rooms and what they may use"), no two rooms depend on each other in a
//! cycle, no function outside tests is longer than 150 lines, no file has more than 700 lines
//! before its tests, and no function needs `too_many_arguments`.
//!
//! Dependencies are read from the sources: every `crate::…` path and every `super::…` path
//! outside `#[cfg(test)]` modules, whether in a `use` line or written inline.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FN_LINES: usize = 150;
const MAX_FILE_LINES: usize = 700;

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline")
}

/// The module path of a source file: `stages/s7_report/charts/mod.rs` → `stages::s7_report::charts`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The room a module belongs to: a stage, each room of the report, or a top-level module.
fn room(module: &[String]) -> String {
    match module {
        [] => "lib".into(),
        [s, stage, sub, ..] if s == "stages" && stage == "s7_report" => {
            format!("s7_report::{sub}")
        }
        [s, stage, ..] if s == "stages" => stage.clone(),
        [s] if s == "stages" => "stages".into(),
        [first, ..] => first.clone(),
    }
}

/// The text of a file before its first `#[cfg(test)]`, with comments removed.
fn code_before_tests(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|l| match l.trim_start().starts_with("//") {
            true => "",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file's code names: `crate::a::b` paths (also inside `use crate::{a::b, c}`) and
/// `super::a` paths resolved against the file's own module.
fn dependencies(file: &Path, code: &str) -> BTreeSet<Vec<String>> {
    let me = module_of(file);
    let mut out = BTreeSet::new();
    let path_at = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| {
                p.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|p| !p.is_empty())
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            for item in group[..group.find('}').unwrap_or(group.len())].split(',') {
                out.insert(path_at(item.trim()));
            }
        } else {
            out.insert(path_at(rest));
        }
    }
    for (i, _) in code.match_indices("super::") {
        if code[..i].ends_with("::") {
            continue;
        }
        let mut base = me.clone();
        base.pop();
        let mut rest = &code[i + "super::".len()..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        let tail = if let Some(group) = rest.strip_prefix('{') {
            group[..group.find('}').unwrap_or(group.len())]
                .split(',')
                .map(|s| path_at(s.trim()))
                .collect::<Vec<_>>()
        } else {
            vec![path_at(rest)]
        };
        for t in tail {
            let mut p = base.clone();
            p.extend(t);
            out.insert(p);
        }
    }
    out
}

/// Room → the rooms its code names.
fn room_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in sources(&root()) {
        let code = code_before_tests(&std::fs::read_to_string(&file).unwrap());
        let from = room(&module_of(&file));
        let deps = graph.entry(from.clone()).or_default();
        for d in dependencies(&file, &code) {
            let to = room(&d);
            // A path naming only the parent (`crate::stages::s7_report::X` where X is an item of
            // its mod.rs) is the parent room.
            if to != from {
                deps.insert(to);
            }
        }
    }
    graph
}

/// The rooms each room may use besides itself (the table in ARCHITECTURE.md).
fn allowed() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("artifacts", &[][..]),
        ("calendar", &[][..]),
        ("error", &[][..]),
        ("memory", &[][..]),
        ("safety", &["error"][..]),
        ("text", &["artifacts", "calendar"][..]),
        ("config", &["artifacts", "error"][..]),
        (
            "s1_ingest",
            &["artifacts", "calendar", "config", "error", "memory"][..],
        ),
        (
            "s2_segment",
            &["artifacts", "calendar", "config", "text"][..],
        ),
        (
            "s3_tokenize",
            &["artifacts", "calendar", "config", "text"][..],
        ),
        ("s4_vectorize", &["artifacts", "config", "error"][..]),
        (
            "s5_topics",
            &["artifacts", "config", "error", "memory", "text"][..],
        ),
        ("s6_trends", &["artifacts", "config", "error", "text"][..]),
        ("s7_report::text", &["artifacts"][..]),
        ("s7_report::draw", &["error", "s7_report::text"][..]),
        ("s7_report::input", &["artifacts", "config"][..]),
        (
            "s7_report::evidence",
            &["artifacts", "text", "s7_report::input", "s7_report::text"][..],
        ),
        (
            "s7_report::output",
            &["artifacts", "error", "safety", "s7_report::input"][..],
        ),
        (
            "s7_report::tables",
            &[
                "artifacts",
                "error",
                "s7_report::evidence",
                "s7_report::input",
            ][..],
        ),
        (
            "s7_report::charts",
            &[
                "artifacts",
                "error",
                "s7_report::draw",
                "s7_report::evidence",
                "s7_report::input",
                "s7_report::output",
                "s7_report::text",
            ][..],
        ),
        (
            "s7_report::page",
            &[
                "artifacts",
                "s7_report::charts",
                "s7_report::evidence",
                "s7_report::input",
                "s7_report::text",
            ][..],
        ),
    ])
}

#[test]
fn every_room_uses_only_what_it_may() {
    let graph = room_graph();
    let allowed = allowed();
    let mut wrong = Vec::new();
    for (from, deps) in &graph {
        let Some(may) = allowed.get(from.as_str()) else {
            continue;
        };
        for d in deps {
            if !may.contains(&d.as_str()) {
                wrong.push(format!("{from} uses {d}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The rooms the table does not list are the ones that wire the others together.
    let wiring: BTreeSet<&str> = graph
        .keys()
        .map(String::as_str)
        .filter(|r| !allowed.contains_key(r))
        .collect();
    assert_eq!(
        wiring,
        BTreeSet::from([
            "cli",
            "lib",
            "run",
            "s7_report",
            "shard",
            "stages",
            "test_support"
        ])
    );
}

#[test]
fn paths_are_read_from_use_groups_inline_paths_and_super() {
    let file = root().join("stages/s7_report/charts/bursts.rs");
    let code = "use super::{corpus_line, Chart};\nuse crate::{artifacts::Burst, error::Result};\n\
                fn f() { crate::text::find(); super::super::draw::bar_chart(); }";
    let rooms: BTreeSet<String> = dependencies(&file, code).iter().map(|d| room(d)).collect();
    let want = [
        "artifacts",
        "error",
        "s7_report::charts",
        "s7_report::draw",
        "text",
    ];
    assert_eq!(rooms, want.iter().map(|s| s.to_string()).collect());
    // A test module's paths do not count.
    assert_eq!(
        code_before_tests("use crate::a;\n#[cfg(test)]\nuse crate::b;"),
        "use crate::a;"
    );
}

#[test]
fn no_rooms_depend_on_each_other_in_a_cycle() {
    let graph = room_graph();
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node) {
            let cycle = visit(node, &graph, &mut state, &mut Vec::new());
            assert!(cycle.is_none(), "a cycle: {}", cycle.unwrap().join(" → "));
        }
    }
}

/// `(file, first line, name, lines)` of every function before the file's tests.
fn functions() -> Vec<(PathBuf, usize, String, usize)> {
    let mut out = Vec::new();
    for file in sources(&root()) {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = &text[..text.find("#[cfg(test)]").unwrap_or(text.len())];
        let lines: Vec<&str> = code.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let Some(at) = trimmed.find("fn ") else {
                continue;
            };
            let head = &trimmed[..at];
            if !(head.is_empty()
                || head.ends_with("pub ")
                || head.ends_with(") ")
                || head == "const ")
                || trimmed.starts_with("//")
            {
                continue;
            }
            let name: String = trimmed[at + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let indent = line.len() - trimmed.len();
            // The body ends at the first line after it that closes at the same indentation.
            let end = (i + 1..lines.len()).find(|&j| {
                let l = lines[j];
                l.len() > indent && l[..indent].trim().is_empty() && l[indent..].starts_with('}')
            });
            if let Some(end) = end {
                out.push((file.clone(), i + 1, name, end - i + 1));
            }
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_150_lines() {
    let long: Vec<String> = functions()
        .into_iter()
        .filter(|f| f.3 > MAX_FN_LINES)
        .map(|(file, line, name, n)| format!("{}:{line} {name}: {n} lines", file.display()))
        .collect();
    assert!(long.is_empty(), "{long:#?}");
    // The reader sees functions: a known long one is counted.
    assert!(functions().iter().any(|f| f.2 == "run_in_pool" && f.3 > 50));
}

#[test]
fn no_file_has_more_than_700_lines_before_its_tests() {
    let long: Vec<String> = sources(&root())
        .into_iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            let n = text[..text.find("#[cfg(test)]").unwrap_or(text.len())]
                .lines()
                .count();
            (n > MAX_FILE_LINES).then(|| format!("{}: {n} lines", file.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn no_function_needs_too_many_arguments() {
    let allowances: Vec<String> = sources(&root())
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .contains(&["too_many", "_arguments"].concat())
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(allowances.is_empty(), "{allowances:#?}");
}
