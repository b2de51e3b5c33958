//! Bytes as text: a file is refused as binary from its first bytes, before it is read whole,
//! and text that is not UTF-8 is placed at its line and byte.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Location, Result};

/// How many of a file's first bytes are looked at to tell text from binary.
const SNIFF_BYTES: usize = 8192;

/// What the first bytes of a file say it is, when they say it is not text.
fn binary_kind(head: &[u8]) -> Option<&'static str> {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some("gzip-compressed data");
    }
    if head.starts_with(b"%PDF-") {
        return Some("a PDF file");
    }
    if head.starts_with(b"PK\x03\x04") {
        return Some("a ZIP archive (a .docx, .xlsx or .zip file)");
    }
    if head.contains(&0) {
        return Some("binary data (NUL bytes)");
    }
    // Control characters other than tab, line breaks, form feed and escape are rare in text;
    // in a binary file they are everywhere.
    let controls = head
        .iter()
        .filter(|&&b| {
            (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1b)) || b == 0x7f
        })
        .count();
    (controls * 20 > head.len().max(1)).then_some("binary data (control bytes, not text)")
}

/// Refuses `head`, the first bytes of `path`, if they are not text.
pub(super) fn refuse_binary(head: &[u8], path: &Path) -> Result<()> {
    match binary_kind(head) {
        None => Ok(()),
        Some(kind) => Err(Error::input(
            Location::file(path),
            format!("the file holds {kind}, not text"),
            if kind.starts_with("gzip") {
                "name a gzip-compressed table with a .gz ending (corpus.jsonl.gz), or decompress it"
            } else {
                "give text saved as UTF-8; convert PDF or Word documents to .txt first, or leave \
                 the file out"
            },
        )),
    }
}

/// A document file read as UTF-8 text; its first bytes are looked at before the rest is read,
/// so that a binary file is refused before it is held in memory.
pub(super) fn read_text_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let mut bytes = Vec::with_capacity(SNIFF_BYTES);
    (&mut file)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    refuse_binary(&bytes, path)?;
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    utf8(bytes, path)
}

/// Decodes UTF-8, or names the line and byte of the first invalid sequence.
pub(super) fn utf8(bytes: Vec<u8>, path: &Path) -> Result<String> {
    String::from_utf8(bytes)
        .map_err(|e| invalid(e.as_bytes(), e.utf8_error().valid_up_to(), path, (0, 1)))
}

/// [`utf8`] for `bytes` that start at byte `offset` of the file, on `line`.
pub(super) fn utf8_at<'a>(
    bytes: &'a [u8],
    path: &Path,
    (offset, line): (usize, usize),
) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| invalid(bytes, e.valid_up_to(), path, (offset, line)))
}

/// The error for `bytes`, which start at `offset` on `line`, invalid from `bad` on.
fn invalid(bytes: &[u8], bad: usize, path: &Path, (offset, line): (usize, usize)) -> Error {
    let lines = bytes[..bad].iter().filter(|&&b| b == b'\n').count();
    not_utf8(path, line + lines, offset + bad, bytes[bad])
}

/// The error for an invalid UTF-8 sequence at byte `at` of the file (on `line`), which is
/// `byte`.
pub(super) fn not_utf8(path: &Path, line: usize, at: usize, byte: u8) -> Error {
    Error::input(
        Location::line(path, line),
        format!("not valid UTF-8 (byte {at} is 0x{byte:02x})"),
        "convert the file to UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in > out`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_any_script_is_text_and_binary_is_named() {
        for text in [
            &b"plain text\twith a tab\r\n"[..],
            "caf\u{e9} \u{4e2d}\u{6587} \u{1f600}\x0c\n".as_bytes(),
            b"",
        ] {
            assert_eq!(binary_kind(text), None, "{text:?}");
        }
        assert_eq!(binary_kind(&[0; 100]), Some("binary data (NUL bytes)"));
        assert!(binary_kind(b"%PDF-1.4\n").unwrap().contains("PDF"));
        assert!(binary_kind(b"PK\x03\x04\x14").unwrap().contains("ZIP"));
        assert!(binary_kind(&[0x1f, 0x8b, 8, 0]).unwrap().contains("gzip"));
        let mut mostly_controls = b"ab".repeat(10);
        mostly_controls.extend([1, 2, 3, 4, 5, 6]);
        assert!(binary_kind(&mostly_controls).is_some());
        // A stray control byte in a page of text is not binary.
        let mut text = b"word ".repeat(200);
        text.push(0x1a);
        assert_eq!(binary_kind(&text), None);
    }
}
