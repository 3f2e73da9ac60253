//! Opt-in compile cache for the runner: `TSFDW_RUNNER_COMPILE_CACHE=DIR` keeps compiled
//! components in DIR (wasmtime `Component::serialize`), keyed by the sha256 of the `.wasm`
//! bytes and the engine's compatibility hash, as the Postgres extension's cache does. Test
//! suites that run one component hundreds of times (test/quals-parity.test.ts) skip the
//! ≈2 s Cranelift compile per run. Off by default: then every run compiles, as Supabase does,
//! and `--timing` reports a real compile. Only point it at a directory you own: its files are
//! loaded as native code.

use super::host::wasmtime::component::Component;
use super::host::{fetch_package_with, sha256_hex, CompileSource, FdwEngine, PackageSpec, Result};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

const ENV: &str = "TSFDW_RUNNER_COMPILE_CACHE";

fn cache_dir() -> Option<PathBuf> {
    std::env::var_os(ENV).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Load and compile the package, through the cache when `TSFDW_RUNNER_COMPILE_CACHE` is set.
pub fn load(engine: &FdwEngine, spec: &PackageSpec) -> Result<(Component, CompileSource)> {
    let Some(dir) = cache_dir() else {
        return Ok((engine.load_package(spec)?, CompileSource::Compiled));
    };
    let mut h = DefaultHasher::new();
    engine.wasmtime_engine().precompile_compatibility_hash().hash(&mut h);
    let engine_key = format!("{:016x}", h.finish());
    // downloads go through the same cache as without this option
    fetch_package_with(spec, super::host::default_cache_dir().as_deref(), |bytes| {
        let path = dir.join(format!("{}-{engine_key}.cwasm", sha256_hex(&bytes)));
        if let Ok(ser) = std::fs::read(&path) {
            // SAFETY: the file was written by `serialize_component` below, by an engine with the
            // same compatibility hash (part of its name), in a directory the user chose for it;
            // wasmtime checks the compatibility again.
            if let Ok(comp) = unsafe { engine.deserialize_component(&ser) } {
                return Ok((comp, CompileSource::Disk));
            }
            let _ = std::fs::remove_file(&path);
        }
        let comp = engine.compile(&bytes)?;
        // best effort: a cache that cannot be written only costs the next run a compile
        if let Ok(ser) = engine.serialize_component(&comp) {
            let _ = std::fs::create_dir_all(&dir);
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, &ser).is_ok() && std::fs::rename(&tmp, &path).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        Ok((comp, CompileSource::Compiled))
    })
}
