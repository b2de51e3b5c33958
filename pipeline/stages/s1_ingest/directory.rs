//! A directory corpus: `manifest.csv` (`file,date,title,source`) and the document files it
//! lists, each read only when it lies inside the corpus folder.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::fields::{cell, document, parse_date, Fields, UndatedDoc, DATE_HINT};
use super::table::csv_table;
use super::text::read_text_file;
use crate::artifacts::Documents;
use crate::config::{Empty, IngestConfig};
use crate::error::{Error, Location, Result};

/// File endings a directory corpus reads as documents.
const DOCUMENT_EXTENSIONS: [&str; 2] = ["txt", "md"];
/// Name of the manifest inside a directory corpus.
pub const MANIFEST: &str = "manifest.csv";

pub(super) fn read_directory(
    dir: &Path,
    cfg: &IngestConfig,
    undated: &mut Vec<UndatedDoc>,
    empty: &mut Vec<String>,
) -> Result<(Documents, Vec<String>)> {
    let manifest_path = dir.join(MANIFEST);
    if !manifest_path.exists() {
        return Err(Error::input(
            Location::file(&manifest_path),
            "the corpus directory has no manifest",
            "create manifest.csv with the header `file,date,title,source` and one line per \
             document file",
        ));
    }
    let dir_abs = std::fs::canonicalize(dir).map_err(|e| Error::io("resolve", dir, e))?;
    inside_corpus(dir, &dir_abs, MANIFEST, Location::file(&manifest_path))?;
    let manifest_text = read_text_file(&manifest_path)?;
    const COLUMNS: [&str; 4] = ["file", "date", "title", "source"];
    let (table, _) = csv_table(manifest_text, &manifest_path, &COLUMNS)?;
    let required = |name: &str| {
        table.column(name).ok_or_else(|| {
            Error::input(
                Location::file(&manifest_path).with_column(name),
                format!("no column \"{name}\" (columns: {})", table.name_list()),
                table.header_hint("the manifest's header must be `file,date,title,source`"),
            )
        })
    };
    let file_col = required("file")?;
    let date_col = required("date")?;
    let title_col = table.column("title");
    let source_col = table.column("source");
    let extra: Vec<usize> = (0..table.names.len())
        .filter(|&i| !COLUMNS.contains(&table.names[i].as_str()))
        .collect();

    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut documents = Documents::default();
    for (row, &line) in table.lines.iter().enumerate() {
        let at = |col: &str| Location::line(&manifest_path, line).with_column(col);
        let file = file_col[row].clone().unwrap_or_default();
        let file = file.trim();
        if file.is_empty() {
            return Err(Error::input(
                at("file"),
                "no file name",
                "name a file of the corpus directory",
            ));
        }
        if let Some(first) = seen.insert(file.to_string(), line) {
            return Err(Error::input(
                at("file"),
                format!("{file} is listed twice (first on line {first})"),
                "keep one line per document",
            ));
        }
        let raw_date = date_col[row].clone().unwrap_or_default();
        let given = if raw_date.trim().is_empty() {
            None
        } else {
            Some(parse_date(&raw_date).ok_or_else(|| {
                Error::input(
                    at("date"),
                    format!("\"{raw_date}\" is not a date"),
                    DATE_HINT,
                )
            })?)
        };
        let path = inside_corpus(dir, &dir_abs, file, at("file"))?;
        let text = read_text_file(&path)?;
        if text.trim().is_empty() {
            if cfg.empty == Empty::Drop {
                empty.push(path.display().to_string());
                continue;
            }
            return Err(Error::input(
                Location::file(&path),
                "the document is empty",
                format!(
                    "add its text, remove it and its line {line} from manifest.csv, or pass \
                     --empty drop to leave empty documents out (they are counted in run.json)"
                ),
            ));
        }
        let fields = Fields {
            id: file.to_string(),
            title: cell(title_col, row),
            source: cell(source_col, row).unwrap_or_default(),
            given,
            origin: path.display().to_string(),
            text,
            extra: table.cells(&extra, row),
        };
        documents.extend(document(fields, cfg, undated));
    }

    // Every document file in the directory must be listed.
    let listed: BTreeSet<&str> = seen.keys().map(String::as_str).collect();
    for name in document_files(dir)? {
        if !listed.contains(name.as_str()) {
            return Err(Error::input(
                Location::file(dir.join(&name)),
                "this document file is not listed in manifest.csv",
                format!(
                    "add a line `{name},YYYY-MM-DD,title,source` to {}",
                    manifest_path.display()
                ),
            ));
        }
    }
    let extra_names = extra.iter().map(|&c| table.names[c].clone()).collect();
    Ok((documents, extra_names))
}

/// The file a manifest names, as a path under `dir`, once it is known to lie inside the corpus
/// folder: a plain relative path (no `..`, no root), whose target, symlinks followed, is inside
/// `dir_abs` (the folder's own resolved path) and is a file. Anything else is refused at `at`,
/// so that a corpus prepared by someone else cannot make a run read the machine's files.
fn inside_corpus(dir: &Path, dir_abs: &Path, file: &str, at: Location) -> Result<PathBuf> {
    use std::path::Component;
    let rel = Path::new(file);
    let plain = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain {
        return Err(Error::input(
            at,
            format!("\"{file}\" is not a path inside the corpus folder"),
            "name files relative to the corpus folder, without `..` or a leading `/`; copy \
             documents from elsewhere into the folder",
        ));
    }
    let path = dir.join(rel);
    let resolved = match std::fs::canonicalize(&path) {
        Ok(p) => p,
        Err(_) => {
            return Err(Error::input(
                at,
                format!("{file} does not exist in {}", dir.display()),
                "fix the file name, or remove the line",
            ))
        }
    };
    if !resolved.starts_with(dir_abs) {
        return Err(Error::input(
            at,
            format!(
                "{file} is a link that leads outside the corpus folder {}",
                dir.display()
            ),
            "copy the document into the corpus folder instead of linking to it",
        ));
    }
    if !resolved.is_file() {
        return Err(Error::input(
            at,
            format!("{file} is not a file"),
            "name a document file (.txt or .md), or remove the line",
        ));
    }
    Ok(path)
}

fn document_files(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io("list", dir, e))? {
        let entry = entry.map_err(|e| Error::io("list", dir, e))?;
        let path = entry.path();
        let is_doc = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        let is_readme = path
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|s| s.eq_ignore_ascii_case("readme"));
        if is_doc && !is_readme && path.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}
