//! Fuzzes the fast reader of plain XML (`syncml::scan`) against quick-xml:
//! whatever the scanner accepts, quick-xml must accept with the same events,
//! and a message must come of it as of any other text: no panic.
#![no_main]

use dmtool::syncml::{Message, scan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(disagreement) = scan::agrees_with_quick_xml(text) {
        panic!("{disagreement}");
    }
    let _ = Message::parse(text);
});
