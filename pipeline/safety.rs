//! Where a command may write: one way to resolve a destination, and one check of it against
//! the corpus, for the report's folder (`s7_report::output`) and for the files of counting in
//! shards (a state, a partial) alike.
//!
//! A destination is resolved as the operating system will resolve it when its folders are
//! created ([`resolve`]), so `missing/../corpus/out` and a link into the corpus are seen for
//! what they are. A command never writes into its corpus folder, never into a folder that holds
//! it, and never over a file it did not write; what it writes appears whole or not at all.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Location, Result};

/// `path` made absolute and resolved as the operating system will resolve it when the folders
/// are created: one component at a time, symlinks followed where a part exists, and `..` taken
/// from the path resolved so far (so `missing/../corpus/out` is seen to lie in `corpus`).
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut resolved = PathBuf::new();
    for part in std::path::absolute(path)?.components() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = std::fs::canonicalize(&resolved) {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

/// How a destination meets the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// The destination is the corpus, or lies inside it.
    Inside,
    /// The destination is a folder that holds the corpus.
    Around,
}

/// Whether `dest` lies in the corpus at `corpus` (or, for a folder, around it). A corpus that
/// cannot be opened is an input error that says so.
pub fn clash_with_corpus(corpus: &Path, dest: &Path) -> Result<Option<Clash>> {
    let corpus_abs =
        std::fs::canonicalize(corpus).map_err(|e| Error::corpus_unreadable(corpus, &e))?;
    let dest_abs = resolve(dest).map_err(|e| Error::io("resolve", dest, e))?;
    Ok(if dest_abs.starts_with(&corpus_abs) {
        Some(Clash::Inside)
    } else if corpus_abs.starts_with(&dest_abs) {
        Some(Clash::Around)
    } else {
        None
    })
}

/// Refuses a file destination (a state, a partial) that lies inside the corpus, or that holds
/// a file topictide did not write (`ours` says which files it wrote). Checked before any work,
/// and again when writing.
pub fn check_file(path: &Path, corpus: &Path, ours: impl Fn(&[u8]) -> bool) -> Result<()> {
    let clash = match clash_with_corpus(corpus, path)? {
        Some(Clash::Inside) => "lies inside the corpus folder, which a run never writes into",
        Some(Clash::Around) => "is a folder that holds the corpus",
        None => "",
    };
    if !clash.is_empty() {
        return Err(Error::input(
            Location::file(path),
            clash,
            "write it outside the corpus folder",
        ));
    }
    if path.symlink_metadata().is_ok() {
        let existing = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        if !path.is_file() || path.is_symlink() || !ours(&existing) {
            return Err(Error::input(
                Location::file(path),
                "exists and is not a file topictide wrote, so it is left alone",
                "remove it yourself, or choose another path",
            ));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` whole or not at all (a file beside it, renamed into place), after
/// [`check_file`].
pub fn write_file(
    path: &Path,
    corpus: &Path,
    bytes: &[u8],
    ours: impl Fn(&[u8]) -> bool,
) -> Result<()> {
    check_file(path, corpus, ours)?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    let tmp = parent.join(format!(
        ".{}.part-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io("write", path, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_in_the_corpus_is_refused_however_the_path_reaches_it() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let any = |_: &[u8]| true;
        for path in [
            corpus.join("state.json"),
            dir.path().join("missing/../corpus/state.json"),
            corpus.join("sub/../state.json"),
        ] {
            let e = check_file(&path, &corpus, any).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{e}");
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&corpus, &link).unwrap();
            assert!(check_file(&link.join("state.json"), &corpus, any).is_err());
        }
        write_file(&dir.path().join("state.json"), &corpus, b"{}", any).unwrap();
        assert_eq!(std::fs::read(dir.path().join("state.json")).unwrap(), b"{}");
        // A file topictide did not write stays.
        let theirs = |_: &[u8]| false;
        assert!(write_file(&dir.path().join("state.json"), &corpus, b"x", theirs).is_err());
        assert_eq!(std::fs::read(dir.path().join("state.json")).unwrap(), b"{}");
    }
}
