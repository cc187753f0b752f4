//! `dmtool log thread`: the messages of the given logs, threaded, one row per
//! command. Broken messages and unreadable files are reported on stderr with
//! file and line; the others are still read.

use anyhow::Result;

use crate::cli::{LogArgs, LogCommand};
use crate::codes::Outcome;
use crate::error::hinted;
use crate::output::{Layout, Output, Record, Tone};
use crate::transcript::finder::{Event, Finder};
use crate::transcript::input;
use crate::transcript::thread::{Row, Threader};

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
    let mut threader = Threader::new();
    let mut unreadable = Vec::new();
    for path in &args.files {
        let input = match input::open(path) {
            Ok(input) => input,
            Err(error) => {
                crate::diag::note(&format!("{error:#}"));
                unreadable.push(path.clone());
                continue;
            }
        };
        for event in Finder::new(input.reader, &input.name) {
            match event {
                Event::Message(found) => threader.add(&found),
                Event::Broken(broken) => crate::diag::note(&format!(
                    "{}:{}: broken SyncML message: {}",
                    broken.file, broken.line, broken.reason
                )),
                Event::Unreadable(broken) => {
                    crate::diag::note(&format!(
                        "{}:{}: {}",
                        broken.file, broken.line, broken.reason
                    ));
                    unreadable.push(broken.file);
                }
            }
        }
    }
    let rows = threader.into_rows().filter(|row| keep(args, row));
    let mut writer = output.records::<Row>(Layout::Rows);
    for row in rows {
        writer.write(&row)?;
    }
    writer.finish()?;
    if unreadable.is_empty() {
        Ok(())
    } else {
        Err(hinted(
            format!("could not read all of: {}", unreadable.join(", ")),
            "the messages of the other files were threaded and printed",
        ))
    }
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
