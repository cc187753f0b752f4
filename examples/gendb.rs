//! Builds a DME job database of a chosen size, for the benchmarks
//! (`benches/db.sh`, BENCHMARKS.md): the schema and indexes of
//! `testdata/demo.sql`, filled with deterministic synthetic devices, jobs, tasks
//! and operations. Every device has the same number of operations, so a
//! `--phone` query returns the same number of rows whatever the database's size.
//!
//! ```sh
//! cargo run --release --example gendb -- --operations 10000000 \
//!     --sqlite target/bench/dme-10m.db --mysql mysql://root@127.0.0.1:3306/dmtool_bench_10m
//! ```
//!
//! Device `i` (from 0) has devicePK `i + 1` and phone number `40000000 + i`.

// A developer tool: its progress lines go to stderr.
#![allow(clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use mysql::prelude::Queryable;

const DEMO_SQL: &str = include_str!("../testdata/demo.sql");

struct Args {
    operations: u64,
    per_device: u64,
    sqlite: Option<PathBuf>,
    mysql: Option<String>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        operations: 100_000,
        per_device: 100,
        sqlite: None,
        mysql: None,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut value = || words.next().context("a value must follow each option");
        match word.as_str() {
            "--operations" => args.operations = value()?.parse()?,
            "--per-device" => args.per_device = value()?.parse()?,
            "--sqlite" => args.sqlite = Some(value()?.into()),
            "--mysql" => args.mysql = Some(value()?),
            other => bail!(
                "unknown option {other}; options: --operations N --per-device N \
                 --sqlite FILE --mysql mysql://user@host:port/NEWDB"
            ),
        }
    }
    if args.per_device < 10 {
        bail!("--per-device must be at least 10 (an explore job has 9 operations)");
    }
    if args.sqlite.is_none() && args.mysql.is_none() {
        bail!("give --sqlite FILE and/or --mysql URL");
    }
    Ok(args)
}

/// One row for one table, values already as SQL literals.
struct Row {
    table: usize,
    values: Vec<Literal>,
}

enum Literal {
    Int(i64),
    Text(String),
    Null,
}

const TABLES: [(&str, &str); 6] = [
    ("dm_devices", "devicePK, phoneNumber, imei, model"),
    ("dm_job", "jobID, created, status, device"),
    ("dm_task", "id, job, state"),
    ("dm_nodeData", "pk, data"),
    ("dm_node", "id, target, format, type, nodeData"),
    (
        "dm_operation",
        "operationID, task, command, statusCode, node_id",
    ),
];

const PROBES: [&str; 9] = [
    "./Com.SonyEricsson/Content/JavaApplications",
    "./SCM/Inventory/Delivered",
    "./SCM/Download",
    "./SCM/Inventory/Deployed",
    "./SCM/Inventory/Delivered/deleteMe",
    "./Software/Inventory/Native",
    "./Vendor/MSFT/SwMgmt/Download",
    "./SCM/Inventory/Deployed",
    "./SCM/Inventory/Delivered/deleteMe",
];

/// Produces every row, table by table order not guaranteed; ids ascending.
struct Generator {
    per_device: u64,
    next_task: i64,
    next_operation: i64,
    next_data: i64,
    seed: u64,
}

impl Generator {
    fn random(&mut self) -> u64 {
        // xorshift64: deterministic, fast, good enough for synthetic data.
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        self.seed
    }

    fn device(&mut self, index: u64, emit: &mut dyn FnMut(Row) -> Result<()>) -> Result<()> {
        let pk = i64::try_from(index + 1)?;
        emit(Row {
            table: 0,
            values: vec![
                Literal::Int(pk),
                Literal::Text((40_000_000 + index).to_string()),
                Literal::Text(format!("IMEI:35{index:013}")),
                Literal::Text(
                    ["Nokia E71", "HTC Touch Pro", "Sony Ericsson K800i"][(index % 3) as usize]
                        .into(),
                ),
            ],
        })?;
        let mut left = self.per_device;
        let mut job_index = 0u64;
        while left > 0 {
            let explore = job_index == 0;
            let size = if explore {
                9
            } else {
                left.min(1 + self.random() % 7)
            };
            let job_id = format!("{index:016X}{job_index:016X}");
            let created = format!(
                "2010-{:02}-{:02} {:02}:{:02}:{:02}",
                1 + index % 12,
                1 + index % 28,
                job_index % 24,
                index % 60,
                job_index % 60
            );
            emit(Row {
                table: 1,
                values: vec![
                    Literal::Text(job_id.clone()),
                    Literal::Text(created),
                    Literal::Text(
                        if explore {
                            "Closed"
                        } else {
                            ["Closed", "Failed", "Open"][(self.random() % 3) as usize]
                        }
                        .into(),
                    ),
                    Literal::Int(pk),
                ],
            })?;
            let mut in_job = 0;
            while in_job < size {
                let task = self.next_task;
                self.next_task += 1;
                let in_task = (size - in_job).min(if explore { 1 } else { 1 + self.random() % 3 });
                emit(Row {
                    table: 2,
                    values: vec![
                        Literal::Int(task),
                        Literal::Text(job_id.clone()),
                        Literal::Text("Supported".into()),
                    ],
                })?;
                for _ in 0..in_task {
                    self.operation(task, explore, in_job, emit)?;
                    in_job += 1;
                }
            }
            left -= size;
            job_index += 1;
        }
        Ok(())
    }

    fn operation(
        &mut self,
        task: i64,
        explore: bool,
        position: u64,
        emit: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<()> {
        let id = self.next_operation;
        self.next_operation += 1;
        let (command, target, status) = if explore {
            let status = if (1..=4).contains(&position) || position >= 7 {
                200
            } else {
                404
            };
            let command = match position {
                4 => "Add",
                8 => "Delete",
                _ => "Get",
            };
            (
                command,
                PROBES[position as usize % PROBES.len()].to_owned(),
                Some(status),
            )
        } else {
            let roll = self.random() % 100;
            let status = match roll {
                0..=79 => Some(200),
                80..=84 => Some(404),
                85..=89 => Some(500),
                90..=94 => Some(101),
                _ => None,
            };
            let command = ["Add", "Replace", "Exec", "Get"][(roll % 4) as usize];
            (
                command,
                format!("./SCM/Download/App{}/Node{}", roll % 10, position),
                status,
            )
        };
        let data = if command == "Replace" {
            let pk = self.next_data;
            self.next_data += 1;
            emit(Row {
                table: 3,
                values: vec![Literal::Int(pk), Literal::Text(format!("payload {id}"))],
            })?;
            Literal::Int(pk)
        } else {
            Literal::Null
        };
        emit(Row {
            table: 4,
            values: vec![
                Literal::Int(id),
                Literal::Text(target),
                Literal::Text("NODE".into()),
                Literal::Null,
                data,
            ],
        })?;
        emit(Row {
            table: 5,
            values: vec![
                Literal::Int(id),
                Literal::Int(task),
                Literal::Text(command.into()),
                status.map_or(Literal::Null, Literal::Int),
                Literal::Int(id),
            ],
        })
    }
}

/// The CREATE TABLE and CREATE INDEX statements of the demo schema.
fn schema() -> (Vec<String>, Vec<String>) {
    let text: String = DEMO_SQL
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .map(|line| format!("{line}\n"))
        .collect();
    let statements: Vec<String> = text.split(";\n").map(|s| s.trim().to_owned()).collect();
    let tables = statements
        .iter()
        .filter(|s| s.starts_with("CREATE TABLE"))
        .cloned()
        .collect();
    let indexes = statements
        .iter()
        .filter(|s| s.starts_with("CREATE INDEX"))
        .cloned()
        .collect();
    (tables, indexes)
}

fn generate(args: &Args, emit: &mut dyn FnMut(Row) -> Result<()>) -> Result<()> {
    let devices = args.operations / args.per_device;
    let mut generator = Generator {
        per_device: args.per_device,
        next_task: 1,
        next_operation: 1,
        next_data: 1,
        seed: 0x9E37_79B9_7F4A_7C15,
    };
    for index in 0..devices {
        generator.device(index, emit)?;
    }
    Ok(())
}

fn build_sqlite(args: &Args, path: &PathBuf) -> Result<()> {
    let _ = std::fs::remove_file(path);
    let mut connection = rusqlite::Connection::open(path)?;
    connection.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    let (tables, indexes) = schema();
    for statement in &tables {
        connection.execute_batch(statement)?;
    }
    let transaction = connection.transaction()?;
    {
        let mut statements = TABLES
            .iter()
            .map(|(table, columns)| {
                let marks = vec!["?"; columns.split(',').count()].join(", ");
                transaction.prepare(&format!("INSERT INTO {table} ({columns}) VALUES ({marks})"))
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        generate(args, &mut |row| {
            let values = row.values.iter().map(|value| match value {
                Literal::Int(v) => rusqlite::types::Value::Integer(*v),
                Literal::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Literal::Null => rusqlite::types::Value::Null,
            });
            statements[row.table].execute(rusqlite::params_from_iter(values))?;
            Ok(())
        })?;
    }
    transaction.commit()?;
    for statement in &indexes {
        connection.execute_batch(statement)?;
    }
    connection.execute_batch("ANALYZE")?;
    Ok(())
}

fn build_mysql(args: &Args, url: &str) -> Result<()> {
    let (base, database) = url.rsplit_once('/').context("the URL needs /DATABASE")?;
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(&format!("{base}/"))?)?;
    conn.query_drop(format!("DROP DATABASE IF EXISTS `{database}`"))?;
    conn.query_drop(format!("CREATE DATABASE `{database}`"))?;
    conn.query_drop(format!("USE `{database}`"))?;
    conn.query_drop("SET unique_checks = 0, foreign_key_checks = 0")?;
    let (tables, indexes) = schema();
    for statement in &tables {
        conn.query_drop(statement)?;
    }
    const BATCH: usize = 2000;
    let mut pending: Vec<(String, usize)> = TABLES.iter().map(|_| (String::new(), 0)).collect();
    let flush =
        |conn: &mut mysql::Conn, table: usize, buffer: &mut (String, usize)| -> Result<()> {
            if buffer.1 > 0 {
                let (name, columns) = TABLES[table];
                conn.query_drop(format!(
                    "INSERT INTO {name} ({columns}) VALUES {}",
                    buffer.0
                ))?;
                buffer.0.clear();
                buffer.1 = 0;
            }
            Ok(())
        };
    conn.query_drop("START TRANSACTION")?;
    let mut since_commit = 0usize;
    generate(args, &mut |row| {
        let buffer = &mut pending[row.table];
        if buffer.1 > 0 {
            buffer.0.push(',');
        }
        buffer.0.push('(');
        for (i, value) in row.values.iter().enumerate() {
            if i > 0 {
                buffer.0.push(',');
            }
            match value {
                Literal::Int(v) => write!(buffer.0, "{v}")?,
                Literal::Text(t) => write!(
                    buffer.0,
                    "'{}'",
                    t.replace('\\', "\\\\").replace('\'', "''")
                )?,
                Literal::Null => buffer.0.push_str("NULL"),
            }
        }
        buffer.0.push(')');
        buffer.1 += 1;
        if buffer.1 >= BATCH {
            flush(&mut conn, row.table, buffer)?;
            since_commit += BATCH;
            if since_commit >= 200_000 {
                conn.query_drop("COMMIT")?;
                conn.query_drop("START TRANSACTION")?;
                since_commit = 0;
            }
        }
        Ok(())
    })?;
    for (table, buffer) in pending.iter_mut().enumerate() {
        flush(&mut conn, table, buffer)?;
    }
    conn.query_drop("COMMIT")?;
    for statement in &indexes {
        conn.query_drop(statement)?;
    }
    conn.query_drop(
        "ANALYZE TABLE dm_devices, dm_job, dm_task, dm_operation, dm_node, dm_nodeData",
    )?;
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    if let Some(path) = &args.sqlite {
        let started = Instant::now();
        build_sqlite(&args, path).with_context(|| format!("building {}", path.display()))?;
        eprintln!(
            "gendb: {} operations into {} in {:.1}s",
            args.operations,
            path.display(),
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(url) = &args.mysql {
        let started = Instant::now();
        build_mysql(&args, url).with_context(|| format!("building {url}"))?;
        eprintln!(
            "gendb: {} operations into {url} in {:.1}s",
            args.operations,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
