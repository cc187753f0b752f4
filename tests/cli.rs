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
        "--format",
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
    assert!(page.contains("status"), "{page}");
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
