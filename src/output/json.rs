//! JSON sinks: `json` (one array, pretty-printed, written element by element) and
//! `jsonl` (one compact object per line). Keys keep the record's column order;
//! nulls are written, never omitted. And a report whose first member is a
//! long list, written item by item ([`Listed`]).

use std::io::{self, Write};

use super::{Row, Sink, sanitize};

pub(crate) struct JsonSink<'w> {
    out: &'w mut dyn Write,
    lines: bool,
    rows: usize,
    /// Each column's key and colon, written once (`"session":`).
    keys: Vec<Vec<u8>>,
    buffer: Vec<u8>,
}

impl<'w> JsonSink<'w> {
    pub(crate) fn array(out: &'w mut dyn Write) -> Self {
        Self::new(out, false)
    }

    pub(crate) fn lines(out: &'w mut dyn Write) -> Self {
        Self::new(out, true)
    }

    fn new(out: &'w mut dyn Write, lines: bool) -> Self {
        Self {
            out,
            lines,
            rows: 0,
            keys: Vec::new(),
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
        if self.keys.len() != row.columns.len() {
            self.keys = keys(row.columns, !self.lines)?;
        }
        self.buffer.clear();
        self.buffer.extend_from_slice(open);
        for (index, (key, value)) in self.keys.iter().zip(row.values).enumerate() {
            if index > 0 {
                self.buffer.extend_from_slice(between);
            }
            self.buffer.extend_from_slice(key);
            match value {
                serde_json::Value::Null => self.buffer.extend_from_slice(b"null"),
                value => serde_json::to_writer(&mut self.buffer, value)?,
            }
        }
        self.buffer.extend_from_slice(close);
        Ok(())
    }
}

/// The columns' keys as JSON, each with its colon.
fn keys(columns: &[&str], pretty: bool) -> io::Result<Vec<Vec<u8>>> {
    columns
        .iter()
        .map(|column| {
            let mut key = serde_json::to_vec(column)?;
            key.extend_from_slice(if pretty { b": " } else { b":" });
            Ok(key)
        })
        .collect()
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
        // serde_json escapes C0 but leaves DEL, C1 and the bidi controls raw:
        // only ASCII without DEL needs no look.
        if self.buffer.is_ascii() && memchr::memchr(0x7f, &self.buffer).is_none() {
            self.out.write_all(&self.buffer)?;
        } else {
            // serde_json wrote valid UTF-8.
            let text = String::from_utf8_lossy(&self.buffer);
            self.out.write_all(sanitize::json_safe(&text).as_bytes())?;
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

/// A pretty-printed JSON document whose first member is a list written as
/// its items come (`{"sessions": [ … ], "summary": …}`): the same bytes
/// serde_json writes for the whole document, without holding the list.
pub(crate) struct Listed {
    key: &'static str,
    items: usize,
}

impl Listed {
    pub(crate) fn new(key: &'static str) -> Self {
        Self { key, items: 0 }
    }

    /// The text that goes before `item`: the document's opening, or the
    /// separator; then the item, pretty-printed at the list's depth.
    pub(crate) fn item<T: serde::Serialize>(&mut self, item: &T) -> serde_json::Result<String> {
        let text = serde_json::to_string_pretty(item)?;
        let mut out = if self.items == 0 {
            self.opening()
        } else {
            String::from(",")
        };
        self.items += 1;
        // JSON strings hold no raw newline: every line is the item's.
        for line in text.split('\n') {
            out.push_str("\n    ");
            out.push_str(line);
        }
        Ok(out)
    }

    /// The text that ends the document: the list closed, then the members of
    /// `rest` (an object).
    pub(crate) fn end<T: serde::Serialize>(self, rest: &T) -> serde_json::Result<String> {
        let rest = serde_json::to_string_pretty(rest)?;
        let mut out = if self.items == 0 {
            self.opening() + "]"
        } else {
            String::from("\n  ]")
        };
        match rest.strip_prefix('{') {
            Some("}") | None => out.push_str("\n}"),
            Some(members) => {
                out.push(',');
                out.push_str(members);
            }
        }
        Ok(out)
    }

    fn opening(&self) -> String {
        let key = serde_json::Value::from(self.key);
        format!("{{\n  {key}: [")
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
            width: None,
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
    fn a_listed_document_is_what_serde_json_writes_for_the_whole() {
        use super::Listed;
        #[derive(serde::Serialize)]
        struct Rest {
            notes: Vec<&'static str>,
            count: usize,
        }
        #[derive(serde::Serialize)]
        struct Whole {
            sessions: Vec<Value>,
            notes: Vec<&'static str>,
            count: usize,
        }
        #[derive(serde::Serialize)]
        struct Nothing {}
        let items = [
            serde_json::json!({"a": 1, "b": [1, 2], "c": {"d": "x\ny"}}),
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!("text"),
        ];
        for count in 0..=items.len() {
            let mut listed = Listed::new("sessions");
            let mut text = String::new();
            for item in &items[..count] {
                text.push_str(&listed.item(item).expect("item"));
            }
            text.push_str(
                &listed
                    .end(&Rest {
                        notes: vec!["n"],
                        count,
                    })
                    .expect("end"),
            );
            let whole = serde_json::to_string_pretty(&Whole {
                sessions: items[..count].to_vec(),
                notes: vec!["n"],
                count,
            })
            .expect("whole");
            assert_eq!(text, whole, "{count} items");
        }
        let mut listed = Listed::new("sessions");
        let mut text = listed.item(&items[0]).expect("item");
        text.push_str(&listed.end(&Nothing {}).expect("end"));
        let whole = serde_json::to_string_pretty(&serde_json::json!({"sessions": [items[0]]}))
            .expect("whole");
        assert_eq!(text, whole);
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
