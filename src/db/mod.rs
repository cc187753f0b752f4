//! The DME job database: where it is ([`Target`]), a read-only connection to it
//! ([`Store`], SQLite or MySQL), the guide's query and its filters, and the rows
//! it returns.
//!
//! Nothing here prints or knows output formats; rows are handed to the caller one
//! by one so that a large result never sits in memory.

pub(crate) mod check;
pub mod filter;
pub mod model;
pub mod my_cnf;
mod mysql;
pub mod query;
mod sqlite;
pub mod target;

use std::time::{Duration, Instant};

use anyhow::Result;

pub use filter::{JobFilter, StatusFilter};
pub use query::{Query, SqlValue};
pub use target::Target;

/// The tables dmtool reads, for error messages.
pub const TABLES: &str = "dm_devices, dm_job, dm_task, dm_operation, dm_node and dm_nodeData";

/// Asks for a password (given the prompt text); `None` when no one can be asked.
pub type Prompt = dyn Fn(&str) -> Result<Option<String>>;

/// How to connect.
pub struct ConnectOptions {
    pub connect_timeout: Duration,
    /// The longest a query may run; `None`: no limit.
    pub query_timeout: Option<Duration>,
    /// A password from `--password-file` (the URL's own wins).
    pub password: Option<String>,
    /// Asked when the server refuses a connection made without a password.
    pub prompt: Box<Prompt>,
    /// Report connections and query timings on stderr.
    pub verbose: bool,
    /// `~/.my.cnf` and `MYSQL_PWD`: what the URL and options leave open.
    pub client: my_cnf::ClientDefaults,
}

pub(crate) use mysql::quiet_driver_panics;

/// The SQL a store speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Mysql,
}

/// A read-only connection to a job database.
pub struct Store {
    backend: Backend,
    target: Target,
    verbose: bool,
    query_timeout: Option<Duration>,
}

enum Backend {
    Sqlite(rusqlite::Connection),
    Mysql(Box<::mysql::Conn>),
    /// A MySQL connection left mid-result by an error, and closed.
    Closed,
}

impl Store {
    /// Connects to `target`. The connection refuses every write.
    pub fn open(target: &Target, options: &ConnectOptions) -> Result<Self> {
        if options.verbose {
            crate::diag::note(&format!("connecting to {target}"));
        }
        let backend = match target {
            Target::Demo => Backend::Sqlite(sqlite::open_demo()?),
            Target::Sqlite(path) => Backend::Sqlite(sqlite::open_file(path)?),
            Target::Mysql(url) => Backend::Mysql(Box::new(mysql::connect(url, options)?)),
        };
        Ok(Self {
            backend,
            target: target.clone(),
            verbose: options.verbose,
            query_timeout: options.query_timeout,
        })
    }

    /// Where this store is (never with a password).
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Whose SQL this store speaks.
    pub(crate) fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Mysql(_) | Backend::Closed => Dialect::Mysql,
        }
    }

    /// What the account may write, as its grants say (MySQL), each a
    /// privilege list and its scope; `None` where there are no grants (SQLite).
    pub(crate) fn write_grants(&mut self) -> Option<Vec<String>> {
        match &mut self.backend {
            Backend::Mysql(conn) => Some(mysql::write_grants(conn, &self.target)),
            Backend::Sqlite(_) | Backend::Closed => None,
        }
    }

    /// Runs `query`, handing each row to `each` as it is read; returns the column
    /// names. An error from `each` (say, a closed stdout) stops the query.
    pub fn stream(
        &mut self,
        query: &Query,
        each: &mut dyn FnMut(Vec<SqlValue>) -> Result<()>,
    ) -> Result<Vec<String>> {
        let started = Instant::now();
        let mut rows = 0usize;
        let mut counting = |values: Vec<SqlValue>| {
            rows += 1;
            each(values)
        };
        let result = match &mut self.backend {
            Backend::Sqlite(connection) => {
                sqlite::stream(connection, query, self.query_timeout, &mut counting)
            }
            // A malformed result from the server can make the driver panic.
            Backend::Mysql(conn) => mysql::contained(|| mysql::stream(conn, query, &mut counting))
                .unwrap_or_else(|failure| {
                    Err(anyhow::anyhow!(
                        "the server sent a result the MySQL driver cannot read ({failure})"
                    ))
                }),
            Backend::Closed => Err(closed()),
        };
        if result.is_err() && matches!(self.backend, Backend::Mysql(_)) {
            // The result may not have been read to its end: the connection
            // cannot serve another query.
            self.backend = Backend::Closed;
        }
        if self.verbose {
            crate::diag::note(&format!(
                "{rows} rows from {} in {:.1} ms",
                self.target,
                started.elapsed().as_secs_f64() * 1000.0
            ));
        }
        result.map_err(|error| self.query_error(error))
    }

    /// Runs `query` and collects its rows (for small results).
    pub fn collect(&mut self, query: &Query) -> Result<(Vec<String>, Vec<Vec<SqlValue>>)> {
        let mut rows = Vec::new();
        let columns = self.stream(query, &mut |values| {
            rows.push(values);
            Ok(())
        })?;
        Ok((columns, rows))
    }

    /// Runs a statement as it is, on dmtool's own read-only connection. It exists
    /// for the tests that prove a write is refused; dmtool itself never calls it.
    #[doc(hidden)]
    pub fn execute_unchecked(&mut self, sql: &str) -> Result<()> {
        match &mut self.backend {
            Backend::Sqlite(connection) => connection.execute_batch(sql).map_err(Into::into),
            Backend::Mysql(conn) => mysql::execute(conn, sql),
            Backend::Closed => Err(closed()),
        }
    }

    /// Adds the target and, for a missing table, a hint. Errors that are not the
    /// database's (a closed stdout) pass through unchanged.
    fn query_error(&self, error: anyhow::Error) -> anyhow::Error {
        if crate::error::is_broken_pipe(&error) || error.is::<crate::error::Hinted>() {
            return error;
        }
        let text = format!("{error:#}");
        let missing_table = text.contains("no such table") || text.contains("doesn't exist");
        // MariaDB 1969, MySQL 3024.
        let timed_out = text.contains("max_statement_time exceeded")
            || text.contains("maximum statement execution time exceeded");
        let error = error.context(format!("the query on {} failed", self.target));
        if missing_table {
            crate::error::attach_hint(
                error,
                format!("is this a DME database? dmtool reads the tables {TABLES}"),
            )
        } else if timed_out {
            crate::error::attach_hint(
                error,
                "it ran past --query-timeout: give more seconds, or 0 for no limit".to_owned(),
            )
        } else {
            error
        }
    }
}

fn closed() -> anyhow::Error {
    anyhow::anyhow!("the database connection was closed after an earlier error")
}
