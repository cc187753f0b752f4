//! Threading: every command matched with its answer. A command (MsgID, CmdID)
//! gets the Status and Results whose (MsgRef, CmdRef) point at it, from the
//! other side of the same session; the header gets the Status with CmdRef 0.
//! Sessions are keyed by (SessionID, device), because many devices' sessions
//! interleave in one server log and SessionIDs repeat.

use std::collections::VecDeque;

use foldhash::{HashMap, HashSet};

use serde::Serialize;
use smallvec::SmallVec;
use smol_str::SmolStr;

use super::clock;
use super::finder::Found;
use crate::codes::{alert, status};
use crate::syncml::{Command, Item, Message, Meta, intern};

/// Who sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    DeviceToServer,
    ServerToDevice,
}

impl Direction {
    /// 0 or 1, to index per-side state.
    fn index(self) -> usize {
        match self {
            Self::DeviceToServer => 0,
            Self::ServerToDevice => 1,
        }
    }

    fn other(self) -> Self {
        match self {
            Self::DeviceToServer => Self::ServerToDevice,
            Self::ServerToDevice => Self::DeviceToServer,
        }
    }
}

/// One item of a Results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultItem {
    pub source: Option<SmolStr>,
    pub format: Option<SmolStr>,
    /// Its Meta's Type.
    pub kind: Option<SmolStr>,
    pub data: Option<SmolStr>,
}

/// A row's targets: most rows have one, kept in the row itself.
pub type Targets = SmallVec<[SmolStr; 1]>;
/// The status codes a row received: most get one or two.
pub type Codes = SmallVec<[u32; 2]>;

/// One command (or message header) and what answered it: what the analysis
/// reads (`log thread` writes some of it; its schema is `cmd/log/thread.rs`'s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub session: Option<SmolStr>,
    pub device: Option<SmolStr>,
    pub direction: Direction,
    pub msg_id: Option<SmolStr>,
    pub cmd_id: Option<SmolStr>,
    pub cmd: SmolStr,
    pub targets: Targets,
    /// The answer's status (the first failing one when there were several).
    pub status: Option<u32>,
    pub status_name: Option<&'static str>,
    /// Every status received, in order (one per Item for multi-item commands).
    pub statuses: Codes,
    pub results: Vec<ResultItem>,
    pub file: SmolStr,
    pub line: u64,
    pub time: Option<SmolStr>,
    /// Alert: its code.
    pub alert: Option<u32>,
    /// An item carried `<MoreData/>`: a chunk of a large object.
    pub more_data: bool,
    /// Generic Alert (1226): its items, each with its Type, Source and Data
    /// (empty for other commands).
    pub alert_items: Vec<ResultItem>,
    /// Status 401/407 on the header: the challenge's auth type and nonce.
    pub challenge: Option<Box<Challenge>>,
    /// The command asked for no Status (`<NoResp/>`).
    pub no_resp: bool,
    /// A command of a part of the session handed out earlier, answered in
    /// this one (that part had it too, unanswered).
    pub carried_over: bool,
}

/// The challenge a 401/407 on a header carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub kind: Option<SmolStr>,
    pub next_nonce: Option<SmolStr>,
}

/// A message of a session, as the analysis needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    pub direction: Direction,
    pub msg_id: Option<SmolStr>,
    pub file: SmolStr,
    pub line: u64,
    pub time: Option<SmolStr>,
    pub is_final: bool,
    /// Commands that are not answers (Status, Results).
    pub commands: usize,
    /// The auth type of the header's Cred, if it had one.
    pub cred: Option<SmolStr>,
    /// The Cred's data as sent, and the sender's `Source/LocName` (the user
    /// name of a device's credentials), for checking them.
    pub cred_data: Option<SmolStr>,
    pub source_name: Option<SmolStr>,
    /// The `x-syncml-hmac` header the log shows with it.
    pub hmac: Option<Box<super::credentials::Hmac>>,
    /// The row of the message's header.
    pub header_row: usize,
}

/// Something in a session that points nowhere or repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anomaly {
    pub direction: Direction,
    pub msg_id: Option<SmolStr>,
    pub file: SmolStr,
    pub line: u64,
    pub time: Option<SmolStr>,
    pub what: AnomalyKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnomalyKind {
    /// A Status or Results whose (MsgRef, CmdRef) names no command.
    DanglingReference {
        answer: SmolStr,
        msg_ref: Option<SmolStr>,
        cmd_ref: Option<SmolStr>,
        status: Option<SmolStr>,
        /// The command a Status names (`<Cmd>`).
        cmd: Option<SmolStr>,
    },
    /// Two commands of one message with the same CmdID.
    DuplicateCmdId { cmd_id: SmolStr },
    /// The device's message (by what it carries) names the server as its
    /// Source: its header looks swapped.
    HeaderSwapped,
}

/// Everything a session showed, handed out when it ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionLog {
    pub session: Option<SmolStr>,
    pub device: Option<SmolStr>,
    pub rows: Vec<Row>,
    pub messages: Vec<MessageInfo>,
    pub anomalies: Vec<Anomaly>,
    /// `./DevInfo/*` values the device reported (node name → value).
    pub devinfo: Vec<(SmolStr, SmolStr)>,
    /// Why it was handed out.
    pub closed: Closed,
    /// It goes on a session handed out before it ended ([`Closed::Evicted`]):
    /// where that one began.
    pub continues: Option<Place>,
    /// Its first message's place among the messages of the inputs (1 for the
    /// first).
    pub first_message: u64,
    /// Commands of the part handed out earlier that were answered here (their
    /// rows are here, with the answer; they were counted there).
    pub carried_over: usize,
}

/// Where something is in the inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    pub file: SmolStr,
    pub line: u64,
}

/// Why a session was handed out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Closed {
    /// The inputs ended while it was open.
    #[default]
    EndOfInput,
    /// The server's last message had no new commands: the session ended as
    /// the protocol says.
    Normally,
    /// Its device went on in another session.
    Replaced,
    /// No message for longer than the session timeout, in log time, while the
    /// log went on.
    TimedOut,
    /// Handed out before it ended: too much was open at once.
    Evicted(Crowded),
}

/// What there was too much of when a session was handed out before it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crowded {
    /// Sessions open at once ([`Limits::max_open`]).
    Sessions,
    /// Rows held by the open sessions together ([`Limits::max_rows`]).
    Commands,
}

impl SessionLog {
    /// The device opened the session with Alert 1200: a package 0 asked it to.
    pub fn server_initiated(&self) -> bool {
        self.rows.iter().any(|row| {
            row.direction == Direction::DeviceToServer && row.alert == Some(alert::SERVER_INITIATED)
        })
    }

    /// The device opened the session on its own (Alert 1201).
    pub fn client_initiated(&self) -> bool {
        self.rows.iter().any(|row| {
            row.direction == Direction::DeviceToServer && row.alert == Some(alert::CLIENT_INITIATED)
        })
    }
}

/// Where a URI points: the server is a URL, the device anything else (`IMEI:…`).
fn is_url(uri: &str) -> bool {
    let uri = uri.trim_start().as_bytes();
    [&b"http://"[..], b"https://"]
        .iter()
        .any(|scheme| uri.len() >= scheme.len() && uri[..scheme.len()].eq_ignore_ascii_case(scheme))
}

/// The direction of a message: from its LocURIs, then what it carries, then
/// the log text. What only a device sends (Alert 1200/1201/1226, a Replace of
/// `./DevInfo`, DM Results) wins over LocURIs that say otherwise (see
/// [`header_swapped`]).
pub fn direction_of(message: &Message, log_text: Option<&str>) -> Direction {
    direction_by(message, locuri_direction(message), log_text)
}

/// [`direction_of`], the LocURIs' direction given.
fn direction_by(message: &Message, locuri: Option<Direction>, log_text: Option<&str>) -> Direction {
    match locuri {
        Some(Direction::ServerToDevice) if only_a_device_sends(message) => {
            return Direction::DeviceToServer;
        }
        Some(direction) => return direction,
        None => {}
    }
    if only_a_device_sends(message) {
        return Direction::DeviceToServer;
    }
    // Only a server sends management commands (inside an OMA DS Sync, either
    // side sends Add and Delete: the top level is what counts).
    let server_side = message.commands.iter().any(|c| {
        matches!(
            c.name.as_str(),
            "Get" | "Add" | "Delete" | "Exec" | "Copy" | "Atomic" | "Sequence"
        )
    });
    if server_side {
        return Direction::ServerToDevice;
    }
    // Last, the log's own words, which name the other side.
    if let Some(text) = log_text.map(str::to_ascii_lowercase) {
        if text.contains("from device") || text.contains("to server") {
            return Direction::DeviceToServer;
        }
        if text.contains("to device") || text.contains("from server") {
            return Direction::ServerToDevice;
        }
        if text.contains("received") {
            return Direction::DeviceToServer;
        }
        if text.contains("send") {
            return Direction::ServerToDevice;
        }
    }
    Direction::ServerToDevice
}

/// The direction the LocURIs give: the server's is a URL, the device's not.
fn locuri_direction(message: &Message) -> Option<Direction> {
    let header = &message.header;
    let target_url = header.target.as_deref().is_some_and(is_url);
    let source_url = header.source.as_deref().is_some_and(is_url);
    match (target_url, source_url) {
        (true, false) => Some(Direction::DeviceToServer),
        (false, true) => Some(Direction::ServerToDevice),
        _ => None,
    }
}

/// What only a device sends: it starts a session (Alert 1200/1201), raises a
/// Generic Alert (1226), reports its DevInfo (a Replace of `./DevInfo`), or
/// answers a Get with Results (in DM: an OMA DS server sends Results too).
fn only_a_device_sends(message: &Message) -> bool {
    // OMA DS says `SyncML/1.2` where DM says `DM/1.2`.
    let dm = || {
        message.header.ver_proto.as_deref().is_none_or(|proto| {
            !proto
                .get(..7)
                .is_some_and(|start| start.eq_ignore_ascii_case("SYNCML/"))
        })
    };
    message.all_commands().any(|c| {
        (c.name == "Results" && dm())
            || opens_session(c)
            || (c.name == "Alert" && c.code() == Some(alert::GENERIC))
            || (c.name == "Replace"
                && c.items.iter().any(|i| {
                    i.source
                        .as_deref()
                        .is_some_and(|s| s.starts_with("./DevInfo"))
                }))
    })
}

/// The device's and the server's LocURIs of a message sent in `direction`:
/// the server's is the URL when one of the two is, whatever the direction
/// (a swapped header names them the other way round).
pub fn ends_of(message: &Message, direction: Direction) -> (Option<&SmolStr>, Option<&SmolStr>) {
    ends_by(message, locuri_direction(message), direction)
}

/// [`ends_of`], the LocURIs' direction given.
fn ends_by(
    message: &Message,
    locuri: Option<Direction>,
    direction: Direction,
) -> (Option<&SmolStr>, Option<&SmolStr>) {
    let header = &message.header;
    let (target, source) = (header.target.as_ref(), header.source.as_ref());
    match locuri.unwrap_or(direction) {
        Direction::DeviceToServer => (source, target),
        Direction::ServerToDevice => (target, source),
    }
}

/// A MsgID or CmdID as a key: a number when it is written as one (the usual
/// case: cheap to hash and compare), else the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Id {
    Number(u32),
    Text(SmolStr),
}

impl Id {
    /// `"12"` is `Number(12)`; `"012"`, `"+1"` or `"x"` stay text: IDs are
    /// compared as written.
    fn of(text: &SmolStr) -> Self {
        let bytes = text.as_bytes();
        let canonical = matches!(bytes.len(), 1..=9)
            && bytes.iter().all(u8::is_ascii_digit)
            && (bytes[0] != b'0' || bytes.len() == 1);
        if canonical {
            Id::Number(bytes.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            Id::Text(text.clone())
        }
    }
}

/// A session being read.
#[derive(Default)]
struct Open {
    log: SessionLog,
    /// (direction, MsgID, CmdID) → row index; `None` for answers (Results) that
    /// are not rows of their own but may be answered themselves.
    index: HashMap<(Direction, Id, Id), Option<usize>>,
    /// The CmdIDs of the message being threaded (kept for the next one).
    seen_ids: HashSet<Id>,
    /// The latest MsgID each side sent, for a Status without MsgRef (by
    /// [`Direction::index`]).
    last_msg: [Option<Id>; 2],
    /// The device's package 1 was seen.
    started: bool,
    /// The server's latest message challenged the device's credentials.
    challenged: bool,
    /// When the session began and was last active, in messages.
    began: u64,
    active: u64,
    /// What the part of this session handed out before it ended left.
    earlier: Option<Box<Earlier>>,
    /// (sender, MsgID) of its messages that were salvaged from a broken one
    /// (not well-formed, too large): their commands after the damage are
    /// lost, so an answer to one of them is no reference to nothing.
    salvaged: Vec<(Direction, Id)>,
}

/// What a session handed out before it ended leaves for its continuation:
/// where it began and the MsgIDs each side sent, so that answers to its
/// commands are not taken for references to nothing, and the commands of
/// each side's last message still unanswered, so that an answer that comes
/// after the hand-out (a failing Status above all) is not lost: the command
/// goes on in the continuation with its answer.
#[derive(Default)]
struct Earlier {
    place: Place,
    /// (sender, MsgID) of its messages: a few, kept in place.
    msg_ids: SmallVec<[(Direction, Id); 4]>,
    last_msg: [Option<Id>; 2],
    /// Unanswered commands of each side's last message, by (sender, MsgID,
    /// CmdID); at most [`PENDING_KEPT`].
    pending: Vec<((Direction, Id, Id), Pending)>,
    /// When it was handed out (the clock).
    evicted_at: u64,
}

/// An unanswered command of a session handed out early: what its row is
/// made of again when an answer comes (the rest of a row is the answer's,
/// or the session's).
struct Pending {
    msg_id: Option<SmolStr>,
    cmd_id: Option<SmolStr>,
    cmd: SmolStr,
    targets: Targets,
    file: SmolStr,
    line: u64,
    time: Option<SmolStr>,
    alert: Option<u32>,
    more_data: bool,
}

impl Pending {
    fn of(row: &Row) -> Self {
        Self {
            msg_id: row.msg_id.clone(),
            cmd_id: row.cmd_id.clone(),
            cmd: row.cmd.clone(),
            targets: row.targets.clone(),
            file: row.file.clone(),
            line: row.line,
            time: row.time.clone(),
            alert: row.alert,
            more_data: row.more_data,
        }
    }

    /// Its row again, in the session of `log`, sent in `direction`.
    fn into_row(self, log: &SessionLog, direction: Direction) -> Row {
        Row {
            session: log.session.clone(),
            device: log.device.clone(),
            direction,
            msg_id: self.msg_id,
            cmd_id: self.cmd_id,
            cmd: self.cmd,
            targets: self.targets,
            status: None,
            status_name: None,
            statuses: Codes::new(),
            results: Vec::new(),
            file: self.file,
            line: self.line,
            time: self.time,
            alert: self.alert,
            more_data: self.more_data,
            alert_items: Vec::new(),
            challenge: None,
            no_resp: false,
            carried_over: true,
        }
    }
}

/// Unanswered commands an evicted session keeps for its continuation: an
/// answer to one of them is carried over, with the command.
const PENDING_KEPT: usize = 16;
/// Evicted sessions that keep their unanswered commands, for each session
/// that may be open: the latest ones (a continuation comes soon after its
/// eviction), so that the memory they hold stays bounded (a few KB each)
/// whatever the log.
const PENDING_PER_OPEN: usize = 1;
/// Unanswered commands kept by evicted sessions together, for each session
/// that may be open: sessions of many commands each (evicted for the rows
/// they hold) keep them for the latest few only.
const PENDING_COMMANDS_PER_OPEN: usize = 4;

type Key = (Option<SmolStr>, Option<SmolStr>);

/// At most this many sessions are held open by default; past it, the least
/// recently active ones are handed out before they end. With timestamps the
/// session timeout ends lost sessions long before; without, this is what
/// bounds memory: a lost session costs about 10 KB of the process's memory
/// (BENCHMARKS.md: 46 MB at this cap on 1 GB of a log without timestamps).
pub const MAX_OPEN_SESSIONS: usize = 2_000;

/// At most this many rows are held by the open sessions together by default
/// (a row costs about 700 bytes with its index entry and texts: about 14 MB).
/// Sessions of ten rows or fewer on average reach the cap on sessions first
/// (the field-like log without timestamps peaks at 10,121 rows).
pub const MAX_OPEN_ROWS: usize = 20_000;

/// Sessions handed out early are remembered for their continuations, this
/// many for each session that may be open.
const EVICTED_KEPT_PER_OPEN: usize = 2;

/// The default session timeout, in log time: a DM session over HTTP answers
/// within seconds; a device silent for five minutes is gone.
pub const SESSION_TIMEOUT_MS: i64 = 5 * 60 * 1000;

/// When open sessions are handed out before the server ends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A session silent for longer than this (milliseconds of log time) ends
    /// when a later message shows the log went on; `None`: never.
    pub timeout_ms: Option<i64>,
    /// The most sessions open at once.
    pub max_open: usize,
    /// The most rows (commands and answers) the open sessions hold together:
    /// past it, the least recently active other sessions are handed out, as
    /// past `max_open`. Lost sessions of many commands each (a server's
    /// package of a hundred Replaces that no device answered) would otherwise
    /// hold memory that the count of sessions does not bound.
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout_ms: Some(SESSION_TIMEOUT_MS),
            max_open: MAX_OPEN_SESSIONS,
            max_rows: MAX_OPEN_ROWS,
        }
    }
}

/// Threads messages into sessions. A session is handed out when it ends: when
/// the server answers with no new commands, when its device starts another
/// session, when it was silent for longer than the timeout in log time, or
/// when it is among the least recently active of too many open ones (then a
/// later message of it starts a continuation that says so); what is open at
/// the end of the input comes out of [`finish`]. So memory holds the sessions
/// in progress, not the whole log.
///
/// [`finish`]: Threader::finish
#[derive(Default)]
pub struct Threader {
    limits: Limits,
    open: HashMap<Key, Open>,
    /// (log time, session, clock) of every timed message, oldest first: the
    /// sessions that may have been silent too long.
    activity: VecDeque<(i64, Key, u64)>,
    /// Sessions handed out before they ended, oldest first (bounded).
    evicted: HashMap<Key, Earlier>,
    evicted_order: VecDeque<Key>,
    /// The sessions handed out last that keep their unanswered commands,
    /// with when (the clock): the only ones (bounded, [`PENDING_PER_OPEN`]
    /// and [`PENDING_COMMANDS_PER_OPEN`]).
    with_pending: VecDeque<(Key, u64)>,
    /// The unanswered commands the evicted sessions kept hold together.
    pending_held: usize,
    /// The session each device is in.
    current: HashMap<Option<SmolStr>, Key>,
    /// Messages seen: orders sessions by start and by last activity.
    clock: u64,
    /// The log time of the latest message with one.
    now: Option<i64>,
    /// The rows the open sessions hold together.
    open_rows: usize,
    /// What closed sessions leave, emptied, for new ones to reuse.
    spare: Vec<Spare>,
}

/// A closed session's index and ID set, and once the caller gives it back
/// ([`Threader::recycle`]) its lists: emptied, with their room.
#[derive(Default)]
struct Spare {
    index: HashMap<(Direction, Id, Id), Option<usize>>,
    seen_ids: HashSet<Id>,
    log: SessionLog,
}

/// The most sessions kept for reuse.
const SPARE_SESSIONS: usize = 64;
/// The longest list of rows kept for reuse.
const MAX_RECYCLED_ROWS: usize = 1024;

impl Threader {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Adds one message; returns the sessions it ended.
    pub fn add(&mut self, found: &Found) -> Vec<SessionLog> {
        let mut ended = Vec::new();
        let time = found
            .record
            .as_ref()
            .and_then(|record| clock::millis_of(&record.time));
        if let Some(now) = time {
            self.expire(now, &mut ended);
            self.now = Some(now);
        }
        self.thread(found, time, &mut ended);
        ended
    }

    /// The log time of the latest message with one (milliseconds).
    pub fn now(&self) -> Option<i64> {
        self.now
    }

    /// The limits it hands sessions out by.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Threads one message into its session; adds the sessions it ended to `ended`.
    fn thread(&mut self, found: &Found, time: Option<i64>, ended: &mut Vec<SessionLog>) {
        let message = &found.message;
        let record_text = found.record.as_ref().map(|r| r.text.as_str());
        let locuri = locuri_direction(message);
        let direction = direction_by(message, locuri, record_text);
        // The device's by what it carries, but the LocURIs name the server as
        // its source: the header looks swapped.
        let swapped =
            direction == Direction::DeviceToServer && locuri == Some(Direction::ServerToDevice);
        let (device, server) = ends_by(message, locuri, direction);
        // This thread's copies of what it keeps (see `intern::local`).
        let device = device.map(intern::local);
        let key: Key = (
            message.header.session_id.as_ref().map(intern::local),
            device.clone(),
        );
        if let Some(previous) = self.current.insert(device.clone(), key.clone())
            && previous != key
            && let Some(log) = self.close(&previous, Closed::Replaced)
        {
            ended.push(log);
        }
        // The same SessionID and device again with a new package 1 (Alert
        // 1200/1201), while the server did not just ask for credentials: a new
        // session that reuses the ID (they repeat across days).
        let package_1 =
            direction == Direction::DeviceToServer && message.commands.iter().any(opens_session);
        // Without a SessionID, a message joins its device's open session only
        // when its header ties it there: each captured message stands alone.
        if key.0.is_none()
            && self
                .open
                .get(&key)
                .is_some_and(|open| key.1.is_none() || !ties(open, message, direction))
            && let Some(log) = self.close(&key, Closed::Replaced)
        {
            ended.push(log);
        }
        if package_1
            && self
                .open
                .get(&key)
                .is_some_and(|open| open.started && !open.challenged)
            && let Some(log) = self.close(&key, Closed::Replaced)
        {
            ended.push(log);
        }
        self.clock += 1;
        if !self.open.contains_key(&key) {
            // A session handed out early goes on here, unless the device
            // starts a new one (package 1). Taken before others are handed
            // out: remembering them may let the oldest go.
            let earlier = self
                .evicted
                .remove(&key)
                .map(|earlier| self.unheld(earlier))
                .filter(|_| !package_1);
            if self.open.len() >= self.limits.max_open {
                self.evict(ended);
            }
            let spare = self.spare.pop().unwrap_or_else(|| Spare {
                // A session's commands and answers, without growing for most.
                index: HashMap::with_capacity_and_hasher(16, Default::default()),
                ..Spare::default()
            });
            let mut open = Open {
                began: self.clock,
                index: spare.index,
                seen_ids: spare.seen_ids,
                log: spare.log,
                ..Open::default()
            };
            open.log.session = key.0.clone();
            open.log.device = key.1.clone();
            open.log.first_message = self.clock;
            if let Some(earlier) = earlier {
                open.log.continues = Some(earlier.place.clone());
                open.last_msg = earlier.last_msg.clone();
                open.earlier = Some(Box::new(earlier));
            }
            self.open.insert(key.clone(), open);
        }
        if let Some(time) = time {
            if self.activity.len() > 2 * self.limits.max_open + 1024 {
                self.forget_old_activity();
            }
            self.activity.push_back((time, key.clone(), self.clock));
        }
        let open = self.open.get_mut(&key).expect("just inserted");
        open.active = self.clock;
        let rows_before = open.log.rows.len();
        let new_commands = open.add(found, (direction, swapped), device.as_ref(), server);
        self.open_rows += open.log.rows.len() - rows_before;
        open.started |= package_1;
        if direction == Direction::ServerToDevice {
            open.challenged = challenges(message);
        }
        if direction == Direction::ServerToDevice
            && new_commands == 0
            && message.is_final
            && !challenges(message)
        {
            if let Some(log) = self.close(&key, Closed::Normally) {
                ended.push(log);
            }
            self.current.remove(&device);
        }
        if self.open_rows > self.limits.max_rows {
            self.evict_rows(&key, ended);
        }
    }

    /// Hands out the sessions silent for longer than the timeout before (or
    /// after) `now`.
    fn expire(&mut self, now: i64, ended: &mut Vec<SessionLog>) {
        let Some(timeout) = self.limits.timeout_ms else {
            return;
        };
        while let Some((time, _, _)) = self.activity.front() {
            // Log time that jumps back by more than the timeout (rotated
            // files given newest first) leaves the sessions before the jump
            // as silent as a jump forward does.
            if now.saturating_sub(*time).saturating_abs() <= timeout {
                break;
            }
            let Some((_, key, clock)) = self.activity.pop_front() else {
                break;
            };
            if is_latest(&self.open, &key, clock) {
                self.forget_current(&key);
                ended.extend(self.close(&key, Closed::TimedOut));
            }
        }
    }

    /// Keeps only each open session's latest activity: a log whose
    /// timestamps barely move (many messages within the timeout) would
    /// otherwise keep one entry per message.
    fn forget_old_activity(&mut self) {
        let open = &self.open;
        self.activity
            .retain(|(_, key, clock)| is_latest(open, key, *clock));
    }

    /// The device of `key` is no longer in that session.
    fn forget_current(&mut self, key: &Key) {
        if self.current.get(&key.1) == Some(key) {
            self.current.remove(&key.1);
        }
    }

    fn close(&mut self, key: &Key, closed: Closed) -> Option<SessionLog> {
        let mut open = self.open.remove(key)?;
        self.open_rows -= open.log.rows.len();
        open.log.closed = closed;
        if self.spare.len() < SPARE_SESSIONS {
            open.index.clear();
            self.spare.push(Spare {
                index: open.index,
                seen_ids: open.seen_ids,
                log: SessionLog::default(),
            });
        }
        Some(open.log)
    }

    /// Takes back a session the caller is done with: its lists, emptied,
    /// serve a new session (with the index of one closed before).
    pub fn recycle(&mut self, mut log: SessionLog) {
        // A long session's lists are let go: kept, they would hold memory.
        if log.rows.capacity() > MAX_RECYCLED_ROWS {
            return;
        }
        let Some(spare) = self
            .spare
            .iter_mut()
            .find(|spare| spare.log.rows.capacity() == 0)
        else {
            return;
        };
        log.rows.clear();
        log.messages.clear();
        log.anomalies.clear();
        log.devinfo.clear();
        spare.log = SessionLog {
            rows: log.rows,
            messages: log.messages,
            anomalies: log.anomalies,
            devinfo: log.devinfo,
            ..SessionLog::default()
        };
    }

    /// Hands out the tenth of the open sessions that were least recently
    /// active, and remembers them for their continuations.
    fn evict(&mut self, ended: &mut Vec<SessionLog>) {
        let count = (self.limits.max_open / 10).max(1);
        for key in self.least_active().into_iter().take(count) {
            self.evict_one(key, Crowded::Sessions, ended);
        }
    }

    /// Hands out the least recently active sessions other than `busy` until
    /// the open ones hold a tenth fewer rows than the limit.
    /// A session that alone holds that many is handed out itself (it goes
    /// on as a continuation): the others are not all pushed out for it.
    fn evict_rows(&mut self, busy: &Key, ended: &mut Vec<SessionLog>) {
        let enough = self.limits.max_rows - self.limits.max_rows / 10;
        if self
            .open
            .get(busy)
            .is_some_and(|open| open.log.rows.len() >= enough)
        {
            self.evict_one(busy.clone(), Crowded::Commands, ended);
            return;
        }
        for key in self.least_active() {
            if self.open_rows <= enough {
                break;
            }
            if key != *busy {
                self.evict_one(key, Crowded::Commands, ended);
            }
        }
    }

    /// The open sessions, least recently active first.
    fn least_active(&self) -> Vec<Key> {
        let mut by_activity: Vec<(u64, &Key)> = self
            .open
            .iter()
            .map(|(key, open)| (open.active, key))
            .collect();
        by_activity.sort_unstable_by_key(|(active, _)| *active);
        by_activity
            .into_iter()
            .map(|(_, key)| key.clone())
            .collect()
    }

    /// Hands out one open session before it ended, and remembers it for its
    /// continuation.
    fn evict_one(&mut self, key: Key, crowded: Crowded, ended: &mut Vec<SessionLog>) {
        self.forget_current(&key);
        let earlier = self.open.get_mut(&key).map(Open::leave);
        if let Some(log) = self.close(&key, Closed::Evicted(crowded)) {
            ended.push(log);
        }
        if let Some(earlier) = earlier {
            self.remember_evicted(key, earlier);
        }
    }

    /// Keeps what an evicted session leaves (a few hundred bytes); the oldest
    /// are let go past twice as many as sessions may be open.
    fn remember_evicted(&mut self, key: Key, earlier: Earlier) {
        while self.evicted.len() >= EVICTED_KEPT_PER_OPEN * self.limits.max_open {
            let Some(oldest) = self.evicted_order.pop_front() else {
                break;
            };
            if let Some(earlier) = self.evicted.remove(&oldest) {
                self.unheld(earlier);
            }
        }
        if self.evicted_order.len() >= 2 * EVICTED_KEPT_PER_OPEN * self.limits.max_open {
            // Keys used by continuations since: drop the stale ones.
            let evicted = &self.evicted;
            self.evicted_order.retain(|key| evicted.contains_key(key));
        }
        self.evicted_order.push_back(key.clone());
        let mut earlier = earlier;
        earlier.evicted_at = self.clock;
        if !earlier.pending.is_empty() {
            self.pending_held += earlier.pending.len();
            self.with_pending.push_back((key.clone(), self.clock));
        }
        if let Some(replaced) = self.evicted.insert(key, earlier) {
            self.unheld(replaced);
        }
        let max_open = self.limits.max_open;
        while self.with_pending.len() > PENDING_PER_OPEN * max_open
            || self.pending_held > PENDING_COMMANDS_PER_OPEN * max_open
        {
            let Some((oldest, at)) = self.with_pending.pop_front() else {
                break;
            };
            // Taken by a continuation or let go since: counted off then.
            if let Some(old) = self.evicted.get_mut(&oldest)
                && old.evicted_at == at
            {
                self.pending_held -= old.pending.len();
                old.pending = Vec::new();
            }
        }
    }

    /// `earlier` leaves the evicted sessions kept: its unanswered commands
    /// are no longer counted among those they hold.
    fn unheld(&mut self, earlier: Earlier) -> Earlier {
        self.pending_held -= earlier.pending.len();
        earlier
    }

    /// How many sessions are open.
    pub fn open_sessions(&self) -> usize {
        self.open.len()
    }

    /// The sessions still open at the end of the input, in the order they began.
    pub fn finish(self) -> Vec<SessionLog> {
        let mut rest: Vec<Open> = self.open.into_values().collect();
        rest.sort_unstable_by_key(|open| open.began);
        rest.into_iter().map(|open| open.log).collect()
    }
}

impl Open {
    /// What this session leaves for a continuation, when it is handed out
    /// before it ended.
    fn leave(&mut self) -> Earlier {
        let mut earlier = self.earlier.take().map(|e| *e).unwrap_or_default();
        if let Some(first) = self.log.messages.first() {
            earlier.place = Place {
                file: first.file.clone(),
                line: first.line,
            };
        }
        for message in &self.log.messages {
            let id = Id::of(message.msg_id.as_ref().unwrap_or(&SmolStr::default()));
            let sent = (message.direction, id);
            if !earlier.msg_ids.contains(&sent) {
                earlier.msg_ids.push(sent);
            }
        }
        earlier.last_msg.clone_from(&self.last_msg);
        // Unanswered commands (not headers: an answer to a header is no
        // command of its own) of each side's last message, the latest rows
        // first, then what an earlier part left.
        let mut pending: Vec<(usize, &(Direction, Id, Id))> = self
            .index
            .iter()
            .filter_map(|(key, at)| Some((at.as_ref().copied()?, key)))
            .filter(|&(at, (direction, msg_id, _))| {
                self.log.rows.get(at).is_some_and(|row| {
                    row.status.is_none()
                        && !row.no_resp
                        && row.cmd != "SyncHdr"
                        && self.last_msg[direction.index()].as_ref() == Some(msg_id)
                })
            })
            .collect();
        pending.sort_unstable_by_key(|&(at, _)| std::cmp::Reverse(at));
        let older = std::mem::take(&mut earlier.pending);
        earlier.pending = pending
            .into_iter()
            .map(|(at, key)| (key.clone(), Pending::of(&self.log.rows[at])))
            .chain(older)
            .take(PENDING_KEPT)
            .collect();
        earlier
    }

    /// The row an answer refers to, when it is a command of the part handed
    /// out earlier that is still unanswered: it goes on here, as a row of
    /// this part, to take its answer.
    fn carry_over(&mut self, key: &(Direction, Id, Id)) -> Option<usize> {
        let earlier = self.earlier.as_mut()?;
        let at = earlier.pending.iter().position(|(sent, _)| sent == key)?;
        let (key, pending) = earlier.pending.remove(at);
        let row = pending.into_row(&self.log, key.0);
        self.log.carried_over += 1;
        self.log.rows.push(row);
        let at = self.log.rows.len() - 1;
        self.index.insert(key, Some(at));
        Some(at)
    }

    /// Threads one message; returns how many new commands (not answers) it had.
    fn add(
        &mut self,
        found: &Found,
        (direction, swapped): (Direction, bool),
        device: Option<&SmolStr>,
        server: Option<&SmolStr>,
    ) -> usize {
        let message = &found.message;
        let msg_id = Id::of(
            message
                .header
                .msg_id
                .as_ref()
                .unwrap_or(&SmolStr::default()),
        );
        let time = found.record.as_ref().map(|r| intern::local(&r.time));
        // Rows keep this thread's copies of long values (see `intern::local`).
        let file = intern::local(&found.file);
        let row = |cmd: &SmolStr, cmd_id: Option<SmolStr>, targets: Targets| Row {
            session: message.header.session_id.clone(),
            device: device.cloned(),
            direction,
            msg_id: message.header.msg_id.clone(),
            cmd_id,
            cmd: cmd.clone(),
            targets,
            status: None,
            status_name: None,
            statuses: Codes::new(),
            results: Vec::new(),
            file: file.clone(),
            line: found.line,
            time: time.clone(),
            alert: None,
            more_data: false,
            alert_items: Vec::new(),
            challenge: None,
            no_resp: false,
            carried_over: false,
        };
        let anomaly = |what: AnomalyKind| Anomaly {
            direction,
            msg_id: message.header.msg_id.clone(),
            file: file.clone(),
            line: found.line,
            time: time.clone(),
            what,
        };
        self.log.rows.push(row(
            &SmolStr::new_static("SyncHdr"),
            Some(SmolStr::new_static("0")),
            server.into_iter().map(intern::local).collect(),
        ));
        let header_row = self.log.rows.len() - 1;
        self.index
            .insert((direction, msg_id.clone(), Id::Number(0)), Some(header_row));
        if swapped {
            self.log.anomalies.push(anomaly(AnomalyKind::HeaderSwapped));
        }
        let mut seen_ids = std::mem::take(&mut self.seen_ids);
        seen_ids.clear();
        let mut new_commands = 0;
        for command in message.all_commands() {
            if let Some(cmd_id) = &command.cmd_id
                && !seen_ids.insert(Id::of(cmd_id))
            {
                let found_anomaly = anomaly(AnomalyKind::DuplicateCmdId {
                    cmd_id: cmd_id.clone(),
                });
                self.log.anomalies.push(found_anomaly);
            }
            match command.name.as_str() {
                "Status" => {
                    if !self.answer_status(direction, command) {
                        let dangling = anomaly(dangling("Status", command));
                        self.log.anomalies.push(dangling);
                    }
                }
                "Results" => {
                    if !self.answer_results(direction, command) {
                        let dangling = anomaly(dangling("Results", command));
                        self.log.anomalies.push(dangling);
                    }
                    self.collect_devinfo(direction, command);
                    if let Some(cmd_id) = &command.cmd_id {
                        self.index
                            .insert((direction, msg_id.clone(), Id::of(cmd_id)), None);
                    }
                }
                _ => {
                    new_commands += 1;
                    if direction == Direction::DeviceToServer {
                        self.collect_devinfo(direction, command);
                    }
                    // A device's own commands (Replace of ./DevInfo) name a Source.
                    let mut targets = Targets::with_capacity(command.items.len());
                    targets.extend(command.items.iter().filter_map(|item| {
                        item.target
                            .as_ref()
                            .or(item.source.as_ref())
                            .map(intern::local)
                    }));
                    let mut new_row = row(&command.name, command.cmd_id.clone(), targets);
                    if command.name == "Alert" {
                        new_row.alert = command.code();
                        if new_row.alert == Some(alert::GENERIC) {
                            new_row.alert_items = command
                                .items
                                .iter()
                                .map(|item| ResultItem {
                                    source: item.source.clone().or_else(|| item.target.clone()),
                                    format: meta_field(item, command, |meta| &meta.format),
                                    kind: meta_field(item, command, |meta| &meta.kind),
                                    data: item.data.clone(),
                                })
                                .collect();
                        }
                    }
                    new_row.more_data = command.items.iter().any(|item| item.more_data);
                    new_row.no_resp = command.no_resp;
                    self.log.rows.push(new_row);
                    if let Some(cmd_id) = &command.cmd_id {
                        let at = self.log.rows.len() - 1;
                        self.index
                            .insert((direction, msg_id.clone(), Id::of(cmd_id)), Some(at));
                    }
                }
            }
        }
        self.log.messages.push(MessageInfo {
            direction,
            msg_id: message.header.msg_id.clone(),
            file,
            line: found.line,
            time,
            is_final: message.is_final,
            commands: new_commands,
            cred: message.header.cred.as_ref().map(|cred| {
                cred.meta
                    .kind
                    .clone()
                    .unwrap_or_else(|| "syncml:auth-basic".into())
            }),
            cred_data: message
                .header
                .cred
                .as_ref()
                .and_then(|cred| cred.data.clone()),
            source_name: message.header.source_name.clone(),
            hmac: found.hmac.clone(),
            header_row,
        });
        if found.salvaged {
            self.salvaged.push((direction, msg_id.clone()));
        }
        self.last_msg[direction.index()] = Some(msg_id);
        self.seen_ids = seen_ids;
        new_commands
    }

    /// The row a Status or Results sent in `direction` refers to: `Some(None)`
    /// for an answer that is not a row, `None` for a reference to nothing.
    fn referred(&mut self, direction: Direction, command: &Command) -> Option<Option<usize>> {
        let other = direction.other();
        let msg_ref = match &command.msg_ref {
            Some(msg_ref) => Id::of(msg_ref),
            None => self.last_msg[other.index()].clone()?,
        };
        let cmd_ref = Id::of(command.cmd_ref.as_ref()?);
        let key = (other, msg_ref, cmd_ref);
        if let Some(found) = self.index.get(&key) {
            return Some(*found);
        }
        // An answer to a command of the part handed out earlier: the
        // command goes on here when it was unanswered there.
        if let Some(at) = self.carry_over(&key) {
            return Some(Some(at));
        }
        let (_, msg_ref, _) = key;
        // A command lost with the damage of a broken message.
        if self.salvaged.contains(&(other, msg_ref.clone())) {
            return Some(None);
        }
        self.earlier
            .as_ref()
            .is_some_and(|earlier| earlier.msg_ids.contains(&(other, msg_ref)))
            .then_some(None)
    }

    /// Records a Status; false when it points at no command.
    fn answer_status(&mut self, direction: Direction, command: &Command) -> bool {
        let Some(found) = self.referred(direction, command) else {
            return false;
        };
        let Some(at) = found else { return true };
        let Some(code) = command.code() else {
            return true;
        };
        let row = &mut self.log.rows[at];
        row.statuses.push(code);
        let replace = match row.status {
            None => true,
            Some(current) => current < 300 && code >= 300,
        };
        if replace {
            row.status = Some(code);
            row.status_name = status::name_of(code);
        }
        if let Some(chal) = &command.chal {
            row.challenge = Some(Box::new(Challenge {
                kind: chal.kind.clone(),
                next_nonce: chal.next_nonce.clone(),
            }));
        }
        true
    }

    /// Records a Results; false when it points at no command.
    fn answer_results(&mut self, direction: Direction, command: &Command) -> bool {
        let Some(found) = self.referred(direction, command) else {
            return false;
        };
        let Some(at) = found else { return true };
        let row = &mut self.log.rows[at];
        for item in &command.items {
            row.results.push(ResultItem {
                source: item.source.clone(),
                format: meta_field(item, command, |meta| &meta.format),
                kind: meta_field(item, command, |meta| &meta.kind),
                data: item.data.clone(),
            });
        }
        true
    }

    /// `./DevInfo/Man` and friends, from the device's Replace or Results.
    fn collect_devinfo(&mut self, direction: Direction, command: &Command) {
        if direction != Direction::DeviceToServer {
            return;
        }
        for item in &command.items {
            let uri = item.source.as_deref().or(item.target.as_deref());
            if let (Some(uri), Some(data)) = (uri, &item.data)
                && let Some(node) = uri.strip_prefix("./DevInfo/")
                && !self.log.devinfo.iter().any(|(name, _)| name == node)
            {
                self.log.devinfo.push((SmolStr::new(node), data.clone()));
            }
        }
    }
}

/// A field of an item's Meta, or else of its command's.
fn meta_field(
    item: &Item,
    command: &Command,
    field: impl Fn(&Meta) -> &Option<SmolStr>,
) -> Option<SmolStr> {
    [item.meta.as_deref(), command.meta.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|meta| field(meta).clone())
}

/// An activity entry is a session's latest: it is open and was last active
/// at that clock.
fn is_latest(open: &HashMap<Key, Open>, key: &Key, clock: u64) -> bool {
    open.get(key).is_some_and(|session| session.active == clock)
}

/// A message without a SessionID goes on `open`: it answers the other side's
/// last message (a Status or Results with that MsgRef), or it is the next of
/// its side (MsgID one more than its side's last, or 1 as its side's first).
fn ties(open: &Open, message: &Message, direction: Direction) -> bool {
    let answers = open.last_msg[direction.other().index()]
        .as_ref()
        .is_some_and(|last| {
            message.commands.iter().any(|command| {
                matches!(command.name.as_str(), "Status" | "Results")
                    && command
                        .msg_ref
                        .as_ref()
                        .is_some_and(|msg_ref| Id::of(msg_ref) == *last)
            })
        });
    let msg_id = message.header.msg_id.as_ref().map(Id::of);
    let next = match (&open.last_msg[direction.index()], msg_id) {
        (Some(Id::Number(last)), Some(Id::Number(id))) => id == last + 1,
        (None, Some(Id::Number(1))) => true,
        _ => false,
    };
    answers || next
}

/// An Alert that opens a session (package 1).
fn opens_session(command: &Command) -> bool {
    command.name == "Alert" && command.code().is_some_and(alert::opens_session)
}

/// The message challenges the other side's header (401/407): the session goes
/// on with credentials.
fn challenges(message: &Message) -> bool {
    message.commands.iter().any(|command| {
        command.name == "Status"
            && command.cmd_ref.as_deref() == Some("0")
            && command.code().is_some_and(status::is_challenge)
    })
}

fn dangling(answer: &str, command: &Command) -> AnomalyKind {
    AnomalyKind::DanglingReference {
        answer: SmolStr::new(answer),
        msg_ref: command.msg_ref.clone(),
        cmd_ref: command.cmd_ref.clone(),
        status: command.data.clone(),
        cmd: command.cmd.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::finder::LogRecord;

    fn found(session: u64, device: u64) -> Found {
        let text = format!(
            "<SyncML><SyncHdr><SessionID>{session}</SessionID><MsgID>1</MsgID>\
             <Target><LocURI>http://dm</LocURI></Target><Source><LocURI>IMEI:{device}</LocURI></Source>\
             </SyncHdr><SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>"
        );
        Found {
            file: "test".into(),
            line: 1,
            record: None,
            message: Message::parse(&text).expect("parses"),
            text: Some(text),
            salvaged: false,
            hmac: None,
        }
    }

    /// The server's last message of a session: the Status of the device's
    /// header and Alert, no new command.
    fn last_answer(session: u64, device: u64) -> Found {
        let text = format!(
            "<SyncML><SyncHdr><SessionID>{session}</SessionID><MsgID>1</MsgID>\
             <Target><LocURI>IMEI:{device}</LocURI></Target><Source><LocURI>http://dm</LocURI></Source>\
             </SyncHdr><SyncBody>\
             <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>\
             <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef><Cmd>Alert</Cmd><Data>200</Data></Status>\
             <Final/></SyncBody></SyncML>"
        );
        Found {
            file: "test".into(),
            line: 2,
            record: None,
            message: Message::parse(&text).expect("parses"),
            text: Some(text),
            salvaged: false,
            hmac: None,
        }
    }

    #[test]
    fn a_recycled_session_lends_its_room_and_nothing_else_to_the_next() {
        let mut threader = Threader::new(Limits::default());
        assert!(threader.add(&found(1, 1)).is_empty());
        let mut ended = threader.add(&last_answer(1, 1));
        let mut first = ended.pop().expect("the session ended");
        assert_eq!(first.closed, Closed::Normally);
        assert_eq!(first.rows.len(), 3);
        // Room that a new list would not have.
        first.rows.reserve(100);
        let room = first.rows.capacity();
        threader.recycle(first);
        // The next session starts on the recycled lists, empty.
        assert!(threader.add(&found(2, 2)).is_empty());
        let second = threader.finish().pop().expect("device 2's session");
        assert_eq!(second.session.as_deref(), Some("2"));
        assert_eq!(second.device.as_deref(), Some("IMEI:2"));
        assert_eq!(second.rows.len(), 2, "its header and its Alert only");
        assert_eq!(second.messages.len(), 1);
        assert!(second.anomalies.is_empty());
        assert_eq!(second.closed, Closed::EndOfInput);
        assert_eq!(second.rows.capacity(), room);
    }

    #[test]
    fn ids_are_numbers_only_when_written_as_plain_numbers() {
        let id = |text: &str| Id::of(&SmolStr::new(text));
        assert_eq!(id("0"), Id::Number(0));
        assert_eq!(id("12"), Id::Number(12));
        assert_eq!(id("999999999"), Id::Number(999_999_999));
        // Written otherwise, an ID is its text: "01" is not "1".
        for text in ["", "01", "+1", "1a", "x", "1234567890", "١"] {
            assert_eq!(id(text), Id::Text(SmolStr::new(text)), "{text}");
        }
        assert_ne!(id("01"), id("1"));
    }

    #[test]
    fn too_many_open_sessions_hand_out_the_least_recently_active() {
        let mut threader = Threader::new(Limits::default());
        let mut handed_out = Vec::new();
        for device in 0..=MAX_OPEN_SESSIONS as u64 {
            handed_out.extend(threader.add(&found(1, device)));
        }
        assert_eq!(handed_out.len(), MAX_OPEN_SESSIONS / 10);
        assert_eq!(handed_out[0].device.as_deref(), Some("IMEI:0"));
        let rest = threader.finish();
        assert_eq!(rest.len() + handed_out.len(), MAX_OPEN_SESSIONS + 1);
    }

    /// A message of `device` in session 1 at `time` (seconds after 10:00:00).
    fn message(
        device: u64,
        from_device: bool,
        msg_id: u32,
        body: &str,
        time: Option<u64>,
    ) -> Found {
        let (target, source) = if from_device {
            ("http://dm".to_owned(), format!("IMEI:{device}"))
        } else {
            (format!("IMEI:{device}"), "http://dm".to_owned())
        };
        let text = format!(
            "<SyncML><SyncHdr><SessionID>1</SessionID><MsgID>{msg_id}</MsgID>\
             <Target><LocURI>{target}</LocURI></Target><Source><LocURI>{source}</LocURI></Source>\
             </SyncHdr><SyncBody>{body}<Final/></SyncBody></SyncML>"
        );
        Found {
            file: "test".into(),
            line: u64::from(msg_id) * 100 + device,
            record: time.map(|seconds| LogRecord {
                time: format!(
                    "2010-06-28 {:02}:{:02}:{:02},000",
                    10 + seconds / 3600,
                    seconds / 60 % 60,
                    seconds % 60
                )
                .into(),
                text: "DEBUG".into(),
            }),
            message: Message::parse(&text).expect("parses"),
            text: Some(text),
            salvaged: false,
            hmac: None,
        }
    }

    const PACKAGE_1: &str = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";

    #[test]
    fn a_session_silent_for_longer_than_the_timeout_ends_when_the_log_moves_on() {
        let mut threader = Threader::new(Limits::default());
        assert!(
            threader
                .add(&message(1, true, 1, PACKAGE_1, Some(0)))
                .is_empty()
        );
        // Another device, four minutes later: the first session is still open.
        assert!(
            threader
                .add(&message(2, true, 1, PACKAGE_1, Some(240)))
                .is_empty()
        );
        // Six minutes after device 1's last message, its session ends.
        let ended = threader.add(&message(3, true, 1, PACKAGE_1, Some(360)));
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].device.as_deref(), Some("IMEI:1"));
        assert_eq!(ended[0].closed, Closed::TimedOut);
        assert_eq!(threader.open_sessions(), 2);
        let report = crate::transcript::explain::explain(&ended[0]);
        assert_eq!(
            report.ending,
            crate::transcript::explain::Ending::ServerSilent
        );
        // Without a timeout, nothing ends by log time.
        let mut threader = Threader::new(Limits {
            timeout_ms: None,
            ..Limits::default()
        });
        threader.add(&message(1, true, 1, PACKAGE_1, Some(0)));
        assert!(
            threader
                .add(&message(3, true, 1, PACKAGE_1, Some(36_000)))
                .is_empty()
        );
    }

    #[test]
    fn open_sessions_hold_no_more_rows_than_the_limit() {
        use crate::transcript::explain::{FindingKind, explain};
        let limits = Limits {
            timeout_ms: None,
            max_open: 1000,
            max_rows: 100,
        };
        let mut threader = Threader::new(limits);
        // Each device's package 1, and the server's package 2 of twenty
        // Replaces that no device answers: lost sessions of 22 rows each.
        let replaces: String = (2..22)
            .map(|id| {
                format!(
                    "<Replace><CmdID>{id}</CmdID><Item><Target><LocURI>./a/{id}</LocURI></Target>\
                     <Data>1</Data></Item></Replace>"
                )
            })
            .collect();
        let package_2 = format!(
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>{replaces}"
        );
        let mut ended = Vec::new();
        for device in 0..20 {
            ended.extend(threader.add(&message(device, true, 1, PACKAGE_1, None)));
            ended.extend(threader.add(&message(device, false, 1, &package_2, None)));
            assert!(
                threader.open_rows <= 100,
                "{} rows open",
                threader.open_rows
            );
            assert_eq!(
                threader.open_rows,
                threader
                    .open
                    .values()
                    .map(|o| o.log.rows.len())
                    .sum::<usize>()
            );
        }
        // The least recently active went first, each said so.
        assert!(ended.len() >= 15, "{} handed out", ended.len());
        assert_eq!(ended[0].device.as_deref(), Some("IMEI:0"));
        for log in &ended {
            assert_eq!(log.closed, Closed::Evicted(Crowded::Commands));
            assert!(
                explain(log)
                    .findings
                    .iter()
                    .any(|f| f.kind == FindingKind::SessionEvicted)
            );
        }
        let rest = threader.finish();
        assert_eq!(rest.len() + ended.len(), 20);
        // One session that alone holds nearly the limit is handed out
        // itself, not every other one for it.
        let mut threader = Threader::new(limits);
        let mut ended = Vec::new();
        for device in 0..3 {
            ended.extend(threader.add(&message(device, true, 1, PACKAGE_1, None)));
        }
        let bulk: String = (2..100)
            .map(|id| format!("<Replace><CmdID>{id}</CmdID><Item><Target><LocURI>./a/{id}</LocURI></Target></Item></Replace>"))
            .collect();
        let package_2 = format!(
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>{bulk}"
        );
        ended.extend(threader.add(&message(0, false, 1, &package_2, None)));
        assert_eq!(ended.len(), 1, "{ended:?}");
        assert_eq!(ended[0].device.as_deref(), Some("IMEI:0"));
        assert_eq!(ended[0].closed, Closed::Evicted(Crowded::Commands));
        assert_eq!(threader.open_sessions(), 2);
        assert!(threader.open_rows <= 100);
    }

    #[test]
    fn a_continuation_is_tied_to_its_earlier_part_when_the_remembered_ones_are_full() {
        let limits = Limits {
            timeout_ms: None,
            max_open: 2,
            max_rows: MAX_OPEN_ROWS,
        };
        let mut threader = Threader::new(limits);
        let get = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>\
                   <Get><CmdID>3</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>";
        threader.add(&message(0, true, 1, PACKAGE_1, None));
        threader.add(&message(0, false, 1, get, None));
        // Five more devices: four sessions handed out, as many as are
        // remembered (twice the two that may be open), device 0's first.
        for device in 1..=5 {
            threader.add(&message(device, true, 1, PACKAGE_1, None));
        }
        assert_eq!(threader.evicted.len(), 2 * EVICTED_KEPT_PER_OPEN);
        let answer = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
                      <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Cmd>Get</Cmd><Data>404</Data></Status>";
        threader.add(&message(0, true, 2, answer, None));
        let continued = threader
            .finish()
            .into_iter()
            .find(|log| log.device.as_deref() == Some("IMEI:0"))
            .expect("device 0's continuation");
        assert!(continued.continues.is_some());
        // Its answers refer to the earlier part's commands, not to nothing.
        let report = crate::transcript::explain::explain(&continued);
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.kind != crate::transcript::explain::FindingKind::DanglingReference),
            "{:?}",
            report.findings
        );
    }

    #[test]
    fn a_session_evicted_by_the_cap_is_continued_not_split_into_false_findings() {
        use crate::transcript::explain::{Ending, FindingKind, explain};
        let limits = Limits {
            timeout_ms: None,
            max_open: 10,
            max_rows: MAX_OPEN_ROWS,
        };
        let mut threader = Threader::new(limits);
        let mut ended = threader.add(&message(0, true, 1, PACKAGE_1, None));
        let get = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>\
                   <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef><Cmd>Alert</Cmd><Data>200</Data></Status>\
                   <Get><CmdID>3</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>";
        ended.extend(threader.add(&message(0, false, 1, get, None)));
        // Ten other devices: device 0's session is the least recently active.
        for device in 1..=10 {
            ended.extend(threader.add(&message(device, true, 1, PACKAGE_1, None)));
        }
        assert_eq!(ended.len(), 1);
        let first = ended.pop().expect("evicted");
        assert_eq!(first.closed, Closed::Evicted(Crowded::Sessions));
        let report = explain(&first);
        assert_eq!(report.ending, Ending::Evicted);
        let kinds: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [FindingKind::SessionEvicted]);
        // The device answers the Get: a continuation, its answers not dangling.
        let answer = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
                      <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>\
                      <Results><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Item><Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>E71</Data></Item></Results>";
        let mut ended = threader.add(&message(0, true, 2, answer, None));
        let close = "<Status><CmdID>1</CmdID><MsgRef>2</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
                     <Status><CmdID>2</CmdID><MsgRef>2</MsgRef><CmdRef>3</CmdRef><Cmd>Results</Cmd><Data>200</Data></Status>";
        ended.extend(threader.add(&message(0, false, 2, close, None)));
        let second = ended.pop().expect("the continuation ended");
        assert_eq!(second.closed, Closed::Normally);
        assert!(second.anomalies.is_empty(), "{:?}", second.anomalies);
        assert_eq!(
            second.continues,
            Some(Place {
                file: "test".into(),
                line: 100
            })
        );
        let report = explain(&second);
        let kinds: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [FindingKind::ContinuedSession]);
        assert_eq!(
            report.findings[0].message,
            "continues the session reported at test:100"
        );
    }

    /// Device 0's session (package 1, and the server's Get in message 1)
    /// pushed out by ten others (at most ten open); what ended.
    fn evicted_after_a_get() -> (Threader, Vec<SessionLog>) {
        let mut threader = Threader::new(Limits {
            timeout_ms: None,
            max_open: 10,
            max_rows: MAX_OPEN_ROWS,
        });
        threader.add(&message(0, true, 1, PACKAGE_1, None));
        let get = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>\
                   <Get><CmdID>3</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>";
        threader.add(&message(0, false, 1, get, None));
        let mut ended = Vec::new();
        for device in 1..=10 {
            ended.extend(threader.add(&message(device, true, 1, PACKAGE_1, None)));
        }
        (threader, ended)
    }

    #[test]
    fn a_failing_answer_to_a_command_of_an_evicted_part_is_kept_with_the_command() {
        use crate::transcript::explain::{FindingKind, explain};
        let (mut threader, mut ended) = evicted_after_a_get();
        let get_line = 100;
        let first = ended.pop().expect("evicted");
        assert_eq!(first.closed, Closed::Evicted(Crowded::Sessions));
        assert_eq!(explain(&first).commands, 2, "Alert and Get");
        // The device answers the Get with 404 after the hand-out.
        let answer = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
                      <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Cmd>Get</Cmd><Data>404</Data></Status>";
        threader.add(&message(0, true, 2, answer, None));
        let second = threader.finish().pop().expect("the continuation");
        assert!(second.anomalies.is_empty(), "{:?}", second.anomalies);
        let get_row = second
            .rows
            .iter()
            .find(|row| row.cmd == "Get")
            .expect("the Get goes on with its answer");
        assert_eq!(get_row.status, Some(404));
        assert_eq!(get_row.line, get_line);
        assert_eq!(second.carried_over, 1);
        let report = explain(&second);
        assert_eq!(report.failures, 1);
        assert_eq!(report.carried_over, 1);
        let failed: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::FailedCommand)
            .collect();
        assert_eq!(failed.len(), 1, "{:?}", report.findings);
        assert!(failed[0].message.contains("404"), "{}", failed[0].message);
        assert_eq!(failed[0].line, get_line);
    }

    #[test]
    fn an_answer_to_a_command_lost_with_a_broken_message_is_no_dangling_reference() {
        let mut threader = Threader::new(Limits::default());
        // What was salvaged of the device's message: its Alert; its
        // Replace was lost with the damage.
        let mut salvaged = message(0, true, 1, PACKAGE_1, None);
        salvaged.salvaged = true;
        threader.add(&salvaged);
        let answer = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
                      <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef><Cmd>Alert</Cmd><Data>200</Data></Status>\
                      <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef><Cmd>Replace</Cmd><Data>200</Data></Status>";
        let mut ended = threader.add(&message(0, false, 1, answer, None));
        ended.extend(threader.finish());
        let log = ended.pop().expect("the session");
        assert!(log.anomalies.is_empty(), "{:?}", log.anomalies);
        // Not salvaged, the same Status points at nothing.
        let mut threader = Threader::new(Limits::default());
        threader.add(&message(0, true, 1, PACKAGE_1, None));
        let mut ended = threader.add(&message(0, false, 1, answer, None));
        ended.extend(threader.finish());
        let log = ended.pop().expect("the session");
        assert_eq!(log.anomalies.len(), 1, "{:?}", log.anomalies);
    }

    #[test]
    fn a_carried_over_command_does_not_hide_the_answering_messages_own_commands() {
        use crate::transcript::explain::{FindingKind, explain};
        let (mut threader, _) = evicted_after_a_get();
        // The device answers the header and the Get, and sends a Replace of
        // its own, which the server's next message leaves unanswered.
        let answer = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
                      <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>\
                      <Replace><CmdID>3</CmdID><Item><Source><LocURI>./DevInfo/Lang</LocURI></Source><Data>en</Data></Item></Replace>";
        threader.add(&message(0, true, 2, answer, None));
        let close = "<Status><CmdID>1</CmdID><MsgRef>2</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>";
        let mut ended = threader.add(&message(0, false, 2, close, None));
        ended.extend(threader.finish());
        let second = ended
            .into_iter()
            .find(|log| log.device.as_deref() == Some("IMEI:0"))
            .expect("the continuation");
        // Only the Get is carried over (not the header it was sent with).
        assert_eq!(second.carried_over, 1);
        assert_eq!(second.rows.iter().filter(|r| r.cmd == "SyncHdr").count(), 2);
        let report = explain(&second);
        let unanswered: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::UnansweredCommand)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(unanswered.len(), 1, "{:?}", report.findings);
        assert!(unanswered[0].contains("Replace"), "{unanswered:?}");
    }

    #[test]
    fn open_sessions_stay_bounded_when_a_third_are_lost() {
        // A lost session every second among answered ones, for 14 hours of
        // log time: with the timeout, only the last minutes stay open.
        let mut threader = Threader::new(Limits::default());
        let mut most = 0;
        for n in 0..50_000u64 {
            threader.add(&message(n, true, 1, PACKAGE_1, Some(n)));
            if n % 3 != 0 {
                let done = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>";
                threader.add(&message(n, false, 1, done, Some(n)));
            }
            most = most.max(threader.open_sessions());
        }
        assert!(most <= 302, "{most} sessions open at once");
        assert!(
            threader.activity.len() <= 302 * 2,
            "{}",
            threader.activity.len()
        );
        // Timestamps that barely move: nothing times out, the cap rules and
        // the activity kept is that of the open sessions.
        let limits = Limits {
            timeout_ms: Some(SESSION_TIMEOUT_MS),
            max_open: 1000,
            max_rows: MAX_OPEN_ROWS,
        };
        let mut threader = Threader::new(limits);
        for n in 0..20_000u64 {
            threader.add(&message(n, true, 1, PACKAGE_1, Some(n / 1000)));
            assert!(threader.activity.len() <= 2 * 1000 + 1024 + 1);
        }
        assert_eq!(threader.open_sessions(), 1000);
        // Without timestamps, the cap rules.
        let limits = Limits {
            timeout_ms: Some(SESSION_TIMEOUT_MS),
            max_open: 1000,
            max_rows: MAX_OPEN_ROWS,
        };
        let mut threader = Threader::new(limits);
        let mut most = 0;
        for n in 0..20_000u64 {
            threader.add(&message(n, true, 1, PACKAGE_1, None));
            most = most.max(threader.open_sessions());
        }
        assert_eq!(most, 1000);
        assert!(threader.evicted.len() <= EVICTED_KEPT_PER_OPEN * 1000);
        assert!(threader.evicted_order.len() <= 2 * EVICTED_KEPT_PER_OPEN * 1000);
        // Of the sessions handed out, only the latest keep their unanswered
        // commands for a continuation, each a few.
        let keeping = threader
            .evicted
            .values()
            .filter(|earlier| !earlier.pending.is_empty())
            .count();
        assert!(keeping > 0);
        assert!(keeping <= PENDING_PER_OPEN * 1000, "{keeping}");
        assert!(threader.with_pending.len() <= PENDING_PER_OPEN * 1000);
        let held: usize = threader.evicted.values().map(|e| e.pending.len()).sum();
        assert!(held > 0);
        assert_eq!(held, threader.pending_held);
        assert!(held <= PENDING_COMMANDS_PER_OPEN * 1000, "{held}");
        assert!(
            threader
                .evicted
                .values()
                .all(|earlier| earlier.pending.len() <= PENDING_KEPT)
        );
    }
}
