//! The conventions every subcommand shares: help, exit codes, usage errors,
//! broken pipes, completions and the man page.

mod common;

use std::path::Path;

use clap_complete::{Generator, Shell};
use common::{dmtool, fails_with};

#[test]
fn help_teaches_the_subcommands_and_exit_codes() {
    let output = dmtool().arg("--help").output().expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).expect("utf-8");
    for needle in [
        "status",
        "alert",
        "completions",
        "man",
        "--color",
        "Exit codes",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}: {help}");
    }
    let status_help = dmtool().args(["status", "--help"]).output().expect("runs");
    let status_help = String::from_utf8(status_help.stdout).expect("utf-8");
    assert!(status_help.contains("0x87D101F4"), "{status_help}");
    assert!(status_help.contains("Examples"), "{status_help}");
}

#[test]
fn version_prints_the_crate_version() {
    let output = dmtool().arg("--version").output().expect("runs");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(text.trim(), format!("dmtool {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn usage_errors_exit_2() {
    fails_with(&["no-such-command"], 2);
    fails_with(&["status"], 2);
    fails_with(&["status", "404", "--format", "xml"], 2);
    fails_with(&["status", "404", "--all"], 2);
}

#[test]
fn a_closed_stdout_ends_quietly_with_success() {
    // Closed before dmtool writes, as `| head -0` would.
    let (code, stderr) =
        common::with_stdout_closed_early(&["status", "--all", "--format", "json"], false);
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "nothing on stderr: {stderr}");
}

#[test]
fn man_prints_a_roff_page() {
    let output = dmtool().arg("man").output().expect("runs");
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).expect("utf-8");
    assert!(page.contains(".TH dmtool"), "{page}");
    // Complete: every subcommand with its options, and the sections a
    // command line tool's page has.
    for section in [
        ".SS \"dmtool jobs\"",
        ".SS \"dmtool device\"",
        ".SS \"dmtool db check\"",
        ".SS \"dmtool log explain\"",
        ".SS \"dmtool log thread\"",
        ".SS \"dmtool log pretty\"",
        ".SS \"dmtool wbxml decode\"",
        ".SS \"dmtool bootstrap\"",
        ".SS \"dmtool notification\"",
        ".SS \"dmtool status\"",
        ".SS \"dmtool alert\"",
        ".SH ENVIRONMENT",
        ".SH EXIT STATUS",
        ".SH FILES",
        ".SH EXAMPLES",
        "DMTOOL_DB",
        "NO_COLOR",
        "\\-\\-client\\-password\\-file",
        "\\-\\-show\\-secrets",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    // It names no other page (there is none).
    assert!(
        !page.contains("dmtool-"),
        "a reference to a page that does not exist"
    );
}

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

#[test]
fn committed_completions_are_up_to_date() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = Vec::new();
    for shell in SHELLS {
        let output = dmtool()
            .args(["completions", &shell.to_string()])
            .output()
            .expect("runs");
        assert!(output.status.success(), "completions {shell}");
        assert!(!output.stdout.is_empty(), "completions {shell} is empty");
        let file = folder.join(shell.file_name("dmtool"));
        let committed = std::fs::read(&file).unwrap_or_default();
        if committed != output.stdout {
            stale.push(format!(
                "{} differs ({} bytes committed, {} generated); regenerate with:\n  \
                 cargo run -q -- completions {shell} > completions/{}",
                file.display(),
                committed.len(),
                output.stdout.len(),
                shell.file_name("dmtool"),
            ));
            if let (Ok(old), Ok(new)) = (
                String::from_utf8(committed),
                String::from_utf8(output.stdout.clone()),
            ) {
                stale.push(first_difference(&old, &new));
            }
        }
    }
    assert!(stale.is_empty(), "stale completions:\n{}", stale.join("\n"));
}

/// The first line where two texts differ, as a small diff.
fn first_difference(old: &str, new: &str) -> String {
    let mut old_lines = old.lines();
    let mut new_lines = new.lines();
    let mut number = 1;
    loop {
        match (old_lines.next(), new_lines.next()) {
            (None, None) => return "  (no line differs: line endings?)".into(),
            (a, b) if a == b => number += 1,
            (a, b) => {
                return format!(
                    "  line {number}:\n  - {}\n  + {}",
                    a.unwrap_or("<end>"),
                    b.unwrap_or("<end>")
                );
            }
        }
    }
}

#[test]
fn frictions_a_new_user_meets_are_gone() {
    // A log that is not there is one error, not an empty report.
    let (code, stdout, stderr) = common::run(&["log", "explain", "missing.log"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("cannot open missing.log"), "{stderr}");
    assert!(!stderr.contains("what could be read"), "{stderr}");
    // A reversed range is a usage error wherever dates are taken.
    for args in [
        &[
            "jobs",
            "--db",
            "demo",
            "--since",
            "2010-07-01",
            "--until",
            "2010-06-01",
        ][..],
        &[
            "log",
            "thread",
            "testdata/dme-server.log",
            "--since",
            "2010-07-01",
            "--until",
            "2010-06-01",
        ][..],
    ] {
        let (code, _, stderr) = common::run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("is after --until"), "{stderr}");
    }
    // A typo gets a did-you-mean.
    let (code, _, stderr) = common::run(&["status", "not_fond"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean NOT_FOUND?"), "{stderr}");
    // --format is not offered where it does not apply: refused, not ignored.
    for args in [
        &["man", "-f", "json"][..],
        &["completions", "bash", "-f", "csv"][..],
    ] {
        let (code, _, stderr) = common::run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains("unexpected argument '-f'"), "{stderr}");
    }
    // -v on a log command says what was read.
    let (_, _, stderr) = common::run(&["log", "explain", "testdata/dme-server.log", "-v"]);
    assert!(
        stderr.contains("read testdata/dme-server.log") && stderr.contains("7 messages"),
        "{stderr}"
    );
}

#[test]
fn color_always_wins_over_no_color_in_table_cells_too() {
    let output = dmtool()
        .args([
            "jobs", "--db", "demo", "--phone", "30551144", "--color", "always",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\x1b[38;5;10m 200"), "{stdout}");
    // Without --color always, NO_COLOR is obeyed (and a pipe is not coloured).
    let output = dmtool()
        .args(["jobs", "--db", "demo", "--phone", "30551144"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&output.stdout).contains('\x1b'));
}

#[test]
fn secrets_in_job_data_are_hidden_unless_asked_for() {
    let rows = common::json(&["jobs", "--db", "demo", "--phone", "30449933", "-f", "json"]);
    let secret = rows
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| {
            row["target"]
                .as_str()
                .is_some_and(|t| t.ends_with("AAuthSecret"))
        })
        .expect("the demo's AAuthSecret row")
        .clone();
    assert_eq!(secret["data"], "(hidden)");
    let (_, csv, _) = common::run(&["jobs", "--db", "demo", "--phone", "30449933", "-f", "csv"]);
    assert!(!csv.contains("s3cr3t"), "{csv}");
    let (_, shown, _) = common::run(&[
        "jobs",
        "--db",
        "demo",
        "--phone",
        "30449933",
        "-f",
        "csv",
        "--show-secrets",
    ]);
    assert!(shown.contains("s3cr3t-per-device"), "{shown}");
    // Other data stays as it is.
    assert!(csv.contains("DME Client 3.5"), "{csv}");
}

#[test]
fn a_database_from_dmtool_db_is_named_as_coming_from_it() {
    let output = dmtool()
        .args(["jobs"])
        .env("DMTOOL_DB", "mysql://someone:topsecret@127.0.0.1:1/dme")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the database DMTOOL_DB names"), "{stderr}");
    assert!(!stderr.contains("topsecret"), "{stderr}");
}

#[test]
fn table_cells_hold_no_json() {
    let (code, stdout, stderr) = common::run(&["log", "thread", "testdata/dme-server.log"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("[\""), "{stdout}");
    assert!(!stdout.contains("{\""), "{stdout}");
    assert!(!stdout.contains(" null "), "{stdout}");
}

/// The example lines of a subcommand's --help (`  dmtool …`).
fn examples(subcommand: &[&str]) -> Vec<String> {
    let output = dmtool()
        .args(subcommand)
        .arg("--help")
        .output()
        .expect("runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("  dmtool "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_example_in_help_runs_as_pasted() {
    // From a folder holding the repository's testdata, as from a checkout;
    // what an example writes stays there.
    let dir = tempfile::tempdir().expect("tempdir");
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    std::os::unix::fs::symlink(&testdata, dir.path().join("testdata")).expect("symlink");
    let binary = env!("CARGO_BIN_EXE_dmtool");
    let mut ran = 0;
    for subcommand in [
        &["jobs"][..],
        &["device"],
        &["db", "check"],
        &["log", "pretty"],
        &["log", "thread"],
        &["log", "explain"],
        &["wbxml", "decode"],
        &["notification"],
        &["bootstrap"],
        &["status"],
        &["alert"],
    ] {
        let found = examples(subcommand);
        assert!(!found.is_empty(), "{subcommand:?} has examples");
        for example in found {
            // The shell runs it as a user would paste it (pipes, redirection).
            let output = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("{binary} {example}"))
                .current_dir(dir.path())
                .env_remove("DMTOOL_DB")
                .env("PAGER", "cat")
                .output()
                .expect("sh runs");
            assert!(
                output.status.success(),
                "`dmtool {example}` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 30, "{ran} examples");
}

#[test]
fn relative_dates_are_taken_where_dates_are() {
    let count = |args: &[&str]| {
        common::json(&[&["jobs", "--db", "demo", "-f", "json"][..], args].concat())
            .as_array()
            .map_or(0, Vec::len)
    };
    let all = count(&[]);
    assert!(all > 0);
    // The demo's jobs are from 2010: within the last 20,000 days, not the last day.
    assert_eq!(count(&["--since", "20000d"]), all);
    assert_eq!(count(&["--since", "1d"]), 0);
    assert_eq!(count(&["--since", "today"]), 0);
    assert_eq!(count(&["--until", "yesterday"]), all);
    // The log commands take them too; a word that is no date is refused.
    let (code, _, stderr) =
        common::run(&["log", "thread", "testdata/dme-server.log", "--since", "12h"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = common::run(&["jobs", "--db", "demo", "--since", "lastweek"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("yesterday"), "{stderr}");
}

#[test]
fn a_time_copied_from_the_log_bounds_the_log_commands_to_the_millisecond() {
    let times = |bound: &str| -> Vec<String> {
        let (code, stdout, stderr) = common::run(&[
            "log",
            "thread",
            "testdata/dme-server.log",
            "-f",
            "jsonl",
            bound,
        ]);
        assert_eq!(code, 0, "{bound}: {stderr}");
        let mut times: Vec<String> = stdout
            .lines()
            .map(|line| {
                let row: serde_json::Value = serde_json::from_str(line).expect("json");
                row["time"].as_str().unwrap_or_default().to_owned()
            })
            .collect();
        times.sort();
        times.dedup();
        times
    };
    // The fixture's messages at 13:48:20,105, 20,210, 20,330, 20,402, …
    let until = times("--until=2010-06-28 13:48:20,330");
    assert_eq!(
        until.last().map(String::as_str),
        Some("2010-06-28 13:48:20,330")
    );
    let before = times("--until=2010-06-28 13:48:20,329");
    assert_eq!(
        before.last().map(String::as_str),
        Some("2010-06-28 13:48:20,210")
    );
    let since = times("--since=2010-06-28 13:48:20,402");
    assert_eq!(
        since.first().map(String::as_str),
        Some("2010-06-28 13:48:20,402")
    );
    // ISO 8601 with a zone: the zone is applied (the log's times have none
    // and are taken as they are).
    assert_eq!(times("--since=2010-06-28T13:48:20.402Z"), since);
    let zoned = times("--since=2010-06-28T15:48:20.403+02:00");
    assert_eq!(
        zoned.first().map(String::as_str),
        Some("2010-06-28 13:48:21,007")
    );
    // What is no time is refused, not read as another one.
    for bad in [
        "--since=2010-02-31 10:00:00",
        "--since=2010-06-28 13:48:21foo",
        "--since=2010-06-28T13:48:21+2:00",
        "--until=2010-06-28 13:48:21,",
    ] {
        let (code, _, stderr) = common::run(&["log", "thread", "testdata/dme-server.log", bad]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("is not a date"), "{bad}: {stderr}");
    }
}

#[test]
fn a_narrow_terminal_never_splits_an_identifier() {
    // A real terminal (a pty from util-linux's `script`), 160 columns wide.
    if !common::has_script("terminal") {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_dmtool");
    let on_terminal = |args: &str| -> String {
        let output = std::process::Command::new("script")
            .args(["-qec", &format!("COLUMNS=160 {binary} {args}"), "/dev/null"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("script runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let table = on_terminal("jobs --db demo --phone 30449933 --failed");
    let rows = common::json(&[
        "jobs", "--db", "demo", "--phone", "30449933", "--failed", "-f", "json",
    ]);
    for row in rows.as_array().expect("rows") {
        let id = row["job_id"].as_str().expect("job id");
        assert!(table.contains(id), "{id} split in:\n{table}");
        let target = row["target"].as_str().expect("target");
        assert!(table.contains(target), "{target} split in:\n{table}");
    }
    // The table fits the terminal, and says how to see the rest.
    for line in table.lines().filter(|line| line.starts_with('│')) {
        let plain: String = strip_ansi(line);
        assert!(plain.chars().count() <= 160, "{plain}");
    }
    assert!(table.contains("columns left out"), "{table}");
    assert!(table.contains("--format csv"), "{table}");
}

#[test]
fn a_table_too_wide_for_the_terminal_leaves_columns_out_rather_than_squeeze_them() {
    if !common::has_script("terminal") {
        return;
    }
    let binary = env!("CARGO_BIN_EXE_dmtool");
    for width in [80, 100, 120] {
        for args in [
            "jobs --db demo --phone 30116718",
            "device --db demo 30449933",
            "log thread testdata/dme-server.log",
        ] {
            let output = std::process::Command::new("script")
                .args([
                    "-qec",
                    &format!("COLUMNS={width} {binary} {args} --color never"),
                    "/dev/null",
                ])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .expect("script runs");
            let text = String::from_utf8_lossy(&output.stdout);
            let lines: Vec<String> = text.lines().map(strip_ansi).collect();
            // Every heading whole on its line: no column a letter wide.
            for (at, line) in lines.iter().enumerate() {
                if !line.starts_with('┌') {
                    continue;
                }
                let heading = &lines[at + 1];
                for cell in heading.split(['│', '┆']).map(str::trim) {
                    assert!(
                        cell.is_empty() || cell.chars().count() >= 2,
                        "{args} at {width}: heading {cell:?} in\n{text}"
                    );
                }
                assert!(
                    !lines[at + 2].starts_with('│'),
                    "{args} at {width}: a heading wraps in\n{text}"
                );
            }
            assert!(lines.len() < 120, "{args} at {width}:\n{text}");
        }
    }
}

/// A line without its colour escapes.
fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else if c != '\r' {
            out.push(c);
        }
    }
    out
}

/// The `--format` values a subcommand's help offers, and whether it offers -v.
fn offers(subcommand: &[&str]) -> (Vec<String>, bool) {
    let output = dmtool()
        .args(subcommand)
        .arg("--help")
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&output.stdout).into_owned();
    let formats = help
        .find("--format")
        .and_then(|at| help[at..].split("[possible values: ").nth(1))
        .and_then(|after| after.split(']').next())
        .map(|list| list.split(", ").map(str::to_owned).collect())
        .unwrap_or_default();
    (formats, help.contains("--verbose"))
}

#[test]
fn options_appear_only_where_they_apply() {
    let rows = ["table", "json", "jsonl", "csv", "tsv"]
        .map(str::to_owned)
        .to_vec();
    let page = ["table", "json", "jsonl", "html"]
        .map(str::to_owned)
        .to_vec();
    let report = ["table", "json", "jsonl"].map(str::to_owned).to_vec();
    for (subcommand, formats, verbose) in [
        (&["jobs"][..], rows.clone(), true),
        (&["log", "thread"], rows.clone(), true),
        (&["status"], rows.clone(), false),
        (&["alert"], rows.clone(), false),
        (&["device"], page.clone(), true),
        (&["log", "explain"], page.clone(), true),
        (&["db", "check"], report.clone(), true),
        (&["bootstrap"], report.clone(), false),
        (&["log", "pretty"], Vec::new(), true),
        (&["wbxml", "decode"], Vec::new(), false),
        (&["man"], Vec::new(), false),
    ] {
        let (offered, offers_verbose) = offers(subcommand);
        assert_eq!(offered, formats, "{subcommand:?} --format");
        assert_eq!(offers_verbose, verbose, "{subcommand:?} -v");
    }
    // A format a command cannot write is a usage error naming those it can.
    let (code, _, stderr) = common::run(&["device", "30116718", "--db", "demo", "-f", "csv"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("possible values: table, json, jsonl, html"),
        "{stderr}"
    );
}
