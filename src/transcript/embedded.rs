//! Binary SyncML in the inputs: a WBXML file (one document or several, one
//! after the other), and WBXML or a package 0 written into a log as hex (`03
//! A4 01 6A …`, `03a4016a…`) or base64, on a record's line after its text or on
//! the lines that follow (a hex dump's rows with their offsets and text
//! too). A WBXML document becomes the message its XML is:
//! read straight from its bytes when nobody keeps the XML, else
//! written as XML text (`Text`) and read like every other message; a package
//! 0 becomes a `FoundNotification`.

use smol_str::SmolStr;

use crate::syncml::notification::{self, Notification};
use crate::syncml::{base64, hex, wbxml};

use super::finder::{Broken, Event, Found, LogRecord, Text};
use crate::syncml::Message;

/// The most bytes of one WBXML file read (far above any DM message).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Hex or base64 written into a log: fewer characters than this are not
/// taken for a message (a package 0 is at least 24 bytes).
const MIN_ENCODED_CHARS: usize = 32;

/// A package 0 found in a log.
#[derive(Debug, Clone)]
pub struct FoundNotification {
    pub file: SmolStr,
    pub line: u64,
    pub record: Option<LogRecord>,
    pub notification: Notification,
}

/// The hex of a hex dump's row written with an offset column and, after
/// it, the bytes as text (`0000: 02 00 00 6a …  ...j.-//SY`, hexdump -C's
/// `00000000  02 00 … |...j.-//SY|`, xxd's `00000000: 0200 006a …  ...j`);
/// `None` for any other line. The offset is 4 to 8 hex digits followed by
/// `:` or two spaces; the text is what follows the last run of two or more
/// spaces, when it is as long as the row's bytes (a `|` either side for
/// hexdump -C; shorter when the row's last bytes were spaces).
#[inline]
pub fn dump_row(line: &[u8]) -> Option<&[u8]> {
    // Most lines are no row: told by their first five bytes.
    match line {
        [a, b, c, d, e, ..]
            if [a, b, c, d].iter().all(|byte| byte.is_ascii_hexdigit())
                && (e.is_ascii_hexdigit() || matches!(e, b':' | b' ')) =>
        {
            row_hex(line)
        }
        _ => None,
    }
}

/// The longest dump row read (after its offset): 64 bytes a row, as hex and
/// as text, with room to spare.
const MAX_ROW: usize = 512;

/// [`dump_row`] for a line that starts like a row.
fn row_hex(line: &[u8]) -> Option<&[u8]> {
    let digits = line
        .iter()
        .take(9)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if !(4..=8).contains(&digits) {
        return None;
    }
    let row = match &line[digits..] {
        [b':', rest @ ..] => rest,
        rest @ [b' ', b' ', ..] => rest,
        _ => return None,
    }
    .trim_ascii();
    // A row shows 16 or 32 bytes; a longer line is no row (and is not
    // searched gap by gap).
    if row.len() > MAX_ROW {
        return None;
    }
    let bytes_in = |hex: &[u8]| {
        hex::count_digits(hex)
            .filter(|digits| *digits > 0 && digits.is_multiple_of(2))
            .map(|digits| digits / 2)
    };
    // The text after the last gap of two spaces or more, when it is the
    // row's bytes shown as text.
    let mut end = row.len();
    while let Some(gap) = row[..end].windows(2).rposition(|pair| pair == b"  ") {
        let hex = row[..gap].trim_ascii_end();
        let text = row[gap..].trim_ascii_start();
        let shown = text
            .strip_prefix(b"|")
            .and_then(|inner| inner.strip_suffix(b"|"))
            .unwrap_or(text);
        if let Some(bytes) = bytes_in(hex)
            && !shown.is_empty()
            && shown.len() <= bytes
        {
            return Some(hex);
        }
        end = gap;
    }
    bytes_in(row).map(|_| row)
}

/// How bytes were written into a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Hex,
    Base64,
}

impl Encoding {
    /// The encoding of a piece of a log line, if it is all hex (pairs with
    /// separators) or all base64, and long enough to be a message.
    pub fn of(piece: &[u8]) -> Option<Encoding> {
        if piece.len() < MIN_ENCODED_CHARS {
            return None;
        }
        [Encoding::Hex, Encoding::Base64]
            .into_iter()
            .find(|encoding| piece.iter().all(|&b| encoding.allows(b)))
    }

    /// Whether hex or base64 long enough to be a message may end `line`
    /// (trimmed): its last characters are all of one encoding. A cheap test
    /// before a line's record is read for what follows its text.
    pub fn may_end(line: &[u8]) -> bool {
        let Some(tail) = line.last_chunk::<MIN_ENCODED_CHARS>() else {
            return false;
        };
        [Encoding::Hex, Encoding::Base64]
            .into_iter()
            .any(|encoding| tail.iter().all(|&b| encoding.allows(b)))
    }

    /// A character this encoding is written with (hex: digits and the
    /// separators `hex::decode` reads; no `0x` prefixes in a log, whose
    /// lines' digits must pair up).
    fn allows(self, byte: u8) -> bool {
        match self {
            Encoding::Hex => byte.is_ascii_hexdigit() || hex::is_separator(byte),
            Encoding::Base64 => byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'='),
        }
    }

    /// Whether a following line (`piece`) carries on `so_far` in this
    /// encoding: hex with whole bytes (an even number of digits), base64 not
    /// after its padding. A short status line after a dump (`200`, `OK`) is not
    /// taken in.
    pub fn continues(self, so_far: &[u8], piece: &[u8]) -> bool {
        if piece.is_empty() {
            return false;
        }
        match self {
            // Every byte a digit or a separator, the digits paired.
            Encoding::Hex => {
                hex::count_digits(piece).is_some_and(|digits| digits.is_multiple_of(2))
            }
            Encoding::Base64 => {
                piece.iter().all(|&b| self.allows(b)) && !so_far.trim_ascii_end().ends_with(b"=")
            }
        }
    }

    fn decode(self, text: &[u8]) -> Option<Vec<u8>> {
        match self {
            Encoding::Hex => hex::decode_bytes(text).ok(),
            Encoding::Base64 => base64::decode_bytes(text),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
        }
    }
}

/// Encoded text being collected from a log.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub encoding: Encoding,
    pub line: u64,
    pub record: Option<LogRecord>,
    /// What was collected, as the log has it (hex and base64 are ASCII).
    pub text: Vec<u8>,
    /// It is a hex dump's rows with offsets ([`dump_row`]): only such rows
    /// carry it on (hexdump -C ends with a row of its offset alone).
    pub rows: bool,
    /// Each of its lines is a record of its own (a logger's prefix, such as
    /// kubectl's or syslog's time, on every line): what carries it on is a
    /// record's text.
    pub prefixed: bool,
    /// Started after a record's text (`… D DMClient: 02 00 00 6A …`): the
    /// rows of a dump logged a record each carry it on ([`RecordRows`]).
    pub record_rows: Option<RecordRows>,
}

/// A hex dump whose every row is a record of its own with the same text
/// before the hex (logcat's `1234  1250 D DMClient: `, syslog's `host
/// app[42]: `). A record's hex may as well be a message of its own, so a
/// row carries the dump on only while it is one: every row before was as
/// long as the first, and that is a dump's width (16 or 32 bytes); a
/// shorter row is the last.
#[derive(Debug, Clone)]
pub struct RecordRows {
    /// The record's text before its hex.
    pub prefix: Vec<u8>,
    /// Bytes of the first row.
    width: usize,
    /// A row may still follow.
    open: bool,
}

impl RecordRows {
    /// After a record's text `prefix`, `first` (hex) starts a dump when its
    /// row is a dump's width.
    pub fn of(prefix: &[u8], first: &[u8]) -> Option<Self> {
        let width = hex::count_digits(first)? / 2;
        matches!(width, 16 | 32).then(|| Self {
            prefix: prefix.to_vec(),
            width,
            open: true,
        })
    }

    /// The hex of a record's text that carries the dump on, if it does:
    /// the same text before it, a row no longer than the first (a shorter
    /// one is the last).
    pub fn next_row<'a>(&mut self, text: &'a [u8]) -> Option<&'a [u8]> {
        if !self.open {
            return None;
        }
        let row = text.strip_prefix(&self.prefix[..])?.trim_ascii();
        let digits = hex::count_digits(row)?;
        if digits == 0 || !digits.is_multiple_of(2) || digits / 2 > self.width {
            return None;
        }
        self.open = digits / 2 == self.width;
        Some(row)
    }
}

impl Encoded {
    /// What the collected text holds: WBXML messages, a package 0, or
    /// nothing dmtool reads (hex or base64 of something else, ignored). A
    /// WBXML message is parsed at once unless its XML is kept (`keep_text`:
    /// then it is handed out unparsed, with its XML).
    pub fn finish(self, file: &str, keep_text: bool) -> Vec<Event> {
        let Some(bytes) = self.encoding.decode(&self.text) else {
            return Vec::new();
        };
        // A bootstrap sent (an SMS or push of a CP document or a DM
        // bootstrap): before WBXML, which a bare one also is.
        if let Some((kind, push, accounts)) = crate::bootstrap::found_in_log(&bytes) {
            return vec![Event::Bootstrap(Box::new(
                crate::bootstrap::FoundBootstrap {
                    file: file.to_owned(),
                    line: self.line,
                    time: self.record.as_ref().map(|record| record.time.to_string()),
                    kind,
                    content_type: push.content_type,
                    sec: push.sec,
                    mac: push.mac,
                    accounts,
                },
            ))];
        }
        if wbxml::is_wbxml(&bytes) {
            let what = format!("WBXML written as {}", self.encoding.name());
            return documents(
                &bytes,
                (file, self.line),
                self.record.as_ref(),
                &what,
                keep_text,
            );
        }
        match package_0(&bytes) {
            Some(notification) => vec![Event::Notification(Box::new(FoundNotification {
                file: SmolStr::new(file),
                line: self.line,
                record: self.record,
                notification,
            }))],
            None => Vec::new(),
        }
    }
}

/// A package 0, when the bytes are one: a DM 1.x version and a printable
/// server ID (hex in a log is otherwise anything at all).
fn package_0(bytes: &[u8]) -> Option<Notification> {
    let notification = notification::decode(notification::without_push_header(bytes)).ok()?;
    let printable = !notification.server_id_bytes.is_empty()
        && notification
            .server_id_bytes
            .iter()
            .all(|b| b.is_ascii_graphic() || *b == b' ');
    (notification.version_is_1x() && printable).then_some(notification)
}

/// The events of WBXML bytes holding one or more documents, one after the
/// other; a document that cannot be decoded is `Broken` and ends the bytes, and
/// so does more than `MAX_FILE` of XML from one input (memory stays bounded).
pub fn documents(
    bytes: &[u8],
    (file, line): (&str, u64),
    record: Option<&LogRecord>,
    what: &str,
    keep_text: bool,
) -> Vec<Event> {
    let mut events = Vec::new();
    let mut decoded = 0;
    let mut documents = wbxml::documents(bytes);
    while let Some(document) = documents.next_with(|bytes| read_document(bytes, keep_text)) {
        let (at, document) = match document {
            Ok(found) => found,
            Err(error) => {
                events.push(Event::Broken(Broken {
                    file: SmolStr::new(file),
                    line,
                    reason: format!("{what}, not readable: {error}"),
                }));
                break;
            }
        };
        decoded += match &document {
            Decoded::Message(_, xml_len) => *xml_len,
            Decoded::Xml(text) => text.len(),
        };
        if decoded as u64 > MAX_FILE {
            events.push(Event::Broken(Broken {
                file: SmolStr::new(file),
                line,
                reason: format!(
                    "{what}: the documents decode to more than {} MiB of XML; \
                     the rest from byte {at} is not read",
                    MAX_FILE >> 20
                ),
            }));
            break;
        }
        events.push(match document {
            Decoded::Message(message, _) => Event::Message(Box::new(Found {
                file: SmolStr::new(file),
                line,
                record: record.cloned(),
                message: *message,
                text: None,
                salvaged: false,
                hmac: None,
            })),
            Decoded::Xml(text) => Event::Unparsed(Box::new(Text {
                hmac: None,
                file: SmolStr::new(file),
                line,
                record: record.cloned(),
                text,
                own_lines: true,
            })),
        });
    }
    events
}

/// A WBXML document as read: its message and the length of its XML, or its
/// XML (kept, or to be read as XML because the message could not be read
/// straight from the document).
enum Decoded {
    Message(Box<Message>, usize),
    Xml(String),
}

/// The first document of `bytes` and the bytes it took: read straight into
/// its message unless `keep_text`.
fn read_document(bytes: &[u8], keep_text: bool) -> Result<(Decoded, usize), wbxml::WbxmlError> {
    if !keep_text && let (Some(message), read) = Message::from_wbxml(bytes)? {
        return Ok((Decoded::Message(Box::new(message), read.xml_len), read.used));
    }
    let (document, used) = wbxml::decode_first(bytes)?;
    Ok((Decoded::Xml(document.to_xml()), used))
}

/// The events of a whole WBXML file.
pub fn file_events(reader: impl std::io::Read, file: &str) -> Vec<Event> {
    let unreadable = |reason: String| {
        vec![Event::Unreadable(Broken {
            file: SmolStr::new(file),
            line: 1,
            reason,
        })]
    };
    match read_whole(reader) {
        Ok(Some(bytes)) => documents(&bytes, (file, 1), None, "a WBXML document", true),
        Ok(None) => unreadable(format!(
            "a WBXML file larger than {} MiB is not read",
            MAX_FILE >> 20
        )),
        Err(error) => unreadable(format!("cannot read further: {error}")),
    }
}

/// All of a binary input, or `None` when it holds more than `MAX_FILE` bytes
/// (no more than that is read).
pub fn read_whole(reader: impl std::io::Read) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    reader.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base64_are_told_apart_and_short_pieces_are_neither() {
        let hex = b"03 A4 01 6A 00 6D 6C 71 03 31 2E 32 00 01 01 01";
        assert_eq!(Encoding::of(hex), Some(Encoding::Hex));
        assert_eq!(
            Encoding::of(b"AwFqAG1scQMxLjIAAQEBAwFqAG1scQMxLjIAAQEB"),
            Some(Encoding::Base64)
        );
        assert_eq!(Encoding::of(b"03 A4 01"), None);
        assert_eq!(
            Encoding::of(b"request handled in 12 ms by the servlet"),
            None
        );
        assert!(Encoding::Hex.continues(b"03 A4", b"6A 00"));
        assert!(!Encoding::Hex.continues(b"03 A4", b"INFO done"));
        assert!(!Encoding::Hex.continues(b"03 A4", b"200"));
        assert!(Encoding::Base64.continues(b"AwFq", b"AG1s"));
        assert!(!Encoding::Base64.continues(b"AwE=", b"OK"));
    }

    #[test]
    fn a_line_may_end_in_hex_or_base64_only_when_a_suffix_of_it_is_some() {
        let mut random = crate::syncml::samples::random(7);
        let alphabet = b"0123456789abcdefABCDEFxyz+/= :,-]()\t";
        for _ in 0..20_000 {
            let length = random() as usize % 60;
            let line: Vec<u8> = (0..length)
                .map(|_| alphabet[random() as usize % alphabet.len()])
                .collect();
            let some_suffix = (0..line.len()).any(|at| Encoding::of(&line[at..]).is_some());
            // Never false when a suffix is hex or base64: no dump is missed.
            assert!(
                Encoding::may_end(&line) || !some_suffix,
                "{:?}",
                String::from_utf8_lossy(&line)
            );
        }
        assert!(!Encoding::may_end(b"session cache: 17 entries"));
        assert!(Encoding::may_end(
            b"Received: 03 A4 01 6A 00 6D 6C 71 03 31 2E 32 00 01"
        ));
    }

    #[test]
    fn a_dump_row_is_told_by_its_offset_and_gives_its_hex() {
        let rows: [(&[u8], Option<&[u8]>); 9] = [
            (
                b"0000: 02 00 00 6a 1d 2d 2f 2f 53 59 4e 43 4d 4c 2f 2f  ...j.-//SYNCML//",
                Some(b"02 00 00 6a 1d 2d 2f 2f 53 59 4e 43 4d 4c 2f 2f"),
            ),
            (
                b"00000010  44 54 44 20 53 79 6e 63  4d 4c 20 31 2e 32 2f 2f  |DTD SyncML 1.2//|",
                Some(b"44 54 44 20 53 79 6e 63  4d 4c 20 31 2e 32 2f 2f"),
            ),
            (b"00000020: 454e 6d6c 7103  ENmlq.", Some(b"454e 6d6c 7103")),
            // Text with two spaces in it: the gap before the text is the one.
            (b"0030: 41 20 20 42  A  B", Some(b"41 20 20 42")),
            // No text after the hex.
            (b"0040: 01 02 03", Some(b"01 02 03")),
            // Not rows: a plain dump, a date, a size, text, an offset alone.
            (b"03 28 00 00 00 10 10 03 64 6D 65", None),
            (b"2010-06-28 13:48:20,105 DEBUG Received", None),
            (b"0000: Result Size: 327", None),
            (b"000001b0", None),
        ];
        for (line, hex) in rows {
            assert_eq!(dump_row(line), hex, "{}", String::from_utf8_lossy(line));
        }
        // A line longer than a row is none (searched gap by gap, this one
        // would take minutes).
        let hostile = [b"0000: ".as_slice(), &b"  A".repeat(200_000)].concat();
        assert_eq!(dump_row(&hostile), None);
        let long_row = [b"0000: ".as_slice(), &b"00 ".repeat(MAX_ROW / 3 + 2)].concat();
        assert_eq!(dump_row(&long_row), None);
    }

    #[test]
    fn hex_of_something_else_is_ignored() {
        let encoded = Encoded {
            encoding: Encoding::Hex,
            line: 1,
            record: None,
            text: "00".repeat(40).into_bytes(),
            rows: false,
            prefixed: false,
            record_rows: None,
        };
        assert!(encoded.finish("x", true).is_empty());
    }
}
