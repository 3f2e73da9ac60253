//! Package loading (contract §5): `file://` / bare paths, http(s) downloads with a mandatory
//! sha256 checksum and a download cache.

use crate::engine::FdwEngine;
use crate::error::{FdwError, Result};
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

fn download(url: &str) -> Result<Vec<u8>> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(10).build().into();
    let mut resp = agent.get(url).call().map_err(|e| {
        FdwError::package("failed to download component").with_detail(format!("{e}"))
    })?;
    if !resp.status().is_success() {
        return Err(FdwError::package("component download failed - server error")
            .with_detail(format!("status {}", resp.status())));
    }
    resp.body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_vec()
        .map_err(|e| FdwError::package("failed to read component data").with_detail(format!("{e}")))
}

impl FdwEngine {
    /// Load and compile a package with the default cache directory.
    pub fn load_package(&self, spec: &PackageSpec) -> Result<Component> {
        self.load_package_with_cache(spec, default_cache_dir().as_deref())
    }

    /// Load and compile a package. For http(s) URLs the cache in `cache_dir` is consulted
    /// first (a cached file is not re-verified, as on Supabase); on a miss the file is
    /// downloaded, its sha256 checked against `spec.checksum`, written to the cache and compiled.
    pub fn load_package_with_cache(&self, spec: &PackageSpec, cache_dir: Option<&Path>) -> Result<Component> {
        if spec.is_local() {
            let bytes = read_local(&spec.url)?;
            return self.compile(&bytes);
        }
        if spec.url.starts_with("warg://") || spec.url.starts_with("wargs://") {
            return Err(FdwError::package("warg registries are not supported by this host"));
        }
        let url = url::Url::parse(&spec.url)
            .map_err(|e| FdwError::package(format!("invalid URL '{}': {e}", spec.url)))?;
        let dir = cache_dir.ok_or_else(|| FdwError::package("no cache directory found"))?;
        let path = dir.join(cache_file_name(url.as_str(), &spec.name, &spec.version));
        if path.exists() {
            if let Ok(bytes) = std::fs::read(&path) {
                if let Ok(c) = self.compile(&bytes) {
                    return Ok(c);
                }
            }
            let _ = std::fs::remove_file(&path);
        }
        let checksum = spec
            .checksum
            .as_deref()
            .ok_or_else(|| FdwError::package("package checksum must be specified for remote downloads"))?;
        let bytes = download(url.as_str())?;
        if sha256_hex(&bytes) != checksum {
            return Err(FdwError::package("component verification failed"));
        }
        std::fs::create_dir_all(dir).map_err(|e| FdwError::package("cache access error").with_detail(e.to_string()))?;
        std::fs::write(&path, &bytes).map_err(|e| FdwError::package("cache write error").with_detail(e.to_string()))?;
        match self.compile(&bytes) {
            Ok(c) => Ok(c),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(e)
            }
        }
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

    #[test]
    fn local_missing_file() {
        let e = read_local("file:///nonexistent/x.wasm").unwrap_err();
        assert_eq!(e.to_string(), "invalid WebAssembly component");
    }
}
