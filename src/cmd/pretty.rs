//! `dmtool log pretty`: every message found, laid out for reading (or as found,
//! with --raw), under a header line saying where and what it is.

use anyhow::{Context, Result};
use owo_colors::OwoColorize;

use super::log::each_message;
use crate::cli::PrettyArgs;
use crate::codes::Outcome;
use crate::config::Config;
use crate::output::{Output, sanitize};
use crate::syncml::pretty::{self, Kind, Span};
use crate::transcript::finder::Found;
use crate::transcript::thread::{Direction, direction_of};

pub fn run(args: &PrettyArgs, config: &Config, output: &mut Output) -> Result<()> {
    let reading = each_message(&args.inputs.files, config, false, &mut |found| {
        if wanted(args, found) {
            message(args, found, output)?;
        }
        Ok(())
    })?;
    reading.into_result()
}

/// The device's LocURI: the side of the header that is not the server's URL.
fn device_of(found: &Found, direction: Direction) -> Option<&str> {
    let header = &found.message.header;
    match direction {
        Direction::DeviceToServer => header.source.as_deref(),
        Direction::ServerToDevice => header.target.as_deref(),
    }
}

fn wanted(args: &PrettyArgs, found: &Found) -> bool {
    let inputs = &args.inputs;
    let direction = direction_of(
        &found.message,
        found.record.as_ref().map(|r| r.text.as_str()),
    );
    let header = &found.message.header;
    inputs
        .session
        .as_deref()
        .is_none_or(|id| header.session_id.as_deref() == Some(id))
        && inputs
            .device
            .as_deref()
            .is_none_or(|device| device_of(found, direction).is_some_and(|d| d.contains(device)))
        && (!inputs.errors
            || found.message.all_commands().iter().any(|command| {
                command.name == "Status"
                    && Outcome::of(command.data.as_deref().and_then(|d| d.trim().parse().ok()))
                        == Outcome::Failed
            }))
}

fn message(args: &PrettyArgs, found: &Found, output: &mut Output) -> Result<()> {
    let color = output.decoration().color;
    if args.raw {
        let text = sanitize::for_terminal(&found.text);
        return writeln!(output.text(), "{text}").context("cannot write to stdout");
    }
    let direction = direction_of(
        &found.message,
        found.record.as_ref().map(|r| r.text.as_str()),
    );
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
        device_of(found, direction).unwrap_or("(unknown device)"),
        header.session_id.as_deref().unwrap_or("-"),
        header.msg_id.as_deref().unwrap_or("-"),
    );
    let title = sanitize::for_terminal(&title);
    if color {
        writeln!(output.text(), "{}", title.bold())?;
    } else {
        writeln!(output.text(), "{title}")?;
    }
    // The finder parsed this text already; laying it out cannot fail.
    let spans = pretty::layout(&found.text, args.decode).unwrap_or_default();
    for span in &spans {
        write_span(output, span, color)?;
    }
    Ok(())
}

fn write_span(output: &mut Output, span: &Span, color: bool) -> Result<()> {
    let text = sanitize::for_terminal(&span.text);
    let out = output.text();
    if !color {
        return write!(out, "{text}").context("cannot write to stdout");
    }
    match span.kind {
        Kind::Tag => write!(out, "{}", text.cyan()),
        Kind::Reference => write!(out, "{}", text.yellow()),
        Kind::Status(class) => {
            let tone = class.map_or(crate::output::Tone::Pending, super::status::class_tone);
            match tone {
                crate::output::Tone::Good => write!(out, "{}", text.green().bold()),
                crate::output::Tone::Bad => write!(out, "{}", text.red().bold()),
                _ => write!(out, "{}", text.yellow().bold()),
            }
        }
        Kind::Alert => write!(out, "{}", text.magenta().bold()),
        Kind::Note => write!(out, "{}", text.dimmed()),
        Kind::Text | Kind::Space => write!(out, "{text}"),
    }
    .context("cannot write to stdout")
}
