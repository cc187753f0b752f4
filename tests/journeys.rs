//! One phone end to end: `dmtool device PHONE --db demo --log FILE`, on the
//! logs of `testdata/journeys/` (written by its `make.py` for demo phones and
//! their jobs): which sessions are the device's, each operation's agreement,
//! the chain and the verdict.

mod common;

use common::{json, run};
use serde_json::Value;

fn journey(name: &str) -> String {
    format!(
        "{}/testdata/journeys/{name}.log",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The first device's `log` of `dmtool device PHONE --db demo --log LOG -f json`.
fn device_log(phone: &str, log: &str) -> Value {
    let report = json(&["device", phone, "--db", "demo", "--log", log, "-f", "json"]);
    report["devices"][0]["log"].clone()
}

/// How many operations have each agreement, as `agreement=count` sorted.
fn agreements(log: &Value) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for op in log["operations"].as_array().expect("operations") {
        *counts
            .entry(op["agreement"].as_str().expect("agreement").to_owned())
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

fn events(log: &Value) -> Vec<String> {
    log["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .map(|step| step["event"].as_str().expect("event").to_owned())
        .collect()
}

#[test]
fn everything_agrees_when_the_log_carried_every_job_as_the_database_says() {
    let log = device_log("30227711", &journey("agrees"));
    assert_eq!(
        log["verdict"]["broke_at"],
        Value::Null,
        "{}",
        log["verdict"]
    );
    assert_eq!(agreements(&log), ["agree=11"]);
    assert_eq!(log["sessions"].as_array().map(Vec::len), Some(2));
    // Each operation names the session and line of the command that carried it.
    let first = &log["operations"][0];
    assert_eq!(first["session"], "0A01");
    assert!(first["line"].as_u64().is_some());
    let events = events(&log);
    for event in [
        "job_created",
        "package0_sent",
        "session_opened",
        "commands_sent",
        "statuses",
        "platform_found",
        "job_status",
    ] {
        assert!(events.iter().any(|e| e == event), "{event} in {events:?}");
    }
    // In time order: the package 0 before the session it opened.
    let package = events.iter().position(|e| e == "package0_sent");
    let session = events.iter().position(|e| e == "session_opened");
    assert!(package < session, "{events:?}");
}

#[test]
fn a_session_lost_after_the_exec_is_where_the_install_broke() {
    let log = device_log("30551144", &journey("lost-exec"));
    assert_eq!(log["verdict"]["broke_at"], "session_lost");
    let message = log["verdict"]["message"].as_str().expect("message");
    assert!(message.contains("Exec"), "{message}");
    assert!(message.contains("0B02"), "{message}");
    // The Exec: 101 in the database, no answer in the log; the Get never sent.
    let exec = log["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .find(|op| op["command"] == "Exec")
        .expect("the Exec");
    assert_eq!(exec["db_status"], 101);
    assert_eq!(exec["log_status"], Value::Null);
    assert_eq!(exec["agreement"], "database_only");
    assert_eq!(
        agreements(&log),
        ["agree=11", "database_only=1", "not_in_log=2"]
    );
    assert!(events(&log).contains(&"session_lost".to_owned()));
}

#[test]
fn answers_the_log_does_not_have_are_the_database_s_only() {
    let log = device_log("30884477", &journey("db-only"));
    assert_eq!(log["verdict"]["broke_at"], "log_incomplete");
    assert_eq!(agreements(&log), ["agree=5", "database_only=4"]);
}

#[test]
fn a_package_0_no_session_answered_is_where_it_broke() {
    let log = device_log("30773366", &journey("package0"));
    assert_eq!(log["verdict"]["broke_at"], "package0");
    assert_eq!(log["sessions"].as_array().map(Vec::len), Some(0));
    // The other phone's session in that log is not this device's.
    assert_eq!(agreements(&log), ["not_in_log=7"]);
    assert!(
        log["operations"]
            .as_array()
            .expect("operations")
            .iter()
            .all(|op| op["log_covers_job"] == true)
    );
    let detail = log["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .find(|step| step["event"] == "package0_sent")
        .expect("the package 0")["detail"]
        .as_str()
        .expect("detail")
        .to_owned();
    assert!(detail.contains("no session answered it"), "{detail}");
}

#[test]
fn a_401_loop_keeps_the_job_from_the_device() {
    let log = device_log("30449933", &journey("auth-loop"));
    assert_eq!(log["verdict"]["broke_at"], "authentication");
    let message = log["verdict"]["message"].as_str().expect("message");
    assert!(message.contains("marks the job Failed"), "{message}");
    assert!(events(&log).contains(&"authentication_failed".to_owned()));
    // The job retried two days later is after the log's end: not covered.
    let retried: Vec<&Value> = log["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .filter(|op| op["job_id"] == "8EBB50BF6AB97B3008770FACCE24467A")
        .collect();
    assert!(!retried.is_empty());
    assert!(retried.iter().all(|op| op["log_covers_job"] == false));
}

#[test]
fn a_device_is_found_by_its_imei_without_the_check_digit_and_by_its_locname() {
    // The guide's phone, its IMEI written without the check digit in one
    // session's LocURI, and as LocName (the phone number) in another's.
    let text = std::fs::read_to_string(journey("agrees")).expect("reads");
    // The second session starts after the second package 0.
    let second = text
        .match_indices("Sending notification to 30227711")
        .nth(1)
        .expect("two packages 0")
        .0;
    let (first, rest) = text.split_at(second);
    let text = first.replace("IMEI:351234567890125", "IMEI:35123456789012")
        + &rest
            .replace(
                "<Source><LocURI>IMEI:351234567890125</LocURI>",
                "<Source><LocURI>urn:uuid:0000</LocURI><LocName>30227711</LocName>",
            )
            .replace("IMEI:351234567890125", "urn:uuid:0000");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("renamed.log");
    std::fs::write(&path, text).expect("writes");
    let log = device_log("30227711", &path.to_string_lossy());
    assert_eq!(log["sessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        log["verdict"]["broke_at"],
        Value::Null,
        "{}",
        log["verdict"]
    );
}

#[test]
fn a_bootstrap_the_server_says_it_sent_with_no_session_after_it_is_where_it_broke() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bootstrap.log");
    std::fs::write(
        &path,
        "2010-07-02 11:59:00,000 INFO  [com.excitor.dme.sms.SmsSender] (sms-1) Sent OMA bootstrap to 30773366\n\
         2010-07-02 12:20:00,000 INFO  [com.excitor.dme.dm.DMServlet] (http-1) Heartbeat\n",
    )
    .expect("writes");
    let log = device_log("30773366", &path.to_string_lossy());
    assert_eq!(log["verdict"]["broke_at"], "session", "{}", log["verdict"]);
    let first = &log["chain"][0];
    assert_eq!(first["event"], "bootstrap_sent");
    assert!(
        first["detail"]
            .as_str()
            .expect("detail")
            .starts_with("\"Sent OMA bootstrap to 30773366\""),
        "{first}"
    );
}

#[test]
fn a_log_that_ends_before_the_jobs_says_so() {
    let log = device_log("30884477", &journey("agrees"));
    assert_eq!(log["verdict"]["broke_at"], "no_log", "{}", log["verdict"]);
}

#[test]
fn the_table_view_shows_the_verdict_the_chain_and_the_operations() {
    let (code, stdout, stderr) = run(&[
        "device",
        "30551144",
        "--db",
        "demo",
        "--log",
        &journey("lost-exec"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Verdict: broke at session_lost"),
        "{stdout}"
    );
    assert!(stdout.contains("Chain"), "{stdout}");
    assert!(stdout.contains("database_only"), "{stdout}");
    // Without --log, the report ends with how to look the device up in a log.
    let (_, stdout, _) = run(&["device", "30551144", "--db", "demo"]);
    let last = stdout.lines().last().expect("a line");
    assert!(
        last.contains("--log") && last.contains("--device IMEI:356938035222222"),
        "{last}"
    );
}

#[test]
fn the_device_report_shows_the_latest_bootstrap_the_log_shows_sent() {
    let push = std::fs::read(format!(
        "{}/testdata/bootstrap/dme-push.bin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("reads");
    let log = format!(
        "2010-06-28 13:40:00,000 DEBUG [com.excitor.dme.sms.SmsSender] (sms-1) Sent OMA bootstrap to 30116718:\n{}\n{}",
        common::hex_dump(&push),
        std::fs::read_to_string(format!(
            "{}/testdata/dme-server.log",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("reads")
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bootstrap-then-session.log");
    std::fs::write(&path, log).expect("writes");
    let report = json(&[
        "device",
        "30116718",
        "--db",
        "demo",
        "--log",
        &path.to_string_lossy(),
        "-f",
        "json",
    ]);
    let log = &report["devices"][0]["log"];
    // Where its bytes begin, below the record that announced it.
    assert_eq!(log["bootstrap"]["line"], 2, "{}", log["bootstrap"]);
    assert_eq!(log["bootstrap"]["kind"], "client_provisioning");
    // Its secrets stay hidden.
    assert!(
        log["bootstrap"]["accounts"][0]["auth"]
            .as_array()
            .expect("auth")
            .iter()
            .all(|auth| auth["secret"] == "(hidden)")
    );
    let chain = log["chain"].as_array().expect("chain");
    assert_eq!(chain[0]["event"], "bootstrap_sent", "{chain:#?}");
    // Then the session, which carried the guide's explore job.
    assert!(chain.iter().any(|step| step["event"] == "session_opened"
        && step["detail"].as_str().unwrap_or("").contains("1A2B")));
}

#[test]
fn a_command_repeated_by_a_later_job_goes_to_the_job_of_its_time() {
    // An older explore job of the same device with the same nine commands,
    // never run: the log's session (after the newer job was created) is the
    // newer job's, not the older one's.
    let file = common::SqliteFile::with_sql(&format!(
        "{}\n\
         INSERT INTO dm_job (jobID, created, status, device) VALUES ('OLD0EXPLORE0000000000000000000000', '2010-07-01 00:00:00', 'Open', 38);\n\
         INSERT INTO dm_task (id, job, state) VALUES (900, 'OLD0EXPLORE0000000000000000000000', NULL);\n\
         INSERT INTO dm_operation (operationID, task, command, statusCode, node_id)\n\
           SELECT operationID + 900, 900, command, NULL, node_id FROM dm_operation WHERE task BETWEEN 239 AND 244;",
        common::DEMO_SQL
    ));
    let report = json(&[
        "device",
        "30884477",
        "--db",
        &file.url(),
        "--log",
        &journey("db-only"),
        "-f",
        "json",
    ]);
    let log = &report["devices"][0]["log"];
    let of_job = |id: &str| -> Vec<String> {
        log["operations"]
            .as_array()
            .expect("operations")
            .iter()
            .filter(|op| op["job_id"] == id)
            .map(|op| op["agreement"].as_str().expect("agreement").to_owned())
            .collect()
    };
    assert!(
        of_job("OLD0EXPLORE0000000000000000000000")
            .iter()
            .all(|a| a == "not_in_log")
    );
    let newer = of_job("0DDBA11C0DDBA11C0DDBA11C0DDBA11C");
    assert_eq!(
        newer.iter().filter(|a| *a == "agree").count(),
        5,
        "{newer:?}"
    );
}
