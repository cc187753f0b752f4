//! Packages 0 (notifications) found in a log, waiting for the session that
//! answers them. A package 0 asks a device to open a session with a
//! SessionID; the session that answers it is the next one of that SessionID
//! (as a hex number: `01A2B` is `1A2B`) that the device opens with Alert 1200
//! (server-initiated), after the package 0 in the inputs. Waiting packages are
//! indexed by SessionID, so matching costs the same however many wait; one
//! that waited six hours of log time counts as unanswered. Knows nothing of
//! how sessions are read or reported.

use std::collections::VecDeque;

use foldhash::HashMap;
use serde::Serialize;
use smallvec::SmallVec;
use smol_str::SmolStr;

use super::clock;
use super::embedded::FoundNotification;
use super::thread::SessionLog;

/// A package 0 found in a log, as the reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationReport {
    pub file: SmolStr,
    pub line: u64,
    pub time: Option<SmolStr>,
    /// The SessionID as the answering session's SyncHdr writes it.
    pub session: SmolStr,
    pub server_id: SmolStr,
    pub version: SmolStr,
    pub ui_mode: &'static str,
    pub initiator: &'static str,
}

impl NotificationReport {
    pub fn of(notified: &FoundNotification) -> Self {
        let package = &notified.notification;
        Self {
            file: notified.file.clone(),
            line: notified.line,
            time: notified.record.as_ref().map(|r| r.time.clone()),
            session: package.session_id_in_header().into(),
            server_id: package.server_id.as_str().into(),
            version: package.version_text().into(),
            ui_mode: package.ui_mode_name(),
            initiator: package.initiator_name(),
        }
    }
}

/// A SessionID as a number, the way a package 0 and a SyncHdr both write it.
fn session_number(id: &str) -> Option<u32> {
    u32::from_str_radix(id.trim(), 16).ok()
}

/// A package 0 waiting for its session.
struct Waiting {
    /// Its place among the packages 0 seen.
    seq: u64,
    /// How many messages the inputs had before it.
    after_messages: u64,
    /// Its log time (milliseconds), when its record has one.
    millis: Option<i64>,
    package: NotificationReport,
}

/// The most packages 0 kept waiting; older ones count as unanswered.
pub const MAX_WAITING: usize = 10_000;

/// How long, in log time, a package 0 waits for its session at least: a
/// device answers within minutes, and its session is matched when it ends;
/// six hours leave room for the longest session. Past it (and past twice
/// the session timeout) it counts as unanswered, so that a long log's
/// unanswered packages do not pile up until its end.
pub const PACKAGE_WAIT_MS: i64 = 6 * 60 * 60 * 1000;

/// The packages 0 nobody answered reported in detail; past them, a count.
pub const UNANSWERED_IN_DETAIL: usize = 500;

/// The packages 0 nobody answered: the first in detail, and how many more.
#[derive(Debug, Default)]
pub struct Unanswered {
    pub reports: Vec<NotificationReport>,
    pub more: u64,
}

/// Packages 0 waiting for the session that answers them, by SessionID. They
/// live in one list of slots (a slot freed by a match serves the next
/// package): thousands that nobody answers would otherwise pin small
/// allocations all over the heap of a long run.
#[derive(Default)]
pub struct Notifications {
    slots: Vec<Option<Waiting>>,
    free: Vec<u32>,
    /// SessionID → slots, in arrival order.
    by_session: HashMap<Option<u32>, SmallVec<[u32; 2]>>,
    /// (slot, seq) of every package in arrival order, for the cap; an entry
    /// whose package was taken since is skipped.
    arrivals: VecDeque<(u32, u64)>,
    count: usize,
    /// Those that waited longest without an answer, once more arrived.
    dropped: Vec<Waiting>,
    /// Dropped past the detailed ones: counted only.
    dropped_uncounted: u64,
    seen: u64,
}

impl Notifications {
    /// A package 0 found after `after_messages` messages of the inputs.
    pub fn add(&mut self, notified: &FoundNotification, after_messages: u64) {
        if self.count >= MAX_WAITING {
            self.drop_oldest();
        }
        let package = NotificationReport::of(notified);
        let key = session_number(&package.session);
        let seq = self.seen;
        self.seen += 1;
        let waiting = Waiting {
            seq,
            after_messages,
            millis: package.time.as_deref().and_then(clock::millis_of),
            package,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(waiting);
                slot
            }
            None => {
                self.slots.push(Some(waiting));
                // At most MAX_WAITING slots are ever in use.
                (self.slots.len() - 1) as u32
            }
        };
        self.count += 1;
        self.by_session.entry(key).or_default().push(slot);
        self.arrivals.push_back((slot, seq));
        if self.arrivals.len() > 2 * self.count + 1024 {
            // Most were taken by their sessions since: keep those that wait.
            let slots = &self.slots;
            self.arrivals
                .retain(|&(slot, seq)| Self::holds(slots, slot, seq));
        }
    }

    fn holds(slots: &[Option<Waiting>], slot: u32, seq: u64) -> bool {
        slots[slot as usize].as_ref().is_some_and(|w| w.seq == seq)
    }

    fn drop_oldest(&mut self) {
        while let Some((slot, seq)) = self.arrivals.pop_front() {
            if Self::holds(&self.slots, slot, seq) {
                self.give_up(slot);
                return;
            }
        }
    }

    /// Gives up on the packages 0 that waited longer than
    /// [`PACKAGE_WAIT_MS`] (and twice `session_timeout`) of log time before
    /// (or after: rotated files given newest first) `now`, oldest first; one
    /// without a time stops it (the log has none).
    pub fn expire(&mut self, now: i64, session_timeout: i64) {
        let wait = session_timeout.saturating_mul(2).max(PACKAGE_WAIT_MS);
        while let Some(&(slot, seq)) = self.arrivals.front() {
            if !Self::holds(&self.slots, slot, seq) {
                self.arrivals.pop_front();
                continue;
            }
            let Some(Some(millis)) = self.slots[slot as usize].as_ref().map(|w| w.millis) else {
                return;
            };
            if now.saturating_sub(millis).saturating_abs() <= wait {
                return;
            }
            self.arrivals.pop_front();
            self.give_up(slot);
        }
    }

    /// A waiting package 0 counts as unanswered: the first ones in detail;
    /// past them, a count.
    fn give_up(&mut self, slot: u32) {
        let taken = self.take(slot);
        if self.dropped.len() < UNANSWERED_IN_DETAIL {
            self.dropped.push(taken);
        } else {
            self.dropped_uncounted += 1;
        }
    }

    /// Empties a slot and forgets it under its SessionID.
    fn take(&mut self, slot: u32) -> Waiting {
        let taken = self.slots[slot as usize]
            .take()
            .expect("the caller checked the slot");
        let key = session_number(&taken.package.session);
        if let Some(list) = self.by_session.get_mut(&key) {
            list.retain(|s| *s != slot);
            if list.is_empty() {
                self.by_session.remove(&key);
            }
        }
        self.free.push(slot);
        self.count -= 1;
        taken
    }

    /// The latest waiting package 0 that started this session, taken: one for
    /// its SessionID that came before the session's first message, when the
    /// device opened the session with Alert 1200.
    pub fn take_for(&mut self, session: &SessionLog) -> Option<NotificationReport> {
        let key = Some(session_number(session.session.as_deref()?)?);
        let list = self.by_session.get(&key)?;
        let slot = *list.iter().rev().find(|&&slot| {
            self.slots[slot as usize]
                .as_ref()
                .is_some_and(|w| w.after_messages < session.first_message)
        })?;
        if !session.server_initiated() {
            return None;
        }
        Some(self.take(slot).package)
    }

    /// No package 0 is waiting.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// How many packages 0 were seen.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Every package 0 no session answered, in log order, taken (in the
    /// memory that held them); the count of those seen stays.
    pub fn take_unanswered(&mut self) -> Unanswered {
        self.by_session.clear();
        self.arrivals.clear();
        self.free.clear();
        self.count = 0;
        let mut all: Vec<Waiting> = std::mem::take(&mut self.slots)
            .into_iter()
            .flatten()
            .collect();
        all.append(&mut self.dropped);
        all.sort_unstable_by_key(|w| w.seq);
        let more = all.len().saturating_sub(UNANSWERED_IN_DETAIL) as u64 + self.dropped_uncounted;
        all.truncate(UNANSWERED_IN_DETAIL);
        Unanswered {
            reports: all.into_iter().map(|w| w.package).collect(),
            more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syncml::{hex, notification};
    use crate::transcript::record::LogRecord;

    /// A package 0 for `session` written at `minute` minutes into a day.
    fn package(session: u16, minute: u32) -> FoundNotification {
        let [high, low] = session.to_be_bytes();
        let bytes = hex::decode(&format!(
            "C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2 03 28 00 00 00 {high:02X} {low:02X} 03 64 6D 65"
        ))
        .expect("hex");
        FoundNotification {
            file: "test".into(),
            line: u64::from(minute),
            record: Some(LogRecord {
                time: format!(
                    "2010-06-{:02} {:02}:{:02}:00,000",
                    1 + minute / 1440,
                    minute / 60 % 24,
                    minute % 60
                )
                .into(),
                text: "Sending notification".into(),
            }),
            notification: notification::decode(&bytes).expect("a package 0"),
        }
    }

    #[test]
    fn packages_nobody_answers_wait_six_hours_of_log_time_then_count_as_unanswered() {
        // One unanswered package 0 a minute for three days: those waiting
        // stay those of the last six hours, and every one is counted.
        let mut waiting = Notifications::default();
        let minutes = 3 * 24 * 60;
        for minute in 0..minutes {
            let found = package(u16::try_from(minute).expect("a SessionID"), minute);
            waiting.add(&found, 0);
            let now = found
                .record
                .as_ref()
                .and_then(|record| clock::millis_of(&record.time))
                .expect("a time");
            waiting.expire(now, crate::transcript::thread::SESSION_TIMEOUT_MS);
            assert!(waiting.count <= 6 * 60 + 1, "{} waiting", waiting.count);
        }
        let unanswered = waiting.take_unanswered();
        assert_eq!(
            unanswered.reports.len() as u64 + unanswered.more,
            u64::from(minutes)
        );
        // In log order, the first ones in detail.
        assert_eq!(unanswered.reports[0].line, 0);
        assert_eq!(unanswered.reports[1].line, 1);
    }
}
