//! `dmtool log thread`: the messages of the given logs, threaded, one row per
//! command. Broken messages and unreadable files are reported on stderr with
//! file and line; the others are still read.

use anyhow::Result;

use super::read::{Reading, wanted_session};
use crate::cli::ThreadArgs;
use crate::codes::Outcome;
use crate::config::Config;
use crate::output::{Layout, Output, Record, Tone};
use crate::transcript::source::{Seen, Sessions};
use crate::transcript::thread::Row;

impl Record for Row {
    fn columns() -> &'static [&'static str] {
        &[
            "session",
            "device",
            "direction",
            "msg_id",
            "cmd_id",
            "cmd",
            "targets",
            "status",
            "status_name",
            "statuses",
            "results",
            "file",
            "line",
            "time",
        ]
    }

    fn summary_columns() -> &'static [&'static str] {
        &[
            "session",
            "device",
            "time",
            "direction",
            "msg_id",
            "cmd_id",
            "cmd",
            "targets",
            "status",
            "status_name",
            "results",
        ]
    }

    fn max_chars(column: &str) -> Option<usize> {
        matches!(column, "results" | "targets").then_some(60)
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        matches!(column, "status" | "status_name").then(|| Tone::of_status(self.status))
    }
}

pub(super) fn run(args: &ThreadArgs, config: &Config, output: &mut Output) -> Result<()> {
    let inputs = &args.inputs;
    let mut writer = output.records::<Row>(Layout::Rows);
    let mut reading = Reading::new(config, false);
    let mut sessions = Sessions::open(&inputs.files, args.sessions.limits());
    while let Some(seen) = sessions.next() {
        let Seen::Session(session) = seen else {
            reading.note(&seen);
            continue;
        };
        if !wanted_session(inputs, &session.log) {
            continue;
        }
        for row in session
            .log
            .rows
            .iter()
            .filter(|row| !inputs.errors || failed(row))
        {
            writer.write(row)?;
        }
    }
    reading.finish();
    writer.finish()?;
    reading.into_result()
}

/// Failed or unanswered.
fn failed(row: &Row) -> bool {
    !matches!(Outcome::of(row.status), Outcome::Ok)
}
