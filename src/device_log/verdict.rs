//! Where the chain of a device broke, for the newest job the log covers: in
//! plain words, with the hint an administrator acts on. Knows the lined-up
//! operations, the device's sessions and what else the log holds.

use super::align::Job;
use super::chain::lost_after;
use super::{Agreement, CLOCK_SKEW_MS, DeviceSession, LogFacts, Operation, Verdict};
use crate::bootstrap::FoundBootstrap;
use crate::codes::status;
use crate::explore;
use crate::transcript::clock::millis_of;
use crate::transcript::explain::{Ending, FindingKind};
use crate::transcript::mentions::{Deed, Mention};
use crate::transcript::notifications::NotificationReport;

/// Where the chain broke, for the newest job whose time the log covers.
#[allow(clippy::too_many_arguments)]
pub(super) fn verdict_of(
    jobs: &[Job<'_>],
    operations: &[Operation],
    sessions: &[DeviceSession],
    unanswered: &[&NotificationReport],
    mentions: &[&Mention],
    bootstraps: &[&FoundBootstrap],
    facts: &LogFacts,
) -> Verdict {
    let verdict = |broke_at, message: String, hint: Option<&str>| Verdict {
        broke_at,
        message,
        hint: hint.map(str::to_owned),
    };
    let (_, last) = facts.span.millis();
    let span_text = match (&facts.span.first, &facts.span.last) {
        (Some(first), Some(last)) => format!("{first} – {last}"),
        _ => "no timestamps".to_owned(),
    };
    let covered = |job: &&Job<'_>| match (job.created, last) {
        (Some(created), Some(last)) => created <= last,
        _ => true,
    };
    let Some(job) = jobs.iter().rev().find(covered) else {
        return match jobs.last() {
            Some(newest) => verdict(
                Some("no_log"),
                format!(
                    "the log ({span_text}) ends before the device's first job ({}, created {})",
                    newest.label(),
                    jobs[0].rows[0].job_created.as_deref().unwrap_or("?")
                ),
                Some("give the log of the jobs' time (rotated files too: server.log.1 …)"),
            ),
            None if sessions.is_empty() => verdict(
                Some("no_log"),
                "the device has no job and the log no session of it".to_owned(),
                None,
            ),
            None => verdict(
                None,
                format!(
                    "the device has no job; the log has {} of its sessions",
                    sessions.len()
                ),
                None,
            ),
        };
    };
    let label = job.label();
    let id = job.id();
    let mine: Vec<&Operation> = operations
        .iter()
        .filter(|op| op.job_id.as_deref() == Some(id))
        .collect();
    let carried: Vec<&Operation> = mine
        .iter()
        .copied()
        .filter(|op| op.agreement != Agreement::NotInLog)
        .collect();
    let since = job.created.map(|created| created - CLOCK_SKEW_MS);
    let after_job = |time: Option<&str>| match (since, time.and_then(millis_of)) {
        (Some(since), Some(at)) => at >= since,
        _ => true,
    };
    if carried.is_empty() {
        // Nothing of the job reached the device: why?
        let later: Vec<&DeviceSession> = sessions
            .iter()
            .filter(|session| after_job(session.report.last_time.as_deref()))
            .collect();
        if let Some(session) = later.iter().find(|session| {
            session.report.findings.iter().any(|note| {
                matches!(
                    note.kind,
                    FindingKind::AuthenticationFailed | FindingKind::RepeatedAuthenticationFailure
                )
            })
        }) {
            let challenges = session
                .report
                .findings
                .iter()
                .find(|note| {
                    matches!(
                        note.kind,
                        FindingKind::AuthenticationFailed
                            | FindingKind::RepeatedAuthenticationFailure
                    )
                })
                .map(|note| note.message.clone())
                .unwrap_or_default();
            return verdict(
                Some("authentication"),
                format!(
                    "{label}: session {} never got past authentication ({challenges}), so the device never received the job's commands{}",
                    session.report.session.as_deref().unwrap_or("?"),
                    failed_in_db(job)
                ),
                Some(
                    "a 401 loop: the device's password or nonce is not the server's. Check it with `dmtool log explain --client-password-file`, or bootstrap the phone again",
                ),
            );
        }
        if let Some(package) = unanswered
            .iter()
            .rev()
            .find(|p| after_job(p.time.as_deref()))
        {
            return verdict(
                Some("package0"),
                format!(
                    "{label}: the package 0 sent at {} ({}:{}) was answered by no session{}",
                    package.time.as_deref().unwrap_or("?"),
                    package.file,
                    package.line,
                    failed_in_db(job)
                ),
                Some(
                    "the phone did not get the SMS (number, SMS centre, operator filter) or could not connect (APN, server address in its DM account)",
                ),
            );
        }
        if later.is_empty()
            && let Some(found) = bootstraps.last()
        {
            return verdict(
                Some("bootstrap"),
                format!(
                    "{label}: a bootstrap was sent at {} ({}:{}) and the device opened no session after it",
                    found.time.as_deref().unwrap_or("?"),
                    found.file,
                    found.line
                ),
                Some(
                    "the phone refused or never got the bootstrap: check its MAC and SEC type with `dmtool bootstrap` and the PIN the user typed",
                ),
            );
        }
        if later.is_empty() {
            let sent = mentions
                .iter()
                .rev()
                .find(|m| m.deed == Deed::Package0Sent && after_job(m.time.as_deref()));
            let message = match sent {
                Some(mention) => format!(
                    "{label}: the server sent a package 0 ({}:{}) but the log has no session of the device after it",
                    mention.file, mention.line
                ),
                None => format!(
                    "{label}: the log ({span_text}) has no session of the device after the job was created ({}){}",
                    job.rows[0].job_created.as_deref().unwrap_or("?"),
                    failed_in_db(job)
                ),
            };
            return verdict(
                Some("session"),
                message,
                Some(
                    "the device never connected: was a package 0 sent (DME sends one when the job is created)? Is the phone on, with data?",
                ),
            );
        }
        return verdict(
            Some("commands_not_sent"),
            format!(
                "{label}: {} session(s) of the device after the job was created, none carried its commands{}",
                later.len(),
                failed_in_db(job)
            ),
            Some(
                "the server did not send the job in those sessions: is the job still queued, or was it created for another device?",
            ),
        );
    }
    // The job reached the device: how did it go?
    for session in sessions {
        if session.report.ending == Ending::LostConnection
            && carried
                .iter()
                .any(|op| op.session == session.report.session)
        {
            let (cmd, target) = lost_after(session).unwrap_or_default();
            let exec = cmd == "Exec";
            return verdict(
                Some("session_lost"),
                format!(
                    "{label}: session {} was lost after the {cmd} of {target} ({}): the device never answered",
                    session.report.session.as_deref().unwrap_or("?"),
                    session.report.last_time.as_deref().unwrap_or("?")
                ),
                Some(if exec {
                    "the install may have gone on on the phone: its result comes in a later session (a Generic Alert), or DME runs the job again in the device's next session"
                } else {
                    "the device dropped the session (network, battery, or a message it could not parse); DME runs the job again in the device's next session"
                }),
            );
        }
    }
    let db_only = mine
        .iter()
        .filter(|op| op.agreement == Agreement::DatabaseOnly)
        .count();
    if db_only > 0 {
        return verdict(
            Some("log_incomplete"),
            format!(
                "{label}: the database shows answers to {db_only} operation(s) the log has no answer to"
            ),
            Some(
                "the log misses the device's message: another server node may have served it, or the log was cut or its level changed; read that node's log too",
            ),
        );
    }
    if let Some(op) = mine.iter().find(|op| {
        op.log_status
            .or(op.db_status)
            .is_some_and(|code| code >= 300)
            && !expected_probe(job, op)
    }) {
        let code = op.log_status.or(op.db_status).unwrap_or(0);
        return verdict(
            Some("command_failed"),
            format!(
                "{label}: the device answered {code} ({}) to {} {}",
                status::name_of(code).unwrap_or("?"),
                op.command.as_deref().unwrap_or("?"),
                op.target.as_deref().unwrap_or("?")
            ),
            status::hint_for(code, op.command.as_deref(), job.explore),
        );
    }
    let differ = mine
        .iter()
        .filter(|op| matches!(op.agreement, Agreement::Differ | Agreement::LogOnly))
        .count();
    if differ > 0 {
        return verdict(
            Some("records_differ"),
            format!("{label}: the database and the log disagree on {differ} operation(s)"),
            Some(
                "the database records another answer than the device gave: look at the operations marked differ or log_only",
            ),
        );
    }
    let not_sent = mine.len() - carried.len();
    if not_sent > 0 {
        return verdict(
            Some("commands_not_sent"),
            format!(
                "{label}: {not_sent} of its {} operations are in no session of the log",
                mine.len()
            ),
            Some(
                "the server has not sent them yet (they run in the device's next session), or a session of another node carried them",
            ),
        );
    }
    verdict(
        None,
        format!(
            "{label}: every operation reached the device and the log agrees with the database ({})",
            job.rows[0].job_status.as_deref().unwrap_or("no job status")
        ),
        None,
    )
}

/// "; the database marks the job Failed" when it does.
pub(super) fn failed_in_db(job: &Job<'_>) -> String {
    match job.rows[0].job_status.as_deref() {
        Some(status) if status.eq_ignore_ascii_case("failed") => {
            "; the database marks the job Failed".to_owned()
        }
        _ => String::new(),
    }
}

/// An explore probe's 404 is the expected answer on other platforms.
pub(super) fn expected_probe(job: &Job<'_>, op: &Operation) -> bool {
    job.explore
        && op.target.as_deref().and_then(explore::probe_of).is_some()
        && explore::verdict(op.log_status.or(op.db_status)) == explore::ABSENT
}
