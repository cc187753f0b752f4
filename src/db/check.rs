//! `dmtool db check`: what a DBA needs to know before dmtool runs on a job
//! database. The guide's tables and columns found or missing, the row counts
//! (estimated where the server estimates them), the indexes the guide's query
//! and the device report need, the plan the database makes for those queries
//! (`EXPLAIN`: a full scan is named), the `CREATE INDEX` statements for what
//! is missing, the server's version, and whether the account can write. Reads
//! only; knows SQL of both dialects, nothing of output.

use anyhow::Result;
use serde::Serialize;

use super::filter::{JobFilter, devices_query};
use super::query::{Param, Query, SqlValue};
use super::{Dialect, Store};

/// The guide's tables and the columns its query names.
const GUIDE: &[(&str, &[&str])] = &[
    ("dm_devices", &["devicePK", "phoneNumber"]),
    ("dm_job", &["jobID", "created", "status", "device"]),
    ("dm_task", &["id", "job", "state"]),
    (
        "dm_operation",
        &["operationID", "task", "command", "statusCode", "node_id"],
    ),
    ("dm_node", &["id", "target", "format", "type", "nodeData"]),
    ("dm_nodeData", &["pk", "data"]),
];

/// The indexes the guide's query and the device report need: each a table
/// and the column an index must start with, and what it serves.
const NEEDED: &[(&str, &str, &str)] = &[
    (
        "dm_devices",
        "phoneNumber",
        "--phone and the device report find the phone",
    ),
    ("dm_job", "device", "the jobs of a device"),
    ("dm_job", "created", "--since and --until"),
    ("dm_task", "job", "the tasks of a job"),
    ("dm_operation", "task", "the operations of a task"),
];

/// The aliases of the guide's query.
const ALIASES: &[(&str, &str)] = &[
    ("j", "dm_job"),
    ("t", "dm_task"),
    ("o", "dm_operation"),
    ("n", "dm_node"),
    ("nd", "dm_nodeData"),
    ("d", "dm_devices"),
];

/// Everything the check found.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub(crate) target: String,
    pub(crate) server_version: Option<String>,
    pub(crate) tables: Vec<TableCheck>,
    pub(crate) indexes: Vec<IndexCheck>,
    pub(crate) plans: Vec<PlanCheck>,
    /// What a DBA would run for the missing indexes (dmtool never does).
    pub(crate) create_index: Vec<String>,
    pub(crate) can_write: WriteCheck,
}

/// One of the guide's tables.
#[derive(Debug, Serialize)]
pub(crate) struct TableCheck {
    pub(crate) table: &'static str,
    pub(crate) found: bool,
    /// Rows, as the server estimates them (MySQL) or counts them (SQLite).
    pub(crate) rows: Option<i64>,
    pub(crate) columns: Vec<ColumnCheck>,
    /// Columns the table has beyond the guide's.
    pub(crate) other_columns: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ColumnCheck {
    pub(crate) column: &'static str,
    pub(crate) found: bool,
}

/// An index the queries need.
#[derive(Debug, Serialize)]
pub(crate) struct IndexCheck {
    pub(crate) table: &'static str,
    pub(crate) column: &'static str,
    pub(crate) serves: &'static str,
    /// The index that starts with the column, if one does.
    pub(crate) index: Option<String>,
}

/// The plan of one of dmtool's queries.
#[derive(Debug, Serialize)]
pub(crate) struct PlanCheck {
    pub(crate) query: &'static str,
    /// The tables read whole.
    pub(crate) full_scans: Vec<String>,
    /// The plan as the database writes it, a step a line.
    pub(crate) steps: Vec<String>,
}

/// Whether the account can write.
#[derive(Debug, Serialize)]
pub(crate) struct WriteCheck {
    /// `true`/`false`, or `null` when it cannot be told.
    pub(crate) writes: Option<bool>,
    pub(crate) detail: String,
}

/// Runs every check on the store.
pub(crate) fn run(store: &mut Store, sqlite_file: Option<&std::path::Path>) -> Result<Report> {
    let dialect = store.dialect();
    let server_version = scalar(
        store,
        match dialect {
            Dialect::Sqlite => "SELECT 'SQLite ' || sqlite_version()",
            Dialect::Mysql => "SELECT VERSION()",
        },
        Vec::new(),
    );
    let tables = GUIDE
        .iter()
        .map(|(table, columns)| table_check(store, dialect, table, columns))
        .collect::<Vec<_>>();
    let indexes: Vec<IndexCheck> = NEEDED
        .iter()
        .map(|&(table, column, serves)| IndexCheck {
            table,
            column,
            serves,
            index: leading_index(store, dialect, table, column),
        })
        .collect();
    let create_index = indexes
        .iter()
        .filter(|check| {
            check.index.is_none()
                && tables.iter().any(|t| {
                    t.table == check.table
                        && t.found
                        && t.columns
                            .iter()
                            .any(|c| c.column == check.column && c.found)
                })
        })
        .map(|check| {
            format!(
                "CREATE INDEX {table}_{column} ON {table} ({column});",
                table = check.table,
                column = check.column
            )
        })
        .collect();
    let all_found = tables.iter().all(|t| t.found);
    let plans = if all_found {
        let phone = JobFilter {
            phones: vec!["30116718".to_owned()],
            ..JobFilter::default()
        };
        let device = JobFilter {
            device_pks: vec![30],
            ..JobFilter::default()
        };
        vec![
            plan(store, dialect, "jobs --phone", &phone.query()),
            plan(
                store,
                dialect,
                "device (its devices)",
                &devices_query(&["30116718".to_owned()], &[], &[]),
            ),
            plan(store, dialect, "device (their jobs)", &device.query()),
        ]
    } else {
        Vec::new()
    };
    let can_write = write_check(store, sqlite_file);
    Ok(Report {
        target: store.target().to_string(),
        server_version,
        tables,
        indexes,
        plans,
        create_index,
        can_write,
    })
}

/// The first value of a one-row query, as text.
fn scalar(store: &mut Store, sql: &str, params: Vec<Param>) -> Option<String> {
    let query = Query {
        sql: sql.to_owned(),
        params,
    };
    let (_, rows) = store.collect(&query).ok()?;
    rows.into_iter().next()?.into_iter().next()?.into_text()
}

fn table_check(
    store: &mut Store,
    dialect: Dialect,
    table: &'static str,
    guide_columns: &[&'static str],
) -> TableCheck {
    let query = Query {
        sql: format!("SELECT * FROM {table} LIMIT 0"),
        params: Vec::new(),
    };
    let Ok((columns, _)) = store.collect(&query) else {
        return TableCheck {
            table,
            found: false,
            rows: None,
            columns: guide_columns
                .iter()
                .map(|&column| ColumnCheck {
                    column,
                    found: false,
                })
                .collect(),
            other_columns: Vec::new(),
        };
    };
    let has = |name: &str| columns.iter().any(|c| c.eq_ignore_ascii_case(name));
    let rows = match dialect {
        Dialect::Sqlite => scalar(store, &format!("SELECT COUNT(*) FROM {table}"), Vec::new()),
        Dialect::Mysql => scalar(
            store,
            "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
            vec![Param::Text(table.to_owned())],
        ),
    }
    .and_then(|text| text.parse().ok());
    TableCheck {
        table,
        found: true,
        rows,
        columns: guide_columns
            .iter()
            .map(|&column| ColumnCheck {
                column,
                found: has(column),
            })
            .collect(),
        other_columns: columns
            .iter()
            .filter(|c| !guide_columns.iter().any(|g| g.eq_ignore_ascii_case(c)))
            .cloned()
            .collect(),
    }
}

/// The name of an index of `table` whose first column is `column`.
fn leading_index(store: &mut Store, dialect: Dialect, table: &str, column: &str) -> Option<String> {
    let query = match dialect {
        Dialect::Sqlite => Query {
            sql: "SELECT il.name, ii.name FROM pragma_index_list(?) AS il \
                  JOIN pragma_index_info(il.name) AS ii WHERE ii.seqno = 0"
                .to_owned(),
            params: vec![Param::Text(table.to_owned())],
        },
        Dialect::Mysql => Query {
            sql: "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS \
                  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND SEQ_IN_INDEX = 1"
                .to_owned(),
            params: vec![Param::Text(table.to_owned())],
        },
    };
    let (_, rows) = store.collect(&query).ok()?;
    rows.into_iter().find_map(|row| {
        let mut values = row.into_iter();
        let index = values.next()?.into_text()?;
        let first = values.next()?.into_text()?;
        first.eq_ignore_ascii_case(column).then_some(index)
    })
}

/// The plan of `query` and the tables it reads whole.
fn plan(store: &mut Store, dialect: Dialect, name: &'static str, query: &Query) -> PlanCheck {
    let explained = Query {
        sql: match dialect {
            Dialect::Sqlite => format!("EXPLAIN QUERY PLAN {}", query.sql),
            Dialect::Mysql => format!("EXPLAIN {}", query.sql),
        },
        params: query.params.clone(),
    };
    let Ok((columns, rows)) = store.collect(&explained) else {
        return PlanCheck {
            query: name,
            full_scans: Vec::new(),
            steps: vec!["the database could not explain this query".to_owned()],
        };
    };
    let mut full_scans = Vec::new();
    let mut steps = Vec::new();
    for row in rows {
        let text: Vec<Option<String>> = row.into_iter().map(SqlValue::into_text).collect();
        let field = |name: &str| -> Option<&str> {
            columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name))
                .and_then(|at| text.get(at))
                .and_then(|v| v.as_deref())
        };
        match dialect {
            Dialect::Sqlite => {
                let detail = field("detail").unwrap_or_default().to_owned();
                // "SCAN o", "SCAN dm_job AS j": the table read whole (an
                // index-only scan is not).
                if let Some(rest) = detail.strip_prefix("SCAN ")
                    && !detail.contains("COVERING INDEX")
                {
                    let alias = rest.split_whitespace().last().unwrap_or(rest);
                    full_scans.push(table_of(alias));
                }
                steps.push(detail);
            }
            Dialect::Mysql => {
                let table = field("table").unwrap_or("?");
                let access = field("type").unwrap_or("?");
                let key = field("key").unwrap_or("no index");
                let rows = field("rows").unwrap_or("?");
                if access.eq_ignore_ascii_case("ALL") {
                    full_scans.push(table_of(table));
                }
                steps.push(format!(
                    "{} ({table}): {access}, {key}, about {rows} rows",
                    table_of(table)
                ));
            }
        }
    }
    full_scans.dedup();
    PlanCheck {
        query: name,
        full_scans,
        steps,
    }
}

/// The table an alias of the guide's query stands for.
fn table_of(alias: &str) -> String {
    ALIASES
        .iter()
        .find(|(short, _)| *short == alias)
        .map_or(alias, |(_, table)| table)
        .to_owned()
}

fn write_check(store: &mut Store, sqlite_file: Option<&std::path::Path>) -> WriteCheck {
    match store.write_grants() {
        Some(grants) if grants.is_empty() => WriteCheck {
            writes: Some(false),
            detail: "the account holds no write privilege on the database".to_owned(),
        },
        Some(grants) => WriteCheck {
            writes: Some(true),
            detail: format!(
                "the account may write ({}): dmtool's session is read-only, but an account that holds only SELECT is safer",
                grants.join("; ")
            ),
        },
        None => match sqlite_file {
            Some(path) => {
                let writable = std::fs::metadata(path)
                    .map(|meta| !meta.permissions().readonly())
                    .unwrap_or(false);
                WriteCheck {
                    writes: Some(writable),
                    detail: if writable {
                        "the file is writable by this account; dmtool opens it read-only and immutable".to_owned()
                    } else {
                        "the file is read-only for this account; dmtool opens it read-only and immutable".to_owned()
                    },
                }
            }
            None => WriteCheck {
                writes: Some(false),
                detail: "the demo database is in memory and read-only".to_owned(),
            },
        },
    }
}
