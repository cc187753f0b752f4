//! The log's clock: a record's timestamp (`2010-06-28 13:48:21,412`, the
//! shape the finder accepts) as milliseconds on one scale, so the threader can
//! tell how long a session has been silent in log time. Knows no time zone:
//! only differences between timestamps of one log matter.

/// Milliseconds since 0000-03-01 of `YYYY-MM-DD?HH:MM:SS[,.]fff…`, or `None`
/// when the text does not have that shape or names no real date and time.
pub(crate) fn millis_of(time: &str) -> Option<i64> {
    let bytes = time.as_bytes();
    let number = |from: usize, len: usize| -> Option<i64> {
        let digits = bytes.get(from..from + len)?;
        digits.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // A leap second (60) counts as the one before it.
    if second > 60 {
        return None;
    }
    let fraction = match bytes.get(19) {
        Some(b',' | b'.') => {
            let digits: Vec<u8> = bytes[20..]
                .iter()
                .take(3)
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            let value = digits
                .iter()
                .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
            value * 10i64.pow(3 - digits.len() as u32)
        }
        _ => 0,
    };
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second.min(59) * 1000 + fraction)
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
        for bad in [
            "",
            "2010-13-01 00:00:00",
            "2010-06-28 24:00:00",
            "2010-06-28",
            "x",
        ] {
            assert_eq!(millis_of(bad), None, "{bad}");
        }
    }
}
