//! Log record headers: the time and text at the start of a log line, in every
//! form loggers write them (log4j, ISO 8601 / RFC 3339, kubectl and docker
//! prefixes, logcat, syslog, log4j's XMLLayout events, JSON-lines records), and
//! the text before the XML a record introduces. Knows lines; nothing of
//! messages.

use memchr::memmem;
use smol_str::SmolStr;

use super::{clock, escaped};
use crate::syncml::intern;

/// The log record a message was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// The timestamp as written, e.g. `2010-06-28 13:48:21,412`.
    pub time: SmolStr,
    /// The rest of the header line before the XML, e.g. `DEBUG [LogUtil] … Received from device:`.
    pub text: SmolStr,
}

/// A log level word at the start of a record's text (`DEBUG [LogUtil] …`),
/// or of the record it carries (a line of `kubectl logs --timestamps`).
pub(super) fn has_level(text: &str) -> bool {
    if let Some((_, inner)) = split_record(text.as_bytes())
        && let Ok(inner) = std::str::from_utf8(inner)
    {
        return has_level(inner);
    }
    let word = text
        .trim_start_matches('[')
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    matches!(
        word.to_ascii_uppercase().as_str(),
        "TRACE" | "DEBUG" | "INFO" | "WARN" | "WARNING" | "ERROR" | "FATAL" | "SEVERE" | "FINE"
    )
}

/// A log record header: a date and time at the start of the line (optionally
/// in brackets: `[2010-06-28 13:48:21,412]`), then the record's text. The
/// times: log4j's and ISO 8601's `YYYY-MM-DD HH:MM:SS,fff` (`T` or a space,
/// `,` or `.`, any fraction, a `Z` or an offset: RFC 3339, `kubectl logs
/// --timestamps`, `docker logs -t`), `YYYY/MM/DD HH:MM:SS`, logcat's `MM-DD
/// HH:MM:SS.fff` and syslog's `Mon DD HH:MM:SS`. Checked by hand: it runs on
/// every line of gigabytes of logs. Returns the timestamp and the rest of the
/// line.
pub(super) fn split_record(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let bracketed = line.first() == Some(&b'[');
    let body = if bracketed { &line[1..] } else { line };
    let end = time_length(body)?;
    let time = &body[..end];
    let mut rest = &body[end..];
    if bracketed {
        rest = rest.strip_prefix(b"]")?;
    }
    Some((time, rest.trim_ascii_start()))
}

/// The length of the timestamp `text` starts with (see [`split_record`]).
/// Most lines fail on their first bytes.
fn time_length(text: &[u8]) -> Option<usize> {
    let digits = |bytes: &[u8]| bytes.iter().all(u8::is_ascii_digit);
    // HH:MM:SS
    let clock = |t: &[u8]| {
        digits(&t[..2]) && t[2] == b':' && digits(&t[3..5]) && t[5] == b':' && digits(&t[6..8])
    };
    let mut end = match text {
        // YYYY-MM-DD HH:MM:SS (or YYYY/MM/DD, or ISO 8601's T)
        [
            y0,
            y1,
            y2,
            y3,
            separator @ (b'-' | b'/'),
            m0,
            m1,
            again,
            d0,
            d1,
            b' ' | b'T',
            time @ ..,
        ] if digits(&[*y0, *y1, *y2, *y3, *m0, *m1, *d0, *d1])
            && again == separator
            && time.len() >= 8
            && clock(time) =>
        {
            19
        }
        // logcat: MM-DD HH:MM:SS
        [m0, m1, b'-', d0, d1, b' ', time @ ..]
            if digits(&[*m0, *m1, *d0, *d1]) && time.len() >= 8 && clock(time) =>
        {
            14
        }
        // A time of day alone (a client's log: Funambol's `17:00:26 GMT
        // +1:00 [DEBUG]`), then a space or a fraction. It names no day:
        // the log's clock reads no time from it.
        [h0, h1, b':', ..]
            if h0.is_ascii_digit()
                && h1.is_ascii_digit()
                && text.len() > 8
                && clock(text)
                && matches!(text[8], b' ' | b',' | b'.') =>
        {
            8
        }
        // syslog: Mon DD HH:MM:SS, the day padded with a space
        [a, b, c, b' ', d0, d1, b' ', time @ ..]
            if is_month(&[*a, *b, *c])
                && (d0.is_ascii_digit() || *d0 == b' ')
                && d1.is_ascii_digit()
                && time.len() >= 8
                && clock(time) =>
        {
            return Some(15);
        }
        _ => return None,
    };
    if matches!(text.get(end), Some(b',' | b'.')) {
        let digits = text[end + 1..]
            .iter()
            .take(9)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits > 0 {
            end += 1 + digits;
        }
    }
    // A zone: `Z`, or `+HH:MM`, `-HHMM`, `+HH` right after the time.
    match text.get(end) {
        Some(b'Z') => end += 1,
        Some(b'+' | b'-') => {
            let zone = text[end + 1..]
                .iter()
                .take(5)
                .take_while(|b| b.is_ascii_digit() || **b == b':')
                .count();
            if matches!(zone, 2 | 4 | 5) {
                end += 1 + zone;
            }
        }
        _ => {}
    }
    Some(end)
}

/// A three-letter English month name, as syslog writes it.
fn is_month(name: &[u8]) -> bool {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    MONTHS.contains(&name)
}

/// The time of the record a line starts, in any form the finder reads (a
/// header, a JSON-lines record, an XMLLayout event), as written.
pub(crate) fn record_time(line: &[u8]) -> Option<String> {
    if let Some((time, _)) = record_parts(line) {
        return Some(lossy(time).into_owned());
    }
    if let Some(record) = log4j_event(line) {
        return Some(record.time.to_string());
    }
    escaped::json_record(line)?.time
}

/// A record header's time and text (up to the XML on its line), as bytes.
pub(super) fn record_parts(line: &[u8]) -> Option<(&[u8], &[u8])> {
    if !is_record(line) {
        return None;
    }
    let (time, text) = split_record(trim_eol(line))?;
    Some((time, text_before_xml(text)))
}

/// Text up to the XML it introduces (escaped or not), when XML follows.
pub(super) fn text_before_xml(text: &[u8]) -> &[u8] {
    const MARKS: [&[u8]; 5] = [b"<SyncML", b"<?xml", b"&lt;", b"&#60;", b"\\u003c"];
    memchr::memchr3_iter(b'<', b'&', b'\\', text)
        .find(|&at| MARKS.iter().any(|mark| text[at..].starts_with(mark)))
        .map_or(text, |at| &text[..at])
}

/// The record of a log4j XMLLayout event line (`<log4j:event logger="…"
/// timestamp="1277732900880" level="DEBUG" …>`): its time as RFC 3339, its
/// level and logger as text.
pub(super) fn log4j_event(line: &[u8]) -> Option<LogRecord> {
    let line = line.trim_ascii_start();
    if !line.starts_with(b"<log4j:event ") && !line.starts_with(b"<log4j:event\t") {
        return None;
    }
    let attribute = |name: &[u8]| -> Option<&[u8]> {
        let mut pattern = b" ".to_vec();
        pattern.extend_from_slice(name);
        pattern.extend_from_slice(b"=\"");
        let at = memmem::find(line, &pattern)? + pattern.len();
        let end = memchr::memchr(b'"', &line[at..])?;
        Some(&line[at..at + end])
    };
    let millis: i64 = std::str::from_utf8(attribute(b"timestamp")?)
        .ok()?
        .parse()
        .ok()?;
    let time = clock::rfc3339_of_epoch_millis(millis)?;
    let level = lossy(attribute(b"level").unwrap_or_default()).into_owned();
    let logger = lossy(attribute(b"logger").unwrap_or_default()).into_owned();
    Some(LogRecord {
        time: intern::value(&time),
        text: intern::value(format!("{level} [{logger}]").trim()),
    })
}

/// Bytes as text: borrowed when they are UTF-8 (the usual case, checked
/// quickly), invalid sequences replaced otherwise.
pub(super) fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The line is a log record's header (see [`split_record`]).
pub(super) fn is_record(line: &[u8]) -> bool {
    line.first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'[' || b"JFMASOND".contains(b))
        && split_record(trim_eol(line)).is_some()
}

pub(super) fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_headers_are_recognised_by_shape() {
        let split = |line: &str| {
            split_record(line.as_bytes()).map(|(time, rest)| {
                (
                    String::from_utf8_lossy(time).into_owned(),
                    String::from_utf8_lossy(rest).into_owned(),
                )
            })
        };
        assert_eq!(
            split("2010-06-28 13:48:21,412 DEBUG [x] text"),
            Some(("2010-06-28 13:48:21,412".into(), "DEBUG [x] text".into()))
        );
        assert_eq!(
            split("[2010-06-28T13:48:21.5] text"),
            Some(("2010-06-28T13:48:21.5".into(), "text".into()))
        );
        assert_eq!(
            split("2010-06-28 13:48:21 text"),
            Some(("2010-06-28 13:48:21".into(), "text".into()))
        );
        for (line, time, text) in [
            (
                "2010-06-28T13:48:20.880123456Z 2010-06-28 13:48:20,880 DEBUG x",
                "2010-06-28T13:48:20.880123456Z",
                "2010-06-28 13:48:20,880 DEBUG x",
            ),
            (
                "2010-06-28T13:48:20.880+02:00 x",
                "2010-06-28T13:48:20.880+02:00",
                "x",
            ),
            ("2010/06/28 13:48:20 x", "2010/06/28 13:48:20", "x"),
            (
                "06-28 13:48:20.880  1234  1234 D OmaDm: x",
                "06-28 13:48:20.880",
                "1234  1234 D OmaDm: x",
            ),
            (
                "Jun 28 13:48:20 host dm[1]: x",
                "Jun 28 13:48:20",
                "host dm[1]: x",
            ),
            ("Jun  8 13:48:20 host x", "Jun  8 13:48:20", "host x"),
            (
                "17:00:26 GMT +1:00 [DEBUG] - <SyncML>",
                "17:00:26",
                "GMT +1:00 [DEBUG] - <SyncML>",
            ),
            ("13:48:20.880 DEBUG x", "13:48:20.880", "DEBUG x"),
        ] {
            assert_eq!(split(line), Some((time.into(), text.into())), "{line}");
        }
        for not in [
            "2010-06-28",
            "2010-06/28 13:48:20 x",
            "Jux 28 13:48:20 x",
            "June 28 13:48:20 x",
            "<SyncML>",
            "20100628 13:48:21",
            "[2010-06-28 13:48:21 x",
            "13:48:20",
            "13:48:20x",
            "1:48:20 x",
        ] {
            assert_eq!(split(not), None, "{not}");
        }
    }
}
