//! `dmtool alert`: decode Alert codes.

use anyhow::Result;

use crate::cli::AlertArgs;
use crate::codes::{AlertCode, Protocol, alert};
use crate::output::{Output, Record, Tone};

impl Record for AlertCode {
    fn values(&self) -> Result<Vec<serde_json::Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &["code", "name", "protocol", "description"]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        (column == "protocol" && self.protocol == Protocol::DataSync).then_some(Tone::Notice)
    }
}

pub(crate) fn run(args: &AlertArgs, output: &mut Output) -> Result<()> {
    let codes = if args.all {
        alert::all().iter().collect()
    } else {
        alert::lookup_all(&args.codes)?
    };
    output.write_all(super::status::layout_for(args.all, codes.len()), codes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_the_serialized_keys() {
        let value = serde_json::to_value(&alert::all()[0]).expect("serialize");
        let keys: Vec<&String> = value.as_object().expect("object").keys().collect();
        assert_eq!(keys, AlertCode::columns());
    }
}
