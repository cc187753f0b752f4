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
    /// A session that ended ([`Sessions`] only).
    Session(&'a Session),
    /// A package 0 no session answered, at the end ([`Sessions`] only).
    Unanswered(&'a NotificationReport),
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
}

impl Messages {
    /// Starts reading `files`, in order; each message keeps its XML when
    /// `keep_texts`.
    pub(crate) fn open(files: &[String], keep_texts: bool) -> Self {
        Self {
            items: Items::open(files, keep_texts),
        }
    }

    /// The next thing the inputs hold; `None` at their end.
    #[allow(clippy::should_implement_trait)]
    pub(crate) fn next(&mut self) -> Option<Seen<'_>> {
        match self.items.step()? {
            Step::Progress => self.items.position().map(Seen::Progress),
            Step::Item => Some(match self.items.current() {
                Item::Message(found) => Seen::Message(found),
                Item::Notification(notified) => Seen::Notification(notified),
                other => seen_of(other)?,
            }),
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
    messages: usize,
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
            messages: 0,
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
                self.current_unanswered = Some(unanswered.next()?);
                return Some(Lend::Unanswered);
            }
            match self.items.step() {
                None => {
                    self.end_of_input();
                    continue;
                }
                Some(Step::Progress) => return Some(Lend::Progress),
                Some(Step::Item) => {}
            }
            match self.items.current() {
                Item::Message(found) => {
                    self.messages += 1;
                    for log in self.threader.add(found) {
                        let notification = self.notifications.take_for(&log);
                        self.ready.push_back(Session { log, notification });
                    }
                }
                Item::Notification(notified) => {
                    self.notifications.add(notified, self.messages as u64);
                }
                _ => return Some(Lend::Item),
            }
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
        self.unanswered = Some(unanswered.into_iter());
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
