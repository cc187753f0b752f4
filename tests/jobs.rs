//! `dmtool jobs` and `dmtool device` on SQLite (the demo and a file), and the
//! database errors that need no MySQL server.

mod common;

use std::time::{Duration, Instant};

use common::{SqliteFile, dmtool, fails_with, json, run};
use serde_json::Value;

/// The guide's example result (dme-database.md): task, state, command, status,
/// target, format; job D17041E7…, Closed, created 2010-06-28 13:48:21, device 30,
/// type and data NULL everywhere.
type GuideRow = (
    i64,
    &'static str,
    &'static str,
    i64,
    &'static str,
    Option<&'static str>,
);
const GUIDE_ROWS: [GuideRow; 9] = [
    (
        180,
        "NotSupported",
        "Get",
        404,
        "./Com.SonyEricsson/Content/JavaApplications",
        Some("NODE"),
    ),
    (
        181,
        "Supported",
        "Get",
        200,
        "./SCM/Inventory/Delivered",
        Some("NODE"),
    ),
    (181, "Supported", "Get", 200, "./SCM/Download", Some("NODE")),
    (
        181,
        "Supported",
        "Get",
        200,
        "./SCM/Inventory/Deployed",
        Some("NODE"),
    ),
    (
        181,
        "Supported",
        "Add",
        200,
        "./SCM/Inventory/Delivered/deleteMe",
        Some("NODE"),
    ),
    (
        182,
        "NotSupported",
        "Get",
        404,
        "./Software/Inventory/Native",
        Some("NODE"),
    ),
    (
        183,
        "NotSupported",
        "Get",
        404,
        "./Vendor/MSFT/SwMgmt/Download",
        None,
    ),
    (
        184,
        "Supported",
        "Get",
        200,
        "./SCM/Inventory/Deployed",
        Some("NODE"),
    ),
    (
        185,
        "Supported",
        "Delete",
        200,
        "./SCM/Inventory/Delivered/deleteMe",
        Some("NODE"),
    ),
];

const JOB_KEYS: [&str; 13] = [
    "job_created",
    "job_id",
    "job_status",
    "task_id",
    "task_state",
    "operation_command",
    "operation_status",
    "operation_status_name",
    "target",
    "format",
    "type",
    "data",
    "device_pk",
];

fn rows(value: &Value) -> &Vec<Value> {
    value.as_array().expect("an array of rows")
}

#[test]
fn the_guides_query_gives_the_guides_nine_rows() {
    let value = json(&["jobs", "--db", "demo", "--phone", "30116718", "-f", "json"]);
    let rows = rows(&value);
    assert_eq!(rows.len(), GUIDE_ROWS.len());
    for (row, (task, state, command, status, target, format)) in rows.iter().zip(GUIDE_ROWS) {
        let keys: Vec<&String> = row.as_object().expect("object").keys().collect();
        assert_eq!(keys, JOB_KEYS);
        assert_eq!(row["job_created"], "2010-06-28 13:48:21");
        assert_eq!(row["job_id"], "D17041E7CF3A2D9E5CC7E52B4AEE70C6");
        assert_eq!(row["job_status"], "Closed");
        assert_eq!(row["task_id"], task);
        assert_eq!(row["task_state"], state);
        assert_eq!(row["operation_command"], command);
        assert_eq!(row["operation_status"], status);
        let name = if status == 200 { "OK" } else { "NOT_FOUND" };
        assert_eq!(row["operation_status_name"], name);
        assert_eq!(row["target"], target);
        assert_eq!(row["format"].as_str(), format);
        assert_eq!(row["type"], Value::Null);
        assert_eq!(row["data"], Value::Null);
        assert_eq!(row["device_pk"], 30);
    }
}

#[test]
fn a_sqlite_file_gives_the_same_rows_as_the_demo() {
    let file = SqliteFile::demo();
    for args in [
        vec!["jobs", "--phone", "30116718"],
        vec!["jobs"],
        vec!["device", "30449933"],
    ] {
        let mut demo = args.clone();
        demo.extend(["--db", "demo", "-f", "json"]);
        let url = file.url();
        let mut from_file = args.clone();
        from_file.extend(["--db", &url, "-f", "json"]);
        assert_eq!(json(&demo), json(&from_file), "{args:?}");
        // A plain path works too.
        let path = file.path.to_string_lossy().into_owned();
        let mut plain = args.clone();
        plain.extend(["--db", &path, "-f", "json"]);
        assert_eq!(json(&demo), json(&plain), "{args:?}");
    }
}

#[test]
fn dmtool_db_in_the_environment_names_the_database() {
    let output = dmtool()
        .env("DMTOOL_DB", "demo")
        .args(["jobs", "--phone", "30116718", "-f", "jsonl"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 9);
}

fn count(args: &[&str]) -> usize {
    let mut all = vec!["jobs", "--db", "demo", "-f", "json"];
    all.extend_from_slice(args);
    rows(&json(&all)).len()
}

fn field_values(args: &[&str], field: &str) -> Vec<Value> {
    let mut all = vec!["jobs", "--db", "demo", "-f", "json"];
    all.extend_from_slice(args);
    rows(&json(&all))
        .iter()
        .map(|row| row[field].clone())
        .collect()
}

#[test]
fn filters_narrow_and_combine() {
    let everything = count(&[]);
    assert!(everything > 60, "the demo has {everything} operations");
    // Two phones: the sum of each.
    let one = count(&["--phone", "30116718"]);
    let other = count(&["--phone", "30227711"]);
    assert_eq!(
        count(&["--phone", "30116718", "--phone", "30227711"]),
        one + other
    );
    // A phone number with two devices over time.
    let devices = field_values(&["--phone", "30662255"], "device_pk");
    assert!(devices.contains(&Value::from(35)) && devices.contains(&Value::from(36)));
    assert_eq!(
        field_values(&["--device-pk", "36"], "device_pk"),
        vec![Value::from(36); count(&["--device-pk", "36"])]
    );
    // Dates: --since is at or after, --until a date alone is the whole day.
    for created in field_values(&["--since", "2010-07-01"], "job_created") {
        assert!(created.as_str().expect("text") >= "2010-07-01", "{created}");
    }
    for created in field_values(&["--until", "2010-06-29"], "job_created") {
        assert!(
            created.as_str().expect("text") <= "2010-06-29 23:59:59",
            "{created}"
        );
    }
    assert!(count(&["--until", "2010-06-29"]) > 0);
    let window = field_values(
        &[
            "--since",
            "2010-06-29T09:15:00",
            "--until",
            "2010-07-01T10:02:11",
        ],
        "job_created",
    );
    assert!(!window.is_empty());
    assert!(window.iter().all(|c| {
        let c = c.as_str().expect("text");
        ("2010-06-29 09:15:00"..="2010-07-01 10:02:11").contains(&c)
    }));
    // Jobs, also in lower case.
    let job = field_values(&["--job", "8ebb50bf6ab97b3008770facce244679"], "job_id");
    assert!(!job.is_empty());
    assert!(
        job.iter()
            .all(|id| id == "8EBB50BF6AB97B3008770FACCE244679")
    );
    assert_eq!(
        count(&[
            "--job",
            "8EBB50BF6AB97B3008770FACCE244679",
            "--job",
            "D17041E7CF3A2D9E5CC7E52B4AEE70C6"
        ]),
        job.len() + 9
    );
    // Statuses: a code, a class, several (OR), none, --failed.
    let not_found = field_values(&["--status", "404"], "operation_status");
    assert!(!not_found.is_empty() && not_found.iter().all(|s| s == 404));
    let classes = field_values(&["--status", "4xx", "--status", "500"], "operation_status");
    assert!(classes.iter().all(|s| {
        let s = s.as_i64().expect("number");
        (400..500).contains(&s) || s == 500
    }));
    assert!(classes.contains(&Value::from(401)) && classes.contains(&Value::from(500)));
    let unanswered = field_values(&["--status", "none"], "operation_status");
    assert!(!unanswered.is_empty() && unanswered.iter().all(Value::is_null));
    assert_eq!(
        field_values(&["--status", "101"], "operation_status"),
        [101]
    );
    let failed = field_values(&["--failed"], "operation_status");
    assert!(failed.iter().all(|s| s.as_i64().expect("number") >= 300));
    for code in [401, 404, 418, 500, 507] {
        assert!(failed.contains(&Value::from(code)), "{code}");
    }
    // AND across filters.
    let mixed = field_values(&["--phone", "30449933", "--failed"], "operation_status");
    assert_eq!(mixed.len(), 6 + 9 - 6, "3 probe 404s + 6 install failures");
    // --limit.
    assert_eq!(count(&["--limit", "3"]), 3);
    assert_eq!(count(&["--limit", "0"]), 0);
}

#[test]
fn an_empty_result_is_a_success() {
    assert_eq!(count(&["--phone", "00000000"]), 0);
    let (code, stdout, stderr) = run(&["jobs", "--db", "demo", "--phone", "00000000"]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    assert!(stderr.contains("no operations match"), "{stderr}");
    let (code, stdout, _) = run(&["jobs", "--db", "demo", "--phone", "0", "-f", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 1, "only the header: {stdout}");
}

#[test]
fn nulls_stay_null_in_every_nullable_column() {
    let value = json(&[
        "jobs",
        "--db",
        "demo",
        "--job",
        "C0FFEE00C0FFEE00C0FFEE00C0FFEE03",
        "-f",
        "json",
    ]);
    let row = &rows(&value)[0];
    for key in [
        "job_status",
        "task_state",
        "operation_status",
        "operation_status_name",
        "format",
        "type",
        "data",
    ] {
        assert_eq!(row[key], Value::Null, "{key}");
    }
    let csv = run(&[
        "jobs",
        "--db",
        "demo",
        "--job",
        "C0FFEE00C0FFEE00C0FFEE00C0FFEE03",
        "-f",
        "csv",
    ])
    .1;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let record = reader.records().next().expect("a row").expect("csv");
    assert_eq!(&record[2], "", "null job_status is an empty field");
}

#[test]
fn payloads_come_back_whole_in_machine_formats() {
    let data = field_values(&["--phone", "30449933", "--status", "200"], "data");
    let texts: Vec<&str> = data.iter().filter_map(Value::as_str).collect();
    assert!(
        texts.iter().any(|t| t.starts_with("<DMEConfig>")),
        "xml payload"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("UEsDB") && t.len() > 60),
        "base64"
    );
    assert!(texts.contains(&"DME Client 3.5"), "text payload");
}

#[test]
fn every_format_streams_the_same_rows() {
    let json_rows = rows(&json(&["jobs", "--db", "demo", "-f", "json"])).clone();
    let jsonl = run(&["jobs", "--db", "demo", "-f", "jsonl"]).1;
    let jsonl_rows: Vec<Value> = jsonl
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect();
    assert_eq!(jsonl_rows, json_rows);

    let csv = run(&["jobs", "--db", "demo", "-f", "csv"]).1;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, JOB_KEYS);
    let csv_rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(csv_rows.len(), json_rows.len());
    for (csv_row, json_row) in csv_rows.iter().zip(&json_rows) {
        assert_eq!(csv_row[1], *json_row["job_id"].as_str().expect("id"));
        assert_eq!(csv_row[11], *json_row["data"].as_str().unwrap_or(""));
    }

    let tsv = run(&["jobs", "--db", "demo", "-f", "tsv"]).1;
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), json_rows.len() + 1);
    assert!(
        lines
            .iter()
            .all(|line| line.split('\t').count() == JOB_KEYS.len())
    );
}

#[test]
fn the_table_colours_statuses_by_outcome() {
    let (_, stdout, _) = run(&[
        "jobs", "--db", "demo", "--phone", "30551144", "--color", "always",
    ]);
    let red = "\x1b[38;5;9m 404";
    let green = "\x1b[38;5;10m 200";
    let yellow_101 = "\x1b[38;5;11m 101";
    let yellow_null = "\x1b[38;5;11m —";
    for (what, needle) in [
        ("red", red),
        ("green", green),
        ("101", yellow_101),
        ("null", yellow_null),
    ] {
        assert!(stdout.contains(needle), "{what}: {stdout}");
    }
    let (_, plain, _) = run(&["jobs", "--db", "demo", "--phone", "30551144"]);
    assert!(!plain.contains('\x1b'));
}

#[test]
fn show_sql_inlines_quoted_values_and_runs_nothing() {
    let (code, sql, _) = run(&[
        "jobs",
        "--phone",
        "30116718",
        "--phone",
        "1' OR '1'='1",
        "--since",
        "2010-02-05",
        "--job",
        "8EBB50BF6AB97B3008770FACCE244678",
        "--status",
        "101",
        "--show-sql",
    ]);
    assert_eq!(code, 0, "needs no database");
    // Anything but plain ASCII goes as hex: no client character set can
    // misread it (tests/mysql.rs pastes such SQL under gbk, sjis, cp932, big5).
    assert!(
        sql.contains("d.phoneNumber IN ('30116718', _utf8mb4 X'3127204F52202731273D2731')"),
        "{sql}"
    );
    assert!(sql.contains("j.created >= '2010-02-05 00:00:00'"), "{sql}");
    assert!(
        sql.contains("j.jobID IN ('8EBB50BF6AB97B3008770FACCE244678')"),
        "{sql}"
    );
    assert!(sql.contains("o.statusCode = 101"), "{sql}");
    assert!(
        sql.contains("ORDER BY j.created, j.jobID, t.id, o.operationID"),
        "{sql}"
    );
    assert!(sql.trim_end().ends_with(';'));
}

#[test]
fn the_shown_sql_gives_what_dmtool_gives() {
    let file = SqliteFile::demo();
    let args = ["jobs", "--phone", "30449933", "--failed", "--limit", "4"];
    let sql = run(&[&args[..], &["--show-sql"]].concat()).1;
    let connection = rusqlite::Connection::open(&file.path).expect("opens");
    let mut statement = connection
        .prepare(&sql)
        .expect("the shown SQL is valid SQL");
    let pasted: Vec<(String, i64)> = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(1)?, row.get::<_, i64>(6)?))
        })
        .expect("runs")
        .map(|r| r.expect("row"))
        .collect();
    let ours = common::job_statuses(&args, &file.url());
    assert_eq!(pasted, ours);
    assert_eq!(ours.len(), 4);
}

#[test]
fn injection_strings_match_nothing_and_leave_the_tables_intact() {
    let file = SqliteFile::demo();
    let url = file.url();
    for evil in ["1' OR '1'='1", "'; DROP TABLE dm_job; --"] {
        for flag in ["--phone", "--job"] {
            let (code, stdout, stderr) = run(&["jobs", "--db", &url, flag, evil, "-f", "json"]);
            assert_eq!(code, 0, "{flag} {evil}: {stderr}");
            let value: Value = serde_json::from_str(&stdout).expect("json");
            assert!(rows(&value).is_empty(), "{flag} {evil}");
        }
        for flag in ["--since", "--until", "--status"] {
            let (code, stdout, stderr) = run(&["jobs", "--db", &url, flag, evil]);
            assert_eq!(code, 2, "{flag} {evil} is refused as a bad value");
            assert!(stdout.is_empty());
            assert!(
                stderr.contains(evil),
                "the message names the value: {stderr}"
            );
        }
        let (code, _, _) = run(&["device", "--db", &url, evil]);
        assert_eq!(code, 1, "no such device");
    }
    let connection = rusqlite::Connection::open(&file.path).expect("opens");
    let jobs: i64 = connection
        .query_row("SELECT COUNT(*) FROM dm_job", [], |row| row.get(0))
        .expect("dm_job is still there");
    assert!(jobs > 10);
}

#[test]
fn no_database_is_a_usage_error_that_says_how_to_give_one() {
    let (code, stdout, stderr) = run(&["jobs", "--phone", "30116718"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    for needle in ["--db", "DMTOOL_DB", "--db demo"] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
}

#[test]
fn bad_values_are_usage_errors_naming_the_value() {
    for (args, needle) in [
        (vec!["--since", "2010-02-30"], "2010-02-30"),
        (vec!["--until", "the day before"], "the day before"),
        (vec!["--status", "999"], "999"),
        (vec!["--db", "postgres://h/db"], "postgres://"),
        (vec!["--db", "mysql://root@localhost"], "database"),
        (vec!["--connect-timeout", "0"], "connect-timeout"),
    ] {
        let mut all = vec!["jobs"];
        if !args.contains(&"--db") {
            all.extend(["--db", "demo"]);
        }
        all.extend(args.iter().copied());
        let (code, _, stderr) = run(&all);
        assert_eq!(code, 2, "{all:?}: {stderr}");
        assert!(stderr.contains(needle), "{all:?}: {stderr}");
    }
}

#[test]
fn a_missing_file_and_a_missing_table_are_named() {
    let (code, _, stderr) = run(&["jobs", "--db", "/nonexistent/dme.db"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/dme.db"), "{stderr}");

    let partial = SqliteFile::with_sql(
        "CREATE TABLE dm_devices (devicePK INTEGER PRIMARY KEY, phoneNumber TEXT);
         CREATE TABLE dm_job (jobID TEXT, created TEXT, status TEXT, device INTEGER);",
    );
    let (code, _, stderr) = run(&["jobs", "--db", &partial.url()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("dm_task"),
        "names the missing table: {stderr}"
    );
    assert!(stderr.contains("DME database"), "{stderr}");
}

#[test]
fn dmtools_own_sqlite_connection_refuses_writes() {
    let file = SqliteFile::demo();
    let before = std::fs::read(&file.path).expect("reads");
    for target in [
        dmtool::db::Target::Demo,
        dmtool::db::Target::Sqlite(file.path.clone()),
    ] {
        let mut store = common::open_store(&target);
        for write in [
            "INSERT INTO dm_devices (devicePK, phoneNumber) VALUES (999, '1')",
            "DELETE FROM dm_job",
            "DROP TABLE dm_task",
            "CREATE TABLE x (a INTEGER)",
        ] {
            let error = store
                .execute_unchecked(write)
                .expect_err("a write must be refused");
            let text = format!("{error:#}").to_lowercase();
            assert!(
                text.contains("readonly")
                    || text.contains("read-only")
                    || text.contains("query_only"),
                "{write}: {text}"
            );
        }
    }
    assert_eq!(
        std::fs::read(&file.path).expect("reads"),
        before,
        "file unchanged"
    );
}

#[test]
fn an_unreachable_server_fails_fast_with_a_clear_message() {
    // Nothing listens on port 1.
    let started = Instant::now();
    let (code, _, stderr) = run(&[
        "jobs",
        "--db",
        "mysql://root@127.0.0.1:1/dme",
        "--connect-timeout",
        "2",
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("cannot reach mysql://root@127.0.0.1:1/dme"),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // A port that accepts but never speaks.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("address").port();
    let holder = std::thread::spawn(move || {
        let held = listener.accept();
        std::thread::sleep(Duration::from_secs(3));
        drop(held);
    });
    let started = Instant::now();
    let url = format!("mysql://root@127.0.0.1:{port}/dme");
    let (code, _, stderr) = run(&["jobs", "--db", &url, "--connect-timeout", "1"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no answer within 1s"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    holder.join().expect("joins");
}

#[test]
fn a_password_is_never_printed() {
    let secret = "hunter2-not-shown";
    let url = format!("mysql://dme:{secret}@127.0.0.1:1/dme");
    for args in [
        vec!["jobs", "--db", url.as_str(), "--connect-timeout", "1", "-v"],
        vec!["jobs", "--db", url.as_str(), "--show-sql", "-v"],
        vec![
            "device",
            "--db",
            url.as_str(),
            "30116718",
            "--connect-timeout",
            "1",
        ],
    ] {
        let (_, stdout, stderr) = run(&args);
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{args:?}: {stderr}"
        );
    }
    let (_, _, stderr) = run(&["jobs", "--db", &url, "--connect-timeout", "1", "-v"]);
    assert!(
        stderr.contains("mysql://dme:***@127.0.0.1:1/dme"),
        "{stderr}"
    );
}

#[test]
fn device_tells_the_platform_with_its_evidence() {
    for (phone, platform) in [
        ("30116718", "S60"),
        ("30227711", "Windows Mobile"),
        ("30338822", "Java"),
        ("30773366", "unknown"),
        ("30884477", "S60"),
    ] {
        let report = json(&["device", "--db", "demo", phone, "-f", "json"]);
        let device = &report["devices"][0];
        assert_eq!(device["device"]["phone_number"], phone);
        assert_eq!(device["platform"]["name"], platform, "{phone}");
        let evidence = device["platform"]["evidence"].as_array().expect("evidence");
        assert!(!evidence.is_empty(), "{phone}");
        for probe in evidence {
            let verdict = match probe["status"].as_i64().expect("status") {
                200 => "present",
                404 => "absent",
                _ => "error",
            };
            assert_eq!(probe["verdict"], verdict, "{probe}");
        }
        if platform != "unknown" {
            let present: Vec<&Value> = evidence
                .iter()
                .filter(|e| e["verdict"] == "present")
                .map(|e| &e["platform"])
                .collect();
            assert!(
                present.iter().all(|p| **p == platform),
                "{phone}: {present:?}"
            );
        }
    }
}

#[test]
fn device_counts_outcomes_and_lists_problems_with_hints() {
    let report = json(&["device", "--db", "demo", "30449933", "-f", "json"]);
    let device = &report["devices"][0];
    let jobs = device["jobs"].as_array().expect("jobs");
    assert_eq!(jobs.len(), 3);
    let created: Vec<&str> = jobs
        .iter()
        .map(|j| j["job_created"].as_str().expect("date"))
        .collect();
    let mut sorted = created.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted, "newest first");
    for job in jobs {
        let total = ["ok", "failed", "in_progress", "unanswered"]
            .iter()
            .map(|k| job[*k].as_u64().expect("count"))
            .sum::<u64>();
        assert_eq!(job["operations"].as_u64(), Some(total));
    }
    let explore: Vec<&Value> = jobs.iter().filter(|j| j["kind"] == "explore").collect();
    assert_eq!(explore.len(), 1);
    let problems = device["problems"].as_array().expect("problems");
    let statuses: Vec<i64> = problems
        .iter()
        .map(|p| p["status"].as_i64().expect("status"))
        .collect();
    for code in [404, 401, 500, 507] {
        assert!(statuses.contains(&code), "{code}: {statuses:?}");
    }
    assert!(problems.iter().all(|p| p["hint"].is_string()));
    // The explore job's probe 404s are evidence, not problems.
    assert!(problems.iter().all(|p| p["job_id"] != explore[0]["job_id"]));

    let pending = json(&["device", "--db", "demo", "30551144", "-f", "json"]);
    let problems = pending["devices"][0]["problems"]
        .as_array()
        .expect("problems");
    assert!(problems.iter().any(|p| p["status"] == 101));
    assert!(
        problems
            .iter()
            .any(|p| p["status"].is_null() && p["hint"].is_string())
    );
}

#[test]
fn device_shows_every_device_of_a_phone_newest_first() {
    let report = json(&["device", "--db", "demo", "30662255", "-f", "json"]);
    let devices = report["devices"].as_array().expect("devices");
    let pks: Vec<i64> = devices
        .iter()
        .map(|d| d["device"]["device_pk"].as_i64().expect("pk"))
        .collect();
    assert_eq!(pks, [36, 35]);
    assert_eq!(devices[0]["platform"]["name"], "Windows Mobile");
    assert_eq!(devices[1]["platform"]["name"], "S60");

    let by_pk = json(&["device", "--db", "demo", "--device-pk", "35", "-f", "json"]);
    assert_eq!(by_pk["devices"].as_array().map(Vec::len), Some(1));

    let jsonl = run(&["device", "--db", "demo", "30662255", "-f", "jsonl"]).1;
    assert_eq!(jsonl.lines().count(), 2, "one device per line");

    let (code, _, stderr) = run(&["device", "--db", "demo", "30662255", "-f", "csv"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(&["device", "--db", "demo", "00000000"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("00000000"), "{stderr}");
}

#[test]
fn device_table_reads_as_one_screen() {
    let (code, stdout, _) = run(&["device", "--db", "demo", "30116718"]);
    assert_eq!(code, 0);
    for needle in [
        "Device 30",
        "Platform: S60",
        "D17041E7CF3A2D9E5CC7E52B4AEE70C6",
        "Jobs, newest first",
        "Problems: none",
        "./SCM/Inventory/Delivered",
    ] {
        assert!(stdout.contains(needle), "{needle}: {stdout}");
    }
}

#[test]
fn a_failed_probe_that_is_not_404_is_a_problem_not_a_verdict() {
    let report = json(&["device", "--db", "demo", "30884477", "-f", "json"]);
    let device = &report["devices"][0];
    assert_eq!(device["platform"]["name"], "S60");
    let evidence = device["platform"]["evidence"].as_array().expect("evidence");
    assert!(
        evidence
            .iter()
            .any(|e| e["status"] == 418 && e["verdict"] == "error")
    );
    let problems = device["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["status"], 418);
    assert_eq!(problems[0]["job_id"], device["platform"]["job_id"]);
}

#[test]
fn problem_hints_depend_on_command_and_job() {
    let report = json(&["device", "--db", "demo", "30449933", "-f", "json"]);
    let problems = report["devices"][0]["problems"]
        .as_array()
        .expect("problems");
    let hint = |status: i64, command: &str| {
        problems
            .iter()
            .find(|p| p["status"] == status && p["command"] == command)
            .and_then(|p| p["hint"].as_str())
            .unwrap_or_else(|| panic!("a {status} on {command}: {problems:?}"))
            .to_owned()
    };
    assert!(!hint(404, "Get").contains("explore"), "not an explore job");
    assert!(hint(500, "Exec").contains("install"));
    assert!(hint(401, "Exec").contains("download"));
}

#[test]
fn device_keys_are_snake_case() {
    let report = json(&["device", "--db", "demo", "30116718", "-f", "json"]);
    let device = report["devices"][0]["device"].as_object().expect("object");
    let keys: Vec<&String> = device.keys().collect();
    assert_eq!(keys, ["device_pk", "phone_number", "imei", "model"]);
}

#[test]
fn a_closed_pipe_mid_export_is_quiet_and_successful() {
    // Enough rows to pass the 64 KiB stdout buffer many times over.
    let big = SqliteFile::with_sql(&format!(
        "{}\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)\n\
         INSERT INTO dm_operation SELECT 100000 + i, 180, 'Get', 200, 1 FROM n;",
        common::DEMO_SQL
    ));
    let url = big.url();
    for format in ["csv", "tsv", "jsonl", "json", "table"] {
        let (code, stderr) =
            common::with_stdout_closed_early(&["jobs", "--db", &url, "--format", format], true);
        assert_eq!(code, Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn messages_name_the_option_and_never_a_mistyped_urls_password() {
    let (_, _, stderr) = run(&["jobs", "--db", "demo", "--since", "2010-13-01"]);
    assert!(
        stderr.contains("--since: '2010-13-01' is not a date"),
        "{stderr}"
    );
    let (_, _, stderr) = run(&["jobs", "--db", "demo", "--status", "999"]);
    assert!(
        stderr.contains("--status: unknown status code 999"),
        "{stderr}"
    );
    for typo in ["mysql:/dme:Pa55w0rd@db/dme", "dme:Pa55w0rd@db/dme"] {
        let (code, stdout, stderr) = run(&["jobs", "--db", typo, "-v"]);
        assert_eq!(code, 2, "{typo}: {stderr}");
        assert!(
            !stderr.contains("Pa55w0rd") && !stdout.contains("Pa55w0rd"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = run(&["status", "-5"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("'-5' is not a status code"), "{stderr}");
}

/// A copy of the demo database in WAL mode, in a folder of its own.
fn wal_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dme-copy.db");
    let connection = rusqlite::Connection::open(&path).expect("create");
    connection
        .pragma_update(None, "journal_mode", "WAL")
        .expect("WAL");
    connection.execute_batch(common::DEMO_SQL).expect("loads");
    drop(connection);
    (dir, path)
}

#[test]
fn a_sqlite_copy_is_left_untouched_and_what_is_no_database_says_so() {
    // A copy of a WAL-mode database: reading it creates nothing beside it.
    let (dir, path) = wal_copy();
    let before: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name())
        .collect();
    let url = format!("sqlite:{}", path.display());
    let shown = json(&["jobs", "--db", &url, "--phone", "30116718", "-f", "json"]);
    assert!(!rows(&shown).is_empty());
    let after: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name())
        .collect();
    assert_eq!(before, after, "nothing created beside the copy");
    // Not a database: said so, exit 2.
    let text = dir.path().join("server.log");
    std::fs::write(&text, "2010-06-28 13:48:20,001 INFO started\n").expect("write");
    let (_, stderr) = fails_with(
        &[
            "jobs",
            "--db",
            &format!("sqlite:{}", text.display()),
            "--phone",
            "1",
        ],
        2,
    );
    assert!(stderr.contains("is not a SQLite database"), "{stderr}");
    let (_, stderr) = fails_with(
        &[
            "jobs",
            "--db",
            &format!("sqlite:{}", dir.path().display()),
            "--phone",
            "1",
        ],
        2,
    );
    assert!(
        stderr.contains("is a folder, not a SQLite database file"),
        "{stderr}"
    );
}

#[test]
fn a_query_that_never_ends_is_stopped_at_the_query_timeout() {
    // A copy whose dm_job is a view that recurses for ever.
    let sql = format!(
        "{}\nDROP TABLE dm_job;\nCREATE VIEW dm_job AS WITH RECURSIVE r(n) AS \
         (SELECT 1 UNION ALL SELECT n + 1 FROM r) \
         SELECT 'x' AS jobID, '2010-01-01' AS created, 'x' AS status, m AS device \
         FROM (SELECT max(n) AS m FROM r);\n",
        common::DEMO_SQL
    );
    let file = SqliteFile::with_sql(&sql);
    let started = Instant::now();
    let output = dmtool()
        .args([
            "jobs",
            "--db",
            &file.url(),
            "--phone",
            "30116718",
            "--query-timeout",
            "1",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("dmtool runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("ran longer than 1s and was stopped"),
        "{stderr}"
    );
    assert!(stderr.contains("--query-timeout"), "{stderr}");
    // A bad timeout is a usage error.
    let (_, stderr) = fails_with(&["jobs", "--db", "demo", "--query-timeout=-1"], 2);
    assert!(stderr.contains("--query-timeout -1"), "{stderr}");
}

/// Makes a folder immutable (even to root, on ext4) while it lives.
struct Immutable<'a>(&'a std::path::Path);

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(self.0)
            .status();
    }
}

#[test]
fn a_sqlite_copy_in_a_read_only_folder_opens() {
    let (dir, path) = wal_copy();
    // Permissions do not stop root (the tests' user in CI): an immutable
    // folder does, where the file system has the flag.
    let locked = std::process::Command::new("chattr")
        .arg("+i")
        .arg(dir.path())
        .status()
        .is_ok_and(|status| status.success());
    if !locked || std::fs::write(dir.path().join("probe"), "x").is_ok() {
        common::notice(
            "NOTICE: read-only folder test SKIPPED: cannot make a folder read-only here",
        );
        return;
    }
    let _unlock = Immutable(dir.path());
    let url = format!("sqlite:{}", path.display());
    let shown = json(&["jobs", "--db", &url, "--phone", "30116718", "-f", "json"]);
    assert!(!rows(&shown).is_empty());
}

#[test]
fn an_imei_selects_the_device_as_its_phone_number_does() {
    // The guide's phone by IMEI, written as the log's LocURI or bare.
    let by_phone = json(&["jobs", "--db", "demo", "--phone", "30449933", "-f", "json"]);
    for imei in [
        "IMEI:356938035111111",
        "356938035111111",
        "imei:356938035111111",
    ] {
        let by_imei = json(&["jobs", "--db", "demo", "--imei", imei, "-f", "json"]);
        assert_eq!(by_imei, by_phone, "{imei}");
        let device = json(&["device", "--db", "demo", "--imei", imei, "-f", "json"]);
        assert_eq!(device["devices"][0]["device"]["device_pk"], 33, "{imei}");
        assert_eq!(device["imei"], imei);
    }
    let (_, stderr) = fails_with(&["device", "--db", "demo", "--imei", "IMEI:1"], 1);
    assert!(stderr.contains("no device has IMEI IMEI:1"), "{stderr}");
    // A database without an imei column says so.
    let file =
        SqliteFile::with_sql("CREATE TABLE dm_devices (devicePK INTEGER, phoneNumber TEXT);");
    let (_, stderr) = fails_with(&["device", "--db", &file.url(), "--imei", "1"], 1);
    assert!(stderr.contains("no imei column"), "{stderr}");
    // A device key no device has is told about device keys.
    let (_, stderr) = fails_with(&["device", "--db", "demo", "--device-pk", "999"], 1);
    assert!(
        stderr.contains("device keys are dm_devices.devicePK"),
        "{stderr}"
    );
}

/// `dmtool db check --format json` on a database.
fn db_check(url: &str) -> Value {
    json(&["db", "check", "--db", url, "-f", "json"])
}

#[test]
fn db_check_names_tables_indexes_plans_and_what_to_create() {
    // The demo: every table, column and index the queries need.
    let report = db_check("demo");
    assert!(
        report["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .all(|t| t["found"] == true)
    );
    assert!(
        report["indexes"]
            .as_array()
            .expect("indexes")
            .iter()
            .all(|i| !i["index"].is_null())
    );
    assert_eq!(report["create_index"], serde_json::json!([]));
    assert!(
        report["server_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("SQLite "))
    );
    assert_eq!(report["tables"][0]["rows"], 9);
    // A copy without the index on dm_operation.task: its full scan is named
    // from SQLite's own plan, and the statement a DBA would run is given.
    let file = SqliteFile::with_sql(&format!(
        "{}\nDROP INDEX dm_operation_task;",
        common::DEMO_SQL
    ));
    let report = db_check(&file.url());
    assert_eq!(
        report["create_index"],
        serde_json::json!(["CREATE INDEX dm_operation_task ON dm_operation (task);"])
    );
    let jobs_plan = &report["plans"][0];
    assert_eq!(jobs_plan["query"], "jobs --phone");
    assert_eq!(jobs_plan["full_scans"], serde_json::json!(["dm_operation"]));
    // The copy is writable by its owner: said, and dmtool still only reads it.
    assert_eq!(report["can_write"]["writes"], true);
    // A database that is not DME's: the missing tables and columns, not an error.
    let other = SqliteFile::with_sql("CREATE TABLE dm_devices (devicePK INTEGER, imei TEXT);");
    let report = db_check(&other.url());
    let tables = report["tables"].as_array().expect("tables");
    assert_eq!(tables[0]["found"], true);
    assert_eq!(tables[0]["columns"][1]["column"], "phoneNumber");
    assert_eq!(tables[0]["columns"][1]["found"], false);
    assert!(tables[1..].iter().all(|t| t["found"] == false));
    assert_eq!(report["plans"], serde_json::json!([]));
    // The text report says the same for people.
    let (code, text, stderr) = run(&["db", "check", "--db", &file.url()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("reads whole: dm_operation"), "{text}");
    assert!(text.contains("CREATE INDEX dm_operation_task"), "{text}");
}
