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
    // What the URL leaves open, from ~/.my.cnf; the password: the URL's,
    // --password-file, ~/.my.cnf, MYSQL_PWD, else asked.
    let url = &url.with_defaults(&options.client);
    let password = url
        .password
        .clone()
        .or_else(|| options.password.clone())
        .or_else(|| options.client.password.clone())
        .or_else(|| options.client.env_password.clone());
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
    warn_of_write_privileges(&mut conn, url);
    Ok(conn)
}

/// Privileges that let an account change data or the server; a read-only
/// transaction does not stop a function a view calls from using them.
const WRITE_PRIVILEGES: [&str; 18] = [
    "ALL PRIVILEGES",
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "DROP",
    "ALTER",
    "INDEX",
    "CREATE VIEW",
    "CREATE ROUTINE",
    "ALTER ROUTINE",
    "EXECUTE",
    "TRIGGER",
    "EVENT",
    "SUPER",
    "FILE",
    "RELOAD",
    "SHUTDOWN",
];

/// Says once, on stderr, when the account holds write privileges on the
/// database (or on every database): dmtool's session is read-only, but a
/// stored function a view calls could still change server state.
/// The write privileges the connection's account holds on its database.
pub(crate) fn write_grants(conn: &mut Conn, target: &super::Target) -> Vec<String> {
    let super::Target::Mysql(url) = target else {
        return Vec::new();
    };
    let Ok(grants) = conn.query::<String, _>("SHOW GRANTS") else {
        return Vec::new();
    };
    grants
        .iter()
        .filter_map(|grant| write_grant(grant, &url.database))
        .collect()
}

fn warn_of_write_privileges(conn: &mut Conn, url: &MysqlUrl) {
    let Ok(grants) = conn.query::<String, _>("SHOW GRANTS") else {
        return;
    };
    let held: Vec<String> = grants
        .iter()
        .filter_map(|grant| write_grant(grant, &url.database))
        .collect();
    if held.is_empty() {
        return;
    }
    crate::diag::note(&format!(
        "warning: the account {}@{} may write to {} ({}): dmtool's session is read-only, \
         but a stored function a view calls could still change the server; connect with an \
         account that holds only SELECT (GRANT SELECT ON {}.* TO …)",
        url.user,
        url.host,
        url.database,
        held.join("; "),
        url.database
    ));
}

/// The write privileges and scope of one `GRANT … ON … TO …` line, when it
/// gives some on `database` (or on every database).
fn write_grant(grant: &str, database: &str) -> Option<String> {
    let rest = grant.strip_prefix("GRANT ")?;
    let (privileges, rest) = rest.split_once(" ON ")?;
    let (scope, _) = rest.split_once(" TO ")?;
    let scope = scope.trim();
    let names_database = scope.starts_with("*.*")
        || scope
            .trim_start_matches("TABLE ")
            .trim_start_matches('`')
            .split(['`', '.'])
            .next()
            .is_some_and(|name| name == database || name.replace("\\_", "_") == database);
    let upper = privileges.to_ascii_uppercase();
    let writes: Vec<&str> = upper
        .split(',')
        .map(|privilege| {
            privilege
                .trim()
                .split('(')
                .next()
                .unwrap_or_default()
                .trim()
        })
        .filter(|privilege| WRITE_PRIVILEGES.contains(privilege))
        .collect();
    (names_database && !writes.is_empty()).then(|| format!("{} ON {scope}", writes.join(", ")))
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
    let spawned = std::thread::Builder::new()
        .name("mysql-connect".into())
        .spawn(move || {
            let connected = contained(|| {
                Conn::new(opts).and_then(|mut conn| {
                    // Read-only for every transaction of the session, and this one too.
                    conn.query_drop("SET SESSION TRANSACTION READ ONLY")?;
                    conn.query_drop("START TRANSACTION READ ONLY")?;
                    Ok(conn)
                })
            });
            // The receiver is gone only when the caller gave up waiting.
            let _ = sender.send(connected);
        });
    if let Err(error) = spawned {
        return Err(anyhow!("cannot start the connection thread: {error}"));
    }
    match receiver.recv_timeout(timeout) {
        Ok(Ok(connected)) => Ok(connected),
        Ok(Err(failure)) => Err(malformed(url, &failure)),
        Err(_) => Err(hinted(
            format!(
                "cannot reach the MySQL server {}:{}: no answer within {}s",
                url.host,
                url.port,
                timeout.as_secs_f32()
            ),
            "is the server running and the port open? (--connect-timeout sets the wait)",
        )),
    }
}

thread_local! {
    /// The driver is running on this thread under [`contained`]: a panic
    /// there is reported as an error, not printed.
    static IN_DRIVER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs driver code, turning a panic (the driver's reaction to some
/// malformed packets) into its message.
pub(crate) fn contained<T>(run: impl FnOnce() -> T) -> Result<T, String> {
    IN_DRIVER.set(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    IN_DRIVER.set(false);
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| {
                payload
                    .downcast_ref::<&str>()
                    .map(|text| (*text).to_owned())
            })
            .unwrap_or_else(|| "no message".to_owned())
    })
}

/// Installs the panic hook that keeps a contained driver panic off stderr;
/// any other panic is printed as before.
pub(crate) fn quiet_driver_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_DRIVER.get() {
            default(info);
        }
    }));
}

/// The error for a server whose answer made the driver fail.
fn malformed(url: &MysqlUrl, failure: &str) -> anyhow::Error {
    hinted(
        format!(
            "cannot connect to {url}: the server sent a packet the MySQL driver cannot read \
             ({failure})"
        ),
        "is it a MySQL or MariaDB server, and is anything between (a proxy, a load balancer) changing the connection?",
    )
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
        builder.ssl_opts(SslOpts::default().with_root_cert_path(url.ssl_ca.clone()))
    } else {
        builder
    }
}

fn is_access_denied(error: &mysql::Error) -> bool {
    matches!(error, mysql::Error::MySqlError(e) if e.code == ER_ACCESS_DENIED)
}

fn connect_error(url: &MysqlUrl, error: mysql::Error) -> anyhow::Error {
    // rustls reports an untrusted certificate as an I/O error of the codec.
    let text = message(&error);
    if text.contains("certificate") {
        let hint = match &url.ssl_ca {
            Some(_) => {
                "the server's certificate is not signed by that CA, or does not name this host: check ?ssl-ca=FILE (or ssl-ca in ~/.my.cnf) and the host in --db"
            }
            None => {
                "the server's certificate is not signed by a public CA: give its CA with ?ssl-ca=FILE (or ssl-ca in ~/.my.cnf)"
            }
        };
        return hinted(
            format!(
                "cannot make a TLS connection to {url}: {}",
                text.replace("the server's packets are malformed: IO error: ", "")
            ),
            hint,
        );
    }
    let (what, hint) = match &error {
        mysql::Error::MySqlError(e) if e.code == ER_ACCESS_DENIED => (
            "cannot log in to",
            "check the user and password: in the URL, --password-file, or typed at the prompt",
        ),
        mysql::Error::MySqlError(_) => (
            "cannot connect to",
            "check the database name and the user's rights on it",
        ),
        mysql::Error::TlsError(_)
        | mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => (
            "cannot make a TLS connection to",
            "the server and dmtool disagree on TLS: add ?ssl=true to the URL for a server that requires it, or leave it off for one without TLS",
        ),
        _ => (
            "cannot reach",
            "check the host and port in --db, and that the server runs",
        ),
    };
    hinted(format!("{what} {url}: {}", message(&error)), hint)
}

/// A driver or server error as a person reads it: the server's own message
/// (`ERROR 1146 (42S02): Table 'dme.dm_job' doesn't exist`), or what went
/// wrong on the way — never the driver's debug text (`MySqlError { … }`).
pub(crate) fn message(error: &mysql::Error) -> String {
    match error {
        mysql::Error::MySqlError(e) => format!("ERROR {} ({}): {}", e.code, e.state, e.message),
        mysql::Error::IoError(e) => e.to_string(),
        mysql::Error::CodecError(e) => format!("the server's packets are malformed: {e}"),
        mysql::Error::DriverError(e) => e.to_string(),
        mysql::Error::UrlError(e) => e.to_string(),
        mysql::Error::TlsError(e) => format!("TLS: {e}"),
        mysql::Error::FromRowError(_) | mysql::Error::FromValueError(_) => {
            "a value the server sent cannot be read".to_owned()
        }
    }
}

/// [`message`] as an error.
fn plain(error: mysql::Error) -> anyhow::Error {
    anyhow!(message(&error))
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
    let mut result = conn.exec_iter(query.sql.as_str(), params).map_err(plain)?;
    let columns: Vec<String> = result
        .columns()
        .as_ref()
        .iter()
        .map(|column| column.name_str().into_owned())
        .collect();
    while let Some(row) = result.next() {
        let values = row
            .map_err(plain)?
            .unwrap()
            .into_iter()
            .map(value_of)
            .collect();
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
    conn.query_drop(sql).map_err(plain)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_grants_are_recognised_on_the_database_or_everywhere() {
        assert_eq!(
            write_grant(
                "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION",
                "dme"
            ),
            Some("ALL PRIVILEGES ON *.*".into())
        );
        assert_eq!(
            write_grant(
                "GRANT SELECT, INSERT, UPDATE ON `dme`.* TO `app`@`%`",
                "dme"
            ),
            Some("INSERT, UPDATE ON `dme`.*".into())
        );
        assert_eq!(
            write_grant("GRANT SELECT ON `dme`.* TO `ro`@`%`", "dme"),
            None
        );
        assert_eq!(write_grant("GRANT USAGE ON *.* TO `ro`@`%`", "dme"), None);
        assert_eq!(
            write_grant("GRANT INSERT ON `other`.* TO `x`@`%`", "dme"),
            None
        );
        assert_eq!(
            write_grant("GRANT DELETE ON `dme`.`dm_job` TO `x`@`%`", "dme"),
            Some("DELETE ON `dme`.`dm_job`".into())
        );
    }
}
