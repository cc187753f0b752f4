//! The server's own records that name a phone: lines such as "Sent OMA
//! bootstrap to 30116718" or "Sending notification to 30116718:" are not
//! SyncML, so the finder passes them by; this reads the inputs once more for
//! lines holding one of the given names (a phone number, an IMEI) and a
//! wording of the table below. Knows log lines and record times; nothing of
//! devices or jobs.

use std::io::Read;

use memchr::memmem;
use serde::Serialize;

use super::record::record_time;

/// What a server record says it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Deed {
    /// Sent the bootstrap (OMA CP or DM) that creates the DM account.
    BootstrapSent,
    /// Sent a package 0 (the SMS or push asking the device to connect).
    Package0Sent,
}

/// The wordings of server records, lower case, first match wins: DME's, and
/// those of other servers seen in the field. Data, not code: add a wording
/// here and every command that reads server records knows it.
const WORDINGS: &[(&str, Deed)] = &[
    ("bootstrap", Deed::BootstrapSent),
    ("client provisioning", Deed::BootstrapSent),
    ("notification", Deed::Package0Sent),
    ("package 0", Deed::Package0Sent),
    ("package0", Deed::Package0Sent),
    ("pkg0", Deed::Package0Sent),
    ("pkg 0", Deed::Package0Sent),
    ("wap push", Deed::Package0Sent),
    ("nia ", Deed::Package0Sent),
];

/// A server record naming one of the names asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Mention {
    pub file: String,
    pub line: u64,
    pub time: Option<String>,
    pub deed: Deed,
    /// The record's text, at most [`TEXT_CHARS`] characters.
    pub text: String,
}

/// The most characters of a record's text kept.
const TEXT_CHARS: usize = 160;

/// The most mentions kept (the newest are the ones that matter: past this,
/// the oldest go).
const KEPT: usize = 10_000;

/// What one more reading of the inputs found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// The newest [`KEPT`], oldest first.
    pub mentions: std::collections::VecDeque<Mention>,
    /// The first and the last record time of the inputs, as written.
    pub first_time: Option<String>,
    pub last_time: Option<String>,
}

/// Reads `files` (not stdin: it was read already) for lines naming one of
/// `names` with a wording of the table, and the times the inputs cover. An
/// input that cannot be read is passed by: the reading of messages already
/// said so. Read in large chunks searched for the names (most of a log names
/// no phone): this costs little beside reading the messages.
pub(crate) fn find(files: &[String], names: &[String]) -> Scan {
    let finders: Vec<memmem::Finder<'_>> = names
        .iter()
        .filter(|name| !name.is_empty())
        .map(|name| memmem::Finder::new(name.as_bytes()))
        .collect();
    let mut scan = Scan::default();
    for file in files.iter().filter(|file| file.as_str() != "-") {
        let Ok(mut input) = super::input::open(file) else {
            continue;
        };
        let mut chunks = Chunks {
            file: &input.name,
            lines: 0,
            finders: &finders,
        };
        let mut buffer = vec![0u8; CHUNK];
        let mut filled = 0;
        loop {
            let read = match input.reader.read(&mut buffer[filled..]) {
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => 0,
            };
            if read == 0 {
                chunks.take(&buffer[..filled], &mut scan);
                break;
            }
            filled += read;
            match memchr::memrchr(b'\n', &buffer[..filled]) {
                Some(at) => {
                    chunks.take(&buffer[..=at], &mut scan);
                    buffer.copy_within(at + 1..filled, 0);
                    filled -= at + 1;
                }
                // A line longer than the buffer: a larger one, up to a cap,
                // past which the line is taken in pieces.
                None if filled == buffer.len() && buffer.len() < MAX_CHUNK => {
                    buffer.resize(buffer.len() * 2, 0);
                }
                None if filled == buffer.len() => {
                    chunks.take(&buffer[..filled], &mut scan);
                    filled = 0;
                }
                None => {}
            }
        }
    }
    scan
}

/// Bytes read at once.
const CHUNK: usize = 1 << 20;
/// The longest line read whole.
const MAX_CHUNK: usize = 64 << 20;
/// Lines looked at for a record time at each end of a chunk.
const LINES_FOR_TIME: usize = 200;

/// One input, read a chunk of whole lines at a time.
struct Chunks<'a> {
    file: &'a str,
    /// Lines before the chunk.
    lines: u64,
    finders: &'a [memmem::Finder<'a>],
}

impl Chunks<'_> {
    /// Takes a chunk of whole lines: its mentions, and its first and last
    /// record times.
    fn take(&mut self, chunk: &[u8], scan: &mut Scan) {
        if scan.first_time.is_none() {
            scan.first_time = chunk
                .split(|&b| b == b'\n')
                .take(LINES_FOR_TIME)
                .find_map(time_of);
        }
        if let Some(time) = chunk
            .rsplit(|&b| b == b'\n')
            .take(LINES_FOR_TIME)
            .find_map(time_of)
        {
            scan.last_time = Some(time);
        }
        let mut starts: Vec<usize> = Vec::new();
        for finder in self.finders {
            for hit in finder.find_iter(chunk) {
                let start = memchr::memrchr(b'\n', &chunk[..hit]).map_or(0, |at| at + 1);
                if starts.last() != Some(&start) {
                    starts.push(start);
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let mut counted = 0;
        let mut line = self.lines;
        for start in starts {
            line += newlines(&chunk[counted..start]);
            counted = start;
            let end = memchr::memchr(b'\n', &chunk[start..]).map_or(chunk.len(), |at| start + at);
            if let Some(mention) = mention_of(&chunk[start..end], self.file, line + 1) {
                if scan.mentions.len() == KEPT {
                    scan.mentions.pop_front();
                }
                scan.mentions.push_back(mention);
            }
        }
        self.lines = line + newlines(&chunk[counted..]);
    }
}

/// The record time a line starts with (a record starts with its time, or a
/// JSON object: XML does not).
fn time_of(line: &[u8]) -> Option<String> {
    if line
        .first()
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'{')
    {
        record_time(line)
    } else {
        None
    }
}

/// The newlines in `bytes`, counted in blocks of 255 with byte-wide sums
/// (which the compiler turns into vector instructions).
fn newlines(bytes: &[u8]) -> u64 {
    bytes
        .chunks(255)
        .map(|block| {
            u64::from(
                block
                    .iter()
                    .fold(0u8, |sum, &b| sum.wrapping_add(u8::from(b == b'\n'))),
            )
        })
        .sum()
}

/// The mention a line naming a phone is, when it has a wording of the table.
fn mention_of(line: &[u8], file: &str, number: u64) -> Option<Mention> {
    let text = String::from_utf8_lossy(line);
    let lower = text.to_lowercase();
    let deed = WORDINGS
        .iter()
        .find(|(wording, _)| lower.contains(wording))
        .map(|&(_, deed)| deed)?;
    let time = record_time(line);
    // The text after the timestamp, up to its end.
    let after = time
        .as_deref()
        .and_then(|time| text.find(time).map(|at| at + time.len()))
        .unwrap_or(0);
    Some(Mention {
        file: file.to_owned(),
        line: number,
        time,
        deed,
        text: what_it_says(&text[after..])
            .chars()
            .take(TEXT_CHARS)
            .collect(),
    })
}

/// A record's text without its level, `[logger]` and `(thread)`.
fn what_it_says(text: &str) -> &str {
    const LEVELS: [&str; 7] = [
        "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL",
    ];
    let mut rest = text.trim();
    for _ in 0..4 {
        let word = rest.split_whitespace().next().unwrap_or("");
        let skip = if LEVELS.contains(&word) {
            word.len()
        } else if let Some(close) = rest
            .strip_prefix('[')
            .and_then(|inner| inner.find(']'))
            .or_else(|| rest.strip_prefix('(').and_then(|inner| inner.find(')')))
        {
            close + 2
        } else {
            break;
        };
        rest = rest[skip..].trim_start();
    }
    rest.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found_with_their_line_across_chunks_and_the_span_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("server.log");
        let mut text = String::from("2010-06-28 13:00:00,000 INFO start\n");
        for n in 0..40_000 {
            text.push_str(&format!(
                "2010-06-28 13:00:01,{:03} INFO line {n}\n",
                n % 1000
            ));
            if n % 10_000 == 9_999 {
                text.push_str("2010-06-28 13:00:02,000 INFO Sent OMA bootstrap to 30116718\n");
            }
        }
        text.push_str("<SyncML>no record</SyncML>\n2010-06-28 14:00:00,000 INFO end\n");
        std::fs::write(&path, &text).expect("writes");
        let scan = find(
            &[path.to_string_lossy().into_owned()],
            &["30116718".to_owned()],
        );
        let expected: Vec<u64> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.contains("30116718"))
            .map(|(at, _)| at as u64 + 1)
            .collect();
        let lines: Vec<u64> = scan.mentions.iter().map(|m| m.line).collect();
        assert_eq!(lines, expected);
        assert_eq!(scan.first_time.as_deref(), Some("2010-06-28 13:00:00,000"));
        assert_eq!(scan.last_time.as_deref(), Some("2010-06-28 14:00:00,000"));
    }

    #[test]
    fn a_server_record_naming_the_phone_is_a_mention_with_its_deed_and_time() {
        let line = b"2010-06-28 13:40:00,000 INFO [sms] Sent OMA bootstrap to 30116718\n";
        let mention = mention_of(line, "server.log", 7).expect("a mention");
        assert_eq!(mention.deed, Deed::BootstrapSent);
        assert_eq!(mention.time.as_deref(), Some("2010-06-28 13:40:00,000"));
        assert_eq!(mention.text, "Sent OMA bootstrap to 30116718");
        let line = b"2010-06-28 13:40:00,000 DEBUG [sms] Sending notification to 30116718:\n";
        assert_eq!(
            mention_of(line, "server.log", 8).map(|m| m.deed),
            Some(Deed::Package0Sent)
        );
        assert_eq!(mention_of(b"<LocName>30116718</LocName>\n", "f", 9), None);
    }
}
