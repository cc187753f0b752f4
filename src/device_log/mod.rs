//! One phone end to end: what the job database meant to do lined up with
//! what the log shows the phone and the server said. `identity` tells which
//! sessions, packages 0, bootstraps and server records are the device's;
//! `align` matches each job operation to the command that carried it (with an
//! [`Agreement`]); `chain` lists the events; `verdict` says where it broke.
//! Knows job rows and explained sessions; nothing of reading files, of
//! databases or of output.

mod align;
mod chain;
mod identity;
mod verdict;

use serde::Serialize;
use smol_str::SmolStr;

pub(crate) use align::carried_in;
use align::{Carried, Job, jobs_of};
use chain::chain_of;
pub(crate) use identity::Identity;
use verdict::verdict_of;

use crate::bootstrap::FoundBootstrap;
use crate::db::model::JobRow;
use crate::transcript::clock::millis_of;
use crate::transcript::explain::SessionReport;
use crate::transcript::ladder::Ladder;
use crate::transcript::mentions::{Deed, Mention};
use crate::transcript::notifications::NotificationReport;

/// How far the database's clock and the log's may disagree: a session that
/// began this long before a job was created may still carry it.
const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// A package 0 or bootstrap is the one a server record announces when it is
/// on the record's line or this many lines below.
const RECORD_REACH: u64 = 3;

/// A session of the device: its report, the commands it carried, and its
/// ladder (for a page).
pub(crate) struct DeviceSession {
    pub(crate) report: SessionReport,
    pub(crate) carried: Vec<Carried>,
    pub(crate) ladder: Option<Ladder>,
}

/// What the log holds besides the device's sessions.
#[derive(Debug, Default)]
pub(crate) struct LogFacts {
    /// The first and last times of the inputs' sessions and records.
    pub(crate) span: Span,
    pub(crate) unanswered: Vec<NotificationReport>,
    pub(crate) bootstraps: Vec<FoundBootstrap>,
    pub(crate) mentions: Vec<Mention>,
}

/// The time a log covers.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Span {
    pub(crate) first: Option<String>,
    pub(crate) last: Option<String>,
}

impl Span {
    /// Widens the span to hold `time`.
    pub(crate) fn take(&mut self, time: Option<&str>) {
        let Some(time) = time else { return };
        let Some(at) = millis_of(time) else { return };
        if self
            .first
            .as_deref()
            .and_then(millis_of)
            .is_none_or(|first| at < first)
        {
            self.first = Some(time.to_owned());
        }
        if self
            .last
            .as_deref()
            .and_then(millis_of)
            .is_none_or(|last| at > last)
        {
            self.last = Some(time.to_owned());
        }
    }

    fn millis(&self) -> (Option<i64>, Option<i64>) {
        (
            self.first.as_deref().and_then(millis_of),
            self.last.as_deref().and_then(millis_of),
        )
    }
}

/// What the log adds to a device's report.
#[derive(Debug, Serialize)]
pub(crate) struct DeviceLog {
    /// The time the inputs cover.
    pub(crate) span: Span,
    /// The device's sessions, oldest first (as `log explain` reports them).
    pub(crate) sessions: Vec<SessionReport>,
    /// Every job operation, in the database's order, with the log's side.
    pub(crate) operations: Vec<Operation>,
    /// What happened, one step a line, in time order.
    pub(crate) chain: Vec<Step>,
    pub(crate) verdict: Verdict,
    /// The latest bootstrap the log shows sent to the device.
    pub(crate) bootstrap: Option<FoundBootstrap>,
    /// The sessions' ladders, in the order of `sessions` (for a page).
    #[serde(skip)]
    pub(crate) ladders: Vec<Option<Ladder>>,
}

/// How the database and the log agree on an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Agreement {
    /// The same answer on both sides (or none on both).
    Agree,
    /// Different answers.
    Differ,
    /// The log shows an answer the database never recorded.
    LogOnly,
    /// The database shows an answer the log does not.
    DatabaseOnly,
    /// No session in the log carried the operation.
    NotInLog,
}

/// A job operation and the command of the log that carried it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Operation {
    pub(crate) job_id: Option<String>,
    pub(crate) task_id: crate::db::SqlValue,
    pub(crate) command: Option<String>,
    pub(crate) target: Option<String>,
    pub(crate) db_status: Option<u32>,
    pub(crate) log_status: Option<u32>,
    /// The SessionID of the session that carried it.
    pub(crate) session: Option<SmolStr>,
    pub(crate) file: Option<SmolStr>,
    pub(crate) line: Option<u64>,
    pub(crate) agreement: Agreement,
    /// Whether the log covers the job's time at all (for `not_in_log`).
    pub(crate) log_covers_job: bool,
}

/// One step of the chain.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Step {
    pub(crate) time: Option<String>,
    pub(crate) event: Event,
    pub(crate) detail: String,
}

/// What a step of the chain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Event {
    BootstrapSent,
    JobCreated,
    Package0Sent,
    SessionOpened,
    CommandsSent,
    Statuses,
    PlatformFound,
    SessionLost,
    AuthenticationFailed,
    JobStatus,
}

/// Where the chain broke.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Verdict {
    /// `null` when nothing broke; else one of `no_log`, `authentication`,
    /// `package0`, `bootstrap`, `session`, `commands_not_sent`,
    /// `session_lost`, `log_incomplete`, `command_failed`, `records_differ`.
    pub(crate) broke_at: Option<&'static str>,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

/// Lines the device's jobs up with its sessions, builds the chain and says
/// where it broke.
pub(crate) fn join(
    identity: &Identity,
    operations: &[JobRow],
    platform: &str,
    mut sessions: Vec<DeviceSession>,
    facts: &LogFacts,
) -> DeviceLog {
    sessions.sort_by_key(|session| {
        session
            .report
            .first_time
            .as_deref()
            .and_then(millis_of)
            .unwrap_or(i64::MIN)
    });
    for (index, session) in sessions.iter_mut().enumerate() {
        for carried in &mut session.carried {
            carried.session = index;
        }
    }
    let jobs = jobs_of(operations);
    let (first, last) = facts.span.millis();
    let covers = |job: &Job<'_>| match (job.created, first, last) {
        (Some(created), Some(_), Some(last)) => created <= last,
        _ => true,
    };
    let mut carried: Vec<Carried> = align::answers_carried_over(
        sessions
            .iter()
            .flat_map(|session| session.carried.iter().cloned())
            .collect(),
    );
    let lined_up = align::line_up_all(&jobs, &mut carried, &sessions, covers);
    let mentions: Vec<&Mention> = facts
        .mentions
        .iter()
        .filter(|mention| identity.named_in(&mention.text))
        .collect();
    let unanswered: Vec<&NotificationReport> = facts
        .unanswered
        .iter()
        .filter(|package| announced(&mentions, &package.file, package.line, Deed::Package0Sent))
        .collect();
    let bootstraps: Vec<&FoundBootstrap> = facts
        .bootstraps
        .iter()
        .filter(|found| {
            announced(&mentions, &found.file, found.line, Deed::BootstrapSent)
                || found.accounts.iter().any(|account| {
                    account.auth.iter().any(|auth| {
                        auth.name
                            .as_deref()
                            .is_some_and(|name| identity.named_in(name))
                    })
                })
        })
        .collect();
    let chain = chain_of(
        &jobs,
        &lined_up,
        &sessions,
        &mentions,
        &unanswered,
        &bootstraps,
        platform,
    );
    let verdict = verdict_of(
        &jobs,
        &lined_up,
        &sessions,
        &unanswered,
        &mentions,
        &bootstraps,
        facts,
    );
    let ladders = sessions
        .iter_mut()
        .map(|session| session.ladder.take())
        .collect();
    DeviceLog {
        span: facts.span.clone(),
        ladders,
        sessions: sessions.into_iter().map(|session| session.report).collect(),
        operations: lined_up,
        chain,
        verdict,
        bootstrap: bootstraps.last().map(|found| (*found).clone()),
    }
}

/// A package 0 or bootstrap at `file:line` is announced by a server record
/// naming the device on that line or just above.
fn announced(mentions: &[&Mention], file: &str, line: u64, deed: Deed) -> bool {
    mentions.iter().any(|mention| {
        mention.deed == deed
            && mention.file == file
            && mention.line <= line
            && line - mention.line <= RECORD_REACH
    })
}
