//! The SQLite backend: a file opened read-only, or the demo database built in
//! memory and then switched to `query_only`. Either way no statement can write.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::query::{Param, Query, SqlValue};
use crate::error::UsageError;

/// The demo database: schema, indexes and rows (see `testdata/demo.sql`).
pub(crate) const DEMO_SQL: &str = include_str!("../../testdata/demo.sql");

/// Opens a SQLite file read-only.
pub(crate) fn open_file(path: &Path) -> Result<Connection> {
    if !path.exists() {
        let shown = super::target::shown_path(path);
        return Err(UsageError::new(format!("no such database file: {shown}"))
            .with_hint(format!("--db takes {}", super::target::FORMS))
            .into());
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(path, flags).with_context(|| {
        format!(
            "cannot open the SQLite database {}",
            super::target::shown_path(path)
        )
    })?;
    forbid_writes(&connection)?;
    Ok(connection)
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
