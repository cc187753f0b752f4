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

/// What a command prints when it does not print records, and so the formats
/// it takes.
pub(crate) enum Prints {
    /// A report: table (text for people), json or jsonl; not csv or tsv.
    Report,
    /// XML for reading: the table format only.
    Xml,
    /// Text of its own (a script, a man page): no format applies.
    Text,
}

/// Refuses a `--format` the command cannot write, rather than ignoring it:
/// the one way every command says so.
pub(crate) fn check_format(
    output: &crate::output::Output,
    command: &str,
    prints: Prints,
    hint: &str,
) -> anyhow::Result<()> {
    use crate::output::Format;
    let format = output.format();
    let message = match prints {
        Prints::Report if matches!(format, Format::Csv | Format::Tsv) => {
            format!("`{command}` prints a report, not rows")
        }
        Prints::Xml if format != Format::Table => format!(
            "`{command}` prints XML, not records: --format {} does not apply",
            format!("{format:?}").to_lowercase()
        ),
        Prints::Text if format != Format::Table => format!(
            "`{command}` prints text of its own: --format {} does not apply",
            format!("{format:?}").to_lowercase()
        ),
        Prints::Report | Prints::Xml | Prints::Text => return Ok(()),
    };
    Err(crate::error::UsageError::new(message)
        .with_hint(hint)
        .into())
}

/// `--format html` is a page of a report: `log explain` and `device` write
/// one; every other command refuses it.
pub(crate) fn check_html(
    command: &crate::cli::Command,
    format: crate::output::Format,
) -> anyhow::Result<()> {
    use crate::cli::{Command, LogCommand};
    let writes_html = matches!(
        command,
        Command::Device(_) | Command::Log(LogCommand::Explain(_))
    );
    if format != crate::output::Format::Html || writes_html {
        return Ok(());
    }
    Err(crate::error::UsageError::new(
        "--format html is a page of `dmtool log explain` or `dmtool device`".to_owned(),
    )
    .with_hint("use --format table, json, jsonl, csv or tsv here")
    .into())
}
