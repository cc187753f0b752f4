//! The order the inputs are read in. The shell lists a rotated set newest
//! first (`server.log`, `server.log.1`, `server.log.2.gz`), but a session that
//! spans two files must be read in the order it was written: the inputs are
//! put in order by the first timestamp each holds, or, when some hold none,
//! by their rotation numbers (highest, the oldest, first). Knows file names
//! and the time of a file's first record; nothing of messages.

use std::io::BufRead;

use super::{clock, input, record};

/// How much of a file is read to find its first timestamp.
const FIRST_TIME_BYTES: usize = 1024 * 1024;

/// Why the inputs were put in another order than given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum By {
    FirstTimestamp,
    RotationNumber,
}

/// The inputs in the order to read them, and why, when it is not the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ordered {
    pub files: Vec<String>,
    pub changed: Option<By>,
}

/// The inputs in log order. Stdin (`-`) cannot be looked into: with it, the
/// order given is kept; so it is for inputs that cannot be opened (they are
/// reported when read).
pub(crate) fn inputs(files: &[String]) -> Ordered {
    let given = Ordered {
        files: files.to_vec(),
        changed: None,
    };
    if files.len() < 2 || files.iter().any(|file| file == "-") {
        return given;
    }
    let times: Option<Vec<i64>> = files.iter().map(|file| first_time(file)).collect();
    let (mut keyed, by): (Vec<(i64, &String)>, By) = match times {
        Some(times) => (times.into_iter().zip(files).collect(), By::FirstTimestamp),
        None => match files
            .iter()
            .map(|f| rotation_number(f))
            .collect::<Option<Vec<u64>>>()
        {
            // Highest first: the oldest.
            Some(numbers) => (
                numbers
                    .into_iter()
                    .map(|n| -i64::try_from(n).unwrap_or(i64::MAX))
                    .zip(files)
                    .collect(),
                By::RotationNumber,
            ),
            None => return given,
        },
    };
    keyed.sort_by_key(|(key, _)| *key);
    let ordered: Vec<String> = keyed.into_iter().map(|(_, file)| file.clone()).collect();
    Ordered {
        changed: (ordered != files).then_some(by),
        files: ordered,
    }
}

/// The log time of the first record in the first MiB of a file (gzip read
/// through); `None` when there is none or the file cannot be read.
fn first_time(path: &str) -> Option<i64> {
    let mut reader = std::io::Read::take(input::open(path).ok()?.reader, FIRST_TIME_BYTES as u64);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).ok()? == 0 {
            return None;
        }
        if let Some(time) = record::record_time(&line).and_then(|time| clock::millis_of(&time)) {
            return Some(time);
        }
    }
}

/// A rotated file's number: `server.log.2` and `server.log.2.gz` are 2,
/// `server.log` 0 (the newest); `None` when a name is neither.
fn rotation_number(path: &str) -> Option<u64> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let name = [".gz", ".bz2", ".xz", ".zst"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name);
    match name.rsplit_once('.') {
        Some((_, number)) if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
            number.parse().ok()
        }
        Some(_) => Some(0),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_numbers_are_read_from_names() {
        assert_eq!(rotation_number("logs/server.log"), Some(0));
        assert_eq!(rotation_number("logs/server.log.1"), Some(1));
        assert_eq!(rotation_number("server.log.12.gz"), Some(12));
        assert_eq!(rotation_number("server"), None);
    }

    #[test]
    fn a_rotated_set_is_read_oldest_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            path.to_str().expect("UTF-8").to_owned()
        };
        // By the first timestamp, whatever the names.
        let newest = write("a.log", "x\n2010-06-28 13:50:00,000 INFO b\n");
        let oldest = write("a.log.1", "2010-06-28 13:48:00,000 INFO a\n");
        let ordered = inputs(&[newest.clone(), oldest.clone()]);
        assert_eq!(ordered.files, [oldest.clone(), newest.clone()]);
        assert_eq!(ordered.changed, Some(By::FirstTimestamp));
        // Already in order: unchanged.
        let ordered = inputs(&[oldest.clone(), newest.clone()]);
        assert_eq!(ordered.changed, None);
        // Without timestamps: by rotation number.
        let plain = write("b.log", "<SyncML/>\n");
        let older = write("b.log.2", "<SyncML/>\n");
        let old = write("b.log.1", "<SyncML/>\n");
        let ordered = inputs(&[plain.clone(), old.clone(), older.clone()]);
        assert_eq!(ordered.files, [older, old, plain.clone()]);
        assert_eq!(ordered.changed, Some(By::RotationNumber));
        // Stdin keeps the order given.
        let given = vec![newest, "-".to_owned(), plain];
        assert_eq!(inputs(&given).files, given);
    }
}
