//! Hostile input never reaches a terminal raw: every subcommand, given log
//! content, database rows, file names and arguments that carry escape
//! sequences (a screen clear, an OSC 8 link, an OSC 52 clipboard write), bidi
//! overrides, zero-width and separator characters, writes none of them raw
//! on stdout or stderr — piped (as here) and with `--color always` — and its
//! JSON and XML stay JSON and XML.

mod common;

use std::path::Path;

use common::{DEMO_SQL, SqliteFile, dmtool};

/// A screen clear, an OSC 8 hyperlink, an OSC 52 clipboard write, a bidi
/// override, a zero-width space, a line separator, DEL and a C1 control.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]8;;http://evil.example/\u{7}link\u{1b}]8;;\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}exe.txt\u{200b}\u{2028}\u{7f}\u{85}";

/// What stdout or stderr holds that a terminal would act on, but dmtool's
/// own colour codes (SGR: `ESC [ … m`).
fn raw_controls(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            // dmtool's SGR: digits and ';' then 'm'.
            let mut sequence = String::new();
            chars.next();
            while let Some(&next) = chars.peek() {
                chars.next();
                sequence.push(next);
                if !(next.is_ascii_digit() || next == ';') {
                    break;
                }
            }
            if !sequence.ends_with('m') {
                found.push(format!("ESC[{sequence}"));
            }
            continue;
        }
        let dangerous = (c.is_control() && c != '\n' && c != '\t')
            || matches!(
                c,
                '\u{061c}'
                    | '\u{200b}'..='\u{200f}'
                    | '\u{2028}'..='\u{202e}'
                    | '\u{2060}'..='\u{2069}'
                    | '\u{feff}'
            );
        if dangerous {
            found.push(format!("{:?}", c));
        }
    }
    found
}

fn check(args: &[&str]) {
    for color in [None, Some("always")] {
        let mut command = dmtool();
        command.args(args);
        if let Some(color) = color {
            command.args(["--color", color]);
        }
        let output = command.output().expect("dmtool runs");
        for (channel, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let raw = raw_controls(&text);
            assert!(
                raw.is_empty(),
                "dmtool {args:?} --color {color:?}: raw {raw:?} on {channel}:\n{text}"
            );
        }
        // JSON stays JSON.
        if args.windows(2).any(|w| w == ["--format", "json"]) && output.status.success() {
            let _: serde_json::Value =
                serde_json::from_slice(&output.stdout).expect("stdout is still JSON");
        }
        if args.windows(2).any(|w| w == ["--format", "jsonl"]) && output.status.success() {
            for line in String::from_utf8_lossy(&output.stdout).lines() {
                let _: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
            }
        }
    }
}

fn hostile_log(dir: &Path) -> String {
    let log = format!(
        "2010-06-28 13:48:20,105 DEBUG [LogUtil] (t{HOSTILE}) Received from device:\n\
         <SyncML><SyncHdr><VerProto>DM/1.2</VerProto><SessionID>1{HOSTILE}</SessionID><MsgID>1</MsgID>\
         <Target><LocURI>https://dm.example.com/</LocURI></Target><Source><LocURI>IMEI:1{HOSTILE}</LocURI></Source></SyncHdr>\
         <SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert>\
         <Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/Mod{HOSTILE}</LocURI></Source><Data>E71&#x1b;[2J&#x202e;</Data></Item></Replace>\
         <Alert><CmdID>3</CmdID><Data>1226</Data><Item><Meta><Type>x{HOSTILE}</Type></Meta><Data>{HOSTILE}</Data></Item></Alert>\
         <Final/></SyncBody></SyncML>\n\
         2010-06-28 13:48:21,000 DEBUG [LogUtil] Sending to device:\n\
         <SyncML><SyncHdr><SessionID>1{HOSTILE}</SessionID><MsgID>1</MsgID><Target><LocURI>IMEI:1{HOSTILE}</LocURI></Target>\
         <Source><LocURI>https://dm.example.com/</LocURI></Source></SyncHdr><SyncBody>\
         <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Data>4{HOSTILE}</Data></Status>\
         <Get><CmdID>2</CmdID><Item><Target><LocURI>./{HOSTILE}</LocURI></Target></Item></Get><Final/></SyncBody></SyncML>\n\
         <SyncML><SyncHdr><MsgID>{HOSTILE}\n"
    );
    let path = dir.join("hostile.log");
    std::fs::write(&path, log).expect("write");
    path.to_str().expect("UTF-8").to_owned()
}

#[test]
fn the_log_commands_write_nothing_raw_from_a_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = hostile_log(dir.path());
    // A file name is input too.
    let named = dir
        .path()
        .join("no-syncml\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}gol.log");
    std::fs::write(&named, "nothing here\n").expect("write");
    let named = named.to_str().expect("UTF-8").to_owned();
    for format in ["table", "json", "jsonl"] {
        check(&["log", "explain", &log, &named, "--format", format]);
        check(&["log", "thread", &log, "--format", format]);
    }
    check(&["log", "pretty", &log]);
    check(&["log", "pretty", &log, "--raw"]);
    check(&["log", "pretty", &log, "--decode"]);
    check(&["log", "explain", &log, "--session", HOSTILE]);
    check(&[
        "log",
        "explain",
        &format!("{}/missing\u{1b}[2J.log", dir.path().display()),
    ]);
}

#[test]
fn the_database_commands_write_nothing_raw_from_a_row() {
    let sql = format!(
        "{DEMO_SQL}\nUPDATE dm_devices SET model = 'E71{HOSTILE}' WHERE phoneNumber = '30116718';\n\
         UPDATE dm_nodeData SET data = data || '{HOSTILE}';\n\
         UPDATE dm_node SET target = target || '{HOSTILE}';\n\
         UPDATE dm_job SET jobID = jobID || '{HOSTILE}';\n"
    );
    let file = SqliteFile::with_sql(&sql);
    let url = file.url();
    for format in ["table", "json", "jsonl"] {
        check(&[
            "jobs", "--db", &url, "--phone", "30116718", "--format", format,
        ]);
        check(&["device", "30116718", "--db", &url, "--format", format]);
    }
    check(&["jobs", "--db", &url, "--phone", HOSTILE]);
    check(&[
        "jobs",
        "--db",
        &format!("sqlite:/nonexistent/{HOSTILE}.db"),
        "--phone",
        "1",
    ]);
}

#[test]
fn the_decoders_and_lookups_write_nothing_raw() {
    // WBXML (SyncML 1.2): <SyncML><SyncHdr><SessionID>1 ESC[2J …</SessionID>.
    let mut wbxml = vec![0x02, 0xa4, 0x01, 0x6a, 0x00, 0x6d, 0x6c, 0x65, 0x03];
    wbxml.extend_from_slice(format!("1{HOSTILE}").as_bytes());
    wbxml.extend_from_slice(&[0x00, 0x01, 0x01, 0x01]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hostile.wbxml");
    std::fs::write(&path, &wbxml).expect("write");
    let path = path.to_str().expect("UTF-8");
    check(&["wbxml", "decode", path]);
    check(&["wbxml", "decode", path, "--compact"]);
    // A package 0 whose server ID is "d" ESC "[2J".
    let package =
        "C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2 03 28 00 00 00 10 10 05 64 1B 5B 32 4A";
    for format in ["table", "json"] {
        check(&["notification", package, "--format", format]);
    }
    check(&["status", HOSTILE]);
    check(&["alert", HOSTILE]);
    check(&["wbxml", "decode", HOSTILE]);
}

#[test]
fn a_password_file_is_read_to_a_few_kib_and_no_further() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("not-a-password");
    std::fs::write(&big, vec![b'x'; 1 << 20]).expect("write");
    let mut sources = vec![big.to_str().expect("UTF-8").to_owned()];
    if Path::new("/dev/zero").exists() {
        sources.push("/dev/zero".to_owned());
    }
    let package =
        "C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2 03 28 00 00 00 10 10 03 64 6D 65";
    for source in &sources {
        for args in [
            vec![
                "jobs",
                "--db",
                "demo",
                "--phone",
                "30116718",
                "--password-file",
                source,
            ],
            vec!["notification", package, "--password-file", source],
        ] {
            let output = dmtool()
                .args(&args)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .expect("dmtool runs");
            assert_eq!(output.status.code(), Some(2), "{args:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("holds more than 4096 bytes"),
                "{args:?}: {stderr}"
            );
        }
    }
    // A password file of one line still works.
    let small = dir.path().join("password");
    std::fs::write(&small, "s3cret\n").expect("write");
    let output = dmtool()
        .args([
            "jobs",
            "--db",
            "demo",
            "--phone",
            "30116718",
            "--password-file",
        ])
        .arg(&small)
        .output()
        .expect("dmtool runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_table_holds_a_bounded_number_of_rows_and_says_how_to_see_them_all() {
    // 3,000 one-message sessions: 6,000 rows.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut log = String::new();
    for session in 0..3000 {
        log.push_str(&format!(
            "<SyncML><SyncHdr><VerProto>DM/1.2</VerProto><SessionID>{session}</SessionID><MsgID>1</MsgID>\
             <Target><LocURI>https://dm.example.com/</LocURI></Target><Source><LocURI>IMEI:{session}</LocURI></Source>\
             </SyncHdr><SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>\n"
        ));
    }
    let path = dir.path().join("many.log");
    std::fs::write(&path, log).expect("write");
    let path = path.to_str().expect("UTF-8");
    let output = dmtool()
        .args(["log", "thread", path])
        .output()
        .expect("dmtool runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let rows = stdout.lines().filter(|line| line.contains("IMEI:")).count();
    assert_eq!(rows, 1000, "{stderr}");
    assert!(stderr.contains("the table stops at 1000 rows"), "{stderr}");
    // The table says so itself, for a reader whose stderr is elsewhere.
    assert_eq!(
        stdout.lines().last(),
        Some("… the first 1000 rows: there are more"),
        "{stdout}"
    );
    assert!(stderr.contains("--format csv, tsv or jsonl"), "{stderr}");
    // The streaming formats carry every row.
    let output = dmtool()
        .args(["log", "thread", path, "--format", "jsonl"])
        .output()
        .expect("dmtool runs");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().count(),
        6000
    );
}

#[test]
fn broken_messages_and_unanswered_packages_past_a_few_hundred_are_counted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut log = String::new();
    for _ in 0..700 {
        log.push_str(
            "<SyncML><SyncHdr><MsgID>1</MsgID></SyncHdr><SyncBody></Data></SyncBody></SyncML>\n",
        );
    }
    for session in 0..600u32 {
        log.push_str(&format!(
            "2010-06-27 13:40:00,000 DEBUG [LogUtil] (sms-1) Sending notification to 30116718:\n\
             C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2\n03 28 00 00 00 {:02X} {:02X} 03 64 6D 65\n",
            (0x8000 + session) >> 8,
            (0x8000 + session) & 255
        ));
    }
    let path = dir.path().join("many.log");
    std::fs::write(&path, log).expect("write");
    let path = path.to_str().expect("UTF-8");
    let (_, stdout, _) = common::run(&["log", "explain", path, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["summary"]["broken_messages"], 700);
    assert_eq!(report["broken"].as_array().expect("broken").len(), 500);
    assert_eq!(report["summary"]["broken_not_listed"], 200);
    assert_eq!(report["summary"]["unanswered_notifications"], 600);
    assert_eq!(
        report["unanswered_notifications"]
            .as_array()
            .expect("unanswered")
            .len(),
        500
    );
    assert_eq!(report["summary"]["unanswered_not_listed"], 100);
    let (_, text, _) = common::run(&["log", "explain", path]);
    assert!(text.contains("… and 200 more broken messages"), "{text}");
    assert!(
        text.contains("… and 100 more packages 0 nobody answered"),
        "{text}"
    );
}

#[test]
fn decoders_refuse_what_is_not_theirs_and_say_what_is_wrong() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A log file is no package 0 (it used to decode as "version 23.2").
    let log = dir.path().join("server.log");
    std::fs::write(&log, "2010-06-28 13:48:20,001 INFO  [DMServlet] started\n").expect("write");
    let (_, stderr) = common::fails_with(&["notification", log.to_str().expect("UTF-8")], 1);
    assert!(stderr.contains("not 1.2"), "{stderr}");
    // A package 0 behind a WAP push header (TID, Push, content type 0xC4).
    let package =
        "C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2 03 28 00 00 00 10 10 03 64 6D 65";
    let pushed = format!("01 06 01 C4 {package}");
    let shown = common::json(&["notification", &pushed, "--format", "json"]);
    assert_eq!(shown[0]["server_id"], "dme", "{shown}");
    assert_eq!(shown[0]["version"], "1.2");
    // A message past the size limit says so.
    let big = dir.path().join("big.log");
    let mut text = b"<SyncML><SyncHdr><MsgID>1</MsgID></SyncHdr><SyncBody><Data>".to_vec();
    text.resize(17 * 1024 * 1024, b'A');
    std::fs::write(&big, text).expect("write");
    let (code, _, stderr) = common::run(&["log", "thread", big.to_str().expect("UTF-8")]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("the message is larger than 16 MiB"),
        "{stderr}"
    );
}

#[test]
fn a_damaged_wbxml_header_says_which_byte() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/wbxml/dme-server.wbxml"
    );
    let bytes = std::fs::read(fixture).expect("fixture");
    let dir = tempfile::tempdir().expect("temp dir");
    // The version byte damaged: the public id after it is still SyncML's.
    let mut damaged = bytes.clone();
    damaged[0] = 0xFF;
    let path = dir.path().join("damaged.wbxml");
    std::fs::write(&path, &damaged).expect("write");
    let (_, stderr) = common::fails_with(&["wbxml", "decode", path.to_str().expect("UTF-8")], 1);
    assert!(
        stderr.contains("byte 0 (the WBXML version) is 0xff"),
        "{stderr}"
    );
    // The public id damaged.
    let mut damaged = bytes;
    damaged[1] = 0x1F;
    damaged[2] = 0x7F;
    std::fs::write(&path, &damaged).expect("write");
    let (_, stderr) = common::fails_with(&["wbxml", "decode", path.to_str().expect("UTF-8")], 1);
    assert!(
        stderr.contains("the public id after the version byte is"),
        "{stderr}"
    );
}
