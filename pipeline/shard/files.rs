//! Writing a state or a partial: never inside the corpus, never over a file topictide did not
//! write, and whole or not at all.

use std::path::Path;

use crate::error::{Error, Location, Result};

/// The folder a file is in (`.` for a bare name).
fn folder_of(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// Refuses a destination for a state or partial that lies inside the corpus folder, or that
/// holds a file topictide did not write (`ours` says which files it wrote). Checked before any
/// work, and again when writing.
pub fn check_destination(path: &Path, corpus: &Path, ours: impl Fn(&[u8]) -> bool) -> Result<()> {
    let parent = folder_of(path);
    if let (Ok(dir), Ok(c), true) = (
        parent.canonicalize(),
        corpus.canonicalize(),
        corpus.is_dir(),
    ) {
        if dir.starts_with(&c) {
            return Err(Error::input(
                Location::file(path),
                "lies inside the corpus folder, which a run never writes into",
                "write it outside the corpus folder",
            ));
        }
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
/// [`check_destination`].
pub fn write_file(
    path: &Path,
    corpus: &Path,
    bytes: &[u8],
    ours: impl Fn(&[u8]) -> bool,
) -> Result<()> {
    check_destination(path, corpus, ours)?;
    let parent = folder_of(path);
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
