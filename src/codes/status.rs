//! Status codes: the entry type, classes, and the lookups a user can type
//! (`404`, `4xx`, `not found`, `0x87D101F4`, `-2016345595`).

use serde::Serialize;

use super::name;
use super::status_table::STATUS_CODES;
use super::table::{self, Entry};
use crate::error::UsageError;

/// One status code of the table.
#[derive(Debug)]
pub struct StatusCode {
    pub code: u16,
    /// The DME server's constant, e.g. `NOT_FOUND`.
    pub name: &'static str,
    /// Other spellings accepted by the name lookup.
    pub aliases: &'static [&'static str],
    /// The spec's meaning.
    pub description: &'static str,
    /// What it means in a DM session, where that differs.
    pub dm_meaning: Option<&'static str>,
    /// What a DME administrator should check.
    pub hint: Option<&'static str>,
}

/// The class of a status code, from its hundreds (and 1000–1999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusClass {
    Informational,
    Success,
    Redirection,
    OriginatorException,
    RecipientException,
    ApplicationSpecific,
}

impl StatusClass {
    /// The class of any number, or `None` when no class holds it.
    pub fn of(code: u32) -> Option<Self> {
        Some(match code {
            100..=199 => Self::Informational,
            200..=299 => Self::Success,
            300..=399 => Self::Redirection,
            400..=499 => Self::OriginatorException,
            500..=599 => Self::RecipientException,
            1000..=1999 => Self::ApplicationSpecific,
            _ => return None,
        })
    }

    /// The snake_case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Informational => "informational",
            Self::Success => "success",
            Self::Redirection => "redirection",
            Self::OriginatorException => "originator_exception",
            Self::RecipientException => "recipient_exception",
            Self::ApplicationSpecific => "application_specific",
        }
    }
}

/// How an operation ended, from its status (`None`: no answer yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 2xx.
    Ok,
    /// 1xx: in progress, a final status is still to come.
    InProgress,
    /// No status at all.
    Unanswered,
    /// Anything else: 3xx and up, and numbers that are no status code.
    Failed,
}

impl Outcome {
    pub fn of(status: Option<u32>) -> Self {
        match status.map(StatusClass::of) {
            None => Self::Unanswered,
            Some(Some(StatusClass::Success)) => Self::Ok,
            Some(Some(StatusClass::Informational)) => Self::InProgress,
            Some(_) => Self::Failed,
        }
    }
}

/// A status code as dmtool reports it: a table entry, or an application-specific code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusRecord {
    pub code: u32,
    pub name: &'static str,
    pub description: &'static str,
    pub class: StatusClass,
    pub dm_meaning: Option<&'static str>,
    pub hint: Option<&'static str>,
}

impl Entry for StatusCode {
    fn code(&self) -> u16 {
        self.code
    }
    fn name(&self) -> &'static str {
        self.name
    }
    fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }
}

impl StatusCode {
    pub fn class(&self) -> StatusClass {
        StatusClass::of(u32::from(self.code)).unwrap_or(StatusClass::ApplicationSpecific)
    }

    pub fn record(&self) -> StatusRecord {
        StatusRecord {
            code: u32::from(self.code),
            name: self.name,
            description: self.description,
            class: self.class(),
            dm_meaning: self.dm_meaning,
            hint: self.hint,
        }
    }
}

/// Every entry of the table, ascending.
pub fn all() -> &'static [StatusCode] {
    STATUS_CODES
}

/// The table entry for a code, if it has one.
pub fn get(code: u32) -> Option<&'static StatusCode> {
    table::get(STATUS_CODES, code)
}

/// The record for a code: its table entry, or the application-specific record for
/// 1000–1999. `None` for a number that is no status code.
pub fn describe(code: u32) -> Option<StatusRecord> {
    match get(code) {
        Some(entry) => Some(entry.record()),
        None if StatusClass::of(code) == Some(StatusClass::ApplicationSpecific) => {
            Some(application_specific(code))
        }
        None => None,
    }
}

/// The decoded name of a status code (`None` when it is no status code).
/// 401 or 407: the credentials are missing or wrong, and the answer carries
/// a challenge (Chal) saying what to send.
pub fn is_challenge(code: u32) -> bool {
    matches!(code, 401 | 407)
}

pub fn name_of(code: u32) -> Option<&'static str> {
    describe(code).map(|record| record.name)
}

fn application_specific(code: u32) -> StatusRecord {
    StatusRecord {
        code,
        name: "APPLICATION_SPECIFIC",
        description: "Application-specific code (1000–1999): defined by the software that \
                      sent it, not by OMA DM, e.g. an Exec result in a Generic Alert 1226.",
        class: StatusClass::ApplicationSpecific,
        dm_meaning: None,
        hint: Some(
            "Look the code up in the documentation of the software on the device that ran \
             the command (the DME client or the phone's installer).",
        ),
    }
}

/// A hint that holds for a status only on some commands or outside an explore
/// job; checked before the table's own hint.
struct ContextHint {
    code: u32,
    /// The command it applies to (`None`: any).
    command: Option<&'static str>,
    /// Whether it applies in an explore job (`None`: either).
    explore: Option<bool>,
    hint: &'static str,
}

static CONTEXT_HINTS: &[ContextHint] = &[
    ContextHint {
        code: 404,
        command: None,
        explore: Some(true),
        hint: "Expected in an explore job: this platform's tree is not on the device.",
    },
    ContextHint {
        code: 404,
        command: None,
        explore: Some(false),
        hint: "The node is not on the device: check the target URI, and that the software \
               it belongs to is installed.",
    },
    ContextHint {
        code: 500,
        command: Some("Exec"),
        explore: None,
        hint: "The install (or other action) failed on the device: check free space, the \
               package's signature and that it suits this model; see the device's \
               installation log.",
    },
    ContextHint {
        code: 500,
        command: None,
        explore: None,
        hint: "The device could not carry out the command: check the node's value, format \
               and type against what its DM tree expects.",
    },
    ContextHint {
        code: 401,
        command: Some("Exec"),
        explore: None,
        hint: "The server the device downloads from refused its credentials: check the \
               download URL and the DME download service's access rules.",
    },
];

/// The hint for a status on a command, in or outside an explore job.
pub fn hint_for(code: u32, command: Option<&str>, in_explore_job: bool) -> Option<&'static str> {
    CONTEXT_HINTS
        .iter()
        .find(|rule| {
            rule.code == code
                && rule
                    .command
                    .is_none_or(|c| command.is_some_and(|given| given.eq_ignore_ascii_case(c)))
                && rule.explore.is_none_or(|e| e == in_explore_job)
        })
        .map(|rule| rule.hint)
        .or_else(|| describe(code).and_then(|record| record.hint))
}

/// What the codes are, for error messages.
pub const KNOWN_CODES: &str =
    "101, 200–216, 300–305, 400–428, 500–514, 516 and 517 (1000–1999 are application-specific)";

/// The offset Windows and Intune add to a SyncML status (`0x87D1xxxx`).
const WINDOWS_FACILITY: u32 = 0x87D1_0000;

/// Looks up one query: a code, a class (`4xx`), a name, a Windows form.
pub fn lookup(query: &str) -> Result<Vec<StatusRecord>, UsageError> {
    let query = query.trim();
    if let Some(class) = parse_class(query) {
        return Ok(class_members(class));
    }
    if let Some(number) = parse_number(query) {
        return describe(number)
            .map(|record| vec![record])
            .ok_or_else(|| unknown_code(query, number));
    }
    if name::looks_like_name(query) {
        let hint = format!(
            "give a code, a class (4xx), a name (not_found) or a Windows form \
             (0x87D101F4); status codes are {KNOWN_CODES}; `dmtool status --all` lists them"
        );
        return table::by_name(STATUS_CODES, query, "status code", hint)
            .map(|entry| vec![entry.record()]);
    }
    Err(UsageError::new(format!("'{query}' is not a status code"))
        .with_hint(format!("status codes are {KNOWN_CODES}")))
}

/// Looks up every query; all unknown ones are reported together.
pub fn lookup_all<S: AsRef<str>>(queries: &[S]) -> Result<Vec<StatusRecord>, UsageError> {
    table::lookup_each(queries, lookup, &format!("status codes are {KNOWN_CODES}"))
}

/// `4xx`, `4XX`: the class of the hundreds digit.
pub fn parse_class(query: &str) -> Option<u8> {
    let lower = query.to_ascii_lowercase();
    let digit = lower.strip_suffix("xx")?;
    match digit.as_bytes() {
        [d @ b'1'..=b'5'] => Some(d - b'0'),
        _ => None,
    }
}

fn class_members(hundreds: u8) -> Vec<StatusRecord> {
    STATUS_CODES
        .iter()
        .filter(|entry| entry.code / 100 == u16::from(hundreds))
        .map(StatusCode::record)
        .collect()
}

/// A decimal or hex number, reduced to the SyncML code when it is in the
/// Windows form (`0x87D1xxxx`, or that value as a negative 32-bit decimal).
fn parse_number(query: &str) -> Option<u32> {
    let raw: u32 = if let Some(hex) = query
        .strip_prefix("0x")
        .or_else(|| query.strip_prefix("0X"))
    {
        u32::from_str_radix(hex, 16).ok()?
    } else if query.starts_with('-') {
        // Windows prints HRESULTs as signed 32-bit numbers: keep the bits. Any
        // other negative number is no status code.
        let bits = query.parse::<i32>().ok()?.cast_unsigned();
        if bits & 0xFFFF_0000 != WINDOWS_FACILITY {
            return None;
        }
        bits
    } else {
        query.parse::<u32>().ok()?
    };
    if raw & 0xFFFF_0000 == WINDOWS_FACILITY {
        Some(raw & 0xFFFF)
    } else {
        Some(raw)
    }
}

fn unknown_code(query: &str, number: u32) -> UsageError {
    let shown = if query == number.to_string() {
        format!("unknown status code {number}")
    } else {
        format!("unknown status code {number} (from '{query}')")
    };
    UsageError::new(shown).with_hint(format!(
        "status codes are {KNOWN_CODES}; `dmtool status --all` lists them"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn expected_codes() -> Vec<u16> {
        let mut codes = vec![101];
        codes.extend(200..=216);
        codes.extend(300..=305);
        codes.extend(400..=428);
        codes.extend(500..=514);
        codes.extend([516, 517]);
        codes
    }

    #[test]
    fn table_holds_exactly_the_guides_codes_in_order() {
        let codes: Vec<u16> = all().iter().map(|entry| entry.code).collect();
        assert_eq!(codes, expected_codes());
        assert!(get(515).is_none());
    }

    #[test]
    fn names_and_aliases_are_unique_after_normalizing() {
        let mut seen = HashSet::new();
        for entry in all() {
            for name in std::iter::once(&entry.name).chain(entry.aliases) {
                assert!(
                    seen.insert(name::normalize(name)),
                    "{name} of {} is not unique",
                    entry.code
                );
            }
        }
    }

    #[test]
    fn names_are_upper_snake_case_and_texts_are_filled() {
        for entry in all() {
            assert!(
                entry
                    .name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{}",
                entry.name
            );
            assert!(!entry.description.is_empty(), "{}", entry.code);
            assert!(entry.dm_meaning.is_none_or(|t| !t.is_empty()));
            assert!(entry.hint.is_none_or(|t| !t.is_empty()));
        }
    }

    #[test]
    fn every_code_round_trips_by_number_name_hex_and_negative_decimal() {
        for entry in all() {
            let code = u32::from(entry.code);
            let windows = WINDOWS_FACILITY + code;
            let forms = [
                code.to_string(),
                entry.name.to_string(),
                entry.name.to_lowercase().replace('_', " "),
                format!("0x{windows:08X}"),
                format!("0x{windows:08x}"),
                windows.cast_signed().to_string(),
            ];
            for form in forms {
                let found = lookup(&form).unwrap_or_else(|e| panic!("{form}: {e}"));
                assert_eq!(found, vec![entry.record()], "{form}");
            }
        }
    }

    #[test]
    fn the_notes_windows_examples_decode() {
        assert_eq!(lookup("0x87D101F4").map(|r| r[0].code), Ok(500));
        assert_eq!(lookup("-2016345595").map(|r| r[0].code), Ok(517));
    }

    #[test]
    fn truncated_guide_names_are_completed() {
        assert_eq!(name_of(202), Some("ACCEPTED_FOR_PROCESSING"));
        assert_eq!(name_of(404), Some("NOT_FOUND"));
        assert_eq!(name_of(401), Some("INVALID_CREDENTIALS"));
        assert_eq!(name_of(516), Some("ATOMIC_ROLLBACK_FAILED"));
    }

    #[test]
    fn classes_list_their_members() {
        let four = lookup("4xx").map(|r| r.len());
        assert_eq!(four, Ok(29));
        assert_eq!(lookup("5XX").map(|r| r.len()), Ok(17));
        assert!(lookup("6xx").is_err());
    }

    #[test]
    fn hints_depend_on_the_command_and_the_job() {
        let in_install = hint_for(404, Some("Get"), false).unwrap_or_default();
        let in_explore = hint_for(404, Some("Get"), true).unwrap_or_default();
        assert!(in_explore.contains("Expected"));
        assert!(!in_install.contains("explore"));
        assert!(hint_for(500, Some("Exec"), false).is_some_and(|h| h.contains("install")));
        assert!(hint_for(500, Some("Replace"), false).is_some_and(|h| !h.contains("install")));
        assert_eq!(
            hint_for(420, Some("Add"), false),
            get(420).and_then(|e| e.hint)
        );
    }

    #[test]
    fn outcomes_follow_the_class() {
        assert_eq!(Outcome::of(None), Outcome::Unanswered);
        assert_eq!(Outcome::of(Some(101)), Outcome::InProgress);
        assert_eq!(Outcome::of(Some(212)), Outcome::Ok);
        assert_eq!(Outcome::of(Some(404)), Outcome::Failed);
        assert_eq!(Outcome::of(Some(999)), Outcome::Failed);
    }

    #[test]
    fn application_specific_codes_are_not_unknown() {
        let found = lookup("1250").map(|r| r[0].class);
        assert_eq!(found, Ok(StatusClass::ApplicationSpecific));
    }

    #[test]
    fn unknown_codes_are_errors() {
        for query in ["999", "515", "abc", "0x87D10203", "", "-5", "-404"] {
            assert!(lookup(query).is_err(), "{query}");
        }
    }
}
