//! Logs as administrators have them: the project's DME-style fixture written
//! the ways other loggers, appenders and consoles write it (escaped, JSON
//! lines, XMLLayout, a prefix on every line), each read through `dmtool log
//! thread` to the same facts as the plain log, file, line and time aside, and
//! with the time of each form kept.

mod common;

use std::path::{Path, PathBuf};

use common::run;
use serde_json::{Value, json};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/dme-server.log");

/// A log4j record of the fixture: time (`2010-06-28 13:48:20,105`), level,
/// logger, and its text (the rest of the header line and the lines after it).
struct Record {
    time: String,
    level: String,
    logger: String,
    text: String,
}

fn records() -> Vec<Record> {
    let log = std::fs::read_to_string(FIXTURE).expect("fixture");
    let mut records: Vec<Record> = Vec::new();
    for line in log.lines() {
        let is_header = line.len() > 24
            && line.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && line.as_bytes()[23] == b' ';
        if is_header {
            let (time, rest) = line.split_at(23);
            let rest = rest.trim_start();
            let (level, rest) = rest.split_once(' ').expect("a level");
            let rest = rest.trim_start();
            let (logger, text) = rest.split_once("] ").expect("a logger");
            records.push(Record {
                time: time.to_owned(),
                level: level.to_owned(),
                logger: logger.trim_start_matches('[').to_owned(),
                text: text.to_owned(),
            });
        } else {
            let last = records
                .last_mut()
                .expect("the fixture starts with a record");
            last.text.push('\n');
            last.text.push_str(line);
        }
    }
    records
}

/// Every physical line of the fixture with the time of its record.
fn timed_lines() -> Vec<(String, String)> {
    let mut time = String::new();
    let log = std::fs::read_to_string(FIXTURE).expect("fixture");
    log.lines()
        .map(|line| {
            if line.len() > 23 && line.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                time = line[..23].to_owned();
            }
            (time.clone(), line.to_owned())
        })
        .collect()
}

/// `2010-06-28 13:48:20,105` as RFC 3339.
fn rfc3339(time: &str) -> String {
    format!("{}T{}Z", &time[..10], time[11..].replace(',', "."))
}

/// `2010-06-28 13:48:20,105` as epoch milliseconds (the fixture's dates are
/// all in June 2010).
fn epoch_millis(time: &str) -> i64 {
    let number = |range: std::ops::Range<usize>| -> i64 { time[range].parse().expect("digits") };
    assert_eq!(&time[..8], "2010-06-");
    // 2010-06-01T00:00:00Z
    let june_first = 1_275_350_400_000;
    june_first
        + (number(8..10) - 1) * 86_400_000
        + number(11..13) * 3_600_000
        + number(14..16) * 60_000
        + number(17..19) * 1000
        + number(20..23)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// The fixture in each shape, by name.
fn shapes() -> Vec<(&'static str, String)> {
    let records = records();
    let lines = timed_lines();
    let each_record =
        |write: &dyn Fn(&Record) -> String| -> String { records.iter().map(write).collect() };
    let each_line = |write: &dyn Fn(&str, &str) -> String| -> String {
        lines
            .iter()
            .map(|(time, line)| write(time, line) + "\n")
            .collect()
    };
    vec![
        // An HTML log viewer or an escaping appender.
        ("html-escaped.log", each_line(&|_, line| html_escape(line))),
        // logstash-logback-encoder / ECS.
        (
            "ecs.jsonl",
            each_record(&|r| {
                json!({"@timestamp": rfc3339(&r.time), "log.level": r.level,
                       "log.logger": r.logger, "message": r.text})
                .to_string()
                    + "\n"
            }),
        ),
        // Go's encoding/json escapes <, > and & as \u003c, \u003e, \u0026.
        (
            "go.jsonl",
            each_record(&|r| {
                json!({"time": rfc3339(&r.time), "level": r.level, "msg": r.text})
                    .to_string()
                    .replace('<', "\\u003c")
                    .replace('>', "\\u003e")
                    .replace('&', "\\u0026")
                    + "\n"
            }),
        ),
        // zap: epoch seconds as a number.
        (
            "zap.jsonl",
            each_record(&|r| {
                format!(
                    "{{\"level\":\"{}\",\"ts\":{}.{:03},\"msg\":{}}}\n",
                    r.level.to_lowercase(),
                    epoch_millis(&r.time) / 1000,
                    epoch_millis(&r.time) % 1000,
                    Value::String(r.text.clone())
                )
            }),
        ),
        // Structured logging: the words in "msg", the XML in a field of its
        // own (zap's or logrus's fields).
        (
            "fields.jsonl",
            each_record(&|r| {
                let (words, xml) = r.text.split_at(r.text.find('<').unwrap_or(r.text.len()));
                json!({"level": r.level, "time": rfc3339(&r.time), "msg": words.trim_end(),
                       "body": xml})
                .to_string()
                    + "\n"
            }),
        ),
        // A container runtime's json-file: one record per physical line.
        (
            "docker.json",
            each_line(&|time, line| {
                json!({"log": format!("{line}\n"), "stream": "stdout", "time": rfc3339(time)})
                    .to_string()
            }),
        ),
        // toString() dumps and string literals: one line, \" and \n.
        (
            "backslashed.log",
            each_record(&|r| {
                let text = r
                    .text
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n");
                format!("{} {} [{}] {text}\n", r.time, r.level, r.logger)
            }),
        ),
        // log4j's XMLLayout.
        (
            "xmllayout.xml",
            each_record(&|r| {
                format!(
                    "<log4j:event logger=\"{}\" timestamp=\"{}\" level=\"{}\" thread=\"main\">\n\
                     <log4j:message><![CDATA[{}]]></log4j:message>\n</log4j:event>\n\n",
                    r.logger,
                    epoch_millis(&r.time),
                    r.level,
                    r.text
                )
            }),
        ),
        // A prefix on every physical line: kubectl --timestamps, logcat, syslog.
        (
            "kubectl.log",
            each_line(&|time, line| format!("{}123456Z {line}", &rfc3339(time)[..23])),
        ),
        (
            "logcat.log",
            each_line(&|time, line| {
                format!(
                    "{}  1234  1250 D OmaDmServer: {line}",
                    time[5..].replace(',', ".")
                )
            }),
        ),
        (
            "syslog.log",
            each_line(&|time, line| format!("Jun 28 {} dmhost dm[42]: {line}", &time[11..19])),
        ),
    ]
}

/// The rows of `log thread --format jsonl` output without file, line and
/// time: what must not change with the way a log is written or split.
fn rows_without_place(jsonl: &str) -> Vec<Value> {
    jsonl
        .lines()
        .map(|line| {
            let mut row: Value = serde_json::from_str(line).expect("JSON");
            let object = row.as_object_mut().expect("object");
            for key in ["file", "line", "time"] {
                object.remove(key);
            }
            row
        })
        .collect()
}

/// `log thread --format jsonl` of a file: each row without file, line and
/// time, and the times apart.
fn facts(path: &Path) -> (Vec<Value>, Vec<String>) {
    let path = path.to_str().expect("UTF-8 path");
    let (code, stdout, stderr) = run(&["log", "thread", path, "--format", "jsonl"]);
    assert_eq!(code, 0, "{path}: {stderr}");
    let mut times = Vec::new();
    let rows = stdout
        .lines()
        .map(|line| {
            let mut row: Value = serde_json::from_str(line).expect("JSON");
            let object = row.as_object_mut().expect("an object");
            object.remove("file");
            object.remove("line");
            if let Some(Value::String(time)) = object.remove("time") {
                times.push(time);
            }
            row
        })
        .collect();
    (rows, times)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn every_shape_threads_to_the_facts_of_the_plain_log_with_its_time() {
    let (plain, plain_times) = facts(Path::new(FIXTURE));
    assert!(plain.len() > 10);
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in shapes() {
        let path = write(dir.path(), name, &text);
        let (rows, times) = facts(&path);
        assert_eq!(rows, plain, "{name}: the facts differ from the plain log's");
        assert_eq!(
            times.len(),
            plain_times.len(),
            "{name}: every row has a time"
        );
        // Each row's time is its record's, in the form the log wrote it.
        for (time, plain_time) in times.iter().zip(&plain_times) {
            let expected = match name {
                "ecs.jsonl" | "go.jsonl" | "zap.jsonl" | "fields.jsonl" | "xmllayout.xml" => {
                    rfc3339(plain_time)
                }
                "docker.json" | "html-escaped.log" | "backslashed.log" => plain_time.clone(),
                "kubectl.log" => format!("{}123456Z", &rfc3339(plain_time)[..23]),
                "logcat.log" => plain_time[5..].replace(',', "."),
                "syslog.log" => format!("Jun 28 {}", &plain_time[11..19]),
                other => panic!("{other}"),
            };
            assert_eq!(time, &expected, "{name}");
        }
    }
}

#[test]
fn a_message_carried_as_data_is_not_a_message() {
    // A message whose Results carry another message (in CDATA), one whose
    // Data carries it escaped and one whose Data holds it as elements: three
    // messages, none broken.
    let inner = "<SyncML><SyncHdr><SessionID>9</SessionID><MsgID>1</MsgID></SyncHdr><SyncBody><Final/></SyncBody></SyncML>";
    let outer = |data: &str| {
        format!(
            "<SyncML><SyncHdr><VerProto>DM/1.2</VerProto><SessionID>5</SessionID><MsgID>2</MsgID>\
             <Target><LocURI>https://dm.example.com/</LocURI></Target><Source><LocURI>IMEI:1</LocURI></Source></SyncHdr>\
             <SyncBody><Results><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Item>\
             <Source><LocURI>./Vendor/Trace</LocURI></Source>\n<Data>{data}</Data></Item></Results><Final/></SyncBody></SyncML>\n"
        )
    };
    let log = format!(
        "{}{}{}",
        outer(&format!("<![CDATA[\n{inner}\n]]>")),
        outer(&html_escape(inner)),
        // As Windows MDM writes a SyncML document into a SettingsPack's Data.
        outer(&format!("\n{inner}\n"))
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "data.log", &log);
    let (code, stdout, stderr) = run(&[
        "log",
        "explain",
        path.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("broken"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON");
    let sessions = report["sessions"].as_array().expect("sessions");
    assert!(
        sessions.iter().all(|s| s["session"] == "5"),
        "no phantom session: {sessions:#?}"
    );
    assert_eq!(report["summary"]["messages"], 3, "{:#}", report["summary"]);
    assert_eq!(report["summary"]["broken_messages"], 0);
}

/// The fixture cut into a rotated set at `cuts` (line numbers where each
/// later file begins), newest file first as the shell lists `server.log*`;
/// the oldest gzip-compressed.
fn rotated_set(dir: &Path, strip_time: bool) -> Vec<String> {
    use std::io::Write;
    let log = std::fs::read_to_string(FIXTURE).expect("fixture");
    let lines: Vec<&str> = log.lines().collect();
    // Inside session 1A2B, between two of its messages, and inside the next.
    let parts = [&lines[..51], &lines[51..85], &lines[85..]];
    let text = |part: &[&str]| -> String {
        part.iter()
            .map(|line| {
                let line = if strip_time && line.starts_with("2010-") {
                    &line[24..]
                } else {
                    line
                };
                format!("{line}\n")
            })
            .collect()
    };
    let oldest = dir.join("server.log.2.gz");
    let mut gzip = flate2::write::GzEncoder::new(
        std::fs::File::create(&oldest).expect("create"),
        flate2::Compression::default(),
    );
    gzip.write_all(text(parts[0]).as_bytes()).expect("gzip");
    gzip.finish().expect("gzip");
    let older = write(dir, "server.log.1", &text(parts[1]));
    let newest = write(dir, "server.log", &text(parts[2]));
    [newest, older, oldest]
        .iter()
        .map(|path| path.to_str().expect("UTF-8").to_owned())
        .collect()
}

#[test]
fn a_rotated_set_given_newest_first_is_read_in_log_order() {
    let (plain, _) = facts(Path::new(FIXTURE));
    for strip_time in [false, true] {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = rotated_set(dir.path(), strip_time);
        let mut args = vec!["log", "thread", "--format", "jsonl"];
        args.extend(files.iter().map(String::as_str));
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{stderr}");
        let by = if strip_time {
            "by their rotation numbers"
        } else {
            "by their first timestamps"
        };
        assert!(
            stderr.contains("reading the inputs in log order") && stderr.contains(by),
            "{stderr}"
        );
        let rows = rows_without_place(&stdout);
        // Session 1A2B spans the three files: one session, as in the plain log.
        assert_eq!(rows, plain, "strip_time={strip_time}");
        // Explain: two sessions, and the first one's time runs forwards.
        let mut args = vec!["log", "explain", "--format", "json"];
        args.extend(files.iter().map(String::as_str));
        let (_, stdout, _) = run(&args);
        let report: Value = serde_json::from_str(&stdout).expect("JSON");
        assert_eq!(report["summary"]["sessions"], 2, "{:#}", report["summary"]);
        if !strip_time {
            for session in report["sessions"].as_array().expect("sessions") {
                let (first, last) = (&session["first_time"], &session["last_time"]);
                assert!(
                    first.as_str() <= last.as_str(),
                    "time runs backwards: {first} {last}"
                );
            }
        }
    }
}

#[test]
fn an_input_without_syncml_is_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = write(
        dir.path(),
        "catalina.out",
        "2010-06-28 13:48:20,001 INFO  [Server] started\n",
    );
    let empty = empty.to_str().expect("UTF-8");
    let (code, stdout, stderr) = run(&["log", "explain", FIXTURE, empty]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("no SyncML messages in {empty}")),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("no SyncML").count(),
        1,
        "only that input: {stderr}"
    );
    assert!(
        stdout.trim_end().ends_with("1 input without SyncML"),
        "{stdout}"
    );
    let report: Value =
        serde_json::from_str(&run(&["log", "explain", empty, "--format", "json"]).1).expect("JSON");
    assert_eq!(report["summary"]["inputs_without_syncml"], 1);
    // An input with SyncML in it is not said to have none.
    let (_, _, stderr) = run(&["log", "thread", FIXTURE]);
    assert!(!stderr.contains("no SyncML"), "{stderr}");
}

#[test]
fn filters_work_as_people_type_them() {
    let count = |extra: &[&str]| -> usize {
        let mut args = vec!["log", "thread", FIXTURE, "--format", "jsonl"];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{extra:?}: {stderr}");
        stdout.lines().count()
    };
    let all = count(&[]);
    // Hex SessionIDs and LocURIs in any case (both of the fixture's
    // sessions are 1A2B).
    assert_eq!(count(&["--session", "1A2B"]), all);
    assert_eq!(count(&["--session", "1a2b"]), all);
    assert_eq!(count(&["--session", "1a2"]), 0);
    let device = count(&["--device", "IMEI:3569"]);
    assert!(device > 0 && device < all);
    assert_eq!(count(&["--device", "imei:3569"]), device);
    // --since and --until by record time, in the forms jobs takes; the
    // fixture runs from 13:48:20 to 13:48:23 on 2010-06-28.
    assert_eq!(count(&["--since", "2010-06-28"]), all);
    assert_eq!(count(&["--until", "2010-06-28"]), all);
    assert_eq!(count(&["--since", "2010-06-29"]), 0);
    assert_eq!(count(&["--until", "2010-06-27"]), 0);
    let late = count(&["--since", "2010-06-28T13:48:21"]);
    let early = count(&["--until", "2010-06-28 13:48:20"]);
    assert!(
        late > 0 && early > 0 && late + early == all,
        "{late} + {early} != {all}"
    );
    // Yearless times (syslog) are compared within the year.
    let dir = tempfile::tempdir().expect("temp dir");
    let syslog = shapes()
        .into_iter()
        .find(|(name, _)| *name == "syslog.log")
        .expect("syslog shape")
        .1;
    let path = write(dir.path(), "syslog.log", &syslog);
    let path = path.to_str().expect("UTF-8");
    let (_, stdout, _) = run(&[
        "log",
        "thread",
        path,
        "--format",
        "jsonl",
        "--since",
        "2010-06-28T13:48:21",
    ]);
    assert_eq!(stdout.lines().count(), late);
    // A date that is none is a usage error.
    let (code, _, stderr) = run(&["log", "explain", FIXTURE, "--since", "2010-13-01"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("'2010-13-01' is not a date"), "{stderr}");
}

/// An OMA DS message of this project's writing.
fn ds_message(from_client: bool, msg_id: u32, body: &str) -> String {
    let (target, source) = if from_client {
        ("http://sync.example.com/funambol/ds", "fol-client-7")
    } else {
        ("fol-client-7", "http://sync.example.com/funambol/ds")
    };
    format!(
        "<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>SyncML/1.2</VerProto><SessionID>77</SessionID>\
         <MsgID>{msg_id}</MsgID><Target><LocURI>{target}</LocURI></Target><Source><LocURI>{source}</LocURI></Source>\
         </SyncHdr><SyncBody>{body}<Final/></SyncBody></SyncML>\n"
    )
}

fn ds_status(cmd_id: u32, msg_ref: u32, cmd_ref: u32, cmd: &str, code: u32) -> String {
    format!(
        "<Status><CmdID>{cmd_id}</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>{cmd_ref}</CmdRef>\
         <Cmd>{cmd}</Cmd><Data>{code}</Data></Status>"
    )
}

#[test]
fn oma_ds_changes_inside_sync_are_threaded_and_the_session_ends_normally() {
    let item =
        |uri: &str| format!("<Item><Source><LocURI>{uri}</LocURI></Source><Data>x</Data></Item>");
    let log = [
        ds_message(
            true,
            1,
            "<Alert><CmdID>1</CmdID><Data>200</Data><Item><Target><LocURI>card</LocURI></Target>\
             <Source><LocURI>scard</LocURI></Source></Item></Alert>",
        ),
        ds_message(
            false,
            1,
            &(ds_status(1, 1, 0, "SyncHdr", 212)
                + &ds_status(2, 1, 1, "Alert", 200)
                + "<Alert><CmdID>3</CmdID><Data>200</Data></Alert>"),
        ),
        ds_message(
            true,
            2,
            &(ds_status(1, 1, 0, "SyncHdr", 200)
                + &ds_status(2, 1, 3, "Alert", 200)
                + &format!(
                    "<Sync><CmdID>3</CmdID><Target><LocURI>card</LocURI></Target>\
                     <Add><CmdID>4</CmdID>{}</Add><Replace><CmdID>5</CmdID>{}</Replace>\
                     <Delete><CmdID>6</CmdID>{}</Delete></Sync>",
                    item("c1"),
                    item("c2"),
                    item("c3")
                )),
        ),
        ds_message(
            false,
            2,
            &(ds_status(1, 2, 0, "SyncHdr", 200)
                + &ds_status(2, 2, 3, "Sync", 200)
                + &ds_status(3, 2, 4, "Add", 201)
                + &ds_status(4, 2, 5, "Replace", 200)
                + &ds_status(5, 2, 6, "Delete", 211)
                + &format!(
                    "<Sync><CmdID>6</CmdID><Add><CmdID>7</CmdID>{}</Add></Sync>",
                    item("s1")
                )),
        ),
        ds_message(
            true,
            3,
            &(ds_status(1, 2, 0, "SyncHdr", 200)
                + &ds_status(2, 2, 6, "Sync", 200)
                + &ds_status(3, 2, 7, "Add", 201)
                + "<Map><CmdID>4</CmdID><MapItem><Target><LocURI>s1</LocURI></Target>\
                   <Source><LocURI>c9</LocURI></Source></MapItem></Map>"),
        ),
        ds_message(
            false,
            3,
            &(ds_status(1, 3, 0, "SyncHdr", 200) + &ds_status(2, 3, 4, "Map", 200)),
        ),
    ]
    .concat();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "ds.log", &log);
    let path = path.to_str().expect("UTF-8");
    let (code, stdout, stderr) = run(&["log", "thread", path, "--format", "jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    let rows: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    let status_of = |direction: &str, msg: &str, cmd: &str| -> Value {
        rows.iter()
            .find(|r| r["direction"] == direction && r["msg_id"] == msg && r["cmd_id"] == cmd)
            .unwrap_or_else(|| panic!("no row {direction} {msg}/{cmd}: {rows:#?}"))["status"]
            .clone()
    };
    // The changes inside each Sync are rows of their own, with their answers.
    assert_eq!(status_of("device_to_server", "2", "4"), 201);
    assert_eq!(status_of("device_to_server", "2", "5"), 200);
    assert_eq!(status_of("device_to_server", "2", "6"), 211);
    assert_eq!(status_of("server_to_device", "2", "7"), 201);
    assert_eq!(status_of("device_to_server", "3", "4"), 200);
    let report: Value =
        serde_json::from_str(&run(&["log", "explain", path, "--format", "json"]).1).expect("JSON");
    let session = &report["sessions"][0];
    assert_eq!(report["summary"]["sessions"], 1);
    assert_eq!(session["ending"], "normally", "{session:#}");
    assert_eq!(
        session["findings"],
        json!([]),
        "no false findings: {session:#}"
    );
}

#[test]
fn a_generic_alert_is_named_by_its_type_with_its_source_and_data() {
    let message = "<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>3F</SessionID>\
        <MsgID>1</MsgID><Target><LocURI>https://dm.example.com/dm</LocURI></Target>\
        <Source><LocURI>IMEI:490154203237518</LocURI></Source></SyncHdr><SyncBody>\
        <Alert><CmdID>1</CmdID><Data>1201</Data></Alert>\
        <Alert><CmdID>2</CmdID><Data>1226</Data><Correlator>job-17</Correlator><Item>\
        <Source><LocURI>./FUMO/Pkg1/DownloadAndUpdate</LocURI></Source>\
        <Meta><Type xmlns=\"syncml:metinf\">org.openmobilealliance.dm.firmwareupdate.downloadandupdate</Type>\
        <Format xmlns=\"syncml:metinf\">int</Format><Mark xmlns=\"syncml:metinf\">critical</Mark></Meta>\
        <Data>410</Data></Item></Alert><Final/></SyncBody></SyncML>\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "fumo.log", message);
    let path = path.to_str().expect("UTF-8");
    let (_, stdout, _) = run(&["log", "thread", path, "--format", "jsonl"]);
    let alert: Value = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON"))
        .find(|row| row["cmd_id"] == "2")
        .expect("the Generic Alert's row");
    assert_eq!(
        alert["alert_type"],
        "org.openmobilealliance.dm.firmwareupdate.downloadandupdate"
    );
    assert_eq!(alert["alert_data"], "410");
    assert_eq!(alert["targets"], json!(["./FUMO/Pkg1/DownloadAndUpdate"]));
    let (_, text, _) = run(&["log", "explain", path]);
    assert!(
        text.contains("device Alert 1226 org.openmobilealliance.dm.firmwareupdate.downloadandupdate ./FUMO/Pkg1/DownloadAndUpdate"),
        "{text}"
    );
    assert!(
        text.contains(
            "Generic Alert from the device: the result of a firmware download and update (FUMO)"
        ) && text.contains("data 410"),
        "{text}"
    );
    let report: Value =
        serde_json::from_str(&run(&["log", "explain", path, "--format", "json"]).1).expect("JSON");
    let exchange = &report["sessions"][0]["exchange"];
    assert!(
        exchange
            .as_array()
            .expect("exchange")
            .iter()
            .any(|e| e["alert"] == 1226 && e["alert_data"] == "410"),
        "{exchange:#}"
    );
}

#[test]
fn a_session_authenticated_before_the_log_is_not_said_to_send_no_credentials() {
    let dm = |from_device: bool, msg_id: u32, cred: &str, body: &str| {
        let (target, source) = if from_device {
            ("https://dm.example.com/dm", "IMEI:490154203237518")
        } else {
            ("IMEI:490154203237518", "https://dm.example.com/dm")
        };
        format!(
            "<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>5</SessionID>\
             <MsgID>{msg_id}</MsgID><Target><LocURI>{target}</LocURI></Target><Source><LocURI>{source}</LocURI></Source>\
             {cred}</SyncHdr><SyncBody>{body}<Final/></SyncBody></SyncML>\n"
        )
    };
    let cred = "<Cred><Meta><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>ZGlnZXN0</Data></Cred>";
    let status = |cmd_id: u32, msg_ref: u32, cmd_ref: u32, code: u32| {
        format!(
            "<Status><CmdID>{cmd_id}</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>{cmd_ref}</CmdRef><Data>{code}</Data></Status>"
        )
    };
    let get =
        "<Get><CmdID>2</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>";
    let package_1 = dm(
        true,
        1,
        cred,
        "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>",
    );
    let rest = [
        dm(
            false,
            1,
            "",
            &(status(1, 1, 0, 212) + &status(3, 1, 1, 200) + get),
        ),
        dm(true, 2, "", &status(1, 1, 0, 200)),
        dm(false, 2, "", &status(1, 2, 0, 200)),
    ]
    .concat();
    let dir = tempfile::tempdir().expect("temp dir");
    let authentication = |name: &str, log: &str| -> Value {
        let path = write(dir.path(), name, log);
        let path = path.to_str().expect("UTF-8");
        let report: Value =
            serde_json::from_str(&run(&["log", "explain", path, "--format", "json"]).1)
                .expect("JSON");
        report["sessions"][0]["authentication"].clone()
    };
    // The whole session: md5 credentials, accepted with 212.
    let whole = authentication("whole.log", &(package_1.clone() + &rest));
    assert_eq!(whole["methods"], json!(["syncml:auth-md5"]));
    assert_eq!(whole["accepted"], true);
    assert!(whole.get("authenticated_earlier").is_none(), "{whole}");
    // The log starts after package 1: authenticated before it.
    let cut = authentication("cut.log", &rest[rest.find("<SyncML>").expect("x")..]);
    assert_eq!(cut["authenticated_earlier"], true, "{cut}");
    let path = write(dir.path(), "cut2.log", &rest);
    let (_, text, _) = run(&["log", "explain", path.to_str().expect("UTF-8")]);
    assert!(
        text.contains(
            "no credentials in these messages: the session was authenticated before them"
        ),
        "{text}"
    );
    assert!(!text.contains("sent no credentials"), "{text}");
    // A package 1 without credentials that is never accepted is still said.
    let bare = authentication(
        "bare.log",
        &dm(
            true,
            1,
            "",
            "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>",
        ),
    );
    assert!(bare.get("authenticated_earlier").is_none(), "{bare}");
    assert_eq!(bare["accepted"], false);
}

#[test]
fn messages_without_a_session_id_stand_alone_unless_their_header_ties_them() {
    let message = |ends: Option<(&str, &str)>, msg_id: u32, body: &str| {
        let ends = ends.map_or(String::new(), |(target, source)| {
            format!("<Target><LocURI>{target}</LocURI></Target><Source><LocURI>{source}</LocURI></Source>")
        });
        format!(
            "<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><MsgID>{msg_id}</MsgID>{ends}</SyncHdr>\
             <SyncBody>{body}<Final/></SyncBody></SyncML>\n"
        )
    };
    let replace = |cmd_id: u32| {
        format!(
            "<Replace><CmdID>{cmd_id}</CmdID><Item><Target><LocURI>./Vendor/MSFT/Policy/Config/Camera/AllowCamera</LocURI></Target><Data>0</Data></Item></Replace>"
        )
    };
    // Three examples from a document: no SessionID, no LocURIs.
    let examples = [
        message(None, 1, &replace(1)),
        message(None, 1, &replace(2)),
        message(None, 1, &replace(3)),
    ]
    .concat();
    let dir = tempfile::tempdir().expect("temp dir");
    let report = |name: &str, text: &str| -> Value {
        let path = write(dir.path(), name, text);
        serde_json::from_str(
            &run(&[
                "log",
                "explain",
                path.to_str().expect("UTF-8"),
                "--format",
                "json",
            ])
            .1,
        )
        .expect("JSON")
    };
    let alone = report("examples.md", &examples);
    assert_eq!(alone["summary"]["sessions"], 3, "{:#}", alone["summary"]);
    for session in alone["sessions"].as_array().expect("sessions") {
        assert_eq!(session["ending"], "isolated", "{session:#}");
        assert!(
            session["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .all(|f| f["kind"] != "lost_connection"),
            "{session:#}"
        );
    }
    // A device's message and the server's answer (MsgRef) with the same
    // LocURIs: one session.
    let device = ("https://mdm.example.com/omadm", "B5B954E81FBCB94E");
    let server = (device.1, device.0);
    let exchange = [
        message(Some(device), 1, "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"),
        message(
            Some(server),
            1,
            &format!(
                "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>{}",
                replace(2)
            ),
        ),
        message(
            Some(device),
            2,
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>\
             <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef><Cmd>Replace</Cmd><Data>200</Data></Status>",
        ),
        // Another capture of the same device, starting again at MsgID 1 with
        // nothing tying it to the first: a session of its own.
        message(Some(server), 1, &replace(7)),
    ]
    .concat();
    let tied = report("exchange.log", &exchange);
    assert_eq!(tied["summary"]["sessions"], 2, "{:#}", tied["summary"]);
    assert_eq!(
        tied["sessions"][0]["messages"], 3,
        "{:#}",
        tied["sessions"][0]
    );
    assert_eq!(tied["sessions"][1]["ending"], "isolated");
}

#[test]
fn what_a_message_carries_wins_over_a_swapped_header_and_a_warning_says_so() {
    // A device's Generic Alert and DevInfo with the LocURIs the wrong way
    // round (as a documentation example writes it).
    let message = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>\
        <SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>490154203237518</LocURI></Target>\
        <Source><LocURI>https://mdm.example.com/omadm</LocURI></Source></SyncHdr><SyncBody>\
        <Alert><CmdID>2</CmdID><Data>1226</Data><Item><Meta><Type xmlns=\"syncml:metinf\">com.microsoft:mdm.unenrollment.userrequest</Type>\
        <Format xmlns=\"syncml:metinf\">int</Format></Meta><Data>1</Data></Item></Alert>\
        <Replace><CmdID>3</CmdID><Item><Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>490154203237518</Data></Item></Replace>\
        <Final/></SyncBody></SyncML>\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "unenroll.md", message);
    let path = path.to_str().expect("UTF-8");
    let (_, stdout, _) = run(&["log", "thread", path, "--format", "jsonl"]);
    for line in stdout.lines() {
        let row: Value = serde_json::from_str(line).expect("JSON");
        assert_eq!(row["direction"], "device_to_server", "{row}");
        assert_eq!(row["device"], "490154203237518", "{row}");
    }
    let report: Value =
        serde_json::from_str(&run(&["log", "explain", path, "--format", "json"]).1).expect("JSON");
    let findings = &report["sessions"][0]["findings"];
    assert!(
        findings
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["kind"] == "header_swapped" && f["severity"] == "warning"),
        "{findings:#}"
    );
}

#[test]
fn fragments_are_reported_and_what_they_carry_is_used() {
    let (plain, _) = facts(Path::new(FIXTURE));
    let log = std::fs::read_to_string(FIXTURE).expect("fixture");
    let lines: Vec<&str> = log.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.starts_with("<SyncML"))
        .expect("a message start");
    // The second message's start line is lost (the server's package 2): the
    // rest of it is a fragment, reported, and its header and Statuses are
    // threaded as if it were whole.
    let second = lines[start + 1..]
        .iter()
        .position(|line| line.starts_with("<SyncML"))
        .map(|at| at + start + 1)
        .expect("a second message");
    let lost_start: String = lines
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != second)
        .map(|(_, line)| format!("{line}\n"))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "lost-start.log", &lost_start);
    let (rows, _) = facts(&path);
    assert_eq!(rows, plain, "the fragment's header and Statuses are used");
    let (_, _, stderr) = run(&["log", "thread", path.to_str().expect("UTF-8")]);
    assert!(
        stderr.contains(&format!(
            "lost-start.log:{}: broken SyncML message: fragment: the message starts before this line",
            second + 1
        )),
        "{stderr}"
    );
    // A log that starts inside a message (rotation cut it): the fragment is
    // reported at line 1; without a header it ties to no session, and no
    // session is invented for it.
    let cut: String = lines[second + 8..]
        .iter()
        .map(|line| format!("{line}\n"))
        .collect();
    let path = write(dir.path(), "cut.log", &cut);
    let path = path.to_str().expect("UTF-8");
    let (code, stdout, stderr) = run(&["log", "explain", path, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON");
    let broken = report["broken"].as_array().expect("broken");
    assert!(
        broken.iter().any(|b| b["line"] == 1
            && b["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("fragment: the message starts before this line"))),
        "{broken:#?}"
    );
    assert!(
        report["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .all(|s| s["session"] == "1A2B"),
        "{:#}",
        report["sessions"]
    );
}

#[test]
fn a_damaged_message_is_reported_and_its_intact_parts_still_show_the_session() {
    // A word processor's quotes in the namespace and a wrong end tag.
    let damaged = "2010-06-28 13:48:20,105 DEBUG [LogUtil] Received from device:\n\
        <SyncML xmlns=“SYNCML:SYNCML1.2”><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>\
        <SessionID>4C</SessionID><MsgID>1</MsgID><Target><LocURI>https://dm.example.com/dm</LocURI></Target>\
        <Source><LocURI>IMEI:490154203237518</LocURI></Source>\
        <Cred><Meta><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>ZGlnZXN0</Data></Cred></SyncHdr>\
        <SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert>\
        <Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>E71</Datum></Item></Replace>\
        <Final/></SyncBody></SyncML>\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "damaged.log", damaged);
    let path = path.to_str().expect("UTF-8");
    let (code, stdout, stderr) = run(&["log", "explain", path, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        report["summary"]["broken_messages"], 1,
        "{:#}",
        report["summary"]
    );
    let session = &report["sessions"][0];
    assert_eq!(session["session"], "4C", "{session:#}");
    assert_eq!(session["device"], "IMEI:490154203237518");
    assert_eq!(
        session["authentication"]["methods"],
        json!(["syncml:auth-md5"])
    );
    let exchange = session["exchange"].as_array().expect("exchange");
    assert!(
        exchange
            .iter()
            .any(|e| e["cmd"] == "Alert" && e["alert"] == 1201),
        "{exchange:#?}"
    );
    assert!(
        !exchange.iter().any(|e| e["cmd"] == "Replace"),
        "the damaged command is left out"
    );
    // log pretty shows no invented message: the broken one is reported.
    let (_, pretty, stderr) = run(&["log", "pretty", path, "--raw"]);
    assert!(pretty.trim().is_empty(), "{pretty}");
    assert!(stderr.contains("broken SyncML message"), "{stderr}");
}

/// The facts that threading gives, per row: what must not change with the
/// way a log is written.
fn threading_facts(path: &Path) -> (Vec<String>, usize, usize) {
    let path = path.to_str().expect("UTF-8");
    let (code, stdout, stderr) = run(&["log", "thread", path, "--format", "jsonl"]);
    assert_eq!(code, 0, "{path}: {stderr}");
    assert!(!stderr.contains("panicked"), "{path}: {stderr}");
    let rows = stdout
        .lines()
        .map(|line| {
            let row: Value = serde_json::from_str(line).expect("JSON");
            [
                "session",
                "device",
                "direction",
                "msg_id",
                "cmd_id",
                "cmd",
                "targets",
                "status",
            ]
            .iter()
            .map(|key| row[key].to_string())
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect();
    let broken = stderr.matches("broken SyncML message").count();
    let fragments = stderr.matches("fragment:").count();
    (rows, broken, fragments)
}

/// Any text written the ways loggers write it: by class, the text.
fn written_as_loggers_do(text: &str) -> Vec<(&'static str, String)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let each_line = |write: &dyn Fn(&str) -> String| -> String {
        lines
            .iter()
            .map(|line| write(line))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut shapes = vec![
        ("escaped", each_line(&html_escape)),
        (
            "json-lines",
            each_line(&|line| {
                json!({"log": format!("{line}\n"), "stream": "stdout", "time": "2010-06-28T13:48:20.000Z"})
                    .to_string()
            }),
        ),
        (
            "kubectl-prefix",
            each_line(&|line| format!("2010-06-28T13:48:20.000000000Z {line}")),
        ),
        (
            "syslog-prefix",
            each_line(&|line| format!("Jun 28 13:48:20 dmhost dm[42]: {line}")),
        ),
        (
            "backslashed",
            format!(
                "DEBUG dump: \"{}\"\n",
                text.replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n")
                    .replace('\r', "\\r")
                    .replace('\t', "\\t")
            ),
        ),
    ];
    // XMLLayout splits a CDATA end inside the text: not modelled here.
    if !text.contains("]]>") {
        shapes.push((
            "xmllayout-cdata",
            format!(
                "<log4j:event logger=\"x\" timestamp=\"1277732900880\" level=\"DEBUG\" thread=\"t\">\n\
                 <log4j:message><![CDATA[{text}]]></log4j:message>\n</log4j:event>\n"
            ),
        ));
    }
    shapes
}

#[test]
fn every_corpus_text_written_as_loggers_do_threads_to_its_plain_facts() {
    let Some(corpus) = common::corpus("corpus shapes test") else {
        return;
    };
    // SOURCES.md describes the corpus and names `<SyncML` in prose.
    let files: Vec<PathBuf> = common::files_under(&corpus)
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name != "SOURCES.md"))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    // Per class: files, messages threaded, fragments, broken.
    let mut figures: std::collections::BTreeMap<&str, [usize; 4]> = Default::default();
    let mut differ = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        if text.contains('\0') {
            continue;
        }
        let (plain, plain_broken, _) = threading_facts(file);
        // A hex dump with offsets whose every row carries a logger's prefix
        // (or is a JSON line of its own, or one backslashed line) is not
        // read: each row is a record of its own. The plain file's dumps
        // are; such a file is compared escaped and in XMLLayout only (a
        // known limit).
        let has_dump = text.lines().any(|line| line.starts_with("0000: "));
        for (class, written) in written_as_loggers_do(&text) {
            if has_dump && !matches!(class, "escaped" | "xmllayout-cdata") {
                continue;
            }
            let path = write(dir.path(), class, &written);
            let (rows, broken, fragments) = threading_facts(&path);
            let entry = figures.entry(class).or_default();
            entry[0] += 1;
            entry[1] += rows
                .iter()
                .filter(|row| row.contains("\"SyncHdr\""))
                .count();
            entry[2] += fragments;
            entry[3] += broken;
            if rows != plain || broken != plain_broken {
                differ.push(format!("{class}: {}", file.display()));
            }
        }
    }
    // Cut inside its first message (as rotation cuts a log): the rest of
    // that message is reported as a fragment, never skipped silently.
    let mut cut = [0; 4];
    let mut silent = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        let Some(start) = lines.iter().position(|line| line.contains("<SyncML")) else {
            continue;
        };
        let Some(end) = lines[start..]
            .iter()
            .position(|line| line.contains("</SyncML>"))
        else {
            continue;
        };
        // Lines strictly inside the message, and none that start another.
        if end < 2
            || lines[start + 1..start + end]
                .iter()
                .any(|l| l.contains("SyncML"))
        {
            continue;
        }
        let rest = lines[start + 1 + end / 2..].join("\n");
        let path = write(dir.path(), "cut.log", &rest);
        let (rows, broken, fragments) = threading_facts(&path);
        cut[0] += 1;
        cut[1] += rows
            .iter()
            .filter(|row| row.contains("\"SyncHdr\""))
            .count();
        cut[2] += fragments;
        cut[3] += broken;
        if fragments == 0 {
            silent.push(file.display().to_string());
        }
    }
    figures.insert("cut-inside-a-message", cut);
    assert!(cut[0] > 50, "{cut:?}");
    assert!(
        silent.is_empty(),
        "fragments not reported:\n{}",
        silent.join("\n")
    );
    use std::io::Write;
    for (class, [files, messages, fragments, broken]) in &figures {
        let _ = writeln!(
            std::io::stderr(),
            "corpus as {class}: {files} files, {messages} messages threaded, {fragments} fragments, {broken} broken"
        );
    }
    assert!(
        figures
            .iter()
            .all(|(class, f)| *class == "cut-inside-a-message" || f[0] > 100),
        "{figures:?}"
    );
    assert!(
        differ.is_empty(),
        "threaded differently from the plain file:\n{}",
        differ.join("\n")
    );
}

#[test]
fn an_escaped_message_that_lost_its_start_is_a_fragment_not_nothing() {
    // A web page's copy of a message whose first "&lt;" was lost.
    let page = "<p>Send this command:</p>\n\
        SyncML xmlns=&quot;SYNCML:SYNCML1.2&quot;&gt;\n\
        &lt;SyncHdr&gt;&lt;VerDTD&gt;1.2&lt;/VerDTD&gt;&lt;VerProto&gt;DM/1.2&lt;/VerProto&gt;&lt;SessionID&gt;2&lt;/SessionID&gt;\
        &lt;MsgID&gt;1&lt;/MsgID&gt;&lt;Target&gt;&lt;LocURI&gt;IMEI:490154203237518&lt;/LocURI&gt;&lt;/Target&gt;\
        &lt;Source&gt;&lt;LocURI&gt;https://dm.example.com/dm&lt;/LocURI&gt;&lt;/Source&gt;&lt;/SyncHdr&gt;\n\
        &lt;SyncBody&gt;&lt;Add&gt;&lt;CmdID&gt;250&lt;/CmdID&gt;&lt;Item&gt;&lt;Target&gt;&lt;LocURI&gt;./Vendor/MSFT/Registry/X&lt;/LocURI&gt;\
        &lt;/Target&gt;&lt;Data&gt;1&lt;/Data&gt;&lt;/Item&gt;&lt;/Add&gt;&lt;Final/&gt;&lt;/SyncBody&gt;\n\
        &lt;/SyncML&gt;\n<p>The end.</p>\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "page.html", page);
    let path = path.to_str().expect("UTF-8");
    let (code, stdout, stderr) = run(&["log", "explain", path, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("no SyncML messages"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON");
    assert!(
        report["broken"][0]["reason"]
            .as_str()
            .is_some_and(|reason| reason.starts_with("fragment:")),
        "{report:#}"
    );
    let session = &report["sessions"][0];
    assert_eq!(session["session"], "2", "{report:#}");
    assert_eq!(session["exchange"][0]["cmd"], "Add");
}

#[test]
fn a_message_cut_by_rotation_is_joined_across_the_two_files() {
    let (plain, _) = facts(Path::new(FIXTURE));
    let log = std::fs::read_to_string(FIXTURE).expect("fixture");
    let lines: Vec<&str> = log.lines().collect();
    // Line 40 is inside the server's first message (copytruncate cuts
    // anywhere); the newer file starts with the rest of it.
    let dir = tempfile::tempdir().expect("temp dir");
    let older = write(dir.path(), "server.log.1", &(lines[..40].join("\n") + "\n"));
    let newer = write(dir.path(), "server.log", &(lines[40..].join("\n") + "\n"));
    let (newer, older) = (
        newer.to_str().expect("UTF-8"),
        older.to_str().expect("UTF-8"),
    );
    let (code, stdout, stderr) = run(&["log", "thread", newer, older, "--format", "jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("fragment"), "{stderr}");
    assert!(
        !stderr.contains("server.log.1:"),
        "nothing cut short in the older file: {stderr}"
    );
    let rows = rows_without_place(&stdout);
    assert_eq!(rows, plain);
    // Alone, each file says what it lacks.
    let (_, _, stderr) = run(&["log", "thread", older]);
    assert!(
        stderr.contains("the input ends before </SyncML>"),
        "{stderr}"
    );
    let (_, _, stderr) = run(&["log", "thread", newer]);
    assert!(
        stderr.contains("fragment: the message starts before this line"),
        "{stderr}"
    );
}
