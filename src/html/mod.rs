//! `--format html`: a report as one self-contained page. An index of every
//! session (those with problems first), then the sessions in detail — a
//! ladder diagram each, its findings beside it, each message's XML folded
//! beneath its arrow — and for a device report the chain and the job/log
//! table above its sessions. No script, no request for anything (a Content
//! Security Policy forbids it), every text from a log or a database escaped;
//! light and dark schemes, printable. Owns the markup and its style; the
//! reports it draws are built elsewhere.

mod ladder;

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use smol_str::SmolStr;

pub(crate) use ladder::Texts;

use crate::device_log::{Agreement, DeviceLog};
use crate::device_report::DeviceReport;
use crate::transcript::explain::{Ending, SessionReport, Severity};
use crate::transcript::ladder::Ladder;
use crate::transcript::source::{Messages, Seen};

/// Sessions with problems drawn in detail, at most; past them, indexed only.
const DETAILED_WITH_PROBLEMS: usize = 200;
/// Sessions without problems drawn in detail, the first ones.
const DETAILED_WITHOUT: usize = 100;
/// The most characters of one message's XML on the page.
const XML_CHARS: usize = 16 * 1024;

/// `text` with what HTML reads as markup, and what a terminal acts on,
/// written as character references.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if crate::output::sanitize::needs_escape(c) => {
                let _ = write!(out, "&#x{:x};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// One line of the index's table (a session drawn in detail).
struct IndexRow {
    /// Its detail's anchor.
    anchor: usize,
    session: Option<SmolStr>,
    device: Option<SmolStr>,
    first_time: Option<SmolStr>,
    messages: usize,
    ending: Ending,
    problems: usize,
}

/// A session drawn in detail.
pub(crate) struct Detail {
    pub(crate) report: SessionReport,
    pub(crate) ladder: Ladder,
}

/// The sessions of a reading, as they end: the first ones with problems and
/// the first ones without drawn in detail (a row of the index's table each),
/// every other one a line of the index's full list (SessionID, device and,
/// with problems, how it ended), kept as text: a few dozen bytes a session.
#[derive(Default)]
pub(crate) struct Collector {
    with_problems: Vec<IndexRow>,
    without: Vec<IndexRow>,
    details: Vec<Detail>,
    /// The list's lines, escaped.
    listed_with_problems: String,
    listed_without: String,
    sessions: usize,
    sessions_with_problems: usize,
}

impl Collector {
    /// Takes a session's report, and its ladder if it is to be drawn (asked
    /// for with [`wants`](Self::wants)).
    pub(crate) fn add(&mut self, report: &SessionReport, ladder: Option<Ladder>) {
        let problems = report
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .count();
        self.sessions += 1;
        if problems > 0 {
            self.sessions_with_problems += 1;
        }
        let session = report.session.as_deref().unwrap_or("(no SessionID)");
        let device = report.device.as_deref().unwrap_or("?");
        let Some(ladder) = ladder else {
            if problems > 0 {
                let _ = writeln!(
                    self.listed_with_problems,
                    "{} {} {} ({problems})",
                    escape(session),
                    escape(device),
                    report.ending.short()
                );
            } else {
                let _ = writeln!(
                    self.listed_without,
                    "{} {}",
                    escape(session),
                    escape(device)
                );
            }
            return;
        };
        self.details.push(Detail {
            report: report.clone(),
            ladder,
        });
        let row = IndexRow {
            anchor: self.details.len() - 1,
            session: report.session.clone(),
            device: report.device.clone(),
            first_time: report.first_time.clone(),
            messages: report.messages,
            ending: report.ending,
            problems,
        };
        if problems > 0 {
            self.with_problems.push(row);
        } else {
            self.without.push(row);
        }
    }

    /// Whether a session with these problems is still drawn in detail.
    pub(crate) fn wants(&self, report: &SessionReport) -> bool {
        if report.has_problems() {
            self.with_problems.len() < DETAILED_WITH_PROBLEMS
        } else {
            self.without.len() < DETAILED_WITHOUT
        }
    }

    /// The messages whose XML the details show.
    pub(crate) fn wanted_texts(&self) -> HashSet<(SmolStr, u64)> {
        self.details
            .iter()
            .flat_map(|detail| &detail.ladder.arrows)
            .map(|arrow| (arrow.file.clone(), arrow.line))
            .collect()
    }
}

/// Reads the inputs once more for the XML of the messages `wanted` (stdin
/// cannot be read twice: none is given for it).
pub(crate) fn fetch_texts(files: &[String], wanted: &HashSet<(SmolStr, u64)>) -> Texts {
    let mut texts: Texts = HashMap::new();
    if wanted.is_empty() {
        return texts;
    }
    let files: Vec<String> = files
        .iter()
        .filter(|f| f.as_str() != "-")
        .cloned()
        .collect();
    let mut messages = Messages::open(&files, true);
    while let Some(seen) = messages.next() {
        if let Seen::Message(found) = seen {
            let key = (found.file.clone(), found.line);
            if wanted.contains(&key)
                && let Some(text) = &found.text
            {
                let text = if text.len() > XML_CHARS {
                    let cut = (0..=XML_CHARS)
                        .rev()
                        .find(|at| text.is_char_boundary(*at))
                        .unwrap_or(0);
                    format!(
                        "{}\n… ({} more bytes not shown)",
                        &text[..cut],
                        text.len() - cut
                    )
                } else {
                    text.clone()
                };
                texts.insert(key, text);
                if texts.len() == wanted.len() {
                    break;
                }
            }
        }
    }
    texts
}

/// The page's head: title, style, and a policy that forbids every request.
fn begin(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"generator\" content=\"dmtool {}\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title)
    );
}

fn end(out: &mut String) {
    out.push_str("<footer>Written by dmtool. No script, no request: this page is all there is.</footer></body></html>\n");
}

/// What `log explain --format html` knows besides the sessions.
pub(crate) struct ExplainPage<'a> {
    pub(crate) inputs: &'a [String],
    pub(crate) summary: String,
    pub(crate) unanswered: Vec<String>,
    pub(crate) bootstraps: Vec<String>,
    pub(crate) broken: Vec<String>,
    /// Why messages' XML is missing, if it is.
    pub(crate) texts_note: Option<String>,
}

/// The page of `dmtool log explain --format html`, written out a piece at a
/// time (a page of a large log is megabytes).
pub(crate) fn write_explain_page(
    sink: &mut dyn std::io::Write,
    collector: &Collector,
    page: &ExplainPage<'_>,
    texts: &Texts,
) -> std::io::Result<()> {
    let mut out = String::with_capacity(64 * 1024);
    begin(&mut out, "dmtool log explain");
    let _ = writeln!(
        out,
        "<header><h1>dmtool log explain</h1><p class=\"inputs\">{}</p><p class=\"summary\">{}</p></header>",
        escape(&page.inputs.join(", ")),
        escape(&page.summary)
    );
    write_index(&mut out, collector);
    sink.write_all(out.as_bytes())?;
    out.clear();
    write_listed(sink, collector)?;
    write_lists(&mut out, page);
    out.push_str("<main>\n");
    if let Some(note) = &page.texts_note {
        let _ = write!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    for (index, detail) in collector.details.iter().enumerate() {
        write_session(&mut out, index, detail, texts);
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    out.push_str("</main>\n");
    end(&mut out);
    sink.write_all(out.as_bytes())
}

/// The table of the sessions drawn in detail, those with problems first.
fn write_index(out: &mut String, collector: &Collector) {
    let total = collector.sessions;
    let detailed = collector.details.len();
    let _ = write!(
        out,
        "<nav id=\"index\"><h2>Sessions</h2><p>{total} session(s), {} with problems (listed first).",
        collector.sessions_with_problems
    );
    if detailed < total {
        let _ = write!(
            out,
            " Drawn in detail: {detailed} — the first {DETAILED_WITH_PROBLEMS} with problems and the first {DETAILED_WITHOUT} without; the other {} are listed below the table (<code>dmtool log explain --session ID</code> tells any one).",
            total - detailed
        );
    }
    out.push_str("</p><table class=\"index\"><thead><tr><th>session</th><th>device</th><th>first message</th><th>messages</th><th>ended</th><th>problems</th></tr></thead><tbody>\n");
    for row in collector.with_problems.iter().chain(&collector.without) {
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td><a href=\"#s{}\">{}</a><td>{}<td>{}<td>{}<td>{}<td>{}</tr>",
            if row.problems > 0 { "problem" } else { "ok" },
            row.anchor,
            escape(row.session.as_deref().unwrap_or("(no SessionID)")),
            escape(row.device.as_deref().unwrap_or("?")),
            escape(row.first_time.as_deref().unwrap_or("")),
            row.messages,
            row.ending.short(),
            row.problems
        );
    }
    out.push_str("</tbody></table>");
}

/// Every session not drawn, a line each: those with problems (how each
/// ended, how many problems), then the others.
fn write_listed(sink: &mut dyn std::io::Write, collector: &Collector) -> std::io::Result<()> {
    for (what, lines) in [
        (
            "with problems (SessionID, device, how it ended, problems)",
            &collector.listed_with_problems,
        ),
        (
            "without problems (SessionID, device)",
            &collector.listed_without,
        ),
    ] {
        if lines.is_empty() {
            continue;
        }
        let count = lines.matches('\n').count();
        write!(
            sink,
            "<details class=\"listed\"><summary>The other {count} session(s) {what}</summary><pre>"
        )?;
        sink.write_all(lines.as_bytes())?;
        sink.write_all(b"</pre></details>")?;
    }
    sink.write_all(b"</nav>\n")
}

fn write_lists(out: &mut String, page: &ExplainPage<'_>) {
    for (title, items) in [
        ("Packages 0 no session answered", &page.unanswered),
        ("Bootstraps sent", &page.bootstraps),
        ("Broken messages", &page.broken),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = write!(out, "<section class=\"list\"><h2>{title}</h2><ul>");
        for item in items {
            let _ = write!(out, "<li>{}</li>", escape(item));
        }
        out.push_str("</ul></section>\n");
    }
}

fn write_session(out: &mut String, index: usize, detail: &Detail, texts: &Texts) {
    let report = &detail.report;
    let session = report.session.as_deref().unwrap_or("(no SessionID)");
    let when = match (&report.first_time, &report.last_time) {
        (Some(first), Some(last)) if first != last => format!("{first} – {last}"),
        (Some(first), _) => first.to_string(),
        _ => "no timestamps".to_owned(),
    };
    let _ = write!(
        out,
        "<section class=\"session{}\" id=\"s{index}\"><h2>Session {} · device {} · {}</h2>\
         <p class=\"where\">{} messages, {} commands · {} · {}:{}</p><div class=\"body\">",
        if report.has_problems() {
            " problem"
        } else {
            ""
        },
        escape(session),
        escape(report.device.as_deref().unwrap_or("(unknown)")),
        escape(&when),
        report.messages,
        report.commands,
        report.ending.short(),
        escape(report.file.as_deref().unwrap_or("?")),
        report.line.unwrap_or(0)
    );
    ladder::write(out, session, &detail.ladder, texts);
    out.push_str("<aside class=\"findings\"><h3>Findings</h3>");
    if report.findings.is_empty() {
        out.push_str("<p>none</p>");
    } else {
        out.push_str("<ul>");
        for finding in &report.findings {
            let class = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let _ = write!(
                out,
                "<li class=\"{class}\">{} <span class=\"line\">(line {})</span>",
                escape(&finding.message),
                finding.line
            );
            if let Some(hint) = &finding.hint {
                let _ = write!(out, "<div class=\"hint\">{}</div>", escape(hint));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</aside></div></section>\n");
}

/// The page of `dmtool device … --format html`.
pub(crate) fn device_page(
    title: &str,
    devices: &[(&DeviceReport, Vec<Detail>)],
    texts: &Texts,
) -> String {
    let mut out = String::with_capacity(64 * 1024);
    begin(&mut out, title);
    let _ = write!(out, "<header><h1>{}</h1></header>\n<main>\n", escape(title));
    for (number, (device, details)) in devices.iter().enumerate() {
        write_device(&mut out, number, device, details, texts);
    }
    out.push_str("</main>\n");
    end(&mut out);
    out
}

fn write_device(
    out: &mut String,
    number: usize,
    device: &DeviceReport,
    details: &[Detail],
    texts: &Texts,
) {
    let names: Vec<String> = device
        .device
        .0
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(column, value)| match value {
            serde_json::Value::String(text) => format!("{column} {text}"),
            other => format!("{column} {other}"),
        })
        .collect();
    let _ = write!(
        out,
        "<section class=\"device\" id=\"d{number}\"><h2>Device · {}</h2><p>Platform: {} — {}</p>",
        escape(&names.join(" · ")),
        escape(device.platform.name),
        escape(&device.platform.reason)
    );
    if let Some(log) = &device.log {
        write_device_log(out, log);
    }
    out.push_str("<h3>Jobs, newest first</h3><table class=\"jobs\"><thead><tr><th>created</th><th>job</th><th>status</th><th>kind</th><th>operations</th><th>ok</th><th>failed</th><th>in progress</th><th>unanswered</th></tr></thead><tbody>");
    for job in &device.jobs {
        let _ = write!(
            out,
            "<tr><td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}</tr>",
            escape(job.job_created.as_deref().unwrap_or("")),
            escape(job.job_id.as_deref().unwrap_or("")),
            escape(job.job_status.as_deref().unwrap_or("")),
            job.kind,
            job.operations,
            job.ok,
            job.failed,
            job.in_progress,
            job.unanswered
        );
    }
    out.push_str("</tbody></table>");
    let offset = number * 10_000;
    for (index, detail) in details.iter().enumerate() {
        write_session(out, offset + index, detail, texts);
    }
    out.push_str("</section>\n");
}

fn write_device_log(out: &mut String, log: &DeviceLog) {
    let class = if log.verdict.broke_at.is_some() {
        "verdict broke"
    } else {
        "verdict ok"
    };
    let _ = write!(
        out,
        "<div class=\"{class}\"><strong>{}</strong> {}",
        match log.verdict.broke_at {
            Some(step) => format!("Broke at {step}:"),
            None => "Nothing broke:".to_owned(),
        },
        escape(&log.verdict.message)
    );
    if let Some(hint) = &log.verdict.hint {
        let _ = write!(out, "<div class=\"hint\">{}</div>", escape(hint));
    }
    out.push_str("</div><h3>Chain</h3><table class=\"chain\"><thead><tr><th>time</th><th>event</th><th>detail</th></tr></thead><tbody>");
    for step in &log.chain {
        let event = serde_json::to_value(step.event)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr class=\"{event}\"><td>{}<td>{event}<td>{}</tr>",
            escape(step.time.as_deref().unwrap_or("")),
            escape(&step.detail)
        );
    }
    out.push_str("</tbody></table><h3>Operations: the database beside the log</h3><table class=\"operations\"><thead><tr><th>job</th><th>task</th><th>command</th><th>target</th><th>database</th><th>log</th><th>session</th><th>line</th><th>agreement</th></tr></thead><tbody>");
    for op in &log.operations {
        let agreement = match op.agreement {
            Agreement::Agree => "agree",
            Agreement::Differ => "differ",
            Agreement::LogOnly => "log_only",
            Agreement::DatabaseOnly => "database_only",
            Agreement::NotInLog => "not_in_log",
        };
        let code = |code: Option<u32>| code.map_or(String::new(), |c| c.to_string());
        let _ = write!(
            out,
            "<tr class=\"{agreement}\"><td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{}<td>{agreement}</tr>",
            escape(op.job_id.as_deref().unwrap_or("")),
            escape(&serde_json::Value::from(&op.task_id).to_string()),
            escape(op.command.as_deref().unwrap_or("")),
            escape(op.target.as_deref().unwrap_or("")),
            code(op.db_status),
            code(op.log_status),
            escape(op.session.as_deref().unwrap_or("")),
            op.line.map_or(String::new(), |line| line.to_string())
        );
    }
    out.push_str("</tbody></table>");
}

/// The page's look: light and dark, printable, readable without script.
const STYLE: &str = r#"
:root{--bg:#fff;--fg:#1b1f24;--dim:#5b6470;--line:#c9d1d9;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--info:#0969da;--card:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--dim:#8b949e;--line:#30363d;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--info:#58a6ff;--card:#161b22}}
body{font:14px/1.45 system-ui,sans-serif;background:var(--bg);color:var(--fg);margin:1.5em auto;max-width:1200px;padding:0 1em}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .3em}h3{font-size:1em;margin:.8em 0 .3em}
code,pre,.target,.meta,td{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;margin:.3em 0}th,td{border-bottom:1px solid var(--line);padding:.15em .6em;text-align:left;vertical-align:top}
tr.problem td:first-child a,tr.problem td:first-child{color:var(--bad)}
nav#index{max-height:24em;overflow:auto;border:1px solid var(--line);padding:0 .8em .5em;background:var(--card)}
.session{border-top:2px solid var(--line);margin-top:1.5em}.session.problem h2{color:var(--bad)}
.where{color:var(--dim);margin:0}
.body{display:flex;gap:1.5em;align-items:flex-start;flex-wrap:wrap}
.ladder{flex:3 1 560px;position:relative;padding:.2em 0;background:linear-gradient(var(--dim),var(--dim)) 4em 0/2px 100% no-repeat,linear-gradient(var(--dim),var(--dim)) calc(100% - 4em) 0/2px 100% no-repeat}
.lanes{display:flex;justify-content:space-between;font-weight:600;margin-bottom:.4em}.lane{width:8em;text-align:center;background:var(--bg)}
.arrow{margin:.2em 5em .9em;position:relative}
.arrow .shaft{height:2px;background:var(--fg);position:relative;margin:.2em 0}
.arrow.d2s .shaft::after,.arrow.s2d .shaft::after{content:"";position:absolute;top:-5px;border:6px solid transparent}
.arrow.d2s .shaft::after{right:-2px;border-left:10px solid var(--fg);border-right:0}
.arrow.s2d .shaft::after{left:-2px;border-right:10px solid var(--fg);border-left:0}
.arrow.s2d .meta,.arrow.s2d .cmds,.arrow.s2d .header{text-align:right}
.arrow.lost .shaft{background:repeating-linear-gradient(90deg,var(--bad) 0 6px,transparent 6px 10px)}
.arrow.challenged .shaft{background:var(--warn)}
.meta{color:var(--dim)}.cred{color:var(--info)}
.cmds{list-style:none;margin:0;padding:0}.cmds li{margin:.05em 0}.cmds.none{color:var(--dim)}
.cmd{font-weight:600}.alert{color:var(--info)}
.status{display:inline-block;border-radius:3px;padding:0 .35em;font-size:12px;border:1px solid currentColor}
.s1xx{color:var(--warn)}.s2xx{color:var(--ok)}.s3xx{color:var(--info)}.s4xx,.s5xx,.s6xx,.s7xx,.s8xx,.s9xx{color:var(--bad)}.unanswered{color:var(--warn);border-style:dashed}.noresp{color:var(--dim)}
.end.lost{color:var(--bad);font-weight:600;margin:0 5em}
details.xml summary{cursor:pointer;color:var(--dim)}details.xml pre{background:var(--card);padding:.5em;overflow:auto;max-height:30em;white-space:pre-wrap}
.findings{flex:1 1 280px}.findings ul{padding-left:1.1em}.findings .error{color:var(--bad)}.findings .warning{color:var(--warn)}.findings .info{color:var(--dim)}
.hint{color:var(--dim);font-style:italic}
.verdict{padding:.5em .8em;border-left:4px solid;margin:.6em 0}.verdict.broke{border-color:var(--bad)}.verdict.ok{border-color:var(--ok)}
tr.differ td:last-child{color:var(--bad)}tr.agree td:last-child{color:var(--ok)}tr.database_only td:last-child,tr.log_only td:last-child{color:var(--warn)}
details.listed pre{max-height:24em;overflow:auto;margin:.3em 0}
.note{color:var(--warn)}footer{color:var(--dim);margin:2em 0 1em;font-size:12px}
@media print{nav#index{max-height:none;overflow:visible}body{max-width:none}.session{break-inside:avoid-page}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_terminal_controls_are_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \u{1b}[2J\u{202e}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#x1b;[2J&#x202e;"
        );
    }
}
