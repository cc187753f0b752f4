//! Fuzzes what reads untrusted logs: the message finder, the XML parser and
//! message model, the threading, the explanation and the pretty layout. Any
//! input must come back as messages, broken messages or nothing: never a panic,
//! never unbounded memory.
#![no_main]

use dmtool::syncml::pretty;
use dmtool::transcript::explain::explain;
use dmtool::transcript::finder::{Event, Finder};
use dmtool::transcript::thread::Threader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut threader = Threader::new();
    for event in Finder::new(data, "fuzz") {
        if let Event::Message(found) = event {
            for session in threader.add(&found) {
                let _ = explain(&session);
            }
            let _ = pretty::plain(&found.text, true);
        }
    }
    for session in threader.finish() {
        let _ = explain(&session);
    }
});
