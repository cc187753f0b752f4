//! Threading: every command matched with its answer. A command (MsgID, CmdID)
//! gets the Status and Results whose (MsgRef, CmdRef) point at it, from the
//! other side of the same session; the header gets the Status with CmdRef 0.
//! Sessions are keyed by (SessionID, device), because many devices' sessions
//! interleave in one server log and SessionIDs repeat.

use std::collections::HashMap;

use serde::Serialize;

use super::finder::Found;
use crate::codes::status;
use crate::syncml::{Command, Message};

/// Who sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    DeviceToServer,
    ServerToDevice,
}

impl Direction {
    fn other(self) -> Self {
        match self {
            Self::DeviceToServer => Self::ServerToDevice,
            Self::ServerToDevice => Self::DeviceToServer,
        }
    }
}

/// One item of a Results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultItem {
    pub source: Option<String>,
    pub format: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub data: Option<String>,
}

/// One command (or message header) and what answered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub session: Option<String>,
    pub device: Option<String>,
    pub direction: Direction,
    pub msg_id: Option<String>,
    pub cmd_id: Option<String>,
    pub cmd: String,
    pub targets: Vec<String>,
    /// The answer's status (the first failing one when there were several).
    pub status: Option<u32>,
    pub status_name: Option<&'static str>,
    /// Every status received, in order (one per Item for multi-item commands).
    pub statuses: Vec<u32>,
    pub results: Vec<ResultItem>,
    pub file: String,
    pub line: u64,
    pub time: Option<String>,
}

/// Where a URI points: the server is a URL, the device anything else (`IMEI:…`).
fn is_url(uri: &str) -> bool {
    let lower = uri.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The direction of a message: from its LocURIs, then the log text, then its
/// content (package 1 carries Alert 1200/1201).
pub fn direction_of(message: &Message, log_text: Option<&str>) -> Direction {
    let header = &message.header;
    if header.target.as_deref().is_some_and(is_url) && !header.source.as_deref().is_some_and(is_url)
    {
        return Direction::DeviceToServer;
    }
    if header.source.as_deref().is_some_and(is_url) && !header.target.as_deref().is_some_and(is_url)
    {
        return Direction::ServerToDevice;
    }
    if let Some(text) = log_text.map(str::to_ascii_lowercase) {
        if text.contains("received") || text.contains("from device") || text.contains("request") {
            return Direction::DeviceToServer;
        }
        if text.contains("send") || text.contains("to device") || text.contains("response") {
            return Direction::ServerToDevice;
        }
    }
    let client_alert = message
        .commands
        .iter()
        .any(|c| c.name == "Alert" && matches!(c.data.as_deref(), Some("1200" | "1201")));
    if client_alert {
        Direction::DeviceToServer
    } else {
        Direction::ServerToDevice
    }
}

/// A session's state: its rows and where each command's row is.
#[derive(Default)]
struct Session {
    rows: Vec<Row>,
    /// (direction, MsgID, CmdID) → row index; `None` for answers (Results) that
    /// are not rows of their own but may be answered themselves.
    index: HashMap<(Direction, String, String), Option<usize>>,
    /// The latest MsgID each side sent, for a Status without MsgRef.
    last_msg: HashMap<Direction, String>,
}

/// Threads messages into rows, session by session.
#[derive(Default)]
pub struct Threader {
    sessions: Vec<Session>,
    keys: HashMap<(Option<String>, Option<String>), usize>,
}

impl Threader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one message.
    pub fn add(&mut self, found: &Found) {
        let message = &found.message;
        let record_text = found.record.as_ref().map(|r| r.text.as_str());
        let direction = direction_of(message, record_text);
        let (device, server) = match direction {
            Direction::DeviceToServer => (&message.header.source, &message.header.target),
            Direction::ServerToDevice => (&message.header.target, &message.header.source),
        };
        let key = (message.header.session_id.clone(), device.clone());
        let next = self.sessions.len();
        let index = *self.keys.entry(key).or_insert(next);
        if index == next {
            self.sessions.push(Session::default());
        }
        let session = &mut self.sessions[index];
        let msg_id = message.header.msg_id.clone().unwrap_or_default();
        let row = |cmd: &str, cmd_id: Option<String>, targets: Vec<String>| Row {
            session: message.header.session_id.clone(),
            device: device.clone(),
            direction,
            msg_id: message.header.msg_id.clone(),
            cmd_id,
            cmd: cmd.to_owned(),
            targets,
            status: None,
            status_name: None,
            statuses: Vec::new(),
            results: Vec::new(),
            file: found.file.clone(),
            line: found.line,
            time: found.record.as_ref().map(|r| r.time.clone()),
        };
        session.rows.push(row(
            "SyncHdr",
            Some("0".into()),
            server.iter().cloned().collect(),
        ));
        let header_row = session.rows.len() - 1;
        session
            .index
            .insert((direction, msg_id.clone(), "0".into()), Some(header_row));
        for command in message.all_commands() {
            match command.name.as_str() {
                "Status" => session.answer_status(direction, command),
                "Results" => {
                    session.answer_results(direction, command);
                    if let Some(cmd_id) = &command.cmd_id {
                        session
                            .index
                            .insert((direction, msg_id.clone(), cmd_id.clone()), None);
                    }
                }
                _ => {
                    // A device's own commands (Replace of ./DevInfo) name a Source.
                    let targets = command
                        .items
                        .iter()
                        .filter_map(|item| item.target.clone().or_else(|| item.source.clone()))
                        .collect();
                    session
                        .rows
                        .push(row(&command.name, command.cmd_id.clone(), targets));
                    if let Some(cmd_id) = &command.cmd_id {
                        let at = session.rows.len() - 1;
                        session
                            .index
                            .insert((direction, msg_id.clone(), cmd_id.clone()), Some(at));
                    }
                }
            }
        }
        session.last_msg.insert(direction, msg_id);
    }

    /// Every row, session by session in the order sessions began.
    pub fn into_rows(self) -> impl Iterator<Item = Row> {
        self.sessions.into_iter().flat_map(|session| session.rows)
    }
}

impl Session {
    /// The row a Status or Results sent in `direction` refers to.
    fn referred(&self, direction: Direction, command: &Command) -> Option<usize> {
        let other = direction.other();
        let msg_ref = command
            .msg_ref
            .clone()
            .or_else(|| self.last_msg.get(&other).cloned())?;
        let cmd_ref = command.cmd_ref.clone()?;
        *self.index.get(&(other, msg_ref, cmd_ref))?
    }

    fn answer_status(&mut self, direction: Direction, command: &Command) {
        let Some(at) = self.referred(direction, command) else {
            return;
        };
        let Some(code) = command
            .data
            .as_deref()
            .and_then(|d| d.trim().parse::<u32>().ok())
        else {
            return;
        };
        let row = &mut self.rows[at];
        row.statuses.push(code);
        let replace = match row.status {
            None => true,
            Some(current) => current < 300 && code >= 300,
        };
        if replace {
            row.status = Some(code);
            row.status_name = status::name_of(code);
        }
    }

    fn answer_results(&mut self, direction: Direction, command: &Command) {
        let Some(at) = self.referred(direction, command) else {
            return;
        };
        let row = &mut self.rows[at];
        for item in &command.items {
            row.results.push(ResultItem {
                source: item.source.clone(),
                format: item
                    .meta
                    .format
                    .clone()
                    .or_else(|| command.meta.format.clone()),
                kind: item.meta.kind.clone().or_else(|| command.meta.kind.clone()),
                data: item.data.clone(),
            });
        }
    }
}
