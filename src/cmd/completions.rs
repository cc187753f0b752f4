//! `dmtool completions SHELL` and `dmtool man`: generated from the clap
//! definition. Both render into memory first, because clap_complete and
//! clap_mangen panic when their writer fails (a closed pipe).

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output::Output;

/// The completion script for one shell.
pub(crate) fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "dmtool", &mut buffer);
    buffer
}

/// The roff man page.
pub(crate) fn man_page() -> Result<Vec<u8>> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buffer)
        .context("cannot render the man page")?;
    Ok(buffer)
}

pub(crate) fn run_completions(shell: Shell, output: &mut Output) -> Result<()> {
    super::check_format(
        output,
        "dmtool completions",
        super::Prints::Text,
        "a completion script is text for the shell: leave --format out",
    )?;
    output
        .text()
        .write_all(&script(shell))
        .context("cannot write to stdout")
}

pub(crate) fn run_man(output: &mut Output) -> Result<()> {
    super::check_format(
        output,
        "dmtool man",
        super::Prints::Text,
        "the man page is roff: leave --format out",
    )?;
    output
        .text()
        .write_all(&man_page()?)
        .context("cannot write to stdout")
}
