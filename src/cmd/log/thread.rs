//! `dmtool log thread`: the messages of the given logs, threaded, one row per
//! command. Broken messages and unreadable files are reported on stderr with
//! file and line; the others are still read.

use anyhow::Result;
use serde_json::{Map, Value};
use smol_str::SmolStr;

use super::read::{Filter, Reading, check_inputs, in_log_order};
use crate::cli::ThreadArgs;
use crate::codes::Outcome;
use crate::config::Config;
use crate::output::{Layout, Output, Record, Tone};
use crate::transcript::source::{Seen, Sessions};
use crate::transcript::thread::{Direction, Row};

/// The schema of `log thread`'s records: a row's fields, for scripts. The
/// threader's `Row` carries more (what the analysis reads); only these are
/// written, in this order.
impl Record for Row {
    fn values(&self) -> Result<Vec<Value>> {
        let mut values = Vec::with_capacity(Self::columns().len());
        self.values_into(&mut values)?;
        Ok(values)
    }

    fn values_into(&self, out: &mut Vec<Value>) -> Result<()> {
        let text = |value: &Option<SmolStr>| value.as_deref().map_or(Value::Null, Value::from);
        let results = self
            .results
            .iter()
            .map(|item| {
                let mut object = Map::with_capacity(4);
                object.insert("source".into(), text(&item.source));
                object.insert("format".into(), text(&item.format));
                object.insert("type".into(), text(&item.kind));
                object.insert("data".into(), text(&item.data));
                Value::Object(object)
            })
            .collect();
        out.extend([
            text(&self.session),
            text(&self.device),
            Value::from(match self.direction {
                Direction::DeviceToServer => "device_to_server",
                Direction::ServerToDevice => "server_to_device",
            }),
            text(&self.msg_id),
            text(&self.cmd_id),
            Value::from(self.cmd.as_str()),
            self.targets
                .iter()
                .map(|t| Value::from(t.as_str()))
                .collect(),
            self.status.map_or(Value::Null, Value::from),
            self.status_name.map_or(Value::Null, Value::from),
            self.statuses.iter().copied().map(Value::from).collect(),
            Value::Array(results),
            Value::from(self.file.as_str()),
            Value::from(self.line),
            text(&self.time),
            self.alert_items
                .first()
                .map_or(Value::Null, |item| text(&item.kind)),
            self.alert_items
                .first()
                .map_or(Value::Null, |item| text(&item.data)),
        ]);
        Ok(())
    }

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
            "alert_type",
            "alert_data",
        ]
    }

    fn summary_columns() -> &'static [&'static str] {
        &[
            "session",
            "device",
            "line",
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

    fn optional_columns() -> &'static [&'static str] {
        &["msg_id", "cmd_id", "status_name", "direction", "time"]
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
    let filter = Filter::of(inputs)?;
    let files = check_inputs(&inputs.files)?;
    let mut writer = output.records::<Row>(Layout::Rows);
    let mut reading = Reading::new(config, false);
    let mut sessions = Sessions::open(&in_log_order(&files), args.sessions.limits());
    while let Some(seen) = sessions.next() {
        let Seen::Session(session) = seen else {
            reading.note(&seen);
            continue;
        };
        if !filter.session(&session.log) {
            continue;
        }
        for row in session
            .log
            .rows
            .iter()
            .filter(|row| !inputs.errors || failed(row))
            .filter(|row| filter.time(row.time.as_deref()))
        {
            writer.write(row)?;
        }
    }
    reading.finish();
    reading.count_messages(sessions.messages() as u64);
    writer.finish()?;
    reading.into_result()
}

/// Failed or unanswered.
fn failed(row: &Row) -> bool {
    !matches!(Outcome::of(row.status), Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::thread::{Codes, ResultItem, Targets};

    #[test]
    fn a_row_is_written_with_a_value_per_column_in_their_order() {
        let row = Row {
            session: Some("1A2B".into()),
            device: Some("IMEI:1".into()),
            direction: Direction::ServerToDevice,
            msg_id: Some("2".into()),
            cmd_id: Some("4".into()),
            cmd: "Get".into(),
            targets: Targets::from_iter([SmolStr::from("./DevInfo/Mod")]),
            status: Some(200),
            status_name: Some("OK"),
            statuses: Codes::from_iter([200]),
            results: vec![ResultItem {
                source: Some("./DevInfo/Mod".into()),
                format: None,
                kind: Some("text/plain".into()),
                data: Some("E71".into()),
            }],
            file: "server.log".into(),
            line: 7,
            time: None,
            alert: None,
            more_data: false,
            alert_items: Vec::new(),
            challenge: None,
            no_resp: false,
            carried_over: false,
        };
        let values = row.values().expect("values");
        let object: Map<String, Value> = Row::columns()
            .iter()
            .map(|c| (*c).to_owned())
            .zip(values)
            .collect();
        assert_eq!(object.len(), Row::columns().len());
        assert_eq!(
            Value::Object(object),
            serde_json::json!({
                "session": "1A2B", "device": "IMEI:1", "direction": "server_to_device",
                "msg_id": "2", "cmd_id": "4", "cmd": "Get", "targets": ["./DevInfo/Mod"],
                "status": 200, "status_name": "OK", "statuses": [200],
                "results": [{"source": "./DevInfo/Mod", "format": null, "type": "text/plain", "data": "E71"}],
                "file": "server.log", "line": 7, "time": null,
                "alert_type": null, "alert_data": null
            })
        );
    }
}
