//! `dmtool log thread` on the project's DME-style fixture and on the public
//! corpus (when `../shared/corpus` is there).

mod common;

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

/// A log written with CR LF line ends (a Windows server) threads exactly like
/// the same log with LF: the messages' text is read as XML reads it.
#[test]
fn crlf_logs_thread_like_lf_logs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crlf = dir.path().join("server-crlf.log");
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    std::fs::write(&crlf, text.replace('\n', "\r\n")).expect("write");
    let without_file = |mut rows: Vec<Value>| -> Vec<Value> {
        for row in &mut rows {
            row.as_object_mut().expect("object").remove("file");
        }
        rows
    };
    let lf = without_file(rows(&["log", "thread", FIXTURE, "-f", "jsonl"]));
    let crlf = without_file(rows(&[
        "log",
        "thread",
        crlf.to_str().expect("path"),
        "-f",
        "jsonl",
    ]));
    assert!(lf.len() > 10);
    assert_eq!(crlf, lf);
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

#[test]
fn every_corpus_file_is_threaded_and_explained_and_every_message_is_accounted_for() {
    let Some(corpus) = common::corpus("corpus test") else {
        return;
    };
    let files = common::files_under(&corpus);
    assert!(files.len() > 100, "{} files", files.len());
    let (mut texts, mut found_total, mut broken_total) = (0, 0, 0);
    for file in files {
        let path = file.to_string_lossy().into_owned();
        let (code, stdout, stderr) = run(&["log", "thread", &path, "-f", "jsonl"]);
        assert_eq!(code, 0, "{path}: {stderr}");
        assert!(!stderr.contains("panicked"), "{path}: {stderr}");
        for line in stdout.lines() {
            let _: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        let (code, stdout, stderr) = run(&["log", "explain", &path, "-f", "json"]);
        assert_eq!(code, 0, "{path}: {stderr}");
        let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{path}: {e}"));
        // Binary files (WBXML) hold no XML text to count. SOURCES.md
        // describes the corpus and names `<SyncML>` in prose: no message, no
        // broken one (its count of end tags is 0).
        let bytes = std::fs::read(&file).expect("reads");
        if bytes.contains(&0) {
            continue;
        }
        texts += 1;
        // Each XML message ends with its end tag; each WBXML one written as a
        // hex dump with offsets (`0000: 02 00 00 6a …`) starts at offset 0
        // with a WBXML version (1 to 3).
        let ends = bytes.windows(9).filter(|w| *w == b"</SyncML>").count() as u64
            + String::from_utf8_lossy(&bytes)
                .lines()
                .filter(|line| {
                    line.starts_with("0000: 0")
                        && matches!(line.as_bytes().get(7), Some(b'1'..=b'3'))
                })
                .count() as u64;
        let found = report["summary"]["messages"].as_u64().expect("messages");
        let broken = report["summary"]["broken_messages"]
            .as_u64()
            .expect("broken");
        assert_eq!(
            found + broken,
            ends,
            "{path}: {found} found + {broken} broken"
        );
        found_total += found;
        broken_total += broken;
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "corpus: {texts} text files, {found_total} messages found, {broken_total} broken"
    );
}

const FINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/findings.xml");

fn explain_json(args: &[&str]) -> Value {
    let mut all = vec!["log", "explain"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "{all:?}: {stderr}");
    serde_json::from_str(&stdout).expect("one JSON document")
}

fn kinds(session: &Value) -> Vec<String> {
    session["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["kind"].as_str().expect("kind").to_owned())
        .collect()
}

#[test]
fn explain_tells_device_authentication_failures_and_endings() {
    let report = explain_json(&[FIXTURE]);
    let summary = &report["summary"];
    assert_eq!(summary["sessions"], 2);
    assert_eq!(summary["messages"], 7);
    assert_eq!(summary["broken_messages"], 1);
    assert_eq!(report["broken"][0]["line"], 108);
    let sessions = report["sessions"].as_array().expect("sessions");
    let nokia = sessions
        .iter()
        .find(|s| s["device"] == "IMEI:356938035643809")
        .expect("the Nokia's session");
    assert_eq!(nokia["device_info"]["manufacturer"], "Nokia");
    assert_eq!(nokia["device_info"]["model"], "E71");
    assert_eq!(nokia["device_info"]["dm_version"], "1.2");
    let auth = &nokia["authentication"];
    assert_eq!(auth["methods"][0], "syncml:auth-md5");
    assert_eq!(auth["challenges"][0]["status"], 401);
    assert_eq!(auth["challenges"][0]["next_nonce"], "MTIzNDU2");
    assert_eq!(auth["accepted"], true);
    assert_eq!(nokia["platform"]["platform"], "S60");
    let findings = nokia["findings"].as_array().expect("findings");
    assert_eq!(findings[0]["severity"], "error", "errors come first");
    assert_eq!(findings[0]["kind"], "failed_command");
    assert!(
        findings[0]["message"]
            .as_str()
            .expect("text")
            .contains("500 COMMAND_FAILED")
    );
    assert!(
        findings[0]["hint"]
            .as_str()
            .expect("hint")
            .contains("install")
    );
    assert!(kinds(nokia).contains(&"explore_probe_absent".to_owned()));
    assert_eq!(nokia["ending"], "server_silent");
    let exchange = nokia["exchange"].as_array().expect("exchange");
    assert_eq!(exchange.len(), 8);
    assert!(
        exchange
            .iter()
            .any(|e| e["cmd"] == "Exec" && e["status"] == 500)
    );

    let htc = sessions
        .iter()
        .find(|s| s["device"] == "IMEI:351234567890125")
        .expect("the HTC's session");
    assert_eq!(htc["ending"], "lost_connection");
    assert_eq!(htc["unanswered"], 2);
    assert!(kinds(htc).contains(&"lost_connection".to_owned()));
}

#[test]
fn explain_finds_what_a_transcript_can_break() {
    let report = explain_json(&[FINDINGS]);
    let session = &report["sessions"][0];
    let found = kinds(session);
    for kind in [
        "repeated_authentication_failure",
        "failed_command",
        "alert",
        "large_object_chunk",
        "dangling_reference",
        "duplicate_cmd_id",
        "header_without_status",
        "unanswered_command",
    ] {
        assert!(
            found.contains(&kind.to_owned()),
            "{kind} missing: {found:?}"
        );
    }
    let messages: Vec<&str> = session["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["message"].as_str().expect("text"))
        .collect();
    for needle in [
        "424 SIZE_MISMATCH",
        "1225",
        "1223",
        "1222",
        "MoreData",
        "CmdRef 9",
        "CmdID 4",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "{needle}: {messages:?}"
        );
    }
    assert_eq!(
        session["authentication"]["challenges"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(session["ending"], "normally");
}

#[test]
fn explain_text_puts_what_went_wrong_first_and_ends_with_a_summary() {
    let (code, stdout, _) = run(&["log", "explain", FIXTURE]);
    assert_eq!(code, 0);
    let wrong = stdout.find("What went wrong:").expect("the problems");
    let auth = stdout.find("Authentication:").expect("authentication");
    assert!(wrong < auth, "{stdout}");
    assert!(
        stdout.contains("server Get ./SCM/Inventory/Delivered → 200 OK: DMEClient"),
        "what was asked and answered: {stdout}"
    );
    assert!(
        stdout.contains("device Alert 1200 SERVER_INITIATED_MGMT → 200 OK"),
        "{stdout}"
    );
    let last = stdout.lines().last().expect("a summary");
    assert_eq!(
        last,
        "2 sessions, 2 with problems, 7 messages, 12 commands, 1 failure, 1 broken message"
    );
}

#[test]
fn explain_options_filter_and_strict_fails_on_findings() {
    let errors = explain_json(&[FIXTURE, "--errors"]);
    assert_eq!(errors["sessions"].as_array().map(Vec::len), Some(2));
    let one = explain_json(&[FIXTURE, "--device", "0125"]);
    assert_eq!(one["sessions"].as_array().map(Vec::len), Some(1));
    // Filtered, the totals are those of what passed: its messages, not the
    // log's.
    assert_eq!(one["summary"]["messages"], one["sessions"][0]["messages"]);
    assert_eq!(one["summary"]["commands"], one["sessions"][0]["commands"]);
    let none = explain_json(&[FIXTURE, "--session", "9999"]);
    assert_eq!(none["summary"]["messages"], 0);
    let all = explain_json(&[FIXTURE]);
    assert_eq!(all["summary"]["messages"], 7);
    let (code, _, stderr) = run(&["log", "explain", FIXTURE, "--strict"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("--strict"), "{stderr}");
    let (code, stdout, _) = run(&["log", "explain", FIXTURE, "--format", "jsonl"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 2, "one session per line");
    let (code, _, _) = run(&["log", "explain", FIXTURE, "--format", "csv"]);
    assert_eq!(code, 2);
}

#[test]
fn pretty_shows_each_message_under_a_header_with_codes_named() {
    let (code, stdout, _) = run(&["log", "pretty", FIXTURE]);
    assert_eq!(code, 0);
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("── ")).collect();
    assert_eq!(headers.len(), 7, "one header per message");
    assert!(
        headers[0].contains("dme-server.log:4 · 2010-06-28 13:48:20,105 · device → server")
            && headers[0].contains("session 1A2B · MsgID 1"),
        "{}",
        headers[0]
    );
    assert!(
        stdout.contains("<Data>401</Data> <!-- INVALID_CREDENTIALS -->"),
        "{stdout}"
    );
    assert!(stdout.contains("<Data>1200</Data> <!-- SERVER_INITIATED_MGMT -->"));
    assert!(stdout.contains("\n    <Final/>\n"));
    assert!(!stdout.contains('\x1b'), "no colour when piped");
    let (_, coloured, _) = run(&["log", "pretty", FIXTURE, "--color", "always"]);
    assert!(coloured.contains("\x1b["));
}

#[test]
fn pretty_output_threads_like_the_original() {
    let strip = |rows: Vec<Value>| -> Vec<Value> {
        rows.into_iter()
            .map(|mut row| {
                let object = row.as_object_mut().expect("object");
                for key in ["file", "line", "time"] {
                    object.remove(key);
                }
                row
            })
            .collect()
    };
    let original = strip(rows(&["log", "thread", FIXTURE, "-f", "jsonl"]));
    for extra in [None, Some("--decode"), Some("--raw")] {
        let mut args = vec!["log", "pretty", FIXTURE];
        args.extend(extra);
        let (_, pretty, _) = run(&args);
        let output = common::dmtool()
            .args(["log", "thread", "-", "-f", "jsonl"])
            .write_stdin(pretty)
            .output()
            .expect("runs");
        let rethreaded: Vec<Value> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        // Without log records, direction comes from the LocURIs alone: the same here.
        assert_eq!(strip(rethreaded), original, "{extra:?}");
    }
}

#[test]
fn pretty_filters_and_decodes() {
    let (_, errors, _) = run(&["log", "pretty", FIXTURE, "--errors"]);
    let headers = errors.lines().filter(|l| l.starts_with("── ")).count();
    assert_eq!(
        headers, 2,
        "the 401 challenge and the 404/500 answers: {errors}"
    );
    let (_, raw, _) = run(&["log", "pretty", FINDINGS, "--raw", "--session", "7"]);
    assert!(!raw.contains("── "));
    assert_eq!(
        raw.lines().count(),
        10,
        "one line per message, as in the file"
    );
    let (_, decoded, _) = run(&["log", "pretty", FINDINGS, "--decode"]);
    assert!(decoded.contains("<!-- base64: ABC -->"), "{decoded}");
    let (code, _, _) = run(&["log", "pretty", FINDINGS, "--raw", "--decode"]);
    assert_eq!(code, 2, "--raw and --decode exclude each other");
}

/// One message of a session between `IMEI:1` and the server, as raw XML.
fn msg(from_device: bool, session: &str, msg_id: u32, body: &str) -> String {
    let (target, source) = if from_device {
        ("http://dm.example.org", "IMEI:1")
    } else {
        ("IMEI:1", "http://dm.example.org")
    };
    format!(
        "<SyncML><SyncHdr><SessionID>{session}</SessionID><MsgID>{msg_id}</MsgID>\
         <Target><LocURI>{target}</LocURI></Target><Source><LocURI>{source}</LocURI></Source>\
         </SyncHdr><SyncBody>{body}<Final/></SyncBody></SyncML>\n"
    )
}

fn status(cmd_id: u32, msg_ref: u32, cmd_ref: u32, code: u32) -> String {
    format!(
        "<Status><CmdID>{cmd_id}</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>{cmd_ref}</CmdRef><Data>{code}</Data></Status>"
    )
}

fn explain_stdin(text: String) -> Value {
    let output = common::dmtool()
        .args(["log", "explain", "-", "-f", "json"])
        .write_stdin(text)
        .output()
        .expect("runs");
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn a_reused_session_id_with_a_new_package_1_is_a_new_session() {
    let alert = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";
    let mut text = String::new();
    for _ in 0..2 {
        text += &msg(true, "5", 1, alert);
        let get = "<Get><CmdID>3</CmdID><Item><Target><LocURI>./X</LocURI></Target></Item></Get>";
        text += &msg(
            false,
            "5",
            1,
            &(status(1, 1, 0, 212) + &status(2, 1, 1, 200) + get),
        );
    }
    let report = explain_stdin(text);
    let sessions = report["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2, "{report}");
    assert!(
        sessions.iter().all(|s| s["ending"] == "lost_connection"),
        "{report}"
    );
}

#[test]
fn no_resp_commands_are_not_unanswered_and_header_failures_are_reported() {
    let mut text = msg(
        true,
        "6",
        1,
        "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>",
    );
    text += &msg(
        false,
        "6",
        1,
        &(status(1, 1, 0, 200)
            + &status(2, 1, 1, 200)
            + "<Replace><CmdID>3</CmdID><NoResp/><Item><Target><LocURI>./Y</LocURI></Target><Data>1</Data></Item></Replace>"),
    );
    text += &msg(true, "6", 2, &status(1, 1, 0, 513));
    text += &msg(false, "6", 2, &status(1, 2, 0, 200));
    let report = explain_stdin(text);
    let session = &report["sessions"][0];
    assert_eq!(session["unanswered"], 0, "{session}");
    assert!(
        kinds(session).contains(&"failed_header".to_owned()),
        "{session}"
    );
    assert_eq!(
        session["authentication"]["accepted"], true,
        "200 accepts per message"
    );
    assert_eq!(session["ending"], "normally");
}

/// A live log on stdin (`tail -f server.log | dmtool log pretty -`): each
/// message is shown as soon as it is found, while stdin is still open.
#[test]
fn a_live_log_on_stdin_is_shown_as_it_comes() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;

    let log = std::fs::read_to_string(FIXTURE).expect("fixture");
    // The first message and its record (its end is followed by the next record).
    let first = &log[..log.find("</SyncML>").expect("a message") + "</SyncML>\n".len()];
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dmtool"))
        .args(["log", "pretty", "-"])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dmtool runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(first.as_bytes()).expect("write");
    stdin.flush().expect("flush");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    // stdin stays open: the header line must come anyway.
    let header = received
        .recv_timeout(Duration::from_secs(20))
        .expect("the message shown before stdin closes");
    assert!(header.starts_with("── <stdin>:"), "{header}");
    drop(stdin);
    assert!(child.wait().expect("dmtool ends").success());
}

/// A log record carrying one message of `device`, session 1, at `time`.
fn timed_message(time: &str, device: &str, from_device: bool, msg_id: u32, body: &str) -> String {
    let (target, source, what) = if from_device {
        ("https://dm.example.com/dm", device, "Received from device:")
    } else {
        (device, "https://dm.example.com/dm", "Sending to device:")
    };
    format!(
        "{time} DEBUG [com.excitor.dme.dm.util.LogUtil] (http-1) {what}\n\
         <SyncML><SyncHdr><SessionID>1</SessionID><MsgID>{msg_id}</MsgID>\
         <Target><LocURI>{target}</LocURI></Target><Source><LocURI>{source}</LocURI></Source>\
         </SyncHdr><SyncBody>{body}<Final/></SyncBody></SyncML>\n"
    )
}

#[test]
fn a_session_silent_past_the_timeout_ends_when_the_log_moves_on() {
    const ALERT: &str = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";
    const DONE: &str = "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>\
                        <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef><Cmd>Alert</Cmd><Data>200</Data></Status>";
    // Device A's package 1 is never answered; ten minutes later device B
    // has a whole session.
    let log = [
        timed_message("2010-06-28 10:00:00,000", "IMEI:A", true, 1, ALERT),
        timed_message("2010-06-28 10:10:00,000", "IMEI:B", true, 1, ALERT),
        timed_message("2010-06-28 10:10:01,000", "IMEI:B", false, 1, DONE),
    ]
    .concat();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("timed.log");
    std::fs::write(&path, log).expect("writes");
    let path = path.to_string_lossy().into_owned();
    let explain = |extra: &[&str]| -> Value {
        let mut args = vec!["log", "explain", path.as_str(), "-f", "json"];
        args.extend(extra);
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str(&stdout).expect("json")
    };
    let devices = |report: &Value| -> Vec<String> {
        report["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .map(|s| s["device"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let silent_finding = |report: &Value| -> String {
        report["sessions"][0]["findings"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // By default (5 minutes) A's session ends as B's begins: reported first.
    let report = explain(&[]);
    assert_eq!(devices(&report), ["IMEI:A", "IMEI:B"]);
    assert_eq!(report["sessions"][0]["ending"], "server_silent");
    assert!(
        silent_finding(&report).contains("longer than the session timeout"),
        "{report}"
    );
    // A longer timeout, or none, keeps it open to the end of the log.
    for timeout in ["15m", "0"] {
        let report = explain(&["--session-timeout", timeout]);
        assert_eq!(devices(&report), ["IMEI:B", "IMEI:A"], "{timeout}");
        let last = &report["sessions"][1]["findings"][0]["message"];
        assert!(
            last.as_str().is_some_and(|m| m.starts_with("the log ends")),
            "{timeout}: {last}"
        );
    }
    // A duration dmtool cannot read is a usage error that says which.
    let (code, _, stderr) = run(&["log", "explain", &path, "--session-timeout", "5 parsecs"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown unit `parsecs`"), "{stderr}");
}

/// `log explain --format json` of `log`, written to a file of that name.
fn explain_log(log: &str, name: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, log).expect("writes");
    explain_json(&[&path.to_string_lossy()])
}

/// The sessions of a report of one device, in order.
fn parts_of<'a>(report: &'a Value, device: &str) -> Vec<&'a Value> {
    report["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter(|s| s["device"] == device)
        .collect()
}

/// A log without timestamps in which device IMEI:0's session is pushed out
/// by 2,500 others (more than may be open at once) between the server's Get
/// and the device's answer to it (`get_status`); with the answer's line.
fn evicted_session_log(get_status: u32) -> (String, usize) {
    let message = |device: &str, from_device: bool, msg_id: u32, body: &str| {
        let (target, source) = if from_device {
            ("http://dm", device)
        } else {
            (device, "http://dm")
        };
        format!(
            "<SyncML><SyncHdr><SessionID>7</SessionID><MsgID>{msg_id}</MsgID>\
             <Target><LocURI>{target}</LocURI></Target><Source><LocURI>{source}</LocURI></Source>\
             </SyncHdr><SyncBody>{body}<Final/></SyncBody></SyncML>\n"
        )
    };
    const ALERT: &str = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";
    let mut log = message("IMEI:0", true, 1, ALERT);
    log.push_str(&message(
        "IMEI:0",
        false,
        1,
        "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>\
         <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef><Cmd>Alert</Cmd><Data>200</Data></Status>\
         <Get><CmdID>2</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>",
    ));
    // No timestamps: 2,500 other sessions, more than may be open at once
    // (2,000), push it out.
    for device in 1..=2_500 {
        log.push_str(&message(&format!("IMEI:{device}"), true, 1, ALERT));
    }
    let answer_line = log.lines().count() + 1;
    log.push_str(&message(
        "IMEI:0",
        true,
        2,
        &format!(
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
             <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef><Cmd>Get</Cmd><Data>{get_status}</Data></Status>"
        ),
    ));
    log.push_str(&message(
        "IMEI:0",
        false,
        2,
        "<Status><CmdID>1</CmdID><MsgRef>2</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>",
    ));
    (log, answer_line)
}

#[test]
fn a_session_evicted_by_the_cap_says_so_and_its_continuation_is_tied_to_it() {
    let (log, answer_line) = evicted_session_log(200);
    let report = explain_log(&log, "busy.xml");
    let parts = parts_of(&report, "IMEI:0");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["ending"], "evicted");
    assert_eq!(kinds(parts[0]), ["session_evicted"]);
    // The continuation: the Get's Status is not a reference to nothing, and
    // nothing is "never answered".
    assert_eq!(parts[1]["line"], answer_line);
    assert_eq!(parts[1]["ending"], "normally");
    assert_eq!(kinds(parts[1]), ["continued_session"]);
    assert!(
        parts[1]["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("busy.xml:1")),
        "{}",
        parts[1]
    );
}

#[test]
fn a_failure_answering_a_command_the_log_does_not_hold_is_still_a_failure() {
    // Only the device's message is in the log (a client's log, an excerpt):
    // its Statuses answer the server's message 1, which is not.
    let log = "<SyncML><SyncHdr><VerProto>DM/1.2</VerProto><SessionID>5</SessionID><MsgID>2</MsgID>\
               <Target><LocURI>https://srv/dm</LocURI></Target><Source><LocURI>IMEI:1</LocURI></Source>\
               </SyncHdr><SyncBody>\
               <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>500</Data></Status>\
               <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef><Cmd>Replace</Cmd><Data>405</Data></Status>\
               <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>5</CmdRef><Cmd>Get</Cmd><Data>200</Data></Status>\
               <Final/></SyncBody></SyncML>\n";
    let report = explain_log(log, "client.xml");
    let session = &report["sessions"][0];
    assert_eq!(session["failures"], 2, "{session}");
    assert_eq!(kinds(session), ["failed_header", "failed_command"]);
    let message = session["findings"][1]["message"].as_str().expect("message");
    assert!(
        message.contains("Replace") && message.contains("405"),
        "{message}"
    );
    assert_eq!(report["summary"]["failures"], 2);
}

#[test]
fn lost_sessions_of_many_commands_are_handed_out_before_they_hold_too_much() {
    // No timestamps, 320 sessions (far fewer than may be open at once) whose
    // server sent a hundred Replaces that no device answered: 32,640 rows,
    // more than the open sessions may hold together (20,000).
    let replaces: String = (2..102)
        .map(|id| {
            format!(
                "<Replace><CmdID>{id}</CmdID><Item><Target><LocURI>./Vendor/Node{id}</LocURI></Target>\
                 <Data>1</Data></Item></Replace>"
            )
        })
        .collect();
    let mut log = String::new();
    for device in 0..320 {
        log.push_str(&format!(
            "<SyncML><SyncHdr><SessionID>7</SessionID><MsgID>1</MsgID>\
             <Target><LocURI>http://dm</LocURI></Target><Source><LocURI>IMEI:{device}</LocURI></Source>\
             </SyncHdr><SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>\n\
             <SyncML><SyncHdr><SessionID>7</SessionID><MsgID>1</MsgID>\
             <Target><LocURI>IMEI:{device}</LocURI></Target><Source><LocURI>http://dm</LocURI></Source>\
             </SyncHdr><SyncBody><Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>\
             <Cmd>SyncHdr</Cmd><Data>212</Data></Status>{replaces}<Final/></SyncBody></SyncML>\n"
        ));
    }
    let report = explain_log(&log, "lost.xml");
    let sessions = report["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 320);
    let evicted: Vec<&Value> = sessions
        .iter()
        .filter(|s| s["ending"] == "evicted")
        .collect();
    // The earliest went first, each with its warning.
    assert!(evicted.len() >= 20, "{} evicted", evicted.len());
    assert_eq!(evicted[0]["device"], "IMEI:0");
    for session in &evicted {
        assert!(
            kinds(session).contains(&"session_evicted".to_owned()),
            "{session}"
        );
    }
    assert_eq!(report["summary"]["commands"], 320 * 101);
    // None had a later message: none goes on as a continuation.
    assert!(
        sessions
            .iter()
            .all(|s| !kinds(s).contains(&"continued_session".to_owned()))
    );
}

#[test]
fn a_failing_answer_after_its_session_was_evicted_is_reported_in_the_continuation() {
    let (log, _) = evicted_session_log(404);
    let report = explain_log(&log, "busy.xml");
    let parts = parts_of(&report, "IMEI:0");
    assert_eq!(parts.len(), 2);
    // The Get goes on in the continuation with its 404, a failure there.
    let continuation = parts[1];
    assert_eq!(continuation["failures"], 1, "{continuation}");
    let get = continuation["exchange"]
        .as_array()
        .expect("exchange")
        .iter()
        .find(|row| row["cmd"] == "Get")
        .expect("the Get with its answer");
    assert_eq!(get["status"], 404, "{get}");
    assert!(
        kinds(continuation).contains(&"failed_command".to_owned()),
        "{continuation}"
    );
    // The run's totals: the failure once, the Get counted once.
    assert_eq!(report["summary"]["failures"], 1);
    let commands: u64 = report["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["commands"].as_u64().unwrap_or_default())
        .sum();
    assert_eq!(report["summary"]["commands"], commands - 1);
}

#[test]
fn pretty_escapes_its_header_lines_even_when_piped_and_writes_raw_xml_as_xml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hostile.xml");
    std::fs::write(
        &path,
        "<SyncML><SyncHdr><SessionID>1</SessionID><MsgID>1</MsgID>\
         <Target><LocURI>http://dm</LocURI></Target><Source><LocURI>IMEI:\u{1b}[2Jevil</LocURI></Source>\
         </SyncHdr><SyncBody><Final/></SyncBody></SyncML>\n",
    )
    .expect("writes");
    let path = path.to_string_lossy().into_owned();
    // Piped into `head` or a pager, the header line still reaches a terminal.
    let (code, stdout, stderr) = run(&["log", "pretty", &path]);
    assert_eq!(code, 0, "{stderr}");
    let header = stdout.lines().next().unwrap_or_default();
    assert!(header.contains("IMEI:\\x1b[2Jevil"), "{header}");
    assert!(!header.contains('\u{1b}'), "{header}");
    // --raw writes the message as found, but what a terminal would act on
    // as a character reference: the same XML.
    let (_, raw, _) = run(&["log", "pretty", "--raw", &path]);
    assert!(raw.contains("IMEI:&#x1b;[2Jevil"), "{raw}");
    assert!(!raw.contains('\u{1b}'), "{raw}");
}

#[test]
fn a_message_written_in_latin1_is_read_not_dropped() {
    // What a Java server writes in its platform's charset: `ü` as one byte.
    let mut log =
        b"2010-06-28 13:48:20,105 DEBUG [LogUtil] (http-1) Received from device:\n".to_vec();
    log.extend_from_slice(
        b"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>\
          <SessionID>5</SessionID><MsgID>1</MsgID><Target><LocURI>https://s/dm</LocURI></Target>\
          <Source><LocURI>IMEI:1</LocURI></Source></SyncHdr><SyncBody>\
          <Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item>\
          <Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>M\xfcnchen</Data></Item></Replace>\
          <Final/></SyncBody></SyncML>\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("latin1.log");
    std::fs::write(&path, log).expect("writes");
    let (code, stdout, stderr) = run(&["log", "explain", &path.to_string_lossy(), "-f", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["summary"]["broken_messages"], 0, "{report}");
    assert_eq!(report["summary"]["sessions"], 1, "{report}");
    assert_eq!(
        report["sessions"][0]["device_info"]["model"], "M\u{fc}nchen",
        "{report}"
    );
}

#[test]
fn a_log_in_utf16_reads_as_the_same_log_in_utf8() {
    // What PowerShell's `>` writes: UTF-16 with a byte-order mark.
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let dir = tempfile::tempdir().expect("tempdir");
    let little = dir.path().join("little.log");
    let big = dir.path().join("big.log");
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&little, bytes).expect("writes");
    let mut bytes = vec![0xfe, 0xff];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    std::fs::write(&big, bytes).expect("writes");
    let strip = |rows: Vec<Value>| -> Vec<Value> {
        rows.into_iter()
            .map(|mut row| {
                row.as_object_mut().expect("object").remove("file");
                row
            })
            .collect()
    };
    let original = strip(rows(&["log", "thread", FIXTURE, "-f", "jsonl"]));
    assert!(!original.is_empty());
    for path in [&little, &big] {
        let path = path.to_string_lossy();
        assert_eq!(
            strip(rows(&["log", "thread", &path, "-f", "jsonl"])),
            original,
            "{path}"
        );
    }
}

#[test]
fn a_file_given_twice_is_read_once_and_stderr_says_so() {
    let fixture = std::path::Path::new(FIXTURE);
    let other_path = format!(
        "{}/../{}/dme-server.log",
        fixture.parent().expect("folder").display(),
        fixture
            .parent()
            .and_then(|folder| folder.file_name())
            .expect("name")
            .to_string_lossy()
    );
    let once = explain_json(&[FIXTURE]);
    let (code, stdout, stderr) = run(&["log", "explain", FIXTURE, &other_path, "-f", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let twice: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(twice["summary"], once["summary"]);
    assert!(
        stderr.contains("is given twice: it is read once"),
        "{stderr}"
    );
}
