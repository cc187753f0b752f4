//! Packages 0 (notifications) found in a log, waiting for the session that
//! answers them. A package 0 asks a device to open a session with a
//! SessionID; the session that answers it is the next one of that SessionID
//! (as a hex number: `01A2B` is `1A2B`) that the device opens with Alert 1200
//! (server-initiated), after the package 0 in the inputs. Waiting packages are
//! indexed by SessionID, so matching costs the same however many wait. Knows
//! nothing of how sessions are read or reported.

use std::collections::VecDeque;

use foldhash::HashMap;
use serde::Serialize;
use smol_str::SmolStr;

use super::binary::Notified;
use super::thread::SessionLog;

/// A package 0 found in a log, as the reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package0 {
    pub file: SmolStr,
    pub line: u64,
    pub time: Option<SmolStr>,
    /// The SessionID as the answering session's SyncHdr writes it.
    pub session: String,
    pub server_id: String,
    pub version: String,
    pub ui_mode: &'static str,
    pub initiator: &'static str,
}

impl Package0 {
    pub fn of(notified: &Notified) -> Self {
        let package = &notified.notification;
        Self {
            file: notified.file.clone(),
            line: notified.line,
            time: notified.record.as_ref().map(|r| r.time.clone()),
            session: package.session_id_in_header(),
            server_id: package.server_id.clone(),
            version: package.version_text(),
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
    package: Package0,
}

/// The most packages 0 kept waiting; older ones count as unanswered.
pub const MAX_WAITING: usize = 10_000;

/// Packages 0 waiting for the session that answers them, by SessionID.
#[derive(Default)]
pub struct Notifications {
    waiting: HashMap<Option<u32>, Vec<Waiting>>,
    /// (seq, SessionID) of every package in arrival order, for the cap; an
    /// entry whose package was taken since is skipped.
    arrivals: VecDeque<(u64, Option<u32>)>,
    count: usize,
    /// Those that waited longest without an answer, once more arrived.
    dropped: Vec<Waiting>,
    seen: u64,
}

impl Notifications {
    /// A package 0 found after `after_messages` messages of the inputs.
    pub fn add(&mut self, notified: &Notified, after_messages: u64) {
        if self.count >= MAX_WAITING {
            self.drop_oldest();
        }
        let package = Package0::of(notified);
        let key = session_number(&package.session);
        let seq = self.seen;
        self.seen += 1;
        self.count += 1;
        self.arrivals.push_back((seq, key));
        self.waiting.entry(key).or_default().push(Waiting {
            seq,
            after_messages,
            package,
        });
    }

    fn drop_oldest(&mut self) {
        while let Some((seq, key)) = self.arrivals.pop_front() {
            if let Some(taken) = self.take_seq(key, seq) {
                self.dropped.push(taken);
                return;
            }
        }
    }

    fn take_seq(&mut self, key: Option<u32>, seq: u64) -> Option<Waiting> {
        let list = self.waiting.get_mut(&key)?;
        let at = list.iter().position(|w| w.seq == seq)?;
        Some(self.remove(key, at))
    }

    fn remove(&mut self, key: Option<u32>, at: usize) -> Waiting {
        let list = self.waiting.get_mut(&key).expect("the caller found it");
        let taken = list.remove(at);
        if list.is_empty() {
            self.waiting.remove(&key);
        }
        self.count -= 1;
        taken
    }

    /// The latest waiting package 0 that started this session, taken: one for
    /// its SessionID that came before the session's first message, when the
    /// device opened the session with Alert 1200.
    pub fn take_for(&mut self, session: &SessionLog) -> Option<Package0> {
        let key = Some(session_number(session.session.as_deref()?)?);
        let list = self.waiting.get(&key)?;
        let at = list
            .iter()
            .rposition(|w| w.after_messages < session.first_message)?;
        if !session.server_initiated() {
            return None;
        }
        Some(self.remove(key, at).package)
    }

    /// How many packages 0 were seen.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Every package 0 no session answered, in log order.
    pub fn unanswered(self) -> Vec<Package0> {
        let mut all = self.dropped;
        all.extend(self.waiting.into_values().flatten());
        all.sort_unstable_by_key(|w| w.seq);
        all.into_iter().map(|w| w.package).collect()
    }
}
