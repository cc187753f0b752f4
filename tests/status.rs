//! `dmtool status` and `dmtool alert` through the real binary.

mod common;

use common::{dmtool, fails_with, json};
use serde_json::Value;

fn codes(value: &Value) -> Vec<u64> {
    value
        .as_array()
        .expect("an array of records")
        .iter()
        .map(|record| record["code"].as_u64().expect("numeric code"))
        .collect()
}

#[test]
fn one_code_gives_one_full_record() {
    let value = json(&["status", "404", "--format", "json"]);
    let records = value.as_array().expect("array");
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record["code"], 404);
    assert_eq!(record["name"], "NOT_FOUND");
    assert_eq!(record["class"], "originator_exception");
    assert!(
        record["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert!(
        record["hint"]
            .as_str()
            .is_some_and(|h| h.contains("explore"))
    );
    let keys: Vec<&String> = record.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        ["code", "name", "description", "class", "dm_meaning", "hint"]
    );
}

#[test]
fn explicit_nulls_are_kept() {
    let value = json(&["status", "201", "--format", "json"]);
    assert_eq!(value[0]["dm_meaning"], Value::Null);
    assert!(value[0].as_object().expect("object").contains_key("hint"));
}

#[test]
fn several_codes_keep_their_order() {
    let value = json(&["status", "500", "404", "212", "-f", "json"]);
    assert_eq!(codes(&value), [500, 404, 212]);
}

#[test]
fn a_class_lists_its_members() {
    let value = json(&["status", "4xx", "-f", "json"]);
    let found = codes(&value);
    assert_eq!(found, (400..=428).collect::<Vec<u64>>());
    assert!(
        value
            .as_array()
            .expect("array")
            .iter()
            .all(|r| r["class"] == "originator_exception")
    );
}

#[test]
fn all_lists_every_code_but_515() {
    let value = json(&["status", "--all", "-f", "json"]);
    let found = codes(&value);
    assert_eq!(found.len(), 70);
    assert!(found.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(!found.contains(&515));
    assert_eq!(found.first(), Some(&101));
    assert_eq!(found.last(), Some(&517));
}

#[test]
fn names_are_found_in_any_case_and_spelling() {
    for query in ["not_found", "not found", "NOT-FOUND", "NotFound"] {
        assert_eq!(
            codes(&json(&["status", query, "-f", "json"])),
            [404],
            "{query}"
        );
    }
    assert_eq!(
        codes(&json(&["status", "atomic rollback failed", "-f", "json"])),
        [516]
    );
}

#[test]
fn windows_forms_decode() {
    assert_eq!(codes(&json(&["status", "0x87D101F4", "-f", "json"])), [500]);
    assert_eq!(
        codes(&json(&["status", "-2016345595", "-f", "json"])),
        [517]
    );
}

#[test]
fn application_specific_codes_are_reported_as_such() {
    let value = json(&["status", "1250", "-f", "json"]);
    assert_eq!(value[0]["class"], "application_specific");
    assert_eq!(value[0]["code"], 1250);
}

#[test]
fn unknown_codes_are_usage_errors_that_say_which_exist() {
    for query in ["999", "515", "abc", "0x87D10203"] {
        let (stdout, stderr) = fails_with(&["status", query], 2);
        assert!(stdout.is_empty(), "{query}: nothing on stdout");
        assert!(stderr.starts_with("error: "), "{query}: {stderr}");
        assert!(stderr.contains("101, 200–216"), "{query}: {stderr}");
        assert!(!stderr.contains("panicked"), "{query}: {stderr}");
    }
}

#[test]
fn every_unknown_code_is_named_and_nothing_is_printed() {
    let (stdout, stderr) = fails_with(&["status", "404", "999", "998"], 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("999") && stderr.contains("998"), "{stderr}");
}

#[test]
fn a_near_name_gets_suggestions() {
    let (_, stderr) = fails_with(&["status", "credentials"], 2);
    assert!(stderr.contains("INVALID_CREDENTIALS"), "{stderr}");
    assert!(stderr.contains("MISSING_CREDENTIALS"), "{stderr}");
}

#[test]
fn jsonl_csv_and_tsv_carry_the_same_records() {
    let json_codes = codes(&json(&["status", "2xx", "-f", "json"]));

    let jsonl = dmtool()
        .args(["status", "2xx", "-f", "jsonl"])
        .output()
        .expect("runs");
    let jsonl_codes: Vec<u64> = String::from_utf8(jsonl.stdout)
        .expect("utf-8")
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("a JSON object per line");
            value["code"].as_u64().expect("code")
        })
        .collect();
    assert_eq!(jsonl_codes, json_codes);

    let csv = dmtool()
        .args(["status", "2xx", "-f", "csv"])
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        ["code", "name", "description", "class", "dm_meaning", "hint"]
    );
    let csv_codes: Vec<u64> = reader
        .records()
        .map(|r| r.expect("row")[0].parse().expect("number"))
        .collect();
    assert_eq!(csv_codes, json_codes);

    let tsv = dmtool()
        .args(["status", "2xx", "-f", "tsv"])
        .output()
        .expect("runs");
    let text = String::from_utf8(tsv.stdout).expect("utf-8");
    let tsv_codes: Vec<u64> = text
        .lines()
        .skip(1)
        .map(|line| {
            line.split('\t')
                .next()
                .expect("field")
                .parse()
                .expect("number")
        })
        .collect();
    assert_eq!(tsv_codes, json_codes);
    assert!(text.lines().all(|line| line.split('\t').count() == 6));
}

#[test]
fn the_table_shows_a_card_for_one_code_and_rows_for_many() {
    let one = dmtool().args(["status", "404"]).output().expect("runs");
    let one = String::from_utf8(one.stdout).expect("utf-8");
    assert!(one.contains("hint") && one.contains("NOT_FOUND"), "{one}");

    let many = dmtool().args(["status", "--all"]).output().expect("runs");
    let many = String::from_utf8(many.stdout).expect("utf-8");
    assert!(many.contains("ATOMIC_RESPONSE_TOO_LARGE"));
    assert!(many.lines().count() > 70, "a row per code");
}

#[test]
fn colour_follows_the_color_option_and_never_touches_json() {
    let coloured = dmtool()
        .args(["status", "404", "--color", "always"])
        .output()
        .expect("runs");
    assert!(coloured.stdout.windows(2).any(|w| w == b"\x1b["));

    let plain = dmtool()
        .args(["status", "404", "--color", "never"])
        .output()
        .expect("runs");
    assert!(!plain.stdout.contains(&0x1b));

    // Piped (as here) with --color auto: no colour.
    let auto = dmtool().args(["status", "404"]).output().expect("runs");
    assert!(!auto.stdout.contains(&0x1b));

    let json = dmtool()
        .args(["status", "404", "-f", "json", "--color", "always"])
        .output()
        .expect("runs");
    assert!(!json.stdout.contains(&0x1b));
}

#[test]
fn alert_codes_decode() {
    let value = json(&["alert", "1201", "1223", "-f", "json"]);
    assert_eq!(codes(&value), [1201, 1223]);
    assert_eq!(value[0]["name"], "CLIENT_INITIATED_MGMT");
    assert_eq!(value[0]["protocol"], "device_management");
    assert_eq!(value[1]["name"], "SESSION_ABORT");

    let by_name = json(&["alert", "generic alert", "-f", "json"]);
    assert_eq!(codes(&by_name), [1226]);
}

#[test]
fn all_alerts_include_every_dm_code_and_mark_data_sync_ones() {
    let value = json(&["alert", "--all", "-f", "json"]);
    let records = value.as_array().expect("array");
    let dm: Vec<u64> = records
        .iter()
        .filter(|r| r["protocol"] == "device_management")
        .map(|r| r["code"].as_u64().expect("code"))
        .collect();
    assert_eq!(
        dm,
        [
            1100, 1101, 1102, 1103, 1104, 1200, 1201, 1222, 1223, 1224, 1225, 1226
        ]
    );
    assert!(records.iter().any(|r| r["protocol"] == "data_sync"));
}

#[test]
fn unknown_alerts_are_usage_errors() {
    let (stdout, stderr) = fails_with(&["alert", "1999"], 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.starts_with("error: unknown alert code 1999"),
        "{stderr}"
    );
    assert!(stderr.contains("1222–1226"), "{stderr}");
}
