//! The SQLite backend: a file opened read-only and immutable (a copy: nothing
//! is created beside it), or the demo database built in memory and then
//! switched to `query_only`. Either way no statement can write.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::query::{Param, Query, SqlValue};
use crate::error::{UsageError, hinted};

/// The demo database: schema, indexes and rows (see `testdata/demo.sql`).
pub(crate) const DEMO_SQL: &str = include_str!("../../testdata/demo.sql");

/// Opens a SQLite file read-only, as the immutable copy dmtool reads: no
/// lock, no `-wal` or `-shm` file is created beside it (a copy in a
/// read-only folder opens too). A folder, or a file that is not SQLite, is
/// refused saying so.
pub(crate) fn open_file(path: &Path) -> Result<Connection> {
    let shown = super::target::shown_path(path);
    if !path.exists() {
        return Err(UsageError::new(format!("no such database file: {shown}"))
            .with_hint(format!("--db takes {}", super::target::FORMS))
            .into());
    }
    if path.is_dir() {
        return Err(
            UsageError::new(format!("{shown} is a folder, not a SQLite database file"))
                .with_hint(format!("--db takes {}", super::target::FORMS))
                .into(),
        );
    }
    check_header(path, &shown)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(immutable_uri(path), flags)
        .with_context(|| format!("cannot open the SQLite database {shown}"))?;
    forbid_writes(&connection)?;
    Ok(connection)
}

/// A SQLite database file starts with `SQLite format 3\0`.
fn check_header(path: &Path, shown: &str) -> Result<()> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut header))
        .with_context(|| format!("cannot read {shown}"))?;
    if read == 0 {
        return Err(UsageError::new(format!("{shown} is empty, not a SQLite database"))
            .with_hint("give a copy of the DME database made with the sqlite3 tool or a MySQL-to-SQLite export")
            .into());
    }
    if header != *b"SQLite format 3\0" {
        return Err(UsageError::new(format!(
            "{shown} is not a SQLite database (it does not start with \"SQLite format 3\")"
        ))
        .with_hint(format!("--db takes {}", super::target::FORMS))
        .into());
    }
    Ok(())
}

/// The `file:` URI that opens `path` immutable, its special characters
/// percent-encoded.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Builds the demo database in memory.
pub(crate) fn open_demo() -> Result<Connection> {
    let connection = Connection::open_in_memory().context("cannot create an in-memory database")?;
    connection
        .execute_batch(DEMO_SQL)
        .context("cannot load the demo database")?;
    forbid_writes(&connection)?;
    Ok(connection)
}

/// `query_only` refuses every statement that would change the database, also on
/// the in-memory demo that had to be written once.
fn forbid_writes(connection: &Connection) -> Result<()> {
    connection
        .pragma_update(None, "query_only", true)
        .context("cannot make the SQLite connection read-only")
}

/// Runs a query, handing each row to `each`; returns the column names.
pub(crate) fn stream(
    connection: &Connection,
    query: &Query,
    timeout: Option<std::time::Duration>,
    each: &mut dyn FnMut(Vec<SqlValue>) -> Result<()>,
) -> Result<Vec<String>> {
    let Some(timeout) = timeout else {
        return stream_rows(connection, query, each);
    };
    // A watchdog interrupts the query when it runs past the timeout (a
    // recursive view in a copy would run for ever).
    let interrupt = connection.get_interrupt_handle();
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let timed_out = matches!(
            finished.recv_timeout(timeout),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout)
        );
        if timed_out {
            interrupt.interrupt();
        }
        timed_out
    });
    let result = stream_rows(connection, query, each);
    drop(done);
    let timed_out = watchdog.join().unwrap_or(false);
    match result {
        Err(_) if timed_out => Err(hinted(
            format!(
                "the query ran longer than {}s and was stopped",
                timeout.as_secs_f64()
            ),
            "--query-timeout SECONDS allows longer (0: no limit); a view that calls itself never ends",
        )),
        other => other,
    }
}

/// Runs a query, handing each row to `each`; returns the column names.
fn stream_rows(
    connection: &Connection,
    query: &Query,
    each: &mut dyn FnMut(Vec<SqlValue>) -> Result<()>,
) -> Result<Vec<String>> {
    let mut statement = connection.prepare(&query.sql)?;
    let columns: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let params = rusqlite::params_from_iter(query.params.iter().map(|param| match param {
        Param::Int(value) => rusqlite::types::Value::Integer(*value),
        Param::Text(text) => rusqlite::types::Value::Text(text.clone()),
    }));
    let mut rows = statement.query(params)?;
    while let Some(row) = rows.next()? {
        let values = (0..columns.len())
            .map(|index| row.get_ref(index).map(value_of))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        each(values)?;
    }
    Ok(columns)
}

fn value_of(value: ValueRef<'_>) -> SqlValue {
    match value {
        ValueRef::Null => SqlValue::Null,
        ValueRef::Integer(value) => SqlValue::Int(value),
        ValueRef::Real(value) => SqlValue::Float(value),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            SqlValue::Text(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}
