//! One module per subcommand. Each takes its parsed arguments and the [`Output`]
//! and returns `Ok(())` or an error; exit codes are decided in `lib.rs`.
//!
//! [`Output`]: crate::output::Output

pub(crate) mod alert;
pub(crate) mod bootstrap;
mod byte_input;
pub(crate) mod completions;
mod db;
pub(crate) mod db_check;
pub(crate) mod device;
pub(crate) mod jobs;
pub(crate) mod log;
pub(crate) mod notification;
pub(crate) mod status;
pub(crate) mod wbxml;
