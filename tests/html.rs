//! `--format html`, read by a real browser: headless Chromium (Debian's
//! `chromium`, which `.ci/run` installs) loads the page and dumps the DOM it
//! built; the test counts what it finds there: one ladder per session drawn,
//! one arrow per message, status classes, and a hostile LocURI that stays
//! text. Without Chromium the tests are skipped with a notice; with `CI` set
//! they fail instead. `DMTOOL_SCREENSHOT=FILE` also writes the README's
//! screenshot of the device page.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{json, run};

fn fixture(name: &str) -> String {
    format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Chromium, or `None` with a notice (a failure in CI).
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(output) = Command::new("which").arg(name).output()
            && output.status.success()
        {
            let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            return Some(PathBuf::from(path));
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI: Chromium is not installed (bash .ci/run installs Debian's chromium)");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "NOTICE: browser test SKIPPED: no chromium on PATH; run `bash .ci/run` or install Debian's chromium"
    );
    None
}

/// Runs headless Chromium on a page with `args` (after the usual flags).
fn browse(browser: &Path, page: &Path, args: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The DOM Chromium built from the page.
fn dom_of(browser: &Path, page: &Path) -> String {
    browse(browser, page, &["--dump-dom"])
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

/// A log whose device LocURI is markup, and a message the log shows escaped.
fn hostile_log(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(fixture("dme-server.log"))
        .expect("reads")
        .replace(
            "IMEI:351234567890125",
            "&lt;script&gt;document.title='owned'&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
        );
    let path = dir.join("hostile.log");
    std::fs::write(&path, text).expect("writes");
    path
}

#[test]
fn the_explain_page_draws_one_ladder_per_session_and_one_arrow_per_message() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let log = hostile_log(dir.path());
    let inputs = [
        log.to_string_lossy().into_owned(),
        fixture("journeys/lost-exec.log"),
        fixture("journeys/auth-loop.log"),
    ];
    let mut args = vec!["log", "explain"];
    args.extend(inputs.iter().map(String::as_str));
    let report = json(&[&args[..], &["-f", "json"]].concat());
    let sessions = report["sessions"].as_array().expect("sessions");
    let messages: u64 = sessions
        .iter()
        .map(|s| s["messages"].as_u64().expect("messages"))
        .sum();
    let (code, page, stderr) = run(&[&args[..], &["-f", "html"]].concat());
    assert_eq!(code, 0, "{stderr}");
    let path = dir.path().join("report.html");
    std::fs::write(&path, &page).expect("writes");
    let dom = dom_of(&browser, &path);
    // Every session drawn (a small log), one arrow per message.
    assert_eq!(count(&dom, "class=\"ladder\""), sessions.len(), "ladders");
    assert_eq!(count(&dom, "class=\"arrow ") as u64, messages, "arrows");
    // The index lists every session, those with problems first.
    assert_eq!(
        count(&dom, "<tr class=\"problem\">") + count(&dom, "<tr class=\"ok\">"),
        sessions.len()
    );
    // Statuses by class; the lost connection and the challenge marked.
    for class in [
        "status s2xx",
        "status s4xx",
        "status s5xx",
        "status unanswered",
        "arrow s2d lost",
        "end lost",
        "arrow d2s challenged",
    ] {
        assert!(dom.contains(class), "{class} missing");
    }
    // The message XML folded under its arrow.
    assert!(count(&dom, "<details class=\"xml\">") > 0);
    // The hostile LocURI stayed text: no script or image element, the
    // title untouched, the text there escaped.
    assert_eq!(count(&dom, "<script"), 0);
    assert_eq!(count(&dom, "<img"), 0);
    assert!(dom.contains("<title>dmtool log explain</title>"));
    assert!(dom.contains("&lt;script&gt;document.title"), "escaped text");
    // Nothing is fetched: no element refers to anything outside the page
    // (links are anchors in it), and a policy forbids any request.
    assert!(!dom.contains(" src=\""));
    assert!(!dom.contains("<link"));
    assert_eq!(count(&dom, " href=\""), count(&dom, " href=\"#"));
    assert!(page.contains("default-src 'none'"));
}

#[test]
fn the_device_page_shows_the_verdict_the_chain_and_the_device_s_ladders() {
    let Some(browser) = chromium() else { return };
    // Relative, as a user types it (and as the README's screenshot shows it).
    let log = "testdata/journeys/lost-exec.log";
    let report = json(&[
        "device", "30551144", "--db", "demo", "--log", log, "-f", "json",
    ]);
    let device_log = &report["devices"][0]["log"];
    let sessions = device_log["sessions"].as_array().expect("sessions");
    let (code, page, stderr) = run(&[
        "device", "30551144", "--db", "demo", "--log", log, "-f", "html",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("device.html");
    std::fs::write(&path, &page).expect("writes");
    let dom = dom_of(&browser, &path);
    assert_eq!(count(&dom, "class=\"ladder\""), sessions.len());
    assert!(dom.contains("class=\"verdict broke\""));
    assert!(dom.contains("Broke at session_lost"));
    let chain = device_log["chain"].as_array().expect("chain");
    assert_eq!(
        count(&dom, "<tr class=\"")
            - count(&dom, "<tr class=\"agree\">")
            - count(&dom, "<tr class=\"database_only\">")
            - count(&dom, "<tr class=\"not_in_log\">"),
        chain.len(),
        "one row per step of the chain"
    );
    if let Some(screenshot) = std::env::var_os("DMTOOL_SCREENSHOT") {
        browse(
            &browser,
            &path,
            &[
                "--window-size=1200,2500",
                &format!("--screenshot={}", Path::new(&screenshot).display()),
            ],
        );
    }
}

#[test]
fn other_commands_refuse_html() {
    let (code, _, stderr) = run(&["jobs", "--db", "demo", "-f", "html"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("invalid value 'html'"), "{stderr}");
}
