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
}

/// The host's error: a kind, a message and an optional detail (e.g. a wasm backtrace or the
/// compiler's reason for rejecting a component) that is not part of the display text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdwError {
    kind: ErrorKind,
    message: String,
    detail: Option<String>,
}

impl FdwError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        FdwError { kind, message: message.into(), detail: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
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
        e.detail = backtrace;
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
            | ErrorKind::CellCount => f.write_str(&self.message),
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
    fn wasmtime_chain() {
        let e = wasmtime::Error::msg("root cause").context("outer");
        let f = FdwError::wasmtime(&e);
        assert_eq!(f.to_string(), "wasmtime error: outer: root cause");
    }
}
