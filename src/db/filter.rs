//! The filters of the guide's query (`--phone`, `--since`, `--job`, `--status`, …)
//! turned into SQL conditions with bound parameters. What a user types only ever
//! becomes a [`Param`]; the SQL text is built from fixed fragments.

use std::fmt::Write;

use super::query::{Param, Query};
use crate::error::UsageError;

/// The statement behind `dmtool jobs` (the guide's query).
const JOBS_SQL: &str = include_str!("../../queries/jobs.sql");
/// The statement that lists devices.
const DEVICES_SQL: &str = include_str!("../../queries/devices.sql");
/// Where the filters go in those statements.
const MARKER: &str = "/* filters */";

/// Which operation statuses to keep; several are OR'ed together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Exactly this code.
    Code(u32),
    /// From..=to (a class such as 4xx).
    Range(u32, u32),
    /// This code or more (`--failed` is 300 or more).
    AtLeast(u32),
    /// Not answered (NULL).
    Unanswered,
}

/// The end of `--until`, canonical `YYYY-MM-DD HH:MM:SS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    /// A time was given: jobs created at or before it.
    AtOrBefore(String),
    /// A date alone was given: jobs created before the next day began (so that
    /// fractional seconds of the last second count too).
    Before(String),
}

/// Every filter of `dmtool jobs`; empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobFilter {
    pub phones: Vec<String>,
    pub device_pks: Vec<i64>,
    /// As given; each is looked for with and without `IMEI:`.
    pub imeis: Vec<String>,
    /// Canonical `YYYY-MM-DD HH:MM:SS`: jobs created at or after it.
    pub since: Option<String>,
    /// The latest creation time wanted.
    pub until: Option<Until>,
    pub jobs: Vec<String>,
    pub statuses: Vec<StatusFilter>,
    pub limit: Option<u64>,
}

/// Collects `AND …` conditions and their parameters.
#[derive(Default)]
struct Conditions {
    text: String,
    params: Vec<Param>,
}

impl Conditions {
    fn push(&mut self, condition: &str, params: impl IntoIterator<Item = Param>) {
        let _ = write!(self.text, "AND {condition}\n   ");
        self.params.extend(params);
    }

    /// `column IN (?, ?, …)` for a non-empty list.
    fn any_of(&mut self, column: &str, values: Vec<Param>) {
        if values.is_empty() {
            return;
        }
        let marks = vec!["?"; values.len()].join(", ");
        self.push(&format!("{column} IN ({marks})"), values);
    }

    fn into_query(self, template: &str) -> Query {
        let sql = strip_comments(template).replace(MARKER, self.text.trim_end());
        Query {
            sql,
            params: self.params,
        }
    }
}

/// The statement without its leading `--` comment lines and blank lines left by
/// an empty filter.
fn strip_comments(template: &str) -> String {
    template
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl JobFilter {
    /// The guide's query with these filters.
    pub fn query(&self) -> Query {
        let mut conditions = Conditions::default();
        conditions.any_of(
            "d.phoneNumber",
            self.phones.iter().cloned().map(Param::Text).collect(),
        );
        conditions.any_of(
            "d.devicePK",
            self.device_pks.iter().copied().map(Param::Int).collect(),
        );
        conditions.any_of("d.imei", imei_forms(&self.imeis));
        if let Some(since) = &self.since {
            conditions.push("j.created >= ?", [Param::Text(since.clone())]);
        }
        match &self.until {
            Some(Until::AtOrBefore(time)) => {
                conditions.push("j.created <= ?", [Param::Text(time.clone())]);
            }
            Some(Until::Before(time)) => {
                conditions.push("j.created < ?", [Param::Text(time.clone())]);
            }
            None => {}
        }
        conditions.any_of(
            "j.jobID",
            self.jobs.iter().cloned().map(Param::Text).collect(),
        );
        if !self.statuses.is_empty() {
            let mut params = Vec::new();
            let parts: Vec<&str> = self
                .statuses
                .iter()
                .map(|status| match *status {
                    StatusFilter::Code(code) => {
                        params.push(Param::Int(i64::from(code)));
                        "o.statusCode = ?"
                    }
                    StatusFilter::Range(from, to) => {
                        params.push(Param::Int(i64::from(from)));
                        params.push(Param::Int(i64::from(to)));
                        "o.statusCode BETWEEN ? AND ?"
                    }
                    StatusFilter::AtLeast(from) => {
                        params.push(Param::Int(i64::from(from)));
                        "o.statusCode >= ?"
                    }
                    StatusFilter::Unanswered => "o.statusCode IS NULL",
                })
                .collect();
            conditions.push(&format!("({})", parts.join(" OR ")), params);
        }
        let mut query = conditions.into_query(JOBS_SQL);
        if let Some(limit) = self.limit {
            query.sql.push_str("\n LIMIT ?");
            query
                .params
                .push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        }
        query
    }
}

/// The devices with these phone numbers or keys.
pub fn devices_query(phones: &[String], device_pks: &[i64], imeis: &[String]) -> Query {
    let mut conditions = Conditions::default();
    conditions.any_of(
        "d.phoneNumber",
        phones.iter().cloned().map(Param::Text).collect(),
    );
    conditions.any_of(
        "d.devicePK",
        device_pks.iter().copied().map(Param::Int).collect(),
    );
    conditions.any_of("d.imei", imei_forms(imeis));
    conditions.into_query(DEVICES_SQL)
}

/// An IMEI as a `dm_devices` row may hold it: `IMEI:` and the digits, and
/// the digits alone (whichever way it was given).
fn imei_forms(imeis: &[String]) -> Vec<Param> {
    let mut forms = Vec::new();
    for imei in imeis {
        let imei = imei.trim();
        let digits = imei
            .get(..5)
            .filter(|scheme| scheme.eq_ignore_ascii_case("imei:"))
            .map_or(imei, |_| &imei[5..]);
        forms.push(Param::Text(format!("IMEI:{digits}")));
        forms.push(Param::Text(digits.to_owned()));
    }
    forms
}

/// Parses `2010-02-05`, `2010-02-05T13:00`, `2010-02-05 13:00:00` into
/// `YYYY-MM-DD HH:MM:SS` (a date alone is the start of that day).
pub fn parse_timestamp(text: &str) -> Result<String, UsageError> {
    let (date, time) = parse_parts(text)?;
    let (hour, minute, second) = time.unwrap_or((0, 0, 0));
    Ok(canonical(date, (hour, minute, second)))
}

/// `--until`: a time is inclusive; a date alone means the whole of that day.
pub fn parse_until(text: &str) -> Result<Until, UsageError> {
    let ((year, month, day), time) = parse_parts(text)?;
    Ok(match time {
        Some(time) => Until::AtOrBefore(canonical((year, month, day), time)),
        None => {
            let next = if day < days_in_month(year, month) {
                (year, month, day + 1)
            } else if month < 12 {
                (year, month + 1, 1)
            } else {
                (year + 1, 1, 1)
            };
            Until::Before(canonical(next, (0, 0, 0)))
        }
    })
}

type Date = (u32, u32, u32);
type Time = (u32, u32, u32);

/// Seconds since 1970 now (UTC).
fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// `today`, `yesterday` (days: a date alone), `now`, or a time ago (`2d`,
/// `12h`, `30m`, `45s`, `1w`), against `now` (seconds since 1970, UTC).
/// `None` when `text` is none of these; `Some(None)` when it is one that
/// goes out of range.
fn relative(text: &str, now: i64) -> Option<Option<(Date, Option<Time>)>> {
    let lower = text.to_ascii_lowercase();
    let day = now.div_euclid(86_400);
    match lower.as_str() {
        "today" => return Some(date_of_day(day).map(|date| (date, None))),
        "yesterday" => return Some(date_of_day(day - 1).map(|date| (date, None))),
        "now" => return Some(instant(now)),
        _ => {}
    }
    let digits = lower.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = lower.split_at(digits);
    let number: i64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    Some(
        number
            .checked_mul(seconds)
            .and_then(|ago| instant(now - ago)),
    )
}

/// A moment (seconds since 1970) as a date and time.
fn instant(seconds: i64) -> Option<(Date, Option<Time>)> {
    let date = date_of_day(seconds.div_euclid(86_400))?;
    let of_day = u32::try_from(seconds.rem_euclid(86_400)).ok()?;
    Some((date, Some((of_day / 3_600, of_day / 60 % 60, of_day % 60))))
}

/// The civil date of a day number (days since 1970-01-01), years 1–9999.
fn date_of_day(day: i64) -> Option<Date> {
    // Howard Hinnant's days-to-civil.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if !(1..=9999).contains(&y) {
        return None;
    }
    Some((
        u32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    ))
}

fn canonical((year, month, day): Date, (hour, minute, second): Time) -> String {
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
}

fn parse_parts(text: &str) -> Result<(Date, Option<Time>), UsageError> {
    let bad = || {
        UsageError::new(format!("'{text}' is not a date"))
            .with_hint("write 2010-02-05, 2010-02-05T13:00:00, today, yesterday, or a time ago: 2d, 12h, 30m, 1w")
    };
    let trimmed = text.trim();
    if let Some(relative) = relative(trimmed, now_seconds()) {
        return relative.ok_or_else(bad);
    }
    let (date, time) = match trimmed.split_once(['T', 't', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (trimmed, None),
    };
    let date_parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = date_parts.as_slice() else {
        return Err(bad());
    };
    let year: u32 = number(year, 4).ok_or_else(bad)?;
    let month: u32 = number(month, 2).ok_or_else(bad)?;
    let day: u32 = number(day, 2).ok_or_else(bad)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(bad());
    }
    let time = match time {
        None => None,
        Some(time) => {
            let parts: Vec<&str> = time.split(':').collect();
            let (h, m, s) = match parts.as_slice() {
                [h, m] => (*h, *m, "00"),
                [h, m, s] => (*h, *m, *s),
                _ => return Err(bad()),
            };
            let hour: u32 = number(h, 2).filter(|h| *h < 24).ok_or_else(bad)?;
            let minute: u32 = number(m, 2).filter(|m| *m < 60).ok_or_else(bad)?;
            let second: u32 = number(s, 2).filter(|s| *s < 60).ok_or_else(bad)?;
            Some((hour, minute, second))
        }
    };
    Ok(((year, month, day), time))
}

fn number(text: &str, digits: usize) -> Option<u32> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dates_count_back_from_now() {
        // 2010-06-28 13:48:21 UTC.
        let now = 1_277_732_901;
        assert_eq!(relative("today", now), Some(Some(((2010, 6, 28), None))));
        assert_eq!(
            relative("Yesterday", now),
            Some(Some(((2010, 6, 27), None)))
        );
        assert_eq!(
            relative("now", now),
            Some(Some(((2010, 6, 28), Some((13, 48, 21)))))
        );
        assert_eq!(
            relative("2d", now),
            Some(Some(((2010, 6, 26), Some((13, 48, 21)))))
        );
        assert_eq!(
            relative("90m", now),
            Some(Some(((2010, 6, 28), Some((12, 18, 21)))))
        );
        assert_eq!(relative("2010-06-28", now), None);
        assert_eq!(relative("5x", now), None);
        assert_eq!(relative("99999999999w", now), Some(None));
        assert_eq!(date_of_day(0), Some((1970, 1, 1)));
        assert_eq!(date_of_day(11_016), Some((2000, 2, 29)));
    }

    #[test]
    fn no_filter_is_the_guides_query_without_a_where_clause_of_its_own() {
        let query = JobFilter::default().query();
        assert!(query.params.is_empty());
        assert!(
            query
                .sql
                .contains("ORDER BY j.created, j.jobID, t.id, o.operationID")
        );
        assert!(!query.sql.contains("--"));
        assert!(!query.sql.contains(MARKER));
    }

    #[test]
    fn filters_become_placeholders_and_parameters() {
        let filter = JobFilter {
            phones: vec!["1' OR '1'='1".into(), "30116718".into()],
            since: Some("2010-02-05 00:00:00".into()),
            statuses: vec![StatusFilter::Code(404), StatusFilter::Range(500, 599)],
            limit: Some(10),
            ..JobFilter::default()
        };
        let query = filter.query();
        assert!(query.sql.contains("d.phoneNumber IN (?, ?)"));
        assert!(query.sql.contains("j.created >= ?"));
        assert!(
            query
                .sql
                .contains("(o.statusCode = ? OR o.statusCode BETWEEN ? AND ?)")
        );
        assert!(query.sql.ends_with("LIMIT ?"));
        assert!(
            !query.sql.contains("30116718"),
            "values never in the SQL text"
        );
        assert_eq!(query.params.len(), 7);
        assert_eq!(query.sql.matches('?').count(), query.params.len());
    }

    #[test]
    fn timestamps_parse_to_one_form() {
        assert_eq!(
            parse_timestamp("2010-02-05").as_deref(),
            Ok("2010-02-05 00:00:00")
        );
        assert_eq!(
            parse_timestamp("2010-02-05T13:00:00").as_deref(),
            Ok("2010-02-05 13:00:00")
        );
        assert_eq!(
            parse_timestamp("2010-02-05 13:00").as_deref(),
            Ok("2010-02-05 13:00:00")
        );
        assert!(parse_timestamp("2012-02-29").is_ok());
    }

    #[test]
    fn until_a_date_ends_with_the_next_day() {
        assert_eq!(
            parse_until("2010-02-05"),
            Ok(Until::Before("2010-02-06 00:00:00".into()))
        );
        assert_eq!(
            parse_until("2010-02-28"),
            Ok(Until::Before("2010-03-01 00:00:00".into()))
        );
        assert_eq!(
            parse_until("2012-02-28"),
            Ok(Until::Before("2012-02-29 00:00:00".into()))
        );
        assert_eq!(
            parse_until("2010-12-31"),
            Ok(Until::Before("2011-01-01 00:00:00".into()))
        );
        assert_eq!(
            parse_until("2010-12-31T10:00"),
            Ok(Until::AtOrBefore("2010-12-31 10:00:00".into()))
        );
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "2010-02-30",
            "2011-02-29",
            "2010-13-01",
            "2010-2-5",
            "the day before",
            "3 days",
            "2010-02-05T25:00",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
            assert!(parse_until(bad).is_err(), "{bad}");
        }
    }
}
