//! The host's single error type.

use std::fmt;

/// What went wrong, which decides how the error is displayed (contract §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The guest returned `err(msg)` from a routine. Display: `guest fdw error: <msg>`.
    Guest,
    /// A trap, an instantiation failure or another wasmtime failure. Display: `wasmtime error: <text>`.
    Wasmtime,
    /// The guest called `utils.report-error(msg)`; the call was aborted. Display: `<msg>`.
    Reported,
    /// A host-side check failed (strict row checks, invalid header name, unsupported column type,
    /// out-of-range resource constructor, vault lookup, …). Display: `<msg>`.
    Host,
    /// The host version does not satisfy the guest's requirement. Display: `guest fdw error: <msg>`.
    Version,
    /// The guest's host-version requirement does not parse. Display: `semver error: <msg>`.
    Semver,
    /// The bytes are not a loadable WebAssembly component. Display: `invalid WebAssembly component`.
    InvalidComponent,
    /// Package download / verification / cache problems. Display: `guest fdw error: <msg>`
    /// (Supabase reuses the guest-error variant for these).
    Package,
    /// The instance refuses calls after an earlier error. Display: `<msg>`.
    Unusable,
    /// Invalid arguments passed to the host API. Display: `<msg>`.
    Usage,
    /// The guest pushed a wrong number of cells for the scan's target columns (strict row check,
    /// or `row.push` beyond the last column). Display: `<msg>`, which starts with
    /// `target column number not match` (SQLSTATE HV008 on Postgres).
    CellCount,
    /// The statement was interrupted while the guest ran or waited (a Postgres query cancel,
    /// statement timeout or backend termination; the runner's `--statement-timeout-ms`).
    /// Display: `<msg>`. A Postgres host raises Postgres' own error instead when it can.
    Interrupted,
    /// A resource limit of the host was reached (the guest's linear memory, table size).
    /// Display: `<msg>`, which names the limit and the server option that sets it.
    Limit,
}

/// Longest message or detail the host produces, in bytes: a guest returning a 10 MB error
/// string must not become a 10 MB ERROR and log line. Longer text is cut with a note.
pub const MAX_MESSAGE_BYTES: usize = 8192;

/// Wasm backtrace frames kept in an error's detail (a deep-recursion trap has thousands).
pub const MAX_BACKTRACE_FRAMES: usize = 10;

/// `text` cut to at most `max` bytes (on a char boundary), with a note saying how long it was.
pub fn cap_text(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{}… [truncated: {} bytes in all]", &text[..end], text.len()))
}

/// A wasm backtrace (`… wasm backtrace:\n    0: …\n    1: …`) with at most `max_frames`
/// frames; the rest is summarised as `… N more frames`.
pub fn trim_backtrace(text: &str, max_frames: usize) -> String {
    let is_frame = |l: &str| {
        let t = l.trim_start();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && t[digits..].starts_with(':')
    };
    let mut out = String::new();
    let (mut frames, mut dropped) = (0usize, 0usize);
    for line in text.lines() {
        if is_frame(line) {
            frames += 1;
            if frames > max_frames {
                dropped += 1;
                continue;
            }
        } else if frames > max_frames {
            // a continuation line of a dropped frame (source location)
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    if dropped > 0 {
        out.push_str(&format!("\n    … {dropped} more frames"));
    }
    out
}

/// The host's error: a kind, a message and an optional detail (e.g. a wasm backtrace or the
/// compiler's reason for rejecting a component) that is not part of the display text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdwError {
    kind: ErrorKind,
    message: String,
    detail: Option<String>,
    routine: Option<&'static str>,
}

/// Owned `text` capped at [`MAX_MESSAGE_BYTES`] (no copy when it is short enough).
fn capped(text: String) -> String {
    match cap_text(&text, MAX_MESSAGE_BYTES) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(c) => c,
    }
}

impl FdwError {
    /// A new error; the message is capped at [`MAX_MESSAGE_BYTES`].
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        FdwError { kind, message: capped(message.into()), detail: None, routine: None }
    }

    /// Attach a detail (capped at [`MAX_MESSAGE_BYTES`]).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(capped(detail.into()));
        self
    }

    /// Name the guest routine (`init`, `iter_scan`, …) that was running when the error arose.
    pub fn with_routine(mut self, routine: &'static str) -> Self {
        self.routine = Some(routine);
        self
    }

    /// The guest routine that was running, if the error arose in one (see [`FdwError::with_routine`]).
    pub fn routine(&self) -> Option<&'static str> {
        self.routine
    }

    pub fn guest(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Guest, msg)
    }

    pub fn host(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Host, msg)
    }

    pub fn usage(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, msg)
    }

    pub fn package(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Package, msg)
    }

    pub fn invalid_component(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidComponent, "invalid WebAssembly component").with_detail(detail)
    }

    /// Format a wasmtime/anyhow error: the context chain joined by `: `, without the wasm
    /// backtrace (which goes to [`FdwError::detail`]).
    pub fn wasmtime(err: &wasmtime::Error) -> Self {
        let mut parts: Vec<String> = Vec::new();
        let backtrace = err.downcast_ref::<wasmtime::WasmBacktrace>().map(|bt| bt.to_string());
        for cause in err.chain() {
            let text = cause.to_string();
            if backtrace.as_deref() == Some(text.as_str()) {
                continue;
            }
            if !parts.iter().any(|p| p == &text) {
                parts.push(text);
            }
        }
        let mut e = Self::new(ErrorKind::Wasmtime, parts.join(": "));
        // a stack-overflow trap has a backtrace of thousands of frames: keep the top ones
        e.detail = backtrace.map(|bt| capped(trim_backtrace(&bt, MAX_BACKTRACE_FRAMES)));
        e
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the kind prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Extra information not included in the display text (wasm backtrace, compiler error).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    pub fn is_guest_error(&self) -> bool {
        self.kind == ErrorKind::Guest
    }
}

impl fmt::Display for FdwError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Guest | ErrorKind::Version | ErrorKind::Package => {
                write!(f, "guest fdw error: {}", self.message)
            }
            ErrorKind::Wasmtime => write!(f, "wasmtime error: {}", self.message),
            ErrorKind::Semver => write!(f, "semver error: {}", self.message),
            ErrorKind::Reported
            | ErrorKind::Host
            | ErrorKind::InvalidComponent
            | ErrorKind::Unusable
            | ErrorKind::Usage
            | ErrorKind::CellCount
            | ErrorKind::Interrupted
            | ErrorKind::Limit => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for FdwError {}

/// Convenience alias.
pub type Result<T, E = FdwError> = std::result::Result<T, E>;

/// The error a host function raises to abort the current guest call (a trap carrying a
/// message). Recognised again when the call returns, to produce the right [`ErrorKind`].
#[derive(Debug, Clone)]
pub(crate) struct HostTrap {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
}

impl HostTrap {
    pub(crate) fn host(msg: impl Into<String>) -> Self {
        HostTrap { kind: ErrorKind::Host, message: msg.into() }
    }

    pub(crate) fn reported(msg: impl Into<String>) -> Self {
        HostTrap { kind: ErrorKind::Reported, message: msg.into() }
    }

    pub(crate) fn cell_count(msg: impl Into<String>) -> Self {
        HostTrap { kind: ErrorKind::CellCount, message: msg.into() }
    }

    pub(crate) fn interrupted(msg: impl Into<String>) -> Self {
        HostTrap { kind: ErrorKind::Interrupted, message: msg.into() }
    }

    pub(crate) fn limit(msg: impl Into<String>) -> Self {
        HostTrap { kind: ErrorKind::Limit, message: msg.into() }
    }
}

impl fmt::Display for HostTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HostTrap {}

impl From<HostTrap> for FdwError {
    fn from(t: HostTrap) -> Self {
        FdwError::new(t.kind, t.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_prefixes() {
        assert_eq!(FdwError::guest("boom").to_string(), "guest fdw error: boom");
        assert_eq!(FdwError::new(ErrorKind::Wasmtime, "trap").to_string(), "wasmtime error: trap");
        assert_eq!(FdwError::new(ErrorKind::Reported, "stop").to_string(), "stop");
        assert_eq!(FdwError::new(ErrorKind::Semver, "bad").to_string(), "semver error: bad");
        assert_eq!(FdwError::invalid_component("x").to_string(), "invalid WebAssembly component");
        assert_eq!(
            FdwError::package("component verification failed").to_string(),
            "guest fdw error: component verification failed"
        );
    }

    #[test]
    fn long_messages_are_capped() {
        let e = FdwError::guest("x".repeat(10 * 1024 * 1024));
        assert!(e.message().len() < MAX_MESSAGE_BYTES + 100, "{}", e.message().len());
        assert!(e.message().ends_with("… [truncated: 10485760 bytes in all]"), "{}", &e.message()[8000..]);
        // never split a multi-byte character
        let e = FdwError::guest("é".repeat(MAX_MESSAGE_BYTES));
        assert!(e.message().starts_with("éé"));
        let e = FdwError::host("short").with_detail("d".repeat(MAX_MESSAGE_BYTES + 1));
        assert!(e.detail().is_some_and(|d| d.contains("truncated")));
        assert_eq!(FdwError::guest("short").message(), "short");
    }

    #[test]
    fn backtraces_are_trimmed() {
        let mut bt = String::from("error while executing at wasm backtrace:");
        for i in 0..5000 {
            bt.push_str(&format!("\n  {i:>4}: 0x{i:x} - <unknown>!f{i}\n                    at src/x.c:{i}"));
        }
        let t = trim_backtrace(&bt, 3);
        assert_eq!(t.lines().filter(|l| l.contains("<unknown>")).count(), 3);
        assert!(t.starts_with("error while executing at wasm backtrace:\n     0: 0x0"), "{t}");
        assert!(t.ends_with("… 4997 more frames"), "{t}");
        assert!(!t.contains("x.c:3"), "{t}");
        assert_eq!(trim_backtrace("no frames here", 3), "no frames here");
    }

    #[test]
    fn wasmtime_chain() {
        let e = wasmtime::Error::msg("root cause").context("outer");
        let f = FdwError::wasmtime(&e);
        assert_eq!(f.to_string(), "wasmtime error: outer: root cause");
    }
}
