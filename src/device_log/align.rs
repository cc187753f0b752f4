//! Each job operation matched to the command of the device's sessions that
//! carried it: same command and target, within the job's time first, then at
//! any time; and how the database and the log agree on its answer. Knows job
//! rows and the commands sessions carried.

use smol_str::SmolStr;

use super::{Agreement, CLOCK_SKEW_MS, DeviceSession, Operation};
use crate::db::model::JobRow;
use crate::transcript::clock::millis_of;
use crate::transcript::thread::{Direction, SessionLog};

/// A command the server sent in one of the device's sessions, one per
/// target, with the device's answer.
#[derive(Debug, Clone)]
pub(crate) struct Carried {
    pub(super) session: usize,
    pub(super) cmd: SmolStr,
    pub(super) target: SmolStr,
    pub(super) status: Option<u32>,
    pub(super) file: SmolStr,
    pub(super) line: u64,
    pub(super) time: Option<SmolStr>,
    pub(super) used: bool,
    /// Answered in the continuation of the session part that sent it (see
    /// [`answers_carried_over`]).
    pub(super) carried_over: bool,
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
                carried_over: row.carried_over,
            });
        }
    }
    carried
}

/// The commands, each once: a command of a session part handed out early
/// (unanswered there) that its continuation carried over with its answer
/// takes the answer where it was sent, and the copy goes.
pub(super) fn answers_carried_over(carried: Vec<Carried>) -> Vec<Carried> {
    let mut kept: Vec<Carried> = Vec::with_capacity(carried.len());
    for command in carried {
        if command.carried_over
            && let Some(sent) = kept.iter_mut().rev().find(|sent| {
                !sent.carried_over
                    && sent.status.is_none()
                    && (&sent.file, sent.line, &sent.cmd, &sent.target)
                        == (&command.file, command.line, &command.cmd, &command.target)
            })
        {
            sent.status = command.status;
            continue;
        }
        kept.push(command);
    }
    kept
}

/// The operations of one job, in the database's order.
pub(super) struct Job<'r> {
    pub(super) rows: Vec<&'r JobRow>,
    pub(super) created: Option<i64>,
    pub(super) explore: bool,
}

impl Job<'_> {
    pub(super) fn id(&self) -> &str {
        self.rows[0].job_id.as_deref().unwrap_or("?")
    }

    pub(super) fn label(&self) -> String {
        let kind = if self.explore { "explore job" } else { "job" };
        format!("{kind} {}", self.id())
    }
}

impl PartialEq for Job<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.rows[0].job_id == other.rows[0].job_id
    }
}

/// The job rows grouped by job (the query sorts by created, jobID).
pub(super) fn jobs_of(operations: &[JobRow]) -> Vec<Job<'_>> {
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
pub(super) fn plain_target(target: &str) -> &str {
    let target = target.trim();
    target
        .strip_prefix("./")
        .unwrap_or(target)
        .trim_end_matches('/')
}

/// The operation matched to the first command not yet taken of the same kind
/// and target: with `window` (`Some(next job's creation)`), sent between the
/// job's creation and the next job's (less the skew); without, at any time.
pub(super) fn line_up(
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

/// Every operation of `jobs` lined up: first each job within its time (from
/// its creation to the next job's), then what is left at any time (the log's
/// clock may run in another zone than the database's): a command repeated by
/// later jobs goes to the job of its time.
pub(super) fn line_up_all(
    jobs: &[Job<'_>],
    carried: &mut [Carried],
    sessions: &[DeviceSession],
    covers: impl Fn(&Job<'_>) -> bool,
) -> Vec<Operation> {
    let mut lined_up: Vec<Operation> = Vec::new();
    for (index, job) in jobs.iter().enumerate() {
        let until = jobs.get(index + 1).and_then(|next| next.created);
        for row in &job.rows {
            lined_up.push(line_up(
                row,
                job,
                covers(job),
                (&mut *carried, sessions),
                Some(until),
            ));
        }
    }
    let mut at = 0;
    for job in jobs {
        for row in &job.rows {
            if lined_up[at].agreement == Agreement::NotInLog {
                lined_up[at] = line_up(row, job, covers(job), (&mut *carried, sessions), None);
            }
            at += 1;
        }
    }
    lined_up
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(line: u64, status: Option<u32>, carried_over: bool) -> Carried {
        Carried {
            session: 0,
            cmd: "Get".into(),
            target: "./DevInfo/Mod".into(),
            status,
            file: "server.log".into(),
            line,
            time: None,
            used: false,
            carried_over,
        }
    }

    #[test]
    fn an_answer_carried_over_goes_to_the_command_where_it_was_sent() {
        let carried = vec![
            command(10, None, false),
            command(20, None, false),
            command(10, Some(404), true),
        ];
        let once = answers_carried_over(carried);
        let seen: Vec<(u64, Option<u32>)> = once.iter().map(|c| (c.line, c.status)).collect();
        assert_eq!(seen, [(10, Some(404)), (20, None)]);
        // Without the part it was sent in (filtered out), the copy stays.
        let alone = answers_carried_over(vec![command(10, Some(500), true)]);
        assert_eq!(alone.len(), 1);
        assert_eq!(alone[0].status, Some(500));
    }
}
