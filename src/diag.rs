//! Diagnostics on stderr: notes for `-v` and warnings that do not stop the work.
//! Data never goes here; stdout is `output`'s.

use std::io::Write;

/// Writes one line to stderr, prefixed `dmtool: `. A failing stderr is ignored:
/// there is nowhere left to report it.
/// `-q`: notes and warnings are not written.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Silences [`note`] for the rest of the run (`-q`).
pub(crate) fn be_quiet() {
    QUIET.store(true, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn note(message: &str) {
    if QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    // File names, broken messages' reasons and servers' errors come from
    // outside: escaped like any text for people.
    let message = crate::output::sanitize::for_terminal(message);
    let _ = writeln!(std::io::stderr().lock(), "dmtool: {message}");
}

/// A progress line on stderr for long reads: shown only when stderr is a
/// terminal and the work has taken more than a second, redrawn at most five
/// times a second, erased at the end.
pub(crate) struct Progress {
    enabled: bool,
    started: std::time::Instant,
    drawn: Option<std::time::Instant>,
}

impl Progress {
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            started: std::time::Instant::now(),
            drawn: None,
        }
    }

    /// Reports `done` of `total` bytes of `name`.
    pub(crate) fn update(&mut self, name: &str, done: u64, total: Option<u64>) {
        if !self.enabled || self.started.elapsed() < std::time::Duration::from_secs(1) {
            return;
        }
        if self
            .drawn
            .is_some_and(|at| at.elapsed() < std::time::Duration::from_millis(200))
        {
            return;
        }
        self.drawn = Some(std::time::Instant::now());
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        let text = match total {
            Some(total) if total > 0 => format!(
                "{name}: {:.0}% ({:.0} of {:.0} MiB)",
                done as f64 * 100.0 / total as f64,
                mib(done),
                mib(total)
            ),
            _ => format!("{name}: {:.0} MiB", mib(done)),
        };
        let text = crate::output::sanitize::for_terminal(&text);
        let _ = write!(std::io::stderr().lock(), "\r\x1b[2K{text}");
    }

    /// Erases the line, if one was drawn.
    pub(crate) fn finish(&mut self) {
        if self.drawn.take().is_some() {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}
