//! `dmtool device`: one screen about one phone, the report of
//! `device_report` as a table for people, json or jsonl (one device per line).

use anyhow::Result;
use serde_json::Value;

use crate::cli::DeviceArgs;
use crate::config::Config;
use crate::db::model::DeviceRow;
use crate::device_report::{JobSummary, Problem, Report, build};
use crate::explore::{self, Evidence};
use crate::output::{Format, Layout, Output, Record, Style, Tone};

pub(crate) fn run(args: &DeviceArgs, config: &Config, output: &mut Output) -> Result<()> {
    super::check_format(
        output,
        "dmtool device",
        super::Prints::Report,
        "use --format table, json or jsonl; `dmtool jobs --phone …` gives rows for csv/tsv",
    )?;
    let mut store = super::db::open(config, &args.db)?;
    let report = build(&mut store, args.phone.clone(), args.device_pk)?;
    match output.format() {
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
    }
    Ok(())
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
