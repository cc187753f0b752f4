//! Messages written escaped, as loggers and consoles write them: XML/HTML
//! character references (`&lt;SyncML xmlns=&quot;…&quot;&gt;`), backslash
//! escapes (`<SyncML xmlns=\"…\">\n<SyncHdr>`, `\u003cSyncML`) and JSON-lines
//! records (`{"@timestamp":…,"message":"Received:\n<SyncML …"}`). Recognises
//! them and gives the text back; knows nothing of messages or records beyond
//! a JSON record's time and text.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem;

use super::clock;
use crate::syncml::xml;

/// How a message's text was escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escaping {
    /// XML/HTML character references: `&lt;`, `&quot;`, `&#10;`, `&#x3c;`.
    References,
    /// Backslash escapes of string literals and JSON: `\"`, `\n`, `\u003c`.
    Backslashes,
}

/// The escaped starts of a message this module recognises, with their escaping.
const STARTS: [(&[u8], Escaping); 4] = [
    (b"&lt;SyncML", Escaping::References),
    (b"&#60;SyncML", Escaping::References),
    (b"&#x3c;SyncML", Escaping::References),
    (b"\\u003cSyncML", Escaping::Backslashes),
];

/// The first escaped start of a message in `text` (`&lt;SyncML`,
/// `\u003cSyncML`, case of the reference aside): where it is and how the text
/// is escaped. Only a start followed by what may follow `<SyncML` counts.
pub(crate) fn find_start(text: &[u8]) -> Option<(usize, Escaping)> {
    let mut best: Option<(usize, Escaping)> = None;
    for at in memmem::find_iter(text, b"SyncML") {
        for (start, escaping) in STARTS {
            let prefix = start.len() - b"SyncML".len();
            let Some(from) = at.checked_sub(prefix) else {
                continue;
            };
            let candidate = &text[from..at + b"SyncML".len()];
            if !candidate.eq_ignore_ascii_case(start) {
                continue;
            }
            let after = &text[at + b"SyncML".len()..];
            let fits = match escaping {
                Escaping::References => {
                    after.is_empty()
                        || after
                            .get(..4)
                            .is_some_and(|a| a.eq_ignore_ascii_case(b"&gt;"))
                        || after.starts_with(b"&#")
                        || matches!(after[0], b' ' | b'\t' | b'\r' | b'\n' | b'/')
                }
                Escaping::Backslashes => {
                    after.is_empty()
                        || after.starts_with(b"\\u003e")
                        || after.starts_with(b"\\n")
                        || after.starts_with(b"\\r")
                        || matches!(after[0], b' ' | b'\t' | b'/' | b'>')
                }
            };
            if fits && best.is_none_or(|(b, _)| from < b) {
                best = Some((from, escaping));
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
}

/// Whether a message that starts with a plain `<SyncML` at the start of
/// `text` is written with backslash escapes: an attribute quoted `\"`
/// (`xmlns=\"…\"`), or a `\n`, `\r` or `\t` right after a tag, in its first
/// 4 KiB.
pub(crate) fn is_backslashed(text: &[u8]) -> bool {
    let text = &text[..text.len().min(4096)];
    // Most messages hold no backslash at all: one quick pass says so.
    memchr::memchr_iter(b'\\', text).any(|at| {
        let before = at.checked_sub(1).map(|b| text[b]);
        matches!(
            (before, text.get(at + 1)),
            (Some(b'='), Some(b'"')) | (Some(b'>'), Some(b'n' | b'r' | b't'))
        )
    })
}

/// `text` with its escapes undone (an escape it does not know stays as written).
pub(crate) fn unescape(escaping: Escaping, text: &[u8]) -> Cow<'_, [u8]> {
    match escaping {
        Escaping::References => unescape_references(text),
        Escaping::Backslashes => unescape_backslashes(text),
    }
}

fn unescape_references(text: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'&', text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'&', rest) {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.iter().take(12).position(|&b| b == b';') else {
            out.push(b'&');
            rest = &rest[1..];
            continue;
        };
        match reference(&rest[1..end]) {
            Some(character) => {
                let mut buffer = [0; 4];
                out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
                rest = &rest[end + 1..];
            }
            None => {
                out.push(b'&');
                rest = &rest[1..];
            }
        }
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

/// The character a reference's name (`lt`, `#60`, `#x3C`) stands for.
fn reference(name: &[u8]) -> Option<char> {
    let mut buffer = [0u8; 12];
    let lower = buffer.get_mut(..name.len())?;
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    match &*lower {
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"amp" => Some('&'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        b"nbsp" => Some(' '),
        [b'#', b'x', digits @ ..] => number(digits, 16),
        [b'#', digits @ ..] => number(digits, 10),
        _ => None,
    }
}

fn number(digits: &[u8], radix: u32) -> Option<char> {
    let text = std::str::from_utf8(digits).ok()?;
    if text.is_empty() || !text.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    char::from_u32(u32::from_str_radix(text, radix).ok()?)
}

fn unescape_backslashes(text: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'\\', text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'\\', rest) {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        let (decoded, used): (Option<char>, usize) = match rest.get(1) {
            Some(b'n') => (Some('\n'), 2),
            Some(b'r') => (Some('\r'), 2),
            Some(b't') => (Some('\t'), 2),
            Some(b'"') => (Some('"'), 2),
            Some(b'\'') => (Some('\''), 2),
            Some(b'\\') => (Some('\\'), 2),
            Some(b'/') => (Some('/'), 2),
            Some(b'u') => (rest.get(2..6).and_then(|digits| number(digits, 16)), 6),
            _ => (None, 1),
        };
        match decoded {
            Some(character) => {
                let mut buffer = [0; 4];
                out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
                rest = &rest[used..];
            }
            None => {
                out.push(b'\\');
                rest = &rest[1..];
            }
        }
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

/// A JSON-lines log record: its time (as written, or an epoch number as
/// RFC 3339) and its message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonRecord {
    pub time: Option<String>,
    pub text: String,
}

/// The fields a JSON logger writes the message in, most common first
/// (logstash/ECS, Go and zap, container runtimes, Serilog, GELF, journald).
const MESSAGE_FIELDS: [&str; 12] = [
    "message",
    "msg",
    "log",
    "@message",
    "@m",
    "MESSAGE",
    "Message",
    "full_message",
    "short_message",
    "text",
    "body",
    "content",
];
/// The fields it writes the time in.
const TIME_FIELDS: [&str; 7] = [
    "@timestamp",
    "timestamp",
    "time",
    "ts",
    "@t",
    "date",
    "datetime",
];

/// The line as a JSON-lines record, when it is one: a JSON object (after
/// white space) with a message field that is a string. A nested record (a
/// container runtime's `{"log":"{\"message\":…}"}`) is read through.
pub(crate) fn json_record(line: &[u8]) -> Option<JsonRecord> {
    let line = line.trim_ascii();
    if !line.starts_with(b"{") || !line.ends_with(b"}") {
        return None;
    }
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(line).ok()?;
    let field = MESSAGE_FIELDS
        .iter()
        .find_map(|name| Some((*name, object.get(*name)?.as_str()?)));
    let message = field.map(|(_, text)| text);
    // The XML in a field of its own (`"msg":"received","body":"<SyncML…"`):
    // read after the message's words, as a logger writing both would. The
    // other fields are looked at first: they are short but for that one.
    let apart = names_syncml(line)
        .then(|| syncml_field(&object, field.map(|(name, _)| name), 2))
        .flatten()
        .filter(|_| !message.is_some_and(holds_syncml));
    let joined;
    let text = match (message, apart) {
        (Some(message), Some(xml)) => {
            joined = format!("{message}\n{xml}");
            joined.as_str()
        }
        (Some(text), None) | (None, Some(text)) => text,
        (None, None) => return None,
    };
    let time = TIME_FIELDS
        .iter()
        .find_map(|name| time_of(object.get(*name)?));
    // A container runtime's record around an application's JSON record.
    if let Some(inner) = json_record(text.as_bytes()) {
        return Some(JsonRecord {
            time: inner.time.or(time),
            text: inner.text,
        });
    }
    Some(JsonRecord {
        time,
        text: text.to_owned(),
    })
}

static SYNCML_NAME: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("SyncML"));

/// `bytes` name SyncML somewhere: one quick look before the fields are.
fn names_syncml(bytes: &[u8]) -> bool {
    SYNCML_NAME.find(bytes).is_some()
}

/// `text` holds the start of a SyncML message, plain (`<SyncML` followed by
/// what may follow it) or escaped as [`find_start`] knows them: a word such
/// as a servlet's name is none.
fn holds_syncml(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most fields (times, levels, loggers) do not name it: one quick look.
    if !names_syncml(bytes) {
        return false;
    }
    let plain = SYNCML_NAME.find_iter(bytes).any(|at| {
        at > 0 && bytes[at - 1] == b'<' && xml::ends_tag_name(bytes.get(at + b"SyncML".len()))
    });
    plain || find_start(bytes).is_some()
}

/// The first string value that holds a SyncML message, in `object` but for the field
/// `read` (already looked at) or in the objects within it down to `depth`.
fn syncml_field<'a>(
    object: &'a serde_json::Map<String, serde_json::Value>,
    read: Option<&str>,
    depth: usize,
) -> Option<&'a str> {
    object
        .iter()
        .filter(|(name, _)| Some(name.as_str()) != read)
        .find_map(|(_, value)| match value {
            serde_json::Value::String(text) if holds_syncml(text) => Some(text.as_str()),
            serde_json::Value::Object(inner) if depth > 1 => syncml_field(inner, None, depth - 1),
            _ => None,
        })
}

/// A time field's value: a string as written, or epoch seconds or
/// milliseconds as RFC 3339 (UTC).
fn time_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => {
            let value = number.as_f64()?;
            // Past 1e11 seconds is the year 5138: such a number counts milliseconds.
            let millis = if value.abs() >= 1e11 {
                value
            } else {
                value * 1000.0
            };
            clock::rfc3339_of_epoch_millis(millis.round() as i64)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: Cow<'_, [u8]>) -> String {
        String::from_utf8(bytes.into_owned()).expect("UTF-8")
    }

    #[test]
    fn references_are_undone() {
        let escaped = b"&lt;SyncML xmlns=&quot;SYNCML:SYNCML1.2&quot;&gt;&#10;&lt;Data&gt;a &amp;amp; b&#x3C;&lt;/Data&gt; &unknown; & x";
        assert_eq!(
            text(unescape(Escaping::References, escaped)),
            "<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n<Data>a &amp; b<</Data> &unknown; & x"
        );
    }

    #[test]
    fn backslashes_are_undone() {
        let escaped = br#"<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n\t<SyncHdr>\u00e9\\x\q\u12"#;
        assert_eq!(
            text(unescape(Escaping::Backslashes, escaped)),
            "<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n\t<SyncHdr>\u{e9}\\x\\q\\u12"
        );
    }

    #[test]
    fn escaped_starts_are_found_and_others_are_not() {
        assert_eq!(
            find_start(b"x: &lt;SyncML xmlns=&quot;a&quot;&gt;"),
            Some((3, Escaping::References))
        );
        assert_eq!(
            find_start(b"&LT;SyncML&GT;"),
            Some((0, Escaping::References))
        );
        assert_eq!(
            find_start(br#""msg":"\u003cSyncML\u003e""#),
            Some((7, Escaping::Backslashes))
        );
        assert_eq!(find_start(b"&lt;SyncMLDoc&gt;"), None);
        assert_eq!(find_start(b"the SyncML log"), None);
        assert!(is_backslashed(
            br#"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr>"#
        ));
        assert!(is_backslashed(br"<SyncML>\n<SyncHdr>"));
        assert!(is_backslashed(
            br#"<SyncML><SyncHdr><VerDTD>1.0</VerDTD><Meta><MaxMsgSize xmlns=\"syncml:metinf\">"#
        ));
        assert!(!is_backslashed(
            br#"<SyncML xmlns="SYNCML:SYNCML1.2"><Data>C:\new</Data>"#
        ));
    }

    #[test]
    fn json_records_give_their_message_and_time() {
        let record = json_record(
            br#" {"@timestamp":"2010-06-28T13:48:20.880Z","level":"DEBUG","message":"Received:\n<SyncML xmlns=\"SYNCML:SYNCML1.2\">"}"#,
        )
        .expect("a record");
        assert_eq!(record.time.as_deref(), Some("2010-06-28T13:48:20.880Z"));
        assert_eq!(
            record.text,
            "Received:\n<SyncML xmlns=\"SYNCML:SYNCML1.2\">"
        );
        let epoch = json_record(br#"{"ts":1277732900.88,"msg":"x"}"#).expect("a record");
        assert_eq!(epoch.time.as_deref(), Some("2010-06-28T13:48:20.880Z"));
        let nested = json_record(
            br#"{"log":"{\"time\":\"2010-06-28 13:48:20,880\",\"message\":\"<SyncML>\"}\n","stream":"stdout","time":"x"}"#,
        )
        .expect("a record");
        assert_eq!(nested.time.as_deref(), Some("2010-06-28 13:48:20,880"));
        assert_eq!(nested.text, "<SyncML>");
        let gelf = json_record(
            br#"{"version":"1.1","timestamp":1277732900.88,"full_message":"<SyncML>"}"#,
        )
        .expect("a GELF record");
        assert_eq!(gelf.time.as_deref(), Some("2010-06-28T13:48:20.880Z"));
        assert_eq!(gelf.text, "<SyncML>");
        // The XML in a field of its own, after the message's words (zap,
        // logrus fields, or nested under one).
        let apart = json_record(
            br#"{"level":"debug","ts":1277732900.88,"msg":"received","body":"<SyncML>"}"#,
        )
        .expect("a record");
        assert_eq!(apart.text, "received\n<SyncML>");
        let nested = json_record(br#"{"time":"x","fields":{"payload":"&lt;SyncML&gt;"}}"#)
            .expect("a record");
        assert_eq!(nested.text, "&lt;SyncML&gt;");
        assert_eq!(
            json_record(br#"{"msg":"received","n":1}"#)
                .expect("a record")
                .text,
            "received"
        );
        // A word is no message: the words name SyncML, the logger too.
        let words = json_record(
            br#"{"logger":"com.x.SyncMLServlet","msg":"SyncML package received","body":"&lt;SyncML&gt;"}"#,
        )
        .expect("a record");
        assert_eq!(words.text, "SyncML package received\n&lt;SyncML&gt;");
        assert_eq!(json_record(br#"{"logger":"SyncMLServlet","n":1}"#), None);
        assert_eq!(json_record(br#"{"payload":"<SyncMLServlet>"}"#), None);
        // Every escaped start the finder reads, whatever the reference's case.
        for xml in [
            r#"&#x3c;SyncML&#x3e;"#,
            r#"&LT;SyncML&GT;"#,
            r#"<SyncML xmlns='x'>"#,
        ] {
            let line = format!(r#"{{"msg":"received","body":"{xml}"}}"#);
            let record = json_record(line.as_bytes()).expect("a record");
            assert_eq!(record.text, format!("received\n{xml}"));
        }
        assert_eq!(json_record(b"{not json}"), None);
        assert_eq!(json_record(br#"{"level":"x"}"#), None);
    }
}
