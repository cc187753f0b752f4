//! The MySQL/MariaDB backend (pure-Rust client, rustls for `?ssl=true`). Every
//! session is made read-only before the first query; connecting (name lookup,
//! TCP, greeting, TLS, login) is bounded by the connect timeout as a whole; a
//! password is never part of an error.

use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Result, anyhow};
use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder, Params, SslOpts, Value};

use super::ConnectOptions;
use super::query::{Param, Query, SqlValue};
use super::target::MysqlUrl;
use crate::error::hinted;

/// MySQL's "access denied" error.
const ER_ACCESS_DENIED: u16 = 1045;

/// Connects and makes the session read-only.
pub(crate) fn connect(url: &MysqlUrl, options: &ConnectOptions) -> Result<Conn> {
    let password = url.password.clone().or_else(|| options.password.clone());
    let mut conn = match connect_within(url, password.clone(), options.connect_timeout)? {
        Ok(conn) => conn,
        Err(error) if is_access_denied(&error) && password.is_none() => {
            match (options.prompt)(&format!("Password for {}@{}: ", url.user, url.host))? {
                Some(typed) => connect_within(url, Some(typed), options.connect_timeout)?
                    .map_err(|e| connect_error(url, e))?,
                None => return Err(connect_error(url, error)),
            }
        }
        Err(error) => return Err(connect_error(url, error)),
    };
    if let Some(timeout) = options.query_timeout {
        limit_statement_time(&mut conn, timeout, options.verbose);
    }
    Ok(conn)
}

/// Bounds every statement of the session: MariaDB's `max_statement_time`
/// (seconds), else MySQL's `max_execution_time` (milliseconds, SELECT only).
/// A server that has neither runs without a bound (said with `-v`).
fn limit_statement_time(conn: &mut Conn, timeout: Duration, verbose: bool) {
    let seconds = timeout.as_secs_f64();
    let mariadb = conn.query_drop(format!("SET SESSION max_statement_time = {seconds:.3}"));
    if mariadb.is_ok() {
        return;
    }
    let millis = timeout.as_millis().min(u128::from(u32::MAX));
    let mysql = conn.query_drop(format!("SET SESSION max_execution_time = {millis}"));
    if mysql.is_err() && verbose {
        crate::diag::note("the server bounds no statement's time: --query-timeout has no effect");
    }
}

/// Connects (and makes the session read-only) on a thread of its own, so that
/// a server that never answers, at any step, costs at most `timeout`. The outer
/// error is the timeout; the inner one is the server's or the network's.
fn connect_within(
    url: &MysqlUrl,
    password: Option<String>,
    timeout: Duration,
) -> Result<Result<Conn, mysql::Error>> {
    let opts = opts(url, password, timeout);
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let connected = Conn::new(opts).and_then(|mut conn| {
            // Read-only for every transaction of the session, and this one too.
            conn.query_drop("SET SESSION TRANSACTION READ ONLY")?;
            conn.query_drop("START TRANSACTION READ ONLY")?;
            Ok(conn)
        });
        // The receiver is gone only when the caller gave up waiting.
        let _ = sender.send(connected);
    });
    receiver.recv_timeout(timeout).map_err(|_| {
        hinted(
            format!(
                "cannot reach the MySQL server {}:{}: no answer within {}s",
                url.host,
                url.port,
                timeout.as_secs_f32()
            ),
            "is the server running and the port open? (--connect-timeout sets the wait)",
        )
    })
}

fn opts(url: &MysqlUrl, password: Option<String>, timeout: Duration) -> OptsBuilder {
    let builder = OptsBuilder::new()
        .ip_or_hostname(Some(url.host.clone()))
        .tcp_port(url.port)
        .user(Some(url.user.clone()))
        .pass(password)
        .db_name(Some(url.database.clone()))
        .prefer_socket(false)
        .tcp_connect_timeout(Some(timeout));
    if url.tls {
        builder.ssl_opts(SslOpts::default())
    } else {
        builder
    }
}

fn is_access_denied(error: &mysql::Error) -> bool {
    matches!(error, mysql::Error::MySqlError(e) if e.code == ER_ACCESS_DENIED)
}

fn connect_error(url: &MysqlUrl, error: mysql::Error) -> anyhow::Error {
    let (what, hint) = match &error {
        mysql::Error::MySqlError(e) if e.code == ER_ACCESS_DENIED => (
            "cannot log in to",
            "check the user and password: in the URL, --password-file, or typed at the prompt",
        ),
        mysql::Error::MySqlError(_) => (
            "cannot connect to",
            "check the database name and the user's rights on it",
        ),
        _ => (
            "cannot reach",
            "check the host and port in --db, and that the server runs",
        ),
    };
    hinted(format!("{what} {url}: {error}"), hint)
}

/// Runs a query, handing each row to `each` as it arrives; returns the column names.
pub(crate) fn stream(
    conn: &mut Conn,
    query: &Query,
    each: &mut dyn FnMut(Vec<SqlValue>) -> Result<()>,
) -> Result<Vec<String>> {
    let params: Vec<Value> = query
        .params
        .iter()
        .map(|param| match param {
            Param::Int(value) => Value::Int(*value),
            Param::Text(text) => Value::Bytes(text.clone().into_bytes()),
        })
        .collect();
    let params = if params.is_empty() {
        Params::Empty
    } else {
        Params::Positional(params)
    };
    let mut result = conn.exec_iter(query.sql.as_str(), params)?;
    let columns: Vec<String> = result
        .columns()
        .as_ref()
        .iter()
        .map(|column| column.name_str().into_owned())
        .collect();
    while let Some(row) = result.next() {
        let values = row?.unwrap().into_iter().map(value_of).collect();
        if let Err(error) = each(values) {
            // Dropping the result would read every row left (all of a 10M-row
            // export after `| head`). Abandon it instead; the caller closes the
            // connection, which cannot be used again.
            std::mem::forget(result);
            return Err(error);
        }
    }
    Ok(columns)
}

/// Runs a statement as it is (tests use it to prove writes are refused).
pub(crate) fn execute(conn: &mut Conn, sql: &str) -> Result<()> {
    conn.query_drop(sql).map_err(|e| anyhow!(e))
}

fn value_of(value: Value) -> SqlValue {
    match value {
        Value::NULL => SqlValue::Null,
        Value::Bytes(bytes) => SqlValue::Text(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
        Value::Int(value) => SqlValue::Int(value),
        Value::UInt(value) => {
            i64::try_from(value).map_or_else(|_| SqlValue::Text(value.to_string()), SqlValue::Int)
        }
        Value::Float(value) => SqlValue::Float(f64::from(value)),
        Value::Double(value) => SqlValue::Float(value),
        Value::Date(year, month, day, hour, minute, second, micros) => {
            let mut text =
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}");
            if micros > 0 {
                text.push_str(&format!(".{micros:06}"));
            }
            SqlValue::Text(text)
        }
        Value::Time(negative, days, hours, minutes, seconds, _) => {
            let sign = if negative { "-" } else { "" };
            let hours = u32::from(hours) + days * 24;
            SqlValue::Text(format!("{sign}{hours:02}:{minutes:02}:{seconds:02}"))
        }
    }
}
