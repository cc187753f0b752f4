//! The one place that styles text for people: headings, warnings, dimmed
//! hints and the tones of values (a status class's colour among them), and
//! visible escaping of what came from input. The rule: text is escaped when
//! stdout is a terminal (control characters and bidi overrides shown as
//! `\x1b`, `\u{202e}`), coloured when colour is on; otherwise its bytes go
//! out as they are, so a file gets what the input held. Header lines that
//! name what the input held are escaped wherever they go ([`write_escaped`]).

use std::fmt;
use std::io::{self, Write};

use owo_colors::OwoColorize;

use super::{Decoration, Tone, sanitize};
use crate::codes::StatusClass;

/// How a piece of text looks when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    /// A title line (bold).
    Heading,
    /// A hint or a side note (dimmed).
    Dim,
    /// Coloured by its meaning.
    Tone(Tone),
    /// Coloured by its meaning, and bold.
    Strong(Tone),
}

impl Tone {
    /// The colour of a status class: success green, failures red, 1xx yellow.
    pub(crate) fn of_class(class: StatusClass) -> Tone {
        match class {
            StatusClass::Informational => Tone::Pending,
            StatusClass::Success => Tone::Good,
            StatusClass::Redirection => Tone::Notice,
            StatusClass::OriginatorException | StatusClass::RecipientException => Tone::Bad,
            StatusClass::ApplicationSpecific => Tone::Info,
        }
    }

    /// The colour of a status as it was answered; `None` (not answered) is
    /// pending.
    pub(crate) fn of_status(code: Option<u32>) -> Tone {
        code.and_then(StatusClass::of)
            .map_or(Tone::Pending, Tone::of_class)
    }
}

/// Writes `text` in `style`, escaped on a terminal, coloured when colour is on.
pub(crate) fn write(
    out: &mut dyn Write,
    text: &str,
    style: Style,
    decoration: Decoration,
) -> io::Result<()> {
    if decoration.terminal {
        paint(out, &sanitize::for_terminal(text), style, decoration.color)
    } else if decoration.color {
        paint(out, &text, style, true)
    } else {
        out.write_all(text.as_bytes())
    }
}

/// [`write`] for a line that names what the input held (a message's
/// header line, a device's title) and is read in a pager or after `head` as
/// often as on a terminal: escaped wherever it goes.
pub(crate) fn write_escaped(
    out: &mut dyn Write,
    text: &str,
    style: Style,
    decoration: Decoration,
) -> io::Result<()> {
    paint(out, &sanitize::for_terminal(text), style, decoration.color)
}

/// [`write`] for text still to be formatted: built in no string unless it
/// must be escaped.
pub(crate) fn write_fmt(
    out: &mut dyn Write,
    text: fmt::Arguments<'_>,
    style: Style,
    decoration: Decoration,
) -> io::Result<()> {
    match text.as_str() {
        Some(text) => write(out, text, style, decoration),
        None if decoration.terminal => write(out, &text.to_string(), style, decoration),
        None => paint(out, &text, style, decoration.color),
    }
}

fn paint(
    out: &mut dyn Write,
    text: &impl fmt::Display,
    style: Style,
    color: bool,
) -> io::Result<()> {
    if !color {
        return write!(out, "{text}");
    }
    match style {
        Style::Plain => write!(out, "{text}"),
        Style::Heading => write!(out, "{}", text.bold()),
        Style::Dim => write!(out, "{}", text.dimmed()),
        Style::Tone(tone) => match tone {
            Tone::Good => write!(out, "{}", text.green()),
            Tone::Bad => write!(out, "{}", text.red()),
            Tone::Pending => write!(out, "{}", text.yellow()),
            Tone::Info => write!(out, "{}", text.cyan()),
            Tone::Notice => write!(out, "{}", text.magenta()),
        },
        Style::Strong(tone) => match tone {
            Tone::Good => write!(out, "{}", text.green().bold()),
            Tone::Bad => write!(out, "{}", text.red().bold()),
            Tone::Pending => write!(out, "{}", text.yellow().bold()),
            Tone::Info => write!(out, "{}", text.cyan().bold()),
            Tone::Notice => write!(out, "{}", text.magenta().bold()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(text: &str, style: Style, terminal: bool, color: bool) -> String {
        let mut out = Vec::new();
        write(&mut out, text, style, Decoration { color, terminal }).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_is_escaped_on_a_terminal_coloured_with_colour_and_raw_otherwise() {
        let text = "a\x1b[2Jb";
        assert_eq!(styled(text, Style::Heading, false, false), text);
        assert_eq!(styled(text, Style::Heading, true, false), "a\\x1b[2Jb");
        assert_eq!(
            styled("x", Style::Heading, true, true),
            format!("{}", "x".bold())
        );
        assert_eq!(
            styled("x", Style::Strong(Tone::Bad), false, true),
            format!("{}", "x".red().bold())
        );
        assert_eq!(
            styled("x", Style::Tone(Tone::Info), false, true),
            format!("{}", "x".cyan())
        );
        let mut out = Vec::new();
        let decoration = Decoration {
            color: false,
            terminal: true,
        };
        write_fmt(
            &mut out,
            format_args!("{}", "\u{202e}"),
            Style::Plain,
            decoration,
        )
        .expect("writes");
        assert_eq!(out, b"\\u{202e}");
    }

    #[test]
    fn status_tones_follow_the_class() {
        assert_eq!(Tone::of_status(None), Tone::Pending);
        assert_eq!(Tone::of_status(Some(101)), Tone::Pending);
        assert_eq!(Tone::of_status(Some(200)), Tone::Good);
        assert_eq!(Tone::of_status(Some(302)), Tone::Notice);
        assert_eq!(Tone::of_status(Some(404)), Tone::Bad);
        assert_eq!(Tone::of_status(Some(500)), Tone::Bad);
    }
}
