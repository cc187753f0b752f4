//! One module per subcommand. Each takes its parsed arguments and the [`Output`]
//! and returns `Ok(())` or an error; exit codes are decided in `lib.rs`.
//!
//! [`Output`]: crate::output::Output

pub mod alert;
mod binary;
pub mod completions;
mod db;
pub mod device;
mod explain;
pub mod jobs;
pub mod log;
pub mod notification;
mod pretty;
pub mod status;
pub mod wbxml;
