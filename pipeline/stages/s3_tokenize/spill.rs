//! Token streams kept off the heap between the passes of tokenize. A stream is written once,
//! batch after batch, then read back a batch at a time by each later pass: from a file of the
//! run's own when the run gives a folder (mapped; the pages a batch read are released after
//! it), else from memory (tests, and callers without a run folder).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;

/// A stream of `u32` being written.
pub(super) struct Spill {
    sink: Sink,
}

enum Sink {
    Memory(Vec<u32>),
    File { path: PathBuf, out: BufWriter<File> },
}

impl Spill {
    /// A stream named `name` in `folder`, or in memory when there is no folder.
    pub(super) fn new(folder: Option<&Path>, name: &str) -> std::io::Result<Spill> {
        let sink = match folder {
            None => Sink::Memory(Vec::new()),
            Some(folder) => {
                let path = folder.join(name);
                let out = BufWriter::with_capacity(1 << 20, File::create(&path)?);
                Sink::File { path, out }
            }
        };
        Ok(Spill { sink })
    }

    pub(super) fn push(&mut self, values: &[u32]) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Memory(v) => v.extend_from_slice(values),
            Sink::File { out, .. } => {
                // SAFETY: any u32 is four initialised bytes; the file is read back as u32 in
                // the same process, so the byte order is the machine's own.
                let bytes = unsafe {
                    std::slice::from_raw_parts(values.as_ptr().cast::<u8>(), values.len() * 4)
                };
                out.write_all(bytes)?;
            }
        }
        Ok(())
    }

    /// The stream written, ready to read.
    pub(super) fn finish(self) -> std::io::Result<Spilled> {
        let repr = match self.sink {
            Sink::Memory(v) => Repr::Memory(v),
            Sink::File { path, out } => {
                let file = out.into_inner().map_err(|e| e.into_error())?;
                drop(file);
                let file = File::open(&path)?;
                if file.metadata()?.len() == 0 {
                    drop(file);
                    std::fs::remove_file(&path)?;
                    Repr::Memory(Vec::new())
                } else {
                    // SAFETY: the file is the run's own, in its staging folder, written above
                    // and never written again; every bit pattern is a valid u32.
                    let map = unsafe { Mmap::map(&file)? };
                    Repr::Mapped { map, path }
                }
            }
        };
        Ok(Spilled { repr })
    }
}

/// A stream written by [`Spill`]. Its file, the run's own, is removed when it is dropped, so
/// that a pass's stream takes disk only while a later pass needs it.
pub(super) struct Spilled {
    repr: Repr,
}

enum Repr {
    Memory(Vec<u32>),
    Mapped { map: Mmap, path: PathBuf },
}

impl Drop for Spilled {
    fn drop(&mut self) {
        if let Repr::Mapped { path, .. } = &self.repr {
            // Best effort: the staging folder, and anything left in it, goes at the run's end.
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Spilled {
    pub(super) fn values(&self) -> &[u32] {
        match &self.repr {
            Repr::Memory(v) => v,
            // SAFETY: a mapping starts on a page boundary, so it is aligned for u32, and the
            // file holds whole u32s (written by `Spill::push`).
            Repr::Mapped { map: m, .. } => unsafe {
                std::slice::from_raw_parts(m.as_ptr().cast::<u32>(), m.len() / 4)
            },
        }
    }

    /// Lets the kernel drop the pages read so far; later reads bring back what they touch.
    pub(super) fn release(&self) {
        if let Repr::Mapped { map: m, .. } = &self.repr {
            // SAFETY: the mapping is read-only and its file unchanged, so dropped pages are
            // read back with the same bytes.
            let _ = unsafe { m.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }
}

/// The passages of one batch, cut out of a stream by their lengths: chunks of `chunk`
/// passages, each a list of the passages' values.
pub(super) fn chunked<'a, T>(values: &'a [T], lens: &[u32], chunk: usize) -> Vec<Vec<&'a [T]>> {
    let mut at = 0;
    lens.chunks(chunk)
        .map(|c| {
            c.iter()
                .map(|&n| {
                    let s = &values[at..at + n as usize];
                    at += n as usize;
                    s
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_reads_back_what_memory_does() {
        let dir = tempfile::tempdir().unwrap();
        for folder in [None, Some(dir.path())] {
            let mut s = Spill::new(folder, "s").unwrap();
            s.push(&[1, 2, 3]).unwrap();
            s.push(&[]).unwrap();
            s.push(&[u32::MAX]).unwrap();
            let read = s.finish().unwrap();
            assert_eq!(read.values(), &[1, 2, 3, u32::MAX]);
            read.release();
            assert_eq!(read.values(), &[1, 2, 3, u32::MAX]);
        }
        let empty = Spill::new(Some(dir.path()), "e").unwrap().finish().unwrap();
        assert!(empty.values().is_empty());
        assert!(
            !dir.path().join("e").exists(),
            "an empty stream leaves no file"
        );
    }

    #[test]
    fn a_stream_file_goes_when_the_stream_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Spill::new(Some(dir.path()), "s").unwrap();
        s.push(&[7]).unwrap();
        let read = s.finish().unwrap();
        assert!(dir.path().join("s").exists());
        drop(read);
        assert!(!dir.path().join("s").exists());
    }

    #[test]
    fn batches_cut_by_lengths() {
        let v = [1, 2, 3, 4, 5, 6];
        let c = chunked(&v, &[2, 0, 3, 1], 3);
        assert_eq!(c, vec![vec![&v[0..2], &v[2..2], &v[2..5]], vec![&v[5..6]]]);
    }
}
