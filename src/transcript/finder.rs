//! Finds whole `<SyncML>…</SyncML>` documents in any text: a log4j log (a
//! record header line, then the XML on the same or the following lines), a
//! client log, a file of raw XML messages, and the same written escaped, as
//! JSON-lines records or with a prefix on every line (`escaped`, `record`).
//! Reads line by line, so memory holds one message at a time. For each
//! message it keeps the file, the line it starts on, and the log record that
//! carried it (its timestamp and text); a message that is cut short, not
//! well-formed or a fragment whose start is not in the input is reported as
//! broken with its line and the reason (what can still be read of it is
//! salvaged: `salvage`), and the search goes on.

use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::ops::Range;

use memchr::memmem;
use smol_str::SmolStr;

use super::credentials::Hmac;
use super::embedded::{self, Encoded, Encoding, FoundNotification, RecordRows};
use super::escaped::{self, Escaping};
pub use super::record::LogRecord;
use super::record::{
    has_level, is_record, log4j_event, lossy, record_parts, split_record, text_before_xml, trim_eol,
};
use super::salvage;
use crate::syncml::{Message, intern, xml};

/// A message larger than this is reported as broken, not buffered further.
/// (A DM message is bounded by MaxMsgSize; large objects travel in chunks.)
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// A batch of texts is handed out once it holds this many bytes, whatever
/// its count: batches of large messages stay small.
pub const MAX_BATCH_BYTES: usize = 256 * 1024;

/// The largest buffer kept for the next hex or base64 dump.
const MAX_SPARE: usize = 1024 * 1024;

/// The most bytes read at once: a longer line is read in pieces.
const MAX_PIECE: usize = 1024 * 1024;

/// A message found and parsed.
#[derive(Debug, Clone)]
pub struct Found {
    pub file: SmolStr,
    pub line: u64,
    pub record: Option<LogRecord>,
    pub message: Message,
    /// The message's XML as found (`<SyncML` to `</SyncML>`), when the reader
    /// was asked to keep it ([`Texts::parse`]).
    pub text: Option<String>,
    /// What could still be read of a message reported broken (or of a
    /// fragment): its header fields and whole commands (see `salvage`).
    pub salvaged: bool,
    /// The `x-syncml-hmac` header the log shows just before it.
    pub hmac: Option<Box<Hmac>>,
}

/// A message found but not readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub file: SmolStr,
    pub line: u64,
    pub reason: String,
}

/// A message found, its text (UTF-8, or read as ISO-8859-1), not parsed yet.
#[derive(Debug, Clone)]
pub struct Text {
    pub file: SmolStr,
    pub line: u64,
    pub record: Option<LogRecord>,
    pub text: String,
    /// The text's lines are the file's (false when it was decoded from one
    /// line: a JSON string, backslash escapes): a fault is then reported at
    /// the message's line.
    pub own_lines: bool,
    /// The `x-syncml-hmac` header the log shows just before it.
    pub hmac: Option<Box<Hmac>>,
}

impl Text {
    /// Parses the message: a `Message` event, or `Broken` naming the line of
    /// the fault.
    pub fn parse(self) -> Event {
        let mut event = parse_message(
            self.file,
            (self.line, self.own_lines),
            self.record,
            &self.text,
            self.hmac,
            || None,
        );
        // The message keeps its text: moved, not copied.
        if let Event::Message(found) = &mut event {
            found.text = Some(self.text);
        }
        event
    }
}

/// Parses one message's text into a `Message` event (keeping the text when
/// `keep` gives it), or `Broken` naming the line of the fault.
fn parse_message(
    file: SmolStr,
    (line, own_lines): (u64, bool),
    record: Option<LogRecord>,
    text: &str,
    hmac: Option<Box<Hmac>>,
    keep: impl FnOnce() -> Option<String>,
) -> Event {
    match Message::parse(text) {
        Ok(message) => Event::Message(Box::new(Found {
            file,
            line,
            record,
            message,
            text: keep(),
            salvaged: false,
            hmac: hmac.map(|hmac| Box::new(hmac.with_body(text))),
        })),
        Err(error) => {
            let offset = usize::try_from(error.offset)
                .unwrap_or(usize::MAX)
                .min(text.len());
            let lines = if own_lines {
                newlines(&text.as_bytes()[..offset])
            } else {
                0
            };
            let broken = Broken {
                line: line + lines,
                file: file.clone(),
                reason: format!("not well-formed XML: {}", error.message),
            };
            // The header and the whole commands before the damage still
            // tell the session and its device.
            salvaged_or_broken(broken, (line, record), text, offset)
        }
    }
}

/// A broken message, with what can still be read of `text` up to `end` (see
/// [`salvage::salvage`]) as the message found at `line` in its record, when
/// anything ties it to a session.
fn salvaged_or_broken(
    broken: Broken,
    (line, record): (u64, Option<LogRecord>),
    text: &str,
    end: usize,
) -> Event {
    match salvage::salvage(text, end) {
        Some(message) => Event::Damaged(Box::new(Damaged {
            salvaged: Found {
                file: broken.file.clone(),
                line,
                record,
                message,
                text: None,
                salvaged: true,
                hmac: None,
            },
            broken,
        })),
        None => Event::Broken(broken),
    }
}

/// A message reported broken, and what could still be read of it.
#[derive(Debug, Clone)]
pub struct Damaged {
    pub broken: Broken,
    pub salvaged: Found,
}

/// A message the end of an input cut short, carried to the next input of a
/// rotated set, where its rest may be.
pub struct Carried {
    file: SmolStr,
    open: Open,
}

impl Carried {
    /// It did not go on: it was cut short where its input ended.
    pub fn into_broken(self) -> Event {
        Event::Broken(Broken {
            file: self.file,
            line: self.open.line,
            reason: "the input ends before </SyncML>: the message is cut short".into(),
        })
    }
}

/// Messages found, their texts (UTF-8, or read as ISO-8859-1), not parsed yet: several of one
/// input in one buffer, with their records, so that finding a message
/// allocates nothing of its own and the thread that parses them makes every
/// value it hands on (no value is shared with the finder's thread).
#[derive(Debug, Clone, Default)]
pub struct Texts {
    pub file: SmolStr,
    /// The messages' XML and their records' time and text, one after another.
    buffer: String,
    places: Vec<Place>,
}

/// Where a message of [`Texts`] is.
#[derive(Debug, Clone)]
struct Place {
    line: u64,
    own_lines: bool,
    /// The record's time and text in the buffer.
    record: Option<(Range<usize>, Range<usize>)>,
    text: Range<usize>,
    hmac: Option<Box<Hmac>>,
}

impl Texts {
    fn new(file: SmolStr, capacity: usize, count: usize) -> Self {
        Self {
            file,
            buffer: String::with_capacity(capacity),
            places: Vec::with_capacity(count),
        }
    }

    /// How many messages it holds.
    /// The bytes of text it holds.
    pub fn bytes(&self) -> usize {
        self.buffer.len()
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// A message, with its record's time and text as found (see
    /// `record_parts`).
    fn push(
        &mut self,
        (line, own_lines): (u64, bool),
        record: Option<(&[u8], &[u8])>,
        text: &str,
        hmac: Option<Box<Hmac>>,
    ) {
        let mut add = |piece: &str| {
            let start = self.buffer.len();
            self.buffer.push_str(piece);
            start..self.buffer.len()
        };
        let record = record.map(|(time, text)| (add(&lossy(time)), add(&lossy(text))));
        let text = add(text);
        self.places.push(Place {
            line,
            own_lines,
            record,
            text,
            hmac,
        });
    }

    /// Parses every message, in order: `Message` events (each keeping its XML
    /// when `keep_text`) and `Broken` ones.
    pub fn parse(&self, keep_text: bool) -> impl Iterator<Item = Event> + '_ {
        let file = intern::value(&self.file);
        self.places.iter().map(move |place| {
            let record = place.record.as_ref().map(|(time, text)| LogRecord {
                time: intern::value(&self.buffer[time.clone()]),
                text: intern::value(self.buffer[text.clone()].trim()),
            });
            let text = &self.buffer[place.text.clone()];
            parse_message(
                file.clone(),
                (place.line, place.own_lines),
                record,
                text,
                place.hmac.clone(),
                || keep_text.then(|| text.to_owned()),
            )
        })
    }
}

/// What the finder yields.
#[derive(Debug, Clone)]
pub enum Event {
    Message(Box<Found>),
    /// A message not parsed yet (from `Finder::unparsed`); `Text::parse` makes
    /// it a `Message` or `Broken`.
    Unparsed(Box<Text>),
    /// Messages not parsed yet, several at once (from `Finder::batched`).
    Texts(Box<Texts>),
    /// Hex or base64 collected from the log, not decoded yet (from
    /// `Finder::batched`, so that the parser threads decode it):
    /// `Collected::finish` makes it the events it holds.
    Collected(Box<Collected>),
    /// A package 0 (notification) written into the log as hex or base64.
    Notification(Box<FoundNotification>),
    /// A bootstrap written into the log as hex or base64.
    Bootstrap(Box<crate::bootstrap::FoundBootstrap>),
    Broken(Broken),
    /// A message reported broken of which a part could be read.
    Damaged(Box<Damaged>),
    /// The input could not be read any further (an I/O or gzip error).
    Unreadable(Broken),
}

const START: &[u8] = b"<SyncML";
/// `</SyncML`: the end tag, whose `>` may follow white space (`</SyncML >`).
const END: &[u8] = b"</SyncML";
/// The end of a message written with XML/HTML character references.
const ESCAPED_END: &[u8] = b"&lt;/SyncML&gt;";

/// A message being collected.
struct Open {
    line: u64,
    record: Option<LogRecord>,
    /// The record is the scanner's `record_line`, not read yet (batched: the
    /// thread that parses the message reads it).
    record_in_line: bool,
    bytes: Vec<u8>,
    too_large: bool,
    /// Of a message that grew too large, its first bytes ([`HEAD_KEPT`]):
    /// its header and first commands are still read from them.
    head: Vec<u8>,
    /// How its text is escaped in the log: each line is unescaped before it
    /// is scanned.
    escaping: Option<Escaping>,
    /// Its lines are the file's (see [`Text::own_lines`]).
    own_lines: bool,
    /// Messages carried as data inside it (in a CDATA section) not ended yet.
    nested: u32,
    /// What starts each of its lines in the log, taken off (logcat, syslog,
    /// kubectl: a time and the same text on every line).
    prefix: Prefix,
    /// The `x-syncml-hmac` header the log showed just before it.
    hmac: Option<Box<Hmac>>,
}

/// The prefix of a message's lines: the time and text before the XML on the
/// line it starts on, when the line is a record's.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Prefix {
    /// No prefix, or the next line showed there is none.
    None,
    /// The text before the XML on its first line: the next line tells
    /// whether each line has it.
    Maybe(Vec<u8>),
    /// Its lines start with a time and this text.
    Every(Vec<u8>),
}

impl Prefix {
    /// The prefix a message starting on `line` may have.
    fn of(line: &[u8]) -> Self {
        match split_record(line) {
            Some((_, text)) => Prefix::Maybe(text_before_xml(text).to_vec()),
            None => Prefix::None,
        }
    }

    /// `line` is a record whose text starts with the prefix (one that says
    /// more than a time). Until a line has shown every line has it, only
    /// markup may follow: a message cut short on its first line would
    /// otherwise take in its logger's next records.
    fn continues(&self, line: &[u8]) -> bool {
        let (Prefix::Maybe(text) | Prefix::Every(text)) = self else {
            return false;
        };
        if text.trim_ascii().is_empty() {
            return false;
        }
        let Some(after) = split_record(line).and_then(|(_, rest)| rest.strip_prefix(&text[..]))
        else {
            return false;
        };
        matches!(self, Prefix::Every(_)) || is_markup(after.trim_ascii_start())
    }

    /// `line` without the prefix, when it has it; what the line shows
    /// settles a `Maybe`.
    fn strip<'a>(&mut self, line: &'a [u8]) -> &'a [u8] {
        let (Prefix::Maybe(text) | Prefix::Every(text)) = self else {
            return line;
        };
        match split_record(line) {
            Some((_, rest)) if rest.starts_with(text) => {
                let stripped = &rest[text.len()..];
                if let Prefix::Maybe(text) = self {
                    *self = Prefix::Every(std::mem::take(text));
                }
                stripped
            }
            _ => {
                if matches!(self, Prefix::Maybe(_)) {
                    *self = Prefix::None;
                }
                line
            }
        }
    }
}

/// Hex or base64 from a log, with the file it is in: decoded later.
#[derive(Debug, Clone)]
pub struct Collected {
    file: SmolStr,
    encoded: Encoded,
}

impl Collected {
    /// The bytes of text it holds.
    pub fn bytes(&self) -> usize {
        self.encoded.text.len()
    }

    /// What it holds: WBXML messages (parsed, or unparsed with their XML
    /// when `keep_text`), a package 0, or nothing.
    pub fn finish(self, keep_text: bool) -> Vec<Event> {
        self.encoded.finish(&self.file, keep_text)
    }
}

/// What a finder does with each message it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Parses it (`Event::Message`).
    Parse,
    /// Hands it out unparsed (`Event::Unparsed`).
    Unparsed,
    /// Hands out so many at once, unparsed (`Event::Texts`).
    Batched(usize),
}

/// Iterates over the messages of one input.
pub struct Finder<R: BufRead> {
    reader: R,
    scanner: Scanner,
}

/// What the finder knows between lines: where it is, the record and message
/// it is in, what it found and has not handed out yet.
struct Scanner {
    file: SmolStr,
    line: u64,
    record: Option<LogRecord>,
    open: Option<Open>,
    /// Hex or base64 being collected (WBXML or a package 0 in a log).
    encoded: Option<Encoded>,
    pending: std::collections::VecDeque<Event>,
    buffer: Vec<u8>,
    /// The end of an over-long line's piece, for the next piece.
    carry: Vec<u8>,
    at_line_start: bool,
    done: bool,
    /// What becomes of each message found.
    mode: Mode,
    /// Messages found in `Mode::Batched`, not handed out yet.
    batch: Texts,
    start: memmem::Finder<'static>,
    end: memmem::Finder<'static>,
    /// The last record header outside a message, not read yet (`record` is
    /// then `None`); empty when there is none or it was read.
    record_line: Vec<u8>,
    /// The buffer of the last message, emptied, for the next one.
    spare: Vec<u8>,
    /// The buffer hex or base64 was last collected in, emptied, for the next
    /// (a dump grows line by line: collected here, handed on at its size).
    encoded_spare: Vec<u8>,
    /// `mac=`: a line without it holds no `x-syncml-hmac` header.
    mac: memmem::Finder<'static>,
    /// The last `x-syncml-hmac` header outside a message, and its line.
    hmac: Option<(u64, Box<Hmac>)>,
    /// `SyncML`: a line without it neither starts nor ends a message.
    name: memmem::Finder<'static>,
    /// The text being scanned was unescaped so: a message that starts in it
    /// is escaped so in the log.
    decoding: Option<Escaping>,
    /// The text being scanned is the file's line (false for a JSON record's
    /// message).
    own_lines: bool,
    /// `record` is a JSON-lines record's: the next one replaces it.
    record_from_json: bool,
    /// The line being scanned is a record's text without its time (the
    /// first line of a JSON-lines record's message).
    record_text: bool,
    /// Lines outside any message that may be the end of a message whose
    /// start is not in the input (XML lines, or the input's first lines),
    /// and the line they start on.
    fragment: Vec<u8>,
    fragment_line: u64,
    /// A record header or a message was met: the input did not start inside
    /// a message, or that part is over.
    seen_record_or_message: bool,
    /// More inputs follow: a message open at the end is carried to the next.
    carry_over: bool,
    /// A message carried from the input before (or, at the end, to the next).
    carried: Option<Carried>,
}

impl<R: BufRead> Finder<R> {
    /// A finder that parses each message it finds.
    pub fn new(reader: R, file: &str) -> Self {
        let mut finder = Self::unparsed(reader, file);
        finder.scanner.mode = Mode::Parse;
        finder
    }

    /// A finder that hands out up to `count` messages at once, unparsed
    /// ([`Event::Texts`]), for a caller that parses them on another thread.
    /// Messages wait until `count` are found, another event comes or the
    /// input ends: 1 for a live input.
    pub fn batched(reader: R, file: &str, count: usize) -> Self {
        let mut finder = Self::unparsed(reader, file);
        let count = count.max(1);
        finder.scanner.mode = Mode::Batched(count);
        finder.scanner.batch = Texts::new(finder.scanner.file.clone(), 0, count);
        finder
    }

    /// Reads on a message the input before ended inside (`carried`); with
    /// `carry`, a message open at the end is kept for the next input
    /// ([`carried`](Self::carried)) rather than reported cut short.
    pub fn continuing(mut self, carried: Option<Carried>, carry: bool) -> Self {
        self.scanner.carried = carried;
        self.scanner.carry_over = carry;
        self
    }

    /// What the input ended inside, for the next input (see [`continuing`](Self::continuing)).
    pub fn carried(&mut self) -> Option<Carried> {
        self.scanner.carried.take()
    }

    /// A finder that yields messages unparsed, for a caller that parses them
    /// elsewhere (on another thread).
    pub fn unparsed(reader: R, file: &str) -> Self {
        Self {
            reader,
            scanner: Scanner {
                mode: Mode::Unparsed,
                batch: Texts::default(),
                file: SmolStr::new(file),
                line: 0,
                record: None,
                open: None,
                encoded: None,
                pending: std::collections::VecDeque::new(),
                buffer: Vec::with_capacity(4096),
                spare: Vec::with_capacity(4096),
                encoded_spare: Vec::with_capacity(4096),
                mac: memmem::Finder::new(b"mac="),
                hmac: None,
                record_line: Vec::new(),
                carry: Vec::new(),
                at_line_start: true,
                done: false,
                start: memmem::Finder::new(START),
                end: memmem::Finder::new(END),
                name: memmem::Finder::new(&START[1..]),
                decoding: None,
                own_lines: true,
                record_from_json: false,
                record_text: false,
                fragment: Vec::new(),
                fragment_line: 0,
                seen_record_or_message: false,
                carry_over: false,
                carried: None,
            },
        }
    }

    /// Reads one line and queues what it completes. A line that is whole in
    /// the reader's buffer is scanned there; one that is not is copied.
    fn step(&mut self) {
        let scanner = &mut self.scanner;
        if scanner.carry.is_empty() {
            match self.reader.fill_buf() {
                Ok([]) => return scanner.end_of_input(),
                Ok(available) => {
                    let taken = scanner.inside(available);
                    if taken > 0 {
                        self.reader.consume(taken);
                        return;
                    }
                    if let Some(end) = memchr::memchr(b'\n', available)
                        && end < MAX_PIECE
                    {
                        scanner.piece(&available[..=end]);
                        self.reader.consume(end + 1);
                        return;
                    }
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => return,
                Err(error) => return scanner.unreadable(&error),
            }
        }
        // What the last piece of an over-long line left over comes first.
        scanner.buffer.clear();
        scanner.buffer.append(&mut scanner.carry);
        let limit = (MAX_PIECE - scanner.buffer.len()) as u64;
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut scanner.buffer);
        match read {
            Ok(0) if scanner.buffer.is_empty() => scanner.end_of_input(),
            Ok(_) => {
                if !scanner.buffer.ends_with(b"\n") && scanner.buffer.len() >= MAX_PIECE {
                    // A line longer than a piece: cut after its last '>' so that
                    // no tag is split, and carry the rest over.
                    if let Some(cut) = memchr::memrchr(b'>', &scanner.buffer) {
                        scanner.carry = scanner.buffer.split_off(cut + 1);
                    }
                }
                let piece = std::mem::take(&mut scanner.buffer);
                scanner.piece(&piece);
                scanner.buffer = piece;
                if scanner.buffer.capacity() > 4 * MAX_PIECE {
                    scanner.buffer = Vec::with_capacity(4096);
                }
            }
            Err(error) => scanner.unreadable(&error),
        }
    }
}

impl Scanner {
    fn broken(&self, line: u64, reason: String) -> Event {
        Event::Broken(Broken {
            file: self.file.clone(),
            line,
            reason,
        })
    }

    /// A message that grew past the size limit: broken, with what its first
    /// bytes still tell (its header, the commands before the large one).
    fn too_large(&mut self, mut open: Open) -> Event {
        let broken = Broken {
            file: self.file.clone(),
            line: open.line,
            reason: format!("the message is larger than {} MiB", MAX_MESSAGE_BYTES >> 20),
        };
        let record = match open.record.take() {
            Some(record) => Some(record),
            None if open.record_in_line => self.record_of(&self.record_line),
            None => None,
        };
        // Cut at a byte count: its last character may be cut too.
        let head = String::from_utf8_lossy(&open.head);
        salvaged_or_broken(broken, (open.line, record), &head, head.len())
    }

    /// A message that did not end: cut short for `why`, unless it had grown
    /// past the size limit already (then that is what it is).
    fn cut_short(&self, open: &Open, why: String) -> Event {
        let reason = if open.too_large {
            format!(
                "the message is larger than {} MiB (and does not end: {why})",
                MAX_MESSAGE_BYTES >> 20
            )
        } else {
            why
        };
        self.broken(open.line, reason)
    }

    /// The input ended: what is open is cut short.
    fn end_of_input(&mut self) {
        self.done = true;
        self.finish_encoded();
        // A message carried here that never went on was cut short before.
        if let Some(carried) = self.carried.take() {
            self.emit(carried.into_broken());
        }
        if self.carry_over
            && let Some(mut open) = self.open.take_if(|open| !open.too_large)
        {
            // Its record is read now: the next input does not have it.
            if open.record_in_line {
                open.record = self.record_of(&self.record_line);
                open.record_in_line = false;
            }
            self.hand_out_batch();
            self.carried = Some(Carried {
                file: self.file.clone(),
                open,
            });
            return;
        }
        if let Some(open) = self.open.take() {
            let event = self.cut_short(
                &open,
                "the input ends before </SyncML>: the message is cut short".into(),
            );
            self.emit(event);
        }
        self.hand_out_batch();
    }

    /// Queues an event, after the messages found before it.
    fn emit(&mut self, event: Event) {
        self.hand_out_batch();
        self.pending.push_back(event);
    }

    /// Queues the batched messages, if there are any.
    fn hand_out_batch(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        // The next batch is sized like this one, with room to spare.
        let next = Texts::new(
            self.file.clone(),
            self.batch.buffer.len() + self.batch.buffer.len() / 4,
            self.batch.places.len(),
        );
        let full = std::mem::replace(&mut self.batch, next);
        self.pending.push_back(Event::Texts(Box::new(full)));
    }

    fn unreadable(&mut self, error: &std::io::Error) {
        self.done = true;
        self.finish_encoded();
        self.emit(Event::Unreadable(Broken {
            file: self.file.clone(),
            line: self.line + 1,
            reason: format!("cannot read further: {error}"),
        }));
        self.hand_out_batch();
    }

    /// Inside a message, the whole lines at the start of `available` that
    /// neither start nor end a message nor may start a log record: taken in one
    /// go. Returns how many bytes were taken (none when the next line needs a
    /// closer look, or no message is open).
    fn inside(&mut self, available: &[u8]) -> usize {
        // A record may start a line; so may a JSON-lines record.
        let may_be_record = |byte: u8| byte.is_ascii_digit() || byte == b'[' || byte == b'{';
        let Some(open) = self.open.as_mut() else {
            return 0;
        };
        if self.encoded.is_some()
            || open.escaping.is_some()
            || open.prefix != Prefix::None
            || !self.at_line_start
            || available.first().is_none_or(|&b| may_be_record(b))
        {
            return 0;
        }
        let before = self.name.find(available).unwrap_or(available.len());
        let Some(last) = memchr::memrchr(b'\n', &available[..before]) else {
            return 0;
        };
        let mut end = last + 1;
        let mut lines = 0;
        for newline in memchr::memchr_iter(b'\n', &available[..end]) {
            lines += 1;
            if available
                .get(newline + 1)
                .is_some_and(|&b| may_be_record(b))
                && newline + 1 < end
            {
                end = newline + 1;
                break;
            }
        }
        push_limited(open, &available[..end]);
        self.line += lines;
        end
    }

    /// A line, or a piece of a line longer than a read.
    fn piece(&mut self, piece: &[u8]) {
        let starts_line = self.at_line_start;
        if starts_line {
            self.line += 1;
        }
        self.at_line_start = piece.ends_with(b"\n");
        // A JSON-lines record: its message is read in place of the line.
        if starts_line
            && self.encoded.is_none()
            && piece.first() == Some(&b'{')
            && let Some(record) = escaped::json_record(piece)
        {
            return self.json_record(record);
        }
        self.scan_unescaped(piece, starts_line);
    }

    /// A JSON-lines record: its time and its text up to the XML are the
    /// record of the messages that start in it; its message is scanned. A
    /// record that holds one line of a program's output (a container
    /// runtime's `{"log":"…\n"}`) is that line: a record header in it is the
    /// record, and the runtime's time serves only when the program writes none.
    fn json_record(&mut self, record: escaped::JsonRecord) {
        let text = record.text.as_bytes();
        let is_line = text.ends_with(b"\n");
        let replaces = self.open.is_none()
            && !(is_line && is_record(text))
            && (!is_line
                || self.record_from_json
                || (self.record.is_none() && self.record_line.is_empty()));
        if replaces {
            self.record_line.clear();
            let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
            self.record = record.time.map(|time| LogRecord {
                time: intern::value(&time),
                text: intern::value(lossy(text_before_xml(first_line)).trim()),
            });
            self.record_from_json = true;
        }
        // Its lines are read as lines (hex after a record's text, a message
        // over several lines), though they are not the file's.
        self.own_lines = is_line;
        for (index, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
            self.record_text = index == 0 && !is_line;
            self.scan_unescaped(line, true);
        }
        self.record_text = false;
        self.own_lines = true;
        // The record ends here: so does hex or base64 collected from it.
        if !is_line {
            self.finish_encoded();
        }
    }

    /// Scans a line, unescaped first when the open message is escaped.
    fn scan_unescaped(&mut self, line: &[u8], starts_line: bool) {
        match self.open.as_ref().and_then(|open| open.escaping) {
            Some(escaping) => {
                let text = escaped::unescape(escaping, line);
                self.decoding = Some(escaping);
                self.scan(&text, starts_line);
                self.decoding = None;
            }
            None => self.scan(line, starts_line),
        }
    }

    /// Scans a message written escaped, from its start: unescaped.
    fn scan_escaped(&mut self, text: &[u8], escaping: Escaping) {
        let text = escaped::unescape(escaping, text).into_owned();
        self.decoding = Some(escaping);
        self.scan(&text, false);
        self.decoding = None;
    }

    fn scan(&mut self, line: &[u8], starts_line: bool) {
        if self.carried.is_some() && self.carry_on(line, starts_line) {
            return;
        }
        if self.encoded.is_some() && self.continue_encoded(line, starts_line) {
            return;
        }
        let mut rest = line;
        // A record header ends the record before it: an open message there
        // was cut short. Inside a message only a header with a log level
        // counts: a date at the start of a line of data is data.
        // Outside a message, a record is read when a message needs it: most
        // records carry none.
        if starts_line && self.open.is_none() {
            if is_record(line) {
                self.record_line.clear();
                self.record_line.extend_from_slice(line);
                self.record = None;
                self.record_from_json = false;
                self.seen_record_or_message = true;
                self.fragment.clear();
            } else if let Some(record) = log4j_event(line) {
                self.record_line.clear();
                self.record = Some(record);
                self.record_from_json = false;
            }
        }
        // A record with the text the message's first line had before its
        // XML goes on with it: a logger that writes each line as a record.
        let record = match &self.open {
            Some(open) if starts_line && !open.prefix.continues(line) => self
                .record_of(line)
                .filter(|record| has_level(&record.text)),
            _ => None,
        };
        if let Some(record) = record {
            if let Some(open) = self.open.take() {
                let event = self.cut_short(
                    &open,
                    format!(
                        "a new log record starts at line {} before </SyncML>: the message is cut short",
                        self.line
                    ),
                );
                self.emit(event);
            }
            self.record = Some(record);
        }
        if starts_line && let Some(open) = &mut self.open {
            rest = open.prefix.strip(rest);
        }
        // Nothing of the line read yet: a record on it is the line's.
        let unread = rest.len();
        loop {
            if let Some(open) = &mut self.open {
                // Most lines of a message neither start nor end one.
                if self.name.find(rest).is_none() {
                    push_limited(open, rest);
                    return;
                }
                let next_start = find_start(&self.start, rest);
                let end = find_end(&self.end, rest);
                match (end, next_start) {
                    (Some((end, cut)), start) if start.is_none_or(|s| s > end) => {
                        push_limited(open, &rest[..cut]);
                        rest = &rest[cut..];
                        if open.nested > 0 {
                            // The end of a message carried as data.
                            open.nested -= 1;
                            continue;
                        }
                        let open = self.open.take().expect("open");
                        self.finish(open);
                    }
                    (_, Some(start)) if carried_as_data(&open.bytes, &rest[..start]) => {
                        // A message carried as data (in a CDATA section or
                        // a Data element) is the open message's text, not a
                        // message.
                        let cut = start + START.len();
                        push_limited(open, &rest[..cut]);
                        rest = &rest[cut..];
                        open.nested += 1;
                    }
                    (_, Some(start)) => {
                        let open = self.open.take().expect("open");
                        let event = self.cut_short(
                            &open,
                            format!(
                                "a new <SyncML> starts at line {} before </SyncML>: the message is cut short",
                                self.line
                            ),
                        );
                        self.emit(event);
                        // The new message's record is the one on its line
                        // (a logger that writes each line as a record).
                        if starts_line && rest.len() == unread && is_record(line) {
                            self.record = self.record_of(line);
                            self.record_line.clear();
                            self.record_from_json = false;
                        }
                        rest = &rest[start..];
                    }
                    _ => {
                        push_limited(open, rest);
                        return;
                    }
                }
            } else {
                // One search for the name finds plain and escaped starts.
                let named = self.name.find(rest).is_some();
                let start = named.then(|| find_start(&self.start, rest)).flatten();
                // An end before any start: a message whose start is not here.
                if named
                    && let Some((end, cut)) = find_end(&self.end, rest)
                    && start.is_none_or(|start| end < start)
                {
                    self.fragment_ends(&rest[..cut], None);
                    rest = &rest[cut..];
                    continue;
                }
                // The same, written escaped.
                if named
                    && start.is_none()
                    && self.decoding.is_none()
                    && let Some(end) = memmem::find(rest, ESCAPED_END)
                    && escaped::find_start(rest).is_none_or(|(start, _)| end < start)
                {
                    let cut = end + ESCAPED_END.len();
                    self.fragment_ends(&rest[..cut], Some(Escaping::References));
                    rest = &rest[cut..];
                    continue;
                }
                let Some(start) = start else {
                    if named
                        && self.decoding.is_none()
                        && let Some((at, escaping)) = escaped::find_start(rest)
                    {
                        return self.scan_escaped(&rest[at..], escaping);
                    }
                    self.note_hmac(rest);
                    self.keep_for_fragment(rest, starts_line);
                    if starts_line && rest.len() == line.len() {
                        self.start_encoded(line);
                    }
                    return;
                };
                self.fragment.clear();
                self.seen_record_or_message = true;
                self.note_hmac(&rest[..start]);
                if self.decoding.is_none() && escaped::is_backslashed(&rest[start..]) {
                    return self.scan_escaped(&rest[start..], Escaping::Backslashes);
                }
                // Batched, the record goes on unread with the message.
                let record_in_line = matches!(self.mode, Mode::Batched(_))
                    && self.record.is_none()
                    && !self.record_line.is_empty();
                self.open = Some(Open {
                    line: self.line,
                    record: if record_in_line {
                        None
                    } else {
                        self.current_record()
                    },
                    record_in_line,
                    bytes: std::mem::take(&mut self.spare),
                    too_large: false,
                    head: Vec::new(),
                    escaping: self.decoding,
                    own_lines: self.own_lines && self.decoding != Some(Escaping::Backslashes),
                    nested: 0,
                    hmac: self.hmac_for_message(),
                    prefix: if starts_line && self.decoding.is_none() && self.own_lines {
                        Prefix::of(line)
                    } else {
                        Prefix::None
                    },
                });
                rest = &rest[start..];
                // The start tag itself must not be found again as a "new" start.
                if let Some(open) = &mut self.open {
                    push_limited(open, &rest[..START.len()]);
                }
                rest = &rest[START.len()..];
            }
        }
    }

    /// Keeps an `x-syncml-hmac` header outside a message for the message
    /// that follows.
    fn note_hmac(&mut self, text: &[u8]) {
        if self.mac.find(text).is_some()
            && let Some(hmac) = Hmac::in_line(text)
        {
            self.hmac = Some((self.line, Box::new(hmac)));
        }
    }

    /// The header kept for the message starting now, if the log showed it
    /// within the few lines before (the request's headers, then its body).
    fn hmac_for_message(&mut self) -> Option<Box<Hmac>> {
        const REACH: u64 = 20;
        let (line, hmac) = self.hmac.take()?;
        (self.line - line <= REACH).then_some(hmac)
    }

    /// The first lines of an input after one that ended inside a message: its
    /// rest, up to `</SyncML>`, before any record header or new message.
    /// True when the line was taken; a line that shows the message did not go
    /// on here reports it cut short.
    fn carry_on(&mut self, line: &[u8], starts_line: bool) -> bool {
        let start = find_start(&self.start, line);
        let end = find_end(&self.end, line);
        let goes_on = !(starts_line && is_record(line))
            && start.is_none_or(|s| end.is_some_and(|(e, _)| e < s));
        let Some(mut carried) = self.carried.take() else {
            return false;
        };
        if !goes_on {
            self.emit(carried.into_broken());
            return false;
        }
        match end {
            None => {
                push_limited(&mut carried.open, line);
                self.carried = Some(carried);
                true
            }
            Some((_, cut)) => {
                push_limited(&mut carried.open, &line[..cut]);
                self.finish_carried(carried);
                self.seen_record_or_message = true;
                let rest = &line[cut..];
                if !rest.trim_ascii().is_empty() {
                    self.scan(rest, false);
                }
                true
            }
        }
    }

    /// A message carried from the input before is whole: handed out as that
    /// input's.
    fn finish_carried(&mut self, carried: Carried) {
        let Carried { file, open } = carried;
        let event = if open.too_large {
            Event::Broken(Broken {
                file,
                line: open.line,
                reason: format!("the message is larger than {} MiB", MAX_MESSAGE_BYTES >> 20),
            })
        } else {
            Event::Unparsed(Box::new(Text {
                file,
                line: open.line,
                record: open.record,
                text: message_text(&open.bytes).into_owned(),
                own_lines: false,
                hmac: open.hmac,
            }))
        };
        self.emit(event);
    }

    /// Keeps a piece of text outside any message while it may belong to a
    /// fragment: XML lines, and the first lines of an input that starts with
    /// neither a record nor a message; anything else ends what was kept.
    fn keep_for_fragment(&mut self, piece: &[u8], starts_line: bool) {
        const FIRST_LINES: u64 = 1000;
        let trimmed = piece.trim_ascii_start();
        let looks_xml = trimmed.first() == Some(&b'<') || trimmed.starts_with(b"&lt;");
        let at_start = !self.seen_record_or_message && self.line <= FIRST_LINES;
        let kept = looks_xml || at_start || (!starts_line && !self.fragment.is_empty());
        if !kept || self.fragment.len() + piece.len() > MAX_MESSAGE_BYTES {
            self.fragment.clear();
            return;
        }
        if self.fragment.is_empty() {
            self.fragment_line = self.line;
        }
        self.fragment.extend_from_slice(piece);
    }

    /// `</SyncML>` outside any message (written so, or escaped so): what was
    /// kept before it, and `tail`, is a fragment. It is reported, and what can
    /// be read of it is threaded.
    fn fragment_ends(&mut self, tail: &[u8], escaping: Option<Escaping>) {
        let line = if self.fragment.is_empty() {
            self.line
        } else {
            self.fragment_line
        };
        let mut bytes = std::mem::take(&mut self.fragment);
        bytes.extend_from_slice(tail);
        let broken = Broken {
            file: self.file.clone(),
            line,
            reason:
                "fragment: the message starts before this line (its beginning is not in this input)"
                    .into(),
        };
        let bytes = match escaping {
            Some(escaping) => escaped::unescape(escaping, &bytes).into_owned(),
            None => bytes,
        };
        if !closes_markup(&bytes) {
            // `</SyncML>` named in running text or code (`"</SyncML>" not
            // in …`): no message's end.
            return;
        }
        let text = message_text(&bytes);
        let event = salvaged_or_broken(broken, (line, self.current_record()), &text, text.len());
        self.emit(event);
    }

    /// Adds a line to the hex or base64 being collected, if it carries it on;
    /// otherwise finishes what was collected. True when the line was taken.
    fn continue_encoded(&mut self, line: &[u8], starts_line: bool) -> bool {
        let piece = trim_eol(line);
        let rows = self.encoded.as_ref().is_some_and(|encoded| encoded.rows);
        let prefixed = self
            .encoded
            .as_ref()
            .is_some_and(|encoded| encoded.prefixed);
        let is_record = starts_line && is_record(line);
        if is_record && self.record_row(piece) {
            return true;
        }
        let piece = if starts_line {
            // A hex dump's row: its hex, without its offset and its text;
            // after such rows, only such rows go on. Each line a record of
            // its own (a logger's prefix): the record's text.
            let mut piece = piece.trim_ascii();
            if is_record
                && prefixed
                && let Some((_, text)) = split_record(piece)
            {
                piece = text.trim_ascii();
            }
            match embedded::dump_row(piece) {
                Some(hex) => hex,
                None if rows => &[],
                None => piece,
            }
        } else {
            // The next piece of a line longer than a read: no new line, and a
            // pair of hex digits may be split across the two.
            piece.trim_ascii_end()
        };
        if let Some(encoded) = &mut self.encoded
            && (!is_record || encoded.prefixed)
            && (encoded.encoding.continues(&encoded.text, piece) || !starts_line)
            // Three hex characters a byte at most: longer is no DM message; what
            // was collected is decoded (and reported if it is cut-short WBXML).
            && encoded.text.len() + piece.len() <= 3 * MAX_MESSAGE_BYTES
        {
            if starts_line {
                encoded.text.push(b'\n');
            }
            encoded.text.extend_from_slice(piece);
            return true;
        }
        self.finish_encoded();
        false
    }

    /// A dump's next row, logged as a record of its own ([`RecordRows`]):
    /// added to what is collected. Out of line: most records are none.
    #[inline(never)]
    fn record_row(&mut self, line: &[u8]) -> bool {
        if let Some(encoded) = &mut self.encoded
            && let Some(rows) = &mut encoded.record_rows
            && let Some((_, text)) = split_record(line.trim_ascii())
            && let Some(row) = rows.next_row(text)
            && encoded.text.len() + row.len() <= 3 * MAX_MESSAGE_BYTES
        {
            encoded.text.push(b'\n');
            encoded.text.extend_from_slice(row);
            return true;
        }
        false
    }

    /// Starts collecting when a line outside any message is hex or base64: the
    /// whole line, or on a record's line what follows its text's last ": ".
    fn start_encoded(&mut self, line: &[u8]) {
        let line = trim_eol(line).trim_ascii();
        // A hex dump's row: its hex, without its offset and its text.
        let row = embedded::dump_row(line);
        let line = row.unwrap_or(line);
        // What is collected ends where the line ends.
        if !Encoding::may_end(line) {
            return;
        }
        let record = split_record(line);
        // A record whose whole text is hex or base64: a logger's time
        // (kubectl's) on each line of a dump.
        if let Some((_, text)) = record
            && let Some(encoding) = Encoding::of(text.trim_ascii())
        {
            return self.start_collecting(encoding, text.trim_ascii(), row.is_some(), true);
        }
        let record_text = match record {
            Some((_, text)) => Some(text),
            None => self.record_text.then_some(line),
        };
        let (before, piece) = match record_text {
            // The last ": " (a searcher is not worth building for one short text).
            Some(text) => {
                match memchr::memrchr_iter(b':', text).find(|&at| text.get(at + 1) == Some(&b' ')) {
                    Some(at) => (&text[..at + 2], text[at + 2..].trim_ascii()),
                    None => return,
                }
            }
            None => (&b""[..], line),
        };
        if let Some(encoding) = Encoding::of(piece) {
            self.start_collecting(encoding, piece, row.is_some(), false);
            // On a record's line, hex may be a dump's first row.
            if encoding == Encoding::Hex
                && record.is_some()
                && let Some(encoded) = &mut self.encoded
            {
                encoded.record_rows = RecordRows::of(before, piece);
            }
        }
    }

    /// Collects hex or base64 from `piece` on (see [`Encoded`]).
    fn start_collecting(&mut self, encoding: Encoding, piece: &[u8], rows: bool, prefixed: bool) {
        let mut text = std::mem::take(&mut self.encoded_spare);
        text.clear();
        text.extend_from_slice(piece);
        self.encoded = Some(Encoded {
            encoding,
            line: self.line,
            record: self.current_record(),
            text,
            rows,
            prefixed,
            record_rows: None,
        });
    }

    /// Hex or base64 ended: decoded here, or by whoever parses the batches.
    fn finish_encoded(&mut self) {
        let Some(mut encoded) = self.encoded.take() else {
            return;
        };
        // Handed on at its size; the buffer stays for the next, unless large.
        let exact = encoded.text.to_vec();
        let collected = std::mem::replace(&mut encoded.text, exact);
        if collected.capacity() <= MAX_SPARE {
            self.encoded_spare = collected;
        }
        if matches!(self.mode, Mode::Batched(_)) {
            let collected = Collected {
                file: self.file.clone(),
                encoded,
            };
            self.emit(Event::Collected(Box::new(collected)));
            return;
        }
        for event in encoded.finish(&self.file, true) {
            self.emit(event);
        }
    }

    /// The record a message starts in: the last record header's, read now.
    fn current_record(&mut self) -> Option<LogRecord> {
        if self.record.is_none() && !self.record_line.is_empty() {
            self.record = self.record_of(&self.record_line);
            self.record_line.clear();
        }
        self.record.clone()
    }

    /// The record header on this line, if it is one; its text stops where XML begins.
    fn record_of(&self, line: &[u8]) -> Option<LogRecord> {
        let (time, text) = record_parts(line)?;
        Some(LogRecord {
            time: intern::value(&lossy(time)),
            text: intern::value(lossy(text).trim()),
        })
    }

    /// A message is complete: queued as the mode says, or as broken.
    fn finish(&mut self, mut open: Open) {
        if open.too_large {
            let event = self.too_large(open);
            return self.emit(event);
        }
        let text = message_text(&open.bytes);
        let text = text.as_ref();
        let event = match self.mode {
            Mode::Batched(count) => {
                // The record line is the message's still: no other is read
                // while a message is open.
                let record = match &open.record {
                    Some(record) => Some((record.time.as_bytes(), record.text.as_bytes())),
                    None if open.record_in_line => record_parts(&self.record_line),
                    None => None,
                };
                self.batch
                    .push((open.line, open.own_lines), record, text, open.hmac.take());
                if self.batch.len() >= count || self.batch.bytes() >= MAX_BATCH_BYTES {
                    self.hand_out_batch();
                }
                None
            }
            // The text is copied out at its size: the buffer serves the next message.
            Mode::Parse | Mode::Unparsed => {
                let text = Text {
                    file: self.file.clone(),
                    line: open.line,
                    record: open.record.take(),
                    text: text.to_owned(),
                    own_lines: open.own_lines,
                    hmac: open.hmac.take(),
                };
                Some(if self.mode == Mode::Parse {
                    text.parse()
                } else {
                    Event::Unparsed(Box::new(text))
                })
            }
        };
        if open.bytes.capacity() <= MAX_PIECE {
            open.bytes.clear();
            self.spare = open.bytes;
        }
        if let Some(event) = event {
            self.emit(event);
        }
    }
}

/// A message's text: its bytes as UTF-8, or when they are not, as
/// ISO-8859-1: what a server writes in its platform's charset (a Java
/// server's default, often), or what its XML declaration names. Every byte
/// is a character there, so nothing of the message is lost, and its markup,
/// ASCII, reads the same.
fn message_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

/// The first end tag `</SyncML>` of `bytes` (`</SyncML >` too: white space
/// may come before its `>`, on the same line: the finder reads lines; an
/// escaped end is looked for apart): where it starts and where it ends.
fn find_end(finder: &memmem::Finder<'_>, bytes: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = finder.find(&bytes[from..]) {
        let start = from + found;
        let after = start + END.len();
        let spaces = bytes[after..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .count();
        if bytes.get(after + spaces) == Some(&b'>') {
            return Some((start, after + spaces + 1));
        }
        from = after;
    }
    None
}

/// What is kept of a message that grows past [`MAX_MESSAGE_BYTES`]: its
/// header and first commands, read as those of a damaged message.
const HEAD_KEPT: usize = 64 * 1024;

fn push_limited(open: &mut Open, bytes: &[u8]) {
    if open.bytes.len() + bytes.len() > MAX_MESSAGE_BYTES {
        if !open.too_large {
            open.bytes.truncate(HEAD_KEPT);
            open.head = std::mem::take(&mut open.bytes);
        }
        open.too_large = true;
        open.bytes.clear();
    } else if !open.too_large {
        open.bytes.extend_from_slice(bytes);
    }
}

/// Whether a message that starts after `before` and `tail` (the open
/// message's text so far) is carried as data: inside a CDATA section, or
/// inside a `<Data>` element.
fn carried_as_data(before: &[u8], tail: &[u8]) -> bool {
    inside(before, tail, b"<![CDATA[", b"]]>") || inside(before, tail, b"<Data>", b"</Data>")
}

/// Whether text (`tail` after `before`) ends after an `open` not closed yet.
fn inside(before: &[u8], tail: &[u8], open: &[u8], close: &[u8]) -> bool {
    for text in [tail, before] {
        match (memmem::rfind(text, open), memmem::rfind(text, close)) {
            (Some(open), Some(close)) => return open > close,
            (Some(_), None) => return true,
            (None, Some(_)) => return false,
            (None, None) => {}
        }
    }
    false
}

/// `<SyncML` followed by `>`, white space or `/` (not `<SyncMLx`).
fn find_start(finder: &memmem::Finder<'_>, text: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = finder.find(&text[from..]) {
        let position = from + at;
        let after = position + START.len();
        if xml::ends_tag_name(text.get(after)) && markup_follows(&text[after..]) {
            return Some(position);
        }
        from = after;
    }
    None
}

/// Whether the end tag `</SyncML>` that ends `bytes` (a fragment, up to and
/// with its end tag) closes markup: what comes before it, white space left
/// out, ends a tag (`</SyncBody>`), or nothing does (a log cut just there).
fn closes_markup(bytes: &[u8]) -> bool {
    let Some(end) = memmem::rfind(bytes, END) else {
        return true;
    };
    matches!(bytes[..end].trim_ascii_end().last(), None | Some(b'>'))
}

/// After a start tag's name: the tag ends, and what follows it on the line
/// is markup (the header's tag), escaped markup (`\n<SyncHdr>` in a JSON
/// string) or nothing (the message goes on below). A `<SyncML>` named in
/// running text (`Processing <SyncML> message`, `"<SyncML>"` in code) starts
/// no message. A tag whose end is not on the line counts.
fn markup_follows(rest: &[u8]) -> bool {
    let Some(end) = memchr::memchr(b'>', rest) else {
        return true;
    };
    let after = rest[end + 1..].trim_ascii_start();
    matches!(after.first(), None | Some(b'<' | b'\\'))
}

/// `text` starts with a tag, an end tag, a comment, CDATA or a declaration
/// (not `<-- 200 OK` or `<3`).
fn is_markup(text: &[u8]) -> bool {
    matches!(text, [b'<', next, ..] if next.is_ascii_alphabetic() || b"/!?_".contains(next))
}

fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

impl<R: BufRead> Iterator for Finder<R> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.scanner.pending.pop_front() {
                return Some(event);
            }
            if self.scanner.done {
                return None;
            }
            self.step();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<Event> {
        Finder::new(text.as_bytes(), "test.log").collect()
    }

    const MESSAGE: &str = "<SyncML><SyncHdr><SessionID>1</SessionID><MsgID>1</MsgID></SyncHdr><SyncBody><Final/></SyncBody></SyncML>";

    #[test]
    fn messages_are_found_with_their_record() {
        let log = format!(
            "2010-06-28 13:48:21,412 DEBUG [LogUtil] (t1) Received from device:\n{MESSAGE}\n\
             2010-06-28 13:48:22,001 INFO [Other] something else\n\
             2010-06-28 13:48:23,500 DEBUG [LogUtil] (t1) Sending to device: {MESSAGE}\n"
        );
        let found: Vec<Found> = events(&log)
            .into_iter()
            .map(|e| match e {
                Event::Message(found) => *found,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 2);
        let record = found[0].record.as_ref().expect("a record");
        assert_eq!(record.time, "2010-06-28 13:48:21,412");
        assert!(record.text.ends_with("Received from device:"));
        assert_eq!(found[1].line, 4);
        let record = found[1].record.as_ref().expect("a record");
        assert!(
            record.text.ends_with("Sending to device:"),
            "{}",
            record.text
        );
    }

    #[test]
    fn several_messages_on_one_line_and_raw_files_without_records() {
        let text = format!("{MESSAGE}{MESSAGE}\r\n{MESSAGE}");
        let count = events(&text)
            .iter()
            .filter(|e| matches!(e, Event::Message(f) if f.record.is_none()))
            .count();
        assert_eq!(count, 3);
    }

    #[test]
    fn broken_messages_are_reported_and_the_rest_is_read() {
        let text = format!(
            "<SyncML><SyncHdr>\n<MsgID>1</MsgID>\n{MESSAGE}\n<SyncML><SyncHdr></SyncBody></SyncML>\n{MESSAGE}\n<SyncML><Sync"
        );
        let kinds: Vec<String> = events(&text)
            .iter()
            .map(|e| match e {
                Event::Message(found) => format!("message@{}", found.line),
                Event::Broken(broken) => format!("broken@{}", broken.line),
                Event::Unreadable(_) => "unreadable".into(),
                Event::Unparsed(text) => format!("unparsed@{}", text.line),
                Event::Texts(texts) => format!("texts:{}", texts.len()),
                Event::Notification(found) => format!("notification@{}", found.line),
                Event::Collected(_) => "collected".into(),
                Event::Damaged(damaged) => format!("damaged@{}", damaged.broken.line),
                Event::Bootstrap(found) => format!("bootstrap@{}", found.line),
            })
            .collect();
        assert_eq!(
            kinds,
            ["broken@1", "message@3", "broken@4", "message@5", "broken@6"]
        );
        // Left unparsed, the same messages parse to the same events later.
        let later: Vec<String> = Finder::unparsed(text.as_bytes(), "test.log")
            .map(|e| match e {
                Event::Unparsed(text) => match text.parse() {
                    Event::Message(found) => format!("message@{}", found.line),
                    Event::Broken(broken) => format!("broken@{}", broken.line),
                    _ => "other".into(),
                },
                Event::Broken(broken) => format!("broken@{}", broken.line),
                _ => "other".into(),
            })
            .collect();
        assert_eq!(later, kinds);
    }

    /// What a batched finder hands out, parsed: message (line, record, text
    /// kept or not) or broken, in order.
    fn parsed_batches(log: &[u8], count: usize, keep_text: bool) -> (Vec<String>, Vec<usize>) {
        let mut sizes = Vec::new();
        let mut out = Vec::new();
        let describe = |event: &Event| match event {
            Event::Message(found) => format!(
                "message@{}:{:?}:text={:?}:{}",
                found.line,
                found.record,
                found.text.as_deref().map(str::len),
                found.file
            ),
            other => format!("{other:?}"),
        };
        for event in Finder::batched(log, "test.log", count) {
            match event {
                Event::Texts(texts) => {
                    sizes.push(texts.len());
                    out.extend(texts.parse(keep_text).map(|e| describe(&e)));
                }
                Event::Collected(collected) => {
                    out.extend(collected.finish(true).iter().map(describe));
                }
                other => out.push(describe(&other)),
            }
        }
        (out, sizes)
    }

    #[test]
    fn batched_texts_parse_to_the_same_events_in_the_same_order() {
        let fixture = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/dme-server.log"
        ))
        .expect("fixture");
        let broken = format!(
            "<SyncML><SyncHdr>\n<MsgID>1</MsgID>\n{MESSAGE}\n<SyncML><SyncHdr></SyncBody></SyncML>\n{MESSAGE}\n<SyncML><Sync"
        );
        // Records on the message's line (with an XML declaration), before
        // it, or inside it (the message is cut short); two messages on a line.
        let records = format!(
            "2010-06-28 13:48:21,412 DEBUG [LogUtil] (t1) Received from device:\n{MESSAGE}\n\
             2010-06-28 13:48:23,500 DEBUG [LogUtil] (t1) Sending to device: <?xml version=\"1.0\"?>{MESSAGE}{MESSAGE}\n\
             [2010-06-28 13:48:24.5] INFO no message\n<SyncML><SyncHdr>\n\
             2010-06-28 13:48:25,000 WARN [x] cut: {MESSAGE}\n"
        );
        // Hex WBXML and packages 0 between the messages: decoded later in batches.
        let hex = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/wbxml/dme-server-hex.log"
        ))
        .expect("fixture");
        for log in [
            &fixture[..],
            broken.as_bytes(),
            records.as_bytes(),
            &hex[..],
        ] {
            let one_by_one: Vec<String> = Finder::new(log, "test.log")
                .map(|event| match event {
                    Event::Message(mut found) => {
                        found.text = None;
                        Event::Message(found)
                    }
                    other => other,
                })
                .map(|event| match &event {
                    Event::Message(found) => format!(
                        "message@{}:{:?}:text={:?}:{}",
                        found.line, found.record, None::<usize>, found.file
                    ),
                    other => format!("{other:?}"),
                })
                .collect();
            for count in [1, 2, 3, 64] {
                let (events, sizes) = parsed_batches(log, count, false);
                assert_eq!(events, one_by_one, "batches of {count}");
                assert!(sizes.iter().all(|&size| (1..=count).contains(&size)));
            }
        }
        // Batches fill up to their count; the texts are kept when asked.
        let (events, sizes) = parsed_batches(&fixture, 2, true);
        assert!(
            sizes.iter().filter(|&&size| size == 2).count() >= 2,
            "{sizes:?}"
        );
        assert!(
            events
                .iter()
                .any(|e| e.starts_with("message@") && e.contains(":text=Some("))
        );
    }

    #[test]
    fn a_dated_line_inside_a_message_is_data_unless_it_is_a_record() {
        let log = format!(
            "2010-06-28 13:48:21,412 DEBUG [LogUtil] Received:\n<SyncML><SyncHdr><MsgID>1</MsgID></SyncHdr><SyncBody><Results><Item><Data>\n\
             2010-06-28 13:48:20 device log line\n</Data></Item></Results></SyncBody></SyncML>\n{MESSAGE}\n"
        );
        let found = events(&log)
            .iter()
            .filter(|e| matches!(e, Event::Message(_)))
            .count();
        assert_eq!(found, 2);
    }

    #[test]
    fn a_line_longer_than_a_piece_is_read_in_pieces_without_losing_messages() {
        let many = MESSAGE.repeat(MAX_PIECE / MESSAGE.len() * 3);
        let count = events(&many)
            .iter()
            .filter(|e| matches!(e, Event::Message(_)))
            .count();
        assert_eq!(count, MAX_PIECE / MESSAGE.len() * 3);
    }

    /// Lines whole in the reader's buffer are scanned in place, the others
    /// copied: however the buffer cuts the input, the same events come out.
    #[test]
    fn the_reader_s_buffer_size_changes_nothing() {
        let log = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/dme-server.log"
        ))
        .expect("fixture");
        let summary = |events: Vec<Event>| -> Vec<String> {
            events
                .iter()
                .map(|event| match event {
                    Event::Message(found) => {
                        format!("{}:{:?}:{:?}", found.line, found.record, found.text)
                    }
                    other => format!("{other:?}"),
                })
                .collect()
        };
        let whole = summary(Finder::new(&log[..], "test.log").collect());
        assert!(whole.len() > 5);
        for capacity in [1, 7, 64, 1000] {
            let reader = std::io::BufReader::with_capacity(capacity, &log[..]);
            assert_eq!(
                summary(Finder::new(reader, "test.log").collect()),
                whole,
                "{capacity}"
            );
        }
    }

    /// The MsgIDs of the messages found in `log`, which must hold nothing else.
    fn message_ids(log: &[u8]) -> Vec<String> {
        Finder::new(log, "x")
            .map(|event| match event {
                Event::Message(found) => found.message.header.msg_id.unwrap_or_default().into(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_syncml_tag_named_in_running_text_or_code_is_no_message() {
        let log = b"INFO Processing <SyncML> message from the queue\n\
                    a table cell: invalid: empty <SyncML> root. XML |\n\
                    while \"</SyncML>\" not in lines[end]:\n\
                    return re.findall(r\"<SyncML[\\s>].*?</SyncML>\", text)\n\
                    <SyncML xmlns=\"SYNCML:SYNCML1.2\">\n<SyncHdr><MsgID>1</MsgID></SyncHdr></SyncML>\n\
                    <SyncML><SyncHdr><MsgID>2</MsgID></SyncHdr>\n</SyncML>\n";
        assert_eq!(message_ids(log), ["1", "2"]);
        // A log cut inside a message still reports the rest as a fragment.
        let cut = b"<MsgID>3</MsgID></SyncHdr><SyncBody><Final/></SyncBody>\n</SyncML>\n";
        let events: Vec<Event> = Finder::new(&cut[..], "x").collect();
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(!matches!(events[0], Event::Message(_)), "{events:?}");
    }

    #[test]
    fn a_logger_that_writes_each_line_as_a_record_with_a_level_is_read_whole() {
        let each_line = |xml: &str, second: u32| -> String {
            xml.lines()
                .map(|line| format!("2010-06-28 13:48:{second:02},412 DEBUG [LogUtil] {line}\n"))
                .collect()
        };
        let first = "<SyncML>\n  <SyncHdr>\n    <MsgID>1</MsgID>\n  </SyncHdr>\n</SyncML>";
        let second = first.replace("<MsgID>1", "<MsgID>2");
        let log = format!(
            "2010-06-28 13:48:20,000 DEBUG [LogUtil] Received from device:\n{}\
             2010-06-28 13:48:21,000 INFO  [Jobs] 3 jobs waiting\n{}",
            each_line(first, 20),
            each_line(&second, 22)
        );
        assert_eq!(message_ids(log.as_bytes()), ["1", "2"]);
        let found: Vec<Found> = Finder::new(log.as_bytes(), "x")
            .filter_map(|event| match event {
                Event::Message(found) => Some(*found),
                _ => None,
            })
            .collect();
        assert_eq!(found[1].line, 8);
        // Cut short, it is still reported, and a record of another text ends
        // it; the next message of the same logger is read.
        let cut: String = each_line(first, 20)
            .lines()
            .take(3)
            .map(|l| format!("{l}\n"))
            .collect();
        let log = format!(
            "{cut}2010-06-28 13:48:21,000 INFO  [Jobs] 3 jobs waiting\n{}",
            each_line(&second, 22)
        );
        let events: Vec<Event> = Finder::new(log.as_bytes(), "x").collect();
        assert_eq!(events.len(), 2, "{events:?}");
        assert!(
            matches!(&events[0], Event::Damaged(_) | Event::Broken(_)),
            "{events:?}"
        );
        assert!(
            matches!(&events[1], Event::Message(found) if found.line == 5),
            "{events:?}"
        );
        // A message cut short on its first line does not take in its
        // logger's next records: the next message is read.
        let log = format!(
            "2010-06-28 13:48:20,412 DEBUG [LogUtil] <SyncML><SyncHdr>\n\
             2010-06-28 13:48:21,000 DEBUG [LogUtil] Sending to device:\n{}",
            each_line(&second, 22)
        );
        let events: Vec<Event> = Finder::new(log.as_bytes(), "x").collect();
        assert_eq!(events.len(), 2, "{events:?}");
        let reason = match &events[0] {
            Event::Damaged(damaged) => &damaged.broken.reason,
            Event::Broken(broken) => &broken.reason,
            other => panic!("{other:?}"),
        };
        assert!(
            reason.starts_with("a new log record starts at line 2"),
            "{reason}"
        );
        assert!(
            matches!(&events[1], Event::Message(found) if found.line == 3),
            "{events:?}"
        );
        // Only markup goes on with a message before every line has shown
        // the prefix: an arrow of an HTTP client's log is none.
        for (text, markup) in [
            ("<SyncHdr>", true),
            ("</SyncML>", true),
            ("<![CDATA[", true),
            ("<?xml", true),
            ("<-- 200 OK", false),
            ("<3", false),
        ] {
            assert_eq!(is_markup(text.as_bytes()), markup, "{text}");
        }
        // Cut short by the same logger's next message: that one is read,
        // with the record on its own line.
        let log = format!("{cut}{}", each_line(&second, 22));
        let events: Vec<Event> = Finder::new(log.as_bytes(), "x").collect();
        assert_eq!(events.len(), 2, "{events:?}");
        let Event::Message(found) = &events[1] else {
            panic!("{events:?}");
        };
        assert_eq!(found.line, 4);
        let record = found.record.as_ref().expect("its record");
        assert_eq!(record.time, "2010-06-28 13:48:22,412");
    }

    #[test]
    fn an_end_tag_with_white_space_before_its_bracket_ends_the_message() {
        let log = b"<SyncML><SyncHdr><MsgID>1</MsgID></SyncHdr></SyncML >\n\
                    <SyncML><SyncHdr><MsgID>2</MsgID></SyncHdr></SyncML\t>trailing </SyncMLx> text\n";
        assert_eq!(message_ids(log), ["1", "2"]);
    }

    #[test]
    fn a_message_too_large_is_broken_but_its_header_and_first_commands_are_read() {
        let mut log = b"<SyncML><SyncHdr><SessionID>5</SessionID><MsgID>1</MsgID>\
              <Source><LocURI>IMEI:1</LocURI></Source></SyncHdr><SyncBody>\
              <Alert><CmdID>1</CmdID><Data>1201</Data></Alert>\
              <Replace><CmdID>2</CmdID><Item><Data>"
            .to_vec();
        let line = b"A".repeat(1 << 20);
        for _ in 0..17 {
            log.extend_from_slice(&line);
            log.push(b'\n');
        }
        log.extend_from_slice(b"</Data></Item></Replace><Final/></SyncBody></SyncML>\n");
        let events: Vec<Event> = Finder::new(&log[..], "x").collect();
        let [Event::Damaged(damaged)] = &events[..] else {
            panic!("{} events", events.len());
        };
        assert!(damaged.broken.reason.contains("larger than 16 MiB"));
        let message = &damaged.salvaged.message;
        assert_eq!(message.header.session_id.as_deref(), Some("5"));
        assert_eq!(message.header.source.as_deref(), Some("IMEI:1"));
        let names: Vec<&str> = message.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Alert"]);
    }

    #[test]
    fn a_message_that_is_not_utf8_is_read_as_latin1() {
        let mut bytes = b"<SyncML><SyncHdr><MsgID>".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        bytes.extend_from_slice(b"</MsgID></SyncHdr></SyncML>\n");
        let events: Vec<Event> = Finder::new(bytes.as_slice(), "x").collect();
        let [Event::Message(found)] = &events[..] else {
            panic!("{events:?}");
        };
        assert_eq!(found.message.header.msg_id.as_deref(), Some("\u{ff}\u{fe}"));
    }
}
