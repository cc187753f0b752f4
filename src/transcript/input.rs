//! Opening the inputs of `dmtool log`: files, `-` for stdin, gzip-compressed
//! files (by content, whatever their name) as one stream, and text in UTF-16
//! (by its byte-order mark: what Windows tools write) as UTF-8.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};
use flate2::read::MultiGzDecoder;

/// One input: its name for messages and a buffered reader over its text.
pub(crate) struct Input {
    pub name: String,
    pub reader: Box<dyn BufRead + Send>,
    /// Bytes of the file read so far (before decompression), for progress.
    pub read: Arc<AtomicU64>,
    /// The file's size, when it is a file.
    pub size: Option<u64>,
}

/// Counts the bytes that pass.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a file, or stdin for `-`; gzip is recognised by its magic bytes.
pub(crate) fn open(path: &str) -> Result<Input> {
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
        (Box::new(io::stdin()), None)
    } else {
        let file = File::open(Path::new(path)).with_context(|| format!("cannot open {path}"))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    let read = Arc::new(AtomicU64::new(0));
    let counting = Counting {
        inner: raw,
        read: Arc::clone(&read),
    };
    let mut buffered = BufReader::with_capacity(256 * 1024, counting);
    let gzip = buffered
        .fill_buf()
        .with_context(|| format!("cannot read {path}"))?
        .starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> = if gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
    let start = reader
        .fill_buf()
        .with_context(|| format!("cannot read {path}"))?;
    if let Some(order) = Utf16Order::of(start) {
        reader.consume(2);
        reader = Box::new(BufReader::with_capacity(
            256 * 1024,
            Utf16::new(reader, order),
        ));
    }
    Ok(Input {
        name: if path == "-" {
            "<stdin>".to_owned()
        } else {
            path.to_owned()
        },
        reader,
        read,
        size,
    })
}

/// The byte order of UTF-16 text, told by its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16Order {
    Little,
    Big,
}

impl Utf16Order {
    fn of(start: &[u8]) -> Option<Self> {
        match start {
            [0xff, 0xfe, ..] => Some(Utf16Order::Little),
            [0xfe, 0xff, ..] => Some(Utf16Order::Big),
            _ => None,
        }
    }

    /// A code unit of two bytes in this order.
    fn unit(self, pair: [u8; 2]) -> u16 {
        match self {
            Utf16Order::Little => u16::from_le_bytes(pair),
            Utf16Order::Big => u16::from_be_bytes(pair),
        }
    }
}

/// UTF-16 text read as UTF-8; what is not UTF-16 (a lone surrogate, an odd
/// byte at the end) becomes U+FFFD.
struct Utf16<R> {
    inner: R,
    order: Utf16Order,
    /// UTF-8 decoded and not yet read, from `at`.
    decoded: Vec<u8>,
    at: usize,
    /// A high surrogate, or a unit's first byte, the last read ended with.
    high: Option<u16>,
    odd: Option<u8>,
}

impl<R: BufRead> Utf16<R> {
    fn new(inner: R, order: Utf16Order) -> Self {
        Self {
            inner,
            order,
            decoded: Vec::new(),
            at: 0,
            high: None,
            odd: None,
        }
    }

    /// Decodes what the inner reader has next; false at its end.
    fn refill(&mut self) -> io::Result<bool> {
        self.decoded.clear();
        self.at = 0;
        let order = self.order;
        let bytes = self.inner.fill_buf()?;
        if bytes.is_empty() {
            if self.high.take().is_some() || self.odd.take().is_some() {
                self.decoded.extend_from_slice("\u{fffd}".as_bytes());
                return Ok(true);
            }
            return Ok(false);
        }
        let mut units = Vec::with_capacity(bytes.len() / 2 + 1);
        let mut rest = bytes;
        if let Some(first) = self.odd.take() {
            units.push(order.unit([first, rest[0]]));
            rest = &rest[1..];
        }
        let mut pairs = rest.chunks_exact(2);
        units.extend(pairs.by_ref().map(|pair| order.unit([pair[0], pair[1]])));
        self.odd = pairs.remainder().first().copied();
        let taken = bytes.len();
        self.inner.consume(taken);
        let mut units = self.high.take().into_iter().chain(units).peekable();
        let mut all: Vec<u16> = Vec::new();
        while let Some(unit) = units.next() {
            // A high surrogate at the end waits for its low half.
            if (0xd800..0xdc00).contains(&unit) && units.peek().is_none() {
                self.high = Some(unit);
                break;
            }
            all.push(unit);
        }
        for decoded in char::decode_utf16(all) {
            let c = decoded.unwrap_or(char::REPLACEMENT_CHARACTER);
            let mut buffer = [0; 4];
            self.decoded
                .extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        }
        Ok(true)
    }
}

impl<R: BufRead> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.decoded.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let available = &self.decoded[self.at..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], order: Utf16Order, chunk: usize) -> String {
        let inner = BufReader::with_capacity(chunk, bytes);
        let mut text = String::new();
        Utf16::new(inner, order)
            .read_to_string(&mut text)
            .expect("reads");
        text
    }

    #[test]
    fn utf16_in_either_order_reads_as_utf8_whatever_the_reads_split() {
        let text = "2010-06-28 Received: <SyncML>M\u{fc}nchen \u{1f600}</SyncML>\n";
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        // Reads of one, two, three bytes… split units and surrogate pairs.
        for chunk in 1..=9 {
            assert_eq!(decoded(&little, Utf16Order::Little, chunk), text);
            assert_eq!(decoded(&big, Utf16Order::Big, chunk), text);
        }
        // A lone surrogate and an odd byte at the end are U+FFFD.
        assert_eq!(
            decoded(
                &[0x41, 0x00, 0x00, 0xd8, 0x42, 0x00, 0x43],
                Utf16Order::Little,
                4
            ),
            "A\u{fffd}B\u{fffd}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_what_tells_utf16() {
        assert_eq!(
            Utf16Order::of(&[0xff, 0xfe, 0x3c, 0x00]),
            Some(Utf16Order::Little)
        );
        assert_eq!(
            Utf16Order::of(&[0xfe, 0xff, 0x00, 0x3c]),
            Some(Utf16Order::Big)
        );
        assert_eq!(Utf16Order::of(b"<SyncML>"), None);
    }
}
