//! The Alert code table: OMA DM 1.2.1 alerts, and the OMA DS (data sync) ones listed as such.

use super::alert::{AlertCode, Protocol};

/// Every Alert code dmtool knows, in ascending order.
pub(crate) static ALERT_CODES: &[AlertCode] = &[
    AlertCode {
        code: 200,
        name: "TWO_WAY",
        protocol: Protocol::DataSync,
        description: "Two-way sync (OMA DS).",
    },
    AlertCode {
        code: 201,
        name: "SLOW_SYNC",
        protocol: Protocol::DataSync,
        description: "Slow sync (OMA DS): a two-way sync in which all items are compared, e.g. after the sync anchors were lost.",
    },
    AlertCode {
        code: 202,
        name: "ONE_WAY_FROM_CLIENT",
        protocol: Protocol::DataSync,
        description: "One-way sync from client (OMA DS): only the client's changes are sent to the server.",
    },
    AlertCode {
        code: 203,
        name: "REFRESH_FROM_CLIENT",
        protocol: Protocol::DataSync,
        description: "Refresh sync from client (OMA DS): the client sends all its data and the server replaces its copy.",
    },
    AlertCode {
        code: 204,
        name: "ONE_WAY_FROM_SERVER",
        protocol: Protocol::DataSync,
        description: "One-way sync from server (OMA DS): only the server's changes are sent to the client.",
    },
    AlertCode {
        code: 205,
        name: "REFRESH_FROM_SERVER",
        protocol: Protocol::DataSync,
        description: "Refresh sync from server (OMA DS): the server sends all its data and the client replaces its copy.",
    },
    AlertCode {
        code: 206,
        name: "TWO_WAY_BY_SERVER",
        protocol: Protocol::DataSync,
        description: "Two-way sync alerted by the server (OMA DS): the server asks the client to start a two-way sync.",
    },
    AlertCode {
        code: 207,
        name: "ONE_WAY_FROM_CLIENT_BY_SERVER",
        protocol: Protocol::DataSync,
        description: "One-way sync from client, alerted by the server (OMA DS).",
    },
    AlertCode {
        code: 208,
        name: "REFRESH_FROM_CLIENT_BY_SERVER",
        protocol: Protocol::DataSync,
        description: "Refresh sync from client, alerted by the server (OMA DS).",
    },
    AlertCode {
        code: 209,
        name: "ONE_WAY_FROM_SERVER_BY_SERVER",
        protocol: Protocol::DataSync,
        description: "One-way sync from server, alerted by the server (OMA DS).",
    },
    AlertCode {
        code: 210,
        name: "REFRESH_FROM_SERVER_BY_SERVER",
        protocol: Protocol::DataSync,
        description: "Refresh sync from server, alerted by the server (OMA DS).",
    },
    AlertCode {
        code: 221,
        name: "RESULT_ALERT",
        protocol: Protocol::DataSync,
        description: "Result alert (OMA DS): a request for the results of the synchronization.",
    },
    AlertCode {
        code: 222,
        name: "DS_NEXT_MESSAGE",
        protocol: Protocol::DataSync,
        description: "Next message (OMA DS): the sender asks for the next message of a package split over several messages; the DM equivalent is 1222.",
    },
    AlertCode {
        code: 223,
        name: "DS_NO_END_OF_DATA",
        protocol: Protocol::DataSync,
        description: "No end of data (OMA DS): the last chunk of a large object never came; the DM equivalent is 1225.",
    },
    AlertCode {
        code: 1100,
        name: "DISPLAY",
        protocol: Protocol::DeviceManagement,
        description: "Display: the device shows a text to the user, who only acknowledges it (user interaction).",
    },
    AlertCode {
        code: 1101,
        name: "CONFIRM_OR_REJECT",
        protocol: Protocol::DeviceManagement,
        description: "Confirm or reject: the device asks the user yes or no before the commands that follow (e.g. in the same Sequence) are run; 200 means confirmed.",
    },
    AlertCode {
        code: 1102,
        name: "TEXT_INPUT",
        protocol: Protocol::DeviceManagement,
        description: "Text input: the device asks the user to type a text, which comes back in the Item of the Status.",
    },
    AlertCode {
        code: 1103,
        name: "SINGLE_CHOICE",
        protocol: Protocol::DeviceManagement,
        description: "Single choice: the device lets the user pick one of a list; the choice comes back in the Status.",
    },
    AlertCode {
        code: 1104,
        name: "MULTIPLE_CHOICE",
        protocol: Protocol::DeviceManagement,
        description: "Multiple choice: the device lets the user pick several items of a list; the choices come back in the Status.",
    },
    AlertCode {
        code: 1200,
        name: "SERVER_INITIATED_MGMT",
        protocol: Protocol::DeviceManagement,
        description: "Server-initiated management: the device opens this session in answer to a package 0 notification (initiate SMS).",
    },
    AlertCode {
        code: 1201,
        name: "CLIENT_INITIATED_MGMT",
        protocol: Protocol::DeviceManagement,
        description: "Client-initiated management: the device opened this session on its own, e.g. after a bootstrap, a user request or a scheduled check.",
    },
    AlertCode {
        code: 1222,
        name: "NEXT_MESSAGE",
        protocol: Protocol::DeviceManagement,
        description: "Next message: the sender of a package split over several messages asks for the next one.",
    },
    AlertCode {
        code: 1223,
        name: "SESSION_ABORT",
        protocol: Protocol::DeviceManagement,
        description: "Session abort: the sender ends the session at once; commands not yet answered are not executed.",
    },
    AlertCode {
        code: 1224,
        name: "CLIENT_EVENT",
        protocol: Protocol::DeviceManagement,
        description: "Client event: the device reports an event it detected; Meta Type says what kind (e.g. a Windows MDM login status).",
    },
    AlertCode {
        code: 1225,
        name: "NO_END_OF_DATA",
        protocol: Protocol::DeviceManagement,
        description: "No end of data: a large object was sent in chunks and the last chunk never came.",
    },
    AlertCode {
        code: 1226,
        name: "GENERIC_ALERT",
        protocol: Protocol::DeviceManagement,
        description: "Generic alert: the device reports an event or an asynchronous result, e.g. the outcome of an Exec answered with 202; Meta Type/Format say what, Correlator echoes the Exec.",
    },
];
