//! `dmtool jobs`: the guide's query with its filters, streamed to the output.

use anyhow::{Context, Result};
use serde_json::Value;

use crate::cli::JobsArgs;
use crate::codes::status;
use crate::config::Config;
use crate::db::filter::{Until, parse_timestamp, parse_until};
use crate::db::model::{HIDDEN, JobRow, is_secret_node};
use crate::db::{JobFilter, StatusFilter};
use crate::error::UsageError;
use crate::output::{Format, Layout, Output, Record, Tone};

impl Record for JobRow {
    fn columns() -> &'static [&'static str] {
        &[
            "job_created",
            "job_id",
            "job_status",
            "task_id",
            "task_state",
            "operation_command",
            "operation_status",
            "operation_status_name",
            "target",
            "format",
            "type",
            "data",
            "device_pk",
        ]
    }

    fn optional_columns() -> &'static [&'static str] {
        &[
            "type",
            "format",
            "device_pk",
            "task_state",
            "job_status",
            "operation_status_name",
            "task_id",
            "job_created",
        ]
    }

    fn max_chars(column: &str) -> Option<usize> {
        (column == "data").then_some(40)
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        matches!(column, "operation_status" | "operation_status_name")
            .then(|| Tone::of_status(self.status_code()))
    }

    /// By hand: `dmtool jobs` writes millions of these.
    fn values(&self) -> Result<Vec<Value>> {
        let text = |field: &Option<String>| field.as_deref().map_or(Value::Null, Value::from);
        Ok(vec![
            text(&self.job_created),
            text(&self.job_id),
            text(&self.job_status),
            Value::from(&self.task_id),
            text(&self.task_state),
            text(&self.operation_command),
            Value::from(&self.operation_status),
            self.operation_status_name.map_or(Value::Null, Value::from),
            text(&self.target),
            text(&self.format),
            text(&self.kind),
            text(&self.data),
            Value::from(&self.device_pk),
        ])
    }
}

pub(crate) fn run(args: &JobsArgs, config: &Config, output: &mut Output) -> Result<()> {
    let query = filter(args)?.query();
    if args.show_sql {
        writeln!(output.text(), "{};", query.inlined()).context("cannot write to stdout")?;
        return Ok(());
    }
    let mut store = super::db::open(config, &args.db)?;
    let mut writer = output.records::<JobRow>(Layout::Rows);
    let show_secrets = args.show_secrets;
    store.stream(&query, &mut |values| {
        let mut row = JobRow::from_values(values)?;
        if !show_secrets && row.data.is_some() && row.target.as_deref().is_some_and(is_secret_node)
        {
            row.data = Some(HIDDEN.to_owned());
        }
        writer.write(&row)
    })?;
    let count = writer.finish()?;
    if count == 0 && output.format() == Format::Table {
        crate::diag::note(&format!("no operations match in {}", store.target()));
    }
    Ok(())
}

/// The filters the command line asks for, checked.
pub(crate) fn filter(args: &JobsArgs) -> Result<JobFilter, UsageError> {
    let mut statuses = args
        .statuses
        .iter()
        .map(|text| parse_status(text).map_err(|e| e.about("--status")))
        .collect::<Result<Vec<_>, _>>()?;
    if args.failed {
        statuses.push(StatusFilter::AtLeast(300));
    }
    let filter = JobFilter {
        phones: args.phone.clone(),
        device_pks: args.device_pk.clone(),
        imeis: args.imei.clone(),
        since: args
            .since
            .as_deref()
            .map(|text| parse_timestamp(text).map_err(|e| e.about("--since")))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|text| parse_until(text).map_err(|e| e.about("--until")))
            .transpose()?,
        jobs: args.jobs.iter().map(|id| normalize_job_id(id)).collect(),
        statuses,
        limit: args.limit,
    };
    if let (Some(since), Some(until)) = (&filter.since, &filter.until) {
        let empty = match until {
            Until::AtOrBefore(end) => since > end,
            Until::Before(end) => since >= end,
        };
        if empty {
            return Err(super::log::read::reversed(
                args.since.as_deref(),
                args.until.as_deref(),
            ));
        }
    }
    Ok(filter)
}

/// `none` (never answered), a class (`4xx`), or one code in any form `dmtool
/// status` takes.
fn parse_status(text: &str) -> Result<StatusFilter, UsageError> {
    let trimmed = text.trim();
    if ["none", "null", "unanswered"]
        .iter()
        .any(|word| trimmed.eq_ignore_ascii_case(word))
    {
        return Ok(StatusFilter::Unanswered);
    }
    if let Some(hundreds) = status::parse_class(trimmed) {
        let from = u32::from(hundreds) * 100;
        return Ok(StatusFilter::Range(from, from + 99));
    }
    match status::lookup(trimmed)?.as_slice() {
        [record] => Ok(StatusFilter::Code(record.code)),
        _ => Err(UsageError::new(format!(
            "--status {text} names more than one code"
        ))),
    }
}

/// DME job IDs are 32 upper-case hex digits; accept them in lower case too.
fn normalize_job_id(id: &str) -> String {
    let id = id.trim();
    if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        id.to_ascii_uppercase()
    } else {
        id.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_filters_take_codes_classes_names_and_none() {
        assert_eq!(parse_status("404"), Ok(StatusFilter::Code(404)));
        assert_eq!(parse_status("not found"), Ok(StatusFilter::Code(404)));
        assert_eq!(parse_status("4xx"), Ok(StatusFilter::Range(400, 499)));
        assert_eq!(parse_status("none"), Ok(StatusFilter::Unanswered));
        assert!(parse_status("999").is_err());
        assert!(parse_status("1' OR '1'='1").is_err());
    }

    #[test]
    fn columns_and_values_match_the_serialized_record() {
        use crate::db::SqlValue;
        let values = (0..crate::db::model::JOB_COLUMNS)
            .map(|i| match i {
                3 | 11 => SqlValue::Int(i64::try_from(i).expect("small")),
                6 => SqlValue::Int(404),
                _ => SqlValue::Text(format!("v{i}")),
            })
            .collect();
        let row = JobRow::from_values(values).expect("row");
        let Value::Object(object) = serde_json::to_value(&row).expect("serialize") else {
            panic!("an object");
        };
        let keys: Vec<&String> = object.keys().collect();
        assert_eq!(keys, JobRow::columns());
        let serialized: Vec<Value> = object.values().cloned().collect();
        assert_eq!(row.values().expect("values"), serialized);
    }
}
