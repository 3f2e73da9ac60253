//! Package loading (contract §5): `file://` / bare paths, http(s) downloads with a mandatory
//! sha256 checksum and a download cache.

use crate::engine::FdwEngine;
use crate::error::{FdwError, Result};
use crate::http::{redact_url_text, HttpClient, HttpConfig};
use crate::interrupt::{Interrupts, NoInterrupts};
use std::sync::Arc;
use crate::types::Options;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use wasmtime::component::Component;

/// Where a component comes from (the `fdw_package_*` server options).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageSpec {
    /// `file://<path>`, a bare path, or `http(s)://…`.
    pub url: String,
    /// Package name (part of the cache key).
    pub name: String,
    /// Package version (part of the cache key).
    pub version: String,
    /// Lowercase hex sha256 of the `.wasm` bytes; required for http(s) downloads.
    pub checksum: Option<String>,
}

impl PackageSpec {
    /// Build a spec from server options, as Supabase does: `fdw_package_url`,
    /// `fdw_package_name` and `fdw_package_version` are required, `fdw_package_checksum` optional.
    pub fn from_server_options(options: &Options) -> Result<Self> {
        let req = |k: &str| {
            options
                .get(k)
                .cloned()
                .ok_or_else(|| FdwError::usage(format!("required option `{k}` is not specified")))
        };
        Ok(PackageSpec {
            url: req("fdw_package_url")?,
            name: req("fdw_package_name")?,
            version: req("fdw_package_version")?,
            checksum: options.get("fdw_package_checksum").cloned(),
        })
    }

    /// A local path or `file://` URL.
    pub fn is_local(&self) -> bool {
        self.url.starts_with("file://") || !self.url.contains("://")
    }
}

/// The default download cache: `$XDG_CACHE_HOME/tsfdw/packages` or `~/.cache/tsfdw/packages`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME") {
        Some(x) if !x.is_empty() && Path::new(&x).is_absolute() => PathBuf::from(x),
        _ => PathBuf::from(std::env::var_os("HOME").filter(|h| !h.is_empty())?).join(".cache"),
    };
    Some(base.join("tsfdw").join("packages"))
}

/// Lowercase hex sha256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Cache file name for a download: `hex(sha256("<url>:<name>@<version>")).wasm`.
pub fn cache_file_name(url: &str, name: &str, version: &str) -> String {
    format!("{}.wasm", sha256_hex(format!("{url}:{name}@{version}").as_bytes()))
}

/// Read a local component (`file://<path>` is used as-is, no percent-decoding).
/// A missing file gives `invalid WebAssembly component`, as on Supabase.
pub fn read_local(url: &str) -> Result<Vec<u8>> {
    let path = url.strip_prefix("file://").unwrap_or(url);
    std::fs::read(path).map_err(|e| FdwError::invalid_component(format!("cannot read {path}: {e}")))
}

/// Largest component download: real components are a few MB; this only stops a runaway server.
const MAX_PACKAGE_BYTES: u64 = 256 * 1024 * 1024;

/// Download a component with the host's HTTP client (timeouts, size limit, redirects without
/// credentials, interruptible), without retries (Supabase's download has none). Messages never
/// show URL userinfo.
fn download(url: &str, interrupts: Arc<dyn Interrupts>) -> Result<Vec<u8>> {
    let config = HttpConfig {
        max_retries: 0,
        // a large component over a slow link may take longer than an API page
        total_timeout: std::time::Duration::from_secs(300),
        max_response_bytes: MAX_PACKAGE_BYTES,
        max_decoded_bytes: MAX_PACKAGE_BYTES,
        ..HttpConfig::default()
    };
    match HttpClient::with_interrupts(config, interrupts).get_bytes(url) {
        Ok((status, body)) if (200..300).contains(&status) => Ok(body),
        Ok((status, _)) => Err(FdwError::package("component download failed - server error").with_detail(format!("status {status}"))),
        Err(Ok(msg)) => Err(FdwError::package("failed to download component").with_detail(msg)),
        Err(Err(trap)) => Err(FdwError::from(trap)),
    }
}

/// Fetch a package's `.wasm` bytes without compiling them: a local file (`file://` or a bare
/// path: no checksum, no cache), or an http(s) download through the cache in `cache_dir`
/// (a cached file is used as-is, as on Supabase; a download is sha256-verified against
/// `spec.checksum` and written to the cache). Errors as [`FdwEngine::load_package_with_cache`].
pub fn fetch_package(spec: &PackageSpec, cache_dir: Option<&Path>) -> Result<Vec<u8>> {
    fetch_package_with(spec, cache_dir, Ok)
}

/// [`fetch_package`] with the caller's use of the bytes (e.g. compiling them) inside the cache
/// protocol (contract §5.4): when `accept` fails on a cached file, the file is deleted and the
/// package downloaded again; when it fails on a fresh download, the file is deleted and the
/// error returned. For a local file `accept`'s error is returned as is.
pub fn fetch_package_with<T>(
    spec: &PackageSpec,
    cache_dir: Option<&Path>,
    accept: impl FnMut(Vec<u8>) -> Result<T>,
) -> Result<T> {
    fetch_package_interruptibly(spec, cache_dir, Arc::new(NoInterrupts), accept)
}

/// [`fetch_package_with`] whose download stops early (an error of kind
/// [`crate::ErrorKind::Interrupted`]) when `interrupts` reports an interrupt.
pub fn fetch_package_interruptibly<T>(
    spec: &PackageSpec,
    cache_dir: Option<&Path>,
    interrupts: Arc<dyn Interrupts>,
    mut accept: impl FnMut(Vec<u8>) -> Result<T>,
) -> Result<T> {
    if spec.is_local() {
        return accept(read_local(&spec.url)?);
    }
    if spec.url.starts_with("warg://") || spec.url.starts_with("wargs://") {
        return Err(FdwError::package("warg registries are not supported by this host"));
    }
    let url = url::Url::parse(&spec.url)
        .map_err(|e| FdwError::package(format!("invalid URL '{}': {e}", redact_url_text(&spec.url))))?;
    let dir = cache_dir.ok_or_else(|| FdwError::package("no cache directory found"))?;
    let path = dir.join(cache_file_name(url.as_str(), &spec.name, &spec.version));
    if path.exists() {
        if let Ok(bytes) = std::fs::read(&path) {
            if let Ok(v) = accept(bytes) {
                return Ok(v);
            }
        }
        let _ = std::fs::remove_file(&path);
    }
    let checksum = spec
        .checksum
        .as_deref()
        .ok_or_else(|| FdwError::package("package checksum must be specified for remote downloads"))?;
    let bytes = download(url.as_str(), interrupts)?;
    if sha256_hex(&bytes) != checksum {
        return Err(FdwError::package("component verification failed"));
    }
    std::fs::create_dir_all(dir).map_err(|e| FdwError::package("cache access error").with_detail(e.to_string()))?;
    std::fs::write(&path, &bytes).map_err(|e| FdwError::package("cache write error").with_detail(e.to_string()))?;
    accept(bytes).inspect_err(|_| {
        let _ = std::fs::remove_file(&path);
    })
}

impl FdwEngine {
    /// Load and compile a package with the default cache directory.
    pub fn load_package(&self, spec: &PackageSpec) -> Result<Component> {
        self.load_package_with_cache(spec, default_cache_dir().as_deref())
    }

    /// Load and compile a package. For http(s) URLs the cache in `cache_dir` is consulted
    /// first (a cached file is not re-verified, as on Supabase; one that does not compile is
    /// deleted and downloaded again); on a miss the file is downloaded, its sha256 checked
    /// against `spec.checksum`, written to the cache and compiled.
    pub fn load_package_with_cache(&self, spec: &PackageSpec, cache_dir: Option<&Path>) -> Result<Component> {
        fetch_package_with(spec, cache_dir, |bytes| self.compile(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_names() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let n = cache_file_name("https://x/y.wasm", "a:b", "1.0.0");
        assert_eq!(n, format!("{}.wasm", sha256_hex(b"https://x/y.wasm:a:b@1.0.0")));
    }

    #[test]
    fn spec_from_options() {
        let mut o = Options::new();
        o.insert("fdw_package_url".into(), "file:///x.wasm".into());
        assert_eq!(
            PackageSpec::from_server_options(&o).unwrap_err().to_string(),
            "required option `fdw_package_name` is not specified"
        );
        o.insert("fdw_package_name".into(), "n".into());
        o.insert("fdw_package_version".into(), "1".into());
        let s = PackageSpec::from_server_options(&o).unwrap();
        assert!(s.is_local());
        assert!(PackageSpec { url: "/tmp/x.wasm".into(), ..Default::default() }.is_local());
        assert!(!PackageSpec { url: "https://h/x.wasm".into(), ..Default::default() }.is_local());
    }

    /// A fresh empty directory under the system temp dir.
    fn temp_dir(tag: &str) -> PathBuf {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let d = std::env::temp_dir().join(format!(
            "tsfdw-host-test-{}-{tag}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Serve `responses` (status, body) to successive connections on 127.0.0.1; returns the base URL.
    fn serve(responses: Vec<(u16, &'static [u8])>) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for (status, body) in responses {
                let Ok((mut conn, _)) = listener.accept() else { return };
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
                let _ = conn.write_all(head.as_bytes()).and_then(|()| conn.write_all(body));
            }
        });
        format!("http://{addr}")
    }

    fn http_spec(url: &str, checksum: Option<&str>) -> PackageSpec {
        PackageSpec { url: url.into(), name: "t:p".into(), version: "1.0.0".into(), checksum: checksum.map(str::to_string) }
    }

    #[test]
    fn fetch_local() {
        let dir = temp_dir("local");
        let f = dir.join("x.wasm");
        std::fs::write(&f, b"bytes").unwrap();
        let spec = PackageSpec { url: format!("file://{}", f.display()), ..Default::default() };
        assert_eq!(fetch_package(&spec, None).unwrap(), b"bytes");
        let bare = PackageSpec { url: f.display().to_string(), ..Default::default() };
        assert_eq!(fetch_package(&bare, None).unwrap(), b"bytes");
        let missing = PackageSpec { url: format!("file://{}", dir.join("nope.wasm").display()), ..Default::default() };
        assert_eq!(fetch_package(&missing, None).unwrap_err().to_string(), "invalid WebAssembly component");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn fetch_errors_before_download() {
        let spec = http_spec("https://example.invalid/x.wasm", Some("00"));
        assert_eq!(fetch_package(&spec, None).unwrap_err().to_string(), "guest fdw error: no cache directory found");
        let bad = http_spec("http://[::1/x.wasm", None);
        assert!(fetch_package(&bad, Some(Path::new("/tmp"))).unwrap_err().to_string().starts_with("guest fdw error: invalid URL"));
        let warg = http_spec("warg://r/x", None);
        assert_eq!(fetch_package(&warg, None).unwrap_err().kind(), crate::ErrorKind::Package);
    }

    #[test]
    fn fetch_uses_and_evicts_the_cache() {
        let dir = temp_dir("cache");
        // nothing listens on port 9: a download attempt would fail differently
        let spec = http_spec("http://127.0.0.1:9/x.wasm", None);
        let cached = dir.join(cache_file_name("http://127.0.0.1:9/x.wasm", "t:p", "1.0.0"));
        std::fs::write(&cached, b"cached").unwrap();
        // a hit is used as-is: no checksum needed, no download
        assert_eq!(fetch_package(&spec, Some(&dir)).unwrap(), b"cached");
        // a hit the caller rejects is deleted, then downloaded again (which needs the checksum)
        let e = fetch_package_with(&spec, Some(&dir), |_| Err::<(), _>(FdwError::invalid_component("no"))).unwrap_err();
        assert_eq!(e.to_string(), "guest fdw error: package checksum must be specified for remote downloads");
        assert!(!cached.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn fetch_downloads_verifies_and_caches() {
        let dir = temp_dir("download");
        let body: &'static [u8] = b"component bytes";
        let sum = sha256_hex(body);
        let base = serve(vec![(200, body), (200, body), (200, body), (404, b"")]);
        let url = format!("{base}/pkg.wasm");
        let cached = dir.join(cache_file_name(&url, "t:p", "1.0.0"));

        let e = fetch_package(&http_spec(&url, Some("deadbeef")), Some(&dir)).unwrap_err();
        assert_eq!(e.to_string(), "guest fdw error: component verification failed");
        assert!(!cached.exists());

        // a fresh download the caller rejects is not kept
        let e = fetch_package_with(&http_spec(&url, Some(&sum)), Some(&dir), |_| {
            Err::<(), _>(FdwError::invalid_component("not a component"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "invalid WebAssembly component");
        assert!(!cached.exists());

        assert_eq!(fetch_package(&http_spec(&url, Some(&sum)), Some(&dir)).unwrap(), body);
        assert_eq!(std::fs::read(&cached).unwrap(), body);
        std::fs::remove_file(&cached).unwrap();

        let e = fetch_package(&http_spec(&url, Some(&sum)), Some(&dir)).unwrap_err();
        assert_eq!(e.to_string(), "guest fdw error: component download failed - server error");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn local_missing_file() {
        let e = read_local("file:///nonexistent/x.wasm").unwrap_err();
        assert_eq!(e.to_string(), "invalid WebAssembly component");
    }
}
