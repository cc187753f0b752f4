//! Binary inputs named on the command line (`dmtool wbxml decode`, `dmtool
//! notification`): a file, `-` for stdin, or hex text. Inputs are small (one
//! message or package), so they are read whole, up to a limit.

use anyhow::{Context, Result};

use crate::syncml::hex;
use crate::transcript::embedded;

/// The bytes of a file, or of stdin for `-`, up to the limit of WBXML files
/// (far above any WBXML message or package 0).
pub(crate) fn read(path: &str) -> Result<Vec<u8>> {
    let read = if path == "-" {
        embedded::read_whole(std::io::stdin().lock()).context("cannot read stdin")?
    } else {
        let file = std::fs::File::open(path).with_context(|| format!("cannot open {path}"))?;
        embedded::read_whole(file).with_context(|| format!("cannot read {path}"))?
    };
    read.with_context(|| {
        format!(
            "{} is larger than {} MiB: not one message",
            shown(path),
            embedded::MAX_FILE >> 20
        )
    })
}

/// Hex text to bytes; the error names the input and the offending character.
pub(crate) fn from_hex(text: &[u8], what: &str) -> Result<Vec<u8>> {
    let text = std::str::from_utf8(text)
        .map_err(|_| anyhow::anyhow!("{what} is not hex text (it is not even UTF-8)"))?;
    hex::decode(text).map_err(|error| anyhow::anyhow!("{what} is not hex: {error}"))
}

/// How an input is named in messages.
pub(crate) fn shown(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}
