//! `dmtool bootstrap` on the public vectors of the bootstrap notes (Gecko's
//! CP document and its USERPIN MAC, the NETWPIN example), on a document this
//! project writes and encodes with libwbxml's `xml2wbxml` (its MAC computed
//! here with the hmac crate, never by dmtool), and on broken inputs.

mod common;

use common::{fails_with, json, run};
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Gecko's CP document (Mozilla's test_cp_pdu_helper.js, public domain; the
/// bootstrap notes, §2), 501 octets, as hex.
fn gecko_document() -> String {
    include_str!("../testdata/bootstrap/gecko-cp.hex")
        .split_whitespace()
        .collect()
}

/// `xml` encoded by libwbxml's `xml2wbxml`; `None` (with a notice, or a
/// failure in CI) where the tool is not installed.
fn encoded_by_libwbxml(xml: &str) -> Option<Vec<u8>> {
    if std::process::Command::new("xml2wbxml").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI: xml2wbxml is missing");
        common::notice(
            "NOTICE: bootstrap xml2wbxml test SKIPPED: libwbxml2-utils is not installed",
        );
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("document.xml");
    let encoded = dir.path().join("document.wbxml");
    std::fs::write(&source, xml).expect("write");
    let status = std::process::Command::new("xml2wbxml")
        .arg("-o")
        .arg(&encoded)
        .arg(&source)
        .output()
        .expect("xml2wbxml runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    Some(std::fs::read(&encoded).expect("encoded"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn hmac_sha1(key: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key).expect("key");
    mac.update(body);
    hex(&mac.finalize().into_bytes())
}

/// A WSP push (TID 1) of a CP document with SEC and MAC in the general form.
fn push(sec: u8, mac: &str, body_hex: &str) -> String {
    let mac_hex = hex(mac.as_bytes());
    // Value length: B6, SEC (2), MAC token, 40 digits, NUL.
    format!("01062F1F2DB691{:02X}92{mac_hex}00{body_hex}", 0x80 | sec)
}

#[test]
fn gecko_s_document_and_its_userpin_mac() {
    let body = gecko_document();
    assert_eq!(body.len(), 1002);
    let pushed = push(1, "AA2DC41FC48AEEF3FED7351B1EE704461A8894D4", &body);
    let shown = json(&["bootstrap", &pushed, "--pin", "0000", "--format", "json"]);
    assert_eq!(shown["kind"], "client_provisioning");
    assert_eq!(shown["sec"], "USERPIN");
    assert_eq!(shown["mac_check"], "matches", "{shown:#}");
    // In SMS user data, with the push port; and split over two parts.
    let sms = format!("0605040B8423F0{pushed}");
    assert_eq!(
        json(&["bootstrap", &sms, "--pin", "0000", "-f", "json"])["mac_check"],
        "matches"
    );
    let half = pushed.len() / 4 * 2;
    // A UDH of 11 octets: the push port, then part SEQ of 2 of reference A1.
    let part = |seq: u8, data: &str| format!("0B05040B8423F00003A102{seq:02X}{data}");
    let (first, second) = (part(1, &pushed[..half]), part(2, &pushed[half..]));
    // Given in either order, the parts are joined by their sequence numbers.
    let joined = json(&["bootstrap", &second, &first, "--pin", "0000", "-f", "json"]);
    assert_eq!(joined["mac_check"], "matches", "{joined:#}");
    // A wrong PIN: exit 3, and said.
    let (code, stdout, _) = run(&["bootstrap", &pushed, "--pin", "1111", "-f", "json"]);
    assert_eq!(code, 3);
    let shown: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(shown["mac_check"], "does_not_match");
    // No key: decoded, not checked, exit 0.
    assert_eq!(
        json(&["bootstrap", &pushed, "-f", "json"])["mac_check"],
        "not_checked"
    );
}

#[test]
fn the_netwpin_example_checks_with_the_imsi() {
    let pushed = format!(
        "01062F1F2DB6918092{}00030B6A004501",
        hex(b"1AF545FE2823DC9347064450F90FF1BBF957E146")
    );
    let shown = json(&[
        "bootstrap",
        &pushed,
        "--imsi",
        "466923103145252",
        "-f",
        "json",
    ]);
    assert_eq!(shown["sec"], "NETWPIN");
    assert_eq!(shown["mac_check"], "matches", "{shown:#}");
    let (code, _, _) = run(&["bootstrap", &pushed, "--imsi", "466923103145253"]);
    assert_eq!(code, 3);
}

#[test]
fn a_dm_account_written_here_and_encoded_by_libwbxml() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE wap-provisioningdoc PUBLIC "-//WAPFORUM//DTD PROV 1.0//EN" "http://www.wapforum.org/DTD/prov.dtd">
<wap-provisioningdoc version="1.1">
  <characteristic type="APPLICATION">
    <parm name="APPID" value="w7"/>
    <parm name="PROVIDER-ID" value="dme"/>
    <parm name="NAME" value="DME Server"/>
    <parm name="TO-NAPID" value="NOWHERE"/>
    <characteristic type="APPADDR">
      <parm name="ADDR" value="https://dme.example.com:8443/dm"/>
      <characteristic type="PORT"><parm name="PORTNBR" value="443"/></characteristic>
    </characteristic>
    <characteristic type="APPAUTH">
      <parm name="AAUTHLEVEL" value="APPSRV"/>
      <parm name="AAUTHTYPE" value="DIGEST"/>
      <parm name="AAUTHNAME" value="dev30116718"/>
      <parm name="AAUTHSECRET" value="devsecret"/>
    </characteristic>
  </characteristic>
</wap-provisioningdoc>
"#;
    let Some(body) = encoded_by_libwbxml(xml) else {
        return;
    };
    let mac = hmac_sha1(b"1234", &body);
    let pushed = push(1, &mac, &hex(&body));
    let shown = json(&["bootstrap", &pushed, "--pin", "1234", "-f", "json"]);
    assert_eq!(shown["mac_check"], "matches", "{shown:#}");
    let account = &shown["accounts"][0];
    assert_eq!(account["app_id"], "w7");
    assert_eq!(account["server_id"], "dme");
    assert_eq!(account["address"], "https://dme.example.com:8443/dm");
    assert_eq!(account["port"], "443");
    assert_eq!(account["auth"][0]["level"], "APPSRV");
    assert_eq!(account["auth"][0]["name"], "dev30116718");
    assert_eq!(account["auth"][0]["secret"], "(hidden)");
    let kinds: Vec<&str> = shown["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["kind"].as_str().unwrap_or_default())
        .collect();
    assert!(kinds.contains(&"dangling_reference"), "{kinds:?}");
    assert!(kinds.contains(&"port_mismatch"), "{kinds:?}");
    let shown = json(&["bootstrap", &pushed, "--show-secrets", "-f", "json"]);
    assert_eq!(shown["accounts"][0]["auth"][0]["secret"], "devsecret");
}

#[test]
fn broken_inputs_get_clear_errors() {
    let body = gecko_document();
    let pushed = push(1, "AA2DC41FC48AEEF3FED7351B1EE704461A8894D4", &body);
    for (input, says) in [
        (pushed[..40].to_owned(), "runs past"),
        ("DEADBEEF".to_owned(), "neither"),
        (format!("{}FF", &pushed[..pushed.len() - 2]), "provisioning"),
    ] {
        let (_, stderr) = fails_with(&["bootstrap", &input, "--pin", "0000"], 1);
        assert!(stderr.contains(says), "{input}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // Long hex is hex, never "file name too long".
    let long = "00".repeat(5000);
    let (_, stderr) = fails_with(&["bootstrap", &long], 1);
    assert!(!stderr.contains("too long"), "{stderr}");
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.bin");
    std::fs::write(&empty, b"").expect("write");
    let (_, stderr) = fails_with(&["bootstrap", empty.to_str().expect("UTF-8")], 1);
    assert!(stderr.contains("empty"), "{stderr}");
}

#[test]
fn the_readme_example_prints_what_the_readme_shows() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("$ dmtool bootstrap testdata/bootstrap/dme-push.bin --pin 1234\n")
        .expect("the example");
    let block = &readme[start..];
    let expected =
        &block[block.find('\n').expect("a line") + 1..block.find("```").expect("its end")];
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/bootstrap/dme-push.bin"
    );
    let (code, stdout, _) = run(&["bootstrap", fixture, "--pin", "1234"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, expected);
}

#[test]
fn a_dm_1_2_bootstrap_encoded_by_libwbxml_creates_its_dmacc() {
    let item = |path: &str, data: &str| {
        format!(
            "<Item><Target><LocURI>./DMAcc/DME/{path}</LocURI></Target><Data>{data}</Data></Item>"
        )
    };
    let xml = format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN" "http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd">
<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>
<SessionID>0</SessionID><MsgID>0</MsgID><Target><LocURI>IMEI:490154203237518</LocURI></Target>
<Source><LocURI>dme</LocURI></Source></SyncHdr><SyncBody><Add><CmdID>1</CmdID>{}</Add><Final/></SyncBody></SyncML>
"#,
        [
            item("AppID", "w7"),
            item("ServerID", "dme"),
            item("AppAddr/A/Addr", "https://dme.example.com:8443/dm"),
            item("AppAddr/A/Port/P/PortNbr", "8443"),
            item("AppAuth/C/AAuthLevel", "CLCRED"),
            item("AppAuth/C/AAuthType", "DIGEST"),
            item("AppAuth/C/AAuthName", "dev30116718"),
            item("AppAuth/C/AAuthSecret", "devsecret"),
        ]
        .concat()
    );
    let Some(body) = encoded_by_libwbxml(&xml) else {
        return;
    };
    // Content type application/vnd.syncml.dm+wbxml (C2), SEC NETWPIN.
    let key = [0x49, 0x66, 0x29, 0x13, 0x30, 0x41, 0x25, 0x25]; // IMSI 466923103145252
    let mac = hmac_sha1(&key, &body);
    let pushed = format!("01062F1F2DC2918092{}00{}", hex(mac.as_bytes()), hex(&body));
    let shown = json(&[
        "bootstrap",
        &pushed,
        "--imsi",
        "466923103145252",
        "-f",
        "json",
    ]);
    assert_eq!(shown["kind"], "dm_bootstrap", "{shown:#}");
    assert_eq!(shown["content_type"], "application/vnd.syncml.dm+wbxml");
    assert_eq!(shown["mac_check"], "matches");
    let account = &shown["accounts"][0];
    assert_eq!(account["server_id"], "dme");
    assert_eq!(account["port"], "8443");
    assert_eq!(account["auth"][0]["level"], "CLCRED");
    assert_eq!(account["auth"][0]["name"], "dev30116718");
    assert_eq!(account["auth"][0]["secret"], "(hidden)");
    assert_eq!(shown["problems"], serde_json::json!([]));
}

#[test]
fn a_bootstrap_written_into_a_log_is_shown_by_explain() {
    let push = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/bootstrap/dme-push.bin"
    ))
    .expect("fixture");
    let sms = [&[0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0][..], &push].concat();
    let log = format!(
        "2010-06-28 13:40:00,000 DEBUG [Gateway] (sms-1) Sending OMA bootstrap to 30116718:\n{}\n{}",
        common::hex_dump(&sms),
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/dme-server.log"
        ))
        .expect("fixture")
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("server.log");
    std::fs::write(&path, log).expect("write");
    let path = path.to_str().expect("UTF-8");
    let (_, text, _) = run(&["log", "explain", path]);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("Bootstrap sent at") && first.contains("(2010-06-28 13:40:00,000)"),
        "{text}"
    );
    assert!(
        first.contains("account DME Server (server ID dme"),
        "{first}"
    );
    let report = json(&["log", "explain", path, "-f", "json"]);
    assert_eq!(report["summary"]["bootstraps"], 1);
    assert_eq!(report["bootstraps"][0]["sec"], "USERPIN");
    assert_eq!(
        report["bootstraps"][0]["accounts"][0]["auth"][0]["secret"],
        "(hidden)"
    );
    assert_eq!(report["summary"]["sessions"], 2);
}
