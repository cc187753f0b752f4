//! `dmtool status`: decode status codes.

use anyhow::Result;

use crate::cli::StatusArgs;
use crate::codes::{StatusRecord, status};
use crate::output::{Layout, Output, Record, Tone};

impl Record for StatusRecord {
    fn values(&self) -> Result<Vec<serde_json::Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &["code", "name", "description", "class", "dm_meaning", "hint"]
    }

    fn summary_columns() -> &'static [&'static str] {
        &["code", "name", "class", "description"]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        matches!(column, "code" | "name" | "class").then(|| Tone::of_class(self.class))
    }
}

pub(crate) fn run(args: &StatusArgs, output: &mut Output) -> Result<()> {
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
}
