//! The error types that decide an exit code, and the exit codes themselves.
//!
//! Everything that goes wrong travels as `anyhow::Error`; an error that is the
//! user's (a value that names nothing, a missing setting) carries a
//! [`UsageError`] so that it exits with 2 like clap's own usage errors. Any error
//! may carry a hint, printed on its own line after the message.

use std::fmt;
use std::process::ExitCode;

/// Exit code: success (an empty result is a success too).
pub const EXIT_OK: u8 = 0;
/// Exit code: something failed at run time (I/O, database, a broken input).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: the command line was wrong (clap's usage errors, a code or
/// value that names nothing, a missing setting).
pub const EXIT_USAGE: u8 = 2;

/// Exit code: `dmtool log explain --strict` found errors in the input.
pub const EXIT_FINDINGS: u8 = 3;

/// The input was read, and `--strict` asked for problems in it to fail the run.
#[derive(Debug)]
pub struct FindingsError(pub String);

impl fmt::Display for FindingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FindingsError {}

/// An error caused by what the user asked for; exits with [`EXIT_USAGE`].
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError {
    message: String,
    hint: Option<String>,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The same error with what it is about in front: `--since: '…' is not a date`.
    pub fn about(mut self, subject: &str) -> Self {
        self.message = format!("{subject}: {}", self.message);
        self
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

/// A hint attached to a run-time error with `.context(Hint(...))`-free helpers:
/// see [`hinted`].
#[derive(Debug)]
pub struct Hinted {
    message: String,
    hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

/// A run-time error (exit 1) with a hint.
pub fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Hinted {
        message: message.into(),
        hint: hint.into(),
    })
}

/// The same error, its causes folded into one message, with a hint.
pub fn attach_hint(error: anyhow::Error, hint: impl Into<String>) -> anyhow::Error {
    hinted(format!("{error:#}"), hint)
}

/// The hint of the first error in the chain that has one.
pub fn hint_of(error: &anyhow::Error) -> Option<&str> {
    error.chain().find_map(|cause| {
        if let Some(usage) = cause.downcast_ref::<UsageError>() {
            usage.hint()
        } else {
            cause.downcast_ref::<Hinted>().map(|h| h.hint.as_str())
        }
    })
}

/// True when the error is only a closed stdout (`dmtool … | head`): not an error.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The exit code an error ends the program with.
pub fn exit_code_of(error: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(error) {
        ExitCode::from(EXIT_OK)
    } else if error.chain().any(|c| c.is::<UsageError>()) {
        ExitCode::from(EXIT_USAGE)
    } else if error.chain().any(|c| c.is::<FindingsError>()) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::from(EXIT_FAILURE)
    }
}
