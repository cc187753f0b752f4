//! The device report: what the job database says about one phone. Reads the
//! phone's devices and every operation of their jobs (the guide's query), then
//! summarises per device: jobs newest first with counts by outcome, the
//! platform the latest explore job found with its evidence, and the
//! operations that failed or got no answer. Knows nothing of formats or
//! terminals (`cmd::device` writes it).

use anyhow::Result;
use serde::Serialize;

use crate::codes::{Outcome, status};
use crate::db::filter::devices_query;
use crate::db::model::{DeviceRow, JobRow};
use crate::db::{JobFilter, Store};
use crate::error::hinted;
use crate::explore::{self, Evidence};

/// The whole report: what was asked and one entry per device.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub(crate) phone: Option<String>,
    pub(crate) device_pk: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) imei: Option<String>,
    pub(crate) devices: Vec<DeviceReport>,
}

/// Everything about one device.
#[derive(Debug, Serialize)]
pub(crate) struct DeviceReport {
    /// The `dm_devices` row, with whatever columns the table has.
    pub(crate) device: DeviceRow,
    pub(crate) platform: Platform,
    /// Newest first.
    pub(crate) jobs: Vec<JobSummary>,
    pub(crate) problems: Vec<Problem>,
    /// Every operation of its jobs, as the query gave them (for `--log`).
    #[serde(skip)]
    pub(crate) operations: Vec<JobRow>,
    /// What the log shows of the device (`--log`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) log: Option<crate::device_log::DeviceLog>,
}

/// The platform the latest explore job found.
#[derive(Debug, Serialize)]
pub(crate) struct Platform {
    /// `S60`, `Windows Mobile`, `Java` or `unknown`.
    pub(crate) name: &'static str,
    pub(crate) reason: String,
    pub(crate) job_id: Option<String>,
    pub(crate) job_created: Option<String>,
    pub(crate) evidence: Vec<Evidence>,
}

/// One job and how its operations ended.
#[derive(Debug, Serialize)]
pub(crate) struct JobSummary {
    pub(crate) job_created: Option<String>,
    pub(crate) job_id: Option<String>,
    pub(crate) job_status: Option<String>,
    /// `explore` or `other`.
    pub(crate) kind: &'static str,
    pub(crate) operations: usize,
    /// Answered 2xx.
    pub(crate) ok: usize,
    /// Answered 300 or more.
    pub(crate) failed: usize,
    /// Answered 1xx (in progress).
    pub(crate) in_progress: usize,
    /// No status yet.
    pub(crate) unanswered: usize,
}

/// An operation that failed or got no (final) answer.
#[derive(Debug, Serialize)]
pub(crate) struct Problem {
    pub(crate) job_created: Option<String>,
    pub(crate) job_id: Option<String>,
    pub(crate) task_id: crate::db::SqlValue,
    pub(crate) command: Option<String>,
    pub(crate) target: Option<String>,
    pub(crate) status: Option<u32>,
    pub(crate) status_name: Option<&'static str>,
    pub(crate) hint: Option<&'static str>,
}

const UNANSWERED_HINT: &str = "The device never answered: the session ended first (a lost \
     connection?) or the job has not run yet; it runs again in the device's next session.";

/// Reads the devices and their operations and builds the report.
pub(crate) fn build(
    store: &mut Store,
    phone: Option<String>,
    device_pk: Option<i64>,
    imei: Option<String>,
) -> Result<Report> {
    let phones: Vec<String> = phone.iter().cloned().collect();
    let pks: Vec<i64> = device_pk.into_iter().collect();
    let imeis: Vec<String> = imei.iter().cloned().collect();
    let (columns, rows) = store
        .collect(&devices_query(&phones, &pks, &imeis))
        .map_err(|error| match &imei {
            Some(_) if format!("{error:#}").to_ascii_lowercase().contains("imei") => hinted(
                format!("{error:#}"),
                "this database's dm_devices has no imei column: select by phone number or --device-pk",
            ),
            _ => error,
        })?;
    if rows.is_empty() {
        let (what, hint) = match (&phone, device_pk, &imei) {
            (Some(phone), _, _) => (
                format!("phone number {phone}"),
                "check the number as DME stores it (country code, leading zeros), or give \
                 --device-pk",
            ),
            (None, Some(pk), _) => (
                format!("devicePK {pk}"),
                "device keys are dm_devices.devicePK: `dmtool jobs --phone NUMBER` shows a phone's (column device_pk)",
            ),
            (None, None, Some(imei)) => (
                format!("IMEI {imei}"),
                "the IMEI is looked for as IMEI:DIGITS and as the digits alone; check the log's LocURI",
            ),
            (None, None, None) => ("that selection".to_owned(), "give a phone number"),
        };
        return Err(hinted(
            format!("no device has {what} in {}", store.target()),
            hint,
        ));
    }
    let devices: Vec<DeviceRow> = rows
        .into_iter()
        .map(|values| DeviceRow::new(&columns, values))
        .collect();
    let filter = JobFilter {
        device_pks: devices.iter().filter_map(DeviceRow::device_pk).collect(),
        ..JobFilter::default()
    };
    let mut operations = Vec::new();
    store.stream(&filter.query(), &mut |values| {
        operations.push(JobRow::from_values(values)?);
        Ok(())
    })?;
    let mut reports: Vec<DeviceReport> = devices
        .into_iter()
        .map(|device| {
            let pk = device.device_pk();
            let mine: Vec<&JobRow> = operations
                .iter()
                .filter(|row| row.device_pk.as_int() == pk)
                .collect();
            summarize(device, &mine)
        })
        .collect();
    // The device with the newest job first: a phone's current handset leads.
    reports.sort_by(|a, b| {
        let newest = |r: &DeviceReport| r.jobs.first().and_then(|j| j.job_created.clone());
        newest(b).cmp(&newest(a))
    });
    Ok(Report {
        phone,
        device_pk,
        imei,
        devices: reports,
    })
}

/// The operations of one job, in the query's order.
pub(crate) struct Job<'r> {
    pub(crate) rows: Vec<&'r JobRow>,
    /// It probes two or more platforms' trees.
    pub(crate) explore: bool,
}

/// Operations grouped by job (the query sorts by created, jobID: a job's
/// operations are adjacent), each job told explore or not.
pub(crate) fn jobs_of<'r>(operations: impl IntoIterator<Item = &'r JobRow>) -> Vec<Job<'r>> {
    let mut jobs: Vec<Job<'r>> = Vec::new();
    for row in operations {
        match jobs.last_mut() {
            Some(job) if job.rows[0].job_id == row.job_id => job.rows.push(row),
            _ => jobs.push(Job {
                rows: vec![row],
                explore: false,
            }),
        }
    }
    for job in &mut jobs {
        job.explore = explore::is_explore_job(job.rows.iter().map(|row| row.target.as_deref()));
    }
    jobs
}

fn summarize(device: DeviceRow, operations: &[&JobRow]) -> DeviceReport {
    let jobs = jobs_of(operations.iter().copied());
    let platform = match jobs.iter().rev().find(|job| job.explore) {
        Some(job) => {
            let finding = explore::classify(job.rows.iter().map(|row| row.probe_answer()));
            Platform {
                name: finding.platform,
                reason: finding.reason,
                job_id: job.rows[0].job_id.clone(),
                job_created: job.rows[0].job_created.clone(),
                evidence: finding.evidence,
            }
        }
        None => Platform {
            name: "unknown",
            reason: "the device has no explore job".into(),
            job_id: None,
            job_created: None,
            evidence: Vec::new(),
        },
    };
    let problems = jobs.iter().flat_map(problems_of).collect();
    let summaries = jobs.iter().rev().map(summary_of).collect();
    DeviceReport {
        device,
        platform,
        jobs: summaries,
        problems,
        operations: operations.iter().map(|row| (*row).clone()).collect(),
        log: None,
    }
}

fn summary_of(job: &Job<'_>) -> JobSummary {
    let first = job.rows[0];
    let mut summary = JobSummary {
        job_created: first.job_created.clone(),
        job_id: first.job_id.clone(),
        job_status: first.job_status.clone(),
        kind: if job.explore { "explore" } else { "other" },
        operations: job.rows.len(),
        ok: 0,
        failed: 0,
        in_progress: 0,
        unanswered: 0,
    };
    for row in &job.rows {
        match Outcome::of(row.status_code()) {
            Outcome::Ok => summary.ok += 1,
            Outcome::Failed => summary.failed += 1,
            Outcome::InProgress => summary.in_progress += 1,
            Outcome::Unanswered => summary.unanswered += 1,
        }
    }
    summary
}

/// Failed and unanswered operations. In an explore job a probe's 404 is the
/// expected answer on the platforms the device is not: evidence, not a problem.
fn problems_of<'r>(job: &'r Job<'r>) -> impl Iterator<Item = Problem> + 'r {
    job.rows.iter().filter_map(move |row| {
        let code = row.status_code();
        let expected_probe = job.explore
            && explore::verdict(code) == explore::ABSENT
            && row.target.as_deref().and_then(explore::probe_of).is_some();
        if Outcome::of(code) == Outcome::Ok || expected_probe {
            return None;
        }
        let command = row.operation_command.as_deref();
        Some(Problem {
            job_created: row.job_created.clone(),
            job_id: row.job_id.clone(),
            task_id: row.task_id.clone(),
            command: row.operation_command.clone(),
            target: row.target.clone(),
            status: code,
            status_name: code.and_then(status::name_of),
            hint: match code {
                None => Some(UNANSWERED_HINT),
                Some(code) => status::hint_for(code, command, job.explore),
            },
        })
    })
}
