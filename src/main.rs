//! The `dmtool` binary: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: reading a log allocates and
/// frees small strings by the million, on two threads (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = dmtool::cli::Cli::parse();
    match dmtool::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => dmtool::report(&error),
    }
}
