//! A session as a ladder: one arrow per message, in the order the log has
//! them, each with the commands it carried and the answer each got, the
//! challenge on its header, and where the session was lost. What a diagram
//! needs of a [`SessionLog`], kept small; nothing of how it is drawn.

use smol_str::SmolStr;

use super::thread::{Direction, SessionLog};

/// The arrows of one session.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ladder {
    pub arrows: Vec<Arrow>,
    /// The device never answered the last arrow (a lost connection).
    pub lost: bool,
}

/// One message.
#[derive(Debug, Clone)]
pub(crate) struct Arrow {
    pub direction: Direction,
    pub msg_id: Option<SmolStr>,
    pub file: SmolStr,
    pub line: u64,
    pub time: Option<SmolStr>,
    /// The status the other side gave its header: 401 or 407 is a challenge.
    pub header_status: Option<u32>,
    /// The header carried credentials (a Cred, or an HMAC header).
    pub credentials: bool,
    pub commands: Vec<Carried>,
    pub is_final: bool,
}

/// A command a message carried, and its answer.
#[derive(Debug, Clone)]
pub(crate) struct Carried {
    pub cmd: SmolStr,
    /// The first target (and how many more).
    pub target: Option<SmolStr>,
    pub more_targets: usize,
    pub alert: Option<u32>,
    pub status: Option<u32>,
    /// The command asked for no answer (`NoResp`).
    pub no_resp: bool,
}

/// The most commands kept per arrow (a message may carry hundreds).
const COMMANDS_PER_ARROW: usize = 50;

impl Ladder {
    /// The ladder of a session; `lost` when it ended with the connection lost.
    pub(crate) fn of(log: &SessionLog, lost: bool) -> Self {
        let mut arrows: Vec<Arrow> = log
            .messages
            .iter()
            .map(|message| {
                let header = log.rows.get(message.header_row);
                Arrow {
                    direction: message.direction,
                    msg_id: message.msg_id.clone(),
                    file: message.file.clone(),
                    line: message.line,
                    time: message.time.clone(),
                    header_status: header.and_then(|row| row.status),
                    credentials: message.cred.is_some() || message.hmac.is_some(),
                    commands: Vec::new(),
                    is_final: message.is_final,
                }
            })
            .collect();
        // Rows come message by message: the arrow of a row is at or after
        // the last one found.
        let mut at = 0;
        for row in &log.rows {
            if row.cmd == "SyncHdr" {
                continue;
            }
            let of_row = |arrow: &Arrow| {
                arrow.line == row.line && arrow.file == row.file && arrow.direction == row.direction
            };
            let Some(found) = arrows[at..]
                .iter()
                .position(of_row)
                .map(|offset| at + offset)
                .or_else(|| arrows.iter().position(of_row))
            else {
                continue;
            };
            at = found;
            let arrow = &mut arrows[found];
            if arrow.commands.len() == COMMANDS_PER_ARROW {
                continue;
            }
            arrow.commands.push(Carried {
                cmd: row.cmd.clone(),
                target: row.targets.first().cloned(),
                more_targets: row.targets.len().saturating_sub(1),
                alert: row.alert,
                status: row.status,
                no_resp: row.no_resp,
            });
        }
        Self { arrows, lost }
    }
}
