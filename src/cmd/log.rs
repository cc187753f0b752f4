//! `dmtool log thread`: the messages of the given logs, threaded, one row per
//! command. Broken messages and unreadable files are reported on stderr with
//! file and line; the others are still read.

use anyhow::Result;

use crate::cli::{LogArgs, LogCommand};
use crate::codes::Outcome;
use crate::error::hinted;
use crate::output::{Layout, Output, Record, Tone};
use crate::transcript::finder::{Broken, Event, Finder};
use crate::transcript::input;
use crate::transcript::thread::{Row, SessionLog, Threader};

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
        matches!(column, "status" | "status_name").then(|| super::status::status_tone(self.status))
    }
}

pub fn run(command: &LogCommand, output: &mut Output) -> Result<()> {
    match command {
        LogCommand::Thread(args) => thread(args, output),
    }
}

fn thread(args: &LogArgs, output: &mut Output) -> Result<()> {
    let mut writer = output.records::<Row>(Layout::Rows);
    let outcome = read_sessions(&args.files, &mut |session| {
        for row in session.rows.iter().filter(|row| keep(args, row)) {
            writer.write(row)?;
        }
        Ok(())
    })?;
    writer.finish()?;
    outcome.into_result()
}

/// What reading the inputs came to, besides the sessions.
#[derive(Debug, Default)]
pub struct Reading {
    pub messages: usize,
    pub broken: Vec<Broken>,
    pub unreadable: Vec<String>,
}

impl Reading {
    /// An error when a file could not be read to its end.
    fn into_result(self) -> Result<()> {
        if self.unreadable.is_empty() {
            Ok(())
        } else {
            Err(hinted(
                format!("could not read all of: {}", self.unreadable.join(", ")),
                "what could be read was threaded and printed",
            ))
        }
    }
}

/// Reads every input in order, threads its messages and hands each session to
/// `each` as it ends. Broken messages and unreadable inputs are reported on
/// stderr as they are met, and counted.
pub fn read_sessions(
    files: &[String],
    each: &mut dyn FnMut(SessionLog) -> Result<()>,
) -> Result<Reading> {
    let mut reading = Reading::default();
    let mut threader = Threader::new();
    for path in files {
        let input = match input::open(path) {
            Ok(input) => input,
            Err(error) => {
                crate::diag::note(&format!("{error:#}"));
                reading.unreadable.push(path.clone());
                continue;
            }
        };
        for event in Finder::new(input.reader, &input.name) {
            match event {
                Event::Message(found) => {
                    reading.messages += 1;
                    for session in threader.add(&found) {
                        each(session)?;
                    }
                }
                Event::Broken(broken) => {
                    crate::diag::note(&format!(
                        "{}:{}: broken SyncML message: {}",
                        broken.file, broken.line, broken.reason
                    ));
                    reading.broken.push(broken);
                }
                Event::Unreadable(broken) => {
                    crate::diag::note(&format!(
                        "{}:{}: {}",
                        broken.file, broken.line, broken.reason
                    ));
                    reading.unreadable.push(broken.file);
                }
            }
        }
    }
    for session in threader.finish() {
        each(session)?;
    }
    Ok(reading)
}

fn keep(args: &LogArgs, row: &Row) -> bool {
    args.session
        .as_deref()
        .is_none_or(|session| row.session.as_deref() == Some(session))
        && args
            .device
            .as_deref()
            .is_none_or(|device| row.device.as_deref().is_some_and(|d| d.contains(device)))
        && (!args.errors || !matches!(Outcome::of(row.status), Outcome::Ok))
}
