//! Fuzzes the fast reader of plain XML (`syncml::scan`) against quick-xml:
//! whatever the scanner accepts, quick-xml must accept with the same events,
//! and the message built from it must be the one quick-xml's events build.
#![no_main]

use std::borrow::Cow;

use dmtool::syncml::{Message, scan, xml};
use libfuzzer_sys::fuzz_target;

/// Every event as text; text pieces joined, as quick-xml may split them.
#[derive(Default)]
struct Events(Vec<String>);

impl<'a> xml::Sink<'a> for Events {
    fn start(&mut self, name: Cow<'a, str>, attributes: Cow<'a, str>) {
        self.0.push(format!("<{name} [{attributes}]"));
    }
    fn end(&mut self) {
        self.0.push("/".into());
    }
    fn text(&mut self, piece: Cow<'a, str>) {
        match self.0.last_mut() {
            Some(last) if last.starts_with('"') => last.push_str(&piece),
            _ => self.0.push(format!("\"{piece}")),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut fast = Events::default();
    if scan::parse_into(text, &mut fast).is_err() {
        return;
    }
    let mut slow = Events::default();
    let read = xml::parse_into(text, &mut slow);
    assert!(read.is_ok(), "scan accepted what quick-xml refuses: {read:?}");
    assert_eq!(fast.0, slow.0);
    let _ = Message::parse(text);
});
