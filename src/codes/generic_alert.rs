//! Generic Alert (1226) types: what the Type of a Generic Alert's item says,
//! as the OMA management objects (FUMO, SCOMO, LAWMO…) and Windows MDM name
//! them. Pure data: the Type as written → what it reports.

/// What a Generic Alert type reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertType {
    pub kind: &'static str,
    pub meaning: &'static str,
}

/// Known types, matched case-insensitively on the whole type.
const TYPES: &[AlertType] = &[
    AlertType {
        kind: "org.openmobilealliance.dm.firmwareupdate.devicerequest",
        meaning: "the device asks for a firmware update",
    },
    AlertType {
        kind: "org.openmobilealliance.dm.firmwareupdate.userrequest",
        meaning: "the user asked for a firmware update",
    },
    AlertType {
        kind: "org.openmobilealliance.dm.firmwareupdate.download",
        meaning: "the result of a firmware download (FUMO)",
    },
    AlertType {
        kind: "org.openmobilealliance.dm.firmwareupdate.update",
        meaning: "the result of a firmware update (FUMO)",
    },
    AlertType {
        kind: "org.openmobilealliance.dm.firmwareupdate.downloadandupdate",
        meaning: "the result of a firmware download and update (FUMO)",
    },
    AlertType {
        kind: "org.openmobilealliance.dm.devicealert",
        meaning: "an alert the device raised on its own",
    },
    AlertType {
        kind: "urn:oma:at:scomo:1.0:downloadinstall",
        meaning: "the result of a software download and install (SCOMO)",
    },
    AlertType {
        kind: "urn:oma:at:scomo:1.0:downloadinstallinactive",
        meaning: "the result of a software download and install, left inactive (SCOMO)",
    },
    AlertType {
        kind: "urn:oma:at:scomo:1.0:install",
        meaning: "the result of a software install (SCOMO)",
    },
    AlertType {
        kind: "urn:oma:at:scomo:1.0:installinactive",
        meaning: "the result of a software install, left inactive (SCOMO)",
    },
    AlertType {
        kind: "urn:oma:at:scomo:1.0:remove",
        meaning: "the result of a software removal (SCOMO)",
    },
    AlertType {
        kind: "urn:oma:at:scomo:1.0:activate",
        meaning: "the result of a software activation (SCOMO)",
    },
    AlertType {
        kind: "urn:oma:at:scomo:1.0:deactivate",
        meaning: "the result of a software deactivation (SCOMO)",
    },
    AlertType {
        kind: "urn:oma:at:lawmo:1.0:operationcomplete",
        meaning: "the result of a lock or wipe (LAWMO)",
    },
    AlertType {
        kind: "com.microsoft:mdm.unenrollment.userrequest",
        meaning: "the user unenrolled the device from management (Windows)",
    },
    AlertType {
        kind: "com.microsoft/mdm/aadunenrollment.userrequest",
        meaning: "the user removed the work account (Windows)",
    },
    AlertType {
        kind: "com.microsoft.mdm.win32csp_install",
        meaning: "the result of a Win32 app install (Windows)",
    },
    AlertType {
        kind: "com.microsoft:mdm.enterpriseappmanagement.install",
        meaning: "the result of an app install (Windows)",
    },
    AlertType {
        kind: "com.microsoft:mdm.sso.userrequest",
        meaning: "a single sign-on request (Windows)",
    },
];

/// What a Generic Alert of this Type reports, when the type is known.
pub fn get(kind: &str) -> Option<&'static AlertType> {
    let kind = kind.trim();
    TYPES
        .iter()
        .find(|known| known.kind.eq_ignore_ascii_case(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_found_in_any_case_and_around_white_space() {
        assert_eq!(
            get(" com.microsoft:mdm.unenrollment.userrequest").map(|t| t.meaning),
            Some("the user unenrolled the device from management (Windows)")
        );
        assert!(get("org.openmobilealliance.dm.FirmwareUpdate.DeviceRequest").is_some());
        assert!(get("x.y").is_none());
        for known in TYPES {
            assert_eq!(
                known.kind,
                known.kind.to_ascii_lowercase(),
                "{}",
                known.kind
            );
        }
    }
}
