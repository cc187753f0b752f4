//! `dmtool log`: the dispatcher of its subcommands, one file each (`pretty`,
//! `thread`, `explain`), and what they share (`read`). Each subcommand is a
//! loop over what `transcript::source` yields.

mod explain;
mod pretty;
pub(super) mod read;
mod thread;

use anyhow::Result;

use crate::cli::LogCommand;
use crate::config::Config;
use crate::output::Output;

pub(crate) fn run(command: &LogCommand, config: &Config, output: &mut Output) -> Result<()> {
    let inputs = match command {
        LogCommand::Pretty(args) => &args.inputs,
        LogCommand::Thread(args) => &args.inputs,
        LogCommand::Explain(args) => &args.inputs,
    };
    // Stdin may be a live log: what is found goes out as it is found.
    if read::reads_stdin(inputs) {
        output.line_by_line();
    }
    match command {
        LogCommand::Pretty(args) => pretty::run(args, config, output),
        LogCommand::Thread(args) => thread::run(args, config, output),
        LogCommand::Explain(args) => explain::run(args, config, output),
    }
}
