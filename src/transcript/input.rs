//! Opening the inputs of `dmtool log`: files, `-` for stdin, gzip-compressed
//! files (by content, whatever their name) as one stream.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};
use flate2::read::MultiGzDecoder;

/// One input: its name for messages and a buffered reader over its text.
pub struct Input {
    pub name: String,
    pub reader: Box<dyn BufRead>,
}

/// Opens a file, or stdin for `-`; gzip is recognised by its magic bytes.
pub fn open(path: &str) -> Result<Input> {
    let raw: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(Path::new(path)).with_context(|| format!("cannot open {path}"))?)
    };
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let gzip = buffered
        .fill_buf()
        .with_context(|| format!("cannot read {path}"))?
        .starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn BufRead> = if gzip {
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
    })
}
