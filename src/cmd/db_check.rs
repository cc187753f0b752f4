//! `dmtool db check`: the report of `db::check` as text for people, json or
//! jsonl.

use anyhow::Result;

use crate::cli::DbCheckArgs;
use crate::config::Config;
use crate::db::Target;
use crate::db::check::{self, Report};
use crate::output::{Format, Output, Style, Tone};

pub(crate) fn run(args: &DbCheckArgs, config: &Config, output: &mut Output) -> Result<()> {
    let mut store = super::db::open(config, &args.db)?;
    let file = match store.target() {
        Target::Sqlite(path) => Some(path.clone()),
        Target::Demo | Target::Mysql(_) => None,
    };
    let report = check::run(&mut store, file.as_deref())?;
    match output.format() {
        Format::Json | Format::Jsonl => output.document(&report),
        _ => write_text(output, &report),
    }
}

fn write_text(output: &mut Output, report: &Report) -> Result<()> {
    output.line_fmt(
        format_args!(
            "Database: {} ({})",
            report.target,
            report
                .server_version
                .as_deref()
                .unwrap_or("version unknown")
        ),
        Style::Heading,
    )?;
    output.line("The guide's tables", Style::Heading)?;
    for table in &report.tables {
        if !table.found {
            output.line_fmt(
                format_args!("  ✗ {} missing", table.table),
                Style::Tone(Tone::Bad),
            )?;
            continue;
        }
        let missing: Vec<&str> = table
            .columns
            .iter()
            .filter(|c| !c.found)
            .map(|c| c.column)
            .collect();
        let rows = table.rows.map_or_else(
            || "rows unknown".to_owned(),
            |rows| format!("about {rows} rows"),
        );
        let others = if table.other_columns.is_empty() {
            String::new()
        } else {
            format!("; other columns: {}", table.other_columns.join(", "))
        };
        if missing.is_empty() {
            output.line_fmt(
                format_args!(
                    "  ✓ {} ({rows}): every column the guide names{others}",
                    table.table
                ),
                Style::Tone(Tone::Good),
            )?;
        } else {
            output.line_fmt(
                format_args!(
                    "  ✗ {} ({rows}): missing columns {}{others}",
                    table.table,
                    missing.join(", ")
                ),
                Style::Tone(Tone::Bad),
            )?;
        }
    }
    output.line(
        "Indexes the guide's query and the device report need",
        Style::Heading,
    )?;
    for index in &report.indexes {
        match &index.index {
            Some(name) => output.line_fmt(
                format_args!(
                    "  ✓ {} ({}): {name} — {}",
                    index.table, index.column, index.serves
                ),
                Style::Tone(Tone::Good),
            )?,
            None => output.line_fmt(
                format_args!(
                    "  ✗ {} ({}): no index — {}",
                    index.table, index.column, index.serves
                ),
                Style::Tone(Tone::Bad),
            )?,
        }
    }
    if !report.plans.is_empty() {
        output.line("Plans (EXPLAIN)", Style::Heading)?;
        for plan in &report.plans {
            let verdict = if plan.full_scans.is_empty() {
                "no table read whole".to_owned()
            } else {
                format!("reads whole: {}", plan.full_scans.join(", "))
            };
            let tone = if plan.full_scans.iter().any(|t| t == "dm_operation") {
                Tone::Bad
            } else if plan.full_scans.is_empty() {
                Tone::Good
            } else {
                Tone::Pending
            };
            output.line_fmt(
                format_args!("  {}: {verdict}", plan.query),
                Style::Tone(tone),
            )?;
            for step in &plan.steps {
                output.line_fmt(format_args!("    {step}"), Style::Dim)?;
            }
        }
    }
    if report.create_index.is_empty() {
        output.line("Indexes to add: none", Style::Heading)?;
    } else {
        output.line(
            "Indexes to add (for a DBA to run; dmtool never writes)",
            Style::Heading,
        )?;
        for statement in &report.create_index {
            output.line_fmt(format_args!("  {statement}"), Style::Plain)?;
        }
    }
    let tone = match report.can_write.writes {
        Some(true) => Tone::Pending,
        Some(false) => Tone::Good,
        None => Tone::Info,
    };
    output.line_fmt(
        format_args!("Writing: {}", report.can_write.detail),
        Style::Tone(tone),
    )
}
