//! One module per subcommand. Each takes its parsed arguments and the [`Output`]
//! and returns `Ok(())` or an error; exit codes are decided in `lib.rs`.
//!
//! [`Output`]: crate::output::Output

pub mod alert;
pub mod completions;
pub mod status;
