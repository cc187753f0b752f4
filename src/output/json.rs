//! JSON sinks: `json` (one array, pretty-printed, written element by element) and
//! `jsonl` (one compact object per line). Keys keep the record's column order;
//! nulls are written, never omitted.

use std::io::{self, Write};

use super::{Decoration, Row, Sink, sanitize};

pub(crate) struct JsonSink<'w> {
    out: &'w mut dyn Write,
    lines: bool,
    /// Escape what serde_json leaves raw (DEL, C1, bidi) for a terminal.
    terminal: bool,
    rows: usize,
    buffer: Vec<u8>,
}

impl<'w> JsonSink<'w> {
    pub(crate) fn array(out: &'w mut dyn Write, decoration: Decoration) -> Self {
        Self::new(out, false, decoration)
    }

    pub(crate) fn lines(out: &'w mut dyn Write, decoration: Decoration) -> Self {
        Self::new(out, true, decoration)
    }

    fn new(out: &'w mut dyn Write, lines: bool, decoration: Decoration) -> Self {
        Self {
            out,
            lines,
            terminal: decoration.terminal,
            rows: 0,
            buffer: Vec::with_capacity(1024),
        }
    }

    /// One object, keys in column order, into `self.buffer`; pretty for `json`.
    fn encode(&mut self, row: &Row<'_>) -> io::Result<()> {
        let (open, between, close): (&[u8], &[u8], &[u8]) = if self.lines {
            (b"{", b",", b"}")
        } else {
            (b"{\n    ", b",\n    ", b"\n  }")
        };
        let pretty = !self.lines;
        self.buffer.clear();
        self.buffer.extend_from_slice(open);
        for (index, (column, value)) in row.columns.iter().zip(&row.values).enumerate() {
            if index > 0 {
                self.buffer.extend_from_slice(between);
            }
            serde_json::to_writer(&mut self.buffer, column)?;
            self.buffer
                .extend_from_slice(if pretty { b": " } else { b":" });
            serde_json::to_writer(&mut self.buffer, value)?;
        }
        self.buffer.extend_from_slice(close);
        Ok(())
    }
}

impl Sink for JsonSink<'_> {
    fn start(&mut self, _columns: &[&'static str]) -> io::Result<()> {
        if self.lines {
            Ok(())
        } else {
            self.out.write_all(b"[")
        }
    }

    fn row(&mut self, row: Row<'_>) -> io::Result<()> {
        self.encode(&row)?;
        if !self.lines {
            let separator: &[u8] = if self.rows == 0 { b"\n  " } else { b",\n  " };
            self.out.write_all(separator)?;
        }
        if self.terminal {
            // serde_json wrote valid UTF-8.
            let text = String::from_utf8_lossy(&self.buffer);
            self.out
                .write_all(sanitize::json_for_terminal(&text).as_bytes())?;
        } else {
            self.out.write_all(&self.buffer)?;
        }
        if self.lines {
            self.out.write_all(b"\n")?;
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        if self.lines {
            Ok(())
        } else if self.rows == 0 {
            self.out.write_all(b"]\n")
        } else {
            self.out.write_all(b"\n]\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render, samples};
    use super::super::{Decoration, Format, Layout};
    use serde_json::Value;

    #[test]
    fn json_is_one_array_with_explicit_nulls_in_column_order() {
        let text = render(Format::Json, Decoration::default(), Layout::Rows, 2);
        let parsed: Value = serde_json::from_str(&text).expect("valid json");
        let rows = parsed.as_array().expect("array");
        assert_eq!(rows.len(), samples().len());
        assert_eq!(rows[1]["note"], Value::Null);
        let keys: Vec<&String> = rows[0].as_object().expect("object").keys().collect();
        assert_eq!(keys, ["code", "name", "note"]);
    }

    #[test]
    fn json_on_a_terminal_escapes_what_could_steer_it() {
        use super::super::test_support::Shared;
        use super::super::{Output, Record};
        #[derive(serde::Serialize)]
        struct Text {
            text: &'static str,
        }
        impl Record for Text {
            fn values(&self) -> anyhow::Result<Vec<Value>> {
                crate::output::serialized_values(self)
            }

            fn columns() -> &'static [&'static str] {
                &["text"]
            }
        }
        let shared = Shared::default();
        let terminal = Decoration {
            color: false,
            terminal: true,
        };
        let mut output = Output::new(Box::new(shared.clone()), Format::Jsonl, terminal);
        output
            .write_all(
                Layout::Rows,
                &[Text {
                    text: "a\u{9b}b\u{202e}c\u{7f}",
                }],
            )
            .expect("writes");
        drop(output);
        let text = String::from_utf8(shared.0.borrow().clone()).expect("utf-8");
        assert_eq!(text, "{\"text\":\"a\\u009bb\\u202ec\\u007f\"}\n");
        let parsed: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(parsed["text"], "a\u{9b}b\u{202e}c\u{7f}");
    }

    #[test]
    fn empty_json_is_an_empty_array() {
        let text = render(Format::Json, Decoration::default(), Layout::Rows, 0);
        assert_eq!(text, "[]\n");
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let text = render(Format::Jsonl, Decoration::default(), Layout::Rows, 2);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        for line in lines {
            let value: Value = serde_json::from_str(line).expect("valid json line");
            assert!(value.is_object());
        }
    }
}
