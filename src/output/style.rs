//! The one place that styles text for people: headings, warnings, dimmed
//! hints and the tones of values (a status class's colour among them), and
//! visible escaping of what came from input. The rule: text for people is
//! escaped wherever stdout goes (control characters and bidi controls shown
//! as `\x1b`, `\u{202e}`: a pipe into `less -R` or a file later `cat` ends
//! on a terminal too), XML as character references ([`write_xml`]);
//! coloured when colour is on.

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

/// Writes `text` in `style`, escaped, coloured when colour is on.
pub(crate) fn write(
    out: &mut dyn Write,
    text: &str,
    style: Style,
    decoration: Decoration,
) -> io::Result<()> {
    let text = sanitize::for_terminal(text);
    if decoration.color {
        paint(out, &text, style, true)
    } else {
        out.write_all(text.as_bytes())
    }
}

/// [`write`] for XML: what a terminal would act on is written as character
/// references, so the text is still the same XML.
pub(crate) fn write_xml(
    out: &mut dyn Write,
    xml: &str,
    style: Style,
    decoration: Decoration,
) -> io::Result<()> {
    paint(out, &sanitize::xml_safe(xml), style, decoration.color)
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
        write(
            &mut out,
            text,
            style,
            Decoration {
                color,
                terminal,
                width: None,
            },
        )
        .expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_is_escaped_wherever_it_goes_and_coloured_with_colour() {
        let text = "a\x1b[2Jb";
        assert_eq!(styled(text, Style::Heading, false, false), "a\\x1b[2Jb");
        assert_eq!(styled(text, Style::Heading, true, false), "a\\x1b[2Jb");
        let mut xml = Vec::new();
        write_xml(
            &mut xml,
            "<a>\x1b]52;c;x\x07\r\n</a>",
            Style::Plain,
            Decoration::default(),
        )
        .expect("writes");
        assert_eq!(
            String::from_utf8(xml).expect("utf-8"),
            "<a>&#x1b;]52;c;x&#x7;\n</a>"
        );
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
            width: None,
        };
        write(&mut out, "\u{202e}", Style::Plain, decoration).expect("writes");
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
