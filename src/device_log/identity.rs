//! Which sessions, server records and bootstraps are a device's: the
//! LocURIs its `dm_devices` row holds and its phone number, compared as a log
//! writes them (an IMEI with or without its check digit, a phone number with
//! or without its country code). Knows device rows and sessions.

use crate::db::model::DeviceRow;
use crate::transcript::thread::{Direction, SessionLog};

/// How a device is named in a log: the LocURIs its `dm_devices` row holds
/// (an IMEI column, or any value shaped like one) and its phone number (a
/// device's `LocName`, and the server's records).
#[derive(Debug, Clone, Default)]
pub(crate) struct Identity {
    /// Lower case, trimmed.
    loc_uris: Vec<String>,
    /// The first, as the database writes it.
    shown: Option<String>,
    phone: Option<String>,
}

impl Identity {
    /// The names of a `dm_devices` row: every column whose value looks like a
    /// device LocURI (`IMEI:…`, `MEID:…`, `ESN:…`, `urn:uuid:…`, or 14 to 17
    /// digits: an IMEI written bare), and `phone_number`.
    pub(crate) fn of(device: &DeviceRow) -> Self {
        let mut loc_uris = Vec::new();
        let mut shown = None;
        for (column, value) in &device.0 {
            let Some(text) = value.as_str() else { continue };
            if column == "phone_number" {
                continue;
            }
            if let Some(uri) = loc_uri_of(text) {
                loc_uris.push(uri);
                shown.get_or_insert_with(|| text.trim().to_owned());
            }
        }
        let phone = device
            .get("phone_number")
            .and_then(|value| match value {
                serde_json::Value::String(text) => Some(text.trim().to_owned()),
                serde_json::Value::Number(number) => Some(number.to_string()),
                _ => None,
            })
            .filter(|phone| !phone.is_empty());
        Self {
            loc_uris,
            shown,
            phone,
        }
    }

    /// The text a server record about the device holds: its phone number
    /// (DME names the phone it sends a bootstrap or a package 0 to); without
    /// one, the digits of its LocURIs.
    pub(crate) fn names(&self) -> Vec<String> {
        if let Some(phone) = &self.phone {
            return vec![phone.clone()];
        }
        let mut names: Vec<String> = Vec::new();
        for uri in &self.loc_uris {
            let digits = uri.rsplit(':').next().unwrap_or(uri);
            if digits.len() >= 8 && !names.iter().any(|name| name == digits) {
                names.push(digits.to_owned());
            }
        }
        names
    }

    /// The LocURI to give `dmtool log explain --device`, if the row has one.
    pub(crate) fn loc_uri(&self) -> Option<&str> {
        self.shown.as_deref()
    }

    /// Whether a session is this device's: its LocURI is one of the row's
    /// (an IMEI with or without its check digit), or a message of the device
    /// names the phone number as its `LocName`.
    pub(crate) fn owns(&self, log: &SessionLog) -> bool {
        if let Some(device) = &log.device
            && let Some(uri) = loc_uri_of(device)
            && self.loc_uris.iter().any(|own| same_device(own, &uri))
        {
            return true;
        }
        let Some(phone) = &self.phone else {
            return false;
        };
        log.messages.iter().any(|message| {
            message.direction == Direction::DeviceToServer
                && message
                    .source_name
                    .as_deref()
                    .is_some_and(|name| same_phone(name, phone))
        })
    }

    /// Whether a server record names the device.
    pub(super) fn named_in(&self, text: &str) -> bool {
        self.names().iter().any(|name| text.contains(name.as_str()))
    }
}

/// A value as a device LocURI, lower case, when it is shaped like one.
fn loc_uri_of(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    const SCHEMES: [&str; 5] = ["imei:", "meid:", "esn:", "urn:uuid:", "imsi:"];
    if SCHEMES.iter().any(|scheme| lower.starts_with(scheme)) && lower.len() > 8 {
        return Some(lower);
    }
    if (14..=17).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("imei:{text}"));
    }
    None
}

/// Two phone numbers are one: the same digits, or one ends with the other's
/// (at least 7 digits) — a country code written or not (`+4530116718`,
/// `004530116718`, `30116718`).
fn same_phone(a: &str, b: &str) -> bool {
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let (a, b) = (digits(a), digits(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (long, short) = if a.len() >= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    long == short || (short.len() >= 7 && long.ends_with(short.as_str()))
}

/// Two LocURIs name one device: equal, or IMEIs whose first 14 digits (the
/// number without its check digit or software version) are.
fn same_device(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (a.strip_prefix("imei:"), b.strip_prefix("imei:")) {
        (Some(a), Some(b)) if a.len() >= 14 && b.len() >= 14 => a[..14] == b[..14],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_named_by_its_imei_with_or_without_the_check_digit() {
        assert_eq!(
            loc_uri_of("IMEI:356938035643809").as_deref(),
            Some("imei:356938035643809")
        );
        assert_eq!(
            loc_uri_of("356938035643809").as_deref(),
            Some("imei:356938035643809")
        );
        assert_eq!(loc_uri_of("Nokia E71"), None);
        assert!(same_device("imei:356938035643809", "imei:35693803564380"));
        assert!(!same_device("imei:356938035643809", "imei:356938035111111"));
    }

    #[test]
    fn a_phone_number_is_the_same_with_or_without_its_country_code() {
        assert!(same_phone("+4530116718", "30116718"));
        assert!(same_phone("0045 30 11 67 18", "+4530116718"));
        assert!(!same_phone("30116719", "30116718"));
        assert!(!same_phone("718", "30116718"));
    }
}
