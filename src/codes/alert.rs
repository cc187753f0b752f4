//! Alert codes: the entry type and the lookups (`1201`, `generic alert`).

use serde::Serialize;

use super::alert_table::ALERT_CODES;
use super::table::{self, Entry};
use crate::error::UsageError;

/// Which protocol an Alert code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// OMA DM (device management): what a DME server sees.
    DeviceManagement,
    /// OMA DS (data synchronisation): listed so that such a code is recognised.
    DataSync,
}

/// One Alert code of the table.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct AlertCode {
    pub code: u16,
    pub name: &'static str,
    pub protocol: Protocol,
    pub description: &'static str,
}

impl Entry for AlertCode {
    fn code(&self) -> u16 {
        self.code
    }
    fn name(&self) -> &'static str {
        self.name
    }
}

/// Alert 1200: the device opens a session the server asked for (package 0).
pub const SERVER_INITIATED: u32 = 1200;

/// Alert 1201: the device opens a session on its own.
pub const CLIENT_INITIATED: u32 = 1201;

/// Alert 1226: a Generic Alert, named by its items' Type.
pub const GENERIC: u32 = 1226;

/// Alert 1200 or 1201: the device opens a session (package 1).
pub fn opens_session(code: u32) -> bool {
    matches!(code, SERVER_INITIATED | CLIENT_INITIATED)
}

/// Every entry of the table, ascending.
pub fn all() -> &'static [AlertCode] {
    ALERT_CODES
}

/// The entry for a code, if it has one.
pub fn get(code: u32) -> Option<&'static AlertCode> {
    table::get(ALERT_CODES, code)
}

/// What the codes are, for error messages.
pub const KNOWN_CODES: &str = "1100–1104, 1200, 1201 and 1222–1226 (OMA DM); \
                               200–210 and 221–223 (OMA DS)";

/// Looks up one query: a code or a name.
pub fn lookup(query: &str) -> Result<&'static AlertCode, UsageError> {
    let query = query.trim();
    if let Ok(code) = query.parse::<u32>() {
        return get(code).ok_or_else(|| {
            UsageError::new(format!("unknown alert code {code}"))
                .with_hint(format!("alert codes are {KNOWN_CODES}"))
        });
    }
    table::by_name(
        ALERT_CODES,
        query,
        "alert code",
        format!("alert codes are {KNOWN_CODES}; `dmtool alert --all` lists them"),
    )
}

/// Looks up every query; all unknown ones are reported together.
pub fn lookup_all<S: AsRef<str>>(queries: &[S]) -> Result<Vec<&'static AlertCode>, UsageError> {
    table::lookup_each(
        queries,
        |query| lookup(query).map(|entry| vec![entry]),
        &format!("alert codes are {KNOWN_CODES}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn dm_alerts_of_the_notes_are_all_there() {
        let dm: Vec<u16> = all()
            .iter()
            .filter(|entry| entry.protocol == Protocol::DeviceManagement)
            .map(|entry| entry.code)
            .collect();
        assert_eq!(
            dm,
            [
                1100, 1101, 1102, 1103, 1104, 1200, 1201, 1222, 1223, 1224, 1225, 1226
            ]
        );
    }

    #[test]
    fn table_is_sorted_and_names_unique() {
        let codes: Vec<u16> = all().iter().map(|entry| entry.code).collect();
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]));
        let names: HashSet<String> = all()
            .iter()
            .map(|e| super::super::name::normalize(e.name))
            .collect();
        assert_eq!(names.len(), all().len());
    }

    #[test]
    fn lookups_round_trip_by_code_and_name() {
        for entry in all() {
            assert_eq!(lookup(&entry.code.to_string()), Ok(entry));
            assert_eq!(lookup(&entry.name.to_lowercase()), Ok(entry));
        }
        assert!(lookup("1999").is_err());
        assert!(lookup("nonsense").is_err());
    }
}
