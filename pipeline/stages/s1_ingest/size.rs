//! Whether a corpus can be held: a run holds its text in memory while it reads it, so a table
//! is sized before it is read, from its file size and, when gzipped, the compression ratio of
//! its first megabytes. One that cannot fit is refused before any work, with the way to count
//! it in pieces.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Location, Result};

/// Bytes of a gzipped table decompressed to measure its ratio.
const SAMPLE_BYTES: u64 = 16 << 20;

/// How many times its text a run holds at its peak while reading a corpus (ARCHITECTURE.md:
/// 5 GB of text peaked at 7.2 GiB; a gigabyte of books at 1.45 GiB in tokenize).
const HELD_PER_TEXT_BYTE: f64 = 1.5;

/// The text bytes of the table at `path`: its size, or for a `.gz` file its size times the
/// ratio of a first sample (exact when the sample is the whole file).
pub(super) fn estimate_text_bytes(path: &Path, gz: bool) -> Result<u64> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io("read", path, e))?
        .len();
    if !gz {
        return Ok(size);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    let mut counted = CountingReader {
        inner: file,
        bytes: 0,
    };
    let mut decoder = flate2::read::MultiGzDecoder::new(&mut counted);
    let mut sink = [0u8; 64 << 10];
    let mut out = 0u64;
    while out < SAMPLE_BYTES {
        match decoder.read(&mut sink) {
            Ok(0) => return Ok(out),
            Ok(n) => out += n as u64,
            // A damaged stream is for the reader to report, where it stands.
            Err(_) => return Ok(out),
        }
    }
    drop(decoder);
    let read = counted.bytes.max(1);
    Ok((out as f64 / read as f64 * size as f64) as u64)
}

struct CountingReader<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Refuses a corpus of `text` bytes (about) that a run could not hold in `available` bytes.
pub(super) fn refuse_unless_it_fits(path: &Path, text: u64, available: Option<u64>) -> Result<()> {
    let Some(available) = available else {
        return Ok(());
    };
    let needed = text as f64 * HELD_PER_TEXT_BYTE;
    if needed <= available as f64 {
        return Ok(());
    }
    let gb = |b: f64| b / 1e9;
    Err(Error::input(
        Location::file(path),
        format!(
            "the corpus is about {:.1} GB of text, and a run holds about {:.1} GB while reading \
             it; this machine has {:.1} GB free",
            gb(text as f64),
            gb(needed),
            gb(available as f64)
        ),
        "count it in shards (`topictide learn`, then `count` for each shard and `merge`), or \
         on Spark (topictide.spark.run); or split the file and run each part",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_gzipped_table_is_sized_from_its_first_megabytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl.gz");
        let line = b"{\"id\": 1, \"year\": 2020, \"text\": \"the same words again and again\"}\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        // 64 MB of text: four times the sample.
        let lines = (64 << 20) / line.len();
        for _ in 0..lines {
            gz.write_all(line).unwrap();
        }
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let text = (lines * line.len()) as f64;
        let estimate = estimate_text_bytes(&path, true).unwrap() as f64;
        assert!(
            (estimate / text - 1.0).abs() < 0.05,
            "{estimate} for {text}"
        );
        // A small file is measured whole.
        let small = dir.path().join("s.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(line).unwrap();
        std::fs::write(&small, gz.finish().unwrap()).unwrap();
        assert_eq!(
            estimate_text_bytes(&small, true).unwrap(),
            line.len() as u64
        );

        let e = refuse_unless_it_fits(&path, 30_000_000_000, Some(12 << 30)).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        let e = e.to_string();
        assert!(
            e.contains("about 30.0 GB of text") && e.contains("12.9 GB free"),
            "{e}"
        );
        assert!(e.contains("topictide learn") && e.contains("Spark"), "{e}");
        assert!(refuse_unless_it_fits(&path, 1 << 30, Some(12 << 30)).is_ok());
        assert!(refuse_unless_it_fits(&path, u64::MAX, None).is_ok());
    }
}
