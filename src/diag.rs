//! Diagnostics on stderr: notes for `-v` and warnings that do not stop the work.
//! Data never goes here; stdout is `output`'s.

use std::io::Write;

/// Writes one line to stderr, prefixed `dmtool: `. A failing stderr is ignored:
/// there is nowhere left to report it.
pub fn note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "dmtool: {message}");
}
