//! Reading user input: a reader that checks UTF-8 as bytes stream through it and reports the
//! exact byte offset, line and column of the first invalid byte.
//!
//! Every reader of user files in the library (CSV, JSON Lines, plain-text articles) goes through
//! [`Utf8Reader`], so "not UTF-8" errors always say where.

use std::io::{self, Read};

use crate::error::{Error, Position, Source};

/// Where the first invalid byte was, carried inside an `io::Error` of kind `InvalidData`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf8Failure {
    /// Position of the first invalid byte.
    pub pos: Position,
}

impl std::fmt::Display for Utf8Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid UTF-8 at {}", self.pos)
    }
}

impl std::error::Error for Utf8Failure {}

/// Wraps a reader; fails with a [`Utf8Failure`] at the first byte that is not valid UTF-8.
///
/// The valid bytes before the invalid one are all handed out first (a read that meets an
/// invalid byte returns the valid part; the next read fails), so a streaming reader on top
/// processes every record before the bad byte.
#[derive(Debug)]
pub struct Utf8Reader<R> {
    inner: R,
    /// Bytes of an incomplete sequence carried over from the previous read (at most 3).
    pending: Vec<u8>,
    offset: u64,
    line: u64,
    column: u64,
    failed: bool,
    /// An invalid byte found after valid bytes that were returned first.
    deferred: Option<Position>,
}

impl<R: Read> Utf8Reader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        Utf8Reader {
            inner,
            pending: Vec::new(),
            offset: 0,
            line: 1,
            column: 1,
            failed: false,
            deferred: None,
        }
    }

    fn position(&self) -> Position {
        Position {
            line: self.line,
            column: Some(self.column),
            byte: Some(self.offset),
        }
    }

    fn fail_at(&mut self, pos: Position) -> io::Error {
        self.failed = true;
        io::Error::new(io::ErrorKind::InvalidData, Utf8Failure { pos })
    }

    fn fail(&mut self) -> io::Error {
        let pos = self.position();
        self.fail_at(pos)
    }

    /// Advances line/column/offset over valid text.
    fn advance(&mut self, valid: &[u8]) {
        for &b in valid {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
        self.offset += valid.len() as u64;
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(pos) = self.deferred.take() {
            return Err(self.fail_at(pos));
        }
        if self.failed {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "invalid UTF-8"));
        }
        let n = self.inner.read(buf)?;
        let data = buf.get(..n).unwrap_or(&[]);
        if n == 0 {
            if !self.pending.is_empty() {
                return Err(self.fail());
            }
            return Ok(0);
        }
        // Complete a sequence left incomplete by the previous read.
        let mut i = 0;
        if let Some(&first) = self.pending.first() {
            let need = utf8_len(first);
            while self.pending.len() < need {
                let Some(&b) = data.get(i) else { break };
                self.pending.push(b);
                i += 1;
            }
            if self.pending.len() < need {
                return Ok(n);
            }
            if need == 0 || std::str::from_utf8(&self.pending).is_err() {
                return Err(self.fail());
            }
            let done = std::mem::take(&mut self.pending);
            self.advance(&done);
        }
        let rest = data.get(i..).unwrap_or(&[]);
        match std::str::from_utf8(rest) {
            Ok(_) => self.advance(rest),
            Err(e) => {
                let valid = e.valid_up_to();
                self.advance(rest.get(..valid).unwrap_or(&[]));
                if e.error_len().is_some() {
                    if i + valid == 0 {
                        return Err(self.fail());
                    }
                    // Hand out the valid bytes first; fail on the next read.
                    self.deferred = Some(self.position());
                    return Ok(i + valid);
                }
                self.pending
                    .extend_from_slice(rest.get(valid..).unwrap_or(&[]));
            }
        }
        Ok(n)
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 0,
    }
}

/// The largest text geostance reads as one piece: an article, a JSON Lines record, or the
/// text of a CSV row (64 MiB). Larger input is [`Error::Limit`], not an attempt to hold it
/// all in memory.
pub const MAX_TEXT_BYTES: usize = 64 << 20;

/// A text larger than its limit, carried inside an `io::Error` by [`LimitReader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    /// The limit in bytes.
    pub limit: usize,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", limit_message(self.limit))
    }
}

impl std::error::Error for TooLong {}

/// The message of a text over `limit` bytes.
pub fn limit_message(limit: usize) -> String {
    format!(
        "the text is larger than {}, the limit for one article or record (split it into smaller pieces)",
        human_bytes(limit)
    )
}

fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// Wraps a reader; fails with a [`TooLong`] error instead of returning more than `limit` bytes.
/// Nothing past the limit (plus one read) is read.
#[derive(Debug)]
pub struct LimitReader<R> {
    inner: R,
    left: usize,
    limit: usize,
}

impl<R: Read> LimitReader<R> {
    /// Wraps `inner`, allowing `limit` bytes.
    pub fn new(inner: R, limit: usize) -> Self {
        LimitReader {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for LimitReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // Only an error if there is more.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    TooLong { limit: self.limit },
                )),
            };
        }
        let want = buf.len().min(self.left);
        let n = self.inner.read(buf.get_mut(..want).unwrap_or(&mut []))?;
        self.left -= n;
        Ok(n)
    }
}

/// Turns an I/O error from a [`Utf8Reader`] or [`LimitReader`] into [`Error::Utf8`] with its
/// position or [`Error::Limit`], or [`Error::Io`] otherwise.
pub fn io_error(source: &Source, e: io::Error) -> Error {
    if let Some(f) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Utf8Failure>())
    {
        return Error::Utf8 {
            source_name: source.clone(),
            pos: f.pos,
        };
    }
    if let Some(t) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<TooLong>())
    {
        return Error::Limit {
            source_name: source.clone(),
            what: limit_message(t.limit),
        };
    }
    Error::io(source.clone(), e)
}

/// Reads all of `reader` as UTF-8 text.
///
/// # Errors
/// [`Error::Utf8`] with the position of the first invalid byte, or [`Error::Io`].
pub fn read_to_string(reader: impl Read, source: &Source) -> Result<String, Error> {
    let mut s = String::new();
    Utf8Reader::new(reader)
        .read_to_string(&mut s)
        .map_err(|e| io_error(source, e))?;
    Ok(s)
}

/// Reads all of `reader` as UTF-8 text of at most `limit` bytes (use [`MAX_TEXT_BYTES`]),
/// without reading (or holding) more than that.
///
/// # Errors
/// [`Error::Limit`] when the input is longer, otherwise as [`read_to_string`].
pub fn read_to_string_limited(
    reader: impl Read,
    source: &Source,
    limit: usize,
) -> Result<String, Error> {
    read_to_string(LimitReader::new(reader, limit), source)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads in tiny pieces to exercise sequences split across reads.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn check(bytes: &[u8], piece: usize) -> Result<String, Error> {
        read_to_string(Trickle(bytes, piece), &Source::Memory)
    }

    #[test]
    fn valid_text_passes_in_any_piece_size() {
        let s = "Kyiv – Київ 日本 🇯🇵\nline two";
        for piece in 1..8 {
            assert_eq!(check(s.as_bytes(), piece).unwrap(), s);
        }
    }

    #[test]
    fn invalid_byte_is_located() {
        let mut b = b"ok\nab".to_vec();
        b.push(0xff);
        b.extend_from_slice(b"cd");
        for piece in [1, 2, 3, 100] {
            match check(&b, piece) {
                Err(Error::Utf8 { pos, .. }) => {
                    assert_eq!(pos.line, 2);
                    assert_eq!(pos.column, Some(3));
                    assert_eq!(pos.byte, Some(5));
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn valid_bytes_before_an_invalid_one_are_handed_out_first() {
        let mut b = b"line one\nline two\n".to_vec();
        b.push(0xff);
        let mut r = Utf8Reader::new(&b[..]);
        let mut buf = [0u8; 64];
        assert_eq!(r.read(&mut buf).unwrap(), 18);
        let e = r.read(&mut buf).unwrap_err();
        match io_error(&Source::Memory, e) {
            Error::Utf8 { pos, .. } => assert_eq!((pos.line, pos.byte), (3, Some(18))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limit_is_an_error_only_past_it() {
        let s = "0123456789";
        assert_eq!(
            read_to_string_limited(s.as_bytes(), &Source::Memory, 10).unwrap(),
            s
        );
        let e = read_to_string_limited(s.as_bytes(), &Source::Memory, 9).unwrap_err();
        assert!(matches!(e, Error::Limit { .. }), "{e:?}");
        assert!(e.to_string().contains("9 bytes"), "{e}");
        // A limit that cuts a character is still a limit error, not a UTF-8 error.
        let e = read_to_string_limited("ééé".as_bytes(), &Source::Memory, 3).unwrap_err();
        assert!(matches!(e, Error::Limit { .. }), "{e:?}");
        assert!(limit_message(MAX_TEXT_BYTES).contains("64 MiB"));
    }

    #[test]
    fn truncated_sequence_at_end_is_invalid() {
        let b = "é".as_bytes();
        assert!(check(&b[..1], 1).is_err());
        assert!(check(&b[..1], 10).is_err());
    }
}
