//! `dmtool log pretty`: every message found, laid out for reading (or as found,
//! with --raw), under a header line saying where and what it is.

use anyhow::{Context, Result};

use super::read::{Filter, Reading, check_inputs, in_log_order};
use crate::cli::PrettyArgs;
use crate::codes::Outcome;
use crate::config::Config;
use crate::output::{Output, Style, Tone};
use crate::syncml::pretty::{self, Kind};
use crate::transcript::embedded::FoundNotification;
use crate::transcript::finder::Found;
use crate::transcript::source::{Messages, Seen};
use crate::transcript::thread::{Direction, direction_of, ends_of};

pub(super) fn run(args: &PrettyArgs, config: &Config, output: &mut Output) -> Result<()> {
    let filter = Filter::of(&args.inputs)?;
    let files = check_inputs(&args.inputs.files)?;
    let mut reading = Reading::new(config, false);
    let mut messages = Messages::open(&in_log_order(&files), true);
    let mut found_messages = 0u64;
    while let Some(seen) = messages.next() {
        match seen {
            // A broken message is reported as such; what was salvaged of it
            // is for threading, not to be shown as if it were written so.
            Seen::Message(found) if found.salvaged => {}
            Seen::Message(found) => {
                found_messages += 1;
                let direction = direction_of(
                    &found.message,
                    found.record.as_ref().map(|r| r.text.as_str()),
                );
                let device = ends_of(&found.message, direction).0.map(|d| d.as_str());
                if wanted(args, &filter, found, device) {
                    message(args, found, direction, device, output)?;
                }
            }
            Seen::Notification(notified) => notification(args, &filter, notified, output)?,
            other => reading.note(&other),
        }
    }
    reading.finish();
    reading.count_messages(found_messages);
    reading.into_result()
}

fn wanted(args: &PrettyArgs, filter: &Filter, found: &Found, device: Option<&str>) -> bool {
    let inputs = &args.inputs;
    filter.selects(found.message.header.session_id.as_deref(), device)
        && filter.time(found.record.as_ref().map(|record| record.time.as_str()))
        && (!inputs.errors
            || found.message.all_commands().any(|command| {
                command.name == "Status" && Outcome::of(command.code()) == Outcome::Failed
            }))
}

/// A package 0 found in the log: a header line and its fields. It names no
/// device, so --device and --errors leave it out; --raw prints messages only.
fn notification(
    args: &PrettyArgs,
    filter: &Filter,
    notified: &FoundNotification,
    output: &mut Output,
) -> Result<()> {
    let package = &notified.notification;
    let session = package.session_id_in_header();
    let inputs = &args.inputs;
    if args.raw
        || inputs.errors
        || filter.names_device()
        || !filter.selects(Some(&session), None)
        || !filter.time(notified.record.as_ref().map(|record| record.time.as_str()))
    {
        return Ok(());
    }
    let title = format!(
        "── {}:{} · {} · server → device · package 0 (notification) · session {session}",
        notified.file,
        notified.line,
        notified
            .record
            .as_ref()
            .map_or("no time", |r| r.time.as_str()),
    );
    output.line(&title, Style::Heading)?;
    let body = format!(
        "  server ID {}, DM {}, UI mode {} ({}), initiated by the {}, digest {}",
        package.server_id,
        package.version_text(),
        package.ui_mode,
        package.ui_mode_name(),
        package.initiator_name(),
        crate::syncml::hex::encode(&package.digest),
    );
    output.line(&body, Style::Plain)
}

fn message(
    args: &PrettyArgs,
    found: &Found,
    direction: Direction,
    device: Option<&str>,
    output: &mut Output,
) -> Result<()> {
    // `run` asks the reader to keep every message's XML.
    let xml = found.text.as_deref().unwrap_or_default();
    if args.raw {
        return output.xml_line(xml);
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
    output.line(&title, Style::Heading)?;
    // The finder parsed this text already; laying it out cannot fail. The first
    // write error (a closed stdout) is kept and returned.
    let mut failed: Option<std::io::Error> = None;
    let _ = pretty::layout(xml, args.decode, &mut |kind, piece| {
        if failed.is_none()
            && let Err(error) = output.xml_piece(piece, style_of(kind))
        {
            failed = Some(error);
        }
    });
    match failed {
        Some(error) => Err(error).context("cannot write to stdout"),
        None => Ok(()),
    }
}

/// How a piece of a laid-out message looks: tags cyan, references yellow,
/// status codes bold in their class's colour (yellow but for success and
/// failure), Alert codes bold magenta, notes dimmed.
fn style_of(kind: Kind) -> Style {
    match kind {
        Kind::Tag => Style::Tone(Tone::Info),
        Kind::Reference => Style::Tone(Tone::Pending),
        Kind::Status(class) => match class.map(Tone::of_class) {
            Some(tone @ (Tone::Good | Tone::Bad)) => Style::Strong(tone),
            _ => Style::Strong(Tone::Pending),
        },
        Kind::Alert => Style::Strong(Tone::Notice),
        Kind::Note => Style::Dim,
        Kind::Text | Kind::Space => Style::Plain,
    }
}
