//! The log's clock: a record's timestamp (`2010-06-28 13:48:21,412`, and the
//! other shapes the finder accepts) as milliseconds on one scale, so the
//! threader can tell how long a session has been silent in log time and
//! rotated files can be put in order. A zone written with a time is applied;
//! a time without one is taken as it is (only differences within a log matter).

/// Milliseconds since 0000-03-01 of a record's timestamp, or `None` when the
/// text has no shape this knows or names no real date and time:
/// `YYYY-MM-DD?HH:MM:SS[,.]fff…` (log4j, ISO 8601, RFC 3339; a `Z` or an
/// offset after it is applied), `YYYY/MM/DD HH:MM:SS`, logcat's `MM-DD
/// HH:MM:SS.fff` and syslog's `Mon DD HH:MM:SS` (no year: taken as 2000, so
/// that differences within a log hold, leap days too). A time of day alone
/// (a client's `17:00:26`) is none: midnight would look like a jump back.
pub(crate) fn millis_of(time: &str) -> Option<i64> {
    let bytes = time.as_bytes();
    if bytes.len() >= 10 && bytes[4] == bytes[7] && matches!(bytes[4], b'-' | b'/') {
        return dated(bytes);
    }
    if bytes.len() >= 14 && bytes[2] == b'-' && bytes[5] == b' ' {
        // logcat: MM-DD HH:MM:SS.fff
        let mut full = b"2000-".to_vec();
        full.extend_from_slice(bytes);
        return dated(&full);
    }
    let month = month_of(bytes.get(..3)?)?;
    // syslog: Mon DD HH:MM:SS (the day padded with a space).
    let rest = std::str::from_utf8(&bytes[3..]).ok()?.trim_start();
    let (day, clock) = rest.split_once(' ')?;
    let day: u32 = day.parse().ok()?;
    let full = format!("2000-{month:02}-{day:02} {clock}");
    dated(full.as_bytes())
}

/// The timestamp names its year (logcat's and syslog's do not).
pub(crate) fn has_year(time: &str) -> bool {
    let bytes = time.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && matches!(bytes[4], b'-' | b'/')
}

/// The month a three-letter English name (any case) stands for.
fn month_of(name: &[u8]) -> Option<u32> {
    const NAMES: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let position = NAMES.iter().position(|n| n.eq_ignore_ascii_case(name))?;
    Some(position as u32 + 1)
}

/// `YYYY-MM-DD?HH:MM:SS[,.]fff…[Z|±HH[:]MM]` as milliseconds.
fn dated(bytes: &[u8]) -> Option<i64> {
    let number = |from: usize, len: usize| -> Option<i64> {
        let digits = bytes.get(from..from + len)?;
        digits.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    if !matches!(bytes.get(10), Some(b' ' | b'T' | b't' | b'_')) {
        return None;
    }
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    if bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // A leap second (60) counts as the one before it.
    if second > 60 {
        return None;
    }
    let mut at = 19;
    let fraction = match bytes.get(19) {
        Some(b',' | b'.') => {
            let digits = bytes[20..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            at = 20 + digits;
            let value = bytes[20..20 + digits.min(3)]
                .iter()
                .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
            value * 10i64.pow(3 - digits.min(3) as u32)
        }
        _ => 0,
    };
    let offset = offset_minutes(&bytes[at..]).unwrap_or(0);
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute - offset) * 60_000 + second.min(59) * 1000 + fraction)
}

/// A time zone written after a time: `Z`, `+02:00`, `-0500`, `+02` (minutes
/// east of UTC); `None` when there is none.
fn offset_minutes(text: &[u8]) -> Option<i64> {
    let text = text.strip_prefix(b" ").unwrap_or(text);
    let sign = match text.first()? {
        b'Z' | b'z' => return Some(0),
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: Vec<i64> = text[1..]
        .iter()
        .filter(|&&b| b != b':')
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| i64::from(b - b'0'))
        .collect();
    let (hours, minutes) = match digits.as_slice() {
        [h1, h2] => (h1 * 10 + h2, 0),
        [h1, h2, m1, m2] => (h1 * 10 + h2, m1 * 10 + m2),
        _ => return None,
    };
    Some(sign * (hours * 60 + minutes))
}

/// Epoch milliseconds (a JSON logger's number, log4j XMLLayout's
/// `timestamp`) as RFC 3339 in UTC: `2010-06-28T13:48:20.880Z`.
pub(crate) fn rfc3339_of_epoch_millis(millis: i64) -> Option<String> {
    // Years 0 to 9999 only.
    if !(-62_135_596_800_000..=253_402_300_799_999).contains(&millis) {
        return None;
    }
    let days = millis.div_euclid(86_400_000);
    let of_day = millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days + EPOCH_DAYS);
    let (hour, minute) = (of_day / 3_600_000, of_day / 60_000 % 60);
    let (second, milli) = (of_day / 1000 % 60, of_day % 1000);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z"
    ))
}

/// 1970-01-01 counted from 0000-03-01.
const EPOCH_DAYS: i64 = 719_468;

/// The date of a day counted from 0000-03-01 (the inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 0000-03-01 of a proleptic Gregorian date (the usual algorithm:
/// years start in March, so the leap day ends a year).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_milliseconds_are_written_as_rfc3339() {
        assert_eq!(
            rfc3339_of_epoch_millis(1_277_732_900_880).as_deref(),
            Some("2010-06-28T13:48:20.880Z")
        );
        assert_eq!(
            rfc3339_of_epoch_millis(0).as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(
            rfc3339_of_epoch_millis(951_782_400_000).as_deref(),
            Some("2000-02-29T00:00:00.000Z")
        );
        assert_eq!(rfc3339_of_epoch_millis(i64::MAX), None);
        // And back: the same instant on the log's clock.
        let text = rfc3339_of_epoch_millis(1_277_732_900_880).expect("a time");
        assert_eq!(
            millis_of(&text),
            millis_of("1970-01-01 00:00:00").map(|epoch| epoch + 1_277_732_900_880)
        );
    }

    #[test]
    fn timestamps_are_milliseconds_on_one_scale() {
        let at = |text: &str| millis_of(text).expect(text);
        assert_eq!(
            at("2010-06-28 13:48:21,412") - at("2010-06-28 13:48:20,000"),
            1412
        );
        assert_eq!(at("2010-06-28T13:48:21.5") - at("2010-06-28 13:48:21"), 500);
        // Across midnight, a month's end, a leap day and a year's end.
        assert_eq!(at("2010-06-29 00:00:00") - at("2010-06-28 23:59:59"), 1000);
        assert_eq!(
            at("2010-07-01 00:00:00") - at("2010-06-30 00:00:00"),
            86_400_000
        );
        assert_eq!(
            at("2012-03-01 00:00:00") - at("2012-02-28 00:00:00"),
            2 * 86_400_000
        );
        assert_eq!(
            at("2011-03-01 00:00:00") - at("2011-02-28 00:00:00"),
            86_400_000
        );
        assert_eq!(
            at("2011-01-01 00:00:00") - at("2010-12-31 00:00:00"),
            86_400_000
        );
        assert_eq!(
            at("2000-03-01 00:00:00") - at("2000-02-28 00:00:00"),
            2 * 86_400_000
        );
        assert_eq!(
            at("1900-03-01 00:00:00") - at("1900-02-28 00:00:00"),
            86_400_000
        );
        // 1970-01-01 is 719,468 days after 0000-03-01.
        assert_eq!(at("1970-01-01 00:00:00"), 719_468 * 86_400_000);
        // Zones, long fractions, logcat and syslog.
        assert_eq!(
            at("2010-06-28T13:48:21.412123456Z"),
            at("2010-06-28 13:48:21,412")
        );
        assert_eq!(
            at("2010-06-28T15:48:21.412+02:00"),
            at("2010-06-28 13:48:21,412")
        );
        assert_eq!(at("2010-06-28T08:48:21-0500"), at("2010-06-28 13:48:21"));
        assert_eq!(at("2010/06/28 13:48:21"), at("2010-06-28 13:48:21"));
        assert_eq!(at("06-28 13:48:21.500") - at("06-28 13:48:20.000"), 1500);
        assert_eq!(
            at("Jun 28 13:48:21") - at("Jun  8 13:48:21"),
            20 * 86_400_000
        );
        assert_eq!(
            at("Mar  1 00:00:00") - at("Feb 28 00:00:00"),
            2 * 86_400_000
        );
        assert_eq!(at("06-28 13:48:21.000"), at("Jun 28 13:48:21"));
        for bad in [
            "",
            "2010-13-01 00:00:00",
            "2010-06-28 24:00:00",
            "2010-06-28",
            "x",
            "Foo 28 13:48:21",
            "2010-06-28X13:48:21",
            // A time of day names no day: no clock for sessions to end by.
            "17:00:26",
            "13:48:20.880",
        ] {
            assert_eq!(millis_of(bad), None, "{bad}");
        }
    }
}
