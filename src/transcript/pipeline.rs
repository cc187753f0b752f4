//! Reading in three stages: a reader thread opens the inputs and finds the
//! messages, two parser threads parse them (taking the reader's batches in
//! turn), and the caller pulls what is already parsed ([`Items::next`], taking
//! the parsers' batches back in the same turn, so the order holds). Events
//! travel in batches over bounded channels, so memory stays constant whatever
//! the size of the input, and a caller that stops early (drops [`Items`]) stops
//! the others. The threads, the batches and the giving back of used batches to
//! the thread that allocated them are this module's own: callers see items.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{self, JoinHandle};

use std::io::BufRead;

use super::embedded::{self, FoundNotification};
use super::finder::{Broken, Carried, Damaged, Event, Finder, Found};
use super::input;
use crate::syncml::wbxml;

/// Events per batch at most: enough to make the channel's cost negligible
/// (a batch also goes on once it holds `TEXTS_PER_BATCH` messages).
const BATCH: usize = 256;
/// Messages per batch of texts: the reader, far ahead of the parser, waits
/// for room and is woken once per batch; larger batches wake it less often
/// (BENCHMARKS.md: 64 messages a batch cost 10% more time than 256).
const TEXTS_PER_BATCH: usize = 256;
/// Bytes of text per batch at most (as the finder's batches of texts): large
/// messages (base64 payloads, hex WBXML) make smaller batches, so the batches
/// in flight hold about the same memory whatever the messages.
const BYTES_PER_BATCH: usize = super::finder::MAX_BATCH_BYTES;
/// Batches in flight between two threads: bounds the memory they hold.
const BATCHES_IN_FLIGHT: usize = 4;
/// Parser threads: parsing is the largest part of the work. Batches go to
/// them in turn and come back from them in the same turn, so their order holds.
const PARSERS: usize = 2;

/// What the reader thread reports, in input order.
pub(crate) enum Item {
    /// An input was opened: its name, the bytes read so far and its size.
    Opened {
        name: String,
        read: Arc<AtomicU64>,
        size: Option<u64>,
    },
    /// An input could not be opened.
    Unopenable { path: String, error: String },
    /// A message, parsed.
    Message(Box<Found>),
    /// A package 0 (notification) written into a log.
    Notification(Box<FoundNotification>),
    /// A bootstrap written into a log.
    Bootstrap(Box<crate::bootstrap::FoundBootstrap>),
    /// A message that could not be read, with where and why.
    Broken(Broken),
    /// The input could not be read any further (an I/O or gzip error).
    Unreadable(Broken),
}

/// What an event of the finder is to the caller: items, in order, added to
/// `items` (a batch of texts is parsed here; each message keeps its XML when
/// `keep_texts`).
fn items_of(event: Event, keep_texts: bool, items: &mut Vec<Item>) {
    let item = match event {
        Event::Message(found) => Item::Message(found),
        Event::Unparsed(text) => return items_of(text.parse(), keep_texts, items),
        Event::Collected(collected) => {
            for event in collected.finish(keep_texts) {
                items_of(event, keep_texts, items);
            }
            return;
        }
        Event::Texts(texts) => {
            for event in texts.parse(keep_texts) {
                items_of(event, keep_texts, items);
            }
            return;
        }
        Event::Notification(notified) => Item::Notification(notified),
        Event::Bootstrap(found) => Item::Bootstrap(found),
        Event::Broken(broken) => Item::Broken(broken),
        Event::Damaged(damaged) => {
            let Damaged { broken, salvaged } = *damaged;
            items.push(Item::Broken(broken));
            Item::Message(Box::new(salvaged))
        }
        Event::Unreadable(broken) => Item::Unreadable(broken),
    };
    items.push(item);
}

/// What the reader thread hands a parser thread.
enum Raw {
    Item(Item),
    Event(Event),
}

/// What [`Items::step`] moved to.
pub(crate) enum Step {
    /// The reader moved on: [`Items::position`] says where.
    Progress,
    /// An item: [`Items::current`].
    Item,
}

/// Progress of the input being read: bytes read so far and the total.
pub(crate) struct Position {
    pub name: String,
    read: Arc<AtomicU64>,
    pub size: Option<u64>,
}

impl Position {
    pub(crate) fn read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }
}

/// The items of the inputs, in input order, pulled one at a time. Each is lent
/// until the next call; the batch it came in goes back to the parser that
/// allocated it once it is used up.
pub(crate) struct Items {
    receivers: Vec<Receiver<Vec<Item>>>,
    used: Vec<SyncSender<Vec<Item>>>,
    turn: usize,
    batch: Vec<Item>,
    at: usize,
    /// A new batch was taken since the caller last asked ([`Items::moved`]).
    moved: bool,
    /// The current item was not lent yet: progress was, first.
    held: bool,
    position: Option<Position>,
    threads: Vec<JoinHandle<()>>,
    /// Stdin may never end: the reader is not waited for.
    detached: bool,
}

impl Items {
    /// Starts reading `files` in order on reader and parser threads; each
    /// message keeps its XML when `keep_texts`.
    pub(crate) fn open(files: &[String], keep_texts: bool) -> Self {
        let mut to_parsers = Vec::new();
        let mut receivers = Vec::new();
        let mut used = Vec::new();
        let mut threads = Vec::new();
        for _ in 0..PARSERS {
            let (found, to_parse) = sync_channel::<Vec<Raw>>(BATCHES_IN_FLIGHT);
            let (parsed, receiver) = sync_channel::<Vec<Item>>(BATCHES_IN_FLIGHT);
            let (done, recycled) = sync_channel::<Vec<Item>>(BATCHES_IN_FLIGHT);
            threads.push(thread::spawn(move || {
                parse(&to_parse, &parsed, &recycled, keep_texts);
            }));
            to_parsers.push(found);
            receivers.push(receiver);
            used.push(done);
        }
        let owned = files.to_vec();
        threads.push(thread::spawn(move || produce(&owned, &to_parsers)));
        Self {
            receivers,
            used,
            turn: 0,
            // Before the first item: `advance` moves past this empty batch.
            batch: Vec::new(),
            at: 0,
            moved: false,
            held: false,
            position: None,
            threads,
            detached: reads_stdin(files),
        }
    }

    /// Moves to the next item; false at the end.
    fn advance(&mut self) -> bool {
        self.at += 1;
        while self.at >= self.batch.len() {
            let done = std::mem::take(&mut self.batch);
            if done.capacity() > 0 {
                // The parser allocated these: it frees them faster than this
                // thread can (the allocator's per-thread arenas). If it is
                // busy, they are freed here.
                let previous = (self.turn + self.receivers.len() - 1) % self.receivers.len();
                let _ = self.used[previous].try_send(done);
            }
            // No batch in this turn: the reader is done, and so are the parsers.
            let Ok(batch) = self.receivers[self.turn].recv() else {
                return false;
            };
            self.batch = batch;
            self.turn = (self.turn + 1) % self.receivers.len();
            self.at = 0;
            self.moved = true;
        }
        if let Item::Opened { name, read, size } = &self.batch[self.at] {
            self.position = Some(Position {
                name: name.clone(),
                read: Arc::clone(read),
                size: *size,
            });
            self.moved = true;
        }
        true
    }

    /// The item [`advance`](Self::advance) moved to.
    pub(crate) fn current(&self) -> &Item {
        &self.batch[self.at]
    }

    /// Moves on to what is to be lent next: the reader's progress when it
    /// moved on (a new input, a new batch; the item it moved to comes with
    /// the next call), else the next item, an input's opening included.
    /// `None` at the end.
    pub(crate) fn step(&mut self) -> Option<Step> {
        if !std::mem::take(&mut self.held) {
            if !self.advance() {
                return None;
            }
            if self.moved() {
                self.held = true;
                return Some(Step::Progress);
            }
        }
        Some(Step::Item)
    }

    /// The reader moved on since the last call (a new input or a new
    /// batch): time for a progress line.
    fn moved(&mut self) -> bool {
        std::mem::take(&mut self.moved) && self.position.is_some()
    }

    /// Where the reader is: the input and how much of it was read.
    pub(crate) fn position(&self) -> Option<&Position> {
        self.position.as_ref()
    }
}

impl Drop for Items {
    /// Dropping the receivers wakes a parser blocked on a full channel with an
    /// error, so it ends, and the reader after it.
    fn drop(&mut self) {
        self.receivers.clear();
        self.used.clear();
        if !self.detached {
            for thread in self.threads.drain(..) {
                let _ = thread.join();
            }
        }
    }
}

/// A parser thread: parses the messages of each batch and passes it on;
/// frees what the caller is done with.
fn parse(
    receiver: &Receiver<Vec<Raw>>,
    sender: &SyncSender<Vec<Item>>,
    recycled: &Receiver<Vec<Item>>,
    keep_texts: bool,
) {
    while let Ok(batch) = receiver.recv() {
        while let Ok(done) = recycled.try_recv() {
            drop(done);
        }
        let mut parsed = Vec::with_capacity(TEXTS_PER_BATCH);
        for raw in batch {
            match raw {
                Raw::Item(item) => parsed.push(item),
                Raw::Event(event) => items_of(event, keep_texts, &mut parsed),
            }
        }
        if sender.send(parsed).is_err() {
            return;
        }
    }
}

/// One of the inputs is stdin (`-`), which may be a live log (`tail -f … |
/// dmtool log pretty -`): what is found there goes on at once, not in batches.
pub(crate) fn reads_stdin(files: &[String]) -> bool {
    files.iter().any(|f| f == "-")
}

/// What the reader has for the parsers: a batch being filled, and whose turn
/// it is to get the next one.
struct Batches<'a> {
    parsers: &'a [SyncSender<Vec<Raw>>],
    turn: usize,
    batch: Vec<Raw>,
    /// Items a batch holds at most.
    size: usize,
    /// Messages and bytes of text in the batch being filled, and the most
    /// messages a batch holds.
    messages: usize,
    bytes: usize,
    messages_per_batch: usize,
}

impl Batches<'_> {
    /// Adds an item holding `messages` messages; hands the batch on when it
    /// is full or `flush`. A batch of texts that a package 0 or a hex message
    /// cut short in the finder does not go on alone: it shares the batch, so
    /// a log full of them wakes the parsers no more often than one without.
    /// False when the parser is gone (the caller stopped).
    fn push(&mut self, item: Raw, (messages, bytes): (usize, usize), flush: bool) -> bool {
        self.batch.push(item);
        self.messages += messages;
        self.bytes += bytes;
        if flush
            || self.batch.len() >= self.size
            || self.messages >= self.messages_per_batch
            || self.bytes >= BYTES_PER_BATCH
        {
            return self.hand_on();
        }
        true
    }

    fn hand_on(&mut self) -> bool {
        self.messages = 0;
        self.bytes = 0;
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let parser = &self.parsers[self.turn];
        self.turn = (self.turn + 1) % self.parsers.len();
        parser.send(full).is_ok()
    }
}

/// The reader thread: hands batches to the parsers in turn; returns when
/// every input is read or the caller stopped.
fn produce(files: &[String], parsers: &[SyncSender<Vec<Raw>>]) {
    // Stdin may be a live log: its messages go on one by one.
    let (size, texts_per_batch) = if reads_stdin(files) {
        (1, 1)
    } else {
        (BATCH, TEXTS_PER_BATCH)
    };
    let mut batches = Batches {
        parsers,
        turn: 0,
        batch: Vec::with_capacity(BATCH),
        size,
        messages: 0,
        bytes: 0,
        messages_per_batch: texts_per_batch,
    };
    // A message the end of one input cut short, carried to the next.
    let mut carried = None;
    for (index, path) in files.iter().enumerate() {
        let more_follow = index + 1 < files.len() && size > 1;
        let input = match input::open(path) {
            Ok(input) => input,
            Err(error) => {
                let item = Raw::Item(Item::Unopenable {
                    path: path.clone(),
                    error: format!("{error:#}"),
                });
                if !batches.push(item, (0, 0), true) {
                    return;
                }
                continue;
            }
        };
        let opened = Raw::Item(Item::Opened {
            name: input.name.clone(),
            read: Arc::clone(&input.read),
            size: input.size,
        });
        if !batches.push(opened, (0, 0), false) {
            return;
        }
        let mut reader = input.reader;
        let is_wbxml = reader.fill_buf().is_ok_and(wbxml::is_wbxml);
        let mut finder = None;
        let events: Box<dyn Iterator<Item = Event>> = if is_wbxml {
            let before = carried.take().map(Carried::into_broken);
            Box::new(
                before
                    .into_iter()
                    .chain(embedded::file_events(reader, &input.name)),
            )
        } else {
            let found = finder.insert(
                Finder::batched(reader, &input.name, texts_per_batch)
                    .continuing(carried.take(), more_follow),
            );
            Box::new(std::iter::from_fn(|| found.next()))
        };
        for event in events {
            let weight = match &event {
                Event::Texts(texts) => (texts.len(), texts.bytes()),
                Event::Collected(collected) => (1, collected.bytes()),
                _ => (1, 0),
            };
            if !batches.push(Raw::Event(event), weight, false) {
                return;
            }
        }
        carried = finder.as_mut().and_then(Finder::carried);
    }
    if let Some(cut) = carried
        && !batches.push(Raw::Event(cut.into_broken()), (1, 0), false)
    {
        return;
    }
    if !batches.batch.is_empty() {
        batches.hand_on();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_arrive_in_input_order_and_an_early_stop_ends_the_reader() {
        let dir = tempfile::tempdir().expect("tempdir");
        let message = "<SyncML><SyncHdr><SessionID>1</SessionID><MsgID>1</MsgID></SyncHdr><SyncBody><Final/></SyncBody></SyncML>\n";
        let path = dir.path().join("many.xml");
        std::fs::write(&path, message.repeat(10_000)).expect("write");
        let files = vec![
            path.to_string_lossy().into_owned(),
            dir.path().join("missing").to_string_lossy().into_owned(),
        ];
        let mut kinds = Vec::new();
        let mut lines = Vec::new();
        let mut items = Items::open(&files, false);
        while items.advance() {
            let item = items.current();
            if let Item::Message(found) = item {
                lines.push(found.line);
            }
            kinds.push(match *item {
                Item::Opened { .. } => "opened",
                Item::Unopenable { .. } => "unopenable",
                Item::Message(_) => "message",
                Item::Broken(_)
                | Item::Unreadable(_)
                | Item::Notification(_)
                | Item::Bootstrap(_) => "other",
            });
        }
        assert_eq!(kinds.len(), 10_002);
        assert_eq!(kinds[0], "opened");
        assert_eq!(kinds[10_001], "unopenable");
        // The parsers take batches in turn; the messages come out in order.
        assert_eq!(lines, (1..=10_000).collect::<Vec<u64>>());

        // A caller that stops early stops the reader too: of a large file,
        // only the first batches in flight are read.
        let large = dir.path().join("large.xml");
        std::fs::write(&large, message.repeat(200_000)).expect("write");
        let size = std::fs::metadata(&large).expect("metadata").len();
        let mut seen = 0;
        let mut counter = None;
        let mut items = Items::open(&[large.to_string_lossy().into_owned()], false);
        while items.advance() {
            if let Item::Opened { read, .. } = items.current() {
                counter = Some(Arc::clone(read));
            }
            seen += 1;
            if seen == 100 {
                break;
            }
        }
        // Dropped, the items stop the threads, which are waited for.
        drop(items);
        assert_eq!(seen, 100);
        let read = counter.expect("opened").load(Ordering::Relaxed);
        assert!(
            read < size / 4,
            "read {read} of {size} bytes after the stop"
        );
    }
}
