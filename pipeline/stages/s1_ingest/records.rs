//! A CSV file read a block of whole records at a time: its bytes are cut after a line break
//! that ends a record, never inside a quoted field, so that each block parses on its own under
//! the header and the file is never held whole.

use std::io::Read;

use crate::error::{Error, Result};

/// The most bytes read at once.
const MAX_READ: usize = 1 << 26;

/// Where a scan of CSV bytes stands: a quote opens a quoted field only at a field's start, and
/// inside one, two quotes are a quote and one ends it (RFC 4180, read as polars reads it: text
/// after a closing quote, or a quote inside an unquoted field, is kept as it is).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Finds where records end, across reads.
#[derive(Debug)]
struct Cutter {
    state: State,
}

impl Cutter {
    fn new() -> Cutter {
        Cutter {
            state: State::FieldStart,
        }
    }

    /// Reads on through `bytes`, from where the last call stopped, and returns the offset just
    /// after the last line break among them that ends a record (the first, with `first`).
    fn scan(&mut self, bytes: &[u8], first: bool) -> Option<usize> {
        let mut end = None;
        for (i, &b) in bytes.iter().enumerate() {
            self.state = match (self.state, b) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') | (State::FieldStart, b'"') => State::Quoted,
                (_, b',') => State::FieldStart,
                (_, b'\n') => {
                    end = Some(i + 1);
                    if first {
                        return end;
                    }
                    State::FieldStart
                }
                _ => State::Unquoted,
            };
        }
        end
    }
}

/// The line each record of `body` starts on, `body` starting on `line`: a blank line is a
/// record too, as polars reads it, and a line break inside quotes starts none.
pub(super) fn record_lines(body: &[u8], line: usize) -> Vec<usize> {
    let mut cutter = Cutter::new();
    let mut out = Vec::new();
    let (mut at, mut line) = (0, line);
    while at < body.len() {
        out.push(line);
        let end = cutter
            .scan(&body[at..], true)
            .map_or(body.len(), |end| at + end);
        line += count_lines(&body[at..end]);
        at = end;
    }
    out
}

/// A block of records, with where it stands in the file.
pub(super) struct Block<'a> {
    /// The header: the file's first record, with its line break.
    pub header: &'a [u8],
    /// The block's records (the first block's follow the header).
    pub body: &'a [u8],
    /// The body's first byte, as an offset into the file.
    pub offset: usize,
    /// The line the body starts on (the first line is 1).
    pub line: usize,
}

/// Reads CSV bytes from `input` and hands `sink` a block of whole records of about
/// `block_size` bytes at a time (a record longer than that is one block); `read_error` says
/// what a failed read means. Only one block is held at a time.
pub(super) fn read_blocks(
    mut input: impl Read,
    read_error: impl Fn(std::io::Error) -> Error,
    block_size: usize,
    mut sink: impl FnMut(Block<'_>) -> Result<()>,
) -> Result<()> {
    let mut cutter = Cutter::new();
    let mut buf: Vec<u8> = Vec::new();
    // Bytes of `buf` scanned, and the end of the last record among them.
    let (mut scanned, mut cut) = (0, None);
    let mut header: Option<Vec<u8>> = None;
    let (mut offset, mut line) = (0, 1);
    let (mut done, mut heard) = (false, false);
    while !done {
        let start = buf.len();
        buf.resize(start + block_size.clamp(1, MAX_READ), 0);
        let n = read_full(&mut input, &mut buf[start..]).map_err(&read_error)?;
        buf.truncate(start + n);
        done = n == 0;
        if header.is_none() {
            // The header is the first record, which may hold quoted line breaks too.
            let end = match (Cutter::new().scan(&buf, true), done) {
                (Some(end), _) => end,
                (None, true) => buf.len(),
                (None, false) => continue,
            };
            line += count_lines(&buf[..end]);
            offset = end;
            header = Some(buf.drain(..end).collect());
        }
        if let Some(end) = cutter.scan(&buf[scanned..], false) {
            cut = Some(scanned + end);
        }
        scanned = buf.len();
        let take = match (cut, done) {
            (_, true) => buf.len(),
            (Some(end), false) if buf.len() >= block_size => end,
            _ => continue,
        };
        let header = header.as_deref().expect("read above");
        // The sink hears of every file once at least, of a header alone too.
        if take > 0 || !heard {
            heard = true;
            sink(Block {
                header,
                body: &buf[..take],
                offset,
                line,
            })?;
        }
        line += count_lines(&buf[..take]);
        offset += take;
        buf.drain(..take);
        scanned -= take;
        cut = cut_after_drain(cut, take);
    }
    Ok(())
}

/// The record end `cut` once the first `drained` bytes are gone.
fn cut_after_drain(cut: Option<usize>, drained: usize) -> Option<usize> {
    cut.and_then(|c| c.checked_sub(drained)).filter(|&c| c > 0)
}

fn count_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Fills `buf` from `input` unless it ends first; how many bytes were read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks of `text` read `block_size` bytes at a time: (body, offset, line).
    fn blocks(text: &str, block_size: usize) -> (String, Vec<(String, usize, usize)>) {
        let mut header = String::new();
        let mut out = Vec::new();
        read_blocks(
            text.as_bytes(),
            |e| Error::Internal(e.to_string()),
            block_size,
            |b| {
                header = String::from_utf8(b.header.to_vec()).unwrap();
                out.push((
                    String::from_utf8(b.body.to_vec()).unwrap(),
                    b.offset,
                    b.line,
                ));
                Ok(())
            },
        )
        .unwrap();
        (header, out)
    }

    #[test]
    fn blocks_end_after_a_record_never_inside_quotes() {
        let text = "id,text\n1,\"a\nb\"\n2,\"say \"\"hi\"\"\nthere\"\n3,5\" screen\n4,end";
        for size in 1..=text.len() + 1 {
            let (header, got) = blocks(text, size);
            assert_eq!(header, "id,text\n");
            // The blocks put back together are the file after its header.
            let body: String = got.iter().map(|b| b.0.as_str()).collect();
            assert_eq!(body, &text[8..], "{size}");
            let (mut offset, mut line) = (8, 2);
            for (b, at, on) in &got {
                assert_eq!((*at, *on), (offset, line), "{size}");
                // Every block but the last ends a record, which no quote leaves open.
                let (records, rest) = b.rsplit_once('\n').unwrap_or(("", b));
                assert!(
                    rest.is_empty() || (at + b.len() == text.len()),
                    "{size}: {b:?}"
                );
                let quotes = records.matches('"').count() - records.matches("5\"").count();
                assert_eq!(quotes % 2, 0, "{size}: {b:?}");
                offset += b.len();
                line += b.matches('\n').count();
            }
        }
        // Large blocks: one for the whole body.
        let (_, got) = blocks(text, 1 << 20);
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn each_record_starts_on_its_line() {
        let body = b"1,\"a\nb\"\n\n2,\"x\"\"\ny\nz\"\n3,c";
        assert_eq!(record_lines(body, 5), [5, 7, 8, 11]);
        assert_eq!(record_lines(b"1,a\n", 2), [2]);
        assert!(record_lines(b"", 2).is_empty());
    }

    #[test]
    fn a_header_alone_or_nothing() {
        assert_eq!(
            blocks("id,text", 4),
            ("id,text".into(), vec![(String::new(), 7, 1)])
        );
        assert_eq!(
            blocks("id,text\n", 4),
            ("id,text\n".into(), vec![(String::new(), 8, 2)])
        );
        assert_eq!(blocks("", 4), (String::new(), vec![(String::new(), 0, 1)]));
    }
}
