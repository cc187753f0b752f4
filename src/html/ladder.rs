//! One session drawn as a ladder: a device lane and a server lane, one arrow
//! per message in the log's order, labelled with its commands and the answer
//! each got (a class per status class), the header's challenge, credentials,
//! and where the connection was lost; each message's XML folded beneath its
//! arrow when the page has it. Markup only: the look is the page's style.

use std::collections::HashMap;
use std::fmt::Write;

use smol_str::SmolStr;

use super::escape;
use crate::codes::status;
use crate::transcript::ladder::{Arrow, Carried, Ladder};
use crate::transcript::thread::Direction;

/// The XML of messages by (file, line), for the arrows that have it.
pub(crate) type Texts = HashMap<(SmolStr, u64), String>;

/// Writes the ladder of one session.
pub(crate) fn write(out: &mut String, session: &str, ladder: &Ladder, texts: &Texts) {
    let _ = write!(
        out,
        "<div class=\"ladder\" data-session=\"{}\" role=\"figure\" aria-label=\"messages of session {}\">\
         <div class=\"lanes\"><span class=\"lane device\">device</span><span class=\"lane server\">server</span></div>",
        escape(session),
        escape(session)
    );
    let last = ladder.arrows.len().saturating_sub(1);
    for (index, arrow) in ladder.arrows.iter().enumerate() {
        let lost = ladder.lost && index == last;
        write_arrow(out, arrow, lost, texts);
    }
    if ladder.lost {
        out.push_str(
            "<div class=\"end lost\">✗ connection lost: the device never answered the server's last message</div>",
        );
    }
    out.push_str("</div>");
}

fn write_arrow(out: &mut String, arrow: &Arrow, lost: bool, texts: &Texts) {
    let (class, from, to) = match arrow.direction {
        Direction::DeviceToServer => ("d2s", "device", "server"),
        Direction::ServerToDevice => ("s2d", "server", "device"),
    };
    let challenged = matches!(arrow.header_status, Some(401 | 407));
    let _ = write!(
        out,
        "<div class=\"arrow {class}{}{}\" data-line=\"{}\" title=\"{from} → {to}\">",
        if lost { " lost" } else { "" },
        if challenged { " challenged" } else { "" },
        arrow.line
    );
    out.push_str("<div class=\"meta\">");
    let _ = write!(
        out,
        "MsgID {}",
        escape(arrow.msg_id.as_deref().unwrap_or("?"))
    );
    if let Some(time) = &arrow.time {
        let _ = write!(out, " · {}", escape(time));
    }
    let _ = write!(out, " · line {}", arrow.line);
    if arrow.credentials {
        out.push_str(" · <span class=\"cred\">credentials</span>");
    }
    if arrow.is_final {
        out.push_str(" · final");
    }
    out.push_str("</div><div class=\"shaft\"></div>");
    if let Some(code) = arrow
        .header_status
        .filter(|code| *code != 200 && *code != 212)
    {
        let _ = write!(
            out,
            "<div class=\"header\">header answered {}</div>",
            badge(Some(code), false)
        );
    }
    if arrow.commands.is_empty() {
        out.push_str("<div class=\"cmds none\">answers only</div>");
    } else {
        out.push_str("<ul class=\"cmds\">");
        for carried in &arrow.commands {
            write_command(out, carried);
        }
        out.push_str("</ul>");
    }
    if let Some(text) = texts.get(&(arrow.file.clone(), arrow.line)) {
        let _ = write!(
            out,
            "<details class=\"xml\"><summary>XML</summary><pre>{}</pre></details>",
            escape(text)
        );
    }
    out.push_str("</div>");
}

fn write_command(out: &mut String, carried: &Carried) {
    let _ = write!(
        out,
        "<li><span class=\"cmd\">{}</span>",
        escape(&carried.cmd)
    );
    if let Some(code) = carried.alert {
        let _ = write!(out, " <span class=\"alert\">{code}</span>");
    }
    if let Some(target) = &carried.target {
        let _ = write!(out, " <span class=\"target\">{}</span>", escape(target));
        if carried.more_targets > 0 {
            let _ = write!(out, " (+{})", carried.more_targets);
        }
    }
    let _ = write!(out, " {}</li>", badge(carried.status, carried.no_resp));
}

/// A status as a badge whose class is its class: `s2xx`, `s4xx`, …,
/// `unanswered` or `noresp`.
fn badge(code: Option<u32>, no_resp: bool) -> String {
    match code {
        Some(code) => format!(
            "<span class=\"status s{}xx\">{code} {}</span>",
            (code / 100).min(9),
            status::name_of(code).unwrap_or("")
        ),
        None if no_resp => "<span class=\"status noresp\">no answer asked</span>".to_owned(),
        None => "<span class=\"status unanswered\">no answer</span>".to_owned(),
    }
}
