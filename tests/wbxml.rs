//! WBXML and package 0: `dmtool wbxml decode`, `dmtool notification`, and the
//! `dmtool log` commands on WBXML files and on WBXML and packages 0 written
//! into a log as hex or base64. The WBXML fixtures in `testdata/wbxml/` were
//! encoded from the XML fixtures by an independent encoder (libwbxml's
//! `xml2wbxml`, see `testdata/wbxml/make.py`).

mod common;

use std::path::{Path, PathBuf};

use common::{fails_with, json, notice, run};
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `log thread --format jsonl` rows without where they were found (file,
/// line, time), which differ between an XML log and its WBXML forms.
fn threaded(file: &str) -> Vec<Value> {
    let (code, stdout, stderr) = run(&["log", "thread", file, "-f", "jsonl"]);
    assert_eq!(code, 0, "{file}: {stderr}");
    stdout
        .lines()
        .map(|line| {
            let mut row: Value = serde_json::from_str(line).expect("a JSON object per line");
            let object = row.as_object_mut().expect("object");
            for key in ["file", "line", "time"] {
                object.remove(key);
            }
            row
        })
        .collect()
}

#[test]
fn wbxml_files_thread_exactly_like_the_xml_they_were_encoded_from() {
    for (xml, wbxml) in [
        ("dme-server.log", "wbxml/dme-server.wbxml"),
        ("findings.xml", "wbxml/findings.wbxml"),
    ] {
        let from_xml = threaded(&fixture(xml));
        let from_wbxml = threaded(&fixture(wbxml));
        assert!(from_xml.len() > 10, "{xml}: {} rows", from_xml.len());
        assert_eq!(from_wbxml, from_xml, "{wbxml} against {xml}");
    }
}

#[test]
fn hex_and_base64_in_a_log_thread_like_the_xml_and_keep_their_records() {
    let hex_log = fixture("wbxml/dme-server-hex.log");
    assert_eq!(threaded(&hex_log), threaded(&fixture("dme-server.log")));
    // The record of each message is kept: its time.
    let (_, stdout, _) = run(&["log", "thread", &hex_log, "-f", "jsonl"]);
    let first: Value = serde_json::from_str(stdout.lines().next().expect("a row")).expect("json");
    assert_eq!(first["time"], "2010-06-28 13:48:20,105");
    // The broken XML message among them is still reported, with its line.
    let (code, _, stderr) = run(&["log", "thread", &hex_log]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("dme-server-hex.log:123: broken SyncML message"),
        "{stderr}"
    );
}

#[test]
fn explain_matches_the_package_0_to_the_session_that_answered_it() {
    let report = json(&[
        "log",
        "explain",
        &fixture("wbxml/dme-server-hex.log"),
        "-f",
        "json",
    ]);
    assert_eq!(report["summary"]["notifications"], 1);
    assert_eq!(report["summary"]["unanswered_notifications"], 0);
    let sessions = report["sessions"].as_array().expect("sessions");
    let started: Vec<&Value> = sessions
        .iter()
        .filter(|s| !s["notification"].is_null())
        .collect();
    // Two sessions are 1A2B; only the one the device opened with Alert 1200
    // (server-initiated) answered the package 0.
    assert_eq!(started.len(), 1, "{sessions:?}");
    assert_eq!(started[0]["device"], "IMEI:356938035643809");
    let package = &started[0]["notification"];
    assert_eq!(package["session"], "1A2B");
    assert_eq!(package["server_id"], "dme");
    assert_eq!(package["ui_mode"], "informative");
    assert_eq!(package["line"], 2);
    assert_eq!(package["time"], "2010-06-28 13:48:19,950");
}

#[test]
fn a_package_0_no_session_answered_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("sms.log");
    // The fixture's package 0, alone in a log.
    let text = std::fs::read_to_string(fixture("wbxml/dme-server-hex.log")).expect("reads");
    let package: Vec<&str> = text.lines().take(3).collect();
    std::fs::write(&log, package.join("\n") + "\n").expect("writes");
    let log = log.to_string_lossy().into_owned();
    let report = json(&["log", "explain", &log, "-f", "json"]);
    assert_eq!(report["summary"]["unanswered_notifications"], 1);
    assert_eq!(report["unanswered_notifications"][0]["session"], "1A2B");
    let (code, stdout, _) = run(&["log", "explain", &log]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "asked for session 1A2B (server ID dme), but no session in the log answered it"
        ),
        "{stdout}"
    );
    let (_, pretty, _) = run(&["log", "pretty", &log]);
    assert!(
        pretty.contains("package 0 (notification) · session 1A2B"),
        "{pretty}"
    );
}

#[test]
fn wbxml_decode_prints_every_document_of_a_file_as_xml() {
    let file = fixture("wbxml/dme-server.wbxml");
    let (code, stdout, stderr) = run(&["wbxml", "decode", &file, "--compact"]);
    assert_eq!(code, 0, "{stderr}");
    let documents: Vec<&str> = stdout.lines().collect();
    assert_eq!(documents.len(), 7);
    assert!(
        documents
            .iter()
            .all(|d| d.starts_with("<SyncML xmlns=\"SYNCML:SYNCML1.2\">"))
    );
    // The decoded XML reads as the same messages.
    let dir = tempfile::tempdir().expect("tempdir");
    let xml = dir.path().join("decoded.xml");
    std::fs::write(&xml, &stdout).expect("writes");
    assert_eq!(
        threaded(&xml.to_string_lossy()),
        threaded(&fixture("dme-server.log"))
    );
    // Indented by default, names on their own lines.
    let (_, indented, _) = run(&["wbxml", "decode", &file]);
    assert!(
        indented.contains("\n  <SyncHdr>\n    <VerDTD>1.2</VerDTD>\n"),
        "{indented}"
    );
}

#[test]
fn wbxml_decode_reads_hex_from_stdin() {
    let bytes = std::fs::read(fixture("wbxml/findings.wbxml")).expect("reads");
    let hex: String = bytes.iter().map(|b| format!("{b:02X} ")).collect();
    let output = common::dmtool()
        .args(["wbxml", "decode", "-", "--compact"])
        .write_stdin(hex)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let (_, direct, _) = run(&[
        "wbxml",
        "decode",
        &fixture("wbxml/findings.wbxml"),
        "--compact",
    ]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), direct);
}

#[test]
fn malformed_wbxml_is_an_error_with_the_byte_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = std::fs::read(fixture("wbxml/findings.wbxml")).expect("reads");
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("truncated", whole[..40].to_vec(), "(at byte 36)"),
        (
            "bad-token",
            [&whole[..8], &[0x3F, 0x01][..]].concat(),
            "at byte",
        ),
        ("text", b"<SyncML/>".to_vec(), "is not WBXML"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("writes");
        let (_, stderr) = fails_with(&["wbxml", "decode", &path.to_string_lossy()], 1);
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    // In a log, a broken WBXML document is a broken message; the rest is read.
    let log = dir.path().join("mixed.log");
    let mut content = whole[..40].to_vec();
    content.extend_from_slice(&whole);
    std::fs::write(&log, content).expect("writes");
    let (code, _, stderr) = run(&["log", "thread", &log.to_string_lossy()]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("broken SyncML message: a WBXML document, not readable"),
        "{stderr}"
    );
}

/// A package 0 from known fields: server "dme", password "serverpass", nonce
/// "nonce", session 0x1A2B (as `testdata/wbxml/make.py` builds it).
fn package_0_hex() -> String {
    let text = std::fs::read_to_string(fixture("wbxml/dme-server-hex.log")).expect("reads");
    text.lines().skip(1).take(2).collect::<Vec<_>>().join(" ")
}

#[test]
fn notification_decodes_every_field_and_checks_the_digest() {
    let hex = package_0_hex();
    let fields = json(&["notification", &hex, "-f", "json"]);
    let record = &fields[0];
    assert_eq!(record["version"], "1.2");
    assert_eq!(record["ui_mode"], 2);
    assert_eq!(record["ui_mode_name"], "informative");
    assert_eq!(record["initiator_name"], "server");
    assert_eq!(record["session_id"], 0x1A2B);
    assert_eq!(record["session_id_in_header"], "1A2B");
    assert_eq!(record["server_id"], "dme");
    assert_eq!(record["digest_check"], Value::Null);
    assert_eq!(record["digest"].as_str().map(str::len), Some(32));

    let checked = json(&[
        "notification",
        &hex,
        "--server-password",
        "serverpass",
        "--nonce",
        "nonce",
        "-f",
        "json",
    ]);
    assert_eq!(checked[0]["digest_check"], "matches");

    let dir = tempfile::tempdir().expect("tempdir");
    let password = dir.path().join("pw");
    std::fs::write(&password, "wrong\n").expect("writes");
    let (stdout, stderr) = fails_with(
        &[
            "notification",
            &hex,
            "--password-file",
            &password.to_string_lossy(),
            "--nonce",
            "nonce",
        ],
        3,
    );
    assert!(stdout.contains("does not match"), "{stdout}");
    assert!(stderr.contains("digest does not match"), "{stderr}");

    // The same package as a binary file.
    let binary = dir.path().join("package0.bin");
    let bytes: Vec<u8> = hex
        .split_whitespace()
        .map(|pair| u8::from_str_radix(pair, 16).expect("hex"))
        .collect();
    std::fs::write(&binary, bytes).expect("writes");
    let from_file = json(&["notification", &binary.to_string_lossy(), "-f", "json"]);
    assert_eq!(from_file, fields);
}

#[test]
fn notification_refuses_what_is_not_a_package_0() {
    let (_, stderr) = fails_with(&["notification", "0001020304"], 1);
    assert!(
        stderr.contains("not a package 0") && stderr.contains("at byte"),
        "{stderr}"
    );
    let (_, stderr) = fails_with(&["notification", "no-such-file"], 2);
    assert!(stderr.contains("neither a file nor hex"), "{stderr}");
    let (_, stderr) = fails_with(
        &["notification", &package_0_hex(), "--server-password", "x"],
        2,
    );
    assert!(stderr.contains("needs the nonce"), "{stderr}");
}

fn corpus_binaries(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            corpus_binaries(&path, out);
        } else if path.extension().is_some_and(|e| e == "wbxml" || e == "bin") {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_wbxml_and_bin_file_decodes_or_is_refused_clearly() {
    let Some(corpus) = common::corpus("WBXML corpus test") else {
        return;
    };
    let mut files = Vec::new();
    corpus_binaries(&corpus, &mut files);
    files.sort();
    assert!(files.len() >= 40, "{} files", files.len());
    let mut refused = Vec::new();
    for file in &files {
        let path = file.to_string_lossy().into_owned();
        let (code, stdout, stderr) = run(&["wbxml", "decode", &path, "--compact"]);
        assert!(!stderr.contains("panicked"), "{path}: {stderr}");
        if code == 0 {
            // What decodes is read by the log commands as the same messages.
            let documents = stdout.lines().count() as u64;
            let report = json(&["log", "explain", &path, "-f", "json"]);
            let syncml = stdout.lines().filter(|d| d.starts_with("<SyncML")).count() as u64;
            assert_eq!(
                report["summary"]["messages"].as_u64(),
                Some(syncml),
                "{path}"
            );
            assert!(documents >= 1, "{path}");
        } else {
            assert_eq!(code, 1, "{path}: {stderr}");
            assert!(stderr.starts_with("error: "), "{path}: {stderr}");
            refused.push(format!(
                "{}: {}",
                file.file_name().unwrap_or_default().to_string_lossy(),
                stderr.lines().next().unwrap_or_default()
            ));
        }
    }
    // The DS notifications (SAN) are package 0's kind, not WBXML; the error
    // says so.
    for line in &refused {
        assert!(line.starts_with("SAN0"), "refused: {line}");
    }
    for file in files.iter().filter(|f| f.ends_with("SAN01.bin")) {
        let (_, stderr) = fails_with(&["wbxml", "decode", &file.to_string_lossy()], 1);
        assert!(stderr.contains("dmtool notification"), "{stderr}");
        let fields = json(&["notification", &file.to_string_lossy(), "-f", "json"]);
        assert_eq!(fields[0]["server_id"], "PC Suite Data Sync");
    }
    notice(&format!(
        "WBXML corpus: {} files, {} decoded, {} refused: {refused:#?}",
        files.len(),
        files.len() - refused.len(),
        refused.len()
    ));
}

/// When libwbxml's tools are installed: every XML message fixture encoded now
/// by `xml2wbxml` decodes to the same threading as the XML.
#[test]
fn round_trip_through_xml2wbxml_when_it_is_installed() {
    let available = std::process::Command::new("xml2wbxml").output().is_ok();
    if !available {
        // In CI the tools are installed (.ci/run): missing, the test fails.
        assert!(
            std::env::var_os("CI").is_none(),
            "xml2wbxml is not installed (libwbxml2-utils): .ci/run installs it"
        );
        notice("NOTICE: xml2wbxml round trip SKIPPED: libwbxml2-utils is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, raw, _) = run(&["log", "pretty", "--raw", &fixture("findings.xml")]);
    let mut encoded = Vec::new();
    for (n, message) in raw
        .split("</SyncML>")
        .filter(|m| m.contains("<SyncML"))
        .enumerate()
    {
        let xml = dir.path().join(format!("{n}.xml"));
        let wbxml = dir.path().join(format!("{n}.wbxml"));
        std::fs::write(&xml, format!("{}</SyncML>", message.trim_start())).expect("writes");
        let status = std::process::Command::new("xml2wbxml")
            .arg("-o")
            .arg(&wbxml)
            .arg(&xml)
            .output()
            .expect("xml2wbxml runs");
        assert!(status.status.success(), "{status:?}");
        encoded.extend(std::fs::read(&wbxml).expect("reads"));
    }
    let all = dir.path().join("all.wbxml");
    std::fs::write(&all, encoded).expect("writes");
    assert_eq!(
        threaded(&all.to_string_lossy()),
        threaded(&fixture("findings.xml"))
    );
}

#[test]
fn a_short_line_after_a_hex_dump_does_not_spoil_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(fixture("wbxml/findings.wbxml")).expect("reads");
    let hex: Vec<String> = bytes
        .chunks(16)
        .map(|chunk| {
            chunk
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let log = dir.path().join("dump.log");
    std::fs::write(
        &log,
        format!(
            "2010-06-28 13:48:20,105 DEBUG [LogUtil] Received from device:\n{}\n200\n",
            hex.join("\n")
        ),
    )
    .expect("writes");
    assert_eq!(
        threaded(&log.to_string_lossy()),
        threaded(&fixture("wbxml/findings.wbxml"))
    );
}

#[test]
fn filters_do_not_make_an_answered_package_0_unanswered() {
    let hex_log = fixture("wbxml/dme-server-hex.log");
    // The other device with SessionID 1A2B: its session is shown, the one
    // that answered the package 0 is not, and nothing is "unanswered".
    let report = json(&[
        "log",
        "explain",
        &hex_log,
        "--device",
        "351234567890125",
        "-f",
        "json",
    ]);
    assert_eq!(report["summary"]["sessions"], 1);
    assert_eq!(report["summary"]["unanswered_notifications"], 0);
    // jsonl has no summary: packages 0 no session answered go to stderr.
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("sms.log");
    let text = std::fs::read_to_string(&hex_log).expect("reads");
    std::fs::write(&log, text.lines().take(3).collect::<Vec<_>>().join("\n")).expect("writes");
    let (code, stdout, stderr) = run(&["log", "explain", &log.to_string_lossy(), "-f", "jsonl"]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("no session in the log answered it"),
        "{stderr}"
    );
}

#[test]
fn a_package_0_after_the_session_does_not_start_it() {
    // The fixture's package 0 moved to the end of the log: it comes after the
    // session with that SessionID, so it started nothing.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(fixture("wbxml/dme-server-hex.log")).expect("reads");
    let lines: Vec<&str> = text.lines().collect();
    let moved = [&lines[3..], &lines[..3]].concat().join("\n");
    let log = dir.path().join("late.log");
    std::fs::write(&log, moved).expect("writes");
    let report = json(&["log", "explain", &log.to_string_lossy(), "-f", "json"]);
    assert_eq!(report["summary"]["notifications"], 1);
    assert_eq!(report["summary"]["unanswered_notifications"], 1);
    let sessions = report["sessions"].as_array().expect("sessions");
    assert!(sessions.iter().all(|s| s["notification"].is_null()));
}

#[test]
fn commands_that_print_xml_refuse_a_record_format() {
    for args in [
        vec!["wbxml", "decode", "x.wbxml", "-f", "json"],
        vec!["log", "pretty", "x.log", "-f", "csv"],
    ] {
        // No --format is offered: it prints XML.
        let (_, stderr) = fails_with(&args, 2);
        assert!(
            stderr.contains("unexpected argument '-f'"),
            "{args:?}: {stderr}"
        );
    }
}

/// A log record carrying a package 0 for `session` (server "dme"), as DME
/// writes it: the record, then the bytes as hex on two lines.
fn package_0_record(session: u16) -> String {
    package_0_record_at(session, "2010-06-28 13:40:00,000")
}

/// [`package_0_record`] written at `time`.
fn package_0_record_at(session: u16, time: &str) -> String {
    let [high, low] = session.to_be_bytes();
    format!(
        "{time} DEBUG [com.excitor.dme.dm.util.LogUtil] (sms-1) Sending notification to 30116718:\n\
         C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2\n\
         03 28 00 00 00 {high:02X} {low:02X} 03 64 6D 65\n"
    )
}

#[test]
fn a_package_0_waits_for_its_session_six_hours_of_log_time() {
    // The fixture's session for 1A2B opens at 13:48; its own package 0 left
    // out, one written before it: 3 hours before matches, 7 hours before has
    // been given up on (counted unanswered), so a long log's unanswered
    // packages do not pile up to its end.
    let text = std::fs::read_to_string(fixture("wbxml/dme-server-hex.log")).expect("reads");
    let session: String = text
        .lines()
        .skip(3)
        .map(|line| format!("{line}\n"))
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    for (time, matched) in [
        ("2010-06-28 10:48:00,000", true),
        ("2010-06-28 06:48:00,000", false),
    ] {
        let log = dir.path().join("waited.log");
        std::fs::write(&log, package_0_record_at(0x1A2B, time) + &session).expect("writes");
        let report = json(&["log", "explain", &log.to_string_lossy(), "-f", "json"]);
        assert_eq!(report["summary"]["notifications"], 1, "{time}");
        let started = report["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .any(|s| s["notification"]["session"] == "1A2B");
        assert_eq!(started, matched, "{time}");
        assert_eq!(
            report["summary"]["unanswered_notifications"],
            u64::from(!matched),
            "{time}"
        );
    }
}

#[test]
fn explain_matches_a_package_0_among_many_unanswered() {
    // 3,000 packages 0 nobody answered, one for 1A2B among the first, then the
    // fixture: its own package 0 for 1A2B and the session that answers it.
    let mut text = package_0_record(0x1A2B);
    for session in 1..=3000 {
        text.push_str(&package_0_record(session));
    }
    let lines_before = text.lines().count();
    text.push_str(&std::fs::read_to_string(fixture("wbxml/dme-server-hex.log")).expect("reads"));
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("busy.log");
    std::fs::write(&log, text).expect("writes");
    let report = json(&["log", "explain", &log.to_string_lossy(), "-f", "json"]);
    assert_eq!(report["summary"]["notifications"], 3002);
    assert_eq!(report["summary"]["unanswered_notifications"], 3001);
    let matched: Vec<&Value> = report["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .filter_map(|s| s["notification"].as_object().map(|_| &s["notification"]))
        .collect();
    // The latest package 0 for the session before it, not the older one.
    assert_eq!(matched.len(), 1);
    assert_eq!(matched[0]["session"], "1A2B");
    assert_eq!(matched[0]["line"], lines_before + 2);
    let unanswered = report["unanswered_notifications"]
        .as_array()
        .expect("unanswered");
    // In log order: the older 1A2B first, then 0001 onwards; the first 500
    // in detail, the rest counted.
    assert_eq!(unanswered[0]["session"], "1A2B");
    assert_eq!(unanswered[0]["line"], 2);
    assert_eq!(unanswered[1]["session"], "1");
    assert_eq!(unanswered.len(), 500);
    assert_eq!(unanswered[499]["session"], "1F3");
    assert_eq!(report["summary"]["unanswered_not_listed"], 2501);
}

/// `bytes` as a hex dump with an offset column and the bytes as text after
/// it, in the shapes tools write: `0000: 02 00 …  ...j` (16 a row),
/// hexdump -C (`00000000  02 00 … 2f  53 … |...j|`, then the offset alone)
/// and xxd (`00000000: 0200 006a …  ...j`).
fn dumps_with_offsets(bytes: &[u8]) -> Vec<(&'static str, String)> {
    let shown = |row: &[u8]| -> String {
        row.iter()
            .map(|&b| {
                if (0x20..0x7f).contains(&b) {
                    char::from(b)
                } else {
                    '.'
                }
            })
            .collect()
    };
    let pairs = |row: &[u8]| row.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>();
    let rows = bytes.chunks(16).enumerate();
    let offset_colon: String = rows
        .clone()
        .map(|(at, row)| {
            format!(
                "{:04x}: {}  {}\n",
                at * 16,
                pairs(row).join(" "),
                shown(row)
            )
        })
        .collect();
    let mut hexdump: String = rows
        .clone()
        .map(|(at, row)| {
            let hex = pairs(row);
            let (left, right) = hex.split_at(hex.len().min(8));
            format!(
                "{:08x}  {:<23}  {:<23}  |{}|\n",
                at * 16,
                left.join(" "),
                right.join(" "),
                shown(row)
            )
        })
        .collect();
    hexdump.push_str(&format!("{:08x}\n", bytes.len()));
    let xxd: String = rows
        .map(|(at, row)| {
            let groups: Vec<String> = row.chunks(2).map(|g| pairs(g).concat()).collect();
            format!(
                "{:08x}: {:<39}  {}\n",
                at * 16,
                groups.join(" "),
                shown(row)
            )
        })
        .collect();
    vec![
        ("offset: pairs  text", offset_colon),
        ("hexdump -C", hexdump),
        ("xxd", xxd),
    ]
}

#[test]
fn a_hex_dump_with_offsets_and_the_bytes_as_text_is_read_as_the_plain_dump() {
    let bytes = std::fs::read(fixture("wbxml/dme-server.wbxml")).expect("fixture");
    let record = "2010-06-28 13:48:20,105 DEBUG [com.excitor.dme.dm.util.LogUtil] (http-8443-1) Received from device:\n";
    let dir = tempfile::tempdir().expect("tempdir");
    let rows_of = |text: String| -> Vec<Value> {
        let log = dir.path().join("dump.log");
        std::fs::write(&log, text).expect("writes");
        let (code, stdout, stderr) = run(&["log", "thread", &log.to_string_lossy(), "-f", "jsonl"]);
        assert_eq!(code, 0, "{stderr}");
        stdout
            .lines()
            .map(|line| {
                let mut row: Value = serde_json::from_str(line).expect("json");
                row.as_object_mut().expect("row").remove("file");
                row
            })
            .collect()
    };
    let plain = rows_of(format!(
        "{record}{}\nnext record\n",
        common::hex_dump(&bytes)
    ));
    assert!(plain.len() > 7, "{plain:?}");
    for (shape, dump) in dumps_with_offsets(&bytes) {
        assert_eq!(
            rows_of(format!("{record}{dump}next record\n")),
            plain,
            "{shape}:\n{dump}"
        );
    }
}

#[test]
fn hex_dumps_whose_every_row_is_a_record_of_its_own_are_read_as_the_plain_log() {
    // Every line, hex rows too, a record of its own: `kubectl logs
    // --timestamps` (the container runtime's time before each), or a
    // client's logger with the same text before each (its tag, its process).
    let text = std::fs::read_to_string(fixture("wbxml/dme-server-hex.log")).expect("reads");
    let plain = json(&[
        "log",
        "explain",
        &fixture("wbxml/dme-server-hex.log"),
        "-f",
        "json",
    ]);
    assert!(plain["summary"]["messages"].as_u64() > Some(5));
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, prefix) in [
        ("kubectl.log", "2010-06-28T13:48:20.000000000Z "),
        ("logcat.log", "06-28 13:48:20.105  1234  1250 D DMServer: "),
        ("syslog.log", "Jun 28 13:48:20 dmhost dmserver[42]: "),
    ] {
        let prefixed: String = text
            .lines()
            .map(|line| format!("{prefix}{line}\n"))
            .collect();
        let log = dir.path().join(name);
        std::fs::write(&log, prefixed).expect("writes");
        let report = json(&["log", "explain", &log.to_string_lossy(), "-f", "json"]);
        for key in ["messages", "broken_messages", "notifications", "commands"] {
            assert_eq!(
                report["summary"][key], plain["summary"][key],
                "{name}: {key}"
            );
        }
    }
    // Two messages, each a record of one line with the same text before
    // it, stay two (a row of a dump is 16 or 32 bytes).
    let bytes = std::fs::read(fixture("wbxml/dme-server.wbxml")).expect("fixture");
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    let lines = format!(
        "06-28 13:48:20.105  1234  1250 D DMClient: {hex}\n\
         06-28 13:48:20.110  1234  1250 D DMClient: {hex}\n"
    );
    let log = dir.path().join("two.log");
    std::fs::write(&log, lines).expect("writes");
    let report = json(&["log", "explain", &log.to_string_lossy(), "-f", "json"]);
    let one = json(&[
        "log",
        "explain",
        &fixture("wbxml/dme-server.wbxml"),
        "-f",
        "json",
    ]);
    assert_eq!(
        report["summary"]["messages"].as_u64(),
        one["summary"]["messages"].as_u64().map(|n| 2 * n)
    );
}
