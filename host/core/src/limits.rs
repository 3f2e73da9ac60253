//! The host's own limits and the server options that change them (all named `tsfdw_*`).
//!
//! Supabase's host has none of these (no HTTP timeouts, no body or memory limits: contract §2.1,
//! §6); its options validator only checks that the `fdw_package_*` options are present, and
//! guests ignore options they do not know, so a server definition with `tsfdw_*` options loads
//! unchanged on Supabase, which ignores them. Our hosts are stricter by default and these
//! options only tune how strict.

use crate::error::{FdwError, HostTrap, Result};
use crate::http::HttpConfig;
use crate::types::Options;
use std::time::Duration;

/// Connect timeout (DNS, TCP and TLS handshake) of one HTTP request, in milliseconds.
pub const OPT_CONNECT_TIMEOUT: &str = "tsfdw_http_connect_timeout_ms";
/// Read timeout: longest wait for the next byte of a response (or for the server to take the
/// next byte of the request), in milliseconds.
pub const OPT_READ_TIMEOUT: &str = "tsfdw_http_read_timeout_ms";
/// Overall timeout of one HTTP attempt (connect, send, response headers and body, redirects), in milliseconds.
pub const OPT_TIMEOUT: &str = "tsfdw_http_timeout_ms";
/// Largest response body as received (before gzip decoding), in bytes.
pub const OPT_MAX_RESPONSE: &str = "tsfdw_http_max_response_bytes";
/// Largest response body after gzip decoding (what the guest receives), in bytes.
pub const OPT_MAX_DECODED: &str = "tsfdw_http_max_decoded_bytes";
/// Largest linear memory of the guest, in MiB.
pub const OPT_MAX_MEMORY: &str = "tsfdw_max_memory_mb";

/// Every `tsfdw_*` server option the hosts read.
pub const SERVER_OPTIONS: [&str; 6] =
    [OPT_CONNECT_TIMEOUT, OPT_READ_TIMEOUT, OPT_TIMEOUT, OPT_MAX_RESPONSE, OPT_MAX_DECODED, OPT_MAX_MEMORY];

const MIB: u64 = 1024 * 1024;
const DAY_MS: u64 = 24 * 3600 * 1000;
/// Postgres cannot hold a text value over 1 GB, so a larger body could never become a cell.
const MAX_BODY_BYTES: u64 = 1024 * MIB;
/// A 32-bit linear memory cannot exceed 4 GiB.
const MAX_MEMORY_MB: u64 = 4096;

/// Limits on the guest's store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuestLimits {
    /// Largest linear memory, in bytes (each memory of the component).
    pub max_memory_bytes: u64,
    /// Largest table, in elements (QuickJS guests use a few thousand).
    pub max_table_elements: u64,
}

impl Default for GuestLimits {
    /// 512 MiB of linear memory: a QuickJS guest starts at a few MiB and needs several times a
    /// response body to parse it (the text, its JS string, the parsed values), so a maximal
    /// 32 MiB body (the HTTP default) still fits; a runaway guest stops long before the backend
    /// or the machine runs out. Tables: 1,000,000 elements.
    fn default() -> Self {
        GuestLimits { max_memory_bytes: 512 * MIB, max_table_elements: 1_000_000 }
    }
}

fn parse_number(key: &str, value: &str, min: u64, max: u64, unit: &str) -> std::result::Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => {
            let shown: String = value.chars().take(40).collect();
            Err(format!("invalid value '{shown}' for server option {key}: expected a whole number of {unit} from {min} to {max}"))
        }
    }
}

/// Check one server option: `Ok` for options that are not ours, or ours with a valid value.
/// (The Postgres validator runs this on CREATE/ALTER SERVER.)
pub fn check_server_option(key: &str, value: &str) -> std::result::Result<(), String> {
    match key {
        OPT_CONNECT_TIMEOUT | OPT_READ_TIMEOUT | OPT_TIMEOUT => parse_number(key, value, 1, DAY_MS, "milliseconds").map(|_| ()),
        OPT_MAX_RESPONSE | OPT_MAX_DECODED => parse_number(key, value, 1, MAX_BODY_BYTES, "bytes").map(|_| ()),
        OPT_MAX_MEMORY => parse_number(key, value, 1, MAX_MEMORY_MB, "MiB").map(|_| ()),
        _ => Ok(()),
    }
}

/// Apply the `tsfdw_*` server options to the HTTP configuration and the guest limits.
pub fn apply_server_options(options: &Options, http: &mut HttpConfig, limits: &mut GuestLimits) -> Result<()> {
    let get = |key: &str, min: u64, max: u64, unit: &str| -> Result<Option<u64>> {
        match options.get(key) {
            None => Ok(None),
            Some(v) => parse_number(key, v, min, max, unit).map(Some).map_err(FdwError::usage),
        }
    };
    if let Some(ms) = get(OPT_CONNECT_TIMEOUT, 1, DAY_MS, "milliseconds")? {
        http.connect_timeout = Duration::from_millis(ms);
    }
    if let Some(ms) = get(OPT_READ_TIMEOUT, 1, DAY_MS, "milliseconds")? {
        http.read_timeout = Duration::from_millis(ms);
    }
    if let Some(ms) = get(OPT_TIMEOUT, 1, DAY_MS, "milliseconds")? {
        http.total_timeout = Duration::from_millis(ms);
    }
    if let Some(n) = get(OPT_MAX_RESPONSE, 1, MAX_BODY_BYTES, "bytes")? {
        http.max_response_bytes = n;
    }
    if let Some(n) = get(OPT_MAX_DECODED, 1, MAX_BODY_BYTES, "bytes")? {
        http.max_decoded_bytes = n;
    }
    if let Some(mb) = get(OPT_MAX_MEMORY, 1, MAX_MEMORY_MB, "MiB")? {
        limits.max_memory_bytes = mb * MIB;
    }
    Ok(())
}

/// The store's [`wasmtime::ResourceLimiter`]: growing a memory or table beyond the limits traps
/// the guest with an error naming the limit (rather than letting a runaway guest take the
/// backend's memory; Supabase lets a memory grow to 4 GiB).
pub(crate) struct Limiter {
    limits: GuestLimits,
    /// The trap raised, to classify the error when the guest call returns.
    pub(crate) tripped: Option<HostTrap>,
}

impl Limiter {
    pub(crate) fn new(limits: GuestLimits) -> Self {
        Limiter { limits, tripped: None }
    }

    fn trip(&mut self, message: String) -> wasmtime::Error {
        let t = HostTrap::limit(message);
        self.tripped = Some(t.clone());
        wasmtime::Error::new(t)
    }
}

fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(MIB)
}

impl wasmtime::ResourceLimiter for Limiter {
    fn memory_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        let max = self.limits.max_memory_bytes;
        if desired as u64 > max {
            return Err(self.trip(format!(
                "guest memory limit exceeded: the guest tried to grow its linear memory from {} MiB to {} MiB; \
                 the limit is {} MiB (server option {OPT_MAX_MEMORY})",
                mib(current as u64),
                mib(desired as u64),
                mib(max)
            )));
        }
        Ok(true)
    }

    fn table_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        let max = self.limits.max_table_elements;
        if desired as u64 > max {
            return Err(self.trip(format!(
                "guest table limit exceeded: the guest tried to grow a table from {current} to {desired} elements; the limit is {max}"
            )));
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::ResourceLimiter;

    fn opts(pairs: &[(&str, &str)]) -> Options {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn options_change_the_limits() {
        let mut http = HttpConfig::default();
        let mut limits = GuestLimits::default();
        apply_server_options(
            &opts(&[
                (OPT_CONNECT_TIMEOUT, "1500"),
                (OPT_READ_TIMEOUT, "250"),
                (OPT_TIMEOUT, "60000"),
                (OPT_MAX_RESPONSE, "1000"),
                (OPT_MAX_DECODED, "2000"),
                (OPT_MAX_MEMORY, "64"),
                ("api_url", "http://x"),
            ]),
            &mut http,
            &mut limits,
        )
        .unwrap();
        assert_eq!(http.connect_timeout, Duration::from_millis(1500));
        assert_eq!(http.read_timeout, Duration::from_millis(250));
        assert_eq!(http.total_timeout, Duration::from_secs(60));
        assert_eq!((http.max_response_bytes, http.max_decoded_bytes), (1000, 2000));
        assert_eq!(limits.max_memory_bytes, 64 * MIB);
    }

    #[test]
    fn invalid_values_are_refused_with_the_option_name() {
        for (k, v) in [(OPT_TIMEOUT, "0"), (OPT_TIMEOUT, "10s"), (OPT_MAX_MEMORY, "5000"), (OPT_MAX_DECODED, "-1")] {
            let e = apply_server_options(&opts(&[(k, v)]), &mut HttpConfig::default(), &mut GuestLimits::default())
                .unwrap_err();
            assert!(e.to_string().contains(k) && e.to_string().contains("expected a whole number"), "{e}");
            assert!(check_server_option(k, v).is_err());
        }
        assert!(check_server_option("api_key", "anything").is_ok());
        assert!(check_server_option(OPT_READ_TIMEOUT, " 30000 ").is_ok());
        let e = check_server_option(OPT_TIMEOUT, &"9".repeat(100)).unwrap_err();
        assert!(e.len() < 200, "{e}");
    }

    #[test]
    fn limiter_traps_beyond_the_limit() {
        let mut l = Limiter::new(GuestLimits { max_memory_bytes: 2 * MIB, max_table_elements: 10 });
        assert!(l.memory_growing(MIB as usize, 2 * MIB as usize, None).unwrap());
        let e = l.memory_growing(2 * MIB as usize, 3 * MIB as usize, None).unwrap_err();
        assert!(e.to_string().contains("from 2 MiB to 3 MiB; the limit is 2 MiB (server option tsfdw_max_memory_mb)"), "{e}");
        assert!(l.tripped.is_some());
        assert!(l.table_growing(0, 10, None).unwrap());
        assert!(l.table_growing(10, 11, None).is_err());
    }
}
