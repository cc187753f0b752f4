//! Everything dmtool prints on stdout: the output formats (`--format`), the one
//! buffered writer, colours and terminal sanitizing.
//!
//! A command hands records (a type implementing [`Record`], most often by
//! serializing itself) to a
//! [`RecordWriter`]; one sink per format turns them into text. Text for people
//! goes through [`Output::line`] in a [`Style`] (`style.rs` styles and escapes
//! it). Commands never choose colours or escape text themselves, and this
//! module knows nothing of databases or logs; of status codes it knows only
//! the colour of their classes.

mod delimited;
mod json;
pub(crate) use json::Listed;
pub(crate) mod sanitize;
pub(crate) mod style;
mod table;

pub(crate) use style::Style;

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::marker::PhantomData;

use anyhow::{Context, Result};
use clap::ValueEnum;
use serde::Serialize;
use serde_json::Value;

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum Format {
    /// A table for people (the default, also when piped).
    #[default]
    Table,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line, written as it is produced.
    Jsonl,
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// Tab-separated values with a header row; tab, newline, CR and backslash
    /// inside a value are written as \t, \n, \r and \\.
    Tsv,
    /// One self-contained HTML page (`log explain` and `device` only).
    Html,
}

/// The meaning of a value, which the table view shows as a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Success (green).
    Good,
    /// Failure (red).
    Bad,
    /// Pending or unanswered (yellow).
    Pending,
    /// Neutral information worth telling apart (cyan).
    Info,
    /// Redirection and other "look again" values (magenta).
    Notice,
}

/// A type that can be written as a row.
pub(crate) trait Record {
    /// The column names, in the order of the serialized keys.
    fn columns() -> &'static [&'static str];

    /// The columns the table view shows when it lays records out as rows; the
    /// others are left to the card layout and the machine formats.
    fn summary_columns() -> &'static [&'static str] {
        Self::columns()
    }

    /// The columns a table too wide for the terminal leaves out, first
    /// first, before free text is wrapped (the note says which; csv and
    /// json always have them).
    fn optional_columns() -> &'static [&'static str] {
        &[]
    }

    /// The most characters the table view shows of a column (long payloads are
    /// cut with `…`; the machine formats always carry the whole value).
    fn max_chars(_column: &str) -> Option<usize> {
        None
    }

    /// The tone of one column's value in the table view, if it has one.
    fn tone(&self, _column: &str) -> Option<Tone> {
        None
    }

    /// The record's values in column order (and the order of
    /// [`columns`](Self::columns): a test per record checks it). Most
    /// records serialize themselves ([`serialized_values`]); one written by
    /// the million may build them by hand.
    fn values(&self) -> Result<Vec<Value>>;

    /// [`values`](Self::values) added to `out`: a record written by the
    /// million fills the writer's one list rather than a new one per row.
    fn values_into(&self, out: &mut Vec<Value>) -> Result<()> {
        out.extend(self.values()?);
        Ok(())
    }
}

/// A serializable record's values in column order: its serialized fields.
pub(crate) fn serialized_values<R: Record + Serialize>(record: &R) -> Result<Vec<Value>> {
    let Value::Object(mut object) =
        serde_json::to_value(record).context("cannot serialize a record")?
    else {
        anyhow::bail!("a record did not serialize to an object");
    };
    Ok(R::columns()
        .iter()
        .map(|column| object.remove(*column).unwrap_or(Value::Null))
        .collect())
}

/// How the table view lays out records (the other formats ignore it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One row per record, one column per summary column.
    Rows,
    /// One field/value card per record, with every column.
    Cards,
}

/// How text is decorated: decided once from the command line, the environment and
/// the terminal (see `config.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Decoration {
    /// ANSI colours in the table view.
    pub(crate) color: bool,
    /// stdout is a terminal: escape control characters, fit tables to its width.
    pub(crate) terminal: bool,
    /// The terminal's width when `COLUMNS` says it (else the terminal is asked).
    pub(crate) width: Option<u16>,
}

/// The program's stdout: one buffered writer, its format and decoration.
pub(crate) struct Output {
    out: Box<dyn Write>,
    format: Format,
    decoration: Decoration,
    /// A line being formatted ([`line_fmt`](Self::line_fmt)), its room reused.
    scratch: String,
}

impl Output {
    pub(crate) fn new(out: Box<dyn Write>, format: Format, decoration: Decoration) -> Self {
        Self {
            out,
            format,
            decoration,
            scratch: String::new(),
        }
    }

    /// The buffered stdout, for commands that print text rather than records.
    pub(crate) fn text(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    pub(crate) fn format(&self) -> Format {
        self.format
    }

    /// Starts writing records of type `R`.
    pub(crate) fn records<R: Record>(&mut self, layout: Layout) -> RecordWriter<'_, R> {
        let columns = R::columns();
        let decoration = self.decoration;
        let sink: Box<dyn Sink + '_> = match self.format {
            // A page is written by its command, never as records.
            Format::Table | Format::Html => Box::new(table::TableSink::new(
                &mut self.out,
                layout,
                (R::summary_columns(), R::optional_columns()),
                decoration,
            )),
            Format::Json => Box::new(json::JsonSink::array(&mut self.out)),
            Format::Jsonl => Box::new(json::JsonSink::lines(&mut self.out)),
            Format::Csv => Box::new(delimited::CsvSink::new(&mut self.out, columns, decoration)),
            Format::Tsv => Box::new(delimited::TsvSink::new(&mut self.out, columns, decoration)),
        };
        RecordWriter {
            sink,
            columns,
            max_chars: columns.iter().map(|c| R::max_chars(c)).collect(),
            count: 0,
            started: false,
            values: Vec::with_capacity(columns.len()),
            tones: Vec::with_capacity(columns.len()),
            record: PhantomData,
        }
    }

    /// Writes all of `records` and returns how many there were.
    pub(crate) fn write_all<'r, R: Record + 'r>(
        &mut self,
        layout: Layout,
        records: impl IntoIterator<Item = &'r R>,
    ) -> Result<usize> {
        let mut writer = self.records::<R>(layout);
        for record in records {
            writer.write(record)?;
        }
        writer.finish()
    }

    /// Writes the next item of a [`Listed`] document (`json`).
    pub(crate) fn listed_item<T: Serialize>(
        &mut self,
        listed: &mut Listed,
        item: &T,
    ) -> Result<()> {
        let text = listed.item(item).context("cannot serialize the report")?;
        self.out
            .write_all(sanitize::json_safe(&text).as_bytes())
            .context("cannot write to stdout")
    }

    /// Ends a [`Listed`] document with the members of `rest`.
    pub(crate) fn listed_end<T: Serialize>(&mut self, listed: Listed, rest: &T) -> Result<()> {
        let text = listed.end(rest).context("cannot serialize the report")?;
        writeln!(self.out, "{}", sanitize::json_safe(&text)).context("cannot write to stdout")
    }

    /// Writes one JSON document (a report rather than records): pretty for
    /// `json`, one line for `jsonl`; escaped for the terminal when stdout is one.
    pub(crate) fn document<T: Serialize>(&mut self, value: &T) -> Result<()> {
        let text = if self.format == Format::Jsonl {
            serde_json::to_string(value)
        } else {
            serde_json::to_string_pretty(value)
        }
        .context("cannot serialize the report")?;
        // Valid JSON wherever it goes, with nothing a terminal acts on.
        writeln!(self.out, "{}", sanitize::json_safe(&text)).context("cannot write to stdout")
    }

    /// Writes one line of text for people in `style`: escaped wherever
    /// stdout goes, coloured when colour is on.
    pub(crate) fn line(&mut self, text: &str, style: Style) -> Result<()> {
        style::write(&mut self.out, text, style, self.decoration)
            .and_then(|()| self.out.write_all(b"\n"))
            .context("cannot write to stdout")
    }

    /// One line of XML as found (`log pretty --raw`): what a terminal would
    /// act on written as character references.
    pub(crate) fn xml_line(&mut self, xml: &str) -> Result<()> {
        style::write_xml(&mut self.out, xml, Style::Plain, self.decoration)
            .and_then(|()| self.out.write_all(b"\n"))
            .context("cannot write to stdout")
    }

    /// [`line`](Self::line) for text still to be formatted: not on a
    /// terminal, it is formatted straight into the output.
    pub(crate) fn line_fmt(&mut self, text: fmt::Arguments<'_>, style: Style) -> Result<()> {
        // Formatted into one reused string, escaped as a whole.
        self.scratch.clear();
        fmt::Write::write_fmt(&mut self.scratch, text).context("cannot format a line")?;
        style::write(&mut self.out, &self.scratch, style, self.decoration)
            .and_then(|()| self.out.write_all(b"\n"))
            .context("cannot write to stdout")
    }

    /// A piece of XML being laid out, in `style` (see [`xml_line`](Self::xml_line)).
    pub(crate) fn xml_piece(&mut self, xml: &str, style: Style) -> io::Result<()> {
        style::write_xml(&mut self.out, xml, style, self.decoration)
    }

    /// From now on each line goes out as soon as it is complete, not when
    /// the buffer fills: for a live input (`tail -f … | dmtool log pretty -`).
    pub(crate) fn line_by_line(&mut self) {
        let out = std::mem::replace(&mut self.out, Box::new(io::sink()));
        self.out = Box::new(LineFlush(out));
    }

    /// Flushes the buffered stdout.
    pub(crate) fn flush(&mut self) -> Result<()> {
        self.out.flush().context("cannot write to stdout")
    }
}

/// A writer that flushes the one it wraps (the buffered stdout) whenever a
/// line is complete. (`io::LineWriter` would only pass the line on to the
/// buffer.)
struct LineFlush(Box<dyn Write>);

impl Write for LineFlush {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.0.write(bytes)?;
        if memchr::memchr(b'\n', &bytes[..written]).is_some() {
            self.0.flush()?;
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// One record as the sinks see it: its fields in column order, with tones.
pub(crate) struct Row<'c> {
    pub(crate) columns: &'c [&'static str],
    /// `Record::max_chars` of each column.
    pub(crate) max_chars: &'c [Option<usize>],
    pub(crate) values: &'c [Value],
    pub(crate) tones: &'c [Option<Tone>],
}

/// One output format.
pub(crate) trait Sink {
    /// Called once before the first row (also when there are none).
    fn start(&mut self, columns: &[&'static str]) -> io::Result<()>;
    fn row(&mut self, row: Row<'_>) -> io::Result<()>;
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// Writes records of one type in the chosen format; call [`finish`](Self::finish).
pub(crate) struct RecordWriter<'o, R> {
    sink: Box<dyn Sink + 'o>,
    columns: &'static [&'static str],
    max_chars: Vec<Option<usize>>,
    count: usize,
    started: bool,
    /// The row being written: its values and tones, the lists reused.
    values: Vec<Value>,
    tones: Vec<Option<Tone>>,
    record: PhantomData<fn(&R)>,
}

impl<R: Record> RecordWriter<'_, R> {
    pub(crate) fn write(&mut self, record: &R) -> Result<()> {
        self.start()?;
        self.values.clear();
        record.values_into(&mut self.values)?;
        self.tones.clear();
        self.tones
            .extend(self.columns.iter().map(|column| record.tone(column)));
        self.sink
            .row(Row {
                columns: self.columns,
                max_chars: &self.max_chars,
                values: &self.values,
                tones: &self.tones,
            })
            .context("cannot write to stdout")?;
        self.count += 1;
        Ok(())
    }

    /// Ends the output and returns how many records were written.
    pub(crate) fn finish(mut self) -> Result<usize> {
        self.start()?;
        self.sink.finish().context("cannot write to stdout")?;
        Ok(self.count)
    }

    fn start(&mut self) -> Result<()> {
        if !self.started {
            self.started = true;
            self.sink
                .start(self.columns)
                .context("cannot write to stdout")?;
        }
        Ok(())
    }
}

/// The text of a value in a table, CSV or TSV cell (`None` for null).
pub(crate) fn cell_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            Some(Cow::Owned(value.to_string()))
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A writer whose bytes can be read after the `Output` that owns it is done.
    #[derive(Clone, Default)]
    pub(crate) struct Shared(pub Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[derive(Serialize)]
    pub(crate) struct Sample {
        pub(crate) code: u32,
        pub(crate) name: &'static str,
        pub(crate) note: Option<String>,
    }

    impl Record for Sample {
        fn values(&self) -> Result<Vec<Value>> {
            serialized_values(self)
        }

        fn columns() -> &'static [&'static str] {
            &["code", "name", "note"]
        }
        fn tone(&self, column: &str) -> Option<Tone> {
            (column == "code" && self.code >= 400).then_some(Tone::Bad)
        }
    }

    pub(crate) fn samples() -> Vec<Sample> {
        vec![
            Sample {
                code: 200,
                name: "OK",
                note: Some("tab\there, \"quoted\", comma".into()),
            },
            Sample {
                code: 404,
                name: "NOT_FOUND",
                note: None,
            },
        ]
    }

    /// Renders the samples in a format and returns the text.
    pub(crate) fn render(
        format: Format,
        decoration: Decoration,
        layout: Layout,
        n: usize,
    ) -> String {
        let shared = Shared::default();
        let mut output = Output::new(Box::new(shared.clone()), format, decoration);
        let records = samples();
        output
            .write_all(layout, records.iter().take(n))
            .expect("render");
        output.flush().expect("flush");
        drop(output);
        let bytes = shared.0.borrow().clone();
        String::from_utf8(bytes).expect("utf-8")
    }
}
