//! The chain of events of a device, one step a line in time order: bootstraps
//! and packages 0 sent, sessions opened, lost or refused, jobs created, their
//! commands sent and answered, the platform found, the jobs' statuses. Knows
//! the lined-up operations and the device's sessions.

use smol_str::SmolStr;

use super::align::Job;
use super::{Agreement, DeviceSession, Event, Operation, RECORD_REACH, Step};
use crate::bootstrap::FoundBootstrap;
use crate::transcript::clock::millis_of;
use crate::transcript::explain::{Ending, FindingKind};
use crate::transcript::mentions::{Deed, Mention};
use crate::transcript::notifications::NotificationReport;

/// "1 operation", "2 operations".
pub(super) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// "2 Get, 1 Exec".
pub(super) fn command_counts<'a>(commands: impl Iterator<Item = &'a str>) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for command in commands {
        match counts.iter_mut().find(|(name, _)| *name == command) {
            Some((_, count)) => *count += 1,
            None => counts.push((command, 1)),
        }
    }
    counts
        .iter()
        .map(|(name, count)| format!("{count} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "7 OK, 2 failed (404 ×2), 1 unanswered".
pub(super) fn answer_counts(statuses: &[Option<u32>]) -> String {
    let ok = statuses
        .iter()
        .filter(|s| s.is_some_and(|c| c < 300))
        .count();
    let mut failed: Vec<u32> = statuses
        .iter()
        .flatten()
        .copied()
        .filter(|&c| c >= 300)
        .collect();
    let none = statuses.iter().filter(|s| s.is_none()).count();
    failed.sort_unstable();
    let mut parts = vec![format!("{ok} OK")];
    if !failed.is_empty() {
        let mut codes: Vec<String> = Vec::new();
        for code in &failed {
            let count = failed.iter().filter(|c| *c == code).count();
            let text = if count > 1 {
                format!("{code} ×{count}")
            } else {
                code.to_string()
            };
            if !codes.contains(&text) {
                codes.push(text);
            }
        }
        parts.push(format!("{} failed ({})", failed.len(), codes.join(", ")));
    }
    if none > 0 {
        parts.push(format!("{none} unanswered"));
    }
    parts.join(", ")
}

/// The steps, in time order (a step without a time after the ones before it).
#[allow(clippy::too_many_arguments)]
pub(super) fn chain_of(
    jobs: &[Job<'_>],
    operations: &[Operation],
    sessions: &[DeviceSession],
    mentions: &[&Mention],
    unanswered: &[&NotificationReport],
    bootstraps: &[&FoundBootstrap],
    platform: &str,
) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let step = |time: Option<&str>, event, detail: String| Step {
        time: time.map(str::to_owned),
        event,
        detail,
    };
    for found in bootstraps {
        steps.push(step(
            found.time.as_deref(),
            Event::BootstrapSent,
            format!("{} at {}:{}", bootstrap_kind(found), found.file, found.line),
        ));
    }
    for mention in mentions {
        let shown = match mention.deed {
            Deed::BootstrapSent => !bootstraps.iter().any(|found| {
                found.file == mention.file && found.line.abs_diff(mention.line) <= RECORD_REACH
            }),
            Deed::Package0Sent => true,
        };
        if shown {
            let event = match mention.deed {
                Deed::BootstrapSent => Event::BootstrapSent,
                Deed::Package0Sent => Event::Package0Sent,
            };
            let answer = match mention.deed {
                Deed::Package0Sent => package_0_answer(mention, sessions, unanswered),
                Deed::BootstrapSent => String::new(),
            };
            steps.push(step(
                mention.time.as_deref(),
                event,
                format!(
                    "\"{}\" ({}:{}){answer}",
                    mention.text, mention.file, mention.line
                ),
            ));
        }
    }
    for session in sessions {
        let report = &session.report;
        if let Some(package) = &report.notification
            && !mentions.iter().any(|m| {
                m.file == package.file.as_str()
                    && package.line - m.line.min(package.line) <= RECORD_REACH
            })
        {
            steps.push(step(
                package.time.as_deref(),
                Event::Package0Sent,
                format!(
                    "package 0 for session {} at {}:{}: answered",
                    package.session, package.file, package.line
                ),
            ));
        }
        steps.push(step(
            report.first_time.as_deref(),
            Event::SessionOpened,
            format!(
                "session {} ({} messages, {}) at {}:{}",
                report.session.as_deref().unwrap_or("(no SessionID)"),
                report.messages,
                report.ending.short(),
                report.file.as_deref().unwrap_or("?"),
                report.line.unwrap_or(0)
            ),
        ));
        if let Some(note) = report.findings.iter().find(|note| {
            matches!(
                note.kind,
                FindingKind::AuthenticationFailed | FindingKind::RepeatedAuthenticationFailure
            )
        }) {
            steps.push(step(
                note.time.as_deref(),
                Event::AuthenticationFailed,
                note.message.clone(),
            ));
        }
        if report.ending == Ending::LostConnection {
            steps.push(step(
                report.last_time.as_deref(),
                Event::SessionLost,
                lost_after(session).map_or_else(
                    || "the device never answered the server's last message".to_owned(),
                    |(cmd, target)| format!("the device never answered the {cmd} of {target}"),
                ),
            ));
        }
    }
    for job in jobs {
        let id = job.id();
        steps.push(step(
            job.rows[0].job_created.as_deref(),
            Event::JobCreated,
            format!("{} ({})", job.label(), count(job.rows.len(), "operation")),
        ));
        let mine: Vec<&Operation> = operations
            .iter()
            .filter(|op| op.job_id.as_deref() == Some(id))
            .collect();
        let mut last_time: Option<String> = job.rows[0].job_created.clone();
        let mut by_session: Vec<(Option<SmolStr>, Vec<&Operation>)> = Vec::new();
        for op in mine.iter().filter(|op| op.agreement != Agreement::NotInLog) {
            match by_session
                .iter_mut()
                .find(|(session, _)| *session == op.session)
            {
                Some((_, ops)) => ops.push(op),
                None => by_session.push((op.session.clone(), vec![op])),
            }
        }
        for (session, ops) in &by_session {
            let time = carried_time(sessions, ops[0]);
            let answered_time = carried_time(sessions, ops[ops.len() - 1]);
            steps.push(step(
                time.as_deref(),
                Event::CommandsSent,
                format!(
                    "{} of {} operations of {} in session {}: {}",
                    ops.len(),
                    job.rows.len(),
                    job.label(),
                    session.as_deref().unwrap_or("(no SessionID)"),
                    command_counts(ops.iter().filter_map(|op| op.command.as_deref()))
                ),
            ));
            let statuses: Vec<Option<u32>> = ops.iter().map(|op| op.log_status).collect();
            steps.push(step(
                answered_time.as_deref(),
                Event::Statuses,
                format!("the device answered: {}", answer_counts(&statuses)),
            ));
            last_time = answered_time.or(last_time);
        }
        let not_sent = mine
            .iter()
            .filter(|op| op.agreement == Agreement::NotInLog)
            .count();
        if job.explore && Some(job) == jobs.iter().rev().find(|j| j.explore) {
            steps.push(step(
                last_time.as_deref(),
                Event::PlatformFound,
                format!("{platform} (the database's answers to the explore job)"),
            ));
        }
        let status = job.rows[0]
            .job_status
            .as_deref()
            .unwrap_or("(none: queued)");
        let sent = if not_sent > 0 {
            format!("; {not_sent} of its operations not in the log")
        } else {
            String::new()
        };
        steps.push(step(
            last_time.as_deref(),
            Event::JobStatus,
            format!("{}: {status} in the database{sent}", job.label()),
        ));
    }
    // Stable: steps without a time keep their place after the one before.
    let mut keyed: Vec<(i64, usize, Step)> = Vec::with_capacity(steps.len());
    let mut previous = i64::MIN;
    for (index, step) in steps.into_iter().enumerate() {
        let at = step.time.as_deref().and_then(millis_of).unwrap_or(previous);
        previous = at;
        keyed.push((at, index, step));
    }
    keyed.sort_by_key(|(at, index, _)| (*at, *index));
    keyed.into_iter().map(|(_, _, step)| step).collect()
}

/// The time of the command that carried an operation.
pub(super) fn carried_time(sessions: &[DeviceSession], op: &Operation) -> Option<String> {
    sessions
        .iter()
        .flat_map(|session| &session.carried)
        .find(|c| Some(&c.file) == op.file.as_ref() && Some(c.line) == op.line)
        .and_then(|c| c.time.as_ref().map(SmolStr::to_string))
}

/// "answered by session 0A01" or "no session answered it".
pub(super) fn package_0_answer(
    mention: &Mention,
    sessions: &[DeviceSession],
    unanswered: &[&NotificationReport],
) -> String {
    let near = |file: &str, line: u64| {
        file == mention.file && line >= mention.line && line - mention.line <= RECORD_REACH
    };
    if unanswered
        .iter()
        .any(|package| near(&package.file, package.line))
    {
        return ": no session answered it".to_owned();
    }
    sessions
        .iter()
        .filter_map(|session| {
            let package = session.report.notification.as_ref()?;
            near(&package.file, package.line).then(|| {
                format!(
                    ": answered by session {}",
                    session.report.session.as_deref().unwrap_or("?")
                )
            })
        })
        .next()
        .unwrap_or_default()
}

pub(super) fn bootstrap_kind(found: &FoundBootstrap) -> &'static str {
    match found.kind {
        "client_provisioning" => "OMA Client Provisioning bootstrap",
        _ => "DM bootstrap",
    }
}

/// The last command of a lost session the device never answered.
pub(super) fn lost_after(session: &DeviceSession) -> Option<(SmolStr, SmolStr)> {
    session
        .carried
        .iter()
        .rev()
        .find(|c| c.status.is_none())
        .map(|c| (c.cmd.clone(), c.target.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_counted_by_outcome() {
        assert_eq!(
            answer_counts(&[Some(200), Some(404), Some(404), None, Some(500)]),
            "1 OK, 3 failed (404 ×2, 500), 1 unanswered"
        );
        assert_eq!(
            command_counts(["Get", "Exec", "Get"].into_iter()),
            "2 Get, 1 Exec"
        );
    }
}
