//! Fuzzes what reads untrusted logs: the message finder, the XML parser and
//! message model, the threading, the explanation and the pretty layout. Any
//! input must come back as messages, broken messages or nothing: never a panic,
//! never unbounded memory. The batched finder that `log` commands use must
//! find what the one-by-one finder finds, in the same order. The seeds
//! include the fixture written escaped, as JSON lines, backslashed, in
//! XMLLayout and cut inside a message, so the readers of those shapes and
//! the salvage of fragments and damaged messages are reached. WBXML in the
//! log read without its XML must be the message its XML is. Threaded again
//! under tiny limits, the caps on open sessions and rows are reached.
#![no_main]

use dmtool::syncml::pretty;
use dmtool::transcript::explain::explain;
use dmtool::transcript::finder::{Event, Finder};
use dmtool::transcript::thread::{Limits, Threader};
use libfuzzer_sys::fuzz_target;

/// Events as parsed messages without their XML, described.
fn messages_of(events: Vec<Event>) -> Vec<String> {
    events
        .into_iter()
        .map(|event| {
            let mut event = match event {
                Event::Unparsed(text) => text.parse(),
                other => other,
            };
            if let Event::Message(found) = &mut event {
                found.text = None;
            }
            format!("{event:?}")
        })
        .collect()
}

/// Threads the messages (and what was salvaged of damaged ones) under
/// `limits`, explaining each session handed out and laying each message out.
fn thread_and_explain(events: &[Event], limits: Limits) {
    let mut threader = Threader::new(limits);
    for event in events {
        let found = match event {
            Event::Message(found) => found.as_ref(),
            Event::Damaged(damaged) => &damaged.salvaged,
            _ => continue,
        };
        for session in threader.add(found) {
            let _ = explain(&session);
            threader.recycle(session);
        }
        assert!(threader.open_sessions() <= limits.max_open);
        let _ = pretty::plain(found.text.as_deref().unwrap_or_default(), true);
    }
    for session in threader.finish() {
        let _ = explain(&session);
    }
}

fuzz_target!(|data: &[u8]| {
    let one_by_one: Vec<Event> = Finder::new(data, "fuzz").collect();
    let mut batched = Vec::new();
    for event in Finder::batched(data, "fuzz", 3) {
        match event {
            Event::Texts(texts) => batched.extend(texts.parse(true)),
            Event::Collected(collected) => {
                let kept = collected.clone().finish(true);
                // Read without its XML (as `log explain` reads it), WBXML is
                // the message its XML is.
                assert_eq!(
                    messages_of(kept.clone()),
                    messages_of(collected.finish(false))
                );
                batched.extend(kept);
            }
            other => batched.push(other),
        }
    }
    let describe = |events: &[Event]| -> Vec<String> {
        events.iter().map(|event| format!("{event:?}")).collect()
    };
    assert_eq!(describe(&one_by_one), describe(&batched));
    thread_and_explain(&one_by_one, Limits::default());
    // The same messages under limits small enough that the caps rule: sessions
    // handed out early for their number and for their rows, continuations,
    // commands carried over (their counts must never go below zero).
    thread_and_explain(
        &one_by_one,
        Limits {
            timeout_ms: Some(1000),
            max_open: 2,
            max_rows: 6,
        },
    );
});
