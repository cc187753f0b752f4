//! The same cases on a real MariaDB/MySQL server and on SQLite, outputs compared;
//! and what only a server can show: read-only sessions, a wrong password, a
//! missing table. Each test loads `testdata/demo.sql` into a database of its own
//! and drops it afterwards. Without a reachable server the tests are skipped with
//! a notice, except in CI, where they fail (see `common::mysql_server`).

mod common;

use common::{MysqlDb, SqliteFile, json, mysql_server, run};

/// How many rows a table of the demo database has (counted in SQLite).
fn demo_count(table: &str) -> u64 {
    let file = SqliteFile::demo();
    let connection = rusqlite::Connection::open(&file.path).expect("opens");
    let count: i64 = connection
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .expect("counts");
    u64::try_from(count).expect("a count")
}

/// Every filter, their combinations, empty results and NULLs.
const CASES: &[&[&str]] = &[
    &["jobs"],
    &["jobs", "--phone", "30116718"],
    &["jobs", "--phone", "30116718", "--phone", "30227711"],
    &["jobs", "--phone", "30662255"],
    &["jobs", "--device-pk", "33", "--device-pk", "34"],
    &["jobs", "--since", "2010-06-30"],
    &["jobs", "--until", "2010-06-29"],
    &[
        "jobs",
        "--since",
        "2010-06-29T09:15:00",
        "--until",
        "2010-07-01T10:02:11",
    ],
    &["jobs", "--job", "8EBB50BF6AB97B3008770FACCE244679"],
    &[
        "jobs",
        "--job",
        "c0ffee00c0ffee00c0ffee00c0ffee03",
        "--job",
        "D17041E7CF3A2D9E5CC7E52B4AEE70C6",
    ],
    &["jobs", "--status", "404"],
    &["jobs", "--status", "4xx", "--status", "500"],
    &["jobs", "--status", "none"],
    &["jobs", "--status", "101", "--status", "none"],
    &["jobs", "--failed"],
    &[
        "jobs",
        "--failed",
        "--phone",
        "30449933",
        "--since",
        "2010-06-29",
    ],
    &["jobs", "--limit", "5"],
    &["jobs", "--phone", "00000000"],
    &["jobs", "--phone", "1' OR '1'='1"],
    &["jobs", "--job", "'; DROP TABLE dm_job; --"],
    &["jobs", "--phone", "'; DROP TABLE dm_job; --", "--failed"],
    &["device", "30116718"],
    &["device", "30449933"],
    &["device", "30551144"],
    &["device", "30662255"],
    &["device", "--device-pk", "37"],
    &["jobs", "--imei", "356938035111111"],
    &["device", "--imei", "IMEI:356938035643809"],
    // One phone end to end: the same joins and verdicts on MySQL.
    &[
        "device",
        "30227711",
        "--log",
        "testdata/journeys/agrees.log",
    ],
    &[
        "device",
        "30551144",
        "--log",
        "testdata/journeys/lost-exec.log",
    ],
    &[
        "device",
        "30884477",
        "--log",
        "testdata/journeys/db-only.log",
    ],
    &[
        "device",
        "30773366",
        "--log",
        "testdata/journeys/package0.log",
    ],
    &[
        "device",
        "30449933",
        "--log",
        "testdata/journeys/auth-loop.log",
    ],
];

#[test]
fn mysql_and_sqlite_give_the_same_answers() {
    let Some(server) = mysql_server() else { return };
    let mut mysql = MysqlDb::demo(&server);
    let sqlite = SqliteFile::demo();
    let sqlite_url = sqlite.url();
    for case in CASES {
        for format in ["json", "csv", "tsv"] {
            if case[0] == "device" && format != "json" {
                continue;
            }
            // -q: the test account's write privileges are warned of on stderr.
            let on_mysql = run(&[case, &["--db", &mysql.url, "-f", format, "-q"][..]].concat());
            let on_sqlite = run(&[case, &["--db", &sqlite_url, "-f", format][..]].concat());
            assert_eq!(on_mysql.0, 0, "{case:?} on MySQL: {}", on_mysql.2);
            assert_eq!(on_mysql, on_sqlite, "{case:?} --format {format}");
        }
    }
    // The verdicts on MySQL are the journeys' own (not only equal to SQLite's).
    for (phone, log, broke_at) in [
        ("30551144", "lost-exec", "session_lost"),
        ("30773366", "package0", "package0"),
        ("30449933", "auth-loop", "authentication"),
    ] {
        let report = json(&[
            "device",
            phone,
            "--db",
            &mysql.url,
            "-q",
            "--log",
            &format!("testdata/journeys/{log}.log"),
            "-f",
            "json",
        ]);
        assert_eq!(report["devices"][0]["log"]["verdict"]["broke_at"], broke_at);
    }
    // The guide's nine rows, on MySQL too.
    let value = json(&[
        "jobs", "--db", &mysql.url, "--phone", "30116718", "-f", "json",
    ]);
    assert_eq!(value.as_array().map(Vec::len), Some(9));
    // The injection cases left every table as it was.
    assert_eq!(
        mysql.count("SELECT COUNT(*) FROM dm_job"),
        demo_count("dm_job")
    );
    assert_eq!(
        mysql.count("SELECT COUNT(*) FROM dm_operation"),
        demo_count("dm_operation")
    );
}

#[test]
fn bad_values_are_refused_before_they_reach_the_server() {
    let Some(server) = mysql_server() else { return };
    let mut mysql = MysqlDb::demo(&server);
    for flag in ["--since", "--until", "--status"] {
        let (code, _, stderr) = run(&["jobs", "--db", &mysql.url, flag, "1' OR '1'='1"]);
        assert_eq!(code, 2, "{flag}: {stderr}");
    }
    assert_eq!(
        mysql.count("SELECT COUNT(*) FROM dm_job"),
        demo_count("dm_job")
    );
}

#[test]
fn the_shown_sql_pastes_into_mysql() {
    use mysql::prelude::Queryable;
    let Some(server) = mysql_server() else { return };
    let mysql = MysqlDb::demo(&server);
    let args = [
        "jobs",
        "--phone",
        "30449933",
        "--phone",
        "x' OR 'a'='a",
        "--failed",
    ];
    let sql = run(&[&args[..], &["--show-sql"]].concat()).1;
    let mut conn =
        ::mysql::Conn::new(::mysql::Opts::from_url(&mysql.url).expect("url")).expect("connects");
    let pasted: Vec<(String, i64)> = conn
        .query_map(sql.trim_end().trim_end_matches(';'), |row: ::mysql::Row| {
            let row: (String, String, String, i64, String, String, i64) = (
                row.get(0).expect("created"),
                row.get(1).expect("id"),
                row.get(2).expect("status"),
                row.get(3).expect("task"),
                row.get(4).expect("state"),
                row.get(5).expect("command"),
                row.get(6).expect("status code"),
            );
            (row.1, row.6)
        })
        .expect("the shown SQL runs on MySQL");
    let ours = common::job_statuses(&args, &mysql.url);
    assert_eq!(pasted, ours);
    assert!(!ours.is_empty());
}

/// The shown SQL pasted into the real `mariadb` client under each client
/// character set that reads a multi-byte character's last byte and a
/// following backslash as one character: a value built to break out of its
/// quotes that way matches nothing, and every table is still there.
#[test]
fn the_shown_sql_is_safe_to_paste_under_any_client_character_set() {
    let Some(server) = mysql_server() else { return };
    let client = std::process::Command::new("mariadb")
        .arg("--version")
        .output();
    if client.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: the mariadb client is missing"
        );
        common::notice("NOTICE: client character set test SKIPPED: no mariadb client");
        return;
    }
    let mut mysql = MysqlDb::demo(&server);
    let jobs = mysql.count("SELECT COUNT(*) FROM dm_job");
    let (host, port) = {
        let opts = ::mysql::Opts::from_url(&server).expect("url");
        (opts.get_ip_or_hostname().to_string(), opts.get_tcp_port())
    };
    // A character whose last UTF-8 byte (0xBF, 0x5C…) a gbk, sjis, cp932 or
    // big5 client takes with the next byte, then a backslash and a quote.
    // (With quotes doubled and backslashes escaped, as --show-sql wrote them
    // before, the first two dropped the table under gbk and big5, the third
    // under sjis and cp932.)
    for hostile in [
        "\u{7e3a}\\') OR 1=1; DROP TABLE dm_job; -- ",
        "\u{bf}\\') OR 1=1; DROP TABLE dm_job; -- ",
        "\u{3041}\\') OR 1=1; DROP TABLE dm_job; -- ",
    ] {
        let sql = run(&["jobs", "--phone", hostile, "--show-sql"]).1;
        for charset in ["gbk", "sjis", "cp932", "big5", "utf8mb4"] {
            let output = std::process::Command::new("mariadb")
                .args([
                    "--protocol=tcp",
                    "-h",
                    &host,
                    "-P",
                    &port.to_string(),
                    "-u",
                    "root",
                    &format!("--default-character-set={charset}"),
                    "--batch",
                    &mysql.name,
                ])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut child| {
                    use std::io::Write;
                    child
                        .stdin
                        .take()
                        .expect("stdin")
                        .write_all(sql.as_bytes())?;
                    child.wait_with_output()
                })
                .expect("mariadb runs");
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{charset}: {stderr}\n{sql}");
            assert!(
                stdout.trim().is_empty(),
                "{charset}: matched rows: {stdout}"
            );
            assert_eq!(
                mysql.count("SELECT COUNT(*) FROM dm_job"),
                jobs,
                "{charset}"
            );
        }
    }
}

#[test]
fn dmtools_own_mysql_session_refuses_writes() {
    let Some(server) = mysql_server() else { return };
    let mut mysql = MysqlDb::demo(&server);
    let target = dmtool::db::Target::parse(&mysql.url).expect("parses");
    let mut store = common::open_store(&target);
    for write in [
        "INSERT INTO dm_devices (devicePK, phoneNumber) VALUES (999, '1')",
        "UPDATE dm_operation SET statusCode = 200",
        "DELETE FROM dm_job",
        "DROP TABLE dm_task",
        "CREATE TABLE dmtool_probe (a INT)",
    ] {
        let error = store.execute_unchecked(write).expect_err("refused");
        assert!(
            format!("{error:#}").contains("READ ONLY"),
            "{write}: {error:#}"
        );
    }
    drop(store);
    assert_eq!(
        mysql.count("SELECT COUNT(*) FROM dm_job"),
        demo_count("dm_job")
    );
    assert_eq!(
        mysql.count("SELECT COUNT(*) FROM dm_devices WHERE devicePK = 999"),
        0
    );
    assert_eq!(
        mysql.count(&format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{}'",
            mysql.name
        )),
        6
    );
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let Some(server) = mysql_server() else { return };
    let mysql = MysqlDb::demo(&server);
    let secret = "wrong-Secret-42";
    // The tests' server lets root in without a password, so use a user that
    // does not exist: the server refuses it like a wrong password.
    let rest = mysql.url["mysql://".len()..]
        .split_once('@')
        .map(|(_, rest)| rest.to_owned())
        .expect("user@host");
    let url = format!("mysql://nobody_dmtool:{secret}@{rest}");
    let (code, stdout, stderr) = run(&["jobs", "--db", &url, "-v"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Access denied"), "{stderr}");
    assert!(stderr.contains("mysql://nobody_dmtool:***@"), "{stderr}");
    assert!(
        !stderr.contains(secret) && !stdout.contains(secret),
        "{stderr}"
    );

    // The same through --password-file.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("password");
    std::fs::write(&file, format!("{secret}\n")).expect("writes");
    let url = format!("mysql://nobody_dmtool@{rest}");
    let file = file.to_string_lossy().into_owned();
    let (code, stdout, stderr) = run(&["jobs", "--db", &url, "--password-file", &file]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Access denied"), "{stderr}");
    assert!(
        !stderr.contains(secret) && !stdout.contains(secret),
        "{stderr}"
    );
}

#[test]
fn a_missing_table_is_named() {
    let Some(server) = mysql_server() else { return };
    let partial = MysqlDb::create(
        &server,
        "CREATE TABLE dm_devices (devicePK INTEGER PRIMARY KEY, phoneNumber VARCHAR(32));\n\
         CREATE TABLE dm_job (jobID CHAR(32) PRIMARY KEY, created DATETIME, status VARCHAR(32), device INTEGER);\n",
    );
    let (code, _, stderr) = run(&["jobs", "--db", &partial.url]);
    assert_eq!(code, 1);
    assert!(stderr.contains("dm_task"), "{stderr}");
    assert!(stderr.contains("DME database"), "{stderr}");
}

#[test]
fn a_missing_database_is_named() {
    let Some(server) = mysql_server() else { return };
    let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
    let url = format!("{base}/dmtool_no_such_database");
    let (code, _, stderr) = run(&["jobs", "--db", &url]);
    assert_eq!(code, 1);
    assert!(stderr.contains("dmtool_no_such_database"), "{stderr}");
}

#[test]
fn a_closed_pipe_abandons_a_large_mysql_result_quietly() {
    let Some(server) = mysql_server() else { return };
    let sql = format!(
        "{}\nSET SESSION max_recursive_iterations = 100000;\nINSERT INTO dm_operation WITH RECURSIVE n(i) AS \
         (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) \
         SELECT 100000 + i, 180, 'Get', 200, 1 FROM n;\n",
        common::DEMO_SQL
    );
    let big = MysqlDb::create(&server, &sql);
    for format in ["csv", "jsonl"] {
        let (code, stderr) = common::with_stdout_closed_early(
            &["jobs", "--db", &big.url, "--format", format, "-q"],
            true,
        );
        assert_eq!(code, Some(0), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

#[test]
fn a_password_is_asked_for_on_a_terminal_when_the_server_wants_one() {
    use mysql::prelude::Queryable;
    let Some(server) = mysql_server() else { return };
    if !common::has_script("prompt") {
        return;
    }
    let db = MysqlDb::demo(&server);
    let user = format!("{}_u", db.name);
    let mut admin =
        ::mysql::Conn::new(::mysql::Opts::from_url(&server).expect("url")).expect("connects");
    admin
        .query_drop(format!(
            "CREATE USER '{user}'@'%' IDENTIFIED BY 'Typed-Pw-1'"
        ))
        .expect("creates a user");
    admin
        .query_drop(format!("GRANT SELECT ON `{}`.* TO '{user}'@'%'", db.name))
        .expect("grants");
    let rest = db.url["mysql://".len()..]
        .split_once('@')
        .map(|(_, rest)| rest.to_owned())
        .expect("user@host");
    let url = format!("mysql://{user}@{rest}");
    // `script` gives dmtool a terminal; the password is typed into it.
    let command = format!(
        "{} jobs --db {url} --phone 30116718 --format csv",
        assert_cmd::cargo::cargo_bin("dmtool").display()
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawns script");
    // Type only once the prompt is there (typed ahead, a terminal echoes it).
    let mut stdout = child.stdout.take().expect("stdout");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains(": ") {
        use std::io::Read;
        if stdout.read(&mut byte).expect("reads") == 0 {
            break;
        }
        seen.push(byte[0]);
    }
    // The prompt is printed just before echo is switched off; a person types
    // later than that, and so does this test.
    std::thread::sleep(std::time::Duration::from_millis(500));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"Typed-Pw-1\n").expect("types");
    }
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut stdout, &mut rest).expect("reads");
    seen.extend(rest);
    child.wait().expect("exits");
    let _ = admin.query_drop(format!("DROP USER '{user}'@'%'"));
    let text = String::from_utf8_lossy(&seen);
    assert!(text.contains(&format!("Password for {user}@")), "{text}");
    assert!(!text.contains("Typed-Pw-1"), "not echoed: {text}");
    assert_eq!(
        text.matches("D17041E7CF3A2D9E5CC7E52B4AEE70C6").count(),
        9,
        "{text}"
    );
}

#[test]
fn a_slow_query_is_stopped_by_the_server_at_the_query_timeout() {
    let Some(server) = mysql_server() else { return };
    // dm_devices as a view that sleeps 2 s a row.
    let sql = format!(
        "{}\nCREATE TABLE devices_table AS SELECT * FROM dm_devices;\nDROP TABLE dm_devices;\n\
         CREATE VIEW dm_devices AS SELECT * FROM devices_table WHERE SLEEP(2) = 0;\n",
        common::DEMO_SQL
    );
    let mysql = MysqlDb::create(&server, &sql);
    let started = std::time::Instant::now();
    let (code, _, stderr) = run(&[
        "jobs",
        "--db",
        &mysql.url,
        "--phone",
        "30116718",
        "--query-timeout",
        "1",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert!(stderr.contains("--query-timeout"), "{stderr}");
}

/// A fake MySQL server that greets, then answers the login with an auth
/// switch to caching_sha2_password and a one-byte "more data" packet: the
/// driver indexes past its end. It must come out as a clear error, exit 1.
#[test]
fn a_server_that_sends_a_malformed_login_packet_gets_an_error_not_a_crash() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::spawn(move || {
        let packet = |seq: u8, payload: &[u8]| {
            let length = u32::try_from(payload.len()).expect("short").to_le_bytes();
            [&length[..3], &[seq], payload].concat()
        };
        let Ok((mut client, _)) = listener.accept() else {
            return;
        };
        let mut greeting = vec![10];
        greeting.extend_from_slice(b"5.7.0-fake\0");
        greeting.extend_from_slice(&1u32.to_le_bytes());
        greeting.extend_from_slice(b"abcdefgh\0");
        greeting.extend_from_slice(&(!0x0800u16).to_le_bytes());
        greeting.push(33);
        greeting.extend_from_slice(&2u16.to_le_bytes());
        greeting.extend_from_slice(&0x00ffu16.to_le_bytes());
        greeting.push(21);
        greeting.extend_from_slice(&[0; 10]);
        greeting.extend_from_slice(b"ijklmnopqrst\0mysql_native_password\0");
        let mut buffer = [0u8; 4096];
        let _ = client.write_all(&packet(0, &greeting));
        let _ = client.read(&mut buffer);
        let _ = client.write_all(&packet(2, b"\xfecaching_sha2_password\0"));
        let _ = client.read(&mut buffer);
        let _ = client.write_all(&packet(4, b"\x01"));
        let _ = client.read(&mut buffer);
    });
    let url = format!("mysql://root:pw@127.0.0.1:{port}/dme");
    let (code, stdout, stderr) = run(&["jobs", "--db", &url, "--phone", "1"]);
    server.join().expect("the fake server ends");
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stderr.contains("Error {"),
        "no driver debug text: {stderr}"
    );
    assert!(
        stderr.contains("the server sent a packet the MySQL driver cannot read"),
        "{stderr}"
    );
    assert!(!stderr.contains(":pw@"), "no password: {stderr}");
}

#[test]
fn an_account_that_may_write_is_named_once_and_quietly_with_q() {
    use mysql::prelude::Queryable;
    let Some(server) = mysql_server() else { return };
    let mysql = MysqlDb::demo(&server);
    let args = ["jobs", "--db", &mysql.url, "--phone", "30116718"];
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("may write to").count(), 1, "{stderr}");
    assert!(stderr.contains("ALL PRIVILEGES"), "{stderr}");
    let (_, _, quiet) = run(&[&args[..], &["-q"]].concat());
    assert!(!quiet.contains("may write"), "{quiet}");
    // A SELECT-only account: nothing to say.
    let user = format!("{}_ro", mysql.name);
    let mut admin =
        ::mysql::Conn::new(::mysql::Opts::from_url(&server).expect("url")).expect("connects");
    admin
        .query_drop(format!(
            "CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED BY 'ro-pass'"
        ))
        .expect("create user");
    admin
        .query_drop(format!(
            "GRANT SELECT ON `{}`.* TO '{user}'@'%'",
            mysql.name
        ))
        .expect("grant");
    let url = mysql.url.replacen("root@", &format!("{user}:ro-pass@"), 1);
    let (code, stdout, stderr) = run(&["jobs", "--db", &url, "--phone", "30116718"]);
    let _ = admin.query_drop(format!("DROP USER IF EXISTS '{user}'@'%'"));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.is_empty());
    assert!(!stderr.contains("may write"), "{stderr}");
}

/// Runs dmtool with `HOME` (for `~/.my.cnf`) and extra environment.
fn run_with_env(
    args: &[&str],
    home: &std::path::Path,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut command = common::dmtool();
    command.args(args).env("HOME", home).env_remove("MYSQL_PWD");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("dmtool runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn my_cnf_and_mysql_pwd_are_read_as_the_mysql_client_reads_them() {
    use ::mysql::prelude::Queryable;
    let Some(server) = mysql_server() else { return };
    let db = MysqlDb::demo(&server);
    let user = format!("{}_c", db.name);
    let mut admin =
        ::mysql::Conn::new(::mysql::Opts::from_url(&server).expect("url")).expect("connects");
    admin
        .query_drop(format!("CREATE USER '{user}'@'%' IDENTIFIED BY 'Cnf-Pw-1'"))
        .expect("creates a user");
    admin
        .query_drop(format!("GRANT SELECT ON `{}`.* TO '{user}'@'%'", db.name))
        .expect("grants");
    // host:port/db of the test database, without its user.
    let location = db.url["mysql://".len()..]
        .split_once('@')
        .map(|(_, rest)| rest.to_owned())
        .expect("user@host");
    let (host_port, name) = location.split_once('/').expect("host/db");
    let (host, port) = host_port.rsplit_once(':').expect("host:port");
    let home = tempfile::tempdir().expect("home");
    let cnf = home.path().join(".my.cnf");
    let rows = |stdout: &str| {
        serde_json::from_str::<serde_json::Value>(stdout)
            .map_or(0, |v| v.as_array().map_or(0, Vec::len))
    };
    let args_of = |url: &str| -> Vec<String> {
        ["jobs", "--db", url, "--phone", "30116718", "-f", "json"]
            .map(str::to_owned)
            .to_vec()
    };

    // ~/.my.cnf gives the user, the password, the host and the port: the URL
    // names only the database.
    std::fs::write(
        &cnf,
        format!("[mysqld]\nuser = mysql\n[client]\nuser = {user}\npassword = \"Cnf-Pw-1\"\nhost = {host}\nport = {port}\n"),
    )
    .expect("writes");
    let url = format!("mysql:///{name}");
    let args = args_of(&url);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run_with_env(&args, home.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows(&stdout), 9);
    assert!(!stderr.contains("Cnf-Pw-1"), "{stderr}");

    // The URL wins: its user and password over a wrong ~/.my.cnf.
    std::fs::write(&cnf, "[client]\nuser = nobody\npassword = wrong\n").expect("writes");
    let url = format!("mysql://{user}:Cnf-Pw-1@{location}");
    let args = args_of(&url);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run_with_env(&args, home.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows(&stdout), 9);

    // MYSQL_PWD, when nothing else gives a password.
    std::fs::write(&cnf, "[client]\n").expect("writes");
    let url = format!("mysql://{user}@{location}");
    let args = args_of(&url);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run_with_env(&args, home.path(), &[("MYSQL_PWD", "Cnf-Pw-1")]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows(&stdout), 9);
    // Without it: refused, the password never shown.
    let (code, _, stderr) = run_with_env(&args, home.path(), &[]);
    assert_eq!(code, 1, "{stderr}");

    // A private CA turns TLS on; a server without TLS says so, no panic.
    let url = format!(
        "mysql://{user}:Cnf-Pw-1@{location}?ssl-ca={}",
        cnf.display()
    );
    let args = args_of(&url);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = run_with_env(&args, home.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("TLS"), "{stderr}");
    let _ = admin.query_drop(format!("DROP USER '{user}'@'%'"));
}

#[test]
fn db_check_on_mariadb_reads_its_plan_grants_and_estimates() {
    use ::mysql::prelude::Queryable;
    let Some(server) = mysql_server() else { return };
    let db = MysqlDb::demo(&server);
    let report = json(&["db", "check", "--db", &db.url, "-q", "-f", "json"]);
    assert!(
        report["server_version"]
            .as_str()
            .is_some_and(|v| !v.starts_with("SQLite"))
    );
    assert!(
        report["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .all(|t| t["found"] == true)
    );
    assert_eq!(report["create_index"], serde_json::json!([]));
    // The test account is root: it can write, and the check says so.
    assert_eq!(report["can_write"]["writes"], true);
    // Without the index on dm_operation.task, MariaDB's EXPLAIN reads it whole.
    let mut admin =
        ::mysql::Conn::new(::mysql::Opts::from_url(&db.url).expect("url")).expect("connects");
    admin
        .query_drop("DROP INDEX dm_operation_task ON dm_operation")
        .expect("drops the index");
    let report = json(&["db", "check", "--db", &db.url, "-q", "-f", "json"]);
    assert_eq!(
        report["create_index"],
        serde_json::json!(["CREATE INDEX dm_operation_task ON dm_operation (task);"])
    );
    assert!(
        report["plans"][0]["full_scans"]
            .as_array()
            .expect("full scans")
            .iter()
            .any(|t| t == "dm_operation"),
        "{report:#}"
    );
}

/// A MariaDB server of the test's own with TLS from a private CA, stopped
/// when dropped: what a self-signed production server looks like.
struct TlsServer {
    child: std::process::Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl TlsServer {
    /// The server, or `None` (a notice; a failure in CI) without the tools.
    fn start() -> Option<Self> {
        let tools = ["openssl", "mariadb-install-db", "mariadbd", "mariadb"];
        if let Some(missing) = tools.iter().find(|tool| {
            std::process::Command::new("which")
                .arg(tool)
                .output()
                .map_or(true, |out| !out.status.success())
        }) {
            if std::env::var_os("CI").is_some() {
                panic!("CI: {missing} is missing for the TLS test (bash .ci/run installs MariaDB)");
            }
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "NOTICE: TLS test SKIPPED: no {missing}");
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
        let sh = |script: &str| {
            let status = std::process::Command::new("sh")
                .args(["-c", script])
                .current_dir(dir.path())
                .output()
                .expect("sh runs");
            assert!(
                status.status.success(),
                "{script}: {}",
                String::from_utf8_lossy(&status.stderr)
            );
        };
        // A CA, and a certificate it signs for 127.0.0.1.
        sh(
            "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=dmtool test CA' \
            && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' \
            && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > ext.cnf \
            && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf",
        );
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
        let user = if root { "--user=root" } else { "" };
        sh(&format!(
            "mariadb-install-db --no-defaults {user} --datadir='{}' --auth-root-authentication-method=normal",
            path("data")
        ));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut command = std::process::Command::new("mariadbd");
        command.arg("--no-defaults");
        if root {
            command.arg("--user=root");
        }
        let child = command
            .args([
                format!("--datadir={}", path("data")),
                format!("--port={port}"),
                "--bind-address=127.0.0.1".to_owned(),
                format!("--socket={}", path("sock")),
                format!("--pid-file={}", path("pid")),
                format!("--ssl-cert={}", path("server.pem")),
                format!("--ssl-key={}", path("server.key")),
                format!("--ssl-ca={}", path("ca.pem")),
                "--skip-grant-tables".to_owned(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("mariadbd starts");
        let server = Self { child, dir, port };
        for _ in 0..80 {
            if server.sql("SELECT 1").is_ok() {
                return Some(server);
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        panic!("the TLS test server did not come up");
    }

    /// Runs SQL with the real `mariadb` client (stdin: `input`).
    fn sql(&self, statement: &str) -> Result<(), String> {
        let output = std::process::Command::new("mariadb")
            .args([
                "--protocol=tcp",
                "-h127.0.0.1",
                &format!("-P{}", self.port),
                "-uroot",
                "-e",
                statement,
            ])
            .output()
            .map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    fn ca(&self) -> String {
        self.dir
            .path()
            .join("ca.pem")
            .to_string_lossy()
            .into_owned()
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_self_signed_server_is_reached_with_its_private_ca() {
    let Some(server) = TlsServer::start() else {
        return;
    };
    server.sql("CREATE DATABASE dme").expect("creates");
    for statement in common::statements(common::DEMO_SQL) {
        server
            .sql(&format!("USE dme; {statement}"))
            .unwrap_or_else(|e| panic!("{e}: {statement}"));
    }
    let base = format!("mysql://root@127.0.0.1:{}/dme", server.port);
    // With its CA: the guide's nine rows, over TLS.
    let url = format!("{base}?ssl-ca={}", server.ca());
    let rows = json(&[
        "jobs", "--db", &url, "--phone", "30116718", "-q", "-f", "json",
    ]);
    assert_eq!(rows.as_array().map(Vec::len), Some(9));
    // The same CA from ~/.my.cnf.
    let home = tempfile::tempdir().expect("home");
    std::fs::write(
        home.path().join(".my.cnf"),
        format!("[client]\nssl-ca = {}\n", server.ca()),
    )
    .expect("writes");
    let (code, stdout, stderr) = run_with_env(
        &[
            "jobs", "--db", &base, "--phone", "30116718", "-q", "-f", "json",
        ],
        home.path(),
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("D17041E7CF3A2D9E5CC7E52B4AEE70C6"));
    // TLS without the CA: the certificate is not trusted, and the hint says
    // what to give.
    let empty = tempfile::tempdir().expect("home");
    let (code, _, stderr) = run_with_env(
        &["jobs", "--db", &format!("{base}?ssl=true"), "-q"],
        empty.path(),
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("certificate") && stderr.contains("ssl-ca"),
        "{stderr}"
    );
}
