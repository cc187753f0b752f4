//! One module per subcommand. Each takes its parsed arguments and the [`Output`]
//! and returns `Ok(())` or an error; exit codes are decided in `lib.rs`.
//!
//! [`Output`]: crate::output::Output

pub mod alert;
mod binary;
pub mod completions;
mod db;
pub mod device;
pub mod jobs;
pub mod log;
pub mod notification;
pub mod status;
pub mod wbxml;

/// Commands that print text for reading (XML) rather than records refuse a
/// record format instead of ignoring it.
pub(crate) fn text_only(
    output: &crate::output::Output,
    command: &str,
    hint: &str,
) -> anyhow::Result<()> {
    let format = output.format();
    if format == crate::output::Format::Table {
        return Ok(());
    }
    Err(crate::error::UsageError::new(format!(
        "`{command}` prints XML, not records: --format {} does not apply",
        format!("{format:?}").to_lowercase()
    ))
    .with_hint(hint)
    .into())
}
