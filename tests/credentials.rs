//! `dmtool log explain --client-password-file`: every Cred a device sent is
//! recomputed with the password and the nonce in force. The expected digests
//! here are computed by the test itself (the md5 crate and its own base64),
//! never by dmtool's code, and checked against the OMA DM example first.

mod common;

use common::run;
use md5::{Digest, Md5};
use serde_json::Value;

fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// B64(MD5(B64(MD5(user:password)) ":" nonce)), OMA DM Security 1.2.
fn md5_cred(user: &str, password: &str, nonce: &[u8]) -> String {
    let inner = b64(&Md5::digest(format!("{user}:{password}")));
    b64(&Md5::digest([inner.as_bytes(), b":", nonce].concat()))
}

fn message(
    from_device: bool,
    session: &str,
    msg_id: u32,
    cred: Option<&str>,
    body: &str,
) -> String {
    let (target, source) = if from_device {
        (
            "<LocURI>https://dm.example.com/dm</LocURI>",
            "<LocURI>IMEI:490154203237518</LocURI><LocName>Bruce2</LocName>",
        )
    } else {
        (
            "<LocURI>IMEI:490154203237518</LocURI>",
            "<LocURI>https://dm.example.com/dm</LocURI>",
        )
    };
    let cred = cred.map_or(String::new(), |data| {
        format!("<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>{data}</Data></Cred>")
    });
    format!(
        "<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>{session}</SessionID>\
         <MsgID>{msg_id}</MsgID><Target>{target}</Target><Source>{source}</Source>{cred}</SyncHdr>\
         <SyncBody>{body}<Final/></SyncBody></SyncML>\n"
    )
}

fn header_status(msg_ref: u32, code: u32, next_nonce: Option<&str>) -> String {
    let chal = next_nonce.map_or(String::new(), |nonce| {
        format!("<Chal><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type><NextNonce xmlns=\"syncml:metinf\">{nonce}</NextNonce></Meta></Chal>")
    });
    format!(
        "<Status><CmdID>1</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>{chal}<Data>{code}</Data></Status>"
    )
}

fn explain(log: &str, password: &str) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("creds.log");
    std::fs::write(&path, log).expect("write");
    let secret = dir.path().join("password");
    std::fs::write(&secret, format!("{password}\n")).expect("write");
    let (code, stdout, stderr) = run(&[
        "log",
        "explain",
        path.to_str().expect("UTF-8"),
        "--client-password-file",
        secret.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

fn verdicts(report: &Value) -> Vec<Vec<String>> {
    report["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|session| {
            session["authentication"]["cred_checks"]
                .as_array()
                .map(|checks| {
                    checks
                        .iter()
                        .map(|c| c["verdict"].as_str().unwrap_or_default().to_owned())
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn the_test_s_own_digest_is_the_oma_dm_example() {
    assert_eq!(
        md5_cred("Bruce2", "OhBehave", b"Nonce"),
        "Zz6EivR3yeaaENcRN6lpAQ=="
    );
}

#[test]
fn creds_are_checked_with_the_nonce_in_force_across_sessions() {
    let alert = "<Alert><CmdID>2</CmdID><Data>1201</Data></Alert>";
    // Session 1: no nonce yet; the server challenges with "Nonce"
    // (Tm9uY2U=), the device answers with it, and is accepted with the next
    // nonce "nonce2" (bm9uY2Uy) for the next session.
    let first = md5_cred("Bruce2", "OhBehave", b"");
    let second = md5_cred("Bruce2", "OhBehave", b"Nonce");
    let session_1 = [
        message(true, "1", 1, Some(&first), alert),
        message(
            false,
            "1",
            1,
            None,
            &header_status(1, 401, Some("Tm9uY2U=")),
        ),
        message(true, "1", 2, Some(&second), alert),
        message(
            false,
            "1",
            2,
            None,
            &header_status(2, 212, Some("bm9uY2Uy")),
        ),
    ]
    .concat();
    // Session 2: the device uses "nonce2" (right), session 3 the old
    // "Nonce" (it did not keep the newest).
    let session_2 = [
        message(
            true,
            "2",
            1,
            Some(&md5_cred("Bruce2", "OhBehave", b"nonce2")),
            alert,
        ),
        message(
            false,
            "2",
            1,
            None,
            &header_status(1, 212, Some("bm9uY2Uz")),
        ),
    ]
    .concat();
    let session_3 = message(
        true,
        "3",
        1,
        Some(&md5_cred("Bruce2", "OhBehave", b"nonce2")),
        alert,
    );
    let log = [session_1, session_2, session_3].concat();
    let report = explain(&log, "OhBehave");
    assert_eq!(
        verdicts(&report),
        [
            vec!["matches".to_owned(), "matches".to_owned()],
            vec!["matches".to_owned()],
            vec!["stale_nonce".to_owned()],
        ],
        "{report:#}"
    );
    let stale = &report["sessions"][2];
    assert!(
        stale["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["kind"] == "stale_nonce" && f["severity"] == "error"),
        "{stale:#}"
    );
    // Another password: every Cred is a wrong one.
    let wrong = explain(&log, "NotHisPassword");
    assert!(
        verdicts(&wrong)
            .iter()
            .flatten()
            .all(|v| v == "wrong_password"),
        "{wrong:#}"
    );
    // Without --client-password-file nothing is checked or said.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("creds.log");
    std::fs::write(&path, &log).expect("write");
    let (_, stdout, _) = run(&[
        "log",
        "explain",
        path.to_str().expect("UTF-8"),
        "-f",
        "json",
    ]);
    assert!(!stdout.contains("cred_checks"));
}

#[test]
fn the_server_s_creds_are_checked_with_the_device_s_nonces() {
    let cred = |data: &str| {
        format!(
            "<Cred><Meta><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>{data}</Data></Cred>"
        )
    };
    let server = |msg_id: u32, data: &str, body: &str| {
        format!(
            "<SyncML><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>9</SessionID>\
             <MsgID>{msg_id}</MsgID><Target><LocURI>IMEI:490154203237518</LocURI></Target>\
             <Source><LocURI>https://dm.example.com/dm</LocURI></Source>{}</SyncHdr>\
             <SyncBody>{body}<Final/></SyncBody></SyncML>\n",
            cred(data)
        )
    };
    let get =
        "<Get><CmdID>2</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>";
    let log = [
        message(
            true,
            "9",
            1,
            None,
            "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>",
        ),
        server(
            1,
            &md5_cred("dme", "srvpass", b""),
            &(header_status(1, 200, None) + get),
        ),
        // The device challenges the server's credentials with "srvnonce".
        message(
            true,
            "9",
            2,
            None,
            &header_status(1, 401, Some("c3J2bm9uY2U=")),
        ),
        server(
            2,
            &md5_cred("dme", "srvpass", b"srvnonce"),
            &(header_status(2, 200, None) + get),
        ),
        message(true, "9", 3, None, &header_status(2, 200, None)),
        server(
            3,
            &md5_cred("dme", "srvpass", b"srvnonce"),
            &header_status(3, 200, None),
        ),
    ]
    .concat();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("server.log");
    std::fs::write(&path, &log).expect("write");
    let secret = dir.path().join("server-password");
    let verdicts_with = |password: &str| -> Vec<String> {
        std::fs::write(&secret, password).expect("write");
        let (code, stdout, stderr) = run(&[
            "log",
            "explain",
            path.to_str().expect("UTF-8"),
            "--server-password-file",
            secret.to_str().expect("UTF-8"),
            "--server-id",
            "dme",
            "-f",
            "json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let report: Value = serde_json::from_str(&stdout).expect("JSON");
        verdicts(&report).concat()
    };
    assert_eq!(verdicts_with("srvpass"), ["matches", "matches", "matches"]);
    assert!(verdicts_with("other").iter().all(|v| v == "wrong_password"));
}

/// B64(MD5(B64(MD5(user:password)) ":" nonce ":" B64(MD5(body)))), the
/// `x-syncml-hmac` MAC of OMA DM Security 1.2.
fn hmac_mac(user: &str, password: &str, nonce: &[u8], body: &str) -> String {
    let inner = b64(&Md5::digest(format!("{user}:{password}")));
    let body = b64(&Md5::digest(body.as_bytes()));
    b64(&Md5::digest(
        [inner.as_bytes(), b":", nonce, b":", body.as_bytes()].concat(),
    ))
}

#[test]
fn an_hmac_header_in_the_log_is_checked_against_the_message_it_came_with() {
    let alert = "<Alert><CmdID>2</CmdID><Data>1201</Data></Alert>";
    // The device's messages carry no Cred: the log shows each request's
    // x-syncml-hmac header on the line before its body.
    let with_header = |body: String, nonce: &[u8], time: &str| {
        let mac = hmac_mac("Bruce2", "OhBehave", nonce, body.trim_end());
        format!(
            "2010-06-28 13:48:{time},000 DEBUG [http] request headers: x-syncml-hmac: algorithm=MD5, username=\"Bruce2\", mac={mac}\n\
             2010-06-28 13:48:{time},001 DEBUG [LogUtil] Received from device:\n{body}"
        )
    };
    let log = [
        with_header(message(true, "7", 1, None, alert), b"", "20"),
        message(
            false,
            "7",
            1,
            None,
            &header_status(1, 401, Some("Tm9uY2U=")),
        ),
        with_header(message(true, "7", 2, None, alert), b"Nonce", "21"),
        message(false, "7", 2, None, &header_status(2, 212, None)),
    ]
    .concat();
    let report = explain(&log, "OhBehave");
    assert_eq!(
        verdicts(&report),
        [vec!["matches".to_owned(), "matches".to_owned()]],
        "{report:#}"
    );
    let check = &report["sessions"][0]["authentication"]["cred_checks"][0];
    assert_eq!(check["type"], "syncml:auth-MAC");
    let wrong = explain(&log, "NotHisPassword");
    assert_eq!(
        verdicts(&wrong),
        [vec![
            "wrong_password".to_owned(),
            "wrong_password".to_owned()
        ]]
    );
    // A body changed after the MAC was computed does not match either.
    let tampered = log.replacen("<Data>1201</Data>", "<Data>1200</Data>", 1);
    assert_eq!(
        verdicts(&explain(&tampered, "OhBehave"))[0][0],
        "wrong_password"
    );
}
