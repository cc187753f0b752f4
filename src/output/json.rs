//! JSON sinks: `json` (one array, pretty-printed, written element by element) and
//! `jsonl` (one compact object per line). Keys keep the record's column order;
//! nulls are written, never omitted.

use std::io::{self, Write};

use super::{Row, Sink};

pub(crate) struct JsonSink<'w> {
    out: &'w mut dyn Write,
    lines: bool,
    rows: usize,
}

impl<'w> JsonSink<'w> {
    pub fn array(out: &'w mut dyn Write) -> Self {
        Self {
            out,
            lines: false,
            rows: 0,
        }
    }

    pub fn lines(out: &'w mut dyn Write) -> Self {
        Self {
            out,
            lines: true,
            rows: 0,
        }
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
        let object = row.object();
        if self.lines {
            serde_json::to_writer(&mut *self.out, &object)?;
            self.out.write_all(b"\n")?;
        } else {
            let text = serde_json::to_string_pretty(&object)?;
            let separator: &[u8] = if self.rows == 0 { b"\n  " } else { b",\n  " };
            self.out.write_all(separator)?;
            // Indent the element's own lines so that the array reads as one document.
            self.out.write_all(text.replace('\n', "\n  ").as_bytes())?;
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
