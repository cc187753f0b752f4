//! CSV and TSV sinks: a header row, then one line per record, written as the
//! records come. Null is an empty field; nested values are JSON text.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{Decoration, Row, Sink, cell_text, sanitize};

/// Text of a cell, escaped for the terminal when stdout is one.
fn field(value: &serde_json::Value, decoration: Decoration) -> Cow<'_, str> {
    let text = cell_text(value).unwrap_or_default();
    if decoration.terminal {
        Cow::Owned(sanitize::for_terminal(&text).into_owned())
    } else {
        text
    }
}

/// The csv crate's error as the I/O error it wraps, so that a closed stdout is
/// still recognised as one.
fn io_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

pub(crate) struct CsvSink<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
    decoration: Decoration,
}

impl<'w> CsvSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, _columns: &[&str], decoration: Decoration) -> Self {
        Self {
            writer: csv::WriterBuilder::new().from_writer(out),
            decoration,
        }
    }
}

impl Sink for CsvSink<'_> {
    fn start(&mut self, columns: &[&'static str]) -> io::Result<()> {
        self.writer.write_record(columns).map_err(io_error)
    }

    fn row(&mut self, row: Row<'_>) -> io::Result<()> {
        for value in row.values {
            self.writer
                .write_field(field(value, self.decoration).as_bytes())
                .map_err(io_error)?;
        }
        // An empty record ends the one the fields were written into.
        self.writer.write_record(None::<&[u8]>).map_err(io_error)
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.writer.flush()
    }
}

pub(crate) struct TsvSink<'w> {
    out: &'w mut dyn Write,
    decoration: Decoration,
}

impl<'w> TsvSink<'w> {
    pub(crate) fn new(out: &'w mut dyn Write, _columns: &[&str], decoration: Decoration) -> Self {
        Self { out, decoration }
    }

    fn line<S: AsRef<str>>(&mut self, fields: impl Iterator<Item = S>) -> io::Result<()> {
        for (index, text) in fields.enumerate() {
            if index > 0 {
                self.out.write_all(b"\t")?;
            }
            // TSV escapes first; what is left for the terminal is escaped after.
            let escaped = escape_tsv(text.as_ref());
            if self.decoration.terminal {
                self.out
                    .write_all(sanitize::for_terminal(&escaped).as_bytes())?;
            } else {
                self.out.write_all(escaped.as_bytes())?;
            }
        }
        self.out.write_all(b"\n")
    }
}

/// Backslash escapes for the characters that would break a TSV line.
fn escape_tsv(text: &str) -> Cow<'_, str> {
    if !text.contains(['\t', '\n', '\r', '\\']) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\t' => escaped.push_str("\\t"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\\' => escaped.push_str("\\\\"),
            other => escaped.push(other),
        }
    }
    Cow::Owned(escaped)
}

impl Sink for TsvSink<'_> {
    fn start(&mut self, columns: &[&'static str]) -> io::Result<()> {
        self.line(columns.iter())
    }

    fn row(&mut self, row: Row<'_>) -> io::Result<()> {
        let fields = row.values.iter().map(|v| cell_text(v).unwrap_or_default());
        self.line(fields)
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::render;
    use super::super::{Decoration, Format, Layout};

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_it() {
        let text = render(Format::Csv, Decoration::default(), Layout::Rows, 2);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, ["code", "name", "note"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(&rows[0][2], "tab\there, \"quoted\", comma");
        assert_eq!(&rows[1][2], "");
    }

    #[test]
    fn empty_csv_still_has_its_header() {
        let text = render(Format::Csv, Decoration::default(), Layout::Rows, 0);
        assert_eq!(text, "code,name,note\n");
    }

    #[test]
    fn tsv_on_a_terminal_escapes_once() {
        let terminal = Decoration {
            color: false,
            terminal: true,
            width: None,
        };
        let text = render(Format::Tsv, terminal, Layout::Rows, 1);
        assert!(text.contains("tab\\there"), "{text}");
        assert!(!text.contains("tab\\\\there"), "{text}");
    }

    #[test]
    fn tsv_escapes_tabs_and_keeps_one_line_per_record() {
        let text = render(Format::Tsv, Decoration::default(), Layout::Rows, 2);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "code\tname\tnote");
        assert_eq!(lines[1], "200\tOK\ttab\\there, \"quoted\", comma");
        assert_eq!(lines[2], "404\tNOT_FOUND\t");
    }
}
