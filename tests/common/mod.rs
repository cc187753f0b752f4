//! Helpers shared by the integration tests: the real binary in a clean
//! environment, and JSON output parsed.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// The built `dmtool`, with no environment leaking in (no DMTOOL_*, NO_COLOR, TERM).
pub fn dmtool() -> Command {
    let mut command = Command::cargo_bin("dmtool").expect("the dmtool binary is built");
    command.env_clear();
    command
}

/// Runs `dmtool ARGS`, expects success, and parses stdout as one JSON document.
pub fn json(args: &[&str]) -> Value {
    let output = dmtool().args(args).output().expect("dmtool runs");
    assert!(
        output.status.success(),
        "dmtool {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Runs `dmtool ARGS` and expects exit code `code`; returns (stdout, stderr).
pub fn fails_with(args: &[&str], code: i32) -> (String, String) {
    let output = dmtool().args(args).output().expect("dmtool runs");
    assert_eq!(
        output.status.code(),
        Some(code),
        "dmtool {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
