//! `dmtool status`: decode status codes.

use anyhow::Result;

use crate::cli::StatusArgs;
use crate::codes::{StatusClass, StatusRecord, status};
use crate::output::{Layout, Output, Record, Tone};

impl Record for StatusRecord {
    fn columns() -> &'static [&'static str] {
        &["code", "name", "description", "class", "dm_meaning", "hint"]
    }

    fn summary_columns() -> &'static [&'static str] {
        &["code", "name", "class", "description"]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        matches!(column, "code" | "name" | "class").then(|| class_tone(self.class))
    }
}

/// The colour of a status class: success green, failures red, 1xx yellow.
pub fn class_tone(class: StatusClass) -> Tone {
    match class {
        StatusClass::Informational => Tone::Pending,
        StatusClass::Success => Tone::Good,
        StatusClass::Redirection => Tone::Notice,
        StatusClass::OriginatorException | StatusClass::RecipientException => Tone::Bad,
        StatusClass::ApplicationSpecific => Tone::Info,
    }
}

/// The colour of a status as a device reported it; `None` (not answered) is pending.
pub fn status_tone(code: Option<u32>) -> Tone {
    code.and_then(StatusClass::of)
        .map_or(Tone::Pending, class_tone)
}

pub fn run(args: &StatusArgs, output: &mut Output) -> Result<()> {
    let records = if args.all {
        status::all().iter().map(|entry| entry.record()).collect()
    } else {
        status::lookup_all(&args.codes)?
    };
    output.write_all(layout_for(args.all, records.len()), &records)?;
    Ok(())
}

/// Cards (every field, hint included) for a few codes; a compact list for many.
pub(crate) fn layout_for(all: bool, count: usize) -> Layout {
    if all || count > CARDS_AT_MOST {
        Layout::Rows
    } else {
        Layout::Cards
    }
}

/// The most records shown as cards.
const CARDS_AT_MOST: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_the_serialized_keys() {
        let record = status::all()[0].record();
        let value = serde_json::to_value(&record).expect("serialize");
        let keys: Vec<&String> = value.as_object().expect("object").keys().collect();
        assert_eq!(keys, StatusRecord::columns());
    }

    #[test]
    fn unanswered_and_in_progress_are_pending_failures_are_bad() {
        assert_eq!(status_tone(None), Tone::Pending);
        assert_eq!(status_tone(Some(101)), Tone::Pending);
        assert_eq!(status_tone(Some(200)), Tone::Good);
        assert_eq!(status_tone(Some(404)), Tone::Bad);
        assert_eq!(status_tone(Some(500)), Tone::Bad);
    }
}
