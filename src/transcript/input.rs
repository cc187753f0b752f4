//! Opening the inputs of `dmtool log`: files, `-` for stdin, gzip-compressed
//! files (by content, whatever their name) as one stream.

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
    let reader: Box<dyn BufRead + Send> = if gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
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
