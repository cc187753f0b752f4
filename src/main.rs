//! The `dmtool` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dmtool::cli::Cli::parse();
    match dmtool::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => dmtool::report(&error),
    }
}
