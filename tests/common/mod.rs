//! Helpers shared by the integration tests: the real binary in a clean
//! environment, and JSON output parsed.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// The built `dmtool`, with no environment leaking in (no DMTOOL_*, NO_COLOR, TERM).
pub(crate) fn dmtool() -> Command {
    let mut command = Command::cargo_bin("dmtool").expect("the dmtool binary is built");
    command.env_clear();
    command
}

/// Runs `dmtool ARGS`, expects success, and parses stdout as one JSON document.
pub(crate) fn json(args: &[&str]) -> Value {
    let output = dmtool().args(args).output().expect("dmtool runs");
    assert!(
        output.status.success(),
        "dmtool {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Runs `dmtool ARGS` and expects exit code `code`; returns (stdout, stderr).
pub(crate) fn fails_with(args: &[&str], code: i32) -> (String, String) {
    let output = dmtool().args(args).output().expect("dmtool runs");
    assert_eq!(
        output.status.code(),
        Some(code),
        "dmtool {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The demo SQL the tests load into SQLite files and MySQL databases.
pub(crate) const DEMO_SQL: &str = include_str!("../../testdata/demo.sql");

/// The statements of a SQL file whose statements end with `;` at a line end.
pub(crate) fn statements(sql: &str) -> Vec<String> {
    let without_comments: String = sql
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .map(|line| format!("{line}\n"))
        .collect();
    without_comments
        .split(";\n")
        .map(str::trim)
        .filter(|statement| !statement.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A SQLite file holding the demo database (removed when dropped).
pub(crate) struct SqliteFile {
    _dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
}

impl SqliteFile {
    pub(crate) fn demo() -> Self {
        Self::with_sql(DEMO_SQL)
    }

    pub(crate) fn with_sql(sql: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("dme.db");
        let connection = rusqlite::Connection::open(&path).expect("a new SQLite file");
        connection.execute_batch(sql).expect("the SQL loads");
        Self { _dir: dir, path }
    }

    pub(crate) fn url(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }
}

/// The MariaDB/MySQL server of the tests, or `None` (with a notice) where there is
/// none. In CI (`CI` set) an unreachable server fails the test instead.
pub(crate) fn mysql_server() -> Option<String> {
    let url = std::env::var("DMTOOL_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned());
    match mysql::Conn::new(mysql::Opts::from_url(&url).expect("DMTOOL_TEST_MYSQL is a URL")) {
        Ok(_) => Some(url),
        Err(error) if std::env::var_os("CI").is_some() => {
            panic!("CI: the MySQL test server {url} is unreachable: {error}")
        }
        Err(error) => {
            // Written to stderr directly: the test harness captures eprintln!,
            // and this notice must be seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "NOTICE: MySQL test SKIPPED: {url} is unreachable ({error}); \
                 set DMTOOL_TEST_MYSQL or run `bash .ci/run`"
            );
            None
        }
    }
}

/// A database of its own on the test server, loaded with `sql`, dropped at the end.
pub(crate) struct MysqlDb {
    admin: mysql::Conn,
    pub name: String,
    /// `mysql://user@host:port/NAME` for `--db`.
    pub url: String,
}

impl MysqlDb {
    pub(crate) fn create(server: &str, sql: &str) -> Self {
        use mysql::prelude::Queryable;
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "dmtool_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin =
            mysql::Conn::new(mysql::Opts::from_url(server).expect("URL")).expect("connects");
        admin
            .query_drop(format!("DROP DATABASE IF EXISTS `{name}`"))
            .expect("drop");
        admin
            .query_drop(format!("CREATE DATABASE `{name}`"))
            .expect("create database");
        admin.query_drop(format!("USE `{name}`")).expect("use");
        for statement in statements(sql) {
            admin
                .query_drop(&statement)
                .unwrap_or_else(|e| panic!("{e}: {statement}"));
        }
        let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
        let url = format!("{base}/{name}");
        Self { admin, name, url }
    }

    pub(crate) fn demo(server: &str) -> Self {
        Self::create(server, DEMO_SQL)
    }

    /// Runs a query as the test's own (writable) admin connection.
    pub(crate) fn count(&mut self, sql: &str) -> u64 {
        use mysql::prelude::Queryable;
        self.admin
            .query_first::<u64, _>(sql)
            .expect("query")
            .expect("a row")
    }
}

impl Drop for MysqlDb {
    fn drop(&mut self) {
        use mysql::prelude::Queryable;
        let _ = self
            .admin
            .query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.name));
    }
}

/// Runs `dmtool ARGS` and returns its exit code, stdout and stderr.
pub(crate) fn run(args: &[&str]) -> (i32, String, String) {
    let output = dmtool().args(args).output().expect("dmtool runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `dmtool ARGS`, reads the first bytes of its stdout (when `read_first`)
/// and closes it, as `| head -c 16` would; returns the exit code and stderr.
pub(crate) fn with_stdout_closed_early(args: &[&str], read_first: bool) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dmtool"))
        .args(args)
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdout = child.stdout.take().expect("stdout");
    if read_first {
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).expect("some output");
    }
    drop(stdout);
    let output = child.wait_with_output().expect("exits");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// dmtool's own store on `target`, opened as the CLI opens it (no prompt).
pub(crate) fn open_store(target: &dmtool::db::Target) -> dmtool::db::Store {
    let options = dmtool::db::ConnectOptions {
        connect_timeout: std::time::Duration::from_secs(5),
        query_timeout: Some(std::time::Duration::from_secs(60)),
        password: None,
        prompt: Box::new(|_| Ok(None)),
        verbose: false,
        client: dmtool::db::my_cnf::ClientDefaults::default(),
    };
    dmtool::db::Store::open(target, &options).expect("opens")
}

/// (job_id, operation_status) of each row `dmtool jobs ARGS --db URL` prints.
pub(crate) fn job_statuses(args: &[&str], url: &str) -> Vec<(String, i64)> {
    let value = json(&[args, &["--db", url, "-f", "json"]].concat());
    value
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["job_id"].as_str().expect("id").to_owned(),
                r["operation_status"].as_i64().expect("status"),
            )
        })
        .collect()
}

/// A line on the test's stderr (a skipped part, or figures worth recording),
/// shown with `--nocapture` and in CI logs of failing runs.
pub(crate) fn notice(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// The public corpus beside the project (`../shared/corpus`), or `None`
/// after a notice that the test named `what` is skipped without it.
pub(crate) fn corpus(what: &str) -> Option<std::path::PathBuf> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if corpus.is_dir() {
        return Some(corpus);
    }
    notice(&format!("NOTICE: {what} SKIPPED: no ../shared/corpus"));
    None
}

/// Every file under `dir` (the public corpus), in a stable order.
pub(crate) fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
}

/// Whether util-linux's `script` is there to give dmtool a terminal; without
/// it, a notice says which test (`what`) is skipped.
pub(crate) fn has_script(what: &str) -> bool {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok()
    {
        return true;
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "NOTICE: {what} test SKIPPED: no `script` (util-linux) for a terminal"
    );
    false
}

/// Bytes as a hex dump, 16 upper-case pairs a line, as servers log them.
pub(crate) fn hex_dump(bytes: &[u8]) -> String {
    bytes
        .chunks(16)
        .map(|line| {
            line.iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
