//! dmtool: troubleshooting OMA DM (SyncML DM) device management on a DME server.
//!
//! The crate is a library with a thin binary. [`run`] takes the parsed command
//! line and does the work; [`report`] turns an error into a message on stderr and
//! an exit code. Modules:
//!
//! - `cli`: the clap definition (plain data); `config`: decisions taken once
//!   from the command line, environment and terminal;
//! - `cmd`: one module per subcommand;
//! - `codes`: the status and Alert code tables;
//! - `db`: the DME job database; `explore`: what an explore job reveals;
//!   `device_report`: what the database says about one phone;
//! - `syncml`: the message model and parser; `transcript`: finding and
//!   threading messages in logs;
//! - `output`: formats, the stdout writer, colours and sanitizing;
//! - `error`: exit codes and the error types that choose them.

pub mod bootstrap;
pub mod cli;
pub(crate) mod cmd;
pub mod codes;
pub(crate) mod config;
pub mod db;
pub(crate) mod device_log;
pub(crate) mod device_report;
pub(crate) mod diag;
pub mod error;
pub mod explore;
pub(crate) mod html;
pub(crate) mod output;
pub mod syncml;
pub mod transcript;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config::{Config, Environment};
use crate::output::Output;

/// Runs one command line to the end; the error, if any, is for [`report`].
pub fn run(cli: Cli) -> Result<()> {
    db::quiet_driver_panics();
    let config = Config::resolve(
        &cli.global,
        (cli.format(), cli.verbose()),
        &Environment::detect(),
    );
    if cli.global.quiet {
        diag::be_quiet();
    }
    let stdout = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut output = Output::new(Box::new(stdout), config.format, config.decoration);
    match &cli.command {
        Command::Jobs(args) => cmd::jobs::run(args, &config, &mut output)?,
        Command::Device(args) => cmd::device::run(args, &config, &mut output)?,
        Command::Db(cli::DbCommand::Check(args)) => cmd::db_check::run(args, &config, &mut output)?,
        Command::Log(command) => cmd::log::run(command, &config, &mut output)?,
        Command::Wbxml(command) => cmd::wbxml::run(command, &mut output)?,
        Command::Notification(args) => cmd::notification::run(args, &mut output)?,
        Command::Bootstrap(args) => cmd::bootstrap::run(args, &mut output)?,
        Command::Status(args) => cmd::status::run(args, &mut output)?,
        Command::Alert(args) => cmd::alert::run(args, &mut output)?,
        Command::Completions(args) => cmd::completions::run_completions(args.shell, &mut output)?,
        Command::Man => cmd::completions::run_man(&mut output)?,
    }
    output.flush()
}

/// Prints an error (`error: …` with its causes, then a hint if it has one) and
/// returns the exit code it calls for. A closed stdout prints nothing and is a
/// success.
pub fn report(error: &anyhow::Error) -> ExitCode {
    if !error::is_broken_pipe(error) {
        let mut stderr = std::io::stderr().lock();
        // Nothing sensible is left to do if stderr itself is gone.
        // An error names files, values and servers' messages: escaped.
        let text = format!("{error:#}");
        let _ = writeln!(stderr, "error: {}", output::sanitize::for_terminal(&text));
        if let Some(hint) = error::hint_of(error) {
            let _ = writeln!(stderr, "  hint: {}", output::sanitize::for_terminal(hint));
        }
    }
    error::exit_code_of(error)
}
