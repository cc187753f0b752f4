//! The command line, as clap derive structs: plain data whose doc comments are the
//! `--help` text. Nothing here reads the environment or decides anything; see
//! `config.rs` for that.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (an empty result is a success too)
  1  run-time error (a file, the database, stdout)
  2  usage error (a wrong option, or a value that names nothing, e.g. an unknown code)";

/// Troubleshoot OMA DM device management on a DME server.
///
/// dmtool decodes OMA DM (SyncML DM) status and Alert codes, and is growing
/// commands to read the DME job database and the server's DM XML log.
#[derive(Debug, Parser)]
#[command(name = "dmtool", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// How to print records.
    #[arg(long, short = 'f', value_enum, global = true, default_value_t = Format::Table)]
    pub format: Format,

    /// When to colour the table view: auto colours when stdout is a terminal,
    /// NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never
    /// coloured.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Status(StatusArgs),
    Alert(AlertArgs),
    Completions(CompletionsArgs),
    Man,
}

/// Decode OMA DM status codes: meaning, class, what it means in a DM session
/// and what to check.
///
/// A code is a number (404), a class (4xx), a name in any case and with any
/// separators (not_found, "not found"), or a Windows/Intune form (0x87D101F4, or
/// the same as a negative decimal, -2016345595). Codes 1000–1999 are
/// application-specific and reported as such.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool status 404
  dmtool status 401 407 212
  dmtool status 4xx
  dmtool status \"invalid credentials\"
  dmtool status 0x87D101F4
  dmtool status --all --format csv")]
pub struct StatusArgs {
    /// The codes, classes or names to look up.
    #[arg(required_unless_present = "all", value_name = "CODE", allow_negative_numbers = true)]
    pub codes: Vec<String>,

    /// List every status code.
    #[arg(long, conflicts_with = "codes")]
    pub all: bool,
}

/// Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session
/// start, 1222–1226); OMA DS sync Alerts are recognised and marked as such.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool alert 1201
  dmtool alert 1222 1223
  dmtool alert \"generic alert\"
  dmtool alert --all")]
pub struct AlertArgs {
    /// The codes or names to look up.
    #[arg(required_unless_present = "all", value_name = "CODE")]
    pub codes: Vec<String>,

    /// List every Alert code.
    #[arg(long, conflicts_with = "codes")]
    pub all: bool,
}

/// Print a shell completion script.
///
/// For example: dmtool completions bash > ~/.local/share/bash-completion/completions/dmtool
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}
