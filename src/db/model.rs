//! The rows dmtool reads: one operation of the guide's query ([`JobRow`]) and
//! one device ([`DeviceRow`], whatever columns `dm_devices` has).

use serde::Serialize;
use serde_json::{Map, Value};

use super::query::SqlValue;
use crate::codes::status;

/// One row of the guide's query, plus the decoded status name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRow {
    pub job_created: Option<String>,
    pub job_id: Option<String>,
    pub job_status: Option<String>,
    pub task_id: SqlValue,
    pub task_state: Option<String>,
    pub operation_command: Option<String>,
    pub operation_status: SqlValue,
    pub operation_status_name: Option<&'static str>,
    pub target: Option<String>,
    pub format: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub data: Option<String>,
    pub device_pk: SqlValue,
}

/// How many columns the guide's query returns.
pub const JOB_COLUMNS: usize = 12;

impl JobRow {
    /// Builds a row from the values of the guide's query, in its column order.
    pub fn from_values(values: Vec<SqlValue>) -> anyhow::Result<Self> {
        let count = values.len();
        let Ok(
            [
                created,
                job_id,
                job_status,
                task_id,
                task_state,
                command,
                status,
                target,
                format,
                kind,
                data,
                device_pk,
            ],
        ) = <[SqlValue; JOB_COLUMNS]>::try_from(values)
        else {
            anyhow::bail!("the jobs query returned {count} columns, not {JOB_COLUMNS}");
        };
        let status_code = status.as_int();
        Ok(Self {
            job_created: created.into_text(),
            job_id: job_id.into_text(),
            job_status: job_status.into_text(),
            task_id,
            task_state: task_state.into_text(),
            operation_command: command.into_text(),
            operation_status_name: status_code
                .and_then(|code| u32::try_from(code).ok())
                .and_then(status::name_of),
            operation_status: status,
            target: target.into_text(),
            format: format.into_text(),
            kind: kind.into_text(),
            data: data.into_text(),
            device_pk,
        })
    }

    /// The operation's status code, if it has a numeric one.
    pub fn status_code(&self) -> Option<u32> {
        self.operation_status
            .as_int()
            .and_then(|code| u32::try_from(code).ok())
    }
}

/// One row of `dm_devices`: its columns as the table has them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct DeviceRow(pub Map<String, Value>);

impl DeviceRow {
    pub fn new(columns: &[String], values: Vec<SqlValue>) -> Self {
        let map = columns
            .iter()
            .cloned()
            .zip(values.into_iter().map(|value| match value {
                SqlValue::Null => Value::Null,
                SqlValue::Int(number) => Value::from(number),
                SqlValue::Float(number) => Value::from(number),
                SqlValue::Text(text) => Value::from(text),
            }))
            .collect();
        Self(map)
    }

    /// A column, found without regard to case (MySQL's names are case-blind).
    pub fn get(&self, column: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(column))
            .map(|(_, value)| value)
    }

    /// `devicePK` as an integer.
    pub fn device_pk(&self) -> Option<i64> {
        match self.get("devicePK")? {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}
