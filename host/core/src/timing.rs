//! Per-instance phase timings for benchmarks (not part of the Supabase contract).
//!
//! Cost: two `Instant::now()` per routine call (`init`, `begin-scan`, `end-scan`, …) and per
//! host `http` call; `iter-scan` is timed as a span per scan pass (one clock read when the pass
//! starts, one when it ends), so a row only costs a counter increment.

use std::time::{Duration, Instant};

/// How the component of an instance was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CompileSource {
    /// Compiled from the `.wasm` bytes (Cranelift).
    #[default]
    Compiled,
    /// Found in an in-memory compile cache.
    Memory,
    /// Loaded from an on-disk compile cache (a serialized component).
    Disk,
}

impl CompileSource {
    /// `compiled`, `memory` or `disk`.
    pub fn as_str(self) -> &'static str {
        match self {
            CompileSource::Compiled => "compiled",
            CompileSource::Memory => "memory",
            CompileSource::Disk => "disk",
        }
    }
}

/// Cumulative phase timings of one [`crate::FdwInstance`] (sums over all calls of a phase).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Getting the compiled component (reading or downloading the package, then compiling or a
    /// cache lookup); measured by the caller, see [`crate::FdwInstance::record_compile`].
    pub compile: Duration,
    pub compile_source: CompileSource,
    /// Instantiation plus the `host-version-requirement` call and check.
    pub instantiate: Duration,
    pub init: Duration,
    pub begin_scan: Duration,
    /// Wall time of the row iteration: each scan pass from its first `iter-scan` call to the
    /// call that ends it (end of data or an error) or to the next `re-scan` / `begin-scan` /
    /// `end-scan`, plus the `re-scan` calls. It includes the caller's work between the calls
    /// (for Postgres: turning the cells into a tuple and whatever consumes it).
    pub iter_scan: Duration,
    pub end_scan: Duration,
    /// Time spent inside the host's `http` functions (retries and their backoff included), in
    /// whatever phase they were called: a part of the phase times, not an extra phase.
    pub http: Duration,
    /// HTTP requests sent, each retry counted (a redirect followed is part of its request).
    pub http_requests: u64,
    /// Response body bytes returned to the guest.
    pub http_bytes: u64,
    /// Rows returned by `iter-scan`.
    pub rows: u64,
}

/// Milliseconds with microsecond precision.
fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

impl Timings {
    /// `{"compile_ms", "compile_source", "instantiate_ms", "init_ms", "begin_scan_ms",
    /// "iter_scan_ms", "end_scan_ms", "http_ms", "http_requests", "http_bytes", "rows"}`
    /// (durations in milliseconds, microsecond precision).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "compile_ms": ms(self.compile),
            "compile_source": self.compile_source.as_str(),
            "instantiate_ms": ms(self.instantiate),
            "init_ms": ms(self.init),
            "begin_scan_ms": ms(self.begin_scan),
            "iter_scan_ms": ms(self.iter_scan),
            "end_scan_ms": ms(self.end_scan),
            "http_ms": ms(self.http),
            "http_requests": self.http_requests,
            "http_bytes": self.http_bytes,
            "rows": self.rows,
        })
    }
}

/// The open `iter-scan` span of the current scan pass.
#[derive(Debug, Default)]
pub(crate) struct IterSpan(Option<Instant>);

impl IterSpan {
    /// Called at every `iter-scan`: opens the span on the first call of a pass.
    pub(crate) fn enter(&mut self) {
        if self.0.is_none() {
            self.0 = Some(Instant::now());
        }
    }

    /// Close the span (if open), adding its length to `total`.
    pub(crate) fn close(&mut self, total: &mut Duration) {
        if let Some(t) = self.0.take() {
            *total += t.elapsed();
        }
    }

    /// The length of the open span so far (zero when closed).
    pub(crate) fn running(&self) -> Duration {
        self.0.map(|t| t.elapsed()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_and_units() {
        let t = Timings {
            compile: Duration::from_micros(1_234_567),
            compile_source: CompileSource::Disk,
            iter_scan: Duration::from_nanos(1_500),
            http_requests: 3,
            http_bytes: 42,
            rows: 7,
            ..Timings::default()
        };
        let j = t.to_json();
        assert_eq!(j["compile_ms"], 1234.567);
        assert_eq!(j["compile_source"], "disk");
        assert_eq!(j["iter_scan_ms"], 0.002);
        assert_eq!(j["init_ms"], 0.0);
        assert_eq!(j["http_requests"], 3);
        assert_eq!(j["http_bytes"], 42);
        assert_eq!(j["rows"], 7);
        let keys: Vec<&str> = j.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        for k in [
            "compile_ms",
            "compile_source",
            "instantiate_ms",
            "init_ms",
            "begin_scan_ms",
            "iter_scan_ms",
            "end_scan_ms",
            "http_ms",
            "http_requests",
            "http_bytes",
            "rows",
        ] {
            assert!(keys.contains(&k), "{k}");
        }
        assert_eq!(keys.len(), 11);
        assert_eq!(CompileSource::default().as_str(), "compiled");
        assert_eq!(CompileSource::Memory.as_str(), "memory");
    }

    #[test]
    fn iter_span_opens_once_and_closes() {
        let mut span = IterSpan::default();
        let mut total = Duration::ZERO;
        span.close(&mut total);
        assert_eq!(total, Duration::ZERO);
        assert_eq!(span.running(), Duration::ZERO);
        span.enter();
        std::thread::sleep(Duration::from_millis(5));
        span.enter(); // a later row does not restart the span
        assert!(span.running() >= Duration::from_millis(5));
        span.close(&mut total);
        assert!(total >= Duration::from_millis(5));
        let after_first = total;
        span.close(&mut total);
        assert_eq!(total, after_first);
        assert_eq!(span.running(), Duration::ZERO);
    }
}
