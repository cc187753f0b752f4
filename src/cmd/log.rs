//! `dmtool log thread`: the messages of the given logs, threaded, one row per
//! command. Broken messages and unreadable files are reported on stderr with
//! file and line; the others are still read.

use anyhow::Result;

use crate::cli::{LogCommand, LogInputs, ThreadArgs};
use crate::codes::Outcome;
use crate::config::Config;
use crate::diag::Progress;
use crate::error::hinted;
use crate::output::{Layout, Output, Record, Tone};
use crate::transcript::binary::Notified;
use crate::transcript::finder::{Broken, Found};
use crate::transcript::pipeline::{self, Item};
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

pub fn run(command: &LogCommand, config: &Config, output: &mut Output) -> Result<()> {
    let inputs = match command {
        LogCommand::Pretty(args) => &args.inputs,
        LogCommand::Thread(args) => &args.inputs,
        LogCommand::Explain(args) => &args.inputs,
    };
    // Stdin may be a live log: what is found goes out as it is found.
    if pipeline::reads_stdin(&inputs.files) {
        output.line_by_line();
    }
    match command {
        LogCommand::Pretty(args) => super::pretty::run(args, config, output),
        LogCommand::Thread(args) => thread(args, config, output),
        LogCommand::Explain(args) => super::explain::run(args, config, output),
    }
}

fn thread(args: &ThreadArgs, config: &Config, output: &mut Output) -> Result<()> {
    let inputs = &args.inputs;
    let mut writer = output.records::<Row>(Layout::Rows);
    let outcome = read_sessions(&inputs.files, config, false, &mut |_| {}, &mut |session| {
        if !wanted_session(inputs, session) {
            return Ok(());
        }
        for row in session
            .rows
            .iter()
            .filter(|row| !inputs.errors || failed(row))
        {
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
    pub fn into_result(self) -> Result<()> {
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
/// `each` as it ends. Broken messages are counted and, unless `quiet_broken`
/// (the caller reports them), noted on stderr as they are met.
pub fn read_sessions(
    files: &[String],
    config: &Config,
    quiet_broken: bool,
    notified: &mut dyn FnMut(&Notified),
    each: &mut dyn FnMut(&SessionLog) -> Result<()>,
) -> Result<Reading> {
    let mut threader = Threader::new();
    let reading = each_message(files, config, quiet_broken, false, &mut |seen| {
        match seen {
            Seen::Message(found) => {
                for session in threader.add(found) {
                    each(&session)?;
                    // Its lists serve a session to come.
                    threader.recycle(session);
                }
            }
            Seen::Notification(notification) => notified(notification),
        }
        Ok(())
    })?;
    for session in threader.finish() {
        each(&session)?;
    }
    Ok(reading)
}

/// What the inputs hold, in order: messages, and packages 0 written in logs.
pub enum Seen<'a> {
    Message(&'a Found),
    Notification(&'a Notified),
}

/// Reads every input in order and hands each message to `each`. Broken
/// messages are counted and noted on stderr unless `quiet_broken`; inputs that
/// cannot be read are noted and listed; a progress line shows on a terminal.
/// The inputs are read and parsed on other threads (`pipeline`); each
/// message keeps its XML when `keep_texts`.
pub fn each_message(
    files: &[String],
    config: &Config,
    quiet_broken: bool,
    keep_texts: bool,
    each: &mut dyn FnMut(Seen<'_>) -> Result<()>,
) -> Result<Reading> {
    let mut reading = Reading::default();
    let mut progress = Progress::new(config.progress);
    pipeline::read::<anyhow::Error>(files, keep_texts, &mut |item, position| {
        if let Some(position) = position {
            progress.update(&position.name, position.read(), position.size);
        }
        match item {
            Item::Opened { .. } => {}
            Item::Unopenable { path, error } => {
                progress.finish();
                crate::diag::note(error);
                reading.unreadable.push(path.clone());
            }
            Item::Message(found) => {
                reading.messages += 1;
                each(Seen::Message(found))?;
            }
            Item::Notification(notified) => each(Seen::Notification(notified))?,
            Item::Broken(broken) => {
                if !quiet_broken {
                    progress.finish();
                    crate::diag::note(&format!(
                        "{}:{}: broken SyncML message: {}",
                        broken.file, broken.line, broken.reason
                    ));
                }
                reading.broken.push(broken.clone());
            }
            Item::Unreadable(broken) => {
                progress.finish();
                crate::diag::note(&format!(
                    "{}:{}: {}",
                    broken.file, broken.line, broken.reason
                ));
                reading.unreadable.push(broken.file.to_string());
            }
        }
        Ok(())
    })?;
    progress.finish();
    Ok(reading)
}

/// The session passes `--session` and `--device`.
pub fn wanted_session(inputs: &LogInputs, session: &SessionLog) -> bool {
    selects(
        inputs,
        session.session.as_deref(),
        session.device.as_deref(),
    )
}

/// `--session` (as written) and `--device` (a substring) pass this session ID
/// and device.
pub fn selects(inputs: &LogInputs, session: Option<&str>, device: Option<&str>) -> bool {
    inputs
        .session
        .as_deref()
        .is_none_or(|id| session == Some(id))
        && inputs
            .device
            .as_deref()
            .is_none_or(|wanted| device.is_some_and(|d| d.contains(wanted)))
}

/// Failed or unanswered.
fn failed(row: &Row) -> bool {
    !matches!(Outcome::of(row.status), Outcome::Ok)
}
