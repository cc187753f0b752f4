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

    /// The operation as the explore rules see it.
    pub fn probe_answer(&self) -> crate::explore::ProbeAnswer<'_> {
        crate::explore::ProbeAnswer {
            target: self.target.as_deref(),
            command: self.operation_command.as_deref(),
            status: self.status_code(),
        }
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
    /// The row under snake_case keys (`devicePK` → `device_pk`), with the value
    /// of any column whose name suggests a secret replaced by `"(hidden)"`.
    pub fn new(columns: &[String], values: Vec<SqlValue>) -> Self {
        let map = columns
            .iter()
            .zip(&values)
            .map(|(column, value)| {
                let shown = if is_secret(column) && *value != SqlValue::Null {
                    Value::from(HIDDEN)
                } else {
                    Value::from(value)
                };
                (snake_case(column), shown)
            })
            .collect();
        Self(map)
    }

    /// A column by its snake_case name.
    pub fn get(&self, column: &str) -> Option<&Value> {
        self.0.get(column)
    }

    /// `devicePK` as an integer.
    pub fn device_pk(&self) -> Option<i64> {
        match self.get("device_pk")? {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

/// `devicePK` → `device_pk`, `phoneNumber` → `phone_number`, `imei` → `imei`.
pub fn snake_case(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && previous_lower {
            snake.push('_');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        snake.extend(c.to_lowercase());
    }
    snake
}

/// A DM tree node whose value is a secret: `./DMAcc/…/AAuthSecret`,
/// `AAuthData` (a nonce), DM 1.1.2's `ServerPW`/`ClientPW`/`…Nonce`, or a
/// name holding `pass`, `pwd`, `secret`, `nonce` or `token`. The one policy
/// with [`is_secret`] for columns: `dmtool jobs` and `dmtool device` hide
/// such values unless `--show-secrets`.
pub fn is_secret_node(target: &str) -> bool {
    let last = target
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(target);
    let has = |word: &str| {
        last.as_bytes()
            .windows(word.len())
            .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
    };
    let bytes = last.as_bytes();
    (bytes.len() >= 2 && bytes[bytes.len() - 2..].eq_ignore_ascii_case(b"pw"))
        || last.eq_ignore_ascii_case("AAuthData")
        || ["pass", "pwd", "secret", "nonce", "token"]
            .into_iter()
            .any(has)
}

/// What a hidden value shows instead.
pub const HIDDEN: &str = "(hidden)";

/// Column names whose values are not shown: a device row may hold its DM
/// account's credentials or nonces.
fn is_secret(column: &str) -> bool {
    let lower = column.to_ascii_lowercase();
    ["pass", "pwd", "secret", "nonce", "cred", "token", "auth"]
        .iter()
        .any(|word| lower.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_nodes_are_told_by_their_name() {
        for secret in [
            "./DMAcc/DMEServer/AppAuth/ClientSide/AAuthSecret",
            "./DMAcc/x/AppAuth/y/AAuthData",
            "./SyncML/DMAcc/x/ServerPW",
            "./SyncML/DMAcc/x/ClientNonce",
            "./Vendor/X/Password/",
        ] {
            assert!(is_secret_node(secret), "{secret}");
        }
        for plain in [
            "./DMAcc/x/AppAuth/y/AAuthName",
            "./SCM/Download/DMEClient/Data",
            "./DevInfo/Mod",
        ] {
            assert!(!is_secret_node(plain), "{plain}");
        }
    }

    #[test]
    fn column_names_become_snake_case() {
        assert_eq!(snake_case("devicePK"), "device_pk");
        assert_eq!(snake_case("phoneNumber"), "phone_number");
        assert_eq!(snake_case("imei"), "imei");
        assert_eq!(snake_case("node_id"), "node_id");
    }

    #[test]
    fn secrets_are_hidden() {
        let columns = [
            "devicePK".to_owned(),
            "serverPassword".to_owned(),
            "nextNonce".to_owned(),
        ];
        let row = DeviceRow::new(
            &columns,
            vec![
                SqlValue::Int(1),
                SqlValue::Text("pw".into()),
                SqlValue::Null,
            ],
        );
        assert_eq!(row.get("server_password"), Some(&Value::from("(hidden)")));
        assert_eq!(row.get("next_nonce"), Some(&Value::Null));
        assert_eq!(row.device_pk(), Some(1));
    }
}
