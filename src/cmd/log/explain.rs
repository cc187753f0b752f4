//! `dmtool log explain`: a plain-words account of every session, what went
//! wrong first, and a summary line. Table (text for people), json (one
//! document), jsonl (one session per line).

use std::fmt;

use anyhow::{Context, Result};
use serde::Serialize;

use super::read::{Filter, Reading, check_inputs, in_log_order};
use crate::cli::ExplainArgs;
use crate::config::Config;
use crate::error::FindingsError;
use crate::html;
use crate::output::{Format, Listed, Output, Style, Tone};
use crate::transcript::credentials::{Account, Nonces, Verdict};
use crate::transcript::explain::{
    Ending, Exchange, FindingKind, SessionReport, Severity, add_cred_checks, crowding, explain,
};
use crate::transcript::finder::Broken;
use crate::transcript::ladder::Ladder;
use crate::transcript::notifications::NotificationReport;
use crate::transcript::source::{Seen, Sessions};
use crate::transcript::thread::{Crowded, Direction};

/// The totals of a run.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Summary {
    pub(crate) sessions: usize,
    /// The messages of the inputs; filtered, of the sessions that passed.
    pub(crate) messages: usize,
    pub(crate) commands: usize,
    pub(crate) failures: usize,
    pub(crate) broken_messages: usize,
    pub(crate) sessions_with_problems: usize,
    /// Packages 0 found in the log, and those no session answered.
    pub(crate) notifications: u64,
    pub(crate) unanswered_notifications: usize,
    /// Inputs read to their end in which no SyncML was found.
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) inputs_without_syncml: usize,
    /// Broken messages and packages 0 nobody answered counted but not listed
    /// (past the first few hundred).
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) broken_not_listed: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) unanswered_not_listed: usize,
    /// Bootstraps found written into the log.
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) bootstraps: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// `--format json`: everything in one document, its sessions first,
/// written as they come ([`Listed`]); then these.
#[derive(Serialize)]
struct AfterSessions<'a> {
    /// Packages 0 that no session in the log answered.
    unanswered_notifications: &'a [NotificationReport],
    /// Bootstraps written into the log.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    bootstraps: &'a [crate::bootstrap::FoundBootstrap],
    broken: Vec<BrokenOut<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct BrokenOut<'a> {
    file: &'a str,
    line: u64,
    reason: &'a str,
}

pub(crate) fn run(args: &ExplainArgs, config: &Config, output: &mut Output) -> Result<()> {
    let format = output.format();
    let inputs = &args.inputs;
    let filter = Filter::of(inputs)?;
    let files = check_inputs(&inputs.files)?;
    // Creds are checked only with a password; the server's nonces are
    // followed across sessions.
    let device_account = match &args.client_password_file {
        Some(path) => Some(Account {
            password: Some(crate::config::read_password(path)?.into_bytes()),
            user: args.client_user.clone(),
        }),
        None => None,
    };
    let server_account = match &args.server_password_file {
        Some(path) => Some(Account {
            password: Some(crate::config::read_password(path)?.into_bytes()),
            user: args.server_id.clone(),
        }),
        None => None,
    };
    let mut nonces = Nonces::default();
    let mut summary = Summary::default();
    let mut listed = Listed::new("sessions");
    let mut unanswered = Vec::new();
    let mut bootstraps = Vec::new();
    let mut page = html::Collector::default();
    let mut errors_found = false;
    // The messages of the sessions the filters let through.
    let mut selected_messages = 0;
    // The report lists broken messages itself, but for jsonl.
    let mut reading = Reading::new(config, format != Format::Jsonl);
    let mut sessions = Sessions::open(&in_log_order(&files), args.sessions.limits());
    while let Some(seen) = sessions.next() {
        match seen {
            Seen::Session(session) => {
                if !filter.session(&session.log) {
                    continue;
                }
                let mut report = explain(&session.log);
                report.notification.clone_from(&session.notification);
                let mut checks = Vec::new();
                if let Some(account) = &device_account {
                    checks.extend(nonces.check(&session.log, account, Direction::DeviceToServer));
                }
                if let Some(account) = &server_account {
                    checks.extend(nonces.check(&session.log, account, Direction::ServerToDevice));
                }
                if !checks.is_empty() {
                    checks.sort_by_key(|check| check.line);
                    add_cred_checks(&mut report, checks);
                }
                summary.sessions += 1;
                selected_messages += report.messages;
                // A command answered in a session's continuation is the
                // same command as in the part reported before: once (when
                // filtered, that part may not be reported: then here).
                summary.commands += if filter.is_active() {
                    report.commands
                } else {
                    report.commands - report.carried_over
                };
                summary.failures += report.failures;
                if report.has_problems() {
                    summary.sessions_with_problems += 1;
                }
                errors_found |= report
                    .findings
                    .iter()
                    .any(|f| f.severity == Severity::Error);
                if inputs.errors && !report.has_problems() {
                    continue;
                }
                match format {
                    Format::Json => output.listed_item(&mut listed, &report)?,
                    Format::Jsonl => output.document(&report)?,
                    Format::Html => {
                        let ladder = page.wants(&report).then(|| {
                            Ladder::of(&session.log, report.ending == Ending::LostConnection)
                        });
                        page.add(&report, ladder);
                    }
                    _ => write_session(output, &report)?,
                }
            }
            // They come after every session: the text report lists them
            // where its summary begins. A package 0 names no device: under
            // --device none is listed.
            Seen::Unanswered(package) => {
                if filter.names_device()
                    || !filter.selects(Some(&package.session), None)
                    || !filter.time(package.time.as_deref())
                {
                    continue;
                }
                summary.unanswered_notifications += 1;
                match format {
                    Format::Json | Format::Html => unanswered.push(package.clone()),
                    // One session per line on stdout: these go to stderr.
                    Format::Jsonl => {
                        reading.finish();
                        crate::diag::note(&unanswered_text(package));
                    }
                    _ => write_unanswered(output, package)?,
                }
            }
            // A bootstrap sent: shown where the log has it.
            Seen::Bootstrap(found) => {
                if filter.names_device() || !filter.time(found.time.as_deref()) {
                    continue;
                }
                summary.bootstraps += 1;
                match format {
                    Format::Json | Format::Html => bootstraps.push(found.clone()),
                    Format::Jsonl => crate::diag::note(&bootstrap_text(found)),
                    _ => output.line(&bootstrap_text(found), Style::Tone(Tone::Info))?,
                }
            }
            // Past the first ones, counted (a filter cannot look at them).
            Seen::UnansweredMore(more) => {
                if filter.names_device() {
                    continue;
                }
                let more = usize::try_from(more).unwrap_or(usize::MAX);
                summary.unanswered_notifications += more;
                summary.unanswered_not_listed = more;
                let text = format!("… and {more} more packages 0 nobody answered (not listed)");
                match format {
                    Format::Json | Format::Html => {}
                    Format::Jsonl => crate::diag::note(&text),
                    _ => output.line(&text, Style::Tone(Tone::Pending))?,
                }
            }
            other => reading.note(&other),
        }
    }
    reading.finish();
    reading.count_messages(sessions.messages() as u64);
    // Filtered, the run's totals are those of what passed (sessions,
    // commands and failures are).
    summary.messages = if filter.is_active() {
        selected_messages
    } else {
        sessions.messages()
    };
    summary.broken_messages = reading.broken_count();
    summary.notifications = sessions.notifications();
    summary.inputs_without_syncml = reading.nothing_found();
    summary.broken_not_listed =
        summary.broken_messages - reading.broken().len().min(summary.broken_messages);
    match format {
        Format::Json => output.listed_end(
            listed,
            &AfterSessions {
                unanswered_notifications: &unanswered,
                bootstraps: &bootstraps,
                broken: reading
                    .broken()
                    .iter()
                    .map(|b| BrokenOut {
                        file: &b.file,
                        line: b.line,
                        reason: &b.reason,
                    })
                    .collect(),
                summary: &summary,
            },
        )?,
        Format::Jsonl => {}
        Format::Html => {
            let files = in_log_order(&files);
            write_page(
                output,
                &page,
                &files,
                &summary,
                (&unanswered, &bootstraps),
                &reading,
            )?;
        }
        _ => write_summary(output, &summary, reading.broken())?,
    }
    let strict_failure = args.strict && (errors_found || summary.broken_messages > 0);
    finish(reading, strict_failure, &summary)
}

/// `--format html`: the page, with the XML of the messages drawn (read again
/// from the files).
fn write_page(
    output: &mut Output,
    page: &html::Collector,
    files: &[String],
    summary: &Summary,
    (unanswered, bootstraps): (&[NotificationReport], &[crate::bootstrap::FoundBootstrap]),
    reading: &Reading,
) -> Result<()> {
    let texts_note = files
        .iter()
        .any(|file| file == "-")
        .then(|| "stdin is read once: the XML of its messages is not on this page".to_owned());
    let texts = html::fetch_texts(files, &page.wanted_texts());
    html::write_explain_page(
        output.text(),
        page,
        &html::ExplainPage {
            inputs: files,
            summary: summary_line(summary),
            unanswered: unanswered.iter().map(unanswered_text).collect(),
            bootstraps: bootstraps.iter().map(bootstrap_text).collect(),
            broken: reading
                .broken()
                .iter()
                .map(|b| format!("{}:{}: {}", b.file, b.line, b.reason))
                .collect(),
            texts_note,
        },
        &texts,
    )
    .context("cannot write to stdout")
}

fn finish(reading: Reading, strict_failure: bool, summary: &Summary) -> Result<()> {
    reading.into_result()?;
    if strict_failure {
        return Err(FindingsError(format!(
            "--strict: {} of {} sessions had problems, {} broken messages",
            summary.sessions_with_problems, summary.sessions, summary.broken_messages
        ))
        .into());
    }
    Ok(())
}

fn write_session(output: &mut Output, report: &SessionReport) -> Result<()> {
    let when = match (&report.first_time, &report.last_time) {
        (Some(first), Some(last)) if first != last => format!("{first} – {last}"),
        (Some(first), _) => first.to_string(),
        _ => "no timestamps".to_owned(),
    };
    output.line_fmt(
        format_args!(
            "Session {} · device {} · {when} · {} messages, {} commands ({}:{})",
            report.session.as_deref().unwrap_or("(no SessionID)"),
            report.device.as_deref().unwrap_or("(unknown)"),
            report.messages,
            report.commands,
            report.file.as_deref().unwrap_or("?"),
            report.line.unwrap_or(0),
        ),
        Style::Heading,
    )?;
    if let Some(package) = &report.notification {
        output.line_fmt(
            format_args!(
                "  Started by: package 0 at {}: server ID {}, UI mode {}, initiated by the {}",
                place(package),
                package.server_id,
                package.ui_mode,
                package.initiator,
            ),
            Style::Plain,
        )?;
    }
    let info = &report.device_info;
    let mut about = Vec::new();
    if let Some(man) = &info.manufacturer {
        about.push(man.clone());
    }
    if let Some(model) = &info.model {
        about.push(model.clone());
    }
    if let Some(version) = &info.dm_version {
        about.push(format!("DM {version}").into());
    }
    if let Some(language) = &info.language {
        about.push(format!("language {language}").into());
    }
    if !about.is_empty() {
        output.line_fmt(format_args!("  Device: {}", about.join(", ")), Style::Plain)?;
    }
    let problems: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    if problems.is_empty() {
        output.line_fmt(format_args!("  What went wrong: nothing"), Style::Plain)?;
    } else {
        output.line_fmt(format_args!("  What went wrong:"), Style::Plain)?;
        for finding in problems {
            let (mark, style) = match finding.severity {
                Severity::Error => ("✗", Style::Tone(Tone::Bad)),
                _ => ("!", Style::Tone(Tone::Pending)),
            };
            output.line_fmt(
                format_args!("    {mark} {} (line {})", finding.message, finding.line),
                style,
            )?;
            if let Some(hint) = &finding.hint {
                output.line_fmt(format_args!("      hint: {hint}"), Style::Dim)?;
            }
        }
    }
    output.line_fmt(
        format_args!("  Authentication: {}", authentication(report)),
        Style::Plain,
    )?;
    write_exchange(output, report)?;
    if let Some(platform) = &report.platform {
        output.line_fmt(
            format_args!(
                "  Explore: platform {} — {}",
                platform.platform, platform.reason
            ),
            Style::Plain,
        )?;
    }
    for finding in report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
    {
        if finding.kind != FindingKind::Explore {
            output.line_fmt(
                format_args!("  · {} (line {})", finding.message, finding.line),
                Style::Plain,
            )?;
        }
    }
    let ending = match report.ending {
        Ending::Normally => "normally: the server's last message had no new commands",
        Ending::LostConnection => "the connection was lost after the server's last message",
        Ending::ServerSilent => "the server never answered the device's last message",
        Ending::Abandoned => "the device went on in another session",
        Ending::Isolated => "unknown: the log holds no message from the other side",
        Ending::Evicted => &format!(
            "not yet: reported early, as {}",
            crowding(report.crowded.unwrap_or(Crowded::Sessions))
        ),
    };
    output.line_fmt(
        format_args!(
            "  Commands: {} ({} failed, {} unanswered). Ended: {ending}.",
            report.commands, report.failures, report.unanswered
        ),
        Style::Plain,
    )?;
    output.line_fmt(format_args!(""), Style::Plain)
}

/// The most commands the text report lists per session.
const EXCHANGE_LINES: usize = 12;

/// "server Get ./DevInfo/Mod → 200 OK: E71", a line per command.
fn write_exchange(output: &mut Output, report: &SessionReport) -> Result<()> {
    if report.exchange.is_empty() {
        return Ok(());
    }
    output.line_fmt(format_args!("  Asked and answered:"), Style::Plain)?;
    let mut text = String::with_capacity(160);
    for entry in report.exchange.iter().take(EXCHANGE_LINES) {
        text.clear();
        exchange_line(entry, &mut text);
        output.line(&text, Style::Plain)?;
    }
    if report.exchange.len() > EXCHANGE_LINES {
        output.line_fmt(
            format_args!(
                "    … {} more (`dmtool log thread --session …` lists them all)",
                report.exchange.len() - EXCHANGE_LINES
            ),
            Style::Plain,
        )?;
    }
    Ok(())
}

/// "    server Get ./DevInfo/Mod → 200 OK: E71": one command and its answer,
/// built piece by piece (the report's most frequent line).
fn exchange_line(entry: &Exchange, text: &mut String) {
    use fmt::Write as _;
    text.push_str(match entry.direction {
        Direction::DeviceToServer => "    device ",
        Direction::ServerToDevice => "    server ",
    });
    text.push_str(&entry.cmd);
    // A Generic Alert is named by its type, then its source.
    if let (Some(code), Some(kind)) = (entry.alert, &entry.alert_type) {
        let _ = write!(text, " {code} {}", kind.trim());
    }
    match entry.targets.as_slice() {
        [] if entry.alert_type.is_some() => {}
        [] => {
            if let Some(code) = entry.alert {
                let name = crate::codes::alert::get(code).map_or("", |a| a.name);
                // Writing to a string cannot fail.
                let _ = write!(text, " {code} {name}");
            }
        }
        [one] => {
            text.push(' ');
            text.push_str(one);
        }
        [first, rest @ ..] => {
            let _ = write!(text, " {first} (+{})", rest.len());
        }
    }
    text.push_str(" → ");
    match (entry.status, entry.status_name) {
        (Some(code), name) => {
            let _ = write!(text, "{code}");
            if let Some(name) = name {
                text.push(' ');
                text.push_str(name);
            }
        }
        (None, _) => text.push_str("no answer"),
    }
    if let Some(data) = &entry.result {
        text.push_str(": ");
        text.push_str(data);
    }
}

fn authentication(report: &SessionReport) -> String {
    let auth = &report.authentication;
    let mut parts = Vec::new();
    parts.push(if auth.device_messages == 0 {
        "no message from the device in the log".to_owned()
    } else if auth.authenticated_earlier {
        "no credentials in these messages: the session was authenticated before them".to_owned()
    } else if auth.methods.is_empty() {
        "the device sent no credentials".to_owned()
    } else {
        format!("credentials {}", auth.methods.join(", "))
    });
    for challenge in &auth.challenges {
        let mut words = format!(
            "challenged with {} at line {}",
            challenge.status, challenge.line
        );
        if let Some(kind) = &challenge.auth_type {
            words.push_str(&format!(" ({kind}"));
            if let Some(nonce) = &challenge.next_nonce {
                words.push_str(&format!(", NextNonce {nonce}"));
            }
            words.push(')');
        }
        parts.push(words);
    }
    if auth.accepted {
        parts.push("accepted".to_owned());
    } else if !auth.authenticated_earlier && auth.device_messages > 0 {
        parts.push("never accepted".to_owned());
    }
    if !auth.cred_checks.is_empty() {
        let count = |verdict: Verdict| {
            auth.cred_checks
                .iter()
                .filter(|c| c.verdict == verdict)
                .count()
        };
        let said: Vec<String> = [
            (Verdict::Matches, "matches the password given"),
            (Verdict::WrongPassword, "a wrong password"),
            (Verdict::StaleNonce, "an old nonce"),
            (Verdict::NotChecked, "not checked"),
        ]
        .iter()
        .filter(|(verdict, _)| count(*verdict) > 0)
        .map(|(verdict, words)| format!("{} {words}", count(*verdict)))
        .collect();
        parts.push(format!("Creds checked: {}", said.join(", ")));
    }
    parts.join("; ")
}

/// "1 session", "2 sessions".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A package 0 no session answered, and what that may mean.
fn write_unanswered(output: &mut Output, package: &NotificationReport) -> Result<()> {
    output.line(&unanswered_text(package), Style::Tone(Tone::Pending))?;
    output.line(
        "  hint: the device did not get the notification (SMS/WAP push), could not reach the server, or rejected the digest",
        Style::Dim,
    )
}

fn write_summary(output: &mut Output, summary: &Summary, broken: &[Broken]) -> Result<()> {
    for message in broken {
        output.line_fmt(
            format_args!(
                "Broken message at {}:{}: {}",
                message.file, message.line, message.reason
            ),
            Style::Tone(Tone::Pending),
        )?;
    }
    if summary.broken_not_listed > 0 {
        output.line_fmt(
            format_args!(
                "… and {} more broken messages (not listed; `dmtool log thread` names each on stderr)",
                summary.broken_not_listed
            ),
            Style::Tone(Tone::Pending),
        )?;
    }
    output.line(&summary_line(summary), Style::Heading)
}

/// "3 sessions, 1 with problems, 9 messages, …".
fn summary_line(summary: &Summary) -> String {
    format!(
        "{}, {} with problems, {}, {}, {}, {}{}{}",
        count(summary.sessions, "session"),
        summary.sessions_with_problems,
        count(summary.messages, "message"),
        count(summary.commands, "command"),
        count(summary.failures, "failure"),
        count(summary.broken_messages, "broken message"),
        notifications_counted(summary),
        match summary.inputs_without_syncml {
            0 => String::new(),
            inputs => format!(", {} without SyncML", count(inputs, "input")),
        }
    )
}

/// "Bootstrap sent at file:line (time): …": a bootstrap found in the log.
fn bootstrap_text(found: &crate::bootstrap::FoundBootstrap) -> String {
    let when = found
        .time
        .as_deref()
        .map_or(String::new(), |time| format!(" ({time})"));
    let kind = match found.kind {
        "client_provisioning" => "OMA Client Provisioning",
        _ => "DM bootstrap",
    };
    let sec = found.sec.map_or("no SEC".to_owned(), |sec| {
        format!("SEC {}", format!("{sec:?}").to_uppercase())
    });
    let accounts: Vec<String> = found
        .accounts
        .iter()
        .map(|account| {
            format!(
                "account {} (server ID {}, {})",
                account.name.as_deref().unwrap_or("(no name)"),
                account.server_id.as_deref().unwrap_or("none"),
                account.address.as_deref().unwrap_or("no address")
            )
        })
        .collect();
    format!(
        "Bootstrap sent at {}:{}{when}: {kind}, {sec}{}{}",
        found.file,
        found.line,
        if accounts.is_empty() {
            ", no DM account"
        } else {
            ": "
        },
        accounts.join("; ")
    )
}

fn unanswered_text(package: &NotificationReport) -> String {
    format!(
        "Package 0 at {} asked for session {} (server ID {}), but no session in the log answered it",
        place(package),
        package.session,
        package.server_id,
    )
}

/// Where a package 0 was found: `file:line (time)`.
fn place(package: &NotificationReport) -> String {
    match &package.time {
        Some(time) => format!("{}:{} ({time})", package.file, package.line),
        None => format!("{}:{}", package.file, package.line),
    }
}

/// ", 2 packages 0 (1 unanswered)" when the log held any.
fn notifications_counted(summary: &Summary) -> String {
    match summary.notifications {
        0 => String::new(),
        seen => format!(
            ", {seen} package{} 0 ({} unanswered)",
            if seen == 1 { "" } else { "s" },
            summary.unanswered_notifications
        ),
    }
}
