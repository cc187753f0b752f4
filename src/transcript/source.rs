//! What the log commands read, pulled one value at a time: [`Messages`] (every
//! message and package 0 found, in input order) and [`Sessions`] (the same
//! messages threaded into sessions, each handed out when it ends with the
//! package 0 that started it). Both also yield the broken messages, the inputs
//! that could not be read and the reader's progress, so a command is one loop
//! over what they yield. Threads, batches and the reuse of a session's memory
//! stay inside: a value yielded is lent until the next call.

use std::collections::VecDeque;

use super::embedded::FoundNotification;
use super::finder::{Broken, Found};
use super::notifications::{NotificationReport, Notifications};
use super::pipeline::{Item, Items, Position, Step};
use super::thread::{Limits, SessionLog, Threader};

/// One thing the inputs held, lent until the next call.
pub(crate) enum Seen<'a> {
    /// The reader moved on (a new input, or more of it): for a progress line.
    Progress(&'a Position),
    /// A message ([`Messages`] only).
    Message(&'a Found),
    /// A package 0 written in a log ([`Messages`] only).
    Notification(&'a FoundNotification),
    /// A bootstrap written in a log.
    Bootstrap(&'a crate::bootstrap::FoundBootstrap),
    /// A session that ended ([`Sessions`] only).
    Session(&'a Session),
    /// A package 0 no session answered, at the end ([`Sessions`] only).
    Unanswered(&'a NotificationReport),
    /// How many more packages 0 nobody answered than were lent in detail
    /// (the first [`UNANSWERED_IN_DETAIL`](super::notifications::UNANSWERED_IN_DETAIL)).
    UnansweredMore(u64),
    /// An input read to its end in which no SyncML was found (no message,
    /// broken or whole, and no package 0).
    NothingFound(&'a str),
    /// A message that could not be read, with where and why.
    Broken(&'a Broken),
    /// An input that could not be opened or read to its end: its name, and
    /// the reason (with the line, when reading stopped inside it).
    Unreadable {
        file: &'a str,
        line: Option<u64>,
        reason: &'a str,
    },
}

/// Whether each input held any SyncML, for [`Seen::NothingFound`].
#[derive(Default)]
struct Tally {
    /// The input being read, while nothing was found in it and it could be read.
    reading: Option<String>,
    /// The last input in which nothing was found.
    empty: String,
}

impl Tally {
    /// Takes an item; true when it shows that an input held nothing ([`empty`](Self::empty)).
    fn count(&mut self, item: &Item) -> bool {
        match item {
            Item::Opened { name, .. } => {
                let ended = self.end();
                self.reading = Some(name.clone());
                ended
            }
            Item::Message(_)
            | Item::Notification(_)
            | Item::Bootstrap(_)
            | Item::Broken(_)
            | Item::Unreadable(_) => {
                self.reading = None;
                false
            }
            Item::Unopenable { .. } => false,
        }
    }

    /// The inputs ended; true when the last held nothing.
    fn end(&mut self) -> bool {
        match self.reading.take() {
            Some(name) => {
                self.empty = name;
                true
            }
            None => false,
        }
    }
}

/// What an item other than a message or a package 0 is to the caller.
fn seen_of(item: &Item) -> Option<Seen<'_>> {
    match item {
        Item::Opened { .. } | Item::Message(_) | Item::Notification(_) => None,
        Item::Unopenable { path, error } => Some(Seen::Unreadable {
            file: path,
            line: None,
            reason: error,
        }),
        Item::Broken(broken) => Some(Seen::Broken(broken)),
        Item::Bootstrap(found) => Some(Seen::Bootstrap(found)),
        Item::Unreadable(broken) => Some(Seen::Unreadable {
            file: &broken.file,
            line: Some(broken.line),
            reason: &broken.reason,
        }),
    }
}

/// Every message and package 0 of the inputs, in order.
pub(crate) struct Messages {
    items: Items,
    tally: Tally,
    /// The next call lends the inputs' end: the last input held nothing.
    ended_empty: bool,
}

/// What [`Messages::next`] lends next.
enum Lent {
    Progress,
    Item,
    NothingFound,
}

impl Messages {
    /// Starts reading `files`, in order; each message keeps its XML when
    /// `keep_texts`.
    pub(crate) fn open(files: &[String], keep_texts: bool) -> Self {
        Self {
            items: Items::open(files, keep_texts),
            tally: Tally::default(),
            ended_empty: false,
        }
    }

    /// The next thing the inputs hold; `None` at their end.
    #[allow(clippy::should_implement_trait)]
    pub(crate) fn next(&mut self) -> Option<Seen<'_>> {
        Some(match self.step()? {
            Lent::Progress => Seen::Progress(self.items.position()?),
            Lent::NothingFound => Seen::NothingFound(&self.tally.empty),
            Lent::Item => match self.items.current() {
                Item::Message(found) => Seen::Message(found),
                Item::Notification(notified) => Seen::Notification(notified),
                other => seen_of(other)?,
            },
        })
    }

    /// Reads on until there is something to lend; says what.
    fn step(&mut self) -> Option<Lent> {
        loop {
            match self.items.step() {
                None if !self.ended_empty => {
                    self.ended_empty = true;
                    if self.tally.end() {
                        return Some(Lent::NothingFound);
                    }
                    return None;
                }
                None => return None,
                Some(Step::Progress) => {
                    if self.items.position().is_some() {
                        return Some(Lent::Progress);
                    }
                }
                Some(Step::Item) => {
                    if self.tally.count(self.items.current()) {
                        return Some(Lent::NothingFound);
                    }
                    if !matches!(self.items.current(), Item::Opened { .. }) {
                        return Some(Lent::Item);
                    }
                }
            }
        }
    }
}

/// A session that ended, and the package 0 that asked the device to open it
/// when the inputs hold it.
pub(crate) struct Session {
    pub log: SessionLog,
    pub notification: Option<NotificationReport>,
}

/// What [`Sessions::next`] lends next.
enum Lend {
    Progress,
    Item,
    Session,
    Unanswered,
    UnansweredMore,
    NothingFound,
}

/// The sessions of the inputs, each handed out when it ends (see
/// [`Threader`]), then the packages 0 no session answered.
pub(crate) struct Sessions {
    items: Items,
    threader: Threader,
    notifications: Notifications,
    /// Ended, not yet handed out.
    ready: VecDeque<Session>,
    /// Handed out; its memory serves a later session.
    lent: Option<Session>,
    /// After the end of the inputs: the packages 0 nobody answered.
    unanswered: Option<std::vec::IntoIter<NotificationReport>>,
    current_unanswered: Option<NotificationReport>,
    /// Packages 0 nobody answered past those lent in detail.
    unanswered_more: u64,
    messages: usize,
    tally: Tally,
}

impl Sessions {
    /// Starts reading `files`, in order; sessions end early by `limits`.
    pub(crate) fn open(files: &[String], limits: Limits) -> Self {
        Self {
            items: Items::open(files, false),
            threader: Threader::new(limits),
            notifications: Notifications::default(),
            ready: VecDeque::new(),
            lent: None,
            unanswered: None,
            current_unanswered: None,
            unanswered_more: 0,
            messages: 0,
            tally: Tally::default(),
        }
    }

    /// The next thing the inputs hold; `None` at their end.
    #[allow(clippy::should_implement_trait)]
    pub(crate) fn next(&mut self) -> Option<Seen<'_>> {
        if let Some(done) = self.lent.take() {
            self.threader.recycle(done.log);
        }
        let lend = self.step()?;
        match lend {
            Lend::Progress => self.items.position().map(Seen::Progress),
            Lend::Item => seen_of(self.items.current()),
            Lend::Session => self.lent.as_ref().map(Seen::Session),
            Lend::Unanswered => self.current_unanswered.as_ref().map(Seen::Unanswered),
            Lend::UnansweredMore => Some(Seen::UnansweredMore(std::mem::take(
                &mut self.unanswered_more,
            ))),
            Lend::NothingFound => Some(Seen::NothingFound(&self.tally.empty)),
        }
    }

    /// Reads on until there is something to lend; says what.
    fn step(&mut self) -> Option<Lend> {
        loop {
            if let Some(session) = self.ready.pop_front() {
                self.lent = Some(session);
                return Some(Lend::Session);
            }
            if let Some(unanswered) = &mut self.unanswered {
                match unanswered.next() {
                    Some(report) => {
                        self.current_unanswered = Some(report);
                        return Some(Lend::Unanswered);
                    }
                    None if self.unanswered_more > 0 => return Some(Lend::UnansweredMore),
                    None => return None,
                }
            }
            match self.items.step() {
                None => {
                    let empty = self.tally.end();
                    self.end_of_input();
                    if empty {
                        return Some(Lend::NothingFound);
                    }
                    continue;
                }
                Some(Step::Progress) => return Some(Lend::Progress),
                Some(Step::Item) => {}
            }
            if self.tally.count(self.items.current()) {
                return Some(Lend::NothingFound);
            }
            match self.items.current() {
                Item::Opened { .. } => {}
                Item::Message(found) => {
                    // What was salvaged of a broken message is counted as broken.
                    self.messages += usize::from(!found.salvaged);
                    for log in self.threader.add(found) {
                        let notification = self.notifications.take_for(&log);
                        self.ready.push_back(Session { log, notification });
                    }
                    self.expire_packages();
                }
                Item::Notification(notified) => {
                    self.notifications.add(notified, self.messages as u64);
                }
                _ => return Some(Lend::Item),
            }
        }
    }

    /// Packages 0 waiting longer than sessions may take, in log time, count
    /// as unanswered (see [`Notifications::expire`]).
    fn expire_packages(&mut self) {
        if self.notifications.is_empty() {
            return;
        }
        if let (Some(now), Some(timeout)) = (self.threader.now(), self.threader.limits().timeout_ms)
        {
            self.notifications.expire(now, timeout);
        }
    }

    /// The sessions still open end with the inputs; the packages 0 left
    /// waiting come after them.
    fn end_of_input(&mut self) {
        for log in std::mem::take(&mut self.threader).finish() {
            let notification = self.notifications.take_for(&log);
            self.ready.push_back(Session { log, notification });
        }
        let unanswered = self.notifications.take_unanswered();
        self.unanswered = Some(unanswered.reports.into_iter());
        self.unanswered_more = unanswered.more;
    }

    /// How many messages were read so far.
    pub(crate) fn messages(&self) -> usize {
        self.messages
    }

    /// How many packages 0 were found so far.
    pub(crate) fn notifications(&self) -> u64 {
        self.notifications.seen()
    }
}
