//! The table view for people: comfy-table, coloured by each record's tones when
//! colour is on, fitted to the terminal's width when stdout is one, and always
//! sanitized. The table needs every row to size its columns, so it buffers —
//! at most [`MAX_ROWS`]: a larger result is cut there, its last line and a
//! note on stderr pointing at the formats that stream, so memory stays small
//! and `| head` returns at once.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, presets};

use super::{Decoration, Layout, Row, Sink, Tone, cell_text, sanitize};
use std::borrow::Cow;

/// What a null looks like in a table (the guide's MySQL client printed `{null}`).
/// Columns of free text: the ones a narrow terminal wraps. Every other column
/// (identifiers, codes, times, counts) keeps its width.
const FREE_TEXT: &[&str] = &[
    "data",
    "hint",
    "detail",
    "reason",
    "results",
    "message",
    "meaning",
    "dm_meaning",
    "description",
    "evidence",
    "name",
];

/// Columns of URIs: kept whole while the table fits, wrapped (never below
/// [`FREE_TEXT_MIN`]) when it cannot fit otherwise.
const URI_COLUMNS: &[&str] = &["target", "targets", "source", "uri"];

/// The width free text keeps before columns are left out for it; a wrapped
/// column is never narrower.
const FREE_TEXT_MIN: usize = 24;

/// A null in the table view (never the word `null`: it is not the value).
const NULL_TEXT: &str = "—";

/// The most records a table holds: more is not read by a person; the
/// streaming formats carry any number.
pub(crate) const MAX_ROWS: usize = 1000;

pub(crate) struct TableSink<'w> {
    out: &'w mut dyn Write,
    layout: Layout,
    decoration: Decoration,
    /// Every column of the record type.
    columns: Vec<&'static str>,
    /// The columns a `Rows` table shows.
    summary: &'static [&'static str],
    /// Those left out first when the table is too wide for the terminal.
    optional: &'static [&'static str],
    rows: Vec<TableRow>,
}

/// A record's cells, and which of them were null.
struct TableRow {
    cells: Vec<Cell>,
    nulls: Vec<bool>,
}

impl<'w> TableSink<'w> {
    pub(crate) fn new(
        out: &'w mut dyn Write,
        layout: Layout,
        (summary, optional): (&'static [&'static str], &'static [&'static str]),
        decoration: Decoration,
    ) -> Self {
        Self {
            out,
            layout,
            decoration,
            columns: Vec::new(),
            summary,
            optional,
            rows: Vec::new(),
        }
    }

    fn cell(&self, value: &serde_json::Value, tone: Option<Tone>, max: Option<usize>) -> Cell {
        let Some(text) = table_text(value) else {
            // A null with a meaning (an unanswered status) takes its tone; others dim.
            let cell = Cell::new(NULL_TEXT);
            return match tone {
                _ if !self.decoration.color => cell,
                Some(tone) => cell.fg(color_of(tone)),
                None => cell.add_attribute(Attribute::Dim),
            };
        };
        let text = match max {
            Some(max) => sanitize::shorten(&text, max).into_owned(),
            None => text.into_owned(),
        };
        let cell = Cell::new(sanitize::for_terminal(&text));
        match tone {
            Some(tone) if self.decoration.color => cell.fg(color_of(tone)),
            _ => cell,
        }
    }

    fn new_table(&self) -> Table {
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        match self.terminal_width() {
            Some(width) => {
                table.set_content_arrangement(ContentArrangement::Dynamic);
                table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
            }
            // Not a terminal, or one that tells no width (a pty of 0×0): no
            // width to fit, and comfy-table must not probe one.
            None => {
                table.force_no_tty();
            }
        }
        if self.decoration.color {
            table.enforce_styling();
            // Colour was decided (--color always, or a terminal without
            // NO_COLOR): the terminal library must not read NO_COLOR again
            // and leave the cells uncoloured while headings are bold.
            crossterm::style::Colored::set_ansi_color_disabled(false);
        }
        table
    }

    fn header_cell(&self, name: &str) -> Cell {
        let cell = Cell::new(name);
        if self.decoration.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }

    /// One field/value table per record; null fields are left out of a card.
    fn cards(&self) -> Vec<Table> {
        self.rows
            .iter()
            .map(|row| {
                let mut table = self.new_table();
                table.set_header([self.header_cell("field"), self.header_cell("value")]);
                for ((name, value), is_null) in self.columns.iter().zip(&row.cells).zip(&row.nulls)
                {
                    if !is_null {
                        table.add_row([self.header_cell(name), value.clone()]);
                    }
                }
                table
            })
            .collect()
    }

    /// One table, a row per record, showing the summary columns; on a
    /// terminal too narrow for them, the optional ones are left out first,
    /// then free text that cannot keep [`FREE_TEXT_MIN`] columns.
    /// Also returns the columns left out, and whether free text must wrap.
    fn rows_table(&self) -> (Table, Vec<&'static str>, bool) {
        let mut shown: Vec<usize> = self
            .summary
            .iter()
            .filter_map(|name| self.columns.iter().position(|c| c == name))
            .collect();
        let width = self.terminal_width();
        let mut left_out = Vec::new();
        if let Some(width) = width {
            for name in self.optional {
                if self.natural_width(&shown) <= width {
                    break;
                }
                if let Some(at) = shown.iter().position(|&i| self.columns[i] == *name) {
                    shown.remove(at);
                    left_out.push(*name);
                }
            }
        }
        // Still too wide: free text goes too rather than be squeezed to
        // nothing (a letter a line), the last one first.
        if let Some(width) = width {
            while self.natural_width(&shown) > width {
                let Some(at) = shown
                    .iter()
                    .rposition(|&i| FREE_TEXT.contains(&self.columns[i]))
                else {
                    break;
                };
                left_out.push(self.columns[shown.remove(at)]);
            }
        }
        let wraps = width.is_some_and(|width| self.unwrapped_width(&shown) > width);
        let mut table = self.new_table();
        table.set_header(shown.iter().map(|&i| self.header_cell(self.columns[i])));
        for row in &self.rows {
            table.add_row(shown.iter().map(|&i| row.cells[i].clone()));
        }
        // Identifiers, codes and times keep their width (a job ID split over
        // lines cannot be pasted); free text wraps to fit, and URIs when
        // nothing else is left to wrap; neither narrower than it needs to be
        // read.
        let uris_wrap = width.is_some_and(|width| self.natural_width(&shown) > width);
        for (position, &i) in shown.iter().enumerate() {
            let name = self.columns[i];
            let wrappable = FREE_TEXT.contains(&name) || (uris_wrap && URI_COLUMNS.contains(&name));
            let narrowest = self.widest(i).min(FREE_TEXT_MIN);
            if let Some(column) = table.column_mut(position) {
                column.set_constraint(if wrappable {
                    ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(
                        u16::try_from(narrowest).unwrap_or(u16::MAX),
                    ))
                } else {
                    ColumnConstraint::ContentWidth
                });
            }
        }
        (table, left_out, wraps)
    }

    /// The width of these columns with nothing wrapped.
    fn unwrapped_width(&self, shown: &[usize]) -> usize {
        self.width_of(shown, None)
    }

    /// The terminal's width, on a terminal: `COLUMNS`, else as it says.
    fn terminal_width(&self) -> Option<usize> {
        if !self.decoration.terminal {
            return None;
        }
        self.decoration
            .width
            .or_else(|| crossterm::terminal::size().ok().map(|(width, _)| width))
            .filter(|width| *width > 0)
            .map(usize::from)
    }

    /// The width a table of these columns needs: free text at most
    /// [`FREE_TEXT_MIN`] (it may wrap).
    fn natural_width(&self, shown: &[usize]) -> usize {
        self.width_of(shown, Some(FREE_TEXT_MIN))
    }

    /// Each column its widest line (free text at most `free_text`, when
    /// given), a space either side and a border.
    fn width_of(&self, shown: &[usize], free_text: Option<usize>) -> usize {
        shown
            .iter()
            .map(|&i| {
                let widest = self.widest(i);
                let widest = match free_text {
                    Some(most) if FREE_TEXT.contains(&self.columns[i]) => widest.min(most),
                    _ => widest,
                };
                widest + 3
            })
            .sum::<usize>()
            + 1
    }

    /// The widest line of column `i`, its heading's included.
    fn widest(&self, i: usize) -> usize {
        self.rows
            .iter()
            .filter_map(|row| {
                row.cells[i]
                    .content()
                    .lines()
                    .map(|line| line.chars().count())
                    .max()
            })
            .max()
            .unwrap_or(0)
            .max(self.columns[i].chars().count())
    }
}

fn color_of(tone: Tone) -> Color {
    match tone {
        Tone::Good => Color::Green,
        Tone::Bad => Color::Red,
        Tone::Pending => Color::Yellow,
        Tone::Info => Color::Cyan,
        Tone::Notice => Color::Magenta,
    }
}

impl Sink for TableSink<'_> {
    fn start(&mut self, columns: &[&'static str]) -> io::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn row(&mut self, row: Row<'_>) -> io::Result<()> {
        let cells = row
            .values
            .iter()
            .zip(row.tones)
            .zip(row.max_chars)
            .map(|((value, tone), max)| self.cell(value, *tone, *max))
            .collect();
        let nulls = row.values.iter().map(serde_json::Value::is_null).collect();
        self.rows.push(TableRow { cells, nulls });
        if self.rows.len() == MAX_ROWS {
            // Full: shown now, and the reading stops as if stdout had closed.
            // The table itself says it was cut (the note may be silenced).
            self.write()?;
            writeln!(self.out, "… the first {MAX_ROWS} rows: there are more")?;
            crate::diag::note(&format!(
                "the table stops at {MAX_ROWS} rows and there are more: \
                 --format csv, tsv or jsonl gives every row"
            ));
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the table is full",
            ));
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.write()
    }
}

impl TableSink<'_> {
    /// Writes the table (or the cards) of the rows held.
    fn write(&mut self) -> io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        match self.layout {
            Layout::Rows => {
                let (table, left_out, wraps) = self.rows_table();
                writeln!(self.out, "{table}")?;
                if !left_out.is_empty() || wraps {
                    let left = if left_out.is_empty() {
                        String::new()
                    } else {
                        format!("columns left out: {}; ", left_out.join(", "))
                    };
                    crate::diag::note(&format!(
                        "the table is fitted to the terminal's width ({left}free text wrapped): \
                         --format csv, tsv or json gives every column and value whole, or widen the terminal"
                    ));
                }
                Ok(())
            }
            Layout::Cards => {
                for (index, card) in self.cards().iter().enumerate() {
                    if index > 0 {
                        writeln!(self.out)?;
                    }
                    writeln!(self.out, "{card}")?;
                }
                Ok(())
            }
        }
    }
}

/// A value as a table cell shows it: lists as their items separated by
/// commas, objects as `key value` pairs; no JSON for people to read.
fn table_text(value: &serde_json::Value) -> Option<Cow<'_, str>> {
    use serde_json::Value;
    fn plain(value: &Value) -> String {
        match value {
            Value::Null => NULL_TEXT.to_owned(),
            Value::String(text) => text.clone(),
            Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
            Value::Object(fields) => fields
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| format!("{key} {}", plain(value)))
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        }
    }
    match value {
        Value::Array(items) if items.iter().any(Value::is_object) => Some(Cow::Owned(
            items.iter().map(plain).collect::<Vec<_>>().join("; "),
        )),
        Value::Array(_) | Value::Object(_) => Some(Cow::Owned(plain(value))),
        _ => cell_text(value),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::render;
    use super::super::{Decoration, Format, Layout};

    const PLAIN: Decoration = Decoration {
        color: false,
        terminal: false,
        width: None,
    };

    #[test]
    fn rows_layout_has_a_header_and_one_line_per_record() {
        let text = render(Format::Table, PLAIN, Layout::Rows, 2);
        assert!(text.contains("code"), "{text}");
        assert!(text.contains("NOT_FOUND"), "{text}");
        // A null is shown as a dash, never as the word.
        assert!(text.contains("—"), "{text}");
        assert!(!text.contains("null"), "{text}");
        assert!(!text.contains('\x1b'), "no colour when off: {text}");
    }

    #[test]
    fn cards_show_each_record_as_fields() {
        let text = render(Format::Table, PLAIN, Layout::Cards, 2);
        assert_eq!(text.matches("field").count(), 2, "{text}");
        assert!(text.lines().any(|l| l.contains("name") && l.contains("OK")));
        assert!(
            text.lines()
                .any(|l| l.contains("name") && l.contains("NOT_FOUND"))
        );
        assert!(
            !text.contains("null"),
            "null fields are left out of cards: {text}"
        );
    }

    #[test]
    fn colour_marks_toned_cells() {
        let decoration = Decoration {
            color: true,
            terminal: false,
            width: None,
        };
        let text = render(Format::Table, decoration, Layout::Rows, 2);
        assert!(text.contains("\x1b["), "{text}");
    }

    #[test]
    fn control_characters_are_escaped() {
        let text = render(Format::Table, PLAIN, Layout::Rows, 1);
        assert!(text.contains("tab\\there"), "{text}");
    }

    #[test]
    fn an_empty_table_prints_nothing() {
        assert_eq!(render(Format::Table, PLAIN, Layout::Rows, 0), "");
    }
}
