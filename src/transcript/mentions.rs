//! The server's own records that name a phone: lines such as "Sent OMA
//! bootstrap to 30116718" or "Sending notification to 30116718:" are not
//! SyncML, so the finder passes them by; this reads the inputs once more for
//! lines holding one of the given names (a phone number, an IMEI) and a
//! wording of the table below. Knows log lines and record times; nothing of
//! devices or jobs.

use std::io::BufRead;

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
    pub mentions: Vec<Mention>,
    /// The first and the last record time of the inputs, as written.
    pub first_time: Option<String>,
    pub last_time: Option<String>,
}

/// Reads `files` (not stdin: it was read already) for lines naming one of
/// `names` with a wording of the table, and the times the inputs cover. An
/// input that cannot be read is passed by: the reading of messages already
/// said so.
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
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            line.clear();
            match input.reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => number += 1,
            }
            // A record starts with its time (or a JSON object): XML does not.
            if line
                .first()
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'{')
                && let Some(time) = record_time(&line)
            {
                if scan.first_time.is_none() {
                    scan.first_time = Some(time.clone());
                }
                scan.last_time = Some(time);
            }
            if !finders.iter().any(|finder| finder.find(&line).is_some()) {
                continue;
            }
            if let Some(mention) = mention_of(&line, &input.name, number) {
                if scan.mentions.len() == KEPT {
                    scan.mentions.remove(0);
                }
                scan.mentions.push(mention);
            }
        }
    }
    scan
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
