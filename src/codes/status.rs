//! Status codes: the entry type, classes, and the lookups a user can type
//! (`404`, `4xx`, `not found`, `0x87D101F4`, `-2016345595`).

use serde::Serialize;

use super::name;
use super::status_table::STATUS_CODES;
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
    let code = u16::try_from(code).ok()?;
    STATUS_CODES
        .binary_search_by_key(&code, |entry| entry.code)
        .ok()
        .map(|index| &STATUS_CODES[index])
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
        return by_name(query).map(|entry| vec![entry.record()]);
    }
    Err(UsageError::new(format!("'{query}' is not a status code"))
        .with_hint(format!("status codes are {KNOWN_CODES}")))
}

/// Looks up every query; all unknown ones are reported together.
pub fn lookup_all<S: AsRef<str>>(queries: &[S]) -> Result<Vec<StatusRecord>, UsageError> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for query in queries {
        match lookup(query.as_ref()) {
            Ok(records) => found.extend(records),
            Err(error) => errors.push(error),
        }
    }
    match errors.len() {
        0 => Ok(found),
        1 => Err(errors.remove(0)),
        _ => {
            let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
            Err(UsageError::new(messages.join("; "))
                .with_hint(format!("status codes are {KNOWN_CODES}")))
        }
    }
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
        // Windows prints HRESULTs as signed 32-bit numbers: keep the bits.
        query.parse::<i32>().ok()?.cast_unsigned()
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

fn by_name(query: &str) -> Result<&'static StatusCode, UsageError> {
    let wanted = name::normalize(query);
    let exact = STATUS_CODES.iter().find(|entry| {
        name::normalize(entry.name) == wanted
            || entry
                .aliases
                .iter()
                .any(|alias| name::normalize(alias) == wanted)
    });
    exact.ok_or_else(|| {
        let close = name::suggestions(query, STATUS_CODES.iter().map(|entry| entry.name));
        let error = UsageError::new(format!("no status code is named '{query}'"));
        if close.is_empty() {
            error.with_hint(format!(
                "give a code, a class (4xx), a name (not_found) or a Windows form \
                 (0x87D101F4); status codes are {KNOWN_CODES}; `dmtool status --all` lists them"
            ))
        } else {
            error.with_hint(format!("did you mean {}?", close.join(", ")))
        }
    })
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
    fn application_specific_codes_are_not_unknown() {
        let found = lookup("1250").map(|r| r[0].class);
        assert_eq!(found, Ok(StatusClass::ApplicationSpecific));
    }

    #[test]
    fn unknown_codes_are_errors() {
        for query in ["999", "515", "abc", "0x87D10203", "", "-5"] {
            assert!(lookup(query).is_err(), "{query}");
        }
    }
}
