//! What a session shows, in plain words: which device, how it authenticated,
//! what the server asked and what came back, and first of all what went wrong
//! (findings, each with a hint). Works on the [`SessionLog`]s the threader hands
//! out; knows nothing of terminals or formats.

use std::borrow::Cow;

use serde::Serialize;
use smol_str::SmolStr;

use super::credentials::{CredCheck, Verdict};
use super::notifications::NotificationReport;
use super::thread::{
    Anomaly, AnomalyKind, Closed, Crowded, Direction, ResultItem, Row, SessionLog, Targets,
};
use crate::codes::{Outcome, alert, generic_alert, status};
use crate::explore::{self, Finding, ProbeAnswer};
use crate::output::sanitize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// What a finding is about: its JSON name (`failed_command`, …) is stable for
/// scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An explore sequence probed the device's DM tree (information).
    Explore,
    /// The other side rejected a message's header (not a challenge).
    FailedHeader,
    /// An explore probe found its node absent (information).
    ExploreProbeAbsent,
    /// A command was answered with a failure (300 or more).
    FailedCommand,
    /// A message's header got no Status though the other side answered later.
    HeaderWithoutStatus,
    /// A command got no Status though the other side answered later.
    UnansweredCommand,
    /// The device never answered the server's last message.
    LostConnection,
    /// The server never answered the device's last message.
    ServerNeverAnswered,
    /// Reported before it ended: too many sessions were open at once, or
    /// they held too many commands.
    SessionEvicted,
    /// Goes on a session reported before it ended.
    ContinuedSession,
    /// The credentials were challenged more than once.
    RepeatedAuthenticationFailure,
    /// The credentials were challenged and never accepted.
    AuthenticationFailed,
    /// An Alert worth telling (1222, 1223, 1225).
    Alert,
    /// A command carries a chunk of a large object.
    LargeObjectChunk,
    /// A Status or Results points at no command.
    DanglingReference,
    /// Two commands of one message share a CmdID.
    DuplicateCmdId,
    /// A message's LocURIs name the sender the other way round from what it
    /// carries.
    HeaderSwapped,
    /// A device's Cred does not match the password given.
    WrongPassword,
    /// A device's Cred matches an earlier nonce, not the one in force.
    StaleNonce,
}

/// One thing worth telling about a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub severity: Severity,
    /// A stable name for scripts: `failed_command`, `lost_connection`, …
    pub kind: FindingKind,
    pub message: String,
    pub hint: Option<String>,
    pub file: SmolStr,
    pub line: u64,
    pub time: Option<SmolStr>,
}

/// What the device said about itself (`./DevInfo/*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    pub dev_id: Option<SmolStr>,
    pub manufacturer: Option<SmolStr>,
    pub model: Option<SmolStr>,
    pub dm_version: Option<SmolStr>,
    pub language: Option<SmolStr>,
}

/// A challenge the server (or device) sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChallengeNote {
    pub status: u32,
    pub auth_type: Option<SmolStr>,
    pub next_nonce: Option<SmolStr>,
    pub line: u64,
}

/// How the session authenticated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Authentication {
    /// The auth types of the Cred the device sent (`syncml:auth-md5`, …).
    pub methods: Vec<SmolStr>,
    pub challenges: Vec<ChallengeNote>,
    /// The device's header was accepted (212, or 2xx per message) after the
    /// last challenge.
    pub accepted: bool,
    /// The device sent no credentials in these messages because the session
    /// was authenticated before them: the log starts after the session's
    /// package 1, or this is the continuation of a session reported earlier.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub authenticated_earlier: bool,
    /// How many messages of the device the session holds (none: nothing can
    /// be said of its credentials).
    #[serde(skip)]
    pub device_messages: usize,
    /// Each Cred of the device recomputed with the password given
    /// (`--client-password-file`), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cred_checks: Vec<CredCheck>,
}

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// The server answered with no new commands.
    Normally,
    /// The log holds messages of one side only (a captured message, an
    /// example): nothing shows how the session went on.
    Isolated,
    /// The server sent commands and the device never answered.
    LostConnection,
    /// The device sent a message the server never answered (in this log).
    ServerSilent,
    /// The device went on in another session without ending this one.
    Abandoned,
    /// Too many sessions, or commands in them, were open at once
    /// ([`SessionReport::crowded`] says which): it was reported before it
    /// ended, and what came after is reported as its continuation.
    Evicted,
}

impl Ending {
    /// A few words for a list: "ended normally", "connection lost", …
    pub(crate) fn short(self) -> &'static str {
        match self {
            Ending::Normally => "ended normally",
            Ending::Isolated => "one side only in the log",
            Ending::LostConnection => "connection lost",
            Ending::ServerSilent => "the server never answered",
            Ending::Abandoned => "abandoned",
            Ending::Evicted => "reported before it ended",
        }
    }
}

/// One command of the session and its answer, for the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub direction: Direction,
    pub cmd: SmolStr,
    /// Alert: its code.
    pub alert: Option<u32>,
    /// Generic Alert (1226): its first item's Type and Data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_type: Option<SmolStr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_data: Option<SmolStr>,
    pub targets: Targets,
    pub status: Option<u32>,
    pub status_name: Option<&'static str>,
    /// The first Results item's data, shortened to 80 characters.
    pub result: Option<SmolStr>,
    pub line: u64,
}

/// Everything `dmtool log explain` says about one session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionReport {
    pub session: Option<SmolStr>,
    pub device: Option<SmolStr>,
    pub first_time: Option<SmolStr>,
    pub last_time: Option<SmolStr>,
    pub file: Option<SmolStr>,
    pub line: Option<u64>,
    pub messages: usize,
    pub commands: usize,
    /// Of the commands, those of the part handed out earlier answered here
    /// (counted there too).
    #[serde(skip)]
    pub carried_over: usize,
    /// Handed out before it ended: of what there was too much.
    #[serde(skip)]
    pub crowded: Option<Crowded>,
    pub failures: usize,
    pub unanswered: usize,
    pub device_info: DeviceInfo,
    pub authentication: Authentication,
    /// What the explore probes of the session revealed, when it had some.
    pub platform: Option<Finding>,
    pub ending: Ending,
    /// Errors first, then warnings, then information.
    pub findings: Vec<Note>,
    /// What each side asked and what came back, in order.
    pub exchange: Vec<Exchange>,
    /// The package 0 (notification) that asked the device to open this
    /// session, when the log holds it.
    pub notification: Option<NotificationReport>,
}

impl SessionReport {
    /// True when something went wrong (an error or a warning).
    pub fn has_problems(&self) -> bool {
        self.findings.iter().any(|f| f.severity != Severity::Info)
    }
}

/// Builds the report of a session.
pub fn explain(log: &SessionLog) -> SessionReport {
    let commands: Vec<&Row> = log.rows.iter().filter(|row| row.cmd != "SyncHdr").collect();
    let explore = explore::is_explore_job(
        commands
            .iter()
            .filter(|row| row.direction == Direction::ServerToDevice)
            .flat_map(|row| row.targets.iter().map(|t| Some(t.as_str()))),
    );
    let mut notes = Vec::new();
    let ending = ending_of(log);
    failures(log, explore, &mut notes);
    unanswered(log, ending, &mut notes);
    let authentication = authentication(log, &mut notes);
    alerts_and_chunks(log, &mut notes);
    anomalies(log, &mut notes);
    let platform = explore.then(|| {
        explore::classify(
            commands
                .iter()
                .filter(|r| r.direction == Direction::ServerToDevice)
                .flat_map(|row| {
                    row.targets.iter().map(|target| ProbeAnswer {
                        target: Some(target.as_str()),
                        command: Some(row.cmd.as_str()),
                        status: row.status,
                    })
                }),
        )
    });
    if let Some(platform) = &platform {
        let first = commands.first();
        notes.push(Note {
            severity: Severity::Info,
            kind: FindingKind::Explore,
            message: format!(
                "an explore sequence probed the device's DM tree: platform {} ({})",
                platform.platform, platform.reason
            ),
            hint: None,
            file: first.map(|r| r.file.clone()).unwrap_or_default(),
            line: first.map_or(0, |r| r.line),
            time: first.and_then(|r| r.time.clone()),
        });
    }
    notes.sort_by_key(|note| (note.severity, note.line));
    let first = log.messages.first();
    let last = log.messages.last();
    SessionReport {
        session: log.session.clone(),
        device: log.device.clone(),
        first_time: first.and_then(|m| m.time.clone()),
        last_time: last.and_then(|m| m.time.clone()),
        file: first.map(|m| m.file.clone()),
        line: first.map(|m| m.line),
        messages: log.messages.len(),
        commands: commands.len(),
        carried_over: log.carried_over,
        crowded: crowded_of(log),
        failures: notes
            .iter()
            .filter(|n| {
                matches!(
                    n.kind,
                    FindingKind::FailedCommand | FindingKind::FailedHeader
                )
            })
            .count(),
        unanswered: commands
            .iter()
            .filter(|r| r.status.is_none() && !r.no_resp)
            .count(),
        device_info: device_info(log),
        authentication,
        platform,
        ending,
        findings: notes,
        exchange: commands.iter().map(|row| exchange(row)).collect(),
        notification: None,
    }
}

fn exchange(row: &Row) -> Exchange {
    Exchange {
        direction: row.direction,
        cmd: row.cmd.clone(),
        alert: row.alert,
        alert_type: row.alert_items.first().and_then(|item| item.kind.clone()),
        alert_data: row.alert_items.first().and_then(|item| item.data.clone()),
        targets: row.targets.clone(),
        status: row.status,
        status_name: row.status_name,
        result: row
            .results
            .first()
            .and_then(|item| item.data.as_ref())
            .map(|data| match sanitize::shorten(data, 80) {
                Cow::Borrowed(_) => data.clone(),
                Cow::Owned(short) => SmolStr::from(short),
            }),
        line: row.line,
    }
}

fn note(
    severity: Severity,
    kind: FindingKind,
    message: String,
    hint: Option<String>,
    row: &Row,
) -> Note {
    Note {
        severity,
        kind,
        message,
        hint,
        file: row.file.clone(),
        line: row.line,
        time: row.time.clone(),
    }
}

fn describe(row: &Row) -> String {
    match row.targets.as_slice() {
        [] => row.cmd.to_string(),
        [one] => format!("{} {one}", row.cmd),
        [first, rest @ ..] => format!("{} {first} (+{} more)", row.cmd, rest.len()),
    }
}

fn who(direction: Direction) -> &'static str {
    match direction {
        Direction::DeviceToServer => "device",
        Direction::ServerToDevice => "server",
    }
}

/// Commands and headers answered 300 or more (401/407 on the device's header
/// are authentication's, below).
fn failures(log: &SessionLog, explore: bool, notes: &mut Vec<Note>) {
    for row in &log.rows {
        let Some(code) = row.status else { continue };
        if Outcome::of(Some(code)) != Outcome::Failed {
            continue;
        }
        if row.cmd == "SyncHdr" {
            if !(row.direction == Direction::DeviceToServer && status::is_challenge(code)) {
                let name = status::name_of(code).unwrap_or("UNKNOWN");
                let (sender, answerer) = match row.direction {
                    Direction::DeviceToServer => ("device", "server"),
                    Direction::ServerToDevice => ("server", "device"),
                };
                notes.push(note(
                    Severity::Error,
                    FindingKind::FailedHeader,
                    format!(
                        "the {answerer} rejected the {sender}'s message {}: {code} {name}",
                        row.msg_id.as_deref().unwrap_or("?")
                    ),
                    status::hint_for(code, Some("SyncHdr"), false).map(str::to_owned),
                    row,
                ));
            }
            continue;
        }
        let name = status::name_of(code).unwrap_or("UNKNOWN");
        let probe =
            explore && code == 404 && row.targets.iter().any(|t| explore::probe_of(t).is_some());
        let (severity, kind) = if probe {
            (Severity::Info, FindingKind::ExploreProbeAbsent)
        } else {
            (Severity::Error, FindingKind::FailedCommand)
        };
        let answerer = who(match row.direction {
            Direction::DeviceToServer => Direction::ServerToDevice,
            Direction::ServerToDevice => Direction::DeviceToServer,
        });
        notes.push(note(
            severity,
            kind,
            format!(
                "the {answerer} answered {} with {code} {name}",
                describe(row)
            ),
            status::hint_for(code, Some(&row.cmd), explore).map(str::to_owned),
            row,
        ));
    }
}

/// Every message of the session comes from one side: the log holds no
/// exchange (a captured message, an example, an excerpt).
/// A device that opened a session (package 1) the server never answered is
/// not: that is the server's silence.
fn is_isolated(log: &SessionLog) -> bool {
    let one_side = log
        .messages
        .windows(2)
        .all(|pair| pair[0].direction == pair[1].direction);
    one_side && log.continues.is_none() && !log.server_initiated() && !log.client_initiated()
}

/// Why a session was handed out before it ended.
pub fn crowding(crowded: Crowded) -> &'static str {
    match crowded {
        Crowded::Sessions => "too many sessions were open at once",
        Crowded::Commands => "the open sessions held too many commands at once",
    }
}

/// Of what there was too much when the session was handed out early.
fn crowded_of(log: &SessionLog) -> Option<Crowded> {
    match log.closed {
        Closed::Evicted(crowded) => Some(crowded),
        _ => None,
    }
}

fn ending_of(log: &SessionLog) -> Ending {
    match log.closed {
        Closed::Normally => return Ending::Normally,
        Closed::Evicted(_) => return Ending::Evicted,
        Closed::EndOfInput | Closed::Replaced | Closed::TimedOut => {}
    }
    // A lone message proves no lost connection: the other side is not in the log.
    if is_isolated(log) {
        return Ending::Isolated;
    }
    match log.messages.last() {
        Some(last) if last.direction == Direction::ServerToDevice && last.commands > 0 => {
            Ending::LostConnection
        }
        Some(last) if last.direction == Direction::DeviceToServer => Ending::ServerSilent,
        _ => Ending::Abandoned,
    }
}

/// Commands and headers nobody answered, and how the session ended.
fn unanswered(log: &SessionLog, ending: Ending, notes: &mut Vec<Note>) {
    let last = log.messages.last();
    // For each message: does the other side send anything after it? (By order
    // in the session, not by line: sessions span rotated files.)
    let mut later = vec![false; log.messages.len()];
    let mut seen = [false, false];
    for (index, message) in log.messages.iter().enumerate().rev() {
        let other = usize::from(message.direction == Direction::DeviceToServer);
        later[index] = seen[other];
        seen[1 - other] = true;
    }
    for (index, message) in log.messages.iter().enumerate() {
        let is_last = index + 1 == log.messages.len();
        let header = &log.rows[message.header_row];
        // The other side answered later in the session, but not this header.
        let answered_later = later[index];
        if header.status.is_none() && answered_later {
            notes.push(note(
                Severity::Warning,
                FindingKind::HeaderWithoutStatus,
                format!(
                    "the {}'s message {} got no Status for its SyncHdr",
                    who(message.direction),
                    message.msg_id.as_deref().unwrap_or("?")
                ),
                Some("every message's header must be answered first (CmdRef 0); the other side may not have read it".into()),
                header,
            ));
        }
        if is_last {
            continue;
        }
        // Its commands: the rows after its header up to the next message's,
        // but for those carried over from a part of the session handed out
        // earlier (answered in it, sent before).
        let end = log
            .messages
            .get(index + 1)
            .map_or(log.rows.len(), |next| next.header_row);
        let rows = log.rows[message.header_row + 1..end]
            .iter()
            .filter(|row| row.direction == message.direction && row.msg_id == message.msg_id)
            .filter(|row| row.status.is_none() && !row.no_resp && answered_later);
        for row in rows {
            notes.push(note(
                Severity::Warning,
                FindingKind::UnansweredCommand,
                format!("{} ({}) never got a Status", describe(row), who(row.direction)),
                Some("each command must be answered by one Status; look for an error in the answering message".into()),
                row,
            ));
        }
    }
    let Some(last) = last else { return };
    let header = &log.rows[last.header_row];
    match ending {
        Ending::LostConnection => notes.push(note(
            Severity::Error,
            FindingKind::LostConnection,
            format!(
                "the connection was lost: the device never answered the server's last message ({} commands)",
                last.commands
            ),
            Some(
                "the device dropped the session (network, battery, user, or it could not parse the message); \
                 DME keeps the job and runs it in the device's next session"
                    .into(),
            ),
            header,
        )),
        Ending::ServerSilent if log.closed == Closed::TimedOut => notes.push(note(
            Severity::Warning,
            FindingKind::ServerNeverAnswered,
            "the server never answered the device's last message: the session was silent for longer than the session timeout while the log went on".into(),
            Some("look for an error on the server at this time, or raise --session-timeout if this server answers slowly".into()),
            header,
        )),
        Ending::ServerSilent => notes.push(note(
            Severity::Warning,
            FindingKind::ServerNeverAnswered,
            "the log ends with a message from the device that the server never answered".into(),
            Some("the log may end here; otherwise look for an error on the server at this time".into()),
            header,
        )),
        Ending::Evicted => notes.push(note(
            Severity::Warning,
            FindingKind::SessionEvicted,
            format!(
                "the session was reported before it ended: {}",
                crowding(crowded_of(log).unwrap_or(Crowded::Sessions))
            ),
            Some("what came after is reported as its continuation; filter with --session or --device to read it whole".into()),
            header,
        )),
        Ending::Normally | Ending::Abandoned | Ending::Isolated => {}
    }
    if let (Some(earlier), Some(first)) = (&log.continues, log.messages.first()) {
        notes.push(note(
            Severity::Info,
            FindingKind::ContinuedSession,
            format!(
                "continues the session reported at {}:{}",
                earlier.file, earlier.line
            ),
            None,
            &log.rows[first.header_row],
        ));
    }
}

fn authentication(log: &SessionLog, notes: &mut Vec<Note>) -> Authentication {
    let mut auth = Authentication::default();
    for message in &log.messages {
        if message.direction == Direction::DeviceToServer
            && let Some(method) = &message.cred
            && !auth.methods.contains(method)
        {
            auth.methods.push(method.clone());
        }
        let header = &log.rows[message.header_row];
        if header.direction != Direction::DeviceToServer {
            continue;
        }
        for &code in &header.statuses {
            // 212 accepts for the session; a server may instead accept each
            // message (200) when the device sends credentials every time.
            if (200..=299).contains(&code) {
                auth.accepted = true;
            }
            if status::is_challenge(code) {
                auth.challenges.push(ChallengeNote {
                    status: code,
                    auth_type: header.challenge.as_ref().and_then(|c| c.kind.clone()),
                    next_nonce: header.challenge.as_ref().and_then(|c| c.next_nonce.clone()),
                    line: header.line,
                });
                auth.accepted = false;
            }
        }
    }
    // No Cred in these messages: the session began before them (a
    // continuation, a log that starts mid-session: no package 1). A package
    // 1 without Cred that the server accepts needs none.
    let began_here = log.continues.is_none()
        && log.rows.iter().any(|row| {
            row.direction == Direction::DeviceToServer
                && row.alert.is_some_and(alert::opens_session)
        });
    auth.device_messages = log
        .messages
        .iter()
        .filter(|message| message.direction == Direction::DeviceToServer)
        .count();
    auth.authenticated_earlier = auth.methods.is_empty()
        && auth.device_messages > 0
        && auth.challenges.is_empty()
        && !began_here;
    if auth.challenges.len() >= 2 {
        let first = &log.rows[log.messages[0].header_row];
        notes.push(note(
            Severity::Error,
            FindingKind::RepeatedAuthenticationFailure,
            format!(
                "authentication failed {} times in this session{}",
                auth.challenges.len(),
                if auth.accepted {
                    " before it was accepted"
                } else {
                    ""
                }
            ),
            status::get(401).and_then(|e| e.hint).map(str::to_owned),
            first,
        ));
    } else if auth.challenges.len() == 1 && !auth.accepted {
        let first = &log.rows[log.messages[0].header_row];
        notes.push(note(
            Severity::Error,
            FindingKind::AuthenticationFailed,
            "the server challenged the device's credentials and never accepted them (no 212)"
                .into(),
            status::get(401).and_then(|e| e.hint).map(str::to_owned),
            first,
        ));
    }
    auth
}

/// A Generic Alert's item in words: its Type named, its Source and Data.
fn generic_alert_text(direction: Direction, item: &ResultItem) -> String {
    let kind = item.kind.as_deref().unwrap_or("(no type)").trim();
    let what = generic_alert::get(kind).map_or(kind.to_owned(), |known| {
        format!("{} ({kind})", known.meaning)
    });
    let mut text = format!("Generic Alert from the {}: {what}", who(direction));
    if let Some(source) = &item.source {
        text.push_str(&format!(", from {source}"));
    }
    if let Some(data) = &item.data {
        text.push_str(&format!(", data {}", sanitize::shorten(data, 80)));
    }
    text
}

fn alerts_and_chunks(log: &SessionLog, notes: &mut Vec<Note>) {
    for row in &log.rows {
        if let Some(code) = row.alert {
            let name = alert::get(code).map_or("UNKNOWN", |a| a.name);
            let said = match code {
                1222 => Some((
                    Severity::Info,
                    "the sender asked for the next message of a package split over several",
                )),
                1223 => Some((Severity::Error, "the session was aborted")),
                1225 => Some((
                    Severity::Error,
                    "a large object was sent in chunks and its last chunk never came",
                )),
                _ => None,
            };
            for item in &row.alert_items {
                notes.push(note(
                    Severity::Info,
                    FindingKind::Alert,
                    generic_alert_text(row.direction, item),
                    None,
                    row,
                ));
            }
            if let Some((severity, words)) = said {
                notes.push(note(
                    severity,
                    FindingKind::Alert,
                    format!(
                        "Alert {code} {name} from the {}: {words}",
                        who(row.direction)
                    ),
                    None,
                    row,
                ));
            }
        }
        if row.more_data {
            notes.push(note(
                Severity::Info,
                FindingKind::LargeObjectChunk,
                format!(
                    "{} carries a chunk of a large object (MoreData)",
                    describe(row)
                ),
                None,
                row,
            ));
        }
    }
}

/// A failing Status whose command the log does not hold (only one side is
/// in it: a client's log, an excerpt): the failure, told with what the
/// Status says of the command. A challenge is authentication's.
fn failure_answering_nothing(anomaly: &Anomaly) -> Option<Note> {
    let AnomalyKind::DanglingReference {
        answer,
        msg_ref,
        cmd_ref,
        status,
        cmd,
    } = &anomaly.what
    else {
        return None;
    };
    let code: u32 = status.as_deref()?.trim().parse().ok()?;
    if answer != "Status"
        || Outcome::of(Some(code)) != Outcome::Failed
        || status::is_challenge(code)
    {
        return None;
    }
    let name = status::name_of(code).unwrap_or("UNKNOWN");
    let answerer = who(anomaly.direction);
    let sender = who(match anomaly.direction {
        Direction::DeviceToServer => Direction::ServerToDevice,
        Direction::ServerToDevice => Direction::DeviceToServer,
    });
    let msg_ref = msg_ref.as_deref().unwrap_or("?");
    let (kind, message) = if cmd.as_deref() == Some("SyncHdr") {
        (
            FindingKind::FailedHeader,
            format!(
                "the {answerer} rejected the {sender}'s message {msg_ref} (not in this log): {code} {name}"
            ),
        )
    } else {
        (
            FindingKind::FailedCommand,
            format!(
                "the {answerer} answered {} (the {sender}'s message {msg_ref}, command {}, not in this log) with {code} {name}",
                cmd.as_deref().unwrap_or("a command"),
                cmd_ref.as_deref().unwrap_or("?")
            ),
        )
    };
    Some(Note {
        severity: Severity::Error,
        kind,
        message,
        hint: status::hint_for(code, cmd.as_deref(), false).map(str::to_owned),
        file: anomaly.file.clone(),
        line: anomaly.line,
        time: anomaly.time.clone(),
    })
}

fn anomalies(log: &SessionLog, notes: &mut Vec<Note>) {
    // Answers to a side the log holds no message of point at messages
    // missing from the log, not at nothing.
    let isolated = is_isolated(log);
    for anomaly in &log.anomalies {
        if isolated && matches!(anomaly.what, AnomalyKind::DanglingReference { .. }) {
            // But a failure it reports is one, whatever it answers.
            notes.extend(failure_answering_nothing(anomaly));
            continue;
        }
        let (kind, message, hint) = match &anomaly.what {
            AnomalyKind::DanglingReference {
                answer,
                msg_ref,
                cmd_ref,
                status,
                cmd: _,
            } => (
                FindingKind::DanglingReference,
                format!(
                    "a {answer} from the {} (status {}) points at MsgRef {} CmdRef {}, which no command has",
                    who(anomaly.direction),
                    status.as_deref().unwrap_or("-"),
                    msg_ref.as_deref().unwrap_or("(none)"),
                    cmd_ref.as_deref().unwrap_or("(none)"),
                ),
                "the command may be in a message missing from this log, or the sender numbers its references wrongly",
            ),
            AnomalyKind::DuplicateCmdId { cmd_id } => (
                FindingKind::DuplicateCmdId,
                format!(
                    "the {}'s message {} has two commands with CmdID {cmd_id}",
                    who(anomaly.direction),
                    anomaly.msg_id.as_deref().unwrap_or("?")
                ),
                "answers to either command are ambiguous; the sender's numbering is wrong",
            ),
            AnomalyKind::HeaderSwapped => (
                FindingKind::HeaderSwapped,
                format!(
                    "the device's message {} names the server as its Source and the device as its Target: the header looks swapped",
                    anomaly.msg_id.as_deref().unwrap_or("?")
                ),
                "it carries what only a device sends (Alert 1200/1201/1226, DevInfo, Results), so it is read as the device's; the sender fills its header wrongly, or the log was edited",
            ),
        };
        notes.push(Note {
            severity: Severity::Warning,
            kind,
            message,
            hint: Some(hint.to_owned()),
            file: anomaly.file.clone(),
            line: anomaly.line,
            time: anomaly.time.clone(),
        });
    }
}

fn device_info(log: &SessionLog) -> DeviceInfo {
    let get = |name: &str| {
        log.devinfo
            .iter()
            .find(|(node, _)| node.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    };
    DeviceInfo {
        dev_id: get("DevId"),
        manufacturer: get("Man"),
        model: get("Mod"),
        dm_version: get("DmV"),
        language: get("Lang"),
    }
}

/// Adds the device's Creds checked against the password given: kept in
/// `authentication.cred_checks`, and a finding for each that failed (errors
/// first, as the report orders them).
pub fn add_cred_checks(report: &mut SessionReport, checks: Vec<CredCheck>) {
    for check in &checks {
        let (severity, kind, message, hint) = match check.verdict {
            Verdict::WrongPassword => (
                Severity::Error,
                FindingKind::WrongPassword,
                format!(
                    "the {}'s password is not the one you gave ({} Cred at line {})",
                    who(check.direction),
                    check.kind,
                    check.line
                ),
                "the device's DM account holds another password: bootstrap it again, or check the password in the DME database",
            ),
            Verdict::StaleNonce => (
                Severity::Error,
                FindingKind::StaleNonce,
                format!(
                    "the {} answered with the nonce from {}; it did not keep the NextNonce sent after it (Cred at line {})",
                    who(check.direction),
                    check.nonce_time.as_deref().unwrap_or("an earlier session"),
                    check.line
                ),
                "the device keeps no new nonce (a client bug, or a reset): the 401 loop ends when server and device agree on one",
            ),
            Verdict::Matches | Verdict::NotChecked => continue,
        };
        report.findings.push(Note {
            severity,
            kind,
            message,
            hint: Some(hint.to_owned()),
            file: report.file.clone().unwrap_or_default(),
            line: check.line,
            time: None,
        });
    }
    report.findings.sort_by_key(|finding| finding.severity);
    report.authentication.cred_checks = checks;
}
