//! OMA DM code tables and their lookups: status codes (`status`) and Alert codes
//! (`alert`). Pure data and pure functions: nothing here prints, reads the
//! environment or knows about output formats.

pub mod alert;
mod alert_table;
pub mod generic_alert;
mod name;
pub mod status;
mod status_table;
mod table;

pub use alert::{AlertCode, Protocol};
pub use status::{Outcome, StatusClass, StatusCode, StatusRecord};
