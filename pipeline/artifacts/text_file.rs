//! A file of the run's own that the corpus's texts are written into as ingest reads them,
//! and read back through a mapping of it, so that the text is never a second time in the heap.
//!
//! The bytes go in with `pwrite`, not through the mapping: a first write into a mapped page of
//! the file faults, and the kernel zeroes the page before letting the write in. That zeroing
//! was most of ingest's CPU on UNGD (84% of the samples in adding its rows). A mapping of a
//! file shows what `pwrite` put there, as both are the file's pages in the page cache.
//!
//! Before, ingest gathered every text in one string (a gigabyte for a 1 GB corpus), and
//! [`super::Corpus::map_texts`] then wrote it to the staging folder and mapped the file: the
//! text took fresh memory twice, once in the heap and once as the file's pages, and was
//! copied between them.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

/// Bytes written one after another into a mapped file that grows as they come.
pub(super) struct TextFile {
    path: PathBuf,
    file: File,
    map: Mmap,
    len: usize,
}

impl TextFile {
    /// A new file at `path` (created, or emptied when it is the run's own from before), with
    /// room for `room` bytes before it first grows.
    pub(super) fn create(path: &Path, room: usize) -> io::Result<TextFile> {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        let map = Self::map(&file, room.max(1 << 16))?;
        Ok(TextFile {
            path: path.to_path_buf(),
            file,
            map,
            len: 0,
        })
    }

    /// `file`, made `size` bytes long with its disk space taken, and mapped. The room is
    /// taken first, so that a full disk is an error here like any other.
    fn map(file: &File, size: usize) -> io::Result<Mmap> {
        allocate(file, size)?;
        // SAFETY: the file is the run's own, just created in its staging folder, and only
        // `push` writes to it, after the bytes the mapping is read at.
        unsafe { Mmap::map(file) }
    }

    /// Adds `bytes` at the end, the file growing (to twice its size, or more) when they do
    /// not fit.
    pub(super) fn push(&mut self, bytes: &[u8]) -> io::Result<()> {
        let end = self.len + bytes.len();
        if end > self.map.len() {
            let size = end.max(2 * self.map.len());
            self.map = Self::map(&self.file, size)?;
        }
        write_at(&self.file, bytes, self.len)?;
        self.len = end;
        Ok(())
    }

    /// The bytes written.
    pub(super) fn bytes(&self) -> &[u8] {
        &self.map[..self.len]
    }

    /// Forgets the bytes after the first `len`.
    pub(super) fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// Whether this is the file at `path`.
    pub(super) fn is_at(&self, path: &Path) -> bool {
        self.path == path
    }

    /// The file, unmapped and cut to the bytes written.
    pub(super) fn finish(self) -> io::Result<File> {
        let TextFile { file, map, len, .. } = self;
        drop(map);
        file.set_len(len as u64)?;
        Ok(file)
    }
}

/// Writes `bytes` into `file` at `offset`.
#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: usize) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.write_all_at(bytes, offset as u64)
}

#[cfg(not(unix))]
fn write_at(mut file: &File, bytes: &[u8], offset: usize) -> io::Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    file.seek(SeekFrom::Start(offset as u64))?;
    file.write_all(bytes)
}

/// Makes `file` `size` bytes long, with disk space for all of them.
#[cfg(unix)]
fn allocate(file: &File, size: usize) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let size = libc::off_t::try_from(size).map_err(io::Error::other)?;
    // SAFETY: the descriptor is `file`'s, open for writing for the whole call.
    match unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, size) } {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(e)),
    }
}

/// Makes `file` `size` bytes long (space is taken as pages are written).
#[cfg(not(unix))]
fn allocate(file: &File, size: usize) -> io::Result<()> {
    file.set_len(size as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_past_the_room_grow_the_file_and_finish_cuts_it_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts");
        let mut f = TextFile::create(&path, 0).unwrap();
        let chunk: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        for _ in 0..5 {
            f.push(&chunk).unwrap();
        }
        assert_eq!(f.bytes().len(), 250_000);
        assert_eq!(&f.bytes()[200_000..], &chunk[..]);
        f.truncate(120_000);
        f.push(b"end").unwrap();
        assert!(f.is_at(&path));
        let file = f.finish().unwrap();
        assert_eq!(file.metadata().unwrap().len(), 120_003);
        let read = std::fs::read(&path).unwrap();
        assert_eq!(&read[100_000..120_000], &chunk[..20_000]);
        assert_eq!(&read[120_000..], b"end");
    }

    /// The room is on disk before a byte is written, so that a full disk is an error from
    /// `create` or `push`, never a fault in a write to the mapping.
    #[cfg(unix)]
    #[test]
    fn room_is_taken_on_disk_before_a_byte_is_written() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts");
        let _file = TextFile::create(&path, 1 << 20).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.len(), 1 << 20);
        assert!(meta.blocks() * 512 >= 1 << 20, "{} blocks", meta.blocks());
    }
}
