//! For tests: every SyncML message of the project's fixtures and, when it is
//! there, of the public corpus beside the project (`../shared/corpus`); and
//! the pseudo-random numbers the generated inputs are made with.

use std::path::{Path, PathBuf};

use crate::transcript::finder::{Event, Finder};

/// Each message as found (`file:line`, text).
pub(crate) fn messages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("testdata/dme-server.log"),
        root.join("testdata/findings.xml"),
    ];
    files.extend(files_under(&root.join("../shared/corpus")));
    let mut messages = Vec::new();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let place = path.display().to_string();
        for event in Finder::unparsed(&bytes[..], &place) {
            if let Event::Unparsed(text) = event {
                messages.push((format!("{place}:{}", text.line), text.text));
            }
        }
    }
    messages
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// A xorshift64 generator from `seed` (not zero): the same numbers every
/// run, so a failing generated input can be made again.
pub(crate) fn random(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
