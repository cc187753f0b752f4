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

/// The roff man page: one page with every subcommand and its options, then
/// the environment, exit status, files and examples (no page it names is
/// missing: there is only this one).
pub(crate) fn man_page() -> Result<Vec<u8>> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let rendered = (|| -> std::io::Result<()> {
        man.render_title(&mut page)?;
        man.render_name_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
        page.extend_from_slice(b".SH COMMANDS\n");
        for (path, sub) in subcommands(&command, "dmtool") {
            render_subcommand(&mut page, &path, sub)?;
        }
        page.extend_from_slice(STATIC_SECTIONS.as_bytes());
        Ok(())
    })();
    rendered.context("cannot render the man page")?;
    Ok(page)
}

/// Every subcommand that does something, depth first, with its full name.
fn subcommands<'c>(command: &'c clap::Command, prefix: &str) -> Vec<(String, &'c clap::Command)> {
    let mut found = Vec::new();
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        let path = format!("{prefix} {}", sub.get_name());
        if sub.has_subcommands() {
            found.extend(subcommands(sub, &path));
        } else {
            found.push((path, sub));
        }
    }
    found
}

/// One subcommand: its synopsis, what it does, its options and examples.
fn render_subcommand(page: &mut Vec<u8>, path: &str, sub: &clap::Command) -> std::io::Result<()> {
    let sub = sub.clone().bin_name(path.to_owned());
    let man = clap_mangen::Man::new(sub.clone());
    page.extend_from_slice(format!(".SS \"{path}\"\n").as_bytes());
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    man.render_description_section(&mut part)?;
    man.render_options_section(&mut part)?;
    // The parts' own headings become paragraphs under the subcommand's.
    let text = String::from_utf8_lossy(&part)
        .replace(".SH SYNOPSIS\n", ".PP\n")
        .replace(".SH DESCRIPTION\n", ".PP\n")
        .replace(".SH OPTIONS\n", ".PP\nOptions:\n");
    page.extend_from_slice(text.as_bytes());
    if let Some(after) = sub.get_after_long_help().or(sub.get_after_help()) {
        page.extend_from_slice(b".PP\n.nf\n");
        page.extend_from_slice(roff_text(&after.to_string()).as_bytes());
        page.extend_from_slice(b"\n.fi\n");
    }
    Ok(())
}

/// Text as roff reads it literally: backslashes doubled, a line starting
/// with `.` or `'` guarded.
fn roff_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.replace('\\', "\\e");
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}")
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What every page of a command line tool tells besides its options.
const STATIC_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBDMTOOL_DB\fR
The job database when \fB\-\-db\fR is not given (errors name it as coming from DMTOOL_DB).
.TP
\fBNO_COLOR\fR
Set and not empty: no colour with \fB\-\-color auto\fR (\fB\-\-color always\fR still colours).
.TP
\fBTERM\fR
\fBdumb\fR: no colour with \fB\-\-color auto\fR, no progress line.
.TP
\fBCOLUMNS\fR
The terminal's width for tables (else the terminal is asked).
.TP
\fBMYSQL_PWD\fR
The MySQL password when the URL, \fB\-\-password\-file\fR and \fI~/.my.cnf\fR give none.
.SH EXIT STATUS
.TP
\fB0\fR
Success; an empty result is a success too.
.TP
\fB1\fR
Run-time error: the database (unreachable, refused the login, lacks a table), a file, stdout; a phone no device has.
.TP
\fB2\fR
Usage error: a wrong option, a value that names nothing, a bad date or \fB\-\-db\fR, no database given, a \fB\-\-format\fR the command cannot write.
.TP
\fB3\fR
Findings: \fBlog explain \-\-strict\fR met an error finding or a broken message; a notification digest or a bootstrap MAC that does not match.
.SH FILES
.TP
\fIserver.log\fR, \fIserver.log.1.gz\fR, ...
The DM server's message log (DME: LogUtil at DEBUG level): any text holding SyncML, escaped, as JSON lines, rotated (put in order), gzip; \fB\-\fR is stdin.
.TP
\fI~/.my.cnf\fR
The MySQL client's settings: its [client] group gives user, password, host, port and ssl\-ca where \fB\-\-db\fR leaves them open.
.TP
\fIdme.db\fR
A SQLite copy of the DME job database, opened read-only and immutable.
.SH EXAMPLES
.nf
dmtool jobs \-\-db demo \-\-phone 30116718
dmtool device \-\-db demo 30116718 \-\-log testdata/dme-server.log
dmtool log explain server.log* \-\-format html > report.html
dmtool status 404
dmtool bootstrap push.bin \-\-pin 1234
.fi
"#;

pub(crate) fn run_completions(shell: Shell, output: &mut Output) -> Result<()> {
    output
        .text()
        .write_all(&script(shell))
        .context("cannot write to stdout")
}

pub(crate) fn run_man(output: &mut Output) -> Result<()> {
    output
        .text()
        .write_all(&man_page()?)
        .context("cannot write to stdout")
}
