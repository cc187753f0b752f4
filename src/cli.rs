//! The command line, as clap derive structs: plain data whose doc comments are the
//! `--help` text. Nothing here decides anything; see `config.rs` for that. The
//! only environment variable read here is `DMTOOL_DB`, by clap, as `--db`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (an empty result is a success too)
  1  run-time error (a file, the database, stdout)
  2  usage error (a wrong option, or a value that names nothing, e.g. an unknown code)
  3  findings: `dmtool log explain --strict` found errors in the log, or
     `dmtool notification` was given a password and the digest does not match";

/// Troubleshoot OMA DM device management on a DME server.
///
/// dmtool reads the DME job database (the troubleshooting guide's query, one
/// phone at a glance), reads the server's DM XML log (sessions threaded and
/// explained in plain words), and decodes OMA DM status and Alert codes.
#[derive(Debug, Parser)]
#[command(name = "dmtool", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// When to colour the table view: auto colours when stdout is a terminal,
    /// NO_COLOR is unset and TERM is not "dumb"; always colours whatever
    /// NO_COLOR says. json/jsonl/csv/tsv are never coloured.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,

    /// Say nothing on stderr but errors: no notes, no warnings.
    #[arg(long, short = 'q', global = true)]
    pub(crate) quiet: bool,
}

/// `--format` of the commands that print rows.
#[derive(Debug, Args)]
pub(crate) struct RowsOutput {
    /// How to print the rows: a table for people; json, jsonl, csv or tsv
    /// for programs.
    #[arg(long, short = 'f', value_enum, default_value_t = Rows::Table, value_name = "FORMAT")]
    pub(crate) format: Rows,
}

/// The formats of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Rows {
    Table,
    Json,
    Jsonl,
    Csv,
    Tsv,
}

/// `--format` of the commands that print a report.
#[derive(Debug, Args)]
pub(crate) struct ReportOutput {
    /// How to print the report: text for people, or json (jsonl: one
    /// record a line). For rows to a spreadsheet, see the commands that
    /// print rows (`dmtool jobs`, `dmtool log thread`).
    #[arg(long, short = 'f', value_enum, default_value_t = Report::Table, value_name = "FORMAT")]
    pub(crate) format: Report,
}

/// The formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Report {
    Table,
    Json,
    Jsonl,
}

/// `--format` of the reports that are also a page.
#[derive(Debug, Args)]
pub(crate) struct PageOutput {
    /// How to print the report: text for people, json (jsonl: one record a
    /// line), or html (one self-contained page). For rows to a spreadsheet,
    /// see `dmtool jobs` and `dmtool log thread`.
    #[arg(long, short = 'f', value_enum, default_value_t = Page::Table, value_name = "FORMAT")]
    pub(crate) format: Page,
}

/// The formats of a report that is also a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Page {
    Table,
    Json,
    Jsonl,
    Html,
}

impl From<Rows> for Format {
    fn from(rows: Rows) -> Self {
        match rows {
            Rows::Table => Format::Table,
            Rows::Json => Format::Json,
            Rows::Jsonl => Format::Jsonl,
            Rows::Csv => Format::Csv,
            Rows::Tsv => Format::Tsv,
        }
    }
}

impl From<Report> for Format {
    fn from(report: Report) -> Self {
        match report {
            Report::Table => Format::Table,
            Report::Json => Format::Json,
            Report::Jsonl => Format::Jsonl,
        }
    }
}

impl From<Page> for Format {
    fn from(page: Page) -> Self {
        match page {
            Page::Table => Format::Table,
            Page::Json => Format::Json,
            Page::Jsonl => Format::Jsonl,
            Page::Html => Format::Html,
        }
    }
}

/// `-v` of the commands that have something to report: what they connect to
/// and read, and how long it takes.
#[derive(Debug, Args)]
pub(crate) struct Verbosity {
    /// Report on stderr what is connected to or read and how long it takes
    /// (never a password).
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
}

impl Cli {
    /// The format the command's `--format` asks for (table where it has none).
    pub(crate) fn format(&self) -> Format {
        match &self.command {
            Command::Jobs(args) => args.output.format.into(),
            Command::Device(args) => args.output.format.into(),
            Command::Db(DbCommand::Check(args)) => args.output.format.into(),
            Command::Log(LogCommand::Thread(args)) => args.output.format.into(),
            Command::Log(LogCommand::Explain(args)) => args.output.format.into(),
            Command::Notification(args) => args.output.format.into(),
            Command::Bootstrap(args) => args.output.format.into(),
            Command::Status(args) => args.output.format.into(),
            Command::Alert(args) => args.output.format.into(),
            Command::Log(LogCommand::Pretty(_))
            | Command::Wbxml(_)
            | Command::Completions(_)
            | Command::Man => Format::Table,
        }
    }

    /// Whether `-v` was given (to the commands that take it).
    pub(crate) fn verbose(&self) -> bool {
        match &self.command {
            Command::Jobs(args) => args.db.verbosity.verbose,
            Command::Device(args) => args.db.verbosity.verbose,
            Command::Db(DbCommand::Check(args)) => args.db.verbosity.verbose,
            Command::Log(LogCommand::Thread(args)) => args.inputs.verbosity.verbose,
            Command::Log(LogCommand::Explain(args)) => args.inputs.verbosity.verbose,
            Command::Log(LogCommand::Pretty(args)) => args.inputs.verbosity.verbose,
            _ => false,
        }
    }
}

/// Where the job database is and how to reach it.
#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    #[command(flatten)]
    pub(crate) verbosity: Verbosity,

    /// The DME job database: mysql://user[:password]@host[:port]/database
    /// (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only),
    /// or demo (the built-in demo database).
    #[arg(long, env = "DMTOOL_DB", value_name = "URL", hide_env_values = true)]
    pub(crate) db: Option<String>,

    /// Read the MySQL password from this file (its first line). Without it and
    /// without a password in the URL, dmtool asks for one on a terminal when the
    /// server wants one.
    #[arg(long, value_name = "FILE")]
    pub(crate) password_file: Option<std::path::PathBuf>,

    /// Seconds to wait for the MySQL server to answer before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub(crate) connect_timeout: f64,

    /// Seconds a query may run before it is stopped (MariaDB
    /// max_statement_time, MySQL max_execution_time, SQLite interrupted);
    /// 0 for no limit.
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
    pub(crate) query_timeout: f64,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Jobs(JobsArgs),
    Device(DeviceArgs),
    /// Check the job database: the guide's tables, indexes, plans, the account.
    #[command(subcommand)]
    Db(DbCommand),
    #[command(subcommand)]
    Log(LogCommand),
    #[command(subcommand)]
    Wbxml(WbxmlCommand),
    Notification(NotificationArgs),
    Bootstrap(BootstrapArgs),
    Status(StatusArgs),
    Alert(AlertArgs),
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `dmtool man > dmtool.1`.
    Man,
}

/// List the operations of DM jobs: the troubleshooting guide's query.
///
/// One row per operation (job, task, command, status, target node and its
/// data), oldest job first, like the guide's SQL. Filters are optional and
/// combine with AND; repeat --phone, --device-pk, --job and --status for a
/// list (the --status values and --failed combine with OR). The database is
/// only read: dmtool cannot write to it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool jobs --db demo --phone 30116718
  dmtool jobs --db demo --phone 30449933 --failed
  dmtool jobs --db demo --since 2010-06-29 --until 2010-06-30T12:00 --status 4xx --status 500
  dmtool jobs --db demo --job 8EBB50BF6AB97B3008770FACCE244678 --format csv > job.csv
  dmtool jobs --db demo --since 30d            # the last 30 days (UTC): today, yesterday, 12h too
  dmtool jobs --phone 30116718 --show-sql      # the SQL, to paste into a MySQL client

--db may be left out when DMTOOL_DB names the database.")]
pub(crate) struct JobsArgs {
    #[command(flatten)]
    pub(crate) output: RowsOutput,

    #[command(flatten)]
    pub(crate) db: DbArgs,

    /// Only this phone number (d.phoneNumber).
    #[arg(long, value_name = "NUMBER")]
    pub(crate) phone: Vec<String>,

    /// Only this device (d.devicePK).
    #[arg(long, value_name = "PK")]
    pub(crate) device_pk: Vec<i64>,

    /// Only the device with this IMEI (d.imei, as the log's LocURI names it:
    /// IMEI:356938035643809 or the digits alone). Needs an imei column.
    #[arg(long, value_name = "IMEI")]
    pub(crate) imei: Vec<String>,

    /// Only jobs created at or after this time: 2010-02-05 or
    /// 2010-02-05T13:00:00; or today, yesterday, a time ago (2d, 12h, 30m,
    /// 1w), counted in UTC.
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,

    /// Only jobs created at or before this time; a date alone (or today,
    /// yesterday) means the end of that day.
    #[arg(long, value_name = "DATE")]
    pub(crate) until: Option<String>,

    /// Only this job (j.jobID).
    #[arg(long = "job", value_name = "ID")]
    pub(crate) jobs: Vec<String>,

    /// Only operations with this status: a code (404), a class (4xx), a name
    /// (not_found) or "none" for operations never answered.
    #[arg(long = "status", value_name = "CODE")]
    pub(crate) statuses: Vec<String>,

    /// Only failed operations (status 300 or more).
    #[arg(long)]
    pub(crate) failed: bool,

    /// At most this many rows.
    #[arg(long, value_name = "N")]
    pub(crate) limit: Option<u64>,

    /// Print the SQL, values inlined and quoted for pasting into a MySQL
    /// client, instead of running it. (dmtool itself always binds values.)
    #[arg(long)]
    pub(crate) show_sql: bool,

    /// Show the data of secret nodes (AAuthSecret, AAuthData, ServerPW, …
    /// password, nonce): "(hidden)" otherwise, in every format.
    #[arg(long)]
    pub(crate) show_secrets: bool,
}

/// What a DBA needs to know of a job database before dmtool runs on it.
#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    Check(DbCheckArgs),
}

/// Check the job database: the guide's tables and columns found or missing,
/// row counts, the indexes the guide's query and the device report need, the
/// plan the database makes for them (EXPLAIN: a full scan is named), the
/// CREATE INDEX statements for what is missing, the server's version, and
/// whether the account can write. Reads only.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool db check --db demo
  dmtool db check --db demo --format json

--db may be left out when DMTOOL_DB names the database. The output is a
report: --format table, json or jsonl.")]
pub(crate) struct DbCheckArgs {
    #[command(flatten)]
    pub(crate) output: ReportOutput,

    #[command(flatten)]
    pub(crate) db: DbArgs,
}

/// One screen about one phone: its devices, their jobs, the platform the
/// latest explore job found and why, and every failed or unanswered operation.
/// With --log, the phone end to end: its sessions in the log, each job
/// operation beside the command that carried it, the chain of events and
/// where it broke.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool device --db demo 30116718
  dmtool device --db demo --device-pk 33 --format json
  dmtool device --db demo 30116718 --log testdata/dme-server.log

Probe 404s of an explore job are expected (they show which platforms the phone
is not) and are not listed as problems. The output is a report: --format
table, json, jsonl (one device per line) or html (a page, with --log the
sessions drawn); use `dmtool jobs` for rows.

With --log, a session is the device's when its LocURI is one of the device's
(an IMEI column, or any column holding a value shaped like a LocURI) or its
LocName is the phone number; the server's own records naming the phone
(\"Sent OMA bootstrap to …\", \"Sending notification to …:\") tie packages 0
and bootstraps to it. The database's clock and the log's may differ by up to
10 minutes.")]
pub(crate) struct DeviceArgs {
    #[command(flatten)]
    pub(crate) output: PageOutput,

    #[command(flatten)]
    pub(crate) db: DbArgs,

    /// The phone number (d.phoneNumber).
    #[arg(value_name = "PHONE", required_unless_present_any = ["device_pk", "imei"])]
    pub(crate) phone: Option<String>,

    /// The device key (d.devicePK) instead of a phone number.
    #[arg(long, value_name = "PK", conflicts_with_all = ["phone", "imei"])]
    pub(crate) device_pk: Option<i64>,

    /// The device's IMEI (d.imei) instead: IMEI:356938035643809, as the log's
    /// LocURI names it, or the digits alone. Needs an imei column.
    #[arg(long, value_name = "IMEI", conflicts_with = "phone")]
    pub(crate) imei: Option<String>,

    /// The server's message log (several: rotated files, in any order; gzip
    /// read as such): line the device's jobs up with its sessions.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub(crate) log: Vec<String>,

    #[command(flatten)]
    pub(crate) sessions: SessionArgs,
}

/// Read the SyncML DM messages in server and client logs.
///
/// The messages are found in any text: DME's LogUtil log (log4j), other
/// servers' and clients' logs, files of raw XML; `-` is stdin and gzip is read
/// as such. A session is a SessionID of one device. Broken messages are
/// reported on stderr with their file and line; the rest is still read.
#[derive(Debug, Subcommand)]
pub(crate) enum LogCommand {
    Pretty(PrettyArgs),
    Thread(ThreadArgs),
    Explain(ExplainArgs),
}

/// The inputs and filters every `dmtool log` command takes.
#[derive(Debug, Args)]
pub(crate) struct LogInputs {
    #[command(flatten)]
    pub(crate) verbosity: Verbosity,

    /// The files to read, in this order (`-` for stdin).
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<String>,

    /// Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B).
    #[arg(long, value_name = "ID")]
    pub(crate) session: Option<String>,

    /// Only devices whose LocURI contains this text (any case).
    #[arg(long, value_name = "LOCURI")]
    pub(crate) device: Option<String>,

    /// Only what the log wrote at or after this time: 2010-06-28,
    /// 2010-06-28T13:48, a time copied from the log (2010-06-28
    /// 13:48:21,412; a zone such as Z or +02:00 is applied), or today,
    /// yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its
    /// messages does).
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,

    /// Only what the log wrote at or before this time; a date alone means
    /// the end of that day.
    #[arg(long, value_name = "DATE")]
    pub(crate) until: Option<String>,

    /// Only what went wrong: failed (status 300 or more) or unanswered
    /// commands; for explain, sessions with errors or warnings.
    #[arg(long)]
    pub(crate) errors: bool,
}

/// Print each message indented, with a header line (file:line, time,
/// direction, session, MsgID) and status and Alert codes annotated.
///
/// On a terminal, tags, references and status codes are coloured (status codes
/// by class). With --errors, only messages that carry a failing status.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool log pretty testdata/dme-server.log --device IMEI:356938035643809 | less -R
  dmtool log pretty testdata/dme-server.log --decode
  dmtool log pretty testdata/dme-server.log --session 1A2B --raw > session.xml

(The examples read the repository's test log; give your server's log, e.g. server.log*.)")]
pub(crate) struct PrettyArgs {
    #[command(flatten)]
    pub(crate) inputs: LogInputs,

    /// Print only each message's XML as it was found, nothing added.
    #[arg(long, conflicts_with = "decode")]
    pub(crate) raw: bool,

    /// Show base64 data decoded (when it is text) and escaped XML in <Data> as elements.
    #[arg(long)]
    pub(crate) decode: bool,
}

/// Match every command with its answer: one row per command, grouped by session.
///
/// Each command (MsgID, CmdID) gets the Status and Results that point at it
/// (MsgRef, CmdRef) from the other side of the same session; each message
/// header gets the Status with CmdRef 0. Atomic and Sequence children are rows
/// of their own.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool log thread testdata/dme-server.log
  dmtool log thread testdata/journeys/lost-exec.log testdata/dme-server.log --device IMEI:3569 --errors
  dmtool log thread testdata/dme-server.log --format jsonl | grep '\"status\":4'

(The examples read the repository's test logs; give your server's log, e.g.
server.log.1.gz server.log: rotated files are put in order.)")]
pub(crate) struct ThreadArgs {
    #[command(flatten)]
    pub(crate) output: RowsOutput,

    #[command(flatten)]
    pub(crate) inputs: LogInputs,

    #[command(flatten)]
    pub(crate) sessions: SessionArgs,
}

/// When a session that never ended is reported anyway.
#[derive(Debug, Args)]
pub(crate) struct SessionArgs {
    /// A session with no message for this long, in the log's own time, ends
    /// as lost once later records show the log went on: seconds, or with a
    /// unit (90s, 5m, 1h); 0 never ends one this way.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration_ms)]
    pub(crate) session_timeout: u64,
}

impl SessionArgs {
    /// The threader's limits these arguments ask for.
    pub(crate) fn limits(&self) -> crate::transcript::thread::Limits {
        crate::transcript::thread::Limits {
            timeout_ms: (self.session_timeout > 0)
                .then(|| self.session_timeout.min(i64::MAX as u64) as i64),
            ..Default::default()
        }
    }
}

/// `300`, `300s`, `5m`, `1h`, `1500ms` as milliseconds.
fn parse_duration_ms(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write seconds (300) or 90s, 5m, 1h"))?;
    let scale = match unit.trim() {
        "ms" => 1,
        "" | "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use ms, s, m or h"
            ));
        }
    };
    number
        .checked_mul(scale)
        .ok_or_else(|| format!("`{text}` is too long a duration"))
}

/// Explain each session in plain words: the device, how it authenticated, what
/// was asked and answered, and first what went wrong, with hints.
///
/// Findings: failed commands, commands or headers that never got a Status, a
/// lost connection, repeated authentication failures, Alerts 1222/1223/1225,
/// large-object chunks, Statuses that point at no command, duplicate CmdIDs,
/// and the platform an explore sequence reveals. A summary line ends the
/// report. The exit code is 0 whenever the input was read, whatever it shows;
/// with --strict it is 3 when a session has an error or a message is broken.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool log explain testdata/dme-server.log
  dmtool log explain testdata/dme-server.log --device IMEI:356938035643809
  dmtool log explain testdata/dme-server.log --errors --format json
  dmtool log explain testdata/journeys/*.log --format html > report.html

(The examples read the repository's test logs; give your server's log, e.g.
server.log*. To check credentials: --client-password-file FILE.)")]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub(crate) output: PageOutput,

    #[command(flatten)]
    pub(crate) inputs: LogInputs,

    #[command(flatten)]
    pub(crate) sessions: SessionArgs,

    /// Exit with 3 when a session has an error finding or a message is broken.
    #[arg(long)]
    pub(crate) strict: bool,

    /// Check every Cred the devices sent (syncml:auth-basic, syncml:auth-md5)
    /// against this password, read from the file's first line: wrong
    /// password, or a nonce the device did not keep, is said per session.
    #[arg(long, value_name = "FILE")]
    pub(crate) client_password_file: Option<std::path::PathBuf>,

    /// The user name of the devices' MD5 credentials, when the SyncHdr
    /// carries no Source LocName.
    #[arg(long, value_name = "NAME", requires = "client_password_file")]
    pub(crate) client_user: Option<String>,

    /// Check every Cred the server sent against this password (the DM
    /// account's server password), read from the file's first line.
    #[arg(long, value_name = "FILE", requires = "server_id")]
    pub(crate) server_password_file: Option<std::path::PathBuf>,

    /// The server ID, the user of the server's credentials.
    #[arg(long, value_name = "ID", requires = "server_password_file")]
    pub(crate) server_id: Option<String>,
}

/// Binary SyncML (WBXML, `application/vnd.syncml.dm+wbxml`), as most phones
/// of the DME era sent it.
///
/// The `dmtool log` commands read WBXML too: WBXML files, and WBXML written in
/// a log as hex or base64.
#[derive(Debug, Subcommand)]
pub(crate) enum WbxmlCommand {
    Decode(WbxmlDecodeArgs),
}

/// Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf
/// and DM DDF, DevInf nested in OPAQUE data decoded in place.
///
/// A file may hold several documents one after the other; each is printed.
/// Hex input (`03 A4 01 6A …`, `03a4016a…`) is recognised when the input is not
/// WBXML itself; --hex insists on it. A malformed document is an error naming
/// the byte offset of the fault.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool wbxml decode testdata/wbxml/dme-server.wbxml
  dmtool wbxml decode testdata/wbxml/dme-server.wbxml --compact > message.xml
  echo '02 A4 01 6A 00 6D 6C 71 03 31 2E 32 00 01 01 01' | dmtool wbxml decode - --hex")]
pub(crate) struct WbxmlDecodeArgs {
    /// The WBXML file, or `-` for stdin.
    #[arg(value_name = "FILE")]
    pub(crate) input: String,

    /// The input is hex text, not binary.
    #[arg(long)]
    pub(crate) hex: bool,

    /// Print each document's XML on one line, as decoded, instead of indented.
    #[arg(long)]
    pub(crate) compact: bool,
}

/// Decode an OMA DM 1.2 package 0: the notification (SMS / WAP push) that asks
/// a device to open a session.
///
/// Shows the digest, protocol version, UI mode, initiator, session ID (also as
/// the SyncHdr of the session that answers will write it), server ID and the
/// vendor bytes. With the server's password and nonce it checks the digest,
/// H(B64(H(server-id:password)):nonce:B64(H(trigger))).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool notification 'C894AC66A014A3350748388CDB21DEA2 0328000000 1A2B 03 646D65'
  dmtool notification 'C894AC66A014A3350748388CDB21DEA2 0328000000 1A2B 03 646D65' --format json

A package 0 saved to a file is read as well (dmtool notification
package0.bin). With the server's password (--password-file FILE, or
--server-password) and the nonce (--nonce), the digest is checked.")]
pub(crate) struct NotificationArgs {
    #[command(flatten)]
    pub(crate) output: RowsOutput,

    /// A file holding the package (binary, or hex text), hex on the command
    /// line, or `-` for stdin.
    #[arg(value_name = "FILE|HEX")]
    pub(crate) input: String,

    /// The server's password, to check the digest (visible to other users in
    /// the process list: prefer --password-file).
    #[arg(long, value_name = "PASSWORD", conflicts_with = "password_file")]
    pub(crate) server_password: Option<String>,

    /// Read the server's password from this file (its first line).
    #[arg(long, value_name = "FILE")]
    pub(crate) password_file: Option<std::path::PathBuf>,

    /// The server nonce the digest was made with, as text.
    #[arg(long, value_name = "NONCE", conflicts_with = "nonce_hex")]
    pub(crate) nonce: Option<String>,

    /// The server nonce as hex bytes.
    #[arg(long, value_name = "HEX")]
    pub(crate) nonce_hex: Option<String>,
}

/// Decode a bootstrap (the OTA message that creates the DM account on a
/// phone) and check its MAC.
///
/// Reads SMS user data with its UDH (concatenated parts joined: give each
/// part, or a file with one hex part a line), a WSP push PDU, or a bare WBXML
/// document: an OMA Client Provisioning document (PROV 1.0/1.1) or a DM 1.2
/// bootstrap (SyncML DM WBXML adding ./DMAcc, or ./SyncML/DMAcc of DM
/// 1.1.2). Shows the DM accounts it creates and what is wrong with them. The
/// MAC (HMAC-SHA1) is checked with the key the SEC parameter names: NETWPIN
/// from --imsi, USERPIN from --pin, USERNETWPIN from both, USERPINMAC from the
/// PIN with its check digits. Exit 3 when a MAC was checked and does not match.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool bootstrap testdata/bootstrap/dme-push.bin --pin 1234
  dmtool bootstrap testdata/bootstrap/dme-push.bin --xml
  dmtool bootstrap testdata/bootstrap/dme-push.bin --format json --show-secrets

The input is a file, - for stdin, or hex on the command line: an SMS hex
dump with its UDH, a push PDU or a bare document; several SMS parts are
joined. --imsi checks a NETWPIN MAC, --pin a USERPIN one, both USERNETWPIN.")]
pub(crate) struct BootstrapArgs {
    #[command(flatten)]
    pub(crate) output: ReportOutput,

    /// Files (binary, or hex text: one SMS part a line), hex on the command
    /// line, or `-` for stdin; several for the parts of a concatenated SMS.
    #[arg(value_name = "FILE|HEX", required = true)]
    pub(crate) inputs: Vec<String>,

    /// The SIM's IMSI, for a NETWPIN or USERNETWPIN MAC.
    #[arg(long, value_name = "IMSI")]
    pub(crate) imsi: Option<String>,

    /// The PIN the user was given, for a USERPIN, USERNETWPIN or USERPINMAC MAC
    /// (visible in the process list: prefer --pin-file).
    #[arg(long, value_name = "PIN", conflicts_with = "pin_file")]
    pub(crate) pin: Option<String>,

    /// Read the PIN from this file (its first line).
    #[arg(long, value_name = "FILE")]
    pub(crate) pin_file: Option<std::path::PathBuf>,

    /// Show the accounts' secrets (hidden otherwise).
    #[arg(long)]
    pub(crate) show_secrets: bool,

    /// Print the document as XML.
    #[arg(long)]
    pub(crate) xml: bool,
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
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) output: RowsOutput,

    /// The codes, classes or names to look up.
    #[arg(
        required_unless_present = "all",
        value_name = "CODE",
        allow_negative_numbers = true
    )]
    pub(crate) codes: Vec<String>,

    /// List every status code.
    #[arg(long, conflicts_with = "codes")]
    pub(crate) all: bool,
}

/// Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session
/// start, 1222–1226); OMA DS sync Alerts are recognised and marked as such.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  dmtool alert 1201
  dmtool alert 1222 1223
  dmtool alert \"generic alert\"
  dmtool alert --all")]
pub(crate) struct AlertArgs {
    #[command(flatten)]
    pub(crate) output: RowsOutput,

    /// The codes or names to look up.
    #[arg(required_unless_present = "all", value_name = "CODE")]
    pub(crate) codes: Vec<String>,

    /// List every Alert code.
    #[arg(long, conflicts_with = "codes")]
    pub(crate) all: bool,
}

/// Print a shell completion script.
///
/// For example: dmtool completions bash > ~/.local/share/bash-completion/completions/dmtool
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub(crate) shell: Shell,
}
