//! `dmtool log thread` on the project's DME-style fixture and on the public
//! corpus (when `../shared/corpus` is there).

mod common;

use std::path::{Path, PathBuf};

use common::run;
use serde_json::Value;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/dme-server.log");

fn rows(args: &[&str]) -> Vec<Value> {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect()
}

fn find<'a>(rows: &'a [Value], device: &str, direction: &str, msg: &str, cmd: &str) -> &'a Value {
    rows.iter()
        .find(|r| {
            r["device"].as_str().is_some_and(|d| d.ends_with(device))
                && r["direction"] == direction
                && r["msg_id"] == msg
                && r["cmd_id"] == cmd
        })
        .unwrap_or_else(|| panic!("no row {device} {direction} {msg}/{cmd}"))
}

#[test]
fn every_command_gets_its_answer() {
    let rows = rows(&["log", "thread", FIXTURE, "-f", "jsonl"]);
    let keys: Vec<&String> = rows[0].as_object().expect("object").keys().collect();
    for key in [
        "session",
        "device",
        "direction",
        "msg_id",
        "cmd_id",
        "cmd",
        "targets",
        "status",
        "status_name",
        "results",
        "file",
        "line",
        "time",
    ] {
        assert!(keys.iter().any(|k| *k == key), "{key} missing: {keys:?}");
    }
    // The device's first header is challenged, the second accepted.
    let hdr = find(&rows, "3809", "device_to_server", "1", "0");
    assert_eq!(hdr["cmd"], "SyncHdr");
    assert_eq!(hdr["status"], 401);
    assert_eq!(hdr["status_name"], "INVALID_CREDENTIALS");
    assert_eq!(hdr["targets"][0], "https://dme.example.com:8443/dm");
    assert_eq!(hdr["line"], 4);
    assert_eq!(hdr["time"], "2010-06-28 13:48:20,105");
    assert_eq!(
        find(&rows, "3809", "device_to_server", "2", "0")["status"],
        212
    );
    // Server commands: a 404 probe, a Sequence and its children, a failed Exec.
    assert_eq!(
        find(&rows, "3809", "server_to_device", "2", "3")["status"],
        404
    );
    let sequence = find(&rows, "3809", "server_to_device", "2", "4");
    assert_eq!(sequence["cmd"], "Sequence");
    assert_eq!(sequence["status"], 200);
    let get = find(&rows, "3809", "server_to_device", "2", "5");
    assert_eq!(get["status"], 200);
    assert_eq!(get["results"][0]["source"], "./SCM/Inventory/Delivered");
    assert_eq!(get["results"][0]["data"], "DMEClient");
    assert_eq!(get["results"][0]["format"], "node");
    let exec = find(&rows, "3809", "server_to_device", "2", "7");
    assert_eq!(exec["status"], 500);
    assert_eq!(exec["status_name"], "COMMAND_FAILED");
    // The device's last header was never answered.
    assert_eq!(
        find(&rows, "3809", "device_to_server", "3", "0")["status"],
        Value::Null
    );
}

#[test]
fn interleaved_sessions_are_kept_apart_by_device() {
    let rows = rows(&["log", "thread", FIXTURE, "-f", "jsonl"]);
    // Both devices use SessionID 1A2B and MsgID 1; answers must not cross.
    let other = find(&rows, "0125", "device_to_server", "1", "0");
    assert_eq!(other["status"], 212);
    assert_eq!(other["session"], "1A2B");
    // The other device never answered the server's Get and Exec: a lost connection.
    let get = find(&rows, "0125", "server_to_device", "1", "4");
    assert_eq!(get["status"], Value::Null);
    assert_eq!(get["targets"][0], "./Vendor/MSFT/SwMgmt/Download");
    // Rows are grouped by session.
    let devices: Vec<&str> = rows
        .iter()
        .map(|r| r["device"].as_str().expect("device"))
        .collect();
    let switches = devices.windows(2).filter(|pair| pair[0] != pair[1]).count();
    assert_eq!(switches, 1, "{devices:?}");
}

#[test]
fn a_broken_message_is_reported_with_file_and_line_and_the_rest_is_read() {
    let (code, stdout, stderr) = run(&["log", "thread", FIXTURE, "-f", "jsonl"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("dme-server.log:108: broken SyncML message"),
        "{stderr}"
    );
    assert!(stdout.lines().count() > 15);
}

#[test]
fn filters_select_sessions_devices_and_errors() {
    let all = rows(&["log", "thread", FIXTURE, "-f", "jsonl"]);
    let one = rows(&["log", "thread", FIXTURE, "--device", "0125", "-f", "jsonl"]);
    assert!(!one.is_empty() && one.len() < all.len());
    assert!(one.iter().all(|r| r["device"] == "IMEI:351234567890125"));
    let errors = rows(&["log", "thread", FIXTURE, "--errors", "-f", "jsonl"]);
    assert!(
        errors
            .iter()
            .all(|r| r["status"].is_null() || r["status"].as_u64() >= Some(300))
    );
    assert!(errors.iter().any(|r| r["status"] == 500));
    assert!(rows(&["log", "thread", FIXTURE, "--session", "nope", "-f", "jsonl"]).is_empty());
}

#[test]
fn stdin_gzip_and_several_files_are_read() {
    let text = std::fs::read(FIXTURE).expect("reads");
    let dir = tempfile::tempdir().expect("tempdir");
    let gz = dir.path().join("server.log.1.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("creates"),
        flate2::Compression::fast(),
    );
    std::io::Write::write_all(&mut encoder, &text).expect("compresses");
    encoder.finish().expect("finishes");
    let plain = rows(&["log", "thread", FIXTURE, "-f", "jsonl"]);
    let from_gz = rows(&["log", "thread", gz.to_str().expect("utf-8"), "-f", "jsonl"]);
    assert_eq!(from_gz.len(), plain.len());
    let output = common::dmtool()
        .args(["log", "thread", "-", "-f", "jsonl"])
        .write_stdin(text)
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().count(),
        plain.len()
    );
    let (code, _, stderr) = run(&["log", "thread", "/nonexistent.log", FIXTURE, "-f", "jsonl"]);
    assert_eq!(
        code, 1,
        "a missing file is an error, after the others are read"
    );
    assert!(stderr.contains("/nonexistent.log"), "{stderr}");
}

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            corpus_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_is_threaded_without_a_crash() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: corpus test SKIPPED: no ../shared/corpus"
        );
        return;
    }
    let mut files = Vec::new();
    corpus_files(&corpus, &mut files);
    assert!(files.len() > 100, "{} files", files.len());
    for file in files {
        let path = file.to_string_lossy().into_owned();
        let (code, stdout, stderr) = run(&["log", "thread", &path, "-f", "jsonl"]);
        assert_eq!(code, 0, "{path}: {stderr}");
        assert!(!stderr.contains("panicked"), "{path}: {stderr}");
        for line in stdout.lines() {
            let _: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}
