//! The MySQL/MariaDB backend (pure-Rust client, rustls for `?ssl=true`). Every
//! session is made read-only before the first query; the connection fails fast
//! when the server cannot be reached or does not greet within the timeout; a
//! password is never part of an error.

use std::io::Read;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder, Params, SslOpts, Value};

use super::ConnectOptions;
use super::query::{Param, Query, SqlValue};
use super::target::MysqlUrl;
use crate::error::hinted;

/// MySQL's "access denied" error.
const ER_ACCESS_DENIED: u16 = 1045;

/// Connects and makes the session read-only.
pub fn connect(url: &MysqlUrl, options: &ConnectOptions) -> Result<Conn> {
    check_reachable(url, options.connect_timeout)?;
    let password = url.password.clone().or_else(|| options.password.clone());
    let mut conn = match Conn::new(opts(url, password.clone(), options.connect_timeout)) {
        Ok(conn) => conn,
        Err(error) if is_access_denied(&error) && password.is_none() => {
            match (options.prompt)(&format!("Password for {}@{}: ", url.user, url.host))? {
                Some(typed) => Conn::new(opts(url, Some(typed), options.connect_timeout))
                    .map_err(|e| connect_error(url, e))?,
                None => return Err(connect_error(url, error)),
            }
        }
        Err(error) => return Err(connect_error(url, error)),
    };
    conn.query_drop("SET SESSION TRANSACTION READ ONLY")
        .and_then(|()| conn.query_drop("START TRANSACTION READ ONLY"))
        .with_context(|| format!("cannot make the session on {url} read-only"))?;
    Ok(conn)
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
    let hint = if is_access_denied(&error) {
        "check the user and password: in the URL, --password-file, or typed at the prompt"
    } else {
        "check the host, port and database name in --db"
    };
    hinted(format!("cannot connect to {url}: {error}"), hint)
}

/// Opens a TCP connection and waits for the server's greeting, both within
/// `timeout`: a host that drops packets or a port that accepts but never speaks
/// fails here, quickly, instead of hanging in the client library.
fn check_reachable(url: &MysqlUrl, timeout: Duration) -> Result<()> {
    let unreachable = |why: String| {
        hinted(
            format!(
                "cannot reach the MySQL server {}:{}: {why}",
                url.host, url.port
            ),
            format!(
                "is the server running and the port open? (--connect-timeout is {}s)",
                timeout.as_secs_f32()
            ),
        )
    };
    let addresses: Vec<_> = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|e| unreachable(format!("cannot resolve the host: {e}")))?
        .collect();
    let mut last_error = None;
    for address in addresses {
        match TcpStream::connect_timeout(&address, timeout) {
            Ok(mut stream) => {
                stream
                    .set_read_timeout(Some(timeout))
                    .map_err(|e| unreachable(e.to_string()))?;
                let mut first = [0u8; 1];
                return match stream.read(&mut first) {
                    Ok(1) => Ok(()),
                    Ok(_) => Err(unreachable("it closed the connection at once".into())),
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        Err(unreachable(format!(
                            "no greeting within {}s: is it a MySQL server?",
                            timeout.as_secs_f32()
                        )))
                    }
                    Err(e) => Err(unreachable(e.to_string())),
                };
            }
            Err(e) => last_error = Some(e),
        }
    }
    Err(unreachable(last_error.map_or_else(
        || "the host has no address".into(),
        |e| e.to_string(),
    )))
}

/// Runs a query, handing each row to `each` as it arrives; returns the column names.
pub fn stream(
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
    for row in result.by_ref() {
        let values = row?.unwrap().into_iter().map(value_of).collect();
        each(values)?;
    }
    Ok(columns)
}

/// Runs a statement as it is (tests use it to prove writes are refused).
pub fn execute(conn: &mut Conn, sql: &str) -> Result<()> {
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
