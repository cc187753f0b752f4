//! What the log subcommands share: the inputs (each file once, in log
//! order), the filters (`--session`, `--device`, `--since` and `--until` in
//! log time), and what every reading reports besides messages and sessions (progress on
//! stderr, broken messages, inputs that could not be read) and the error
//! that ends a reading that could not read everything.

use anyhow::Result;

use crate::cli::LogInputs;
use crate::config::Config;
use crate::db::filter::{self, Until};
use crate::diag::Progress;
use crate::error::hinted;
use crate::transcript::clock;
use crate::transcript::finder::Broken;
use crate::transcript::order::{self, By};
use crate::transcript::source::Seen;
use crate::transcript::thread::SessionLog;

/// The inputs in log order: a rotated set given newest first (as the shell
/// lists `server.log*`) is read oldest first, and stderr says so.
pub(in crate::cmd) fn in_log_order(files: &[String]) -> Vec<String> {
    let ordered = order::inputs(files);
    if let Some(by) = ordered.changed {
        let by = match by {
            By::FirstTimestamp => "by their first timestamps",
            By::RotationNumber => "by their rotation numbers, oldest first",
        };
        crate::diag::note(&format!(
            "reading the inputs in log order ({by}): {}",
            ordered.files.join(", ")
        ));
    }
    ordered.files
}

/// The inputs, each file once: one named twice (`a.log a.log`, or by two
/// paths) would report each of its sessions twice; stderr says so. When no
/// input can be opened there is nothing to report: one error (exit 1)
/// naming each, rather than an empty report. Inputs that cannot be opened
/// among others are reported as they are met, and the rest is read.
pub(in crate::cmd) fn check_inputs(files: &[String]) -> Result<Vec<String>> {
    let (files, again) = once_each(files);
    for file in again {
        crate::diag::note(&format!("{file} is given twice: it is read once"));
    }
    check_openable(&files)?;
    Ok(files)
}

/// `files` without a file named again (by its canonical path; stdin once),
/// and those left out.
pub(in crate::cmd) fn once_each(files: &[String]) -> (Vec<String>, Vec<&String>) {
    let mut seen = std::collections::HashSet::new();
    let (mut kept, mut again) = (Vec::with_capacity(files.len()), Vec::new());
    for file in files {
        let identity = match file.as_str() {
            "-" => std::path::PathBuf::from("-"),
            path => std::fs::canonicalize(path).unwrap_or_else(|_| path.into()),
        };
        if seen.insert(identity) {
            kept.push(file.clone());
        } else {
            again.push(file);
        }
    }
    (kept, again)
}

fn check_openable(files: &[String]) -> Result<()> {
    let why_not = |file: &String| -> Option<String> {
        if file == "-" {
            return None;
        }
        match std::fs::metadata(file) {
            Ok(meta) if meta.is_dir() => Some(format!("{file} is a folder, not a log")),
            Ok(_) => std::fs::File::open(file)
                .err()
                .map(|error| format!("cannot open {file}: {error}")),
            Err(error) => Some(format!("cannot open {file}: {error}")),
        }
    };
    let reasons: Vec<String> = files.iter().filter_map(why_not).collect();
    if reasons.is_empty() || reasons.len() < files.len() {
        return Ok(());
    }
    Err(hinted(
        reasons.join("; "),
        "give the server's log files (rotated ones too: server.log*); - reads stdin",
    ))
}

/// One of the inputs is stdin (`-`), which may be a live log.
pub(super) fn reads_stdin(inputs: &LogInputs) -> bool {
    crate::transcript::pipeline::reads_stdin(&inputs.files)
}

/// The broken messages a report lists in detail; past them, a count.
pub(super) const BROKEN_IN_DETAIL: usize = 500;

/// What reading the inputs came to, besides the messages and sessions.
pub(in crate::cmd) struct Reading {
    progress: Progress,
    /// The caller lists broken messages itself: they are kept, not noted.
    keep_broken: bool,
    broken: Vec<Broken>,
    broken_count: usize,
    unreadable: Vec<String>,
    /// Inputs read to their end without a SyncML message in them.
    nothing_found: usize,
    /// `-v`: what was read and how long it took, said at the end.
    verbose: Option<Verbose>,
}

/// What `-v` says of a reading.
struct Verbose {
    started: std::time::Instant,
    /// The inputs met, and the bytes read of each (before decompression).
    inputs: Vec<(String, u64)>,
    messages: u64,
}

impl Reading {
    /// Broken messages are noted on stderr as they are met, or, with
    /// `keep_broken`, kept for the caller to list ([`broken`](Self::broken)).
    pub(in crate::cmd) fn new(config: &Config, keep_broken: bool) -> Self {
        Self {
            progress: Progress::new(config.progress),
            keep_broken,
            broken: Vec::new(),
            broken_count: 0,
            unreadable: Vec::new(),
            nothing_found: 0,
            verbose: config.verbose.then(|| Verbose {
                started: std::time::Instant::now(),
                inputs: Vec::new(),
                messages: 0,
            }),
        }
    }

    /// Counts a message or session for `-v` (the commands that see them say).
    pub(in crate::cmd) fn count_messages(&mut self, messages: u64) {
        if let Some(verbose) = &mut self.verbose {
            verbose.messages += messages;
        }
    }

    /// Takes what is neither a message nor a session: progress, broken
    /// messages, unreadable inputs.
    pub(in crate::cmd) fn note(&mut self, seen: &Seen<'_>) {
        match seen {
            Seen::Progress(position) => {
                self.progress
                    .update(&position.name, position.read(), position.size);
                if let Some(verbose) = &mut self.verbose {
                    // The file's size once known (what is read so far of stdin).
                    let read = position.size.unwrap_or_else(|| position.read());
                    match verbose.inputs.last_mut() {
                        Some((name, bytes)) if *name == position.name => *bytes = read,
                        _ => verbose.inputs.push((position.name.clone(), read)),
                    }
                }
            }
            Seen::Broken(broken) => {
                self.broken_count += 1;
                if self.keep_broken {
                    // The first in detail; past them, a count.
                    if self.broken.len() < BROKEN_IN_DETAIL {
                        self.broken.push((*broken).clone());
                    }
                } else {
                    self.progress.finish();
                    crate::diag::note(&format!(
                        "{}:{}: broken SyncML message: {}",
                        broken.file, broken.line, broken.reason
                    ));
                }
            }
            Seen::Unreadable { file, line, reason } => {
                self.progress.finish();
                match line {
                    Some(line) => crate::diag::note(&format!("{file}:{line}: {reason}")),
                    None => crate::diag::note(reason),
                }
                self.unreadable.push((*file).to_owned());
            }
            Seen::NothingFound(file) => {
                self.progress.finish();
                crate::diag::note(&format!(
                    "no SyncML messages in {file}: is this the DM server's message log (DME: LogUtil at DEBUG level)?"
                ));
                self.nothing_found += 1;
            }
            Seen::Message(_)
            | Seen::Notification(_)
            | Seen::Bootstrap(_)
            | Seen::Session(_)
            | Seen::Unanswered(_)
            | Seen::UnansweredMore(_) => {}
        }
    }

    /// The reading is over: the progress line goes.
    pub(in crate::cmd) fn finish(&mut self) {
        self.progress.finish();
    }

    /// The broken messages kept (with `keep_broken`).
    pub(in crate::cmd) fn broken(&self) -> &[Broken] {
        &self.broken
    }

    /// How many inputs held no SyncML.
    pub(in crate::cmd) fn nothing_found(&self) -> usize {
        self.nothing_found
    }

    /// How many broken messages were met.
    pub(in crate::cmd) fn broken_count(&self) -> usize {
        self.broken_count
    }

    /// An error when an input could not be read to its end; with `-v`, what
    /// was read and how long it took is said first.
    pub(in crate::cmd) fn into_result(mut self) -> Result<()> {
        self.progress.finish();
        if let Some(verbose) = self.verbose.take() {
            let bytes: u64 = verbose.inputs.iter().map(|(_, read)| read).sum();
            let names: Vec<&str> = verbose
                .inputs
                .iter()
                .map(|(name, _)| name.as_str())
                .collect();
            crate::diag::note(&format!(
                "read {} ({:.1} MB) in {:.2} s: {} messages",
                if names.is_empty() {
                    "nothing".to_owned()
                } else {
                    names.join(", ")
                },
                bytes as f64 / 1e6,
                verbose.started.elapsed().as_secs_f64(),
                verbose.messages
            ));
        }
        if self.unreadable.is_empty() {
            Ok(())
        } else {
            Err(hinted(
                format!("could not read all of: {}", self.unreadable.join(", ")),
                "what could be read was threaded and printed",
            ))
        }
    }
}

/// What `--session`, `--device`, `--since` and `--until` let through.
pub(super) struct Filter {
    session: Option<String>,
    device: Option<String>,
    window: Option<Window>,
}

/// `--since` and `--until` as log time, inclusive, on both scales of
/// [`clock::millis_of`]: times with a year, and yearless ones (logcat,
/// syslog), which are compared within the year.
struct Window {
    dated: (i64, i64),
    yearless: (i64, i64),
}

/// A bound written as the log writes its times (`2010-06-28 13:48:21,412`,
/// `2010-06-28T13:48:21.500Z`, `…+02:00`: copied from a record), read by the
/// log's own clock, its zone applied: (dated, yearless) milliseconds. An
/// `--until` without a fraction of a second covers its whole second.
/// Anything else (a wrong day of the month, text after the time, a zone
/// written otherwise) is `None`: the usual reading then refuses it.
fn log_time(text: &str, until: bool) -> Option<(i64, i64)> {
    let (date_time, rest) = (text.get(..19)?, text.get(19..)?);
    // The date and time as a date is checked (days of the month, seconds).
    filter::parse_timestamp(date_time).ok()?;
    let fraction = rest.strip_prefix([',', '.']).map(|digits| {
        digits.len()
            - digits
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len()
    });
    let zone = match fraction {
        Some(0) => return None,
        Some(digits) => &rest[1 + digits..],
        None => rest,
    };
    if !is_zone(zone) {
        return None;
    }
    let dated = clock::millis_of(text)?;
    let yearless = yearless(text, dated);
    let widen = i64::from(until && fraction.is_none()) * 999;
    Some((dated + widen, yearless + widen))
}

/// A bound with a year (`dated`, from `time`) on the scale of the times
/// without one (logcat, syslog: taken as 2000's).
fn yearless(time: &str, dated: i64) -> i64 {
    time.get(4..)
        .and_then(|rest| clock::millis_of(&format!("2000{rest}")))
        .unwrap_or(dated)
}

/// Nothing, `Z`, or an offset `±HH:MM`, `±HHMM`, `±HH`.
fn is_zone(zone: &str) -> bool {
    let digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
    match zone.as_bytes() {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', rest @ ..] => {
            let rest = std::str::from_utf8(rest).unwrap_or_default();
            match rest.len() {
                2 | 4 => digits(rest),
                5 => rest.as_bytes()[2] == b':' && digits(&rest[..2]) && digits(&rest[3..]),
                _ => false,
            }
        }
        _ => false,
    }
}

impl Filter {
    /// The filters of the log commands; a bad date is a usage error.
    pub(super) fn of(inputs: &LogInputs) -> Result<Self> {
        let bound = |text: &Option<String>, until: bool| -> Result<Option<(i64, i64)>> {
            let Some(text) = text else {
                return Ok(None);
            };
            if let Some(bound) = log_time(text.trim(), until) {
                return Ok(Some(bound));
            }
            let (time, exclusive) = if until {
                match filter::parse_until(text)? {
                    Until::AtOrBefore(time) => (time, false),
                    Until::Before(time) => (time, true),
                }
            } else {
                (filter::parse_timestamp(text)?, false)
            };
            let dated = clock::millis_of(&time).unwrap_or_default();
            let yearless = yearless(&time, dated);
            // An inclusive time covers its whole second.
            let widen = |ms: i64| {
                if until && !exclusive {
                    ms + 999
                } else {
                    ms - i64::from(exclusive)
                }
            };
            Ok(Some((widen(dated), widen(yearless))))
        };
        let since = bound(&inputs.since, false)?;
        let until = bound(&inputs.until, true)?;
        if let (Some((since_at, _)), Some((until_at, _))) = (since, until)
            && since_at > until_at
        {
            return Err(reversed(inputs.since.as_deref(), inputs.until.as_deref()).into());
        }
        let window = (since.is_some() || until.is_some()).then(|| {
            let (since_dated, since_yearless) = since.unwrap_or((i64::MIN, i64::MIN));
            let (until_dated, until_yearless) = until.unwrap_or((i64::MAX, i64::MAX));
            Window {
                dated: (since_dated, until_dated),
                yearless: (since_yearless, until_yearless),
            }
        });
        Ok(Self {
            session: inputs.session.as_deref().map(str::to_ascii_lowercase),
            device: inputs.device.as_deref().map(str::to_ascii_lowercase),
            window,
        })
    }

    /// Something is filtered: what is counted is what passed.
    pub(super) fn is_active(&self) -> bool {
        self.session.is_some() || self.device.is_some() || self.window.is_some()
    }

    /// A device is asked for: what names none (a package 0) is left out.
    pub(super) fn names_device(&self) -> bool {
        self.device.is_some()
    }

    /// The session passes every filter: its ID, its device, and one of its
    /// messages in the time window.
    pub(super) fn session(&self, session: &SessionLog) -> bool {
        self.selects(session.session.as_deref(), session.device.as_deref())
            && (self.window.is_none()
                || session
                    .messages
                    .iter()
                    .any(|message| self.time(message.time.as_deref())))
    }

    /// This session ID (any case) and device (a part of it, any case) pass.
    pub(super) fn selects(&self, session: Option<&str>, device: Option<&str>) -> bool {
        self.session
            .as_deref()
            .is_none_or(|id| session.is_some_and(|s| s.eq_ignore_ascii_case(id)))
            && self.device.as_deref().is_none_or(|wanted| {
                device.is_some_and(|d| d.to_ascii_lowercase().contains(wanted))
            })
    }

    /// A record's time is in the window (everything is, without one; nothing
    /// without a time is, with one).
    pub(super) fn time(&self, time: Option<&str>) -> bool {
        let Some(window) = &self.window else {
            return true;
        };
        let Some(text) = time else {
            return false;
        };
        let Some(millis) = clock::millis_of(text) else {
            return false;
        };
        let (since, until) = if clock::has_year(text) {
            window.dated
        } else {
            window.yearless
        };
        (since..=until).contains(&millis)
    }
}

/// `--since` after `--until`: a usage error, not an empty answer.
pub(in crate::cmd) fn reversed(
    since: Option<&str>,
    until: Option<&str>,
) -> crate::error::UsageError {
    crate::error::UsageError::new(format!(
        "--since {} is after --until {}: nothing can be both",
        since.unwrap_or_default(),
        until.unwrap_or_default()
    ))
    .with_hint("swap them: --since is the earlier time")
}
