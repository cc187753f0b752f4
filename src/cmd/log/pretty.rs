//! `dmtool log pretty`: every message found, laid out for reading (or as found,
//! with --raw), under a header line saying where and what it is.

use anyhow::{Context, Result};
use owo_colors::OwoColorize;

use super::read::{Reading, selects};
use crate::cli::PrettyArgs;
use crate::codes::Outcome;
use crate::config::Config;
use std::io::Write;

use crate::output::{Output, Tone, sanitize};
use crate::syncml::pretty::{self, Kind};
use crate::transcript::binary::Notified;
use crate::transcript::finder::Found;
use crate::transcript::source::{Messages, Seen};
use crate::transcript::thread::{Direction, direction_of, ends_of};

pub(super) fn run(args: &PrettyArgs, config: &Config, output: &mut Output) -> Result<()> {
    crate::cmd::text_only(
        output,
        "dmtool log pretty",
        "for the commands as records: dmtool log thread FILE --format jsonl",
    )?;
    let mut reading = Reading::new(config, false);
    let mut messages = Messages::open(&args.inputs.files, true);
    while let Some(seen) = messages.next() {
        match seen {
            Seen::Message(found) => {
                let direction = direction_of(
                    &found.message,
                    found.record.as_ref().map(|r| r.text.as_str()),
                );
                let device = ends_of(&found.message, direction).0.map(|d| d.as_str());
                if wanted(args, found, device) {
                    message(args, found, direction, device, output)?;
                }
            }
            Seen::Notification(notified) => notification(args, notified, output)?,
            other => reading.note(&other),
        }
    }
    reading.finish();
    reading.into_result()
}

fn wanted(args: &PrettyArgs, found: &Found, device: Option<&str>) -> bool {
    let inputs = &args.inputs;
    selects(inputs, found.message.header.session_id.as_deref(), device)
        && (!inputs.errors
            || found.message.all_commands().any(|command| {
                command.name == "Status"
                    && Outcome::of(command.data.as_deref().and_then(|d| d.trim().parse().ok()))
                        == Outcome::Failed
            }))
}

/// A package 0 found in the log: a header line and its fields. It names no
/// device, so --device and --errors leave it out; --raw prints messages only.
fn notification(args: &PrettyArgs, notified: &Notified, output: &mut Output) -> Result<()> {
    let package = &notified.notification;
    let session = package.session_id_in_header();
    let inputs = &args.inputs;
    if args.raw
        || inputs.errors
        || inputs.device.is_some()
        || !selects(inputs, Some(&session), None)
    {
        return Ok(());
    }
    let title = sanitize::for_terminal(&format!(
        "── {}:{} · {} · server → device · package 0 (notification) · session {session}",
        notified.file,
        notified.line,
        notified
            .record
            .as_ref()
            .map_or("no time", |r| r.time.as_str()),
    ))
    .into_owned();
    let body = sanitize::for_terminal(&format!(
        "  server ID {}, DM {}, UI mode {} ({}), initiated by the {}, digest {}",
        package.server_id,
        package.version_text(),
        package.ui_mode,
        package.ui_mode_name(),
        package.initiator_name(),
        crate::syncml::hex::encode(&package.digest),
    ))
    .into_owned();
    let bold = output.decoration().color;
    let out = output.text();
    if bold {
        writeln!(out, "{}\n{body}", title.bold())
    } else {
        writeln!(out, "{title}\n{body}")
    }
    .context("cannot write to stdout")
}

fn message(
    args: &PrettyArgs,
    found: &Found,
    direction: Direction,
    device: Option<&str>,
    output: &mut Output,
) -> Result<()> {
    let color = output.decoration().color;
    // `run` asks the reader to keep every message's XML.
    let xml = found.text.as_deref().unwrap_or_default();
    if args.raw {
        let text = if output.decoration().terminal {
            sanitize::for_terminal(xml)
        } else {
            std::borrow::Cow::Borrowed(xml)
        };
        return writeln!(output.text(), "{text}").context("cannot write to stdout");
    }
    let header = &found.message.header;
    let arrow = match direction {
        Direction::DeviceToServer => "device → server",
        Direction::ServerToDevice => "server → device",
    };
    let title = format!(
        "── {}:{} · {} · {arrow} · {} · session {} · MsgID {}",
        found.file,
        found.line,
        found.record.as_ref().map_or("no time", |r| r.time.as_str()),
        device.unwrap_or("(unknown device)"),
        header.session_id.as_deref().unwrap_or("-"),
        header.msg_id.as_deref().unwrap_or("-"),
    );
    let title = sanitize::for_terminal(&title);
    if color {
        writeln!(output.text(), "{}", title.bold())?;
    } else {
        writeln!(output.text(), "{title}")?;
    }
    // The finder parsed this text already; laying it out cannot fail. The first
    // write error (a closed stdout) is kept and returned.
    let terminal = output.decoration().terminal;
    let out = output.text();
    let mut failed: Option<std::io::Error> = None;
    let _ = pretty::layout(xml, args.decode, &mut |kind, piece| {
        if failed.is_none()
            && let Err(error) = write_piece(out, kind, piece, color, terminal)
        {
            failed = Some(error);
        }
    });
    match failed {
        Some(error) => Err(error).context("cannot write to stdout"),
        None => Ok(()),
    }
}

/// One piece, coloured by its kind when colour is on, escaped on a terminal.
fn write_piece(
    out: &mut dyn Write,
    kind: Kind,
    piece: &str,
    color: bool,
    terminal: bool,
) -> std::io::Result<()> {
    let text = if terminal {
        sanitize::for_terminal(piece)
    } else {
        std::borrow::Cow::Borrowed(piece)
    };
    if !color {
        return out.write_all(text.as_bytes());
    }
    match kind {
        Kind::Tag => write!(out, "{}", text.cyan()),
        Kind::Reference => write!(out, "{}", text.yellow()),
        Kind::Status(class) => match class.map_or(Tone::Pending, crate::cmd::status::class_tone) {
            Tone::Good => write!(out, "{}", text.green().bold()),
            Tone::Bad => write!(out, "{}", text.red().bold()),
            _ => write!(out, "{}", text.yellow().bold()),
        },
        Kind::Alert => write!(out, "{}", text.magenta().bold()),
        Kind::Note => write!(out, "{}", text.dimmed()),
        Kind::Text | Kind::Space => out.write_all(text.as_bytes()),
    }
}
