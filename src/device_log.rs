//! One phone end to end: what the job database meant to do lined up with
//! what the log shows the phone and the server said. Owns which sessions,
//! packages 0, bootstraps and server records are a device's ([`Identity`]),
//! each job operation matched to the command that carried it (with an
//! [`Agreement`]), the chain of events and the verdict on where it broke.
//! Knows job rows and explained sessions; nothing of reading files, of
//! databases or of output.

use serde::Serialize;
use smol_str::SmolStr;

use crate::bootstrap::FoundBootstrap;
use crate::codes::status;
use crate::db::model::{DeviceRow, JobRow};
use crate::explore;
use crate::transcript::clock::millis_of;
use crate::transcript::explain::{Ending, FindingKind, SessionReport};
use crate::transcript::ladder::Ladder;
use crate::transcript::mentions::{Deed, Mention};
use crate::transcript::notifications::NotificationReport;
use crate::transcript::thread::{Direction, SessionLog};

/// How far the database's clock and the log's may disagree: a session that
/// began this long before a job was created may still carry it.
const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// A package 0 or bootstrap is the one a server record announces when it is
/// on the record's line or this many lines below.
const RECORD_REACH: u64 = 3;

/// How a device is named in a log: the LocURIs its `dm_devices` row holds
/// (an IMEI column, or any value shaped like one) and its phone number (a
/// device's `LocName`, and the server's records).
#[derive(Debug, Clone, Default)]
pub(crate) struct Identity {
    /// Lower case, trimmed.
    loc_uris: Vec<String>,
    /// The first, as the database writes it.
    shown: Option<String>,
    phone: Option<String>,
}

impl Identity {
    /// The names of a `dm_devices` row: every column whose value looks like a
    /// device LocURI (`IMEI:…`, `MEID:…`, `ESN:…`, `urn:uuid:…`, or 14 to 17
    /// digits: an IMEI written bare), and `phone_number`.
    pub(crate) fn of(device: &DeviceRow) -> Self {
        let mut loc_uris = Vec::new();
        let mut shown = None;
        for (column, value) in &device.0 {
            let Some(text) = value.as_str() else { continue };
            if column == "phone_number" {
                continue;
            }
            if let Some(uri) = loc_uri_of(text) {
                loc_uris.push(uri);
                shown.get_or_insert_with(|| text.trim().to_owned());
            }
        }
        let phone = device
            .get("phone_number")
            .and_then(|value| match value {
                serde_json::Value::String(text) => Some(text.trim().to_owned()),
                serde_json::Value::Number(number) => Some(number.to_string()),
                _ => None,
            })
            .filter(|phone| !phone.is_empty());
        Self {
            loc_uris,
            shown,
            phone,
        }
    }

    /// The text a server record about the device holds: its phone number
    /// (DME names the phone it sends a bootstrap or a package 0 to); without
    /// one, the digits of its LocURIs.
    pub(crate) fn names(&self) -> Vec<String> {
        if let Some(phone) = &self.phone {
            return vec![phone.clone()];
        }
        let mut names: Vec<String> = Vec::new();
        for uri in &self.loc_uris {
            let digits = uri.rsplit(':').next().unwrap_or(uri);
            if digits.len() >= 8 && !names.iter().any(|name| name == digits) {
                names.push(digits.to_owned());
            }
        }
        names
    }

    /// The LocURI to give `dmtool log explain --device`, if the row has one.
    pub(crate) fn loc_uri(&self) -> Option<&str> {
        self.shown.as_deref()
    }

    /// Whether a session is this device's: its LocURI is one of the row's
    /// (an IMEI with or without its check digit), or a message of the device
    /// names the phone number as its `LocName`.
    pub(crate) fn owns(&self, log: &SessionLog) -> bool {
        if let Some(device) = &log.device
            && let Some(uri) = loc_uri_of(device)
            && self.loc_uris.iter().any(|own| same_device(own, &uri))
        {
            return true;
        }
        let Some(phone) = &self.phone else {
            return false;
        };
        log.messages.iter().any(|message| {
            message.direction == Direction::DeviceToServer
                && message
                    .source_name
                    .as_deref()
                    .is_some_and(|name| same_phone(name, phone))
        })
    }

    /// Whether a server record names the device.
    fn named_in(&self, text: &str) -> bool {
        self.names().iter().any(|name| text.contains(name.as_str()))
    }
}

/// A value as a device LocURI, lower case, when it is shaped like one.
fn loc_uri_of(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    const SCHEMES: [&str; 5] = ["imei:", "meid:", "esn:", "urn:uuid:", "imsi:"];
    if SCHEMES.iter().any(|scheme| lower.starts_with(scheme)) && lower.len() > 8 {
        return Some(lower);
    }
    if (14..=17).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("imei:{text}"));
    }
    None
}

/// Two phone numbers are one: the same digits, or one ends with the other's
/// (at least 7 digits) — a country code written or not (`+4530116718`,
/// `004530116718`, `30116718`).
fn same_phone(a: &str, b: &str) -> bool {
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let (a, b) = (digits(a), digits(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (long, short) = if a.len() >= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    long == short || (short.len() >= 7 && long.ends_with(short.as_str()))
}

/// Two LocURIs name one device: equal, or IMEIs whose first 14 digits (the
/// number without its check digit or software version) are.
fn same_device(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (a.strip_prefix("imei:"), b.strip_prefix("imei:")) {
        (Some(a), Some(b)) if a.len() >= 14 && b.len() >= 14 => a[..14] == b[..14],
        _ => false,
    }
}

/// A command the server sent in one of the device's sessions, one per
/// target, with the device's answer.
#[derive(Debug, Clone)]
pub(crate) struct Carried {
    session: usize,
    cmd: SmolStr,
    target: SmolStr,
    status: Option<u32>,
    file: SmolStr,
    line: u64,
    time: Option<SmolStr>,
    used: bool,
}

/// The commands the server sent in a session that a job operation could be.
pub(crate) fn carried_in(log: &SessionLog, session: usize) -> Vec<Carried> {
    const JOB_COMMANDS: [&str; 6] = ["Get", "Add", "Replace", "Delete", "Exec", "Copy"];
    let mut carried = Vec::new();
    for row in &log.rows {
        if row.direction != Direction::ServerToDevice || !JOB_COMMANDS.contains(&row.cmd.as_str()) {
            continue;
        }
        for (index, target) in row.targets.iter().enumerate() {
            carried.push(Carried {
                session,
                cmd: row.cmd.clone(),
                target: target.clone(),
                status: row.statuses.get(index).copied().or(row.status),
                file: row.file.clone(),
                line: row.line,
                time: row.time.clone(),
                used: false,
            });
        }
    }
    carried
}

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

/// The operations of one job, in the database's order.
struct Job<'r> {
    rows: Vec<&'r JobRow>,
    created: Option<i64>,
    explore: bool,
}

impl Job<'_> {
    fn id(&self) -> &str {
        self.rows[0].job_id.as_deref().unwrap_or("?")
    }

    fn label(&self) -> String {
        let kind = if self.explore { "explore job" } else { "job" };
        format!("{kind} {}", self.id())
    }
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
    let mut carried: Vec<Carried> = sessions
        .iter()
        .flat_map(|session| session.carried.iter().cloned())
        .collect();
    // First each job within its time (from its creation to the next job's),
    // then what is left at any time (the log's clock may run in another
    // zone than the database's): a command repeated by later jobs goes to
    // the job of its time.
    let mut lined_up: Vec<Operation> = Vec::with_capacity(operations.len());
    for (index, job) in jobs.iter().enumerate() {
        let until = jobs.get(index + 1).and_then(|next| next.created);
        for row in &job.rows {
            lined_up.push(line_up(
                row,
                job,
                covers(job),
                (&mut carried, &sessions),
                Some(until),
            ));
        }
    }
    let mut at = 0;
    for job in &jobs {
        for row in &job.rows {
            if lined_up[at].agreement == Agreement::NotInLog {
                lined_up[at] = line_up(row, job, covers(job), (&mut carried, &sessions), None);
            }
            at += 1;
        }
    }
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

/// The job rows grouped by job (the query sorts by created, jobID).
fn jobs_of(operations: &[JobRow]) -> Vec<Job<'_>> {
    crate::device_report::jobs_of(operations)
        .into_iter()
        .map(|job| Job {
            created: job.rows[0].job_created.as_deref().and_then(millis_of),
            rows: job.rows,
            explore: job.explore,
        })
        .collect()
}

/// A target as compared: without `./` in front or `/` behind.
fn plain_target(target: &str) -> &str {
    let target = target.trim();
    target
        .strip_prefix("./")
        .unwrap_or(target)
        .trim_end_matches('/')
}

/// The operation matched to the first command not yet taken of the same kind
/// and target: with `window` (`Some(next job's creation)`), sent between the
/// job's creation and the next job's (less the skew); without, at any time.
fn line_up(
    row: &JobRow,
    job: &Job<'_>,
    covered: bool,
    (carried, sessions): (&mut [Carried], &[DeviceSession]),
    window: Option<Option<i64>>,
) -> Operation {
    let db_status = row.status_code();
    let command = row.operation_command.as_deref().unwrap_or("");
    let target = row.target.as_deref().map(plain_target).unwrap_or("");
    let earliest = job.created.map(|created| created - CLOCK_SKEW_MS);
    let same = |c: &Carried| {
        !c.used && c.cmd.eq_ignore_ascii_case(command) && plain_target(&c.target) == target
    };
    let in_time = |c: &Carried| {
        let Some(until) = window else { return true };
        let Some(at) = c.time.as_deref().and_then(millis_of) else {
            return true;
        };
        earliest.is_none_or(|earliest| at >= earliest)
            && until.is_none_or(|until| at < until - CLOCK_SKEW_MS)
    };
    let found = carried
        .iter()
        .position(|c| same(c) && in_time(c))
        .map(|at| &mut carried[at]);
    let mut operation = Operation {
        job_id: row.job_id.clone(),
        task_id: row.task_id.clone(),
        command: row.operation_command.clone(),
        target: row.target.clone(),
        db_status,
        log_status: None,
        session: None,
        file: None,
        line: None,
        agreement: Agreement::NotInLog,
        log_covers_job: covered,
    };
    if let Some(found) = found {
        found.used = true;
        operation.log_status = found.status;
        operation.session = sessions[found.session].report.session.clone();
        operation.file = Some(found.file.clone());
        operation.line = Some(found.line);
        operation.agreement = match (db_status, found.status) {
            (Some(db), Some(log)) if db == log => Agreement::Agree,
            (Some(_), Some(_)) => Agreement::Differ,
            (None, Some(_)) => Agreement::LogOnly,
            (Some(_), None) => Agreement::DatabaseOnly,
            (None, None) => Agreement::Agree,
        };
    }
    operation
}

/// "1 operation", "2 operations".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// "2 Get, 1 Exec".
fn command_counts<'a>(commands: impl Iterator<Item = &'a str>) -> String {
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
fn answer_counts(statuses: &[Option<u32>]) -> String {
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
fn chain_of(
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

impl PartialEq for Job<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.rows[0].job_id == other.rows[0].job_id
    }
}

/// The time of the command that carried an operation.
fn carried_time(sessions: &[DeviceSession], op: &Operation) -> Option<String> {
    sessions
        .iter()
        .flat_map(|session| &session.carried)
        .find(|c| Some(&c.file) == op.file.as_ref() && Some(c.line) == op.line)
        .and_then(|c| c.time.as_ref().map(SmolStr::to_string))
}

/// "answered by session 0A01" or "no session answered it".
fn package_0_answer(
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

fn bootstrap_kind(found: &FoundBootstrap) -> &'static str {
    match found.kind {
        "client_provisioning" => "OMA Client Provisioning bootstrap",
        _ => "DM bootstrap",
    }
}

/// The last command of a lost session the device never answered.
fn lost_after(session: &DeviceSession) -> Option<(SmolStr, SmolStr)> {
    session
        .carried
        .iter()
        .rev()
        .find(|c| c.status.is_none())
        .map(|c| (c.cmd.clone(), c.target.clone()))
}

/// Where the chain broke, for the newest job whose time the log covers.
#[allow(clippy::too_many_arguments)]
fn verdict_of(
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
fn failed_in_db(job: &Job<'_>) -> String {
    match job.rows[0].job_status.as_deref() {
        Some(status) if status.eq_ignore_ascii_case("failed") => {
            "; the database marks the job Failed".to_owned()
        }
        _ => String::new(),
    }
}

/// An explore probe's 404 is the expected answer on other platforms.
fn expected_probe(job: &Job<'_>, op: &Operation) -> bool {
    job.explore
        && op.target.as_deref().and_then(explore::probe_of).is_some()
        && explore::verdict(op.log_status.or(op.db_status)) == explore::ABSENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_named_by_its_imei_with_or_without_the_check_digit() {
        assert_eq!(
            loc_uri_of("IMEI:356938035643809").as_deref(),
            Some("imei:356938035643809")
        );
        assert_eq!(
            loc_uri_of("356938035643809").as_deref(),
            Some("imei:356938035643809")
        );
        assert_eq!(loc_uri_of("Nokia E71"), None);
        assert!(same_device("imei:356938035643809", "imei:35693803564380"));
        assert!(!same_device("imei:356938035643809", "imei:356938035111111"));
    }

    #[test]
    fn a_phone_number_is_the_same_with_or_without_its_country_code() {
        assert!(same_phone("+4530116718", "30116718"));
        assert!(same_phone("0045 30 11 67 18", "+4530116718"));
        assert!(!same_phone("30116719", "30116718"));
        assert!(!same_phone("718", "30116718"));
    }

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
