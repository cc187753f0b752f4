//! `dmtool device`: one screen about one phone, the report of
//! `device_report` as a table for people, json or jsonl (one device per line).

use anyhow::{Context, Result};
use serde_json::Value;

use crate::cli::DeviceArgs;
use crate::config::Config;
use crate::db::model::DeviceRow;
use crate::device_log::{
    self, Agreement, DeviceLog, DeviceSession, Event, Identity, LogFacts, Operation, Step,
};
use crate::device_report::{JobSummary, Problem, Report, build};
use crate::explore::{self, Evidence};
use crate::html;
use crate::output::{Format, Layout, Output, Record, Style, Tone};
use crate::transcript::explain::{Ending, explain};
use crate::transcript::ladder::Ladder;
use crate::transcript::mentions;
use crate::transcript::source::{Seen, Sessions};

use super::log::read::{Reading, check_inputs, in_log_order, once_each};

/// Reads the log once for the sessions (keeping each device's), once more
/// for the server's records naming the devices, and joins them to the jobs.
fn add_log(report: &mut Report, args: &DeviceArgs, config: &Config) -> Result<()> {
    let files = in_log_order(&check_inputs(&args.log)?);
    let identities: Vec<Identity> = report
        .devices
        .iter()
        .map(|device| Identity::of(&device.device))
        .collect();
    // The server's records naming the devices, read beside the sessions (the
    // reading of messages leaves most of a core idle).
    let names: Vec<String> = identities.iter().flat_map(Identity::names).collect();
    let scanning = {
        let files = files.clone();
        std::thread::spawn(move || mentions::find(&files, &names))
    };
    let mut found: Vec<Vec<DeviceSession>> = identities.iter().map(|_| Vec::new()).collect();
    let mut facts = LogFacts::default();
    let mut reading = Reading::new(config, false);
    let mut sessions = Sessions::open(&files, args.sessions.limits());
    while let Some(seen) = sessions.next() {
        match seen {
            Seen::Session(session) => {
                let log = &session.log;
                for message in &log.messages {
                    facts.span.take(message.time.as_deref());
                }
                for (identity, mine) in identities.iter().zip(&mut found) {
                    if identity.owns(log) {
                        let mut report = explain(log);
                        report.notification.clone_from(&session.notification);
                        let ladder = (config.format == Format::Html)
                            .then(|| Ladder::of(log, report.ending == Ending::LostConnection));
                        mine.push(DeviceSession {
                            report,
                            carried: device_log::carried_in(log, 0),
                            ladder,
                        });
                    }
                }
            }
            Seen::Unanswered(package) => {
                facts.span.take(package.time.as_deref());
                facts.unanswered.push(package.clone());
            }
            Seen::Bootstrap(found) => {
                facts.span.take(found.time.as_deref());
                facts.bootstraps.push(found.clone());
            }
            other => reading.note(&other),
        }
    }
    reading.finish();
    reading.count_messages(sessions.messages() as u64);
    if args.log.iter().any(|file| file == "-") {
        crate::diag::note(
            "stdin is read once: the server's records naming the phone are looked for in the files only",
        );
    }
    let scan = scanning
        .join()
        .map_err(|_| anyhow::anyhow!("reading the server's records failed"))?;
    facts.span.take(scan.first_time.as_deref());
    facts.span.take(scan.last_time.as_deref());
    facts.mentions = scan.mentions.into();
    for ((device, identity), sessions) in report.devices.iter_mut().zip(&identities).zip(found) {
        device.log = Some(device_log::join(
            identity,
            &device.operations,
            device.platform.name,
            sessions,
            &facts,
        ));
    }
    reading.into_result()
}

pub(crate) fn run(args: &DeviceArgs, config: &Config, output: &mut Output) -> Result<()> {
    let mut store = super::db::open(config, &args.db)?;
    let mut report = build(
        &mut store,
        args.phone.clone(),
        args.device_pk,
        args.imei.clone(),
    )?;
    drop(store);
    if !args.log.is_empty() {
        add_log(&mut report, args, config)?;
    }
    match output.format() {
        Format::Html => write_page(output, &report, &args.log),
        Format::Json => output.document(&report),
        Format::Jsonl => report
            .devices
            .iter()
            .try_for_each(|device| output.document(device)),
        _ => write_table(output, &report),
    }
}

impl Record for Evidence {
    fn values(&self) -> Result<Vec<Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &[
            "target",
            "command",
            "status",
            "status_name",
            "platform",
            "verdict",
        ]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        matches!(column, "status" | "status_name" | "verdict").then(|| match self.verdict {
            explore::PRESENT => Tone::Good,
            explore::ABSENT => Tone::Info,
            "error" => Tone::Bad,
            _ => Tone::Pending,
        })
    }
}

impl Record for JobSummary {
    fn values(&self) -> Result<Vec<Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &[
            "job_created",
            "job_id",
            "job_status",
            "kind",
            "operations",
            "ok",
            "failed",
            "in_progress",
            "unanswered",
        ]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        match column {
            "failed" if self.failed > 0 => Some(Tone::Bad),
            "in_progress" | "unanswered" if self.in_progress + self.unanswered > 0 => {
                Some(Tone::Pending)
            }
            "ok" if self.ok > 0 => Some(Tone::Good),
            _ => None,
        }
    }
}

impl Record for Problem {
    fn values(&self) -> Result<Vec<Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &[
            "job_created",
            "job_id",
            "task_id",
            "command",
            "target",
            "status",
            "status_name",
            "hint",
        ]
    }

    fn optional_columns() -> &'static [&'static str] {
        &["status_name", "job_created", "task_id"]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        matches!(column, "status" | "status_name").then(|| Tone::of_status(self.status))
    }
}

fn write_table(output: &mut Output, report: &Report) -> Result<()> {
    for (index, device) in report.devices.iter().enumerate() {
        if index > 0 {
            output.line("", Style::Plain)?;
        }
        output.line(&device_title(&device.device), Style::Heading)?;
        let platform = &device.platform;
        let found = match (&platform.job_id, &platform.job_created) {
            (Some(id), Some(created)) => format!(" (explore job {id} of {created})"),
            (Some(id), None) => format!(" (explore job {id})"),
            _ => String::new(),
        };
        let line = format!("Platform: {} — {}{found}", platform.name, platform.reason);
        output.line(&line, Style::Plain)?;
        if !platform.evidence.is_empty() {
            output.write_all(Layout::Rows, &platform.evidence)?;
        }
        output.line("Jobs, newest first", Style::Heading)?;
        output.write_all(Layout::Rows, &device.jobs)?;
        if device.problems.is_empty() {
            output.line("Problems: none", Style::Heading)?;
        } else {
            output.line_fmt(
                format_args!(
                    "Problems: {} failed or unanswered operations",
                    device.problems.len()
                ),
                Style::Heading,
            )?;
            output.write_all(Layout::Rows, &device.problems)?;
        }
        match &device.log {
            Some(log) => write_log(output, log)?,
            None => {
                let identity = Identity::of(&device.device);
                let look = match identity.loc_uri() {
                    Some(uri) => format!(
                        "In a log: dmtool device … --log FILE… (or dmtool log explain FILE… --device {uri})"
                    ),
                    None => "In a log: dmtool device … --log FILE…".to_owned(),
                };
                output.line(&look, Style::Tone(Tone::Info))?;
            }
        }
    }
    Ok(())
}

/// `--format html`: the report as a page, the device's sessions drawn (their
/// messages' XML read again from the files).
fn write_page(output: &mut Output, report: &Report, logs: &[String]) -> Result<()> {
    let devices: Vec<(&crate::device_report::DeviceReport, Vec<html::Detail>)> = report
        .devices
        .iter()
        .map(|device| {
            let details = device
                .log
                .iter()
                .flat_map(|log| log.sessions.iter().zip(&log.ladders))
                .filter_map(|(session, ladder)| {
                    Some(html::Detail {
                        report: session.clone(),
                        ladder: ladder.clone()?,
                    })
                })
                .collect();
            (device, details)
        })
        .collect();
    let wanted = devices
        .iter()
        .flat_map(|(_, details)| details)
        .flat_map(|detail| &detail.ladder.arrows)
        .map(|arrow| (arrow.file.clone(), arrow.line))
        .collect();
    let texts = html::fetch_texts(&in_log_order_quiet(logs), &wanted);
    let title = match (&report.phone, report.device_pk, &report.imei) {
        (Some(phone), _, _) => format!("dmtool device {phone}"),
        (None, Some(pk), _) => format!("dmtool device --device-pk {pk}"),
        (None, None, Some(imei)) => format!("dmtool device --imei {imei}"),
        _ => "dmtool device".to_owned(),
    };
    let page = html::device_page(&title, &devices, &texts);
    output
        .text()
        .write_all(page.as_bytes())
        .context("cannot write to stdout")
}

/// The inputs, each once, in log order, without saying so again.
fn in_log_order_quiet(files: &[String]) -> Vec<String> {
    crate::transcript::order::inputs(&once_each(files).0).files
}

/// The log's side: the verdict, the chain, the operations beside the
/// commands that carried them, and the device's sessions.
fn write_log(output: &mut Output, log: &DeviceLog) -> Result<()> {
    let span = match (&log.span.first, &log.span.last) {
        (Some(first), Some(last)) => format!("{first} – {last}"),
        _ => "no timestamps".to_owned(),
    };
    output.line_fmt(
        format_args!(
            "Log ({span}): {} session(s) of this device",
            log.sessions.len()
        ),
        Style::Heading,
    )?;
    let tone = if log.verdict.broke_at.is_some() {
        Tone::Bad
    } else {
        Tone::Good
    };
    let verdict = match log.verdict.broke_at {
        Some(step) => format!("Verdict: broke at {step}: {}", log.verdict.message),
        None => format!("Verdict: nothing broke: {}", log.verdict.message),
    };
    output.line(&verdict, Style::Tone(tone))?;
    if let Some(hint) = &log.verdict.hint {
        output.line(&format!("  hint: {hint}"), Style::Plain)?;
    }
    if let Some(found) = &log.bootstrap {
        output.line_fmt(
            format_args!(
                "Latest bootstrap sent: {}:{}{}",
                found.file,
                found.line,
                found
                    .time
                    .as_deref()
                    .map_or(String::new(), |time| format!(" ({time})"))
            ),
            Style::Plain,
        )?;
    }
    output.line("Chain", Style::Heading)?;
    output.write_all(Layout::Rows, &log.chain)?;
    if !log.operations.is_empty() {
        output.line("Operations: the database beside the log", Style::Heading)?;
        output.write_all(Layout::Rows, &log.operations)?;
    }
    for session in &log.sessions {
        let carried = log
            .operations
            .iter()
            .any(|op| op.session.is_some() && op.session == session.session);
        output.line_fmt(
            format_args!(
                "Session {} · {} – {} · {} messages · {} finding(s){} ({}:{})",
                session.session.as_deref().unwrap_or("(no SessionID)"),
                session.first_time.as_deref().unwrap_or("?"),
                session.last_time.as_deref().unwrap_or("?"),
                session.messages,
                session.findings.len(),
                if carried { "" } else { " · no job operation" },
                session.file.as_deref().unwrap_or("?"),
                session.line.unwrap_or(0)
            ),
            Style::Plain,
        )?;
    }
    Ok(())
}

impl Record for Step {
    fn values(&self) -> Result<Vec<Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &["time", "event", "detail"]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        (column == "event").then_some(match self.event {
            Event::SessionLost | Event::AuthenticationFailed => Tone::Bad,
            _ => Tone::Info,
        })
    }
}

impl Record for Operation {
    fn values(&self) -> Result<Vec<Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &[
            "job_id",
            "task_id",
            "command",
            "target",
            "db_status",
            "log_status",
            "session",
            "file",
            "line",
            "agreement",
            "log_covers_job",
        ]
    }

    fn summary_columns() -> &'static [&'static str] {
        &[
            "job_id",
            "task_id",
            "command",
            "target",
            "db_status",
            "log_status",
            "session",
            "line",
            "agreement",
        ]
    }

    fn optional_columns() -> &'static [&'static str] {
        &["task_id", "line", "session"]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        match column {
            "db_status" => Some(Tone::of_status(self.db_status)),
            "log_status" => Some(Tone::of_status(self.log_status)),
            "agreement" => Some(match self.agreement {
                Agreement::Agree => Tone::Good,
                Agreement::Differ => Tone::Bad,
                Agreement::LogOnly | Agreement::DatabaseOnly => Tone::Pending,
                Agreement::NotInLog => Tone::Info,
            }),
            _ => None,
        }
    }
}

/// "Device 30 · phoneNumber 30116718 · imei … · model …".
fn device_title(device: &DeviceRow) -> String {
    let mut parts = vec![format!(
        "Device {}",
        device
            .device_pk()
            .map_or_else(|| "?".to_owned(), |pk| pk.to_string())
    )];
    for (column, value) in &device.0 {
        if column == "device_pk" || value.is_null() {
            continue;
        }
        let text = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        parts.push(format!("{column} {text}"));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(value: &impl serde::Serialize) -> Vec<String> {
        let value = serde_json::to_value(value).expect("serialize");
        value.as_object().expect("object").keys().cloned().collect()
    }

    #[test]
    fn columns_match_the_serialized_keys() {
        let step = Step {
            time: None,
            event: Event::JobCreated,
            detail: String::new(),
        };
        assert_eq!(keys_of(&step), Step::columns());
        let operation = Operation {
            job_id: None,
            task_id: crate::db::SqlValue::Null,
            command: None,
            target: None,
            db_status: None,
            log_status: None,
            session: None,
            file: None,
            line: None,
            agreement: Agreement::NotInLog,
            log_covers_job: true,
        };
        assert_eq!(keys_of(&operation), Operation::columns());
    }
}
